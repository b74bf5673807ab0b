// Compiles a checked strategy to closures, once, at deploy time: no AST is interpreted per event.
import type { Expr, RuleDecl } from './ast.ts';
import { builtin, type Builtin } from './builtins/index.ts';
import { interpolations, MAX_WINDOW_MS, type Checked, type EventInfo } from './check.ts';
import { MAX_MATCH_INPUT } from './pattern.ts';
import type { AggregatePlan, BadEvent, Ctx, EventFn, EventPlan, Fn, KeyspacePlan, Plan, PreparedEvent, RulePlan, StrategyModel, UpdatePlan } from './plan.ts';
import type { Type } from './types.ts';

export interface CompileOptions {
  version: string;
  /** Keyed hash applied to personal literals in the strategy, so they compare equal to pseudonymised event values. */
  pseudonymise?: ((v: string) => string) | null;
  /** Compute every applicable feature on every event, not only those rules read (training-set export). */
  allFeatures?: boolean;
  /** Models the strategy scores with model("name", version), by "name@version". */
  models?: ReadonlyMap<string, StrategyModel>;
}

/** Reason codes recorded in a decision trace for a model feature. */
export const MODEL_REASONS = 3;

const MAX_ID = 256;
const MAX_STRING = 65_536;
const MAX_LIST_ITEMS = 1000;
const KEY_SEP = '\u0001';

export function compile(checked: Checked, opts: CompileOptions): Plan {
  return new Compiler(checked, opts).run();
}

class Compiler {
  private keyspaces: KeyspacePlan[] = [];
  private keyspaceIndex = new Map<string, number>();
  private aggregates: AggregatePlan[] = [];
  private featureSlot = new Map<string, number>();
  private ruleIndex = new Map<string, number>();
  private listIndex = new Map<string, number>();
  private featureFns = new Map<string, Fn>();
  /** Features that are a model call: how to rebuild the input row for reason codes. */
  private modelFeatures = new Map<string, { fill: (c: Ctx) => Float64Array; model: StrategyModel }>();

  constructor(private readonly c: Checked, private readonly opts: CompileOptions) {}

