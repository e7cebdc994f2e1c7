import assert from "node:assert/strict";
import fc from "fast-check";
import { assertRefuses } from "./_helpers.ts";
import {
  fromSamples,
  moons,
  oneHot,
  spiral,
  trainTestSplit,
  xor,
} from "../lib/data/datasets.ts";
import { toArray } from "../lib/core/matrix.ts";

function close(a: number, b: number, atol = 1e-12, rtol = 1e-12): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

function assertClose2d(actual: number[][], expected: number[][]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((row, i) => {
    assert.equal(row.length, expected[i].length);
    row.forEach((v, j) =>
      assert.ok(
        close(v, expected[i][j]),
        `entry (${i}, ${j}): ${v} vs ${expected[i][j]}`,
      )
    );
  });
}

function std(values: number[]): number {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(
    values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length,
  );
}

Deno.test("xor() gives the four corners with labels 0, 1, 1, 0", () => {
  const data = xor();
  assert.deepEqual(toArray(data.x), [[0, 0, 1, 1], [0, 1, 0, 1]]);
  assert.deepEqual(data.labels, [0, 1, 1, 0]);
  assert.deepEqual(toArray(data.oneHot), [[1, 0, 0, 1], [0, 1, 1, 0]]);
  assert.equal(data.classes, 2);
});

Deno.test("spiral() without noise matches CS231n's numpy code", () => {
  // numpy: r = linspace(0, 1, N); t = linspace(4j, 4(j+1), N);
  // X[j*N:(j+1)*N] = c_[r*sin(t), r*cos(t)], with N = 4, K = 3, transposed.
  const golden = [
    [
      0.0,
      0.32397930045443757,
      0.30484841775720795,
      -0.7568024953079282,
      -0.0,
      -0.2711097971891933,
      0.24943415371414607,
      0.9893582466233818,
      0.0,
      0.030439078518249764,
      -0.6309305045587386,
      -0.5365729180004349,
    ],
    [
      0.0,
      0.0784125244343298,
      -0.5928843788086942,
      -0.6536436208636119,
      -0.0,
      0.19393449661972353,
      0.6182451353673171,
      -0.14550003380861354,
      -0.0,
      -0.3319406175960859,
      -0.21533959891691992,
      0.8438539587324921,
    ],
  ];
  const data = spiral(1, { pointsPerClass: 4, classes: 3, noise: 0 });
  assertClose2d(toArray(data.x), golden);
  assert.deepEqual(data.labels, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.deepEqual(data.oneHot.shape, [3, 12]);
});

Deno.test("spiral() noise moves only the angle, with the asked spread", () => {
  const per = 2000;
  const data = spiral(5, { pointsPerClass: per, classes: 2, noise: 0.2 });
  const [xs, ys] = toArray(data.x);
  const residuals: number[] = [];
  for (let s = 0; s < xs.length; s++) {
    const i = s % per;
    const j = Math.floor(s / per);
    const r = i / (per - 1);
    assert.ok(close(Math.hypot(xs[s], ys[s]), r, 1e-12, 1e-12));
    if (r < 0.05) continue; // the angle of a point near 0 is ill-defined
    const t = 4 * j + 4 * i / (per - 1);
    // atan2(x, y) is the angle of (r sin a, r cos a), up to whole turns.
    let d = Math.atan2(xs[s], ys[s]) - t;
    d -= 2 * Math.PI * Math.round(d / (2 * Math.PI));
    residuals.push(d);
  }
  const spread = std(residuals);
  assert.ok(spread > 0.18 && spread < 0.22, `spread ${spread}`);
});

Deno.test("moons() without noise matches make_moons' formula", () => {
  // numpy: outer (cos, sin) of linspace(0, π, 4), inner (1 − cos,
  // 1 − sin − 0.5) of linspace(0, π, 3).
  const golden = [
    [1.0, 0.5000000000000001, -0.4999999999999998, -1.0, 0.0, 1, 2.0],
    [
      0.0,
      0.8660254037844386,
      0.8660254037844387,
      1.2246467991473532e-16,
      0.5,
      -0.5,
      0.4999999999999999,
    ],
  ];
  const data = moons(3, { samples: 7, noise: 0 });
  assertClose2d(toArray(data.x), golden);
  assert.deepEqual(data.labels, [0, 0, 0, 0, 1, 1, 1]);
});

Deno.test("moons() adds normal noise of the asked spread to each coordinate", () => {
  const clean = toArray(moons(9, { samples: 4000, noise: 0 }).x);
  const noisy = toArray(moons(9, { samples: 4000, noise: 0.1 }).x);
  for (const axis of [0, 1]) {
    const d = noisy[axis].map((v, j) => v - clean[axis][j]);
    const spread = std(d);
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    assert.ok(spread > 0.095 && spread < 0.105, `spread ${spread}`);
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  }
});

Deno.test("the same seed gives the same data, another seed other data", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e9 }), (seed) => {
      assert.deepEqual(toArray(spiral(seed).x), toArray(spiral(seed).x));
      assert.deepEqual(toArray(moons(seed).x), toArray(moons(seed).x));
      assert.notDeepEqual(
        toArray(spiral(seed).x),
        toArray(spiral(seed + 1).x),
      );
      assert.notDeepEqual(toArray(moons(seed).x), toArray(moons(seed + 1).x));
    }),
    { numRuns: 20 },
  );
});

