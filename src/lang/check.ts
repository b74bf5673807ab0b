// Type checker: resolves names, types every feature and rule on every event type it applies to, and finds cycles and unreachable rules.
import type { AggFn, Decl, Expr, RuleDecl, SourceFile, TestDecl, TypeExpr, Verdict } from './ast.ts';
import { builtin } from './builtins/index.ts';
import { strategyError, type Loc, type StrategyError, type StrategyErrorCode } from './errors.ts';
import { formatDuration } from './lexer.ts';
import { printExpr } from './print.ts';
import { assignable, comparable, entity, nullable, show, T, type Type } from './types.ts';
import { checkPattern } from './pattern.ts';
import { LINKED_ENTITY, LINKED_MEASURE_NAMES, type LinkedMeasure } from './linked.ts';

export const MAX_WINDOW_MS = 400 * 86_400_000;
export const DEFAULT_LATENESS_MS = 5 * 60_000;
const RESERVED_FIELDS = new Set(['id', 'type', 'ts']);

export interface FieldInfo {
  name: string;
  type: Type; // nullable when optional
  optional: boolean;
  personal: boolean;
  loc: Loc;
}

export interface EventInfo {
  name: string;
  fields: Map<string, FieldInfo>;
  loc: Loc;
}

export interface AggInfo {
  id: number;
  fn: AggFn;
  signature: string; // identity of the aggregate's state: two versions with the same signature share it
  keyspace: string; // identity of the key space (the by clause with its key types)
  windowMs: number;
  sources: string[]; // event types that update it
  node: Expr & { kind: 'agg' };
}

export interface FeatureInfo {
  name: string;
  expr: Expr;
  types: Map<string, Type>; // event type -> type, for the event types the feature applies to
  loc: Loc;
}

export interface RuleInfo {
  index: number;
  decl: RuleDecl;
  on: string[]; // event types the rule runs on
  deps: string[]; // features and rules it reads
}

export interface Checked {
  errors: StrategyError[];
  entities: Map<string, { personal: boolean }>;
  events: Map<string, EventInfo>;
  features: Map<string, FeatureInfo>;
  featureOrder: string[]; // dependencies first
  rules: RuleInfo[]; // evaluation order: dependencies first, then declaration order
  aggregates: AggInfo[];
  aggOf: Map<Expr, AggInfo>;
  lists: Map<string, { type: Type; from: string | null; loc: Loc }>;
  thresholds: { verdict: Verdict; at: number }[];
  latenessMs: number;
  tests: TestDecl[];
  exprTypes: Map<Expr, Type>; // the type each expression was given (personal data is tracked through it)
  signals: Map<string, { types: Set<string> }>;
  modelCalls: Map<Expr, string>; // model(...) call -> model key (name@version)
  linkedCalls: Map<Expr, number>; // linked(...) call -> measure index in LINKED_MEASURE_NAMES
}

type R = { t: Type } | { na: string } | null; // type, not applicable here (why), or an error already reported

interface Ctx {
  ev: string; // event type whose fields bare names read
  inAgg: boolean; // inside an aggregate: only fields of the aggregated event are visible
  nonNull: ReadonlySet<string>;
  deps: Set<string> | null;
}

const WINDOWED = new Set<AggFn>(['count', 'sum', 'min', 'max', 'mean', 'distinct', 'rate']);

/** What the checker needs to know of a model a strategy scores: the inputs it reads, in order. */
export interface ModelInputs { inputs: { name: string; type: 'number' | 'bool' }[] }

export function check(files: SourceFile[], opts: { files?: ReadonlySet<string>; models?: ReadonlyMap<string, ModelInputs> } = {}): Checked {
  return new Checker(files, opts.files ?? null, opts.models ?? new Map()).run();
}

export function modelKey(name: string, version: number): string { return `${name}@${version}`; }

class Checker {
  private errors: StrategyError[] = [];
  private errorKeys = new Set<string>();
  private entities = new Map<string, { personal: boolean; loc: Loc }>();
  private events = new Map<string, EventInfo>();
  private allFields = new Set<string>();
  private featureDecls = new Map<string, Decl & { kind: 'feature' }>();
  private ruleDecls = new Map<string, RuleDecl>();
  private lists = new Map<string, { type: Type; from: string | null; loc: Loc }>();
  private featureTypes = new Map<string, Map<string, R>>();
  private cyclic = new Set<string>();
  private ruleOn = new Map<string, Set<string>>();
  private aggs: AggInfo[] = [];
  private aggBySig = new Map<string, AggInfo>();
  private aggOf = new Map<Expr, AggInfo>();
  private tests: TestDecl[] = [];
  private thresholds: { verdict: Verdict; at: number }[] = [];
  private latenessMs = DEFAULT_LATENESS_MS;
  private exprTypes = new Map<Expr, Type>();
  private signals = new Map<string, { types: Set<string>; loc: Loc }>();
  private modelCalls = new Map<Expr, string>();
  private linkedCalls = new Map<Expr, number>();

  constructor(private readonly files: SourceFile[], private readonly dataFiles: ReadonlySet<string> | null, private readonly models: ReadonlyMap<string, ModelInputs>) {}

  private err(code: StrategyErrorCode, loc: Loc, message: string): null {
    const key = `${loc.file}:${loc.line}:${loc.col}:${message}`;
    if (!this.errorKeys.has(key)) { this.errorKeys.add(key); this.errors.push(strategyError(code, loc, message)); }
    return null;
  }

