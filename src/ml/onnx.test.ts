// ONNX export and import, checked against onnxruntime-node: our exports run there with our probabilities, imports score as there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Dataset } from './dataset.ts';
import { rowOf } from './dataset.ts';
import { trainGbdt } from './gbdt.ts';
import { GbdtModel } from './tree-model.ts';
import { LogisticModel, trainLogistic } from './logistic.ts';
import { SeededRandom } from './random.ts';
import { TreeScoringModel } from './scoring.ts';
import { convertOnnx, gbdtToOnnx, importOnnx, logisticToOnnx, parityRows, PARITY_TOLERANCE, verifyWithOnnxRuntime } from './onnx.ts';
import { FLOAT, INT64, write } from './onnx-proto.ts';
import type { ProtoWriter } from './onnx-proto.ts';

const ML = 'ai.onnx.ml';

/** Fraud-like data: a step, a missing-is-risky column, an interaction, and noise; 15% of values missing. */
function risky(rows: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const cols = Array.from({ length: 5 }, () => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (const c of cols) c[i] = rng.next() < 0.15 ? NaN : rng.nextGaussian();
    const [a, b, c, d] = cols.map((col) => col[i]!);
    const m = (a! > 0.3 ? 1.2 : -0.8) + (Number.isNaN(b!) ? 1.5 : 0.7 * b!) - 0.6 * (c! || 0) * (d! || 0);
    labels[i] = rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }
  return { columns: cols, labels, featureNames: ['failed_logins', 'days_since_phone', 'ip_risk', 'device_age', 'noise'], rows };
}

/** Rows as onnxruntime sees them: float32 values, NaN kept. */
function heldOut(data: Dataset): Float64Array[] {
  return Array.from({ length: data.rows }, (_, i) => rowOf(data, i).map(Math.fround));
}

const trained = (() => {
  const { model } = trainGbdt(risky(4000, 1), { rounds: 40, maxDepth: 4, learningRate: 0.2 });
  return model;
})();

test('a trained GBDT exported to ONNX scores in onnxruntime as it does here (held-out rows, missing values)', async () => {
  const rows = heldOut(risky(600, 2));
  assert.ok(rows.filter((r) => r.some(Number.isNaN)).length > 200, 'rows with missing values');
  const check = await verifyWithOnnxRuntime(gbdtToOnnx(trained), trained, rows);
  assert.ok(check.ok, check.ok ? '' : check.error.message);
  assert.equal(check.parity.rows, 600);
  assert.ok(check.parity.maxDiff < PARITY_TOLERANCE, `max |Δp| ${check.parity.maxDiff}`);
  // The boundary rows (on and just below every threshold) agree too.
  const edge = await verifyWithOnnxRuntime(gbdtToOnnx(trained), trained, parityRows(trained, 500, 7));
  assert.ok(edge.ok && edge.parity.maxDiff < PARITY_TOLERANCE, edge.ok ? `max |Δp| ${edge.parity.maxDiff}` : edge.error.message);
});

test('importing the export gives the same scores and TreeSHAP reasons that add up to the margin', async () => {
  const bytes = gbdtToOnnx(trained);
  const res = await importOnnx(bytes, trained.featureNames);
  assert.ok(res.ok, res.ok ? '' : res.error.message);
  assert.ok(res.parity.maxDiff < PARITY_TOLERANCE && res.parity.rows === 300);
  const imported = res.model;
  assert.ok(imported instanceof GbdtModel);
  assert.equal(imported.treeCount, trained.treeCount);
  // Our exports carry the input names, so they import without --features.
  const named = convertOnnx(bytes);
  assert.ok(named.ok);
  assert.deepEqual(named.model.featureNames, trained.featureNames);
  const inputs = trained.featureNames.map((name) => ({ name, type: 'number' as const }));
  const ours = new TreeScoringModel('orig', 1, inputs, trained);
  const theirs = new TreeScoringModel('onnx', 1, inputs, imported);
  for (const r of heldOut(risky(300, 3))) {
    const row = Float64Array.from(r);
    // Leaf values and the base margin are float32 in ONNX.
    assert.ok(Math.abs(ours.score(row) - theirs.score(row)) < 1e-6);
    const { base, contributions } = imported.shap(row);
    assert.ok(Math.abs(contributions.reduce((a, b) => a + b, base) - imported.predictMargin(row)) < 1e-9);
    // Covers travel as nodes_hitrates, so the reasons match the original's.
    const a = ours.reasons(row, 3);
    const b = theirs.reasons(row, 3);
    assert.deepEqual(b.map((x) => x.feature), a.map((x) => x.feature));
    a.forEach((x, i) => assert.ok(Math.abs(x.contribution - b[i]!.contribution) < 1e-5));
  }
});

