// Networks and training: the seeded generator, the losses' numbers, mlp,
// sequential, layers.dense, evaluate and fit. Expectations come from plain
// loops, numerical differentiation or numbers computed independently, never
// from the function under test itself.
import assert from "node:assert/strict";
import fc from "fast-check";
import { close, matrixOf, naiveDot } from "./_helpers.ts";
import {
  accuracy,
  type Activation,
  adam,
  add,
  checkGrads,
  createRng,
  evaluate,
  fit,
  grad,
  type Layer,
  type LayerLike,
  layers,
  leakyRelu,
  type LossName,
  type Matrix,
  matrix,
  mlp,
  momentum,
  mse,
  mul,
  numericalGradient,
  type Optimizer,
  type Params,
  relu,
  scale,
  sequential,
  sgd,
  shuffle,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  softplus,
  squaredError,
  sum,
  tanh,
  toArray,
  valueAndGrad,
} from "../mod.ts";

// ------------------------------------------------- helpers

type Dense = { w: Matrix; b: Matrix };

/** The context of a layer's `apply` for a layer without state, not training. */
const NO_STATE = { state: {} };

/** The dense parameters at `index` of a parameter list. */
function denseAt(params: readonly Params[], index: number): Dense {
  return params[index] as unknown as Dense;
}

/** Every Matrix of a parameter list as nested arrays, for deepEqual. */
function plain(params: readonly object[]): Record<string, number[][]>[] {
  return params.map((p) =>
    Object.fromEntries(
      Object.entries(p as Record<string, Matrix>).map((
        [k, v],
      ) => [k, toArray(v)]),
    )
  );
}

/** Asserts two parameter lists hold the same keys and close matrices. */
function closeParams(
  actual: readonly Params[],
  expected: readonly Params[],
  options: { atol: number; rtol: number; message?: string },
): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, l) => {
    const keys = Object.keys(e).sort();
    assert.deepEqual(Object.keys(actual[l]).sort(), keys);
    for (const k of keys) {
      close(
        (actual[l] as Record<string, Matrix>)[k],
        (e as Record<string, Matrix>)[k],
        { ...options, message: `${options.message ?? ""} [${l}].${k}` },
      );
    }
  });
}

function fromColumns(rows: number, columns: number[][]): Matrix {
  return matrix(
    Array.from({ length: rows }, (_, i) => columns.map((col) => col[i])),
  );
}

/** The columns `order[start … start + count)` of `m`, in plain loops. */
function columns(
  m: Matrix,
  order: readonly number[],
  start: number,
  count: number,
): Matrix {
  const rows = toArray(m);
  return matrix(
    rows.map((row) => order.slice(start, start + count).map((j) => row[j])),
  );
}

/** Asserts that `f` throws `type` with a message naming `fn(`. */
function throwsNaming(
  f: () => unknown,
  type: typeof TypeError | typeof RangeError,
  fn: string,
  pattern?: RegExp,
): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof type, `expected a ${type.name}, got ${e}`);
    assert.ok(e.message.includes(`${fn}(`), `"${e.message}" names ${fn}(`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

const PLAIN_ACTIVATIONS: Record<Activation, (v: number) => number> = {
  identity: (v) => v,
  relu: (v) => Math.max(0, v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: (v) => Math.tanh(v),
};

/** An mlp's forward pass in plain loops: w·x + b then the activation. */
function plainForward(
  dense: readonly Dense[],
  x: Matrix,
  activation: Activation,
  output: Activation,
): number[][] {
  let y = toArray(x);
  dense.forEach(({ w, b }, l) => {
    const f = PLAIN_ACTIVATIONS[l === dense.length - 1 ? output : activation];
    const bb = toArray(b);
    y = naiveDot(toArray(w), y).map((row, i) =>
      row.map((v) => f(v + bb[i][0]))
    );
  });
  return y;
}

/** The fraction of columns whose largest entry (first on ties) agree. */
function plainAccuracy(y: Matrix, d: Matrix): number {
  const argmax = (m: number[][], j: number) => {
    let best = 0;
    for (let i = 1; i < m.length; i++) if (m[i][j] > m[best][j]) best = i;
    return best;
  };
  const a = toArray(y), b = toArray(d);
  let correct = 0;
  for (let j = 0; j < a[0].length; j++) {
    if (argmax(a, j) === argmax(b, j)) correct++;
  }
  return correct / a[0].length;
}

const activations: Activation[] = ["identity", "relu", "sigmoid", "tanh"];
const losses: LossName[] = ["softmaxCrossEntropy", "mse", "squaredError"];
const LOSS_FNS = { softmaxCrossEntropy, mse, squaredError };

/** Normal inputs (k x n) and one-hot targets (r x n) from a seed. */
function randomData(k: number, r: number, n: number, seed: number) {
  const rng = createRng(seed);
  const x = fromColumns(
    k,
    Array.from(
      { length: n },
      () => Array.from({ length: k }, () => rng.normal()),
    ),
  );
  const d = fromColumns(
    r,
    Array.from({ length: n }, () => {
      const col = new Array(r).fill(0);
      col[rng.int(r)] = 1;
      return col;
    }),
  );
  return { x, d };
}

/** CS231n's spiral: K arms of N points, r = linspace(0, 1), θ with noise. */
function spiral(n: number, k: number, seed: number) {
  const rng = createRng(seed);
  const xs: number[][] = [];
  const ds: number[][] = [];
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      const r = i / (n - 1);
      const t = 4 * j + 4 * (i / (n - 1)) + 0.2 * rng.normal();
      xs.push([r * Math.sin(t), r * Math.cos(t)]);
      const d = new Array(k).fill(0);
      d[j] = 1;
      ds.push(d);
    }
  }
  return { x: fromColumns(2, xs), d: fromColumns(k, ds) };
}

const XOR = {
  x: matrix([[0, 0, 1, 1], [0, 1, 0, 1]]),
  d: matrix([[1, 0, 0, 1], [0, 1, 1, 0]]), // one-hot: XOR is row 1
};

/** Mean, sample standard deviation and the fraction within one sd. */
function stats(values: number[]) {
  const n = values.length;
  const m = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  const within = values.filter((v) => Math.abs(v - m) <= sd).length / n;
  return { mean: m, sd, within, max: Math.max(...values.map(Math.abs)) };
}

// ------------------------------------------------- random

Deno.test("createRng is xoshiro128** seeded by splitmix32", () => {
  // From an independent Python implementation, itself checked against the
  // reference vector of xoshiro128** (state 1, 2, 3, 4 → 11520, 0, 5927040).
  const rng = createRng(42);
  assert.deepEqual(
    [rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()],
    [2109366273, 3529362016, 1516453232, 3688988285],
  );
});

Deno.test("createRng: same seed same numbers, different seeds different numbers", () => {
  fc.assert(
    fc.property(
      // Up to 2^53 − 2, so that seed + 1 is still a safe integer.
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 2 }),
      (seed) => {
        const a = createRng(seed), b = createRng(seed), c = createRng(seed + 1);
        const xs = Array.from({ length: 8 }, () => a.uniform());
        assert.deepEqual(xs, Array.from({ length: 8 }, () => b.uniform()));
        assert.notDeepEqual(xs, Array.from({ length: 8 }, () => c.uniform()));
        xs.forEach((x) => assert.ok(x >= 0 && x < 1));
      },
    ),
    { numRuns: 50, seed: 1 },
  );
});

// Found by fast-check (seed -704305957, path "12"): the largest safe seed
// plus one is no longer a safe integer, and is refused rather than rounded.
Deno.test("createRng takes the largest safe integer and refuses the next", () => {
  const top = Number.MAX_SAFE_INTEGER;
  assert.notDeepEqual(
    createRng(top).uniform(),
    createRng(top - 1).uniform(),
  );
  assert.throws(() => createRng(top + 1), RangeError);
});

