// The scripts as a learner runs them: each one in a subprocess,
// `deno run --no-prompt scripts/NAME.ts`, with no permission flags unless a
// test says so. Golden numbers come from the article (sections.md) or from
// numpy, never from the code under test.
//
// Needs --allow-run (and --allow-write for the tests that write config
// files); without them these tests are ignored, so plain `deno test` passes.
import assert from "node:assert/strict";

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

const canRun = granted({ name: "run" });
const canWrite = granted({ name: "write" });
const noRun = !canRun;
const noFiles = !(canRun && canWrite);

function scriptPath(name: string): string {
  return decodeURIComponent(
    new URL(`../scripts/${name}`, import.meta.url).pathname,
  );
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno run --no-prompt [denoFlags] scripts/NAME [args]`. */
async function run(
  name: string,
  args: string[] = [],
  denoFlags: string[] = [],
): Promise<Run> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...denoFlags, scriptPath(name), ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

/** A clean success: exit 0 and nothing on stderr. */
function assertOk(r: Run): void {
  assert.equal(r.stderr, "", `unexpected stderr: ${r.stderr}`);
  assert.equal(r.code, 0);
}

/** Bad input: non-zero exit, 1–2 plain stderr lines, no stack, empty stdout. */
function assertPlainFailure(r: Run, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected a failure, got stdout: ${r.stdout}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.ok(
    lines.length >= 1 && lines.length <= 2 && lines[0].length > 0,
    `expected 1–2 stderr lines, got:\n${r.stderr}`,
  );
  assert.ok(!r.stderr.includes("    at "), `stack trace:\n${r.stderr}`);
  assert.ok(!/uncaught/i.test(r.stderr), `uncaught error:\n${r.stderr}`);
  assert.match(r.stderr, pattern);
}

/** |a − b| ≤ atol + rtol·|b|, elementwise through nested arrays. */
function assertClose(
  actual: unknown,
  expected: unknown,
  rtol = 1e-9,
  atol = 0,
  path = "value",
): void {
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${path} is not a number`);
    const a = actual as number;
    assert.ok(
      Math.abs(a - expected) <= atol + rtol * Math.abs(expected),
      `${path}: ${a} differs from ${expected}`,
    );
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} is not an array`);
    assert.equal(actual.length, expected.length, `${path} length`);
    expected.forEach((e, i) =>
      assertClose(actual[i], e, rtol, atol, `${path}[${i}]`)
    );
    return;
  }
  if (typeof expected === "object" && expected !== null) {
    assert.equal(typeof actual, "object", `${path} is not an object`);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), path);
    for (const key of Object.keys(e)) {
      assertClose(a[key], e[key], rtol, atol, `${path}.${key}`);
    }
    return;
  }
  assert.equal(actual, expected, path);
}

// The article's section 4, from sections.md.
const ARTICLE_LOSSES = [
  113.28999999999999,
  82.72250503284572,
  60.402620168674915,
  44.1050053040893,
  32.20475349316987,
  23.515384260925927,
  17.17054897055121,
  12.537654017416763,
  9.15478989810077,
  6.684677848179767,
];
const ARTICLE_FINAL_LOSS = 4.881042430391056;
const ARTICLE_FINAL_W = [
  [0.24382521572023902, 0.3975300862880955, -0.45864469799166563],
  [0.5174292605536935, -1.3930282957785218, -0.17559903522482878],
];
const ARTICLE = {
  w: [[0, 0.3, -0.8], [1, -1.2, 0.5]],
  x: [[5], [2], [7]],
  b: [[1.2], [3.4]],
  d: [[1], [0]],
};

Deno.test({
  name: "minimal_model.ts prints the article's loss",
  ignore: noRun,
  async fn() {
    const r = await run("minimal_model.ts");
    assertOk(r);
    assert.equal(r.stdout, "Loss: 113.28999999999999\n");
  },
});

Deno.test({
  name: "one_step.ts prints the article's loss after one step",
  ignore: noRun,
  async fn() {
    const r = await run("one_step.ts");
    assertOk(r);
    assert.equal(r.stdout, "new_Loss: 35.527744\n");
  },
});

Deno.test({
  name: "gradient_descent.ts shows the slope on both sides and a step down",
  ignore: noRun,
  async fn() {
    const r = await run("gradient_descent.ts");
    assertOk(r);
    const out = r.stdout;
    // A chart: many rows starting with a "|" axis, and the markers.
    const rows = out.split("\n").filter((line) => /^\s*[\d.]*\s\|/.test(line));
    assert.ok(rows.length >= 10, "the chart has at least 10 rows");
    for (const marker of ["N", "M", "n", "m", "*"]) {
      assert.ok(rows.some((row) => row.includes(marker)), `marker ${marker}`);
    }
    // numpy, with w[0][0] = 0 and 2 and the rest as in the article:
    // loss 113.29 and 117.29, slope 2(u − d)·xᵀ at [0][0] = −48 and 52; one
    // step of α = 0.01 lands on 0.48 (loss 96.01) and 1.48 (loss 97.01).
    assert.match(out, /At Wn = 0, left/);
    assert.match(out, /slope, gradient\(\)\s+-48\n/);
    assert.match(out, /slope, numerical\s+-4[78]\.\d+\s+\(agrees\)/);
    assert.match(out, /slope is negative, so .* moves right/);
    assert.match(out, /= 0\.48, and the loss falls from 113\.29 to 96\.01\./);
    assert.match(out, /At Wm = 2, right/);
    assert.match(out, /slope, gradient\(\)\s+52\n/);
    assert.match(out, /slope, numerical\s+5[12]\.\d+\s+\(agrees\)/);
    assert.match(out, /slope is positive, so .* moves left/);
    assert.match(out, /= 1\.48, and the loss falls from 117\.29 to 97\.01\./);
    // numpy: from 0 with α = 0.05 the weight jumps to 2.4, loss 142.09.
    assert.match(out, /= 2\.4, and the\s+loss rises from 113\.29 to 142\.09/);
    assert.doesNotMatch(out, /DOES NOT AGREE/);
  },
});

Deno.test({
  name: "train.ts with no flags prints the article's 10 losses and the result",
  ignore: noRun,
  async fn() {
    const r = await run("train.ts");
    assertOk(r);
    const lines = r.stdout.trimEnd().split("\n");
    const logged = lines.filter((line) => /^step \d+: /.test(line));
    assert.deepEqual(
      logged,
      ARTICLE_LOSSES.map((loss, i) => `step ${i * 10}: ${loss}`),
    );
    assert.ok(lines.includes(`loss after 100 steps: ${ARTICLE_FINAL_LOSS}`));
    assert.ok(
      lines.includes(
        `w: [${
          ARTICLE_FINAL_W.map((row) => `[${row.join(", ")}]`).join(", ")
        }]`,
      ),
    );
    assert.ok(lines.includes("b: [[1.2], [3.4]]"), "the bias is not trained");
  },
});

Deno.test({
  name: "train.ts --lang ja prints the article's own lines",
  ignore: noRun,
  async fn() {
    const r = await run("train.ts", ["--lang", "ja"]);
    assertOk(r);
    const expected = ARTICLE_LOSSES.map((loss, i) => `${i * 10} 回目: ${loss}`)
      .join("\n");
    assert.ok(r.stdout.includes(`\n${expected}\n`), r.stdout);
    assert.ok(r.stdout.includes(`${ARTICLE_FINAL_LOSS}`));
  },
});

Deno.test({
  name: "train.ts --json prints exactly one JSON object with the article's run",
  ignore: noRun,
  async fn() {
    const r = await run("train.ts", ["--json"]);
    assertOk(r);
    assert.equal(r.stdout.trimEnd().split("\n").length, 1);
    const result = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(result), ["history", "finalLoss", "w", "b"]);
    assert.deepEqual(
      result.history,
      ARTICLE_LOSSES.map((loss, i) => ({ step: i * 10, loss })),
    );
    assert.equal(result.finalLoss, ARTICLE_FINAL_LOSS);
    assertClose(result.w, ARTICLE_FINAL_W);
    assert.deepEqual(result.b, ARTICLE.b);
  },
});

Deno.test({
  name: "train.ts: --lr is --learning-rate, and flags change the run",
  ignore: noRun,
  async fn() {
    const a = await run("train.ts", ["--json", "--lr", "0.0001"]);
    const b = await run("train.ts", ["--json", "--learning-rate=0.0001"]);
    assertOk(a);
    assertOk(b);
    assert.equal(a.stdout, b.stdout);
    // numpy: the article's model, lr 0.001, 3 steps, bias trained, every step.
    const c = await run("train.ts", [
      "--json",
      "--lr",
      "0.001",
      "--steps",
      "3",
      "--log-every",
      "1",
      "--train-bias",
    ]);
    assertOk(c);
    assertClose(JSON.parse(c.stdout), NUMPY_ARTICLE_LR_0_001);
  },
});

// From numpy (float64): the article's model, learning rate 0.001, 3 steps,
// logEvery 1, bias trained (b -= lr * 2(u - d) summed over samples).
const NUMPY_ARTICLE_LR_0_001 = {
  history: [
    { step: 0, loss: 113.28999999999999 },
    { step: 1, loss: 80.31853156 },
    { step: 2, loss: 56.94294740890385 },
  ],
  finalLoss: 40.370499766806105,
  w: [
    [0.122446272, 0.34897850880000003, -0.6285752191999999],
    [0.75765842, -1.296936632, 0.16072178799999995],
  ],
  b: [[1.2244892544], [3.351531684]],
};

Deno.test({
  name: "train.ts --help prints the flags and exits 0",
  ignore: noRun,
  async fn() {
    const r = await run("train.ts", ["--help"]);
    assertOk(r);
    for (
      const flag of [
        "--learning-rate",
        "--lr",
        "--steps",
        "--log-every",
        "--train-bias",
        "--config",
        "--json",
        "--lang",
      ]
    ) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  },
});

// Bad flags: each must fail plainly. The pattern is what stderr must name.
const BAD_FLAGS: [string[], RegExp][] = [
  [["--foo"], /--foo/],
  [["--learning_rate", "0.1"], /--learning_rate/],
  [["positional"], /positional/],
  [["--lr", "abc"], /--lr must be a number/],
  [["--lr", "NaN"], /--lr must be a number/],
  [["--learning-rate", "nan"], /--learning-rate must be a number/],
  [["--lr", "Infinity"], /--lr must be a number/],
  [["--lr", "0x10"], /--lr must be a number/],
  [["--lr", ""], /--lr must be a number/],
  [["--lr", "0"], /greater than 0/],
  [["--lr=-0.5"], /greater than 0/],
  [["--lr", "-0.5"], /--lr/],
  [["--lr", "1", "--learning-rate", "1"], /once/],
  [["--steps", "0"], /--steps must be a whole number/],
  [["--steps=-3"], /--steps must be a whole number/],
  [["--steps", "-3"], /--steps/],
  [["--steps", "2.5"], /--steps must be a whole number/],
  [["--steps", "1e2"], /--steps must be a whole number/],
  [["--steps", "ten"], /--steps must be a whole number/],
  [["--steps", "NaN"], /--steps must be a whole number/],
  [["--steps"], /--steps needs a value/],
  [["--log-every", "0"], /--log-every must be a whole number/],
  [["--log-every", "0.5"], /--log-every must be a whole number/],
  [["--log-every=-1"], /--log-every must be a whole number/],
  [["--lang", "fr"], /--lang/],
  [["--json=yes"], /--json takes no value/],
  [["--train-bias=false"], /--train-bias takes no value/],
  [["--config"], /--config needs a value/],
];

for (const [args, pattern] of BAD_FLAGS) {
  Deno.test({
    name: `train.ts ${JSON.stringify(args)} fails plainly`,
    ignore: noRun,
    async fn() {
      assertPlainFailure(await run("train.ts", args), pattern);
    },
  });
}

Deno.test({
  name: "train.ts --lr 1 stops at the step the loss overflows",
  ignore: noRun,
  async fn() {
    // numpy: with learning rate 1 the loss is first inf at step 70.
    for (const extra of [[], ["--json"], ["--lang", "ja"]]) {
      const r = await run("train.ts", ["--lr", "1", ...extra]);
      assertPlainFailure(r, /step 70\b/);
      assert.match(r.stderr, /smaller learning rate/);
    }
  },
});

// REGRESSION: --steps 100000000 --log-every 1 once ran for half a minute and
// died of V8's out-of-memory error with a C stack trace (exit 133). Runs
// that cannot be kept or finished are now refused, before training, as bad
// usage (exit 2).
Deno.test({
  name: "train.ts refuses, before training, a run too long to keep or finish",
  ignore: noRun,
  async fn() {
    const cases: [string[], string, string][] = [
      [
        ["--steps", "100000000", "--log-every", "1"],
        "error: --steps 100000000 with --log-every 1 would record 100000000 losses, more than the 1000000 a run can keep.",
        "Raise --log-every to at least 100.",
      ],
      [
        ["--steps", "100000000", "--log-every", "1", "--lang", "ja"],
        "エラー: --steps 100000000 と --log-every 1 では Loss を 100000000 個記録することになりますが、記録できるのは 1000000 個までです。",
        "--log-every を 100 以上にしてください。",
      ],
      // The default --log-every is 10.
      [
        ["--steps", "20000000", "--json"],
        "error: --steps 20000000 with --log-every 10 would record 2000000 losses, more than the 1000000 a run can keep.",
        "Raise --log-every to at least 20.",
      ],
      [
        ["--steps", "2000000000", "--log-every", "1000000"],
        "error: --steps must be at most 1000000000, got 2000000000.",
        "To train longer, save the weights with --save and go on from them with --load.",
      ],
      [
        ["--steps", "2000000000", "--lang", "ja"],
        "エラー: --steps は 1000000000 以下にしてください(指定された値: 2000000000)。",
        "もっと長く学習させるには、--save で重みを保存し、--load でその続きから学習させてください。",
      ],
    ];
    for (const [args, message, hint] of cases) {
      const started = performance.now();
      const r = await run("train.ts", args);
      assertPlainFailure(r, /./);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.stderr, `${message}\n${hint}\n`);
      // Refused up front, not after training: the whole run, Deno's start
      // included, takes well under the 10 s that 1e8 steps would.
      assert.ok(performance.now() - started < 10_000, args.join(" "));
    }
    // The longest history that fits: 1,000,000 losses, every one printed.
    const r = await run("train.ts", [
      "--steps",
      "1000000",
      "--log-every",
      "1",
      "--json",
    ]);
    assertOk(r);
    assert.equal(JSON.parse(r.stdout).history.length, 1_000_000);
  },
});

Deno.test({
  name: "train.ts --plot refuses, before training, more steps than it can draw",
  ignore: noFiles,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/loss.svg`;
      const r = await run(
        "train.ts",
        ["--steps", "2000000", "--log-every", "1000", "--plot", file],
        [`--allow-write=${file}`],
      );
      assertPlainFailure(r, /./);
      assert.equal(r.code, 2);
      assert.equal(
        r.stderr,
        "error: --plot draws the loss at every step, at most 1000000 steps, but got --steps 2000000.\nLower --steps to 1000000 or less, or leave out --plot.\n",
      );
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "train.ts --config without --allow-read names the flag to add",
  ignore: noRun,
  async fn() {
    const r = await run("train.ts", ["--config", "my config.json"]);
    assertPlainFailure(r, /--allow-read="my config\.json"/);
    const s = await run("train.ts", ["--config", "cfg.json", "--json"]);
    assertPlainFailure(s, /--allow-read=cfg\.json/);
  },
});

