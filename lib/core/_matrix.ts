// The Matrix class and the two internal doors into it. `dataOf` reads the
// backing array without copying and `fromData` wraps a fresh array without
// copying; both are for the library's own modules, which never write into an
// array after it has been wrapped. Neither is exported from mod.ts.

const TOKEN = Symbol("Matrix");

let readData: (m: Matrix) => Float64Array;
let hasBrand: (value: object) => boolean;

/**
 * An immutable, dense, row-major matrix of finite float64 numbers.
 *
 * Build one with {@linkcode matrix}, {@linkcode zeros} or
 * {@linkcode identity}; read it with {@linkcode Matrix.at} or
 * {@linkcode toArray}. No function of the toolkit changes a Matrix once it
 * exists: every operation returns a new one.
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
        `Cannot read entry (${indexText(row)}, ${
          indexText(col)
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

  /**
   * Shows the matrix as a table in a Jupyter notebook (`deno jupyter` calls
   * this to display a Matrix). The table heads each row and column with its
   * index and gives every entry with all its digits, as `toString` does; a
   * matrix of more than 20 rows or 12 columns shows its first and last 10
   * rows and 6 columns, with ellipses between them and its shape above.
   *
   * @returns The mime bundle: `text/html`, the table, and `text/plain`, the
   * text `console.log` prints.
   */
  [Symbol.for("Jupyter.display")](): {
    "text/html": string;
    "text/plain": string;
  } {
    return {
      "text/html": htmlTable(this.#rows, this.#cols, this.#data),
      "text/plain": `Matrix ${this.#rows}x${this.#cols} ${this.toString()}`,
    };
  }
}

/** The most rows and columns an HTML table shows before it summarizes. */
const TABLE_ROWS = 20;
const TABLE_COLS = 12;

/**
 * The indices an HTML table shows out of `n`: all of them when there are at
 * most `max`, else the first and last `max / 2`, with -1 for the ellipsis
 * between them.
 */
function shown(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const half = max / 2;
  return [
    ...Array.from({ length: half }, (_, i) => i),
    -1,
    ...Array.from({ length: half }, (_, i) => n - half + i),
  ];
}

/** Text made safe inside an HTML element or attribute. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A matrix as an HTML table with its shape, summarized when large. */
function htmlTable(rows: number, cols: number, data: Float64Array): string {
  const rowIds = shown(rows, TABLE_ROWS);
  const colIds = shown(cols, TABLE_COLS);
  const summarized = rows > TABLE_ROWS || cols > TABLE_COLS;
  const caption = `Matrix ${rows}x${cols}${
    summarized
      ? ` (showing ${Math.min(rows, TABLE_ROWS)} of ${rows} rows and ${
        Math.min(cols, TABLE_COLS)
      } of ${cols} columns)`
      : ""
  }`;
  const right = ' style="text-align: right"';
  const head = colIds.map((j) =>
    j < 0 ? `<th${right}>…</th>` : `<th${right}>${j}</th>`
  ).join("");
  const body = rowIds.map((i) => {
    const cells = colIds.map((j) => {
      if (i < 0) return `<td${right}>${j < 0 ? "⋱" : "⋮"}</td>`;
      if (j < 0) return `<td${right}>…</td>`;
      return `<td${right}>${escapeHtml(String(data[i * cols + j]))}</td>`;
    }).join("");
    return `<tr><th${right}>${i < 0 ? "⋮" : i}</th>${cells}</tr>`;
  }).join("\n");
  return [
    `<table style="font-family: monospace; font-variant-numeric: tabular-nums">`,
    `<caption style="text-align: left; white-space: nowrap">${
      escapeHtml(caption)
    }</caption>`,
    `<thead><tr><th></th>${head}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    "</table>",
  ].join("\n");
}

/**
 * An index for a message: a number as is, anything else in a few words
 * ("a string", "an object"). A local describe(): _checks.ts imports this file.
 */
function indexText(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
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

/** Whether `value` is a Matrix made by this library. */
export function isMatrix(value: unknown): value is Matrix {
  return (typeof value === "object" && value !== null) && hasBrand(value);
}
