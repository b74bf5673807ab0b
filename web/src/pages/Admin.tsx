// Users and keys: who can sign in to the console with which role, and the API keys services use.
import { Fragment, useRef, useState, type FormEvent } from 'react';
import { patch, post, del } from '../api.ts';
import { useAction, useApi, useSession } from '../hooks.ts';
import { Async, Badge, Button, Card, Empty, ErrorBox, PageHeader } from '../ui.tsx';
import { ago, time } from '../format.ts';
import { QueuePicker } from './admin/QueuePicker.tsx';
import './admin/admin.css';

type Role = 'admin' | 'analyst' | 'reviewer' | 'viewer';
const ROLES: { role: Role; what: string }[] = [
  { role: 'admin', what: 'everything, including users, keys and queues' },
  { role: 'analyst', what: 'read, write strategies and lists, audit log, open cases' },
  { role: 'reviewer', what: 'read, work review cases and appeals' },
  { role: 'viewer', what: 'read only' },
];
const ROLE_TONE: Record<Role, 'bad' | 'info' | 'good' | 'neutral'> = { admin: 'bad', analyst: 'info', reviewer: 'good', viewer: 'neutral' };
const USERNAME = /^[a-z0-9._-]{2,64}$/;

interface User { username: string; role: Role; queues: string[] | null; created_at: string; created_by: string; disabled_at: string | null }
type Scope = 'ingest' | 'read' | 'admin';
const SCOPES: { scope: Scope; what: string }[] = [
  { scope: 'ingest', what: 'send events for decisions' },
  { scope: 'read', what: 'read decisions, entities, strategies' },
  { scope: 'admin', what: 'manage strategies, lists, keys, users' },
];
interface ApiKey { id: string; name: string; scopes: Scope[]; prefix: string; created_at: string; created_by: string; revoked_at: string | null; revoked_by: string | null }

function randomPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function Admin() {
  const queues = useApi<{ queues: { name: string }[] }>('/v1/queues');
  const known = queues.data ? queues.data.queues.map((q) => q.name) : null;
  return (
    <>
      <PageHeader title="Users and keys" subtitle="Console users and their roles; API keys for services that send events or read decisions" />
      <UsersSection known={known} />
      <KeysSection />
    </>
  );
}

// ---------------------------------------------------------------- users

function UsersSection({ known }: { known: string[] | null }) {
  const users = useApi<{ users: User[] }>('/v1/users');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState<{ name: string; password: string } | null>(null);
  return (
    <Card title="Users" actions={!creating && <Button variant="primary" onClick={() => { setCreating(true); setNotice(null); setNewPassword(null); }}>New user</Button>}>
      {creating && <CreateUser known={known} onDone={(r) => {
        setCreating(false);
        if (!r) return;
        users.reload();
        if (r.generated) setNewPassword({ name: r.name, password: r.password });
        else setNotice(`Created ${r.name}. Give them the password over a safe channel; they sign in at ${location.origin}.`);
      }} />}
      {newPassword && <SecretBox title={`Created ${newPassword.name}. Copy the generated password now — it will not be shown again.`} hint={`Give it to them over a safe channel; they sign in at ${location.origin}.`} secret={newPassword.password} label="Generated password" onClose={() => setNewPassword(null)} />}
      {notice && <div className="notice" role="status">{notice}<button className="btn small ghost" onClick={() => setNotice(null)} aria-label="Dismiss">×</button></div>}
      <Async state={users} what="Loading users">
        {({ users: list }) => list.length === 0 ? (
          <Empty title="No console users">Create one with <strong>New user</strong>; an admin password is printed on the server's first start.</Empty>
        ) : (
          <table className="users-table">
            <thead><tr><th>Username</th><th>Role</th><th>Queues</th><th>Created</th><th>Status</th><th /></tr></thead>
            <tbody>
              {list.map((u) => editing === u.username ? (
                <EditUser key={u.username} user={u} known={known} onDone={(changed) => { setEditing(null); if (changed) { setNotice(`Saved ${u.username}.`); users.reload(); } }} />
              ) : (
                <tr key={u.username} className={u.disabled_at ? 'disabled' : ''}>
                  <td><strong>{u.username}</strong></td>
                  <td><Badge tone={ROLE_TONE[u.role]}>{u.role}</Badge></td>
                  <td>{u.queues === null ? <span className="muted">all</span> : u.queues.length === 0 ? <span className="muted">none</span> : <span className="chips">{u.queues.map((q) => <code key={q} className="chip">{q}</code>)}</span>}</td>
                  <td title={time(u.created_at)}>{ago(u.created_at)} <span className="muted small">by {u.created_by}</span></td>
                  <td>{u.disabled_at ? <Badge tone="bad" title={`since ${time(u.disabled_at)}`}>disabled</Badge> : <Badge tone="good">active</Badge>}</td>
                  <td className="actions-cell"><Button variant="ghost" className="btn small" onClick={() => { setEditing(u.username); setNotice(null); }} aria-label={`Edit ${u.username}`}>Edit</Button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
    </Card>
  );
}

function RoleSelect({ value, onChange, disabled }: { value: Role; onChange: (r: Role) => void; disabled?: boolean }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Role)} disabled={disabled} aria-label="Role">
      {ROLES.map((r) => <option key={r.role} value={r.role}>{r.role}</option>)}
    </select>
  );
}

function CreateUser({ known, onDone }: { known: string[] | null; onDone: (created: { name: string; password: string; generated: boolean } | null) => void }) {
  const [generated, setGenerated] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const [queues, setQueues] = useState<string[] | null>(null);
  const create = useAction(() => post('/v1/users', { username, role, password, queues }));
  const nameOk = USERNAME.test(username);
  const pwOk = password.length >= 12;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!nameOk || !pwOk) return;
    if (await create.run()) onDone({ name: username, password, generated: generated !== null && generated === password });
  };
  return (
    <form className="sub-form" onSubmit={submit} aria-label="New user">
      <div className="form-grid">
        <label>Username<input value={username} onChange={(e) => setUsername(e.target.value.toLowerCase())} placeholder="alice" autoFocus required autoComplete="off" /></label>
        <label>Role<RoleSelect value={role} onChange={setRole} /><span className="field-hint">{ROLES.find((r) => r.role === role)!.what}</span></label>
        <label>Password
          <span className="pw-row">
            <input type={shown ? 'text' : 'password'} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required minLength={12} aria-label="Password" />
            <button type="button" className="btn small" onClick={() => { const p = randomPassword(); setPassword(p); setGenerated(p); setShown(true); }}>Generate</button>
          </span>
          <span className={`field-hint ${password && !pwOk ? 'warn-text' : ''}`}>At least 12 characters</span>
        </label>
        <QueuePicker value={queues} onChange={setQueues} known={known} />
      </div>
      {username && !nameOk && <p className="small warn-text">A username is 2 to 64 lower-case letters, digits, “.”, “_” or “-”.</p>}
      {create.error && <div className="form-error" role="alert">{create.error.message}</div>}
      <div className="row">
        <Button type="submit" variant="primary" pending={create.pending} disabled={!nameOk || !pwOk}>Create user</Button>
        <Button type="button" variant="ghost" onClick={() => onDone(null)}>Cancel</Button>
      </div>
    </form>
  );
}

