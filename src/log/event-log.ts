// The append-only event and decision log: segmented files, group commit, recovery, reads and replay.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { LogError } from './errors.ts';
import {
  HEADER_BYTES, MAX_PAYLOAD_BYTES, SEGMENT_SPAN, checksumAt, encodeFrame, offsetOf, payloadBytes,
  scanChunks, scanSync, segmentOf, toPosition,
} from './record.ts';
import type { FrameFault } from './record.ts';
import { acquireLock, fsyncDir, listSegments, segmentFileName, segmentPath } from './segments.ts';

export type Durability = 'fsync' | 'buffered';

export interface EventLogOptions {
  /** Roll to a new segment once this many bytes are in the current one. Default 64 MiB. */
  segmentBytes?: number;
  /** 'fsync' (default): append resolves after fdatasync. 'buffered': after write(2) only. */
  durability?: Durability;
  /**
   * Under load (appends waiting behind a group being committed) a new group starts at most this
   * often, so one fdatasync covers more records. An append that finds the log idle is committed
   * on the next event-loop turn. 0 = start the next group as soon as the last one ends. Default 2.
   */
  groupCommitMs?: number;
  /** Upper bound on the bytes one group writes. Default 4 MiB. */
  maxBatchBytes?: number;
  /** 'buffered' mode: fdatasync at most this long after a write. Default 200. */
  fsyncIntervalMs?: number;
  /** 'tail' (default): checksum the last segment, follow the length chain of sealed ones. 'all': checksum everything. */
  verify?: 'tail' | 'all';
}

export interface Recovery {
  /** Good records found at open. */
  records: number;
  /** Bytes cut from the end of the last segment (torn or corrupt tail). */
  truncatedBytes: number;
  segments: number;
  /** What was wrong with the cut tail, or null when nothing was cut. */
  fault: FrameFault | null;
}

export interface LogStats {
  segments: number;
  bytes: number;
  records: number;
  fsyncs: number;
  lastFsyncMs: number;
  /** Records accepted but not yet acknowledged (queued or in the group being committed). */
  pending: number;
}

export interface LogRecord {
  position: number;
  /** A view into a replay read buffer: copy it if you keep it long, it pins that buffer. */
  payload: Uint8Array;
}

interface Ticket {
  /** Records of this call not yet committed; -1 once settled by a failure. */
  left: number;
  done(): void;
  fail(error: Error): void;
}

interface Pending {
  segment: number;
  offset: number;
  frame: Buffer;
  ticket: Ticket;
}

interface Reader {
  fd: number;
  users: number;
}

const DEFAULTS = {
  segmentBytes: 64 * 1024 * 1024,
  durability: 'fsync' as Durability,
  groupCommitMs: 2,
  maxBatchBytes: 4 * 1024 * 1024,
  fsyncIntervalMs: 200,
  verify: 'tail' as 'tail' | 'all',
};
const MAX_READERS = 64;
const READ_GUESS_BYTES = 4096;
const fsRead = promisify(fs.read);

type Resolved = typeof DEFAULTS;

function resolveOptions(opts: EventLogOptions): Resolved {
  const o: Resolved = { ...DEFAULTS };
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  const bad = (what: string): never => { throw new LogError('BAD_OPTIONS', `event log option ${what}`); };
  if (!Number.isInteger(o.segmentBytes) || o.segmentBytes < 64 || o.segmentBytes >= SEGMENT_SPAN) bad('segmentBytes must be an integer in [64, 2^32)');
  if (o.durability !== 'fsync' && o.durability !== 'buffered') bad(`durability must be 'fsync' or 'buffered'`);
  if (!Number.isFinite(o.groupCommitMs) || o.groupCommitMs < 0) bad('groupCommitMs must be >= 0');
  if (!Number.isInteger(o.maxBatchBytes) || o.maxBatchBytes < 1) bad('maxBatchBytes must be a positive integer');
  if (!Number.isFinite(o.fsyncIntervalMs) || o.fsyncIntervalMs <= 0) bad('fsyncIntervalMs must be > 0');
  if (o.verify !== 'tail' && o.verify !== 'all') bad(`verify must be 'tail' or 'all'`);
  return o;
}

function ioMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e);
}

