/**
 * Six optimizers walking down f(x, y) = x²/20 + y² from (−7, 2), as
 * ゼロから作るDeep Learning's figure 6-8 compares them (§6.1.7,
 * ch06/optimizer_compare_naive.py): the gradient of f comes from the
 * toolkit's `grad` of f written with its ops, and each step is the
 * optimizer's own `update`. `--plot` draws the paths over f's contour
 * lines, one panel per optimizer.
 *
 * Run: `deno run scripts/optimizers.ts` (see `--help`).
 *
 * @module
 */
import {
  add,
  contourPaths,
  grad,
  type Matrix,
  matrix,
  mul,
  type Optimizer,
  scale,
} from "../mod.ts";
import {
  CliError,
  formatNumber,
  msg,
  parseCount,
  runMain,
  tr,
} from "./_cli.ts";
import {
  checkPlot,
  helpText,
  MODEL_FILE_FLAGS,
  OPTIMIZER_NAMES,
  type OptimizerName,
  optimizerNamed,
  parsePositive,
  parseScriptFlags,
  refuseModelFiles,
  secondsSince,
  writePlot,
} from "./_chapter6.ts";

/** The book's settings, and ours for RMSprop and Nesterov. */
const DEFAULTS: readonly {
  label: string;
  name: OptimizerName;
  learningRate: number;
}[] = [
  { label: "SGD", name: "sgd", learningRate: 0.95 },
  { label: "Momentum", name: "momentum", learningRate: 0.1 },
  // As Momentum's, so that the two differ only by Nesterov's look-ahead.
  { label: "Nesterov", name: "nesterov", learningRate: 0.1 },
  { label: "AdaGrad", name: "adagrad", learningRate: 1.5 },
  // RMSprop's first h is (1 − 0.99)·g², a hundredth of AdaGrad's: 0.15
  // makes its first step AdaGrad's (1.5·g/|g|).
  { label: "RMSprop", name: "rmsprop", learningRate: 0.15 },
  { label: "Adam", name: "adam", learningRate: 0.3 },
];

const START: readonly [number, number] = [-7, 2];

type Point = { x: Matrix; y: Matrix };

/** f(x, y) = x²/20 + y², written with the toolkit's ops. */
const f = (p: Point): Matrix =>
  add(scale(mul(p.x, p.x), 1 / 20), mul(p.y, p.y));
const gradient = grad(f);
const fOf = (x: number, y: number) => x * x / 20 + y * y;

/** The points an optimizer visits in `steps` steps from START. */
function walk(optimizer: Optimizer, steps: number): [number, number][] {
  let params: Point = { x: matrix([[START[0]]]), y: matrix([[START[1]]]) };
  let state = optimizer.init(params);
  const path: [number, number][] = [[START[0], START[1]]];
  for (let t = 0; t < steps; t++) {
    ({ params, state } = optimizer.update(params, gradient(params), state));
    path.push([params.x.at(0, 0), params.y.at(0, 0)]);
  }
  return path;
}

const HELP = helpText({
  name: "optimizers",
  about:
    "The paths of SGD, Momentum, Nesterov, AdaGrad, RMSprop and Adam minimizing\nf(x, y) = x²/20 + y² from (−7, 2), as ゼロから作るDeep Learning figure 6-8.",
  rows: [
    { flag: "--steps N", text: "updates per optimizer", value: 30 },
    {
      flag: "--optimizer A,B,…",
      text:
        "which to run, from sgd, momentum, nesterov,\nadagrad, rmsprop, adam (default all six)",
    },
    {
      flag: "--learning-rate R, --lr R",
      text: "one learning rate for every optimizer run",
    },
  ],
  json: "each optimizer's path, final point and f",
  plot: "the paths over the contour lines of f",
  notes:
    "No --save or --load: this script trains no network (it follows paths on a\nfunction), and refuses them with a plain line.\n\nLearning rates: SGD 0.95, Momentum 0.1, AdaGrad 1.5 and Adam 0.3 as the book\n(ch06/optimizer_compare_naive.py); Nesterov 0.1, as Momentum, so that the two\ndiffer only by the look-ahead; RMSprop 0.15, which makes its first step AdaGrad's\n(its h starts at (1 − 0.99)·g², a hundredth of AdaGrad's). The run takes well\nunder a second.",
  seeded: false,
});

