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
