import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { login, startService, T0, type Running } from './test-support.ts';

let s: Running;
before(async () => {
  s = await startService();
  // One good event so state is not empty and lateness applies.
  assert.equal((await s.call('POST', '/v1/decide', login('seed', T0 + 3_600_000, 'seed', true))).status, 200);
});
after(async () => { await s.close(); });

/** Every bad request gets a 4xx with a JSON error and changes nothing in the log or the state. */
async function rejects(method: string, path: string, opts: { body?: unknown; raw?: string; contentType?: string; key?: string | null }, status: number | number[], code?: string) {
  const before = s.svc.log.stats().records;
  const digest = s.svc.engine.stateDigest().digest;
  const r = await s.call(method, path, opts.body, { raw: opts.raw, contentType: opts.contentType, key: opts.key });
  const want = Array.isArray(status) ? status : [status];
  assert.ok(want.includes(r.status), `${method} ${path} ${opts.raw?.slice(0, 60) ?? JSON.stringify(opts.body)?.slice(0, 60)} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  assert.equal(typeof r.body?.error?.code, 'string', `JSON error body expected, got ${JSON.stringify(r.body).slice(0, 200)}`);
  assert.ok(r.body.error.message.length > 0);
  if (code) assert.equal(r.body.error.code, code);
  assert.equal(s.svc.log.stats().records, before, 'nothing was stored');
  assert.equal(s.svc.engine.stateDigest().digest, digest, 'state did not change');
  return r.body.error as { code: string; field?: string; message: string };
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

test('malformed JSON, wrong content types and oversize bodies on every JSON endpoint', async () => {
  const posts = ['/v1/decide', '/v1/events', '/v1/strategies/default/versions', '/v1/strategies/default/deployments', '/v1/lists', '/v1/lists/x/values', '/v1/labels', '/v1/keys'];
  for (const p of posts) {
    await rejects('POST', p, { raw: '{"id": "x", ' }, 400, 'malformed_json');
    await rejects('POST', p, { raw: '' }, 400);
    await rejects('POST', p, { raw: 'id=1', contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type');
    await rejects('POST', p, { raw: '{"a":"' + 'x'.repeat(70 * 1024) + '"}' }, 413, 'payload_too_large');
    await rejects('POST', p, { raw: deep(20_000) }, 400);
    await rejects('POST', p, { raw: 'null' }, 400);
  }
  await rejects('POST', '/v1/lists/blocked_devices/import', { raw: '{}', contentType: 'application/json' }, 400);
});

test('schema violations name the field', async () => {
  assert.equal((await rejects('POST', '/v1/decide', { body: { type: 'login', ts: T0 } }, 400)).field, 'id');
  assert.equal((await rejects('POST', '/v1/decide', { body: { id: 'x', type: 'login' } }, 400)).field, 'ts');
  assert.equal((await rejects('POST', '/v1/decide', { body: { id: 'x', ts: T0 } }, 400)).field, 'type');
  assert.equal((await rejects('POST', '/v1/decide', { body: { id: 1, type: 'login', ts: T0 } }, 400)).field, 'id');
  assert.equal((await rejects('POST', '/v1/decide', { body: [login('arr', T0, 'a', true)] }, 400)).code, 'invalid_request');
  assert.equal((await rejects('POST', '/v1/decide', { body: { ...login('x1', T0 + 3_600_000, 'a', true), success: 'yes' } }, 400, 'bad_event')).field, 'success');
  assert.equal((await rejects('POST', '/v1/decide', { body: { ...login('x2', T0 + 3_600_000, 'a', true), surprise: 1 } }, 400, 'bad_event')).field, 'surprise');
  assert.equal((await rejects('POST', '/v1/decide', { body: { ...login('x3', T0 + 3_600_000, 'a', true), account: 'a'.repeat(60_000) } }, 400, 'bad_event')).field, 'account');
  assert.equal((await rejects('POST', '/v1/decide', { body: { ...login('x4', T0 + 3_600_000, 'a', true), ts: 'soon' } }, 400, 'bad_event')).field, 'ts');
  assert.equal((await rejects('POST', '/v1/decide', { body: { id: 'x5', type: 'wire_transfer', ts: T0 } }, 400, 'unknown_type')).field, 'type');
  assert.equal((await rejects('POST', '/v1/decide', { body: login('x6', T0, 'a', true) }, 422, 'late')).field, 'ts');
  assert.equal((await rejects('POST', '/v1/decide', { body: { id: 'x'.repeat(300), type: 'login', ts: T0 } }, 400)).field, 'id');
  await rejects('POST', '/v1/events', { body: { events: [] } }, 400, 'invalid_request');
  await rejects('POST', '/v1/events', { body: { events: 'all' } }, 400, 'invalid_request');
  await rejects('POST', '/v1/events', { body: [login('y', T0, 'a', true)] }, 400, 'invalid_request');
  await rejects('POST', '/v1/labels', { body: { entity: 'nocolon', label: 'x', reason: 'r' } }, 400, 'invalid_request');
  await rejects('POST', '/v1/labels', { body: { entity: 'Account:a', label: 'x' } }, 400, 'invalid_request');
  await rejects('POST', '/v1/labels', { body: { entity: 'Account:a', label: 'x', reason: 'r', expires_at: 'never' } }, 400);
  await rejects('POST', '/v1/labels', { body: { entity: 'Planet:mars', label: 'x', reason: 'r' } }, 404, 'unknown_entity_type');
  await rejects('POST', '/v1/lists', { body: { name: 'bad name!' } }, 400, 'invalid_request');
  await rejects('POST', '/v1/lists/nope/values', { body: { values: ['a'] } }, 404);
  await rejects('POST', '/v1/lists/blocked_devices/values', { body: { values: [] } }, 400);
  await rejects('POST', '/v1/keys', { body: { name: 'k', scopes: ['root'] } }, 400);
  await rejects('POST', '/v1/strategies/default/versions', { body: { files: { 'a.bw': 'rule (' } } }, 422, 'strategy_invalid');
  await rejects('POST', '/v1/strategies/default/versions', { body: { files: 'x' } }, 400);
  await rejects('POST', '/v1/strategies/default/deployments', { body: { version: 999, mode: 'live' } }, 404);
  await rejects('POST', '/v1/strategies/default/deployments', { body: { version: 1, mode: 'sideways' } }, 400);
  await rejects('POST', '/v1/strategies/other/rollback', {}, 404);
  await rejects('GET', '/v1/strategies/default/versions/abc', {}, 400);
  await rejects('GET', '/v1/entities/Account/' + 'x'.repeat(600), {}, 400);
  await rejects('GET', '/v1/nothing-here', {}, 404, 'not_found');
});

test('no key, unknown key and missing scope are refused before the body is read', async () => {
  await rejects('POST', '/v1/decide', { body: { junk: true }, key: null }, 401, 'unauthorized');
  await rejects('POST', '/v1/decide', { body: login('z', T0 + 3_600_000, 'a', true), key: 'bwk_nope' }, 401, 'unauthorized');
  const { body } = await s.call('POST', '/v1/keys', { name: 'reader', scopes: ['read'] });
  await rejects('POST', '/v1/decide', { body: login('z', T0 + 3_600_000, 'a', true), key: body.key }, 403, 'forbidden');
  await rejects('POST', '/v1/lists', { body: { name: 'x' }, key: body.key }, 403, 'forbidden');
  await rejects('DELETE', '/v1/entities/Account/seed', { key: body.key }, 403, 'forbidden');
});

test('fuzz: arbitrary JSON bodies never cause a 5xx, and only accepted events are stored', async () => {
  const fields = fc.dictionary(fc.constantFrom('id', 'type', 'ts', 'account', 'device', 'ip', 'success', 'method', 'amount', '__proto__', 'constructor'), fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.constantFrom('login', 'order', T0 + 3_600_000)));
  await fc.assert(fc.asyncProperty(fc.oneof(fields, fc.jsonValue({ maxDepth: 4 })), async (body) => {
    const before = s.svc.log.stats().records;
    const r = await s.call('POST', '/v1/decide', body);
    assert.ok(r.status < 500, `${r.status} for ${JSON.stringify(body)}`);
    assert.ok(typeof r.body === 'object' && r.body !== null);
    const stored = s.svc.log.stats().records - before;
    if (r.status === 200 && r.headers.get('x-bulwark-duplicate') !== 'true') assert.equal(stored, 1);
    else assert.equal(stored, 0, `${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
  }), { numRuns: 300 });
});
