// The perceptron: the article's numbers as golden tests, numpy goldens for
// other configurations, the loss never increasing for a small learning rate,
// the exact contraction factor for one sample, and divergence.
import fc from "fast-check";
import assert from "node:assert/strict";
import {
  forward,
  gradient,
  type Matrix,
  matrix,
  squaredError,
  toArray,
  train,
  type TrainOptions,
} from "../mod.ts";
import { stability } from "../lib/perceptron.ts";
import {
  articleMatrices,
  close,
  EPS,
  frobenius2,
  naiveDot,
  plainLoss,
  type Problem,
  problem,
} from "./_helpers.ts";

// --- The article (sections.md), exactly -------------------------------------

Deno.test("section 1: the minimal model's loss is 113.28999999999999", () => {
  const { w, b, x, d } = articleMatrices();
  const u = forward({ w, b }, x);
  // numpy: (w.dot(x) + b).tolist() -> [[-3.8], [9.5]]
  assert.deepEqual(toArray(u), [[-3.8], [9.5]]);
  assert.equal(squaredError(u, d), 113.28999999999999);
});

Deno.test("section 3: one step at learning rate 0.01 gives new_Loss 35.527744", () => {
  const { w, b, x, d } = articleMatrices();
  const g = gradient({ w, b }, { x, d });
  // numpy: (2 * (u - d) * x.T).tolist()
  assert.deepEqual(toArray(g.w), [[-48, -19.2, -67.2], [95, 38, 133]]);
  const result = train({ w, b }, { x, d }, { learningRate: 0.01, steps: 1 });
  assert.equal(result.finalLoss, 35.527744);
  assert.deepEqual(result.history, [{ step: 0, loss: 113.28999999999999 }]);
  // numpy: (w - 0.01 * gradient).tolist()
  assert.deepEqual(toArray(result.params.w), [
    [0.48, 0.492, -0.128],
    [0.04999999999999993, -1.58, -0.8300000000000001],
  ]);
});

Deno.test("section 4: 100 steps print the article's ten losses and end at 4.881042430391056", () => {
  const { w, b, x, d } = articleMatrices();
  const result = train({ w, b }, { x, d }, {
    learningRate: 0.0001,
    steps: 100,
    logEvery: 10,
  });
  assert.deepEqual(result.history, [
    { step: 0, loss: 113.28999999999999 },
    { step: 10, loss: 82.72250503284572 },
    { step: 20, loss: 60.402620168674915 },
    { step: 30, loss: 44.1050053040893 },
    { step: 40, loss: 32.20475349316987 },
    { step: 50, loss: 23.515384260925927 },
    { step: 60, loss: 17.17054897055121 },
    { step: 70, loss: 12.537654017416763 },
    { step: 80, loss: 9.15478989810077 },
    { step: 90, loss: 6.684677848179767 },
  ]);
  assert.equal(result.finalLoss, 4.881042430391056);
  assert.deepEqual(toArray(result.params.w), [
    [0.24382521572023902, 0.3975300862880955, -0.45864469799166563],
    [0.5174292605536935, -1.3930282957785218, -0.17559903522482878],
  ]);
  assert.deepEqual(
    toArray(result.params.b),
    [[1.2], [3.4]],
    "the bias is never updated",
  );
});

