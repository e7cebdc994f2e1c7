// Regressions for the lib/ findings of the fuzz test (tests/fuzz_test.ts)
// and of a new user's review, one test per finding, fixed in lib/: each
// spells out the call that once slipped through and what it must do now.
// Expected values are worked out by hand in the comments, never computed by
// the code under test.
import assert from "node:assert/strict";
import * as mod from "../mod.ts";
import {
  add,
  batchNorm,
  checkGrads,
  clipByGlobalNorm,
  confusionMatrix,
  confusionTable,
  cosineDecay,
  createRng,
  defineOp,
  dot,
  dropout,
  evaluate,
  fit,
  globalNorm,
  grad,
  l2Penalty,
  layers,
  leakyRelu,
  logSoftmax,
  type Matrix,
  matrix,
  mlp,
  mnist,
  type Model,
  mse,
  parseIdx,
  relu,
  scale,
  sgd,
  softmax,
  softmaxCrossEntropy,
  stepDecay,
  sum,
  toArray,
  train,
  valueAndGrad,
  xor as xorData,
} from "../mod.ts";
import { parameterNames } from "./_junk.ts";

/** For calls that the types forbid. */
// deno-lint-ignore no-explicit-any
const loose = (v: unknown): any => v;

const xor = {
  x: matrix([[0, 0, 1, 1], [0, 1, 0, 1]]),
  d: matrix([[1, 0, 0, 1], [0, 1, 1, 0]]),
};
const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);

Deno.test("evaluate checks the model, its parameters, what apply returns and the loss", () => {
  const fn = "evaluate(model, params, data, options)";
  const { model, params } = mlp([2, 3, 2], 1);
  assert.throws(() => evaluate(loose(null), params, xor), {
    name: "TypeError",
    message:
      `Expected model of ${fn} to be a model from sequential or mlp, got null`,
  });
  assert.throws(() => evaluate(loose({}), params, xor), {
    name: "TypeError",
    message:
      `Expected model.apply of ${fn} to be a function (model must be a model from sequential or mlp), got undefined`,
  });
  // mlp([2, 3, 2]) has three layers: dense, relu, dense.
  assert.throws(() => evaluate(model, loose({ w }), xor), {
    name: "TypeError",
    message:
      `Expected params of ${fn} to be an array of 3 layer parameters (from model.init), got an object`,
  });
  assert.throws(() => evaluate(model, params.slice(0, 2), xor), {
    name: "TypeError",
    message:
      `Expected params of ${fn} to be an array of 3 layer parameters (from model.init), got an array of length 2`,
  });
  // A model of one's own: a record with apply, and no layers to count.
  const own = { apply: () => undefined } as unknown as Model;
  assert.throws(() => evaluate(own, [], xor), {
    name: "TypeError",
    message: `Expected model.apply of ${fn} to return a Matrix, got undefined`,
  });
  assert.throws(() => evaluate(own, loose({}), xor), {
    name: "TypeError",
    message:
      `Expected params of ${fn} to be an array of layer parameters (from model.init), got an object`,
  });
  assert.throws(() => evaluate(model, params, xor, { loss: () => NaN }), {
    name: "RangeError",
    message: `Expected the loss in ${fn} to be a finite number, got NaN`,
  });
  // A working own model: the output is the input, the loss 1.5 as given.
  const identity = { apply: (_p: unknown, x: Matrix) => x } as unknown as Model;
  assert.deepEqual(
    evaluate(identity, [], { x: xor.d, d: xor.d }, { loss: () => 1.5 }),
    { loss: 1.5, accuracy: 1 },
  );
});

Deno.test("fit checks the model's three functions, its parameters and what applyWithState returns", () => {
  const fn = "fit(model, params, data, options)";
  const { model, params } = mlp([2, 3, 2], 1);
  for (const missing of ["apply", "applyWithState", "initState"]) {
    const broken = { ...model, [missing]: undefined };
    assert.throws(() => fit(loose(broken), params, xor, { epochs: 1 }), {
      name: "TypeError",
      message:
        `Expected model.${missing} of ${fn} to be a function (model must be a model from sequential or mlp), got undefined`,
    });
  }
  assert.throws(() => fit(model, loose({ w }), xor), {
    name: "TypeError",
    message:
      `Expected params of ${fn} to be an array of 3 layer parameters (from model.init), got an object`,
  });
  for (
    const [returned, shown] of [
      [undefined, "undefined"],
      [Promise.resolve(1), "an object"],
      [{ output: w, state: {} }, "an object"],
      [{ output: [[1]], state: [] }, "an object"],
    ] as const
  ) {
    const odd = { ...model, applyWithState: () => returned };
    assert.throws(() => fit(loose(odd), params, xor, { epochs: 1 }), {
      name: "TypeError",
      message:
        `Expected model.applyWithState of ${fn} to return { output, state } with a Matrix output and an array state, got ${shown}`,
    });
  }
  const oddApply = { ...model, apply: () => "logits" };
  assert.throws(() => fit(loose(oddApply), params, xor), {
    name: "TypeError",
    message:
      `Expected model.apply of ${fn} to return a Matrix, got the string "logits"`,
  });
});

