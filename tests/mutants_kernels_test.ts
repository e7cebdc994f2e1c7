// The numeric kernels at their edges: the packed product across every tile
// edge and through the growth of its scratch panels, the WebAssembly kernel's
// loading, memory growth and size limit, the choice between the three
// product paths, the software FMA's fallbacks, and the elementwise kernels'
// finite test and stride handling. Expected values come from a plain triple
// loop written here, from hand derivations, or from numpy (commands beside
// the numbers).
//
// Some tests load a fresh copy of a kernel module (an import with a query
// string) so that its module-level state (scratch panels, WebAssembly
// instance and memory) starts empty, whatever other tests ran before.
import assert from "node:assert/strict";
import { fma } from "../lib/kernels/_fma.ts";
import {
  EXACT_LIMIT,
  FALLBACK_EXACT_LIMIT,
  matmul,
  matmulExact,
} from "../lib/kernels/_matmul.ts";
import { binary, binaryFinite } from "../lib/kernels/_elementwise.ts";

type PackedModule = typeof import("../lib/kernels/_matmul_packed.ts");
type WasmModule = typeof import("../lib/kernels/_matmul_wasm.ts");

let freshCount = 0;

/** A new instance of a kernel module, with its own module-level state. */
async function fresh<T>(path: string): Promise<T> {
  freshCount++;
  const url = new URL(`${path}?fresh=${freshCount}`, import.meta.url).href;
  return await import(url) as T;
}

const freshPacked = () =>
  fresh<PackedModule>("../lib/kernels/_matmul_packed.ts");
const freshWasm = () => fresh<WasmModule>("../lib/kernels/_matmul_wasm.ts");

/** A seeded generator of small integers in [-8, 8] (exact in any order). */
function integers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * 17) - 8;
  };
}

/** A seeded generator of doubles in [-0.5, 0.5) with long mantissas. */
function doubles(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5 + state / 2 ** 60;
  };
}

/**
 * The naive product: c_ij = ((0 + a_i0·b_0j) + a_i1·b_1j) + …, plain
 * multiply-then-add in order of p. `a` is m x k (or k x m with transA), `b`
 * k x n (or n x k with transB).
 */
function naive(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i] : a[i * k + p];
        const y = transB ? b[j * k + p] : b[p * n + j];
        s += x * y;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

function fill(length: number, next: () => number): Float64Array {
  return Float64Array.from({ length }, next);
}

// ---------------------------------------------------------------------------
// matmulPacked

Deno.test("packed product equals the plain triple loop at every tile edge, in every layout", async () => {
  // The packed kernel accumulates each entry as 0 + a_i0·b_0j + a_i1·b_1j + …
  // in order, exactly as the naive loop does, so the two agree bit for bit
  // even on long mantissas. Sizes 1, tile−1, tile, tile+1 and more for both
  // the 4-row and the 3-column tiles.
  const { matmulPacked } = await freshPacked();
  const next = doubles(2024);
  for (const m of [1, 2, 3, 4, 5, 7, 8, 9, 13]) {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 10]) {
      for (const k of [1, 2, 5]) {
        for (const [ta, tb] of [[false, false], [true, false], [false, true]]) {
          const a = fill(m * k, next);
          const b = fill(k * n, next);
          const a0 = a.slice(), b0 = b.slice();
          const c = matmulPacked(a, b, m, k, n, ta, tb);
          assert.deepEqual(
            c,
            naive(a, b, m, k, n, ta, tb),
            `${m}x${k}x${n} transA=${ta} transB=${tb}`,
          );
          assert.deepEqual(a, a0);
          assert.deepEqual(b, b0);
        }
      }
    }
  }
});

