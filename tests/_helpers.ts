// Shared test helpers: fast-check arbitraries for shapes and matrices, a
// float comparison, and small textbook references the library is checked
// against. Nothing here uses the code under test to compute an expectation.
import fc from "fast-check";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Matrix, matrix, toArray } from "../mod.ts";

/** Unit roundoff of float64, 2^-53. */
export const EPS = 2 ** -53;

/** Options for {@linkcode close}. */
export interface CloseOptions {
  /** Relative tolerance. @default {1e-12} */
  rtol?: number;
  /** Absolute tolerance. @default {0} */
  atol?: number;
  /** Prefix for the failure message. */
  message?: string;
}

type Numeric = number | readonly (readonly number[])[] | Matrix;

function asRows(value: Numeric): number[][] {
  if (typeof value === "number") return [[value]];
  if (value instanceof Matrix) return toArray(value);
  return value.map((row) => [...row]);
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| entry by entry, and
 * that the shapes agree. Accepts numbers, nested arrays or matrices.
 */
export function close(
  actual: Numeric,
  expected: Numeric,
  options: CloseOptions = {},
): void {
  const { rtol = 1e-12, atol = 0, message = "" } = options;
  const a = asRows(actual);
  const e = asRows(expected);
  assert.equal(a.length, e.length, `${message} row count differs`);
  for (let i = 0; i < e.length; i++) {
    assert.equal(a[i].length, e[i].length, `${message} row ${i} length`);
    for (let j = 0; j < e[i].length; j++) {
      const x = a[i][j];
      const y = e[i][j];
      const diff = Math.abs(x - y);
      if (!(diff <= atol + rtol * Math.abs(y))) {
        assert.fail(
          `${message} entry (${i}, ${j}): got ${x}, expected ${y} ` +
            `(|diff| ${diff} > atol ${atol} + rtol ${rtol} * |expected|)`,
        );
      }
    }
  }
}

/** A bounded finite double, never NaN or ±Infinity. */
export function finite(max = 10): fc.Arbitrary<number> {
  return fc.double({
    min: -max,
    max,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

/** A size from 1 to `max`. */
export function size(max = 5): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max });
}

/** Nested arrays of `rows` x `cols` bounded doubles. */
export function arrays(
  rows: number,
  cols: number,
  max = 10,
): fc.Arbitrary<number[][]> {
  return fc.array(
    fc.array(finite(max), { minLength: cols, maxLength: cols }),
    { minLength: rows, maxLength: rows },
  );
}

/** A `rows` x `cols` Matrix of bounded doubles. */
export function matrixOf(
  rows: number,
  cols: number,
  max = 10,
): fc.Arbitrary<Matrix> {
  return arrays(rows, cols, max).map((a) => matrix(a));
}

/** A Matrix of random shape, each side from 1 to `maxSide`. */
export function anyMatrix(maxSide = 5, max = 10): fc.Arbitrary<Matrix> {
  return fc.tuple(size(maxSide), size(maxSide)).chain(([r, c]) =>
    matrixOf(r, c, max)
  );
}

/**
 * A perceptron problem of random shape: w (r x k), b (r x 1), x (k x n),
 * d (r x n).
 */
export interface Problem {
  w: Matrix;
  b: Matrix;
  x: Matrix;
  d: Matrix;
}

/** Random perceptron problems, with at most `maxSamples` samples. */
export function problem(
  { maxSide = 4, maxSamples = 4, max = 3 } = {},
): fc.Arbitrary<Problem> {
  return fc.tuple(size(maxSide), size(maxSide), size(maxSamples)).chain((
    [r, k, n],
  ) =>
    fc.record({
      w: matrixOf(r, k, max),
      b: matrixOf(r, 1, max),
      x: matrixOf(k, n, max),
      d: matrixOf(r, n, max),
    })
  );
}

/** The textbook product, Σ_p a[i][p]·b[p][j] in order, each term rounded. */
export function naiveDot(a: number[][], b: number[][]): number[][] {
  return a.map((row) =>
    b[0].map((_, j) => {
      let s = 0;
      for (let p = 0; p < row.length; p++) s += row[p] * b[p][j];
      return s;
    })
  );
}

/** |a|·|b|, entry by entry: the scale of the rounding error of a·b. */
export function absDot(a: number[][], b: number[][]): number[][] {
  return naiveDot(
    a.map((r) => r.map(Math.abs)),
    b.map((r) => r.map(Math.abs)),
  );
}

/** Σ of squares of every entry (‖m‖²_F), in plain order. */
export function frobenius2(m: Matrix): number {
  let s = 0;
  for (const row of toArray(m)) for (const v of row) s += v * v;
  return s;
}

/** The loss Σ(w·x + b − d)², computed in plain loops. */
export function plainLoss(
  { w, b, x, d }: { w: Matrix; b: Matrix; x: Matrix; d: Matrix },
): number {
  const u = naiveDot(toArray(w), toArray(x));
  const bb = toArray(b);
  const dd = toArray(d);
  let s = 0;
  for (let i = 0; i < u.length; i++) {
    for (let j = 0; j < u[i].length; j++) {
      const e = u[i][j] + bb[i][0] - dd[i][j];
      s += e * e;
    }
  }
  return s;
}

/** The article's numbers. */
export const ARTICLE = {
  w: [[0, 0.3, -0.8], [1, -1.2, 0.5]],
  x: [[5], [2], [7]],
  b: [[1.2], [3.4]],
  d: [[1], [0]],
} as const;

/** The article's matrices, freshly built. */
export function articleMatrices(): Problem {
  return {
    w: matrix(ARTICLE.w),
    x: matrix(ARTICLE.x),
    b: matrix(ARTICLE.b),
    d: matrix(ARTICLE.d),
  };
}

/** Asserts that `call` throws `type` with a message naming `fn(` and matching `pattern`. */
export function assertRefuses(
  call: () => unknown,
  type: ErrorConstructor,
  fn: string,
  pattern: RegExp,
): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof type, `${error} is not a ${type.name}`);
    assert.ok((error as Error).message.includes(`${fn}(`));
    assert.match((error as Error).message, pattern);
    return true;
  });
}

