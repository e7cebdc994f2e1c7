/**
 * The article's computation as a graph: from w and x through y = w·x,
 * u = y + b and u − d to Loss = Σ(u − d)², with every value (section 1) and
 * every gradient ∂Loss/∂node (section 3's 2(u − d)·xᵀ among them) on its
 * node, as `computationGraph` traces them.
 *
 * Run: `deno run scripts/graph.ts` (`--lang ja` for the article's words; see
 * `--help` for the flags).
 *
 * @module
 */
import {
  add,
  type ComputationGraph,
  computationGraph,
  dot,
  graphSvg,
  type GraphValue,
  type Matrix,
  matrix,
  mul,
  sub,
  sum,
  toDot,
} from "../mod.ts";
import {
  assertWritable,
  CliError,
  parseFlags,
  parseLang,
  runMain,
  tr,
  writeFileAtomic,
} from "./_cli.ts";

const HELP = {
  en: `Draw the article's computation as a graph: w and x → y = w·x → u = y + b
→ u − d → Loss = Σ(u − d)², with each node's value (section 1) and its
gradient ∂Loss/∂node (section 3: ∂Loss/∂w = 2(u − d)·xᵀ).

Usage: deno run scripts/graph.ts [flags]
       deno run --allow-write=FILE.svg scripts/graph.ts --plot FILE.svg

Flags:
  --format text|dot  text: list the nodes with every digit       (default)
                     dot: print Graphviz DOT, e.g.
                       deno run scripts/graph.ts --format dot | dot -Tsvg > graph.svg
  --plot FILE.svg    also draw the graph as SVG, without Graphviz;
                     needs --allow-write=FILE.svg
  --lang en|ja       wording of the text and of error messages (ja: the
                     article's words); the picture's title stays in English
  -h, --help         show this help`,
  ja: `記事の計算をグラフで描きます: w と x → y = w·x → u = y + b → u − d →
Loss = Σ(u − d)²。各ノードに、その値(「最小モデルの定義」)と勾配 ∂Loss/∂node
(「1回学習させる」の ∂Loss/∂w = 2(u − d)·xᵀ)を書き添えます。

使い方: deno run scripts/graph.ts [フラグ]
        deno run --allow-write=FILE.svg scripts/graph.ts --plot FILE.svg

フラグ:
  --format text|dot  text: ノードをすべての桁で一覧にする          (既定)
                     dot: Graphviz の DOT を出力する。例:
                       deno run scripts/graph.ts --format dot | dot -Tsvg > graph.svg
  --plot FILE.svg    グラフを SVG でも描く(Graphviz は不要)。
                     --allow-write=FILE.svg が要ります
  --lang en|ja       言葉(ja: 記事の言葉で)。図の題は英語のままです
  -h, --help         このヘルプを表示する`,
};

const TITLE = "The article's loss Σ(u − d)²: values and gradients ∂Loss/∂node";

/** What the article calls each op's result. */
const NAMES: Record<string, string> = {
  dot: "y",
  add: "u",
  sub: "u − d",
  mul: "(u − d)²",
  sum: "Loss",
};

/** The article's graph, each op named as the article names its result. */
function articleGraph(): ComputationGraph {
  // Section 1 of the article.
  const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
  const x = matrix([[5], [2], [7]]);
  const b = matrix([[1.2], [3.4]]);
  const d = matrix([[1], [0]]);
  // Loss = Σ(u − d)², written out op by op so that each step is a node.
  const loss = (p: { w: Matrix; b: Matrix }) => {
    const y = dot(p.w, x);
    const u = add(y, p.b);
    const e = sub(u, d);
    return sum(mul(e, e), { keepdims: true });
  };
  const graph = computationGraph(loss, { w, b }, { names: { x, d } });
  return {
    ...graph,
    nodes: graph.nodes.map((node) =>
      node.op === null ? node : { ...node, name: NAMES[node.op] ?? node.name }
    ),
  };
}

/** A value with every digit: [[0, 0.3, -0.8], [1, -1.2, 0.5]]. */
function full(v: GraphValue): string {
  if (v.entries === null) return `min ${v.min}, max ${v.max}, mean ${v.mean}`;
  return `[${v.entries.map((row) => `[${row.join(", ")}]`).join(", ")}]`;
}

/** The nodes as aligned text: name, how it is computed, shape, value, grad. */
function listing(graph: ComputationGraph): string {
  const how = graph.nodes.map((node, i) => {
    if (node.op === null) return node.kind;
    const args = graph.edges.filter((e) => e.to === i)
      .sort((a, b) => a.arg - b.arg)
      .map((e) => graph.nodes[e.from].name);
    return `${node.op}(${args.join(", ")})`;
  });
  const nameWidth = Math.max(...graph.nodes.map((n) => [...n.name].length));
  const howWidth = Math.max(...how.map((h) => [...h].length));
  const pad = (text: string, width: number) =>
    text + " ".repeat(width - [...text].length);
  const lines = [
    ...tr(
      "The article's loss as a computation graph: each node's value (section 1)\nand its gradient ∂Loss/∂node (section 3). Constants have no gradient.",
      "記事の2乗誤差 Loss を計算グラフにしたもの: 各ノードの値(「最小モデルの定義」)と\n勾配 ∂Loss/∂node(「1回学習させる」)。定数には勾配がありません。",
    ).split("\n"),
    "",
  ];
  graph.nodes.forEach((node, i) => {
    const shape = `${node.value.rows}x${node.value.cols}`;
    const head = `${pad(node.name, nameWidth)}  ${pad(how[i], howWidth)}  ${
      pad(shape, 3)
    }  `;
    lines.push(`${head}value ${full(node.value)}`);
    if (node.grad !== null) {
      lines.push(`${" ".repeat([...head].length)}grad  ${full(node.grad)}`);
    }
  });
  lines.push("", `Loss: ${graph.value}`);
  return lines.join("\n");
}

runMain(() => {
  const flags = parseFlags(Deno.args, {
    format: { type: "string" },
    plot: { type: "string" },
    lang: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const lang = parseLang(flags.lang);
  if (flags.help) {
    console.log(HELP[lang]);
    return;
  }
  const format = flags.format ?? "text";
  if (format !== "text" && format !== "dot") {
    const given = JSON.stringify(format);
    throw new CliError(
      tr(
        `--format must be text or dot, got ${given}.`,
        `--format は text か dot にしてください(指定された値: ${given})。`,
      ),
      undefined,
      2,
    );
  }
  if (flags.plot !== undefined) assertWritable(flags.plot, "--plot");

  const graph = articleGraph();
  if (flags.plot !== undefined) {
    writeFileAtomic(flags.plot, graphSvg(graph, { title: TITLE }), {
      flag: "--plot",
    });
  }
  if (format === "dot") {
    console.log(toDot(graph, { title: TITLE }).trimEnd());
  } else {
    console.log(listing(graph));
  }
});
