// ONNX import and export: ai.onnx.ml tree ensembles and linear classifiers to and from our inline models, checked against onnxruntime.

import { GbdtModel } from './tree-model.ts';
import type { TreeSpec } from './tree-model.ts';
import { LogisticModel } from './logistic.ts';
import { SeededRandom } from './random.ts';
import { decodeModel, FLOAT, INT64, ProtoError, withExtraOutputs, write } from './onnx-proto.ts';
import type { OnnxAttribute, OnnxModel, OnnxNode, OnnxValueInfo, ProtoWriter } from './onnx-proto.ts';

export type BadModel = { code: 'BadModel'; message: string };
export type OnnxImportResult = { ok: true; model: GbdtModel | LogisticModel } | { ok: false; error: BadModel };
export interface Parity {
  rows: number;
  /** Largest |our probability − onnxruntime's| over the rows. */
  maxDiff: number;
  /** Index (among the rows compared) where it occurs. */
  worstRow: number;
}
export type ParityResult = { ok: true; parity: Parity } | { ok: false; error: BadModel };
export type CheckedImportResult = { ok: true; model: GbdtModel | LogisticModel; parity: Parity } | { ok: false; error: BadModel; parity?: Parity };

/** Refuse an import whose probabilities differ from onnxruntime's by more than this anywhere on the parity rows. */
export const PARITY_TOLERANCE = 1e-5;
/** Metadata key under which our exports carry the input names (ONNX has no per-column names). */
export const FEATURES_METADATA = 'bulwark_feature_names';

const ML = 'ai.onnx.ml';
const fail = (message: string): { ok: false; error: BadModel } => ({ ok: false, error: { code: 'BadModel', message } });
const sigmoid = (m: number): number => 1 / (1 + Math.exp(-m));

const CORE_OPS = ['TreeEnsembleClassifier', 'TreeEnsembleRegressor', 'LinearClassifier'];
/** Ops accepted around the core node: preprocessing for linear models, a Sigmoid after a regressor, and output plumbing. */
const SIDE_OPS = ['Imputer', 'Scaler', 'Sigmoid', 'ZipMap', 'Identity', 'Cast'];
const SUPPORTED = `${CORE_OPS.map((o) => `${ML}.${o}`).join(', ')} (binary), with Imputer/Scaler before a LinearClassifier, Sigmoid after a regressor, and ZipMap, Identity, Cast on the outputs`;

/** What to read from onnxruntime to compare with our model: a column of a tensor, as a probability or a log-odds margin. */
interface Fetch { name: string; column: number; margin: boolean }

interface Plan {
  input: OnnxValueInfo;
  /** Columns of the input when the shape says so. */
  width: number | null;
  core: OnnxNode;
  imputer: OnnxNode | null;
  scaler: OnnxNode | null;
  fetch: Fetch;
}

// ---------------------------------------------------------------- float32 boundaries

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 above a float32 value (x ≤ t ⇔ x < nextUp32(t) for float32 x). */
function nextUp32(v: number): number {
  if (Number.isNaN(v) || v === Infinity) return v;
  if (v === 0) return 1.401298464324817e-45;
  f32[0] = v;
  u32[0] = v > 0 ? u32[0]! + 1 : u32[0]! - 1;
  return f32[0]!;
}

/** Smallest float32 ≥ t: for float32 x, x < t ⇔ x < ceil32(t). */
function ceil32(t: number): number {
  const r = Math.fround(t);
  return r >= t ? r : nextUp32(r);
}

/** Smallest float32 > t: for float32 x, x ≤ t ⇔ x < above32(t). */
function above32(t: number): number {
  const r = Math.fround(t);
  return r > t ? r : nextUp32(r);
}

// ---------------------------------------------------------------- reading the graph

const attr = (n: OnnxNode, name: string): OnnxAttribute | undefined => n.attributes.get(name);
const ints = (n: OnnxNode, name: string): number[] => attr(n, name)?.ints ?? [];
const strings = (n: OnnxNode, name: string): string[] => attr(n, name)?.strings ?? [];
const str = (n: OnnxNode, name: string, dflt: string): string => attr(n, name)?.s ?? dflt;
/** A float list attribute, or its `_as_tensor` (double) form. */
const floats = (n: OnnxNode, name: string): number[] => {
  const a = attr(n, name);
  if (a && a.floats.length) return a.floats;
  return attr(n, `${name}_as_tensor`)?.t?.floats ?? a?.floats ?? [];
};

