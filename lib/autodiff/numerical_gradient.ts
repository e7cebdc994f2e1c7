/**
 * Central-difference gradients, the yardstick every analytic gradient is
 * checked against.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertFunction,
  assertInRange,
  assertMatrix,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix } from "../core/_matrix.ts";

/** Options for {@linkcode numericalGradient}. */
export interface NumericalGradientOptions {
  /**
   * The relative step h: each entry v is moved by `epsilon * max(1, |v|)`.
   *
   * @default {1e-5}
   */
  epsilon?: number;
}

/**
 * Estimates the gradient of a scalar function of one Matrix by central
 * differences: for each entry, (f(at + h) − f(at − h)) / 2h. The error is of
 * order h², about 1e-10 relative for smooth functions with the default step.
 *
 * @param f A function from a Matrix to a finite number.
 * @param at The point at which to differentiate.
 * @param options The step size.
 * @returns A Matrix with `at`'s shape: ∂f/∂at, entry by entry.
 * @throws {TypeError} When `f` is not a function, `at` is not a Matrix,
 * `options` is not an object of known options, `epsilon` is not a number, or
 * `f` does not return a number.
 * @throws {RangeError} When `epsilon` is not a positive finite number or is
 * too small to move an entry, `f` returns NaN or ±Infinity, or the gradient
 * overflows.
 * @throws {unknown} Whatever `f` itself throws, unchanged.
 *
 * @example The derivative of Σ v² is 2v
 * ```ts
 * import { matrix, numericalGradient, sum, mul, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const g = numericalGradient((m) => sum(mul(m, m)), matrix([[1, -2]]));
 * const [[g0, g1]] = toArray(g);
 * assert.ok(Math.abs(g0 - 2) < 1e-8 && Math.abs(g1 + 4) < 1e-8);
 * ```
 */
export function numericalGradient(
  f: (m: Matrix) => number,
  at: Matrix,
  options: NumericalGradientOptions = {},
): Matrix {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "numericalGradient(f, at, options)",
      arguments.length,
      2,
    );
  }
  const fn = "numericalGradient(f, at, options)";
  assertFunction(f, fn, "f");
  assertMatrix(at, fn, "at");
  const epsilon = assertInRange(
    readOptions(options, fn, ["epsilon"]).epsilon ?? 1e-5,
    fn,
    "options.epsilon",
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    "a positive finite number",
  );
  const base = dataOf(at);
  const grad = new Float64Array(base.length);
  const call = (data: Float64Array, index: number): number => {
    const value = f(fromData(at.rows, at.cols, data));
    if (typeof value !== "number") {
      throw new TypeError(
        `Expected f of ${fn} to return a number, got ${
          describe(value)
        } (entry ${index})`,
      );
    }
    if (!Number.isFinite(value)) {
      throw new RangeError(
        `Expected f of ${fn} to return a finite number, got ${value} near entry ${index}`,
      );
    }
    return value;
  };
  for (let i = 0; i < base.length; i++) {
    const h = epsilon * Math.max(1, Math.abs(base[i]));
    // Fresh copies per evaluation: f receives a Matrix it may keep.
    const plus = base.slice();
    plus[i] += h;
    const minus = base.slice();
    minus[i] -= h;
    if (!Number.isFinite(plus[i]) || !Number.isFinite(minus[i])) {
      throw new RangeError(
        `Cannot step entry ${i} (${
          base[i]
        }) by ±${h} in ${fn}: it would overflow`,
      );
    }
    if (plus[i] === minus[i]) {
      throw new RangeError(
        `Cannot step entry ${i} (${
          base[i]
        }) by ±${h} in ${fn}: the step is lost to rounding; use a larger options.epsilon`,
      );
    }
    // (v + h) − (v − h) is the step actually taken, after rounding.
    grad[i] = (call(plus, i) - call(minus, i)) / (plus[i] - minus[i]);
  }
  assertFiniteResult(grad, fn, "the gradient");
  return fromData(at.rows, at.cols, grad);
}