  run(): Plan {
    const c = this.c;
    if (c.errors.length > 0) throw new Error(`cannot compile a strategy with ${c.errors.length} error(s)`);
    [...c.lists.keys()].forEach((n, i) => this.listIndex.set(n, i));
    c.featureOrder.forEach((n, i) => this.featureSlot.set(n, i));
    c.rules.forEach((r) => this.ruleIndex.set(r.decl.name, r.index));
    for (const a of c.aggregates) {
      let ks = this.keyspaceIndex.get(a.keyspace);
      if (ks === undefined) {
        ks = this.keyspaces.length;
        this.keyspaceIndex.set(a.keyspace, ks);
        this.keyspaces.push({ signature: a.keyspace, key: this.keyFn(a.node.by) });
      }
      const kind = a.fn === 'age' ? 'first_seen' : a.fn;
      this.aggregates.push({ signature: a.signature, kind, keyspace: ks, windowMs: Math.min(a.windowMs, MAX_WINDOW_MS) });
    }
    for (const name of c.featureOrder) {
      const e = c.features.get(name)!.expr;
      this.featureFns.set(name, this.expr(e));
      if (e.kind === 'call' && c.modelCalls.has(e)) { const m = this.model(e); this.modelFeatures.set(name, { fill: m.fill, model: m.model }); }
    }
    const rulePlans = c.rules.map((r) => this.rule(r.decl, r.index));
    const events = new Map<string, EventPlan>();
    for (const ev of c.events.values()) {
      const rules = rulePlans.filter((r) => c.rules[r.index]!.on.includes(ev.name));
      // Only the features this event type's rules read (directly or through other features) are computed.
      const needed = new Set<string>();
      const need = (n: string) => {
        if (needed.has(n) || !c.features.has(n)) return;
        needed.add(n);
        for (const d of featureRefs(c.features.get(n)!.expr)) need(d);
      };
      for (const r of rules) for (const d of c.rules[r.index]!.deps) need(d);
      // A model's inputs are features too.
      for (const n of [...needed]) { const m = this.modelFeatures.get(n); if (m) for (const i of m.model.inputs) need(i.name); }
      if (this.opts.allFeatures) for (const n of c.featureOrder) need(n);
      const features = c.featureOrder.filter((n) => needed.has(n) && c.features.get(n)!.types.has(ev.name)).map((n) => ({ slot: this.featureSlot.get(n)!, name: n, fn: this.featureFns.get(n)! }));
      const updates: UpdatePlan[] = [];
      const used = new Set<number>();
      for (const a of c.aggregates) {
        if (!a.sources.includes(ev.name)) continue;
        const ap = this.aggregates[a.id]!;
        used.add(ap.keyspace);
        const field = a.node.source.field;
        updates.push({
          agg: a.id,
          keyspace: ap.keyspace,
          filter: a.node.where ? (this.eventFn(a.node.where) as EventFn<boolean>) : null,
          value: field === null || a.fn === 'distinct' ? null : numberValue(field),
          distinct: field !== null && a.fn === 'distinct' ? distinctValue(field) : null,
          capturePrior: a.fn === 'last_seen',
        });
      }
      // Key spaces read by this event type's features.
      for (const f of features) this.walkAggs(c.features.get(f.name)!.expr, (ap) => used.add(ap.keyspace));
      events.set(ev.name, { type: ev.name, prepare: this.prepare(ev), keyspaces: [...used].sort((a, b) => a - b), updates, features, rules });
    }
    // The engine keeps its link graph only for a plan that reads it.
    const reads = (e: Expr | null | undefined): boolean => !!e && (c.linkedCalls.has(e) || (e.kind !== 'agg' && children(e).some(reads)));
    const linked = [...events.values()].some((ep) => ep.features.some((f) => reads(c.features.get(f.name)!.expr))) ||
      c.rules.some((r) => reads(r.decl.when) || reads(r.decl.score?.expr) || r.decl.labels.some((l) => reads(l.entity)));
    return {
      version: this.opts.version,
      latenessMs: c.latenessMs,
      linked,
      thresholds: c.thresholds,
      events,
      keyspaces: this.keyspaces,
      aggregates: this.aggregates,
      features: c.featureOrder,
      rules: c.rules.map((r) => ({ name: r.decl.name, verdict: r.decl.verdict?.verdict ?? null, queue: r.decl.queue?.name ?? null, on: r.on })),
      lists: [...c.lists].map(([name, l]) => ({ name, from: l.from, personal: l.type.personal })),
      checked: c,
    };
  }

  private walkAggs(e: Expr, visit: (a: AggregatePlan) => void): void {
    const stack = [e];
    while (stack.length) {
      const x = stack.pop()!;
      if (x.kind === 'agg') { visit(this.aggregates[this.c.aggOf.get(x)!.id]!); continue; }
      if (x.kind === 'name' && this.c.features.has(x.name)) { stack.push(this.c.features.get(x.name)!.expr); continue; }
      switch (x.kind) {
        case 'array': stack.push(...x.items); break;
        case 'call': stack.push(...x.args); break;
        case 'unary': case 'is_null': case 'matches': case 'in_list': stack.push(x.arg); break;
        case 'binary': stack.push(x.left, x.right); break;
        case 'in': stack.push(x.arg, x.set); break;
        case 'has_label': stack.push(x.entity); break;
      }
    }
  }

  private keyFn(by: Expr[]): EventFn<string | null> {
    if (by.length === 0) return () => '*';
    const parts = by.map((k) => this.eventFn(k));
    if (parts.length === 1) {
      const p = parts[0]!;
      return (ev) => { const v = p(ev); return v === null || v === undefined ? null : typeof v === 'string' ? v : String(v); };
    }
    return (ev) => {
      let key = '';
      for (let i = 0; i < parts.length; i++) {
        const v = parts[i]!(ev);
        if (v === null || v === undefined) return null;
        key += (i ? KEY_SEP : '') + String(v);
      }
      return key;
    };
  }

  /** An expression over the fields of one event (aggregate keys and filters). */
  private eventFn(e: Expr): EventFn {
    const f = this.expr(e);
    const ctx = { ev: null as unknown as PreparedEvent } as Ctx;
    return (ev) => { ctx.ev = ev; ctx.ts = ev.ts; return f(ctx); };
  }

  private isPersonal(e: Expr): boolean { return this.c.exprTypes.get(e)?.personal ?? false; }

