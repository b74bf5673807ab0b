// `bulwark check`, `test` and `fmt`: the strategy author's tools.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStrategyTests } from '../engine/index.ts';
import { checkStrategy, compileStrategy, formatError, formatSource, SOURCE_EXT, type StrategyError } from '../lang/index.ts';
import { readStrategyDir } from './sources.ts';

function relocate(dir: string, e: StrategyError): StrategyError {
  return { ...e, loc: { ...e.loc, file: join(dir, e.loc.file) } };
}

export function checkCommand(dir: string, out = console.log, err = console.error): number {
  const files = readStrategyDir(dir);
  const r = checkStrategy(files);
  for (const e of r.errors) err(formatError(relocate(dir, e)));
  if (r.errors.length > 0) {
    err(`${r.errors.length} error${r.errors.length === 1 ? '' : 's'} in ${dir}`);
    return 1;
  }
  const c = r.checked;
  out(`${dir}: ok — ${c.events.size} event types, ${c.features.size} features (${c.aggregates.length} windowed aggregates), ${c.rules.length} rules, ${c.tests.length} tests`);
  return 0;
}

export function testCommand(dir: string, out = console.log, err = console.error): number {
  const files = readStrategyDir(dir);
  const c = compileStrategy(files);
  if (!c.ok) {
    for (const e of c.errors) err(formatError(relocate(dir, e)));
    return 1;
  }
  const results = runStrategyTests(c.plan, c.lists);
  let failed = 0;
  for (const r of results) {
    out(`${r.passed ? 'PASS' : 'FAIL'} ${join(dir, r.loc.file)}:${r.loc.line} ${r.name}`);
    for (const f of r.failures) out(`     ${join(dir, f.loc.file)}:${f.loc.line}:${f.loc.col}: ${f.message}`);
    if (!r.passed) failed++;
  }
  out(`strategy tests: ${results.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

export function fmtCommand(paths: string[], mode: 'print' | 'write' | 'check', out = (s: string) => process.stdout.write(s), err = console.error): number {
  const targets: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) for (const f of Object.keys(readStrategyDir(p))) { if (f.endsWith(SOURCE_EXT)) targets.push(join(p, f)); }
    else targets.push(p);
  }
  let status = 0;
  for (const file of targets) {
    const src = readFileSync(file, 'utf8');
    const r = formatSource(file, src);
    if ('errors' in r) { for (const e of r.errors) err(formatError(e)); status = 1; continue; }
    if (mode === 'print') out(r.text);
    else if (r.text !== src) {
      if (mode === 'write') { writeFileSync(file, r.text); err(`formatted ${file}`); }
      else { err(`${file} is not formatted (run bulwark fmt --write)`); status = 1; }
    }
  }
  return status;
}
