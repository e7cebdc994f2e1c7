// The matrix-product kernels: the WebAssembly path, the packed TypeScript
// path and the exact (numpy-rounding) path agree; none writes into its
// inputs; the committed WebAssembly binary is what wasm/matmul.wat builds.
import assert from "node:assert/strict";
import fc from "fast-check";
import { EXACT_LIMIT, matmul, matmulExact } from "../lib/kernels/_matmul.ts";
import {
  binary,
  binaryFinite,
  type BinaryOp,
} from "../lib/kernels/_elementwise.ts";
import { matmulPacked } from "../lib/kernels/_matmul_packed.ts";
import { matmulWasm, wasmAvailable } from "../lib/kernels/_matmul_wasm.ts";
import {
  WASM_MATMUL_BASE64,
  WASM_MATMUL_SHARED_BASE64,
} from "../lib/kernels/_wasm_matmul_bytes.ts";
import {
  holdWorker,
  IDLE_MS,
  matmulParallel,
  PARALLEL_LIMIT,
  parallelReady,
  setIdleTimeout,
  setParallel,
  setTakeTimeout,
  workerHalves,
  workerState,
} from "../lib/kernels/_matmul_parallel.ts";
import { dot, matrix, toArray } from "../mod.ts";

interface Case {
  m: number;
  k: number;
  n: number;
  a: Float64Array;
  b: Float64Array;
}

const entry = fc.double({
  min: -1000,
  max: 1000,
  noNaN: true,
  noDefaultInfinity: true,
});

function arbCase(maxDim: number): fc.Arbitrary<Case> {
  return fc.record({
    m: fc.integer({ min: 1, max: maxDim }),
    k: fc.integer({ min: 1, max: maxDim }),
    n: fc.integer({ min: 1, max: maxDim }),
  }).chain(({ m, k, n }) =>
    fc.record({
      m: fc.constant(m),
      k: fc.constant(k),
      n: fc.constant(n),
      a: fc.array(entry, { minLength: m * k, maxLength: m * k }).map((v) =>
        Float64Array.from(v)
      ),
      b: fc.array(entry, { minLength: k * n, maxLength: k * n }).map((v) =>
        Float64Array.from(v)
      ),
    })
  );
}

/** Σ_p |a_ip·b_pj|: the scale against which an entry's rounding is judged. */
function magnitudes(c: Case): Float64Array {
  const { m, k, n, a, b } = c;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += Math.abs(a[i * k + p] * b[p * n + j]);
      out[i * n + j] = s;
    }
  }
  return out;
}

/** Every entry within 1e-12 of its magnitude (relative, FMA or not). */
function assertClose(
  actual: Float64Array,
  expected: Float64Array,
  scale: Float64Array,
): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const tol = 1e-300 + 1e-12 * scale[i];
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `entry ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`,
    );
  }
}

Deno.test("the WebAssembly kernel runs in this Deno", () => {
  assert.equal(wasmAvailable(), true);
});

Deno.test("wasm and exact paths agree within 1e-12 relative on random shapes", () => {
  fc.assert(
    fc.property(arbCase(24), (c) => {
      const exact = matmulExact(c.a, c.b, c.m, c.k, c.n);
      const fast = matmulWasm(c.a, c.b, c.m, c.k, c.n);
      assert.ok(fast !== null);
      assertClose(fast, exact, magnitudes(c));
    }),
    { seed: 4, numRuns: 200 },
  );
});

Deno.test("wasm and packed TypeScript paths agree within 1e-12 relative", () => {
  fc.assert(
    fc.property(arbCase(40), (c) => {
      const fast = matmulWasm(c.a, c.b, c.m, c.k, c.n);
      const packed = matmulPacked(c.a, c.b, c.m, c.k, c.n);
      assert.ok(fast !== null);
      assertClose(packed, fast, magnitudes(c));
    }),
    { seed: 5, numRuns: 200 },
  );
});

