// Behaviour of the autodiff core that the mutation run showed untested: the
// tape's bookkeeping, grad's checks of what f returns and of what a backward
// returns, defineOp's checks of its spec and of a forward's result,
// checkGrads' options, directions and error, numericalGradient's guards, and
// computationGraph. Every expected number is derived by hand in a comment.
import assert from "node:assert/strict";
import {
  add,
  checkGrads,
  computationGraph,
  defineOp,
  grad,
  type Matrix,
  matrix,
  mul,
  numericalGradient,
  scale,
  sum,
  toArray,
  valueAndGrad,
} from "../mod.ts";
import { Tape } from "../lib/autodiff/_tape.ts";
import { scalarOf } from "../lib/autodiff/define_op.ts";

/** |a − b| ≤ atol + rtol·|b|. */
function near(actual: number, expected: number, rtol = 1e-12, atol = 0) {
  assert.ok(
    Math.abs(actual - expected) <= atol + rtol * Math.abs(expected),
    `${actual} is not within ${atol} + ${rtol}·|${expected}|`,
  );
}

const HINT =
  "return a 1x1 Matrix instead, such as sum(m, { keepdims: true }), and combine 1x1 results with add and scale rather than JavaScript's + - * /";

// ------------------------------------------------------------------- tape

Deno.test("a new tape holds no nodes, ids or scalars", () => {
  const tape = new Tape();
  assert.deepEqual(tape.nodes, []);
  assert.equal(tape.ids.size, 0);
  assert.deepEqual(tape.scalars, []);
});

Deno.test("a tape leaf is a node with no op, no arguments and no inputs", () => {
  const tape = new Tape();
  const m = matrix([[1, 2]]);
  assert.equal(tape.leaf(m), 0);
  assert.equal(tape.nodes.length, 1);
  assert.equal(tape.nodes[0].op, null);
  assert.deepEqual(tape.nodes[0].args, []);
  assert.deepEqual(tape.nodes[0].inputIds, []);
  assert.equal(tape.nodes[0].output, m);
  assert.equal(tape.ids.get(m), 0);
});

Deno.test("the tape records an op only when an argument is traced", () => {
  const tape = new Tape();
  const p = matrix([[1]]);
  const c = matrix([[2]]);
  const op = { name: "t", backward: () => null };
  tape.leaf(p);
  // Constants only (a Matrix and a number): nothing is recorded.
  const constOut = matrix([[3]]);
  tape.record(op, [c, 4], constOut, undefined);
  assert.equal(tape.nodes.length, 1);
  assert.equal(tape.ids.has(constOut), false);
  // A constant, the leaf and a number: recorded, constants marked -1.
  const out = matrix([[5]]);
  tape.record(op, [c, p, 4], out, "ctx");
  assert.equal(tape.nodes.length, 2);
  assert.deepEqual(tape.nodes[1].inputIds, [-1, 0, -1]);
  assert.equal(tape.nodes[1].saved, "ctx");
  assert.equal(tape.ids.get(out), 1);
});

Deno.test("the tape notes scalars only of traced matrices", () => {
  const tape = new Tape();
  const p = matrix([[1]]);
  tape.leaf(p);
  tape.scalar(matrix([[7]]), 7);
  assert.deepEqual(tape.scalars, []);
  tape.scalar(p, 1);
  assert.deepEqual(tape.scalars, [{ value: 1, id: 0 }]);
});

// ------------------------------------------------- grad: what f returns

Deno.test("grad refuses a result that is not 1x1", () => {
  assert.throws(() => grad((p: Matrix) => scale(p, 2))(matrix([[1, 2]])), {
    name: "TypeError",
    message:
      "Cannot differentiate f in grad(f)(params): f must return a number or a 1x1 Matrix, got a 1x2 Matrix (reduce it with sum or mean first)",
  });
  assert.throws(
    () => grad((p: Matrix) => scale(p, 2))(matrix([[1], [2]])),
    {
      name: "TypeError",
      message:
        "Cannot differentiate f in grad(f)(params): f must return a number or a 1x1 Matrix, got a 2x1 Matrix (reduce it with sum or mean first)",
    },
  );
});

