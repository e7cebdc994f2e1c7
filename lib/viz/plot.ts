/**
 * Pictures of training as SVG text: a line chart of a loss history and the
 * decision regions of a 2-D classifier with its data. Pure functions: they
 * return a string and write nothing; save it with `Deno.writeTextFile`.
 *
 * @module
 */
import {
  assertFunction,
  assertMatrix,
  assertNumber,
  describe,
  readOptions,
} from "../core/_checks.ts";
import { dataOf, fromData, isMatrix, type Matrix } from "../core/_matrix.ts";

/** One named line of a {@linkcode lineChart}. */
export interface LineSeries {
  /** The name shown in the legend. */
  readonly name: string;
  /** The y values, finite numbers, at least one. */
  readonly values: readonly number[];
  /**
   * The x value of each y value, increasing.
   *
   * @default {1, 2, 3, …}
   */
  readonly x?: readonly number[];
}

/** Options for {@linkcode lineChart}. */
export interface LineChartOptions {
  /**
   * The title above the chart.
   *
   * @default {""}
   */
  title?: string;
  /**
   * The label under the x axis.
   *
   * @default {"epoch" for a history, "" otherwise}
   */
  xLabel?: string;
  /**
   * The label beside the y axis.
   *
   * @default {""}
   */
  yLabel?: string;
  /**
   * For a history: which numeric fields to draw, one line each.
   *
   * @default {every numeric field but the x field}
   */
  keys?: readonly string[];
  /**
   * Width of the picture in pixels, from 100 to 10000.
   *
   * @default {640}
   */
  width?: number;
  /**
   * Height of the picture in pixels, from 100 to 10000.
   *
   * @default {360}
   */
  height?: number;
  /**
   * Start the y axis at 0 when every value is positive, as suits a loss.
   *
   * @default {true}
   */
  zeroBased?: boolean;
}

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

// Tableau 10: distinct in colour and still apart in grey.
const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

/** A coordinate with at most two decimals, and never "-0". */
function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function checkString(value: unknown, fn: string, name: string): string {
  if (typeof value !== "string") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a string, got ${describe(value)}`,
    );
  }
  return value;
}

function checkSize(
  value: unknown,
  fn: string,
  name: string,
  min: number,
  max: number,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a number, got ${describe(value)}`,
    );
  }
  if (!(value >= min && value <= max)) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be from ${min} to ${max}, got ${
        describe(value)
      }`,
    );
  }
  return value;
}

/**
 * Where `v` lies on the scale from `lo` (0) to `hi` (1). The span is halved
 * first when it overflows, as from -1e308 to 1e308.
 */
function ratio(v: number, lo: number, hi: number): number {
  const span = hi - lo;
  return Number.isFinite(span)
    ? (v - lo) / span
    : (v / 2 - lo / 2) / (hi / 2 - lo / 2);
}

/** Keeps a bound that was widened past the largest float finite. */
function clampFinite(v: number): number {
  return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, v));
}

/**
 * Copies an array of finite numbers, reading each entry once; a hole of a
 * sparse array is refused by index. `what(j)` names entry j in messages.
 */
function finiteNumbers(
  values: readonly unknown[],
  fn: string,
  where: string,
  what: (j: number) => string,
): number[] {
  const n = values.length;
  const out: number[] = [];
  for (let j = 0; j < n; j++) {
    const v = values[j];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot draw ${where} in ${fn}: ${what(j)} is ${
          v === undefined && !(j in values) ? "an empty slot" : describe(v)
        }, expected a finite number`,
      );
    }
    out.push(v);
  }
  return out;
}

/**
 * Tick positions for an axis from `lo` to `hi`: round numbers (1, 2 or 5
 * times a power of ten) about `count` of them, and the range widened to the
 * outer ticks.
 */
