/**
 * Paths over the contour lines of a function of two variables, one panel per
 * path: the way gradient-descent methods walk towards a minimum (ゼロから作るDeep
 * Learning, figure 6-8). A pure function: it returns an `Svg`, drawn inline in
 * a Jupyter notebook and SVG text everywhere else (`String(svg)`,
 * `svg.markup`), and writes nothing; save it with `Deno.writeTextFile(path,
 * svg.markup)`.
 *
 * @module
 */
import {
  arrayCallback,
  assertFunction,
  assertInteger,
  assertNumber,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { colorOf, num, type Svg } from "./_svg.ts";
import {
  gridDocument,
  type LegendItem,
  linearAxis,
  optionalColumns,
  optionalRange,
  optionalSize,
  optionalString,
  PANEL_MARGIN,
  panelAxes,
} from "./_panels.ts";

/** One panel of {@linkcode contourPaths}: a named path of points. */
export interface ContourPath {
  /** The panel's title, such as the name of the optimizer that walked it. */
  readonly name: string;
  /** The points visited, in order, as `[x, y]` pairs; at least one. */
  readonly points: readonly (readonly [number, number])[];
}

/** Options for {@linkcode contourPaths}. */
export interface ContourPathsOptions {
  /**
   * The title above the panels.
   *
   * @default {""}
   */
  title?: string;
  /**
   * The x range shown, `[lo, hi]`.
   *
   * @default {the points' range, widened by 10% on each side}
   */
  xRange?: readonly [number, number];
  /**
   * The y range shown, `[lo, hi]`.
   *
   * @default {the points' range, widened by 10% on each side}
   */
  yRange?: readonly [number, number];
  /**
   * The values of f at which contour lines are drawn.
   *
   * @default {about six round numbers between f's least and largest value shown}
   */
  levels?: readonly number[];
  /**
   * Panels per row, from 1 to 100.
   *
   * @default {3, or fewer when there are fewer paths}
   */
  columns?: number;
  /**
   * Width of each panel in pixels, from 80 to 2000.
   *
   * @default {300}
   */
  panelWidth?: number;
  /**
   * Height of each panel in pixels, from 80 to 2000.
   *
   * @default {what gives x and y the same scale}
   */
  panelHeight?: number;
  /**
   * The label under the x axes.
   *
   * @default {"x"}
   */
  xLabel?: string;
  /**
   * The label beside the y axes.
   *
   * @default {"y"}
   */
  yLabel?: string;
  /**
   * What the contour lines are lines of, for the legend.
   *
   * @default {"f"}
   */
  functionLabel?: string;
  /**
   * A point to mark with a "+" in every panel, such as the minimum.
   *
   * @default {undefined} (none)
   */
  mark?: readonly [number, number];
  /**
   * The legend's name for `mark`.
   *
   * @default {"minimum"}
   */
  markLabel?: string;
  /**
   * Grid cells along the x axis where f is evaluated, from 4 to 1000.
   *
   * @default {120}
   */
  resolution?: number;
}

const FN = "contourPaths(f, paths, options)";

function readPaths(paths: unknown): ContourPath[] {
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > 100) {
    throw new TypeError(
      `Expected paths of ${FN} to be an array of 1 to 100 paths { name, points }, got ${
        describe(paths)
      }`,
    );
  }
  return paths.map((p: unknown, i) => {
    const where = `paths[${i}]`;
    if (typeof p !== "object" || p === null || Array.isArray(p)) {
      throw new TypeError(
        `Expected ${where} of ${FN} to be a path { name, points }, got ${
          describe(p)
        }`,
      );
    }
    const o = readOptions(p, FN, ["name", "points"]);
    const name = optionalString(o.name, "", FN, `${where}.name`);
    const points = o.points;
    if (!Array.isArray(points) || points.length === 0) {
      throw new TypeError(
        `Expected ${where}.points of ${FN} to be a non-empty array of [x, y] pairs, got ${
          describe(points)
        }`,
      );
    }
    points.forEach((q: unknown, j) => {
      if (!Array.isArray(q) || q.length !== 2) {
        throw new TypeError(
          `Expected ${where}.points[${j}] of ${FN} to be an [x, y] pair, got ${
            describe(q)
          }`,
        );
      }
      assertNumber(q[0], FN, `${where}.points[${j}][0]`);
      assertNumber(q[1], FN, `${where}.points[${j}][1]`);
    });
    return { name, points: points as [number, number][] };
  });
}

