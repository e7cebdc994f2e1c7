/**
 * The decision regions of a classifier of 2-D points, with its data. A pure
 * function: it returns an `Svg`, drawn inline in a Jupyter notebook and SVG
 * text everywhere else (`String(svg)`, `svg.markup`), and writes nothing; save
 * it with `Deno.writeTextFile(path, svg.markup)`.
 *
 * @module
 */
import {
  arrayCallback,
  assertFunction,
  assertInRange,
  assertInteger,
  assertMatrix,
  assertNumber,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, isMatrix, type Matrix } from "../core/_matrix.ts";
import {
  assertString,
  axes,
  clampFinite,
  colorOf,
  escapeXml,
  innerTicks,
  num,
  type Svg,
  svgDocument,
} from "./_svg.ts";

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
   * Height of the picture in pixels, from 100 to 10000 (the default leaves
   * a square plot under the title and the legend).
   *
   * @default {520}
   */
  height?: number;
  /**
   * How many grid cells along each axis, from 2 to 1000: the classifier is
   * asked about the (resolution + 1)² corners of the cells, and within a
   * cell whose corners disagree the boundary is placed where the scores
   * cross (halfway when `predict` returns classes), so that it is drawn as
   * a smooth line rather than steps.
   *
   * @default {100}
   */
  resolution?: number;
  /**
   * The name of each class in the legend, by class number (class 0 first).
   *
   * @default {"class 0", "class 1", …}
   */
  classNames?: readonly string[];
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

/** Throws a RangeError unless entry `i`, `c`, is a class: an integer from 0. */
function assertClass(c: unknown, i: number, expected: string): void {
  if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) {
    throw new RangeError(`${expected}, got ${describe(c)} at ${i}`);
  }
}

/** A range option, `[min, max]` with min < max, or undefined when not given. */
function checkRange(
  value: unknown,
  fn: string,
  name: string,
): readonly [number, number] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) || value.length !== 2 ||
    typeof value[0] !== "number" || typeof value[1] !== "number"
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a pair [min, max] of numbers, got ${
        describe(value)
      }`,
    );
  }
  const [lo, hi] = value;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be finite with min < max, got [${lo}, ${hi}]`,
    );
  }
  return [lo, hi];
}

/**
 * What a predict function said about m points: each point's class, and a
 * score for any point and class (half the true score, so that differences
 * of scores near ±1.8e308 stay finite) that says how far the point is from
 * the boundary between two classes.
 */
interface Predictions {
  classes: ArrayLike<number>;
  score: (point: number, cls: number) => number;
}

