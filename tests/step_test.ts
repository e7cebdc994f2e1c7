// scripts/step.ts as a learner runs it: `deno run --no-prompt scripts/step.ts`
// in a subprocess, with no permission flags. Every expected number is the
// article's (sections.md) or worked out by hand below, never taken from the
// code under test.
//
// By hand, for the article's model w = [[0, 0.3, -0.8], [1, -1.2, 0.5]],
// x = (5, 2, 7)ᵀ, b = (1.2, 3.4)ᵀ, d = (1, 0)ᵀ:
//   u = (0·5 + 0.3·2 − 0.8·7 + 1.2, 1·5 − 1.2·2 + 0.5·7 + 3.4) = (−3.8, 9.5)
//   u − d = (−4.8, 9.5), Loss = 23.04 + 90.25 = 113.29
//   gradient 2(u − d)·xᵀ = [[−48, −19.2, −67.2], [95, 38, 133]]
//   new_w = w − 0.01·gradient = [[0.48, 0.492, −0.128], [0.05, −1.58, −0.83]]
//   new_u = (2.4 + 0.984 − 0.896 + 1.2, 0.25 − 3.16 − 5.81 + 3.4)
//         = (3.688, −5.32), new_u − d = (2.688, −5.32)
//   new_Loss = 7.225344 + 28.3024 = 35.527744 (the article's number)
// Check: for one sample new_u − d = (1 − 2·lr·|x|²)(u − d), |x|² = 78, and
// 1 − 2 × 0.01 × 78 = −0.56: −0.56 × (−4.8) = 2.688, −0.56 × 9.5 = −5.32.
// At lr = 0.02 the factor is 1 − 3.12 = −2.12, so the loss becomes
// 2.12² × 113.29 = 4.4944 × 113.29 = 509.170576.
//
// Needs --allow-run; without it these tests are ignored.
import assert from "node:assert/strict";
import { type ProgramRun, runScript } from "./_helpers.ts";

const canRun = Deno.permissions.querySync({ name: "run" }).state === "granted";

/** Runs scripts/step.ts with `args`, as a user does. */
function step(args: string[] = []): Promise<ProgramRun> {
  return runScript("step", args);
}

function assertOk(r: ProgramRun): void {
  assert.equal(r.stderr, "", `unexpected stderr: ${r.stderr}`);
  assert.equal(r.code, 0);
}

/** Bad input: non-zero exit, 1–2 plain stderr lines, no stack, empty stdout. */
function assertPlainFailure(r: ProgramRun, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected a failure, got stdout: ${r.stdout}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.ok(lines.length >= 1 && lines.length <= 2, r.stderr);
  assert.ok(!r.stderr.includes("    at "), `stack trace:\n${r.stderr}`);
  assert.match(r.stderr, pattern);
}

/** The lines of the step with every number, the same in both languages. */
const NUMBER_LINES = [
  "  u[0] = 0 × 5 + 0.3 × 2 + (−0.8) × 7 + 1.2 = −3.8",
  "  u[1] = 1 × 5 + (−1.2) × 2 + 0.5 × 7 + 3.4 = 9.5",
  "  u[0] − d[0] = −3.8 − 1 = −4.8",
  "  u[1] − d[1] = 9.5 − 0 = 9.5",
  "  Loss = (−4.8)² + 9.5² = 113.28999999999999",
  "  ∂L/∂w[0][0] = 2 × (−4.8) × 5 = −48",
  "  ∂L/∂w[0][1] = 2 × (−4.8) × 2 = −19.2",
  "  ∂L/∂w[0][2] = 2 × (−4.8) × 7 = −67.2",
  "  ∂L/∂w[1][0] = 2 × 9.5 × 5 = 95",
  "  ∂L/∂w[1][1] = 2 × 9.5 × 2 = 38",
  "  ∂L/∂w[1][2] = 2 × 9.5 × 7 = 133",
  "  new_w[0][0] = 0 − 0.01 × (−48) = 0.48",
  "  new_w[0][1] = 0.3 − 0.01 × (−19.2) = 0.492",
  "  new_w[0][2] = −0.8 − 0.01 × (−67.2) = −0.128",
  "  new_w[1][0] = 1 − 0.01 × 95 = 0.05",
  "  new_w[1][1] = −1.2 − 0.01 × 38 = −1.58",
  "  new_w[1][2] = 0.5 − 0.01 × 133 = −0.83",
  "  new_u[0] = 0.48 × 5 + 0.492 × 2 + (−0.128) × 7 + 1.2 = 3.688",
  "  new_u[1] = 0.05 × 5 + (−1.58) × 2 + (−0.83) × 7 + 3.4 = −5.32",
  "  new_u[0] − d[0] = 3.688 − 1 = 2.688",
  "  new_u[1] − d[1] = −5.32 − 0 = −5.32",
  "  new_Loss = 2.688² + (−5.32)² = 35.527744",
  "new_Loss: 35.527744",
];