// --- numpy goldens for other configurations ---------------------------------
//
// Computed with python3 / numpy 2.4 (OpenBLAS 0.3.31) by this snippet, the
// article's loop generalised to batches (samples as columns of x):
//
//   import numpy as np, json
//   def run(w, x, b, d, lr, steps, log_every, train_bias):
//       w, x, b, d = (np.array(v, dtype=float) for v in (w, x, b, d))
//       hist = []
//       for i in range(steps):
//           u = w.dot(x) + b
//           if i % log_every == 0: hist.append(float(np.sum((u - d) ** 2)))
//           e2 = 2 * (u - d)
//           gw = e2.dot(x.T); gb = np.sum(e2, axis=1, keepdims=True)
//           w = w - lr * gw
//           if train_bias: b = b - lr * gb
//       final = float(np.sum((w.dot(x) + b - d) ** 2))
//       return dict(history=hist, finalLoss=final, w=w.tolist(), b=b.tolist())
//   W = [[0, 0.3, -0.8], [1, -1.2, 0.5]]; X = [[5], [2], [7]]
//   B = [[1.2], [3.4]]; D = [[1], [0]]
//   XB = [[5, 1, -2, 0.5], [2, 3, 4, -1], [7, -0.5, 1, 2]]
//   DB = [[1, 0, 2, -1], [0, 1, -1, 3]]
//   print(json.dumps({
//     "articleTrainBias": run(W, X, B, D, 0.0001, 100, 10, True),
//     "batch": run(W, XB, B, DB, 0.001, 50, 5, False),
//     "batchTrainBias": run(W, XB, B, DB, 0.001, 50, 5, True),
//     "shape3x2": run([[0.5, -1], [2, 0.25], [-0.75, 1.5]],
//                     [[1, 2, 3, -1, 0.5], [-2, 0.5, 1, 4, -3]],
//                     [[0.1], [-0.2], [0.3]],
//                     [[1, 2, 3, 4, 5], [0, -1, 0, 1, 0], [2, 2, -2, -2, 1]],
//                     0.01, 30, 3, True)}))

interface Golden {
  w: number[][];
  x: number[][];
  b: number[][];
  d: number[][];
  options: Required<TrainOptions>;
  history: number[];
  finalLoss: number;
  finalW: number[][];
  finalB: number[][];
}

const W = [[0, 0.3, -0.8], [1, -1.2, 0.5]];
const X = [[5], [2], [7]];
const B = [[1.2], [3.4]];
const D = [[1], [0]];
const XB = [[5, 1, -2, 0.5], [2, 3, 4, -1], [7, -0.5, 1, 2]];
const DB = [[1, 0, 2, -1], [0, 1, -1, 3]];

const GOLDEN: Record<string, Golden> = {
  articleTrainBias: {
    w: W,
    x: X,
    b: B,
    d: D,
    options: {
      learningRate: 0.0001,
      steps: 100,
      logEvery: 10,
      trainBias: true,
    },
    history: [
      113.28999999999999,
      82.38701931164681,
      59.91368126981782,
      43.57056770949184,
      31.68549036368011,
      23.042396561845816,
      16.756945630924317,
      12.186025274068124,
      8.861949859536287,
      6.4446079461246475,
    ],
    finalLoss: 4.686662894459913,
    finalW: [
      [0.2420071802415559, 0.39680287209662246, -0.4611899476618226],
      [0.5210274557719214, -1.391589017691232, -0.17056156191931018],
    ],
    finalB: [[1.2484014360483107], [3.304205491154384]],
  },
  batch: {
    w: W,
    x: XB,
    b: B,
    d: DB,
    options: { learningRate: 0.001, steps: 50, logEvery: 5, trainBias: false },
    history: [
      133.2125,
      34.7553530183377,
      15.869468175620453,
      11.252410804065113,
      9.581531533882412,
      8.73153976110782,
      8.213171360688317,
      7.867097947346666,
      7.6215964557268325,
      7.438281235945165,
    ],
    finalLoss: 7.295128679390427,
    finalW: [
      [0.10170475101879062, 0.16208203665207543, -0.21245322051819485],
      [0.2483226823472195, -0.9106397812323483, -0.41808892115779883],
    ],
    finalB: [[1.2], [3.4]],
  },
  batchTrainBias: {
    w: W,
    x: XB,
    b: B,
    d: DB,
    options: { learningRate: 0.001, steps: 50, logEvery: 5, trainBias: true },
    history: [
      133.2125,
      34.52691876336886,
      15.849815753638612,
      11.121748729914046,
      9.281511277709221,
      8.279796632147397,
      7.630471433964169,
      7.166086785407099,
      6.80886645154048,
      6.51720418454925,
    ],
    finalLoss: 6.267607115832462,
    finalW: [
      [0.1051414358034171, 0.18857214275753437, -0.19309976005110466],
      [0.24798181862968632, -0.8928334009832748, -0.4068922655849035],
    ],
    finalB: [[1.0083097307023963], [3.3057801346984093]],
  },
  shape3x2: {
    w: [[0.5, -1], [2, 0.25], [-0.75, 1.5]],
    x: [[1, 2, 3, -1, 0.5], [-2, 0.5, 1, 4, -3]],
    b: [[0.1], [-0.2], [0.3]],
    d: [[1, 2, 3, 4, 5], [0, -1, 0, 1, 0], [2, 2, -2, -2, 1]],
    options: { learningRate: 0.01, steps: 30, logEvery: 3, trainBias: true },
    history: [
      302.04375,
      48.30936581371117,
      35.99104615981825,
      30.750560491507173,
      27.17597913515419,
      24.56567618226714,
      22.64415663590566,
      21.22838218025469,
      20.185133277653687,
      19.416380268338823,
    ],
    finalLoss: 18.849898042317704,
    finalW: [
      [-0.13615760710049243, 0.041044298277269305],
      [-0.16573556259946248, 0.0976983608890453],
      [-0.09537508586234565, -0.5461477008238323],
    ],
    finalB: [[2.812881125033417], [0.033370886119943294], [0.3679774738847949]],
  },
};

