/**
 * `deno task compare`: runs the same work in this toolkit, ml-matrix,
 * TensorFlow.js (wasm and cpu backends) and, when python3 has numpy, numpy,
 * and prints a markdown table of times and ratios for every target of the
 * performance issue. docs/benchmarks.md records its latest output.
 *
 * Flags: `--quick` (fewer repetitions, for a smoke run), `--no-numpy`,
 * `--runs N` (process launches per whole-process timing, default 7).
 *
 * Timings are the best of several runs: the machine is shared and noisy, and
 * the best run is the one least disturbed.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Matrix as MlMatrix } from "ml-matrix";
import * as toolkit from "../mod.ts";
import { dot, matrix, train } from "../mod.ts";
import { matmulExact } from "../lib/kernels/_matmul.ts";
import { matmulPacked } from "../lib/kernels/_matmul_packed.ts";
import { matmulWasm, wasmAvailable } from "../lib/kernels/_matmul_wasm.ts";
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
import {
  makeSpiral,
  SPIRAL,
  type SpiralData,
  toolkitSpiralEpoch,
} from "./_spiral.ts";

const ROOT = new URL("../", import.meta.url);

const args = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    "no-numpy": { type: "boolean", default: false },
    runs: { type: "string", default: "7" },
  },
  strict: true,
});
const QUICK = args.values.quick;
const RUNS = Number(args.values.runs);
if (!Number.isSafeInteger(RUNS) || RUNS < 1) {
  console.error(
    `Expected --runs to be a positive integer, got ${args.values.runs}`,
  );
  Deno.exit(2);
}

// ---------------------------------------------------------------- timing --

/** Best seconds per call of `f`, over `rounds` rounds of at least `ms` each. */
function best(f: () => unknown, ms = QUICK ? 60 : 300, rounds = 5): number {
  f();
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    let reps = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms / rounds || reps === 0) {
      f();
      reps++;
      now = performance.now();
    }
    min = Math.min(min, (now - start) / reps);
  }
  return min / 1000;
}

async function bestAsync(
  f: () => Promise<unknown>,
  rounds: number,
): Promise<number> {
  await f();
  let min = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await f();
    min = Math.min(min, performance.now() - start);
  }
  return min / 1000;
}

function fmtTime(seconds: number): string {
  if (seconds < 1e-6) return `${(seconds * 1e9).toFixed(0)} ns`;
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(1)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${seconds.toFixed(2)} s`;
}

function fmtRatio(x: number): string {
  return x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`;
}

/** A speed-up (reference time ÷ ours), worded for either side of 1. */
function speedup(x: number): string {
  return x >= 1 ? `${fmtRatio(x)} faster` : `${fmtRatio(x)} (slower)`;
}

// ----------------------------------------------------------------- numpy --

/** The environment numpy runs in: one thread, OpenBLAS's own kernel choice. */
function numpyEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.OPENBLAS_NUM_THREADS = "1";
  env.OMP_NUM_THREADS = "1";
  return env;
}

async function run(
  cmd: string,
  cmdArgs: string[],
  env?: Record<string, string>,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args: cmdArgs,
      cwd: ROOT,
      env,
      clearEnv: env !== undefined,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return {
      ok: out.success,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } catch (error) {
    return { ok: false, stdout: "", stderr: String(error) };
  }
}

async function numpy(mode: string[]): Promise<Record<string, unknown> | null> {
  const out = await run(
    "python3",
    ["bench/compare_numpy.py", ...mode],
    numpyEnv(),
  );
  if (!out.ok) {
    console.error(`numpy ${mode.join(" ")} failed: ${out.stderr.trim()}`);
    return null;
  }
  return JSON.parse(out.stdout);
}

const HAVE_NUMPY = !args.values["no-numpy"] &&
  (await run("python3", ["-c", "import numpy"])).ok;

