// Fast matrix products for training, in plain float64 arithmetic (two
// roundings per multiply-add, no software FMA): the article's exact rounding
// matters for its 2x3 model, not for a network's gradients. Row-major, no
// checks; each returns a fresh array and never writes into its inputs.

/** C = A·B for A m x k and B k x n. */
export function gemm(
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
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const a0 = a[ai + p], a1 = a[ai + p + 1];
      const a2 = a[ai + p + 2], a3 = a[ai + p + 3];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] +
          a3 * b[b3 + j];
      }
    }
    for (; p < k; p++) {
      const av = a[ai + p];
      if (av === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
  return c;
}

/** C = A·Bᵀ for A m x k and B n x k. */
export function gemmNT(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        s0 += a[ai + p] * b[bj + p];
        s1 += a[ai + p + 1] * b[bj + p + 1];
        s2 += a[ai + p + 2] * b[bj + p + 2];
        s3 += a[ai + p + 3] * b[bj + p + 3];
      }
      for (; p < k; p++) s0 += a[ai + p] * b[bj + p];
      c[i * n + j] = (s0 + s1) + (s2 + s3);
    }
  }
  return c;
}

/** C = Aᵀ·B for A k x m and B k x n. */
export function gemmTN(
  a: Float64Array,
  b: Float64Array,
  k: number,
  m: number,
  n: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let p = 0; p < k; p++) {
    const ap = p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const av = a[ap + i];
      if (av === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
  return c;
}

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
