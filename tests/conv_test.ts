// conv2d and maxPool: the forward against direct loops and against numpy,
// the backward against finite differences, and the argument checks.
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertRefuses, close, matrixOf, once } from "./_helpers.ts";
import {
  checkGrads,
  conv2d,
  type Conv2dOptions,
  grad,
  type Matrix,
  matrix,
  maxPool,
  type MaxPoolOptions,
  mul,
  numericalGradient,
  sum,
  toArray,
  zeros,
} from "../mod.ts";
import { blockPixels } from "../lib/kernels/_conv.ts";

const SEED = 20260707;

/** A random convolution: its geometry and matrices of the right shapes. */
interface ConvCase {
  options: Required<Conv2dOptions>;
  filters: number;
  w: Matrix;
  b: Matrix;
  x: Matrix;
  /** A weighting of the output, so that Σ(r ⊙ y) has a non-trivial gradient. */
  r: Matrix;
}

/**
 * Random geometries that divide exactly: pick the output size, the kernel,
 * stride and padding, and derive the image size H = (OH − 1)·stride + k −
 * 2·padding (at least 1).
 */
function convCase(max = 2): fc.Arbitrary<ConvCase> {
  const side = fc.integer({ min: 1, max: 3 });
  return fc.record({
    channels: side,
    filters: side,
    kernel: side,
    stride: side,
    outHeight: fc.integer({ min: 1, max: 4 }),
    outWidth: fc.integer({ min: 1, max: 4 }),
    samples: side,
    padding: fc.integer({ min: 0, max: 2 }),
  }).chain((g) => {
    const reach = (out: number) => (out - 1) * g.stride + g.kernel;
    // Keep H and W at least 1: padding at most (reach − 1) / 2.
    const padding = Math.min(
      g.padding,
      Math.floor((Math.min(reach(g.outHeight), reach(g.outWidth)) - 1) / 2),
    );
    const height = reach(g.outHeight) - 2 * padding;
    const width = reach(g.outWidth) - 2 * padding;
    const options = {
      channels: g.channels,
      height,
      width,
      kernel: g.kernel,
      stride: g.stride,
      padding,
    };
    const rows = g.filters * g.outHeight * g.outWidth;
    return fc.record({
      options: fc.constant(options),
      filters: fc.constant(g.filters),
      w: matrixOf(g.filters, g.channels * g.kernel * g.kernel, max),
      b: matrixOf(g.filters, 1, max),
      x: matrixOf(g.channels * height * width, g.samples, max),
      r: matrixOf(rows, g.samples, max),
    });
  });
}

/**
 * The definition, one output at a time in six nested loops (f, i, j; c, p,
 * q) for each sample: b[f] + Σ w[f, c·k·k + p·k + q] · x[c, i·s + p − pad,
 * j·s + q − pad] over taps inside the image. Also returns Σ|terms| for each
 * output, the scale of its rounding error.
 */
function directConv(
  w: number[][],
  b: number[][],
  x: number[][],
  o: Required<Conv2dOptions>,
): { y: number[][]; scale: number[][] } {
  const { channels: C, height: H, width: W, kernel: k } = o;
  const s = o.stride, pad = o.padding;
  const OH = (H + 2 * pad - k) / s + 1, OW = (W + 2 * pad - k) / s + 1;
  const N = x[0].length;
  const y: number[][] = [], scale: number[][] = [];
  for (let f = 0; f < w.length; f++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        const row: number[] = [], rowScale: number[] = [];
        for (let n = 0; n < N; n++) {
          let total = b[f][0], abs = Math.abs(b[f][0]);
          for (let c = 0; c < C; c++) {
            for (let p = 0; p < k; p++) {
              for (let q = 0; q < k; q++) {
                const ii = i * s + p - pad, jj = j * s + q - pad;
                if (ii < 0 || ii >= H || jj < 0 || jj >= W) continue;
                const term = w[f][c * k * k + p * k + q] *
                  x[c * H * W + ii * W + jj][n];
                total += term;
                abs += Math.abs(term);
              }
            }
          }
          row.push(total);
          rowScale.push(abs);
        }
        y.push(row);
        scale.push(rowScale);
      }
    }
  }
  return { y, scale };
}

