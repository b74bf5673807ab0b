// Tests for record framing, the CRC implementations and the frame parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32, crc32Js, crc32OfLength, crc32Range } from './crc32.ts';
import { HEADER_BYTES, encodeFrame, offsetOf, parseFrames, segmentOf, toPosition } from './record.ts';

test('crc32 matches the standard check value and the JS fallback agrees with native', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32Js(Buffer.from('123456789')), 0xcbf43926);
  for (const n of [0, 1, 7, 255, 4096, 100_000]) {
    const data = randomBytes(n);
    assert.equal(crc32Js(data), crc32(data));
    assert.equal(crc32Js(data, 0x12345678), crc32(data, 0x12345678), 'seeded continuation agrees');
  }
  const data = randomBytes(5000);
  for (const [a, b] of [[0, 0], [0, 7], [3, 8], [1, 1023], [17, 5000]] as const) {
    assert.equal(crc32Range(data, a, b, 99), crc32(data.subarray(a, b), 99), `range ${a}..${b}`);
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(0xdeadbeef);
  assert.equal(crc32OfLength(0xdeadbeef), crc32Js(len));
});

test('frames round-trip through the parser, strings as UTF-8', () => {
  const frames = [encodeFrame('héllo'), encodeFrame(new Uint8Array(0)), encodeFrame(randomBytes(1000))];
  const buf = Buffer.concat(frames);
  const seen: Array<[number, string]> = [];
  const res = parseFrames(buf, 100, true, (off, p) => seen.push([off, p.toString('hex')]));
  assert.deepEqual(res, { next: 100 + buf.length, stop: null, need: 0, records: 3 });
  assert.equal(seen.length, 3);
  assert.equal(Buffer.from(seen[0]![1], 'hex').toString('utf8'), 'héllo');
  assert.equal(seen[1]![0], 100 + frames[0]!.length);
  assert.equal(seen[1]![1], '');
});

test('zero-filled bytes are not a valid record (the checksum covers the length)', () => {
  // zlib.crc32 returns 0 for an empty, NULL-backed buffer whatever the seed: the wrapper must not.
  assert.notEqual(encodeFrame(new Uint8Array(0)).readUInt32LE(4), 0);
  assert.equal(encodeFrame(new Uint8Array(0)).readUInt32LE(4), crc32OfLength(0));
  const res = parseFrames(Buffer.alloc(64), 0, true, null);
  assert.equal(res.stop, 'checksum');
  assert.equal(res.next, 0);
});

test('the parser reports a partial frame and the size it needs', () => {
  const f = encodeFrame(randomBytes(50));
  assert.deepEqual(parseFrames(f.subarray(0, 5), 0, true, null), { next: 0, stop: 'need', need: HEADER_BYTES, records: 0 });
  assert.deepEqual(parseFrames(f.subarray(0, 20), 0, true, null), { next: 0, stop: 'need', need: f.length, records: 0 });
  const flipped = Buffer.from(f);
  flipped[HEADER_BYTES + 10]! ^= 1;
  assert.equal(parseFrames(flipped, 0, true, null).stop, 'checksum');
  assert.equal(parseFrames(flipped, 0, false, null).stop, null, 'length-chain mode does not checksum');
});

test('positions pack segment and offset and unpack exactly', () => {
  for (const [s, o] of [[0, 0], [1, 8], [3, 0xffff_fff0], [2 ** 20, 12345]] as const) {
    const p = toPosition(s, o);
    assert.ok(Number.isSafeInteger(p));
    assert.equal(segmentOf(p), s);
    assert.equal(offsetOf(p), o);
  }
});
