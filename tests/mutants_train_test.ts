// Behaviour of the article's perceptron (lib/perceptron.ts), of fit
// (lib/train/fit.ts) and of the metrics (lib/train/metrics.ts) that the
// other test files leave unchecked: exact error messages, the rare branches
// (a final update that overflows, an optimizer that returns garbage, a loss
// that throws), and the confusion table printed character by character.
// Every expected number is worked out by hand in the comment beside it.
import assert from "node:assert/strict";
import {
  accuracy,
  confusionMatrix,
  confusionTable,
  dot,
  evaluate,
  fit,
  forward,
  gradient,
  type Matrix,
  matrix,
  type Model,
  mse,
  type Optimizer,
  type Params,
  sgd,
  softmaxCrossEntropy,
  squaredError,
  train,
} from "../mod.ts";

/** For calls that the types forbid. */
// deno-lint-ignore no-explicit-any
const loose = (v: unknown): any => v;

// ---------------------------------------------------------------- perceptron

// The article's model (sections.md): w 2x3, b 2x1, one sample x.
const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const b = matrix([[1.2], [3.4]]);
const x = matrix([[5], [2], [7]]);

Deno.test("perceptron: messages name the missing weights and the bad data fields", () => {
  const cases: [() => unknown, string][] = [
    [
      () => forward(loose({ w: 1, b }), x),
      "Expected params.w of forward(params, x) to be a Matrix, got 1",
    ],
    [
      () => gradient({ w, b }, loose(5)),
      "Expected data of gradient(params, data) to be an object { x, d } of matrices, got 5",
    ],
    [
      () => gradient({ w, b }, loose({ x, d: 3 })),
      "Expected data.d of gradient(params, data) to be a Matrix, got 3",
    ],
    [
      () => train({ w, b }, loose({ x, d: "d" })),
      'Expected data.d of train(params, data, options) to be a Matrix, got the string "d"',
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, { name: "TypeError", message });
  }
});

Deno.test("forward: an overflowing output is reported by forward itself", () => {
  // u = 1e200 · 1e200 + 0 = 1e400, beyond the largest double: Infinity.
  const big = { w: matrix([[1e200]]), b: matrix([[0]]) };
  assert.throws(() => forward(big, matrix([[1e200]])), {
    name: "RangeError",
    message:
      "Cannot compute forward(params, x): the result would hold Infinity (overflow or an undefined operation); a Matrix holds only finite numbers",
  });
});

Deno.test("train: a last update that overflows the loss is reported as divergence at that step", () => {
  // One weight, one sample: w = 0, b = 0, x = 1e200, d = 1.
  // Step 0: u = 0, loss (0 − 1)² = 1 (finite), gradient 2(0 − 1)·1e200 =
  // −2e200, so w = 0 − 1·(−2e200) = 2e200 (finite). The final loss is then
  // (2e200·1e200 − 1)² = Infinity. No rate is stable: λmax = x² = 1e400
  // overflows.
  const params = { w: matrix([[0]]), b: matrix([[0]]) };
  const data = { x: matrix([[1e200]]), d: matrix([[1]]) };
  assert.throws(
    () => train(params, data, { learningRate: 1, steps: 1 }),
    {
      name: "RangeError",
      message:
        "Training diverged at step 1: the loss became Infinity with learning rate 1 in train(params, data, options); no learning rate is small enough, as λmax, the largest eigenvalue of x·xᵀ, overflows: scale the inputs x down",
    },
  );
  // With a rate of 0.5: w = 1e200 after step 0, the final loss 1e400 − 1
  // squared = Infinity again.
  assert.throws(
    () => train(params, data, { learningRate: 0.5, steps: 1 }),
    {
      name: "RangeError",
      message:
        "Training diverged at step 1: the loss became Infinity with learning rate 0.5 in train(params, data, options); no learning rate is small enough, as λmax, the largest eigenvalue of x·xᵀ, overflows: scale the inputs x down",
    },
  );
});

// ------------------------------------------------------------------- fit

/**
 * A one-layer linear model u = W·x written by hand (no `layers`), passing its
 * state through; `seen` collects the options of every applyWithState call.
 */
function linearModel(extra?: (output: Matrix) => void): {
  model: Model;
  seen: unknown[];
} {
  const seen: unknown[] = [];
  const model = loose({
    init: () => [{ w: matrix([[1, 0], [0, 1]]) }],
    initState: () => [{}],
    apply: (p: Params[], input: Matrix) =>
      dot((p[0] as { w: Matrix }).w, input),
    applyWithState: (
      p: Params[],
      input: Matrix,
      options: { state: Params[] },
    ) => {
      seen.push(options);
      const output = dot((p[0] as { w: Matrix }).w, input);
      extra?.(output);
      return { output, state: options.state };
    },
  });
  return { model, seen };
}

