// The Matrix class and the two internal doors into it. `dataOf` reads the
// backing array without copying and `fromData` wraps a fresh array without
// copying; both are for the library's own modules, which never write into an
// array after it has been wrapped. Neither is exported from mod.ts.
import { describe } from "./_describe.ts";

const TOKEN = Symbol("Matrix");

let readData: (m: Matrix) => Float64Array;
let hasBrand: (value: object) => boolean;

/**
 * An immutable, dense, row-major matrix of finite float64 numbers.
 *
 * Build one with {@linkcode matrix}, {@linkcode zeros} or
 * {@linkcode identity}; read it with {@linkcode Matrix.at} or
 * {@linkcode toArray}. Nothing can change a Matrix once it exists: every
 * operation returns a new one.
 *
 * @example Usage
 * ```ts
 * import { matrix } from "./matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const m = matrix([[1, 2, 3], [4, 5, 6]]);
 * assert.equal(m.rows, 2);
 * assert.equal(m.cols, 3);
 * assert.equal(m.at(1, 2), 6);
 * ```
 */
export class Matrix {
  #rows: number;
  #cols: number;
  #data: Float64Array;

  static {
    readData = (m) => m.#data;
    // A brand check, not `instanceof`: a Proxy of a Matrix, an object made
    // with Object.create(Matrix.prototype) or one whose prototype was swapped
    // has no private fields, and would make every getter throw.
    hasBrand = (value) => #data in value;
  }

  /**
   * Not for direct use: build matrices with `matrix`, `zeros` or `identity`.
   *
   * @param token A private token; any other value is refused.
   * @param rows Number of rows.
   * @param cols Number of columns.
   * @param data Row-major entries, owned by the new Matrix.
   */
  constructor(token: symbol, rows: number, cols: number, data: Float64Array) {
    if (token !== TOKEN) {
      throw new TypeError(
        "Cannot call new Matrix() directly: use matrix(rows), zeros(rows, cols) or identity(n)",
      );
    }
    this.#rows = rows;
    this.#cols = cols;
    this.#data = data;
    // No public path may change a Matrix: without this, a caller could
    // shadow the rows/cols getters with Object.defineProperty and make
    // toArray and every operation read the data with the wrong shape. With
    // no own properties, sealing makes the instance frozen (Object.isFrozen)
    // and costs about a third of what Object.freeze does in V8.
    Object.seal(this);
  }

  /** Number of rows. */
  get rows(): number {
    return this.#rows;
  }

  /** Number of columns. */
  get cols(): number {
    return this.#cols;
  }

