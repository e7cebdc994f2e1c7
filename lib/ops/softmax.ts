/**
 * The column-wise {@linkcode softmax} and {@linkcode logSoftmax}, each with
 * its backward. Samples are columns, as in the article.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertMatrix,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix } from "../core/_matrix.ts";
import { logSoftmaxInto, softmaxInto } from "../kernels/_nn.ts";
import { defineOp } from "../autodiff/define_op.ts";

/** What to tell a caller who passes an axis: there is none to choose. */
const COLUMNS =
  "it has no axis or other option, and always works down each column, as samples are columns";

const softmaxOp = defineOp({
  name: "softmax",
  forward: (m: Matrix) => {
    const out = new Float64Array(m.rows * m.cols);
    softmaxInto(dataOf(m), m.rows, m.cols, out);
    return fromData(m.rows, m.cols, out);
  },
  // Per column: s ⊙ (g − ⟨g, s⟩).
  backward: (g, { output }) => {
    const s = dataOf(output), gd = dataOf(g);
    const r = g.rows, n = g.cols;
    const out = new Float64Array(r * n);
    for (let j = 0; j < n; j++) {
      let inner = 0;
      for (let i = 0; i < r; i++) inner += gd[i * n + j] * s[i * n + j];
      for (let i = 0; i < r; i++) {
        out[i * n + j] = s[i * n + j] * (gd[i * n + j] - inner);
      }
    }
    return fromData(r, n, out);
  },
});

const logSoftmaxOp = defineOp({
  name: "logSoftmax",
  forward: (m: Matrix) => {
    const out = new Float64Array(m.rows * m.cols);
    logSoftmaxInto(dataOf(m), m.rows, m.cols, out);
    // Logits more than 1.8e308 apart in a column overflow x − max.
    assertFiniteResult(out, "logSoftmax(m)");
    return fromData(m.rows, m.cols, out);
  },
  // Per column: g − softmax · Σg, with softmax = e^output.
  backward: (g, { output }) => {
    const y = dataOf(output), gd = dataOf(g);
    const r = g.rows, n = g.cols;
    const out = new Float64Array(r * n);
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let i = 0; i < r; i++) total += gd[i * n + j];
      for (let i = 0; i < r; i++) {
        out[i * n + j] = gd[i * n + j] - Math.exp(y[i * n + j]) * total;
      }
    }
    return fromData(r, n, out);
  },
});

/**
 * The softmax of each column, e^v / Σ e^v over the column, so that every
 * column becomes a probability distribution; samples are columns, as in the
 * article. The largest entry of each column is subtracted first, so it is
 * stable for any logits.
 *
 * @param m An r x n matrix of logits, one column per sample.
 * @returns An r x n matrix whose columns are positive and sum to 1.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 *
 * @example Usage
 * ```ts
 * import { matrix, softmax, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const p = toArray(softmax(matrix([[0, 1000], [0, -1000]])));
 * assert.deepEqual(p, [[0.5, 1], [0.5, 0]]);
 * ```
 */
export function softmax(m: Matrix): Matrix {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("softmax(m)", arguments.length, 1, COLUMNS);
  }
  assertMatrix(m, "softmax(m)", "m");
  return softmaxOp(m);
}

/**
 * The logarithm of the column-wise softmax, z − max − log Σ e^(z − max) per
 * column, computed so that the maximum cancels before the log-sum is added:
 * it stays exact where `log(softmax(z))` would take the log of 0 (logits
 * [0, −1000] give [0, −1000]). Its backward is g − softmax(z)·Σg per column.
 *
 * @param m An r x n matrix of logits, one column per sample.
 * @returns An r x n matrix of log-probabilities (each at most 0).
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 * @throws {RangeError} When a result overflows (logits of a column more
 * than about 1.8e308 apart).
 *
 * @example Where log(softmax(z)) would fail
 * ```ts
 * import { logSoftmax, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(logSoftmax(matrix([[0], [-1000]]))), [[0], [-1000]]);
 * ```
 */
export function logSoftmax(m: Matrix): Matrix {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("logSoftmax(m)", arguments.length, 1, COLUMNS);
  }
  assertMatrix(m, "logSoftmax(m)", "m");
  return logSoftmaxOp(m);
}