Deno.test("fit and checkGrads name themselves when the function they differentiate misbehaves", () => {
  const { model, params } = mlp([2, 3, 2], 1);
  assert.throws(
    () => fit(model, params, xor, { epochs: 1, loss: () => w }),
    {
      name: "TypeError",
      message:
        /^Cannot differentiate f in fit\(model, params, data, options\): f must return a number or a 1x1 Matrix, got a 2x3 Matrix/,
    },
  );
  assert.throws(() => fit(model, params, xor, { epochs: 1, loss: () => 3 }), {
    name: "TypeError",
    message:
      /^Cannot differentiate f in fit\(model, params, data, options\): f returned 3, a number no differentiable op computed/,
  });
  assert.throws(() => checkGrads(() => matrix([[1, 2], [3, 4]]), w), {
    name: "TypeError",
    message:
      /^Cannot differentiate f in checkGrads\(f, params, options\): f must return a number or a 1x1 Matrix, got a 2x2 Matrix/,
  });
  // valueAndGrad still names itself.
  assert.throws(() => valueAndGrad(() => matrix([[1, 2]]))(w), {
    name: "TypeError",
    message: /^Cannot differentiate f in valueAndGrad\(f\)\(params\)/,
  });
});

Deno.test("model.applyWithState names itself, model.apply itself", () => {
  const { model, params } = mlp([2, 3, 2], 1);
  assert.throws(() => model.applyWithState(loose({}), xor.x), {
    name: "TypeError",
    message:
      "Expected params of model.applyWithState(params, x, options) to be an array of 3 layer parameters (from model.init), got an object",
  });
  assert.throws(() => model.applyWithState(params, loose([[1]])), {
    name: "TypeError",
    message:
      /^Expected x of model\.applyWithState\(params, x, options\) to be a Matrix/,
  });
  assert.throws(() => model.apply(loose({}), xor.x), {
    name: "TypeError",
    message:
      /^Expected params of model\.apply\(params, x, options\) to be an array of 3/,
  });
});

Deno.test("layers exports layers only; a layer's init checks its rng and what it draws", () => {
  assert.deepEqual(Object.keys(layers).sort(), [
    "batchNorm",
    "conv2d",
    "dense",
    "dropout",
    "maxPool",
  ]);
  const dense = layers.dense(2, 3);
  assert.throws(() => dense.init(loose(undefined)), {
    name: "TypeError",
    message:
      "Expected rng of dense(2, 3).init(rng) to be a generator from createRng(seed), got undefined",
  });
  assert.throws(() => dense.init(loose({ normal: () => 0 })), {
    name: "TypeError",
    message:
      "Expected rng.uniform of dense(2, 3).init(rng) to be a function (rng must be a generator from createRng(seed)), got undefined",
  });
  assert.throws(
    () => dense.init(loose({ normal: () => 1e309, uniform: () => 0 })),
    {
      name: "RangeError",
      message:
        /^Cannot compute dense\(2, 3\)\.init\(rng\): the weights drawn from rng would hold Infinity/,
    },
  );
  const conv = layers.conv2d({ channels: 1, height: 3, width: 3 }, {
    filters: 2,
    kernel: 2,
  });
  assert.throws(() => conv.init(loose({})), {
    name: "TypeError",
    message:
      "Expected rng.normal of conv2d(1x3x3, 2 filters 2x2).init(rng) to be a function (rng must be a generator from createRng(seed)), got undefined",
  });
  // A generator whose normal() always answers 0.5: every weight is 0.5,
  // the biases 0.
  const half = { normal: () => 0.5, uniform: () => 0.25 };
  const p = layers.dense(2, 1).init(loose(half));
  assert.deepEqual(toArray(p.w), [[0.5, 0.5]]);
  assert.deepEqual(toArray(p.b), [[0]]);
  // xavier draws from uniform.
  const q = layers.dense(1, 2, { init: "xavier" }).init(loose(half));
  assert.deepEqual(toArray(q.w), [[0.25], [0.25]]);
});

Deno.test("layers.batchNorm(…).apply: the context is optional and checked, with params and state", () => {
  // ε = 1e-300 vanishes next to the initial variance 1: evaluation with the
  // initial state (mean 0, variance 1, γ = 1, β = 0) gives x back.
  const bn = layers.batchNorm(1, { epsilon: 1e-300, momentum: 0.5 });
  const params = bn.init(createRng(0));
  assert.deepEqual(toArray(bn.apply(params, matrix([[2, 4]])) as Matrix), [[
    2,
    4,
  ]]);
  // Training: batch mean 3, biased variance 1, unbiased 2 (n = 2); running
  // mean 0.5·0 + 0.5·3 = 1.5, running variance 0.5·1 + 0.5·2 = 1.5.
  const out = bn.apply(params, matrix([[2, 4]]), {
    training: true,
    state: bn.initState!(),
  });
  assert.ok(!("rows" in out));
  assert.deepEqual(toArray(out.state.mean), [[1.5]]);
  assert.deepEqual(toArray(out.state.variance), [[1.5]]);

  const fn = "batchNorm(2).apply(params, x, context)";
  const bn2 = layers.batchNorm(2);
  const p2 = bn2.init(createRng(0));
  const x2 = xor.x;
  assert.throws(() => bn2.apply(loose(w), x2), {
    name: "TypeError",
    message:
      `Expected params of ${fn} to be an object { gamma, beta } of matrices (from init), got a 2x3 Matrix`,
  });
  assert.throws(
    () => bn2.apply({ ...p2, gamma: matrix([[1], [1], [1]]) }, x2),
    {
      name: "RangeError",
      message:
        `Expected params.gamma of ${fn} to be 2x1, one entry per feature, got a 3x1 Matrix`,
    },
  );
  assert.throws(() => bn2.apply(p2, x2, loose(null)), {
    name: "TypeError",
    message:
      `Expected context of ${fn} to be an object { training, rng, state }, got null`,
  });
  assert.throws(() => bn2.apply(p2, x2, loose({ trainng: true })), {
    name: "TypeError",
    message:
      `Unknown key "trainng" in context of ${fn}: expected training, rng or state`,
  });
  assert.throws(() => bn2.apply(p2, x2, loose({ training: 1 })), {
    name: "TypeError",
    message: `Expected context.training of ${fn} to be a boolean, got 1`,
  });
  assert.throws(() => bn2.apply(p2, x2, loose({ state: {} })), {
    name: "TypeError",
    message:
      `Expected context.state.mean of ${fn} to be a Matrix, got undefined`,
  });
  const state = bn2.initState!();
  assert.throws(
    () => bn2.apply(p2, x2, { state: { ...state, variance: w } }),
    {
      name: "RangeError",
      message:
        `Expected context.state.variance of ${fn} to be 2x1, one entry per feature, got a 2x3 Matrix`,
    },
  );
  assert.throws(
    () =>
      bn2.apply(p2, x2, {
        state: { ...state, variance: matrix([[1], [-0.5]]) },
      }),
    {
      name: "RangeError",
      message:
        `Expected context.state.variance of ${fn} to hold no negative entry, got -0.5 in row 1`,
    },
  );
});

