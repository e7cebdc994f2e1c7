/**
 * The decision regions of a classifier of 2-D points, with its data, as SVG
 * text. A pure function: it returns a string and writes nothing; save it with
 * `Deno.writeTextFile`.
 *
 * @module
 */
import {
  assertFunction,
  assertInRange,
  assertInteger,
  assertMatrix,
  assertNumber,
  assertRecord,
  describe,
  readOptions,
} from "../core/_checks.ts";
import { dataOf, fromData, isMatrix, type Matrix } from "../core/_matrix.ts";
import {
  assertString,
  axes,
  clampFinite,
  colorOf,
  innerTicks,
  num,
  svgDocument,
} from "./_svg.ts";

/** Options for {@linkcode decisionBoundary}. */
export interface DecisionBoundaryOptions {
  /**
   * The title above the picture.
   *
   * @default {""}
   */
  title?: string;
  /**
   * The label under the x axis (the first input).
   *
   * @default {"x₁"}
   */
  xLabel?: string;
  /**
   * The label beside the y axis (the second input).
   *
   * @default {"x₂"}
   */
  yLabel?: string;
  /**
   * Width of the picture in pixels, from 100 to 10000.
   *
   * @default {480}
   */
  width?: number;
  /**
   * Height of the picture in pixels, from 100 to 10000.
   *
   * @default {480}
   */
  height?: number;
  /**
   * How many grid cells along each axis are classified, from 2 to 1000.
   *
   * @default {100}
   */
  resolution?: number;
  /**
   * The range of the first input shown, `[min, max]`.
   *
   * @default {the data's range, widened by 10% on each side}
   */
  xRange?: readonly [number, number];
  /**
   * The range of the second input shown, `[min, max]`.
   *
   * @default {the data's range, widened by 10% on each side}
   */
  yRange?: readonly [number, number];
  /**
   * When `predict` returns a single row of scores: the score from which a
   * point belongs to class 1 (0.5 suits a sigmoid output, 0 a tanh one).
   *
   * @default {0.5}
   */
  threshold?: number;
}

/** A 2-D data set: inputs as the columns of `x`, and one class per column. */
export interface LabelledPoints {
  /** Inputs, 2 x n: one column per point. */
  readonly x: Matrix;
  /** The class of each point: n integers from 0. */
  readonly labels: readonly number[];
}

/** Throws a RangeError unless entry `i`, `c`, is a class: an integer from 0. */
function assertClass(c: unknown, i: number, expected: string): void {
  if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) {
    throw new RangeError(`${expected}, got ${describe(c)} at ${i}`);
  }
}

/** A range option, `[min, max]` with min < max, or undefined when not given. */
function checkRange(
  value: unknown,
  fn: string,
  name: string,
): readonly [number, number] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) || value.length !== 2 ||
    typeof value[0] !== "number" || typeof value[1] !== "number"
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a pair [min, max] of numbers, got ${
        describe(value)
      }`,
    );
  }
  const [lo, hi] = value;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be finite with min < max, got [${lo}, ${hi}]`,
    );
  }
  return [lo, hi];
}

/** Classes from a predict function's result for m points. */
function classesOf(
  result: unknown,
  m: number,
  threshold: number,
  fn: string,
): ArrayLike<number> {
  if (Array.isArray(result)) {
    if (result.length !== m) {
      throw new RangeError(
        `Expected predict in ${fn} to return ${m} classes, one per column of its input, got ${result.length}`,
      );
    }
    for (let i = 0; i < m; i++) {
      assertClass(
        result[i],
        i,
        `Expected predict in ${fn} to return classes as integers from 0`,
      );
    }
    return result;
  }
  if (!isMatrix(result)) {
    throw new TypeError(
      `Expected predict in ${fn} to return a Matrix of scores or an array of classes, got ${
        describe(result)
      }`,
    );
  }
  if (result.cols !== m) {
    throw new RangeError(
      `Expected predict in ${fn} to return one column per point (${m}), got a ${result.rows}x${result.cols} Matrix`,
    );
  }
  const out = new Float64Array(m);
  const d = dataOf(result);
  const k = result.rows;
  for (let j = 0; j < m; j++) {
    if (k === 1) {
      out[j] = d[j] >= threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let i = 1; i < k; i++) if (d[i * m + j] > d[best * m + j]) best = i;
    out[j] = best;
  }
  return out;
}