export class EventLog {
  readonly dir: string;
  readonly recovery: Recovery;
  private readonly o: Resolved;
  private readonly releaseLock: () => void;

  // Committed state: what reads and replay may see.
  private readonly firstSegment: number;
  private readonly sizes: number[]; // committed bytes per segment, index = segment - firstSegment
  private bytes: number;
  private records: number;

  // Assignment cursor: where the next accepted record goes (ahead of the committed end).
  private tailSegment: number;
  private tailOffset: number;

  // Writer.
  private writer: FileHandle;
  private writerSegment: number;
  private queue: Pending[] = [];
  private queueBytes = 0;
  private inFlight = 0;
  private flushing = false;
  private wake: { timer: NodeJS.Timeout } | { immediate: NodeJS.Immediate } | null = null;
  private lastGroupStart = -Infinity;
  private dirty = false;
  private syncDue = false;
  private syncTimer: NodeJS.Timeout | null = null;
  private fsyncs = 0;
  private lastFsyncMs = 0;
  private failure: LogError | null = null;
  private closing = false;
  private closed: Promise<void> | null = null;
  private idleWaiters: Array<() => void> = [];

  private readonly readers = new Map<number, Reader>();

  private constructor(dir: string, o: Resolved, releaseLock: () => void, firstSegment: number, sizes: number[], records: number, recovery: Recovery, writer: FileHandle) {
    this.dir = dir;
    this.o = o;
    this.releaseLock = releaseLock;
    this.firstSegment = firstSegment;
    this.sizes = sizes;
    this.bytes = sizes.reduce((a, b) => a + b, 0);
    this.records = records;
    this.recovery = recovery;
    this.writer = writer;
    this.writerSegment = firstSegment + sizes.length - 1;
    this.tailSegment = this.writerSegment;
    this.tailOffset = sizes[sizes.length - 1]!;
    if (o.durability === 'buffered') {
      this.syncTimer = setInterval(() => {
        if (this.dirty && this.failure === null) { this.syncDue = true; this.kick(); }
      }, o.fsyncIntervalMs);
      this.syncTimer.unref();
    }
  }

  /**
   * Opens (creating if needed) the log in `dir`. Sealed segments must be whole; the last one is
   * checksummed record by record and cut back to its last good record, so a torn or corrupt
   * tail is never served or appended after.
   */
  static async open(dir: string, opts: EventLogOptions = {}): Promise<EventLog> {
    const o = resolveOptions(opts);
    fs.mkdirSync(dir, { recursive: true });
    const release = acquireLock(dir);
    let writer: FileHandle | null = null;
    try {
      let segments = listSegments(dir);
      if (segments.length === 0) {
        fs.closeSync(fs.openSync(segmentPath(dir, 0), 'wx'));
        fsyncDir(dir);
        segments = [0];
      }
      const sizes: number[] = [];
      let records = 0;
      for (const seg of segments.slice(0, -1)) {
        const fd = fs.openSync(segmentPath(dir, seg), 'r');
        try {
          const size = fs.fstatSync(fd).size;
          const res = scanSync(fd, 0, size, o.verify === 'all', null);
          // A sealed segment was fsynced before its successor existed: damage here is not a torn write.
          if (res.fault !== null) {
            throw new LogError('CORRUPT', `sealed segment ${segmentFileName(seg)} in ${dir} is damaged (${res.fault}) at offset ${res.end} of ${size}`);
          }
          records += res.records;
          sizes.push(size);
        } finally { fs.closeSync(fd); }
      }
      const last = segments[segments.length - 1]!;
      const lastPath = segmentPath(dir, last);
      const fd = fs.openSync(lastPath, 'r+');
      let truncatedBytes = 0;
      let fault: FrameFault | null = null;
      try {
        const size = fs.fstatSync(fd).size;
        const res = scanSync(fd, 0, size, true, null);
        if (res.end < size) {
          fs.ftruncateSync(fd, res.end);
          fs.fsyncSync(fd);
          truncatedBytes = size - res.end;
          fault = res.fault ?? 'torn';
        }
        records += res.records;
        sizes.push(res.end);
      } finally { fs.closeSync(fd); }
      writer = await fsp.open(lastPath, 'r+');
      const recovery: Recovery = { records, truncatedBytes, segments: segments.length, fault };
      return new EventLog(dir, o, release, segments[0]!, sizes, records, recovery, writer);
    } catch (e) {
      await writer?.close().catch(() => {});
      release();
      throw e;
    }
  }

