/**
 * Reverse-mode automatic differentiation of functions written with the
 * toolkit's own ops: {@linkcode grad} and {@linkcode valueAndGrad}.
 *
 * While the function runs, every differentiable op that receives a matrix
 * computed from the parameters records itself on a tape; the gradient is then
 * accumulated backwards through the tape. Outside of `grad`, ops record
 * nothing.
 *
 * @module
 */
import { describe } from "./_describe.ts";
import {
  assertFiniteResult,
  dataOf,
  fromData,
  isMatrix,
  type Matrix,
  shapeText,
} from "./_matrix.ts";
import { matmul } from "./_kernels.ts";
import { logSumExpColumns, softmaxInto } from "./_nn_kernels.ts";
import { activeTape, setActiveTape, Tape, type TapeNode } from "./_tape.ts";
import { readTree, rebuild } from "./_tree.ts";

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

// A vector-Jacobian rule: given the gradient g of a node's output (a
// Float64Array, of length 1 for a number), it returns the gradient of each
// input (or null where none is needed). Rules may return `g` itself but must
// never write into it, into the inputs or into the output.
type Rule = (
  node: TapeNode,
  g: Float64Array,
  need: readonly boolean[],
) => (Float64Array | null)[];

function fill(length: number, value: number): Float64Array {
  return new Float64Array(length).fill(value);
}

/** Sums a rows x cols gradient down to an operand's r x c broadcast shape. */
function unbroadcast(
  g: Float64Array,
  rows: number,
  cols: number,
  m: Matrix,
): Float64Array {
  const r = m.rows, c = m.cols;
  if (r === rows && c === cols) return g;
  const out = new Float64Array(r * c);
  for (let i = 0; i < rows; i++) {
    const oi = r === 1 ? 0 : i * c;
    for (let j = 0; j < cols; j++) {
      out[oi + (c === 1 ? 0 : j)] += g[i * cols + j];
    }
  }
  return out;
}

/** The entries of `m` broadcast to rows x cols (`m`'s own data if no need). */
function broadcastTo(m: Matrix, rows: number, cols: number): Float64Array {
  const src = dataOf(m);
  if (m.rows === rows && m.cols === cols) return src;
  const rs = m.rows === 1 ? 0 : m.cols;
  const cs = m.cols === 1 ? 0 : 1;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = src[i * rs + j * cs];
  }
  return out;
}

function outMatrix(node: TapeNode): Matrix {
  return node.output as Matrix;
}

function elementwiseRule(
  kind: "add" | "subtract" | "multiply" | "divide",
): Rule {
  return (node, g, need) => {
    const [a, b] = node.inputs;
    const out = outMatrix(node);
    const R = out.rows, C = out.cols, n = R * C;
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (kind === "add" || kind === "subtract") {
      if (need[0]) ga = unbroadcast(g, R, C, a);
      if (need[1]) {
        let full = g;
        if (kind === "subtract") {
          full = new Float64Array(n);
          for (let i = 0; i < n; i++) full[i] = -g[i];
        }
        gb = unbroadcast(full, R, C, b);
      }
    } else if (kind === "multiply") {
      if (need[0]) {
        const bb = broadcastTo(b, R, C);
        const full = new Float64Array(n);
        for (let i = 0; i < n; i++) full[i] = g[i] * bb[i];
        ga = unbroadcast(full, R, C, a);
      }
      if (need[1]) {
        const ab = broadcastTo(a, R, C);
        const full = new Float64Array(n);
        for (let i = 0; i < n; i++) full[i] = g[i] * ab[i];
        gb = unbroadcast(full, R, C, b);
      }
    } else {
      const bb = broadcastTo(b, R, C);
      if (need[0]) {
        const full = new Float64Array(n);
        for (let i = 0; i < n; i++) full[i] = g[i] / bb[i];
        ga = unbroadcast(full, R, C, a);
      }
      if (need[1]) {
        // ∂(a/b)/∂b = −a/b² = −(a/b)/b.
        const q = dataOf(out);
        const full = new Float64Array(n);
        for (let i = 0; i < n; i++) full[i] = -g[i] * q[i] / bb[i];
        gb = unbroadcast(full, R, C, b);
      }
    }
    return [ga, gb];
  };
}

/** A rule for an elementwise function of one matrix: g ⊙ f'(x). */
function unaryRule(
  derivative: (
    g: Float64Array,
    x: Float64Array,
    y: Float64Array,
  ) => Float64Array,
): Rule {
  return (node, g) => [
    derivative(g, dataOf(node.inputs[0]), dataOf(outMatrix(node))),
  ];
}

