/**
 * Optimizers as pure `init`/`update` pairs, in the style of optax: the state
 * goes in and a new state comes out, and nothing is ever changed in place.
 * {@linkcode sgd} is the article's plain step w − α·∂Loss/∂w;
 * {@linkcode momentum}, {@linkcode nesterov}, {@linkcode adagrad},
 * {@linkcode rmsprop}, {@linkcode adam} and {@linkcode adamw} are those of
 * ゼロから作るDeep Learning chapter 6 and of PyTorch. A learning rate may be a
 * number or a schedule ({@linkcode stepDecay}, {@linkcode cosineDecay});
 * {@linkcode clipByGlobalNorm} wraps any optimizer.
 *
 * Weight decay comes two ways, side by side:
 * - as a loss term, (λ/2)·Σw² added to the loss ({@linkcode l2Penalty}, the
 *   book's `weight_decay_lambda`), whose gradient λw joins the loss's;
 * - as the optimizer option `weightDecay: λ`, which adds λ·p to the gradient
 *   before the step (coupled L2, PyTorch's `weight_decay`), or with
 *   {@linkcode adamw} shrinks the parameters apart from Adam's scaling
 *   (decoupled, Loshchilov and Hutter 2019).
 *
 * For plain SGD the first two are the same update; for adaptive optimizers
 * they differ, which is why AdamW exists.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertInRange,
  assertInteger,
  assertNumber,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix } from "../core/_matrix.ts";
import { defineOp } from "../autodiff/define_op.ts";
import { pairwiseSum } from "../kernels/_sum.ts";
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

/** A learning rate that changes with the step t = 1, 2, …; see `stepDecay`. */
export type Schedule = (step: number) => number;

/** A learning rate: a positive number, or a schedule of the step. */
export type LearningRate = number | Schedule;

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

/** A learning rate as a function of the step, checked; and its description. */
function checkLearningRate(
  value: unknown,
  fn: string,
): { rate: (step: number, where: string) => number; text: string } {
  if (typeof value === "function") {
    const schedule = value as Schedule;
    return {
      text: (schedule as { description?: string }).description ?? "schedule",
      rate: (step, where) => {
        const lr = schedule(step);
        if (typeof lr !== "number" || !(lr >= 0) || !Number.isFinite(lr)) {
          throw new RangeError(
            `Expected the learning-rate schedule of ${where} to return a non-negative finite number at step ${step}, got ${
              describe(lr)
            }`,
          );
        }
        return lr;
      },
    };
  }
  const lr = checkRate(value, fn, "learningRate");
  return { rate: () => lr, text: String(lr) };
}

