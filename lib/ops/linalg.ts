/**
 * Linear algebra: the matrix product {@linkcode dot} and
 * {@linkcode transpose}, each with its backward.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertMatrix,
  count,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import { matmul } from "../kernels/_matmul.ts";
import { defineOp } from "../autodiff/define_op.ts";

const dotOp = defineOp({
  name: "dot",
  forward: (a: Matrix, b: Matrix) => {
    const out = matmul(dataOf(a), dataOf(b), a.rows, a.cols, b.cols);
    assertFiniteResult(out, `dot(a, b) of ${shapeText(a)} by ${shapeText(b)}`);
    return fromData(a.rows, b.cols, out);
  },
  // ∂(a·b) = g·bᵀ for a, aᵀ·g for b.
  backward: (g, { args: [a, b], needs }) => {
    const m = a.rows, k = a.cols, n = b.cols, gd = dataOf(g);
    return [
      needs[0]
        ? fromData(m, k, matmul(gd, dataOf(b), m, n, k, false, true))
        : null,
      needs[1]
        ? fromData(k, n, matmul(dataOf(a), gd, k, m, n, true, false))
        : null,
    ];
  },
});

function transposed(m: Matrix): Matrix {
  const r = m.rows, c = m.cols, src = dataOf(m);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
  }
  return fromData(c, r, out);
}

const transposeOp = defineOp({
  name: "transpose",
  forward: transposed,
  // The gradient of mᵀ is gᵀ.
  backward: (g) => transposed(g),
});

/**
 * Multiplies two matrices, as numpy's `a.dot(b)`.
 *
 * @param a An m x k matrix.
 * @param b A k x n matrix.
 * @returns The m x n product.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the inner dimensions differ, or the product
 * overflows.
 *
 * @example The article's forward pass, w·x
 * ```ts
 * import { dot, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const x = matrix([[5], [2], [7]]);
 * assert.deepEqual(toArray(dot(w, x)), [[-5], [6.1]]);
 * ```
 */
export function dot(a: Matrix, b: Matrix): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("dot(a, b)", arguments.length);
  }
  assertMatrix(a, "dot(a, b)", "a");
  assertMatrix(b, "dot(a, b)", "b");
  if (a.cols !== b.rows) {
    throw new RangeError(
      `Cannot multiply ${shapeText(a)} by ${
        shapeText(b)
      } in dot(a, b): inner dimensions differ (a has ${
        count(a.cols, "column")
      }, b has ${count(b.rows, "row")})`,
    );
  }
  return dotOp(a, b);
}

/**
 * Transposes a matrix, as numpy's `m.T`.
 *
 * @param m An r x c matrix.
 * @returns The c x r matrix whose entry (j, i) is `m`'s entry (i, j).
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArray, transpose } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(transpose(matrix([[5], [2], [7]]))), [[5, 2, 7]]);
 * ```
 */
export function transpose(m: Matrix): Matrix {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("transpose(m)", arguments.length);
  }
  assertMatrix(m, "transpose(m)", "m");
  return transposeOp(m);
}
