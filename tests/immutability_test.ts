// Immutability and refusal: no function changes its inputs, no public path
// changes a Matrix, and bad inputs are refused with a TypeError or RangeError
// that names the function and says what is wrong.
import fc from "fast-check";
import assert from "node:assert/strict";
import {
  add,
  div,
  dot,
  forward,
  gradient,
  identity,
  map,
  Matrix,
  matrix,
  mul,
  numericalGradient,
  scale,
  squaredError,
  sub,
  sum,
  sumAxis,
  toArray,
  train,
  transpose,
  zeros,
} from "../mod.ts";
import {
  anyMatrix,
  arrays,
  finite,
  matrixOf,
  problem,
  size,
} from "./_helpers.ts";

/** Runs `f` and asserts that none of `inputs` reads differently afterwards. */
function unchanged<T>(inputs: Matrix[], f: () => T): T {
  const before = inputs.map((m) => toArray(m));
  const shapes = inputs.map((m) => m.shape);
  const result = f();
  inputs.forEach((m, i) => {
    assert.deepEqual(toArray(m), before[i], `input ${i} changed`);
    assert.deepEqual(m.shape, shapes[i], `input ${i} changed shape`);
  });
  return result;
}

Deno.test("no operation changes its matrix arguments", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(4), size(4), size(4)).chain(([r, c, n]) =>
        fc.record({
          a: matrixOf(r, c),
          b: matrixOf(r, c),
          row: matrixOf(1, c),
          col: matrixOf(r, 1),
          right: matrixOf(c, n),
        })
      ),
      finite(),
      ({ a, b, row, col, right }, k) => {
        const all = [a, b, row, col, right];
        unchanged(all, () => dot(a, right));
        for (const f of [add, sub, mul]) {
          unchanged(all, () => f(a, b));
          unchanged(all, () => f(a, row));
          unchanged(all, () => f(col, a));
          unchanged(all, () => f(col, row));
        }
        unchanged(all, () => div(a, matrix([[2]])));
        unchanged(all, () => scale(a, k));
        unchanged(all, () => transpose(a));
        unchanged(all, () => sum(a));
        unchanged(all, () => sumAxis(a, 0));
        unchanged(all, () => sumAxis(a, 1));
        unchanged(all, () => squaredError(a, b));
        unchanged(all, () => map(a, (v) => v * 2));
        unchanged(all, () => toArray(a));
        unchanged(all, () => numericalGradient((m) => sum(mul(m, m)), a));
      },
    ),
  );
});

Deno.test("forward, gradient and train change neither parameters, data nor options", () => {
  fc.assert(
    fc.property(problem(), fc.boolean(), (p, trainBias) => {
      const params = { w: p.w, b: p.b };
      const data = { x: p.x, d: p.d };
      const options = { learningRate: 1e-3, steps: 5, logEvery: 2, trainBias };
      const all = [p.w, p.b, p.x, p.d];
      unchanged(all, () => forward(params, p.x));
      unchanged(all, () => gradient(params, data));
      const result = unchanged(all, () => train(params, data, options));
      // The objects themselves still hold the very same matrices.
      assert.equal(params.w, p.w);
      assert.equal(params.b, p.b);
      assert.equal(data.x, p.x);
      assert.equal(data.d, p.d);
      assert.deepEqual(options, {
        learningRate: 1e-3,
        steps: 5,
        logEvery: 2,
        trainBias,
      });
      assert.notEqual(result.params.w, p.w, "train returns new matrices");
      // Training again from the same inputs gives the same result.
      const again = train(params, data, options);
      assert.deepEqual(toArray(again.params.w), toArray(result.params.w));
      assert.deepEqual(again.history, result.history);
    }),
  );
});

Deno.test("results do not share storage with their inputs", () => {
  // If an op returned its input's array, a later op could not tell; but the
  // result of train is used again and must not alias: train twice in a row.
  const p = { w: matrix([[1, 2]]), b: matrix([[0]]) };
  const data = { x: matrix([[1], [1]]), d: matrix([[0]]) };
  const first = train(p, data, { learningRate: 0.1, steps: 1 });
  const firstW = toArray(first.params.w);
  train(first.params, data, { learningRate: 0.1, steps: 3, trainBias: true });
  assert.deepEqual(toArray(first.params.w), firstW);
  assert.deepEqual(toArray(p.w), [[1, 2]]);
});

