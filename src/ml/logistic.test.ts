// Logistic regression: recovers known coefficients, imputes missing with the mean, explains additively.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowOf } from './dataset.ts';
import type { Dataset } from './dataset.ts';
import { LogisticModel, trainLogistic } from './logistic.ts';
import { SeededRandom } from './random.ts';

const TRUE = { intercept: -1, coefficients: [1.5, -2, 0.5, 0] };

function synthetic(rows: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  // Different scales and offsets so standardisation and the back-transform are exercised.
  const scale = [1, 3, 0.5, 5];
  const offset = [0, 10, -2, 1];
  const cols = scale.map(() => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let m = TRUE.intercept;
    for (let f = 0; f < 4; f++) {
      const v = offset[f]! + scale[f]! * rng.nextGaussian();
      cols[f]![i] = v;
      m += TRUE.coefficients[f]! * v;
    }
    m -= TRUE.coefficients[1]! * 10 + TRUE.coefficients[2]! * -2; // centre the offsets so the intercept is as stated
    labels[i] = rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }
  return { columns: cols, labels, featureNames: ['a', 'b', 'c', 'noise'], rows };
}

test('recovers known coefficients on synthetic data', () => {
  const model = trainLogistic(synthetic(40_000, 1), { l2: 1e-3 });
  const raw = model.rawCoefficients();
  const expectedIntercept = TRUE.intercept - TRUE.coefficients[1]! * 10 - TRUE.coefficients[2]! * -2;
  assert.ok(Math.abs(raw.intercept - expectedIntercept) < 0.15 * Math.abs(expectedIntercept), `intercept ${raw.intercept} vs ${expectedIntercept}`);
  for (let f = 0; f < 4; f++) {
    const want = TRUE.coefficients[f]!;
    // ≈ 4 standard errors for the weakest coefficient at this sample size.
    assert.ok(Math.abs(raw.coefficients[f]! - want) < 0.1, `coef ${f}: ${raw.coefficients[f]} vs ${want}`);
  }
});

test('strong L2 shrinks standardised coefficients towards zero', () => {
  const data = synthetic(5000, 2);
  const loose = trainLogistic(data, { l2: 1e-3 });
  const tight = trainLogistic(data, { l2: 1e4 });
  for (let f = 0; f < 3; f++) assert.ok(Math.abs(tight.coefficients[f]!) < Math.abs(loose.coefficients[f]!) / 3);
});

test('missing values are imputed with the training mean; contributions add up to the margin', () => {
  const data = synthetic(3000, 3);
  const model = trainLogistic(data);
  const withMean = Float64Array.from(model.mean);
  withMean[0] = 1.7;
  const withNaN = withMean.slice();
  withNaN[1] = NaN;
  assert.ok(Math.abs(model.predictMargin(withNaN) - model.predictMargin(withMean)) < 1e-12);
  for (let i = 0; i < 50; i++) {
    const x = rowOf(data, i);
    const { base, contributions } = model.contributions(x);
    assert.ok(Math.abs(contributions.reduce((a, b) => a + b, base) - model.predictMargin(x)) < 1e-12);
  }
  const all = model.predictDataset(data);
  assert.ok(Math.abs(all[5]! - model.predict(rowOf(data, 5))) < 1e-14);
});

test('JSON round trip', () => {
  const model = trainLogistic(synthetic(1000, 4));
  const copy = LogisticModel.fromJSON(JSON.parse(JSON.stringify(model)));
  const x = [0.3, 9, -1.9, 2];
  assert.equal(copy.predict(x), model.predict(x));
});
