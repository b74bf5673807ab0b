// Protobuf wire format for the few ONNX messages the model importer and exporter need (onnx.proto field numbers).
//
// Hand-written rather than protobufjs: we read and write a dozen ONNX messages and only the fields named here,
// so a few hundred lines with no schema to ship beat a dependency plus onnx.proto loaded at run time.

/** Thrown by the reader on malformed bytes; the importer turns it into a BadModel value. */
export class ProtoError extends Error {}

export interface OnnxTensor { name: string; dims: number[]; dataType: number; floats: number[]; ints: number[] }
export interface OnnxAttribute { name: string; type: number; f?: number; i?: number; s?: string; t?: OnnxTensor; floats: number[]; ints: number[]; strings: string[] }
export interface OnnxNode { name: string; opType: string; domain: string; inputs: string[]; outputs: string[]; attributes: Map<string, OnnxAttribute> }
/** A tensor-typed graph input or output; elemType 0 and shape null when the type is not a tensor or not given. */
export interface OnnxValueInfo { name: string; elemType: number; shape: (number | string)[] | null }
export interface OnnxGraph { name: string; nodes: OnnxNode[]; inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[]; initializers: string[] }
export interface OnnxModel { irVersion: number; producer: string; opsets: Map<string, number>; metadata: Map<string, string>; graph: OnnxGraph }

/** TensorProto.DataType values we meet. */
export const FLOAT = 1;
export const INT64 = 7;
export const DOUBLE = 11;
/** AttributeProto.AttributeType values we write. */
const A_FLOAT = 1, A_INT = 2, A_STRING = 3, A_FLOATS = 6, A_INTS = 7, A_STRINGS = 8;

const utf8 = new TextDecoder('utf-8', { fatal: false });
const enc = new TextEncoder();

/** One field of a message: number, wire type, a scalar (varint / fixed) or payload span, and the whole field's span. */
interface Field { no: number; wire: number; num: number; start: number; end: number; from: number; to: number }

/** Reads varints from buf[p, end). */
class Cursor {
  constructor(readonly buf: Uint8Array, public p: number, readonly end: number) {}

  varint(): number {
    const { buf, end } = this;
    // Fast path for values below 2^28; longer ones (large int64, negatives as 10 bytes) go through BigInt.
    let v = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.p >= end) throw new ProtoError('truncated varint');
      const b = buf[this.p++]!;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    let big = BigInt(v);
    for (let shift = 28n; shift < 70n; shift += 7n) {
      if (this.p >= end) throw new ProtoError('truncated varint');
      const b = buf[this.p++]!;
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, big));
    }
    throw new ProtoError('varint longer than 10 bytes');
  }
}