/** Wall time of a whole process, best of RUNS launches after one warm-up. */
async function processTime(
  cmd: string,
  cmdArgs: string[],
  env?: Record<string, string>,
): Promise<number | null> {
  let min = Infinity;
  for (let r = 0; r <= RUNS; r++) {
    const start = performance.now();
    const out = await run(cmd, cmdArgs, env);
    const ms = performance.now() - start;
    if (!out.ok) {
      console.error(`${cmd} ${cmdArgs.join(" ")} failed: ${out.stderr.trim()}`);
      return null;
    }
    if (r > 0) min = Math.min(min, ms);
  }
  return min / 1000;
}

// ------------------------------------------------------------ the machine --

async function machine(): Promise<string[]> {
  const lines: string[] = [];
  const cpu = await run("lscpu", []);
  const model = cpu.stdout.split("\n").find((l) => l.startsWith("Model name"));
  const cores = cpu.stdout.split("\n").find((l) => /^CPU\(s\):/.test(l));
  lines.push(
    `- Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  );
  lines.push(
    `- CPU: ${model?.split(":")[1]?.trim() ?? "unknown"}, ${
      cores?.split(":")[1]?.trim() ?? "?"
    } cores (lscpu)`,
  );
  lines.push(
    `- Deno ${Deno.version.deno}, V8 ${Deno.version.v8}; WebAssembly kernel ${
      wasmAvailable() ? "in use" : "UNAVAILABLE (TypeScript fallback)"
    }`,
  );
  if (HAVE_NUMPY) {
    const info = await numpy(["info"]);
    if (info) {
      lines.push(
        `- numpy ${info.numpy}, BLAS ${info.blas ?? "?"}, kernel ${
          info.core ?? "?"
        }, ${
          info.threads ?? "?"
        } thread(s) (OPENBLAS_NUM_THREADS=1; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)`,
      );
    }
  } else {
    lines.push("- numpy: not run (python3 cannot import numpy, or --no-numpy)");
  }
  return lines;
}

// -------------------------------------------------------------- targets --

interface Row {
  target: string;
  ours: string;
  reference: string;
  ratio: string;
  goal: string;
  met: string;
}

const rows: Row[] = [];
const notes: string[] = [];
/** numpy's time for the rows the limits table explains, in seconds. */
const numpySeconds = new Map<string, number>();

function verdict(ok: boolean | null): string {
  return ok === null ? "—" : ok ? "yes" : "**no**";
}

// 1. The article's training loop, 200,000 steps.
async function trainTarget(): Promise<void> {
  const steps = QUICK ? 20_000 : 200_000;
  const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
  const x = matrix([[5], [2], [7]]);
  const b = matrix([[1.2], [3.4]]);
  const d = matrix([[1], [0]]);
  const options = { learningRate: 0.0001, steps, logEvery: 10 };
  const ours = best(
    () => train({ w, b }, { x, d }, options),
    QUICK ? 200 : 3000,
  );
  const oursRate = steps / ours;
  let ref = "numpy not run";
  let ratio = "—";
  let met: boolean | null = null;
  if (HAVE_NUMPY) {
    const np = await numpy(["train", String(steps), QUICK ? "1" : "3"]);
    if (np) {
      const npRate = steps / (np.seconds as number);
      ref = `numpy ${(npRate / 1e3).toFixed(0)} k steps/s`;
      ratio = fmtRatio(oursRate / npRate);
      met = oursRate / npRate >= 100;
    }
  }
  rows.push({
    target: `article training, 2×3 weights, public \`train\`, ${
      steps.toLocaleString("en")
    } steps`,
    ours: `${(oursRate / 1e6).toFixed(2)} M steps/s`,
    reference: ref,
    ratio,
    goal: "≥ 100× numpy",
    met: verdict(met),
  });
}

