/**
 * A line chart, such as a loss history. A pure function: it returns an `Svg`,
 * drawn inline in a Jupyter notebook and SVG text everywhere else
 * (`String(svg)`, `svg.markup`), and writes nothing; save it with
 * `Deno.writeTextFile(path, svg.markup)`.
 *
 * @module
 */
import {
  arrayCallback,
  assertInRange,
  assertNumber,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { isMatrix } from "../core/_matrix.ts";
import {
  assertBoolean,
  assertString,
  axes,
  colorOf,
  escapeXml,
  innerTicks,
  niceTicks,
  num,
  type Svg,
  svgDocument,
} from "./_svg.ts";

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

/** A series after checking: finite values, and their x when given. */
interface Series {
  name: string;
  values: readonly number[];
  x?: readonly number[];
}

/** Checks that every entry is a finite number; `name(j)` names entry j. */
function finiteNumbers(
  values: readonly unknown[],
  fn: string,
  name: (j: number) => string,
): readonly number[] {
  for (let j = 0; j < values.length; j++) assertNumber(values[j], fn, name(j));
  return values as readonly number[];
}

/** Reads the chart's data into checked series, whatever form it came in. */
function toSeries(
  data: unknown,
  keys: readonly string[] | undefined,
  fn: string,
): { series: Series[]; xName: string } {
  if (!Array.isArray(data) || data.length === 0) {
    throw new TypeError(
      `Expected data of ${fn} to be a non-empty array of numbers, of series { name, values } or of history records, got ${
        describe(data)
      }`,
    );
  }
  const numbers = typeof data[0] === "number";
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    const ok = numbers ? typeof v === "number" : typeof v === "object" &&
      v !== null && !Array.isArray(v) && !isMatrix(v);
    if (!ok) {
      throw new TypeError(
        `Expected data of ${fn} to hold only numbers or only objects { name, values } or records, got ${
          describe(v)
        } at ${i}`,
      );
    }
  }
  if (numbers) {
    return {
      series: [{
        name: "",
        values: finiteNumbers(data, fn, (j) => `data[${j}]`),
      }],
      xName: "",
    };
  }
  const records = data as Record<string, unknown>[];
  if (records.every((r) => Array.isArray(r.values))) {
    return {
      series: records.map((r, i) => {
        const name = r.name === undefined
          ? ""
          : assertString(r.name, fn, `data[${i}].name`);
        const where = `series ${i}${name ? ` (${name})` : ""}`;
        const values = r.values as unknown[];
        if (values.length === 0) {
          throw new RangeError(
            `Cannot draw ${where} in ${fn}: it has no values`,
          );
        }
        finiteNumbers(values, fn, (j) => `data[${i}].values[${j}]`);
        if (r.x === undefined) return { name, values: values as number[] };
        if (!Array.isArray(r.x) || r.x.length !== values.length) {
          throw new RangeError(
            `Cannot draw ${where} in ${fn}: it has ${values.length} values but its x is ${
              describe(r.x)
            }`,
          );
        }
        const x = finiteNumbers(r.x, fn, (j) => `data[${i}].x[${j}]`);
        return { name, values: values as number[], x };
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
  const column = (field: string) =>
    finiteNumbers(
      records.map((r) => r[field]),
      fn,
      (j) => `data[${j}].${field}`,
    );
  const x = xName ? column(xName) : undefined;
  return {
    series: names.map((name) => ({ name, values: column(name), x })),
    xName,
  };
}

/**
 * How many of a line's points and segments, in pixels, fall in or cross the
 * box from (x0, y0) to (x1, y1).
 */
function hits(
  px: readonly number[],
  py: readonly number[],
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  const inside = (x: number, y: number) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
  let count = 0;
  for (let j = 0; j < px.length; j++) {
    if (inside(px[j], py[j])) {
      count++;
      continue;
    }
    if (j === 0) continue;
    // A segment with both ends outside crosses the box when it crosses one
    // of its sides: sampled every few pixels, enough for a legend.
    const steps = Math.min(
      200,
      Math.ceil(Math.hypot(px[j] - px[j - 1], py[j] - py[j - 1]) / 4),
    );
    for (let k = 1; k < steps; k++) {
      const t = k / steps;
      if (
        inside(
          px[j - 1] + t * (px[j] - px[j - 1]),
          py[j - 1] + t * (py[j] - py[j - 1]),
        )
      ) {
        count++;
        break;
      }
    }
  }
  return count;
}

/**
 * Draws one or more lines as an SVG chart with axes, round-numbered ticks, a
 * grid, axis labels, a title and (for several lines) a legend, in a corner
 * the lines leave free or, when they leave none, above the plot. A series of
 * one value is drawn as a dot.
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
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When the data, a value in it, or an option has the
 * wrong type, or an option is unknown.
 * @throws {RangeError} When a series is empty, holds a non-finite number, or
 * a size is out of range.
 *
 * @example A loss curve
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * import assert from "node:assert/strict";
 *
 * const history = [
 *   { epoch: 1, loss: 0.9 },
 *   { epoch: 2, loss: 0.5 },
 *   { epoch: 3, loss: 0.2 },
 * ];
 * const svg = lineChart(history, { title: "Loss" });
 * assert.ok(svg.markup.startsWith("<svg"));
 * assert.ok(svg.markup.includes(">Loss</text>"));
 * assert.equal(svg.markup.match(/<polyline/g)?.length, 1);
 * // The same text wherever a string is wanted; a picture in Jupyter.
 * assert.equal(String(svg), svg.markup);
 * ```
 */
export function lineChart(
  data: readonly number[] | readonly LineSeries[] | readonly object[],
  options: LineChartOptions = {},
): Svg {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("lineChart(data, options)", arguments.length, 1);
  }
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
  const keys = opts.keys;
  if (keys !== undefined) {
    if (!Array.isArray(keys)) {
      throw new TypeError(
        `Expected options.keys of ${fn} to be an array of field names, got ${
          describe(keys)
        }`,
      );
    }
    if (keys.length === 0) {
      throw new RangeError(
        `Expected options.keys of ${fn} to name at least one field`,
      );
    }
    for (let i = 0; i < keys.length; i++) {
      assertString(keys[i], fn, `options.keys[${i}]`);
    }
  }
  const width = assertInRange(opts.width ?? 640, fn, "options.width", 100, 1e4);
  const height = assertInRange(
    opts.height ?? 360,
    fn,
    "options.height",
    100,
    1e4,
  );
  const title = assertString(opts.title ?? "", fn, "options.title");
  const yLabel = assertString(opts.yLabel ?? "", fn, "options.yLabel");
  const givenXLabel = opts.xLabel === undefined
    ? undefined
    : assertString(opts.xLabel, fn, "options.xLabel");
  const zeroBased = assertBoolean(
    opts.zeroBased ?? true,
    fn,
    "options.zeroBased",
  );
  const { series, xName } = toSeries(data, keys as string[] | undefined, fn);
  const xLabel = givenXLabel ?? xName;

  const xsOf = (s: Series) => s.x ?? s.values.map((_, i) => i + 1);
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
  const names = series.map((s, i) => s.name || `series ${i + 1}`);
  const axesText = { title, xLabel, yLabel };
  let { frame, grid, decoration } = axes(width, height, xr, yr, axesText);
  const legend: string[] = [];
  /** A legend entry's mark at (x, y): a line, or a dot for one value. */
  const mark = (i: number, x: number, y: number) =>
    series[i].values.length === 1
      ? `<circle cx="${num(x + 10)}" cy="${num(y)}" r="3.5" fill="${
        colorOf(i)
      }"/>`
      : `<line x1="${num(x)}" y1="${num(y)}" x2="${num(x + 20)}" y2="${
        num(y)
      }" stroke="${colorOf(i)}" stroke-width="2"/>`;
  if (series.length > 1) {
    // A box on a white ground, in the corner (or side) the lines cross
    // least; above the plot when every such place would hide some of them.
    let longest = 0;
    for (const name of names) longest = Math.max(longest, name.length);
    const boxWidth = 40 + 7 * longest;
    const boxHeight = names.length * 18 + 8;
    const middle = (frame.top + frame.bottom - boxHeight) / 2;
    const candidates = [
      [frame.right - boxWidth - 14, frame.top + 4],
      [frame.right - boxWidth - 14, middle],
      [frame.right - boxWidth - 14, frame.bottom - boxHeight - 4],
      [frame.left + 10, frame.top + 4],
      [frame.left + 10, frame.bottom - boxHeight - 4],
    ];
    const crossings = candidates.map(([bx, by]) =>
      series.reduce((count, s) => {
        const xs = xsOf(s);
        const px = s.values.map((_, j) => frame.xs(xs[j]));
        const py = s.values.map((v) => frame.ys(v));
        return count +
          hits(px, py, bx - 6, by - 6, bx + boxWidth + 6, by + boxHeight + 6);
      }, 0)
    );
    const fewest = Math.min(...crossings);
    if (fewest === 0) {
      const [bx, top] = candidates[crossings.indexOf(0)];
      const x = bx + 6;
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
          mark(i, x, y),
          `<text x="${num(x + 26)}" y="${num(y)}" dy="0.32em">${
            escapeXml(name)
          }</text>`,
        );
      });
    } else {
      // Rows of entries between the title and the plot.
      const rows: { x: number; row: number }[] = [];
      let x = 0, row = 0;
      const room = width - 84;
      for (const name of names) {
        const w = 30 + 7 * name.length + 14;
        if (x > 0 && x + w > room) {
          x = 0;
          row++;
        }
        rows.push({ x, row });
        x += w;
      }
      const legendHeight = (row + 1) * 18 + 4;
      ({ frame, grid, decoration } = axes(
        width,
        height,
        xr,
        yr,
        axesText,
        legendHeight,
      ));
      const top = frame.top - legendHeight - 2;
      names.forEach((name, i) => {
        const lx = 64 + rows[i].x;
        const y = top + 9 + rows[i].row * 18;
        legend.push(
          mark(i, lx, y),
          `<text x="${num(lx + 26)}" y="${num(y)}" dy="0.32em">${
            escapeXml(name)
          }</text>`,
        );
      });
    }
  }
  const lines = series.map((s, i) => {
    const xs = xsOf(s);
    const points = s.values.map((v, j) =>
      `${num(frame.xs(xs[j]))},${num(frame.ys(v))}`
    );
    return s.values.length === 1
      ? `<circle cx="${num(frame.xs(xs[0]))}" cy="${
        num(frame.ys(s.values[0]))
      }" r="3.5" fill="${colorOf(i)}"/>`
      : `<polyline points="${points.join(" ")}" fill="none" stroke="${
        colorOf(i)
      }" stroke-width="2" stroke-linejoin="round"/>`;
  });
  return svgDocument(width, height, [
    ...grid,
    ...lines,
    ...decoration,
    ...legend,
  ]);
}
