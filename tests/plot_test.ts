import assert from "node:assert/strict";
import fc from "fast-check";
import { assertRefuses } from "./_helpers.ts";
import { decisionBoundary } from "../lib/viz/decision_boundary.ts";
import { lineChart } from "../lib/viz/line_chart.ts";
import { asciiChart, sparkline } from "../lib/viz/text_chart.ts";
import { type Matrix, matrix, toArray } from "../lib/core/matrix.ts";
import { Svg } from "../lib/viz/svg.ts";
import * as mod from "../mod.ts";

/** Checks that tags open and close in order (enough for the renderer's SVG). */
function assertWellFormed(svg: string): void {
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.endsWith("</svg>\n"));
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else stack.push(name);
  }
  assert.deepEqual(stack, []);
  // Text outside tags never holds a raw "<" or "&" that is not an entity.
  for (const m of svg.matchAll(/>([^<]*)</g)) {
    assert.doesNotMatch(m[1], /&(?!#\d+;)/);
  }
}

/** The polylines' points as [x, y] pairs, one array per line. */
function polylines(svg: string): [number, number][][] {
  return [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) =>
    m[1].split(" ").map((p) => p.split(",").map(Number) as [number, number])
  );
}

/** The y axis's tick labels (right-aligned texts) with their y position. */
function yTicks(svg: string): { value: number; y: number }[] {
  return [
    ...svg.matchAll(
      /<text x="[^"]*" y="([^"]*)" text-anchor="end"[^>]*>([^<]*)</g,
    ),
  ]
    .map((m) => ({ y: Number(m[1]), value: Number(m[2]) }));
}

const finite = (min = -1e6, max = 1e6) =>
  fc.double({ noNaN: true, noDefaultInfinity: true, min, max });

Deno.test("lineChart() draws one line whose pixels follow the values", () => {
  fc.assert(
    fc.property(
      fc.array(finite(), { minLength: 2, maxLength: 40 }),
      (values) => {
        const copy = values.slice();
        const svg = lineChart(values, { width: 640, height: 360 }).markup;
        assertWellFormed(svg);
        const [line] = polylines(svg);
        assert.equal(line.length, values.length);
        // x runs left to right from the plot's left edge to its right edge.
        assert.equal(line[0][0], 64);
        assert.equal(line[line.length - 1][0], 620);
        for (let i = 1; i < line.length; i++) {
          assert.ok(line[i][0] > line[i - 1][0]);
        }
        // A larger value is never drawn lower (smaller y is higher up).
        const lo = Math.min(...values), hi = Math.max(...values);
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            if (values[i] - values[j] > (hi - lo) * 1e-3) {
              assert.ok(line[i][1] < line[j][1] + 0.02);
            }
          }
        }
        assert.deepEqual(values, copy);
      },
    ),
  );
});

Deno.test("lineChart() ticks are round numbers that span the data", () => {
  fc.assert(
    fc.property(
      fc.array(finite(-1e4, 1e4), { minLength: 1, maxLength: 20 }),
      (values) => {
        const svg = lineChart(values, { zeroBased: false }).markup;
        const ticks = yTicks(svg);
        assert.ok(ticks.length >= 2, `ticks ${JSON.stringify(ticks)}`);
        const vs = ticks.map((t) => t.value);
        const lo = Math.min(...values), hi = Math.max(...values);
        const slack = (hi - lo) * 1e-9;
        assert.ok(vs[0] <= lo + slack);
        assert.ok(vs[vs.length - 1] >= hi - slack);
        // Evenly spaced by 1, 2 or 5 times a power of ten.
        const step = vs[1] - vs[0];
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        assert.ok(
          [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6),
          `step ${step}`,
        );
        for (let i = 1; i < vs.length; i++) {
          assert.ok(Math.abs(vs[i] - vs[i - 1] - step) <= 1e-9 * (1 + step));
          assert.ok(ticks[i].y < ticks[i - 1].y);
        }
        // Each value's pixel lies between the ticks around it.
        const [line] = polylines(svg);
        if (line) {
          values.forEach((v, i) => {
            const below = ticks.filter((t) => t.value <= v + slack).pop()!;
            const above = ticks.find((t) => t.value >= v - slack)!;
            assert.ok(line[i][1] <= below.y + 0.01);
            assert.ok(line[i][1] >= above.y - 0.01);
          });
        }
      },
    ),
  );
});

