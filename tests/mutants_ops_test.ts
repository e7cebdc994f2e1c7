// Behaviour of the ops in lib/ops that the other tests left open: the exact
// error messages of each public op, the overflow paths, the domain check of
// log, and backward rules fed an upstream gradient other than 1 (so that a
// factor g is really multiplied in), at kinks and at signed zeros.
// Expected values are derived by hand or with numpy (commands beside them).
import assert from "node:assert/strict";
import {
  add,
  div,
  dot,
  exp,
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
  relu,
  scale,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  softplus,
  squaredError,
  sub,
  sum,
  sumAxis,
  tanh,
  toArray,
  transpose,
} from "../mod.ts";

/** |a − b| ≤ atol + rtol·|b| entry by entry, and the same shape. */
function near(
  actual: Matrix,
  expected: number[][],
  rtol = 1e-12,
  atol = 1e-15,
): void {
  const a = toArray(actual);
  assert.equal(a.length, expected.length, "row count");
  for (let i = 0; i < expected.length; i++) {
    assert.equal(a[i].length, expected[i].length, `row ${i} length`);
    for (let j = 0; j < expected[i].length; j++) {
      const x = a[i][j], y = expected[i][j];
      assert.ok(
        Math.abs(x - y) <= atol + rtol * Math.abs(y),
        `entry (${i}, ${j}): got ${x}, expected ${y}`,
      );
    }
  }
}

const notMatrix = [[1, 2]];
const hint = " (build one from nested arrays with matrix(rows))";
const finiteOnly =
  "(overflow or an undefined operation); a Matrix holds only finite numbers";

Deno.test("every op names itself and the argument when it is not a Matrix", () => {
  const m = matrix([[1]]);
  const cases: [() => unknown, string][] = [
    [() => add(notMatrix as never, m), "a of add(a, b)"],
    [() => add(m, notMatrix as never), "b of add(a, b)"],
    [() => sub(notMatrix as never, m), "a of sub(a, b)"],
    [() => sub(m, notMatrix as never), "b of sub(a, b)"],
    [() => mul(notMatrix as never, m), "a of mul(a, b)"],
    [() => mul(m, notMatrix as never), "b of mul(a, b)"],
    [() => div(notMatrix as never, m), "a of div(a, b)"],
    [() => div(m, notMatrix as never), "b of div(a, b)"],
    [() => scale(notMatrix as never, 2), "m of scale(m, k)"],
    [() => map(notMatrix as never, (v) => v), "m of map(m, f)"],
    [() => dot(notMatrix as never, m), "a of dot(a, b)"],
    [() => dot(m, notMatrix as never), "b of dot(a, b)"],
    [() => transpose(notMatrix as never), "m of transpose(m)"],
    [() => softmax(notMatrix as never), "m of softmax(m)"],
    [() => logSoftmax(notMatrix as never), "m of logSoftmax(m)"],
    [() => sum(notMatrix as never), "m of sum(m, options)"],
    [() => mean(notMatrix as never), "m of mean(m, options)"],
    [() => sumAxis(notMatrix as never, 0), "m of sumAxis(m, axis)"],
    [() => squaredError(notMatrix as never, m), "u of squaredError(u, d)"],
    [() => squaredError(m, notMatrix as never), "d of squaredError(u, d)"],
    [() => mse(notMatrix as never, m), "u of mse(u, d)"],
    [() => mse(m, notMatrix as never), "d of mse(u, d)"],
    [
      () => softmaxCrossEntropy(notMatrix as never, m),
      "logits of softmaxCrossEntropy(logits, oneHotLabels)",
    ],
    [
      () => softmaxCrossEntropy(m, notMatrix as never),
      "oneHotLabels of softmaxCrossEntropy(logits, oneHotLabels)",
    ],
    [() => sigmoid(notMatrix as never), "m of sigmoid(m)"],
    [() => tanh(notMatrix as never), "m of tanh(m)"],
    [() => relu(notMatrix as never), "m of relu(m)"],
    [() => leakyRelu(notMatrix as never), "m of leakyRelu(m)"],
    [() => softplus(notMatrix as never), "m of softplus(m)"],
    [() => exp(notMatrix as never), "m of exp(m)"],
    [() => log(notMatrix as never), "m of log(m)"],
  ];
  for (const [call, what] of cases) {
    assert.throws(call, {
      name: "TypeError",
      message:
        `Expected ${what} to be a Matrix, got an array of length 1${hint}`,
    });
  }
});