  /** A string literal compared with personal data is hashed like the data it is compared with. */
  private literal(e: Expr, other: Expr): Fn {
    if (e.kind === 'string' && this.opts.pseudonymise && this.isPersonal(other)) {
      const h = this.opts.pseudonymise(e.value);
      return () => h;
    }
    return this.expr(e);
  }

  expr(e: Expr): Fn {
    switch (e.kind) {
      case 'number': case 'bool': { const v = e.value; return () => v; }
      case 'string': { const v = e.value; return () => v; }
      case 'duration': { const v = e.ms; return () => v; }
      case 'null': return () => null;
      case 'now': return (c) => c.ts;
      case 'name': {
        const n = e.name;
        const slot = this.featureSlot.get(n);
        if (slot !== undefined) return (c) => c.f[slot];
        const ri = this.ruleIndex.get(n);
        if (ri !== undefined) return (c) => c.fired[ri] === 1;
        return (c) => { const v = c.ev[n]; return v === undefined ? null : v; };
      }
      case 'array': { const items = e.items.map((x) => this.expr(x)); return (c) => items.map((f) => f(c)); }
      case 'unary': {
        const a = this.expr(e.arg);
        return e.op === 'not' ? (c) => !a(c) : (c) => -(a(c) as number);
      }
      case 'binary': return this.binary(e);
      case 'is_null': {
        const a = this.expr(e.arg);
        return e.negated ? (c) => a(c) !== null : (c) => a(c) === null;
      }
      case 'in': {
        const a = this.expr(e.arg);
        const neg = e.negated;
        if (e.set.kind === 'array') {
          const personal = this.isPersonal(e.arg) && this.opts.pseudonymise;
          const set = new Set(e.set.items.map((i) => (i.kind === 'string' ? (personal ? this.opts.pseudonymise!(i.value) : i.value) : i.kind === 'number' ? i.value : null)));
          return (c) => set.has(a(c) as string) !== neg;
        }
        const s = this.expr(e.set);
        return (c) => (s(c) as string[]).includes(a(c) as string) !== neg;
      }
      case 'in_list': {
        const a = this.expr(e.arg);
        const li = this.listIndex.get(e.list)!;
        const neg = e.negated;
        const t = this.c.exprTypes.get(e.arg);
        if (t?.base === 'list') {
          return (c) => {
            const l = c.lists[li]!;
            for (const v of a(c) as string[]) if (l.has(v)) return !neg;
            return neg;
          };
        }
        return (c) => { const v = a(c); return c.lists[li]!.has(typeof v === 'string' ? v : String(v)) !== neg; };
      }
      case 'has_label': {
        const a = this.expr(e.entity);
        // Matches LabelStore.typeLabelKey: the lookup needs no string building per event.
        const key = `${this.c.exprTypes.get(e.entity)!.entity}\u0000${e.label}`;
        const neg = e.negated;
        return (c) => c.labels.hasTyped(key, a(c) as string, c.ts) !== neg;
      }
      case 'matches': {
        const a = this.expr(e.arg);
        const re = new RegExp(e.pattern);
        return (c) => { const s = a(c) as string; return re.test(s.length > MAX_MATCH_INPUT ? s.slice(0, MAX_MATCH_INPUT) : s); };
      }
      case 'call': return this.call(e);
      case 'agg': return this.aggregateRead(e);
    }
  }