Deno.test("grad refuses a 1x1 Matrix computed from constants only", () => {
  const c = matrix([[1, 2, 3]]);
  assert.throws(
    () => grad((_p: Matrix) => sum(c, { keepdims: true }))(matrix([[1]])),
    {
      name: "TypeError",
      message:
        "Cannot differentiate f in grad(f)(params): f returned a 1x1 Matrix that no differentiable op computed from the parameters",
    },
  );
});

Deno.test("grad refuses a number computed from constants only", () => {
  const c = matrix([[1, 2, 3]]);
  // sum(c) = 1 + 2 + 3 = 6, read from an untraced Matrix.
  assert.throws(() => grad((_p: Matrix) => sum(c))(matrix([[1]])), {
    name: "TypeError",
    message:
      `Cannot differentiate f in grad(f)(params): f returned 6, a number no differentiable op computed from the parameters; ${HINT}. If f does not depend on the parameters its gradient is zero`,
  });
});

Deno.test("a number read twice from the same traced 1x1 is not ambiguous", () => {
  const f = (p: Matrix) => {
    const s = sum(scale(p, 3), { keepdims: true });
    const v = toArray(s)[0][0];
    scalarOf(s, v);
    return scalarOf(s, v);
  };
  // d/dp Σ 3p = 3 in every entry.
  assert.deepEqual(toArray(grad(f)(matrix([[1, 2]]))), [[3, 3]]);
});

Deno.test("a number read from a 1x1 parameter itself has gradient 1", () => {
  const r = valueAndGrad((p: Matrix) => scalarOf(p, toArray(p)[0][0]))(
    matrix([[2.5]]),
  );
  assert.equal(r.value, 2.5);
  assert.deepEqual(toArray(r.grad), [[1]]);
});

Deno.test("a number read from the parameter and from an op is ambiguous", () => {
  // p = 2 is read as a number, and sum(p) = 2 too.
  const f = (p: Matrix) => {
    scalarOf(p, 2);
    return sum(p);
  };
  assert.throws(() => grad(f)(matrix([[2]])), {
    name: "TypeError",
    message:
      `Cannot differentiate f in grad(f)(params): f returned the number 2, which more than one traced op computed, so which one it came from is ambiguous; ${HINT}`,
  });
});

// ------------------------------------------ grad: what a backward returns

/** An op of two matrices, a ⊙ b, whose backward is given. */
function mulWith(
  backward: (g: Matrix, a: Matrix, b: Matrix) => unknown,
) {
  return defineOp({
    name: "bad",
    forward: (a: Matrix, b: Matrix) => mul(a, b),
    backward: (g, { args: [a, b] }) => backward(g, a, b) as (Matrix | null)[],
  });
}

Deno.test("a backward must return a Matrix or an array", () => {
  const op = defineOp({
    name: "bad",
    forward: (a: Matrix) => scale(a, 2),
    backward: () => 5 as unknown as Matrix,
  });
  assert.throws(() => grad((p: Matrix) => sum(op(p)))(matrix([[1]])), {
    name: "TypeError",
    message:
      'Cannot compute grad(f)(params): the backward of op "bad" must return a Matrix or an array with one gradient per argument, got 5',
  });
});

Deno.test("a backward's gradient must have its argument's shape", () => {
  const p = { a: matrix([[1, 2]]), b: matrix([[3, 4]]) };
  const cases: [unknown, string][] = [
    [matrix([[1, 2], [3, 4]]), "a 2x2 Matrix"], // wrong rows
    [matrix([[1, 2, 3]]), "a 1x3 Matrix"], // wrong cols
    [matrix([[1]]), "a 1x1 Matrix"], // both
    [5, "5"], // not a Matrix
  ];
  for (const [bad, shown] of cases) {
    const op = mulWith((_g, _a, b) => [bad, b]);
    assert.throws(
      () => grad((q: typeof p) => sum(op(q.a, q.b)))(p),
      {
        name: "TypeError",
        message:
          `Cannot compute grad(f)(params): the backward of op "bad" returned ${shown} as the gradient of argument 0, a 1x2 Matrix; it must have the argument's shape`,
      },
    );
  }
});

