// scripts/fit_csv.ts run as a user runs it, on small CSV files written to a
// temporary directory: `deno run` with exactly --allow-read=FILE (and
// --allow-write=OUT for --save). These tests need --allow-run, --allow-read
// and --allow-write, which `deno task test` grants; without them they are
// ignored.
import assert from "node:assert/strict";
import { granted, type ProgramRun, runScript } from "./_helpers.ts";
import {
  createRng,
  fromSafetensors,
  type Matrix,
  type TableEncoders,
} from "../mod.ts";

const permitted = granted("run") && granted("read") && granted("write");

type Output = ProgramRun;

/** Runs fit_csv.ts; stderr without npm's "Download …" lines, which only a cold cache prints. */
async function run(
  args: string[],
  permissions: string[] = [],
): Promise<Output> {
  const out = await runScript("fit_csv", args, permissions);
  return {
    ...out,
    stderr: out.stderr.split("\n").filter((line) => !/^Download /.test(line))
      .join("\n"),
  };
}

/** Asserts a refusal: a non-zero exit, nothing on stdout, ≤ 2 plain lines. */
function assertRefused(
  out: Output,
  pattern: RegExp,
  code?: number,
  prefix = "error",
): void {
  assert.notEqual(out.code, 0, out.stderr);
  if (code !== undefined) assert.equal(out.code, code, out.stderr);
  assert.equal(out.stdout, "");
  const lines = out.stderr.trim().split("\n");
  assert.ok(lines.length <= 2, out.stderr);
  assert.ok(lines[0].startsWith(`${prefix}: `), out.stderr);
  assert.match(out.stderr, pattern);
  assert.doesNotMatch(out.stderr, /^\s+at /m);
}

/**
 * Three clusters, one per region, with a text column that says nothing:
 * 30 rows each, written with CRLF line ends and quoted names holding commas.
 */
function blobs(): string {
  const rng = createRng(5);
  const centres: [string, number, number][] = [
    ["north, upper", 0, 4],
    ["east", 4, 0],
    ["west", -4, 0],
  ];
  const lines = ['x,y,shape,"region"'];
  for (let i = 0; i < 30; i++) {
    for (const [name, cx, cy] of centres) {
      const x = (cx + rng.normal()).toFixed(3);
      const y = (cy + rng.normal()).toFixed(3);
      const shape = rng.uniform() < 0.5 ? "round" : "square";
      lines.push(`${x},${y},${shape},"${name}"`);
    }
  }
  return lines.join("\r\n") + "\r\n";
}

/** price = 3a − 2b + 1, plus 2 for red and −1 for blue: 200 rows. */
function prices(): string {
  const rng = createRng(9);
  const lines = ["a,b,colour,price"];
  for (let i = 0; i < 200; i++) {
    const a = rng.uniform(-2, 2);
    const b = rng.uniform(-2, 2);
    const red = rng.uniform() < 0.5;
    const price = 3 * a - 2 * b + 1 + (red ? 2 : -1);
    lines.push(
      `${a.toFixed(4)},${b.toFixed(4)},${red ? "red" : "blue"},${
        price.toFixed(4)
      }`,
    );
  }
  return lines.join("\n") + "\n";
}

let dir = "";
const file = (name: string) => `${dir}/${name}`;