await runMain(() => {
  const flags = parseScriptFlags(Deno.args, {
    steps: { type: "string" },
    optimizer: { type: "string" },
    "learning-rate": { type: "string" },
    lr: { type: "string" },
    ...MODEL_FILE_FLAGS,
    json: { type: "boolean" },
    plot: { type: "string" },
    help: { type: "boolean" },
  });
  if (flags.help) {
    console.log(HELP);
    return;
  }
  refuseModelFiles(flags, "it follows paths on a function");
  const steps = flags.steps === undefined
    ? 30
    : parseCount(flags.steps, "--steps", { max: 10000 });
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw new CliError(msg("learningRateTwice"), undefined, 2);
  }
  const rateFlag = flags.lr !== undefined ? "--lr" : "--learning-rate";
  const rate = flags["learning-rate"] ?? flags.lr;
  const learningRate = rate === undefined
    ? undefined
    : parsePositive(rate, rateFlag, 0);
  let chosen = DEFAULTS;
  if (flags.optimizer !== undefined) {
    const names = flags.optimizer.split(",").map((s) => s.trim().toLowerCase());
    for (const name of names) {
      if (!DEFAULTS.some((d) => d.name === name)) {
        const names = OPTIMIZER_NAMES.filter((n) => n !== "adamw").join(", ");
        throw new CliError(
          tr(
            `--optimizer takes names from ${names}, separated by commas; got ${
              JSON.stringify(name)
            }.`,
            `--optimizer には ${names} からカンマ区切りで名前を指定してください(指定された値: ${
              JSON.stringify(name)
            })。`,
          ),
          undefined,
          2,
        );
      }
    }
    chosen = DEFAULTS.filter((d) => names.includes(d.name));
  }
  checkPlot(flags.plot);
  const start = performance.now();
  const results = chosen.map((d) => {
    const lr = learningRate ?? d.learningRate;
    const optimizer = optimizerNamed(d.name, lr);
    const path = walk(optimizer, steps);
    const [x, y] = path[path.length - 1];
    return {
      name: d.label,
      optimizer: optimizer.name,
      learningRate: lr,
      path,
      final: [x, y],
      f: fOf(x, y),
    };
  });
  const seconds = secondsSince(start);
  writePlot(flags.plot, () =>
    contourPaths(
      fOf,
      results.map((r) => ({
        name: `${r.name} (learning rate ${r.learningRate})`,
        points: r.path,
      })),
      {
        title:
          `Optimizers minimizing f(x, y) = x²/20 + y² from (−7, 2), ${steps} steps each`,
        xRange: [-10, 10],
        yRange: [-5, 5],
        levels: [0.5, 1, 2, 3, 4, 5, 6, 7],
        mark: [0, 0],
        functionLabel: "f",
        panelWidth: 330,
      },
    ));
  if (flags.json) {
    console.log(JSON.stringify({
      script: "optimizers",
      function: "x^2/20 + y^2",
      start: START,
      steps,
      optimizers: results,
      seconds,
      ...(flags.plot !== undefined ? { plot: flags.plot } : {}),
    }));
    return;
  }
  const rows = results.map((r) => [
    r.name,
    formatNumber(r.learningRate),
    `(${r.final[0].toFixed(4)}, ${r.final[1].toFixed(4)})`,
    r.f.toExponential(2),
  ]);
  const header = ["optimizer", "learning rate", "final (x, y)", "f(x, y)"];
  const widths = header.map((h, k) =>
    Math.max(h.length, ...rows.map((row) => row[k].length))
  );
  const line = (cells: string[]) =>
    cells.map((c, k) => k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))
      .join("  ");
  console.log(
    [
      `f(x, y) = x²/20 + y² from (−7, 2), ${steps} steps (f there: ${
        fOf(START[0], START[1])
      }; minimum 0 at (0, 0))`,
      "",
      line(header),
      ...rows.map(line),
      "",
      `time  ${seconds.toFixed(2)} s`,
      ...(flags.plot !== undefined ? [`plot  written to ${flags.plot}`] : []),
    ].join("\n"),
  );
});