Deno.test("oneHot() has a single 1 per column, in the label's row", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }).chain((k) =>
        fc.tuple(
          fc.constant(k),
          fc.array(fc.integer({ min: 0, max: k - 1 }), {
            minLength: 1,
            maxLength: 30,
          }),
        )
      ),
      ([k, labels]) => {
        const copy = labels.slice();
        const m = toArray(oneHot(labels, k));
        assert.equal(m.length, k);
        labels.forEach((c, j) => {
          for (let i = 0; i < k; i++) assert.equal(m[i][j], i === c ? 1 : 0);
        });
        assert.deepEqual(labels, copy);
      },
    ),
  );
});

Deno.test("fromSamples() turns rows into columns and keeps its inputs", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }).chain((f) =>
        fc.array(
          fc.tuple(
            fc.array(
              fc.double({
                noNaN: true,
                noDefaultInfinity: true,
                min: -1e6,
                max: 1e6,
              }),
              { minLength: f, maxLength: f },
            ),
            fc.integer({ min: 0, max: 3 }),
          ),
          { minLength: 1, maxLength: 20 },
        )
      ),
      (rows) => {
        const samples = rows.map(([s]) => s);
        const labels = rows.map(([, c]) => c);
        const before = JSON.stringify(samples);
        const data = fromSamples(samples, labels);
        const x = toArray(data.x);
        samples.forEach((s, j) =>
          s.forEach((v, i) => assert.ok(Object.is(x[i][j], v)))
        );
        assert.deepEqual(data.labels, labels);
        assert.equal(data.classes, Math.max(...labels) + 1);
        assert.equal(JSON.stringify(samples), before);
      },
    ),
  );
});

Deno.test("trainTestSplit() partitions every class in the asked share", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 80 }),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      fc.integer({ min: 0, max: 1e6 }),
      (labels, fraction, seed) => {
        // Each sample's only feature is its index, to follow it.
        const data = fromSamples(labels.map((_, i) => [i]), labels);
        const counts = new Map<number, number>();
        for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
        let split;
        try {
          split = trainTestSplit(data, seed, { testFraction: fraction });
        } catch (error) {
          // Only refused when one side would be empty.
          assert.ok(error instanceof RangeError);
          assert.match(error.message, /would be empty/);
          return;
        }
        const { train, test } = split;
        const ids = [...toArray(train.x)[0], ...toArray(test.x)[0]];
        assert.deepEqual(
          ids.slice().sort((a, b) => a - b),
          labels.map((_, i) => i),
        );
        for (const part of [train, test]) {
          toArray(part.x)[0].forEach((id, j) =>
            assert.equal(part.labels[j], labels[id])
          );
          assert.equal(part.classes, data.classes);
        }
        for (const [c, k] of counts) {
          const inTest = test.labels.filter((v) => v === c).length;
          const expected = k < 2
            ? 0
            : Math.min(k - 1, Math.max(1, Math.round(k * fraction)));
          assert.equal(inTest, expected, `class ${c} of ${k}`);
        }
      },
    ),
  );
});

Deno.test("trainTestSplit() is seeded: same seed same split, else another", () => {
  const data = spiral(0);
  const a = trainTestSplit(data, 11);
  const b = trainTestSplit(data, 11);
  const c = trainTestSplit(data, 12);
  assert.deepEqual(toArray(a.test.x), toArray(b.test.x));
  assert.deepEqual(a.train.labels, b.train.labels);
  assert.notDeepEqual(toArray(a.test.x), toArray(c.test.x));
});