Deno.test("uniform, normal and int have the right distributions", () => {
  const rng = createRng(7);
  const n = 20000;
  const u = Array.from({ length: n }, () => rng.uniform(-1, 3));
  const z = Array.from({ length: n }, () => rng.normal(2, 0.5));
  const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const varOf = (v: number[]) => {
    const m = meanOf(v);
    return v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length;
  };
  assert.ok(u.every((x) => x >= -1 && x < 3));
  close(meanOf(u), 1, { atol: 0.05, rtol: 0, message: "uniform mean" }); // sd of the mean ≈ 0.008
  close(varOf(u), 16 / 12, {
    atol: 0.05,
    rtol: 0,
    message: "uniform variance",
  });
  close(meanOf(z), 2, { atol: 0.02, rtol: 0, message: "normal mean" }); // sd of the mean ≈ 0.0035
  close(varOf(z), 0.25, { atol: 0.01, rtol: 0, message: "normal variance" });
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[rng.int(3)]++;
  counts.forEach((c) => assert.ok(c > 900 && c < 1100, `${c}`));
  assert.throws(() => rng.int(0), RangeError);
});

Deno.test("shuffle is a seeded permutation", () => {
  fc.assert(
    fc.property(fc.nat(200), fc.nat(1000), (n, seed) => {
      const p = shuffle(n, createRng(seed));
      assert.deepEqual([...p].sort((a, b) => a - b), [...Array(n).keys()]);
      assert.deepEqual(shuffle(n, createRng(seed)), p);
    }),
    { seed: 2 },
  );
  assert.notDeepEqual(shuffle(50, createRng(1)), shuffle(50, createRng(2)));
});

Deno.test("createRng and shuffle refuse bad arguments", () => {
  throwsNaming(() => createRng("1" as never), TypeError, "createRng");
  throwsNaming(() => createRng(1.5), RangeError, "createRng");
  throwsNaming(() => createRng(2 ** 53), RangeError, "createRng");
  throwsNaming(() => shuffle(-1, createRng(0)), RangeError, "shuffle");
  throwsNaming(() => shuffle(3, {} as never), TypeError, "shuffle");
});

Deno.test("rng.uniform, rng.normal and rng.int check their arguments and name themselves", () => {
  const rng = createRng(0);
  throwsNaming(() => rng.uniform(false as never, 1), TypeError, "uniform");
  throwsNaming(
    () => rng.uniform(0, matrix([[1]]) as never),
    TypeError,
    "uniform",
  );
  throwsNaming(() => rng.uniform(NaN, 1), RangeError, "uniform");
  throwsNaming(() => rng.uniform(1, 0), RangeError, "uniform", /low < high/);
  throwsNaming(() => rng.uniform(2, 2), RangeError, "uniform");
  throwsNaming(
    () => rng.uniform(-1e308, 1e308),
    RangeError,
    "uniform",
    /overflows/,
  );
  throwsNaming(() => rng.normal("0" as never), TypeError, "normal");
  throwsNaming(() => rng.normal(0, Infinity), RangeError, "normal");
  throwsNaming(() => rng.normal(0, -1), RangeError, "normal", /non-negative/);
  throwsNaming(
    () => rng.normal(1e308, 1e308),
    RangeError,
    "normal",
    /overflows/,
  );
  throwsNaming(() => rng.int("3" as never), TypeError, "int");
  throwsNaming(() => rng.int(0), RangeError, "int");
  // The defaults still work, and a zero sd gives the mean.
  const u = rng.uniform();
  assert.ok(u >= 0 && u < 1);
  assert.equal(rng.normal(3, 0), 3);
  assert.ok(Number.isFinite(rng.normal()));
});

Deno.test("shuffle calls rng.uniform as a method and checks its draws", () => {
  throwsNaming(
    () => shuffle(3, { uint32: () => 0 } as never),
    TypeError,
    "shuffle",
    /uniform/,
  );
  throwsNaming(() => shuffle(3, null as never), TypeError, "shuffle", /rng/);
  throwsNaming(() => shuffle("3" as never, createRng(0)), TypeError, "shuffle");
  throwsNaming(() => shuffle(2 ** 40, createRng(0)), RangeError, "shuffle");
  throwsNaming(
    () => shuffle(3, { uniform: () => NaN } as never),
    RangeError,
    "shuffle",
    /\[0, 1\)/,
  );
  throwsNaming(
    () => shuffle(3, { uniform: () => 1 } as never),
    RangeError,
    "shuffle",
  );
  // `this` is the generator; n − 1 draws for n items.
  const counter = {
    calls: 0,
    uniform(): number {
      this.calls++;
      return 0.5;
    },
  };
  assert.equal(shuffle(4, counter as never).length, 4);
  assert.equal(counter.calls, 3);
});

// ------------------------------------------------- losses and accuracy

