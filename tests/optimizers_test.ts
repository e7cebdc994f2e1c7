import assert from "node:assert/strict";
import fc from "fast-check";
import {
  adam,
  forward,
  gradient,
  type Matrix,
  matrix,
  momentum,
  type Optimizer,
  sgd,
  squaredError,
  toArray,
} from "../mod.ts";

const W = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const B = matrix([[1.2], [3.4]]);
const X = matrix([[5], [2], [7]]);
const D = matrix([[1], [0]]);

Deno.test("sgd reproduces the article's one step exactly", () => {
  const opt = sgd(0.01);
  const g = gradient({ w: W, b: B }, { x: X, d: D });
  const { params, state } = opt.update(
    { w: W },
    { w: g.w },
    opt.init({ w: W }),
  );
  // numpy: w - 0.01 * gradient
  assert.deepEqual(toArray(params.w), [
    [0.48, 0.492, -0.128],
    [0.04999999999999993, -1.58, -0.8300000000000001],
  ]);
  assert.equal(squaredError(forward({ w: params.w, b: B }, X), D), 35.527744);
  assert.equal(state.step, 1);
});

Deno.test("sgd reproduces the article's 100 steps", () => {
  // The article's loop, each step through sgd: the loss at step 90 and the
  // final weights, as numpy prints them.
  const opt = sgd(0.0001);
  let w = W;
  let state = opt.init(w);
  let at90 = 0;
  for (let step = 0; step < 100; step++) {
    if (step === 90) at90 = squaredError(forward({ w, b: B }, X), D);
    ({ params: w, state } = opt.update(
      w,
      gradient({ w, b: B }, { x: X, d: D }).w,
      state,
    ));
  }
  assert.equal(at90, 6.684677848179767);
  assert.equal(squaredError(forward({ w, b: B }, X), D), 4.881042430391056);
  assert.deepEqual(toArray(w), [
    [0.24382521572023902, 0.3975300862880955, -0.45864469799166563],
    [0.5174292605536935, -1.3930282957785218, -0.17559903522482878],
  ]);
});

const G = [
  matrix([[0.1, -0.2], [0.3, 0.4]]),
  matrix([[-0.5, 0.25], [1.0, 0.0]]),
  matrix([[2.0, -1.0], [0.0, 0.125]]),
];
const P0 = matrix([[1.0, -2.0], [0.5, 3.0]]);

function run(opt: Optimizer): Matrix {
  let p = P0;
  let state = opt.init(p);
  for (const g of G) ({ params: p, state } = opt.update(p, g, state));
  return p;
}

function closeAll(actual: Matrix, expected: number[][], rtol: number): void {
  const a = toArray(actual).flat();
  expected.flat().forEach((e, i) =>
    assert.ok(
      Math.abs(a[i] - e) <= rtol * Math.abs(e),
      `entry ${i}: ${a[i]} differs from ${e}`,
    )
  );
}

Deno.test("momentum and adam follow their formulas (golden numbers from numpy)", () => {
  closeAll(run(momentum(0.1, { beta: 0.9 })), [
    [0.8678999999999999, -1.8933],
    [0.22869999999999996, 2.8790999999999998],
  ], 1e-15);
  closeAll(run(adam(0.1)), [
    [0.9093533659698858, -1.8592630391487281],
    [0.2395016291298231, 2.7644890444788963],
  ], 1e-15);
});

// A convex quadratic Σ a ⊙ (p − c)², a > 0, and its gradient 2a ⊙ (p − c).
function quadratic(a: number[], c: number[], p: number[]): number {
  return p.reduce((s, v, i) => s + a[i] * (v - c[i]) ** 2, 0);
}

const OPTIMIZERS: [string, () => Optimizer][] = [
  ["sgd", () => sgd(0.05)],
  ["momentum", () => momentum(0.02)],
  ["adam", () => adam(0.05)],
];

for (const [name, make] of OPTIMIZERS) {
  Deno.test(`${name} lowers a convex quadratic`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.tuple(
            fc.array(fc.double({ min: 0.1, max: 4, noNaN: true }), {
              minLength: n,
              maxLength: n,
            }),
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
              minLength: n,
              maxLength: n,
            }),
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
              minLength: n,
              maxLength: n,
            }),
          )
        ),
        ([a, c, start]) => {
          fc.pre(quadratic(a, c, start) > 1e-3);
          const opt = make();
          let p = matrix([start]);
          let state = opt.init(p);
          const first = quadratic(a, c, start);
          for (let step = 0; step < 200; step++) {
            const pv = toArray(p)[0];
            const g = matrix([pv.map((v, i) => 2 * a[i] * (v - c[i]))]);
            ({ params: p, state } = opt.update(p, g, state));
          }
          const last = quadratic(a, c, toArray(p)[0]);
          assert.ok(last < first / 10, `${last} is not well below ${first}`);
        },
      ),
      { numRuns: 50 },
    );
  });
}