  run(): Checked {
    const decls = this.files.flatMap((f) => f.decls);
    this.declare(decls);
    this.findCycles();
    const features = new Map<string, FeatureInfo>();
    for (const [name, d] of this.featureDecls) {
      if (this.cyclic.has(name)) continue;
      const types = new Map<string, Type>();
      const reasons: string[] = [];
      let failed = false;
      for (const ev of this.events.keys()) {
        const r = this.featureType(name, ev);
        if (r && 't' in r) types.set(ev, r.t);
        else if (r && 'na' in r) reasons.push(r.na);
        else failed = true;
      }
      if (types.size === 0 && !failed && reasons.length > 0) {
        this.err('unreachable', d.loc, `feature ${name} applies to no event type: ${reasons[0]}`);
      }
      features.set(name, { name, expr: d.expr, types, loc: d.loc });
    }
    const rules = this.checkRules();
    for (const t of this.tests) this.checkTest(t);
    return {
      errors: this.errors,
      entities: new Map([...this.entities].map(([k, v]) => [k, { personal: v.personal }])),
      events: this.events,
      features,
      featureOrder: this.topo([...features.keys()], (n) => this.refs(this.featureDecls.get(n)!.expr).filter((x) => features.has(x))),
      rules,
      aggregates: this.aggs,
      aggOf: this.aggOf,
      lists: this.lists,
      thresholds: this.thresholds,
      latenessMs: this.latenessMs,
      tests: this.tests,
      exprTypes: this.exprTypes,
      signals: this.signals,
      modelCalls: this.modelCalls,
      linkedCalls: this.linkedCalls,
    };
  }

  // ---- declarations ----
  private declare(decls: Decl[]): void {
    for (const d of decls) if (d.kind === 'entity') {
      if (this.entities.has(d.name)) this.err('duplicate', d.loc, `entity ${d.name} is declared twice`);
      else if (['string', 'number', 'bool', 'timestamp', 'duration', 'list'].includes(d.name)) this.err('name', d.loc, `'${d.name}' is a built-in type and cannot name an entity`);
      else this.entities.set(d.name, { personal: d.personal, loc: d.loc });
    }
    let scoring: Decl | null = null;
    let lateness: Decl | null = null;
    for (const d of decls) {
      switch (d.kind) {
        case 'event': {
          if (this.events.has(d.name)) { this.err('duplicate', d.loc, `event ${d.name} is declared twice`); break; }
          const fields = new Map<string, FieldInfo>();
          for (const f of d.fields) {
            if (RESERVED_FIELDS.has(f.name)) { this.err('name', f.loc, `field '${f.name}' is implicit on every event (id, type, ts); remove it`); continue; }
            if (fields.has(f.name)) { this.err('duplicate', f.loc, `field ${f.name} appears twice in event ${d.name}`); continue; }
            const t = this.resolveType(f.type);
            if (!t) continue;
            const personal = f.personal || t.personal;
            fields.set(f.name, { name: f.name, type: { ...t, nullable: f.optional, personal }, optional: f.optional, personal, loc: f.loc });
            this.allFields.add(f.name);
          }
          this.events.set(d.name, { name: d.name, fields, loc: d.loc });
          break;
        }
        case 'feature':
          if (this.featureDecls.has(d.name) || this.ruleDecls.has(d.name)) this.err('duplicate', d.loc, `${d.name} is declared twice`);
          else this.featureDecls.set(d.name, d);
          break;
        case 'rule':
          if (this.featureDecls.has(d.name) || this.ruleDecls.has(d.name)) this.err('duplicate', d.loc, `${d.name} is declared twice`);
          else this.ruleDecls.set(d.name, d);
          break;
        case 'list': {
          if (this.lists.has(d.name)) { this.err('duplicate', d.loc, `list ${d.name} is declared twice`); break; }
          const t = d.type ? this.resolveType(d.type) : T.string;
          if (t && t.base !== 'string' && t.base !== 'number') this.err('type', d.loc, `list ${d.name} holds ${show(t)}; lists hold strings, numbers or entity ids`);
          if (d.from && this.dataFiles && !this.dataFiles.has(d.from)) this.err('file', d.loc, `list ${d.name} loads from "${d.from}", which is not in the strategy directory`);
          this.lists.set(d.name, { type: t ?? T.string, from: d.from, loc: d.loc });
          break;
        }
        case 'scoring': {
          if (scoring) { this.err('duplicate', d.loc, 'scoring is declared twice; keep one'); break; }
          scoring = d;
          const order: Verdict[] = ['challenge', 'review', 'block'];
          const seen = new Set<string>();
          for (const th of d.thresholds) {
            if (th.verdict === 'allow') { this.err('type', th.loc, 'allow needs no threshold: a score below every threshold is allowed'); continue; }
            if (seen.has(th.verdict)) this.err('duplicate', th.loc, `${th.verdict} has two thresholds`);
            seen.add(th.verdict);
          }
          const ths = d.thresholds.filter((t) => t.verdict !== 'allow').sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
          for (let i = 1; i < ths.length; i++) {
            if (ths[i]!.at <= ths[i - 1]!.at) this.err('type', ths[i]!.loc, `the ${ths[i]!.verdict} threshold (${ths[i]!.at}) must be above the ${ths[i - 1]!.verdict} threshold (${ths[i - 1]!.at})`);
          }
          this.thresholds = ths.map((t) => ({ verdict: t.verdict, at: t.at }));
          break;
        }
        case 'lateness':
          if (lateness) this.err('duplicate', d.loc, 'lateness is declared twice');
          lateness = d;
          if (d.ms > 86_400_000) this.err('type', d.loc, `lateness ${d.text} is above the 1d maximum`);
          this.latenessMs = d.ms;
          break;
        case 'test':
          this.tests.push(d);
          break;
        case 'signal': {
          if (this.signals.has(d.name)) { this.err('duplicate', d.loc, `signal ${d.name} is declared twice`); break; }
          if (builtin(d.name) || d.name === 'model' || d.name === 'linked') { this.err('name', d.loc, `${d.name} is a built-in function; name the signal differently`); break; }
          const types = new Set<string>();
          for (const t of d.types) {
            if (!this.entities.has(t.name)) this.err('name', t.loc, `unknown entity type '${t.name}'${this.suggest(t.name, this.entities.keys())}`);
            else types.add(t.name);
          }
          this.signals.set(d.name, { types, loc: d.loc });
          break;
        }
      }
    }
    for (const [name, f] of this.featureDecls) {
      if (this.signals.has(name)) this.err('name', f.loc, `feature ${name} has the name of a signal; rename one of them`);
      if (this.allFields.has(name)) this.err('name', f.loc, `feature ${name} has the name of an event field; rename it (for example ${name}_value)`);
    }
    for (const [name, r] of this.ruleDecls) {
      if (this.allFields.has(name)) this.err('name', r.loc, `rule ${name} has the name of an event field; rename it`);
    }
  }

