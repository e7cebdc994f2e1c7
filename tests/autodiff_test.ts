import assert from "node:assert/strict";
import fc from "fast-check";
import { close } from "./_helpers.ts";
import {
  add,
  div,
  dot,
  exp,
  forward,
  grad,
  gradient,
  log,
  map,
  type Matrix,
  matrix,
  mean,
  mse,
  mul,
  numericalGradient,
  relu,
  scale,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  squaredError,
  sub,
  sum,
  sumAxis,
  tanh,
  toArray,
  transpose,
  valueAndGrad,
} from "../mod.ts";
import { activeTape } from "../lib/autodiff/_tape.ts";

// ---------------------------------------------------------------- helpers

function closeMatrix(
  actual: Matrix,
  expected: Matrix,
  atol = 1e-6,
  rtol = 1e-5,
  what = "gradient",
): void {
  close(actual, expected, { atol, rtol, message: what });
}

/** A matrix of the given shape with entries in [min, max]. */
function arbMatrix(
  rows: number,
  cols: number,
  min = -3,
  max = 3,
): fc.Arbitrary<Matrix> {
  return fc.array(
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
    { minLength: rows * cols, maxLength: rows * cols },
  ).map((v) =>
    matrix(
      Array.from({ length: rows }, (_, i) => v.slice(i * cols, (i + 1) * cols)),
    )
  );
}

/** Entries bounded away from zero (for relu's kink and division). */
function arbNonZero(rows: number, cols: number): fc.Arbitrary<Matrix> {
  return fc.tuple(
    arbMatrix(rows, cols, 0.2, 3),
    fc.array(fc.boolean(), { minLength: rows * cols, maxLength: rows * cols }),
  ).map(([m, signs]) =>
    matrix(
      toArray(m).map((row, i) =>
        row.map((v, j) => (signs[i * cols + j] ? v : -v))
      ),
    )
  );
}

const shape = fc.tuple(
  fc.integer({ min: 1, max: 4 }),
  fc.integer({ min: 1, max: 4 }),
);

/** Checks ∂f/∂m by autodiff against central differences. */
function checkAgainstNumerical(f: (m: Matrix) => number, at: Matrix): void {
  const auto = grad(f)(at);
  const numeric = numericalGradient(f, at);
  closeMatrix(auto, numeric, 1e-6, 1e-5);
}

// A random weighting makes every entry's gradient different and non-trivial.
function weighted(op: (m: Matrix) => Matrix, c: Matrix): (m: Matrix) => number {
  return (m) => sum(mul(op(m), c));
}

// ------------------------------------------------- each primitive, numerically

const UNARY: [string, (m: Matrix) => Matrix, number, number][] = [
  ["sigmoid", sigmoid, -4, 4],
  ["tanh", tanh, -3, 3],
  ["exp", exp, -3, 3],
  ["log", log, 0.2, 5],
  ["softmax", softmax, -5, 5],
  ["transpose", transpose, -3, 3],
  ["scale", (m) => scale(m, -1.5), -3, 3],
];

for (const [name, op, min, max] of UNARY) {
  Deno.test(`grad of ${name} matches numericalGradient`, () => {
    fc.assert(
      fc.property(
        shape.chain(([r, c]) =>
          fc.tuple(
            arbMatrix(r, c, min, max),
            name === "transpose" ? arbMatrix(c, r) : arbMatrix(r, c),
          )
        ),
        ([m, c]) => checkAgainstNumerical(weighted(op, c), m),
      ),
      { numRuns: 40 },
    );
  });
}

Deno.test("grad of relu matches numericalGradient away from 0", () => {
  fc.assert(
    fc.property(
      shape.chain(([r, c]) => fc.tuple(arbNonZero(r, c), arbMatrix(r, c))),
      ([m, c]) => checkAgainstNumerical(weighted(relu, c), m),
    ),
    { numRuns: 40 },
  );
});

Deno.test("grad of relu is 0 at 0 and 1 above", () => {
  const g = grad((m: Matrix) => sum(relu(m)))(matrix([[-1, 0, 2]]));
  assert.deepEqual(toArray(g), [[0, 0, 1]]);
});