/** ONNX tree nodes in the attribute layout: ids, modes and children by id, weights on leaves. */
interface Node { id: number; feature: number; mode: string; value: number; t: number; f: number; tracks: number; weight: number }

function ensemble(op: 'TreeEnsembleClassifier' | 'TreeEnsembleRegressor', trees: Node[][], extra: ProtoWriter[], outputs: string[]): ProtoWriter {
  const all = trees.flatMap((t, ti) => t.map((n) => ({ ...n, tree: ti })));
  const leaves = all.filter((n) => n.mode === 'LEAF');
  const p = op === 'TreeEnsembleClassifier' ? 'class' : 'target';
  return write.node(op, ML, ['X'], outputs, [
    write.attrInts('nodes_treeids', all.map((n) => n.tree)),
    write.attrInts('nodes_nodeids', all.map((n) => n.id)),
    write.attrInts('nodes_featureids', all.map((n) => n.feature)),
    write.attrStrings('nodes_modes', all.map((n) => n.mode)),
    write.attrFloats('nodes_values', all.map((n) => n.value)),
    write.attrInts('nodes_truenodeids', all.map((n) => n.t)),
    write.attrInts('nodes_falsenodeids', all.map((n) => n.f)),
    write.attrInts('nodes_missing_value_tracks_true', all.map((n) => n.tracks)),
    write.attrInts(`${p}_treeids`, leaves.map((n) => n.tree)),
    write.attrInts(`${p}_nodeids`, leaves.map((n) => n.id)),
    write.attrInts(`${p}_ids`, leaves.map(() => 0)),
    write.attrFloats(`${p}_weights`, leaves.map((n) => n.weight)),
    ...extra,
  ]);
}

function onnxModel(nodes: ProtoWriter[], F: number, outputs: ProtoWriter[]): Uint8Array {
  return write.model(write.graph('g', nodes, [write.valueInfo('X', FLOAT, ['N', F])], outputs), [['', 15], [ML, 3]], 8, 'test', '1');
}

const classifierOutputs = [write.valueInfo('label', INT64, ['N']), write.valueInfo('probabilities', FLOAT, ['N', 2])];

/** As skl2onnx writes sklearn's boosted trees: x ≤ threshold is true, missing values tracked, LOGISTIC, one base value. */
function sklearnStyle(): Uint8Array {
  const leaf = (id: number, weight: number): Node => ({ id, feature: 0, mode: 'LEAF', value: 0, t: 0, f: 0, tracks: 0, weight });
  const split = (id: number, feature: number, value: number, t: number, f: number, tracks: number): Node => ({ id, feature, mode: 'BRANCH_LEQ', value, t, f, tracks, weight: 0 });
  const trees = [
    [split(0, 0, 0.1, 1, 2, 1), split(1, 1, 2.5, 3, 4, 0), split(2, 1, -1, 5, 6, 1), leaf(3, -0.4), leaf(4, 0.3), leaf(5, 0.1), leaf(6, 0.9)],
    // Node ids in another order than the attribute list: the importer follows ids, not positions.
    [split(0, 2, 7, 2, 1, 0), leaf(2, -0.25), leaf(1, 0.5)],
  ];
  return onnxModel([ensemble('TreeEnsembleClassifier', trees, [
    write.attrInts('classlabels_int64s', [0, 1]), write.attrFloats('base_values', [-0.2]), write.attrString('post_transform', 'LOGISTIC'),
  ], ['label', 'probabilities'])], 3, classifierOutputs);
}

