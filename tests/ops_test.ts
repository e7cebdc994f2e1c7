// Matrix algebra: dot against the textbook triple loop, associativity,
// transposes, numpy's broadcasting, identity, distributivity, and sums that
// round exactly as numpy's.
import fc from "fast-check";
import assert from "node:assert/strict";
import {
  add,
  div,
  dot,
  identity,
  map,
  type Matrix,
  matrix,
  mul,
  relu,
  scale,
  sub,
  sum,
  sumAxis,
  toArray,
  transpose,
} from "../mod.ts";
import {
  absDot,
  anyMatrix,
  arrays,
  close,
  EPS,
  matrixOf,
  naiveDot,
  size,
} from "./_helpers.ts";
import {
  fixedArray,
  NUMPY_AXIS_SUMS,
  NUMPY_PREFIX_SUMS,
} from "./_numpy_sums.ts";

/**
 * Asserts |got − want| ≤ bound entry by entry, for per-entry error bounds,
 * plus 1e-300 for products that underflow into subnormals.
 */
function within(got: Matrix, want: number[][], bound: number[][]): void {
  const g = toArray(got);
  assert.equal(g.length, want.length);
  for (let i = 0; i < want.length; i++) {
    assert.equal(g[i].length, want[i].length);
    for (let j = 0; j < want[i].length; j++) {
      const diff = Math.abs(g[i][j] - want[i][j]);
      assert.ok(
        diff <= bound[i][j] + 1e-300,
        `entry (${i}, ${j}): got ${g[i][j]}, expected ${
          want[i][j]
        }, |diff| ${diff} > ${bound[i][j]}`,
      );
    }
  }
}

const dims = fc.record({ m: size(6), k: size(9), n: size(6) });

Deno.test("dot agrees with the textbook triple loop within k·ε·|a||b|", () => {
  fc.assert(
    fc.property(
      dims.chain(({ m, k, n }) => fc.tuple(arrays(m, k), arrays(k, n))),
      ([a, b]) => {
        // Both the library (FMA, one rounding per term) and the naive loop
        // (two roundings per term) are within k·ε·Σ|a||b| of the exact sum.
        const bound = absDot(a, b).map((r) =>
          r.map((v) => 2 * a[0].length * EPS * v)
        );
        within(dot(matrix(a), matrix(b)), naiveDot(a, b), bound);
      },
    ),
  );
});

Deno.test("dot is exact on small integers and has the product's shape", () => {
  fc.assert(
    fc.property(
      dims.chain(({ m, k, n }) =>
        fc.tuple(
          fc.array(
            fc.array(fc.integer({ min: -1000, max: 1000 }), {
              minLength: k,
              maxLength: k,
            }),
            {
              minLength: m,
              maxLength: m,
            },
          ),
          fc.array(
            fc.array(fc.integer({ min: -1000, max: 1000 }), {
              minLength: n,
              maxLength: n,
            }),
            {
              minLength: k,
              maxLength: k,
            },
          ),
        )
      ),
      ([a, b]) => {
        const p = dot(matrix(a), matrix(b));
        assert.deepEqual(p.shape, [a.length, b[0].length]);
        close(p, naiveDot(a, b), { rtol: 0, atol: 0 });
      },
    ),
  );
});

Deno.test("dot reproduces the article's products exactly", () => {
  const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
  const x = matrix([[5], [2], [7]]);
  // numpy: w.dot(x) -> [[-5.0], [6.1]] (printed by python3, numpy 2.4)
  assert.deepEqual(toArray(dot(w, x)), [[-5], [6.1]]);
});

Deno.test("dot is associative within rounding", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(4), size(4), size(4), size(4)).chain(([m, k, l, n]) =>
        fc.tuple(arrays(m, k), arrays(k, l), arrays(l, n))
      ),
      ([a, b, c]) => {
        const left = dot(dot(matrix(a), matrix(b)), matrix(c));
        const right = dot(matrix(a), dot(matrix(b), matrix(c)));
        const k = b.length + c.length;
        const bound = absDot(absDot(a, b), c).map((r) =>
          r.map((v) => 4 * k * EPS * v)
        );
        within(left, toArray(right), bound);
      },
    ),
  );
});

Deno.test("(AB)ᵀ = BᵀAᵀ exactly", () => {
  fc.assert(
    fc.property(
      dims.chain(({ m, k, n }) => fc.tuple(matrixOf(m, k), matrixOf(k, n))),
      ([a, b]) => {
        assert.deepEqual(
          toArray(transpose(dot(a, b))),
          toArray(dot(transpose(b), transpose(a))),
        );
      },
    ),
  );
});

