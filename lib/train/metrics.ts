/**
 * Metrics: {@linkcode accuracy}, and {@linkcode evaluate} for a model's loss
 * and accuracy on a data set. Samples are columns, as in the article.
 *
 * @module
 */
import {
  assertChoice,
  assertFunction,
  assertMatrix,
  assertRecord,
  assertSameShape,
  describe,
} from "../core/_checks.ts";
import { dataOf, isMatrix, type Matrix } from "../core/_matrix.ts";
import type { Samples } from "../core/matrix.ts";
import { countCorrect } from "../kernels/_nn.ts";
import type { Params } from "../autodiff/grad.ts";
import { mse, softmaxCrossEntropy, squaredError } from "../ops/losses.ts";
import type { Model } from "../nn/sequential.ts";

/** The built-in losses, by name. */
export type LossName = "softmaxCrossEntropy" | "mse" | "squaredError";

/**
 * A loss: a built-in name, or a function of the model's output and the
 * targets that returns a number or a 1x1 Matrix, written with the toolkit's
 * differentiable ops.
 */
export type Loss = LossName | ((output: Matrix, d: Matrix) => number | Matrix);

/** A loss as a function returning a 1x1 Matrix or a number. */
export function lossFunction(
  loss: unknown,
  fn: string,
  name: string,
): (output: Matrix, d: Matrix) => number | Matrix {
  if (typeof loss === "function") {
    assertFunction(loss, fn, name);
    return loss as (output: Matrix, d: Matrix) => number | Matrix;
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

/** A number from a loss's result (a number or a 1x1 Matrix). */
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
  return v;
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

/**
 * The loss and accuracy of a model on a data set, in evaluation mode.
 *
 * @param model The model (see `sequential` and `mlp`).
 * @param params Its parameters.
 * @param data Inputs `x` (k x n) and targets `d` (r x n), one column per sample.
 * @param loss The loss: a name or a function (see {@linkcode Loss}).
 * @returns The loss and the accuracy.
 * @throws {TypeError} When `data` is not `{ x, d }` of matrices or `loss` is
 * not a known name or a function.
 * @throws {RangeError} When the shapes do not fit, or the loss overflows.
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
  loss: Loss = "softmaxCrossEntropy",
): Evaluation {
  const fn = "evaluate(model, params, data, loss)";
  const { x, d } = checkSamples(data, fn, "data");
  const f = lossFunction(loss, fn, "loss");
  const y = model.apply(params, x);
  assertSameShape(y, d, fn, "compare the output", ["the output", "data.d"]);
  return {
    loss: lossValue(f(y, d), fn),
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
