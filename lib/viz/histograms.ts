/**
 * Histograms in a grid of rows and columns: how the activations of each layer
 * are spread for each choice of initial weights (ゼロから作る Deep Learning, figures
 * 6-10 to 6-14). A pure function: it returns an `Svg`, drawn inline in a
 * Jupyter notebook and SVG text everywhere else (`String(svg)`, `svg.markup`),
 * and writes nothing; save it with `Deno.writeTextFile(path, svg.markup)`.
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
import { assertString, colorOf, escapeXml, num, type Svg } from "./_svg.ts";
import {
  gridDocument,
  type LegendItem,
  linearAxis,
  optionalRange,
  optionalSize,
  optionalString,
  panelAxes,
  textWidth,
} from "./_panels.ts";

/** One row of a {@linkcode histogramGrid}: a label and a histogram per column. */
export interface HistogramRow {
  /** The row's label, left of it ("\n" breaks it into lines). */
  readonly label: string;
  /** The values of each column's histogram, finite numbers. */
  readonly cells: readonly (readonly number[] | Float64Array)[];
  /**
   * The top of this row's count axes; taller bars are cut there, with their
   * count written above them.
   *
   * @default {options.yMax}
   */
  readonly yMax?: number;
}

/** Options for {@linkcode histogramGrid}. */
export interface HistogramGridOptions {
  /**
   * The title above the grid.
   *
   * @default {""}
   */
  title?: string;
  /**
   * A title for each column's panels, such as "layer 1".
   *
   * @default {none}
   */
  columnLabels?: readonly string[];
  /**
   * The range of values the bins cover, `[lo, hi]`; values outside it are
   * not counted, and each panel says what share of its values that is.
   *
   * @default {the smallest to the largest value of all the cells}
   */
  range?: readonly [number, number];
  /**
   * The number of bins of equal width, from 1 to 1000.
   *
   * @default {30}
   */
  bins?: number;
  /**
   * The top of the count axes: "row" for the tallest bar of each row (the
   * panels of a row compare), "all" for the tallest bar of the grid, or a
   * count, above which bars are cut (their count written above them).
   *
   * @default {"row"}
   */
  yMax?: "row" | "all" | number;
  /**
   * The label under the x axes: what the values are.
   *
   * @default {"value"}
   */
  xLabel?: string;
  /**
   * The label beside the y axes.
   *
   * @default {"count"}
   */
  yLabel?: string;
  /**
   * Width of each panel in pixels, from 80 to 2000.
   *
   * @default {170}
   */
  panelWidth?: number;
  /**
   * Height of each panel in pixels, from 80 to 2000.
   *
   * @default {120}
   */
  panelHeight?: number;
}

const FN = "histogramGrid(rows, options)";

interface Row {
  label: string;
  cells: ArrayLike<number>[];
  yMax?: number;
}

function readRows(rows: unknown): Row[] {
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > 100) {
    throw new TypeError(
      `Expected rows of ${FN} to be an array of 1 to 100 rows { label, cells }, got ${
        describe(rows)
      }`,
    );
  }
  let columns = -1;
  return rows.map((r: unknown, i) => {
    const where = `rows[${i}]`;
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      throw new TypeError(
        `Expected ${where} of ${FN} to be a row { label, cells }, got ${
          describe(r)
        }`,
      );
    }
    const o = readOptions(r, FN, ["label", "cells", "yMax"]);
    const label = assertString(o.label ?? "", FN, `${where}.label`);
    if (!Array.isArray(o.cells) || o.cells.length === 0) {
      throw new TypeError(
        `Expected ${where}.cells of ${FN} to be a non-empty array of value arrays, got ${
          describe(o.cells)
        }`,
      );
    }
    if (columns === -1) columns = o.cells.length;
    if (o.cells.length !== columns || columns > 100) {
      throw new RangeError(
        `Expected every row of ${FN} to have the same number of cells, at most 100: rows[0] has ${columns}, ${where} ${o.cells.length}`,
      );
    }
    const cells = o.cells.map((c: unknown, j) => {
      if (!Array.isArray(c) && !(c instanceof Float64Array)) {
        throw new TypeError(
          `Expected ${where}.cells[${j}] of ${FN} to be an array of numbers, got ${
            describe(c)
          }`,
        );
      }
      for (let k = 0; k < c.length; k++) {
        assertNumber(c[k], FN, `${where}.cells[${j}][${k}]`);
      }
      return c as ArrayLike<number>;
    });
    const yMax = o.yMax === undefined
      ? undefined
      : assertInteger(o.yMax, FN, `${where}.yMax`, 1, Number.MAX_SAFE_INTEGER);
    return { label, cells, yMax };
  });
}

