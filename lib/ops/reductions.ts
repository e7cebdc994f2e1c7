/**
 * Reductions: {@linkcode sum}, {@linkcode mean} and {@linkcode sumAxis},
 * each with its backward. `sum` and `mean` return a number, or with
 * `{ keepdims: true }` a 1x1 Matrix, which `grad` can follow through further
 * ops (a loss plus a weight-decay term, say).
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertMatrix,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import { pairwiseSum } from "../kernels/_sum.ts";
import { defineOp, scalarOf } from "../autodiff/define_op.ts";

/** Options of the reductions to one number. */
export interface ReduceOptions {
  /**
   * Return a 1x1 Matrix instead of a number, as numpy's `keepdims=True`
   * keeps the reduced axes. A 1x1 result combines with other traced results
   * through `add` and `scale`, which a plain number cannot.
   *
   * @default {false}
   */
  keepdims?: boolean;
}

/**
 * What a reduction returns: a 1x1 Matrix when the options say
 * `keepdims: true`, a number otherwise.
 */
export type Reduced<O> = O extends { keepdims: true } ? Matrix : number;

/** Reads ReduceOptions; true when the caller wants a 1x1 Matrix. */
export function keepsDims(options: unknown, fn: string): boolean {
  const { keepdims = false } = readOptions(options, fn, ["keepdims"]);
  if (typeof keepdims !== "boolean") {
    throw new TypeError(
      `Expected options.keepdims of ${fn} to be a boolean, got ${
        describe(keepdims)
      }`,
    );
  }
  return keepdims;
}

/** A 1x1 result as the caller asked for it: the Matrix, or its number. */
export function reduced<O>(m: Matrix, keepdims: boolean): Reduced<O> {
  return (keepdims ? m : scalarOf(m, dataOf(m)[0])) as Reduced<O>;
}

/** A g-filled array of n entries: the gradient of a sum is g everywhere. */
function filled(rows: number, cols: number, value: number): Matrix {
  return fromData(rows, cols, new Float64Array(rows * cols).fill(value));
}

const sumOp = defineOp({
  name: "sum",
  forward: (m: Matrix) => {
    const src = dataOf(m);
    const total = pairwiseSum(src, 0, src.length);
    if (!Number.isFinite(total)) {
      throw new RangeError(
        `Cannot compute sum(m) of a ${
          shapeText(m)
        } Matrix: the sum overflows to ${total}`,
      );
    }
    return fromData(1, 1, new Float64Array([total]));
  },
  // ∂Σm = g in every entry.
  backward: (g, { args: [m] }) => filled(m.rows, m.cols, dataOf(g)[0]),
});

const meanOp = defineOp({
  name: "mean",
  forward: (m: Matrix) => {
    const src = dataOf(m);
    let value = pairwiseSum(src, 0, src.length) / src.length;
    if (!Number.isFinite(value)) {
      // Dividing each entry first cannot overflow, unlike the plain sum.
      const scaled = src.map((v) => v / src.length);
      value = pairwiseSum(scaled, 0, scaled.length);
    }
    return fromData(1, 1, new Float64Array([value]));
  },
  // ∂mean(m) = g / count in every entry.
  backward: (g, { args: [m] }) =>
    filled(m.rows, m.cols, dataOf(g)[0] / (m.rows * m.cols)),
});

const sumAxisOp = defineOp({
  name: "sumAxis",
  forward: (m: Matrix, axis: 0 | 1) => {
    const r = m.rows, c = m.cols, src = dataOf(m);
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
    return axis === 0 ? fromData(1, c, out) : fromData(r, 1, out);
  },
  // Each entry gets the gradient of its row's or column's sum.
  backward: (g, { args: [m, axis] }) => {
    const r = m.rows, c = m.cols, gd = dataOf(g);
    const out = new Float64Array(r * c);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        out[i * c + j] = axis === 0 ? gd[j] : gd[i];
      }
    }
    return [fromData(r, c, out), null];
  },
});

/**
 * Sums every entry, as numpy's `numpy.sum(m)`, with numpy's pairwise
 * summation, so the result rounds exactly as numpy's does.
 *
 * @param m The matrix.
 * @param options `keepdims: true` returns a 1x1 Matrix instead of a number.
 * @returns The sum of all entries.
 * @throws {TypeError} When `m` is not a Matrix.
 * @throws {RangeError} When the sum overflows.
 *
 * @example Usage
 * ```ts
 * import { matrix, sum } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sum(matrix([[1, 2], [3, 4]])), 10);
 * ```
 */
export function sum<O extends ReduceOptions = ReduceOptions>(
  m: Matrix,
  options?: O,
): Reduced<O> {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("sum(m, options)", arguments.length, 1);
  }
  assertMatrix(m, "sum(m, options)", "m");
  const keep = keepsDims(options, "sum(m, options)");
  return reduced(sumOp(m), keep);
}

/**
 * The mean of all entries: their sum (as {@linkcode sum} adds them) divided
 * by their count. Its gradient is 1/count for every entry.
 *
 * @param m The matrix.
 * @param options `keepdims: true` returns a 1x1 Matrix instead of a number.
 * @returns The mean, a number.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, mean } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mean(matrix([[1, 2], [3, 6]])), 3);
 * ```
 */
export function mean<O extends ReduceOptions = ReduceOptions>(
  m: Matrix,
  options?: O,
): Reduced<O> {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("mean(m, options)", arguments.length, 1);
  }
  assertMatrix(m, "mean(m, options)", "m");
  const keep = keepsDims(options, "mean(m, options)");
  return reduced(meanOp(m), keep);
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
 * import { matrix, sumAxis, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const m = matrix([[1, 2], [3, 4]]);
 * assert.deepEqual(toArray(sumAxis(m, 0)), [[4, 6]]);
 * assert.deepEqual(toArray(sumAxis(m, 1)), [[3], [7]]);
 * ```
 */
export function sumAxis(m: Matrix, axis: 0 | 1): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("sumAxis(m, axis)", arguments.length);
  }
  assertMatrix(m, "sumAxis(m, axis)", "m");
  if (axis !== 0 && axis !== 1) {
    const ErrorType = typeof axis === "number" ? RangeError : TypeError;
    throw new ErrorType(
      `Expected axis of sumAxis(m, axis) to be 0 or 1, got ${describe(axis)}`,
    );
  }
  return sumAxisOp(m, axis);
}
