/**
 * What the training scripts (`xor.ts`, `spiral.ts`, `iris.ts`, `digits.ts`,
 * and on the official MNIST `mnist.ts` and `convnet.ts`) share: their flags,
 * progress on stderr, the text or JSON summary with a terminal loss chart
 * (and a confusion matrix), and writing the `--plot` picture.
 *
 * A script describes itself with a {@linkcode ScriptSpec} and hands
 * {@linkcode runTraining} a function that trains with the parsed
 * {@linkcode Settings}, calling `onEpoch` after every epoch (and `onStep`
 * after every mini-batch, for progress within long epochs).
 *
 * This module is internal to the scripts (its name starts with `_`); it is
 * not part of the library exported by `mod.ts`.
 *
 * @module
 */
import {
  adagrad,
  adam,
  adamw,
  argmax,
  type Confusion,
  confusionHeatmap,
  confusionMatrix,
  confusionTable,
  cosineDecay,
  div,
  type EpochRecord as FitEpochRecord,
  evaluate,
  fit,
  type LearningRate,
  map,
  type Matrix,
  matrix,
  mlp,
  type Model,
  momentum,
  mul,
  nesterov,
  type Optimizer,
  type Params,
  rmsprop,
  scale,
  sgd,
  softmaxCrossEntropy,
  type StepRecord,
  sub,
  sumAxis,
  toArray,
} from "../mod.ts";
import process from "node:process";
import type { Dataset } from "../lib/data/datasets.ts";
import { type GridSeries, lineChartGrid } from "../lib/viz/small_multiples.ts";
import { asciiChart } from "../lib/viz/text_chart.ts";
import {
  assertWritable,
  CliError,
  msg,
  parseBatchSize,
  parseChoice,
  parseCount,
  type ParsedFlags,
  parseEpochs,
  parseFlags,
  parseLang,
  parseNumber,
  parseSeed,
  runMain,
  stackSvg,
  tr,
  writeFileAtomic,
} from "./_cli.ts";
import { loadParams, saveParams } from "./_model_file.ts";

/**
 * The most units `--hidden` gives a hidden layer (in the training scripts and
 * fit_csv.ts): 4096 × 4096 weights stay well inside the library's 2^26
 * entries per matrix.
 */
export const MAX_HIDDEN = 4096;

/** The optimizers a script may offer (ゼロから作るDeep Learning §6.1 and AdamW). */
export const OPTIMIZERS = [
  "sgd",
  "momentum",
  "nesterov",
  "adagrad",
  "rmsprop",
  "adam",
  "adamw",
] as const;

/** One of {@linkcode OPTIMIZERS}. */
export type OptimizerName = typeof OPTIMIZERS[number];

/**
 * The optimizers a script offers unless its {@linkcode ScriptSpec} names
 * others: the three of the first scripts.
 */
export const BASIC_OPTIMIZERS: readonly OptimizerName[] = [
  "sgd",
  "momentum",
  "adam",
];

/** The settings a script trains with: its defaults, overridden by flags. */
export interface Settings {
  /** Seed of every random choice: initial weights, shuffles, splits, noise. */
  seed: number;
  /** Passes over the training data. */
  epochs: number;
  /** The optimizer's step size. */
  learningRate: number;
  /**
   * Units in the hidden layer, or in each hidden layer when the default is
   * a list (given as `--hidden 256,128`).
   */
  hidden: number | readonly number[];
  /** The optimizer. */
  optimizer: OptimizerName;
  /** Samples per mini-batch. */
  batchSize: number;
  /** Training samples used, for scripts with {@linkcode ScriptSpec.sizes}. */
  trainSize?: number;
  /** Test samples used, for scripts with {@linkcode ScriptSpec.sizes}. */
  testSize?: number;
  /**
   * The learning rate over the run, for scripts with
   * {@linkcode ScriptSpec.schedules}: "constant", or "cosine", from the
   * learning rate down to 0 at the last update (`cosineDecay`).
   */
  schedule?: ScheduleName;
  /**
   * A safetensors file of parameters saved by `--save` of the same script
   * and network size, to start from instead of the seed's initial weights.
   */
  load?: string;
}

/** The learning-rate schedules `--schedule` offers. */
export const SCHEDULES = ["constant", "cosine"] as const;

