/**
 * A toolkit for learning deep learning from first principles, in TypeScript
 * with no dependencies. It starts where the article "pythonで学ぶ深層学習"
 * starts, with the smallest neural network, and reproduces every number the
 * article prints.
 *
 * ## 1. Matrices
 *
 * Everything works on {@linkcode Matrix}: immutable, dense float64 matrices
 * built with {@linkcode matrix}, {@linkcode zeros} and {@linkcode identity},
 * and read with {@linkcode toArray} or `m.at(i, j)`. No function changes its
 * arguments; every operation returns a new Matrix, and a Matrix never holds
 * NaN or ±Infinity. The operations follow numpy: {@linkcode dot} for the
 * matrix product, {@linkcode add}, {@linkcode sub}, {@linkcode mul} and
 * {@linkcode div} with numpy's broadcasting, {@linkcode scale},
 * {@linkcode transpose}, {@linkcode sum}, {@linkcode sumAxis} and
 * {@linkcode map}. Products and sums round as numpy's do, so the article's
 * `Loss: 113.28999999999999` comes out digit for digit.
 *
 * ## 2. The article's perceptron
 *
 * The model u = w·x + b is {@linkcode forward}; its loss Σ(u − d)² is
 * {@linkcode squaredError}; its analytic gradient is {@linkcode gradient};
 * and {@linkcode train} runs the article's gradient descent, recording the
 * loss as it goes. {@linkcode numericalGradient} checks any gradient by
 * central differences.
 *
 * ## 3. Beyond the article: networks
 *
 * From the perceptron the toolkit grows to networks, one idea at a time:
 *
 * - automatic differentiation: {@linkcode grad} and {@linkcode valueAndGrad}
 *   differentiate any function built from the toolkit's ops;
 *   {@linkcode checkGrads} compares them with central differences along
 *   seeded random directions, and {@linkcode numericalGradient} gives the
 *   differences entry by entry;
 * - your own ops: {@linkcode defineOp} makes a differentiable op from a
 *   forward and its backward, side by side, as every built-in op is made;
 * - computation graphs: {@linkcode computationGraph} shows every value and
 *   gradient `grad` computes, node by node, drawn by {@linkcode toDot}
 *   (Graphviz) and {@linkcode graphSvg};
 * - activations {@linkcode sigmoid}, {@linkcode tanh}, {@linkcode relu},
 *   {@linkcode leakyRelu}, {@linkcode softplus}, {@linkcode softmax} and
 *   {@linkcode logSoftmax} (with {@linkcode exp}, {@linkcode log},
 *   {@linkcode mean}), and losses {@linkcode squaredError}, {@linkcode mse}
 *   and {@linkcode softmaxCrossEntropy}, with {@linkcode accuracy};
 * - models as pure `init`/`apply` pairs: {@linkcode sequential} composes
 *   layers such as `layers.dense(2, 16)` and any Matrix → Matrix function
 *   such as `relu`; {@linkcode mlp} is the shortcut, {@linkcode evaluate}
 *   measures a model;
 * - optimizers {@linkcode sgd}, {@linkcode momentum} and {@linkcode adam},
 *   and the training loop {@linkcode fit} for any model and loss;
 * - seeded randomness: {@linkcode createRng} and {@linkcode shuffle};
 * - data sets ({@linkcode xor}, {@linkcode spiral}, {@linkcode moons}) and
 *   pictures ({@linkcode lineChart}, {@linkcode decisionBoundary},
 *   {@linkcode asciiChart}).
 * - small multiples for ゼロから作るDeep Learning chapter 6: optimizers' paths
 *   over contour lines ({@linkcode contourPaths}), activation histograms
 *   ({@linkcode histogramGrid}), panels of curves ({@linkcode lineChartGrid})
 *   and points coloured by a value on log axes ({@linkcode scatterPlot}).
 * - a classifier's confusion matrix as a heat map
 *   ({@linkcode confusionHeatmap}).
 *
 * Every picture is an {@linkcode Svg}: drawn inline in a Jupyter notebook
 * (`deno jupyter`), SVG text everywhere else (`String(svg)`, `svg.markup`).
 * A {@linkcode Matrix} shows as a table there.
 *
 * ## Errors, determinism, permissions
 *
 * Every export checks what a user can get wrong (types, shapes, finiteness,
 * integer and range of options, unknown option keys, more arguments than it
 * takes) and throws a `TypeError` or `RangeError` whose message names the
 * function, the argument, and what was expected against what was given,
 * such as `Expected options.steps of train(params, data, options) to be a
 * positive integer, got 1.5`. Exceptions thrown by your own callbacks pass
 * through unchanged. Nothing is random unless you pass a seed, and the
 * library needs no permissions.
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
 * @example Mistakes get messages written for you
 * ```ts
 * import { dot, matrix } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => dot(matrix([[1, 2, 3]]), matrix([[1, 2]])), {
 *   name: "RangeError",
 *   message:
 *     "Cannot multiply 1x3 by 1x2 in dot(a, b): inner dimensions differ (a has 3 columns, b has 1 row)",
 * });
 * ```
 *
 * @module
 */
