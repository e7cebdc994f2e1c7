/**
 * A computation graph (from `computationGraph`) drawn two ways:
 * {@linkcode toDot} writes Graphviz DOT text, and {@linkcode graphSvg} draws
 * the same boxes and arrows as SVG with the toolkit's own layout, so no
 * Graphviz is needed. Each box shows a node's name and shape, its value and
 * its gradient. Pure functions that write nothing: `toDot` returns a string,
 * `graphSvg` an `Svg`, drawn inline in a Jupyter notebook and SVG text
 * everywhere else (`String(svg)`, `svg.markup`).
 *
 * @module
 */
import {
  arrayCallback,
  assertChoice,
  assertInteger,
  assertNumber,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import type {
  ComputationGraph,
  GraphNode,
  GraphValue,
} from "../core/graph_types.ts";
import { assertString, escapeXml, num, type Svg, svgDocument } from "./_svg.ts";

/** Options for {@linkcode toDot}. */
export interface ToDotOptions {
  /**
   * The title above the graph.
   *
   * @default {"Computation graph"}
   */
  title?: string;
  /**
   * Significant digits of the numbers shown, an integer from 1 to 17.
   *
   * @default {6}
   */
  precision?: number;
}

/** Options for {@linkcode graphSvg}. */
export interface GraphSvgOptions {
  /**
   * The title above the graph.
   *
   * @default {"Computation graph"}
   */
  title?: string;
  /**
   * Significant digits of the numbers shown, an integer from 1 to 17.
   *
   * @default {6}
   */
  precision?: number;
}

const KINDS = ["input", "constant", "op"] as const;

const STYLE = {
  input: { fill: "#dbe8f5", stroke: "#4e79a7" },
  constant: { fill: "#eeeeee", stroke: "#8c8c8c" },
  op: { fill: "#fdebd3", stroke: "#f28e2b" },
} as const;

const GRAD_COLOR = "#b03a2e";

// ---------------------------------------------------------------- checks

function checkEntries(v: GraphValue, fn: string, name: string): void {
  const { entries } = v;
  if (entries === null) return;
  if (!Array.isArray(entries) || entries.length !== v.rows) {
    throw new TypeError(
      `Expected ${name}.entries of ${fn} to be null or ${v.rows} rows of numbers, got ${
        describe(entries)
      }`,
    );
  }
  entries.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== v.cols) {
      throw new TypeError(
        `Expected ${name}.entries[${i}] of ${fn} to be a row of ${v.cols} numbers, got ${
          describe(row)
        }`,
      );
    }
    row.forEach((x, j) => assertNumber(x, fn, `${name}.entries[${i}][${j}]`));
  });
}

function checkValue(value: unknown, fn: string, name: string): GraphValue {
  assertRecord(value, fn, name, "{ rows, cols, entries, min, max, mean }");
  assertInteger(value.rows, fn, `${name}.rows`, 1, Number.MAX_SAFE_INTEGER);
  assertInteger(value.cols, fn, `${name}.cols`, 1, Number.MAX_SAFE_INTEGER);
  for (const key of ["min", "max", "mean"]) {
    assertNumber(value[key], fn, `${name}.${key}`);
  }
  checkEntries(value as unknown as GraphValue, fn, name);
  return value as unknown as GraphValue;
}

