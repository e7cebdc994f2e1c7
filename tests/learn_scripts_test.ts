// The four training scripts, run as a user runs them: `deno run` with no
// permission flags (or exactly --allow-write=FILE for --plot). These tests
// need --allow-run (and --allow-write for the temporary --plot files), which
// `deno task test` grants; under plain `deno test` they are ignored.
import assert from "node:assert/strict";
import { granted, runScript } from "./_helpers.ts";

const canRun = granted("run");
const canWrite = granted("write");
const run = runScript;

// deno-lint-ignore no-explicit-any
async function runJson(script: string, args: string[] = []): Promise<any> {
  const out = await run(script, [...args, "--json"]);
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split("\n");
  assert.equal(lines.length, 1, "exactly one line of JSON on stdout");
  return JSON.parse(lines[0]);
}

// deno-lint-ignore no-explicit-any
function withoutSeconds(result: any): unknown {
  const { seconds, ...rest } = result;
  assert.equal(typeof seconds, "number");
  return rest;
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: !canRun, fn });
const testWithFiles = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: !canRun || !canWrite, fn });

test("xor.ts reaches 100% accuracy with its defaults", async () => {
  const result = await runJson("xor");
  assert.equal(result.trainAccuracy, 1);
  assert.equal(result.history.length, result.epochs);
  assert.deepEqual(Object.keys(result.history[0]).sort(), [
    "accuracy",
    "epoch",
    "loss",
  ]);
  assert.equal(result.testAccuracy, undefined);
  assert.ok(result.finalLoss < result.history[0].loss);
  // Without a test set, the confusion matrix counts the training set.
  assert.deepEqual(result.confusion, {
    counts: [[2, 0], [0, 2]],
    precision: [1, 1],
    recall: [1, 1],
    f1: [1, 1],
  });
});

test("spiral.ts reaches at least 97% training accuracy with its defaults", async () => {
  const result = await runJson("spiral");
  assert.ok(result.trainAccuracy >= 0.97, `${result.trainAccuracy}`);
});

test("iris.ts reaches at least 93% test accuracy on its seeded split", async () => {
  const result = await runJson("iris");
  assert.ok(result.testAccuracy >= 0.93, `${result.testAccuracy}`);
  assert.ok(result.trainAccuracy >= 0.93, `${result.trainAccuracy}`);
  assert.equal(typeof result.history[0].testAccuracy, "number");
  // The test set's confusion matrix: 3 species, 30 flowers.
  assert.deepEqual(Object.keys(result.confusion).sort(), [
    "counts",
    "f1",
    "precision",
    "recall",
  ]);
  assert.equal(result.confusion.counts.length, 3);
  const counts: number[] = result.confusion.counts.flat();
  assert.equal(counts.reduce((a, b) => a + b), 30);
});

test("digits.ts loads the digits offline and trains (a one-epoch smoke run)", async () => {
  const result = await runJson("digits", [
    "--epochs",
    "1",
    "--hidden",
    "16",
  ]);
  assert.equal(result.history.length, 1);
  // Far above the 10% of guessing, though one small epoch is not the target.
  assert.ok(result.testAccuracy > 0.6, `${result.testAccuracy}`);
  assert.equal(result.confusion.counts.length, 10);
  const counts: number[] = result.confusion.counts.flat();
  assert.equal(counts.reduce((a, b) => a + b), 2000);
});

test("the same seed gives the same output, another seed another", async () => {
  for (const script of ["xor", "spiral", "iris"]) {
    const args = ["--epochs", "20", "--seed", "7"];
    const a = await runJson(script, args);
    const b = await runJson(script, args);
    const c = await runJson(script, ["--epochs", "20", "--seed", "8"]);
    assert.deepEqual(withoutSeconds(a), withoutSeconds(b), script);
    assert.notDeepEqual(a.history, c.history, script);
  }
});

test("flags change the run as asked", async () => {
  const result = await runJson("xor", [
    "--epochs=5",
    "--lr",
    "0.2",
    "--hidden",
    "3",
    "--optimizer",
    "momentum",
    "--batch-size",
    "2",
  ]);
  assert.equal(result.history.length, 5);
  assert.equal(result.learningRate, 0.2);
  assert.equal(result.hidden, 3);
  assert.equal(result.optimizer, "momentum");
  assert.equal(result.batchSize, 2);
  const sgd = await runJson("xor", ["--epochs=5", "--optimizer", "sgd"]);
  assert.notDeepEqual(sgd.history, result.history);
});

