// One case: who it is about, the evidence (decisions, rules, reasons), a persona summary, related entities, history and notes,
// and the review actions with keyboard shortcuts. Reviewers claim an open case by opening it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { post, qs } from '../../api.ts';
import { useAction, useApi, useKeys, useSession } from '../../hooks.ts';
import { Link, navigate } from '../../router.tsx';
import { Async, Badge, Button, Card, Empty, EntityLink, ErrorBox, Kbd, Loading, PageHeader, Stat, VerdictBadge } from '../../ui.tsx';
import { ago, entityPath, num, splitEntity, time } from '../../format.ts';
import { RuleDetail } from '../entities/Timeline.tsx';
import { featureValue, rankFeatures } from '../entities/Features.tsx';
import { LinksGraph } from '../entities/LinksGraph.tsx';
import { enforcementText, isPseudonym, type Case, type Enforcement, type Enforcements, type Persona, type Strikes } from '../entities/types.ts';
import { actorName, CaseStatusBadge, Due, isOverdue } from './badges.tsx';
import { NextCaseButton, takeEarlyKey, useNextCase } from './next.tsx';
import { ReviewPanel, type Action, type ActionResult, type Reason, type StrikePolicy } from './ReviewPanel.tsx';
import '../entities/entities.css';
import './cases.css';

interface Evidence {
  id: number; case_id: number; added_at: string; added_by: string; source: string; event_id: string | null; event_type: string | null;
  event_ts: number | null; verdict: string | null; score: number | null; strategy: string | null; queue: string | null;
  rules: { rule: string; reason: string | null; queue: string | null; values: Record<string, unknown> }[]; note: string | null;
}
interface CaseAction { id: number; case_id: number; at: string; actor: string; action: string; reason: string | null; note: string | null; detail: Record<string, unknown> | null }
interface CaseDetail { case: Case; evidence: Evidence[]; actions: CaseAction[]; rules: string[]; enforcements: Enforcement[] }

/** What the last action did, shown on the next page too when the reviewer moves on. */
interface Outcome { caseId: number; entity: string; action: Action; result: ActionResult }
let carried: Outcome | null = null;

const AUTO_KEY = 'bulwark.cases.autoAdvance';