Deno.test("lineChart() starts a positive loss at 0 unless told not to", () => {
  const values = [5, 4, 3];
  assert.equal(yTicks(lineChart(values).markup)[0].value, 0);
  assert.ok(
    yTicks(lineChart(values, { zeroBased: false }).markup)[0].value >= 2,
  );
});

Deno.test("lineChart() draws a history: one line per numeric field, a legend", () => {
  const history = [
    { epoch: 1, loss: 1.2, accuracy: 0.4 },
    { epoch: 2, loss: 0.7, accuracy: 0.8 },
    { epoch: 3, loss: 0.3, accuracy: 0.95 },
  ];
  const svg = lineChart(history, { title: "Training" }).markup;
  assertWellFormed(svg);
  assert.equal(polylines(svg).length, 2);
  assert.match(svg, />loss</);
  assert.match(svg, />accuracy</);
  assert.match(svg, />epoch</);
  assert.match(svg, />Training</);
  const only = lineChart(history, { keys: ["loss"] }).markup;
  assert.equal(polylines(only).length, 1);
  assert.doesNotMatch(only, />accuracy</);
});

Deno.test("lineChart() keeps its legend off the lines: inside where there is room, else above", () => {
  /** The legend's entries: the text right of each mark, with its y. */
  const legendY = (svg: string, name: string) => {
    const m = new RegExp(`<text x="[^"]*" y="([^"]*)" dy="0.32em">${name}<`)
      .exec(svg);
    assert.ok(m, `no legend entry ${name}`);
    return Number(m[1]);
  };
  const plotTop = (svg: string) =>
    Number(/<path d="M[\d.]+,([\d.]+)V/.exec(svg)?.[1]);
  // Two falling lines leave the top right corner free: the box goes there.
  const roomy = lineChart([
    { name: "train", values: [3, 2, 1] },
    { name: "test", values: [3.5, 2.5, 2] },
  ]).markup;
  assert.match(roomy, /fill-opacity="0\.85" stroke="#ccc"/);
  assert.ok(legendY(roomy, "train") > plotTop(roomy));
  // A zigzag over the whole plot, and single values drawn as dots: the
  // legend goes in rows above the plot, a dot for each one-value series.
  const zigzag = Array.from({ length: 60 }, (_, i) => (i % 2) * 10);
  const busy = lineChart([
    { name: "zigzag", values: zigzag },
    { name: "start", values: [5], x: [1] },
    { name: "end", values: [5], x: [60] },
  ], { title: "Busy" }).markup;
  assertWellFormed(busy);
  assert.doesNotMatch(busy, /stroke="#ccc"/);
  for (const name of ["zigzag", "start", "end"]) {
    assert.ok(legendY(busy, name) < plotTop(busy), name);
  }
  // The title, then the legend, then the plot.
  assert.ok(
    Number(/<text x="[^"]*" y="([^"]*)"[^>]*>Busy</.exec(busy)?.[1]) <
      legendY(busy, "zigzag"),
  );
  // Two dots in the plot and two in the legend; one line in the legend.
  assert.equal(busy.match(/<circle/g)?.length, 4);
  assert.equal(
    busy.match(
      /<line x1="[^"]*" y1="[^"]*" x2="[^"]*" y2="[^"]*" stroke="#4e79a7" stroke-width="2"/g,
    )?.length,
    1,
  );
});

Deno.test("lineChart() takes named series with their own x", () => {
  const svg = lineChart([
    { name: "train", values: [3, 2, 1], x: [10, 20, 30] },
    { name: "test", values: [3.5, 2.5, 2], x: [10, 20, 30] },
  ], { xLabel: "step", yLabel: "loss" }).markup;
  assertWellFormed(svg);
  const [a, b] = polylines(svg);
  assert.deepEqual(a.map(([x]) => x), b.map(([x]) => x));
  assert.match(svg, />train</);
  assert.match(svg, />test</);
  assert.match(svg, />30</);
});

Deno.test("lineChart() escapes text and keeps one point as a dot", () => {
  const svg = lineChart([2], { title: `<b> & "c"`, yLabel: "a<b" }).markup;
  assertWellFormed(svg);
  assert.ok(!svg.includes("<b>"));
  assert.match(svg, /&#60;b&#62; &#38; &#34;c&#34;/);
  assert.equal(svg.match(/<circle/g)?.length, 1);
});

Deno.test("lineChart() refuses bad data and options with named errors", () => {
  const cases: [() => unknown, ErrorConstructor, RegExp][] = [
    [() => lineChart([]), TypeError, /non-empty array/],
    [() => lineChart([1, NaN]), RangeError, /data\[1\] .*finite.*NaN/],
    [() => lineChart([1, Infinity]), RangeError, /data\[1\] .*Infinity/],
    [
      () => lineChart([{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: NaN }]),
      RangeError,
      /data\[1\]\.loss .*NaN/,
    ],
    [
      () => lineChart([{ name: "a", values: [1, "2"] }] as never),
      TypeError,
      /data\[0\]\.values\[1\] .*a number/,
    ],
    [() => lineChart([{ name: "a", values: [] }]), RangeError, /no values/],
    [
      () => lineChart([{ name: "a", values: [1, 2], x: [1] }]),
      RangeError,
      /2 values/,
    ],
    [() => lineChart([1, 2], { width: 10 }), RangeError, /options\.width/],
    [() => lineChart([1, 2], { keys: [] }), RangeError, /options\.keys/],
    [() => lineChart([{ epoch: 1, name: "x" }]), RangeError, /no numeric/],
    [() => lineChart([1, "2"] as never), TypeError, /only numbers/],
  ];
  for (const [call, type, pattern] of cases) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof type, `${error} is not a ${type.name}`);
      assert.match((error as Error).message, /lineChart\(data, options\)/);
      assert.match((error as Error).message, pattern);
      return true;
    });
  }
});

