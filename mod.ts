/**
 * A toolkit for learning deep learning from first principles, starting with
 * the smallest neural network: the perceptron u = w·x + b trained on the loss
 * Σ(u − d)², as in the article "pythonで学ぶ深層学習".
 *
 * Everything works on immutable float64 matrices: no function changes its
 * arguments, and every operation returns a new {@linkcode Matrix}.
 *
 * @example The article, start to finish
 * ```ts
 * import { forward, matrix, squaredError, train } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
 * const x = matrix([[5], [2], [7]]);
 * const b = matrix([[1.2], [3.4]]);
 * const d = matrix([[1], [0]]);
 *
 * assert.equal(squaredError(forward({ w, b }, x), d), 113.28999999999999);
 * const { history } = train({ w, b }, { x, d }, { learningRate: 0.0001, steps: 100, logEvery: 10 });
 * assert.equal(history[9].loss, 6.684677848179767);
 * ```
 *
 * @module
 */
export { identity, Matrix, matrix, toArray, zeros } from "./lib/matrix.ts";
export {
  add,
  div,
  dot,
  map,
  mul,
  scale,
  sub,
  sum,
  sumAxis,
  transpose,
} from "./lib/ops.ts";
export { squaredError } from "./lib/loss.ts";
export {
  forward,
  gradient,
  type LossRecord,
  type Perceptron,
  type PerceptronGradient,
  type Samples,
  train,
  type TrainOptions,
  type TrainResult,
} from "./lib/perceptron.ts";
export {
  numericalGradient,
  type NumericalGradientOptions,
} from "./lib/numerical_gradient.ts";
export {
  grad,
  type Params,
  type ValueAndGrad,
  valueAndGrad,
} from "./lib/autodiff.ts";
export {
  exp,
  log,
  mean,
  relu,
  sigmoid,
  softmax,
  tanh,
} from "./lib/activations.ts";
export { accuracy, mse, softmaxCrossEntropy } from "./lib/losses.ts";
export { createRng, type Rng, shuffle } from "./lib/random.ts";
export {
  type Activation,
  type Dense,
  dense,
  evaluate,
  type Evaluation,
  type LossName,
  type Mlp,
  mlp,
  type MlpOptions,
  mlpValueAndGrad,
  predict,
} from "./lib/nn.ts";
export {
  adam,
  type AdamOptions,
  momentum,
  type MomentumOptions,
  type Optimizer,
  type OptimizerState,
  type OptimizerStep,
  sgd,
} from "./lib/optimizers.ts";
export {
  type EpochRecord,
  fit,
  type FitOptions,
  type FitResult,
} from "./lib/fit.ts";
export {
  type Dataset,
  fromSamples,
  moons,
  type MoonsOptions,
  oneHot,
  spiral,
  type SpiralOptions,
  type Split,
  type SplitOptions,
  trainTestSplit,
  xor,
} from "./lib/datasets.ts";
export {
  decisionBoundary,
  type DecisionBoundaryOptions,
  type LabelledPoints,
  lineChart,
  type LineChartOptions,
  type LineSeries,
} from "./lib/plot.ts";
export {
  asciiChart,
  type AsciiChartOptions,
  sparkline,
  type SparklineOptions,
} from "./lib/text_chart.ts";
