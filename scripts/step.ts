/**
 * One step of the article's training (section 3, 1回学習させる), every number
 * shown: the output u = w·x + b, the error u − d and the loss, each of the
 * six entries of the gradient 2(u − d)·xᵀ with the product it comes from,
 * the update of each weight w − lr·gradient, and the new loss, which at the
 * article's learning rate 0.01 is `new_Loss: 35.527744`, as the article
 * prints it.
 *
 * The numbers come from the library ({@linkcode forward},
 * {@linkcode gradient}, {@linkcode squaredError}); the script only writes
 * them out. Entries are shown as numpy shows an array (at most 10
 * significant digits); the losses in full, as the article prints them.
 *
 * Run: `deno run scripts/step.ts` (`--lang ja` for the article's words,
 * `--lr 0.02` for another learning rate, `--json` for all the numbers).
 *
 * @module
 */
import {
  forward,
  gradient,
  type Matrix,
  matrix,
  scale,
  squaredError,
  sub,
  toArray,
} from "../mod.ts";
import {
  CliError,
  formatFactor,
  formatNumber,
  formatRows,
  formatSigned,
  type Lang,
  msg,
  parseFlags,
  parseLang,
  parseNumber,
  runMain,
  tr,
} from "./_cli.ts";

const HELP = {
  en: `One training step of the article (section 3), every number shown: the
output u = w·x + b, the error u − d and the loss, each entry of the gradient
2(u − d)·xᵀ with the product it comes from, the update w − lr·gradient of each
weight, and the new loss ("new_Loss: 35.527744" at learning rate 0.01).

Usage: deno run scripts/step.ts [flags]

Flags:
  --learning-rate R, --lr R  step size, a number > 0             (default 0.01)
  --json                     print every number as one JSON object
  --lang en|ja               wording (ja: the article's own words)
  -h, --help                 show this help`,
  ja: `記事の「1回学習させる」を、すべての数字で見ます: u = w·x + b、
出力値と目標値の差 u − d と2乗誤差 Loss、勾配 2(u − d)·xᵀ の各成分と
その掛け算、重みの更新 new_w = w − learning_rate × gradient、
新しい new_Loss(学習率 0.01 なら "new_Loss: 35.527744")。

使い方: deno run scripts/step.ts [フラグ]

フラグ:
  --learning-rate R, --lr R  学習率、0 より大きい数               (既定 0.01)
  --json                     すべての数字を1つの JSON で表示する
  --lang en|ja               言葉(ja: 記事の言葉で)
  -h, --help                 このヘルプを表示する`,
};

/** The article's model (section 1, 最小モデルの定義). */
const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const x = matrix([[5], [2], [7]]);
const b = matrix([[1.2], [3.4]]);
const d = matrix([[1], [0]]);

/** The learning rate of the article's section 3. */
const ARTICLE_RATE = 0.01;

/** The unit roundoff of float64, 2⁻⁵³. */
const UNIT_ROUNDOFF = 2 ** -53;

/** γₙ = n·u/(1 − n·u): the relative error bound of n rounded operations. */
function gamma(n: number): number {
  return (n * UNIT_ROUNDOFF) / (1 - n * UNIT_ROUNDOFF);
}

/**
 * A bound on the rounding error of the loss Σ(w·x + b − d)² computed in
 * float64 from `weights`: the computed loss is within this much of the exact
 * loss of the same weights, in whatever order the sums are taken (the
 * standard bounds for sums of products, Higham, Accuracy and Stability of
 * Numerical Algorithms, §3.1). Two computed losses closer than the sum of
 * their bounds may differ only by rounding.
 */
function lossRounding(weights: Matrix): number {
  let bound = 0;
  let squares = 0;
  for (let i = 0; i < weights.rows; i++) {
    // u[i] − d[i]: cols products, summed, then + b[i] and − d[i].
    let e = b.at(i, 0) - d.at(i, 0);
    let size = Math.abs(b.at(i, 0)) + Math.abs(d.at(i, 0));
    for (let j = 0; j < weights.cols; j++) {
      const term = weights.at(i, j) * x.at(j, 0);
      e += term;
      size += Math.abs(term);
    }
    const de = gamma(weights.cols + 2) * size;
    // (e + δ)² − e² = 2eδ + δ², with |e| at most |computed e| + δ.
    bound += (2 * (Math.abs(e) + de) + de) * de;
    squares += e * e;
  }
  // Each square, and the sum of the squares.
  return bound + gamma(weights.rows + 1) * (squares + bound);
}