/** Max pooling by its definition, window by window. */
function directPool(x: number[][], o: Required<MaxPoolOptions>): number[][] {
  const { channels: C, height: H, width: W, size, stride: s } = o;
  const OH = (H - size) / s + 1, OW = (W - size) / s + 1;
  const y: number[][] = [];
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        y.push(x[0].map((_, n) => {
          // The first maximum in row-major order (so -0 before 0 stays -0).
          let m = -Infinity;
          for (let p = 0; p < size; p++) {
            for (let q = 0; q < size; q++) {
              const v = x[c * H * W + (i * s + p) * W + j * s + q][n];
              if (v > m) m = v;
            }
          }
          return m;
        }));
      }
    }
  }
  return y;
}

Deno.test("conv2d: the forward agrees with the direct definition over random geometries", () => {
  fc.assert(
    fc.property(convCase(10), ({ options, filters, w, b, x }) => {
      const y = conv2d({ w, b }, x, options);
      const { y: expected, scale } = directConv(
        toArray(w),
        toArray(b),
        toArray(x),
        options,
      );
      const { height: H, width: W, kernel: k, stride: s, padding: p } = options;
      assert.deepEqual(y.shape, [
        filters * ((H + 2 * p - k) / s + 1) * ((W + 2 * p - k) / s + 1),
        x.cols,
      ]);
      const got = toArray(y);
      for (let i = 0; i < expected.length; i++) {
        for (let n = 0; n < x.cols; n++) {
          const diff = Math.abs(got[i][n] - expected[i][n]);
          assert.ok(
            diff <= 1e-14 * scale[i][n],
            `entry (${i}, ${n}): ${got[i][n]} vs ${expected[i][n]}`,
          );
        }
      }
    }),
    { seed: SEED, numRuns: 150 },
  );
});

Deno.test("maxPool: the forward agrees with the direct definition over random geometries", () => {
  const geometry = fc.record({
    channels: fc.integer({ min: 1, max: 3 }),
    size: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    outHeight: fc.integer({ min: 1, max: 4 }),
    outWidth: fc.integer({ min: 1, max: 4 }),
    samples: fc.integer({ min: 1, max: 3 }),
  }).chain((g) => {
    const options = {
      channels: g.channels,
      height: (g.outHeight - 1) * g.stride + g.size,
      width: (g.outWidth - 1) * g.stride + g.size,
      size: g.size,
      stride: g.stride,
    };
    return fc.record({
      options: fc.constant(options),
      x: matrixOf(
        options.channels * options.height * options.width,
        g.samples,
      ),
    });
  });
  fc.assert(
    fc.property(geometry, ({ options, x }) => {
      assert.deepEqual(
        toArray(maxPool(x, options)),
        directPool(toArray(x), options),
      );
    }),
    { seed: SEED, numRuns: 150 },
  );
});

// The inputs of the numpy cases, by formulas that give the same doubles in
// Python and TypeScript (one correctly rounded division each).
function inputs(
  C: number,
  H: number,
  W: number,
  F: number,
  k: number,
  N: number,
): { x: Matrix; w: Matrix; b: Matrix } {
  const table = (r: number, c: number, at: (i: number, j: number) => number) =>
    matrix(
      Array.from(
        { length: r },
        (_, i) => Array.from({ length: c }, (_, j) => at(i, j)),
      ),
    );
  return {
    x: table(C * H * W, N, (r, n) => ((r * 7 + n * 3) % 11 - 5) / 3.7),
    w: table(F, C * k * k, (f, t) => ((f * 5 + t * 3) % 13 - 6) / 2.9),
    b: table(F, 1, (f) => (f - 1) / 2.3),
  };
}

