/**
 * {@linkcode mlp}: a multi-layer perceptron in one call, built on
 * {@linkcode sequential} and `layers.dense`.
 *
 * @module
 */
import {
  arrayCallback,
  assertChoice,
  assertInteger,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import type { Matrix } from "../core/_matrix.ts";
import type { Params } from "../autodiff/grad.ts";
import { relu, sigmoid, tanh } from "../ops/activations.ts";
import { dense } from "./layers.ts";
import type { LayerLike } from "./layer.ts";
import { type Model, sequential } from "./sequential.ts";

/** The activations {@linkcode mlp} can put after its dense layers. */
export type Activation = "identity" | "relu" | "sigmoid" | "tanh";

const ACTIVATIONS: readonly Activation[] = [
  "identity",
  "relu",
  "sigmoid",
  "tanh",
];
const FUNCTIONS: Record<Activation, ((x: Matrix) => Matrix) | null> = {
  identity: null,
  relu,
  sigmoid,
  tanh,
};

/** Options for {@linkcode mlp}. */
export interface MlpOptions {
  /**
   * The activation of the hidden layers.
   *
   * @default {"relu"}
   */
  activation?: Activation;
  /**
   * The activation of the output layer; "identity" gives logits, which
   * `softmaxCrossEntropy` takes.
   *
   * @default {"identity"}
   */
  output?: Activation;
  /**
   * The initial weights (see `layers.dense`).
   *
   * @default {"he" for relu hidden layers, "xavier" otherwise}
   */
  init?: "he" | "xavier";
}

/** A model and its initial parameters. */
export interface ModelAndParams {
  /** The model: `model.apply(params, x)` runs it. */
  readonly model: Model;
  /** The parameters drawn from the seed. */
  readonly params: Params[];
}

/**
 * A multi-layer perceptron: dense layers with an activation after each, as
 * `sequential([layers.dense(k, h), relu, …, layers.dense(h, r)])`, and its
 * parameters drawn from `seed`.
 *
 * @param sizes The width of each layer from input to output, at least two
 * integers from 1 to 65536: `[2, 100, 3]` maps 2 inputs through 100 hidden
 * units to 3 outputs.
 * @param seed The seed of the initial weights, a safe integer.
 * @param options The activations and the initialization.
 * @returns `{ model, params }`; the same arguments give the same parameters.
 * @throws {TypeError} When `sizes` is not an array, an option is unknown or
 * not one of the names it accepts, or `seed` is not a number.
 * @throws {RangeError} When a size is out of range, a layer would hold more
 * than 2^26 weights, there are fewer than two widths or more than 1024, or
 * `seed` is not a safe integer.
 *
 * @example A 2-4-1 network for XOR
 * ```ts
 * import { matrix, mlp } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { model, params } = mlp([2, 4, 1], 42, { activation: "tanh", output: "sigmoid" });
 * assert.equal(params.length, 4); // dense, tanh, dense, sigmoid
 * assert.deepEqual(model.apply(params, matrix([[0, 1], [1, 0]])).shape, [1, 2]);
 * ```
 */
export function mlp(
  sizes: readonly number[],
  seed: number,
  options: MlpOptions = {},
): ModelAndParams {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments("mlp(sizes, seed, options)", arguments.length, 2);
  }
  const fn = "mlp(sizes, seed, options)";
  if (!Array.isArray(sizes)) {
    throw new TypeError(
      `Expected sizes of ${fn} to be an array of layer widths such as [2, 16, 1], got ${
        describe(sizes)
      }`,
    );
  }
  if (sizes.length < 2 || sizes.length > 1024) {
    throw new RangeError(
      `Expected sizes of ${fn} to hold at least two widths (inputs and outputs) and at most 1024, got ${sizes.length}`,
    );
  }
  for (let i = 0; i < sizes.length; i++) {
    assertInteger(sizes[i], fn, `sizes[${i}]`, 1, 65536);
    if (i > 0 && sizes[i] * sizes[i - 1] > 2 ** 26) {
      throw new RangeError(
        `Cannot make a layer of ${sizes[i - 1]} inputs and ${
          sizes[i]
        } outputs in ${fn}: its weights would hold more than 2^26 entries`,
      );
    }
  }
  assertInteger(
    seed,
    fn,
    "seed",
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  );
  const o = readOptions(options, fn, ["activation", "output", "init"]);
  const activation = assertChoice(
    o.activation ?? "relu",
    fn,
    "options.activation",
    ACTIVATIONS,
  );
  const output = assertChoice(
    o.output ?? "identity",
    fn,
    "options.output",
    ACTIVATIONS,
  );
  const init = assertChoice(
    o.init ?? (activation === "relu" ? "he" : "xavier"),
    fn,
    "options.init",
    ["he", "xavier"],
  );
  const chain: LayerLike[] = [];
  for (let l = 1; l < sizes.length; l++) {
    chain.push(dense(sizes[l - 1], sizes[l], { init }));
    const f = FUNCTIONS[l === sizes.length - 1 ? output : activation];
    if (f !== null) chain.push(f);
  }
  const model = sequential(chain);
  return Object.freeze({ model, params: model.init(seed) });
}