Deno.test("packed product grows its scratch panels for each larger operand, from empty", async () => {
  // A fresh module starts with empty panels; each shape below needs more
  // room for packed A (4·ceil(m/4)·k) or packed B (3·ceil(n/3)·k) than all
  // shapes before it, through a larger m, n or k; the last ones need less.
  const { matmulPacked } = await freshPacked();
  const next = integers(7);
  const shapes = [
    [4, 1, 3], // A 4, B 3
    [8, 1, 6], // A 8, B 6: more panels, k = 1
    [4, 4, 3], // A 16, B 12: one panel each, longer k
    [9, 5, 7], // A 60, B 45
    [13, 11, 10], // A 176, B 132
    [1, 1, 1], // smaller again: the panels are reused
    [5, 3, 4],
  ];
  for (const [m, k, n] of shapes) {
    const a = fill(m * k, next);
    const b = fill(k * n, next);
    assert.deepEqual(matmulPacked(a, b, m, k, n), naive(a, b, m, k, n));
  }
});

// ---------------------------------------------------------------------------
// matmulWasm: loading, memory growth and the size limit

const PAGE = 65536;

/** Bytes the kernel's regions take (wasm/matmul.wat; 16-byte aligned). */
function wasmBytes(m: number, k: number, n: number): number {
  const even = (x: number) => x + (x & 1);
  return 8 * (even(m * k) + even(k * n) + even(m * n) +
    2 * Math.ceil(m / 3) * 3 * k + Math.ceil(n / 6) * 6 * k + 18);
}

interface GrowCall {
  memory: WebAssembly.Memory;
  pages: number;
}

/**
 * Runs `f` with WebAssembly.Memory's grow recorded (and, with `fail`,
 * refused as an engine out of memory refuses it).
 */
function withGrowSpy<T>(fail: boolean, f: (calls: GrowCall[]) => T): T {
  const proto = WebAssembly.Memory.prototype;
  const grow = proto.grow;
  const calls: GrowCall[] = [];
  proto.grow = function (this: WebAssembly.Memory, pages: number): number {
    calls.push({ memory: this, pages });
    if (fail) throw new RangeError("WebAssembly.Memory.grow(): out of memory");
    return grow.call(this, pages);
  };
  try {
    return f(calls);
  } finally {
    proto.grow = grow;
  }
}

Deno.test("a fresh WebAssembly kernel loads, multiplies, and grows its memory to the fewest pages that hold the product", async () => {
  const { matmulWasm, wasmAvailable } = await freshWasm();
  assert.equal(wasmAvailable(), true);
  const next = integers(99);
  withGrowSpy(false, (calls) => {
    // [m, k, n, pages the memory holds afterwards]; integer entries, so
    // every order of summation gives the naive loop's entries exactly.
    const steps: [number, number, number, number][] = [
      [2, 3, 4, 1], // 576 bytes: the first 64 KiB page suffices
      [58, 44, 1, 2], // 65728 bytes, 192 past one page (ragged tiles)
      [59, 59, 31, 2], // 130912 bytes, 160 short of two pages
      [53, 48, 57, 2], // 131072 bytes: exactly two pages, no growth
      [53, 48, 57, 2], // the same again: no growth
      [100, 100, 100, 8], // 485,216 bytes: grows by six pages at once
      [3, 2, 1, 8], // small again: the memory is reused
    ];
    let memory: WebAssembly.Memory | undefined;
    let most = 0; // the most pages any product so far needed
    for (const [m, k, n, pages] of steps) {
      const a = fill(m * k, next);
      const b = fill(k * n, next);
      const c = matmulWasm(a, b, m, k, n);
      assert.ok(c !== null, `${m}x${k}x${n}`);
      assert.deepEqual(c, naive(a, b, m, k, n), `${m}x${k}x${n}`);
      // The fewest pages that hold this product and every earlier one.
      most = Math.max(most, Math.ceil(wasmBytes(m, k, n) / PAGE));
      assert.equal(most, pages);
      if (pages > 1 && memory === undefined) memory = calls[0]?.memory;
      const size = memory === undefined ? PAGE : memory.buffer.byteLength;
      assert.equal(size, pages * PAGE, `memory after ${m}x${k}x${n}`);
    }
    // Grown twice: to 2 pages, then to 8; never by 0 pages.
    assert.deepEqual(calls.map((c) => c.pages), [1, 6]);
  });
});