function checkWeightDecay(value: unknown, fn: string): number {
  return value === undefined ? 0 : assertInRange(
    value,
    fn,
    "options.weightDecay",
    0,
    Number.MAX_VALUE,
    "a non-negative finite number",
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
  rate: (step: number, where: string) => number,
  kernel: (
    p: Float64Array,
    g: Float64Array,
    slots: Float64Array[],
    step: number,
    out: Float64Array,
    newSlots: Float64Array[],
    lr: number,
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
      const lr = rate(step, fnUpdate);
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
          lr,
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

/** Options shared by the optimizers that take coupled weight decay. */
export interface WeightDecayOptions {
  /**
   * Coupled L2 weight decay λ: λ·p is added to the gradient before the step
   * (PyTorch's `weight_decay`), the gradient of (λ/2)·Σp².
   *
   * @default {0}
   */
  weightDecay?: number;
}

/** Options for {@linkcode sgd}. */
export type SgdOptions = WeightDecayOptions;

/**
 * Plain (stochastic) gradient descent, the article's step:
 * p' = p − learningRate · g, computed as numpy computes `w - lr * gradient`.
 * With `weightDecay: λ`, g + λp takes the place of g.
 *
 * @param learningRate The step size α: a positive finite number or a
 * schedule of the step.
 * @param options `weightDecay`.
 * @returns The optimizer; its state holds only the step count.
 * @throws {TypeError} When `learningRate` is not a number or a function, or
 * an option is unknown or not a number.
 * @throws {RangeError} When `learningRate` is not positive and finite, or
 * `weightDecay` is negative.
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
export function sgd(
  learningRate: LearningRate = 0.01,
  options: SgdOptions = {},
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("sgd(learningRate, options)", arguments.length, 0);
  }
  const fn = "sgd(learningRate, options)";
  const { rate, text } = checkLearningRate(learningRate, fn);
  const o = readOptions(options, fn, ["weightDecay"]);
  const wd = checkWeightDecay(o.weightDecay, fn);
  const name = wd === 0
    ? `sgd(${text})`
    : `sgd(${text}, { weightDecay: ${wd} })`;
  return makeOptimizer(name, [], rate, (p, g, _s, _t, out, _n, lr) => {
    if (wd === 0) {
      for (let i = 0; i < out.length; i++) out[i] = p[i] - lr * g[i];
    } else {
      for (let i = 0; i < out.length; i++) {
        out[i] = p[i] - lr * (g[i] + wd * p[i]);
      }
    }
    return 0; // no state
  });
}

/** Options for {@linkcode momentum} and {@linkcode nesterov}. */
export interface MomentumOptions extends WeightDecayOptions {
  /**
   * How much of the previous velocity is kept at each step, in [0, 1).
   *
   * @default {0.9}
   */
  beta?: number;
}

function momentumKind(
  kind: "momentum" | "nesterov",
  learningRate: LearningRate,
  options: MomentumOptions,
): Optimizer {
  const fn = `${kind}(learningRate, options)`;
  const { rate, text } = checkLearningRate(learningRate, fn);
  const o = readOptions(options, fn, ["beta", "weightDecay"]);
  const beta = checkDecay(o.beta ?? 0.9, fn, "options.beta");
  const wd = checkWeightDecay(o.weightDecay, fn);
  const nest = kind === "nesterov";
  return makeOptimizer(
    `${kind}(${text}, { beta: ${beta}${
      wd === 0 ? "" : `, weightDecay: ${wd}`
    } })`,
    ["velocity"],
    rate,
    (p, g, [v], _t, out, [nv], lr) => {
      for (let i = 0; i < out.length; i++) {
        const gi = g[i] + wd * p[i];
        const vi = beta * v[i] + gi;
        nv[i] = vi;
        out[i] = p[i] - lr * (nest ? gi + beta * vi : vi);
      }
      // An infinite velocity makes the new parameters infinite, which the
      // caller refuses: the state needs no check of its own.
      return 0;
    },
  );
}

/**
 * Gradient descent with momentum (heavy ball), as PyTorch's SGD with
 * momentum: v' = β·v + g, then p' = p − learningRate · v'. Past gradients
 * keep pushing, which speeds descent along shallow valleys.
 *
 * @param learningRate The step size: a positive finite number or a schedule.
 * @param options The momentum coefficient β, and `weightDecay`.
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
  learningRate: LearningRate = 0.01,
  options: MomentumOptions = {},
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "momentum(learningRate, options)",
      arguments.length,
      0,
    );
  }
  return momentumKind("momentum", learningRate, options);
}

/**
 * Nesterov's accelerated gradient, as PyTorch's SGD with `nesterov=True`:
 * v' = β·v + g, then p' = p − learningRate · (g + β·v'): the step looks
 * ahead along the velocity (ゼロから作るDeep Learning §6.1's Nesterov; Sutskever
 * et al. 2013).
 *
 * @param learningRate The step size: a positive finite number or a schedule.
 * @param options The momentum coefficient β, and `weightDecay`.
 * @returns The optimizer; its state holds the velocity `slots.velocity`.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When `learningRate` is not positive and finite, or
 * `beta` is outside [0, 1).
 *
 * @example Two steps by hand
 * ```ts
 * import { matrix, nesterov, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const opt = nesterov(0.1, { beta: 0.5 });
 * const g = matrix([[2]]);
 * const s1 = opt.update(matrix([[1]]), g, opt.init(matrix([[1]])));
 * // v = 2; p = 1 − 0.1·(2 + 0.5·2) = 0.7
 * assert.deepEqual(toArray(s1.params), [[0.7]]);
 * ```
 */
export function nesterov(
  learningRate: LearningRate = 0.01,
  options: MomentumOptions = {},
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "nesterov(learningRate, options)",
      arguments.length,
      0,
    );
  }
  return momentumKind("nesterov", learningRate, options);
}

/** Options for {@linkcode adagrad} and {@linkcode rmsprop}. */
export interface AdaptiveOptions extends WeightDecayOptions {
  /**
   * Added to √h so the step never divides by zero (the book's 1e-7).
   *
   * @default {1e-7}
   */
  epsilon?: number;
}

/**
 * AdaGrad (Duchi et al. 2011; ゼロから作るDeep Learning §6.1.5): h' = h + g²,
 * p' = p − learningRate · g / (√h' + ε). Each parameter's step shrinks as
 * its squared gradients add up.
 *
 * @param learningRate The step size: a positive finite number or a schedule.
 * @param options ε and `weightDecay`.
 * @returns The optimizer; its state holds `slots.h`.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When `learningRate` or `epsilon` is not positive and
 * finite.
 *
 * @example The first step is about the learning rate, whatever g
 * ```ts
 * import { adagrad, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const opt = adagrad(0.5, { epsilon: 0 });
 * const { params } = opt.update(matrix([[1, 1]]), matrix([[4, -0.25]]), opt.init(matrix([[1, 1]])));
 * assert.deepEqual(toArray(params), [[0.5, 1.5]]);
 * ```
 */
export function adagrad(
  learningRate: LearningRate = 0.01,
  options: AdaptiveOptions = {},
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "adagrad(learningRate, options)",
      arguments.length,
      0,
    );
  }
  const fn = "adagrad(learningRate, options)";
  const { rate, text } = checkLearningRate(learningRate, fn);
  const o = readOptions(options, fn, ["epsilon", "weightDecay"]);
  const epsilon = assertInRange(
    o.epsilon ?? 1e-7,
    fn,
    "options.epsilon",
    0,
    Number.MAX_VALUE,
    "a non-negative finite number",
  );
  const wd = checkWeightDecay(o.weightDecay, fn);
  return makeOptimizer(
    `adagrad(${text}, { epsilon: ${epsilon}${
      wd === 0 ? "" : `, weightDecay: ${wd}`
    } })`,
    ["h"],
    rate,
    (p, g, [h], _t, out, [nh], lr) => {
      let test = 0;
      for (let i = 0; i < out.length; i++) {
        const gi = g[i] + wd * p[i];
        const hi = h[i] + gi * gi;
        nh[i] = hi;
        test += hi * 0;
        out[i] = p[i] - lr * gi / (Math.sqrt(hi) + epsilon);
      }
      return test;
    },
  );
}

