/**
 * Initial weights and what they do to a deep network, as ゼロから作るDeep
 * Learning §6.2 shows them: the activations of a 5-layer network of 100
 * units fed 1000 random inputs, for weights of standard deviation 1 and
 * 0.01, Xavier's and He's, with sigmoid and with ReLU (figures 6-10 to
 * 6-14, ch06/weight_init_activation_histogram.py); and the training loss on
 * MNIST with std 0.01, Xavier and He weights (figure 6-15,
 * ch06/weight_init_compare.py). `--plot` draws the histograms as small
 * multiples and, under them, the loss curves.
 *
 * Run: `deno run scripts/init.ts` (see `--help`).
 *
 * @module
 */
import {
  createRng,
  dot,
  histogramGrid,
  type HistogramRow,
  lineChartGrid,
  type Matrix,
  matrix,
  type Params,
  relu,
  scale,
  sigmoid,
  toArray,
} from "../mod.ts";
import {
  CliError,
  msg,
  parseBatchSize,
  parseEpochs,
  runMain,
  tr,
} from "./_cli.ts";
import { loadMnist } from "./_mnist.ts";
import {
  checkModelFiles,
  checkPlot,
  helpText,
  initParams,
  MODEL_FILE_FLAGS,
  MODEL_FILE_ROWS,
  network,
  optimizerNamed,
  parseBoundedCount,
  parseOptimizer,
  parsePositive,
  parseScriptFlags,
  parseSeed,
  progress,
  saveTree,
  scaleName,
  secondsSince,
  stackSvg,
  startingTree,
  stdOf,
  trainEvaluated,
  type WeightScale,
  writePlot,
} from "./_chapter6.ts";

const SCALES: readonly WeightScale[] = [1, 0.01, "xavier", "he"];
const ACTIVATIONS = ["sigmoid", "relu"] as const;
const LAYERS = 5, UNITS = 100, SAMPLES = 1000;
const BINS = 30;

const DEFAULTS = {
  seed: 0,
  epochs: 30,
  learningRate: 0.01,
  batchSize: 128,
  trainSize: 2000,
};

const HELP = helpText({
  name: "init",
  about:
    "How the initial weights shape a deep network's activations: histograms of the\nactivations of 5 layers of 100 units (1000 random inputs from N(0, 1)) for weights\nof std 1, std 0.01, Xavier (N(0, 1/n)) and He (N(0, 2/n)), with sigmoid and ReLU;\nthen MNIST loss curves of a 784-100-100-100-100-10 ReLU network for std 0.01,\nXavier and He weights (ゼロから作るDeep Learning figures 6-10 to 6-15).",
  rows: [
    { flag: "--seed N", text: "seed of inputs, weights, shuffles", value: 0 },
    { flag: "--mnist", text: "train on MNIST too (the default)" },
    {
      flag: "--no-mnist",
      text: "draw the histograms only, without training",
    },
    { flag: "--epochs N", text: "MNIST: passes over the data", value: 30 },
    {
      flag: "--learning-rate R, --lr R",
      text: "MNIST: the optimizer's step size",
      value: 0.01,
    },
    {
      flag: "--optimizer NAME",
      text: "MNIST: sgd, momentum, nesterov, adagrad,\nrmsprop, adam or adamw",
      value: "sgd",
    },
    {
      flag: "--batch-size N",
      text: "MNIST: samples per mini-batch",
      value: 128,
    },
    {
      flag: "--train-size N",
      text: "MNIST: train on the first N images",
      value: 2000,
    },
    ...MODEL_FILE_ROWS,
  ],
  json:
    "per init and activation, each layer's\nmean, std and histogram (30 bins over [0, 1]);\nper init, the MNIST loss of every step and epoch",
  plot: "the histograms and the MNIST loss curves",
  notes:
    "--save keeps the three MNIST networks as { std, xavier, he } (std: 0.01).\n\nThe book trains 2000 steps of 128 images of all 60,000 with sgd 0.01; the default\nhere is 30 epochs of the first 2000 images (480 steps): 15 to 40 s in all.\nThe histograms alone (--no-mnist) take about a second.",
});

