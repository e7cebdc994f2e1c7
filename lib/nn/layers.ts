/**
 * Layers for {@linkcode sequential}, exported from mod.ts as the `layers`
 * namespace (as TensorFlow.js keeps `tf.layers.dense` apart from the op
 * `tf.relu`). Activations such as `relu` need no wrapper: any
 * differentiable Matrix → Matrix function is a layer.
 *
 * @module
 */
import {
  arrayCallback,
  assertChoice,
  assertInRange,
  assertInteger,
  assertMatrix,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import type { Rng } from "../core/random.ts";
import { dot } from "../ops/linalg.ts";
import { add, mul, sub } from "../ops/arithmetic.ts";
import {
  batchNorm as batchNormOp,
  dropout as dropoutOp,
  rowMoments,
} from "../ops/normalization.ts";
import { conv2d as convOp, maxPool as poolOp } from "../ops/conv.ts";
import type { Layer, LayerContext, LayerOutput, PlainLayer } from "./layer.ts";
import { assertRng, initWeights } from "./_init.ts";

/** The parameters of a dense layer. */
export type DenseParams = {
  /** Weights, outputs x inputs: one row per output, one column per input. */
  readonly w: Matrix;
  /** Bias, outputs x 1. */
  readonly b: Matrix;
};

/** Options for {@linkcode dense}. */
export interface DenseOptions {
  /**
   * The initial weights: "he" draws from N(0, 2/inputs) (He et al. 2015,
   * for ReLU networks), "xavier" from U(±√(6/(inputs + outputs))) (Glorot and
   * Bengio 2010, for sigmoid and tanh). Biases start at zero.
   *
   * @default {"he"}
   */
  init?: "he" | "xavier";
}

/**
 * A fully connected layer, u = w·x + b: the article's perceptron as a layer.
 *
 * @param inputs The number of inputs (rows of x), an integer from 1 to 65536.
 * @param outputs The number of outputs, an integer from 1 to 65536.
 * @param options The initialization.
 * @returns The layer: `init(rng)` gives `{ w, b }`, `apply({ w, b }, x)`
 * gives w·x + b.
 * @throws {TypeError} When a size is not a number, or an option is unknown
 * or of the wrong kind.
 * @throws {RangeError} When a size is out of range, or the weights would
 * hold more than 2^26 entries. Its `apply` throws a RangeError when x or
 * the parameters do not have the layer's shapes.
 *
 * @example Usage
 * ```ts
 * import { createRng, layers, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const layer = layers.dense(3, 2);
 * const params = layer.init(createRng(0));
 * assert.deepEqual(params.w.shape, [2, 3]);
 * assert.deepEqual(layer.apply(params, matrix([[5], [2], [7]])).shape, [2, 1]);
 * ```
 */
export function dense(
  inputs: number,
  outputs: number,
  options: DenseOptions = {},
): PlainLayer<DenseParams> {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "dense(inputs, outputs, options)",
      arguments.length,
      2,
    );
  }
  const fn = "layers.dense(inputs, outputs, options)";
  assertInteger(inputs, fn, "inputs", 1, 65536);
  assertInteger(outputs, fn, "outputs", 1, 65536);
  if (inputs * outputs > 2 ** 26) {
    throw new RangeError(
      `Cannot make a layer of ${inputs} inputs and ${outputs} outputs in ${fn}: its weights would hold more than 2^26 entries`,
    );
  }
  const o = readOptions(options, fn, ["init"]);
  const init = assertChoice(o.init ?? "he", fn, "options.init", [
    "he",
    "xavier",
  ]);
  const name = `dense(${inputs}, ${outputs})`;
  const fnApply = `${name}.apply(params, x)`;
  const fnInit = `${name}.init(rng)`;
  return Object.freeze({
    name,
    init: (rng: Rng): DenseParams =>
      Object.freeze({
        w: initWeights(rng, outputs, inputs, init, fnInit),
        b: fromData(outputs, 1, new Float64Array(outputs)),
      }),
    apply(params: DenseParams, x: Matrix): Matrix {
      assertRecord(params, fnApply, "params", "{ w, b }");
      const { w, b } = params;
      assertMatrix(w, fnApply, "params.w");
      assertMatrix(b, fnApply, "params.b");
      assertMatrix(x, fnApply, "x");
      if (
        w.rows !== outputs || w.cols !== inputs || b.rows !== outputs ||
        b.cols !== 1
      ) {
        throw new RangeError(
          `Cannot apply ${name} with w ${shapeText(w)} and b ${
            shapeText(b)
          } in ${fnApply}: w must be ${outputs}x${inputs} and b ${outputs}x1`,
        );
      }
      if (x.rows !== inputs) {
        throw new RangeError(
          `Cannot feed x ${
            shapeText(x)
          } to ${name} in ${fnApply}: x must have ${inputs} rows, one column per sample`,
        );
      }
      return add(dot(w, x), b);
    },
  });
}

