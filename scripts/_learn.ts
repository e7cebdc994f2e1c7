/**
 * What the four training scripts (`xor.ts`, `spiral.ts`, `iris.ts`,
 * `digits.ts`) share: their flags, progress on stderr, the text or JSON
 * summary with a terminal loss chart, and writing the `--plot` picture.
 *
 * A script describes itself with a {@linkcode ScriptSpec} and hands
 * {@linkcode runTraining} a function that trains with the parsed
 * {@linkcode Settings}, calling `onEpoch` after every epoch.
 *
 * This module is internal to the scripts (its name starts with `_`); it is
 * not part of the library exported by `mod.ts`.
 *
 * @module
 */
import {
  adam,
  div,
  evaluate,
  fit,
  map,
  type EpochRecord as FitEpochRecord,
  type Model,
  type Params,
  mlp,
  momentum,
  mul,
  type Optimizer,
  scale,
  sgd,
  sub,
  sumAxis,
} from "../mod.ts";
import type { Dataset } from "../lib/data/datasets.ts";
import { lineChart, type LineSeries } from "../lib/viz/plot.ts";
import { asciiChart } from "../lib/viz/text_chart.ts";
import {
  assertWritable,
  CliError,
  parseCount,
  parseFlags,
  parseNumber,
  runMain,
  writeFileAtomic,
} from "./_cli.ts";

/** The optimizers the scripts offer. */
export const OPTIMIZERS = ["sgd", "momentum", "adam"] as const;

/** One of {@linkcode OPTIMIZERS}. */
export type OptimizerName = typeof OPTIMIZERS[number];

/** The settings a script trains with: its defaults, overridden by flags. */
export interface Settings {
  /** Seed of every random choice: initial weights, shuffles, splits, noise. */
  seed: number;
  /** Passes over the training data. */
  epochs: number;
  /** The optimizer's step size. */
  learningRate: number;
  /** Units in the hidden layer. */
  hidden: number;
  /** The optimizer. */
  optimizer: OptimizerName;
  /** Samples per mini-batch. */
  batchSize: number;
}

/** A script's name, help text and default settings. */
export interface ScriptSpec {
  /** The file's name without `.ts`, e.g. `"spiral"`. */
  name: string;
  /** One or two sentences on what the script does, for `--help`. */
  about: string;
  /** The default settings. */
  defaults: Settings;
  /** What `--plot` draws, for `--help`, e.g. "the decision regions". */
  plotDescription: string;
  /** Extra lines for `--help` (a note on the data), if any. */
  notes?: string;
}

/** One epoch of training, as reported in progress and in `history`. */
export interface EpochRecord {
  /** The epoch, from 1. */
  epoch: number;
  /** The mean training loss over the epoch's mini-batches. */
  loss: number;
  /** The share of training samples classified right during the epoch. */
  accuracy: number;
  /** Loss on the held-out set after the epoch, when there is one. */
  testLoss?: number;
  /** Accuracy on the held-out set after the epoch, when there is one. */
  testAccuracy?: number;
}

/** What a script's training function returns. */
export interface TrainingOutcome {
  /** One line on the data and the model, for the text summary. */
  description: string;
  /** The per-epoch history. */
  history: EpochRecord[];
  /** Accuracy on the training set at the end, from 0 to 1. */
  trainAccuracy: number;
  /** Samples in the training set. */
  trainSize: number;
  /** Accuracy on the held-out set at the end, when there is one. */
  testAccuracy?: number;
  /** Samples in the held-out set, when there is one. */
  testSize?: number;
  /** Renders the `--plot` picture; called only when `--plot` is given. */
  plot: () => string;
}

/** The trainer a script supplies. */
export type Trainer = (
  settings: Settings,
  onEpoch: (record: EpochRecord) => void,
) => TrainingOutcome | Promise<TrainingOutcome>;