function randomData(len: number, seed: number): Float64Array {
  const out = new Float64Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

function randomMatrix(n: number, seed: number): toolkit.Matrix {
  const data = randomData(n * n, seed);
  const rowsArr: number[][] = [];
  for (let i = 0; i < n; i++) {
    rowsArr.push(Array.from(data.subarray(i * n, (i + 1) * n)));
  }
  return matrix(rowsArr);
}

function mlMatrix(n: number, seed: number): MlMatrix {
  const data = randomData(n * n, seed);
  const rowsArr: number[][] = [];
  for (let i = 0; i < n; i++) {
    rowsArr.push(Array.from(data.subarray(i * n, (i + 1) * n)));
  }
  return new MlMatrix(rowsArr);
}

const gflops = (n: number, seconds: number): string =>
  `${(2 * n ** 3 / seconds / 1e9).toFixed(1)} GFLOP/s`;

const dotTable: string[] = [];

// 2 and 3. dot at n = 256 against ml-matrix and numpy; plus a size sweep.
async function dotTargets(): Promise<void> {
  const sizes = QUICK ? [16, 64, 256, 512] : [4, 8, 16, 32, 64, 128, 256, 512];
  dotTable.push(
    "| n | toolkit `dot` | ml-matrix `mmul` | numpy (1 thread) | toolkit / ml-matrix | toolkit / numpy |",
    "|---:|---:|---:|---:|---:|---:|",
  );
  let at256: { ours: number; ml: number; np: number | null } | null = null;
  const issue: { n: number; ours: number; np: number | null }[] = [];
  for (const n of sizes) {
    const a = randomMatrix(n, 1), b = randomMatrix(n, 2);
    const ma = mlMatrix(n, 1), mb = mlMatrix(n, 2);
    const ours = best(() => dot(a, b));
    const ml = best(() => ma.mmul(mb), n >= 256 && !QUICK ? 1500 : undefined);
    let np: number | null = null;
    if (HAVE_NUMPY) {
      const out = await numpy(["dot", String(n), QUICK ? "0.3" : "1"]);
      np = out ? out.seconds as number : null;
    }
    dotTable.push(
      `| ${n} | ${fmtTime(ours)} (${gflops(n, ours)}) | ${fmtTime(ml)} (${
        gflops(n, ml)
      }) | ${np === null ? "—" : `${fmtTime(np)} (${gflops(n, np)})`} | ${
        fmtRatio(ml / ours)
      } | ${np === null ? "—" : fmtRatio(np / ours)} |`,
    );
    if (n === 256) at256 = { ours, ml, np };
    if (n === 16 || n === 64 || n === 512) issue.push({ n, ours, np });
    if (np !== null) numpySeconds.set(`dot ${n}`, np);
  }
  for (const { n, ours, np } of issue) {
    const goal = n === 512 ? 0.8 : 0.7;
    rows.push({
      target: `float64 \`dot\`, n = ${n}${
        n === 512 ? " (both cores allowed; numpy on one)" : ""
      }`,
      ours: `${fmtTime(ours)} (${gflops(n, ours)})`,
      reference: np === null
        ? "numpy not run"
        : `numpy ${fmtTime(np)} (${gflops(n, np)})`,
      ratio: np === null ? "—" : `${fmtRatio(np / ours)} numpy's speed`,
      goal: `≥ ${goal}× numpy`,
      met: verdict(np === null ? null : np / ours >= goal),
    });
  }
  if (at256 === null) return;
  const { ours, ml, np } = at256;
  rows.push({
    target: "float64 `dot`, n = 256",
    ours: `${fmtTime(ours)} (${gflops(256, ours)})`,
    reference: `ml-matrix ${fmtTime(ml)} (${gflops(256, ml)})`,
    ratio: speedup(ml / ours),
    goal: "≥ 5× ml-matrix",
    met: verdict(ml / ours >= 5),
  });
  rows.push({
    target: "float64 `dot`, n = 256",
    ours: `${fmtTime(ours)} (${gflops(256, ours)})`,
    reference: np === null
      ? "numpy not run"
      : `numpy ${fmtTime(np)} (${gflops(256, np)})`,
    ratio: np === null ? "—" : `${fmtRatio(np / ours)} numpy's speed`,
    goal: "≥ 0.25× numpy (stretch 0.3×)",
    met: verdict(np === null ? null : np / ours >= 0.25),
  });
}

// The networks of the issue (bench/_networks.ts): one iteration of
// TwoLayerNet through `fit` and through `valueAndGrad`, dense and sparse
// input, and of SimpleConvNet through `fit`, against numpy written the book's
// way (bench/compare_numpy.py).
async function networkTargets(): Promise<void> {
  const ms = QUICK ? 300 : 2000;
  const npSeconds = QUICK ? "1" : "4";
  for (const sparse of [false, true]) {
    const data = mnistLike(sparse);
    const kind = sparse ? "MNIST-like input (80 % zeros)" : "dense input";
    let np: number | null = null;
    if (HAVE_NUMPY) {
      const out = await numpy([
        "twolayer",
        sparse ? "sparse" : "dense",
        npSeconds,
      ]);
      np = out ? out.seconds as number : null;
    }
    if (np !== null && !sparse) numpySeconds.set("twolayer", np);
    const { model, params } = twoLayerNet();
    const optimizer = toolkit.sgd(LEARNING_RATE);
    const iterations = SAMPLES / BATCH;
    const viaFit = best(
      () =>
        toolkit.fit(model, params, data, {
          epochs: 1,
          batchSize: BATCH,
          optimizer,
        }),
      ms,
    ) / iterations;
    const batches = batchesOf(data);
    const step = valueAndGradIteration(optimizer);
    const p0 = twoLayerParams();
    const viaGrad = best(() => {
      let p = p0, state = optimizer.init(p0);
      for (const batch of batches) {
        ({ params: p, state } = step(p, state, batch));
      }
      return p;
    }, ms) / batches.length;
    for (
      const [how, ours] of [
        ["`fit`", viaFit],
        ["`valueAndGrad` of a user-written loss + `sgd`", viaGrad],
      ] as const
    ) {
      rows.push({
        target:
          `TwoLayerNet iteration (784-100-10 ReLU, batch ${BATCH}, SGD), ${kind}, ${how}`,
        ours: fmtTime(ours),
        reference: np === null ? "numpy not run" : `numpy ${fmtTime(np)}`,
        ratio: np === null ? "—" : `${fmtRatio(np / ours)} numpy's speed`,
        goal: "≥ 1.0× numpy",
        met: verdict(np === null ? null : np / ours >= 1),
      });
    }
  }
  notes.push(
    `TwoLayerNet: \`fit\` runs one epoch of ${SAMPLES} samples (${
      SAMPLES / BATCH
    } iterations, each gathering its shuffled batch); the \`valueAndGrad\` row cycles through ${
      SAMPLES / BATCH
    } batches built beforehand (the toolkit has no public column gather); numpy draws each batch with \`numpy.random.choice\` and fancy indexing, as the book does.`,
  );
  const data = mnistLike(false);
  const { model, params } = simpleConvNet();
  const optimizer = toolkit.sgd(LEARNING_RATE);
  const conv = best(
    () =>
      toolkit.fit(model, params, {
        x: data.x,
        d: data.d,
      }, { epochs: 1, batchSize: BATCH, optimizer }),
    QUICK ? 500 : 4000,
  ) / (SAMPLES / BATCH);
  let np: number | null = null;
  if (HAVE_NUMPY) {
    const out = await numpy(["convnet", "dense", QUICK ? "2" : "8"]);
    np = out ? out.seconds as number : null;
  }
  rows.push({
    target:
      `SimpleConvNet iteration (conv 30×5×5, ReLU, pool 2, dense 100, ReLU, dense 10; batch ${BATCH}; 28×28), \`fit\``,
    ours: fmtTime(conv),
    reference: np === null ? "numpy not run" : `numpy (im2col) ${fmtTime(np)}`,
    ratio: np === null ? "—" : `${fmtRatio(np / conv)} numpy's speed`,
    goal: "≥ 1.0× numpy",
    met: verdict(np === null ? null : np / conv >= 1),
  });
}

// add, mul and relu at 100×100 and 1000×1000, in ns per entry.
async function elementwiseTargets(): Promise<void> {
  for (const n of [100, 1000]) {
    const a = randomMatrix(n, 5), b = randomMatrix(n, 6);
    const ops = {
      add: () => toolkit.add(a, b),
      mul: () => toolkit.mul(a, b),
      relu: () => toolkit.relu(a),
    };
    for (const [name, f] of Object.entries(ops)) {
      const ours = best(f, QUICK ? 60 : 400) / (n * n);
      let np: number | null = null;
      if (HAVE_NUMPY) {
        const out = await numpy([
          "elementwise",
          name,
          String(n),
          QUICK ? "0.3" : "1",
        ]);
        np = out ? out.seconds as number / (n * n) : null;
      }
      if (np !== null) numpySeconds.set(`${name} ${n}`, np);
      const ns = (s: number) => `${(s * 1e9).toFixed(2)} ns/entry`;
      rows.push({
        target: `\`${name}\`, ${n}×${n}${
          name === "relu" ? " (numpy: `maximum(a, 0)`)" : ""
        }`,
        ours: ns(ours),
        reference: np === null ? "numpy not run" : `numpy ${ns(np)}`,
        ratio: np === null ? "—" : `${fmtRatio(np / ours)} numpy's speed`,
        goal: "≥ 0.7× numpy",
        met: verdict(np === null ? null : np / ours >= 0.7),
      });
    }
  }
}

// Where the exact path and the WebAssembly path cross (lib/kernels/_matmul.ts).
const crossTable: string[] = [];
function crossover(): void {
  crossTable.push(
    "| m×k×n | multiply-adds | exact TS (`dotFma`) | WebAssembly | packed TS |",
    "|---|---:|---:|---:|---:|",
  );
  const shapes = QUICK ? [[2, 3, 1], [4, 4, 4], [8, 8, 8]] : [
    [2, 3, 1],
    [3, 3, 3],
    [4, 4, 4],
    [2, 8, 8],
    [5, 5, 5],
    [6, 6, 6],
    [8, 8, 8],
    [
      16,
      16,
      16,
    ],
    [32, 2, 100],
    [32, 100, 3],
  ];
  for (const [m, k, n] of shapes) {
    const a = randomData(m * k, 3), b = randomData(k * n, 4);
    const ms = QUICK ? 30 : 150;
    const ex = best(() => matmulExact(a, b, m, k, n), ms);
    const wa = best(() => matmulWasm(a, b, m, k, n), ms);
    const pk = best(() => matmulPacked(a, b, m, k, n), ms);
    crossTable.push(
      `| ${m}×${k}×${n} | ${m * k * n} | ${fmtTime(ex)} | ${fmtTime(wa)} | ${
        fmtTime(pk)
      } |`,
    );
  }
}

// 4. The article's script as a whole process.
async function processTarget(): Promise<void> {
  const script = "scripts/train.ts";
  const ours = await processTime(Deno.execPath(), ["run", script]);
  let ref = "numpy not run", ratio = "—";
  let met: boolean | null = null;
  if (HAVE_NUMPY && ours !== null) {
    const py = await processTime("python3", ["bench/article.py"], numpyEnv());
    if (py !== null) {
      ref = `\`python3 bench/article.py\` ${fmtTime(py)}`;
      ratio = `${fmtRatio(ours / py)} the time`;
      met = ours / py <= 0.3;
    }
  }
  rows.push({
    target: `whole process: \`deno run ${script}\``,
    ours: ours === null ? "failed" : fmtTime(ours),
    reference: ref,
    ratio,
    goal: "≤ 0.3× python's wall time",
    met: verdict(met),
  });
}

// 5. One epoch of the spiral MLP against TensorFlow.js.
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const { log, warn, info } = console;
  console.log = console.warn = console.info = () => {};
  try {
    return await f();
  } finally {
    Object.assign(console, { log, warn, info });
  }
}