Deno.test("numericalGradient hands f copies: f cannot change `at`, even by keeping what it gets", () => {
  const at = matrix([[1, 2], [3, 4]]);
  const seen: Matrix[] = [];
  numericalGradient((m) => {
    seen.push(m);
    return sum(m);
  }, at);
  assert.deepEqual(toArray(at), [[1, 2], [3, 4]]);
  // f saw 2 matrices per entry, each `at` with exactly one entry moved by
  // ±h, h = 1e-5·max(1, |v|), and each still reads so after all the calls.
  assert.equal(seen.length, 8);
  const base = toArray(at).flat();
  seen.forEach((m, call) => {
    const entry = Math.floor(call / 2);
    const h = 1e-5 * Math.max(1, Math.abs(base[entry]));
    const want = base.map((
      v,
      i,
    ) => (i === entry ? v + (call % 2 === 0 ? h : -h) : v));
    assert.deepEqual(toArray(m).flat(), want, `call ${call}`);
  });
});

Deno.test("map's callback cannot reach the matrix's storage", () => {
  const m = matrix([[1, 2], [3, 4]]);
  const args: unknown[][] = [];
  map(m, (...a: unknown[]) => {
    args.push(a);
    return 0;
  });
  // Only (value, row, col): no array is handed out.
  for (const a of args) {
    assert.equal(a.length, 3);
    for (const v of a) assert.equal(typeof v, "number");
  }
  assert.deepEqual(toArray(m), [[1, 2], [3, 4]]);
});

// --- No public path changes a Matrix ------------------------------------------

Deno.test("a Matrix cannot be changed through its properties", () => {
  const m = matrix([[1, 2, 3], [4, 5, 6]]);
  const loose = m as unknown as Record<string, unknown>;
  for (const key of ["rows", "cols", "shape"]) {
    assert.throws(() => {
      loose[key] = 1;
    }, TypeError);
  }
  // A new property is only an expando: the entries live in a private field.
  loose.data = new Float64Array(6);
  assert.deepEqual(m.shape, [2, 3]);
  assert.deepEqual(toArray(m), [[1, 2, 3], [4, 5, 6]]);
  // shape is a fresh pair each time.
  const shape = m.shape;
  shape[0] = 99;
  assert.deepEqual(m.shape, [2, 3]);
});

Deno.test("new Matrix(...) is refused", () => {
  const Ctor = Matrix as unknown as new (...args: unknown[]) => Matrix;
  for (
    const args of [
      [],
      [2, 2, new Float64Array(4)],
      [Symbol("Matrix"), 2, 2, new Float64Array(4)],
    ]
  ) {
    assert.throws(() => new Ctor(...args), {
      name: "TypeError",
      message: /new Matrix\(\)/,
    });
  }
  class Sub extends (Matrix as unknown as new (...args: unknown[]) => object) {
    constructor() {
      super(Symbol("Matrix"), 1, 1, new Float64Array(1));
    }
  }
  assert.throws(() => new Sub(), TypeError);
});

Deno.test("toArray returns fresh arrays, and matrix() copies its input", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(), size()).chain(([r, c]) => arrays(r, c)),
      (rows) => {
        const copy = rows.map((r) => [...r]);
        const m = matrix(rows);
        assert.deepEqual(rows, copy, "matrix() left its input alone");
        rows[0][0] = 12345;
        rows.push([1]);
        assert.deepEqual(
          toArray(m),
          copy,
          "changing the input later does not change the Matrix",
        );
        const out = toArray(m);
        assert.notEqual(toArray(m), out);
        assert.notEqual(toArray(m)[0], out[0]);
        out[0][0] = 54321;
        out.pop();
        assert.deepEqual(
          toArray(m),
          copy,
          "changing toArray's result does not change the Matrix",
        );
        const json = m.toJSON();
        json[0][0] = 999;
        assert.deepEqual(
          toArray(m),
          copy,
          "changing toJSON's result does not change the Matrix",
        );
      },
    ),
  );
});

// --- Bad inputs are refused ---------------------------------------------------