export function CasePage({ id }: { id: string }) {
  const { me, can } = useSession();
  const reviewer = can('review');
  const detail = useApi<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}`);
  const reasons = useApi<{ reasons: Reason[] }>('/v1/policy-reasons');
  const policies = useApi<{ policies: StrikePolicy[] }>('/v1/strike-policies');
  const c = detail.data?.case ?? null;
  const entity = c?.entity ?? null;
  const personal = entity !== null && isPseudonym(entity);
  const [etype, eid] = entity ? splitEntity(entity) : ['', ''];
  const persona = useApi<Persona>(entity && !personal ? `/v1/entities/${encodeURIComponent(etype)}/${encodeURIComponent(eid)}` : null);
  const enf = useApi<Enforcements>(entity ? `/v1/enforcements${qs({ entity })}` : null);
  const strikes = useApi<Strikes>(entity ? `/v1/strikes${qs({ entity })}` : null);

  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [previous, setPrevious] = useState<Outcome | null>(null);
  const [help, setHelp] = useState(false);
  const [allEvidence, setAllEvidence] = useState(false);
  const [auto, setAuto] = useState(() => localStorage.getItem(AUTO_KEY) === '1');
  const nextCase = useNextCase();

  // A new case on the same component (Next case): forget the last one's outcome, show what was carried over.
  useEffect(() => {
    setOutcome(null);
    setAgain(false);
    setEarlyKey(takeEarlyKey());
    setPrevious(carried && String(carried.caseId) !== id ? carried : null);
    carried = null;
  }, [id]);

  // Reviewers claim an open case by opening it (once per visit: an escalated case stays in its new queue).
  const claim = useAction(() => post<{ case: Case }>(`/v1/cases/${encodeURIComponent(id)}/claim`));
  const release = useAction(() => post<{ case: Case }>(`/v1/cases/${encodeURIComponent(id)}/release`));
  const tried = useRef<string | null>(null);
  const mayWork = !!c && reviewer && (me.queues === null || me.queues.includes(c.queue) || me.permissions.includes('admin')) && c.excluded_reviewer !== me.actor;
  useEffect(() => {
    if (!c || String(c.id) !== id || !mayWork || tried.current === id || outcome) return;
    tried.current = id; // only on the first look: a released or escalated case stays in its queue
    const stale = c.status === 'claimed' && c.assignee !== me.actor && c.claimed_at !== null && Date.now() - new Date(c.claimed_at).getTime() > 3600_000;
    if (c.status !== 'open' && !stale) return;
    void claim.run().then((r) => { if (r) detail.reload(); });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [c?.id, c?.status, mayWork, id, outcome]);

  const mine = !!c && c.status === 'claimed' && c.assignee === me.actor;
  const isAdmin = me.permissions.includes('admin');
  const ready = !!c && mayWork && c.status !== 'closed' && (mine || (isAdmin && c.status !== 'pending_info')) && !claim.pending;

  const [again, setAgain] = useState(false);
  // Review keys pressed before the review panel is there (the case or the reasons still loading) wait for it.
  const [earlyKey, setEarlyKey] = useState<string | null>(null);
  const panelShown = reviewer && !!detail.data && !!reasons.data;
  const goNext = () => {
    if (nextCase.pending) return;
    setAgain(false);
    void nextCase.next().then((r) => {
      if (r && r.case && String(r.case.id) === id) { setOutcome(null); tried.current = id; setAgain(true); detail.reload(); }
    });
  };
  useKeys((k, e) => {
    if (k === '?') { e.preventDefault(); setHelp((h) => !h); }
    else if (k === 'Escape') setHelp(false);
    else if (k === 'n' && reviewer) goNext();
    else if ('cxei'.includes(k) && k.length === 1 && reviewer && !panelShown) setEarlyKey(k);
  }, [reviewer, nextCase.pending, panelShown]);

  const onDone = (action: Action, r: ActionResult) => {
    const o: Outcome = { caseId: Number(id), entity: r.case.entity, action, result: r };
    setOutcome(o);
    detail.reload(); enf.reload(); strikes.reload(); persona.reload();
    if (auto) { carried = o; goNext(); }
  };

  if (detail.error && !detail.data) {
    return (
      <>
        <PageHeader title={`Case ${id}`} subtitle={<Link to="/cases">← Cases</Link>} />
        <ErrorBox error={detail.error} retry={detail.reload} />
      </>
    );
  }
  if (!detail.data || !c) return <Loading what={`Loading case ${id}`} />;
  const d = detail.data;
  const appeal = c.kind === 'appeal';
  const decisions = d.evidence.filter((e) => e.event_id !== null);
  const notes = d.evidence.filter((e) => e.event_id === null && e.note);

  return (
    <>
      <PageHeader
        title={<span className="row">Case #{c.id} {appeal && <Badge tone="warn">appeal</Badge>} <CaseStatusBadge c={c} /></span>}
        subtitle={
          <span className="row">
            <Link to={`/cases${qs({ queue: c.queue, kind: appeal ? 'appeal' : '' })}`}>← {c.queue}</Link>
            <span>·</span>
            {personal ? <span className="entity">{c.entity}</span> : <EntityLink entity={c.entity} />}
            <span>·</span>
            <span className="ec-case-summary">{c.summary}</span>
          </span>
        }
        actions={
          <>
            <button type="button" className="btn ghost small" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">Shortcuts <span aria-hidden="true"><Kbd>?</Kbd></span></button>
            {reviewer && !outcome && <NextCaseButton variant="default" pending={nextCase.pending} onClick={goNext} />}
          </>
        }
      />
      {nextCase.none && <div className="ec-flash good" role="status"><strong>All caught up.</strong> {nextCase.none} <Link to="/cases">Back to the queues</Link></div>}
      {nextCase.error && <ErrorBox error={nextCase.error} />}
      {release.error && <ErrorBox error={release.error} />}
      {previous && <OutcomeBanner o={previous} compact onClose={() => setPrevious(null)} />}
      {again && <div className="ec-flash info" role="status">This case is again the most urgent one you may work (escalated cases rank high), so it is yours once more.<button type="button" className="btn small ghost" onClick={() => setAgain(false)} aria-label="Dismiss">✕</button></div>}

      {!outcome && <ClaimNotice c={c} me={me.actor} reviewer={reviewer} mayWork={mayWork} claimError={claim.error} claiming={claim.pending} onClaim={() => void claim.run().then((r) => { if (r) detail.reload(); })} />}

      <div className="grid ec-cols-5 ec-stats">
        <Stat label="Score" value={num(c.score)} />
        <Stat label="Priority" value={num(c.priority)} />
        <Stat label="Opened" value={<span className="ec-stat-small">{ago(c.opened_at)}</span>} hint={<>{time(c.opened_at)} by {actorName(c.opened_by)}</>} />
        {c.status === 'closed'
          ? <Stat label="Closed" value={<span className="ec-stat-small">{ago(c.closed_at)}</span>} hint={<>{time(c.closed_at)} · due {time(c.due_at)}</>} />
          : <Stat label="Due" value={<span className="ec-stat-small"><Due c={c} /></span>} hint={<>{time(c.due_at)} · SLA of {c.queue}</>} tone={isOverdue(c) ? 'bad' : undefined} />}
        <Stat label="Assignee" value={<span className="ec-stat-small">{actorName(c.assignee)}</span>} hint={c.status === 'closed' ? `closed by ${actorName(c.closed_by)}` : c.claimed_at ? `claimed ${ago(c.claimed_at)}` : 'unclaimed'} />
      </div>

      <div className="ec-case-layout">
        <div className="case-main">
          {appeal && <AppealCard c={c} enf={enf.data} notes={notes} />}
          <Card title="Evidence" actions={<span className="muted small">{decisions.length} decision{decisions.length === 1 ? '' : 's'} · newest first</span>}>
            {d.rules.length > 0 && (
              <div className="row ec-evidence-rules"><span className="muted small">Raised by</span>{d.rules.map((r) => <span key={r} className="ec-rule-chip">{r}</span>)}</div>
            )}
            {decisions.length === 0 ? (
              <p className="muted">{appeal ? 'An appeal carries the statement and the enforcement under appeal; the original case has the decisions.' : 'This case was opened by hand; its reason is in the notes below.'}
                {c.appeal_of !== null && <> See <Link to={`/cases/${c.appeal_of}`}>case #{c.appeal_of}</Link>.</>}</p>
            ) : (
              <div className="ec-evidence-list">
                {decisions.slice().reverse().slice(0, allEvidence ? undefined : 5).map((e) => (
                  <div key={e.id} className="ec-evidence">
                    <div className="row ec-evidence-head">
                      <VerdictBadge verdict={e.verdict} />
                      <span className="mono">{e.event_type}</span>
                      <span className="muted small">score {num(e.score)}</span>
                      <span className="spacer" />
                      <span className="muted small" title={e.event_id ?? ''}>{time(e.event_ts)} · {e.strategy} · <span className="mono">{e.event_id}</span></span>
                    </div>
                    <RuleDetail rules={e.rules} />
                  </div>
                ))}
                {decisions.length > 5 && (
                  <button type="button" className="btn small" aria-expanded={allEvidence} onClick={() => setAllEvidence((a) => !a)}>
                    {allEvidence ? 'Only the newest 5' : `Show all ${decisions.length} decisions`}
                  </button>
                )}
              </div>
            )}
          </Card>

          <Card title="Related entities" actions={<span className="muted small">named in the same events · click to open</span>}>
            {c.related.length > 0 && (
              <div className="ec-chips" style={{ marginBottom: 12 }}>
                {c.related.map((r) => <Link key={r} to={entityPath(r)} className={`entity ec-chip-link ${isPseudonym(r) ? 'pseudo' : ''}`} title={isPseudonym(r) ? 'a personal id: Bulwark keeps only its pseudonym' : undefined}>{r}</Link>)}
              </div>
            )}
            {!personal && <LinksGraph type={etype} id={eid} height={280} />}
          </Card>

          <Card title="History and notes">
            <History actions={d.actions} notes={notes} appeal={appeal} />
            {reviewer && c.status !== 'closed' && <NoteForm caseId={c.id} pendingInfo={c.status === 'pending_info'} onAdded={detail.reload} />}
          </Card>
        </div>

        <div className="ec-case-side">
          {reviewer && (
            <section className="card ec-review-card" aria-label="Review">
              <div className="card-head"><h2>{c.status === 'closed' ? 'Outcome' : 'Review'}</h2>
                {mine && !outcome && (
                  <button type="button" className="btn small ghost" title="Put the case back in its queue for someone else" disabled={release.pending}
                    onClick={() => void release.run().then((r) => { if (r) detail.reload(); })}>Release</button>
                )}
                <span className="spacer" />
                <label className="ec-auto-advance" title="After each action, claim and open the next case">
                  <input type="checkbox" checked={auto} onChange={(e) => { setAuto(e.target.checked); localStorage.setItem(AUTO_KEY, e.target.checked ? '1' : '0'); e.target.blur(); /* so the shortcut keys work right away */ }} />
                  Auto-advance
                </label>
              </div>
              {outcome ? <OutcomeBanner o={outcome} strikes={strikes.data} onNext={goNext} nextPending={nextCase.pending} /> : c.status === 'closed' ? (
                <ClosedSummary c={c} d={d} />
              ) : (
                <Async state={reasons} what="Loading policy reasons">
                  {(r) => (
                    <ReviewPanel
                      key={c.id}
                      c={c}
                      rules={d.rules}
                      reasons={r.reasons}
                      policies={policies.data?.policies ?? []}
                      strikes={strikes.data}
                      ready={ready}
                      waiting={claim.pending || (c.status === 'open' && mayWork && tried.current !== id)}
                      onDone={onDone}
                      earlyKey={earlyKey}
                      onEarlyKey={() => setEarlyKey(null)}
                      defaultViolation={appeal ? enf.data?.history.find((e) => e.id === c.enforcement_id)?.reason : undefined}
                    />
                  )}
                </Async>
              )}
            </section>
          )}
          {!reviewer && c.status === 'closed' && <Card title="Outcome"><ClosedSummary c={c} d={d} /></Card>}
          <PersonaSummary entity={c.entity} personal={personal} persona={persona} enf={enf} strikes={strikes} />
        </div>
      </div>
      {help && <ShortcutHelp appeal={appeal} onClose={() => setHelp(false)} />}
    </>
  );
}

function ClaimNotice({ c, me, reviewer, mayWork, claimError, claiming, onClaim }: { c: Case; me: string; reviewer: boolean; mayWork: boolean; claimError: Error | null; claiming: boolean; onClaim: () => void }) {
  if (!reviewer) return null;
  if (c.excluded_reviewer === me) return <div className="ec-notice">You made the decision under appeal, so someone else must review this case.</div>;
  if (!mayWork) return <div className="ec-notice">This case is in <span className="mono">{c.queue}</span>, a queue you do not work.</div>;
  if (claimError) return <ErrorBox error={claimError} />;
  if (claiming) return <div className="ec-notice info"><span className="spinner small" aria-hidden="true" /> Claiming the case…</div>;
  if (c.status === 'claimed' && c.assignee !== me) return <div className="ec-notice">Claimed by <b>{actorName(c.assignee)}</b> {ago(c.claimed_at)}. It returns to the queue if they do not act within an hour.</div>;
  if (c.status === 'open') return <div className="ec-notice ec-notice-action"><span>In the <span className="mono">{c.queue}</span> queue, claimed by no one.</span><Button onClick={onClaim}>Claim it</Button></div>;
  if (c.status === 'pending_info') return <div className="ec-notice">Waiting for more information. Add a note with what was asked for to put the case back to work.</div>;
  return null;
}

function OutcomeBanner({ o, strikes, onNext, nextPending, compact, onClose }: { o: Outcome; strikes?: Strikes | null; onNext?: () => void; nextPending?: boolean; compact?: boolean; onClose?: () => void }) {
  const r = o.result;
  const words: Record<Action, string> = { confirm: 'Confirmed', clear: 'Cleared', escalate: 'Escalated', request_info: 'Information requested', uphold: 'Appeal rejected (upheld)', overturn: 'Appeal granted (overturned)' };
  const lines: string[] = [];
  for (const e of r.enforcements) lines.push(`${enforcementText(e)} applied${e.source === 'strike_policy' ? ' by the strike ladder' : ''}${e.expires_at ? ` until ${time(e.expires_at)}` : ''}`);
  for (const s of r.strikes) lines.push(`strike for ${s.reason} (expires ${time(s.expires_at).slice(0, 10)})`);
  for (const e of r.lifted) lines.push(`${enforcementText(e)} lifted`);
  if (r.removed_strikes.length) lines.push(`${r.removed_strikes.length} strike${r.removed_strikes.length === 1 ? '' : 's'} removed`);
  if (o.action === 'escalate') lines.push(`moved to ${r.case.queue}`);
  const tone = o.action === 'confirm' || o.action === 'uphold' ? 'bad' : o.action === 'clear' || o.action === 'overturn' ? 'good' : 'info';
  if (compact) {
    return (
      <div className={`ec-flash ${tone}`} role="status">
        <strong>Case #{o.caseId} {words[o.action].toLowerCase()}</strong> — <span className="mono">{o.entity}</span>{lines.length ? `: ${lines.join('; ')}` : ''}.
        {' '}<Link to={`/cases/${o.caseId}`}>Open it</Link>
        {onClose && <button type="button" className="btn small ghost" onClick={onClose} aria-label="Dismiss">✕</button>}
      </div>
    );
  }
  return (
    <div className={`ec-outcome tone-${tone}`} role="status">
      <strong>{words[o.action]}</strong>
      {lines.length > 0 && <ul>{lines.map((l) => <li key={l}>{l}</li>)}</ul>}
      {strikes && (o.action === 'confirm' || o.action === 'overturn') && <div className="small">{strikes.active.length} active strike{strikes.active.length === 1 ? '' : 's'} on {o.entity}.</div>}
      <div className="row" style={{ marginTop: 10 }}>
        {onNext && <NextCaseButton pending={!!nextPending} onClick={onNext} />}
        {!isPseudonym(o.entity) && <Link to={entityPath(o.entity)}>Open the entity page</Link>}
      </div>
    </div>
  );
}

function ClosedSummary({ c, d }: { c: Case; d: CaseDetail }) {
  const last = [...d.actions].reverse().find((a) => ['confirm', 'clear', 'uphold', 'overturn'].includes(a.action));
  return (
    <div className="ec-closed-summary">
      <div className="row"><CaseStatusBadge c={c} /><span className="small">reason <span className="mono">{c.reason}</span></span></div>
      <div className="muted small">by {actorName(c.closed_by)} {ago(c.closed_at)}</div>
      {last?.note && <blockquote>{last.note}</blockquote>}
      {d.enforcements.length > 0 && (
        <div className="small" style={{ marginTop: 8 }}>Enforcement from this case: {d.enforcements.map((e) => <Badge key={e.id} tone={e.lifted_at ? 'neutral' : 'bad'}>{enforcementText(e)}{e.lifted_at ? ' (lifted)' : ''}</Badge>)}</div>
      )}
      {c.overturned_at && <div className="small" style={{ marginTop: 6 }}>Overturned on appeal {ago(c.overturned_at)}.</div>}
    </div>
  );
}

function AppealCard({ c, enf, notes }: { c: Case; enf: Enforcements | null; notes: Evidence[] }) {
  const original = enf?.history.find((e) => e.id === c.enforcement_id) ?? null;
  const statement = notes.find((n) => n.source === 'appeal')?.note ?? c.summary;
  const active = original && enf?.active.some((e) => e.id === original.id);
  return (
    <Card title="Appeal" className="ec-appeal-card">
      <h3>Statement</h3>
      <blockquote className="ec-statement">{statement}</blockquote>
      <h3>Enforcement under appeal</h3>
      {!original ? <p className="muted small">{enf ? `Enforcement #${c.enforcement_id} was not found.` : 'Loading…'}</p> : (
        <div className="row">
          <Badge tone={active ? 'bad' : 'neutral'}>{enforcementText(original)}</Badge>
          <span className="small">for <span className="mono">{original.reason}</span>, {original.source === 'strike_policy' ? 'by the strike ladder' : `by ${actorName(original.created_by)}`} {ago(original.created_at)}</span>
          {!active && <span className="muted small">(no longer in force)</span>}
          <span className="spacer" />
          {c.appeal_of !== null && <Link to={`/cases/${c.appeal_of}`}>Original case #{c.appeal_of}</Link>}
        </div>
      )}
      <p className="muted small" style={{ marginBottom: 0 }}>Uphold keeps it; overturn lifts it, anything its strikes escalated to, and removes the strikes. {c.excluded_reviewer && <>The original reviewer ({actorName(c.excluded_reviewer)}) cannot decide this appeal.</>}</p>
    </Card>
  );
}

