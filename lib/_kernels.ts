// Numeric kernels over row-major Float64Arrays. They check nothing: callers
// validate shapes first. Each returns a fresh array and never writes into its
// inputs.
import { dotFma } from "./_fma.ts";

/**
 * C = A·B for an m x k matrix A and a k x n matrix B, each entry rounded as
 * numpy's BLAS rounds it (see `dotFma`).
 */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) c[i * n + j] = dotFma(a, i * k, 1, b, j, n, k);
  }
  return c;
}
