import assert from "node:assert/strict";
import fc from "fast-check";
import { close, once } from "./_helpers.ts";
import {
  accuracy,
  type Activation,
  adam,
  createRng,
  dense,
  evaluate,
  fit,
  type LossName,
  type Matrix,
  matrix,
  type Mlp,
  mlp,
  mlpValueAndGrad,
  momentum,
  mse,
  numericalGradient,
  type Optimizer,
  predict,
  sgd,
  shuffle,
  softmaxCrossEntropy,
  squaredError,
  toArray,
  valueAndGrad,
} from "../mod.ts";

function closeMatrix(a: Matrix, e: Matrix, atol: number, rtol: number): void {
  close(a, e, { atol, rtol });
}

function fromColumns(rows: number, columns: number[][]): Matrix {
  return matrix(
    Array.from({ length: rows }, (_, i) => columns.map((col) => col[i])),
  );
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
    { numRuns: 50 },
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
  );
  assert.notDeepEqual(shuffle(50, createRng(1)), shuffle(50, createRng(2)));
});

Deno.test("createRng and shuffle refuse bad arguments", () => {
  assert.throws(() => createRng("1" as never), TypeError);
  assert.throws(() => createRng(1.5), RangeError);
  assert.throws(() => createRng(2 ** 53), RangeError);
  assert.throws(() => shuffle(-1, createRng(0)), RangeError);
  assert.throws(() => shuffle(3, {} as never), TypeError);
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

// ------------------------------------------------- networks

Deno.test("mlp is deterministic from its seed, with He or Xavier weights and zero biases", () => {
  const a = mlp([400, 300, 2], 5);
  assert.deepEqual(
    toArray(a.layers[0].w),
    toArray(mlp([400, 300, 2], 5).layers[0].w),
  );
  assert.notDeepEqual(
    toArray(a.layers[1].w),
    toArray(mlp([400, 300, 2], 6).layers[1].w),
  );
  assert.ok(toArray(a.layers[0].b).flat().every((v) => v === 0));
  // He: sd √(2/400) ≈ 0.0707 over 120 000 weights.
  const w = toArray(a.layers[0].w).flat();
  const sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
  close(sd, Math.sqrt(2 / 400), { atol: 0, rtol: 0.02, message: "He sd" });
  // Xavier: uniform within √(6/(400 + 300)).
  const x = toArray(mlp([400, 300], 1, { activation: "tanh" }).layers[0].w)
    .flat();
  const limit = Math.sqrt(6 / 700);
  assert.ok(x.every((v) => Math.abs(v) <= limit));
  close(Math.max(...x.map(Math.abs)), limit, {
    atol: 0,
    rtol: 0.01,
    message: "Xavier limit",
  });
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.layers));
});

Deno.test("mlp refuses bad sizes and options", () => {
  assert.throws(() => mlp([3], 0), /at least two/);
  assert.throws(() => mlp([3, 0], 0), /sizes\[1\]/);
  assert.throws(() => mlp("3,2" as never, 0), TypeError);
  assert.throws(() => mlp([3, 2], 0.5), RangeError);
  assert.throws(
    () => mlp([3, 2], 0, { activation: "gelu" as never }),
    /"relu"/,
  );
  assert.throws(() => mlp([3, 2], 0, { init: "lecun" as never }), /"he"/);
});

const activations: Activation[] = ["identity", "relu", "sigmoid", "tanh"];
const losses: LossName[] = ["softmaxCrossEntropy", "mse", "squaredError"];

const LOSS_FNS = {
  softmaxCrossEntropy,
  mse,
  squaredError,
};

