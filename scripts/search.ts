/**
 * A seeded random search over two hyperparameters, as ゼロから作るDeep
 * Learning §6.5 does it (ch06/hyperparameter_optimization.py): the learning
 * rate drawn from 10^U(−6, −2) and the weight decay λ from 10^U(−8, −4), a
 * network of 6 hidden layers of 100 ReLU units (He weights) trained with
 * SGD on 400 MNIST images and judged on 100 held out for validation (a
 * fifth of the first 500, chosen from the seed). The trials are printed
 * best first; `--plot` draws each trial's validation accuracy against its
 * two hyperparameters, on log axes.
 *
 * Run: `deno run scripts/search.ts` (see `--help`).
 *
 * @module
 */
import {
  createRng,
  evaluate,
  type Params,
  scatterPlot,
  shuffle,
} from "../mod.ts";
import { msg, parseBatchSize, parseEpochs, runMain } from "./_cli.ts";
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
  parseScriptFlags,
  parseSeed,
  percent,
  pick,
  progress,
  saveTree,
  secondsSince,
  startingTree,
  trainEvaluated,
  writePlot,
} from "./_chapter6.ts";

const DEFAULTS = {
  seed: 0,
  epochs: 20,
  batchSize: 100,
  trainSize: 500,
  trials: 20,
};

const HIDDEN = [100, 100, 100, 100, 100, 100];

const HELP = helpText({
  name: "search",
  about:
    "Random search for the learning rate (10^U(−6, −2)) and the weight decay λ\n(10^U(−8, −4)) of a 784-100-100-100-100-100-100-10 ReLU network on MNIST, judged\non a validation split (ゼロから作るDeep Learning §6.5).",
  rows: [
    {
      flag: "--seed N",
      text: "seed of the draws, split, weights, shuffles",
      value: 0,
    },
    { flag: "--trials N", text: "hyperparameter pairs to try", value: 20 },
    {
      flag: "--epochs N",
      text: "passes over the training images, per trial",
      value: 20,
    },
    {
      flag: "--optimizer NAME",
      text: "sgd, momentum, nesterov, adagrad,\nrmsprop, adam or adamw",
      value: "sgd",
    },
    { flag: "--batch-size N", text: "samples per mini-batch", value: 100 },
    {
      flag: "--train-size N",
      text:
        "use the first N training images; a fifth\nof them is held out for validation",
      value: 500,
    },
    ...MODEL_FILE_ROWS,
  ],
  json:
    "settings, and every trial best first: learning\nrate, weight decay, validation accuracy per epoch,\nfinal validation and training accuracy",
  plot:
    "validation accuracy against the learning\nrate and the weight decay (log axes)",
  notes:
    "--save keeps every trial's network as trial1 to trialN (their learning rates and\nweight decays in the metadata).\n\nThe book runs 100 trials of 50 epochs (minutes); the default here is 20 trials of\n20 epochs, 20 to 60 s in all. The learning rate is searched, so there is no\n--learning-rate flag.",
});