Deno.test("map rejects a function that is not one, naming f", () => {
  assert.throws(() => map(matrix([[1]]), 3 as never), {
    name: "TypeError",
    message: "Expected f of map(m, f) to be a function, got 3",
  });
});

Deno.test("scale rejects a factor that is not a finite number, naming k", () => {
  assert.throws(() => scale(matrix([[1]]), "2" as never), {
    name: "TypeError",
    message: 'Expected k of scale(m, k) to be a number, got the string "2"',
  });
  assert.throws(() => scale(matrix([[1]]), Infinity), {
    name: "RangeError",
    message: "Expected k of scale(m, k) to be a finite number, got Infinity",
  });
});

Deno.test("the elementwise ops name their verb when shapes do not broadcast", () => {
  const a = matrix([[1, 2], [3, 4]]);
  const b = matrix([[1, 2, 3]]);
  const tail = "shapes do not broadcast (each axis must match or be 1)";
  assert.throws(() => add(a, b), {
    name: "RangeError",
    message: `Cannot add 2x2 and 1x3 in add(a, b): ${tail}`,
  });
  assert.throws(() => sub(a, b), {
    name: "RangeError",
    message: `Cannot subtract 2x2 and 1x3 in sub(a, b): ${tail}`,
  });
  assert.throws(() => mul(a, b), {
    name: "RangeError",
    message: `Cannot multiply 2x2 and 1x3 in mul(a, b): ${tail}`,
  });
  assert.throws(() => div(a, b), {
    name: "RangeError",
    message: `Cannot divide 2x2 and 1x3 in div(a, b): ${tail}`,
  });
});

Deno.test("the elementwise ops name themselves when a result overflows", () => {
  // 1e308 + 1e308 = 2e308 > Number.MAX_VALUE ≈ 1.798e308: Infinity.
  const big = matrix([[1, 1e308]]);
  assert.throws(() => add(big, big), {
    name: "RangeError",
    message:
      `Cannot compute add(a, b): the result would hold Infinity ${finiteOnly}`,
  });
  // 1e308 − (−1e308) = 2e308: Infinity.
  assert.throws(() => sub(big, matrix([[0, -1e308]])), {
    name: "RangeError",
    message:
      `Cannot compute sub(a, b): the result would hold Infinity ${finiteOnly}`,
  });
  // 1e308 · (−10) = −1e309: −Infinity.
  assert.throws(() => mul(big, matrix([[-10]])), {
    name: "RangeError",
    message:
      `Cannot compute mul(a, b): the result would hold -Infinity ${finiteOnly}`,
  });
  // 0 / 0 is NaN.
  assert.throws(() => div(matrix([[0]]), matrix([[0]])), {
    name: "RangeError",
    message:
      `Cannot compute div(a, b): the result would hold NaN ${finiteOnly}`,
  });
});

Deno.test("map rejects a non-finite result of f, naming where", () => {
  assert.throws(() => map(matrix([[1, 2], [3, 4]]), (v) => v === 4 ? NaN : v), {
    name: "RangeError",
    message:
      "Expected f of map(m, f) to return a finite number, got NaN at row 1, column 1",
  });
  assert.throws(() => map(matrix([[1, 2]]), (v) => v === 2 ? -Infinity : v), {
    name: "RangeError",
    message:
      "Expected f of map(m, f) to return a finite number, got -Infinity at row 0, column 1",
  });
});

Deno.test("the gradient of mul keeps the sign of a zero factor, as numpy's g * b", () => {
  // ∂Σ(a ⊙ z)/∂a = z; numpy: np.ones((1, 2)) * np.array([[-0.0, 2.0]])
  // gives [[-0., 2.]], with the zero's sign.
  const z = matrix([[-0, 2]]);
  const g = grad((a: Matrix) => sum(mul(a, z)))(matrix([[5, 7]]));
  const [[g0, g1]] = toArray(g);
  assert.ok(Object.is(g0, -0), `expected -0, got ${g0}`);
  assert.equal(g1, 2);
});

