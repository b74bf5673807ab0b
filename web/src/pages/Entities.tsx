// Entities: find any entity by id, and its persona page — features, labels, lists, enforcement, strikes, decisions, links, cases.
import { useEffect, useState, type FormEvent } from 'react';
import { post, qs } from '../api.ts';
import { useAction, useApi, useSession } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { Async, Badge, Button, Card, Empty, EntityLink, ErrorBox, Loading, PageHeader } from '../ui.tsx';
import { ago, entityPath, num, time } from '../format.ts';
import { DecisionTimeline } from './entities/Timeline.tsx';
import { EnforcementList, StrikeList } from './entities/Enforcement.tsx';
import { FeatureTable } from './entities/Features.tsx';
import { LinksGraph } from './entities/LinksGraph.tsx';
import { CaseStatusBadge } from './cases/badges.tsx';
import { enforcementText, isPseudonym, type Case, type EntityMatch, type Enforcements, type Persona, type Strikes } from './entities/types.ts';
import './entities/entities.css';

/** "Account:a1" (or "account:a1") → the entity; a bare id → null (search for it). */
function asEntity(text: string): string | null {
  const m = /^([A-Za-z][A-Za-z_]*):(.+)$/.exec(text);
  if (!m) return null;
  return m[1]![0]!.toUpperCase() + m[1]!.slice(1) + ':' + m[2]!;
}