function niceTicks(
  lo: number,
  hi: number,
  count = 5,
): { ticks: number[]; lo: number; hi: number; decimals: number } {
  // A range too narrow to tick (equal values, or a span lost in rounding)
  // is widened around its values.
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi));
  if (!(hi - lo > magnitude * 1e-12) || hi - lo < 1e-290) {
    const pad = magnitude < 1e-290 ? 1 : magnitude * 0.1;
    lo = clampFinite(lo - pad);
    hi = clampFinite(hi + pad);
  }
  // Divided first, so that a range near ±1.8e308 does not overflow.
  const raw = hi / count - lo / count;
  const power = Math.floor(Math.log10(raw));
  const base = 10 ** power;
  const step = [1, 2, 5, 10].map((m) => m * base).find((s) => s >= raw) ??
    10 * base;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  let ticks: number[] = [];
  for (let i = first; i <= last; i++) {
    // Rounded to 12 digits so that 0.30000000000000004 prints as 0.3.
    const t = Number((i * step).toPrecision(12));
    if (Number.isFinite(t)) ticks.push(t);
  }
  if (ticks.length < 2) ticks = [lo, hi];
  return { ticks, lo: ticks[0], hi: ticks[ticks.length - 1], decimals };
}

/** Ticks inside `lo`..`hi`, the axis spanning exactly that range. */
function innerTicks(
  lo: number,
  hi: number,
  count: number,
): ReturnType<typeof niceTicks> {
  const nice = niceTicks(lo, hi, count);
  if (!(hi > lo)) return nice;
  const ticks = nice.ticks.filter((t) => t >= lo && t <= hi);
  return { ...nice, lo, hi, ticks };
}

function tickLabel(v: number, decimals: number): string {
  const text = decimals <= 20 && Math.abs(v) < 1e21
    ? v.toFixed(decimals)
    : String(Number(v.toPrecision(6)));
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  xs: (v: number) => number;
  ys: (v: number) => number;
}

/** Axes, grid, tick labels, axis labels and title; returns the SVG parts. */
function axes(
  width: number,
  height: number,
  xr: ReturnType<typeof niceTicks>,
  yr: ReturnType<typeof niceTicks>,
  text: { title: string; xLabel: string; yLabel: string },
): { frame: Frame; grid: string[]; decoration: string[] } {
  const left = 64;
  const right = width - 20;
  const top = text.title ? 40 : 16;
  const bottom = height - (text.xLabel ? 48 : 32);
  const xs = (v: number) => left + ratio(v, xr.lo, xr.hi) * (right - left);
  const ys = (v: number) => bottom - ratio(v, yr.lo, yr.hi) * (bottom - top);
  const grid: string[] = [];
  const decoration: string[] = [];
  for (const t of xr.ticks) {
    const x = num(xs(t));
    grid.push(
      `<line x1="${x}" y1="${num(top)}" x2="${x}" y2="${
        num(bottom)
      }" stroke="#e5e5e5"/>`,
    );
    decoration.push(
      `<line x1="${x}" y1="${num(bottom)}" x2="${x}" y2="${
        num(bottom + 5)
      }" stroke="#333"/>`,
      `<text x="${x}" y="${num(bottom + 18)}" text-anchor="middle">${
        tickLabel(t, xr.decimals)
      }</text>`,
    );
  }
  for (const t of yr.ticks) {
    const y = num(ys(t));
    grid.push(
      `<line x1="${num(left)}" y1="${y}" x2="${
        num(right)
      }" y2="${y}" stroke="#e5e5e5"/>`,
    );
    decoration.push(
      `<line x1="${num(left - 5)}" y1="${y}" x2="${
        num(left)
      }" y2="${y}" stroke="#333"/>`,
      `<text x="${num(left - 8)}" y="${y}" text-anchor="end" dy="0.32em">${
        tickLabel(t, yr.decimals)
      }</text>`,
    );
  }
  decoration.push(
    `<path d="M${num(left)},${num(top)}V${num(bottom)}H${
      num(right)
    }" fill="none" stroke="#333"/>`,
  );
  if (text.title) {
    decoration.push(
      `<text x="${
        num(width / 2)
      }" y="24" text-anchor="middle" font-size="15" font-weight="bold">${
        escapeXml(text.title)
      }</text>`,
    );
  }
  if (text.xLabel) {
    decoration.push(
      `<text x="${num((left + right) / 2)}" y="${
        num(height - 10)
      }" text-anchor="middle">${escapeXml(text.xLabel)}</text>`,
    );
  }
  if (text.yLabel) {
    const cy = num((top + bottom) / 2);
    decoration.push(
      `<text x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})">${
        escapeXml(text.yLabel)
      }</text>`,
    );
  }
  return { frame: { left, top, right, bottom, xs, ys }, grid, decoration };
}

