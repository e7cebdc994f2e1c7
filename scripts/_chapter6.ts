/**
 * What the scripts of ゼロから作るDeep Learning chapter 6 share
 * (`optimizers.ts`, `init.ts`, `overfit.ts`, `batch_norm.ts`, `search.ts`):
 * their flags and help, progress on stderr, the `--plot` file, the book's
 * networks (ReLU or sigmoid MLPs with the book's weight scales, batch
 * normalization, dropout, weight decay), and training with the network
 * evaluated after every epoch as the book's `Trainer` does.
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
  add,
  createRng,
  type Dataset,
  type EpochRecord as FitEpochRecord,
  evaluate,
  fit,
  l2Penalty,
  type LayerLike,
  layers,
  type Matrix,
  matrix,
  type Model,
  momentum,
  nesterov,
  type Optimizer,
  type OptimizerState,
  type Params,
  relu,
  rmsprop,
  sequential,
  sgd,
  sigmoid,
  softmaxCrossEntropy,
  type StepRecord,
  type Svg,
  zeros,
} from "../mod.ts";
import {
  assertWritable,
  CliError,
  type FlagSpec,
  msg,
  parseChoice,
  parseCount,
  type ParsedFlags,
  parseFlags,
  parseLang,
  parseNumber,
  tr,
  writeFileAtomic,
} from "./_cli.ts";
import { loadParams, saveParams } from "./_model_file.ts";

// ---------------------------------------------------------------------------
// Flags and help

/** One flag of a script's `--help`: the flag, what it does, its default. */
export interface HelpRow {
  /** The flag as typed, e.g. `--epochs N`. */
  flag: string;
  /** What it does; "\n" starts a continuation line. */
  text: string;
  /** Its default, if it has one. */
  value?: unknown;
}

/** What {@linkcode helpText} puts together. */
export interface HelpSpec {
  /** The file's name without `.ts`. */
  name: string;
  /** What the script does, a few lines. */
  about: string;
  /** The script's own flags; `--json`, `--plot` and `--help` follow. */
  rows: readonly HelpRow[];
  /** What `--json` prints ("\n" breaks lines). */
  json: string;
  /** What `--plot` draws. */
  plot: string;
  /** Lines after the flags: timing, the book's settings. */
  notes: string;
  /** Whether the script is seeded and reports progress. */
  seeded?: boolean;
}

/**
 * A script's `--help`: what it does, how to run it, its flags with their
 * defaults, and notes.
 *
 * @param spec The script's words.
 * @returns The help text.
 */
export function helpText(spec: HelpSpec): string {
  const rows: HelpRow[] = [
    ...spec.rows,
    { flag: "--json", text: `print one JSON object on stdout:\n${spec.json}` },
    {
      flag: "--plot FILE.svg",
      text: `draw ${spec.plot}\ninto FILE.svg; needs --allow-write=FILE.svg`,
    },
    {
      flag: "--lang en|ja",
      text:
        "language of the error messages (en or ja); progress,\nsummary and help stay English",
    },
    { flag: "--help, -h", text: "show this help" },
  ];
  const lines = rows.flatMap((r) =>
    r.text.split("\n").map((t, k) =>
      `  ${(k === 0 ? r.flag : "").padEnd(27)}${t}${
        k === 0 && r.value !== undefined ? ` (default ${r.value})` : ""
      }`
    )
  );
  return [
    spec.about,
    "",
    `Usage: deno run scripts/${spec.name}.ts [flags]`,
    `       deno run --allow-write=FILE.svg scripts/${spec.name}.ts --plot FILE.svg`,
    "",
    "Flags:",
    ...lines,
    "",
    spec.seeded === false
      ? "Nothing is random: every run gives the same paths."
      : "Progress goes to stderr; the same seed gives the same results.",
    ...(spec.notes ? ["", spec.notes] : []),
  ].join("\n");
}

