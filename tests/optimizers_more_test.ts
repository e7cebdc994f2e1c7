// The optimizers of ゼロから作るDeep Learning chapter 6 and PyTorch: published
// update rules on fixed steps (expected values from numpy), schedules,
// clipping, and the two forms of weight decay side by side.
import assert from "node:assert/strict";
import fc from "fast-check";
import { close } from "./_helpers.ts";
import {
  adagrad,
  adam,
  adamw,
  add,
  clipByGlobalNorm,
  cosineDecay,
  globalNorm,
  grad,
  l2Penalty,
  type Matrix,
  matrix,
  momentum,
  mul,
  nesterov,
  type Optimizer,
  rmsprop,
  sgd,
  stepDecay,
  sum,
  toArray,
} from "../mod.ts";

// f(x, y) = x²/20 + y², the book's figure 6-2 function; ∇f = (x/10, 2y).
const f = (p: Matrix) => sum(mul(mul(p, p), matrix([[1 / 20, 1]])));
const gradient = (p: Matrix) => {
  const [[x, y]] = toArray(p);
  return matrix([[x / 10, 2 * y]]);
};

function path(opt: Optimizer, steps = 3): number[][] {
  let params = matrix([[-7, 2]]);
  let state = opt.init(params);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    ({ params, state } = opt.update(params, gradient(params), state));
    out.push(toArray(params)[0]);
  }
  return out;
}

Deno.test("nesterov, adagrad, rmsprop and adamw follow the published rules (numpy)", () => {
  // python3 /tmp/opt_ref.py — numpy, 3 steps from (−7, 2) on ∇f = (x/10, 2y):
  //   nesterov: v = βv + g; p −= lr·(g + βv)            (PyTorch nesterov=True)
  //   adagrad:  h += g²;  p −= lr·g/(√h + 1e-7)          (the book's AdaGrad)
  //   rmsprop:  h = ρh + (1 − ρ)g²; p −= lr·g/(√h + 1e-7) (ρ = 0.99)
  //   adamw:    p −= lr·λp + lr·m̂/(√v̂ + 1e-8)           (PyTorch AdamW)
  const cases: [Optimizer, number[][]][] = [
    [nesterov(0.1, { beta: 0.9 }), [[-6.867, 1.24], [-6.679827, 0.4448], [
      -6.446257587000001,
      -0.216704,
    ]]],
    [adagrad(1.5), [[-5.500000214285683, 0.5000000374999991], [
      -4.573267968164272,
      0.13619658308878757,
    ], [-3.887842338970987, 0.03731457049652155]]],
    [rmsprop(0.1), [[-6.000001428569388, 1.000000249999938], [
      -5.347326716177816,
      0.5509870061178768,
    ], [-4.842635119547288, 0.3096875835647558]]],
    [adamw(0.3, { weightDecay: 0.01 }), [[-6.679000004285714, 1.69400000075], [
      -6.359412486093713,
      1.3912332670441627,
    ], [-6.041562159459955, 1.0939352550199788]]],
  ];
  for (const [opt, expected] of cases) {
    close(path(opt), expected, { rtol: 1e-13, message: opt.name });
  }
});

Deno.test("every optimizer lowers random convex quadratics", () => {
  const makers: ((lr: number) => Optimizer)[] = [
    (lr) => sgd(lr),
    (lr) => momentum(lr),
    (lr) => nesterov(lr),
    (lr) => adagrad(lr),
    (lr) => rmsprop(lr),
    (lr) => adam(lr),
    (lr) => adamw(lr),
    (lr) => clipByGlobalNorm(adam(lr), 1),
  ];
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), {
        minLength: 3,
        maxLength: 3,
      }),
      // Away from the minimum: an adaptive optimizer's step is about the
      // learning rate whatever the gradient, so from within one step of the
      // minimum it overshoots (see the regression below).
      fc.array(
        fc.double({ min: 0.5, max: 5, noNaN: true }).chain((v) =>
          fc.constantFrom(v, -v)
        ),
        {
          minLength: 3,
          maxLength: 3,
        },
      ),
      (curvature, start) => {
        const c = matrix([curvature]);
        const loss = (p: Matrix) => sum(mul(c, mul(p, p)));
        for (const make of makers) {
          const opt = make(0.01);
          let params = matrix([start]);
          let state = opt.init(params);
          const before = loss(params);
          for (let t = 0; t < 50; t++) {
            ({ params, state } = opt.update(params, grad(loss)(params), state));
          }
          assert.ok(
            loss(params) <= before,
            `${opt.name}: ${loss(params)} > ${before}`,
          );
        }
      },
    ),
    { seed: 11, numRuns: 40 },
  );
});

Deno.test("regression: where |g| is below ε, adam's step is lr·g/ε and grows the parameter", () => {
  // Found by the property above: curvature 0.1, start [0, 0, 1.11e-321].
  // There g² underflows, v̂ = 0, and Adam's step lr·m̂/(√v̂ + ε) becomes
  // lr·g/ε, 2e5 times the gradient step here: the parameter grows until √v̂
  // is no longer below ε. PyTorch's Adam does the same; sgd stays put.
  const c = matrix([[0.1]]);
  const loss = (w: Matrix) => sum(mul(c, mul(w, w)));
  const p = matrix([[1.11e-321]]);
  const g = grad(loss)(p);
  const [[gv]] = toArray(g);
  const a = adam(0.01);
  const first = a.update(p, g, a.init(p));
  // lr·g/ε is about 2.2e-316 (subnormal rounding makes it 4.9e-316 here):
  // the first step alone multiplies |p| by more than 1e4.
  const [[after]] = toArray(first.params);
  assert.ok(
    after < 0 && -after > 1e4 * 1.11e-321 && -after < 1e3 * 0.01 * gv / 1e-8,
  );
  let params = p, state = a.init(p);
  for (let t = 0; t < 50; t++) {
    ({ params, state } = a.update(params, grad(loss)(params), state));
  }
  const grown = Math.abs(toArray(params)[0][0]);
  assert.ok(grown > 1e-200 && grown < 1e-90, String(grown));
  const s = sgd(0.01);
  assert.ok(
    Math.abs(toArray(s.update(p, g, s.init(p)).params)[0][0]) <= 1.11e-321,
  );
});