test('sklearn-style model (BRANCH_LEQ, missing tracks true, LOGISTIC) imports with onnxruntime parity, boundaries included', async () => {
  const bytes = sklearnStyle();
  const res = await importOnnx(bytes, ['a', 'b', 'c']);
  assert.ok(res.ok, res.ok ? '' : res.error.message);
  assert.ok(res.parity.maxDiff < PARITY_TOLERANCE, `max |Δp| ${res.parity.maxDiff}`);
  const m = res.model as GbdtModel;
  const t01 = Math.fround(0.1);
  /** The float32 `k` steps from a positive float32. */
  const step = (x: number, k: number): number => { const f = Float32Array.of(x); new Int32Array(f.buffer)[0]! += k; return f[0]!; };
  // x ≤ 0.1f goes true (left), the next float32 up goes false, missing tracks true.
  const margin = (a: number, b: number, c: number): number => m.predictMargin([a, b, c]) + 0.2;
  assert.ok(Math.abs(margin(t01, 0, 0) - (-0.4 - 0.25)) < 1e-7);
  assert.ok(Math.abs(margin(step(t01, 1), 0, 0) - (0.9 - 0.25)) < 1e-7);
  assert.ok(Math.abs(margin(0.1, 0, 0) - (-0.4 - 0.25)) < 1e-7, 'a float64 input is compared as float32, as onnxruntime does');
  assert.ok(Math.abs(margin(NaN, 2.5, 8) - (-0.4 + 0.5)) < 1e-7);
  assert.ok(Math.abs(margin(NaN, step(2.5, 1), 7) - (0.3 - 0.25)) < 1e-7);
  assert.ok(Math.abs(margin(1, NaN, NaN) - (0.1 + 0.5)) < 1e-7);
  // The same rows in onnxruntime.
  const rows = [[t01, 0, 0], [step(t01, 1), 0, 0], [step(t01, -1), 2.5, 7], [NaN, 2.5, 8], [NaN, step(2.5, 1), 7], [1, NaN, NaN], [1, -1, 7], [1, step(1, 1), 7]];
  const check = await verifyWithOnnxRuntime(bytes, m, rows);
  assert.ok(check.ok && check.parity.maxDiff < PARITY_TOLERANCE, check.ok ? `max |Δp| ${check.parity.maxDiff}` : check.error.message);
  // No hit rates: every leaf counts once, and TreeSHAP still adds up.
  assert.deepEqual(m.toJSON().trees[0]!.cover, [4, 2, 1, 1, 2, 1, 1]);
  const { base, contributions } = m.shap([1, -1, 7]);
  assert.ok(Math.abs(contributions.reduce((a, b) => a + b, base) - m.predictMargin([1, -1, 7])) < 1e-9);
});

/**
 * The model above as the reference `onnx` Python library serialises it (onnx 1.12, helper.make_node / make_model, checked
 * by onnx.checker) in skl2onnx's layout: unpacked repeated fields, input float_input [None, 3], a Cast on the label and
 * the probabilities behind a ZipMap, opsets ai.onnx.ml 1 and ai.onnx 9.
 */