Deno.test("mse, softmaxCrossEntropy and accuracy give numpy's numbers", () => {
  const u = matrix([[-3.8], [9.5]]);
  const d = matrix([[1], [0]]);
  assert.equal(mse(u, d), 56.644999999999996);
  const z = matrix([[1000, -1000, 3], [-1000, 1000, 1], [0, 500, 2]]);
  const labels = matrix([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  close(softmaxCrossEntropy(z, labels), 167.46920198814811, {
    atol: 0,
    rtol: 1e-15,
    message: "ce",
  });
  assert.equal(accuracy(z, labels), 1 / 3);
  // One row: a binary classifier thresholded at 0.5.
  assert.equal(
    accuracy(matrix([[0.2, 0.5, 0.9, 0.49]]), matrix([[0, 1, 0, 0]])),
    0.75, // 0.9 is class 1 but its target is 0
  );
  assert.throws(() => mse(u, matrix([[1, 2]])), /same shape/);
  assert.throws(() => softmaxCrossEntropy(u, 3 as never), TypeError);
  assert.throws(() => accuracy(u, matrix([[1]])), RangeError);
});

// REGRESSION: the gradient with respect to the logits is
// (softmax(z)·Σ_i d_ij − d)/n, which is (softmax(z) − d)/n only when each
// label column sums to 1 exactly. softmaxCrossEntropy refuses columns more
// than 1e-6 from 1 (tests/findings_test.ts); columns 9e-7 short, rounding
// as far as it is allowed, still tell the two apart.
Deno.test("softmaxCrossEntropy's gradient matches central differences for labels not summing exactly to 1", () => {
  const z = matrix([[0.3, -1.2, 2], [1.1, 0.4, -0.5]]);
  const short = 9e-7;
  const d = matrix([[0.5, 0, 0.75], [0.5 - short, 1 - short, 0.25 - short]]);
  const n = 3;
  const g = grad((m: Matrix) => softmaxCrossEntropy(m, d, { keepdims: true }))(
    z,
  );
  const numeric = numericalGradient((m) => softmaxCrossEntropy(m, d), z);
  close(g, numeric, { atol: 1e-9, rtol: 1e-7, message: "grad vs numeric" });
  // The formula, in plain loops.
  const zz = toArray(z), dd = toArray(d);
  const expected = zz.map((row) => row.map(() => 0));
  const naive = zz.map((row) => row.map(() => 0));
  for (let j = 0; j < n; j++) {
    const e = zz.map((row) => Math.exp(row[j]));
    const total = e.reduce((s, v) => s + v, 0);
    const labels = dd.reduce((s, row) => s + row[j], 0);
    for (let i = 0; i < zz.length; i++) {
      const p = e[i] / total;
      expected[i][j] = (p * labels - dd[i][j]) / n;
      naive[i][j] = (p - dd[i][j]) / n;
    }
  }
  close(g, expected, { atol: 1e-15, rtol: 1e-12, message: "formula" });
  // The test tells the mutant "(p − d)/n" apart: it is off by p·9e-7/n,
  // a million times what "formula" allows.
  assert.ok(
    Math.abs(naive[0][0] - expected[0][0]) > 1e-8,
    "the labels must not sum to 1",
  );
  // The same through a network's output.
  const { model, params } = mlp([2, 3, 2], 4, { activation: "tanh" });
  const x = matrix([[0.5, -1, 2], [1, 0.3, -0.7]]);
  const g2 = grad((p: Params[]) =>
    softmaxCrossEntropy(model.apply(p, x), d, { keepdims: true })
  )(params);
  const w = denseAt(params, 2).w;
  const numeric2 = numericalGradient(
    (m) =>
      softmaxCrossEntropy(
        model.apply(params.map((p, l) => l === 2 ? { ...p, w: m } : p), x),
        d,
      ),
    w,
  );
  close(denseAt(g2, 2).w, numeric2, { atol: 1e-9, rtol: 1e-6 });
});

// ------------------------------------------------- mlp

Deno.test("mlp returns a sequential model: dense layers with activations in the right places", () => {
  for (const activation of activations) {
    for (const output of activations) {
      const { model, params } = mlp([3, 5, 4, 2], 11, { activation, output });
      const expectedNames = [
        "dense(3, 5)",
        ...(activation === "identity" ? [] : ["function"]),
        "dense(5, 4)",
        ...(activation === "identity" ? [] : ["function"]),
        "dense(4, 2)",
        ...(output === "identity" ? [] : ["function"]),
      ];
      assert.deepEqual(model.layers.map((l) => l.name), expectedNames);
      assert.equal(params.length, expectedNames.length);
      const denseShapes: number[][][] = [];
      params.forEach((p, l) => {
        if (expectedNames[l].startsWith("dense")) {
          const { w, b } = p as unknown as Dense;
          denseShapes.push([w.shape, b.shape]);
        } else {
          assert.deepEqual(p, {}, `layer ${l} has no parameters`);
        }
      });
      assert.deepEqual(denseShapes, [
        [[5, 3], [5, 1]],
        [[4, 5], [4, 1]],
        [[2, 4], [2, 1]],
      ]);
    }
  }
  const m = mlp([2, 3], 0);
  assert.ok(Object.isFrozen(m) && Object.isFrozen(m.model));
  assert.equal(m.params.length, 1); // the default output is "identity"
});

Deno.test("mlp's apply equals dense layers and activations in plain loops, and is pure", () => {
  const { x } = randomData(3, 2, 6, 3);
  for (const activation of activations) {
    for (const output of activations) {
      const { model, params } = mlp([3, 5, 4, 2], 11, { activation, output });
      const before = plain(params);
      const xBefore = toArray(x);
      const y = model.apply(params, x);
      assert.deepEqual(y.shape, [2, 6]);
      const dense = params.filter((p) => "w" in p) as unknown as Dense[];
      assert.equal(dense.length, 3);
      close(y, plainForward(dense, x, activation, output), {
        atol: 1e-14,
        rtol: 1e-12,
        message: `${activation}/${output}`,
      });
      assert.deepEqual(toArray(model.apply(params, x)), toArray(y));
      assert.deepEqual(toArray(x), xBefore);
      assert.deepEqual(plain(params), before);
    }
  }
  // The default hidden activation is relu: negative pre-activations vanish.
  const { model, params } = mlp([3, 5, 2], 1);
  close(
    model.apply(params, x),
    plainForward(
      params.filter((p) => "w" in p) as unknown as Dense[],
      x,
      "relu",
      "identity",
    ),
    { atol: 1e-14, rtol: 1e-12, message: "defaults" },
  );
});

Deno.test("mlp is deterministic from its seed and draws layer after layer from one generator", () => {
  const a = mlp([4, 6, 3], 5);
  assert.deepEqual(plain(a.params), plain(mlp([4, 6, 3], 5).params));
  assert.deepEqual(plain(a.model.init(5)), plain(a.params));
  assert.notDeepEqual(plain(a.params), plain(mlp([4, 6, 3], 6).params));
  // The same as drawing each layer's init from createRng(seed) in turn.
  const rng = createRng(5);
  const first = layers.dense(4, 6).init(rng);
  const second = layers.dense(6, 3).init(rng);
  assert.deepEqual(plain(a.params), plain([first, {}, second]));
  // Biases start at zero.
  for (const l of [0, 2]) {
    assert.ok(toArray(denseAt(a.params, l).b).flat().every((v) => v === 0));
  }
  // Negative and large seeds are seeds too.
  assert.notDeepEqual(
    plain(mlp([4, 6, 3], -5).params),
    plain(mlp([4, 6, 3], Number.MAX_SAFE_INTEGER).params),
  );
});

Deno.test("mlp initializes He for relu and Xavier otherwise, or as options.init says", () => {
  // He: N(0, 2/fanIn). 120 000 weights: the sample sd is within 0.3%.
  const he = mlp([400, 300, 200], 5);
  const h0 = stats(toArray(denseAt(he.params, 0).w).flat());
  close(h0.sd, Math.sqrt(2 / 400), { rtol: 0.05, message: "He sd, layer 0" });
  assert.ok(Math.abs(h0.mean) < 1e-3, `He mean ${h0.mean}`);
  close(h0.within, 0.6827, { atol: 0.01, message: "normal: 68% within 1 sd" });
  const h2 = stats(toArray(denseAt(he.params, 2).w).flat());
  close(h2.sd, Math.sqrt(2 / 300), { rtol: 0.05, message: "He sd, layer 2" });
  // Xavier: U(±√(6/(fanIn + fanOut))), sd limit/√3.
  for (const activation of ["tanh", "sigmoid", "identity"] as const) {
    const w = toArray(denseAt(mlp([400, 300], 1, { activation }).params, 0).w)
      .flat();
    const s = stats(w);
    const limit = Math.sqrt(6 / 700);
    assert.ok(s.max <= limit, `${activation}: ${s.max} > ${limit}`);
    close(s.max, limit, { rtol: 0.01, message: "Xavier limit" });
    close(s.sd, limit / Math.sqrt(3), { rtol: 0.05, message: "Xavier sd" });
    close(s.within, 1 / Math.sqrt(3), {
      atol: 0.01,
      message: "uniform: 58% within 1 sd",
    });
  }
  // options.init overrides the default.
  const forcedXavier = stats(
    toArray(
      denseAt(
        mlp([400, 300], 1, { activation: "relu", init: "xavier" }).params,
        0,
      )
        .w,
    ).flat(),
  );
  assert.ok(forcedXavier.max <= Math.sqrt(6 / 700));
  const forcedHe = stats(
    toArray(
      denseAt(mlp([400, 300], 1, { activation: "tanh", init: "he" }).params, 0)
        .w,
    ).flat(),
  );
  close(forcedHe.sd, Math.sqrt(2 / 400), { rtol: 0.05, message: "forced He" });
  assert.ok(forcedHe.max > Math.sqrt(6 / 700));
});

Deno.test("mlp refuses bad sizes, seeds and options, naming itself", () => {
  throwsNaming(() => mlp([3], 0), RangeError, "mlp", /at least two/);
  throwsNaming(() => mlp([], 0), RangeError, "mlp", /at least two/);
  throwsNaming(() => mlp([3, 0], 0), RangeError, "mlp", /sizes\[1\]/);
  throwsNaming(() => mlp([3, 2.5], 0), RangeError, "mlp", /sizes\[1\]/);
  throwsNaming(() => mlp([3, 65537], 0), RangeError, "mlp", /sizes\[1\]/);
  throwsNaming(() => mlp([3, -1, 2], 0), RangeError, "mlp", /sizes\[1\]/);
  throwsNaming(
    () => mlp([2, undefined, 2] as never, 0),
    TypeError,
    "mlp",
    /sizes\[1\]/,
  );
  throwsNaming(() => mlp(["3", 2] as never, 0), TypeError, "mlp", /sizes\[0\]/);
  throwsNaming(() => mlp("3,2" as never, 0), TypeError, "mlp", /sizes/);
  throwsNaming(() => mlp(undefined as never, 0), TypeError, "mlp", /sizes/);
  throwsNaming(
    () => mlp(new Array(2000).fill(1), 0),
    RangeError,
    "mlp",
    /at most 1024/,
  );
  throwsNaming(() => mlp([3, 2], 0.5), RangeError, "mlp", /seed/);
  throwsNaming(() => mlp([3, 2], 2 ** 53), RangeError, "mlp", /seed/);
  throwsNaming(() => mlp([3, 2], "1" as never), TypeError, "mlp", /seed/);
  throwsNaming(() => mlp([3, 2], undefined as never), TypeError, "mlp", /seed/);
  throwsNaming(
    () => mlp([3, 2], 0, { activation: "gelu" as never }),
    TypeError,
    "mlp",
    /options\.activation.*"relu"/,
  );
  throwsNaming(
    () => mlp([3, 2], 0, { output: "softmax" as never }),
    TypeError,
    "mlp",
    /options\.output/,
  );
  throwsNaming(
    () => mlp([3, 2], 0, { init: "lecun" as never }),
    TypeError,
    "mlp",
    /options\.init.*"he"/,
  );
  throwsNaming(
    () => mlp([3, 2], 0, { steps: 3 } as never),
    TypeError,
    "mlp",
    /Unknown option "steps"/,
  );
  throwsNaming(() => mlp([3, 2], 0, 3 as never), TypeError, "mlp", /options/);
  // Too many weights in one layer is refused before anything is drawn.
  assert.throws(() => mlp([65536, 65536], 0), RangeError);
  assert.throws(() => mlp([65536, 65536], 0), /2\^26/);
});

// ------------------------------------------------- layers.dense

Deno.test("layers.dense draws w (outputs x inputs) and a zero b, and applies w·x + b", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 4 }),
      fc.nat(1000),
      fc.constantFrom("he" as const, "xavier" as const),
      (inputs, outputs, n, seed, init) => {
        const layer = layers.dense(inputs, outputs, { init });
        assert.equal(layer.name, `dense(${inputs}, ${outputs})`);
        const params = layer.init(createRng(seed));
        assert.deepEqual(params.w.shape, [outputs, inputs]);
        assert.deepEqual(toArray(params.b), new Array(outputs).fill([0]));
        assert.ok(Object.isFrozen(params) && Object.isFrozen(layer));
        // Same generator state, same parameters.
        assert.deepEqual(
          toArray(layer.init(createRng(seed)).w),
          toArray(params.w),
        );
        const rng = createRng(seed + 1);
        const w = params.w;
        const b = matrix(
          Array.from({ length: outputs }, () => [rng.normal()]),
        );
        const x = matrix(
          Array.from(
            { length: inputs },
            () => Array.from({ length: n }, () => rng.uniform(-3, 3)),
          ),
        );
        const xBefore = toArray(x);
        const y = layer.apply({ w, b }, x, NO_STATE) as Matrix;
        const bb = toArray(b);
        close(
          y,
          naiveDot(toArray(w), toArray(x)).map((row, i) =>
            row.map((v) => v + bb[i][0])
          ),
          { atol: 1e-14, rtol: 1e-12 },
        );
        assert.deepEqual(toArray(x), xBefore);
      },
    ),
    { numRuns: 50, seed: 3 },
  );
  // The article's numbers: w·x + b = [-3.8, 9.5].
  const layer = layers.dense(3, 2);
  const y = layer.apply(
    {
      w: matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]),
      b: matrix([[1.2], [3.4]]),
    },
    matrix([[5], [2], [7]]),
    NO_STATE,
  ) as Matrix;
  close(y, [[-3.8], [9.5]], { atol: 1e-15, rtol: 1e-15 });
  // The default init is He: sd √(2/inputs), unbounded.
  const w = stats(
    toArray(layers.dense(500, 200).init(createRng(1)).w).flat(),
  );
  close(w.sd, Math.sqrt(2 / 500), { rtol: 0.05, message: "default He" });
});

