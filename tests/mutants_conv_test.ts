// Behaviour that the other tests of convolution, pooling, batch
// normalization, dropout and the network kernels leave unpinned: the exact
// messages of the argument checks (the alternatives a geometry error offers
// are derived by hand in the comments), the size limit, and the kernels'
// edge cases (ties, underflow, −Infinity logits).
import assert from "node:assert/strict";
import {
  batchNorm,
  conv2d,
  createRng,
  dropout,
  matrix,
  maxPool,
  toArray,
  zeros,
} from "../mod.ts";
import {
  classesOf,
  countCorrect,
  crossEntropyOf,
  sigmoidOf,
} from "../lib/kernels/_nn.ts";
import { maxPoolBackward } from "../lib/kernels/_conv.ts";

const CONV = "conv2d(params, x, options)";
const POOL = "maxPool(x, options)";
const BN = "batchNorm(params, x, options)";
const DROP = "dropout(x, options)";

/** One grey HxW image and one kxk filter, with stride s and padding p. */
function convolveOne(H: number, W: number, k: number, s: number, p: number) {
  return () =>
    conv2d({ w: zeros(1, k * k), b: zeros(1, 1) }, zeros(H * W, 1), {
      channels: 1,
      height: H,
      width: W,
      kernel: k,
      stride: s,
      padding: p,
    });
}

/** One grey HxW image pooled with size x size windows at stride s. */
function poolOne(H: number, W: number, size: number, s: number) {
  return () =>
    maxPool(zeros(H * W, 1), {
      channels: 1,
      height: H,
      width: W,
      size,
      stride: s,
    });
}

// A kernel k fits stride s and padding p when k ≤ min(H, W) + 2p and both
// H + 2p − k and W + 2p − k are multiples of s. The message offers the
// nearest fitting kernel below and above k (up to min(H, W) + 2p), stride
// below and above s (up to max(H, W) + 2p − k) and padding below and above
// p (up to p + s); maxPool has no padding.
const convGeometry: [number, number, number, number, number, string][] = [
  // 3x6, k 5, s 2, p 1: 3 + 2 − 5 = 0 fits, 6 + 2 − 5 = 3 is odd, so the
  // width fails: 3/2 + 1 = 2.5. H and W differ in parity, so no kernel or
  // padding fits at stride 2; strides dividing 0 and 3: 1 and 3 (≤ 6+2−5).
  [
    3,
    6,
    5,
    2,
    1,
    "Cannot slide a 5x5 kernel with stride 2 over 3x6 images padded by 1 in conv2d(params, x, options): the output width (width + 2*padding - kernel) / stride + 1 = (6 + 2*1 - 5) / 2 + 1 = 2.5 is not a whole number; it would fit with stride 1 or 3",
  ],
  // The same transposed: now the height fails (6 + 2 − 5 = 3 is odd).
  [
    6,
    3,
    5,
    2,
    1,
    "Cannot slide a 5x5 kernel with stride 2 over 6x3 images padded by 1 in conv2d(params, x, options): the output height (height + 2*padding - kernel) / stride + 1 = (6 + 2*1 - 5) / 2 + 1 = 2.5 is not a whole number; it would fit with stride 1 or 3",
  ],
  // 4x5, k 2, s 3, p 2: 4 + 4 − 2 = 6 fits, 5 + 4 − 2 = 7 does not:
  // 7/3 + 1. H + 2p − k and W + 2p − k differ by 1, so only stride 1 fits.
  [
    4,
    5,
    2,
    3,
    2,
    "Cannot slide a 2x2 kernel with stride 3 over 4x5 images padded by 2 in conv2d(params, x, options): the output width (width + 2*padding - kernel) / stride + 1 = (5 + 2*2 - 2) / 3 + 1 = 3.3333333333333335 is not a whole number; it would fit with stride 1",
  ],
  // 4x5, k 2, s 2, p 2: 6 is even, 7 is odd: 7/2 + 1 = 4.5; only stride 1.
  [
    4,
    5,
    2,
    2,
    2,
    "Cannot slide a 2x2 kernel with stride 2 over 4x5 images padded by 2 in conv2d(params, x, options): the output width (width + 2*padding - kernel) / stride + 1 = (5 + 2*2 - 2) / 2 + 1 = 4.5 is not a whole number; it would fit with stride 1",
  ],
  // 5x5, k 6, s 2, p 2: 5 + 4 − 6 = 3 is odd: 2.5. Kernels with 9 − k even:
  // 5 below, 7 above (≤ 9); strides dividing 3: 1 and 3; paddings: 5 + 2p −
  // 6 is always odd, none.
  [
    5,
    5,
    6,
    2,
    2,
    "Cannot slide a 6x6 kernel with stride 2 over 5x5 images padded by 2 in conv2d(params, x, options): the output height (height + 2*padding - kernel) / stride + 1 = (5 + 2*2 - 6) / 2 + 1 = 2.5 is not a whole number; it would fit with kernel 5 or 7, or with stride 1 or 3",
  ],
  // 4x4, k 7, s 3, p 2: 4 + 4 − 7 = 1: 1/3 + 1. Kernels with 8 − k a
  // multiple of 3: 5 and 8; strides dividing 1: 1; paddings: p = 1 and 0
  // leave the 7x7 kernel larger than the 6x6 and 4x4 padded images (though
  // 4 − 7 = −3 is a multiple of 3), p = 3: 4 + 6 − 7 = 3 fits.
  [
    4,
    4,
    7,
    3,
    2,
    "Cannot slide a 7x7 kernel with stride 3 over 4x4 images padded by 2 in conv2d(params, x, options): the output height (height + 2*padding - kernel) / stride + 1 = (4 + 2*2 - 7) / 3 + 1 = 1.3333333333333333 is not a whole number; it would fit with kernel 5 or 8, with stride 1, or with padding 3",
  ],
  // 3x6, k 6, s 3, p 2: 3 + 4 − 6 = 1: 1/3 + 1. Kernels k ≡ 1 (mod 3): 4
  // and 7; strides dividing 1 and 4: 1; paddings: p = 0 would fit the
  // width (6 ≤ 6) but the kernel is larger than the 3 rows; p = 3 fits.
  [
    3,
    6,
    6,
    3,
    2,
    "Cannot slide a 6x6 kernel with stride 3 over 3x6 images padded by 2 in conv2d(params, x, options): the output height (height + 2*padding - kernel) / stride + 1 = (3 + 2*2 - 6) / 3 + 1 = 1.3333333333333333 is not a whole number; it would fit with kernel 4 or 7, with stride 1, or with padding 3",
  ],
];

