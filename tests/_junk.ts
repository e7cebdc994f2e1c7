// Junk and plausible arguments for the fuzz test (tests/fuzz_test.ts).
//
// Two kinds of values live here:
// - junk: anything a learner might pass by mistake (fc.anything(), NaN,
//   ±Infinity, 1e308, symbols, bigints, plain objects that look like a
//   Matrix, wrong-shaped and huge-valued matrices, callbacks that return
//   junk);
// - plausible values: well-formed matrices, parameter and sample objects,
//   models, layers, op specs, options and callbacks that the exports'
//   parameter names suggest, from which the fuzz test discovers calls that
//   succeed, to mutate one position at a time so that validation deeper than
//   the first argument is reached. `recipes` adds whole argument lists for
//   exports whose arguments must agree with each other (a model, its
//   parameters and data of the right shapes).
//
// Hostile objects are out of scope, as the library no longer defends against
// them: Proxies, getters that answer differently on a second read, classes
// passed as callbacks, patched prototypes, objects made with
// Object.create(Matrix.prototype), sparse arrays (holes) and callbacks that
// return a bigint appear nowhere here.
//
// User code that the library calls back throws only `UserError`s: the
// library must let those through unchanged, and the fuzz test recognises
// them by their class.
import fc from "fast-check";
import * as mod from "../mod.ts";
import { Matrix, matrix } from "../mod.ts";

/** The one kind of error that the fuzz test's own user code throws. */
export class UserError extends Error {
  constructor(cause?: unknown) {
    super("thrown by the fuzz test's own callback", { cause });
    this.name = "UserError";
  }
}

function userThrow(): never {
  throw new UserError();
}

/** Wraps a callback so that anything it throws becomes a UserError. */
export function userFn<A extends unknown[], R>(
  body: (...args: A) => R,
): (...args: A) => R {
  return (...args: A): R => {
    try {
      return body(...args);
    } catch (e) {
      throw new UserError(e);
    }
  };
}

/** A plain object whose `rows`, `at` and friends look like a Matrix's. */
function duckMatrix(): object {
  return {
    rows: 2,
    cols: 2,
    shape: [2, 2],
    at: () => 1,
    toString: () => "[[1, 1],\n [1, 1]]",
  };
}

let specials: unknown[] | undefined;

/**
 * Junk that fc.anything() would not make. Made once and shared: the library
 * must not change its arguments, junk included.
 */
export function specialJunk(): unknown[] {
  specials ??= makeSpecialJunk();
  return specials;
}

function makeSpecialJunk(): unknown[] {
  const m = matrix([[1, 2], [3, 4]]);
  // No sparse arrays (holes) and no bigint-returning callbacks: out of scope
  // by policy, as the library does not defend against hostile values.
  return [
    NaN,
    Infinity,
    -Infinity,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    -0,
    0,
    1.5,
    -1,
    2 ** 53, // not a safe integer; valid large counts (2 ** 31) are left out
    2 ** 31 + 0.5,
    "",
    "1",
    "NaN",
    "relu",
    "he",
    null,
    undefined,
    true,
    false,
    Symbol("junk"),
    Symbol.iterator,
    10n,
    [],
    [[]],
    [[1, 2], [3]],
    [[NaN]],
    [[Infinity, 1]],
    [["1"]],
    [[1e308, 1e308], [1e308, 1e308]],
    [[1, 2], [3, 4]],
    [m, m],
    [{}, {}],
    [{ w: m }],
    { length: 2, 0: [1], 1: [2] },
    new Float64Array([1, 2]),
    {},
    { w: m, b: "1" },
    { x: m, d: [[1, 2]] },
    { init: 1, apply: 2 },
    { name: "", forward: 1, backward: null },
    Object.create(null),
    new Date(NaN),
    /re/,
    new Map([[1, 2]]),
    new Set([1]),
    Promise.resolve(1),
    new WeakMap(),
    globalThis,
    duckMatrix(),
    // Callbacks that misbehave in every way a number-returning function can.
    userThrow,
    () => NaN,
    () => Infinity,
    () => -1e308,
    () => 1e308,
    () => "1",
    () => undefined,
    () => ({ valueOf: () => 1 }),
    (v: unknown) => v,
    () => m,
    () => [m],
    () => ({ output: 1, saved: 2 }),
    async () => await Promise.resolve(1),
    function* gen() {},
    Math.max,
  ];
}