test("the text summary has the accuracy and a loss chart; progress goes to stderr", async () => {
  const out = await run("xor", []);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /train accuracy 100\.0% \(4\/4\)/);
  assert.match(out.stdout, /┤•/);
  assert.match(out.stdout, /└─+/);
  // Not a terminal: plain progress lines, no carriage returns.
  assert.match(out.stderr, /^epoch +1\/300 +loss \S+ +accuracy/m);
  assert.match(out.stderr, /^epoch 300\/300/m);
  assert.ok(!out.stderr.includes("\r"));
  assert.match(out.stdout, /confusion matrix of the 4 training points:/);
  assert.match(out.stdout, /true \\ predicted +0 +1 +precision +recall +F1/);
  const iris = await run("iris", []);
  assert.match(iris.stdout, /test accuracy +\d+\.\d% \(\d+\/30\)/);
  assert.match(iris.stdout, /confusion matrix of the 30 test flowers:/);
  assert.match(iris.stdout, /^accuracy \d+\.\d%$/m);
});

test("--help lists every flag and exits 0", async () => {
  for (const script of ["xor", "spiral", "iris", "digits"]) {
    const out = await run(script, ["--help"]);
    assert.equal(out.code, 0);
    for (
      const flag of [
        "--seed",
        "--epochs",
        "--learning-rate",
        "--hidden",
        "--optimizer",
        "--json",
        "--plot",
        "--allow-write=FILE.svg",
      ]
    ) {
      assert.ok(out.stdout.includes(flag), `${script} --help lacks ${flag}`);
    }
  }
});

test("bad flags: one or two plain lines on stderr, a non-zero exit", async () => {
  const cases: [string[], RegExp][] = [
    [["--epochs", "0"], /--epochs must be a whole number/],
    [["--epochs", "ten"], /--epochs must be a whole number/],
    [["--learning-rate", "-1"], /looks like a flag|--learning-rate must be/],
    [["--learning-rate=-1"], /--learning-rate must be greater than 0/],
    [["--lr", "abc"], /--lr must be a number/],
    [["--hidden", "1.5"], /--hidden must be a whole number/],
    [
      ["--optimizer", "rmsprop"],
      /--optimizer must be one of sgd, momentum, adam/,
    ],
    [["--seed", "x"], /--seed must be a whole number/],
    [["--seed", "4294967296"], /--seed must be a whole number from 0/],
    [["--bogus"], /Unknown flag --bogus/],
    [["--json=yes"], /takes no value/],
    [["extra"], /Unexpected argument/],
    [["--plot"], /--plot needs a value/],
  ];
  for (const [args, pattern] of cases) {
    const out = await run("spiral", args);
    assert.notEqual(out.code, 0, args.join(" "));
    assert.equal(out.stdout, "", args.join(" "));
    const lines = out.stderr.trim().split("\n");
    assert.ok(lines.length <= 2, `${args.join(" ")}: ${out.stderr}`);
    assert.match(out.stderr, pattern);
    assert.doesNotMatch(out.stderr, /^\s+at /m);
  }
});

test("--lang ja: the errors in Japanese; the summary stays English", async () => {
  const cases: [string, string[], RegExp][] = [
    [
      "spiral",
      ["--lang", "ja", "--bogus"],
      /^エラー: --bogus というフラグはありません。\n--help を付けて実行すると/,
    ],
    [
      "xor",
      ["--lang=ja", "--epochs", "0"],
      /^エラー: --epochs は 1 から 10000000 までの整数を、数字だけで指定してください\(指定された値: "0"\)。\n$/,
    ],
    [
      "iris",
      ["--optimizer", "x", "--lang", "ja"],
      /^エラー: --optimizer は sgd, momentum, adam のどれかにしてください/,
    ],
    [
      "digits",
      ["--lang", "ja", "--seed", "x"],
      /^エラー: --seed は 0 から 4294967295 までの整数/,
    ],
    [
      "mnist",
      ["--lang", "ja", "--schedule", "step"],
      /^エラー: --schedule は constant, cosine のどれかに/,
    ],
    [
      "convnet",
      ["--lang", "ja", "--test-size", "20000"],
      /^エラー: --test-size は 1 から 10000\(画像の数\)までの整数を、数字だけで指定してください\(指定された値: "20000"\)。\n$/,
    ],
    [
      "spiral",
      ["--lang", "ja", "--plot="],
      /^エラー: --plot にはファイル名が要ります。/,
    ],
    ["spiral", ["--lang", "de"], /^error: --lang must be en or ja, got "de"\./],
  ];
  for (const [script, args, pattern] of cases) {
    const out = await run(script, args);
    assert.equal(out.code, 2, `${script} ${args.join(" ")}`);
    assert.equal(out.stdout, "");
    assert.match(out.stderr, pattern);
  }
  const help = await run("spiral", ["--help", "--lang", "ja"]);
  assert.match(help.stdout, /--lang en\|ja/);
  const ok = await run("xor", ["--lang", "ja", "--epochs", "3"]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /train accuracy/);
});