Deno.test("conv2d names the nearest kernel, stride and padding that would tile the image", () => {
  for (const [H, W, k, s, p, message] of convGeometry) {
    assert.throws(convolveOne(H, W, k, s, p), { name: "RangeError", message });
  }
});

Deno.test("maxPool names the nearest size and stride that would tile the image, and no padding", () => {
  // 5x5, size 3, stride 3: (5 − 3)/3 + 1. Sizes with 5 − k a multiple of
  // 3: 2 and 5; strides dividing 2: 2 (≤ 5 − 3). A padding of 2 would fit,
  // but pooling has none to offer.
  assert.throws(poolOne(5, 5, 3, 3), {
    name: "RangeError",
    message:
      "Cannot slide a 3x3 window with stride 3 over 5x5 images in maxPool(x, options): the output height (height - size) / stride + 1 = (5 - 3) / 3 + 1 = 1.6666666666666665 is not a whole number; it would fit with size 2 or 5, or with stride 2",
  });
  // 4x5, size 2, stride 2: 4 − 2 = 2 fits, 5 − 2 = 3 does not, so the width
  // fails; 2 and 3 differ in parity, so only stride 1 fits.
  assert.throws(poolOne(4, 5, 2, 2), {
    name: "RangeError",
    message:
      "Cannot slide a 2x2 window with stride 2 over 4x5 images in maxPool(x, options): the output width (width - size) / stride + 1 = (5 - 2) / 2 + 1 = 2.5 is not a whole number; it would fit with stride 1",
  });
  // Transposed: the height fails.
  assert.throws(poolOne(5, 4, 2, 2), {
    name: "RangeError",
    message:
      "Cannot slide a 2x2 window with stride 2 over 5x4 images in maxPool(x, options): the output height (height - size) / stride + 1 = (5 - 2) / 2 + 1 = 2.5 is not a whole number; it would fit with stride 1",
  });
  // 2x5, size 2, stride 2: 0 fits, 3 does not; no size leaves 2 − k and
  // 5 − k both even; strides dividing 0 and 3: 1, and 3 (≤ max(2, 5) − 2).
  assert.throws(poolOne(2, 5, 2, 2), {
    name: "RangeError",
    message:
      "Cannot slide a 2x2 window with stride 2 over 2x5 images in maxPool(x, options): the output width (width - size) / stride + 1 = (5 - 2) / 2 + 1 = 2.5 is not a whole number; it would fit with stride 1 or 3",
  });
});

