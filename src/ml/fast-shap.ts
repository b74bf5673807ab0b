// Exact path-dependent TreeSHAP in O(nodes) per row: the Shapley weights as an integral, evaluated exactly by Gauss–Legendre quadrature.

import type { GbdtModel, TreeSpec } from './tree-model.ts';

/** Path masks are int32 bit sets: a tree with a path of more distinct features goes to the exact recursion. */
const MAX_PATH_FEATURES = 30;
/** Quadrature nodes per pass over a tree: 3 integrate degree ≤ 5 exactly, i.e. paths of up to 6 distinct features. */
const LANES = 3;

/**
 * Why this is exact (after Linear TreeShap, Yu et al. 2022). For a leaf with value v, let P be the distinct
 * features on its path (d = |P|; a feature split on twice is merged: its zero fraction z_j is the product of the
 * child/parent cover ratios at its splits, and o_j is 1 only when the row takes every one of its branches).
 * Path-dependent TreeSHAP is the Shapley value of g(S) = v · Π_{j∈S} o_j · Π_{j∈P\S} z_j. Writing the weight
 * s!(d−1−s)!/d! as ∫₀¹ tˢ(1−t)^{d−1−s} dt turns the sum over subsets into
 *   φ_k = (o_k − z_k) · v · ∫₀¹ Π_{j≠k} (o_j·t + z_j·(1−t)) dt,
 * a polynomial of degree d − 1 in t, so Gauss–Legendre with ⌈d/2⌉ nodes t_g (weights w_g, u_g = t_g/(1−t_g))
 * gives it exactly, with positive terms only. With R_g = v · w_g · (1−t_g)^{d−1} · Π_{j∈P} (z_j + o_j·u_g):
 *   o_k = 0: φ_k = −Σ_g R_g;   o_k = 1: φ_k = Σ_g R_g · (1 − z_k)/(z_k + u_g)   (constants: no division per row).
 * Both are linear in R, so no leaf is visited per feature: a feature's (z_k, o_k) are final at its deepest split
 * on the path, so the leaves below each branch of that split are summed (S = Σ R) and the branch adds one term
 * for all of them; at a repeat, the split above on the same feature takes back its term for the leaves below.
 * Per row and tree: a pass down the splits in preorder (the row's branch, path masks, the products Π in 3 lanes;
 * splits over two leaves are finished there) and a pass up the others (sums, terms): O(nodes), no loop over a
 * path. Trees whose paths have more than 6 distinct features take one more pass per 6 more, with a larger rule.
 *
 * What a row costs is typed-array accesses (V8 spends ~8 instructions on each), so the layout keeps them few: split
 * records in preorder, 3 lanes rather than 4, a leaf's R computed by its parent split, and for a first split on its
 * feature over two leaves its S and term as p·T and p·W with T, W per taken side precomputed (alone, or with a parent
 * that is a first split too, three splits in one step). Memory is ~150 bytes per split and pass, nothing exponential
 * in depth: Fast TreeSHAP v2's per-leaf tables of 2^d entries (Yang 2021) were tried first and were 2–3× slower
 * here, their random reads missing cache at every leaf.
 */