Deno.test("layers.dense refuses bad sizes and options, and apply refuses bad shapes", () => {
  const fn = "layers.dense";
  throwsNaming(() => layers.dense(0, 2), RangeError, fn, /inputs/);
  throwsNaming(() => layers.dense(2, 0), RangeError, fn, /outputs/);
  throwsNaming(() => layers.dense(2.5, 1), RangeError, fn, /inputs/);
  throwsNaming(() => layers.dense(65537, 1), RangeError, fn, /inputs/);
  throwsNaming(() => layers.dense("2" as never, 1), TypeError, fn, /inputs/);
  throwsNaming(() => layers.dense(2, null as never), TypeError, fn, /outputs/);
  // 8192² = 2^26 is allowed (nothing is drawn until init); one more is not.
  assert.equal(layers.dense(8192, 8192).name, "dense(8192, 8192)");
  throwsNaming(() => layers.dense(8192, 8193), RangeError, fn, /2\^26/);
  throwsNaming(
    () => layers.dense(2, 2, { init: "lecun" as never }),
    TypeError,
    fn,
    /options\.init.*"he" or "xavier"/,
  );
  throwsNaming(
    () => layers.dense(2, 2, { activation: "relu" } as never),
    TypeError,
    fn,
    /Unknown option "activation"/,
  );

  const layer = layers.dense(3, 2);
  const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
  const b = matrix([[1.2], [3.4]]);
  const x = matrix([[5], [2], [7]]);
  const apply = "dense(3, 2).apply";
  throwsNaming(
    () => layer.apply({ w, b }, matrix([[1, 2], [3, 4]]), NO_STATE),
    RangeError,
    apply,
    /x 2x2 .*must have 3 rows/,
  );
  throwsNaming(
    () => layer.apply({ w, b: w }, x, NO_STATE),
    RangeError,
    apply,
    /b 2x3 .*b 2x1/,
  );
  throwsNaming(
    () => layer.apply({ w: matrix([[1, 2, 3]]), b }, x, NO_STATE),
    RangeError,
    apply,
    /w must be 2x3/,
  );
  throwsNaming(
    () => layer.apply({ w: matrix([[1, 2], [3, 4]]), b }, x, NO_STATE),
    RangeError,
    apply,
    /w must be 2x3/,
  );
  throwsNaming(
    () => layer.apply({ w: [[1]], b } as never, x, NO_STATE),
    TypeError,
    apply,
    /params\.w/,
  );
  throwsNaming(
    () => layer.apply({ w } as never, x, NO_STATE),
    TypeError,
    apply,
    /params\.b/,
  );
  throwsNaming(
    () => layer.apply([w, b] as never, x, NO_STATE),
    TypeError,
    apply,
    /params/,
  );
  throwsNaming(
    () => layer.apply({ w, b }, [[5], [2], [7]] as never, NO_STATE),
    TypeError,
    apply,
    /x/,
  );
  // Overflow is refused rather than stored.
  assert.throws(
    () =>
      layers.dense(3, 1).apply(
        { w: matrix([[1e308, 1e308, 1e308]]), b: matrix([[0]]) },
        x,
        NO_STATE,
      ),
    RangeError,
  );
});

// ------------------------------------------------- sequential

/** A layer with its own parameter: y = s·x, s drawn from U(0.5, 1.5). */
const scaleLayer: Layer<{ s: Matrix }> = {
  name: "scale",
  init: (rng) => ({ s: matrix([[rng.uniform(0.5, 1.5)]]) }),
  apply: (p, x) => mul(x, p.s),
};