Deno.test("wasm path rounds like the exact path, entry for entry", () => {
  // Values with long mantissas, so that FMA and multiply-then-add differ.
  let state = 12345;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  for (const [m, k, n] of [[7, 2, 5], [13, 3, 11], [9, 17, 8], [31, 64, 29]]) {
    const a = Float64Array.from({ length: m * k }, next);
    const b = Float64Array.from({ length: k * n }, next);
    const exact = matmulExact(a, b, m, k, n);
    const fast = matmulWasm(a, b, m, k, n);
    const packed = matmulPacked(a, b, m, k, n);
    assert.deepEqual(fast, exact);
    if (m === 31) {
      // This check can fail: plain multiply-then-add differs somewhere.
      assert.notDeepEqual(packed, exact);
    }
  }
});

function transposed(
  data: Float64Array,
  rows: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  }
  return out;
}

Deno.test("transposed operands give the product of the transposes, on every path", () => {
  fc.assert(
    fc.property(arbCase(20), fc.boolean(), fc.boolean(), (c, ta, tb) => {
      const { m, k, n } = c;
      const a = ta ? transposed(c.a, m, k) : c.a;
      const b = tb ? transposed(c.b, k, n) : c.b;
      const expected = matmulExact(c.a, c.b, m, k, n);
      // The exact and wasm paths add in the same order whatever the layout.
      assert.deepEqual(matmulExact(a, b, m, k, n, ta, tb), expected);
      const fast = matmulWasm(a, b, m, k, n, ta, tb);
      assert.ok(fast !== null);
      assertClose(fast, expected, magnitudes(c));
      assertClose(matmulPacked(a, b, m, k, n, ta, tb), expected, magnitudes(c));
      assertClose(matmul(a, b, m, k, n, ta, tb), expected, magnitudes(c));
    }),
    { seed: 7, numRuns: 200 },
  );
});

Deno.test("no kernel writes into its inputs, and each returns a fresh array", () => {
  fc.assert(
    fc.property(arbCase(20), (c) => {
      const a0 = c.a.slice();
      const b0 = c.b.slice();
      const kernels = [matmul, matmulExact, matmulPacked, matmulWasm];
      const results = kernels.map((f) => f(c.a, c.b, c.m, c.k, c.n));
      assert.deepEqual(c.a, a0);
      assert.deepEqual(c.b, b0);
      for (const r of results) {
        assert.ok(r !== null);
        assert.ok(r instanceof Float64Array);
        assert.equal(r.length, c.m * c.n);
        // A fresh array, not a view into the WebAssembly memory.
        assert.equal(r.byteOffset, 0);
        assert.equal(r.buffer.byteLength, r.byteLength);
        assert.notEqual(r.buffer, c.a.buffer);
        assert.notEqual(r.buffer, c.b.buffer);
      }
      assert.notEqual(results[0]?.buffer, results[3]?.buffer);
    }),
    { seed: 6, numRuns: 60 },
  );
});

Deno.test("results stay intact when the WebAssembly memory is reused and grows", () => {
  const small = matmulWasm(
    Float64Array.of(1, 2),
    Float64Array.of(3, 4),
    1,
    2,
    1,
  );
  assert.deepEqual(small, Float64Array.of(11));
  const n = 300; // 5 x 720 KB: grows the memory past its first page
  const a = new Float64Array(n * n).fill(1);
  const b = new Float64Array(n * n).fill(2);
  const big = matmulWasm(a, b, n, n, n);
  assert.ok(big !== null);
  assert.ok(big.every((v) => v === 2 * n));
  assert.deepEqual(small, Float64Array.of(11));
  const again = matmulWasm(Float64Array.of(2), Float64Array.of(5), 1, 1, 1);
  assert.deepEqual(again, Float64Array.of(10));
  assert.ok(big.every((v) => v === 2 * n));
});