// Expected values computed once with numpy 2.4, by this command:
//
// python3 - <<'EOF'
// import numpy as np
// def data(C, H, W, F, k, N):
//     x = np.array([[((r * 7 + n * 3) % 11 - 5) / 3.7 for n in range(N)] for r in range(C * H * W)])
//     w = np.array([[((f * 5 + t * 3) % 13 - 6) / 2.9 for t in range(C * k * k)] for f in range(F)])
//     b = np.array([[(f - 1) / 2.3] for f in range(F)])
//     return x, w, b
// def conv(C, H, W, F, k, s, p, N):
//     x, w, b = data(C, H, W, F, k, N)
//     img = np.pad(x.reshape(C, H, W, N), ((0, 0), (p, p), (p, p), (0, 0)))
//     OH, OW = (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1
//     out = np.zeros((F, OH, OW, N))
//     for f in range(F):
//         for i in range(OH):
//             for j in range(OW):
//                 patch = img[:, i * s:i * s + k, j * s:j * s + k, :]
//                 out[f, i, j] = np.einsum("cpq,cpqn->n", w[f].reshape(C, k, k), patch) + b[f, 0]
//     print(repr(out.reshape(F * OH * OW, N).tolist()))
// def pool(C, H, W, size, s, N):
//     x, _, _ = data(C, H, W, 1, 1, N)
//     img = x.reshape(C, H, W, N)
//     OH, OW = (H - size) // s + 1, (W - size) // s + 1
//     out = np.array([[[img[c, i * s:i * s + size, j * s:j * s + size].max(axis=(0, 1)) for j in range(OW)] for i in range(OH)] for c in range(C)])
//     print(repr(out.reshape(C * OH * OW, N).tolist()))
// conv(2, 3, 4, 2, 3, 1, 1, 2)
// conv(1, 5, 7, 2, 3, 2, 0, 3)
// conv(3, 5, 5, 2, 3, 2, 1, 1)
// pool(2, 4, 5, 2, 1, 2)
// EOF
const NUMPY = {
  // conv(2, 3, 4, 2, 3, 1, 1, 2): C=2, H=3, W=4, F=2, k=3, stride 1, padding 1, N=2
  padded: [
    [-4.349041695368531, -7.983710847279063],
    [2.8270999635317473, 1.895133514323919],
    [-7.890514202358281, 4.504639572105839],
    [1.615543579561571, -4.535434985210098],
    [3.572673122898011, -0.15519267393330372],
    [-7.144941042992017, 0.031200615908262175],
    [0.031200615908262175, -7.144941042992018],
    [-0.1551926739333036, 3.57267312289801],
    [-4.535434985210097, 1.6155435795615705],
    [4.504639572105838, -7.89051420235828],
    [1.895133514323919, 2.8270999635317473],
    [-7.983710847279063, -4.349041695368531],
    [1.4911463187325258, -0.9319664492078287],
    [-0.18639328984156567, 1.4911463187325253],
    [-0.37278657968313145, -3.8210624417520966],
    [1.3979496738117423, -0.46598322460391434],
    [0.18639328984156547, 6.3373718546132345],
    [3.2618825722274005, -2.143522833178005],
    [6.710158434296366, 0.2795899347623487],
    [-0.9319664492078285, -0.6523765144454798],
    [0.7455731593662629, -0.9319664492078288],
    [1.5843429636533088, 1.211556383970177],
    [-1.6775396085740915, 3.075489282385834],
    [1.5843429636533086, 0.37278657968313145],
  ],
  // conv(1, 5, 7, 2, 3, 2, 0, 3): C=1, H=5, W=7, F=2, k=3, stride 2, padding 0, N=3
  strided: [
    [-3.2306819563191382, 2.454313383848616, 0.9631670651160905],
    [2.454313383848616, 0.9631670651160905, -3.603468536002269],
    [0.9631670651160905, -3.603468536002269, -2.0191255723489605],
    [-9.568053810932371, -1.8327322825073953, 3.852263057660359],
    [-1.8327322825073953, 3.852263057660359, 1.335953644799222],
    [3.852263057660359, 1.335953644799222, -3.2306819563191382],
    [3.0754892823858344, -3.4482758620689657, 4.380242311276794],
    [-3.4482758620689657, 4.380242311276794, 0.931966449207828],
    [4.380242311276794, 0.931966449207828, -1.4911463187325258],
    [2.516309412861137, -1.9571295433364395, -0.2795899347623486],
    [-1.9571295433364395, -0.2795899347623486, -1.6775396085740915],
    [-0.2795899347623486, -1.6775396085740915, 3.0754892823858344],
  ],
  // conv(3, 5, 5, 2, 3, 2, 1, 1): C=3, H=5, W=5, F=2, k=3, stride 2, padding 1, N=1
  both: [
    [-10.034037035536286],
    [-9.288463876170024],
    [7.207342274808541],
    [2.9202966084525306],
    [3.9454597025811413],
    [-3.883058470764617],
    [-0.3415859637748692],
    [-8.26330078204141],
    [5.716195956076016],
    [4.380242311276794],
    [8.201304753028891],
    [-8.85368126747437],
    [2.7027027027027017],
    [-21.435228331780056],
    [5.312208760484624],
    [-3.075489282385834],
    [5.591798695246972],
    [-1.118359739049394],
  ],
  // pool(2, 4, 5, 2, 1, 2): C=2, H=4, W=5, size 2, stride 1, N=2
  pool: [
    [1.081081081081081, 1.3513513513513513],
    [1.081081081081081, 1.3513513513513513],
    [1.3513513513513513, 0.8108108108108107],
    [1.3513513513513513, 1.081081081081081],
    [1.081081081081081, 0.5405405405405405],
    [1.081081081081081, 1.3513513513513513],
    [0.5405405405405405, 1.3513513513513513],
    [1.3513513513513513, 0.27027027027027023],
    [0.27027027027027023, 1.081081081081081],
    [1.081081081081081, 1.3513513513513513],
    [1.081081081081081, 1.3513513513513513],
    [1.3513513513513513, 0.8108108108108107],
    [1.3513513513513513, 1.081081081081081],
    [0.27027027027027023, 1.081081081081081],
    [1.081081081081081, 1.3513513513513513],
    [1.081081081081081, 1.3513513513513513],
    [1.3513513513513513, 1.081081081081081],
    [0.8108108108108107, 1.081081081081081],
    [1.081081081081081, 0.5405405405405405],
    [1.081081081081081, 1.3513513513513513],
    [1.3513513513513513, 0.27027027027027023],
    [1.3513513513513513, 1.081081081081081],
    [0.27027027027027023, 1.081081081081081],
    [1.081081081081081, 1.3513513513513513],
  ],
};

