// `deno task bench`: the matrix product at several sizes, and each kernel
// path on its own (see lib/kernels/_matmul.ts).
import { dot, type Matrix, matrix } from "../mod.ts";
import { matmulExact } from "../lib/kernels/_matmul.ts";
import { matmulPacked } from "../lib/kernels/_matmul_packed.ts";
import { matmulWasm } from "../lib/kernels/_matmul_wasm.ts";

function data(len: number, seed: number): Float64Array {
  const out = new Float64Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

function square(n: number, seed: number): Matrix {
  const d = data(n * n, seed);
  return matrix(
    Array.from(
      { length: n },
      (_, i) => Array.from(d.subarray(i * n, (i + 1) * n)),
    ),
  );
}

for (const n of [2, 8, 16, 32, 64, 128, 256, 512]) {
  const a = square(n, 1), b = square(n, 2);
  Deno.bench({
    name: `dot ${n}x${n}`,
    group: `dot ${n}`,
    baseline: true,
    fn: () => void dot(a, b),
  });
  const da = data(n * n, 1), db = data(n * n, 2);
  Deno.bench({
    name: `wasm kernel ${n}x${n}`,
    group: `dot ${n}`,
    fn: () => void matmulWasm(da, db, n, n, n),
  });
  Deno.bench({
    name: `packed TS kernel ${n}x${n}`,
    group: `dot ${n}`,
    fn: () => void matmulPacked(da, db, n, n, n),
  });
  if (n <= 128) {
    Deno.bench({
      name: `exact TS kernel ${n}x${n}`,
      group: `dot ${n}`,
      fn: () => void matmulExact(da, db, n, n, n),
    });
  }
}