  private binary(e: Expr & { kind: 'binary' }): Fn {
    const op = e.op;
    const l = op === '==' || op === '!=' ? this.literal(e.left, e.right) : this.expr(e.left);
    const r = op === '==' || op === '!=' ? this.literal(e.right, e.left) : this.expr(e.right);
    switch (op) {
      case 'and': return (c) => (l(c) as boolean) && (r(c) as boolean);
      case 'or': return (c) => (l(c) as boolean) || (r(c) as boolean);
      case '==': return (c) => l(c) === r(c);
      case '!=': return (c) => l(c) !== r(c);
      case '<': case '<=': case '>': case '>=': {
        // Most conditions compare a feature with a constant: give that case its own closure.
        const k = constant(e.right);
        if (k !== null) {
          if (op === '<') return (c) => (l(c) as number) < k;
          if (op === '<=') return (c) => (l(c) as number) <= k;
          if (op === '>') return (c) => (l(c) as number) > k;
          return (c) => (l(c) as number) >= k;
        }
        if (op === '<') return (c) => (l(c) as number) < (r(c) as number);
        if (op === '<=') return (c) => (l(c) as number) <= (r(c) as number);
        if (op === '>') return (c) => (l(c) as number) > (r(c) as number);
        return (c) => (l(c) as number) >= (r(c) as number);
      }
      case '+': return (c) => (l(c) as number) + (r(c) as number);
      case '-': return (c) => (l(c) as number) - (r(c) as number);
      case '*': return (c) => (l(c) as number) * (r(c) as number);
      // Division by zero gives 0 rather than Infinity/NaN: rules compare ratios and must stay total.
      case '/': return (c) => { const d = r(c) as number; return d === 0 ? 0 : (l(c) as number) / d; };
      case '%': return (c) => { const d = r(c) as number; return d === 0 ? 0 : (l(c) as number) % d; };
      case '??': return (c) => { const v = l(c); return v === null ? r(c) : v; };
    }
  }

  private model(e: Expr & { kind: 'call' }): { fill: (c: Ctx) => Float64Array; model: StrategyModel } {
    const key = this.c.modelCalls.get(e)!;
    const model = this.opts.models?.get(key);
    if (!model) throw new Error(`model ${key} was checked but not given to the compiler`);
    const getters = model.inputs.map((i) => this.expr({ kind: 'name', name: i.name, loc: e.loc }));
    const row = new Float64Array(getters.length); // one per compiled call: filled in place, no allocation per event
    const fill = (c: Ctx) => {
      for (let i = 0; i < getters.length; i++) {
        const v = getters[i]!(c);
        row[i] = v === null || v === undefined ? NaN : v === true ? 1 : v === false ? 0 : (v as number);
      }
      return row;
    };
    return { fill, model };
  }

  private call(e: Expr & { kind: 'call' }): Fn {
    const measure = this.c.linkedCalls.get(e);
    if (measure !== undefined) {
      const a = this.expr(e.args[0]!);
      return (c) => { const id = a(c); return id === null || id === undefined || c.linked === null ? null : c.linked.measure(id as string, measure, c.ts); };
    }
    if (e.fn === 'model') {
      const { fill, model } = this.model(e);
      return (c) => model.score(fill(c));
    }
    const signal = this.c.signals.get(e.fn);
    if (signal) {
      const a = this.expr(e.args[0]!);
      const key = `${this.c.exprTypes.get(e.args[0]!)!.entity}\u0000${e.fn}`;
      return (c) => { const id = a(c); return id === null || id === undefined ? null : c.signals.getTyped(key, id as string); };
    }
    const b = builtin(e.fn)! as Builtin & { impl: (...a: unknown[]) => unknown };
    const impl = b.impl;
    const arg0 = e.args[0];
    // Normalisations of personal fields read the form computed at ingestion, before hashing.
    if (b.derive && arg0?.kind === 'name' && !this.featureSlot.has(arg0.name)) {
      const slot = derivedField(arg0.name, b.name);
      const name = arg0.name;
      return (c) => {
        const d = c.ev[slot];
        if (d !== undefined) return d;
        const raw = c.ev[name];
        return raw === undefined || raw === null ? null : impl(raw);
      };
    }
    const args = e.args.map((a) => this.expr(a));
    if (args.length === 1) {
      const a = args[0]!;
      return (c) => { const v = a(c); return v === null ? null : impl(v); };
    }
    if (args.length === 2) {
      const [a, b2] = args as [Fn, Fn];
      return (c) => { const x = a(c); const y = b2(c); return x === null || y === null ? null : impl(x, y); };
    }
    return (c) => { const vs = args.map((a) => a(c)); return vs.includes(null) ? null : impl(...vs); };
  }

  private aggregateRead(e: Expr & { kind: 'agg' }): Fn {
    const info = this.c.aggOf.get(e)!;
    const ai = info.id;
    const ks = this.aggregates[ai]!.keyspace;
    switch (e.fn) {
      case 'age': return (c) => { const first = c.aggs[ai]!.read(c.rows[ks]!, c.ts); return first === null ? null : c.ts - first; };
      case 'last_seen': return (c) => { const p = c.prior[ai]; return p !== undefined ? p : c.aggs[ai]!.read(c.rows[ks]!, c.ts); };
      default: return (c) => c.aggs[ai]!.read(c.rows[ks]!, c.ts);
    }
  }

