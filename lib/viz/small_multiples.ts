/**
 * Line charts as small multiples: panels side by side with the same axes, one
 * legend and one label per axis, such as training and test accuracy for each
 * regularization (ゼロから作るDeep Learning, figures 6-20 to 6-23) or with and
 * without batch normalization for each weight scale (figure 6-19). A pure
 * function: it returns an `Svg`, drawn inline in a Jupyter notebook and SVG
 * text everywhere else (`String(svg)`, `svg.markup`), and writes nothing; save
 * it with `Deno.writeTextFile(path, svg.markup)`.
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
import { assertBoolean, assertString, colorOf, num, type Svg } from "./_svg.ts";
import {
  type Axis,
  gridDocument,
  type LegendItem,
  linearAxis,
  optionalColumns,
  optionalRange,
  optionalSize,
  optionalString,
  panelAxes,
} from "./_panels.ts";

/** One line of a panel of {@linkcode lineChartGrid}. */
export interface GridSeries {
  /**
   * The line's name in the legend. Lines of the same name in different
   * panels share one legend entry, and its colour and dashes.
   */
  readonly name: string;
  /** The y values, finite numbers, at least one. */
  readonly values: readonly number[];
  /**
   * The x value of each y value.
   *
   * @default {1, 2, 3, …}
   */
  readonly x?: readonly number[];
  /**
   * Draw the line dashed.
   *
   * @default {false}
   */
  readonly dashed?: boolean;
  /**
   * The palette colour, from 0 to 9 (Tableau 10).
   *
   * @default {the order of the name's first appearance}
   */
  readonly color?: number;
}

/** One panel of {@linkcode lineChartGrid}: a title and its lines. */
export interface LinePanel {
  /** The panel's title. */
  readonly title: string;
  /** The panel's lines. */
  readonly series: readonly GridSeries[];
  /**
   * This panel's own y range `[lo, hi]`, such as `[0, 1]` for accuracy in a
   * panel beside one of loss, so that quantities of different scales do not
   * share one axis.
   *
   * @default {the range the panels without one share}
   */
  readonly yRange?: readonly [number, number];
}

/** Options for {@linkcode lineChartGrid}. */
export interface LineChartGridOptions {
  /**
   * The title above the panels.
   *
   * @default {""}
   */
  title?: string;
  /**
   * The label under the x axes.
   *
   * @default {"epoch"}
   */
  xLabel?: string;
  /**
   * The label beside the y axes.
   *
   * @default {""}
   */
  yLabel?: string;
  /**
   * The y range of every panel without a `yRange` of its own, `[lo, hi]`,
   * such as `[0, 1]` for accuracy.
   *
   * @default {the values' range over those panels, widened to round ticks}
   */
  yRange?: readonly [number, number];
  /**
   * Panels per row, from 1 to 100.
   *
   * @default {4, or fewer when there are fewer panels}
   */
  columns?: number;
  /**
   * Width of each panel in pixels, from 80 to 2000.
   *
   * @default {240}
   */
  panelWidth?: number;
  /**
   * Height of each panel in pixels, from 80 to 2000.
   *
   * @default {180}
   */
  panelHeight?: number;
}

const FN = "lineChartGrid(panels, options)";

interface Series {
  name: string;
  values: readonly number[];
  x: readonly number[];
  dashed: boolean;
  color?: number;
}

function readSeries(s: unknown, where: string): Series {
  if (typeof s !== "object" || s === null || Array.isArray(s)) {
    throw new TypeError(
      `Expected ${where} of ${FN} to be a line { name, values, x?, dashed?, color? }, got ${
        describe(s)
      }`,
    );
  }
  const o = readOptions(s, FN, ["name", "values", "x", "dashed", "color"]);
  const name = assertString(o.name ?? "", FN, `${where}.name`);
  if (!Array.isArray(o.values) || o.values.length === 0) {
    throw new TypeError(
      `Expected ${where}.values of ${FN} to be a non-empty array of numbers, got ${
        describe(o.values)
      }`,
    );
  }
  const values = o.values as unknown[];
  values.forEach((v, j) => assertNumber(v, FN, `${where}.values[${j}]`));
  let x: number[];
  if (o.x === undefined) x = values.map((_, j) => j + 1);
  else {
    if (!Array.isArray(o.x) || o.x.length !== values.length) {
      throw new RangeError(
        `Expected ${where}.x of ${FN} to hold one number per value (${values.length}), got ${
          describe(o.x)
        }`,
      );
    }
    (o.x as unknown[]).forEach((v, j) =>
      assertNumber(v, FN, `${where}.x[${j}]`)
    );
    x = o.x as number[];
  }
  const dashed = assertBoolean(o.dashed ?? false, FN, `${where}.dashed`);
  const color = o.color === undefined
    ? undefined
    : assertInteger(o.color, FN, `${where}.color`, 0, 9);
  return { name, values: values as number[], x, dashed, color };
}