/** Writes each config to a temp dir and runs the test body with the paths. */
async function withConfigs(
  configs: Record<string, string>,
  body: (path: (name: string) => string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "scripts_test_" });
  try {
    for (const [name, text] of Object.entries(configs)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    await body((name) => `${dir}/${name}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// Three samples as columns of x and d; the bias trained too.
const BATCH = {
  w: [[0, 0.3, -0.8], [1, -1.2, 0.5]],
  x: [[5, 1, 0], [2, -1, 3], [7, 0.5, -2]],
  b: [[1.2], [3.4]],
  d: [[1, 0, 2], [0, 1, -1]],
  learningRate: 0.001,
  steps: 50,
  logEvery: 10,
  trainBias: true,
};
// From numpy (float64), the loop of the article with the matrix-product
// gradient: u = w.dot(x) + b; e = 2 * (u - d); w -= lr * e.dot(x.T);
// b -= lr * e.sum(axis=1, keepdims=True); loss = numpy.sum((u - d) ** 2).
const NUMPY_BATCH = {
  history: [
    { step: 0, loss: 139.9925 },
    { step: 10, loss: 19.977178088531698 },
    { step: 20, loss: 14.980119026426738 },
    { step: 30, loss: 13.599533964897521 },
    { step: 40, loss: 12.466216229653742 },
  ],
  finalLoss: 11.450603239794328,
  w: [
    [0.21846762684888613, 0.27547787337290397, -0.2544928142642235],
    [0.16494146079453093, -1.2156994318296335, -0.21685322037398774],
  ],
  b: [[1.092358415041919], [2.8800253867318633]],
};

// Three outputs, one input, four samples. The file's learningRate, steps and
// logEvery are overridden by flags (--lr 0.01 --steps 30 --log-every 7).
const OVERRIDDEN = {
  w: [[0.5], [-1.5], [2.0]],
  x: [[1, 2, -3, 0.25]],
  b: [[0.1], [-0.2], [0.3]],
  d: [[1, 2, 3, 4], [-1, 0, 1, 0.5], [0, 0, 0, 1]],
  learningRate: 5,
  steps: 2,
  logEvery: 1,
};
// From numpy (float64), same loop, lr 0.01, 30 steps, logEvery 7, bias fixed.
const NUMPY_OVERRIDDEN = {
  history: [
    { step: 0, loss: 113.66625 },
    { step: 7, loss: 30.541054810304903 },
    { step: 14, loss: 29.724805765869135 },
    { step: 21, loss: 29.716790596689414 },
    { step: 28, loss: 29.71671189162089 },
  ],
  finalLoss: 29.716711319411356,
  w: [[-0.21507548985278463], [-0.2720611693826949], [0.012543448961061009]],
  b: [[0.1], [-0.2], [0.3]],
};

Deno.test({
  name: "train.ts --config --json equals numpy for batches and overrides",
  ignore: noFiles,
  async fn() {
    await withConfigs({
      "batch.json": JSON.stringify(BATCH),
      "overridden.json": JSON.stringify(OVERRIDDEN),
      "article.json": JSON.stringify(ARTICLE),
    }, async (path) => {
      const batch = await run(
        "train.ts",
        ["--config", path("batch.json"), "--json"],
        [`--allow-read=${path("batch.json")}`],
      );
      assertOk(batch);
      assertClose(JSON.parse(batch.stdout), NUMPY_BATCH);

      const overridden = await run(
        "train.ts",
        [
          "--config",
          path("overridden.json"),
          "--json",
          "--lr",
          "0.01",
          "--steps",
          "30",
          "--log-every",
          "7",
        ],
        [`--allow-read=${path("overridden.json")}`],
      );
      assertOk(overridden);
      assertClose(JSON.parse(overridden.stdout), NUMPY_OVERRIDDEN);

      // The article's values from a file give the article's run, to the digit.
      const article = await run(
        "train.ts",
        ["--config", path("article.json"), "--lang", "ja"],
        [`--allow-read=${path("article.json")}`],
      );
      assertOk(article);
      const expected = ARTICLE_LOSSES.map((loss, i) =>
        `${i * 10} 回目: ${loss}`
      )
        .join("\n");
      assert.ok(article.stdout.includes(`\n${expected}\n`), article.stdout);

      // --train-bias on the command line turns on bias training.
      const trained = await run(
        "train.ts",
        ["--config", path("article.json"), "--json", "--train-bias"],
        [`--allow-read=${path("article.json")}`],
      );
      assertOk(trained);
      assert.notDeepEqual(JSON.parse(trained.stdout).b, ARTICLE.b);
    });
  },
});

const fields = (extra: Record<string, unknown>): string =>
  JSON.stringify({ ...ARTICLE, ...extra });

// Bad config files: each must fail plainly, naming the problem.
const BAD_CONFIGS: [string, string, RegExp][] = [
  ["malformed JSON", '{"w": [[1, 2]],', /not valid JSON/],
  ["empty file", "", /not valid JSON/],
  ["an array", "[[1, 2]]", /JSON object/],
  ["a number", "42", /JSON object/],
  ["missing d", JSON.stringify({ ...ARTICLE, d: undefined }), /"d"/],
  ["unknown field", fields({ lr: 0.1 }), /unknown field "lr"/],
  [
    "ragged w",
    fields({ w: [[0, 0.3, -0.8], [1, -1.2]] }),
    /w .*ragged.*row 1/,
  ],
  ["string entry", fields({ x: [[5], ["2"], [7]] }), /x .*row 1, column 0/],
  ["null entry", fields({ b: [[1.2], [null]] }), /b .*row 1, column 0/],
  ["nested entry", fields({ d: [[1], [[0]]] }), /d .*row 1, column 0/],
  ["boolean entry", fields({ w: [[0, true, 1], [1, 1, 1]] }), /w .*column 1/],
  ["empty matrix", fields({ x: [] }), /x /],
  ["empty row", fields({ x: [[]] }), /x /],
  ["not a matrix", fields({ w: "1 2 3" }), /w /],
  ["x rows vs w cols", fields({ x: [[5], [2]] }), /x is 2x1 but w is 2x3/],
  ["b shape", fields({ b: [[1.2], [3.4], [0]] }), /b is 3x1/],
  ["b with columns", fields({ b: [[1.2, 0], [3.4, 0]] }), /b is 2x2/],
  ["d samples", fields({ d: [[1, 2], [0, 0]] }), /d is 2x2 but must be 2x1/],
  ["d outputs", fields({ d: [[1]] }), /d is 1x1 but must be 2x1/],
  ["string learningRate", fields({ learningRate: "0.1" }), /learningRate/],
  ["zero learningRate", fields({ learningRate: 0 }), /learningRate/],
  ["negative learningRate", fields({ learningRate: -1 }), /learningRate/],
  ["fractional steps", fields({ steps: 2.5 }), /steps/],
  ["zero steps", fields({ steps: 0 }), /steps/],
  ["negative logEvery", fields({ logEvery: -10 }), /logEvery/],
  ["string trainBias", fields({ trainBias: "yes" }), /trainBias/],
  [
    "overflowing values",
    fields({ w: [[1e300, 0, 0], [0, 0, 0]], x: [[1e300], [2], [7]] }),
    /step 0/,
  ],
  ["divergent learningRate", fields({ learningRate: 1 }), /step 70\b/],
];

Deno.test({
  name: "train.ts --config refuses bad files plainly",
  ignore: noFiles,
  async fn(t) {
    const files = Object.fromEntries(
      BAD_CONFIGS.map(([, text], i) => [`bad${i}.json`, text]),
    );
    await withConfigs(files, async (path) => {
      for (const [i, [what, , pattern]] of BAD_CONFIGS.entries()) {
        await t.step(what, async () => {
          const file = path(`bad${i}.json`);
          const r = await run("train.ts", ["--config", file, "--json"], [
            `--allow-read=${file}`,
          ]);
          assertPlainFailure(r, pattern);
        });
      }
      // A file that does not exist, and a directory.
      const missing = path("missing.json");
      assertPlainFailure(
        await run("train.ts", ["--config", missing], [
          `--allow-read=${missing}`,
        ]),
        /no such file/,
      );
      const dir = path("");
      assertPlainFailure(
        await run("train.ts", ["--config", dir], [`--allow-read=${dir}`]),
        /directory/,
      );
    });
  },
});

Deno.test({
  name: "every script runs with no permission flags and no prompt",
  ignore: noRun,
  async fn() {
    for (
      const name of [
        "minimal_model.ts",
        "gradient_descent.ts",
        "one_step.ts",
        "train.ts",
        "step.ts",
        "graph.ts",
      ]
    ) {
      const r = await run(name);
      assertOk(r);
      assert.ok(r.stdout.length > 0, name);
    }
  },
});

Deno.test({
  name:
    "train.ts --plot, --save into a missing directory: refused before training, with only --allow-write=FILE",
  ignore: noFiles,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      for (const [flag, name] of [["--plot", "a.svg"], ["--save", "a.st"]]) {
        const file = `${dir}/sub/${name}`;
        const r = await run(
          "train.ts",
          [flag, file, "--steps", "5"],
          [`--allow-write=${file}`],
        );
        assert.equal(
          r.stderr,
          `error: Cannot write ${file} (given to ${flag}): the directory ${dir}/sub does not exist.\n`,
        );
        assert.equal(r.code, 1);
        // Refused before the run: none of its losses were printed.
        assert.equal(r.stdout, "");
      }
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "train.ts --plot writes a loss chart, and refuses without permission",
  ignore: noFiles,
  async fn() {
    await withConfigs({}, async (path) => {
      const file = path("loss.svg");
      const denied = await run("train.ts", ["--plot", file]);
      assertPlainFailure(denied, /--allow-write=/);
      assert.throws(() => Deno.statSync(file), Deno.errors.NotFound);

      const r = await run("train.ts", ["--plot", file], [
        `--allow-write=${file}`,
      ]);
      assertOk(r);
      // The text output is unchanged by --plot: the article's ten losses.
      assert.match(r.stdout, /^step 90: 6\.684677848179767$/m);
      assert.doesNotMatch(r.stdout, /^step 1:/m);
      const svg = await Deno.readTextFile(file);
      assert.ok(svg.startsWith("<svg"));
      assert.ok(svg.trimEnd().endsWith("</svg>"));
      // One line through the loss at all 100 steps and the final loss.
      const points = /<polyline[^>]*points="([^"]*)"/.exec(svg)?.[1];
      assert.equal(points?.trim().split(/\s+/).length, 101);
    });
  },
});

Deno.test({
  name:
    "the section scripts take only --help, and refuse anything else plainly",
  ignore: noRun,
  async fn() {
    for (
      const name of ["minimal_model.ts", "gradient_descent.ts", "one_step.ts"]
    ) {
      assertPlainFailure(await run(name, ["--foo"]), /Unknown flag --foo/);
      assertPlainFailure(await run(name, ["extra"]), /Unexpected argument/);
      const help = await run(name, ["--help"]);
      assertOk(help);
      assert.match(help.stdout, /^Section \d of the article/);
      assert.match(help.stdout, new RegExp(`deno run scripts/${name}`));
    }
  },
});

// ---------------------------------------------------------------------------
// --lang ja, -h and "did you mean" in every script; divergence advice.

const SECTION_SCRIPTS = [
  "minimal_model.ts",
  "gradient_descent.ts",
  "one_step.ts",
];

Deno.test({
  name: "-h is --help in every script, in English and with --lang ja",
  ignore: noRun,
  async fn() {
    for (
      const name of [...SECTION_SCRIPTS, "train.ts", "step.ts", "graph.ts"]
    ) {
      const long = await run(name, ["--help"]);
      const short = await run(name, ["-h"]);
      assertOk(long);
      assertOk(short);
      assert.equal(short.stdout, long.stdout, name);
      assert.match(long.stdout, new RegExp(`deno run scripts/${name}`));
      assert.match(long.stdout, /-h, --help/, name);
    }
    for (const name of [...SECTION_SCRIPTS, "step.ts", "graph.ts"]) {
      const ja = await run(name, ["--lang", "ja", "-h"]);
      assertOk(ja);
      assert.match(ja.stdout, /使い方: deno run scripts\//, name);
      assert.match(ja.stdout, /このヘルプを表示する/, name);
    }
  },
});

Deno.test({
  name: "minimal_model.ts and one_step.ts --lang ja print the article's lines",
  ignore: noRun,
  async fn() {
    const loss = await run("minimal_model.ts", ["--lang", "ja"]);
    assertOk(loss);
    assert.equal(loss.stdout, "Loss: 113.28999999999999\n");
    const step = await run("one_step.ts", ["--lang=ja"]);
    assertOk(step);
    assert.equal(step.stdout, "new_Loss: 35.527744\n");
  },
});

Deno.test({
  name: "gradient_descent.ts --lang ja explains in the article's words",
  ignore: noRun,
  async fn() {
    const r = await run("gradient_descent.ts", ["--lang", "ja"]);
    assertOk(r);
    const out = r.stdout;
    // The article's words (学習の基本的な概念).
    for (
      const words of [
        "学習の基本的な概念",
        "誤差が減るように重みをちょっとだけ増やす、もしくは減らすこと",
        "横軸に重み、縦軸に誤差",
        "「傾き」は負。よって、重みから傾きを引けば右に移動し",
        "「傾き」は正。よって、重みから傾きを引けば左に移動し",
        "勾配降下法",
        "学習率",
      ]
    ) {
      assert.ok(out.includes(words), words);
    }
    assert.doesNotMatch(out, /\b(loss|slope|the weight)\b/);
    // The chart: its axes in Japanese, the same markers.
    const rows = out.split("\n").filter((line) => /^\s*[\d.]*\s\|/.test(line));
    assert.ok(rows.length >= 10);
    for (const marker of ["N", "M", "n", "m", "*"]) {
      assert.ok(rows.some((row) => row.includes(marker)), `marker ${marker}`);
    }
    assert.match(out, /^ +誤差$/m);
    assert.match(out, /重み w\[0\]\[0\]$/m);
    // The same numbers as in English (numpy, see the English test above).
    assert.match(out, /重みが Wn = 0 の場合\(誤差が最小になる点の左側\)/);
    assert.match(out, /傾き\(gradient\(\)\): -48\n/);
    assert.match(out, /傾き\(数値微分\): -4[78]\.\d+\(一致\)/);
    assert.match(out, /= 0\.48 で、誤差は 113\.29 から 96\.01 に減少する。/);
    assert.match(out, /傾き\(gradient\(\)\): 52\n/);
    assert.match(out, /= 1\.48 で、誤差は 117\.29 から 97\.01 に減少する。/);
    assert.match(out, /= 2\.4 で、誤差は 113\.29 から 142\.09 に増加する。/);
    assert.doesNotMatch(out, /一致しない/);
  },
});

Deno.test({
  name: "a misspelt flag gets the nearest known one, in every script",
  ignore: noRun,
  async fn() {
    for (const name of [...SECTION_SCRIPTS, "graph.ts"]) {
      assertPlainFailure(
        await run(name, ["--lnag", "ja"]),
        /^error: Unknown flag --lnag: did you mean --lang\?$/m,
      );
      assertPlainFailure(
        await run(name, ["--hlep"]),
        /Unknown flag --hlep: did you mean --help\?/,
      );
    }
    const cases: [string, string[], string][] = [
      ["train.ts", ["--stpes", "5"], "--steps"],
      ["train.ts", ["--learning_rate", "0.1"], "--learning-rate"],
      ["train.ts", ["--log_every", "5"], "--log-every"],
      ["train.ts", ["--train_bias"], "--train-bias"],
      ["train.ts", ["--strct"], "--strict"],
      ["train.ts", ["--jsno"], "--json"],
      ["train.ts", ["--confg", "a.json"], "--config"],
      ["step.ts", ["--jsno"], "--json"],
      ["step.ts", ["--learning-rat", "0.1"], "--learning-rate"],
    ];
    for (const [name, args, near] of cases) {
      const r = await run(name, args);
      assertPlainFailure(r, new RegExp(`did you mean ${near}\\?`));
      assert.equal(r.code, 2);
    }
    // Nothing near: the message as before.
    const far = await run("train.ts", ["--foo"]);
    assertPlainFailure(far, /^error: Unknown flag --foo\.$/m);
    assert.doesNotMatch(far.stderr, /did you mean/);
  },
});

Deno.test({
  name: "error messages follow --lang ja in every script",
  ignore: noRun,
  async fn() {
    for (
      const name of [...SECTION_SCRIPTS, "train.ts", "step.ts", "graph.ts"]
    ) {
      const unknown = await run(name, ["--lang", "ja", "--foo"]);
      assertPlainFailure(
        unknown,
        /^エラー: --foo というフラグはありません。$/m,
      );
      assert.match(
        unknown.stderr,
        /--help を付けて実行するとフラグの一覧が出ます。/,
      );
      assertPlainFailure(
        await run(name, ["--lang=ja", "--lnag", "ja"]),
        /^エラー: --lnag というフラグはありません。--lang のことですか\?$/m,
      );
      assertPlainFailure(
        await run(name, ["extra", "--lang", "ja"]),
        /^エラー: 余分な引数 "extra" があります。/m,
      );
      // An unknown language is refused in English.
      assertPlainFailure(
        await run(name, ["--lang", "fr"]),
        /^error: --lang must be en or ja, got "fr"\.$/m,
      );
    }
    const ja: [string, string[], RegExp][] = [
      ["train.ts", ["--lr", "abc"], /--lr には数を指定してください/],
      ["train.ts", ["--lr", "0"], /--lr は 0 より大きい数にしてください/],
      [
        "train.ts",
        ["--steps", "2.5"],
        /--steps は 1 から 9007199254740991 までの整数を、数字だけで指定してください/,
      ],
      ["train.ts", ["--steps"], /フラグ --steps には値が要ります。/],
      ["train.ts", ["--json=yes"], /フラグ --json は値を取りません。/],
      ["train.ts", ["--lr", "1", "--learning-rate", "1"], /学習率は1回だけ/],
      ["step.ts", ["--lr", "abc"], /--lr には数を指定してください/],
      ["step.ts", ["--learning-rate=-1"], /0 より大きい数/],
      [
        "step.ts",
        ["--lr", "1", "--lr", "2", "--learning-rate", "1"],
        /学習率は1回だけ/,
      ],
    ];
    for (const [name, args, pattern] of ja) {
      const r = await run(name, ["--lang", "ja", ...args]);
      assertPlainFailure(r, pattern);
      assert.match(r.stderr, /^エラー: /);
      assert.equal(r.code, 2);
    }
    const noRead = await run("train.ts", [
      "--lang",
      "ja",
      "--config",
      "cfg.json",
    ]);
    assertPlainFailure(
      noRead,
      /^エラー: cfg\.json\(--config で指定\)を読む許可がありません。\n読めるように --allow-read=cfg\.json を付けて実行し直してください。\n$/,
    );
    const noWrite = await run("train.ts", ["--lang", "ja", "--plot", "a.svg"]);
    assertPlainFailure(
      noWrite,
      /a\.svg\(--plot で指定\)に書き込む許可がありません/,
    );
    assert.match(noWrite.stderr, /--allow-write=a\.svg/);
  },
});

Deno.test({
  name: "train.ts --config errors follow --lang ja",
  ignore: noFiles,
  async fn() {
    await withConfigs({
      "ragged.json": fields({ w: [[0, 0.3, -0.8], [1, -1.2]] }),
      "shape.json": fields({ x: [[5], [2]] }),
      "field.json": fields({ lr: 0.1 }),
      "bad.json": '{"w": ',
    }, async (path) => {
      const cases: [string, RegExp][] = [
        [
          "ragged.json",
          /w の行の長さがそろっていません: 1 行目は 2 個、0 行目は 3 個です。/,
        ],
        ["shape.json", /x は 2x1 ですが w は 2x3 です/],
        [
          "field.json",
          /知らないフィールド "lr" があります。\n使えるフィールド: /,
        ],
        ["bad.json", /bad\.json は正しい JSON ではありません/],
      ];
      for (const [name, pattern] of cases) {
        const file = path(name);
        const r = await run("train.ts", ["--lang", "ja", "--config", file], [
          `--allow-read=${file}`,
        ]);
        assertPlainFailure(r, pattern);
        assert.match(r.stderr, /^エラー: /);
      }
      const missing = path("missing.json");
      assertPlainFailure(
        await run("train.ts", ["--lang", "ja", "--config", missing], [
          `--allow-read=${missing}`,
        ]),
        /を読めません: そのファイルはありません。/,
      );
    });
  },
});

// Divergence. For one sample, u − d after a step is (1 − 2·lr·|x|²)(u − d),
// so the loss is multiplied by (1 − 2·lr·|x|²)² every step; |x|² = 5² + 2² +
// 7² = 78 is also λmax(x·xᵀ), the only nonzero eigenvalue of that rank-one
// matrix. Stable iff lr < 1/78 = 0.01282…; half of that, 1/156 = 0.00641…,
// rounded down to two digits is 0.0064. With the bias trained, x gets a row
// of ones: |x|² = 79, limit 1/79 = 0.01266, suggestion 1/158 → 0.0063.
const ADVICE_78 =
  "Try a smaller learning rate, such as --learning-rate 0.0064: training is stable only below 1/λmax = 0.01282, where λmax = 78 is the largest eigenvalue of x·xᵀ.";

/** The rate the advice suggests. */
function suggested(stderr: string): string {
  const rate = /--learning-rate (\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(stderr);
  assert.ok(rate, `no suggestion in:\n${stderr}`);
  return rate[1];
}

/** Asserts that a --json run lowered the loss at every step, to near 0. */
function assertConverged(r: Run, firstLoss: number): void {
  assertOk(r);
  const result = JSON.parse(r.stdout);
  const losses = [
    ...result.history.map((h: { loss: number }) => h.loss),
    result.finalLoss,
  ];
  assert.equal(losses[0], firstLoss);
  // It falls at every step until it is down to rounding (near 0, float64
  // jitters by an ulp or two of the weights), and ends there.
  for (let i = 1; i < losses.length; i++) {
    if (losses[i - 1] <= 1e-20 * firstLoss) break;
    assert.ok(losses[i] < losses[i - 1], `loss rose at record ${i}`);
  }
  assert.ok(result.finalLoss < 1e-12 * firstLoss, `${result.finalLoss}`);
}

Deno.test({
  name:
    "train.ts --lr 0.1 warns that the loss grows, with λmax and a rate that converges",
  ignore: noRun,
  async fn() {
    const r = await run("train.ts", ["--lr", "0.1"]);
    // Not --strict: the run finishes (exit 0) and prints as before …
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^step 0: 113\.28999999999999$/m);
    // … but says on stderr that it diverges. The loss is multiplied by
    // (1 − 2 × 0.1 × 78)² = 14.6² at every step: 113.29 × 14.6^200 at 100.
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    const grew =
      /^warning: The loss grew at each of 100 steps in a row \(from 113\.28999999999999 at step 0 to (\S+) at step 100\) with learning rate 0\.1: training is diverging\.$/
        .exec(lines[0]);
    assert.ok(grew, lines[0]);
    assertClose(Number(grew[1]), 113.29 * 14.6 ** 200, 1e-9);
    assert.equal(lines[1], ADVICE_78);
    // The suggested rate converges: the loss falls at every step.
    assert.equal(suggested(r.stderr), "0.0064");
    assertConverged(
      await run("train.ts", ["--json", "--lr", "0.0064", "--log-every", "1"]),
      113.28999999999999,
    );
    // With --json and --lang ja the warning is there too; stdout stays JSON.
    const json = await run("train.ts", ["--lr", "0.1", "--json"]);
    assert.equal(json.code, 0);
    assert.equal(Object.keys(JSON.parse(json.stdout)).length, 4);
    assert.match(json.stderr, /^warning: The loss grew/);
    const ja = await run("train.ts", ["--lr", "0.1", "--lang", "ja"]);
    assert.equal(ja.code, 0);
    assert.match(
      ja.stderr,
      /^警告: 学習率 0\.1 で Loss が 100 回続けて増えました\(0 回目の 113\.28999999999999 から 100 回目の \S+ まで\): 学習が発散しています。\n/,
    );
    assert.match(
      ja.stderr,
      /例: --learning-rate 0\.0064。学習が安定するのは学習率が 1\/λmax = 0\.01282 より小さいときです\(λmax = 78 は x·xᵀ の最大固有値\)。/,
    );
    assert.equal(suggested(ja.stderr), "0.0064");
  },
});

Deno.test({
  name: "train.ts --strict fails when the loss grows for 10 steps in a row",
  ignore: noRun,
  async fn() {
    const r = await run("train.ts", ["--lr", "0.1", "--strict"]);
    assertPlainFailure(
      r,
      /^error: The loss grew at each of 100 steps in a row/,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\n.*λmax = 78\b/);
    // Ten increases make a warning, nine do not: --steps N gives N of them.
    const nine = await run("train.ts", [
      "--lr",
      "0.1",
      "--steps",
      "9",
      "--strict",
    ]);
    assertOk(nine);
    const ten = await run("train.ts", ["--lr", "0.1", "--steps", "10"]);
    assert.equal(ten.code, 0);
    assert.match(ten.stderr, /grew at each of 10 steps in a row/);
    assertPlainFailure(
      await run("train.ts", ["--lr", "0.1", "--steps", "10", "--strict"]),
      /grew at each of 10 steps/,
    );
    // A run that converges is not touched by --strict: the article's run.
    const article = await run("train.ts", ["--strict", "--json"]);
    assertOk(article);
    assert.equal(JSON.parse(article.stdout).finalLoss, ARTICLE_FINAL_LOSS);
    // Just under the limit 1/78 the loss still falls; just over it, it grows.
    assertOk(
      await run("train.ts", ["--lr", "0.0128", "--steps", "500", "--strict"]),
    );
    assertPlainFailure(
      await run("train.ts", ["--lr", "0.0129", "--steps", "500", "--strict"]),
      /grew at each of 500 steps/,
    );
  },
});

Deno.test({
  name: "train.ts divergence advice: overflow, a trained bias, in Japanese",
  ignore: noRun,
  async fn() {
    // Overflow (the existing stop at step 70) now gives the same advice.
    const r = await run("train.ts", ["--lr", "1"]);
    assertPlainFailure(r, /step 70\b/);
    assert.equal(r.stderr.trimEnd().split("\n")[1], ADVICE_78);
    // The bias trained: x with a row of ones, λmax = 79.
    const bias = await run("train.ts", ["--lr", "0.1", "--train-bias"]);
    assert.equal(bias.code, 0);
    assert.match(
      bias.stderr,
      /such as --learning-rate 0\.0063: training is stable only below 1\/λmax = 0\.01266, where λmax = 79 is the largest eigenvalue of x·xᵀ, x with a row of ones for the trained bias\./,
    );
    assert.equal(suggested(bias.stderr), "0.0063");
    assertConverged(
      await run("train.ts", [
        "--json",
        "--train-bias",
        "--lr",
        "0.0063",
        "--steps",
        "200",
        "--log-every",
        "1",
      ]),
      113.28999999999999,
    );
    const ja = await run("train.ts", ["--lr", "1", "--lang", "ja"]);
    assertPlainFailure(
      ja,
      /^エラー: 70 回目 \(step 70\) で学習が発散しました: 学習率 1 で Loss が Infinity になりました。$/m,
    );
    assert.match(ja.stderr, /λmax = 78 は x·xᵀ の最大固有値/);
  },
});

Deno.test({
  name:
    "train.ts --config: λmax from a batch of samples, and its rate converges",
  ignore: noFiles,
  async fn() {
    // Two samples (3, 4, 0) and (0, 0, 1), bias trained: with the row of
    // ones they are (3, 4, 0, 1) and (0, 0, 1, 1). x·xᵀ (4x4) has the same
    // nonzero eigenvalues as xᵀ·x = [[26, 1], [1, 2]]: 14 ± √145. So
    // λmax = 14 + √145 = 26.0416…, the limit 1/λmax = 0.0384001… and half
    // of it 0.0192000… → 0.019.
    const lambda = 14 + Math.sqrt(145);
    const config = {
      w: [[0, 0, 0]],
      x: [[3, 0], [4, 0], [0, 1]],
      b: [[0]],
      d: [[1, 2]],
      learningRate: 0.05,
      steps: 100,
      trainBias: true,
    };
    // Without the bias: the samples are orthogonal, λmax = 3² + 4² = 25.
    await withConfigs({
      "orth.json": JSON.stringify(config),
      "nobias.json": JSON.stringify({ ...config, trainBias: false }),
    }, async (path) => {
      const read = [`--allow-read=${path("orth.json")},${path("nobias.json")}`];
      const r = await run("train.ts", ["--config", path("orth.json")], read);
      assert.equal(r.code, 0);
      assert.match(r.stderr, /^warning: The loss grew at each of \d+ steps/);
      assert.ok(
        r.stderr.includes(
          `such as --learning-rate 0.019: training is stable only below 1/λmax = ${
            Number((1 / lambda).toPrecision(4))
          }, where λmax = ${
            Number(lambda.toPrecision(10))
          } is the largest eigenvalue of x·xᵀ, x with a row of ones`,
        ),
        r.stderr,
      );
      assert.match(r.stderr, /λmax = 26\.04159458 /);
      assertConverged(
        await run("train.ts", [
          "--config",
          path("orth.json"),
          "--json",
          "--lr",
          suggested(r.stderr),
          "--steps",
          "1000",
          "--log-every",
          "1",
        ], read),
        5,
      );
      const nobias = await run(
        "train.ts",
        ["--config", path("nobias.json")],
        read,
      );
      assert.match(
        nobias.stderr,
        /such as --learning-rate 0\.02: training is stable only below 1\/λmax = 0\.04, where λmax = 25 is the largest eigenvalue of x·xᵀ\./,
      );
    });
  },
});

Deno.test({
  name: "train.ts --config: λmax for three samples, and for a 201x201 x",
  ignore: noFiles,
  async fn() {
    // numpy: numpy.linalg.eigvalsh(X @ X.T).max() for BATCH's x with a row of
    // ones (BATCH trains the bias) is 80.52836129492303: 1/λmax = 0.0124179…,
    // half of it 0.0062089… → 0.0062. (Without the row: 79.59304639583652.)
    // x = diag(1, 2, …, 201): x·xᵀ = diag(1, 4, …, 201²), λmax = 201² = 40401,
    // too big for Jacobi, so power iteration; 1/40401 = 0.0000247518…, half
    // of it 0.0000123759… → 0.000012.
    const n = 201;
    const diagonal = Array.from(
      { length: n },
      (_, i) => Array.from({ length: n }, (_, j) => i === j ? i + 1 : 0),
    );
    await withConfigs({
      "batch.json": JSON.stringify({ ...BATCH, learningRate: 0.03 }),
      "big.json": JSON.stringify({
        w: [Array(n).fill(0)],
        x: diagonal,
        b: [[0]],
        d: [Array(n).fill(1)],
        learningRate: 0.001,
        steps: 20,
      }),
    }, async (path) => {
      const read = [`--allow-read=${path("batch.json")},${path("big.json")}`];
      const batch = await run("train.ts", [
        "--config",
        path("batch.json"),
        "--json",
      ], read);
      assert.equal(batch.code, 0);
      assert.match(
        batch.stderr,
        /such as --learning-rate 0\.0062: training is stable only below 1\/λmax = 0\.01242, where λmax = 80\.52836129 is the largest eigenvalue of x·xᵀ, x with a row of ones/,
      );
      assertConverged(
        await run("train.ts", [
          "--config",
          path("batch.json"),
          "--json",
          "--lr",
          suggested(batch.stderr),
          "--steps",
          "5000",
          "--log-every",
          "1",
        ], read),
        139.9925,
      );
      const big = await run("train.ts", ["--config", path("big.json")], read);
      assert.equal(big.code, 0);
      assert.match(
        big.stderr,
        /such as --learning-rate 0\.000012: training is stable only below 1\/λmax = 0\.00002475, where λmax = 40401 is the largest eigenvalue of x·xᵀ\./,
      );
    });
  },
});
