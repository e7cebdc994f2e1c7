// Gradients: the analytic gradient against central differences, on batches,
// and central differences against derivatives known in closed form.
import fc from "fast-check";
import assert from "node:assert/strict";
import {
  forward,
  gradient,
  map,
  type Matrix,
  matrix,
  mul,
  numericalGradient,
  squaredError,
  sum,
  toArray,
} from "../mod.ts";
import {
  anyMatrix,
  articleMatrices,
  close,
  matrixOf,
  plainLoss,
  problem,
  size,
} from "./_helpers.ts";

Deno.test("gradient matches numericalGradient for w and b, with batches", () => {
  fc.assert(
    fc.property(problem({ maxSamples: 5 }), ({ w, b, x, d }) => {
      const g = gradient({ w, b }, { x, d });
      const gw = numericalGradient(
        (m) => squaredError(forward({ w: m, b }, x), d),
        w,
      );
      const gb = numericalGradient(
        (m) => squaredError(forward({ w, b: m }, x), d),
        b,
      );
      // The loss is quadratic, so central differences are exact up to
      // rounding: about ε·Loss/h with h = 1e-5 (measured: at most a
      // fifth of this tolerance over 300 random problems).
      const atol = 1e-10 * (plainLoss({ w, b, x, d }) + 1);
      close(g.w, gw, { rtol: 1e-6, atol, message: "w" });
      close(g.b, gb, { rtol: 1e-6, atol, message: "b" });
      assert.deepEqual(g.w.shape, w.shape);
      assert.deepEqual(g.b.shape, b.shape);
    }),
  );
});

Deno.test("gradient is 2(u − d)·xᵀ and 2(u − d) summed over samples (plain loops)", () => {
  fc.assert(
    fc.property(problem({ maxSamples: 5 }), (p) => {
      const u = toArray(forward(p, p.x));
      const x = toArray(p.x);
      const d = toArray(p.d);
      const e2 = u.map((r, i) => r.map((v, j) => 2 * (v - d[i][j])));
      const gw = e2.map((r) =>
        x.map((xr) => r.reduce((s, v, j) => s + v * xr[j], 0))
      );
      const gb = e2.map((r) => [r.reduce((s, v) => s + v, 0)]);
      const scale = 1e-12 * (Math.max(1, ...e2.flat().map(Math.abs)) * 10);
      const g = gradient(p, p);
      close(g.w, gw, { rtol: 1e-12, atol: scale * p.x.cols });
      close(g.b, gb, { rtol: 1e-12, atol: scale * p.x.cols });
    }),
  );
});

Deno.test("gradient on the article and on a batch matches numpy", () => {
  const a = articleMatrices();
  const g = gradient(a, a);
  // numpy: 2 * (u - d) * x.T and 2 * (u - d)
  assert.deepEqual(toArray(g.w), [[-48, -19.2, -67.2], [95, 38, 133]]);
  assert.deepEqual(toArray(g.b), [[-9.6], [19]]);

  // python3 / numpy 2.4:
  //   w = np.array([[0, 0.3, -0.8], [1, -1.2, 0.5]]); b = np.array([[1.2], [3.4]])
  //   x = np.array([[5, 1, -2, 0.5], [2, 3, 4, -1], [7, -0.5, 1, 2]])
  //   d = np.array([[1, 0, 2, -1], [0, 1, -1, 3]])
  //   u = w.dot(x) + b; e2 = 2 * (u - d)
  //   print(u.tolist(), e2.dot(x.T).tolist(), np.sum(e2, axis=1, keepdims=True).tolist())
  const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
  const b = matrix([[1.2], [3.4]]);
  const x = matrix([[5, 1, -2, 0.5], [2, 3, 4, -1], [7, -0.5, 1, 2]]);
  const d = matrix([[1, 0, 2, -1], [0, 1, -1, 3]]);
  close(forward({ w, b }, x), [
    [-3.8, 2.5, 1.5999999999999999, -0.7000000000000002],
    [9.5, 0.5500000000000003, -2.9, 6.1],
  ], { rtol: 1e-9 });
  const gb = gradient({ w, b }, { x, d });
  close(gb.w, [
    [-41.1, -8.0, -69.3],
    [104.79999999999998, 13.900000000000006, 142.04999999999998],
  ], { rtol: 1e-9 });
  close(gb.b, [[-4.800000000000001], [20.5]], { rtol: 1e-9 });
});