export class FastTreeShap {
  /** Expected margin (same as `GbdtModel.expectedMargin`); base + contributions = margin. */
  readonly base: number;
  /** Trees left to the exact recursion (a path with more than 30 distinct features, or a model with ≥ 2^21 features). */
  readonly exactTrees: Int32Array;
  /** Bytes held by the explainer's arrays. */
  readonly bytes: number;
  /** Passes over the deepest tree (1 while paths have at most 6 distinct features). */
  readonly passes: number;
  private readonly model: GbdtModel;
  /** Tree t's splits, numbered in preorder: treeSplits[t] … treeSplits[t+1]. */
  private readonly treeSplits: Int32Array;
  /** Tree t's splits with a split below them (the others are finished on the way down): upper[treeUppers[t] …]. */
  private readonly treeUppers: Int32Array;
  private readonly upper: Int32Array;
  /** Per tree: how many passes (⌈d/6⌉ for its longest path), and so which Gauss–Legendre rule. */
  private readonly treePasses: Uint8Array;
  /**
   * Four int32 per split: code, slot, slot of the right child (slots: the tree's nodes in preorder, so the left
   * child is slot + 1), and the split above. Code = feature << 10 | flags: bits 0–4 the feature's bit in path masks
   * (its index among the path's distinct features), then FRESH (the first split on the feature along the path; a
   * repeat's o is an AND and its z a product), DEFAULT_LEFT, LEFT_LEAF, RIGHT_LEAF, UNIT (a first split on its
   * feature whose children are first splits over two leaves: the three are finished in one step on the way down).
   * Split above (repeats only): 2 × the nearest split above on the same feature + 1 if the path went right there.
   */
  private readonly split: Int32Array;
  /** Four float64 per split: threshold, z of the left and right branch (merged with splits above on the feature), z above. */
  private readonly splitValue: Float64Array;
  /**
   * Per pass, six float64 per split: v · w_g · (1 − t_g)^{d−1} of its left then right child when that is a leaf; for a
   * first split on its feature over two leaves, T_g of each taken side instead (see the pass down).
   */
  private readonly leafScale: Float64Array[];
  /** Per pass, six float64 per split: (1 − z)/(z + u_g) of its left then right branch; W_g of each taken side for a first split over two leaves. */
  private readonly coef: Float64Array[];
  /** u_g of pass p of the rule for P passes, at 3·(P(P−1)/2 + p). */
  private readonly u: Float64Array;
  /** Per-row scratch: per split, which branch has o = 1 (1 left, 2 right, 0 neither); per slot, 3 lanes and a mask. */
  private readonly hotSide: Uint8Array;
  private readonly lanes: Float64Array;
  private readonly masks: Int32Array;
  private readonly x32: Float64Array | null;

