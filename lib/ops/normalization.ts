/**
 * Batch normalization and dropout, the two training techniques of
 * ゼロから作るDeep Learning chapter 6, as differentiable ops:
 * {@linkcode batchNorm} and {@linkcode dropout}. Their layers, which keep
 * running averages and draw masks, are `layers.batchNorm` and
 * `layers.dropout`.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertInRange,
  assertMatrix,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import type { Rng } from "../core/random.ts";
import { defineOp } from "../autodiff/define_op.ts";

/** The scale and shift of {@linkcode batchNorm}, each features x 1. */
export interface BatchNormParams {
  /** The scale γ, features x 1. */
  readonly gamma: Matrix;
  /** The shift β, features x 1. */
  readonly beta: Matrix;
}

/** Options for {@linkcode batchNorm}. */
export interface BatchNormOptions {
  /**
   * Added to the variance before the square root, as PyTorch's `eps`.
   *
   * @default {1e-5}
   */
  epsilon?: number;
}

/**
 * Per row of the r x n `x`: the mean and the biased variance over the n
 * columns (numpy's `x.mean(axis=1)` and `x.var(axis=1)`).
 */
export function rowMoments(
  x: Matrix,
): { mean: Float64Array; variance: Float64Array } {
  const r = x.rows, n = x.cols, xd = dataOf(x);
  const mean = new Float64Array(r), variance = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += xd[i * n + j];
    const mu = s / n;
    let v = 0;
    for (let j = 0; j < n; j++) {
      const e = xd[i * n + j] - mu;
      v += e * e;
    }
    mean[i] = mu;
    variance[i] = v / n;
  }
  return { mean, variance };
}

interface BatchNormSaved {
  /** The normalized input (x − μ)/σ, r x n. */
  readonly xhat: Float64Array;
  /** 1/σ per row. */
  readonly inverseStd: Float64Array;
}

const BATCH_NORM = "batchNorm(params, x, options)";

const batchNormOp = defineOp({
  name: "batchNorm",
  forward: (gamma: Matrix, beta: Matrix, x: Matrix, epsilon: number) => {
    const r = x.rows, n = x.cols, xd = dataOf(x);
    const gd = dataOf(gamma), bd = dataOf(beta);
    const { mean, variance } = rowMoments(x);
    // A row's mean or variance can overflow though its entries are finite.
    assertFiniteResult(mean, BATCH_NORM, "the mean of a row");
    assertFiniteResult(variance, BATCH_NORM, "the variance of a row");
    const xhat = new Float64Array(r * n), out = new Float64Array(r * n);
    const inverseStd = new Float64Array(r);
    for (let i = 0; i < r; i++) {
      const inv = 1 / Math.sqrt(variance[i] + epsilon);
      inverseStd[i] = inv;
      for (let j = 0; j < n; j++) {
        const h = (xd[i * n + j] - mean[i]) * inv;
        xhat[i * n + j] = h;
        out[i * n + j] = gd[i] * h + bd[i];
      }
    }
    assertFiniteResult(out, BATCH_NORM);
    return {
      output: fromData(r, n, out),
      saved: { xhat, inverseStd } as BatchNormSaved,
    };
  },
  // Per row, with x̂ = (x − μ)/σ: ∂β = Σg, ∂γ = Σ g·x̂, and
  // ∂x = γ/(σ·n) · (n·g − Σg − x̂·Σ(g·x̂)) (Ioffe and Szegedy 2015).
  backward: (g, { args: [gamma, , x], saved: { xhat, inverseStd }, needs }) => {
    const r = x.rows, n = x.cols, gd = dataOf(g), gam = dataOf(gamma);
    const dGamma = new Float64Array(r), dBeta = new Float64Array(r);
    for (let i = 0; i < r; i++) {
      let sg = 0, sgh = 0;
      for (let j = 0; j < n; j++) {
        sg += gd[i * n + j];
        sgh += gd[i * n + j] * xhat[i * n + j];
      }
      dBeta[i] = sg;
      dGamma[i] = sgh;
    }
    let dx = null;
    if (needs[2]) {
      const out = new Float64Array(r * n);
      for (let i = 0; i < r; i++) {
        const k = gam[i] * inverseStd[i] / n;
        for (let j = 0; j < n; j++) {
          out[i * n + j] = k *
            (n * gd[i * n + j] - dBeta[i] - xhat[i * n + j] * dGamma[i]);
        }
      }
      dx = fromData(r, n, out);
    }
    return [
      needs[0] ? fromData(r, 1, dGamma) : null,
      needs[1] ? fromData(r, 1, dBeta) : null,
      dx,
      null,
    ];
  },
});

/**
 * Batch normalization (Ioffe and Szegedy 2015; ゼロから作るDeep Learning
 * §6.3): each row (feature) of x is normalized over the columns (samples)
 * with the batch mean μ and the biased variance σ² (numpy's
 * `x.var(axis=1)`), then scaled and shifted:
 * y = γ·(x − μ)/√(σ² + ε) + β. This is the training-time op; the layer
 * `layers.batchNorm` also keeps running averages for evaluation.
 *
 * @param params `gamma` and `beta`, each features x 1.
 * @param x The batch, features x n: one column per sample.
 * @param options `epsilon`, default 1e-5 as in PyTorch.
 * @returns The normalized batch, features x n.
 * @throws {TypeError} When params is not `{ gamma, beta }` of matrices, x
 * is not a Matrix, or an option is unknown or not a number.
 * @throws {RangeError} When gamma or beta is not features x 1, epsilon
 * is not a positive number up to 1, or a row's mean, variance or a result
 * overflows.
 *
 * @example Each row gets mean 0 and variance 1 (before γ and β)
 * ```ts
 * import { batchNorm, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = matrix([[1, 3], [10, 10]]);
 * const gamma = matrix([[1], [1]]);
 * const beta = matrix([[0], [5]]);
 * const y = toArray(batchNorm({ gamma, beta }, x, { epsilon: 1e-12 }));
 * assert.ok(Math.abs(y[0][0] + 1) < 1e-9 && Math.abs(y[0][1] - 1) < 1e-9);
 * assert.deepEqual(y[1], [5, 5]); // a constant row becomes β
 * ```
 */