/** Classes and scores from a predict function's result for m points. */
function predictionsOf(
  result: unknown,
  m: number,
  threshold: number,
  fn: string,
): Predictions {
  if (Array.isArray(result)) {
    if (result.length !== m) {
      throw new RangeError(
        `Expected predict in ${fn} to return ${m} classes, one per column of its input, got ${result.length}`,
      );
    }
    for (let i = 0; i < m; i++) {
      assertClass(
        result[i],
        i,
        `Expected predict in ${fn} to return classes as integers from 0`,
      );
    }
    const classes = result as number[];
    return { classes, score: (j, c) => classes[j] === c ? 0.5 : 0 };
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
  const out = new Float64Array(m);
  const d = dataOf(result);
  const k = result.rows;
  if (k === 1) {
    for (let j = 0; j < m; j++) out[j] = d[j] >= threshold ? 1 : 0;
    return {
      classes: out,
      score: (j, c) => c === 1 ? d[j] / 2 - threshold / 2 : 0,
    };
  }
  for (let j = 0; j < m; j++) {
    let best = 0;
    for (let i = 1; i < k; i++) if (d[i * m + j] > d[best * m + j]) best = i;
    out[j] = best;
  }
  return { classes: out, score: (j, c) => d[c * m + j] / 2 };
}

/** A point in pixels. */
type Point = readonly [number, number];

/** A closed polygon as a subpath: "Mx,yLx,y…Z". */
function subpath(points: readonly Point[]): string {
  return `M${points.map(([x, y]) => `${num(x)},${num(y)}`).join("L")}Z`;
}

/**
 * The regions of each class as polygons, and the lines between them, from
 * the classes of the corners of a grid of cells (marching squares).
 *
 * Corner (r, c) of the grid, r from the top, is point r·(res + 1) + c of the
 * predictions; `px(c)` and `py(r)` are its pixels. A cell whose four corners
 * agree is part of its class's region (whole rows of such cells become one
 * rectangle). In a cell whose corners disagree, each edge between corners of
 * two classes is cut where the two classes' scores cross, interpolated
 * linearly; with two classes the cuts are joined by a straight line (for a
 * saddle, the class whose scores win at the centre connects its corners),
 * with three or four the cuts are joined to the centre. Every polygon runs
 * clockwise, so that the pieces of one class fill as one shape, with no
 * seams between them.
 */
function regionPaths(
  p: Predictions,
  res: number,
  px: (c: number) => number,
  py: (r: number) => number,
): { regions: Map<number, string[]>; boundary: string[] } {
  const n = res + 1;
  const { classes, score } = p;
  const regions = new Map<number, string[]>();
  const add = (cls: number, path: string) => {
    const list = regions.get(cls);
    if (list) list.push(path);
    else regions.set(cls, [path]);
  };
  const boundary: string[] = [];
  const corner = (id: number): Point => [px(id % n), py(Math.floor(id / n))];
  // Where the edge from corner a to corner b (of different classes) is cut.
  // Computed from the lower-numbered corner, so that the two cells sharing
  // an edge cut it at the same point.
  const cut = (a: number, b: number): Point => {
    if (a > b) [a, b] = [b, a];
    const ca = classes[a], cb = classes[b];
    const ga = score(a, ca) / 2 - score(a, cb) / 2;
    const gb = score(b, ca) / 2 - score(b, cb) / 2;
    let t = ga / (ga - gb);
    if (!(t >= 0 && t <= 1)) t = 0.5;
    const [xa, ya] = corner(a), [xb, yb] = corner(b);
    return [xa + t * (xb - xa), ya + t * (yb - ya)];
  };
  for (let r = 0; r < res; r++) {
    let runStart = -1;
    let runClass = -1;
    const endRun = (c: number) => {
      if (runStart < 0) return;
      const xa = num(px(runStart)), xb = num(px(c));
      add(
        runClass,
        `M${xa},${num(py(r))}H${xb}V${num(py(r + 1))}H${xa}Z`,
      );
      runStart = -1;
    };
    for (let c = 0; c < res; c++) {
      const top = r * n + c, below = top + n;
      const first = classes[top];
      if (
        classes[top + 1] === first && classes[below] === first &&
        classes[below + 1] === first
      ) {
        if (runStart >= 0 && runClass !== first) endRun(c);
        if (runStart < 0) {
          runStart = c;
          runClass = first;
        }
        continue;
      }
      // The corners clockwise on screen: top left, top right, bottom right,
      // bottom left.
      const ids = [top, top + 1, below + 1, below];
      const k = ids.map((id) => classes[id]);
      endRun(c);
      // The cell's boundary, clockwise: corners and the cuts between them.
      const ring: { at: Point; cls: number; cut: boolean }[] = [];
      for (let i = 0; i < 4; i++) {
        const next = (i + 1) % 4;
        ring.push({ at: corner(ids[i]), cls: k[i], cut: false });
        if (k[i] !== k[next]) {
          ring.push({ at: cut(ids[i], ids[next]), cls: -1, cut: true });
        }
      }
      const kinds = new Set(k);
      if (kinds.size === 2) {
        const [c0, c1] = kinds;
        const cuts = ring.filter((v) => v.cut).map((v) => v.at);
        if (cuts.length === 2) {
          // One line across the cell: each class's corners and both cuts.
          for (const cls of [c0, c1]) {
            add(
              cls,
              subpath(
                ring.filter((v) => v.cut || v.cls === cls).map((v) => v.at),
              ),
            );
          }
          boundary.push(
            `M${cuts.map(([x, y]) => `${num(x)},${num(y)}`).join("L")}`,
          );
          continue;
        }
        // A saddle: corners 0 and 2 of one class, 1 and 3 of the other. The
        // class whose scores win at the centre connects its two corners.
        let centre = 0;
        for (const id of ids) {
          centre += score(id, k[0]) / 8 - score(id, k[1]) / 8;
        }
        const joined = centre >= 0 ? k[0] : k[1];
        const apart = joined === k[0] ? k[1] : k[0];
        add(
          joined,
          subpath(
            ring.filter((v) => v.cut || v.cls === joined).map((v) => v.at),
          ),
        );
        // The other class keeps two corners, each cut off by a line.
        for (let i = 0; i < ring.length; i++) {
          if (ring[i].cut || ring[i].cls !== apart) continue;
          const before = ring[(i + ring.length - 1) % ring.length].at;
          const after = ring[(i + 1) % ring.length].at;
          add(apart, subpath([before, ring[i].at, after]));
          boundary.push(
            `M${num(before[0])},${num(before[1])}L${num(after[0])},${
              num(after[1])
            }`,
          );
        }
        continue;
      }
      // Three or four classes: each run of corners between two cuts, joined
      // to the cell's centre.
      const mid: Point = [(px(c) + px(c + 1)) / 2, (py(r) + py(r + 1)) / 2];
      const start = ring.findIndex((v) => v.cut);
      let piece: Point[] = [ring[start].at];
      let cls = -1;
      for (let step = 1; step <= ring.length; step++) {
        const v = ring[(start + step) % ring.length];
        piece.push(v.at);
        if (!v.cut) {
          cls = v.cls;
          continue;
        }
        piece.push(mid);
        add(cls, subpath(piece));
        boundary.push(
          `M${num(v.at[0])},${num(v.at[1])}L${num(mid[0])},${num(mid[1])}`,
        );
        piece = [v.at];
      }
    }
    endRun(res);
  }
  return { regions, boundary };
}

/** A legend row: each class's colour (its region and its points), named. */
function legendRow(
  classes: readonly number[],
  names: readonly string[],
  x: number,
  y: number,
  maxWidth: number,
): { svg: string[]; height: number } {
  const svg: string[] = [];
  let cx = x, cy = y + 8;
  const items = classes.map((c) => ({
    c,
    label: names[c] ?? `class ${c}`,
  }));
  for (const { c, label } of items) {
    const w = 26 + label.length * 6.7 + 16;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += 18;
    }
    svg.push(
      `<rect x="${num(cx)}" y="${num(cy - 7)}" width="18" height="14" fill="${
        colorOf(c)
      }" fill-opacity="0.3"/>`,
      `<circle cx="${num(cx + 9)}" cy="${num(cy)}" r="3.5" fill="${
        colorOf(c)
      }" stroke="#fff"/>`,
      `<text x="${num(cx + 24)}" y="${num(cy)}" dy="0.32em">${
        escapeXml(label)
      }</text>`,
    );
    cx += w;
  }
  const note = "shaded: predicted class; dots: the data, by true class";
  cy += 17;
  svg.push(
    `<text x="${num(x)}" y="${
      num(cy)
    }" dy="0.32em" font-size="11" fill="#666">${note}</text>`,
  );
  return { svg, height: cy - y + 8 };
}

