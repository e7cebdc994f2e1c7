/**
 * Multi-layer perceptrons: dense layers with activations, composed into a
 * network whose parameters are plain immutable data. {@linkcode mlp} builds
 * one with Xavier or He initial weights from an explicit seed,
 * {@linkcode predict} runs it, and {@linkcode mlpValueAndGrad} computes the
 * loss and its gradient by a fused backward pass (proved equal to `grad` of
 * `predict` by the tests).
 *
 * Samples are columns, as in the article: a layer maps a k x n batch to an
 * r x n batch by u = w·x + b, then applies its activation.
 *
 * @module
 */
import { describe } from "./_describe.ts";
import {
  assertFiniteResult,
  dataOf,
  fromData,
  type Matrix,
} from "./_matrix.ts";
import { countCorrect } from "./_nn_kernels.ts";
import {
  checkActivation,
  checkInput,
  checkLoss,
  checkMlp,
  checkSamples,
  forwardAll,
  lossAndGradients,
  lossOf,
} from "./_mlp.ts";
import { activeTape } from "./_tape.ts";
import { add, dot } from "./ops.ts";
import { relu, sigmoid, tanh } from "./activations.ts";
import { createRng } from "./random.ts";
import type { Samples } from "./perceptron.ts";
import type { ValueAndGrad } from "./autodiff.ts";

/** The function a layer applies after its affine map u = w·x + b. */
export type Activation = "identity" | "relu" | "sigmoid" | "tanh";

/** The losses that {@linkcode mlpValueAndGrad} and `fit` can minimise. */
export type LossName = "softmaxCrossEntropy" | "mse" | "squaredError";

/** The parameters of one dense layer. */
export interface Dense {
  /** Weights, r x k: one row per output, one column per input. */
  readonly w: Matrix;
  /** Bias, r x 1: one entry per output. */
  readonly b: Matrix;
}

/**
 * A multi-layer perceptron: its parameters (`layers`, the part to
 * differentiate and train) and its activations.
 */
export interface Mlp {
  /** One dense layer per step of the network, from input to output. */
  readonly layers: readonly Dense[];
  /** The activation of every layer but the last. */
  readonly activation: Activation;
  /** The activation of the last layer ("identity" gives logits). */
  readonly output: Activation;
}

/** Options for {@linkcode mlp}. */
export interface MlpOptions {
  /**
   * The activation of the hidden layers.
   *
   * @default {"relu"}
   */
  activation?: Activation;
  /**
   * The activation of the output layer; "identity" suits
   * `softmaxCrossEntropy`, which takes logits.
   *
   * @default {"identity"}
   */
  output?: Activation;
  /**
   * The initial weights: "he" draws from N(0, 2/fanIn), "xavier" from
   * U(±√(6/(fanIn + fanOut))). Biases start at zero.
   *
   * @default {"he" for relu hidden layers, "xavier" otherwise}
   */
  init?: "he" | "xavier";
}

/**
 * Builds an MLP with the given layer sizes and seeded random initial weights.
 *
 * @param sizes The width of each layer from input to output, at least two
 * positive integers: `[2, 100, 3]` maps 2 inputs through 100 hidden units to
 * 3 outputs.
 * @param seed The seed of the initial weights, a safe integer.
 * @param options The activations and the initialisation.
 * @returns A new network; the same arguments always give the same network.
 * @throws {TypeError} When `sizes` is not an array, an option is not one of
 * the names it accepts, or `seed` is not a number.
 * @throws {RangeError} When a size is not a positive integer, there are fewer
 * than two, or `seed` is not a safe integer.
 *
 * @example A 2-4-1 network
 * ```ts
 * import { mlp } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const net = mlp([2, 4, 1], 42, { activation: "tanh", output: "sigmoid" });
 * assert.equal(net.layers.length, 2);
 * assert.deepEqual(net.layers[0].w.shape, [4, 2]);
 * assert.deepEqual(net.layers[1].b.shape, [1, 1]);
 * assert.deepEqual(mlp([2, 4, 1], 42, { activation: "tanh" }).layers, net.layers);
 * ```
 */