function help(spec: ScriptSpec): string {
  const d = spec.defaults;
  const row = (flag: string, text: string, value?: unknown) =>
    `  ${flag.padEnd(27)}${
      value === undefined ? text : `${text.padEnd(34)}(default ${value})`
    }`;
  return [
    spec.about,
    "",
    `Usage: deno run scripts/${spec.name}.ts [flags]`,
    `       deno run --allow-write=FILE.svg scripts/${spec.name}.ts --plot FILE.svg`,
    "",
    "Flags:",
    row("--seed N", "seed of every random choice", d.seed),
    row("--epochs N", "passes over the training data", d.epochs),
    row(
      "--learning-rate R, --lr R",
      "the optimizer's step size, > 0",
      d.learningRate,
    ),
    row("--hidden N", "units in the hidden layer", d.hidden),
    row("--optimizer NAME", OPTIMIZERS.join(", "), d.optimizer),
    row("--batch-size N", "samples per mini-batch", d.batchSize),
    row("--json", "print one JSON object on stdout: the"),
    row(
      "",
      `settings, trainAccuracy, ${
        spec.name === "xor" || spec.name === "spiral" ? "" : "testAccuracy, "
      }finalLoss,`,
    ),
    row("", "history (per epoch), seconds"),
    row("--plot FILE.svg", `draw ${spec.plotDescription}`),
    row("", "into FILE.svg; needs --allow-write=FILE.svg"),
    row("--help", "show this help"),
    "",
    "Progress goes to stderr; the same seed gives the same results.",
    ...(spec.notes ? ["", spec.notes] : []),
  ].join("\n");
}

function parseSeed(text: string): number {
  const trimmed = text.trim();
  const value = /^\+?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(value <= 4294967295)) {
    throw new CliError(
      `--seed must be a whole number from 0 to 4294967295, got ${
        JSON.stringify(text)
      }.`,
      undefined,
      2,
    );
  }
  return value;
}

/** What {@linkcode parseSettings} finds on the command line. */
export interface Invocation {
  /** The settings to train with. */
  settings: Settings;
  /** Print JSON instead of text. */
  json: boolean;
  /** Where to write the picture, if anywhere. */
  plot?: string;
  /** Only show the help. */
  help: boolean;
}

/**
 * Reads the flags, starting from the script's defaults.
 *
 * @param args The arguments, usually `Deno.args`.
 * @param spec The script.
 * @returns The settings and output choices.
 * @throws {CliError} On an unknown flag or a bad value.
 */
export function parseSettings(args: string[], spec: ScriptSpec): Invocation {
  const flags = parseFlags(args, {
    seed: { type: "string" },
    epochs: { type: "string" },
    "learning-rate": { type: "string" },
    lr: { type: "string" },
    hidden: { type: "string" },
    optimizer: { type: "string" },
    "batch-size": { type: "string" },
    json: { type: "boolean" },
    plot: { type: "string" },
    help: { type: "boolean" },
  });
  const s: Settings = { ...spec.defaults };
  if (flags.seed !== undefined) s.seed = parseSeed(flags.seed);
  if (flags.epochs !== undefined) {
    s.epochs = parseCount(flags.epochs, "--epochs");
  }
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw new CliError(
      "Give the learning rate once: --learning-rate and --lr are the same flag.",
      undefined,
      2,
    );
  }
  const lr = flags["learning-rate"] ?? flags.lr;
  if (lr !== undefined) {
    s.learningRate = parseNumber(
      lr,
      flags.lr !== undefined ? "--lr" : "--learning-rate",
      { positive: true },
    );
  }
  if (flags.hidden !== undefined) {
    s.hidden = parseCount(flags.hidden, "--hidden");
    if (s.hidden > 4096) {
      throw new CliError(
        `--hidden must be at most 4096, got ${s.hidden}.`,
        undefined,
        2,
      );
    }
  }
  if (flags.optimizer !== undefined) {
    const name = flags.optimizer.trim().toLowerCase();
    if (!(OPTIMIZERS as readonly string[]).includes(name)) {
      throw new CliError(
        `--optimizer must be one of ${OPTIMIZERS.join(", ")}, got ${
          JSON.stringify(flags.optimizer)
        }.`,
        undefined,
        2,
      );
    }
    s.optimizer = name as OptimizerName;
  }
  if (flags["batch-size"] !== undefined) {
    s.batchSize = parseCount(flags["batch-size"], "--batch-size");
  }
  if (flags.plot !== undefined && flags.plot === "") {
    throw new CliError("--plot needs a file name.", undefined, 2);
  }
  return {
    settings: s,
    json: flags.json ?? false,
    plot: flags.plot,
    help: flags.help ?? false,
  };
}

function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function progressLine(r: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  let line = `epoch ${String(r.epoch).padStart(width)}/${epochs}  loss ${
    r.loss.toPrecision(4)
  }  accuracy ${percent(r.accuracy).padStart(6)}`;
  if (r.testAccuracy !== undefined) {
    line += `  test ${percent(r.testAccuracy).padStart(6)}`;
  }
  return line;
}