Deno.test("null, undefined or a missing gradient counts as zero", () => {
  const p = { a: matrix([[1, 2]]), b: matrix([[3, 4]]) };
  // ∂Σ(a⊙b)/∂b = a = [1, 2]; a gets no gradient, so zeros.
  const backs: ((g: Matrix, a: Matrix) => unknown)[] = [
    (g, a) => [null, mul(g, a)],
    (g, a) => [undefined, mul(g, a)],
  ];
  for (const back of backs) {
    const op = mulWith(back);
    const g = grad((q: typeof p) => sum(op(q.a, q.b)))(p);
    assert.deepEqual(toArray(g.a), [[0, 0]]);
    assert.deepEqual(toArray(g.b), [[1, 2]]);
  }
  // Only a's gradient, b's missing: ∂/∂a = b = [3, 4], b gets zeros.
  const op = mulWith((g, _a, b) => [mul(g, b)]);
  const g = grad((q: typeof p) => sum(op(q.a, q.b)))(p);
  assert.deepEqual(toArray(g.a), [[3, 4]]);
  assert.deepEqual(toArray(g.b), [[0, 0]]);
});

Deno.test("gradients a backward gives for constants or extra slots are ignored", () => {
  const c = matrix([[3, 4]]);
  // The constant's "gradient" is junk of the wrong shape, and a third entry
  // has no argument: both are ignored. ∂Σ(p⊙c)/∂p = c.
  const op = mulWith((g, _a, b) => [mul(g, b), "junk", matrix([[9]])]);
  assert.deepEqual(
    toArray(grad((p: Matrix) => sum(op(p, c)))(matrix([[1, 2]]))),
    [[3, 4]],
  );
});

Deno.test("grad never changes a Matrix a backward returns", () => {
  const ones = matrix([[1, 1]]);
  const op = defineOp({
    name: "ident",
    forward: (a: Matrix) => scale(a, 1),
    backward: () => ones,
  });
  // p is used by two ident ops: its gradient is 1 + 1 = 2 per entry.
  const g = grad((p: Matrix) => sum(add(op(p), op(p))));
  assert.deepEqual(toArray(g(matrix([[5, 6]]))), [[2, 2]]);
  assert.deepEqual(toArray(ones), [[1, 1]]);
  assert.deepEqual(toArray(g(matrix([[5, 6]]))), [[2, 2]]);
});

// ---------------------------------------------------------------- defineOp

Deno.test("defineOp's spec errors name the spec and what was given", () => {
  const forward = (a: Matrix) => a;
  const backward = (g: Matrix) => g;
  const cases: [unknown, string, string][] = [
    [
      5,
      "TypeError",
      "Expected spec of defineOp(spec) to be an object { name, forward, backward }, got 5",
    ],
    [
      { name: "", forward, backward },
      "TypeError",
      'Expected spec.name of defineOp(spec) to be a non-empty string, got the string ""',
    ],
    [
      { name: 3, forward, backward },
      "TypeError",
      "Expected spec.name of defineOp(spec) to be a non-empty string, got 3",
    ],
    [
      { name: "x", forward: 1, backward },
      "TypeError",
      "Expected spec.forward of defineOp(spec) to be a function, got 1",
    ],
    [
      { name: "x", forward },
      "TypeError",
      "Expected spec.backward of defineOp(spec) to be a function, got undefined",
    ],
    [
      { name: "x", forward, backward, extra: 1 },
      "TypeError",
      'Unknown key "extra" in spec of defineOp(spec): expected name, forward and backward',
    ],
  ];
  for (const [spec, name, message] of cases) {
    assert.throws(
      () => defineOp(spec as Parameters<typeof defineOp>[0]),
      { name, message },
    );
  }
});

