/**
 * Activations: elementwise functions for networks, each one definition of
 * its forward and its derivative. {@linkcode sigmoid}, {@linkcode tanh},
 * {@linkcode relu}, {@linkcode leakyRelu}, {@linkcode softplus},
 * {@linkcode exp} and {@linkcode log}. Each is a differentiable op, and each
 * is also a layer with no parameters for `sequential`.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertMatrix,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix } from "../core/_matrix.ts";
import { sigmoidOf } from "../kernels/_nn.ts";
import { defineOp } from "../autodiff/define_op.ts";

/** An elementwise function of one matrix, such as an activation. */
export type Elementwise = (m: Matrix) => Matrix;

/** The definition of an elementwise op: two loops over row-major arrays. */
interface ElementwiseSpec {
  /** The op's name, as in `relu(m)`. */
  readonly name: string;
  /** Writes f(x) into `y`; may throw a RangeError for inputs out of its domain. */
  readonly forward: (x: Float64Array, y: Float64Array, fn: string) => void;
  /**
   * True when f of a finite number is always finite (relu, sigmoid, tanh):
   * the result then skips the finite check, a second pass over it.
   */
  readonly bounded?: boolean;
  /**
   * What to tell a caller who passes a second argument, such as the options
   * the function does not have.
   */
  readonly extraArgumentHint?: string;
  /** Writes g ⊙ f′(x) into `out`, given the input x and the output y = f(x). */
  readonly backward: (
    g: Float64Array,
    x: Float64Array,
    y: Float64Array,
    out: Float64Array,
  ) => void;
}

/**
 * Makes an elementwise op from its two loops, with the boundary checks: one
 * Matrix argument and no more (a second would be ignored silently), and a
 * finite result. Adding an activation is one call of this.
 */
export function elementwise(spec: ElementwiseSpec): Elementwise {
  const fn = `${spec.name}(m)`;
  const bounded = spec.bounded === true;
  const op = defineOp({
    name: spec.name,
    forward: (m: Matrix) => {
      const y = new Float64Array(m.rows * m.cols);
      spec.forward(dataOf(m), y, fn);
      if (!bounded) assertFiniteResult(y, fn);
      return fromData(m.rows, m.cols, y);
    },
    backward: (g, { args: [m], output }) => {
      const out = new Float64Array(g.rows * g.cols);
      spec.backward(dataOf(g), dataOf(m), dataOf(output), out);
      return fromData(g.rows, g.cols, out);
    },
  });
  const hint = spec.extraArgumentHint;
  // A function, not an arrow: it counts its arguments.
  return function (m: Matrix): Matrix {
    if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
      throw tooManyArguments(fn, arguments.length, undefined, hint);
    }
    assertMatrix(m, fn, "m");
    return op(m);
  };
}

/**
 * The logistic sigmoid 1 / (1 + e^−v) of every entry, computed so that it
 * never overflows (for v < 0 as e^v / (1 + e^v)). Its derivative is
 * σ(v)·(1 − σ(v)).
 *
 * @param m The matrix.
 * @returns A matrix of values in [0, 1], with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 *
 * @example Usage
 * ```ts
 * import { matrix, sigmoid, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(sigmoid(matrix([[0, -1000, 1000]]))), [[0.5, 0, 1]]);
 * ```
 */
export const sigmoid: Elementwise = elementwise({
  name: "sigmoid",
  bounded: true,
  forward(x, y) {
    for (let i = 0; i < y.length; i++) y[i] = sigmoidOf(x[i]);
  },
  // σ′ = σ(1 − σ).
  backward(g, _x, y, out) {
    for (let i = 0; i < out.length; i++) out[i] = g[i] * y[i] * (1 - y[i]);
  },
});

/**
 * The hyperbolic tangent of every entry. Its derivative is 1 − tanh(v)².
 *
 * @param m The matrix.
 * @returns A matrix of values in [−1, 1], with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 *
 * @example Usage
 * ```ts
 * import { matrix, tanh, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(tanh(matrix([[0, 1000]]))), [[0, 1]]);
 * ```
 */
export const tanh: Elementwise = elementwise({
  name: "tanh",
  bounded: true,
  forward(x, y) {
    for (let i = 0; i < y.length; i++) y[i] = Math.tanh(x[i]);
  },
  // tanh′ = 1 − tanh².
  backward(g, _x, y, out) {
    for (let i = 0; i < out.length; i++) out[i] = g[i] * (1 - y[i] * y[i]);
  },
});

/**
 * The rectified linear unit max(0, v) of every entry. Its derivative is 1
 * where v > 0 and 0 elsewhere (0 at v = 0 itself, by convention).
 *
 * @param m The matrix.
 * @returns A matrix of non-negative values, with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 *
 * @example Usage
 * ```ts
 * import { matrix, relu, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(relu(matrix([[-2, 0, 3]]))), [[0, 0, 3]]);
 * ```
 */
