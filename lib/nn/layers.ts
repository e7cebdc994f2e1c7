/**
 * Layers for {@linkcode sequential}, exported from mod.ts as the `layers`
 * namespace (as TensorFlow.js keeps `tf.layers.dense` apart from the op
 * `tf.relu`). Activations such as `relu` need no wrapper: any
 * differentiable Matrix → Matrix function is a layer.
 *
 * @module
 */
import {
  assertChoice,
  assertInteger,
  assertMatrix,
  assertRecord,
  readOptions,
} from "../core/_checks.ts";
import { fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import type { Rng } from "../core/random.ts";
import { dot } from "../ops/linalg.ts";
import { add } from "../ops/arithmetic.ts";
import type { Layer } from "./layer.ts";

/** The parameters of a dense layer. */
export interface DenseParams {
  /** Weights, outputs x inputs: one row per output, one column per input. */
  readonly w: Matrix;
  /** Bias, outputs x 1. */
  readonly b: Matrix;
}

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

/** Initial weights drawn from `rng`, as {@linkcode DenseOptions.init} says. */
export function initWeights(
  rng: Rng,
  outputs: number,
  inputs: number,
  init: "he" | "xavier",
): Matrix {
  const w = new Float64Array(outputs * inputs);
  if (init === "he") {
    const sd = Math.sqrt(2 / inputs);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, sd);
  } else {
    const limit = Math.sqrt(6 / (inputs + outputs));
    for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
  }
  return fromData(outputs, inputs, w);
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
 * assert.deepEqual(layer.apply(params, matrix([[5], [2], [7]]), {}).shape, [2, 1]);
 * ```
 */
export function dense(
  inputs: number,
  outputs: number,
  options: DenseOptions = {},
): Layer<DenseParams> {
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
  return Object.freeze({
    name,
    init: (rng: Rng): DenseParams =>
      Object.freeze({
        w: initWeights(rng, outputs, inputs, init),
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