export function EntitySearch() {
  const { query } = useLocation();
  const q = (query.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const results = useApi<{ matches: EntityMatch[] }>(q ? `/v1/entities${qs({ q })}` : null);
  const recent = useApi<{ cases: Case[] }>(q ? null : '/v1/cases?limit=40');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    const ent = asEntity(t);
    navigate(ent ? entityPath(ent) : `/entities${qs({ q: t })}`);
  };

  const examples = [...new Set((recent.data?.cases ?? []).flatMap((c) => [c.entity, ...c.related.filter((r) => !r.includes(':~'))]))].slice(0, 8);

  return (
    <>
      <PageHeader title="Entities" subtitle="Look up any account, device, IP, card or other entity: what Bulwark knows about it and what was done to it." />
      <Card>
        <form className="ec-entity-search" onSubmit={submit} role="search">
          <label className="ec-grow">
            Entity id
            <input autoFocus value={text} onChange={(e) => setText(e.target.value)} placeholder="Account:u0bjl4qx, or a bare id such as d2ecb6497e475895" spellCheck={false} autoComplete="off" />
          </label>
          <Button type="submit" variant="primary" disabled={!text.trim()}>Search</Button>
        </form>
        <p className="muted small" style={{ margin: '8px 0 0' }}>
          <span className="mono">Type:id</span> opens the entity directly; a bare id finds every entity type that has it.
        </p>
      </Card>

      {q ? (
        <Card title={<>Matches for <span className="mono">{q}</span></>}>
          <Async state={results} what="Searching">
            {(r) => r.matches.length === 0 ? (
              <Empty title={`Nothing found for “${q}”`}>
                No entity with this id has state or recent decisions. Check the id, or give its type as <span className="mono">Type:{q}</span>.
                Personal ids (e-mails, IPs, phones) are looked up by their raw value.
              </Empty>
            ) : r.matches.length === 1 && r.matches[0] ? (
              <AutoOpen entity={r.matches[0].entity} />
            ) : (
              <table>
                <thead><tr><th>Entity</th><th>Type</th><th className="num">Features</th><th className="num">Recent decisions</th></tr></thead>
                <tbody>
                  {r.matches.map((m) => (
                    <tr key={m.entity} className="clickable" onClick={() => navigate(entityPath(m.entity))}>
                      <td><EntityLink entity={m.entity} /></td>
                      <td>{m.type}</td>
                      <td className="num">{num(m.features)}</td>
                      <td className="num">{num(m.decisions)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Async>
        </Card>
      ) : (
        <Card title="Start somewhere">
          <div className="state empty" style={{ padding: '12px 0' }}>
            <strong>Search for an entity above</strong>
            <div className="hint">
              For example <Link to={entityPath('Account:a1')} className="mono">Account:a1</Link>, <span className="mono">Device:d1</span>, or a bare id.
              {recent.loading && <> Looking for entities in recent cases…</>}
            </div>
          </div>
          {examples.length > 0 && (
            <>
              <h3>In recent cases</h3>
              <div className="ec-chips">{examples.map((e) => <Link key={e} to={entityPath(e)} className="entity ec-chip-link">{e}</Link>)}</div>
            </>
          )}
        </Card>
      )}
    </>
  );
}

/** One match: open it straight away (keeping the search in history). */
function AutoOpen({ entity }: { entity: string }) {
  useEffect(() => { navigate(entityPath(entity), { replace: true }); }, [entity]);
  return <Loading what={`Opening ${entity}`} />;
}

export function EntityPage({ type, id }: { type: string; id: string }) {
  const entity = `${type}:${id}`;
  const base = `/v1/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
  const persona = useApi<Persona>(base, { pollMs: 15_000 });
  const enf = useApi<Enforcements>(`/v1/enforcements${qs({ entity })}`, { pollMs: 15_000 });
  const strikes = useApi<Strikes>(`/v1/strikes${qs({ entity })}`, { pollMs: 15_000 });
  const cases = useApi<{ cases: Case[] }>(`/v1/cases${qs({ entity, limit: 50 })}`);

  if (persona.error && !persona.data) {
    return (
      <>
        <PageHeader title={<span className="mono">{entity}</span>} subtitle={<Link to="/entities">← Search another entity</Link>} />
        <ErrorBox error={persona.error} retry={persona.reload} />
      </>
    );
  }
  // A pseudonym ("Ip:~p_…") only has a page when the server looks entities up by pseudonym (state id = the pseudonym).
  const pseudonymUnsupported = !!persona.data && id.startsWith('~') && persona.data.state_id !== id.slice(1);
  if (pseudonymUnsupported) {
    return (
      <>
        <PageHeader title={<span className="mono ec-entity-title">{entity}</span>} subtitle={<Link to="/entities">← Entities</Link>} />
        <Empty title="A pseudonymised personal id">
          {type} ids are personal data, so Bulwark keeps only their pseudonym and cannot look this one up by it yet.
          Search for the raw value instead: <Link to="/entities">Entities</Link>.
        </Empty>
      </>
    );
  }
  const p = persona.data;
  const openCases = (cases.data?.cases ?? []).filter((c) => c.status !== 'closed');
  const quiet = p && p.decisions.length === 0 && p.labels.length === 0 && p.features.every((f) => !f.value) && p.lists.length === 0 && p.signals.length === 0;

  return (
    <>
      <PageHeader
        title={<span className="mono ec-entity-title">{entity}</span>}
        subtitle={
          <span className="row">
            <Link to="/entities">← Entities</Link>
            {p && p.state_id !== id && <span className="muted small" title="personal ids are pseudonymised in state">state id <span className="mono">{p.state_id}</span></span>}
            {enf.data?.active.map((e) => <Badge key={e.id} tone={e.kind === 'warn' ? 'warn' : 'bad'} title={`${e.reason}${e.expires_at ? `, until ${time(e.expires_at)}` : ''}`}>{enforcementText(e)}</Badge>)}
            {(strikes.data?.active.length ?? 0) > 0 && <Badge tone="warn">{strikes.data!.active.length} strike{strikes.data!.active.length === 1 ? '' : 's'}</Badge>}
            {p?.labels.filter((l) => !/^(enforced|strikes?):/.test(l.label)).slice(0, 6).map((l) => <Badge key={l.label} tone="info" title={l.expires_at ? `until ${time(l.expires_at)}` : 'no expiry'}>{l.label}</Badge>)}
            {openCases.length > 0 && <Link to={`/cases/${openCases[0]!.id}`}><Badge tone="info">open case #{openCases[0]!.id}</Badge></Link>}
          </span>
        }
        actions={<OpenCaseButton entity={entity} hasOpen={openCases.length > 0} onOpened={cases.reload} />}
      />
      {!p ? <Loading what={`Loading ${entity}`} /> : (
        <>
          {quiet && (
            <div className="ec-notice">Bulwark has no state and no recent decisions for <span className="mono">{entity}</span>. Check the id, or it may not have been seen within the windows the strategy keeps.</div>
          )}
          <div className="ec-entity-layout">
            <div className="entity-main">
              <Card title="Recent decisions" actions={<span className="muted small">{p.decisions.length} kept · newest first · click a row for the values each rule read</span>}>
                <DecisionTimeline decisions={p.decisions} />
              </Card>
              <Card title="Linked entities" actions={<span className="muted small">shared devices, IPs, cards… · click a node to open it</span>}>
                <LinksGraph type={type} id={id} />
              </Card>
            </div>
            <div className="entity-side">
              <section className="card" data-testid="enforcement" aria-label="Enforcement">
                <div className="card-head"><h2>Enforcement</h2>{enf.data && enf.data.active.length > 0 && <Badge tone="bad">{enf.data.active.length} active</Badge>}</div>
                <Async state={enf} what="Loading enforcement">{(d) => <EnforcementList data={d} />}</Async>
              </section>
              <Card title="Strikes">
                <Async state={strikes} what="Loading strikes">{(d) => <StrikeList data={d} />}</Async>
              </Card>
              <Card title="Cases" actions={cases.data && cases.data.cases.length > 0 ? <span className="muted small">{openCases.length} open</span> : undefined}>
                <Async state={cases} what="Loading cases">
                  {(d) => d.cases.length === 0 ? <p className="muted small">No cases for this entity.</p> : (
                    <ul className="ec-case-mini">
                      {d.cases.slice(0, 8).map((c) => (
                        <li key={c.id}>
                          <Link to={`/cases/${c.id}`}>#{c.id}</Link>
                          <CaseStatusBadge c={c} />
                          <span className="small">{c.kind === 'appeal' ? 'appeal' : c.queue}</span>
                          <span className="spacer" />
                          <span className="muted small">{ago(c.opened_at)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </Async>
              </Card>
              <Card title="Labels">
                {p.labels.length === 0 ? <p className="muted small">No labels.</p> : (
                  <ul className="ec-label-list">
                    {p.labels.map((l) => (
                      <li key={l.label}><span className="mono">{l.label}</span><span className="muted small">{l.expires_at ? `until ${time(l.expires_at)}` : 'no expiry'}</span></li>
                    ))}
                  </ul>
                )}
                {p.label_history.length > 0 && <LabelHistory history={p.label_history} />}
              </Card>
              <Card title="Features" actions={<span className="muted small">now</span>}>
                <FeatureTable features={p.features} />
              </Card>
              {p.linked && (
                <Card title="Linked accounts" actions={<span className="muted small">through shared devices, IPs, cards, addresses, e-mails</span>}>
                  <table className="ec-features" data-testid="linked"><tbody>
                    {Object.entries(p.linked).map(([name, value]) => <tr key={name}><td className="mono">{name}</td><td className="num">{value === null ? '—' : num(value)}</td></tr>)}
                  </tbody></table>
                </Card>
              )}
              <Card title="Lists and signals">
                {p.lists.length === 0 && p.signals.length === 0 ? <p className="muted small">On no list; no signals from graph jobs or batch models.</p> : (
                  <>
                    {p.lists.length > 0 && <div className="ec-chips" style={{ marginBottom: 8 }}>{p.lists.map((l) => <Link key={l} to="/lists"><Badge tone="warn">list {l}</Badge></Link>)}</div>}
                    {p.signals.length > 0 && (
                      <table className="ec-features"><tbody>
                        {p.signals.map((s, i) => <tr key={`${s.name}-${i}`}><td className="mono">{s.name}</td><td className="num">{num(s.value)}</td></tr>)}
                      </tbody></table>
                    )}
                  </>
                )}
              </Card>
            </div>
          </div>
        </>
      )}
    </>
  );
}

function LabelHistory({ history }: { history: Persona['label_history'] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn small ghost" aria-expanded={open} onClick={() => setOpen((o) => !o)}>{open ? 'Hide' : 'Show'} label history ({history.length})</button>
      {open && (
        <ul className="ec-label-list">
          {history.slice().reverse().map((h) => (
            <li key={h.id}>
              <span className="mono">{h.action === 'set' ? '+' : '−'}{h.label}</span>
              <span className="muted small">{time(h.at)} by {h.actor.replace(/^user:/, '')}{h.reason ? ` — ${h.reason}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** People who may open cases can send an entity to the manual queue from here. */
function OpenCaseButton({ entity, hasOpen, onOpened }: { entity: string; hasOpen: boolean; onOpened: () => void }) {
  const { can } = useSession();
  const [open, setOpen] = useState(false);
  const [summary, setSummary] = useState('');
  const act = useAction((s: string) => post<{ case: Case; opened: boolean }>('/v1/cases', { entity, summary: s }));
  if (!can('case.create') || isPseudonym(entity)) return null;
  if (!open) return <Button onClick={() => setOpen(true)}>{hasOpen ? 'Add to case' : 'Open a case'}</Button>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await act.run(summary.trim());
    if (r) { setOpen(false); setSummary(''); onOpened(); navigate(`/cases/${r.case.id}`); }
  };
  return (
    <form className="row" onSubmit={submit}>
      <label>
        Why should someone review it?
        <input autoFocus value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={2000} style={{ width: 280 }} placeholder="e.g. same card as a banned account" />
      </label>
      <Button type="submit" variant="primary" pending={act.pending} disabled={!summary.trim()}>Send to review</Button>
      <Button type="button" variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
      {act.error && <span className="form-error small">{act.error.message}</span>}
    </form>
  );
}