export {
  identity,
  Matrix,
  matrix,
  type Samples,
  toArray,
  zeros,
} from "./lib/core/matrix.ts";
export { createRng, type Rng, shuffle } from "./lib/core/random.ts";
export { add, div, map, mul, scale, sub } from "./lib/ops/arithmetic.ts";
export { dot, transpose } from "./lib/ops/linalg.ts";
export {
  conv2d,
  type Conv2dOptions,
  maxPool,
  type MaxPoolOptions,
} from "./lib/ops/conv.ts";
export {
  mean,
  type Reduced,
  type ReduceOptions,
  sum,
  sumAxis,
} from "./lib/ops/reductions.ts";
export {
  type Elementwise,
  exp,
  leakyRelu,
  log,
  relu,
  sigmoid,
  softplus,
  tanh,
} from "./lib/ops/activations.ts";
export { logSoftmax, softmax } from "./lib/ops/softmax.ts";
export { mse, softmaxCrossEntropy, squaredError } from "./lib/ops/losses.ts";
export {
  forward,
  gradient,
  type LossRecord,
  type Perceptron,
  type PerceptronGradient,
  train,
  type TrainOptions,
  type TrainResult,
} from "./lib/perceptron.ts";
export {
  grad,
  type Params,
  type ValueAndGrad,
  valueAndGrad,
} from "./lib/autodiff/grad.ts";
export {
  defineOp,
  type Op,
  type OpContext,
  type OpSpec,
  type Saved,
} from "./lib/autodiff/define_op.ts";
export {
  checkGrads,
  type CheckGradsOptions,
} from "./lib/autodiff/check_grads.ts";
export {
  numericalGradient,
  type NumericalGradientOptions,
} from "./lib/autodiff/numerical_gradient.ts";
export type {
  ApplyOptions,
  Layer,
  LayerContext,
  LayerLike,
  LayerOutput,
  PlainLayer,
} from "./lib/nn/layer.ts";
export * as layers from "./lib/nn/layers.ts";
export {
  type Model,
  type ModelApplyOptions,
  sequential,
} from "./lib/nn/sequential.ts";
export {
  batchNorm,
  type BatchNormOptions,
  type BatchNormParams,
  dropout,
  type DropoutOptions,
} from "./lib/ops/normalization.ts";
export {
  type Activation,
  mlp,
  type MlpOptions,
  type ModelAndParams,
} from "./lib/nn/mlp.ts";
export {
  accuracy,
  argmax,
  type Confusion,
  confusionMatrix,
  confusionTable,
  evaluate,
  type EvaluateOptions,
  type Evaluation,
  type Loss,
  type LossName,
} from "./lib/train/metrics.ts";
export {
  adagrad,
  adam,
  type AdamOptions,
  adamw,
  type AdaptiveOptions,
  clipByGlobalNorm,
  cosineDecay,
  globalNorm,
  l2Penalty,
  type LearningRate,
  momentum,
  type MomentumOptions,
  nesterov,
  type Optimizer,
  type OptimizerState,
  type OptimizerStep,
  rmsprop,
  type RmspropOptions,
  type Schedule,
  sgd,
  type SgdOptions,
  stepDecay,
  type WeightDecayOptions,
} from "./lib/train/optimizers.ts";
export {
  type EpochRecord,
  fit,
  type FitOptions,
  type FitResult,
  type StepRecord,
} from "./lib/train/fit.ts";
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
} from "./lib/data/datasets.ts";
export {
  applyEncoders,
  type ApplyEncodersOptions,
  type CategoricalEncoder,
  type ColumnEncoder,
  type EncodedTable,
  type FittedTable,
  fromTable,
  type NumericEncoder,
  splitTable,
  type SplitTableOptions,
  type TableEncoders,
  type TableOptions,
  type TableSplit,
  type TableTask,
} from "./lib/data/tabular.ts";
export {
  type Idx,
  mnist,
  type MnistFiles,
  type MnistOptions,
  parseIdx,
} from "./lib/data/mnist.ts";
export { Svg } from "./lib/viz/svg.ts";
export {
  decisionBoundary,
  type DecisionBoundaryOptions,
  type LabelledPoints,
} from "./lib/viz/decision_boundary.ts";
export {
  lineChart,
  type LineChartOptions,
  type LineSeries,
} from "./lib/viz/line_chart.ts";
export {
  imageGrid,
  type ImageGridOptions,
  type ImagePanel,
} from "./lib/viz/images.ts";
export {
  type ConfusionCounts,
  confusionHeatmap,
  type ConfusionHeatmapOptions,
} from "./lib/viz/confusion.ts";
export {
  type ContourPath,
  contourPaths,
  type ContourPathsOptions,
} from "./lib/viz/contour.ts";
export {
  histogramGrid,
  type HistogramGridOptions,
  type HistogramRow,
} from "./lib/viz/histograms.ts";
export {
  scatterPlot,
  type ScatterPlotOptions,
  type ScatterPoint,
} from "./lib/viz/scatter.ts";
export {
  type GridSeries,
  lineChartGrid,
  type LineChartGridOptions,
  type LinePanel,
} from "./lib/viz/small_multiples.ts";
export {
  asciiChart,
  type AsciiChartOptions,
  sparkline,
  type SparklineOptions,
} from "./lib/viz/text_chart.ts";
export {
  computationGraph,
  type ComputationGraphOptions,
} from "./lib/autodiff/graph.ts";
export type {
  ComputationGraph,
  GraphEdge,
  GraphNode,
  GraphValue,
} from "./lib/core/graph_types.ts";
export {
  graphSvg,
  type GraphSvgOptions,
  toDot,
  type ToDotOptions,
} from "./lib/viz/graph.ts";
export {
  fromSafetensors,
  type LoadedSafetensors,
  type TensorTree,
  toSafetensors,
  type ToSafetensorsOptions,
} from "./lib/data/safetensors.ts";