async function tfjsEpoch(
  backend: "wasm" | "cpu",
  data: SpiralData,
  rounds: number,
): Promise<number | null> {
  // Loaded here, not at the top, so their console chatter can be muted.
  const tf = await quietly(async () => {
    const tf = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-cpu");
    await import("@tensorflow/tfjs-backend-wasm");
    return tf;
  });
  const ok = await quietly(() => tf.setBackend(backend));
  if (!ok) {
    notes.push(`TensorFlow.js ${backend} backend failed to start.`);
    return null;
  }
  await tf.ready();
  // The cpu backend greets Node.js users on its first tensor: mute it.
  const warn = console.warn;
  console.warn = () => {};
  tf.tidy(() => tf.scalar(0));
  console.warn = warn;
  const { inputs, hidden, classes } = SPIRAL;
  // The same initial weights and batches as the toolkit's side, in float32
  // (TensorFlow.js has no float64) and samples as rows.
  const w1 = tf.variable(tf.tensor2d(data.w1T, [inputs, hidden]));
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = tf.variable(tf.tensor2d(data.w2T, [hidden, classes]));
  const b2 = tf.variable(tf.zeros([classes]));
  const batches = data.batches.map(({ xRows, yRows, size }) => ({
    x: tf.tensor2d(xRows, [size, inputs]),
    y: tf.tensor2d(yRows, [size, classes]),
    size: tf.scalar(size),
  }));
  // Explicit backpropagation with tfjs-core ops: tfjs-core alone ships no
  // gradient functions (they come with the full @tensorflow/tfjs), and this
  // skips autodiff's bookkeeping, which can only favour TensorFlow.js.
  const lr = tf.scalar(SPIRAL.learningRate);
  let last = 0;
  const epoch = (): Promise<void> => {
    for (const { x, y, size } of batches) {
      const loss = tf.tidy(() => {
        const h = tf.relu(tf.add(tf.matMul(x, w1), b1)); // B x 100
        const logits = tf.add(tf.matMul(h, w2), b2); // B x 3
        const p = tf.softmax(logits);
        const loss = tf.div(
          tf.neg(tf.sum(tf.mul(y, tf.log(p)))),
          size,
        );
        const dz = tf.div(tf.sub(p, y), size);
        const gw2 = tf.matMul(h, dz, true, false);
        const gb2 = tf.sum(dz, 0);
        const dh = tf.mul(tf.matMul(dz, w2, false, true), tf.step(h));
        const gw1 = tf.matMul(x, dh, true, false);
        const gb1 = tf.sum(dh, 0);
        w1.assign(tf.sub(w1, tf.mul(gw1, lr)));
        b1.assign(tf.sub(b1, tf.mul(gb1, lr)));
        w2.assign(tf.sub(w2, tf.mul(gw2, lr)));
        b2.assign(tf.sub(b2, tf.mul(gb2, lr)));
        return loss;
      });
      last = loss.dataSync()[0];
      loss.dispose();
    }
    return Promise.resolve();
  };
  const seconds = await bestAsync(epoch, rounds);
  if (!Number.isFinite(last)) {
    notes.push(`TensorFlow.js ${backend}: loss ${last}`);
  }
  for (const v of [w1, b1, w2, b2]) v.dispose();
  for (const { x, y, size } of batches) tf.dispose([x, y, size]);
  lr.dispose();
  return seconds;
}