function PersonaSummary({ entity, personal, persona, enf, strikes }: { entity: string; personal: boolean; persona: { data: Persona | null; error: Error | null; loading: boolean; reload: () => void }; enf: { data: Enforcements | null }; strikes: { data: Strikes | null } }) {
  const p = persona.data;
  const verdicts = new Map<string, number>();
  for (const d of p?.decisions ?? []) verdicts.set(d.verdict, (verdicts.get(d.verdict) ?? 0) + 1);
  const features = p ? rankFeatures(p.features).filter((f) => f.value !== null && f.value !== 0).slice(0, 8) : [];
  return (
    <Card title="Persona" actions={personal ? undefined : <Link to={entityPath(entity)} className="small">Full page →</Link>}>
      <div className="ec-persona-entity"><span className="entity">{entity}</span></div>
      <div className="ec-persona-block" data-testid="case-enforcement">
        <h3>Enforcement</h3>
        {!enf.data ? <span className="muted small">Loading…</span> : enf.data.active.length === 0 ? <span className="small ec-good-text">None in force</span> : (
          <div className="ec-chips">{enf.data.active.map((e) => <Badge key={e.id} tone={e.kind === 'warn' ? 'warn' : 'bad'} title={e.reason}>{enforcementText(e)}</Badge>)}</div>
        )}
        {enf.data && enf.data.history.length > enf.data.active.length && <div className="muted small">{enf.data.history.length - enf.data.active.length} past</div>}
      </div>
      <div className="ec-persona-block">
        <h3>Strikes</h3>
        {!strikes.data ? <span className="muted small">Loading…</span> : strikes.data.active.length === 0 ? <span className="muted small">No active strikes{strikes.data.history.length ? ` (${strikes.data.history.length} past)` : ''}</span> : (
          <div className="ec-chips">{Object.entries(strikes.data.active.reduce<Record<string, number>>((a, s) => ({ ...a, [s.reason]: (a[s.reason] ?? 0) + 1 }), {})).map(([r, n]) => <Badge key={r} tone="warn">{n} × {r}</Badge>)}</div>
        )}
      </div>
      {personal ? <p className="muted small">A personal id: Bulwark keeps only its pseudonym, so there is no persona to show.</p> : persona.error && !p ? <ErrorBox error={persona.error} retry={persona.reload} /> : !p ? <Loading what="Loading persona" /> : (
        <>
          <div className="ec-persona-block">
            <h3>Labels</h3>
            {p.labels.length === 0 ? <span className="muted small">None</span> : <div className="ec-chips">{p.labels.map((l) => <Badge key={l.label} tone="info" title={l.expires_at ? `until ${time(l.expires_at)}` : 'no expiry'}>{l.label}</Badge>)}</div>}
            {p.lists.length > 0 && <div className="ec-chips" style={{ marginTop: 4 }}>{p.lists.map((l) => <Badge key={l} tone="warn">list {l}</Badge>)}</div>}
          </div>
          <div className="ec-persona-block">
            <h3>Recent decisions</h3>
            {p.decisions.length === 0 ? <span className="muted small">None kept</span> : (
              <div className="row small">{num(p.decisions.length)} · {(['block', 'review', 'challenge', 'allow'] as const).filter((v) => verdicts.get(v)).map((v) => <span key={v} className="row" style={{ gap: 3 }}><VerdictBadge verdict={v} />{verdicts.get(v)}</span>)}</div>
            )}
          </div>
          <div className="ec-persona-block">
            <h3>Key features</h3>
            {features.length === 0 ? <span className="muted small">All zero</span> : (
              <table className="ec-features"><tbody>
                {features.map((f, i) => <tr key={`${f.signature}-${i}`} title={f.signature}><td className="mono">{f.name ?? f.signature}</td><td className="num">{featureValue(f)}</td></tr>)}
              </tbody></table>
            )}
          </div>
        </>
      )}
    </Card>
  );
}

