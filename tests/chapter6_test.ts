// ゼロから作るDeep Learning chapter 6: the five scripts (optimizers.ts,
// init.ts, overfit.ts, batch_norm.ts, search.ts) in quick runs, as a user
// runs them: `deno run` with no permission flags, or exactly
// --allow-write=FILE for --plot; their JSON checked against the book and
// against numbers worked by hand; and the four pictures they draw
// (contourPaths, histogramGrid, lineChartGrid, scatterPlot) as unit tests.
//
// The script tests need --allow-run (and --allow-write for the --plot
// files), which `deno task test` grants; under plain `deno test` they are
// ignored. The full runs are `deno task chapter6`, not tests.
import assert from "node:assert/strict";
import { granted, runScript } from "./_helpers.ts";
import {
  contourPaths,
  fromSafetensors,
  histogramGrid,
  lineChartGrid,
  matrix,
  scatterPlot,
  toSafetensors,
} from "../mod.ts";
import { colorOf } from "../lib/viz/_svg.ts";
import { scaleColor } from "../lib/viz/_panels.ts";

const canRun = granted("run");
const canWrite = granted("write");
const run = runScript;

// deno-lint-ignore no-explicit-any
async function runJson(script: string, args: string[]): Promise<any> {
  const out = await run(script, [...args, "--json"]);
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split("\n");
  assert.equal(lines.length, 1, "exactly one line of JSON on stdout");
  return JSON.parse(lines[0]);
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: !canRun, fn });
const testWithFiles = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: !canRun || !canWrite, fn });

/** Settings that finish in a second or two. */
const QUICK: Record<string, string[]> = {
  optimizers: ["--steps", "5"],
  init: ["--no-mnist"],
  overfit: [
    "--epochs",
    "15",
    "--train-size",
    "100",
    "--test-size",
    "200",
    "--lr",
    "0.1",
  ],
  batch_norm: ["--epochs", "2", "--scales", "2", "--train-size", "200"],
  search: ["--trials", "3", "--epochs", "2", "--train-size", "100"],
};
const SCRIPTS = Object.keys(QUICK);

// ---------------------------------------------------------------------------
// optimizers.ts

test("optimizers.ts: SGD's first step is the book's by hand, and every path ends nearer the minimum", async () => {
  const result = await runJson("optimizers", []);
  assert.equal(result.script, "optimizers");
  assert.equal(result.steps, 30);
  assert.deepEqual(result.start, [-7, 2]);
  const byName = Object.fromEntries(
    // deno-lint-ignore no-explicit-any
    result.optimizers.map((o: any) => [o.name, o]),
  );
  assert.deepEqual(Object.keys(byName), [
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "Adam",
  ]);
  // The book's learning rates, and ours for Nesterov and RMSprop.
  assert.deepEqual(
    Object.values(byName).map((o) =>
      (o as { learningRate: number }).learningRate
    ),
    [0.95, 0.1, 0.1, 1.5, 0.15, 0.3],
  );
  // ∇f(x, y) = (x/10, 2y) = (−0.7, 4) at (−7, 2).
  const [x1, y1] = byName.SGD.path[1];
  assert.ok(Math.abs(x1 - (-7 + 0.95 * 0.7)) < 1e-12, `${x1}`);
  assert.ok(Math.abs(y1 - (2 - 0.95 * 4)) < 1e-12, `${y1}`);
  // AdaGrad's first step is −lr·g/|g| per coordinate: (−5.5, 0.5).
  const [ax, ay] = byName.AdaGrad.path[1];
  assert.ok(Math.abs(ax - -5.5) < 1e-6 && Math.abs(ay - 0.5) < 1e-6);
  const startDistance = Math.hypot(-7, 2);
  for (const o of result.optimizers) {
    assert.equal(o.path.length, 31, o.name);
    const [x, y] = o.path[30];
    assert.deepEqual(o.final, [x, y]);
    assert.ok(Math.hypot(x, y) < startDistance, `${o.name} ends at ${x}, ${y}`);
    assert.ok(Math.abs(o.f - (x * x / 20 + y * y)) < 1e-12);
    assert.ok(o.f < 6.45, o.name);
  }
});