testWithFiles(
  "--plot without --allow-write names the flag, before training and with no file",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/spiral.svg`;
      const out = await run("spiral", ["--plot", file]);
      assert.equal(out.code, 1);
      assert.ok(out.stderr.includes(`--allow-write=${file}`), out.stderr);
      assert.doesNotMatch(out.stderr, /epoch/);
      assert.ok(out.stderr.trim().split("\n").length <= 2);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testWithFiles(
  "--plot with --allow-write=FILE writes the picture and nothing else",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      for (const [script, mark] of [["xor", "<rect"], ["iris", "<polyline"]]) {
        const file = `${dir}/${script}.svg`;
        const out = await run(script, ["--plot", file, "--epochs", "30"], [
          `--allow-write=${file}`,
        ]);
        assert.equal(out.code, 0, out.stderr);
        assert.match(out.stdout, new RegExp(`written to ${file}`));
        const svg = await Deno.readTextFile(file);
        assert.ok(svg.startsWith("<svg xmlns="));
        assert.ok(svg.trimEnd().endsWith("</svg>"));
        assert.ok(svg.includes(mark));
        // The confusion heat map under the picture, in the same document.
        assert.match(svg, /confusion matrix of the (training|test) set</);
        const classes = script === "xor" ? 2 : 3;
        assert.equal(
          svg.match(/<rect class="cell"/g)?.length,
          classes * classes,
        );
        assert.equal(svg.match(/<svg /g)?.length, 3);
      }
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(names, ["iris.svg", "xor.svg"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testWithFiles(
  "--plot into a missing directory fails plainly and leaves no file",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/missing/xor.svg`;
      const out = await run("xor", ["--plot", file, "--epochs", "2"], [
        `--allow-write=${dir}`,
      ]);
      assert.equal(out.code, 1);
      assert.match(out.stderr, /does not exist/);
      assert.doesNotMatch(out.stderr, /^\s+at /m);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

test("out-of-range counts exit 2 before training, naming the flag and its range", async () => {
  // fit refused these only after the data was built (exit 1, its message).
  const cases: [string, string[], string][] = [
    [
      "xor",
      ["--batch-size", "1000000000000"],
      '--batch-size must be a whole number written in digits, from 1 to 67108864, got "1000000000000".',
    ],
    [
      "xor",
      ["--epochs", "1000000000000"],
      '--epochs must be a whole number written in digits, from 1 to 10000000, got "1000000000000".',
    ],
    [
      "digits",
      ["--epochs", "1e2"],
      '--epochs must be a whole number written in digits, from 1 to 10000000, got "1e2".',
    ],
    [
      "spiral",
      ["--hidden", "1e9"],
      '--hidden must be a whole number written in digits, from 1 to 4096, got "1e9".',
    ],
    [
      "iris",
      ["--hidden", "4097"],
      '--hidden must be a whole number written in digits, from 1 to 4096, got "4097".',
    ],
    [
      "mnist",
      ["--batch-size", "67108865"],
      '--batch-size must be a whole number written in digits, from 1 to 67108864, got "67108865".',
    ],
  ];
  for (const [script, args, message] of cases) {
    const out = await run(script, args);
    assert.equal(out.stderr, `error: ${message}\n`, `${script} ${args}`);
    assert.equal(out.code, 2);
    assert.equal(out.stdout, "");
  }
  const ja = await run("xor", ["--lang", "ja", "--batch-size", "1e12"]);
  assert.equal(
    ja.stderr,
    'エラー: --batch-size は 1 から 67108864 までの整数を、数字だけで指定してください(指定された値: "1e12")。\n',
  );
  assert.equal(ja.code, 2);
});

testWithFiles(
  "--plot and --save into a missing directory fail before training, with only --allow-write=FILE",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const cases: [string, string, string][] = [
        ["xor", "--plot", `${dir}/sub/x.svg`],
        ["digits", "--save", `${dir}/sub/digits.safetensors`],
        ["spiral", "--plot", `${dir}/not-a-dir/x.svg`],
      ];
      await Deno.writeTextFile(`${dir}/not-a-dir`, "");
      for (const [script, flag, file] of cases) {
        const out = await run(script, [flag, file], [`--allow-write=${file}`]);
        const why = file.includes("not-a-dir")
          ? `${dir}/not-a-dir is not a directory.`
          : `the directory ${dir}/sub does not exist.`;
        // One line and nothing else: no progress, so no epoch was run.
        assert.equal(
          out.stderr,
          `error: Cannot write ${file} (given to ${flag}): ${why}\n`,
        );
        assert.equal(out.code, 1);
        assert.equal(out.stdout, "");
      }
      const ja = await run(
        "xor",
        ["--lang", "ja", "--save", `${dir}/sub/x.safetensors`],
        [`--allow-write=${dir}/sub/x.safetensors`],
      );
      assert.equal(
        ja.stderr,
        `エラー: ${dir}/sub/x.safetensors(--save で指定)に書き込めません: ディレクトリ ${dir}/sub がありません。\n`,
      );
      assert.deepEqual(
        [...Deno.readDirSync(dir)].map((e) => e.name),
        ["not-a-dir"],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
