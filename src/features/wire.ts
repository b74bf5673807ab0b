// Little-endian binary writer/reader for snapshots of feature state (slabs copied in bulk).

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder('utf-8', { fatal: true });

export class SnapshotWriter {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void { this.room(1); this.view.setUint8(this.pos, v); this.pos += 1; }
  u32(v: number): void { this.room(4); this.view.setUint32(this.pos, v, true); this.pos += 4; }
  f64(v: number): void { this.room(8); this.view.setFloat64(this.pos, v, true); this.pos += 8; }

  str(s: string): void {
    const bytes = utf8.encode(s);
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Typed array with its element count; bulk copy on little-endian hosts. */
  array(a: Float64Array | Uint32Array | Uint8Array): void {
    this.u32(a.length);
    if (a instanceof Uint8Array) { this.bytes(a); return; }
    if (LITTLE_ENDIAN) { this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)); return; }
    if (a instanceof Float64Array) for (let i = 0; i < a.length; i++) this.f64(a[i]!);
    else for (let i = 0; i < a.length; i++) this.u32(a[i]!);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class SnapshotReader {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos: number;
  private readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new Error(`snapshot truncated: needed ${n} bytes at offset ${this.pos}, body ends at ${this.end}`);
  }

  u8(): number { this.need(1); return this.view.getUint8(this.pos++); }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  f64(): number { this.need(8); const v = this.view.getFloat64(this.pos, true); this.pos += 8; return v; }

  str(): string {
    const n = this.u32();
    return utf8Decode.decode(this.bytes(n));
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  f64s(): Float64Array {
    const n = this.u32();
    const out = new Float64Array(n);
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(this.bytes(n * 8));
    else for (let i = 0; i < n; i++) out[i] = this.f64();
    return out;
  }

  u32s(): Uint32Array {
    const n = this.u32();
    const out = new Uint32Array(n);
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(this.bytes(n * 4));
    else for (let i = 0; i < n; i++) out[i] = this.u32();
    return out;
  }

  u8s(): Uint8Array {
    const n = this.u32();
    return this.bytes(n).slice();
  }
}