/** Options for {@linkcode rmsprop}. */
export interface RmspropOptions extends AdaptiveOptions {
  /**
   * How much of the running mean of g² is kept at each step, in [0, 1)
   * (the book's `decay_rate`, PyTorch's `alpha`).
   *
   * @default {0.99}
   */
  decay?: number;
}

/**
 * RMSprop (Tieleman and Hinton 2012; ゼロから作るDeep Learning §6.1.5):
 * h' = ρ·h + (1 − ρ)·g², p' = p − learningRate · g / (√h' + ε). Like
 * AdaGrad, but old gradients fade, so steps do not vanish.
 *
 * @param learningRate The step size: a positive finite number or a schedule.
 * @param options ρ (`decay`), ε and `weightDecay`.
 * @returns The optimizer; its state holds `slots.h`.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When `learningRate` or `epsilon` is not positive and
 * finite, or `decay` is outside [0, 1).
 *
 * @example One step by hand
 * ```ts
 * import { matrix, rmsprop, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const opt = rmsprop(0.1, { decay: 0.75, epsilon: 0 });
 * const p = matrix([[1]]);
 * // h = 0.25·4 = 1; p = 1 − 0.1·2/√1 = 0.8
 * assert.deepEqual(toArray(opt.update(p, matrix([[2]]), opt.init(p)).params), [[0.8]]);
 * ```
 */
