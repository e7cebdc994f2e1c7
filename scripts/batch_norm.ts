/**
 * Batch normalization against the scale of the initial weights, as
 * ゼロから作るDeep Learning §6.3.2 shows it (figure 6-19,
 * ch06/batch_norm_test.py): a network of 5 hidden layers of 100 ReLU units
 * trained on 1000 MNIST images with SGD 0.01, with and without batch
 * normalization, for initial weights of standard deviation from 1 down to
 * 0.0001 (logspace(0, −4)). Training accuracy is measured after every epoch
 * on the 1000 images, in evaluation mode (batch normalization with its
 * running averages), as the book does. `--plot` draws one panel per weight
 * scale, with batch normalization solid and without it dashed.
 *
 * Run: `deno run scripts/batch_norm.ts` (see `--help`).
 *
 * @module
 */
import { type GridSeries, lineChartGrid, type Params } from "../mod.ts";
import { CliError, msg, parseBatchSize, parseEpochs, runMain } from "./_cli.ts";
import { loadMnist } from "./_mnist.ts";
import {
  bookState,
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
  percent,
  progress,
  saveTree,
  secondsSince,
  startingTree,
  trainEvaluated,
  writePlot,
} from "./_chapter6.ts";

const DEFAULTS = {
  seed: 0,
  epochs: 10,
  learningRate: 0.01,
  batchSize: 100,
  trainSize: 1000,
  scales: 8,
};

const HIDDEN = [100, 100, 100, 100, 100];

const HELP = helpText({
  name: "batch_norm",
  about:
    "Batch normalization against the initial weights' scale: a 784-100-100-100-100-100-10\nReLU network trained on MNIST with and without batch normalization, for weights\nof std from 1 to 0.0001 (ゼロから作るDeep Learning §6.3.2, figure 6-19).",
  rows: [
    { flag: "--seed N", text: "seed of weights and shuffles", value: 0 },
    { flag: "--epochs N", text: "passes over the training images", value: 10 },
    {
      flag: "--learning-rate R, --lr R",
      text: "the optimizer's step size",
      value: 0.01,
    },
    {
      flag: "--optimizer NAME",
      text: "sgd, momentum, nesterov, adagrad,\nrmsprop, adam or adamw",
      value: "sgd",
    },
    { flag: "--batch-size N", text: "samples per mini-batch", value: 100 },
    {
      flag: "--train-size N",
      text: "train on the first N training images",
      value: 1000,
    },
    {
      flag: "--scales N",
      text: "weight scales: N values of logspace(0, −4),\nfrom 2 to 16",
      value: 8,
    },
    ...MODEL_FILE_ROWS,
  ],
  json:
    "settings, and per weight scale the training\naccuracy per epoch with and without batch norm",
  plot:
    "training accuracy per epoch, one panel per\nweight scale, BN solid and plain dashed",
  notes:
    "--save keeps, per scale (scale1 to scaleN, the stds in the metadata), the batch-norm\nnet with its running averages as bn: { params, state } and the plain net as plain.\n\nThe book runs 16 scales of 20 epochs; the default here is 8 of those scales, spread\nfrom 1 to 0.0001, of 10 epochs: 20 to 60 s in all (--scales 16 --epochs 20 for the\nbook's run, four times as long).",
});

