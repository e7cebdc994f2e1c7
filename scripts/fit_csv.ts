/**
 * Your own data: trains a network on a CSV file with a header row, to
 * classify its rows (the default) or, with `--task regression`, to predict
 * a number. Numeric columns are standardized and text columns one-hot
 * encoded, with statistics from the training rows only; a seeded share of
 * the rows (of each class) is held out for testing. `--save` keeps the
 * trained parameters and the encoders in a safetensors file, and `--load`
 * evaluates such a file on a CSV file without training.
 *
 * Run: `deno run --allow-read=data.csv scripts/fit_csv.ts --data data.csv
 * --target species` (see `--help` for the flags).
 *
 * @module
 */
import {
  asciiChart,
  confusionMatrix,
  confusionTable,
  type EncodedTable,
  type EpochRecord as FitEpochRecord,
  evaluate,
  fit,
  fromSafetensors,
  type Matrix,
  mlp,
  type Model,
  type Params,
  splitTable,
  type TableEncoders,
  toArray,
  toSafetensors,
} from "../mod.ts";
import { applyEncoders } from "../lib/data/tabular.ts";
import {
  assertWritable,
  CliError,
  formatNumber,
  msg,
  parseBatchSize,
  parseChoice,
  parseCount,
  parseEpochs,
  parseFlags,
  parseLang,
  parseNumber,
  readBytesFile,
  runMain,
  tr,
  warn,
  writeBytesAtomic,
} from "./_cli.ts";
import {
  MAX_HIDDEN,
  type OptimizerName,
  optimizerOf,
  OPTIMIZERS,
} from "./_learn.ts";
import { CsvSyntaxError, parseCsv } from "./_csv.ts";

const DEFAULTS = {
  seed: 0,
  testFraction: 0.2,
  epochs: 100,
  learningRate: 0.01,
  hidden: [16] as number[],
  optimizer: "adam" as OptimizerName,
  batchSize: 16,
};

/** The metadata keys of a saved model. */
const KEYS = {
  encoders: "tabular.encoders",
  hidden: "tabular.hidden",
  activation: "tabular.activation",
  training: "tabular.training",
} as const;

const ACTIVATION = "relu";

/** One line of the flags' table: the flag, what it does, its default. */
function row(flag: string, text: string, value?: unknown): string {
  return `  ${flag.padEnd(27)}${
    value === undefined ? text : `${text.padEnd(39)}(default ${value})`
  }`;
}

