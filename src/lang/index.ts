// The strategy language: parse, check, compile and format strategy sources.
import { createHash } from 'node:crypto';
import { check, type Checked } from './check.ts';
import { compile } from './compile.ts';
import { sortErrors, type StrategyError } from './errors.ts';
import { parse } from './parser.ts';
import type { Plan, StrategyModel } from './plan.ts';
import type { SourceFile } from './ast.ts';

export type { Checked, AggInfo, FeatureInfo, RuleInfo, EventInfo, FieldInfo } from './check.ts';
export type { Decl, Expr, RuleDecl, SourceFile, TestDecl, TestStep, Verdict, Literal } from './ast.ts';
export { VERDICTS } from './ast.ts';
export type { Plan, EventPlan, PreparedEvent, BadEvent, Ctx, AggregatePlan, KeyspacePlan, UpdatePlan, RulePlan, EventFn, Fn, StrategyModel, LinkedReader } from './plan.ts';
export { LINKED_MEASURES, LINKED_MEASURE_NAMES, LINKED_ENTITY, type LinkedMeasure } from './linked.ts';
export { modelKey } from './check.ts';
export { VERDICT_RANK } from './plan.ts';
export { formatError, sortErrors, type StrategyError, type Loc } from './errors.ts';
export { formatSource, printFile } from './format.ts';
export { parse } from './parser.ts';
export { allBuiltins, emailCanonical, emailDomain, ipPrefix, phoneDigits } from './builtins/index.ts';
export { derivedField, renderValue } from './compile.ts';
export { formatDuration } from './lexer.ts';

/** A strategy as a set of files: `*.bw` sources and the data files their lists load from. */
export type StrategyFiles = Record<string, string>;

export const SOURCE_EXT = '.bw';

export interface CheckResult {
  checked: Checked;
  sources: SourceFile[];
  errors: StrategyError[];
}

/** Parses and type-checks every source file; all errors of all files are reported together. */
export function checkStrategy(files: StrategyFiles, models: ReadonlyMap<string, StrategyModel> = new Map()): CheckResult {
  const names = Object.keys(files).sort();
  const sources: SourceFile[] = [];
  const errors: StrategyError[] = [];
  for (const name of names) {
    if (!name.endsWith(SOURCE_EXT)) continue;
    const r = parse(name, files[name]!);
    sources.push(r.file);
    errors.push(...r.errors);
  }
  const checked = check(sources, { files: new Set(names), models });
  errors.push(...checked.errors);
  return { checked, sources, errors: sortErrors(errors) };
}

/** The content digest of a strategy: its version identity. */
export function strategyDigest(files: StrategyFiles): string {
  const h = createHash('sha256');
  for (const name of Object.keys(files).sort()) h.update(name).update('\0').update(files[name]!).update('\0');
  return h.digest('hex').slice(0, 16);
}

export type CompileResult = { ok: true; plan: Plan; lists: Map<string, string[]> } | { ok: false; errors: StrategyError[] };

export function compileStrategy(files: StrategyFiles, opts: { version?: string; pseudonymise?: ((v: string) => string) | null; allFeatures?: boolean; models?: ReadonlyMap<string, StrategyModel> } = {}): CompileResult {
  const r = checkStrategy(files, opts.models);
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  const plan = compile(r.checked, { version: opts.version ?? strategyDigest(files), pseudonymise: opts.pseudonymise ?? null, allFeatures: opts.allFeatures ?? false, models: opts.models });
  const lists = new Map<string, string[]>();
  for (const l of plan.lists) lists.set(l.name, l.from ? parseListFile(files[l.from] ?? '') : []);
  return { ok: true, plan, lists };
}

/** One value per line; blank lines and # comments are skipped. */
export function parseListFile(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const v = line.replace(/#.*/, '').trim();
    if (v) out.push(v);
  }
  return out;
}