/** One of {@linkcode SCHEDULES}. */
export type ScheduleName = typeof SCHEDULES[number];

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
  /** The optimizers `--optimizer` accepts (default {@linkcode BASIC_OPTIMIZERS}). */
  optimizers?: readonly OptimizerName[];
  /**
   * The largest training and test sets: when given, `--train-size N` and
   * `--test-size N` take the first N samples of each (defaults: all).
   */
  sizes?: { train: number; test: number };
  /**
   * What the samples are called in the summary's confusion-matrix heading,
   * e.g. "test images".
   *
   * @default {"samples"}
   */
  unit?: string;
  /** Whether the summary and `--json` give the CPU time (`cpuSeconds`). */
  cpuTime?: boolean;
  /** Whether the script takes `--schedule` (see {@linkcode Settings.schedule}). */
  schedules?: boolean;
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
  /**
   * The training samples `trainAccuracy` was measured on, when only the
   * first ones were (to save time).
   *
   * @default {trainSize}
   */
  trainEvaluated?: number;
  /** Accuracy on the held-out set at the end, when there is one. */
  testAccuracy?: number;
  /** Samples in the held-out set, when there is one. */
  testSize?: number;
  /**
   * The confusion matrix of the held-out set, or of the training set for a
   * script without one (see `confusionSet`): printed in the summary, given
   * in `--json` and drawn beside the `--plot` picture.
   */
  confusion?: Confusion;
  /**
   * Which set `confusion` counts.
   *
   * @default {"test"}
   */
  confusionSet?: "test" | "training";
  /** A name per class, for the confusion heat map (default "0", "1", …). */
  classNames?: readonly string[];
  /** Renders the `--plot` picture; called only when `--plot` is given. */
  plot: () => string;
  /** The trained parameters, which `--save` writes. */
  params: Params[];
}

/** The trainer a script supplies. */
export type Trainer = (
  settings: Settings,
  onEpoch: (record: EpochRecord) => void,
  onStep: (record: StepRecord) => void,
) => TrainingOutcome | Promise<TrainingOutcome>;

/** The hidden layers' sizes as a list. */
export function hiddenSizes(hidden: number | readonly number[]): number[] {
  return typeof hidden === "number" ? [hidden] : [...hidden];
}

