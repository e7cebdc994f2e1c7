// Optimizers, schedules, clipping and the L2 penalty: weight decay inside each
// update rule checked against numpy, the names and descriptions users see,
// every error message in full, and the edges (β = 0, a zero learning rate, a
// gradient exactly at the clipping limit).
import assert from "node:assert/strict";
import { close } from "./_helpers.ts";
import {
  adagrad,
  adam,
  adamw,
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
  type OptimizerState,
  rmsprop,
  type Schedule,
  sgd,
  stepDecay,
  toArray,
} from "../mod.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** Two updates from p = (2, −0.5) with the fixed gradient g = (0.5, 0.25). */
function twoSteps(opt: Optimizer) {
  const g = matrix([[0.5, 0.25]]);
  let params = matrix([[2, -0.5]]);
  let state = opt.init(params);
  for (let t = 0; t < 2; t++) {
    ({ params, state } = opt.update(params, g, state));
  }
  return { params, state };
}

Deno.test("coupled weight decay adds λp to the gradient in every update rule (numpy)", () => {
  // /work/main/.venv/bin/python, two steps from p0 = [2, -0.5], g = [0.5, 0.25],
  // lr = 0.1, wd = 0.1, default β/ρ/ε; gi = g + wd*p each step:
  //   momentum: v = 0.9*v + gi; p = p - lr*v
  //   nesterov: v = 0.9*v + gi; p = p - lr*(gi + 0.9*v)
  //   adagrad:  h = h + gi*gi; p = p - lr*gi/(np.sqrt(h) + 1e-7)
  //   rmsprop:  h = 0.99*h + (1 - 0.99)*gi*gi; p = p - lr*gi/(np.sqrt(h) + 1e-7)
  //   adam:     m = 0.9*m + 0.1*gi; v = 0.999*v + 0.001*gi*gi;
  //             p = p - lr*(m/(1 - 0.9**t))/(np.sqrt(v/(1 - 0.999**t)) + 1e-8)
  const cases: [Optimizer, number[], Record<string, number[]>][] = [
    [momentum(0.1, { weightDecay: 0.1 }), [1.7976999999999999, -0.5578], {
      velocity: [1.323, 0.378],
    }],
    [nesterov(0.1, { weightDecay: 0.1 }), [1.679827, -0.591478], {
      velocity: [1.3167, 0.3762],
    }],
    [adagrad(0.1, { weightDecay: 0.1 }), [
      1.829799869806552,
      -0.6688748721770474,
    ], { h: [0.9661000019714282, 0.07610000189999908] }],
    [rmsprop(0.1, { weightDecay: 0.1 }), [
      0.3473267161778163,
      -1.9490080313862146,
    ], { h: [0.008451001714283476, 0.0004960009999975005] }],
    [
      adam(0.1, { weightDecay: 0.1 }),
      [1.8000400943590456, -0.699833504281857],
      {
        m: [0.1320000000142857, 0.037000000049999995],
        v: [0.0009656100001971435, 7.606000019000006e-05],
      },
    ],
  ];
  for (const [opt, expected, slots] of cases) {
    const { params, state } = twoSteps(opt);
    close(params, [expected], { rtol: 1e-12, message: opt.name });
    assert.equal(state.step, 2);
    assert.deepEqual(Object.keys(state.slots), Object.keys(slots));
    for (const [key, value] of Object.entries(slots)) {
      close((state.slots as Record<string, Matrix>)[key], [value], {
        rtol: 1e-9,
        message: `${opt.name} slot ${key}`,
      });
    }
  }
});

Deno.test("adamw decays by 0.01 by default, apart from Adam's scaling (numpy)", () => {
  // numpy, two steps from p0 = [2, -0.5], g = [0.5, 0.25], lr = 0.1, λ = 0.01:
  //   m = 0.9*m + 0.1*g; v = 0.999*v + 0.001*g*g  (g not decayed)
  //   p = p - lr*λ*p - lr*(m/(1 - 0.9**t))/(np.sqrt(v/(1 - 0.999**t)) + 1e-8)
  const { params, state } = twoSteps(adamw(0.1));
  close(params, [[1.7961020039980007, -0.6989004920039996]], { rtol: 1e-12 });
  close(state.slots.m, [[0.095, 0.0475]], { rtol: 1e-12 });
  close(state.slots.v, [[0.00049975, 0.0001249375]], { rtol: 1e-12 });
});