function planOf(m: OnnxModel): Plan | BadModel {
  const bad = (message: string): BadModel => ({ code: 'BadModel', message });
  const g = m.graph;
  const found = [...new Set(g.nodes.map((n) => n.opType))];
  const unknown = g.nodes.filter((n) => !(CORE_OPS.includes(n.opType) && n.domain === ML) && !SIDE_OPS.includes(n.opType));
  if (unknown.length) {
    return bad(`unsupported ops ${[...new Set(unknown.map((n) => (n.domain ? `${n.domain}.${n.opType}` : n.opType)))].join(', ')} (the graph has ${found.join(', ')}); supported: ${SUPPORTED}`);
  }
  const cores = g.nodes.filter((n) => CORE_OPS.includes(n.opType));
  if (cores.length !== 1) return bad(`expected one tree ensemble or linear classifier, found ${cores.length ? cores.map((n) => n.opType).join(', ') : `none (ops: ${found.join(', ') || 'none'})`}`);
  const core = cores[0]!;
  const inits = new Set(g.initializers);
  const inputs = g.inputs.filter((i) => !inits.has(i.name));
  if (inputs.length !== 1) return bad(`expected one input tensor [N, features], found ${inputs.length} (${inputs.map((i) => i.name).join(', ')}); models with one input per column are not supported`);
  const input = inputs[0]!;
  if (input.elemType !== FLOAT) return bad(`input ${input.name} must be a float tensor (element type ${FLOAT}), found element type ${input.elemType}`);
  if (input.shape && input.shape.length !== 2) return bad(`input ${input.name} must have shape [N, features], found [${input.shape.join(', ')}]`);
  const width = input.shape && typeof input.shape[1] === 'number' ? input.shape[1] : null;

  // Walk back from the core node to the graph input through the preprocessing we can fold in.
  const producer = new Map<string, OnnxNode>();
  for (const n of g.nodes) for (const o of n.outputs) producer.set(o, n);
  let imputer: OnnxNode | null = null;
  let scaler: OnnxNode | null = null;
  let name = core.inputs[0] ?? '';
  for (let hops = 0; name !== input.name; hops++) {
    const p = producer.get(name);
    if (!p || hops > 8) return bad(`${core.opType} does not read the graph input ${input.name}`);
    if (p.opType === 'Identity') { /* pass-through */ }
    else if (p.opType === 'Scaler' && core.opType === 'LinearClassifier' && !scaler && !imputer) scaler = p;
    else if (p.opType === 'Imputer' && core.opType === 'LinearClassifier' && !imputer) imputer = p;
    else return bad(`${p.opType} before ${core.opType} is not supported (supported: Imputer then Scaler before a LinearClassifier)`);
    name = p.inputs[0] ?? '';
  }
  for (const n of g.nodes) {
    if (n.opType !== 'Sigmoid') continue;
    if (core.opType !== 'TreeEnsembleRegressor' || n.inputs[0] !== core.outputs[0]) return bad('a Sigmoid is supported only on the output of a TreeEnsembleRegressor');
  }
  const sig = g.nodes.find((n) => n.opType === 'Sigmoid');
  const fetch: Fetch = core.opType === 'TreeEnsembleRegressor'
    ? (sig ? { name: sig.outputs[0]!, column: 0, margin: false } : { name: core.outputs[0]!, column: 0, margin: true })
    : { name: core.outputs[1] ?? '', column: 1, margin: false };
  if (!fetch.name) return bad(`${core.opType} has no scores output`);
  return { input, width, core, imputer, scaler, fetch };
}

// ---------------------------------------------------------------- tree ensembles

interface Ensemble { baseMargin: number; trees: TreeSpec[] }