test("optimizers.ts: --optimizer and --lr choose, --steps counts; the text is a table", async () => {
  const one = await runJson("optimizers", [
    "--optimizer",
    "sgd,adam",
    "--lr",
    "0.5",
    "--steps",
    "3",
  ]);
  assert.deepEqual(
    // deno-lint-ignore no-explicit-any
    one.optimizers.map((o: any) => [o.name, o.learningRate, o.path.length]),
    [["SGD", 0.5, 4], ["Adam", 0.5, 4]],
  );
  const text = await run("optimizers", QUICK.optimizers);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /optimizer\s+learning rate\s+final \(x, y\)/);
  assert.match(text.stdout, /^RMSprop\s+0\.15\s/m);
  const bad = await run("optimizers", ["--optimizer", "newton"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--optimizer takes names from sgd/);
});

// ---------------------------------------------------------------------------
// init.ts

test("init.ts: std 1 and sigmoid pile activations at 0 and 1, std 0.01 at 0.5, as the book shows", async () => {
  const result = await runJson("init", QUICK.init);
  assert.equal(result.script, "init");
  assert.deepEqual(result.bins, { lo: 0, hi: 1, count: 30 });
  assert.equal(result.mnist, undefined);
  assert.equal(result.histograms.length, 8);
  const find = (init: string, activation: string) =>
    result.histograms.find(
      // deno-lint-ignore no-explicit-any
      (h: any) => h.init === init && h.activation === activation,
    );
  const n = 1000 * 100;
  const share = (counts: number[], from: number, to: number) =>
    counts.slice(from, to).reduce((a, b) => a + b, 0) / n;
  for (const h of result.histograms) {
    assert.equal(h.layers.length, 5);
    for (const l of h.layers) {
      assert.equal(l.counts.length, 30);
      const counted = l.counts.reduce((a: number, b: number) => a + b, 0);
      assert.ok(Math.abs(counted / n + l.outside - 1) < 1e-12);
    }
  }
  for (const l of find("std 1", "sigmoid").layers) {
    // Below 0.1 or above 0.9: bins 0–2 and 27–29.
    assert.ok(share(l.counts, 0, 3) + share(l.counts, 27, 30) > 0.6);
  }
  for (const l of find("std 0.01", "sigmoid").layers) {
    // Within 0.4 to 0.6: bins 12–17.
    assert.ok(share(l.counts, 12, 18) > 0.99);
    assert.ok(l.std < 0.05);
  }
  // ReLU: std 0.01 vanishes, std 1 explodes, He keeps its spread.
  const stds = (init: string) =>
    // deno-lint-ignore no-explicit-any
    find(init, "relu").layers.map((l: any) => l.std);
  const small = stds("std 0.01"), large = stds("std 1"), he = stds("He");
  assert.ok(small[4] < small[0] / 1000);
  assert.ok(large[4] > large[0] * 1000);
  assert.ok(Math.max(...he) / Math.min(...he) < 2);
  for (
    const h of result.histograms.filter(
      // deno-lint-ignore no-explicit-any
      (h: any) => h.activation === "relu",
    )
  ) {
    for (const l of h.layers) assert.ok(l.zeros > 0.3 && l.zeros < 0.7);
  }
});

test("init.ts: MNIST gives one loss per step for std 0.01, Xavier and He", async () => {
  const result = await runJson("init", [
    "--train-size",
    "256",
    "--epochs",
    "2",
  ]);
  const mnist = result.mnist;
  assert.equal(mnist.trainSize, 256);
  assert.equal(mnist.batchSize, 128);
  assert.equal(mnist.steps, 4);
  assert.equal(mnist.optimizer, "sgd");
  assert.equal(mnist.learningRate, 0.01);
  assert.deepEqual(mnist.network, [784, 100, 100, 100, 100, 10]);
  // deno-lint-ignore no-explicit-any
  assert.deepEqual(mnist.curves.map((c: any) => c.init), [
    "std 0.01",
    "Xavier",
    "He",
  ]);
  for (const c of mnist.curves) {
    assert.equal(c.stepLoss.length, 4);
    assert.equal(c.epochLoss.length, 2);
    for (const v of c.stepLoss) assert.ok(v > 0 && Number.isFinite(v));
  }
  // std 0.01 starts at the loss of a uniform guess, ln 10.
  assert.ok(Math.abs(mnist.curves[0].stepLoss[0] - Math.LN10) < 0.01);
});

// ---------------------------------------------------------------------------
// overfit.ts, batch_norm.ts, search.ts