export function mlp(
  sizes: readonly number[],
  seed: number,
  options: MlpOptions = {},
): Mlp {
  const fn = "mlp(sizes, seed, options)";
  if (!Array.isArray(sizes)) {
    throw new TypeError(
      `Expected sizes of ${fn} to be an array of layer widths such as [2, 16, 1], got ${
        describe(sizes)
      }`,
    );
  }
  if (sizes.length < 2) {
    throw new RangeError(
      `Expected sizes of ${fn} to hold at least two widths (inputs and outputs), got ${sizes.length}`,
    );
  }
  sizes.forEach((s, i) => {
    if (typeof s !== "number" || !Number.isInteger(s) || s < 1 || s > 65536) {
      throw new RangeError(
        `Expected sizes[${i}] of ${fn} to be a positive integer up to 65536, got ${
          describe(s)
        }`,
      );
    }
  });
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Expected options of ${fn} to be an object, got ${describe(options)}`,
    );
  }
  const activation = options.activation ?? "relu";
  checkActivation(activation, fn, "options.activation");
  const output = options.output ?? "identity";
  checkActivation(output, fn, "options.output");
  const init = options.init ?? (activation === "relu" ? "he" : "xavier");
  if (init !== "he" && init !== "xavier") {
    throw new TypeError(
      `Expected options.init of ${fn} to be "he" or "xavier", got ${
        describe(init)
      }`,
    );
  }
  const rng = createRng(seed);
  const layers: Dense[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1], fanOut = sizes[l];
    const w = new Float64Array(fanOut * fanIn);
    if (init === "he") {
      const sd = Math.sqrt(2 / fanIn);
      for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, sd);
    } else {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
    }
    layers.push(
      Object.freeze({
        w: fromData(fanOut, fanIn, w),
        b: fromData(fanOut, 1, new Float64Array(fanOut)),
      }),
    );
  }
  return Object.freeze({
    layers: Object.freeze(layers),
    activation,
    output,
  });
}

/**
 * One dense layer: `activation(w·x + b)`, built from the toolkit's
 * differentiable ops, so `grad` can differentiate through it.
 *
 * @param layer The weights `w` (r x k) and bias `b` (r x 1).
 * @param x The inputs, k x n: one column per sample.
 * @param activation The function applied to w·x + b.
 * @returns The outputs, r x n.
 * @throws {TypeError} When an argument is not a Matrix or `activation` is
 * not a known name.
 * @throws {RangeError} When the shapes do not fit.
 *
 * @example The article's model is one dense layer
 * ```ts
 * import { dense, matrix, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const b = matrix([[1.2], [3.4]]);
 * const x = matrix([[5], [2], [7]]);
 * assert.deepEqual(toArray(dense({ w, b }, x)), [[-3.8], [9.5]]);
 * assert.deepEqual(toArray(dense({ w, b }, x, "relu")), [[0], [9.5]]);
 * ```
 */
export function dense(
  layer: Dense,
  x: Matrix,
  activation: Activation = "identity",
): Matrix {
  const fn = "dense(layer, x, activation)";
  if (typeof layer !== "object" || layer === null) {
    throw new TypeError(
      `Expected layer of ${fn} to be an object { w, b } of matrices, got ${
        describe(layer)
      }`,
    );
  }
  checkActivation(activation, fn, "activation");
  const u = add(dot(layer.w, x), layer.b);
  switch (activation) {
    case "relu":
      return relu(u);
    case "sigmoid":
      return sigmoid(u);
    case "tanh":
      return tanh(u);
    default:
      return u;
  }
}

/**
 * Runs the network on a batch of inputs: each layer computes
 * activation(w·x + b), the last one with the output activation. Pure: the
 * model and the inputs are unchanged. Inside `grad` it is built from the
 * differentiable ops (so networks can be differentiated); outside, it runs a
 * faster fused loop, whose results agree to rounding.
 *
 * @param model The network.
 * @param x The inputs, k x n: one column per sample.
 * @returns The outputs of the last layer, one column per sample.
 * @throws {TypeError} When `model` is not an MLP or `x` not a Matrix.
 * @throws {RangeError} When `x` does not have one row per input of the
 * network, or an output overflows.
 *
 * @example XOR by hand: a 2-2-1 network of steep sigmoids
 * ```ts
 * import { matrix, predict, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const model = {
 *   layers: [
 *     { w: matrix([[20, 20], [-20, -20]]), b: matrix([[-10], [30]]) },
 *     { w: matrix([[20, 20]]), b: matrix([[-30]]) },
 *   ],
 *   activation: "sigmoid",
 *   output: "sigmoid",
 * } as const;
 * const x = matrix([[0, 0, 1, 1], [0, 1, 0, 1]]);
 * const y = toArray(predict(model, x))[0].map(Math.round);
 * assert.deepEqual(y, [0, 1, 1, 0]);
 * ```
 */
export function predict(model: Mlp, x: Matrix): Matrix {
  const fn = "predict(model, x)";
  checkMlp(model, fn);
  checkInput(model, x, fn, "x");
  const L = model.layers.length;
  if (activeTape !== null) {
    let a = x;
    for (let l = 0; l < L; l++) {
      a = dense(
        model.layers[l],
        a,
        l === L - 1 ? model.output : model.activation,
      );
    }
    return a;
  }
  const acts = forwardAll(model, dataOf(x), x.cols);
  const y = acts[L];
  assertFiniteResult(y, fn);
  return fromData(model.layers[L - 1].w.rows, x.cols, y);
}

/**
 * The loss of the network on a batch and its gradient with respect to every
 * layer's parameters, by a fused forward and backward pass (backpropagation
 * written out by hand, in plain float64). It equals
 * `valueAndGrad((layers) => loss(predict({ ...model, layers }, data.x), data.d))(model.layers)`
 * to rounding, and is several times faster.
 *
 * @param model The network.
 * @param data Inputs `x` (k x n) and targets `d` (r x n), one column per sample.
 * @param loss Which loss: "softmaxCrossEntropy" (on the network's output as
 * logits, averaged over samples), "mse" (averaged over entries) or
 * "squaredError" (the article's sum).
 * @returns `{ value, grad }`: the loss and, with the structure of
 * `model.layers`, its gradient.
 * @throws {TypeError} When `model` is not an MLP, `data` lacks a Matrix or
 * `loss` is not one of the names above.
 * @throws {RangeError} When the shapes do not fit, or the loss or gradient
 * is not finite.
 *
 * @example The fused gradient agrees with automatic differentiation
 * ```ts
 * import { matrix, mlp, mlpValueAndGrad, predict, softmaxCrossEntropy, toArray, valueAndGrad } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const model = mlp([2, 3, 2], 1);
 * const x = matrix([[0.5, -1], [2, 0.1]]);
 * const d = matrix([[1, 0], [0, 1]]);
 * const fused = mlpValueAndGrad(model, { x, d });
 * const auto = valueAndGrad((layers: typeof model.layers) =>
 *   softmaxCrossEntropy(predict({ ...model, layers }, x), d)
 * )(model.layers);
 * assert.ok(Math.abs(fused.value - auto.value) < 1e-12);
 * const a = toArray(fused.grad[0].w).flat(), b = toArray(auto.grad[0].w).flat();
 * a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12));
 * ```
 */
export function mlpValueAndGrad(
  model: Mlp,
  data: Samples,
  loss: LossName = "softmaxCrossEntropy",
): ValueAndGrad<readonly Dense[]> {
  const fn = "mlpValueAndGrad(model, data, loss)";
  checkMlp(model, fn);
  checkSamples(model, data, fn);
  checkLoss(loss, fn, "loss");
  const { x, d } = data;
  const result = lossAndGradients(model, dataOf(x), dataOf(d), x.cols, loss);
  if (!Number.isFinite(result.loss)) {
    throw new RangeError(
      `Cannot compute ${fn}: the loss is ${result.loss}`,
    );
  }
  const grad = model.layers.map((layer, l) => {
    const gw = result.grads[2 * l], gb = result.grads[2 * l + 1];
    assertFiniteResult(gw, fn, "the gradient");
    assertFiniteResult(gb, fn, "the gradient");
    return Object.freeze({
      w: fromData(layer.w.rows, layer.w.cols, gw),
      b: fromData(layer.b.rows, 1, gb),
    });
  });
  return { value: result.loss, grad: Object.freeze(grad) };
}

/** What {@linkcode evaluate} returns. */
export interface Evaluation {
  /** The loss over all samples. */
  readonly loss: number;
  /** The fraction of samples classified correctly (see `accuracy`). */
  readonly accuracy: number;
}

/**
 * The loss and accuracy of a network on a dataset.
 *
 * @param model The network.
 * @param data Inputs `x` (k x n) and targets `d` (r x n), one column per sample.
 * @param loss Which loss (see {@linkcode mlpValueAndGrad}).
 * @returns The loss and the accuracy, as `accuracy(predict(model, x), d)`.
 * @throws {TypeError} When `model` is not an MLP, `data` lacks a Matrix or
 * `loss` is not a known name.
 * @throws {RangeError} When the shapes do not fit, or the loss overflows.
 *
 * @example Usage
 * ```ts
 * import { evaluate, matrix, mlp } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const model = mlp([1, 2], 0);
 * const x = matrix([[0, 0]]);
 * const d = matrix([[1, 0], [0, 1]]);
 * const { loss, accuracy } = evaluate(model, { x, d });
 * assert.equal(loss, Math.LN2); // all-zero logits: a fair coin
 * assert.equal(accuracy, 0.5); // ties go to the first class
 * ```
 */
export function evaluate(
  model: Mlp,
  data: Samples,
  loss: LossName = "softmaxCrossEntropy",
): Evaluation {
  const fn = "evaluate(model, data, loss)";
  checkMlp(model, fn);
  checkSamples(model, data, fn);
  checkLoss(loss, fn, "loss");
  const { x, d } = data;
  const n = x.cols;
  const L = model.layers.length;
  const y = forwardAll(model, dataOf(x), n)[L];
  const r = d.rows;
  const value = lossOf(loss, y, dataOf(d), r, n);
  if (!Number.isFinite(value)) {
    throw new RangeError(`Cannot compute ${fn}: the loss is ${value}`);
  }
  return {
    loss: value,
    accuracy: countCorrect(y, dataOf(d), r, n) / n,
  };
}