Deno.test("conv2d bounds the kernel by the shorter padded side", () => {
  // 3x6 images: the kernel may be at most 3 (+ 2·padding) wide.
  assert.throws(convolveOne(3, 6, 5, 1, 0), {
    name: "RangeError",
    message:
      `Expected options.kernel of ${CONV} to be an integer from 1 to 3 (the 3x6 images padded by 0 are 3x6), got 5`,
  });
  assert.throws(convolveOne(3, 6, 6, 1, 1), {
    name: "RangeError",
    message:
      `Expected options.kernel of ${CONV} to be an integer from 1 to 5 (the 3x6 images padded by 1 are 5x8), got 6`,
  });
});

Deno.test("maxPool bounds the window by the shorter side", () => {
  assert.throws(poolOne(3, 6, 4, 1), {
    name: "RangeError",
    message:
      `Expected options.size of ${POOL} to be an integer from 1 to 3 (the images are 3x6), got 4`,
  });
});

Deno.test("conv2d and maxPool messages for params, options and the shape of x", () => {
  const o = { channels: 2, height: 5, width: 5, kernel: 3 };
  const w = zeros(4, 18), b = zeros(4, 1);
  assert.throws(() => conv2d(null as never, zeros(50, 3), o), {
    name: "TypeError",
    message:
      `Expected params of ${CONV} to be an object { w, b } of matrices, got null`,
  });
  assert.throws(() => conv2d({ w, b }, zeros(50, 3), undefined as never), {
    name: "TypeError",
    message:
      `Expected options of ${CONV} to be an object { channels, height, width, kernel, stride?, padding? }, got undefined`,
  });
  assert.throws(() => conv2d({ w, b }, zeros(49, 3), o), {
    name: "RangeError",
    message:
      `Cannot convolve x 49x3 as images of 2 channels of 5x5 pixels in ${CONV}: x must have 50 rows (channels*height*width), one column per image`,
  });
  assert.throws(() => maxPool(zeros(50, 3), null as never), {
    name: "TypeError",
    message:
      `Expected options of ${POOL} to be an object { channels, height, width, size, stride? }, got null`,
  });
  assert.throws(
    () => maxPool(zeros(49, 3), { channels: 2, height: 5, width: 5, size: 2 }),
    {
      name: "RangeError",
      message:
        `Cannot pool x 49x3 as images of 2 channels of 5x5 pixels in ${POOL}: x must have 50 rows (channels*height*width), one column per image`,
    },
  );
});