async function spiralTarget(): Promise<void> {
  const data = makeSpiral();
  const rounds = QUICK ? 5 : 30;
  const { model, params } = toolkit.mlp(
    [SPIRAL.inputs, SPIRAL.hidden, SPIRAL.classes],
    1,
  );
  const samples = { x: data.x, d: data.d };
  const optimizer = toolkit.sgd(SPIRAL.learningRate);
  const ours = best(
    () =>
      toolkit.fit(model, params, samples, {
        epochs: 1,
        batchSize: SPIRAL.batchSize,
        optimizer,
      }),
    QUICK ? 100 : 1000,
  );
  const label = "toolkit `fit`, 1 epoch";
  // The same epoch written with the public immutable ops, as a learner would
  // write it by hand: what purity costs without the fused training path.
  const byHand = best(() => toolkitSpiralEpoch(data), QUICK ? 100 : 1000);
  notes.push(
    `The same spiral epoch written by hand with the public immutable ops (\`dot\`, \`add\`, \`map\`, \`transpose\`, \`sumAxis\`, …; bench/_spiral.ts) takes ${
      fmtTime(byHand)
    }.`,
  );
  for (const backend of ["wasm", "cpu"] as const) {
    const tfjs = await tfjsEpoch(backend, data, rounds);
    rows.push({
      target:
        `spiral MLP epoch (${SPIRAL.classes}×${SPIRAL.pointsPerClass} points, ${SPIRAL.inputs}→${SPIRAL.hidden} ReLU→${SPIRAL.classes} softmax, SGD, batch ${SPIRAL.batchSize})`,
      ours: `${fmtTime(ours)} (${label})`,
      reference: tfjs === null ? "failed" : `tfjs-${backend} ${fmtTime(tfjs)}`,
      ratio: tfjs === null ? "—" : speedup(tfjs / ours),
      goal: `faster than tfjs-${backend}`,
      met: verdict(tfjs === null ? null : tfjs / ours > 1),
    });
  }
}