export const relu: Elementwise = elementwise({
  name: "relu",
  bounded: true,
  // (v + |v|) / 2 is max(v, 0) exactly (2v and its half are exact, −0 and
  // negatives give +0) and has no branch: on entries of random sign both
  // v > 0 ? v : 0 and Math.max mispredict (measured 1.1 ns an entry against
  // 1.2–5.7 for Math.max, CPU time, 100x100 and 1000x1000). Only v > 2^1023
  // overflows 2v; those rare inputs take the plain loop.
  forward(x, y) {
    let overflow = false;
    for (let i = 0; i < y.length; i++) {
      const v = x[i];
      const twice = v + Math.abs(v);
      y[i] = twice * 0.5;
      if (twice === Infinity) overflow = true;
    }
    if (overflow) {
      for (let i = 0; i < y.length; i++) y[i] = Math.max(x[i], 0);
    }
  },
  // 1 where x > 0, else 0 (0 at the kink x = 0, as PyTorch).
  backward(g, x, _y, out) {
    for (let i = 0; i < out.length; i++) {
      out[i] = x[i] > 0 ? g[i] : 0;
    }
  },
});

/**
 * The leaky rectified linear unit: v where v > 0, else 0.01·v (PyTorch's
 * default negative slope). Its derivative is 1 where v > 0 and 0.01
 * elsewhere (0.01 at the kink v = 0). The slope is fixed: there is no alpha
 * argument or option, and passing one throws rather than being ignored.
 *
 * @param m The matrix.
 * @returns A matrix with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is
 * given.
 *
 * @example Usage
 * ```ts
 * import { leakyRelu, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(leakyRelu(matrix([[-2, 0, 3]]))), [[-0.02, 0, 3]]);
 * ```
 */
export const leakyRelu: Elementwise = elementwise({
  name: "leakyRelu",
  bounded: true,
  extraArgumentHint:
    "it has no alpha option, and its slope for negative entries is always 0.01",
  forward(x, y) {
    for (let i = 0; i < y.length; i++) {
      y[i] = x[i] > 0 ? x[i] : 0.01 * x[i];
    }
  },
  backward(g, x, _y, out) {
    for (let i = 0; i < out.length; i++) {
      out[i] = x[i] > 0 ? g[i] : 0.01 * g[i];
    }
  },
});

/**
 * The softplus log(1 + e^v) of every entry, a smooth relu, computed as
 * max(v, 0) + log1p(e^−|v|) so that it neither overflows for large v nor
 * loses small values for very negative v. Its derivative is the sigmoid.
 *
 * @param m The matrix.
 * @returns A matrix of positive values, with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 *
 * @example Stable at ±1000
 * ```ts
 * import { matrix, softplus, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(softplus(matrix([[0, 1000, -1000]]))), [[Math.LN2, 1000, 0]]);
 * ```
 */
export const softplus: Elementwise = elementwise({
  name: "softplus",
  forward(x, y) {
    for (let i = 0; i < y.length; i++) {
      const v = x[i];
      y[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
  },
  backward(g, x, _y, out) {
    for (let i = 0; i < out.length; i++) out[i] = g[i] * sigmoidOf(x[i]);
  },
});

/**
 * The exponential e^v of every entry. Its derivative is e^v.
 *
 * @param m The matrix.
 * @returns A matrix of positive values, with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 * @throws {RangeError} When an entry is above about 709.78, where e^v
 * overflows.
 *
 * @example Usage
 * ```ts
 * import { exp, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(exp(matrix([[0, 1]]))), [[1, Math.E]]);
 * assert.throws(() => exp(matrix([[710]])), RangeError);
 * ```
 */
export const exp: Elementwise = elementwise({
  name: "exp",
  forward(x, y) {
    for (let i = 0; i < y.length; i++) y[i] = Math.exp(x[i]);
  },
  // exp′ = exp.
  backward(g, _x, y, out) {
    for (let i = 0; i < out.length; i++) out[i] = g[i] * y[i];
  },
});

/**
 * The natural logarithm of every entry. Its derivative is 1 / v.
 *
 * @param m A matrix of positive entries.
 * @returns A matrix with `m`'s shape.
 * @throws {TypeError} When `m` is not a Matrix, or a second argument is given.
 * @throws {RangeError} When an entry is zero or negative.
 *
 * @example Usage
 * ```ts
 * import { log, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(log(matrix([[1, Math.E]]))), [[0, 1]]);
 * assert.throws(() => log(matrix([[0]])), RangeError);
 * ```
 */
export const log: Elementwise = elementwise({
  name: "log",
  forward(x, y, fn) {
    for (let i = 0; i < y.length; i++) {
      const v = x[i];
      if (!(v > 0)) {
        throw new RangeError(
          `Cannot compute ${fn}: entry ${i} (row-major) is ${v}, and the logarithm needs positive entries`,
        );
      }
      y[i] = Math.log(v);
    }
  },
  // log′ = 1/x.
  backward(g, x, _y, out) {
    for (let i = 0; i < out.length; i++) out[i] = g[i] / x[i];
  },
});
