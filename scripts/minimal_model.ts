/**
 * Section 1 of the article (最小モデルの定義 / 最小モデルを計算して誤差Lossを求める):
 * the smallest model, u = w·x + b, and its loss Σ(u − d)².
 *
 * Run: `deno run scripts/minimal_model.ts` (`--lang ja` for Japanese help and
 * error messages; the output is the article's own line either way).
 * Prints: `Loss: 113.28999999999999` (the article: "113.29 なら大丈夫").
 *
 * @module
 */
import { add, dot, matrix, squaredError } from "../mod.ts";
import { parseFlags, parseLang, runMain } from "./_cli.ts";

const HELP = {
  en: `Section 1 of the article: the smallest model u = w·x + b and its loss
Σ(u − d)², which prints "Loss: 113.28999999999999".

Usage: deno run scripts/minimal_model.ts [--lang en|ja]

Flags:
  --lang en|ja   language of the help and of error messages (default en);
                 the output is the article's own line either way
  -h, --help     show this help`,
  ja: `記事の「最小モデルの定義」と「最小モデルを計算して誤差Lossを求める」:
最小モデル u = w·x + b と2乗誤差 Loss = Σ(u − d)² を計算し、
"Loss: 113.28999999999999" と表示します(113.29 なら大丈夫)。

使い方: deno run scripts/minimal_model.ts [--lang en|ja]

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
  // The weights: 2 outputs x 3 inputs.
  const w = matrix([
    [0, 0.3, -0.8],
    [1, -1.2, 0.5],
  ]);

  // The output x of the previous (input) layer: one sample, as a column.
  const x = matrix([
    [5],
    [2],
    [7],
  ]);

  // The bias, one per output.
  const b = matrix([
    [1.2],
    [3.4],
  ]);

  // The target d.
  const d = matrix([
    [1],
    [0],
  ]);

  // y = w·x, then u = y + b (numpy: y = w.dot(x); u = y + b).
  const y = dot(w, x);
  const u = add(y, b);

  // The squared error (numpy: Loss = numpy.sum((u - d) ** 2)).
  const loss = squaredError(u, d);
  console.log(`Loss: ${loss}`);
});