Deno.test("sequential composes layers and plain functions in order", () => {
  const square = (m: Matrix) => mul(m, m);
  const model = sequential([
    layers.dense(2, 3),
    tanh,
    scaleLayer,
    square,
    layers.dense(3, 2, { init: "xavier" }),
    leakyRelu,
  ]);
  assert.deepEqual(model.layers.map((l) => l.name), [
    "dense(2, 3)",
    "function",
    "scale",
    "square",
    "dense(3, 2)",
    "function",
  ]);
  assert.ok(Object.isFrozen(model) && Object.isFrozen(model.layers));
  const params = model.init(9);
  assert.equal(params.length, 6);
  assert.deepEqual([params[1], params[3], params[5]], [{}, {}, {}]);
  // init draws each layer in order from one generator.
  const rng = createRng(9);
  const expected = [
    layers.dense(2, 3).init(rng),
    {},
    scaleLayer.init(rng),
    {},
    layers.dense(3, 2, { init: "xavier" }).init(rng),
    {},
  ];
  assert.deepEqual(plain(params), plain(expected));
  assert.deepEqual(plain(model.init(9)), plain(params));
  assert.notDeepEqual(plain(model.init(10)), plain(params));

  // apply runs the layers in turn; compare with plain loops.
  const x = matrix([[0.5, -1, 2, 0], [1.5, 0.25, -0.5, 0]]);
  const xBefore = toArray(x);
  const before = plain(params);
  const y = model.apply(params, x);
  const d0 = denseAt(params, 0), d4 = denseAt(params, 4);
  const s = (params[2] as unknown as { s: Matrix }).s.at(0, 0);
  const b0 = toArray(d0.b), b4 = toArray(d4.b);
  const hidden = naiveDot(toArray(d0.w), toArray(x)).map((row, i) =>
    row.map((v) => (Math.tanh(v + b0[i][0]) * s) ** 2)
  );
  const out = naiveDot(toArray(d4.w), hidden).map((row, i) =>
    row.map((v) => {
      const u = v + b4[i][0];
      return u > 0 ? u : 0.01 * u;
    })
  );
  close(y, out, { atol: 1e-14, rtol: 1e-12 });
  // Pure: the same answer again, and nothing changed.
  assert.deepEqual(toArray(model.apply(params, x)), toArray(y));
  assert.deepEqual(toArray(x), xBefore);
  assert.deepEqual(plain(params), before);
  // A single layer is a model too.
  const one = sequential([relu]);
  assert.deepEqual(one.init(0), [{}]);
  assert.deepEqual(toArray(one.apply([{}], matrix([[-1, 2]]))), [[0, 2]]);
});

Deno.test("sequential passes apply's options to every layer", () => {
  const seen: unknown[] = [];
  const spy: Layer<Record<string, never>> = {
    name: "spy",
    init: () => ({}),
    apply: (_p, x, options) => {
      seen.push(options);
      return x;
    },
  };
  const model = sequential([spy, layers.dense(1, 1), spy]);
  const params = model.init(0);
  const rng = createRng(3);
  model.apply(params, matrix([[1]]), { training: true, rng });
  assert.equal(seen.length, 2);
  for (const o of seen) {
    assert.equal((o as { training: boolean }).training, true);
    assert.equal((o as { rng: unknown }).rng, rng);
  }
  seen.length = 0;
  model.apply(params, matrix([[1]]));
  assert.equal(seen.length, 2);
  for (const o of seen) {
    assert.ok(!(o as { training?: boolean }).training);
  }
});

Deno.test("sequential and model.apply refuse what is not a model or its parameters", () => {
  throwsNaming(
    () => sequential("x" as never),
    TypeError,
    "sequential",
    /array/,
  );
  throwsNaming(
    () => sequential(undefined as never),
    TypeError,
    "sequential",
    /layers/,
  );
  throwsNaming(
    () => sequential([]),
    RangeError,
    "sequential",
    /at least one layer/,
  );
  for (
    const bad of [3, null, "relu", {}, { init: () => ({}) }, matrix([[1]])]
  ) {
    throwsNaming(
      () => sequential([layers.dense(2, 2), bad as never]),
      TypeError,
      "sequential",
      /layers\[1\]/,
    );
  }
  // A layer without a name is still a layer.
  const anonymous = { init: () => ({}), apply: (_p: unknown, x: Matrix) => x };
  assert.equal(
    sequential([anonymous as unknown as LayerLike]).layers.length,
    1,
  );

  const model = sequential([layers.dense(2, 3), relu, layers.dense(3, 1)]);
  const params = model.init(0);
  const x = matrix([[1], [2]]);
  const fn = "model.apply";
  throwsNaming(() => model.apply([], x), TypeError, fn, /array of 3/);
  throwsNaming(
    () => model.apply(params.slice(0, 2), x),
    TypeError,
    fn,
    /array of 3 .*length 2/,
  );
  throwsNaming(
    () => model.apply([...params, {}], x),
    TypeError,
    fn,
    /array of 3/,
  );
  throwsNaming(
    () => model.apply(params[0] as never, x),
    TypeError,
    fn,
    /params/,
  );
  throwsNaming(
    () => model.apply(params, [[1], [2]] as never),
    TypeError,
    fn,
    /x/,
  );
  throwsNaming(
    () => model.apply(params, x, { training: 1 as never }),
    TypeError,
    fn,
    /options\.training/,
  );
  throwsNaming(
    () => model.apply(params, x, { dropout: 0.5 } as never),
    TypeError,
    fn,
    /Unknown option "dropout"/,
  );
  // Parameters in the wrong places are caught by the layer.
  throwsNaming(
    () => model.apply([params[2], params[1], params[0]], x),
    RangeError,
    "dense(2, 3).apply",
  );
  throwsNaming(
    () => model.apply(params, matrix([[1, 2, 3]])),
    RangeError,
    "dense(2, 3).apply",
    /must have 2 rows/,
  );
  throwsNaming(() => model.init(0.5), RangeError, "model.init", /seed/);
  throwsNaming(() => model.init("0" as never), TypeError, "model.init", /seed/);
});

const LAYER_FUNCTIONS: Record<string, (m: Matrix) => Matrix> = {
  tanh,
  sigmoid,
  softplus,
  relu,
  leakyRelu,
  square: (m) => mul(m, m),
};

Deno.test("grad through model.apply agrees with checkGrads and numericalGradient", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
      ).chain(([k, h, r, n]) =>
        fc.record({
          k: fc.constant(k),
          h: fc.constant(h),
          x: matrixOf(k, n, 2),
          b: matrixOf(h, 1, 1),
          d: matrixOf(r, n, 1),
        })
      ),
      fc.constantFrom(...Object.keys(LAYER_FUNCTIONS)),
      fc.boolean(),
      fc.constantFrom(...losses),
      fc.nat(10_000),
      ({ k, h, x, b, d }, f, withScale, loss, seed) => {
        const chain: LayerLike[] = [
          layers.dense(k, h),
          LAYER_FUNCTIONS[f],
          ...(withScale ? [scaleLayer] : []),
          layers.dense(h, d.rows),
        ];
        const model = sequential(chain);
        // Random first biases, so that pre-activations are rarely 0.
        const params = model.init(seed).map((p, l) =>
          l === 0 ? { ...p, b } : p
        );
        // The cross-entropy takes probability columns: softmax makes some.
        const data = {
          x,
          d: loss === "softmaxCrossEntropy" ? softmax(d) : d,
        };
        if (f === "relu" || f === "leakyRelu") {
          // Central differences straddling a kink measure neither slope.
          const u = toArray(
            model.layers[0].apply(params[0], x, NO_STATE) as Matrix,
          );
          fc.pre(u.flat().every((v) => Math.abs(v) > 1e-3));
        }
        const f1 = (p: Params[]) =>
          LOSS_FNS[loss](model.apply(p, data.x), data.d, { keepdims: true });
        const { value, grad: g } = valueAndGrad(f1)(params);
        close(value, LOSS_FNS[loss](model.apply(params, data.x), data.d), {
          rtol: 1e-15,
          message: "value",
        });
        assert.equal(g.length, params.length);
        checkGrads(f1, params, { seed: 1, tolerance: 1e-5 });
        // Every entry of the first layer's w, by central differences.
        const last = chain.length - 1;
        for (const l of [0, last]) {
          const numeric = numericalGradient(
            (m) =>
              LOSS_FNS[loss](
                model.apply(
                  params.map((p, i) => i === l ? { ...p, w: m } : p),
                  data.x,
                ),
                data.d,
              ),
            denseAt(params, l).w,
          );
          close(denseAt(g, l).w, numeric, {
            atol: 1e-6,
            rtol: 1e-5,
            message: `layer ${l} w (${f}, ${loss})`,
          });
        }
        // grad gives the same gradient.
        assert.deepEqual(plain(grad(f1)(params)), plain(g));
      },
    ),
    { numRuns: 60, seed: 42 },
  );
});

