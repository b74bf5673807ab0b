// The review actions of a case: a policy reason, the enforcement for a confirm, a note, and the buttons (with keys).
import { useEffect, useRef, useState } from 'react';
import { post } from '../../api.ts';
import { useAction, useKeys } from '../../hooks.ts';
import { Button, ErrorBox, Kbd } from '../../ui.tsx';
import type { Case, Enforcement, Strike, Strikes } from '../entities/types.ts';

export interface Reason { code: string; kind: 'violation' | 'benign'; title: string }
export interface StrikePolicy { reason: string; strike_days: number; ladder: { strikes: number; kind: string; capability?: string; duration_days?: number }[] }
export type Action = 'confirm' | 'clear' | 'escalate' | 'request_info' | 'uphold' | 'overturn';
export interface ActionResult { case: Case; enforcements: Enforcement[]; strikes: Strike[]; lifted: Enforcement[]; removed_strikes: Strike[] }

const CAPABILITIES = ['post', 'message', 'buy', 'sell', 'live', 'withdraw'];
const ENFORCEMENTS: { value: string; label: string }[] = [
  { value: 'ban', label: 'Ban' },
  { value: 'suspend:1', label: 'Suspend 1 day' },
  { value: 'suspend:7', label: 'Suspend 7 days' },
  { value: 'suspend:30', label: 'Suspend 30 days' },
  { value: 'restrict', label: 'Restrict a capability' },
  { value: 'warn', label: 'Warn' },
  { value: 'remove_content', label: 'Remove content' },
];
/**
 * The enforcement a confirm starts with, by reason: a taken-over account is the victim's (lock it for a day,
 * don't ban it); a first spam finding warns (the strike ladder escalates repeat spammers); the rest ban.
 */
const DEFAULT_ENFORCEMENT: Record<string, string> = { takeover: 'suspend:1', spam: 'warn', underage: 'suspend:30' };
const enforcementFor = (reason: string) => DEFAULT_ENFORCEMENT[reason] ?? 'ban';
/** Queue names that differ from the reason code they usually mean. */
const QUEUE_REASON: Record<string, string> = { growth_fraud: 'referral_abuse', referral: 'referral_abuse', account_takeover: 'takeover', ato: 'takeover', click_farm: 'fake_engagement' };

/** The violation reason that fits a case best: its queue, then its rules and summary; else the first. */
export function guessViolation(c: Pick<Case, 'queue' | 'summary'>, rules: string[], reasons: Reason[]): string {
  const v = reasons.filter((r) => r.kind === 'violation');
  if (v.length === 0) return '';
  const singular = (s: string) => s.replace(/s$/, '');
  const q = QUEUE_REASON[c.queue] ?? c.queue;
  const hit = v.find((r) => r.code === q) ?? v.find((r) => singular(r.code) === singular(q))
    ?? v.find((r) => rules.some((x) => x.includes(r.code) || x.includes(singular(r.code))))
    ?? v.find((r) => q.includes(singular(r.code)) || r.code.includes(singular(q)));
  return (hit ?? v[0]!).code;
}

export function guessBenign(reasons: Reason[]): string {
  const b = reasons.filter((r) => r.kind === 'benign');
  return (b.find((r) => r.code === 'false_positive') ?? b[0])?.code ?? '';
}

function specOf(choice: string, capability: string, restrictDays: string, content: string) {
  if (choice.startsWith('suspend:')) return { kind: 'suspend', duration_seconds: Number(choice.slice(8)) * 86400 };
  if (choice === 'restrict') return { kind: 'restrict', capability, ...(restrictDays ? { duration_seconds: Number(restrictDays) * 86400 } : {}) };
  if (choice === 'remove_content') return { kind: 'remove_content', content: content.trim() };
  return { kind: choice };
}

/**
 * `ready`: the case is claimed by the viewer (or they are an admin) and can be acted on. Keys pressed while the
 * case is still loading or being claimed are kept and run once it is ready.
 */