Deno.test("matmul gives the exact path's entries on either side of the crossover", () => {
  // 1x16x8 = 128 multiply-adds (exact path) and 1x16x9 = 144 (wasm path).
  for (const n of [8, 9]) {
    assert.ok((n === 8) === (16 * n <= EXACT_LIMIT));
    const a = Float64Array.from({ length: 16 }, (_, i) => 0.1 * (i + 1));
    const b = Float64Array.from({ length: 16 * n }, (_, i) => 0.3 - 0.07 * i);
    assert.deepEqual(matmul(a, b, 1, 16, n), matmulExact(a, b, 1, 16, n));
  }
});

Deno.test("dot on a large product matches numpy", () => {
  // numpy: a = np.arange(1, 13).reshape(3, 4) / 10; b = np.arange(1, 21)
  //   .reshape(4, 5) / 7; print(a.dot(b).tolist()) -- 60 multiply-adds are
  // below the crossover, so widen: np.tile(a, (4, 1)) by np.tile(b, (1, 4)).
  const a = matrix(
    Array.from(
      { length: 12 },
      (_, i) => Array.from({ length: 4 }, (_, j) => ((i % 3) * 4 + j + 1) / 10),
    ),
  );
  const b = matrix(
    Array.from(
      { length: 4 },
      (_, i) => Array.from({ length: 20 }, (_, j) => (i * 5 + (j % 5) + 1) / 7),
    ),
  );
  const c = toArray(dot(a, b));
  assert.equal(c.length, 12);
  assert.equal(c[0].length, 20);
  assert.deepEqual(c[0].slice(0, 5), NUMPY_ROW0);
  assert.deepEqual(c[11].slice(15, 20), NUMPY_ROW2);
});

const NUMPY_ROW0 = [
  1.5714285714285714,
  1.7142857142857142,
  1.8571428571428572,
  2.0,
  2.142857142857143,
];
const NUMPY_ROW2 = [
  5.457142857142857,
  6.057142857142857,
  6.6571428571428575,
  7.257142857142857,
  7.857142857142858,
];

const canRead = Deno.permissions.querySync({ name: "read" }).state ===
  "granted";

Deno.test({
  name: "the committed WebAssembly binary is what wasm/matmul.wat builds",
  ignore: !canRead,
  async fn() {
    const { assemble, sharedVariant, WAT_PATH } = await import(
      "../wasm/build.ts"
    );
    const wat = await Deno.readTextFile(WAT_PATH);
    const bytes = (base64: string) =>
      Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
    assert.deepEqual(bytes(WASM_MATMUL_BASE64), await assemble(wat));
    assert.deepEqual(
      bytes(WASM_MATMUL_SHARED_BASE64),
      await assemble(sharedVariant(wat)),
    );
  },
});

Deno.test("elementwise kernels broadcast as numpy does and never write into their inputs", () => {
  const shape = fc.record({
    rows: fc.integer({ min: 1, max: 6 }),
    cols: fc.integer({ min: 1, max: 6 }),
  });
  fc.assert(
    fc.property(
      shape,
      fc.constantFrom("same", "column", "row", "scalar", "both"),
      fc.constantFrom("add", "sub", "mul", "div") as fc.Arbitrary<BinaryOp>,
      fc.array(entry, { minLength: 72, maxLength: 72 }),
      ({ rows, cols }, kind, op, values) => {
        // a is rows x cols; b's shape depends on `kind`; "both" broadcasts a
        // column against a row.
        const aRows = rows, aCols = kind === "both" ? 1 : cols;
        const bRows = kind === "column" || kind === "same" ? rows : 1;
        const bCols = kind === "row" || kind === "same" || kind === "both"
          ? cols
          : 1;
        const a = Float64Array.from(values.slice(0, aRows * aCols));
        const b = Float64Array.from(
          values.slice(36, 36 + bRows * bCols),
          (v) => (op === "div" && v === 0 ? 1 : v),
        );
        const a0 = a.slice(), b0 = b.slice();
        const out = binary(
          op,
          a,
          b,
          rows,
          cols,
          aRows === 1 ? 0 : aCols,
          aCols === 1 ? 0 : 1,
          bRows === 1 ? 0 : bCols,
          bCols === 1 ? 0 : 1,
        );
        const f = {
          add: (x: number, y: number) => x + y,
          sub: (x: number, y: number) => x - y,
          mul: (x: number, y: number) => x * y,
          div: (x: number, y: number) => x / y,
        }[op];
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            const x = a[(aRows === 1 ? 0 : i) * aCols + (aCols === 1 ? 0 : j)];
            const y = b[(bRows === 1 ? 0 : i) * bCols + (bCols === 1 ? 0 : j)];
            assert.ok(Object.is(out[i * cols + j], f(x, y)));
          }
        }
        assert.deepEqual(a, a0);
        assert.deepEqual(b, b0);
      },
    ),
    { seed: 8, numRuns: 300 },
  );
});

