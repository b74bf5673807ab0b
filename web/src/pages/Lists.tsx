// Lists: the named sets of values strategies test membership in (block lists, allow lists, …).
// Everyone who can read sees them; analysts can create lists and add or remove values.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { del, post } from '../api.ts';
import { useAction, useApi, useSession } from '../hooks.ts';
import { navigate, useLocation } from '../router.tsx';
import { Async, Badge, Button, Card, Empty, ErrorBox, PageHeader } from '../ui.tsx';
import { ago, num } from '../format.ts';
import './admin/lists.css';

interface ListInfo { name: string; kind: string; description: string; count: number; created_at: string; created_by: string }
interface ListValues { name: string; values: string[]; from_strategy: string[] }

const PAGE = 120;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function Lists() {
  const { can } = useSession();
  const { query } = useLocation();
  const asked = query.get('name');
  const lists = useApi<{ lists: ListInfo[] }>('/v1/lists');
  const [creating, setCreating] = useState(false);
  const select = (name: string | null) => navigate(name ? `/lists?name=${encodeURIComponent(name)}` : '/lists');

  return (
    <>
      <PageHeader
        title="Lists"
        subtitle="Named sets of values that strategies check membership in"
        actions={can('analyze') && !creating && <Button variant="primary" onClick={() => setCreating(true)}>New list</Button>}
      />
      {creating && <CreateList onDone={(name) => { setCreating(false); if (name) { lists.reload(); select(name); } }} />}
      <Async state={lists} what="Loading lists">
        {({ lists: all }) => { const selected = asked ?? all[0]?.name ?? null; return all.length === 0 ? (
          <Card>
            <Empty title="No lists yet">
              {can('analyze') ? <>Create one with <strong>New list</strong>, then add values; strategies refer to it by name.</> : 'An analyst or admin can create lists; strategies refer to them by name.'}
            </Empty>
          </Card>
        ) : (
          <div className="lists-layout">
            <nav className="card list-index" aria-label="Lists">
              {all.map((l) => (
                <button key={l.name} type="button" className={`list-item ${l.name === selected ? 'active' : ''}`} aria-current={l.name === selected ? 'true' : undefined} onClick={() => select(l.name)}>
                  <span className="list-item-head"><code>{l.name}</code><span className="count">{num(l.count)}</span></span>
                  {l.description && <span className="muted small list-desc">{l.description}</span>}
                </button>
              ))}
            </nav>
            <div className="list-detail">
              {selected && all.some((l) => l.name === selected) ? (
                <ListDetail key={selected} info={all.find((l) => l.name === selected)!} onChanged={lists.reload} />
              ) : selected ? (
                <Card><Empty title={`No list named ${selected}`}>Pick one on the left.</Empty></Card>
              ) : (
                <Card><Empty title="Pick a list">Choose a list on the left to see and edit its values.</Empty></Card>
              )}
            </div>
          </div>
        ); }}
      </Async>
    </>
  );
}

function CreateList({ onDone }: { onDone: (created: string | null) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(() => post('/v1/lists', { name, ...(description ? { description } : {}) }));
  const valid = NAME.test(name);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    if (await create.run()) onDone(name);
  };
  return (
    <Card title="New list">
      <form className="form-row" onSubmit={submit} aria-label="New list">
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} placeholder="blocked_ips" autoFocus required pattern="[A-Za-z_][A-Za-z0-9_]{0,63}" /></label>
        <label className="grow">Description<input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What the list holds and who maintains it" maxLength={1000} /></label>
        <div className="row">
          <Button type="submit" variant="primary" pending={create.pending} disabled={!valid}>Create list</Button>
          <Button type="button" variant="ghost" onClick={() => onDone(null)}>Cancel</Button>
        </div>
      </form>
      {name && !valid && <p className="muted small">A name starts with a letter or _ and holds letters, digits and _ (at most 64).</p>}
      {create.error && <div className="form-error" role="alert">{create.error.message}</div>}
    </Card>
  );
}