/** The activations of each of the 5 layers for one init and activation. */
function activations(
  input: Matrix,
  normals: readonly Matrix[],
  init: WeightScale,
  activation: "sigmoid" | "relu",
): Matrix[] {
  const out: Matrix[] = [];
  let x = input;
  for (const z of normals) {
    // The same standard normal draws for every init, scaled by its std.
    const sd = stdOf(init, UNITS);
    const a = dot(scale(z, sd), x);
    x = activation === "sigmoid" ? sigmoid(a) : relu(a);
    out.push(x);
  }
  return out;
}

/** A layer's activations summed up: mean, std, zeros, and the histogram. */
function summary(values: Float64Array) {
  let sum = 0, sq = 0, zeros = 0, outside = 0;
  const counts = new Array<number>(BINS).fill(0);
  for (const v of values) {
    sum += v;
    sq += v * v;
    if (v === 0) zeros++;
    if (v < 0 || v > 1) outside++;
    else counts[Math.min(BINS - 1, Math.floor(v * BINS))]++;
  }
  const n = values.length;
  const mean = sum / n;
  return {
    mean,
    std: Math.sqrt(Math.max(0, sq / n - mean * mean)),
    zeros: zeros / n,
    outside: outside / n,
    counts,
  };
}

function flat(m: Matrix): Float64Array {
  return Float64Array.from(toArray(m).flat());
}

/** A trailing mean over `k` values, to read a noisy loss curve. */
function smooth(values: readonly number[], k: number): number[] {
  let sum = 0;
  return values.map((v, i) => {
    sum += v;
    if (i >= k) sum -= values[i - k];
    return sum / Math.min(i + 1, k);
  });
}