const HELP = [
  "Train a network on your own CSV file (with a header row): a classifier by",
  "default, or with --task regression a network that predicts a number. Numeric",
  "columns are standardized and text columns one-hot encoded, with statistics",
  "from the training rows only; a share of the rows (of each class) is held out",
  "for testing, chosen from the seed.",
  "",
  "Usage: deno run --allow-read=FILE.csv scripts/fit_csv.ts --data FILE.csv --target COLUMN [flags]",
  "       deno run --allow-read=FILE.csv --allow-write=OUT.safetensors scripts/fit_csv.ts \\",
  "         --data FILE.csv --target COLUMN --save OUT.safetensors",
  "       deno run --allow-read=FILE.csv,OUT.safetensors scripts/fit_csv.ts \\",
  "         --data FILE.csv --load OUT.safetensors",
  "",
  "Flags:",
  row("--data FILE.csv", "the CSV file; needs --allow-read=FILE.csv"),
  row("--target COLUMN", "the column to predict"),
  row("--task TASK", "classification or regression", "classification"),
  row("--categorical A,B", "one-hot encode these columns even if"),
  row("", "they hold numbers"),
  row("--ignore A,B", "leave these columns out (identifiers)"),
  row("--delimiter C", 'the character between fields, or "tab"', '","'),
  row(
    "--test-fraction F",
    "share held out for testing, 0 < F < 1",
    DEFAULTS.testFraction,
  ),
  row("--seed N", "seed of the split, weights, shuffles", DEFAULTS.seed),
  row("--epochs N", "passes over the training data", DEFAULTS.epochs),
  row(
    "--learning-rate R, --lr R",
    "the optimizer's step size, > 0",
    DEFAULTS.learningRate,
  ),
  row(
    "--hidden N,N,…",
    "units in each hidden layer",
    DEFAULTS.hidden.join(","),
  ),
  row(
    "--optimizer NAME",
    OPTIMIZERS.slice(0, 4).join(", ") + ",",
    DEFAULTS.optimizer,
  ),
  row("", OPTIMIZERS.slice(4).join(", ")),
  row("--batch-size N", "samples per mini-batch", DEFAULTS.batchSize),
  row("--json", "print one JSON object on stdout"),
  row("--save FILE.safetensors", "save the trained parameters, with the"),
  row("", "encoders' statistics in its metadata;"),
  row("", "needs --allow-write=FILE.safetensors"),
  row("--load FILE.safetensors", "evaluate a saved model on every row of"),
  row("", "--data, without training; needs"),
  row("", "--allow-read=FILE.safetensors too"),
  row("--lang en|ja", "language of the error messages", "en"),
  row("--help, -h", "show this help"),
  "",
  "Classification reports the test accuracy and confusion matrix, regression the",
  "root mean squared error (RMSE) in the target's own units. Empty fields,",
  "ragged rows and similar mistakes are reported with their line and column.",
  "Progress goes to stderr; the same seed gives the same results. Progress,",
  "summary, warnings and help are in English whatever --lang; errors follow it",
  "(those about the data's own values keep the library's English words).",
].join("\n");

// ---------------------------------------------------------------------------
// Files

/** Reads a UTF-8 text file named by a flag. */
function readText(path: string, flag: string): string {
  const bytes = readBytesFile(path, flag);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(
      msg(
        "cannotRead",
        path,
        flag,
        tr("it is not UTF-8 text.", "UTF-8 のテキストではありません。"),
      ),
      tr(
        "Save the file as UTF-8 (CSV UTF-8 in a spreadsheet).",
        "UTF-8 で保存し直してください(表計算ソフトなら「CSV UTF-8」)。",
      ),
    );
  }
}

// ---------------------------------------------------------------------------
// Flags

const FLAGS = {
  data: { type: "string" },
  target: { type: "string" },
  task: { type: "string" },
  categorical: { type: "string" },
  ignore: { type: "string" },
  delimiter: { type: "string" },
  "test-fraction": { type: "string" },
  seed: { type: "string" },
  epochs: { type: "string" },
  "learning-rate": { type: "string" },
  lr: { type: "string" },
  hidden: { type: "string" },
  optimizer: { type: "string" },
  "batch-size": { type: "string" },
  json: { type: "boolean" },
  save: { type: "string" },
  load: { type: "string" },
  lang: { type: "string" },
  help: { type: "boolean" },
} as const;

/** What the command line asks for. */
interface Request {
  data: string;
  target?: string;
  task: "classification" | "regression";
  categorical: string[];
  ignore: string[];
  delimiter: string;
  testFraction: number;
  seed: number;
  epochs: number;
  learningRate: number;
  hidden: number[];
  optimizer: OptimizerName;
  batchSize: number;
  json: boolean;
  save?: string;
  load?: string;
}

const usage = (what: string) => new CliError(what, msg("seeHelp"), 2);

function names(text: string, flag: string): string[] {
  const list = text.split(",").map((s) => s.trim());
  if (list.some((s) => s === "")) {
    throw usage(tr(
      `${flag} takes column names separated by commas, got ${
        JSON.stringify(text)
      }.`,
      `${flag} には列名をカンマ区切りで指定してください(指定された値: ${
        JSON.stringify(text)
      })。`,
    ));
  }
  return list;
}

