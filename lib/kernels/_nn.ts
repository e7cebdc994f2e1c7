// Numeric kernels of the network ops over row-major Float64Arrays, shared by
// the differentiable ops, their gradients and the fused MLP path. They check
// nothing and never write into their inputs (only into `out` arguments).
import { pairwiseSum } from "./_sum.ts";

/** The logistic function 1 / (1 + e^−v) of one number, without overflow. */
export function sigmoidOf(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Fills `out` with the column-wise softmax of the r x n `z`. */
export function softmaxInto(
  z: Float64Array,
  r: number,
  n: number,
  out: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    let max = -Infinity;
    for (let i = 0; i < r; i++) if (z[i * n + j] > max) max = z[i * n + j];
    let total = 0;
    for (let i = 0; i < r; i++) {
      const e = Math.exp(z[i * n + j] - max);
      out[i * n + j] = e;
      total += e;
    }
    for (let i = 0; i < r; i++) out[i * n + j] /= total;
  }
}

/**
 * Fills `out` with the column-wise log-softmax of the r x n `z`:
 * (z − max) − log Σ e^(z − max). The maximum cancels first, so the result
 * is exact for logits of any size (log Σ is at most log r).
 */
export function logSoftmaxInto(
  z: Float64Array,
  r: number,
  n: number,
  out: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    let max = -Infinity;
    for (let i = 0; i < r; i++) if (z[i * n + j] > max) max = z[i * n + j];
    let total = 0;
    for (let i = 0; i < r; i++) total += Math.exp(z[i * n + j] - max);
    const logTotal = Math.log(total);
    for (let i = 0; i < r; i++) {
      out[i * n + j] = (z[i * n + j] - max) - logTotal;
    }
  }
}

/** The mean over columns of −Σ_i d_ij · log softmax(z)_ij; the raw loss. */
export function crossEntropyOf(
  z: Float64Array,
  d: Float64Array,
  r: number,
  n: number,
): number {
  const ls = new Float64Array(r * n);
  logSoftmaxInto(z, r, n, ls);
  const perSample = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < r; i++) {
      const dij = d[i * n + j];
      if (dij !== 0) s -= dij * ls[i * n + j];
    }
    perSample[j] = s;
  }
  return pairwiseSum(perSample, 0, n) / n;
}

/**
 * The class of each column of the r x n `u`: the row of its largest entry
 * (the first on ties), or for one row, 1 where the entry is at least 0.5.
 */
export function classesOf(u: Float64Array, r: number, n: number): Int32Array {
  const out = new Int32Array(n);
  if (r === 1) {
    for (let j = 0; j < n; j++) {
      out[j] = u[j] >= 0.5 ? 1 : 0;
    }
    return out;
  }
  for (let j = 0; j < n; j++) {
    let best = 0;
    for (let i = 1; i < r; i++) {
      if (u[i * n + j] > u[best * n + j]) best = i;
    }
    out[j] = best;
  }
  return out;
}

/** The predicted class of column j: its argmax, or for one row, v ≥ 0.5. */
export function countCorrect(
  u: Float64Array,
  d: Float64Array,
  r: number,
  n: number,
): number {
  let correct = 0;
  if (r === 1) {
    for (let j = 0; j < n; j++) {
      if ((u[j] >= 0.5) === (d[j] >= 0.5)) correct++;
    }
    return correct;
  }
  for (let j = 0; j < n; j++) {
    let bu = 0, bd = 0;
    for (let i = 1; i < r; i++) {
      if (u[i * n + j] > u[bu * n + j]) bu = i;
      if (d[i * n + j] > d[bd * n + j]) bd = i;
    }
    if (bu === bd) correct++;
  }
  return correct;
}