const twoPoints = { x: matrix([[-1, 1], [0, 0]]), labels: [0, 1] };

/** The polygons of a path's `d`: lists of [x, y] (M, L, H, V and Z). */
function polygons(d: string): [number, number][][] {
  const out: [number, number][][] = [];
  let x = 0, y = 0;
  for (const [, cmd, args] of d.matchAll(/([MLHVZ])([^MLHVZ]*)/g)) {
    const n = args.split(/[ ,]/).filter((t) => t !== "").map(Number);
    if (cmd === "M") out.push([]);
    if (cmd === "M" || cmd === "L") [x, y] = n;
    if (cmd === "H") x = n[0];
    if (cmd === "V") y = n[0];
    if (cmd !== "Z") out[out.length - 1].push([x, y]);
  }
  return out;
}

/** A polygon's area by the shoelace formula; positive when clockwise on screen. */
function area(poly: [number, number][]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % poly.length];
    a += x1 * y2 - x2 * y1;
  }
  return a / 2;
}

/** Each class's region (by fill colour) and the boundary lines' points. */
function regions(svg: string): {
  byColor: Map<string, [number, number][][]>;
  boundary: [number, number][];
} {
  const group = /<g fill-opacity="0\.3">([\s\S]*?)<\/g>/.exec(svg);
  assert.ok(group, "no group of regions");
  const byColor = new Map<string, [number, number][][]>();
  for (const m of group[1].matchAll(/<path fill="([^"]*)" d="([^"]*)"\/>/g)) {
    assert.ok(!byColor.has(m[1]), `two paths of ${m[1]}`);
    byColor.set(m[1], polygons(m[2]));
  }
  const line = /<path fill="none" stroke="#333"[^>]* d="([^"]*)"/.exec(svg);
  return {
    byColor,
    boundary: line ? polygons(line[1]).flat() : [],
  };
}

/** The plot area of a decisionBoundary picture: the frame's path. */
function plotArea(
  svg: string,
): { left: number; top: number; right: number; bottom: number } {
  const m = /<path d="M([\d.]+),([\d.]+)V([\d.]+)H([\d.]+)" fill="none"/.exec(
    svg,
  );
  assert.ok(m, "no frame");
  const [left, top, bottom, right] = m.slice(1).map(Number);
  return { left, top, right, bottom };
}