// 6. The digits MLP with its defaults, as a whole run of scripts/digits.ts.
async function digitsTarget(): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "scripts/digits.ts", "--json"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output();
  let ours = "failed", met: boolean | null = null;
  if (output.success) {
    const result = JSON.parse(new TextDecoder().decode(output.stdout));
    const { testAccuracy, seconds } = result as {
      testAccuracy: number;
      seconds: number;
    };
    ours = `${(testAccuracy * 100).toFixed(1)}% test accuracy in ${
      seconds.toFixed(1)
    } s`;
    met = testAccuracy >= 0.94 && seconds < 30;
  }
  rows.push({
    target: "digits MLP (`deno run scripts/digits.ts`, defaults)",
    ours,
    reference: "—",
    ratio: "—",
    goal: "≥ 94% test accuracy in well under 60 s (here: < 30 s)",
    met: verdict(met),
  });
}

// What bounds the missed targets, measured in this run: the parts a result
// cannot avoid, each timed alone (docs/benchmarks.md, "Missed targets").
const limitTable: string[] = [];
// Results land here so that V8 cannot drop the work that made them.
let _sink: unknown;

/** ns per entry of `f` run over n×n entries. */
function perEntry(n: number, f: () => unknown): number {
  return best(f, QUICK ? 60 : 300) / (n * n) * 1e9;
}

