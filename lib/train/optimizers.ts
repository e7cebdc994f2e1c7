/**
 * Optimizers as pure `init`/`update` pairs, in the style of optax: the state
 * goes in and a new state comes out, and nothing is ever changed in place.
 * {@linkcode sgd} is the article's plain step w − α·∂Loss/∂w;
 * {@linkcode momentum} and {@linkcode adam} remember past gradients.
 *
 * @module
 */
import {
  assertFiniteResult,
  assertInRange,
  assertInteger,
  assertNumber,
  assertRecord,
  readOptions,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix } from "../core/_matrix.ts";
import {
  assertSameShapes,
  leavesOf,
  readTree,
  rebuild,
} from "../core/_tree.ts";

/**
 * An optimizer's memory: the number of updates made so far, and per-parameter
 * matrices (`slots`) with the structure of the parameters, such as Adam's
 * moment estimates `m` and `v`.
 */
export interface OptimizerState<P> {
  /** The number of updates made so far. */
  readonly step: number;
  /** Named trees with the structure of the parameters. */
  readonly slots: { readonly [name: string]: P };
}

/** What {@linkcode Optimizer.update} returns. */
export interface OptimizerStep<P> {
  /** The updated parameters. */
  readonly params: P;
  /** The optimizer's new state. */
  readonly state: OptimizerState<P>;
}

/**
 * A gradient-based optimizer: a pair of pure functions.
 *
 * @example The loop every optimizer fits in
 * ```ts
 * import { grad, matrix, mul, sgd, sum, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const f = (v: ReturnType<typeof matrix>) => sum(mul(v, v));
 * const opt = sgd(0.25);
 * let params = matrix([[4, -8]]);
 * let state = opt.init(params);
 * for (let i = 0; i < 3; i++) {
 *   ({ params, state } = opt.update(params, grad(f)(params), state));
 * }
 * assert.deepEqual(toArray(params), [[0.5, -1]]);
 * assert.equal(state.step, 3);
 * ```
 */
export interface Optimizer {
  /** The optimizer's name and settings, such as "adam(0.001)". */
  readonly name: string;
  /**
   * Makes the starting state for some parameters.
   *
   * @param params The parameters to be optimized: a Matrix or a tree of them.
   * @returns A state at step 0, its slots zero.
   */
  init<P extends object>(params: P): OptimizerState<P>;
  /**
   * Makes one step. Neither argument is changed.
   *
   * @param params The current parameters.
   * @param grads The gradient of the loss, with the parameters' structure.
   * @param state The state returned by `init` or the previous `update`.
   * @returns The new parameters and the new state.
   */
  update<P extends object>(
    params: P,
    grads: P,
    state: OptimizerState<P>,
  ): OptimizerStep<P>;
}

function checkRate(value: unknown, fn: string, name: string): number {
  return assertInRange(
    value,
    fn,
    name,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    "a positive finite number",
  );
}

