/**
 * Training an MLP by mini-batch gradient descent: {@linkcode fit}.
 *
 * @module
 */
import { describe } from "./_describe.ts";
import {
  assertFunction,
  dataOf,
  fromData,
  isMatrix,
  readOptions,
} from "./_matrix.ts";
import { countCorrect } from "./_nn_kernels.ts";
import { checkLoss, checkMlp, checkSamples, lossAndGradients } from "./_mlp.ts";
import { type Dense, evaluateChecked, type LossName, type Mlp } from "./nn.ts";
import {
  adam,
  isBuiltInOptimizer,
  type Optimizer,
  type OptimizerState,
  type OptimizerStep,
} from "./optimizers.ts";
import type { Samples } from "./perceptron.ts";
import { createRng, shuffle } from "./random.ts";

type Layers = readonly Dense[];

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
   * "mse" or "squaredError".
   *
   * @default {"softmaxCrossEntropy"}
   */
  loss?: LossName;
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
}

/** What {@linkcode fit} returns. */
export interface FitResult {
  /** The trained network. */
  readonly model: Mlp;
  /** One record per epoch. */
  readonly history: readonly EpochRecord[];
  /** The optimizer's final state (to continue training). */
  readonly state: OptimizerState<readonly Dense[]>;
}

function checkCount(
  value: unknown,
  fn: string,
  name: string,
  max: number,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a positive integer, got ${
        describe(value)
      }`,
    );
  }
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be an integer from 1 to ${max}, got ${value}`,
    );
  }
  return value;
}

/**
 * Checks what a user's optimizer returned from `update`: `{ params, state }`
 * with `params` layers of the model's shapes. Returns the state and the next
 * model, each field read once.
 */
function checkStep(
  next: unknown,
  current: Mlp,
  fn: string,
  epoch: number,
): { state: OptimizerState<readonly Dense[]>; model: Mlp } {
  const where = `options.optimizer.update (in epoch ${epoch})`;
  if (
    typeof next !== "object" || next === null || Array.isArray(next) ||
    isMatrix(next)
  ) {
    throw new TypeError(
      `Expected ${where} of ${fn} to return { params, state }, got ${
        describe(next)
      }`,
    );
  }
  const { params, state } = next as Record<string, unknown>;
  const model = checkMlp(
    { ...current, layers: params },
    fn,
    `the model from ${where}`,
  );
  const same = model.layers.length === current.layers.length &&
    model.layers.every(({ w }, l) =>
      w.rows === current.layers[l].w.rows && w.cols === current.layers[l].w.cols
    );
  if (!same) {
    throw new RangeError(
      `Expected ${where} of ${fn} to return params with the structure and shapes of the model's layers`,
    );
  }
  return {
    state: state as OptimizerState<readonly Dense[]>,
    model,
  };
}

/** Copies the columns order[start … start + count) of an r x n array. */
function gatherColumns(
  src: Float64Array,
  r: number,
  n: number,
  order: readonly number[],
  start: number,
  count: number,
): Float64Array {
  const out = new Float64Array(r * count);
  for (let i = 0; i < r; i++) {
    const row = i * n;
    const o = i * count;
    for (let j = 0; j < count; j++) out[o + j] = src[row + order[start + j]];
  }
  return out;
}

/**
 * Trains an MLP by mini-batch gradient descent. Each epoch shuffles the
 * samples with a generator seeded from `seed` (so the same seed gives the
 * same training), splits them into batches of `batchSize`, and for each batch
 * computes the loss and its gradient (see `mlpValueAndGrad`) and lets the
 * optimizer update the parameters. Pure: the model and the data are
 * unchanged; the trained model is returned.
 *
 * @param model The starting network (see `mlp`).
 * @param data Inputs `x` (k x n) and targets `d` (r x n), one column per
 * sample.
 * @param options Epochs, batch size, optimizer, seed, loss, validation data
 * and a per-epoch callback.
 * @returns The trained model, the per-epoch history of loss and accuracy,
 * and the optimizer's state.
 * @throws {TypeError} When an argument or option has the wrong type.
 * @throws {RangeError} When the shapes do not fit, an option is out of
 * range, or training diverges (the loss or the parameters stop being
 * finite; the message names the epoch).
 *
 * @example Learning XOR
 * ```ts
 * import { adam, evaluate, fit, matrix, mlp } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = matrix([[0, 0, 1, 1], [0, 1, 0, 1]]);
 * const d = matrix([[1, 0, 0, 1], [0, 1, 1, 0]]); // one-hot: XOR is row 1
 * const model = mlp([2, 8, 2], 3, { activation: "tanh" });
 * const { model: trained, history } = fit(model, { x, d }, {
 *   epochs: 300,
 *   batchSize: 4,
 *   optimizer: adam(0.05),
 * });
 * assert.equal(history.length, 300);
 * assert.ok(history[299].loss < history[0].loss);
 * assert.equal(evaluate(trained, { x, d }).accuracy, 1);
 * ```
 */
