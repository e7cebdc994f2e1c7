/**
 * Losses and metrics for networks: {@linkcode mse},
 * {@linkcode softmaxCrossEntropy} and {@linkcode accuracy}. The article's sum
 * of squares is `squaredError`. Samples are columns, as in the article.
 *
 * @module
 */
import { sumOfSquaredDifferences } from "./_sum.ts";
import { assertMatrix, dataOf, type Matrix, shapeText } from "./_matrix.ts";
import { activeTape } from "./_tape.ts";
import { countCorrect, crossEntropyOf } from "./_nn_kernels.ts";

function assertSameShape(
  a: Matrix,
  b: Matrix,
  fn: string,
  nameA: string,
  nameB: string,
): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(
      `Cannot compare ${shapeText(a)} with ${
        shapeText(b)
      } in ${fn}: ${nameA} and ${nameB} must have the same shape`,
    );
  }
}

/**
 * The mean squared error: Σ(u − d)² divided by the number of entries.
 *
 * @param u The model's output.
 * @param d The target, with the same shape as `u`.
 * @returns The loss, a finite number of at least 0.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ, or the loss overflows.
 *
 * @example The article's model: 113.29 over 2 entries
 * ```ts
 * import { matrix, mse } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const u = matrix([[-3.8], [9.5]]);
 * const d = matrix([[1], [0]]);
 * assert.equal(mse(u, d), 113.28999999999999 / 2);
 * ```
 */
export function mse(u: Matrix, d: Matrix): number {
  const fn = "mse(u, d)";
  assertMatrix(u, fn, "u");
  assertMatrix(d, fn, "d");
  assertSameShape(u, d, fn, "u", "d");
  const loss = sumOfSquaredDifferences(dataOf(u), dataOf(d)) /
    (u.rows * u.cols);
  if (!Number.isFinite(loss)) {
    throw new RangeError(
      `Cannot compute ${fn} of ${
        shapeText(u)
      } matrices: the loss overflows to ${loss}`,
    );
  }
  if (activeTape !== null) activeTape.record("mse", [u, d], loss);
  return loss;
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
 * distributions, usually one-hot (a single 1 in the true class's row).
 * @returns The mean loss, a number of at least 0 for one-hot targets.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ, or the loss overflows.
 *
 * @example A sure right answer costs nothing, a sure wrong one a lot
 * ```ts
 * import { matrix, softmaxCrossEntropy } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const labels = matrix([[1], [0]]);
 * assert.equal(softmaxCrossEntropy(matrix([[1000], [-1000]]), labels), 0);
 * assert.equal(softmaxCrossEntropy(matrix([[-1000], [1000]]), labels), 2000);
 * assert.equal(softmaxCrossEntropy(matrix([[0], [0]]), labels), Math.LN2);
 * ```
 */
export function softmaxCrossEntropy(
  logits: Matrix,
  oneHotLabels: Matrix,
): number {
  const fn = "softmaxCrossEntropy(logits, oneHotLabels)";
  assertMatrix(logits, fn, "logits");
  assertMatrix(oneHotLabels, fn, "oneHotLabels");
  assertSameShape(logits, oneHotLabels, fn, "logits", "oneHotLabels");
  const loss = crossEntropyOf(
    dataOf(logits),
    dataOf(oneHotLabels),
    logits.rows,
    logits.cols,
  );
  if (!Number.isFinite(loss)) {
    throw new RangeError(
      `Cannot compute ${fn} of ${
        shapeText(logits)
      } matrices: the loss overflows to ${loss}`,
    );
  }
  if (activeTape !== null) {
    activeTape.record("softmaxCrossEntropy", [logits, oneHotLabels], loss);
  }
  return loss;
}

/**
 * The fraction of samples (columns) classified correctly. With several rows,
 * a sample's class is the row of its largest entry (the first one on ties),
 * for outputs and targets alike (one-hot targets). With one row, it is a
 * binary classifier: the class is whether the entry is at least 0.5, so
 * targets are 0 or 1 and outputs are probabilities or scores around 0.5.
 *
 * @param output The model's outputs (logits, probabilities or scores), r x n.
 * @param targets The targets, r x n.
 * @returns A number from 0 to 1.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ.
 *
 * @example Two of three columns right
 * ```ts
 * import { accuracy, matrix } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const output = matrix([[2, 0.1, 5], [1, 0.3, 7]]);
 * const labels = matrix([[1, 0, 1], [0, 1, 0]]);
 * assert.equal(accuracy(output, labels), 2 / 3);
 * ```
 */
export function accuracy(output: Matrix, targets: Matrix): number {
  const fn = "accuracy(output, targets)";
  assertMatrix(output, fn, "output");
  assertMatrix(targets, fn, "targets");
  assertSameShape(output, targets, fn, "output", "targets");
  return countCorrect(
    dataOf(output),
    dataOf(targets),
    output.rows,
    output.cols,
  ) / output.cols;
}
