// Per-call cost of small ops against the same allocation and loop written
// inline, in CPU time (process.cpuUsage: user + system; the machine these
// numbers come from is shared and busy, so wall time is noisier). Variants
// are measured in interleaved rounds, best of 15.
// Usage: deno run bench/_overhead.ts [rows] [cols]
import process from "node:process";
import {
  add,
  dot,
  grad,
  map,
  type Matrix,
  matrix,
  mul,
  relu,
  sigmoid,
  sub,
  sum,
  transpose,
} from "../mod.ts";
import { dataOf, fromData } from "../lib/core/_matrix.ts";

function rand(r: number, c: number): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < r; i++) {
    const row: number[] = [];
    for (let j = 0; j < c; j++) row.push(Math.random() * 2 - 1);
    rows.push(row);
  }
  return matrix(rows);
}

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3; // ms
}

const n = Number(Deno.args[0] ?? 100);
const m = Number(Deno.args[1] ?? n);
const a = rand(n, m), b = rand(n, m);
// Many ops first, so that the call sites inside defineOp are polymorphic, as
// in a training loop.
for (let i = 0; i < 200; i++) {
  sum(sigmoid(sub(mul(add(a, b), b), a)));
  grad((p: Matrix) => sum(relu(add(p, b))))(a);
  map(a, (v) => v);
  dot(a, transpose(b));
}
const variants: Record<string, () => unknown> = {
  "relu (public)": () => relu(a),
  "relu (inline, ternary)": () => {
    const x = dataOf(a);
    const y = new Float64Array(x.length);
    for (let i = 0; i < y.length; i++) {
      const v = x[i];
      y[i] = v > 0 ? v : 0;
    }
    return fromData(n, m, y);
  },
  "relu (inline, Math.max)": () => {
    const x = dataOf(a);
    const y = new Float64Array(x.length);
    for (let i = 0; i < y.length; i++) y[i] = Math.max(x[i], 0);
    return fromData(n, m, y);
  },
  "add (public)": () => add(a, b),
  "add (inline)": () => {
    const x = dataOf(a), z = dataOf(b);
    const y = new Float64Array(x.length);
    let finite = true;
    for (let i = 0; i < y.length; i++) {
      const v = x[i] + z[i];
      y[i] = v;
      if (v - v !== 0) finite = false;
    }
    if (!finite) throw new RangeError("not finite");
    return fromData(n, m, y);
  },
  "mul (public)": () => mul(a, b),
  "new Float64Array only": () => new Float64Array(n * m),
};
const reps = Math.max(20, Math.floor(2e6 / (n * m)));
const best: Record<string, number> = {};
for (let round = 0; round < 16; round++) {
  for (const [name, f] of Object.entries(variants)) {
    const t0 = cpu();
    for (let i = 0; i < reps; i++) f();
    const t = (cpu() - t0) / reps;
    // round 0 warms up
    if (round > 0) best[name] = Math.min(best[name] ?? Infinity, t);
  }
}
for (const [name, t] of Object.entries(best)) {
  console.log(
    `${`${name}, ${n}x${m}`.padEnd(34)} ${
      (t * 1e3).toFixed(2).padStart(8)
    } µs ${(t * 1e6 / (n * m)).toFixed(2).padStart(6)} ns/entry`,
  );
}