Deno.test("the WebAssembly kernel returns null, without growing, for products past its 2 GB limit", async () => {
  const { matmulWasm } = await freshWasm();
  const none = new Float64Array(0); // never read: the size is checked first
  withGrowSpy(true, (calls) => {
    // 1 x 8658943 x 12 needs exactly 2^31 − 65536 bytes (the limit): the
    // kernel tries to grow (refused here, so null); 1 x 19173375 x 1 needs 64
    // bytes more, and 20000³ far more: null at once.
    assert.equal(wasmBytes(1, 8658943, 12), 2 ** 31 - PAGE);
    assert.equal(wasmBytes(1, 19173375, 1), 2 ** 31 - PAGE + 64);
    assert.equal(matmulWasm(none, none, 1, 19173375, 1), null);
    assert.equal(matmulWasm(none, none, 20000, 20000, 20000), null);
    assert.equal(calls.length, 0);
    assert.equal(matmulWasm(none, none, 1, 8658943, 12), null);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].pages, 2 ** 15 - 2); // from 1 page to 2^15 − 1
  });
});

Deno.test("when its memory cannot grow, the WebAssembly kernel returns null", async () => {
  const { matmulWasm } = await freshWasm();
  const a = new Float64Array(100 * 100).fill(1);
  withGrowSpy(true, (calls) => {
    assert.equal(matmulWasm(a, a, 100, 100, 100), null);
    assert.equal(calls.length, 1);
  });
  // Growth allowed again: the same product goes through.
  const c = matmulWasm(a, a, 100, 100, 100);
  assert.ok(c !== null);
  assert.ok(c.every((v) => v === 100));
});

Deno.test("without WebAssembly the kernel reports itself unavailable and returns null", async () => {
  const { matmulWasm, wasmAvailable } = await freshWasm();
  const wasm = WebAssembly as unknown as { Module: unknown };
  const Module = wasm.Module;
  wasm.Module = function () {
    throw new WebAssembly.CompileError("relaxed SIMD is not supported");
  };
  try {
    assert.equal(wasmAvailable(), false);
    assert.equal(
      matmulWasm(Float64Array.of(2), Float64Array.of(3), 1, 1, 1),
      null,
    );
    assert.equal(wasmAvailable(), false);
  } finally {
    wasm.Module = Module;
  }
});

// ---------------------------------------------------------------------------
// matmul: the choice of path

const E30 = 1 + 2 ** -30;

/**
 * A 1 x 2 by 2 x n product whose entries are a0·b0 + a1·b1 with a0 = b0 =
 * scale·(1 + 2^-30), a1 = scale, b1 = −scale: fused, (1 + 2^-30)² − 1 =
 * 2^-29 + 2^-60 (times scale²); multiply-then-add loses the 2^-60.
 */
function fusedCase(n: number, scale: number) {
  const a = Float64Array.of(scale * E30, scale);
  const b = new Float64Array(2 * n);
  b.fill(scale * E30, 0, n);
  b.fill(-scale, n, 2 * n);
  return { a, b };
}

/**
 * Runs `f` with the WebAssembly memory reporting no room and refusing to
 * grow, so that every product the WebAssembly kernel would take returns null.
 */
function withoutWasmMemory<T>(f: () => T): T {
  const proto = WebAssembly.Memory.prototype;
  const buffer = Object.getOwnPropertyDescriptor(proto, "buffer");
  assert.ok(buffer !== undefined);
  Object.defineProperty(proto, "buffer", {
    ...buffer,
    get: () => new ArrayBuffer(0),
  });
  try {
    return withGrowSpy(true, () => f());
  } finally {
    Object.defineProperty(proto, "buffer", buffer);
  }
}