/** Asserts the lines appear in this order, each whole. */
function assertLinesInOrder(stdout: string, expected: string[]): void {
  const lines = stdout.split("\n");
  let at = -1;
  for (const line of expected) {
    const next = lines.indexOf(line, at + 1);
    assert.ok(next > at, `missing or out of order: ${line}\n${stdout}`);
    at = next;
  }
}

Deno.test({
  name: "step.ts shows every number of the article's step, in English",
  ignore: !canRun,
  async fn() {
    const r = await step();
    assertOk(r);
    assertLinesInOrder(r.stdout, NUMBER_LINES);
    assertLinesInOrder(r.stdout, [
      "1. The output u = w·x + b",
      "2. The error u − d, and the loss Σ(u − d)²",
      "3. The gradient ∂L/∂w = 2(u − d)·xᵀ, one entry per weight",
      "4. The update new_w = w − lr·∂L/∂w, with lr = 0.01",
      "5. The new loss, from new_u = new_w·x + b",
      "new_Loss: 35.527744",
      "The loss fell from 113.28999999999999 to 35.527744: the model learned.",
    ]);
    assert.match(
      r.stdout,
      /^ {2}w = \[\[0, 0\.3, -0\.8\], \[1, -1\.2, 0\.5\]\] /m,
    );
    assert.match(r.stdout, /Learning rate lr = 0\.01, as in the article\./);
    assert.match(
      r.stdout,
      /\|x\|² = 5² \+ 2² \+ 7² = 78: 1 − 2 × 0\.01 × 78 = −0\.56\)/,
    );
    // English only.
    assert.doesNotMatch(r.stdout, /学習率|重み|誤差/);
  },
});

Deno.test({
  name: "step.ts --lang ja uses the article's words",
  ignore: !canRun,
  async fn() {
    const r = await step(["--lang", "ja"]);
    assertOk(r);
    assertLinesInOrder(r.stdout, NUMBER_LINES);
    // The article's own terms (最小モデルの定義, 1回学習させる).
    for (
      const words of [
        "1回学習させる",
        "学習率 learning_rate = 0.01",
        "重み w = [[0, 0.3, -0.8], [1, -1.2, 0.5]]",
        "前の層(入力層)からの出力値 x = [[5], [2], [7]]",
        "バイアス b = [[1.2], [3.4]]",
        "目標値 d = [[1], [0]]",
        "2乗誤差",
        "勾配 gradient = 2(u − d)·xᵀ",
        "重みに対する誤差の微分",
        "新しく重みを定義",
        "1回目の時よりも Loss の値が減っている",
        "学習している",
      ]
    ) {
      assert.ok(r.stdout.includes(words), words);
    }
    assert.doesNotMatch(r.stdout, /\b(The|the model|weights|learned)\b/);
  },
});