/** Splits one message into fields without interpreting them. */
export function readFields(buf: Uint8Array, start = 0, end = buf.length): Field[] {
  const out: Field[] = [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const c = new Cursor(buf, start, end);
  while (c.p < end) {
    const from = c.p;
    const key = c.varint();
    const no = key >>> 3;
    const wire = key & 7;
    if (no === 0) throw new ProtoError('field number 0');
    let num: number;
    let s = c.p;
    if (wire === 0) { num = c.varint(); s = c.p; }
    else if (wire === 1) { if (s + 8 > end) throw new ProtoError('truncated fixed64'); num = dv.getFloat64(s, true); c.p += 8; }
    else if (wire === 5) { if (s + 4 > end) throw new ProtoError('truncated fixed32'); num = dv.getFloat32(s, true); c.p += 4; }
    else if (wire === 2) {
      num = c.varint();
      s = c.p;
      if (num < 0 || s + num > end) throw new ProtoError(`field ${no}: length ${num} runs past the end`);
      c.p += num;
    } else throw new ProtoError(`unsupported wire type ${wire}`);
    out.push({ no, wire, num, start: s, end: c.p, from, to: c.p });
  }
  return out;
}

const str = (buf: Uint8Array, f: Field): string => utf8.decode(buf.subarray(f.start, f.end));

/** Repeated float: packed (wire 2) or one fixed32 per element. */
function pushFloats(buf: Uint8Array, f: Field, out: number[]): void {
  if (f.wire === 5) { out.push(f.num); return; }
  if (f.wire !== 2 || (f.end - f.start) % 4) throw new ProtoError(`field ${f.no}: bad packed floats`);
  const dv = new DataView(buf.buffer, buf.byteOffset + f.start, f.end - f.start);
  for (let o = 0; o < dv.byteLength; o += 4) out.push(dv.getFloat32(o, true));
}

function pushDoubles(buf: Uint8Array, f: Field, out: number[]): void {
  if (f.wire === 1) { out.push(f.num); return; }
  if (f.wire !== 2 || (f.end - f.start) % 8) throw new ProtoError(`field ${f.no}: bad packed doubles`);
  const dv = new DataView(buf.buffer, buf.byteOffset + f.start, f.end - f.start);
  for (let o = 0; o < dv.byteLength; o += 8) out.push(dv.getFloat64(o, true));
}

/** Repeated int64: packed (wire 2) or one varint per element. */
function pushInts(buf: Uint8Array, f: Field, out: number[]): void {
  if (f.wire === 0) { out.push(f.num); return; }
  if (f.wire !== 2) throw new ProtoError(`field ${f.no}: bad packed ints`);
  const c = new Cursor(buf, f.start, f.end);
  while (c.p < f.end) out.push(c.varint());
}

function decodeTensor(buf: Uint8Array, start: number, end: number): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dataType: 0, floats: [], ints: [] };
  let raw: Field | null = null;
  for (const f of readFields(buf, start, end)) {
    if (f.no === 1) pushInts(buf, f, t.dims);
    else if (f.no === 2) t.dataType = f.num;
    else if (f.no === 4) pushFloats(buf, f, t.floats);
    else if (f.no === 7) pushInts(buf, f, t.ints);
    else if (f.no === 8) t.name = str(buf, f);
    else if (f.no === 9) raw = f;
    else if (f.no === 10) pushDoubles(buf, f, t.floats);
    else if (f.no === 13 || f.no === 14) throw new ProtoError(`tensor ${t.name}: external data is not supported`);
  }
  if (raw) {
    const dv = new DataView(buf.buffer, buf.byteOffset + raw.start, raw.end - raw.start);
    if (t.dataType === FLOAT) for (let o = 0; o + 4 <= dv.byteLength; o += 4) t.floats.push(dv.getFloat32(o, true));
    else if (t.dataType === DOUBLE) for (let o = 0; o + 8 <= dv.byteLength; o += 8) t.floats.push(dv.getFloat64(o, true));
    else if (t.dataType === INT64) for (let o = 0; o + 8 <= dv.byteLength; o += 8) t.ints.push(Number(dv.getBigInt64(o, true)));
  }
  return t;
}

function decodeAttribute(buf: Uint8Array, start: number, end: number): OnnxAttribute {
  const a: OnnxAttribute = { name: '', type: 0, floats: [], ints: [], strings: [] };
  for (const f of readFields(buf, start, end)) {
    if (f.no === 1) a.name = str(buf, f);
    else if (f.no === 20) a.type = f.num;
    else if (f.no === 2) a.f = f.num;
    else if (f.no === 3) a.i = f.num;
    else if (f.no === 4) a.s = str(buf, f);
    else if (f.no === 5) a.t = decodeTensor(buf, f.start, f.end);
    else if (f.no === 7) pushFloats(buf, f, a.floats);
    else if (f.no === 8) pushInts(buf, f, a.ints);
    else if (f.no === 9) a.strings.push(str(buf, f));
  }
  return a;
}

function decodeNode(buf: Uint8Array, start: number, end: number): OnnxNode {
  const n: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  for (const f of readFields(buf, start, end)) {
    if (f.no === 1) n.inputs.push(str(buf, f));
    else if (f.no === 2) n.outputs.push(str(buf, f));
    else if (f.no === 3) n.name = str(buf, f);
    else if (f.no === 4) n.opType = str(buf, f);
    else if (f.no === 7) n.domain = str(buf, f);
    else if (f.no === 5) { const a = decodeAttribute(buf, f.start, f.end); n.attributes.set(a.name, a); }
  }
  return n;
}