Deno.test("momentum with β = 0 is plain gradient descent", () => {
  // v = 0·v + g = g each step: p = 1 − 0.5·2 = 0, then 0 − 0.5·2 = −1.
  const opt = momentum(0.5, { beta: 0 });
  assert.equal(opt.name, "momentum(0.5, { beta: 0 })");
  let params = matrix([[1]]);
  let state = opt.init(params);
  for (let t = 0; t < 2; t++) {
    ({ params, state } = opt.update(params, matrix([[2]]), state));
  }
  assert.deepEqual(toArray(params), [[-1]]);
  assert.deepEqual(toArray(state.slots.velocity), [[2]]);
});

Deno.test("sgd keeps no slots, so a state holding only the step is enough", () => {
  const opt = sgd(0.5);
  const { params, state } = opt.update(
    matrix([[1]]),
    matrix([[2]]),
    { step: 4 } as Any,
  );
  assert.deepEqual(toArray(params), [[0]]); // 1 − 0.5·2
  assert.equal(state.step, 5);
  assert.deepEqual(state.slots, {});
});

Deno.test("optimizer names show their settings, decay only when set", () => {
  const cases: [Optimizer, string][] = [
    [sgd(0.1), "sgd(0.1)"],
    [sgd(0.1, { weightDecay: 0.25 }), "sgd(0.1, { weightDecay: 0.25 })"],
    [momentum(0.1), "momentum(0.1, { beta: 0.9 })"],
    [
      momentum(0.1, { weightDecay: 0.25 }),
      "momentum(0.1, { beta: 0.9, weightDecay: 0.25 })",
    ],
    [nesterov(0.1, { beta: 0.5 }), "nesterov(0.1, { beta: 0.5 })"],
    [
      nesterov(0.1, { weightDecay: 0.25 }),
      "nesterov(0.1, { beta: 0.9, weightDecay: 0.25 })",
    ],
    [adagrad(0.1), "adagrad(0.1, { epsilon: 1e-7 })"],
    [
      adagrad(0.1, { epsilon: 0, weightDecay: 0.25 }),
      "adagrad(0.1, { epsilon: 0, weightDecay: 0.25 })",
    ],
    [rmsprop(0.1), "rmsprop(0.1, { decay: 0.99, epsilon: 1e-7 })"],
    [
      rmsprop(0.1, { decay: 0.5, weightDecay: 0.25 }),
      "rmsprop(0.1, { decay: 0.5, epsilon: 1e-7, weightDecay: 0.25 })",
    ],
    [adam(0.1), "adam(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })"],
    [
      adam(0.1, { weightDecay: 0.25 }),
      "adam(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.25 })",
    ],
    [
      adamw(0.1),
      "adamw(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 })",
    ],
    [
      adamw(0.1, { weightDecay: 0 }),
      "adamw(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 })",
    ],
    [
      sgd(stepDecay(0.1, { every: 10, gamma: 0.5 })),
      "sgd(stepDecay(0.1, { every: 10, gamma: 0.5 }))",
    ],
    [
      sgd(cosineDecay(1, { steps: 100 })),
      "sgd(cosineDecay(1, { steps: 100, minimum: 0 }))",
    ],
    [sgd((t: number) => 1 / t), "sgd(schedule)"],
    [clipByGlobalNorm(sgd(1), 2.5), "clipByGlobalNorm(sgd(1), 2.5)"],
  ];
  for (const [opt, name] of cases) assert.equal(opt.name, name);
});