// --- numericalGradient on functions with known derivatives --------------------

Deno.test("numericalGradient of Σ c·v is c", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(4), size(4)).chain(([r, c]) =>
        fc.tuple(matrixOf(r, c), matrixOf(r, c))
      ),
      ([at, coef]) => {
        const g = numericalGradient((m) => sum(mul(m, coef)), at);
        close(g, coef, { rtol: 1e-8, atol: 1e-8 });
      },
    ),
  );
});

Deno.test("numericalGradient of Σ v³ is 3v², of Σ sin v is cos v, of Σ exp(v/3) is exp(v/3)/3", () => {
  const cases: [string, (v: number) => number, (v: number) => number][] = [
    ["v³", (v) => v ** 3, (v) => 3 * v ** 2],
    ["sin v", Math.sin, Math.cos],
    ["exp(v/3)", (v) => Math.exp(v / 3), (v) => Math.exp(v / 3) / 3],
  ];
  fc.assert(
    fc.property(anyMatrix(4, 3), (at) => {
      for (const [name, f, df] of cases) {
        const g = numericalGradient((m) => sum(map(m, f)), at);
        // Truncation error h²·f‴/6 with h ≤ 3e-5, plus rounding ε·|f|/h.
        close(g, map(at, df), { rtol: 1e-7, atol: 1e-7, message: name });
      }
    }),
  );
});

Deno.test("numericalGradient sees where each entry sits: Σ (i+1)(j+2)·v² gives 2(i+1)(j+2)·v", () => {
  fc.assert(
    fc.property(anyMatrix(4, 5), (at) => {
      const f = (m: Matrix): number =>
        sum(map(m, (v, i, j) => (i + 1) * (j + 2) * v * v));
      close(
        numericalGradient(f, at),
        map(at, (v, i, j) => 2 * (i + 1) * (j + 2) * v),
        {
          rtol: 1e-7,
          atol: 1e-7,
        },
      );
    }),
  );
});

Deno.test("numericalGradient honours epsilon and refuses bad options and functions", () => {
  const at = matrix([[2]]);
  // For v³ the central difference is 3v² + h²: with h = 0.1·2 = 0.2, 12.04.
  close(numericalGradient((m) => m.at(0, 0) ** 3, at, { epsilon: 0.1 }), [[
    12.04,
  ]], {
    rtol: 1e-12,
  });
  for (const epsilon of [0, -1, NaN, Infinity]) {
    assert.throws(() => numericalGradient((m) => sum(m), at, { epsilon }), {
      name: "RangeError",
      message: /numericalGradient\(f, at, options\)/,
    });
  }
  assert.throws(() => numericalGradient(() => NaN, at), {
    name: "RangeError",
    message: /numericalGradient/,
  });
  assert.throws(
    () =>
      numericalGradient((() => "1") as unknown as (m: Matrix) => number, at),
    { name: "TypeError", message: /numericalGradient/ },
  );
  assert.throws(
    () => numericalGradient(1 as unknown as (m: Matrix) => number, at),
    { name: "TypeError", message: /numericalGradient/ },
  );
  assert.throws(
    () => numericalGradient((m) => sum(m), at, { epsilon: "1" as never }),
    {
      name: "TypeError",
      message:
        /^Expected options\.epsilon of numericalGradient\(f, at, options\) to be a number, got the string "1"$/,
    },
  );
  assert.throws(
    () => numericalGradient((m) => sum(m), at, { epsilon: -1 }),
    { message: /options\.epsilon .* positive finite number, got -1$/ },
  );
  assert.throws(
    () => numericalGradient((m) => sum(m), at, { eps: 0.1 } as never),
    { name: "TypeError", message: /Unknown option "eps"/ },
  );
  assert.throws(
    () => numericalGradient((m) => sum(m), [[2]] as never),
    { name: "TypeError", message: /at of numericalGradient/ },
  );
});
