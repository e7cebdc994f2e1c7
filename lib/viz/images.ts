/**
 * Small grey-scale images in a grid: MNIST digits, or the filters of a
 * convolution layer before and after training (ゼロから作る Deep Learning, figure
 * 7-24). A pure function: it returns an `Svg`, drawn inline in a Jupyter
 * notebook and SVG text everywhere else (`String(svg)`, `svg.markup`), and
 * writes nothing; save it with `Deno.writeTextFile(path, svg.markup)`.
 *
 * @module
 */
import {
  arrayCallback,
  assertChoice,
  assertInRange,
  assertInteger,
  count,
  describe,
  listed,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, isMatrix, type Matrix } from "../core/_matrix.ts";
import {
  assertString,
  escapeXml,
  num,
  type Svg,
  svgDocument,
  titleText,
} from "./_svg.ts";

/** One panel of an {@linkcode imageGrid}: a label above a grid of images. */
export interface ImagePanel {
  /**
   * The images, one per column: each column holds an image's `height` x
   * `width` grey values row by row, as MNIST's 784 x n matrices do.
   */
  readonly images: Matrix;
  /**
   * The panel's label, drawn above its grid.
   *
   * @default {""} (no label)
   */
  readonly label?: string;
  /**
   * A caption under each image, one per column, such as "7 → 2".
   *
   * @default {undefined} (no captions)
   */
  readonly captions?: readonly string[];
}

/** Options for {@linkcode imageGrid}. */
export interface ImageGridOptions {
  /**
   * The title above the panels.
   *
   * @default {""}
   */
  title?: string;
  /**
   * Pixel rows of each image, from 1 to 4096.
   *
   * @default {√rows when the images' row count is a square, else rows / width}
   */
  height?: number;
  /**
   * Pixel columns of each image, from 1 to 4096.
   *
   * @default {rows / height}
   */
  width?: number;
  /**
   * Images per row of a panel's grid, from 1 to 1000.
   *
   * @default {the number of images, at most 10}
   */
  columns?: number;
  /**
   * The side of one image pixel in the picture, from 0.1 to 100.
   *
   * @default {about 48 / the longer side of an image, at least 1}
   */
  pixelSize?: number;
  /**
   * Which values go from the light end to the dark end: "each" stretches
   * every image from its own smallest to its largest value (as matplotlib's
   * `imshow`, with which the book draws its filters), "all" uses one scale
   * for every image of every panel (so that panels compare), and `[lo,
   * hi]` a fixed one (values outside it are clamped), such as `[0, 1]` for
   * MNIST pixels.
   *
   * @default {"each"}
   */
  range?: "each" | "all" | readonly [number, number];
  /**
   * Which end of the range is dark: "dark" draws high values dark on a light
   * ground, as ink on paper (matplotlib's `gray_r`, the book's choice);
   * "light" draws them light on a dark ground.
   *
   * @default {"dark"}
   */
  high?: "dark" | "light";
}

/** At most this many images in all, and this many pixels. */
const MAX_IMAGES = 10000;
const MAX_PIXELS = 2 ** 20;
const MAX_PANELS = 100;

const FN = "imageGrid(images, options)";

/** A panel after checking. */
interface Panel {
  images: Matrix;
  label: string;
  captions?: readonly string[];
}

function readPanel(value: unknown, name: string): Panel {
  if (isMatrix(value)) return { images: value, label: "" };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `Expected ${name} of ${FN} to be a panel { images, label, captions }, got ${
        describe(value)
      }`,
    );
  }
  const known = ["images", "label", "captions"];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const shown = key.length > 32 ? `${key.slice(0, 32)}…` : key;
      throw new TypeError(
        `Unknown key ${JSON.stringify(shown)} in ${name} of ${FN}: expected ${
          listed(known)
        }`,
      );
    }
  }
  const p = value as Record<string, unknown>;
  if (!isMatrix(p.images)) {
    throw new TypeError(
      `Expected ${name}.images of ${FN} to be a Matrix with one image per column, got ${
        describe(p.images)
      }`,
    );
  }
  const images = p.images;
  const label = p.label === undefined
    ? ""
    : assertString(p.label, FN, `${name}.label`);
  let captions: readonly string[] | undefined;
  if (p.captions !== undefined) {
    if (!Array.isArray(p.captions)) {
      throw new TypeError(
        `Expected ${name}.captions of ${FN} to be an array of strings, got ${
          describe(p.captions)
        }`,
      );
    }
    if (p.captions.length !== images.cols) {
      throw new RangeError(
        `Expected ${name}.captions of ${FN} to hold one caption per image (${images.cols}), got ${p.captions.length}`,
      );
    }
    for (let i = 0; i < p.captions.length; i++) {
      assertString(p.captions[i], FN, `${name}.captions[${i}]`);
    }
    captions = p.captions as readonly string[];
  }
  return { images, label, captions };
}