/**
 * Parses a chapter 6 script's flags with {@linkcode parseFlags}, adding
 * `--lang en|ja`: its errors, and every later one, follow the language.
 *
 * @param args The arguments, usually `Deno.args`.
 * @param spec The script's flags, by long name without dashes.
 * @returns The flags that were given, by name (with `lang`).
 * @throws {CliError} On an unknown flag, a missing or unexpected value, a
 * positional argument, or a `--lang` other than en or ja.
 */
export function parseScriptFlags<T extends Record<string, FlagSpec>>(
  args: string[],
  spec: T,
): ParsedFlags<T & { lang: { type: "string" } }> {
  const flags = parseFlags(args, {
    ...spec,
    lang: { type: "string" as const },
  });
  parseLang(flags.lang as string | undefined);
  return flags;
}

/**
 * A count flag from `min` to `max`, or `fallback` when not given.
 *
 * @param text The flag's value, if given.
 * @param flag The flag's name, for messages.
 * @param max The largest count allowed.
 * @param fallback The default.
 * @param why What `max` is, for the message, e.g. `msg("imagesThereAre")`.
 * @param min The smallest count allowed.
 * @returns The count.
 * @throws {CliError} (exit code 2) When the value is not a count from `min`
 * to `max`, written in digits.
 */
export function parseBoundedCount(
  text: string | undefined,
  flag: string,
  max: number,
  fallback: number,
  why = "",
  min = 1,
): number {
  if (text === undefined) return fallback;
  return parseCount(text, flag, { min, max, why });
}

/**
 * A positive number flag, or `fallback` when not given.
 *
 * @param text The flag's value, if given.
 * @param flag The flag's name, for messages.
 * @param fallback The default.
 * @returns The number.
 * @throws {CliError} When the value is not a positive number.
 */
export function parsePositive(
  text: string | undefined,
  flag: string,
  fallback: number,
): number {
  return text === undefined
    ? fallback
    : parseNumber(text, flag, { positive: true });
}

/**
 * A number flag in [0, max), or `fallback` when not given.
 *
 * @param text The flag's value, if given.
 * @param flag The flag's name, for messages.
 * @param fallback The default.
 * @param max The bound, not reached.
 * @returns The number.
 * @throws {CliError} When the value is not a number in [0, max).
 */
export function parseFraction(
  text: string | undefined,
  flag: string,
  fallback: number,
  max = 1,
): number {
  if (text === undefined) return fallback;
  const v = parseNumber(text, flag);
  if (v < 0 || v >= max) {
    throw new CliError(
      tr(
        `${flag} must be at least 0 and below ${max}, got ${text.trim()}.`,
        `${flag} は 0 以上 ${max} 未満にしてください(指定された値: ${text.trim()})。`,
      ),
      undefined,
      2,
    );
  }
  return v;
}

/** The optimizers of the book's §6.1, and AdamW. */
export const OPTIMIZER_NAMES = [
  "sgd",
  "momentum",
  "nesterov",
  "adagrad",
  "rmsprop",
  "adam",
  "adamw",
] as const;

/** One of {@linkcode OPTIMIZER_NAMES}. */
export type OptimizerName = typeof OPTIMIZER_NAMES[number];

/**
 * `--optimizer`: one of {@linkcode OPTIMIZER_NAMES}.
 *
 * @param text The flag's value, if given.
 * @param fallback The default.
 * @returns The name.
 * @throws {CliError} When it names no optimizer.
 */
export function parseOptimizer(
  text: string | undefined,
  fallback: OptimizerName,
): OptimizerName {
  if (text === undefined) return fallback;
  return parseChoice(text, "--optimizer", OPTIMIZER_NAMES);
}

/**
 * The optimizer of that name with that learning rate.
 *
 * @param name The optimizer's name.
 * @param learningRate Its step size.
 * @returns The optimizer.
 */
export function optimizerNamed(
  name: OptimizerName,
  learningRate: number,
): Optimizer {
  switch (name) {
    case "sgd":
      return sgd(learningRate);
    case "momentum":
      return momentum(learningRate);
    case "nesterov":
      return nesterov(learningRate);
    case "adagrad":
      return adagrad(learningRate);
    case "rmsprop":
      return rmsprop(learningRate);
    case "adam":
      return adam(learningRate);
    case "adamw":
      return adamw(learningRate);
  }
}

