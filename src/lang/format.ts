// `bulwark fmt`: prints a parsed source file in the one canonical layout, keeping its comments.
import type { Decl, SourceFile, TestStep, TypeExpr } from './ast.ts';
import { parse } from './parser.ts';
import { printExpr, printLiteral, quote } from './print.ts';
import type { StrategyError } from './errors.ts';

export function formatSource(file: string, src: string): { text: string } | { errors: StrategyError[] } {
  const { file: ast, errors } = parse(file, src);
  if (errors.length > 0) return { errors };
  return { text: printFile(ast) };
}

const GROUPED = new Set(['entity', 'list', 'signal', 'feature', 'lateness']);

export function printFile(f: SourceFile): string {
  const out: string[] = [];
  let prev: Decl | null = null;
  for (const d of f.decls) {
    if (prev && !(GROUPED.has(d.kind) && d.kind === prev.kind && d.comments.length === 0)) out.push('');
    for (const c of d.comments) out.push(c.trimEnd());
    out.push(printDecl(d));
    prev = d;
  }
  if (f.trailingComments.length) { if (out.length) out.push(''); out.push(...f.trailingComments.map((c) => c.trimEnd())); }
  return out.join('\n') + '\n';
}

function printType(t: TypeExpr): string { return t.kind === 'list' ? `list<${printType(t.of)}>` : t.name; }

export function printDecl(d: Decl): string {
  switch (d.kind) {
    case 'entity': return `entity ${d.name}${d.personal ? ' personal' : ''}`;
    case 'event': {
      if (d.fields.length === 0) return `event ${d.name} {}`;
      const width = Math.max(...d.fields.map((f) => f.name.length));
      const lines = d.fields.map((f) => `  ${(f.name + ':').padEnd(width + 1)} ${printType(f.type)}${f.optional ? '?' : ''}${f.personal ? ' personal' : ''}`);
      return `event ${d.name} {\n${lines.join('\n')}\n}`;
    }
    case 'list': return `list ${d.name}${d.type ? ': ' + printType(d.type) : ''}${d.from ? ' from ' + quote(d.from) : ''}`;
    case 'feature': return `feature ${d.name} = ${printExpr(d.expr)}`;
    case 'rule': {
      const lines = [`rule ${d.name}${d.on.length ? ' on ' + d.on.map((o) => o.name).join(', ') : ''}`];
      if (d.when) lines.push(`  when ${printExpr(d.when)}`);
      if (d.verdict) lines.push(`  then ${d.verdict.verdict}`);
      if (d.score) lines.push(`  score ${d.score.sign === 1 ? '+' : '-'}${printExpr(d.score.expr)}`);
      for (const l of d.labels) lines.push(`  ${l.op === 'set' ? 'label' : 'unlabel'} ${printExpr(l.entity)} ${quote(l.label)}${l.forText ? ' for ' + l.forText : ''}`);
      if (d.queue) lines.push(`  queue ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.queue.name) ? d.queue.name : quote(d.queue.name)}`);
      if (d.because) lines.push(`  because ${quote(d.because.text)}`);
      return lines.join('\n');
    }
    case 'scoring': return ['scoring', ...d.thresholds.map((t) => `  ${t.verdict} at ${t.at}`)].join('\n');
    case 'lateness': return `lateness ${d.text}`;
    case 'signal': return `signal ${d.name} on ${d.types.map((t) => t.name).join(', ')}`;
    case 'test': return [`test ${quote(d.name)}`, ...d.steps.map(printStep)].join('\n');
  }
}

function printStep(s: TestStep): string {
  const fields = s.fields.map((f) => `${f.name}: ${printLiteral(f.value)}`).join(', ');
  const lines = [`  ${s.kind}${s.afterText ? ' after ' + s.afterText : ''} ${s.eventType} { ${fields} }`];
  if (s.verdict) lines.push(`    verdict ${s.verdict}`);
  if (s.fires.length) lines.push(`    fires ${s.fires.join(', ')}`);
  if (s.notFires.length) lines.push(`    not fires ${s.notFires.join(', ')}`);
  if (s.scoreAtLeast !== null) lines.push(`    score >= ${s.scoreAtLeast}`);
  return lines.join('\n');
}
