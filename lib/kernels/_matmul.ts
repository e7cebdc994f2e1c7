// Numeric kernels over row-major Float64Arrays. They check nothing: callers
// validate shapes first. Each returns a fresh array and never writes into its
// inputs.
//
// The matrix product takes one of three paths:
// - `matmulExact`: a software FMA in OpenBLAS's order (`dotFma`), so that
//   small products round exactly as numpy's do (the article prints
//   113.28999999999999, not 113.29);
// - `matmulWasm`: WebAssembly SIMD with hardware fused multiply-add over
//   packed panels (wasm/matmul.wat). It adds the products in the same order
//   as `dotFma` with true FMAs, so it gives the same entries, bit for bit
//   (short of the software FMA's rare double-rounding slips), about 10 to 50
//   times faster; products of at least PARALLEL_LIMIT multiply-adds run it
//   on two threads (`matmulParallel`, lib/kernels/_matmul_parallel.ts), with
//   the same entries bit for bit;
// - `matmulPacked`: register-tiled TypeScript with plain multiply-then-add,
//   for engines that cannot run the WebAssembly kernel. It rounds
//   differently: each entry within a few units in the last place of
//   Σ|a_ip·b_pj| (tests/kernels_test.ts bounds it at 1e-12 of that).
// Below EXACT_LIMIT multiply-adds a trip into WebAssembly costs more than it
// saves (measured crossover about 100; see docs/benchmarks.md).
import { dotFma } from "./_fma.ts";
import { matmulPacked } from "./_matmul_packed.ts";
import { matmulWasm } from "./_matmul_wasm.ts";
import { matmulParallel, PARALLEL_LIMIT } from "./_matmul_parallel.ts";

/** Products with at most this many multiply-adds (m·k·n) stay in TypeScript. */
export const EXACT_LIMIT = 128;

/**
 * Without WebAssembly, products up to this size still take the exact path,
 * so they give the same entries on every engine.
 */
export const FALLBACK_EXACT_LIMIT = 4096;

/**
 * C = A·B for an m x k matrix A and a k x n matrix B, each entry rounded as
 * numpy's BLAS rounds short dot products (see `dotFma`), unless WebAssembly
 * is unavailable and the product is large. With `transA`, `a` holds Aᵀ
 * (k x m, row-major); with `transB`, `b` holds Bᵀ (n x k): products such as
 * A·Bᵀ then need no transposed copy.
 */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array {
  const work = m * k * n;
  if (work <= EXACT_LIMIT) return matmulExact(a, b, m, k, n, transA, transB);
  if (work >= PARALLEL_LIMIT) {
    const split = matmulParallel(a, b, m, k, n, transA, transB);
    if (split !== null) return split;
  }
  const fast = matmulWasm(a, b, m, k, n, transA, transB);
  if (fast !== null) return fast;
  if (work <= FALLBACK_EXACT_LIMIT) {
    return matmulExact(a, b, m, k, n, transA, transB);
  }
  return matmulPacked(a, b, m, k, n, transA, transB);
}

/**
 * C = A·B with each entry rounded as numpy's BLAS rounds it (see `dotFma`).
 * `transA` and `transB` as for {@linkcode matmul}.
 */
export function matmulExact(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array {
  const c = new Float64Array(m * n);
  if (k === 0) return c;
  // Row i of A starts at i·ars, step aStep; column j of B at j·bcs, step bStep.
  const ars = transA ? 1 : k, aStep = transA ? m : 1;
  const bcs = transB ? k : 1, bStep = transB ? 1 : n;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      c[i * n + j] = dotFma(a, i * ars, aStep, b, j * bcs, bStep, k);
    }
  }
  return c;
}
