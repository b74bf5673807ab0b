import { test } from 'node:test';
import fc from 'fast-check';
import { binOf, quantize, sketchCuts } from './quantize.ts';

test('quantize: row-major and column-major bins agree with binOf, missing and ±Infinity included', () => {
  fc.assert(fc.property(
    fc.array(fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.integer({ min: 0, max: 3 })), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 300 }),
    fc.integer({ min: 2, max: 256 }),
    (rows, maxBins) => {
      const n = rows.length;
      const columns = [0, 1, 2].map((f) => Float64Array.from(rows, (r) => r[f]!));
      const data = { columns, labels: new Uint8Array(n), featureNames: ['a', 'b', 'c'], rows: n };
      const cuts = sketchCuts(data, maxBins, 1000, 1);
      const q = quantize(data, cuts);
      for (let f = 0; f < 3; f++) {
        for (let i = 0; i < n; i++) {
          const want = Math.min(binOf(cuts.cuts[f]!, columns[f]![i]!), binOf(cuts.cuts[f]!, columns[f]![i]!) === 255 ? 255 : cuts.cuts[f]!.length - 1);
          if (q.bins[i * q.rowStride + f] !== want || q.byFeature[f * n + i] !== want) return false;
        }
      }
      return true;
    },
  ), { numRuns: 200 });
});
