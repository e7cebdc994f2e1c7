/**
 * Metrics: {@linkcode accuracy}, and {@linkcode evaluate} for a model's loss
 * and accuracy on a data set. Samples are columns, as in the article.
 *
 * @module
 */
import {
  arrayCallback,
  assertChoice,
  assertFunction,
  assertMatrix,
  assertRecord,
  assertSameShape,
  count,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, isMatrix, type Matrix } from "../core/_matrix.ts";
import type { Samples } from "../core/matrix.ts";
import { classesOf, countCorrect } from "../kernels/_nn.ts";
import type { Params } from "../autodiff/grad.ts";
import {
  assertProbabilityColumns,
  mse,
  softmaxCrossEntropy,
  squaredError,
} from "../ops/losses.ts";
import type { Model } from "../nn/sequential.ts";

/** The end of a message on labels that softmaxCrossEntropy cannot use. */
export const CROSS_ENTROPY_LABELS =
  `, as the loss "softmaxCrossEntropy" needs; for other targets choose options.loss "mse"`;

/** The built-in losses, by name. */
export type LossName = "softmaxCrossEntropy" | "mse" | "squaredError";

/**
 * A loss: a built-in name, or a function of the model's output, the targets
 * and the parameters that returns a number or a 1x1 Matrix, written with the
 * toolkit's differentiable ops. The parameters let a loss add a penalty on
 * the weights, such as weight decay (L2): see `l2Penalty`. In
 * JavaScript, the toolkit's own `softmaxCrossEntropy`, `mse` and
 * `squaredError` may be passed as functions too: they count as their names.
 */
export type Loss =
  | LossName
  | ((output: Matrix, d: Matrix, params: readonly Params[]) => number | Matrix);

/**
 * The name of a built-in loss passed as its function (`loss: mse` for
 * `loss: "mse"`: the functions take options, not the parameters, as their
 * third argument), or `loss` itself.
 */
export function lossName(loss: unknown): unknown {
  if (loss === softmaxCrossEntropy) return "softmaxCrossEntropy";
  if (loss === mse) return "mse";
  if (loss === squaredError) return "squaredError";
  return loss;
}

/** A loss as a function returning a 1x1 Matrix or a number. */
export function lossFunction(
  loss: unknown,
  fn: string,
  name: string,
): (output: Matrix, d: Matrix, params: readonly Params[]) => number | Matrix {
  loss = lossName(loss);
  if (typeof loss === "function") {
    assertFunction(loss, fn, name);
    return loss as (
      output: Matrix,
      d: Matrix,
      params: readonly Params[],
    ) => number | Matrix;
  }
  switch (
    assertChoice(loss, fn, name, ["softmaxCrossEntropy", "mse", "squaredError"])
  ) {
    case "softmaxCrossEntropy":
      return (u, d) => softmaxCrossEntropy(u, d, { keepdims: true });
    case "mse":
      return (u, d) => mse(u, d, { keepdims: true });
    default:
      return (u, d) => squaredError(u, d, { keepdims: true });
  }
}

/** A finite number from a loss's result (a number or a 1x1 Matrix). */
export function lossValue(value: unknown, fn: string): number {
  const v = isMatrix(value) && value.rows === 1 && value.cols === 1
    ? dataOf(value)[0]
    : value;
  if (typeof v !== "number") {
    throw new TypeError(
      `Expected the loss in ${fn} to return a number or a 1x1 Matrix, got ${
        describe(value)
      }`,
    );
  }
  if (!Number.isFinite(v)) {
    throw new RangeError(
      `Expected the loss in ${fn} to be a finite number, got ${v}`,
    );
  }
  return v;
}

/**
 * Checks that `model` is a model (a record with the functions `methods`,
 * `apply` first) and that `params` is an array, with one entry per layer
 * when the model lists its layers.
 */
export function checkModel(
  model: unknown,
  params: unknown,
  fn: string,
  methods: readonly string[],
): void {
  assertRecord(model, fn, "model", "a model from sequential or mlp");
  for (const method of methods) {
    if (typeof model[method] !== "function") {
      throw new TypeError(
        `Expected model.${method} of ${fn} to be a function (model must be a model from sequential or mlp), got ${
          describe(model[method])
        }`,
      );
    }
  }
  const layers = model.layers;
  if (
    !Array.isArray(params) ||
    (Array.isArray(layers) && params.length !== layers.length)
  ) {
    const expected = Array.isArray(layers)
      ? `an array of ${count(layers.length, "layer parameter")}`
      : "an array of layer parameters";
    throw new TypeError(
      `Expected params of ${fn} to be ${expected} (from model.init), got ${
        describe(params)
      }`,
    );
  }
}

