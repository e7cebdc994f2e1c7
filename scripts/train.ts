/**
 * Section 4 of the article (複数回学習させる): 100 steps of gradient descent from
 * the original weights, printing the loss before the update at every 10th
 * step. Also the toolkit's command line: any perceptron, from a JSON file,
 * with any learning rate, number of steps and logging interval.
 *
 * Run: `deno run scripts/train.ts` (see `--help` for the flags).
 *
 * @module
 */
import { type Matrix, matrix, toArray, train } from "../mod.ts";
import {
  CliError,
  parseCount,
  parseFlags,
  parseNumber,
  readJsonFile,
  runMain,
} from "./_cli.ts";

const HELP =
  `Train the article's perceptron u = w·x + b by gradient descent on Σ(u − d)².

Usage: deno run scripts/train.ts [flags]
       deno run --allow-read=FILE.json scripts/train.ts --config FILE.json [flags]

With no flags it repeats the article's section 4: learning rate 0.0001,
100 steps from the original weights, the loss printed every 10 steps, the
bias never updated.

Flags:
  --learning-rate R, --lr R  step size, a number > 0          (default 0.0001)
  --steps N                  number of updates, N >= 1        (default 100)
  --log-every N              print the loss every N steps     (default 10)
  --train-bias               also update the bias b           (default: fixed)
  --config FILE.json         read w, x, b, d (nested arrays, one column of x
                             and d per sample) and optionally learningRate,
                             steps, logEvery, trainBias; flags override it.
                             Needs --allow-read=FILE.json.
  --json                     print one JSON object:
                             {"history": [{"step", "loss"}], "finalLoss", "w", "b"}
  --lang en|ja               wording of the output (ja: the article's "10 回目: …")
  --help                     show this help

Example config:
  {"w": [[0, 0.3, -0.8], [1, -1.2, 0.5]], "x": [[5], [2], [7]],
   "b": [[1.2], [3.4]], "d": [[1], [0]], "learningRate": 0.0001, "steps": 100}`;

/** The article's model (section 1). */
const ARTICLE = {
  w: [[0, 0.3, -0.8], [1, -1.2, 0.5]],
  x: [[5], [2], [7]],
  b: [[1.2], [3.4]],
  d: [[1], [0]],
};

const FIELDS = [
  "w",
  "x",
  "b",
  "d",
  "learningRate",
  "steps",
  "logEvery",
  "trainBias",
];