export function fit(
  model: Mlp,
  data: Samples,
  options: FitOptions = {},
): FitResult {
  const fn = "fit(model, data, options)";
  const net = checkMlp(model, fn);
  const { x, d } = checkSamples(net, data, fn);
  const o = readOptions(options, fn, [
    "epochs",
    "batchSize",
    "optimizer",
    "seed",
    "loss",
    "validation",
    "onEpoch",
  ]);
  const epochs = checkCount(o.epochs ?? 10, fn, "options.epochs", 1e7);
  const batchSize = checkCount(
    o.batchSize ?? 32,
    fn,
    "options.batchSize",
    2 ** 26,
  );
  const optimizer = o.optimizer ?? adam(0.001);
  if (
    typeof optimizer !== "object" || optimizer === null ||
    Array.isArray(optimizer) || isMatrix(optimizer)
  ) {
    throw new TypeError(
      `Expected options.optimizer of ${fn} to be an optimizer such as adam(0.001), got ${
        describe(optimizer)
      }`,
    );
  }
  // Read once; called as methods of the optimizer.
  const { init, update } = optimizer as Record<string, unknown>;
  assertFunction(init, fn, "options.optimizer.init");
  assertFunction(update, fn, "options.optimizer.update");
  const trusted = isBuiltInOptimizer(optimizer);
  const loss = checkLoss(
    o.loss ?? "softmaxCrossEntropy",
    fn,
    "options.loss",
  );
  const validation = o.validation === undefined
    ? undefined
    : checkSamples(net, o.validation, fn, "options.validation");
  if (o.onEpoch !== undefined) assertFunction(o.onEpoch, fn, "options.onEpoch");
  const onEpoch = o.onEpoch as FitOptions["onEpoch"];
  const seed = o.seed ?? 0;
  if (typeof seed !== "number") {
    throw new TypeError(
      `Expected options.seed of ${fn} to be a safe integer, got ${
        describe(seed)
      }`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(
      `Expected options.seed of ${fn} to be a safe integer, got ${seed}`,
    );
  }
  const rng = createRng(seed);

  const n = x.cols, k = x.rows, r = d.rows;
  const xs = dataOf(x), ds = dataOf(d);
  let current: Mlp = net;
  const initFn = init as (p: Layers) => OptimizerState<Layers>;
  const updateFn = update as (
    p: Layers,
    g: Layers,
    s: OptimizerState<Layers>,
  ) => OptimizerStep<Layers>;
  let state = initFn.call(optimizer, net.layers);
  const history: EpochRecord[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffle(n, rng);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const bx = gatherColumns(xs, k, n, order, start, count);
      const bd = gatherColumns(ds, r, n, order, start, count);
      const step = lossAndGradients(current, bx, bd, count, loss);
      if (!Number.isFinite(step.loss)) {
        throw new RangeError(
          `Training diverged in epoch ${epoch} of ${fn}: the loss became ${step.loss}; try a smaller learning rate`,
        );
      }
      lossSum += step.loss * count;
      correct += countCorrect(step.output, bd, r, count);
      const grads = current.layers.map((layer, l) =>
        Object.freeze({
          w: fromData(layer.w.rows, layer.w.cols, step.grads[2 * l]),
          b: fromData(layer.b.rows, 1, step.grads[2 * l + 1]),
        })
      );
      const next = updateFn.call(
        optimizer,
        current.layers,
        grads,
        state,
      );
      if (trusted) {
        state = next.state;
        current = Object.freeze({ ...current, layers: next.params });
      } else {
        // Someone else's optimizer: check what it returns (a few fields per
        // step, nothing per entry) before training on with it.
        ({ state, model: current } = checkStep(next, current, fn, epoch));
      }
    }
    let record: EpochRecord = {
      epoch,
      loss: lossSum / n,
      accuracy: correct / n,
    };
    if (validation !== undefined) {
      const v = evaluateChecked(current, validation, loss, fn);
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
    model: current,
    history: Object.freeze(history),
    state,
  });
}
