/**
 * Small helpers shared by the command-line scripts in `scripts/`: flag
 * parsing on `node:util` `parseArgs`, strict number parsing, reading a JSON
 * file and writing a file atomically, each with a plain error message that
 * names the flag to add when a permission is missing.
 *
 * The rule every script follows: bad input ends the program with a non-zero
 * exit code and one or two plain lines on stderr, never a stack trace. Inside
 * a script, throw a {@linkcode CliError} (or call {@linkcode fail}) and run the
 * script's body through {@linkcode runMain}, which turns any error into such
 * lines.
 *
 * These helpers never ask for a permission interactively: they query it
 * first, and when it is missing they fail with the exact `--allow-…` flag to
 * add, so that `deno run scripts/NAME.ts` never stops at a prompt.
 *
 * This module is internal to the scripts (its name starts with `_`); it is
 * not part of the library exported by `mod.ts`.
 *
 * @example A script with one flag
 * ```ts ignore
 * import { parseCount, parseFlags, runMain } from "./_cli.ts";
 *
 * runMain(() => {
 *   const flags = parseFlags(Deno.args, { steps: { type: "string" } });
 *   const steps = flags.steps === undefined
 *     ? 100
 *     : parseCount(flags.steps, "--steps");
 *   console.log(`steps: ${steps}`);
 * });
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";

/**
 * An error meant for the person at the terminal: {@linkcode runMain} prints
 * its message (and its hint, on a second line) without a stack trace.
 */
export class CliError extends Error {
  /** An optional second line: what to do about it. */
  readonly hint?: string;
  /** The exit code; 2 for bad usage, 1 for anything else. */
  readonly exitCode: number;

  /**
   * @param message One line saying what is wrong.
   * @param hint One line saying what to do about it.
   * @param exitCode The process exit code, not 0.
   */
  constructor(message: string, hint?: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.hint = hint;
    this.exitCode = exitCode === 0 ? 1 : exitCode;
  }
}

/**
 * Throws a {@linkcode CliError}: the program stops with `message` (and
 * `hint`) on stderr once {@linkcode runMain} catches it.
 *
 * @param message One line saying what is wrong.
 * @param hint One line saying what to do about it.
 * @returns Never.
 * @throws {CliError} Always.
 */
export function fail(message: string, hint?: string): never {
  throw new CliError(message, hint);
}

/** Keeps a message to one line: newlines become spaces. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * Prints an error as at most two plain lines on stderr and exits with a
 * non-zero code. Library errors (TypeError, RangeError) are printed by their
 * message; anything else is printed as an unexpected error, still without a
 * stack trace.
 *
 * @param error What was thrown.
 * @returns Never: the process exits.
 */
export function exitWithError(error: unknown): never {
  let message: string;
  let hint: string | undefined;
  let code = 1;
  if (error instanceof CliError) {
    message = error.message;
    hint = error.hint;
    code = error.exitCode;
  } else if (error instanceof TypeError || error instanceof RangeError) {
    message = error.message;
  } else if (error instanceof Error) {
    message = `Unexpected error: ${error.message}`;
  } else {
    message = `Unexpected error: ${String(error)}`;
  }
  const lines = [oneLine(`error: ${message}`)];
  if (hint) lines.push(oneLine(hint));
  console.error(lines.join("\n"));
  Deno.exit(code);
}

/**
 * Runs a script's body, turning any error it throws into one or two plain
 * lines on stderr and a non-zero exit. The body may be async.
 *
 * @param main The script's body.
 * @returns A promise that settles when the body is done (the process exits
 * first if the body throws).
 */
export async function runMain(main: () => void | Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    exitWithError(error);
  }
}

/** One flag for {@linkcode parseFlags}: a string value or a boolean switch. */
export interface FlagSpec {
  /** `"string"` takes a value (`--steps 5` or `--steps=5`); `"boolean"` takes none. */
  type: "string" | "boolean";
}