const RULES: Record<string, Rule> = {
  dot(node, g, need) {
    const [a, b] = node.inputs;
    const m = a.rows, k = a.cols, n = b.cols;
    return [
      need[0] ? matmul(g, dataOf(b), m, n, k, false, true) : null, // g·bᵀ
      need[1] ? matmul(dataOf(a), g, k, m, n, true, false) : null, // aᵀ·g
    ];
  },
  add: elementwiseRule("add"),
  subtract: elementwiseRule("subtract"),
  multiply: elementwiseRule("multiply"),
  divide: elementwiseRule("divide"),
  scale(node, g) {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = g[i] * node.aux;
    return [out];
  },
  transpose(node, g) {
    const m = node.inputs[0];
    const r = m.rows, c = m.cols;
    const out = new Float64Array(r * c);
    // g is c x r; the input's gradient is its transpose, r x c.
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) out[i * c + j] = g[j * r + i];
    }
    return [out];
  },
  sum(node, g) {
    const m = node.inputs[0];
    return [fill(m.rows * m.cols, g[0])];
  },
  mean(node, g) {
    const m = node.inputs[0];
    const n = m.rows * m.cols;
    return [fill(n, g[0] / n)];
  },
  sumAxis(node, g) {
    const m = node.inputs[0];
    const r = m.rows, c = m.cols;
    const out = new Float64Array(r * c);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        out[i * c + j] = node.aux === 0 ? g[j] : g[i];
      }
    }
    return [out];
  },
  squaredError(node, g, need) {
    const [u, d] = node.inputs;
    const du = dataOf(u), dd = dataOf(d);
    const gu = new Float64Array(du.length);
    for (let i = 0; i < gu.length; i++) gu[i] = 2 * g[0] * (du[i] - dd[i]);
    return [gu, need[1] ? gu.map((v) => -v) : null];
  },
  mse(node, g, need) {
    const [u, d] = node.inputs;
    const du = dataOf(u), dd = dataOf(d);
    const k = 2 * g[0] / du.length;
    const gu = new Float64Array(du.length);
    for (let i = 0; i < gu.length; i++) gu[i] = k * (du[i] - dd[i]);
    return [gu, need[1] ? gu.map((v) => -v) : null];
  },
  softmaxCrossEntropy(node, g, need) {
    const [z, d] = node.inputs;
    const r = z.rows, n = z.cols;
    const dz = dataOf(z), dd = dataOf(d);
    const k = g[0] / n;
    let gz: Float64Array | null = null;
    let gd: Float64Array | null = null;
    if (need[0]) {
      // ∂/∂z_ij of Σ_i d_ij (lse_j − z_ij) is softmax_ij · Σ_i d_ij − d_ij.
      const s = new Float64Array(r * n);
      softmaxInto(dz, r, n, s);
      gz = new Float64Array(r * n);
      for (let j = 0; j < n; j++) {
        let total = 0;
        for (let i = 0; i < r; i++) total += dd[i * n + j];
        for (let i = 0; i < r; i++) {
          gz[i * n + j] = k * (s[i * n + j] * total - dd[i * n + j]);
        }
      }
    }
    if (need[1]) {
      const lse = logSumExpColumns(dz, r, n);
      gd = new Float64Array(r * n);
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < n; j++) {
          gd[i * n + j] = k * (lse[j] - dz[i * n + j]);
        }
      }
    }
    return [gz, gd];
  },
  sigmoid: unaryRule((g, _x, y) => {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = g[i] * y[i] * (1 - y[i]);
    return out;
  }),
  tanh: unaryRule((g, _x, y) => {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = g[i] * (1 - y[i] * y[i]);
    return out;
  }),
  relu: unaryRule((g, x) => {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = x[i] > 0 ? g[i] : 0;
    return out;
  }),
  exp: unaryRule((g, _x, y) => {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = g[i] * y[i];
    return out;
  }),
  log: unaryRule((g, x) => {
    const out = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = g[i] / x[i];
    return out;
  }),
  softmax(node, g) {
    const s = dataOf(outMatrix(node));
    const r = node.inputs[0].rows, n = node.inputs[0].cols;
    const out = new Float64Array(r * n);
    for (let j = 0; j < n; j++) {
      let inner = 0;
      for (let i = 0; i < r; i++) inner += g[i * n + j] * s[i * n + j];
      for (let i = 0; i < r; i++) {
        out[i * n + j] = s[i * n + j] * (g[i * n + j] - inner);
      }
    }
    return [out];
  },
};

