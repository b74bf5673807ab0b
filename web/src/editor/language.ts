// Syntax highlighting for strategy sources (.bw): a stream tokenizer that follows the real lexer
// (src/lang/lexer.ts) for keywords, strings, numbers, durations and comments, plus a little context so
// declarations, verdicts, entity types and built-in functions read differently from plain names.
import { HighlightStyle, StreamLanguage, syntaxHighlighting, type StringStream } from '@codemirror/language';
import { Tag, tags as t } from '@lezer/highlight';
import { hoverTooltip, type Tooltip } from '@codemirror/view';
import { KEYWORDS } from '../../../src/lang/lexer.ts';
import { AGG_FNS } from '../../../src/lang/ast.ts';
import { allBuiltins } from '../../../src/lang/builtins/index.ts';

const UNITS = new Set(['ms', 's', 'm', 'h', 'd', 'w']);
const DECLARATIONS = new Set(['entity', 'event', 'feature', 'rule', 'signal', 'list', 'test']);
const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'has', 'matches', 'by', 'where', 'over', 'from']);
const CONSTANTS = new Set(['true', 'false', 'null', 'now']);
const FIELD_TYPES = new Set(['string', 'number', 'bool', 'timestamp']);
const VERDICT_WORDS = new Set(['allow', 'challenge', 'review', 'block']);
const BUILTINS = new Map(allBuiltins().map((b) => [b.name, b]));

// One tag per verdict, so `then block` is red and `then allow` green, as everywhere else in the console.
const verdictTags = { allow: Tag.define(t.atom), challenge: Tag.define(t.atom), review: Tag.define(t.atom), block: Tag.define(t.atom) };

interface State {
  /** The previous token was a declaration keyword at the start of a line: the next name is being defined. */
  defining: string | null;
  /** The declaration this line belongs to (event, rule, test...), for field names and types inside braces. */
  decl: string | null;
  braces: number;
  lastWord: string | null;
  lastOp: string | null;
  /** A number was just read and letters follow: they are its duration unit. */
  unit: boolean;
}

