// `deno task bench`: the article's training loop through the public `train`,
// and one epoch of the spiral MLP of bench/_spiral.ts, through `fit` and
// written by hand with the public ops.
import {
  fit,
  forward,
  gradient,
  matrix,
  mlp,
  sgd,
  squaredError,
  train,
} from "../mod.ts";
import { makeSpiral, SPIRAL, toolkitSpiralEpoch } from "./_spiral.ts";

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

// The spiral row of `deno task compare`: one epoch of `fit`, set up as there.
const spiral = makeSpiral();
const { model, params } = mlp(
  [SPIRAL.inputs, SPIRAL.hidden, SPIRAL.classes],
  1,
);
const optimizer = sgd(SPIRAL.learningRate);
Deno.bench({
  name: "spiral MLP epoch through fit (batch 32)",
  group: "network",
  baseline: true,
  fn: () =>
    void fit(model, params, { x: spiral.x, d: spiral.d }, {
      epochs: 1,
      batchSize: SPIRAL.batchSize,
      optimizer,
    }),
});
Deno.bench({
  name: "spiral MLP epoch written by hand with the public ops",
  group: "network",
  fn: () => void toolkitSpiralEpoch(spiral),
});