/** Converts the nodes_* / (class|target)_* attributes into our trees, with the branch conventions folded into "x < threshold goes left". */
function treesOf(core: OnnxNode, width: number): Ensemble | BadModel {
  const bad = (message: string): BadModel => ({ code: 'BadModel', message });
  const isClassifier = core.opType === 'TreeEnsembleClassifier';
  const prefix = isClassifier ? 'class' : 'target';
  const treeIds = ints(core, 'nodes_treeids');
  const nodeIds = ints(core, 'nodes_nodeids');
  const featureIds = ints(core, 'nodes_featureids');
  const modes = strings(core, 'nodes_modes');
  const values = floats(core, 'nodes_values');
  const trueIds = ints(core, 'nodes_truenodeids');
  const falseIds = ints(core, 'nodes_falsenodeids');
  const tracks = ints(core, 'nodes_missing_value_tracks_true');
  const hitrates = floats(core, 'nodes_hitrates');
  const n = treeIds.length;
  if (!n) return bad(`${core.opType} has no nodes`);
  for (const [k, a] of [['nodes_nodeids', nodeIds], ['nodes_featureids', featureIds], ['nodes_modes', modes], ['nodes_values', values], ['nodes_truenodeids', trueIds], ['nodes_falsenodeids', falseIds]] as const) {
    if (a.length !== n) return bad(`${k} has ${a.length} entries for ${n} nodes`);
  }
  if (tracks.length && tracks.length !== n) return bad(`nodes_missing_value_tracks_true has ${tracks.length} entries for ${n} nodes`);
  const wTree = ints(core, `${prefix}_treeids`);
  const wNode = ints(core, `${prefix}_nodeids`);
  const wId = ints(core, `${prefix}_ids`);
  const wValue = floats(core, `${prefix}_weights`);
  if (wNode.length !== wTree.length || wId.length !== wTree.length || wValue.length !== wTree.length) return bad(`${prefix}_treeids/nodeids/ids/weights differ in length`);

  let base = 0;
  const baseValues = floats(core, 'base_values');
  const post = str(core, 'post_transform', 'NONE');
  if (isClassifier) {
    const labels = ints(core, 'classlabels_int64s').length || strings(core, 'classlabels_strings').length;
    if (labels !== 2) return bad(`only binary classifiers are supported; this one has ${labels} classes`);
    const ids = new Set(wId);
    if (ids.size > 1) return bad('weights for both classes (a two-class ensemble that votes per class, such as a random forest) are not supported; only log-odds boosting ensembles are');
    if (post !== 'LOGISTIC') return bad(`post_transform ${post} is not supported for a classifier; expected LOGISTIC (log-odds boosting)`);
    if (baseValues.length > 1) return bad(`${baseValues.length} base_values for a binary classifier are ambiguous in ONNX-ML; expected one`);
    // onnxruntime adds the single base value to the class-0 score only; a model scoring class 1 must not have one.
    if (ids.has(1) && baseValues.length && baseValues[0] !== 0) return bad('weights on class 1 with a base value: onnxruntime ignores that base value, so the model is ambiguous');
    base = baseValues[0] ?? 0;
  } else {
    const targets = attr(core, 'n_targets')?.i ?? 1;
    if (targets !== 1 || wId.some((i) => i !== 0)) return bad(`only single-target regressors are supported; this one has ${targets} targets`);
    const agg = str(core, 'aggregate_function', 'SUM');
    if (agg !== 'SUM') return bad(`aggregate_function ${agg} is not supported; expected SUM`);
    // The output is read as log-odds either way: onnxruntime ignores LOGISTIC on a single target (it applies only
    // PROBIT there), so the parity check takes its raw output through a sigmoid, as the spec intends.
    if (post !== 'NONE' && post !== 'LOGISTIC') return bad(`post_transform ${post} on a regressor is not supported; expected NONE or LOGISTIC (log-odds)`);
    if (baseValues.length > 1) return bad(`${baseValues.length} base_values for one target`);
    base = baseValues[0] ?? 0;
  }

  // Nodes of one tree are contiguous, the first one being the root, as onnxruntime reads them.
  const runs: { tree: number; from: number; to: number }[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const last = runs[runs.length - 1];
    if (last && last.tree === treeIds[i]) { last.to = i + 1; continue; }
    if (seen.has(treeIds[i]!)) return bad(`the nodes of tree ${treeIds[i]} are not contiguous`);
    seen.add(treeIds[i]!);
    runs.push({ tree: treeIds[i]!, from: i, to: i + 1 });
  }
  const leafWeights = new Map<string, number>();
  const key = (t: number, id: number): string => `${t}:${id}`;
  for (let k = 0; k < wTree.length; k++) {
    const kk = key(wTree[k]!, wNode[k]!);
    leafWeights.set(kk, (leafWeights.get(kk) ?? 0) + Math.fround(wValue[k]!));
  }
  const useHitrates = hitrates.length === n && hitrates.every((h) => h > 0);
  const trees: TreeSpec[] = [];
  for (const run of runs) {
    const index = new Map<number, number>();
    for (let i = run.from; i < run.to; i++) {
      if (index.has(nodeIds[i]!)) return bad(`tree ${run.tree}: node ${nodeIds[i]} appears twice`);
      index.set(nodeIds[i]!, i);
    }
    const spec: TreeSpec = { feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [] };
    // Depth-first from the root so local index 0 is the root; each ONNX node is placed once.
    const placed = new Set<number>();
    const place = (i: number, depth: number): number | BadModel => {
      if (placed.has(i)) return bad(`tree ${run.tree}: node ${nodeIds[i]} is reached twice (not a tree)`);
      if (depth > 256) return bad(`tree ${run.tree} is deeper than 256`);
      placed.add(i);
      const me = spec.feature.length;
      spec.feature.push(-1); spec.threshold.push(0); spec.left.push(-1); spec.right.push(-1); spec.defaultLeft.push(0); spec.value.push(0); spec.cover.push(1);
      const mode = modes[i]!;
      if (mode === 'LEAF') {
        spec.value[me] = leafWeights.get(key(run.tree, nodeIds[i]!)) ?? 0;
        spec.cover[me] = useHitrates ? hitrates[i]! : 1;
        return me;
      }
      const f = featureIds[i]!;
      if (f < 0 || f >= width) return bad(`tree ${run.tree} node ${nodeIds[i]}: feature ${f} is outside the ${width} inputs`);
      const t = values[i]!;
      if (Number.isNaN(t)) return bad(`tree ${run.tree} node ${nodeIds[i]}: threshold is NaN`);
      const tIdx = index.get(trueIds[i]!);
      const fIdx = index.get(falseIds[i]!);
      if (tIdx === undefined || fIdx === undefined) return bad(`tree ${run.tree} node ${nodeIds[i]}: child ${tIdx === undefined ? trueIds[i] : falseIds[i]} is not in the tree`);
      const missingTrue = tracks[i] === 1;
      // onnxruntime compares the float32 input with the threshold; a NaN fails the comparison and goes to the
      // false branch unless missing values track true. Rewritten as "x < th goes left" on float32 inputs.
      let th: number, leftIsTrue: boolean;
      if (mode === 'BRANCH_LT') { th = ceil32(t); leftIsTrue = true; }
      else if (mode === 'BRANCH_LEQ') { th = above32(t); leftIsTrue = true; }
      else if (mode === 'BRANCH_GTE') { th = ceil32(t); leftIsTrue = false; }
      else if (mode === 'BRANCH_GT') { th = above32(t); leftIsTrue = false; }
      else return bad(`tree ${run.tree} node ${nodeIds[i]}: mode ${mode} is not supported (BRANCH_LT, BRANCH_LEQ, BRANCH_GTE, BRANCH_GT, LEAF are)`);
      const l = place(leftIsTrue ? tIdx : fIdx, depth + 1);
      if (typeof l !== 'number') return l;
      const r = place(leftIsTrue ? fIdx : tIdx, depth + 1);
      if (typeof r !== 'number') return r;
      spec.feature[me] = f;
      spec.threshold[me] = th;
      spec.left[me] = l;
      spec.right[me] = r;
      spec.defaultLeft[me] = missingTrue === leftIsTrue ? 1 : 0;
      // Without hit rates every leaf counts once, so TreeSHAP weighs both sides of a split by their leaf counts.
      spec.cover[me] = useHitrates ? hitrates[i]! : spec.cover[l]! + spec.cover[r]!;
      return me;
    };
    const root = place(run.from, 0);
    if (typeof root !== 'number') return root;
    trees.push(spec);
  }
  return { baseMargin: Math.fround(base), trees };
}

