// Fused multiply-add in software. numpy's matrix product goes through BLAS,
// which on current x86-64 machines computes a·b + c with one rounding (FMA),
// not two. JavaScript has no Math.fma, so to print the very numbers numpy
// prints, products are formed exactly with Dekker's split and added with
// Knuth's two-sum.

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for float64

/**
 * a·b + c with (almost always) a single rounding. The exact product is
 * p + e (Dekker), p + c is s + t exactly (Knuth), and s + (t + e) rounds
 * once except in rare double-rounding ties. Falls back to a·b + c when the
 * product is so large or small that the split would overflow or lose bits.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  if (!(ap < 1e300) || (ap < 1e-290 && p !== 0)) return p + c;
  let t = SPLIT * a;
  const ahi = t - (t - a);
  const alo = a - ahi;
  t = SPLIT * b;
  const bhi = t - (t - b);
  const blo = b - bhi;
  const e = ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo;
  const s = p + c;
  const v = s - p;
  const sumErr = (p - (s - v)) + (c - v);
  return s + (sumErr + e);
}

/**
 * Σ a[aOff + i·aStep] · b[bOff + i·bStep] for i < k, accumulated with FMA in
 * the order OpenBLAS's double-precision kernels use for short vectors on
 * x86-64 (the second product first, then the first, then the rest in
 * order), so that the article's 3-long dot products round exactly as numpy's.
 */
export function dotFma(
  a: ArrayLike<number>,
  aOff: number,
  aStep: number,
  b: ArrayLike<number>,
  bOff: number,
  bStep: number,
  k: number,
): number {
  if (k === 1) return a[aOff] * b[bOff];
  let acc = a[aOff + aStep] * b[bOff + bStep];
  acc = fma(a[aOff], b[bOff], acc);
  for (let i = 2; i < k; i++) {
    acc = fma(a[aOff + i * aStep], b[bOff + i * bStep], acc);
  }
  return acc;
}
