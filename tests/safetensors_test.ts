// Safetensors: round trips bit for bit, the exact bytes of a tiny file
// against a header written out by hand, every refusal with its message, and
// files exchanged with Python's `safetensors` package in both directions.
//
// The Python tests need a python that imports safetensors and numpy: $PYTHON
// when set, else .venv/bin/python at the repository root (made by
// `python3 -m venv .venv && .venv/bin/pip install safetensors numpy`). Without
// one (or without --allow-run/--allow-read/--allow-write) they are ignored,
// with the reason in their name and on the console.
import assert from "node:assert/strict";
import fc from "fast-check";
import { findPython } from "./_helpers.ts";
import {
  fromSafetensors,
  type Matrix,
  matrix,
  toArray,
  toSafetensors,
} from "../mod.ts";

// ---------------------------------------------------------------- helpers

/** The entries of a Matrix as little-endian float64 bytes, in hex. */
function hexOf(m: Matrix): string {
  const values = toArray(m).flat();
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat64(8 * i, v, true));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A tree written out: arrays as [...], records as {key: ...} in key order,
 * each Matrix as its shape and the hex of its bits, so that two dumps are
 * equal only for the same structure, key order, shapes and bits.
 */
function dump(tree: unknown): string {
  if (Array.isArray(tree)) return `[${tree.map(dump).join(",")}]`;
  if (tree instanceof Object && "rows" in tree && "cols" in tree) {
    const m = tree as Matrix;
    return `M${m.rows}x${m.cols}:${hexOf(m)}`;
  }
  const record = tree as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  return `{${
    Object.keys(record).map((k) => `${JSON.stringify(k)}:${dump(record[k])}`)
      .join(",")
  }}`;
}

/** Every object and array of a tree is frozen. */
function assertFrozen(tree: unknown): void {
  if (tree === null || typeof tree !== "object") return;
  if (!Array.isArray(tree) && "rows" in tree) return;
  assert.ok(Object.isFrozen(tree));
  for (const v of Object.values(tree)) assertFrozen(v);
}

/** A file from a header (text, or a value to JSON.stringify) and data. */
function file(
  header: unknown,
  data: Uint8Array | number[] = [],
  headerLength?: number,
): Uint8Array {
  const text = new TextEncoder().encode(
    typeof header === "string" ? header : JSON.stringify(header),
  );
  const body = data instanceof Uint8Array ? data : f64(...data);
  const out = new Uint8Array(8 + text.length + body.length);
  new DataView(out.buffer).setBigUint64(
    0,
    BigInt(headerLength ?? text.length),
    true,
  );
  out.set(text, 8);
  out.set(body, 8 + text.length);
  return out;
}

/** Numbers as little-endian float64 bytes. */
function f64(...values: number[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat64(8 * i, v, true));
  return out;
}

/** Numbers as little-endian float32 bytes. */
function f32(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

/** A header entry for one F64 tensor. */
function tensor(shape: unknown, offsets: unknown, dtype: unknown = "F64") {
  return { dtype, shape, data_offsets: offsets };
}

/** Asserts that `call` throws `type` with exactly `message` (or matching it). */
function refuses(
  call: () => unknown,
  type: ErrorConstructor,
  message: string | RegExp,
): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof type, `${error} is not a ${type.name}`);
    const text = (error as Error).message;
    if (typeof message === "string") assert.equal(text, message);
    else assert.match(text, message);
    return true;
  });
}

const FROM = "fromSafetensors(bytes)";
const TO = "toSafetensors(tree, options)";

// ------------------------------------------------------------- round trip

/** Doubles over the whole finite range, with the edges drawn often. */
const double = fc.oneof(
  fc.double({ min: -1e308, max: 1e308, noNaN: true }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -0,
    5e-324,
    -5e-324,
    2.225073858507201e-308, // the largest subnormal
    -2.2250738585072014e-308, // the smallest normal, negated
    1e308,
    -1e308,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    0.1,
    1 / 3,
  ),
);

const anyMatrix = fc.tuple(
  fc.integer({ min: 1, max: 4 }),
  fc.integer({
    min: 1,
    max: 4,
  }),
).chain(([r, c]) =>
  fc.array(fc.array(double, { minLength: c, maxLength: c }), {
    minLength: r,
    maxLength: r,
  }).map((rows) => matrix(rows))
);