interface Panel {
  title: string;
  series: Series[];
  yRange?: [number, number];
}

function readPanels(panels: unknown): Panel[] {
  if (!Array.isArray(panels) || panels.length === 0 || panels.length > 100) {
    throw new TypeError(
      `Expected panels of ${FN} to be an array of 1 to 100 panels { title, series }, got ${
        describe(panels)
      }`,
    );
  }
  return panels.map((p: unknown, i) => {
    const where = `panels[${i}]`;
    if (typeof p !== "object" || p === null || Array.isArray(p)) {
      throw new TypeError(
        `Expected ${where} of ${FN} to be a panel { title, series }, got ${
          describe(p)
        }`,
      );
    }
    const o = readOptions(p, FN, ["title", "series", "yRange"]);
    const title = assertString(o.title ?? "", FN, `${where}.title`);
    if (!Array.isArray(o.series) || o.series.length === 0) {
      throw new TypeError(
        `Expected ${where}.series of ${FN} to be a non-empty array of lines, got ${
          describe(o.series)
        }`,
      );
    }
    const yRange = optionalRange(o.yRange, FN, `${where}.yRange`);
    return {
      title,
      series: o.series.map((s: unknown, k) =>
        readSeries(s, `${where}.series[${k}]`)
      ),
      ...(yRange ? { yRange } : {}),
    };
  });
}

/**
 * Draws line charts as small multiples: one panel per {@linkcode LinePanel},
 * all with the same x and y axes so that they compare at a glance (a panel
 * with a `yRange` of its own has its own y axis, as accuracy beside loss), one
 * legend above them (a line's name, colour and dashes mean the same in
 * every panel), and one label per axis. A line of one value is drawn as a
 * dot.
 *
 * @param panels The panels: `{ title, series }`, each series `{ name,
 * values, x?, dashed?, color? }`.
 * @param options Title, axis labels, the shared y range, columns and panel
 * size.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When `panels` is not a non-empty array of panels, a
 * line is not `{ name, values }` with numbers, or an option is unknown or
 * of the wrong type.
 * @throws {RangeError} When a number is not finite, a line's x and values
 * differ in length, or an option is out of range.
 *
 * @example Train solid, test dashed, in two panels
 * ```ts
 * import { lineChartGrid } from "./small_multiples.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = lineChartGrid([
 *   { title: "plain", series: [
 *     { name: "train", values: [0.5, 0.9, 1] },
 *     { name: "test", values: [0.4, 0.6, 0.65], dashed: true },
 *   ] },
 *   { title: "dropout", series: [
 *     { name: "train", values: [0.4, 0.7, 0.8] },
 *     { name: "test", values: [0.4, 0.6, 0.7], dashed: true },
 *   ] },
 * ], { title: "Accuracy", yRange: [0, 1], yLabel: "accuracy" });
 * assert.ok(svg.markup.startsWith("<svg"));
 * assert.match(svg.markup, />dropout</);
 * // Four lines, two of them dashed, and a dashed legend entry.
 * assert.equal(svg.markup.match(/<polyline/g)?.length, 4);
 * assert.equal(svg.markup.match(/stroke-dasharray/g)?.length, 3);
 * assert.throws(() => lineChartGrid([{ title: "", series: [{ name: "", values: [Infinity] }] }]), RangeError);
 * ```
 *
 * @example Loss and accuracy, each on its own axis
 * ```ts
 * import { lineChartGrid } from "./small_multiples.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = lineChartGrid([
 *   { title: "loss (cross-entropy)", series: [{ name: "training", values: [2.3, 0.9, 0.4] }] },
 *   { title: "accuracy (share correct)", yRange: [0, 1], series: [
 *     { name: "training", values: [0.3, 0.8, 0.9] },
 *     { name: "test", values: [0.3, 0.7, 0.8], dashed: true },
 *   ] },
 * ], { title: "Training", columns: 2 });
 * // The loss is ticked up to 2.5, the accuracy from 0 to 1.
 * assert.match(svg.markup, />2\.5</);
 * assert.match(svg.markup, />1\.0</);
 * ```
 */