  constructor(model: GbdtModel) {
    this.model = model;
    this.base = model.expectedMargin();
    const trees = model.toJSON().trees;
    const fast: number[] = [];
    const exact: number[] = [];
    let splits = 0, uppers = 0, widest = 1, passes = 1;
    // Feature numbers share an int32 with the flags.
    const fits = model.featureNames.length < 1 << 21;
    for (let ti = 0; ti < trees.length; ti++) {
      const t = trees[ti]!;
      if (t.feature[0]! < 0) continue; // a lone leaf explains nothing
      const s = sizeOf(t);
      if (s.maxD > MAX_PATH_FEATURES || !fits) { exact.push(ti); continue; }
      fast.push(ti);
      splits += s.nodes - s.leaves; uppers += s.uppers; widest = Math.max(widest, s.nodes);
      passes = Math.max(passes, Math.ceil(s.maxD / (2 * LANES)));
    }
    this.exactTrees = Int32Array.from(exact);
    this.passes = passes;
    this.treeSplits = new Int32Array(fast.length + 1);
    this.treeUppers = new Int32Array(fast.length + 1);
    this.upper = new Int32Array(uppers);
    this.treePasses = new Uint8Array(fast.length);
    this.split = new Int32Array(splits * 4);
    this.splitValue = new Float64Array(splits * 4);
    this.leafScale = Array.from({ length: passes }, () => new Float64Array(splits * 2 * LANES));
    this.coef = Array.from({ length: passes }, () => new Float64Array(splits * 2 * LANES));
    const rules = Array.from({ length: passes }, (_, p) => gaussLegendre01(LANES * (p + 1)));
    this.u = new Float64Array(LANES * ((passes * (passes + 1)) / 2));
    rules.forEach((rule, p) => rule.t.forEach((t, g) => { this.u[LANES * ((p * (p + 1)) / 2) + g] = t / (1 - t); }));
    this.hotSide = new Uint8Array(splits);
    this.lanes = new Float64Array(widest * LANES);
    this.masks = new Int32Array(widest);
    this.x32 = model.float32Inputs ? new Float64Array(model.featureNames.length) : null;

    let k = 0, up = 0, slot = 0, rule = rules[0]!;
    const pathFeature: number[] = [];
    const pathZero: number[] = [];
    const pathEdge: number[] = [];
    /** Split ks's leaf scales for a child that is a leaf (side 0 left, 3 right), every node of the tree's rule. */
    const leaf = (t: TreeSpec, i: number, ks: number, side: number): void => {
      const d = pathFeature.length;
      for (let g = 0; g < rule.t.length; g++) {
        this.leafScale[Math.floor(g / LANES)]![ks * 2 * LANES + side + (g % LANES)] = t.value[i]! * rule.w[g]! * (1 - rule.t[g]!) ** (d - 1);
      }
    };
    const emit = (t: TreeSpec, i: number): void => {
      const me = slot++;
      const ks = k++;
      const f = t.feature[i]!;
      const li = t.left[i]!, ri = t.right[i]!;
      const leafL = t.feature[li]! < 0, leafR = t.feature[ri]! < 0;
      if (!leafL || !leafR) this.upper[up++] = ks;
      let j = pathFeature.indexOf(f);
      const fresh = j < 0;
      if (fresh) { j = pathFeature.length; pathFeature.push(f); pathZero.push(1); pathEdge.push(-1); }
      const z = pathZero[j]!;
      const edge = pathEdge[j]!;
      this.split[ks * 4] = (f << 10) | j | (fresh ? FRESH : 0) | (t.defaultLeft[i] ? DEFAULT_LEFT : 0) | (leafL ? LEFT_LEAF : 0) | (leafR ? RIGHT_LEAF : 0);
      this.split[ks * 4 + 1] = me;
      this.split[ks * 4 + 3] = edge;
      // Same cover conventions as GbdtModel (a missing cover is 0), so the ratios are shapInto's.
      const c = t.cover[i] ?? 0;
      const zl = ((t.cover[li] ?? 0) / c) * z;
      const zr = ((t.cover[ri] ?? 0) / c) * z;
      this.splitValue[ks * 4] = t.threshold[i]!;
      this.splitValue[ks * 4 + 1] = zl;
      this.splitValue[ks * 4 + 2] = zr;
      this.splitValue[ks * 4 + 3] = z;
      for (let g = 0; g < rule.t.length; g++) {
        const u = rule.t[g]! / (1 - rule.t[g]!);
        const at = ks * 2 * LANES + (g % LANES);
        this.coef[Math.floor(g / LANES)]![at] = (1 - zl) / (zl + u);
        this.coef[Math.floor(g / LANES)]![at + LANES] = (1 - zr) / (zr + u);
      }
      pathZero[j] = zl;
      pathEdge[j] = ks * 2;
      if (leafL) { slot++; leaf(t, li, ks, 0); } else emit(t, li);
      this.split[ks * 4 + 2] = slot;
      pathZero[j] = zr;
      pathEdge[j] = ks * 2 + 1;
      if (leafR) { slot++; leaf(t, ri, ks, LANES); } else emit(t, ri);
      if (fresh && leafL && leafR) {
        // Taken side left (lanes 0–2): T = (zl + u)·σL + zr·σR, W = (1 − zl)·σL − zr·σR; right (3–5) the mirror.
        for (let g = 0; g < rule.t.length; g++) {
          const u = rule.t[g]! / (1 - rule.t[g]!);
          const sc = this.leafScale[Math.floor(g / LANES)]!, cf = this.coef[Math.floor(g / LANES)]!;
          const at = ks * 2 * LANES + (g % LANES);
          const sl = sc[at]!, sr = sc[at + LANES]!;
          sc[at] = (zl + u) * sl + zr * sr;
          cf[at] = (1 - zl) * sl - zr * sr;
          sc[at + LANES] = zl * sl + (zr + u) * sr;
          cf[at + LANES] = (1 - zr) * sr - zl * sl;
        }
      }
      if (fresh && !leafL && !leafR && k === ks + 3
        && (this.split[(ks + 1) * 4]! & FRESH_OVER_LEAVES) === FRESH_OVER_LEAVES && (this.split[(ks + 2) * 4]! & FRESH_OVER_LEAVES) === FRESH_OVER_LEAVES) {
        this.split[ks * 4] |= UNIT;
        up--; // finished on the way down, with its children
      }
      pathZero[j] = z;
      pathEdge[j] = edge;
      if (fresh) { pathFeature.pop(); pathZero.pop(); pathEdge.pop(); }
    };
    fast.forEach((ti, at) => {
      const t = trees[ti]!;
      const p = Math.ceil(sizeOf(t).maxD / (2 * LANES));
      this.treePasses[at] = p;
      rule = rules[p - 1]!;
      this.treeSplits[at] = k; this.treeUppers[at] = up; slot = 0;
      emit(t, 0);
    });
    this.treeSplits[fast.length] = k; this.treeUppers[fast.length] = up;
    this.bytes = [this.treeSplits, this.treeUppers, this.upper, this.treePasses, this.split, this.splitValue, ...this.leafScale, ...this.coef,
      this.u, this.hotSide, this.lanes, this.masks].reduce((s, a) => s + a.byteLength, 0);
  }