/**
 * Junk that is close to a working value: for a number, the numbers that
 * break arithmetic; for a function, misbehaving callbacks; for a string,
 * other strings; for a boolean, things that are almost booleans.
 */
export function nearMisses(original: unknown): unknown[] {
  const all = specialJunk();
  switch (typeof original) {
    case "number":
      return [
        NaN,
        Infinity,
        -Infinity,
        1e308,
        -1e308,
        Number.MIN_VALUE,
        -Number.MIN_VALUE,
        1e-300,
        0,
        -0,
        -1,
        -original,
        original + 0.5,
        original * 1e300,
        2 ** 53,
        2 ** 31 + 0.5,
        String(original),
        BigInt(Math.trunc(original)),
        undefined,
        null,
      ];
    case "function":
      return all.filter((v) => typeof v === "function");
    case "string":
      return [
        "",
        " ",
        original.toUpperCase(),
        `${original}x`,
        1,
        null,
        undefined,
      ];
    case "boolean":
      return [0, 1, "true", "false", null, undefined, !original];
    default:
      return all;
  }
}

/** A matrix of the given shape whose entries come from `values`, cycled. */
function filled(rows: number, cols: number, values: number[]): Matrix {
  return matrix(
    Array.from(
      { length: rows },
      (_, i) =>
        Array.from(
          { length: cols },
          (_, j) => values[(i * cols + j) % values.length],
        ),
    ),
  );
}

/** Matrices of random small shapes, with ordinary, tiny and huge entries. */
export function junkMatrix(): fc.Arbitrary<Matrix> {
  return fc.record({
    rows: fc.integer({ min: 1, max: 5 }),
    cols: fc.integer({ min: 1, max: 5 }),
    values: fc.array(
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
        fc.constantFrom(0, 1e308, -1e308, 1e-308, 5e-324, 1e154),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  }).map(({ rows, cols, values }) => filled(rows, cols, values));
}

/**
 * Any junk at all. Safe integers above 1000 are left out: they are valid
 * sizes and step counts, and an export asked for a billion steps would rightly
 * take forever. Invalid large numbers (1.5e9 + 0.5, 2^53, 1e308) stay in.
 */
export function junk(): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      arbitrary: fc.anything({
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        // No holes: sparse arrays are out of scope by policy.
        withSparseArray: false,
        withTypedArray: true,
        maxDepth: 3,
      }).filter((v) => !(Number.isSafeInteger(v) && (v as number) > 1000)),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(...specialJunk()),
      weight: 3,
    },
    { arbitrary: junkMatrix(), weight: 2 },
  );
}

// ---------------------------------------------------------------------------
// Plausible values, grouped by what a parameter's name suggests.