function parseRequest(args: string[]): Request | undefined {
  const flags = parseFlags(args, FLAGS);
  // First, so that every later message follows it.
  parseLang(flags.lang);
  if (flags.help) {
    console.log(HELP);
    return undefined;
  }
  if (flags.data === undefined) {
    throw usage(tr(
      "--data is required: the CSV file to learn from.",
      "--data は必須です: 学習に使う CSV ファイルを指定してください。",
    ));
  }
  if (flags.data === "") throw usage(msg("needsFileName", "--data"));
  const r: Request = {
    data: flags.data,
    target: flags.target,
    task: "classification",
    categorical: [],
    ignore: [],
    delimiter: ",",
    ...DEFAULTS,
    json: flags.json ?? false,
    save: flags.save,
    load: flags.load,
  };
  if (flags.load !== undefined) {
    const training = [
      "task",
      "categorical",
      "ignore",
      "test-fraction",
      "seed",
      "epochs",
      "learning-rate",
      "lr",
      "hidden",
      "optimizer",
      "batch-size",
      "save",
    ] as const;
    const given = training.filter((f) => flags[f] !== undefined);
    if (given.length > 0) {
      throw usage(tr(
        `--${
          given[0]
        } has no effect with --load, which evaluates a trained model as it was saved.`,
        `--load は保存されたままのモデルを評価するので、--${
          given[0]
        } は効きません。`,
      ));
    }
  } else if (flags.target === undefined) {
    throw usage(tr(
      "--target is required: the column to predict.",
      "--target は必須です: 予測する列を指定してください。",
    ));
  }
  if (flags.task !== undefined) {
    const task = flags.task.trim().toLowerCase();
    if (task !== "classification" && task !== "regression") {
      throw usage(tr(
        `--task must be classification or regression, got ${
          JSON.stringify(flags.task)
        }.`,
        `--task は classification か regression にしてください(指定された値: ${
          JSON.stringify(flags.task)
        })。`,
      ));
    }
    r.task = task;
  }
  if (flags.categorical !== undefined) {
    r.categorical = names(flags.categorical, "--categorical");
  }
  if (flags.ignore !== undefined) r.ignore = names(flags.ignore, "--ignore");
  if (flags.delimiter !== undefined) {
    const d = flags.delimiter === "tab" || flags.delimiter === "\\t"
      ? "\t"
      : flags.delimiter;
    if ([...d].length !== 1 || d === '"' || d === "\n" || d === "\r") {
      throw usage(tr(
        `--delimiter must be one character other than a quote or a line break (or "tab"), got ${
          JSON.stringify(flags.delimiter)
        }.`,
        `--delimiter は引用符と改行以外の1文字(または "tab")にしてください(指定された値: ${
          JSON.stringify(flags.delimiter)
        })。`,
      ));
    }
    r.delimiter = d;
  }
  if (flags["test-fraction"] !== undefined) {
    const f = parseNumber(flags["test-fraction"], "--test-fraction");
    if (!(f > 0 && f < 1)) {
      throw usage(tr(
        `--test-fraction must be above 0 and below 1, got ${f}.`,
        `--test-fraction は 0 より大きく 1 より小さい数にしてください(指定された値: ${f})。`,
      ));
    }
    r.testFraction = f;
  }
  if (flags.seed !== undefined) {
    const text = flags.seed.trim();
    const seed = /^\+?\d+$/.test(text) ? Number(text) : NaN;
    if (!(seed <= 4294967295)) {
      throw usage(tr(
        `--seed must be a whole number from 0 to 4294967295, got ${
          JSON.stringify(flags.seed)
        }.`,
        `--seed は 0 から 4294967295 までの整数にしてください(指定された値: ${
          JSON.stringify(flags.seed)
        })。`,
      ));
    }
    r.seed = seed;
  }
  if (flags.epochs !== undefined) {
    r.epochs = parseEpochs(flags.epochs);
  }
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw usage(msg("learningRateTwice"));
  }
  const lr = flags["learning-rate"] ?? flags.lr;
  if (lr !== undefined) {
    r.learningRate = parseNumber(
      lr,
      flags.lr !== undefined ? "--lr" : "--learning-rate",
      { positive: true },
    );
  }
  if (flags.hidden !== undefined) {
    const parts = flags.hidden.split(",");
    if (parts.length > 8) {
      throw usage(tr(
        `--hidden takes at most 8 layer sizes, got ${parts.length}.`,
        `--hidden に指定できる層の大きさは 8 個までです(指定された数: ${parts.length})。`,
      ));
    }
    r.hidden = parts.map((part) =>
      parseCount(part, "--hidden", { max: MAX_HIDDEN })
    );
  }
  if (flags.optimizer !== undefined) {
    r.optimizer = parseChoice(
      flags.optimizer,
      "--optimizer",
      OPTIMIZERS,
      msg("seeHelp"),
    );
  }
  if (flags["batch-size"] !== undefined) {
    r.batchSize = parseBatchSize(flags["batch-size"]);
  }
  if (flags.save === "") throw usage(msg("needsFileName", "--save"));
  if (flags.load === "") throw usage(msg("needsFileName", "--load"));
  return r;
}

