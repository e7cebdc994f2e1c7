/**
 * The article's perceptron u = w·x + b: its forward pass, its analytic
 * gradient and its training loop.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertInRange,
  assertMatrix,
  assertRecord,
  count,
  describe,
  readOptions,
  tooManyArguments,
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
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("forward(params, x)", arguments.length);
  }
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
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("gradient(params, data)", arguments.length);
  }
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
   * How many updates to make: a positive integer, at most 1e9 (about two
   * minutes on the article's data; train longer by calling again from the
   * returned parameters).
   *
   * @default {100}
   */
  steps?: number;
  /**
   * Record the loss at every step that is a multiple of this: a positive
   * integer. The history holds at most 1,000,000 losses, so
   * ceil(steps / logEvery) must not be more than that.
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

/**
 * The most steps one call of {@linkcode train} makes: about two minutes on
 * the article's data (measured 125 ns a step), and far more than any
 * perceptron needs.
 */
export const MAX_STEPS = 1e9;

/**
 * The most losses one call of {@linkcode train} records: a history of a
 * million records takes about 84 MB (measured), far more than a chart can
 * show or a terminal can print usefully. Ten times as many take most of a
 * gigabyte, and a hundred times as many run out of memory.
 */
export const MAX_HISTORY = 1_000_000;

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

/**
 * Refuses a run whose history would hold more than MAX_HISTORY losses, before
 * it starts: it would otherwise run out of memory after a long wait.
 */
function checkHistory(steps: number, logEvery: number, fn: string): void {
  const records = Math.ceil(steps / logEvery);
  if (records > MAX_HISTORY) {
    throw new RangeError(
      `Cannot record ${records} losses in ${fn}: options.steps ${steps} with options.logEvery ${logEvery} records the loss every ${
        logEvery === 1 ? "step" : `${logEvery} steps`
      }, and the history holds at most ${MAX_HISTORY}; raise options.logEvery to at least ${
        Math.ceil(steps / MAX_HISTORY)
      }`,
    );
  }
}

// ---------------------------------------------------------------------------
// How large a learning rate the data allows: what train() suggests when the
// loss diverges, and scripts/train.ts too.
//
// Gradient descent on Σ(w·x + b − d)² multiplies the error in w by
// I − 2·lr·x·xᵀ at every step (x with a row of ones under it when the bias is
// trained: the bias is then one more weight, on an input that is always 1).
// It converges iff |1 − 2·lr·λ| < 1 for every eigenvalue λ of x·xᵀ, that is
// iff lr < 1/λmax. For the article's one sample x = (5, 2, 7)ᵀ that is
// λmax = |x|² = 78: stable below 1/78 ≈ 0.01282.

/** What the data allows, for the advice on a diverging run. */
export interface Stability {
  /** λmax(x·xᵀ), x with a row of ones when the bias is trained. */
  readonly lambdaMax: number;
  /** 1/λmax: the learning rates below it converge. */
  readonly limit: number;
  /**
   * About half the limit, rounded down to two significant digits (0.0064
   * for the article): it takes the stiffest direction to its minimum in
   * about one step.
   */
  readonly suggested: number;
}

/**
 * The largest eigenvalue of a symmetric matrix (n x n, row-major), by cyclic
 * Jacobi rotations: exact to rounding, and quick for the few-by-few
 * matrices here. Changes `a`.
 */
function jacobiLargest(a: Float64Array, n: number): number {
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    let all = 0;
    for (let i = 0; i < n * n; i++) {
      all += a[i] * a[i];
      if (Math.floor(i / n) !== i % n) off += a[i] * a[i];
    }
    if (!(off > 1e-30 * all)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta < 0 ? -1 : 1) /
          (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, a[i * n + i]);
  return largest;
}

/**
 * The largest eigenvalue of a symmetric positive semi-definite matrix by
 * power iteration, for matrices too big for Jacobi: the Rayleigh quotient,
 * which never overestimates it.
 */
function powerLargest(a: Float64Array, n: number): number {
  // A fixed, uneven start so that it is not orthogonal to the answer.
  let v = Float64Array.from(
    { length: n },
    (_, i) => 1 + ((i * 7919) % 97) / 97,
  );
  let estimate = 0;
  for (let iteration = 0; iteration < 2000; iteration++) {
    const av = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += a[i * n + j] * v[j];
      av[i] = sum;
    }
    let vv = 0, vav = 0;
    for (let i = 0; i < n; i++) {
      vv += v[i] * v[i];
      vav += v[i] * av[i];
    }
    const next = vav / vv;
    const norm = Math.hypot(...av);
    if (!(norm > 0)) return next;
    v = av.map((value) => value / norm);
    if (Math.abs(next - estimate) <= 1e-13 * next) return next;
    estimate = next;
  }
  return estimate;
}

/**
 * λmax(X·Xᵀ) for inputs X (k x n, one array per row). X·Xᵀ (k x k) and
 * Xᵀ·X (n x n) have the same nonzero eigenvalues, so the smaller one is
 * used.
 */
