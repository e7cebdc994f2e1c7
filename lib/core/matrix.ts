/**
 * Building and reading immutable matrices.
 *
 * @module
 */
import {
  arrayCallback,
  assertMatrix,
  describe,
  tooManyArguments,
} from "./_checks.ts";
import { dataOf, fromData, Matrix, nested } from "./_matrix.ts";

export { Matrix };

/** Data: inputs `x` (k x n) and targets `d` (r x n), one column per sample. */
export interface Samples {
  /** Inputs, one column per sample. */
  readonly x: Matrix;
  /** Targets, one column per sample. */
  readonly d: Matrix;
}

/**
 * Builds a Matrix from nested arrays, one inner array per row, as numpy's
 * `numpy.array` does. The input is copied, so changing it later does not
 * change the Matrix.
 *
 * @param rows The rows: a non-empty array of equally long, non-empty arrays of
 * finite numbers.
 * @returns A new `rows.length` x `rows[0].length` Matrix.
 * @throws {TypeError} When `rows` is not an array of arrays of numbers; the
 * message gives the row and column of the first bad entry.
 * @throws {RangeError} When `rows` is empty or ragged, an entry is NaN or
 * ±Infinity, or the matrix would hold more than 2^26 entries.
 *
 * @example The article's weights
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * assert.deepEqual(w.shape, [2, 3]);
 * assert.throws(() => matrix([[1, 2], [3]]), RangeError);
 * ```
 */
export function matrix(rows: readonly (readonly number[])[]): Matrix {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("matrix(rows)", arguments.length);
  }
  if (!Array.isArray(rows)) {
    throw new TypeError(
      `Cannot build a matrix from ${
        describe(rows)
      } in matrix(rows): expected an array of rows, such as [[1, 2], [3, 4]]`,
    );
  }
  if (rows.length === 0) {
    throw new RangeError(
      "Cannot build a matrix from an empty array in matrix(rows): a matrix needs at least one row",
    );
  }
  const first = rows[0];
  if (!Array.isArray(first)) {
    throw new TypeError(
      `Cannot build a matrix in matrix(rows): row 0 is ${
        describe(first)
      }, expected an array of numbers`,
    );
  }
  const r = rows.length;
  const c = first.length;
  if (c === 0) {
    throw new RangeError(
      "Cannot build a matrix in matrix(rows): row 0 is empty, a matrix needs at least one column",
    );
  }
  if (r * c > 2 ** 26) {
    throw new RangeError(
      `Cannot build a ${r}x${c} matrix in matrix(rows): it would hold more than ${
        2 ** 26
      } entries`,
    );
  }
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) {
      throw new TypeError(
        `Cannot build a matrix in matrix(rows): row ${i} is ${
          describe(row)
        }, expected an array of numbers`,
      );
    }
    if (row.length !== c) {
      throw new RangeError(
        `Cannot build a matrix in matrix(rows): row ${i} has ${row.length} entries but row 0 has ${c} (ragged rows)`,
      );
    }
    for (let j = 0; j < c; j++) {
      const v = row[j];
      if (typeof v !== "number") {
        throw new TypeError(
          `Cannot build a matrix in matrix(rows): the entry at row ${i}, column ${j} is ${
            describe(v)
          }, expected a number`,
        );
      }
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `Cannot build a matrix in matrix(rows): the entry at row ${i}, column ${j} is ${v}, expected a finite number`,
        );
      }
      data[i * c + j] = v;
    }
  }
  return fromData(r, c, data);
}

function assertSize(value: unknown, fn: string, name: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    const ErrorType = typeof value === "number" ? RangeError : TypeError;
    throw new ErrorType(
      `Expected ${name} of ${fn} to be a positive integer, got ${
        describe(value)
      }`,
    );
  }
  if (value > 2 ** 26) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be at most ${2 ** 26}, got ${value}`,
    );
  }
}

/**
 * Builds a Matrix of zeros.
 *
 * @param rows Number of rows, a positive integer.
 * @param cols Number of columns, a positive integer.
 * @returns A new `rows` x `cols` Matrix of zeros.
 * @throws {TypeError} When a size is not a number.
 * @throws {RangeError} When a size is not a positive integer, or the matrix
 * would hold more than 2^26 entries.
 *
 * @example Usage
 * ```ts
 * import { toArray, zeros } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(zeros(2, 1)), [[0], [0]]);
 * ```
 */
export function zeros(rows: number, cols: number): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("zeros(rows, cols)", arguments.length);
  }
  assertSize(rows, "zeros(rows, cols)", "rows");
  assertSize(cols, "zeros(rows, cols)", "cols");
  if (rows * cols > 2 ** 26) {
    throw new RangeError(
      `Cannot build a ${rows}x${cols} matrix in zeros(rows, cols): it would hold more than ${
        2 ** 26
      } entries`,
    );
  }
  return fromData(rows, cols, new Float64Array(rows * cols));
}

/**
 * Builds the n x n identity matrix.
 *
 * @param n Number of rows and columns, a positive integer.
 * @returns A new n x n Matrix with ones on the diagonal and zeros elsewhere.
 * @throws {TypeError} When `n` is not a number.
 * @throws {RangeError} When `n` is not a positive integer, or is above 8192.
 *
 * @example Usage
 * ```ts
 * import { identity, toArray } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(identity(2)), [[1, 0], [0, 1]]);
 * ```
 */
export function identity(n: number): Matrix {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("identity(n)", arguments.length);
  }
  assertSize(n, "identity(n)", "n");
  if (n > 8192) {
    throw new RangeError(
      `Expected n of identity(n) to be at most 8192, got ${n}`,
    );
  }
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return fromData(n, n, data);
}

/**
 * Copies a Matrix into fresh nested arrays, one per row. Changing the arrays
 * does not change the Matrix.
 *
 * @param m The matrix to copy.
 * @returns A new array of `m.rows` arrays of `m.cols` numbers.
 * @throws {TypeError} When `m` is not a Matrix.
 *
 * @example Usage
 * ```ts
 * import { matrix, toArray } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toArray(matrix([[1, 2], [3, 4]])), [[1, 2], [3, 4]]);
 * ```
 */
export function toArray(m: Matrix): number[][] {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("toArray(m)", arguments.length);
  }
  assertMatrix(m, "toArray(m)", "m");
  return nested(m.rows, m.cols, dataOf(m));
}
