/**
 * {@linkcode checkGrads}: compares a reverse-mode gradient with central
 * differences along seeded random directions, as JAX's
 * `jax.test_util.check_grads` does.
 *
 * @module
 */
import {
  arrayCallback,
  assertFunction,
  assertInRange,
  assertInteger,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, isMatrix, type Matrix } from "../core/_matrix.ts";
import { readTree, rebuild, type Structure } from "../core/_tree.ts";
import { createRng } from "../core/random.ts";
import { gradientOf } from "./grad.ts";

/** Options for {@linkcode checkGrads}. */
export interface CheckGradsOptions {
  /**
   * Random directions tried for each parameter.
   *
   * @default {3}
   */
  directions?: number;
  /**
   * The seed of the directions (standard normal entries, scaled to unit
   * length).
   *
   * @default {0}
   */
  seed?: number;
  /**
   * The step h of the central difference (f(p + h·v) − f(p − h·v)) / 2h,
   * relative to the parameter's size: h = step · max(1, largest |entry|).
   *
   * @default {1e-5}
   */
  step?: number;
  /**
   * The tolerance: a direction passes when |numeric − analytic| ≤
   * tolerance · max(|numeric|, |analytic|, 1).
   *
   * @default {1e-5}
   */
  tolerance?: number;
}

const FN = "checkGrads(f, params, options)";

/** f's value as a number: f returns a number or a 1x1 Matrix. */
function valueOf(f: (p: never) => unknown, params: unknown): number {
  const v = f(params as never);
  const value = isMatrix(v) && v.rows === 1 && v.cols === 1 ? dataOf(v)[0] : v;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(
      `Expected f of ${FN} to return a finite number or a 1x1 Matrix, got ${
        describe(v)
      }`,
    );
  }
  return value;
}

/** The leaf paths of a tree, in `readTree`'s order: "w", "[0].b", … */
function paths(structure: Structure, prefix: string, out: string[]): string[] {
  if (structure === null) out.push(prefix === "" ? "params" : prefix);
  else if ("items" in structure) {
    structure.items.forEach((s, i) => paths(s, `${prefix}[${i}]`, out));
  } else {
    structure.keys.forEach((k, i) =>
      paths(structure.values[i], prefix === "" ? k : `${prefix}.${k}`, out)
    );
  }
  return out;
}

/**
 * Checks the gradient of a scalar function against central differences.
 * For each parameter (each Matrix of the tree) and each of a few seeded
 * random unit directions v, it compares the directional derivative that
 * `grad` gives, ⟨∂f/∂p, v⟩, with (f(p + h·v) − f(p − h·v)) / 2h, all other
 * parameters fixed. This is how to verify an op made with `defineOp`: a
 * wrong backward disagrees along almost every direction.
 *
 * Central differences need f to be smooth near `params`. At a kink (relu or
 * leakyRelu at exactly 0, a max with a tie) the two sides have different
 * slopes, the difference gives their average and `grad` gives one side's,
 * so checkGrads reports a disagreement there. Check at points away from
 * kinks, as one does with JAX's `check_grads`.
 *
 * @typeParam P The type of the parameters.
 * @param f The scalar function: it returns a number or a 1x1 Matrix.
 * @param params Where to check: a Matrix, or a record or array of matrices.
 * @param options Directions, seed, step and tolerance.
 * @returns The largest relative error seen, |numeric − analytic| /
 * max(|numeric|, |analytic|, 1).
 * @throws {TypeError} When `f` is not a function, `params` is not a tree of
 * matrices, `f` returns something else than a finite number or 1x1 Matrix,
 * or an option is of the wrong type or unknown.
 * @throws {RangeError} When the gradient disagrees with the differences
 * beyond the tolerance: the message names the parameter, the direction and
 * both values. Also when an option is out of range.
 *
 * @example A wrong backward is caught; the right one passes
 * ```ts
 * import { checkGrads, defineOp, map, matrix, type Matrix, mul, scale, sum } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const cube = (backward: "right" | "wrong") =>
 *   defineOp({
 *     name: "cube",
 *     forward: (x: Matrix) => map(x, (v) => v ** 3),
 *     backward: (g, { args: [x] }) =>
 *       backward === "right" ? mul(g, scale(mul(x, x), 3)) : mul(g, scale(x, 2)),
 *   });
 * const x = matrix([[0.5, -1.5, 2]]);
 * assert.ok(checkGrads((p: Matrix) => sum(cube("right")(p)), x) < 1e-6);
 * assert.throws(() => checkGrads((p: Matrix) => sum(cube("wrong")(p)), x), RangeError);
 * ```
 */
export function checkGrads<P extends object>(
  f: (params: P) => number | Matrix,
  params: P,
  options: CheckGradsOptions = {},
): number {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "checkGrads(f, params, options)",
      arguments.length,
      2,
    );
  }
  assertFunction(f, FN, "f");
  const o = readOptions(options, FN, [
    "directions",
    "seed",
    "step",
    "tolerance",
  ]);
  const directions = assertInteger(
    o.directions ?? 3,
    FN,
    "options.directions",
    1,
    1000,
  );
  const seed = assertInteger(
    o.seed ?? 0,
    FN,
    "options.seed",
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const step = assertInRange(
    o.step ?? 1e-5,
    FN,
    "options.step",
    1e-12,
    1,
    "a number from 1e-12 to 1",
  );
  const tolerance = assertInRange(
    o.tolerance ?? 1e-5,
    FN,
    "options.tolerance",
    0,
    1,
  );
  const { leaves, structure } = readTree(params, FN, "params");
  const names = paths(structure, "", []);
  const analytic = gradientOf(f, params, FN);
  const grads = readTree(analytic.grad, FN, "the gradient").leaves;
  const rng = createRng(seed);
  let worst = 0;
  for (let l = 0; l < leaves.length; l++) {
    const p = leaves[l];
    const base = dataOf(p), g = dataOf(grads[l]);
    let size = 1;
    for (let i = 0; i < base.length; i++) {
      size = Math.max(size, Math.abs(base[i]));
    }
    const h = step * size;
    for (let t = 0; t < directions; t++) {
      const v = new Float64Array(base.length);
      let norm = 0;
      for (let i = 0; i < v.length; i++) {
        v[i] = rng.normal();
        norm += v[i] * v[i];
      }
      norm = Math.sqrt(norm) || 1;
      let expected = 0;
      for (let i = 0; i < v.length; i++) {
        v[i] /= norm;
        expected += g[i] * v[i];
      }
      const at = (sign: number): number => {
        const moved = leaves.slice();
        const data = base.slice();
        for (let i = 0; i < data.length; i++) data[i] += sign * h * v[i];
        moved[l] = fromData(p.rows, p.cols, data);
        return valueOf(f as (p: never) => unknown, rebuild(structure, moved));
      };
      const numeric = (at(1) - at(-1)) / (2 * h);
      const error = Math.abs(numeric - expected) /
        Math.max(Math.abs(numeric), Math.abs(expected), 1);
      if (error > tolerance) {
        throw new RangeError(
          `Gradient check failed in ${FN} for ${names[l]} along direction ${
            t + 1
          } of ${directions}: grad gives ${expected}, central differences give ${numeric} (relative error ${
            error.toPrecision(3)
          }, tolerance ${tolerance})`,
        );
      }
      worst = Math.max(worst, error);
    }
  }
  return worst;
}