/**
 * Checks at the start that `--plot FILE` may be written, so that a long run
 * does not end in a missing permission.
 *
 * @param plot The file, if `--plot` was given.
 * @throws {CliError} When it is empty or may not be written.
 */
export function checkPlot(plot: string | undefined): void {
  if (plot !== undefined) assertWritable(plot, "--plot");
}

/**
 * Writes the picture to the `--plot` file.
 *
 * @param plot The file, if `--plot` was given.
 * @param svg Renders the picture; called only when there is a file.
 * @throws {CliError} When the file cannot be written.
 */
export function writePlot(
  plot: string | undefined,
  svg: () => Svg | string,
): void {
  if (plot !== undefined) writeFileAtomic(plot, svg(), { flag: "--plot" });
}

// ---------------------------------------------------------------------------
// --save and --load

/** The flags of {@linkcode ModelFiles}, for {@linkcode parseScriptFlags}. */
export const MODEL_FILE_FLAGS = {
  save: { type: "string" },
  load: { type: "string" },
} as const;

/** The `--help` rows of `--save` and `--load`. */
export const MODEL_FILE_ROWS: readonly HelpRow[] = [
  {
    flag: "--save FILE.safetensors",
    text:
      "save every network the run trained, in one file\n(safetensors, settings in its metadata);\nneeds --allow-write=FILE",
  },
  {
    flag: "--load FILE.safetensors",
    text:
      "start each network from a file --save of this script\nwrote with the same settings, not the seed's weights;\nneeds --allow-read=FILE",
  },
];

/**
 * `--save` and `--load` of a chapter 6 script that trains networks: every
 * network of the run in one safetensors file, as one tree keyed by the
 * run's names, with the script and its settings in the metadata.
 */
export interface ModelFiles {
  /** The file `--save` writes, if given. */
  save?: string;
  /** The file `--load` reads, if given. */
  load?: string;
}

/**
 * The flags of a script that trains no network: `--save` and `--load` are
 * parsed only to be refused with a plain line, not an unknown-flag error.
 *
 * @param flags The parsed flags.
 * @param what What the script does instead of training, for the message.
 * @throws {CliError} When `--save` or `--load` was given.
 */
export function refuseModelFiles(
  flags: { save?: string; load?: string },
  what: string,
): void {
  const flag = flags.save !== undefined
    ? "--save"
    : flags.load !== undefined
    ? "--load"
    : undefined;
  if (flag === undefined) return;
  throw new CliError(
    tr(
      `${flag} is not taken here: this script trains no network (${what}), so there are no parameters to save or load.`,
      `${flag} はこのスクリプトでは使えません: ネットワークを訓練しないので(${what})、保存・読み込みするパラメーターがありません。`,
    ),
    tr(
      "init.ts, overfit.ts, batch_norm.ts and search.ts take --save and --load.",
      "--save と --load は init.ts、overfit.ts、batch_norm.ts、search.ts で使えます。",
    ),
    2,
  );
}

/**
 * Checks `--save` and `--load` at the start: each names a file, and the
 * `--save` file may be written, so that a long run does not end in a
 * missing permission.
 *
 * @param flags The parsed flags.
 * @returns The files.
 * @throws {CliError} When a file name is empty or `--save`'s may not be
 * written.
 */
export function checkModelFiles(
  flags: { save?: string; load?: string },
): ModelFiles {
  for (const flag of ["save", "load"] as const) {
    if (flags[flag] === "") {
      throw new CliError(msg("needsFileName", `--${flag}`), undefined, 2);
    }
  }
  if (flags.save !== undefined) assertWritable(flags.save, "--save");
  return { save: flags.save, load: flags.load };
}

/**
 * The tree of starting parameters: `like` (the seed's), or with `--load`
 * the file's, checked to come from the same script and to hold the same
 * networks with the same shapes.
 *
 * @typeParam T The tree's type.
 * @param files The files.
 * @param script The script's name, without `.ts`.
 * @param like The seed's starting parameters, keyed by network.
 * @returns The starting parameters.
 * @throws {CliError} When the file cannot be read or does not fit the run.
 */
