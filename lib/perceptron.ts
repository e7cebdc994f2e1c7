/**
 * The article's perceptron u = w·x + b: its forward pass, its analytic
 * gradient and its training loop.
 *
 * @module
 */
import {
  assertFiniteResult,
  assertInRange,
  assertMatrix,
  assertRecord,
  count,
  describe,
  readOptions,
} from "./core/_checks.ts";
import { dotFma } from "./kernels/_fma.ts";
import { matmul } from "./kernels/_matmul.ts";
import { dataOf, fromData, type Matrix, shapeText } from "./core/_matrix.ts";
import type { Samples } from "./core/matrix.ts";
import { pairwiseSum } from "./kernels/_sum.ts";
import { activeTape } from "./autodiff/_tape.ts";
import { add } from "./ops/arithmetic.ts";
import { dot } from "./ops/linalg.ts";

/** The perceptron's parameters: weights `w` (r x k) and bias `b` (r x 1). */
export interface Perceptron {
  /** Weights, one row per output and one column per input. */
  readonly w: Matrix;
  /** Bias, one entry per output: an r x 1 column. */
  readonly b: Matrix;
}

/** The gradient of the loss with respect to each parameter. */
export interface PerceptronGradient {
  /** ∂Loss/∂w, with `w`'s shape. */
  readonly w: Matrix;
  /** ∂Loss/∂b, with `b`'s shape. */
  readonly b: Matrix;
}

/** Checks `params` and returns its matrices. */
function checkParams(params: unknown, fn: string): Perceptron {
  assertRecord(params, fn, "params", "an object { w, b } of matrices");
  const { w, b } = params;
  assertMatrix(w, fn, "params.w");
  assertMatrix(b, fn, "params.b");
  if (b.cols !== 1 || b.rows !== w.rows) {
    throw new RangeError(
      `Cannot use bias b ${shapeText(b)} with weights w ${
        shapeText(w)
      } in ${fn}: b must be ${w.rows}x1, one entry per row of w`,
    );
  }
  return { w, b };
}

function checkInputs(
  w: Matrix,
  x: unknown,
  fn: string,
  name: string,
): asserts x is Matrix {
  assertMatrix(x, fn, name);
  if (x.rows !== w.cols) {
    throw new RangeError(
      `Cannot multiply w ${shapeText(w)} by x ${
        shapeText(x)
      } in ${fn}: x must have ${count(w.cols, "row")}, one per column of w`,
    );
  }
}

/** Checks `data` against `w` and returns its matrices. */
function checkSamples(w: Matrix, data: unknown, fn: string): Samples {
  assertRecord(data, fn, "data", "an object { x, d } of matrices");
  const { x, d } = data;
  checkInputs(w, x, fn, "data.x");
  assertMatrix(d, fn, "data.d");
  if (d.rows !== w.rows || d.cols !== x.cols) {
    throw new RangeError(
      `Cannot train w ${shapeText(w)} on x ${shapeText(x)} towards d ${
        shapeText(d)
      } in ${fn}: d must be ${w.rows}x${x.cols}, one column per sample`,
    );
  }
  return { x, d };
}

/** u = w·x + b into a fresh array; b is added to every column. */
function affine(
  w: Float64Array,
  b: Float64Array,
  x: Float64Array,
  r: number,
  k: number,
  n: number,
): Float64Array {
  const u = matmul(w, x, r, k, n);
  for (let i = 0; i < r; i++) {
    for (let s = 0; s < n; s++) u[i * n + s] += b[i];
  }
  return u;
}

/**
 * The perceptron's output u = w·x + b, the article's `w.dot(x) + b`.
 *
 * @param params The weights `w` (r x k) and bias `b` (r x 1).
 * @param x Inputs, k x n: one column per sample.
 * @returns The outputs, r x n: one column per sample.
 * @throws {TypeError} When an argument is not a Matrix or `params` lacks one.
 * @throws {RangeError} When the shapes do not fit, or the output overflows.
 *
 * @example The article's model
 * ```ts
 * import { forward, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const b = matrix([[1.2], [3.4]]);
 * const u = forward({ w, b }, matrix([[5], [2], [7]]));
 * assert.deepEqual(toArray(u), [[-3.8], [9.5]]);
 * ```
 */
export function forward(params: Perceptron, x: Matrix): Matrix {
  const fn = "forward(params, x)";
  const { w, b } = checkParams(params, fn);
  checkInputs(w, x, fn, "x");
  // Inside grad(), build u from the traced ops so that it can be differentiated.
  if (activeTape !== null) return add(dot(w, x), b);
  const u = affine(dataOf(w), dataOf(b), dataOf(x), w.rows, w.cols, x.cols);
  assertFiniteResult(u, fn);
  return fromData(w.rows, x.cols, u);
}