for (const [name, g] of Object.entries(GOLDEN)) {
  Deno.test(`train matches numpy to 1e-9: ${name}`, () => {
    const result = train(
      { w: matrix(g.w), b: matrix(g.b) },
      { x: matrix(g.x), d: matrix(g.d) },
      g.options,
    );
    const opts = { rtol: 1e-9, atol: 1e-12 };
    assert.deepEqual(
      result.history.map((h) => h.step),
      g.history.map((_, i) => i * g.options.logEvery),
    );
    close([result.history.map((h) => h.loss)], [g.history], opts);
    close(result.finalLoss, g.finalLoss, opts);
    close(result.params.w, g.finalW, opts);
    close(result.params.b, g.finalB, opts);
  });
}

// --- A plain reference implementation ---------------------------------------

/** The article's loop in plain nested arrays, for comparison. */
function plainTrain(
  p: Problem,
  learningRate: number,
  steps: number,
  trainBias: boolean,
): { losses: number[]; w: number[][]; b: number[][] } {
  let w = toArray(p.w);
  let b = toArray(p.b);
  const x = toArray(p.x);
  const d = toArray(p.d);
  const losses: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const u = naiveDot(w, x).map((r, i) => r.map((v) => v + b[i][0]));
    const e2 = u.map((r, i) => r.map((v, j) => 2 * (v - d[i][j])));
    losses.push(e2.flat().reduce((acc, v) => acc + (v / 2) ** 2, 0));
    if (s === steps) break;
    const xt = x[0].map((_, j) => x.map((r) => r[j]));
    const gw = naiveDot(e2, xt);
    w = w.map((r, i) => r.map((v, j) => v - learningRate * gw[i][j]));
    if (trainBias) {
      b = b.map((
        r,
        i,
      ) => [r[0] - learningRate * e2[i].reduce((a, v) => a + v, 0)]);
    }
  }
  return { losses, w, b };
}

/** The largest learning rate the non-increase bound allows: 1/(‖x‖²_F + n). */
function safeRate(x: Matrix): number {
  return 1 / (frobenius2(x) + x.cols);
}

const fraction = fc.double({ min: 0.05, max: 0.99, noNaN: true });

Deno.test("train agrees with a plain loop to 1e-9 on random problems", () => {
  fc.assert(
    fc.property(
      problem(),
      fraction,
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 7 }),
      fc.boolean(),
      (p, t, steps, logEvery, trainBias) => {
        const learningRate = t * safeRate(p.x);
        const result = train(p, p, {
          learningRate,
          steps,
          logEvery,
          trainBias,
        });
        const ref = plainTrain(p, learningRate, steps, trainBias);
        const scale = ref.losses[0] + 1;
        const wanted = ref.losses
          .slice(0, steps)
          .map((loss, step) => ({ step, loss }))
          .filter(({ step }) => step % logEvery === 0);
        assert.equal(result.history.length, Math.ceil(steps / logEvery));
        assert.deepEqual(
          result.history.map((h) => h.step),
          wanted.map((h) => h.step),
        );
        close(
          [result.history.map((h) => h.loss)],
          [wanted.map((h) => h.loss)],
          { rtol: 1e-9, atol: 1e-12 * scale },
        );
        close(result.finalLoss, ref.losses[steps], {
          rtol: 1e-9,
          atol: 1e-12 * scale,
        });
        const wScale = Math.max(1, ...ref.w.flat().map(Math.abs));
        close(result.params.w, ref.w, { rtol: 1e-9, atol: 1e-12 * wScale });
        close(result.params.b, ref.b, { rtol: 1e-9, atol: 1e-12 * wScale });
        if (!trainBias) {
          assert.deepEqual(toArray(result.params.b), toArray(p.b));
        }
      },
    ),
  );
});