Deno.test("grad of sumAxis (both axes), sum and mean match numericalGradient", () => {
  fc.assert(
    fc.property(
      shape.chain(([r, c]) =>
        fc.tuple(arbMatrix(r, c), arbMatrix(1, c), arbMatrix(r, 1))
      ),
      ([m, row, col]) => {
        checkAgainstNumerical((v) => sum(mul(sumAxis(v, 0), row)), m);
        checkAgainstNumerical((v) => sum(mul(sumAxis(v, 1), col)), m);
        checkAgainstNumerical((v) => mean(mul(v, v)), m);
        checkAgainstNumerical((v) => sum(v), m);
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("grad of dot matches numericalGradient for both operands", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
      ).chain(([m, k, n]) =>
        fc.tuple(arbMatrix(m, k), arbMatrix(k, n), arbMatrix(m, n))
      ),
      ([a, b, c]) => {
        checkAgainstNumerical((v) => sum(mul(dot(v, b), c)), a);
        checkAgainstNumerical((v) => sum(mul(dot(a, v), c)), b);
        const g = grad((p: { a: Matrix; b: Matrix }) =>
          sum(mul(dot(p.a, p.b), c))
        )({ a, b });
        closeMatrix(g.a, numericalGradient((v) => sum(mul(dot(v, b), c)), a));
        closeMatrix(g.b, numericalGradient((v) => sum(mul(dot(a, v), c)), b));
      },
    ),
    { numRuns: 40 },
  );
});

// Every way two shapes broadcast: same, row, column, 1x1, on either side.
const BINARY: [string, (a: Matrix, b: Matrix) => Matrix][] = [
  ["add", add],
  ["sub", sub],
  ["mul", mul],
  ["div", div],
];

const broadcastPair = shape.chain(([r, c]) =>
  fc.constantFrom(
    [[r, c], [r, c]],
    [[r, c], [1, c]],
    [[r, c], [r, 1]],
    [[r, c], [1, 1]],
    [[1, c], [r, c]],
    [[r, 1], [1, c]],
    [[1, 1], [r, c]],
  ).chain(([[ar, ac], [br, bc]]) =>
    fc.tuple(
      arbMatrix(ar, ac),
      arbNonZero(br, bc),
      arbMatrix(Math.max(ar, br), Math.max(ac, bc)),
    )
  )
);

for (const [name, op] of BINARY) {
  Deno.test(`grad of ${name} with broadcasting matches numericalGradient, reduced to each operand's shape`, () => {
    fc.assert(
      fc.property(broadcastPair, ([a, b, c]) => {
        const g = grad((p: { a: Matrix; b: Matrix }) =>
          sum(mul(op(p.a, p.b), c))
        )(
          { a, b },
        );
        assert.deepEqual(g.a.shape, a.shape);
        assert.deepEqual(g.b.shape, b.shape);
        closeMatrix(g.a, numericalGradient((v) => sum(mul(op(v, b), c)), a));
        closeMatrix(g.b, numericalGradient((v) => sum(mul(op(a, v), c)), b));
      }),
      { numRuns: 60 },
    );
  });
}

Deno.test("grad of squaredError, mse and softmaxCrossEntropy matches numericalGradient for both arguments", () => {
  fc.assert(
    fc.property(
      shape.chain(([r, c]) =>
        fc.tuple(arbMatrix(r, c, -5, 5), arbMatrix(r, c, 0, 1))
      ),
      ([u, d]) => {
        for (const loss of [squaredError, mse, softmaxCrossEntropy]) {
          // The cross-entropy refuses labels that are not probability
          // columns (softmax makes some), and central differences must stay
          // within its tolerance of 1e-6 on their sums: steps of 1e-7.
          const cross = loss === softmaxCrossEntropy;
          const t = cross ? softmax(d) : d;
          const g = grad((p: { u: Matrix; d: Matrix }) => loss(p.u, p.d))({
            u,
            d: t,
          });
          closeMatrix(g.u, numericalGradient((v) => loss(v, t), u));
          // The one probability column of one row is [1]: it cannot move.
          if (cross && t.rows === 1) continue;
          closeMatrix(
            g.d,
            numericalGradient(
              (v) => loss(u, v),
              t,
              cross ? { epsilon: 1e-7 } : {},
            ),
          );
        }
      },
    ),
    { numRuns: 40 },
  );
});

// ------------------------------------------------- random compositions

type Step = { op: number; i: number; j: number };

/**
 * A random program over matrices of one shape r x c: each step combines
 * earlier values (so values are reused, and their gradients accumulate).
 */
function runProgram(
  steps: readonly Step[],
  p: { a: Matrix; b: Matrix },
  c: Matrix,
  end: number,
): number {
  const values: Matrix[] = [p.a, p.b];
  for (const { op, i, j } of steps) {
    const x = values[i % values.length];
    const y = values[j % values.length];
    let z: Matrix;
    switch (op) {
      case 0:
        z = add(x, y);
        break;
      case 1:
        z = sub(x, y);
        break;
      case 2:
        z = mul(x, y);
        break;
      case 3:
        z = tanh(x);
        break;
      case 4:
        z = sigmoid(x);
        break;
      case 5:
        z = exp(tanh(x));
        break;
      case 6:
        z = softmax(x);
        break;
      case 7:
        z = dot(dot(x, transpose(y)), tanh(x)); // r x r, then r x c
        break;
      case 8:
        z = add(x, sumAxis(y, 0)); // broadcast a row
        break;
      case 9:
        z = div(x, add(exp(y), exp(x)));
        break;
      case 10:
        z = log(add(exp(x), sigmoid(y)));
        break;
      default:
        z = scale(mul(x, sumAxis(y, 1)), 0.5); // broadcast a column
    }
    // Keep magnitudes moderate so central differences stay accurate.
    values.push(tanh(z));
  }
  const out = values[values.length - 1];
  switch (end) {
    case 0:
      return sum(mul(out, c));
    case 1:
      return mean(mul(out, c));
    case 2:
      return softmaxCrossEntropy(scale(out, 3), softmax(c));
    default:
      return squaredError(out, c);
  }
}

Deno.test("grad of random compositions matches numericalGradient", () => {
  fc.assert(
    fc.property(
      shape.chain(([r, c]) =>
        fc.tuple(
          arbMatrix(r, c, -2, 2),
          arbMatrix(r, c, -2, 2),
          arbMatrix(r, c),
          fc.array(
            fc.record({
              op: fc.integer({ min: 0, max: 11 }),
              i: fc.nat(20),
              j: fc.nat(20),
            }),
            { minLength: 1, maxLength: 8 },
          ),
          fc.integer({ min: 0, max: 3 }),
        )
      ),
      ([a, b, c, steps, end]) => {
        const f = (p: { a: Matrix; b: Matrix }) => runProgram(steps, p, c, end);
        const { value, grad: g } = valueAndGrad(f)({ a, b });
        assert.equal(value, f({ a, b }));
        closeMatrix(
          g.a,
          numericalGradient((v) => f({ a: v, b }), a),
          1e-6,
          1e-4,
        );
        closeMatrix(
          g.b,
          numericalGradient((v) => f({ a, b: v }), b),
          1e-6,
          1e-4,
        );
      },
    ),
    { numRuns: 60 },
  );
});

// ------------------------------------------------- the article

const W = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const B = matrix([[1.2], [3.4]]);
const X = matrix([[5], [2], [7]]);
const D = matrix([[1], [0]]);

type Perceptron = { w: Matrix; b: Matrix };

Deno.test("valueAndGrad of the article's loss gives its value and its gradient exactly", () => {
  const loss = (p: Perceptron) => squaredError(add(dot(p.w, X), p.b), D);
  const { value, grad: g } = valueAndGrad(loss)({ w: W, b: B });
  assert.equal(value, 113.28999999999999);
  // The article's gradient 2(u − d)·xᵀ, computed by numpy.
  assert.deepEqual(toArray(g.w), [
    [-48, -19.2, -67.2],
    [95, 38, 133],
  ]);
  assert.deepEqual(toArray(g.b), [[-9.6], [19]]);
  const analytic = gradient({ w: W, b: B }, { x: X, d: D });
  assert.deepEqual(toArray(g.w), toArray(analytic.w));
  assert.deepEqual(toArray(g.b), toArray(analytic.b));
});

Deno.test("the perceptron's forward can be differentiated, giving the analytic gradient", () => {
  const loss = (p: Perceptron) => squaredError(forward(p, X), D);
  const { value, grad: g } = valueAndGrad(loss)({ w: W, b: B });
  assert.equal(value, 113.28999999999999);
  const analytic = gradient({ w: W, b: B }, { x: X, d: D });
  assert.deepEqual(toArray(g.w), toArray(analytic.w));
  assert.deepEqual(toArray(g.b), toArray(analytic.b));
});

Deno.test("valueAndGrad of the article's loss equals the analytic gradient on random batches", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
      ).chain(([r, k, n]) =>
        fc.tuple(
          arbMatrix(r, k),
          arbMatrix(r, 1),
          arbMatrix(k, n),
          arbMatrix(r, n),
        )
      ),
      ([w, b, x, d]) => {
        const { value, grad: g } = valueAndGrad((p: Perceptron) =>
          squaredError(add(dot(p.w, x), p.b), d)
        )({ w, b });
        const analytic = gradient({ w, b }, { x, d });
        assert.equal(value, squaredError(forward({ w, b }, x), d));
        closeMatrix(g.w, analytic.w, 1e-12, 1e-12);
        closeMatrix(g.b, analytic.b, 1e-12, 1e-12);
      },
    ),
    { numRuns: 100 },
  );
});

