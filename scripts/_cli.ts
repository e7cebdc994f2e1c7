/**
 * Small helpers shared by the command-line scripts in `scripts/`: flag
 * parsing on `node:util` `parseArgs`, strict number parsing, reading a JSON
 * file and writing a file atomically, each with a plain error message that
 * names the flag to add when a permission is missing; the scripts' messages
 * in English or in the article's Japanese; and numbers formatted for
 * reading.
 *
 * The rule every script follows: bad input ends the program with a non-zero
 * exit code and one or two plain lines on stderr, never a stack trace. Inside
 * a script, throw a {@linkcode CliError} (or call {@linkcode fail}) and run the
 * script's body through {@linkcode runMain}, which turns any error into such
 * lines.
 *
 * Every script that parses its flags with {@linkcode parseFlags} gets `-h`
 * for `--help`, and a misspelt flag is answered with the nearest known one
 * ("did you mean --steps?"). A script with a `lang` flag speaks Japanese
 * with `--lang ja`, from the first message on: {@linkcode parseFlags} looks
 * for `--lang` before it parses anything else, so that even a mistake in the
 * flags is reported in the language asked for. The messages shared by all
 * scripts are in one table, {@linkcode MESSAGES}.
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
import { MAX_BATCH_SIZE, MAX_EPOCHS } from "../lib/train/fit.ts";

export { MAX_BATCH_SIZE, MAX_EPOCHS };

// ---------------------------------------------------------------------------
// Languages and the message table

/** The language of a script's words: English, or the article's Japanese. */
export type Lang = "en" | "ja";

let currentLang: Lang = "en";

/**
 * Sets the language of every message from now on. {@linkcode parseFlags}
 * and {@linkcode parseLang} call it; a script rarely needs to.
 *
 * @param lang `"en"` or `"ja"`.
 */
export function setLang(lang: Lang): void {
  currentLang = lang;
}

/**
 * The language messages are written in now.
 *
 * @returns `"en"` (the default) or `"ja"`.
 */
export function getLang(): Lang {
  return currentLang;
}

/**
 * Picks the words for the language in use: for the messages of one script
 * that are not in the shared {@linkcode MESSAGES} table.
 *
 * @param en The English text.
 * @param ja The Japanese text.
 * @returns `ja` when the language is Japanese, `en` otherwise.
 */
export function tr(en: string, ja: string): string {
  return currentLang === "ja" ? ja : en;
}

/**
 * The messages every script shares, in English and in Japanese. The
 * Japanese uses the article's words where it has them (学習率 for the
 * learning rate).
 */