function largestEigenvalue(rows: readonly Float64Array[], n: number): number {
  const k = rows.length;
  const byInputs = k <= n;
  const size = byInputs ? k : n;
  const gram = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      if (byInputs) {
        for (let s = 0; s < n; s++) sum += rows[i][s] * rows[j][s];
      } else for (let p = 0; p < k; p++) sum += rows[p][i] * rows[p][j];
      gram[i * size + j] = sum;
    }
  }
  return size <= 200 ? jacobiLargest(gram, size) : powerLargest(gram, size);
}

/** `value` rounded down to two significant digits: 0.00641… → 0.0064. */
function roundDown(value: number): number {
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  const rounded = Number((Math.floor(value / unit) * unit).toPrecision(2));
  return rounded > 0 && rounded <= value ? rounded : value;
}

/**
 * The learning rates that training the perceptron on inputs `x` (k x n, one
 * column per sample) converges with: below 1/λmax, λmax the largest
 * eigenvalue of x·xᵀ (x with a row of ones when the bias is trained), and a
 * rate to suggest, about half of that.
 *
 * @returns The numbers, or undefined when x is all zeros and the bias is
 * fixed (no step changes anything, so nothing diverges). When λmax
 * overflows, x is too large for any learning rate: λmax is Infinity, and
 * `limit` and `suggested` are 0.
 */
export function stability(
  x: Matrix,
  trainBias: boolean,
): Stability | undefined {
  const k = x.rows, n = x.cols, data = dataOf(x);
  const rows: Float64Array[] = [];
  for (let i = 0; i < k; i++) rows.push(data.subarray(i * n, (i + 1) * n));
  if (trainBias) rows.push(new Float64Array(n).fill(1));
  const lambdaMax = largestEigenvalue(rows, n);
  if (!(lambdaMax > 0)) return undefined;
  if (lambdaMax === Infinity) return { lambdaMax, limit: 0, suggested: 0 };
  return {
    lambdaMax,
    limit: 1 / lambdaMax,
    suggested: roundDown(1 / (2 * lambdaMax)),
  };
}

/**
 * The error for a loss that is no longer finite, with a learning rate to try
 * that is stable for the data (see stability above).
 */
function divergence(
  step: number,
  loss: number,
  learningRate: number,
  x: Matrix,
  trainBias: boolean,
  fn: string,
): RangeError {
  const what =
    `Training diverged at step ${step}: the loss became ${loss} with learning rate ${learningRate} in ${fn}`;
  if (step === 0) {
    // No update has been made: no learning rate can help.
    return new RangeError(
      `${what}; that is the loss of the starting parameters, before any update, so the numbers in params or data are too large for float64: scale them down`,
    );
  }
  const s = stability(x, trainBias);
  if (s !== undefined && s.lambdaMax === Infinity) {
    return new RangeError(
      `${what}; no learning rate is small enough, as λmax, the largest eigenvalue of x·xᵀ, overflows: scale the inputs x down`,
    );
  }
  if (s === undefined || learningRate < s.limit) {
    return new RangeError(
      `${what}; try a smaller learning rate, such as ${learningRate / 10}`,
    );
  }
  const limit = Number(s.limit.toPrecision(4));
  const lambda = Number(s.lambdaMax.toPrecision(10));
  const of = trainBias
    ? "x·xᵀ, x with a row of ones for the trained bias"
    : "x·xᵀ";
  return new RangeError(
    `${what}; try a smaller learning rate, such as ${s.suggested}: training is stable only below 1/λmax = ${limit}, where λmax = ${lambda} is the largest eigenvalue of ${of}`,
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
 * `options` holds a key that is not an option (such as `step` for `steps`),
 * or a fourth argument is given.
 * @throws {RangeError} When shapes do not fit, an option is out of range
 * (`steps` above 1e9, or a history of more than 1,000,000 losses:
 * ceil(steps / logEvery)), or the loss stops being finite: the message
 * names the step and suggests a learning rate that is stable for the data,
 * below 1/λmax, λmax the largest eigenvalue of x·xᵀ (x with a row of ones
 * when the bias is trained).
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
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments("train(params, data, options)", arguments.length, 2);
  }
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
  if (steps > MAX_STEPS) {
    throw new RangeError(
      `Expected options.steps of ${fn} to be a positive integer of at most ${MAX_STEPS}, got ${steps}; train longer by calling train again from the returned params`,
    );
  }
  const logEvery = checkCount(opts.logEvery ?? 1, "logEvery", fn);
  checkHistory(steps, logEvery, fn);
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
    if (!Number.isFinite(loss)) {
      throw divergence(step, loss, learningRate, x, trainBias, fn);
    }
    if (step % logEvery === 0) history.push({ step, loss });
    gradients(state);
    for (let i = 0; i < ws.length; i++) ws[i] = ws[i] - learningRate * gw[i];
    if (trainBias) {
      for (let i = 0; i < r; i++) bs[i] = bs[i] - learningRate * gb[i];
    }
  }
  const finalLoss = residuals(state);
  if (!Number.isFinite(finalLoss)) {
    throw divergence(steps, finalLoss, learningRate, x, trainBias, fn);
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