export function rmsprop(
  learningRate: LearningRate = 0.01,
  options: RmspropOptions = {},
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "rmsprop(learningRate, options)",
      arguments.length,
      0,
    );
  }
  const fn = "rmsprop(learningRate, options)";
  const { rate, text } = checkLearningRate(learningRate, fn);
  const o = readOptions(options, fn, ["decay", "epsilon", "weightDecay"]);
  const decay = checkDecay(o.decay ?? 0.99, fn, "options.decay");
  const epsilon = assertInRange(
    o.epsilon ?? 1e-7,
    fn,
    "options.epsilon",
    0,
    Number.MAX_VALUE,
    "a non-negative finite number",
  );
  const wd = checkWeightDecay(o.weightDecay, fn);
  return makeOptimizer(
    `rmsprop(${text}, { decay: ${decay}, epsilon: ${epsilon}${
      wd === 0 ? "" : `, weightDecay: ${wd}`
    } })`,
    ["h"],
    rate,
    (p, g, [h], _t, out, [nh], lr) => {
      let test = 0;
      for (let i = 0; i < out.length; i++) {
        const gi = g[i] + wd * p[i];
        const hi = decay * h[i] + (1 - decay) * gi * gi;
        nh[i] = hi;
        test += hi * 0;
        out[i] = p[i] - lr * gi / (Math.sqrt(hi) + epsilon);
      }
      return test;
    },
  );
}

/** Options for {@linkcode adam}. */
export interface AdamOptions extends WeightDecayOptions {
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

function adamKind(
  kind: "adam" | "adamw",
  learningRate: LearningRate,
  options: AdamOptions,
  defaultDecay: number,
): Optimizer {
  const fn = `${kind}(learningRate, options)`;
  const { rate, text } = checkLearningRate(learningRate, fn);
  const o = readOptions(options, fn, [
    "beta1",
    "beta2",
    "epsilon",
    "weightDecay",
  ]);
  const beta1 = checkDecay(o.beta1 ?? 0.9, fn, "options.beta1");
  const beta2 = checkDecay(o.beta2 ?? 0.999, fn, "options.beta2");
  const epsilon = checkRate(o.epsilon ?? 1e-8, fn, "options.epsilon");
  const wd = o.weightDecay === undefined
    ? defaultDecay
    : checkWeightDecay(o.weightDecay, fn);
  // adam couples the decay into the gradient; adamw applies it apart.
  const coupled = kind === "adam" ? wd : 0;
  const decoupled = kind === "adamw" ? wd : 0;
  return makeOptimizer(
    `${kind}(${text}, { beta1: ${beta1}, beta2: ${beta2}, epsilon: ${epsilon}${
      wd === 0 && kind === "adam" ? "" : `, weightDecay: ${wd}`
    } })`,
    ["m", "v"],
    rate,
    (p, g, [m, v], t, out, [nm, nv], lr) => {
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      // v can overflow (g² does) while the new parameters stay finite, so
      // the state is tested here: x·0 is 0 for finite x and NaN otherwise.
      let test = 0;
      for (let i = 0; i < out.length; i++) {
        const gi = g[i] + coupled * p[i];
        const mi = beta1 * m[i] + (1 - beta1) * gi;
        const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        nm[i] = mi;
        nv[i] = vi;
        test += mi * 0 + vi * 0;
        out[i] = p[i] - lr * decoupled * p[i] -
          lr * (mi / c1) / (Math.sqrt(vi / c2) + epsilon);
      }
      return test;
    },
  );
}

/**
 * Adam (Kingma and Ba, 2015): m' = β₁m + (1 − β₁)g, v' = β₂v + (1 − β₂)g²,
 * then p' = p − learningRate · m̂ / (√v̂ + ε) with the bias-corrected
 * m̂ = m'/(1 − β₁ᵗ) and v̂ = v'/(1 − β₂ᵗ) at step t. Each parameter gets its
 * own step size. `weightDecay` adds λp to g (coupled, as PyTorch's Adam);
 * for decoupled decay use {@linkcode adamw}.
 *
 * @param learningRate The step size: a positive finite number or a schedule.
 * @param options β₁, β₂, ε and `weightDecay`.
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
  learningRate: LearningRate = 0.001,
  options: AdamOptions = {},
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("adam(learningRate, options)", arguments.length, 0);
  }
  return adamKind("adam", learningRate, options, 0);
}

/**
 * AdamW (Loshchilov and Hutter 2019), Adam with decoupled weight decay, as
 * PyTorch's AdamW: p' = p − learningRate·λ·p − learningRate · m̂/(√v̂ + ε).
 * The decay shrinks every parameter at the same rate, untouched by Adam's
 * per-parameter scaling.
 *
 * @param learningRate The step size: a positive finite number or a schedule.
 * @param options β₁, β₂, ε and `weightDecay` λ (default 0.01, as PyTorch).
 * @returns The optimizer; its state holds `slots.m` and `slots.v`.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When `learningRate` or `epsilon` is not positive and
 * finite, a β is outside [0, 1), or `weightDecay` is negative.
 *
 * @example With a zero gradient only the decay acts
 * ```ts
 * import { adamw, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const opt = adamw(0.1, { weightDecay: 0.5 });
 * const p = matrix([[2]]);
 * assert.deepEqual(toArray(opt.update(p, matrix([[0]]), opt.init(p)).params), [[1.9]]);
 * ```
 */
export function adamw(
  learningRate: LearningRate = 0.001,
  options: AdamOptions = {},
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("adamw(learningRate, options)", arguments.length, 0);
  }
  return adamKind("adamw", learningRate, options, 0.01);
}