export const MESSAGES = {
  error: { en: () => "error", ja: () => "エラー" },
  warning: { en: () => "warning", ja: () => "警告" },
  unexpectedError: {
    en: (text: string) => `Unexpected error: ${text}`,
    ja: (text: string) => `予期しないエラー: ${text}`,
  },
  seeHelp: {
    en: () => "Run with --help to see the flags.",
    ja: () => "--help を付けて実行するとフラグの一覧が出ます。",
  },
  unknownFlag: {
    en: (name: string) => `Unknown flag ${name}.`,
    ja: (name: string) => `${name} というフラグはありません。`,
  },
  unknownFlagNear: {
    en: (name: string, near: string) =>
      `Unknown flag ${name}: did you mean ${near}?`,
    ja: (name: string, near: string) =>
      `${name} というフラグはありません。${near} のことですか?`,
  },
  unexpectedArgument: {
    en: (text: string) =>
      `Unexpected argument ${JSON.stringify(text)}: every input is a flag.`,
    ja: (text: string) =>
      `余分な引数 ${
        JSON.stringify(text)
      } があります。入力はすべてフラグで渡します。`,
  },
  takesNoValue: {
    en: (name: string) => `The flag ${name} takes no value.`,
    ja: (name: string) => `フラグ ${name} は値を取りません。`,
  },
  looksLikeFlag: {
    en: (name: string, next: string) =>
      `The flag ${name} is followed by ${
        JSON.stringify(next)
      }, which looks like a flag, not a value.`,
    ja: (name: string, next: string) =>
      `フラグ ${name} の後の ${
        JSON.stringify(next)
      } はフラグに見えるので、値として読めません。`,
  },
  looksLikeFlagHint: {
    en: (name: string, next: string) =>
      `If you meant the value, write ${name}=${next}.`,
    ja: (name: string, next: string) =>
      `値のつもりなら ${name}=${next} と書いてください。`,
  },
  needsValue: {
    en: (name: string) => `The flag ${name} needs a value.`,
    ja: (name: string) => `フラグ ${name} には値が要ります。`,
  },
  needsValueHint: {
    en: (name: string) =>
      `Write it as ${name} VALUE, or ${name}=VALUE for a value starting with "-".`,
    ja: (name: string) =>
      `${name} VALUE と書いてください("-" で始まる値なら ${name}=VALUE)。`,
  },
  notANumber: {
    en: (flag: string, text: string) =>
      `${flag} must be a number, got ${JSON.stringify(text)}.`,
    ja: (flag: string, text: string) =>
      `${flag} には数を指定してください(指定された値: ${
        JSON.stringify(text)
      })。`,
  },
  notPositive: {
    en: (flag: string, text: string) =>
      `${flag} must be greater than 0, got ${text}.`,
    ja: (flag: string, text: string) =>
      `${flag} は 0 より大きい数にしてください(指定された値: ${text})。`,
  },
  notACount: {
    en: (flag: string, text: string, min: string, max: string, why: string) =>
      `${flag} must be a whole number written in digits, from ${min} to ${max}${
        why ? ` (${why})` : ""
      }, got ${JSON.stringify(text)}.`,
    ja: (flag: string, text: string, min: string, max: string, why: string) =>
      `${flag} は ${min} から ${max}${
        why ? `(${why})` : " "
      }までの整数を、数字だけで指定してください(指定された値: ${
        JSON.stringify(text)
      })。`,
  },
  imagesThereAre: {
    en: () => "the images there are",
    ja: () => "画像の数",
  },
  badLang: {
    en: (text: string) =>
      `--lang must be en or ja, got ${JSON.stringify(text)}.`,
    ja: (text: string) =>
      `--lang は en か ja にしてください(指定された値: ${
        JSON.stringify(text)
      })。`,
  },
  learningRateTwice: {
    en: () =>
      "Give the learning rate once: --learning-rate and --lr are the same flag.",
    ja: () =>
      "学習率は1回だけ指定してください: --learning-rate と --lr は同じフラグです。",
  },
  needsFileName: {
    en: (flag: string) => `${flag} needs a file name.`,
    ja: (flag: string) => `${flag} にはファイル名が要ります。`,
  },
  noReadPermission: {
    en: (path: string, flag: string) =>
      `No permission to read ${path} (given to ${flag}).`,
    ja: (path: string, flag: string) =>
      `${path}(${flag} で指定)を読む許可がありません。`,
  },
  readHint: {
    en: (path: string) =>
      `Run again with --allow-read=${path} so the script may read it.`,
    ja: (path: string) =>
      `読めるように --allow-read=${path} を付けて実行し直してください。`,
  },
  cannotRead: {
    en: (path: string, flag: string, why: string) =>
      `Cannot read ${path} (given to ${flag}): ${why}`,
    ja: (path: string, flag: string, why: string) =>
      `${path}(${flag} で指定)を読めません: ${why}`,
  },
  noSuchFile: {
    en: () => "no such file.",
    ja: () => "そのファイルはありません。",
  },
  isADirectory: {
    en: () => "it is a directory.",
    ja: () => "ディレクトリです。",
  },
  notJson: {
    en: (path: string, why: string) => `${path} is not valid JSON: ${why}`,
    ja: (path: string, why: string) =>
      `${path} は正しい JSON ではありません: ${why}`,
  },
  outputFile: { en: () => "the output file", ja: () => "出力ファイル" },
  noWritePermission: {
    en: (path: string, flag: string) =>
      `No permission to write ${path} (given to ${flag}).`,
    ja: (path: string, flag: string) =>
      `${path}(${flag} で指定)に書き込む許可がありません。`,
  },
  writeHint: {
    en: (path: string) =>
      `Run again with --allow-write=${path} so the script may write it.`,
    ja: (path: string) =>
      `書き込めるように --allow-write=${path} を付けて実行し直してください。`,
  },
  cannotWrite: {
    en: (path: string, flag: string, why: string) =>
      `Cannot write ${path} (given to ${flag}): ${why}`,
    ja: (path: string, flag: string, why: string) =>
      `${path}(${flag} で指定)に書き込めません: ${why}`,
  },
  noSuchDirectory: {
    en: (dir: string) => `the directory ${dir} does not exist.`,
    ja: (dir: string) => `ディレクトリ ${dir} がありません。`,
  },
  notADirectory: {
    en: (dir: string) => `${dir} is not a directory.`,
    ja: (dir: string) => `${dir} はディレクトリではありません。`,
  },
} as const;