/** The image side lengths, from the options or the row count. */
function imageSize(
  rows: number,
  height: number | undefined,
  width: number | undefined,
): [number, number] {
  if (height === undefined && width === undefined) {
    const side = Math.round(Math.sqrt(rows));
    if (side * side !== rows) {
      throw new RangeError(
        `Cannot tell the shape of images of ${
          count(rows, "row")
        } in ${FN}: ${rows} is not a square; give options.height and options.width`,
      );
    }
    return [side, side];
  }
  const h = height ?? rows / (width as number);
  const w = width ?? rows / h;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h * w !== rows) {
    throw new RangeError(
      `Cannot draw columns of ${count(rows, "row")} as images of ${
        height ?? "?"
      } x ${width ?? "?"} pixels in ${FN}: height x width must be ${rows}`,
    );
  }
  return [h, w];
}

/** Grey level 0 (black) to 255 (white) as an SVG colour. */
function grey(level: number): string {
  const hex = level.toString(16).padStart(2, "0");
  return `#${hex}${hex}${hex}`;
}

/**
 * Draws small grey-scale images in grids, one grid per panel, panels one
 * under the other, each with its label above it and a caption under each
 * image when given: MNIST digits (784 x n, one image per column, as the
 * toolkit keeps samples), or the filters of a convolution layer before and
 * after training as ゼロから作るDeep Learning's figure 7-24 draws them
 * (`transpose(w)`: one 5 x 5 filter per column). High values are dark on a
 * light ground by default, as the book's `gray_r`. A pure function: it
 * returns the picture as an {@linkcode Svg}.
 *
 * @param images The images, one per column of a Matrix, or an array of
 * panels `{ images, label, captions }` whose images have the same shape (a
 * Matrix in the array is a panel without label or captions).
 * @param options Title, image shape, columns, pixel size, grey range and
 * which end is dark.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When `images` is not a Matrix or a non-empty array of
 * panels, a label or caption is not a string, or an option is unknown or
 * of the wrong type.
 * @throws {RangeError} When the images' rows do not make images of the
 * given (or a square) shape, the panels' images differ in shape, there is
 * not one caption per image, an option is out of range, or there are more
 * than 10,000 images or 2^20 pixels in all.
 *
 * @example Two 2 x 2 images, before and after
 * ```ts
 * import { imageGrid, matrix } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // One image per column: a diagonal and the other diagonal.
 * const before = matrix([[1, 0], [0, 1], [0, 1], [1, 0]]);
 * const after = matrix([[0, 0], [1, 1], [1, 1], [0, 0]]);
 * const svg = imageGrid([
 *   { label: "before", images: before, captions: ["a", "b"] },
 *   { label: "after", images: after },
 * ], { title: "Filters", pixelSize: 10 });
 * assert.match(svg.markup, /^<svg/);
 * assert.match(svg.markup, />Filters</);
 * assert.match(svg.markup, />before</);
 * // High values dark: the first image's top-left pixel is black.
 * assert.match(svg.markup, /fill="#000000"/);
 * // Three rows are not a square image: say which shape.
 * assert.throws(() => imageGrid(matrix([[1], [2], [3]])), RangeError);
 * assert.match(String(imageGrid(matrix([[1], [2], [3]]), { height: 1 })), /<svg/);
 * ```
 */
