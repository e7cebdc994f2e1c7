/**
 * Convolution {@linkcode conv2d} and max pooling {@linkcode maxPool}, as
 * chapter 7 of ゼロから作るDeep Learning defines them, each with its
 * backward. Images stay columns: a batch of N images of C channels of H x W
 * pixels is a (C·H·W) x N Matrix, pixel (i, j) of channel c of image n at
 * entry (c·H·W + i·W + j, n).
 *
 * @module
 */
import {
  arrayCallback,
  assertFiniteResult,
  assertInteger,
  assertMatrix,
  assertRecord,
  count,
  listed,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";
import { matmul } from "../kernels/_matmul.ts";
import { pairwiseSum } from "../kernels/_sum.ts";
import {
  blockPixels,
  col2imInto,
  type Geometry,
  im2col,
  maxPoolBackward,
  maxPoolForward,
  putColumnsInto,
  takeColumns,
} from "../kernels/_conv.ts";
import { defineOp } from "../autodiff/define_op.ts";

/** Options for {@linkcode conv2d}: the images' shape and the kernel's. */
export interface Conv2dOptions {
  /** C, the number of channels of each image (1 for grey, 3 for RGB). */
  channels: number;
  /** H, the height of each image in pixels. */
  height: number;
  /** W, the width of each image in pixels. */
  width: number;
  /** k, the side of the square k x k kernel. */
  kernel: number;
  /**
   * The step between neighbouring windows, in pixels, across and down.
   *
   * @default {1}
   */
  stride?: number;
  /**
   * Rows and columns of zeros added on each side of each image.
   *
   * @default {0}
   */
  padding?: number;
}

/** Options for {@linkcode maxPool}: the images' shape and the window's. */
export interface MaxPoolOptions {
  /** C, the number of channels of each image. */
  channels: number;
  /** H, the height of each image in pixels. */
  height: number;
  /** W, the width of each image in pixels. */
  width: number;
  /** The side of the square size x size pooling window. */
  size: number;
  /**
   * The step between neighbouring windows, in pixels, across and down.
   *
   * @default {size (windows that do not overlap)}
   */
  stride?: number;
}

/** The largest channel count, image side, kernel, stride or padding. */
const MAX_SIDE = 65536;

/** The most entries a Matrix holds (as `zeros` and `matrix` allow). */
const MAX_ENTRIES = 2 ** 26;

const CONV = "conv2d(params, x, options)";
const POOL = "maxPool(x, options)";

const conv2dOp = defineOp({
  name: "conv2d",
  // im2col, then w times each block of patches, written with the bias into
  // its columns of the (F·OH·OW) x N output (see lib/kernels/_conv.ts).
  forward: (w: Matrix, b: Matrix, x: Matrix, geometry: Geometry) => {
    const n = x.cols, filters = w.rows, taps = w.cols;
    const wd = dataOf(w), bd = dataOf(b);
    const total = geometry.outHeight * geometry.outWidth, length = total * n;
    const pixels = blockPixels(n, taps);
    const cols = im2col(dataOf(x), n, geometry, pixels);
    const out = new Float64Array(filters * length);
    for (let first = 0; first < total; first += pixels) {
      const end = Math.min(total, first + pixels);
      const start = first * n, size = (end - first) * n;
      const block = cols.subarray(start * taps, (start + size) * taps);
      const y = matmul(wd, block, filters, taps, size);
      putColumnsInto(y, bd, out, filters, length, start, size);
    }
    assertFiniteResult(out, CONV);
    return { output: fromData(filters * total, n, out), saved: cols };
  },
  // With g viewed as F x (OH·OW·N): ∂w = g·colsᵀ, ∂b = the row sums of g,
  // ∂x = col2im(wᵀ·g); the products run block by block, as the forward's.
  backward: (g, { args: [w, , x, geometry], saved: cols, needs }) => {
    const n = x.cols, filters = w.rows, taps = w.cols;
    const gd = dataOf(g), wd = dataOf(w);
    const total = geometry.outHeight * geometry.outWidth, length = total * n;
    const pixels = blockPixels(n, taps);
    const gw = needs[0] ? new Float64Array(filters * taps) : null;
    const gx = needs[2] ? new Float64Array(x.rows * n) : null;
    if (gw !== null || gx !== null) {
      for (let first = 0; first < total; first += pixels) {
        const end = Math.min(total, first + pixels);
        const start = first * n, size = (end - first) * n;
        const gBlock = takeColumns(gd, filters, length, start, size);
        if (gw !== null) {
          const block = cols.subarray(start * taps, (start + size) * taps);
          const part = matmul(gBlock, block, filters, size, taps, false, true);
          for (let e = 0; e < gw.length; e++) gw[e] += part[e];
        }
        if (gx !== null) {
          const patches = matmul(wd, gBlock, taps, filters, size, true);
          col2imInto(patches, gx, n, geometry, first, end);
        }
      }
    }
    let gb = null;
    if (needs[1]) {
      const sums = new Float64Array(filters);
      for (let f = 0; f < filters; f++) {
        sums[f] = pairwiseSum(gd, f * length, length);
      }
      gb = fromData(filters, 1, sums);
    }
    return [
      gw === null ? null : fromData(filters, taps, gw),
      gb,
      gx === null ? null : fromData(x.rows, n, gx),
      null,
    ];
  },
});

const maxPoolOp = defineOp({
  name: "maxPool",
  forward: (x: Matrix, geometry: Geometry) => {
    const n = x.cols;
    const { out, argmax } = maxPoolForward(dataOf(x), n, geometry);
    return { output: fromData(out.length / n, n, out), saved: argmax };
  },
  // Each window's gradient goes to its (first) maximum, saved by the forward.
  backward: (g, { args: [x], saved: argmax }) => [
    fromData(
      x.rows,
      x.cols,
      maxPoolBackward(dataOf(g), argmax, x.rows * x.cols),
    ),
    null,
  ],
});

/** Reads C, H and W from checked options. */
function readImage(
  o: { channels?: unknown; height?: unknown; width?: unknown },
  fn: string,
): [number, number, number] {
  return [
    assertInteger(o.channels, fn, "options.channels", 1, MAX_SIDE),
    assertInteger(o.height, fn, "options.height", 1, MAX_SIDE),
    assertInteger(o.width, fn, "options.width", 1, MAX_SIDE),
  ];
}

/** Checks that x holds images of C·H·W pixels, one per column. */
function checkImages(
  x: Matrix,
  channels: number,
  height: number,
  width: number,
  fn: string,
  verb: string,
): void {
  const pixels = channels * height * width;
  if (x.rows !== pixels) {
    throw new RangeError(
      `Cannot ${verb} x ${shapeText(x)} as images of ${
        count(channels, "channel")
      } of ${height}x${width} pixels in ${fn}: x must have ${
        count(pixels, "row")
      } (channels*height*width), one column per image`,
    );
  }
}

/**
 * A RangeError for windows that do not tile the image exactly, with the
 * nearest kernel (or size), stride and padding that would.
 */
function geometryError(
  fn: string,
  what: { window: string; option: string; padded: boolean },
  height: number,
  width: number,
  kernel: number,
  stride: number,
  padding: number,
): RangeError {
  const fits = (k: number, s: number, p: number) =>
    k <= Math.min(height, width) + 2 * p &&
    (height + 2 * p - k) % s === 0 && (width + 2 * p - k) % s === 0;
  /** The nearest values below and above `at` in [lo, hi] that fit. */
  const nearest = (
    at: number,
    lo: number,
    hi: number,
    test: (v: number) => boolean,
  ): number[] => {
    const found: number[] = [];
    for (let v = at - 1; v >= lo; v--) {
      if (test(v)) {
        found.push(v);
        break;
      }
    }
    for (let v = at + 1; v <= hi; v++) {
      if (test(v)) {
        found.push(v);
        break;
      }
    }
    return found;
  };
  const alternatives: string[] = [];
  const kernels = nearest(
    kernel,
    1,
    Math.min(height, width) + 2 * padding,
    (k) => fits(k, stride, padding),
  );
  if (kernels.length > 0) {
    alternatives.push(`${what.option} ${listed(kernels.map(String))}`);
  }
  const strides = nearest(
    stride,
    1,
    Math.max(height, width) + 2 * padding - kernel,
    (s) => fits(kernel, s, padding),
  );
  if (strides.length > 0) {
    alternatives.push(`stride ${listed(strides.map(String))}`);
  }
  if (what.padded) {
    const paddings = nearest(
      padding,
      0,
      padding + stride,
      (p) => fits(kernel, stride, p),
    );
    if (paddings.length > 0) {
      alternatives.push(`padding ${listed(paddings.map(String))}`);
    }
  }
  const [side, size] = (height + 2 * padding - kernel) % stride !== 0
    ? ["height", height]
    : ["width", width];
  const formula = what.padded
    ? `(${side} + 2*padding - kernel) / stride + 1 = (${size} + 2*${padding} - ${kernel}) / ${stride} + 1`
    : `(${side} - size) / stride + 1 = (${size} - ${kernel}) / ${stride} + 1`;
  const value = (size + 2 * padding - kernel) / stride + 1;
  return new RangeError(
    `Cannot slide a ${kernel}x${kernel} ${what.window} with stride ${stride} over ${height}x${width} images${
      what.padded ? ` padded by ${padding}` : ""
    } in ${fn}: the output ${side} ${formula} = ${value} is not a whole number; it would fit with ${
      alternatives.length > 1
        ? `${alternatives.slice(0, -1).join(", with ")}, or with ${
          alternatives[alternatives.length - 1]
        }`
        : alternatives[0]
    }`,
  );
}

/**
 * Convolves a batch of images with a bank of filters: the convolution layer
 * of ゼロから作るDeep Learning §7.2, computed as §7.4 does: im2col unrolls
 * the patches under the kernel into the columns of a (C·k·k) x (OH·OW·N)
 * matrix, and the matrix product with w (taken in blocks of columns that fit
 * in cache) gives every output at once. As in the book (and PyTorch), it is
 * a cross-correlation: the kernel is not flipped.
 *
 * Images are columns: the N images of C channels of H x W pixels are the
 * (C·H·W) x N Matrix `x`, pixel (i, j) of channel c of image n at entry
 * (c·H·W + i·W + j, n). Filter f is row f of `w`, its tap (p, q) on channel c
 * at column c·k·k + p·k + q. The result is a batch of N images of F channels
 * of OH x OW pixels, entry (f·OH·OW + i·OW + j, n) being
 *
 *   b[f] + Σ_c Σ_p Σ_q w[f, c·k·k + p·k + q] · x̃[c, i·stride + p, j·stride + q, n]
 *
 * where x̃ is x with `padding` rows and columns of zeros on each side, and
 *
 *   OH = (H + 2·padding − k) / stride + 1,  OW = (W + 2·padding − k) / stride + 1.
 *
 * It is differentiable: under {@linkcode grad} the gradient flows to `w`
 * (g·colsᵀ), `b` (the row sums of g) and `x` (col2im of wᵀ·g).
 *
 * @param params The filters: `w`, F x (C·k·k), one filter per row; and the
 * bias `b`, F x 1, one entry per filter.
 * @param x The images, (C·H·W) x N, one per column.
 * @param options The images' `channels`, `height` and `width`, the side
 * `kernel` of the kernel, and the `stride` (default 1) and `padding`
 * (default 0).
 * @returns The (F·OH·OW) x N output images, one per column.
 * @throws {TypeError} When `params` is not `{ w, b }` of matrices, `x` is not
 * a Matrix, `options` is not an object, an option is not a number, or an
 * option is unknown.
 * @throws {RangeError} When an option is not an integer in range (channels,
 * height, width, kernel and stride at least 1, padding at least 0, the kernel
 * no larger than the padded image); when `x` does not have C·H·W rows, `w`
 * C·k·k columns, or `b` is not F x 1; when the windows do not tile the image
 * exactly (OH or OW is not a whole number: the message says which kernel,
 * stride or padding would fit); or when the result would be too large or
 * overflow.
 *
 * @example A filter that subtracts the lower-right neighbour
 * ```ts
 * import { conv2d, matrix, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // One 3x3 grey image, pixels 1..9 row by row, as a column.
 * const x = matrix([[1], [2], [3], [4], [5], [6], [7], [8], [9]]);
 * // One 2x2 filter [[1, 0], [0, -1]], flattened into a row; bias 0.5.
 * const w = matrix([[1, 0, 0, -1]]);
 * const b = matrix([[0.5]]);
 * const y = conv2d({ w, b }, x, { channels: 1, height: 3, width: 3, kernel: 2 });
 * // OH = OW = (3 - 2) / 1 + 1 = 2; each output is x[i][j] - x[i+1][j+1] + 0.5.
 * assert.deepEqual(toArray(y), [[-3.5], [-3.5], [-3.5], [-3.5]]);
 * ```
 *
 * @example The shapes of SimpleConvNet's first layer, and its gradient
 * ```ts
 * import { conv2d, grad, type Matrix, sum, zeros } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // 30 filters of 5x5 over two 28x28 grey images: 30·24·24 rows out.
 * const x = zeros(28 * 28, 2);
 * const params = { w: zeros(30, 25), b: zeros(30, 1) };
 * const options = { channels: 1, height: 28, width: 28, kernel: 5 };
 * assert.deepEqual(conv2d(params, x, options).shape, [30 * 24 * 24, 2]);
 *
 * const g = grad((p: typeof params) => sum(conv2d(p, x, options)))(params);
 * assert.deepEqual(g.w.shape, [30, 25]);
 * assert.equal(g.b.at(0, 0), 24 * 24 * 2); // each bias adds to 24·24·2 outputs
 * ```
 */
export function conv2d(
  params: { readonly w: Matrix; readonly b: Matrix },
  x: Matrix,
  options: Conv2dOptions,
): Matrix {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments("conv2d(params, x, options)", arguments.length);
  }
  assertRecord(params, CONV, "params", "an object { w, b } of matrices");
  const { w, b } = params;
  assertMatrix(w, CONV, "params.w");
  assertMatrix(b, CONV, "params.b");
  assertMatrix(x, CONV, "x");
  assertRecord(
    options,
    CONV,
    "options",
    "an object { channels, height, width, kernel, stride?, padding? }",
  );
  const o = readOptions(options, CONV, [
    "channels",
    "height",
    "width",
    "kernel",
    "stride",
    "padding",
  ]);
  const [channels, height, width] = readImage(o, CONV);
  const kernel = assertInteger(o.kernel, CONV, "options.kernel", 1, MAX_SIDE);
  const stride = assertInteger(
    o.stride ?? 1,
    CONV,
    "options.stride",
    1,
    MAX_SIDE,
  );
  const padding = assertInteger(
    o.padding ?? 0,
    CONV,
    "options.padding",
    0,
    MAX_SIDE,
  );
  const reach = Math.min(height, width) + 2 * padding;
  if (kernel > reach) {
    throw new RangeError(
      `Expected options.kernel of ${CONV} to be an integer from 1 to ${reach} (the ${height}x${width} images padded by ${padding} are ${
        height + 2 * padding
      }x${width + 2 * padding}), got ${kernel}`,
    );
  }
  checkImages(x, channels, height, width, CONV, "convolve");
  const taps = channels * kernel * kernel;
  if (w.cols !== taps) {
    throw new RangeError(
      `Cannot use weights w ${shapeText(w)} with ${
        count(channels, "channel")
      } and a ${kernel}x${kernel} kernel in ${CONV}: w must have ${
        count(taps, "column")
      } (channels*kernel*kernel), one row per filter`,
    );
  }
  if (b.rows !== w.rows || b.cols !== 1) {
    throw new RangeError(
      `Cannot use bias b ${shapeText(b)} with weights w ${
        shapeText(w)
      } in ${CONV}: b must be ${w.rows}x1, one entry per filter`,
    );
  }
  if (
    (height + 2 * padding - kernel) % stride !== 0 ||
    (width + 2 * padding - kernel) % stride !== 0
  ) {
    throw geometryError(
      CONV,
      { window: "kernel", option: "kernel", padded: true },
      height,
      width,
      kernel,
      stride,
      padding,
    );
  }
  const outHeight = (height + 2 * padding - kernel) / stride + 1;
  const outWidth = (width + 2 * padding - kernel) / stride + 1;
  const positions = outHeight * outWidth * x.cols;
  if (Math.max(taps, w.rows) * positions > MAX_ENTRIES) {
    throw new RangeError(
      `Cannot convolve ${
        count(x.cols, "image")
      } of ${height}x${width} in ${CONV}: their ${
        taps > w.rows ? "unrolled patches (im2col)" : "output"
      } would hold more than ${MAX_ENTRIES} entries; convolve fewer images at a time`,
    );
  }
  return conv2dOp(w, b, x, {
    channels,
    height,
    width,
    kernel,
    stride,
    padding,
    outHeight,
    outWidth,
  });
}

