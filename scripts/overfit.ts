/**
 * Overfitting and two cures, as ゼロから作るDeep Learning §6.4 shows them: a
 * deep network (6 hidden layers of 100 ReLU units, He weights) trained on
 * only 300 MNIST images with SGD 0.01, plain (figure 6-20), with weight
 * decay λ = 0.1 (figure 6-21, ch06/overfit_weight_decay.py) and with
 * dropout of ratio 0.2 (figure 6-23, ch06/overfit_dropout.py). Train and
 * test accuracy are measured after every epoch; `--plot` draws them in three
 * panels, train solid and test dashed, so that the gap shows.
 *
 * Run: `deno run scripts/overfit.ts` (see `--help`).
 *
 * @module
 */
import { lineChartGrid, type Params } from "../mod.ts";
import { CliError, msg, parseBatchSize, parseEpochs, runMain } from "./_cli.ts";
import { loadMnist } from "./_mnist.ts";
import {
  checkModelFiles,
  checkPlot,
  helpText,
  initParams,
  listed,
  MODEL_FILE_FLAGS,
  MODEL_FILE_ROWS,
  network,
  optimizerNamed,
  parseBoundedCount,
  parseFraction,
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
  epochs: 100,
  learningRate: 0.01,
  batchSize: 100,
  trainSize: 300,
  testSize: 1000,
  weightDecay: 0.1,
  dropout: 0.2,
};

const HIDDEN = [100, 100, 100, 100, 100, 100];

