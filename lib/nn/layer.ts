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

/** What a layer's `apply` receives besides its parameters and input. */
export interface LayerContext<S = Params> extends ApplyOptions {
  /**
   * The layer's state (batch normalization's running averages), from its
   * `initState` or a previous call; `{}` for a layer without state.
   */
  readonly state: S;
}

/** What a layer with state returns: its output and its new state. */
export interface LayerOutput<S = Params> {
  /** The layer's output, one column per sample. */
  readonly output: Matrix;
  /** The layer's new state. */
  readonly state: S;
}

/**
 * A layer: `init` draws its parameters, `apply` maps a batch through them.
 * Both are pure; the same rng state and arguments give the same result.
 * Samples are columns: `apply` takes a k x n Matrix and returns an r x n one.
 * A layer with state (running averages) also has `initState`, and its
 * `apply` returns `{ output, state }`; the state is not trained by the
 * optimizer, as Flax keeps `batch_stats` apart from `params`.
 */
export interface Layer<P = Params, S = Params> {
  /** A short description, such as "dense(2, 16)". */
  readonly name: string;
  /** Draws the layer's parameters (an empty object when it has none). */
  init(rng: Rng): P;
  /** The layer's initial state, for layers that keep one. */
  initState?(): S;
  /** The layer's output for the batch `x`, one column per sample. */
  apply(
    params: P,
    x: Matrix,
    context: LayerContext<S>,
  ): Matrix | LayerOutput<S>;
}

/**
 * A layer without state: its `apply` returns a Matrix, and may be called
 * without a context (evaluation mode).
 */
export interface PlainLayer<P = Params> extends Layer<P> {
  /** The layer's output for the batch `x`, one column per sample. */
  apply(params: P, x: Matrix, context?: LayerContext): Matrix;
}

/**
 * What {@linkcode sequential} accepts as a layer: a {@linkcode Layer}, or any
 * differentiable Matrix → Matrix function (such as `relu` or `tanh`), which
 * is a layer with no parameters.
 */
// deno-lint-ignore no-explicit-any
export type LayerLike = Layer<any, any> | ((x: Matrix) => Matrix);