Deno.test("conv2d refuses a result too large before computing it, naming the larger part", () => {
  const limit = `would hold more than ${2 ** 26} entries`;
  // One 1x1 image padded by 144 under a 32x32 kernel: OH = OW = 1 + 288 −
  // 32 + 1 = 258, 66564 positions; 1024 taps and 1024 filters give
  // 1024·66564 = 68161536 > 2^26 = 67108864 entries. With as many taps as
  // filters, the output is named.
  const x = zeros(1, 1);
  const geometry = {
    channels: 1,
    height: 1,
    width: 1,
    kernel: 32,
    padding: 144,
  };
  assert.throws(
    () => conv2d({ w: zeros(1024, 1024), b: zeros(1024, 1) }, x, geometry),
    {
      name: "RangeError",
      message:
        `Cannot convolve 1 image of 1x1 in ${CONV}: their output ${limit}; convolve fewer images at a time`,
    },
  );
  // One filter of 256x256 taps, padded by 383: OH = 1 + 766 − 256 + 1 =
  // 512, 2^18 positions; 2^16 taps make 2^34 patch entries (the single
  // filter's output, 2^18, would fit).
  assert.throws(
    () =>
      conv2d({ w: zeros(1, 256 * 256), b: zeros(1, 1) }, x, {
        ...geometry,
        kernel: 256,
        padding: 383,
      }),
    {
      name: "RangeError",
      message:
        `Cannot convolve 1 image of 1x1 in ${CONV}: their unrolled patches (im2col) ${limit}; convolve fewer images at a time`,
    },
  );
  // 2^17 filters of one tap over 255x255 positions (a 1x1 image padded by
  // 127): the patches, 65025 entries, fit; the output, 2^17·65025, does not.
  assert.throws(
    () =>
      conv2d({ w: zeros(2 ** 17, 1), b: zeros(2 ** 17, 1) }, x, {
        ...geometry,
        kernel: 1,
        padding: 127,
      }),
    {
      name: "RangeError",
      message:
        `Cannot convolve 1 image of 1x1 in ${CONV}: their output ${limit}; convolve fewer images at a time`,
    },
  );
});

Deno.test("maxPool's backward returns exactly the input's gradient, nothing more", () => {
  // Windows {0, 1} and {2, 3} with maxima at 1 and 2: g lands there.
  const gx = maxPoolBackward(
    new Float64Array([5, 7]),
    new Uint32Array([1, 2]),
    4,
  );
  assert.deepStrictEqual(gx, new Float64Array([0, 5, 7, 0]));
});

Deno.test("batchNorm messages for params, x, the shapes and epsilon", () => {
  const x = zeros(2, 3), gamma = zeros(2, 1), beta = zeros(2, 1);
  const cases: [() => unknown, string, string][] = [
    [
      () => batchNorm(null as never, x),
      "TypeError",
      `Expected params of ${BN} to be an object { gamma, beta } of matrices, got null`,
    ],
    [
      () => batchNorm({ gamma: 1 as never, beta }, x),
      "TypeError",
      `Expected params.gamma of ${BN} to be a Matrix, got 1`,
    ],
    [
      () => batchNorm({ gamma, beta: null as never }, x),
      "TypeError",
      `Expected params.beta of ${BN} to be a Matrix, got null`,
    ],
    [
      () => batchNorm({ gamma, beta }, [[1]] as never),
      "TypeError",
      `Expected x of ${BN} to be a Matrix, got an array of length 1 (build one from nested arrays with matrix(rows))`,
    ],
    [
      () => batchNorm({ gamma: zeros(2, 2), beta }, x),
      "RangeError",
      `Cannot normalize x 2x3 with params.gamma 2x2 in ${BN}: params.gamma must be 2x1, one entry per row (feature) of x`,
    ],
    [
      () => batchNorm({ gamma, beta: zeros(2, 3) }, x),
      "RangeError",
      `Cannot normalize x 2x3 with params.beta 2x3 in ${BN}: params.beta must be 2x1, one entry per row (feature) of x`,
    ],
    [
      () => batchNorm({ gamma, beta }, x, { epsilon: 0 }),
      "RangeError",
      `Expected options.epsilon of ${BN} to be a positive number up to 1, got 0`,
    ],
  ];
  for (const [call, name, message] of cases) {
    assert.throws(call, { name, message });
  }
});