function test(name: string, fn: () => Promise<void>) {
  Deno.test({
    name,
    ignore: !permitted,
    async fn() {
      dir = await Deno.makeTempDir({ prefix: "fit_csv_test_" });
      try {
        await Deno.writeTextFile(file("blobs.csv"), blobs());
        await Deno.writeTextFile(file("prices.csv"), prices());
        await fn();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

test("a separable 3-class CSV: high test accuracy and its confusion matrix", async () => {
  const data = file("blobs.csv");
  const out = await run(
    ["--data", data, "--target", "region", "--epochs", "30", "--json"],
    [`--allow-read=${data}`],
  );
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split("\n");
  assert.equal(lines.length, 1, "exactly one line of JSON on stdout");
  const result = JSON.parse(lines[0]);
  assert.equal(result.task, "classification");
  assert.deepEqual(result.classes, ["east", "north, upper", "west"]);
  assert.deepEqual(result.features, ["x", "y", "shape=round", "shape=square"]);
  assert.equal(result.trainSize, 72);
  assert.equal(result.testSize, 18);
  assert.ok(result.testAccuracy >= 0.95, `${result.testAccuracy}`);
  // Stratified: six test rows of each region.
  assert.deepEqual(
    result.confusion.counts.map((row: number[]) =>
      row.reduce((a, b) => a + b, 0)
    ),
    [6, 6, 6],
  );
  assert.equal(result.history.length, 30);
  // Progress on stderr.
  assert.match(out.stderr, /^epoch +1\/30 +loss/m);
});

test("the text summary: sizes, network, loss chart, confusion matrix, accuracies", async () => {
  const data = file("blobs.csv");
  const out = await run(
    ["--data", data, "--target", "region", "--epochs", "10", "--seed", "2"],
    [`--allow-read=${data}`],
  );
  assert.equal(out.code, 0, out.stderr);
  assert.match(
    out.stdout,
    /90 rows \(72 training, 18 test\), target "region": 3 classes/,
  );
  assert.match(
    out.stdout,
    /2 numeric and 1 text columns → 4 inputs; network 4-16-3/,
  );
  assert.match(out.stdout, /true \\ predicted +east +north, upper +west/);
  assert.match(out.stdout, /test accuracy +\d+\.\d% \(\d+\/18\)/);
});

test("a linear regression target: a small RMSE in the target's units", async () => {
  const data = file("prices.csv");
  const out = await run(
    [
      "--data",
      data,
      "--target",
      "price",
      "--task",
      "regression",
      "--epochs",
      "60",
      "--json",
    ],
    [`--allow-read=${data}`],
  );
  assert.equal(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout);
  assert.equal(result.task, "regression");
  assert.equal(result.testSize, 40);
  assert.equal(result.classes, undefined);
  // Guessing the mean would be off by the spread, about 4.5.
  assert.ok(result.testStd > 3, `${result.testStd}`);
  assert.ok(result.testRmse < 0.3, `${result.testRmse}`);
  assert.ok(result.trainRmse < 0.3, `${result.trainRmse}`);
  assert.equal(typeof result.history[0].testRmse, "number");
  const text = await run(
    ["--data", data, "--target", "price", "--task", "regression"],
    [`--allow-read=${data}`, "--quiet"],
  );
  assert.match(text.stdout, /test RMSE +\d/);
  assert.match(text.stdout, /always guessing the mean would give/);
});

test("--help lists the flags and exits 0", async () => {
  const out = await run(["--help"]);
  assert.equal(out.code, 0);
  for (
    const flag of [
      "--data",
      "--target",
      "--task",
      "--categorical",
      "--ignore",
      "--delimiter",
      "--test-fraction",
      "--seed",
      "--epochs",
      "--learning-rate",
      "--hidden",
      "--optimizer",
      "--batch-size",
      "--json",
      "--save",
      "--load",
      "--allow-read=FILE.csv",
    ]
  ) {
    assert.ok(out.stdout.includes(flag), `--help lacks ${flag}`);
  }
});

test("bad flags: one or two plain lines and a non-zero exit", async () => {
  const data = file("blobs.csv");
  const cases: [string[], RegExp][] = [
    [["--dta", data], /Unknown flag --dta: did you mean --data\?/],
    [["--target", "region"], /--data is required/],
    [["--data", data], /--target is required/],
    [["--data", data, "--target", "x", "--task", "cluster"], /--task must be/],
    [
      ["--data", data, "--target", "x", "--test-fraction", "1"],
      /--test-fraction must be above 0 and below 1/,
    ],
    [["--data", data, "--target", "x", "--epochs", "0"], /--epochs must be/],
    [
      ["--data", data, "--target", "x", "--optimizer", "nope"],
      /--optimizer must be one of sgd/,
    ],
    [["--data", data, "--target", "x", "--delimiter", ";;"], /--delimiter/],
    [
      ["--data", data, "--load", "m.safetensors", "--epochs", "3"],
      /--epochs has no effect with --load/,
    ],
  ];
  for (const [args, pattern] of cases) {
    assertRefused(await run(args), pattern, 2);
  }
});

test("--lang ja: bad flags and values are refused in Japanese", async () => {
  const data = file("blobs.csv");
  const cases: [string[], RegExp][] = [
    [
      ["--lang", "ja", "--dta", data],
      /--dta というフラグはありません。--data のことですか/,
    ],
    [["--lang", "ja", "--target", "region"], /--data は必須です/],
    [
      ["--data", data, "--target", "x", "--task", "cluster", "--lang=ja"],
      /--task は classification か regression にしてください\(指定された値: "cluster"\)/,
    ],
    [
      ["--lang", "ja", "--data", data, "--target", "x", "--epochs", "0"],
      /--epochs は 1 から 10000000 までの整数を、数字だけで指定してください\(指定された値: "0"\)。/,
    ],
  ];
  for (const [args, pattern] of cases) {
    assertRefused(await run(args), pattern, 2, "エラー");
  }
  assertRefused(
    await run(["--lang", "xx"]),
    /--lang must be en or ja, got "xx"/,
    2,
  );
  const out = await run(["--lang", "ja", "--data", data]);
  assert.match(out.stderr, /^エラー: --target は必須です/);
  assert.match(out.stderr, /--help を付けて実行すると/);
});

test("without --allow-read the message names the flag to add", async () => {
  const data = file("blobs.csv");
  const out = await run(["--data", data, "--target", "region"]);
  assertRefused(out, new RegExp(`--allow-read=${data}`), 1);
  assert.match(out.stderr, /No permission to read .* \(given to --data\)/);
});

test("bad data: the message names the file, the line and the column", async () => {
  const cases: [string, string, RegExp][] = [
    [
      "missing.csv",
      'a,note,label\r\n1,"two\r\nlines",x\r\n2,,y\r\n',
      /Missing value in .*missing\.csv: line 4, column "note" \(column 2\) is empty/,
    ],
    [
      "ragged.csv",
      "a,b,label\n1,2,x\n3,4\n",
      /Ragged row in .*ragged\.csv: line 3 has 2 fields but the header \(line 1\) has 3: column "label" \(column 3\) is missing/,
    ],
    [
      "single.csv",
      "a,label\n1,x\n2,x\n",
      /Single class in .*single\.csv: the target column "label" \(column 2\)/,
    ],
    ["empty.csv", "", /Empty table in .*empty\.csv: .*line 1/],
    [
      "header.csv",
      "a,label\n",
      /Empty table in .*header\.csv: the header \(line 1\) has no data rows/,
    ],
    [
      "unknown.csv",
      "a,Label\n1,x\n",
      /Unknown column in .*unknown\.csv: the target column "label" is not in the header \(line 1\).*did you mean "Label"\?/,
    ],
    [
      "mixed.csv",
      "a,label\n1,x\n?,y\n3,x\n",
      /Mixed column in .*mixed\.csv: column "a" \(column 1\) holds numbers, but line 3 holds "\?".*--categorical/,
    ],
    [
      "quote.csv",
      'a,label\n1,"x\n2,y\n',
      /quote\.csv is not valid CSV: a quoted field that starts after line 1 is never closed/,
    ],
    [
      "semicolons.csv",
      "a;label\n1;x\n",
      /--delimiter ";"/,
    ],
  ];
  for (const [name, text, pattern] of cases) {
    const path = file(name);
    await Deno.writeTextFile(path, text);
    const out = await run(["--data", path, "--target", "label"], [
      `--allow-read=${path}`,
    ]);
    assertRefused(out, pattern, 1);
  }
});

test("--save writes a safetensors file that fromSafetensors loads, and --load evaluates it", async () => {
  const data = file("blobs.csv");
  const model = file("blobs.safetensors");
  const out = await run(
    [
      "--data",
      data,
      "--target",
      "region",
      "--epochs",
      "30",
      "--hidden",
      "8,6",
      "--save",
      model,
      "--json",
    ],
    [`--allow-read=${data}`, `--allow-write=${model}`],
  );
  assert.equal(out.code, 0, out.stderr);
  const trained = JSON.parse(out.stdout);
  assert.equal(trained.save, model);

  const { tree, metadata } = fromSafetensors(await Deno.readFile(model));
  // mlp([4, 8, 6, 3]): dense, relu, dense, relu, dense.
  const layers = tree as { w?: Matrix; b?: Matrix }[];
  assert.equal(layers.length, 5);
  assert.deepEqual(layers[0].w?.shape, [8, 4]);
  assert.deepEqual(layers[4].w?.shape, [3, 6]);
  const encoders = JSON.parse(metadata["tabular.encoders"]) as TableEncoders;
  assert.equal(encoders.task, "classification");
  assert.deepEqual(encoders.features, trained.features);
  assert.deepEqual(
    encoders.target.kind === "categorical" && encoders.target.categories,
    ["east", "north, upper", "west"],
  );
  assert.equal(metadata["tabular.hidden"], "8,6");
  assert.equal(metadata["tabular.activation"], "relu");
  assert.equal(JSON.parse(metadata["tabular.training"]).epochs, 30);

  const loaded = await run(
    ["--data", data, "--load", model, "--json"],
    [`--allow-read=${data},${model}`],
  );
  assert.equal(loaded.code, 0, loaded.stderr);
  const result = JSON.parse(loaded.stdout);
  assert.equal(result.rows, 90);
  assert.deepEqual(result.classes, trained.classes);
  // Every row, training and test: as good as training made it.
  assert.ok(result.accuracy >= 0.95, `${result.accuracy}`);
  const total = result.confusion.counts.flat().reduce(
    (a: number, b: number) => a + b,
    0,
  );
  assert.equal(total, 90);
  const text = await run(["--data", data, "--load", model], [
    `--allow-read=${data},${model}`,
  ]);
  assert.match(text.stdout, /accuracy +\d+\.\d% \(\d+\/90\)/);

  // A file the model does not fit, and a file that is not a model.
  const prices = file("prices.csv");
  assertRefused(
    await run(["--data", prices, "--load", model], [
      `--allow-read=${prices},${model}`,
    ]),
    /Missing column in .*prices\.csv: the header \(line 1\) has no column "x"/,
    1,
  );
  assertRefused(
    await run(["--data", data, "--load", data], [`--allow-read=${data}`]),
    /blobs\.csv is not a model saved by fit_csv\.ts/,
    1,
  );
  assertRefused(
    await run(["--data", data, "--load", model], [`--allow-read=${data}`]),
    new RegExp(`--allow-read=${model}`),
    1,
  );
});

test("a regression model saved and loaded predicts every row of its file well", async () => {
  const data = file("prices.csv");
  const model = file("prices.safetensors");
  const args = ["--data", data, "--target", "price", "--task", "regression"];
  const out = await run([...args, "--epochs", "20", "--save", model], [
    `--allow-read=${data}`,
    `--allow-write=${model}`,
  ]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, new RegExp(`saved +${model}`));
  const loaded = await run(["--data", data, "--load", model, "--json"], [
    `--allow-read=${data},${model}`,
  ]);
  assert.equal(loaded.code, 0, loaded.stderr);
  const result = JSON.parse(loaded.stdout);
  assert.equal(result.task, "regression");
  assert.ok(result.rmse < 0.5 * result.std, JSON.stringify(result));
});

test("--save without --allow-write names the flag, before reading or training, and writes nothing", async () => {
  const data = file("blobs.csv");
  const model = file("out.safetensors");
  const out = await run(
    ["--data", data, "--target", "region", "--save", model],
    [`--allow-read=${data}`],
  );
  assertRefused(out, new RegExp(`--allow-write=${model}`), 1);
  assert.doesNotMatch(out.stderr, /epoch/);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(names, ["blobs.csv", "prices.csv"]);
});

test("--lang ja: the data's mistakes in Japanese, line and column first", async () => {
  const cases: [string, RegExp][] = [
    ["a,b,label\n1,,x\n2,3,y\n", /2 行目: 列 "b"\(2 列目\) が空です/],
    [
      "a,b,label\n1,2\n2,3,y\n",
      /2 行目の値は 2 個ですが、見出し\(1 行目\)の列は 3 個です/,
    ],
    ["", /は空です: 列名の見出し行がありません/],
    ["a,b,label\n", /見出し行の後にデータ行がありません/],
  ];
  for (const [text, pattern] of cases) {
    const data = file("bad.csv");
    await Deno.writeTextFile(data, text);
    const out = await run(
      ["--data", data, "--target", "label", "--lang", "ja"],
      [`--allow-read=${data}`],
    );
    assertRefused(out, pattern, 1, "エラー");
  }
});

test("--save into a missing directory is refused before the CSV is read or a network trained", async () => {
  const save = file("sub/model.safetensors");
  const out = await run(
    ["--data", file("blobs.csv"), "--target", "region", "--save", save],
    [`--allow-read=${file("blobs.csv")}`, `--allow-write=${save}`],
  );
  assert.equal(
    out.stderr,
    `error: Cannot write ${save} (given to --save): the directory ${dir}/sub does not exist.\n`,
  );
  assert.equal(out.code, 1);
  assert.equal(out.stdout, "");
});