function EditUser({ user, known, onDone }: { user: User; known: string[] | null; onDone: (changed: boolean) => void }) {
  const { me } = useSession();
  const self = me.actor === `user:${user.username}`;
  const [role, setRole] = useState<Role>(user.role);
  const [queues, setQueues] = useState<string[] | null>(user.queues);
  const [disabled, setDisabled] = useState(user.disabled_at !== null);
  const [password, setPassword] = useState('');
  const save = useAction(() => {
    const body: Record<string, unknown> = {};
    if (role !== user.role) body.role = role;
    if (JSON.stringify(queues) !== JSON.stringify(user.queues)) body.queues = queues;
    if (disabled !== (user.disabled_at !== null)) body.disabled = disabled;
    if (password) body.password = password;
    return patch(`/v1/users/${encodeURIComponent(user.username)}`, body);
  });
  const pwOk = password === '' || password.length >= 12;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pwOk) return;
    if (await save.run()) onDone(true);
  };
  return (
    <tr className="editing">
      <td colSpan={6}>
        <form className="sub-form edit-user" onSubmit={submit} aria-label={`Edit ${user.username}`}>
          <div className="edit-title"><strong>{user.username}</strong>{self && <span className="muted small"> (you)</span>}</div>
          <div className="form-grid">
            <label>Role<RoleSelect value={role} onChange={setRole} disabled={self} />{self && <span className="field-hint">You cannot change your own role.</span>}</label>
            <QueuePicker value={queues} onChange={setQueues} known={known} />
            <label>New password<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder="leave blank to keep" autoComplete="new-password" />
              <span className={`field-hint ${!pwOk ? 'warn-text' : ''}`}>Changing it signs the user out everywhere</span>
            </label>
            <label className="check disable-check">
              <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} disabled={self} />
              Disabled: cannot sign in; ends their sessions
            </label>
          </div>
          {save.error && <div className="form-error" role="alert">{save.error.message}</div>}
          <div className="row">
            <Button type="submit" variant="primary" pending={save.pending} disabled={!pwOk}>Save</Button>
            <Button type="button" variant="ghost" onClick={() => onDone(false)}>Cancel</Button>
          </div>
        </form>
      </td>
    </tr>
  );
}

// ---------------------------------------------------------------- keys