  /** The shape as a fresh `[rows, cols]` pair. */
  get shape(): [number, number] {
    return [this.#rows, this.#cols];
  }

  /**
   * Reads one entry.
   *
   * @param row Row index, from 0.
   * @param col Column index, from 0.
   * @returns The entry at (`row`, `col`).
   * @throws {RangeError} When an index is not an integer within the shape.
   *
   * @example Usage
   * ```ts
   * import { matrix } from "./matrix.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(matrix([[1, 2], [3, 4]]).at(1, 0), 3);
   * ```
   */
  at(row: number, col: number): number {
    if (
      !Number.isInteger(row) || !Number.isInteger(col) || row < 0 ||
      col < 0 || row >= this.#rows || col >= this.#cols
    ) {
      throw new RangeError(
        `Cannot read entry (${describe(row)}, ${
          describe(col)
        }) of a ${this.#rows}x${this.#cols} Matrix in at(row, col): indices must be integers within the shape`,
      );
    }
    return this.#data[row * this.#cols + col];
  }

  /**
   * Formats the matrix like numpy prints an array.
   *
   * @returns A multi-line text such as `[[1, 2],\n [3, 4]]`.
   *
   * @example Usage
   * ```ts
   * import { matrix } from "./matrix.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(matrix([[1, 2], [3, 4]]).toString(), "[[1, 2],\n [3, 4]]");
   * ```
   */
  toString(): string {
    const lines: string[] = [];
    for (let i = 0; i < this.#rows; i++) {
      const row = this.#data.subarray(i * this.#cols, (i + 1) * this.#cols);
      lines.push(`[${Array.from(row, String).join(", ")}]`);
    }
    return `[${lines.join(",\n ")}]`;
  }

  /**
   * Lets `JSON.stringify` write a Matrix as nested arrays.
   *
   * @returns The entries as fresh nested arrays.
   *
   * @example Usage
   * ```ts
   * import { matrix } from "./matrix.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(JSON.stringify(matrix([[1, 2]])), "[[1,2]]");
   * ```
   */
  toJSON(): number[][] {
    return nested(this.#rows, this.#cols, this.#data);
  }

  /**
   * Shows the matrix in `console.log` and the Deno REPL.
   *
   * @returns The same text as {@linkcode Matrix.toString}, labelled.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return `Matrix ${this.#rows}x${this.#cols} ${this.toString()}`;
  }
}

/** Reads the backing array of a Matrix. Callers must never write into it. */
export function dataOf(m: Matrix): Float64Array {
  return readData(m);
}

/** Wraps `data` (row-major, length rows*cols) without copying or checking. */
export function fromData(
  rows: number,
  cols: number,
  data: Float64Array,
): Matrix {
  return new Matrix(TOKEN, rows, cols, data);
}

/** Formats a shape as `RxC`. */
export function shapeText(m: Matrix): string {
  return `${m.rows}x${m.cols}`;
}

/** Copies row-major entries into fresh nested arrays. */
export function nested(
  rows: number,
  cols: number,
  data: Float64Array,
): number[][] {
  const out: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row: number[] = new Array(cols);
    for (let j = 0; j < cols; j++) row[j] = data[i * cols + j];
    out[i] = row;
  }
  return out;
}

/**
 * Whether `value` is a real Matrix, made by this library. Proxies of a Matrix
 * and objects that merely inherit from `Matrix.prototype` are not.
 */
export function isMatrix(value: unknown): value is Matrix {
  return (typeof value === "object" && value !== null) && hasBrand(value);
}

/** Throws a TypeError unless `value` is a Matrix. */
export function assertMatrix(
  value: unknown,
  fn: string,
  name: string,
): asserts value is Matrix {
  if (!isMatrix(value)) {
    const hint = Array.isArray(value)
      ? " (build one from nested arrays with matrix(rows))"
      : "";
    throw new TypeError(
      `Expected ${name} of ${fn} to be a Matrix, got ${describe(value)}${hint}`,
    );
  }
}

/** Whether `value` is a class constructor, which cannot be called plainly. */
export function isClass(value: unknown): boolean {
  if (typeof value !== "function") return false;
  try {
    return /^class[\s{]/.test(Function.prototype.toString.call(value));
  } catch {
    return false;
  }
}

/** Throws a TypeError unless `value` is a function that can be called. */
export function assertFunction(value: unknown, fn: string, name: string): void {
  if (typeof value !== "function" || isClass(value)) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a function, got ${describe(value)}`,
    );
  }
}

/**
 * Reads an options object once: `undefined` means all defaults; anything but
 * a plain object, or a key that is not an option (a typo such as `step` for
 * `steps` would otherwise be ignored silently), throws a TypeError naming
 * `fn`. Each known key is read exactly once, so a getter cannot answer a
 * check with one value and the computation with another.
 */
export function readOptions<K extends string>(
  options: unknown,
  fn: string,
  known: readonly K[],
): { [key in K]?: unknown } {
  if (options === undefined) return {};
  if (
    typeof options !== "object" || options === null ||
    Array.isArray(options) || isMatrix(options)
  ) {
    throw new TypeError(
      `Expected options of ${fn} to be an object such as { ${
        known[0]
      }: … }, got ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      const shown = key.length > 32 ? `${key.slice(0, 32)}…` : key;
      throw new TypeError(
        `Unknown option ${
          JSON.stringify(shown)
        } in options of ${fn}: expected ${
          known.length === 1
            ? known[0]
            : `${known.slice(0, -1).join(", ")} or ${known[known.length - 1]}`
        }`,
      );
    }
  }
  const out: { [key in K]?: unknown } = {};
  const source = options as Record<string, unknown>;
  for (const key of known) out[key] = source[key];
  return out;
}

/**
 * Throws a RangeError naming `fn` when `data` holds NaN or ±Infinity, so that
 * no Matrix ever holds one.
 */
export function assertFiniteResult(
  data: Float64Array,
  fn: string,
  what = "the result",
): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      throw new RangeError(
        `Cannot compute ${fn}: ${what} would hold ${v} (overflow or an undefined operation); a Matrix holds only finite numbers`,
      );
    }
  }
}

/** Throws unless `value` is a finite number. */
export function assertNumber(value: unknown, fn: string, name: string): void {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a number, got ${describe(value)}`,
    );
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be a finite number, got ${value}`,
    );
  }
}

/** Throws unless `value` is an integer from `min` to `max`. */
export function assertInteger(
  value: unknown,
  fn: string,
  name: string,
  min: number,
  max: number,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be an integer, got ${describe(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}