  private resolveType(t: TypeExpr): Type | null {
    if (t.kind === 'list') {
      if (t.of.kind !== 'name' || t.of.name !== 'string') return this.err('type', t.loc, 'only list<string> is supported');
      return T.list;
    }
    switch (t.name) {
      case 'string': return T.string;
      case 'number': return T.number;
      case 'bool': return T.bool;
      case 'timestamp': return T.timestamp;
      case 'duration': return T.duration;
    }
    const e = this.entities.get(t.name);
    if (!e) return this.err('name', t.loc, `unknown type '${t.name}'; expected string, number, bool, timestamp, list<string> or a declared entity${this.suggest(t.name, [...this.entities.keys()])}`);
    return entity(t.name, e.personal);
  }

  private suggest(name: string, candidates: Iterable<string>): string {
    let best = '';
    let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
    for (const c of candidates) {
      const d = editDistance(name, c);
      if (d < bestD) { bestD = d; best = c; }
    }
    return best ? ` (did you mean ${best}?)` : '';
  }

  // ---- dependency graph ----
  /** Feature and rule names an expression reads, outside aggregates. */
  private refs(e: Expr, out: string[] = []): string[] {
    walk(e, (x) => {
      if (x.kind === 'agg') return false;
      if (x.kind === 'name' && (this.featureDecls.has(x.name) || this.ruleDecls.has(x.name))) out.push(x.name);
      if (x.kind === 'call' && x.fn === 'model') {
        const m = this.models.get(modelKeyOf(x) ?? '');
        for (const i of m?.inputs ?? []) if (this.featureDecls.has(i.name)) out.push(i.name);
      }
      return true;
    });
    return out;
  }

  private ruleRefs(r: RuleDecl): string[] {
    const out: string[] = [];
    if (r.when) this.refs(r.when, out);
    if (r.score) this.refs(r.score.expr, out);
    for (const l of r.labels) this.refs(l.entity, out);
    if (r.because) for (const n of interpolations(r.because.text)) if (this.featureDecls.has(n) || this.ruleDecls.has(n)) out.push(n);
    return out;
  }