Deno.test("conv2d and maxPool: the forward agrees with numpy on fixed cases", () => {
  const cases = [
    { expected: NUMPY.padded, g: [2, 3, 4, 2, 3, 1, 1, 2] },
    { expected: NUMPY.strided, g: [1, 5, 7, 2, 3, 2, 0, 3] },
    { expected: NUMPY.both, g: [3, 5, 5, 2, 3, 2, 1, 1] },
  ];
  for (const { expected, g: [C, H, W, F, k, stride, padding, N] } of cases) {
    const { x, w, b } = inputs(C, H, W, F, k, N);
    const y = conv2d({ w, b }, x, {
      channels: C,
      height: H,
      width: W,
      kernel: k,
      stride,
      padding,
    });
    close(y, expected, { rtol: 1e-13, atol: 1e-13 });
  }
  const { x } = inputs(2, 4, 5, 1, 1, 2);
  assert.deepEqual(
    toArray(
      maxPool(x, { channels: 2, height: 4, width: 5, size: 2, stride: 1 }),
    ),
    NUMPY.pool,
  );
});

Deno.test("conv2d: gradients for w, b and x agree with finite differences", () => {
  fc.assert(
    fc.property(convCase(2), ({ options, w, b, x, r }) => {
      const f = (p: { w: Matrix; b: Matrix; x: Matrix }) =>
        sum(mul(conv2d({ w: p.w, b: p.b }, p.x, options), r));
      assert.ok(
        checkGrads(f, { w, b, x }, { seed: 1, tolerance: 1e-6 }) < 1e-6,
      );
    }),
    { seed: SEED, numRuns: 60 },
  );
});

