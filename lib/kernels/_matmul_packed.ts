// The pure-TypeScript matrix-product kernel for sizes past the exact path:
// both operands are packed into contiguous panels (module-level scratch,
// reused across calls and never exposed), then each 4x3 tile of C is
// accumulated in 12 local variables, which V8 keeps in registers. Plain
// multiply-then-add, so it rounds a little differently from the FMA paths.

let packedA = new Float64Array(0);
let packedB = new Float64Array(0);

/**
 * C = A·B (m x k by k x n, row-major) into a fresh array, with register
 * tiling. With `transA`, `a` holds Aᵀ (k x m); with `transB`, `b` holds Bᵀ
 * (n x k). Never writes into `a` or `b`. Requires m, k, n ≥ 1.
 */
export function matmulPacked(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array {
  // Entry (i, p) of A is a[i·ars + p·acs]; entry (p, j) of B is b[p·brs + j·bcs].
  const ars = transA ? 1 : k, acs = transA ? m : 1;
  const brs = transB ? 1 : n, bcs = transB ? k : 1;
  const mPanels = Math.ceil(m / 4);
  const nPanels = Math.ceil(n / 3);
  if (packedA.length < mPanels * 4 * k) {
    packedA = new Float64Array(mPanels * 4 * k);
  }
  if (packedB.length < nPanels * 3 * k) {
    packedB = new Float64Array(nPanels * 3 * k);
  }
  const pa = packedA;
  const pb = packedB;
  // A in 4-row panels: for each p, A[i0..i0+3][p] side by side.
  for (let i = 0; i < mPanels * 4; i++) {
    let dst = (i >> 2) * 4 * k + (i & 3);
    if (i < m) {
      for (let p = 0, src = i * ars; p < k; p++, dst += 4, src += acs) {
        pa[dst] = a[src];
      }
    } else {
      for (let p = 0; p < k; p++, dst += 4) pa[dst] = 0;
    }
  }
  // B in 3-column panels: for each p, B[p][j0..j0+2] side by side.
  for (let p = 0; p < k; p++) {
    const src = p * brs;
    for (let jp = 0; jp < nPanels; jp++) {
      const dst = jp * 3 * k + p * 3;
      const j = jp * 3;
      pb[dst] = b[src + j * bcs];
      pb[dst + 1] = j + 1 < n ? b[src + (j + 1) * bcs] : 0;
      pb[dst + 2] = j + 2 < n ? b[src + (j + 2) * bcs] : 0;
    }
  }
  const c = new Float64Array(m * n);
  for (let jp = 0; jp < nPanels; jp++) {
    const j = jp * 3;
    const bBase = jp * 3 * k;
    for (let ip = 0; ip < mPanels; ip++) {
      const i = ip * 4;
      let c00 = 0, c01 = 0, c02 = 0;
      let c10 = 0, c11 = 0, c12 = 0;
      let c20 = 0, c21 = 0, c22 = 0;
      let c30 = 0, c31 = 0, c32 = 0;
      let ai = ip * 4 * k;
      let bi = bBase;
      const end = bBase + 3 * k;
      for (; bi < end; bi += 3, ai += 4) {
        const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2];
        const a0 = pa[ai], a1 = pa[ai + 1], a2 = pa[ai + 2], a3 = pa[ai + 3];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
      }
      if (i + 4 <= m && j + 3 <= n) {
        let o = i * n + j;
        c[o] = c00, c[o + 1] = c01, c[o + 2] = c02, o += n;
        c[o] = c10, c[o + 1] = c11, c[o + 2] = c12, o += n;
        c[o] = c20, c[o + 1] = c21, c[o + 2] = c22, o += n;
        c[o] = c30, c[o + 1] = c31, c[o + 2] = c32;
      } else {
        const tile = [
          c00,
          c01,
          c02,
          c10,
          c11,
          c12,
          c20,
          c21,
          c22,
          c30,
          c31,
          c32,
        ];
        for (let r = 0; r < 4 && i + r < m; r++) {
          for (let q = 0; q < 3 && j + q < n; q++) {
            c[(i + r) * n + j + q] = tile[r * 3 + q];
          }
        }
      }
    }
  }
  return c;
}