/** The name of one message in {@linkcode MESSAGES}. */
export type MessageKey = keyof typeof MESSAGES;

/**
 * One message of the {@linkcode MESSAGES} table, in the language in use.
 *
 * @param key Which message.
 * @param args What the message names (a flag, a path, the text given).
 * @returns The message.
 */
export function msg<K extends MessageKey>(
  key: K,
  ...args: Parameters<(typeof MESSAGES)[K]["en"]>
): string {
  const words = MESSAGES[key][currentLang] as (...a: string[]) => string;
  return words(...(args as string[]));
}

// ---------------------------------------------------------------------------
// Errors

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
 * stack trace. The first line starts with "error:" ("エラー:" in Japanese).
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
    message = msg("unexpectedError", error.message);
  } else {
    message = msg("unexpectedError", String(error));
  }
  const lines = [oneLine(`${msg("error")}: ${message}`)];
  if (hint) lines.push(oneLine(hint));
  console.error(lines.join("\n"));
  Deno.exit(code);
}

/**
 * Prints a warning as at most two plain lines on stderr ("warning: …", or
 * "警告: …" in Japanese); the program goes on.
 *
 * @param message One line saying what looks wrong.
 * @param hint One line saying what to do about it.
 */
export function warn(message: string, hint?: string): void {
  const lines = [oneLine(`${msg("warning")}: ${message}`)];
  if (hint) lines.push(oneLine(hint));
  console.error(lines.join("\n"));
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

// ---------------------------------------------------------------------------
// Flags

/** One flag for {@linkcode parseFlags}: a string value or a boolean switch. */
export interface FlagSpec {
  /** `"string"` takes a value (`--steps 5` or `--steps=5`); `"boolean"` takes none. */
  type: "string" | "boolean";
  /**
   * A one-letter alias used with one dash, such as `h` for `-h`. A boolean
   * `help` flag gets `-h` without asking, unless another flag has it.
   */
  short?: string;
}

/** The flags as parsed: string flags hold their text, boolean flags `true`. */
export type ParsedFlags<T extends Record<string, FlagSpec>> = {
  [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean;
};

/**
 * The Levenshtein distance between two strings: the fewest single-character
 * insertions, deletions and substitutions that turn one into the other.
 *
 * @param a One string.
 * @param b The other.
 * @returns The distance, from 0 (equal) to the longer length.
 */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j] + 1,
        row[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length];
}

/**
 * The known flag nearest to a misspelt one, if any is within Levenshtein
 * distance 2 (and has something in common with it: `--x` is not near
 * `--lr`). Ties go to the flag listed first.
 *
 * @param given The flag as typed, with its dashes, e.g. `--stpes`.
 * @param known The long names of the flags, without dashes.
 * @returns The nearest flag with its dashes, e.g. `--steps`, or undefined.
 */
export function nearestFlag(
  given: string,
  known: readonly string[],
): string | undefined {
  if (!given.startsWith("--")) return undefined;
  const name = given.slice(2).split("=")[0];
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = Math.min(
      levenshtein(name, candidate),
      levenshtein(name.toLowerCase(), candidate),
    );
    if (distance < bestDistance && distance < name.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? undefined : `--${best}`;
}

/**
 * The language `args` ask for with `--lang ja` or `--lang=ja` (the last one
 * wins, as in parsing), or English when they ask for none or for something
 * that is not a language.
 */
function langOf(args: readonly string[]): Lang {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") break;
    if (arg === "--lang") found = args[i + 1];
    else if (arg.startsWith("--lang=")) found = arg.slice("--lang=".length);
  }
  return found === "ja" ? "ja" : "en";
}

/** The spec with `-h` for a boolean `help` flag, when `h` is free. */
function withShortHelp<T extends Record<string, FlagSpec>>(spec: T): T {
  const help = spec.help;
  const taken = Object.values(spec).some((flag) => flag.short === "h");
  if (help?.type !== "boolean" || help.short !== undefined || taken) {
    return spec;
  }
  return { ...spec, help: { ...help, short: "h" } };
}