Deno.test("layers.dropout(…).apply checks x and the context in both modes", () => {
  const fn = "dropout(0.5).apply(params, x, context)";
  const drop = layers.dropout(0.5);
  for (const context of [undefined, { training: false, state: {} }]) {
    assert.throws(() => drop.apply({}, loose(Infinity), context), {
      name: "TypeError",
      message: `Expected x of ${fn} to be a Matrix, got Infinity`,
    });
  }
  assert.throws(
    () => drop.apply({}, loose([[NaN]]), { training: true, state: {} }),
    {
      name: "TypeError",
      message:
        `Expected x of ${fn} to be a Matrix, got an array of length 1 (build one from nested arrays with matrix(rows))`,
    },
  );
  assert.throws(() => drop.apply({}, w, loose(null)), {
    name: "TypeError",
    message:
      `Expected context of ${fn} to be an object { training, rng, state }, got null`,
  });
  assert.throws(() => drop.apply({}, w, loose({ training: "yes" })), {
    name: "TypeError",
    message:
      `Expected context.training of ${fn} to be a boolean, got the string "yes"`,
  });
  assert.throws(() => drop.apply({}, w, { training: true, state: {} }), {
    name: "TypeError",
    message:
      `Cannot apply dropout(0.5) in training without context.rng in ${fn}: pass { training: true, rng: createRng(seed) } (fit does)`,
  });
  assert.throws(
    () => drop.apply({}, w, loose({ training: true, rng: {}, state: {} })),
    {
      name: "TypeError",
      message:
        `Expected context.rng.normal of ${fn} to be a function (context.rng must be a generator from createRng(seed)), got undefined`,
    },
  );
  // At evaluation it is the identity, with or without a context.
  assert.equal(drop.apply({}, w), w);
  assert.equal(drop.apply({}, w, { state: {} }), w);
});

Deno.test("m.at(row, col) describes a bad index in words", () => {
  const cases: [unknown, unknown, string][] = [
    [0, {}, "0, an object"],
    [0, Object.create(null), "0, an object"],
    ["1", 0, "a string, 0"],
    [0, () => 1, "0, a function"],
    [0, [1], "0, an array"],
    [undefined, null, "undefined, null"],
    [10n, true, "a bigint, a boolean"],
    [Symbol("s"), 0, "a symbol, 0"],
    [2, 0, "2, 0"],
    [0, 1.5, "0, 1.5"],
    [NaN, -1, "NaN, -1"],
  ];
  for (const [row, col, shown] of cases) {
    assert.throws(() => w.at(loose(row), loose(col)), {
      name: "RangeError",
      message:
        `Cannot read entry (${shown}) of a 2x3 Matrix in at(row, col): indices must be integers within the shape`,
    });
  }
});

Deno.test("logSoftmax, batchNorm, dropout and globalNorm refuse to overflow", () => {
  // x − max = −2e308 overflows.
  assert.throws(() => logSoftmax(matrix([[-1e308], [1e308]])), {
    name: "RangeError",
    message:
      "Cannot compute logSoftmax(m): the result would hold -Infinity (overflow or an undefined operation); a Matrix holds only finite numbers",
  });
  const one = { gamma: matrix([[1]]), beta: matrix([[0]]) };
  const bn = "Cannot compute batchNorm(params, x, options)";
  // The sum 2e308 overflows, so does the mean.
  assert.throws(() => batchNorm(one, matrix([[1e308, 1e308]])), {
    name: "RangeError",
    message: new RegExp(
      `^${escape(bn)}: the mean of a row would hold Infinity`,
    ),
  });
  // The mean is 0, but each square 4e308 overflows.
  assert.throws(() => batchNorm(one, matrix([[2e154, -2e154]])), {
    name: "RangeError",
    message: new RegExp(
      `^${escape(bn)}: the variance of a row would hold Infinity`,
    ),
  });
  // x̂ = ±1/√(1 + ε) ≈ ±1, so γ·x̂ + β ≈ 1e308 + 1e308 overflows.
  const huge = { gamma: matrix([[1e308]]), beta: matrix([[1e308]]) };
  assert.throws(() => batchNorm(huge, matrix([[1, -1]])), {
    name: "RangeError",
    message: new RegExp(`^${escape(bn)}: the result would hold Infinity`),
  });
  // Kept entries are doubled: 2e308 overflows (at least one of 8 is kept).
  assert.throws(
    () =>
      dropout(matrix([new Array(8).fill(1e308)]), {
        rate: 0.5,
        rng: createRng(0),
      }),
    {
      name: "RangeError",
      message:
        /^Cannot compute dropout\(x, options\): the result would hold Infinity/,
    },
  );
  // √4 · 1e308 = 2e308 overflows; √2 · 1e308 does not.
  assert.throws(() => globalNorm(matrix([[1e308, 1e308, 1e308, 1e308]])), {
    name: "RangeError",
    message:
      "Cannot compute globalNorm(tree): the norm of tree overflows to Infinity (its entries are finite, their norm is not)",
  });
  assert.equal(globalNorm(matrix([[1e308, 1e308]])), 1e308 * Math.SQRT2);
});