Deno.test("weight decay as a loss term and as sgd's option give the same step", () => {
  const p = matrix([[0.5, -2], [1, 3]]);
  const data = matrix([[1, 0.5], [-1, 2]]);
  const lambda = 0.1;
  const plain = (w: Matrix) => sum(mul(w, data), { keepdims: true });
  const penalized = (w: Matrix) => add(plain(w), l2Penalty(w, lambda));
  const lr = 0.5;
  const a = sgd(lr), b = sgd(lr, { weightDecay: lambda });
  const viaLoss = a.update(p, grad(penalized)(p), a.init(p)).params;
  const viaOption = b.update(p, grad(plain)(p), b.init(p)).params;
  close(viaLoss, toArray(viaOption), { rtol: 1e-15 });
  // By hand: p − lr·(data + λp).
  close(viaOption, [[0.5 - 0.5 * (1 + 0.05), -2 - 0.5 * (0.5 - 0.2)], [
    1 - 0.5 * (-1 + 0.1),
    3 - 0.5 * (2 + 0.3),
  ]], { rtol: 1e-15 });
  // l2Penalty is (λ/2)·Σw².
  assert.deepEqual(
    toArray(l2Penalty({ a: matrix([[3]]), b: matrix([[4]]) }, 2)),
    [[25]],
  );
  // adam's coupled decay differs from adamw's decoupled one.
  const g = matrix([[1, 1], [1, 1]]);
  const coupled = adam(0.1, { weightDecay: 0.5 });
  const decoupled = adamw(0.1, { weightDecay: 0.5 });
  assert.notDeepEqual(
    toArray(coupled.update(p, g, coupled.init(p)).params),
    toArray(decoupled.update(p, g, decoupled.init(p)).params),
  );
});

Deno.test("schedules: step and cosine decay, used as a learning rate", () => {
  const step = stepDecay(1, { every: 2, gamma: 0.5 });
  assert.deepEqual([1, 2, 3, 4, 5].map(step), [1, 1, 0.5, 0.5, 0.25]);
  const cos = cosineDecay(2, { steps: 4, minimum: 0.5 });
  close([[1, 2, 3, 4, 5, 6].map(cos)], [[
    2,
    0.5 + 1.5 * (1 + Math.cos(Math.PI / 4)) / 2,
    1.25,
    0.5 + 1.5 * (1 + Math.cos(3 * Math.PI / 4)) / 2,
    0.5,
    0.5,
  ]], { rtol: 1e-15 });
  // sgd with a schedule takes lr(t) at step t.
  const opt = sgd(step);
  let params = matrix([[0]]);
  let state = opt.init(params);
  for (let t = 0; t < 5; t++) {
    ({ params, state } = opt.update(params, matrix([[1]]), state));
  }
  assert.deepEqual(toArray(params), [[-(1 + 1 + 0.5 + 0.5 + 0.25)]]);
  assert.match(opt.name, /stepDecay\(1, \{ every: 2, gamma: 0.5 \}\)/);
  assert.throws(() => stepDecay(1, { every: 0 }), RangeError);
  assert.throws(() => cosineDecay(1, { steps: 10, minimum: 2 }), RangeError);
  assert.throws(
    () => sgd(() => NaN).update(params, params, sgd(1).init(params)),
    RangeError,
  );
});

Deno.test("clipByGlobalNorm keeps the direction and bounds the length", () => {
  const g = { a: matrix([[3, 0]]), b: matrix([[4]]) };
  assert.equal(globalNorm(g), 5);
  assert.equal(globalNorm(matrix([[0]])), 0);
  // Huge entries: the norm does not overflow.
  close(globalNorm(matrix([[3e200, 4e200]])), 5e200, { rtol: 1e-15 });
  const opt = clipByGlobalNorm(sgd(1), 2.5);
  const p = { a: matrix([[0, 0]]), b: matrix([[0]]) };
  const { params } = opt.update(p, g, opt.init(p));
  close(params.a, [[-1.5, 0]], { rtol: 1e-15 });
  close(params.b, [[-2]], { rtol: 1e-15 });
  // Short gradients pass unchanged.
  const small = opt.update(
    p,
    { a: matrix([[0.3, 0]]), b: matrix([[0.4]]) },
    opt.init(p),
  );
  assert.deepEqual(toArray(small.params.b), [[-0.4]]);
  assert.throws(() => clipByGlobalNorm(sgd(1), 0), RangeError);
  assert.throws(() => clipByGlobalNorm({} as never, 1), TypeError);
});

Deno.test("bad options are refused, naming the optimizer", () => {
  assert.throws(() => nesterov(0.1, { beta: 1 }), /options\.beta of nesterov/);
  assert.throws(
    () => rmsprop(0.1, { decay: -0.1 }),
    /options\.decay of rmsprop/,
  );
  assert.throws(
    () => adagrad(0.1, { eps: 1 } as never),
    /Unknown option "eps"/,
  );
  assert.throws(
    () => adamw(0.1, { weightDecay: -1 }),
    /options\.weightDecay of adamw/,
  );
  assert.throws(() => sgd("0.1" as never), TypeError);
  void f;
});