const identity = () => [{ w: matrix([[1, 0], [0, 1]]) }];
// Four samples, each with its larger entry in the row of its class, so that
// W = I classifies all four correctly.
const xs = matrix([[3, 0, 2, 0], [0, 3, 0, 2]]);
const ds = matrix([[1, 0, 1, 0], [0, 1, 0, 1]]);
const fitFn = "fit(model, params, data, options)";

Deno.test("fit: the batch accuracy given to onStep is the fraction of its samples right", () => {
  const { model } = linearModel();
  const steps: { samples: number; accuracy: number; batches: number }[] = [];
  const result = fit(model, identity(), { x: xs, d: ds }, {
    epochs: 1,
    batchSize: 2,
    optimizer: sgd(0.001),
    onStep: (r) => steps.push(r),
  });
  // Before the first update W = I: output = x, both samples of the batch
  // right, 2/2 = 1.
  assert.equal(steps.length, 2);
  assert.equal(steps[0].samples, 2);
  assert.equal(steps[0].batches, 2);
  assert.equal(steps[0].accuracy, 1);
  // After one sgd step of 0.001 the margins (2 or 3) barely move: 2/2 again.
  assert.equal(steps[1].accuracy, 1);
  assert.equal(result.history[0].accuracy, 1);
});

Deno.test("fit: starts from options.state and returns the model's last state", () => {
  const { model, seen } = linearModel();
  const start = [{ mean: matrix([[7]]) }];
  const result = fit(model, identity(), { x: xs, d: ds }, {
    epochs: 1,
    batchSize: 4,
    optimizer: sgd(0.001),
    state: start,
  });
  assert.equal(seen.length, 1);
  assert.equal((seen[0] as { state: unknown }).state, start);
  assert.equal(result.modelState, start);
});

Deno.test("fit: hands the optimizer a copy of the params array", () => {
  // An optimizer that writes its step into the array it is given.
  const inPlace: Optimizer = loose({
    name: "in place",
    init: () => ({}),
    update: (p: Params[], _g: unknown, state: unknown) => {
      p[0] = { w: matrix([[5, 0], [0, 5]]) };
      return { params: p, state };
    },
  });
  const { model } = linearModel();
  const params = identity();
  const first = params[0];
  const result = fit(model, params, { x: xs, d: ds }, {
    epochs: 1,
    batchSize: 4,
    optimizer: inPlace,
  });
  assert.equal(params[0], first);
  assert.deepEqual(
    (result.params[0] as { w: Matrix }).w,
    matrix([[5, 0], [0, 5]]),
  );
});

Deno.test("fit: refuses an optimizer that is not one, naming the field", () => {
  const { model } = linearModel();
  const data = { x: xs, d: ds };
  assert.throws(() => fit(model, identity(), data, loose({ optimizer: 5 })), {
    name: "TypeError",
    message:
      `Expected options.optimizer of ${fitFn} to be an optimizer such as adam(0.001), got 5`,
  });
  assert.throws(
    () =>
      fit(
        model,
        identity(),
        data,
        loose({ optimizer: { init: 1, update: () => 0 } }),
      ),
    {
      name: "TypeError",
      message:
        `Expected options.optimizer.init of ${fitFn} to be a function, got 1`,
    },
  );
});

Deno.test("fit: refuses what optimizer.update returns unless it is { params, state } with one entry per layer", () => {
  const { model } = linearModel();
  const fnWithParams = Object.assign(() => 0, {
    params: identity(),
    state: {},
  });
  const cases: [unknown, string][] = [
    [5, "5"],
    [null, "null"],
    [fnWithParams, "a function"],
    [{ params: 3, state: {} }, "an object"],
    [{ params: { length: 1 }, state: {} }, "an object"],
    [{ params: [], state: {} }, "an object"],
    [{ params: [...identity(), ...identity()], state: {} }, "an object"],
  ];
  for (const [returned, shown] of cases) {
    const optimizer = loose({
      name: "odd",
      init: () => ({}),
      update: () => returned,
    });
    assert.throws(
      () => fit(model, identity(), { x: xs, d: ds }, { epochs: 1, optimizer }),
      {
        name: "TypeError",
        message:
          `Expected options.optimizer.update of ${fitFn} to return { params, state } with 1 layer parameters, got ${shown}`,
      },
    );
  }
});