Deno.test("conv2d: each gradient alone, entry by entry, with stride and padding", () => {
  // C=2, 5x3 images, 3 filters of 3x3, stride 2, padding 1: OH = 3, OW = 2.
  const options = {
    channels: 2,
    height: 5,
    width: 3,
    kernel: 3,
    stride: 2,
    padding: 1,
  };
  const { x, w, b } = inputs(2, 5, 3, 3, 3, 2);
  const r = inputs(1, 3 * 3 * 2, 1, 1, 1, 2).x; // an 18x2 weighting
  const loss = (p: { w: Matrix; b: Matrix }, xx: Matrix) =>
    sum(mul(conv2d(p, xx, options), r));
  const tol = { rtol: 1e-7, atol: 1e-8 };
  close(
    grad((ww: Matrix) => loss({ w: ww, b }, x))(w),
    numericalGradient((ww: Matrix) => loss({ w: ww, b }, x), w),
    tol,
  );
  close(
    grad((bb: Matrix) => loss({ w, b: bb }, x))(b),
    numericalGradient((bb: Matrix) => loss({ w, b: bb }, x), b),
    tol,
  );
  close(
    grad((xx: Matrix) => loss({ w, b }, xx))(x),
    numericalGradient((xx: Matrix) => loss({ w, b }, xx), x),
    tol,
  );
  // ∂Σy/∂b counts the outputs of each filter: OH·OW·N = 3·2·2.
  assert.deepEqual(
    toArray(grad((bb: Matrix) => sum(conv2d({ w, b: bb }, x, options)))(b)),
    [[12], [12], [12]],
  );
});

Deno.test("conv2d: a batch large enough to run in several blocks of patches", () => {
  // 3 channels of 11x13, 3x3 kernel, stride 2, padding 1: OH = 6, OW = 7, so
  // 42 output pixels; with 60 samples the patches come in blocks of a few
  // pixels, the last one shorter.
  const options = {
    channels: 3,
    height: 11,
    width: 13,
    kernel: 3,
    stride: 2,
    padding: 1,
  };
  const pixels = blockPixels(60, 27);
  assert.ok(pixels < 42 && 42 % pixels !== 0, `${pixels} pixels per block`);
  const { x, w, b } = inputs(3, 11, 13, 2, 3, 60);
  const { y: expected, scale } = directConv(
    toArray(w),
    toArray(b),
    toArray(x),
    options,
  );
  const got = toArray(conv2d({ w, b }, x, options));
  assert.equal(got.length, 2 * 42);
  for (let i = 0; i < expected.length; i++) {
    for (let n = 0; n < 60; n++) {
      assert.ok(
        Math.abs(got[i][n] - expected[i][n]) <= 1e-14 * scale[i][n],
        `entry (${i}, ${n})`,
      );
    }
  }
  const r = inputs(1, 2 * 42, 1, 1, 1, 60).x;
  const f = (p: { w: Matrix; b: Matrix; x: Matrix }) =>
    sum(mul(conv2d({ w: p.w, b: p.b }, p.x, options), r));
  assert.ok(checkGrads(f, { w, b, x }, { seed: 3, tolerance: 1e-6 }) < 1e-6);
});

Deno.test("maxPool: the gradient agrees with finite differences away from ties", () => {
  const geometry = fc.record({
    channels: fc.integer({ min: 1, max: 2 }),
    size: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    outHeight: fc.integer({ min: 1, max: 3 }),
    outWidth: fc.integer({ min: 1, max: 3 }),
    samples: fc.integer({ min: 1, max: 2 }),
  }).chain((g) => {
    const options = {
      channels: g.channels,
      height: (g.outHeight - 1) * g.stride + g.size,
      width: (g.outWidth - 1) * g.stride + g.size,
      size: g.size,
      stride: g.stride,
    };
    const rows = options.channels * options.height * options.width;
    const outRows = g.channels * g.outHeight * g.outWidth;
    // Distinct values 0.01 apart: the differences (steps of 1e-4) cross no tie.
    return fc.record({
      options: fc.constant(options),
      values: fc.uniqueArray(fc.integer({ min: -2000, max: 2000 }), {
        minLength: rows * g.samples,
        maxLength: rows * g.samples,
      }),
      r: matrixOf(outRows, g.samples, 2),
    }).map(({ options, values, r }) => ({
      options,
      r,
      x: matrix(
        Array.from(
          { length: rows },
          (_, i) =>
            Array.from(
              { length: g.samples },
              (_, n) => values[i * g.samples + n] / 100,
            ),
        ),
      ),
    }));
  });
  fc.assert(
    fc.property(geometry, ({ options, x, r }) => {
      const f = (p: Matrix) => sum(mul(maxPool(p, options), r));
      assert.ok(checkGrads(f, x, { seed: 2, tolerance: 1e-6 }) < 1e-6);
    }),
    { seed: SEED, numRuns: 100 },
  );
});