export function batchNorm(
  params: BatchNormParams,
  x: Matrix,
  options: BatchNormOptions = {},
): Matrix {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "batchNorm(params, x, options)",
      arguments.length,
      2,
    );
  }
  const fn = BATCH_NORM;
  assertRecord(params, fn, "params", "an object { gamma, beta } of matrices");
  const { gamma, beta } = params;
  assertMatrix(gamma, fn, "params.gamma");
  assertMatrix(beta, fn, "params.beta");
  assertMatrix(x, fn, "x");
  for (const [name, m] of [["gamma", gamma], ["beta", beta]] as const) {
    if (m.rows !== x.rows || m.cols !== 1) {
      throw new RangeError(
        `Cannot normalize x ${shapeText(x)} with params.${name} ${
          shapeText(m)
        } in ${fn}: params.${name} must be ${x.rows}x1, one entry per row (feature) of x`,
      );
    }
  }
  const o = readOptions(options, fn, ["epsilon"]);
  const epsilon = o.epsilon === undefined ? 1e-5 : assertInRange(
    o.epsilon,
    fn,
    "options.epsilon",
    Number.MIN_VALUE,
    1,
    "a positive number up to 1",
  );
  return batchNormOp(gamma, beta, x, epsilon);
}

/** Options for {@linkcode dropout}. */
export interface DropoutOptions {
  /** The probability of dropping each entry, from 0 (keep all) to below 1. */
  rate: number;
  /** The generator the mask is drawn from; it advances. */
  rng: Rng;
}

const dropoutOp = defineOp({
  name: "dropout",
  forward: (x: Matrix, mask: Float64Array) => {
    const xd = dataOf(x), out = new Float64Array(xd.length);
    for (let i = 0; i < out.length; i++) out[i] = xd[i] * mask[i];
    // Kept entries scaled by 1/(1 − rate) can overflow.
    assertFiniteResult(out, "dropout(x, options)");
    return fromData(x.rows, x.cols, out);
  },
  // The kept entries pass their gradient on, scaled as in the forward.
  backward: (g, { args: [, mask] }) => {
    const gd = dataOf(g), out = new Float64Array(gd.length);
    for (let i = 0; i < out.length; i++) out[i] = gd[i] * mask[i];
    return [fromData(g.rows, g.cols, out), null];
  },
});

/**
 * Inverted dropout (Srivastava et al. 2014; ゼロから作るDeep Learning §6.4.3):
 * each entry is dropped (set to 0) with probability `rate` and the kept ones
 * are divided by 1 − rate, so the expected output equals the input and
 * evaluation needs no rescaling. The mask is drawn from `rng`: the same seed
 * gives the same mask. This is the training-time op; `layers.dropout` is the
 * identity at evaluation.
 *
 * @param x The matrix.
 * @param options `rate` and the generator `rng` to draw the mask from.
 * @returns A matrix with `x`'s shape.
 * @throws {TypeError} When x is not a Matrix, options is not
 * `{ rate, rng }`, or rng has no `uniform` method.
 * @throws {RangeError} When rate is not in [0, 1), or a kept entry
 * overflows when scaled by 1/(1 − rate).
 *
 * @example About half the entries dropped, the rest doubled
 * ```ts
 * import { createRng, dropout, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const y = toArray(dropout(matrix([[1, 1, 1, 1, 1, 1]]), { rate: 0.5, rng: createRng(0) }))[0];
 * assert.ok(y.every((v) => v === 0 || v === 2));
 * ```
 */
export function dropout(x: Matrix, options: DropoutOptions): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("dropout(x, options)", arguments.length);
  }
  const fn = "dropout(x, options)";
  assertMatrix(x, fn, "x");
  const o = readOptions(options, fn, ["rate", "rng"]);
  const rate = assertInRange(
    o.rate,
    fn,
    "options.rate",
    0,
    1,
    "a number in [0, 1)",
  );
  if (rate === 1) {
    throw new RangeError(
      `Expected options.rate of ${fn} to be a number in [0, 1), got 1 (every entry dropped)`,
    );
  }
  const rng = o.rng as Rng;
  if (
    typeof rng !== "object" || rng === null || typeof rng.uniform !== "function"
  ) {
    throw new TypeError(
      `Expected options.rng of ${fn} to be a generator from createRng(seed), got ${
        describe(rng)
      }`,
    );
  }
  return dropoutOp(x, dropoutMask(x.rows * x.cols, rate, rng));
}

/** A mask of 0 (dropped, with probability rate) and 1/(1 − rate) entries. */
function dropoutMask(n: number, rate: number, rng: Rng): Float64Array {
  const mask = new Float64Array(n);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) mask[i] = rng.uniform() < rate ? 0 : keep;
  return mask;
}