Deno.test("transpose swaps indices and is an involution", () => {
  fc.assert(
    fc.property(anyMatrix(), (m) => {
      const t = transpose(m);
      assert.deepEqual(t.shape, [m.cols, m.rows]);
      for (let i = 0; i < m.rows; i++) {
        for (let j = 0; j < m.cols; j++) assert.equal(t.at(j, i), m.at(i, j));
      }
      assert.deepEqual(toArray(transpose(t)), toArray(m));
    }),
  );
});

Deno.test("the identity is neutral for dot on both sides", () => {
  fc.assert(
    fc.property(anyMatrix(6, 1e6), (m) => {
      close(dot(identity(m.rows), m), m, { rtol: 0 });
      close(dot(m, identity(m.cols)), m, { rtol: 0 });
    }),
  );
});

Deno.test("dot distributes over add within rounding", () => {
  fc.assert(
    fc.property(
      dims.chain(({ m, k, n }) =>
        fc.tuple(arrays(m, k), arrays(k, n), arrays(k, n))
      ),
      ([a, b, c]) => {
        const left = dot(matrix(a), add(matrix(b), matrix(c)));
        const right = add(dot(matrix(a), matrix(b)), dot(matrix(a), matrix(c)));
        const absBC = b.map((r, i) =>
          r.map((v, j) => Math.abs(v) + Math.abs(c[i][j]))
        );
        const bound = absDot(a, absBC).map((r) =>
          r.map((v) => 4 * (b.length + 2) * EPS * v)
        );
        within(left, toArray(right), bound);
        // And from the right: (B + C)A = BA + CA.
        const left2 = dot(
          transpose(add(matrix(b), matrix(c))),
          transpose(matrix(a)),
        );
        const right2 = add(
          dot(transpose(matrix(b)), transpose(matrix(a))),
          dot(transpose(matrix(c)), transpose(matrix(a))),
        );
        const bound2 = bound[0].map((_, j) => bound.map((r) => r[j]));
        within(left2, toArray(right2), bound2);
      },
    ),
  );
});

// --- Broadcasting -----------------------------------------------------------

const OPS = [
  { name: "add", f: add, op: (x: number, y: number) => x + y },
  { name: "sub", f: sub, op: (x: number, y: number) => x - y },
  { name: "mul", f: mul, op: (x: number, y: number) => x * y },
] as const;

/** numpy's rule for one axis: equal, or one of them is 1. */
function npAxis(x: number, y: number): number | undefined {
  if (x === y || y === 1) return x;
  if (x === 1) return y;
  return undefined;
}

Deno.test("add, sub and mul broadcast as numpy does, for every pair of small shapes", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(4), size(4), size(4), size(4)).chain(([r1, c1, r2, c2]) =>
        fc.tuple(arrays(r1, c1, 1e3), arrays(r2, c2, 1e3))
      ),
      ([a, b]) => {
        const rows = npAxis(a.length, b.length);
        const cols = npAxis(a[0].length, b[0].length);
        for (const { name, f, op } of OPS) {
          if (rows === undefined || cols === undefined) {
            assert.throws(() => f(matrix(a), matrix(b)), (e: unknown) => {
              assert.ok(e instanceof RangeError);
              assert.match(e.message, new RegExp(`${name}\\(a, b\\)`));
              assert.ok(
                e.message.includes(`${a.length}x${a[0].length}`),
                e.message,
              );
              assert.ok(
                e.message.includes(`${b.length}x${b[0].length}`),
                e.message,
              );
              return true;
            });
            continue;
          }
          // numpy: a stride of 0 along an axis of length 1.
          const want = Array.from(
            { length: rows },
            (_, i) =>
              Array.from({ length: cols }, (_, j) =>
                op(
                  a[a.length === 1 ? 0 : i][a[0].length === 1 ? 0 : j],
                  b[b.length === 1 ? 0 : i][b[0].length === 1 ? 0 : j],
                )),
          );
          // One IEEE operation per entry: exact equality.
          assert.deepEqual(toArray(f(matrix(a), matrix(b))), want, name);
        }
      },
    ),
  );
});