function KeysSection() {
  const keys = useApi<{ keys: ApiKey[] }>('/v1/keys');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const revoke = useAction((id: string) => del(`/v1/keys/${encodeURIComponent(id)}`));
  const doRevoke = async (id: string) => {
    if (await revoke.run(id)) { setConfirm(null); keys.reload(); }
  };
  return (
    <Card title="API keys" actions={!creating && <Button variant="primary" onClick={() => { setCreating(true); setCreated(null); }}>New API key</Button>}>
      {creating && <CreateKey onDone={(k) => { setCreating(false); if (k) { setCreated(k); keys.reload(); } }} />}
      {created && (
        <SecretBox
          title={`Copy the key for “${created.name}” now — it will not be shown again.`} hint="Bulwark stores only a hash of it. If it is lost, revoke it and create another."
          secret={created.key} label="New API key" onClose={() => setCreated(null)}
        />
      )}
      <ErrorBox error={revoke.error} />
      <Async state={keys} what="Loading keys">
        {({ keys: list }) => list.length === 0 ? (
          <Empty title="No API keys">Create one for each service that sends events (<code>ingest</code>) or reads decisions (<code>read</code>).</Empty>
        ) : (
          <table className="keys-table">
            <thead><tr><th>Name</th><th>Key</th><th>Scopes</th><th>Created</th><th>Status</th><th /></tr></thead>
            <tbody>
              {[...list].sort((a, b) => Number(a.revoked_at !== null) - Number(b.revoked_at !== null)).map((k) => (
                <Fragment key={k.id}>
                  <tr className={`${k.revoked_at ? 'disabled' : ''} ${confirm === k.id ? 'confirming' : ''}`}>
                    <td><strong>{k.name}</strong><div className="muted small mono">{k.id}</div></td>
                    <td className="mono">{k.prefix}…</td>
                    <td><span className="chips">{k.scopes.map((s) => <Badge key={s} tone={s === 'admin' ? 'bad' : s === 'ingest' ? 'info' : 'neutral'}>{s}</Badge>)}</span></td>
                    <td title={time(k.created_at)}>{ago(k.created_at)} <span className="muted small">by {k.created_by}</span></td>
                    <td>{k.revoked_at ? <Badge tone="bad" title={`${time(k.revoked_at)} by ${k.revoked_by ?? '?'}`}>revoked {ago(k.revoked_at)}</Badge> : <Badge tone="good">active</Badge>}</td>
                    <td className="actions-cell">
                      {!k.revoked_at && confirm !== k.id && (
                        <Button variant="ghost" className="btn small ghost danger-text" onClick={() => { setConfirm(k.id); revoke.clear(); }} aria-label={`Revoke ${k.name}`}>Revoke</Button>
                      )}
                    </td>
                  </tr>
                  {confirm === k.id && (
                    <tr className="confirm-row">
                      <td colSpan={6}>
                        <div className="confirm-box" role="group" aria-label={`Confirm revoking ${k.name}`}>
                          <span>Revoke <strong>{k.name}</strong>? Services using this key are refused at once; this cannot be undone.</span>
                          <span className="spacer" />
                          <Button variant="danger" pending={revoke.pending} onClick={() => doRevoke(k.id)}>Revoke key</Button>
                          <Button variant="ghost" onClick={() => setConfirm(null)}>Cancel</Button>
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </Async>
    </Card>
  );
}

function CreateKey({ onDone }: { onDone: (k: { name: string; key: string } | null) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['ingest']);
  const create = useAction(() => post<{ id: string; key: string }>('/v1/keys', { name: name.trim(), scopes }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || scopes.length === 0) return;
    const r = await create.run();
    if (r) onDone({ name: name.trim(), key: r.key });
  };
  return (
    <form className="sub-form" onSubmit={submit} aria-label="New API key">
      <div className="form-grid">
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} placeholder="checkout-service" maxLength={100} autoFocus required /></label>
        <fieldset className="scopes">
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s.scope} className="check">
              <input type="checkbox" checked={scopes.includes(s.scope)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s.scope] : scopes.filter((x) => x !== s.scope))} />
              <span><strong>{s.scope}</strong> <span className="muted">— {s.what}</span></span>
            </label>
          ))}
        </fieldset>
      </div>
      {scopes.length === 0 && <p className="small warn-text">Pick at least one scope.</p>}
      {create.error && <div className="form-error" role="alert">{create.error.message}</div>}
      <div className="row">
        <Button type="submit" variant="primary" pending={create.pending} disabled={!name.trim() || scopes.length === 0}>Create key</Button>
        <Button type="button" variant="ghost" onClick={() => onDone(null)}>Cancel</Button>
      </div>
    </form>
  );
}

/** A secret shown once (a new API key, a generated password), with a copy button. */
function SecretBox({ title, hint, secret, label, onClose }: { title: string; hint: string; secret: string; label: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      input.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
  };
  return (
    <div className="new-key" role="alert">
      <div className="new-key-head">
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 2 21h20zM12 10v5M12 18v.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" /></svg>
        <strong>{title}</strong>
      </div>
      <p className="small">{hint}</p>
      <div className="new-key-row">
        <input ref={input} readOnly value={secret} aria-label={label} className="mono" onFocus={(e) => e.target.select()} />
        <Button variant="primary" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>
        <Button variant="ghost" onClick={onClose}>I have stored it</Button>
      </div>
    </div>
  );
}
