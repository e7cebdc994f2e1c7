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
 * Run: `deno run scripts/gradient_descent.ts`
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
import { helpOnly, runMain } from "./_cli.ts";

const HELP =
  `Section 2 of the article: gradient descent made visible, as the loss along
one weight, the slope on each side of the lowest point, and one step from
each side.

Usage: deno run scripts/gradient_descent.ts`;

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

/** A number for reading: at most 10 significant digits, no trailing zeros. */
function fmt(value: number): string {
  const text = String(Number(value.toPrecision(10)));
  return text === "-0" ? "0" : text;
}

/** A signed number in words for formulas: "(−48)" for negatives. */
function paren(value: number): string {
  return value < 0 ? `(−${fmt(-value)})` : fmt(value);
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
  const lines = [`${"loss".padStart(pad)}`];
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

runMain(() => {
  if (helpOnly(Deno.args, HELP)) return;
  const alpha = 0.01; // the learning rate of the article's section 3
  const wn = w.at(ROW, COL); // the article's own value, 0
  const wm = 2;

  const slopeN = slopeAt(wn);
  const slopeM = slopeAt(wm);
  // The loss is a parabola in one weight, so its slope is a straight line:
  // it grows by the same amount per unit of weight everywhere.
  const curvature = (slopeM - slopeN) / (wm - wn);
  const lowest = wn - slopeN / curvature;
  const stepN = wn - alpha * slopeN;
  const stepM = wm - alpha * slopeM;

  const name = `w[${ROW}][${COL}]`;
  const out: string[] = [];
  out.push(
    "Section 2 of the article: gradient descent, made visible.",
    "",
    "Learning means moving a weight a little up or down so that the loss goes",
    `down. Take the article's model and let one weight move: ${name}, the`,
    `weight from input x1 = ${
      x.at(0, 0)
    } to output u1. Every other weight and the`,
    "bias stay as in section 1. The loss is then a curve of that one weight:",
    "",
    chart(lossAt, -1, 3, [
      { at: wn, symbol: "N" },
      { at: stepN, symbol: "n" },
      { at: lowest, symbol: "*" },
      { at: stepM, symbol: "m" },
      { at: wm, symbol: "M" },
    ], name),
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
  );

  const side = (
    label: string,
    at: number,
    slope: number,
    next: number,
    where: string,
  ): void => {
    const numerical = numericalSlopeAt(at);
    const agree =
      Math.abs(numerical - slope) <= 1e-6 * Math.max(1, Math.abs(slope));
    const before = lossAt(at);
    const after = lossAt(next);
    const direction = slope < 0
      ? "right (the weight grows)"
      : "left (the weight shrinks)";
    out.push(
      "",
      `At ${label} = ${fmt(at)}, ${where} of the lowest point:`,
      `  loss               ${fmt(before)}`,
      `  slope, gradient()  ${fmt(slope)}`,
      `  slope, numerical   ${numerical}  (${
        agree ? "agrees" : "DOES NOT AGREE"
      })`,
      `  The slope is ${
        slope < 0 ? "negative" : "positive"
      }, so w' = w − α·slope moves ${direction}:`,
      `  w' = ${fmt(at)} − ${alpha} × ${paren(slope)} = ${
        fmt(next)
      }, and the loss ${after < before ? "falls" : "RISES"} from ${
        fmt(before)
      } to ${fmt(after)}.`,
    );
  };
  side("Wn", wn, slopeN, stepN, "left");
  side("Wm", wm, slopeM, stepM, "right");

  const big = 0.05;
  const jump = wn - big * slopeN;
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
  console.log(out.join("\n"));
});