/** Text broken into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) {
      lines[last] += ` ${word}`;
    } else lines.push(word);
  }
  return lines;
}

function help(spec: ScriptSpec): string {
  const d = spec.defaults;
  const row = (flag: string, text: string, value?: unknown) =>
    `  ${flag.padEnd(27)}${
      value === undefined ? text : `${text.padEnd(34)}(default ${value})`
    }`;
  const layered = typeof d.hidden !== "number";
  const optimizers = spec.optimizers ?? BASIC_OPTIMIZERS;
  const sizes = spec.sizes;
  const jsonFields = [
    "settings, trainAccuracy,",
    ...(spec.name === "xor" || spec.name === "spiral" ? [] : ["testAccuracy,"]),
    "finalLoss, history (per epoch),",
    "confusion (counts, precision, recall, f1 of the test set, or of the training set when there is none),",
    spec.cpuTime ? "seconds, cpuSeconds" : "seconds",
  ].join(" ");
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
    layered
      ? row("--hidden N,N,…", "units in each hidden layer", d.hidden)
      : row("--hidden N", "units in the hidden layer", d.hidden),
    ...(optimizers.join(", ").length <= 34
      ? [row("--optimizer NAME", optimizers.join(", "), d.optimizer)]
      : [
        row("--optimizer NAME", "the optimizer, one of", d.optimizer),
        ...wrap(optimizers.join(", "), 50).map((line) => row("", line)),
      ]),
    ...(spec.schedules
      ? [
        row(
          "--schedule NAME",
          "the learning rate: constant, or",
          d.schedule ?? "constant",
        ),
        row("", "cosine (decayed to 0 over the run)"),
      ]
      : []),
    row("--batch-size N", "samples per mini-batch", d.batchSize),
    ...(sizes
      ? [
        row(
          "--train-size N",
          "train on the first N images",
          d.trainSize ?? sizes.train,
        ),
        row(
          "--test-size N",
          "test on the first N images",
          d.testSize ?? sizes.test,
        ),
      ]
      : []),
    row("--json", "print one JSON object on stdout: the"),
    ...wrap(jsonFields, 50).map((line) => row("", line)),
    ...wrap(
      `draw ${spec.plotDescription} into FILE.svg; needs --allow-write=FILE.svg`,
      50,
    ).map((line, i) => row(i === 0 ? "--plot FILE.svg" : "", line)),
    row("--save FILE.safetensors", "save the trained parameters (safetensors,"),
    row("", "F64); needs --allow-write=FILE.safetensors"),
    row("--load FILE.safetensors", "start from parameters saved by --save of"),
    row("", "this script and network; needs --allow-read=FILE"),
    row("--lang en|ja", "language of the error messages (en)"),
    row("--help, -h", "show this help"),
    "",
    "Progress goes to stderr; the same seed gives the same results. Progress,",
    "summary and help are in English whatever --lang; errors follow it.",
    ...(spec.notes ? ["", spec.notes] : []),
  ].join("\n");
}

/** What {@linkcode parseSettings} finds on the command line. */
export interface Invocation {
  /** The settings to train with. */
  settings: Settings;
  /** Print JSON instead of text. */
  json: boolean;
  /** Where to write the picture, if anywhere. */
  plot?: string;
  /** Where to save the trained parameters, if anywhere. */
  save?: string;
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
    ...(spec.sizes
      ? {
        "train-size": { type: "string" as const },
        "test-size": { type: "string" as const },
      }
      : {}),
    ...(spec.schedules ? { schedule: { type: "string" as const } } : {}),
    json: { type: "boolean" },
    plot: { type: "string" },
    save: { type: "string" },
    load: { type: "string" },
    lang: { type: "string" },
    // parseArgs takes `short` as well: -h for --help.
    help: { type: "boolean", short: "h" },
  }) as ParsedFlags<{
    seed: { type: "string" };
    epochs: { type: "string" };
    "learning-rate": { type: "string" };
    lr: { type: "string" };
    hidden: { type: "string" };
    optimizer: { type: "string" };
    "batch-size": { type: "string" };
    "train-size": { type: "string" };
    "test-size": { type: "string" };
    schedule: { type: "string" };
    json: { type: "boolean" };
    plot: { type: "string" };
    save: { type: "string" };
    load: { type: "string" };
    lang: { type: "string" };
    help: { type: "boolean" };
  }>;
  // First, so that every later message follows it.
  parseLang(flags.lang);
  const s: Settings = { ...spec.defaults };
  if (flags.seed !== undefined) s.seed = parseSeed(flags.seed);
  if (flags.epochs !== undefined) {
    s.epochs = parseEpochs(flags.epochs);
  }
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw new CliError(msg("learningRateTwice"), undefined, 2);
  }
  const lr = flags["learning-rate"] ?? flags.lr;
  if (lr !== undefined) {
    s.learningRate = parseNumber(
      lr,
      flags.lr !== undefined ? "--lr" : "--learning-rate",
      { positive: true },
    );
  }
  if (flags.hidden !== undefined) s.hidden = parseHidden(flags.hidden, spec);
  if (flags.optimizer !== undefined) {
    s.optimizer = parseChoice(
      flags.optimizer,
      "--optimizer",
      spec.optimizers ?? BASIC_OPTIMIZERS,
    );
  }
  if (flags["batch-size"] !== undefined) {
    s.batchSize = parseBatchSize(flags["batch-size"]);
  }
  if (spec.schedules) {
    s.schedule = parseChoice(
      flags.schedule ?? s.schedule ?? "constant",
      "--schedule",
      SCHEDULES,
    );
  }
  if (spec.sizes) {
    s.trainSize = parseSize(
      flags["train-size"],
      "--train-size",
      spec.sizes.train,
      s.trainSize,
    );
    s.testSize = parseSize(
      flags["test-size"],
      "--test-size",
      spec.sizes.test,
      s.testSize,
    );
  }
  if (flags.plot !== undefined && flags.plot === "") {
    throw new CliError(msg("needsFileName", "--plot"), undefined, 2);
  }
  for (const flag of ["save", "load"] as const) {
    if (flags[flag] === "") {
      throw new CliError(msg("needsFileName", `--${flag}`), undefined, 2);
    }
  }
  if (flags.load !== undefined) s.load = flags.load;
  return {
    settings: s,
    json: flags.json ?? false,
    plot: flags.plot,
    save: flags.save,
    help: flags.help ?? false,
  };
}