function History({ actions, notes, appeal }: { actions: CaseAction[]; notes: Evidence[]; appeal: boolean }) {
  type Item = { at: string; who: string; what: string; reason?: string | null; text?: string | null; key: string };
  const added = actions.filter((a) => a.action === 'evidence');
  const items: Item[] = [
    ...actions.filter((a) => a.action !== 'note' && a.action !== 'evidence').map((a) => ({ key: `a${a.id}`, at: a.at, who: a.actor, what: a.action, reason: a.reason, text: a.action === 'open' ? null : a.note })),
    // Every later decision about the entity adds evidence: one line for all of them.
    ...(added.length ? [{ key: 'evidence', at: added[added.length - 1]!.at, who: added[added.length - 1]!.actor, what: 'evidence', text: `${added.length} more decision${added.length === 1 ? '' : 's'} added since the case opened (first ${ago(added[0]!.at)})` }] : []),
    ...notes.filter((n) => !(appeal && n.source === 'appeal')).map((n) => ({ key: `n${n.id}`, at: n.added_at, who: n.added_by, what: 'note', text: n.note })),
  ].sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
  if (items.length === 0) return <Empty title="No history yet" />;
  return (
    <ol className="ec-history">
      {items.map((i) => (
        <li key={i.key} className={`h-${i.what}`}>
          <div className="row">
            <b>{i.what.replace('_', ' ')}</b>
            <span className="small">by {actorName(i.who)}</span>
            {i.reason && <span className="mono small">{i.reason}</span>}
            <span className="spacer" />
            <span className="muted small" title={time(i.at)}>{ago(i.at)}</span>
          </div>
          {i.text && <div className="ec-history-text">{i.text}</div>}
        </li>
      ))}
    </ol>
  );
}