function limits(): void {
  limitTable.push(
    "| missed target | numpy | what cannot be avoided, timed alone | best ratio it leaves |",
    "|---|---:|---|---:|",
  );
  const ns = (x: number) => `${x.toFixed(2)} ns/entry`;
  for (const n of [100, 1000]) {
    const a = randomData(n * n, 5), b = randomData(n * n, 6);
    const out = new Float64Array(n * n);
    // JavaScript cannot allocate uninitialised memory: a fresh result is
    // always zeroed.
    const fresh = perEntry(n, () => (_sink = new Float64Array(n * n)));
    const addLoop = perEntry(n, () => {
      for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
    });
    const reluLoop = perEntry(n, () => {
      for (let i = 0; i < out.length; i++) {
        const v = a[i];
        out[i] = (v + Math.abs(v)) * 0.5;
      }
    });
    for (
      const [name, loop] of [["add", addLoop], ["relu", reluLoop]] as const
    ) {
      const np = numpySeconds.get(`${name} ${n}`);
      if (np === undefined) continue;
      const npNs = np * 1e9;
      limitTable.push(
        `| \`${name}\`${name === "add" ? " (and `mul`)" : ""}, ${n}×${n} | ${
          ns(npNs)
        } | a fresh zeroed result ${
          ns(fresh)
        } + the scalar loop into a reused array ${ns(loop)} | ${
          fmtRatio(npNs / (fresh + loop))
        } (loop alone: ${fmtRatio(npNs / loop)}) |`,
      );
    }
  }
  const np16 = numpySeconds.get("dot 16");
  if (np16 !== undefined) {
    const fresh = best(() => (_sink = new Float64Array(256)), QUICK ? 60 : 300);
    limitTable.push(
      `| \`dot\`, n = 16 | ${
        fmtTime(np16)
      } | the fresh 16×16 result array alone, ${fmtTime(fresh)} | ${
        fmtRatio(np16 / fresh)
      } |`,
    );
  }
  // The WebAssembly kernel's best rate over the large sizes, copies included:
  // what 128-bit SIMD reaches on one core here.
  let peak = 0;
  for (const n of QUICK ? [256] : [128, 256, 512]) {
    const a = randomData(n * n, 1), b = randomData(n * n, 2);
    const t = best(() => matmulWasm(a, b, n, n, n), QUICK ? 200 : 1000);
    peak = Math.max(peak, 2 * n ** 3 / t);
  }
  const peakText = `${(peak / 1e9).toFixed(1)} GFLOP/s`;
  for (const n of [64, 512]) {
    const np = numpySeconds.get(`dot ${n}`);
    if (np === undefined) continue;
    const floor = 2 * n ** 3 / peak;
    limitTable.push(
      `| \`dot\`, n = ${n} | ${fmtTime(np)} (${gflops(n, np)}) | ${
        (2 * n ** 3 / 1e6).toFixed(1)
      } MFLOP at the WebAssembly kernel's best rate here, ${peakText}: ${
        fmtTime(floor)
      } on one core | ${fmtRatio(np / floor)} on one core, ${
        fmtRatio(2 * np / floor)
      } on two |`,
    );
  }
  const npNet = numpySeconds.get("twolayer");
  if (npNet !== undefined) {
    // Forward x·w1 and the gradient of w1: two 100×784×100 products that
    // every iteration needs (the input's gradient is never computed).
    const x = randomData(BATCH * 784, 7), w = randomData(784 * 100, 8);
    const g = randomData(BATCH * 100, 9);
    const products = best(() => {
      matmulWasm(x, w, BATCH, 784, 100);
      _sink = matmulWasm(x, g, 784, BATCH, 100, true, false);
    }, QUICK ? 200 : 1000);
    limitTable.push(
      `| TwoLayerNet iteration, dense input | ${
        fmtTime(npNet)
      } | its two ${BATCH}×784×100 products through the WebAssembly kernel: ${
        fmtTime(products)
      } | ${fmtRatio(npNet / products)} on one core, ${
        fmtRatio(2 * npNet / products)
      } on two |`,
    );
  }
}

// ------------------------------------------------------------------ main --

const header = await machine();
await trainTarget();
await dotTargets();
await networkTargets();
await elementwiseTargets();
crossover();
await processTarget();
await spiralTarget();
await digitsTarget();
if (HAVE_NUMPY) limits();

const out: string[] = [];
out.push("## Targets", "", ...header, "");
out.push(
  "| target | this toolkit | reference | ratio | goal | met |",
  "|---|---|---|---|---|---|",
);
for (const r of rows) {
  out.push(
    `| ${r.target} | ${r.ours} | ${r.reference} | ${r.ratio} | ${r.goal} | ${r.met} |`,
  );
}
if (notes.length > 0) out.push("", ...notes.map((n) => `- ${n}`));
if (limitTable.length > 0) {
  out.push(
    "",
    "## Missed targets: what bounds them",
    "",
    "Each part timed alone in this run. The best ratio assumes everything else costs nothing.",
    "",
    ...limitTable,
  );
}
out.push("", "## `dot` by size (square n×n, float64)", "", ...dotTable);
out.push(
  "",
  "## Small products: exact path against WebAssembly (crossover)",
  "",
  ...crossTable,
);
console.log(out.join("\n"));
