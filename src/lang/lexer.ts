// Turns strategy source text into tokens, keeping comments for the formatter.
import { strategyError, type Loc, type StrategyError } from './errors.ts';

export type TokenKind =
  | 'ident'
  | 'keyword'
  | 'number'
  | 'duration'
  | 'string'
  | 'op'
  | 'comment'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string; // source text (strings: the decoded value)
  value: number; // numbers and durations (ms)
  loc: Loc;
  end: number; // offset after the token
  start: number;
  newlineBefore: boolean;
}

export const KEYWORDS = new Set([
  'entity', 'event', 'personal', 'list', 'signal', 'feature', 'rule', 'on', 'when', 'then', 'score', 'label', 'unlabel',
  'for', 'queue', 'because', 'scoring', 'at', 'lateness', 'test', 'given', 'expect', 'after', 'verdict', 'fires',
  'and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'has', 'by', 'where', 'over', 'from', 'now',
  'matches',
]);

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const OPS = ['==', '!=', '<=', '>=', '??', '=>', '<', '>', '+', '-', '*', '/', '%', '(', ')', '{', '}', '[', ']', ',', '.', ':', '|', '=', '?'];

export interface LexResult {
  tokens: Token[];
  errors: StrategyError[];
}

export function lex(file: string, src: string): LexResult {
  const tokens: Token[] = [];
  const errors: StrategyError[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let newline = true;
  const loc = (at: number): Loc => ({ file, line, col: at - lineStart + 1 });
  const push = (kind: TokenKind, text: string, start: number, value = 0, l = loc(start)) => {
    tokens.push({ kind, text, value, loc: l, start, end: i, newlineBefore: newline });
    newline = false;
  };

  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 10) { i++; line++; lineStart = i; newline = true; continue; }
    if (c === 32 || c === 9 || c === 13) { i++; continue; }
    const start = i;
    if (c === 35) { // '#' comment to end of line
      while (i < src.length && src.charCodeAt(i) !== 10) i++;
      push('comment', src.slice(start, i), start);
      continue;
    }
    if (isDigit(c)) {
      while (i < src.length && isDigit(src.charCodeAt(i))) i++;
      if (src[i] === '.' && isDigit(src.charCodeAt(i + 1))) { i++; while (i < src.length && isDigit(src.charCodeAt(i))) i++; }
      const num = Number(src.slice(start, i));
      let u = i;
      while (u < src.length && isLetter(src.charCodeAt(u))) u++;
      const unit = src.slice(i, u);
      if (unit.length > 0) {
        i = u;
        if (!(unit in UNITS)) {
          errors.push(strategyError('syntax', loc(start), `unknown duration unit '${unit}' in '${src.slice(start, i)}'; expected one of ms, s, m, h, d, w`));
          push('number', src.slice(start, i), start, num);
        } else push('duration', src.slice(start, i), start, num * UNITS[unit]!);
      } else push('number', src.slice(start, i), start, num);
      continue;
    }
    if (isLetter(c) || c === 95) {
      while (i < src.length && (isLetter(src.charCodeAt(i)) || isDigit(src.charCodeAt(i)) || src.charCodeAt(i) === 95)) i++;
      const word = src.slice(start, i);
      push(KEYWORDS.has(word) ? 'keyword' : 'ident', word, start);
      continue;
    }
    if (c === 34) { // "string" with \" \\ \n \t escapes
      const l = loc(start);
      i++;
      let out = '';
      let closed = false;
      while (i < src.length) {
        const ch = src[i]!;
        if (ch === '"') { i++; closed = true; break; }
        if (ch === '\n') break;
        if (ch === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
          continue;
        }
        out += ch;
        i++;
      }
      if (!closed) errors.push(strategyError('syntax', l, 'unterminated string: expected a closing " on the same line'));
      push('string', out, start, 0, l);
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) { i += op.length; push('op', op, start); continue; }
    errors.push(strategyError('syntax', loc(start), `unexpected character '${src[i]}'`));
    i++;
  }
  push('eof', '', i);
  return { tokens, errors };
}

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isLetter(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }

export function formatDuration(ms: number): string {
  for (const [u, f] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= f && ms % f === 0) return `${ms / f}${u}`;
  }
  return `${ms}ms`;
}