/** Every number of the step. */
interface Step {
  learningRate: number;
  u: Matrix;
  error: Matrix;
  loss: number;
  gradient: Matrix;
  newW: Matrix;
  newU: Matrix;
  newError: Matrix;
  newLoss: number;
}

/** One step, computed by the library as the article's code computes it. */
function takeStep(learningRate: number): Step {
  try {
    // y = w.dot(x); u = y + b; Loss = numpy.sum((u - d) ** 2)
    const u = forward({ w, b }, x);
    const loss = squaredError(u, d);
    // gradient = 2 * (u - d) * x.T
    const g = gradient({ w, b }, { x, d }).w;
    // new_w = w - learning_rate * gradient
    const newW = sub(w, scale(g, learningRate));
    const newU = forward({ w: newW, b }, x);
    return {
      learningRate,
      u,
      error: sub(u, d),
      loss,
      gradient: g,
      newW,
      newU,
      newError: sub(newU, d),
      newLoss: squaredError(newU, d),
    };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new CliError(
      tr(
        `With learning rate ${learningRate} the numbers overflow float64.`,
        `学習率 ${learningRate} では数が float64 に収まりません。`,
      ),
      tr(
        `Try a smaller learning rate, such as --learning-rate ${ARTICLE_RATE}.`,
        `もっと小さい学習率を試してください。例: --learning-rate ${ARTICLE_RATE}`,
      ),
    );
  }
}

/** "0 × 5 + 0.3 × 2 + (−0.8) × 7 + 1.2": w[i]·x + b[i] written out. */
function affineTerms(weights: Matrix, i: number): string {
  const products = toArray(weights)[i].map((wij, j) =>
    `${formatFactor(wij)} × ${formatFactor(x.at(j, 0))}`
  );
  return `${products.join(" + ")} + ${formatFactor(b.at(i, 0))}`;
}

/** "(−4.8)² + 9.5²": the squares the loss sums. */
function squares(error: Matrix): string {
  return toArray(error).map(([e]) => `${formatFactor(e)}²`).join(" + ");
}