// ---------------------------------------------------------------- linear classifiers

function linearOf(plan: Plan, width: number, names: readonly string[]): LogisticModel | BadModel {
  const bad = (message: string): BadModel => ({ code: 'BadModel', message });
  const core = plan.core;
  const labels = ints(core, 'classlabels_ints').length || strings(core, 'classlabels_strings').length;
  if (labels !== 2) return bad(`only binary classifiers are supported; this one has ${labels} classes`);
  const coef = floats(core, 'coefficients');
  const icpt = floats(core, 'intercepts');
  const rows = icpt.length;
  if ((rows !== 1 && rows !== 2) || coef.length !== rows * width) return bad(`expected ${width} or ${2 * width} coefficients with 1 or 2 intercepts, found ${coef.length} and ${rows}`);
  const post = str(core, 'post_transform', 'NONE');
  const w = new Float64Array(width);
  let b: number;
  // Class 1's probability: its own row under LOGISTIC; under SOFTMAX over two rows, the logistic of their difference.
  if (post === 'LOGISTIC') {
    for (let f = 0; f < width; f++) w[f] = coef[(rows - 1) * width + f]!;
    b = icpt[rows - 1]!;
  } else if (post === 'SOFTMAX' && rows === 2) {
    for (let f = 0; f < width; f++) w[f] = coef[width + f]! - coef[f]!;
    b = icpt[1]! - icpt[0]!;
  } else return bad(`LinearClassifier with post_transform ${post} and ${rows} coefficient rows is not supported; expected LOGISTIC (or SOFTMAX over two rows)`);

  const perFeature = (a: number[], what: string, dflt: number): Float64Array | BadModel => {
    if (a.length === 0) return new Float64Array(width).fill(dflt);
    if (a.length === 1) return new Float64Array(width).fill(a[0]!);
    if (a.length !== width) return bad(`${what} has ${a.length} values for ${width} inputs`);
    return Float64Array.from(a);
  };
  let mean: Float64Array = new Float64Array(width);
  let std: Float64Array = new Float64Array(width).fill(1);
  let intercept = b;
  if (plan.scaler) {
    // Scaler computes (x − offset) · scale: exactly our standardisation with mean = offset, std = 1 / scale.
    const offset = perFeature(floats(plan.scaler, 'offset'), 'Scaler offset', 0);
    const scale = perFeature(floats(plan.scaler, 'scale'), 'Scaler scale', 1);
    if (!(offset instanceof Float64Array)) return offset;
    if (!(scale instanceof Float64Array)) return scale;
    mean = offset;
    std = scale.map((s) => (s !== 0 ? 1 / s : 1));
    for (let f = 0; f < width; f++) if (scale[f] === 0) w[f] = 0;
  }
  if (plan.imputer) {
    const replaced = attr(plan.imputer, 'replaced_value_float')?.f ?? 0;
    if (!Number.isNaN(replaced)) return bad(`Imputer replaces ${replaced}, not missing values (NaN); not supported`);
    const filled = perFeature(floats(plan.imputer, 'imputed_value_floats'), 'Imputer imputed_value_floats', 0);
    if (!(filled instanceof Float64Array)) return filled;
    if (plan.scaler) {
      // We impute the standardising mean; an imputer filling anything else would shift the margin of missing rows.
      for (let f = 0; f < width; f++) {
        if (Math.abs(filled[f]! - mean[f]!) > 1e-6 * Math.max(1, Math.abs(mean[f]!))) return bad(`Imputer fills ${names[f]} with ${filled[f]} but the Scaler centres it on ${mean[f]}; Bulwark imputes the centre`);
      }
    } else {
      // Centre on the imputed values (folding w·filled into the intercept) so a missing input scores as its imputed value.
      mean = filled;
      for (let f = 0; f < width; f++) intercept += w[f]! * filled[f]!;
    }
  }
  return new LogisticModel(names, mean, std, w, intercept);
}