/**
 * The analytic gradient of the loss Σ(u − d)² for u = w·x + b:
 * 2(u − d)·xᵀ for `w`, and 2(u − d) summed over the samples for `b`.
 *
 * For one sample this is the article's `2 * (u - d) * x.T`; for several
 * samples (columns of `x`) only the matrix product is right.
 *
 * @param params The weights `w` (r x k) and bias `b` (r x 1).
 * @param data Inputs `x` (k x n) and targets `d` (r x n).
 * @returns The gradient, with the shapes of `w` and `b`.
 * @throws {TypeError} When an argument is not a Matrix or a field is missing.
 * @throws {RangeError} When the shapes do not fit, or the gradient overflows.
 *
 * @example The article's gradient
 * ```ts
 * import { gradient, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const b = matrix([[1.2], [3.4]]);
 * const x = matrix([[5], [2], [7]]);
 * const d = matrix([[1], [0]]);
 * const g = gradient({ w, b }, { x, d });
 * assert.deepEqual(toArray(g.b), [[-9.6], [19]]);
 * assert.deepEqual(toArray(g.w)[0], [-48, -19.2, -67.2]);
 * ```
 */
export function gradient(
  params: Perceptron,
  data: Samples,
): PerceptronGradient {
  const fn = "gradient(params, data)";
  const { w, b } = checkParams(params, fn);
  const { x, d } = checkSamples(w, data, fn);
  const r = w.rows, k = w.cols, n = x.cols;
  const state = newState(dataOf(w), dataOf(b), dataOf(x), dataOf(d), r, k, n);
  residuals(state);
  gradients(state);
  assertFiniteResult(state.gw, fn);
  assertFiniteResult(state.gb, fn);
  return { w: fromData(r, k, state.gw), b: fromData(r, 1, state.gb) };
}

/** Options for {@linkcode train}. */
export interface TrainOptions {
  /**
   * The step size α in w' = w − α·∂Loss/∂w: a positive finite number.
   *
   * @default {0.0001}
   */
  learningRate?: number;
  /**
   * How many updates to make: a positive integer.
   *
   * @default {100}
   */
  steps?: number;
  /**
   * Record the loss at every step that is a multiple of this.
   *
   * @default {1}
   */
  logEvery?: number;
  /**
   * Also update the bias. The article never does.
   *
   * @default {false}
   */
  trainBias?: boolean;
}

/** One recorded point of training: the loss before the update at `step`. */
export interface LossRecord {
  /** The step, from 0. */
  readonly step: number;
  /** The loss before that step's update. */
  readonly loss: number;
}

/** What {@linkcode train} returns. */
export interface TrainResult {
  /** The parameters after the last update. */
  readonly params: Perceptron;
  /** The loss before the update, at every step that is a multiple of `logEvery`. */
  readonly history: LossRecord[];
  /** The loss of the final parameters. */
  readonly finalLoss: number;
}

// Working buffers for training, reused across steps so that a step allocates
// nothing: on the article's 2x3 weights one Float64Array costs more than the
// whole arithmetic of a step.
interface State {
  readonly w: Float64Array;
  readonly b: Float64Array;
  readonly x: Float64Array;
  readonly d: Float64Array;
  readonly r: number;
  readonly k: number;
  readonly n: number;
  /** 2(u − d), r x n. */
  readonly e2: Float64Array;
  /** (u − d)², r x n, summed for the loss. */
  readonly sq: Float64Array;
  readonly gw: Float64Array;
  readonly gb: Float64Array;
}

function newState(
  w: Float64Array,
  b: Float64Array,
  x: Float64Array,
  d: Float64Array,
  r: number,
  k: number,
  n: number,
): State {
  return {
    w,
    b,
    x,
    d,
    r,
    k,
    n,
    e2: new Float64Array(r * n),
    sq: new Float64Array(r * n),
    gw: new Float64Array(r * k),
    gb: new Float64Array(r),
  };
}

/** Fills e2 = 2(u − d) and sq = (u − d)²; returns the loss Σ sq. */
function residuals(s: State): number {
  const { w, b, x, d, r, k, n, e2, sq } = s;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < n; j++) {
      // Same order as numpy: y = w.dot(x), then u = y + b, then u − d.
      const y = dotFma(w, i * k, 1, x, j, n, k);
      const e = (y + b[i]) - d[i * n + j];
      e2[i * n + j] = 2 * e;
      sq[i * n + j] = e * e;
    }
  }
  return pairwiseSum(sq, 0, sq.length);
}

