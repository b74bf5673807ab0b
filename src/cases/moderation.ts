// The moderation component: cases from decisions, queues, claims, review actions, enforcement, strikes, appeals and review labels.
import { appendAudit, ControlError, migrate, type Sql } from '../control/index.ts';
import type { Decision } from '../engine/index.ts';
import type { EventInfo, PreparedEvent } from '../lang/index.ts';
import {
  ACTIVE_ENFORCEMENT, addStrike, checkSpec, desiredLabels, enforcementRow, insertEnforcement, liftEnforcement,
  MODERATION_LABEL_PREFIXES, removeStrike, strikeRow, type Enforcement, type EnforcementSource, type EnforcementSpec, type LadderStep, type Strike,
} from './enforcement.ts';
import { caseSubject, raisingRules } from './intake.ts';
import { casesMigrations } from './migrations.ts';
import { Users, type UsersOptions } from './users.ts';
import { Webhooks, type DispatcherOptions } from './webhooks.ts';

export type CaseStatus = 'open' | 'claimed' | 'pending_info' | 'closed';
export type CaseOutcome = 'confirmed' | 'cleared' | 'upheld' | 'overturned';
export type ReviewAction = 'confirm' | 'clear' | 'escalate' | 'request_info' | 'uphold' | 'overturn';
export const REVIEW_ACTIONS: readonly ReviewAction[] = ['confirm', 'clear', 'escalate', 'request_info', 'uphold', 'overturn'];

export interface Case {
  id: number;
  kind: 'review' | 'appeal';
  queue: string;
  entity: string;
  status: CaseStatus;
  source: 'rule' | 'api' | 'manual' | 'graph' | 'appeal';
  score: number;
  priority: number;
  opened_at: Date;
  opened_by: string;
  due_at: Date;
  updated_at: Date;
  assignee: string | null;
  claimed_at: Date | null;
  outcome: CaseOutcome | null;
  reason: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  overturned_at: Date | null;
  appeal_of: number | null;
  enforcement_id: number | null;
  excluded_reviewer: string | null;
  related: string[];
  summary: string;
}

export interface Evidence {
  id: number; case_id: number; added_at: Date; added_by: string; source: string; event_id: string | null; event_type: string | null;
  event_ts: number | null; verdict: string | null; score: number | null; strategy: string | null; queue: string | null;
  rules: { rule: string; reason: string | null; queue: string | null; values: Record<string, unknown> }[]; note: string | null;
}
export interface CaseAction { id: number; case_id: number; at: Date; actor: string; action: string; reason: string | null; note: string | null; detail: unknown }

/** How long decisions that raise cases wait to be written together: each commit of the embedded database costs file writes. */
const INTAKE_BATCH_MS = 250;
export interface ReviewLabel { id: number; entity: string; kind: 'abuse' | 'benign'; reason: string; source: 'review' | 'appeal' | 'api'; case_id: number | null; rules: string[]; at: Date; actor: string }
export interface Queue { name: string; description: string; kind: 'review' | 'appeal'; sla_seconds: number; severity: number; open: number; claimed: number; pending_info: number; overdue: number }
export interface RulePrecision { rule: string; reviewed: number; confirmed: number; precision: number | null }

/** Who works a case: the audit actor, the queues they may work (null = all) and whether they are an admin. */
export interface Reviewer { actor: string; queues: string[] | null; admin: boolean }

/** What moderation needs from the decision service (DecisionService satisfies it). */
export interface ModerationHost {
  onDecision(listener: (ev: PreparedEvent, decision: Decision, position: number) => void): () => void;
  setLabel(input: { entity: string; label: string; expiresAt: number | null; actor: string; reason: string }): Promise<void>;
  clearLabel(input: { entity: string; label: string; actor: string; reason: string }): Promise<void>;
  readonly engine: { readonly plan: { readonly checked: { readonly events: ReadonlyMap<string, EventInfo> } } };
}

export interface ModerationOptions {
  /** A claim not acted on for this long goes back to the queue (default 1 hour). */
  claimTtlSeconds?: number;
  /** Cases one reviewer may hold at once (default 10). */
  maxClaims?: number;
  /** Priority points a waiting case gains per hour, so old cases are not starved (default 2). */
  agePointsPerHour?: number;
  users?: UsersOptions;
  webhooks?: DispatcherOptions;
  log?: (msg: string) => void;
}

/** A 403: the caller is known but this case is not theirs to work. */
export class ModerationError extends Error {
  override readonly name = 'ModerationError';
  readonly code = 'forbidden';
  readonly status = 403;
}

const CASE_COLS = 'id, kind, queue, entity, status, source, score, priority, opened_at, opened_by, due_at, updated_at, assignee, claimed_at, outcome, reason, closed_at, closed_by, overturned_at, appeal_of, enforcement_id, excluded_reviewer, related, summary';
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const caseRow = (r: Case): Case => ({ ...r, id: Number(r.id), priority: Number(r.priority), appeal_of: num(r.appeal_of), enforcement_id: num(r.enforcement_id) });
const MAX_RELATED = 50;

export class Moderation {
  readonly users: Users;
  readonly webhooks: Webhooks;
  private host: ModerationHost | null = null;
  private unsubscribe: (() => void) | null = null;
  private intake: Promise<void> = Promise.resolve();
  private intakePending = 0;
  private intakeBatch: [PreparedEvent, Decision, EventInfo | undefined][] = [];
  private intakeTimer: NodeJS.Timeout | null = null;
  private intakeDropped = 0;
  private intakeDone = 0;
  private syncing = new Map<string, Promise<void>>();
  private readonly say: (msg: string) => void;

  private constructor(readonly sql: Sql, private readonly opts: ModerationOptions) {
    this.say = opts.log ?? ((m) => console.error(m));
    this.users = new Users(sql, opts.users);
    this.webhooks = new Webhooks(sql, { log: this.say, ...opts.webhooks });
  }

