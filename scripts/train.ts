/**
 * Section 4 of the article (複数回学習させる): 100 steps of gradient descent from
 * the original weights, printing the loss before the update at every 10th
 * step. Also the toolkit's command line: any perceptron, from a JSON file,
 * with any learning rate, number of steps and logging interval.
 *
 * When the learning rate is too large the loss grows; the script then says
 * how large a rate the data allows. The loss Σ(w·x + b − d)² is quadratic in
 * `w`, and one step multiplies the error in `w` by I − 2·lr·x·xᵀ, so training
 * is stable only for lr < 1/λmax, λmax the largest eigenvalue of x·xᵀ (x
 * with a row of ones added when the bias is trained). For the article's one
 * sample x = (5, 2, 7)ᵀ that is λmax = |x|² = 78: stable below
 * 1/78 ≈ 0.01282, and the script suggests 0.0064, about half of that. The
 * numbers come from stability() in lib/perceptron.ts, which the library's
 * train() uses for its own message too.
 *
 * Run: `deno run scripts/train.ts` (see `--help` for the flags).
 *
 * @module
 */
import {
  lineChart,
  type LossRecord,
  type Matrix,
  matrix,
  type Perceptron,
  toArray,
  train,
} from "../mod.ts";
import {
  assertWritable,
  CliError,
  formatNumber,
  formatRows,
  msg,
  parseCount,
  parseFlags,
  parseLang,
  parseNumber,
  readJsonFile,
  runMain,
  tr,
  warn,
  writeFileAtomic,
} from "./_cli.ts";
import { loadParams, saveParams } from "./_model_file.ts";
import {
  MAX_HISTORY,
  MAX_STEPS,
  type Stability,
  stability,
} from "../lib/perceptron.ts";

