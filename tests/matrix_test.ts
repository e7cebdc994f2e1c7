// Building and reading matrices: matrix, zeros, identity, toArray, at, shape.
import fc from "fast-check";
import assert from "node:assert/strict";
import { identity, Matrix, matrix, toArray, zeros } from "../mod.ts";
import { arrays, size } from "./_helpers.ts";

Deno.test("matrix(rows) round-trips through toArray, bit for bit", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(6), size(6)).chain(([r, c]) =>
        fc.array(
          fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
            minLength: c,
            maxLength: c,
          }),
          { minLength: r, maxLength: r },
        )
      ),
      (rows) => {
        const m = matrix(rows);
        assert.ok(m instanceof Matrix);
        assert.equal(m.rows, rows.length);
        assert.equal(m.cols, rows[0].length);
        assert.deepEqual(m.shape, [rows.length, rows[0].length]);
        // deepEqual is Object.is per entry, so -0 and subnormals must survive.
        assert.deepEqual(toArray(m), rows);
        assert.deepEqual(
          JSON.parse(JSON.stringify(m)),
          JSON.parse(JSON.stringify(rows)),
        );
        for (let i = 0; i < m.rows; i++) {
          for (let j = 0; j < m.cols; j++) {
            assert.ok(Object.is(m.at(i, j), rows[i][j]));
          }
        }
      },
    ),
  );
});

Deno.test("at refuses indices outside the shape", () => {
  fc.assert(
    fc.property(
      fc.tuple(size(), size()).chain(([r, c]) => arrays(r, c)),
      fc.oneof(
        fc.integer({ min: -3, max: 8 }),
        fc.constantFrom(0.5, NaN, Infinity),
      ),
      fc.oneof(
        fc.integer({ min: -3, max: 8 }),
        fc.constantFrom(0.5, NaN, Infinity),
      ),
      (rows, i, j) => {
        const m = matrix(rows);
        const inside = Number.isInteger(i) && Number.isInteger(j) && i >= 0 &&
          j >= 0 &&
          i < m.rows && j < m.cols;
        if (inside) {
          assert.equal(m.at(i, j), rows[i][j]);
        } else {
          assert.throws(() => m.at(i, j), {
            name: "RangeError",
            message: new RegExp(
              `of a ${m.rows}x${m.cols} Matrix in at\\(row, col\\)`,
            ),
          });
        }
      },
    ),
  );
});

Deno.test("zeros and identity", () => {
  fc.assert(
    fc.property(size(8), size(8), (r, c) => {
      const z = zeros(r, c);
      assert.deepEqual(z.shape, [r, c]);
      assert.deepEqual(
        toArray(z),
        Array.from({ length: r }, () => new Array(c).fill(0)),
      );
      const id = identity(r);
      assert.deepEqual(
        toArray(id),
        Array.from(
          { length: r },
          (_, i) => Array.from({ length: r }, (_, j) => (i === j ? 1 : 0)),
        ),
      );
    }),
  );
});

Deno.test("toString prints like numpy's nested lists", () => {
  assert.equal(matrix([[1, 2], [3, 4]]).toString(), "[[1, 2],\n [3, 4]]");
  assert.equal(matrix([[0.1, -2.5]]).toString(), "[[0.1, -2.5]]");
  assert.equal(String(matrix([[5], [2], [7]])), "[[5],\n [2],\n [7]]");
});

Deno.test("matrix accepts readonly input and large or tiny finite values", () => {
  const rows = Object.freeze([
    Object.freeze([Number.MAX_VALUE, -Number.MIN_VALUE]),
  ]);
  assert.deepEqual(toArray(matrix(rows)), [[
    Number.MAX_VALUE,
    -Number.MIN_VALUE,
  ]]);
});

/** The bundle Deno's Jupyter kernel gets from a Matrix. */
function jupyterBundle(m: Matrix): Record<string, string> {
  const hook = (m as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ];
  return hook.call(m);
}

/** The table's cells as text, row by row (the header row first). */
function cells(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1])
  );
}

Deno.test("Jupyter shows a Matrix as a table with every digit, and as today's text", () => {
  const m = matrix([[0, 0.3, -0.8], [1, -1.2, 1e-7]]);
  const bundle = jupyterBundle(m);
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  assert.equal(bundle["text/plain"], Deno.inspect(m));
  assert.equal(bundle["text/plain"], `Matrix 2x3 ${m.toString()}`);
  const html = bundle["text/html"];
  assert.match(html, /^<table[^>]*>/);
  assert.match(html, /<\/table>$/);
  assert.match(html, /<caption[^>]*>Matrix 2x3<\/caption>/);
  assert.deepEqual(cells(html), [
    ["", "0", "1", "2"],
    ["0", "0", "0.3", "-0.8"],
    ["1", "1", "-1.2", "1e-7"],
  ]);
  // Unchanged elsewhere.
  assert.equal(m.toString(), "[[0, 0.3, -0.8],\n [1, -1.2, 1e-7]]");
  assert.equal(JSON.stringify(m), "[[0,0.3,-0.8],[1,-1.2,1e-7]]");
  // Every entry, bit for bit, for any matrix up to the summary's size.
  fc.assert(
    fc.property(
      fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 12 }))
        .chain(([r, c]) =>
          fc.array(
            fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
              minLength: c,
              maxLength: c,
            }),
            { minLength: r, maxLength: r },
          )
        ),
      (rows) => {
        const table = cells(jupyterBundle(matrix(rows))["text/html"]);
        // Each entry as toString writes it, which reads back bit for bit
        // (-0 is written 0, as toString writes it).
        assert.deepEqual(
          table.slice(1).map((row) => row.slice(1)),
          toArray(matrix(rows)).map((row) => row.map(String)),
        );
        assert.deepEqual(
          table.slice(1).map((row) => row.slice(1).map(Number)),
          toArray(matrix(rows)).map((row) => row.map((v) => v === 0 ? 0 : v)),
        );
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("Jupyter summarizes a large Matrix: 20 rows, 12 columns, ellipses and the shape", () => {
  const m = matrix(
    Array.from(
      { length: 784 },
      (_, i) => Array.from({ length: 100 }, (_, j) => i * 1000 + j),
    ),
  );
  const html = jupyterBundle(m)["text/html"];
  assert.match(
    html,
    /<caption[^>]*>Matrix 784x100 \(showing 20 of 784 rows and 12 of 100 columns\)<\/caption>/,
  );
  const table = cells(html);
  assert.equal(table.length, 1 + 21);
  assert.ok(table.every((row) => row.length === 1 + 13));
  assert.deepEqual(table[0], [
    "",
    ..."012345".split(""),
    "…",
    "94",
    "95",
    "96",
    "97",
    "98",
    "99",
  ]);
  assert.deepEqual(table[1].slice(0, 3), ["0", "0", "1"]);
  assert.deepEqual(table[11], [
    "⋮",
    ...Array(6).fill("⋮"),
    "⋱",
    ...Array(6).fill("⋮"),
  ]);
  assert.deepEqual(table[21].slice(-2), ["783098", "783099"]);
  assert.equal(table[21][0], "783");
  assert.equal(table[5][7], "…");
  // A long row alone, and a long column alone.
  assert.equal(cells(jupyterBundle(zeros(1, 13))["text/html"])[1].length, 14);
  assert.equal(cells(jupyterBundle(zeros(21, 1))["text/html"]).length, 22);
  assert.equal(cells(jupyterBundle(zeros(20, 12))["text/html"]).length, 21);
});