/**
 * Draws what a classifier of 2-D points decides everywhere: the plane is cut
 * into a grid, every corner of its cells is classified with one call to
 * `predict`, the region of each class is tinted in its colour, with a thin
 * line where the class changes (placed between two corners where their
 * scores cross, so that it is smooth rather than stepped), and the data's
 * points are drawn on top in their true class's colour. A legend under the
 * title names the classes.
 *
 * `predict` receives a 2 x m Matrix of points (one per column, like the
 * data) and returns either an array of m classes, or a Matrix of scores with
 * one column per point: k x m (the class is the row with the highest score)
 * or 1 x m (class 1 where the score reaches `options.threshold`).
 *
 * @param predict The classifier.
 * @param data The points `x` (2 x n) and their classes `labels`.
 * @param options Title, labels, size, grid resolution, ranges and class
 * names.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When an argument or an option has the wrong type, an
 * option is unknown, or `predict` returns something other than classes or a
 * Matrix.
 * @throws {RangeError} When `data.x` is not 2 x n with n labels, a label is
 * not an integer from 0, an option is out of range, or `predict`'s result
 * has the wrong size.
 *
 * @example The line x₁ = x₂ splits two points
 * ```ts
 * import { decisionBoundary } from "./decision_boundary.ts";
 * import { matrix, toArray } from "../core/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const data = { x: matrix([[0, 1], [1, 0]]), labels: [0, 1] };
 * const svg = decisionBoundary(
 *   (points) => toArray(points)[0].map((x1, j) => x1 > toArray(points)[1][j] ? 1 : 0),
 *   data,
 *   { resolution: 10 },
 * );
 * // The two points, and a dot for each class in the legend.
 * assert.equal(svg.markup.match(/<circle/g)?.length, 4);
 * assert.ok(svg.markup.includes('fill="#4e79a7"') && svg.markup.includes('fill="#f28e2b"'));
 * assert.match(svg.markup, />class 1</);
 * ```
 */
