// argmax, the confusion matrix and its table, and fit's per-step callback.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  argmax,
  confusionMatrix,
  confusionTable,
  fit,
  matrix,
  mlp,
  oneHot,
  sgd,
  type StepRecord,
} from "../mod.ts";

Deno.test("argmax: the first largest row of each column; one row thresholds at 0.5", () => {
  assert.deepEqual(argmax(matrix([[1, 5, 2], [3, 0, 2], [3, -1, 0]])), [
    1,
    0,
    0,
  ]);
  assert.deepEqual(argmax(matrix([[0.2, 0.5, 0.9]])), [0, 1, 1]);
  assert.throws(() => argmax([[1]] as never), /m of argmax/);
});

Deno.test("confusionMatrix: counts, precision, recall and F1 by hand", () => {
  // truth    0 0 1 1 2 2
  // predict  0 1 1 1 0 2
  const truth = [0, 0, 1, 1, 2, 2];
  const predicted = [0, 1, 1, 1, 0, 2];
  const c = confusionMatrix(oneHot(predicted, 3), oneHot(truth, 3));
  assert.deepEqual(c.counts, [[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
  // precision: 1/2, 2/3, 1/1; recall: 1/2, 2/2, 1/2.
  assert.deepEqual(c.precision, [1 / 2, 2 / 3, 1]);
  assert.deepEqual(c.recall, [1 / 2, 1, 1 / 2]);
  assert.deepEqual(c.f1, [1 / 2, 2 * (2 / 3) / (2 / 3 + 1), 2 * 0.5 / 1.5]);
  assert.equal(c.accuracy, 4 / 6);
  // A class never predicted has precision 0 (0/0, as scikit-learn's default
  // zero_division gives), and F1 0; its recall is 0/1.
  const never = confusionMatrix(oneHot([0, 0], 2), oneHot([0, 1], 2));
  assert.deepEqual(never.precision, [1 / 2, 0]);
  assert.deepEqual(never.recall, [1, 0]);
  assert.deepEqual(never.f1, [2 * (1 / 2) / (1 / 2 + 1), 0]);
  // A class without samples has recall 0 (0/0).
  const absent = confusionMatrix(oneHot([0, 1], 2), oneHot([0, 0], 2));
  assert.deepEqual(absent.recall, [1 / 2, 0]);
  assert.deepEqual(absent.precision, [1, 0]);
  assert.throws(
    () => confusionMatrix(matrix([[1]]), matrix([[1, 2]])),
    RangeError,
  );
});

Deno.test("confusionMatrix: counts add up to the samples, the diagonal to the correct ones", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 5 }).chain((k) =>
        fc.tuple(
          fc.constant(k),
          fc.array(fc.tuple(fc.nat(k - 1), fc.nat(k - 1)), {
            minLength: 1,
            maxLength: 40,
          }),
        )
      ),
      ([k, pairs]) => {
        const c = confusionMatrix(
          oneHot(pairs.map((p) => p[1]), k),
          oneHot(pairs.map((p) => p[0]), k),
        );
        assert.equal(c.counts.flat().reduce((a, b) => a + b, 0), pairs.length);
        const diagonal = c.counts.reduce((a, row, i) => a + row[i], 0);
        assert.equal(diagonal, pairs.filter((p) => p[0] === p[1]).length);
      },
    ),
    { seed: 7, numRuns: 100 },
  );
});

Deno.test("confusionTable: a row per class with its measures", () => {
  const c = confusionMatrix(oneHot([0, 1, 1], 2), oneHot([0, 1, 0], 2));
  const table = confusionTable(c, ["cat", "dog"]);
  const lines = table.split("\n");
  assert.equal(lines.length, 5);
  assert.match(lines[2], /^cat\s+1\s+1\s+100\.0%\s+50\.0%\s+66\.7%$/);
  assert.match(lines[4], /accuracy 66\.7%/);
  assert.throws(() => confusionTable(c, ["cat"]), RangeError);
});

Deno.test("fit: onStep sees every update in order, with the batch's own loss", () => {
  const x = matrix([[0, 1, 0, 1, 0.5], [0, 0, 1, 1, 0.5]]);
  const d = oneHot([0, 1, 1, 0, 1], 2);
  const { model, params } = mlp([2, 4, 2], 0);
  const steps: StepRecord[] = [];
  const result = fit(model, params, { x, d }, {
    epochs: 2,
    batchSize: 2,
    optimizer: sgd(0.1),
    onStep: (r) => steps.push(r),
  });
  assert.deepEqual(steps.map((s) => [s.epoch, s.batch, s.step, s.samples]), [
    [1, 1, 1, 2],
    [1, 2, 2, 2],
    [1, 3, 3, 1],
    [2, 1, 4, 2],
    [2, 2, 5, 2],
    [2, 3, 6, 1],
  ]);
  assert.ok(steps.every((s) => s.batches === 3));
  // The epoch loss is the sample-weighted mean of its steps' losses.
  const first = steps.slice(0, 3);
  const weighted = first.reduce((a, s) => a + s.loss * s.samples, 0) / 5;
  assert.ok(Math.abs(result.history[0].loss - weighted) < 1e-15);
  assert.throws(
    () => fit(model, params, { x, d }, { onStep: 1 as never }),
    /options\.onStep of fit/,
  );
});