Deno.test("l2Penalty is one op: (λ/2)·Σw², gradient λ·w, its overflow named", () => {
  // (0.1/2)·(1 + 4 + 4) = 0.45.
  assert.deepEqual(
    toArray(l2Penalty([matrix([[1, 2]]), matrix([[2]])], 0.1)),
    [[0.45]],
  );
  // (2/2)·(9 + 16) = 25; the gradient λ·w is 6 and 8.
  const { value, grad: g } = valueAndGrad((p: { a: Matrix; b: Matrix }) =>
    l2Penalty(p, 2)
  )({ a: matrix([[3]]), b: matrix([[4]]) });
  assert.equal(value, 25);
  assert.deepEqual(toArray(g.a), [[6]]);
  assert.deepEqual(toArray(g.b), [[8]]);
  // The same Matrix twice: 2·λ·w.
  assert.deepEqual(
    toArray(grad((m: Matrix) => l2Penalty([m, m], 0.5))(matrix([[2, -4]]))),
    [[2, -4]],
  );
  assert.throws(() => l2Penalty(matrix([[1e308]]), 1), {
    name: "RangeError",
    message:
      "Cannot compute l2Penalty(tree, lambda): the penalty would hold Infinity (overflow or an undefined operation); a Matrix holds only finite numbers",
  });
  // (1.7e308/2)·1.44 ≈ 1.2e308 is finite; its gradient 1.7e308·1.2 is not.
  assert.throws(
    () => grad((m: Matrix) => l2Penalty(m, 1.7e308))(matrix([[1.2]])),
    {
      name: "RangeError",
      message:
        /^Cannot compute l2Penalty\(tree, lambda\): the gradient would hold Infinity/,
    },
  );
});

Deno.test("clipByGlobalNorm checks the optimizer's name, and its update names itself", () => {
  assert.throws(
    () => clipByGlobalNorm(loose({ name: 5, init() {}, update() {} }), 1),
    {
      name: "TypeError",
      message:
        "Expected optimizer.name of clipByGlobalNorm(optimizer, maxNorm) to be a string, got 5",
    },
  );
  const opt = clipByGlobalNorm(sgd(0.1), 1);
  const fn = "clipByGlobalNorm(sgd(0.1), 1).update(params, grads, state)";
  assert.equal(opt.name, "clipByGlobalNorm(sgd(0.1), 1)");
  assert.throws(
    () => opt.update({ w }, loose({ w: () => 1 }), opt.init({ w })),
    {
      name: "TypeError",
      message: new RegExp(
        `^Expected grads\\.w of ${escape(fn)} to be a Matrix`,
      ),
    },
  );
  // √4 · 1e308 = 2e308 overflows.
  const big = matrix([[1e308, 1e308, 1e308, 1e308]]);
  assert.throws(() => opt.update(big, big, opt.init(big)), {
    name: "RangeError",
    message:
      `Cannot compute ${fn}: the norm of grads overflows to Infinity (its entries are finite, their norm is not)`,
  });
});

Deno.test("the schedules check their step: an integer from 1 to 2^53 − 1", () => {
  const step = stepDecay(0.1, { every: 2, gamma: 0.5 });
  const cos = cosineDecay(1, { steps: 4 });
  const named = [
    [step, "stepDecay(0.1, { every: 2, gamma: 0.5 })(step)"],
    [cos, "cosineDecay(1, { steps: 4, minimum: 0 })(step)"],
  ] as const;
  for (const [schedule, fn] of named) {
    assert.throws(() => schedule(loose("x")), {
      name: "TypeError",
      message: `Expected step of ${fn} to be an integer, got the string "x"`,
    });
    assert.throws(() => schedule(loose(3n)), {
      name: "TypeError",
      message: `Expected step of ${fn} to be an integer, got the bigint 3n`,
    });
    for (const bad of [0, -1e308, 1.5, 2 ** 53, NaN]) {
      assert.throws(() => schedule(bad), {
        name: "RangeError",
        message: `Expected step of ${fn} to be an integer from 1 to ${
          2 ** 53 - 1
        }, got ${bad}`,
      });
    }
  }
  // Steps 3 and 4 are in the second period of 2: 0.1 · 0.5.
  assert.equal(step(3), 0.05);
  // Past the decay the cosine schedule stays at its minimum, 0.
  assert.equal(cos(2 ** 53 - 1), 0);
});

