// The loops of convolution and max pooling over images stored as columns:
// a batch of n images of C channels of H x W pixels is a (C·H·W) x n
// row-major array, pixel (c, i, j) of sample t at ((c·H + i)·W + j)·n + t.
// These kernels check nothing (lib/ops/conv.ts checks the geometry) and never
// write into their inputs (only into `out` arguments).
//
// The unrolled patches of im2col (ゼロから作るDeep Learning §7.4.3) form a
// (C·k·k) x (OH·OW·n) matrix: row (c·k + p)·k + q for tap (p, q) of channel
// c, column (i·OW + j)·n + t for output pixel (i, j) of sample t. It is
// stored in blocks of columns, each a few output pixels wide (all n samples
// of each) and stored row-major on its own, so that each block is a small
// matrix of its own: the product w·block stays in cache (one long product
// would stream all the patches past each row of w), and im2col and col2im
// copy runs of n samples that are contiguous on both sides. The product of w
// with block b is the block's columns of the (F·OH·OW) x n output, row
// f·OH·OW + i·OW + j, sample t: the same order, so nothing is reordered.

/** The shape of a convolution or pooling, checked by the caller. */
export interface Geometry {
  /** C, channels per image. */
  readonly channels: number;
  /** H, the image's height in pixels. */
  readonly height: number;
  /** W, the image's width in pixels. */
  readonly width: number;
  /** k, the side of the square kernel or pooling window. */
  readonly kernel: number;
  /** The step between windows. */
  readonly stride: number;
  /** Zero pixels added on each side (0 for pooling). */
  readonly padding: number;
  /** OH = (H + 2·padding − k) / stride + 1. */
  readonly outHeight: number;
  /** OW = (W + 2·padding − k) / stride + 1. */
  readonly outWidth: number;
}

/** The patches of a block hold about this many entries (128 KiB). */
const BLOCK_ENTRIES = 2 ** 14;

/**
 * Output pixels per block of patches, for n samples and `taps` = C·k·k: so
 * that a block holds about {@linkcode BLOCK_ENTRIES} entries, at least one
 * pixel.
 */
export function blockPixels(n: number, taps: number): number {
  return Math.max(1, Math.round(BLOCK_ENTRIES / (taps * n)));
}

/**
 * im2col: the (C·k·k) x (OH·OW·n) patches of the (C·H·W) x n images `x`,
 * zero where a tap falls in the padding, in blocks of `pixels` output pixels:
 * the block of pixels [first, end) starts at entry first·n·C·k·k and is a
 * (C·k·k) x ((end − first)·n) row-major matrix.
 */
export function im2col(
  x: Float64Array,
  n: number,
  geometry: Geometry,
  pixels: number,
): Float64Array {
  const {
    channels,
    height,
    width,
    kernel: k,
    stride: s,
    padding,
    outHeight,
    outWidth,
  } = geometry;
  const taps = channels * k * k, total = outHeight * outWidth;
  const cols = new Float64Array(total * n * taps);
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      const pixel = i * outWidth + j;
      const first = pixel - pixel % pixels;
      const length = (Math.min(total, first + pixels) - first) * n;
      const base = first * n * taps + (pixel - first) * n;
      for (let c = 0; c < channels; c++) {
        for (let p = 0; p < k; p++) {
          const ii = i * s + p - padding;
          if (ii < 0 || ii >= height) continue;
          const row = (c * height + ii) * width;
          for (let q = 0; q < k; q++) {
            const jj = j * s + q - padding;
            if (jj < 0 || jj >= width) continue;
            const to = base + ((c * k + p) * k + q) * length;
            const from = (row + jj) * n;
            for (let t = 0; t < n; t++) cols[to + t] = x[from + t];
          }
        }
      }
    }
  }
  return cols;
}