Deno.test("exp names itself when an entry overflows", () => {
  // e^710 > Number.MAX_VALUE (ln(MAX_VALUE) ≈ 709.78).
  assert.throws(() => exp(matrix([[0, 710]])), {
    name: "RangeError",
    message:
      `Cannot compute exp(m): the result would hold Infinity ${finiteOnly}`,
  });
});

Deno.test("log: values, its gradient 1/x and the message for entries that are not positive", () => {
  // ln 1 = 0, ln e = 1.
  near(log(matrix([[1, Math.E]])), [[0, 1]]);
  // ∂Σ ln x = 1/x: 1/2, 1/4 (numpy: 1 / np.array([2., 4.])).
  near(grad((x: Matrix) => sum(log(x)))(matrix([[2, 4]])), [[0.5, 0.25]]);
  assert.throws(() => log(matrix([[1, 0]])), {
    name: "RangeError",
    message:
      "Cannot compute log(m): entry 1 (row-major) is 0, and the logarithm needs positive entries",
  });
  assert.throws(() => log(matrix([[3], [-2]])), {
    name: "RangeError",
    message:
      "Cannot compute log(m): entry 1 (row-major) is -2, and the logarithm needs positive entries",
  });
});

Deno.test("leakyRelu's gradient is 0.01 at the kink 0, as documented", () => {
  // d/dv: 1 for v > 0, 0.01 for v ≤ 0 (PyTorch's convention at 0).
  const g = grad((x: Matrix) => sum(leakyRelu(x)))(matrix([[0, 2, -3]]));
  assert.deepEqual(toArray(g), [[0.01, 1, 0.01]]);
});

Deno.test("squaredError's and mse's gradients scale with the upstream gradient", () => {
  const u = matrix([[1], [4]]);
  const d = matrix([[0], [1]]);
  // ∂(3 Σ(u − d)²)/∂u = 6(u − d) = 6·[1, 3]; ∂/∂d is its negation.
  const se = (p: { u: Matrix; d: Matrix }) =>
    scale(squaredError(p.u, p.d, { keepdims: true }), 3);
  const gse = grad(se)({ u, d });
  assert.deepEqual(toArray(gse.u), [[6], [18]]);
  assert.deepEqual(toArray(gse.d), [[-6], [-18]]);
  // ∂(3 mean(u − d)²)/∂u = 3·2(u − d)/2 = 3·[1, 3].
  const m = (p: { u: Matrix; d: Matrix }) =>
    scale(mse(p.u, p.d, { keepdims: true }), 3);
  const gm = grad(m)({ u, d });
  assert.deepEqual(toArray(gm.u), [[3], [9]]);
  assert.deepEqual(toArray(gm.d), [[-3], [-9]]);
});

Deno.test("the losses name themselves when the loss overflows", () => {
  // (1e200 − (−1e200))² = 4e400: Infinity.
  const u = matrix([[1e200]]);
  const d = matrix([[-1e200]]);
  assert.throws(() => squaredError(u, d), {
    name: "RangeError",
    message:
      "Cannot compute squaredError(u, d) of 1x1 matrices: the loss overflows to Infinity",
  });
  assert.throws(() => mse(u, d), {
    name: "RangeError",
    message:
      "Cannot compute mse(u, d) of 1x1 matrices: the loss overflows to Infinity",
  });
  // The true class's log-softmax is −1e308 − 1e308 = −Infinity.
  assert.throws(
    () => softmaxCrossEntropy(matrix([[1e308], [-1e308]]), matrix([[0], [1]])),
    {
      name: "RangeError",
      message:
        "Cannot compute softmaxCrossEntropy(logits, oneHotLabels) of 2x1 matrices: the loss overflows to Infinity",
    },
  );
});

Deno.test("the losses name both arguments when their shapes differ", () => {
  const a = matrix([[1], [2]]);
  const b = matrix([[1, 2]]);
  assert.throws(() => squaredError(a, b), {
    name: "RangeError",
    message:
      "Cannot compare 2x1 with 1x2 in squaredError(u, d): u and d must have the same shape",
  });
  assert.throws(() => mse(a, b), {
    name: "RangeError",
    message:
      "Cannot compare 2x1 with 1x2 in mse(u, d): u and d must have the same shape",
  });
  assert.throws(() => softmaxCrossEntropy(a, b), {
    name: "RangeError",
    message:
      "Cannot compare 2x1 with 1x2 in softmaxCrossEntropy(logits, oneHotLabels): logits and oneHotLabels must have the same shape",
  });
});