await runMain(async () => {
  const flags = parseScriptFlags(Deno.args, {
    seed: { type: "string" },
    trials: { type: "string" },
    epochs: { type: "string" },
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
  const seed = flags.seed === undefined ? DEFAULTS.seed : parseSeed(flags.seed);
  const trials = parseBoundedCount(
    flags.trials,
    "--trials",
    1000,
    DEFAULTS.trials,
  );
  const epochs = flags.epochs === undefined
    ? DEFAULTS.epochs
    : parseEpochs(flags.epochs);
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
    10,
  );
  checkPlot(flags.plot);
  const files = checkModelFiles(flags);
  const start = performance.now();

  const { train: all } = await loadMnist(trainSize, 1);
  // As the book: the samples shuffled (from the seed), the first fifth held
  // out for validation.
  const order = shuffle(all.x.cols, createRng(seed));
  const held = Math.floor(all.x.cols * 0.2);
  const validation = pick(all, order.slice(0, held));
  const train = pick(all, order.slice(held));
  const sizes = [784, ...HIDDEN, 10];
  const model = network(sizes, { activation: "relu" });
  const rng = createRng(seed + 1);
  // Keyed "trial1" to "trialN"; each trial's hyperparameters are in the
  // metadata.
  const starts = startingTree(
    files,
    "search",
    Object.fromEntries(
      Array.from(
        { length: trials },
        (_, i) => [`trial${i + 1}`, initParams(model, seed + i + 1, "he")],
      ),
    ),
  );
  const trained: Record<string, Params[]> = {};
  const results = [];
  for (let t = 1; t <= trials; t++) {
    // Drawn in the book's order: the weight decay, then the learning rate.
    const weightDecay = 10 ** rng.uniform(-8, -4);
    const learningRate = 10 ** rng.uniform(-6, -2);
    const { params, history, diverged } = trainEvaluated(
      model,
      starts[`trial${t}`],
      train,
      {
        epochs,
        batchSize,
        optimizer: optimizerNamed(optimizer, learningRate),
        seed: seed + t,
        weightDecay,
        evaluateOn: { validation },
      },
    );
    trained[`trial${t}`] = params;
    const validationAccuracy = history.map((r) => r.accuracy.validation);
    const final = validationAccuracy[validationAccuracy.length - 1] ?? 0;
    const trainAccuracy = diverged === undefined
      ? evaluate(model, params, { x: train.x, d: train.oneHot }).accuracy
      : 0;
    results.push({
      trial: t,
      learningRate,
      weightDecay,
      validationAccuracy: final,
      trainAccuracy,
      history: validationAccuracy,
      diverged: diverged ?? null,
    });
    progress(
      `trial ${String(t).padStart(String(trials).length)}/${trials}  lr ${
        learningRate.toExponential(2)
      }  weight decay ${weightDecay.toExponential(2)}  validation ${
        percent(final).padStart(6)
      }  ${secondsSince(start).toFixed(1)} s`,
    );
  }
  saveTree(files, "search", trained, {
    seed,
    trials,
    epochs,
    optimizer,
    batchSize,
    trainSize,
    network: sizes,
    hyperparameters: results.map((r) => ({
      trial: r.trial,
      learningRate: r.learningRate,
      weightDecay: r.weightDecay,
    })),
  });
  const ranked = [...results].sort((a, b) =>
    b.validationAccuracy - a.validationAccuracy || a.trial - b.trial
  ).map((r, i) => ({ rank: i + 1, ...r }));
  const seconds = secondsSince(start);

  writePlot(flags.plot, () =>
    scatterPlot(
      ranked.map((r) => ({
        x: r.learningRate,
        y: r.weightDecay,
        value: r.validationAccuracy,
        ...(r.rank <= 5 ? { label: String(r.rank) } : {}),
      })),
      {
        title:
          `Random search: ${trials} trials of ${epochs} epochs on ${train.x.cols} MNIST images, ${validation.x.cols} held out`,
        xLabel: "learning rate",
        yLabel: "weight decay λ",
        valueLabel: "validation accuracy",
        xScale: "log",
        yScale: "log",
        valueRange: [0, 1],
        labelMeaning: "rank (1 = best)",
        width: 720,
        height: 480,
      },
    ));

  if (flags.json) {
    console.log(JSON.stringify({
      script: "search",
      seed,
      trials,
      epochs,
      optimizer,
      batchSize,
      trainSize: train.x.cols,
      validationSize: validation.x.cols,
      network: sizes,
      ranges: { learningRate: [1e-6, 1e-2], weightDecay: [1e-8, 1e-4] },
      results: ranked,
      seconds,
      ...(flags.plot !== undefined ? { plot: flags.plot } : {}),
      ...(files.save !== undefined ? { save: files.save } : {}),
      ...(files.load !== undefined ? { load: files.load } : {}),
    }));
    return;
  }
  const lines = [
    `search: ${train.x.cols} training and ${validation.x.cols} validation images (official MNIST); network ${
      sizes.join("-")
    } (ReLU, He weights)`,
    `${trials} trials, ${optimizer}, ${epochs} epochs, batch size ${batchSize}, seed ${seed}; best first:`,
    "",
    `${"rank".padStart(4)}  ${"validation".padStart(10)}  ${
      "train".padStart(6)
    }  ${"learning rate".padStart(13)}  ${"weight decay".padStart(12)}`,
    ...ranked.map((r) =>
      `${String(r.rank).padStart(4)}  ${
        percent(r.validationAccuracy).padStart(10)
      }  ${percent(r.trainAccuracy).padStart(6)}  ${
        r.learningRate.toExponential(2).padStart(13)
      }  ${r.weightDecay.toExponential(2).padStart(12)}`
    ),
    "",
    `time  ${seconds.toFixed(2)} s`,
  ];
  if (flags.plot !== undefined) lines.push(`plot  written to ${flags.plot}`);
  if (files.load !== undefined) lines.push(`load  started from ${files.load}`);
  if (files.save !== undefined) lines.push(`save  written to ${files.save}`);
  console.log(lines.join("\n"));
});