await runMain(async () => {
  const flags = parseScriptFlags(Deno.args, {
    seed: { type: "string" },
    epochs: { type: "string" },
    "learning-rate": { type: "string" },
    lr: { type: "string" },
    optimizer: { type: "string" },
    "batch-size": { type: "string" },
    "train-size": { type: "string" },
    scales: { type: "string" },
    ...MODEL_FILE_FLAGS,
    json: { type: "boolean" },
    plot: { type: "string" },
    help: { type: "boolean" },
  });
  if (flags.help) {
    console.log(HELP);
    return;
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
  const count = parseBoundedCount(
    flags.scales,
    "--scales",
    16,
    DEFAULTS.scales,
    "",
    2,
  );
  checkPlot(flags.plot);
  const files = checkModelFiles(flags);
  const start = performance.now();

  const { train } = await loadMnist(trainSize, 1);
  const sizes = [784, ...HIDDEN, 10];
  // The book's 16 scales, logspace(0, −4, 16); fewer are spread over them.
  const book = Array.from({ length: 16 }, (_, i) => 10 ** (-4 * i / 15));
  const picked = Array.from(
    { length: count },
    (_, k) => book[Math.round(k * 15 / (count - 1))],
  );
  const plain = network(sizes, { activation: "relu" });
  const normalized = network(sizes, { activation: "relu", batchNorm: true });
  // One entry per scale, "scale1" to "scaleN" (the stds are in the
  // metadata): the batch-norm net with its running averages, and the plain.
  const key = (k: number) => `scale${k + 1}`;
  const starts = startingTree(
    files,
    "batch_norm",
    Object.fromEntries(picked.map((scale, k) => [key(k), {
      bn: {
        params: initParams(normalized, seed, scale),
        state: bookState(normalized),
      },
      plain: initParams(plain, seed, scale),
    }])),
  );
  const trained: Record<
    string,
    { bn: { params: Params[]; state: Params[] }; plain: Params[] }
  > = {};
  const runs = picked.map((scale, k) => {
    const start0 = starts[key(k)];
    const accuracy = (
      model: typeof plain,
      params: Params[],
      state: Params[],
    ) => {
      const out: number[] = [];
      const result = trainEvaluated(
        model,
        params,
        train,
        {
          epochs,
          batchSize,
          optimizer: optimizerNamed(optimizer, learningRate),
          seed,
          evaluateOn: { train },
          state,
          onEpoch: (r) => out.push(r.accuracy.train),
        },
      );
      return {
        accuracy: out,
        diverged: result.diverged ?? null,
        params: result.params,
        state: result.state,
      };
    };
    const { params: bnParams, state: bnState, ...withBn } = accuracy(
      normalized,
      start0.bn.params,
      start0.bn.state,
    );
    const { params: plainParams, ...without } = accuracy(
      plain,
      start0.plain,
      bookState(plain),
    );
    trained[key(k)] = {
      bn: { params: bnParams, state: bnState },
      plain: plainParams,
    };
    const last = (r: { accuracy: number[]; diverged: number | null }) =>
      r.diverged === null
        ? percent(r.accuracy[epochs - 1]).padStart(6)
        : `diverged in epoch ${r.diverged}`;
    progress(
      `scale ${k + 1}/${count}  std ${
        scale.toPrecision(3).padEnd(9)
      } batch norm ${last(withBn)}  without ${last(without)}  ${
        secondsSince(start).toFixed(1)
      } s`,
    );
    return {
      scale,
      batchNorm: withBn.accuracy,
      plain: without.accuracy,
      batchNormDiverged: withBn.diverged,
      plainDiverged: without.diverged,
    };
  });
  const seconds = secondsSince(start);
  saveTree(files, "batch_norm", trained, {
    seed,
    epochs,
    learningRate,
    optimizer,
    batchSize,
    trainSize,
    scales: picked,
    network: sizes,
  });

  writePlot(flags.plot, () =>
    lineChartGrid(
      runs.map((r) => {
        const series: GridSeries[] = [];
        const notes: string[] = [];
        if (r.batchNorm.length > 0) {
          series.push({
            name: "with batch normalization",
            values: r.batchNorm,
            color: 0,
          });
        }
        if (r.plain.length > 0) {
          series.push({
            name: "without (plain)",
            values: r.plain,
            dashed: true,
            color: 1,
          });
        }
        if (r.batchNormDiverged !== null) {
          notes.push(`BN overflowed`);
        }
        if (r.plainDiverged !== null) {
          notes.push(`plain overflowed`);
        }
        return {
          title: `weights std ${Number(r.scale.toPrecision(2))}${
            notes.length > 0 ? ` (${notes.join(", ")})` : ""
          }`,
          series,
        };
      }),
      {
        title:
          `Batch normalization: training accuracy on ${train.x.cols} MNIST images, 5 hidden layers of 100 ReLU, ${optimizer} ${learningRate}`,
        xLabel: "epoch",
        yLabel: "training accuracy",
        yRange: [0, 1],
        columns: 4,
        panelWidth: 230,
        panelHeight: 170,
      },
    ));

  if (flags.json) {
    console.log(JSON.stringify({
      script: "batch_norm",
      seed,
      epochs,
      learningRate,
      optimizer,
      batchSize,
      trainSize: train.x.cols,
      network: sizes,
      runs,
      seconds,
      ...(flags.plot !== undefined ? { plot: flags.plot } : {}),
      ...(files.save !== undefined ? { save: files.save } : {}),
      ...(files.load !== undefined ? { load: files.load } : {}),
    }));
    return;
  }
  const lines = [
    `batch_norm: ${train.x.cols} training images (official MNIST); network ${
      sizes.join("-")
    } (ReLU), with and without batch normalization`,
    `${optimizer}, learning rate ${learningRate}, ${epochs} epochs, batch size ${batchSize}, seed ${seed}`,
    "",
    `training accuracy after ${epochs} epochs, by the initial weights' std:`,
    `${"std".padEnd(10)}${"with BN".padStart(10)}${"without".padStart(10)}`,
    ...runs.map((r) => {
      const cell = (acc: number[], diverged: number | null) =>
        (diverged === null
          ? percent(acc[epochs - 1])
          : `overflow in epoch ${diverged}`).padStart(10);
      return `${r.scale.toPrecision(2).padEnd(10)}${
        cell(r.batchNorm, r.batchNormDiverged)
      }  ${cell(r.plain, r.plainDiverged)}`;
    }),
    "",
    `time  ${seconds.toFixed(2)} s`,
  ];
  if (flags.plot !== undefined) lines.push(`plot  written to ${flags.plot}`);
  if (files.load !== undefined) lines.push(`load  started from ${files.load}`);
  if (files.save !== undefined) lines.push(`save  written to ${files.save}`);
  console.log(lines.join("\n"));
});
