/**
 * Losses: the article's {@linkcode squaredError}, {@linkcode mse} and
 * {@linkcode softmaxCrossEntropy}, each with its backward. Each returns a
 * number, or with `{ keepdims: true }` a 1x1 Matrix. Samples are columns, as
 * in the article.
 *
 * @module
 */
import {
  arrayCallback,
  assertMatrix,
  assertSameShape,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import { sumOfSquaredDifferences } from "../kernels/_sum.ts";
import { crossEntropyOf, logSoftmaxInto, softmaxInto } from "../kernels/_nn.ts";
import { defineOp } from "../autodiff/define_op.ts";
import {
  keepsDims,
  type Reduced,
  reduced,
  type ReduceOptions,
} from "./reductions.ts";

/** A finite loss as a 1x1 Matrix, or a RangeError naming `fn`. */
function lossMatrix(loss: number, u: Matrix, fn: string): Matrix {
  if (!Number.isFinite(loss)) {
    throw new RangeError(
      `Cannot compute ${fn} of ${
        shapeText(u)
      } matrices: the loss overflows to ${loss}`,
    );
  }
  return fromData(1, 1, new Float64Array([loss]));
}

/**
 * How far a column of labels may sum from 1: soft labels such as
 * [0.9, 0.05, 0.05] or [1/3, 1/3, 1/3] come out a few ulps off, while a
 * mistake (a label of 2, a regression target, a row of class indices) is far
 * off.
 */
export const LABEL_SUM_TOLERANCE = 1e-6;

/**
 * Throws a RangeError naming `fn` unless every column of `labels` is a
 * probability distribution, as the cross-entropy needs: each entry from 0 to
 * 1 and each column summing to 1 within LABEL_SUM_TOLERANCE.
 * Other targets would give a wrong number (a label of −1 makes the loss
 * negative). `hint` ends the message (such as which loss to use instead).
 */
export function assertProbabilityColumns(
  labels: Matrix,
  fn: string,
  name: string,
  hint = "",
): void {
  const data = dataOf(labels), r = labels.rows, n = labels.cols;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(
        `Expected ${name} of ${fn} to hold probabilities from 0 to 1, one distribution per column (a one-hot column for a class), got ${v} at row ${
          Math.floor(i / n)
        }, column ${i % n}${hint}`,
      );
    }
  }
  for (let j = 0; j < n; j++) {
    let total = 0;
    for (let i = 0; i < r; i++) total += data[i * n + j];
    if (!(Math.abs(total - 1) <= LABEL_SUM_TOLERANCE)) {
      throw new RangeError(
        `Expected each column of ${name} of ${fn} to sum to 1 (within 1e-6), as a one-hot column does, got ${total} for column ${j}${hint}`,
      );
    }
  }
}

/** The gradients k·(u − d) for u and −k·(u − d) for d. */
function scaledDifference(
  u: Matrix,
  d: Matrix,
  k: number,
  needs: readonly boolean[],
): (Matrix | null)[] {
  const du = dataOf(u), dd = dataOf(d);
  const gu = new Float64Array(du.length);
  for (let i = 0; i < gu.length; i++) gu[i] = k * (du[i] - dd[i]);
  return [
    fromData(u.rows, u.cols, gu),
    needs[1] ? fromData(u.rows, u.cols, gu.map((v) => -v)) : null,
  ];
}

const squaredErrorOp = defineOp({
  name: "squaredError",
  forward: (u: Matrix, d: Matrix) =>
    lossMatrix(
      sumOfSquaredDifferences(dataOf(u), dataOf(d)),
      u,
      "squaredError(u, d)",
    ),
  // ∂Σ(u − d)² = 2(u − d)·g.
  backward: (g, { args: [u, d], needs }) =>
    scaledDifference(u, d, 2 * dataOf(g)[0], needs),
});

const mseOp = defineOp({
  name: "mse",
  forward: (u: Matrix, d: Matrix) =>
    lossMatrix(
      sumOfSquaredDifferences(dataOf(u), dataOf(d)) / (u.rows * u.cols),
      u,
      "mse(u, d)",
    ),
  // ∂ mean (u − d)² = 2(u − d)·g / count.
  backward: (g, { args: [u, d], needs }) =>
    scaledDifference(u, d, 2 * dataOf(g)[0] / (u.rows * u.cols), needs),
});

const softmaxCrossEntropyOp = defineOp({
  name: "softmaxCrossEntropy",
  forward: (z: Matrix, d: Matrix) =>
    lossMatrix(
      crossEntropyOf(dataOf(z), dataOf(d), z.rows, z.cols),
      z,
      "softmaxCrossEntropy(logits, oneHotLabels)",
    ),
  // ∂/∂z_ij of (1/n) Σ_i d_ij (lse_j − z_ij) is (softmax_ij · Σ_i d_ij − d_ij)/n;
  // ∂/∂d_ij is −log softmax_ij / n.
  backward: (g, { args: [z, d], needs }) => {
    const r = z.rows, n = z.cols;
    const dz = dataOf(z), dd = dataOf(d);
    const k = dataOf(g)[0] / n;
    let gz = null, gd = null;
    if (needs[0]) {
      const s = new Float64Array(r * n);
      softmaxInto(dz, r, n, s);
      for (let j = 0; j < n; j++) {
        let total = 0;
        for (let i = 0; i < r; i++) total += dd[i * n + j];
        for (let i = 0; i < r; i++) {
          s[i * n + j] = k * (s[i * n + j] * total - dd[i * n + j]);
        }
      }
      gz = fromData(r, n, s);
    }
    if (needs[1]) {
      const ls = new Float64Array(r * n);
      logSoftmaxInto(dz, r, n, ls);
      for (let i = 0; i < ls.length; i++) ls[i] *= -k;
      gd = fromData(r, n, ls);
    }
    return [gz, gd];
  },
});