function svgDocument(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${
      num(height)
    }" viewBox="0 0 ${num(width)} ${
      num(height)
    }" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#333">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** A series after checking: fresh arrays of finite numbers. */
interface CheckedSeries {
  name: string;
  values: number[];
  x?: number[];
}

/**
 * Reads the chart's data into checked series, whatever form it came in.
 * Every entry and every field of a record is read once.
 */
function toSeries(
  data: unknown,
  keys: readonly string[] | undefined,
  fn: string,
): { series: CheckedSeries[]; xName: string } {
  if (!Array.isArray(data) || data.length === 0) {
    throw new TypeError(
      `Expected data of ${fn} to be a non-empty array of numbers, of series { name, values } or of history records, got ${
        describe(data)
      }`,
    );
  }
  const n = data.length;
  const items: unknown[] = [];
  let numbers = 0;
  for (let i = 0; i < n; i++) {
    const v: unknown = data[i];
    const isRecord = typeof v === "object" && v !== null &&
      !Array.isArray(v) && !isMatrix(v);
    if (typeof v === "number") numbers++;
    if ((typeof v !== "number" && !isRecord) || (numbers > 0 && numbers <= i)) {
      throw new TypeError(
        `Expected data of ${fn} to hold only numbers or only objects { name, values } or records, got ${
          v === undefined && !(i in data) ? "an empty slot" : describe(v)
        } at ${i}`,
      );
    }
    items.push(v);
  }
  const where = (i: number, name: string) =>
    `series ${i}${name ? ` (${name})` : ""}`;
  if (numbers === n) {
    return {
      series: [{
        name: "",
        values: finiteNumbers(items, fn, "series 0", (j) => `value ${j}`),
      }],
      xName: "",
    };
  }
  // Each record's own fields, read once.
  const records = items.map((r) => ({ ...(r as Record<string, unknown>) }));
  if (records.every((r) => Array.isArray(r.values))) {
    return {
      series: records.map((r, i) => {
        const name = r.name === undefined
          ? ""
          : checkString(r.name, fn, `data[${i}].name`);
        const raw = r.values as unknown[];
        if (raw.length === 0) {
          throw new RangeError(
            `Cannot draw ${where(i, name)} in ${fn}: it has no values`,
          );
        }
        const values = finiteNumbers(
          raw,
          fn,
          where(i, name),
          (j) => `value ${j}`,
        );
        if (r.x === undefined) return { name, values };
        if (!Array.isArray(r.x) || r.x.length !== values.length) {
          throw new RangeError(
            `Cannot draw ${
              where(i, name)
            } in ${fn}: it has ${values.length} values but its x is ${
              describe(r.x)
            }`,
          );
        }
        const x = finiteNumbers(r.x, fn, where(i, name), (j) => `x ${j}`);
        return { name, values, x };
      }),
      xName: "",
    };
  }
  // A history: one record per epoch (or step).
  const first = records[0];
  const xName = Object.hasOwn(first, "epoch")
    ? "epoch"
    : Object.hasOwn(first, "step")
    ? "step"
    : "";
  const names = keys ??
    Object.keys(first).filter((k) =>
      k !== xName && typeof first[k] === "number"
    );
  if (names.length === 0) {
    throw new RangeError(
      `Cannot draw a history in ${fn}: its records have no numeric field to plot`,
    );
  }
  const x = xName
    ? finiteNumbers(
      records.map((r) => r[xName]),
      fn,
      "the history",
      (j) => `${xName} of record ${j}`,
    )
    : undefined;
  return {
    series: names.map((name, i) => ({
      name,
      values: finiteNumbers(
        records.map((r) => r[name]),
        fn,
        where(i, name),
        (j) => `value ${j}`,
      ),
      x,
    })),
    xName,
  };
}

/**
 * Draws one or more lines as an SVG chart with axes, round-numbered ticks, a
 * grid, axis labels, a title and (for several lines) a legend.
 *
 * The data can be:
 * - an array of numbers: one line, at x = 1, 2, 3, …;
 * - an array of {@linkcode LineSeries} `{ name, values, x? }`;
 * - a training history, an array of records such as `{ epoch, loss,
 *   accuracy }`: one line per numeric field (or per `options.keys`), against
 *   `epoch` (or `step`) when the records have one.
 *
 * @param data The values to draw.
 * @param options Title, labels, size, and which history fields to draw.
 * @returns The SVG document, as text.
 * @throws {TypeError} When the data or an option has the wrong type.
 * @throws {RangeError} When a series is empty, holds a non-finite number, or
 * a size is out of range.
 *
 * @example A loss curve
 * ```ts
 * import { lineChart } from "./plot.ts";
 * import assert from "node:assert/strict";
 *
 * const history = [
 *   { epoch: 1, loss: 0.9 },
 *   { epoch: 2, loss: 0.5 },
 *   { epoch: 3, loss: 0.2 },
 * ];
 * const svg = lineChart(history, { title: "Loss" });
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes(">Loss</text>"));
 * assert.equal(svg.match(/<polyline/g)?.length, 1);
 * ```
 */
export function lineChart(
  data: readonly number[] | readonly LineSeries[] | readonly object[],
  options: LineChartOptions = {},
): string {
  const fn = "lineChart(data, options)";
  const opts = readOptions(options, fn, [
    "title",
    "xLabel",
    "yLabel",
    "keys",
    "width",
    "height",
    "zeroBased",
  ]);
  let keys: string[] | undefined;
  if (opts.keys !== undefined) {
    const raw = opts.keys;
    if (!Array.isArray(raw)) {
      throw new TypeError(
        `Expected options.keys of ${fn} to be an array of field names, got ${
          describe(raw)
        }`,
      );
    }
    keys = [];
    for (let i = 0; i < raw.length; i++) {
      const k: unknown = raw[i];
      if (typeof k !== "string") {
        throw new TypeError(
          `Expected options.keys of ${fn} to hold field names, got ${
            k === undefined && !(i in raw) ? "an empty slot" : describe(k)
          } at ${i}`,
        );
      }
      keys.push(k);
    }
    if (keys.length === 0) {
      throw new RangeError(
        `Expected options.keys of ${fn} to name at least one field`,
      );
    }
  }
  const width = checkSize(opts.width ?? 640, fn, "options.width", 100, 1e4);
  const height = checkSize(opts.height ?? 360, fn, "options.height", 100, 1e4);
  const title = checkString(opts.title ?? "", fn, "options.title");
  const yLabel = checkString(opts.yLabel ?? "", fn, "options.yLabel");
  if (opts.xLabel !== undefined) {
    checkString(opts.xLabel, fn, "options.xLabel");
  }
  const zeroBased = opts.zeroBased ?? true;
  if (typeof zeroBased !== "boolean") {
    throw new TypeError(
      `Expected options.zeroBased of ${fn} to be true or false, got ${
        describe(zeroBased)
      }`,
    );
  }
  const { series, xName } = toSeries(data, keys, fn);
  const xLabel = (opts.xLabel as string | undefined) ?? xName;

  const xsOf = (s: CheckedSeries) => s.x ?? s.values.map((_, i) => i + 1);
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const s of series) {
    for (const v of xsOf(s)) {
      xmin = Math.min(xmin, v);
      xmax = Math.max(xmax, v);
    }
    for (const v of s.values) {
      ymin = Math.min(ymin, v);
      ymax = Math.max(ymax, v);
    }
  }
  if (zeroBased && ymin > 0) ymin = 0;
  // The x axis spans exactly the data (epochs 1 to n); the y axis is widened
  // to round ticks.
  const xr = innerTicks(xmin, xmax, Math.max(2, Math.round(width / 110)));
  const yr = niceTicks(ymin, ymax, Math.max(2, Math.round(height / 70)));
  const { frame, grid, decoration } = axes(width, height, xr, yr, {
    title,
    xLabel,
    yLabel,
  });
  const lines = series.map((s, i) => {
    const xs = xsOf(s);
    const points = s.values.map((v, j) =>
      `${num(frame.xs(xs[j]))},${num(frame.ys(v))}`
    );
    const color = PALETTE[i % PALETTE.length];
    return s.values.length === 1
      ? `<circle cx="${num(frame.xs(xs[0]))}" cy="${
        num(frame.ys(s.values[0]))
      }" r="3" fill="${color}"/>`
      : `<polyline points="${
        points.join(" ")
      }" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`;
  });
  const legend: string[] = [];
  if (series.length > 1) {
    // A box on a white ground, in the corner (or side) the lines cross least.
    const names = series.map((s, i) => s.name || `series ${i + 1}`);
    let longest = 0;
    for (const name of names) longest = Math.max(longest, name.length);
    const boxWidth = 40 + 7 * longest;
    const boxHeight = names.length * 18 + 8;
    const pixels = series.flatMap((s) => {
      const xs = xsOf(s);
      return s.values.map((v, j) => [frame.xs(xs[j]), frame.ys(v)]);
    });
    const middle = (frame.top + frame.bottom - boxHeight) / 2;
    const candidates = [
      [frame.right - boxWidth - 14, frame.top + 4],
      [frame.right - boxWidth - 14, middle],
      [frame.right - boxWidth - 14, frame.bottom - boxHeight - 4],
      [frame.left + 10, frame.top + 4],
      [frame.left + 10, frame.bottom - boxHeight - 4],
    ];
    const crossings = candidates.map(([bx, by]) =>
      pixels.filter(([px, py]) =>
        px >= bx - 6 && px <= bx + boxWidth + 6 && py >= by - 6 &&
        py <= by + boxHeight + 6
      ).length
    );
    const best = candidates[crossings.indexOf(Math.min(...crossings))];
    const x = best[0] + 6;
    const top = best[1];
    legend.push(
      `<rect x="${num(x - 6)}" y="${num(top)}" width="${
        num(boxWidth + 6)
      }" height="${
        num(boxHeight)
      }" fill="#fff" fill-opacity="0.85" stroke="#ccc"/>`,
    );
    names.forEach((name, i) => {
      const y = top + 13 + i * 18;
      legend.push(
        `<line x1="${num(x)}" y1="${num(y)}" x2="${num(x + 20)}" y2="${
          num(y)
        }" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2"/>`,
        `<text x="${num(x + 26)}" y="${num(y)}" dy="0.32em">${
          escapeXml(name)
        }</text>`,
      );
    });
  }
  return svgDocument(width, height, [
    ...grid,
    ...lines,
    ...decoration,
    ...legend,
  ]);
}