  /** Contributions to the margin for one row (NaN = missing), into `phi` (zeroed here); equal to `model.shap(row).contributions`. Does not allocate. */
  shapInto(row: ArrayLike<number>, phi: Float64Array): void {
    phi.fill(0);
    let x = row;
    if (this.x32) { for (let f = 0; f < this.x32.length; f++) this.x32[f] = Math.fround(row[f]!); x = this.x32; }
    for (let i = 0; i < this.exactTrees.length; i++) this.model.shapTreeInto(x, phi, this.exactTrees[i]!);
    for (let p = 0; p < this.coef.length; p++) this.pass(x, phi, p);
  }

  /** Pass p (quadrature nodes 3p … 3p+2) over every tree that needs it. */
  private pass(x: ArrayLike<number>, phi: Float64Array, p: number): void {
    const { treeSplits, treeUppers, upper, treePasses, split, splitValue, hotSide, lanes: S, masks } = this;
    const scale = this.leafScale[p]!, coef = this.coef[p]!;
    for (let t = 0; t < treePasses.length; t++) {
      const passes = treePasses[t]!;
      if (passes <= p) continue;
      const ui = LANES * ((((passes - 1) * passes) >> 1) + p);
      const u0 = this.u[ui]!, u1 = this.u[ui + 1]!, u2 = this.u[ui + 2]!;
      const end = treeSplits[t + 1]!;
      // Down, over the splits in preorder: the row's branch, the path mask m and products p_g = Π (z_j + o_j·u_g),
      // carried into the next split when it is a child (a right child's wait in its slot). A leaf's
      // R_g = p_g · v · w_g · (1 − t_g)^{d−1} goes to its slot, and a split over two leaves is finished here.
      let m = 0, p0 = 1, p1 = 1, p2 = 1;
      for (let k = treeSplits[t]!; k < end; k++) {
        const r = k << 2;
        const code = split[r]!;
        const j = code & 31;
        const b1 = 1 << j;
        const v = x[code >> 10]!;
        const th = splitValue[r]!;
        // 1 when the row goes left; a missing value (NaN) fails both comparisons and takes the learned default
        // branch, as in shapInto. Branch-free: the direction is a coin flip to the predictor.
        const gl = +(v < th) | (+!(v >= th) & (code >> 6));
        if ((code & FRESH_OVER_LEAVES) === FRESH_OVER_LEAVES) {
          // First split on its feature, over two leaves: the taken side has o = 1, so S_g = p_g · T_g and the term is
          // Σ p_g · W_g, with T and W per side precomputed (in leafScale and coef).
          const c6 = k * 6 + (gl ^ 1) * 3;
          const s0 = p0 * scale[c6]!, s1 = p1 * scale[c6 + 1]!, s2 = p2 * scale[c6 + 2]!;
          const q = split[r + 1]! * 3;
          S[q] = s0; S[q + 1] = s1; S[q + 2] = s2;
          phi[code >> 10] += p0 * coef[c6]! + p1 * coef[c6 + 1]! + p2 * coef[c6 + 2]!;
          if (k + 1 < end) {
            // The next split is a right child waiting in its slot.
            const next = split[r + 5]!;
            const q1 = next * 3;
            p0 = S[q1]!; p1 = S[q1 + 1]!; p2 = S[q1 + 2]!;
            m = masks[next]!;
          }
          continue;
        }
        if ((code & UNIT) !== 0) {
          // A first split on its feature whose children (the next two splits) are first splits over two leaves:
          // all three finished here. Each child's S is its incoming products times its T for the side it takes.
          const cl = split[r + 4]!, cr = split[r + 8]!;
          const vl = x[cl >> 10]!, thl = splitValue[r + 4]!, vr = x[cr >> 10]!, thr = splitValue[r + 8]!;
          const gll = +(vl < thl) | (+!(vl >= thl) & (cl >> 6)), glr = +(vr < thr) | (+!(vr >= thr) & (cr >> 6));
          const zL = splitValue[r + 1]!, zR = splitValue[r + 2]!;
          const gr = gl ^ 1;
          const l0 = p0 * (zL + gl * u0), l1 = p1 * (zL + gl * u1), l2 = p2 * (zL + gl * u2);
          const r0 = p0 * (zR + gr * u0), r1 = p1 * (zR + gr * u1), r2 = p2 * (zR + gr * u2);
          const ol = k * 6 + 6 + (gll ^ 1) * 3, or = k * 6 + 12 + (glr ^ 1) * 3;
          const a0 = l0 * scale[ol]!, a1 = l1 * scale[ol + 1]!, a2 = l2 * scale[ol + 2]!;
          const b0 = r0 * scale[or]!, b1 = r1 * scale[or + 1]!, b2 = r2 * scale[or + 2]!;
          phi[cl >> 10] += l0 * coef[ol]! + l1 * coef[ol + 1]! + l2 * coef[ol + 2]!;
          phi[cr >> 10] += r0 * coef[or]! + r1 * coef[or + 1]! + r2 * coef[or + 2]!;
          const q = split[r + 1]! * 3;
          S[q] = a0 + b0; S[q + 1] = a1 + b1; S[q + 2] = a2 + b2;
          // The parent's term: the taken side has o = 1; Σ coef·S of it minus Σ S of the other.
          const ch = k * 6 + gr * 3;
          const h0 = gl * a0 + gr * b0, h1 = gl * a1 + gr * b1, h2 = gl * a2 + gr * b2;
          phi[code >> 10] += coef[ch]! * h0 + coef[ch + 1]! * h1 + coef[ch + 2]! * h2 - (gr * a0 + gl * b0) - (gr * a1 + gl * b1) - (gr * a2 + gl * b2);
          k += 2;
          if (k + 1 < end) {
            const next = split[r + 13]!;
            const q1 = next * 3;
            p0 = S[q1]!; p1 = S[q1 + 1]!; p2 = S[q1 + 2]!;
            m = masks[next]!;
          }
          continue;
        }
        // The taken branch sets the bit at a first split and keeps it (an AND) at a repeat; the other clears it.
        const hot = (code & FRESH) !== 0 ? b1 : m & b1;
        const cold = m & ~b1;
        const oL = (hot >> j) & gl, oR = (hot >> j) & (gl ^ 1);
        if ((code & FRESH) === 0) {
          // A repeat: divide out the feature's factor from above; it is 0 only when the product already is.
          const oA = (m >> j) & 1, zA = splitValue[r + 3]!;
          const d0 = zA + oA * u0, d1 = zA + oA * u1, d2 = zA + oA * u2;
          p0 = d0 === 0 ? 0 : p0 / d0; p1 = d1 === 0 ? 0 : p1 / d1; p2 = d2 === 0 ? 0 : p2 / d2;
        }
        hotSide[k] = oL | (oR << 1);
        const zL = splitValue[r + 1]!, zR = splitValue[r + 2]!;
        const l0 = p0 * (zL + oL * u0), l1 = p1 * (zL + oL * u1), l2 = p2 * (zL + oL * u2);
        const r0 = p0 * (zR + oR * u0), r1 = p1 * (zR + oR * u1), r2 = p2 * (zR + oR * u2);
        const c6 = k * 6;
        if ((code & BOTH_LEAVES) === BOTH_LEAVES) {
          const a0 = l0 * scale[c6]!, a1 = l1 * scale[c6 + 1]!, a2 = l2 * scale[c6 + 2]!;
          const b0 = r0 * scale[c6 + 3]!, b1 = r1 * scale[c6 + 4]!, b2 = r2 * scale[c6 + 5]!;
          const s0 = a0 + b0, s1 = a1 + b1, s2 = a2 + b2;
          const q = split[r + 1]! * 3;
          S[q] = s0; S[q + 1] = s1; S[q + 2] = s2;
          // The split's terms, as in the pass up below (the taken branch is the one with o = 1, if either).
          const h0 = oL * a0 + oR * b0, h1 = oL * a1 + oR * b1, h2 = oL * a2 + oR * b2;
          const ch = c6 + oR * 3;
          let c = coef[ch]! * h0 + coef[ch + 1]! * h1 + coef[ch + 2]! * h2 + (h0 + h1 + h2) - (s0 + s1 + s2);
          if ((code & FRESH) === 0) c -= this.aboveTerm(k, q, coef);
          phi[code >> 10] += c;
          if (k + 1 < end) {
            // The next split is a right child waiting in its slot.
            const next = split[r + 5]!;
            const q1 = next * 3;
            p0 = S[q1]!; p1 = S[q1 + 1]!; p2 = S[q1 + 2]!;
            m = masks[next]!;
          }
        } else if ((code & LEFT_LEAF) !== 0) {
          const ql = (split[r + 1]! + 1) * 3;
          S[ql] = l0 * scale[c6]!; S[ql + 1] = l1 * scale[c6 + 1]!; S[ql + 2] = l2 * scale[c6 + 2]!;
          p0 = r0; p1 = r1; p2 = r2;
          m = cold | (hot & (gl - 1));
        } else {
          const right = split[r + 2]!;
          const qr = right * 3;
          if ((code & RIGHT_LEAF) !== 0) {
            S[qr] = r0 * scale[c6 + 3]!; S[qr + 1] = r1 * scale[c6 + 4]!; S[qr + 2] = r2 * scale[c6 + 5]!;
          } else {
            S[qr] = r0; S[qr + 1] = r1; S[qr + 2] = r2;
            masks[right] = cold | (hot & (gl - 1));
          }
          p0 = l0; p1 = l1; p2 = l2;
          m = cold | (hot & -gl);
        }
      }
      // Up, over the other splits in reverse preorder: S = Σ R over the leaves below, and the split's terms.
      for (let e = treeUppers[t + 1]! - 1; e >= treeUppers[t]!; e--) {
        const k = upper[e]!;
        const r = k << 2;
        const code = split[r]!;
        const q = split[r + 1]! * 3, qr = split[r + 2]! * 3;
        const l0 = S[q + 3]!, l1 = S[q + 4]!, l2 = S[q + 5]!;
        const r0 = S[qr]!, r1 = S[qr + 1]!, r2 = S[qr + 2]!;
        const s0 = l0 + r0, s1 = l1 + r1, s2 = l2 + r2;
        S[q] = s0; S[q + 1] = s1; S[q + 2] = s2;
        // At most one branch has o = 1 (the taken one, if every split on the feature above was taken too): its
        // leaves add Σ coef·S, all others −Σ S; the branch is picked arithmetically rather than with a jump on o.
        const side = hotSide[k]!;
        const hl = side & 1, hr = side >> 1;
        const h0 = hl * l0 + hr * r0, h1 = hl * l1 + hr * r1, h2 = hl * l2 + hr * r2;
        const ch = k * 6 + hr * 3;
        let c = coef[ch]! * h0 + coef[ch + 1]! * h1 + coef[ch + 2]! * h2 + (h0 + h1 + h2) - (s0 + s1 + s2);
        if ((code & FRESH) === 0) c -= this.aboveTerm(k, q, coef);
        phi[code >> 10] += c;
      }
    }
  }