/**
 * Parses command-line flags strictly with `node:util` `parseArgs`: unknown
 * flags, missing values and positional arguments are refused with a plain
 * message that suggests `--help`, and a misspelt flag with the nearest known
 * one ("did you mean --steps?"). A boolean `help` flag also answers to `-h`.
 * When the spec has a `lang` flag, `--lang ja` anywhere in `args` switches
 * the messages to Japanese before anything is parsed (see
 * {@linkcode setLang}); otherwise they are English.
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
  if (Object.hasOwn(spec, "lang")) setLang(langOf(args));
  try {
    const { values } = parseArgs({
      args,
      options: withShortHelp(spec),
      strict: true,
      allowPositionals: false,
    });
    return values as ParsedFlags<T>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const text = error instanceof Error ? error.message : String(error);
    const hint = msg("seeHelp");
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const name = /'([^']*)'/.exec(text)?.[1] ?? text;
      const near = nearestFlag(name, Object.keys(spec));
      throw new CliError(
        near === undefined
          ? msg("unknownFlag", name)
          : msg("unknownFlagNear", name, near),
        hint,
        2,
      );
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const name = /'([^']*)'/.exec(text)?.[1] ?? text;
      throw new CliError(msg("unexpectedArgument", name), hint, 2);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const name = /'(--?[\w-]+)/.exec(text)?.[1] ?? "a flag";
      if (/does not take an argument/.test(text)) {
        throw new CliError(msg("takesNoValue", name), hint, 2);
      }
      if (/ambiguous/.test(text)) {
        // parseArgs refuses `--steps -3`: "-3" might be a flag of its own.
        const next = args[args.indexOf(name) + 1] ?? "";
        throw new CliError(
          msg("looksLikeFlag", name, next),
          msg("looksLikeFlagHint", name, next),
          2,
        );
      }
      throw new CliError(
        msg("needsValue", name),
        msg("needsValueHint", name),
        2,
      );
    }
    throw new CliError(oneLine(text), hint, 2);
  }
}

/**
 * For the scripts that take no flags but `--help` (or `-h`): prints `help`
 * and returns true for `--help`, returns false for no arguments, and refuses
 * anything else like {@linkcode parseFlags} does.
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

/**
 * Checks the value of `--lang` and makes it the language of every message
 * from now on.
 *
 * @param text The flag's value, or undefined when it was not given.
 * @returns `"en"` (also for no flag) or `"ja"`.
 * @throws {CliError} When the value is neither `en` nor `ja`.
 */
export function parseLang(text: string | undefined): Lang {
  const lang = text ?? "en";
  if (lang !== "en" && lang !== "ja") {
    setLang("en");
    throw new CliError(msg("badLang", lang), undefined, 2);
  }
  setLang(lang);
  return lang;
}

// ---------------------------------------------------------------------------
// Numbers on the command line

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
    throw new CliError(msg("notANumber", flag, text), undefined, 2);
  }
  if (options.positive && !(value > 0)) {
    throw new CliError(msg("notPositive", flag, text.trim()), undefined, 2);
  }
  return value;
}

/** The range {@linkcode parseCount} accepts. */
export interface CountRange {
  /**
   * The smallest count.
   *
   * @default {1}
   */
  min?: number;
  /**
   * The largest count.
   *
   * @default {Number.MAX_SAFE_INTEGER}
   */
  max?: number;
  /** What the largest count is, for the message, e.g. "the images there are". */
  why?: string;
}

/**
 * Parses a flag's text as a count: a whole number written in digits only
 * (no sign but `+`, no point or exponent), from `range.min` to `range.max`.
 * The message says exactly that, with the range: "--epochs must be a whole
 * number written in digits, from 1 to 10000000, got "1e2"."
 *
 * @param text The flag's value.
 * @param flag The flag's name, for the message, e.g. `--steps`.
 * @param range The smallest and largest count (default 1 and
 * `Number.MAX_SAFE_INTEGER`), and what the largest is.
 * @returns The count.
 * @throws {CliError} (exit code 2) When the text is not such a number.
 */