/** Checks a graph at the boundary; returns it, typed. */
function checkGraph(graph: unknown, fn: string): ComputationGraph {
  assertRecord(
    graph,
    fn,
    "graph",
    "a computation graph { nodes, edges, output, value }",
  );
  const { nodes, edges } = graph;
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new TypeError(
      `Expected graph.nodes of ${fn} to be a non-empty array of nodes, got ${
        describe(nodes)
      }`,
    );
  }
  nodes.forEach((node: unknown, i) => {
    const name = `graph.nodes[${i}]`;
    assertRecord(node, fn, name, "a node { kind, name, op, value, grad }");
    assertChoice(node.kind, fn, `${name}.kind`, KINDS);
    assertString(node.name, fn, `${name}.name`);
    if (node.op !== null) assertString(node.op, fn, `${name}.op`);
    const value = checkValue(node.value, fn, `${name}.value`);
    if (node.grad !== null) {
      const grad = checkValue(node.grad, fn, `${name}.grad`);
      if (grad.rows !== value.rows || grad.cols !== value.cols) {
        throw new RangeError(
          `Expected ${name}.grad of ${fn} to have the value's shape ${value.rows}x${value.cols}, got ${grad.rows}x${grad.cols}`,
        );
      }
    }
  });
  if (!Array.isArray(edges)) {
    throw new TypeError(
      `Expected graph.edges of ${fn} to be an array of edges { from, to, arg }, got ${
        describe(edges)
      }`,
    );
  }
  const last = nodes.length - 1;
  edges.forEach((edge: unknown, i) => {
    const name = `graph.edges[${i}]`;
    assertRecord(edge, fn, name, "an edge { from, to, arg }");
    assertInteger(edge.from, fn, `${name}.from`, 0, last);
    assertInteger(edge.to, fn, `${name}.to`, 0, last);
    assertInteger(edge.arg, fn, `${name}.arg`, 0, Number.MAX_SAFE_INTEGER);
    if ((nodes[edge.to as number] as GraphNode).kind !== "op") {
      throw new TypeError(
        `Expected ${name}.to of ${fn} to be an op node, got the ${
          (nodes[edge.to as number] as GraphNode).kind
        } node ${edge.to}`,
      );
    }
  });
  assertInteger(graph.output, fn, "graph.output", 0, last);
  assertNumber(graph.value, fn, "graph.value");
  return graph as unknown as ComputationGraph;
}

/** Each node's depth: 0 for a node no edge enters, else 1 + its deepest input. */
function depths(graph: ComputationGraph, fn: string): number[] {
  const n = graph.nodes.length;
  const inputs: number[][] = Array.from({ length: n }, () => []);
  for (const e of graph.edges) inputs[e.to].push(e.from);
  const depth = new Array<number>(n).fill(-1);
  const state = new Uint8Array(n); // 0 new, 1 open, 2 done
  const visit = (start: number) => {
    // Iterative depth-first search, so deep graphs cannot overflow the stack.
    const stack = [start];
    while (stack.length > 0) {
      const v = stack[stack.length - 1];
      if (state[v] === 0) {
        state[v] = 1;
        for (const u of inputs[v]) {
          if (state[u] === 1) {
            throw new TypeError(
              `Expected graph.edges of ${fn} to form no cycle, but node ${u} depends on itself`,
            );
          }
          if (state[u] === 0) stack.push(u);
        }
      } else {
        stack.pop();
        if (state[v] === 1) {
          state[v] = 2;
          depth[v] = inputs[v].reduce((d, u) => Math.max(d, depth[u] + 1), 0);
        }
      }
    }
  };
  for (let v = 0; v < n; v++) if (state[v] === 0) visit(v);
  return depth;
}

function readDrawOptions(
  options: unknown,
  fn: string,
): { title: string; precision: number } {
  const opts = readOptions(options, fn, ["title", "precision"]);
  return {
    title: opts.title === undefined
      ? "Computation graph"
      : assertString(opts.title, fn, "options.title"),
    precision: opts.precision === undefined
      ? 6
      : assertInteger(opts.precision, fn, "options.precision", 1, 17),
  };
}

// ---------------------------------------------------------------- labels

/** A number with at most `precision` significant digits, never "-0". */
function numberText(v: number, precision: number): string {
  const r = Number(v.toPrecision(precision));
  return String(r === 0 ? 0 : r);
}

/** A value as text lines, each row on its own line when one line is long. */
function valueLines(
  prefix: string,
  v: GraphValue,
  precision: number,
): string[] {
  const pad = " ".repeat(prefix.length);
  if (v.entries === null) {
    return [
      `${prefix}min ${numberText(v.min, precision)}, max ${
        numberText(v.max, precision)
      }`,
      `${pad}mean ${numberText(v.mean, precision)}`,
    ];
  }
  const rows = v.entries.map((row) =>
    `[${row.map((x) => numberText(x, precision)).join(", ")}]`
  );
  const whole = `${prefix}[${rows.join(", ")}]`;
  if (whole.length <= 48 || rows.length === 1) return [whole];
  return rows.map((row, i) =>
    (i === 0 ? `${prefix}[` : `${pad} `) + row +
    (i === rows.length - 1 ? "]" : ",")
  );
}

/** A node's box: the head (name, op), its shape, value lines, grad lines. */
interface Label {
  head: string;
  shape: string;
  value: string[];
  grad: string[];
}