/** Checks the step given to a schedule: an integer from 1 to 2^53 − 1. */
function checkStep(step: unknown, description: string): number {
  return assertInteger(
    step,
    `${description}(step)`,
    "step",
    1,
    Number.MAX_SAFE_INTEGER,
  );
}

/**
 * A step-decay schedule, as PyTorch's `StepLR` counted in updates: the rate
 * starts at `initial` and is multiplied by `gamma` every `every` steps,
 * lr(t) = initial · gamma^⌊(t − 1)/every⌋ for t = 1, 2, ….
 *
 * @param initial The first rate, a positive finite number.
 * @param options `every` (steps between decays, a positive integer) and
 * `gamma` (the factor, in (0, 1]).
 * @returns The schedule, to pass as any optimizer's learning rate; it
 * throws a TypeError or RangeError when its step is not an integer from 1
 * to 2^53 − 1.
 * @throws {TypeError} When an argument is not a number, or an option is
 * unknown.
 * @throws {RangeError} When a value is out of range.
 *
 * @example Halved every 10 steps
 * ```ts
 * import { stepDecay } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const lr = stepDecay(0.1, { every: 10, gamma: 0.5 });
 * assert.deepEqual([lr(1), lr(10), lr(11), lr(21)], [0.1, 0.1, 0.05, 0.025]);
 * ```
 */
export function stepDecay(
  initial: number,
  options: { every: number; gamma?: number },
): Schedule {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("stepDecay(initial, options)", arguments.length);
  }
  const fn = "stepDecay(initial, options)";
  const lr0 = checkRate(initial, fn, "initial");
  const o = readOptions(options, fn, ["every", "gamma"]);
  const every = assertInteger(
    o.every,
    fn,
    "options.every",
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const gamma = assertInRange(
    o.gamma ?? 0.1,
    fn,
    "options.gamma",
    Number.MIN_VALUE,
    1,
    "a number in (0, 1]",
  );
  const description = `stepDecay(${lr0}, { every: ${every}, gamma: ${gamma} })`;
  const schedule = (step: number) => {
    const t = checkStep(step, description);
    return lr0 * gamma ** Math.floor((t - 1) / every);
  };
  return Object.assign(schedule, { description });
}

/**
 * A cosine-decay schedule (Loshchilov and Hutter 2017, without restarts; as
 * optax's `cosine_decay_schedule`): from `initial` at step 1 down to
 * `minimum` at step `steps + 1`, then constant:
 * lr(t) = minimum + (initial − minimum)·(1 + cos(π·min(t − 1, steps)/steps))/2.
 *
 * @param initial The first rate, a positive finite number.
 * @param options `steps` (the length of the decay, a positive integer) and
 * `minimum` (the final rate, from 0 to `initial`).
 * @returns The schedule, to pass as any optimizer's learning rate; it
 * throws a TypeError or RangeError when its step is not an integer from 1
 * to 2^53 − 1.
 * @throws {TypeError} When an argument is not a number, or an option is
 * unknown.
 * @throws {RangeError} When a value is out of range.
 *
 * @example Half way down at half time
 * ```ts
 * import { cosineDecay } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const lr = cosineDecay(1, { steps: 100 });
 * assert.equal(lr(1), 1);
 * assert.ok(Math.abs(lr(51) - 0.5) < 1e-15);
 * assert.equal(lr(101), 0);
 * assert.equal(lr(500), 0);
 * ```
 */
