// confusionHeatmap: the cells, shades, labels and measures it draws, and the
// arguments it refuses.
import assert from "node:assert/strict";
import {
  confusionHeatmap,
  confusionMatrix,
  confusionTable,
  matrix,
  Svg,
} from "../mod.ts";

// Three cats (one taken for a dog) and two dogs.
const c = confusionMatrix(
  matrix([[3, 2, 0, 1, 0], [1, 0, 4, 5, 6]]),
  matrix([[1, 1, 1, 0, 0], [0, 0, 0, 1, 1]]),
);

Deno.test("confusionHeatmap: an Svg with a cell and a count per pair of classes", () => {
  const svg = confusionHeatmap(c, { labels: ["cat", "dog"] });
  assert.ok(svg instanceof Svg);
  assert.match(svg.markup, /^<svg xmlns/);
  assert.match(svg.markup, /<\/svg>\n$/);
  assert.equal(svg.markup.match(/<rect class="cell"/g)?.length, 4);
  // Each cell's tooltip names its classes, count and share of the row.
  assert.match(svg.markup, /<title>cat → cat: 2 \(66\.7% of cat\)<\/title>/);
  assert.match(svg.markup, /<title>cat → dog: 1 \(33\.3% of cat\)<\/title>/);
  assert.match(svg.markup, /<title>dog → dog: 2 \(100\.0% of dog\)<\/title>/);
  assert.match(svg.markup, />Confusion matrix</);
  assert.match(svg.markup, />predicted</);
  assert.match(svg.markup, />true class</);
  for (const word of ["precision", "recall", "F1", "accuracy 80.0%"]) {
    assert.match(svg.markup, new RegExp(`>${word}<`));
  }
  // Precision of dog 2/3, recall of cat 2/3, F1 of dog 0.8.
  assert.match(svg.markup, />66\.7%</);
  assert.match(svg.markup, />80\.0%</);
  // The legend: ten shades from light to dark.
  assert.equal(svg.markup.match(/<rect class="legend"/g)?.length, 10);
});

Deno.test("confusionHeatmap: a full row share is the darkest shade, none the lightest", () => {
  const svg = confusionHeatmap(c);
  const fills = [
    ...svg.markup.matchAll(/class="cell"[^>]*fill="(#[0-9a-f]{6})"/g),
  ]
    .map((m) => m[1]);
  assert.deepEqual(fills.slice(2), ["#f7fbff", "#08306b"]);
  // Default labels are the class numbers.
  assert.match(svg.markup, /<title>0 → 1: 1 /);
});

Deno.test("confusionHeatmap: labels and title are escaped; a row without samples is blank", () => {
  const empty = {
    classes: 2,
    counts: [[0, 0], [1, 3]],
    precision: [0, 1],
    recall: [0, 0.75],
    f1: [0, 0.857],
  };
  const svg = confusionHeatmap(empty, {
    labels: ["<a>", "b&c"],
    title: "x < y",
    cellSize: 30,
  });
  assert.match(svg.markup, /&#60;a&#62;/);
  assert.match(svg.markup, /b&#38;c/);
  assert.match(svg.markup, />x &#60; y</);
  assert.doesNotMatch(svg.markup, /<a>/);
  assert.doesNotMatch(svg.markup, /accuracy/);
  assert.match(svg.markup, /width="30" height="30" fill="#f7fbff"/);
  assert.match(svg.markup, /0\.0% of &#60;a&#62;/);
});

Deno.test("confusionHeatmap: draws what confusionTable prints, for ten classes", () => {
  const k = 10;
  const eye = matrix(
    Array.from(
      { length: k },
      (_, i) => Array.from({ length: k }, (_, j) => i === j ? 1 : 0),
    ),
  );
  const ten = confusionMatrix(eye, eye);
  assert.match(confusionTable(ten), /accuracy 100\.0%/);
  const svg = confusionHeatmap(ten);
  assert.equal(svg.markup.match(/<rect class="cell"/g)?.length, 100);
  // The diagonal is the darkest shade (the legend stops short of it).
  assert.equal(svg.markup.match(/fill="#08306b"/g)?.length, k);
});

Deno.test("confusionHeatmap: refuses what is not a confusion matrix", () => {
  const fn = "confusionHeatmap(confusion, options)";
  const cases: [unknown, unknown, ErrorConstructor, RegExp][] = [
    [
      null,
      undefined,
      TypeError,
      /Expected confusion of .* to be the result of confusionMatrix, got null/,
    ],
    [
      { ...c, classes: "2" },
      undefined,
      TypeError,
      /confusion\.classes .* to be a number/,
    ],
    [
      { ...c, classes: 0 },
      undefined,
      RangeError,
      /integer from 1 to 1000, got 0/,
    ],
    [{ ...c, classes: 1.5 }, undefined, RangeError, /got 1\.5/],
    [
      { ...c, counts: [[1, 2]] },
      undefined,
      TypeError,
      /confusion\.counts .* 2 rows of counts/,
    ],
    [
      { ...c, counts: [[1, 2], [3]] },
      undefined,
      TypeError,
      /confusion\.counts\[1\] .* array of 2 numbers/,
    ],
    [
      { ...c, counts: [[1, 2], [3, -1]] },
      undefined,
      RangeError,
      /confusion\.counts\[1\]\[1\] .* non-negative number, got -1/,
    ],
    [{ ...c, counts: [[1, 2], [3, NaN]] }, undefined, RangeError, /got NaN/],
    [
      { ...c, recall: [1] },
      undefined,
      TypeError,
      /confusion\.recall .* array of 2 numbers/,
    ],
    [
      { ...c, f1: [1, Infinity] },
      undefined,
      RangeError,
      /confusion\.f1\[1\] .* finite number, got Infinity/,
    ],
    [
      { ...c, accuracy: "1" },
      undefined,
      TypeError,
      /confusion\.accuracy .* a number/,
    ],
    [c, 5, TypeError, /Expected options of .* to be an object/],
    [c, { label: [] }, TypeError, /Unknown option "label"/],
    [c, { labels: "ab" }, TypeError, /options\.labels .* array of strings/],
    [
      c,
      { labels: ["a"] },
      RangeError,
      /options\.labels .* each of the 2 classes, got 1/,
    ],
    [
      c,
      { labels: ["a", 1] },
      TypeError,
      /options\.labels\[1\] .* a string, got 1/,
    ],
    [c, { title: 3 }, TypeError, /options\.title .* a string/],
    [c, { cellSize: 2 }, RangeError, /options\.cellSize/],
  ];
  for (const [confusion, options, type, message] of cases) {
    assert.throws(
      () =>
        confusionHeatmap(
          confusion as Parameters<typeof confusionHeatmap>[0],
          options as Parameters<typeof confusionHeatmap>[1],
        ),
      (e: unknown) => {
        assert.ok(e instanceof type, `${message}: ${e}`);
        assert.match((e as Error).message, message);
        assert.ok((e as Error).message.includes(fn), (e as Error).message);
        return true;
      },
    );
  }
});
