/**
 * A small seeded pseudo-random generator, so that everything random in the
 * toolkit (initial weights, shuffles, generated datasets) is reproducible
 * from an explicit seed. It is xoshiro128** (Blackman and Vigna), seeded
 * through splitmix32; it is fast and statistically sound, but not
 * cryptographic. Nothing in the toolkit uses `Math.random`.
 *
 * @module
 */
import {
  arrayCallback,
  assertInteger,
  assertNumber,
  describe,
  tooManyArguments,
} from "./_checks.ts";

/**
 * A seeded generator. Each call advances its private state, so the same seed
 * always gives the same sequence of calls' results.
 */
export interface Rng {
  /**
   * The next 32-bit unsigned integer.
   *
   * @returns An integer from 0 to 2^32 − 1.
   */
  uint32(): number;
  /**
   * A uniform number with 53 random bits.
   *
   * @param low The smallest possible value.
   * @param high The bound, never reached.
   * @returns A number in [`low`, `high`), by default in [0, 1).
   * @throws {TypeError} When `low` or `high` is not a number.
   * @throws {RangeError} When they are not finite, `low` is not below
   * `high`, or `high` − `low` overflows.
   */
  uniform(low?: number, high?: number): number;
  /**
   * A normally distributed number (Box–Muller).
   *
   * @param mean The mean.
   * @param sd The standard deviation.
   * @returns A number from N(`mean`, `sd`²), by default from N(0, 1).
   * @throws {TypeError} When `mean` or `sd` is not a number.
   * @throws {RangeError} When they are not finite, `sd` is negative, or the
   * sample overflows.
   */
  normal(mean?: number, sd?: number): number;
  /**
   * A uniform integer in [0, `n`).
   *
   * @param n The number of possible values, a positive integer up to 2^32.
   * @returns An integer from 0 to `n` − 1.
   * @throws {TypeError} When `n` is not a number.
   * @throws {RangeError} When `n` is not an integer from 1 to 2^32.
   */
  int(n: number): number;
}

const TWO_PI = 2 * Math.PI;
/** The longest permutation {@linkcode shuffle} makes: a Matrix's most entries. */
const MAX_SHUFFLE = 2 ** 26;

/**
 * Creates a seeded generator (xoshiro128**). Generators made from the same
 * seed produce the same numbers; different seeds give unrelated sequences.
 *
 * @param seed Any safe integer (negative ones included).
 * @returns A new generator.
 * @throws {TypeError} When `seed` is not a number.
 * @throws {RangeError} When `seed` is not a safe integer.
 *
 * @example The same seed, the same numbers
 * ```ts
 * import { createRng } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const a = createRng(42);
 * const b = createRng(42);
 * const x = a.uniform();
 * assert.equal(x, b.uniform());
 * assert.ok(x >= 0 && x < 1);
 * assert.notEqual(createRng(43).uniform(), x);
 * ```
 */
export function createRng(seed: number): Rng {
  if (arguments.length > 1 && !arrayCallback(arguments, 1)) {
    throw tooManyArguments("createRng(seed)", arguments.length);
  }
  const fn = "createRng(seed)";
  if (typeof seed !== "number") {
    throw new TypeError(
      `Expected seed of ${fn} to be an integer, got ${describe(seed)}`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(
      `Expected seed of ${fn} to be a safe integer, got ${seed}`,
    );
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  // splitmix32 expands the seed into four well-mixed state words.
  let x = (lo ^ Math.imul(hi ^ 0x5bd1e995, 0x27d4eb2f)) | 0;
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let s0 = splitmix(), s1 = splitmix(), s2 = splitmix(), s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const uint32 = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  const unit = (): number =>
    ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992;
  return {
    uint32,
    uniform(low = 0, high = 1): number {
      const fn = "uniform(low, high)";
      assertNumber(low, fn, "low");
      assertNumber(high, fn, "high");
      if (!(low < high)) {
        throw new RangeError(
          `Expected low < high in ${fn}, got low ${low} and high ${high}`,
        );
      }
      const width = high - low;
      if (!Number.isFinite(width)) {
        throw new RangeError(
          `Cannot draw from [${low}, ${high}) in ${fn}: the width of the interval overflows`,
        );
      }
      return low + width * unit();
    },
    normal(mean = 0, sd = 1): number {
      const fn = "normal(mean, sd)";
      assertNumber(mean, fn, "mean");
      assertNumber(sd, fn, "sd");
      if (sd < 0) {
        throw new RangeError(
          `Expected sd of ${fn} to be non-negative, got ${sd}`,
        );
      }
      const u1 = 1 - unit(); // in (0, 1], so the logarithm is finite
      const u2 = unit();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
      const value = mean + sd * z;
      if (!Number.isFinite(value)) {
        throw new RangeError(
          `Cannot draw from N(${mean}, ${sd}²) in ${fn}: the sample overflows`,
        );
      }
      return value;
    },
    int(n: number): number {
      assertInteger(n, "int(n)", "n", 1, 4294967296);
      return Math.floor(unit() * n);
    },
  };
}

/**
 * A uniformly random permutation of 0 … n − 1 (Fisher–Yates), drawn from
 * `rng`.
 *
 * @param n The length, a non-negative integer.
 * @param rng The generator to draw from; it advances.
 * @returns A new array holding each of 0 … n − 1 once.
 * @throws {TypeError} When `n` is not a number, or `rng` has no `uniform`
 * method (a generator from {@linkcode createRng} has one).
 * @throws {RangeError} When `n` is not an integer from 0 to 2^26, or
 * `rng.uniform()` returns anything but a number in [0, 1).
 *
 * @example Usage
 * ```ts
 * import { createRng, shuffle } from "../../mod.ts";
 * import assert from "node:assert/strict";
 *
 * const order = shuffle(5, createRng(7));
 * assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
 * assert.deepEqual(shuffle(5, createRng(7)), order);
 * ```
 */
export function shuffle(n: number, rng: Rng): number[] {
  if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
    throw tooManyArguments("shuffle(n, rng)", arguments.length);
  }
  const fn = "shuffle(n, rng)";
  assertInteger(n, fn, "n", 0, MAX_SHUFFLE);
  if (typeof (rng as Partial<Rng> | null)?.uniform !== "function") {
    throw new TypeError(
      `Expected rng of ${fn} to be a generator from createRng(seed), with a uniform() method, got ${
        describe(rng)
      }`,
    );
  }
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const u: unknown = rng.uniform();
    // A draw outside [0, 1) would pick an index outside the permutation.
    if (!(typeof u === "number" && u >= 0 && u < 1)) {
      throw new RangeError(
        `Expected rng.uniform() to return a number in [0, 1) in ${fn}, got ${
          describe(u)
        }`,
      );
    }
    const j = Math.floor(u * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