// ------------------------------------------------- where small engines go wrong

Deno.test("a value used twice accumulates its gradient", () => {
  const v = matrix([[1, -2, 3]]);
  assert.deepEqual(toArray(grad((m: Matrix) => sum(mul(m, m)))(v)), [[
    2,
    -4,
    6,
  ]]);
  assert.deepEqual(toArray(grad((m: Matrix) => sum(add(m, m)))(v)), [[
    2,
    2,
    2,
  ]]);
  // Used in two branches that meet again later.
  const g = grad((m: Matrix) => {
    const t = tanh(m);
    return sum(add(mul(t, m), scale(t, 2)));
  })(v);
  closeMatrix(
    g,
    numericalGradient((m) => sum(add(mul(tanh(m), m), scale(tanh(m), 2))), v),
  );
});

Deno.test("a parameter that appears twice gets a gradient in each place", () => {
  const m = matrix([[2, 3]]);
  const g = grad((p: { a: Matrix; b: Matrix }) => sum(mul(p.a, mul(p.b, p.b))))(
    { a: m, b: m },
  );
  assert.deepEqual(toArray(g.a), [[4, 9]]); // b²
  assert.deepEqual(toArray(g.b), [[8, 18]]); // 2ab
});

Deno.test("matrices captured from outside f are constants", () => {
  const c = matrix([[2, 3]]);
  const g = grad((p: Matrix) => sum(mul(p, c)))(c);
  assert.deepEqual(toArray(g), [[2, 3]]); // not 2c
});