const REFERENCE_SERIALISED = Buffer.from(
  'CAcSDXNrbDJvbm54LWxpa2U6iwgK/gUKC2Zsb2F0X2lucHV0EgVsYWJlbBIScHJvYmFiaWxpdHlfdGVuc29yGhZUcmVlRW5zZW1ibGVDbGFzc2' +
  'lmaWVyIhZUcmVlRW5zZW1ibGVDbGFzc2lmaWVyKhUKC2Jhc2VfdmFsdWVzPc3MTL6gAQYqGgoJY2xhc3NfaWRzQABAAEAAQABAAEAAoAEHKh4K' +
  'DWNsYXNzX25vZGVpZHNAA0AEQAVABkABQAKgAQcqHgoNY2xhc3NfdHJlZWlkc0AAQABAAEAAQAFAAaABByowCg1jbGFzc193ZWlnaHRzPc3MzL' +
  '49mpmZPj3NzMw9PWZmZj89AACAvj0AAAA/oAEGKhsKEmNsYXNzbGFiZWxzX2ludDY0c0AAQAGgAQcqKwoSbm9kZXNfZmFsc2Vub2RlaWRzQAJA' +
  'BEAGQABAAEAAQABAAkAAQACgAQcqKQoQbm9kZXNfZmVhdHVyZWlkc0AAQAFAAUAAQABAAEAAQAJAAEAAoAEHKjgKH25vZGVzX21pc3Npbmdfdm' +
  'FsdWVfdHJhY2tzX3RydWVAAUAAQAFAAEAAQABAAEAAQABAAKABBypkCgtub2Rlc19tb2Rlc0oKQlJBTkNIX0xFUUoKQlJBTkNIX0xFUUoKQlJB' +
  'TkNIX0xFUUoETEVBRkoETEVBRkoETEVBRkoETEVBRkoKQlJBTkNIX0xFUUoETEVBRkoETEVBRqABCComCg1ub2Rlc19ub2RlaWRzQABAAUACQA' +
  'NABEAFQAZAAEABQAKgAQcqJgoNbm9kZXNfdHJlZWlkc0AAQABAAEAAQABAAEAAQAFAAUABoAEHKioKEW5vZGVzX3RydWVub2RlaWRzQAFAA0AF' +
  'QABAAEAAQABAAUAAQACgAQcqQwoMbm9kZXNfdmFsdWVzPc3MzD09AAAgQD0AAIC/PQAAAAA9AAAAAD0AAAAAPQAAAAA9AADgQD0AAAAAPQAAAA' +
  'CgAQYqHQoOcG9zdF90cmFuc2Zvcm0iCExPR0lTVElDoAEDOgphaS5vbm54Lm1sCiwKBWxhYmVsEgxvdXRwdXRfbGFiZWwaBENhc3QiBENhc3Qq' +
  'CQoCdG8YB6ABAgphChJwcm9iYWJpbGl0eV90ZW5zb3ISEm91dHB1dF9wcm9iYWJpbGl0eRoGWmlwTWFwIgZaaXBNYXAqGwoSY2xhc3NsYWJlbH' +
  'NfaW50NjRzQABAAaABBzoKYWkub25ueC5tbBIaR3JhZGllbnRCb29zdGluZ0NsYXNzaWZpZXJaGwoLZmxvYXRfaW5wdXQSDAoKCAESBgoACgII' +
  'A2IYCgxvdXRwdXRfbGFiZWwSCAoGCAcSAgoAYiQKEm91dHB1dF9wcm9iYWJpbGl0eRIOIgwKCioICAcSBAoCCAFCDgoKYWkub25ueC5tbBABQg' +
  'QKABAJ',
  'base64',
);

test('the same model serialised by the reference onnx library (ZipMap output) converts identically and matches onnxruntime', async () => {
  const res = await importOnnx(new Uint8Array(REFERENCE_SERIALISED), ['a', 'b', 'c']);
  assert.ok(res.ok, res.ok ? '' : res.error.message);
  assert.ok(res.parity.maxDiff < PARITY_TOLERANCE, `max |Δp| ${res.parity.maxDiff}`);
  const ours = convertOnnx(sklearnStyle(), ['a', 'b', 'c']);
  assert.ok(ours.ok);
  assert.deepEqual((res.model as GbdtModel).toJSON(), (ours.model as GbdtModel).toJSON());
});

