/**
 * Reverse-mode automatic differentiation of functions written with the
 * toolkit's own ops: {@linkcode grad} and {@linkcode valueAndGrad}.
 *
 * While the function runs, every op made with `defineOp` that receives a
 * matrix computed from the parameters records itself on a tape, with the
 * context its backward needs; the gradient is then accumulated backwards
 * through the tape, each node's backward found through the op itself. Outside
 * of `grad`, ops record nothing.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertFunction,
  describe,
  tooManyArguments,
} from "../core/_checks.ts";
import {
  dataOf,
  fromData,
  isMatrix,
  type Matrix,
  shapeText,
} from "../core/_matrix.ts";
import { readTree, rebuild, type Structure } from "../core/_tree.ts";
import { activeTape, setActiveTape, Tape } from "./_tape.ts";

/**
 * Parameters that {@linkcode grad} can differentiate with respect to: a
 * Matrix, or plain objects and arrays (nested as deep as needed) whose leaves
 * are all matrices, such as `{ w, b }` or `[{ w, b }, { w, b }]`.
 */
export type Params = Matrix | readonly Params[] | {
  readonly [key: string]: Params;
};

/** What the function made by {@linkcode valueAndGrad} returns. */
export interface ValueAndGrad<P> {
  /** The function's value at the parameters. */
  readonly value: number;
  /** The gradient: the parameters' structure, each Matrix replaced by ∂value/∂it. */
  readonly grad: P;
}

const HINT =
  "return a 1x1 Matrix instead, such as sum(m, { keepdims: true }), and combine 1x1 results with add and scale rather than JavaScript's + - * /";

/** Finds the node that produced what `f` returned, or throws. */
function resultNode(tape: Tape, result: unknown, fn: string): number {
  if (typeof result === "number") {
    let found = -1;
    for (const { value, id } of tape.scalars) {
      if (!Object.is(value, result) || id === found) continue;
      if (found >= 0) {
        throw new TypeError(
          `Cannot differentiate f in ${fn}: f returned the number ${result}, which more than one traced op computed, so which one it came from is ambiguous; ${HINT}`,
        );
      }
      found = id;
    }
    if (found < 0) {
      throw new TypeError(
        `Cannot differentiate f in ${fn}: f returned ${result}, a number no differentiable op computed from the parameters; ${HINT}. If f does not depend on the parameters its gradient is zero`,
      );
    }
    return found;
  }
  if (isMatrix(result)) {
    if (result.rows !== 1 || result.cols !== 1) {
      throw new TypeError(
        `Cannot differentiate f in ${fn}: f must return a number or a 1x1 Matrix, got a ${
          shapeText(result)
        } Matrix (reduce it with sum or mean first)`,
      );
    }
    const id = tape.ids.get(result);
    if (id === undefined) {
      throw new TypeError(
        `Cannot differentiate f in ${fn}: f returned a 1x1 Matrix that no differentiable op computed from the parameters`,
      );
    }
    return id;
  }
  if (result instanceof Promise) {
    throw new TypeError(
      `Cannot differentiate f in ${fn}: f returned a promise; f must be synchronous`,
    );
  }
  throw new TypeError(
    `Cannot differentiate f in ${fn}: f must return a number or a 1x1 Matrix, got ${
      describe(result)
    }`,
  );
}

/** The backward's results as one entry per argument, each checked. */
function inputGradients(
  returned: unknown,
  args: readonly unknown[],
  inputIds: readonly number[],
  name: string,
  fn: string,
): (Matrix | null)[] {
  const list = isMatrix(returned) ? [returned] : returned;
  if (!Array.isArray(list)) {
    throw new TypeError(
      `Cannot compute ${fn}: the backward of op "${name}" must return a Matrix or an array with one gradient per argument, got ${
        describe(returned)
      }`,
    );
  }
  const out: (Matrix | null)[] = new Array(args.length).fill(null);
  for (let i = 0; i < args.length; i++) {
    if (inputIds[i] < 0) continue;
    const gi: unknown = list[i];
    if (gi === null || gi === undefined) continue;
    const arg = args[i] as Matrix;
    if (!isMatrix(gi) || gi.rows !== arg.rows || gi.cols !== arg.cols) {
      throw new TypeError(
        `Cannot compute ${fn}: the backward of op "${name}" returned ${
          describe(gi)
        } as the gradient of argument ${i}, a ${
          shapeText(arg)
        } Matrix; it must have the argument's shape`,
      );
    }
    out[i] = gi;
  }
  return out;
}