/** f on a grid of (nx + 1) x (ny + 1) points, row by row from y = lo. */
function sample(
  f: (x: number, y: number) => number,
  xr: [number, number],
  yr: [number, number],
  nx: number,
  ny: number,
): Float64Array {
  const values = new Float64Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++) {
    const y = yr[0] + (yr[1] - yr[0]) * j / ny;
    for (let i = 0; i <= nx; i++) {
      const x = xr[0] + (xr[1] - xr[0]) * i / nx;
      const v = f(x, y);
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `Expected f of ${FN} to return a finite number, got ${
            describe(v)
          } at (${x}, ${y})`,
        );
      }
      values[j * (nx + 1) + i] = v;
    }
  }
  return values;
}

/**
 * The contour line of f at `level` by marching squares, as segments in
 * grid coordinates (i along x, j along y): [i1, j1, i2, j2] each.
 */
function marchingSquares(
  values: Float64Array,
  nx: number,
  ny: number,
  level: number,
): number[][] {
  const at = (i: number, j: number) => values[j * (nx + 1) + i];
  const segments: number[][] = [];
  // Where the level crosses the edge from corner a to corner b.
  const cross = (a: number, b: number) => (level - a) / (b - a);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v00 = at(i, j), v10 = at(i + 1, j);
      const v11 = at(i + 1, j + 1), v01 = at(i, j + 1);
      const s00 = v00 > level, s10 = v10 > level;
      const s11 = v11 > level, s01 = v01 > level;
      if (s00 === s10 && s10 === s11 && s11 === s01) continue;
      // The crossings on the bottom, right, top and left edges, in order.
      const e: (number[] | undefined)[] = [
        s00 !== s10 ? [i + cross(v00, v10), j] : undefined,
        s10 !== s11 ? [i + 1, j + cross(v10, v11)] : undefined,
        s01 !== s11 ? [i + cross(v01, v11), j + 1] : undefined,
        s00 !== s01 ? [i, j + cross(v00, v01)] : undefined,
      ];
      const found = e.filter((p): p is number[] => p !== undefined);
      if (found.length === 2) {
        segments.push([...found[0], ...found[1]]);
      } else if (found.length === 4) {
        // A saddle: the cell's centre decides which corners are joined.
        const centre = (v00 + v10 + v11 + v01) / 4 > level;
        const [b, r, t, l] = found;
        if (centre === s00) {
          segments.push([...b, ...r], [...t, ...l]);
        } else {
          segments.push([...l, ...b], [...r, ...t]);
        }
      }
    }
  }
  return segments;
}

/**
 * Draws paths of points over the contour lines of a function f(x, y), one
 * panel per path with the same axes and contour lines, as ゼロから作るDeep
 * Learning's figure 6-8 compares the optimizers on f(x, y) = x²/20 + y².
 * Each path is a line with a dot per point and a ring at its start; an
 * optional "+" marks a point such as the minimum. The contour lines are
 * found by marching squares on a grid. A legend under the title says what
 * each mark means; x and y have the same scale unless a panel height is
 * given.
 *
 * @param f The function whose contour lines are drawn; it must return a
 * finite number everywhere in the ranges shown.
 * @param paths One path per panel: `{ name, points }`, the points as
 * `[x, y]` pairs in the order visited.
 * @param options Title, ranges, contour levels, layout, labels, a marked
 * point and the grid's resolution.
 * @returns The picture, an {@linkcode Svg}: drawn inline in Jupyter, its SVG
 * text in `svg.markup` and `String(svg)`.
 * @throws {TypeError} When `f` is not a function, `paths` is not a
 * non-empty array of paths, a point is not an `[x, y]` pair of numbers, or
 * an option is unknown or of the wrong type.
 * @throws {RangeError} When a number is not finite, a range is empty, an
 * option is out of range, or f returns something other than a finite
 * number.
 *
 * @example Two paths down a bowl
 * ```ts
 * import { contourPaths } from "./contour.ts";
 * import assert from "node:assert/strict";
 *
 * const svg = contourPaths((x, y) => x * x + y * y, [
 *   { name: "fast", points: [[-2, 1], [0, 0]] },
 *   { name: "slow", points: [[-2, 1], [-1, 0.5], [0, 0]] },
 * ], { title: "Descent", xRange: [-3, 3], yRange: [-2, 2], levels: [1, 4], mark: [0, 0] });
 * assert.ok(svg.markup.startsWith("<svg"));
 * assert.match(svg.markup, />Descent</);
 * assert.match(svg.markup, />fast</);
 * assert.match(svg.markup, />slow</);
 * // One contour path per level per panel, one polyline per path.
 * assert.equal(svg.markup.match(/class="contour"/g)?.length, 4);
 * assert.equal(svg.markup.match(/<polyline/g)?.length, 2);
 * assert.throws(() => contourPaths((x) => 1 / x, [{ name: "", points: [[0, 0]] }], { xRange: [-1, 1], yRange: [-1, 1] }), RangeError);
 * ```
 */