// ---------------------------------------------------------------------------
// The table

/**
 * A library error about the data, as a message about the file: "Missing
 * value in data.csv: line 7, column "age" (column 2) is empty; …".
 */
function dataError(error: unknown, file: string, table?: string[]): never {
  if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
  const text = error.message
    .replace(
      / in (?:fromTable|splitTable|applyEncoders)\([^)]*\)/,
      ` in ${file}`,
    )
    .replace(/options\.(categorical|ignore|target)/g, "--$1")
    .replace(/the task "(\w+)"/g, "--task $1");
  let hint: string | undefined;
  const ja = japaneseDataError(text, file);
  if (ja !== undefined) {
    // The library's English detail stays below as the hint.
    throw new CliError(ja, text);
  }
  if (table !== undefined && table.length === 1) {
    const found = [";", "\t", "|"].find((d) => table[0].includes(d));
    if (found !== undefined) {
      hint = `The header has one column only: if its fields are separated by ${
        found === "\t" ? "tabs" : `"${found}"`
      }, add --delimiter ${found === "\t" ? "tab" : `"${found}"`}.`;
    }
  }
  throw new CliError(text, hint);
}

/**
 * With `--lang ja`, the first line of a data error in Japanese (the kind of
 * mistake, the line and the column); undefined in English.
 */
function japaneseDataError(text: string, file: string): string | undefined {
  if (tr("en", "ja") === "en") return undefined;
  let m = text.match(/^Missing value in .*?: line (\d+), (.*?) is empty/);
  if (m) {
    return `${file} の ${m[1]} 行目: ${
      columnJa(m[2])
    } が空です。値を入れるか、その行を消してください。`;
  }
  m = text.match(
    /^Ragged row in .*?: line (\d+) has (\d+) fields? but the header \(line (\d+)\) has (\d+)/,
  );
  if (m) {
    return `${file} の ${m[1]} 行目の値は ${m[2]} 個ですが、見出し(${
      m[3]
    } 行目)の列は ${m[4]} 個です。`;
  }
  m = text.match(
    /^Unknown column in .*?: (.*?) "(.*?)" is not in the header \(line (\d+)\)/,
  );
  if (m) {
    return `${file} の見出し(${m[3]} 行目)に列 "${m[2]}" がありません(${
      m[1]
    })。`;
  }
  if (/^Empty table in .*?: there is no header row/.test(text)) {
    return `${file} は空です: 列名の見出し行がありません。`;
  }
  if (/^Empty table in .*?: the header .* has no data rows/.test(text)) {
    return `${file} には見出し行の後にデータ行がありません。`;
  }
  return `${file} のデータに誤りがあります。`;
}

