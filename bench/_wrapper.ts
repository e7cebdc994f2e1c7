// The cost of defineOp's wrapper alone: an op whose forward returns its
// argument, and the assertMatrix checks, in CPU time per call.
import process from "node:process";
import { add, defineOp, grad, type Matrix, matrix, relu, sum } from "../mod.ts";
import { assertMatrix } from "../lib/core/_checks.ts";
function cpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}
const id1 = defineOp({
  name: "id1",
  forward: (m: Matrix) => m,
  backward: (g) => g,
});
const id2 = defineOp({
  name: "id2",
  forward: (a: Matrix, _b: Matrix) => a,
  backward: (g) => [g, null],
});
const id3 = defineOp({
  name: "id3",
  forward: (a: Matrix, _b: Matrix) => a,
  backward: (g) => [g, null],
});
const a = matrix([[1, 2], [3, 4]]);
for (let i = 0; i < 100; i++) {
  grad((p: Matrix) => sum(relu(add(id3(id1(p), p), p))))(a);
}
const reps = 2_000_000;
function measure(name: string, f: () => unknown) {
  let sink: unknown;
  for (let i = 0; i < reps / 10; i++) sink = f();
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = cpu();
    for (let i = 0; i < reps; i++) sink = f();
    best = Math.min(best, (cpu() - t0) / reps);
  }
  console.log(name.padEnd(28), (best * 1e6).toFixed(1).padStart(6), "ns/call");
  return sink;
}
measure("defineOp, 1 argument", () => id1(a));
measure("defineOp, 2 arguments", () => id2(a, a));
measure("defineOp, 2 arguments (b)", () => id3(a, a));
measure("assertMatrix", () => assertMatrix(a, "f", "m"));
measure("nothing", () => a);