export function startingTree<T extends object>(
  files: ModelFiles,
  script: string,
  like: T,
): T {
  if (files.load === undefined) return like;
  return loadParams(files.load, like, "--load", script).params;
}

/**
 * Writes every trained network to the `--save` file, if one was given.
 *
 * @param files The files.
 * @param script The script's name, without `.ts`.
 * @param tree The trained parameters (and state), keyed by network.
 * @param settings The run's settings, kept in the metadata.
 * @throws {CliError} When the file cannot be written.
 */
export function saveTree(
  files: ModelFiles,
  script: string,
  tree: object,
  settings: Record<string, unknown>,
): void {
  if (files.save === undefined) return;
  saveParams(files.save, tree, {
    script,
    settings: JSON.stringify(settings),
    ...(files.load !== undefined ? { loaded: files.load } : {}),
  }, "--save");
}

// stackSvg lives in _cli.ts, shared with the learning scripts.
export { parseSeed, stackSvg } from "./_cli.ts";

// ---------------------------------------------------------------------------
// Progress

const encoder = new TextEncoder();

/**
 * A line of progress on stderr.
 *
 * @param text The line, without its newline.
 */
export function progress(text: string): void {
  Deno.stderr.writeSync(encoder.encode(`${text}\n`));
}

/**
 * Seconds since `start` (from `performance.now()`), to two decimals.
 *
 * @param start The start time in milliseconds.
 * @returns The seconds.
 */
export function secondsSince(start: number): number {
  return Math.round((performance.now() - start) / 10) / 100;
}

/**
 * A share as a percentage with one decimal, e.g. "93.4%".
 *
 * @param v A share from 0 to 1.
 * @returns The text.
 */
export function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/**
 * Whether epoch `epoch` of `epochs` gets a progress line: about `lines` of
 * them, always the first and the last.
 *
 * @param epoch The epoch, from 1.
 * @param epochs How many there are.
 * @param lines About how many lines to print.
 * @returns Whether to print.
 */
export function listed(epoch: number, epochs: number, lines = 10): boolean {
  const every = Math.max(1, Math.ceil(epochs / lines));
  return epoch === 1 || epoch === epochs || epoch % every === 0;
}

// ---------------------------------------------------------------------------
// The book's networks

/**
 * The scale of the initial weights: a standard deviation, or the book's
 * "Xavier" (N(0, 1/n), n the inputs of the layer) or "He" (N(0, 2/n)).
 */
export type WeightScale = number | "xavier" | "he";

/**
 * The standard deviation of the initial weights of a layer with `inputs`
 * inputs.
 *
 * @param scale The scale.
 * @param inputs The layer's inputs.
 * @returns The standard deviation.
 */
export function stdOf(scale: WeightScale, inputs: number): number {
  return scale === "xavier"
    ? Math.sqrt(1 / inputs)
    : scale === "he"
    ? Math.sqrt(2 / inputs)
    : scale;
}

/**
 * The name of a scale for pictures and JSON: "std 0.01", "Xavier", "He".
 *
 * @param scale The scale.
 * @returns Its name.
 */
export function scaleName(scale: WeightScale): string {
  return scale === "xavier"
    ? "Xavier"
    : scale === "he"
    ? "He"
    : `std ${Number(scale.toPrecision(3))}`;
}

/** How {@linkcode network} builds an MLP. */
export interface NetworkOptions {
  /** The hidden layers' activation. */
  activation: "relu" | "sigmoid";
  /** Batch normalization after each hidden dense layer, before the activation. */
  batchNorm?: boolean;
  /** Dropout with this rate after each hidden activation (0: none). */
  dropout?: number;
}

/**
 * The book's `MultiLayerNet` / `MultiLayerNetExtend` as a model: dense
 * layers of the given sizes, each hidden one followed by batch
 * normalization (if asked), the activation and dropout (if asked).
 *
 * @param sizes Inputs, hidden sizes, outputs: e.g. [784, 100, 100, 10].
 * @param options The activation, batch normalization and dropout.
 * @returns The model.
 */