/**
 * Inverted dropout as a layer (ゼロから作るDeep Learning §6.4.3): in
 * training (`{ training: true, rng }`) each entry is dropped with
 * probability `rate` and the kept ones are scaled by 1/(1 − rate), with the
 * mask drawn from `rng`; at evaluation it is the identity. It has no
 * parameters.
 *
 * @param rate The probability of dropping an entry, in [0, 1).
 * @returns The layer.
 * @throws {TypeError} When rate is not a number. Its `apply` throws a
 * TypeError when x is not a Matrix, the context (optional) is not
 * `{ training, rng, state }`, or in training without an `rng`.
 * @throws {RangeError} When rate is not in [0, 1).
 *
 * @example Identity at evaluation, a seeded mask in training
 * ```ts
 * import { createRng, layers, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const drop = layers.dropout(0.5);
 * const x = matrix([[1, 2, 3, 4]]);
 * assert.equal(drop.apply({}, x), x);
 * const y = drop.apply({}, x, { training: true, rng: createRng(0), state: {} });
 * assert.ok(toArray(y)[0].every((v, i) => v === 0 || v === 2 * (i + 1)));
 * ```
 */
export function dropout(rate: number): PlainLayer<Record<string, never>> {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("dropout(rate)", arguments.length);
  }
  const fn = "layers.dropout(rate)";
  assertInRange(rate, fn, "rate", 0, 1, "a number in [0, 1)");
  if (rate === 1) {
    throw new RangeError(
      `Expected rate of ${fn} to be a number in [0, 1), got 1 (every entry dropped)`,
    );
  }
  const name = `dropout(${rate})`;
  const fnApply = `${name}.apply(params, x, context)`;
  return Object.freeze({
    name,
    init: () => ({}),
    apply(
      _params: Record<string, never>,
      x: Matrix,
      context?: LayerContext,
    ): Matrix {
      assertMatrix(x, fnApply, "x");
      const { training, rng } = readContext(context, fnApply);
      if (!training || rate === 0) return x;
      if (rng === undefined) {
        throw new TypeError(
          `Cannot apply ${name} in training without context.rng in ${fnApply}: pass { training: true, rng: createRng(seed) } (fit does)`,
        );
      }
      assertRng(rng, fnApply, "context.rng");
      return dropoutOp(x, { rate, rng });
    },
  });
}

/**
 * Reads a layer's context: undefined (evaluation, no state) or a record of
 * `training` (a boolean), `rng` and `state`.
 */
function readContext(
  context: unknown,
  fn: string,
): { training: boolean; rng: unknown; state: unknown } {
  if (context === undefined) {
    return { training: false, rng: undefined, state: undefined };
  }
  assertRecord(context, fn, "context", "an object { training, rng, state }");
  for (const key of Object.keys(context)) {
    if (key !== "training" && key !== "rng" && key !== "state") {
      const shown = key.length > 32 ? `${key.slice(0, 32)}…` : key;
      throw new TypeError(
        `Unknown key ${
          JSON.stringify(shown)
        } in context of ${fn}: expected training, rng or state`,
      );
    }
  }
  const o = context;
  const training = o.training ?? false;
  if (typeof training !== "boolean") {
    throw new TypeError(
      `Expected context.training of ${fn} to be a boolean, got ${
        describe(training)
      }`,
    );
  }
  return { training, rng: o.rng, state: o.state };
}