Deno.test("a loss plus weight decay, combined with add and scale, has gradient grad(loss) + 2λw", () => {
  const { model, params } = mlp([3, 4, 2], 9, { activation: "tanh" });
  const data = randomData(3, 2, 5, 4);
  const lambda = 0.05;
  const lossOnly = (p: Params[]) =>
    softmaxCrossEntropy(model.apply(p, data.x), data.d, { keepdims: true });
  const withDecay = (p: Params[]) => {
    const w = denseAt(p, 0).w;
    return add(lossOnly(p), scale(sum(mul(w, w), { keepdims: true }), lambda));
  };
  const g0 = grad(lossOnly)(params);
  const { value, grad: g } = valueAndGrad(withDecay)(params);
  const w = toArray(denseAt(params, 0).w);
  close(
    value,
    softmaxCrossEntropy(model.apply(params, data.x), data.d) +
      lambda * w.flat().reduce((s, v) => s + v * v, 0),
    { rtol: 1e-14, message: "value" },
  );
  const g0w = toArray(denseAt(g0, 0).w);
  close(
    denseAt(g, 0).w,
    g0w.map((row, i) => row.map((v, j) => v + 2 * lambda * w[i][j])),
    { atol: 1e-15, rtol: 1e-12, message: "decayed w" },
  );
  assert.deepEqual(toArray(denseAt(g, 0).b), toArray(denseAt(g0, 0).b));
  assert.deepEqual(toArray(denseAt(g, 2).w), toArray(denseAt(g0, 2).w));
  const numeric = numericalGradient(
    (m) => {
      const p = params.map((q, l) => l === 0 ? { ...q, w: m } : q);
      return (withDecay(p) as Matrix).at(0, 0);
    },
    denseAt(params, 0).w,
  );
  close(denseAt(g, 0).w, numeric, { atol: 1e-8, rtol: 1e-6 });
  checkGrads(withDecay, params);
});

// ------------------------------------------------- evaluate

Deno.test("evaluate agrees with model.apply, the loss functions and accuracy", () => {
  const { model, params } = mlp([3, 8, 4], 2);
  const data = randomData(3, 4, 20, 8);
  const y = model.apply(params, data.x);
  for (const loss of losses) {
    const e = evaluate(model, params, data, { loss });
    close(e.loss, LOSS_FNS[loss](y, data.d), {
      atol: 1e-14,
      rtol: 1e-12,
      message: loss,
    });
    assert.equal(e.accuracy, accuracy(y, data.d));
    assert.equal(e.accuracy, plainAccuracy(y, data.d));
  }
  // The default loss is softmaxCrossEntropy.
  assert.deepEqual(
    evaluate(model, params, data),
    evaluate(model, params, data, { loss: "softmaxCrossEntropy" }),
  );
  // A loss function, returning a 1x1 Matrix or a number.
  const e = evaluate(
    model,
    params,
    data,
    { loss: (u, d) => add(mse(u, d, { keepdims: true }), matrix([[1]])) },
  );
  close(e.loss, mse(y, data.d) + 1, { rtol: 1e-15 });
  assert.equal(
    evaluate(model, params, data, { loss: (u, d) => mse(u, d) }).loss,
    mse(y, data.d),
  );
  // All-zero logits: a fair coin over two classes.
  const zero = mlp([1, 2], 0);
  const coin = evaluate(zero.model, zero.params, {
    x: matrix([[0, 0]]),
    d: matrix([[1, 0], [0, 1]]),
  });
  close(coin.loss, Math.LN2, { rtol: 1e-15 });
  assert.equal(coin.accuracy, 0.5); // ties go to the first class
  // Evaluation is pure.
  assert.deepEqual(toArray(model.apply(params, data.x)), toArray(y));
});

Deno.test("evaluate refuses mismatched data and unknown losses", () => {
  const { model, params } = mlp([3, 8, 4], 2);
  const data = randomData(3, 4, 20, 8);
  const fn = "evaluate";
  throwsNaming(
    () => evaluate(model, params, { x: data.x, d: matrix([[1]]) }),
    RangeError,
    fn,
    /data\.x of 20 samples .*data\.d of 1/,
  );
  throwsNaming(
    () => evaluate(model, params, { x: data.x, d: data.x }),
    RangeError,
    fn,
    /output 4x20 with 3x20/,
  );
  throwsNaming(
    () => evaluate(model, params, { x: data.d, d: data.d }),
    RangeError,
    "dense(3, 8).apply",
    /must have 3 rows/,
  );
  throwsNaming(
    () => evaluate(model, params, [data.x, data.d] as never),
    TypeError,
    fn,
    /data/,
  );
  throwsNaming(
    () => evaluate(model, params, { x: toArray(data.x), d: data.d } as never),
    TypeError,
    fn,
    /data\.x/,
  );
  throwsNaming(
    () => evaluate(model, params, data, "hinge" as never),
    TypeError,
    fn,
    /loss/,
  );
  throwsNaming(
    () => evaluate(model, params, data, { loss: (u) => u }),
    TypeError,
    fn,
    /number or a 1x1 Matrix/,
  );
});

// ------------------------------------------------- fit

Deno.test("fit learns the three-class spiral (2-100-3) to at least 97%", () => {
  const data = spiral(100, 3, 1);
  const { model, params } = mlp([2, 100, 3], 0);
  const { params: trained, history } = fit(model, params, data, {
    epochs: 150,
    batchSize: 32,
    optimizer: adam(0.01),
    seed: 0,
  });
  const { accuracy: acc } = evaluate(model, trained, data);
  assert.ok(acc >= 0.97, `accuracy ${acc}`);
  assert.ok(history[149].loss < history[0].loss / 5);
});

Deno.test("fit learns XOR: 2-8-2 tanh with adam(0.05), 300 epochs", () => {
  const { model, params } = mlp([2, 8, 2], 3, { activation: "tanh" });
  const before = evaluate(model, params, XOR);
  const { params: trained, history } = fit(model, params, XOR, {
    epochs: 300,
    batchSize: 4,
    optimizer: adam(0.05),
  });
  assert.equal(history.length, 300);
  assert.deepEqual(
    history.map((r) => r.epoch),
    [...Array(300)].map((_, i) => i + 1),
  );
  const after = evaluate(model, trained, XOR);
  assert.equal(after.accuracy, 1);
  assert.ok(after.loss < before.loss / 10, `${after.loss} vs ${before.loss}`);
  assert.ok(history[299].loss < history[0].loss / 10);
  // One batch of every sample: the first record is the loss before training.
  close(history[0].loss, before.loss, { rtol: 1e-12 });
  assert.equal(history[0].accuracy, before.accuracy);
  assert.equal(history[299].accuracy, 1);
});