/** The flags as parsed: string flags hold their text, boolean flags `true`. */
export type ParsedFlags<T extends Record<string, FlagSpec>> = {
  [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean;
};

/**
 * Parses command-line flags strictly with `node:util` `parseArgs`: unknown
 * flags, missing values and positional arguments are refused with a plain
 * message that suggests `--help`.
 *
 * @param args The arguments, usually `Deno.args`.
 * @param spec The flags the script accepts, by long name without dashes.
 * @returns The flags that were given, by name.
 * @throws {CliError} On an unknown flag, a missing or unexpected value, or a
 * positional argument.
 */
export function parseFlags<T extends Record<string, FlagSpec>>(
  args: string[],
  spec: T,
): ParsedFlags<T> {
  try {
    const { values } = parseArgs({
      args,
      options: spec,
      strict: true,
      allowPositionals: false,
    });
    return values as ParsedFlags<T>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const text = error instanceof Error ? error.message : String(error);
    const hint = "Run with --help to see the flags.";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const name = /'([^']*)'/.exec(text)?.[1] ?? text;
      throw new CliError(`Unknown flag ${name}.`, hint, 2);
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const name = /'([^']*)'/.exec(text)?.[1] ?? text;
      throw new CliError(
        `Unexpected argument ${JSON.stringify(name)}: every input is a flag.`,
        hint,
        2,
      );
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const name = /'(--?[\w-]+)/.exec(text)?.[1] ?? "a flag";
      if (/does not take an argument/.test(text)) {
        throw new CliError(`The flag ${name} takes no value.`, hint, 2);
      }
      if (/ambiguous/.test(text)) {
        // parseArgs refuses `--steps -3`: "-3" might be a flag of its own.
        const next = args[args.indexOf(name) + 1] ?? "";
        throw new CliError(
          `The flag ${name} is followed by ${
            JSON.stringify(next)
          }, which looks like a flag, not a value.`,
          `If you meant the value, write ${name}=${next}.`,
          2,
        );
      }
      throw new CliError(
        `The flag ${name} needs a value.`,
        `Write it as ${name} VALUE, or ${name}=VALUE for a value starting with "-".`,
        2,
      );
    }
    throw new CliError(oneLine(text), hint, 2);
  }
}

/**
 * For the scripts that take no flags but `--help`: prints `help` and returns
 * true for `--help`, returns false for no arguments, and refuses anything
 * else like {@linkcode parseFlags} does.
 *
 * @param args The arguments, usually `Deno.args`.
 * @param help The text `--help` prints.
 * @returns Whether the help was printed (the script should then stop).
 * @throws {CliError} On any flag but `--help`, or a positional argument.
 */
export function helpOnly(args: string[], help: string): boolean {
  const flags = parseFlags(args, { help: { type: "boolean" } });
  if (flags.help) console.log(help);
  return flags.help === true;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Options for {@linkcode parseNumber}. */
export interface ParseNumberOptions {
  /**
   * Refuse zero and negative numbers.
   *
   * @default {false}
   */
  positive?: boolean;
}

/**
 * Parses a flag's text as a finite decimal number. Refuses empty text, words,
 * `NaN`, `Infinity`, hexadecimal and anything `Number()` would quietly turn
 * into a number (`""` → 0, `"0x10"` → 16).
 *
 * @param text The flag's value.
 * @param flag The flag's name, for the message, e.g. `--learning-rate`.
 * @param options Whether the number must be positive.
 * @returns The number.
 * @throws {CliError} When the text is not a finite decimal number, or is not
 * positive when `positive` is set.
 */
export function parseNumber(
  text: string,
  flag: string,
  options: ParseNumberOptions = {},
): number {
  const trimmed = text.trim();
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isFinite(value)) {
    throw new CliError(
      `${flag} must be a number, got ${JSON.stringify(text)}.`,
      undefined,
      2,
    );
  }
  if (options.positive && !(value > 0)) {
    throw new CliError(
      `${flag} must be greater than 0, got ${text.trim()}.`,
      undefined,
      2,
    );
  }
  return value;
}

/**
 * Parses a flag's text as a count: a whole number of at least 1, written in
 * digits only (no sign, point or exponent).
 *
 * @param text The flag's value.
 * @param flag The flag's name, for the message, e.g. `--steps`.
 * @returns The count.
 * @throws {CliError} When the text is not a positive whole number, or is too
 * large to count exactly.
 */
export function parseCount(text: string, flag: string): number {
  const trimmed = text.trim();
  const value = /^\+?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CliError(
      `${flag} must be a whole number of at least 1, got ${
        JSON.stringify(text)
      }.`,
      undefined,
      2,
    );
  }
  return value;
}

/** Whether a permission is granted, without ever prompting for it. */
function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotCapable;
}

