/**
 * Parameters to and from safetensors (https://github.com/huggingface/safetensors),
 * the file format of Hugging Face, readable from Python with
 * `safetensors.numpy.load_file`. {@linkcode toSafetensors} makes the bytes of
 * a file and {@linkcode fromSafetensors} reads them back: both are pure, with
 * no file access, so a caller writes or reads the file itself (building the
 * whole file in memory first lets it write atomically, to a temporary file
 * then renamed).
 *
 * The format: 8 bytes holding the header's length N (unsigned, little-endian),
 * N bytes of JSON header, then the entries of every tensor, little-endian and
 * back to back. The header maps each tensor's name to
 * `{ "dtype": "F64", "shape": [rows, cols], "data_offsets": [begin, end] }`
 * (byte offsets from the start of the data) and may hold `"__metadata__"`, an
 * object of strings. The header is padded with spaces to a multiple of 8
 * bytes.
 *
 * Names: each Matrix of a tree is one tensor named by its path with "."
 * between keys and indices, such as `0.w` or `layers.1.b`; a bare Matrix is
 * named by `options.name`. As the reference writer does, tensors are written
 * in the byte order of their names. To give back the exact tree (arrays,
 * records in their key order, empty layers `{}`), the writer records the
 * tree's structure in `__metadata__["perceptron-toolkit.structure"]`: the
 * tree as JSON with each Matrix replaced by its tensor's name, such as
 * `[{"w":"0.w","b":"0.b"},{},{"w":"2.w","b":"2.b"}]`.
 *
 * @module
 */
