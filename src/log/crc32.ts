// CRC-32 (IEEE, the zlib/PNG polynomial) for record checksums: native when Node has it, table-driven otherwise.
import * as zlib from 'node:zlib';

// Slicing-by-8 tables: TABLE8[k * 256 + n] is the CRC of byte n followed by k zero bytes.
const TABLE8 = (() => {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) { c = t[c & 0xff]! ^ (c >>> 8); t[k * 256 + n] = c; }
  }
  return t;
})();
const TABLE = TABLE8.subarray(0, 256);

/**
 * CRC-32 of data[start, end) without making a view: for the small records that dominate the
 * log, a native call plus a subarray costs more than this loop.
 */
export function crc32Range(data: Uint8Array, start: number, end: number, seed = 0): number {
  const t = TABLE8;
  let c = ~seed;
  let i = start;
  const end8 = end - 8;
  while (i <= end8) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    c = t[1792 + (a & 0xff)]! ^ t[1536 + ((a >>> 8) & 0xff)]! ^ t[1280 + ((a >>> 16) & 0xff)]! ^ t[1024 + (a >>> 24)]!
      ^ t[768 + data[i + 4]!]! ^ t[512 + data[i + 5]!]! ^ t[256 + data[i + 6]!]! ^ t[data[i + 7]!]!;
    i += 8;
  }
  while (i < end) c = t[(c ^ data[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Pure-JS CRC-32; `seed` continues a previous result exactly like zlib.crc32(data, seed). */
export function crc32Js(data: Uint8Array, seed = 0): number {
  let c = ~seed;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// zlib.crc32 appeared in Node 20.15 / 22.2; package.json allows any Node 20, so fall back.
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

export const crc32: (data: Uint8Array, seed?: number) => number =
  // zlib returns 0 for an empty (NULL-backed) buffer whatever the seed; empty data leaves the CRC as it is.
  typeof native === 'function' ? (data, seed = 0) => (data.length === 0 ? seed >>> 0 : native(data, seed)) : crc32Js;

/** CRC-32 of the 4 little-endian bytes of `len`: the seed for a record's payload checksum. */
export function crc32OfLength(len: number): number {
  let c = ~0;
  c = TABLE[(c ^ len) & 0xff]! ^ (c >>> 8);
  c = TABLE[(c ^ (len >>> 8)) & 0xff]! ^ (c >>> 8);
  c = TABLE[(c ^ (len >>> 16)) & 0xff]! ^ (c >>> 8);
  c = TABLE[(c ^ (len >>> 24)) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
