// What the small-multiples pictures share (contourPaths, histogramGrid,
// lineChartGrid, scatterPlot): axes drawn inside a panel at any place of the
// picture, log-scale ticks, a legend laid out in rows, a colour scale, and the
// grid of panels with one title, one legend and one label per axis.
import {
  assertInRange,
  assertInteger,
  assertNumber,
  describe,
} from "../core/_checks.ts";
import {
  assertString,
  escapeXml,
  innerTicks,
  niceTicks,
  num,
  type Svg,
  svgDocument,
  type Ticks,
} from "./_svg.ts";

/** A tick label in the axis's one format: fixed decimals, never "-0". */
export function tickText(v: number, decimals: number): string {
  const text = decimals <= 20 && Math.abs(v) < 1e21
    ? v.toFixed(decimals)
    : String(Number(v.toPrecision(6)));
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** A power of ten as a tick label: "10⁻⁶", "10⁰", "10²". */
export function powerText(exponent: number): string {
  return `10${
    String(exponent).split("").map((c) => SUPERSCRIPT[c] ?? c).join("")
  }`;
}

/** An axis: ticks, the range it spans, and how a tick is written. */
export interface Axis {
  /** Tick values, in the axis's (possibly log10) coordinates. */
  ticks: number[];
  /** The coordinate at the axis's start. */
  lo: number;
  /** The coordinate at the axis's end. */
  hi: number;
  /** A tick's label. */
  label: (v: number) => string;
}

/** A linear axis over `lo`..`hi`, widened to round ticks when `round`. */
export function linearAxis(
  lo: number,
  hi: number,
  count: number,
  round = true,
): Axis {
  const t: Ticks = round ? niceTicks(lo, hi, count) : innerTicks(lo, hi, count);
  return {
    ticks: t.ticks,
    lo: t.lo,
    hi: t.hi,
    label: (v) => tickText(v, t.decimals),
  };
}

/**
 * A log10 axis over positive `lo`..`hi`: coordinates are log10 of the values,
 * ticks at whole powers of ten (every second or fifth when there are many),
 * the range widened to whole powers.
 */
export function logAxis(lo: number, hi: number, count: number): Axis {
  let a = Math.floor(Math.log10(lo) + 1e-9);
  let b = Math.ceil(Math.log10(hi) - 1e-9);
  if (b <= a) {
    a -= 1;
    b += 1;
  }
  const span = b - a;
  const step = [1, 2, 5, 10, 20, 50, 100].find((s) => span / s <= count) ??
    Math.ceil(span / count);
  const ticks: number[] = [];
  for (let e = Math.ceil(a / step) * step; e <= b; e += step) ticks.push(e);
  return { ticks, lo: a, hi: b, label: powerText };
}

/** The plot area of a panel in pixels, and the maps from coordinates. */
export interface PanelFrame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  xs: (v: number) => number;
  ys: (v: number) => number;
}

/** Space a panel keeps around its plot area for ticks and its title. */
export const PANEL_MARGIN = { left: 46, right: 18, top: 22, bottom: 22 };

function ratio(v: number, lo: number, hi: number): number {
  return hi > lo ? (v - lo) / (hi - lo) : 0.5;
}

/**
 * A panel's axes in the box (x0, y0, width, height): grid lines, ticks and
 * their labels, the frame, and the panel's title above the plot area.
 */