Deno.test("matrix() refuses empty, ragged, non-number and non-finite input, saying where", () => {
  assert.throws(() => matrix([]), {
    name: "RangeError",
    message: /empty array in matrix\(rows\)/,
  });
  assert.throws(() => matrix([[]]), {
    name: "RangeError",
    message: /matrix\(rows\).*row 0 is empty/,
  });
  assert.throws(() => matrix([[1, 2], [3]]), {
    name: "RangeError",
    message: /matrix\(rows\).*row 1 has 1 entries but row 0 has 2/,
  });
  assert.throws(() => matrix([[1, 2], [3, 4, 5]]), {
    name: "RangeError",
    message: /row 1/,
  });
  assert.throws(() => matrix("[[1]]" as unknown as number[][]), {
    name: "TypeError",
    message: /matrix\(rows\)/,
  });
  assert.throws(() => matrix([[1], 2] as unknown as number[][]), {
    name: "TypeError",
    message: /matrix\(rows\).*row 1/,
  });
  assert.throws(() => matrix([1, 2] as unknown as number[][]), {
    name: "TypeError",
    message: /matrix\(rows\).*row 0/,
  });
});

const badEntries: [unknown, string][] = [
  [NaN, "RangeError"],
  [Infinity, "RangeError"],
  [-Infinity, "RangeError"],
  ["1", "TypeError"],
  [null, "TypeError"],
  [undefined, "TypeError"],
  [1n, "TypeError"],
  [[1], "TypeError"],
  [{}, "TypeError"],
  [true, "TypeError"],
];

Deno.test("matrix() names the row and column of a bad entry", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(), size()).chain(([r, c]) =>
        fc.tuple(
          arrays(r, c),
          fc.integer({ min: 0, max: r - 1 }),
          fc.integer({ min: 0, max: c - 1 }),
          fc.constantFrom(...badEntries),
        )
      ),
      ([rows, i, j, [bad, errorName]]) => {
        const input: unknown[][] = rows.map((r) => [...r]);
        input[i][j] = bad;
        assert.throws(() => matrix(input as number[][]), (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.equal(e.name, errorName, e.message);
          assert.match(e.message, /matrix\(rows\)/);
          assert.ok(e.message.includes(`row ${i}, column ${j}`), e.message);
          return true;
        });
      },
    ),
  );
});

Deno.test("sizes must be positive integers", () => {
  for (
    const [f, name] of [[(n: number) => zeros(n, 1), "zeros"], [
      (n: number) => zeros(1, n),
      "zeros",
    ], [identity, "identity"]] as const
  ) {
    for (const n of [0, -1, 1.5, NaN, Infinity]) {
      assert.throws(() => f(n), {
        name: "RangeError",
        message: new RegExp(`${name}\\(`),
      });
    }
    assert.throws(() => f("2" as unknown as number), {
      name: "TypeError",
      message: new RegExp(`${name}\\(`),
    });
  }
});

Deno.test("every function refuses a non-Matrix argument with a TypeError naming itself", () => {
  const m = matrix([[1]]);
  const junk: unknown[] = [
    undefined,
    null,
    1,
    "m",
    [[1]],
    { rows: 1, cols: 1 },
    () => m,
  ];
  const calls: [string, (v: unknown) => unknown][] = [
    ["toArray", (v) => toArray(v as Matrix)],
    ["dot", (v) => dot(v as Matrix, m)],
    ["dot", (v) => dot(m, v as Matrix)],
    ["add", (v) => add(v as Matrix, m)],
    ["sub", (v) => sub(m, v as Matrix)],
    ["mul", (v) => mul(v as Matrix, m)],
    ["div", (v) => div(m, v as Matrix)],
    ["scale", (v) => scale(v as Matrix, 2)],
    ["transpose", (v) => transpose(v as Matrix)],
    ["sum", (v) => sum(v as Matrix)],
    ["sumAxis", (v) => sumAxis(v as Matrix, 0)],
    ["map", (v) => map(v as Matrix, (x) => x)],
    ["squaredError", (v) => squaredError(v as Matrix, m)],
    ["forward", (v) => forward({ w: v as Matrix, b: m }, m)],
    ["forward", (v) => forward({ w: m, b: m }, v as Matrix)],
    ["gradient", (v) => gradient({ w: m, b: m }, { x: m, d: v as Matrix })],
    ["train", (v) => train({ w: m, b: v as Matrix }, { x: m, d: m })],
    ["numericalGradient", (v) => numericalGradient(() => 0, v as Matrix)],
  ];
  for (const [name, call] of calls) {
    for (const v of junk) {
      assert.throws(() => call(v), (e: unknown) => {
        assert.ok(e instanceof TypeError, `${name}: ${e}`);
        assert.ok(e.message.includes(`${name}(`), `${name}: ${e.message}`);
        return true;
      });
    }
  }
});