/** Finds the node that produced what `f` returned, or throws. */
function resultNode(tape: Tape, result: unknown, fn: string): number {
  if (typeof result === "number") {
    for (let k = tape.scalars.length - 1; k >= 0; k--) {
      const id = tape.scalars[k];
      if (Object.is(tape.nodes[id].output, result)) return id;
    }
    throw new TypeError(
      `Cannot differentiate f in ${fn}: f returned ${result}, a number no differentiable op computed from the parameters. Combine results with the toolkit's ops rather than JavaScript's + - * / (for example sum(add(a, b)) instead of sum(a) + sum(b)), or return a 1x1 Matrix; only differentiable ops and forward are traced (not gradient, train, map or numericalGradient), and if f does not depend on the parameters its gradient is zero`,
    );
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
  if (
    typeof result === "object" && result !== null &&
    typeof (result as { then?: unknown }).then === "function"
  ) {
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

/** Runs the tape backwards from `start`; returns the gradient of every node. */
function backward(tape: Tape, start: number): (Float64Array | undefined)[] {
  const { nodes } = tape;
  const grads: (Float64Array | undefined)[] = new Array(nodes.length);
  // A gradient array first stored for a node may be shared with another node
  // (rules may pass `g` through); it is copied before anything is added to it.
  const owned = new Uint8Array(nodes.length);
  grads[start] = new Float64Array([1]);
  if (isMatrix(nodes[start].output)) owned[start] = 1;
  for (let id = start; id >= 0; id--) {
    const g = grads[id];
    const node = nodes[id];
    if (g === undefined || node.op === "leaf") continue;
    const need = node.inputIds.map((k) => k >= 0);
    const rule = RULES[node.op];
    const inputGrads = rule(node, g, need);
    for (let i = 0; i < node.inputIds.length; i++) {
      const k = node.inputIds[i];
      const gi = inputGrads[i];
      if (k < 0 || gi === null) continue;
      const prev = grads[k];
      if (prev === undefined) {
        grads[k] = gi;
      } else {
        const acc = owned[k] ? prev : prev.slice();
        for (let j = 0; j < acc.length; j++) acc[j] += gi[j];
        grads[k] = acc;
        owned[k] = 1;
      }
    }
  }
  return grads;
}

function checkFunction(f: unknown, fn: string): void {
  if (typeof f !== "function") {
    throw new TypeError(
      `Expected f of ${fn} to be a function, got ${describe(f)}`,
    );
  }
}

function evaluate<P>(
  f: (params: P) => number | Matrix,
  params: P,
  fn: string,
): ValueAndGrad<P> {
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
  const grads = backward(tape, start);
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
 * ops: `dot`, `add`, `sub`, `mul`, `div` (broadcasting included), `scale`
 * (by a constant), `transpose`, `sum`, `sumAxis`, `mean`, `squaredError`,
 * `mse`, `softmaxCrossEntropy`, `sigmoid`, `tanh`, `relu`, `exp`, `log`,
 * `softmax`, the article's `forward`, and `predict` of an MLP. It must
 * return a number that one of these ops returned (the op's result itself, not a JavaScript expression
 * such as `sum(a) + sum(b)`, which cannot be traced) or a 1x1 Matrix. A
 * returned number is matched to the most recent traced op that returned
 * exactly that number. Matrices that `f` captures from outside are
 * constants. The article's `gradient` and `train` are not traced.
 *
 * A value used several times accumulates its gradient; a broadcast operand
 * gets its gradient summed back to its own shape; nothing is mutated, and
 * calling the made function twice gives the same answer. `map` cannot be
 * differentiated (it throws), and gradients cannot be nested.
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
 * import { add, dot, matrix, squaredError, toArray, valueAndGrad } from "../mod.ts";
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
  const fn = "valueAndGrad(f)(params)";
  checkFunction(f, "valueAndGrad(f)");
  return (params) => evaluate(f, params, fn);
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
 * import { grad, matrix, mul, sum, toArray } from "../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const g = grad((v: ReturnType<typeof matrix>) => sum(mul(v, v)));
 * assert.deepEqual(toArray(g(matrix([[1, -2, 3]]))), [[2, -4, 6]]);
 * ```
 */
export function grad<P extends object>(
  f: (params: P) => number | Matrix,
): (params: P) => P {
  const fn = "grad(f)(params)";
  checkFunction(f, "grad(f)");
  return (params) => evaluate(f, params, fn).grad;
}