Deno.test("decisionBoundary() classifies every corner of its grid once, in one call", () => {
  const calls: Matrix[] = [];
  const svg = decisionBoundary(
    (points) => {
      calls.push(points);
      return toArray(points)[0].map((x1) => (x1 > 0 ? 1 : 0));
    },
    twoPoints,
    { resolution: 20, xRange: [-2, 2], yRange: [-1, 1] },
  ).markup;
  assertWellFormed(svg);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].shape, [2, 441]);
  const [xs, ys] = toArray(calls[0]);
  // The corners of 20 x 20 cells, from edge to edge of the ranges.
  assert.equal(new Set(xs).size, 21);
  assert.equal(new Set(ys).size, 21);
  assert.deepEqual([Math.min(...xs), Math.max(...xs)], [-2, 2]);
  assert.deepEqual([Math.min(...ys), Math.max(...ys)], [-1, 1]);
  // Class 0 left of the cut halfway between x = 0 and x = 0.2, class 1
  // right of it, and the boundary line on it.
  const { left, right } = plotArea(svg);
  const cut = left + (2.1 / 4) * (right - left);
  const { byColor, boundary } = regions(svg);
  const xsOf = (color: string) =>
    (byColor.get(color) ?? []).flat().map(([x]) => x);
  assert.ok(Math.abs(Math.max(...xsOf("#4e79a7")) - cut) < 0.01);
  assert.ok(Math.abs(Math.min(...xsOf("#f28e2b")) - cut) < 0.01);
  assert.ok(boundary.length > 0);
  assert.ok(boundary.every(([x]) => Math.abs(x - cut) < 0.01));
  assert.equal(svg.match(/<circle/g)?.length, 2 + 2); // the points, the legend
});

Deno.test("decisionBoundary() draws a straight boundary straight, not as steps", () => {
  // Class 1 above the line x₂ = 0.3·x₁ + 0.1: a score that is linear in the
  // inputs, so the interpolated boundary lies on the line exactly.
  const svg = decisionBoundary(
    (p) => {
      const [a, b] = toArray(p);
      return matrix([a.map((x1, j) => b[j] - 0.3 * x1 - 0.1)]);
    },
    twoPoints,
    { resolution: 15, xRange: [-1, 1], yRange: [-1, 1], threshold: 0 },
  ).markup;
  const { left, top, right, bottom } = plotArea(svg);
  const { boundary, byColor } = regions(svg);
  assert.ok(boundary.length >= 15);
  for (const [px, py] of boundary) {
    const x1 = -1 + 2 * (px - left) / (right - left);
    const x2 = 1 - 2 * (py - top) / (bottom - top);
    // Within the rounding of pixels to 0.01.
    assert.ok(Math.abs(x2 - (0.3 * x1 + 0.1)) < 1e-3, `${x1}, ${x2}`);
  }
  // Class 1's region has the area of the part of the square above the line.
  const plot = (right - left) * (bottom - top);
  const above = (byColor.get("#f28e2b") ?? []).reduce((s, p) => s + area(p), 0);
  assert.ok(Math.abs(above / plot - 0.45) < 1e-3, `${above / plot}`);
});

Deno.test("decisionBoundary() regions tile the plot: no gap, no overlap, every polygon clockwise", () => {
  // Three classes by argmax of scores, and classes returned as an array:
  // the regions' areas add up to the plot area.
  const scores = (p: Matrix) => {
    const [a, b] = toArray(p);
    return matrix([
      a.map((x1, j) => x1 + 0.2 * b[j]),
      a.map((x1) => -x1),
      b.map((x2) => 1.5 * x2 * x2 - 0.2),
    ]);
  };
  const rings = (p: Matrix) => {
    const [a, b] = toArray(p);
    return a.map((x1, j) => Math.floor(3 * Math.hypot(x1, b[j])) % 4);
  };
  for (const predict of [scores, rings]) {
    const svg = decisionBoundary(predict, twoPoints, {
      resolution: 23,
      xRange: [-1, 1],
      yRange: [-1, 1],
    }).markup;
    assertWellFormed(svg);
    const { left, top, right, bottom } = plotArea(svg);
    const { byColor } = regions(svg);
    assert.ok(byColor.size >= 3);
    let total = 0;
    for (const polys of byColor.values()) {
      for (const poly of polys) {
        const a = area(poly);
        assert.ok(a > -1e-3, `a polygon runs anticlockwise: ${a}`);
        total += a;
        for (const [x, y] of poly) {
          assert.ok(x >= left - 1e-9 && x <= right + 1e-9);
          assert.ok(y >= top - 1e-9 && y <= bottom + 1e-9);
        }
      }
    }
    const plot = (right - left) * (bottom - top);
    assert.ok(Math.abs(total / plot - 1) < 1e-3, `${total / plot}`);
  }
});