/** The lines of the explanation, in either language. */
function explain(s: Step, lang: Lang): string[] {
  const ja = lang === "ja";
  const lr = formatNumber(s.learningRate);
  const rows = w.rows;
  const cols = w.cols;
  const out: string[] = [];
  const line = (text: string): void => {
    out.push(`  ${text}`);
  };

  if (ja) {
    out.push(
      "記事の「1回学習させる」: 最小モデルを1回学習させる計算を、すべての数字で見ます。",
      `学習率 learning_rate = ${lr}${
        s.learningRate === ARTICLE_RATE
          ? "(記事と同じ)"
          : `(記事では ${ARTICLE_RATE})`
      }。`,
      "",
      "最小モデル(「最小モデルの定義」):",
    );
    line(`重み w = ${formatRows(toArray(w))}`);
    line(`前の層(入力層)からの出力値 x = ${formatRows(toArray(x))}`);
    line(`バイアス b = ${formatRows(toArray(b))}`);
    line(`目標値 d = ${formatRows(toArray(d))}`);
    out.push(
      "",
      "1. 前の層からの出力値 x に重み w をかけ、バイアス b を足して u とする: u = w·x + b",
    );
  } else {
    out.push(
      "One step of gradient descent on the article's model (section 3, 1回学習させる),",
      `every number shown. Learning rate lr = ${lr}${
        s.learningRate === ARTICLE_RATE
          ? ", as in the article"
          : ` (the article's is ${ARTICLE_RATE})`
      }.`,
      "",
      "The model (section 1):",
    );
    const model: [string, Matrix, string][] = [
      ["w", w, "the weights, outputs x inputs"],
      ["x", x, "the input, one sample"],
      ["b", b, "the bias"],
      ["d", d, "the target"],
    ];
    const texts = model.map(([name, m]) =>
      `${name} = ${formatRows(toArray(m))}`
    );
    const width = Math.max(...texts.map((t) => t.length));
    model.forEach(([, , what], i) =>
      line(`${texts[i].padEnd(width)}   ${what}`)
    );
    out.push("", "1. The output u = w·x + b");
  }
  for (let i = 0; i < rows; i++) {
    line(`u[${i}] = ${affineTerms(w, i)} = ${formatSigned(s.u.at(i, 0))}`);
  }

  out.push(
    "",
    ja
      ? "2. 出力値と目標値の差 u − d と、2乗誤差 Loss = Σ(u − d)²"
      : "2. The error u − d, and the loss Σ(u − d)²",
  );
  for (let i = 0; i < rows; i++) {
    line(
      `u[${i}] − d[${i}] = ${formatSigned(s.u.at(i, 0))} − ${
        formatFactor(d.at(i, 0))
      } = ${formatSigned(s.error.at(i, 0))}`,
    );
  }
  line(`Loss = ${squares(s.error)} = ${s.loss}`);

  out.push(
    "",
    ja
      ? "3. 勾配 gradient = 2(u − d)·xᵀ: 重みに対する誤差の微分、重み1つに1つ"
      : "3. The gradient ∂L/∂w = 2(u − d)·xᵀ, one entry per weight",
  );
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      line(
        `∂L/∂w[${i}][${j}] = 2 × ${formatFactor(s.error.at(i, 0))} × ${
          formatFactor(x.at(j, 0))
        } = ${formatSigned(s.gradient.at(i, j))}`,
      );
    }
  }

  out.push(
    "",
    ja
      ? `4. 新しく重みを定義: new_w = w − learning_rate × gradient(学習率 ${lr})`
      : `4. The update new_w = w − lr·∂L/∂w, with lr = ${lr}`,
  );
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      line(
        `new_w[${i}][${j}] = ${formatSigned(w.at(i, j))} − ${lr} × ${
          formatFactor(s.gradient.at(i, j))
        } = ${formatSigned(s.newW.at(i, j))}`,
      );
    }
  }

  out.push(
    "",
    ja
      ? "5. 新しい重みで u と2乗誤差を計算し直す: new_u = new_w·x + b"
      : "5. The new loss, from new_u = new_w·x + b",
  );
  for (let i = 0; i < rows; i++) {
    line(
      `new_u[${i}] = ${affineTerms(s.newW, i)} = ${
        formatSigned(s.newU.at(i, 0))
      }`,
    );
  }
  for (let i = 0; i < rows; i++) {
    line(
      `new_u[${i}] − d[${i}] = ${formatSigned(s.newU.at(i, 0))} − ${
        formatFactor(d.at(i, 0))
      } = ${formatSigned(s.newError.at(i, 0))}`,
    );
  }
  line(`new_Loss = ${squares(s.newError)} = ${s.newLoss}`);

  // For one sample, new_u − d = (1 − 2·lr·|x|²)(u − d): the step scales the
  // error, and lowers the loss only when |1 − 2·lr·|x|²| < 1.
  const xs = toArray(x).map(([v]) => v);
  const norm2 = xs.reduce((sum, v) => sum + v * v, 0);
  const factor = 1 - 2 * s.learningRate * norm2;
  const norm2Text = `${xs.map((v) => `${formatFactor(v)}²`).join(" + ")} = ${
    formatNumber(norm2)
  }`;
  line(
    tr(
      `(for one sample new_u − d = (1 − 2·lr·|x|²)·(u − d), |x|² = ${norm2Text}: 1 − 2 × ${lr} × ${
        formatNumber(norm2)
      } = ${formatSigned(factor)})`,
      `(サンプルが1つなら new_u − d = (1 − 2·learning_rate·|x|²)·(u − d)、|x|² = ${norm2Text}: 1 − 2 × ${lr} × ${
        formatNumber(norm2)
      } = ${formatSigned(factor)})`,
    ),
  );

  out.push("", `new_Loss: ${s.newLoss}`);
  const limit = formatNumber(Number((1 / norm2).toPrecision(4)));
  // A change within the rounding of the two losses says nothing about the
  // rate: a rate too small to move the weights visibly (1e-300) leaves the
  // loss as it was, and so does lr = 1/|x|², which only flips the error's
  // sign. Only a change beyond rounding is a fall or a rise.
  const change = s.newLoss - s.loss;
  const rounding = lossRounding(w) + lossRounding(s.newW);
  if (change < -rounding) {
    out.push(
      tr(
        `The loss fell from ${s.loss} to ${s.newLoss}: the model learned.`,
        `1回目の時よりも Loss の値が減っている(${s.loss} → ${s.newLoss})=学習している`,
      ),
    );
  } else if (change > rounding) {
    out.push(
      tr(
        `The loss rose from ${s.loss} to ${s.newLoss}: learning rate ${lr} is too large. One step lowers it only for lr < 1/|x|² = 1/${
          formatNumber(norm2)
        } ≈ ${limit}.`,
        `1回目の時よりも Loss の値が増えている(${s.loss} → ${s.newLoss}): 学習率 ${lr} は大きすぎます。1回の学習で Loss が減るのは学習率が 1/|x|² = 1/${
          formatNumber(norm2)
        } ≈ ${limit} より小さいときだけです。`,
      ),
    );
  } else {
    const what = change === 0
      ? tr(
        `The loss did not change (it stays ${s.loss})`,
        `1回目の時と Loss の値が変わっていない(${s.loss} のまま)`,
      )
      : tr(
        `The loss changed only within float64's rounding (${s.loss} → ${s.newLoss})`,
        `Loss の値の変化は float64 の丸め誤差の範囲内(${s.loss} → ${s.newLoss})`,
      );
    // With the error scaled by the factor, the loss stays only for a factor
    // near 1 (a rate near 0) or near −1 (a rate near 1/|x|²).
    const why = factor > 0
      ? tr(
        `learning rate ${lr} is too small to matter. The article's is ${ARTICLE_RATE}.`,
        `学習率 ${lr} は小さすぎて効果がありません。記事の学習率は ${ARTICLE_RATE} です。`,
      )
      : tr(
        `learning rate ${lr} ≈ 1/|x|² = 1/${
          formatNumber(norm2)
        } overshoots: new_u − d ≈ −(u − d), the error changes sign but not size. One step lowers the loss only for lr < 1/|x|² ≈ ${limit}.`,
        `学習率 ${lr} は 1/|x|² = 1/${
          formatNumber(norm2)
        } とほぼ同じで、new_u − d ≈ −(u − d) と誤差の符号が反転するだけで大きさは変わりません。1回の学習で Loss が減るのは学習率が 1/|x|² ≈ ${limit} より小さいときだけです。`,
      );
    out.push(`${what}: ${why}`);
  }
  return out;
}