function ListDetail({ info, onChanged }: { info: ListInfo; onChanged: () => void }) {
  const { can } = useSession();
  const values = useApi<ListValues>(`/v1/lists/${encodeURIComponent(info.name)}`);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const editable = can('analyze');

  const filtered = useMemo(() => {
    const all = values.data?.values ?? [];
    const q = search.trim().toLowerCase();
    return q ? all.filter((v) => v.toLowerCase().includes(q)) : all;
  }, [values.data, search]);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE));
  useEffect(() => { if (page >= pages) setPage(pages - 1); }, [page, pages]);
  const shown = filtered.slice(page * PAGE, page * PAGE + PAGE);

  const remove = useAction((vals: string[]) => del<{ changed: number; count: number }>(`/v1/lists/${encodeURIComponent(info.name)}/values`, { values: vals }));
  const doRemove = async () => {
    const r = await remove.run([...picked]);
    setConfirming(false);
    if (r) {
      setNotice(`Removed ${num(r.changed)} value${r.changed === 1 ? '' : 's'}; the list now holds ${num(r.count)}.`);
      setPicked(new Set());
      values.reload();
      onChanged();
    }
  };
  const toggle = (v: string) => setPicked((s) => { const n = new Set(s); if (n.has(v)) n.delete(v); else n.add(v); return n; });
  const allShownPicked = shown.length > 0 && shown.every((v) => picked.has(v));
  const toggleShown = () => setPicked((s) => { const n = new Set(s); for (const v of shown) { if (allShownPicked) n.delete(v); else n.add(v); } return n; });
  const fromFiles = values.data?.from_strategy.length ?? 0;
  const hashed = (values.data?.values.length ?? 0) > 0 && values.data!.values.slice(0, 20).every((v) => v.startsWith('p_'));

  return (
    <>
      <Card>
        <div className="list-head">
          <div>
            <h2 className="list-title"><code>{info.name}</code> <Badge>{info.kind}</Badge></h2>
            <p className="muted list-meta">{info.description || <em>No description</em>}</p>
            <p className="muted small">
              {num(info.count)} value{info.count === 1 ? '' : 's'}{fromFiles ? ` + ${num(fromFiles)} from the strategy's files` : ''} · created {ago(info.created_at)} by {info.created_by}
            </p>
          </div>
        </div>
        {hashed && <p className="hashed-note small">Values are pseudonymised (<code>p_…</code>): this list holds personal data, stored keyed-hashed. Shown as the API returns them.</p>}
      </Card>

      {editable && <AddValues name={info.name} onAdded={(msg) => { setNotice(msg); values.reload(); onChanged(); }} />}
      {notice && <div className="notice" role="status">{notice}<button className="btn small ghost" onClick={() => setNotice(null)} aria-label="Dismiss">×</button></div>}

      <Card
        title="Values"
        actions={
          <div className="row">
            <input type="search" aria-label="Search values" placeholder="Search values" value={search} onChange={(e) => { setSearch(e.target.value); setPage(0); }} />
            {editable && (confirming ? (
              <span className="row confirm">
                <span className="small">Remove {num(picked.size)} value{picked.size === 1 ? '' : 's'}?</span>
                <Button variant="danger" pending={remove.pending} onClick={doRemove}>Remove</Button>
                <Button variant="ghost" onClick={() => setConfirming(false)}>Cancel</Button>
              </span>
            ) : (
              <Button disabled={picked.size === 0} onClick={() => setConfirming(true)}>Remove selected{picked.size ? ` (${num(picked.size)})` : ''}</Button>
            ))}
          </div>
        }
      >
        <ErrorBox error={remove.error} />
        <Async state={values} what="Loading values">
          {(v) => v.values.length === 0 ? (
            <Empty title={fromFiles ? 'No values added here yet' : 'This list is empty'}>
              {fromFiles ? `The ${num(fromFiles)} values below come from the strategy's files. ` : ''}
              {editable ? 'Paste values above, one per line, and add them.' : 'An analyst can add values to it.'}
            </Empty>
          ) : filtered.length === 0 ? (
            <Empty title={`No value matches “${search}”`}>Try a shorter search.</Empty>
          ) : (
            <>
              {editable && (
                <label className="check select-page">
                  <input type="checkbox" checked={allShownPicked} onChange={toggleShown} />
                  Select all {num(shown.length)} on this page
                </label>
              )}
              <ul className={`values-grid ${editable ? 'editable' : ''}`} aria-label={`Values of ${info.name}`}>
                {shown.map((val) => (
                  <li key={val} className={picked.has(val) ? 'picked' : ''}>
                    {editable ? (
                      <label className="check value-cell"><input type="checkbox" aria-label={`Select ${val}`} checked={picked.has(val)} onChange={() => toggle(val)} /><span className="mono">{val}</span></label>
                    ) : (
                      <span className="mono value-cell">{val}</span>
                    )}
                  </li>
                ))}
              </ul>
              <div className="pager">
                <span className="muted small">
                  {num(page * PAGE + 1)}–{num(Math.min(filtered.length, (page + 1) * PAGE))} of {num(filtered.length)}{search ? ` matching (${num(v.values.length)} in all)` : ''}
                </span>
                <span className="spacer" />
                <Button variant="ghost" disabled={page === 0} onClick={() => setPage(page - 1)} aria-label="Previous page">‹ Prev</Button>
                <span className="small">Page {page + 1} of {pages}</span>
                <Button variant="ghost" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} aria-label="Next page">Next ›</Button>
              </div>
            </>
          )}
        </Async>
      </Card>

      {values.data && values.data.from_strategy.length > 0 && (
        <Card title={<>From the live strategy <Badge tone="info">{num(values.data.from_strategy.length)}</Badge></>}>
          <p className="muted small">These values are declared in the strategy's files; change them by deploying a new strategy version.</p>
          <div className="chips">{values.data.from_strategy.slice(0, 200).map((v) => <code key={v} className="chip">{v}</code>)}</div>
          {values.data.from_strategy.length > 200 && <p className="muted small">…and {num(values.data.from_strategy.length - 200)} more.</p>}
        </Card>
      )}
    </>
  );
}

function AddValues({ name, onAdded }: { name: string; onAdded: (msg: string) => void }) {
  const [text, setText] = useState('');
  const lines = useMemo(() => [...new Set(text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')))], [text]);
  const add = useAction(() => post<{ changed: number; requested: number; count: number }>(`/v1/lists/${encodeURIComponent(name)}/values`, { values: lines }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!lines.length) return;
    const r = await add.run();
    if (r) {
      setText('');
      const dup = r.requested - r.changed;
      onAdded(`Added ${num(r.changed)} value${r.changed === 1 ? '' : 's'}${dup ? ` (${num(dup)} already there)` : ''}; the list now holds ${num(r.count)}.`);
    }
  };
  return (
    <Card title="Add values">
      <form onSubmit={submit} className="add-values" aria-label="Add values">
        <label>Values, one per line<textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder="One value per line" spellCheck={false} /></label>
        <div className="row">
          <Button type="submit" variant="primary" pending={add.pending} disabled={lines.length === 0}>Add values</Button>
          <span className="muted small">{lines.length > 0 && <strong>{num(lines.length)} distinct value{lines.length === 1 ? '' : 's'}. </strong>}Blank lines and lines starting with # are skipped; values already in the list are left alone.</span>
        </div>
        {add.error && <div className="form-error" role="alert">{add.error.message}</div>}
      </form>
    </Card>
  );
}