Deno.test("fit learns XOR with a sigmoid output and mse", () => {
  const d = matrix([[0, 1, 1, 0]]);
  const { model, params } = mlp([2, 8, 1], 1, {
    activation: "tanh",
    output: "sigmoid",
  });
  const { params: trained } = fit(model, params, { x: XOR.x, d }, {
    epochs: 500,
    batchSize: 4,
    optimizer: adam(0.05),
    loss: "mse",
  });
  assert.equal(
    evaluate(model, trained, { x: XOR.x, d }, { loss: "mse" }).accuracy,
    1,
  );
});

Deno.test("fit is deterministic from its seed, pure, and reports every epoch", () => {
  const data = spiral(20, 3, 2);
  const validation = spiral(10, 3, 3);
  const { model, params } = mlp([2, 16, 3], 4);
  const snapshot = plain(params);
  const dataSnapshot = [toArray(data.x), toArray(data.d)];
  const seen: unknown[] = [];
  const options = {
    epochs: 5,
    batchSize: 7, // 60 samples: the last batch is smaller
    optimizer: momentum(0.05),
    seed: 12,
    validation,
    onEpoch: (r: unknown) => seen.push(r),
  };
  const a = fit(model, params, data, options);
  assert.equal(seen.length, 5);
  seen.forEach((r, i) => assert.equal(r, a.history[i], "the record itself"));
  const b = fit(model, params, data, options);
  const c = fit(model, params, data, { ...options, seed: 13 });
  assert.equal(seen.length, 15);
  assert.deepEqual(plain(params), snapshot);
  assert.deepEqual([toArray(data.x), toArray(data.d)], dataSnapshot);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(plain(a.params), plain(b.params));
  assert.notDeepEqual(a.history, c.history);
  assert.notDeepEqual(plain(a.params), snapshot);
  assert.equal(a.history.length, 5);
  assert.equal(a.state.step, 5 * Math.ceil(60 / 7));
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.history));
  for (const [i, r] of a.history.entries()) {
    assert.equal(r.epoch, i + 1);
    assert.ok(r.accuracy >= 0 && r.accuracy <= 1);
    assert.ok(Number.isFinite(r.loss) && r.loss > 0);
    assert.ok(
      r.validationAccuracy !== undefined && r.validationLoss !== undefined,
    );
  }
  // The validation fields are evaluate's after each epoch: fewer epochs
  // give the same first records, and end at those parameters.
  for (const epochs of [1, 3]) {
    const short = fit(model, params, data, { ...options, epochs });
    assert.deepEqual(short.history, a.history.slice(0, epochs));
    const v = evaluate(model, short.params, validation);
    assert.equal(short.history[epochs - 1].validationLoss, v.loss);
    assert.equal(short.history[epochs - 1].validationAccuracy, v.accuracy);
  }
  const v = evaluate(model, a.params, validation);
  assert.equal(a.history[4].validationLoss, v.loss);
  assert.equal(a.history[4].validationAccuracy, v.accuracy);
  // The validation loss is the training loss: mse here.
  const m = fit(model, params, data, { ...options, loss: "mse" });
  assert.equal(
    m.history[4].validationLoss,
    evaluate(model, m.params, validation, { loss: "mse" }).loss,
  );
});

Deno.test("fit without validation has no validation fields; callbacks' errors pass through", () => {
  const { model, params } = mlp([2, 4, 2], 0);
  const calls: number[] = [];
  const { history } = fit(model, params, XOR, {
    epochs: 3,
    onEpoch: (r) => {
      calls.push(r.epoch);
      return 42 as never; // ignored
    },
  });
  assert.deepEqual(calls, [1, 2, 3]);
  for (const r of history) {
    assert.deepEqual(Object.keys(r).sort(), ["accuracy", "epoch", "loss"]);
  }
  const mine = new Error("stop");
  assert.throws(
    () =>
      fit(model, params, XOR, {
        epochs: 5,
        onEpoch: (r) => {
          if (r.epoch === 2) throw mine;
        },
      }),
    (e) => e === mine,
  );
  assert.throws(
    () =>
      fit(model, params, XOR, {
        loss: () => {
          throw mine;
        },
      }),
    (e) => e === mine,
  );
});

Deno.test("fit with one batch of plain sgd takes exactly the gradient step", () => {
  // With batchSize ≥ n the shuffle only reorders columns, which leaves the
  // mean loss's gradient unchanged up to rounding.
  const data = randomData(3, 2, 6, 5);
  const { model, params } = mlp([3, 4, 2], 3, { activation: "sigmoid" });
  const { params: trained, history } = fit(model, params, data, {
    epochs: 1,
    batchSize: 6,
    optimizer: sgd(0.5),
  });
  const { value, grad: g } = valueAndGrad((p: Params[]) =>
    softmaxCrossEntropy(model.apply(p, data.x), data.d, { keepdims: true })
  )(params);
  close(history[0].loss, value, { rtol: 1e-12 });
  const expected = params.map((p, l) =>
    Object.fromEntries(
      Object.entries(p as Record<string, Matrix>).map(([k, m]) => [
        k,
        matrix(
          toArray(m).map((row, i) =>
            row.map((v, j) =>
              v - 0.5 * (g[l] as Record<string, Matrix>)[k].at(i, j)
            )
          ),
        ),
      ]),
    )
  );
  closeParams(trained, expected, { atol: 1e-15, rtol: 1e-12 });
});

// REGRESSION: each batch's loss counts for its samples. With 5 samples and
// batches of 2, the last batch holds one sample and weighs half as much.
Deno.test("fit's epoch loss is the sample-weighted mean of its batch losses, each before its update", () => {
  const n = 5, seed = 7, epochs = 2;
  const data = randomData(2, 2, n, 11);
  const { model, params } = mlp([2, 3, 2], 1, { activation: "tanh" });
  const opt = sgd(0.5);
  const { history, params: trained } = fit(model, params, data, {
    epochs,
    batchSize: 2,
    optimizer: opt,
    seed,
  });
  // The same batches, step by step: each epoch draws a new order from one
  // generator seeded with `seed`.
  const rng = createRng(seed);
  let current = params;
  let state = opt.init(current);
  const orders: number[][] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffle(n, rng);
    orders.push(order);
    const batchLosses: number[] = [];
    const counts: number[] = [];
    let correct = 0;
    for (let start = 0; start < n; start += 2) {
      const count = Math.min(2, n - start);
      const bx = columns(data.x, order, start, count);
      const bd = columns(data.d, order, start, count);
      correct += plainAccuracy(model.apply(current, bx), bd) * count;
      const { value, grad: g } = valueAndGrad((p: Params[]) =>
        softmaxCrossEntropy(model.apply(p, bx), bd, { keepdims: true })
      )(current);
      batchLosses.push(value);
      counts.push(count);
      ({ params: current, state } = opt.update(current, g, state));
    }
    assert.deepEqual(counts, [2, 2, 1]);
    const [l1, l2, l3] = batchLosses;
    const weighted = (2 * l1 + 2 * l2 + l3) / 5;
    const unweighted = (l1 + l2 + l3) / 3;
    assert.ok(
      Math.abs(weighted - unweighted) > 1e-3,
      "the data must tell the two means apart",
    );
    close(history[epoch].loss, weighted, {
      rtol: 1e-12,
      message: `epoch ${epoch + 1} loss`,
    });
    close(history[epoch].accuracy, correct / n, {
      rtol: 1e-12,
      message: `epoch ${epoch + 1} accuracy`,
    });
  }
  assert.notDeepEqual(orders[0], orders[1], "the epochs must differ in order");
  closeParams(trained, current, {
    atol: 1e-15,
    rtol: 1e-12,
    message: "params",
  });
});