Deno.test("forward is w·x + b, b added to every sample's column", () => {
  fc.assert(
    fc.property(problem(), (p) => {
      const u = forward(p, p.x);
      const ref = naiveDot(toArray(p.w), toArray(p.x)).map((r, i) =>
        r.map((v) => v + p.b.at(i, 0))
      );
      close(u, ref, { rtol: 1e-12, atol: 1e-12 });
      close(squaredError(u, p.d), plainLoss(p), { rtol: 1e-12, atol: 1e-12 });
    }),
  );
});

// --- The loss never increases for a small learning rate ---------------------
//
// The loss is quadratic in (w, b) with Hessian 2·x̃x̃ᵀ per row of w, where x̃ is
// x with a row of ones appended when the bias is trained. Gradient descent on
// a quadratic never increases it while lr·λmax(x̃x̃ᵀ) < 1, and
// λmax(x̃x̃ᵀ) ≤ ‖x̃‖²_F = ‖x‖²_F (+ n with the bias). So lr < 1/(‖x‖²_F + n)
// is safe with and without bias training.

Deno.test("the loss never increases for lr < 1/(‖x‖²_F + samples)", () => {
  fc.assert(
    fc.property(
      problem({ maxSamples: 6 }),
      fraction,
      fc.boolean(),
      (p, t, trainBias) => {
        const learningRate = t * safeRate(p.x);
        const steps = 25;
        const result = train(p, p, { learningRate, steps, trainBias });
        const losses = [...result.history.map((h) => h.loss), result.finalLoss];
        assert.equal(losses.length, steps + 1);
        // Rounding may wobble the last bits once the loss stops moving.
        const tol = 1e-12 * (losses[0] + 1);
        for (let s = 1; s < losses.length; s++) {
          assert.ok(
            losses[s] <= losses[s - 1] + tol,
            `loss rose from ${losses[s - 1]} to ${
              losses[s]
            } at step ${s} (lr ${learningRate})`,
          );
        }
      },
    ),
  );
});

Deno.test("the loss does rise above the bound: the property above can fail", () => {
  // One sample, x = [1]: the factor (1 − 2·lr·1)² exceeds 1 once lr > 1.
  const p = {
    w: matrix([[1]]),
    b: matrix([[0]]),
    x: matrix([[1]]),
    d: matrix([[0]]),
  };
  const { history, finalLoss } = train(p, p, { learningRate: 1.5, steps: 1 });
  assert.equal(history[0].loss, 1);
  assert.equal(finalLoss, 4);
});

// --- One sample: the exact contraction factor -------------------------------
//
// With one sample, e = w·x + b − d (r x 1) and the step w' = w − 2·lr·e·xᵀ
// give e' = e − 2·lr·e·(xᵀx) = (1 − 2·lr·‖x‖²)·e, so
// Loss' = (1 − 2·lr·‖x‖²)²·Loss. Training the bias too (b' = b − 2·lr·e)
// subtracts another 2·lr·e: Loss' = (1 − 2·lr·(‖x‖² + 1))²·Loss.