Deno.test("the losses name themselves for bad options", () => {
  const m = matrix([[1]]);
  const fns: [string, (o: unknown) => unknown][] = [
    ["squaredError(u, d)", (o) => squaredError(m, m, o as never)],
    ["mse(u, d)", (o) => mse(m, m, o as never)],
    [
      "softmaxCrossEntropy(logits, oneHotLabels)",
      (o) => softmaxCrossEntropy(m, m, o as never),
    ],
    ["sum(m, options)", (o) => sum(m, o as never)],
    ["mean(m, options)", (o) => mean(m, o as never)],
  ];
  for (const [fn, call] of fns) {
    assert.throws(() => call({ keepdims: 1 }), {
      name: "TypeError",
      message: `Expected options.keepdims of ${fn} to be a boolean, got 1`,
    });
  }
});

Deno.test("mean is numpy's sum divided by the count, rounding included", () => {
  // numpy: np.mean(np.array([[0.1, 0.2, 0.3]])) == 0.20000000000000004
  // (whereas summing 0.1/3 + 0.2/3 + 0.3/3 gives 0.2).
  assert.equal(mean(matrix([[0.1, 0.2, 0.3]])), 0.20000000000000004);
});

Deno.test("mean stays finite where the plain sum overflows", () => {
  // The mean of two entries 1.5e308 is 1.5e308; their sum 3e308 overflows.
  assert.equal(mean(matrix([[1.5e308, 1.5e308]])), 1.5e308);
  // (−1.2e308 − 1.2e308 + 0.6e308) / 3 = −0.6e308.
  near(
    mean(matrix([[-1.2e308], [-1.2e308], [0.6e308]]), { keepdims: true }),
    [[-0.6e308]],
    1e-15,
    0,
  );
});

Deno.test("sumAxis rejects an axis other than 0 or 1, naming it", () => {
  const m = matrix([[1, 2]]);
  assert.throws(() => sumAxis(m, 2 as never), {
    name: "RangeError",
    message: "Expected axis of sumAxis(m, axis) to be 0 or 1, got 2",
  });
  assert.throws(() => sumAxis(m, -1 as never), {
    name: "RangeError",
    message: "Expected axis of sumAxis(m, axis) to be 0 or 1, got -1",
  });
  assert.throws(() => sumAxis(m, "0" as never), {
    name: "TypeError",
    message:
      'Expected axis of sumAxis(m, axis) to be 0 or 1, got the string "0"',
  });
  assert.throws(() => sumAxis(m, undefined as never), {
    name: "TypeError",
    message: "Expected axis of sumAxis(m, axis) to be 0 or 1, got undefined",
  });
});

Deno.test("sumAxis names itself when a sum overflows", () => {
  // 1e308 + 1e308 down the column: Infinity.
  assert.throws(() => sumAxis(matrix([[1e308], [1e308]]), 0), {
    name: "RangeError",
    message:
      `Cannot compute sumAxis(m, axis): the result would hold Infinity ${finiteOnly}`,
  });
  assert.throws(() => sumAxis(matrix([[-1e308, -1e308]]), 1), {
    name: "RangeError",
    message:
      `Cannot compute sumAxis(m, axis): the result would hold -Infinity ${finiteOnly}`,
  });
});

Deno.test("logSoftmax's gradient subtracts softmax times the column's Σg", () => {
  // f = Σ c ⊙ logSoftmax(z) with z = [0, 0]ᵀ (softmax ½, ½) and c = [1, 2]ᵀ:
  // ∂f/∂z = c − softmax · Σc = [1 − 1.5, 2 − 1.5] (numpy:
  // c - (np.exp(z) / np.exp(z).sum(0)) * c.sum(0) gives [[-0.5], [0.5]]).
  const c = matrix([[1], [2]]);
  const g = grad((z: Matrix) => sum(mul(logSoftmax(z), c)))(
    matrix([[0], [0]]),
  );
  near(g, [[-0.5], [0.5]]);
});