export function lineChartGrid(
  panels: readonly LinePanel[],
  options: LineChartGridOptions = {},
): Svg {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "lineChartGrid(panels, options)",
      arguments.length,
      1,
    );
  }
  const list = readPanels(panels);
  const o = readOptions(options, FN, [
    "title",
    "xLabel",
    "yLabel",
    "yRange",
    "columns",
    "panelWidth",
    "panelHeight",
  ]);
  const title = optionalString(o.title, "", FN, "options.title");
  const xLabel = optionalString(o.xLabel, "epoch", FN, "options.xLabel");
  const yLabel = optionalString(o.yLabel, "", FN, "options.yLabel");
  const columns = optionalColumns(o.columns, Math.min(4, list.length), FN);
  const panelWidth = optionalSize(o.panelWidth, 240, FN, "options.panelWidth");
  const panelHeight = optionalSize(
    o.panelHeight,
    180,
    FN,
    "options.panelHeight",
  );
  const yRange = optionalRange(o.yRange, FN, "options.yRange");
  const all = list.flatMap((p) => p.series);
  let xlo = Infinity, xhi = -Infinity, ylo = Infinity, yhi = -Infinity;
  for (const s of all) {
    for (const v of s.x) {
      xlo = Math.min(xlo, v);
      xhi = Math.max(xhi, v);
    }
  }
  // The shared y range: over the panels that have no range of their own.
  for (const s of list.flatMap((p) => p.yRange ? [] : p.series)) {
    for (const v of s.values) {
      ylo = Math.min(ylo, v);
      yhi = Math.max(yhi, v);
    }
  }
  const plotWidth = panelWidth - 56;
  const plotHeight = panelHeight - 44;
  const xAxis = linearAxis(
    xlo,
    xhi > xlo ? xhi : xlo + 1,
    Math.max(2, Math.round(plotWidth / 50)),
    false,
  );
  const yCount = Math.max(2, Math.round(plotHeight / 30));
  const fixedAxis = (range: readonly [number, number]) =>
    linearAxis(range[0], range[1], yCount, false);
  const sharedAxis = yRange
    ? fixedAxis(yRange)
    : ylo <= yhi
    ? linearAxis(ylo, yhi, yCount)
    : undefined;
  // One legend entry per name, with the style of its first line.
  const names: string[] = [];
  const styles = new Map<string, { color: string; dashed: boolean }>();
  for (const s of all) {
    if (styles.has(s.name)) continue;
    names.push(s.name);
    styles.set(s.name, {
      color: colorOf(s.color ?? names.length - 1),
      dashed: s.dashed,
    });
  }
  const legend: LegendItem[] = names.length > 1 || names[0] !== ""
    ? names.map((name) => ({
      label: name || "(unnamed)",
      color: (styles.get(name) as { color: string }).color,
      kind: styles.get(name)?.dashed ? "dashed" : "line",
    }))
    : [];
  return gridDocument({
    title,
    legend,
    count: list.length,
    columns,
    panelWidth,
    panelHeight,
    xLabel,
    yLabel,
    drawPanel(i, x0, y0) {
      const panel = list[i];
      const { frame, grid, decoration } = panelAxes(
        x0,
        y0,
        panelWidth,
        panelHeight,
        xAxis,
        panel.yRange ? fixedAxis(panel.yRange) : sharedAxis as Axis,
        panel.title,
      );
      const id = `lines-clip-${i}`;
      const body = [
        `<clipPath id="${id}"><rect x="${num(frame.left - 2)}" y="${
          num(frame.top - 2)
        }" width="${num(frame.right - frame.left + 4)}" height="${
          num(frame.bottom - frame.top + 4)
        }"/></clipPath>`,
        ...grid,
        `<g clip-path="url(#${id})">`,
      ];
      for (const s of panel.series) {
        const style = styles.get(s.name) as { color: string; dashed: boolean };
        const color = s.color === undefined ? style.color : colorOf(s.color);
        if (s.values.length === 1) {
          body.push(
            `<circle cx="${num(frame.xs(s.x[0]))}" cy="${
              num(frame.ys(s.values[0]))
            }" r="3" fill="${color}"/>`,
          );
          continue;
        }
        const points = s.values.map((v, j) =>
          `${num(frame.xs(s.x[j]))},${num(frame.ys(v))}`
        ).join(" ");
        body.push(
          `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${
            s.dashed ? ' stroke-dasharray="6 4"' : ""
          }/>`,
        );
      }
      body.push("</g>");
      return [...body, ...decoration];
    },
  });
}