Deno.test({
  name: "step.ts --json gives every number",
  ignore: !canRun,
  async fn() {
    const r = await step(["--json"]);
    assertOk(r);
    assert.equal(r.stdout.trimEnd().split("\n").length, 1);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(s), [
      "learningRate",
      "w",
      "x",
      "b",
      "d",
      "u",
      "error",
      "loss",
      "gradient",
      "newW",
      "newU",
      "newError",
      "newLoss",
    ]);
    // The article's two numbers, digit for digit.
    assert.equal(s.loss, 113.28999999999999);
    assert.equal(s.newLoss, 35.527744);
    assert.equal(s.learningRate, 0.01);
    assert.deepEqual(s.w, [[0, 0.3, -0.8], [1, -1.2, 0.5]]);
    assert.deepEqual(s.x, [[5], [2], [7]]);
    assert.deepEqual(s.b, [[1.2], [3.4]]);
    assert.deepEqual(s.d, [[1], [0]]);
    // The hand-worked numbers, to float64 rounding.
    const close = (actual: number[][], expected: number[][], what: string) => {
      assert.equal(actual.length, expected.length, what);
      expected.forEach((row, i) =>
        row.forEach((e, j) =>
          assert.ok(
            Math.abs(actual[i][j] - e) <= 1e-12 * Math.max(1, Math.abs(e)),
            `${what}[${i}][${j}]: ${actual[i][j]} is not ${e}`,
          )
        )
      );
    };
    close(s.u, [[-3.8], [9.5]], "u");
    close(s.error, [[-4.8], [9.5]], "error");
    close(s.gradient, [[-48, -19.2, -67.2], [95, 38, 133]], "gradient");
    close(s.newW, [[0.48, 0.492, -0.128], [0.05, -1.58, -0.83]], "newW");
    close(s.newU, [[3.688], [-5.32]], "newU");
    close(s.newError, [[2.688], [-5.32]], "newError");
  },
});

Deno.test({
  name: "step.ts --lr: another learning rate, and a loss that rises",
  ignore: !canRun,
  async fn() {
    const a = await step(["--lr", "0.02", "--json"]);
    const b = await step(["--learning-rate=0.02", "--json"]);
    assertOk(a);
    assertOk(b);
    assert.equal(a.stdout, b.stdout);
    const s = JSON.parse(a.stdout);
    assert.equal(s.learningRate, 0.02);
    assert.ok(Math.abs(s.newLoss - 509.170576) <= 1e-9 * 509.170576);

    const text = await step(["--lr", "0.02"]);
    assertOk(text);
    assert.match(
      text.stdout,
      /Learning rate lr = 0\.02 \(the article's is 0\.01\)\./,
    );
    assert.match(
      text.stdout,
      /^ {2}new_w\[0\]\[0\] = 0 − 0\.02 × \(−48\) = 0\.96$/m,
    );
    assert.match(text.stdout, /1 − 2 × 0\.02 × 78 = −2\.12\)/);
    assert.match(
      text.stdout,
      /^The loss rose from 113\.28999999999999 to 509\.17057\d*: learning rate 0\.02 is too large\. One step lowers it only for lr < 1\/\|x\|² = 1\/78 ≈ 0\.01282\.$/m,
    );
    const ja = await step(["--lr", "0.02", "--lang", "ja"]);
    assertOk(ja);
    assert.match(ja.stdout, /Loss の値が増えている/);
    assert.match(ja.stdout, /学習率 0\.02 は大きすぎます/);
  },
});