/** `column "age" (column 2)` in Japanese. */
function columnJa(english: string): string {
  const m = english.match(/^column "(.*)" \(column (\d+)\)$/);
  return m ? `列 "${m[1]}"(${m[2]} 列目)` : english;
}

function readTable(r: Request) {
  const text = readText(r.data, "--data");
  try {
    return parseCsv(text, { delimiter: r.delimiter });
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new CliError(tr(
        `${r.data} is not valid CSV: ${error.message}`,
        `${r.data} は正しい CSV ではありません: ${error.message}`,
      ));
    }
    throw error;
  }
}

/** Warns about text columns that look like identifiers. */
function warnIdentifiers(encoders: TableEncoders, rows: number): void {
  for (const e of encoders.columns) {
    if (
      e.kind === "categorical" && e.categories.length > 20 &&
      e.categories.length > rows / 2
    ) {
      warn(
        `column ${
          JSON.stringify(e.column)
        } holds ${e.categories.length} different texts in ${rows} training rows: it looks like a name or an identifier, which does not generalize.`,
        `Leave it out with --ignore ${JSON.stringify(e.column)}.`,
      );
    }
  }
  const t = encoders.target;
  if (
    encoders.task === "classification" && t.kind === "categorical" &&
    t.categories.length > 20 && t.categories.length > rows / 4 &&
    t.categories.every((c) => /^[+-]?[\d.eE+-]+$/.test(c))
  ) {
    warn(
      `the target ${
        JSON.stringify(t.column)
      } holds ${t.categories.length} different numbers, each a class of its own.`,
      "If it is a quantity, add --task regression.",
    );
  }
}

// ---------------------------------------------------------------------------
// Training and evaluation

interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy?: number;
  testLoss: number;
  testAccuracy?: number;
  testRmse?: number;
}

/** A measurement to 4 significant digits, for reading. */
function approx(v: number): string {
  return formatNumber(Number(v.toPrecision(4)));
}

function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** Progress on stderr: about ten lines for the whole training. */
function progress(epochs: number, regression: boolean) {
  const every = Math.max(1, Math.ceil(epochs / 10));
  const width = String(epochs).length;
  return (r: EpochRecord) => {
    if (r.epoch !== 1 && r.epoch % every !== 0 && r.epoch !== epochs) return;
    const test = regression
      ? `test RMSE ${approx(r.testRmse as number)}`
      : `accuracy ${percent(r.accuracy as number).padStart(6)}  test ${
        percent(r.testAccuracy as number).padStart(6)
      }`;
    console.error(
      `epoch ${String(r.epoch).padStart(width)}/${epochs}  loss ${
        r.loss.toPrecision(4)
      }  ${test}`,
    );
  };
}

/** The root mean squared error, in the target's units, of a regressor. */
function rmse(
  model: Model,
  params: readonly Params[],
  data: EncodedTable,
  encoders: TableEncoders,
): number {
  const t = encoders.target;
  if (t.kind !== "numeric") throw new Error("not a regression");
  const y = toArray(model.apply(params, data.x))[0];
  let sum = 0;
  for (let j = 0; j < y.length; j++) {
    const e = y[j] * t.std + t.mean - data.targets[j];
    sum += e * e;
  }
  return Math.sqrt(sum / y.length);
}

/** The standard deviation of numbers: the RMSE of always guessing the mean. */
function spread(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(
    values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length,
  );
}

function classNames(encoders: TableEncoders): string[] {
  const t = encoders.target;
  return t.kind === "categorical" ? [...t.categories] : [];
}

/** A description of the inputs: "4 numeric, 1 text (3 categories)". */
function inputsText(encoders: TableEncoders): string {
  const numeric = encoders.columns.filter((e) => e.kind === "numeric").length;
  const text = encoders.columns.length - numeric;
  const parts = [];
  if (numeric > 0) parts.push(`${numeric} numeric`);
  if (text > 0) parts.push(`${text} text`);
  return `${parts.join(" and ")} ${
    encoders.columns.length === 1 ? "column" : "columns"
  } → ${encoders.features.length} ${
    encoders.features.length === 1 ? "input" : "inputs"
  }`;
}

