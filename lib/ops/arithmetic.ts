/**
 * Elementwise arithmetic with numpy's broadcasting, scaling and `map`. Each
 * op's forward, backward (vector-Jacobian product) and documentation sit
 * together; none changes its arguments.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertFunction,
  assertMatrix,
  assertNumber,
  describe,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix } from "../core/_matrix.ts";
import {
  binary,
  binaryFinite,
  type BinaryOp,
} from "../kernels/_elementwise.ts";
import { defineOp } from "../autodiff/define_op.ts";
import { activeTape } from "../autodiff/_tape.ts";
import {
  broadcastShape,
  broadcastTo,
  strides,
  unbroadcast,
} from "./_broadcast.ts";

/** The elementwise forward: the kernel with numpy's strides, checked finite. */
function elementwise(
  kernel: BinaryOp,
  a: Matrix,
  b: Matrix,
  fn: string,
  verb: string,
): Matrix {
  const [rows, cols] = broadcastShape(a, b, fn, verb);
  const [ars, acs] = strides(a);
  const [brs, bcs] = strides(b);
  const out = binaryFinite(
    kernel,
    dataOf(a),
    dataOf(b),
    rows,
    cols,
    ars,
    acs,
    brs,
    bcs,
  );
  if (out === null) {
    // Some entry overflowed: compute again to find and name it.
    assertFiniteResult(
      binary(kernel, dataOf(a), dataOf(b), rows, cols, ars, acs, brs, bcs),
      fn,
    );
  }
  return fromData(rows, cols, out as Float64Array);
}

/** g ⊙ k for a same-shape array k: the gradient of a product's factor. */
function times(g: Matrix, k: Float64Array, sign = 1): Float64Array {
  const gd = dataOf(g);
  const out = new Float64Array(gd.length);
  for (let i = 0; i < out.length; i++) out[i] = sign * gd[i] * k[i];
  return out;
}

function negated(g: Matrix): Float64Array {
  const gd = dataOf(g);
  const out = new Float64Array(gd.length);
  for (let i = 0; i < out.length; i++) out[i] = -gd[i];
  return out;
}

const addOp = defineOp({
  name: "add",
  forward: (a: Matrix, b: Matrix) =>
    elementwise("add", a, b, "add(a, b)", "add"),
  // ∂(a + b) = g for both, summed back over broadcast axes.
  backward: (g, { args: [a, b], needs }) => [
    needs[0] ? unbroadcast(dataOf(g), g.rows, g.cols, a) : null,
    needs[1] ? unbroadcast(dataOf(g), g.rows, g.cols, b) : null,
  ],
});

const subOp = defineOp({
  name: "sub",
  forward: (a: Matrix, b: Matrix) =>
    elementwise("sub", a, b, "sub(a, b)", "subtract"),
  // ∂(a − b) = g for a, −g for b.
  backward: (g, { args: [a, b], needs }) => [
    needs[0] ? unbroadcast(dataOf(g), g.rows, g.cols, a) : null,
    needs[1] ? unbroadcast(negated(g), g.rows, g.cols, b) : null,
  ],
});

const mulOp = defineOp({
  name: "mul",
  forward: (a: Matrix, b: Matrix) =>
    elementwise("mul", a, b, "mul(a, b)", "multiply"),
  // ∂(a ⊙ b) = g ⊙ b for a, g ⊙ a for b.
  backward: (g, { args: [a, b], needs }) => [
    needs[0]
      ? unbroadcast(times(g, broadcastTo(b, g.rows, g.cols)), g.rows, g.cols, a)
      : null,
    needs[1]
      ? unbroadcast(times(g, broadcastTo(a, g.rows, g.cols)), g.rows, g.cols, b)
      : null,
  ],
});

const divOp = defineOp({
  name: "div",
  forward: (a: Matrix, b: Matrix) =>
    elementwise("div", a, b, "div(a, b)", "divide"),
  // ∂(a / b) = g / b for a, −g·(a/b)/b for b.
  backward: (g, { args: [a, b], output, needs }) => {
    const bb = broadcastTo(b, g.rows, g.cols);
    const gd = dataOf(g), q = dataOf(output);
    let ga = null, gb = null;
    if (needs[0]) {
      const full = new Float64Array(gd.length);
      for (let i = 0; i < full.length; i++) full[i] = gd[i] / bb[i];
      ga = unbroadcast(full, g.rows, g.cols, a);
    }
    if (needs[1]) {
      const full = new Float64Array(gd.length);
      for (let i = 0; i < full.length; i++) full[i] = -gd[i] * q[i] / bb[i];
      gb = unbroadcast(full, g.rows, g.cols, b);
    }
    return [ga, gb];
  },
});

