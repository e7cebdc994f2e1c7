/**
 * Small classification data sets, generated offline from a seed, and the
 * helpers to use real ones: one-hot targets, building a data set from
 * per-sample rows and a seeded, stratified train/test split.
 *
 * As everywhere in the toolkit, samples are the COLUMNS of `x`: a data set of
 * n points with f features has `x` f x n and `oneHot` k x n for k classes.
 *
 * @module
 */
import {
  arrayCallback,
  assertInRange,
  assertInteger,
  assertMatrix,
  assertNumber,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import { createRng, shuffle } from "../core/random.ts";

/** A labelled data set, one sample per column. */
export interface Dataset {
  /** Inputs, f x n: one column per sample. */
  readonly x: Matrix;
  /** The class of each sample: n integers from 0 to `classes − 1`. */
  readonly labels: readonly number[];
  /** The same classes as one-hot columns, `classes` x n. */
  readonly oneHot: Matrix;
  /** The number of classes. */
  readonly classes: number;
}

/** Options for {@linkcode spiral}. */
export interface SpiralOptions {
  /**
   * Points in each arm, from 2 to 100000.
   *
   * @default {100}
   */
  pointsPerClass?: number;
  /**
   * Number of arms, one class each, from 2 to 10.
   *
   * @default {3}
   */
  classes?: number;
  /**
   * Standard deviation of the normal noise added to each point's angle,
   * from 0 to 1000000.
   *
   * @default {0.2}
   */
  noise?: number;
}

/** Options for {@linkcode moons}. */
export interface MoonsOptions {
  /**
   * Number of points in all, from 2 to 1000000: half on each moon (the
   * upper one gets the odd one).
   *
   * @default {200}
   */
  samples?: number;
  /**
   * Standard deviation of the normal noise added to each coordinate, from 0
   * to 1000000.
   *
   * @default {0.1}
   */
  noise?: number;
}

/** Options for {@linkcode trainTestSplit}. */
export interface SplitOptions {
  /**
   * The share of each class held out for testing, above 0 and below 1.
   *
   * @default {0.2}
   */
  testFraction?: number;
}

/** What {@linkcode trainTestSplit} returns. */
export interface Split {
  /** The samples to train on. */
  readonly train: Dataset;
  /** The held-out samples. */
  readonly test: Dataset;
}

function checkSeed(seed: unknown, fn: string): number {
  if (typeof seed !== "number") {
    throw new TypeError(
      `Expected seed of ${fn} to be an integer, got ${describe(seed)}`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(
      `Expected seed of ${fn} to be a safe integer, got ${seed}`,
    );
  }
  return seed;
}

/** The most entries a data set's matrices may hold, as for matrix(rows). */
const MAX_ENTRIES = 2 ** 26;
/** The most classes a data set may have. */
const MAX_CLASSES = 10000;
/** The most standard deviation of noise: far beyond any useful amount. */
const MAX_NOISE = 1e6;

/** Builds the one-hot matrix without checking the labels. */
function oneHotOf(labels: readonly number[], classes: number): Matrix {
  const n = labels.length;
  const data = new Float64Array(classes * n);
  for (let j = 0; j < n; j++) data[labels[j] * n + j] = 1;
  return fromData(classes, n, data);
}

/** Checks class numbers and copies them into a fresh array. */
function checkLabels(
  labels: unknown,
  fn: string,
  name: string,
  classes = MAX_CLASSES,
): number[] {
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a non-empty array of class numbers, got ${
        describe(labels)
      }`,
    );
  }
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const c: unknown = labels[i];
    if (typeof c !== "number") {
      throw new TypeError(
        `Expected ${name} of ${fn} to hold class numbers, got ${
          describe(c)
        } at ${i}`,
      );
    }
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(
        `Expected ${name} of ${fn} to hold integers from 0 to ${
          classes - 1
        }, got ${c} at ${i}`,
      );
    }
    out.push(c);
  }
  return out;
}

/** Throws a RangeError naming `fn` when a rows x cols matrix is too large. */
function checkEntries(rows: number, cols: number, fn: string, what: string) {
  if (rows * cols > MAX_ENTRIES) {
    throw new RangeError(
      `Cannot build a ${rows}x${cols} ${what} in ${fn}: it would hold more than ${MAX_ENTRIES} entries`,
    );
  }
}

/**
 * One-hot columns for class numbers: column j is all zeros but a 1 in row
 * `labels[j]`.
 *
 * @param labels The class of each sample: integers from 0.
 * @param classes The number of classes, the rows of the result.
 * @returns A `classes` x `labels.length` Matrix of zeros and ones.
 * @throws {TypeError} When `labels` is not a non-empty array of numbers or
 * `classes` is not a number.
 * @throws {RangeError} When a label is not an integer from 0 to
 * `classes − 1`, `classes` is not an integer from 1 to 10000, or the result
 * would hold more than 2^26 entries.
 *
 * @example Usage
 * ```ts
 * import { oneHot } from "./datasets.ts";
 * import { toArray } from "../core/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(oneHot([0, 2, 1], 3)), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
 * ```
 */
export function oneHot(labels: readonly number[], classes: number): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("oneHot(labels, classes)", arguments.length);
  }
  const fn = "oneHot(labels, classes)";
  assertInteger(classes, fn, "classes", 1, MAX_CLASSES);
  const list = checkLabels(labels, fn, "labels", classes);
  checkEntries(classes, list.length, fn, "one-hot matrix");
  return oneHotOf(list, classes);
}

/**
 * Builds a {@linkcode Dataset} from one row of features per sample, as data
 * usually comes, turning the rows into the columns of `x`.
 *
 * @param samples One array of f finite numbers per sample.
 * @param labels The class of each sample: integers from 0.
 * @returns The data set; its number of classes is the largest label plus 1.
 * @throws {TypeError} When an argument is not an array of the right kind.
 * @throws {RangeError} When the rows are empty or ragged, a feature is not
 * finite, the counts of samples and labels differ, a label is not an
 * integer from 0 to 9999, or a matrix would hold more than 2^26 entries.
 *
 * @example Three samples of two features
 * ```ts
 * import { fromSamples } from "./datasets.ts";
 * import { toArray } from "../core/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const data = fromSamples([[1, 2], [3, 4], [5, 6]], [0, 1, 1]);
 * assert.deepEqual(toArray(data.x), [[1, 3, 5], [2, 4, 6]]);
 * assert.equal(data.classes, 2);
 * ```
 */
export function fromSamples(
  samples: readonly (readonly number[])[],
  labels: readonly number[],
): Dataset {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("fromSamples(samples, labels)", arguments.length);
  }
  const fn = "fromSamples(samples, labels)";
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new TypeError(
      `Expected samples of ${fn} to be a non-empty array of rows, got ${
        describe(samples)
      }`,
    );
  }
  const classLabels = checkLabels(labels, fn, "labels");
  const n = samples.length;
  if (classLabels.length !== n) {
    throw new RangeError(
      `Cannot label ${n} samples with ${classLabels.length} labels in ${fn}: give one label per sample`,
    );
  }
  let f = 0;
  let data = new Float64Array(0);
  for (let j = 0; j < n; j++) {
    const row: unknown = samples[j];
    if (!Array.isArray(row) || (j === 0 && row.length === 0)) {
      throw new TypeError(
        `Expected sample ${j} of ${fn} to be a non-empty array of numbers, got ${
          describe(row)
        }`,
      );
    }
    if (j === 0) {
      f = row.length;
      checkEntries(f, n, fn, "data set");
      data = new Float64Array(f * n);
    } else if (row.length !== f) {
      throw new RangeError(
        `Cannot build a data set in ${fn}: sample ${j} has ${row.length} features but sample 0 has ${f}`,
      );
    }
    for (let i = 0; i < f; i++) {
      const v: unknown = row[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `Cannot build a data set in ${fn}: feature ${i} of sample ${j} is ${
            describe(v)
          }, expected a finite number`,
        );
      }
      data[i * n + j] = v;
    }
  }
  let classes = 1;
  for (const c of classLabels) classes = Math.max(classes, c + 1);
  checkEntries(classes, n, fn, "one-hot matrix");
  return {
    x: fromData(f, n, data),
    labels: classLabels,
    oneHot: oneHotOf(classLabels, classes),
    classes,
  };
}

/**
 * The XOR problem: the four corners of the unit square, class 1 where
 * exactly one coordinate is 1. No straight line separates the classes, so a
 * perceptron without a hidden layer cannot learn it.
 *
 * @returns The 4 points as the columns of a 2 x 4 `x`, in the order (0,0),
 * (0,1), (1,0), (1,1), with labels 0, 1, 1, 0.
 *
 * @example Usage
 * ```ts
 * import { xor } from "./datasets.ts";
 * import { toArray } from "../core/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const data = xor();
 * assert.deepEqual(toArray(data.x), [[0, 0, 1, 1], [0, 1, 0, 1]]);
 * assert.deepEqual(data.labels, [0, 1, 1, 0]);
 * ```
 */
export function xor(): Dataset {
  if (arguments.length > 0 && !arrayCallback(arguments, 0)) {
    throw tooManyArguments("xor()", arguments.length);
  }
  const labels = [0, 1, 1, 0];
  return {
    x: fromData(2, 4, new Float64Array([0, 0, 1, 1, 0, 1, 0, 1])),
    labels,
    oneHot: oneHotOf(labels, 2),
    classes: 2,
  };
}

/** n evenly spaced numbers from a to b, both included, as numpy.linspace. */
function linspace(a: number, b: number, n: number): number[] {
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => i === n - 1 ? b : a + i * step);
}

/**
 * Interleaved spiral arms, one class each, as in Stanford's CS231n notes:
 * for arm j, radii r = linspace(0, 1, N) and angles t = linspace(4j, 4(j+1),
 * N) + noise·N(0, 1), giving the points (r·sin t, r·cos t). No straight line
 * separates the arms: a network needs a hidden layer to learn them.
 *
 * @param seed The seed of the noise: a safe integer. The same seed
 * gives the same points.
 * @param options Points per arm, number of arms and noise.
 * @returns The `classes · pointsPerClass` points as the columns of `x` (2 x
 * n), arm by arm.
 * @throws {TypeError} When `seed` or an option has the wrong type.
 * @throws {RangeError} When `seed` or an option is out of range.
 *
 * @example Three arms of 100 points
 * ```ts
 * import { spiral } from "./datasets.ts";
 * import assert from "node:assert/strict";
 *
 * const data = spiral(42);
 * assert.deepEqual(data.x.shape, [2, 300]);
 * assert.deepEqual(data.oneHot.shape, [3, 300]);
 * assert.deepEqual(spiral(42).x, data.x);
 * ```
 */
export function spiral(seed: number, options: SpiralOptions = {}): Dataset {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("spiral(seed, options)", arguments.length, 1);
  }
  const fn = "spiral(seed, options)";
  checkSeed(seed, fn);
  const opts = readOptions(options, fn, ["pointsPerClass", "classes", "noise"]);
  const per = assertInteger(
    opts.pointsPerClass ?? 100,
    fn,
    "options.pointsPerClass",
    2,
    1e5,
  );
  const classes = assertInteger(
    opts.classes ?? 3,
    fn,
    "options.classes",
    2,
    10,
  );
  const noise = assertInRange(
    opts.noise ?? 0.2,
    fn,
    "options.noise",
    0,
    MAX_NOISE,
  );
  const rng = createRng(seed);
  const n = per * classes;
  const data = new Float64Array(2 * n);
  const labels: number[] = [];
  const r = linspace(0, 1, per);
  for (let j = 0; j < classes; j++) {
    const t = linspace(4 * j, 4 * (j + 1), per);
    for (let i = 0; i < per; i++) {
      const angle = t[i] + noise * rng.normal();
      const s = j * per + i;
      data[s] = r[i] * Math.sin(angle);
      data[n + s] = r[i] * Math.cos(angle);
      labels.push(j);
    }
  }
  return {
    x: fromData(2, n, data),
    labels,
    oneHot: oneHotOf(labels, classes),
    classes,
  };
}

/**
 * Two interleaving half circles ("moons"), as scikit-learn's `make_moons`:
 * class 0 on (cos θ, sin θ) and class 1 on (1 − cos θ, 0.5 − sin θ) for θ
 * evenly spaced from 0 to π, each coordinate moved by noise·N(0, 1).
 *
 * @param seed The seed of the noise: a safe integer. The same seed
 * gives the same points.
 * @param options Number of points and noise.
 * @returns The points as the columns of `x` (2 x n), the upper moon first.
 * @throws {TypeError} When `seed` or an option has the wrong type.
 * @throws {RangeError} When `seed` or an option is out of range.
 *
 * @example Usage
 * ```ts
 * import { moons } from "./datasets.ts";
 * import assert from "node:assert/strict";
 *
 * const data = moons(7, { samples: 11 });
 * assert.deepEqual(data.x.shape, [2, 11]);
 * assert.deepEqual(data.labels, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
 * ```
 */
export function moons(seed: number, options: MoonsOptions = {}): Dataset {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("moons(seed, options)", arguments.length, 1);
  }
  const fn = "moons(seed, options)";
  checkSeed(seed, fn);
  const opts = readOptions(options, fn, ["samples", "noise"]);
  const n = assertInteger(opts.samples ?? 200, fn, "options.samples", 2, 1e6);
  const noise = assertInRange(
    opts.noise ?? 0.1,
    fn,
    "options.noise",
    0,
    MAX_NOISE,
  );
  const rng = createRng(seed);
  const upper = Math.ceil(n / 2);
  const lower = n - upper;
  const data = new Float64Array(2 * n);
  const labels: number[] = [];
  const tu = linspace(0, Math.PI, upper);
  const tl = linspace(0, Math.PI, lower);
  for (let s = 0; s < n; s++) {
    const isUpper = s < upper;
    const t = isUpper ? tu[s] : tl[s - upper];
    const x = isUpper ? Math.cos(t) : 1 - Math.cos(t);
    const y = isUpper ? Math.sin(t) : 0.5 - Math.sin(t);
    data[s] = x + noise * rng.normal();
    data[n + s] = y + noise * rng.normal();
    labels.push(isUpper ? 0 : 1);
  }
  return {
    x: fromData(2, n, data),
    labels,
    oneHot: oneHotOf(labels, 2),
    classes: 2,
  };
}

/** Picks columns of a data set into a new one. */
function pick(
  data: { x: Matrix; labels: readonly number[]; classes: number },
  columns: readonly number[],
): Dataset {
  const src = dataOf(data.x);
  const f = data.x.rows;
  const n = data.x.cols;
  const m = columns.length;
  const out = new Float64Array(f * m);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < m; j++) out[i * m + j] = src[i * n + columns[j]];
  }
  const labels = columns.map((c) => data.labels[c]);
  return {
    x: fromData(f, m, out),
    labels,
    oneHot: oneHotOf(labels, data.classes),
    classes: data.classes,
  };
}

/**
 * Splits a data set into a training and a test set, at random from a seed
 * and stratified: each class gives the same share, rounded, to the test set
 * (at least one sample of every class with two or more stays in training,
 * and one goes to testing). Both sets come out shuffled.
 *
 * @param data The data set to split.
 * @param seed The seed of the shuffle: a safe integer.
 * @param options The share held out for testing.
 * @returns The two sets; together they hold every sample exactly once.
 * @throws {TypeError} When `data` is not a data set, `seed` not a number or
 * `options` not an object of known options.
 * @throws {RangeError} When `seed` or `testFraction` is out of range, or a
 * set would be empty.
 *
 * @example A fifth held out
 * ```ts
 * import { spiral, trainTestSplit } from "./datasets.ts";
 * import assert from "node:assert/strict";
 *
 * const { train, test } = trainTestSplit(spiral(1), 2);
 * assert.equal(train.x.cols, 240);
 * assert.equal(test.x.cols, 60);
 * assert.equal(test.labels.filter((c) => c === 0).length, 20);
 * ```
 */
export function trainTestSplit(
  data: Dataset,
  seed: number,
  options: SplitOptions = {},
): Split {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "trainTestSplit(data, seed, options)",
      arguments.length,
      2,
    );
  }
  const fn = "trainTestSplit(data, seed, options)";
  assertRecord(data, fn, "data", "a data set { x, labels, oneHot, classes }");
  const { x, labels: rawLabels, classes: rawClasses } = data;
  assertMatrix(x, fn, "data.x");
  const classes = assertInteger(rawClasses, fn, "data.classes", 1, MAX_CLASSES);
  const labels = checkLabels(rawLabels, fn, "data.labels", classes);
  if (labels.length !== x.cols) {
    throw new RangeError(
      `Cannot split data.x ${
        shapeText(x)
      } with ${labels.length} labels in ${fn}: give one label per column`,
    );
  }
  checkEntries(classes, x.cols, fn, "one-hot matrix");
  checkSeed(seed, fn);
  const opts = readOptions(options, fn, ["testFraction"]);
  const fraction = opts.testFraction ?? 0.2;
  assertNumber(fraction, fn, "options.testFraction");
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(
      `Expected options.testFraction of ${fn} to be a number above 0 and below 1, got ${fraction}`,
    );
  }
  const checked = { x, labels, classes };
  const n = x.cols;
  const counts = new Array(classes).fill(0);
  for (const c of labels) counts[c]++;
  const quota = counts.map((k) =>
    k < 2 ? 0 : Math.min(k - 1, Math.max(1, Math.round(k * fraction)))
  );
  // A Fisher–Yates shuffle of all indices, then each class's first `quota`
  // indices in shuffled order go to the test set.
  const order = shuffle(n, createRng(seed));
  const taken = new Array(classes).fill(0);
  const train: number[] = [];
  const test: number[] = [];
  for (const i of order) {
    const c = labels[i];
    if (taken[c] < quota[c]) {
      taken[c]++;
      test.push(i);
    } else {
      train.push(i);
    }
  }
  if (test.length === 0 || train.length === 0) {
    throw new RangeError(
      `Cannot split ${n} samples in ${fn}: the ${
        test.length === 0 ? "test" : "training"
      } set would be empty`,
    );
  }
  return { train: pick(checked, train), test: pick(checked, test) };
}