Deno.test("without the WebAssembly kernel, matmul rounds exactly up to FALLBACK_EXACT_LIMIT and plainly beyond", () => {
  assert.equal(FALLBACK_EXACT_LIMIT, 4096);
  // 1x2x2048 = 4096 multiply-adds: the exact (fused) path, every entry
  // (1 + 2^-30)² − 1 = 2^-29 + 2^-60; 1x2x2049 = 4098: the packed path,
  // fl(1 + 2^-29 + 2^-60) − 1 = 2^-29.
  withoutWasmMemory(() => {
    for (const [n, entry] of [[2048, 2 ** -29 + 2 ** -60], [2049, 2 ** -29]]) {
      const { a, b } = fusedCase(n, 1);
      const c = matmul(a, b, 1, 2, n);
      assert.ok(c instanceof Float64Array);
      assert.equal(c.length, n);
      assert.ok(c.every((v) => v === entry), `n = ${n}`);
    }
  });
  // With the kernel, 4098 multiply-adds are fused in hardware.
  const { a, b } = fusedCase(2049, 1);
  assert.ok(matmul(a, b, 1, 2, 2049).every((v) => v === 2 ** -29 + 2 ** -60));
});

Deno.test("matmul keeps products of EXACT_LIMIT multiply-adds on the software FMA, tiny products included", () => {
  // 1x2x64 = 128 multiply-adds. With scale 2^-500 the product a0·b0 is
  // about 9.3e-302, under the software FMA's 1e-290 floor, so it is rounded
  // before the add: (1 + 2^-29)·2^-1000 − 2^-1000 = 2^-1029 (hardware FMA
  // would keep 2^-1060 more).
  assert.equal(EXACT_LIMIT, 128);
  const { a, b } = fusedCase(64, 2 ** -500);
  const c = matmul(a, b, 1, 2, 64);
  assert.ok(c.every((v) => v === 2 ** -1029));
});

Deno.test("an empty inner dimension gives a zero product", () => {
  // Σ over no terms is 0: numpy.zeros((2, 0)) @ numpy.zeros((0, 3)) is all 0.
  const none = new Float64Array(0);
  assert.deepEqual(matmulExact(none, none, 2, 0, 3), new Float64Array(6));
  assert.deepEqual(matmul(none, none, 2, 0, 3), new Float64Array(6));
});

Deno.test("a sum of negative-zero products is +0, as numpy gives", () => {
  // numpy: np.array([[-0., -0.]]) @ np.array([[1.], [1.]]) -> [[0.]] (+0)
  const c = matmulExact(
    Float64Array.of(-0, -0),
    Float64Array.of(1, 1),
    1,
    2,
    1,
  );
  assert.ok(Object.is(c[0], 0), `got ${Object.is(c[0], -0) ? "-0" : c[0]}`);
});

// ---------------------------------------------------------------------------
// fma: the fused path and its fallbacks

Deno.test("fma rounds once on ordinary operands", () => {
  // (1 + 2^-30)² − 1 = 2^-29 + 2^-60 exactly; two roundings would give 2^-29.
  assert.equal(fma(E30, E30, -1), 2 ** -29 + 2 ** -60);
});

Deno.test("fma falls back to a·b + c for products that overflow", () => {
  // 1e200·1e200 overflows to Infinity; Infinity − 1 = Infinity.
  assert.equal(fma(1e200, 1e200, -1), Infinity);
  assert.equal(fma(-1e200, 1e200, 5), -Infinity);
});

Deno.test("fma falls back to a·b + c for a product of 1e300", () => {
  // Python: from fractions import Fraction as F; a = 1e300 / 7
  //   (1.4285714285714286e+299); a * 7 == 1e300 (rounded), and
  //   float(F(a) * 7 - F(1e300)) == -3.717542271194458e+283.
  const a = 1.4285714285714286e+299;
  assert.equal(a * 7, 1e300);
  assert.equal(fma(a, 7, -1e300), 0); // fallback: fl(a·7) − 1e300
});