export function panelAxes(
  x0: number,
  y0: number,
  width: number,
  height: number,
  xAxis: Axis,
  yAxis: Axis,
  title: string,
): { frame: PanelFrame; grid: string[]; decoration: string[] } {
  const left = x0 + PANEL_MARGIN.left;
  const right = x0 + width - PANEL_MARGIN.right;
  const top = y0 + PANEL_MARGIN.top;
  const bottom = y0 + height - PANEL_MARGIN.bottom;
  const xs = (v: number) =>
    left + ratio(v, xAxis.lo, xAxis.hi) * (right - left);
  const ys = (v: number) =>
    bottom - ratio(v, yAxis.lo, yAxis.hi) * (bottom - top);
  const grid: string[] = [];
  const decoration: string[] = [];
  for (const t of xAxis.ticks) {
    const x = num(xs(t));
    grid.push(
      `<line x1="${x}" y1="${num(top)}" x2="${x}" y2="${
        num(bottom)
      }" stroke="#e5e5e5"/>`,
    );
    decoration.push(
      `<line x1="${x}" y1="${num(bottom)}" x2="${x}" y2="${
        num(bottom + 4)
      }" stroke="#333"/>`,
      `<text x="${x}" y="${
        num(bottom + 15)
      }" text-anchor="middle" font-size="10">${
        escapeXml(xAxis.label(t))
      }</text>`,
    );
  }
  for (const t of yAxis.ticks) {
    const y = num(ys(t));
    grid.push(
      `<line x1="${num(left)}" y1="${y}" x2="${
        num(right)
      }" y2="${y}" stroke="#e5e5e5"/>`,
    );
    decoration.push(
      `<line x1="${num(left - 4)}" y1="${y}" x2="${
        num(left)
      }" y2="${y}" stroke="#333"/>`,
      `<text x="${
        num(left - 6)
      }" y="${y}" text-anchor="end" dy="0.32em" font-size="10">${
        escapeXml(yAxis.label(t))
      }</text>`,
    );
  }
  decoration.push(
    `<rect x="${num(left)}" y="${num(top)}" width="${
      num(right - left)
    }" height="${num(bottom - top)}" fill="none" stroke="#333"/>`,
  );
  if (title) {
    decoration.push(
      `<text x="${num((left + right) / 2)}" y="${
        num(top - 7)
      }" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    );
  }
  return { frame: { left, top, right, bottom, xs, ys }, grid, decoration };
}

/** How a legend entry is drawn. */
export type LegendKind =
  | "line"
  | "dashed"
  | "thin"
  | "line-point"
  | "point"
  | "ring"
  | "plus"
  | "bar";

/** One entry of a legend: a sample of the mark, and its meaning. */
export interface LegendItem {
  label: string;
  color: string;
  kind: LegendKind;
}

/** The mark of a legend entry, 24 pixels wide, centred at (x + 12, y). */
function legendMark(item: LegendItem, x: number, y: number): string {
  const c = item.color;
  const cx = num(x + 12), cy = num(y);
  switch (item.kind) {
    case "line":
    case "dashed":
    case "thin":
      return `<line x1="${num(x)}" y1="${cy}" x2="${
        num(x + 24)
      }" y2="${cy}" stroke="${c}" stroke-width="${
        item.kind === "thin" ? 1 : 2
      }"${item.kind === "dashed" ? ' stroke-dasharray="6 4"' : ""}/>`;
    case "line-point":
      return `<line x1="${num(x)}" y1="${cy}" x2="${
        num(x + 24)
      }" y2="${cy}" stroke="${c}" stroke-width="1.5"/><circle cx="${cx}" cy="${cy}" r="2.5" fill="${c}"/>`;
    case "point":
      return `<circle cx="${cx}" cy="${cy}" r="4" fill="${c}" stroke="#fff" stroke-width="0.8"/>`;
    case "ring":
      return `<circle cx="${cx}" cy="${cy}" r="5" fill="#fff" stroke="${c}" stroke-width="2"/>`;
    case "plus":
      return `<path d="M${num(x + 6)},${cy}H${num(x + 18)}M${cx},${
        num(y - 6)
      }V${num(y + 6)}" stroke="${c}" stroke-width="2"/>`;
    case "bar":
      return `<rect x="${num(x + 4)}" y="${
        num(y - 6)
      }" width="16" height="12" fill="${c}"/>`;
  }
}

/** Text width in pixels at the 12-pixel font, roughly. */
export function textWidth(text: string, size = 12): number {
  return text.length * size * 0.56;
}

/**
 * A legend laid out in rows from (x, y) within `maxWidth`; returns its SVG
 * parts and its height.
 */
export function legendRows(
  items: readonly LegendItem[],
  x: number,
  y: number,
  maxWidth: number,
): { svg: string[]; height: number } {
  if (items.length === 0) return { svg: [], height: 0 };
  const svg: string[] = [];
  const rowHeight = 18;
  let cx = x, cy = y + 9;
  for (const item of items) {
    const w = 30 + textWidth(item.label) + 18;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += rowHeight;
    }
    svg.push(
      legendMark(item, cx, cy),
      `<text x="${num(cx + 30)}" y="${num(cy)}" dy="0.32em">${
        escapeXml(item.label)
      }</text>`,
    );
    cx += w;
  }
  return { svg, height: cy - y + 9 };
}

