// Initial weights for the layers of lib/nn/layers.ts. Internal: kept apart
// from layers.ts so that `export * as layers` in mod.ts exports layers only.
import { assertFiniteResult, assertRecord, describe } from "../core/_checks.ts";
import { fromData, type Matrix } from "../core/_matrix.ts";
import type { Rng } from "../core/random.ts";

/**
 * Throws a TypeError unless `rng` is a generator: a record with `normal`
 * and `uniform` functions, such as `createRng(seed)` makes.
 */
export function assertRng(
  rng: unknown,
  fn: string,
  name: string,
): asserts rng is Rng {
  const expected = "a generator from createRng(seed)";
  assertRecord(rng, fn, name, expected);
  for (const method of ["normal", "uniform"]) {
    if (typeof rng[method] !== "function") {
      throw new TypeError(
        `Expected ${name}.${method} of ${fn} to be a function (${name} must be ${expected}), got ${
          describe(rng[method])
        }`,
      );
    }
  }
}

/**
 * Initial outputs x inputs weights drawn from `rng`: "he" from
 * N(0, 2/inputs), "xavier" from U(±√(6/(inputs + outputs))). The layer has
 * checked the sizes; `fn` names its `init` for the checks of `rng` and of
 * what it draws.
 */
export function initWeights(
  rng: Rng,
  outputs: number,
  inputs: number,
  init: "he" | "xavier",
  fn: string,
): Matrix {
  assertRng(rng, fn, "rng");
  const w = new Float64Array(outputs * inputs);
  if (init === "he") {
    const sd = Math.sqrt(2 / inputs);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, sd);
  } else {
    const limit = Math.sqrt(6 / (inputs + outputs));
    for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
  }
  assertFiniteResult(w, fn, "the weights drawn from rng");
  return fromData(outputs, inputs, w);
}