/** A one-sample problem, with a bound on the rounding error of Loss'. */
function roundingBound(p: Problem): number {
  const w = toArray(p.w);
  const x = toArray(p.x).map((r) => r[0]);
  const k = x.length;
  let bound = 0;
  for (let i = 0; i < w.length; i++) {
    let e = p.b.at(i, 0) - p.d.at(i, 0);
    let s = Math.abs(p.b.at(i, 0)) + Math.abs(p.d.at(i, 0));
    for (let j = 0; j < k; j++) {
      e += w[i][j] * x[j];
      s += Math.abs(w[i][j] * x[j]);
    }
    // After the step each term of the residual is at most its old size plus
    // 2|e|; each is rounded a few times.
    const delta = 4 * (k + 3) * EPS * (s + 2 * Math.abs(e));
    bound += (2 * Math.abs(e) + delta) * delta;
  }
  // Plus a little for losses that underflow into subnormals.
  return bound + 1e-300;
}

for (const trainBias of [false, true]) {
  Deno.test(
    `one sample${
      trainBias ? ", bias trained" : ", fixed bias"
    }: Loss' = (1 − 2·lr·(‖x‖²${trainBias ? " + 1" : ""}))²·Loss`,
    () => {
      fc.assert(
        fc.property(
          problem({ maxSide: 5, maxSamples: 1 }).filter((p) =>
            frobenius2(p.x) > 1e-3
          ),
          fc.double({ min: 0.01, max: 1.99, noNaN: true }),
          (p, t) => {
            const xx = frobenius2(p.x) + (trainBias ? 1 : 0);
            const learningRate = t / (2 * xx);
            const result = train(p, p, { learningRate, steps: 1, trainBias });
            const loss = result.history[0].loss;
            const factor = (1 - 2 * learningRate * xx) ** 2;
            close(result.finalLoss, factor * loss, {
              rtol: 1e-12,
              atol: roundingBound(p),
              message: `lr ${learningRate}, ‖x‖² ${xx}, Loss ${loss}`,
            });
          },
        ),
      );
    },
  );
}

Deno.test("one sample: the contraction factor on the article's numbers", () => {
  // ‖x‖² = 25 + 4 + 49 = 78; lr 0.0001 gives (1 − 0.0156)² per step.
  const { w, b, x, d } = articleMatrices();
  const { history } = train({ w, b }, { x, d }, {
    learningRate: 0.0001,
    steps: 100,
  });
  for (let s = 1; s < history.length; s++) {
    close(history[s].loss, (1 - 2 * 0.0001 * 78) ** 2 * history[s - 1].loss, {
      rtol: 1e-12,
    });
  }
  const withBias = train({ w, b }, { x, d }, {
    learningRate: 0.0001,
    steps: 20,
    trainBias: true,
  }).history;
  for (let s = 1; s < withBias.length; s++) {
    close(withBias[s].loss, (1 - 2 * 0.0001 * 79) ** 2 * withBias[s - 1].loss, {
      rtol: 1e-12,
    });
  }
});

// --- Divergence ---------------------------------------------------------------

Deno.test("train with too large a learning rate throws, naming the step", () => {
  // The article with lr 1: each step multiplies the loss by (1 − 2·78)² =
  // 24025, so it first overflows at step s with 113.29·24025^s > 1.8e308,
  // i.e. s = 70 (computed the same way below, step by step in plain loops).
  const p = articleMatrices();
  const ref = plainTrainUntilOverflow(p, 1);
  assert.equal(ref, 70);
  assert.throws(
    () => train(p, p, { learningRate: 1, steps: 1000 }),
    (e: unknown) => {
      assert.ok(e instanceof RangeError, String(e));
      assert.match(e.message, new RegExp(`\\bstep ${ref}\\b`));
      assert.match(e.message, /smaller learning rate/);
      assert.match(e.message, /learning rate 1\b/);
      return true;
    },
  );
});

Deno.test("divergence is reported for random one-sample problems and large rates", () => {
  fc.assert(
    fc.property(
      problem({ maxSamples: 1 }).filter((p) =>
        frobenius2(p.x) > 0.5 && plainLoss(p) > 1e-6
      ),
      fc.double({ min: 10, max: 1e3, noNaN: true }),
      fc.boolean(),
      (p, rate, trainBias) => {
        // One sample: every step multiplies the loss by (1 − 2·lr·‖x‖²)², here
        // at least 19² (more with the bias trained), so it must overflow.
        const learningRate = rate / frobenius2(p.x);
        assert.throws(
          () => train(p, p, { learningRate, steps: 100_000, trainBias }),
          (e: unknown) => {
            assert.ok(e instanceof RangeError, String(e));
            assert.match(e.message, /step \d+/);
            assert.match(e.message, /smaller learning rate/);
            return true;
          },
        );
      },
    ),
    { numRuns: 30 },
  );
});