Deno.test("binaryFinite: the kernel's result, or null when an entry is not finite", () => {
  const big = Float64Array.of(1, 1e300, 3, 4);
  const ops: BinaryOp[] = ["add", "sub", "mul", "div"];
  for (const op of ops) {
    // Same shapes, and a column broadcast across a row (strided loop).
    for (const [rows, cols, brs, bcs] of [[2, 2, 2, 1], [2, 2, 1, 0]]) {
      const b = Float64Array.of(2, 0.5, 0.25, 8);
      assert.deepEqual(
        binaryFinite(op, big, b, rows, cols, 2, 1, brs, bcs),
        binary(op, big, b, rows, cols, 2, 1, brs, bcs),
      );
    }
  }
  const huge = Float64Array.of(Number.MAX_VALUE, -Number.MAX_VALUE);
  assert.equal(binaryFinite("add", huge, huge, 1, 2, 2, 1, 2, 1), null);
  assert.equal(
    binaryFinite("sub", huge, huge.map((v) => -v), 2, 1, 1, 0, 1, 0),
    null,
  );
  assert.equal(binaryFinite("mul", huge, huge, 1, 2, 0, 1, 0, 1), null);
  assert.equal(
    binaryFinite("div", huge, Float64Array.of(0.5), 1, 2, 0, 1, 0, 0),
    null,
  );
});

/**
 * Waits (a few seconds at most) for the product's Worker to be ready, and
 * keeps it from closing when idle while a test computes its inputs; each
 * test that calls this restores the default with `relax` at its end.
 */
async function workerReady(): Promise<boolean> {
  setIdleTimeout(60_000);
  for (let i = 0; i < 400 && !parallelReady(); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return parallelReady();
}

/**
 * The defaults again: no wait for the Worker, it closes when idle, and its
 * misses are forgotten (so the next test starts afresh).
 */
function relax(): void {
  setTakeTimeout(0);
  setIdleTimeout(IDLE_MS);
  setParallel(true);
}

/** Random entries of both signs, with a few exact zeros and -0. */
function entries(length: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out[i] = u < 0.02 ? 0 : u < 0.03 ? -0 : (u - 0.5) * 2 ** (s % 7);
  }
  return out;
}