function labelOf(node: GraphNode, precision: number): Label {
  const head = node.op !== null && node.op !== node.name
    ? `${node.name} (${node.op})`
    : node.name;
  return {
    head,
    shape: `${node.value.rows}x${node.value.cols}`,
    value: valueLines("value ", node.value, precision),
    grad: node.grad === null
      ? ["grad  none (a constant)"]
      : valueLines("grad  ", node.grad, precision),
  };
}

// ---------------------------------------------------------------- DOT

/** Text inside a DOT HTML-like label. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text inside a DOT double-quoted string. */
function quoted(text: string): string {
  return `"${
    text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")
  }"`;
}

/**
 * Writes a computation graph as Graphviz DOT: one box per node, drawn left
 * to right from the inputs to the output, each an HTML-like table of three
 * rows: the name and shape, the value, and the gradient (∂output/∂node).
 * Inputs are blue, constants grey, ops orange; the output has a thicker
 * border. Render it with `dot -Tsvg graph.dot > graph.svg`, or paste it into
 * any Graphviz viewer.
 *
 * @param graph A graph made by `computationGraph` (or data of its shape).
 * @param options The title, and the significant digits of the numbers.
 * @returns The DOT text, ending with a newline.
 * @throws {TypeError} When `graph` is not a computation graph (wrong types,
 * an edge into a node that is not an op, a cycle), or an option is of the
 * wrong type or unknown.
 * @throws {RangeError} When a number in the graph is not finite, an edge
 * names a node that does not exist, or `precision` is out of range.
 *
 * @example The article's first op, as DOT
 * ```ts
 * import { computationGraph, dot, matrix, type Matrix, sum, toDot } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = matrix([[5], [2], [7]]);
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const graph = computationGraph((p: Matrix) => sum(dot(p, x)), w, { names: { x } });
 * const text = toDot(graph, { title: "y = w·x" });
 * assert.match(text, /^digraph "computation graph" \{/);
 * assert.match(text, /rankdir=LR/);
 * assert.match(text, /n0 -> n2/); // w flows into dot
 * assert.match(text, /value \[\[0, 0\.3, -0\.8\], \[1, -1\.2, 0\.5\]\]/);
 * ```
 */
export function toDot(
  graph: ComputationGraph,
  options?: ToDotOptions,
): string {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("toDot(graph, options)", arguments.length, 1);
  }
  const fn = "toDot(graph, options)";
  const g = checkGraph(graph, fn);
  depths(g, fn);
  const { title, precision } = readDrawOptions(options, fn);
  const lines = [
    `digraph "computation graph" {`,
    `  graph [rankdir=LR, label=${
      quoted(title)
    }, labelloc=t, fontname="Helvetica", fontsize=16, nodesep=0.25, ranksep=0.6];`,
    `  node [shape=plain, fontname="Courier", fontsize=11];`,
    `  edge [color="#555555", arrowsize=0.8];`,
  ];
  g.nodes.forEach((node, i) => {
    const label = labelOf(node, precision);
    const style = STYLE[node.kind];
    const border = i === g.output ? 3 : 1;
    const cell = (text: string[], color?: string) => {
      const body = text.map(escapeHtml).join(`<BR ALIGN="LEFT"/>`) +
        `<BR ALIGN="LEFT"/>`;
      return `<TR><TD ALIGN="LEFT" BALIGN="LEFT">${
        color ? `<FONT COLOR="${color}">${body}</FONT>` : body
      }</TD></TR>`;
    };
    const head = `<TR><TD ALIGN="LEFT"><B>${escapeHtml(label.head)}</B>  ${
      escapeHtml(label.shape)
    }</TD></TR>`;
    lines.push(
      `  n${i} [label=<<TABLE BORDER="${border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="${style.fill}" COLOR="${style.stroke}">${head}${
        cell(label.value)
      }${cell(label.grad, GRAD_COLOR)}</TABLE>>];`,
    );
  });
  for (const e of g.edges) lines.push(`  n${e.from} -> n${e.to};`);
  lines.push("}", "");
  return lines.join("\n");
}

// ---------------------------------------------------------------- SVG

const CHAR = 7.3; // the width of a character of 12px monospace, generously
const LINE = 16;
const PAD = 8;
const ROW_GAP = 18;
const COL_GAP = 64;
const MARGIN = 20;

/** One slot of the layout: a node's box, or a point a long edge passes. */
interface Slot {
  node: number; // index in graph.nodes, or -1 for a point of a long edge
  layer: number;
  w: number;
  h: number;
  pred: Slot[];
  succ: Slot[];
  order: number;
  y: number; // top
}

