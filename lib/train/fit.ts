/**
 * {@linkcode fit}: mini-batch training of any model made by `sequential` (or
 * `mlp`), with any loss and any optimizer.
 *
 * @module
 */
import {
  arrayCallback,
  assertFunction,
  assertInteger,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, isMatrix, type Matrix } from "../core/_matrix.ts";
import { createRng, type Rng, shuffle } from "../core/random.ts";
import { countCorrect } from "../kernels/_nn.ts";
import { gradientOf, type Params } from "../autodiff/grad.ts";
import type { Model } from "../nn/sequential.ts";
import {
  checkModel,
  checkSamples,
  CROSS_ENTROPY_LABELS,
  evaluate,
  type Loss,
  lossFunction,
  lossName,
  lossValue,
} from "./metrics.ts";
import type { Samples } from "../core/matrix.ts";
import { assertProbabilityColumns } from "../ops/losses.ts";
import { adam, type Optimizer, type OptimizerState } from "./optimizers.ts";

/** One epoch of {@linkcode fit}'s history. */
export interface EpochRecord {
  /** The epoch, from 1. */
  readonly epoch: number;
  /**
   * The training loss over the epoch: the mean of its mini-batch losses,
   * each computed before its update and weighted by its number of samples.
   */
  readonly loss: number;
  /** The fraction of training samples classified correctly, likewise. */
  readonly accuracy: number;
  /** The loss on `options.validation` after the epoch, when given. */
  readonly validationLoss?: number;
  /** The accuracy on `options.validation` after the epoch, when given. */
  readonly validationAccuracy?: number;
}

/** One mini-batch update of {@linkcode fit}, for `onStep`. */
export interface StepRecord {
  /** The epoch, from 1. */
  readonly epoch: number;
  /** The update, counted from 1 over the whole training. */
  readonly step: number;
  /** The batch within its epoch, from 1. */
  readonly batch: number;
  /** The number of batches in an epoch. */
  readonly batches: number;
  /** The samples in this batch. */
  readonly samples: number;
  /** The batch's loss, computed before its update. */
  readonly loss: number;
  /** The fraction of the batch's samples classified correctly, likewise. */
  readonly accuracy: number;
}

/** Options for {@linkcode fit}. */
export interface FitOptions {
  /**
   * How many passes over the data.
   *
   * @default {10}
   */
  epochs?: number;
  /**
   * Samples per update; the last batch of an epoch may be smaller.
   *
   * @default {32}
   */
  batchSize?: number;
  /**
   * The optimizer.
   *
   * @default {adam(0.001)}
   */
  optimizer?: Optimizer;
  /**
   * The seed of the shuffle that orders the samples of each epoch.
   *
   * @default {0}
   */
  seed?: number;
  /**
   * The loss: "softmaxCrossEntropy" (output = logits, one-hot targets),
   * "mse", "squaredError", or a function `(output, d, params) => number |
   * Matrix` written with the toolkit's ops (a loss plus a weight-decay term
   * on the params, say).
   *
   * @default {"softmaxCrossEntropy"}
   */
  loss?: Loss;
  /**
   * Held-out samples, evaluated after each epoch.
   *
   * @default {undefined} (none: the history has no validation fields)
   */
  validation?: Samples;
  /**
   * Called after each epoch with its record (for progress output). What it
   * returns is ignored.
   *
   * @default {undefined} (none: nothing is called)
   */
  onEpoch?: (record: EpochRecord) => void;
  /**
   * Called after each mini-batch update with its record (to watch training
   * step by step). What it returns is ignored.
   *
   * @default {undefined} (none: nothing is called)
   */
  onStep?: (record: StepRecord) => void;
  /**
   * The model's starting state (batch normalization's running averages).
   *
   * @default {model.initState()}
   */
  state?: readonly Params[];
}

/** The most epochs {@linkcode fit} runs (`options.epochs`). */
export const MAX_EPOCHS = 1e7;

