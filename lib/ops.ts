/**
 * Pure operations on matrices: products, elementwise arithmetic with numpy's
 * broadcasting, reductions and maps. None changes its arguments.
 *
 * @module
 */
import { count, describe } from "./_describe.ts";
import { matmul } from "./_kernels.ts";
import { binary, type BinaryOp } from "./_kernels_elementwise.ts";
import { pairwiseSum } from "./_sum.ts";
import {
  assertFiniteResult,
  assertMatrix,
  assertNumber,
  dataOf,
  fromData,
  isClass,
  type Matrix,
  shapeText,
} from "./_matrix.ts";
import { activeTape } from "./_tape.ts";

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
 * import { dot, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const x = matrix([[5], [2], [7]]);
 * assert.deepEqual(toArray(dot(w, x)), [[-5], [6.1]]);
 * ```
 */
export function dot(a: Matrix, b: Matrix): Matrix {
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
  const out = matmul(dataOf(a), dataOf(b), a.rows, a.cols, b.cols);
  assertFiniteResult(out, `dot(a, b) of ${shapeText(a)} by ${shapeText(b)}`);
  const result = fromData(a.rows, b.cols, out);
  if (activeTape !== null) activeTape.record("dot", [a, b], result);
  return result;
}

/** The broadcast length of one axis, or -1 when the axes don't broadcast. */
function broadcastAxis(x: number, y: number): number {
  if (x === y || y === 1) return x;
  if (x === 1) return y;
  return -1;
}

function elementwise(
  a: Matrix,
  b: Matrix,
  fn: string,
  verb: string,
  op: BinaryOp,
): Matrix {
  assertMatrix(a, fn, "a");
  assertMatrix(b, fn, "b");
  const rows = broadcastAxis(a.rows, b.rows);
  const cols = broadcastAxis(a.cols, b.cols);
  if (rows < 0 || cols < 0) {
    throw new RangeError(
      `Cannot ${verb} ${shapeText(a)} and ${
        shapeText(b)
      } in ${fn}: shapes do not broadcast (each axis must match or be 1)`,
    );
  }
  // Strides of 0 repeat a row or a column, as numpy's broadcasting does.
  const out = binary(
    op,
    dataOf(a),
    dataOf(b),
    rows,
    cols,
    a.rows === 1 ? 0 : a.cols,
    a.cols === 1 ? 0 : 1,
    b.rows === 1 ? 0 : b.cols,
    b.cols === 1 ? 0 : 1,
  );
  assertFiniteResult(out, fn);
  const result = fromData(rows, cols, out);
  if (activeTape !== null) activeTape.record(verb, [a, b], result);
  return result;
}

/**
 * Adds elementwise, broadcasting as numpy does: each axis of the two shapes
 * must match or be 1, so a matrix combines with a same-shape matrix, a
 * column (r x 1), a row (1 x c) or a 1 x 1.
 *
 * @param a The first matrix.
 * @param b The second matrix.
 * @returns `a + b`, with the broadcast shape.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes do not broadcast, or the sum overflows.
 *
 * @example Adding the bias, u = y + b
 * ```ts
 * import { add, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const y = matrix([[-5, 1], [4.1, 2]]);
 * const b = matrix([[1.2], [3.4]]);
 * assert.deepEqual(toArray(add(y, b)), [[-3.8, 2.2], [7.5, 5.4]]);
 * ```
 */
export function add(a: Matrix, b: Matrix): Matrix {
  return elementwise(a, b, "add(a, b)", "add", "add");
}

/**
 * Subtracts elementwise, with numpy's broadcasting (see {@linkcode add}).
 *
 * @param a The matrix to subtract from.
 * @param b The matrix to subtract.
 * @returns `a - b`, with the broadcast shape.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes do not broadcast, or the result
 * overflows.
 *
 * @example The article's error, u - d
 * ```ts
 * import { matrix, sub, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const u = matrix([[-3.8], [7.5]]);
 * const d = matrix([[1], [0]]);
 * assert.deepEqual(toArray(sub(u, d)), [[-4.8], [7.5]]);
 * ```
 */
export function sub(a: Matrix, b: Matrix): Matrix {
  return elementwise(a, b, "sub(a, b)", "subtract", "sub");
}

/**
 * Multiplies elementwise (numpy's `a * b`), with numpy's broadcasting (see
 * {@linkcode add}). For the matrix product use {@linkcode dot}.
 *
 * @param a The first matrix.
 * @param b The second matrix.
 * @returns `a * b` entry by entry, with the broadcast shape.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes do not broadcast, or the product
 * overflows.
 *
 * @example A column times a row is their outer product
 * ```ts
 * import { matrix, mul, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const col = matrix([[1], [2]]);
 * const row = matrix([[3, 4, 5]]);
 * assert.deepEqual(toArray(mul(col, row)), [[3, 4, 5], [6, 8, 10]]);
 * ```
 */
export function mul(a: Matrix, b: Matrix): Matrix {
  return elementwise(a, b, "mul(a, b)", "multiply", "mul");
}

/**
 * Divides elementwise, with numpy's broadcasting (see {@linkcode add}).
 *
 * @param a The dividend.
 * @param b The divisor.
 * @returns `a / b` entry by entry, with the broadcast shape.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes do not broadcast, or a result is not
 * finite (such as a division by zero).
 *
 * @example Usage
 * ```ts
 * import { div, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(div(matrix([[1, 2]]), matrix([[4]]))), [[0.25, 0.5]]);
 * assert.throws(() => div(matrix([[1]]), matrix([[0]])), RangeError);
 * ```
 */
export function div(a: Matrix, b: Matrix): Matrix {
  return elementwise(a, b, "div(a, b)", "divide", "div");
}

/**
 * Multiplies every entry by a number.
 *
 * @param m The matrix.
 * @param k A finite number.
 * @returns `k * m`.
 * @throws {TypeError} When `m` is not a Matrix or `k` not a number.
 * @throws {RangeError} When `k` is not finite, or the result overflows.
 *
 * @example The article's step, learning_rate * gradient
 * ```ts
 * import { matrix, scale, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(scale(matrix([[1, -2]]), 3)), [[3, -6]]);
 * ```
 */
export function scale(m: Matrix, k: number): Matrix {
  assertMatrix(m, "scale(m, k)", "m");
  assertNumber(k, "scale(m, k)", "k");
  const src = dataOf(m);
  const out = new Float64Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = src[i] * k;
  assertFiniteResult(out, `scale(m, k) by ${k}`);
  const result = fromData(m.rows, m.cols, out);
  if (activeTape !== null) activeTape.record("scale", [m], result, k);
  return result;
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
 * import { matrix, toArray, transpose } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(transpose(matrix([[5], [2], [7]]))), [[5, 2, 7]]);
 * ```
 */
export function transpose(m: Matrix): Matrix {
  assertMatrix(m, "transpose(m)", "m");
  const r = m.rows;
  const c = m.cols;
  const src = dataOf(m);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
  }
  const result = fromData(c, r, out);
  if (activeTape !== null) activeTape.record("transpose", [m], result);
  return result;
}

/**
 * Sums every entry, as numpy's `numpy.sum(m)`, with numpy's pairwise
 * summation, so the result rounds exactly as numpy's does.
 *
 * @param m The matrix.
 * @returns The sum of all entries.
 * @throws {TypeError} When `m` is not a Matrix.
 * @throws {RangeError} When the sum overflows.
 *
 * @example Usage
 * ```ts
 * import { matrix, sum } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sum(matrix([[1, 2], [3, 4]])), 10);
 * ```
 */
export function sum(m: Matrix): number {
  assertMatrix(m, "sum(m)", "m");
  const src = dataOf(m);
  const total = pairwiseSum(src, 0, src.length);
  if (!Number.isFinite(total)) {
    throw new RangeError(
      `Cannot compute sum(m) of a ${
        shapeText(m)
      } Matrix: the sum overflows to ${total}`,
    );
  }
  if (activeTape !== null) activeTape.record("sum", [m], total);
  return total;
}

/**
 * Sums along one axis, keeping it as length 1, as numpy's
 * `m.sum(axis, keepdims=True)`.
 *
 * @param m An r x c matrix.
 * @param axis `0` sums each column (giving 1 x c), `1` sums each row (giving
 * r x 1).
 * @returns The sums, as a row or a column.
 * @throws {TypeError} When `m` is not a Matrix, or `axis` is not a number.
 * @throws {RangeError} When `axis` is neither 0 nor 1, or a sum overflows.
 *
 * @example Summing a batch's per-sample columns
 * ```ts
 * import { matrix, sumAxis, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const m = matrix([[1, 2], [3, 4]]);
 * assert.deepEqual(toArray(sumAxis(m, 0)), [[4, 6]]);
 * assert.deepEqual(toArray(sumAxis(m, 1)), [[3], [7]]);
 * ```
 */
export function sumAxis(m: Matrix, axis: 0 | 1): Matrix {
  assertMatrix(m, "sumAxis(m, axis)", "m");
  if (axis !== 0 && axis !== 1) {
    const ErrorType = typeof axis === "number" ? RangeError : TypeError;
    throw new ErrorType(
      `Expected axis of sumAxis(m, axis) to be 0 or 1, got ${describe(axis)}`,
    );
  }
  const r = m.rows;
  const c = m.cols;
  const src = dataOf(m);
  const out = new Float64Array(axis === 0 ? c : r);
  if (axis === 0) {
    // numpy adds the rows one after another into the result.
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) out[j] += src[i * c + j];
    }
  } else {
    // numpy sums each contiguous row pairwise, as sum(m) does.
    for (let i = 0; i < r; i++) out[i] = pairwiseSum(src, i * c, c);
  }
  assertFiniteResult(out, "sumAxis(m, axis)");
  const result = axis === 0 ? fromData(1, c, out) : fromData(r, 1, out);
  if (activeTape !== null) activeTape.record("sumAxis", [m], result, axis);
  return result;
}

/**
 * Applies a function to every entry.
 *
 * @param m The matrix.
 * @param f Called as `f(value, row, col)`; must return a finite number.
 * @returns A new matrix of `f`'s results, with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, `f` is not a function or
 * returns something other than a number.
 * @throws {RangeError} When `f` returns NaN or ±Infinity.
 * @throws {unknown} Whatever `f` itself throws, unchanged.
 *
 * @example Squaring, the article's `** 2`
 * ```ts
 * import { map, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(map(matrix([[-2, 3]]), (v) => v ** 2)), [[4, 9]]);
 * ```
 */
export function map(
  m: Matrix,
  f: (value: number, row: number, col: number) => number,
): Matrix {
  assertMatrix(m, "map(m, f)", "m");
  if (typeof f !== "function" || isClass(f)) {
    throw new TypeError(
      `Expected f of map(m, f) to be a function, got ${describe(f)}`,
    );
  }
  if (activeTape !== null && activeTape.tracks(m)) {
    throw new TypeError(
      "Cannot differentiate through map(m, f): grad cannot see inside f; build the function from differentiable ops instead (mul, exp, log, tanh, sigmoid, relu, ...)",
    );
  }
  const r = m.rows;
  const c = m.cols;
  const src = dataOf(m);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const v = f(src[i * c + j], i, j);
      if (typeof v !== "number") {
        throw new TypeError(
          `Expected f of map(m, f) to return a number, got ${
            describe(v)
          } at row ${i}, column ${j}`,
        );
      }
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `Expected f of map(m, f) to return a finite number, got ${v} at row ${i}, column ${j}`,
        );
      }
      out[i * c + j] = v;
    }
  }
  return fromData(r, c, out);
}