for (const [name, make] of OPTIMIZERS) {
  Deno.test(`${name} never mutates its state, parameters or gradients`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
          minLength: 3,
          maxLength: 3,
        }),
        (pv, gv) => {
          const opt = make();
          const params = { w: matrix([pv]), b: [matrix([[pv[0]]])] };
          const grads = { w: matrix([gv]), b: [matrix([[gv[1]]])] };
          let state = opt.init(params);
          // Take one step first so the slots are not all zero.
          state = opt.update(params, grads, state).state;
          const snapshot = JSON.stringify({ params, grads, state });
          const a = opt.update(params, grads, state);
          const b = opt.update(params, grads, state);
          assert.equal(JSON.stringify({ params, grads, state }), snapshot);
          // Pure: the same inputs give the same outputs.
          assert.equal(JSON.stringify(a), JSON.stringify(b));
          assert.equal(a.state.step, state.step + 1);
          assert.ok(Object.isFrozen(a.state) && Object.isFrozen(a.params));
          assert.ok(Array.isArray(a.params.b));
        },
      ),
      { numRuns: 30 },
    );
  });
}

Deno.test("optimizers refuse bad settings and mismatched inputs clearly", () => {
  assert.throws(() => sgd(0), /learningRate of sgd\(learningRate, options\)/);
  assert.throws(() => sgd("0.1" as never), TypeError);
  assert.throws(() => momentum(0.1, { beta: 1 }), /options\.beta/);
  assert.throws(() => adam(0.1, { beta2: -0.1 }), /options\.beta2/);
  assert.throws(() => adam(0.1, { epsilon: 0 }), /options\.epsilon/);
  const opt = adam(0.1);
  const p = matrix([[1, 2]]);
  const state = opt.init(p);
  assert.throws(
    () => opt.update(p, matrix([[1], [2]]), state),
    /matrix 0 is 1x2 in params but 2x1 in grads/,
  );
  assert.throws(() => opt.update(p, p, {} as never), /state\.step of adam/);
  assert.throws(
    () => opt.update(p, p, sgd().init(p) as never),
    /slot "m"/,
  );
  assert.throws(
    () => sgd(1e300).update(matrix([[1e10]]), matrix([[1e300]]), sgd().init(p)),
    /diverged/,
  );
});

// ------------------------------------------------- found by fuzz_test.ts

Deno.test("optimizers keep a key named __proto__ as a plain key, and check their state's fields", () => {
  const opt = adam(0.1);
  const params = JSON.parse('{"__proto__": 0, "w": 0}');
  params.w = W;
  Object.defineProperty(params, "__proto__", {
    value: B,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  const state = opt.init(params);
  assert.equal(Object.getPrototypeOf(state.slots.m), Object.prototype);
  assert.deepEqual(Object.keys(state.slots.m), ["__proto__", "w"]);
  const { params: next } = opt.update(params, params, state);
  assert.deepEqual(Object.keys(next), ["__proto__", "w"]);
  assert.equal(Object.getPrototypeOf(next), Object.prototype);

  const p = matrix([[1, 2]]);
  assert.throws(
    () => opt.update(p, p, { step: 0.5, slots: opt.init(p).slots }),
    (e: unknown) =>
      e instanceof RangeError && /state\.step of adam/.test(e.message),
  );
  assert.throws(
    () => opt.update(p, p, { step: 0, slots: null as never }),
    (e: unknown) =>
      e instanceof TypeError && /state\.slots of adam/.test(e.message),
  );
  assert.throws(
    () => opt.update(p, p, [] as never),
    (e: unknown) => e instanceof TypeError && /state of adam/.test(e.message),
  );
  assert.throws(
    () => opt.update(p, p, { step: "1", slots: opt.init(p).slots } as never),
    (e: unknown) =>
      e instanceof TypeError && /state\.step of adam/.test(e.message),
  );
  assert.throws(
    () => sgd().update(p, p, { step: Number.MAX_SAFE_INTEGER, slots: {} }),
    (e: unknown) =>
      e instanceof RangeError && /state\.step of sgd/.test(e.message),
  );
  assert.throws(
    () => opt.update(p, p, { step: 0, slots: { m: p, v: matrix([[1]]) } }),
    /matrix 0 is 1x2 in params but 1x1 in state\.slots\.v/,
  );
  assert.throws(
    () => momentum(0.1, { betta: 0.5 } as never),
    /Unknown option "betta"/,
  );
  assert.throws(() => adam(0.1, 5 as never), /options of adam\(/);
});

Deno.test("adam refuses a state that would overflow even when the parameters stay finite", () => {
  // g² overflows, so v would be Infinity while p − lr·m̂/(√v̂ + ε) stays p.
  const opt = adam(0.1);
  const p = matrix([[1]]);
  assert.throws(
    () => opt.update(p, matrix([[1e200]]), opt.init(p)),
    (e: unknown) =>
      e instanceof RangeError && /adam\(.*update\(params/.test(e.message) &&
      /state/.test(e.message),
  );
});
