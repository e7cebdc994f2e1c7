/**
 * Section 2 of the article (学習の基本的な概念): gradient descent, made visible.
 *
 * The article draws the loss against one weight and shows that at a point Wm
 * right of the lowest point the slope is positive, at a point Wn left of it
 * negative, and that either way w' = w − α·slope moves towards the lowest
 * point. This script does it with numbers: it lets one weight of the
 * article's model move (all the others stay fixed), draws the loss as a
 * terminal chart, measures the slope on each side of the lowest point (the
 * analytic gradient, checked against a numerical one) and takes one step
 * from each side.
 *
 * Run: `deno run scripts/gradient_descent.ts` (`--lang ja`: in the article's
 * words, 横軸に重み、縦軸に誤差).
 *
 * @module
 */
import {
  add,
  dot,
  gradient,
  type Matrix,
  matrix,
  numericalGradient,
  squaredError,
  toArray,
} from "../mod.ts";
import {
  formatFactor as paren,
  formatNumber as fmt,
  type Lang,
  parseFlags,
  parseLang,
  runMain,
} from "./_cli.ts";

const HELP = {
  en:
    `Section 2 of the article: gradient descent made visible, as the loss along
one weight, the slope on each side of the lowest point, and one step from
each side.

Usage: deno run scripts/gradient_descent.ts [--lang en|ja]

Flags:
  --lang en|ja   language of the explanation, the chart and error messages
                 (ja: the article's own words; default en)
  -h, --help     show this help`,
  ja: `記事の「学習の基本的な概念」: 勾配降下法を目で見ます。重みを1つだけ
動かしたときの誤差の曲線、誤差が最小になる点の両側での「傾き」、
それぞれの側から1回学習させた結果を表示します。

使い方: deno run scripts/gradient_descent.ts [--lang en|ja]

フラグ:
  --lang en|ja   説明・グラフ・エラーメッセージの言語
                 (ja: 記事の言葉で。既定は en)
  -h, --help     このヘルプを表示する`,
};

// The article's model (section 1).
const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const x = matrix([[5], [2], [7]]);
const b = matrix([[1.2], [3.4]]);
const d = matrix([[1], [0]]);

/** The weight we move: w[0][0], from input x1 = 5 to output u1. */
const ROW = 0;
const COL = 0;

/** The article's w with w[ROW][COL] replaced by `value`. */
function weightsWith(value: number): Matrix {
  const rows = toArray(w);
  rows[ROW][COL] = value;
  return matrix(rows);
}

/** The loss of the model when the chosen weight is `value`. */
function lossAt(value: number): number {
  const y = dot(weightsWith(value), x);
  const u = add(y, b);
  return squaredError(u, d);
}

/** ∂Loss/∂w[ROW][COL] by the analytic gradient 2(u − d)·xᵀ. */
function slopeAt(value: number): number {
  return gradient({ w: weightsWith(value), b }, { x, d }).w.at(ROW, COL);
}

/** The same slope by central differences, from the loss alone. */
function numericalSlopeAt(value: number): number {
  const f = (m: Matrix): number => lossAt(m.at(0, 0));
  return numericalGradient(f, matrix([[value]])).at(0, 0);
}

/** Columns a text takes in a terminal: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/
          .test(ch)
        ? 2
        : 1;
  }
  return width;
}

interface Marker {
  at: number;
  symbol: string;
}

/** Draws `f` over [from, to] as text, with markers on the curve. */
function chart(
  f: (t: number) => number,
  from: number,
  to: number,
  markers: Marker[],
  xLabel: string,
  yLabel: string,
): string {
  const width = 61;
  const height = 16;
  const ts = Array.from(
    { length: width },
    (_, c) => from + (to - from) * c / (width - 1),
  );
  const ys = ts.map(f);
  const top = Math.max(...ys, ...markers.map((m) => f(m.at)));
  const bottom = Math.min(...ys, ...markers.map((m) => f(m.at)));
  const rowOf = (y: number): number =>
    Math.round((top - y) / (top - bottom) * (height - 1));
  const colOf = (t: number): number =>
    Math.round((t - from) / (to - from) * (width - 1));
  const grid = Array.from({ length: height }, () => Array(width).fill(" "));
  for (let c = 0; c < width; c++) {
    const r = rowOf(ys[c]);
    grid[r][c] = ".";
    // Fill steep stretches so the curve stays connected.
    const next = c + 1 < width ? rowOf(ys[c + 1]) : r;
    for (let k = Math.min(r, next) + 1; k < Math.max(r, next); k++) {
      grid[k][next > r ? c : c + 1] = ".";
    }
  }
  for (const { at, symbol } of markers) {
    grid[rowOf(f(at))][colOf(at)] = symbol;
  }
  const topLabel = fmt(top);
  const bottomLabel = fmt(bottom);
  const pad = Math.max(topLabel.length, bottomLabel.length, 4);
  const lines = [
    `${" ".repeat(Math.max(0, pad - displayWidth(yLabel)))}${yLabel}`,
  ];
  for (let r = 0; r < height; r++) {
    const label = r === 0 ? topLabel : r === height - 1 ? bottomLabel : "";
    lines.push(`${label.padStart(pad)} |${grid[r].join("").trimEnd()}`);
  }
  lines.push(`${" ".repeat(pad)} +${"-".repeat(width)}`);
  const axis = Array(width + 12).fill(" ");
  for (let t = Math.ceil(from); t <= to; t++) {
    const text = String(t);
    const start = Math.max(0, colOf(t) - Math.floor((text.length - 1) / 2));
    for (let i = 0; i < text.length; i++) axis[start + i] = text[i];
  }
  lines.push(`${" ".repeat(pad + 2)}${axis.join("").trimEnd()}  ${xLabel}`);
  return lines.join("\n");
}

