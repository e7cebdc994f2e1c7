// The MLP's internals: validation, and the fused forward and backward passes
// in plain float64 over row-major arrays, shared by nn.ts and fit.ts.
import { describe } from "./_describe.ts";
import {
  assertMatrix,
  dataOf,
  isMatrix,
  type Matrix,
  shapeText,
} from "./_matrix.ts";
import { gemmSparseA, mostlyZero, transposeData } from "./_gemm.ts";
import { matmul } from "./_kernels.ts";
import { crossEntropyOf, sigmoidOf, softmaxInto } from "./_nn_kernels.ts";
import { pairwiseSum } from "./_sum.ts";
import type { Activation, Dense, LossName, Mlp } from "./nn.ts";
import type { Samples } from "./perceptron.ts";

const ACTIVATIONS: readonly string[] = ["identity", "relu", "sigmoid", "tanh"];
const LOSSES: readonly string[] = [
  "softmaxCrossEntropy",
  "mse",
  "squaredError",
];

/** Throws unless `value` names an activation. */
export function checkActivation(
  value: unknown,
  fn: string,
  name: string,
): asserts value is Activation {
  if (typeof value !== "string" || !ACTIVATIONS.includes(value)) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be one of ${
        ACTIVATIONS.map((a) => `"${a}"`).join(", ")
      }, got ${describe(value)}`,
    );
  }
}

/** Throws unless `loss` names a loss; returns it. */
export function checkLoss(value: unknown, fn: string, name: string): LossName {
  if (typeof value !== "string" || !LOSSES.includes(value)) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be one of ${
        LOSSES.map((a) => `"${a}"`).join(", ")
      }, got ${describe(value)}`,
    );
  }
  return value as LossName;
}

/**
 * Throws unless `model` is a well-formed MLP; returns a frozen copy of it
 * (`layers` a fresh array of fresh `{ w, b }`), each field of the caller's
 * objects read exactly once. Callers use the copy, never `model` again, so a
 * getter cannot pass the check with one value and feed the computation
 * another.
 */
export function checkMlp(model: unknown, fn: string, name = "model"): Mlp {
  if (
    typeof model !== "object" || model === null || Array.isArray(model) ||
    isMatrix(model)
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be an MLP { layers, activation, output } (see mlp()), got ${
        describe(model)
      }`,
    );
  }
  const { layers, activation, output } = model as Record<string, unknown>;
  if (!Array.isArray(layers)) {
    throw new TypeError(
      `Expected ${name}.layers of ${fn} to be a non-empty array of { w, b } layers, got ${
        describe(layers)
      }`,
    );
  }
  const count = layers.length;
  if (count === 0) {
    throw new RangeError(
      `Expected ${name}.layers of ${fn} to hold at least one { w, b } layer, got an empty array`,
    );
  }
  checkActivation(activation, fn, `${name}.activation`);
  checkActivation(output, fn, `${name}.output`);
  const checked: Dense[] = new Array(count);
  let previous = -1;
  for (let l = 0; l < count; l++) {
    const layer: unknown = layers[l];
    const { w, b } = checkLayer(layer, fn, `${name}.layers[${l}]`);
    if (previous >= 0 && w.cols !== previous) {
      throw new RangeError(
        `Cannot chain ${name}.layers[${l}] (weights ${
          shapeText(w)
        }) after a layer of ${previous} outputs in ${fn}: w must have ${previous} columns`,
      );
    }
    previous = w.rows;
    checked[l] = Object.freeze({ w, b });
  }
  return Object.freeze({
    layers: Object.freeze(checked),
    activation: activation as Activation,
    output: output as Activation,
  });
}

/**
 * Throws unless `layer` is `{ w, b }` with w r x k and b r x 1; returns its
 * fields, each read once.
 */
export function checkLayer(layer: unknown, fn: string, name: string): Dense {
  if (
    typeof layer !== "object" || layer === null || Array.isArray(layer) ||
    isMatrix(layer)
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a { w, b } layer of matrices, got ${
        describe(layer)
      }`,
    );
  }
  const { w, b } = layer as Record<string, unknown>;
  assertMatrix(w, fn, `${name}.w`);
  assertMatrix(b, fn, `${name}.b`);
  if (b.cols !== 1 || b.rows !== w.rows) {
    throw new RangeError(
      `Cannot use bias ${shapeText(b)} with weights ${
        shapeText(w)
      } in ${name} of ${fn}: b must be ${w.rows}x1`,
    );
  }
  return { w, b };
}

