// The op design: defineOp, checkGrads, the tape keyed by the op, 1x1 results
// from reductions, and the three known faults kept as regression tests.
import assert from "node:assert/strict";
import fc from "fast-check";
import { close, finite } from "./_helpers.ts";
import {
  add,
  checkGrads,
  defineOp,
  dot,
  grad,
  leakyRelu,
  log,
  logSoftmax,
  map,
  type Matrix,
  matrix,
  mean,
  mse,
  mul,
  numericalGradient,
  relu,
  scale,
  softmax,
  softmaxCrossEntropy,
  softplus,
  squaredError,
  sub,
  sum,
  toArray,
  valueAndGrad,
} from "../mod.ts";

const cube = (backward: (g: Matrix, x: Matrix) => Matrix) =>
  defineOp({
    name: "cube",
    forward: (x: Matrix) => map(x, (v) => v ** 3),
    backward: (g, { args: [x] }) => backward(g, x),
  });
const rightCube = cube((g, x) => mul(g, scale(mul(x, x), 3)));
const wrongCube = cube((g, x) => mul(g, scale(x, 2)));

Deno.test("defineOp: a user's op works under grad like a built-in one", () => {
  const x = matrix([[1, -2, 0.5]]);
  // d/dx Σ x³ = 3x², by hand: [3, 12, 0.75].
  assert.deepEqual(toArray(grad((p: Matrix) => sum(rightCube(p)))(x)), [[
    3,
    12,
    0.75,
  ]]);
  // Composed with built-in ops on both sides: d/dw Σ (w·x)³ for w 1x2.
  const w = matrix([[0.5, -1]]);
  const xs = matrix([[1, 2], [3, -1]]);
  const f = (p: Matrix) => sum(rightCube(dot(p, xs)));
  close(grad(f)(w), numericalGradient(f, w), { rtol: 1e-7, atol: 1e-9 });
  // Outside grad it is a plain function.
  assert.deepEqual(toArray(rightCube(matrix([[2]]))), [[8]]);
});

Deno.test("defineOp: saved context reaches the backward; non-matrix arguments pass through", () => {
  // y = k·x with k a number argument and a saved mask.
  const masked = defineOp({
    name: "maskedScale",
    forward: (x: Matrix, k: number) => {
      const mask = toArray(x).map((r) => r.map((v) => (v > 0 ? 1 : 0)));
      return {
        output: mul(scale(x, k), matrix(mask)),
        saved: matrix(mask),
      };
    },
    backward: (g, { args: [, k], saved, needs }) => {
      assert.deepEqual(needs, [true, false]);
      return [mul(scale(g, k), saved), null];
    },
  });
  const x = matrix([[1, -2, 3]]);
  assert.deepEqual(toArray(grad((p: Matrix) => sum(masked(p, 5)))(x)), [[
    5,
    0,
    5,
  ]]);
});

Deno.test("defineOp: bad specs and bad backward results are refused clearly", () => {
  assert.throws(() => defineOp(null as never), /spec of defineOp/);
  assert.throws(
    () => defineOp({ name: "", forward: (x: Matrix) => x, backward: (g) => g }),
    /spec\.name of defineOp/,
  );
  assert.throws(
    () =>
      defineOp({
        name: "f",
        forward: (x: Matrix) => x,
        backward: (g: Matrix) => g,
        vjp: 1,
      } as never),
    /Unknown key "vjp"/,
  );
  assert.throws(
    () =>
      defineOp({ name: "f", forward: 1, backward: (g: Matrix) => g } as never),
    /spec\.forward of defineOp/,
  );
  const badShape = defineOp({
    name: "badShape",
    forward: (x: Matrix) => x,
    backward: () => matrix([[1, 2, 3]]),
  });
  assert.throws(
    () => grad((p: Matrix) => sum(badShape(p)))(matrix([[1]])),
    (e: unknown) =>
      e instanceof TypeError && /op "badShape"/.test(e.message) &&
      /1x1 Matrix/.test(e.message),
  );
  const badForward = defineOp({
    name: "badForward",
    forward: (_x: Matrix) => 3 as never,
    backward: (g) => g,
  });
  assert.throws(() => badForward(matrix([[1]])), /forward of op "badForward"/);
});