/**
 * Progress on stderr: on a terminal one line rewritten in place (at most 20
 * times a second, and always for the last epoch); otherwise plain lines, at
 * most about 20 of them.
 */
function progressReporter(
  epochs: number,
): { onEpoch: (r: EpochRecord) => void; done: () => void } {
  const encoder = new TextEncoder();
  const write = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
  let terminal = false;
  try {
    terminal = Deno.stderr.isTerminal();
  } catch {
    terminal = false;
  }
  let last = -Infinity;
  let shown = false;
  const every = Math.max(1, Math.ceil(epochs / 20));
  return {
    onEpoch(r: FitEpochRecord) {
      if (terminal) {
        const now = performance.now();
        if (r.epoch !== epochs && now - last < 50) return;
        last = now;
        write(`\r${progressLine(r, epochs)}\x1b[K`);
        shown = true;
      } else if (r.epoch % every === 0 || r.epoch === 1 || r.epoch === epochs) {
        write(`${progressLine(r, epochs)}\n`);
      }
    },
    done() {
      if (terminal && shown) write("\n");
    },
  };
}

function summary(
  spec: ScriptSpec,
  settings: Settings,
  outcome: TrainingOutcome,
  seconds: number,
  plot: string | undefined,
): string {
  const s = settings;
  const h = outcome.history;
  const lines = [
    `${spec.name}: ${outcome.description}`,
    `${s.optimizer}, learning rate ${s.learningRate}, ${s.epochs} epochs, batch size ${s.batchSize}, hidden ${s.hidden}, seed ${s.seed}`,
    "",
    `loss per epoch (${h[0].loss.toPrecision(4)} → ${
      h[h.length - 1].loss.toPrecision(4)
    }):`,
    asciiChart(h.map((r) => r.loss), { height: 6, width: 50 }),
    "",
    `train accuracy ${percent(outcome.trainAccuracy)} (${
      Math.round(outcome.trainAccuracy * outcome.trainSize)
    }/${outcome.trainSize})`,
  ];
  if (outcome.testAccuracy !== undefined && outcome.testSize !== undefined) {
    lines.push(
      `test accuracy  ${percent(outcome.testAccuracy)} (${
        Math.round(outcome.testAccuracy * outcome.testSize)
      }/${outcome.testSize})`,
    );
  }
  lines.push(`time           ${seconds.toFixed(2)} s`);
  if (plot !== undefined) lines.push(`plot           written to ${plot}`);
  return lines.join("\n");
}

/**
 * Runs a training script: parses the flags, trains with progress on stderr,
 * prints the text summary or one JSON object on stdout, and writes the
 * `--plot` picture. Any error ends the program with one or two plain lines
 * on stderr and a non-zero exit.
 *
 * @param spec The script's name, help and defaults.
 * @param trainer Trains with the settings, calling `onEpoch` every epoch.
 * @returns A promise that settles when the script is done.
 */
export function runTraining(
  spec: ScriptSpec,
  trainer: Trainer,
): Promise<void> {
  return runMain(async () => {
    const { settings, json, plot, help: wantsHelp } = parseSettings(
      Deno.args,
      spec,
    );
    if (wantsHelp) {
      console.log(help(spec));
      return;
    }
    if (plot !== undefined) assertWritable(plot, "--plot");
    const progress = progressReporter(settings.epochs);
    const start = performance.now();
    let outcome: TrainingOutcome;
    try {
      outcome = await trainer(settings, progress.onEpoch);
    } finally {
      progress.done();
    }
    const seconds = Math.round((performance.now() - start) / 10) / 100;
    if (plot !== undefined) {
      // Rendered whole before the file is touched: a failure leaves no file.
      writeFileAtomic(plot, outcome.plot(), { flag: "--plot" });
    }
    if (json) {
      const result: Record<string, unknown> = {
        script: spec.name,
        ...settings,
        trainAccuracy: outcome.trainAccuracy,
      };
      if (outcome.testAccuracy !== undefined) {
        result.testAccuracy = outcome.testAccuracy;
      }
      result.finalLoss = outcome.history[outcome.history.length - 1].loss;
      result.history = outcome.history;
      result.seconds = seconds;
      if (plot !== undefined) result.plot = plot;
      console.log(JSON.stringify(result));
    } else {
      console.log(summary(spec, settings, outcome, seconds, plot));
    }
  });
}