Deno.test("the two-core product gives the single-thread entries bit for bit, and never writes into its inputs", async () => {
  assert.equal(await workerReady(), true);
  // Wait for the Worker to take its half, however busy the machine.
  setTakeTimeout(60_000);
  // Odd sizes, rows not a multiple of 3 or 6, k of 1 and 2 (the swapped
  // first steps), and every transposition; all at least PARALLEL_LIMIT.
  const shapes: [number, number, number][] = [
    [6, 2 ** 19, 1],
    [7, 1, 2 ** 19 + 3],
    [2 ** 18 + 5, 2, 6],
    [101, 787, 103],
    [100, 784, 100],
    [131, 129, 127],
    [257, 64, 255],
    [64, 512, 65],
  ];
  let seed = 1;
  for (const [m, k, n] of shapes) {
    assert.ok(m * k * n >= PARALLEL_LIMIT);
    for (
      const [ta, tb] of [[false, false], [true, false], [false, true], [
        true,
        true,
      ]]
    ) {
      const a = entries(m * k, seed++), b = entries(k * n, seed++);
      const a0 = a.slice(), b0 = b.slice();
      const one = matmulWasm(a, b, m, k, n, ta, tb) as Float64Array;
      const two = matmulParallel(a, b, m, k, n, ta, tb);
      assert.ok(two !== null, `${m}x${k}x${n} not split`);
      assert.ok(!(two.buffer instanceof SharedArrayBuffer));
      assert.deepEqual(two, one, `${m}x${k}x${n} ${ta} ${tb}`);
      for (let i = 0; i < one.length; i++) {
        if (!Object.is(one[i], two[i])) {
          assert.fail(`entry ${i} of ${m}x${k}x${n}`);
        }
      }
      assert.deepEqual(a, a0);
      assert.deepEqual(b, b0);
    }
  }
  relax();
});

Deno.test("random shapes: matmul on two cores, on one, and the exact path agree", async () => {
  assert.equal(await workerReady(), true);
  setTakeTimeout(60_000);
  fc.assert(
    fc.property(
      fc.integer({ min: 6, max: 140 }),
      fc.integer({ min: 1, max: 300 }),
      fc.integer({ min: 1, max: 140 }),
      fc.boolean(),
      fc.boolean(),
      fc.integer(),
      (m, k, n, ta, tb, seed) => {
        const a = entries(m * k, seed), b = entries(k * n, seed + 1);
        const one = matmulWasm(a, b, m, k, n, ta, tb) as Float64Array;
        const two = matmulParallel(a, b, m, k, n, ta, tb);
        if (m * k * n < PARALLEL_LIMIT) return two === null;
        return two !== null && one.every((v, i) => Object.is(v, two[i])) &&
          matmul(a, b, m, k, n, ta, tb).every((v, i) => Object.is(v, one[i]));
      },
    ),
    { numRuns: 60 },
  );
  relax();
});

Deno.test("the fallbacks: parallel off, and a half the Worker has not taken in time, give the same entries", async () => {
  assert.equal(await workerReady(), true);
  const [m, k, n] = [99, 301, 97];
  const a = entries(m * k, 7), b = entries(k * n, 8);
  const one = matmulWasm(a, b, m, k, n) as Float64Array;
  try {
    setParallel(false);
    assert.equal(parallelReady(), false);
    assert.equal(matmulParallel(a, b, m, k, n), null);
    assert.deepEqual(matmul(a, b, m, k, n), one);
    setParallel(true);
    // A take timeout of 0 (the default): this thread cancels the Worker's
    // half and does it itself whenever the Worker has not taken it by the
    // time this thread's half is done; the products after such a miss skip
    // the Worker (null here, one thread in matmul).
    setTakeTimeout(0);
    for (let i = 0; i < 20; i++) {
      const two = matmulParallel(a, b, m, k, n);
      if (two !== null) assert.deepEqual(two, one);
      assert.deepEqual(matmul(a, b, m, k, n), one);
    }
  } finally {
    setParallel(true);
    setTakeTimeout(60_000);
  }
  // and the Worker still works afterwards
  assert.deepEqual(matmulParallel(a, b, m, k, n), one);
  relax();
});