export function ReviewPanel({ c, rules, reasons, policies, strikes, ready, waiting, onDone, defaultViolation, earlyKey, onEarlyKey }: {
  c: Case; rules: string[]; reasons: Reason[]; policies: StrikePolicy[]; strikes: Strikes | null; ready: boolean; waiting: boolean; onDone: (action: Action, r: ActionResult) => void; defaultViolation?: string;
  /** A review key pressed before the panel was shown. */
  earlyKey?: string | null; onEarlyKey?: () => void;
}) {
  const appeal = c.kind === 'appeal';
  const violations = reasons.filter((r) => r.kind === 'violation');
  const benign = reasons.filter((r) => r.kind === 'benign');
  const [violation, setViolation] = useState(() => defaultViolation ?? guessViolation(c, rules, reasons));
  const [benignReason, setBenignReason] = useState(() => guessBenign(reasons));
  const [choice, setChoice] = useState(() => enforcementFor(violation));
  useEffect(() => { setChoice(enforcementFor(violation)); }, [violation]);
  const [capability, setCapability] = useState('post');
  const [restrictDays, setRestrictDays] = useState('30');
  const [content, setContent] = useState('');
  const [note, setNote] = useState('');
  const [queued, setQueued] = useState<Action | null>(null);
  useEffect(() => { if (defaultViolation) setViolation(defaultViolation); }, [defaultViolation]);

  const act = useAction(async (action: Action) => {
    const negative = action === 'clear' || action === 'overturn';
    const body: Record<string, unknown> = { action, reason: negative ? benignReason : violation };
    if (note.trim()) body.note = note.trim();
    if (action === 'confirm') body.enforcement = specOf(choice, capability, restrictDays, content);
    return post<ActionResult>(`/v1/cases/${c.id}/actions`, body);
  });

  const contentMissing = choice === 'remove_content' && !content.trim();
  const can = (a: Action) => {
    if (!ready || act.pending) return false;
    if (a === 'confirm') return !appeal && !!violation && !contentMissing;
    if (a === 'uphold') return appeal && !!violation;
    if (a === 'clear' || a === 'overturn') return (a === 'overturn') === appeal && !!benignReason;
    return !!violation;
  };
  const run = async (a: Action) => {
    if (!can(a)) return;
    const r = await act.run(a);
    if (r) { setNote(''); onDone(a, r); }
  };
  const runRef = useRef(run);
  runRef.current = run;

  const keyAction = (k: string): Action | null => {
    if (k === 'c') return appeal ? 'uphold' : 'confirm';
    if (k === 'x') return appeal ? 'overturn' : 'clear';
    if (k === 'e') return 'escalate';
    if (k === 'i') return 'request_info';
    return null;
  };
  useKeys((k, e) => {
    const a = keyAction(k);
    if (!a || c.status === 'closed') return;
    e.preventDefault();
    if (ready) void runRef.current(a);
    else if (waiting) setQueued(a);
  }, [ready, waiting, appeal, c.status]);
  useEffect(() => {
    if (!earlyKey) return;
    onEarlyKey?.();
    const a = keyAction(earlyKey);
    if (a && c.status !== 'closed' && (ready || waiting)) setQueued(a);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [earlyKey]);
  useEffect(() => {
    if (queued && ready) { setQueued(null); void runRef.current(queued); }
  }, [queued, ready]);

  const policy = policies.find((p) => p.reason === violation);
  const active = strikes?.active.filter((s) => s.reason === violation).length ?? 0;
  const nextStep = policy?.ladder.filter((s) => s.strikes > active).sort((a, b) => a.strikes - b.strikes)[0];
  const stepText = (s: StrikePolicy['ladder'][number]) => `${s.kind}${s.capability ? ` ${s.capability}` : ''}${s.duration_days ? ` ${s.duration_days}d` : ''}`;

  const btn = (a: Action, label: string, key: string, variant: 'primary' | 'danger' | 'default' = 'default', title?: string) => (
    <Button variant={variant} onClick={() => void run(a)} disabled={!can(a)} aria-keyshortcuts={key} title={title}>
      {label}<span aria-hidden="true" className="ec-kbd-hint"><Kbd>{key}</Kbd></span>
    </Button>
  );

  return (
    <div className="ec-review-panel">
      <label>
        {appeal ? 'Reason to uphold' : 'Violation (for Confirm)'}
        <select value={violation} onChange={(e) => setViolation(e.target.value)}>
          {violations.map((r) => <option key={r.code} value={r.code}>{r.title} ({r.code})</option>)}
        </select>
      </label>
      {!appeal && (
        <>
          <label>
            Enforcement
            <select value={choice} onChange={(e) => setChoice(e.target.value)}>
              {ENFORCEMENTS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </label>
          {choice === 'restrict' && (
            <div className="row">
              <label>Capability<select value={capability} onChange={(e) => setCapability(e.target.value)}>{CAPABILITIES.map((x) => <option key={x}>{x}</option>)}</select></label>
              <label>For<select value={restrictDays} onChange={(e) => setRestrictDays(e.target.value)}><option value="7">7 days</option><option value="30">30 days</option><option value="90">90 days</option><option value="">until lifted</option></select></label>
            </div>
          )}
          {choice === 'remove_content' && (
            <label>Content id<input value={content} onChange={(e) => setContent(e.target.value)} placeholder="the post, listing or message id" /></label>
          )}
          <p className="ec-ladder small">
            Confirm adds a <b>{violation}</b> strike{strikes ? <> (this entity has {active} active)</> : null}.
            {policy ? (nextStep
              ? <> At {nextStep.strikes} the ladder applies <b>{stepText(nextStep)}</b>.</>
              : <> The ladder's last step is reached.</>)
              : <> No ladder for this reason: strikes expire after 90 days.</>}
          </p>
        </>
      )}
      <label>
        {appeal ? 'Reason to overturn' : 'No violation (for Clear)'}
        <select value={benignReason} onChange={(e) => setBenignReason(e.target.value)}>
          {benign.map((r) => <option key={r.code} value={r.code}>{r.title} ({r.code})</option>)}
        </select>
      </label>
      <label>
        Note (optional)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={4000} placeholder="What you saw; kept in the case history and the audit log" />
      </label>
      <div className="ec-review-buttons">
        {appeal ? (
          <>
            {btn('uphold', 'Uphold', 'c', 'danger', 'Keep the enforcement: the appeal is rejected')}
            {btn('overturn', 'Overturn', 'x', 'primary', 'Lift the enforcement and remove its strikes')}
          </>
        ) : (
          <>
            {btn('confirm', 'Confirm', 'c', 'danger', 'A violation: apply the enforcement and a strike')}
            {btn('clear', 'Clear', 'x', 'primary', 'No violation: close the case as benign')}
          </>
        )}
        {btn('escalate', 'Escalate', 'e', 'default', 'Send to the escalations queue for a senior reviewer')}
        {btn('request_info', 'Request info', 'i', 'default', 'Park the case until someone adds a note with more information')}
      </div>
      {act.pending && <div className="muted small row"><span className="spinner small" aria-hidden="true" />Applying…</div>}
      {queued && !ready && <div className="muted small">Will {queued.replace('_', ' ')} as soon as the case is claimed…</div>}
      {act.error && <ErrorBox error={act.error} />}
    </div>
  );
}