/** Fills gw = e2·xᵀ and gb = e2 summed over the samples. */
function gradients(s: State): void {
  const { x, r, k, n, e2, gw, gb } = s;
  for (let i = 0; i < r; i++) {
    for (let p = 0; p < k; p++) {
      let g = 0;
      for (let j = 0; j < n; j++) g += e2[i * n + j] * x[p * n + j];
      gw[i * k + p] = g;
    }
    let g = 0;
    for (let j = 0; j < n; j++) g += e2[i * n + j];
    gb[i] = g;
  }
}

function checkCount(value: unknown, name: string, fn: string): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected options.${name} of ${fn} to be a positive integer, got ${
        describe(value)
      }`,
    );
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `Expected options.${name} of ${fn} to be a positive integer, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

function divergence(
  step: number,
  loss: number,
  learningRate: number,
  fn: string,
): RangeError {
  return new RangeError(
    `Training diverged at step ${step}: the loss became ${loss} with learning rate ${learningRate} in ${fn}; try a smaller learning rate, such as ${
      learningRate / 10
    }`,
  );
}

/**
 * Trains the perceptron by gradient descent on the loss Σ(u − d)², as the
 * article's loop does: at each step, record the loss (every `logEvery`
 * steps), then move `w` (and `b` when `trainBias` is set) against the
 * gradient. The inputs are not changed; new parameters are returned.
 *
 * @param params The starting weights `w` (r x k) and bias `b` (r x 1).
 * @param data Inputs `x` (k x n) and targets `d` (r x n), one column per sample.
 * @param options Learning rate, number of steps, logging interval and whether
 * to train the bias.
 * @returns The trained parameters, the loss history and the final loss.
 * @throws {TypeError} When an argument has the wrong type, a field is missing,
 * or `options` holds a key that is not an option (such as `step` for
 * `steps`).
 * @throws {RangeError} When shapes do not fit, an option is out of range, or
 * the loss stops being finite (the message names the step and suggests a
 * smaller learning rate).
 *
 * @example The article's 100 steps
 * ```ts
 * import { matrix, train } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const b = matrix([[1.2], [3.4]]);
 * const x = matrix([[5], [2], [7]]);
 * const d = matrix([[1], [0]]);
 * const result = train({ w, b }, { x, d }, {
 *   learningRate: 0.0001,
 *   steps: 100,
 *   logEvery: 10,
 * });
 * assert.equal(result.history[1].loss, 82.72250503284572);
 * assert.ok(result.finalLoss < 5);
 * ```
 */
export function train(
  params: Perceptron,
  data: Samples,
  options: TrainOptions = {},
): TrainResult {
  const fn = "train(params, data, options)";
  const { w, b } = checkParams(params, fn);
  const { x, d } = checkSamples(w, data, fn);
  const opts = readOptions(options, fn, [
    "learningRate",
    "steps",
    "logEvery",
    "trainBias",
  ]);
  const learningRate = assertInRange(
    opts.learningRate ?? 0.0001,
    fn,
    "options.learningRate",
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    "a positive finite number",
  );
  const steps = checkCount(opts.steps ?? 100, "steps", fn);
  const logEvery = checkCount(opts.logEvery ?? 1, "logEvery", fn);
  const trainBias = opts.trainBias ?? false;
  if (typeof trainBias !== "boolean") {
    throw new TypeError(
      `Expected options.trainBias of ${fn} to be a boolean, got ${
        describe(trainBias)
      }`,
    );
  }

  const r = w.rows, k = w.cols, n = x.cols;
  const state = newState(
    dataOf(w).slice(),
    dataOf(b).slice(),
    dataOf(x),
    dataOf(d),
    r,
    k,
    n,
  );
  const history: LossRecord[] = [];
  const { w: ws, b: bs, gw, gb } = state;
  for (let step = 0; step < steps; step++) {
    const loss = residuals(state);
    if (!Number.isFinite(loss)) throw divergence(step, loss, learningRate, fn);
    if (step % logEvery === 0) history.push({ step, loss });
    gradients(state);
    for (let i = 0; i < ws.length; i++) ws[i] = ws[i] - learningRate * gw[i];
    if (trainBias) {
      for (let i = 0; i < r; i++) bs[i] = bs[i] - learningRate * gb[i];
    }
  }
  const finalLoss = residuals(state);
  if (!Number.isFinite(finalLoss)) {
    throw divergence(steps, finalLoss, learningRate, fn);
  }
  // Unreachable after the finalLoss check: a non-finite weight or bias makes
  // every u of its row non-finite (Inf·x, Inf·0 = NaN), so finalLoss too; and
  // with no samples the gradient is 0 and w, b keep their finite values.
  assertFiniteResult(ws, fn, "the weights");
  assertFiniteResult(bs, fn, "the bias");
  return {
    params: { w: fromData(r, k, ws), b: fromData(r, 1, bs) },
    history,
    finalLoss,
  };
}
