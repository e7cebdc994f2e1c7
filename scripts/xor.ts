/**
 * XOR, the problem a perceptron without a hidden layer cannot solve: a
 * small network with one hidden layer learns it.
 *
 * Run: `deno run scripts/xor.ts` (see `--help` for the flags).
 *
 * @module
 */
import { xor } from "../lib/data/datasets.ts";
import { decisionBoundary } from "../lib/viz/plot.ts";
import { runTraining, trainClassifier } from "./_learn.ts";

await runTraining({
  name: "xor",
  about:
    "Train a network with one hidden layer on XOR: the four corners of the unit\nsquare, class 1 where exactly one coordinate is 1.",
  defaults: {
    seed: 0,
    epochs: 300,
    learningRate: 0.05,
    hidden: 8,
    optimizer: "adam",
    batchSize: 4,
  },
  plotDescription:
    "the decision regions and the four points, and the confusion matrix",
  unit: "points",
}, (settings, onEpoch) => {
  const data = xor();
  const result = trainClassifier(data, settings, onEpoch, {
    activation: "tanh",
  });
  return {
    description:
      `4 points, 2 classes; network 2-${settings.hidden}-2 (tanh, softmax)`,
    history: result.history,
    params: result.params,
    trainAccuracy: result.trainAccuracy,
    trainSize: 4,
    confusion: result.confusion,
    confusionSet: "training",
    // runTraining takes the picture as SVG text.
    plot: () =>
      String(decisionBoundary(
        (points) => result.model.apply(result.params, points),
        data,
        {
          title: "XOR: what the network decides",
          xRange: [-0.5, 1.5],
          yRange: [-0.5, 1.5],
          classNames: ["0: x₁ XOR x₂ is false", "1: x₁ XOR x₂ is true"],
        },
      )),
  };
});