export function decisionBoundary(
  predict: (points: Matrix) => Matrix | readonly number[],
  data: LabelledPoints,
  options: DecisionBoundaryOptions = {},
): Svg {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "decisionBoundary(predict, data, options)",
      arguments.length,
      2,
    );
  }
  const fn = "decisionBoundary(predict, data, options)";
  assertFunction(predict, fn, "predict");
  assertRecord(data, fn, "data", "an object { x, labels }");
  const { x, labels } = data;
  assertMatrix(x, fn, "data.x");
  if (x.rows !== 2) {
    throw new RangeError(
      `Cannot draw ${x.rows}-D points in ${fn}: data.x must be 2 x n, one column per point, got ${x.rows}x${x.cols}`,
    );
  }
  if (!Array.isArray(labels) || labels.length !== x.cols) {
    const Err = Array.isArray(labels) ? RangeError : TypeError;
    throw new Err(
      `Expected data.labels of ${fn} to be an array of ${x.cols} classes, one per column of data.x, got ${
        describe(labels)
      }`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    assertClass(
      labels[i],
      i,
      `Expected data.labels of ${fn} to hold integers from 0`,
    );
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
    "classNames",
  ]);
  const width = assertInRange(opts.width ?? 480, fn, "options.width", 100, 1e4);
  const height = assertInRange(
    opts.height ?? 520,
    fn,
    "options.height",
    100,
    1e4,
  );
  const resolution = assertInteger(
    opts.resolution ?? 100,
    fn,
    "options.resolution",
    2,
    1000,
  );
  const threshold = opts.threshold ?? 0.5;
  assertNumber(threshold, fn, "options.threshold");
  const title = assertString(opts.title ?? "", fn, "options.title");
  const xLabel = assertString(opts.xLabel ?? "x₁", fn, "options.xLabel");
  const yLabel = assertString(opts.yLabel ?? "x₂", fn, "options.yLabel");
  const classNames = opts.classNames ?? [];
  if (!Array.isArray(classNames)) {
    throw new TypeError(
      `Expected options.classNames of ${fn} to be an array of names, got ${
        describe(classNames)
      }`,
    );
  }
  for (let i = 0; i < classNames.length; i++) {
    assertString(classNames[i], fn, `options.classNames[${i}]`);
  }
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

  // Every corner of the cells, row by row from the top, as the columns of
  // one Matrix. A span that overflows is walked in halves, so every corner
  // is finite; the last corner is the range's end exactly.
  const n1 = resolution + 1;
  const m = n1 * n1;
  const grid = new Float64Array(2 * m);
  const along = (lo: number, hi: number): (k: number) => number => {
    const step = (hi - lo) / resolution;
    const at = Number.isFinite(step)
      ? (k: number) => lo + k * step
      : (k: number) =>
        clampFinite(
          (lo / 2 + k * (hi / 2 / resolution - lo / 2 / resolution)) * 2,
        );
    return (k) => k === 0 ? lo : k === resolution ? hi : at(k);
  };
  const gx = along(x0, x1);
  const gy = along(-y1, -y0);
  for (let r = 0; r < n1; r++) {
    for (let c = 0; c < n1; c++) {
      grid[r * n1 + c] = gx(c);
      grid[m + r * n1 + c] = -gy(r);
    }
  }
  const predictions = predictionsOf(
    predict(fromData(2, m, grid)),
    m,
    threshold,
    fn,
  );

  // The classes in the legend: those predicted and those of the data.
  const shown = new Set<number>(labels as number[]);
  for (let j = 0; j < m; j++) shown.add(predictions.classes[j]);
  const legendClasses = [...shown].sort((a, b) => a - b).slice(0, 20);
  const legendTop = title ? 34 : 10;
  const legend = legendRow(
    legendClasses,
    classNames as string[],
    64,
    legendTop,
    width - 84,
  );

  // Both axes ticked alike, so that a square picture of equal ranges has the
  // same ticks on both; the axes span exactly the classified area.
  const count = Math.max(2, Math.round(Math.min(width, height) / 70));
  const xr = innerTicks(x0, x1, count);
  const yr = innerTicks(y0, y1, count);
  const { frame, decoration } = axes(width, height, xr, yr, {
    title,
    xLabel,
    yLabel,
  }, legend.height + (title ? 0 : 6));
  const colX = (c: number) =>
    frame.left + c / resolution * (frame.right - frame.left);
  const rowY = (r: number) =>
    frame.top + r / resolution * (frame.bottom - frame.top);
  const { regions, boundary } = regionPaths(
    predictions,
    resolution,
    colX,
    rowY,
  );
  const regionSvg = [...regions.keys()].sort((a, b) => a - b).map((cls) =>
    `<path fill="${colorOf(cls)}" d="${
      (regions.get(cls) as string[]).join("")
    }"/>`
  );
  const points: string[] = [];
  for (let j = 0; j < n; j++) {
    const vx = px[j], vy = px[n + j];
    if (vx < x0 || vx > x1 || vy < y0 || vy > y1) continue;
    points.push(
      `<circle cx="${num(frame.xs(vx))}" cy="${
        num(frame.ys(vy))
      }" r="3.5" fill="${colorOf(labels[j])}"/>`,
    );
  }
  return svgDocument(width, height, [
    `<g fill-opacity="0.3">`,
    ...regionSvg,
    "</g>",
    ...(boundary.length > 0
      ? [
        `<path fill="none" stroke="#333" stroke-opacity="0.5" stroke-width="1" stroke-linecap="round" d="${
          boundary.join("")
        }"/>`,
      ]
      : []),
    `<g stroke="#fff" stroke-width="1">`,
    ...points,
    "</g>",
    ...decoration,
    ...legend.svg,
  ]);
}
