// The network workloads of the performance issue, shared by bench/compare.ts
// and bench/network_bench.ts; bench/compare_numpy.py runs the same work in
// numpy, written the way ゼロから作るDeep Learning writes it (samples as rows,
// im2col for the convolution).
//
// - TwoLayerNet: 784 → 100 ReLU → 10, softmax cross-entropy averaged over the
//   batch, plain SGD (learning rate 0.1), batches of 100. One "iteration" is
//   one batch: gather, forward, backward, update.
// - SimpleConvNet: 1×28×28 → conv 30×5×5 → ReLU → max pool 2 → dense 100 →
//   ReLU → dense 10, the same loss, optimizer and batch size.
//
// Inputs are seeded uniform [0, 1) ("dense"), or the same with 80 % of the
// entries set to 0 ("sparse", MNIST-like: about 80 % of an MNIST image is
// background). Labels are seeded, one-hot.
import {
  add,
  dot,
  layers,
  type Matrix,
  matrix,
  mlp,
  type Model,
  type Optimizer,
  type OptimizerState,
  type OptimizerStep,
  type Params,
  relu,
  sequential,
  softmaxCrossEntropy,
  valueAndGrad,
} from "../mod.ts";
import { dataOf, fromData } from "../lib/core/_matrix.ts";

/** Samples in the training set each side draws its batches from. */
export const SAMPLES = 1000;
/** Samples per iteration. */
export const BATCH = 100;
/** The learning rate of the SGD step. */
export const LEARNING_RATE = 0.1;

/** The seeded generator the data is drawn from (a 32-bit LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Inputs (784 × SAMPLES, samples as columns) and one-hot targets. */
export function mnistLike(
  sparse: boolean,
  samples = SAMPLES,
): { x: Matrix; d: Matrix } {
  const next = lcg(sparse ? 2 : 1);
  const x = new Float64Array(784 * samples);
  for (let i = 0; i < x.length; i++) {
    const v = next();
    x[i] = sparse && next() < 0.8 ? 0 : v;
  }
  const d = new Float64Array(10 * samples);
  for (let j = 0; j < samples; j++) {
    d[Math.floor(next() * 10) * samples + j] = 1;
  }
  return { x: fromData(784, samples, x), d: fromData(10, samples, d) };
}

/** The data split into SAMPLES / BATCH batches, columns in order. */
export function batchesOf(
  data: { x: Matrix; d: Matrix },
): { x: Matrix; d: Matrix }[] {
  const out = [];
  for (let start = 0; start < data.x.cols; start += BATCH) {
    out.push({
      x: columns(data.x, start, BATCH),
      d: columns(data.d, start, BATCH),
    });
  }
  return out;
}

function columns(m: Matrix, start: number, count: number): Matrix {
  const src = dataOf(m), out = new Float64Array(m.rows * count);
  for (let i = 0; i < m.rows; i++) {
    out.set(
      src.subarray(i * m.cols + start, i * m.cols + start + count),
      i * count,
    );
  }
  return fromData(m.rows, count, out);
}

/** TwoLayerNet as the toolkit's `mlp`. */
export function twoLayerNet(): { model: Model; params: Params[] } {
  return mlp([784, 100, 10], 0);
}

/** SimpleConvNet as a `sequential` model, and its initial parameters. */
export function simpleConvNet(): { model: Model; params: Params[] } {
  const conv = layers.conv2d({ channels: 1, height: 28, width: 28 }, {
    filters: 30,
    kernel: 5,
  });
  const pool = layers.maxPool(conv.output, { size: 2 });
  const flat = pool.output.channels * pool.output.height *
    pool.output.width;
  const model = sequential([
    conv,
    relu,
    pool,
    layers.dense(flat, 100),
    relu,
    layers.dense(100, 10),
  ]);
  return { model, params: model.init(0) as Params[] };
}

/** TwoLayerNet's parameters as a user writes them: { w1, b1, w2, b2 }. */
export interface TwoLayerParams {
  w1: Matrix;
  b1: Matrix;
  w2: Matrix;
  b2: Matrix;
}

/** He-initialised { w1, b1, w2, b2 } from a seed. */
export function twoLayerParams(): TwoLayerParams {
  const next = lcg(3);
  const w = (rows: number, cols: number) => {
    const out = new Float64Array(rows * cols);
    const s = Math.sqrt(2 / cols);
    for (let i = 0; i < out.length; i++) out[i] = (next() - 0.5) * 2 * s;
    return fromData(rows, cols, out);
  };
  return {
    w1: w(100, 784),
    b1: matrix(Array.from({ length: 100 }, () => [0])),
    w2: w(10, 100),
    b2: matrix(Array.from({ length: 10 }, () => [0])),
  };
}

/** The user-written loss of the `valueAndGrad` row. */
export function twoLayerLoss(p: TwoLayerParams, x: Matrix, d: Matrix): number {
  const h = relu(add(dot(p.w1, x), p.b1));
  return softmaxCrossEntropy(add(dot(p.w2, h), p.b2), d);
}

/**
 * One TwoLayerNet iteration through `valueAndGrad` of a user-written loss
 * and `sgd`'s update; returns the new parameters and optimizer state.
 */
export function valueAndGradIteration(
  optimizer: Optimizer,
): (
  p: TwoLayerParams,
  state: OptimizerState<TwoLayerParams>,
  batch: { x: Matrix; d: Matrix },
) => OptimizerStep<TwoLayerParams> {
  return (p, state, { x, d }) => {
    const { grad } = valueAndGrad((q: TwoLayerParams) => twoLayerLoss(q, x, d))(
      p,
    );
    return optimizer.update(p, grad, state);
  };
}
