/**
 * The data of a computation graph, as `computationGraph` (in
 * lib/autodiff/graph.ts) makes it and `toDot` and `graphSvg` (in
 * lib/viz/graph.ts) draw it. Types only: plain, JSON-ready data, so that the
 * drawing needs nothing from autodiff.
 *
 * @module
 */

/**
 * A Matrix as a graph shows it: its shape, its smallest, largest and mean
 * entry, and, when it is small enough, every entry.
 */
export interface GraphValue {
  /** The number of rows. */
  readonly rows: number;
  /** The number of columns. */
  readonly cols: number;
  /**
   * Every entry, row by row, when the Matrix is small (at most 12 entries
   * unless `maxEntries` says otherwise); null when only summarized.
   */
  readonly entries: readonly (readonly number[])[] | null;
  /** The smallest entry. */
  readonly min: number;
  /** The largest entry. */
  readonly max: number;
  /** The mean of the entries. */
  readonly mean: number;
}

/** One node of a {@linkcode ComputationGraph}. */
export interface GraphNode {
  /**
   * `"input"` for a parameter, `"constant"` for a Matrix the function
   * captured, `"op"` for the result of a differentiable op.
   */
  readonly kind: "input" | "constant" | "op";
  /**
   * What to call the node: a parameter's path in the tree (`"w"`,
   * `"layers[0].w"`), a constant's name (`"const 1"` or the one given), or
   * the op's name (`"dot"`).
   */
  readonly name: string;
  /** The op's name (`"dot"`, `"add"`, …) for an op node; null otherwise. */
  readonly op: string | null;
  /** The node's value. */
  readonly value: GraphValue;
  /**
   * ∂result/∂node, the gradient of the function's value with respect to the
   * node's value; null for a constant.
   */
  readonly grad: GraphValue | null;
}

/** One edge of a {@linkcode ComputationGraph}: a value flowing into an op. */
export interface GraphEdge {
  /** The index in `nodes` of the value. */
  readonly from: number;
  /** The index in `nodes` of the op that takes it. */
  readonly to: number;
  /** Which argument of the op it is, counting from 0. */
  readonly arg: number;
}

/** A traced computation: its values and gradients, node by node. */
export interface ComputationGraph {
  /**
   * In the order of computation: the inputs first, in the parameters' order,
   * then the ops as they ran, each constant just before the first op that
   * takes it. Only ops the value depends on are included.
   */
  readonly nodes: readonly GraphNode[];
  /** Every value passed to an op, from the value to the op. */
  readonly edges: readonly GraphEdge[];
  /** The index in `nodes` of the node the function's value came from. */
  readonly output: number;
  /** The function's value. */
  readonly value: number;
}