Deno.test("a forward must return a Matrix or { output, saved }", () => {
  const m = matrix([[1]]);
  const results: [unknown, string][] = [
    [null, "null"],
    [5, "5"],
    [{ saved: 1 }, "an object"],
    // A function carrying an output is still not { output, saved }.
    [Object.assign(() => 0, { output: m }), "a function"],
  ];
  for (const [result, shown] of results) {
    const op = defineOp({
      name: "odd",
      forward: (_a: Matrix) => result as Matrix,
      backward: (g) => g,
    });
    const message =
      `Expected the forward of op "odd" to return a Matrix or { output, saved }, got ${shown}`;
    assert.throws(() => op(m), { name: "TypeError", message });
    assert.throws(() => grad((p: Matrix) => sum(op(p)))(m), {
      name: "TypeError",
      message,
    });
  }
});

Deno.test("a defined op takes its forward's number of parameters", () => {
  const backward = (g: Matrix) => g;
  const one = defineOp({ name: "one", forward: (a: Matrix) => a, backward });
  const two = defineOp({
    name: "two",
    forward: (a: Matrix, _b: Matrix) => a,
    backward,
  });
  assert.equal(one.length, 1);
  assert.equal(two.length, 2);
});

// -------------------------------------------------------------- checkGrads

const CG = "checkGrads(f, params, options)";

Deno.test("checkGrads' option errors name the option and the range", () => {
  const f = (p: Matrix) => sum(p);
  const p = matrix([[1]]);
  const cases: [unknown, string, string][] = [
    [
      { steps: 1 },
      "TypeError",
      `Unknown option "steps" in options of ${CG}: expected directions, seed, step or tolerance`,
    ],
    [
      { directions: 0 },
      "RangeError",
      `Expected options.directions of ${CG} to be an integer from 1 to 1000, got 0`,
    ],
    [
      { directions: "3" },
      "TypeError",
      `Expected options.directions of ${CG} to be an integer, got the string "3"`,
    ],
    [
      { seed: -1 },
      "RangeError",
      `Expected options.seed of ${CG} to be an integer from 0 to 9007199254740991, got -1`,
    ],
    [
      { step: 0 },
      "RangeError",
      `Expected options.step of ${CG} to be a number from 1e-12 to 1, got 0`,
    ],
    [
      { step: 2 },
      "RangeError",
      `Expected options.step of ${CG} to be a number from 1e-12 to 1, got 2`,
    ],
    [
      { tolerance: 2 },
      "RangeError",
      `Expected options.tolerance of ${CG} to be a number from 0 to 1, got 2`,
    ],
    [
      { tolerance: NaN },
      "RangeError",
      `Expected options.tolerance of ${CG} to be a finite number, got NaN`,
    ],
  ];
  for (const [options, name, message] of cases) {
    assert.throws(
      () => checkGrads(f, p, options as Parameters<typeof checkGrads>[2]),
      { name, message },
    );
  }
  assert.throws(() => checkGrads(f, 5 as unknown as Matrix), {
    name: "TypeError",
    message:
      `Expected params of ${CG} to be a Matrix or a record or array of matrices, got 5`,
  });
});

