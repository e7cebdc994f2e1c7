// Argument checking and message building, in one place. Public functions call
// these at their boundary; internal code trusts its callers. Messages name the
// function, the argument, what was expected and what was given.
import { isMatrix, type Matrix, shapeText } from "./_matrix.ts";

/** Describes any value in a few words, for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "number":
      return Number.isNaN(value) ? "NaN" : String(value);
    case "bigint":
      return `the bigint ${String(value)}n`;
    case "boolean":
      return String(value);
    case "string":
      return value.length > 24
        ? `the string ${JSON.stringify(value.slice(0, 24))}…`
        : `the string ${JSON.stringify(value)}`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (isMatrix(value)) return `a ${shapeText(value)} Matrix`;
  if (ArrayBuffer.isView(value)) return "a typed array";
  return "an object";
}

/** "1 row", "3 rows", "2 entries": a count with its noun, for messages. */
export function count(n: number, noun: string): string {
  if (n === 1) return `${n} ${noun}`;
  return `${n} ${noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}

/**
 * Whether the arguments past the first `n` are the (index, array) that an
 * Array method passes its callback, as in `[m1, m2].map(toArray)` or
 * `[a, b, c].reduce(add)`. Those extras are let through, so that the common
 * idioms keep working; any other extra argument is refused
 * ({@linkcode tooManyArguments}). Called only once `args.length > n`.
 */
export function arrayCallback(args: ArrayLike<unknown>, n: number): boolean {
  return args.length === n + 2 && typeof args[n] === "number" &&
    Array.isArray(args[n + 1]);
}

/**
 * The TypeError for a call with more arguments than `signature` lists, such
 * as "Cannot call relu(m) with 2 arguments: it takes 1": an extra argument
 * would otherwise be ignored silently (`leakyRelu(m, 0.5)` is not a slope of
 * 0.5). `required` is how many of the parameters must be given; when fewer
 * than all, the message says "at most". `hint` says more, such as the option
 * the function does not have. A function compares `arguments.length` itself
 * (nearly free) and calls this only to throw:
 *
 *     if (arguments.length > 2 && !arrayCallback(arguments, 2)) {
 *       throw tooManyArguments("dot(a, b)", arguments.length);
 *     }
 */
export function tooManyArguments(
  signature: string,
  got: number,
  required?: number,
  hint?: string,
): TypeError {
  const inside = signature.slice(signature.indexOf("(") + 1, -1).trim();
  const max = inside === "" ? 0 : inside.split(",").length;
  const takes = max === 0
    ? "none"
    : `${required !== undefined && required < max ? "at most " : ""}${max}`;
  return new TypeError(
    `Cannot call ${signature} with ${
      count(got, "argument")
    }: it takes ${takes}${hint === undefined ? "" : `; ${hint}`}`,
  );
}

/** Throws a TypeError unless `value` is a Matrix. */
export function assertMatrix(
  value: unknown,
  fn: string,
  name: string,
): asserts value is Matrix {
  if (!isMatrix(value)) {
    const hint = Array.isArray(value)
      ? " (build one from nested arrays with matrix(rows))"
      : "";
    throw new TypeError(
      `Expected ${name} of ${fn} to be a Matrix, got ${describe(value)}${hint}`,
    );
  }
}

/** Throws a TypeError unless `value` is a function. */
export function assertFunction(value: unknown, fn: string, name: string): void {
  if (typeof value !== "function") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a function, got ${describe(value)}`,
    );
  }
}

/** Throws a TypeError unless `value` is a plain object (not an array or Matrix). */
export function assertRecord(
  value: unknown,
  fn: string,
  name: string,
  expected: string,
): asserts value is Record<string, unknown> {
  if (
    typeof value !== "object" || value === null || Array.isArray(value) ||
    isMatrix(value)
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be ${expected}, got ${describe(value)}`,
    );
  }
}

/**
 * Checks an options object: `undefined` means all defaults; anything but a
 * plain object, or a key that is not an option (a typo such as `step` for
 * `steps` would otherwise be ignored silently), throws a TypeError naming
 * `fn`. Returns the options, typed.
 */
export function readOptions<K extends string>(
  options: unknown,
  fn: string,
  known: readonly K[],
): { [key in K]?: unknown } {
  if (options === undefined) return {};
  assertRecord(options, fn, "options", `an object such as { ${known[0]}: … }`);
  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      const shown = key.length > 32 ? `${key.slice(0, 32)}…` : key;
      throw new TypeError(
        `Unknown option ${
          JSON.stringify(shown)
        } in options of ${fn}: expected ${listed(known)}`,
      );
    }
  }
  return options as { [key in K]?: unknown };
}

/** "a", "a or b", "a, b or c". */
export function listed(names: readonly string[]): string {
  return names.length === 1
    ? names[0]
    : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/**
 * Throws a RangeError naming `fn` when `data` holds NaN or ±Infinity, so that
 * no Matrix ever holds one.
 */
export function assertFiniteResult(
  data: Float64Array,
  fn: string,
  what = "the result",
): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      throw new RangeError(
        `Cannot compute ${fn}: ${what} would hold ${v} (overflow or an undefined operation); a Matrix holds only finite numbers`,
      );
    }
  }
}

/** Throws unless `value` is a finite number. */
export function assertNumber(
  value: unknown,
  fn: string,
  name: string,
): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be a number, got ${describe(value)}`,
    );
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be a finite number, got ${value}`,
    );
  }
}

/** Throws unless `value` is a finite number in [min, max]; returns it. */
export function assertInRange(
  value: unknown,
  fn: string,
  name: string,
  min: number,
  max: number,
  expected = `a number from ${min} to ${max}`,
): number {
  assertNumber(value, fn, name);
  if (value < min || value > max) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be ${expected}, got ${value}`,
    );
  }
  return value;
}

/** Throws unless `value` is an integer from `min` to `max`; returns it. */
export function assertInteger(
  value: unknown,
  fn: string,
  name: string,
  min: number,
  max: number,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Expected ${name} of ${fn} to be an integer, got ${describe(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Expected ${name} of ${fn} to be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Throws unless `value` is one of `choices`; returns it. */
export function assertChoice<C extends string>(
  value: unknown,
  fn: string,
  name: string,
  choices: readonly C[],
): C {
  if (
    typeof value !== "string" || !(choices as readonly string[]).includes(value)
  ) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be ${
        listed(choices.map((c) => `"${c}"`))
      }, got ${describe(value)}`,
    );
  }
  return value as C;
}

/** Throws a RangeError unless two matrices have the same shape. */
export function assertSameShape(
  a: Matrix,
  b: Matrix,
  fn: string,
  verb: string,
  names: readonly [string, string],
): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(
      `Cannot ${verb} ${shapeText(a)} with ${shapeText(b)} in ${fn}: ${
        names[0]
      } and ${names[1]} must have the same shape`,
    );
  }
}