/** A path as the user would type it in a flag: quoted if it has spaces. */
function flagPath(path: string): string {
  return /[\s"'$`\\]/.test(path) ? JSON.stringify(path) : path;
}

/**
 * Reads and parses a JSON file named by a flag. When the read permission is
 * missing it fails at once (no prompt) with the exact flag to add,
 * `--allow-read=FILE`.
 *
 * @param path The file, as the user gave it.
 * @param flag The flag that named it, for messages, e.g. `--config`.
 * @returns The parsed JSON value (of any type: check it before use).
 * @throws {CliError} When the permission is missing, the file cannot be read,
 * or it is not valid JSON.
 */
export function readJsonFile(path: string, flag: string): unknown {
  if (path === "") {
    throw new CliError(`${flag} needs a file name.`, undefined, 2);
  }
  const hint = `Run again with --allow-read=${
    flagPath(path)
  } so the script may read it.`;
  if (!granted({ name: "read", path })) {
    throw new CliError(
      `No permission to read ${path} (given to ${flag}).`,
      hint,
    );
  }
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (isPermissionError(error)) {
      throw new CliError(
        `No permission to read ${path} (given to ${flag}).`,
        hint,
      );
    }
    if (error instanceof Deno.errors.NotFound) {
      throw new CliError(
        `Cannot read ${path} (given to ${flag}): no such file.`,
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new CliError(
        `Cannot read ${path} (given to ${flag}): it is a directory.`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot read ${path} (given to ${flag}): ${reason}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`${path} is not valid JSON: ${oneLine(reason)}`);
  }
}

/** Options for {@linkcode writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * The flag that named the file, for messages, e.g. `--plot`.
   *
   * @default {"the output file"}
   */
  flag?: string;
}

function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (i < 0) return ".";
  return i === 0 ? path.slice(0, 1) : path.slice(0, i);
}

function baseOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return path.slice(i + 1);
}

function noWritePermission(path: string, flag: string): CliError {
  return new CliError(
    `No permission to write ${path} (given to ${flag}).`,
    `Run again with --allow-write=${
      flagPath(path)
    } so the script may write it.`,
  );
}

/**
 * Fails at once (no prompt) when `path` may not be written, with the words
 * {@linkcode writeFileAtomic} uses, so that a script can check before a long
 * run rather than after it.
 *
 * @param path The file to be written, as the user gave it.
 * @param flag The flag that named it, e.g. `--plot`.
 * @throws {CliError} When the write permission for `path` is missing.
 */
export function assertWritable(path: string, flag: string): void {
  if (path === "") {
    throw new CliError(`${flag} needs a file name.`, undefined, 2);
  }
  if (!granted({ name: "write", path })) throw noWritePermission(path, flag);
}

/**
 * Writes a text file so that a reader never sees half of it: the text goes to
 * a temporary file beside the target, which is then renamed over it. When the
 * write permission is missing it fails at once (no prompt) with the exact flag
 * to add, `--allow-write=FILE`.
 *
 * Deno grants `--allow-write=FILE` for that one path only, so the temporary
 * file beside it may not be writable, and a rename also needs read permission
 * for both paths. Without those the text is written to the file directly
 * (still complete once the call returns, but not atomic). Granting the
 * directory (`--allow-read=DIR --allow-write=DIR`) gives the atomic rename.
 *
 * @param path The file to write, as the user gave it.
 * @param text The whole contents.
 * @param options The flag that named the file, for messages.
 * @throws {CliError} When the permission is missing or the file cannot be
 * written (no such directory, a directory in the way, …).
 *
 * @example Writing a chart
 * ```ts ignore
 * import { runMain, writeFileAtomic } from "./_cli.ts";
 *
 * runMain(() => writeFileAtomic("loss.svg", "<svg/>", { flag: "--plot" }));
 * ```
 */
export function writeFileAtomic(
  path: string,
  text: string,
  options: WriteFileAtomicOptions = {},
): void {
  const flag = options.flag ?? "the output file";
  if (path === "") {
    throw new CliError(`${flag} needs a file name.`, undefined, 2);
  }
  const noPermission = noWritePermission(path, flag);
  if (!granted({ name: "write", path })) throw noPermission;
  const describeFailure = (error: unknown): CliError => {
    if (isPermissionError(error)) return noPermission;
    if (error instanceof Deno.errors.NotFound) {
      return new CliError(
        `Cannot write ${path} (given to ${flag}): the directory ${
          dirOf(path)
        } does not exist.`,
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      return new CliError(
        `Cannot write ${path} (given to ${flag}): it is a directory.`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new CliError(
      `Cannot write ${path} (given to ${flag}): ${oneLine(reason)}`,
    );
  };
  const dir = dirOf(path);
  // A name unique to this process and moment; no randomness needed.
  const temp = `${dir}/.${baseOf(path)}.${Deno.pid}.${Date.now()}.tmp`;
  // Deno.renameSync needs read and write permission for both paths.
  const canRename = granted({ name: "write", path: temp }) &&
    granted({ name: "read", path: temp }) &&
    granted({ name: "read", path });
  if (!canRename) {
    try {
      Deno.writeTextFileSync(path, text);
    } catch (error) {
      throw describeFailure(error);
    }
    return;
  }
  try {
    Deno.writeTextFileSync(temp, text);
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch {
      // The temporary file was never created, or is already gone.
    }
    throw describeFailure(error);
  }
}