export function network(
  sizes: readonly number[],
  options: NetworkOptions,
): Model {
  const stack: LayerLike[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    stack.push(layers.dense(sizes[i], sizes[i + 1]));
    if (i + 2 === sizes.length) break;
    if (options.batchNorm) {
      // ε = 10e-7 as the book's BatchNormalization (the layer's default is
      // 1e-5, more than a batch's variance with weights of std 0.0001).
      stack.push(layers.batchNorm(sizes[i + 1], { epsilon: 1e-6 }));
    }
    stack.push(options.activation === "relu" ? relu : sigmoid);
    if (options.dropout) stack.push(layers.dropout(options.dropout));
  }
  return sequential(stack);
}

/** Whether a layer's parameters are a dense layer's `{ w, b }`. */
function isDense(p: Params): p is { w: Matrix; b: Matrix } {
  return typeof p === "object" && p !== null && "w" in p && "b" in p;
}

/**
 * The model's starting parameters with every dense layer's weights drawn
 * from N(0, std²) for the given scale (biases zero, batch normalization's
 * γ = 1 and β = 0), seeded.
 *
 * @param model The model.
 * @param seed The seed.
 * @param scale The weights' scale.
 * @returns The parameters.
 */
export function initParams(
  model: Model,
  seed: number,
  scale: WeightScale,
): Params[] {
  const rng = createRng(seed);
  return model.init(seed).map((p) => {
    if (!isDense(p)) return p;
    const sd = stdOf(scale, p.w.cols);
    const rows = Array.from(
      { length: p.w.rows },
      () => Array.from({ length: p.w.cols }, () => rng.normal(0, sd)),
    );
    return { w: matrix(rows), b: p.b };
  });
}

/**
 * The dense layers' weights (not the biases, not batch normalization's γ
 * and β), which the book's weight decay penalizes.
 *
 * @param params A model's parameters.
 * @returns The weight matrices.
 */
export function weightsOf(params: readonly Params[]): Matrix[] {
  return params.filter(isDense).map((p) => p.w);
}

/**
 * Softmax cross-entropy plus the book's weight decay (λ/2)·Σw² over the
 * weights, as a loss for `fit`; plain cross-entropy for λ = 0.
 *
 * @param lambda λ.
 * @returns The loss.
 */
export function decayedLoss(
  lambda: number,
): (output: Matrix, d: Matrix, params: readonly Params[]) => Matrix {
  return (output, d, params) => {
    const loss = softmaxCrossEntropy(output, d, { keepdims: true });
    return lambda === 0
      ? loss
      : add(loss, l2Penalty(weightsOf(params), lambda));
  };
}

/**
 * The samples `which` of a data set, in that order.
 *
 * @param data The data set.
 * @param which Column indices.
 * @returns A new data set of those samples.
 */
export function pick(data: Dataset, which: readonly number[]): Dataset {
  const columns = (m: Matrix) =>
    matrix(
      Array.from({ length: m.rows }, (_, i) => which.map((j) => m.at(i, j))),
    );
  return {
    x: columns(data.x),
    labels: which.map((j) => data.labels[j]),
    oneHot: columns(data.oneHot),
    classes: data.classes,
  };
}

/**
 * The model's starting state as the book's `BatchNormalization` starts it:
 * running mean and variance both 0. (The toolkit's layer starts the running
 * variance at 1, as PyTorch does; with weights of std 0.0001 the batches'
 * variances are about 1e-8, and a start at 1 would take many epochs to fade
 * from the running average that evaluation uses.)
 *
 * @param model The model.
 * @returns Its state, every running average 0.
 */
export function bookState(model: Model): Params[] {
  return model.initState().map((s) => {
    if (!("variance" in s) || !("mean" in s)) return s;
    const v = s.variance as Matrix;
    return { mean: s.mean, variance: zeros(v.rows, v.cols) };
  });
}