Deno.test("decisionBoundary() reads scores: argmax per column, or a threshold", () => {
  const grid = { resolution: 4, xRange: [0, 1], yRange: [0, 1] } as const;
  // Three rows of scores where row 2 always wins: one region, no boundary.
  const k3 = decisionBoundary(
    (p) =>
      matrix([
        Array(p.cols).fill(0),
        Array(p.cols).fill(1),
        Array(p.cols).fill(2),
      ]),
    twoPoints,
    grid,
  ).markup;
  assert.deepEqual([...regions(k3).byColor.keys()], ["#e15759"]);
  assert.deepEqual(regions(k3).boundary, []);
  // One row of scores compared with the threshold.
  const one = (threshold: number) =>
    decisionBoundary((p) => matrix([Array(p.cols).fill(0.3)]), twoPoints, {
      ...grid,
      threshold,
    }).markup;
  assert.deepEqual([...regions(one(0.5)).byColor.keys()], ["#4e79a7"]);
  assert.deepEqual([...regions(one(0)).byColor.keys()], ["#f28e2b"]);
});

Deno.test("decisionBoundary() names the classes in a legend", () => {
  const predict = (p: Matrix) => toArray(p)[0].map((x1) => (x1 > 0 ? 2 : 0));
  const named = decisionBoundary(predict, twoPoints, {
    resolution: 4,
    classNames: ["setosa", "versicolor", "virginica <3"],
  }).markup;
  // Classes 0 and 2 are predicted and class 1 is a label: all three named.
  assert.match(named, />setosa</);
  assert.match(named, />versicolor</);
  assert.match(named, />virginica &#60;3</);
  assert.match(
    named,
    />shaded: predicted class; dots: the data, by true class</,
  );
  const plain = decisionBoundary(predict, twoPoints, { resolution: 4 }).markup;
  for (const name of ["class 0", "class 1", "class 2"]) {
    assert.ok(plain.includes(`>${name}<`), name);
  }
  assertRefuses(
    () => decisionBoundary(predict, twoPoints, { classNames: "ab" as never }),
    TypeError,
    "decisionBoundary",
    /options\.classNames .*an array of names/,
  );
  assertRefuses(
    () =>
      decisionBoundary(predict, twoPoints, { classNames: ["a", 1 as never] }),
    TypeError,
    "decisionBoundary",
    /options\.classNames\[1\]/,
  );
});

Deno.test("decisionBoundary() gives the same picture for the same input", () => {
  const data = {
    x: matrix([[0, 1, 2, 3], [1, 0, 1, 0]]),
    labels: [0, 1, 0, 1],
  };
  const predict = (p: Matrix) => {
    const [a, b] = toArray(p);
    return a.map((v, j) => (v + b[j] > 2 ? 1 : 0));
  };
  assert.equal(
    decisionBoundary(predict, data, { title: "t" }).markup,
    decisionBoundary(predict, data, { title: "t" }).markup,
  );
});

Deno.test("decisionBoundary() refuses bad input with named errors", () => {
  const ok = () => [0, 0, 0, 0];
  const cases: [() => unknown, ErrorConstructor, RegExp][] = [
    [() => decisionBoundary(null as never, twoPoints), TypeError, /predict of/],
    [
      () => decisionBoundary(ok, { x: matrix([[1, 2]]), labels: [0, 1] }),
      RangeError,
      /2 x n/,
    ],
    [
      () => decisionBoundary(ok, { x: twoPoints.x, labels: [0] }),
      RangeError,
      /data\.labels/,
    ],
    [
      () => decisionBoundary(ok, { x: twoPoints.x, labels: [0, -1] }),
      RangeError,
      /integers from 0/,
    ],
    [
      () => decisionBoundary(() => [0], twoPoints, { resolution: 2 }),
      RangeError,
      /return 9 classes/,
    ],
    [
      () => decisionBoundary(() => "x" as never, twoPoints, { resolution: 2 }),
      TypeError,
      /Matrix of scores/,
    ],
    [
      () => decisionBoundary(() => matrix([[1]]), twoPoints, { resolution: 2 }),
      RangeError,
      /one column per point/,
    ],
    [
      () => decisionBoundary(ok, twoPoints, { resolution: 1 }),
      RangeError,
      /options\.resolution/,
    ],
    [
      () => decisionBoundary(ok, twoPoints, { xRange: [1, 0] }),
      RangeError,
      /options\.xRange/,
    ],
  ];
  for (const [call, type, pattern] of cases) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof type, `${error} is not a ${type.name}`);
      assert.match((error as Error).message, /decisionBoundary\(/);
      assert.match((error as Error).message, pattern);
      return true;
    });
  }
});

