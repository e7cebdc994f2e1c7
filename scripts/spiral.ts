/**
 * The three-armed spiral of Stanford's CS231n notes: no straight line
 * separates its classes, a network with one hidden layer does.
 *
 * Run: `deno run scripts/spiral.ts` (see `--help` for the flags).
 *
 * @module
 */
import { spiral } from "../lib/data/datasets.ts";
import { decisionBoundary } from "../lib/viz/plot.ts";
import { runTraining, trainClassifier } from "./_learn.ts";

await runTraining({
  name: "spiral",
  about:
    "Train a network with one hidden layer on three interleaved spiral arms\n(CS231n): 100 points per arm, generated from the seed.",
  defaults: {
    seed: 0,
    epochs: 200,
    learningRate: 0.01,
    hidden: 64,
    optimizer: "adam",
    batchSize: 32,
  },
  plotDescription:
    "the decision regions and the points, and the confusion matrix",
  unit: "points",
}, (settings, onEpoch) => {
  const data = spiral(settings.seed);
  const result = trainClassifier(data, settings, onEpoch, {
    activation: "relu",
  });
  return {
    description:
      `${data.x.cols} points, ${data.classes} classes; network 2-${settings.hidden}-${data.classes} (relu, softmax)`,
    history: result.history,
    params: result.params,
    trainAccuracy: result.trainAccuracy,
    trainSize: data.x.cols,
    confusion: result.confusion,
    confusionSet: "training",
    classNames: ["arm 0", "arm 1", "arm 2"],
    // runTraining takes the picture as SVG text.
    plot: () =>
      String(decisionBoundary(
        (points) => result.model.apply(result.params, points),
        data,
        {
          title: "Spiral: what the network decides",
          xRange: [-1.1, 1.1],
          yRange: [-1.1, 1.1],
          classNames: ["arm 0", "arm 1", "arm 2"],
        },
      )),
  };
});
