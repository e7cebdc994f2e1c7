/**
 * {@linkcode computationGraph}: what `grad` sees, made visible. It runs a
 * function of parameters on the same tape as `grad`, then lists every value
 * the function computed from the parameters (each op's result), every input
 * and every constant, with its value and its gradient, and the edges between
 * them. `toDot` and `graphSvg` (lib/viz/graph.ts) draw the result.
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertFunction,
  assertInteger,
  assertMatrix,
  assertRecord,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, isMatrix, type Matrix } from "../core/_matrix.ts";
import type { Structure } from "../core/_tree.ts";
import type {
  ComputationGraph,
  GraphEdge,
  GraphNode,
  GraphValue,
} from "../core/graph_types.ts";
import { trace } from "./grad.ts";

/** Options for {@linkcode computationGraph}. */
export interface ComputationGraphOptions {
  /**
   * Names for the matrices the function captures, by the name to show:
   * `{ x, d }` shows the captured Matrix `x` as "x". Constants without a name
   * are called "const 1", "const 2", … in the order they are first used.
   *
   * @default {{}}
   */
  names?: Readonly<Record<string, Matrix>>;
  /**
   * Values with at most this many entries are shown whole; larger ones only
   * by their shape, smallest, largest and mean entry. An integer from 0 to
   * 10000.
   *
   * @default {12}
   */
  maxEntries?: number;
}

const FN = "computationGraph(f, params, options)";

/** A key as it reads in a path: `.w` for identifiers, `["a b"]` otherwise. */
function keyText(key: string, root: boolean): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return root ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

/** The path of every leaf of a parameter tree, depth first: "w", "layers[0].w". */
function leafPaths(structure: Structure): string[] {
  const out: string[] = [];
  const walk = (node: Structure, path: string) => {
    if (node === null) {
      out.push(path === "" ? "params" : path);
    } else if ("items" in node) {
      node.items.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else {
      node.keys.forEach((key, i) =>
        walk(node.values[i], path + keyText(key, path === ""))
      );
    }
  };
  walk(structure, "");
  return out;
}

/** A value as the graph shows it: whole when small, else summarized. */
function shown(
  rows: number,
  cols: number,
  data: Float64Array,
  maxEntries: number,
): GraphValue {
  let min = Infinity, max = -Infinity, total = 0;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
    total += v;
  }
  let mean = total / data.length;
  if (!Number.isFinite(mean)) {
    // Dividing each entry first cannot overflow, unlike the plain sum.
    mean = 0;
    for (const v of data) mean += v / data.length;
  }
  let entries: number[][] | null = null;
  if (data.length <= maxEntries) {
    entries = [];
    for (let i = 0; i < rows; i++) {
      entries.push(Array.from(data.subarray(i * cols, (i + 1) * cols)));
    }
  }
  return { rows, cols, entries, min, max, mean };
}

/**
 * Traces `f` at `params` as {@linkcode grad} does, and returns its
 * computation graph: a node for each parameter (an input, named by its path
 * in the tree: `"w"`, `"b"`, `"layers[0].w"`), each Matrix `f` captured and
 * passed to an op (a constant, named `"const 1"`, … or by
 * `options.names`), and each op `f`'s value depends on (named by the op:
 * `"dot"`, `"add"`, `"sub"`, `"squaredError"`, …), each with its value and
 * its gradient ∂value/∂node, plus an edge for every argument of every op.
 * Values and gradients of at most 12 entries are kept whole, larger ones as
 * their shape, smallest, largest and mean entry. Constants have no gradient.
 *
 * `f` is written as for {@linkcode grad}: with the toolkit's ops, returning
 * a 1x1 Matrix or the number of one traced reduction. Numbers and options
 * passed to ops (the factor of `scale`, an axis) are not nodes.
 *
 * @typeParam P The type of the parameters.
 * @param f The scalar function to trace.
 * @param params Where to trace it: a Matrix, or a record or array of them.
 * @param options Names for captured matrices, and how many entries a value
 * may have to be shown whole.
 * @returns The graph: nodes (inputs, then constants and ops in the order
 * they ran), edges, the output node's index and `f`'s value.
 * @throws {TypeError} When `f` is not a function, `params` is not a tree of
 * matrices, `f` does not return a number or 1x1 Matrix computed from the
 * parameters by the toolkit's ops, it is called while a gradient is being
 * computed, or an option is of the wrong type or unknown.
 * @throws {RangeError} When `maxEntries` is out of range, or a gradient
 * overflows.
 *
 * @example The article's loss Σ(w·x + b − d)², node by node
 * ```ts
 * import { add, computationGraph, dot, matrix, type Matrix, squaredError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = matrix([[5], [2], [7]]);
 * const d = matrix([[1], [0]]);
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const b = matrix([[1.2], [3.4]]);
 * const loss = (p: { w: Matrix; b: Matrix }) =>
 *   squaredError(add(dot(p.w, x), p.b), d, { keepdims: true });
 * const graph = computationGraph(loss, { w, b }, { names: { x, d } });
 *
 * assert.deepEqual(graph.nodes.map((n) => n.name), ["w", "b", "x", "dot", "add", "d", "squaredError"]);
 * assert.equal(graph.value, 113.28999999999999);
 * assert.deepEqual(graph.nodes[1].grad?.entries, [[-9.6], [19]]);
 * assert.deepEqual(graph.edges[0], { from: 0, to: 3, arg: 0 }); // w is dot's first argument
 * ```
 */