await runMain(async () => {
  const flags = parseScriptFlags(Deno.args, {
    seed: { type: "string" },
    mnist: { type: "boolean" },
    "no-mnist": { type: "boolean" },
    epochs: { type: "string" },
    "learning-rate": { type: "string" },
    lr: { type: "string" },
    optimizer: { type: "string" },
    "batch-size": { type: "string" },
    "train-size": { type: "string" },
    ...MODEL_FILE_FLAGS,
    json: { type: "boolean" },
    plot: { type: "string" },
    help: { type: "boolean" },
  });
  if (flags.help) {
    console.log(HELP);
    return;
  }
  if (flags.mnist && flags["no-mnist"]) {
    throw new CliError(
      tr(
        "Give --mnist or --no-mnist, not both.",
        "--mnist と --no-mnist はどちらか一方だけ指定してください。",
      ),
      undefined,
      2,
    );
  }
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw new CliError(msg("learningRateTwice"), undefined, 2);
  }
  const seed = flags.seed === undefined ? DEFAULTS.seed : parseSeed(flags.seed);
  const epochs = flags.epochs === undefined
    ? DEFAULTS.epochs
    : parseEpochs(flags.epochs);
  const learningRate = parsePositive(
    flags["learning-rate"] ?? flags.lr,
    flags.lr !== undefined ? "--lr" : "--learning-rate",
    DEFAULTS.learningRate,
  );
  const optimizer = parseOptimizer(flags.optimizer, "sgd");
  const batchSize = flags["batch-size"] === undefined
    ? DEFAULTS.batchSize
    : parseBatchSize(flags["batch-size"]);
  const trainSize = parseBoundedCount(
    flags["train-size"],
    "--train-size",
    60000,
    DEFAULTS.trainSize,
    msg("imagesThereAre"),
  );
  const withMnist = !flags["no-mnist"];
  checkPlot(flags.plot);
  if (!withMnist && (flags.save !== undefined || flags.load !== undefined)) {
    const flag = flags.save !== undefined ? "--save" : "--load";
    throw new CliError(
      tr(
        `${flag} keeps the MNIST networks, which --no-mnist does not train.`,
        `${flag} は MNIST のネットワークを扱いますが、--no-mnist では訓練しません。`,
      ),
      tr(
        `Drop --no-mnist, or ${flag}.`,
        `--no-mnist か ${flag} のどちらかを外してください。`,
      ),
      2,
    );
  }
  const files = checkModelFiles(flags);
  const start = performance.now();

  // 1. The histograms: 1000 inputs of 100 features, one column each.
  const rng = createRng(seed);
  const normal = (rows: number, cols: number) =>
    matrix(
      Array.from(
        { length: rows },
        () => Array.from({ length: cols }, () => rng.normal()),
      ),
    );
  const input = normal(UNITS, SAMPLES);
  const normals = Array.from({ length: LAYERS }, () => normal(UNITS, UNITS));
  const histograms = [];
  const rows: HistogramRow[] = [];
  for (const activation of ACTIVATIONS) {
    for (const scale of SCALES) {
      const acts = activations(input, normals, scale, activation).map(flat);
      const layers = acts.map((values, i) => ({
        layer: i + 1,
        ...summary(values),
      }));
      histograms.push({ init: scaleName(scale), activation, layers });
      rows.push({
        label: activation === "relu"
          ? `${scaleName(scale)}\nReLU\n(nonzero\nvalues)`
          : `${scaleName(scale)}\nsigmoid`,
        // ReLU's zeros are counted apart, as they would tower over the rest.
        cells: acts.map((v) =>
          activation === "relu" ? v.filter((a) => a !== 0) : v
        ),
      });
    }
  }
  progress(
    `histograms of 5 layers for 4 inits x 2 activations: ${
      secondsSince(start).toFixed(2)
    } s`,
  );

  // 2. MNIST: the loss of std 0.01, Xavier and He weights.
  const curves: {
    init: string;
    stepLoss: number[];
    epochLoss: number[];
  }[] = [];
  let mnistInfo: Record<string, unknown> | undefined;
  if (withMnist) {
    const { train } = await loadMnist(trainSize, 1);
    const sizes = [784, UNITS, UNITS, UNITS, UNITS, 10];
    const model = network(sizes, { activation: "relu" });
    const batches = Math.ceil(train.x.cols / batchSize);
    // Keyed "std" (0.01), "xavier", "he": no dots in the file's names.
    const inits = [
      { key: "std", scale: 0.01 },
      { key: "xavier", scale: "xavier" },
      { key: "he", scale: "he" },
    ] as const;
    const starts = startingTree(
      files,
      "init",
      Object.fromEntries(
        inits.map((i) => [i.key, initParams(model, seed, i.scale)]),
      ),
    );
    const trained: Record<string, Params[]> = {};
    for (const { key, scale } of inits) {
      const stepLoss: number[] = [];
      const epochLoss: number[] = [];
      const name = scaleName(scale);
      const result = trainEvaluated(model, starts[key], train, {
        epochs,
        batchSize,
        optimizer: optimizerNamed(optimizer, learningRate),
        seed,
        onStep: (r) => stepLoss.push(r.loss),
        onEpoch(r) {
          epochLoss.push(r.loss);
          if (r.epoch === epochs || r.epoch % Math.ceil(epochs / 4) === 0) {
            progress(
              `MNIST ${name.padEnd(8)} epoch ${r.epoch}/${epochs}  loss ${
                r.loss.toFixed(4)
              }  ${secondsSince(start).toFixed(1)} s`,
            );
          }
        },
      });
      trained[key] = result.params;
      curves.push({ init: name, stepLoss, epochLoss });
    }
    saveTree(files, "init", trained, {
      seed,
      epochs,
      learningRate,
      optimizer,
      batchSize,
      trainSize,
      network: sizes,
    });
    mnistInfo = {
      trainSize: train.x.cols,
      network: sizes,
      epochs,
      batchSize,
      steps: epochs * batches,
      optimizer,
      learningRate,
    };
  }
  const seconds = secondsSince(start);

  writePlot(flags.plot, () => {
    const grid = histogramGrid(rows, {
      title:
        "Activations of 5 layers of 100 units for 1000 inputs from N(0, 1), by initial weights",
      columnLabels: Array.from({ length: LAYERS }, (_, i) => `layer ${i + 1}`),
      range: [0, 1],
      bins: BINS,
      yMax: "row",
      xLabel:
        "activation value (ReLU rows: the nonzero values only, about half of them)",
      yLabel: "number of activations (of 100,000 per layer)",
    });
    if (curves.length === 0) return grid;
    const k = 10;
    const loss = lineChartGrid([{
      title: `loss per step, mean of the last ${k} mini-batches`,
      series: curves.map((c) => ({
        name: c.init,
        values: smooth(c.stepLoss, k),
      })),
    }], {
      title:
        `MNIST training loss by initial weights: 784-100-100-100-100-10 ReLU, ${optimizer} ${learningRate}, batch ${batchSize}, first ${trainSize} images`,
      xLabel: "step (mini-batch update)",
      yLabel: "softmax cross-entropy loss",
      yRange: [0, 2.5],
      panelWidth: 880,
      panelHeight: 280,
    });
    return stackSvg([grid, loss]);
  });

  if (flags.json) {
    console.log(JSON.stringify({
      script: "init",
      seed,
      inputs: { features: UNITS, samples: SAMPLES },
      layers: LAYERS,
      units: UNITS,
      bins: { lo: 0, hi: 1, count: BINS },
      histograms,
      ...(mnistInfo ? { mnist: { ...mnistInfo, curves } } : {}),
      seconds,
      ...(flags.plot !== undefined ? { plot: flags.plot } : {}),
      ...(files.save !== undefined ? { save: files.save } : {}),
      ...(files.load !== undefined ? { load: files.load } : {}),
    }));
    return;
  }
  const n = SAMPLES * UNITS;
  const share = (counts: number[], from: number, to: number) =>
    counts.slice(from, to).reduce((a, b) => a + b, 0) / n;
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  const head = (label: string) =>
    `${label.padEnd(18)}${
      Array.from({ length: LAYERS }, (_, i) => `layer ${i + 1}`.padStart(13))
        .join("")
    }`;
  const lines = [
    `Activations of ${LAYERS} layers of ${UNITS} units for ${SAMPLES} inputs from N(0, 1), seed ${seed}`,
    "",
    "sigmoid: share near 0 or 1 (below 0.1 or above 0.9) | near 0.5 (0.4 to 0.6)",
    head(""),
  ];
  for (const h of histograms.filter((h) => h.activation === "sigmoid")) {
    lines.push(
      `${h.init.padEnd(18)}${
        h.layers.map((l) =>
          `${
            pct(share(l.counts, 0, 3) + share(l.counts, BINS - 3, BINS))
              .padStart(6)
          } |${pct(share(l.counts, 12, 18)).padStart(5)}`
        ).join("")
      }`,
    );
  }
  lines.push(
    "",
    "ReLU: standard deviation of the activations (about half are 0)",
    head(""),
  );
  for (const h of histograms.filter((h) => h.activation === "relu")) {
    lines.push(
      `${h.init.padEnd(18)}${
        h.layers.map((l) => l.std.toPrecision(2).padStart(13)).join("")
      }`,
    );
  }
  if (curves.length > 0) {
    lines.push(
      "",
      `MNIST, ${mnistInfo?.trainSize} images, ${epochs} epochs of batches of ${batchSize}, ${optimizer} ${learningRate}: loss per epoch`,
    );
    for (const c of curves) {
      lines.push(
        `${c.init.padEnd(9)} ${c.epochLoss[0].toFixed(4)} → ${
          c.epochLoss[c.epochLoss.length - 1].toFixed(4)
        }`,
      );
    }
  }
  lines.push("", `time  ${seconds.toFixed(2)} s`);
  if (flags.plot !== undefined) lines.push(`plot  written to ${flags.plot}`);
  if (files.load !== undefined) lines.push(`load  started from ${files.load}`);
  if (files.save !== undefined) lines.push(`save  written to ${files.save}`);
  console.log(lines.join("\n"));
});