/** Everything the explanation shows, computed once for both languages. */
interface Story {
  name: string;
  input: number;
  alpha: number;
  chart: string;
  wn: number;
  wm: number;
  lowest: number;
  curvature: number;
  sides: Side[];
  big: number;
  jump: number;
  slopeN: number;
}

/** One side of the lowest point: the slope there and one step from there. */
interface Side {
  label: string;
  at: number;
  slope: number;
  numerical: number;
  agree: boolean;
  next: number;
  before: number;
  after: number;
}

function side(label: string, at: number, alpha: number): Side {
  const slope = slopeAt(at);
  const numerical = numericalSlopeAt(at);
  const next = at - alpha * slope;
  return {
    label,
    at,
    slope,
    numerical,
    agree: Math.abs(numerical - slope) <= 1e-6 * Math.max(1, Math.abs(slope)),
    next,
    before: lossAt(at),
    after: lossAt(next),
  };
}

function story(lang: Lang): Story {
  const alpha = 0.01; // the learning rate of the article's section 3
  const wn = w.at(ROW, COL); // the article's own value, 0
  const wm = 2;
  const n = side("Wn", wn, alpha);
  const m = side("Wm", wm, alpha);
  // The loss is a parabola in one weight, so its slope is a straight line:
  // it grows by the same amount per unit of weight everywhere.
  const curvature = (m.slope - n.slope) / (wm - wn);
  const lowest = wn - n.slope / curvature;
  const name = `w[${ROW}][${COL}]`;
  const big = 0.05;
  return {
    name,
    input: x.at(COL, 0),
    alpha,
    chart: chart(
      lossAt,
      -1,
      3,
      [
        { at: wn, symbol: "N" },
        { at: n.next, symbol: "n" },
        { at: lowest, symbol: "*" },
        { at: m.next, symbol: "m" },
        { at: wm, symbol: "M" },
      ],
      lang === "ja" ? `重み ${name}` : name,
      lang === "ja" ? "誤差" : "loss",
    ),
    wn,
    wm,
    lowest,
    curvature,
    sides: [n, m],
    big,
    jump: wn - big * n.slope,
    slopeN: n.slope,
  };
}

function english(s: Story): string[] {
  const { name, alpha, wn, wm, lowest, curvature, big, jump, slopeN } = s;
  const out = [
    "Section 2 of the article: gradient descent, made visible.",
    "",
    "Learning means moving a weight a little up or down so that the loss goes",
    `down. Take the article's model and let one weight move: ${name}, the`,
    `weight from input x1 = ${s.input} to output u1. Every other weight and the`,
    "bias stay as in section 1. The loss is then a curve of that one weight:",
    "",
    s.chart,
    "",
    `  N  Wn = ${fmt(wn)}, the article's value     n  one step from Wn`,
    `  M  Wm = ${fmt(wm)}                          m  one step from Wm`,
    `  *  the lowest point, ${name} = ${fmt(lowest)} (loss ${
      fmt(lossAt(lowest))
    })`,
    "",
    'The slope of the curve (the article\'s "傾き") is the derivative of the loss',
    "with respect to the weight. The library finds it two ways: gradient()",
    "uses the formula 2(u − d)·xᵀ, and numericalGradient() moves the weight by",
    "±h and divides the change in the loss by 2h. They should agree.",
  ];
  for (const p of s.sides) {
    const direction = p.slope < 0
      ? "right (the weight grows)"
      : "left (the weight shrinks)";
    out.push(
      "",
      `At ${p.label} = ${fmt(p.at)}, ${
        p.at < lowest ? "left" : "right"
      } of the lowest point:`,
      `  loss               ${fmt(p.before)}`,
      `  slope, gradient()  ${fmt(p.slope)}`,
      `  slope, numerical   ${p.numerical}  (${
        p.agree ? "agrees" : "DOES NOT AGREE"
      })`,
      `  The slope is ${
        p.slope < 0 ? "negative" : "positive"
      }, so w' = w − α·slope moves ${direction}:`,
      `  w' = ${fmt(p.at)} − ${alpha} × ${paren(p.slope)} = ${
        fmt(p.next)
      }, and the loss ${p.after < p.before ? "falls" : "RISES"} from ${
        fmt(p.before)
      } to ${fmt(p.after)}.`,
    );
  }
  out.push(
    "",
    "Either way, stepping against the slope goes downhill: that is gradient",
    `descent, w' = w − α·slope, here with learning rate α = ${alpha}.`,
    "",
    "The learning rate matters. The slope grows by " +
      `${fmt(curvature)} per unit of ${name}, so a`,
    `step with α above 2/${fmt(curvature)} = ${
      fmt(2 / curvature)
    } jumps so far past the lowest point that the`,
    `loss goes up. With α = ${big} from Wn: w' = ${fmt(wn)} − ${big} × ${
      paren(slopeN)
    } = ${fmt(jump)}, and the`,
    `loss ${lossAt(jump) > lossAt(wn) ? "rises" : "falls"} from ${
      fmt(lossAt(wn))
    } to ${fmt(lossAt(jump))}. On the whole model, repeated, such a step`,
    "makes the loss explode: try `deno run scripts/train.ts --lr 1`.",
  );
  return out;
}

