/**
 * Charts for the terminal, as plain strings: a one-line sparkline and a
 * small multi-line chart of a series such as a loss history.
 *
 * @module
 */
import {
  arrayCallback,
  assertInteger,
  assertNumber,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";

const BARS = "▁▂▃▄▅▆▇█";

/** Options for {@linkcode sparkline}. */
export interface SparklineOptions {
  /**
   * The most characters to use. Longer series are shrunk to evenly
   * spaced values, the first and last included; shorter ones keep one
   * character per value.
   *
   * @default {60}
   */
  width?: number;
}

/** Options for {@linkcode asciiChart}. */
export interface AsciiChartOptions {
  /**
   * The most columns of the plot itself, beside the axis labels. Longer
   * series are shrunk to evenly spaced values, the first and last included.
   *
   * @default {60}
   */
  width?: number;
  /**
   * The number of rows of the plot, from 2 to 100.
   *
   * @default {8}
   */
  height?: number;
  /**
   * Significant digits of the axis labels, from 1 to 10.
   *
   * @default {3}
   */
  digits?: number;
}

/** Checks that `values` is a non-empty array of finite numbers. */
function checkValues(values: unknown, fn: string): readonly number[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new TypeError(
      `Expected values of ${fn} to be a non-empty array of numbers, got ${
        describe(values)
      }`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    assertNumber(values[i], fn, `values[${i}]`);
  }
  return values;
}

/**
 * Where `v` lies between `lo` and `hi` (lo < hi), from 0 to 1. The span is
 * halved first when it overflows, as from -1e308 to 1e308.
 */
function fraction(v: number, lo: number, hi: number): number {
  const f = Number.isFinite(hi - lo)
    ? (v - lo) / (hi - lo)
    : (v / 2 - lo / 2) / (hi / 2 - lo / 2);
  return Math.min(1, Math.max(0, f));
}

/** The least and greatest of a non-empty array, without spreading it. */
function extent(values: readonly number[]): [number, number] {
  let lo = values[0], hi = values[0];
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Shrinks `values` to at most `width` by keeping evenly spaced ones, the
 * first and the last included, so the ends of the chart are true values.
 */
function resample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return values.slice();
  if (width === 1) return [values[values.length - 1]];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    out.push(values[Math.round(i * (values.length - 1) / (width - 1))]);
  }
  return out;
}

/**
 * Draws a series as one line of block characters, low values as `▁` and
 * high ones as `█`, scaled between the series' minimum and maximum.
 *
 * @param values The series: finite numbers, at least one.
 * @param options The most characters to use.
 * @returns A string of at most `options.width` block characters; a constant
 * series is drawn as a flat line of `▁`.
 * @throws {TypeError} When `values` is not a non-empty array of numbers,
 * or `options` is not an object of known options.
 * @throws {RangeError} When a value is not finite, or `width` is not an
 * integer from 1 to 1000.
 *
 * @example A falling loss
 * ```ts
 * import { sparkline } from "./text_chart.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sparkline([8, 4, 2, 1, 0]), "█▅▃▂▁");
 * assert.equal(sparkline([1, 2, 3, 4], { width: 2 }), "▁█");
 * ```
 */
export function sparkline(
  values: readonly number[],
  options: SparklineOptions = {},
): string {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("sparkline(values, options)", arguments.length, 1);
  }
  const fn = "sparkline(values, options)";
  const series = checkValues(values, fn);
  const opts = readOptions(options, fn, ["width"]);
  const width = assertInteger(opts.width ?? 60, fn, "options.width", 1, 1000);
  const vs = resample(series, width);
  const [lo, hi] = extent(vs);
  return vs.map((v) => {
    if (hi === lo) return BARS[0];
    return BARS[Math.round(fraction(v, lo, hi) * (BARS.length - 1))];
  }).join("");
}

function label(v: number, digits: number): string {
  const text = Number(v.toPrecision(digits)).toString();
  return text === "-0" ? "0" : text;
}

/**
 * Draws a series as a small chart of text lines: a `•` per column at the
 * height of its value, with the range's labels on a y axis and the first and
 * last index (from 1) under the x axis. Long series are shrunk to evenly spaced values.
 *
 * @param values The series: finite numbers, at least one.
 * @param options Width, height and label digits.
 * @returns The chart: `height + 2` lines joined by "\n", with no trailing
 * newline.
 * @throws {TypeError} When `values` is not a non-empty array of numbers,
 * or `options` is not an object of known options.
 * @throws {RangeError} When a value is not finite, or an option is out of
 * range.
 *
 * @example Usage
 * ```ts
 * import { asciiChart } from "./text_chart.ts";
 * import assert from "node:assert/strict";
 *
 * const chart = asciiChart([4, 3, 2, 1], { height: 4 });
 * assert.equal(chart, [
 *   "4 ┤•   ",
 *   "  │ •  ",
 *   "  │  • ",
 *   "1 ┤   •",
 *   "  └────",
 *   "   1  4",
 * ].join("\n"));
 * ```
 */
export function asciiChart(
  values: readonly number[],
  options: AsciiChartOptions = {},
): string {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("asciiChart(values, options)", arguments.length, 1);
  }
  const fn = "asciiChart(values, options)";
  const series = checkValues(values, fn);
  const opts = readOptions(options, fn, ["width", "height", "digits"]);
  const width = assertInteger(opts.width ?? 60, fn, "options.width", 2, 1000);
  const height = assertInteger(opts.height ?? 8, fn, "options.height", 2, 100);
  const digits = assertInteger(opts.digits ?? 3, fn, "options.digits", 1, 10);
  const vs = resample(series, width);
  const [lo, hi] = extent(vs);
  const rowOf = (v: number): number =>
    hi === lo ? height - 1 : Math.round(fraction(-v, -hi, -lo) * (height - 1));
  const grid = Array.from({ length: height }, () => vs.map(() => " "));
  vs.forEach((v, c) => {
    grid[rowOf(v)][c] = "•";
  });
  const top = label(hi, digits);
  const bottom = label(lo, digits);
  const pad = Math.max(top.length, bottom.length);
  const lines = grid.map((row, r) => {
    const tick = r === 0 ? top : r === height - 1 ? bottom : "";
    const axis = r === 0 || r === height - 1 ? "┤" : "│";
    return `${tick.padStart(pad)} ${axis}${row.join("")}`;
  });
  lines.push(`${" ".repeat(pad)} └${"─".repeat(vs.length)}`);
  const first = "1";
  const last = String(series.length);
  const gap = Math.max(1, vs.length - first.length - last.length);
  lines.push(
    `${" ".repeat(pad + 2)}${first}${
      vs.length > 1 ? " ".repeat(gap) + last : ""
    }`,
  );
  return lines.join("\n");
}