// ---------------------------------------------------------------- import

/**
 * Converts an ONNX model (bytes) into a Bulwark model that scores inline. Pure and synchronous; pair it with
 * `verifyWithOnnxRuntime` (or call `importOnnx`, which does both). Feature names are required unless the file
 * carries ours (a Bulwark export), because ONNX inputs are one unnamed [N, F] tensor.
 */
export function convertOnnx(bytes: Uint8Array, featureNames?: readonly string[]): OnnxImportResult {
  let m: OnnxModel;
  try { m = decodeModel(bytes); } catch (e) {
    if (e instanceof ProtoError || e instanceof RangeError) return fail(`not an ONNX model: ${e.message}`);
    throw e;
  }
  const plan = planOf(m);
  if ('code' in plan) return { ok: false, error: plan };
  const names = featureNames ?? storedNames(m);
  const width = plan.width ?? names?.length ?? widthOf(plan.core);
  if (!names) return fail(`ONNX inputs have no column names: give the ${width} feature names in order (--features a,b,...)`);
  if (names.length !== width) return fail(`the model reads ${width} features (input ${plan.input.name}${plan.width === null ? ', by its nodes' : ` [N, ${width}]`}) but ${names.length} names were given`);
  if (new Set(names).size !== names.length) return fail('feature names must be distinct');
  if (plan.core.opType === 'LinearClassifier') {
    const lin = linearOf(plan, width, names);
    return 'code' in lin ? { ok: false, error: lin } : { ok: true, model: lin };
  }
  const ens = treesOf(plan.core, width);
  if ('code' in ens) return { ok: false, error: ens };
  // onnxruntime compares float32 inputs, so do we: thresholds above are float32 boundaries for exactly that.
  return { ok: true, model: new GbdtModel(ens.baseMargin, names, ens.trees, true) };
}