  private rule(r: RuleDecl, index: number): RulePlan {
    const checkedTypes = this.c.exprTypes;
    const traceNames = new Set<string>();
    const collect = (e: Expr) => {
      if (e.kind === 'name') traceNames.add(e.name);
      if (e.kind === 'agg') return;
      for (const child of children(e)) collect(child);
    };
    if (r.when) collect(r.when);
    return {
      index,
      name: r.name,
      when: this.expr(r.when!) as Fn<boolean>,
      verdict: r.verdict?.verdict ?? null,
      points: r.score ? this.points(r.score.sign, this.expr(r.score.expr) as Fn<number>) : null,
      labels: r.labels.map((l) => ({ op: l.op, entityType: checkedTypes.get(l.entity)?.entity ?? 'Entity', entity: this.expr(l.entity), label: l.label, forMs: l.forMs })),
      queue: r.queue?.name ?? null,
      reason: r.because ? this.reason(r.because.text) : null,
      trace: [...traceNames].filter((n) => !this.ruleIndex.has(n)).map((n) => ({ name: n, get: this.traceGetter(n, r) })),
    };
  }

  /** A model feature is traced with its score and its top reason codes; anything else with its value. */
  private traceGetter(n: string, r: RuleDecl): Fn {
    const get = this.expr({ kind: 'name', name: n, loc: r.loc });
    const m = this.modelFeatures.get(n);
    if (!m) return get;
    return (c) => ({ score: get(c), reasons: m.model.reasons(m.fill(c), MODEL_REASONS) });
  }

  private points(sign: 1 | -1, f: Fn<number>): Fn<number> {
    return sign === 1 ? f : (c) => -f(c);
  }

  private reason(text: string): Fn<string> {
    const names = interpolations(text);
    if (names.length === 0) return () => text;
    const parts = text.split(/\{[A-Za-z_][A-Za-z0-9_]*\}/);
    const getters = names.map((n) => ({ get: this.expr({ kind: 'name', name: n, loc: { file: '', line: 0, col: 0 } }), type: this.typeOfName(n) }));
    return (c) => {
      let s = parts[0]!;
      for (let i = 0; i < getters.length; i++) s += renderValue(getters[i]!.get(c), getters[i]!.type) + parts[i + 1]!;
      return s;
    };
  }

  private typeOfName(n: string): Type['base'] | null {
    const f = this.c.features.get(n);
    if (f) for (const t of f.types.values()) return t.base;
    for (const ev of this.c.events.values()) { const fi = ev.fields.get(n); if (fi) return fi.type.base; }
    return null;
  }

  private prepare(ev: EventInfo): EventPlan['prepare'] {
    const fields = [...ev.fields.values()];
    const known = new Set(['id', 'type', 'ts', ...ev.fields.keys()]);
    // Derived forms of personal-kind fields, computed for every normalisation that applies to the field's entity type.
    const derivations: { field: string; slot: string; impl: (v: string) => string; personal: boolean }[] = [];
    for (const f of fields) {
      if (!f.type.entity) continue;
      for (const b of ['email_domain', 'email_canonical', 'ip_prefix', 'phone_digits']) {
        const bi = builtin(b)!;
        if (bi.derive?.entities.includes(f.type.entity)) derivations.push({ field: f.name, slot: derivedField(f.name, b), impl: bi.impl as (v: string) => string, personal: bi.derive.personalResult && f.personal });
      }
    }
    const type = ev.name;
    return (raw, pseudonymise) => {
      const id = raw.id;
      if (typeof id !== 'string' || id.length === 0) return bad('id', id === undefined ? 'missing required field id' : 'id must be a non-empty string');
      if (id.length > MAX_ID) return bad('id', `id is longer than ${MAX_ID} characters`);
      const ts = toMillis(raw.ts);
      if (ts === null) return bad('ts', raw.ts === undefined ? 'missing required field ts' : 'ts must be epoch milliseconds or an ISO-8601 date-time');
      for (const k in raw) if (!known.has(k)) return bad(k, `unknown field '${k}' for event type ${type}`);
      const out: PreparedEvent = { id, type, ts };
      for (const f of fields) {
        const v = raw[f.name];
        if (v === undefined || v === null) {
          if (!f.optional) return bad(f.name, `missing required field ${f.name} (${f.type.entity ?? f.type.base})`);
          continue;
        }
        const problem = fieldProblem(f.type, v);
        if (problem) return bad(f.name, `field ${f.name} ${problem}`);
        out[f.name] = f.type.base === 'timestamp' ? toMillis(v) : v;
      }
      for (const d of derivations) {
        const v = out[d.field];
        if (typeof v !== 'string') continue;
        const dv = d.impl(v);
        out[d.slot] = d.personal && pseudonymise ? pseudonymise(dv) : dv;
      }
      if (pseudonymise) for (const f of fields) if (f.personal && typeof out[f.name] === 'string') out[f.name] = pseudonymise(out[f.name] as string);
      return out;
    };
  }
}

