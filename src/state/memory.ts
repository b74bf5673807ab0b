// The embedded feature-state store: key spaces, aggregates, labels, dedupe and binary snapshots.
import { crc32 } from 'node:zlib';
import {
  AGG_KINDS, DEFAULT_SEEN_RETENTION_MS, KeySpace, SnapshotReader, SnapshotWriter, createAggregate,
} from '../features/index.ts';
import type { AggKind, Aggregate, AggregateSpec, StoredAggregate } from '../features/index.ts';
import { LabelStore } from './labels.ts';
import { SignalStore } from './signals.ts';
import { NeighbourGraph } from '../graph/index.ts';

export interface MemoryStoreOptions {
  latenessMs: number;
  /** How long event ids are remembered for dedupe; default max(latenessMs, 10 min), never below latenessMs. */
  dedupeHorizonMs?: number;
  /** How long first_seen/last_seen outlive an idle key; default 400 days. */
  seenRetentionMs?: number;
}

export interface StoreStats {
  keyspaces: number;
  rows: number;
  aggregates: number;
  /** Sum over aggregates of live rows in their key space. */
  pairs: number;
  dedupe: number;
  labels: number;
  signals: number;
}

export interface PersonaFeature {
  signature: string;
  kind: AggKind;
  windowMs: number;
  value: number | null;
}

const MAGIC = 'BLWKSNAP';
export const SNAPSHOT_FORMAT_VERSION = 5;
/** Version 4 snapshots (before the neighbour graph section) still restore. */
const OLDEST_FORMAT_VERSION = 4;
const HEADER_BYTES = MAGIC.length + 4 + 4;
const TEN_MINUTES = 10 * 60 * 1000;

export class MemoryStore<D = unknown> {
  readonly latenessMs: number;
  readonly dedupeHorizonMs: number;
  readonly seenRetentionMs: number;
  readonly labels = new LabelStore();
  readonly signals = new SignalStore();
  /** The link graph linked() reads; kept only while a plan uses it (Engine turns it on). */
  neighbours: NeighbourGraph | null = null;
  /** Newest event ts recorded. */
  watermark = -Infinity;
  private readonly spaces = new Map<string, KeySpace>();
  private readonly spaceList: KeySpace[] = [];
  private readonly aggs = new Map<string, StoredAggregate>();
  private readonly aggsBySpace = new Map<string, StoredAggregate[]>();
  /** Event id → absolute sequence number of its entry in the dedupe queue. */
  private readonly seqById = new Map<string, number>();
  /**
   * Dedupe entries in record order (index = seq - dedupeBase). Entries leave from the front once
   * older than the horizon; an expired entry stuck behind a newer one is hidden by prior() until then.
   */
  private dedupeIds: string[] = [];
  private dedupeTs: number[] = [];
  private dedupeDecisions: D[] = [];
  private dedupeHead = 0;
  private evictTurn = 0; // persisted: which key space steps its eviction next
  private dedupeBase = 0;

  constructor(opts: MemoryStoreOptions) {
    this.latenessMs = Math.max(0, opts.latenessMs);
    // Below the lateness a replayed id could be both accepted and forgotten, and counted twice.
    this.dedupeHorizonMs = Math.max(this.latenessMs, opts.dedupeHorizonMs ?? Math.max(this.latenessMs, TEN_MINUTES));
    this.seenRetentionMs = opts.seenRetentionMs ?? DEFAULT_SEEN_RETENTION_MS;
  }

  keyspace(signature: string): KeySpace {
    let ks = this.spaces.get(signature);
    if (ks === undefined) {
      ks = new KeySpace(signature);
      this.spaces.set(signature, ks);
      this.spaceList.push(ks);
    }
    return ks;
  }

  /** Get or create by spec.signature; strategy versions asking for the same signature share state. */
  aggregate(spec: AggregateSpec): Aggregate {
    const found = this.aggs.get(spec.signature);
    if (found !== undefined) return found;
    const agg = createAggregate({ ...spec }, this.keyspace(spec.keyspace), { latenessMs: this.latenessMs, seenRetentionMs: this.seenRetentionMs });
    this.aggs.set(spec.signature, agg);
    let list = this.aggsBySpace.get(spec.keyspace);
    if (list === undefined) { list = []; this.aggsBySpace.set(spec.keyspace, list); }
    list.push(agg);
    return agg;
  }

  isLate(ts: number): boolean {
    return ts < this.watermark - this.latenessMs;
  }

  prior(eventId: string): D | undefined {
    const seq = this.seqById.get(eventId);
    if (seq === undefined) return undefined;
    const i = seq - this.dedupeBase;
    if (this.dedupeTs[i]! < this.watermark - this.dedupeHorizonMs) return undefined;
    return this.dedupeDecisions[i];
  }