/** Unweighted isotonic regression (pool adjacent violators): nondecreasing. */
function isotonic(t: number[]): number[] {
  const blocks: { sum: number; n: number }[] = [];
  for (const v of t) {
    blocks.push({ sum: v, n: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1], a = blocks[blocks.length - 2];
      if (a.sum / a.n <= b.sum / b.n) break;
      a.sum += b.sum;
      a.n += b.n;
      blocks.pop();
    }
  }
  return blocks.flatMap((b) => new Array<number>(b.n).fill(b.sum / b.n));
}

/**
 * Places one layer's slots, in their order, as near to the centres in
 * `wanted` as the gaps between them allow.
 */
function place(slots: Slot[], wanted: number[]): void {
  const offsets: number[] = [];
  let offset = 0;
  for (const s of slots) {
    offsets.push(offset);
    offset += s.h + ROW_GAP;
  }
  const z = isotonic(slots.map((s, i) => wanted[i] - s.h / 2 - offsets[i]));
  slots.forEach((s, i) => s.y = z[i] + offsets[i]);
}

const centre = (s: Slot) => s.y + s.h / 2;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Draws a computation graph as SVG with the toolkit's own layout, no
 * Graphviz needed: the nodes in columns by their depth from the inputs (each
 * input and constant one column before the first op that takes it), left to
 * right towards the output, each a box with three lines: the name and shape,
 * the value, and the gradient (∂output/∂node). Arrows run from each value to
 * the ops that take it, entering an op in the order of its arguments, and
 * long ones pass between the boxes of the columns they cross. Inputs are
 * blue, constants grey, ops orange; the output has a thicker border.
 *
 * @param graph A graph made by `computationGraph` (or data of its shape).
 * @param options The title, and the significant digits of the numbers.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When `graph` is not a computation graph (wrong types,
 * an edge into a node that is not an op, a cycle), or an option is of the
 * wrong type or unknown.
 * @throws {RangeError} When a number in the graph is not finite, an edge
 * names a node that does not exist, or `precision` is out of range.
 *
 * @example The article's loss, drawn
 * ```ts
 * import { add, computationGraph, dot, graphSvg, matrix, type Matrix, squaredError } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = matrix([[5], [2], [7]]);
 * const d = matrix([[1], [0]]);
 * const loss = (p: { w: Matrix; b: Matrix }) =>
 *   squaredError(add(dot(p.w, x), p.b), d, { keepdims: true });
 * const graph = computationGraph(loss, {
 *   w: matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]),
 *   b: matrix([[1.2], [3.4]]),
 * }, { names: { x, d } });
 * const svg = graphSvg(graph, { title: "The article's loss" });
 * assert.match(svg.markup, /^<svg /);
 * assert.match(svg.markup, /The article&#39;s loss/);
 * assert.match(svg.markup, /value \[\[113\.29\]\]/);
 * assert.match(svg.markup, /grad  \[\[-9\.6\], \[19\]\]/);
 * ```
 */