/**
 * col2im, the adjoint of {@linkcode im2col}, for one block: adds each entry
 * of `block`, the (C·k·k) x ((end − first)·n) patches of output pixels
 * [first, end), into the pixel of the (C·H·W) x n `out` it was copied from
 * (taps in the padding are dropped).
 */
export function col2imInto(
  block: Float64Array,
  out: Float64Array,
  n: number,
  geometry: Geometry,
  first: number,
  end: number,
): void {
  const {
    channels,
    height,
    width,
    kernel: k,
    stride: s,
    padding,
    outWidth,
  } = geometry;
  const length = (end - first) * n;
  for (let pixel = first; pixel < end; pixel++) {
    const i = Math.floor(pixel / outWidth), j = pixel % outWidth;
    const base = (pixel - first) * n;
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < k; p++) {
        const ii = i * s + p - padding;
        if (ii < 0 || ii >= height) continue;
        const row = (c * height + ii) * width;
        for (let q = 0; q < k; q++) {
          const jj = j * s + q - padding;
          if (jj < 0 || jj >= width) continue;
          const from = base + ((c * k + p) * k + q) * length;
          const to = (row + jj) * n;
          for (let t = 0; t < n; t++) out[to + t] += block[from + t];
        }
      }
    }
  }
}

/**
 * Writes the rows x size `block` into columns [start, start + size) of the
 * rows x length `out`, adding bias[f] to row f.
 */
export function putColumnsInto(
  block: Float64Array,
  bias: Float64Array,
  out: Float64Array,
  rows: number,
  length: number,
  start: number,
  size: number,
): void {
  for (let f = 0; f < rows; f++) {
    const v = bias[f], to = f * length + start, from = f * size;
    for (let t = 0; t < size; t++) out[to + t] = block[from + t] + v;
  }
}

/** Columns [start, start + size) of the rows x length `g`, as a new array. */
export function takeColumns(
  g: Float64Array,
  rows: number,
  length: number,
  start: number,
  size: number,
): Float64Array {
  const out = new Float64Array(rows * size);
  for (let f = 0; f < rows; f++) {
    out.set(
      g.subarray(f * length + start, f * length + start + size),
      f * size,
    );
  }
  return out;
}

/**
 * Max pooling of the (C·H·W) x n images `x` (padding 0): the (C·OH·OW) x n
 * maxima, and for each the index into `x` of the first maximum of its
 * window (taps in row-major order), for the backward.
 */
export function maxPoolForward(
  x: Float64Array,
  n: number,
  geometry: Geometry,
): { out: Float64Array; argmax: Uint32Array } {
  const {
    channels,
    height,
    width,
    kernel: size,
    stride: s,
    outHeight,
    outWidth,
  } = geometry;
  const length = channels * outHeight * outWidth * n;
  const out = new Float64Array(length);
  const argmax = new Uint32Array(length);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const o = ((c * outHeight + i) * outWidth + j) * n;
        const corner = ((c * height + i * s) * width + j * s) * n;
        for (let t = 0; t < n; t++) {
          out[o + t] = x[corner + t];
          argmax[o + t] = corner + t;
        }
        for (let p = 0; p < size; p++) {
          for (let q = p === 0 ? 1 : 0; q < size; q++) {
            const src = corner + (p * width + q) * n;
            for (let t = 0; t < n; t++) {
              const v = x[src + t];
              // Strictly greater: on a tie the first maximum keeps the gradient.
              if (v > out[o + t]) {
                out[o + t] = v;
                argmax[o + t] = src + t;
              }
            }
          }
        }
      }
    }
  }
  return { out, argmax };
}

/**
 * The backward of max pooling: an array of `length` zeros (the input's
 * entries) with each entry of `g` added at its window's maximum.
 */
export function maxPoolBackward(
  g: Float64Array,
  argmax: Uint32Array,
  length: number,
): Float64Array {
  const gx = new Float64Array(length);
  for (let o = 0; o < g.length; o++) gx[argmax[o]] += g[o];
  return gx;
}
