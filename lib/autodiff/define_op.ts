/**
 * {@linkcode defineOp}: a differentiable op from a forward and its backward
 * (vector-Jacobian product), defined side by side. Every op of the toolkit
 * (`dot`, `add`, `relu`, `softmaxCrossEntropy`, …) is made this way, and so
 * can a learner's own layer, as chapter 5 of ゼロから作るDeep Learning builds
 * each layer with a `forward` and a `backward`.
 *
 * @module
 */
import {
  arrayCallback,
  assertFunction,
  assertRecord,
  describe,
  tooManyArguments,
} from "../core/_checks.ts";
import { isMatrix, type Matrix } from "../core/_matrix.ts";
import { activeTape, setActiveTape, type TapeOp } from "./_tape.ts";

/** What an op's backward receives besides the output's gradient. */
export interface OpContext<A extends readonly unknown[], S> {
  /** The arguments the forward was called with. */
  readonly args: A;
  /** The forward's result. */
  readonly output: Matrix;
  /** What the forward saved (`undefined` when it returned a plain Matrix). */
  readonly saved: S;
  /**
   * Per argument: whether its gradient is needed (it is a Matrix computed
   * from the parameters). A backward may skip the others and return null.
   */
  readonly needs: readonly boolean[];
}

/** A forward's result when it keeps context (a mask, indices) for backward. */
export interface Saved<S> {
  /** The op's result. */
  readonly output: Matrix;
  /** Anything the backward needs; the tape keeps it while the gradient is computed. */
  readonly saved: S;
}

/** The definition of a differentiable op; see {@linkcode defineOp}. */
export interface OpSpec<A extends readonly unknown[], S = undefined> {
  /** A short name, used in error messages and computation graphs. */
  readonly name: string;
  /**
   * Computes the result from the arguments: a Matrix, or `{ output, saved }`
   * to keep context for the backward. Arguments that are not matrices (a
   * scale factor, an axis, options) are passed through unchanged.
   */
  readonly forward: (...args: A) => Matrix | Saved<S>;
  /**
   * The vector-Jacobian product: given `g` = ∂L/∂output (the output's
   * shape), returns ∂L/∂argument for each argument in order, each with that
   * argument's shape, or null where there is none (non-matrix arguments,
   * arguments not needed). An op with one Matrix argument may return the
   * Matrix alone.
   */
  readonly backward: (
    g: Matrix,
    context: OpContext<A, S>,
  ) => Matrix | readonly (Matrix | null | undefined)[];
}

/** A differentiable op made by {@linkcode defineOp}. */
export type Op<A extends readonly unknown[]> = (...args: A) => Matrix;

const FN = "defineOp(spec)";

/**
 * Makes a differentiable op from its forward and backward. The op is a plain
 * function: outside a gradient it runs `forward`; inside {@linkcode grad} it
 * also records itself, and the gradient flows back through `backward`. The
 * forward and backward run with recording off, so they may use any of the
 * toolkit's ops, or plain loops.
 *
 * The backward's results are checked when the gradient is computed: each must
 * be a Matrix of its argument's shape (or null for none), and a wrong one
 * gets an error naming the op. Whether the backward is *right* is what
 * {@linkcode checkGrads} tells.
 *
 * @typeParam A The op's arguments.
 * @typeParam S What the forward saves for the backward.
 * @param spec The op's `name`, `forward` and `backward`.
 * @returns The op, a function of the same arguments as `forward` (it passes
 * them all on: checking them is the forward's part, as the toolkit's own
 * exports check theirs).
 * @throws {TypeError} When `spec` is not `{ name, forward, backward }` with a
 * non-empty name and two functions, or has other keys.
 *
 * @example A cube layer with its own backward, checked
 * ```ts
 * import { checkGrads, defineOp, grad, map, matrix, type Matrix, mul, scale, sum, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const cube = defineOp({
 *   name: "cube",
 *   forward: (x: Matrix) => map(x, (v) => v ** 3),
 *   backward: (g, { args: [x] }) => mul(g, scale(mul(x, x), 3)), // 3x²
 * });
 * const x = matrix([[1, -2]]);
 * assert.deepEqual(toArray(grad((p: Matrix) => sum(cube(p)))(x)), [[3, 12]]);
 * assert.ok(checkGrads((p: Matrix) => sum(cube(p)), x) < 1e-6);
 * ```
 */
export function defineOp<A extends readonly unknown[], S = undefined>(
  spec: OpSpec<A, S>,
): Op<A> {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("defineOp(spec)", arguments.length);
  }
  assertRecord(spec, FN, "spec", "an object { name, forward, backward }");
  for (const key of Object.keys(spec)) {
    if (key !== "name" && key !== "forward" && key !== "backward") {
      throw new TypeError(
        `Unknown key ${
          JSON.stringify(key)
        } in spec of ${FN}: expected name, forward and backward`,
      );
    }
  }
  const { name, forward, backward } = spec;
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `Expected spec.name of ${FN} to be a non-empty string, got ${
        describe(name)
      }`,
    );
  }
  assertFunction(forward, FN, "spec.forward");
  assertFunction(backward, FN, "spec.backward");
  const op: TapeOp = { name, backward };
  const general = (...args: A): Matrix => {
    const tape = activeTape;
    if (tape === null) return outputOf(forward(...args), name);
    setActiveTape(null);
    let result;
    try {
      result = forward(...args);
    } finally {
      setActiveTape(tape);
    }
    const output = outputOf(result, name);
    tape.record(
      op,
      args,
      output,
      isMatrix(result) ? undefined : (result as Saved<S>).saved,
    );
    return output;
  };
  // Outside a gradient, the ops of one and two arguments (nearly all) skip
  // the rest array and the spread call: about 20 ns a call (see
  // docs/benchmarks.md). Any other call takes the general path.
  const f = forward as unknown as (...args: unknown[]) => Matrix | Saved<S>;
  switch (forward.length) {
    case 1:
      return function (a: unknown): Matrix {
        if (activeTape === null && arguments.length === 1) {
          return outputOf(f(a), name);
        }
        return general(...(arguments as unknown as A));
      } as unknown as Op<A>;
    case 2:
      return function (a: unknown, b: unknown): Matrix {
        if (activeTape === null && arguments.length === 2) {
          return outputOf(f(a, b), name);
        }
        return general(...(arguments as unknown as A));
      } as unknown as Op<A>;
  }
  return general;
}

function outputOf(result: unknown, name: string): Matrix {
  if (isMatrix(result)) return result;
  if (
    typeof result === "object" && result !== null &&
    isMatrix((result as Saved<unknown>).output)
  ) {
    return (result as Saved<unknown>).output;
  }
  throw new TypeError(
    `Expected the forward of op "${name}" to return a Matrix or { output, saved }, got ${
      describe(result)
    }`,
  );
}

/**
 * The number held by a 1x1 Matrix, noted on the active tape so that `grad`
 * can find the op that computed it. Reductions (`sum`, `mean`, the losses)
 * return their results through this.
 */
export function scalarOf(m: Matrix, value: number): number {
  if (activeTape !== null) activeTape.scalar(m, value);
  return value;
}