Deno.test({
  name:
    "step.ts: a loss that changes only within rounding is neither a rise nor a fall",
  ignore: !canRun,
  async fn() {
    // lr = 1e-300: lr·∂L/∂w is far below the weights' last digit (it shows
    // only in new_w[0][0] = 4.8e-299, which vanishes next to 0.6 in new_u),
    // so the loss is the same number; it was called a rise, "too large".
    const tiny = await step(["--lr", "1e-300"]);
    assertOk(tiny);
    const last = (r: ProgramRun) => r.stdout.trimEnd().split("\n").at(-1);
    assert.equal(
      last(tiny),
      "The loss did not change (it stays 113.28999999999999): learning rate 1e-300 is too small to matter. The article's is 0.01.",
    );
    assert.doesNotMatch(tiny.stdout, /too large|rose|fell/);
    const tinyJa = await step(["--lr", "1e-300", "--lang", "ja"]);
    assertOk(tinyJa);
    assert.equal(
      last(tinyJa),
      "1回目の時と Loss の値が変わっていない(113.28999999999999 のまま): 学習率 1e-300 は小さすぎて効果がありません。記事の学習率は 0.01 です。",
    );
    // 1e-18 moves the loss by about two units in its last place, less than
    // the rounding of computing it: not a fall.
    const small = await step(["--lr", "1e-18"]);
    assertOk(small);
    assert.match(
      last(small) ?? "",
      /^The loss changed only within float64's rounding \(113\.28999999999999 → 113\.289999999999\d+\): learning rate 1e-18 is too small to matter\. The article's is 0\.01\.$/,
    );
    // lr = 1/|x|² = 1/78: new_u − d = −(u − d), the same loss up to
    // rounding (here one unit in the last place lower, once called a fall).
    const flip = await step(["--lr", String(1 / 78)]);
    assertOk(flip);
    assert.match(
      last(flip) ?? "",
      /^The loss changed only within float64's rounding \(113\.28999999999999 → 113\.28999999999998\): learning rate 0\.01282051282 ≈ 1\/\|x\|² = 1\/78 overshoots: new_u − d ≈ −\(u − d\), the error changes sign but not size\. One step lowers the loss only for lr < 1\/\|x\|² ≈ 0\.01282\.$/,
    );
    const flipJa = await step(["--lr", String(1 / 78), "--lang", "ja"]);
    assertOk(flipJa);
    assert.match(
      last(flipJa) ?? "",
      /: 学習率 0\.01282051282 は 1\/\|x\|² = 1\/78 とほぼ同じで、new_u − d ≈ −\(u − d\) と誤差の符号が反転するだけで大きさは変わりません。1回の学習で Loss が減るのは学習率が 1\/\|x\|² ≈ 0\.01282 より小さいときだけです。$/,
    );
    // Beyond rounding, a fall and a rise are still called so: 1e-16 just
    // lowers the loss, and the article's rate keeps its words.
    const fell = await step(["--lr", "1e-16"]);
    assert.match(
      last(fell) ?? "",
      /^The loss fell from 113\.28999999999999 to 113\.2899999999\d+: the model learned\.$/,
    );
    const article = await step();
    assert.equal(
      last(article),
      "The loss fell from 113.28999999999999 to 35.527744: the model learned.",
    );
  },
});

Deno.test({
  name: "step.ts --help, -h, and bad flags fail plainly",
  ignore: !canRun,
  async fn() {
    for (const flag of ["--help", "-h"]) {
      const help = await step([flag]);
      assertOk(help);
      assert.match(help.stdout, /Usage: deno run scripts\/step\.ts/);
      for (
        const name of [
          "--learning-rate",
          "--lr",
          "--json",
          "--lang",
          "-h, --help",
        ]
      ) {
        assert.ok(help.stdout.includes(name), name);
      }
    }
    const ja = await step(["--help", "--lang", "ja"]);
    assertOk(ja);
    assert.match(ja.stdout, /使い方: deno run scripts\/step\.ts/);

    const bad: [string[], RegExp][] = [
      [["--lr", "abc"], /^error: --lr must be a number, got "abc"\.$/m],
      [["--lr", "0"], /--lr must be greater than 0, got 0\./],
      [["--learning-rate=-1"], /--learning-rate must be greater than 0/],
      [["--lr", "1", "--learning-rate", "1"], /Give the learning rate once/],
      [["--lang", "fr"], /--lang must be en or ja, got "fr"\./],
      [["--jsno"], /Unknown flag --jsno: did you mean --json\?/],
      [["--lr"], /--lr needs a value/],
      [["--json=1"], /--json takes no value/],
      [["positional"], /Unexpected argument "positional"/],
      [["--lr", "1e300"], /learning rate 1e\+300 the numbers overflow float64/],
    ];
    for (const [args, pattern] of bad) {
      assertPlainFailure(await step(args), pattern);
    }
    const jaBad: [string[], RegExp][] = [
      [
        ["--lr", "abc"],
        /^エラー: --lr には数を指定してください\(指定された値: "abc"\)。$/m,
      ],
      [
        ["--jsno"],
        /^エラー: --jsno というフラグはありません。--json のことですか\?$/m,
      ],
      [
        ["--lr", "1e300"],
        /^エラー: 学習率 1e\+300 では数が float64 に収まりません。$/m,
      ],
    ];
    for (const [args, pattern] of jaBad) {
      assertPlainFailure(await step(["--lang", "ja", ...args]), pattern);
    }
  },
});