/** The counts of each bin, and how many values fell below or above. */
function histogram(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
  bins: number,
): { counts: number[]; below: number; above: number } {
  const counts = new Array<number>(bins).fill(0);
  let below = 0, above = 0;
  const width = (hi - lo) / bins;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v < lo) below++;
    else if (v > hi) above++;
    // The last bin includes its right edge, as numpy's does.
    else counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { counts, below, above };
}

function tickNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function percentText(share: number): string {
  const p = share * 100;
  return `${p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

/**
 * Draws histograms in a grid: one row per {@linkcode HistogramRow}, one
 * panel per cell, every panel with the same bins. The panels of a row share
 * their count axis (or the whole grid does, or a fixed top cuts tall bars
 * and writes their count above them), so that a row reads as a sequence,
 * such as the activations of layers 1 to 5. Values outside the bins' range
 * are not counted; a panel where some fall outside says what share.
 *
 * @param rows The rows: `{ label, cells, yMax? }`, each cell an array of
 * values; every row has the same number of cells.
 * @param options Title, column titles, the bins' range and number, the
 * count axes' top, axis labels and panel size.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When `rows` is not a non-empty array of rows, a cell
 * is not an array of numbers, or an option is unknown or of the wrong type.
 * @throws {RangeError} When a value is not finite, rows have different
 * numbers of cells, there are no values to take a range from, or an option
 * is out of range.
 *
 * @example Two rows of two histograms
 * ```ts
 * import { histogramGrid } from "./histograms.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = histogramGrid([
 *   { label: "narrow", cells: [[0.5, 0.5, 0.55], [0.5, 0.45]] },
 *   { label: "wide", cells: [[0, 0.1, 1], [0, 1, 1, 2]] },
 * ], { title: "Spread", range: [0, 1], bins: 10, columnLabels: ["layer 1", "layer 2"] });
 * assert.ok(svg.markup.startsWith("<svg"));
 * assert.match(svg.markup, />Spread</);
 * assert.match(svg.markup, />layer 2</);
 * // The value 2 lies above [0, 1]: a quarter of that panel's values.
 * assert.match(svg.markup, /25% above 1/);
 * assert.throws(() => histogramGrid([{ label: "", cells: [[NaN]] }]), RangeError);
 * ```
 */
export function histogramGrid(
  rows: readonly HistogramRow[],
  options: HistogramGridOptions = {},
): Svg {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("histogramGrid(rows, options)", arguments.length, 1);
  }
  const list = readRows(rows);
  const o = readOptions(options, FN, [
    "title",
    "columnLabels",
    "range",
    "bins",
    "yMax",
    "xLabel",
    "yLabel",
    "panelWidth",
    "panelHeight",
  ]);
  const title = optionalString(o.title, "", FN, "options.title");
  const xLabel = optionalString(o.xLabel, "value", FN, "options.xLabel");
  const yLabel = optionalString(o.yLabel, "count", FN, "options.yLabel");
  const columns = list[0].cells.length;
  let columnLabels: string[] = [];
  if (o.columnLabels !== undefined) {
    if (!Array.isArray(o.columnLabels)) {
      throw new TypeError(
        `Expected options.columnLabels of ${FN} to be an array of strings, got ${
          describe(o.columnLabels)
        }`,
      );
    }
    if (o.columnLabels.length !== columns) {
      throw new RangeError(
        `Expected options.columnLabels of ${FN} to hold one label per column (${columns}), got ${o.columnLabels.length}`,
      );
    }
    columnLabels = o.columnLabels.map((l: unknown, j) =>
      assertString(l, FN, `options.columnLabels[${j}]`)
    );
  }
  const bins = o.bins === undefined
    ? 30
    : assertInteger(o.bins, FN, "options.bins", 1, 1000);
  let yMaxOption: "row" | "all" | number = "row";
  if (o.yMax !== undefined) {
    if (o.yMax === "row" || o.yMax === "all") yMaxOption = o.yMax;
    else if (typeof o.yMax === "number") {
      yMaxOption = assertInteger(
        o.yMax,
        FN,
        "options.yMax",
        1,
        Number.MAX_SAFE_INTEGER,
      );
    } else {
      throw new TypeError(
        `Expected options.yMax of ${FN} to be "row", "all" or a count, got ${
          describe(o.yMax)
        }`,
      );
    }
  }
  const panelWidth = optionalSize(o.panelWidth, 170, FN, "options.panelWidth");
  const panelHeight = optionalSize(
    o.panelHeight,
    120,
    FN,
    "options.panelHeight",
  );
  let range = optionalRange(o.range, FN, "options.range");
  if (range === undefined) {
    let lo = Infinity, hi = -Infinity;
    for (const row of list) {
      for (const cell of row.cells) {
        for (let k = 0; k < cell.length; k++) {
          lo = Math.min(lo, cell[k]);
          hi = Math.max(hi, cell[k]);
        }
      }
    }
    if (lo === Infinity) {
      throw new RangeError(
        `Cannot take the range of the bins in ${FN}: the cells hold no values; give options.range`,
      );
    }
    range = hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
  }
  const [lo, hi] = range;
  const hists = list.map((row) =>
    row.cells.map((cell) => ({
      ...histogram(cell, lo, hi, bins),
      n: cell.length,
    }))
  );
  const tallest = (hs: { counts: number[] }[]) =>
    Math.max(1, ...hs.flatMap((h) => h.counts));
  const gridTallest = tallest(hists.flat());
  const tops = list.map((row, r) =>
    row.yMax ??
      (yMaxOption === "row"
        ? tallest(hists[r])
        : yMaxOption === "all"
        ? gridTallest
        : yMaxOption)
  );
  const plotWidth = panelWidth - 56;
  const xAxis = linearAxis(
    lo,
    hi,
    Math.max(2, Math.round(plotWidth / 45)),
    false,
  );
  const color = colorOf(0);
  const legend: LegendItem[] = [{
    label: `values per bin (${bins} bins of width ${
      Number(((hi - lo) / bins).toPrecision(3))
    })`,
    color,
    kind: "bar",
  }];
  const clipped = tops.some((top, r) =>
    hists[r].some((h) => h.counts.some((c) => c > top))
  );
  if (clipped) {
    legend.push({
      label: "▲ bar cut at the axis' top, its count above",
      color: "#333",
      kind: "thin",
    });
  }
  return gridDocument({
    title,
    legend,
    count: list.length * columns,
    columns,
    panelWidth,
    panelHeight,
    xLabel,
    yLabel,
    rowLabels: list.map((r) => r.label),
    drawPanel(i, x0, y0) {
      const r = Math.floor(i / columns), c = i % columns;
      const h = hists[r][c];
      const top = tops[r];
      const yAxis = linearAxis(0, top, 3, false);
      // Round ticks at or under the top, the top itself not labelled.
      const { frame, grid, decoration } = panelAxes(
        x0,
        y0,
        panelWidth,
        panelHeight,
        xAxis,
        { ...yAxis, lo: 0, hi: top },
        r === 0 ? columnLabels[c] ?? "" : "",
      );
      const body = [...grid];
      const bw = (frame.right - frame.left) / bins;
      h.counts.forEach((count, k) => {
        if (count === 0) return;
        const shown = Math.min(count, top);
        const y = frame.ys(shown);
        body.push(
          `<rect x="${num(frame.left + k * bw + 0.5)}" y="${num(y)}" width="${
            num(Math.max(0.5, bw - 1))
          }" height="${num(frame.bottom - y)}" fill="${color}"/>`,
        );
        if (count > top) {
          body.push(
            `<text x="${num(frame.left + (k + 0.5) * bw)}" y="${
              num(frame.top + 10)
            }" text-anchor="${
              k < bins / 2 ? "start" : "end"
            }" font-size="9" fill="#000">▲${count}</text>`,
          );
        }
      });
      const outside = h.below + h.above;
      if (outside > 0) {
        const where = h.below === 0
          ? `above ${tickNumber(hi)}`
          : h.above === 0
          ? `below ${tickNumber(lo)}`
          : "outside";
        const text = `${percentText(outside / h.n)} ${where}`;
        const w = textWidth(text, 10) + 6;
        const tx = frame.right - 3, ty = frame.top + 12;
        body.push(
          `<rect x="${num(tx - w + 2)}" y="${num(ty - 8)}" width="${
            num(w)
          }" height="13" fill="#fff" fill-opacity="0.85"/>`,
          `<text x="${num(tx)}" y="${
            num(ty)
          }" text-anchor="end" font-size="10">${escapeXml(text)}</text>`,
        );
      }
      return [...body, ...decoration];
    },
  });
}
