/**
 * {@linkcode sequential}: a model as a chain of layers, with a pure
 * `init(seed)` and `apply(params, x, options)`.
 *
 * @module
 */
import {
  arrayCallback,
  assertInteger,
  assertMatrix,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { isMatrix, type Matrix } from "../core/_matrix.ts";
import { createRng } from "../core/random.ts";
import type { Params } from "../autodiff/grad.ts";
import type { ApplyOptions, Layer, LayerLike, LayerOutput } from "./layer.ts";

/** Options of a model's `apply`: training or evaluation, randomness, state. */
export interface ModelApplyOptions extends ApplyOptions {
  /**
   * The layers' state (one entry per layer), from `model.initState()` or a
   * previous `applyWithState`, such as batch normalization's running
   * averages after training.
   *
   * @default {model.initState()}
   */
  state?: readonly Params[];
}

/** A model made by {@linkcode sequential}. */
export interface Model {
  /** The layers, in order; functions given to `sequential` become layers. */
  readonly layers: readonly Layer[];
  /**
   * Draws every layer's parameters from one seeded generator.
   *
   * @param seed A safe integer; the same seed gives the same parameters.
   * @returns An array with one entry per layer (`{}` for a layer without
   * parameters).
   */
  init(seed: number): Params[];
  /**
   * The layers' initial state: one entry per layer, `{}` for a layer
   * without state.
   *
   * @returns A fresh array.
   */
  initState(): Params[];
  /**
   * Runs a batch through every layer in turn. Pure; `grad` differentiates
   * through it.
   *
   * @param params The parameters from `init` (or trained by `fit`).
   * @param x The inputs, one column per sample.
   * @param options `training`, `rng` and `state` for layers that need them.
   * @returns The last layer's output, one column per sample.
   */
  apply(
    params: readonly Params[],
    x: Matrix,
    options?: ModelApplyOptions,
  ): Matrix;
  /**
   * {@linkcode Model.apply}, also returning every layer's new state (such
   * as running averages updated in training).
   *
   * @param params The parameters.
   * @param x The inputs, one column per sample.
   * @param options `training`, `rng` and `state`.
   * @returns The output and the new state, one entry per layer.
   */
  applyWithState(
    params: readonly Params[],
    x: Matrix,
    options?: ModelApplyOptions,
  ): { output: Matrix; state: Params[] };
}

function asLayer(value: unknown, index: number, fn: string): Layer {
  if (typeof value === "function") {
    const f = value as (x: Matrix) => Matrix;
    return {
      name: f.name || "function",
      init: () => ({}),
      apply: (_params, x) => f(x),
    };
  }
  if (
    typeof value === "object" && value !== null &&
    typeof (value as Layer).init === "function" &&
    typeof (value as Layer).apply === "function"
  ) {
    return value as Layer;
  }
  throw new TypeError(
    `Expected layers[${index}] of ${fn} to be a layer { init, apply } (such as layers.dense(2, 16)) or a Matrix → Matrix function (such as relu), got ${
      describe(value)
    }`,
  );
}

/**
 * Composes layers into a model, as JAX's `stax.serial`: `init(seed)` draws
 * the parameters of every layer, `apply(params, x)` runs x through them in
 * order. A layer is anything with `init` and `apply` (see
 * {@linkcode Layer}), such as `layers.dense(2, 16)`, or any differentiable
 * Matrix → Matrix function such as `relu`, a layer without parameters.
 * Images and other inputs are already flat columns, so no `flatten` is
 * needed.
 *
 * @param layers The layers, from input to output; at least one.
 * @returns The model.
 * @throws {TypeError} When `layers` is not an array of layers and functions.
 * @throws {RangeError} When `layers` is empty.
 *
 * @example A 2-16-3 classifier
 * ```ts
 * import { layers, matrix, relu, sequential } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const model = sequential([layers.dense(2, 16), relu, layers.dense(16, 3)]);
 * const params = model.init(0);
 * const logits = model.apply(params, matrix([[0.5, -1], [2, 0]]));
 * assert.deepEqual(logits.shape, [3, 2]);
 * ```
 */
export function sequential(layers: readonly LayerLike[]): Model {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("sequential(layers)", arguments.length);
  }
  const fn = "sequential(layers)";
  if (!Array.isArray(layers)) {
    throw new TypeError(
      `Expected layers of ${fn} to be an array of layers, got ${
        describe(layers)
      }`,
    );
  }
  if (layers.length === 0) {
    throw new RangeError(`Expected layers of ${fn} to hold at least one layer`);
  }
  const chain = Object.freeze(layers.map((l, i) => asLayer(l, i, fn)));
  const initState = (): Params[] =>
    chain.map((layer) => layer.initState ? layer.initState() : {});
  // fnApply names the method called, apply or applyWithState.
  const run = (
    params: readonly Params[],
    x: Matrix,
    options: ModelApplyOptions,
    fnApply: string,
  ): { output: Matrix; state: Params[] } => {
    if (!Array.isArray(params) || params.length !== chain.length) {
      throw new TypeError(
        `Expected params of ${fnApply} to be an array of ${chain.length} layer parameters (from model.init), got ${
          describe(params)
        }`,
      );
    }
    assertMatrix(x, fnApply, "x");
    const o = readOptions(options, fnApply, ["training", "rng", "state"]);
    const training = o.training ?? false;
    if (typeof training !== "boolean") {
      throw new TypeError(
        `Expected options.training of ${fnApply} to be a boolean, got ${
          describe(training)
        }`,
      );
    }
    const state = (o.state ?? initState()) as readonly Params[];
    if (!Array.isArray(state) || state.length !== chain.length) {
      throw new TypeError(
        `Expected options.state of ${fnApply} to be an array of ${chain.length} layer states (from model.initState), got ${
          describe(state)
        }`,
      );
    }
    const rng = options.rng;
    const next: Params[] = new Array(chain.length);
    let y = x;
    for (let i = 0; i < chain.length; i++) {
      const result = chain[i].apply(params[i], y, {
        training,
        rng,
        state: state[i],
      });
      if (isMatrix(result)) {
        y = result;
        next[i] = state[i];
      } else {
        y = (result as LayerOutput).output;
        next[i] = (result as LayerOutput).state;
      }
    }
    return { output: y, state: next };
  };
  return Object.freeze({
    layers: chain,
    init(seed: number): Params[] {
      assertInteger(
        seed,
        "model.init(seed)",
        "seed",
        Number.MIN_SAFE_INTEGER,
        Number.MAX_SAFE_INTEGER,
      );
      const rng = createRng(seed);
      return chain.map((layer) => layer.init(rng));
    },
    initState,
    apply: (
      params: readonly Params[],
      x: Matrix,
      options: ModelApplyOptions = {},
    ): Matrix =>
      run(params, x, options, "model.apply(params, x, options)").output,
    applyWithState: (
      params: readonly Params[],
      x: Matrix,
      options: ModelApplyOptions = {},
    ) => run(params, x, options, "model.applyWithState(params, x, options)"),
  });
}