/** The largest mini-batch {@linkcode fit} takes (`options.batchSize`), 2^26. */
export const MAX_BATCH_SIZE = 2 ** 26;

/** What {@linkcode fit} returns. */
export interface FitResult {
  /** The trained parameters. */
  readonly params: Params[];
  /**
   * The model's state after training (batch normalization's running
   * averages); pass it to `evaluate` and `model.apply` as `state`.
   */
  readonly modelState: Params[];
  /** One record per epoch. */
  readonly history: readonly EpochRecord[];
  /** The optimizer's final state (to continue training). */
  readonly state: OptimizerState<Params[]>;
}

/** Copies the columns order[start … start + count) of an r x n matrix. */
function gatherColumns(
  m: Matrix,
  order: readonly number[],
  start: number,
  count: number,
): Matrix {
  const src = dataOf(m), r = m.rows, n = m.cols;
  const out = new Float64Array(r * count);
  for (let i = 0; i < r; i++) {
    const row = i * n;
    const o = i * count;
    for (let j = 0; j < count; j++) out[o + j] = src[row + order[start + j]];
  }
  return fromData(r, count, out);
}

/** model.applyWithState, its result checked: `{ output: Matrix, state: array }`. */
function applyWithState(
  model: Model,
  params: readonly Params[],
  x: Matrix,
  options: { training: boolean; rng: Rng; state: readonly Params[] },
  fn: string,
): { output: Matrix; state: Params[] } {
  const result: unknown = model.applyWithState(params, x, options);
  const { output, state } =
    (typeof result === "object" && result !== null ? result : {}) as {
      output?: unknown;
      state?: unknown;
    };
  if (!isMatrix(output) || !Array.isArray(state)) {
    throw new TypeError(
      `Expected model.applyWithState of ${fn} to return { output, state } with a Matrix output and an array state, got ${
        describe(result)
      }`,
    );
  }
  return { output, state };
}

/**
 * Inputs up to this many entries get a sample-major copy for gathering
 * batches (64 MB of float64): a batch then reads each sample's contiguous
 * entries instead of one cache line per entry across the whole input.
 */
const SAMPLE_MAJOR_LIMIT = 2 ** 23;

/** The r x n matrix's entries sample by sample (n x r), in 32 x 32 tiles. */
function sampleMajor(m: Matrix): Float64Array {
  const src = dataOf(m), r = m.rows, n = m.cols;
  const out = new Float64Array(r * n);
  for (let i0 = 0; i0 < r; i0 += 32) {
    const i1 = Math.min(i0 + 32, r);
    for (let j0 = 0; j0 < n; j0 += 32) {
      const j1 = Math.min(j0 + 32, n);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * r + i] = src[i * n + j];
      }
    }
  }
  return out;
}

/**
 * As {@linkcode gatherColumns}, from the sample-major copy `t` (n x r) of an
 * r x n matrix: the same entries, eight samples at a time so that each row of
 * the batch is written a cache line at a time.
 */
function gatherSamples(
  t: Float64Array,
  r: number,
  order: readonly number[],
  start: number,
  count: number,
): Matrix {
  const out = new Float64Array(r * count);
  const offsets = new Int32Array(count);
  for (let j = 0; j < count; j++) offsets[j] = order[start + j] * r;
  for (let j0 = 0; j0 < count; j0 += 8) {
    const j1 = Math.min(j0 + 8, count);
    for (let i = 0; i < r; i++) {
      const o = i * count;
      for (let j = j0; j < j1; j++) out[o + j] = t[offsets[j] + i];
    }
  }
  return fromData(r, count, out);
}