import {
  arrayCallback,
  assertRecord,
  count,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { dataOf, fromData, type Matrix } from "../core/_matrix.ts";
import { MAX_DEPTH, readTree, rebuild, type Structure } from "../core/_tree.ts";

/**
 * A tree of parameters: a Matrix, or arrays and plain objects nesting
 * matrices, such as a model's `[{ w, b }, {}, { w, b }]`.
 */
export type TensorTree =
  | Matrix
  | readonly TensorTree[]
  | { readonly [key: string]: TensorTree };

/** Options for {@linkcode toSafetensors}. */
export interface ToSafetensorsOptions {
  /**
   * The tensor name of a tree that is a bare Matrix (ignored for other
   * trees): a non-empty string other than `"__metadata__"`.
   *
   * @default {"params"}
   */
  name?: string;
  /**
   * Strings to store in the header's `__metadata__`, such as
   * `{ epoch: "3" }`. The key `"perceptron-toolkit.structure"` is reserved.
   *
   * @default {none}
   */
  metadata?: Readonly<Record<string, string>>;
}

/** What {@linkcode fromSafetensors} reads from a file. */
export interface LoadedSafetensors {
  /**
   * The parameters: the tree that was saved, when the file records its
   * structure; otherwise a record `{ name: Matrix }` of every tensor, in the
   * header's order. Frozen.
   */
  readonly tree: TensorTree;
  /**
   * The file's `__metadata__` strings, without the reserved key
   * `"perceptron-toolkit.structure"`; `{}` when there are none. Frozen.
   */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The `__metadata__` key under which the tree's structure is recorded. */
const STRUCTURE_KEY = "perceptron-toolkit.structure";
/** The header key safetensors reserves for metadata. */
const METADATA = "__metadata__";
/** The most entries a Matrix holds, as `matrix(rows)` allows. */
const MAX_ENTRIES = 2 ** 26;
/** Bytes per entry of the dtypes read. */
const WIDTH: Readonly<Record<string, number>> = { F64: 8, F32: 4 };

/** A tree's path as code would write it: tree[0].w, tree["a.b"]. */
function pathText(root: string, segments: readonly (string | number)[]) {
  let out = root;
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Whether a string is free of lone surrogates (it then has a UTF-8 form). */
function wellFormed(s: string): boolean {
  return s.isWellFormed();
}

/** Compares strings by their UTF-8 bytes, as the reference writer sorts. */
function byUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * The bytes of a safetensors file holding every Matrix of `tree` as a float64
 * ("F64") tensor of shape [rows, cols], named by its path (keys and indices
 * joined with ".": `0.w`, `layers.1.b`; a bare Matrix is named
 * `options.name`), with the tree's structure and `options.metadata` in the
 * header's `__metadata__`. Entries are stored bit for bit (−0 and subnormals
 * included), little-endian on every platform. Tensors are laid out in the
 * byte order of their names and the header is padded with spaces to a
 * multiple of 8 bytes, as the reference writer does, so Python's
 * `safetensors.numpy.save` of the same arrays and metadata gives the same
 * bytes (when the metadata keys come in the same order: Python does not keep
 * their order). The metadata is written in `options.metadata`'s key order,
 * then the structure.
 *
 * @param tree The parameters: a Matrix, or arrays and plain objects nesting
 * matrices, such as `[{ w, b }, {}, { w, b }]`.
 * @param options `name` for a bare Matrix (default `"params"`) and
 * `metadata`, an object of strings.
 * @returns The whole file, built in memory.
 * @throws {TypeError} When `tree` holds anything but matrices, arrays and
 * plain objects (or contains itself), an option is unknown or of the wrong
 * type, or a metadata value is not a string.
 * @throws {RangeError} When two matrices would get the same name (a key
 * containing "." can clash with a nested path: `{ "a.b": m, a: { b: m } }`),
 * a name is empty or `"__metadata__"`, a key or string is not well-formed
 * Unicode (a lone surrogate), the tree nests more than 100 levels, or
 * `options.metadata` uses the reserved key `"perceptron-toolkit.structure"`.
 *
 * @example Save a model's parameters and load them back
 * ```ts
 * import { fromSafetensors, matrix, toSafetensors } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = matrix([[0.5, -1]]);
 * const b = matrix([[0.1]]);
 * const params = [{ w, b }, {}];
 * const bytes = toSafetensors(params, { metadata: { epoch: "3" } });
 * // Deno.writeFileSync("params.safetensors", bytes);
 * const { tree, metadata } = fromSafetensors(bytes);
 * assert.deepEqual(tree, params);
 * assert.deepEqual(metadata, { epoch: "3" });
 * // "a.b" would name two matrices:
 * assert.throws(() => toSafetensors({ "a.b": w, a: { b } }), RangeError);
 * ```
 */
export function toSafetensors(
  tree: object,
  options: ToSafetensorsOptions = {},
): Uint8Array {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("toSafetensors(tree, options)", arguments.length, 1);
  }
  const fn = "toSafetensors(tree, options)";
  const o = readOptions(options, fn, ["name", "metadata"]);
  const rootName = o.name === undefined ? "params" : o.name;
  if (typeof rootName !== "string") {
    throw new TypeError(
      `Expected options.name of ${fn} to be a string, got ${
        describe(rootName)
      }`,
    );
  }
  if (rootName === "" || rootName === METADATA || !wellFormed(rootName)) {
    throw new RangeError(
      `Expected options.name of ${fn} to be a non-empty, well-formed name other than "${METADATA}", got ${
        describe(rootName)
      }`,
    );
  }
  const metadata = readMetadata(o.metadata, fn);
  const { leaves, structure } = readTree(tree, fn, "tree");

  // Name every leaf, depth first as readTree lists them; build the layout
  // (the tree with each Matrix replaced by its name) alongside.
  const names: string[] = [];
  const owners = new Map<string, string>();
  const nameLeaf = (segments: readonly (string | number)[]): string => {
    const shown = pathText("tree", segments);
    const name = segments.length === 0 ? rootName : segments.join(".");
    if (name === "" || name === METADATA) {
      throw new RangeError(
        `Expected tree of ${fn} to give every matrix a non-empty name other than "${METADATA}", but ${shown} is named ${
          JSON.stringify(name)
        }`,
      );
    }
    const other = owners.get(name);
    if (other !== undefined) {
      throw new RangeError(
        `Expected tree of ${fn} to give every matrix its own name (its path joined with "."), but ${other} and ${shown} are both named ${
          JSON.stringify(name)
        }; rename a key`,
      );
    }
    owners.set(name, shown);
    names.push(name);
    return name;
  };
  const layout = (
    node: Structure,
    segments: (string | number)[],
  ): unknown => {
    if (node === null) return nameLeaf(segments);
    if ("items" in node) {
      return node.items.map((item, i) => layout(item, [...segments, i]));
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < node.keys.length; i++) {
      const key = node.keys[i];
      if (!wellFormed(key)) {
        throw new RangeError(
          `Expected the keys of tree of ${fn} to be well-formed Unicode, but ${
            pathText("tree", [...segments, key])
          } has a lone surrogate`,
        );
      }
      // defineProperty keeps a "__proto__" key a plain key.
      Object.defineProperty(out, key, {
        value: layout(node.values[i], [...segments, key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  metadata.push([STRUCTURE_KEY, JSON.stringify(layout(structure, []))]);

  // The header, written by hand: a JS object would put integer-like names
  // ("10", "2") first, out of the reference writer's order.
  const order = names.map((_, i) => i).sort((a, b) =>
    byUtf8(names[a], names[b])
  );
  const parts: string[] = [];
  parts.push(
    `"${METADATA}":{${
      metadata.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join(",")
    }}`,
  );
  let offset = 0;
  for (const i of order) {
    const m = leaves[i];
    const end = offset + 8 * m.rows * m.cols;
    parts.push(
      `${
        JSON.stringify(names[i])
      }:{"dtype":"F64","shape":[${m.rows},${m.cols}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const header = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + padded);
  let at = 8 + padded;
  for (const i of order) {
    const data = dataOf(leaves[i]);
    for (let j = 0; j < data.length; j++, at += 8) {
      view.setFloat64(at, data[j], true);
    }
  }
  return out;
}

/** Checks options.metadata; returns its entries. */
function readMetadata(value: unknown, fn: string): [string, string][] {
  if (value === undefined) return [];
  assertRecord(
    value,
    fn,
    "options.metadata",
    'an object of strings such as { epoch: "3" }',
  );
  const entries: [string, string][] = [];
  for (const key of Object.keys(value)) {
    const shown = pathText("options.metadata", [key]);
    const v = value[key];
    if (typeof v !== "string") {
      throw new TypeError(
        `Expected ${shown} of ${fn} to be a string (safetensors metadata holds only strings), got ${
          describe(v)
        }`,
      );
    }
    if (key === STRUCTURE_KEY) {
      throw new RangeError(
        `Expected options.metadata of ${fn} to leave out the key "${STRUCTURE_KEY}", reserved for the tree's structure, got it`,
      );
    }
    if (!wellFormed(key) || !wellFormed(v)) {
      throw new RangeError(
        `Expected the keys and values of options.metadata of ${fn} to be well-formed Unicode, but ${shown} has a lone surrogate`,
      );
    }
    entries.push([key, v]);
  }
  return entries;
}

/** One tensor of a header, checked. */
interface Entry {
  name: string;
  width: number;
  rows: number;
  cols: number;
  begin: number;
  end: number;
}

/**
 * Reads a safetensors file: every tensor becomes a Matrix, and the tree is
 * rebuilt exactly as {@linkcode toSafetensors} saved it (from the structure
 * it records in `__metadata__`). A file without that record, such as one
 * written by Python, gives a record `{ name: Matrix }` of its tensors in the
 * header's order.
 *
 * What it reads: dtype "F64", and "F32", widened exactly to float64; shapes
 * [rows, cols] of positive integers, and also [n] as an n x 1 column and []
 * as 1 x 1. Entries are read little-endian on every platform, bit for bit.
 * Tensors must tile the data exactly, as the reference reader requires.
 *
 * @param bytes The whole file.
 * @returns The tree and the metadata strings (without the structure record).
 * @throws {TypeError} When `bytes` is not a Uint8Array, the header is not a
 * JSON object, a tensor's entry, dtype, shape or offsets or the metadata are
 * of the wrong JSON type, or a metadata value is not a string.
 * @throws {RangeError} When the file is shorter than 8 bytes, its header
 * length runs past the end, the header is not UTF-8 JSON, a dtype is neither
 * "F64" nor "F32" (the message names it and the tensor), a shape is not two
 * positive integers (or [n] or []) or holds more than 2^26 entries, a
 * tensor's offsets do not span its shape's bytes, run past the end of the
 * file (truncated), overlap another tensor or leave a gap (or trailing
 * bytes), an entry is NaN or ±Infinity (the message names the tensor and the
 * entry), or the recorded structure is malformed or does not name every
 * tensor exactly once.
 *
 * @example Read a file that Python's safetensors wrote
 * ```ts
 * import { fromSafetensors } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * // save_file({"w": np.array([[1.5, -2.0]])}, "w.safetensors")
 * const header = '{"w":{"dtype":"F64","shape":[1,2],"data_offsets":[0,16]}}     ';
 * const bytes = new Uint8Array(8 + header.length + 16);
 * const view = new DataView(bytes.buffer);
 * view.setBigUint64(0, BigInt(header.length), true);
 * bytes.set(new TextEncoder().encode(header), 8);
 * view.setFloat64(8 + header.length, 1.5, true);
 * view.setFloat64(8 + header.length + 8, -2, true);
 *
 * const { tree, metadata } = fromSafetensors(bytes);
 * assert.deepEqual(JSON.stringify(tree), '{"w":[[1.5,-2]]}');
 * assert.deepEqual(metadata, {});
 * assert.throws(() => fromSafetensors(bytes.subarray(0, bytes.length - 1)), RangeError);
 * ```
 */
export function fromSafetensors(bytes: Uint8Array): LoadedSafetensors {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("fromSafetensors(bytes)", arguments.length);
  }
  const fn = "fromSafetensors(bytes)";
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Expected bytes of ${fn} to be a Uint8Array (the whole file), got ${
        describe(bytes)
      }`,
    );
  }
  if (bytes.length < 8) {
    throw new RangeError(
      `Cannot load bytes in ${fn}: a safetensors file starts with an 8-byte header length, but bytes holds only ${
        count(bytes.length, "byte")
      }`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const announced = view.getBigUint64(0, true);
  if (announced > BigInt(bytes.length - 8)) {
    throw new RangeError(
      `Cannot load bytes in ${fn}: the header length is ${announced} bytes, but only ${
        count(bytes.length - 8, "byte")
      } follow it (truncated, or not a safetensors file)`,
    );
  }
  const n = Number(announced);
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(8, dataStart),
    );
  } catch {
    throw new RangeError(
      `Cannot load bytes in ${fn}: its ${n}-byte header is not valid UTF-8`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new RangeError(
      `Cannot load bytes in ${fn}: its header is not valid JSON (${
        (error as Error).message
      })`,
    );
  }
  if (
    typeof header !== "object" || header === null || Array.isArray(header)
  ) {
    throw new TypeError(
      `Expected the header of bytes of ${fn} to be a JSON object of tensors, got ${
        describe(header)
      }`,
    );
  }
  const fields = header as Record<string, unknown>;

  let metadata: [string, string][] = [];
  const entries: Entry[] = [];
  for (const name of Object.keys(fields)) {
    if (name === METADATA) {
      metadata = headerMetadata(fields[name], fn);
    } else {
      entries.push(readEntry(name, fields[name], dataLength, fn));
    }
  }

  // The tensors must tile the data: sorted by offset, each begins where the
  // one before ends, and the last ends with the file.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin);
  let expected = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin !== expected) {
      throw new RangeError(
        `Cannot load bytes in ${fn}: tensor ${
          JSON.stringify(e.name)
        } begins at byte ${e.begin} of the data, ${
          previous === undefined
            ? "but the first tensor must begin at byte 0 (a gap)"
            : `but tensor ${
              JSON.stringify(previous.name)
            } ends at byte ${expected} (${
              e.begin < expected ? "they overlap" : "a gap"
            })`
        }`,
      );
    }
    expected = e.end;
    previous = e;
  }
  if (expected !== dataLength) {
    throw new RangeError(
      `Cannot load bytes in ${fn}: its tensors end at byte ${expected} of the data, but ${
        count(dataLength, "byte")
      } of data follow the header (a gap: trailing bytes)`,
    );
  }

  const matrices = new Map<string, Matrix>();
  for (const e of entries) {
    const size = e.rows * e.cols;
    const data = new Float64Array(size);
    const base = dataStart + e.begin;
    for (let i = 0; i < size; i++) {
      const v = e.width === 8
        ? view.getFloat64(base + 8 * i, true)
        : view.getFloat32(base + 4 * i, true);
      if (v - v !== 0) {
        throw new RangeError(
          `Cannot load tensor ${
            JSON.stringify(e.name)
          } in ${fn}: entry ${i} (row ${Math.floor(i / e.cols)}, column ${
            i % e.cols
          }) is ${v}; a Matrix holds only finite numbers`,
        );
      }
      data[i] = v;
    }
    matrices.set(e.name, fromData(e.rows, e.cols, data));
  }

  const user: Record<string, string> = {};
  let recorded: string | undefined;
  for (const [key, value] of metadata) {
    if (key === STRUCTURE_KEY) recorded = value;
    else define(user, key, value);
  }
  const tree = recorded === undefined
    ? rebuild<TensorTree>(
      { keys: entries.map((e) => e.name), values: entries.map(() => null) },
      entries.map((e) => matrices.get(e.name) as Matrix),
    )
    : rebuildRecorded(recorded, matrices, fn);
  return Object.freeze({ tree, metadata: Object.freeze(user) });
}

/** Sets an own enumerable key, a "__proto__" key included. */
function define(out: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(out, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Checks the header's __metadata__: null or an object of strings. */
function headerMetadata(value: unknown, fn: string): [string, string][] {
  if (value === null) return [];
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(
      `Expected the header's "${METADATA}" of bytes of ${fn} to be an object of strings, got ${
        describe(value)
      }`,
    );
  }
  const out: [string, string][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      throw new TypeError(
        `Expected "${METADATA}" entry ${
          JSON.stringify(key)
        } of bytes of ${fn} to be a string, got ${describe(v)}`,
      );
    }
    out.push([key, v]);
  }
  return out;
}

/** Checks one tensor's header entry. */
function readEntry(
  name: string,
  info: unknown,
  dataLength: number,
  fn: string,
): Entry {
  const label = `tensor ${JSON.stringify(name)}`;
  if (typeof info !== "object" || info === null || Array.isArray(info)) {
    throw new TypeError(
      `Expected ${label} in the header of bytes of ${fn} to be an object { dtype, shape, data_offsets }, got ${
        describe(info)
      }`,
    );
  }
  const { dtype, shape, data_offsets: offsets } = info as Record<
    string,
    unknown
  >;
  if (typeof dtype !== "string") {
    throw new TypeError(
      `Expected the dtype of ${label} of bytes of ${fn} to be a string such as "F64", got ${
        describe(dtype)
      }`,
    );
  }
  if (!Object.hasOwn(WIDTH, dtype)) {
    throw new RangeError(
      `Cannot load ${label} in ${fn}: its dtype is ${
        JSON.stringify(dtype)
      }, expected "F64" (or "F32", widened to float64)`,
    );
  }
  const width = WIDTH[dtype];
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `Expected the shape of ${label} of bytes of ${fn} to be an array such as [2, 3], got ${
        describe(shape)
      }`,
    );
  }
  const shown = JSON.stringify(shape);
  if (
    shape.length > 2 ||
    !shape.every((d) => Number.isSafeInteger(d) && d > 0)
  ) {
    throw new RangeError(
      `Expected the shape of ${label} of bytes of ${fn} to be [rows, cols] of positive integers ([n] reads as n x 1, [] as 1 x 1), got ${
        shown.length > 60 ? `${shown.slice(0, 60)}…` : shown
      }`,
    );
  }
  const rows: number = shape.length === 0 ? 1 : shape[0];
  const cols: number = shape.length === 2 ? shape[1] : 1;
  if (rows * cols > MAX_ENTRIES) {
    throw new RangeError(
      `Cannot load ${label} in ${fn}: its shape ${shown} holds more than ${MAX_ENTRIES} entries, the most a Matrix holds`,
    );
  }
  if (!Array.isArray(offsets)) {
    throw new TypeError(
      `Expected the data_offsets of ${label} of bytes of ${fn} to be an array [begin, end], got ${
        describe(offsets)
      }`,
    );
  }
  const [begin, end] = offsets;
  if (
    offsets.length !== 2 || !Number.isSafeInteger(begin) ||
    !Number.isSafeInteger(end) || begin < 0 || end < begin
  ) {
    throw new RangeError(
      `Expected the data_offsets of ${label} of bytes of ${fn} to be [begin, end], two integers with 0 ≤ begin ≤ end, got ${
        JSON.stringify(offsets).slice(0, 60)
      }`,
    );
  }
  const span = rows * cols * width;
  if (end - begin !== span) {
    throw new RangeError(
      `Cannot load ${label} in ${fn}: its shape ${rows}x${cols} of ${dtype} needs ${span} bytes, but its data_offsets [${begin}, ${end}] span ${
        end - begin
      }`,
    );
  }
  if (end > dataLength) {
    throw new RangeError(
      `Cannot load ${label} in ${fn}: it ends at byte ${end} of the data, but only ${
        count(dataLength, "byte")
      } of data follow the header (truncated)`,
    );
  }
  return { name, width, rows, cols, begin, end };
}

/** Rebuilds the tree from its recorded layout; every tensor once. */
function rebuildRecorded(
  recorded: string,
  matrices: Map<string, Matrix>,
  fn: string,
): TensorTree {
  const where = `the structure recorded in ${METADATA}["${STRUCTURE_KEY}"]`;
  let layout: unknown;
  try {
    layout = JSON.parse(recorded);
  } catch {
    throw new RangeError(
      `Cannot rebuild the tree in ${fn}: ${where} is not valid JSON`,
    );
  }
  const leaves: Matrix[] = [];
  const used = new Set<string>();
  const walk = (node: unknown, depth: number): Structure => {
    if (typeof node === "string") {
      const m = matrices.get(node);
      if (m === undefined || used.has(node)) {
        throw new RangeError(
          `Cannot rebuild the tree in ${fn}: ${where} names the tensor ${
            JSON.stringify(node)
          } ${m === undefined ? "but the file does not hold it" : "twice"}`,
        );
      }
      used.add(node);
      leaves.push(m);
      return null;
    }
    if (depth >= MAX_DEPTH) {
      throw new RangeError(
        `Cannot rebuild the tree in ${fn}: ${where} nests more than ${MAX_DEPTH} levels`,
      );
    }
    if (Array.isArray(node)) {
      return { items: node.map((item) => walk(item, depth + 1)) };
    }
    if (typeof node === "object" && node !== null) {
      const keys = Object.keys(node);
      const values = keys.map((k) =>
        walk((node as Record<string, unknown>)[k], depth + 1)
      );
      return { keys, values };
    }
    throw new TypeError(
      `Cannot rebuild the tree in ${fn}: ${where} holds ${
        describe(node)
      } where a tensor name, an array or an object belongs`,
    );
  };
  const structure = walk(layout, 0);
  for (const name of matrices.keys()) {
    if (!used.has(name)) {
      throw new RangeError(
        `Cannot rebuild the tree in ${fn}: ${where} leaves out the tensor ${
          JSON.stringify(name)
        }`,
      );
    }
  }
  return rebuild<TensorTree>(structure, leaves);
}