Deno.test("confusionMatrix gives 0 where a measure is undefined; confusionTable checks its fields", () => {
  // Both samples predicted as class 0; the truth is 0, 1. counts [[1, 0],
  // [1, 0]]: precision 1/2 and 0/0 → 0, recall 1/1 and 0/1, F1 of class 0
  // 2·(1/2)·1/(1/2 + 1) = 2/3.
  const never = confusionMatrix(
    matrix([[1, 1], [0, 0]]),
    matrix([[1, 0], [0, 1]]),
  );
  assert.deepEqual(never.counts, [[1, 0], [1, 0]]);
  assert.deepEqual(never.precision, [0.5, 0]);
  assert.deepEqual(never.recall, [1, 0]);
  assert.deepEqual(never.f1, [2 / 3, 0]);
  // No sample of class 1, one predicted: recall 0/0 → 0.
  const absent = confusionMatrix(
    matrix([[1, 0], [0, 1]]),
    matrix([[1, 1], [0, 0]]),
  );
  assert.deepEqual(absent.counts, [[1, 1], [0, 0]]);
  assert.deepEqual(absent.precision, [1, 0]);
  assert.deepEqual(absent.recall, [0.5, 0]);
  assert.deepEqual(absent.f1, [2 / 3, 0]);
  assert.match(confusionTable(never), /^1\s+1\s+0\s+0\.0%\s+0\.0%\s+0\.0%$/m);

  const fn = "confusionTable(confusion, labels)";
  const good = {
    classes: 2,
    counts: [[1, 0], [0, 2]],
    precision: [1, 1],
    recall: [1, 1],
    f1: [1, 1],
    accuracy: 1,
  };
  for (const key of ["precision", "recall", "f1"]) {
    for (
      const [value, shown] of [[undefined, "undefined"], [
        [1],
        "an array of length 1",
      ], [[1, "1"], "an array of length 2"]] as const
    ) {
      assert.throws(() => confusionTable(loose({ ...good, [key]: value })), {
        name: "TypeError",
        message:
          `Expected confusion.${key} of ${fn} to be an array of 2 numbers, one per class, got ${shown}`,
      });
    }
  }
  assert.throws(() => confusionTable(loose({ ...good, counts: [[1, 0], 2] })), {
    name: "TypeError",
    message:
      `Expected confusion.counts[1] of ${fn} to be an array of 2 numbers, one per class, got 2`,
  });
  assert.throws(() => confusionTable(loose({ ...good, accuracy: 0n })), {
    name: "TypeError",
    message:
      `Expected confusion.accuracy of ${fn} to be a number, got the bigint 0n`,
  });
  assert.match(confusionTable(good), /accuracy 100\.0%$/);
});

Deno.test("mnist names its files; parseIdx checks its name", () => {
  const fn = "mnist(files, options)";
  const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 7]);
  assert.throws(() => mnist(loose({})), {
    name: "TypeError",
    message: `Expected files.images of ${fn} to be a Uint8Array, got undefined`,
  });
  const images = new Uint8Array([
    0,
    0,
    8,
    3,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    28,
    0,
    0,
    0,
    28,
    ...new Array(784).fill(0),
  ]);
  assert.throws(() => mnist(loose({ images, labels: [7] })), {
    name: "TypeError",
    message:
      `Expected files.labels of ${fn} to be a Uint8Array, got an array of length 1`,
  });
  // One byte short of the 28 x 28 pixels the header announces.
  assert.throws(() => mnist({ images: images.subarray(0, -1), labels }), {
    name: "RangeError",
    message:
      `Cannot parse files.images in ${fn}: its header announces 1 x 28 x 28 = 784 entries, but 783 bytes follow (truncated)`,
  });
  assert.deepEqual(mnist({ images, labels }).labels, [7]);
  assert.throws(() => parseIdx(Uint8Array.from([203]), loose({})), {
    name: "TypeError",
    message:
      "Expected name of parseIdx(bytes, name) to be a string, got an object",
  });
  assert.throws(() => parseIdx(loose(undefined), "labels"), {
    name: "TypeError",
    message:
      "Expected bytes of parseIdx(bytes, name) to be a Uint8Array, got undefined",
  });
});

// ------------------------------------------------- a new user's review

/** The article's model and its one sample (section 1). */
const article = {
  params: { w, b: matrix([[1.2], [3.4]]) },
  data: { x: matrix([[5], [2], [7]]), d: matrix([[1], [0]]) },
};

Deno.test("train refuses, before it starts, a history too long to keep and more than 1e9 steps", () => {
  const fn = "train(params, data, options)";
  const { params, data } = article;
  // Once: 1e9 steps, each logged, ran half a minute and then died of V8's
  // out-of-memory error, a C stack trace and exit 133. A million records
  // take about 84 MB; a billion would take 84 GB.
  const started = performance.now();
  assert.throws(
    () => train(params, data, { learningRate: 1e-4, steps: 1e9, logEvery: 1 }),
    {
      name: "RangeError",
      message:
        `Cannot record 1000000000 losses in ${fn}: options.steps 1000000000 with options.logEvery 1 records the loss every step, and the history holds at most 1000000; raise options.logEvery to at least 1000`,
    },
  );
  assert.ok(performance.now() - started < 1000, "refused before training");
  // Steps 0, 2, …, 2000000: ceil(2000001 / 2) = 1000001 records, one too
  // many; every 3rd step gives 666667.
  assert.throws(
    () => train(params, data, { steps: 2_000_001, logEvery: 2 }),
    {
      name: "RangeError",
      message:
        `Cannot record 1000001 losses in ${fn}: options.steps 2000001 with options.logEvery 2 records the loss every 2 steps, and the history holds at most 1000000; raise options.logEvery to at least 3`,
    },
  );
  // Exactly a million fit: steps 0, 2, …, 1999998.
  const longest = train(params, data, { steps: 2_000_000, logEvery: 2 });
  assert.equal(longest.history.length, 1_000_000);
  assert.equal(longest.history[999_999].step, 1_999_998);
  // The article's data takes about 125 ns a step: 1e9 steps is two
  // minutes, and more is refused whatever logEvery is.
  assert.throws(
    () => train(params, data, { steps: 1e9 + 1, logEvery: 1e9 }),
    {
      name: "RangeError",
      message:
        `Expected options.steps of ${fn} to be a positive integer of at most 1000000000, got 1000000001; train longer by calling train again from the returned params`,
    },
  );
});