/** Throws unless `m` is a features x 1 Matrix. */
function assertColumn(
  m: unknown,
  fn: string,
  name: string,
  features: number,
): asserts m is Matrix {
  assertMatrix(m, fn, name);
  if (m.rows !== features || m.cols !== 1) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be ${features}x1, one entry per feature, got a ${
        shapeText(m)
      } Matrix`,
    );
  }
}

/** Options for {@linkcode batchNorm}. */
export interface BatchNormLayerOptions {
  /**
   * Added to the variance before the square root.
   *
   * @default {1e-5}
   */
  epsilon?: number;
  /**
   * The weight of each new batch in the running averages, as PyTorch's
   * `momentum`: running = (1 − momentum)·running + momentum·batch.
   *
   * @default {0.1}
   */
  momentum?: number;
}

/** The parameters of a batch-normalization layer. */
export type BatchNormLayerParams = {
  /** The scale γ, features x 1, initially ones. */
  readonly gamma: Matrix;
  /** The shift β, features x 1, initially zeros. */
  readonly beta: Matrix;
};

/** The state of a batch-normalization layer: its running averages. */
export type BatchNormState = {
  /** The running mean of each feature, features x 1, initially zeros. */
  readonly mean: Matrix;
  /** The running (unbiased) variance, features x 1, initially ones. */
  readonly variance: Matrix;
};

/**
 * A batch-normalization layer: a {@linkcode Layer} whose `apply` may be
 * called without a context (evaluation with the initial state).
 */
export interface BatchNormLayer
  extends Layer<BatchNormLayerParams, BatchNormState> {
  /** The running averages at the start: means 0, variances 1. */
  initState(): BatchNormState;
  /**
   * In training (`context.training`), the batch normalized with its own
   * moments and the updated running averages; else the batch normalized
   * with the running averages of `context.state` (default the initial ones).
   */
  apply(
    params: BatchNormLayerParams,
    x: Matrix,
    context?: LayerContext<BatchNormState>,
  ): Matrix | LayerOutput<BatchNormState>;
}

/**
 * Batch normalization as a layer (Ioffe and Szegedy 2015; ゼロから作る
 * Deep Learning §6.3). In training it normalizes each feature (row) with the
 * batch's mean and biased variance (see the op `batchNorm`), then updates
 * its running averages as PyTorch does: running = (1 − momentum)·running +
 * momentum·batch, with the unbiased variance n/(n − 1)·σ². At evaluation it
 * normalizes with the running averages. The scale γ and shift β are
 * learned; the running averages are its state (`model.initState()`),
 * which `fit` threads through training and returns as `modelState`.
 *
 * @param features The number of features (rows), an integer from 1 to 65536.
 * @param options `epsilon` (default 1e-5) and `momentum` (default 0.1).
 * @returns The layer.
 * @throws {TypeError} When an argument is not a number or an option is
 * unknown.
 * @throws {RangeError} When `features` is out of range, epsilon is not in
 * (0, 1] or momentum not in [0, 1]. Its `apply(params, x, context)` (the
 * context optional: evaluation with the initial state) throws a TypeError
 * when params is not `{ gamma, beta }`, x not a Matrix or the context not
 * `{ training, rng, state }` with a state `{ mean, variance }`, and a
 * RangeError when a shape does not fit `features`.
 *
 * @example Training updates the running mean
 * ```ts
 * import { layers, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const bn = layers.batchNorm(1, { momentum: 0.5 });
 * const params = bn.init(undefined as never);
 * const out = bn.apply(params, matrix([[2, 4]]), { training: true, state: bn.initState!() });
 * assert.ok(!("rows" in out));
 * assert.deepEqual(toArray(out.state.mean), [[1.5]]); // 0.5·0 + 0.5·3
 * ```
 */
export function batchNorm(
  features: number,
  options: BatchNormLayerOptions = {},
): BatchNormLayer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("batchNorm(features, options)", arguments.length, 1);
  }
  const fn = "layers.batchNorm(features, options)";
  assertInteger(features, fn, "features", 1, 65536);
  const o = readOptions(options, fn, ["epsilon", "momentum"]);
  const epsilon = o.epsilon === undefined ? 1e-5 : assertInRange(
    o.epsilon,
    fn,
    "options.epsilon",
    Number.MIN_VALUE,
    1,
    "a positive number up to 1",
  );
  const momentum = assertInRange(
    o.momentum ?? 0.1,
    fn,
    "options.momentum",
    0,
    1,
  );
  const name = `batchNorm(${features})`;
  const fnApply = `${name}.apply(params, x, context)`;
  const column = (value: number) =>
    fromData(features, 1, new Float64Array(features).fill(value));
  const initState = (): BatchNormState =>
    Object.freeze({ mean: column(0), variance: column(1) });
  return Object.freeze({
    name,
    init: (): BatchNormLayerParams =>
      Object.freeze({ gamma: column(1), beta: column(0) }),
    initState,
    apply(
      params: BatchNormLayerParams,
      x: Matrix,
      context?: LayerContext<BatchNormState>,
    ): Matrix | LayerOutput<BatchNormState> {
      assertRecord(
        params,
        fnApply,
        "params",
        "an object { gamma, beta } of matrices (from init)",
      );
      assertColumn(params.gamma, fnApply, "params.gamma", features);
      assertColumn(params.beta, fnApply, "params.beta", features);
      assertMatrix(x, fnApply, "x");
      if (x.rows !== features) {
        throw new RangeError(
          `Cannot feed x ${
            shapeText(x)
          } to ${name} in ${fnApply}: x must have ${features} rows, one column per sample`,
        );
      }
      const c = readContext(context, fnApply);
      const state = c.state ?? initState();
      assertRecord(
        state,
        fnApply,
        "context.state",
        "an object { mean, variance } of matrices (from initState)",
      );
      const { mean, variance } = state;
      assertColumn(mean, fnApply, "context.state.mean", features);
      assertColumn(variance, fnApply, "context.state.variance", features);
      const negative = dataOf(variance).findIndex((v) => v < 0);
      if (negative >= 0) {
        throw new RangeError(
          `Expected context.state.variance of ${fnApply} to hold no negative entry, got ${
            dataOf(variance)[negative]
          } in row ${negative}`,
        );
      }
      if (!c.training) {
        // y = γ·(x − running mean)/√(running variance + ε) + β.
        const scaleBy = new Float64Array(features);
        const vd = dataOf(variance);
        for (let i = 0; i < features; i++) {
          scaleBy[i] = 1 / Math.sqrt(vd[i] + epsilon);
        }
        return add(
          mul(params.gamma, mul(sub(x, mean), fromData(features, 1, scaleBy))),
          params.beta,
        );
      }
      const output = batchNormOp(params, x, { epsilon });
      const batch = rowMoments(x);
      const n = x.cols;
      const unbiased = n > 1 ? n / (n - 1) : 1;
      const md = dataOf(mean), vd = dataOf(variance);
      const newMean = new Float64Array(features);
      const newVariance = new Float64Array(features);
      for (let i = 0; i < features; i++) {
        newMean[i] = (1 - momentum) * md[i] + momentum * batch.mean[i];
        newVariance[i] = (1 - momentum) * vd[i] +
          momentum * unbiased * batch.variance[i];
      }
      return {
        output,
        state: Object.freeze({
          mean: fromData(features, 1, newMean),
          variance: fromData(features, 1, newVariance),
        }),
      };
    },
  });
}

/** The shape of each image in a batch: C channels of H x W pixels. */
export type ImageShape = {
  /** C, the number of channels. */
  readonly channels: number;
  /** H, the height in pixels. */
  readonly height: number;
  /** W, the width in pixels. */
  readonly width: number;
};

/** A layer over images that knows the shape of the images it outputs. */
export type ImageLayer<P> = PlainLayer<P> & {
  /** The shape of each output image; its size C·H·W is the output's rows. */
  readonly output: ImageShape;
};

/** Options for {@linkcode conv2d}. */
export type Conv2dLayerOptions = {
  /** F, the number of filters (output channels), from 1 to 4096. */
  readonly filters: number;
  /** k, the side of each square filter. */
  readonly kernel: number;
  /**
   * The step between windows.
   *
   * @default {1}
   */
  readonly stride?: number;
  /**
   * Zeros added around each image.
   *
   * @default {0}
   */
  readonly padding?: number;
};

function imageShape(value: unknown, fn: string): ImageShape {
  assertRecord(
    value,
    fn,
    "input",
    "an image shape { channels, height, width }",
  );
  const o = readOptions(value, fn, ["channels", "height", "width"]);
  return {
    channels: assertInteger(o.channels, fn, "input.channels", 1, 4096),
    height: assertInteger(o.height, fn, "input.height", 1, 65536),
    width: assertInteger(o.width, fn, "input.width", 1, 65536),
  };
}

/**
 * A convolution layer (ゼロから作るDeep Learning §7.4) on the op `conv2d`:
 * F filters of C x k x k over images of the `input` shape, with He
 * initialization, N(0, 2/(C·k·k)), and zero biases. Images are columns of
 * C·H·W rows; its output images are F x OH x OW, given as `layer.output`.
 *
 * @param input The shape of each input image.
 * @param options `filters`, `kernel`, `stride` and `padding`.
 * @returns The layer, with params `{ w: F x (C·k·k), b: F x 1 }`.
 * @throws {TypeError} When a value is not a number or an option is unknown.
 * @throws {RangeError} When a value is out of range, or the geometry does
 * not divide (as the op `conv2d` says).
 *
 * @example The book's SimpleConvNet, first layers
 * ```ts
 * import { layers, relu, sequential, zeros } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const conv = layers.conv2d({ channels: 1, height: 28, width: 28 }, { filters: 30, kernel: 5 });
 * assert.deepEqual(conv.output, { channels: 30, height: 24, width: 24 });
 * const pool = layers.maxPool(conv.output, { size: 2 });
 * const model = sequential([conv, relu, pool, layers.dense(30 * 12 * 12, 10)]);
 * assert.deepEqual(model.apply(model.init(0), zeros(784, 3)).shape, [10, 3]);
 * ```
 */
export function conv2d(
  input: ImageShape,
  options: Conv2dLayerOptions,
): ImageLayer<DenseParams> {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("conv2d(input, options)", arguments.length);
  }
  const fn = "layers.conv2d(input, options)";
  const shape = imageShape(input, fn);
  const o = readOptions(options, fn, [
    "filters",
    "kernel",
    "stride",
    "padding",
  ]);
  const filters = assertInteger(o.filters, fn, "options.filters", 1, 4096);
  const geometry = {
    ...shape,
    kernel: assertInteger(o.kernel, fn, "options.kernel", 1, 65536),
    stride: assertInteger(o.stride ?? 1, fn, "options.stride", 1, 65536),
    padding: assertInteger(o.padding ?? 0, fn, "options.padding", 0, 65536),
  };
  const { channels, kernel, stride, padding } = geometry;
  const size = (side: number) => (side + 2 * padding - kernel) / stride + 1;
  const [oh, ow] = [size(shape.height), size(shape.width)];
  if (!Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1) {
    // The op words the geometry error; let it speak.
    convOp(
      {
        w: fromData(
          filters,
          channels * kernel * kernel,
          new Float64Array(filters * channels * kernel * kernel),
        ),
        b: fromData(filters, 1, new Float64Array(filters)),
      },
      fromData(
        channels * shape.height * shape.width,
        1,
        new Float64Array(channels * shape.height * shape.width),
      ),
      geometry,
    );
  }
  const fanIn = channels * kernel * kernel;
  const name =
    `conv2d(${channels}x${shape.height}x${shape.width}, ${filters} filters ${kernel}x${kernel})`;
  return Object.freeze({
    name,
    output: Object.freeze({ channels: filters, height: oh, width: ow }),
    init: (rng: Rng): DenseParams =>
      Object.freeze({
        w: initWeights(rng, filters, fanIn, "he", `${name}.init(rng)`),
        b: fromData(filters, 1, new Float64Array(filters)),
      }),
    apply: (params: DenseParams, x: Matrix): Matrix =>
      convOp(params, x, geometry),
  });
}

/** Options for {@linkcode maxPool}. */
export type MaxPoolLayerOptions = {
  /** The side of the square pooling window. */
  readonly size: number;
  /**
   * The step between windows.
   *
   * @default {size}
   */
  readonly stride?: number;
};

/**
 * A max-pooling layer (ゼロから作るDeep Learning §7.3) on the op `maxPool`:
 * the largest value of each size x size window of each channel. It has no
 * parameters; its output images are C x OH x OW, given as `layer.output`.
 *
 * @param input The shape of each input image.
 * @param options `size` and `stride` (default `size`).
 * @returns The layer.
 * @throws {TypeError} When a value is not a number or an option is unknown.
 * @throws {RangeError} When a value is out of range, or the geometry does
 * not divide.
 *
 * @example 24x24 pooled by 2 is 12x12
 * ```ts
 * import { layers } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const pool = layers.maxPool({ channels: 30, height: 24, width: 24 }, { size: 2 });
 * assert.deepEqual(pool.output, { channels: 30, height: 12, width: 12 });
 * ```
 */
export function maxPool(
  input: ImageShape,
  options: MaxPoolLayerOptions,
): ImageLayer<Record<string, never>> {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("maxPool(input, options)", arguments.length);
  }
  const fn = "layers.maxPool(input, options)";
  const shape = imageShape(input, fn);
  const o = readOptions(options, fn, ["size", "stride"]);
  const windowSize = assertInteger(o.size, fn, "options.size", 1, 65536);
  const stride = assertInteger(
    o.stride ?? windowSize,
    fn,
    "options.stride",
    1,
    65536,
  );
  const geometry = { ...shape, size: windowSize, stride };
  const side = (n: number) => (n - windowSize) / stride + 1;
  const [oh, ow] = [side(shape.height), side(shape.width)];
  if (!Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1) {
    poolOp(
      fromData(
        shape.channels * shape.height * shape.width,
        1,
        new Float64Array(shape.channels * shape.height * shape.width),
      ),
      geometry,
    );
  }
  return Object.freeze({
    name: `maxPool(${windowSize}x${windowSize})`,
    output: Object.freeze({ channels: shape.channels, height: oh, width: ow }),
    init: () => ({}),
    apply: (_params: Record<string, never>, x: Matrix): Matrix =>
      poolOp(x, geometry),
  });
}