/** Throws unless `x` is a Matrix with one row per input of the checked model. */
export function checkInput(
  model: Mlp,
  x: unknown,
  fn: string,
  name: string,
): asserts x is Matrix {
  assertMatrix(x, fn, name);
  const k = model.layers[0].w.cols;
  if (x.rows !== k) {
    throw new RangeError(
      `Cannot feed ${name} ${
        shapeText(x)
      } to a network of ${k} inputs in ${fn}: ${name} must have ${k} rows, one column per sample`,
    );
  }
}

/**
 * Throws unless `data` is { x, d } fitting the checked model; returns its
 * fields, each read once.
 */
export function checkSamples(
  model: Mlp,
  data: unknown,
  fn: string,
  name = "data",
): Samples {
  if (
    typeof data !== "object" || data === null || Array.isArray(data) ||
    isMatrix(data)
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be an object { x, d } of matrices, got ${
        describe(data)
      }`,
    );
  }
  const { x, d } = data as Record<string, unknown>;
  checkInput(model, x, fn, `${name}.x`);
  assertMatrix(d, fn, `${name}.d`);
  const r = model.layers[model.layers.length - 1].w.rows;
  if (d.rows !== r || d.cols !== x.cols) {
    throw new RangeError(
      `Cannot train a network of ${r} outputs on ${name}.x ${
        shapeText(x)
      } towards ${name}.d ${
        shapeText(d)
      } in ${fn}: ${name}.d must be ${r}x${x.cols}, one column per sample`,
    );
  }
  return { x, d };
}

/**
 * One dense layer on plain arrays: activation(w·x + b) for w r x k and x
 * k x n, rounded as `add(dot(w, x), b)` and the activation ops round.
 */
export function denseData(
  w: Matrix,
  b: Matrix,
  x: Matrix,
  activation: Activation,
): Float64Array {
  const r = w.rows, n = x.cols;
  const u = matmul(dataOf(w), dataOf(x), r, w.cols, n);
  const bd = dataOf(b);
  for (let i = 0; i < r; i++) {
    const bi = bd[i];
    for (let j = 0; j < n; j++) u[i * n + j] += bi;
  }
  activateInPlace(u, activation);
  return u;
}

/** Applies an activation in place. */
function activateInPlace(u: Float64Array, activation: Activation): void {
  switch (activation) {
    case "relu":
      for (let i = 0; i < u.length; i++) if (!(u[i] > 0)) u[i] = 0;
      break;
    case "sigmoid":
      for (let i = 0; i < u.length; i++) u[i] = sigmoidOf(u[i]);
      break;
    case "tanh":
      for (let i = 0; i < u.length; i++) u[i] = Math.tanh(u[i]);
      break;
  }
}

/** Multiplies `g` in place by the activation's derivative, given its output y. */
function derivativeInPlace(
  g: Float64Array,
  y: Float64Array,
  activation: Activation,
): void {
  switch (activation) {
    case "relu":
      for (let i = 0; i < g.length; i++) if (!(y[i] > 0)) g[i] = 0;
      break;
    case "sigmoid":
      for (let i = 0; i < g.length; i++) g[i] *= y[i] * (1 - y[i]);
      break;
    case "tanh":
      for (let i = 0; i < g.length; i++) g[i] *= 1 - y[i] * y[i];
      break;
  }
}

/**
 * The activations of every layer for an input batch x (k x n), in plain
 * float64 (internal: no checks). Entry 0 is x itself.
 */
export function forwardAll(
  model: Mlp,
  x: Float64Array,
  n: number,
  sparse: boolean = mostlyZero(x),
): Float64Array[] {
  const acts = [x];
  let a = x;
  const L = model.layers.length;
  for (let l = 0; l < L; l++) {
    const { w, b } = model.layers[l];
    const r = w.rows, k = w.cols;
    // Sparse inputs (images) are multiplied as (xᵀ·wᵀ)ᵀ, skipping zeros.
    const u = l === 0 && sparse
      ? transposeData(
        gemmSparseA(
          transposeData(x, k, n),
          transposeData(dataOf(w), r, k),
          n,
          k,
          r,
        ),
        n,
        r,
      )
      : matmul(dataOf(w), a, r, k, n);
    const bd = dataOf(b);
    for (let i = 0; i < r; i++) {
      const bi = bd[i];
      if (bi === 0) continue;
      for (let j = 0; j < n; j++) u[i * n + j] += bi;
    }
    activateInPlace(u, l === L - 1 ? model.output : model.activation);
    acts.push(u);
    a = u;
  }
  return acts;
}

/** The loss of outputs y against targets d (r x n), as the ops compute it. */
export function lossOf(
  loss: LossName,
  y: Float64Array,
  d: Float64Array,
  r: number,
  n: number,
): number {
  if (loss === "softmaxCrossEntropy") return crossEntropyOf(y, d, r, n);
  const sq = new Float64Array(y.length);
  for (let i = 0; i < sq.length; i++) {
    const e = y[i] - d[i];
    sq[i] = e * e;
  }
  const total = pairwiseSum(sq, 0, sq.length);
  return loss === "mse" ? total / sq.length : total;
}

/**
 * The loss and the gradient of every layer for a batch (internal: no
 * checks). Returns the raw gradient arrays, w then b for each layer.
 */
export function lossAndGradients(
  model: Mlp,
  x: Float64Array,
  d: Float64Array,
  n: number,
  loss: LossName,
): { loss: number; grads: Float64Array[]; output: Float64Array } {
  const L = model.layers.length;
  const sparse = mostlyZero(x);
  const acts = forwardAll(model, x, n, sparse);
  const y = acts[L];
  const r = model.layers[L - 1].w.rows;
  const value = lossOf(loss, y, d, r, n);
  // g = ∂loss/∂y.
  let g: Float64Array = new Float64Array(r * n);
  if (loss === "softmaxCrossEntropy") {
    softmaxInto(y, r, n, g);
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let i = 0; i < r; i++) total += d[i * n + j];
      for (let i = 0; i < r; i++) {
        g[i * n + j] = (g[i * n + j] * total - d[i * n + j]) / n;
      }
    }
  } else {
    const k = loss === "mse" ? 2 / (r * n) : 2;
    for (let i = 0; i < g.length; i++) g[i] = k * (y[i] - d[i]);
  }
  const grads: Float64Array[] = new Array(2 * L);
  for (let l = L - 1; l >= 0; l--) {
    const { w } = model.layers[l];
    const rows = w.rows, cols = w.cols;
    derivativeInPlace(
      g,
      acts[l + 1],
      l === L - 1 ? model.output : model.activation,
    );
    grads[2 * l] = l === 0 && sparse // g·aᵀ, as (a·gᵀ)ᵀ for sparse inputs
      ? transposeData(
        gemmSparseA(x, transposeData(g, rows, n), cols, n, rows),
        cols,
        rows,
      )
      : matmul(g, acts[l], rows, n, cols, false, true);
    const gb = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += g[i * n + j];
      gb[i] = s;
    }
    grads[2 * l + 1] = gb;
    if (l > 0) g = matmul(dataOf(w), g, cols, rows, n, true, false); // wᵀ·g
  }
  return { loss: value, grads, output: y };
}
