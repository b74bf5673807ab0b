// Prints expressions in canonical form: used by the formatter and to name aggregate state.
import type { Expr, Literal } from './ast.ts';

const PREC: Record<string, number> = { or: 1, and: 2, '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, '??': 5, '+': 6, '-': 6, '*': 7, '/': 7, '%': 7 };

export function quote(s: string): string {
  return '"' + s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\t', '\\t') + '"';
}

export function printLiteral(v: Literal): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return '[' + v.map(quote).join(', ') + ']';
  return String(v);
}

function prec(e: Expr): number {
  switch (e.kind) {
    case 'binary': return PREC[e.op]!;
    case 'unary': return e.op === 'not' ? 3 : 8;
    case 'is_null': case 'in': case 'in_list': case 'has_label': case 'matches': return 4;
    default: return 9;
  }
}

function wrap(e: Expr, min: number): string {
  const s = printExpr(e);
  return prec(e) < min ? `(${s})` : s;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'number': return String(e.value);
    case 'string': return quote(e.value);
    case 'duration': return e.text;
    case 'bool': return String(e.value);
    case 'null': return 'null';
    case 'now': return 'now';
    case 'name': return e.name;
    case 'array': return '[' + e.items.map(printExpr).join(', ') + ']';
    case 'call': return `${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'unary': return e.op === 'not' ? `not ${wrap(e.arg, 3)}` : `-${wrap(e.arg, 8)}`;
    case 'binary': {
      const p = PREC[e.op]!;
      // Comparisons do not chain; the right operand of a left-associative operator needs parentheses at equal precedence.
      const lp = p === 4 ? p + 1 : p;
      return `${wrap(e.left, lp)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'is_null': return `${wrap(e.arg, 5)} is ${e.negated ? 'not ' : ''}null`;
    case 'in': return `${wrap(e.arg, 5)} ${e.negated ? 'not ' : ''}in ${wrap(e.set, 5)}`;
    case 'in_list': return `${wrap(e.arg, 5)} ${e.negated ? 'not ' : ''}in list ${e.list}`;
    case 'has_label': return `${wrap(e.entity, 5)} ${e.negated ? 'not ' : ''}has label ${quote(e.label)}`;
    case 'matches': return `${wrap(e.arg, 5)} matches ${quote(e.pattern)}`;
    case 'agg': {
      let s = `${e.fn}(${e.source.types.join('|')}${e.source.field ? '.' + e.source.field : ''}`;
      if (e.by.length === 1) s += ` by ${wrap(e.by[0]!, 6)}`;
      else if (e.by.length > 1) s += ` by (${e.by.map(printExpr).join(', ')})`;
      if (e.where) s += ` where ${printExpr(e.where)}`;
      if (e.window) s += ` over ${e.window.text}`;
      return s + ')';
    }
  }
}
