// Record framing, positions and the chunked frame scanner shared by recovery, replay and reads.
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { crc32, crc32OfLength, crc32Range } from './crc32.ts';

/**
 * Frame: [u32 LE payload length][u32 LE CRC-32][payload]. The CRC covers the length bytes and
 * then the payload, so a zero-filled tail (a common torn-write artifact) never reads as a run
 * of valid empty records, and a flipped length bit is caught even when it lands on a plausible
 * size.
 */
export const HEADER_BYTES = 8;
/** Largest payload accepted; also the recovery sanity bound on a length field. */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
/** Offsets within a segment live in the low 32 bits of a position. */
export const SEGMENT_SPAN = 0x1_0000_0000;

/** A position is segment index * 2^32 + byte offset: stable across restarts, ordered, a safe integer. */
export function toPosition(segment: number, offset: number): number {
  return segment * SEGMENT_SPAN + offset;
}
export function segmentOf(position: number): number {
  return Math.floor(position / SEGMENT_SPAN);
}
export function offsetOf(position: number): number {
  return position % SEGMENT_SPAN;
}

export function checksum(len: number, payload: Uint8Array): number {
  return crc32(payload, crc32OfLength(len));
}

// Below this size the JS loop beats a native call plus a view; above it native wins on bandwidth.
const NATIVE_CRC_FROM = 1024;

/** Checksum of the payload of `len` bytes at buf[start..], the same value as checksum(). */
export function checksumAt(buf: Buffer, start: number, len: number): number {
  return len < NATIVE_CRC_FROM
    ? crc32Range(buf, start, start + len, crc32OfLength(len))
    : crc32(buf.subarray(start, start + len), crc32OfLength(len));
}

export function payloadBytes(payload: Uint8Array | string): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.byteLength;
}

/** Encodes one frame; strings are written as UTF-8 straight into the frame. */
export function encodeFrame(payload: Uint8Array | string, byteLength = payloadBytes(payload)): Buffer {
  if (typeof payload === 'string') {
    const len = byteLength;
    const frame = Buffer.allocUnsafe(HEADER_BYTES + len);
    frame.write(payload, HEADER_BYTES, 'utf8');
    frame.writeUInt32LE(len, 0);
    frame.writeUInt32LE(checksumAt(frame, HEADER_BYTES, len), 4);
    return frame;
  }
  const len = payload.byteLength;
  const frame = Buffer.allocUnsafe(HEADER_BYTES + len);
  frame.set(payload, HEADER_BYTES);
  frame.writeUInt32LE(len, 0);
  frame.writeUInt32LE(checksumAt(frame, HEADER_BYTES, len), 4);
  return frame;
}

export type FrameFault = 'torn' | 'bad-length' | 'checksum';

export interface ParseResult {
  /** Offset (in the same space as `base`) of the first byte not consumed. */
  next: number;
  /** Why parsing stopped before the end of the buffer; null when it consumed everything. */
  stop: null | 'need' | 'bad-length' | 'checksum';
  /** With stop 'need': the full size of the frame that did not fit. */
  need: number;
  /** Whole frames consumed. */
  records: number;
}

export type OnFrame = (offset: number, payload: Buffer) => void;

/**
 * Parses whole frames from buf[0..] whose first byte sits at file offset `base`. With verify off
 * only the length chain is followed (sealed segments, fsynced before the roll).
 */
export function parseFrames(buf: Buffer, base: number, verify: boolean, onFrame: OnFrame | null): ParseResult {
  const end = buf.length;
  let i = 0;
  let records = 0;
  while (i < end) {
    if (end - i < HEADER_BYTES) return { next: base + i, stop: 'need', need: HEADER_BYTES, records };
    const len = buf.readUInt32LE(i);
    if (len > MAX_PAYLOAD_BYTES) return { next: base + i, stop: 'bad-length', need: 0, records };
    const frameEnd = i + HEADER_BYTES + len;
    if (frameEnd > end) return { next: base + i, stop: 'need', need: HEADER_BYTES + len, records };
    if (verify && checksumAt(buf, i + HEADER_BYTES, len) !== buf.readUInt32LE(i + 4)) {
      return { next: base + i, stop: 'checksum', need: 0, records };
    }
    if (onFrame !== null) onFrame(base + i, buf.subarray(i + HEADER_BYTES, frameEnd));
    records++;
    i = frameEnd;
  }
  return { next: base + i, stop: null, need: 0, records };
}