runMain(() => {
  const flags = parseFlags(Deno.args, {
    "learning-rate": { type: "string" },
    lr: { type: "string" },
    json: { type: "boolean" },
    lang: { type: "string" },
    help: { type: "boolean" },
  });
  const lang = parseLang(flags.lang);
  if (flags.help) {
    console.log(HELP[lang]);
    return;
  }
  if (flags["learning-rate"] !== undefined && flags.lr !== undefined) {
    throw new CliError(msg("learningRateTwice"), undefined, 2);
  }
  const lrText = flags["learning-rate"] ?? flags.lr;
  const learningRate = lrText === undefined ? ARTICLE_RATE : parseNumber(
    lrText,
    flags.lr !== undefined ? "--lr" : "--learning-rate",
    { positive: true },
  );
  const s = takeStep(learningRate);
  if (flags.json) {
    console.log(JSON.stringify({
      learningRate,
      w: toArray(w),
      x: toArray(x),
      b: toArray(b),
      d: toArray(d),
      u: toArray(s.u),
      error: toArray(s.error),
      loss: s.loss,
      gradient: toArray(s.gradient),
      newW: toArray(s.newW),
      newU: toArray(s.newU),
      newError: toArray(s.newError),
      newLoss: s.newLoss,
    }));
    return;
  }
  console.log(explain(s, lang).join("\n"));
});