Deno.test("sparkline() maps the range onto eight levels, within the width", () => {
  fc.assert(
    fc.property(
      fc.array(finite(), { minLength: 1, maxLength: 200 }),
      fc.integer({ min: 1, max: 80 }),
      (values, width) => {
        const line = [...sparkline(values, { width })];
        assert.equal(line.length, Math.min(width, values.length));
        assert.ok(line.every((c) => "▁▂▃▄▅▆▇█".includes(c)));
        if (values.length <= width) {
          const lo = Math.min(...values), hi = Math.max(...values);
          values.forEach((v, i) => {
            if (v === lo) assert.equal(line[i], "▁");
            if (v === hi && hi > lo) assert.equal(line[i], "█");
          });
        }
      },
    ),
  );
  assert.equal(sparkline([3, 3, 3]), "▁▁▁");
  assert.throws(() => sparkline([1, NaN]), RangeError);
  assert.throws(() => sparkline([]), TypeError);
  assert.throws(() => sparkline([1], { width: 0 }), RangeError);
});

Deno.test("asciiChart() puts one mark per column, at the value's height", () => {
  fc.assert(
    fc.property(
      fc.array(finite(), { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 2, max: 12 }),
      (values, height) => {
        const lines = asciiChart(values, { height, width: 60 }).split("\n");
        assert.equal(lines.length, height + 2);
        const start = lines[0].indexOf("┤") + 1;
        const rows = lines.slice(0, height).map((l) => [...l.slice(start)]);
        const lo = Math.min(...values), hi = Math.max(...values);
        values.forEach((v, c) => {
          const marks = rows.map((r) => r[c]).filter((ch) => ch === "•");
          assert.equal(marks.length, 1);
          const row = rows.findIndex((r) => r[c] === "•");
          if (v === hi && hi > lo) assert.equal(row, 0);
          if (v === lo) assert.equal(row, height - 1);
        });
        assert.ok(lines[height + 1].trimEnd().endsWith(String(values.length)));
      },
    ),
  );
  assert.throws(() => asciiChart([1, 2], { height: 1 }), RangeError);
  assert.throws(() => asciiChart([1, Infinity]), RangeError);
});

Deno.test("text charts of long series keep the true first and last values", () => {
  const values = Array.from({ length: 300 }, (_, i) => 3 * 0.98 ** i);
  const lines = asciiChart(values, { width: 50, height: 5 }).split("\n");
  assert.equal(Number(lines[0].split("┤")[0]), 3);
  assert.equal(
    Number(lines[4].split("┤")[0]),
    Number(values[299].toPrecision(3)),
  );
  assert.equal(lines[5].trim(), `└${"─".repeat(50)}`);
  const spark = [...sparkline(values, { width: 10 })];
  assert.equal(spark[0], "█");
  assert.equal(spark[9], "▁");
});

// ---------------------------------------------------------------------------
// Regressions found by tests/fuzz_test.ts.