function randomData(
  k: number,
  r: number,
  n: number,
  seed: number,
  sparse = false,
) {
  const rng = createRng(seed);
  const x = fromColumns(
    k,
    Array.from({ length: n }, () =>
      Array.from(
        { length: k },
        () => (sparse && rng.uniform() < 0.7 ? 0 : rng.normal()),
      )),
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

Deno.test("predict equals the chain of dense layers and is pure", () => {
  for (const activation of activations) {
    for (const output of activations) {
      const model = mlp([3, 5, 4, 2], 11, { activation, output });
      const { x } = randomData(3, 2, 6, 3);
      const before = toArray(x);
      const y = predict(model, x);
      const chained = dense(
        model.layers[2],
        dense(
          model.layers[1],
          dense(model.layers[0], x, activation),
          activation,
        ),
        output,
      );
      closeMatrix(y, chained, 1e-14, 1e-12);
      assert.deepEqual(toArray(predict(model, x)), toArray(y));
      assert.deepEqual(toArray(x), before);
    }
  }
});

Deno.test("the fused mlpValueAndGrad equals autodiff of predict, for every activation and loss", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...activations),
      fc.constantFrom(...activations),
      fc.constantFrom(...losses),
      fc.nat(1000),
      fc.boolean(),
      (activation, output, loss, seed, sparse) => {
        const model = mlp([4, 6, 5, 3], seed, { activation, output });
        const data = randomData(4, 3, 7, seed + 1, sparse);
        const fused = mlpValueAndGrad(model, data, loss);
        const auto = valueAndGrad((layers: Mlp["layers"]) =>
          LOSS_FNS[loss](predict({ ...model, layers }, data.x), data.d)
        )(model.layers);
        close(fused.value, auto.value, {
          atol: 1e-13,
          rtol: 1e-12,
          message: "loss",
        });
        fused.grad.forEach((layer, l) => {
          closeMatrix(layer.w, auto.grad[l].w, 1e-13, 1e-10);
          closeMatrix(layer.b, auto.grad[l].b, 1e-13, 1e-10);
        });
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("mlpValueAndGrad matches numericalGradient", () => {
  const model = mlp([3, 4, 2], 9, { activation: "tanh" });
  const data = randomData(3, 2, 5, 4);
  const { grad } = mlpValueAndGrad(model, data);
  const numeric = numericalGradient(
    (w) =>
      mlpValueAndGrad({
        ...model,
        layers: [{ ...model.layers[0], w }, model.layers[1]],
      }, data).value,
    model.layers[0].w,
  );
  closeMatrix(grad[0].w, numeric, 1e-8, 1e-6);
});

Deno.test("evaluate agrees with predict, the loss functions and accuracy", () => {
  const model = mlp([3, 8, 4], 2);
  const data = randomData(3, 4, 20, 8);
  const y = predict(model, data.x);
  for (const loss of losses) {
    const e = evaluate(model, data, loss);
    close(e.loss, LOSS_FNS[loss](y, data.d), {
      atol: 1e-14,
      rtol: 1e-12,
      message: loss,
    });
    assert.equal(e.accuracy, accuracy(y, data.d));
  }
  assert.throws(
    () => evaluate(model, { x: data.x, d: matrix([[1]]) }),
    /data\.d must be 4x20/,
  );
  assert.throws(() => predict(model, matrix([[1, 2]])), /must have 3 rows/);
  assert.throws(
    () => predict({ ...model, layers: [model.layers[1]] }, data.x),
    RangeError,
  );
  assert.throws(() => predict({} as never, data.x), /layers/);
});

// ------------------------------------------------- training

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

Deno.test("fit learns the three-class spiral (2-100-3) to at least 97%", () => {
  const data = spiral(100, 3, 1);
  const model = mlp([2, 100, 3], 0);
  const { model: trained, history } = fit(model, data, {
    epochs: 150,
    batchSize: 32,
    optimizer: adam(0.01),
    seed: 0,
  });
  const { accuracy: acc } = evaluate(trained, data);
  assert.ok(acc >= 0.97, `accuracy ${acc}`);
  assert.ok(history[149].loss < history[0].loss / 5);
});

Deno.test("fit is deterministic from its seed, pure, and reports every epoch", () => {
  const data = spiral(20, 3, 2);
  const validation = spiral(10, 3, 3);
  const model = mlp([2, 16, 3], 4);
  const snapshot = JSON.stringify(model);
  const seen: number[] = [];
  const options = {
    epochs: 5,
    batchSize: 7, // 60 samples: the last batch is smaller
    optimizer: momentum(0.05),
    seed: 12,
    validation,
    onEpoch: (r: { epoch: number }) => seen.push(r.epoch),
  };
  const a = fit(model, data, options);
  const b = fit(model, data, options);
  const c = fit(model, data, { ...options, seed: 13 });
  assert.equal(JSON.stringify(model), snapshot);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(JSON.stringify(a.model), JSON.stringify(b.model));
  assert.notDeepEqual(a.history, c.history);
  assert.equal(a.history.length, 5);
  assert.equal(a.state.step, 5 * Math.ceil(60 / 7));
  for (const r of a.history) {
    assert.ok(r.accuracy >= 0 && r.accuracy <= 1);
    assert.ok(Number.isFinite(r.loss));
    assert.ok(
      r.validationAccuracy !== undefined && r.validationLoss !== undefined,
    );
  }
  const v = evaluate(a.model, validation);
  assert.equal(a.history[4].validationLoss, v.loss);
});

Deno.test("fit with one batch of plain sgd takes exactly the gradient steps", () => {
  // With batchSize ≥ n the shuffle only reorders columns, which leaves the
  // mean loss's gradient unchanged up to rounding.
  const data = randomData(3, 2, 6, 5);
  const model = mlp([3, 4, 2], 3, { activation: "sigmoid" });
  const { model: trained } = fit(model, data, {
    epochs: 1,
    batchSize: 6,
    optimizer: sgd(0.5),
  });
  const { grad } = mlpValueAndGrad(model, data);
  model.layers.forEach((layer, l) => {
    const expected = matrix(
      toArray(layer.w).map((row, i) =>
        row.map((v, j) => v - 0.5 * grad[l].w.at(i, j))
      ),
    );
    closeMatrix(trained.layers[l].w, expected, 1e-15, 1e-12);
  });
});

Deno.test("fit learns XOR with a sigmoid output and mse", () => {
  const x = matrix([[0, 0, 1, 1], [0, 1, 0, 1]]);
  const d = matrix([[0, 1, 1, 0]]);
  const model = mlp([2, 8, 1], 1, { activation: "tanh", output: "sigmoid" });
  const { model: trained } = fit(model, { x, d }, {
    epochs: 500,
    batchSize: 4,
    optimizer: adam(0.05),
    loss: "mse",
  });
  assert.equal(evaluate(trained, { x, d }, "mse").accuracy, 1);
});

Deno.test("fit refuses bad options clearly, and reports divergence", () => {
  const data = spiral(5, 3, 0);
  const model = mlp([2, 4, 3], 0);
  assert.throws(() => fit(model, data, { epochs: 0 }), /options\.epochs/);
  assert.throws(
    () => fit(model, data, { batchSize: 1.5 }),
    /options\.batchSize/,
  );
  assert.throws(
    () => fit(model, data, { optimizer: "adam" as never }),
    /optimizer/,
  );
  assert.throws(
    () => fit(model, data, { loss: "hinge" as never }),
    /options\.loss/,
  );
  assert.throws(() => fit(model, data, { seed: 0.5 }), RangeError);
  assert.throws(() => fit(model, data, { onEpoch: 1 as never }), /onEpoch/);
  assert.throws(
    () => fit(model, { x: data.x, d: matrix([[1]]) }),
    /data\.d must be 3x15/,
  );
  assert.throws(
    () =>
      fit(mlp([2, 4, 3], 0, { activation: "identity" }), data, {
        epochs: 50,
        optimizer: sgd(1e6),
        loss: "squaredError",
      }),
    /diverged/,
  );
});

// ------------------------------------------------- hardening (found by fuzz_test.ts)

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

Deno.test("rng.uniform and rng.normal check their arguments and name themselves", () => {
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

Deno.test("shuffle reads rng.uniform once, calls it as a method and checks its draws", () => {
  throwsNaming(
    () => shuffle(3, { uint32: () => 0 } as never),
    TypeError,
    "shuffle",
    /uniform/,
  );
  throwsNaming(
    () => shuffle(3, { uniform: class {} } as never),
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
  const rng = createRng(5);
  const plain = shuffle(10, createRng(5));
  assert.deepEqual(shuffle(10, once(rng, "uniform", "junk")), plain);
  // `this` is the generator.
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

Deno.test("mlp checks its seed and options itself, and reads sizes once", () => {
  throwsNaming(() => mlp([2, 3, 2], 0.5), RangeError, "mlp", /seed/);
  throwsNaming(() => mlp([2, 3, 2], "1" as never), TypeError, "mlp", /seed/);
  throwsNaming(
    () => mlp([2, 3, 2], 0, { steps: 3 } as never),
    TypeError,
    "mlp",
    /Unknown option "steps"/,
  );
  throwsNaming(
    () => mlp([2, , 2] as never, 0),
    RangeError,
    "mlp",
    /sizes\[1\]/,
  );
  throwsNaming(() => mlp([65536, 65536], 0), RangeError, "mlp", /2\^26/);
  throwsNaming(
    () => mlp(new Array(2000).fill(1), 0),
    RangeError,
    "mlp",
    /at most 1024/,
  );
  const sizes = [2, 3, 2];
  let reads = 0;
  const counted = new Proxy(sizes, {
    get: (t, k) => {
      if (k !== "length") reads++;
      return Reflect.get(t, k);
    },
  });
  assert.deepEqual(mlp(counted, 4), mlp(sizes, 4));
  assert.equal(reads, 3);
  const options = { activation: "tanh", output: "sigmoid" } as const;
  assert.deepEqual(
    mlp(sizes, 4, once(options, "activation", 7)),
    mlp(sizes, 4, options),
  );
});

Deno.test("dense checks the layer and x itself, and names itself", () => {
  const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
  const b = matrix([[1.2], [3.4]]);
  const x = matrix([[5], [2], [7]]);
  throwsNaming(
    () => dense({ w, b }, w),
    RangeError,
    "dense",
    /x must have 3 rows/,
  );
  throwsNaming(
    () => dense({ w: [[1]], b } as never, x),
    TypeError,
    "dense",
    /layer\.w/,
  );
  throwsNaming(
    () => dense({ w, b: w }, x),
    RangeError,
    "dense",
    /b must be 2x1/,
  );
  throwsNaming(() => dense({ w, b }, new Proxy(x, {})), TypeError, "dense");
  throwsNaming(() => dense([w, b] as never, x), TypeError, "dense");
  throwsNaming(
    () => dense({ w: matrix([[1e308, 1e308, 1e308]]), b: matrix([[0]]) }, x),
    RangeError,
    "dense",
  );
  // Read once: a getter answering junk the second time changes nothing.
  assert.deepEqual(
    toArray(dense(once({ w, b }, "w", matrix([[1]])), x, "relu")),
    [[0], [9.5]],
  );
});

Deno.test("predict, evaluate, mlpValueAndGrad and fit read each field of the model and data once", () => {
  const model = mlp([2, 3, 2], 1, { activation: "tanh" });
  const x = matrix([[0, 0, 1, 1], [0, 1, 0, 1]]);
  const d = matrix([[1, 0, 0, 1], [0, 1, 1, 0]]);
  const data = { x, d };
  const fields = ["layers", "activation", "output"] as const;
  for (const key of fields) {
    const junk = key === "layers" ? undefined : "relu";
    assert.deepEqual(
      toArray(predict(once(model, key, junk), x)),
      toArray(predict(model, x)),
    );
    assert.deepEqual(
      evaluate(once(model, key, junk), data, "mse"),
      evaluate(model, data, "mse"),
    );
    assert.deepEqual(
      mlpValueAndGrad(once(model, key, junk), data),
      mlpValueAndGrad(model, data),
    );
    assert.deepEqual(
      fit(once(model, key, junk), data, { epochs: 2 }).history,
      fit(model, data, { epochs: 2 }).history,
    );
  }
  for (const key of ["x", "d"] as const) {
    const junk = matrix([[1]]);
    assert.deepEqual(
      evaluate(model, once(data, key, junk)),
      evaluate(model, data),
    );
    assert.deepEqual(
      mlpValueAndGrad(model, once(data, key, junk)),
      mlpValueAndGrad(model, data),
    );
    const plain = fit(model, data, { epochs: 2, validation: data });
    assert.deepEqual(
      fit(model, once(data, key, junk), {
        epochs: 2,
        validation: once(data, key, junk),
      }).history,
      plain.history,
    );
  }
  const options = { epochs: 2, batchSize: 2, seed: 3 };
  for (const key of Object.keys(options) as (keyof typeof options)[]) {
    assert.deepEqual(
      fit(model, data, once(options, key, -1)).history,
      fit(model, data, options).history,
    );
  }
  // A Proxy of a Matrix is refused with a clear message.
  const layers = [{ ...model.layers[0], w: new Proxy(model.layers[0].w, {}) }];
  throwsNaming(
    () => predict({ ...model, layers }, x),
    TypeError,
    "predict",
    /layers\[0\]\.w/,
  );
  throwsNaming(
    () => evaluate(model, { x, d: Object.create(d) }),
    TypeError,
    "evaluate",
    /data\.d/,
  );
});

Deno.test("fit checks its own options and what a foreign optimizer returns", () => {
  const model = mlp([2, 3, 2], 1);
  const data = {
    x: matrix([[0, 0, 1, 1], [0, 1, 0, 1]]),
    d: matrix([[1, 0, 0, 1], [0, 1, 1, 0]]),
  };
  throwsNaming(
    () => fit(model, data, { seed: 0.5 }),
    RangeError,
    "fit",
    /options\.seed/,
  );
  throwsNaming(
    () => fit(model, data, { steps: 3 } as never),
    TypeError,
    "fit",
    /steps/,
  );
  throwsNaming(
    () => fit(model, data, { onEpoch: class {} as never }),
    TypeError,
    "fit",
    /onEpoch/,
  );
  throwsNaming(
    () => fit(model, data, { optimizer: { init: () => ({}) } as never }),
    TypeError,
    "fit",
    /optimizer\.update/,
  );
  const foreign = (answer: unknown): Optimizer =>
    ({
      name: "foreign",
      init: () => ({ step: 0, slots: {} }),
      update: () => answer,
    }) as never;
  throwsNaming(
    () => fit(model, data, { optimizer: foreign(undefined) }),
    TypeError,
    "fit",
    /return \{ params, state \}/,
  );
  throwsNaming(
    () => fit(model, data, { optimizer: foreign({ params: [], state: {} }) }),
    RangeError,
    "fit",
  );
  throwsNaming(
    () =>
      fit(model, data, {
        optimizer: foreign({ params: [model.layers[0]], state: {} }),
      }),
    RangeError,
    "fit",
    /structure and shapes/,
  );
  // A foreign optimizer that does what sgd does trains like sgd.
  const opt = sgd(0.1);
  const wrapped: Optimizer = {
    name: "wrapped",
    init: (p) => opt.init(p),
    update: (p, g, s) => {
      const next = opt.update(p, g, s);
      // A fresh array: not what sgd itself returns, so fit checks it.
      return {
        params: [...next.params as never[]] as never,
        state: next.state,
      };
    },
  };
  assert.deepEqual(
    fit(model, data, { optimizer: wrapped, epochs: 3 }).history,
    fit(model, data, { optimizer: opt, epochs: 3 }).history,
  );
});
