// Internal helpers for error messages. Nothing here may throw: a description of
// bad input must never itself fail on a symbol, a proxy or a hostile getter.
import { isClass, isMatrix, Matrix } from "./_matrix.ts";

/** Describes any value in a few words, for error messages. */
export function describe(value: unknown): string {
  try {
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
        return isClass(value) ? "a class" : "a function";
    }
    if (Array.isArray(value)) return `an array of length ${value.length}`;
    if (isMatrix(value)) return `a ${value.rows}x${value.cols} Matrix`;
    if (value instanceof Matrix) {
      return "an object that is not a real Matrix (a Proxy of one, or made from Matrix.prototype)";
    }
    if (ArrayBuffer.isView(value)) return "a typed array";
    return "an object";
  } catch {
    return "an unreadable value";
  }
}

/** "1 row", "3 rows", "2 entries": a count with its noun, for messages. */
export function count(n: number, noun: string): string {
  if (n === 1) return `${n} ${noun}`;
  return `${n} ${noun.endsWith("y") ? `${noun.slice(0, -1)}ies` : `${noun}s`}`;
}
