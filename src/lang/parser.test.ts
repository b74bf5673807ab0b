import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkStrategy, formatError, parse } from './index.ts';
import { lex } from './lexer.ts';
import { withCatalogue } from './test-support.ts';

test('parses the sketch syntax of a rule with every clause', () => {
  const { file, errors } = parse('a.bw', `rule device_farm on signup
  when signups_per_device_1h > 3
  then review, score +40, label account "device_farm" for 30d, queue fake_accounts
  because "{signups_per_device_1h} signups from one device in an hour"`);
  assert.deepEqual(errors, []);
  const r = file.decls[0]!;
  assert.equal(r.kind, 'rule');
  if (r.kind !== 'rule') return;
  assert.equal(r.verdict?.verdict, 'review');
  assert.equal(r.labels[0]!.forMs, 30 * 86_400_000);
  assert.equal(r.queue?.name, 'fake_accounts');
  assert.equal(r.on[0]!.name, 'signup');
});

test('durations, strings with escapes and comments lex as expected', () => {
  const { tokens, errors } = lex('a.bw', 'x 90d 1.5h "a\\"b" # note\n5q');
  assert.deepEqual(tokens.filter((t) => t.kind === 'duration').map((t) => t.value), [90 * 86_400_000, 1.5 * 3_600_000]);
  assert.equal(tokens.find((t) => t.kind === 'string')!.text, 'a"b');
  assert.equal(tokens.find((t) => t.kind === 'comment')!.text, '# note');
  assert.equal(errors.length, 1);
  assert.match(formatError(errors[0]!), /^a\.bw:2:1: syntax error: unknown duration unit 'q'/);
});

test('reports several syntax errors in one file, each with its line and column', () => {
  const { errors } = parse('bad.bw', 'feature a = 1 +\nfeature b = (2\nrule r\n  when true\n  then maybe\nfeature ok = 3\n');
  assert.deepEqual(errors.map((e) => `${e.loc.line}:${e.loc.col}`), ['2:1', '3:1', '5:8']);
  assert.match(errors[0]!.message, /expected an expression, found 'feature'/);
  assert.match(errors[1]!.message, /expected '\)'/);
  assert.match(errors[2]!.message, /expected a verdict \(allow, challenge, review or block\), found 'maybe'/);
});

test('a type error and a syntax error in different files are reported together', () => {
  const r = checkStrategy(withCatalogue('feature n = count(signup by device over 1h) + "x"\n', { 'other.bw': 'rule r on signup\n  when (\n' }));
  const shown = r.errors.map(formatError);
  assert.equal(shown.length, 2, shown.join('\n'));
  assert.match(shown[0]!, /^main\.bw:1:45: type error: '\+' cannot combine number and string/);
  assert.match(shown[1]!, /^other\.bw:3:1: syntax error: expected an expression, found end of file/);
});

test('fuzz: the parser and checker never throw on arbitrary input', () => {
  const vocab = ['rule', 'feature', 'when', 'then', 'review', 'count', '(', ')', 'signup', 'by', 'device', 'over', '1h', '>', '3', '"s"', 'and', 'not', 'in', 'list', 'has', 'label', 'account', '=', 'x', '??', '{', '}', ',', '\n', 'score', '+', 'event', 'entity', 'test', 'expect', 'given', ':'];
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom(...vocab), { maxLength: 40 }).map((a) => a.join(' '))), (src) => {
    const r = checkStrategy(withCatalogue(src));
    for (const e of r.errors) assert.ok(e.loc.line >= 1 && e.loc.col >= 1 && e.message.length > 0);
  }), { numRuns: 400 });
});