function checkDecay(value: unknown, fn: string, name: string): number {
  assertNumber(value, fn, name);
  if (value < 0 || value >= 1) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be in [0, 1), got ${value}`,
    );
  }
  return value;
}

/**
 * The shared frame: validation, leaves, the update kernel, the new state. The
 * kernel returns 0 when the new state it wrote is certainly finite (anything
 * else makes the frame check the state entry by entry).
 */
function makeOptimizer(
  name: string,
  slotNames: readonly string[],
  kernel: (
    p: Float64Array,
    g: Float64Array,
    slots: Float64Array[],
    step: number,
    out: Float64Array,
    newSlots: Float64Array[],
  ) => number,
): Optimizer {
  const fnInit = `${name}.init(params)`;
  const fnUpdate = `${name}.update(params, grads, state)`;
  const from = `from ${name}.init or ${name}.update`;
  return Object.freeze({
    name,
    init<P extends object>(params: P): OptimizerState<P> {
      const { leaves, structure } = readTree(params, fnInit, "params");
      const slots: Record<string, P> = {};
      for (const s of slotNames) {
        slots[s] = rebuild<P>(
          structure,
          leaves.map((m) =>
            fromData(m.rows, m.cols, new Float64Array(m.rows * m.cols))
          ),
        );
      }
      return Object.freeze({ step: 0, slots: Object.freeze(slots) });
    },
    update<P extends object>(
      params: P,
      grads: P,
      state: OptimizerState<P>,
    ): OptimizerStep<P> {
      const { leaves: p, structure } = readTree(params, fnUpdate, "params");
      const g = leavesOf(grads, fnUpdate, "grads");
      assertSameShapes(p, g, fnUpdate, "params", "grads");
      assertRecord(state, fnUpdate, "state", `a state { step, slots } ${from}`);
      // The step count stays exact: at most 2^53 − 1 after this update.
      const previous = assertInteger(
        state.step,
        fnUpdate,
        "state.step",
        0,
        Number.MAX_SAFE_INTEGER - 1,
      );
      if (slotNames.length > 0) {
        assertRecord(
          state.slots,
          fnUpdate,
          "state.slots",
          `an object { ${slotNames.join(", ")} } ${from}`,
        );
      }
      const slots = slotNames.map((s) => {
        const tree = (state.slots as Record<string, unknown>)[s];
        if (tree === undefined) {
          throw new TypeError(
            `Expected state of ${fnUpdate} to hold slot "${s}": pass the state ${from}`,
          );
        }
        const leaves = leavesOf(tree, fnUpdate, `state.slots.${s}`);
        assertSameShapes(p, leaves, fnUpdate, "params", `state.slots.${s}`);
        return leaves;
      });
      const step = previous + 1;
      const newParams: Matrix[] = [];
      const newSlots: Matrix[][] = slotNames.map(() => []);
      for (let i = 0; i < p.length; i++) {
        const n = p[i].rows * p[i].cols;
        const out = new Float64Array(n);
        const fresh = slotNames.map(() => new Float64Array(n));
        const slotsFinite = kernel(
          dataOf(p[i]),
          dataOf(g[i]),
          slots.map((s) => dataOf(s[i])),
          step,
          out,
          fresh,
        );
        assertFiniteResult(
          out,
          `${fnUpdate} at step ${step}`,
          "the new parameters (training diverged; try a smaller learning rate)",
        );
        if (slotsFinite !== 0) {
          // The kernel's cheap test failed: find and report the entry.
          fresh.forEach((f) =>
            assertFiniteResult(
              f,
              `${fnUpdate} at step ${step}`,
              "the optimizer's state (the gradient overflows; try a smaller learning rate)",
            )
          );
        }
        newParams.push(fromData(p[i].rows, p[i].cols, out));
        fresh.forEach((f, k) =>
          newSlots[k].push(fromData(p[i].rows, p[i].cols, f))
        );
      }
      const slotTrees: Record<string, P> = {};
      slotNames.forEach((s, k) => {
        slotTrees[s] = rebuild<P>(structure, newSlots[k]);
      });
      return Object.freeze({
        params: rebuild<P>(structure, newParams),
        state: Object.freeze({ step, slots: Object.freeze(slotTrees) }),
      });
    },
  });
}

/**
 * Plain (stochastic) gradient descent, the article's step:
 * p' = p − learningRate · g, computed as numpy computes `w - lr * gradient`.
 *
 * @param learningRate The step size α, a positive finite number.
 * @returns The optimizer; its state holds only the step count.
 * @throws {TypeError} When `learningRate` is not a number.
 * @throws {RangeError} When `learningRate` is not positive and finite.
 *
 * @example The article's one step
 * ```ts
 * import { forward, gradient, matrix, sgd, squaredError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const b = matrix([[1.2], [3.4]]);
 * const x = matrix([[5], [2], [7]]);
 * const d = matrix([[1], [0]]);
 * const opt = sgd(0.01);
 * const { params } = opt.update(w, gradient({ w, b }, { x, d }).w, opt.init(w));
 * assert.equal(squaredError(forward({ w: params, b }, x), d), 35.527744);
 * ```
 */
export function sgd(learningRate = 0.01): Optimizer {
  const lr = checkRate(learningRate, "sgd(learningRate)", "learningRate");
  return makeOptimizer(`sgd(${lr})`, [], (p, g, _s, _t, out) => {
    for (let i = 0; i < out.length; i++) out[i] = p[i] - lr * g[i];
    return 0; // no state
  });
}

/** Options for {@linkcode momentum}. */
export interface MomentumOptions {
  /**
   * How much of the previous velocity is kept at each step, in [0, 1).
   *
   * @default {0.9}
   */
  beta?: number;
}

/**
 * Gradient descent with momentum (heavy ball): v' = β·v + g, then
 * p' = p − learningRate · v'. Past gradients keep pushing, which speeds
 * descent along shallow valleys.
 *
 * @param learningRate The step size, a positive finite number.
 * @param options The momentum coefficient β.
 * @returns The optimizer; its state holds the velocity `slots.velocity`.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When `learningRate` is not positive and finite, or
 * `beta` is outside [0, 1).
 *
 * @example Usage
 * ```ts
 * import { matrix, momentum, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const opt = momentum(0.1, { beta: 0.5 });
 * const p0 = matrix([[1]]);
 * const g = matrix([[2]]);
 * const s1 = opt.update(p0, g, opt.init(p0));
 * const s2 = opt.update(s1.params, g, s1.state);
 * assert.deepEqual(toArray(s1.params), [[0.8]]); // v = 2
 * assert.deepEqual(toArray(s2.state.slots.velocity), [[3]]); // v = 0.5·2 + 2
 * ```
 */
export function momentum(
  learningRate = 0.01,
  options: MomentumOptions = {},
): Optimizer {
  const fn = "momentum(learningRate, options)";
  const lr = checkRate(learningRate, fn, "learningRate");
  const { beta: betaOption } = readOptions(options, fn, ["beta"]);
  const beta = checkDecay(betaOption ?? 0.9, fn, "options.beta");
  return makeOptimizer(
    `momentum(${lr}, { beta: ${beta} })`,
    ["velocity"],
    (p, g, [v], _t, out, [nv]) => {
      for (let i = 0; i < out.length; i++) {
        nv[i] = beta * v[i] + g[i];
        out[i] = p[i] - lr * nv[i];
      }
      // An infinite velocity makes the new parameters infinite, which the
      // caller refuses: the state needs no check of its own.
      return 0;
    },
  );
}

/** Options for {@linkcode adam}. */
export interface AdamOptions {
  /**
   * The decay of the first-moment (mean) estimate, in [0, 1).
   *
   * @default {0.9}
   */
  beta1?: number;
  /**
   * The decay of the second-moment (uncentred variance) estimate, in [0, 1).
   *
   * @default {0.999}
   */
  beta2?: number;
  /**
   * Added to √v̂ so the step never divides by zero; positive.
   *
   * @default {1e-8}
   */
  epsilon?: number;
}

/**
 * Adam (Kingma and Ba, 2015): m' = β₁m + (1 − β₁)g, v' = β₂v + (1 − β₂)g²,
 * then p' = p − learningRate · m̂ / (√v̂ + ε) with the bias-corrected
 * m̂ = m'/(1 − β₁ᵗ) and v̂ = v'/(1 − β₂ᵗ) at step t. Each parameter gets its
 * own step size.
 *
 * @param learningRate The step size, a positive finite number.
 * @param options β₁, β₂ and ε.
 * @returns The optimizer; its state holds `slots.m` and `slots.v`.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When `learningRate` or `epsilon` is not positive and
 * finite, or a β is outside [0, 1).
 *
 * @example The first step moves each entry by about the learning rate
 * ```ts
 * import { adam, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const opt = adam(0.1);
 * const p = matrix([[1, 1]]);
 * const { params } = opt.update(p, matrix([[5, -0.01]]), opt.init(p));
 * const [[a, b]] = toArray(params);
 * assert.ok(Math.abs(a - 0.9) < 1e-6 && Math.abs(b - 1.1) < 1e-5);
 * ```
 */
export function adam(
  learningRate = 0.001,
  options: AdamOptions = {},
): Optimizer {
  const fn = "adam(learningRate, options)";
  const lr = checkRate(learningRate, fn, "learningRate");
  const o = readOptions(options, fn, ["beta1", "beta2", "epsilon"]);
  const beta1 = checkDecay(o.beta1 ?? 0.9, fn, "options.beta1");
  const beta2 = checkDecay(o.beta2 ?? 0.999, fn, "options.beta2");
  const epsilon = checkRate(o.epsilon ?? 1e-8, fn, "options.epsilon");
  return makeOptimizer(
    `adam(${lr}, { beta1: ${beta1}, beta2: ${beta2}, epsilon: ${epsilon} })`,
    ["m", "v"],
    (p, g, [m, v], t, out, [nm, nv]) => {
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      // v can overflow (g² does) while the new parameters stay finite, so
      // the state is tested here: x·0 is 0 for finite x and NaN otherwise.
      let test = 0;
      for (let i = 0; i < out.length; i++) {
        const gi = g[i];
        const mi = beta1 * m[i] + (1 - beta1) * gi;
        const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        nm[i] = mi;
        nv[i] = vi;
        test += mi * 0 + vi * 0;
        out[i] = p[i] - lr * (mi / c1) / (Math.sqrt(vi / c2) + epsilon);
      }
      return test;
    },
  );
}