/** The same explanation in the article's words (学習の基本的な概念). */
function japanese(s: Story): string[] {
  const { name, alpha, wn, wm, lowest, curvature, big, jump, slopeN } = s;
  const out = [
    "記事の「学習の基本的な概念」: 勾配降下法を目で見る。",
    "",
    "学習とは、誤差が減るように重みをちょっとだけ増やす、もしくは減らすこと。",
    `最小モデルの重みを1つだけ動かしてみます: ${name}、入力 x1 = ${s.input} から`,
    "出力 u1 への重みです。ほかの重みとバイアスは「最小モデルの定義」のまま。",
    "横軸に重み、縦軸に誤差をとると、誤差はこの重みの曲線になります:",
    "",
    s.chart,
    "",
    `  N  Wn = ${fmt(wn)}(記事の値)   n  Wn から1回学習させた点`,
    `  M  Wm = ${fmt(wm)}             m  Wm から1回学習させた点`,
    `  *  誤差が最小になる点 ${name} = ${fmt(lowest)}(誤差 ${
      fmt(lossAt(lowest))
    })`,
    "",
    "「傾き」は重みに対する誤差の微分で、勾配と呼びます。ライブラリは2通りで",
    "求めます: gradient() は式 2(u − d)·xᵀ を使い、numericalGradient() は重みを",
    "±h 動かしたときの誤差の変化を 2h で割ります。2つは一致するはずです。",
  ];
  for (const p of s.sides) {
    const direction = p.slope < 0
      ? "右に移動し(重みが増える)"
      : "左に移動し(重みが減る)";
    out.push(
      "",
      `重みが ${p.label} = ${fmt(p.at)} の場合(誤差が最小になる点の${
        p.at < lowest ? "左" : "右"
      }側):`,
      `  誤差: ${fmt(p.before)}`,
      `  傾き(gradient()): ${fmt(p.slope)}`,
      `  傾き(数値微分): ${p.numerical}(${p.agree ? "一致" : "一致しない!"})`,
      `  「傾き」は${
        p.slope < 0 ? "負" : "正"
      }。よって、重みから傾きを引けば${direction}、`,
      `  w' = ${fmt(p.at)} − ${alpha} × ${paren(p.slope)} = ${
        fmt(p.next)
      } で、誤差は ${fmt(p.before)} から ${fmt(p.after)} に${
        p.after < p.before ? "減少する" : "増加してしまう!"
      }。`,
    );
  }
  out.push(
    "",
    "結局どちらの場合でも、重みから「傾き」を引けば誤差は減少する。これが勾配降下法",
    `w' = w - α*「傾き」(α:学習率)で、ここでは学習率 α = ${alpha}。`,
    "",
    `学習率は大切です。傾きは ${name} が 1 増えるごとに ${
      fmt(curvature)
    } ずつ増えるので、`,
    `学習率 α が 2/${fmt(curvature)} = ${
      fmt(2 / curvature)
    } を超えると、1回の学習で誤差が最小になる点を大きく`,
    `飛び越えて誤差が増えてしまいます。Wn から α = ${big} で学習させると:`,
    `w' = ${fmt(wn)} − ${big} × ${paren(slopeN)} = ${fmt(jump)} で、誤差は ${
      fmt(lossAt(wn))
    } から ${fmt(lossAt(jump))} に${
      lossAt(jump) > lossAt(wn) ? "増加する" : "減少する"
    }。`,
    "モデル全体でこのような学習を繰り返すと誤差は爆発します:",
    "`deno run scripts/train.ts --lr 1 --lang ja` で試してみてください。",
  );
  return out;
}

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
  const s = story(lang);
  console.log((lang === "ja" ? japanese(s) : english(s)).join("\n"));
});