test('random trees with every branch mode, as classifier or regressor + Sigmoid: imported model equals onnxruntime', async () => {
  const GRID = [-1, -0.5, 0, 0.1, 0.3, 1.7, 2];
  const MODES = ['BRANCH_LT', 'BRANCH_LEQ', 'BRANCH_GT', 'BRANCH_GTE'];
  await fc.assert(
    fc.asyncProperty(
      fc.record({ seed: fc.integer({ min: 1, max: 2 ** 30 }), trees: fc.integer({ min: 1, max: 4 }), depth: fc.integer({ min: 1, max: 4 }), F: fc.integer({ min: 1, max: 3 }), regressor: fc.boolean(), base: fc.constantFrom(0, 0.5, -1.25) }),
      async (c) => {
        const rng = new SeededRandom(c.seed);
        const trees: Node[][] = [];
        for (let t = 0; t < c.trees; t++) {
          const nodes: Node[] = [];
          // Node ids are shuffled: a permutation of 0..(2^(depth+1)−2), the root stays first in the list.
          const grow = (depth: number): Node => {
            const n: Node = { id: nodes.length, feature: 0, mode: 'LEAF', value: 0, t: 0, f: 0, tracks: 0, weight: Math.round((rng.next() * 4 - 2) * 64) / 64 };
            nodes.push(n);
            if (depth < c.depth && rng.next() < 0.8) {
              n.mode = MODES[rng.nextInt(4)]!;
              n.feature = rng.nextInt(c.F);
              n.value = GRID[rng.nextInt(GRID.length)]!;
              n.tracks = rng.nextInt(2);
              n.weight = 0;
              n.t = grow(depth + 1).id;
              n.f = grow(depth + 1).id;
            }
            return n;
          };
          grow(0);
          const ids = nodes.map((_, i) => i);
          for (let i = ids.length - 1; i > 1; i--) { const j = 1 + rng.nextInt(i); [ids[i], ids[j]] = [ids[j]!, ids[i]!]; }
          for (const n of nodes) { n.id = ids[n.id]!; n.t = ids[n.t]!; n.f = ids[n.f]!; }
          const [root, ...rest] = nodes;
          trees.push([root!, ...rest.sort(() => rng.next() - 0.5)]);
        }
        const bytes = c.regressor
          ? onnxModel([ensemble('TreeEnsembleRegressor', trees, [write.attrInt('n_targets', 1), write.attrFloats('base_values', [c.base])], ['margin']), write.node('Sigmoid', '', ['margin'], ['p'], [])], c.F, [write.valueInfo('p', FLOAT, ['N', 1])])
          : onnxModel([ensemble('TreeEnsembleClassifier', trees, [write.attrInts('classlabels_int64s', [0, 1]), write.attrFloats('base_values', [c.base]), write.attrString('post_transform', 'LOGISTIC')], ['label', 'probabilities'])], c.F, classifierOutputs);
        const res = await importOnnx(bytes, Array.from({ length: c.F }, (_, f) => `x${f}`));
        assert.ok(res.ok, res.ok ? '' : res.error.message);
        assert.ok(res.parity.maxDiff < PARITY_TOLERANCE, `max |Δp| ${res.parity.maxDiff}`);
        // The grid values themselves, where the four modes differ.
        const rows = GRID.flatMap((v) => [Array.from({ length: c.F }, () => v), Array.from({ length: c.F }, () => Math.fround(v))]);
        const check = await verifyWithOnnxRuntime(bytes, res.model, rows);
        assert.ok(check.ok && check.parity.maxDiff < PARITY_TOLERANCE);
      },
    ),
    { numRuns: 40, seed: 7 },
  );
});

test('logistic models: export runs in onnxruntime as here, and an sklearn-style Scaler + LinearClassifier imports', async () => {
  const data = risky(3000, 4);
  const model = trainLogistic(data);
  const bytes = logisticToOnnx(model);
  const rows = heldOut(risky(400, 5));
  const check = await verifyWithOnnxRuntime(bytes, model, rows);
  assert.ok(check.ok && check.parity.maxDiff < PARITY_TOLERANCE && check.parity.rows === 400, check.ok ? `max |Δp| ${check.parity.maxDiff}` : check.error.message);
  const back = await importOnnx(bytes);
  assert.ok(back.ok && back.model instanceof LogisticModel, back.ok ? '' : back.error.message);
  for (const r of rows.slice(0, 50)) assert.ok(Math.abs(back.model.predict(r) - model.predict(r)) < 1e-6);

  // Two coefficient rows (−w, w) as skl2onnx writes binary LogisticRegression, after a StandardScaler.
  const w = [0.8, -0.5], b = 0.3;
  const sk = onnxModel([
    write.node('Scaler', ML, ['X'], ['scaled'], [write.attrFloats('offset', [1, -2]), write.attrFloats('scale', [0.5, 2])]),
    write.node('LinearClassifier', ML, ['scaled'], ['label', 'probabilities'], [
      write.attrInts('classlabels_ints', [0, 1]), write.attrFloats('coefficients', [-w[0]!, -w[1]!, ...w]), write.attrFloats('intercepts', [-b, b]),
      write.attrString('post_transform', 'LOGISTIC'),
    ]),
  ], 2, classifierOutputs);
  const res = await importOnnx(sk, ['amount', 'velocity']);
  assert.ok(res.ok, res.ok ? '' : res.error.message);
  assert.ok(res.parity.maxDiff < PARITY_TOLERANCE);
  // Without an Imputer onnxruntime gives NaN for a missing input, so those rows are left out of the check.
  assert.ok(res.parity.rows < 300 && res.parity.rows > 150);
  const lin = res.model as LogisticModel;
  assert.ok(Math.abs(lin.predict([3, 0]) - 1 / (1 + Math.exp(-(b + w[0]! * 1 + w[1]! * 4)))) < 1e-7);
});