  /** Migrates (a no-op when openControl already ran casesMigrations) and starts the webhook dispatcher. */
  static async open(sql: Sql, opts: ModerationOptions = {}): Promise<Moderation> {
    await migrate(sql, casesMigrations);
    const m = new Moderation(sql, opts);
    m.webhooks.start();
    m.webhooks.kick();
    return m;
  }

  /** Opens cases from every durable decision whose rules name a queue, after the response; errors are logged. */
  attach(host: ModerationHost): void {
    this.host = host;
    this.unsubscribe?.();
    this.unsubscribe = host.onDecision((ev, d) => {
      if (!d.rules.some((r) => r.queue !== null)) return;
      if (this.intakePending >= 10_000) { this.intakeDropped++; return; }
      this.intakePending++;
      this.intakeBatch.push([ev, d, host.engine.plan.checked.events.get(ev.type)]);
      // Decisions that raise cases are written in batches: one transaction per batch instead of per decision,
      // because the embedded database runs on the same thread as decisions.
      this.intakeTimer ??= setTimeout(() => this.flushIntake(), INTAKE_BATCH_MS);
    });
  }

  private flushIntake(): void {
    const items = this.intakeBatch;
    this.intakeBatch = [];
    this.intakeTimer = null;
    this.intake = this.intake
      .then(async () => {
        try {
          await this.sql.tx(async (tx) => { for (const [ev, d, info] of items) await this.intakeOne(tx, ev, d, info); });
        } catch {
          // One bad item fails the batch: redo them one transaction each, so only the bad one is lost (and logged).
          for (const [ev, d, info] of items) {
            try { await this.sql.tx((tx) => this.intakeOne(tx, ev, d, info)); } catch (e) { this.say(`case intake for event ${ev.id} failed: ${(e as Error).message}`); }
          }
        }
      })
      .finally(() => { this.intakePending -= items.length; this.intakeDone += items.length; });
  }