export function parseCount(
  text: string,
  flag: string,
  range: CountRange = {},
): number {
  const { min = 1, max = Number.MAX_SAFE_INTEGER, why = "" } = range;
  const trimmed = text.trim();
  const value = /^\+?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(
      msg("notACount", flag, text, String(min), String(max), why),
      undefined,
      2,
    );
  }
  return value;
}

/**
 * `--epochs`: a count from 1 to {@linkcode MAX_EPOCHS}, checked before
 * anything runs rather than by `fit` after it.
 *
 * @param text The flag's value.
 * @returns The count.
 * @throws {CliError} (exit code 2) When it is not such a count.
 */
export function parseEpochs(text: string): number {
  return parseCount(text, "--epochs", { max: MAX_EPOCHS });
}

/**
 * `--batch-size`: a count from 1 to {@linkcode MAX_BATCH_SIZE}, checked
 * before anything runs rather than by `fit` after it.
 *
 * @param text The flag's value.
 * @returns The count.
 * @throws {CliError} (exit code 2) When it is not such a count.
 */
export function parseBatchSize(text: string): number {
  return parseCount(text, "--batch-size", { max: MAX_BATCH_SIZE });
}

// ---------------------------------------------------------------------------
// Files

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
 * `--seed`: a whole number from 0 to 4294967295.
 *
 * @param text The flag's value.
 * @returns The seed.
 * @throws {CliError} When it is not such a number.
 */
export function parseSeed(text: string): number {
  const trimmed = text.trim();
  const value = /^\+?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(value <= 4294967295)) {
    throw new CliError(
      tr(
        `--seed must be a whole number from 0 to 4294967295, got ${
          JSON.stringify(text)
        }.`,
        `--seed は 0 から 4294967295 までの整数にしてください(指定された値: ${
          JSON.stringify(text)
        })。`,
      ),
      undefined,
      2,
    );
  }
  return value;
}

/**
 * Reads a flag that takes one of a few names, case and spaces aside.
 *
 * @param value The flag's value, as the user gave it.
 * @param flag The flag, for the message, e.g. `--optimizer`.
 * @param choices The names it may take, in lower case.
 * @param hint A second line for the message, e.g. where to find `--help`.
 * @returns The chosen name, trimmed and in lower case.
 * @throws {CliError} (exit code 2) When `value` is none of `choices`.
 */
export function parseChoice<T extends string>(
  value: string,
  flag: string,
  choices: readonly T[],
  hint?: string,
): T {
  const name = value.trim().toLowerCase();
  if (!(choices as readonly string[]).includes(name)) {
    const list = choices.join(", ");
    const given = JSON.stringify(value);
    throw new CliError(
      tr(
        `${flag} must be one of ${list}, got ${given}.`,
        `${flag} は ${list} のどれかにしてください(指定された値: ${given})。`,
      ),
      hint,
      2,
    );
  }
  return name as T;
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
  // Decoded as Deno.readTextFileSync decodes: a byte-order mark is kept (and
  // refused by JSON.parse), invalid UTF-8 becomes U+FFFD.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(
    readBytesFile(path, flag),
  );
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(msg("notJson", path, oneLine(reason)));
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
    msg("noWritePermission", path, flag),
    msg("writeHint", flagPath(path)),
  );
}

/**
 * Why a file cannot be written at `path` because of what is on the disk: its
 * directory missing or not a directory, or a directory at `path` itself; or
 * undefined when nothing there is in the way. Found without writing
 * anything: by looking, with read permission for both paths; with the write
 * permission alone (`--allow-write=FILE`), by creating the file when it is
 * not there and removing it at once, and by opening it (not truncated) when
 * it is. Other failures (a full disk, a read-only directory) are left for the
 * write itself to report.
 */
function writeObstacle(path: string): string | undefined {
  const dir = dirOf(path);
  const missingDir = () => msg("noSuchDirectory", dir);
  if (granted({ name: "read", path: dir }) && granted({ name: "read", path })) {
    try {
      if (!Deno.statSync(dir).isDirectory) return msg("notADirectory", dir);
    } catch (error) {
      if (
        error instanceof Deno.errors.NotFound ||
        error instanceof Deno.errors.NotADirectory
      ) return missingDir();
      return undefined;
    }
    try {
      if (Deno.statSync(path).isDirectory) return msg("isADirectory");
    } catch {
      // No file there yet: it will be created.
    }
    return undefined;
  }
  try {
    Deno.openSync(path, { write: true, createNew: true }).close();
    Deno.removeSync(path);
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return missingDir();
    if (error instanceof Deno.errors.NotADirectory) {
      return msg("notADirectory", dir);
    }
    if (!(error instanceof Deno.errors.AlreadyExists)) return undefined;
  }
  // Something is there already: a file (opened without truncating it, and
  // left as it was) or a directory.
  try {
    Deno.openSync(path, { write: true }).close();
  } catch (error) {
    if (error instanceof Deno.errors.IsADirectory) return msg("isADirectory");
  }
  return undefined;
}