/** Input names our exports carry in the model metadata, if any. */
function storedNames(m: OnnxModel): string[] | undefined {
  const text = m.metadata.get(FEATURES_METADATA);
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  } catch { return undefined; }
}

/** Columns a model reads when its input shape does not say: from the coefficients, or the highest split feature. */
function widthOf(core: OnnxNode): number {
  if (core.opType === 'LinearClassifier') return floats(core, 'coefficients').length / Math.max(1, floats(core, 'intercepts').length);
  const fs = ints(core, 'nodes_featureids');
  const modes = strings(core, 'nodes_modes');
  let max = -1;
  for (let i = 0; i < fs.length; i++) if (modes[i] !== 'LEAF' && fs[i]! > max) max = fs[i]!;
  return max + 1;
}

/** Rows that exercise every split: values on and just below each threshold, outside the range, and missing. */
export function parityRows(model: GbdtModel | LogisticModel, count = 300, seed = 1): Float64Array[] {
  const rng = new SeededRandom(seed);
  const F = model.featureNames.length;
  const cuts: number[][] = Array.from({ length: F }, () => []);
  if (model instanceof GbdtModel) {
    for (const t of model.toJSON().trees) t.feature.forEach((f, i) => { if (f >= 0) cuts[f]!.push(t.threshold[i]!); });
  }
  const rows: Float64Array[] = [];
  for (let r = 0; r < count; r++) {
    const row = new Float64Array(F);
    for (let f = 0; f < F; f++) {
      const c = cuts[f]!;
      const u = rng.next();
      let v: number;
      if (u < 0.1) v = NaN;
      else if (model instanceof LogisticModel) v = model.mean[f]! + model.std[f]! * 2 * rng.nextGaussian();
      else if (!c.length) v = rng.nextGaussian();
      else if (u < 0.8) {
        const t = c[rng.nextInt(c.length)]!;
        // The threshold goes right, the float32 just below it goes left.
        v = rng.next() < 0.5 ? t : -nextUp32(-t);
      } else {
        let lo = Infinity, hi = -Infinity;
        for (const t of c) { if (t < lo) lo = t; if (t > hi) hi = t; }
        v = lo - 1 + (hi - lo + 2) * rng.next();
      }
      row[f] = Math.fround(v);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Runs the ONNX bytes in onnxruntime-node and compares its probability of class 1 with our model's on `rows`.
 * Rows with a missing value are skipped for linear models without an Imputer, where ONNX gives NaN and we impute.
 */
export async function verifyWithOnnxRuntime(bytes: Uint8Array, model: GbdtModel | LogisticModel, rows: readonly ArrayLike<number>[]): Promise<ParityResult> {
  let m: OnnxModel;
  try { m = decodeModel(bytes); } catch (e) { return fail(`not an ONNX model: ${(e as Error).message}`); }
  const plan = planOf(m);
  if ('code' in plan) return { ok: false, error: plan };
  const F = model.featureNames.length;
  const usable = model instanceof LogisticModel && !plan.imputer ? rows.filter((r) => Array.from(r).every((v) => v === v)) : rows;
  if (!usable.length) return fail('no rows to compare with onnxruntime');
  const data = new Float32Array(usable.length * F);
  usable.forEach((r, i) => { for (let f = 0; f < F; f++) data[i * F + f] = r[f]!; });
  const isOutput = m.graph.outputs.some((o) => o.name === plan.fetch.name);
  const runnable = isOutput ? bytes : withExtraOutputs(bytes, [write.valueInfo(plan.fetch.name, FLOAT, null)]);
  let out: Float32Array;
  let dims: readonly number[];
  try {
    // Loaded on first use: the native runtime serves import and export checks, never the scoring path.
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(runnable, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    try {
      const res = await session.run({ [plan.input.name]: new ort.Tensor('float32', data, [usable.length, F]) }, [plan.fetch.name]);
      const t = res[plan.fetch.name]!;
      out = t.data as Float32Array;
      dims = t.dims;
    } finally { await session.release(); }
  } catch (e) {
    return fail(`onnxruntime could not run the model: ${(e as Error).message}`);
  }
  const stride = dims.length > 1 ? dims[1]! : 1;
  let maxDiff = 0;
  let worstRow = -1;
  for (let i = 0; i < usable.length; i++) {
    const raw = out[i * stride + plan.fetch.column]!;
    const theirs = plan.fetch.margin ? sigmoid(raw) : raw;
    const ours = model.predict(usable[i]!);
    const d = ours === theirs ? 0 : Math.abs(ours - theirs);
    // NaN on one side only is as bad as it gets.
    const diff = Number.isNaN(d) ? Infinity : d;
    if (worstRow < 0 || diff > maxDiff) { maxDiff = diff; worstRow = i; }
  }
  return { ok: true, parity: { rows: usable.length, maxDiff, worstRow } };
}

/** Convert, then check against onnxruntime on `parityRows`; refuses when probabilities differ by more than PARITY_TOLERANCE. */
export async function importOnnx(bytes: Uint8Array, featureNames?: readonly string[], rows?: readonly ArrayLike<number>[]): Promise<CheckedImportResult> {
  const conv = convertOnnx(bytes, featureNames);
  if (!conv.ok) return conv;
  const check = await verifyWithOnnxRuntime(bytes, conv.model, rows ?? parityRows(conv.model));
  if (!check.ok) return check;
  const { parity } = check;
  if (!(parity.maxDiff <= PARITY_TOLERANCE)) {
    return { ok: false, parity, error: { code: 'BadModel', message: `converted model disagrees with onnxruntime: max |Δp| ${parity.maxDiff.toExponential(2)} over ${parity.rows} rows (row ${parity.worstRow}), tolerance ${PARITY_TOLERANCE}` } };
  }
  return { ok: true, model: conv.model, parity };
}

// ---------------------------------------------------------------- export

const OPSETS = [['', 15], [ML, 3]] as const;
const IR_VERSION = 8;

function io(F: number): { inputs: ProtoWriter[]; outputs: ProtoWriter[] } {
  return {
    inputs: [write.valueInfo('input', FLOAT, ['N', F])],
    outputs: [write.valueInfo('label', INT64, ['N']), write.valueInfo('probabilities', FLOAT, ['N', 2])],
  };
}

/**
 * A TreeEnsembleClassifier as skl2onnx writes boosted trees: one weight per leaf on class 0 of two, the base margin as
 * base_values, LOGISTIC; outputs `label` [N] and `probabilities` [N, 2]. Thresholds become the float32 boundary
 * (smallest float32 ≥ ours) so float32 inputs route exactly as here; covers go to nodes_hitrates for TreeSHAP.
 */
export function gbdtToOnnx(model: GbdtModel): Uint8Array {
  const a = {
    treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], modes: [] as string[], values: [] as number[],
    trueIds: [] as number[], falseIds: [] as number[], tracks: [] as number[], hitrates: [] as number[],
    wTree: [] as number[], wNode: [] as number[], wValue: [] as number[],
  };
  model.toJSON().trees.forEach((t, ti) => {
    for (let i = 0; i < t.feature.length; i++) {
      const leaf = t.feature[i]! < 0;
      a.treeIds.push(ti);
      a.nodeIds.push(i);
      a.featureIds.push(leaf ? 0 : t.feature[i]!);
      a.modes.push(leaf ? 'LEAF' : 'BRANCH_LT');
      a.values.push(leaf ? 0 : ceil32(t.threshold[i]!));
      a.trueIds.push(leaf ? 0 : t.left[i]!);
      a.falseIds.push(leaf ? 0 : t.right[i]!);
      a.tracks.push(!leaf && t.defaultLeft[i] ? 1 : 0);
      a.hitrates.push(t.cover[i] ?? 0);
      if (leaf) { a.wTree.push(ti); a.wNode.push(i); a.wValue.push(t.value[i]!); }
    }
  });
  const F = model.featureNames.length;
  const node = write.node('TreeEnsembleClassifier', ML, ['input'], ['label', 'probabilities'], [
    write.attrInts('classlabels_int64s', [0, 1]),
    write.attrFloats('base_values', [model.baseMargin]),
    write.attrInts('class_ids', a.wTree.map(() => 0)),
    write.attrInts('class_nodeids', a.wNode),
    write.attrInts('class_treeids', a.wTree),
    write.attrFloats('class_weights', a.wValue),
    write.attrInts('nodes_falsenodeids', a.falseIds),
    write.attrInts('nodes_featureids', a.featureIds),
    write.attrFloats('nodes_hitrates', a.hitrates),
    write.attrInts('nodes_missing_value_tracks_true', a.tracks),
    write.attrStrings('nodes_modes', a.modes),
    write.attrInts('nodes_nodeids', a.nodeIds),
    write.attrInts('nodes_treeids', a.treeIds),
    write.attrInts('nodes_truenodeids', a.trueIds),
    write.attrFloats('nodes_values', a.values),
    write.attrString('post_transform', 'LOGISTIC'),
  ], 'trees');
  const { inputs, outputs } = io(F);
  return write.model(write.graph('bulwark_gbdt', [node], inputs, outputs), OPSETS, IR_VERSION, 'bulwark', '0.1.0', [[FEATURES_METADATA, JSON.stringify(model.featureNames)]]);
}

/** Imputer (missing → training mean) → Scaler (standardise) → LinearClassifier (LOGISTIC): our logistic model, step for step. */
export function logisticToOnnx(model: LogisticModel): Uint8Array {
  const F = model.featureNames.length;
  const mean = [...model.mean];
  const nodes = [
    write.node('Imputer', ML, ['input'], ['imputed'], [write.attrFloats('imputed_value_floats', mean), write.attrFloat('replaced_value_float', NaN)], 'impute'),
    write.node('Scaler', ML, ['imputed'], ['scaled'], [write.attrFloats('offset', mean), write.attrFloats('scale', [...model.std].map((s) => 1 / s))], 'standardise'),
    write.node('LinearClassifier', ML, ['scaled'], ['label', 'probabilities'], [
      write.attrInts('classlabels_ints', [0, 1]),
      write.attrFloats('coefficients', [...model.coefficients]),
      write.attrFloats('intercepts', [model.intercept]),
      write.attrString('post_transform', 'LOGISTIC'),
    ], 'linear'),
  ];
  const { inputs, outputs } = io(F);
  return write.model(write.graph('bulwark_logistic', nodes, inputs, outputs), OPSETS, IR_VERSION, 'bulwark', '0.1.0', [[FEATURES_METADATA, JSON.stringify(model.featureNames)]]);
}