Deno.test("checkGrads' step sets the difference's step, scaled by the largest entry", () => {
  // f(x) = x³ at a 1x1 x: every unit direction is v = ±1, and
  // ((x + hv)³ − (x − hv)³) / 2h = v(3x² + h²), while grad gives 3x²·v, so
  // the relative error is h² / (3x² + h²), with h = step · max(1, |x|).
  const cube = (p: Matrix) => sum(mul(mul(p, p), p));
  const error = (x: number, h: number) => h * h / (3 * x * x + h * h);
  // x = 10, step 0.01: h = 0.1 → 0.01 / 300.01.
  near(
    checkGrads(cube, matrix([[10]]), { step: 0.01, tolerance: 1e-3 }),
    error(10, 0.1),
    1e-6,
  );
  // x = −10: the size is |x|, so h = 0.1 again.
  near(
    checkGrads(cube, matrix([[-10]]), { step: 0.01, tolerance: 1e-3 }),
    error(-10, 0.1),
    1e-6,
  );
  // x = 0.5 < 1: h = step · 1 = 0.1; error 0.01 / 0.76, with |numeric| < 1
  // so the denominator is max(0.76, 0.75, 1) = 1 → 0.01.
  near(
    checkGrads(cube, matrix([[0.5]]), { step: 0.1, tolerance: 0.5 }),
    0.01,
    1e-6,
  );
});

Deno.test("checkGrads fails when the error exceeds the tolerance, not when equal", () => {
  // f(x) = 2x at x = 0 with step 1e-5: ±2e-5 are exact, so the difference
  // is exactly 2v and the error exactly 0, which tolerance 0 accepts.
  const f = (p: Matrix) => sum(scale(p, 2));
  assert.equal(checkGrads(f, matrix([[0]]), { tolerance: 0 }), 0);
  // x³ at 10 with h = 0.1 errs by 0.01/300.01 ≈ 3.3e-5 > 1e-5.
  const cube = (p: Matrix) => sum(mul(mul(p, p), p), { keepdims: true });
  assert.throws(
    () => checkGrads(cube, matrix([[10]]), { step: 0.01 }),
    RangeError,
  );
});

Deno.test("checkGrads' message names the parameter and the failing direction", () => {
  // Forward 2x, backward 3g: at x = 0, v = ±1, grad gives 3v and the
  // difference exactly 2v; relative error 1/3.
  const double = defineOp({
    name: "double",
    forward: (a: Matrix) => scale(a, 2),
    backward: (g) => scale(g, 3),
  });
  const message = (name: string, s: number) =>
    `Gradient check failed in ${CG} for ${name} along direction 1 of 3: grad gives ${
      3 * s
    }, central differences give ${
      2 * s
    } (relative error 0.333, tolerance 0.00001)`;
  const check = (run: () => unknown, name: string) => {
    assert.throws(run, (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.ok(
        e.message === message(name, 1) || e.message === message(name, -1),
        e.message,
      );
      return true;
    });
  };
  check(
    () => checkGrads((p: Matrix) => sum(double(p)), matrix([[0]])),
    "params",
  );
  check(
    () =>
      checkGrads(
        (p: { w: Matrix }) => sum(double(p.w)),
        { w: matrix([[0]]) },
      ),
    "w",
  );
});

Deno.test("checkGrads evaluates f twice per direction and parameter", () => {
  let calls = 0;
  const f = (p: { a: Matrix; b: Matrix }) => {
    calls++;
    return sum(add(p.a, p.b));
  };
  const p = { a: matrix([[1, 2, 3]]), b: matrix([[4, 5, 6]]) };
  // One traced call, then 2 evaluations × 2 directions × 2 parameters.
  checkGrads(f, p, { directions: 2 });
  assert.equal(calls, 1 + 2 * 2 * 2);
  calls = 0;
  checkGrads(f, p);
  assert.equal(calls, 1 + 2 * 3 * 2);
});

Deno.test("checkGrads checks what f returns at the moved points", () => {
  // f is right at p = 1 (traced), and returns something else elsewhere.
  const at = (bad: unknown) => (p: Matrix) =>
    toArray(p)[0][0] === 1 ? sum(p) : bad as Matrix;
  const cases: [unknown, string][] = [
    [NaN, "NaN"],
    [Infinity, "Infinity"],
    ["1", 'the string "1"'],
    [matrix([[1], [2]]), "a 2x1 Matrix"],
    [matrix([[1, 2]]), "a 1x2 Matrix"],
    [matrix([[1, 2], [3, 4]]), "a 2x2 Matrix"],
  ];
  for (const [bad, shown] of cases) {
    assert.throws(() => checkGrads(at(bad), matrix([[1]])), {
      name: "TypeError",
      message:
        `Expected f of ${CG} to return a finite number or a 1x1 Matrix, got ${shown}`,
    });
  }
  // A 1x1 Matrix or a number elsewhere is fine: f(x) = x, numerically 1.
  const ok = (p: Matrix) =>
    toArray(p)[0][0] === 1 ? sum(p) : matrix([[toArray(p)[0][0]]]);
  assert.ok(checkGrads(ok, matrix([[1]])) < 1e-9);
});

