// Feeds every export of mod.ts junk and checks the outcome.
//
// The exports are discovered from mod.ts itself, so a new export is covered
// without touching this file. For each one the test:
//
// 1. discovers calls that succeed, by trying plausible arguments that the
//    parameter names suggest (a Matrix for `a`, { w, b } for `params`, an
//    options object for `options`...), then again with the results of the
//    first round as candidates; a successful call must return a sane value
//    (no NaN or ±Infinity anywhere, every Matrix finite) and must not change
//    its arguments;
// 2. calls it many times with junk: all-junk argument lists, and successful
//    calls with one position mutated (replaced by junk, dropped, a field set
//    to junk or deleted, a getter that answers junk after its first read, a
//    transparent or hostile Proxy), so that validation deeper than the first
//    argument is reached.
//
// Each call must return a sane value or throw a TypeError or RangeError whose
// message names the export (`name(`) and is not an engine message. Errors of
// class UserError come from this test's own callbacks, getters and proxy
// traps: the library must let those through unchanged (a callback's own
// exception is the caller's business), and they are accepted.
//
// Class exports are constructed with `new`, and their methods are fuzzed on
// real instances. Plain functions found on successful results (methods of a
// returned object) are fuzzed too.
//
// Debugging: `FUZZ_TRACE=1 deno test --allow-env=FUZZ_TRACE tests/fuzz_test.ts`
// prints every call (and calls slower than 100 ms) to stderr.
//
// Out of scope: calling a method with a foreign `this`
// (`Matrix.prototype.at.call({}, 0, 0)`), revoked proxies, and changing
// globals or `Matrix.prototype`: these break any JavaScript library.
import fc from "fast-check";
import assert from "node:assert/strict";
import * as mod from "../mod.ts";
import {
  junk,
  junkMatrix,
  kindsFor,
  nearMisses,
  parameterNames,
  plausible,
  UserError,
  userFn,
} from "./_junk.ts";

const SEED = 20261128;
/** fast-check runs per export; each run is one call. */
const RUNS = 3000;
/**
 * Plausible argument lists tried per export and round to find valid calls:
 * first guided by parameter names, then every pairing of kinds for the first
 * two positions.
 */
const GUIDED_TRIES = 400;
const SYSTEMATIC_TRIES = 250;

/** Targets that refuse every call by design: `new Matrix` wants a private token. */
const NEVER_SUCCEEDS = new Set(["new Matrix"]);

const ENGINE_MESSAGE = new RegExp(
  [
    "Cannot read propert",
    "is not a function",
    "is not iterable",
    "undefined is not",
    "null is not",
    "Maximum call stack",
    "Invalid array length",
    "Invalid typed array length",
    "Array buffer allocation failed",
    "Cannot convert",
    "is not a constructor",
    "Cannot destructure",
    "Cannot read private member",
    "Cannot write private member",
    "Cannot create property",
    "Cannot assign to read only",
    "object is not extensible",
    "Cannot mix BigInt",
    "Do not know how to serialize",
    "Converting circular structure",
    "is not defined",
    "on a proxy that has been revoked",
    "Class constructor",
    "Reduce of empty array",
    "called on non-object",
    "Invalid count value",
    "toFixed\\(\\) digits",
    "Private field",
  ].join("|"),
);

interface Target {
  /** The name that every error message must contain, followed by "(". */
  readonly name: string;
  /** How the report names it. */
  readonly label: string;
  readonly kinds: string[][];
  readonly call: (args: unknown[]) => unknown;
  /** Methods and returned closures may keep state between calls. */
  readonly stateful?: boolean;
}

let plausibleCalls = 0;
let junkCalls = 0;

