// `deno task bench`: elementwise ops, reductions and transpose, on the
// article's sizes, on 256x256, and on the 100x100 and 1000x1000.
import {
  add,
  map,
  type Matrix,
  matrix,
  mul,
  relu,
  scale,
  sub,
  sum,
  sumAxis,
  transpose,
} from "../mod.ts";

function square(rows: number, cols: number, seed: number): Matrix {
  let s = seed >>> 0;
  return matrix(
    Array.from({ length: rows }, () =>
      Array.from({ length: cols }, () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32 - 0.5;
      })),
  );
}

for (
  const [r, c] of [[2, 3], [100, 32], [100, 100], [256, 256], [1000, 1000]]
) {
  const a = square(r, c, 1), b = square(r, c, 2), col = square(r, 1, 3);
  const g = `${r}x${c}`;
  Deno.bench({
    name: `add ${g}`,
    group: g,
    baseline: true,
    fn: () => void add(a, b),
  });
  Deno.bench({ name: `add column ${g}`, group: g, fn: () => void add(a, col) });
  Deno.bench({ name: `sub ${g}`, group: g, fn: () => void sub(a, b) });
  Deno.bench({ name: `mul ${g}`, group: g, fn: () => void mul(a, b) });
  Deno.bench({ name: `scale ${g}`, group: g, fn: () => void scale(a, 0.5) });
  Deno.bench({ name: `relu ${g}`, group: g, fn: () => void relu(a) });
  Deno.bench({
    name: `map relu ${g}`,
    group: g,
    fn: () => void map(a, (v) => (v > 0 ? v : 0)),
  });
  Deno.bench({ name: `transpose ${g}`, group: g, fn: () => void transpose(a) });
  Deno.bench({ name: `sum ${g}`, group: g, fn: () => void sum(a) });
  Deno.bench({
    name: `sumAxis 1 ${g}`,
    group: g,
    fn: () => void sumAxis(a, 1),
  });
}