// -------------------------------------------------------- numericalGradient

const NG = "numericalGradient(f, at, options)";

Deno.test("numericalGradient's argument errors", () => {
  assert.throws(
    () =>
      numericalGradient(5 as unknown as (m: Matrix) => number, matrix([[1]])),
    {
      name: "TypeError",
      message: `Expected f of ${NG} to be a function, got 5`,
    },
  );
  assert.throws(() => numericalGradient(() => NaN, matrix([[1, 2]])), {
    name: "RangeError",
    message:
      `Expected f of ${NG} to return a finite number, got NaN near entry 0`,
  });
  assert.throws(
    () =>
      numericalGradient(
        (m) => toArray(m)[0][1] > 2 ? Infinity : 0,
        matrix([[1, 2]]),
      ),
    {
      name: "RangeError",
      message:
        `Expected f of ${NG} to return a finite number, got Infinity near entry 1`,
    },
  );
});

Deno.test("numericalGradient refuses a step that overflows an entry", () => {
  // 1e308 + 1e308 overflows; 1e308 − 1e308 = 0 does not: one side suffices.
  assert.throws(
    () =>
      numericalGradient((m) => sum(m), matrix([[1, 1e308]]), { epsilon: 1 }),
    {
      name: "RangeError",
      message:
        `Cannot step entry 1 (1e+308) by ±1e+308 in ${NG}: it would overflow`,
    },
  );
  // −1e308 − 1e308 overflows, −1e308 + 1e308 = 0 does not.
  assert.throws(
    () => numericalGradient((m) => sum(m), matrix([[-1e308]]), { epsilon: 1 }),
    {
      name: "RangeError",
      message:
        `Cannot step entry 0 (-1e+308) by ±1e+308 in ${NG}: it would overflow`,
    },
  );
});

Deno.test("numericalGradient refuses a step lost to rounding", () => {
  // h = 5e-324 · max(1, 1): 1 ± 5e-324 rounds back to 1.
  assert.throws(
    () =>
      numericalGradient((m) => sum(m), matrix([[1]]), {
        epsilon: Number.MIN_VALUE,
      }),
    {
      name: "RangeError",
      message:
        `Cannot step entry 0 (1) by ±5e-324 in ${NG}: the step is lost to rounding; use a larger options.epsilon`,
    },
  );
});

Deno.test("numericalGradient refuses a gradient that overflows", () => {
  // f jumps from −1e308 to 1e308 across 0: (1e308 + 1e308) / 2e-300 = ∞.
  assert.throws(
    () =>
      numericalGradient(
        (m) => toArray(m)[0][0] > 0 ? 1e308 : -1e308,
        matrix([[0]]),
        { epsilon: 1e-300 },
      ),
    {
      name: "RangeError",
      message:
        `Cannot compute ${NG}: the gradient would hold Infinity (overflow or an undefined operation); a Matrix holds only finite numbers`,
    },
  );
});

// -------------------------------------------------------- computationGraph

const GR = "computationGraph(f, params, options)";

Deno.test("computationGraph's options.names must be a record", () => {
  assert.throws(
    () =>
      computationGraph((p: Matrix) => sum(p), matrix([[1]]), {
        names: 5 as never,
      }),
    {
      name: "TypeError",
      message:
        `Expected options.names of ${GR} to be an object of matrices by name, such as { x, d }, got 5`,
    },
  );
});

