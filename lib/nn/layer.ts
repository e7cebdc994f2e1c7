/**
 * The layer interface that {@linkcode sequential} composes: a pure
 * `init`/`apply` pair, as in JAX's stax and Flax.
 *
 * @module
 */
import type { Matrix } from "../core/_matrix.ts";
import type { Rng } from "../core/random.ts";
import type { Params } from "../autodiff/grad.ts";

/** What `apply` may be told about the call. */
export interface ApplyOptions {
  /**
   * Training or evaluation. Layers that behave differently in training
   * (dropout, batch normalization) read it.
   *
   * @default {false}
   */
  training?: boolean;
  /**
   * Randomness for layers that draw it in training (dropout's mask), seeded
   * by the caller.
   *
   * @default {undefined} (layers that need it throw when training)
   */
  rng?: Rng;
}

/**
 * A layer: `init` draws its parameters, `apply` maps a batch through them.
 * Both are pure; the same rng state and arguments give the same result.
 * Samples are columns: `apply` takes a k x n Matrix and returns an r x n one.
 */
export interface Layer<P = Params> {
  /** A short description, such as "dense(2, 16)". */
  readonly name: string;
  /** Draws the layer's parameters (an empty object when it has none). */
  init(rng: Rng): P;
  /** The layer's output for the batch `x`, one column per sample. */
  apply(params: P, x: Matrix, options: ApplyOptions): Matrix;
}

/**
 * What {@linkcode sequential} accepts as a layer: a {@linkcode Layer}, or any
 * differentiable Matrix → Matrix function (such as `relu` or `tanh`), which
 * is a layer with no parameters.
 */
// deno-lint-ignore no-explicit-any
export type LayerLike = Layer<any> | ((x: Matrix) => Matrix);