Deno.test("broadcasting matches numpy's printed results", () => {
  // Printed by python3 / numpy 2.4:
  //   a = np.array([[1., 2., 3.], [4., 5., 6.]])
  //   for b in row, col, one, same: print((a + b).tolist(), (b - a).tolist(),
  //                                        (a * b).tolist(), (a / b).tolist())
  //   c = np.array([[1.], [2.], [3.]]); r = np.array([[0.1, 0.2]])
  //   print((c + r).tolist(), (c - r).tolist(), (r * c).tolist(), (c / r).tolist())
  const a = matrix([[1, 2, 3], [4, 5, 6]]);
  const cases: [number[][], number[][][]][] = [
    [[[10, 20, 30]], [
      [[11, 22, 33], [14, 25, 36]],
      [[9, 18, 27], [6, 15, 24]],
      [[10, 40, 90], [40, 100, 180]],
      [[0.1, 0.1, 0.1], [0.4, 0.25, 0.2]],
    ]],
    [[[10], [20]], [
      [[11, 12, 13], [24, 25, 26]],
      [[9, 8, 7], [16, 15, 14]],
      [[10, 20, 30], [80, 100, 120]],
      [[0.1, 0.2, 0.3], [0.2, 0.25, 0.3]],
    ]],
    [[[0.5]], [
      [[1.5, 2.5, 3.5], [4.5, 5.5, 6.5]],
      [[-0.5, -1.5, -2.5], [-3.5, -4.5, -5.5]],
      [[0.5, 1, 1.5], [2, 2.5, 3]],
      [[2, 4, 6], [8, 10, 12]],
    ]],
    [[[1, -1, 2], [0.25, 3, -2]], [
      [[2, 1, 5], [4.25, 8, 4]],
      [[0, -3, -1], [-3.75, -2, -8]],
      [[1, -2, 6], [1, 15, -12]],
      [[1, -2, 1.5], [16, 1.6666666666666667, -3]],
    ]],
  ];
  for (const [bRows, [sum_, diff, prod, quot]] of cases) {
    const b = matrix(bRows);
    assert.deepEqual(toArray(add(a, b)), sum_);
    assert.deepEqual(
      toArray(add(b, a)),
      sum_,
      "add broadcasts from either side",
    );
    assert.deepEqual(toArray(sub(b, a)), diff);
    assert.deepEqual(toArray(mul(a, b)), prod);
    assert.deepEqual(toArray(div(a, b)), quot);
  }
  const c = matrix([[1], [2], [3]]);
  const r = matrix([[0.1, 0.2]]);
  assert.deepEqual(toArray(add(c, r)), [[1.1, 1.2], [2.1, 2.2], [3.1, 3.2]]);
  assert.deepEqual(toArray(sub(c, r)), [[0.9, 0.8], [1.9, 1.8], [2.9, 2.8]]);
  assert.deepEqual(toArray(mul(r, c)), [[0.1, 0.2], [0.2, 0.4], [
    0.30000000000000004,
    0.6000000000000001,
  ]]);
  assert.deepEqual(toArray(div(c, r)), [[10, 5], [20, 10], [30, 15]]);
});

Deno.test("shape errors name the function and both shapes", () => {
  const a = matrix([[1, 2, 3], [4, 5, 6]]);
  const b = matrix([[1, 2], [3, 4]]);
  for (
    const [f, name] of [[add, "add"], [sub, "sub"], [mul, "mul"], [
      div,
      "div",
    ]] as const
  ) {
    assert.throws(() => f(a, b), {
      name: "RangeError",
      message: new RegExp(`2x3 and 2x2 in ${name}\\(a, b\\)`),
    });
  }
  assert.throws(() => dot(a, b), {
    name: "RangeError",
    message:
      "Cannot multiply 2x3 by 2x2 in dot(a, b): inner dimensions differ (a has 3 columns, b has 2 rows)",
  });
});

Deno.test("arithmetic whose result is not finite is refused", () => {
  const big = matrix([[1e308]]);
  assert.throws(() => add(big, big), {
    name: "RangeError",
    message: /add\(a, b\)/,
  });
  assert.throws(() => mul(big, big), {
    name: "RangeError",
    message: /mul\(a, b\)/,
  });
  assert.throws(() => div(matrix([[0]]), matrix([[0]])), {
    name: "RangeError",
    message: /div\(a, b\)/,
  });
  assert.throws(() => dot(big, big), {
    name: "RangeError",
    message: /dot\(a, b\)/,
  });
  assert.throws(() => scale(big, 10), {
    name: "RangeError",
    message: /scale\(m, k\)/,
  });
  assert.throws(() => sum(matrix([[1e308, 1e308]])), {
    name: "RangeError",
    message: /sum\(m\)/,
  });
});