export function graphSvg(
  graph: ComputationGraph,
  options?: GraphSvgOptions,
): Svg {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("graphSvg(graph, options)", arguments.length, 1);
  }
  const fn = "graphSvg(graph, options)";
  const g = checkGraph(graph, fn);
  const depth = depths(g, fn);
  const { title, precision } = readDrawOptions(options, fn);
  const n = g.nodes.length;

  // Layers: ops by depth; an input or constant one layer before its first op.
  const layerOf = depth.slice();
  const consumers: number[][] = Array.from({ length: n }, () => []);
  for (const e of g.edges) consumers[e.from].push(e.to);
  g.nodes.forEach((node, i) => {
    if (node.kind !== "op" && consumers[i].length > 0) {
      layerOf[i] = Math.min(...consumers[i].map((c) => depth[c])) - 1;
    }
  });
  const layerCount = Math.max(...layerOf) + 1;

  // Slots: a box for each node, a point in each layer a long edge crosses.
  const labels = g.nodes.map((node) => labelOf(node, precision));
  const slots: Slot[] = labels.map((label, i) => {
    const lines = [
      `${label.head}  ${label.shape}`,
      ...label.value,
      ...label.grad,
    ];
    const chars = Math.max(...lines.map((l) => [...l].length));
    return {
      node: i,
      layer: layerOf[i],
      w: Math.ceil(chars * CHAR + 2 * PAD),
      h: lines.length * LINE + 2 * PAD - 4,
      pred: [],
      succ: [],
      order: i,
      y: 0,
    };
  });
  // Each edge as its chain of slots, from the value to the op.
  const chains = g.edges.map((e) => {
    const chain = [slots[e.from]];
    for (let l = layerOf[e.from] + 1; l < layerOf[e.to]; l++) {
      const point: Slot = {
        node: -1,
        layer: l,
        w: 0,
        h: 0,
        pred: [],
        succ: [],
        order: slots.length,
        y: 0,
      };
      slots.push(point);
      chain.push(point);
    }
    chain.push(slots[e.to]);
    for (let k = 1; k < chain.length; k++) {
      chain[k - 1].succ.push(chain[k]);
      chain[k].pred.push(chain[k - 1]);
    }
    return chain;
  });
  const layers: Slot[][] = Array.from({ length: layerCount }, () => []);
  for (const s of slots) layers[s.layer].push(s);

  // Order within layers: barycentre sweeps, down then up, to untangle edges.
  const renumber = (layer: Slot[]) => layer.forEach((s, i) => s.order = i);
  layers.forEach(renumber);
  // Going up, an op's arguments are ordered as they enter it: first on top.
  const ports = new Map<Slot, Map<Slot, number>>();
  chains.forEach((chain, i) => {
    const [from, to] = chain.slice(-2);
    const into = g.edges.filter((e) => e.to === g.edges[i].to).length;
    if (!ports.has(from)) ports.set(from, new Map());
    ports.get(from)!.set(to, (g.edges[i].arg + 1) / (into + 1) - 0.5);
  });
  const sortBy = (layer: Slot[], down: boolean) => {
    const at = new Map(layer.map((s) => {
      const near = down
        ? s.pred.map((t) => t.order)
        : s.succ.map((t) => t.order + (ports.get(s)?.get(t) ?? 0));
      return [s, near.length ? mean(near) : s.order];
    }));
    layer.sort((a, b) => at.get(a)! - at.get(b)! || a.order - b.order);
    renumber(layer);
  };
  for (let round = 0; round < 4; round++) {
    for (let l = 1; l < layerCount; l++) sortBy(layers[l], true);
    for (let l = layerCount - 2; l >= 0; l--) sortBy(layers[l], false);
  }

  // Heights: stacked first, then each slot drawn towards its neighbours.
  for (const layer of layers) {
    let y = 0;
    for (const s of layer) {
      s.y = y;
      y += s.h + ROW_GAP;
    }
    layer.forEach((s) => s.y -= (y - ROW_GAP) / 2);
  }
  for (let round = 0; round < 8; round++) {
    const down = round % 2 === 0;
    const order = layers.map((_, i) => down ? i : layerCount - 1 - i);
    for (const l of order) {
      const layer = layers[l];
      place(
        layer,
        layer.map((s) => {
          const near = [...s.pred, ...s.succ];
          return near.length ? mean(near.map(centre)) : centre(s);
        }),
      );
    }
  }

  // Columns left to right; boxes centred in their column.
  const colWidth = layers.map((layer) => Math.max(0, ...layer.map((s) => s.w)));
  const colX: number[] = [];
  let x = MARGIN;
  for (const w of colWidth) {
    colX.push(x);
    x += w + COL_GAP;
  }
  const graphWidth = x - COL_GAP + MARGIN;
  const titleHeight = title ? 64 : 36;
  const minY = Math.min(...slots.map((s) => s.y));
  const maxY = Math.max(...slots.map((s) => s.y + s.h));
  const shift = titleHeight - minY;
  for (const s of slots) s.y += shift;
  const left = (s: Slot) => colX[s.layer] + (colWidth[s.layer] - s.w) / 2;
  const width = Math.max(
    graphWidth,
    [...title].length * 9 + 2 * MARGIN,
    560,
  );
  const height = maxY - minY + titleHeight + MARGIN;
  const offsetX = (width - graphWidth) / 2;

  // Where edges leave and enter boxes: spread along the side, in order.
  const exits = new Map<number, number>();
  const entries = new Map<number, number>();
  const spread = (ids: number[], s: Slot, into: Map<number, number>) =>
    ids.forEach((id, k) =>
      into.set(id, s.y + (s.h * (k + 1)) / (ids.length + 1))
    );
  slots.forEach((s) => {
    if (s.node < 0) return;
    const outs = g.edges.map((_, i) => i).filter((i) =>
      g.edges[i].from === s.node
    );
    outs.sort((a, b) => centre(chains[a][1]) - centre(chains[b][1]) || a - b);
    spread(outs, s, exits);
    const ins = g.edges.map((_, i) => i).filter((i) =>
      g.edges[i].to === s.node
    );
    ins.sort((a, b) => g.edges[a].arg - g.edges[b].arg || a - b);
    spread(ins, s, entries);
  });

  const body: string[] = [
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>`,
  ];
  if (title) {
    body.push(
      `<text x="${
        num(width / 2)
      }" y="26" text-anchor="middle" font-size="16" font-weight="bold">${
        escapeXml(title)
      }</text>`,
    );
  }
  // A legend under the title.
  const legend = [
    ["input", STYLE.input],
    ["constant", STYLE.constant],
    ["op", STYLE.op],
  ] as const;
  const gradNote = "grad = ∂output/∂node";
  let lx = width / 2 -
    (legend.reduce((w, [name]) => w + 35 + name.length * 7, 0) +
        gradNote.length * 7) / 2;
  const ly = title ? 40 : 12;
  for (const [name, style] of legend) {
    body.push(
      `<rect x="${
        num(lx)
      }" y="${ly}" width="14" height="12" fill="${style.fill}" stroke="${style.stroke}"/>`,
      `<text x="${num(lx + 19)}" y="${ly + 10}">${name}</text>`,
    );
    lx += 19 + name.length * 7 + 16;
  }
  body.push(
    `<text x="${num(lx)}" y="${
      ly + 10
    }" fill="${GRAD_COLOR}">${gradNote}</text>`,
  );

  // Edges under the boxes.
  body.push(`<g fill="none" stroke="#555" stroke-width="1.3">`);
  // Each edge runs straight to the edge of its box's column, curves through
  // the gap between columns (where there are no boxes), runs straight across
  // each column it passes (between that column's boxes) and straight into
  // the op's box: so no edge crosses a box.
  chains.forEach((chain, i) => {
    const [first, last] = [chain[0], chain[chain.length - 1]];
    const colLeft = (s: Slot) => offsetX + colX[s.layer];
    const colRight = (s: Slot) => colLeft(s) + colWidth[s.layer];
    let y = exits.get(i)!;
    let d = `M${num(offsetX + left(first) + first.w)},${num(y)}H${
      num(colRight(first))
    }`;
    const curveTo = (x1: number, y1: number, x0: number) => {
      const xm = (x0 + x1) / 2;
      d += `C${num(xm)},${num(y)} ${num(xm)},${num(y1)} ${num(x1)},${num(y1)}`;
      y = y1;
    };
    let x = colRight(first);
    for (const p of chain.slice(1, -1)) {
      curveTo(colLeft(p), centre(p), x);
      d += `H${num(colRight(p))}`;
      x = colRight(p);
    }
    curveTo(colLeft(last), entries.get(i)!, x);
    d += `H${num(offsetX + left(last))}`;
    body.push(`<path d="${d}" marker-end="url(#arrow)"/>`);
  });
  body.push("</g>");

  // Boxes with their lines of text.
  body.push(
    `<g font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="12">`,
  );
  slots.forEach((s) => {
    if (s.node < 0) return;
    const node = g.nodes[s.node];
    const label = labels[s.node];
    const style = STYLE[node.kind];
    const bx = offsetX + left(s);
    const strong = s.node === g.output;
    body.push(
      `<rect x="${num(bx)}" y="${
        num(s.y)
      }" width="${s.w}" height="${s.h}" rx="4" fill="${style.fill}" stroke="${style.stroke}" stroke-width="${
        strong ? 3 : 1.2
      }"/>`,
    );
    let ty = s.y + PAD + 11;
    const text = (t: string, color?: string) => {
      body.push(
        `<text x="${num(bx + PAD)}" y="${num(ty)}" xml:space="preserve"${
          color ? ` fill="${color}"` : ""
        }>${t}</text>`,
      );
      ty += LINE;
    };
    text(
      `<tspan font-weight="bold">${escapeXml(label.head)}</tspan>  ${
        escapeXml(label.shape)
      }`,
    );
    for (const line of label.value) text(escapeXml(line));
    for (const line of label.grad) text(escapeXml(line), GRAD_COLOR);
  });
  body.push("</g>");
  return svgDocument(width, height, body);
}