export function cosineDecay(
  initial: number,
  options: { steps: number; minimum?: number },
): Schedule {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("cosineDecay(initial, options)", arguments.length);
  }
  const fn = "cosineDecay(initial, options)";
  const lr0 = checkRate(initial, fn, "initial");
  const o = readOptions(options, fn, ["steps", "minimum"]);
  const steps = assertInteger(
    o.steps,
    fn,
    "options.steps",
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const minimum = assertInRange(
    o.minimum ?? 0,
    fn,
    "options.minimum",
    0,
    lr0,
    `a number from 0 to initial (${lr0})`,
  );
  const description =
    `cosineDecay(${lr0}, { steps: ${steps}, minimum: ${minimum} })`;
  const schedule = (step: number) => {
    const t = checkStep(step, description);
    return minimum +
      (lr0 - minimum) *
        (1 + Math.cos(Math.PI * Math.min(t - 1, steps) / steps)) /
        2;
  };
  return Object.assign(schedule, { description });
}

/**
 * The global L2 norm of a tree of matrices, √(Σ over every entry of every
 * Matrix of v²), as optax's `global_norm`; computed with scaling so it
 * neither overflows nor underflows.
 *
 * @param tree A Matrix or a record or array of matrices (a gradient, say).
 * @returns The norm, a non-negative number.
 * @throws {TypeError} When `tree` is not a tree of matrices.
 * @throws {RangeError} When the norm overflows (above about 1.8e308).
 *
 * @example A 3-4-5 triangle across two matrices
 * ```ts
 * import { globalNorm, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(globalNorm({ a: matrix([[3]]), b: matrix([[0], [4]]) }), 5);
 * ```
 */
export function globalNorm(tree: object): number {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("globalNorm(tree)", arguments.length);
  }
  const fn = "globalNorm(tree)";
  return normOf(leavesOf(tree, fn, "tree"), fn, "tree");
}

/** The global L2 norm of some matrices; a RangeError naming fn when it overflows. */
function normOf(leaves: readonly Matrix[], fn: string, name: string): number {
  let largest = 0;
  for (const m of leaves) {
    for (const v of dataOf(m)) largest = Math.max(largest, Math.abs(v));
  }
  if (largest === 0) return 0;
  let total = 0;
  for (const m of leaves) {
    for (const v of dataOf(m)) total += (v / largest) ** 2;
  }
  const norm = largest * Math.sqrt(total);
  if (norm === Infinity) {
    throw new RangeError(
      `Cannot compute ${fn}: the norm of ${name} overflows to Infinity (its entries are finite, their norm is not)`,
    );
  }
  return norm;
}

/**
 * Clips the gradient by its global norm before another optimizer's update
 * (Pascanu et al. 2013; optax's `clip_by_global_norm`): when ‖g‖ > maxNorm,
 * every gradient is scaled by maxNorm/‖g‖, so the direction is kept and
 * the length bounded.
 *
 * @param optimizer The optimizer to pass the clipped gradient to.
 * @param maxNorm The largest norm let through, a positive finite number.
 * @returns An optimizer with the inner one's state; its `update` throws a
 * TypeError when grads is not a tree of matrices, and a RangeError when
 * their norm overflows.
 * @throws {TypeError} When `optimizer` has no `init` and `update` or no
 * string `name`, or `maxNorm` is not a number.
 * @throws {RangeError} When `maxNorm` is not positive and finite.
 *
 * @example A long gradient is cut to length 1
 * ```ts
 * import { clipByGlobalNorm, matrix, sgd, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const opt = clipByGlobalNorm(sgd(1), 1);
 * const p = matrix([[0, 0]]);
 * const { params } = opt.update(p, matrix([[30, 40]]), opt.init(p));
 * assert.deepEqual(toArray(params), [[-0.6, -0.8]]);
 * ```
 */
