/**
 * Points in the plane, coloured by a value: such as the validation accuracy of
 * each trial of a random search over two hyperparameters on log axes
 * (ゼロから作るDeep Learning §6.5). A pure function: it returns an `Svg`, drawn
 * inline in a Jupyter notebook and SVG text everywhere else (`String(svg)`,
 * `svg.markup`), and writes nothing; save it with `Deno.writeTextFile(path,
 * svg.markup)`.
 *
 * @module
 */
import {
  arrayCallback,
  assertChoice,
  assertInRange,
  assertNumber,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import {
  assertString,
  colorOf,
  escapeXml,
  num,
  type Svg,
  svgDocument,
  titleText,
} from "./_svg.ts";
import {
  type Axis,
  linearAxis,
  logAxis,
  optionalRange,
  optionalString,
  scaleColor,
  textWidth,
} from "./_panels.ts";

/** One point of a {@linkcode scatterPlot}. */
export interface ScatterPoint {
  /** Its x coordinate (positive on a log axis). */
  readonly x: number;
  /** Its y coordinate (positive on a log axis). */
  readonly y: number;
  /**
   * The value that colours it, on the colour bar; either every point has
   * one or none has.
   *
   * @default {undefined} (one colour)
   */
  readonly value?: number;
  /**
   * A short text written beside it, such as its rank.
   *
   * @default {undefined} (none)
   */
  readonly label?: string;
}

/** Options for {@linkcode scatterPlot}. */
export interface ScatterPlotOptions {
  /**
   * The title above the plot.
   *
   * @default {""}
   */
  title?: string;
  /**
   * The label under the x axis.
   *
   * @default {"x"}
   */
  xLabel?: string;
  /**
   * The label beside the y axis.
   *
   * @default {"y"}
   */
  yLabel?: string;
  /**
   * What the colours stand for: the colour bar's title.
   *
   * @default {"value"}
   */
  valueLabel?: string;
  /**
   * The x axis' scale: "log" spaces powers of ten evenly.
   *
   * @default {"linear"}
   */
  xScale?: "linear" | "log";
  /**
   * The y axis' scale: "log" spaces powers of ten evenly.
   *
   * @default {"linear"}
   */
  yScale?: "linear" | "log";
  /**
   * The values at the colour bar's ends, `[lo, hi]`; values outside take
   * the end colours.
   *
   * @default {the smallest and largest value}
   */
  valueRange?: readonly [number, number];
  /**
   * What the point labels mean, for the legend, such as "rank".
   *
   * @default {""} (no legend entry)
   */
  labelMeaning?: string;
  /**
   * Width of the picture in pixels, from 200 to 10000.
   *
   * @default {640}
   */
  width?: number;
  /**
   * Height of the picture in pixels, from 150 to 10000.
   *
   * @default {440}
   */
  height?: number;
}

const FN = "scatterPlot(points, options)";

function readPoints(points: unknown): ScatterPoint[] {
  if (!Array.isArray(points) || points.length === 0 || points.length > 1e5) {
    throw new TypeError(
      `Expected points of ${FN} to be an array of 1 to 100000 points { x, y, value?, label? }, got ${
        describe(points)
      }`,
    );
  }
  const list = points.map((p: unknown, i) => {
    const where = `points[${i}]`;
    if (typeof p !== "object" || p === null || Array.isArray(p)) {
      throw new TypeError(
        `Expected ${where} of ${FN} to be a point { x, y, value?, label? }, got ${
          describe(p)
        }`,
      );
    }
    const o = readOptions(p, FN, ["x", "y", "value", "label"]);
    assertNumber(o.x, FN, `${where}.x`);
    assertNumber(o.y, FN, `${where}.y`);
    if (o.value !== undefined) assertNumber(o.value, FN, `${where}.value`);
    const label = o.label === undefined
      ? undefined
      : assertString(o.label, FN, `${where}.label`);
    return { x: o.x, y: o.y, value: o.value as number | undefined, label };
  });
  const valued = list.filter((p) => p.value !== undefined).length;
  if (valued !== 0 && valued !== list.length) {
    throw new TypeError(
      `Expected either every point of ${FN} to have a value or none: ${valued} of ${list.length} have one`,
    );
  }
  return list;
}

function axisOf(
  values: number[],
  scale: "linear" | "log",
  count: number,
  name: string,
): { axis: Axis; at: (v: number) => number } {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (scale === "log") {
    if (!(lo > 0)) {
      throw new RangeError(
        `Cannot put ${lo} on the log ${name} axis of ${FN}: every ${name} must be positive`,
      );
    }
    return { axis: logAxis(lo, hi, count), at: Math.log10 };
  }
  return { axis: linearAxis(lo, hi, count), at: (v) => v };
}

/**
 * Draws points as a scatter plot: round ticks on linear axes, whole powers
 * of ten on log axes, each point coloured by its value on a sequential
 * scale (dark purple low, yellow high) explained by a colour bar, and an
 * optional short label beside each point. Points without values are drawn
 * in one colour, without a colour bar.
 *
 * @param points The points: `{ x, y, value?, label? }`.
 * @param options Title, axis labels and scales, the colour bar's title and
 * range, what the labels mean, and the size.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When `points` is not a non-empty array of points,
 * some points have values and some not, or an option is unknown or of the
 * wrong type.
 * @throws {RangeError} When a coordinate or value is not finite, a
 * coordinate on a log axis is not positive, or an option is out of range.
 *
 * @example Accuracy against two rates, on log axes
 * ```ts
 * import { scatterPlot } from "./scatter.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = scatterPlot([
 *   { x: 1e-3, y: 1e-6, value: 0.9, label: "1" },
 *   { x: 1e-5, y: 1e-5, value: 0.1 },
 * ], { title: "Search", xScale: "log", yScale: "log", valueLabel: "accuracy" });
 * assert.ok(svg.markup.startsWith("<svg"));
 * assert.match(svg.markup, />Search</);
 * assert.match(svg.markup, />10⁻³</); // powers of ten as ticks
 * assert.match(svg.markup, />accuracy</);
 * assert.equal(svg.markup.match(/<circle/g)?.length, 2);
 * assert.throws(() => scatterPlot([{ x: 0, y: 1 }], { xScale: "log" }), RangeError);
 * ```
 */
export function scatterPlot(
  points: readonly ScatterPoint[],
  options: ScatterPlotOptions = {},
): Svg {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("scatterPlot(points, options)", arguments.length, 1);
  }
  const list = readPoints(points);
  const o = readOptions(options, FN, [
    "title",
    "xLabel",
    "yLabel",
    "valueLabel",
    "xScale",
    "yScale",
    "valueRange",
    "labelMeaning",
    "width",
    "height",
  ]);
  const title = optionalString(o.title, "", FN, "options.title");
  const xLabel = optionalString(o.xLabel, "x", FN, "options.xLabel");
  const yLabel = optionalString(o.yLabel, "y", FN, "options.yLabel");
  const valueLabel = optionalString(
    o.valueLabel,
    "value",
    FN,
    "options.valueLabel",
  );
  const labelMeaning = optionalString(
    o.labelMeaning,
    "",
    FN,
    "options.labelMeaning",
  );
  const xScale = assertChoice(o.xScale ?? "linear", FN, "options.xScale", [
    "linear",
    "log",
  ]);
  const yScale = assertChoice(o.yScale ?? "linear", FN, "options.yScale", [
    "linear",
    "log",
  ]);
  const width = o.width === undefined
    ? 640
    : assertInRange(o.width, FN, "options.width", 200, 1e4);
  const height = o.height === undefined
    ? 440
    : assertInRange(o.height, FN, "options.height", 150, 1e4);
  const valued = list[0].value !== undefined;
  let valueRange = optionalRange(o.valueRange, FN, "options.valueRange");
  if (valued && valueRange === undefined) {
    let lo = Infinity, hi = -Infinity;
    for (const p of list) {
      lo = Math.min(lo, p.value as number);
      hi = Math.max(hi, p.value as number);
    }
    valueRange = hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
  }

  const barWidth = valued ? 90 : 0;
  const left = 70;
  const right = width - 20 - barWidth;
  const top = (title ? 44 : 18) + (labelMeaning ? 18 : 0);
  const bottom = height - 50;
  // The data lie inside the frame by a point's width, off its edges.
  const pad = 12;
  const xs = axisOf(
    list.map((p) => p.x),
    xScale,
    Math.max(2, Math.round((right - left) / 80)),
    "x",
  );
  const ys = axisOf(
    list.map((p) => p.y),
    yScale,
    Math.max(2, Math.round((bottom - top) / 60)),
    "y",
  );
  const pxAxis = (t: number) =>
    left + pad +
    (t - xs.axis.lo) / (xs.axis.hi - xs.axis.lo) * (right - left - 2 * pad);
  const pyAxis = (t: number) =>
    bottom - pad -
    (t - ys.axis.lo) / (ys.axis.hi - ys.axis.lo) * (bottom - top - 2 * pad);
  const px = (v: number) => pxAxis(xs.at(v));
  const py = (v: number) => pyAxis(ys.at(v));

  const body: string[] = [];
  for (const t of xs.axis.ticks) {
    const x = num(pxAxis(t));
    body.push(
      `<line x1="${x}" y1="${num(top)}" x2="${x}" y2="${
        num(bottom)
      }" stroke="#e5e5e5"/>`,
      `<line x1="${x}" y1="${num(bottom)}" x2="${x}" y2="${
        num(bottom + 5)
      }" stroke="#333"/>`,
      `<text x="${x}" y="${num(bottom + 18)}" text-anchor="middle">${
        escapeXml(xs.axis.label(t))
      }</text>`,
    );
  }
  for (const t of ys.axis.ticks) {
    const y = num(pyAxis(t));
    body.push(
      `<line x1="${num(left)}" y1="${y}" x2="${
        num(right)
      }" y2="${y}" stroke="#e5e5e5"/>`,
      `<line x1="${num(left - 5)}" y1="${y}" x2="${
        num(left)
      }" y2="${y}" stroke="#333"/>`,
      `<text x="${num(left - 8)}" y="${y}" text-anchor="end" dy="0.32em">${
        escapeXml(ys.axis.label(t))
      }</text>`,
    );
  }
  body.push(
    `<rect x="${num(left)}" y="${num(top)}" width="${
      num(right - left)
    }" height="${num(bottom - top)}" fill="none" stroke="#333"/>`,
  );
  const [vlo, vhi] = valueRange ?? [0, 1];
  const colorFor = (p: ScatterPoint) =>
    valued ? scaleColor(((p.value as number) - vlo) / (vhi - vlo)) : colorOf(0);
  // Low values first, so that the best points are drawn on top.
  const order = list.map((_, i) => i);
  if (valued) {
    order.sort((a, b) => (list[a].value as number) - (list[b].value as number));
  }
  for (const i of order) {
    const p = list[i];
    body.push(
      `<circle cx="${num(px(p.x))}" cy="${num(py(p.y))}" r="6" fill="${
        colorFor(p)
      }" stroke="#333" stroke-width="0.8"/>`,
    );
  }
  for (const p of list) {
    if (p.label) {
      body.push(
        `<text x="${num(px(p.x) + 8)}" y="${
          num(py(p.y) - 7)
        }" font-size="11" font-weight="bold">${escapeXml(p.label)}</text>`,
      );
    }
  }
  if (title) {
    body.push(titleText(title, width));
  }
  body.push(
    `<text x="${num((left + right) / 2)}" y="${
      num(height - 12)
    }" text-anchor="middle">${
      escapeXml(xLabel + (xScale === "log" ? " (log scale)" : ""))
    }</text>`,
  );
  const cy = num((top + bottom) / 2);
  body.push(
    `<text x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${
      escapeXml(yLabel + (yScale === "log" ? " (log scale)" : ""))
    }</text>`,
  );
  if (valued) {
    // The colour bar: the scale from low (bottom) to high (top), with ticks.
    const bx = right + 34, bw = 14;
    const bTop = top + 34, bBottom = bottom;
    const steps = 40;
    for (let k = 0; k < steps; k++) {
      const y0 = bBottom - (k + 1) * (bBottom - bTop) / steps;
      body.push(
        `<rect x="${num(bx)}" y="${num(y0)}" width="${bw}" height="${
          num((bBottom - bTop) / steps + 0.5)
        }" fill="${scaleColor((k + 0.5) / steps)}"/>`,
      );
    }
    body.push(
      `<rect x="${num(bx)}" y="${num(bTop)}" width="${bw}" height="${
        num(bBottom - bTop)
      }" fill="none" stroke="#333"/>`,
    );
    // The bar's title, over two lines when it is wider than the bar's space.
    const words = valueLabel.split(" ");
    const half = Math.ceil(words.length / 2);
    const lines = textWidth(valueLabel, 11) > barWidth && words.length > 1
      ? [words.slice(0, half).join(" "), words.slice(half).join(" ")]
      : [valueLabel];
    lines.forEach((line, k) =>
      body.push(
        `<text x="${num(bx + bw / 2)}" y="${
          num(bTop - 8 - (lines.length - 1 - k) * 13)
        }" text-anchor="middle" font-size="11">${escapeXml(line)}</text>`,
      )
    );
    const axis = linearAxis(vlo, vhi, 5, false);
    for (const t of axis.ticks) {
      const y = bBottom - (t - vlo) / (vhi - vlo) * (bBottom - bTop);
      body.push(
        `<line x1="${num(bx + bw)}" y1="${num(y)}" x2="${
          num(bx + bw + 4)
        }" y2="${num(y)}" stroke="#333"/>`,
        `<text x="${num(bx + bw + 6)}" y="${
          num(y)
        }" dy="0.32em" font-size="10">${escapeXml(axis.label(t))}</text>`,
      );
    }
  }
  if (labelMeaning) {
    body.push(
      `<text x="${num(left)}" y="${num(top - 8)}" font-size="11">${
        escapeXml(`numbers beside the points: ${labelMeaning}`)
      }</text>`,
    );
  }
  return svgDocument(width, height, body);
}
