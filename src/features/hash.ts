// Fast non-cryptographic hashes for keys and distinct values (cyrb53 and a 32-bit sibling).

/** 53-bit string hash (cyrb53): safe-integer output, good avalanche, no allocation. */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 32-bit unsigned string hash (the low word of cyrb53's mix). */
export function hash32(s: string, seed = 0): number {
  return hash53(s, seed) % 4294967296;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * Re-mixes any number (its float64 bits) into a uniform 53-bit integer. Sketches apply it so that
 * small or structured inputs (sequential ids, amounts) still spread over the registers.
 */
export function mix53(x: number): number {
  bits[0] = x;
  let h1 = fmix32(words[0]! ^ 0x9e3779b9);
  const h2 = fmix32(words[1]! ^ Math.imul(h1, 0x85ebca6b) ^ 0x27d4eb2f);
  h1 = fmix32(h1 ^ Math.imul(h2, 0xc2b2ae35));
  return 4294967296 * (h2 & 0x1fffff) + h1;
}