function confusionText(
  output: Matrix,
  data: EncodedTable,
  encoders: TableEncoders,
) {
  const c = confusionMatrix(output, data.d);
  return {
    confusion: c,
    table: confusionTable(c, classNames(encoders)),
  };
}

function train(r: Request): void {
  if (r.save !== undefined) assertWritable(r.save, "--save");
  const csv = readTable(r);
  const regression = r.task === "regression";
  let split;
  try {
    split = splitTable(csv.header, csv.rows, r.seed, {
      target: r.target as string,
      task: r.task,
      categorical: r.categorical,
      ignore: r.ignore,
      lines: csv.lines,
      headerLine: csv.headerLine,
      testFraction: r.testFraction,
    });
  } catch (error) {
    dataError(error, r.data, csv.header);
  }
  const { train, test, encoders } = split;
  warnIdentifiers(encoders, train.x.cols);
  const outputs = train.d.rows;
  const sizes = [train.x.rows, ...r.hidden, outputs];
  const { model, params } = mlp(sizes, r.seed, { activation: ACTIVATION });
  const loss = regression ? "mse" : "softmaxCrossEntropy";
  const history: EpochRecord[] = [];
  const show = progress(r.epochs, regression);
  const targetStd = encoders.target.kind === "numeric"
    ? encoders.target.std
    : 1;
  const start = performance.now();
  const result = fit(model, params, { x: train.x, d: train.d }, {
    epochs: r.epochs,
    batchSize: r.batchSize,
    optimizer: optimizerOf({ ...r, hidden: 0 }),
    seed: r.seed + 1,
    loss,
    validation: { x: test.x, d: test.d },
    onEpoch(e: FitEpochRecord) {
      const record: EpochRecord = regression
        ? {
          epoch: e.epoch,
          loss: e.loss,
          testLoss: e.validationLoss as number,
          testRmse: Math.sqrt(e.validationLoss as number) * targetStd,
        }
        : {
          epoch: e.epoch,
          loss: e.loss,
          accuracy: e.accuracy,
          testLoss: e.validationLoss as number,
          testAccuracy: e.validationAccuracy as number,
        };
      history.push(record);
      show(record);
    },
  });
  const seconds = Math.round((performance.now() - start) / 10) / 100;
  const trained = result.params;

  const classes = classNames(encoders);
  const settings = {
    data: r.data,
    target: encoders.target.column,
    task: r.task,
    seed: r.seed,
    testFraction: r.testFraction,
    epochs: r.epochs,
    learningRate: r.learningRate,
    hidden: r.hidden,
    optimizer: r.optimizer,
    batchSize: r.batchSize,
  };
  if (r.save !== undefined) {
    const bytes = toSafetensors(trained, {
      metadata: {
        [KEYS.encoders]: JSON.stringify(encoders),
        [KEYS.hidden]: r.hidden.join(","),
        [KEYS.activation]: ACTIVATION,
        [KEYS.training]: JSON.stringify(settings),
      },
    });
    writeBytesAtomic(r.save, bytes, "--save");
  }

  const json: Record<string, unknown> = {
    script: "fit_csv",
    ...settings,
    rows: train.x.cols + test.x.cols,
    trainSize: train.x.cols,
    testSize: test.x.cols,
    features: encoders.features,
  };
  const lines = [
    `fit_csv: ${r.data}, ${
      train.x.cols + test.x.cols
    } rows (${train.x.cols} training, ${test.x.cols} test), target ${
      JSON.stringify(encoders.target.column)
    }: ${regression ? "a number (regression)" : `${classes.length} classes`}`,
    `inputs: ${inputsText(encoders)}; network ${
      sizes.join("-")
    } (${ACTIVATION}${regression ? "" : ", softmax"})`,
    `${r.optimizer}, learning rate ${r.learningRate}, ${r.epochs} epochs, batch size ${r.batchSize}, seed ${r.seed}`,
    "",
    `loss per epoch (${history[0].loss.toPrecision(4)} → ${
      history[history.length - 1].loss.toPrecision(4)
    }${regression ? ", mean squared error of the standardized target" : ""}):`,
    asciiChart(history.map((h) => h.loss), { height: 6, width: 50 }),
    "",
  ];
  if (regression) {
    const trainRmse = rmse(model, trained, train, encoders);
    const testRmse = rmse(model, trained, test, encoders);
    const baseline = spread(test.targets);
    Object.assign(json, {
      trainRmse,
      testRmse,
      testStd: baseline,
    });
    lines.push(
      `train RMSE ${approx(trainRmse)}`,
      `test RMSE  ${approx(testRmse)} (in the units of ${
        JSON.stringify(encoders.target.column)
      }; always guessing the mean would give ${approx(baseline)})`,
    );
  } else {
    const trainAccuracy = evaluate(model, trained, train).accuracy;
    const output = model.apply(trained, test.x);
    const { confusion, table } = confusionText(output, test, encoders);
    const testAccuracy = confusion.accuracy;
    const { counts, precision, recall, f1 } = confusion;
    Object.assign(json, {
      classes,
      trainAccuracy,
      testAccuracy,
      confusion: { labels: classes, counts, precision, recall, f1 },
    });
    const correct = (a: number, n: number) => `${Math.round(a * n)}/${n}`;
    lines.push(
      `confusion matrix of the ${test.x.cols} test rows:`,
      table,
      "",
      `train accuracy ${percent(trainAccuracy)} (${
        correct(trainAccuracy, train.x.cols)
      })`,
      `test accuracy  ${percent(testAccuracy)} (${
        correct(testAccuracy, test.x.cols)
      })`,
    );
  }
  lines.push(`time           ${seconds.toFixed(2)} s`);
  if (r.save !== undefined) lines.push(`saved          ${r.save}`);
  Object.assign(json, {
    finalLoss: history[history.length - 1].loss,
    history,
    seconds,
    ...(r.save !== undefined ? { save: r.save } : {}),
  });
  if (r.json) console.log(JSON.stringify(json));
  else console.log(lines.join("\n"));
}