/**
 * Fails at once (no prompt) when `path` may not be written, with the words
 * {@linkcode writeFileAtomic} uses, so that a script can check before a long
 * run rather than after it: when the write permission is missing, when the
 * file's directory does not exist or is not a directory, and when `path` is
 * a directory.
 *
 * @param path The file to be written, as the user gave it.
 * @param flag The flag that named it, e.g. `--plot`.
 * @throws {CliError} When the name is empty (exit code 2), the write
 * permission for `path` is missing, or the file could not be written there.
 */
export function assertWritable(path: string, flag: string): void {
  if (path === "") {
    throw new CliError(msg("needsFileName", flag), undefined, 2);
  }
  if (!granted({ name: "write", path })) throw noWritePermission(path, flag);
  const obstacle = writeObstacle(path);
  if (obstacle !== undefined) {
    throw new CliError(msg("cannotWrite", path, flag, obstacle));
  }
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
 * @param text The whole contents: a string, or anything that turns into
 * one, such as the `Svg` a chart function returns.
 * @param options The flag that named the file, for messages.
 * @throws {CliError} When the permission is missing or the file cannot be
 * written (no such directory, a directory in the way, …).
 *
 * @example Writing a chart
 * ```ts ignore
 * import { runMain, writeFileAtomic } from "./_cli.ts";
 *
 * runMain(() => writeFileAtomic("loss.svg", "<svg/>", { flag: "--plot" }));
 * // A chart needs no String(…): writeFileAtomic("loss.svg", lineChart(losses))
 * ```
 */
export function writeFileAtomic(
  path: string,
  text: string | { toString(): string },
  options: WriteFileAtomicOptions = {},
): void {
  const contents = String(text);
  const flag = options.flag ?? msg("outputFile");
  if (path === "") {
    throw new CliError(msg("needsFileName", flag), undefined, 2);
  }
  const noPermission = noWritePermission(path, flag);
  if (!granted({ name: "write", path })) throw noPermission;
  const describeFailure = (error: unknown): CliError => {
    if (isPermissionError(error)) return noPermission;
    if (error instanceof Deno.errors.NotFound) {
      return new CliError(
        msg("cannotWrite", path, flag, msg("noSuchDirectory", dirOf(path))),
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      return new CliError(
        msg("cannotWrite", path, flag, msg("isADirectory")),
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new CliError(msg("cannotWrite", path, flag, oneLine(reason)));
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
      Deno.writeTextFileSync(path, contents);
    } catch (error) {
      throw describeFailure(error);
    }
    return;
  }
  try {
    Deno.writeTextFileSync(temp, contents);
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

// ---------------------------------------------------------------------------
// Numbers for reading

/**
 * A number for reading, as numpy prints an array's entries: at most 10
 * significant digits and no trailing zeros, so that float64's last-digit
 * noise (0.49200000000000005) does not hide the value (0.492). Negative zero
 * is "0"; the minus sign is ASCII.
 *
 * @param value A finite number.
 * @returns Its text.
 */
export function formatNumber(value: number): string {
  const text = String(Number(value.toPrecision(10)));
  return text === "-0" ? "0" : text;
}

/**
 * {@linkcode formatNumber} with a typeset minus sign, for the result of a
 * formula: "−48".
 *
 * @param value A finite number.
 * @returns Its text.
 */
export function formatSigned(value: number): string {
  return formatNumber(value).replace(/^-/, "−");
}

/**
 * A number as a factor in a formula: negatives in parentheses, with a
 * typeset minus sign, as in "2 × (−4.8) × 5".
 *
 * @param value A finite number.
 * @returns Its text.
 */
export function formatFactor(value: number): string {
  const text = formatNumber(value);
  return text.startsWith("-") ? `(−${text.slice(1)})` : text;
}

/**
 * A matrix's rows in full (every digit JavaScript needs to give the same
 * float64 back), as nested arrays: `[[0, 0.3, -0.8], [1, -1.2, 0.5]]`.
 *
 * @param rows The rows, e.g. from `toArray(m)`.
 * @returns Their text.
 */
export function formatRows(rows: readonly (readonly number[])[]): string {
  return `[${rows.map((row) => `[${row.join(", ")}]`).join(", ")}]`;
}

/**
 * Reads a binary file named by a flag. When the read permission is missing
 * it fails at once (no prompt) with the exact flag to add, `--allow-read=FILE`.
 *
 * @param path The file, as the user gave it.
 * @param flag The flag that named it, e.g. `--load`.
 * @returns The file's bytes.
 * @throws {CliError} When the permission is missing or the file cannot be read.
 */
export function readBytesFile(path: string, flag: string): Uint8Array {
  if (path === "") throw new CliError(msg("needsFileName", flag), undefined, 2);
  const noPermission = () =>
    new CliError(
      msg("noReadPermission", path, flag),
      msg("readHint", flagPath(path)),
    );
  if (!granted({ name: "read", path })) throw noPermission();
  try {
    return Deno.readFileSync(path);
  } catch (error) {
    if (isPermissionError(error)) throw noPermission();
    if (error instanceof Deno.errors.NotFound) {
      throw new CliError(msg("cannotRead", path, flag, msg("noSuchFile")));
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new CliError(msg("cannotRead", path, flag, msg("isADirectory")));
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(msg("cannotRead", path, flag, reason));
  }
}

/**
 * Writes a binary file whole: to a temporary file beside it renamed over it
 * when the directory may be written, or directly when only the file may
 * (`--allow-write=FILE`), as {@linkcode writeFileAtomic} does for text. The
 * bytes are complete before the file is touched.
 *
 * @param path The file to write, as the user gave it.
 * @param bytes The whole contents.
 * @param flag The flag that named it, e.g. `--save`.
 * @throws {CliError} When the permission is missing or the file cannot be
 * written.
 */
export function writeBytesAtomic(
  path: string,
  bytes: Uint8Array,
  flag: string,
): void {
  assertWritable(path, flag);
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = slash < 0
    ? "."
    : slash === 0
    ? path.slice(0, 1)
    : path.slice(0, slash);
  const temp = `${dir}/.${path.slice(slash + 1)}.${Deno.pid}.${Date.now()}.tmp`;
  const failure = (error: unknown): CliError => {
    if (isPermissionError(error)) {
      return new CliError(
        msg("noWritePermission", path, flag),
        msg("writeHint", flagPath(path)),
      );
    }
    if (error instanceof Deno.errors.NotFound) {
      return new CliError(
        msg("cannotWrite", path, flag, msg("noSuchDirectory", dir)),
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      return new CliError(msg("cannotWrite", path, flag, msg("isADirectory")));
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new CliError(msg("cannotWrite", path, flag, reason));
  };
  const canRename = granted({ name: "write", path: temp }) &&
    granted({ name: "read", path: temp }) && granted({ name: "read", path });
  try {
    if (canRename) {
      Deno.writeFileSync(temp, bytes);
      Deno.renameSync(temp, path);
    } else {
      Deno.writeFileSync(path, bytes);
    }
  } catch (error) {
    if (canRename) {
      try {
        Deno.removeSync(temp);
      } catch {
        // Never created, or already gone.
      }
    }
    throw failure(error);
  }
}

/**
 * Several SVG documents one under the other, as one document.
 *
 * @param svgs Whole documents, as the toolkit's charts return them (or as
 * text).
 * @returns One document holding them all.
 */
export function stackSvg(
  svgs: readonly ({ toString(): string } | string)[],
): string {
  let y = 0, width = 0;
  const parts: string[] = [];
  for (const svg of svgs.map(String)) {
    const w = Number(/width="([\d.]+)"/.exec(svg)?.[1] ?? 0);
    const h = Number(/height="([\d.]+)"/.exec(svg)?.[1] ?? 0);
    parts.push(svg.trim().replace(/^<svg /, `<svg x="0" y="${y}" `));
    y += h;
    width = Math.max(width, w);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