Deno.test("fit: a loss's own errors pass through; only overflows become divergence", () => {
  const { model } = linearModel();
  const data = { x: xs, d: ds };
  const throwing = (e: Error) => () => {
    throw e;
  };
  // A RangeError that is not an overflow is not a divergence.
  assert.throws(
    () =>
      fit(model, identity(), data, {
        loss: throwing(new RangeError("targets out of range")),
      }),
    { name: "RangeError", message: "targets out of range" },
  );
  // Nor is a TypeError, whatever its message says.
  assert.throws(
    () =>
      fit(model, identity(), data, {
        loss: throwing(new TypeError("no overflow check here")),
      }),
    { name: "TypeError", message: "no overflow check here" },
  );
  // An overflow RangeError is reported as divergence in its epoch.
  assert.throws(
    () =>
      fit(model, identity(), data, {
        loss: throwing(new RangeError("the sum would overflow")),
      }),
    {
      name: "RangeError",
      message:
        `Training diverged in epoch 1 of ${fitFn}: the sum would overflow; try a smaller learning rate`,
    },
  );
});

Deno.test("fit: a built-in loss stays traceable when the model also reads out the same number", () => {
  // One sample, batch 1: the model computes the loss of its own output
  // against d as a number (a traced scalar). fit's built-in loss must not
  // return an equal bare number, or the gradient could not tell the two
  // apart; it returns a 1x1 Matrix.
  const one = { x: matrix([[3], [0]]), d: matrix([[1], [0]]) };
  const losses = [
    ["softmaxCrossEntropy", softmaxCrossEntropy],
    ["mse", mse],
    ["squaredError", squaredError],
  ] as const;
  for (const [name, f] of losses) {
    const { model } = linearModel((output) => {
      f(output, one.d);
    });
    const result = fit(model, identity(), one, {
      epochs: 1,
      batchSize: 1,
      loss: name,
      optimizer: sgd(0.001),
    });
    assert.equal(result.history.length, 1);
  }
});

// --------------------------------------------------------------- metrics

const evalFn = "evaluate(model, params, data, options)";

Deno.test("evaluate: a custom loss may return a number or a 1x1 Matrix, nothing else", () => {
  const { model } = linearModel();
  const data = { x: xs, d: ds };
  const run = (value: unknown) =>
    evaluate(model, identity(), data, { loss: () => loose(value) });
  assert.equal(run(0.25).loss, 0.25);
  assert.equal(run(matrix([[0.75]])).loss, 0.75);
  // W = I: all four right.
  assert.equal(run(0.25).accuracy, 1);
  const bad: [unknown, string][] = [
    [matrix([[1, 2]]), "a 1x2 Matrix"],
    [matrix([[1], [2]]), "a 2x1 Matrix"],
    [matrix([[1, 2], [3, 4]]), "a 2x2 Matrix"],
    [{ rows: 1, cols: 1 }, "an object"],
    ["0.5", 'the string "0.5"'],
  ];
  for (const [value, shown] of bad) {
    assert.throws(() => run(value), {
      name: "TypeError",
      message:
        `Expected the loss in ${evalFn} to return a number or a 1x1 Matrix, got ${shown}`,
    });
  }
});

Deno.test("evaluate: passes model.apply a state only when one is given", () => {
  const calls: unknown[] = [];
  const model = loose({
    apply: (_p: unknown, input: Matrix, options: unknown) => {
      calls.push(options);
      return input;
    },
  });
  const data = { x: xs, d: ds };
  evaluate(model, [], data);
  const state = [{}];
  evaluate(model, [], data, { state });
  assert.deepStrictEqual(calls[0], {});
  assert.deepStrictEqual(calls[1], { state });
  assert.equal((calls[1] as { state: unknown }).state, state);
});

Deno.test("evaluate: messages name data, options.loss and the output's shape", () => {
  const { model } = linearModel();
  const cases: [() => unknown, string, string][] = [
    [
      () => evaluate(model, identity(), loose(5)),
      "TypeError",
      `Expected data of ${evalFn} to be an object { x, d } of matrices, got 5`,
    ],
    [
      () =>
        evaluate(model, identity(), { x: xs, d: ds }, loose({ loss: "l1" })),
      "TypeError",
      `Expected options.loss of ${evalFn} to be "softmaxCrossEntropy", "mse" or "squaredError", got the string "l1"`,
    ],
    [
      // W·x is 2x4; d is 3x4.
      () =>
        evaluate(model, identity(), {
          x: xs,
          d: matrix([[1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 0, 0]]),
        }),
      "RangeError",
      `Cannot compare the output 2x4 with 3x4 in ${evalFn}: the output and data.d must have the same shape`,
    ],
  ];
  for (const [call, name, message] of cases) {
    assert.throws(call, { name, message });
  }
});