Deno.test("train's divergence message suggests a learning rate that is stable for the data", () => {
  const fn = "train(params, data, options)";
  const { params, data } = article;
  // x = (5, 2, 7)ᵀ: λmax(x·xᵀ) = |x|² = 25 + 4 + 49 = 78, so rates below
  // 1/78 = 0.01282… converge; the suggestion is 1/(2·78) = 0.00641…,
  // rounded down to 0.0064. Once the suggestion was a tenth of the rate:
  // 0.1 for 1, which diverges too (Infinity at step 132).
  const stable =
    "try a smaller learning rate, such as 0.0064: training is stable only below 1/λmax = 0.01282, where λmax = 78 is the largest eigenvalue of x·xᵀ";
  assert.throws(() => train(params, data, { learningRate: 1, steps: 100 }), {
    name: "RangeError",
    message:
      `Training diverged at step 70: the loss became Infinity with learning rate 1 in ${fn}; ${stable}`,
  });
  assert.throws(
    () => train(params, data, { learningRate: 0.1, steps: 1000 }),
    {
      name: "RangeError",
      message:
        `Training diverged at step 132: the loss became Infinity with learning rate 0.1 in ${fn}; ${stable}`,
    },
  );
  // The suggestion converges: the loss falls at every step.
  const { history, finalLoss } = train(params, data, {
    learningRate: 0.0064,
    steps: 1000,
  });
  for (let i = 1; i < history.length; i++) {
    assert.ok(history[i].loss <= history[i - 1].loss, `step ${i}`);
  }
  assert.ok(finalLoss < 1e-20);
  // Training the bias adds an input that is always 1: λmax = 78 + 1 = 79,
  // 1/79 = 0.012658… and 1/158 = 0.006329… → 0.0063.
  assert.throws(
    () =>
      train(params, data, { learningRate: 0.05, steps: 300, trainBias: true }),
    {
      name: "RangeError",
      message:
        `Training diverged at step 183: the loss became Infinity with learning rate 0.05 in ${fn}; try a smaller learning rate, such as 0.0063: training is stable only below 1/λmax = 0.01266, where λmax = 79 is the largest eigenvalue of x·xᵀ, x with a row of ones for the trained bias`,
    },
  );
  assert.ok(
    train(params, data, {
      learningRate: 0.0063,
      steps: 1000,
      trainBias: true,
    }).finalLoss < 1e-20,
  );
  // A loss that overflows before any update: no learning rate helps.
  assert.throws(
    () => train({ w, b: matrix([[1e200], [0]]) }, data),
    {
      name: "RangeError",
      message:
        `Training diverged at step 0: the loss became Infinity with learning rate 0.0001 in ${fn}; that is the loss of the starting parameters, before any update, so the numbers in params or data are too large for float64: scale them down`,
    },
  );
});

Deno.test("leakyRelu, add, softmax, relu and dot refuse the argument they once ignored", () => {
  const m = matrix([[-1]]);
  // leakyRelu(m, 0.5) was leakyRelu(m): [[-0.01]], not [[-0.5]].
  const leaky =
    "Cannot call leakyRelu(m) with 2 arguments: it takes 1; it has no alpha option, and its slope for negative entries is always 0.01";
  for (const extra of [0.5, { alpha: 0.5 }]) {
    assert.throws(() => loose(leakyRelu)(m, extra), {
      name: "TypeError",
      message: leaky,
    });
  }
  assert.deepEqual(toArray(leakyRelu(m)), [[-0.01]]);
  // add(A, A, A) was A + A.
  const a = matrix([[1, 2], [3, 4]]);
  assert.throws(() => loose(add)(a, a, a), {
    name: "TypeError",
    message: "Cannot call add(a, b) with 3 arguments: it takes 2",
  });
  assert.throws(() => loose(softmax)(a, { axis: 0 }), {
    name: "TypeError",
    message:
      "Cannot call softmax(m) with 2 arguments: it takes 1; it has no axis or other option, and always works down each column, as samples are columns",
  });
  assert.throws(() => loose(relu)(a, { foo: 1 }), {
    name: "TypeError",
    message: "Cannot call relu(m) with 2 arguments: it takes 1",
  });
  assert.throws(() => loose(dot)(a, a, { foo: 1 }), {
    name: "TypeError",
    message: "Cannot call dot(a, b) with 3 arguments: it takes 2",
  });
  // An optional options object is the last argument; none after it.
  assert.throws(() => loose(sum)(a, {}, 1), {
    name: "TypeError",
    message: "Cannot call sum(m, options) with 3 arguments: it takes at most 2",
  });
  assert.throws(() => loose(xorData)(4), {
    name: "TypeError",
    message: "Cannot call xor() with 1 argument: it takes none",
  });
  // Refused inside a gradient as well.
  assert.throws(() => grad((p: Matrix) => sum(loose(relu)(p, 2)))(a), {
    name: "TypeError",
    message: "Cannot call relu(m) with 2 arguments: it takes 1",
  });
  // An op made by defineOp passes its arguments on to its forward: a
  // default value there works as in any function.
  const scaled = defineOp({
    name: "scaled",
    forward: (x: Matrix, k: number = 2) => scale(x, k),
    backward: (g, { args: [, k] }) => [scale(g, k ?? 2), null],
  });
  assert.deepEqual(toArray(scaled(m)), [[-2]]);
  assert.deepEqual(toArray(scaled(m, 3)), [[-3]]);
});