/**
 * Draws what a classifier of 2-D points decides everywhere: the plane is cut
 * into a grid, every cell centre is classified with one call to `predict`,
 * cells are tinted by class, and the data's points are drawn on top in their
 * true class's colour.
 *
 * `predict` receives a 2 x m Matrix of points (one per column, like the
 * data) and returns either an array of m classes, or a Matrix of scores with
 * one column per point: k x m (the class is the row with the highest score)
 * or 1 x m (class 1 where the score reaches `options.threshold`).
 *
 * @param predict The classifier.
 * @param data The points `x` (2 x n) and their classes `labels`.
 * @param options Title, labels, size, grid resolution and ranges.
 * @returns The SVG document, as text.
 * @throws {TypeError} When an argument or an option has the wrong type, an
 * option is unknown, or `predict` returns something other than classes or a
 * Matrix.
 * @throws {RangeError} When `data.x` is not 2 x n with n labels, a label is
 * not an integer from 0, an option is out of range, or `predict`'s result
 * has the wrong size.
 *
 * @example The line x₁ = x₂ splits two points
 * ```ts
 * import { decisionBoundary } from "./decision_boundary.ts";
 * import { matrix, toArray } from "../core/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const data = { x: matrix([[0, 1], [1, 0]]), labels: [0, 1] };
 * const svg = decisionBoundary(
 *   (points) => toArray(points)[0].map((x1, j) => x1 > toArray(points)[1][j] ? 1 : 0),
 *   data,
 *   { resolution: 10 },
 * );
 * assert.equal(svg.match(/<circle/g)?.length, 2);
 * assert.ok(svg.includes('fill="#4e79a7"') && svg.includes('fill="#f28e2b"'));
 * ```
 */