export interface ScanResult {
  /** Offset just past the last good frame. */
  end: number;
  /** Why the scan stopped before `limit`, or null for a clean end. */
  fault: FrameFault | null;
  records: number;
}

/** Default read size for sequential scans: large reads keep replay near disk/page-cache speed. */
export const SCAN_CHUNK_BYTES = 8 * 1024 * 1024;

// The loop both scanners share, as a generator so the sync and async readers drive the same code.
// Every window is a fresh buffer, so payload views handed out earlier stay valid.
function* scanSteps(
  from: number,
  limit: number,
  verify: boolean,
  onFrame: OnFrame | null,
  chunkBytes: number,
): Generator<{ buf: Buffer; at: number; filled: number }, ScanResult, number> {
  let winOff = from;
  let carry: Buffer | null = null;
  let need = 0;
  let records = 0;
  while (winOff < limit) {
    const size = Math.min(Math.max(chunkBytes, need), limit - winOff);
    const buf = Buffer.allocUnsafe(size);
    let n = 0;
    if (carry !== null) { carry.copy(buf); n = carry.length; }
    let eof = false;
    while (n < size) {
      const r: number = yield { buf, at: n, filled: winOff + n };
      if (r === 0) { eof = true; break; }
      n += r;
    }
    const res = parseFrames(buf.subarray(0, n), winOff, verify, onFrame);
    records += res.records;
    if (res.stop === 'bad-length' || res.stop === 'checksum') return { end: res.next, fault: res.stop, records };
    const readEnd = winOff + n;
    if (res.stop === null) {
      if (eof) return { end: readEnd, fault: readEnd < limit ? 'torn' : null, records };
      winOff = readEnd; carry = null; need = 0;
      continue;
    }
    if (eof || readEnd >= limit) return { end: res.next, fault: 'torn', records };
    carry = buf.subarray(res.next - winOff, n);
    winOff = res.next;
    need = res.need;
  }
  return { end: winOff, fault: null, records };
}

/** Scans frames in [from, limit) of an open file descriptor with large sequential reads. */
export function scanSync(fd: number, from: number, limit: number, verify: boolean, onFrame: OnFrame | null, chunkBytes = SCAN_CHUNK_BYTES): ScanResult {
  const steps = scanSteps(from, limit, verify, onFrame, chunkBytes);
  let step = steps.next(0);
  while (!step.done) {
    const { buf, at, filled } = step.value;
    step = steps.next(readSync(fd, buf, at, buf.length - at, filled));
  }
  return step.value;
}

/** Async twin of scanSync: yields each chunk's records (position = base + offset), returns the result. */
export async function* scanChunks(fh: FileHandle, from: number, limit: number, verify: boolean, base: number, chunkBytes = SCAN_CHUNK_BYTES): AsyncGenerator<Array<{ position: number; payload: Buffer }>, ScanResult> {
  let batch: Array<{ position: number; payload: Buffer }> = [];
  const steps = scanSteps(from, limit, verify, (offset, payload) => { batch.push({ position: base + offset, payload }); }, chunkBytes);
  let step = steps.next(0);
  for (;;) {
    if (batch.length > 0) { const out = batch; batch = []; yield out; }
    if (step.done) return step.value;
    const { buf, at, filled } = step.value;
    const { bytesRead } = await fh.read(buf, at, buf.length - at, filled);
    step = steps.next(bytesRead);
  }
}