function decodeValueInfo(buf: Uint8Array, start: number, end: number): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: 0, shape: null };
  for (const f of readFields(buf, start, end)) {
    if (f.no === 1) v.name = str(buf, f);
    else if (f.no === 2) {
      const tensor = readFields(buf, f.start, f.end).find((g) => g.no === 1 && g.wire === 2);
      if (!tensor) continue;
      for (const g of readFields(buf, tensor.start, tensor.end)) {
        if (g.no === 1) v.elemType = g.num;
        else if (g.no === 2) {
          v.shape = [];
          for (const d of readFields(buf, g.start, g.end)) {
            if (d.no !== 1) continue;
            const dim = readFields(buf, d.start, d.end);
            const value = dim.find((x) => x.no === 1);
            const param = dim.find((x) => x.no === 2);
            v.shape.push(value ? value.num : param ? str(buf, param) : '?');
          }
        }
      }
    }
  }
  return v;
}

function decodeGraph(buf: Uint8Array, start: number, end: number): OnnxGraph {
  const g: OnnxGraph = { name: '', nodes: [], inputs: [], outputs: [], initializers: [] };
  for (const f of readFields(buf, start, end)) {
    if (f.no === 1) g.nodes.push(decodeNode(buf, f.start, f.end));
    else if (f.no === 2) g.name = str(buf, f);
    else if (f.no === 5) g.initializers.push(decodeTensor(buf, f.start, f.end).name);
    else if (f.no === 11) g.inputs.push(decodeValueInfo(buf, f.start, f.end));
    else if (f.no === 12) g.outputs.push(decodeValueInfo(buf, f.start, f.end));
  }
  return g;
}

/** Decodes a ModelProto. Throws ProtoError on malformed bytes. */
export function decodeModel(buf: Uint8Array): OnnxModel {
  const m: OnnxModel = { irVersion: 0, producer: '', opsets: new Map(), metadata: new Map(), graph: { name: '', nodes: [], inputs: [], outputs: [], initializers: [] } };
  let graph: Field | null = null;
  for (const f of readFields(buf)) {
    if (f.no === 1) m.irVersion = f.num;
    else if (f.no === 2) m.producer = str(buf, f);
    else if (f.no === 7 && f.wire === 2) graph = f;
    else if (f.no === 8) {
      let domain = '';
      let version = 0;
      for (const g of readFields(buf, f.start, f.end)) { if (g.no === 1) domain = str(buf, g); else if (g.no === 2) version = g.num; }
      m.opsets.set(domain, version);
    } else if (f.no === 14) {
      let key = '';
      let value = '';
      for (const g of readFields(buf, f.start, f.end)) { if (g.no === 1) key = str(buf, g); else if (g.no === 2) value = str(buf, g); }
      m.metadata.set(key, value);
    }
  }
  if (!graph) throw new ProtoError('no graph (is this an ONNX model file?)');
  m.graph = decodeGraph(buf, graph.start, graph.end);
  return m;
}

/** Appends protobuf fields to a growing byte list; `finish()` returns the message. */
export class ProtoWriter {
  private readonly out: number[] = [];

  private varint(v: number): void {
    if (v >= 0 && v < 2 ** 31) {
      while (v >= 0x80) { this.out.push((v & 0x7f) | 0x80); v >>>= 7; }
      this.out.push(v);
      return;
    }
    // Negative int64 values take ten bytes (two's complement), as protobuf specifies.
    let big = BigInt.asUintN(64, BigInt(v));
    while (big >= 0x80n) { this.out.push(Number(big & 0x7fn) | 0x80); big >>= 7n; }
    this.out.push(Number(big));
  }

  private key(no: number, wire: number): void { this.varint(no * 8 + wire); }

  int(no: number, v: number): this { this.key(no, 0); this.varint(v); return this; }

  float(no: number, v: number): this {
    this.key(no, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.out.push(x);
    return this;
  }

  bytes(no: number, b: Uint8Array): this {
    this.key(no, 2);
    this.varint(b.length);
    for (let i = 0; i < b.length; i++) this.out.push(b[i]!);
    return this;
  }

  string(no: number, s: string): this { return this.bytes(no, enc.encode(s)); }

  message(no: number, w: ProtoWriter): this { return this.bytes(no, w.finish()); }

  packedFloats(no: number, vs: readonly number[]): this {
    const b = new Uint8Array(vs.length * 4);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(no, b);
  }

  packedInts(no: number, vs: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of vs) inner.varint(v);
    return this.bytes(no, inner.finish());
  }