Deno.test("shape mismatches name the function and both shapes", () => {
  const m23 = matrix([[1, 2, 3], [4, 5, 6]]);
  const m22 = matrix([[1, 2], [3, 4]]);
  const b2 = matrix([[0], [0]]);
  const cases: [string, () => unknown, string[]][] = [
    ["dot", () => dot(m23, m22), ["2x3", "2x2"]],
    ["add", () => add(m23, m22), ["2x3", "2x2"]],
    ["sub", () => sub(m22, m23), ["2x2", "2x3"]],
    ["mul", () => mul(m23, m22), ["2x3", "2x2"]],
    ["div", () => div(m23, m22), ["2x3", "2x2"]],
    ["squaredError", () => squaredError(m23, m22), ["2x3", "2x2"]],
    ["forward", () => forward({ w: m23, b: b2 }, m22), ["2x3", "2x2"]],
    ["forward", () => forward({ w: m23, b: m22 }, m23), ["2x2", "2x3"]],
    ["gradient", () => gradient({ w: m22, b: b2 }, { x: m22, d: m23 }), [
      "2x2",
      "2x3",
    ]],
    ["train", () => train({ w: m22, b: b2 }, { x: m22, d: m23 }), [
      "2x2",
      "2x3",
    ]],
    [
      "train",
      () => train({ w: m22, b: b2 }, { x: transpose(m23), d: m22 }),
      ["2x2", "3x2"],
    ],
  ];
  for (const [name, call, shapes] of cases) {
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof RangeError, `${name}: ${e}`);
      assert.ok(e.message.includes(`${name}(`), e.message);
      for (const s of shapes) {
        assert.ok(e.message.includes(s), `${name}: ${e.message} lacks ${s}`);
      }
      return true;
    });
  }
});

Deno.test("random shape mismatches in dot are refused with both shapes", () => {
  fc.assert(
    fc.property(anyMatrix(4), anyMatrix(4), (a, b) => {
      if (a.cols === b.rows) {
        assert.deepEqual(dot(a, b).shape, [a.rows, b.cols]);
        return;
      }
      assert.throws(() => dot(a, b), {
        name: "RangeError",
        message: new RegExp(
          `${a.rows}x${a.cols} by ${b.rows}x${b.cols} in dot\\(a, b\\)`,
        ),
      });
    }),
  );
});

Deno.test("train refuses bad options, naming the option", () => {
  const p = { w: matrix([[1]]), b: matrix([[0]]) };
  const data = { x: matrix([[1]]), d: matrix([[0]]) };
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ learningRate: 0 }, "RangeError", /learningRate/],
    [{ learningRate: -1 }, "RangeError", /learningRate/],
    [{ learningRate: NaN }, "RangeError", /learningRate/],
    [{ learningRate: Infinity }, "RangeError", /learningRate/],
    [{ learningRate: "0.1" }, "TypeError", /learningRate/],
    [{ steps: 0 }, "RangeError", /steps/],
    [{ steps: 1.5 }, "RangeError", /steps/],
    [{ steps: "3" }, "TypeError", /steps/],
    [{ logEvery: -2 }, "RangeError", /logEvery/],
    [{ trainBias: "yes" }, "TypeError", /trainBias/],
  ];
  for (const [options, name, message] of cases) {
    assert.throws(() => train(p, data, options as never), (e: unknown) => {
      assert.ok(
        e instanceof Error && e.name === name,
        `${JSON.stringify(options)}: ${e}`,
      );
      assert.match(e.message, message);
      assert.match(e.message, /train\(/);
      return true;
    });
  }
});

Deno.test("map refuses a callback that returns junk, naming the entry", () => {
  const m = matrix([[1, 2], [3, 4]]);
  assert.throws(() => map(m, (v) => (v === 4 ? NaN : v)), {
    name: "RangeError",
    message: /map\(m, f\).*row 1, column 1/,
  });
  assert.throws(
    () => map(m, (v) => (v === 2 ? ("2" as unknown as number) : v)),
    {
      name: "TypeError",
      message: /map\(m, f\).*row 0, column 1/,
    },
  );
  assert.throws(() => map(m, 1 as unknown as () => number), {
    name: "TypeError",
    message: /map\(m, f\)/,
  });
});
