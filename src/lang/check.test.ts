import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStrategy, formatError } from './index.ts';
import { withCatalogue } from './test-support.ts';

function errorsOf(src: string, extra: Record<string, string> = {}): string[] {
  return checkStrategy(withCatalogue(src, extra)).errors.map(formatError);
}

test('the starter catalogue alone checks clean', () => {
  assert.deepEqual(errorsOf(''), []);
});

test('unknown names get a suggestion', () => {
  const e = errorsOf('feature f = count(signup by devce over 1h)');
  assert.equal(e.length, 1);
  assert.match(e[0]!, /main\.bw:1:29: name error: unknown name 'devce'.*did you mean device\?/);
});

test('aggregates over fields that do not exist, bad windows and missing fields are errors', () => {
  assert.match(errorsOf('feature f = sum(order.amout by account over 1d)')[0]!, /order events have no field 'amout' \(did you mean amount\?\)/);
  assert.match(errorsOf('feature f = sum(login.success by account over 1d)')[0]!, /sum needs a number field, but login\.success is bool/);
  assert.match(errorsOf('feature f = count(login by account)')[0]!, /count needs a window/);
  assert.match(errorsOf('feature f = count(login by account over 500d)')[0]!, /out of range/);
  assert.match(errorsOf('feature f = first_seen(login by account over 1d)')[0]!, /takes no window/);
});

test('type mismatches say what was expected', () => {
  assert.match(errorsOf('rule r on order\n  when amount > "10"\n  then review')[0]!, /'>' compares two numbers, two durations or two timestamps; found number and string/);
  assert.match(errorsOf('rule r on order\n  when amount\n  then review')[0]!, /the condition of rule r must be true or false, found number/);
  assert.match(errorsOf('rule r on follow\n  when account == device\n  then review')[0]!, /cannot compare Account with Device/);
  assert.match(errorsOf('rule r on signup\n  when length(country, 2) > 1')[0]!, /length takes 1 argument/);
});

test('null handling is explicit: optional values must be checked or defaulted', () => {
  assert.match(errorsOf('rule r on signup\n  when declared_age < 13\n  then review')[0]!, /declared_age may be null here; say what null means with \?\?/);
  assert.deepEqual(errorsOf('rule r on signup\n  when declared_age is not null and declared_age < 13\n  then review'), []);
  assert.deepEqual(errorsOf('rule r on signup\n  when (declared_age ?? 99) < 13\n  then review'), []);
  assert.match(errorsOf('feature m = max(order.amount by account over 1d)\nrule r on order\n  when m > 10\n  then review')[0]!, /m may be null/);
});

test('personal data can be compared and normalised but not read as text', () => {
  assert.deepEqual(errorsOf('rule r on signup\n  when email_domain(email) == "mailinator.com" or email == "x@y.com"\n  then review'), []);
  assert.match(errorsOf('rule r on signup\n  when contains(email, "test")\n  then review')[0]!, /email is personal data, pseudonymised at ingestion: contains\(\) cannot read it/);
  assert.match(errorsOf('rule r on signup\n  when ip > "1"\n  then review')[0]!, /personal data/);
});

test('cycles between features and between rules are found', () => {
  const e = errorsOf('feature a = b + 1\nfeature b = a + 1\nrule r1 on login\n  when r2\nrule r2 on login\n  when r1');
  assert.ok(e.some((x) => /cycle error: a → b → a/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => /cycle error: r1 → r2 → r1/.test(x)), e.join('\n'));
});

test('unreachable rules: false conditions, event types without the fields, dependencies that never run', () => {
  assert.match(errorsOf('rule r\n  when false\n  then block')[0]!, /unreachable error: rule r can never fire: its condition is false/);
  assert.match(errorsOf('rule r on login\n  when rating > 3\n  then block')[0]!, /rule r runs on login, but login events have no field 'rating'/);
  assert.match(errorsOf('rule r\n  when rating > 3 and success\n  then block')[0]!, /unreachable error: rule r applies to no event type/);
  assert.match(errorsOf('rule a on login\n  when success\nrule b on signup\n  when a\n  then review')[0]!, /rule b runs on signup, but rule a does not run on signup events/);
});

test('a rule without `on` runs on every event type where its names resolve', () => {
  const r = checkStrategy(withCatalogue('rule big_amount\n  when amount > 1000\n  then review'));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.checked.rules[0]!.on.sort(), ['gift', 'order']);
});

test('scoring thresholds must rise with severity', () => {
  assert.match(errorsOf('scoring\n  challenge at 50\n  review at 40')[0]!, /the review threshold \(40\) must be above the challenge threshold \(50\)/);
});

test('unsafe regular expressions are refused at check time', () => {
  assert.match(errorsOf('rule r on comment\n  when text matches "(a+)+$"\n  then review')[0]!, /not allowed: a repeated group contains a repetition/);
  assert.match(errorsOf('rule r on comment\n  when text matches "(a)\\\\1"\n  then review')[0]!, /back-references/);
  assert.deepEqual(errorsOf('rule r on comment\n  when text matches "^(free|cheap) (coins|followers)"\n  then review'), []);
});

test('lists must be declared and their files present', () => {
  assert.match(errorsOf('rule r on signup\n  when country in list nope\n  then review')[0]!, /unknown list 'nope'/);
  assert.match(errorsOf('list l from "missing.txt"')[0]!, /file error: list l loads from "missing.txt", which is not in the strategy directory/);
});

test('strategy tests are checked against the event schemas', () => {
  const e = errorsOf('test "t"\n  expect login { account: "a", device: "d", ip: "i", success: "yes", methd: "x" }\n    verdict allow');
  assert.ok(e.some((x) => /field success of login is bool, found string/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => /login has no field 'methd' \(did you mean method\?\)/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => /the login event needs field 'method'/.test(x)), e.join('\n'));
});

test('identical aggregates share one state signature, whatever the window is written as', () => {
  const r = checkStrategy(withCatalogue('feature a = count(login by account over 60m)\nfeature b = count(login by account over 1h) > 2'));
  assert.deepEqual(r.errors, []);
  assert.equal(r.checked.aggregates.length, 1);
  assert.equal(r.checked.aggregates[0]!.signature, 'count(login by account:Account over 1h)');
});