  /** Bytes that are already encoded fields. */
  raw(b: Uint8Array): this {
    for (let i = 0; i < b.length; i++) this.out.push(b[i]!);
    return this;
  }

  finish(): Uint8Array { return Uint8Array.from(this.out); }
}

/** ONNX messages built with ProtoWriter, field numbers from onnx.proto. */
export const write = {
  attrFloat: (name: string, v: number): ProtoWriter => new ProtoWriter().string(1, name).int(20, A_FLOAT).float(2, v),
  attrInt: (name: string, v: number): ProtoWriter => new ProtoWriter().string(1, name).int(20, A_INT).int(3, v),
  attrString: (name: string, v: string): ProtoWriter => new ProtoWriter().string(1, name).int(20, A_STRING).string(4, v),
  attrFloats: (name: string, vs: readonly number[]): ProtoWriter => new ProtoWriter().string(1, name).int(20, A_FLOATS).packedFloats(7, vs),
  attrInts: (name: string, vs: readonly number[]): ProtoWriter => new ProtoWriter().string(1, name).int(20, A_INTS).packedInts(8, vs),
  attrStrings: (name: string, vs: readonly string[]): ProtoWriter => {
    const w = new ProtoWriter().string(1, name).int(20, A_STRINGS);
    for (const v of vs) w.string(9, v);
    return w;
  },
  node: (opType: string, domain: string, inputs: readonly string[], outputs: readonly string[], attributes: readonly ProtoWriter[], name = ''): ProtoWriter => {
    const w = new ProtoWriter();
    for (const i of inputs) w.string(1, i);
    for (const o of outputs) w.string(2, o);
    if (name) w.string(3, name);
    w.string(4, opType);
    for (const a of attributes) w.message(5, a);
    if (domain) w.string(7, domain);
    return w;
  },
  /** A tensor value: element type and shape, a string dimension being symbolic (the batch size). */
  valueInfo: (name: string, elemType: number, shape: readonly (number | string)[] | null): ProtoWriter => {
    const tensor = new ProtoWriter().int(1, elemType);
    if (shape) {
      const s = new ProtoWriter();
      for (const d of shape) s.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
      tensor.message(2, s);
    }
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
  },
  graph: (name: string, nodes: readonly ProtoWriter[], inputs: readonly ProtoWriter[], outputs: readonly ProtoWriter[]): ProtoWriter => {
    const w = new ProtoWriter();
    for (const n of nodes) w.message(1, n);
    w.string(2, name);
    for (const i of inputs) w.message(11, i);
    for (const o of outputs) w.message(12, o);
    return w;
  },
  model: (
    graph: ProtoWriter, opsets: ReadonlyArray<readonly [string, number]>, irVersion: number, producer: string, producerVersion: string,
    metadata: ReadonlyArray<readonly [string, string]> = [],
  ): Uint8Array => {
    const w = new ProtoWriter().int(1, irVersion).string(2, producer).string(3, producerVersion).message(7, graph);
    for (const [domain, version] of opsets) w.message(8, new ProtoWriter().string(1, domain).int(2, version));
    for (const [key, value] of metadata) w.message(14, new ProtoWriter().string(1, key).string(2, value));
    return w.finish();
  },
};

/**
 * The same model with extra graph outputs appended; every other field is copied byte for byte. Lets the
 * parity check fetch an intermediate tensor, such as the probabilities that feed a ZipMap.
 */
export function withExtraOutputs(buf: Uint8Array, outputs: readonly ProtoWriter[]): Uint8Array {
  const w = new ProtoWriter();
  for (const f of readFields(buf)) {
    if (f.no !== 7 || f.wire !== 2) { w.raw(buf.subarray(f.from, f.to)); continue; }
    // Repeated fields may come in any order, so new outputs can simply follow the graph's own bytes.
    const graph = new ProtoWriter().raw(buf.subarray(f.start, f.end));
    for (const o of outputs) graph.message(12, o);
    w.message(7, graph);
  }
  return w.finish();
}