Deno.test("schedules carry their description", () => {
  assert.equal(
    (stepDecay(0.1, { every: 10 }) as { description?: string }).description,
    "stepDecay(0.1, { every: 10, gamma: 0.1 })",
  );
  assert.equal(
    (cosineDecay(2, { steps: 5, minimum: 0.5 }) as { description?: string })
      .description,
    "cosineDecay(2, { steps: 5, minimum: 0.5 })",
  );
});

Deno.test("the state holds slots named as documented", () => {
  const p = matrix([[1, 2]]);
  const cases: [Optimizer, string[]][] = [
    [sgd(0.1), []],
    [momentum(0.1), ["velocity"]],
    [nesterov(0.1), ["velocity"]],
    [adagrad(0.1), ["h"]],
    [rmsprop(0.1), ["h"]],
    [adam(0.1), ["m", "v"]],
    [adamw(0.1), ["m", "v"]],
  ];
  for (const [opt, names] of cases) {
    const init = opt.init(p);
    assert.deepEqual(Object.keys(init.slots), names, opt.name);
    const { state } = opt.update(p, matrix([[1, 1]]), init);
    assert.deepEqual(Object.keys(state.slots), names, opt.name);
  }
});

Deno.test("a schedule may return 0 and then the parameters stay put", () => {
  // cosineDecay(1, { steps: 1 }): lr(1) = 1, lr(2) = 0 + 1·(1 + cos π)/2 = 0.
  const opt = sgd(cosineDecay(1, { steps: 1 }));
  let params = matrix([[3]]);
  let state = opt.init(params);
  ({ params, state } = opt.update(params, matrix([[1]]), state));
  assert.deepEqual(toArray(params), [[2]]);
  ({ params, state } = opt.update(params, matrix([[1]]), state));
  assert.deepEqual(toArray(params), [[2]]);
});

