import assert from "node:assert/strict";
import fc from "fast-check";
import { assertRefuses } from "./_helpers.ts";
import { decisionBoundary } from "../lib/viz/decision_boundary.ts";
import { lineChart } from "../lib/viz/line_chart.ts";
import { asciiChart, sparkline } from "../lib/viz/text_chart.ts";
import { type Matrix, matrix, toArray } from "../lib/core/matrix.ts";

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

function attr(tag: string, name: string): number {
  const m = new RegExp(` ${name}="([^"]*)"`).exec(tag);
  assert.ok(m, `no ${name} in ${tag}`);
  return Number(m[1]);
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
        const svg = lineChart(values, { width: 640, height: 360 });
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
        const svg = lineChart(values, { zeroBased: false });
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
  assert.equal(yTicks(lineChart(values))[0].value, 0);
  assert.ok(yTicks(lineChart(values, { zeroBased: false }))[0].value >= 2);
});

Deno.test("lineChart() draws a history: one line per numeric field, a legend", () => {
  const history = [
    { epoch: 1, loss: 1.2, accuracy: 0.4 },
    { epoch: 2, loss: 0.7, accuracy: 0.8 },
    { epoch: 3, loss: 0.3, accuracy: 0.95 },
  ];
  const svg = lineChart(history, { title: "Training" });
  assertWellFormed(svg);
  assert.equal(polylines(svg).length, 2);
  assert.match(svg, />loss</);
  assert.match(svg, />accuracy</);
  assert.match(svg, />epoch</);
  assert.match(svg, />Training</);
  const only = lineChart(history, { keys: ["loss"] });
  assert.equal(polylines(only).length, 1);
  assert.doesNotMatch(only, />accuracy</);
});

Deno.test("lineChart() takes named series with their own x", () => {
  const svg = lineChart([
    { name: "train", values: [3, 2, 1], x: [10, 20, 30] },
    { name: "test", values: [3.5, 2.5, 2], x: [10, 20, 30] },
  ], { xLabel: "step", yLabel: "loss" });
  assertWellFormed(svg);
  const [a, b] = polylines(svg);
  assert.deepEqual(a.map(([x]) => x), b.map(([x]) => x));
  assert.match(svg, />train</);
  assert.match(svg, />test</);
  assert.match(svg, />30</);
});

Deno.test("lineChart() escapes text and keeps one point as a dot", () => {
  const svg = lineChart([2], { title: `<b> & "c"`, yLabel: "a<b" });
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

/** Fill colours of the region rectangles, with their total width per row. */
function regionRects(svg: string): string[] {
  const group = /<g fill-opacity[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  assert.ok(group);
  return [...group[1].matchAll(/<rect [^>]*>/g)].map((m) => m[0]);
}

Deno.test("decisionBoundary() classifies every grid cell once, in one call", () => {
  const calls: Matrix[] = [];
  const svg = decisionBoundary(
    (points) => {
      calls.push(points);
      return toArray(points)[0].map((x1) => (x1 > 0 ? 1 : 0));
    },
    twoPoints,
    { resolution: 20, xRange: [-2, 2], yRange: [-1, 1] },
  );
  assertWellFormed(svg);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].shape, [2, 400]);
  const [xs, ys] = toArray(calls[0]);
  // Cell centres, inside the ranges, on a regular grid.
  assert.equal(new Set(xs).size, 20);
  assert.equal(new Set(ys).size, 20);
  assert.ok(xs.every((v) => v > -2 && v < 2));
  assert.ok(ys.every((v) => v > -1 && v < 1));
  // Each grid row is two runs: class 0 on the left, class 1 on the right.
  const rects = regionRects(svg);
  assert.equal(rects.length, 40);
  for (let r = 0; r < 20; r++) {
    const [left, right] = rects.slice(2 * r, 2 * r + 2);
    assert.match(left, /fill="#4e79a7"/);
    assert.match(right, /fill="#f28e2b"/);
    assert.ok(
      Math.abs(attr(left, "x") + attr(left, "width") - attr(right, "x")) <
        0.02,
    );
  }
  assert.equal(svg.match(/<circle/g)?.length, 2);
});

Deno.test("decisionBoundary() reads scores: argmax per column, or a threshold", () => {
  const grid = { resolution: 4, xRange: [0, 1], yRange: [0, 1] } as const;
  // Three rows of scores where row 2 always wins.
  const k3 = decisionBoundary(
    (p) =>
      matrix([
        Array(p.cols).fill(0),
        Array(p.cols).fill(1),
        Array(p.cols).fill(2),
      ]),
    twoPoints,
    grid,
  );
  assert.ok(regionRects(k3).every((r) => r.includes('fill="#e15759"')));
  // One row of scores compared with the threshold.
  const one = (threshold: number) =>
    decisionBoundary((p) => matrix([Array(p.cols).fill(0.3)]), twoPoints, {
      ...grid,
      threshold,
    });
  assert.ok(regionRects(one(0.5)).every((r) => r.includes('fill="#4e79a7"')));
  assert.ok(regionRects(one(0)).every((r) => r.includes('fill="#f28e2b"')));
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
    decisionBoundary(predict, data, { title: "t" }),
    decisionBoundary(predict, data, { title: "t" }),
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
      /return 4 classes/,
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
    const svg = lineChart(values, { zeroBased });
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
  );
  assert.ok(seen.flat().every(Number.isFinite));
  // The grid spans the data: its first and last centres straddle the points.
  assert.ok(seen[0][0] < -1e308 / 2 && seen[0][3] > 1e308 / 2);
  assertWellFormed(svg);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  // Classes beyond 2^31 keep a colour of the palette.
  const big = decisionBoundary(
    (p) => Array(p.cols).fill(1e15 + 1),
    twoPoints,
    { resolution: 2 },
  );
  assert.doesNotMatch(big, /undefined/);
  assert.match(big, /fill="#f28e2b"/);
});