/** The optimizer named in the settings, with its learning rate. */
export function optimizerOf(settings: Settings): Optimizer {
  switch (settings.optimizer) {
    case "sgd":
      return sgd(settings.learningRate);
    case "momentum":
      return momentum(settings.learningRate);
    case "adam":
      return adam(settings.learningRate);
  }
}

/** Options for {@linkcode trainClassifier}. */
export interface ClassifierOptions {
  /** The hidden layers' activation. */
  activation: "relu" | "tanh" | "sigmoid";
  /** A held-out set, evaluated after every epoch. */
  test?: Dataset;
}

/** A trained classifier and how it got there. */
export interface TrainedClassifier {
  /** The network. */
  model: Model;
  /** Its trained parameters. */
  params: Params[];
  /** One record per epoch. */
  history: EpochRecord[];
  /** Accuracy of the trained network on the training set. */
  trainAccuracy: number;
  /** Accuracy of the trained network on the held-out set, if any. */
  testAccuracy?: number;
}

/**
 * Trains a one-hidden-layer network (inputs → `settings.hidden` → classes)
 * with softmax cross-entropy, by mini-batches, everything seeded from
 * `settings.seed`.
 *
 * @param train The training set.
 * @param settings Seed, epochs, learning rate, hidden units, optimizer and
 * batch size.
 * @param onEpoch Called after every epoch.
 * @param options The activation and an optional held-out set.
 * @returns The trained network, its history and its final accuracies.
 */
export function trainClassifier(
  train: Dataset,
  settings: Settings,
  onEpoch: (record: EpochRecord) => void,
  options: ClassifierOptions,
): TrainedClassifier {
  const { model, params } = mlp(
    [train.x.rows, settings.hidden, train.classes],
    settings.seed,
    { activation: options.activation },
  );
  const test = options.test;
  const history: EpochRecord[] = [];
  const result = fit(model, params, { x: train.x, d: train.oneHot }, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: optimizerOf(settings),
    // A seed for the shuffles apart from the one for the weights.
    seed: settings.seed + 1,
    validation: test && { x: test.x, d: test.oneHot },
    onEpoch(r: FitEpochRecord) {
      const record: EpochRecord = {
        epoch: r.epoch,
        loss: r.loss,
        accuracy: r.accuracy,
      };
      if (r.validationLoss !== undefined) record.testLoss = r.validationLoss;
      if (r.validationAccuracy !== undefined) {
        record.testAccuracy = r.validationAccuracy;
      }
      history.push(record);
      onEpoch(record);
    },
  });
  const trained = result.params;
  return {
    model,
    params: trained,
    history,
    trainAccuracy:
      evaluate(model, trained, { x: train.x, d: train.oneHot }).accuracy,
    testAccuracy: test &&
      evaluate(model, trained, { x: test.x, d: test.oneHot }).accuracy,
  };
}

/**
 * Rescales every feature to mean 0 and standard deviation 1 over the
 * training set, and applies the same shift and scale to the test set (whose
 * statistics must stay unseen). A constant feature is only shifted.
 *
 * @param train The training set.
 * @param test The held-out set.
 * @returns Both sets, standardized.
 */
export function standardize(
  train: Dataset,
  test: Dataset,
): { train: Dataset; test: Dataset } {
  const n = train.x.cols;
  const mean = scale(sumAxis(train.x, 1), 1 / n);
  const centred = sub(train.x, mean);
  const variance = scale(sumAxis(mul(centred, centred), 1), 1 / n);
  const sd = map(variance, (v) => (v > 0 ? Math.sqrt(v) : 1));
  return {
    train: { ...train, x: div(centred, sd) },
    test: { ...test, x: div(sub(test.x, mean), sd) },
  };
}

/**
 * A line chart of a training history: the training loss and accuracy, and
 * the test accuracy when there is one, against the epoch.
 *
 * @param history The per-epoch records.
 * @param title The chart's title.
 * @returns The SVG document.
 */
export function historyChart(history: EpochRecord[], title: string): string {
  const x = history.map((r) => r.epoch);
  const series: LineSeries[] = [
    { name: "training loss", values: history.map((r) => r.loss), x },
    { name: "training accuracy", values: history.map((r) => r.accuracy), x },
  ];
  if (history.every((r) => r.testAccuracy !== undefined)) {
    series.push({
      name: "test accuracy",
      values: history.map((r) => r.testAccuracy as number),
      x,
    });
  }
  return lineChart(series, { title, xLabel: "epoch" });
}
