/**
 * A confusion matrix as a heat map: true class down, predicted class across,
 * each cell shaded by its share of its row (the true class's samples) with
 * its count written in it, and per-class precision, recall and F1 beside
 * it. A pure function: it returns an `Svg`, drawn inline in a Jupyter
 * notebook and SVG text everywhere else (`String(svg)`, `svg.markup`).
 *
 * @module
 */
import {
  arrayCallback,
  assertInRange,
  assertRecord,
  count,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import {
  assertString,
  escapeXml,
  num,
  type Svg,
  svgDocument,
  titleText,
} from "./_svg.ts";

/**
 * What {@linkcode confusionHeatmap} draws: the shape of what
 * `confusionMatrix` returns (a `Confusion`), taken structurally.
 */
export interface ConfusionCounts {
  /** The number of classes, k. */
  readonly classes: number;
  /** counts[i][j]: the samples of true class i predicted as class j. */
  readonly counts: readonly (readonly number[])[];
  /** Per class: correct predictions of it over all predictions of it. */
  readonly precision: readonly number[];
  /** Per class: correct predictions of it over its samples. */
  readonly recall: readonly number[];
  /** Per class: the harmonic mean of precision and recall. */
  readonly f1: readonly number[];
  /** The fraction of all samples classified correctly, if known. */
  readonly accuracy?: number;
}

/** Options for {@linkcode confusionHeatmap}. */
export interface ConfusionHeatmapOptions {
  /**
   * A name per class, one per class.
   *
   * @default {["0", "1", …]}
   */
  labels?: readonly string[];
  /**
   * The title above the map.
   *
   * @default {"Confusion matrix"}
   */
  title?: string;
  /**
   * The side of one cell in pixels, from 8 to 200.
   *
   * @default {about 400 / classes, from 24 to 64}
   */
  cellSize?: number;
}

const FN = "confusionHeatmap(confusion, options)";
const MAX_CLASSES = 1000;

/** Throws a TypeError unless `value` is an array of `k` numbers. */
function readNumbers(
  value: unknown,
  k: number,
  name: string,
  nonNegative: boolean,
): readonly number[] {
  if (
    !Array.isArray(value) || value.length !== k ||
    value.some((v) => typeof v !== "number")
  ) {
    throw new TypeError(
      `Expected ${name} of ${FN} to be an array of ${
        count(k, "number")
      }, one per class, got ${describe(value)}`,
    );
  }
  const bad = value.findIndex((v) =>
    !Number.isFinite(v) || (nonNegative && v < 0)
  );
  if (bad >= 0) {
    throw new RangeError(
      `Expected ${name}[${bad}] of ${FN} to be a ${
        nonNegative ? "non-negative" : "finite"
      } number, got ${describe(value[bad])}`,
    );
  }
  return value as number[];
}

/** A share from 0 to 1 as a colour from near white to dark blue. */
function shade(share: number): string {
  const lo = [247, 251, 255], hi = [8, 48, 107];
  const t = Math.min(1, Math.max(0, share));
  return `#${
    lo.map((a, i) =>
      Math.round(a + (hi[i] - a) * t).toString(16).padStart(2, "0")
    ).join("")
  }`;
}

const percent = (v: number) => `${(100 * v).toFixed(1)}%`;

/**
 * Draws a confusion matrix as a heat map: the true class down, the
 * predicted class across, each cell shaded by its share of its row (what
 * fraction of the true class's samples went to that prediction) with its
 * count written in it, the class labels along both sides, precision, recall
 * and F1 per class to the right, the accuracy and a colour legend below. A
 * pure function: it returns the picture as an {@linkcode Svg}.
 *
 * @param confusion What `confusionMatrix(output, targets)` returned, or any
 * object of that shape ({@linkcode ConfusionCounts}).
 * @param options The class labels, the title and the cell size.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When `confusion` is not a confusion matrix (its
 * counts not k arrays of k numbers, or its precision, recall or F1 not k
 * numbers), a label or the title is not a string, or an option is unknown
 * or of the wrong type.
 * @throws {RangeError} When `confusion.classes` is not an integer from 1 to
 * 1000, a count is negative or not finite, there is not one label per
 * class, or the cell size is out of range.
 *
 * @example Two classes, cats and dogs
 * ```ts
 * import { confusionHeatmap, confusionMatrix, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // Three cats (class 0) and one dog: one cat is taken for a dog.
 * const output = matrix([[3, 2, 0, 1], [1, 0, 4, 5]]);
 * const targets = matrix([[1, 1, 1, 0], [0, 0, 0, 1]]);
 * const svg = confusionHeatmap(confusionMatrix(output, targets), {
 *   labels: ["cat", "dog"],
 * });
 * assert.match(svg.markup, /^<svg/);
 * assert.match(svg.markup, />cat</);
 * assert.match(svg.markup, />Confusion matrix</);
 * // Cat recall: 2 of 3.
 * assert.match(svg.markup, />66\.7%</);
 * assert.throws(() => confusionHeatmap(confusionMatrix(output, targets), {
 *   labels: ["cat"],
 * }), RangeError);
 * ```
 */
export function confusionHeatmap(
  confusion: ConfusionCounts,
  options: ConfusionHeatmapOptions = {},
): Svg {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments(
      "confusionHeatmap(confusion, options)",
      arguments.length,
      1,
    );
  }
  assertRecord(confusion, FN, "confusion", "the result of confusionMatrix");
  const k = confusion.classes;
  if (typeof k !== "number") {
    throw new TypeError(
      `Expected confusion.classes of ${FN} to be a number, got ${describe(k)}`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k > MAX_CLASSES) {
    throw new RangeError(
      `Expected confusion.classes of ${FN} to be an integer from 1 to ${MAX_CLASSES}, got ${
        describe(k)
      }`,
    );
  }
  if (!Array.isArray(confusion.counts) || confusion.counts.length !== k) {
    throw new TypeError(
      `Expected confusion.counts of ${FN} to be ${
        count(k, "row")
      } of counts, one per class, got ${describe(confusion.counts)}`,
    );
  }
  const counts = confusion.counts.map((row, i) =>
    readNumbers(row, k, `confusion.counts[${i}]`, true)
  );
  const measures = (["precision", "recall", "f1"] as const).map((key) =>
    readNumbers(confusion[key], k, `confusion.${key}`, false)
  );
  const accuracy = confusion.accuracy;
  if (accuracy !== undefined && typeof accuracy !== "number") {
    throw new TypeError(
      `Expected confusion.accuracy of ${FN} to be a number, got ${
        describe(accuracy)
      }`,
    );
  }
  const o = readOptions(options, FN, ["labels", "title", "cellSize"]);
  let labels: readonly string[];
  if (o.labels === undefined) {
    labels = Array.from({ length: k }, (_, i) => String(i));
  } else {
    if (!Array.isArray(o.labels)) {
      throw new TypeError(
        `Expected options.labels of ${FN} to be an array of strings, got ${
          describe(o.labels)
        }`,
      );
    }
    if (o.labels.length !== k) {
      throw new RangeError(
        `Expected options.labels of ${FN} to name each of the ${k} classes, got ${o.labels.length}`,
      );
    }
    labels = o.labels.map((l, i) =>
      assertString(l, FN, `options.labels[${i}]`)
    );
  }
  const title = o.title === undefined
    ? "Confusion matrix"
    : assertString(o.title, FN, "options.title");
  const cell = o.cellSize === undefined
    ? Math.min(64, Math.max(24, Math.round(400 / k)))
    : assertInRange(o.cellSize, FN, "options.cellSize", 8, 200);

  const longest = Math.max(...labels.map((l) => l.length), 4);
  const labelWidth = Math.min(200, 7 * longest) + 10;
  const left = 30 + labelWidth;
  const top = (title ? 40 : 12) + 40;
  const size = k * cell;
  const measureWidth = 64;
  const width = Math.max(
    left + size + 12 + 3 * measureWidth + 12,
    title ? 16 + 8 * title.length : 0,
  );
  const legendTop = top + size + 22;
  const height = legendTop + 52;
  const fontSize = Math.max(6, Math.min(13, cell / 3));

  const body: string[] = [];
  if (title) {
    body.push(titleText(title, width));
  }
  // Axis names: "predicted" across the top, "true class" down the left.
  body.push(
    `<text x="${num(left + size / 2)}" y="${
      num(top - 26)
    }" text-anchor="middle" font-weight="bold">predicted</text>`,
  );
  const cy = num(top + size / 2);
  body.push(
    `<text x="14" y="${cy}" text-anchor="middle" font-weight="bold" transform="rotate(-90 14 ${cy})">true class</text>`,
  );
  const clip = (l: string) => l.length > 28 ? `${l.slice(0, 27)}…` : l;
  for (let i = 0; i < k; i++) {
    const x = left + (i + 0.5) * cell;
    const y = top + (i + 0.5) * cell;
    body.push(
      `<text x="${num(x)}" y="${
        num(top - 8)
      }" text-anchor="middle" font-size="${num(fontSize)}">${
        escapeXml(clip(labels[i]))
      }</text>`,
      `<text x="${num(left - 6)}" y="${
        num(y)
      }" text-anchor="end" dy="0.32em" font-size="${num(fontSize)}">${
        escapeXml(clip(labels[i]))
      }</text>`,
    );
  }
  // The cells: each shaded by its share of the row, with its count.
  const cells: string[] = [];
  for (let i = 0; i < k; i++) {
    const total = counts[i].reduce((s, c) => s + c, 0);
    for (let j = 0; j < k; j++) {
      const share = total > 0 ? counts[i][j] / total : 0;
      const x = left + j * cell, y = top + i * cell;
      cells.push(
        `<rect class="cell" x="${num(x)}" y="${num(y)}" width="${
          num(cell)
        }" height="${num(cell)}" fill="${
          shade(share)
        }" stroke="#fff" stroke-width="1"><title>${
          escapeXml(
            `${labels[i]} → ${labels[j]}: ${counts[i][j]} (${
              percent(share)
            } of ${labels[i]})`,
          )
        }</title></rect>`,
        `<text x="${num(x + cell / 2)}" y="${
          num(y + cell / 2)
        }" text-anchor="middle" dy="0.32em" font-size="${
          num(fontSize)
        }" fill="${share > 0.5 ? "#fff" : "#333"}">${counts[i][j]}</text>`,
      );
    }
  }
  body.push(`<g shape-rendering="crispEdges">`, ...cells, "</g>");
  body.push(
    `<rect x="${num(left)}" y="${num(top)}" width="${num(size)}" height="${
      num(size)
    }" fill="none" stroke="#333"/>`,
  );
  // Precision, recall and F1 per class, to the right.
  const names = ["precision", "recall", "F1"];
  for (let m = 0; m < 3; m++) {
    const x = left + size + 12 + (m + 0.5) * measureWidth;
    body.push(
      `<text x="${num(x)}" y="${
        num(top - 8)
      }" text-anchor="middle" font-weight="bold">${names[m]}</text>`,
    );
    for (let i = 0; i < k; i++) {
      body.push(
        `<text x="${num(x)}" y="${
          num(top + (i + 0.5) * cell)
        }" text-anchor="middle" dy="0.32em" font-size="${
          num(Math.max(fontSize, 9))
        }">${percent(measures[m][i])}</text>`,
      );
    }
  }
  // The legend: the scale of a row's share, and the accuracy.
  const steps = 10, stepWidth = 16;
  body.push(
    `<text x="${num(left)}" y="${
      num(legendTop - 4)
    }">share of the true class's samples</text>`,
  );
  const legend: string[] = [];
  for (let s = 0; s < steps; s++) {
    legend.push(
      `<rect class="legend" x="${num(left + s * stepWidth)}" y="${
        num(legendTop)
      }" width="${num(stepWidth)}" height="12" fill="${
        shade((s + 0.5) / steps)
      }"/>`,
    );
  }
  body.push(`<g shape-rendering="crispEdges">`, ...legend, "</g>");
  body.push(
    `<rect x="${num(left)}" y="${num(legendTop)}" width="${
      num(steps * stepWidth)
    }" height="12" fill="none" stroke="#333"/>`,
  );
  for (const [t, text] of [[0, "0%"], [0.5, "50%"], [1, "100%"]] as const) {
    body.push(
      `<text x="${num(left + t * steps * stepWidth)}" y="${
        num(legendTop + 26)
      }" text-anchor="middle" font-size="10">${text}</text>`,
    );
  }
  if (accuracy !== undefined) {
    body.push(
      `<text x="${num(left + steps * stepWidth + 24)}" y="${
        num(legendTop + 11)
      }">accuracy ${Number.isNaN(accuracy) ? "-" : percent(accuracy)}</text>`,
    );
  }
  return svgDocument(width, height, body);
}
