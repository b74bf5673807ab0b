// The syntax tree of strategy sources, as the parser builds it and the checker and formatter read it.
import type { Loc } from './errors.ts';

export type Verdict = 'allow' | 'challenge' | 'review' | 'block';
export const VERDICTS: readonly Verdict[] = ['allow', 'challenge', 'review', 'block'];

export type TypeExpr =
  | { kind: 'name'; name: string; loc: Loc } // string, number, bool, timestamp, duration, or an entity type
  | { kind: 'list'; of: TypeExpr; loc: Loc };

export type AggFn = 'count' | 'sum' | 'min' | 'max' | 'mean' | 'distinct' | 'rate' | 'first_seen' | 'last_seen' | 'age';
export const AGG_FNS = new Set<string>(['count', 'sum', 'min', 'max', 'mean', 'distinct', 'rate', 'first_seen', 'last_seen', 'age']);

export type Expr =
  | { kind: 'number'; value: number; loc: Loc }
  | { kind: 'string'; value: string; loc: Loc }
  | { kind: 'duration'; ms: number; text: string; loc: Loc }
  | { kind: 'bool'; value: boolean; loc: Loc }
  | { kind: 'null'; loc: Loc }
  | { kind: 'now'; loc: Loc }
  | { kind: 'name'; name: string; loc: Loc }
  | { kind: 'array'; items: Expr[]; loc: Loc }
  | { kind: 'call'; fn: string; args: Expr[]; loc: Loc }
  | { kind: 'unary'; op: '-' | 'not'; arg: Expr; loc: Loc }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; loc: Loc }
  | { kind: 'is_null'; arg: Expr; negated: boolean; loc: Loc }
  | { kind: 'in'; arg: Expr; set: Expr; negated: boolean; loc: Loc } // set: array literal or a name holding a list<string>
  | { kind: 'in_list'; arg: Expr; list: string; listLoc: Loc; negated: boolean; loc: Loc }
  | { kind: 'has_label'; entity: Expr; label: string; negated: boolean; loc: Loc }
  | { kind: 'matches'; arg: Expr; pattern: string; loc: Loc }
  | { kind: 'agg'; fn: AggFn; source: AggSource; by: Expr[]; where: Expr | null; window: { ms: number; text: string } | null; loc: Loc };

export type BinaryOp = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '??';

export interface AggSource {
  types: string[]; // event types aggregated; ['*'] = every event type that has the key fields
  field: string | null; // the value aggregated (sum/min/max/mean/distinct)
  loc: Loc;
}

export interface Comments {
  leading: string[]; // comment lines right above the declaration
}

export interface FieldDecl { name: string; type: TypeExpr; optional: boolean; personal: boolean; loc: Loc; comments: string[] }

export type Decl =
  | { kind: 'entity'; name: string; personal: boolean; loc: Loc; comments: string[] }
  | { kind: 'event'; name: string; fields: FieldDecl[]; loc: Loc; comments: string[] }
  | { kind: 'list'; name: string; type: TypeExpr | null; from: string | null; loc: Loc; comments: string[] }
  | { kind: 'feature'; name: string; expr: Expr; loc: Loc; comments: string[] }
  | RuleDecl
  | { kind: 'scoring'; thresholds: { verdict: Verdict; at: number; loc: Loc }[]; loc: Loc; comments: string[] }
  | { kind: 'lateness'; ms: number; text: string; loc: Loc; comments: string[] }
  | { kind: 'signal'; name: string; types: { name: string; loc: Loc }[]; loc: Loc; comments: string[] }
  | TestDecl;

export interface RuleDecl {
  kind: 'rule';
  name: string;
  on: { name: string; loc: Loc }[];
  when: Expr | null;
  verdict: { verdict: Verdict; loc: Loc } | null;
  score: { sign: 1 | -1; expr: Expr; loc: Loc } | null;
  labels: { op: 'set' | 'clear'; entity: Expr; label: string; forMs: number | null; forText: string | null; loc: Loc }[];
  queue: { name: string; loc: Loc } | null;
  because: { text: string; loc: Loc } | null;
  loc: Loc;
  comments: string[];
}

export type Literal = string | number | boolean | null | string[];

export interface TestStep {
  kind: 'given' | 'expect';
  afterMs: number | null;
  afterText: string | null;
  eventType: string;
  typeLoc: Loc;
  fields: { name: string; value: Literal; loc: Loc }[];
  verdict: Verdict | null;
  fires: string[];
  notFires: string[];
  scoreAtLeast: number | null;
  loc: Loc;
}

export interface TestDecl {
  kind: 'test';
  name: string;
  steps: TestStep[];
  loc: Loc;
  comments: string[];
}

export interface SourceFile {
  file: string;
  decls: Decl[];
  trailingComments: string[];
}
