// The spiral workload of bench/compare.ts and bench/mlp_bench.ts: CS231n's
// three-arm spiral (3 x 100 points), a 2 -> 100 ReLU -> 3 softmax network,
// softmax cross-entropy averaged over the batch, plain SGD with learning rate
// 0.1, batches of 32 in a fixed seeded order (10 updates per epoch, the last
// batch 12 samples). TensorFlow.js gets the same points, initial weights and
// batches, in float32.
//
// `toolkitSpiralEpoch` is the same epoch written with the toolkit's public
// immutable ops, as a learner would write it by hand.
import {
  add,
  dot,
  map,
  type Matrix,
  matrix,
  mul,
  scale,
  sub,
  sum,
  sumAxis,
  transpose,
} from "../mod.ts";

/** The sizes and settings, shared by every side of the comparison. */
export const SPIRAL = {
  pointsPerClass: 100,
  classes: 3,
  inputs: 2,
  hidden: 100,
  batchSize: 32,
  learningRate: 0.1,
  seed: 7,
} as const;

/** One mini-batch, in both layouts. */
export interface Batch {
  /** Inputs, 2 x size, one column per sample (the toolkit's layout). */
  readonly x: Matrix;
  /** One-hot targets, 3 x size. */
  readonly y: Matrix;
  /** The same inputs, size x 2 row-major (TensorFlow.js's layout). */
  readonly xRows: Float32Array;
  /** The same targets, size x 3 row-major. */
  readonly yRows: Float32Array;
  /** Samples in the batch. */
  readonly size: number;
}

/** The data, the initial weights and the batches of one epoch. */
export interface SpiralData {
  /** All inputs, 2 x 300. */
  readonly x: Matrix;
  /** All one-hot targets, 3 x 300. */
  readonly d: Matrix;
  /** Initial hidden weights, 100 x 2. */
  readonly w1: Matrix;
  /** Initial output weights, 3 x 100. */
  readonly w2: Matrix;
  /** w1 transposed (2 x 100), row-major float32, for TensorFlow.js. */
  readonly w1T: Float32Array;
  /** w2 transposed (100 x 3), row-major float32, for TensorFlow.js. */
  readonly w2T: Float32Array;
  /** The batches of an epoch, in order. */
  readonly batches: readonly Batch[];
}

/** A small seeded generator (mulberry32) with Box-Muller normals. */
function generator(seed: number): { uniform(): number; normal(): number } {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}

function columns(
  rows: number,
  cols: number,
  get: (i: number, j: number) => number,
): Matrix {
  return matrix(
    Array.from(
      { length: rows },
      (_, i) => Array.from({ length: cols }, (_, j) => get(i, j)),
    ),
  );
}

/** Builds the spiral, the initial weights and the batches, all seeded. */
export function makeSpiral(): SpiralData {
  const { pointsPerClass: per, classes, inputs, hidden, batchSize, seed } =
    SPIRAL;
  const rng = generator(seed);
  const n = per * classes;
  const px: number[] = [], py: number[] = [], label: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < per; i++) {
      const r = i / (per - 1);
      const t = 4 * c + (4 * i) / (per - 1) + 0.2 * rng.normal();
      px.push(r * Math.sin(t));
      py.push(r * Math.cos(t));
      label.push(c);
    }
  }
  const x = columns(inputs, n, (i, j) => (i === 0 ? px[j] : py[j]));
  const d = columns(classes, n, (i, j) => (label[j] === i ? 1 : 0));
  // He initialisation for the ReLU layer, Xavier-like for the output.
  const w1v = Array.from(
    { length: hidden * inputs },
    () => rng.normal() * Math.sqrt(2 / inputs),
  );
  const w2v = Array.from(
    { length: classes * hidden },
    () => rng.normal() * Math.sqrt(1 / hidden),
  );
  const w1 = columns(hidden, inputs, (i, j) => w1v[i * inputs + j]);
  const w2 = columns(classes, hidden, (i, j) => w2v[i * hidden + j]);
  const w1T = new Float32Array(inputs * hidden);
  for (let i = 0; i < hidden; i++) {
    for (let j = 0; j < inputs; j++) {
      w1T[j * hidden + i] = w1v[i * inputs + j];
    }
  }
  const w2T = new Float32Array(hidden * classes);
  for (let i = 0; i < classes; i++) {
    for (let j = 0; j < hidden; j++) {
      w2T[j * classes + i] = w2v[i * hidden + j];
    }
  }
  // One seeded shuffle, then fixed batches.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const batches: Batch[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    const size = idx.length;
    batches.push({
      x: columns(inputs, size, (i, j) => (i === 0 ? px[idx[j]] : py[idx[j]])),
      y: columns(classes, size, (i, j) => (label[idx[j]] === i ? 1 : 0)),
      xRows: Float32Array.from(idx.flatMap((k) => [px[k], py[k]])),
      yRows: Float32Array.from(
        idx.flatMap((k) =>
          Array.from({ length: classes }, (_, c) => (label[k] === c ? 1 : 0))
        ),
      ),
      size,
    });
  }
  return { x, d, w1, w2, w1T, w2T, batches };
}

const relu = (v: number): number => (v > 0 ? v : 0);
const step = (v: number): number => (v > 0 ? 1 : 0);

/**
 * One epoch of SGD on the spiral with the toolkit's public ops, from the
 * initial weights; returns the mean loss of the epoch's batches.
 */
export function toolkitSpiralEpoch(data: SpiralData): number {
  const lr = SPIRAL.learningRate;
  const { hidden, classes } = SPIRAL;
  let w1 = data.w1, w2 = data.w2;
  let b1 = columns(hidden, 1, () => 0), b2 = columns(classes, 1, () => 0);
  let total = 0;
  for (const { x, y, size } of data.batches) {
    const h = map(add(dot(w1, x), b1), relu); // 100 x B
    const z = add(dot(w2, h), b2); // 3 x B
    const e = map(z, Math.exp);
    const p = mul(e, map(sumAxis(e, 0), (v) => 1 / v)); // softmax per column
    total += -sum(mul(y, map(p, Math.log))) / size;
    const dz = scale(sub(p, y), 1 / size); // 3 x B
    const gw2 = dot(dz, transpose(h));
    const gb2 = sumAxis(dz, 1);
    const dh = mul(dot(transpose(w2), dz), map(h, step)); // 100 x B
    const gw1 = dot(dh, transpose(x));
    const gb1 = sumAxis(dh, 1);
    w1 = sub(w1, scale(gw1, lr));
    b1 = sub(b1, scale(gb1, lr));
    w2 = sub(w2, scale(gw2, lr));
    b2 = sub(b2, scale(gb2, lr));
  }
  return total / data.batches.length;
}