/** Keys without ".", so that paths never collide; some tricky ones. */
const key = fc.oneof(
  fc.constantFrom("w", "b", "__proto__", "10", "2", "0", "é", "😀", "\uFFFD"),
  fc.string({ minLength: 1, maxLength: 6 }).filter((k) =>
    !k.includes(".") && k !== "__metadata__"
  ),
);

/** Records built with defineProperty, so "__proto__" stays a plain key. */
function record(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const { tree: anyTree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    anyMatrix,
    fc.array(tie("tree"), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(key, tie("tree")), {
      selector: (e) => e[0],
      maxLength: 3,
    }).map(record),
  ),
}));

Deno.test("safetensors: random trees round trip bit for bit, structure and key order included", () => {
  fc.assert(
    fc.property(
      anyTree,
      fc.dictionary(
        fc.string().filter((k) => k !== "perceptron-toolkit.structure"),
        fc.string(),
        { maxKeys: 3 },
      ),
      (tree, metadata) => {
        const bytes = toSafetensors(tree as object, { metadata });
        const loaded = fromSafetensors(bytes);
        assert.equal(dump(loaded.tree), dump(tree));
        assert.deepEqual(loaded.metadata, { ...metadata });
        assertFrozen(loaded.tree);
        assert.ok(Object.isFrozen(loaded.metadata));
        // Saving what was loaded gives the same bytes.
        assert.deepEqual(
          toSafetensors(loaded.tree, { metadata: loaded.metadata }),
          bytes,
        );
        // The header is padded to a multiple of 8, so the data is aligned.
        assert.equal(
          Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8,
          0,
        );
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("safetensors: a model's params [{ w, b }, {}, { w, b }] come back exactly", () => {
  const params = [
    {
      w: matrix([[0.1, -0, 5e-324], [1e308, -1e308, 1 / 3]]),
      b: matrix([[1], [2]]),
    },
    {},
    { w: matrix([[-2.5, 3]]), b: matrix([[0]]) },
  ];
  const { tree, metadata } = fromSafetensors(toSafetensors(params));
  assert.equal(dump(tree), dump(params));
  assert.ok(Array.isArray(tree));
  assert.ok(Object.is((tree as { w: Matrix }[])[0].w.at(0, 1), -0));
  assert.deepEqual(metadata, {});
});

Deno.test("safetensors: a bare Matrix is one tensor named options.name, default params", () => {
  const m = matrix([[1, 2]]);
  for (
    const [options, name] of [[undefined, "params"], [
      { name: "w" },
      "w",
    ]] as const
  ) {
    const bytes = toSafetensors(m, options);
    const text = new TextDecoder().decode(bytes);
    assert.ok(text.includes(`"${name}":{"dtype":"F64","shape":[1,2]`), text);
    const { tree } = fromSafetensors(bytes);
    assert.equal(dump(tree), dump(m));
  }
});

Deno.test("safetensors: empty trees save no tensors and come back", () => {
  for (const tree of [{}, [], [{}, []], { a: {} }]) {
    const bytes = toSafetensors(tree);
    assert.equal(dump(fromSafetensors(bytes).tree), dump(tree));
    assert.equal(
      bytes.length,
      8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)),
    );
  }
});

Deno.test("safetensors: reads a file inside a larger buffer, at an odd offset", () => {
  const bytes = toSafetensors({ w: matrix([[1.5, -2]]) });
  const big = new Uint8Array(bytes.length + 3);
  big.set(bytes, 1);
  const { tree } = fromSafetensors(big.subarray(1, 1 + bytes.length));
  assert.equal(dump(tree), dump({ w: matrix([[1.5, -2]]) }));
});

// ------------------------------------------------------------ byte layout

Deno.test("safetensors: the exact bytes of a tiny file, against a header written by hand", () => {
  const bytes = toSafetensors(
    { w: matrix([[1, -2]]), b: matrix([[0.5]]) },
    { metadata: { note: "hello" } },
  );
  // 203 bytes of JSON, padded with 5 spaces to 208 = 0xd0.
  const header = '{"__metadata__":{"note":"hello",' +
    '"perceptron-toolkit.structure":"{\\"w\\":\\"w\\",\\"b\\":\\"b\\"}"},' +
    '"b":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},' +
    '"w":{"dtype":"F64","shape":[1,2],"data_offsets":[8,24]}}' +
    "     ";
  assert.equal(header.length, 208);
  const expected = [
    ...[0xd0, 0, 0, 0, 0, 0, 0, 0],
    ...new TextEncoder().encode(header),
    ...[0, 0, 0, 0, 0, 0, 0xe0, 0x3f], // b: 0.5
    ...[0, 0, 0, 0, 0, 0, 0xf0, 0x3f], // w: 1
    ...[0, 0, 0, 0, 0, 0, 0x00, 0xc0], // w: -2
  ];
  assert.deepEqual([...bytes], expected);
});

Deno.test("safetensors: tensors are ordered by the UTF-8 bytes of their names, as the reference writer does", () => {
  const one = matrix([[1]]);
  const tree = {
    "😀": one,
    "\uFFFD": one,
    "2": one,
    "10": one,
    "1": one,
    b: [one],
    "b.": one,
  };
  const text = new TextDecoder().decode(toSafetensors(tree));
  const order = [...text.matchAll(/"([^"\\]+)":\{"dtype"/g)].map((m) => m[1]);
  assert.deepEqual(order, ["1", "10", "2", "b.", "b.0", "\uFFFD", "😀"]);
});

// --------------------------------------------------------- reading others

Deno.test("safetensors: a file without the structure record loads as a flat record, in header order", () => {
  const bytes = file(
    {
      "layers.1.w": tensor([1, 2], [8, 24]),
      "a": tensor([1, 1], [0, 8]),
      "__metadata__": { format: "np" },
    },
    [7, 1, 2],
  );
  const { tree, metadata } = fromSafetensors(bytes);
  assert.equal(
    dump(tree),
    dump({ "layers.1.w": matrix([[1, 2]]), a: matrix([[7]]) }),
  );
  assert.deepEqual(metadata, { format: "np" });
});

Deno.test("safetensors: shape [n] reads as n x 1, [] as 1 x 1, F32 widens exactly, null metadata is none", () => {
  const bytes = file(
    {
      __metadata__: null,
      v: tensor([3], [0, 24]),
      s: tensor([], [24, 32]),
      h: tensor([2, 1], [32, 40], "F32"),
    },
    new Uint8Array([...f64(1, 2, 3), ...f64(-0), ...f32(0.1, -1e38)]),
  );
  const { tree, metadata } = fromSafetensors(bytes);
  assert.equal(
    dump(tree),
    dump({
      v: matrix([[1], [2], [3]]),
      s: matrix([[-0]]),
      h: matrix([[Math.fround(0.1)], [Math.fround(-1e38)]]),
    }),
  );
  assert.deepEqual(metadata, {});
});

Deno.test("safetensors: a metadata or tensor named __proto__ stays a plain key", () => {
  const bytes = file(
    '{"__metadata__":{"__proto__":"x"},"__proto__":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}}',
    [4],
  );
  const { tree, metadata } = fromSafetensors(bytes);
  assert.deepEqual(Object.keys(tree), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(tree), Object.prototype);
  assert.deepEqual(Object.keys(metadata), ["__proto__"]);
  assert.equal(
    Object.getOwnPropertyDescriptor(metadata, "__proto__")?.value,
    "x",
  );
});

// ------------------------------------------------------- refusals: reading

Deno.test("safetensors: refuses what is not a Uint8Array", () => {
  refuses(
    () => fromSafetensors([1, 2] as unknown as Uint8Array),
    TypeError,
    `Expected bytes of ${FROM} to be a Uint8Array (the whole file), got an array of length 2`,
  );
  refuses(
    () => fromSafetensors(new ArrayBuffer(8) as unknown as Uint8Array),
    TypeError,
    /got an object$/,
  );
});

Deno.test("safetensors: refuses a buffer shorter than 8 bytes", () => {
  refuses(
    () => fromSafetensors(new Uint8Array(7)),
    RangeError,
    `Cannot load bytes in ${FROM}: a safetensors file starts with an 8-byte header length, but bytes holds only 7 bytes`,
  );
  refuses(
    () => fromSafetensors(new Uint8Array(1)),
    RangeError,
    /holds only 1 byte$/,
  );
});

Deno.test("safetensors: refuses a header length beyond the buffer", () => {
  refuses(
    () => fromSafetensors(file("{}  ", [], 100)),
    RangeError,
    `Cannot load bytes in ${FROM}: the header length is 100 bytes, but only 4 bytes follow it (truncated, or not a safetensors file)`,
  );
  const huge = new Uint8Array(16).fill(0xff);
  refuses(
    () => fromSafetensors(huge),
    RangeError,
    /the header length is 18446744073709551615 bytes, but only 8 bytes follow it/,
  );
});

Deno.test("safetensors: refuses a header that is not UTF-8 JSON", () => {
  refuses(
    () => fromSafetensors(file('{"w":')),
    RangeError,
    new RegExp(
      `^Cannot load bytes in fromSafetensors\\(bytes\\): its header is not valid JSON \\(.+\\)$`,
    ),
  );
  const bad = new Uint8Array([3, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xff, 0x7d]);
  refuses(
    () => fromSafetensors(bad),
    RangeError,
    `Cannot load bytes in ${FROM}: its 3-byte header is not valid UTF-8`,
  );
});

Deno.test("safetensors: refuses a header that is not a JSON object", () => {
  for (
    const [header, what] of [
      ["[1]", "an array of length 1"],
      ["null", "null"],
      ['"w"', 'the string "w"'],
      ["8", "8"],
    ]
  ) {
    refuses(
      () => fromSafetensors(file(header)),
      TypeError,
      `Expected the header of bytes of ${FROM} to be a JSON object of tensors, got ${what}`,
    );
  }
});

Deno.test("safetensors: refuses a tensor entry that is not { dtype, shape, data_offsets }", () => {
  refuses(
    () => fromSafetensors(file({ w: [1] })),
    TypeError,
    `Expected tensor "w" in the header of bytes of ${FROM} to be an object { dtype, shape, data_offsets }, got an array of length 1`,
  );
  refuses(
    () =>
      fromSafetensors(file({ w: { shape: [1], data_offsets: [0, 8] } }, [1])),
    TypeError,
    `Expected the dtype of tensor "w" of bytes of ${FROM} to be a string such as "F64", got undefined`,
  );
  refuses(
    () => fromSafetensors(file({ w: tensor(2, [0, 16]) }, [1, 2])),
    TypeError,
    `Expected the shape of tensor "w" of bytes of ${FROM} to be an array such as [2, 3], got 2`,
  );
  refuses(
    () => fromSafetensors(file({ w: tensor([1], "0-8") }, [1])),
    TypeError,
    `Expected the data_offsets of tensor "w" of bytes of ${FROM} to be an array [begin, end], got the string "0-8"`,
  );
});

Deno.test("safetensors: refuses a dtype other than F64 or F32, naming it and the tensor", () => {
  for (const dtype of ["I64", "F16", "BF16", "f64", "U8"]) {
    refuses(
      () =>
        fromSafetensors(file({ "layer.w": tensor([1], [0, 8], dtype) }, [1])),
      RangeError,
      `Cannot load tensor "layer.w" in ${FROM}: its dtype is "${dtype}", expected "F64" (or "F32", widened to float64)`,
    );
  }
});

Deno.test("safetensors: refuses a shape that is not two positive integers ([n] and [] aside)", () => {
  for (
    const shape of [[2, 0], [0], [2, 3, 4], [1.5, 2], ["2", 1], [-1, 2], [null]]
  ) {
    refuses(
      () => fromSafetensors(file({ w: tensor(shape, [0, 8]) }, [1])),
      RangeError,
      `Expected the shape of tensor "w" of bytes of ${FROM} to be [rows, cols] of positive integers ([n] reads as n x 1, [] as 1 x 1), got ${
        JSON.stringify(shape)
      }`,
    );
  }
  refuses(
    () =>
      fromSafetensors(file({ w: tensor(new Array(40).fill(1), [0, 8]) }, [1])),
    RangeError,
    /got \[(1,){29}1…$/,
  );
  refuses(
    () =>
      fromSafetensors(file({ w: tensor([2 ** 13, 2 ** 14], [0, 2 ** 30]) })),
    RangeError,
    `Cannot load tensor "w" in ${FROM}: its shape [8192,16384] holds more than 67108864 entries, the most a Matrix holds`,
  );
});

Deno.test("safetensors: refuses offsets that do not match the shape", () => {
  refuses(
    () =>
      fromSafetensors(file({ w: tensor([2, 3], [0, 40]) }, [1, 2, 3, 4, 5])),
    RangeError,
    `Cannot load tensor "w" in ${FROM}: its shape 2x3 of F64 needs 48 bytes, but its data_offsets [0, 40] span 40`,
  );
  refuses(
    () => fromSafetensors(file({ w: tensor([2], [0, 16], "F32") }, [1, 2])),
    RangeError,
    `Cannot load tensor "w" in ${FROM}: its shape 2x1 of F32 needs 8 bytes, but its data_offsets [0, 16] span 16`,
  );
  for (
    const offsets of [[0], [0, 8, 16], [-8, 0], [8, 0], [0, 8.5], ["0", "8"]]
  ) {
    refuses(
      () => fromSafetensors(file({ w: tensor([1], offsets) }, [1])),
      RangeError,
      `Expected the data_offsets of tensor "w" of bytes of ${FROM} to be [begin, end], two integers with 0 ≤ begin ≤ end, got ${
        JSON.stringify(offsets)
      }`,
    );
  }
});

Deno.test("safetensors: refuses tensors that overlap, leave gaps or trailing bytes", () => {
  refuses(
    () =>
      fromSafetensors(
        file({ a: tensor([2], [0, 16]), b: tensor([1], [8, 16]) }, [1, 2]),
      ),
    RangeError,
    `Cannot load bytes in ${FROM}: tensor "b" begins at byte 8 of the data, but tensor "a" ends at byte 16 (they overlap)`,
  );
  refuses(
    () =>
      fromSafetensors(
        file({ a: tensor([1], [0, 8]), b: tensor([1], [16, 24]) }, [1, 2, 3]),
      ),
    RangeError,
    `Cannot load bytes in ${FROM}: tensor "b" begins at byte 16 of the data, but tensor "a" ends at byte 8 (a gap)`,
  );
  refuses(
    () => fromSafetensors(file({ a: tensor([1], [8, 16]) }, [1, 2])),
    RangeError,
    `Cannot load bytes in ${FROM}: tensor "a" begins at byte 8 of the data, but the first tensor must begin at byte 0 (a gap)`,
  );
  refuses(
    () => fromSafetensors(file({ a: tensor([1], [0, 8]) }, [1, 2])),
    RangeError,
    `Cannot load bytes in ${FROM}: its tensors end at byte 8 of the data, but 16 bytes of data follow the header (a gap: trailing bytes)`,
  );
  refuses(
    () => fromSafetensors(file({}, [1])),
    RangeError,
    /its tensors end at byte 0 of the data, but 8 bytes of data follow the header/,
  );
});

Deno.test("safetensors: refuses a truncated file, naming the tensor that runs past the end", () => {
  const bytes = toSafetensors({ a: matrix([[1, 2]]), b: matrix([[3]]) });
  for (
    const [cut, name, end] of [[1, "b", 24], [8, "b", 24], [
      9,
      "a",
      16,
    ]] as const
  ) {
    refuses(
      () => fromSafetensors(bytes.subarray(0, bytes.length - cut)),
      RangeError,
      `Cannot load tensor "${name}" in ${FROM}: it ends at byte ${end} of the data, but only ${
        24 - cut
      } bytes of data follow the header (truncated)`,
    );
  }
  refuses(
    () => fromSafetensors(bytes.subarray(0, bytes.length - 23)),
    RangeError,
    /only 1 byte of data follow the header \(truncated\)$/,
  );
  refuses(
    () => fromSafetensors(bytes.subarray(0, 20)),
    RangeError,
    /the header length is \d+ bytes, but only 12 bytes follow it/,
  );
});

Deno.test("safetensors: refuses NaN and ±Infinity, naming the tensor and the entry", () => {
  for (
    const [bad, shown] of [[NaN, "NaN"], [Infinity, "Infinity"], [
      -Infinity,
      "-Infinity",
    ]] as const
  ) {
    refuses(
      () =>
        fromSafetensors(
          file({ "0.w": tensor([2, 3], [0, 48]) }, [1, 2, 3, 4, 5, bad]),
        ),
      RangeError,
      `Cannot load tensor "0.w" in ${FROM}: entry 5 (row 1, column 2) is ${shown}; a Matrix holds only finite numbers`,
    );
  }
  refuses(
    () =>
      fromSafetensors(
        file({ h: tensor([2], [0, 8], "F32") }, f32(1, Infinity)),
      ),
    RangeError,
    `Cannot load tensor "h" in ${FROM}: entry 1 (row 1, column 0) is Infinity; a Matrix holds only finite numbers`,
  );
});

Deno.test("safetensors: refuses __metadata__ that is not an object of strings", () => {
  refuses(
    () => fromSafetensors(file({ __metadata__: ["a"] })),
    TypeError,
    `Expected the header's "__metadata__" of bytes of ${FROM} to be an object of strings, got an array of length 1`,
  );
  refuses(
    () => fromSafetensors(file({ __metadata__: { epoch: 3 } })),
    TypeError,
    `Expected "__metadata__" entry "epoch" of bytes of ${FROM} to be a string, got 3`,
  );
});

Deno.test("safetensors: refuses a structure record that does not match the tensors", () => {
  const where =
    `Cannot rebuild the tree in ${FROM}: the structure recorded in __metadata__["perceptron-toolkit.structure"]`;
  const withStructure = (structure: string) =>
    file(
      {
        __metadata__: { "perceptron-toolkit.structure": structure },
        a: tensor([1], [0, 8]),
        b: tensor([1], [8, 16]),
      },
      [1, 2],
    );
  assert.equal(
    dump(fromSafetensors(withStructure('[{"x":"b"},"a"]')).tree),
    dump([{ x: matrix([[2]]) }, matrix([[1]])]),
  );
  refuses(
    () => fromSafetensors(withStructure("{")),
    RangeError,
    `${where} is not valid JSON`,
  );
  refuses(
    () => fromSafetensors(withStructure('["a","b","c"]')),
    RangeError,
    `${where} names the tensor "c" but the file does not hold it`,
  );
  refuses(
    () => fromSafetensors(withStructure('["a","b","a"]')),
    RangeError,
    `${where} names the tensor "a" twice`,
  );
  refuses(
    () => fromSafetensors(withStructure('{"x":"a"}')),
    RangeError,
    `${where} leaves out the tensor "b"`,
  );
  refuses(
    () => fromSafetensors(withStructure('["a","b",3]')),
    TypeError,
    `${where} holds 3 where a tensor name, an array or an object belongs`,
  );
  refuses(
    () =>
      fromSafetensors(
        withStructure(`${"[".repeat(101)}"a","b"${"]".repeat(101)}`),
      ),
    RangeError,
    `${where} nests more than 100 levels`,
  );
});

// ------------------------------------------------------- refusals: writing

Deno.test("safetensors: refuses a tree whose names collide, or are empty or reserved", () => {
  const m = matrix([[1]]);
  refuses(
    () => toSafetensors({ "a.b": m, a: { b: m } }),
    RangeError,
    `Expected tree of ${TO} to give every matrix its own name (its path joined with "."), but tree["a.b"] and tree.a.b are both named "a.b"; rename a key`,
  );
  refuses(
    () => toSafetensors({ "0": [m, m], "0.1": m }),
    RangeError,
    `Expected tree of ${TO} to give every matrix its own name (its path joined with "."), but tree["0"][1] and tree["0.1"] are both named "0.1"; rename a key`,
  );
  refuses(
    () => toSafetensors({ "": m }),
    RangeError,
    `Expected tree of ${TO} to give every matrix a non-empty name other than "__metadata__", but tree[""] is named ""`,
  );
  refuses(
    () => toSafetensors({ __metadata__: m }),
    RangeError,
    `Expected tree of ${TO} to give every matrix a non-empty name other than "__metadata__", but tree.__metadata__ is named "__metadata__"`,
  );
  refuses(
    () => toSafetensors({ ["\uD800"]: m }),
    RangeError,
    `Expected the keys of tree of ${TO} to be well-formed Unicode, but tree["\\ud800"] has a lone surrogate`,
  );
});

Deno.test("safetensors: refuses a tree of anything but matrices", () => {
  refuses(
    () => toSafetensors({ w: [[1, 2]] } as unknown as object),
    TypeError,
    `Expected tree.w[0][0] of ${TO} to be a Matrix or a record or array of matrices, got 1`,
  );
  refuses(
    () => toSafetensors(3 as unknown as object),
    TypeError,
    `Expected tree of ${TO} to be a Matrix or a record or array of matrices, got 3`,
  );
  const cycle: unknown[] = [];
  cycle.push(cycle);
  refuses(
    () => toSafetensors(cycle),
    TypeError,
    /but it contains itself \(a cycle\)$/,
  );
});

Deno.test("safetensors: refuses bad options", () => {
  const m = matrix([[1]]);
  refuses(
    () => toSafetensors(m, { nmae: "w" } as never),
    TypeError,
    `Unknown option "nmae" in options of ${TO}: expected name or metadata`,
  );
  refuses(
    () => toSafetensors(m, "w" as never),
    TypeError,
    /^Expected options of toSafetensors\(tree, options\) to be an object such as \{ name: … \}, got the string "w"$/,
  );
  refuses(
    () => toSafetensors(m, { name: 3 as unknown as string }),
    TypeError,
    `Expected options.name of ${TO} to be a string, got 3`,
  );
  for (
    const [name, shown] of [["", 'the string ""'], [
      "__metadata__",
      'the string "__metadata__"',
    ], ["\uDC00", 'the string "\\udc00"']]
  ) {
    refuses(
      () => toSafetensors(m, { name }),
      RangeError,
      `Expected options.name of ${TO} to be a non-empty, well-formed name other than "__metadata__", got ${shown}`,
    );
  }
  refuses(
    () => toSafetensors(m, { metadata: ["a"] as never }),
    TypeError,
    `Expected options.metadata of ${TO} to be an object of strings such as { epoch: "3" }, got an array of length 1`,
  );
  refuses(
    () => toSafetensors(m, { metadata: { epoch: 3 } as never }),
    TypeError,
    `Expected options.metadata.epoch of ${TO} to be a string (safetensors metadata holds only strings), got 3`,
  );
  refuses(
    () =>
      toSafetensors(m, { metadata: { "perceptron-toolkit.structure": "[]" } }),
    RangeError,
    `Expected options.metadata of ${TO} to leave out the key "perceptron-toolkit.structure", reserved for the tree's structure, got it`,
  );
  refuses(
    () => toSafetensors(m, { metadata: { note: "\uD800" } }),
    RangeError,
    `Expected the keys and values of options.metadata of ${TO} to be well-formed Unicode, but options.metadata.note has a lone surrogate`,
  );
});

// ----------------------------------------------------------------- Python

const { python, reason } = await findPython(["numpy", "safetensors.numpy"]);
const skip = python === undefined;
const note = skip ? ` (skipped: ${reason})` : "";
if (skip) {
  console.log(
    `safetensors_test: the Python interop tests are skipped: ${reason}; set PYTHON to a python with safetensors and numpy, or run \`python3 -m venv .venv && .venv/bin/pip install safetensors numpy\``,
  );
}

/** Runs python -c code with args; returns stdout, failing on an error. */
async function runPython(code: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(python as string, {
    args: ["-c", code, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assert.equal(out.code, 0, text.decode(out.stderr));
  return text.decode(out.stdout);
}

/** What Python prints about each array: dtype, shape, bytes and reprs. */
interface PyArray {
  dtype: string;
  shape: number[];
  hex: string;
  repr: string[];
}

const DESCRIBE = `
def describe(arrays):
    return {k: {"dtype": str(v.dtype), "shape": list(v.shape),
                "hex": v.astype("<f8").tobytes().hex(),
                "repr": [repr(float(x)) for x in v.ravel()]}
            for k, v in arrays.items()}
`;

Deno.test({
  name:
    `safetensors: a file written by Python's safetensors loads here bit for bit${note}`,
  ignore: skip,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/from_python.safetensors`;
      const printed = await runPython(
        `
import json, sys
import numpy as np
from safetensors.numpy import save_file
${DESCRIBE}
arrays = {
    "layers.0.w": np.array([[0.1, -0.0, 5e-324], [1e308, -1e308, 1 / 3]], dtype=np.float64),
    "layers.0.b": np.array([[2.2250738585072014e-308], [-2.225073858507201e-308], [1.7976931348623157e308]], dtype=np.float64),
    "scale": np.array([[-1.5]], dtype=np.float64),
}
save_file(arrays, sys.argv[1], metadata={"framework": "numpy", "note": "written by python"})
print(json.dumps(describe(arrays)))
`,
        path,
      );
      const expected = JSON.parse(printed) as Record<string, PyArray>;
      const { tree, metadata } = fromSafetensors(await Deno.readFile(path));
      assert.deepEqual(metadata, {
        framework: "numpy",
        note: "written by python",
      });
      const record = tree as Record<string, Matrix>;
      // The reference writer orders tensors by name.
      assert.deepEqual(Object.keys(record), [
        "layers.0.b",
        "layers.0.w",
        "scale",
      ]);
      for (const [name, e] of Object.entries(expected)) {
        const m = record[name];
        assert.deepEqual(m.shape, e.shape, name);
        assert.equal(hexOf(m), e.hex, name);
        toArray(m).flat().forEach((v, i) =>
          assert.ok(
            Object.is(v, Number(e.repr[i])),
            `${name}[${i}]: ${v} vs ${e.repr[i]}`,
          )
        );
      }
      assert.ok(Object.is(record["layers.0.w"].at(0, 1), -0));
      assert.equal(record["layers.0.w"].at(0, 2), 5e-324);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `safetensors: Python's 1-D, 0-D and float32 arrays load as n x 1, 1 x 1 and widened${note}`,
  ignore: skip,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/shapes.safetensors`;
      await runPython(
        `
import sys
import numpy as np
from safetensors.numpy import save_file
save_file({"v": np.array([1.0, -2.0, 3.5]), "s": np.array(0.25),
           "h": np.array([[0.1, 3e38]], dtype=np.float32)}, sys.argv[1])
`,
        path,
      );
      const { tree } = fromSafetensors(await Deno.readFile(path));
      // The reference writer puts wider dtypes first, then orders by name.
      assert.equal(
        dump(tree),
        dump({
          s: matrix([[0.25]]),
          v: matrix([[1], [-2], [3.5]]),
          h: matrix([[Math.fround(0.1), Math.fround(3e38)]]),
        }),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `safetensors: a file written here loads in Python's safetensors bit for bit${note}`,
  ignore: skip,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/from_deno.safetensors`;
      const params = [
        {
          w: matrix([[0.1, -0, 5e-324], [1e308, -1e308, 1 / 3]]),
          b: matrix([[2.225073858507201e-308], [-2.2250738585072014e-308]]),
        },
        {},
        { w: matrix([[-1.5, Number.MAX_VALUE]]), b: matrix([[-0]]) },
      ];
      await Deno.writeFile(
        path,
        toSafetensors(params, { metadata: { epoch: "3", note: "été 😀" } }),
      );
      const printed = await runPython(
        `
import json, sys
from safetensors import safe_open
from safetensors.numpy import load_file
${DESCRIBE}
with safe_open(sys.argv[1], "np") as f:
    metadata = f.metadata()
print(json.dumps({"arrays": describe(load_file(sys.argv[1])), "metadata": metadata}))
`,
        path,
      );
      const got = JSON.parse(printed) as {
        arrays: Record<string, PyArray>;
        metadata: Record<string, string>;
      };
      assert.deepEqual(Object.keys(got.arrays).sort(), [
        "0.b",
        "0.w",
        "2.b",
        "2.w",
      ]);
      const leaves: Record<string, Matrix> = {
        "0.w": params[0].w as Matrix,
        "0.b": params[0].b as Matrix,
        "2.w": params[2].w as Matrix,
        "2.b": params[2].b as Matrix,
      };
      for (const [name, m] of Object.entries(leaves)) {
        const a = got.arrays[name];
        assert.equal(a.dtype, "float64", name);
        assert.deepEqual(a.shape, m.shape, name);
        assert.equal(a.hex, hexOf(m), name);
        toArray(m).flat().forEach((v, i) =>
          assert.ok(
            Object.is(v, Number(a.repr[i])),
            `${name}[${i}]: ${v} vs ${a.repr[i]}`,
          )
        );
      }
      assert.equal(got.metadata.epoch, "3");
      assert.equal(got.metadata.note, "été 😀");
      assert.deepEqual(
        JSON.parse(got.metadata["perceptron-toolkit.structure"]),
        [{ w: "0.w", b: "0.b" }, {}, { w: "2.w", b: "2.b" }],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    `safetensors: Python's safetensors writes the same bytes for the same tensors and metadata${note}`,
  ignore: skip,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/mine.safetensors`;
      const one = matrix([[1, -0], [5e-324, 0.1]]);
      const mine = toSafetensors({
        "10": one,
        "2": matrix([[3]]),
        "é": [matrix([[4]])],
        "😀": matrix([[5]]),
        "\uFFFD": matrix([[6]]),
      });
      await Deno.writeFile(path, mine);
      const hex = await runPython(
        `
import sys
from safetensors import safe_open
from safetensors.numpy import load_file, save
with safe_open(sys.argv[1], "np") as f:
    metadata = f.metadata()
print(save(load_file(sys.argv[1]), metadata=metadata).hex())
`,
        path,
      );
      const theirs = [...mine].map((b) => b.toString(16).padStart(2, "0"))
        .join("");
      assert.equal(hex.trim(), theirs);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
