// Enforcement, strikes and the repeat-offender ladder, as functions on an open transaction; and the state labels they imply.
import { appendAudit, ControlError, type Sql } from '../control/index.ts';
import { enqueueWebhook } from './webhooks.ts';

export const ENFORCEMENT_KINDS = ['ban', 'suspend', 'restrict', 'warn', 'remove_content'] as const;
export type EnforcementKind = (typeof ENFORCEMENT_KINDS)[number];
export const CAPABILITIES = ['post', 'message', 'buy', 'sell', 'live', 'withdraw'] as const;
export type Capability = (typeof CAPABILITIES)[number];
export type EnforcementSource = 'rule' | 'reviewer' | 'graph' | 'strike_policy' | 'api';

/** What a reviewer (or the API) asks for. */
export interface EnforcementSpec {
  kind: EnforcementKind;
  /** For restrict. */
  capability?: Capability;
  /** For remove_content: the content id. */
  content?: string;
  /** suspend needs one; restrict may have one; ban has none unless given. */
  duration_seconds?: number;
}

export interface Enforcement {
  id: number;
  entity: string;
  kind: EnforcementKind;
  capability: Capability | null;
  content: string | null;
  reason: string;
  source: EnforcementSource;
  case_id: number | null;
  strike_id: number | null;
  starts_at: Date;
  expires_at: Date | null;
  created_at: Date;
  created_by: string;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

export interface Strike {
  id: number;
  entity: string;
  reason: string;
  case_id: number | null;
  created_at: Date;
  created_by: string;
  expires_at: Date;
  removed_at: Date | null;
  removed_by: string | null;
  remove_reason: string | null;
}

export interface LadderStep { strikes: number; kind: EnforcementKind; capability?: Capability; duration_days?: number }

/** Warnings and removals are one-off; their labels say "recently" for this long. */
export const ONE_OFF_LABEL_SECONDS = 90 * 86400;
/** Default strike lifetime for reasons without a policy. */
export const DEFAULT_STRIKE_DAYS = 90;

const ENF_COLS = 'id, entity, kind, capability, content, reason, source, case_id, strike_id, starts_at, expires_at, created_at, created_by, lifted_at, lifted_by, lift_reason';
export const enforcementRow = (r: Enforcement): Enforcement => ({ ...r, id: Number(r.id), case_id: r.case_id === null ? null : Number(r.case_id), strike_id: r.strike_id === null ? null : Number(r.strike_id) });
export const strikeRow = (r: Strike): Strike => ({ ...r, id: Number(r.id), case_id: r.case_id === null ? null : Number(r.case_id) });
export const ACTIVE_ENFORCEMENT = `lifted_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;

export function checkSpec(spec: EnforcementSpec): void {
  if (!spec || !(ENFORCEMENT_KINDS as readonly string[]).includes(spec.kind)) throw new ControlError('invalid', `enforcement.kind must be one of ${ENFORCEMENT_KINDS.join(', ')}`);
  if (spec.kind === 'restrict') {
    if (!spec.capability || !(CAPABILITIES as readonly string[]).includes(spec.capability)) throw new ControlError('invalid', `restrict needs enforcement.capability, one of ${CAPABILITIES.join(', ')}`);
  } else if (spec.capability !== undefined) throw new ControlError('invalid', 'enforcement.capability is only for restrict');
  if (spec.kind === 'suspend' && spec.duration_seconds === undefined) throw new ControlError('invalid', 'suspend needs enforcement.duration_seconds');
  if (spec.duration_seconds !== undefined && (!Number.isInteger(spec.duration_seconds) || spec.duration_seconds < 60 || spec.duration_seconds > 10 * 365 * 86400)) {
    throw new ControlError('invalid', 'enforcement.duration_seconds must be an integer from 60 to ten years');
  }
  if (spec.kind === 'remove_content' && (typeof spec.content !== 'string' || spec.content === '')) throw new ControlError('invalid', 'remove_content needs enforcement.content (the content id)');
}

export async function insertEnforcement(
  tx: Sql,
  input: { entity: string; spec: EnforcementSpec; reason: string; source: EnforcementSource; caseId: number | null; strikeId?: number | null; actor: string },
): Promise<Enforcement> {
  const { spec } = input;
  checkSpec(spec);
  const seconds = spec.duration_seconds ?? (spec.kind === 'warn' || spec.kind === 'remove_content' ? ONE_OFF_LABEL_SECONDS : null);
  const [row] = await tx.query<Enforcement>(
    `INSERT INTO enforcements (entity, kind, capability, content, reason, source, case_id, strike_id, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::int IS NULL THEN NULL ELSE now() + $9::int * interval '1 second' END, $10)
     RETURNING ${ENF_COLS}`,
    [input.entity, spec.kind, spec.capability ?? null, spec.content ?? null, input.reason, input.source, input.caseId, input.strikeId ?? null, seconds, input.actor],
  );
  const e = enforcementRow(row!);
  await appendAudit(tx, { actor: input.actor, action: 'enforcement.create', target: input.entity, after: e });
  await enqueueWebhook(tx, 'enforcement.created', e);
  return e;
}

export async function liftEnforcement(tx: Sql, id: number, actor: string, reason: string): Promise<Enforcement> {
  const [prior] = await tx.query<Enforcement>(`SELECT ${ENF_COLS} FROM enforcements WHERE id = $1 FOR UPDATE`, [id]);
  if (!prior) throw new ControlError('not_found', `no enforcement ${id}`);
  if (prior.lifted_at) throw new ControlError('conflict', `enforcement ${id} was already lifted`);
  const [row] = await tx.query<Enforcement>(`UPDATE enforcements SET lifted_at = now(), lifted_by = $2, lift_reason = $3 WHERE id = $1 RETURNING ${ENF_COLS}`, [id, actor, reason]);
  const e = enforcementRow(row!);
  await appendAudit(tx, { actor, action: 'enforcement.lift', target: e.entity, before: enforcementRow(prior), after: e });
  await enqueueWebhook(tx, 'enforcement.lifted', e);
  return e;
}

/**
 * Adds a strike for a confirmed violation and applies the ladder step its count reaches (the highest
 * step at or below the number of active strikes of that reason), unless the entity is already banned.
 */
export async function addStrike(tx: Sql, input: { entity: string; reason: string; caseId: number | null; actor: string }): Promise<{ strike: Strike; escalation: Enforcement | null }> {
  const [policy] = await tx.query<{ strike_days: number; ladder: LadderStep[] }>('SELECT strike_days, ladder FROM strike_policies WHERE reason = $1', [input.reason]);
  const days = policy?.strike_days ?? DEFAULT_STRIKE_DAYS;
  const [row] = await tx.query<Strike>(
    `INSERT INTO strikes (entity, reason, case_id, created_by, expires_at) VALUES ($1, $2, $3, $4, now() + $5::int * interval '1 day') RETURNING *`,
    [input.entity, input.reason, input.caseId, input.actor, days],
  );
  const strike = strikeRow(row!);
  const [{ n }] = (await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM strikes WHERE entity = $1 AND reason = $2 AND removed_at IS NULL AND expires_at > now()',
    [input.entity, input.reason],
  )) as [{ n: number }];
  await appendAudit(tx, { actor: input.actor, action: 'strike.add', target: input.entity, after: { ...strike, active_for_reason: n } });
  const step = (policy?.ladder ?? []).filter((s) => s.strikes <= n).sort((a, b) => b.strikes - a.strikes)[0];
  if (!step) return { strike, escalation: null };
  const [banned] = await tx.query(`SELECT 1 FROM enforcements WHERE entity = $1 AND kind = 'ban' AND ${ACTIVE_ENFORCEMENT}`, [input.entity]);
  if (banned) return { strike, escalation: null };
  const escalation = await insertEnforcement(tx, {
    entity: input.entity,
    spec: { kind: step.kind, capability: step.capability, duration_seconds: step.duration_days ? step.duration_days * 86400 : undefined },
    reason: input.reason,
    source: 'strike_policy',
    caseId: input.caseId,
    strikeId: strike.id,
    actor: input.actor,
  });
  return { strike, escalation };
}

export async function removeStrike(tx: Sql, id: number, actor: string, reason: string): Promise<Strike> {
  const [row] = await tx.query<Strike>('UPDATE strikes SET removed_at = now(), removed_by = $2, remove_reason = $3 WHERE id = $1 AND removed_at IS NULL RETURNING *', [id, actor, reason]);
  if (!row) throw new ControlError('conflict', `strike ${id} is already removed`);
  const s = strikeRow(row);
  await appendAudit(tx, { actor, action: 'strike.remove', target: s.entity, before: { ...s, removed_at: null }, after: s });
  return s;
}

export const MODERATION_LABEL_PREFIXES = ['enforced:', 'strike:', 'strikes:', 'reviewed:'];

/**
 * The state labels strategies read (`account has label "enforced:ban"`), from what is in force now:
 * enforced:<kind> (enforced:restrict:<capability>), strike:<reason>, strikes:<n> for n = 1..5 (at least n
 * active strikes), reviewed:abuse / reviewed:benign (the latest review outcome). Value: expiry in ms, null = none.
 */
export async function desiredLabels(sql: Sql, entity: string): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  const put = (label: string, exp: Date | null) => {
    const v = exp === null ? null : exp.getTime();
    if (!out.has(label)) { out.set(label, v); return; }
    const cur = out.get(label)!;
    out.set(label, cur === null || v === null ? null : Math.max(cur, v));
  };
  for (const e of await sql.query<Enforcement>(`SELECT kind, capability, expires_at FROM enforcements WHERE entity = $1 AND ${ACTIVE_ENFORCEMENT}`, [entity])) {
    put(e.kind === 'restrict' ? `enforced:restrict:${e.capability}` : `enforced:${e.kind}`, e.expires_at);
  }
  const strikes = await sql.query<Strike>('SELECT reason, expires_at FROM strikes WHERE entity = $1 AND removed_at IS NULL AND expires_at > now() ORDER BY expires_at DESC', [entity]);
  for (const s of strikes) put(`strike:${s.reason}`, s.expires_at);
  // "at least n strikes" holds until the n-th latest expiry.
  for (let n = 1; n <= Math.min(strikes.length, 5); n++) put(`strikes:${n}`, strikes[n - 1]!.expires_at);
  const [last] = await sql.query<{ kind: string; at: Date }>('SELECT kind, at FROM review_labels WHERE entity = $1 ORDER BY id DESC LIMIT 1', [entity]);
  if (last) put(`reviewed:${last.kind}`, new Date(last.at.getTime() + 365 * 86400_000));
  return out;
}