export function contourPaths(
  f: (x: number, y: number) => number,
  paths: readonly ContourPath[],
  options: ContourPathsOptions = {},
): Svg {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "contourPaths(f, paths, options)",
      arguments.length,
      2,
    );
  }
  assertFunction(f, FN, "f");
  const list = readPaths(paths);
  const o = readOptions(options, FN, [
    "title",
    "xRange",
    "yRange",
    "levels",
    "columns",
    "panelWidth",
    "panelHeight",
    "xLabel",
    "yLabel",
    "functionLabel",
    "mark",
    "markLabel",
    "resolution",
  ]);
  const title = optionalString(o.title, "", FN, "options.title");
  const xLabel = optionalString(o.xLabel, "x", FN, "options.xLabel");
  const yLabel = optionalString(o.yLabel, "y", FN, "options.yLabel");
  const functionLabel = optionalString(
    o.functionLabel,
    "f",
    FN,
    "options.functionLabel",
  );
  const markLabel = optionalString(
    o.markLabel,
    "minimum",
    FN,
    "options.markLabel",
  );
  let mark: [number, number] | undefined;
  if (o.mark !== undefined) {
    if (!Array.isArray(o.mark) || o.mark.length !== 2) {
      throw new TypeError(
        `Expected options.mark of ${FN} to be an [x, y] pair, got ${
          describe(o.mark)
        }`,
      );
    }
    assertNumber(o.mark[0], FN, "options.mark[0]");
    assertNumber(o.mark[1], FN, "options.mark[1]");
    mark = [o.mark[0], o.mark[1]];
  }
  const columns = optionalColumns(o.columns, Math.min(3, list.length), FN);
  const panelWidth = optionalSize(o.panelWidth, 300, FN, "options.panelWidth");
  const nx = o.resolution === undefined
    ? 120
    : assertInteger(o.resolution, FN, "options.resolution", 4, 1000);
  let levels: number[] | undefined;
  if (o.levels !== undefined) {
    if (!Array.isArray(o.levels) || o.levels.length > 100) {
      throw new TypeError(
        `Expected options.levels of ${FN} to be an array of at most 100 numbers, got ${
          describe(o.levels)
        }`,
      );
    }
    o.levels.forEach((v: unknown, k) =>
      assertNumber(v, FN, `options.levels[${k}]`)
    );
    levels = o.levels as number[];
  }

  // The ranges: given, or the points' range widened by 10%.
  const all = list.flatMap((p) => p.points);
  const spread = (k: 0 | 1): [number, number] => {
    let lo = Infinity, hi = -Infinity;
    for (const p of all) {
      lo = Math.min(lo, p[k]);
      hi = Math.max(hi, p[k]);
    }
    const pad = hi > lo ? (hi - lo) * 0.1 : Math.max(1, Math.abs(lo) * 0.1);
    return [lo - pad, hi + pad];
  };
  const xr = optionalRange(o.xRange, FN, "options.xRange") ?? spread(0);
  const yr = optionalRange(o.yRange, FN, "options.yRange") ?? spread(1);
  const plotWidth = panelWidth - PANEL_MARGIN.left - PANEL_MARGIN.right;
  const equalHeight = plotWidth * (yr[1] - yr[0]) / (xr[1] - xr[0]) +
    PANEL_MARGIN.top + PANEL_MARGIN.bottom;
  const panelHeight = optionalSize(
    o.panelHeight,
    Math.min(2000, Math.max(80, Math.round(equalHeight))),
    FN,
    "options.panelHeight",
  );
  const plotHeight = panelHeight - PANEL_MARGIN.top - PANEL_MARGIN.bottom;
  const ny = Math.max(
    4,
    Math.min(1000, Math.round(nx * plotHeight / plotWidth)),
  );
  const values = sample(f, xr, yr, nx, ny);
  if (levels === undefined) {
    let lo = Infinity, hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    levels = linearAxis(lo, hi, 6).ticks.filter((t) => t > lo && t < hi);
  }
  const contours = levels.map((level) =>
    marchingSquares(values, nx, ny, level)
  );

  const xAxis = linearAxis(
    xr[0],
    xr[1],
    Math.max(2, Math.round(plotWidth / 60)),
    false,
  );
  const yAxis = linearAxis(
    yr[0],
    yr[1],
    Math.max(2, Math.round(plotHeight / 40)),
    false,
  );
  const pathColor = colorOf(2);
  const contourColor = "#7f9fc6";
  const legend: LegendItem[] = [
    { label: "path (a dot per point)", color: pathColor, kind: "line-point" },
    { label: "start", color: pathColor, kind: "ring" },
  ];
  if (mark) legend.push({ label: markLabel, color: "#000", kind: "plus" });
  if (levels.length > 0) {
    legend.push({
      label: `contour lines of ${functionLabel} = ${
        levels.map((v) => String(Number(v.toPrecision(6)))).join(", ")
      }`,
      color: contourColor,
      kind: "thin",
    });
  }
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
      const path = list[i];
      const { frame, grid, decoration } = panelAxes(
        x0,
        y0,
        panelWidth,
        panelHeight,
        xAxis,
        yAxis,
        path.name,
      );
      // Grid coordinates (i along x, j along y) to pixels.
      const gx = (u: number) => frame.xs(xr[0] + (xr[1] - xr[0]) * u / nx);
      const gy = (v: number) => frame.ys(yr[0] + (yr[1] - yr[0]) * v / ny);
      const id = `contour-clip-${i}`;
      const body: string[] = [
        `<clipPath id="${id}"><rect x="${num(frame.left)}" y="${
          num(frame.top)
        }" width="${num(frame.right - frame.left)}" height="${
          num(frame.bottom - frame.top)
        }"/></clipPath>`,
        ...grid,
        `<g clip-path="url(#${id})">`,
      ];
      for (const segments of contours) {
        const d = segments.map((s) =>
          `M${num(gx(s[0]))},${num(gy(s[1]))}L${num(gx(s[2]))},${num(gy(s[3]))}`
        ).join("");
        body.push(
          `<path class="contour" d="${d}" fill="none" stroke="${contourColor}" stroke-width="1" stroke-linecap="round"/>`,
        );
      }
      if (mark) {
        const mx = frame.xs(mark[0]), my = frame.ys(mark[1]);
        body.push(
          `<path d="M${num(mx - 6)},${num(my)}H${num(mx + 6)}M${num(mx)},${
            num(my - 6)
          }V${num(my + 6)}" stroke="#000" stroke-width="2"/>`,
        );
      }
      const pixels = path.points.map((p) => [frame.xs(p[0]), frame.ys(p[1])]);
      body.push(
        `<polyline points="${
          pixels.map(([x, y]) => `${num(x)},${num(y)}`).join(" ")
        }" fill="none" stroke="${pathColor}" stroke-width="1.5" stroke-linejoin="round"/>`,
        ...pixels.slice(1).map(([x, y]) =>
          `<circle cx="${num(x)}" cy="${num(y)}" r="2.5" fill="${pathColor}"/>`
        ),
        `<circle cx="${num(pixels[0][0])}" cy="${
          num(pixels[0][1])
        }" r="5" fill="#fff" stroke="${pathColor}" stroke-width="2"/>`,
        `</g>`,
      );
      return [...body, ...decoration];
    },
  });
}