Deno.test("a schedule returning a bad rate is refused with the step and value", () => {
  const where = "sgd(schedule).update(params, grads, state)";
  const cases: [unknown, string][] = [
    [-1, "-1"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
    [-Infinity, "-Infinity"],
    ["0.1", 'the string "0.1"'],
    [Symbol("lr"), "a symbol"],
    [
      {
        valueOf() {
          throw new Error("the rate must not be converted");
        },
      },
      "an object",
    ],
  ];
  for (const [value, shown] of cases) {
    const opt = sgd((() => value) as unknown as Schedule);
    const p = matrix([[1]]);
    assert.throws(() => opt.update(p, p, opt.init(p)), {
      name: "RangeError",
      message:
        `Expected the learning-rate schedule of ${where} to return a non-negative finite number at step 1, got ${shown}`,
    });
  }
});

Deno.test("optimizer and schedule constructors name the bad argument", () => {
  const cases: [() => unknown, string, string][] = [
    [
      () => sgd(0),
      "RangeError",
      "Expected learningRate of sgd(learningRate, options) to be a positive finite number, got 0",
    ],
    [
      () => adagrad(-1),
      "RangeError",
      "Expected learningRate of adagrad(learningRate, options) to be a positive finite number, got -1",
    ],
    [
      () => sgd(0.1, { weightDecay: -1 }),
      "RangeError",
      "Expected options.weightDecay of sgd(learningRate, options) to be a non-negative finite number, got -1",
    ],
    [
      () => sgd(0.1, { beta: 0.5 } as Any),
      "TypeError",
      'Unknown option "beta" in options of sgd(learningRate, options): expected weightDecay',
    ],
    [
      () => momentum(0.1, { beta: 1 }),
      "RangeError",
      "Expected options.beta of momentum(learningRate, options) to be in [0, 1), got 1",
    ],
    [
      () => momentum(0.1, { beta: -0.5 }),
      "RangeError",
      "Expected options.beta of momentum(learningRate, options) to be in [0, 1), got -0.5",
    ],
    [
      () => momentum(0.1, { epsilon: 1 } as Any),
      "TypeError",
      'Unknown option "epsilon" in options of momentum(learningRate, options): expected beta or weightDecay',
    ],
    [
      () => nesterov(0.1, { weightDecay: -2 }),
      "RangeError",
      "Expected options.weightDecay of nesterov(learningRate, options) to be a non-negative finite number, got -2",
    ],
    [
      () => adagrad(0.1, { decay: 0.5 } as Any),
      "TypeError",
      'Unknown option "decay" in options of adagrad(learningRate, options): expected epsilon or weightDecay',
    ],
    [
      () => adagrad(0.1, { epsilon: -1 }),
      "RangeError",
      "Expected options.epsilon of adagrad(learningRate, options) to be a non-negative finite number, got -1",
    ],
    [
      () => rmsprop(0.1, { beta: 0.5 } as Any),
      "TypeError",
      'Unknown option "beta" in options of rmsprop(learningRate, options): expected decay, epsilon or weightDecay',
    ],
    [
      () => rmsprop(0.1, { epsilon: -1 }),
      "RangeError",
      "Expected options.epsilon of rmsprop(learningRate, options) to be a non-negative finite number, got -1",
    ],
    [
      () => rmsprop(0.1, { decay: 1 }),
      "RangeError",
      "Expected options.decay of rmsprop(learningRate, options) to be in [0, 1), got 1",
    ],
    [
      () => adam(0.1, { beta: 0.5 } as Any),
      "TypeError",
      'Unknown option "beta" in options of adam(learningRate, options): expected beta1, beta2, epsilon or weightDecay',
    ],
    [
      () => adamw(0.1, { decay: 0.5 } as Any),
      "TypeError",
      'Unknown option "decay" in options of adamw(learningRate, options): expected beta1, beta2, epsilon or weightDecay',
    ],
    [
      () => adam(0.1, { beta1: 1 }),
      "RangeError",
      "Expected options.beta1 of adam(learningRate, options) to be in [0, 1), got 1",
    ],
    [
      () => adam(0.1, { beta2: 1 }),
      "RangeError",
      "Expected options.beta2 of adam(learningRate, options) to be in [0, 1), got 1",
    ],
    [
      () => adam(0.1, { epsilon: 0 }),
      "RangeError",
      "Expected options.epsilon of adam(learningRate, options) to be a positive finite number, got 0",
    ],
    [
      () => adamw(0.1, { weightDecay: -1 }),
      "RangeError",
      "Expected options.weightDecay of adamw(learningRate, options) to be a non-negative finite number, got -1",
    ],
    [
      () => stepDecay(0, { every: 1 }),
      "RangeError",
      "Expected initial of stepDecay(initial, options) to be a positive finite number, got 0",
    ],
    [
      () => stepDecay(0.1, { every: 0 }),
      "RangeError",
      "Expected options.every of stepDecay(initial, options) to be an integer from 1 to 9007199254740991, got 0",
    ],
    [
      () => stepDecay(0.1, { every: 1, gamma: 2 }),
      "RangeError",
      "Expected options.gamma of stepDecay(initial, options) to be a number in (0, 1], got 2",
    ],
    [
      () => stepDecay(0.1, { every: 1, steps: 2 } as Any),
      "TypeError",
      'Unknown option "steps" in options of stepDecay(initial, options): expected every or gamma',
    ],
    [
      () => cosineDecay(-1, { steps: 1 }),
      "RangeError",
      "Expected initial of cosineDecay(initial, options) to be a positive finite number, got -1",
    ],
    [
      () => cosineDecay(1, { steps: 0 }),
      "RangeError",
      "Expected options.steps of cosineDecay(initial, options) to be an integer from 1 to 9007199254740991, got 0",
    ],
    [
      () => cosineDecay(1, { steps: 2, minimum: 2 }),
      "RangeError",
      "Expected options.minimum of cosineDecay(initial, options) to be a number from 0 to initial (1), got 2",
    ],
    [
      () => cosineDecay(1, { steps: 2, every: 1 } as Any),
      "TypeError",
      'Unknown option "every" in options of cosineDecay(initial, options): expected steps or minimum',
    ],
    [
      () => stepDecay(0.1, { every: 10, gamma: 0.5 })(0),
      "RangeError",
      "Expected step of stepDecay(0.1, { every: 10, gamma: 0.5 })(step) to be an integer from 1 to 9007199254740991, got 0",
    ],
    [
      () => cosineDecay(1, { steps: 3 })(1.5),
      "RangeError",
      "Expected step of cosineDecay(1, { steps: 3, minimum: 0 })(step) to be an integer from 1 to 9007199254740991, got 1.5",
    ],
  ];
  for (const [f, name, message] of cases) {
    assert.throws(f, { name, message });
  }
});

Deno.test("init and update name the optimizer and the argument at fault", () => {
  const opt = momentum(0.1);
  const p = matrix([[1, 2]]);
  const init = "momentum(0.1, { beta: 0.9 }).init(params)";
  const update = "momentum(0.1, { beta: 0.9 }).update(params, grads, state)";
  const from =
    "from momentum(0.1, { beta: 0.9 }).init or momentum(0.1, { beta: 0.9 }).update";
  const state = opt.init(p);
  const cases: [() => unknown, string, string][] = [
    [
      () => opt.init(5 as Any),
      "TypeError",
      `Expected params of ${init} to be a Matrix or a record or array of matrices, got 5`,
    ],
    [
      () => opt.update(5 as Any, p, state),
      "TypeError",
      `Expected params of ${update} to be a Matrix or a record or array of matrices, got 5`,
    ],
    [
      () => opt.update(p, 5 as Any, state),
      "TypeError",
      `Expected grads of ${update} to be a Matrix or a record or array of matrices, got 5`,
    ],
    [
      () => opt.update(p, p, 5 as Any),
      "TypeError",
      `Expected state of ${update} to be a state { step, slots } ${from}, got 5`,
    ],
    [
      () => opt.update(p, p, { step: 0, slots: 5 } as Any),
      "TypeError",
      `Expected state.slots of ${update} to be an object { velocity } ${from}, got 5`,
    ],
    [
      () => opt.update(p, p, { step: 0, slots: {} } as Any),
      "TypeError",
      `Expected state of ${update} to hold slot "velocity": pass the state ${from}`,
    ],
    [
      () => opt.update(p, p, { step: 0, slots: { velocity: 5 } } as Any),
      "TypeError",
      `Expected state.slots.velocity of ${update} to be a Matrix or a record or array of matrices, got 5`,
    ],
  ];
  for (const [f, name, message] of cases) {
    assert.throws(f, { name, message });
  }
  const a = adam(0.1);
  assert.throws(() => a.update(p, p, { step: 0, slots: null } as Any), {
    name: "TypeError",
    message:
      "Expected state.slots of adam(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }).update(params, grads, state) to be an object { m, v } from adam(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }).init or adam(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }).update, got null",
  });
});

Deno.test("diverging parameters and an overflowing state are reported with the step", () => {
  // sgd(1): 1e308 − 1·(−1e308) = 2e308, beyond the largest double.
  const s = sgd(1);
  const p = matrix([[1e308]]);
  assert.throws(
    () => s.update(p, matrix([[-1e308]]), { step: 2, slots: {} }),
    {
      name: "RangeError",
      message:
        "Cannot compute sgd(1).update(params, grads, state) at step 3: the new parameters (training diverged; try a smaller learning rate) would hold Infinity (overflow or an undefined operation); a Matrix holds only finite numbers",
    },
  );
  // adam: with g = 1e200, v = 0.001·g·g = Infinity while m/√v = 0 keeps the
  // parameters finite; the state is refused.
  const a = adam(0.1);
  const q = matrix([[1]]);
  assert.throws(() => a.update(q, matrix([[1e200]]), a.init(q)), {
    name: "RangeError",
    message:
      "Cannot compute adam(0.1, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }).update(params, grads, state) at step 1: the optimizer's state (the gradient overflows; try a smaller learning rate) would hold Infinity (overflow or an undefined operation); a Matrix holds only finite numbers",
  });
});

Deno.test("clipByGlobalNorm checks the optimizer and the limit", () => {
  const fn = "clipByGlobalNorm(optimizer, maxNorm)";
  const noop = () => undefined;
  const cases: [() => unknown, string, string][] = [
    [
      () => clipByGlobalNorm(5 as Any, 1),
      "TypeError",
      `Expected optimizer of ${fn} to be an optimizer such as adam(0.001), got 5`,
    ],
    [
      () => clipByGlobalNorm({ name: "x", init: noop } as Any, 1),
      "TypeError",
      `Expected optimizer of ${fn} to have init and update, got an object`,
    ],
    [
      () => clipByGlobalNorm({ name: "x", update: noop } as Any, 1),
      "TypeError",
      `Expected optimizer of ${fn} to have init and update, got an object`,
    ],
    [
      () => clipByGlobalNorm({ name: 5, init: noop, update: noop } as Any, 1),
      "TypeError",
      `Expected optimizer.name of ${fn} to be a string, got 5`,
    ],
    [
      () => clipByGlobalNorm(sgd(1), 0),
      "RangeError",
      `Expected maxNorm of ${fn} to be a positive finite number, got 0`,
    ],
    [
      () => globalNorm(5 as Any),
      "TypeError",
      "Expected tree of globalNorm(tree) to be a Matrix or a record or array of matrices, got 5",
    ],
  ];
  for (const [f, name, message] of cases) {
    assert.throws(f, { name, message });
  }
});

Deno.test("a gradient exactly at the clipping limit is passed through untouched", () => {
  const seen: unknown[] = [];
  const spy: Optimizer = {
    name: "spy",
    init: <P extends object>(_: P): OptimizerState<P> => ({
      step: 0,
      slots: {},
    }),
    update: <P extends object>(
      params: P,
      grads: P,
      state: OptimizerState<P>,
    ) => {
      seen.push(grads);
      return { params, state };
    },
  };
  const opt = clipByGlobalNorm(spy, 5);
  const p = matrix([[0, 0]]);
  // ‖(3, 4)‖ = 4·√((3/4)² + 1) = 4·1.25 = 5 exactly: not above the limit.
  const atLimit = matrix([[3, 4]]);
  opt.update(p, atLimit, opt.init(p));
  assert.equal(seen[0], atLimit);
  // ‖(6, 8)‖ = 10 > 5: scaled by 5/10 into a new gradient.
  const above = matrix([[6, 8]]);
  opt.update(p, above, opt.init(p));
  assert.notEqual(seen[1], above);
  assert.deepEqual(toArray(seen[1] as Matrix), [[3, 4]]);
});

Deno.test("l2Penalty checks its arguments", () => {
  assert.throws(() => l2Penalty(5 as Any, 1), {
    name: "TypeError",
    message:
      "Expected tree of l2Penalty(tree, lambda) to be a Matrix or a record or array of matrices, got 5",
  });
  assert.throws(() => l2Penalty(matrix([[1]]), -1), {
    name: "RangeError",
    message:
      "Expected lambda of l2Penalty(tree, lambda) to be a non-negative finite number, got -1",
  });
});

Deno.test("l2Penalty's gradient is λ·w times the upstream gradient", () => {
  // d/dw of 4·(0.5/2)·w² = 4·0.5·w = 2w; at w = (3, −1): (6, −2).
  const w = matrix([[3, -1]]);
  const g = grad((x: Matrix) => mul(l2Penalty(x, 0.5), matrix([[4]])))(w);
  assert.deepEqual(toArray(g), [[6, -2]]);
});

Deno.test("l2Penalty computes no gradient for a constant it is given", () => {
  // Loss 1.2·(λ/2)·(x² + c²) with λ = 1e308, x = 0.1 and the constant c = 1.6:
  // the loss, 1.2·5e307·2.57 ≈ 1.54e308, is finite, and so is ∂/∂x =
  // 1.2·λ·x = 1.2e307; c's would-be gradient 1.2·λ·1.6 ≈ 1.9e308 is not.
  const c = matrix([[1.6]]);
  const g = grad((x: Matrix) => mul(l2Penalty([x, c], 1e308), matrix([[1.2]])))(
    matrix([[0.1]]),
  );
  close(g, [[1.2e307]], { rtol: 1e-15 });
});