function safeText(value: unknown): string {
  try {
    return Deno.inspect(value, {
      depth: 3,
      iterableLimit: 6,
      strAbbreviateSize: 40,
    });
  } catch {
    return "<uninspectable>";
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isClass(v: unknown): boolean {
  return typeof v === "function" &&
    /^class[\s{]/.test(Function.prototype.toString.call(v));
}

/**
 * A comparable picture of a value: matrices become their entries, objects
 * and arrays are walked (to depth 5), functions become their identity.
 */
function snapshot(v: unknown, depth = 0, seen = new Set<unknown>()): unknown {
  if (v instanceof mod.Matrix) return { matrix: mod.toArray(v) };
  // Closures made afresh by each call compare by name, not identity.
  if (typeof v === "function") return `<function ${v.name}>`;
  if (typeof v !== "object" || v === null) return v;
  if (seen.has(v) || depth > 5) return "<seen>";
  seen.add(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as Float64Array);
  if (Array.isArray(v)) return v.map((e) => snapshot(e, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    out[key] = snapshot((v as Record<string, unknown>)[key], depth + 1, seen);
  }
  return out;
}

/** Why a returned value is not sane, or undefined when it is. */
function insanity(
  v: unknown,
  path = "result",
  depth = 0,
  seen = new Set<unknown>(),
): string | undefined {
  if (typeof v === "number") {
    return Number.isFinite(v) ? undefined : `${path} is ${v}`;
  }
  if (typeof v !== "object" || v === null) return undefined;
  if (seen.has(v) || depth > 5) return undefined;
  seen.add(v);
  if (v instanceof mod.Matrix) {
    const [r, c] = v.shape;
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 1 || c < 1) {
      return `${path} has shape ${r}x${c}`;
    }
    const rows = mod.toArray(v);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        if (!Number.isFinite(rows[i][j])) {
          return `${path} holds ${rows[i][j]} at (${i}, ${j})`;
        }
      }
    }
    return undefined;
  }
  if (ArrayBuffer.isView(v)) {
    for (const e of v as Float64Array) {
      if (typeof e === "number" && !Number.isFinite(e)) {
        return `${path} holds ${e}`;
      }
    }
    return undefined;
  }
  const entries = Array.isArray(v) ? v.entries() : Object.entries(v);
  for (const [key, value] of entries) {
    const why = insanity(value, `${path}.${String(key)}`, depth + 1, seen);
    if (why) return why;
  }
  return undefined;
}

/** Calls the target and checks the outcome; throws an AssertionError when bad. */
function check(
  t: Target,
  args: unknown[],
): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  const started = TRACE ? performance.now() : 0;
  if (TRACE) console.error(`call ${t.label} ${safeText(args).slice(0, 300)}`);
  try {
    value = t.call(args);
    if (TRACE && performance.now() - started > 100) {
      console.error(
        `slow ${t.label}: ${Math.round(performance.now() - started)} ms`,
      );
    }
  } catch (e) {
    if (e instanceof UserError) return { ok: false };
    const where = `${t.label} with ${safeText(args)}`;
    if (!(e instanceof TypeError) && !(e instanceof RangeError)) {
      throw new assert.AssertionError({
        message: `${where} threw ${
          safeText(e)
        }, expected a TypeError or RangeError`,
      });
    }
    if (ENGINE_MESSAGE.test(e.message)) {
      throw new assert.AssertionError({
        message:
          `${where} let an engine error escape: ${e.name}: ${e.message}\n${e.stack}`,
      });
    }
    if (
      !/^[A-Z]/.test(e.message) || /\[object |function \(|=>/.test(e.message)
    ) {
      throw new assert.AssertionError({
        message:
          `${where} threw a message that is not a sentence written for people: ${e.message}`,
      });
    }
    if (!e.message.includes(`${t.name}(`)) {
      throw new assert.AssertionError({
        message:
          `${where} threw a message that does not name ${t.name}(…): ${e.message}`,
      });
    }
    return { ok: false };
  }
  const why = insanity(value);
  if (why !== undefined) {
    throw new assert.AssertionError({
      message: `${t.label} with ${
        safeText(args)
      } returned a value that is not sane: ${why}`,
    });
  }
  return { ok: true, value };
}

/** A small deterministic generator for the discovery phase (no Math.random). */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

const allPlausible = (): unknown[] => Object.values(plausible).flat();

/** Successful argument lists with their results, per target label. */
const found = new Map<string, { args: unknown[]; result: unknown }[]>();

const TRACE =
  Deno.permissions.querySync({ name: "env", variable: "FUZZ_TRACE" })
      .state === "granted" && Deno.env.get("FUZZ_TRACE") !== undefined;

function discover(t: Target, round: number): void {
  if (TRACE) console.error(`discover ${t.label} round ${round}`);
  const list = found.get(t.label) ?? [];
  found.set(t.label, list);
  const rand = prng(
    SEED + round * 7919 +
      [...t.label].reduce((h, c) => h * 31 + c.charCodeAt(0), 0),
  );
  const everything = allPlausible();
  const arity = t.kinds.length;
  const kindNames = Object.keys(plausible);
  for (let n = 0; n < GUIDED_TRIES + SYSTEMATIC_TRIES && list.length < 8; n++) {
    // All arguments, or one or two left out so that defaults are used.
    const length = Math.max(0, arity - (n % 3));
    const args: unknown[] = [];
    const s = n - GUIDED_TRIES;
    for (let i = 0; i < length; i++) {
      let kinds = t.kinds[i];
      if (s >= 0 && i < 2) {
        kinds = [
          kindNames[Math.floor(s / kindNames.length ** i) % kindNames.length],
        ];
      }
      const pool = kinds.length > 0 && (s >= 0 || rand() < 0.8)
        ? kinds.flatMap((k) => plausible[k] ?? [])
        : everything;
      args.push(pick(rand, pool.length > 0 ? pool : everything));
    }
    const before = snapshot(args);
    plausibleCalls++;
    const outcome = check(t, args);
    if (!outcome.ok) continue;
    assert.deepStrictEqual(
      snapshot(args),
      before,
      `${t.label} changed its arguments ${safeText(args)}`,
    );
    if (
      !list.some((e) =>
        e.args.length === args.length && e.args.every((a, i) => a === args[i])
      )
    ) {
      list.push({ args, result: outcome.value });
    }
  }
}

type Mutation = {
  how:
    | "replace"
    | "drop"
    | "field"
    | "delete"
    | "flip"
    | "proxy"
    | "hostile"
    | "matrix";
  value: unknown;
  /** When set, the junk is a near miss of the value it replaces. */
  near: number | null;
  key: number;
  pos: number;
  base: number;
};

const mutation = fc.record({
  how: fc.constantFrom<Mutation["how"]>(
    "replace",
    "replace",
    "drop",
    "field",
    "field",
    "delete",
    "flip",
    "proxy",
    "hostile",
    "matrix",
  ),
  value: junk(),
  near: fc.option(fc.nat(999), { freq: 3 }),
  key: fc.nat(999),
  pos: fc.nat(999),
  base: fc.nat(999),
});

const EXTRA_KEYS = ["step", "learningrate", "__proto__", "constructor"];

let knownKeys: string[] | undefined;
/** Keys of the plausible options objects, and a few surprising ones. */
function optionKeys(): string[] {
  knownKeys ??= [
    ...new Set([
      ...plausible.options.flatMap((o) =>
        isPlainObject(o) ? Object.keys(o) : []
      ),
      ...EXTRA_KEYS,
    ]),
  ];
  return knownKeys;
}

/** Applies a mutation; returns the arguments and whether they must still work alike. */
function mutate(
  base: unknown[],
  m: Mutation,
): { args: unknown[]; same: boolean } {
  const args = base.slice();
  const pos = m.pos % Math.max(1, args.length);
  const original = args[pos];
  const keys = isPlainObject(original) ? Object.keys(original) : [];
  // Mostly an existing field; else an option some export knows, a misspelt
  // one or a surprising one.
  const key = keys.length > 0 && m.key % 2 === 0
    ? keys[(m.key >> 1) % keys.length]
    : optionKeys()[m.key % optionKeys().length];
  const junkFor = (old: unknown): unknown => {
    if (m.near === null) return m.value;
    const options = nearMisses(old);
    return options[m.near % options.length];
  };
  switch (m.how) {
    case "replace":
      args[pos] = junkFor(original);
      return { args, same: false };
    case "drop":
      return { args: args.slice(0, pos), same: false };
    case "matrix":
      args[pos] =
        fc.sample(junkMatrix(), { seed: m.key * 131 + m.base, numRuns: 1 })[0];
      return { args, same: false };
    case "hostile":
      args[pos] = new Proxy(
        typeof original === "object" && original !== null ? original : {},
        {
          get: (_, key) => {
            if (key === fc.cloneMethod) return undefined;
            throw new UserError();
          },
          has: (_, key) => {
            if (key === fc.cloneMethod) return false;
            throw new UserError();
          },
          ownKeys: () => {
            throw new UserError();
          },
        },
      );
      return { args, same: false };
    case "proxy":
      if (!isPlainObject(original)) return { args, same: true };
      args[pos] = new Proxy(original, {});
      return { args, same: true };
    case "field": {
      if (!isPlainObject(original)) {
        args[pos] = junkFor(original);
        return { args, same: false };
      }
      const copy: Record<string, unknown> = { ...original };
      Object.defineProperty(copy, key, {
        value: junkFor(original[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      args[pos] = copy;
      return { args, same: false };
    }
    case "delete": {
      if (!isPlainObject(original) || keys.length === 0) {
        return { args, same: true };
      }
      const copy: Record<string, unknown> = { ...original };
      delete copy[keys[m.key % keys.length]];
      args[pos] = copy;
      return { args, same: false };
    }
    case "flip": {
      // A getter that answers the right value once, then junk: a function
      // that reads a field twice would validate one value and use another.
      if (!isPlainObject(original) || keys.length === 0) {
        return { args, same: true };
      }
      const copy: Record<string, unknown> = { ...original };
      const k = keys[m.key % keys.length];
      let reads = 0;
      Object.defineProperty(copy, k, {
        get: () => (reads++ === 0 ? original[k] : m.value),
        enumerable: true,
        configurable: true,
      });
      args[pos] = copy;
      return { args, same: true };
    }
  }
}

/** Whether a value holds a function within two levels, as stateful objects do. */
function holdsFunction(v: unknown, depth = 0): boolean {
  if (typeof v === "function") return true;
  if (
    typeof v !== "object" || v === null || depth > 2 || v instanceof mod.Matrix
  ) {
    return false;
  }
  return Object.values(v).some((e) => holdsFunction(e, depth + 1));
}

function fuzz(t: Target, runs: number): void {
  if (TRACE) console.error(`fuzz ${t.label}`);
  const bases = found.get(t.label) ?? [];
  const arity = Math.max(1, t.kinds.length);
  const allJunk = fc.array(junk(), { maxLength: arity + 1 }).map((args) => ({
    args,
    expect: undefined as unknown,
  }));
  const mixed = fc.tuple(
    ...t.kinds.map((kinds) => {
      const pool = kinds.flatMap((k) => plausible[k] ?? []);
      return pool.length > 0
        ? fc.oneof(junk(), fc.constantFrom(...pool))
        : junk();
    }),
  ).map((args) => ({ args: args as unknown[], expect: undefined as unknown }));
  const mutated = mutation.map((m) => {
    const base = bases[m.base % bases.length];
    const { args, same } = mutate(base.args, m);
    // Arguments with methods (a random generator, an optimizer) may carry
    // state from call to call: only the outcome is checked then.
    const stateless = !t.stateful && !holdsFunction(base.args);
    return {
      args,
      expect: same ? base.result : undefined,
      same: same && stateless,
    };
  });
  const plan = bases.length > 0
    ? fc.oneof({ arbitrary: allJunk, weight: 1 }, {
      arbitrary: mixed,
      weight: 1,
    }, {
      arbitrary: mutated,
      weight: 6,
    })
    : fc.oneof(allJunk, mixed);
  fc.assert(
    fc.property(plan, (p) => {
      junkCalls++;
      const outcome = check(t, p.args);
      if ("same" in p && p.same) {
        assert.ok(
          outcome.ok,
          `${t.label} refused ${
            safeText(p.args)
          }, which only wraps or re-reads a working call's arguments`,
        );
        assert.deepStrictEqual(
          snapshot(outcome.value),
          snapshot(p.expect),
          `${t.label} with ${
            safeText(p.args)
          } answered differently from the same call without a Proxy or getter`,
        );
      }
    }),
    // No shrinking: on hostile values it can take minutes. The first failing
    // input is reported as found, with the seed and path to replay it.
    { seed: SEED, numRuns: runs, endOnFailure: true },
  );
}

// ---------------------------------------------------------------------------
// Discover the targets.

const exported = Object.entries(mod).sort(([a], [b]) => a.localeCompare(b));

function functionTarget(
  name: string,
  f: (...args: unknown[]) => unknown,
): Target {
  const names = parameterNames(f);
  const arity = Math.max(names.length, f.length) + 1;
  const kinds = Array.from(
    { length: arity },
    (_, i) => kindsFor(names[i] ?? ""),
  );
  if (isClass(f)) {
    const C = f as unknown as new (...args: unknown[]) => unknown;
    return {
      name,
      label: `new ${name}`,
      kinds,
      call: (args) => new C(...args),
    };
  }
  return { name, label: name, kinds, call: (args) => f(...args) };
}

const targets: Target[] = [];
for (const [name, value] of exported) {
  if (typeof value === "function") {
    targets.push(
      functionTarget(name, value as (...args: unknown[]) => unknown),
    );
  }
}

/** Methods of class exports, called on real instances. */
function methodTargets(results: unknown[]): Target[] {
  const out: Target[] = [];
  for (const [className, C] of exported) {
    if (!isClass(C)) continue;
    const cls = C as unknown as { prototype: object };
    const instances = results.filter((r) =>
      r instanceof (C as unknown as new () => unknown)
    );
    if (instances.length === 0) continue;
    const proto = cls.prototype;
    for (const key of Reflect.ownKeys(proto)) {
      if (key === "constructor") continue;
      const desc = Object.getOwnPropertyDescriptor(proto, key)!;
      const label = `${className}.prototype.${String(key)}`;
      if (desc.get) {
        // Getters take no arguments: read them on every instance.
        for (const inst of instances) {
          junkCalls++;
          const why = insanity(desc.get.call(inst));
          assert.equal(
            why,
            undefined,
            `${label} returned a value that is not sane`,
          );
        }
        continue;
      }
      if (typeof desc.value !== "function") continue;
      const method = desc.value as (...args: unknown[]) => unknown;
      const names = parameterNames(method);
      const arity = Math.max(names.length, method.length) + 1;
      // A few instances, each its own target, so that a call is repeatable.
      const chosen = [
        ...new Set([instances[0], instances[instances.length - 1]]),
      ];
      chosen.forEach((instance, i) => {
        out.push({
          name: typeof key === "string" ? key : String(key.description),
          label: `${label} (instance ${i})`,
          kinds: Array.from(
            { length: arity },
            (_, n) => kindsFor(names[n] ?? ""),
          ),
          call: (args) => method.apply(instance, args),
          stateful: true,
        });
      });
    }
  }
  return out;
}

/** Functions on objects that successful calls returned (methods of a result). */
function resultFunctionTargets(): Target[] {
  const out: Target[] = [];
  for (const [label, list] of found) {
    for (const { result } of list.slice(0, 1)) {
      if (typeof result !== "object" || result === null) continue;
      for (const [key, value] of Object.entries(result)) {
        if (typeof value !== "function" || isClass(value)) continue;
        const f = value as (...args: unknown[]) => unknown;
        const t = functionTarget(key, f);
        out.push({
          ...t,
          label: `${label}(…).${key}`,
          call: (args) => f.apply(result, args),
          stateful: true,
        });
      }
    }
  }
  return out;
}

Deno.test("fuzz: every export of mod.ts answers junk with a sane value or a clear TypeError/RangeError", () => {
  assert.ok(
    targets.length >= 10,
    `only ${targets.length} function exports found in mod.ts`,
  );
  // Non-function exports must be sane too.
  for (const [name, value] of exported) {
    if (typeof value !== "function") {
      assert.equal(insanity(value, name), undefined);
    }
  }
  // Each target's first failure is collected, so that one run lists them all.
  const failures = new Map<string, string>();
  const guarded = (t: Target, body: () => void): void => {
    if (failures.has(t.label)) return;
    try {
      body();
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error
        ? e.cause
        : e;
      const text = cause instanceof Error ? cause.message : String(cause);
      const counterexample = e instanceof Error
        ? /Counterexample: .*/.exec(e.message)?.[0] ?? ""
        : "";
      failures.set(
        t.label,
        `${text.slice(0, 600)}${
          counterexample ? `\n    ${counterexample.slice(0, 300)}` : ""
        }`,
      );
    }
  };
  for (const t of targets) guarded(t, () => discover(t, 1));
  // Round 2: what round 1 returned becomes a candidate for every kind.
  const results = [...found.values()].flat().map((e) => e.result)
    .filter((r) => typeof r === "object" && r !== null);
  // Four results of each export become candidates, each for the kind it looks
  // like: a Matrix, a data set ({ x, d }), a function, or else a model.
  for (const list of found.values()) {
    for (const { result } of list.slice(0, 4)) {
      const kind = result instanceof mod.Matrix
        ? "matrix"
        : typeof result === "function"
        ? "function"
        : typeof result !== "object" || result === null
        ? undefined
        : "x" in result && "d" in result
        ? "samples"
        : "params";
      if (kind === undefined) continue;
      // A returned function becomes a callback: what it throws is then the
      // caller's own exception, which must pass through unchanged.
      const candidate = kind === "function"
        ? userFn(result as (...args: unknown[]) => unknown)
        : result;
      plausible[kind] = [...plausible[kind], candidate];
    }
  }
  for (const t of targets) guarded(t, () => discover(t, 2));

  const methods = methodTargets([...allPlausible(), ...results]);
  const returned = resultFunctionTargets();
  for (const t of [...methods, ...returned]) guarded(t, () => discover(t, 1));

  // Elapsed times are printed to help tune RUNS, never asserted.
  const elapsed: [string, number][] = [];
  for (const t of [...targets, ...methods, ...returned]) {
    const start = performance.now();
    guarded(t, () => fuzz(t, targets.includes(t) ? RUNS : Math.ceil(RUNS / 3)));
    elapsed.push([t.label, performance.now() - start]);
  }
  elapsed.sort((a, b) => b[1] - a[1]);

  const unreached = [...targets, ...methods, ...returned]
    .filter((t) => !NEVER_SUCCEEDS.has(t.label) && !failures.has(t.label))
    .filter((t) => (found.get(t.label) ?? []).length === 0)
    .map((t) => t.label);
  console.log(
    `fuzz: ${targets.length} exports of mod.ts (${methods.length} methods, ${returned.length} functions of results), ` +
      `${junkCalls} junk calls and ${plausibleCalls} plausible calls, seed ${SEED}`,
  );
  console.log(
    `fuzz: slowest ${
      elapsed.slice(0, 3).map(([l, ms]) => `${l} ${Math.round(ms)} ms`).join(
        ", ",
      )
    }`,
  );
  if (unreached.length > 0) {
    console.log(
      `fuzz: no succeeding call found for ${
        unreached.join(", ")
      }: only shallow validation was fuzzed there ` +
        `(teach kindsFor() in tests/_junk.ts their parameter names)`,
    );
  }
  // Every export that can succeed must have been reached, or deep validation
  // went untested.
  if (failures.size > 0) {
    const list = [...failures].map(([label, why]) => `- ${label}: ${why}`);
    throw new assert.AssertionError({
      message: `${failures.size} targets failed the fuzz test:\n${
        list.join("\n")
      }`,
    });
  }
  const missed = targets.map((t) => t.label).filter((l) =>
    unreached.includes(l)
  );
  assert.deepEqual(
    missed,
    [],
    "exports never called successfully, so their deep validation went unfuzzed",
  );
});

// ---------------------------------------------------------------------------
// Regressions: each input below once slipped through. They are spelt out
// because random junk finds them only by luck.

const w = mod.matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
const b = mod.matrix([[1.2], [3.4]]);
const x = mod.matrix([[5], [2], [7]]);
const d = mod.matrix([[1], [0]]);

Deno.test("regression: a Proxy of a Matrix or an object made from Matrix.prototype is refused with a clear message", () => {
  assert.throws(() => mod.add(new Proxy(w, {}), w), {
    name: "TypeError",
    message:
      "Expected a of add(a, b) to be a Matrix, got an object that is not a real Matrix (a Proxy of one, or made from Matrix.prototype)",
  });
  assert.throws(() => mod.dot(w, Object.create(mod.Matrix.prototype)), {
    name: "TypeError",
    message:
      /^Expected b of dot\(a, b\) to be a Matrix, got an object that is not a real Matrix/,
  });
  assert.throws(() => mod.sum([[1, 2]] as unknown as mod.Matrix), {
    name: "TypeError",
    message:
      "Expected m of sum(m) to be a Matrix, got an array of length 1 (build one from nested arrays with matrix(rows))",
  });
});

Deno.test("regression: a Matrix is frozen, so no property can shadow its shape", () => {
  const m = mod.matrix([[1, 2]]);
  assert.ok(Object.isFrozen(m));
  assert.throws(
    () => Object.defineProperty(m, "rows", { value: 99 }),
    TypeError,
  );
  assert.equal(m.rows, 1);
  assert.equal(mod.sum(m), 3);
});

Deno.test("regression: train reads each field of params, data and options once", () => {
  let reads = 0;
  const params = {
    get w() {
      reads++;
      return reads === 1 ? w : mod.matrix([[1]]);
    },
    b,
  };
  const result = mod.train(params, { x, d }, { steps: 2 });
  assert.equal(reads, 1);
  assert.deepEqual(result.history.map((h) => h.loss), [
    mod.train({ w, b }, { x, d }, { steps: 1 }).history[0].loss,
    mod.train({ w, b }, { x, d }, { steps: 2 }).history[1].loss,
  ]);
  let optionReads = 0;
  const options = {
    get steps() {
      optionReads++;
      return optionReads === 1 ? 2 : -1;
    },
  };
  assert.equal(mod.train({ w, b }, { x, d }, options).history.length, 2);
  assert.equal(optionReads, 1);
});

Deno.test("regression: train refuses fractional counts, unknown options and non-objects", () => {
  const fn = "train(params, data, options)";
  assert.throws(() => mod.train({ w, b }, { x, d }, { steps: 1.5 }), {
    name: "RangeError",
    message:
      `Expected options.steps of ${fn} to be a positive integer, got 1.5`,
  });
  assert.throws(() => mod.train({ w, b }, { x, d }, { steps: -1 }), {
    name: "RangeError",
    message: `Expected options.steps of ${fn} to be a positive integer, got -1`,
  });
  assert.throws(
    () => mod.train({ w, b }, { x, d }, { step: 10 } as mod.TrainOptions),
    {
      name: "TypeError",
      message:
        `Unknown option "step" in options of ${fn}: expected learningRate, steps, logEvery or trainBias`,
    },
  );
  assert.throws(() => mod.train({ w, b }, { x, d }, 5 as mod.TrainOptions), {
    name: "TypeError",
    message:
      `Expected options of ${fn} to be an object such as { learningRate: … }, got 5`,
  });
  assert.throws(() => mod.train({ w, b }, { x, d }, { learningRate: 1 }), {
    name: "RangeError",
    message:
      /^Training diverged at step \d+: the loss became Infinity with learning rate 1 in train\(params, data, options\); try a smaller learning rate, such as 0\.1$/,
  });
});

Deno.test("regression: numericalGradient refuses a step lost to rounding, junk options and classes", () => {
  const fn = "numericalGradient(f, at, options)";
  const f = (m: mod.Matrix) => mod.sum(mod.mul(m, m));
  assert.throws(
    () => mod.numericalGradient(f, mod.matrix([[0.3]]), { epsilon: 1e-300 }),
    {
      name: "RangeError",
      message:
        `Cannot step entry 0 (0.3) by ±1e-300 in ${fn}: the step is lost to rounding; use a larger options.epsilon`,
    },
  );
  assert.throws(
    () => mod.numericalGradient(f, x, "fast" as mod.NumericalGradientOptions),
    { name: "TypeError", message: /^Expected options of numericalGradient/ },
  );
  assert.throws(
    () => mod.numericalGradient(f, x, { epsilon: "1" as unknown as number }),
    {
      name: "TypeError",
      message:
        `Expected options.epsilon of ${fn} to be a positive finite number, got the string "1"`,
    },
  );
  assert.throws(
    () => mod.numericalGradient(class {} as unknown as typeof f, x),
    {
      name: "TypeError",
      message: `Expected f of ${fn} to be a function, got a class`,
    },
  );
  // A gradient that overflows is refused, not returned as Infinity.
  assert.throws(
    () =>
      mod.numericalGradient(
        (m) => m.at(0, 0) > 0 ? 1e308 : -1e308,
        mod.matrix([[0]]),
      ),
    {
      name: "RangeError",
      message:
        /^Cannot compute numericalGradient\(f, at, options\): the gradient would hold Infinity/,
    },
  );
});

Deno.test("regression: a callback's own exception passes through unchanged", () => {
  const mine = new Error("mine");
  const thrower = () => {
    throw mine;
  };
  assert.throws(() => mod.map(x, thrower), (e) => e === mine);
  assert.throws(() => mod.numericalGradient(thrower, x), (e) => e === mine);
  const hostile = new Proxy({}, {
    get() {
      throw mine;
    },
  });
  assert.throws(
    () => mod.train(hostile as mod.Perceptron, { x, d }),
    (e) => e === mine,
  );
});

Deno.test("regression: matrix, zeros and identity refuse sizes they cannot allocate", () => {
  assert.throws(() => mod.matrix([new Array(2 ** 32 - 1)]), {
    name: "RangeError",
    message:
      `Cannot build a 1x4294967295 matrix in matrix(rows): it would hold more than ${
        2 ** 26
      } entries`,
  });
  assert.throws(() => mod.zeros(2 ** 13, 2 ** 13 + 1), {
    name: "RangeError",
    message: /^Cannot build a 8192x8193 matrix in zeros\(rows, cols\)/,
  });
  assert.throws(() => mod.identity(8193), {
    name: "RangeError",
    message: "Expected n of identity(n) to be at most 8192, got 8193",
  });
  assert.throws(() => mod.zeros(2 ** 26 + 1, 1), {
    name: "RangeError",
    message: `Expected rows of zeros(rows, cols) to be at most ${
      2 ** 26
    }, got ${2 ** 26 + 1}`,
  });
});

Deno.test("regression: numericalGradient refuses a step that overflows", () => {
  assert.throws(
    () =>
      mod.numericalGradient((m) => m.at(0, 0), mod.matrix([[1.79e308]]), {
        epsilon: 0.01,
      }),
    {
      name: "RangeError",
      message:
        "Cannot step entry 0 (1.79e+308) by ±1.79e+306 in numericalGradient(f, at, options): it would overflow",
    },
  );
});

Deno.test("fuzz: the checker itself rejects engine errors, non-finite results and messages that do not name the export", () => {
  const target = (call: (args: unknown[]) => unknown): Target => ({
    name: "probe",
    label: "probe",
    kinds: [[]],
    call,
  });
  const bad: [string, (args: unknown[]) => unknown, RegExp][] = [
    ["engine error", (a) => (a[0] as { x: { y: number } }).x.y, /engine error/],
    ["NaN", () => NaN, /not sane: result is NaN/],
    ["nested Infinity", () => ({ loss: Infinity }), /result\.loss is Infinity/],
    ["unnamed", () => {
      throw new RangeError("Expected x to be positive, got -1");
    }, /does not name probe/],
    ["plain Error", () => {
      throw new Error("probe(x) failed");
    }, /expected a TypeError or RangeError/],
    ["lower case", () => {
      throw new TypeError("expected x of probe(x) to be a number");
    }, /not a sentence/],
  ];
  for (const [what, call, why] of bad) {
    assert.throws(() => check(target(call), [undefined]), why, what);
  }
  // Accepted: a clear error, a sane value, and the caller's own exception.
  assert.equal(
    check(
      target(() => {
        throw new RangeError("Expected x of probe(x) to be positive, got -1");
      }),
      [],
    ).ok,
    false,
  );
  assert.deepEqual(check(target(() => ({ loss: 1 })), []), {
    ok: true,
    value: { loss: 1 },
  });
  assert.equal(
    check(
      target(() => {
        throw new UserError();
      }),
      [],
    ).ok,
    false,
  );
});