Deno.test("checkGrads: a wrong backward is caught, a right one passes", () => {
  const x = matrix([[0.5, -1.5, 2], [1, 0.25, -0.75]]);
  const worst = checkGrads((p: Matrix) => sum(rightCube(p)), x);
  assert.ok(worst < 1e-6, `worst ${worst}`);
  assert.throws(
    () => checkGrads((p: Matrix) => sum(wrongCube(p)), x),
    (e: unknown) =>
      e instanceof RangeError && /for params along direction/.test(e.message) &&
      /grad gives -?\d/.test(e.message) &&
      /central differences give -?\d/.test(e.message),
  );
  // The parameter is named by its path in the tree.
  assert.throws(
    () =>
      checkGrads(
        (p: { layers: { w: Matrix }[] }) => sum(wrongCube(p.layers[1].w)),
        { layers: [{ w: x }, { w: x }] },
      ),
    /for layers\[1\]\.w along/,
  );
});

Deno.test("checkGrads: every built-in op passes at random smooth points", () => {
  fc.assert(
    fc.property(
      fc.array(finite(2), { minLength: 6, maxLength: 6 }),
      fc.integer({ min: 0, max: 1000 }),
      (v, seed) => {
        const a = matrix([v.slice(0, 3), v.slice(3)]);
        const d = matrix([[1, 0, 0], [0, 1, 1]]);
        const fs: ((p: Matrix) => number | Matrix)[] = [
          (p) => sum(mul(p, p)),
          (p) => softmaxCrossEntropy(p, d),
          (p) => sum(softmax(p), { keepdims: true }),
          (p) => sum(mul(logSoftmax(p), d)),
          (p) => sum(softplus(p)),
          (p) => mean(mul(p, sub(p, matrix([[1]])))),
          (p) => mse(p, d),
          (p) => squaredError(p, d, { keepdims: true }),
        ];
        for (const f of fs) {
          assert.ok(checkGrads(f, a, { seed }) < 1e-5);
        }
      },
    ),
    { seed: 20261129, numRuns: 40 },
  );
});

Deno.test("checkGrads: kinks behave as documented", () => {
  // Away from 0, relu and leakyRelu pass; at exactly 0 the central difference
  // averages the two slopes and the check reports it.
  const away = matrix([[0.5, -0.7, 1.2]]);
  assert.ok(checkGrads((p: Matrix) => sum(relu(p)), away) < 1e-8);
  assert.ok(checkGrads((p: Matrix) => sum(leakyRelu(p)), away) < 1e-8);
  assert.throws(
    () => checkGrads((p: Matrix) => sum(relu(p)), matrix([[0]])),
    RangeError,
  );
});

Deno.test("checkGrads: options are checked", () => {
  const x = matrix([[1]]);
  const f = (p: Matrix) => sum(p);
  assert.throws(() => checkGrads(f, x, { directions: 0 }), RangeError);
  assert.throws(() => checkGrads(f, x, { step: "a" as never }), TypeError);
  assert.throws(
    () => checkGrads(f, x, { tol: 1 } as never),
    /Unknown option "tol"/,
  );
  assert.throws(() => checkGrads(1 as never, x), /f of checkGrads/);
  assert.throws(
    () => checkGrads((p: Matrix) => p, matrix([[1, 2]])),
    TypeError,
  );
});

// Fault 1: loss lost at large logits.
Deno.test("regression: softmaxCrossEntropy keeps ln 2 at logits of 1e16", () => {
  // numpy: z - z.max(0) - log(exp(z - z.max(0)).sum(0)) gives [-ln 2, -ln 2].
  const z = matrix([[1e16], [1e16]]);
  assert.equal(softmaxCrossEntropy(z, matrix([[1], [0]])), 0.6931471805599453);
  assert.deepEqual(toArray(logSoftmax(z)), [[-Math.LN2], [-Math.LN2]]);
  // Every log-sum-exp lets the maximum cancel: logits shifted by 1e16 give
  // the same loss as unshifted ones, to rounding of the shift itself.
  close(
    softmaxCrossEntropy(matrix([[3e16], [3e16 + 4]]), matrix([[0], [1]])),
    Math.log1p(Math.exp(-4)),
    { rtol: 1e-12 },
  );
});