interface Settings {
  w: Matrix;
  x: Matrix;
  b: Matrix;
  d: Matrix;
  learningRate: number;
  steps: number;
  logEvery: number;
  trainBias: boolean;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.slice(0, 20))}`;
  }
  if (typeof value === "object") return "an object";
  return String(value);
}

function entries(n: number): string {
  return n === 1 ? "1 entry" : `${n} entries`;
}

/** Builds a Matrix from a config field, with messages naming the field. */
function matrixField(value: unknown, name: string, source: string): Matrix {
  const where = `${name} in ${source}`;
  const example = "a nested array such as [[1, 2], [3, 4]]";
  if (value === undefined) {
    throw new CliError(
      `${source} has no field "${name}".`,
      `It needs w, x, b and d, each ${example}.`,
    );
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new CliError(
      `${where} must be ${example}, got ${typeName(value)}${
        Array.isArray(value) ? " that is empty" : ""
      }.`,
    );
  }
  let cols = -1;
  for (let i = 0; i < value.length; i++) {
    const row: unknown = value[i];
    if (!Array.isArray(row) || row.length === 0) {
      throw new CliError(
        `Row ${i} of ${where} must be a non-empty array of numbers, got ${
          typeName(row)
        }${Array.isArray(row) ? " that is empty" : ""}.`,
      );
    }
    if (cols === -1) cols = row.length;
    if (row.length !== cols) {
      throw new CliError(
        `${where} is ragged: row ${i} has ${
          entries(row.length)
        } but row 0 has ${entries(cols)}.`,
      );
    }
    for (let j = 0; j < row.length; j++) {
      const entry: unknown = row[j];
      if (typeof entry !== "number" || !Number.isFinite(entry)) {
        throw new CliError(
          `${where} has ${
            typeName(entry)
          } at row ${i}, column ${j}: expected a number.`,
        );
      }
    }
  }
  return matrix(value as number[][]);
}

function shape(m: Matrix): string {
  return `${m.rows}x${m.cols}`;
}

/** Checks that w (r x k), x (k x n), b (r x 1) and d (r x n) fit together. */
function checkShapes(
  w: Matrix,
  x: Matrix,
  b: Matrix,
  d: Matrix,
  source: string,
): void {
  const hint =
    "w is outputs x inputs, x is inputs x samples, b is outputs x 1, d is outputs x samples.";
  if (x.rows !== w.cols) {
    throw new CliError(
      `In ${source}, x is ${shape(x)} but w is ${
        shape(w)
      }: x needs ${w.cols} rows, one per column of w.`,
      hint,
    );
  }
  if (b.rows !== w.rows || b.cols !== 1) {
    throw new CliError(
      `In ${source}, b is ${shape(b)} but w is ${
        shape(w)
      }: b must be ${w.rows}x1, one entry per row of w.`,
      hint,
    );
  }
  if (d.rows !== w.rows || d.cols !== x.cols) {
    throw new CliError(
      `In ${source}, d is ${
        shape(d)
      } but must be ${w.rows}x${x.cols}: one row per row of w, one column per sample (column of x).`,
      hint,
    );
  }
}

function configNumber(
  value: unknown,
  name: string,
  source: string,
  count: boolean,
): number {
  if (count) {
    if (
      typeof value !== "number" || !Number.isSafeInteger(value) || value < 1
    ) {
      throw new CliError(
        `${name} in ${source} must be a whole number of at least 1, got ${
          typeName(value)
        }.`,
      );
    }
  } else if (
    typeof value !== "number" || !Number.isFinite(value) || !(value > 0)
  ) {
    throw new CliError(
      `${name} in ${source} must be a number greater than 0, got ${
        typeName(value)
      }.`,
    );
  }
  return value;
}

/** Reads and checks a config file; absent fields stay undefined. */
function readConfig(path: string): Partial<Settings> & {
  w: Matrix;
  x: Matrix;
  b: Matrix;
  d: Matrix;
} {
  const raw = readJsonFile(path, "--config");
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new CliError(
      `${path} must hold a JSON object with fields w, x, b and d, got ${
        typeName(raw)
      }.`,
    );
  }
  const config = raw as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!FIELDS.includes(key)) {
      throw new CliError(
        `${path} has an unknown field "${key}".`,
        `Allowed fields: ${FIELDS.join(", ")}.`,
      );
    }
  }
  const w = matrixField(config.w, "w", path);
  const x = matrixField(config.x, "x", path);
  const b = matrixField(config.b, "b", path);
  const d = matrixField(config.d, "d", path);
  checkShapes(w, x, b, d, path);
  const settings: ReturnType<typeof readConfig> = { w, x, b, d };
  if (config.learningRate !== undefined) {
    settings.learningRate = configNumber(
      config.learningRate,
      "learningRate",
      path,
      false,
    );
  }
  if (config.steps !== undefined) {
    settings.steps = configNumber(config.steps, "steps", path, true);
  }
  if (config.logEvery !== undefined) {
    settings.logEvery = configNumber(config.logEvery, "logEvery", path, true);
  }
  if (config.trainBias !== undefined) {
    if (typeof config.trainBias !== "boolean") {
      throw new CliError(
        `trainBias in ${path} must be true or false, got ${
          typeName(config.trainBias)
        }.`,
      );
    }
    settings.trainBias = config.trainBias;
  }
  return settings;
}

/** Turns the library's divergence error into the command line's words. */
function explainDivergence(error: unknown, learningRate: number): never {
  const match = error instanceof RangeError &&
    /^Training diverged at step (\d+): the loss became (\S+)/.exec(
      error.message,
    );
  if (!match) throw error;
  const [, step, loss] = match;
  if (step === "0") {
    throw new CliError(
      `Training stopped at step 0: the loss of the starting weights is ${loss}.`,
      "The numbers in w, x, b or d are too large for float64; scale them down.",
    );
  }
  throw new CliError(
    `Training diverged at step ${step}: the loss became ${loss} with learning rate ${learningRate}.`,
    `Try a smaller learning rate, such as --learning-rate ${
      learningRate / 10
    }.`,
  );
}

function format(m: Matrix): string {
  return `[${toArray(m).map((row) => `[${row.join(", ")}]`).join(", ")}]`;
}

runMain(() => {
  const flags = parseFlags(Deno.args, {
    "learning-rate": { type: "string" },
    lr: { type: "string" },
    steps: { type: "string" },
    "log-every": { type: "string" },
    "train-bias": { type: "boolean" },
    config: { type: "string" },
    json: { type: "boolean" },
    lang: { type: "string" },
    help: { type: "boolean" },
  });
  if (flags.help) {
    console.log(HELP);
    return;
  }
  const lang = flags.lang ?? "en";
  if (lang !== "en" && lang !== "ja") {
    throw new CliError(
      `--lang must be en or ja, got ${JSON.stringify(lang)}.`,
      undefined,
      2,
    );
  }
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw new CliError(
      "Give the learning rate once: --learning-rate and --lr are the same flag.",
      undefined,
      2,
    );
  }
  // Parse every flag before reading the file, so a typo is reported first.
  const lrText = flags["learning-rate"] ?? flags.lr;
  const lrFlag = flags["learning-rate"] !== undefined
    ? "--learning-rate"
    : "--lr";
  const learningRate = lrText === undefined
    ? undefined
    : parseNumber(lrText, lrFlag, { positive: true });
  const steps = flags.steps === undefined
    ? undefined
    : parseCount(flags.steps, "--steps");
  const logEvery = flags["log-every"] === undefined
    ? undefined
    : parseCount(flags["log-every"], "--log-every");

  const base = flags.config === undefined
    ? {
      w: matrix(ARTICLE.w),
      x: matrix(ARTICLE.x),
      b: matrix(ARTICLE.b),
      d: matrix(ARTICLE.d),
    } as ReturnType<typeof readConfig>
    : readConfig(flags.config);
  const settings: Settings = {
    ...base,
    learningRate: learningRate ?? base.learningRate ?? 0.0001,
    steps: steps ?? base.steps ?? 100,
    logEvery: logEvery ?? base.logEvery ?? 10,
    trainBias: flags["train-bias"] ?? base.trainBias ?? false,
  };

  let result;
  try {
    result = train(
      { w: settings.w, b: settings.b },
      { x: settings.x, d: settings.d },
      {
        learningRate: settings.learningRate,
        steps: settings.steps,
        logEvery: settings.logEvery,
        trainBias: settings.trainBias,
      },
    );
  } catch (error) {
    explainDivergence(error, settings.learningRate);
  }
  const { history, finalLoss, params } = result;

  if (flags.json) {
    console.log(JSON.stringify({
      history,
      finalLoss,
      w: toArray(params.w),
      b: toArray(params.b),
    }));
    return;
  }

  const { steps: n, learningRate: lr, trainBias } = settings;
  const samples = settings.x.cols;
  if (lang === "ja") {
    console.log(
      `学習率 ${lr} で ${n} 回学習させます(サンプル ${samples} 個、バイアスは${
        trainBias ? "更新する" : "固定"
      })`,
    );
    for (const { step, loss } of history) console.log(`${step} 回目: ${loss}`);
    console.log(`${n} 回学習した後の Loss: ${finalLoss}`);
    console.log(`w: ${format(params.w)}`);
    console.log(`b: ${format(params.b)}`);
  } else {
    console.log(
      `Training with learning rate ${lr} for ${n} steps on ${samples} sample${
        samples === 1 ? "" : "s"
      }, bias ${trainBias ? "trained" : "fixed"}; loss before each update:`,
    );
    for (const { step, loss } of history) console.log(`step ${step}: ${loss}`);
    console.log(`loss after ${n} steps: ${finalLoss}`);
    console.log(`w: ${format(params.w)}`);
    console.log(`b: ${format(params.b)}`);
  }
});