export function computationGraph<P extends object>(
  f: (params: P) => number | Matrix,
  params: P,
  options?: ComputationGraphOptions,
): ComputationGraph {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "computationGraph(f, params, options)",
      arguments.length,
      2,
    );
  }
  assertFunction(f, FN, "f");
  const opts = readOptions(options, FN, ["names", "maxEntries"]);
  const maxEntries = opts.maxEntries === undefined
    ? 12
    : assertInteger(opts.maxEntries, FN, "options.maxEntries", 0, 10000);
  const given = new Map<Matrix, string>();
  if (opts.names !== undefined) {
    assertRecord(
      opts.names,
      FN,
      "options.names",
      "an object of matrices by name, such as { x, d }",
    );
    for (const [name, m] of Object.entries(opts.names)) {
      assertMatrix(m, FN, `options.names.${name}`);
      if (!given.has(m)) given.set(m, name);
    }
  }

  const { tape, structure, leafIds, start, value, grads } = trace(
    f,
    params,
    FN,
  );
  const tapeNodes = tape.nodes;
  // The ops the value depends on: the start and everything it reads from.
  const needed = new Uint8Array(tapeNodes.length);
  needed[start] = 1;
  for (let id = start; id >= 0; id--) {
    if (!needed[id]) continue;
    for (const k of tapeNodes[id].inputIds) if (k >= 0) needed[k] = 1;
  }

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const index = new Map<number, number>(); // tape id → node index
  const constants = new Map<Matrix, number>(); // captured Matrix → node index
  const gradOf = (id: number, m: Matrix): GraphValue => {
    const g = grads[id] ?? new Float64Array(m.rows * m.cols);
    assertFiniteResult(g, FN, "the gradient");
    return shown(m.rows, m.cols, g, maxEntries);
  };
  const valueOf = (m: Matrix) => shown(m.rows, m.cols, dataOf(m), maxEntries);

  const paths = leafPaths(structure);
  leafIds.forEach((id, i) => {
    const m = tapeNodes[id].output;
    index.set(id, nodes.length);
    nodes.push({
      kind: "input",
      name: paths[i],
      op: null,
      value: valueOf(m),
      grad: gradOf(id, m),
    });
  });
  let unnamed = 0;
  for (let id = 0; id < tapeNodes.length; id++) {
    const node = tapeNodes[id];
    if (node.op === null || !needed[id]) continue;
    const from: number[] = [];
    node.args.forEach((arg, i) => {
      const k = node.inputIds[i];
      if (k >= 0) {
        from[i] = index.get(k)!;
      } else if (isMatrix(arg)) {
        let c = constants.get(arg);
        if (c === undefined) {
          c = nodes.length;
          constants.set(arg, c);
          nodes.push({
            kind: "constant",
            name: given.get(arg) ?? `const ${++unnamed}`,
            op: null,
            value: valueOf(arg),
            grad: null,
          });
        }
        from[i] = c;
      }
    });
    index.set(id, nodes.length);
    from.forEach((k, arg) => edges.push({ from: k, to: nodes.length, arg }));
    nodes.push({
      kind: "op",
      name: node.op.name,
      op: node.op.name,
      value: valueOf(node.output),
      grad: gradOf(id, node.output),
    });
  }
  return { nodes, edges, output: index.get(start)!, value };
}