Deno.test("text charts refuse bad values and options with named errors", () => {
  assertRefuses(
    () => sparkline([1, "2"] as never),
    TypeError,
    "sparkline",
    /values\[1\] .*a number, got the string "2"/,
  );
  assertRefuses(
    () => sparkline([1, 2], 5 as never),
    TypeError,
    "sparkline",
    /options of sparkline\(values, options\) to be an object/,
  );
  assertRefuses(
    () => asciiChart([1, 2], { hieght: 4 } as never),
    TypeError,
    "asciiChart",
    /Unknown option "hieght"/,
  );
  assertRefuses(
    () => asciiChart([1, 2], { digits: 1.5 }),
    RangeError,
    "asciiChart",
    /options\.digits .*integer from 1 to 10/,
  );
});

Deno.test("regression: text charts of values near ±1e308 do not overflow", () => {
  assert.equal(sparkline([1e308, -1e308, 0]), "█▁▅");
  const lines = asciiChart([1e308, -1e308, 0], { height: 3 }).split("\n");
  const start = lines[0].indexOf("┤") + 1;
  const rows = lines.slice(0, 3).map((l) => l.slice(start));
  assert.deepEqual(rows.map((r) => r.trimEnd()), ["•", "  •", " •"]);
});

Deno.test("regression: lineChart refuses mixed entries and bad options with a clear TypeError", () => {
  assertRefuses(
    () => lineChart([[1, 2], [3]] as never),
    TypeError,
    "lineChart",
    /an array of length 2 at 0/,
  );
  assertRefuses(
    () => lineChart([1, 2], { keys: ["loss", 3] } as never),
    TypeError,
    "lineChart",
    /options\.keys\[1\] .*a string, got 3/,
  );
  assertRefuses(
    () => lineChart([1, 2], { zeroBased: "no" } as never),
    TypeError,
    "lineChart",
    /options\.zeroBased/,
  );
  assertRefuses(
    () => lineChart([1, 2], { colour: "red" } as never),
    TypeError,
    "lineChart",
    /Unknown option "colour"/,
  );
});

Deno.test("regression: lineChart of values near ±1.8e308 draws finite coordinates", () => {
  for (
    const [values, zeroBased] of [
      [[1e308, -1e308, 0], true],
      [[1.7e308, 1.7e308], false],
      [[-1.7e308], false],
    ] as const
  ) {
    const svg = lineChart(values, { zeroBased }).markup;
    assertWellFormed(svg);
    assert.doesNotMatch(svg, /NaN|Infinity/, JSON.stringify(values));
  }
});

Deno.test("regression: decisionBoundary checks labels and options with named errors", () => {
  const ok = () => [0, 0, 0, 0];
  assertRefuses(
    () => decisionBoundary(ok, { x: twoPoints.x, labels: [0, 0.5] }),
    RangeError,
    "decisionBoundary",
    /integers from 0, got 0\.5 at 1/,
  );
  assertRefuses(
    () => decisionBoundary(ok, { x: twoPoints.x, labels: "01" as never }),
    TypeError,
    "decisionBoundary",
    /data\.labels/,
  );
  assertRefuses(
    () => decisionBoundary(ok, twoPoints, { resolution: 2, grid: 1 } as never),
    TypeError,
    "decisionBoundary",
    /Unknown option "grid"/,
  );
  assertRefuses(
    () => decisionBoundary(ok, twoPoints, { threshold: NaN }),
    RangeError,
    "decisionBoundary",
    /options\.threshold/,
  );
  assertRefuses(
    () => decisionBoundary(ok, twoPoints, { resolution: 2.5 }),
    RangeError,
    "decisionBoundary",
    /options\.resolution .*integer from 2 to 1000/,
  );
});

