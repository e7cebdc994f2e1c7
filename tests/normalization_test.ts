// Batch normalization and dropout: the ops against numpy and finite
// differences, the layers' training and evaluation modes, and state through
// sequential and fit.
import assert from "node:assert/strict";
import fc from "fast-check";
import { close } from "./_helpers.ts";
import {
  batchNorm,
  checkGrads,
  createRng,
  dropout,
  evaluate,
  fit,
  layers,
  type Matrix,
  matrix,
  mul,
  relu,
  sequential,
  sgd,
  sum,
  toArray,
} from "../mod.ts";

Deno.test("batchNorm matches numpy", () => {
  // python3 -c "import numpy as np; x=np.array([[1.,2.,4.],[-1.,0.5,3.]]);
  //   g=np.array([[2.],[0.5]]); b=np.array([[0.1],[-0.2]]); eps=1e-5;
  //   print(repr((g*(x-x.mean(axis=1,keepdims=True))
  //     /np.sqrt(x.var(axis=1,keepdims=True)+eps)+b).tolist()))"
  const expected = [
    [-2.0380830629005953, -0.4345207657251491, 2.7726038286257437],
    [-0.755582879046304, -0.3010150689175098, 0.45659794796381353],
  ];
  const y = batchNorm(
    { gamma: matrix([[2], [0.5]]), beta: matrix([[0.1], [-0.2]]) },
    matrix([[1, 2, 4], [-1, 0.5, 3]]),
  );
  close(y, expected, { rtol: 1e-13 });
});

Deno.test("batchNorm: gradients for gamma, beta and x against central differences", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 2, max: 6 }),
      fc.integer({ min: 0, max: 1e6 }),
      (r, n, seed) => {
        const rng = createRng(seed);
        const m = (rows: number, cols: number, lo = -2, hi = 2) =>
          matrix(
            Array.from(
              { length: rows },
              () => Array.from({ length: cols }, () => rng.uniform(lo, hi)),
            ),
          );
        const x = m(r, n);
        const weights = m(r, n); // a random linear read-out, so g is not uniform
        const p = { gamma: m(r, 1, 0.5, 2), beta: m(r, 1), x };
        const f = (q: typeof p) =>
          sum(mul(batchNorm({ gamma: q.gamma, beta: q.beta }, q.x), weights));
        assert.ok(checkGrads(f, p, { seed, tolerance: 1e-5 }) < 1e-5);
      },
    ),
    { seed: 20261129, numRuns: 60 },
  );
});

Deno.test("batchNorm: bad arguments are refused clearly", () => {
  const x = matrix([[1, 2]]);
  const p = { gamma: matrix([[1]]), beta: matrix([[0]]) };
  assert.throws(
    () => batchNorm({ gamma: matrix([[1], [1]]), beta: p.beta }, x),
    /params\.gamma 2x1 in batchNorm.*must be 1x1/,
  );
  assert.throws(() => batchNorm(p, x, { epsilon: 0 }), RangeError);
  assert.throws(
    () => batchNorm(p, x, { eps: 1 } as never),
    /Unknown option "eps"/,
  );
  assert.throws(() => batchNorm(null as never, x), TypeError);
});

Deno.test("dropout: inverted scaling, a seeded mask, and its gradient is the mask", () => {
  const x = matrix([Array.from({ length: 2000 }, () => 1)]);
  const y = toArray(dropout(x, { rate: 0.25, rng: createRng(7) }))[0];
  assert.ok(y.every((v) => v === 0 || v === 1 / 0.75));
  const dropped = y.filter((v) => v === 0).length / y.length;
  assert.ok(Math.abs(dropped - 0.25) < 0.04, `dropped ${dropped}`);
  // Same seed, same mask; the gradient of Σ dropout(x) is the mask itself.
  const again = toArray(dropout(x, { rate: 0.25, rng: createRng(7) }))[0];
  assert.deepEqual(again, y);
  const w = matrix([[0.5, -1, 2, 3]]);
  const f = (p: Matrix) => sum(dropout(p, { rate: 0.5, rng: createRng(3) }));
  assert.ok(checkGrads(f, w) < 1e-9);
  assert.throws(() => dropout(x, { rate: 1, rng: createRng(0) }), RangeError);
  assert.throws(
    () => dropout(x, { rate: 0.5 } as never),
    /options\.rng of dropout/,
  );
});

Deno.test("layers.dropout: identity at evaluation, needs an rng in training", () => {
  const layer = layers.dropout(0.5);
  const x = matrix([[1, 2, 3]]);
  assert.equal(layer.apply({}, x, { state: {} }), x);
  assert.throws(
    () => layer.apply({}, x, { training: true, state: {} }),
    /without context\.rng/,
  );
  assert.throws(() => layers.dropout(1.5), RangeError);
});

Deno.test("layers.batchNorm: running averages in training, used at evaluation", () => {
  const bn = layers.batchNorm(2, { momentum: 0.5 });
  const params = bn.init(createRng(0));
  const x = matrix([[1, 3], [2, 2]]);
  const out = bn.apply(params, x, { training: true, state: bn.initState!() });
  assert.ok(!("rows" in out));
  // mean' = 0.5·0 + 0.5·[2, 2]; var' = 0.5·1 + 0.5·(n/(n−1))·[1, 0].
  assert.deepEqual(toArray(out.state.mean), [[1], [1]]);
  assert.deepEqual(toArray(out.state.variance), [[1.5], [0.5]]);
  // Evaluation: γ(x − mean)/√(var + ε) + β with the running values.
  const y = bn.apply(params, x, { state: out.state }) as Matrix;
  close(y, [
    [0 / Math.sqrt(1.5 + 1e-5), 2 / Math.sqrt(1.5 + 1e-5)],
    [1 / Math.sqrt(0.5 + 1e-5), 1 / Math.sqrt(0.5 + 1e-5)],
  ], { rtol: 1e-14 });
  assert.throws(
    () => bn.apply(params, matrix([[1, 2]]), { state: bn.initState!() }),
    /x must have 2 rows/,
  );
});

Deno.test("fit threads batch-norm state and dropout randomness through training", () => {
  const x = matrix([
    [0, 0, 1, 1, 0.1, 0.9, 0.2, 0.8],
    [0, 1, 0, 1, 0.9, 0.1, 0.1, 0.95],
  ]);
  const d = matrix([
    [1, 0, 0, 1, 0, 0, 1, 1],
    [0, 1, 1, 0, 1, 1, 0, 0],
  ]);
  const model = sequential([
    layers.dense(2, 16),
    layers.batchNorm(16),
    relu,
    layers.dropout(0.1),
    layers.dense(16, 2),
  ]);
  const params = model.init(0);
  const run = () =>
    fit(model, params, { x, d }, {
      epochs: 5,
      batchSize: 4,
      optimizer: sgd(0.1),
      seed: 1,
    });
  const a = run(), b = run();
  assert.deepEqual(a.history, b.history);
  // The running mean moved away from its initial zeros.
  const mean = toArray((a.modelState[1] as { mean: Matrix }).mean).flat();
  assert.ok(mean.some((v) => v !== 0));
  // Evaluation with the trained state differs from evaluation with the initial one.
  const trained = evaluate(model, a.params, { x, d }, { state: a.modelState });
  const fresh = evaluate(model, a.params, { x, d });
  assert.notEqual(trained.loss, fresh.loss);
});