  private findCycles(): void {
    const deps = (n: string): string[] => {
      const f = this.featureDecls.get(n);
      if (f) return this.refs(f.expr);
      const r = this.ruleDecls.get(n);
      return r ? this.ruleRefs(r) : [];
    };
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (n: string): void => {
      const s = state.get(n);
      if (s === 2) return;
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(n)).concat(n);
        for (const m of cycle) this.cyclic.add(m);
        const d = this.featureDecls.get(n) ?? this.ruleDecls.get(n)!;
        this.err('cycle', d.loc, `${cycle.join(' → ')} depend on each other in a cycle`);
        return;
      }
      state.set(n, 1);
      stack.push(n);
      for (const m of deps(n)) visit(m);
      stack.pop();
      state.set(n, 2);
    };
    for (const n of [...this.featureDecls.keys(), ...this.ruleDecls.keys()]) visit(n);
  }

  private topo(names: string[], deps: (n: string) => string[]): string[] {
    const out: string[] = [];
    const done = new Set<string>();
    const visit = (n: string) => {
      if (done.has(n)) return;
      done.add(n);
      for (const m of deps(n)) visit(m);
      out.push(n);
    };
    for (const n of names) visit(n);
    return out;
  }

  // ---- features ----
  private featureType(name: string, ev: string): R {
    let m = this.featureTypes.get(name);
    if (!m) { m = new Map(); this.featureTypes.set(name, m); }
    if (m.has(ev)) return m.get(ev)!;
    m.set(ev, null); // guards against cycles that were already reported
    const r = this.cyclic.has(name) ? null : this.type(this.featureDecls.get(name)!.expr, { ev, inAgg: false, nonNull: new Set(), deps: null });
    m.set(ev, r);
    return r;
  }

  // ---- rules ----
  private checkRules(): RuleInfo[] {
    const infos = new Map<string, RuleInfo>();
    const allEvents = [...this.events.keys()];
    const order = this.topo([...this.ruleDecls.keys()], (n) => this.ruleRefs(this.ruleDecls.get(n)!).filter((x) => this.ruleDecls.has(x)));
    for (const name of order) {
      const r = this.ruleDecls.get(name)!;
      if (this.cyclic.has(name)) continue;
      for (const o of r.on) if (!this.events.has(o.name)) this.err('name', o.loc, `unknown event type '${o.name}' after on${this.suggest(o.name, allEvents)}`);
      const candidates = r.on.length > 0 ? r.on.map((o) => o.name).filter((n) => this.events.has(n)) : allEvents;
      const on: string[] = [];
      const reasons: string[] = [];
      for (const ev of candidates) {
        const ok = this.checkRuleOn(r, ev, r.on.length > 0);
        if (ok === true) on.push(ev);
        else if (typeof ok === 'string') reasons.push(ok);
      }
      if (r.when && r.when.kind === 'bool' && !r.when.value) this.err('unreachable', r.when.loc, `rule ${name} can never fire: its condition is false`);
      else if (on.length === 0 && candidates.length > 0 && reasons.length > 0) this.err('unreachable', r.loc, `rule ${name} applies to no event type: ${reasons[0]}`);
      this.ruleOn.set(name, new Set(on));
      if (on.length > 0) infos.set(name, { index: infos.size, decl: r, on, deps: this.ruleRefs(r) });
    }
    return [...infos.values()];
  }

  /** true when the rule type-checks on ev; a reason string when it does not apply there; false on error. */
  private checkRuleOn(r: RuleDecl, ev: string, explicit: boolean): true | string | false {
    const ctx: Ctx = { ev, inAgg: false, nonNull: new Set(), deps: null };
    const parts: [Expr, (t: Type, e: Expr) => boolean][] = [];
    if (r.when) parts.push([r.when, (t, e) => this.expectBool(t, e, `the condition of rule ${r.name}`)]);
    if (r.score) parts.push([r.score.expr, (t, e) => t.base === 'number' && !t.nullable ? true : !!this.err('type', e.loc, `score points must be a number${t.nullable ? ' that is never null (use ?? 0)' : `, found ${show(t)}`}`)]);
    for (const l of r.labels) parts.push([l.entity, (t, e) => t.entity ? true : !!this.err('type', e.loc, `${l.op === 'set' ? 'label' : 'unlabel'} needs an entity (such as account or device), found ${show(t)}`)]);
    let ok: true | string | false = true;
    for (const [e, accept] of parts) {
      const r2 = this.type(e, e === r.when ? ctx : { ...ctx, nonNull: narrowing(r.when) });
      if (r2 === null) ok = false;
      else if ('na' in r2) {
        if (explicit) { this.err('type', e.loc, `rule ${r.name} runs on ${ev}, but ${r2.na}`); ok = false; }
        else if (ok === true) ok = r2.na;
      } else if (!accept(r2.t, e)) ok = false;
    }
    if (r.because) {
      for (const n of interpolations(r.because.text)) {
        const res = this.name({ kind: 'name', name: n, loc: r.because.loc }, { ...ctx, nonNull: narrowing(r.when) });
        if (res && 'na' in res) {
          if (explicit) { this.err('type', r.because.loc, `the reason of rule ${r.name} uses {${n}}, but ${res.na}`); ok = false; }
          else if (ok === true) ok = res.na;
        }
      }
    }
    return ok;
  }

  private expectBool(t: Type, e: Expr, what: string): boolean {
    if (t.base !== 'bool') return !!this.err('type', e.loc, `${what} must be true or false, found ${show(t)}`);
    if (t.nullable) return !!this.err('type', e.loc, `${what} may be null; say what null means with ?? or 'is not null'`);
    return true;
  }

  // ---- tests ----
  private checkTest(t: TestDecl): void {
    for (const s of t.steps) {
      const ev = this.events.get(s.eventType);
      if (!ev) { this.err('name', s.typeLoc, `unknown event type '${s.eventType}'${this.suggest(s.eventType, this.events.keys())}`); continue; }
      const given = new Set<string>();
      for (const f of s.fields) {
        given.add(f.name);
        if (f.name === 'id' || f.name === 'ts') continue;
        const fi = ev.fields.get(f.name);
        if (!fi) { this.err('name', f.loc, `event ${s.eventType} has no field '${f.name}'${this.suggest(f.name, ev.fields.keys())}`); continue; }
        const v = f.value;
        const base = v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
        const want = fi.type.base === 'timestamp' ? ['number', 'string'] : [fi.type.base];
        if (base === 'null' ? !fi.optional : !want.includes(base)) this.err('type', f.loc, `field ${f.name} of ${s.eventType} is ${show(fi.type)}, found ${base}`);
      }
      for (const [name, fi] of ev.fields) if (!fi.optional && !given.has(name)) this.err('type', s.loc, `the ${s.eventType} event needs field '${name}'`);
      for (const r of [...s.fires, ...s.notFires]) if (!this.ruleDecls.has(r)) this.err('name', s.loc, `unknown rule '${r}'${this.suggest(r, this.ruleDecls.keys())}`);
    }
  }

  // ---- expressions ----
  private type(e: Expr, ctx: Ctx): R {
    const r = this.type0(e, ctx);
    if (r && 't' in r) this.exprTypes.set(e, r.t);
    return r;
  }

  private type0(e: Expr, ctx: Ctx): R {
    switch (e.kind) {
      case 'number': return { t: T.number };
      case 'string': return { t: T.string };
      case 'duration': return { t: T.duration };
      case 'bool': return { t: T.bool };
      case 'null': return { t: T.null };
      case 'now': return { t: T.timestamp };
      case 'name': return this.name(e, ctx);
      case 'array': return this.err('type', e.loc, 'a [list] can only follow in (as in country in ["US", "CA"])');
      case 'unary': {
        const a = this.type(e.arg, ctx);
        if (!a || 'na' in a) return a;
        if (e.op === 'not') return this.expectBool(a.t, e.arg, "the operand of 'not'") ? { t: T.bool } : null;
        if (!this.plain(a.t, e.arg, "'-'")) return null;
        if (a.t.base !== 'number' && a.t.base !== 'duration') return this.err('type', e.loc, `'-' needs a number or a duration, found ${show(a.t)}`);
        return { t: a.t };
      }
      case 'binary': return this.binary(e, ctx);
      case 'is_null': {
        const a = this.type(e.arg, ctx);
        return a && 'na' in a ? a : a ? { t: T.bool } : null;
      }
      case 'in': return this.inExpr(e, ctx);
      case 'in_list': {
        const a = this.type(e.arg, ctx);
        if (!a || 'na' in a) return a;
        const l = this.lists.get(e.list);
        if (!l) return this.err('name', e.listLoc, `unknown list '${e.list}'; declare it with: list ${e.list}${this.suggest(e.list, this.lists.keys())}`);
        if (a.t.nullable) return this.err('type', e.arg.loc, `${printExpr(e.arg)} may be null; check 'is not null' first or use ??`);
        if (a.t.base === 'list') return { t: T.bool };
        if (!comparable(a.t, l.type)) return this.err('type', e.arg.loc, `list ${e.list} holds ${show(l.type)}, but ${printExpr(e.arg)} is ${show(a.t)}`);
        return { t: T.bool };
      }
      case 'has_label': {
        const a = this.type(e.entity, ctx);
        if (!a || 'na' in a) return a;
        if (!a.t.entity) return this.err('type', e.entity.loc, `has label needs an entity (such as account or device), found ${show(a.t)}`);
        if (a.t.nullable) return this.err('type', e.entity.loc, `${printExpr(e.entity)} may be null; check 'is not null' first`);
        return { t: T.bool };
      }
      case 'matches': {
        const a = this.type(e.arg, ctx);
        if (!a || 'na' in a) return a;
        if (!this.plain(a.t, e.arg, 'matches')) return null;
        if (a.t.base !== 'string') return this.err('type', e.arg.loc, `matches needs a string, found ${show(a.t)}`);
        const problem = checkPattern(e.pattern);
        if (problem) return this.err('type', e.loc, `pattern ${JSON.stringify(e.pattern)} is not allowed: ${problem}`);
        return { t: T.bool };
      }
      case 'call': return this.call(e, ctx);
      case 'agg': return this.aggregate(e, ctx);
    }
  }

  /** Arithmetic, ordering and string built-ins need a value that is neither null nor pseudonymised. */
  private plain(t: Type, e: Expr, what: string): boolean {
    if (t.nullable) return !!this.err('type', e.loc, `${printExpr(e)} may be null here; say what null means with ?? (as in ${printExpr(e)} ?? 0) or check 'is not null' first`);
    if (t.personal) return !!this.err('type', e.loc, `${printExpr(e)} is personal data, pseudonymised at ingestion: ${what} cannot read it; compare it for equality, look it up in a list, or use a normalisation such as email_domain()`);
    return true;
  }

  private name(e: Expr & { kind: 'name' }, ctx: Ctx): R {
    const n = e.name;
    if (!ctx.inAgg) {
      if (this.featureDecls.has(n)) {
        ctx.deps?.add(n);
        const r = this.featureType(n, ctx.ev);
        if (r && 'na' in r) return { na: `feature ${n} is not available on ${ctx.ev} events (${r.na})` };
        if (r && ctx.nonNull.has(n)) return { t: nullable(r.t, false) };
        return r;
      }
      if (this.ruleDecls.has(n)) {
        ctx.deps?.add(n);
        if (this.cyclic.has(n)) return null;
        const on = this.ruleOn.get(n);
        if (on && !on.has(ctx.ev)) return { na: `rule ${n} does not run on ${ctx.ev} events` };
        return { t: T.bool };
      }
    }
    const f = this.events.get(ctx.ev)?.fields.get(n);
    if (f) return { t: ctx.nonNull.has(n) ? nullable(f.type, false) : f.type };
    if (this.allFields.has(n)) return { na: `${ctx.ev} events have no field '${n}'` };
    const known = ctx.inAgg ? this.events.get(ctx.ev)?.fields.keys() ?? [] : [...this.featureDecls.keys(), ...this.ruleDecls.keys(), ...this.allFields];
    if (ctx.inAgg && (this.featureDecls.has(n) || this.ruleDecls.has(n))) {
      return this.err('name', e.loc, `${n} is a ${this.featureDecls.has(n) ? 'feature' : 'rule'}; inside an aggregate only fields of the aggregated ${ctx.ev} event can be used`);
    }
    return this.err('name', e.loc, `unknown name '${n}': not a feature, a rule or a field of any event${this.suggest(n, known)}`);
  }

  private binary(e: Expr & { kind: 'binary' }, ctx: Ctx): R {
    const l = this.type(e.left, ctx);
    const rctx = e.op === 'and' ? { ...ctx, nonNull: new Set([...ctx.nonNull, ...narrowing(e.left)]) }
      : e.op === 'or' ? { ...ctx, nonNull: new Set([...ctx.nonNull, ...narrowing(e.left, false)]) } : ctx;
    const r = this.type(e.right, rctx);
    if (!l || !r) return null;
    if ('na' in l) return l;
    if ('na' in r) return r;
    const a = l.t;
    const b = r.t;
    switch (e.op) {
      case 'and': case 'or':
        return this.expectBool(a, e.left, `the left side of '${e.op}'`) && this.expectBool(b, e.right, `the right side of '${e.op}'`) ? { t: T.bool } : null;
      case '==': case '!=':
        if (!comparable(a, b)) return this.err('type', e.loc, `cannot compare ${show(a)} with ${show(b)}`);
        if (a.base === 'list' || b.base === 'list') return this.err('type', e.loc, `lists cannot be compared with ${e.op}; use contains() or in list`);
        return { t: T.bool };
      case '<': case '<=': case '>': case '>=':
        if (!this.plain(a, e.left, `'${e.op}'`) || !this.plain(b, e.right, `'${e.op}'`)) return null;
        if (a.base !== b.base || !['number', 'duration', 'timestamp'].includes(a.base)) {
          return this.err('type', e.loc, `'${e.op}' compares two numbers, two durations or two timestamps; found ${show(a)} and ${show(b)}`);
        }
        return { t: T.bool };
      case '??':
        if (b.nullable && b.base !== 'null') return { t: a };
        if (a.base !== 'null' && !assignable(b, a)) return this.err('type', e.loc, `the two sides of ?? differ: ${show(a)} and ${show(b)}`);
        return { t: { ...(a.base === 'null' ? b : a), nullable: false } };
      default: {
        if (!this.plain(a, e.left, `'${e.op}'`) || !this.plain(b, e.right, `'${e.op}'`)) return null;
        const t = arithmetic(e.op, a.base, b.base);
        if (!t) return this.err('type', e.loc, `'${e.op}' cannot combine ${show(a)} and ${show(b)}`);
        return { t };
      }
    }
  }

  private inExpr(e: Expr & { kind: 'in' }, ctx: Ctx): R {
    const a = this.type(e.arg, ctx);
    if (!a || 'na' in a) return a;
    if (a.t.nullable) return this.err('type', e.arg.loc, `${printExpr(e.arg)} may be null; check 'is not null' first or use ??`);
    if (e.set.kind === 'array') {
      for (const item of e.set.items) {
        if (item.kind !== 'string' && item.kind !== 'number') return this.err('type', item.loc, 'items of an in [...] list must be literal strings or numbers');
        const it = item.kind === 'string' ? T.string : T.number;
        if (!comparable(a.t, it)) return this.err('type', item.loc, `${printExpr(e.arg)} is ${show(a.t)} but the list holds ${show(it)}`);
      }
      return { t: T.bool };
    }
    const s = this.type(e.set, ctx);
    if (!s || 'na' in s) return s;
    if (s.t.base !== 'list') return this.err('type', e.set.loc, `in needs a [list] or a list<string> value on its right, found ${show(s.t)}; for a named list write 'in list NAME'`);
    if (s.t.nullable) return this.err('type', e.set.loc, `${printExpr(e.set)} may be null; use ?? []`);
    if (a.t.base !== 'string') return this.err('type', e.arg.loc, `${show(a.t)} cannot be in a list of strings`);
    return { t: T.bool };
  }

  private call(e: Expr & { kind: 'call' }, ctx: Ctx): R {
    if (e.fn === 'model') return this.modelCall(e, ctx);
    if (e.fn === 'linked') return this.linkedCall(e, ctx);
    const sig = this.signals.get(e.fn);
    if (sig) {
      if (e.args.length !== 1) return this.err('type', e.loc, `signal ${e.fn} takes one entity, as in ${e.fn}(account)`);
      const a = this.type(e.args[0]!, ctx);
      if (!a || 'na' in a) return a;
      if (!a.t.entity || !sig.types.has(a.t.entity)) return this.err('type', e.args[0]!.loc, `signal ${e.fn} is declared on ${[...sig.types].join(', ')}, not on ${show(a.t)}`);
      return { t: nullable(T.number) };
    }
    const b = builtin(e.fn);
    if (!b) {
      const hint = this.featureDecls.has(e.fn) ? ` (${e.fn} is a feature: use it without parentheses)` : '';
      return this.err('name', e.loc, `unknown function '${e.fn}'${hint}${this.suggest(e.fn, [])}`);
    }
    if (e.args.length !== b.params.length) return this.err('type', e.loc, `${e.fn} takes ${b.params.length} argument${b.params.length === 1 ? '' : 's'} (${b.params.map((p) => p.name).join(', ')}), found ${e.args.length}`);
    const types: Type[] = [];
    let anyNull = false;
    for (let i = 0; i < e.args.length; i++) {
      const a = this.type(e.args[i]!, ctx);
      if (!a || 'na' in a) return a;
      const p = b.params[i]!;
      if (!p.bases.includes(a.t.base)) return this.err('type', e.args[i]!.loc, `argument ${p.name} of ${e.fn} must be ${p.bases.join(' or ')}, found ${show(a.t)}`);
      if (a.t.personal) {
        const arg = e.args[i]!;
        if (!b.derive) return this.err('type', arg.loc, `${printExpr(arg)} is personal data, pseudonymised at ingestion: ${e.fn}() cannot read it; use a normalisation computed before hashing (email_domain, email_canonical, ip_prefix, phone_digits), equality or a list`);
        if (arg.kind !== 'name' || !this.events.get(ctx.ev)?.fields.has(arg.name) || (a.t.entity && !b.derive.entities.includes(a.t.entity))) {
          return this.err('type', arg.loc, `${e.fn}() on personal data needs a field of type ${b.derive.entities.join(' or ')} directly (it is computed at ingestion, before pseudonymisation)`);
        }
      }
      anyNull ||= a.t.nullable;
      types.push(a.t);
    }
    return { t: nullable(b.returns(types), anyNull) };
  }

  /** `linked(account, "flagged_share")`: a graph-neighbour measure of an account, read from the engine's link graph. */
  private linkedCall(e: Expr & { kind: 'call' }, ctx: Ctx): R {
    const usage = `linked takes an account and a measure name, as in linked(account, "flagged_share"); measures: ${LINKED_MEASURE_NAMES.join(', ')}`;
    if (e.args.length !== 2) return this.err('type', e.loc, usage);
    if (ctx.inAgg) return this.err('type', e.loc, 'linked() cannot be used inside an aggregate');
    const m = e.args[1]!;
    if (m.kind !== 'string') return this.err('type', m.loc, usage);
    if (!(LINKED_MEASURE_NAMES as string[]).includes(m.value)) return this.err('name', m.loc, `unknown linked() measure "${m.value}"${this.suggest(m.value, LINKED_MEASURE_NAMES)}; measures: ${LINKED_MEASURE_NAMES.join(', ')}`);
    const a = this.type(e.args[0]!, ctx);
    if (!a || 'na' in a) return a;
    if (a.t.entity !== LINKED_ENTITY) return this.err('type', e.args[0]!.loc, `linked() reads the link graph of an ${LINKED_ENTITY}, found ${show(a.t)}`);
    this.linkedCalls.set(e, LINKED_MEASURE_NAMES.indexOf(m.value as LinkedMeasure));
    return { t: nullable(T.number) };
  }

  /** `model("login_risk", 3)`: a registered model scored on the current event; every input must be a number or bool here. */
  private modelCall(e: Expr & { kind: 'call' }, ctx: Ctx): R {
    const key = modelKeyOf(e);
    if (!key) return this.err('type', e.loc, 'model takes a model name and a version, as in model("login_risk", 3)');
    if (ctx.inAgg) return this.err('type', e.loc, 'models cannot be used inside an aggregate');
    const m = this.models.get(key);
    if (!m) {
      const known = [...this.models.keys()];
      return this.err('name', e.loc, `unknown model ${key}${known.length ? `; registered models: ${known.join(', ')}` : '; no models are registered (bulwark model train, or models/*.json next to the strategy)'}`);
    }
    for (const input of m.inputs) {
      const r = this.name({ kind: 'name', name: input.name, loc: e.loc }, ctx);
      if (!r) return null;
      if ('na' in r) return { na: `model ${key} needs ${input.name}: ${r.na}` };
      if (r.t.base !== 'number' && r.t.base !== 'bool') return this.err('type', e.loc, `model ${key} reads ${input.name} as a ${input.type}, but here it is ${show(r.t)}`);
    }
    this.modelCalls.set(e, key);
    return { t: T.number };
  }

  private aggregate(e: Expr & { kind: 'agg' }, ctx: Ctx): R {
    if (ctx.inAgg) return this.err('type', e.loc, 'aggregates cannot be nested');
    const fn = e.fn;
    if (WINDOWED.has(fn) && !e.window) return this.err('type', e.loc, `${fn} needs a window: add 'over' and a duration, as in ${fn}(... over 1h)`);
    if (!WINDOWED.has(fn) && e.window) return this.err('type', e.loc, `${fn} looks at all history kept for the key and takes no window; remove 'over ${e.window.text}'`);
    if (e.window && (e.window.ms < 1000 || e.window.ms > MAX_WINDOW_MS)) return this.err('type', e.loc, `window ${e.window.text} is out of range: windows go from 1s to 400d`);
    const needsField = fn === 'sum' || fn === 'min' || fn === 'max' || fn === 'mean' || fn === 'distinct';
    if (needsField && !e.source.field) return this.err('type', e.source.loc, `${fn} needs a field to aggregate, as in ${fn}(${e.source.types[0]}.${fn === 'distinct' ? 'account' : 'amount'} by ...)`);
    if (!needsField && e.source.field) return this.err('type', e.source.loc, `${fn} counts events and takes no field; remove '.${e.source.field}'`);

    let sources = e.source.types;
    const star = sources.length === 1 && sources[0] === '*';
    if (star) sources = [...this.events.keys()];
    else for (const s of sources) if (!this.events.has(s)) return this.err('name', e.source.loc, `unknown event type '${s}'${this.suggest(s, this.events.keys())}`);

    // Type the update side on every source event type.
    let keyTypes: Type[] | null = null;
    const updating: string[] = [];
    for (const s of sources) {
      const sctx: Ctx = { ev: s, inAgg: true, nonNull: new Set(), deps: null };
      const kts: Type[] = [];
      let skip = false;
      for (const k of e.by) {
        const r = this.type(k, sctx);
        if (!r) return null;
        if ('na' in r) { if (star) { skip = true; break; } return this.err('type', k.loc, `the key ${printExpr(k)} cannot be read on ${s} events: ${r.na}`); }
        if (!['string', 'number'].includes(r.t.base)) return this.err('type', k.loc, `a key must be an entity, a string or a number, found ${show(r.t)}`);
        kts.push(r.t);
      }
      if (skip) continue;
      if (e.source.field) {
        const f = this.events.get(s)!.fields.get(e.source.field);
        if (!f) { if (star) continue; return this.err('name', e.source.loc, `${s} events have no field '${e.source.field}'${this.suggest(e.source.field, this.events.get(s)!.fields.keys())}`); }
        if (fn !== 'distinct' && f.type.base !== 'number') return this.err('type', e.source.loc, `${fn} needs a number field, but ${s}.${f.name} is ${show(f.type)}`);
        if (fn === 'distinct' && f.type.base === 'list') return this.err('type', e.source.loc, `distinct needs a single value per event, but ${s}.${f.name} is a list`);
      }
      if (e.where) {
        const w = this.type(e.where, sctx);
        if (!w) return null;
        if ('na' in w) { if (star) continue; return this.err('type', e.where.loc, `the filter cannot be read on ${s} events: ${w.na}`); }
        if (!this.expectBool(w.t, e.where, 'a where filter')) return null;
      }
      if (keyTypes) {
        for (let i = 0; i < kts.length; i++) {
          if (!comparable(kts[i]!, keyTypes[i]!)) return this.err('type', e.by[i]!.loc, `the key ${printExpr(e.by[i]!)} is ${show(kts[i]!)} on ${s} but ${show(keyTypes[i]!)} on ${updating[0]}`);
        }
      } else keyTypes = kts;
      updating.push(s);
    }
    if (updating.length === 0) return this.err('type', e.loc, `no event type has everything ${printExpr(e)} needs`);

    // The read side: the same keys evaluated on the current event.
    const rctx: Ctx = { ev: ctx.ev, inAgg: true, nonNull: new Set(), deps: null };
    for (let i = 0; i < e.by.length; i++) {
      const r = this.type(e.by[i]!, rctx);
      if (!r) return null;
      if ('na' in r) return { na: `the key of ${printExpr(e)} needs ${r.na.replace(`${ctx.ev} events have no field`, 'a field')}` };
      if (!comparable(r.t, keyTypes![i]!)) return this.err('type', e.by[i]!.loc, `the key ${printExpr(e.by[i]!)} is ${show(r.t)} on ${ctx.ev} but ${show(keyTypes![i]!)} on ${updating[0]}`);
    }
    this.register(e, updating, keyTypes!);
    switch (fn) {
      case 'count': case 'sum': case 'distinct': case 'rate': return { t: T.number };
      case 'min': case 'max': case 'mean': return { t: nullable(T.number) };
      case 'first_seen': case 'last_seen': return { t: nullable(T.timestamp) };
      case 'age': return { t: nullable(T.duration) };
    }
  }

  private register(e: Expr & { kind: 'agg' }, sources: string[], keyTypes: Type[]): void {
    if (this.aggOf.has(e)) return;
    const keyspace = e.by.map((k, i) => `${printExpr(k)}:${keyTypes[i]!.entity ?? keyTypes[i]!.base}`).join(',') || '*';
    const stateFn = e.fn === 'age' ? 'first_seen' : e.fn;
    const signature = `${stateFn}(${[...sources].sort().join('|')}${e.source.field ? '.' + e.source.field : ''} by ${keyspace}${e.where ? ' where ' + printExpr(e.where) : ''}${e.window ? ' over ' + formatDuration(e.window.ms) : ''})`;
    let info = this.aggBySig.get(signature);
    if (!info) {
      info = { id: this.aggs.length, fn: e.fn, signature, keyspace, windowMs: e.window?.ms ?? 0, sources, node: e };
      this.aggs.push(info);
      this.aggBySig.set(signature, info);
    }
    this.aggOf.set(e, info);
  }
}