function tokenize(stream: StringStream, s: State): string | null {
  if (s.unit) {
    s.unit = false;
    const u = stream.match(/^[A-Za-z]+/) as RegExpMatchArray | null;
    if (u) return UNITS.has(u[0]) ? 'unit' : 'invalid';
  }
  if (stream.eatSpace()) return null;
  const ch = stream.peek()!;
  if (ch === '#') { stream.skipToEnd(); return 'comment'; }
  if (ch === '"') {
    stream.next();
    let escaped = false;
    while (!stream.eol()) {
      const c = stream.next();
      if (escaped) { escaped = false; continue; }
      if (c === '\\') { escaped = true; continue; }
      if (c === '"') { s.lastOp = null; s.lastWord = 'string'; return 'string'; }
    }
    return 'string invalid'; // unterminated: the lexer wants the closing quote on the same line
  }
  if (/\d/.test(ch)) {
    stream.match(/^\d+(\.\d+)?/);
    if (stream.match(/^[A-Za-z]/, false)) s.unit = true;
    s.lastWord = null; s.lastOp = null;
    return 'number';
  }
  if (/[A-Za-z_]/.test(ch)) {
    const atLineStart = stream.string.slice(0, stream.pos).trim() === '';
    const word = (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray)[0];
    const prevWord = s.lastWord;
    const prevOp = s.lastOp;
    s.lastWord = word; s.lastOp = null;
    if (KEYWORDS.has(word)) {
      if (atLineStart && DECLARATIONS.has(word) && s.braces === 0) { s.defining = word; s.decl = word; return 'definitionKeyword'; }
      if (CONSTANTS.has(word)) return word === 'null' ? 'null' : word === 'now' ? 'atom' : 'bool';
      if (OPERATOR_WORDS.has(word)) return 'operatorKeyword';
      return 'keyword';
    }
    if (s.defining) { s.defining = null; return 'variableName.definition'; }
    if (prevOp === '.') return 'propertyName';
    if (s.braces > 0 && stream.match(/^\s*:/, false)) return 'propertyName';
    if (VERDICT_WORDS.has(word) && (prevWord === 'then' || prevWord === 'verdict' || (atLineStart && stream.match(/^\s+at\b/, false)))) return `verdict_${word}`;
    if (stream.match(/^\s*\(/, false)) {
      if (AGG_FNS.has(word) || BUILTINS.has(word)) return 'variableName.function.standard';
      return 'variableName.function';
    }
    if (/^[A-Z]/.test(word)) return 'typeName';
    if (s.decl === 'event' && s.braces > 0 && prevOp === ':' && FIELD_TYPES.has(word)) return 'typeName';
    return 'variableName';
  }
  stream.next();
  s.lastWord = null;
  if (ch === '{') { s.braces++; s.lastOp = ch; return 'brace'; }
  if (ch === '}') { s.braces = Math.max(0, s.braces - 1); s.lastOp = ch; return 'brace'; }
  if (ch === '(' || ch === ')') { s.lastOp = ch; return 'paren'; }
  if (ch === '[' || ch === ']') { s.lastOp = ch; return 'squareBracket'; }
  if (ch === '.' || ch === ',') { s.lastOp = ch; return 'punctuation'; }
  if ('=!<>?+-*/%|:'.includes(ch)) {
    stream.match(/^[=<>?]/); // the second character of == != <= >= ?? =>
    s.lastOp = ch;
    return 'operator';
  }
  return 'invalid';
}

export const strategyLanguage = StreamLanguage.define<State>({
  name: 'bulwark',
  startState: () => ({ defining: null, decl: null, braces: 0, lastWord: null, lastOp: null, unit: false }),
  copyState: (s) => ({ ...s }),
  token: tokenize,
  languageData: { commentTokens: { line: '#' } },
  tokenTable: { verdict_allow: verdictTags.allow, verdict_challenge: verdictTags.challenge, verdict_review: verdictTags.review, verdict_block: verdictTags.block },
});

export const strategyHighlight = syntaxHighlighting(HighlightStyle.define([
  { tag: t.comment, color: '#8590a2', fontStyle: 'italic' },
  { tag: t.definitionKeyword, color: '#7c3aed', fontWeight: '600' },
  { tag: t.keyword, color: '#7c3aed' },
  { tag: t.operatorKeyword, color: '#9333ea' },
  { tag: t.string, color: '#15803d' },
  { tag: t.number, color: '#b45309' },
  { tag: t.unit, color: '#d97706', fontWeight: '600' },
  { tag: [t.bool, t.null, t.atom], color: '#c2410c' },
  { tag: t.definition(t.variableName), color: '#1d4ed8', fontWeight: '600' },
  { tag: t.standard(t.function(t.variableName)), color: '#0e7490' },
  { tag: t.function(t.variableName), color: '#0e7490' },
  { tag: t.typeName, color: '#be185d' },
  { tag: t.propertyName, color: '#475569' },
  { tag: t.variableName, color: '#1f2430' },
  { tag: [t.operator, t.punctuation, t.brace, t.paren, t.squareBracket], color: '#64748b' },
  { tag: t.invalid, color: '#dc2626', textDecoration: 'underline wavy #dc2626' },
  { tag: verdictTags.allow, color: '#23784b', fontWeight: '600' },
  { tag: verdictTags.challenge, color: '#8a6210', fontWeight: '600' },
  { tag: verdictTags.review, color: '#1d4fb8', fontWeight: '600' },
  { tag: verdictTags.block, color: '#a72c2c', fontWeight: '600' },
]));

const AGG_DOCS: Record<string, string> = {
  count: 'count(EVENT by KEY [where COND] over WINDOW): events in the window.',
  sum: 'sum(EVENT.field by KEY over WINDOW): total of a number field.',
  min: 'min(EVENT.field by KEY over WINDOW), or min(a, b): smallest value; null for an empty window.',
  max: 'max(EVENT.field by KEY over WINDOW), or max(a, b): largest value; null for an empty window.',
  mean: 'mean(EVENT.field by KEY over WINDOW): average; null for an empty window.',
  distinct: 'distinct(EVENT.field by KEY over WINDOW): distinct values seen.',
  rate: 'rate(EVENT by KEY over WINDOW): events per second over the window.',
  first_seen: 'first_seen(EVENT by KEY): when the key was first seen; may be null.',
  last_seen: 'last_seen(EVENT by KEY): when the key was last seen before this event; may be null.',
  age: 'age(EVENT by KEY): time since first seen; may be null.',
};

/** Hovering a built-in function or an aggregate shows its signature and what it does. */
export const builtinHover = hoverTooltip((view, pos): Tooltip | null => {
  const line = view.state.doc.lineAt(pos);
  const text = line.text;
  let a = pos - line.from, b = a;
  while (a > 0 && /\w/.test(text[a - 1]!)) a--;
  while (b < text.length && /\w/.test(text[b]!)) b++;
  const word = text.slice(a, b);
  if (!word || !/^\s*\(/.test(text.slice(b))) return null;
  const fn = BUILTINS.get(word);
  const agg = AGG_DOCS[word];
  if (!fn && !agg) return null;
  return {
    pos: line.from + a,
    end: line.from + b,
    above: true,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'bw-hover';
      const sig = document.createElement('code');
      sig.textContent = fn ? `${fn.name}(${fn.params.map((p) => `${p.name}: ${p.bases.join(' | ')}`).join(', ')})` : word;
      const doc = document.createElement('div');
      doc.textContent = fn ? fn.doc : agg!;
      dom.append(sig, doc);
      if (fn?.example) {
        const ex = document.createElement('code');
        ex.className = 'bw-hover-example';
        ex.textContent = fn.example;
        dom.append(ex);
      }
      return { dom };
    },
  };
});
