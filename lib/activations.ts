/**
 * Differentiable elementwise functions and reductions for networks:
 * {@linkcode sigmoid}, {@linkcode tanh}, {@linkcode relu}, {@linkcode exp},
 * {@linkcode log}, {@linkcode mean} and the column-wise {@linkcode softmax}.
 * Like every op of the toolkit they are pure, and `grad` differentiates
 * through them.
 *
 * @module
 */
import { pairwiseSum } from "./_sum.ts";
import {
  assertFiniteResult,
  assertMatrix,
  dataOf,
  fromData,
  type Matrix,
  shapeText,
} from "./_matrix.ts";
import { activeTape } from "./_tape.ts";
import { sigmoidOf, softmaxInto } from "./_nn_kernels.ts";

/** Wraps a fresh result and records it when a gradient is being computed. */
function finish(op: string, m: Matrix, out: Float64Array): Matrix {
  const result = fromData(m.rows, m.cols, out);
  if (activeTape !== null) activeTape.record(op, [m], result);
  return result;
}

/**
 * The logistic sigmoid 1 / (1 + e^−v) of every entry, computed so that it
 * never overflows (for v < 0 as e^v / (1 + e^v)). Its derivative is
 * σ(v)·(1 − σ(v)).
 *
 * @param m The matrix.
 * @returns A matrix of values in [0, 1], with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, sigmoid, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(sigmoid(matrix([[0, -1000, 1000]]))), [[0.5, 0, 1]]);
 * ```
 */
export function sigmoid(m: Matrix): Matrix {
  assertMatrix(m, "sigmoid(m)", "m");
  const src = dataOf(m);
  const out = new Float64Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = sigmoidOf(src[i]);
  return finish("sigmoid", m, out);
}

/**
 * The hyperbolic tangent of every entry. Its derivative is 1 − tanh(v)².
 *
 * @param m The matrix.
 * @returns A matrix of values in [−1, 1], with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, tanh, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(tanh(matrix([[0, 1000]]))), [[0, 1]]);
 * ```
 */
export function tanh(m: Matrix): Matrix {
  assertMatrix(m, "tanh(m)", "m");
  const src = dataOf(m);
  const out = new Float64Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(src[i]);
  return finish("tanh", m, out);
}

/**
 * The rectified linear unit max(0, v) of every entry. Its derivative is 1
 * where v > 0 and 0 elsewhere (0 at v = 0 itself, by convention).
 *
 * @param m The matrix.
 * @returns A matrix of non-negative values, with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, relu, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(relu(matrix([[-2, 0, 3]]))), [[0, 0, 3]]);
 * ```
 */
export function relu(m: Matrix): Matrix {
  assertMatrix(m, "relu(m)", "m");
  const src = dataOf(m);
  const out = new Float64Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = src[i] > 0 ? src[i] : 0;
  return finish("relu", m, out);
}

/**
 * The exponential e^v of every entry. Its derivative is e^v.
 *
 * @param m The matrix.
 * @returns A matrix of positive values, with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix.
 * @throws {RangeError} When an entry is above about 709.78, where e^v
 * overflows.
 *
 * @example Usage
 * ```ts
 * import { exp, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(exp(matrix([[0, 1]]))), [[1, Math.E]]);
 * assert.throws(() => exp(matrix([[710]])), RangeError);
 * ```
 */
export function exp(m: Matrix): Matrix {
  assertMatrix(m, "exp(m)", "m");
  const src = dataOf(m);
  const out = new Float64Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(src[i]);
  assertFiniteResult(out, `exp(m) of a ${shapeText(m)} Matrix`);
  return finish("exp", m, out);
}

/**
 * The natural logarithm of every entry. Its derivative is 1 / v.
 *
 * @param m A matrix of positive entries.
 * @returns A matrix with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix.
 * @throws {RangeError} When an entry is zero or negative.
 *
 * @example Usage
 * ```ts
 * import { log, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(log(matrix([[1, Math.E]]))), [[0, 1]]);
 * assert.throws(() => log(matrix([[0]])), RangeError);
 * ```
 */
export function log(m: Matrix): Matrix {
  assertMatrix(m, "log(m)", "m");
  const src = dataOf(m);
  const out = new Float64Array(src.length);
  for (let i = 0; i < out.length; i++) {
    const v = src[i];
    if (!(v > 0)) {
      throw new RangeError(
        `Cannot compute log(m) of a ${shapeText(m)} Matrix: the entry at row ${
          Math.floor(i / m.cols)
        }, column ${
          i % m.cols
        } is ${v}, and the logarithm needs positive entries`,
      );
    }
    out[i] = Math.log(v);
  }
  return finish("log", m, out);
}

/**
 * The mean of all entries: their sum (as {@linkcode sum} adds them) divided
 * by their count. Its gradient is 1/count for every entry.
 *
 * @param m The matrix.
 * @returns The mean, a number.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, mean } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mean(matrix([[1, 2], [3, 6]])), 3);
 * ```
 */
export function mean(m: Matrix): number {
  assertMatrix(m, "mean(m)", "m");
  const src = dataOf(m);
  // Dividing each entry first cannot overflow, unlike the plain sum.
  let value = pairwiseSum(src, 0, src.length) / src.length;
  if (!Number.isFinite(value)) {
    const scaled = src.map((v) => v / src.length);
    value = pairwiseSum(scaled, 0, scaled.length);
  }
  if (activeTape !== null) activeTape.record("mean", [m], value);
  return value;
}

/**
 * The softmax of each column, e^v / Σ e^v over the column, so that every
 * column becomes a probability distribution; samples are columns, as in the
 * article. The largest entry of each column is subtracted first, so it is
 * stable for any logits.
 *
 * @param m An r x n matrix of logits, one column per sample.
 * @returns An r x n matrix whose columns are positive and sum to 1.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, softmax, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const p = toArray(softmax(matrix([[0, 1000], [0, -1000]])));
 * assert.deepEqual(p, [[0.5, 1], [0.5, 0]]);
 * ```
 */
export function softmax(m: Matrix): Matrix {
  assertMatrix(m, "softmax(m)", "m");
  const out = new Float64Array(m.rows * m.cols);
  softmaxInto(dataOf(m), m.rows, m.cols, out);
  return finish("softmax", m, out);
}