/** Checks `{ x, d }` with as many columns in each; returns it. */
export function checkSamples(data: unknown, fn: string, name: string): Samples {
  assertRecord(data, fn, name, "an object { x, d } of matrices");
  const { x, d } = data;
  assertMatrix(x, fn, `${name}.x`);
  assertMatrix(d, fn, `${name}.d`);
  if (x.cols !== d.cols) {
    throw new RangeError(
      `Cannot pair ${name}.x of ${x.cols} samples with ${name}.d of ${d.cols} in ${fn}: both need one column per sample`,
    );
  }
  return { x, d };
}

/** What {@linkcode evaluate} returns. */
export interface Evaluation {
  /** The loss over all samples. */
  readonly loss: number;
  /** The fraction of samples classified correctly (see {@linkcode accuracy}). */
  readonly accuracy: number;
}

/** Options for {@linkcode evaluate}. */
export interface EvaluateOptions {
  /**
   * The loss: a name or a function (see {@linkcode Loss}).
   *
   * @default {"softmaxCrossEntropy"}
   */
  loss?: Loss;
  /**
   * The model's state, such as batch normalization's running averages
   * returned by `fit` as `modelState`.
   *
   * @default {model.initState()}
   */
  state?: readonly Params[];
}

/**
 * The loss and accuracy of a model on a data set, in evaluation mode
 * (dropout off, batch normalization on its running averages).
 *
 * @param model The model (see `sequential` and `mlp`).
 * @param params Its parameters.
 * @param data Inputs `x` (k x n) and targets `d` (r x n), one column per sample.
 * @param options The loss, and the model's state.
 * @returns The loss and the accuracy.
 * @throws {TypeError} When `model` is not a model (a record with an `apply`
 * function) or `params` not an array with one entry per layer, `data` is
 * not `{ x, d }` of matrices, `loss` is not a known name or a function, or
 * an option is unknown.
 * @throws {RangeError} When the shapes do not fit, the targets are not
 * probability columns (entries from 0 to 1, each column summing to 1 within
 * 1e-6, such as one-hot columns) while the loss is "softmaxCrossEntropy",
 * the default, or the loss is not a finite number (it overflows).
 *
 * @example Usage
 * ```ts
 * import { evaluate, matrix, mlp } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { model, params } = mlp([1, 2], 0);
 * const x = matrix([[0, 0]]);
 * const d = matrix([[1, 0], [0, 1]]);
 * const { loss, accuracy } = evaluate(model, params, { x, d });
 * assert.equal(loss, Math.LN2); // all-zero logits: a fair coin
 * assert.equal(accuracy, 0.5); // ties go to the first class
 * ```
 */
export function evaluate(
  model: Model,
  params: readonly Params[],
  data: Samples,
  options: EvaluateOptions = {},
): Evaluation {
  if (arguments.length > 4 && !arrayCallback(arguments, 4)) {
    throw tooManyArguments(
      "evaluate(model, params, data, options)",
      arguments.length,
      3,
    );
  }
  const fn = "evaluate(model, params, data, options)";
  checkModel(model, params, fn, ["apply"]);
  const { x, d } = checkSamples(data, fn, "data");
  const o = readOptions(options, fn, ["loss", "state"]);
  const f = lossFunction(o.loss ?? "softmaxCrossEntropy", fn, "options.loss");
  const y: unknown = model.apply(
    params,
    x,
    o.state === undefined ? {} : { state: o.state as readonly Params[] },
  );
  if (!isMatrix(y)) {
    throw new TypeError(
      `Expected model.apply of ${fn} to return a Matrix, got ${describe(y)}`,
    );
  }
  assertSameShape(y, d, fn, "compare the output", ["the output", "data.d"]);
  if (lossName(o.loss ?? "softmaxCrossEntropy") === "softmaxCrossEntropy") {
    assertProbabilityColumns(d, fn, "data.d", CROSS_ENTROPY_LABELS);
  }
  return {
    loss: lossValue(f(y, d, params), fn),
    accuracy: countCorrect(dataOf(y), dataOf(d), d.rows, d.cols) / d.cols,
  };
}