Deno.test("maxPool: ties send the gradient to the first maximum; overlapping windows add up", () => {
  const flat = zeros(9, 1); // a 3x3 image of zeros: every window ties
  const options = { channels: 1, height: 3, width: 3, size: 2, stride: 1 };
  // Four 2x2 windows, each with its first tap at (i, j): (0,0), (0,1), (1,0), (1,1).
  assert.deepEqual(
    toArray(grad((p: Matrix) => sum(maxPool(p, options)))(flat)),
    [[1], [1], [0], [1], [1], [0], [0], [0], [0]],
  );
  // The centre is the maximum of all four windows: it collects all four.
  const peak = matrix([[1], [2], [1], [2], [9], [2], [1], [2], [1]]);
  assert.deepEqual(
    toArray(grad((p: Matrix) => sum(maxPool(p, options)))(peak)),
    [[0], [0], [0], [0], [4], [0], [0], [0], [0]],
  );
});

Deno.test("conv2d and maxPool: stride and padding default; arguments are read once", () => {
  const { x, w, b } = inputs(1, 4, 4, 2, 2, 2);
  const base = { channels: 1, height: 4, width: 4, kernel: 2 };
  const explicit = conv2d({ w, b }, x, { ...base, stride: 1, padding: 0 });
  assert.deepEqual(toArray(conv2d({ w, b }, x, base)), toArray(explicit));
  assert.deepEqual(explicit.shape, [2 * 3 * 3, 2]);
  assert.deepEqual(
    toArray(conv2d(once({ w, b }, "w", "junk"), x, once(base, "kernel", 99))),
    toArray(explicit),
  );
  const pool = { channels: 1, height: 4, width: 4, size: 2 };
  assert.deepEqual(
    toArray(maxPool(x, pool)),
    toArray(maxPool(x, { ...pool, stride: 2 })),
  );
  assert.deepEqual(
    toArray(maxPool(x, once(pool, "size", 4))),
    toArray(maxPool(x, pool)),
  );
  // Arguments are not changed.
  const before = toArray(x);
  grad((p: Matrix) => sum(conv2d({ w, b }, p, base)))(x);
  assert.deepEqual(toArray(x), before);
});