  /** Resolves with the record's position once it is durable (per the durability mode). */
  append(payload: Uint8Array | string): Promise<number> {
    const refused = this.refusal();
    if (refused !== null) return Promise.reject(refused);
    const len = payloadBytes(payload);
    if (len > MAX_PAYLOAD_BYTES) return Promise.reject(tooLarge(len));
    const frame = encodeFrame(payload, len);
    return new Promise<number>((resolve, reject) => {
      const { segment, offset } = this.place(frame.length);
      const position = toPosition(segment, offset);
      this.enqueue({ segment, offset, frame, ticket: { left: 1, done: () => resolve(position), fail: reject } });
    });
  }

  /** Appends a batch in order; resolves with every position once the whole batch is durable. */
  appendMany(payloads: ReadonlyArray<Uint8Array | string>): Promise<number[]> {
    const refused = this.refusal();
    if (refused !== null) return Promise.reject(refused);
    const frames: Buffer[] = [];
    for (const p of payloads) {
      const len = payloadBytes(p);
      if (len > MAX_PAYLOAD_BYTES) return Promise.reject(tooLarge(len)); // nothing placed yet
      frames.push(encodeFrame(p, len));
    }
    if (frames.length === 0) return Promise.resolve([]);
    return new Promise<number[]>((resolve, reject) => {
      const positions: number[] = new Array(frames.length);
      const ticket: Ticket = { left: frames.length, done: () => resolve(positions), fail: reject };
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i]!;
        const { segment, offset } = this.place(frame.length);
        positions[i] = toPosition(segment, offset);
        this.enqueue({ segment, offset, frame, ticket });
      }
    });
  }

  /** Reads and verifies the record at `position`. */
  async read(position: number): Promise<Uint8Array> {
    const { segment, offset, limit } = this.locate(position);
    const reader = this.reader(segment);
    try {
      const guess = Buffer.allocUnsafe(Math.min(READ_GUESS_BYTES, limit - offset));
      await readFully(guess, (b, at, n, pos) => fsRead(reader.fd, b, at, n, pos).then((r) => r.bytesRead), offset);
      const frame = frameFrom(guess, position, limit - offset);
      if (frame.length > guess.length) {
        guess.copy(frame);
        await readFully(frame.subarray(guess.length), (b, at, n, pos) => fsRead(reader.fd, b, at, n, pos).then((r) => r.bytesRead), offset + guess.length);
      }
      return verifiedPayload(frame, position);
    } finally { this.letGo(segment, reader); }
  }

  /** Synchronous read: one or two pread(2) calls, no event-loop round trip. */
  readSync(position: number): Uint8Array {
    const { segment, offset, limit } = this.locate(position);
    const reader = this.reader(segment);
    try {
      const guess = Buffer.allocUnsafe(Math.min(READ_GUESS_BYTES, limit - offset));
      readFullySync(reader.fd, guess, offset);
      const frame = frameFrom(guess, position, limit - offset);
      if (frame.length > guess.length) {
        guess.copy(frame);
        readFullySync(reader.fd, frame.subarray(guess.length), offset + guess.length);
      }
      return verifiedPayload(frame, position);
    } finally { this.letGo(segment, reader); }
  }

  /**
   * Every committed record from `from` (a record position; default: the start) to the committed
   * end as of the call, in order, checksums verified, read in large sequential chunks.
   */
  replay(from?: number): AsyncIterableIterator<LogRecord> {
    const chunks = this.replayChunks(from);
    // A hand-rolled iterator over whole chunks: an async generator yielding each record costs
    // several promise hops per record, which halves replay speed for small records.
    let chunk: LogRecord[] = [];
    let i = 0;
    const iterator: AsyncIterableIterator<LogRecord> = {
      next: () => {
        if (i < chunk.length) return Promise.resolve({ done: false, value: chunk[i++]! });
        return (async (): Promise<IteratorResult<LogRecord>> => {
          while (i >= chunk.length) {
            const step = await chunks.next();
            if (step.done) return { done: true, value: undefined };
            chunk = step.value;
            i = 0;
          }
          return { done: false, value: chunk[i++]! };
        })();
      },
      return: async () => {
        await chunks.return(undefined);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Like replay, one array per large read: the fastest way to consume the log asynchronously. */
  async *replayChunks(from?: number): AsyncGenerator<LogRecord[]> {
    for (const { segment, offset, limit } of this.replayPlan(from)) {
      const fh = await fsp.open(segmentPath(this.dir, segment), 'r');
      try {
        const chunks = scanChunks(fh, offset, limit, true, toPosition(segment, 0));
        for (;;) {
          const step = await chunks.next();
          if (step.done) { this.checkScan(segment, step.value.fault, step.value.end, limit); break; }
          yield step.value;
        }
      } finally { await fh.close(); }
    }
  }

  /** Synchronous replay (blocks the event loop; fastest for a startup rebuild). Returns the record count. */
  replaySync(from: number | undefined, onRecord: (position: number, payload: Uint8Array) => void): number {
    let n = 0;
    for (const { segment, offset, limit } of this.replayPlan(from)) {
      const fd = fs.openSync(segmentPath(this.dir, segment), 'r');
      try {
        const res = scanSync(fd, offset, limit, true, (off, payload) => { onRecord(toPosition(segment, off), payload); });
        this.checkScan(segment, res.fault, res.end, limit);
        n += res.records;
      } finally { fs.closeSync(fd); }
    }
    return n;
  }

  stats(): LogStats {
    return {
      segments: this.sizes.length,
      bytes: this.bytes,
      records: this.records,
      fsyncs: this.fsyncs,
      lastFsyncMs: this.lastFsyncMs,
      pending: this.queue.length + this.inFlight,
    };
  }

  /** Commits everything accepted, fsyncs, releases files and the lock. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  // ---- writer ---------------------------------------------------------------------------

  private refusal(): LogError | null {
    if (this.failure !== null) return this.failure;
    if (this.closing) return new LogError('CLOSED', `event log ${this.dir} is closed`);
    return null;
  }

  // Positions are assigned at acceptance, so a group can span a segment roll.
  private place(frameBytes: number): { segment: number; offset: number } {
    if (this.tailOffset > 0 && this.tailOffset + frameBytes > this.o.segmentBytes) {
      this.tailSegment++;
      this.tailOffset = 0;
    }
    const at = { segment: this.tailSegment, offset: this.tailOffset };
    this.tailOffset += frameBytes;
    return at;
  }

  private enqueue(p: Pending): void {
    this.queue.push(p);
    this.queueBytes += p.frame.length;
    this.kick();
  }

  /**
   * Schedules the next commit group. From an arrival at an idle log: the next event-loop turn,
   * which still gathers everything that arrived in this one. After a group that had appends
   * waiting behind it (load): no earlier than groupCommitMs after that group started, so one
   * fdatasync covers everything that arrives meanwhile. A full batch or a close never waits.
   */
  private kick(paced = false): void {
    if (this.flushing || this.wake !== null) return;
    if (this.queue.length === 0 && !this.syncDue) return;
    const wait = paced ? this.lastGroupStart + this.o.groupCommitMs - performance.now() : 0;
    if (wait <= 0 || this.queueBytes >= this.o.maxBatchBytes || this.closing) {
      this.wake = { immediate: setImmediate(() => { this.wake = null; void this.commitGroup(); }) };
    } else {
      this.wake = { timer: setTimeout(() => { this.wake = null; void this.commitGroup(); }, wait) };
    }
  }

  private takeGroup(): Pending[] {
    if (this.queueBytes <= this.o.maxBatchBytes) {
      const all = this.queue;
      this.queue = [];
      this.queueBytes = 0;
      return all;
    }
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && (n === 0 || bytes + this.queue[n]!.frame.length <= this.o.maxBatchBytes)) {
      bytes += this.queue[n]!.frame.length;
      n++;
    }
    this.queueBytes -= bytes;
    return this.queue.splice(0, n);
  }

  private async commitGroup(): Promise<void> {
    if (this.flushing || this.failure !== null) return;
    this.flushing = true;
    this.lastGroupStart = performance.now();
    const group = this.takeGroup();
    this.inFlight = group.length;
    try {
      await this.writeGroup(group);
      if (group.length > 0 && this.o.durability === 'fsync') await this.sync();
      else if (this.syncDue && this.dirty) await this.sync();
      this.syncDue = false;
    } catch (e) {
      this.fail(e, group);
      this.flushing = false;
      this.inFlight = 0;
      this.notifyIdle();
      return;
    }
    for (const p of group) {
      const end = p.offset + p.frame.length;
      const i = p.segment - this.firstSegment;
      if (end > this.sizes[i]!) { this.bytes += end - this.sizes[i]!; this.sizes[i] = end; }
    }
    this.records += group.length;
    this.inFlight = 0;
    this.flushing = false;
    // Whatever is queued now arrived while this group was committing: that is load, so pace.
    this.kick(true);
    for (const p of group) if (--p.ticket.left === 0) p.ticket.done();
    this.notifyIdle();
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    let i = 0;
    while (i < group.length) {
      const segment = group[i]!.segment;
      let j = i;
      let bytes = 0;
      while (j < group.length && group[j]!.segment === segment) { bytes += group[j]!.frame.length; j++; }
      if (segment !== this.writerSegment) await this.roll(segment);
      const buf = j - i === 1 ? group[i]!.frame : Buffer.concat(group.slice(i, j).map((p) => p.frame), bytes);
      let done = 0;
      while (done < buf.length) {
        const { bytesWritten } = await this.writer.write(buf, done, buf.length - done, group[i]!.offset + done);
        done += bytesWritten;
      }
      this.dirty = true;
      i = j;
    }
  }

  // The old segment is made durable before its successor exists, so on restart only the last
  // segment can hold a torn write.
  private async roll(segment: number): Promise<void> {
    await this.sync();
    await this.writer.close();
    this.writer = await fsp.open(segmentPath(this.dir, segment), 'wx');
    this.writerSegment = segment;
    this.sizes.push(0);
    const dir = await fsp.open(this.dir, 'r');
    try { await dir.sync(); } finally { await dir.close(); }
  }

  private async sync(): Promise<void> {
    const t0 = performance.now();
    await this.writer.datasync();
    this.fsyncs++;
    this.lastFsyncMs = performance.now() - t0;
    this.dirty = false;
  }

  // After a failed write or fsync the file state is unknown (and a retried fsync can report
  // success for lost pages), so the log refuses everything until it is reopened and recovered.
  private fail(e: unknown, group: Pending[]): void {
    this.failure = new LogError('FAILED', `event log ${this.dir} failed to commit (${ioMessage(e)}); it accepts no more appends until reopened`, { cause: e });
    const rejected = group.concat(this.queue);
    this.queue = [];
    this.queueBytes = 0;
    for (const p of rejected) {
      if (p.ticket.left < 0) continue;
      p.ticket.left = -1;
      p.ticket.fail(this.failure);
    }
  }

  private notifyIdle(): void {
    if (this.flushing || this.queue.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    if (this.syncTimer !== null) clearInterval(this.syncTimer);
    if (this.wake !== null) {
      if ('timer' in this.wake) clearTimeout(this.wake.timer); else clearImmediate(this.wake.immediate);
      this.wake = null;
    }
    if (this.failure === null && (this.flushing || this.queue.length > 0)) {
      const idle = new Promise<void>((r) => this.idleWaiters.push(r));
      this.kick();
      await idle;
    }
    try {
      if (this.failure === null && this.dirty) await this.sync();
    } finally {
      await this.writer.close().catch(() => {});
      // Descriptors still in use by a read are closed when that read lets go of them.
      for (const [seg, r] of this.readers) if (r.users === 0) { fs.closeSync(r.fd); this.readers.delete(seg); }
      this.releaseLock();
    }
  }

  // ---- readers --------------------------------------------------------------------------

  private locate(position: number): { segment: number; offset: number; limit: number } {
    if (this.closing) throw new LogError('CLOSED', `event log ${this.dir} is closed`);
    if (!Number.isSafeInteger(position) || position < 0) throw new LogError('BAD_POSITION', `${position} is not a log position`);
    const segment = segmentOf(position);
    const offset = offsetOf(position);
    const limit = this.sizes[segment - this.firstSegment];
    if (limit === undefined || offset + HEADER_BYTES > limit) {
      throw new LogError('BAD_POSITION', `no committed record at position ${position} (segment ${segment}, offset ${offset})`);
    }
    return { segment, offset, limit };
  }

  // Read descriptors are cached (bounded) and reference-counted so eviction never closes one mid-read.
  private reader(segment: number): Reader {
    let r = this.readers.get(segment);
    if (r !== undefined) {
      this.readers.delete(segment);
    } else {
      r = { fd: fs.openSync(segmentPath(this.dir, segment), 'r'), users: 0 };
      if (this.readers.size >= MAX_READERS) {
        for (const [seg, old] of this.readers) {
          if (old.users > 0) continue;
          fs.closeSync(old.fd);
          this.readers.delete(seg);
          break;
        }
      }
    }
    this.readers.set(segment, r);
    r.users++;
    return r;
  }

  private letGo(segment: number, r: Reader): void {
    if (--r.users === 0 && this.closing) { fs.closeSync(r.fd); this.readers.delete(segment); }
  }

  private replayPlan(from: number | undefined): Array<{ segment: number; offset: number; limit: number }> {
    if (this.closing) throw new LogError('CLOSED', `event log ${this.dir} is closed`);
    let segment = this.firstSegment;
    let offset = 0;
    if (from !== undefined && from > toPosition(this.firstSegment, 0)) {
      if (!Number.isSafeInteger(from)) throw new LogError('BAD_POSITION', `${from} is not a log position`);
      segment = segmentOf(from);
      offset = offsetOf(from);
    }
    // Snapshot of the committed end: records committed during the replay are not included.
    const plan: Array<{ segment: number; offset: number; limit: number }> = [];
    for (let s = segment; s < this.firstSegment + this.sizes.length; s++) {
      const limit = this.sizes[s - this.firstSegment]!;
      const start = s === segment ? offset : 0;
      if (start < limit) plan.push({ segment: s, offset: start, limit });
    }
    return plan;
  }

  private checkScan(segment: number, fault: FrameFault | null, end: number, limit: number): void {
    if (fault === null && end === limit) return;
    throw new LogError('CORRUPT', `segment ${segmentFileName(segment)} in ${this.dir}: ${fault ?? 'short read'} at offset ${end} (committed ${limit})`);
  }
}

function tooLarge(len: number): LogError {
  return new LogError('TOO_LARGE', `payload of ${len} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte record limit`);
}

// Sizes the frame from its header; the caller copies the guessed bytes in when it is bigger.
function frameFrom(guess: Buffer, position: number, available: number): Buffer {
  const len = guess.readUInt32LE(0);
  if (len > available - HEADER_BYTES) {
    throw new LogError('CORRUPT', `no valid record at position ${position}: length ${len} runs past the committed end`);
  }
  const size = HEADER_BYTES + len;
  return size <= guess.length ? guess.subarray(0, size) : Buffer.allocUnsafe(size);
}

function verifiedPayload(frame: Buffer, position: number): Uint8Array {
  if (checksumAt(frame, HEADER_BYTES, frame.length - HEADER_BYTES) !== frame.readUInt32LE(4)) {
    throw new LogError('CORRUPT', `no valid record at position ${position}: checksum mismatch`);
  }
  return frame.subarray(HEADER_BYTES);
}

async function readFully(buf: Buffer, readAt: (b: Buffer, at: number, n: number, pos: number) => Promise<number>, position: number): Promise<void> {
  let n = 0;
  while (n < buf.length) {
    const r = await readAt(buf, n, buf.length - n, position + n);
    if (r === 0) throw new LogError('CORRUPT', `segment ended early reading at ${position + n}`);
    n += r;
  }
}

function readFullySync(fd: number, buf: Buffer, position: number): void {
  let n = 0;
  while (n < buf.length) {
    const r = fs.readSync(fd, buf, n, buf.length - n, position + n);
    if (r === 0) throw new LogError('CORRUPT', `segment ended early reading at ${position + n}`);
    n += r;
  }
}