Deno.test("fma fuses products from 1e-290 up, and falls back below", () => {
  // Python: a = 1e-290 / 7 (1.4285714285714286e-291); a * 7 == 1e-290, and
  //   float(F(a) * 7 - F(1e-290)) == -5.340177260417283e-307.
  const a = 1.4285714285714286e-291;
  assert.equal(a * 7, 1e-290);
  assert.equal(fma(a, 7, -1e-290), -5.340177260417283e-307);
  // (1 + 2^-30)²·2^-1000 is about 9.3e-302, under the bound: the product is
  // rounded to (1 + 2^-29)·2^-1000 before the add, leaving 2^-1029.
  const t = E30 * 2 ** -500;
  assert.equal(fma(t, t, -(2 ** -1000)), 2 ** -1029);
  // A product that is exactly zero is fused like any other: -0·1 + -0 by the
  // split gives +0 (see the numpy check on matmulExact above).
  assert.ok(Object.is(fma(-0, 1, -0), 0));
});

// ---------------------------------------------------------------------------
// binary / binaryFinite

Deno.test("binaryFinite returns null for a non-finite entry of same-shaped operands, for every op", () => {
  const max = Number.MAX_VALUE;
  // Same shapes (1 x 2, strides 2, 1): the contiguous loop. The first entry
  // is finite, the second overflows or is NaN.
  const cases: [
    "add" | "sub" | "mul" | "div",
    number[],
    number[],
    number[],
  ][] = [
    ["add", [1, max], [2, max], [3, Infinity]],
    ["sub", [1, max], [2, -max], [-1, Infinity]],
    ["sub", [1, Infinity], [2, Infinity], [-1, NaN]],
    ["mul", [3, max], [2, 2], [6, Infinity]],
    ["div", [3, max], [2, 0.5], [1.5, Infinity]],
    ["div", [3, 0], [2, 0], [1.5, NaN]],
  ];
  for (const [op, x, y, expected] of cases) {
    const a = Float64Array.from(x), b = Float64Array.from(y);
    assert.equal(binaryFinite(op, a, b, 1, 2, 2, 1, 2, 1), null, op);
    // Entry by entry (Object.is): a NaN's bit pattern is the engine's.
    const out = binary(op, a, b, 1, 2, 2, 1, 2, 1);
    assert.equal(out.length, 2);
    expected.forEach((v, i) => assert.ok(Object.is(out[i], v), `${op} ${i}`));
    // Finite entries only: the result itself.
    const fa = Float64Array.of(x[0]), fb = Float64Array.of(y[0]);
    assert.deepEqual(
      binaryFinite(op, fa, fb, 1, 1, 1, 1, 1, 1),
      Float64Array.of(expected[0]),
    );
  }
});

Deno.test("binary honours a zero column stride even when the row strides match the width", () => {
  const a = Float64Array.of(1, 2, 3, 4);
  const b = Float64Array.of(10, 20, 30, 40);
  // out[i][j] = a[2i] − b[2i + j]: a's first column repeated across.
  assert.deepEqual(
    binary("sub", a, b, 2, 2, 2, 0, 2, 1),
    Float64Array.of(1 - 10, 1 - 20, 3 - 30, 3 - 40),
  );
  // out[i][j] = a[2i + j] − b[2i]: b's first column repeated across.
  assert.deepEqual(
    binary("sub", a, b, 2, 2, 2, 1, 2, 0),
    Float64Array.of(1 - 10, 2 - 10, 3 - 30, 4 - 30),
  );
  assert.deepEqual(
    binaryFinite("mul", a, b, 2, 2, 2, 0, 2, 1),
    Float64Array.of(10, 20, 90, 120),
  );
});