/** The first step whose loss is not finite, in plain loops; -1 if none. */
function plainTrainUntilOverflow(p: Problem, learningRate: number): number {
  const { losses } = plainTrain(p, learningRate, 200, false);
  return losses.findIndex((l) => !Number.isFinite(l));
}

// --- Arguments ----------------------------------------------------------------

Deno.test("forward, gradient and train refuse bad arguments, naming the function and the argument", () => {
  const { w, b, x, d } = articleMatrices();
  const cases: [() => unknown, ErrorConstructor, RegExp][] = [
    [
      () => forward(w as never, x),
      TypeError,
      /^Expected params of forward\(params, x\) to be an object \{ w, b \} of matrices, got a 2x3 Matrix$/,
    ],
    [
      () => forward({ w, b: [[1.2], [3.4]] } as never, x),
      TypeError,
      /params\.b of forward/,
    ],
    [
      () => forward({ w, b }, [[5], [2], [7]] as never),
      TypeError,
      /x of forward.*matrix\(rows\)/,
    ],
    [() => forward({ w, b: x }, x), RangeError, /b must be 2x1/],
    [() => forward({ w, b }, d), RangeError, /x must have 3 rows/],
    [() => gradient({ w, b }, null as never), TypeError, /data of gradient/],
    [
      () => gradient({ w, b }, { x: 5, d } as never),
      TypeError,
      /data\.x of gradient/,
    ],
    [() => gradient({ w, b }, { x, d: x }), RangeError, /d must be 2x1/],
    [
      () => train({ w, b }, { x, d }, { learningRate: "0.1" as never }),
      TypeError,
      /options\.learningRate of train.* to be a number/,
    ],
    [
      () => train({ w, b }, { x, d }, { learningRate: 0 }),
      RangeError,
      /options\.learningRate .* positive finite number, got 0$/,
    ],
    [
      () => train({ w, b }, { x, d }, { learningRate: NaN }),
      RangeError,
      /options\.learningRate/,
    ],
    [
      () => train({ w, b }, { x, d }, { steps: 2.5 }),
      RangeError,
      /options\.steps .* positive integer, got 2\.5$/,
    ],
    [
      () => train({ w, b }, { x, d }, { logEvery: "1" as never }),
      TypeError,
      /options\.logEvery/,
    ],
    [
      () => train({ w, b }, { x, d }, { trainBias: 1 as never }),
      TypeError,
      /options\.trainBias .* boolean/,
    ],
    [
      () => train({ w, b }, { x, d }, { step: 3 } as never),
      TypeError,
      /Unknown option "step"/,
    ],
  ];
  for (const [call, type, pattern] of cases) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof type, `${error} is not a ${type.name}`);
      assert.match((error as Error).message, pattern);
      return true;
    });
  }
});

// --- stability: λmax of x·xᵀ, and the learning rate it suggests -------------

/** The LCG of tests/goldens: (s·1664525 + 1013904223) mod 2³², scaled to ±2. */
function lcgMatrix(k: number, n: number, seed: number): Matrix {
  let s = seed >>> 0;
  return matrix(
    Array.from({ length: k }, () =>
      Array.from({ length: n }, () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return (s / 2 ** 32 - 0.5) * 4;
      })),
  );
}