export function decisionBoundary(
  predict: (points: Matrix) => Matrix | readonly number[],
  data: LabelledPoints,
  options: DecisionBoundaryOptions = {},
): string {
  const fn = "decisionBoundary(predict, data, options)";
  assertFunction(predict, fn, "predict");
  assertRecord(data, fn, "data", "an object { x, labels }");
  const { x, labels } = data;
  assertMatrix(x, fn, "data.x");
  if (x.rows !== 2) {
    throw new RangeError(
      `Cannot draw ${x.rows}-D points in ${fn}: data.x must be 2 x n, one column per point, got ${x.rows}x${x.cols}`,
    );
  }
  if (!Array.isArray(labels) || labels.length !== x.cols) {
    const Err = Array.isArray(labels) ? RangeError : TypeError;
    throw new Err(
      `Expected data.labels of ${fn} to be an array of ${x.cols} classes, one per column of data.x, got ${
        describe(labels)
      }`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    assertClass(
      labels[i],
      i,
      `Expected data.labels of ${fn} to hold integers from 0`,
    );
  }
  const opts = readOptions(options, fn, [
    "title",
    "xLabel",
    "yLabel",
    "width",
    "height",
    "resolution",
    "xRange",
    "yRange",
    "threshold",
  ]);
  const width = assertInRange(opts.width ?? 480, fn, "options.width", 100, 1e4);
  const height = assertInRange(
    opts.height ?? 480,
    fn,
    "options.height",
    100,
    1e4,
  );
  const resolution = assertInteger(
    opts.resolution ?? 100,
    fn,
    "options.resolution",
    2,
    1000,
  );
  const threshold = opts.threshold ?? 0.5;
  assertNumber(threshold, fn, "options.threshold");
  const title = assertString(opts.title ?? "", fn, "options.title");
  const xLabel = assertString(opts.xLabel ?? "x₁", fn, "options.xLabel");
  const yLabel = assertString(opts.yLabel ?? "x₂", fn, "options.yLabel");
  const xRange = checkRange(opts.xRange, fn, "options.xRange");
  const yRange = checkRange(opts.yRange, fn, "options.yRange");

  const px = dataOf(x);
  const n = x.cols;
  // The data's range widened by 10% on each side (by 1, or a tenth of the
  // value, when all values are equal), kept finite near ±1.8e308.
  const bounds = (row: number): [number, number] => {
    let lo = Infinity, hi = -Infinity;
    for (let j = 0; j < n; j++) {
      lo = Math.min(lo, px[row * n + j]);
      hi = Math.max(hi, px[row * n + j]);
    }
    const pad = !(hi > lo)
      ? Math.max(1, Math.abs(lo) * 0.1)
      : Number.isFinite(hi - lo)
      ? (hi - lo) * 0.1
      : hi * 0.1 - lo * 0.1;
    return [clampFinite(lo - pad), clampFinite(hi + pad)];
  };
  const [x0, x1] = xRange ?? bounds(0);
  const [y0, y1] = yRange ?? bounds(1);

  // Every cell centre, row by row from the top, as the columns of one Matrix.
  // A span that overflows is walked in halves, so every centre is finite.
  const m = resolution * resolution;
  const grid = new Float64Array(2 * m);
  const along = (lo: number, hi: number): (k: number) => number => {
    const step = (hi - lo) / resolution;
    if (Number.isFinite(step)) return (k) => lo + (k + 0.5) * step;
    const half = hi / 2 / resolution - lo / 2 / resolution;
    return (k) => clampFinite((lo / 2 + (k + 0.5) * half) * 2);
  };
  const gx = along(x0, x1);
  const gy = along(-y1, -y0);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      grid[r * resolution + c] = gx(c);
      grid[m + r * resolution + c] = -gy(r);
    }
  }
  const classes = classesOf(predict(fromData(2, m, grid)), m, threshold, fn);

  // The axes span exactly the classified area, so ticks are not widened.
  const xr = innerTicks(x0, x1, Math.max(2, Math.round(width / 110)));
  const yr = innerTicks(y0, y1, Math.max(2, Math.round(height / 70)));
  const { frame, decoration } = axes(width, height, xr, yr, {
    title,
    xLabel,
    yLabel,
  });
  const colX = (c: number) =>
    num(frame.left + c / resolution * (frame.right - frame.left));
  const rowY = (r: number) =>
    num(frame.top + r / resolution * (frame.bottom - frame.top));
  // One rectangle per run of equal classes along a grid row.
  const regions: string[] = [];
  for (let r = 0; r < resolution; r++) {
    let start = 0;
    for (let c = 1; c <= resolution; c++) {
      const cls = classes[r * resolution + start];
      if (c < resolution && classes[r * resolution + c] === cls) continue;
      const xa = colX(start), xb = colX(c), ya = rowY(r), yb = rowY(r + 1);
      regions.push(
        `<rect x="${xa}" y="${ya}" width="${
          num(Number(xb) - Number(xa))
        }" height="${num(Number(yb) - Number(ya))}" fill="${colorOf(cls)}"/>`,
      );
      start = c;
    }
  }
  const points: string[] = [];
  for (let j = 0; j < n; j++) {
    const vx = px[j], vy = px[n + j];
    if (vx < x0 || vx > x1 || vy < y0 || vy > y1) continue;
    points.push(
      `<circle cx="${num(frame.xs(vx))}" cy="${
        num(frame.ys(vy))
      }" r="3.5" fill="${colorOf(labels[j])}"/>`,
    );
  }
  return svgDocument(width, height, [
    `<g fill-opacity="0.3" shape-rendering="crispEdges">`,
    ...regions,
    "</g>",
    `<g stroke="#fff" stroke-width="1">`,
    ...points,
    "</g>",
    ...decoration,
  ]);
}