/** Shapes of a parameter tree, for comparing two trees. */
function shapes(tree: unknown): unknown {
  if (Array.isArray(tree)) return tree.map(shapes);
  if (tree !== null && typeof tree === "object") {
    const m = tree as { rows?: unknown; cols?: unknown };
    if (typeof m.rows === "number" && typeof m.cols === "number") {
      return `${m.rows}x${m.cols}`;
    }
    return Object.fromEntries(
      Object.entries(tree).map(([k, v]) => [k, shapes(v)]),
    );
  }
  return tree;
}

function load(r: Request): void {
  const path = r.load as string;
  const bytes = readBytesFile(path, "--load");
  const notModel = (why: string) =>
    new CliError(
      tr(
        `${path} is not a model saved by fit_csv.ts: ${why}`,
        `${path} は fit_csv.ts が保存したモデルではありません: ${why}`,
      ),
      tr(
        "Save one with --save FILE.safetensors.",
        "--save FILE.safetensors で保存したものを指定してください。",
      ),
    );
  let tree, metadata;
  try {
    ({ tree, metadata } = fromSafetensors(bytes));
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw notModel(error.message.replace(/ in fromSafetensors\(bytes\)/, ""));
    }
    throw error;
  }
  const missing = Object.values(KEYS).find((k) => !(k in metadata));
  if (missing !== undefined) {
    throw notModel(`its metadata has no ${JSON.stringify(missing)}.`);
  }
  let encoders: TableEncoders;
  try {
    encoders = JSON.parse(metadata[KEYS.encoders]);
  } catch {
    throw notModel(`its ${JSON.stringify(KEYS.encoders)} is not JSON.`);
  }
  const hidden = metadata[KEYS.hidden].split(",").map(Number);
  const activation = metadata[KEYS.activation];
  if (
    hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 4096) ||
    activation !== ACTIVATION
  ) {
    throw notModel("its network's layers are not ones fit_csv.ts builds.");
  }
  if (
    r.target !== undefined &&
    r.target.trim() !== (encoders?.target?.column ?? "")
  ) {
    throw new CliError(
      tr(
        `${path} predicts ${
          JSON.stringify(encoders?.target?.column)
        }, not --target ${JSON.stringify(r.target)}.`,
        `${path} が予測するのは ${
          JSON.stringify(encoders?.target?.column)
        } で、--target ${JSON.stringify(r.target)} ではありません。`,
      ),
      tr(
        "Leave out --target with --load: the model knows its target.",
        "--load では --target を省いてください: モデルが予測する列を知っています。",
      ),
      2,
    );
  }
  const csv = readTable(r);
  let data: EncodedTable;
  try {
    data = applyEncoders(encoders, csv.header, csv.rows, {
      lines: csv.lines,
      headerLine: csv.headerLine,
    });
  } catch (error) {
    if (
      (error instanceof TypeError || error instanceof RangeError) &&
      /^Expected (the columns of )?encoders/.test(error.message)
    ) {
      throw notModel(
        error.message.replace(/ of applyEncoders\([^)]*\)/, ""),
      );
    }
    dataError(error, r.data, csv.header);
  }
  const regression = encoders.task === "regression";
  const sizes = [data.x.rows, ...hidden, data.d.rows];
  const { model, params: fresh } = mlp(sizes, 0, { activation });
  if (JSON.stringify(shapes(tree)) !== JSON.stringify(shapes(fresh))) {
    throw notModel(
      `its tensors do not make a ${
        sizes.join("-")
      } network, as its encoders and layers say.`,
    );
  }
  const params = tree as unknown as Params[];
  const n = data.x.cols;
  const json: Record<string, unknown> = {
    script: "fit_csv",
    data: r.data,
    load: path,
    target: encoders.target.column,
    task: encoders.task,
    rows: n,
    features: encoders.features,
  };
  const lines = [
    `fit_csv: ${path} on ${r.data}, ${n} rows, target ${
      JSON.stringify(encoders.target.column)
    }: ${
      regression
        ? "a number (regression)"
        : `${classNames(encoders).length} classes`
    }`,
    `inputs: ${inputsText(encoders)}; network ${
      sizes.join("-")
    } (${activation}${regression ? "" : ", softmax"})`,
    "",
  ];
  if (regression) {
    const error = rmse(model, params, data, encoders);
    const baseline = spread(data.targets);
    Object.assign(json, { rmse: error, std: baseline });
    lines.push(
      `RMSE ${approx(error)} (in the units of ${
        JSON.stringify(encoders.target.column)
      }; always guessing the mean would give ${approx(baseline)})`,
    );
  } else {
    const output = model.apply(params, data.x);
    const { confusion, table } = confusionText(output, data, encoders);
    const { counts, precision, recall, f1 } = confusion;
    const classes = classNames(encoders);
    Object.assign(json, {
      classes,
      accuracy: confusion.accuracy,
      confusion: { labels: classes, counts, precision, recall, f1 },
    });
    lines.push(
      `confusion matrix of the ${n} rows:`,
      table,
      "",
      `accuracy ${percent(confusion.accuracy)} (${
        Math.round(confusion.accuracy * n)
      }/${n})`,
    );
  }
  if (r.json) console.log(JSON.stringify(json));
  else console.log(lines.join("\n"));
}

await runMain(() => {
  const request = parseRequest(Deno.args);
  if (request === undefined) return;
  if (request.load !== undefined) load(request);
  else train(request);
});