/**
 * The fraction of samples (columns) classified correctly. With several rows,
 * a sample's class is the row of its largest entry (the first one on ties),
 * for outputs and targets alike (one-hot targets). With one row, it is a
 * binary classifier: the class is whether the entry is at least 0.5, so
 * targets are 0 or 1 and outputs are probabilities or scores around 0.5.
 *
 * @param output The model's outputs (logits, probabilities or scores), r x n.
 * @param targets The targets, r x n.
 * @returns A number from 0 to 1.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ.
 *
 * @example Two of three columns right
 * ```ts
 * import { accuracy, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const output = matrix([[2, 0.1, 5], [1, 0.3, 7]]);
 * const labels = matrix([[1, 0, 1], [0, 1, 0]]);
 * assert.equal(accuracy(output, labels), 2 / 3);
 * ```
 */
export function accuracy(output: Matrix, targets: Matrix): number {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("accuracy(output, targets)", arguments.length);
  }
  const fn = "accuracy(output, targets)";
  assertMatrix(output, fn, "output");
  assertMatrix(targets, fn, "targets");
  assertSameShape(output, targets, fn, "compare", ["output", "targets"]);
  return countCorrect(
    dataOf(output),
    dataOf(targets),
    output.rows,
    output.cols,
  ) / output.cols;
}

/**
 * The class of each sample (column): the row of its largest entry, the first
 * on ties, as numpy's `m.argmax(axis=0)`. For a single row (a binary
 * classifier's probabilities), 1 where the entry is at least 0.5, else 0.
 *
 * @param m An r x n matrix of scores, one column per sample.
 * @returns n class indices.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { argmax, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(argmax(matrix([[1, 5, 2], [3, 0, 2]])), [1, 0, 0]);
 * ```
 */
export function argmax(m: Matrix): number[] {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("argmax(m)", arguments.length);
  }
  assertMatrix(m, "argmax(m)", "m");
  return Array.from(classesOf(dataOf(m), m.rows, m.cols));
}

/** What {@linkcode confusionMatrix} returns. */
export interface Confusion {
  /** The number of classes, k. */
  readonly classes: number;
  /**
   * counts[i][j]: the samples of true class i predicted as class j (rows are
   * the truth, columns the prediction, as scikit-learn's `confusion_matrix`).
   */
  readonly counts: readonly (readonly number[])[];
  /**
   * Per class: correct predictions of it over all predictions of it (0 when
   * it was never predicted, as scikit-learn's default `zero_division`).
   */
  readonly precision: readonly number[];
  /** Per class: correct predictions of it over its samples (0 when it has none). */
  readonly recall: readonly number[];
  /** Per class: the harmonic mean of precision and recall (0 when both are 0). */
  readonly f1: readonly number[];
  /** The fraction of all samples classified correctly. */
  readonly accuracy: number;
}

/**
 * The confusion matrix of a classifier, with per-class precision, recall and
 * F1. Classes are taken as {@linkcode argmax} takes them, from the outputs
 * and from the (one-hot) targets alike. Where a measure is undefined (a
 * class never predicted has no precision, a class without samples no
 * recall) it is 0, as scikit-learn gives by default (`zero_division`).
 *
 * @param output The model's outputs, r x n (logits, probabilities or scores).
 * @param targets The targets, r x n, usually one-hot.
 * @returns The counts and the per-class measures.
 * @throws {TypeError} When an argument is not a Matrix.
 * @throws {RangeError} When the shapes differ.
 *
 * @example Three samples, two classes
 * ```ts
 * import { confusionMatrix, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const output = matrix([[2, 0.1, 5], [1, 0.3, 7]]);
 * const labels = matrix([[1, 0, 1], [0, 1, 0]]);
 * const c = confusionMatrix(output, labels);
 * assert.deepEqual(c.counts, [[1, 1], [0, 1]]);
 * assert.deepEqual(c.recall, [0.5, 1]);
 * assert.deepEqual(c.precision, [1, 0.5]);
 * // Class 1 is never predicted here: its precision is 0, not NaN.
 * const never = confusionMatrix(matrix([[1, 1], [0, 0]]), matrix([[1, 0], [0, 1]]));
 * assert.deepEqual(never.precision, [0.5, 0]);
 * ```
 */