Deno.test("regression: decisionBoundary of points near ±1e308 classifies finite points", () => {
  const data = { x: matrix([[-1e308, 1e308], [1e308, 1e308]]), labels: [0, 1] };
  let seen: number[][] = [];
  const svg = decisionBoundary(
    (p) => {
      seen = toArray(p);
      return seen[0].map((v) => (v > 0 ? 1 : 0));
    },
    data,
    { resolution: 4 },
  ).markup;
  assert.ok(seen.flat().every(Number.isFinite));
  // The grid spans the data: its first and last corners straddle the points.
  assert.ok(seen[0][0] < -1e308 && seen[0][4] > 1e308);
  assertWellFormed(svg);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  // Classes beyond 2^31 keep a colour of the palette.
  const big = decisionBoundary(
    (p) => Array(p.cols).fill(1e15 + 1),
    twoPoints,
    { resolution: 2 },
  ).markup;
  assert.doesNotMatch(big, /undefined/);
  assert.match(big, /fill="#f28e2b"/);
});

// ---------------------------------------------------------------------------
// Svg: what every chart returns.

/** The bundle a Jupyter kernel gets from a value's Jupyter.display hook. */
function jupyterBundle(value: unknown): unknown {
  const hook = (value as Record<symbol, () => unknown>)[
    Symbol.for("Jupyter.display")
  ];
  assert.equal(typeof hook, "function");
  return hook.call(value);
}

Deno.test("Svg: its markup wherever text is wanted, a picture in Jupyter", () => {
  const svg = lineChart([3, 2, 1], { title: "Loss" });
  assert.ok(svg instanceof Svg);
  assert.ok(Object.isFrozen(svg));
  const text = svg.markup;
  assertWellFormed(text);
  assert.equal(String(svg), text);
  assert.equal(`${svg}`, text);
  assert.equal("" + svg, text);
  assert.equal(svg.toString(), text);
  assert.equal(JSON.stringify(svg), JSON.stringify(text));
  assert.deepEqual(JSON.parse(JSON.stringify({ chart: svg })), { chart: text });
  // console.log prints what it printed when charts were strings.
  assert.equal(Deno.inspect(svg), text);
  assert.equal(Deno.inspect(svg, { colors: true }), text);
  assert.deepEqual(jupyterBundle(svg), { "image/svg+xml": text });
  assert.throws(() => {
    (svg as { markup: string }).markup = "";
  }, TypeError);
  // Your own SVG displays the same way.
  const own = new Svg("<svg/>");
  assert.deepEqual(jupyterBundle(own), { "image/svg+xml": "<svg/>" });
  for (const bad of [undefined, 1, null, { markup: "<svg/>" }, svg]) {
    assertRefuses(
      () => new Svg(bad as never),
      TypeError,
      "Svg",
      /markup of new Svg\(markup\) to be the SVG document as a string/,
    );
  }
});

Deno.test("Svg: every chart of mod.ts returns one", () => {
  const x = mod.matrix([[5], [2], [7]]);
  const graph = mod.computationGraph(
    (p: { w: Matrix }) => mod.sum(mod.dot(p.w, x), { keepdims: true }),
    { w: mod.matrix([[1, 2, 3]]) },
  );
  const charts: [string, unknown][] = [
    ["lineChart", mod.lineChart([1, 2])],
    [
      "decisionBoundary",
      mod.decisionBoundary((p) => Array(p.cols).fill(0), twoPoints, {
        resolution: 2,
      }),
    ],
    ["graphSvg", mod.graphSvg(graph)],
    ["imageGrid", mod.imageGrid(mod.matrix([[0], [1], [1], [0]]))],
    [
      "confusionHeatmap",
      mod.confusionHeatmap(
        mod.confusionMatrix(mod.matrix([[1, 0]]), mod.matrix([[1, 0]])),
      ),
    ],
    [
      "contourPaths",
      mod.contourPaths((a, b) => a * a + b * b, [{
        name: "p",
        points: [[1, 1], [0, 0]],
      }]),
    ],
    ["histogramGrid", mod.histogramGrid([{ label: "", cells: [[0.5]] }])],
    ["scatterPlot", mod.scatterPlot([{ x: 1, y: 1 }])],
    [
      "lineChartGrid",
      mod.lineChartGrid([{ title: "", series: [{ name: "", values: [1] }] }]),
    ],
  ];
  for (const [name, chart] of charts) {
    assert.ok(chart instanceof mod.Svg, name);
    assertWellFormed(String(chart));
    assert.deepEqual(jupyterBundle(chart), { "image/svg+xml": String(chart) });
  }
});