Deno.test("every export of mod.ts refuses an argument more than it takes", () => {
  // Each export's parameters, as its source lists them: called with one
  // more (all undefined), it must refuse the call before anything else;
  // called with exactly as many, it must not.
  const targets: [string, (...args: unknown[]) => unknown, string[]][] = [];
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "function") {
      // `new Matrix` refuses every call by design: it wants a private token.
      if (name === "Matrix") continue;
      const f = value as (...args: unknown[]) => unknown;
      const isClass = /^class\b/.test(Function.prototype.toString.call(f));
      targets.push(
        isClass
          ? [
            `new ${name}`,
            (...args) => Reflect.construct(f, args),
            parameterNames(f),
          ]
          : [name, f, parameterNames(f)],
      );
    } else if (typeof value === "object" && value !== null) {
      // A namespace (layers): its messages name dense(…) within layers.dense.
      for (const [key, f] of Object.entries(value)) {
        if (typeof f === "function") {
          targets.push([key, loose(f), parameterNames(f)]);
        }
      }
    }
  }
  assert.ok(targets.length >= 90, `only ${targets.length} exports found`);
  for (const [name, f, params] of targets) {
    const signature = `${name}(${params.join(", ")})`;
    const n = params.length;
    const takes = n === 0 ? "none" : `(at most )?${n}`;
    const more = new Array(n + 1).fill(undefined);
    assert.throws(() => f(...more), {
      name: "TypeError",
      message: new RegExp(
        `^Cannot call ${escape(signature)} with ${
          n + 1
        } arguments?: it takes ${takes}(; .*)?$`,
      ),
    }, signature);
    try {
      f(...more.slice(1));
    } catch (e) {
      assert.doesNotMatch((e as Error).message, /^Cannot call /, signature);
    }
  }
});

Deno.test("softmaxCrossEntropy refuses labels that are not probability columns", () => {
  const fn = "softmaxCrossEntropy(logits, oneHotLabels)";
  const logits = matrix([[0], [5]]);
  // Labels [[-1], [1]] once gave a loss of −5: −(−1·(lse − 0) + 1·(lse − 5))
  // = −5 whatever lse is.
  for (
    const [labels, message] of [
      [
        [[-1], [1]],
        `Expected oneHotLabels of ${fn} to hold probabilities from 0 to 1, one distribution per column (a one-hot column for a class), got -1 at row 0, column 0`,
      ],
      [
        [[2], [0]],
        `Expected oneHotLabels of ${fn} to hold probabilities from 0 to 1, one distribution per column (a one-hot column for a class), got 2 at row 0, column 0`,
      ],
      [
        [[0.5], [0.4]],
        `Expected each column of oneHotLabels of ${fn} to sum to 1 (within 1e-6), as a one-hot column does, got 0.9 for column 0`,
      ],
      // Class indices in a row, as in PyTorch, are not one-hot columns.
      [
        [[1, 0]],
        `Expected each column of oneHotLabels of ${fn} to sum to 1 (within 1e-6), as a one-hot column does, got 0 for column 1`,
      ],
    ] as const
  ) {
    assert.throws(
      () =>
        softmaxCrossEntropy(
          labels[0].length === 1 ? logits : matrix([[0, 5]]),
          matrix(labels as unknown as number[][]),
        ),
      { name: "RangeError", message },
    );
  }
  // The squared errors take any targets.
  assert.equal(mse(logits, matrix([[-1], [1]])), (1 + 16) / 2);
  // One-hot and soft labels stay accepted. With L = log(1 + e⁻⁵), the
  // log-probabilities are −(5 + L) and −L: one-hot [0, 1] costs L, soft
  // [0.9, 0.1] costs 0.9·(5 + L) + 0.1·L = 4.5 + L.
  const l = Math.log1p(Math.exp(-5));
  const near = (a: number, b: number) =>
    assert.ok(
      Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)),
      `${a} ≠ ${b}`,
    );
  near(softmaxCrossEntropy(logits, matrix([[0], [1]])), l);
  near(softmaxCrossEntropy(logits, matrix([[0.9], [0.1]])), 4.5 + l);
  // Thirds sum to 1 − 1.1e-16: rounding, inside the tolerance of 1e-6; a
  // column 9e-7 short is too, 2e-6 short is not.
  const third = 1 / 3;
  near(
    softmaxCrossEntropy(
      matrix([[0], [0], [0]]),
      matrix([[third], [third], [third]]),
    ),
    Math.log(3),
  );
  softmaxCrossEntropy(logits, matrix([[0.5], [0.5 - 9e-7]]));
  assert.throws(
    () => softmaxCrossEntropy(logits, matrix([[0.5], [0.5 - 2e-6]])),
    {
      name: "RangeError",
      message:
        "Expected each column of oneHotLabels of softmaxCrossEntropy(logits, oneHotLabels) to sum to 1 (within 1e-6), as a one-hot column does, got 0.9999979999999999 for column 0",
    },
  );
});