/** `--hidden`: one count, or a list such as `256,128` when the default is one. */
function parseHidden(
  text: string,
  spec: ScriptSpec,
): number | readonly number[] {
  const one = (part: string) =>
    parseCount(part, "--hidden", { max: MAX_HIDDEN });
  if (typeof spec.defaults.hidden === "number") return one(text);
  const parts = text.split(",");
  if (parts.length > 8) {
    throw new CliError(
      tr(
        `--hidden takes at most 8 layer sizes, got ${parts.length}.`,
        `--hidden に指定できる層の大きさは 8 個までです(指定された数: ${parts.length})。`,
      ),
      undefined,
      2,
    );
  }
  return parts.map(one);
}

/** `--train-size` or `--test-size`: a count up to the data set's size. */
function parseSize(
  text: string | undefined,
  flag: string,
  max: number,
  fallback: number | undefined,
): number {
  if (text === undefined) return fallback ?? max;
  return parseCount(text, flag, { max, why: msg("imagesThereAre") });
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

/** Progress on stderr, per epoch and (for scripts that report them) per step. */
interface Progress {
  onEpoch: (r: EpochRecord) => void;
  onStep: (r: StepRecord) => void;
  done: () => void;
}

/**
 * Progress on stderr: on a terminal one line rewritten in place (at most 10
 * times a second, and always at the end of an epoch); otherwise plain lines,
 * at most about 20 epoch lines, and in the epochs shown up to three lines
 * within the epoch for scripts that report steps. Within an epoch the loss
 * and accuracy are running means over the epoch's batches so far.
 */
function progressReporter(epochs: number): Progress {
  const encoder = new TextEncoder();
  const write = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
  let terminal = false;
  try {
    terminal = Deno.stderr.isTerminal();
  } catch {
    terminal = false;
  }
  const start = performance.now();
  let last = -Infinity;
  let shown = false;
  let steps = false;
  const every = Math.max(1, Math.ceil(epochs / 20));
  const listed = (epoch: number) =>
    epoch % every === 0 || epoch === 1 || epoch === epochs;
  // The running sums of the epoch in progress.
  let lossSum = 0, correct = 0, samples = 0;
  return {
    onStep(r: StepRecord) {
      steps = true;
      if (r.batch === 1) lossSum = correct = samples = 0;
      lossSum += r.loss * r.samples;
      correct += r.accuracy * r.samples;
      samples += r.samples;
      const width = String(epochs).length;
      const line = () =>
        `epoch ${String(r.epoch).padStart(width)}/${epochs}  batch ${
          String(r.batch).padStart(String(r.batches).length)
        }/${r.batches}  loss ${(lossSum / samples).toPrecision(4)}  accuracy ${
          percent(correct / samples).padStart(6)
        }  ${((performance.now() - start) / 1000).toFixed(0)} s`;
      if (terminal) {
        const now = performance.now();
        if (now - last < 100) return;
        last = now;
        write(`\r${line()}\x1b[K`);
        shown = true;
      } else if (listed(r.epoch) && r.batch < r.batches) {
        const gap = Math.ceil(r.batches / 4);
        if (r.batch % gap === 0 || r.batches < 4) write(`${line()}\n`);
      }
    },
    onEpoch(r: FitEpochRecord) {
      if (terminal) {
        const now = performance.now();
        if (!steps && r.epoch !== epochs && now - last < 50) return;
        last = now;
        // With steps, each epoch keeps its line; without, one line is
        // rewritten for the whole training.
        write(`\r${progressLine(r, epochs)}\x1b[K${steps ? "\n" : ""}`);
        shown = !steps;
      } else if (listed(r.epoch)) {
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
  cpuSeconds: number,
  plot: string | undefined,
): string {
  const s = settings;
  const h = outcome.history;
  const lines = [
    `${spec.name}: ${outcome.description}`,
    `${s.optimizer}, learning rate ${s.learningRate}${
      s.schedule === "cosine" ? " (cosine decay)" : ""
    }, ${s.epochs} epochs, batch size ${s.batchSize}, hidden ${
      hiddenSizes(s.hidden).join(",")
    }, seed ${s.seed}`,
    "",
    `loss per epoch (${h[0].loss.toPrecision(4)} → ${
      h[h.length - 1].loss.toPrecision(4)
    }):`,
    asciiChart(h.map((r) => r.loss), { height: 6, width: 50 }),
    "",
  ];
  if (outcome.confusion !== undefined) {
    const set = outcome.confusionSet ?? "test";
    const size = set === "test" ? outcome.testSize : outcome.trainSize;
    lines.push(
      `confusion matrix of the ${size ?? ""} ${set} ${spec.unit ?? "samples"}:`,
      confusionTable(outcome.confusion, outcome.classNames),
      "",
    );
  }
  const evaluated = outcome.trainEvaluated ?? outcome.trainSize;
  lines.push(
    `train accuracy ${percent(outcome.trainAccuracy)} (${
      Math.round(outcome.trainAccuracy * evaluated)
    }/${evaluated}${
      evaluated < outcome.trainSize
        ? `, the first ${evaluated} of the ${outcome.trainSize} training images`
        : ""
    })`,
  );
  if (outcome.testAccuracy !== undefined && outcome.testSize !== undefined) {
    lines.push(
      `test accuracy  ${percent(outcome.testAccuracy)} (${
        Math.round(outcome.testAccuracy * outcome.testSize)
      }/${outcome.testSize})`,
    );
  }
  lines.push(
    `time           ${seconds.toFixed(2)} s${
      spec.cpuTime ? ` (CPU ${cpuSeconds.toFixed(2)} s)` : ""
    }`,
  );
  if (plot !== undefined) lines.push(`plot           written to ${plot}`);
  return lines.join("\n");
}

/**
 * The script's `--plot` picture with its confusion heat map under it, as
 * one SVG document (the picture alone when there is no confusion matrix).
 */
function plotWithConfusion(spec: ScriptSpec, outcome: TrainingOutcome): string {
  const picture = outcome.plot();
  if (outcome.confusion === undefined) return picture;
  const set = outcome.confusionSet ?? "test";
  const heatmap = confusionHeatmap(outcome.confusion, {
    labels: outcome.classNames,
    title: `${spec.name}: confusion matrix of the ${set} set`,
  });
  return stackSvg([picture, heatmap]);
}

/** The process's CPU time so far (user and system), in seconds. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
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
    const { settings, json, plot, save, help: wantsHelp } = parseSettings(
      Deno.args,
      spec,
    );
    if (wantsHelp) {
      console.log(help(spec));
      return;
    }
    if (plot !== undefined) assertWritable(plot, "--plot");
    if (save !== undefined) assertWritable(save, "--save");
    const progress = progressReporter(settings.epochs);
    const start = performance.now();
    const cpuStart = cpuNow();
    let outcome: TrainingOutcome;
    try {
      outcome = await trainer(settings, progress.onEpoch, progress.onStep);
    } finally {
      progress.done();
    }
    const seconds = Math.round((performance.now() - start) / 10) / 100;
    const cpuSeconds = Math.round((cpuNow() - cpuStart) * 100) / 100;
    if (plot !== undefined) {
      // Rendered whole before the file is touched: a failure leaves no file.
      writeFileAtomic(plot, plotWithConfusion(spec, outcome), {
        flag: "--plot",
      });
    }
    if (save !== undefined) {
      const { load: _, ...kept } = settings;
      saveParams(save, outcome.params, {
        script: spec.name,
        settings: JSON.stringify(kept),
      });
    }
    if (json) {
      const result: Record<string, unknown> = {
        script: spec.name,
        ...settings,
        trainAccuracy: outcome.trainAccuracy,
      };
      if (outcome.trainEvaluated !== undefined) {
        result.trainAccuracySamples = outcome.trainEvaluated;
      }
      if (outcome.testAccuracy !== undefined) {
        result.testAccuracy = outcome.testAccuracy;
      }
      result.finalLoss = outcome.history[outcome.history.length - 1].loss;
      result.history = outcome.history;
      if (outcome.confusion !== undefined) {
        // NaN (a class never predicted, or with no samples) becomes null.
        const { counts, precision, recall, f1 } = outcome.confusion;
        result.confusion = { counts, precision, recall, f1 };
      }
      result.seconds = seconds;
      if (spec.cpuTime) result.cpuSeconds = cpuSeconds;
      if (plot !== undefined) result.plot = plot;
      if (save !== undefined) result.save = save;
      console.log(JSON.stringify(result));
    } else {
      console.log(summary(spec, settings, outcome, seconds, cpuSeconds, plot));
    }
  });
}

/**
 * The optimizer named in the settings, with its learning rate: constant, or
 * for `schedule: "cosine"` decayed to 0 over `steps` updates.
 *
 * @param settings The optimizer, learning rate and schedule.
 * @param steps The updates of the whole run (for a schedule).
 * @returns The optimizer.
 */
export function optimizerOf(settings: Settings, steps = 1): Optimizer {
  const lr: LearningRate = settings.schedule === "cosine"
    ? cosineDecay(settings.learningRate, { steps })
    : settings.learningRate;
  switch (settings.optimizer) {
    case "sgd":
      return sgd(lr);
    case "momentum":
      return momentum(lr);
    case "nesterov":
      return nesterov(lr);
    case "adagrad":
      return adagrad(lr);
    case "rmsprop":
      return rmsprop(lr);
    case "adam":
      return adam(lr);
    case "adamw":
      return adamw(lr);
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
  /**
   * The confusion matrix on the held-out set, or on the training set when
   * there is none.
   */
  confusion: Confusion;
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
 * @returns The trained network, its history, its final accuracies and the
 * confusion matrix (of the held-out set, or of the training set without one).
 */
export function trainClassifier(
  train: Dataset,
  settings: Settings,
  onEpoch: (record: EpochRecord) => void,
  options: ClassifierOptions,
): TrainedClassifier {
  const { model, params } = mlp(
    [train.x.rows, ...hiddenSizes(settings.hidden), train.classes],
    settings.seed,
    { activation: options.activation },
  );
  const test = options.test;
  const history: EpochRecord[] = [];
  const start = settings.load === undefined
    ? params
    : loadParams(settings.load, params).params;
  const result = fit(model, start, { x: train.x, d: train.oneHot }, {
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
  const counted = test ?? train;
  return {
    model,
    params: trained,
    history,
    trainAccuracy:
      evaluate(model, trained, { x: train.x, d: train.oneHot }).accuracy,
    testAccuracy: test &&
      evaluate(model, trained, { x: test.x, d: test.oneHot }).accuracy,
    confusion: confusionMatrix(
      model.apply(trained, counted.x),
      counted.oneHot,
    ),
  };
}

/** Columns [start, start + count) of `m`, as a new Matrix. */
function columnsOf(m: Matrix, start: number, count: number): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const row = new Array<number>(count);
    for (let j = 0; j < count; j++) row[j] = m.at(i, start + j);
    rows.push(row);
  }
  return matrix(rows);
}

/** What {@linkcode evaluateInChunks} returns. */
export interface ChunkedEvaluation {
  /** The mean softmax cross-entropy over all samples. */
  loss: number;
  /** The share of samples classified right. */
  accuracy: number;
  /** The model's outputs (logits), one column per sample. */
  output: Matrix;
}

/**
 * The loss, accuracy and outputs of a classifier (without state, such as
 * batch normalization's) on a data set, `chunk` samples at a time: a
 * convolution of all 10,000 MNIST test images at once would need several
 * gigabytes for its patches and activations.
 *
 * @param model The model.
 * @param params Its parameters.
 * @param data The data set.
 * @param chunk Samples per forward pass.
 * @returns The loss, the accuracy and the outputs.
 */
export function evaluateInChunks(
  model: Model,
  params: readonly Params[],
  data: Dataset,
  chunk = 1000,
): ChunkedEvaluation {
  const n = data.x.cols;
  const outRows: number[][] = [];
  let lossSum = 0;
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    const y = model.apply(params, columnsOf(data.x, start, count));
    const d = columnsOf(data.oneHot, start, count);
    lossSum += softmaxCrossEntropy(y, d) * count;
    const rows = toArray(y);
    if (outRows.length === 0) { for (const _ of rows) outRows.push([]); }
    rows.forEach((row, i) => {
      for (const v of row) outRows[i].push(v);
    });
  }
  const output = matrix(outRows);
  const predicted = argmax(output);
  let correct = 0;
  for (let j = 0; j < n; j++) if (predicted[j] === data.labels[j]) correct++;
  return { loss: lossSum / n, accuracy: correct / n, output };
}

/** A network trained by {@linkcode trainNetwork}. */
export interface TrainedNetwork {
  /** The starting parameters, drawn from `settings.seed`. */
  initial: Params[];
  /** The trained parameters. */
  params: Params[];
  /** One record per epoch, with the test set's loss and accuracy. */
  history: EpochRecord[];
  /** Accuracy of the trained network on the training set (or its sample). */
  trainAccuracy: number;
  /** The training samples `trainAccuracy` was measured on. */
  trainEvaluated: number;
  /** Accuracy of the trained network on the test set. */
  testAccuracy: number;
  /** The trained network's outputs (logits) on the test set. */
  testOutput: Matrix;
  /** The test set's confusion matrix. */
  confusion: Confusion;
}

/**
 * Trains a classifier (a model without state) with softmax cross-entropy by
 * mini-batches, as {@linkcode Settings} say, evaluating the test set after
 * every epoch in chunks of `chunk` samples. Everything is seeded from
 * `settings.seed`: the weights from it, the shuffles from `seed + 1`.
 *
 * @param model The network.
 * @param train The training set.
 * @param test The test set.
 * @param settings Seed, epochs, learning rate (and its schedule over the
 * run's updates), optimizer and batch size.
 * @param onEpoch Called after every epoch.
 * @param onStep Called after every mini-batch.
 * @param options Samples per forward pass when evaluating (`chunk`), and
 * how many of the first training samples the final training accuracy is
 * measured on (`trainSample`, default all; ゼロから作るDeep Learning's
 * `Trainer` takes 1,000).
 * @returns The parameters before and after, the history, the accuracies,
 * the test outputs and the test set's confusion matrix.
 */
export function trainNetwork(
  model: Model,
  train: Dataset,
  test: Dataset,
  settings: Settings,
  onEpoch: (record: EpochRecord) => void,
  onStep: (record: StepRecord) => void,
  options: { chunk?: number; trainSample?: number } = {},
): TrainedNetwork {
  const chunk = options.chunk ?? 1000;
  const drawn = model.init(settings.seed);
  const initial = settings.load === undefined
    ? drawn
    : loadParams(settings.load, drawn).params;
  const n = train.x.cols;
  const inner = optimizerOf(
    settings,
    settings.epochs * Math.ceil(n / settings.batchSize),
  );
  // fit tells onEpoch the epoch's numbers, not the parameters: the
  // optimizer keeps the latest ones for the test after each epoch.
  let latest: Params[] = initial;
  const optimizer: Optimizer = {
    name: inner.name,
    init: (p) => inner.init(p),
    update(p, g, state) {
      const step = inner.update(p, g, state);
      latest = step.params as unknown as Params[];
      return step;
    },
  };
  const history: EpochRecord[] = [];
  let tested: ChunkedEvaluation | undefined;
  const result = fit(model, initial, { x: train.x, d: train.oneHot }, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer,
    seed: settings.seed + 1,
    onStep,
    onEpoch(r: FitEpochRecord) {
      tested = evaluateInChunks(model, latest, test, chunk);
      const record: EpochRecord = {
        epoch: r.epoch,
        loss: r.loss,
        accuracy: r.accuracy,
        testLoss: tested.loss,
        testAccuracy: tested.accuracy,
      };
      history.push(record);
      onEpoch(record);
    },
  });
  const last = tested as ChunkedEvaluation;
  const trainEvaluated = Math.min(n, options.trainSample ?? n);
  const sample = trainEvaluated === n ? train : {
    ...train,
    x: columnsOf(train.x, 0, trainEvaluated),
    oneHot: columnsOf(train.oneHot, 0, trainEvaluated),
    labels: train.labels.slice(0, trainEvaluated),
  };
  return {
    initial,
    params: result.params,
    history,
    trainAccuracy: evaluateInChunks(model, result.params, sample, chunk)
      .accuracy,
    trainEvaluated,
    testAccuracy: last.accuracy,
    testOutput: last.output,
    confusion: confusionMatrix(last.output, test.oneHot),
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
  const loss: GridSeries[] = [
    { name: "training", values: history.map((r) => r.loss), x },
  ];
  const accuracy: GridSeries[] = [
    { name: "training", values: history.map((r) => r.accuracy), x },
  ];
  if (history.every((r) => r.testLoss !== undefined)) {
    loss.push({
      name: "test",
      values: history.map((r) => r.testLoss as number),
      x,
      dashed: true,
    });
  }
  if (history.every((r) => r.testAccuracy !== undefined)) {
    accuracy.push({
      name: "test",
      values: history.map((r) => r.testAccuracy as number),
      x,
      dashed: true,
    });
  }
  // Two panels: the loss has its own scale, the accuracies share 0 to 1.
  return String(lineChartGrid([
    { title: "loss (softmax cross-entropy)", series: loss },
    {
      title: "accuracy (share classified right)",
      yRange: [0, 1],
      series: accuracy,
    },
  ], {
    title,
    xLabel: "epoch",
    columns: 2,
    panelWidth: 330,
    panelHeight: 250,
  }));
}