export function imageGrid(
  images: Matrix | readonly ImagePanel[],
  options: ImageGridOptions = {},
): Svg {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("imageGrid(images, options)", arguments.length, 1);
  }
  let panels: Panel[];
  if (isMatrix(images)) {
    panels = [{ images, label: "" }];
  } else if (Array.isArray(images)) {
    if (images.length === 0 || images.length > MAX_PANELS) {
      throw new RangeError(
        `Expected images of ${FN} to be an array of 1 to ${MAX_PANELS} panels, got ${images.length}`,
      );
    }
    panels = images.map((p, i) => readPanel(p, `images[${i}]`));
  } else {
    throw new TypeError(
      `Expected images of ${FN} to be a Matrix with one image per column, or an array of panels { images, label, captions }, got ${
        describe(images)
      }`,
    );
  }
  const o = readOptions(options, FN, [
    "title",
    "height",
    "width",
    "columns",
    "pixelSize",
    "range",
    "high",
  ]);
  const title = o.title === undefined
    ? ""
    : assertString(o.title, FN, "options.title");
  const rows = panels[0].images.rows;
  for (let i = 1; i < panels.length; i++) {
    if (panels[i].images.rows !== rows) {
      throw new RangeError(
        `Expected the images of every panel of ${FN} to have the same shape: images[0] has ${
          count(rows, "row")
        }, images[${i}] ${count(panels[i].images.rows, "row")}`,
      );
    }
  }
  const optionalSide = (value: unknown, name: string) =>
    value === undefined
      ? undefined
      : assertInteger(value, FN, `options.${name}`, 1, 4096);
  const [height, width] = imageSize(
    rows,
    optionalSide(o.height, "height"),
    optionalSide(o.width, "width"),
  );
  const total = panels.reduce((s, p) => s + p.images.cols, 0);
  if (total > MAX_IMAGES || total * rows > MAX_PIXELS) {
    throw new RangeError(
      `Cannot draw ${total} images of ${height} x ${width} pixels in ${FN}: at most ${MAX_IMAGES} images and 2^20 pixels in all`,
    );
  }
  const maxCols = Math.max(...panels.map((p) => p.images.cols));
  const columns = o.columns === undefined
    ? Math.min(maxCols, 10)
    : assertInteger(o.columns, FN, "options.columns", 1, 1000);
  const pixel = o.pixelSize === undefined
    ? Math.max(1, Math.round(48 / Math.max(height, width)))
    : assertInRange(o.pixelSize, FN, "options.pixelSize", 0.1, 100);
  const range = readRange(o.range);
  const high = assertChoice(o.high ?? "dark", FN, "options.high", [
    "dark",
    "light",
  ]);

  let lo = 0, hi = 0;
  if (range === "all") {
    lo = Infinity;
    hi = -Infinity;
    for (const p of panels) {
      for (const v of dataOf(p.images)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  } else if (range !== "each") {
    [lo, hi] = range;
  }

  const margin = 16, gap = 6, captionHeight = 14, labelHeight = 20;
  const imageW = width * pixel, imageH = height * pixel;
  const gridWidth = (n: number) => {
    const c = Math.min(columns, n);
    return c * imageW + (c - 1) * gap;
  };
  const contentWidth = Math.max(...panels.map((p) => gridWidth(p.images.cols)));
  const docWidth = Math.max(
    2 * margin + contentWidth,
    title ? 2 * margin + 8 * title.length : 0,
    120,
  );
  const paper = high === "dark" ? 255 : 0;
  const body: string[] = [];
  let y = margin;
  if (title) {
    body.push(titleText(title, docWidth));
    y = 40;
  }
  for (const panel of panels) {
    if (panel.label) {
      body.push(
        `<text x="${num(margin)}" y="${num(y + 14)}" font-weight="bold">${
          escapeXml(panel.label)
        }</text>`,
      );
      y += labelHeight;
    }
    const n = panel.images.cols;
    const data = dataOf(panel.images);
    const cellH = imageH + (panel.captions ? captionHeight : 0) + gap;
    const cells: string[] = [];
    for (let t = 0; t < n; t++) {
      const x0 = margin + (t % columns) * (imageW + gap);
      const y0 = y + Math.floor(t / columns) * cellH;
      let a = lo, b = hi;
      if (range === "each") {
        a = Infinity;
        b = -Infinity;
        for (let p = 0; p < rows; p++) {
          const v = data[p * n + t];
          if (v < a) a = v;
          if (v > b) b = v;
        }
      }
      const span = b - a;
      const level = (v: number): number => {
        // Divided in halves so that a span near ±1.8e308 does not overflow.
        const r = Number.isFinite(span)
          ? (span > 0 ? (v - a) / span : 0)
          : (v / 2 - a / 2) / (b / 2 - a / 2);
        const c = Math.min(1, Math.max(0, r));
        return high === "dark"
          ? 255 - Math.round(255 * c)
          : Math.round(255 * c);
      };
      cells.push(
        `<rect x="${num(x0)}" y="${num(y0)}" width="${num(imageW)}" height="${
          num(imageH)
        }" fill="${grey(paper)}" stroke="#bbb" stroke-width="0.5"/>`,
      );
      for (let i = 0; i < height; i++) {
        let j = 0;
        while (j < width) {
          const g = level(data[(i * width + j) * n + t]);
          let end = j + 1;
          while (
            end < width && level(data[(i * width + end) * n + t]) === g
          ) end++;
          if (g !== paper) {
            cells.push(
              `<rect x="${num(x0 + j * pixel)}" y="${
                num(y0 + i * pixel)
              }" width="${num((end - j) * pixel)}" height="${
                num(pixel)
              }" fill="${grey(g)}"/>`,
            );
          }
          j = end;
        }
      }
      if (panel.captions) {
        cells.push(
          `<text x="${num(x0 + imageW / 2)}" y="${
            num(y0 + imageH + 11)
          }" text-anchor="middle" font-size="10">${
            escapeXml(panel.captions[t])
          }</text>`,
        );
      }
    }
    body.push(`<g shape-rendering="crispEdges">`, ...cells, "</g>");
    y += Math.ceil(n / columns) * cellH + gap;
  }
  return svgDocument(docWidth, y + margin - gap, body);
}

function readRange(value: unknown): "each" | "all" | [number, number] {
  if (value === undefined) return "each";
  if (value === "each" || value === "all") return value;
  if (
    Array.isArray(value) && value.length === 2 &&
    value.every((v) => typeof v === "number")
  ) {
    const [lo, hi] = value as number[];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new RangeError(
        `Expected options.range of ${FN} to be [lo, hi] with finite lo < hi, got [${lo}, ${hi}]`,
      );
    }
    return [lo, hi];
  }
  throw new TypeError(
    `Expected options.range of ${FN} to be "each", "all" or [lo, hi], got ${
      describe(value)
    }`,
  );
}