Deno.test("scale multiplies every entry and map applies f entry by entry", () => {
  fc.assert(
    fc.property(
      anyMatrix(),
      fc.double({ min: -100, max: 100, noNaN: true }),
      (m, k) => {
        assert.deepEqual(
          toArray(scale(m, k)),
          toArray(m).map((r) => r.map((v) => v * k)),
        );
        const seen: [number, number, number][] = [];
        const out = map(m, (v, i, j) => {
          seen.push([v, i, j]);
          return 2 * v + i - j;
        });
        assert.deepEqual(
          toArray(out),
          toArray(m).map((r, i) => r.map((v, j) => 2 * v + i - j)),
        );
        assert.equal(seen.length, m.rows * m.cols);
        for (const [v, i, j] of seen) assert.equal(v, m.at(i, j));
      },
    ),
  );
});

// --- Sums, bit for bit with numpy ---------------------------------------------

Deno.test("sum equals numpy.sum exactly for lengths 1..300", () => {
  for (const seed of [1, 2, 3]) {
    const values = fixedArray(seed);
    const want = NUMPY_PREFIX_SUMS[seed];
    for (let n = 1; n <= 300; n++) {
      const row = values.slice(0, n);
      assert.equal(sum(matrix([row])), want[n - 1], `seed ${seed}, 1x${n}`);
      // numpy sums a contiguous 2-D array as one run, so the shape must not
      // matter: as a column, and as rows of 4 where possible.
      assert.equal(
        sum(matrix(row.map((v) => [v]))),
        want[n - 1],
        `seed ${seed}, ${n}x1`,
      );
      if (n % 4 === 0) {
        const rows = Array.from(
          { length: n / 4 },
          (_, i) => row.slice(4 * i, 4 * i + 4),
        );
        assert.equal(
          sum(matrix(rows)),
          want[n - 1],
          `seed ${seed}, ${n / 4}x4`,
        );
      }
    }
  }
});

Deno.test("plain left-to-right summation would fail the numpy sum test", () => {
  // Guards the test above: if a sequential sum matched numpy for these
  // arrays, exact equality would not be testing the pairwise order.
  const values = fixedArray(1);
  let s = 0;
  let differ = 0;
  for (let n = 1; n <= 300; n++) {
    s += values[n - 1];
    if (s !== NUMPY_PREFIX_SUMS[1][n - 1]) differ++;
  }
  assert.ok(differ > 100, `only ${differ} lengths differ`);
});

Deno.test("sumAxis equals numpy's m.sum(axis, keepdims=True) exactly", () => {
  for (const [key, { axis0, axis1 }] of Object.entries(NUMPY_AXIS_SUMS)) {
    const [seed, shape] = key.split(":");
    const [r, c] = shape.split("x").map(Number);
    const values = fixedArray(Number(seed), r * c);
    const m = matrix(
      Array.from({ length: r }, (_, i) => values.slice(i * c, (i + 1) * c)),
    );
    assert.deepEqual(toArray(sumAxis(m, 0)), [axis0], `${key} axis 0`);
    assert.deepEqual(
      toArray(sumAxis(m, 1)),
      axis1.map((v) => [v]),
      `${key} axis 1`,
    );
  }
});

Deno.test("sum of a matrix of small integers is their exact total", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -1e6, max: 1e6 }), {
        minLength: 1,
        maxLength: 400,
      }),
      (values) => {
        assert.equal(sum(matrix([values])), values.reduce((s, v) => s + v, 0));
      },
    ),
  );
});

Deno.test("relu is max(v, 0) exactly: signed zeros, subnormals and entries above 2^1023", () => {
  // By definition: positive entries unchanged, everything else +0 (numpy's
  // np.maximum(v, 0.0) also gives +0 for -0.0 and 0.0 for negatives).
  const input = [
    [-0, 0, -1.5, 2.5, 5e-324, -5e-324],
    [1e308, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1, -0.1, 3],
  ];
  const expected = [
    [0, 0, 0, 2.5, 5e-324, 0],
    [1e308, Number.MAX_VALUE, 0, 0.1, 0, 3],
  ];
  const got = toArray(relu(matrix(input)));
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 6; j++) {
      assert.ok(
        Object.is(got[i][j], expected[i][j]),
        `relu(${input[i][j]}) = ${got[i][j]}, expected ${expected[i][j]}`,
      );
    }
  }
  // Without an entry above 2^1023 the branch-free loop alone gives the same.
  const small = toArray(relu(matrix([input[0]])));
  assert.ok(small[0].every((v, j) => Object.is(v, expected[0][j])));
});