Deno.test("stability: λmax of x·xᵀ (a row of ones for a trained bias) as numpy's eigvalsh gives it, and half its inverse rounded down to two digits", () => {
  // Goldens: the largest eigenvalue of Xb·Xbᵀ, or of Xbᵀ·Xb when Xb has
  // more rows than columns, by numpy.linalg.eigvalsh (numpy 2.4.6):
  //   .venv/bin/python - <<'PY'
  //   import numpy as np
  //   def lcg(n, seed):
  //       s = seed; out = []
  //       for _ in range(n):
  //           s = (s * 1664525 + 1013904223) & 0xffffffff
  //           out.append((s / 2**32 - 0.5) * 4)
  //       return out
  //   for k, n, seed in [(3,7,1),(6,4,2),(5,5,3),(1,9,4),(8,2,5),(201,210,6)]:
  //       X = np.array(lcg(k*n, seed)).reshape(k, n)
  //       for bias in (False, True):
  //           Xb = np.vstack([X, np.ones((1, n))]) if bias else X
  //           G = Xb @ Xb.T if Xb.shape[0] <= Xb.shape[1] else Xb.T @ Xb
  //           print(k, n, seed, bias, repr(np.linalg.eigvalsh(G).max()))
  //   PY
  const goldens: [number, number, number, boolean, number][] = [
    [3, 7, 1, false, 14.173625519208768],
    [3, 7, 1, true, 14.812799892891897],
    [6, 4, 2, false, 11.093548870598909],
    [6, 4, 2, true, 11.991735801890325],
    [5, 5, 3, false, 17.148131621650908],
    [5, 5, 3, true, 17.644182424089934],
    [1, 9, 4, false, 10.144137650576665],
    [1, 9, 4, true, 12.308326656560212],
    [8, 2, 5, false, 16.045010759474444],
    [8, 2, 5, true, 16.046250736404907],
    // 201 and 202 rows: power iteration instead of Jacobi rotations.
    [201, 210, 6, false, 1033.1398617329737],
    [201, 210, 6, true, 1036.2002444520083],
  ];
  for (const [k, n, seed, bias, lambda] of goldens) {
    const s = stability(lcgMatrix(k, n, seed), bias);
    assert.ok(s !== undefined);
    const what = `${k}x${n} seed ${seed} bias ${bias}`;
    const rtol = k > 200 ? 1e-9 : 1e-12;
    assert.ok(
      Math.abs(s.lambdaMax - lambda) <= rtol * lambda,
      `${what}: ${s.lambdaMax} against ${lambda}`,
    );
    assert.equal(s.limit, 1 / s.lambdaMax, what);
    // Two significant digits, rounded down: within 10% below 1/(2λmax).
    const half = 1 / (2 * s.lambdaMax);
    assert.ok(s.suggested <= half && s.suggested >= 0.9 * half, what);
    assert.equal(Number(s.suggested.toPrecision(2)), s.suggested, what);
  }
  // The article: λmax = |x|² = 78, and with the bias 78 + 1 (rank one).
  const { x } = articleMatrices();
  assert.deepEqual(stability(x, false), {
    lambdaMax: 78,
    limit: 1 / 78,
    suggested: 0.0064,
  });
  assert.equal(stability(x, true)?.lambdaMax, 79);
  // All zeros: nothing moves without the bias; with it, λmax = |1|² = n.
  assert.equal(stability(matrix([[0, 0, 0], [0, 0, 0]]), false), undefined);
  assert.equal(stability(matrix([[0, 0, 0], [0, 0, 0]]), true)?.lambdaMax, 3);
  // λmax overflows: no learning rate is small enough.
  assert.deepEqual(stability(matrix([[1e200, 1e200]]), false), {
    lambdaMax: Infinity,
    limit: 0,
    suggested: 0,
  });
});

Deno.test("train's divergence message suggests the stable rate of the data, and says when none exists", () => {
  const { w, b, x, d } = articleMatrices();
  assert.throws(
    () => train({ w, b }, { x, d }, { learningRate: 1, steps: 100 }),
    {
      name: "RangeError",
      message:
        /; try a smaller learning rate, such as 0\.0064: training is stable only below 1\/λmax = 0\.01282, where λmax = 78 is the largest eigenvalue of x·xᵀ$/,
    },
  );
  // With the bias trained, the ones row adds 1 to λmax.
  assert.throws(
    () =>
      train({ w, b }, { x, d }, {
        learningRate: 1,
        steps: 100,
        trainBias: true,
      }),
    {
      name: "RangeError",
      message:
        /such as 0\.0063: training is stable only below 1\/λmax = 0\.01266, where λmax = 79 is the largest eigenvalue of x·xᵀ, x with a row of ones for the trained bias$/,
    },
  );
});