/** Settings of {@linkcode trainEvaluated}. */
export interface TrainOptions {
  /** Passes over the training data. */
  epochs: number;
  /** Samples per mini-batch. */
  batchSize: number;
  /** The optimizer. */
  optimizer: Optimizer;
  /** The seed of the shuffles and dropout masks. */
  seed: number;
  /** Weight decay λ (0: none). */
  weightDecay?: number;
  /** Sets evaluated after every epoch, in evaluation mode, by name. */
  evaluateOn?: Record<string, Dataset>;
  /** Called after every epoch. */
  onEpoch?: (record: EvaluatedEpoch) => void;
  /** Called after every mini-batch. */
  onStep?: (record: StepRecord) => void;
  /** The model's starting state (default `model.initState()`). */
  state?: Params[];
}

/** One epoch of {@linkcode trainEvaluated}. */
export interface EvaluatedEpoch {
  /** The epoch, from 1. */
  epoch: number;
  /** The mean training loss of the epoch's mini-batches (with the decay term). */
  loss: number;
  /** The accuracy on each evaluated set after the epoch, by name. */
  accuracy: Record<string, number>;
}

/**
 * Trains a classifier by mini-batches and evaluates it after every epoch, in
 * evaluation mode (dropout off, batch normalization with its running
 * averages), on the named sets, as the book's `Trainer` measures train and
 * test accuracy. Each epoch is one call of `fit`, the optimizer's state and
 * the model's state carried from one to the next; the shuffles are seeded
 * from `seed` and the epoch.
 *
 * @param model The network.
 * @param params Its starting parameters.
 * @param train The training set.
 * @param options Epochs, batch size, optimizer, seed, weight decay, the sets
 * to evaluate, and callbacks.
 * @returns The trained parameters, the model's state, one record per
 * epoch, and the epoch in which training diverged (overflowed), if it did;
 * the records stop before it.
 */
export function trainEvaluated(
  model: Model,
  params: readonly Params[],
  train: Dataset,
  options: TrainOptions,
): {
  params: Params[];
  state: Params[];
  history: EvaluatedEpoch[];
  diverged?: number;
} {
  let current = params.slice();
  let modelState = options.state ?? model.initState();
  let carried: OptimizerState<Params[]> | undefined;
  const inner = options.optimizer;
  // The optimizer's state goes on from one epoch's fit to the next.
  const optimizer: Optimizer = {
    name: inner.name,
    init: <P extends object>(p: P) =>
      (carried as OptimizerState<P> | undefined) ?? inner.init(p),
    update: (p, g, s) => inner.update(p, g, s),
  };
  const loss = decayedLoss(options.weightDecay ?? 0);
  const history: EvaluatedEpoch[] = [];
  let steps = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    try {
      const result = fit(model, current, { x: train.x, d: train.oneHot }, {
        epochs: 1,
        batchSize: options.batchSize,
        optimizer,
        seed: options.seed * 1000 + epoch,
        loss,
        state: modelState,
        onStep: options.onStep &&
          ((r: StepRecord) =>
            (options.onStep as (r: StepRecord) => void)({
              ...r,
              epoch,
              step: ++steps,
            })),
      });
      current = result.params;
      modelState = result.modelState;
      carried = result.state;
      const first = result.history[0] as FitEpochRecord;
      const accuracy: Record<string, number> = {};
      for (const [name, set] of Object.entries(options.evaluateOn ?? {})) {
        accuracy[name] = evaluate(model, current, {
          x: set.x,
          d: set.oneHot,
        }, { state: modelState }).accuracy;
      }
      const record = { epoch, loss: first.loss, accuracy };
      history.push(record);
      options.onEpoch?.(record);
    } catch (error) {
      // Weights too large overflow float64, as numpy's do (it goes on with
      // NaN): training stops there, and the epoch is reported.
      if (
        error instanceof RangeError && /diverged|overflow/.test(error.message)
      ) {
        return { params: current, state: modelState, history, diverged: epoch };
      }
      throw error;
    }
  }
  return { params: current, state: modelState, history };
}
