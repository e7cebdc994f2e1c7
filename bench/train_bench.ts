// `deno task bench`: the article's training loop through the public `train`,
// and one network training step (the spiral MLP of bench/_spiral.ts).
import { forward, gradient, matrix, squaredError, train } from "../mod.ts";
import { makeSpiral, toolkitSpiralEpoch } from "./_spiral.ts";

const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const x = matrix([[5], [2], [7]]);
const b = matrix([[1.2], [3.4]]);
const d = matrix([[1], [0]]);

Deno.bench({
  name: "train: 1,000 article steps",
  group: "article",
  baseline: true,
  fn: () =>
    void train({ w, b }, { x, d }, {
      learningRate: 0.0001,
      steps: 1000,
      logEvery: 10,
    }),
});
Deno.bench({
  name: "one step with forward + gradient (allocating)",
  group: "article",
  fn: () => {
    squaredError(forward({ w, b }, x), d);
    gradient({ w, b }, { x, d });
  },
});

const spiral = makeSpiral();
// TODO(MLP): bench the toolkit's `fit` for one epoch once it lands.
Deno.bench({
  name: "spiral MLP epoch, 10 SGD steps of batch 32 (public ops stand-in)",
  group: "network",
  fn: () => void toolkitSpiralEpoch(spiral),
});