Deno.test("dropout messages for x, rate and rng", () => {
  const x = zeros(2, 2), rng = createRng(1);
  const fakeRng = Object.assign(() => 0, { uniform: () => 0.5 });
  const cases: [() => unknown, string, string][] = [
    [
      () => dropout(null as never, { rate: 0.5, rng }),
      "TypeError",
      `Expected x of ${DROP} to be a Matrix, got null`,
    ],
    [
      () => dropout(x, { rate: 1.5, rng }),
      "RangeError",
      `Expected options.rate of ${DROP} to be a number in [0, 1), got 1.5`,
    ],
    [
      () => dropout(x, { rate: 1, rng }),
      "RangeError",
      `Expected options.rate of ${DROP} to be a number in [0, 1), got 1 (every entry dropped)`,
    ],
    [
      () => dropout(x, { rate: 0.5, rng: null as never }),
      "TypeError",
      `Expected options.rng of ${DROP} to be a generator from createRng(seed), got null`,
    ],
    // An object without a uniform method is not a generator.
    [
      () => dropout(x, { rate: 0.5, rng: {} as never }),
      "TypeError",
      `Expected options.rng of ${DROP} to be a generator from createRng(seed), got an object`,
    ],
    // A function carrying a uniform method is still not a generator.
    [
      () => dropout(x, { rate: 0.5, rng: fakeRng as never }),
      "TypeError",
      `Expected options.rng of ${DROP} to be a generator from createRng(seed), got a function`,
    ],
  ];
  for (const [call, name, message] of cases) {
    assert.throws(call, { name, message });
  }
});

Deno.test("dropout draws one number per entry and drops only draws below the rate", () => {
  // Six entries take six draws: the generator's next draw is the seventh.
  const rng = createRng(42), fresh = createRng(42);
  dropout(zeros(2, 3), { rate: 0.3, rng });
  for (let i = 0; i < 6; i++) fresh.uniform();
  assert.equal(rng.uniform(), fresh.uniform());
  // A draw equal to the rate keeps the entry (scaled by 1/(1 − 0.5) = 2).
  const half = { uniform: () => 0.5 };
  assert.deepEqual(
    toArray(dropout(matrix([[1, 3]]), { rate: 0.5, rng: half as never })),
    [[2, 6]],
  );
  // Rate 0 keeps every entry, even on a draw of 0.
  const zero = { uniform: () => 0 };
  assert.deepEqual(
    toArray(dropout(matrix([[1, -3]]), { rate: 0, rng: zero as never })),
    [[1, -3]],
  );
});

Deno.test("sigmoidOf stays positive where e^-v overflows", () => {
  // σ(−710) = e^−710/(1 + e^−710) = e^−710 ≈ 4.47628622567513e-309 (numpy:
  // np.exp(-710.0)); 1/(1 + e^710) would be 1/Infinity = 0.
  const v = sigmoidOf(-710);
  assert.ok(
    Math.abs(v - 4.47628622567513e-309) <=
      1e-12 * 4.47628622567513e-309 + 1e-322,
  );
  assert.ok(v > 0);
});

Deno.test("crossEntropyOf ignores classes of target 0 even at a logit of -Infinity", () => {
  // Column [0, −∞] with target [1, 0]: softmax is [1, 0], the loss −log 1 = 0;
  // the second class has weight 0 and must not contribute 0·(−∞) = NaN.
  const z = new Float64Array([0, -Infinity]);
  const d = new Float64Array([1, 0]);
  assert.equal(crossEntropyOf(z, d, 2, 1), 0);
});

Deno.test("classesOf and countCorrect take each column's first largest row", () => {
  // 3 x 2, rows [0, 5], [1, 4], [2, 3]: column 0 peaks at row 2, column 1 at 0.
  const u = new Float64Array([0, 5, 1, 4, 2, 3]);
  assert.deepEqual([...classesOf(u, 3, 2)], [2, 0]);
  assert.equal(countCorrect(u, u.slice(), 3, 2), 2);
  // Targets [0, 1, 0] and [1, 0, 0]: column 0 wrong (2 ≠ 1), column 1 right.
  const d = new Float64Array([0, 1, 1, 0, 0, 0]);
  assert.equal(countCorrect(u, d, 3, 2), 1);
  // Ties go to the first row, in the prediction and in the target.
  assert.equal(
    countCorrect(new Float64Array([1, 1]), new Float64Array([1, 0]), 2, 1),
    1,
  );
  assert.equal(
    countCorrect(new Float64Array([1, 0]), new Float64Array([1, 1]), 2, 1),
    1,
  );
  // One row: classes are v ≥ 0.5, so a target of exactly 0.5 is class 1.
  assert.equal(
    countCorrect(new Float64Array([0.7]), new Float64Array([0.5]), 1, 1),
    1,
  );
});
