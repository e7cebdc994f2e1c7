// TEMPORARY stand-in for scripts/train.ts (being written on another branch):
// the article's whole script (sections 1, 3 and 4) with this toolkit, so that
// bench/compare.ts can time a whole `deno run` against `python3
// bench/article.py`. compare.ts uses scripts/train.ts instead once it exists.
import {
  forward,
  gradient,
  matrix,
  scale,
  squaredError,
  sub,
  train,
} from "../mod.ts";

const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const x = matrix([[5], [2], [7]]);
const b = matrix([[1.2], [3.4]]);
const d = matrix([[1], [0]]);

console.log("Loss:", squaredError(forward({ w, b }, x), d));

const newW = sub(w, scale(gradient({ w, b }, { x, d }).w, 0.01));
console.log("new_Loss:", squaredError(forward({ w: newW, b }, x), d));

const { history } = train({ w, b }, { x, d }, {
  learningRate: 0.0001,
  steps: 100,
  logEvery: 10,
});
for (const { step, loss } of history) console.log(step, "回目:", loss);
