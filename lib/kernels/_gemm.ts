// Helpers for training's matrix products: a product that skips the zero
// entries of its left operand (images are mostly blank), and layout helpers.
// Dense products go through `matmul` in _kernels.ts. Row-major, no checks;
// each returns a fresh array and never writes into its inputs.

/**
 * C = A·B for A m x k and B k x n, skipping each zero entry of A: for a
 * sparse A (such as images with blank borders) it does work only for the
 * non-zero entries.
 */
export function gemmSparseA(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let p = 0; p < k; p++) {
      const av = a[ai + p];
      if (av === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
  return c;
}

/** The transpose of an r x c row-major array, c x r. */
export function transposeData(
  a: Float64Array,
  r: number,
  c: number,
): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const ai = i * c;
    for (let j = 0; j < c; j++) out[j * r + i] = a[ai + j];
  }
  return out;
}

/** Whether at least half of the entries are zero. */
export function mostlyZero(a: Float64Array): boolean {
  let zeros = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === 0) zeros++;
  return zeros * 2 >= a.length;
}