Deno.test("regression: logSoftmax and softplus are stable at ±1000 and beyond", () => {
  // log(softmax(z)) takes the log of 0 at z = [0, −1000] and throws.
  assert.throws(() => log(softmax(matrix([[0], [-1000]]))), RangeError);
  assert.deepEqual(toArray(logSoftmax(matrix([[0], [-1000]]))), [[0], [
    -1000,
  ]]);
  assert.deepEqual(toArray(softplus(matrix([[1e300, -1e300, 0]]))), [[
    1e300,
    0,
    Math.LN2,
  ]]);
  // softplus(−40) = log1p(e^−40) ≈ e^−40, not 0.
  close(softplus(matrix([[-40]])), [[Math.exp(-40)]], { rtol: 1e-15 });
  // Their gradients stay finite out there too.
  const g = grad((p: Matrix) => sum(softplus(p)))(matrix([[1000, -1000]]));
  assert.deepEqual(toArray(g), [[1, 0]]);
});

// Fault 2: a silently wrong gradient.
Deno.test("regression: an ambiguous returned number is refused, never guessed", () => {
  const f = (v: Matrix) => {
    const l = sum(mul(v, v));
    sum(v);
    return l;
  };
  assert.throws(
    () => grad(f)(matrix([[1]])),
    (e: unknown) =>
      e instanceof TypeError && /more than one traced op/.test(e.message) &&
      /1x1 Matrix/.test(e.message),
  );
  // The same function returning a 1x1 Matrix gives the right value, [[2]].
  const g = (v: Matrix) => {
    const l = sum(mul(v, v), { keepdims: true });
    sum(v);
    return l;
  };
  assert.deepEqual(toArray(grad(g)(matrix([[1]]))), [[2]]);
});

Deno.test("a loss plus a weight-decay term, combined as 1x1 matrices", () => {
  const w = matrix([[0.5, -1], [2, 0.25]]);
  const x = matrix([[1], [2]]);
  const d = matrix([[1], [0]]);
  const lambda = 0.1;
  const f = (p: Matrix) =>
    add(
      squaredError(dot(p, x), d, { keepdims: true }),
      scale(sum(mul(p, p), { keepdims: true }), lambda),
    );
  const { value, grad: gw } = valueAndGrad(f)(w);
  // By hand: u = w·x = [-1.5, 2.5]; u − d = [-2.5, 2.5];
  // loss = 6.25 + 6.25 + 0.1·(0.25 + 1 + 4 + 0.0625) = 13.03125;
  // ∂ = 2(u − d)·xᵀ + 2λw.
  close(value, 13.03125, { rtol: 1e-15 });
  close(gw, [[-5 + 0.1, -10 - 0.2], [5 + 0.4, 10 + 0.05]], { rtol: 1e-14 });
  assert.equal(
    sum(matrix([[1, 2]]), { keepdims: true }).shape.join("x"),
    "1x1",
  );
  assert.throws(
    () => sum(w, { keepdims: 1 } as never),
    /options\.keepdims of sum/,
  );
  assert.throws(() => sum(w, { keep: true } as never), /Unknown option "keep"/);
});

// Fault 3: an engine message escapes.
Deno.test("regression: parameters nested 10,000 deep get a message of our own", () => {
  let deep: unknown = matrix([[1]]);
  for (let i = 0; i < 10_000; i++) deep = [deep];
  for (
    const call of [
      () => grad((_p: unknown) => 0 as never)(deep as never),
      () => valueAndGrad((_p: unknown) => 0 as never)(deep as never),
    ]
  ) {
    assert.throws(
      call,
      (e: unknown) =>
        e instanceof RangeError && /levels deep/.test(e.message) &&
        !/call stack/.test(e.message),
    );
  }
});