test("overfit.ts: three networks, accuracies per epoch, and the plain net's train–test gap is positive", async () => {
  const result = await runJson("overfit", QUICK.overfit);
  assert.equal(result.script, "overfit");
  assert.equal(result.trainSize, 100);
  assert.equal(result.testSize, 200);
  assert.equal(result.epochs, 15);
  assert.deepEqual(result.network, [784, 100, 100, 100, 100, 100, 100, 10]);
  // deno-lint-ignore no-explicit-any
  assert.deepEqual(result.networks.map((n: any) => n.name), [
    "plain",
    "weight decay",
    "dropout",
  ]);
  assert.equal(result.networks[1].weightDecay, 0.1);
  assert.equal(result.networks[2].dropout, 0.2);
  for (const n of result.networks) {
    assert.equal(n.trainAccuracy.length, 15);
    assert.equal(n.testAccuracy.length, 15);
    assert.equal(n.loss.length, 15);
    for (const v of [...n.trainAccuracy, ...n.testAccuracy]) {
      assert.ok(v >= 0 && v <= 1);
    }
    assert.equal(n.gap, n.finalTrain - n.finalTest);
  }
  const plain = result.networks[0];
  assert.ok(plain.gap > 0.1, `gap ${plain.gap}`);
  assert.ok(plain.finalTrain > 0.5, `train ${plain.finalTrain}`);
});

test("batch_norm.ts: per weight scale, accuracy per epoch with and without batch norm; the plain net at std 1 overflows", async () => {
  const result = await runJson("batch_norm", QUICK.batch_norm);
  assert.equal(result.script, "batch_norm");
  assert.equal(result.trainSize, 200);
  assert.deepEqual(result.network, [784, 100, 100, 100, 100, 100, 10]);
  assert.equal(result.runs.length, 2);
  // Two scales: the ends of the book's logspace(0, −4, 16).
  assert.equal(result.runs[0].scale, 1);
  assert.ok(Math.abs(result.runs[1].scale - 1e-4) < 1e-18);
  for (const r of result.runs) {
    for (
      const [acc, diverged] of [
        [r.batchNorm, r.batchNormDiverged],
        [r.plain, r.plainDiverged],
      ]
    ) {
      assert.equal(acc.length, diverged === null ? 2 : diverged - 1);
      for (const v of acc) assert.ok(v >= 0 && v <= 1);
    }
  }
  assert.equal(result.runs[0].batchNormDiverged, null);
  // Weights of std 1 overflow float64 without batch norm within two epochs.
  assert.ok(result.runs[0].plainDiverged >= 1, "plain at std 1 overflows");
  assert.equal(result.runs[1].plainDiverged, null);
});

test("search.ts: trials drawn in the book's ranges, best first, on a fifth held out", async () => {
  const result = await runJson("search", QUICK.search);
  assert.equal(result.script, "search");
  assert.equal(result.trainSize, 80);
  assert.equal(result.validationSize, 20);
  assert.equal(result.results.length, 3);
  // deno-lint-ignore no-explicit-any
  assert.deepEqual(result.results.map((r: any) => r.rank), [1, 2, 3]);
  for (let i = 0; i < 3; i++) {
    const r = result.results[i];
    assert.ok(r.learningRate >= 1e-6 && r.learningRate <= 1e-2);
    assert.ok(r.weightDecay >= 1e-8 && r.weightDecay <= 1e-4);
    assert.equal(r.history.length, 2);
    assert.equal(r.validationAccuracy, r.history[1]);
    if (i > 0) {
      assert.ok(
        r.validationAccuracy <= result.results[i - 1].validationAccuracy,
      );
    }
  }
  // The same seed, the same trials.
  const again = await runJson("search", QUICK.search);
  assert.deepEqual(again.results, result.results);
});

// ---------------------------------------------------------------------------
// Flags, shared by all five