function checkRange(
  value: unknown,
  fn: string,
  name: string,
): [number, number] | undefined {
  if (value === undefined) return undefined;
  const lo: unknown = Array.isArray(value) ? value[0] : undefined;
  const hi: unknown = Array.isArray(value) ? value[1] : undefined;
  if (
    !Array.isArray(value) || value.length !== 2 || typeof lo !== "number" ||
    typeof hi !== "number"
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a pair [min, max] of numbers, got ${
        describe(value)
      }`,
    );
  }
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
): Float64Array {
  const out = new Float64Array(m);
  if (Array.isArray(result)) {
    if (result.length !== m) {
      throw new RangeError(
        `Expected predict in ${fn} to return ${m} classes, one per column of its input, got ${result.length}`,
      );
    }
    for (let i = 0; i < m; i++) {
      const c: unknown = result[i];
      if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) {
        throw new RangeError(
          `Expected predict in ${fn} to return classes as integers from 0, got ${
            describe(c)
          } at ${i}`,
        );
      }
      out[i] = c;
    }
    return out;
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
 * @throws {TypeError} When an argument has the wrong type, or `predict`
 * returns something other than classes or a Matrix.
 * @throws {RangeError} When `data.x` is not 2 x n with n labels, a label is
 * not an integer from 0, an option is out of range, or `predict`'s result
 * has the wrong size.
 *
 * @example The line x₁ = x₂ splits two points
 * ```ts
 * import { decisionBoundary } from "./plot.ts";
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
  if (typeof data !== "object" || data === null) {
    throw new TypeError(
      `Expected data of ${fn} to be an object { x, labels }, got ${
        describe(data)
      }`,
    );
  }
  // Each field is read once: a getter cannot pass the checks with one
  // value and be drawn with another.
  const { x, labels: rawLabels } = data;
  assertMatrix(x, fn, "data.x");
  if (x.rows !== 2) {
    throw new RangeError(
      `Cannot draw ${x.rows}-D points in ${fn}: data.x must be 2 x n, one column per point, got ${x.rows}x${x.cols}`,
    );
  }
  if (!Array.isArray(rawLabels)) {
    throw new TypeError(
      `Expected data.labels of ${fn} to be an array of ${x.cols} classes, one per column of data.x, got ${
        describe(rawLabels)
      }`,
    );
  }
  if (rawLabels.length !== x.cols) {
    throw new RangeError(
      `Expected data.labels of ${fn} to be an array of ${x.cols} classes, one per column of data.x, got ${
        describe(rawLabels)
      }`,
    );
  }
  const labels: number[] = [];
  for (let i = 0; i < x.cols; i++) {
    const c: unknown = rawLabels[i];
    if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) {
      throw new RangeError(
        `Expected data.labels of ${fn} to hold integers from 0, got ${
          c === undefined && !(i in rawLabels) ? "an empty slot" : describe(c)
        } at ${i}`,
      );
    }
    labels.push(c);
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
  const width = checkSize(opts.width ?? 480, fn, "options.width", 100, 1e4);
  const height = checkSize(opts.height ?? 480, fn, "options.height", 100, 1e4);
  const resolution = checkSize(
    opts.resolution ?? 100,
    fn,
    "options.resolution",
    2,
    1000,
  );
  if (!Number.isInteger(resolution)) {
    throw new RangeError(
      `Expected options.resolution of ${fn} to be an integer, got ${resolution}`,
    );
  }
  const threshold = opts.threshold ?? 0.5;
  assertNumber(threshold, fn, "options.threshold");
  const cut = threshold as number;
  const title = checkString(opts.title ?? "", fn, "options.title");
  const xLabel = checkString(opts.xLabel ?? "x₁", fn, "options.xLabel");
  const yLabel = checkString(opts.yLabel ?? "x₂", fn, "options.yLabel");
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
  const classes = classesOf(predict(fromData(2, m, grid)), m, cut, fn);

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
        }" height="${num(Number(yb) - Number(ya))}" fill="${
          PALETTE[cls % PALETTE.length]
        }"/>`,
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
      }" r="3.5" fill="${PALETTE[labels[j] % PALETTE.length]}"/>`,
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
