// A sequential green → amber → red ramp for score bins, anchored on the verdict colours.
const STOPS: [number, number, number][] = [
  [58, 167, 109], // allow green
  [150, 190, 80],
  [224, 165, 38], // challenge amber
  [236, 120, 50],
  [220, 76, 76], // block red
  [150, 30, 45],
];

/** Colour of bin `i` of `n` (0 = lowest score). */
export function scoreColor(i: number, n: number): string {
  const t = n <= 1 ? 0 : i / (n - 1);
  const x = t * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - k;
  const a = STOPS[k]!;
  const b = STOPS[k + 1]!;
  const c = a.map((v, j) => Math.round(v + (b[j]! - v) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
