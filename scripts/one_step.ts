/**
 * Section 3 of the article (1回学習させる): one step of gradient descent.
 * The gradient of the loss with respect to w is 2(u − d)·xᵀ; the new weights
 * are w − learning_rate·gradient, and the loss goes down.
 *
 * Run: `deno run scripts/one_step.ts` (`--lang ja` for Japanese help and error
 * messages; the output is the article's own line either way). Every number
 * of the step, one by one: `deno run scripts/step.ts`.
 * Prints: `new_Loss: 35.527744` (the first loss was 113.28999999999999).
 *
 * @module
 */
import {
  add,
  dot,
  matrix,
  mul,
  scale,
  squaredError,
  sub,
  transpose,
} from "../mod.ts";
import { parseFlags, parseLang, runMain } from "./_cli.ts";

const HELP = {
  en: `Section 3 of the article: one step of gradient descent with learning rate
0.01, which prints "new_Loss: 35.527744". For every number of that step,
run scripts/step.ts.

Usage: deno run scripts/one_step.ts [--lang en|ja]

Flags:
  --lang en|ja   language of the help and of error messages (default en);
                 the output is the article's own line either way
  -h, --help     show this help`,
  ja: `記事の「1回学習させる」: 学習率 0.01 で最小モデルを1回学習させ、
"new_Loss: 35.527744" と表示します。その1回の計算をすべての数字で
見るには scripts/step.ts --lang ja を実行してください。

使い方: deno run scripts/one_step.ts [--lang en|ja]

フラグ:
  --lang en|ja   ヘルプとエラーメッセージの言語(既定は en)。
                 出力は記事と同じ1行です
  -h, --help     このヘルプを表示する`,
};

runMain(() => {
  const flags = parseFlags(Deno.args, {
    lang: { type: "string" },
    help: { type: "boolean" },
  });
  const lang = parseLang(flags.lang);
  if (flags.help) {
    console.log(HELP[lang]);
    return;
  }
  // The article's model, as in section 1.
  const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
  const x = matrix([[5], [2], [7]]);
  const b = matrix([[1.2], [3.4]]);
  const d = matrix([[1], [0]]);
  const u = add(dot(w, x), b);

  // The gradient (numpy: gradient = 2 * (u - d) * x.T). A 2x1 column times a
  // 1x3 row broadcasts to 2x3, one entry per weight. For one sample this is
  // the matrix product 2(u − d)·xᵀ.
  const gradient = mul(scale(sub(u, d), 2), transpose(x));

  // The learning rate.
  const learningRate = 0.01;

  // The new weights (numpy: new_w = w - learning_rate * gradient).
  const newW = sub(w, scale(gradient, learningRate));

  // The loss of the new weights: lower than before, so the model learned.
  const newU = add(dot(newW, x), b);
  const newLoss = squaredError(newU, d);
  console.log(`new_Loss: ${newLoss}`);
});
