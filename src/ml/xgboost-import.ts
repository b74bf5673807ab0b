// Imports an XGBoost JSON model (save_model to .json, binary:logistic gbtree) into our tree predictor.

import { GbdtModel } from './tree-model.ts';
import type { TreeSpec } from './tree-model.ts';

export type ImportResult = { ok: true; model: GbdtModel } | { ok: false; error: { code: 'BadModel'; message: string } };

const fail = (message: string): ImportResult => ({ ok: false, error: { code: 'BadModel', message } });

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const nums = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);

/**
 * Accepts the parsed JSON or its text. Thresholds and leaf values are float32 in XGBoost, and XGBoost
 * compares inputs as float32, so the model is built with float32 input comparison for identical routing.
 */
export function importXgboostJson(input: string | unknown, featureNames?: readonly string[]): ImportResult {
  let root: unknown = input;
  if (typeof input === 'string') {
    try { root = JSON.parse(input); } catch (e) { return fail(`not JSON: ${(e as Error).message}`); }
  }
  const learner = obj(obj(root)?.learner);
  if (!learner) return fail('missing "learner" object');
  const objective = obj(learner.objective);
  const objName = String(objective?.name ?? '');
  if (objName !== 'binary:logistic' && objName !== 'binary:logitraw' && objName !== 'reg:logistic') {
    return fail(`objective ${objName || '(none)'} is not supported; expected binary:logistic`);
  }
  const booster = obj(learner.gradient_booster);
  if (String(booster?.name) !== 'gbtree') return fail(`booster ${String(booster?.name)} is not supported; expected gbtree`);
  const params = obj(learner.learner_model_param);
  if (Number(params?.num_class ?? 0) > 1) return fail('multi-class models are not supported');
  // base_score is a string, "5E-1" (1.x) or "[5E-1]" (2.x).
  const baseScore = Number(String(params?.base_score ?? '0.5').replace(/[[\]]/g, ''));
  if (!Number.isFinite(baseScore)) return fail(`bad base_score ${String(params?.base_score)}`);
  const baseMargin = objName === 'binary:logitraw' ? baseScore : Math.log(baseScore / (1 - baseScore));
  const numFeature = Number(params?.num_feature ?? 0);
  const model = obj(booster!.model);
  const rawTrees = model?.trees;
  if (!Array.isArray(rawTrees)) return fail('missing gradient_booster.model.trees');
  const trees: TreeSpec[] = [];
  let maxFeature = -1;
  for (let t = 0; t < rawTrees.length; t++) {
    const tr = obj(rawTrees[t]);
    const left = nums(tr?.left_children);
    const right = nums(tr?.right_children);
    const feat = nums(tr?.split_indices);
    const cond = nums(tr?.split_conditions);
    const dflt = nums(tr?.default_left);
    const hess = nums(tr?.sum_hessian);
    if (!left || !right || !feat || !cond || !dflt || !hess) return fail(`tree ${t}: missing node arrays`);
    const size = left.length;
    if ([right, feat, cond, dflt, hess].some((a) => a.length !== size)) return fail(`tree ${t}: node arrays differ in length`);
    const splitType = nums(tr?.split_type);
    if (splitType?.some((s) => s !== 0)) return fail(`tree ${t}: categorical splits are not supported`);
    const spec: TreeSpec = { feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [] };
    for (let i = 0; i < size; i++) {
      const leaf = left[i] === -1;
      if (!leaf && (left[i]! < 0 || left[i]! >= size || right[i]! < 0 || right[i]! >= size)) return fail(`tree ${t}: node ${i} has a bad child`);
      spec.feature.push(leaf ? -1 : feat[i]!);
      spec.threshold.push(leaf ? 0 : Math.fround(cond[i]!));
      spec.left.push(leaf ? -1 : left[i]!);
      spec.right.push(leaf ? -1 : right[i]!);
      spec.defaultLeft.push(dflt[i] ? 1 : 0);
      // For a leaf, split_conditions holds the leaf value (learning rate applied).
      spec.value.push(leaf ? Math.fround(cond[i]!) : 0);
      spec.cover.push(hess[i]!);
      if (!leaf) maxFeature = Math.max(maxFeature, feat[i]!);
    }
    trees.push(spec);
  }
  const width = Math.max(numFeature, maxFeature + 1, featureNames?.length ?? 0);
  const storedNames = Array.isArray(learner.feature_names) ? (learner.feature_names as unknown[]).map(String) : [];
  const names = featureNames ?? (storedNames.length === width ? storedNames : Array.from({ length: width }, (_, i) => `f${i}`));
  return { ok: true, model: new GbdtModel(baseMargin, names, trees, true) };
}