Deno.test("accuracy and confusionMatrix: messages name the function and the argument", () => {
  const m23 = matrix([[1, 2, 3], [4, 5, 6]]);
  const m32 = matrix([[1, 2], [3, 4], [5, 6]]);
  for (
    const [f, fn] of [
      [accuracy, "accuracy(output, targets)"],
      [confusionMatrix, "confusionMatrix(output, targets)"],
    ] as const
  ) {
    assert.throws(() => f(loose(5), m23), {
      name: "TypeError",
      message: `Expected output of ${fn} to be a Matrix, got 5`,
    });
    assert.throws(() => f(m23, loose(null)), {
      name: "TypeError",
      message: `Expected targets of ${fn} to be a Matrix, got null`,
    });
    assert.throws(() => f(m23, m32), {
      name: "RangeError",
      message:
        `Cannot compare 2x3 with 3x2 in ${fn}: output and targets must have the same shape`,
    });
  }
});

Deno.test("confusionMatrix: one row of probabilities is a two-class problem", () => {
  // Predicted (≥ 0.5): 0, 1, 1, 0; truth: 0, 1, 0, 1.
  // counts[truth][predicted]: (0,0), (1,1), (0,1), (1,0) → [[1, 1], [1, 1]].
  const c = confusionMatrix(
    matrix([[0.2, 0.7, 0.9, 0.4]]),
    matrix([[0, 1, 0, 1]]),
  );
  assert.equal(c.classes, 2);
  assert.deepEqual(c.counts, [[1, 1], [1, 1]]);
  assert.deepEqual(c.precision, [0.5, 0.5]);
  assert.deepEqual(c.recall, [0.5, 0.5]);
  assert.equal(c.accuracy, 0.5);
});

Deno.test("confusionTable: the whole table, aligned", () => {
  // Outputs' argmax 0, 1, 1; truth 0, 1, 0: counts [[1, 1], [0, 1]],
  // precision 1/1 and 1/2, recall 1/2 and 1/1, F1 2·1·0.5/1.5 = 2/3 for both,
  // accuracy 2/3. Column widths: 16 ("true \ predicted"), 3, 3, 9
  // ("precision"), 6 ("recall", "100.0%"), 5 ("66.7%").
  const c = confusionMatrix(
    matrix([[2, 0.1, 5], [1, 0.3, 7]]),
    matrix([[1, 0, 1], [0, 1, 0]]),
  );
  assert.equal(
    confusionTable(c, ["cat", "dog"]),
    [
      "true \\ predicted  cat  dog  precision  recall     F1",
      "----------------  ---  ---  ---------  ------  -----",
      "cat                 1    1     100.0%   50.0%  66.7%",
      "dog                 0    1      50.0%  100.0%  66.7%",
      "accuracy 66.7%",
    ].join("\n"),
  );
  // Default labels "0", "1"; a NaN measure (from a hand-made record) prints
  // as "-".
  assert.equal(
    confusionTable({ ...c, precision: [NaN, 0.5], accuracy: NaN }),
    [
      "true \\ predicted  0  1  precision  recall     F1",
      "----------------  -  -  ---------  ------  -----",
      "0                 1  1          -   50.0%  66.7%",
      "1                 0  1      50.0%  100.0%  66.7%",
      "accuracy -",
    ].join("\n"),
  );
});

Deno.test("confusionTable: refuses a record that is not a confusion matrix, and bad labels", () => {
  const fn = "confusionTable(confusion, labels)";
  const c = confusionMatrix(
    matrix([[2, 0.1, 5], [1, 0.3, 7]]),
    matrix([[1, 0, 1], [0, 1, 0]]),
  );
  const notConfusion = (shown: string) =>
    `Expected confusion of ${fn} to be the result of confusionMatrix, got ${shown}`;
  const cases: [unknown, unknown, string, string][] = [
    [5, undefined, "TypeError", notConfusion("5")],
    [{ ...c, counts: 5 }, undefined, "TypeError", notConfusion("an object")],
    [
      { ...c, counts: [[1, 1]] },
      undefined,
      "TypeError",
      notConfusion("an object"),
    ],
    [
      c,
      "ab",
      "TypeError",
      `Expected labels of ${fn} to be an array of strings, got the string "ab"`,
    ],
    [
      c,
      [1, 2],
      "TypeError",
      `Expected labels of ${fn} to be an array of strings, got an array of length 2`,
    ],
    [
      c,
      ["a", 2],
      "TypeError",
      `Expected labels of ${fn} to be an array of strings, got an array of length 2`,
    ],
    [
      c,
      ["a"],
      "RangeError",
      `Expected labels of ${fn} to name each of the 2 classes, got 1`,
    ],
  ];
  for (const [confusion, labels, name, message] of cases) {
    assert.throws(() => confusionTable(loose(confusion), loose(labels)), {
      name,
      message,
    });
  }
});