const HELP = helpText({
  name: "overfit",
  about:
    "Overfitting: a 784-100-100-100-100-100-100-10 ReLU network (He weights) trained\non 300 MNIST images, plain, with weight decay and with dropout; train and test\naccuracy after every epoch (ゼロから作るDeep Learning §6.4, figures 6-20 to 6-23).",
  rows: [
    { flag: "--seed N", text: "seed of weights, shuffles, dropout", value: 0 },
    { flag: "--epochs N", text: "passes over the training images", value: 100 },
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
      value: 300,
    },
    {
      flag: "--test-size N",
      text: "test on the first N of the 10,000",
      value: 1000,
    },
    {
      flag: "--weight-decay L",
      text: "λ of the penalty (λ/2)·Σw² on the weights",
      value: 0.1,
    },
    {
      flag: "--dropout R",
      text: "dropout ratio after each hidden ReLU",
      value: 0.2,
    },
    ...MODEL_FILE_ROWS,
  ],
  json:
    "settings, and per network (plain, weight decay,\ndropout) its train and test accuracy per epoch",
  plot: "train (solid) and test (dashed) accuracy,\none panel per network",
  notes:
    "--save keeps the three networks as { plain, weightDecay, dropout }.\n\nThe book runs 201 epochs (weight decay) and 301 (dropout) on the full 10,000 test\nimages; the default here is 100 epochs on the first 1000, 20 to 60 s in all\n(--epochs 300 --test-size 10000 for the book's run, several minutes).",
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
    "test-size": { type: "string" },
    "weight-decay": { type: "string" },
    dropout: { type: "string" },
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
  const testSize = parseBoundedCount(
    flags["test-size"],
    "--test-size",
    10000,
    DEFAULTS.testSize,
    msg("imagesThereAre"),
  );
  const weightDecay = flags["weight-decay"] === undefined
    ? DEFAULTS.weightDecay
    : parsePositive(flags["weight-decay"], "--weight-decay", 0);
  const dropout = parseFraction(flags.dropout, "--dropout", DEFAULTS.dropout);
  checkPlot(flags.plot);
  const files = checkModelFiles(flags);
  const start = performance.now();

  const { train, test } = await loadMnist(trainSize, testSize);
  const sizes = [784, ...HIDDEN, 10];
  const variants = [
    { key: "plain", name: "plain", title: "plain", weightDecay: 0, dropout: 0 },
    {
      key: "weightDecay",
      name: "weight decay",
      title: `weight decay λ = ${weightDecay}`,
      weightDecay,
      dropout: 0,
    },
    {
      key: "dropout",
      name: "dropout",
      title: `dropout ratio ${dropout}`,
      weightDecay: 0,
      dropout,
    },
  ];
  const models = variants.map((v) =>
    network(sizes, { activation: "relu", dropout: v.dropout })
  );
  // The same initial weights for all three (or the --load file's).
  const starts = startingTree(
    files,
    "overfit",
    Object.fromEntries(
      variants.map((v, i) => [v.key, initParams(models[i], seed, "he")]),
    ),
  );
  const trained: Record<string, Params[]> = {};
  const networks = variants.map((v, i) => {
    const model = models[i];
    const params = starts[v.key];
    const trainAccuracy: number[] = [];
    const testAccuracy: number[] = [];
    const loss: number[] = [];
    const result = trainEvaluated(model, params, train, {
      epochs,
      batchSize,
      optimizer: optimizerNamed(optimizer, learningRate),
      seed,
      weightDecay: v.weightDecay,
      evaluateOn: { train, test },
      onEpoch(r) {
        loss.push(r.loss);
        trainAccuracy.push(r.accuracy.train);
        testAccuracy.push(r.accuracy.test);
        if (listed(r.epoch, epochs, 5)) {
          progress(
            `${v.name.padEnd(12)} epoch ${
              String(r.epoch).padStart(String(epochs).length)
            }/${epochs}  train ${percent(r.accuracy.train).padStart(6)}  test ${
              percent(r.accuracy.test).padStart(6)
            }  ${secondsSince(start).toFixed(1)} s`,
          );
        }
      },
    });
    trained[v.key] = result.params;
    const last = epochs - 1;
    return {
      name: v.name,
      title: v.title,
      weightDecay: v.weightDecay,
      dropout: v.dropout,
      trainAccuracy,
      testAccuracy,
      loss,
      finalTrain: trainAccuracy[last],
      finalTest: testAccuracy[last],
      gap: trainAccuracy[last] - testAccuracy[last],
    };
  });
  const seconds = secondsSince(start);
  saveTree(files, "overfit", trained, {
    seed,
    epochs,
    learningRate,
    optimizer,
    batchSize,
    trainSize,
    testSize,
    weightDecay,
    dropout,
    network: sizes,
  });

  writePlot(flags.plot, () =>
    lineChartGrid(
      networks.map((n) => ({
        title: `${n.title}: gap ${(n.gap * 100).toFixed(1)} points`,
        series: [
          { name: "train accuracy", values: n.trainAccuracy, color: 0 },
          {
            name: "test accuracy",
            values: n.testAccuracy,
            dashed: true,
            color: 1,
          },
        ],
      })),
      {
        title:
          `Overfitting: ${trainSize} MNIST training images, 6 hidden layers of 100 ReLU, ${optimizer} ${learningRate} (test: first ${testSize} test images)`,
        xLabel: "epoch",
        yLabel: "accuracy",
        yRange: [0, 1],
        columns: 3,
        panelWidth: 320,
        panelHeight: 240,
      },
    ));

  if (flags.json) {
    console.log(JSON.stringify({
      script: "overfit",
      seed,
      epochs,
      learningRate,
      optimizer,
      batchSize,
      trainSize: train.x.cols,
      testSize: test.x.cols,
      network: sizes,
      networks,
      seconds,
      ...(flags.plot !== undefined ? { plot: flags.plot } : {}),
      ...(files.save !== undefined ? { save: files.save } : {}),
      ...(files.load !== undefined ? { load: files.load } : {}),
    }));
    return;
  }
  const lines = [
    `overfit: ${train.x.cols} training and ${test.x.cols} test images (official MNIST); network ${
      sizes.join("-")
    } (ReLU, He weights)`,
    `${optimizer}, learning rate ${learningRate}, ${epochs} epochs, batch size ${batchSize}, seed ${seed}`,
    "",
    `${"network".padEnd(22)}${"train".padStart(8)}${"test".padStart(8)}${
      "gap".padStart(8)
    }`,
  ];
  for (const n of networks) {
    lines.push(
      `${n.title.padEnd(22)}${percent(n.finalTrain).padStart(8)}${
        percent(n.finalTest).padStart(8)
      }${(n.gap * 100).toFixed(1).padStart(8)}`,
    );
  }
  lines.push(
    "",
    "(gap: train minus test accuracy after the last epoch, in points)",
    `time  ${seconds.toFixed(2)} s`,
  );
  if (flags.plot !== undefined) lines.push(`plot  written to ${flags.plot}`);
  if (files.load !== undefined) lines.push(`load  started from ${files.load}`);
  if (files.save !== undefined) lines.push(`save  written to ${files.save}`);
  console.log(lines.join("\n"));
});