  /** Remembers the decision for dedupe, advances the watermark and runs one incremental eviction step. */
  record(eventId: string, ts: number, decision: D): void {
    if (ts > this.watermark) this.watermark = ts;
    const forgetBefore = this.watermark - this.dedupeHorizonMs;
    if (ts >= forgetBefore) {
      const seq = this.seqById.get(eventId);
      if (seq !== undefined && this.dedupeTs[seq - this.dedupeBase]! >= forgetBefore) {
        this.dedupeDecisions[seq - this.dedupeBase] = decision;
      } else {
        this.seqById.set(eventId, this.dedupeBase + this.dedupeIds.length);
        this.dedupeIds.push(eventId);
        this.dedupeTs.push(ts);
        this.dedupeDecisions.push(decision);
      }
    }
    // Housekeeping is amortised: one key space steps its eviction per event (each step catches up on the rows
    // created since its last one), and forgetting ids and sweeping labels run every 16th event.
    this.forgetIds(forgetBefore);
    this.labels.advance(this.watermark - this.latenessMs);
    const spaces = this.spaceList.length;
    if (spaces > 0) { this.spaceList[this.evictTurn % spaces]!.evictStep(this.watermark); this.evictTurn = (this.evictTurn + 1) % 0x40000000; }
    if ((this.evictTurn & 15) === 0) this.labels.sweepStep(16);
  }

  /** Full pass: evicts idle rows, dead labels and forgotten ids. */
  sweep(watermark = this.watermark): void {
    if (watermark > this.watermark) this.watermark = watermark;
    for (const ks of this.spaceList) ks.sweep(this.watermark);
    this.labels.sweep(this.watermark - this.latenessMs);
    this.forgetIds(this.watermark - this.dedupeHorizonMs);
  }

  stats(): StoreStats {
    let rows = 0;
    for (const ks of this.spaceList) rows += ks.size;
    let pairs = 0;
    for (const a of this.aggs.values()) pairs += a.keyspace.size;
    return { keyspaces: this.spaces.size, rows, aggregates: this.aggs.size, pairs, dedupe: this.seqById.size, labels: this.labels.size, signals: this.signals.size };
  }

  /** Every aggregate on a key space read at ts, for the entity page. */
  persona(keyspaceSignature: string, key: string, ts: number): PersonaFeature[] {
    const ks = this.spaces.get(keyspaceSignature);
    const list = this.aggsBySpace.get(keyspaceSignature);
    if (ks === undefined || list === undefined) return [];
    const row = ks.row(key);
    return list.map((a) => ({ signature: a.spec.signature, kind: a.spec.kind, windowMs: a.spec.windowMs, value: a.read(row, ts) }));
  }

  private forgetIds(before: number): void {
    let h = this.dedupeHead;
    const ids = this.dedupeIds;
    const tss = this.dedupeTs;
    while (h < ids.length && tss[h]! < before) {
      const id = ids[h]!;
      // Only the id's latest entry owns the map slot (an id may be re-recorded after expiring).
      if (this.seqById.get(id) === this.dedupeBase + h) this.seqById.delete(id);
      h++;
    }
    if (h > 1024 && h * 2 > ids.length) {
      this.dedupeIds = ids.slice(h);
      this.dedupeTs = tss.slice(h);
      this.dedupeDecisions = this.dedupeDecisions.slice(h);
      this.dedupeBase += h;
      h = 0;
    }
    this.dedupeHead = h;
  }

  /**
   * Binary snapshot: "BLWKSNAP", u32 format version, u32 body length, body, u32 CRC32 of the body.
   * The body holds options, watermark, key spaces, aggregate specs and slabs, labels and dedupe
   * entries (decisions as JSON), all little-endian.
   */
  snapshot(): Uint8Array {
    const w = new SnapshotWriter();
    w.f64(this.latenessMs);
    w.f64(this.dedupeHorizonMs);
    w.f64(this.seenRetentionMs);
    w.f64(this.watermark);
    w.u32(this.evictTurn);

    w.u32(this.spaceList.length);
    for (const ks of this.spaceList) {
      const s = ks.exportState();
      w.str(ks.signature);
      w.u32(s.capacity);
      w.u32(s.used);
      w.u32(s.cursor);
      w.u32(s.created);
      w.f64(s.watermark);
      w.array(s.newest);
      for (const k of s.keys) w.str(k);
      w.u32(s.free.length);
      for (const r of s.free) w.u32(r);
    }

    w.u32(this.aggs.size);
    for (const a of this.aggs.values()) {
      w.str(a.spec.signature);
      w.str(a.spec.kind);
      w.str(a.spec.keyspace);
      w.f64(a.spec.windowMs);
      a.encode(w);
    }

    w.f64(this.labels.dropHorizon);
    w.u32(this.labels.size);
    this.labels.forEach((entity, label, exp) => { w.str(entity); w.str(label); w.f64(exp); });

    w.u32(this.signals.size);
    this.signals.forEach((entity, name, value) => { w.str(entity); w.str(name); w.f64(value); });

    let live = 0;
    for (let i = this.dedupeHead; i < this.dedupeIds.length; i++) if (this.seqById.get(this.dedupeIds[i]!) === this.dedupeBase + i) live++;
    w.u32(live);
    for (let i = this.dedupeHead; i < this.dedupeIds.length; i++) {
      const id = this.dedupeIds[i]!;
      if (this.seqById.get(id) !== this.dedupeBase + i) continue; // superseded by a later entry
      w.str(id);
      w.f64(this.dedupeTs[i]!);
      const d = this.dedupeDecisions[i];
      if (d === undefined) w.u8(0);
      else { w.u8(1); w.str(JSON.stringify(d)); }
    }

    if (this.neighbours) { w.u8(1); const g = this.neighbours.snapshot(); w.u32(g.length); w.bytes(g); } else w.u8(0);

    const body = w.finish();
    const out = new Uint8Array(HEADER_BYTES + body.length + 4);
    const view = new DataView(out.buffer);
    for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
    view.setUint32(MAGIC.length, SNAPSHOT_FORMAT_VERSION, true);
    view.setUint32(MAGIC.length + 4, body.length, true);
    out.set(body, HEADER_BYTES);
    view.setUint32(HEADER_BYTES + body.length, crc32(body), true);
    return out;
  }