Deno.test("conv2d: refuses bad arguments with messages naming the function", () => {
  const C = "conv2d";
  const x = zeros(2 * 5 * 5, 3);
  const w = zeros(4, 2 * 3 * 3), b = zeros(4, 1);
  const o = { channels: 2, height: 5, width: 5, kernel: 3 };
  const call =
    (options: unknown, params: unknown = { w, b }, xx: unknown = x) => () =>
      conv2d(params as never, xx as never, options as never);
  // Geometry that does not divide: (5 + 0 - 3) / 3 + 1 is not whole.
  assertRefuses(
    call({ ...o, stride: 3 }),
    RangeError,
    C,
    /\(height \+ 2\*padding - kernel\) \/ stride \+ 1 = \(5 \+ 2\*0 - 3\) \/ 3 \+ 1 = 1\.6+\d* is not a whole number; it would fit with kernel 2 or 5, with stride 2, or with padding 2$/,
  );
  // Only the width fails: 6 + 2 - 3 = 5 is odd at stride 2.
  assertRefuses(
    call({ ...o, width: 6, stride: 2, padding: 1 }, { w, b }, zeros(60, 1)),
    RangeError,
    C,
    /the output width \(width \+ 2\*padding - kernel\)/,
  );
  // Shapes of x, w and b.
  assertRefuses(
    call(o, { w, b }, zeros(49, 3)),
    RangeError,
    C,
    /x 49x3 as images of 2 channels of 5x5 pixels.*x must have 50 rows/,
  );
  assertRefuses(
    call(o, { w: zeros(4, 9), b }),
    RangeError,
    C,
    /weights w 4x9 with 2 channels and a 3x3 kernel.*w must have 18 columns/,
  );
  assertRefuses(
    call(o, { w, b: zeros(3, 1) }),
    RangeError,
    C,
    /bias b 3x1 with weights w 4x18.*b must be 4x1/,
  );
  assertRefuses(call(o, { w, b: zeros(4, 2) }), RangeError, C, /b must be 4x1/);
  // Types.
  assertRefuses(call(o, null), TypeError, C, /params of conv2d/);
  assertRefuses(call(o, { w: [[1]], b }), TypeError, C, /params\.w .*Matrix/);
  assertRefuses(call(o, { w, b: 1 }), TypeError, C, /params\.b .*Matrix/);
  assertRefuses(call(o, { w, b }, [[1]]), TypeError, C, /x of conv2d.*Matrix/);
  assertRefuses(call(undefined), TypeError, C, /options of conv2d/);
  for (const key of ["channels", "height", "width", "kernel"]) {
    assertRefuses(
      call({ ...o, [key]: "3" }),
      TypeError,
      C,
      new RegExp(`options\\.${key} .*integer, got the string "3"`),
    );
    assertRefuses(
      call({ ...o, [key]: undefined }),
      TypeError,
      C,
      new RegExp(`options\\.${key} .*got undefined`),
    );
  }
  assertRefuses(call({ ...o, stride: "2" }), TypeError, C, /options\.stride/);
  assertRefuses(call({ ...o, padding: [1] }), TypeError, C, /options\.padding/);
  // Ranges.
  assertRefuses(call({ ...o, kernel: 0 }), RangeError, C, /options\.kernel/);
  assertRefuses(call({ ...o, kernel: 1.5 }), RangeError, C, /options\.kernel/);
  assertRefuses(call({ ...o, stride: 0 }), RangeError, C, /options\.stride/);
  assertRefuses(call({ ...o, padding: -1 }), RangeError, C, /options\.padding/);
  assertRefuses(
    call({ ...o, kernel: 8 }),
    RangeError,
    C,
    /options\.kernel .*from 1 to 5 \(the 5x5 images padded by 0 are 5x5\), got 8/,
  );
  assertRefuses(
    call({ ...o, channels: 0 }),
    RangeError,
    C,
    /options\.channels/,
  );
  // Too large: 5000 images give a 30·24·24 x 5000 output (and 25 x 2,880,000 patches).
  assertRefuses(
    () =>
      conv2d({ w: zeros(30, 25), b: zeros(30, 1) }, zeros(784, 5000), {
        channels: 1,
        height: 28,
        width: 28,
        kernel: 5,
      }),
    RangeError,
    C,
    /5000 images of 28x28.*their output would hold more than 67108864 entries/,
  );
  // Unknown keys.
  assertRefuses(
    call({ ...o, pad: 1 }),
    TypeError,
    C,
    /Unknown option "pad" in options of conv2d.*expected channels, height, width, kernel, stride or padding/,
  );
});

Deno.test("maxPool: refuses bad arguments with messages naming the function", () => {
  const P = "maxPool";
  const x = zeros(2 * 5 * 5, 3);
  const o = { channels: 2, height: 5, width: 5, size: 2 };
  const call = (options: unknown, xx: unknown = x) => () =>
    maxPool(xx as never, options as never);
  assertRefuses(
    call(o),
    RangeError,
    P,
    /2x2 window with stride 2 over 5x5 images in maxPool\(x, options\): the output height \(height - size\) \/ stride \+ 1 = \(5 - 2\) \/ 2 \+ 1 = 2\.5 is not a whole number; it would fit with size 1 or 3, or with stride 1 or 3$/,
  );
  assertRefuses(call(o, zeros(49, 1)), RangeError, P, /x must have 50 rows/);
  assertRefuses(call(o, [[1]]), TypeError, P, /x of maxPool.*Matrix/);
  assertRefuses(call(null), TypeError, P, /options of maxPool/);
  assertRefuses(call({ ...o, size: "2" }), TypeError, P, /options\.size/);
  assertRefuses(call({ ...o, size: 0 }), RangeError, P, /options\.size/);
  assertRefuses(
    call({ ...o, size: 6 }),
    RangeError,
    P,
    /options\.size .*from 1 to 5 \(the images are 5x5\), got 6/,
  );
  assertRefuses(call({ ...o, stride: 0.5 }), RangeError, P, /options\.stride/);
  assertRefuses(
    call({ ...o, padding: 0 }),
    TypeError,
    P,
    /Unknown option "padding" in options of maxPool/,
  );
});
