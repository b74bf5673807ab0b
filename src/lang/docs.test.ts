import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runStrategyTests } from '../engine/index.ts';
import { allBuiltins, checkStrategy, compileStrategy, formatError } from './index.ts';
import { CATALOGUE } from './test-support.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(root + 'docs/strategy-language.md', 'utf8');
const listFiles = Object.fromEntries(readdirSync(root + 'strategies/lists').map((f) => [`lists/${f}`, readFileSync(root + 'strategies/lists/' + f, 'utf8')]));
const blocks = [...doc.matchAll(/```bulwark\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('every example in the language reference checks against the catalogue, and its tests pass', () => {
  assert.ok(blocks.length >= 12, `found ${blocks.length} examples`);
  for (const [i, src] of blocks.entries()) {
    const files = { 'catalogue.bw': CATALOGUE, 'example.bw': src, ...listFiles };
    const r = checkStrategy(files);
    assert.deepEqual(r.errors.map(formatError), [], `example ${i + 1}:\n${src}`);
    const c = compileStrategy(files);
    assert.ok(c.ok);
    for (const t of runStrategyTests(c.plan, c.lists)) assert.ok(t.passed, `${t.name}: ${t.failures.map((f) => f.message).join('; ')}`);
  }
});

test('every built-in function is documented, and its example type-checks', () => {
  for (const b of allBuiltins()) {
    assert.ok(doc.includes('`' + b.name + '('), `${b.name} is missing from docs/strategy-language.md`);
    const r = checkStrategy({ 'catalogue.bw': CATALOGUE, 'lists.bw': 'list disposable_domains\n', 'ex.bw': `feature example_of_${b.name} = ${b.example}\n` });
    assert.deepEqual(r.errors.map(formatError), [], `example of ${b.name}: ${b.example}`);
  }
});
