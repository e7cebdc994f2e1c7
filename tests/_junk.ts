// Junk and plausible arguments for the fuzz test (tests/fuzz_test.ts).
//
// Two kinds of values live here:
// - junk: anything a learner might pass by mistake, and worse (fc.anything(),
//   NaN, ±Infinity, 1e308, symbols, proxies, objects whose getters throw,
//   fake matrices, wrong-shaped and huge-valued matrices, hostile callbacks);
// - plausible values: well-formed matrices, parameter and sample objects,
//   options and callbacks that the exports' parameter names suggest, from
//   which the fuzz test discovers calls that succeed, to mutate one position
//   at a time so that validation deeper than the first argument is reached.
//
// User code that the library calls back (callbacks, getters, proxy traps)
// throws only `UserError`s: the library must let those through unchanged, and
// the fuzz test recognises them by their class.
import fc from "fast-check";
import * as mod from "../mod.ts";
import { Matrix, matrix } from "../mod.ts";

/** The one kind of error that the fuzz test's own user code throws. */
export class UserError extends Error {
  constructor(cause?: unknown) {
    super("thrown by the fuzz test's own callback, getter or proxy trap", {
      cause,
    });
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

// fast-check itself asks every generated value for its clone method, so that
// one symbol is answered; everything else throws.
const hostileHandler: ProxyHandler<object> = {
  get: (_, key) => key === fc.cloneMethod ? undefined : userThrow(),
  has: (_, key) => key === fc.cloneMethod ? false : userThrow(),
  ownKeys: userThrow,
  getOwnPropertyDescriptor: userThrow,
  getPrototypeOf: userThrow,
  apply: userThrow,
  construct: userThrow,
};

/** An object whose every property read and introspection throws. */
export function hostileObject(): object {
  return new Proxy({}, hostileHandler);
}

/** A value whose `at`, `rows` and friends look like a Matrix's but is not. */
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
  const sparse: unknown[] = [];
  // Long but hollow: 2^20 holes. (2^32 − 1 holes would make any code that
  // walks an array, even to refuse it, run for minutes; matrix(rows) is
  // tested with such an array in tests/fuzz_test.ts.)
  sparse.length = 2 ** 20;
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
    [new Array(2 ** 20)],
    sparse,
    [[1, 2], [3, 4]],
    { length: 2, 0: [1], 1: [2] },
    new Float64Array([1, 2]),
    {},
    Object.create(null),
    new Date(NaN),
    /re/,
    new Map([[1, 2]]),
    new Set([1]),
    Promise.resolve(1),
    new WeakMap(),
    globalThis,
    hostileObject(),
    new Proxy([], hostileHandler),
    new Proxy(m, {}),
    Object.create(Matrix.prototype),
    duckMatrix(),
    // Callbacks that misbehave in every way a number-returning function can.
    userThrow,
    () => NaN,
    () => Infinity,
    () => -1e308,
    () => 1e308,
    () => "1",
    () => undefined,
    () => 1n,
    () => ({ valueOf: () => 1 }),
    (v: unknown) => v,
    () => m,
    () => hostileObject(),
    async () => await Promise.resolve(1),
    function* gen() {},
    class Junk {},
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
        withSparseArray: true,
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

const classifiers: unknown[] = [
  classifier((points) => points),
  classifier((points) => mod.sumAxis(points, 0)),
  classifier((points) => mod.toArray(points)[0].map((v) => (v > 0 ? 1 : 0))),
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
    matrix([[2]]),
    matrix([[1, 2], [3, 4]]),
    matrix([[1, -2, 3]]),
    mod.identity(3),
  ],
  params: [
    { w, b },
    { w: matrix([[0.5, -0.5, 0.25]]), b: matrix([[0.1]]) },
  ],
  samples: [
    { x, d },
    { x: x4, d: d4 },
    { x: x4, d: matrix([[0, 1, 1, 0]]) },
    // XOR, with one-hot and with 0/1 targets.
    { x: matrix([[0, 0, 1, 1], [0, 1, 0, 1]]), d: d4 },
    { x: matrix([[0, 0, 1, 1], [0, 1, 0, 1]]), d: matrix([[0, 1, 1, 0]]) },
  ],
  // Small networks whose sizes fit the samples above: 2 -> 2 (XOR) and
  // 3 -> 2.
  model: [
    mod.mlp([2, 3, 2], 1),
    mod.mlp([3, 2], 1),
    mod.mlp([2, 2, 1], 2, { output: "sigmoid" }),
  ],
  // Labelled data sets { x, labels, oneHot, classes }, kept small.
  dataset: [
    mod.xor(),
    mod.spiral(1, { pointsPerClass: 3 }),
    mod.moons(1, { samples: 6 }),
  ],
  labels: [[0, 1], [1, 0, 1], [0, 1, 1, 0], [2, 0, 1]],
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
  ],
  number: [0, 1, 2, 3, 4, 0.5, 0.1, -1, 42],
  function: callbacks,
  string: ["relu", "sigmoid", "tanh", "identity", "xor", "and", "or", "mse"],
  array: [
    [[1, 2], [3, 4]],
    [[0, 0.3, -0.8], [1, -1.2, 0.5]],
    [3, 2, 1],
    [2, 2],
    [2, 3, 2],
  ],
  boolean: [true, false],
};

// Parameter names, lower-cased, and the kinds of value they suggest. Teach it
// the names a new export uses if the fuzz test reports that it found no
// succeeding call.
const NAME_KINDS: [RegExp, string[]][] = [
  [
    /^(params|parameters|weights|model|net|network|layers?|perceptron|optimizer|tape|graph|variables?|node|tensor)$/,
    ["params"],
  ],
  [/^(model|net|network)$/, ["model"]],
  [/^(data|samples|batch|dataset|train|test)$/, ["samples"]],
  [/^(data|dataset|train|test)$/, ["dataset"]],
  // Rows of features, one per sample, as fromSamples takes them.
  [/^samples$/, ["array"]],
  [/^labels?$/, ["labels"]],
  [/^state$/, ["state"]],
  [/^(grads|gradients)$/, ["grads"]],
  [/^(predict|classifier|classify)$/, ["classifier"]],
  [/^(options|opts|config|settings)$/, ["options"]],
  [/^(f|fn|func|callback|activation|loss|g)$/, ["function", "string"]],
  [/^rows$/, ["array", "number"]],
  [/^(sizes|shape|values|entries|arrays?)$/, ["array"]],
  [
    /^(n|cols|size|count|seed|axis|k|classes|steps|epochs|i|j|row|col|index|dim|units|inputs|outputs|width|height|batchsize|rate|lr|learningrate|alpha|beta|momentum|epsilon|p|q|digits|precision)$/,
    ["number"],
  ],
  [/^(name|kind|type)$/, ["string"]],
  [
    /^(a|b|m|u|d|x|y|z|t|v|at|value|input|inputs|target|targets|labels?|logits|predictions?|yhat|outputs?|matrix|w|grad|gradient|upstream)$/,
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