Deno.test("a constant given two names shows the first", () => {
  const c = matrix([[2]]);
  const g = computationGraph(
    (p: Matrix) => sum(mul(p, c), { keepdims: true }),
    matrix([[1]]),
    { names: { first: c, second: c } },
  );
  assert.deepEqual(g.nodes.map((n) => n.name), [
    "params",
    "first",
    "mul",
    "sum",
  ]);
});

Deno.test("ops that only unused ops read are left out of the graph", () => {
  const g = computationGraph((p: Matrix) => {
    const a = scale(p, 2); // read only by the unused op below
    scale(a, 3);
    return sum(p, { keepdims: true });
  }, matrix([[1, 2]]));
  assert.deepEqual(g.nodes.map((n) => n.name), ["params", "sum"]);
  assert.deepEqual(g.edges, [{ from: 0, to: 1, arg: 0 }]);
});

Deno.test("a number argument in first place makes no edge", () => {
  const times = defineOp({
    name: "times",
    forward: (k: number, a: Matrix) => scale(a, k),
    backward: (g, { args: [k] }) => [null, scale(g, k)],
  });
  const g = computationGraph(
    (p: Matrix) => sum(times(2, p), { keepdims: true }),
    matrix([[1, 2]]),
  );
  assert.deepEqual(g.nodes.map((n) => n.name), ["params", "times", "sum"]);
  assert.deepEqual(g.edges, [
    { from: 0, to: 1, arg: 1 },
    { from: 1, to: 2, arg: 0 },
  ]);
  // d/dp Σ 2p = 2.
  assert.deepEqual(g.nodes[0].grad?.entries, [[2, 2]]);
});

Deno.test("a summary's mean is the sum over the count, overflow or not", () => {
  // numpy: np.mean([0.1, 0.2, 0.4]) = 0.23333333333333336, which is
  // (0.1 + 0.2 + 0.4) / 3, not 0.1/3 + 0.2/3 + 0.4/3 = 0.23333333333333334.
  const g = computationGraph(
    (p: Matrix) => sum(p, { keepdims: true }),
    matrix([[0.1, 0.2, 0.4]]),
    { maxEntries: 0 },
  );
  assert.equal(g.nodes[0].value.entries, null);
  assert.equal(g.nodes[0].value.mean, 0.23333333333333336);
  assert.equal(g.nodes[0].value.min, 0.1);
  assert.equal(g.nodes[0].value.max, 0.4);
  // 1e308 + 1e308 overflows; the mean is 1e308/2 + 1e308/2 = 1e308.
  const big = computationGraph(
    (p: Matrix) => sum(scale(p, 1e-308), { keepdims: true }),
    matrix([[1e308, 1e308]]),
  );
  assert.equal(big.nodes[0].value.mean, 1e308);
  assert.deepEqual(big.nodes[0].value.entries, [[1e308, 1e308]]);
  // −1e308 three times: the mean is −1e308 (each entry / 3, summed: the
  // rounding of 1e308/3 · 3 gives back 1e308 within one unit).
  const neg = computationGraph(
    (p: Matrix) => sum(scale(p, 1e-308), { keepdims: true }),
    matrix([[-1e308, -1e308, -1e308]]),
  );
  near(neg.nodes[0].value.mean, -1e308, 1e-15);
});

Deno.test("computationGraph refuses a gradient that overflows", () => {
  // Σ 1e200·(1e200·p) at p = 1e-300 is 1e100, but ∂/∂p = 1e400 = ∞.
  assert.throws(
    () =>
      computationGraph(
        (p: Matrix) => sum(scale(scale(p, 1e200), 1e200), { keepdims: true }),
        matrix([[1e-300]]),
      ),
    {
      name: "RangeError",
      message:
        `Cannot compute ${GR}: the gradient would hold Infinity (overflow or an undefined operation); a Matrix holds only finite numbers`,
    },
  );
});