/** Runs the tape backwards from `start`; returns the gradient of every node. */
function backward(
  tape: Tape,
  start: number,
  fn: string,
): (Float64Array | undefined)[] {
  const { nodes } = tape;
  const grads: (Float64Array | undefined)[] = new Array(nodes.length);
  // A gradient first stored for a node may be shared with another node or be
  // a backward's own data; it is copied before anything is added to it.
  const owned = new Uint8Array(nodes.length);
  grads[start] = new Float64Array([1]);
  for (let id = start; id >= 0; id--) {
    const g = grads[id];
    const node = nodes[id];
    if (g === undefined || node.op === null) continue;
    const { args, inputIds, output } = node;
    const context = {
      args,
      output,
      saved: node.saved,
      needs: inputIds.map((k) => k >= 0),
    };
    const returned = node.op.backward(
      fromData(output.rows, output.cols, g),
      context,
    );
    const inputGrads = inputGradients(
      returned,
      args,
      inputIds,
      node.op.name,
      fn,
    );
    for (let i = 0; i < inputIds.length; i++) {
      const k = inputIds[i];
      const gi = inputGrads[i];
      if (gi === null) continue;
      const data = dataOf(gi);
      const prev = grads[k];
      if (prev === undefined) {
        grads[k] = data;
      } else {
        const acc = owned[k] ? prev : prev.slice();
        for (let j = 0; j < acc.length; j++) acc[j] += data[j];
        grads[k] = acc;
        owned[k] = 1;
      }
    }
  }
  return grads;
}

/**
 * What running `f` on the tape recorded: internal to the toolkit (used by
 * {@linkcode valueAndGrad}, {@linkcode grad} and `computationGraph`), not
 * exported from mod.ts.
 */
export interface Trace {
  /** The recorded operations. */
  readonly tape: Tape;
  /** The parameters' matrices as given, depth first. */
  readonly leaves: readonly Matrix[];
  /** The parameters' structure, to rebuild a tree of the same shape. */
  readonly structure: Structure;
  /** Per leaf: the tape index of its input node. */
  readonly leafIds: readonly number[];
  /** The tape index of the node `f`'s result came from. */
  readonly start: number;
  /** `f`'s value. */
  readonly value: number;
  /** ∂value/∂node for every node the result depends on, else undefined. */
  readonly grads: readonly (Float64Array | undefined)[];
}

/**
 * Runs `f` on `params` with a tape recording, then runs the tape backwards
 * from `f`'s result. Internal: `fn` names the public call for messages.
 */
export function trace<P>(
  f: (params: P) => number | Matrix,
  params: P,
  fn: string,
): Trace {
  const { leaves, structure } = readTree(params, fn, "params");
  if (activeTape !== null) {
    throw new TypeError(
      `Cannot call ${fn} while another gradient is being computed: nested gradients (derivatives of derivatives) are not supported`,
    );
  }
  const tape = new Tape();
  // Fresh Matrix objects over the same (immutable) data: each input is its
  // own leaf even when the same Matrix appears twice or is also captured by f.
  const wrapped = leaves.map((m) => fromData(m.rows, m.cols, dataOf(m)));
  const leafIds = wrapped.map((m) => tape.leaf(m));
  let result: unknown;
  setActiveTape(tape);
  try {
    result = f(rebuild<P>(structure, wrapped));
  } finally {
    setActiveTape(null);
  }
  const start = resultNode(tape, result, fn);
  const value = typeof result === "number"
    ? result
    : dataOf(result as Matrix)[0];
  const grads = backward(tape, start, fn);
  return { tape, leaves, structure, leafIds, start, value, grads };
}

/**
 * The value of `f` at `params` and its gradient, as the function made by
 * {@linkcode valueAndGrad} gives them. Internal (fit and checkGrads call it):
 * `fn` names the public call in messages.
 */
export function gradientOf<P>(
  f: (params: P) => number | Matrix,
  params: P,
  fn: string,
): ValueAndGrad<P> {
  const { leaves, structure, leafIds, value, grads } = trace(f, params, fn);
  const gradLeaves = leafIds.map((id, i) => {
    const m = leaves[i];
    const g = grads[id] ?? new Float64Array(m.rows * m.cols);
    assertFiniteResult(g, fn, "the gradient");
    return fromData(m.rows, m.cols, g);
  });
  return { value, grad: rebuild<P>(structure, gradLeaves) };
}