/**
 * Trains a model by mini-batch gradient descent. Each epoch shuffles the
 * samples with a generator seeded from `seed` (so the same seed gives the
 * same training), splits them into batches of `batchSize`, and for each
 * batch takes the gradient of the loss of `model.apply(params, x, { training:
 * true, rng })` with `valueAndGrad` and lets the optimizer update the
 * parameters. Pure: the parameters and the data are unchanged; the trained
 * parameters are returned.
 *
 * @param model The model (see `sequential` and `mlp`).
 * @param params Its starting parameters, from `model.init(seed)`.
 * @param data Inputs `x` (k x n) and targets `d` (r x n), one column per
 * sample.
 * @param options Epochs, batch size, optimizer, seed, loss, validation data,
 * the model's starting state, and callbacks per epoch and per step.
 * @returns The trained parameters, the per-epoch history of loss and
 * accuracy, and the optimizer's state.
 * @throws {TypeError} When an argument or option has the wrong type.
 * @throws {RangeError} When the shapes do not fit, an option is out of
 * range, the targets are not probability columns (entries from 0 to 1, each
 * column summing to 1 within 1e-6, such as one-hot columns) while the loss
 * is "softmaxCrossEntropy", the default, or training diverges (the loss or
 * the parameters stop being finite; the message names the epoch).
 *
 * @example Learning XOR
 * ```ts
 * import { adam, evaluate, fit, matrix, mlp } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = matrix([[0, 0, 1, 1], [0, 1, 0, 1]]);
 * const d = matrix([[1, 0, 0, 1], [0, 1, 1, 0]]); // one-hot: XOR is row 1
 * const { model, params } = mlp([2, 8, 2], 3, { activation: "tanh" });
 * const trained = fit(model, params, { x, d }, {
 *   epochs: 300,
 *   batchSize: 4,
 *   optimizer: adam(0.05),
 * });
 * assert.equal(trained.history.length, 300);
 * assert.ok(trained.history[299].loss < trained.history[0].loss);
 * assert.equal(evaluate(model, trained.params, { x, d }).accuracy, 1);
 * ```
 */