const HELP =
  `Train the article's perceptron u = w·x + b by gradient descent on Σ(u − d)².

Usage: deno run scripts/train.ts [flags]
       deno run --allow-read=FILE.json scripts/train.ts --config FILE.json [flags]
       deno run --allow-write=FILE.svg scripts/train.ts --plot FILE.svg [flags]

With no flags it repeats the article's section 4: learning rate 0.0001,
100 steps from the original weights, the loss printed every 10 steps, the
bias never updated.

Flags:
  --learning-rate R, --lr R  step size, a number > 0          (default 0.0001)
  --steps N                  number of updates, 1 to 1e9      (default 100)
  --log-every N              print the loss every N steps     (default 10);
                             at most 1e6 losses (steps / N) are kept, and
                             --plot keeps every step's
  --train-bias               also update the bias b           (default: fixed)
  --config FILE.json         read w, x, b, d (nested arrays, one column of x
                             and d per sample) and optionally learningRate,
                             steps, logEvery, trainBias; flags override it.
                             Needs --allow-read=FILE.json.
  --json                     print one JSON object:
                             {"history": [{"step", "loss"}], "finalLoss", "w", "b"}
  --lang en|ja               wording of the output and of error messages
                             (ja: the article's "10 回目: …")
  --plot FILE.svg            draw the loss at every step as an SVG line chart;
                             needs --allow-write=FILE.svg
  --save FILE.safetensors    save the trained w and b (safetensors, F64);
                             needs --allow-write=FILE.safetensors
  --load FILE.safetensors    start from w and b saved by --save instead of the
                             article's (or the config's): the loss at step 0
                             is the saved model's. Needs --allow-read=FILE
  --strict                   fail (exit 1) when the loss grows for 10 steps in
                             a row; without it that is only a warning
  -h, --help                 show this help

When the loss grows for 10 steps in a row, or overflows, the script says on
stderr how large a learning rate the data allows: below 1/λmax, λmax the
largest eigenvalue of x·xᵀ (x with a row of ones when the bias is trained).
For the article's data λmax = 78, so rates below 1/78 ≈ 0.01282 converge.

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
  if (Array.isArray(value)) return tr("an array", "配列");
  if (typeof value === "string") {
    const text = JSON.stringify(value.slice(0, 20));
    return tr(`the string ${text}`, `文字列 ${text}`);
  }
  if (typeof value === "object") return tr("an object", "オブジェクト");
  return String(value);
}

function entries(n: number): string {
  return tr(n === 1 ? "1 entry" : `${n} entries`, `${n} 個`);
}

/** Builds a Matrix from a config field, with messages naming the field. */
function matrixField(value: unknown, name: string, source: string): Matrix {
  const where = tr(`${name} in ${source}`, `${source} の ${name}`);
  const example = tr(
    "a nested array such as [[1, 2], [3, 4]]",
    "[[1, 2], [3, 4]] のような入れ子の配列",
  );
  if (value === undefined) {
    throw new CliError(
      tr(
        `${source} has no field "${name}".`,
        `${source} にフィールド "${name}" がありません。`,
      ),
      tr(
        `It needs w, x, b and d, each ${example}.`,
        `w, x, b, d が要ります。どれも ${example} です。`,
      ),
    );
  }
  if (!Array.isArray(value) || value.length === 0) {
    const got = `${typeName(value)}${
      Array.isArray(value) ? tr(" that is empty", "(空)") : ""
    }`;
    throw new CliError(
      tr(
        `${where} must be ${example}, got ${got}.`,
        `${where} は ${example} にしてください(指定された値: ${got})。`,
      ),
    );
  }
  let cols = -1;
  for (let i = 0; i < value.length; i++) {
    const row: unknown = value[i];
    if (!Array.isArray(row) || row.length === 0) {
      const got = `${typeName(row)}${
        Array.isArray(row) ? tr(" that is empty", "(空)") : ""
      }`;
      throw new CliError(
        tr(
          `Row ${i} of ${where} must be a non-empty array of numbers, got ${got}.`,
          `${where} の ${i} 行目は数の並んだ空でない配列にしてください(指定された値: ${got})。`,
        ),
      );
    }
    if (cols === -1) cols = row.length;
    if (row.length !== cols) {
      throw new CliError(
        tr(
          `${where} is ragged: row ${i} has ${
            entries(row.length)
          } but row 0 has ${entries(cols)}.`,
          `${where} の行の長さがそろっていません: ${i} 行目は ${
            entries(row.length)
          }、0 行目は ${entries(cols)}です。`,
        ),
      );
    }
    for (let j = 0; j < row.length; j++) {
      const entry: unknown = row[j];
      if (typeof entry !== "number" || !Number.isFinite(entry)) {
        throw new CliError(
          tr(
            `${where} has ${
              typeName(entry)
            } at row ${i}, column ${j}: expected a number.`,
            `${where} の ${i} 行 ${j} 列が数ではありません(${
              typeName(entry)
            })。`,
          ),
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
  const hint = tr(
    "w is outputs x inputs, x is inputs x samples, b is outputs x 1, d is outputs x samples.",
    "w は 出力×入力、x は 入力×サンプル、b は 出力×1、d は 出力×サンプル の行列です。",
  );
  if (x.rows !== w.cols) {
    throw new CliError(
      tr(
        `In ${source}, x is ${shape(x)} but w is ${
          shape(w)
        }: x needs ${w.cols} rows, one per column of w.`,
        `${source} の x は ${shape(x)} ですが w は ${
          shape(w)
        } です: x の行数は w の列数と同じ ${w.cols} にしてください。`,
      ),
      hint,
    );
  }
  if (b.rows !== w.rows || b.cols !== 1) {
    throw new CliError(
      tr(
        `In ${source}, b is ${shape(b)} but w is ${
          shape(w)
        }: b must be ${w.rows}x1, one entry per row of w.`,
        `${source} の b は ${shape(b)} ですが w は ${
          shape(w)
        } です: b は w の行ごとに1つ、${w.rows}x1 にしてください。`,
      ),
      hint,
    );
  }
  if (d.rows !== w.rows || d.cols !== x.cols) {
    throw new CliError(
      tr(
        `In ${source}, d is ${
          shape(d)
        } but must be ${w.rows}x${x.cols}: one row per row of w, one column per sample (column of x).`,
        `${source} の d は ${
          shape(d)
        } ですが、w の行ごとに1行、サンプル(x の列)ごとに1列の ${w.rows}x${x.cols} にしてください。`,
      ),
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
        tr(
          `${name} in ${source} must be a whole number of at least 1, got ${
            typeName(value)
          }.`,
          `${source} の ${name} は 1 以上の整数にしてください(指定された値: ${
            typeName(value)
          })。`,
        ),
      );
    }
  } else if (
    typeof value !== "number" || !Number.isFinite(value) || !(value > 0)
  ) {
    throw new CliError(
      tr(
        `${name} in ${source} must be a number greater than 0, got ${
          typeName(value)
        }.`,
        `${source} の ${name} は 0 より大きい数にしてください(指定された値: ${
          typeName(value)
        })。`,
      ),
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
      tr(
        `${path} must hold a JSON object with fields w, x, b and d, got ${
          typeName(raw)
        }.`,
        `${path} には w, x, b, d を持つ JSON オブジェクトを書いてください(中身: ${
          typeName(raw)
        })。`,
      ),
    );
  }
  const config = raw as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!FIELDS.includes(key)) {
      throw new CliError(
        tr(
          `${path} has an unknown field "${key}".`,
          `${path} に知らないフィールド "${key}" があります。`,
        ),
        tr(
          `Allowed fields: ${FIELDS.join(", ")}.`,
          `使えるフィールド: ${FIELDS.join(", ")}。`,
        ),
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
        tr(
          `trainBias in ${path} must be true or false, got ${
            typeName(config.trainBias)
          }.`,
          `${path} の trainBias は true か false にしてください(指定された値: ${
            typeName(config.trainBias)
          })。`,
        ),
      );
    }
    settings.trainBias = config.trainBias;
  }
  return settings;
}

// ---------------------------------------------------------------------------
// How long a run can be

/** Where a setting came from, for the messages: a flag or the config file. */
interface Source {
  /** "--steps", or "steps in FILE.json". */
  name: string;
  /** "--steps 5000", or "steps 5000 in FILE.json". */
  given: (value: number) => string;
}

/**
 * Refuses, before training, a run that train() could not make or whose
 * history would not fit in memory: at most MAX_STEPS steps, at most
 * MAX_HISTORY losses kept (every logEvery-th, or every one for --plot).
 */
function checkLength(
  settings: Settings,
  plot: boolean,
  from: { steps: Source; logEvery: Source },
): void {
  const { steps, logEvery } = settings;
  if (steps > MAX_STEPS) {
    throw new CliError(
      tr(
        `${from.steps.name} must be at most ${MAX_STEPS}, got ${steps}.`,
        `${from.steps.name} は ${MAX_STEPS} 以下にしてください(指定された値: ${steps})。`,
      ),
      tr(
        "To train longer, save the weights with --save and go on from them with --load.",
        "もっと長く学習させるには、--save で重みを保存し、--load でその続きから学習させてください。",
      ),
      2,
    );
  }
  if (plot && steps > MAX_HISTORY) {
    throw new CliError(
      tr(
        `--plot draws the loss at every step, at most ${MAX_HISTORY} steps, but got ${
          from.steps.given(steps)
        }.`,
        `--plot は毎回の Loss を描くので ${MAX_HISTORY} 回までですが、${
          from.steps.given(steps)
        } が指定されました。`,
      ),
      tr(
        `Lower ${from.steps.name} to ${MAX_HISTORY} or less, or leave out --plot.`,
        `${from.steps.name} を ${MAX_HISTORY} 以下にするか、--plot を外してください。`,
      ),
      2,
    );
  }
  const records = Math.ceil(steps / logEvery);
  if (records > MAX_HISTORY) {
    const least = Math.ceil(steps / MAX_HISTORY);
    throw new CliError(
      tr(
        `${from.steps.given(steps)} with ${
          from.logEvery.given(logEvery)
        } would record ${records} losses, more than the ${MAX_HISTORY} a run can keep.`,
        `${from.steps.given(steps)} と ${
          from.logEvery.given(logEvery)
        } では Loss を ${records} 個記録することになりますが、記録できるのは ${MAX_HISTORY} 個までです。`,
      ),
      tr(
        `Raise ${from.logEvery.name} to at least ${least}.`,
        `${from.logEvery.name} を ${least} 以上にしてください。`,
      ),
      2,
    );
  }
}

// ---------------------------------------------------------------------------
// How large a learning rate the data allows (lib/perceptron.ts computes it)

/** The hint: which learning rate to try, and why. */
function advice(
  learningRate: number,
  s: Stability | undefined,
  trainBias: boolean,
): string {
  if (s !== undefined && s.lambdaMax === Infinity) {
    return tr(
      "No learning rate is small enough: x is so large that λmax, the largest eigenvalue of x·xᵀ, overflows. Scale x down.",
      "x の数が大きすぎて、どの学習率でも安定しません(x·xᵀ の最大固有値 λmax があふれます)。x を小さくしてください。",
    );
  }
  if (s === undefined || learningRate < s.limit) {
    return tr(
      `Try a smaller learning rate, such as --learning-rate ${
        learningRate / 10
      }.`,
      `もっと小さい学習率 (smaller learning rate) を試してください。例: --learning-rate ${
        learningRate / 10
      }`,
    );
  }
  const limit = Number(s.limit.toPrecision(4));
  const lambda = formatNumber(s.lambdaMax);
  const of = trainBias
    ? tr(
      "x·xᵀ, x with a row of ones for the trained bias",
      "x·xᵀ(バイアスも学習させるので x に 1 の行を足したもの)",
    )
    : "x·xᵀ";
  return tr(
    `Try a smaller learning rate, such as --learning-rate ${s.suggested}: training is stable only below 1/λmax = ${limit}, where λmax = ${lambda} is the largest eigenvalue of ${of}.`,
    `もっと小さい学習率 (smaller learning rate) を試してください。例: --learning-rate ${s.suggested}。学習が安定するのは学習率が 1/λmax = ${limit} より小さいときです(λmax = ${lambda} は ${of} の最大固有値)。`,
  );
}

/** Turns the library's divergence error into the command line's words. */
function explainDivergence(
  error: unknown,
  learningRate: number,
  offset: number,
  hint: () => string,
): never {
  const match = error instanceof RangeError &&
    /^Training diverged at step (\d+): the loss became (\S+)/.exec(
      error.message,
    );
  if (!match) throw error;
  const step = Number(match[1]) + offset;
  const loss = match[2];
  if (step === 0) {
    throw new CliError(
      tr(
        `Training stopped at step 0: the loss of the starting weights is ${loss}.`,
        `0 回目 (step 0) で学習が止まりました: 最初の重みでの Loss が ${loss} です。`,
      ),
      tr(
        "The numbers in w, x, b or d are too large for float64; scale them down.",
        "w, x, b, d の数が float64 には大きすぎます。小さくしてください。",
      ),
    );
  }
  throw new CliError(
    tr(
      `Training diverged at step ${step}: the loss became ${loss} with learning rate ${learningRate}.`,
      `${step} 回目 (step ${step}) で学習が発散しました: 学習率 ${learningRate} で Loss が ${loss} になりました。`,
    ),
    hint(),
  );
}

// ---------------------------------------------------------------------------
// Training, watched

/** How many increases in a row make a warning. */
const GROWTH_STEPS = 10;

/** Steps per call of train(): the watch needs every loss, not every one kept. */
const CHUNK = 1000;

/** The longest run of steps over which the loss grew at every step. */
interface Growth {
  /** The step the run starts from. */
  from: number;
  /** The step it ends at. */
  to: number;
  /** The loss at `from`. */
  first: number;
  /** The loss at `to`. */
  last: number;
}

/**
 * Watches the loss step by step for a run of increases. An increase smaller
 * than 1e-12 of the first loss is rounding near the minimum, not growth.
 */
class GrowthWatch {
  #start = 0;
  #startLoss = NaN;
  #previous = NaN;
  #first = NaN;
  #longest: Growth | undefined;

  see(step: number, loss: number): void {
    if (Number.isNaN(this.#first)) this.#first = loss;
    const grew = loss > this.#previous &&
      loss - this.#previous > 1e-12 * this.#first;
    if (!grew) {
      this.#start = step;
      this.#startLoss = loss;
    } else if (
      step - this.#start >
        (this.#longest ? this.#longest.to - this.#longest.from : 0)
    ) {
      this.#longest = {
        from: this.#start,
        to: step,
        first: this.#startLoss,
        last: loss,
      };
    }
    this.#previous = loss;
  }

  /** The longest run, if it has at least GROWTH_STEPS increases. */
  get growth(): Growth | undefined {
    const g = this.#longest;
    return g && g.to - g.from >= GROWTH_STEPS ? g : undefined;
  }
}

interface Run {
  params: Perceptron;
  /** Every step's loss when `everyStep`, else every logEvery-th. */
  history: LossRecord[];
  finalLoss: number;
  growth: Growth | undefined;
}

/**
 * Runs train() in chunks, which gives the same numbers as one call (each
 * chunk starts from the last one's weights), so that every step's loss can
 * be watched without keeping them all.
 */
function watchedTrain(settings: Settings, everyStep: boolean): Run {
  const { learningRate, steps, logEvery, trainBias } = settings;
  const watch = new GrowthWatch();
  const history: LossRecord[] = [];
  let params: Perceptron = { w: settings.w, b: settings.b };
  let finalLoss = NaN;
  for (let done = 0; done < steps; done += CHUNK) {
    let result;
    try {
      result = train(params, { x: settings.x, d: settings.d }, {
        learningRate,
        steps: Math.min(CHUNK, steps - done),
        logEvery: 1,
        trainBias,
      });
    } catch (error) {
      explainDivergence(
        error,
        learningRate,
        done,
        () => advice(learningRate, stability(settings.x, trainBias), trainBias),
      );
    }
    for (const record of result.history) {
      const step = record.step + done;
      watch.see(step, record.loss);
      if (everyStep || step % logEvery === 0) {
        history.push({ step, loss: record.loss });
      }
    }
    params = result.params;
    finalLoss = result.finalLoss;
  }
  watch.see(steps, finalLoss);
  return { params, history, finalLoss, growth: watch.growth };
}

/** The words for a run of growing losses: the message and the hint. */
function growthWords(
  g: Growth,
  settings: Settings,
): [message: string, hint: string] {
  const { learningRate, trainBias } = settings;
  const n = g.to - g.from;
  return [
    tr(
      `The loss grew at each of ${n} steps in a row (from ${g.first} at step ${g.from} to ${g.last} at step ${g.to}) with learning rate ${learningRate}: training is diverging.`,
      `学習率 ${learningRate} で Loss が ${n} 回続けて増えました(${g.from} 回目の ${g.first} から ${g.to} 回目の ${g.last} まで): 学習が発散しています。`,
    ),
    advice(learningRate, stability(settings.x, trainBias), trainBias),
  ];
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
    plot: { type: "string" },
    save: { type: "string" },
    load: { type: "string" },
    strict: { type: "boolean" },
    help: { type: "boolean" },
  });
  if (flags.help) {
    console.log(HELP);
    return;
  }
  const lang = parseLang(flags.lang);
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw new CliError(msg("learningRateTwice"), undefined, 2);
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

  // Check before training, so a missing permission is not found only after it.
  if (flags.plot !== undefined) assertWritable(flags.plot, "--plot");
  if (flags.save !== undefined) assertWritable(flags.save, "--save");

  const base = flags.config === undefined
    ? {
      w: matrix(ARTICLE.w),
      x: matrix(ARTICLE.x),
      b: matrix(ARTICLE.b),
      d: matrix(ARTICLE.d),
    } as ReturnType<typeof readConfig>
    : readConfig(flags.config);
  if (flags.load !== undefined) {
    const { params } = loadParams(flags.load, { w: base.w, b: base.b });
    base.w = params.w;
    base.b = params.b;
  }
  const settings: Settings = {
    ...base,
    learningRate: learningRate ?? base.learningRate ?? 0.0001,
    steps: steps ?? base.steps ?? 100,
    logEvery: logEvery ?? base.logEvery ?? 10,
    trainBias: flags["train-bias"] ?? base.trainBias ?? false,
  };
  const source = (flag: string, field: string, inFile: boolean): Source =>
    inFile
      ? {
        name: tr(`${field} in ${flags.config}`, `${flags.config} の ${field}`),
        given: (v) =>
          tr(
            `${field} ${v} in ${flags.config}`,
            `${flags.config} の ${field} ${v}`,
          ),
      }
      : { name: flag, given: (v) => `${flag} ${v}` };
  checkLength(settings, flags.plot !== undefined, {
    steps: source(
      "--steps",
      "steps",
      steps === undefined && base.steps !== undefined,
    ),
    logEvery: source(
      "--log-every",
      "logEvery",
      logEvery === undefined && base.logEvery !== undefined,
    ),
  });

  // The picture shows every step; the text shows every logEvery-th.
  const run = watchedTrain(settings, flags.plot !== undefined);
  if (run.growth !== undefined) {
    const [message, hint] = growthWords(run.growth, settings);
    if (flags.strict) throw new CliError(message, hint);
    warn(message, hint);
  }
  const { finalLoss, params } = run;
  if (flags.save !== undefined) {
    saveParams(flags.save, { w: params.w, b: params.b }, {
      script: "train.ts",
      learningRate: String(settings.learningRate),
      steps: String(settings.steps),
      trainBias: String(settings.trainBias),
    });
  }
  const history = run.history.filter(({ step }) =>
    step % settings.logEvery === 0
  );
  if (flags.plot !== undefined) {
    const svg = lineChart(
      [...run.history, { step: settings.steps, loss: finalLoss }],
      {
        title:
          `Loss Σ(u − d)² during training (learning rate ${settings.learningRate})`,
        xLabel: "step",
        yLabel: "loss",
      },
    );
    writeFileAtomic(flags.plot, svg, { flag: "--plot" });
  }

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
  const w = formatRows(toArray(params.w));
  const b = formatRows(toArray(params.b));
  if (lang === "ja") {
    console.log(
      `学習率 ${lr} で ${n} 回学習させます(サンプル ${samples} 個、バイアスは${
        trainBias ? "更新する" : "固定"
      })`,
    );
    for (const { step, loss } of history) console.log(`${step} 回目: ${loss}`);
    console.log(`${n} 回学習した後の Loss: ${finalLoss}`);
    console.log(`w: ${w}`);
    console.log(`b: ${b}`);
  } else {
    console.log(
      `Training with learning rate ${lr} for ${n} steps on ${samples} sample${
        samples === 1 ? "" : "s"
      }, bias ${trainBias ? "trained" : "fixed"}; loss before each update:`,
    );
    for (const { step, loss } of history) console.log(`step ${step}: ${loss}`);
    console.log(`loss after ${n} steps: ${finalLoss}`);
    console.log(`w: ${w}`);
    console.log(`b: ${b}`);
  }
});
