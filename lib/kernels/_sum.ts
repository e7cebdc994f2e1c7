// numpy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src,
// pairwise_sum), reproduced so that our sums round exactly as numpy's do:
// fewer than 8 terms are added in order, up to 128 with eight interleaved
// partial sums, and longer runs are split in two halves (the first a multiple
// of 8 long) and summed recursively.

/** Sums `n` entries of `a` from `start`, rounding as `numpy.sum` does. */
export function pairwiseSum(
  a: ArrayLike<number>,
  start: number,
  n: number,
): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i];
    return s;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4],
      r5 = a[start + 5],
      r6 = a[start + 6],
      r7 = a[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = start + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) s += a[start + i];
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** Σ(u − d)² over two equally long arrays, summed as `numpy.sum` sums. */
export function sumOfSquaredDifferences(
  u: Float64Array,
  d: Float64Array,
): number {
  const sq = new Float64Array(u.length);
  for (let i = 0; i < sq.length; i++) {
    const e = u[i] - d[i];
    sq[i] = e * e;
  }
  return pairwiseSum(sq, 0, sq.length);
}