Deno.test("fit and evaluate refuse targets the cross-entropy cannot use, naming data.d", () => {
  const { model, params } = mlp([2, 3, 2], 1);
  const x = xor.x;
  // Column 0 sums to 0.5; the others are soft or one-hot labels.
  const d = matrix([[0.5, 0.5, 0, 0], [0, 0.5, 1, 1]]);
  const tail =
    `, as the loss "softmaxCrossEntropy" needs; for other targets choose options.loss "mse"`;
  const fitFn = "fit(model, params, data, options)";
  // The default loss is the cross-entropy.
  assert.throws(() => fit(model, params, { x, d }, { epochs: 1 }), {
    name: "RangeError",
    message:
      `Expected each column of data.d of ${fitFn} to sum to 1 (within 1e-6), as a one-hot column does, got 0.5 for column 0${tail}`,
  });
  assert.throws(
    () =>
      fit(model, params, xor, {
        epochs: 1,
        validation: { x, d: matrix([[1, 0, 2, 0], [0, 1, -1, 1]]) },
      }),
    {
      name: "RangeError",
      message:
        `Expected options.validation.d of ${fitFn} to hold probabilities from 0 to 1, one distribution per column (a one-hot column for a class), got 2 at row 0, column 2${tail}`,
    },
  );
  assert.throws(() => evaluate(model, params, { x, d }), {
    name: "RangeError",
    message:
      `Expected each column of data.d of evaluate(model, params, data, options) to sum to 1 (within 1e-6), as a one-hot column does, got 0.5 for column 0${tail}`,
  });
  // With the squared error such targets are fine.
  assert.equal(
    fit(model, params, { x, d }, { epochs: 1, loss: "mse" }).history.length,
    1,
  );
  assert.ok(
    Number.isFinite(evaluate(model, params, { x, d }, { loss: "mse" }).loss),
  );
});

/** A string as a regular expression that matches it literally. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("Array callbacks keep working: the (index, array) that map and reduce pass are let through, any other extra argument is refused", () => {
  const m1 = matrix([[1, -2]]), m2 = matrix([[-3, 4]]), m3 = matrix([[5, 6]]);
  assert.deepEqual([m1, m2].map(mod.toArray), [[[1, -2]], [[-3, 4]]]);
  assert.deepEqual(
    [m1, m2].map(mod.relu).map(mod.toArray),
    [[[1, 0]], [[0, 4]]],
  );
  assert.deepEqual(
    [m1].map(mod.transpose).map(mod.toArray),
    [[[1], [-2]]],
  );
  assert.deepEqual(
    [[[1, 2]], [[3, 4]]].map(matrix).map(mod.toArray),
    [[[1, 2]], [[3, 4]]],
  );
  // reduce passes (accumulator, value, index, array).
  assert.deepEqual(mod.toArray([m1, m2, m3].reduce(add)), [[3, 8]]);
  // Any other extra argument is still refused: a slope, an options object,
  // a third matrix, or extras that are not (a number, an array).
  assert.throws(() => loose(mod.leakyRelu)(m1, 0.5), TypeError);
  assert.throws(() => loose(add)(m1, m2, m3), {
    name: "TypeError",
    message: "Cannot call add(a, b) with 3 arguments: it takes 2",
  });
  assert.throws(() => loose(add)(m1, m2, 0, "not an array"), {
    name: "TypeError",
    message: "Cannot call add(a, b) with 4 arguments: it takes 2",
  });
  assert.throws(() => loose(mod.relu)(m1, 0, [m1], "more"), {
    name: "TypeError",
    message: "Cannot call relu(m) with 4 arguments: it takes 1",
  });
});

Deno.test("fit and evaluate take the toolkit's own loss functions as their names", () => {
  const { model, params } = mod.mlp([2, 2], 1);
  const targets = { x: xor.x, d: matrix([[0.5, -1, 2, 0], [1, 0, 0, 3]]) };
  for (
    const [fnLoss, name] of [[mod.mse, "mse"], [
      mod.squaredError,
      "squaredError",
    ]] as const
  ) {
    const byFunction = fit(model, params, targets, {
      epochs: 2,
      loss: loose(fnLoss),
    });
    const byName = fit(model, params, targets, { epochs: 2, loss: name });
    assert.deepEqual(byFunction.history, byName.history);
    assert.equal(
      evaluate(model, params, targets, { loss: loose(fnLoss) }).loss,
      evaluate(model, params, targets, { loss: name }).loss,
    );
  }
  // The cross-entropy passed as a function checks its labels as by name.
  assert.throws(
    () =>
      fit(model, params, targets, {
        epochs: 1,
        loss: loose(mod.softmaxCrossEntropy),
      }),
    RangeError,
  );
  const byFunction = fit(model, params, xor, {
    epochs: 2,
    loss: loose(mod.softmaxCrossEntropy),
  });
  assert.deepEqual(
    byFunction.history,
    fit(model, params, xor, { epochs: 2, loss: "softmaxCrossEntropy" }).history,
  );
});