/**
 * Max pooling: each channel of each image shrunk by keeping the largest
 * pixel of each size x size window, the pooling layer of ゼロから作る
 * Deep Learning §7.3, implemented as §7.4 does. Windows step by `stride`
 * (by default `size`, so they do not overlap); there is no padding.
 *
 * Images are columns, as for {@linkcode conv2d}: pixel (i, j) of channel c
 * of image n is entry (c·H·W + i·W + j, n) of the (C·H·W) x N input. The
 * result is (C·OH·OW) x N, entry (c·OH·OW + i·OW + j, n) being the maximum
 * of x[c, i·stride + p, j·stride + q, n] over 0 ≤ p, q < size, with
 *
 *   OH = (H − size) / stride + 1,  OW = (W − size) / stride + 1.
 *
 * It is differentiable: under {@linkcode grad} each output's gradient goes
 * to the pixel that was its window's maximum (the first one, in row-major
 * order, when several tie), as the forward remembers it.
 *
 * @param x The images, (C·H·W) x N, one per column.
 * @param options The images' `channels`, `height` and `width`, the window's
 * `size` and the `stride` (default `size`).
 * @returns The (C·OH·OW) x N pooled images, one per column.
 * @throws {TypeError} When `x` is not a Matrix, `options` is not an object,
 * an option is not a number, or an option is unknown.
 * @throws {RangeError} When an option is not an integer in range (all at
 * least 1, the size no larger than the image), when `x` does not have C·H·W
 * rows, or when the windows do not tile the image exactly (OH or OW is not a
 * whole number: the message says which size or stride would fit).
 *
 * @example Pooling a 4x4 image to 2x2
 * ```ts
 * import { matrix, maxPool, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // One 4x4 grey image, pixels 1..16 row by row, as a column.
 * const x = matrix(Array.from({ length: 16 }, (_, i) => [i + 1]));
 * const y = maxPool(x, { channels: 1, height: 4, width: 4, size: 2 });
 * // Windows [[1, 2], [5, 6]], [[3, 4], [7, 8]], [[9, 10], [13, 14]], ...
 * assert.deepEqual(toArray(y), [[6], [8], [14], [16]]);
 * ```
 *
 * @example The gradient goes to each window's maximum
 * ```ts
 * import { grad, matrix, type Matrix, maxPool, sum, toArray } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // A 2x2 image with one 2x2 window: only its maximum, 7, gets the gradient.
 * const x = matrix([[3], [7], [-1], [5]]);
 * const options = { channels: 1, height: 2, width: 2, size: 2 };
 * const g = grad((p: Matrix) => sum(maxPool(p, options)))(x);
 * assert.deepEqual(toArray(g), [[0], [1], [0], [0]]);
 * ```
 */