function arithmetic(op: string, a: string, b: string): Type | null {
  if (a === 'number' && b === 'number') return T.number;
  if (op === '+' || op === '-') {
    if (a === 'duration' && b === 'duration') return T.duration;
    if (a === 'timestamp' && b === 'duration') return T.timestamp;
    if (op === '+' && a === 'duration' && b === 'timestamp') return T.timestamp;
    if (op === '-' && a === 'timestamp' && b === 'timestamp') return T.duration;
  }
  if (op === '*' && ((a === 'duration' && b === 'number') || (a === 'number' && b === 'duration'))) return T.duration;
  if (op === '/' && a === 'duration' && b === 'number') return T.duration;
  if (op === '/' && a === 'duration' && b === 'duration') return T.number;
  return null;
}

/** The registry key of a `model("name", version)` call, or null when its arguments are not literals. */
export function modelKeyOf(e: Expr & { kind: 'call' }): string | null {
  const [n, v] = e.args;
  if (e.args.length !== 2 || n?.kind !== 'string' || v?.kind !== 'number' || !Number.isInteger(v.value)) return null;
  return modelKey(n.value, v.value);
}

/** Names that are known not to be null when `e` is true (or false, with positive = false). */
export function narrowing(e: Expr | null, positive = true): Set<string> {
  const out = new Set<string>();
  if (!e) return out;
  if (e.kind === 'is_null' && e.arg.kind === 'name' && e.negated === positive) out.add(e.arg.name);
  else if (e.kind === 'binary' && e.op === (positive ? 'and' : 'or')) {
    for (const n of narrowing(e.left, positive)) out.add(n);
    for (const n of narrowing(e.right, positive)) out.add(n);
  } else if (e.kind === 'unary' && e.op === 'not') for (const n of narrowing(e.arg, !positive)) out.add(n);
  return out;
}

/** `{name}` placeholders of a reason string. */
export function interpolations(text: string): string[] {
  return [...text.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
}

/** Visits an expression tree; the visitor returns false to skip a node's children. */
export function walk(e: Expr, visit: (e: Expr) => boolean): void {
  if (!visit(e)) return;
  switch (e.kind) {
    case 'array': e.items.forEach((x) => walk(x, visit)); break;
    case 'call': e.args.forEach((x) => walk(x, visit)); break;
    case 'unary': walk(e.arg, visit); break;
    case 'binary': walk(e.left, visit); walk(e.right, visit); break;
    case 'is_null': case 'matches': case 'in_list': walk(e.arg, visit); break;
    case 'in': walk(e.arg, visit); walk(e.set, visit); break;
    case 'has_label': walk(e.entity, visit); break;
    case 'agg': e.by.forEach((x) => walk(x, visit)); if (e.where) walk(e.where, visit); break;
    default: break;
  }
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
