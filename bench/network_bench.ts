// `deno task bench`: one iteration of the networks (bench/_networks.ts)
// — TwoLayerNet through `fit` and through `valueAndGrad` of a user-written
// loss, dense and MNIST-like input, and SimpleConvNet through `fit`.
import { fit, sgd } from "../mod.ts";
import {
  BATCH,
  batchesOf,
  LEARNING_RATE,
  mnistLike,
  SAMPLES,
  simpleConvNet,
  twoLayerNet,
  twoLayerParams,
  valueAndGradIteration,
} from "./_networks.ts";

const optimizer = sgd(LEARNING_RATE);
for (const sparse of [false, true]) {
  const data = mnistLike(sparse);
  const kind = sparse ? "MNIST-like (80 % zeros)" : "dense";
  const { model, params } = twoLayerNet();
  Deno.bench({
    name: `TwoLayerNet, ${kind}: fit, 1 epoch = ${SAMPLES / BATCH} iterations`,
    group: `TwoLayerNet ${kind}`,
    baseline: true,
    fn: () =>
      void fit(model, params, data, {
        epochs: 1,
        batchSize: BATCH,
        optimizer,
      }),
  });
  const batches = batchesOf(data);
  const step = valueAndGradIteration(optimizer);
  const p0 = twoLayerParams();
  Deno.bench({
    name:
      `TwoLayerNet, ${kind}: valueAndGrad + sgd, ${batches.length} iterations`,
    group: `TwoLayerNet ${kind}`,
    fn: () => {
      let p = p0, state = optimizer.init(p0);
      for (const batch of batches) {
        ({ params: p, state } = step(p, state, batch));
      }
    },
  });
}

const conv = simpleConvNet();
const convData = mnistLike(false);
Deno.bench({
  name: `SimpleConvNet: fit, 1 epoch = ${SAMPLES / BATCH} iterations`,
  group: "SimpleConvNet",
  n: 5,
  fn: () =>
    void fit(conv.model, conv.params, convData, {
      epochs: 1,
      batchSize: BATCH,
      optimizer,
    }),
});