export function fit(
  model: Model,
  params: readonly Params[],
  data: Samples,
  options: FitOptions = {},
): FitResult {
  if (arguments.length > 4 && !arrayCallback(arguments, 4)) {
    throw tooManyArguments(
      "fit(model, params, data, options)",
      arguments.length,
      3,
    );
  }
  const fn = "fit(model, params, data, options)";
  checkModel(model, params, fn, ["apply", "applyWithState", "initState"]);
  const { x, d } = checkSamples(data, fn, "data");
  const o = readOptions(options, fn, [
    "epochs",
    "batchSize",
    "optimizer",
    "seed",
    "loss",
    "validation",
    "onEpoch",
    "onStep",
    "state",
  ]);
  const epochs = assertInteger(
    o.epochs ?? 10,
    fn,
    "options.epochs",
    1,
    MAX_EPOCHS,
  );
  const batchSize = assertInteger(
    o.batchSize ?? 32,
    fn,
    "options.batchSize",
    1,
    MAX_BATCH_SIZE,
  );
  const optimizer = (o.optimizer ?? adam(0.001)) as Optimizer;
  assertRecord(
    optimizer,
    fn,
    "options.optimizer",
    "an optimizer such as adam(0.001)",
  );
  assertFunction(optimizer.init, fn, "options.optimizer.init");
  assertFunction(optimizer.update, fn, "options.optimizer.update");
  const loss = lossFunction(
    o.loss ?? "softmaxCrossEntropy",
    fn,
    "options.loss",
  );
  const validation = o.validation === undefined
    ? undefined
    : checkSamples(o.validation, fn, "options.validation");
  if (o.onEpoch !== undefined) assertFunction(o.onEpoch, fn, "options.onEpoch");
  const onEpoch = o.onEpoch as FitOptions["onEpoch"];
  if (o.onStep !== undefined) assertFunction(o.onStep, fn, "options.onStep");
  const onStep = o.onStep as FitOptions["onStep"];
  const seed = assertInteger(
    o.seed ?? 0,
    fn,
    "options.seed",
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  );
  const rng = createRng(seed);
  // Check the model against the data once, outside the gradient.
  const probe: unknown = model.apply(params, gatherColumns(x, [0], 0, 1));
  if (!isMatrix(probe)) {
    throw new TypeError(
      `Expected model.apply of ${fn} to return a Matrix, got ${
        describe(probe)
      }`,
    );
  }
  if (probe.rows !== d.rows) {
    throw new RangeError(
      `Cannot train a model of ${probe.rows} outputs towards data.d of ${d.rows} rows in ${fn}: data.d must have one row per output`,
    );
  }
  if (lossName(o.loss ?? "softmaxCrossEntropy") === "softmaxCrossEntropy") {
    assertProbabilityColumns(d, fn, "data.d", CROSS_ENTROPY_LABELS);
    if (validation !== undefined) {
      assertProbabilityColumns(
        validation.d,
        fn,
        "options.validation.d",
        CROSS_ENTROPY_LABELS,
      );
    }
  }

  const n = x.cols;
  // Whether to gather from a sample-major copy is a speed choice only:
  // gatherSamples and gatherColumns give the same batches.
  const xt = x.rows * n <= SAMPLE_MAJOR_LIMIT && n > batchSize
    ? sampleMajor(x)
    : null;
  let modelState = (o.state ?? model.initState()) as Params[];
  let current = params.slice();
  let state = optimizer.init(current);
  // An overflow inside an op or the optimizer means training diverged: say
  // so, with the epoch, and keep the op's own message.
  const diverging = <T>(epoch: number, step: () => T): T => {
    try {
      return step();
    } catch (e) {
      if (e instanceof RangeError && /overflow/.test(e.message)) {
        throw new RangeError(
          `Training diverged in epoch ${epoch} of ${fn}: ${e.message}; try a smaller learning rate`,
        );
      }
      throw e;
    }
  };
  const history: EpochRecord[] = [];
  const batches = Math.ceil(n / batchSize);
  let steps = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffle(n, rng);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const bx = xt === null
        ? gatherColumns(x, order, start, count)
        : gatherSamples(xt, x.rows, order, start, count);
      const bd = gatherColumns(d, order, start, count);
      let output: Matrix = bx;
      let nextState = modelState;
      const step = diverging(epoch, () =>
        gradientOf(
          (p: Params[]) => {
            ({ output, state: nextState } = applyWithState(
              model,
              p,
              bx,
              { training: true, rng, state: modelState },
              fn,
            ));
            return loss(output, bd, p);
          },
          current,
          fn,
        ));
      modelState = nextState;
      const value = lossValue(step.value, fn);
      // Each batch's loss is weighted by its samples: a short last batch
      // counts for what it holds.
      lossSum += value * count;
      const right = countCorrect(dataOf(output), dataOf(bd), d.rows, count);
      correct += right;
      const next = diverging(
        epoch,
        () => optimizer.update(current, step.grad, state),
      );
      if (
        typeof next !== "object" || next === null ||
        !Array.isArray(next.params) || next.params.length !== current.length
      ) {
        throw new TypeError(
          `Expected options.optimizer.update of ${fn} to return { params, state } with ${current.length} layer parameters, got ${
            describe(next)
          }`,
        );
      }
      current = next.params;
      state = next.state;
      steps++;
      if (onStep !== undefined) {
        onStep(Object.freeze({
          epoch,
          step: steps,
          batch: start / batchSize + 1,
          batches,
          samples: count,
          loss: value,
          accuracy: right / count,
        }));
      }
    }
    let record: EpochRecord = {
      epoch,
      loss: lossSum / n,
      accuracy: correct / n,
    };
    if (validation !== undefined) {
      const v = evaluate(model, current, validation, {
        loss: lossName(o.loss ?? "softmaxCrossEntropy") as Loss,
        state: modelState,
      });
      record = {
        ...record,
        validationLoss: v.loss,
        validationAccuracy: v.accuracy,
      };
    }
    Object.freeze(record);
    history.push(record);
    if (onEpoch !== undefined) onEpoch(record);
  }
  return Object.freeze({
    params: current,
    modelState,
    history: Object.freeze(history),
    state,
  });
}