  /** Resolves once queued intake, label syncs and webhook passes are done (tests and shutdown). */
  async idle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (this.intakeTimer) { clearTimeout(this.intakeTimer); this.flushIntake(); }
      await this.intake;
      await Promise.all([...this.syncing.values()]);
      await this.webhooks.idle();
      if (this.intakePending === 0 && this.syncing.size === 0) return;
    }
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.idle();
    await this.webhooks.close();
  }

  // ---- intake ----

  async openFromDecision(ev: PreparedEvent, d: Decision, info: EventInfo | undefined): Promise<{ case_id: number; opened: boolean } | null> {
    const subject = caseSubject(info, ev);
    const raise = raisingRules(d);
    if (!subject || !raise) {
      if (raise) this.say(`decision ${d.event_id} names queue ${raise.queue} but its ${d.event_type} event has no non-personal entity to open a case on`);
      return null;
    }
    const evidence = {
      source: 'rule', event_id: d.event_id, event_type: d.event_type, event_ts: d.ts, verdict: d.verdict, score: d.score, strategy: d.strategy, queue: raise.queue,
      rules: raise.rules.map((r) => ({ rule: r.rule, reason: r.reason, queue: r.queue, values: r.values })),
    };
    return this.sql.tx((tx) => this.intakeOne(tx, ev, d, info, subject, raise, evidence));
  }

  /** One decision's case work inside a transaction (the batch's savepoint, or its own). */
  private async intakeOne(tx: Sql, ev: PreparedEvent, d: Decision, info: EventInfo | undefined, subject = caseSubject(info, ev), raise = raisingRules(d), evidence?: Record<string, unknown>): Promise<{ case_id: number; opened: boolean } | null> {
    if (!subject || !raise) {
      if (raise) this.say(`decision ${d.event_id} names queue ${raise.queue} but its ${d.event_type} event has no non-personal entity to open a case on`);
      return null;
    }
    evidence ??= {
      source: 'rule', event_id: d.event_id, event_type: d.event_type, event_ts: d.ts, verdict: d.verdict, score: d.score, strategy: d.strategy, queue: raise.queue,
      rules: raise.rules.map((r) => ({ rule: r.rule, reason: r.reason, queue: r.queue, values: r.values })),
    };
    await tx.query(`INSERT INTO queues (name, description, created_by) VALUES ($1, 'opened by strategy rules', 'system') ON CONFLICT (name) DO NOTHING`, [raise.queue]);
    const r = await this.upsertCase(tx, {
      entity: subject.entity, queue: raise.queue, source: 'rule', score: d.score, related: subject.related,
      summary: raise.rules[0]!.reason ?? raise.rules[0]!.rule, actor: `rule:${raise.rules[0]!.rule}`, evidence,
    });
    for (const h of raise.rules) await tx.query('INSERT INTO case_rules (case_id, rule) VALUES ($1, $2) ON CONFLICT DO NOTHING', [r.case_id, h.rule]);
    return r;
  }

  /** Opens a case by hand or through the API; an entity with an open case gets the note added to it instead. */
  async createCase(input: { entity: string; queue?: string; summary: string; related?: string[]; source?: 'api' | 'manual' | 'graph'; actor: string }): Promise<{ case: Case; opened: boolean }> {
    if (!/^[A-Za-z][A-Za-z0-9_]*:.+$/.test(input.entity)) throw new ControlError('invalid', 'entity must look like Type:id (as in Account:a1)');
    const r = await this.sql.tx(async (tx) => {
      const queue = input.queue ?? 'manual';
      const [q] = await tx.query<{ kind: string }>('SELECT kind FROM queues WHERE name = $1', [queue]);
      if (!q) throw new ControlError('not_found', `no queue ${queue}`);
      if (q.kind !== 'review') throw new ControlError('invalid', `queue ${queue} takes appeals; appeals are filed with POST /v1/appeals`);
      return this.upsertCase(tx, {
        entity: input.entity, queue, source: input.source ?? 'manual', score: 0, related: input.related ?? [], summary: input.summary, actor: input.actor,
        evidence: { source: input.source ?? 'manual', note: input.summary },
      });
    });
    return { case: (await this.getCase(r.case_id))!.case, opened: r.opened };
  }

  private async upsertCase(
    tx: Sql,
    c: { entity: string; queue: string; source: string; score: number; related: string[]; summary: string; actor: string; evidence: Record<string, unknown> },
  ): Promise<{ case_id: number; opened: boolean }> {
    const [q] = await tx.query<{ severity: number; sla_seconds: number }>('SELECT severity, sla_seconds FROM queues WHERE name = $1', [c.queue]);
    const priority = c.score + q!.severity * 20;
    const related = c.related.slice(0, MAX_RELATED);
    const [inserted] = await tx.query<{ id: string }>(
      `INSERT INTO cases (kind, queue, entity, status, source, score, priority, opened_by, due_at, related, summary)
       VALUES ('review', $1, $2, 'open', $3, $4, $5, $6, now() + $7::int * interval '1 second', $8::text::jsonb, $9)
       ON CONFLICT (entity) WHERE kind = 'review' AND status <> 'closed' DO NOTHING RETURNING id`,
      [c.queue, c.entity, c.source, c.score, priority, c.actor, q!.sla_seconds, JSON.stringify(related), c.summary.slice(0, 2000)],
    );
    let id: number;
    if (inserted) {
      id = Number(inserted.id);
    } else {
      const [open] = await tx.query<{ id: string; related: string[] }>(`SELECT id, related FROM cases WHERE entity = $1 AND kind = 'review' AND status <> 'closed' FOR UPDATE`, [c.entity]);
      id = Number(open!.id);
      const merged = [...new Set([...open!.related, ...related])].slice(0, MAX_RELATED);
      await tx.query('UPDATE cases SET score = greatest(score, $2), priority = greatest(priority, $3), related = $4::text::jsonb, updated_at = now() WHERE id = $1', [id, c.score, priority, JSON.stringify(merged)]);
    }
    const e = c.evidence;
    const [added] = await tx.query(
      `INSERT INTO case_evidence (case_id, added_by, source, event_id, event_type, event_ts, verdict, score, strategy, queue, rules, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12)
       ON CONFLICT (case_id, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING id`,
      [id, c.actor, e.source, e.event_id ?? null, e.event_type ?? null, e.event_ts ?? null, e.verdict ?? null, e.score ?? null, e.strategy ?? null, e.queue ?? null, JSON.stringify(e.rules ?? []), e.note ?? null],
    );
    if (!added) return { case_id: id, opened: false }; // the same event again: nothing new
    const action = inserted ? 'open' : 'evidence';
    await tx.query('INSERT INTO case_actions (case_id, actor, action, note, detail) VALUES ($1, $2, $3, $4, $5::text::jsonb)', [id, c.actor, action, c.summary.slice(0, 2000), JSON.stringify({ event_id: e.event_id ?? null, queue: c.queue })]);
    await appendAudit(tx, { actor: c.actor, action: `case.${action}`, target: `case:${id}`, after: { entity: c.entity, queue: c.queue, source: c.source, event_id: e.event_id ?? null, summary: c.summary } });
    return { case_id: id, opened: !!inserted };
  }

  // ---- reading ----

  async listCases(f: { queue?: string; status?: CaseStatus; entity?: string; assignee?: string; kind?: 'review' | 'appeal'; limit?: number; before_id?: number } = {}): Promise<Case[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (col: string, v: unknown) => { if (v !== undefined) { params.push(v); where.push(`${col} $${params.length}`); } };
    add('queue =', f.queue); add('status =', f.status); add('entity =', f.entity); add('assignee =', f.assignee); add('kind =', f.kind); add('id <', f.before_id);
    params.push(Math.min(Math.max(f.limit ?? 100, 1), 1000));
    const rows = await this.sql.query<Case>(`SELECT ${CASE_COLS} FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
    return rows.map(caseRow);
  }

  async getCase(id: number): Promise<{ case: Case; evidence: Evidence[]; actions: CaseAction[]; rules: string[]; enforcements: Enforcement[] } | null> {
    const [c] = await this.sql.query<Case>(`SELECT ${CASE_COLS} FROM cases WHERE id = $1`, [id]);
    if (!c) return null;
    const evidence = (await this.sql.query<Evidence>('SELECT * FROM case_evidence WHERE case_id = $1 ORDER BY id', [id])).map((e) => ({ ...e, id: Number(e.id), case_id: Number(e.case_id), event_ts: num(e.event_ts) }));
    const actions = (await this.sql.query<CaseAction>('SELECT * FROM case_actions WHERE case_id = $1 ORDER BY id', [id])).map((a) => ({ ...a, id: Number(a.id), case_id: Number(a.case_id) }));
    const rules = (await this.sql.query<{ rule: string }>('SELECT rule FROM case_rules WHERE case_id = $1 ORDER BY rule', [id])).map((r) => r.rule);
    const enforcements = (await this.sql.query<Enforcement>('SELECT * FROM enforcements WHERE case_id = $1 ORDER BY id', [id])).map(enforcementRow);
    return { case: caseRow(c), evidence, actions, rules, enforcements };
  }

  // ---- claims ----

  private checkAccess(r: Reviewer, c: Case): void {
    if (r.queues !== null && !r.queues.includes(c.queue)) throw new ModerationError(`case ${c.id} is in queue ${c.queue}, which ${r.actor} does not work`);
    if (c.excluded_reviewer !== null && c.excluded_reviewer === r.actor) throw new ModerationError(`${r.actor} made the decision under appeal in case ${c.id}; someone else must review it`);
  }

  private async lockCase(tx: Sql, id: number): Promise<Case> {
    const [c] = await tx.query<Case>(`SELECT ${CASE_COLS} FROM cases WHERE id = $1 FOR UPDATE`, [id]);
    if (!c) throw new ControlError('not_found', `no case ${id}`);
    return caseRow(c);
  }

  private staleClaim(c: Case): boolean {
    return c.status === 'claimed' && c.claimed_at !== null && Date.now() - c.claimed_at.getTime() > (this.opts.claimTtlSeconds ?? 3600) * 1000;
  }

  private async takeClaim(tx: Sql, c: Case, assignee: string, actor: string, action: 'claim' | 'assign'): Promise<Case> {
    const [row] = await tx.query<Case>(`UPDATE cases SET status = 'claimed', assignee = $2, claimed_at = now(), updated_at = now() WHERE id = $1 RETURNING ${CASE_COLS}`, [c.id, assignee]);
    await tx.query('INSERT INTO case_actions (case_id, actor, action, detail) VALUES ($1, $2, $3, $4::text::jsonb)', [c.id, actor, action, JSON.stringify({ assignee })]);
    await appendAudit(tx, { actor, action: `case.${action}`, target: `case:${c.id}`, before: { status: c.status, assignee: c.assignee }, after: { status: 'claimed', assignee } });
    return caseRow(row!);
  }

  /**
   * Claims the most urgent case the reviewer may work (not one they escalated): overdue first, then priority plus age. Rows
   * another reviewer is claiming are skipped (FOR UPDATE SKIP LOCKED), so two calls never get one case.
   */
  async next(r: Reviewer, queue?: string): Promise<Case | null> {
    if (queue !== undefined && r.queues !== null && !r.queues.includes(queue)) throw new ModerationError(`${r.actor} does not work queue ${queue}`);
    const queues = queue !== undefined ? [queue] : r.queues;
    const ttl = this.opts.claimTtlSeconds ?? 3600;
    return this.sql.tx(async (tx) => {
      const [{ held }] = (await tx.query<{ held: number }>(
        `SELECT count(*)::int AS held FROM cases WHERE status = 'claimed' AND assignee = $1 AND claimed_at > now() - $2::int * interval '1 second'`,
        [r.actor, ttl],
      )) as [{ held: number }];
      if (held >= (this.opts.maxClaims ?? 10)) throw new ControlError('conflict', `${r.actor} already holds ${held} claimed cases; finish or release some first`);
      const [pick] = await tx.query<Case>(
        `SELECT ${CASE_COLS} FROM cases
         WHERE (status = 'open' OR (status = 'claimed' AND claimed_at < now() - $2::int * interval '1 second'))
           AND ($1::text[] IS NULL OR queue = ANY ($1::text[]))
           AND (excluded_reviewer IS NULL OR excluded_reviewer <> $3)
           -- An escalation is for someone else: next never hands a case back to the reviewer who escalated it.
           AND NOT EXISTS (SELECT 1 FROM case_actions a WHERE a.case_id = cases.id AND a.actor = $3 AND a.action = 'escalate')
         ORDER BY (due_at <= now()) DESC, priority + extract(epoch FROM now() - opened_at) / 3600.0 * $4 DESC, id
         LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [queues, ttl, r.actor, this.opts.agePointsPerHour ?? 2],
      );
      if (!pick) return null;
      return this.takeClaim(tx, caseRow(pick), r.actor, r.actor, 'claim');
    });
  }

  async claim(id: number, r: Reviewer): Promise<Case> {
    return this.sql.tx(async (tx) => {
      const c = await this.lockCase(tx, id);
      this.checkAccess(r, c);
      if (c.status === 'closed') throw new ControlError('conflict', `case ${id} is closed`);
      if (c.status === 'claimed' && c.assignee === r.actor) return c;
      if (c.status === 'claimed' && !this.staleClaim(c)) throw new ControlError('conflict', `case ${id} is claimed by ${c.assignee}`);
      return this.takeClaim(tx, c, r.actor, r.actor, 'claim');
    });
  }

  async release(id: number, r: Reviewer): Promise<Case> {
    return this.sql.tx(async (tx) => {
      const c = await this.lockCase(tx, id);
      if (c.status !== 'claimed') throw new ControlError('conflict', `case ${id} is not claimed`);
      if (c.assignee !== r.actor && !r.admin) throw new ModerationError(`case ${id} is claimed by ${c.assignee}, not ${r.actor}`);
      const [row] = await tx.query<Case>(`UPDATE cases SET status = 'open', assignee = NULL, claimed_at = NULL, updated_at = now() WHERE id = $1 RETURNING ${CASE_COLS}`, [id]);
      await tx.query(`INSERT INTO case_actions (case_id, actor, action) VALUES ($1, $2, 'release')`, [id, r.actor]);
      await appendAudit(tx, { actor: r.actor, action: 'case.release', target: `case:${id}`, before: { status: c.status, assignee: c.assignee }, after: { status: 'open', assignee: null } });
      return caseRow(row!);
    });
  }

  /** A lead hands a case to a reviewer (a claim on their behalf). */
  async assign(id: number, username: string, actor: string): Promise<Case> {
    const user = await this.users.get(username);
    if (!user || user.disabled_at) throw new ControlError('not_found', `no active user ${username}`);
    if (user.role !== 'reviewer' && user.role !== 'admin') throw new ControlError('invalid', `${username} is a ${user.role}; only reviewers and admins work cases`);
    return this.sql.tx(async (tx) => {
      const c = await this.lockCase(tx, id);
      if (c.status === 'closed') throw new ControlError('conflict', `case ${id} is closed`);
      this.checkAccess({ actor: `user:${username}`, queues: user.role === 'admin' ? null : user.queues, admin: false }, c);
      return this.takeClaim(tx, c, `user:${username}`, actor, 'assign');
    });
  }

  // ---- review ----

  /**
   * A review action on a claimed case. Every action needs a policy reason from the taxonomy:
   * confirm/uphold a violation reason, clear/overturn a benign one, escalate/request_info either.
   */
  async act(id: number, r: Reviewer, input: { action: ReviewAction; reason: string; note?: string; enforcement?: EnforcementSpec; queue?: string }): Promise<{ case: Case; enforcements: Enforcement[]; strikes: Strike[]; lifted: Enforcement[]; removed_strikes: Strike[] }> {
    const out = await this.sql.tx(async (tx) => {
      const c = await this.lockCase(tx, id);
      this.checkAccess(r, c);
      if (c.status === 'closed') throw new ControlError('conflict', `case ${id} is closed (${c.outcome})`);
      if (!r.admin && (c.status !== 'claimed' || c.assignee !== r.actor)) throw new ControlError('conflict', `claim case ${id} before acting on it`);
      const allowed: ReviewAction[] = c.kind === 'review' ? ['confirm', 'clear', 'escalate', 'request_info'] : ['uphold', 'overturn', 'escalate', 'request_info'];
      if (!allowed.includes(input.action)) throw new ControlError('invalid', `a ${c.kind} case takes ${allowed.join(', ')}; got ${input.action}`);
      const [reason] = await tx.query<{ kind: 'violation' | 'benign' }>('SELECT kind FROM policy_reasons WHERE code = $1', [input.reason]);
      if (!reason) {
        const codes = (await tx.query<{ code: string }>('SELECT code FROM policy_reasons ORDER BY code')).map((x) => x.code);
        throw new ControlError('invalid', `unknown policy reason '${input.reason}'; known: ${codes.join(', ')}`);
      }
      const wants = input.action === 'confirm' || input.action === 'uphold' ? 'violation' : input.action === 'clear' || input.action === 'overturn' ? 'benign' : null;
      if (wants && reason.kind !== wants) throw new ControlError('invalid', `${input.action} needs a ${wants} reason; '${input.reason}' is ${reason.kind}`);
      const result = { enforcements: [] as Enforcement[], strikes: [] as Strike[], lifted: [] as Enforcement[], removed_strikes: [] as Strike[] };
      const rules = (await tx.query<{ rule: string }>('SELECT rule FROM case_rules WHERE case_id = $1 ORDER BY rule', [c.appeal_of ?? c.id])).map((x) => x.rule);
      const close = async (outcome: CaseOutcome) =>
        tx.query(`UPDATE cases SET status = 'closed', outcome = $2, reason = $3, closed_at = now(), closed_by = $4, updated_at = now() WHERE id = $1`, [id, outcome, input.reason, r.actor]);
      const label = async (kind: 'abuse' | 'benign', source: 'review' | 'appeal') =>
        tx.query('INSERT INTO review_labels (entity, kind, reason, source, case_id, rules, actor) VALUES ($1, $2, $3, $4, $5, $6::text[], $7)', [c.entity, kind, input.reason, source, id, rules, r.actor]);
      let after: Record<string, unknown> = {};
      switch (input.action) {
        case 'confirm': {
          if (!input.enforcement) throw new ControlError('invalid', 'confirm needs an enforcement (ban, suspend, restrict, warn or remove_content)');
          checkSpec(input.enforcement);
          await close('confirmed');
          result.enforcements.push(await insertEnforcement(tx, { entity: c.entity, spec: input.enforcement, reason: input.reason, source: 'reviewer', caseId: id, actor: r.actor }));
          const s = await addStrike(tx, { entity: c.entity, reason: input.reason, caseId: id, actor: r.actor });
          result.strikes.push(s.strike);
          if (s.escalation) result.enforcements.push(s.escalation);
          await label('abuse', 'review');
          after = { status: 'closed', outcome: 'confirmed', enforcements: result.enforcements.map((e) => e.id), strike: s.strike.id };
          break;
        }
        case 'clear':
          await close('cleared');
          await label('benign', 'review');
          after = { status: 'closed', outcome: 'cleared' };
          break;
        case 'escalate': {
          const target = input.queue ?? 'escalations';
          const [q] = await tx.query<{ sla_seconds: number }>('SELECT sla_seconds FROM queues WHERE name = $1', [target]);
          if (!q) throw new ControlError('not_found', `no queue ${target}`);
          await tx.query(
            `UPDATE cases SET queue = $2, status = 'open', assignee = NULL, claimed_at = NULL, priority = priority + 50, due_at = now() + $3::int * interval '1 second', updated_at = now() WHERE id = $1`,
            [id, target, q.sla_seconds],
          );
          after = { status: 'open', queue: target };
          break;
        }
        case 'request_info':
          await tx.query(`UPDATE cases SET status = 'pending_info', updated_at = now() WHERE id = $1`, [id]);
          after = { status: 'pending_info' };
          break;
        case 'uphold':
          await close('upheld');
          await label('abuse', 'appeal');
          after = { status: 'closed', outcome: 'upheld' };
          break;
        case 'overturn': {
          await close('overturned');
          const why = `appeal case ${id} overturned (${input.reason})`;
          const strikes = c.appeal_of === null ? [] : await tx.query<{ id: string }>('SELECT id FROM strikes WHERE case_id = $1 AND removed_at IS NULL', [c.appeal_of]);
          for (const s of strikes) result.removed_strikes.push(await removeStrike(tx, Number(s.id), r.actor, why));
          // The appealed enforcement, and anything the original case's strikes escalated to.
          const lift = await tx.query<{ id: string }>(
            `SELECT id FROM enforcements WHERE lifted_at IS NULL AND (id = $1 OR ($2::int8 IS NOT NULL AND case_id = $2::int8)) ORDER BY id`,
            [c.enforcement_id, c.appeal_of],
          );
          for (const e of lift) result.lifted.push(await liftEnforcement(tx, Number(e.id), r.actor, why));
          if (c.appeal_of !== null) await tx.query('UPDATE cases SET overturned_at = now(), updated_at = now() WHERE id = $1', [c.appeal_of]);
          await label('benign', 'appeal');
          after = { status: 'closed', outcome: 'overturned', lifted: result.lifted.map((e) => e.id), removed_strikes: result.removed_strikes.map((s) => s.id) };
          break;
        }
      }
      await tx.query('INSERT INTO case_actions (case_id, actor, action, reason, note, detail) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)', [id, r.actor, input.action, input.reason, input.note ?? null, JSON.stringify(after)]);
      const auditAction = c.kind === 'appeal' && (input.action === 'uphold' || input.action === 'overturn') ? `appeal.${input.action}` : `case.${input.action}`;
      await appendAudit(tx, { actor: r.actor, action: auditAction, target: `case:${id}`, before: { status: c.status, assignee: c.assignee, queue: c.queue }, after: { ...after, reason: input.reason, note: input.note ?? null } });
      return result;
    });
    this.afterChange(await this.entityOf(id), r.actor, `case ${id}: ${input.action} (${input.reason})`);
    return { case: (await this.getCase(id))!.case, ...out };
  }

  /** More information for a case (e.g. answering request_info): a pending case goes back to its queue. */
  async addNote(id: number, note: string, actor: string): Promise<Case> {
    if (typeof note !== 'string' || note.trim() === '') throw new ControlError('invalid', 'note must be a non-empty string');
    await this.sql.tx(async (tx) => {
      const c = await this.lockCase(tx, id);
      if (c.status === 'closed') throw new ControlError('conflict', `case ${id} is closed`);
      await tx.query(`INSERT INTO case_evidence (case_id, added_by, source, note) VALUES ($1, $2, 'manual', $3)`, [id, actor, note.slice(0, 8000)]);
      if (c.status === 'pending_info') await tx.query(`UPDATE cases SET status = CASE WHEN assignee IS NULL THEN 'open' ELSE 'claimed' END, claimed_at = CASE WHEN assignee IS NULL THEN NULL ELSE now() END, updated_at = now() WHERE id = $1`, [id]);
      await tx.query(`INSERT INTO case_actions (case_id, actor, action, note) VALUES ($1, $2, 'note', $3)`, [id, actor, note.slice(0, 2000)]);
      await appendAudit(tx, { actor, action: 'case.note', target: `case:${id}`, before: { status: c.status }, after: { note: note.slice(0, 2000) } });
    });
    return (await this.getCase(id))!.case;
  }

  // ---- appeals ----

  /** An appeal against an enforcement (default: the entity's newest active one) opens a case in the appeals queue. */
  async appeal(input: { entity: string; enforcement_id?: number; statement: string; actor: string }): Promise<Case> {
    if (typeof input.statement !== 'string' || input.statement.trim() === '') throw new ControlError('invalid', 'statement must be a non-empty string');
    const id = await this.sql.tx(async (tx) => {
      const [e] = input.enforcement_id !== undefined
        ? await tx.query<Enforcement>('SELECT * FROM enforcements WHERE id = $1 AND entity = $2 FOR UPDATE', [input.enforcement_id, input.entity])
        : await tx.query<Enforcement>(`SELECT * FROM enforcements WHERE entity = $1 AND ${ACTIVE_ENFORCEMENT} ORDER BY id DESC LIMIT 1 FOR UPDATE`, [input.entity]);
      if (!e) throw new ControlError('not_found', `${input.entity} has no ${input.enforcement_id !== undefined ? `enforcement ${input.enforcement_id}` : 'active enforcement'} to appeal`);
      const enf = enforcementRow(e);
      if (enf.lifted_at) throw new ControlError('conflict', `enforcement ${enf.id} was already lifted`);
      const [dup] = await tx.query<{ id: string }>(`SELECT id FROM cases WHERE kind = 'appeal' AND enforcement_id = $1 AND status <> 'closed'`, [enf.id]);
      if (dup) throw new ControlError('conflict', `enforcement ${enf.id} already has an open appeal: case ${dup.id}`);
      const [orig] = enf.case_id === null ? [] : await tx.query<{ closed_by: string | null }>('SELECT closed_by FROM cases WHERE id = $1', [enf.case_id]);
      const excluded = orig?.closed_by ?? enf.created_by;
      const [q] = await tx.query<{ severity: number; sla_seconds: number }>(`SELECT severity, sla_seconds FROM queues WHERE name = 'appeals'`);
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO cases (kind, queue, entity, status, source, priority, opened_by, due_at, appeal_of, enforcement_id, excluded_reviewer, summary)
         VALUES ('appeal', 'appeals', $1, 'open', 'appeal', $2, $3, now() + $4::int * interval '1 second', $5, $6, $7, $8) RETURNING id`,
        [input.entity, q!.severity * 20, input.actor, q!.sla_seconds, enf.case_id, enf.id, excluded, input.statement.slice(0, 2000)],
      );
      const caseId = Number(row!.id);
      await tx.query(`INSERT INTO case_evidence (case_id, added_by, source, note) VALUES ($1, $2, 'appeal', $3)`, [caseId, input.actor, input.statement.slice(0, 8000)]);
      await tx.query(`INSERT INTO case_actions (case_id, actor, action, note, detail) VALUES ($1, $2, 'open', $3, $4::text::jsonb)`, [caseId, input.actor, input.statement.slice(0, 2000), JSON.stringify({ enforcement_id: enf.id, appeal_of: enf.case_id })]);
      await appendAudit(tx, { actor: input.actor, action: 'appeal.open', target: `case:${caseId}`, after: { entity: input.entity, enforcement_id: enf.id, appeal_of: enf.case_id, excluded_reviewer: excluded } });
      return caseId;
    });
    return (await this.getCase(id))!.case;
  }

  // ---- enforcement outside cases ----

  async enforce(input: { entity: string; enforcement: EnforcementSpec; reason: string; source?: EnforcementSource; actor: string }): Promise<Enforcement> {
    const e = await this.sql.tx(async (tx) => {
      const [reason] = await tx.query('SELECT 1 FROM policy_reasons WHERE code = $1', [input.reason]);
      if (!reason) throw new ControlError('invalid', `unknown policy reason '${input.reason}'`);
      return insertEnforcement(tx, { entity: input.entity, spec: input.enforcement, reason: input.reason, source: input.source ?? 'api', caseId: null, actor: input.actor });
    });
    this.afterChange(e.entity, input.actor, `enforcement ${e.id}: ${e.kind} (${e.reason})`);
    return e;
  }

  async lift(id: number, actor: string, reason: string): Promise<Enforcement> {
    if (typeof reason !== 'string' || reason.trim() === '') throw new ControlError('invalid', 'reason must be a non-empty string');
    const e = await this.sql.tx((tx) => liftEnforcement(tx, id, actor, reason));
    this.afterChange(e.entity, actor, `enforcement ${id} lifted: ${reason}`);
    return e;
  }

  /** Active enforcement (what the product applies now) and the full history, newest first. */
  async enforcements(entity: string): Promise<{ entity: string; active: Enforcement[]; history: Enforcement[] }> {
    const history = (await this.sql.query<Enforcement & { active: boolean }>(`SELECT *, (${ACTIVE_ENFORCEMENT}) AS active FROM enforcements WHERE entity = $1 ORDER BY id DESC`, [entity]));
    return { entity, active: history.filter((e) => e.active).map(({ active: _, ...e }) => enforcementRow(e)), history: history.map(({ active: _, ...e }) => enforcementRow(e)) };
  }

  async strikes(entity: string): Promise<{ entity: string; active: Strike[]; history: Strike[] }> {
    const rows = (await this.sql.query<Strike>('SELECT * FROM strikes WHERE entity = $1 ORDER BY id DESC', [entity])).map(strikeRow);
    return { entity, active: rows.filter((s) => s.removed_at === null && s.expires_at.getTime() > Date.now()), history: rows };
  }

  // ---- ground truth and measurement ----

  /** Review outcomes as labels (entity, kind, source, time), oldest first from after_id: the feed for backtests and training. */
  async reviewLabels(q: { entity?: string; after_id?: number; limit?: number } = {}): Promise<ReviewLabel[]> {
    const rows = await this.sql.query<ReviewLabel>(
      `SELECT * FROM review_labels WHERE ($1::text IS NULL OR entity = $1) AND id > $2 ORDER BY id LIMIT $3`,
      [q.entity ?? null, q.after_id ?? 0, Math.min(Math.max(q.limit ?? 1000, 1), 10_000)],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), case_id: num(r.case_id) }));
  }

  /** Per rule: reviewed cases it raised (confirmed or cleared), and the share confirmed (an overturned confirm counts as not confirmed). */
  async precision(): Promise<RulePrecision[]> {
    const rows = await this.sql.query<{ rule: string; reviewed: number; confirmed: number }>(
      `SELECT r.rule, count(*) FILTER (WHERE c.outcome IN ('confirmed', 'cleared'))::int AS reviewed,
              count(*) FILTER (WHERE c.outcome = 'confirmed' AND c.overturned_at IS NULL)::int AS confirmed
       FROM case_rules r JOIN cases c ON c.id = r.case_id GROUP BY r.rule ORDER BY r.rule`,
    );
    return rows.map((r) => ({ ...r, precision: r.reviewed ? r.confirmed / r.reviewed : null }));
  }

  // ---- configuration ----

  async queues(): Promise<Queue[]> {
    return this.sql.query<Queue>(
      `SELECT q.name, q.description, q.kind, q.sla_seconds, q.severity,
         count(c.id) FILTER (WHERE c.status = 'open')::int AS open,
         count(c.id) FILTER (WHERE c.status = 'claimed')::int AS claimed,
         count(c.id) FILTER (WHERE c.status = 'pending_info')::int AS pending_info,
         count(c.id) FILTER (WHERE c.status <> 'closed' AND c.due_at <= now())::int AS overdue
       FROM queues q LEFT JOIN cases c ON c.queue = q.name GROUP BY q.name ORDER BY q.name`,
    );
  }

  async putQueue(name: string, input: { description?: string; sla_seconds?: number; severity?: number }, actor: string): Promise<void> {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) throw new ControlError('invalid', 'queue name must be a lower-case identifier');
    if (input.severity !== undefined && (!Number.isInteger(input.severity) || input.severity < 1 || input.severity > 5)) throw new ControlError('invalid', 'severity must be 1 to 5');
    if (input.sla_seconds !== undefined && (!Number.isInteger(input.sla_seconds) || input.sla_seconds < 60)) throw new ControlError('invalid', 'sla_seconds must be an integer of at least 60');
    await this.sql.tx(async (tx) => {
      const [prior] = await tx.query('SELECT description, sla_seconds, severity FROM queues WHERE name = $1 FOR UPDATE', [name]);
      const [after] = await tx.query(
        `INSERT INTO queues (name, description, sla_seconds, severity, created_by) VALUES ($1, coalesce($2, ''), coalesce($3, 86400), coalesce($4, 2), $5)
         ON CONFLICT (name) DO UPDATE SET description = coalesce($2, queues.description), sla_seconds = coalesce($3, queues.sla_seconds), severity = coalesce($4, queues.severity)
         RETURNING description, sla_seconds, severity`,
        [name, input.description ?? null, input.sla_seconds ?? null, input.severity ?? null, actor],
      );
      await appendAudit(tx, { actor, action: 'queue.put', target: `queue:${name}`, before: prior ?? null, after });
    });
  }

  async reasons(): Promise<{ code: string; kind: string; title: string }[]> {
    return this.sql.query('SELECT code, kind, title FROM policy_reasons ORDER BY kind DESC, code');
  }

  async addReason(input: { code: string; kind: 'violation' | 'benign'; title: string; actor: string }): Promise<void> {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(input.code)) throw new ControlError('invalid', 'reason code must be a lower-case identifier');
    if (input.kind !== 'violation' && input.kind !== 'benign') throw new ControlError('invalid', 'kind must be violation or benign');
    await this.sql.tx(async (tx) => {
      const [row] = await tx.query('INSERT INTO policy_reasons (code, kind, title, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING code', [input.code, input.kind, input.title, input.actor]);
      if (!row) throw new ControlError('conflict', `policy reason ${input.code} exists`);
      await appendAudit(tx, { actor: input.actor, action: 'reason.create', target: `reason:${input.code}`, after: { kind: input.kind, title: input.title } });
    });
  }

  async strikePolicies(): Promise<{ reason: string; strike_days: number; ladder: LadderStep[] }[]> {
    return this.sql.query('SELECT reason, strike_days, ladder FROM strike_policies ORDER BY reason');
  }

  async putStrikePolicy(reason: string, input: { strike_days: number; ladder: LadderStep[] }, actor: string): Promise<void> {
    if (!Number.isInteger(input.strike_days) || input.strike_days < 1) throw new ControlError('invalid', 'strike_days must be a positive integer');
    for (const s of input.ladder) {
      if (!Number.isInteger(s.strikes) || s.strikes < 1) throw new ControlError('invalid', 'each ladder step needs strikes >= 1');
      checkSpec({ kind: s.kind, capability: s.capability, duration_seconds: s.duration_days === undefined ? undefined : s.duration_days * 86400 });
    }
    await this.sql.tx(async (tx) => {
      const [r] = await tx.query(`SELECT kind FROM policy_reasons WHERE code = $1 AND kind = 'violation'`, [reason]);
      if (!r) throw new ControlError('not_found', `no violation reason ${reason}`);
      const [prior] = await tx.query('SELECT strike_days, ladder FROM strike_policies WHERE reason = $1 FOR UPDATE', [reason]);
      await tx.query(
        `INSERT INTO strike_policies (reason, strike_days, ladder, updated_by) VALUES ($1, $2, $3::text::jsonb, $4)
         ON CONFLICT (reason) DO UPDATE SET strike_days = $2, ladder = $3::text::jsonb, updated_by = $4, updated_at = now()`,
        [reason, input.strike_days, JSON.stringify(input.ladder), actor],
      );
      await appendAudit(tx, { actor, action: 'strike_policy.put', target: `reason:${reason}`, before: prior ?? null, after: input });
    });
  }

  // ---- state labels ----

  private async entityOf(caseId: number): Promise<string> {
    const [c] = await this.sql.query<{ entity: string }>('SELECT entity FROM cases WHERE id = $1', [caseId]);
    return c!.entity;
  }

  private afterChange(entity: string, actor: string, why: string): void {
    this.webhooks.kick();
    void this.syncLabels(entity, actor, why);
  }

  /**
   * Brings the entity's moderation labels in state (enforced:*, strike:*, strikes:*, reviewed:*) in line
   * with what is in force. Runs after the change commits (labels go through the service's log); one at a
   * time per entity; a failure is logged and repaired by the entity's next sync.
   */
  syncLabels(entity: string, actor: string, why: string): Promise<void> {
    if (!this.host) return Promise.resolve();
    const host = this.host;
    const prev = this.syncing.get(entity) ?? Promise.resolve();
    const run = prev.then(async () => {
      const want = await desiredLabels(this.sql, entity);
      const have = await this.sql.query<{ label: string; expires_at: Date | null }>(
        `SELECT label, expires_at FROM labels WHERE entity = $1 AND (${MODERATION_LABEL_PREFIXES.map((_, i) => `label LIKE $${i + 2}`).join(' OR ')})`,
        [entity, ...MODERATION_LABEL_PREFIXES.map((p) => `${p}%`)],
      );
      const reason = `moderation: ${why}`.slice(0, 4000);
      for (const h of have) if (!want.has(h.label)) await host.clearLabel({ entity, label: h.label, actor, reason });
      for (const [label, exp] of want) {
        const cur = have.find((h) => h.label === label);
        if (cur && (cur.expires_at?.getTime() ?? null) === exp) continue;
        await host.setLabel({ entity, label, expiresAt: exp, actor, reason });
      }
    }).catch((e: Error) => this.say(`label sync for ${entity} failed: ${e.message}`));
    const tracked = run.finally(() => { if (this.syncing.get(entity) === tracked) this.syncing.delete(entity); });
    this.syncing.set(entity, tracked);
    return tracked;
  }

  // ---- metrics ----

  /** Prometheus text for /metrics: per-rule precision, queue depth and SLA breaches, webhook deliveries. */
  async metrics(): Promise<string> {
    const out: string[] = [];
    const esc = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
    const gauge = (name: string, help: string, rows: [string, string, number][]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const [l, v, n] of rows) out.push(`${name}{${l}="${esc(v)}"} ${n}`);
    };
    const p = await this.precision();
    gauge('bulwark_rule_precision', 'Share of reviewed cases raised by the rule that were confirmed (and not overturned).', p.filter((r) => r.precision !== null).map((r) => ['rule', r.rule, r.precision!]));
    gauge('bulwark_rule_reviewed_cases', 'Reviewed cases raised by the rule.', p.map((r) => ['rule', r.rule, r.reviewed]));
    const q = await this.queues();
    gauge('bulwark_cases_open', 'Cases not yet closed, by queue.', q.map((x) => ['queue', x.name, x.open + x.claimed + x.pending_info]));
    gauge('bulwark_cases_overdue', 'Cases past their SLA, by queue.', q.map((x) => ['queue', x.name, x.overdue]));
    gauge('bulwark_webhook_deliveries', 'Webhook deliveries, by status.', Object.entries(await this.webhooks.counts()).map(([k, n]) => ['status', k, n]));
    out.push('# HELP bulwark_case_intake_dropped_total Decisions not turned into cases because the intake queue was full.', '# TYPE bulwark_case_intake_dropped_total counter', `bulwark_case_intake_dropped_total ${this.intakeDropped}`);
    out.push('# HELP bulwark_case_intake_pending Durable decisions waiting to be turned into cases (the queue holds 10000).', '# TYPE bulwark_case_intake_pending gauge', `bulwark_case_intake_pending ${this.intakePending}`);
    out.push('# HELP bulwark_case_intake_total Decisions turned into cases (opened or added as evidence).', '# TYPE bulwark_case_intake_total counter', `bulwark_case_intake_total ${this.intakeDone}`);
    return out.join('\n') + '\n';
  }
}