export function confusionMatrix(output: Matrix, targets: Matrix): Confusion {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "confusionMatrix(output, targets)",
      arguments.length,
    );
  }
  const fn = "confusionMatrix(output, targets)";
  assertMatrix(output, fn, "output");
  assertMatrix(targets, fn, "targets");
  assertSameShape(output, targets, fn, "compare", ["output", "targets"]);
  const k = output.rows === 1 ? 2 : output.rows;
  const n = output.cols;
  const predicted = classesOf(dataOf(output), output.rows, n);
  const truth = classesOf(dataOf(targets), targets.rows, n);
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let j = 0; j < n; j++) counts[truth[j]][predicted[j]]++;
  const precision: number[] = [], recall: number[] = [], f1: number[] = [];
  let correct = 0;
  for (let c = 0; c < k; c++) {
    let column = 0, row = 0;
    for (let i = 0; i < k; i++) {
      column += counts[i][c];
      row += counts[c][i];
    }
    correct += counts[c][c];
    // 0 where undefined (0/0), as scikit-learn's default zero_division.
    const p = column === 0 ? 0 : counts[c][c] / column;
    const r = row === 0 ? 0 : counts[c][c] / row;
    precision.push(p);
    recall.push(r);
    f1.push(p + r === 0 ? 0 : 2 * p * r / (p + r));
  }
  return Object.freeze({
    classes: k,
    counts,
    precision,
    recall,
    f1,
    accuracy: correct / n,
  });
}

/** Throws a TypeError unless `value` is an array of `k` numbers. */
function assertNumbers(
  value: unknown,
  k: number,
  fn: string,
  name: string,
): void {
  if (
    !Array.isArray(value) || value.length !== k ||
    value.some((v) => typeof v !== "number")
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be an array of ${
        count(k, "number")
      }, one per class, got ${describe(value)}`,
    );
  }
}

/**
 * The confusion matrix as a text table for the terminal: counts with the
 * true class down and the predicted class across, then precision, recall
 * and F1 per class.
 *
 * @param confusion What {@linkcode confusionMatrix} returned.
 * @param labels A name per class (default "0", "1", …).
 * @returns The table, lines joined with "\n".
 * @throws {TypeError} When `confusion` is not a confusion matrix or labels
 * are not strings.
 * @throws {RangeError} When there is not one label per class.
 *
 * @example Usage
 * ```ts
 * import { confusionMatrix, confusionTable, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const c = confusionMatrix(matrix([[2, 0], [1, 3]]), matrix([[1, 0], [0, 1]]));
 * assert.match(confusionTable(c, ["cat", "dog"]), /cat/);
 * ```
 */
export function confusionTable(
  confusion: Confusion,
  labels?: readonly string[],
): string {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "confusionTable(confusion, labels)",
      arguments.length,
      1,
    );
  }
  const fn = "confusionTable(confusion, labels)";
  assertRecord(confusion, fn, "confusion", "the result of confusionMatrix");
  const k = confusion.classes;
  if (!Array.isArray(confusion.counts) || confusion.counts.length !== k) {
    throw new TypeError(
      `Expected confusion of ${fn} to be the result of confusionMatrix, got ${
        describe(confusion)
      }`,
    );
  }
  confusion.counts.forEach((row, i) =>
    assertNumbers(row, k, fn, `confusion.counts[${i}]`)
  );
  for (const key of ["precision", "recall", "f1"] as const) {
    assertNumbers(confusion[key], k, fn, `confusion.${key}`);
  }
  if (typeof confusion.accuracy !== "number") {
    throw new TypeError(
      `Expected confusion.accuracy of ${fn} to be a number, got ${
        describe(confusion.accuracy)
      }`,
    );
  }
  const names = labels ?? Array.from({ length: k }, (_, i) => String(i));
  if (!Array.isArray(names) || names.some((l) => typeof l !== "string")) {
    throw new TypeError(
      `Expected labels of ${fn} to be an array of strings, got ${
        describe(labels)
      }`,
    );
  }
  if (names.length !== k) {
    throw new RangeError(
      `Expected labels of ${fn} to name each of the ${k} classes, got ${names.length}`,
    );
  }
  const percent = (v: number) =>
    Number.isNaN(v) ? "-" : `${(100 * v).toFixed(1)}%`;
  const header = ["true \\ predicted", ...names, "precision", "recall", "F1"];
  const rows = names.map((name, i) => [
    name,
    ...confusion.counts[i].map(String),
    percent(confusion.precision[i]),
    percent(confusion.recall[i]),
    percent(confusion.f1[i]),
  ]);
  const table = [header, ...rows];
  const widths = header.map((_, c) =>
    Math.max(...table.map((row) => row[c].length))
  );
  const line = (row: string[]) =>
    row.map((cell, c) =>
      c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])
    )
      .join("  ");
  return [
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
    `accuracy ${percent(confusion.accuracy)}`,
  ].join("\n");
}
