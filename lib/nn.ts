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
  assertMatrix,
  dataOf,
  fromData,
  type Matrix,
  readOptions,
  shapeText,
} from "./_matrix.ts";
import { countCorrect } from "./_nn_kernels.ts";
import {
  checkActivation,
  checkInput,
  checkLayer,
  checkLoss,
  checkMlp,
  checkSamples,
  denseData,
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

/** The most widths {@linkcode mlp} accepts: inputs, 1023 layers. */
const MAX_WIDTHS = 1024;

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
 * @throws {TypeError} When `sizes` is not an array, `options` is not an
 * object or has an unknown key, an option is not one of the names it
 * accepts, or `seed` is not a number.
 * @throws {RangeError} When a size is not an integer from 1 to 65536, there
 * are fewer than two or more than 1024, a layer would have more than 2^26
 * weights, or `seed` is not a safe integer.
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
  const length = sizes.length;
  if (length < 2 || length > MAX_WIDTHS) {
    throw new RangeError(
      `Expected sizes of ${fn} to hold at least two widths (inputs and outputs) and at most ${MAX_WIDTHS}, got ${length}`,
    );
  }
  // Each width is read once, into a copy that the rest of mlp uses.
  const widths: unknown[] = new Array(length);
  for (let i = 0; i < length; i++) widths[i] = sizes[i];
  widths.forEach((s, i) => {
    if (typeof s !== "number" || !Number.isInteger(s) || s < 1 || s > 65536) {
      throw new RangeError(
        `Expected sizes[${i}] of ${fn} to be a positive integer up to 65536, got ${
          describe(s)
        }`,
      );
    }
    if (i > 0 && s * (widths[i - 1] as number) > 2 ** 26) {
      throw new RangeError(
        `Cannot make a layer of ${
          widths[i - 1]
        } inputs and ${s} outputs in ${fn}: its weights would hold more than 2^26 entries`,
      );
    }
  });
  if (typeof seed !== "number") {
    throw new TypeError(
      `Expected seed of ${fn} to be a safe integer, got ${describe(seed)}`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(
      `Expected seed of ${fn} to be a safe integer, got ${seed}`,
    );
  }
  const o = readOptions(options, fn, ["activation", "output", "init"]);
  const activation = o.activation ?? "relu";
  checkActivation(activation, fn, "options.activation");
  const output = o.output ?? "identity";
  checkActivation(output, fn, "options.output");
  const init = o.init ?? (activation === "relu" ? "he" : "xavier");
  if (init !== "he" && init !== "xavier") {
    throw new TypeError(
      `Expected options.init of ${fn} to be "he" or "xavier", got ${
        describe(init)
      }`,
    );
  }
  const rng = createRng(seed);
  const layers: Dense[] = [];
  for (let l = 1; l < widths.length; l++) {
    const fanIn = widths[l - 1] as number, fanOut = widths[l] as number;
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
 * @throws {TypeError} When `layer` is not `{ w, b }` of matrices, `x` is
 * not a Matrix or `activation` is not a known name.
 * @throws {RangeError} When the shapes do not fit, or an output overflows.
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
  const { w, b } = checkLayer(layer, fn, "layer");
  assertMatrix(x, fn, "x");
  if (x.rows !== w.cols) {
    throw new RangeError(
      `Cannot feed x ${shapeText(x)} to a layer of weights ${
        shapeText(w)
      } in ${fn}: x must have ${w.cols} rows, one column per sample`,
    );
  }
  checkActivation(activation, fn, "activation");
  // Inside grad(), build the layer from the traced ops so that it can be
  // differentiated; outside, in one fused pass that rounds alike.
  if (activeTape !== null) {
    const u = add(dot(w, x), b);
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
  const y = denseData(w, b, x, activation);
  assertFiniteResult(y, fn);
  return fromData(w.rows, x.cols, y);
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
  const net = checkMlp(model, fn);
  checkInput(net, x, fn, "x");
  const L = net.layers.length;
  if (activeTape !== null) {
    let a = x;
    for (let l = 0; l < L; l++) {
      a = dense(
        net.layers[l],
        a,
        l === L - 1 ? net.output : net.activation,
      );
    }
    return a;
  }
  const acts = forwardAll(net, dataOf(x), x.cols);
  const y = acts[L];
  assertFiniteResult(y, fn);
  return fromData(net.layers[L - 1].w.rows, x.cols, y);
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
  const net = checkMlp(model, fn);
  const { x, d } = checkSamples(net, data, fn);
  checkLoss(loss, fn, "loss");
  const result = lossAndGradients(net, dataOf(x), dataOf(d), x.cols, loss);
  if (!Number.isFinite(result.loss)) {
    throw new RangeError(
      `Cannot compute ${fn}: the loss is ${result.loss}`,
    );
  }
  const grad = net.layers.map((layer, l) => {
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
  const net = checkMlp(model, fn);
  const samples = checkSamples(net, data, fn);
  checkLoss(loss, fn, "loss");
  return evaluateChecked(net, samples, loss, fn);
}

/** {@linkcode evaluate} on checked arguments (internal; for fit too). */
export function evaluateChecked(
  net: Mlp,
  { x, d }: Samples,
  loss: LossName,
  fn: string,
): Evaluation {
  const n = x.cols;
  const L = net.layers.length;
  const y = forwardAll(net, dataOf(x), n)[L];
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