Deno.test("the Worker closes itself when idle (so it never keeps the process alive), and the next large product starts another", async () => {
  assert.equal(await workerReady(), true);
  assert.equal(workerState(), "ready");
  // Idle for at least IDLE_MS: it closes (within a few seconds however
  // busy the machine).
  setIdleTimeout(IDLE_MS);
  for (let i = 0; i < 100 && workerState() !== "closed"; i++) {
    await new Promise((r) => setTimeout(r, IDLE_MS));
  }
  assert.equal(workerState(), "closed");
  const [m, k, n] = [120, 150, 130];
  const a = entries(m * k, 11), b = entries(k * n, 12);
  const one = matmulWasm(a, b, m, k, n) as Float64Array;
  // A closed Worker takes no job: this product runs on one thread and
  // starts another Worker.
  assert.equal(matmulParallel(a, b, m, k, n), null);
  assert.equal(workerState(), "starting");
  assert.deepEqual(matmul(a, b, m, k, n), one);
  assert.equal(await workerReady(), true);
  setTakeTimeout(60_000);
  try {
    const two = matmulParallel(a, b, m, k, n);
    assert.ok(two !== null);
    assert.deepEqual(two, one);
  } finally {
    relax();
  }
});

Deno.test("matmul splits a product of exactly PARALLEL_LIMIT multiply-adds, and not one of PARALLEL_LIMIT - 1", async () => {
  assert.equal(await workerReady(), true);
  setTakeTimeout(60_000);
  try {
    for (
      const [m, k, n, work, split] of [
        [128, 128, 128, 2_097_152, true], // 2^21
        [7, 299_593, 1, 2_097_151, false], // 2^21 - 1
        [6, 2 ** 20, 1, 6_291_456, true], // 6 rows, the fewest that are split
        [5, 2 ** 20, 1, 5_242_880, false], // fewer rows stay on one thread
        [2, 2 ** 21, 1, 4_194_304, false],
      ] as const
    ) {
      assert.equal(m * k * n, work);
      const a = entries(m * k, 21), b = entries(k * n, 22);
      const one = matmulWasm(a, b, m, k, n) as Float64Array;
      const before = workerHalves();
      assert.deepEqual(matmul(a, b, m, k, n), one);
      assert.equal(workerHalves() - before, split ? 1 : 0, `${m}x${k}x${n}`);
    }
  } finally {
    relax();
  }
});

Deno.test("a half the Worker has not taken is done here, and the next products skip the Worker 1, 2, 4, … times until it takes one again", async () => {
  assert.equal(await workerReady(), true);
  const [m, k, n] = [99, 301, 97];
  const a = entries(m * k, 31), b = entries(k * n, 32);
  const one = matmulWasm(a, b, m, k, n) as Float64Array;
  const before = workerHalves();
  setTakeTimeout(0);
  holdWorker(true);
  // p: posted and done here (the Worker held back); s: skipped (null).
  const pattern: string[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const two = matmulParallel(a, b, m, k, n);
      if (two !== null) assert.deepEqual(two, one);
      pattern.push(two === null ? "s" : "p");
    }
  } finally {
    holdWorker(false);
  }
  assert.equal(pattern.join(""), "pspsspsssspssssssssp");
  assert.equal(workerHalves(), before);
  // Five misses: the next 16 products skip the Worker; then one is posted,
  // the Worker takes it, and the misses are forgotten: the next miss skips
  // one product again.
  setTakeTimeout(60_000);
  try {
    for (let i = 0; i < 16; i++) {
      assert.equal(matmulParallel(a, b, m, k, n), null);
    }
    assert.deepEqual(matmulParallel(a, b, m, k, n), one);
    assert.equal(workerHalves(), before + 1);
    assert.deepEqual(matmulParallel(a, b, m, k, n), one);
    assert.equal(workerHalves(), before + 2);
    setTakeTimeout(0);
    holdWorker(true);
    const again: string[] = [];
    for (let i = 0; i < 4; i++) {
      again.push(matmulParallel(a, b, m, k, n) === null ? "s" : "p");
    }
    assert.equal(again.join(""), "psps");
  } finally {
    holdWorker(false);
    relax();
  }
});