test('bad input gives BadModel values: truncated bytes, unsupported ops, wrong feature count, no names', async () => {
  const bytes = gbdtToOnnx(trained);
  for (const cut of [bytes.subarray(0, bytes.length >> 1), bytes.subarray(0, 7), Uint8Array.of(0xff, 0xff, 0xff), new TextEncoder().encode('{"learner": {}}')]) {
    const r = await importOnnx(cut, trained.featureNames);
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'BadModel');
    assert.match(r.error.message, /not an ONNX model/);
  }
  // A small neural net: MatMul + Add + Sigmoid.
  const net = write.model(write.graph('net', [
    write.node('MatMul', '', ['X', 'W'], ['h'], []), write.node('Add', '', ['h', 'B'], ['z'], []), write.node('Sigmoid', '', ['z'], ['p'], []),
  ], [write.valueInfo('X', FLOAT, ['N', 2]), write.valueInfo('W', FLOAT, [2, 1]), write.valueInfo('B', FLOAT, [1])], [write.valueInfo('p', FLOAT, ['N', 1])]), [['', 15]], 8, 'test', '1');
  const nn = convertOnnx(net, ['a', 'b']);
  assert.ok(!nn.ok);
  assert.match(nn.error.message, /unsupported ops MatMul, Add .*supported: ai\.onnx\.ml\.TreeEnsembleClassifier/);
  const wrong = convertOnnx(bytes, ['only', 'three', 'names']);
  assert.ok(!wrong.ok);
  assert.match(wrong.error.message, /reads 5 features .* but 3 names were given/);
  const unnamed = convertOnnx(sklearnStyle());
  assert.ok(!unnamed.ok);
  assert.match(unnamed.error.message, /give the 3 feature names/);
  // Two-class voting (weights on both classes) is not a log-odds model.
  const votes = onnxModel([write.node('TreeEnsembleClassifier', ML, ['X'], ['label', 'probabilities'], [
    write.attrInts('classlabels_int64s', [0, 1]), write.attrInts('nodes_treeids', [0]), write.attrInts('nodes_nodeids', [0]), write.attrInts('nodes_featureids', [0]),
    write.attrStrings('nodes_modes', ['LEAF']), write.attrFloats('nodes_values', [0]), write.attrInts('nodes_truenodeids', [0]), write.attrInts('nodes_falsenodeids', [0]),
    write.attrInts('class_treeids', [0, 0]), write.attrInts('class_nodeids', [0, 0]), write.attrInts('class_ids', [0, 1]), write.attrFloats('class_weights', [0.3, 0.7]),
  ])], 1, classifierOutputs);
  const v = convertOnnx(votes, ['a']);
  assert.ok(!v.ok);
  assert.match(v.error.message, /both classes/);
  // The parity check has teeth: a different model on the same bytes is far off.
  const other = new GbdtModel(trained.baseMargin + 0.5, trained.featureNames, trained.toJSON().trees, true);
  const off = await verifyWithOnnxRuntime(bytes, other, parityRows(trained));
  assert.ok(off.ok && off.parity.maxDiff > 1e-2);
});

test('fuzz: corrupted ONNX bytes are refused as BadModel values or convert, never throw', () => {
  const model = new GbdtModel(0.1, ['a', 'b', 'c'], [
    { feature: [0, -1, 1, -1, -1], threshold: [0.5, 0, 2, 0, 0], left: [1, 0, 3, 0, 0], right: [2, 0, 4, 0, 0], defaultLeft: [1, 0, 0, 0, 0], value: [0, -0.3, 0, 0.2, 0.7], cover: [10, 4, 6, 3, 3] },
  ], true);
  const good = gbdtToOnnx(model);
  fc.assert(fc.property(
    fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
    fc.nat(),
    (edits, cut) => {
      const bytes = good.slice(0, good.length - (cut % 64));
      for (const e of edits) bytes[e.at % bytes.length] = e.byte;
      const r = convertOnnx(bytes, ['a', 'b', 'c']);
      if (!r.ok) assert.equal(r.error.code, 'BadModel');
    },
  ), { numRuns: 500 });
  assert.equal(convertOnnx(new Uint8Array(0)).ok, false);
});