// A sequential colour scale (viridis, by nine stops), dark for low values.
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** The colour of `t` in [0, 1] on the sequential scale. */
export function scaleColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) *
    (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const hex = (k: number) =>
    Math.round(VIRIDIS[i][k] + f * (VIRIDIS[i + 1][k] - VIRIDIS[i][k]))
      .toString(16).padStart(2, "0");
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

/** What {@linkcode gridDocument} lays out. */
export interface GridSpec {
  title: string;
  legend: readonly LegendItem[];
  /** How many panels. */
  count: number;
  columns: number;
  panelWidth: number;
  panelHeight: number;
  xLabel: string;
  yLabel: string;
  /** A label left of each row of panels ("\n" breaks a line). */
  rowLabels?: readonly string[];
  /** Draws panel i with its box's top-left corner at (x0, y0). */
  drawPanel: (i: number, x0: number, y0: number) => string[];
}

/**
 * The picture of a grid of panels: the title, the legend below it, the
 * panels row by row, an optional label left of each row, and one label for
 * the x axes (under the grid) and one for the y axes (left of it).
 */
export function gridDocument(spec: GridSpec): Svg {
  const margin = 14;
  const rows = Math.ceil(spec.count / spec.columns);
  const columns = Math.min(spec.columns, spec.count);
  const rowLabelLines = (spec.rowLabels ?? []).map((l) => l.split("\n"));
  const rowLabelWidth = rowLabelLines.length === 0 ? 0 : 12 + Math.max(
    ...rowLabelLines.flat().map((l) => textWidth(l)),
  );
  const yLabelWidth = spec.yLabel ? 22 : 0;
  const gridLeft = margin + yLabelWidth + rowLabelWidth;
  const gridWidth = columns * spec.panelWidth;
  const width = Math.max(
    gridLeft + gridWidth + margin,
    spec.title ? textWidth(spec.title, 15) + 2 * margin : 0,
  );
  const body: string[] = [];
  let y = margin;
  if (spec.title) {
    body.push(
      `<text x="${num(width / 2)}" y="${
        num(y + 12)
      }" text-anchor="middle" font-size="15" font-weight="bold">${
        escapeXml(spec.title)
      }</text>`,
    );
    y += 24;
  }
  const legend = legendRows(
    spec.legend,
    gridLeft,
    y,
    width - gridLeft - margin,
  );
  body.push(...legend.svg);
  if (legend.height > 0) y += legend.height + 6;
  const gridTop = y;
  for (let i = 0; i < spec.count; i++) {
    const x0 = gridLeft + (i % spec.columns) * spec.panelWidth;
    const y0 = gridTop + Math.floor(i / spec.columns) * spec.panelHeight;
    body.push(`<g>`, ...spec.drawPanel(i, x0, y0), `</g>`);
  }
  rowLabelLines.forEach((lines, r) => {
    if (r >= rows) return;
    const cy = gridTop + r * spec.panelHeight + spec.panelHeight / 2 +
      (PANEL_MARGIN.top - PANEL_MARGIN.bottom) / 2;
    const x = gridLeft - 6;
    lines.forEach((line, k) => {
      const dy = (k - (lines.length - 1) / 2) * 15;
      body.push(
        `<text x="${num(x)}" y="${
          num(cy + dy)
        }" text-anchor="end" dy="0.32em" font-weight="bold">${
          escapeXml(line)
        }</text>`,
      );
    });
  });
  const gridBottom = gridTop + rows * spec.panelHeight;
  let height = gridBottom + margin;
  if (spec.xLabel) {
    body.push(
      `<text x="${num(gridLeft + gridWidth / 2)}" y="${
        num(gridBottom + 12)
      }" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    );
    height += 16;
  }
  if (spec.yLabel) {
    const cy = num((gridTop + gridBottom) / 2);
    const x = num(margin + 8);
    body.push(
      `<text x="${x}" y="${cy}" text-anchor="middle" transform="rotate(-90 ${x} ${cy})">${
        escapeXml(spec.yLabel)
      }</text>`,
    );
  }
  return svgDocument(Math.ceil(width), Math.ceil(height), body);
}

/** Reads an optional string option. */
export function optionalString(
  value: unknown,
  fallback: string,
  fn: string,
  name: string,
): string {
  return value === undefined ? fallback : assertString(value, fn, name);
}

/** Reads an optional `[lo, hi]` range with lo < hi, both finite. */
export function optionalRange(
  value: unknown,
  fn: string,
  name: string,
  positive = false,
): [number, number] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a range [lo, hi], got ${
        describe(value)
      }`,
    );
  }
  assertNumber(value[0], fn, `${name}[0]`);
  assertNumber(value[1], fn, `${name}[1]`);
  if (!(value[0] < value[1])) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be a range [lo, hi] with lo < hi, got [${
        value[0]
      }, ${value[1]}]`,
    );
  }
  if (positive && !(value[0] > 0)) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be positive on a log scale, got [${
        value[0]
      }, ${value[1]}]`,
    );
  }
  return [value[0], value[1]];
}

/** Reads an optional panel size in pixels, from 80 to 2000. */
export function optionalSize(
  value: unknown,
  fallback: number,
  fn: string,
  name: string,
): number {
  return value === undefined
    ? fallback
    : assertInRange(value, fn, name, 80, 2000);
}

/** Reads the optional number of columns, from 1 to 100. */
export function optionalColumns(
  value: unknown,
  fallback: number,
  fn: string,
): number {
  return value === undefined
    ? fallback
    : assertInteger(value, fn, "options.columns", 1, 100);
}