Deno.test("bad arguments get TypeError or RangeError naming the function", () => {
  const cases: [() => unknown, ErrorConstructor, RegExp][] = [
    [() => spiral("1" as unknown as number), TypeError, /seed of spiral/],
    [() => spiral(1.5), RangeError, /seed of spiral/],
    [() => spiral(1, { classes: 1 }), RangeError, /options\.classes/],
    [() => spiral(1, { pointsPerClass: 1 }), RangeError, /pointsPerClass/],
    [() => spiral(1, { noise: -1 }), RangeError, /options\.noise/],
    [() => spiral(1, null as unknown as object), TypeError, /options of/],
    [() => moons(1, { samples: 1 }), RangeError, /options\.samples/],
    [() => moons(1, { noise: NaN }), RangeError, /options\.noise/],
    [() => oneHot([0, 3], 3), RangeError, /0 to 2, got 3 at 1/],
    [() => oneHot([], 3), TypeError, /labels of oneHot/],
    [
      () => oneHot([0, "1"] as never, 3),
      TypeError,
      /class numbers, got the string "1" at 1/,
    ],
    [() => oneHot([0], 1.5), RangeError, /classes of oneHot/],
    [() => fromSamples([[1], [2, 3]], [0, 1]), RangeError, /sample 1 has 2/],
    [() => fromSamples([[1], [2]], [0]), RangeError, /2 samples with 1/],
    [() => fromSamples([[1], [NaN]], [0, 1]), RangeError, /sample 1 is NaN/],
    [
      () => trainTestSplit(xor(), 1, { testFraction: 1 }),
      RangeError,
      /testFraction/,
    ],
    [
      () => trainTestSplit({} as never, 1),
      TypeError,
      /data\.x of trainTestSplit/,
    ],
    [
      () => trainTestSplit(xor().x as never, 1),
      TypeError,
      /data of trainTestSplit.* got a 2x4 Matrix/,
    ],
    [
      () => trainTestSplit({ ...xor(), labels: [0, 1] }, 1),
      RangeError,
      /2 labels .* one label per column/,
    ],
    [() => trainTestSplit(xor(), 0.5), RangeError, /seed of trainTestSplit/],
  ];
  for (const [call, type, pattern] of cases) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof type, `${error} is not a ${type.name}`);
      assert.match((error as Error).message, pattern);
      return true;
    });
  }
});

// ---------------------------------------------------------------------------
// Regressions found by tests/fuzz_test.ts.

Deno.test("regression: data sets too large to allocate are refused, large ones built", () => {
  assertRefuses(
    () => oneHot(new Array(10000).fill(0), 10000),
    RangeError,
    "oneHot",
    /10000x10000 one-hot matrix .* more than 67108864 entries/,
  );
  assertRefuses(
    () => fromSamples([new Array(2 ** 32 - 1)], [0]),
    RangeError,
    "fromSamples",
    /4294967295x1 data set .* more than 67108864 entries/,
  );
  assertRefuses(
    () => fromSamples([[1]], [10000]),
    RangeError,
    "fromSamples",
    /integers from 0 to 9999, got 10000 at 0/,
  );
  assertRefuses(
    () => spiral(1, { pointsPerClass: 1e6 }),
    RangeError,
    "spiral",
    /options\.pointsPerClass .* from 2 to 100000/,
  );
  // More labels than a function call takes arguments (Math.max(...labels)
  // overflowed the stack).
  const n = 200000;
  const data = fromSamples(
    Array.from({ length: n }, (_, i) => [i]),
    Array.from({ length: n }, (_, i) => i % 3),
  );
  assert.equal(data.classes, 3);
  assert.deepEqual(data.oneHot.shape, [3, n]);
});

Deno.test("regression: noise so large that the points would overflow is refused", () => {
  for (const noise of [1e308, 1e7]) {
    assertRefuses(
      () => moons(1, { noise }),
      RangeError,
      "moons",
      /options\.noise .* from 0 to 1000000/,
    );
    assertRefuses(
      () => spiral(1, { noise }),
      RangeError,
      "spiral",
      /options\.noise/,
    );
  }
  const loud = moons(1, { samples: 50, noise: 1e6 });
  assert.ok(toArray(loud.x).flat().every(Number.isFinite));
});

Deno.test("regression: options must be objects of known options", () => {
  assertRefuses(
    () => spiral(1, { points: 5 } as never),
    TypeError,
    "spiral",
    /Unknown option "points"/,
  );
  assertRefuses(
    () => moons(1, [] as never),
    TypeError,
    "moons",
    /options of moons\(seed, options\) to be an object/,
  );
  assertRefuses(
    () => trainTestSplit(xor(), 1, { testFraction: "0.5" } as never),
    TypeError,
    "trainTestSplit",
    /testFraction .* to be a number, got the string "0\.5"/,
  );
});