Deno.test("broadcasting reduces gradients back to the operand's shape", () => {
  const y = matrix([[1, 2, 3], [4, 5, 6]]);
  const b = matrix([[10], [20]]);
  const g = grad((p: { y: Matrix; b: Matrix }) => sum(add(p.y, p.b)))({
    y,
    b,
  });
  assert.deepEqual(toArray(g.b), [[3], [3]]);
  assert.deepEqual(toArray(g.y), [[1, 1, 1], [1, 1, 1]]);
  const row = matrix([[1, 2, 3]]);
  const gr = grad((r: Matrix) => sum(mul(y, r)))(row);
  assert.deepEqual(toArray(gr), [[5, 7, 9]]);
  const one = matrix([[2]]);
  const g1 = grad((s: Matrix) => sum(mul(s, y)))(one);
  assert.deepEqual(toArray(g1), [[21]]);
});

Deno.test("calling the gradient twice gives the same answer, and nothing is mutated", () => {
  fc.assert(
    fc.property(
      shape.chain(([r, c]) => fc.tuple(arbMatrix(r, c), arbMatrix(r, c))),
      ([a, b]) => {
        const before = [toArray(a), toArray(b)];
        const params = Object.freeze({ a, b });
        const f = (p: { a: Matrix; b: Matrix }) =>
          softmaxCrossEntropy(mul(p.a, sigmoid(p.b)), softmax(p.b));
        const vg = valueAndGrad(f);
        const first = vg(params);
        const second = vg(params);
        assert.equal(first.value, second.value);
        assert.deepEqual(toArray(first.grad.a), toArray(second.grad.a));
        assert.deepEqual(toArray(first.grad.b), toArray(second.grad.b));
        assert.deepEqual([toArray(a), toArray(b)], before);
        assert.equal(params.a, a);
        assert.ok(Object.isFrozen(first.grad));
      },
    ),
    { numRuns: 30 },
  );
});

Deno.test("grad keeps the structure of nested records and arrays", () => {
  const params = {
    layers: [{ w: matrix([[1, 2]]), b: matrix([[3]]) }],
    scale: matrix([[2]]),
  };
  const g = grad((p: typeof params) =>
    sum(
      mul(add(dot(p.layers[0].w, matrix([[1], [1]])), p.layers[0].b), p.scale),
    )
  )(params);
  assert.deepEqual(Object.keys(g), ["layers", "scale"]);
  assert.ok(Array.isArray(g.layers));
  assert.deepEqual(toArray(g.layers[0].w), [[2, 2]]);
  assert.deepEqual(toArray(g.layers[0].b), [[2]]);
  assert.deepEqual(toArray(g.scale), [[6]]);
});

Deno.test("an unused parameter gets a zero gradient", () => {
  const g = grad((p: { a: Matrix; b: Matrix }) => sum(p.a))({
    a: matrix([[1]]),
    b: matrix([[1, 2]]),
  });
  assert.deepEqual(toArray(g.b), [[0, 0]]);
});