function NoteForm({ caseId, pendingInfo, onAdded }: { caseId: number; pendingInfo: boolean; onAdded: () => void }) {
  const [note, setNote] = useState('');
  const add = useAction((n: string) => post(`/v1/cases/${caseId}/notes`, { note: n }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    const r = await add.run(note.trim());
    if (r) { setNote(''); onAdded(); }
  };
  return (
    <form className="ec-note-form" onSubmit={submit}>
      <label>
        {pendingInfo ? 'Add the information asked for' : 'Add a note'}
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={8000} placeholder={pendingInfo ? 'The case goes back to work when a note is added' : 'Visible to everyone who opens the case'} />
      </label>
      <div className="row">
        <Button type="submit" pending={add.pending} disabled={!note.trim()}>Add note</Button>
        {add.error && <span className="form-error small">{add.error.message}</span>}
      </div>
    </form>
  );
}

function ShortcutHelp({ appeal, onClose }: { appeal: boolean; onClose: () => void }) {
  const rows: [string, string][] = [
    ['n', 'Next case: claim and open the most urgent case'],
    ['c', appeal ? 'Uphold the enforcement' : 'Confirm: apply the enforcement and a strike'],
    ['x', appeal ? 'Overturn: lift the enforcement' : 'Clear: no violation'],
    ['e', 'Escalate to the escalations queue'],
    ['i', 'Request more information'],
    ['?', 'Show or hide this help'],
  ];
  return (
    <div className="ec-modal-backdrop" onClick={onClose}>
      <div className="ec-modal" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <div className="card-head"><h2>Keyboard shortcuts</h2><button type="button" className="btn small ghost" onClick={onClose} aria-label="Close">✕</button></div>
        <table><tbody>{rows.map(([k, t]) => <tr key={k}><td style={{ width: 40 }}><Kbd>{k}</Kbd></td><td>{t}</td></tr>)}</tbody></table>
        <p className="muted small" style={{ marginBottom: 0 }}>The actions use the reasons and enforcement selected in the review panel. Keys do nothing while you type in a field.</p>
      </div>
    </div>
  );
}