const scaleOp = defineOp({
  name: "scale",
  forward: (m: Matrix, k: number) => {
    const src = dataOf(m);
    const out = new Float64Array(src.length);
    for (let i = 0; i < out.length; i++) out[i] = src[i] * k;
    assertFiniteResult(out, `scale(m, k) by ${k}`);
    return fromData(m.rows, m.cols, out);
  },
  // ∂(k·m) = k·g.
  backward: (g, { args: [, k] }) => {
    const gd = dataOf(g);
    const out = new Float64Array(gd.length);
    for (let i = 0; i < out.length; i++) out[i] = gd[i] * k;
    return fromData(g.rows, g.cols, out);
  },
});

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
 * import { add, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const y = matrix([[-5, 1], [4.1, 2]]);
 * const b = matrix([[1.2], [3.4]]);
 * assert.deepEqual(toArray(add(y, b)), [[-3.8, 2.2], [7.5, 5.4]]);
 * ```
 */
export function add(a: Matrix, b: Matrix): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("add(a, b)", arguments.length);
  }
  assertMatrix(a, "add(a, b)", "a");
  assertMatrix(b, "add(a, b)", "b");
  return addOp(a, b);
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
 * import { matrix, sub, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const u = matrix([[-3.8], [7.5]]);
 * const d = matrix([[1], [0]]);
 * assert.deepEqual(toArray(sub(u, d)), [[-4.8], [7.5]]);
 * ```
 */
export function sub(a: Matrix, b: Matrix): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("sub(a, b)", arguments.length);
  }
  assertMatrix(a, "sub(a, b)", "a");
  assertMatrix(b, "sub(a, b)", "b");
  return subOp(a, b);
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
 * import { matrix, mul, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const col = matrix([[1], [2]]);
 * const row = matrix([[3, 4, 5]]);
 * assert.deepEqual(toArray(mul(col, row)), [[3, 4, 5], [6, 8, 10]]);
 * ```
 */
export function mul(a: Matrix, b: Matrix): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("mul(a, b)", arguments.length);
  }
  assertMatrix(a, "mul(a, b)", "a");
  assertMatrix(b, "mul(a, b)", "b");
  return mulOp(a, b);
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
 * import { div, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(div(matrix([[1, 2]]), matrix([[4]]))), [[0.25, 0.5]]);
 * assert.throws(() => div(matrix([[1]]), matrix([[0]])), RangeError);
 * ```
 */
export function div(a: Matrix, b: Matrix): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("div(a, b)", arguments.length);
  }
  assertMatrix(a, "div(a, b)", "a");
  assertMatrix(b, "div(a, b)", "b");
  return divOp(a, b);
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
 * import { matrix, scale, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(scale(matrix([[1, -2]]), 3)), [[3, -6]]);
 * ```
 */
export function scale(m: Matrix, k: number): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("scale(m, k)", arguments.length);
  }
  assertMatrix(m, "scale(m, k)", "m");
  assertNumber(k, "scale(m, k)", "k");
  return scaleOp(m, k);
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
 * import { map, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(map(matrix([[-2, 3]]), (v) => v ** 2)), [[4, 9]]);
 * ```
 */
export function map(
  m: Matrix,
  f: (value: number, row: number, col: number) => number,
): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("map(m, f)", arguments.length);
  }
  assertMatrix(m, "map(m, f)", "m");
  assertFunction(f, "map(m, f)", "f");
  if (activeTape !== null && activeTape.ids.has(m)) {
    throw new TypeError(
      "Cannot differentiate through map(m, f): grad cannot see inside f; build the function from differentiable ops (mul, exp, log, tanh, sigmoid, relu, ...) or give it a backward with defineOp",
    );
  }
  const r = m.rows;
  const c = m.cols;
  const src = dataOf(m);
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const v = f(src[i * c + j], i, j);
      // Number.isFinite is false for anything that is not a number.
      if (!Number.isFinite(v)) {
        const ErrorType = typeof v === "number" ? RangeError : TypeError;
        throw new ErrorType(
          `Expected f of map(m, f) to return a finite number, got ${
            describe(v)
          } at row ${i}, column ${j}`,
        );
      }
      out[i * c + j] = v;
    }
  }
  return fromData(r, c, out);
}