const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const b = matrix([[1.2], [3.4]]);
const x = matrix([[5], [2], [7]]);
const d = matrix([[1], [0]]);
const x4 = matrix([[0, 0, 1, 1], [0, 1, 0, 1], [1, 1, 1, 1]]);
const d4 = matrix([[0, 1, 1, 0], [1, 0, 0, 1]]);
const xorX = matrix([[0, 0, 1, 1], [0, 1, 0, 1]]);
const xorOneHot = { x: xorX, d: d4 };
const xor01 = { x: xorX, d: matrix([[0, 1, 1, 0]]) };
const image = matrix([[1], [2], [3], [4], [5], [6], [7], [8], [9]]);
const imageShape = { channels: 1, height: 3, width: 3 };
/** An IDX file (the MNIST format) of `dims`, bytes 0, 1, 2, … cycled. */
function idx(dims: number[]): Uint8Array {
  const size = dims.reduce((p, n) => p * n, 1);
  const header = [0, 0, 8, dims.length];
  for (const n of dims) {
    header.push(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  }
  return Uint8Array.from([
    ...header,
    ...Array.from({ length: size }, (_, i) => i % 10),
  ]);
}
const mnistFiles = { images: idx([2, 28, 28]), labels: idx([2]) };

/** The matrices of a parameter tree (a Matrix, or records and arrays of them). */
function leaves(tree: unknown, out: Matrix[] = []): Matrix[] {
  if (tree instanceof Matrix) out.push(tree);
  else if (typeof tree === "object" && tree !== null) {
    for (const v of Object.values(tree)) leaves(v, out);
  }
  return out;
}

/**
 * Σ of squares over every Matrix of a tree, as a 1x1 Matrix: differentiable,
 * so grad, valueAndGrad and checkGrads accept it, whatever the tree.
 */
const treeLoss = userFn((p: unknown): number | Matrix => {
  if (typeof p === "number") return p * p;
  const sums = leaves(p).map((m) => mod.sum(mod.mul(m, m), { keepdims: true }));
  return sums.length === 0 ? 0 : sums.reduce((s, t) => mod.add(s, t));
});

// Specs for defineOp, written as a learner would, their forward and backward
// made from the toolkit's ops.
const cubeSpec = {
  name: "cube",
  forward: userFn((m: Matrix) => mod.map(m, (v) => v ** 3)),
  backward: userFn((g: Matrix, { args: [m] }: { args: [Matrix] }) =>
    mod.mul(g, mod.scale(mod.mul(m, m), 3))
  ),
};
const scaledSpec = {
  name: "scaled",
  forward: userFn((m: Matrix, k: number) => mod.scale(m, k)),
  backward: userFn((g: Matrix, { args: [, k] }: { args: [Matrix, number] }) => [
    mod.scale(g, k),
    null,
  ]),
};
const maskSpec = {
  name: "mask",
  forward: userFn((m: Matrix) => ({
    output: mod.relu(m),
    saved: mod.map(m, (v) => (v > 0 ? 1 : 0)),
  })),
  backward: userFn((g: Matrix, { saved }: { saved: Matrix }) =>
    mod.mul(g, saved)
  ),
};
// Returns whatever it is given, so that the op itself, given junk, has to
// refuse what its forward returns.
const passSpec = {
  name: "pass",
  forward: userFn((v: unknown) => v as Matrix),
  backward: userFn((g: Matrix) => g),
};
// A backward that answers a gradient of the wrong shape, and one that
// answers junk: grad must refuse both with a message naming the op.
const wrongShapeOp = mod.defineOp({
  name: "wrongShape",
  forward: userFn((m: Matrix) => m),
  backward: userFn(() => matrix([[1, 2, 3, 4, 5, 6, 7]])),
});
const junkBackwardOp = mod.defineOp({
  name: "junkBackward",
  forward: userFn((m: Matrix) => m),
  backward: userFn(() => [NaN] as unknown as Matrix),
});
const cube = mod.defineOp(cubeSpec);

/** Callbacks that work whether they are given a number or a Matrix. */
const callbacks: unknown[] = [
  userFn((v: unknown) =>
    typeof v === "number"
      ? 2 * v - 1
      : mod.sum(mod.mul(v as Matrix, v as Matrix))
  ),
  userFn((v: unknown) =>
    typeof v === "number" ? Math.tanh(v) : mod.sum(v as Matrix)
  ),
  treeLoss,
  userFn((v: unknown) =>
    typeof v === "number" ? v / 2 : mod.sum(cube(v as Matrix))
  ),
  userFn((v: unknown) =>
    typeof v === "number" ? v : mod.sum(wrongShapeOp(v as Matrix))
  ),
  userFn((v: unknown) =>
    typeof v === "number" ? -v : mod.mean(junkBackwardOp(v as Matrix))
  ),
  // As a loss for fit and evaluate: (output, d) → a 1x1 Matrix.
  userFn((u: unknown, t: unknown) =>
    typeof u === "number"
      ? u
      : mod.mse(u as Matrix, t as Matrix, { keepdims: true })
  ),
];

/**
 * Classifiers of 2-D points for decisionBoundary: given a 2 x m Matrix of
 * points, they answer k x m scores, 1 x m scores or an array of m classes.
 * They refuse (with a UserError) more points than the default 100 x 100
 * grid, so that junk such as `resolution: 1000` cannot make a million-point
 * call and the fuzz test stays fast.
 */
function classifier<R>(body: (points: Matrix) => R): (points: Matrix) => R {
  return userFn((points: Matrix): R => {
    if (points.cols > 100 * 100) throw new UserError();
    return body(points);
  });
}

// Networks, each with parameters and samples that fit it: 2 → 3 → 2 for XOR
// with one-hot targets, 2 → 2 → 1 for XOR with 0/1 targets, 3 → 2 for the
// article's x and x4.
const net1 = mod.mlp([2, 3, 2], 1);
const net2 = mod.mlp([2, 2, 1], 2, {
  activation: "tanh",
  output: "sigmoid",
  init: "xavier",
});
const model3 = mod.sequential([mod.layers.dense(3, 2)]);
const params3 = model3.init(3);
const model4 = mod.sequential([
  mod.layers.dense(2, 4, { init: "xavier" }),
  mod.leakyRelu,
  mod.layers.dense(4, 2),
  mod.softplus,
]);
const params4 = model4.init(4);
// With the layers that keep state or draw randomness in training.
const model5 = mod.sequential([
  mod.layers.dense(2, 4),
  mod.layers.batchNorm(4),
  mod.relu,
  mod.layers.dropout(0.25),
  mod.layers.dense(4, 2),
]);
const params5 = model5.init(5);
const bn2 = mod.layers.batchNorm(2);

const classifiers: unknown[] = [
  classifier((points) => points),
  classifier((points) => mod.sumAxis(points, 0)),
  classifier((points) => mod.toArray(points)[0].map((v) => (v > 0 ? 1 : 0))),
  classifier((points) => net1.model.apply(net1.params, points)),
];

/** Plausible values keyed by kind. */
export const plausible: Record<string, unknown[]> = {
  matrix: [
    w,
    b,
    x,
    d,
    x4,
    d4,
    xorX,
    matrix([[2]]),
    matrix([[1, 2], [3, 4]]),
    matrix([[1, -2, 3]]),
    matrix([[0.5, -1.5, 2]]),
    mod.identity(3),
    // One 3x3 image, pixels 1 … 9, as a column.
    image,
  ],
  // The article's perceptron parameters.
  params: [
    { w, b },
    { w: matrix([[0.5, -0.5, 0.25]]), b: matrix([[0.1]]) },
    // The first layer of net1, dense(2, 3): w is 3x2, b 3x1.
    net1.params[0],
    // A 2x2 filter for conv2d of 3x3 images, and batchNorm's γ and β for
    // two features.
    { w: matrix([[1, 0, 0, -1]]), b: matrix([[0.5]]) },
    { gamma: matrix([[1], [2]]), beta: matrix([[0], [-1]]) },
  ],
  // Parameters of the networks below, one entry per layer.
  netParams: [net1.params, net2.params, params3, params4, params5],
  samples: [
    { x, d },
    { x: x4, d: d4 },
    { x: x4, d: matrix([[0, 1, 1, 0]]) },
    xorOneHot,
    xor01,
  ],
  model: [net1.model, net2.model, model3, model4, model5],
  // Layer lists for sequential.
  layerList: [
    [mod.layers.dense(2, 3), mod.relu, mod.layers.dense(3, 2)],
    [mod.layers.dense(3, 2)],
    [mod.tanh],
    [mod.layers.dense(2, 4, { init: "xavier" }), mod.sigmoid, mod.logSoftmax],
    [mod.layers.batchNorm(2), mod.layers.dropout(0.5), mod.layers.dense(2, 1)],
  ],
  spec: [cubeSpec, scaledSpec, maskSpec, passSpec],
  rng: [mod.createRng(1), mod.createRng(2)],
  // IDX files, and MNIST's pair of them.
  bytes: [mnistFiles.labels, idx([2, 3])],
  files: [mnistFiles],
  // Labelled data sets { x, labels, oneHot, classes }, kept small.
  dataset: [
    mod.xor(),
    mod.spiral(1, { pointsPerClass: 3 }),
    mod.moons(1, { samples: 6 }),
  ],
  labels: [[0, 1], [1, 0, 1], [0, 1, 1, 0], [2, 0, 1], ["cat", "dog"]],
  // Gradients and optimizer states shaped like the first params above, as
  // an optimizer's update takes them.
  grads: [{ w: mod.scale(w, 0.5), b: mod.scale(b, -0.1) }],
  state: [
    mod.sgd(0.1).init({ w, b }),
    mod.momentum(0.1).init({ w, b }),
    mod.adam(0.1).init({ w, b }),
  ],
  classifier: classifiers,
  options: [
    undefined,
    {},
    { steps: 3 },
    { learningRate: 0.01, steps: 3 },
    { learningRate: 0.001, steps: 4, logEvery: 2, trainBias: true },
    { epsilon: 1e-4 },
    { seed: 1 },
    { resolution: 4 },
    { resolution: 8, title: "t", threshold: 0 },
    { keepdims: true },
    { keepdims: false },
    { directions: 2, seed: 1, step: 1e-4, tolerance: 1e-4 },
    { init: "xavier" },
    { activation: "tanh", output: "sigmoid" },
    { epochs: 2, batchSize: 2 },
    { epochs: 2, batchSize: 3, optimizer: mod.sgd(0.5), loss: "mse" },
    { epochs: 1, optimizer: mod.momentum(0.1), validation: xorOneHot },
    { epochs: 2, seed: 3, onEpoch: userFn(() => undefined) },
    { training: true, rng: mod.createRng(5) },
    { loss: "mse" },
    { loss: "squaredError", state: undefined },
    { rate: 0.5, rng: mod.createRng(6) },
    { ...imageShape, kernel: 2 },
    { ...imageShape, kernel: 3, stride: 1, padding: 1 },
    { ...imageShape, size: 3 },
    { ...imageShape, size: 1, stride: 1 },
    { maxEntries: 4 },
    { filters: 2, kernel: 2 },
    { every: 2 },
    { every: 3, gamma: 0.5 },
    { steps: 10 },
    { steps: 4, minimum: 0.01 },
  ],
  optimizer: [mod.sgd(0.1), mod.momentum(0.1), mod.adam(0.01)],
  number: [0, 1, 2, 3, 4, 0.5, 0.1, -1, 42],
  function: callbacks,
  string: [
    "relu",
    "sigmoid",
    "tanh",
    "identity",
    "xor",
    "and",
    "or",
    "mse",
    "squaredError",
    "softmaxCrossEntropy",
    "he",
    "xavier",
  ],
  array: [
    [[1, 2], [3, 4]],
    [[0, 0.3, -0.8], [1, -1.2, 0.5]],
    [3, 2, 1],
    [2, 2],
    [2, 3, 2],
  ],
  boolean: [true, false],
};

const tableHeader = ["size", "colour", "kind"];
const tableRows = [["1", "red", "a"], ["2", "blue", "b"], ["3", "red", "c"]];
const tableEncoders = mod.fromTable(tableHeader, tableRows, { target: "kind" })
  .encoders;

/**
 * Whole argument lists known to work, per export, tried before the guided
 * search: where arguments must agree with each other (a model, its
 * parameters and data of matching shapes; a function and where to check its
 * gradient), a random pairing rarely does.
 */
export const recipes: Record<string, unknown[][]> = {
  fromTable: [[tableHeader, tableRows, { target: "kind" }]],
  // The article's perceptron; a random pairing of params and samples rarely
  // fits, and a third argument is refused.
  gradient: [[{ w, b }, { x, d }]],
  splitTable: [[
    ["x", "label"],
    Array.from({ length: 10 }, (_, i) => [String(i), i < 5 ? "low" : "high"]),
    0,
    { target: "label" },
  ]],
  applyEncoders: [[tableEncoders, tableHeader, [["2", "red", "a"]]]],
  contourPaths: [[
    userFn((x: number, y: number) => x * x + y * y),
    [{ name: "a", points: [[-2, 1], [0, 0]] }],
    { xRange: [-3, 3], yRange: [-2, 2], levels: [1, 4] },
  ]],
  histogramGrid: [[[{ label: "r", cells: [[0.5, 0.5, 0.55], [0.5, 0.45]] }], {
    range: [0, 1],
    bins: 10,
  }]],
  scatterPlot: [[[{ x: 1e-3, y: 1e-6, value: 0.9 }, {
    x: 1e-5,
    y: 1e-5,
    value: 0.1,
  }], {
    xScale: "log",
    yScale: "log",
  }]],
  lineChartGrid: [[[{
    title: "p",
    series: [{ name: "train", values: [0.5, 0.9, 1] }],
  }], { yRange: [0, 1] }]],
  fit: [
    [net1.model, net1.params, xorOneHot, {
      epochs: 2,
      batchSize: 2,
      optimizer: mod.sgd(0.1),
    }],
    [net2.model, net2.params, xor01, {
      epochs: 3,
      loss: "mse",
      optimizer: mod.momentum(0.1),
      seed: 7,
      validation: xor01,
      onEpoch: userFn(() => undefined),
    }],
    [model3, params3, { x: x4, d: d4 }, {
      epochs: 2,
      loss: callbacks[callbacks.length - 1],
    }],
    [model4, params4, xorOneHot, { epochs: 1, loss: "squaredError" }],
    [model5, params5, xorOneHot, { epochs: 2, batchSize: 2, seed: 1 }],
    [net1.model, net1.params, xorOneHot],
  ],
  evaluate: [
    [net1.model, net1.params, xorOneHot],
    [net2.model, net2.params, xor01, "mse"],
    [model3, params3, { x, d }, "squaredError"],
    [model4, params4, xorOneHot, { loss: callbacks[callbacks.length - 1] }],
    [net1.model, net1.params, xorOneHot, { loss: "softmaxCrossEntropy" }],
  ],
  conv2d: [
    [{ w: matrix([[1, 0, 0, -1]]), b: matrix([[0.5]]) }, image, {
      ...imageShape,
      kernel: 2,
    }],
  ],
  maxPool: [[image, { ...imageShape, size: 3 }], [image, {
    ...imageShape,
    size: 1,
  }]],
  batchNorm: [[{ gamma: matrix([[1], [2]]), beta: matrix([[0], [-1]]) }, xorX]],
  dropout: [[xorX, { rate: 0.5, rng: mod.createRng(6) }], [x4, {
    rate: 0,
    rng: mod.createRng(7),
  }]],
  checkGrads: [
    [treeLoss, { w, b }],
    [treeLoss, net1.params, { directions: 2, seed: 1 }],
    [callbacks[3], matrix([[0.5, -1.5, 2]]), {
      step: 1e-4,
      tolerance: 1e-4,
    }],
  ],
  defineOp: [[cubeSpec], [scaledSpec], [maskSpec], [passSpec]],
  sequential: plausible.layerList.map((list) => [list]),
  "layers.dense": [[2, 3], [3, 2, { init: "xavier" }], [4, 1, {}]],
  mlp: [
    [[2, 3, 2], 1],
    [[3, 2], 0, { activation: "sigmoid", output: "identity" }],
    [[2, 2, 1], 2, { activation: "tanh", output: "sigmoid", init: "he" }],
  ],
  valueAndGrad: [[treeLoss]],
  mnist: [[mnistFiles], [mnistFiles, { limit: 1 }]],
  fromSamples: [[[[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]], [
    [[0.5], [-1], [2]],
    [2, 0, 1],
  ]],
  "layers.conv2d": [[imageShape, { filters: 2, kernel: 2 }], [imageShape, {
    filters: 1,
    kernel: 3,
    padding: 1,
  }]],
  "layers.maxPool": [[imageShape, { size: 3 }], [imageShape, { size: 1 }]],
  "layers.conv2d(…).apply": [[
    { w: matrix([[1, 0, 0, -1], [0, 1, 1, 0]]), b: matrix([[0], [1]]) },
    image,
    {},
  ]],
  "layers.maxPool(…).apply": [[{}, image, {}]],
  "createRng(…).uniform": [[], [-2, 3]],
  "createRng(…).normal": [[], [1, 2]],
  parseIdx: [[mnistFiles.labels], [idx([2, 3]), "weights"]],
  "layers.batchNorm": [[2], [3, { momentum: 0.5 }]],
  // The methods of the first result of an export: sequential's first recipe
  // and mlp's have the layers of net1, layers.dense's has net1's first.
  "sequential(…).apply": [[net1.params, xorX], [net1.params, xorX, {}]],
  "sequential(…).applyWithState": [[net1.params, xorX]],
  "mlp(…).model.apply": [[net1.params, xorX], [net1.params, xorX, {
    training: true,
    rng: mod.createRng(3),
  }]],
  "mlp(…).model.applyWithState": [[net1.params, xorX]],
  "layers.dense(…).apply": [[net1.params[0], xorX], [net1.params[0], xorX, {}]],
  "layers.batchNorm(…).apply": [[bn2.init(mod.createRng(0)), xorX, {
    training: true,
    state: bn2.initState!(),
  }]],
  grad: [[treeLoss], [callbacks[3]]],
};

// Parameter names, lower-cased, and the kinds of value they suggest. Teach it
// the names a new export uses if the fuzz test reports that it found no
// succeeding call.
const NAME_KINDS: [RegExp, string[]][] = [
  [
    /^(params|parameters|weights|net|network|perceptron|tape|variables?|node|tensor|tree)$/,
    ["params", "netParams"],
  ],
  [/^tree$/, ["matrix"]],
  [/^optimizer$/, ["optimizer"]],
  [/^(model|net|network)$/, ["model"]],
  [/^layers$/, ["layerList"]],
  [/^(spec|opspec|definition)$/, ["spec"]],
  [/^(rng|random|generator)$/, ["rng"]],
  [/^bytes$/, ["bytes"]],
  [/^files$/, ["files"]],
  [/^(data|samples|batch|dataset|train|test|validation)$/, ["samples"]],
  [/^(data|dataset|train|test)$/, ["dataset"]],
  // Rows of features, one per sample, as fromSamples takes them.
  [/^samples$/, ["array"]],
  [/^labels?$/, ["labels"]],
  [/^state$/, ["state"]],
  [/^(grads|gradients)$/, ["grads"]],
  [/^confusion$/, ["confusion"]],
  [/^graph$/, ["graph"]],
  [/^(predict|classifier|classify)$/, ["classifier"]],
  [/^(options|opts|config|settings|context)$/, ["options"]],
  [/^(f|fn|func|callback|activation|loss|g)$/, ["function", "string"]],
  [/^(init|initializer)$/, ["string"]],
  [/^rows$/, ["array", "number"]],
  [/^(sizes|shape|values|entries|arrays?)$/, ["array"]],
  [
    /^(n|cols|size|count|seed|axis|k|classes|steps?|epochs|i|j|row|col|index|dim|units|inputs|outputs|features|width|height|batchsize|rate|lr|learningrate|initial|maxnorm|lambda|alpha|beta|momentum|epsilon|p|q|digits|precision)$/,
    ["number"],
  ],
  [/^(name|kind|type)$/, ["string"]],
  [
    /^(a|b|m|u|d|x|y|z|t|v|at|value|input|inputs|target|targets|labels?|logits|onehotlabels|predictions?|yhat|outputs?|matrix|w|grad|gradient|upstream)$/,
    ["matrix"],
  ],
];

/** Kinds suggested by a parameter's name, most likely first. */
export function kindsFor(name: string): string[] {
  const n = name.toLowerCase();
  return [
    ...new Set(NAME_KINDS.filter(([re]) => re.test(n)).flatMap(([, k]) => k)),
  ];
}

/** The parameter names of a function or class constructor, from its source. */
export function parameterNames(f: unknown): string[] {
  if (typeof f !== "function") return [];
  const src = Function.prototype.toString.call(f);
  const isClass = /^class[\s{]/.test(src);
  const head = isClass
    ? /constructor\s*\(([^)]*)\)/.exec(src)?.[1]
    : /^[^(]*\(([^)]*)\)/.exec(src)?.[1];
  if (head === undefined) return [];
  return head.split(",").map((p) => p.trim().replace(/[=:].*$/s, "").trim())
    .filter((p) => /^[A-Za-z_$][\w$]*$/.test(p));
}

/**
 * The kinds of plausible value a result of a successful call can stand for,
 * so that round two of the discovery can use it: a Matrix is a matrix, a
 * model is a model, `{ model, params }` gives both, and so on.
 */
export function candidatesOf(result: unknown): [string, unknown][] {
  if (result instanceof Matrix) return [["matrix", result]];
  // The bytes of a file, such as toSafetensors makes.
  if (result instanceof Uint8Array) return [["bytes", result]];
  if (typeof result === "function") {
    return [["function", userFn(result as (...a: unknown[]) => unknown)]];
  }
  if (typeof result !== "object" || result === null) return [];
  const r = result as Record<string, unknown>;
  if (Array.isArray(result)) {
    if (result.every((e) => typeof e === "number")) return [["array", result]];
    if (result.every((e) => typeof e === "object" && e !== null)) {
      return [["netParams", result]];
    }
    return [];
  }
  if (typeof r.init === "function" && typeof r.update === "function") {
    // An optimizer, and its state for the article's { w, b }.
    try {
      const state = (r.init as (p: object) => unknown)({ w, b });
      return [["optimizer", result], ["state", state]];
    } catch {
      return [["optimizer", result]];
    }
  }
  if (typeof r.init === "function" && typeof r.apply === "function") {
    // A model has its layers; a layer is one.
    return Array.isArray(r.layers)
      ? [["model", result]]
      : [["layerList", [result]]];
  }
  if ("model" in r && "params" in r) {
    return [["model", r.model], ["netParams", r.params]];
  }
  if ("params" in r && "state" in r) {
    return [["netParams", r.params], ["state", r.state]];
  }
  if ("x" in r && "d" in r) return [["samples", result]];
  if ("x" in r && "oneHot" in r) {
    return [["dataset", result], ["samples", { x: r.x, d: r.oneHot }]];
  }
  if ("step" in r && "slots" in r) return [["state", result]];
  if ("counts" in r && "classes" in r) return [["confusion", result]];
  if ("nodes" in r && "edges" in r) return [["graph", result]];
  return [["params", result]];
}