/**
 * The sum of squared errors Σ(u − d)², the article's
 * `numpy.sum((u - d) ** 2)`, summed as numpy sums so it rounds the same.
 *
 * @param u The model's output.
 * @param d The target, with the same shape as `u`.
 * @param options `keepdims: true` returns a 1x1 Matrix instead of a number.
 * @returns The loss, a finite number of at least 0.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ, or the loss overflows.
 *
 * @example The article's first loss
 * ```ts
 * import { matrix, squaredError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const u = matrix([[-3.8], [9.5]]);
 * const d = matrix([[1], [0]]);
 * assert.equal(squaredError(u, d), 113.28999999999999);
 * ```
 */
export function squaredError<O extends ReduceOptions = ReduceOptions>(
  u: Matrix,
  d: Matrix,
  options?: O,
): Reduced<O> {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments("squaredError(u, d, options)", arguments.length, 2);
  }
  const fn = "squaredError(u, d)";
  assertMatrix(u, fn, "u");
  assertMatrix(d, fn, "d");
  assertSameShape(u, d, fn, "compare", ["u", "d"]);
  return reduced(squaredErrorOp(u, d), keepsDims(options, fn));
}

/**
 * The mean squared error: Σ(u − d)² divided by the number of entries.
 *
 * @param u The model's output.
 * @param d The target, with the same shape as `u`.
 * @param options `keepdims: true` returns a 1x1 Matrix instead of a number.
 * @returns The loss, a finite number of at least 0.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ, or the loss overflows.
 *
 * @example The article's model: 113.29 over 2 entries
 * ```ts
 * import { matrix, mse } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const u = matrix([[-3.8], [9.5]]);
 * const d = matrix([[1], [0]]);
 * assert.equal(mse(u, d), 113.28999999999999 / 2);
 * ```
 */
export function mse<O extends ReduceOptions = ReduceOptions>(
  u: Matrix,
  d: Matrix,
  options?: O,
): Reduced<O> {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments("mse(u, d, options)", arguments.length, 2);
  }
  const fn = "mse(u, d)";
  assertMatrix(u, fn, "u");
  assertMatrix(d, fn, "d");
  assertSameShape(u, d, fn, "compare", ["u", "d"]);
  return reduced(mseOp(u, d), keepsDims(options, fn));
}

/**
 * The softmax cross-entropy between logits and target distributions,
 * averaged over the samples (columns):
 * (1/n) Σ_j Σ_i −d_ij · log softmax(z)_ij. It is computed from the
 * log-sum-exp of each column (max + log Σ e^(z − max)), never from the
 * softmax itself, so it stays exact and finite for logits of ±1000. Its
 * gradient with respect to the logits is (softmax(z) − d) / n for one-hot
 * targets.
 *
 * @param logits An r x n matrix of unnormalised scores, one column per sample.
 * @param oneHotLabels An r x n matrix whose columns are the target
 * distributions, usually one-hot (a single 1 in the true class's row): every
 * entry from 0 to 1 and every column summing to 1, within 1e-6 for the
 * rounding of soft labels such as [1/3, 1/3, 1/3].
 * @param options `keepdims: true` returns a 1x1 Matrix instead of a number.
 * @returns The mean loss, a number of at least 0.
 * @throws {TypeError} When an argument is not a Matrix, or a fourth argument
 * is given.
 * @throws {RangeError} When the shapes differ, a label is outside [0, 1], a
 * column of labels does not sum to 1, or the loss overflows.
 *
 * @example A sure right answer costs nothing, a sure wrong one a lot
 * ```ts
 * import { matrix, softmaxCrossEntropy } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const labels = matrix([[1], [0]]);
 * assert.equal(softmaxCrossEntropy(matrix([[1000], [-1000]]), labels), 0);
 * assert.equal(softmaxCrossEntropy(matrix([[-1000], [1000]]), labels), 2000);
 * assert.equal(softmaxCrossEntropy(matrix([[0], [0]]), labels), Math.LN2);
 * // The maximum cancels before log Σ is added: exact even at 1e16.
 * assert.equal(softmaxCrossEntropy(matrix([[1e16], [1e16]]), labels), Math.LN2);
 * ```
 */
export function softmaxCrossEntropy<O extends ReduceOptions = ReduceOptions>(
  logits: Matrix,
  oneHotLabels: Matrix,
  options?: O,
): Reduced<O> {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "softmaxCrossEntropy(logits, oneHotLabels, options)",
      arguments.length,
      2,
    );
  }
  const fn = "softmaxCrossEntropy(logits, oneHotLabels)";
  assertMatrix(logits, fn, "logits");
  assertMatrix(oneHotLabels, fn, "oneHotLabels");
  assertSameShape(logits, oneHotLabels, fn, "compare", [
    "logits",
    "oneHotLabels",
  ]);
  assertProbabilityColumns(oneHotLabels, fn, "oneHotLabels");
  return reduced(
    softmaxCrossEntropyOp(logits, oneHotLabels),
    keepsDims(options, fn),
  );
}