/** Name of the field that holds a normalisation computed at ingestion, e.g. `email#email_domain`. */
export function derivedField(field: string, fn: string): string { return `${field}#${fn}`; }

function constant(e: Expr): number | null {
  if (e.kind === 'number') return e.value;
  if (e.kind === 'duration') return e.ms;
  if (e.kind === 'unary' && e.op === '-' && e.arg.kind === 'number') return -e.arg.value;
  return null;
}

function featureRefs(e: Expr, out: string[] = []): string[] {
  if (e.kind === 'name') out.push(e.name);
  if (e.kind !== 'agg') for (const ch of children(e)) featureRefs(ch, out);
  return out;
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'array': return e.items;
    case 'call': return e.args;
    case 'unary': case 'is_null': case 'matches': case 'in_list': return [e.arg];
    case 'binary': return [e.left, e.right];
    case 'in': return [e.arg, e.set];
    case 'has_label': return [e.entity];
    default: return [];
  }
}

function bad(field: string, message: string): BadEvent { return { code: 'bad_event', field, message }; }

function toMillis(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 && v < 8.64e15 ? Math.floor(v) : null;
  if (typeof v === 'string' && v.length <= 40 && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

function fieldProblem(t: Type, v: unknown): string | null {
  switch (t.base) {
    case 'string':
      if (typeof v !== 'string') return `must be a string${t.entity ? ` (${t.entity} id)` : ''}, found ${jsonType(v)}`;
      if (t.entity && v.length === 0) return `must be a non-empty ${t.entity} id`;
      if (v.length > (t.entity ? MAX_ID * 2 : MAX_STRING)) return `is too long (${v.length} characters)`;
      return null;
    case 'number': return typeof v === 'number' && Number.isFinite(v) ? null : `must be a finite number, found ${jsonType(v)}`;
    case 'bool': return typeof v === 'boolean' ? null : `must be true or false, found ${jsonType(v)}`;
    case 'timestamp': return toMillis(v) === null ? 'must be epoch milliseconds or an ISO-8601 date-time' : null;
    case 'duration': return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'must be a duration in milliseconds';
    case 'list':
      if (!Array.isArray(v)) return `must be a list of strings, found ${jsonType(v)}`;
      if (v.length > MAX_LIST_ITEMS) return `has more than ${MAX_LIST_ITEMS} items`;
      for (const x of v) if (typeof x !== 'string' || x.length > MAX_STRING) return 'must hold only strings';
      return null;
    default: return null;
  }
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v;
}

function distinctValue(field: string): EventFn<string | null> {
  return (ev) => { const v = ev[field]; return v === undefined || v === null ? null : typeof v === 'string' ? v : String(v); };
}

function numberValue(field: string): EventFn<number | null> {
  return (ev) => { const v = ev[field]; return typeof v === 'number' ? v : null; };
}

export function renderValue(v: unknown, base: Type['base'] | null): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (base === 'duration') return humanDuration(v);
    if (base === 'timestamp') return new Date(v).toISOString();
    return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  }
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

function humanDuration(ms: number): string {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  const out: string[] = [];
  let rest = Math.abs(ms);
  for (const [u, f] of units) {
    if (rest >= f && out.length < 2) { out.push(`${Math.floor(rest / f)}${u}`); rest %= f; }
  }
  return (ms < 0 ? '-' : '') + (out.join(' ') || `${ms}ms`);
}