Deno.test("fit takes a loss function: mse's, and one with an added penalty", () => {
  const data = randomData(2, 2, 6, 21);
  const { model, params } = mlp([2, 5, 2], 2, {
    activation: "tanh",
    output: "sigmoid",
  });
  const options = { epochs: 4, batchSize: 4, optimizer: adam(0.01), seed: 3 };
  const byName = fit(model, params, data, { ...options, loss: "mse" });
  const byFunction = fit(model, params, data, {
    ...options,
    loss: (u, d) => mse(u, d, { keepdims: true }),
  });
  assert.deepEqual(byFunction.history, byName.history);
  assert.deepEqual(plain(byFunction.params), plain(byName.params));
  // A loss returning a number works too.
  const byNumber = fit(model, params, data, {
    ...options,
    loss: (u, d) => mse(u, d),
  });
  assert.deepEqual(byNumber.history, byName.history);
  // The loss plus λ·Σu² (1x1 matrices combined with add and scale): one
  // full batch of sgd takes the gradient of the sum.
  const lambda = 0.1;
  const penalized = (u: Matrix, d: Matrix) =>
    add(
      mse(u, d, { keepdims: true }),
      scale(sum(mul(u, u), { keepdims: true }), lambda),
    );
  const { params: trained, history } = fit(model, params, data, {
    epochs: 1,
    batchSize: 6,
    optimizer: sgd(1),
    loss: penalized,
  });
  const y = toArray(model.apply(params, data.x)).flat();
  const dd = toArray(data.d).flat();
  const plainValue = y.reduce((s, v, i) => s + (v - dd[i]) ** 2, 0) / y.length +
    lambda * y.reduce((s, v) => s + v * v, 0);
  close(history[0].loss, plainValue, {
    rtol: 1e-12,
    message: "penalized loss",
  });
  const g = grad((p: Params[]) => penalized(model.apply(p, data.x), data.d))(
    params,
  );
  const expected = params.map((p, l) =>
    Object.fromEntries(
      Object.entries(p as Record<string, Matrix>).map(([k, m]) => [
        k,
        matrix(
          toArray(m).map((row, i) =>
            row.map((v, j) => v - (g[l] as Record<string, Matrix>)[k].at(i, j))
          ),
        ),
      ]),
    )
  );
  closeParams(trained, expected, { atol: 1e-15, rtol: 1e-12 });
  // The penalty shrinks the outputs more than mse alone.
  const plainMse = fit(model, params, data, {
    epochs: 1,
    batchSize: 6,
    optimizer: sgd(1),
    loss: "mse",
  });
  const norm = (p: Params[]) =>
    toArray(model.apply(p, data.x)).flat().reduce((s, v) => s + v * v, 0);
  assert.ok(norm(trained) < norm(plainMse.params));
});

Deno.test("fit takes any optimizer with init and update", () => {
  const { model, params } = mlp([2, 3, 2], 1);
  const opt = sgd(0.1);
  let updates = 0;
  const wrapped: Optimizer = {
    name: "wrapped",
    init: (p) => opt.init(p),
    update: (p, g, s) => {
      updates++;
      const next = opt.update(p, g, s);
      return {
        params: [...next.params as never[]] as never,
        state: next.state,
      };
    },
  };
  const a = fit(model, params, XOR, {
    optimizer: wrapped,
    epochs: 3,
    batchSize: 3,
  });
  assert.equal(updates, 3 * 2);
  const b = fit(model, params, XOR, {
    optimizer: opt,
    epochs: 3,
    batchSize: 3,
  });
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(plain(a.params), plain(b.params));
  assert.equal(a.state.step, 6);
});

Deno.test("fit refuses bad arguments and options clearly", () => {
  const data = spiral(5, 3, 0);
  const { model, params } = mlp([2, 4, 3], 0);
  const fn = "fit";
  throwsNaming(
    () => fit(model, params, data, { steps: 3 } as never),
    TypeError,
    fn,
    /Unknown option "steps"/,
  );
  throwsNaming(
    () => fit(model, params, data, { epochs: 0 }),
    RangeError,
    fn,
    /options\.epochs/,
  );
  throwsNaming(
    () => fit(model, params, data, { epochs: "3" as never }),
    TypeError,
    fn,
    /options\.epochs/,
  );
  throwsNaming(
    () => fit(model, params, data, { batchSize: 1.5 }),
    RangeError,
    fn,
    /options\.batchSize.*1\.5/,
  );
  throwsNaming(
    () => fit(model, params, data, { batchSize: 0 }),
    RangeError,
    fn,
    /options\.batchSize/,
  );
  throwsNaming(
    () => fit(model, params, data, { optimizer: "adam" as never }),
    TypeError,
    fn,
    /options\.optimizer/,
  );
  throwsNaming(
    () => fit(model, params, data, { optimizer: sgd as never }),
    TypeError,
    fn,
    /options\.optimizer/,
  );
  throwsNaming(
    () =>
      fit(model, params, data, { optimizer: { init: () => ({}) } as never }),
    TypeError,
    fn,
    /options\.optimizer\.update/,
  );
  throwsNaming(
    () => fit(model, params, data, { loss: "hinge" as never }),
    TypeError,
    fn,
    /options\.loss/,
  );
  throwsNaming(
    () => fit(model, params, data, { seed: 0.5 }),
    RangeError,
    fn,
    /options\.seed/,
  );
  throwsNaming(
    () => fit(model, params, data, { onEpoch: 1 as never }),
    TypeError,
    fn,
    /options\.onEpoch/,
  );
  throwsNaming(
    () => fit(model, params, data, { validation: data.x as never }),
    TypeError,
    fn,
    /options\.validation/,
  );
  throwsNaming(
    () => fit(model, params, data, 3 as never),
    TypeError,
    fn,
    /options/,
  );
  throwsNaming(
    () => fit(model, params, { x: data.x, d: matrix([[1]]) }),
    RangeError,
    fn,
    /data\.x of 15 samples .*data\.d of 1/,
  );
  throwsNaming(
    () => fit(model, params, { x: data.x, d: data.x }),
    RangeError,
    fn,
    /3 outputs .*data\.d of 2 rows/,
  );
  throwsNaming(
    () => fit(model, params, { x: data.x } as never),
    TypeError,
    fn,
    /data\.d/,
  );
  throwsNaming(() => fit(null as never, params, data), TypeError, fn, /model/);
  throwsNaming(
    () => fit({} as never, params, data),
    TypeError,
    fn,
    /model\.apply/,
  );
  throwsNaming(
    () => fit(model, params.slice(1), data),
    TypeError,
    fn,
    /params .*array of 3 layer parameters/,
  );
  throwsNaming(
    () => fit(model, params, data, { loss: (u) => u }),
    TypeError,
    fn,
    /1x1 Matrix/,
  );
});

Deno.test("fit refuses to go on when training diverges", () => {
  const data = spiral(5, 3, 0);
  const { model, params } = mlp([2, 4, 3], 0, { activation: "identity" });
  assert.throws(
    () =>
      fit(model, params, data, {
        epochs: 50,
        optimizer: sgd(1e6),
        loss: "squaredError",
      }),
    (e: unknown) => {
      assert.ok(e instanceof RangeError, `${e}`);
      assert.match(e.message, /overflow|diverged/);
      return true;
    },
  );
});

// Regression: the ops refuse to hold ±Infinity and throw their own
// RangeError first; fit must still say that training diverged, and when.
Deno.test({
  name: "fit names the epoch in which training diverged",
  fn() {
    const data = spiral(5, 3, 0);
    const { model, params } = mlp([2, 4, 3], 0, { activation: "identity" });
    throwsNaming(
      () =>
        fit(model, params, data, {
          epochs: 50,
          optimizer: sgd(1e6),
          loss: "squaredError",
        }),
      RangeError,
      "fit",
      /epoch \d+/,
    );
  },
});
