/**
 * The article's loss: the sum of squared errors.
 *
 * @module
 */
import { sumOfSquaredDifferences } from "./_sum.ts";
import { assertMatrix, dataOf, type Matrix, shapeText } from "./_matrix.ts";
import { activeTape } from "./_tape.ts";

/**
 * The sum of squared errors Σ(u − d)², the article's
 * `numpy.sum((u - d) ** 2)`, summed as numpy sums so it rounds the same.
 *
 * @param u The model's output.
 * @param d The target, with the same shape as `u`.
 * @returns The loss, a finite number of at least 0.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ, or the loss overflows.
 *
 * @example The article's first loss
 * ```ts
 * import { matrix, squaredError } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const u = matrix([[-3.8], [9.5]]);
 * const d = matrix([[1], [0]]);
 * assert.equal(squaredError(u, d), 113.28999999999999);
 * ```
 */
export function squaredError(u: Matrix, d: Matrix): number {
  assertMatrix(u, "squaredError(u, d)", "u");
  assertMatrix(d, "squaredError(u, d)", "d");
  if (u.rows !== d.rows || u.cols !== d.cols) {
    throw new RangeError(
      `Cannot compare ${shapeText(u)} with ${
        shapeText(d)
      } in squaredError(u, d): u and d must have the same shape`,
    );
  }
  const loss = sumOfSquaredDifferences(dataOf(u), dataOf(d));
  if (!Number.isFinite(loss)) {
    throw new RangeError(
      `Cannot compute squaredError(u, d) of ${
        shapeText(u)
      } matrices: the loss overflows to ${loss}`,
    );
  }
  if (activeTape !== null) activeTape.record("squaredError", [u, d], loss);
  return loss;
}
