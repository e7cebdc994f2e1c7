// What the SVG charts share: the palette, number formatting and escaping,
// round-numbered ticks, the axes and frame, the document wrapper, and the two
// argument checks that lib/core/_checks.ts does not have (strings, booleans).
import { arrayCallback, describe, tooManyArguments } from "../core/_checks.ts";

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

/** The palette's colour for series or class `i`, cycling after ten. */
export function colorOf(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** A coordinate with at most two decimals, and never "-0". */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** Text made safe inside an element or an attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A chart's title: bold, centred across a document `width` units wide. */
export function titleText(title: string, width: number): string {
  return `<text x="${
    num(width / 2)
  }" y="24" text-anchor="middle" font-size="15" font-weight="bold">${
    escapeXml(title)
  }</text>`;
}

/** Throws a TypeError unless `value` is a string; returns it. */
export function assertString(value: unknown, fn: string, name: string): string {
  if (typeof value !== "string") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a string, got ${describe(value)}`,
    );
  }
  return value;
}

/** Throws a TypeError unless `value` is true or false; returns it. */
export function assertBoolean(
  value: unknown,
  fn: string,
  name: string,
): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be true or false, got ${describe(value)}`,
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
export function clampFinite(v: number): number {
  return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, v));
}

/** An axis: its tick values, the range it spans, and the labels' decimals. */
export interface Ticks {
  ticks: number[];
  lo: number;
  hi: number;
  decimals: number;
}

/**
 * Tick positions for an axis from `lo` to `hi`: round numbers (1, 2 or 5
 * times a power of ten) about `count` of them, and the range widened to the
 * outer ticks.
 */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
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
export function innerTicks(lo: number, hi: number, count: number): Ticks {
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

/** The plot area in pixels, and the maps from data values to pixels. */
export interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  xs: (v: number) => number;
  ys: (v: number) => number;
}

/**
 * Axes, grid, tick labels, axis labels and title; returns the SVG parts.
 * `extraTop` pixels are kept free between the title and the plot area, for
 * a legend.
 */
export function axes(
  width: number,
  height: number,
  xr: Ticks,
  yr: Ticks,
  text: { title: string; xLabel: string; yLabel: string },
  extraTop = 0,
): { frame: Frame; grid: string[]; decoration: string[] } {
  const left = 64;
  const right = width - 20;
  const top = (text.title ? 40 : 16) + extraTop;
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
    decoration.push(titleText(text.title, width));
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

/** The whole SVG document around `body`, on a white ground. */
export function svgDocument(
  width: number,
  height: number,
  body: string[],
): Svg {
  return new Svg([
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${
      num(height)
    }" viewBox="0 0 ${num(width)} ${
      num(height)
    }" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#333">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n"));
}

/**
 * A picture drawn by the toolkit: an SVG document that shows itself as a
 * picture where it can and as its markup everywhere else.
 *
 * - In a Jupyter notebook (`deno jupyter`) it is drawn inline, as
 *   `image/svg+xml`.
 * - `String(svg)`, `` `${svg}` `` and `svg.markup` give the SVG text, to
 *   save with `Deno.writeTextFile(path, svg.markup)`; `console.log(svg)`
 *   prints that text and `JSON.stringify` writes it as a string.
 *
 * Every chart function (`lineChart`, `decisionBoundary`, `graphSvg`, …)
 * returns one. An Svg never changes: it is frozen.
 *
 * @example A chart as text and as a picture
 * ```ts
 * import { Svg } from "./svg.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = new Svg('<svg xmlns="http://www.w3.org/2000/svg"/>');
 * assert.equal(String(svg), svg.markup);
 * assert.equal(`${svg}`, svg.markup);
 * assert.equal(JSON.stringify({ svg }), JSON.stringify({ svg: svg.markup }));
 * // What Deno's Jupyter kernel asks for to draw it.
 * const hooks = svg as unknown as Record<symbol, () => unknown>;
 * assert.deepEqual(hooks[Symbol.for("Jupyter.display")](), {
 *   "image/svg+xml": svg.markup,
 * });
 * assert.equal(Deno.inspect(svg), svg.markup);
 * assert.ok(Object.isFrozen(svg));
 * ```
 */
export class Svg {
  /** The SVG document, as text. */
  readonly markup: string;

  /**
   * Wraps SVG text, such as a chart of your own, so that it displays as a
   * picture in Jupyter. The text is kept as given.
   *
   * @param markup The SVG document, as text.
   * @throws {TypeError} When `markup` is not a string, or a second argument
   * is given.
   */
  constructor(markup: string) {
    if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
      throw tooManyArguments("new Svg(markup)", arguments.length);
    }
    if (typeof markup !== "string") {
      throw new TypeError(
        `Expected markup of new Svg(markup) to be the SVG document as a string, got ${
          describe(markup)
        }`,
      );
    }
    this.markup = markup;
    Object.freeze(this);
  }

  /**
   * The SVG document, as text: what `String(svg)` gives.
   *
   * @returns {@linkcode Svg.markup}.
   *
   * @example Usage
   * ```ts
   * import { Svg } from "./svg.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Svg("<svg/>").toString(), "<svg/>");
   * ```
   */
  toString(): string {
    return this.markup;
  }

  /**
   * Lets `JSON.stringify` write the picture as its SVG text.
   *
   * @returns {@linkcode Svg.markup}.
   *
   * @example Usage
   * ```ts
   * import { Svg } from "./svg.ts";
   * import assert from "node:assert/strict";
   *
   * assert.equal(JSON.stringify(new Svg("<svg/>")), '"<svg/>"');
   * ```
   */
  toJSON(): string {
    return this.markup;
  }

  /**
   * The SVG text wherever a primitive is wanted: in a template literal, in
   * `+` with a string, in `String(svg)`.
   *
   * @returns {@linkcode Svg.markup}, whatever the hint.
   */
  [Symbol.toPrimitive](): string {
    return this.markup;
  }

  /**
   * Shows the picture in `console.log` and the Deno REPL as its SVG text,
   * as a chart printed before it became an Svg.
   *
   * @returns {@linkcode Svg.markup}.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return this.markup;
  }

  /**
   * Draws the picture in a Jupyter notebook (Deno's kernel calls this).
   *
   * @returns The mime bundle `{ "image/svg+xml": markup }`.
   */
  [Symbol.for("Jupyter.display")](): { "image/svg+xml": string } {
    return { "image/svg+xml": this.markup };
  }
}