Deno.test("f may return a 1x1 Matrix", () => {
  const { value, grad: g } = valueAndGrad((m: Matrix) =>
    sumAxis(sumAxis(mul(m, m), 0), 1)
  )(matrix([[1, 2], [3, 4]]));
  assert.equal(value, 30);
  assert.deepEqual(toArray(g), [[2, 4], [6, 8]]);
});

Deno.test("softmaxCrossEntropy is stable for logits of ±1000, in value and gradient", () => {
  const z = matrix([[1000, -1000, 3], [-1000, 1000, 1], [0, 500, 2]]);
  const labels = matrix([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  const { value, grad: g } = valueAndGrad((m: Matrix) =>
    softmaxCrossEntropy(m, labels)
  )(z);
  // Golden numbers from numpy (log-sum-exp with the max subtracted).
  close(value, 167.46920198814811, { atol: 0, rtol: 1e-15, message: "loss" });
  closeMatrix(
    g,
    matrix([
      [0, 0, 0.22174698525827388],
      [0, 0.3333333333333333, -0.30332314227653984],
      [0, -0.3333333333333333, 0.08157615701826586],
    ]),
    1e-15,
    1e-14,
  );
});

// ------------------------------------------------- clear refusals

Deno.test("map cannot be differentiated and says so", () => {
  assert.throws(
    () => grad((m: Matrix) => sum(map(m, (v) => v * v)))(matrix([[1]])),
    (e: unknown) =>
      e instanceof TypeError && /map\(m, f\)/.test(e.message) &&
      /differentiable ops/.test(e.message),
  );
  // map on a constant inside f is fine.
  const g = grad((m: Matrix) => sum(mul(m, map(matrix([[2]]), (v) => v + 1))))(
    matrix([[1]]),
  );
  assert.deepEqual(toArray(g), [[3]]);
});

Deno.test("combining results with JavaScript arithmetic is refused clearly", () => {
  const p = { a: matrix([[1, 2]]), b: matrix([[3]]) };
  assert.throws(
    () => grad((q: typeof p) => sum(q.a) + sum(q.b))(p),
    (e: unknown) =>
      e instanceof TypeError && /returned 6/.test(e.message) &&
      /keepdims: true/.test(e.message),
  );
  assert.throws(() => grad((q: typeof p) => 2 * sum(q.a))(p), TypeError);
  assert.throws(() => grad(() => 1)(p), TypeError);
});

Deno.test("bad functions, results and parameters are refused clearly", () => {
  assert.throws(() => grad(42 as never), /Expected f of grad\(f\)/);
  assert.throws(
    () => valueAndGrad(null as never),
    /Expected f of valueAndGrad/,
  );
  const m = matrix([[1, 2]]);
  assert.throws(
    () => grad((v: Matrix) => mul(v, v))(m),
    /must return a number or a 1x1 Matrix, got a 1x2 Matrix/,
  );
  assert.throws(
    () => grad((_v: Matrix) => "x" as never)(m),
    /got the string "x"/,
  );
  assert.throws(
    // deno-lint-ignore require-await
    () => grad((async (v: Matrix) => sum(v)) as never)(m),
    /promise/,
  );
  assert.throws(() => grad((v: Matrix) => sum(v))(3 as never), TypeError);
  assert.throws(
    () => grad((v: { a: Matrix }) => sum(v.a))({ a: m, n: 3 } as never),
    /params\.n of grad/,
  );
  assert.throws(
    () => grad((v: Matrix) => sum(v))(new Date() as never),
    /another class/,
  );
});

Deno.test("nested gradients are refused, and the tape is cleaned up after errors", () => {
  const m = matrix([[1, 2]]);
  assert.throws(
    () => grad((v: Matrix) => sum(mul(v, grad((u: Matrix) => sum(u))(v))))(m),
    /nested gradients/,
  );
  assert.equal(activeTape, null);
  assert.throws(() =>
    grad((v: Matrix) => {
      sum(v);
      throw new Error("boom");
    })(m), /boom/);
  assert.equal(activeTape, null);
  assert.deepEqual(toArray(grad((v: Matrix) => sum(v))(m)), [[1, 1]]);
});

Deno.test("a gradient that overflows is refused", () => {
  // Σ 1e300·log(v) is finite at v = 1e-300, its gradient 1e300/v is not.
  assert.throws(
    () => grad((v: Matrix) => sum(scale(log(v), 1e300)))(matrix([[1e-300]])),
    (e: unknown) => e instanceof RangeError && /the gradient/.test(e.message),
  );
});