test("every chapter 6 script: --help and -h print the usage; a bad flag fails plainly", async () => {
  await Promise.all(SCRIPTS.map(async (script) => {
    for (const flag of ["--help", "-h"]) {
      const out = await run(script, [flag]);
      assert.equal(out.code, 0, out.stderr);
      assert.match(
        out.stdout,
        new RegExp(`Usage: deno run scripts/${script}\\.ts`),
      );
      assert.match(out.stdout, /--plot FILE\.svg/);
      assert.match(out.stdout, /--json/);
    }
    const bad = await run(script, ["--bogus"]);
    assert.equal(bad.code, 2, script);
    assert.equal(bad.stdout, "");
    const lines = bad.stderr.trim().split("\n");
    assert.ok(lines.length <= 2, bad.stderr);
    assert.match(lines[0], /^error: Unknown flag --bogus/);
    const value = await run(
      script,
      script === "optimizers" ? ["--steps", "zero"] : ["--seed", "-1"],
    );
    assert.equal(value.code, 2, script);
    assert.ok(value.stderr.trim().split("\n").length <= 2, value.stderr);
    assert.doesNotMatch(value.stderr, /at \w+ \(/, "no stack trace");
  }));
});

test("every chapter 6 script: --lang ja puts its errors in Japanese", async () => {
  await Promise.all(SCRIPTS.map(async (script) => {
    const help = await run(script, ["--help", "--lang", "ja"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--lang en\|ja/);
    const bad = await run(script, ["--lang", "ja", "--bogus"]);
    assert.equal(bad.code, 2, script);
    assert.equal(bad.stdout, "");
    assert.match(bad.stderr, /^エラー: --bogus というフラグはありません。/);
    assert.match(bad.stderr, /--help を付けて実行すると/);
    const value = await run(script, ["--seed=x", "--lang=ja"]);
    assert.equal(value.code, 2, script);
    assert.match(
      value.stderr,
      script === "optimizers"
        ? /^エラー: --seed というフラグはありません。/
        : /^エラー: --seed は 0 から 4294967295 までの整数にしてください\(指定された値: "x"\)。/,
    );
    const lang = await run(script, ["--lang", "fr"]);
    assert.equal(lang.code, 2, script);
    assert.match(lang.stderr, /^error: --lang must be en or ja, got "fr"\./);
  }));
  const steps = await run("optimizers", ["--lang", "ja", "--steps", "20000"]);
  assert.equal(
    steps.stderr,
    'エラー: --steps は 1 から 10000 までの整数を、数字だけで指定してください(指定された値: "20000")。\n',
  );
  assert.equal(steps.code, 2);
  const twice = await run("overfit", [
    "--lr",
    "1",
    "--lr=2",
    "--learning-rate",
    "1",
    "--lang",
    "ja",
  ]);
  assert.match(twice.stderr, /^エラー: 学習率は1回だけ指定してください/);
});

test("chapter 6 scripts: a count out of range exits 2 before any work, naming the range", async () => {
  const epochs =
    '--epochs must be a whole number written in digits, from 1 to 10000000, got "1000000000000".';
  const batch =
    '--batch-size must be a whole number written in digits, from 1 to 67108864, got "1000000000000".';
  const cases: [string, string[], string][] = [
    // init.ts drew its histograms before fit refused these.
    ["init", ["--epochs", "1000000000000"], epochs],
    ["init", ["--batch-size", "1000000000000"], batch],
    ["overfit", ["--epochs", "1000000000000"], epochs],
    ["batch_norm", ["--batch-size", "1000000000000"], batch],
    ["search", ["--epochs", "1e2"], epochs.replace('"1000000000000"', '"1e2"')],
    [
      "batch_norm",
      ["--scales", "1"],
      '--scales must be a whole number written in digits, from 2 to 16, got "1".',
    ],
    [
      "search",
      ["--train-size", "5"],
      '--train-size must be a whole number written in digits, from 10 to 60000 (the images there are), got "5".',
    ],
  ];
  await Promise.all(cases.map(async ([script, args, message]) => {
    const out = await run(script, args);
    assert.equal(out.stderr, `error: ${message}\n`, `${script} ${args}`);
    assert.equal(out.code, 2);
    assert.equal(out.stdout, "");
  }));
  const ja = await run("init", ["--lang", "ja", "--epochs", "1e2"]);
  assert.equal(
    ja.stderr,
    'エラー: --epochs は 1 から 10000000 までの整数を、数字だけで指定してください(指定された値: "1e2")。\n',
  );
});

testWithFiles(
  "chapter 6 scripts: --plot and --save into a missing directory fail before any work",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const cases: [string, string, string][] = [
        ["init", "--plot", `${dir}/sub/init.svg`],
        ["overfit", "--save", `${dir}/sub/overfit.safetensors`],
        ["optimizers", "--plot", `${dir}/sub/optimizers.svg`],
      ];
      for (const [script, flag, file] of cases) {
        // Only the file may be written, as the help says.
        const out = await run(script, [flag, file], [`--allow-write=${file}`]);
        assert.equal(
          out.stderr,
          `error: Cannot write ${file} (given to ${flag}): the directory ${dir}/sub does not exist.\n`,
        );
        assert.equal(out.code, 1);
        assert.equal(out.stdout, "");
      }
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testWithFiles(
  "every chapter 6 script: --plot writes an SVG with exactly --allow-write=FILE, and refuses without it",
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "chapter6_" });
    try {
      await Promise.all(SCRIPTS.map(async (script) => {
        const file = `${dir}/${script}.svg`;
        const denied = await run(script, [...QUICK[script], "--plot", file]);
        assert.equal(denied.code, 1, script);
        assert.match(denied.stderr, /No permission to write/);
        assert.match(denied.stderr, new RegExp(`--allow-write=${file}`));
        const out = await run(script, [...QUICK[script], "--plot", file], [
          `--allow-write=${file}`,
        ]);
        assert.equal(out.code, 0, out.stderr);
        assert.match(out.stdout, /plot\s+written to/);
        const svg = await Deno.readTextFile(file);
        assert.ok(svg.startsWith("<svg"), script);
        assert.ok(svg.trimEnd().endsWith("</svg>"), script);
      }));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

// ---------------------------------------------------------------------------
// --save and --load

testWithFiles(
  "overfit.ts: --save writes the three networks in one file, and --load --epochs 1 starts from it",
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "chapter6_" });
    try {
      const file = `${dir}/overfit.safetensors`;
      const saved = await run("overfit", [...QUICK.overfit, "--save", file], [
        `--allow-write=${file}`,
      ]);
      assert.equal(saved.code, 0, saved.stderr);
      assert.match(saved.stdout, /save\s+written to/);
      const { tree, metadata } = fromSafetensors(await Deno.readFile(file));
      assert.equal(metadata.script, "overfit");
      assert.equal(JSON.parse(metadata.settings).epochs, 15);
      // deno-lint-ignore no-explicit-any
      const nets = tree as any;
      assert.deepEqual(Object.keys(nets).sort(), [
        "dropout",
        "plain",
        "weightDecay",
      ]);
      for (const name of ["plain", "weightDecay", "dropout"]) {
        const dense = Object.values(nets[name]).filter(
          // deno-lint-ignore no-explicit-any
          (p: any) => p.w !== undefined,
        );
        // deno-lint-ignore no-explicit-any
        assert.deepEqual(dense.map((p: any) => [p.w.rows, p.w.cols]), [
          [100, 784],
          [100, 100],
          [100, 100],
          [100, 100],
          [100, 100],
          [100, 100],
          [10, 100],
        ], name);
      }
      // Started from the file, one more epoch keeps the saved accuracy's
      // level rather than a fresh network's.
      const out = await run("overfit", [
        ...QUICK.overfit,
        "--epochs",
        "1",
        "--load",
        file,
        "--json",
      ], [`--allow-read=${file}`]);
      assert.equal(out.code, 0, out.stderr);
      const result = JSON.parse(out.stdout);
      assert.equal(result.load, file);
      assert.equal(result.epochs, 1);
      const fresh = await runJson("overfit", [
        ...QUICK.overfit,
        "--epochs",
        "1",
      ]);
      const plain = (r: { networks: { name: string; finalTrain: number }[] }) =>
        r.networks.find((n) => n.name === "plain")!.finalTrain;
      assert.ok(
        plain(result) > plain(fresh),
        `loaded ${plain(result)} vs fresh ${plain(fresh)}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testWithFiles(
  "overfit.ts: --load of a file from another script or of other shapes fails with one plain line",
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "chapter6_" });
    try {
      const other = `${dir}/other.safetensors`;
      await Deno.writeFile(
        other,
        toSafetensors({ trial1: [{ w: matrix([[1]]) }] }, {
          metadata: { script: "search" },
        }),
      );
      const wrong = `${dir}/wrong.safetensors`;
      await Deno.writeFile(
        wrong,
        toSafetensors({ plain: [{ w: matrix([[1, 2]]) }] }, {
          metadata: { script: "overfit" },
        }),
      );
      const cases: [string, RegExp][] = [
        [
          other,
          /^error: Cannot load .*other\.safetensors \(--load\): it was saved by search\.ts, not overfit\.ts\n/,
        ],
        [
          wrong,
          /^error: Cannot load .*wrong\.safetensors \(--load\): tensor "plain\.0\.w" is 1x2, this run needs 100x784\n/,
        ],
      ];
      for (const [file, message] of cases) {
        const out = await run("overfit", [
          ...QUICK.overfit,
          "--epochs",
          "1",
          "--load",
          file,
        ], [`--allow-read=${file}`]);
        assert.equal(out.code, 1, out.stderr);
        assert.match(out.stderr, message);
        assert.ok(!/\bat /.test(out.stderr), "no stack trace");
        assert.ok(!/epoch/.test(out.stderr), "refused before training");
        assert.equal(out.stdout, "");
      }
      const ja = await run("overfit", ["--load", other, "--lang", "ja"], [
        `--allow-read=${other}`,
      ]);
      assert.match(
        ja.stderr,
        /search\.ts が保存したファイルで、overfit\.ts のものではありません/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

test("overfit.ts: --save without --allow-write names the flag before training, and writes nothing", async () => {
  const file = `${
    Deno.makeTempDirSync({ prefix: "chapter6_" })
  }/net.safetensors`;
  try {
    const out = await run("overfit", [...QUICK.overfit, "--save", file]);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /No permission to write .* \(given to --save\)/);
    assert.ok(out.stderr.includes(`--allow-write=${file}`), out.stderr);
    assert.ok(!/epoch/.test(out.stderr), "refused before training");
    assert.throws(() => Deno.statSync(file));
  } finally {
    Deno.removeSync(file.replace(/\/net\.safetensors$/, ""), {
      recursive: true,
    });
  }
});

test("optimizers.ts: --save and --load are refused with one plain line", async () => {
  for (const flag of ["--save", "--load"]) {
    const out = await run("optimizers", [flag, "x.safetensors"]);
    assert.equal(out.code, 2);
    assert.match(
      out.stderr,
      new RegExp(
        `^error: ${flag} is not taken here: this script trains no network`,
      ),
    );
  }
});

// ---------------------------------------------------------------------------
// The pictures

/** Checks that tags open and close in order. */
function assertWellFormed(svg: string): void {
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.endsWith("</svg>\n"));
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else stack.push(name);
  }
  assert.deepEqual(stack, []);
  for (const m of svg.matchAll(/>([^<]*)</g)) {
    assert.doesNotMatch(m[1], /&(?!#\d+;)/);
  }
}

Deno.test("contourPaths() draws a circle's contour at its radius, and a panel per path", () => {
  const svg = contourPaths((x, y) => x * x + y * y, [
    { name: "one", points: [[1, 0], [0.5, 0]] },
    { name: "two", points: [[1, 0]] },
  ], {
    title: "Circle",
    xRange: [-2, 2],
    yRange: [-2, 2],
    levels: [1],
    mark: [0, 0],
    resolution: 200,
  }).markup;
  assertWellFormed(svg);
  assert.match(svg, />one</);
  assert.match(svg, />two</);
  assert.match(svg, /contour lines of f = 1</);
  // The first panel: the "+" at (0, 0) and the start ring at (1, 0) give the
  // centre and the radius in pixels.
  const panel = svg.slice(svg.indexOf('class="contour"'));
  const mark = /<path d="M([\d.]+),([\d.]+)H/.exec(panel);
  const ring = /<circle cx="([\d.]+)" cy="([\d.]+)" r="5" fill="#fff"/.exec(
    panel,
  );
  assert.ok(mark && ring);
  const cx = Number(mark[1]) + 6, cy = Number(mark[2]);
  const radius = Number(ring[1]) - cx;
  assert.ok(radius > 20);
  assert.ok(Math.abs(Number(ring[2]) - cy) < 0.01);
  const contour = /class="contour" d="([^"]*)"/.exec(svg);
  assert.ok(contour);
  const points = [...contour[1].matchAll(/[ML]([\d.-]+),([\d.-]+)/g)];
  assert.ok(points.length > 100);
  for (const p of points) {
    const r = Math.hypot(Number(p[1]) - cx, Number(p[2]) - cy);
    assert.ok(Math.abs(r - radius) < radius * 0.01, `${r} vs ${radius}`);
  }
  // Equal scales: the panel's plot area is square for a square range.
  const frame =
    /<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)" fill="none" stroke="#333"\/>/
      .exec(svg);
  assert.ok(frame);
  assert.ok(Math.abs(Number(frame[1]) - Number(frame[2])) < 1);
});

Deno.test("contourPaths() refuses what it cannot draw", () => {
  const f = (x: number, y: number) => x + y;
  const path = [{ name: "p", points: [[0, 0]] as [number, number][] }];
  assert.throws(() => contourPaths(1 as never, path), TypeError);
  assert.throws(() => contourPaths(f, []), TypeError);
  assert.throws(
    () => contourPaths(f, [{ name: "p", points: [[0, NaN]] }]),
    RangeError,
  );
  assert.throws(
    () => contourPaths(f, [{ name: "p", points: [[0]] as never }]),
    TypeError,
  );
  assert.throws(() => contourPaths(f, path, { xRange: [1, 1] }), RangeError);
  assert.throws(
    () => contourPaths(f, path, { levels: "1" as never }),
    TypeError,
  );
  assert.throws(() => contourPaths(f, path, { colour: 1 } as never), TypeError);
  assert.throws(
    () => contourPaths(() => NaN, path, { xRange: [0, 1], yRange: [0, 1] }),
    /finite number/,
  );
  // Without levels, round ones are chosen between f's extremes.
  assert.match(
    contourPaths(f, path, { xRange: [-1, 1], yRange: [-1, 1] }).markup,
    /contour lines of f = -1, 0, 1</,
  );
});

Deno.test("histogramGrid() counts into bins, shares a row's axis, and cuts bars over yMax", () => {
  const bar = colorOf(0);
  const heights = (svg: string) =>
    [
      ...svg.matchAll(
        new RegExp(
          `<rect x="[\\d.]+" y="[\\d.]+" width="[\\d.]+" height="([\\d.]+)" fill="${bar}"/>`,
          "g",
        ),
      ),
    ].map((m) => Number(m[1]));
  const svg = histogramGrid([{
    label: "row\ntwo lines",
    cells: [[0.05, 0.05, 0.95], new Float64Array([0.5])],
  }], { range: [0, 1], bins: 10, columnLabels: ["a", "b"] }).markup;
  assertWellFormed(svg);
  assert.match(svg, />two lines</);
  // The legend's swatch, then two bars in panel a and one in panel b.
  const h = heights(svg).slice(1);
  assert.equal(h.length, 3);
  assert.ok(Math.abs(h[0] / h[1] - 2) < 0.05, `${h}`);
  assert.ok(Math.abs(h[2] - h[1]) < 0.05, "one value is one value in both");
  // A fixed top cuts the bar of 2 and writes its count.
  const cut = histogramGrid([{ label: "", cells: [[0.05, 0.05, 0.95]] }], {
    range: [0, 1],
    bins: 10,
    yMax: 1,
  }).markup;
  assert.match(cut, />▲2</);
  assert.match(cut, /bar cut at the axis/);
  // Values outside the range are left out, and their share said.
  assert.match(
    histogramGrid([{ label: "", cells: [[-1, 0.5, 0.5, 0.5]] }], {
      range: [0, 1],
    }).markup,
    />25% below 0</,
  );
  assert.throws(
    () =>
      histogramGrid([{ label: "", cells: [[1]] }, {
        label: "",
        cells: [[1], [2]],
      }]),
    RangeError,
  );
  assert.throws(
    () => histogramGrid([{ label: "", cells: [["1"]] as never }]),
    TypeError,
  );
  assert.throws(() => histogramGrid([{ label: "", cells: [[]] }]), RangeError);
  assert.throws(
    () =>
      histogramGrid([{ label: "", cells: [[1]] }], { yMax: "most" as never }),
    TypeError,
  );
});

Deno.test("lineChartGrid() shares the axes and one legend across panels", () => {
  const svg = lineChartGrid([
    {
      title: "A",
      series: [{ name: "train", values: [0, 1] }, {
        name: "test",
        values: [0, 0.5],
        dashed: true,
      }],
    },
    {
      title: "B",
      series: [{ name: "train", values: [0.5, 0.5] }, {
        name: "test",
        values: [0.25],
        dashed: true,
      }],
    },
  ], { yRange: [0, 1], yLabel: "accuracy" }).markup;
  assertWellFormed(svg);
  // One legend entry per name: the dashed one once, the lines' dashes twice
  // less the single-value "line", which is a dot.
  assert.equal(svg.match(/>train</g)?.length, 1);
  assert.equal(svg.match(/>test</g)?.length, 1);
  assert.equal(svg.match(/<polyline/g)?.length, 3);
  assert.equal(svg.match(/stroke-dasharray/g)?.length, 2);
  // The same y pixel for 0.5 in both panels: the axes are shared.
  const lines = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
    m[1].split(" ").map((p) => p.split(",").map(Number))
  );
  assert.equal(lines[1][1][1], lines[2][0][1]);
  assert.throws(
    () =>
      lineChartGrid([{
        title: "",
        series: [{ name: "", values: [1, 2], x: [1] }],
      }]),
    RangeError,
  );
  assert.throws(() => lineChartGrid([{ title: "", series: [] }]), TypeError);
  assert.throws(
    () =>
      lineChartGrid([{
        title: "",
        series: [{ name: "", values: [1], color: 10 }],
      }]),
    RangeError,
  );
});

Deno.test("lineChartGrid() gives a panel with its own yRange its own y axis", () => {
  // Loss (about 2.3 down to 0.4) beside accuracy (0 to 1): neither squeezed
  // into the other's scale.
  const svg = lineChartGrid([
    { title: "loss", series: [{ name: "train", values: [2.3, 0.9, 0.4] }] },
    {
      title: "accuracy",
      yRange: [0, 1],
      series: [{ name: "train", values: [0.2, 0.8, 1] }],
    },
  ], { columns: 2 }).markup;
  assertWellFormed(svg);
  const yLabels = (from: number, to: number) =>
    [...svg.slice(from, to).matchAll(/text-anchor="end"[^>]*>([^<]*)</g)]
      .map((m) => m[1]);
  // Each panel's ticks come before its title.
  const second = svg.indexOf(">loss<");
  // The first panel is ticked up to 2.5 in the loss's units, the second
  // from 0.0 to 1.0.
  const lossTicks = yLabels(0, second);
  const accuracyTicks = yLabels(second, svg.length);
  assert.equal(lossTicks[lossTicks.length - 1], "2.5");
  assert.equal(accuracyTicks[0], "0.0");
  assert.equal(accuracyTicks[accuracyTicks.length - 1], "1.0");
  // Both lines reach the top of their panels: 2.3 of the loss is not at
  // the height of 1 of the accuracy.
  const lines = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
    m[1].split(" ").map((p) => p.split(",").map(Number))
  );
  assert.notEqual(lines[0][0][1], lines[1][2][1]);
  assert.throws(
    () =>
      lineChartGrid([{
        title: "",
        yRange: [1, 0],
        series: [{ name: "", values: [1] }],
      }]),
    (e: Error) =>
      e instanceof RangeError && /panels\[0\]\.yRange/.test(e.message),
  );
});

Deno.test("scatterPlot() puts powers of ten evenly on log axes and colours by value", () => {
  const svg = scatterPlot([
    { x: 1e-6, y: 1, value: 0 },
    { x: 1e-4, y: 2, value: 0.5 },
    { x: 1e-2, y: 3, value: 1, label: "1" },
  ], { xScale: "log", valueLabel: "accuracy", labelMeaning: "rank" }).markup;
  assertWellFormed(svg);
  const circles = [
    ...svg.matchAll(
      /<circle cx="([\d.]+)" cy="([\d.]+)" r="6" fill="([^"]+)"/g,
    ),
  ].map((m) => ({ x: Number(m[1]), y: Number(m[2]), fill: m[3] }));
  assert.equal(circles.length, 3);
  // Drawn from the lowest value up; evenly spaced in log10 of x.
  assert.ok(
    Math.abs((circles[1].x - circles[0].x) - (circles[2].x - circles[1].x)) <
      0.02,
  );
  assert.ok(circles[2].y < circles[0].y, "higher y is higher up");
  assert.equal(circles[0].fill, scaleColor(0));
  assert.equal(circles[2].fill, scaleColor(1));
  assert.match(svg, />10⁻⁴</);
  assert.match(svg, />accuracy</);
  assert.match(svg, />numbers beside the points: rank</);
  assert.match(svg, /learning rate|x \(log scale\)/);
  // Without values: one colour, no colour bar.
  const plain = scatterPlot([{ x: 1, y: 1 }, { x: 2, y: 3 }]).markup;
  assert.doesNotMatch(plain, />value</);
  assert.throws(
    () => scatterPlot([{ x: 1, y: 1, value: 1 }, { x: 2, y: 2 }]),
    TypeError,
  );
  assert.throws(
    () => scatterPlot([{ x: -1, y: 1 }], { yScale: "log", xScale: "log" }),
    RangeError,
  );
  assert.throws(
    () => scatterPlot([{ x: 1, y: 1 }], { xScale: "ln" as never }),
    TypeError,
  );
  assert.throws(() => scatterPlot([]), TypeError);
});