export function maxPool(x: Matrix, options: MaxPoolOptions): Matrix {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("maxPool(x, options)", arguments.length);
  }
  assertMatrix(x, POOL, "x");
  assertRecord(
    options,
    POOL,
    "options",
    "an object { channels, height, width, size, stride? }",
  );
  const o = readOptions(options, POOL, [
    "channels",
    "height",
    "width",
    "size",
    "stride",
  ]);
  const [channels, height, width] = readImage(o, POOL);
  const size = assertInteger(o.size, POOL, "options.size", 1, MAX_SIDE);
  const stride = assertInteger(
    o.stride ?? size,
    POOL,
    "options.stride",
    1,
    MAX_SIDE,
  );
  if (size > Math.min(height, width)) {
    throw new RangeError(
      `Expected options.size of ${POOL} to be an integer from 1 to ${
        Math.min(height, width)
      } (the images are ${height}x${width}), got ${size}`,
    );
  }
  checkImages(x, channels, height, width, POOL, "pool");
  if ((height - size) % stride !== 0 || (width - size) % stride !== 0) {
    throw geometryError(
      POOL,
      { window: "window", option: "size", padded: false },
      height,
      width,
      size,
      stride,
      0,
    );
  }
  return maxPoolOp(x, {
    channels,
    height,
    width,
    kernel: size,
    stride,
    padding: 0,
    outHeight: (height - size) / stride + 1,
    outWidth: (width - size) / stride + 1,
  });
}
