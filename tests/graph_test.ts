// Computation graphs: computationGraph's nodes, values and gradients for the
// article's loss (numbers from ../shared/article/sections.md and numpy, never
// from the code under test), constants and summaries, toDot's DOT (checked by
// the real Graphviz when `dot` is installed), graphSvg's SVG, and
// scripts/graph.ts run as a learner runs it.
import assert from "node:assert/strict";
import {
  add,
  type ComputationGraph,
  computationGraph,
  dot,
  graphSvg,
  type Matrix,
  matrix,
  mse,
  mul,
  relu,
  scale,
  squaredError,
  sub,
  sum,
  tanh,
  toArray,
  toDot,
  valueAndGrad,
} from "../mod.ts";
import { granted, type ProgramRun, runScript } from "./_helpers.ts";

const canRun = granted({ name: "run" });
const canWrite = granted({ name: "write" });

/** Whether Graphviz's `dot` can be run here. */
function findDot(): boolean {
  if (!canRun) return false;
  try {
    return new Deno.Command("dot", { args: ["-V"], stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
const hasDot = findDot();
const NO_DOT = canRun
  ? " — ignored: no Graphviz `dot` on PATH (apt-get install -y graphviz)"
  : " — ignored: needs --allow-run";

// The article, section 1.
const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const x = matrix([[5], [2], [7]]);
const b = matrix([[1.2], [3.4]]);
const d = matrix([[1], [0]]);

/** Σ(u − d)² written op by op, as scripts/graph.ts draws it. */
const articleLoss = (p: { w: Matrix; b: Matrix }) => {
  const e = sub(add(dot(p.w, x), p.b), d);
  return sum(mul(e, e), { keepdims: true });
};
const article = () =>
  computationGraph(articleLoss, { w, b }, { names: { x, d } });

/** A small network with a weight penalty: summaries, long edges, a cycle-free mess. */
const netParams = {
  layers: [
    {
      w: matrix([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [0.1, 0.1, 0.1], [
        0.2,
        0.2,
        -0.2,
      ]]),
      b: matrix([[0], [0.1], [0.2], [0.3]]),
    },
    { w: matrix([[1, -1, 0.5, 0.25]]), b: matrix([[0.5]]) },
  ],
};
const netX = matrix([[1, 2, 3, 4], [0, -1, 1, 2], [3, 3, 3, 1]]);
const netD = matrix([[1, 0, 1, 0]]);
const netLoss = (q: typeof netParams) => {
  const h = relu(add(dot(q.layers[0].w, netX), q.layers[0].b));
  const o = tanh(add(dot(q.layers[1].w, h), q.layers[1].b));
  const penalty = sum(mul(q.layers[0].w, q.layers[0].w), { keepdims: true });
  return add(mse(o, netD, { keepdims: true }), scale(penalty, 0.01));
};

const byName = (g: ComputationGraph, name: string) => {
  const node = g.nodes.find((n) => n.name === name);
  assert.ok(node, `no node ${name}`);
  return node;
};

Deno.test("computationGraph: the article's loss, node by node, with the article's numbers", () => {
  const g = article();
  assert.deepEqual(
    g.nodes.map((n) => [n.kind, n.name]),
    [
      ["input", "w"],
      ["input", "b"],
      ["constant", "x"],
      ["op", "dot"],
      ["op", "add"],
      ["constant", "d"],
      ["op", "sub"],
      ["op", "mul"],
      ["op", "sum"],
    ],
  );
  // Section 1: Loss: 113.28999999999999, and the values on the way (numpy).
  assert.equal(g.value, 113.28999999999999);
  assert.equal(g.output, 8);
  const values = g.nodes.map((n) => n.value.entries);
  assert.deepEqual(values, [
    [[0, 0.3, -0.8], [1, -1.2, 0.5]],
    [[1.2], [3.4]],
    [[5], [2], [7]],
    [[-5], [6.1]], // y = w·x
    [[-3.8], [9.5]], // u = y + b
    [[1], [0]],
    [[-4.8], [9.5]], // u − d
    [[23.04], [90.25]], // (u − d)²
    [[113.28999999999999]], // Loss
  ]);
  // Section 3: ∂Loss/∂w = 2(u − d)·xᵀ; ∂Loss/∂b = ∂Loss/∂u = 2(u − d).
  assert.deepEqual(byName(g, "w").grad?.entries, [
    [-48, -19.2, -67.2],
    [95, 38, 133],
  ]);
  for (const name of ["b", "dot", "add", "sub"]) {
    assert.deepEqual(byName(g, name).grad?.entries, [[-9.6], [19]], name);
  }
  assert.deepEqual(byName(g, "mul").grad?.entries, [[1], [1]]);
  assert.deepEqual(byName(g, "sum").grad?.entries, [[1]]);
  assert.equal(byName(g, "x").grad, null);
  assert.equal(byName(g, "d").grad, null);
  // One step of section 3 with the graph's gradient: new_Loss: 35.527744.
  const gw = matrix(byName(g, "w").grad!.entries! as number[][]);
  const newW = sub(w, scale(gw, 0.01));
  assert.ok(Math.abs(squaredError(add(dot(newW, x), b), d) - 35.527744) < 1e-9);
  // Shapes, and the summary numbers of a whole value.
  const wNode = byName(g, "w");
  assert.deepEqual(
    [wNode.value.rows, wNode.value.cols, wNode.value.min, wNode.value.max],
    [2, 3, -1.2, 1],
  );
  assert.ok(Math.abs(wNode.value.mean - -0.2 / 6) < 1e-15); // numpy: w.mean()
});

Deno.test("computationGraph: edges run from each argument to its op, in argument order", () => {
  const g = article();
  assert.deepEqual(g.edges, [
    { from: 0, to: 3, arg: 0 }, // w → dot
    { from: 2, to: 3, arg: 1 }, // x → dot
    { from: 3, to: 4, arg: 0 }, // y → add
    { from: 1, to: 4, arg: 1 }, // b → add
    { from: 4, to: 6, arg: 0 }, // u → sub
    { from: 5, to: 6, arg: 1 }, // d → sub
    { from: 6, to: 7, arg: 0 }, // e → mul, twice
    { from: 6, to: 7, arg: 1 },
    { from: 7, to: 8, arg: 0 }, // e² → sum
  ]);
});

Deno.test("computationGraph: the inputs' gradients are exactly valueAndGrad's", () => {
  const g = computationGraph(netLoss, netParams);
  const { value, grad } = valueAndGrad(netLoss)(netParams);
  assert.equal(g.value, value);
  const leaves = [
    grad.layers[0].w,
    grad.layers[0].b,
    grad.layers[1].w,
    grad.layers[1].b,
  ];
  leaves.forEach((m, i) => {
    assert.deepEqual(g.nodes[i].grad?.entries, toArray(m));
  });
  assert.deepEqual(
    g.nodes.slice(0, 4).map((n) => n.name),
    ["layers[0].w", "layers[0].b", "layers[1].w", "layers[1].b"],
  );
});

Deno.test("computationGraph: constants are named in order or by options.names, once each, without gradient", () => {
  const k = matrix([[2, 3]]);
  const f = (v: Matrix) => sum(mul(add(v, k), mul(k, v)), { keepdims: true });
  const v = matrix([[1, 1]]);
  const g = computationGraph(f, v);
  // k is used twice but is one node; a root Matrix is called "params".
  assert.deepEqual(
    g.nodes.map((n) => n.name),
    ["params", "const 1", "add", "mul", "mul", "sum"],
  );
  assert.deepEqual(g.nodes[1].value.entries, [[2, 3]]);
  assert.equal(g.nodes[1].grad, null);
  assert.equal(g.edges.filter((e) => e.from === 1).length, 2);
  const named = computationGraph(f, v, { names: { k } });
  assert.equal(named.nodes[1].name, "k");
  // Two unnamed constants, and a number argument that is no node.
  const two = computationGraph(
    (p: Matrix) => sum(scale(sub(mul(p, d), b), 3), { keepdims: true }),
    matrix([[1], [1]]),
    { names: { unused: w } },
  );
  assert.deepEqual(
    two.nodes.map((n) => n.name),
    ["params", "const 1", "mul", "const 2", "sub", "scale", "sum"],
  );
  // Keys that are not identifiers are quoted in paths.
  const odd = computationGraph(
    (p: { "a b": Matrix[] }) => sum(p["a b"][1], { keepdims: true }),
    { "a b": [matrix([[1]]), matrix([[2]])] },
  );
  assert.deepEqual(odd.nodes.map((n) => n.name), [
    '["a b"][0]',
    '["a b"][1]',
    "sum",
  ]);
  // An input the value does not use is shown with a zero gradient.
  assert.deepEqual(odd.nodes[0].grad?.entries, [[0]]);
});

Deno.test("computationGraph: ops the value does not depend on are left out; a number result works", () => {
  const g = computationGraph((p: Matrix) => {
    tanh(p); // computed, never used
    return sum(scale(p, 2)); // a number, as grad accepts
  }, matrix([[1, 2]]));
  assert.deepEqual(g.nodes.map((n) => n.name), ["params", "scale", "sum"]);
  assert.equal(g.value, 6);
  assert.deepEqual(g.nodes[0].grad?.entries, [[2, 2]]);
});

Deno.test("computationGraph: values of more than 12 entries (or options.maxEntries) are summarized", () => {
  const g = computationGraph(netLoss, netParams, { names: { netX, netD } });
  const first = g.nodes.find((n) => n.op === "dot")!; // 4x4: 16 entries
  assert.equal(first.value.entries, null);
  assert.deepEqual(
    [first.value.rows, first.value.cols, first.value.min, first.value.max],
    [4, 4, -0.4, 3.1], // numpy: np.dot(w0, x)
  );
  assert.ok(Math.abs(first.value.mean - 1) < 1e-12);
  assert.equal(first.grad?.entries, null);
  // 12 entries are still whole.
  assert.equal(byName(g, "netX").value.entries?.length, 3);
  const none = computationGraph(netLoss, netParams, { maxEntries: 0 });
  assert.ok(none.nodes.every((n) => n.value.entries === null));
  const all = computationGraph(netLoss, netParams, { maxEntries: 16 });
  assert.ok(all.nodes.every((n) => n.value.entries !== null));
  assert.deepEqual(JSON.parse(JSON.stringify(all)), all, "plain JSON data");
});

Deno.test("computationGraph: bad arguments get messages naming the argument", () => {
  const fn = /computationGraph\(f, params, options\)/;
  assert.throws(
    () => computationGraph(1 as never, { w }),
    (e: unknown) => e instanceof TypeError && /f of/.test(e.message),
  );
  assert.throws(
    () => computationGraph(articleLoss, { w, b: [1] } as never),
    (e: unknown) => e instanceof TypeError && fn.test(e.message),
  );
  assert.throws(
    () => computationGraph(articleLoss, { w, b }, { nmaes: {} } as never),
    /Unknown option "nmaes"/,
  );
  assert.throws(
    () =>
      computationGraph(articleLoss, { w, b }, { names: { x: [1] } } as never),
    /options\.names\.x of computationGraph/,
  );
  assert.throws(
    () => computationGraph(articleLoss, { w, b }, { maxEntries: -1 }),
    (e: unknown) =>
      e instanceof RangeError && /options\.maxEntries/.test(e.message),
  );
  assert.throws(
    () => computationGraph(() => 3, { w }),
    (e: unknown) =>
      e instanceof TypeError &&
      /Cannot differentiate f in computationGraph/.test(
        e.message,
      ),
  );
});

// ------------------------------------------------------------------ DOT

/** The DOT text's structure: node ids declared, edges between them, balance. */
function assertWellFormedDot(text: string, graph: ComputationGraph): void {
  assert.match(text, /^digraph "computation graph" \{\n/);
  assert.ok(text.endsWith("}\n"));
  assert.match(text, /rankdir=LR/);
  const declared = [...text.matchAll(/^ {2}(n\d+) \[label=<(.*)>\];$/gm)];
  assert.deepEqual(
    declared.map((m) => m[1]),
    graph.nodes.map((_, i) => `n${i}`),
  );
  for (const [, , label] of declared) {
    // HTML-like labels: every tag closed, no raw text that could break them.
    for (const tag of ["TABLE", "TR", "TD", "B", "FONT"]) {
      const open = label.match(new RegExp(`<${tag}[ >]`, "g"))?.length ?? 0;
      const close = label.match(new RegExp(`</${tag}>`, "g"))?.length ?? 0;
      assert.equal(open, close, `${tag} in ${label}`);
    }
    const text = label.replace(/<[^<>]*>/g, "");
    assert.doesNotMatch(text, /[<>"]|&(?!#\d+;)/, label);
  }
  const edges = [...text.matchAll(/^ {2}n(\d+) -> n(\d+);$/gm)]
    .map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(edges, graph.edges.map((e) => [e.from, e.to]));
  // Nothing but the header, nodes, edges and the closing brace.
  assert.equal(
    text.trimEnd().split("\n").length,
    4 + graph.nodes.length + graph.edges.length + 1,
  );
}

Deno.test("toDot: the article's graph as well-formed DOT with names, shapes, values and gradients", () => {
  const g = article();
  const text = toDot(g, { title: 'The "article"' });
  assertWellFormedDot(text, g);
  assert.match(text, /label="The \\"article\\""/);
  assert.match(text, /<B>w<\/B> {2}2x3/);
  assert.match(text, /value \[\[0, 0\.3, -0\.8\], \[1, -1\.2, 0\.5\]\]/);
  assert.match(text, /grad {2}\[\[-48, -19\.2, -67\.2\], \[95, 38, 133\]\]/);
  assert.match(text, /value \[\[113\.29\]\]/); // 6 significant digits
  assert.match(
    toDot(g, { precision: 17 }),
    /value \[\[113\.28999999999999\]\]/,
  );
  assert.match(text, /grad {2}none \(a constant\)/);
  assert.match(text, /BORDER="3"[^\n]*Loss|BORDER="3"[^\n]*<B>sum<\/B>/);
  assertWellFormedDot(
    toDot(computationGraph(netLoss, netParams)),
    computationGraph(netLoss, netParams),
  );
});

Deno.test("toDot and graphSvg: names that look like markup are escaped", () => {
  const g = article();
  const odd = {
    ...g,
    nodes: g.nodes.map((n, i) => i === 0 ? { ...n, name: `<w & "v">` } : n),
  };
  const text = toDot(odd, { title: "a\\b" });
  assertWellFormedDot(text, odd);
  assert.match(text, /&#60;w &#38; &#34;v&#34;&#62;/);
  assert.match(text, /label="a\\\\b"/);
  const svg = graphSvg(odd).markup;
  assertBalancedTags(svg);
  assert.match(svg, /&#60;w &#38; &#34;v&#34;&#62;/);
});

Deno.test({
  name: `toDot: Graphviz's own dot -Tsvg renders the DOT${
    hasDot ? "" : NO_DOT
  }`,
  ignore: !hasDot,
  async fn() {
    for (
      const g of [article(), computationGraph(netLoss, netParams)]
    ) {
      const child = new Deno.Command("dot", {
        args: ["-Tsvg"],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(
        new TextEncoder().encode(toDot(g, { title: "Σ(u − d)²" })),
      );
      await writer.close();
      const out = await child.output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      assert.equal(stderr, "", "no warnings");
      const svg = new TextDecoder().decode(out.stdout);
      assert.match(svg, /<svg /);
      assert.equal((svg.match(/class="node"/g) ?? []).length, g.nodes.length);
      assert.equal((svg.match(/class="edge"/g) ?? []).length, g.edges.length);
    }
  },
});

// ------------------------------------------------------------------ SVG

/** Every opened tag is closed in order (self-closing tags aside). */
function assertBalancedTags(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^<>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes nothing`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], "unclosed tags");
  assert.doesNotMatch(svg.replace(/<[^<>]*>/g, ""), /[<>]/, "stray < or >");
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The boxes of the nodes: the rectangles with rounded corners. */
function boxes(svg: string): Box[] {
  return [
    ...svg.matchAll(
      /<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)" rx=/g,
    ),
  ].map((m) => ({ x: +m[1], y: +m[2], w: +m[3], h: +m[4] }));
}

function assertLaidOut(svg: string, count: number): void {
  const width = Number(/^<svg [^>]*width="([\d.]+)"/.exec(svg)![1]);
  const height = Number(/^<svg [^>]*height="([\d.]+)"/.exec(svg)![1]);
  const all = boxes(svg);
  assert.equal(all.length, count);
  for (const [i, a] of all.entries()) {
    assert.ok(
      a.x >= 0 && a.y >= 40 && a.x + a.w <= width && a.y + a.h <= height,
      `box ${i} outside`,
    );
    for (const bx of all.slice(i + 1)) {
      const apart = a.x + a.w <= bx.x || bx.x + bx.w <= a.x ||
        a.y + a.h <= bx.y || bx.y + bx.h <= a.y;
      assert.ok(apart, `boxes overlap: ${JSON.stringify([a, bx])}`);
    }
  }
  // No arrow runs through a box: points along every path (M, H and C
  // commands) lie outside every box, but for the ends at the box edges.
  for (const [, d] of svg.matchAll(/<path d="(M[^"]*)" marker-end/g)) {
    const points: [number, number][] = [];
    let at: [number, number] = [0, 0];
    for (const [, cmd, args] of d.matchAll(/([MHC])([^MHC]*)/g)) {
      const v = args.split(/[ ,]/).map(Number);
      if (cmd === "M") at = [v[0], v[1]];
      else if (cmd === "H") {
        for (let t = 0; t <= 1; t += 0.05) {
          points.push([at[0] + (v[0] - at[0]) * t, at[1]]);
        }
        at = [v[0], at[1]];
      } else {
        const [x1, y1, x2, y2, x3, y3] = v;
        for (let t = 0; t <= 1; t += 0.05) {
          const u = 1 - t;
          points.push([
            u ** 3 * at[0] + 3 * u * u * t * x1 + 3 * u * t * t * x2 +
            t ** 3 * x3,
            u ** 3 * at[1] + 3 * u * u * t * y1 + 3 * u * t * t * y2 +
            t ** 3 * y3,
          ]);
        }
        at = [x3, y3];
      }
    }
    for (const [px, py] of points) {
      for (const bx of all) {
        const inside = px > bx.x + 1 && px < bx.x + bx.w - 1 &&
          py > bx.y + 1 && py < bx.y + bx.h - 1;
        assert.ok(!inside, `an arrow crosses a box at ${px},${py}`);
      }
    }
  }
}

Deno.test("graphSvg: balanced tags, every node's three lines, a title, boxes apart, one arrow per edge", () => {
  const g = article();
  const svg = graphSvg(g, { title: "The article's loss" }).markup;
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assertBalancedTags(svg);
  assert.match(svg, />The article&#39;s loss</);
  for (const node of g.nodes) {
    assert.ok(
      svg.includes(`font-weight="bold">${node.name}</tspan>`),
      node.name,
    );
  }
  for (
    const line of [
      "value [[0, 0.3, -0.8], [1, -1.2, 0.5]]",
      "grad  [[-48, -19.2, -67.2], [95, 38, 133]]",
      "value [[5], [2], [7]]",
      "grad  none (a constant)",
      "value [[-5], [6.1]]",
      "value [[23.04], [90.25]]",
      "value [[113.29]]",
      "grad  [[-9.6], [19]]",
    ]
  ) {
    assert.ok(svg.includes(`>${line}</text>`), line);
  }
  assert.equal(
    (svg.match(/marker-end="url\(#arrow\)"/g) ?? []).length,
    g.edges.length,
  );
  assertLaidOut(svg, g.nodes.length);
  // Columns by depth: w and x, then y and b, then u and d, then the rest.
  const xs = boxes(svg).map((bx) => bx.x + bx.w / 2);
  const column = (i: number) => xs.filter((v) => v < xs[i]).length;
  assert.ok(xs[0] < xs[3] && xs[2] < xs[3], "w and x before dot");
  assert.ok(xs[3] < xs[4] && xs[4] < xs[6] && xs[6] < xs[7] && xs[7] < xs[8]);
  assert.ok(column(1) > column(0), "b in a later column than w");
});

Deno.test("graphSvg: a network with summaries and long edges stays readable", () => {
  const g = computationGraph(netLoss, netParams);
  const svg = graphSvg(g).markup;
  assertBalancedTags(svg);
  assert.match(svg, />Computation graph</);
  assert.ok(svg.includes(">value min -0.4, max 3.1</text>"));
  assert.ok(svg.includes(">      mean 1</text>"));
  assertLaidOut(svg, g.nodes.length);
  assert.equal(
    (svg.match(/marker-end="url\(#arrow\)"/g) ?? []).length,
    g.edges.length,
  );
});

Deno.test("graphSvg: 60 seeded random graphs: boxes apart, no arrow through a box", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const consts = [matrix([[1, 2]]), matrix([[3, -1]]), matrix([[0.5, 0.5]])];
  const unary = [tanh, (m: Matrix) => scale(m, 2)];
  for (let round = 0; round < 60; round++) {
    const steps = Array.from(
      { length: 2 + Math.floor(random() * 10) },
      () => [Math.floor(random() * 5), random(), random()],
    );
    const f = (p: Matrix[]) => {
      const values = [...p];
      for (const [k, r1, r2] of steps) {
        const a = values[Math.floor(r1 * values.length)];
        const c = r2 < 0.3
          ? consts[Math.floor(r2 * 10) % 3]
          : values[Math.floor(r2 * values.length)];
        values.push(k < 3 ? [add, mul, sub][k](a, c) : unary[k - 3](a));
      }
      return sum(values.slice(p.length).reduce((s, v) => add(s, v)), {
        keepdims: true,
      });
    };
    const g = computationGraph(f, [
      matrix([[1, 2]]),
      matrix([[0.1, -0.3]]),
      matrix([[2, 2]]),
    ]);
    const svg = graphSvg(g).markup;
    assertBalancedTags(svg);
    assertLaidOut(svg, g.nodes.length);
  }
});

Deno.test("toDot and graphSvg: what is not a graph is refused plainly", () => {
  const g = article();
  for (const draw of [toDot, graphSvg]) {
    assert.throws(
      () => draw(null as never),
      /Expected graph of (toDot|graphSvg)/,
    );
    assert.throws(
      () => draw({ ...g, nodes: [] }),
      /graph\.nodes of .* non-empty array/,
    );
    assert.throws(
      () => draw({ ...g, edges: [{ from: 0, to: 99, arg: 0 }] }),
      (e: unknown) =>
        e instanceof RangeError && /graph\.edges\[0\]\.to/.test(e.message),
    );
    assert.throws(
      () => draw({ ...g, edges: [{ from: 3, to: 0, arg: 0 }] }),
      /to be an op node, got the input node 0/,
    );
    assert.throws(
      () => draw({ ...g, edges: [...g.edges, { from: 8, to: 3, arg: 2 }] }),
      /form no cycle/,
    );
    assert.throws(
      () =>
        draw({
          ...g,
          nodes: g.nodes.map((n, i) => i ? n : { ...n, kind: "leaf" as never }),
        }),
      /graph\.nodes\[0\]\.kind/,
    );
    assert.throws(
      () =>
        draw({
          ...g,
          nodes: g.nodes.map((n, i) =>
            i ? n : { ...n, value: { ...n.value, max: Infinity } }
          ),
        }),
      (e: unknown) => e instanceof RangeError && /value\.max/.test(e.message),
    );
    assert.throws(() => draw(g, { precision: 0 }), /options\.precision/);
    assert.throws(
      () => draw(g, { titel: "" } as never),
      /Unknown option "titel"/,
    );
  }
});

// ------------------------------------------------------------------ script

/** Runs scripts/graph.ts with `args`, given the Deno `flags`. */
function runGraph(args: string[], flags: string[] = []): Promise<ProgramRun> {
  return runScript("graph", args, flags);
}

function assertPlainFailure(r: ProgramRun, pattern: RegExp): void {
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.ok(lines.length >= 1 && lines.length <= 2, r.stderr);
  assert.ok(!r.stderr.includes("    at "), r.stderr);
  assert.match(r.stderr, pattern);
}

Deno.test({
  name:
    "scripts/graph.ts: text, --format dot, --help and bad flags, with no permissions",
  ignore: !canRun,
  async fn() {
    const text = await runGraph([]);
    assert.equal(text.stderr, "");
    assert.equal(text.code, 0);
    assert.match(
      text.stdout,
      /^w +input +2x3 +value \[\[0, 0\.3, -0\.8\], \[1, -1\.2, 0\.5\]\]$/m,
    );
    assert.match(
      text.stdout,
      /^ +grad +\[\[-48, -19\.2, -67\.2\], \[95, 38, 133\]\]$/m,
    );
    assert.match(
      text.stdout,
      /^y +dot\(w, x\) +2x1 +value \[\[-5\], \[6\.1\]\]$/m,
    );
    assert.match(text.stdout, /^u − d +sub\(u, d\) /m);
    assert.match(text.stdout, /^Loss: 113\.28999999999999$/m);

    const dotOut = await runGraph(["--format", "dot"]);
    assert.equal(dotOut.code, 0, dotOut.stderr);
    assert.match(dotOut.stdout, /^digraph "computation graph" \{/);
    for (
      const name of [
        "w",
        "x",
        "b",
        "d",
        "y \\(dot\\)",
        "u \\(add\\)",
        "u − d \\(sub\\)",
        "Loss \\(sum\\)",
      ]
    ) {
      assert.match(dotOut.stdout, new RegExp(`<B>${name}</B>`));
    }
    assert.equal((dotOut.stdout.match(/ -> /g) ?? []).length, 9);
    if (hasDot) {
      const child = new Deno.Command("dot", {
        args: ["-Tsvg"],
        stdin: "piped",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(dotOut.stdout));
      await writer.close();
      const rendered = await child.output();
      assert.equal(rendered.code, 0, new TextDecoder().decode(rendered.stderr));
    }

    for (const flag of ["--help", "-h"]) {
      const help = await runGraph([flag]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: deno run scripts\/graph\.ts/);
      assert.match(help.stdout, /--allow-write=FILE\.svg/);
    }
    assertPlainFailure(
      await runGraph(["--frmat", "dot"]),
      /Unknown flag --frmat/,
    );
    assertPlainFailure(
      await runGraph(["--format", "png"]),
      /--format must be text or dot/,
    );
    assertPlainFailure(
      await runGraph(["--plot", "graph.svg"]),
      /No permission to write graph\.svg \(given to --plot\)[\s\S]*--allow-write=graph\.svg/,
    );
  },
});

Deno.test({
  name:
    "scripts/graph.ts --lang ja: the explanation, the help and the errors in Japanese",
  ignore: !canRun,
  async fn() {
    const en = await runGraph([]);
    const ja = await runGraph(["--lang", "ja"]);
    assert.equal(ja.stderr, "");
    assert.equal(ja.code, 0);
    const jaLines = ja.stdout.split("\n");
    assert.deepEqual(jaLines.slice(0, 3), [
      "記事の2乗誤差 Loss を計算グラフにしたもの: 各ノードの値(「最小モデルの定義」)と",
      "勾配 ∂Loss/∂node(「1回学習させる」)。定数には勾配がありません。",
      "",
    ]);
    // The nodes and their numbers are the same lines in both languages.
    assert.deepEqual(jaLines.slice(2), en.stdout.split("\n").slice(2));
    assert.equal(
      (await runGraph(["--lang=en"])).stdout,
      en.stdout,
    );
    // DOT is for Graphviz: the same in both languages.
    assert.equal(
      (await runGraph(["--lang", "ja", "--format", "dot"])).stdout,
      (await runGraph(["--format", "dot"])).stdout,
    );

    for (const flag of ["--help", "-h"]) {
      const help = await runGraph([flag, "--lang", "ja"]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^使い方: deno run scripts\/graph\.ts/m);
      assert.match(help.stdout, /^ {2}--lang en\|ja {7}言葉/m);
      assert.match(help.stdout, /^ {2}-h, --help {9}このヘルプを表示する$/m);
    }
    const enHelp = await runGraph(["--help"]);
    assert.match(enHelp.stdout, /^ {2}--lang en\|ja {7}wording of the text/m);

    const refusals: [string[], string][] = [
      [
        ["--format", "png"],
        'エラー: --format は text か dot にしてください(指定された値: "png")。\n',
      ],
      [
        ["--frmat", "dot"],
        "エラー: --frmat というフラグはありません。--format のことですか?\n--help を付けて実行するとフラグの一覧が出ます。\n",
      ],
      [
        ["--plot", "graph.svg"],
        "エラー: graph.svg(--plot で指定)に書き込む許可がありません。\n書き込めるように --allow-write=graph.svg を付けて実行し直してください。\n",
      ],
    ];
    for (const [args, stderr] of refusals) {
      const r = await runGraph(["--lang", "ja", ...args]);
      assert.equal(r.stderr, stderr, args.join(" "));
      assert.equal(r.code, args[0] === "--plot" ? 1 : 2);
      assert.equal(r.stdout, "");
    }
    const fr = await runGraph(["--lang", "fr"]);
    assert.equal(fr.stderr, 'error: --lang must be en or ja, got "fr".\n');
    assert.equal(fr.code, 2);
  },
});

Deno.test({
  name:
    "scripts/graph.ts --plot into a missing directory fails before drawing, with only --allow-write=FILE",
  ignore: !canRun || !canWrite,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/sub/graph.svg`;
      const r = await runGraph(["--plot", file], [`--allow-write=${file}`]);
      assert.equal(
        r.stderr,
        `error: Cannot write ${file} (given to --plot): the directory ${dir}/sub does not exist.\n`,
      );
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "scripts/graph.ts --plot FILE.svg writes the SVG with only --allow-write=FILE",
  ignore: !canRun || !canWrite,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/graph.svg`;
      const r = await runGraph(["--plot", file], [`--allow-write=${file}`]);
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Loss: 113\.28999999999999/);
      const svg = await Deno.readTextFile(file);
      assertBalancedTags(svg);
      assert.match(svg, /The article&#39;s loss Σ\(u − d\)²/);
      for (
        const name of [
          "w",
          "x",
          "b",
          "d",
          "y",
          "u",
          "u − d",
          "(u − d)²",
          "Loss",
        ]
      ) {
        assert.ok(svg.includes(`font-weight="bold">${name}`), name);
      }
      assertLaidOut(svg, 9);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
        "graph.svg",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