export function clipByGlobalNorm(
  optimizer: Optimizer,
  maxNorm: number,
): Optimizer {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "clipByGlobalNorm(optimizer, maxNorm)",
      arguments.length,
    );
  }
  const fn = "clipByGlobalNorm(optimizer, maxNorm)";
  assertRecord(optimizer, fn, "optimizer", "an optimizer such as adam(0.001)");
  if (
    typeof optimizer.init !== "function" ||
    typeof optimizer.update !== "function"
  ) {
    throw new TypeError(
      `Expected optimizer of ${fn} to have init and update, got ${
        describe(optimizer)
      }`,
    );
  }
  if (typeof optimizer.name !== "string") {
    throw new TypeError(
      `Expected optimizer.name of ${fn} to be a string, got ${
        describe(optimizer.name)
      }`,
    );
  }
  const limit = checkRate(maxNorm, fn, "maxNorm");
  const name = `clipByGlobalNorm(${optimizer.name}, ${limit})`;
  const fnUpdate = `${name}.update(params, grads, state)`;
  return Object.freeze({
    name,
    init: <P extends object>(params: P) => optimizer.init(params),
    update<P extends object>(
      params: P,
      grads: P,
      state: OptimizerState<P>,
    ): OptimizerStep<P> {
      const { leaves, structure } = readTree(grads, fnUpdate, "grads");
      const norm = normOf(leaves, fnUpdate, "grads");
      if (!(norm > limit)) return optimizer.update(params, grads, state);
      const k = limit / norm;
      const clipped = leaves.map((m) => {
        const src = dataOf(m), out = new Float64Array(src.length);
        for (let i = 0; i < out.length; i++) out[i] = src[i] * k;
        return fromData(m.rows, m.cols, out);
      });
      return optimizer.update(params, rebuild<P>(structure, clipped), state);
    },
  });
}

/**
 * The L2 penalty (λ/2)·Σw² over every Matrix of a tree, as a 1x1 Matrix
 * that `grad` can follow: weight decay as a loss term (ゼロから作るDeep
 * Learning §6.4.2, `0.5 * weight_decay_lambda * np.sum(W**2)`). Its gradient
 * is λw. Pass only the weights (not the biases), as the book does.
 *
 * @param tree The matrices to penalize: a Matrix, or a record or array of them.
 * @param lambda λ, a non-negative finite number.
 * @returns (λ/2)·Σw², a 1x1 Matrix.
 * @throws {TypeError} When `tree` is not a tree of matrices, or `lambda` is
 * not a number.
 * @throws {RangeError} When `lambda` is negative or not finite, or the
 * penalty overflows.
 *
 * @example A loss plus the penalty on the weights, for fit
 * ```ts
 * import { add, l2Penalty, matrix, softmaxCrossEntropy, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(l2Penalty([matrix([[1, 2]]), matrix([[2]])], 0.1)), [[0.45]]);
 * const loss = (output: ReturnType<typeof matrix>, d: ReturnType<typeof matrix>, params: readonly unknown[]) =>
 *   add(
 *     softmaxCrossEntropy(output, d, { keepdims: true }),
 *     l2Penalty(params.flatMap((p) => (p as { w?: ReturnType<typeof matrix> }).w ?? []), 0.1),
 *   );
 * assert.equal(typeof loss, "function");
 * ```
 */
export function l2Penalty(tree: object, lambda: number): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("l2Penalty(tree, lambda)", arguments.length);
  }
  const fn = "l2Penalty(tree, lambda)";
  const leaves = leavesOf(tree, fn, "tree");
  const k = assertInRange(
    lambda,
    fn,
    "lambda",
    0,
    Number.MAX_VALUE,
    "a non-negative finite number",
  );
  return l2PenaltyOp(k, ...leaves);
}

const L2_PENALTY = "l2Penalty(tree, lambda)";

/**
 * (λ/2)·Σw² over the matrices given after λ, as one op: its overflow names
 * l2Penalty. Each Matrix's squares are summed pairwise (as `sum` does), the
 * sums added in order, then scaled by λ/2.
 */
const l2PenaltyOp = defineOp({
  name: "l2Penalty",
  forward: (lambda: number, ...leaves: Matrix[]) => {
    let total = 0;
    for (const m of leaves) {
      const squares = dataOf(m).map((v) => v * v);
      total += pairwiseSum(squares, 0, squares.length);
    }
    const value = new Float64Array([total * (lambda / 2)]);
    assertFiniteResult(value, L2_PENALTY, "the penalty");
    return fromData(1, 1, value);
  },
  // ∂/∂w of (λ/2)·Σw² is λ·w, times the upstream gradient g.
  backward: (g, { args: [lambda, ...leaves], needs }) => {
    const k = lambda * dataOf(g)[0];
    return [
      null,
      ...leaves.map((m, i) => {
        if (!needs[i + 1]) return null;
        const out = dataOf(m).map((v) => v * k);
        assertFiniteResult(out, L2_PENALTY, "the gradient");
        return fromData(m.rows, m.cols, out);
      }),
    ];
  },
});