  /**
   * At a repeat, the leaves below split k (sums in lanes[q …]) were also counted by the split above on the same
   * feature, but their (z, o) are final here: that split's term for them, to take back.
   */
  private aboveTerm(k: number, q: number, coef: Float64Array): number {
    const S = this.lanes;
    const e = this.split[(k << 2) + 3]!;
    const ce = (e >> 1) * 6 + (e & 1) * 3;
    const s0 = S[q]!, s1 = S[q + 1]!, s2 = S[q + 2]!;
    return this.hotSide[e >> 1] === (e & 1) + 1 ? coef[ce]! * s0 + coef[ce + 1]! * s1 + coef[ce + 2]! * s2 : -(s0 + s1 + s2);
  }
}

const FRESH = 32;
const DEFAULT_LEFT = 64;
const LEFT_LEAF = 128;
const RIGHT_LEAF = 256;
const BOTH_LEAVES = LEFT_LEAF | RIGHT_LEAF;
const FRESH_OVER_LEAVES = FRESH | BOTH_LEAVES;
const UNIT = 512;

interface TreeSize { nodes: number; leaves: number; uppers: number; maxD: number }

function sizeOf(t: TreeSpec): TreeSize {
  const s: TreeSize = { nodes: 0, leaves: 0, uppers: 0, maxD: 0 };
  const path: number[] = [];
  const walk = (i: number): void => {
    s.nodes++;
    const f = t.feature[i]!;
    if (f < 0) { s.leaves++; s.maxD = Math.max(s.maxD, path.length); return; }
    if (t.feature[t.left[i]!]! >= 0 || t.feature[t.right[i]!]! >= 0) s.uppers++;
    const fresh = !path.includes(f);
    if (fresh) path.push(f);
    walk(t.left[i]!);
    walk(t.right[i]!);
    if (fresh) path.pop();
  };
  walk(0);
  return s;
}

/** n-point Gauss–Legendre rule mapped to [0, 1] (exact for polynomials of degree ≤ 2n − 1): Newton on P_n from the usual cosine guesses. */
export function gaussLegendre01(n: number): { t: Float64Array; w: Float64Array } {
  const t = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    // Newton steps while they still move x; quadratic convergence, so a handful.
    for (let iter = 0; iter < 100; iter++) {
      const [p, dp] = legendre(n, x);
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    const dp = legendre(n, x)[1];
    t[i] = (1 - x) / 2;
    w[i] = 1 / ((1 - x * x) * dp * dp);
  }
  return { t, w };
}

/** P_n(x) and P_n'(x), by the three-term recurrence. */
function legendre(n: number, x: number): [number, number] {
  let p0 = 1, p1 = x;
  for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
  return [p1, (n * (x * p1 - p0)) / (x * x - 1)];
}