/**
 * Makes a function that computes both the value of `f` and its gradient with
 * respect to `f`'s argument, by reverse-mode automatic differentiation.
 *
 * `f` takes a Matrix or a record or array of matrices (see
 * {@linkcode Params}) and must be written with the toolkit's differentiable
 * ops: every op made with `defineOp`, which includes `dot`, `add`, `sub`,
 * `mul`, `div` (broadcasting included), `scale`, `transpose`, `sum`,
 * `sumAxis`, `mean`, the activations, `softmax`, `logSoftmax`, the losses,
 * the article's `forward`, and `model.apply` of a `sequential` model. It
 * returns a 1x1 Matrix (such as `sum(m, { keepdims: true })`, or a loss plus
 * a penalty combined with `add` and `scale`) or a number that exactly one
 * traced reduction returned. When the returned number could have come from
 * more than one traced op, the call throws rather than guess; JavaScript
 * arithmetic on numbers (`sum(a) + sum(b)`) cannot be traced. Matrices that
 * `f` captures from outside are constants. The article's `gradient` and
 * `train` are not traced.
 *
 * A value used several times accumulates its gradient; a broadcast operand
 * gets its gradient summed back to its own shape; nothing is mutated, and
 * calling the made function twice gives the same answer. `map` cannot be
 * differentiated (it throws: give it a backward with `defineOp`), and
 * gradients cannot be nested. Parameter trees may nest at most 100 levels.
 *
 * @typeParam P The type of the parameters.
 * @param f The scalar function to differentiate.
 * @returns A function from parameters to `{ value, grad }`, where `grad` has
 * the structure of the parameters. It throws a TypeError when the
 * parameters are not a tree of matrices, when `f` returns something other
 * than a number or 1x1 Matrix computed by the ops above, when `f` uses `map`
 * on a parameter, or when called inside another gradient; and a RangeError
 * when the gradient overflows.
 * @throws {TypeError} When `f` is not a function.
 *
 * @example The article's loss and its gradient
 * ```ts
 * import { add, dot, matrix, squaredError, toArray, valueAndGrad } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = matrix([[5], [2], [7]]);
 * const d = matrix([[1], [0]]);
 * const loss = (p: { w: typeof x; b: typeof x }) => squaredError(add(dot(p.w, x), p.b), d);
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const b = matrix([[1.2], [3.4]]);
 * const { value, grad } = valueAndGrad(loss)({ w, b });
 * assert.equal(value, 113.28999999999999);
 * assert.deepEqual(toArray(grad.b), [[-9.6], [19]]);
 * ```
 */
export function valueAndGrad<P extends object>(
  f: (params: P) => number | Matrix,
): (params: P) => ValueAndGrad<P> {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("valueAndGrad(f)", arguments.length);
  }
  const fn = "valueAndGrad(f)(params)";
  assertFunction(f, "valueAndGrad(f)", "f");
  return (params) => gradientOf(f, params, fn);
}

/**
 * Makes a function that computes the gradient of `f` with respect to `f`'s
 * argument. It is {@linkcode valueAndGrad} without the value; see there for
 * which functions can be differentiated.
 *
 * @typeParam P The type of the parameters.
 * @param f The scalar function to differentiate.
 * @returns A function from parameters to the gradient, with the structure of
 * the parameters: each Matrix replaced by ∂f/∂it. It throws as the function
 * made by {@linkcode valueAndGrad} does.
 * @throws {TypeError} When `f` is not a function.
 *
 * @example A value used twice: d/dv Σ v·v = 2v
 * ```ts
 * import { grad, matrix, mul, sum, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const g = grad((v: ReturnType<typeof matrix>) => sum(mul(v, v)));
 * assert.deepEqual(toArray(g(matrix([[1, -2, 3]]))), [[2, -4, 6]]);
 * ```
 */
export function grad<P extends object>(
  f: (params: P) => number | Matrix,
): (params: P) => P {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("grad(f)", arguments.length);
  }
  const fn = "grad(f)(params)";
  assertFunction(f, "grad(f)", "f");
  return (params) => gradientOf(f, params, fn).grad;
}
