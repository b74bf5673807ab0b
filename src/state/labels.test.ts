// Tests for entity labels with expiry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabelStore } from './labels.ts';

test('labels hold until expiresAt (exclusive) and can be cleared', () => {
  const l = new LabelStore();
  l.set('Account:a1', 'suspected_farm', 1000);
  l.set('Account:a1', 'vip', Infinity);
  assert.equal(l.has('Account:a1', 'suspected_farm', 999), true);
  assert.equal(l.has('Account:a1', 'suspected_farm', 1000), false);
  assert.equal(l.has('Account:a1', 'vip', 1e15), true);
  assert.equal(l.has('Account:a2', 'vip', 0), false);
  assert.deepEqual(l.list('Account:a1', 500).sort((a, b) => a.label.localeCompare(b.label)), [
    { label: 'suspected_farm', expiresAt: 1000 },
    { label: 'vip', expiresAt: Infinity },
  ]);
  assert.deepEqual(l.list('Account:a1', 1000), [{ label: 'vip', expiresAt: Infinity }]);
  l.set('Account:a1', 'suspected_farm', 5000); // re-set replaces the expiry
  assert.equal(l.has('Account:a1', 'suspected_farm', 2000), true);
  assert.equal(l.size, 2);
  assert.equal(l.clear('Account:a1', 'vip'), true);
  assert.equal(l.clear('Account:a1', 'vip'), false);
  assert.equal(l.size, 1);
});

test('expired labels stay readable for late reads until the horizon passes, then are swept', () => {
  const l = new LabelStore();
  for (let i = 0; i < 100; i++) l.set('Device:d' + i, 'emulator', 1000 + i);
  l.set('Device:keep', 'emulator', 10_000);
  assert.equal(l.has('Device:d5', 'emulator', 1004), true); // late read before expiry
  l.advance(1050);
  assert.equal(l.has('Device:d5', 'emulator', 1004), false); // behind the horizon: dropped
  assert.equal(l.size, 100);
  for (let i = 0; i < 200; i++) l.sweepStep(2);
  assert.equal(l.size, 50);
  assert.equal(l.sweep(2000), 49);
  assert.equal(l.size, 1);
  assert.equal(l.entities, 1);
  assert.equal(l.has('Device:keep', 'emulator', 2000), true);
});

test('clearEntity erases every label of the subject', () => {
  const l = new LabelStore();
  l.set('Account:a1', 'x', Infinity);
  l.set('Account:a1', 'y', Infinity);
  l.set('Account:a2', 'x', Infinity);
  assert.equal(l.clearEntity('Account:a1'), 2);
  assert.deepEqual(l.list('Account:a1', 0), []);
  assert.equal(l.size, 1);
});