  static restore<D = unknown>(bytes: Uint8Array): MemoryStore<D> {
    if (bytes.length < HEADER_BYTES + 4) throw new Error(`snapshot corrupt: ${bytes.length} bytes is shorter than the header`);
    for (let i = 0; i < MAGIC.length; i++) {
      if (bytes[i] !== MAGIC.charCodeAt(i)) throw new Error('snapshot corrupt: not a Bulwark memory-store snapshot (bad magic)');
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint32(MAGIC.length, true);
    if (version < OLDEST_FORMAT_VERSION || version > SNAPSHOT_FORMAT_VERSION) throw new Error(`snapshot format version ${version} is not supported (expected ${SNAPSHOT_FORMAT_VERSION})`);
    const len = view.getUint32(MAGIC.length + 4, true);
    if (HEADER_BYTES + len + 4 !== bytes.length) throw new Error(`snapshot corrupt: body length ${len} does not match ${bytes.length} bytes`);
    const body = bytes.subarray(HEADER_BYTES, HEADER_BYTES + len);
    const expected = view.getUint32(HEADER_BYTES + len, true);
    const actual = crc32(body);
    if (expected !== actual) throw new Error(`snapshot corrupt: CRC32 mismatch (stored ${expected.toString(16)}, computed ${actual.toString(16)})`);

    const r = new SnapshotReader(body);
    const latenessMs = r.f64();
    const dedupeHorizonMs = r.f64();
    const seenRetentionMs = r.f64();
    const store = new MemoryStore<D>({ latenessMs, dedupeHorizonMs, seenRetentionMs });
    store.watermark = r.f64();
    store.evictTurn = r.u32();

    const nSpaces = r.u32();
    for (let i = 0; i < nSpaces; i++) {
      const signature = r.str();
      const capacity = r.u32();
      const used = r.u32();
      const cursor = r.u32();
      const created = r.u32();
      const watermark = r.f64();
      const newest = r.f64s();
      if (newest.length !== used || used > capacity) throw new Error(`snapshot corrupt: key space ${signature} has ${newest.length} rows, header says ${used} of ${capacity}`);
      const keys: string[] = [];
      for (let k = 0; k < used; k++) keys.push(r.str());
      const nFree = r.u32();
      const free: number[] = [];
      for (let k = 0; k < nFree; k++) free.push(r.u32());
      store.keyspace(signature).importState({ capacity, used, cursor, created, watermark, newest, keys, free });
    }

    const nAggs = r.u32();
    for (let i = 0; i < nAggs; i++) {
      const signature = r.str();
      const kind = r.str();
      const keyspace = r.str();
      const windowMs = r.f64();
      if (!(AGG_KINDS as readonly string[]).includes(kind)) throw new Error(`snapshot corrupt: aggregate ${signature} has unknown kind ${kind}`);
      if (!store.spaces.has(keyspace)) throw new Error(`snapshot corrupt: aggregate ${signature} refers to missing key space ${keyspace}`);
      const agg = store.aggregate({ signature, kind: kind as AggKind, keyspace, windowMs }) as StoredAggregate;
      agg.decode(r);
    }

    store.labels.advance(r.f64());
    const nLabels = r.u32();
    for (let i = 0; i < nLabels; i++) {
      const entity = r.str();
      const label = r.str();
      store.labels.set(entity, label, r.f64());
    }

    const nSignals = r.u32();
    for (let i = 0; i < nSignals; i++) {
      const entity = r.str();
      const name = r.str();
      store.signals.set(entity, name, r.f64());
    }

    const nIds = r.u32();
    for (let i = 0; i < nIds; i++) {
      const id = r.str();
      const ts = r.f64();
      const has = r.u8();
      const decision = has === 1 ? (JSON.parse(r.str()) as D) : (undefined as D);
      store.seqById.set(id, store.dedupeIds.length);
      store.dedupeIds.push(id);
      store.dedupeTs.push(ts);
      store.dedupeDecisions.push(decision);
    }
    if (version >= 5 && r.u8() === 1) {
      const g = NeighbourGraph.restore(r.bytes(r.u32()));
      if (!g.ok) throw new Error(`snapshot corrupt: ${g.error.message}`);
      store.neighbours = g.value;
    }
    if (!r.done) throw new Error('snapshot corrupt: trailing bytes after the last section');
    return store;
  }
}