/**
 * A copy of `obj` whose `key` answers its real value on the first read and
 * `junk` after it: a function that reads a field twice validates one value
 * and uses another.
 */
export function once<T extends object>(obj: T, key: keyof T, junk: unknown): T {
  const copy = { ...obj };
  let reads = 0;
  Object.defineProperty(copy, key, {
    get: () => (reads++ === 0 ? obj[key] : junk),
    enumerable: true,
    configurable: true,
  });
  return copy;
}

/** What a subprocess printed, and how it ended. */
export interface ProgramRun {
  /** The exit code. */
  code: number;
  /** Everything on stdout. */
  stdout: string;
  /** Everything on stderr. */
  stderr: string;
}

/**
 * Runs `program` (TypeScript source) through `deno run [flags] -` on stdin,
 * with colours off, and collects what it prints.
 */
export async function runProgram(
  program: string,
  flags: string[],
  cwd?: string,
): Promise<ProgramRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, "-"],
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(program));
  await writer.close();
  const output = await child.output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

/** Whether this test run was granted a permission: a name or a descriptor. */
export function granted(
  permission: Deno.PermissionDescriptor["name"] | Deno.PermissionDescriptor,
): boolean {
  const descriptor = typeof permission === "string"
    ? { name: permission } as Deno.PermissionDescriptor
    : permission;
  return Deno.permissions.querySync(descriptor).state === "granted";
}

/**
 * A python that can import `modules`: $PYTHON when set, else .venv/bin/python
 * at the repository's root; or, when there is none, why.
 */
export async function findPython(
  modules: string[],
): Promise<{ python?: string; reason: string }> {
  if (!granted("run") || !granted("read") || !granted("write")) {
    return { reason: "needs --allow-run, --allow-read and --allow-write" };
  }
  const fromEnv = granted({ name: "env", variable: "PYTHON" })
    ? Deno.env.get("PYTHON")
    : undefined;
  const python = fromEnv ||
    fileURLToPath(new URL("../.venv/bin/python", import.meta.url));
  try {
    const out = await new Deno.Command(python, {
      args: ["-c", `import ${modules.join(", ")}`],
      stdout: "null",
      stderr: "null",
    }).output();
    if (out.code !== 0) {
      return { reason: `${python} cannot import ${modules.join(", ")}` };
    }
  } catch {
    return { reason: `no python at ${python}` };
  }
  return { python, reason: "" };
}

/**
 * Runs `deno run --no-prompt [permissions] scripts/SCRIPT.ts [args]` from the
 * repository's root, as a user runs a script, with colours off.
 */
export async function runScript(
  script: string,
  args: string[],
  permissions: string[] = [],
): Promise<ProgramRun> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      ...permissions,
      `scripts/${script}.ts`,
      ...args,
    ],
    cwd: new URL("..", import.meta.url),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}
