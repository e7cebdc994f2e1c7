/**
 * Your own data: a table of text fields, as a CSV reader gives it (a header
 * row of column names, then one row of fields per sample), checked and
 * encoded into matrices a network can learn from.
 *
 * - A column whose every field is a number is standardized: shifted by its
 *   mean and divided by its standard deviation, so that it has mean 0 and
 *   standard deviation 1.
 * - Any other column is one-hot encoded: one input per category, 1 where
 *   the field holds that category and 0 elsewhere. A category that was not
 *   seen when the encoders were fitted gets all zeros.
 * - The target column becomes the classes of a classifier (one-hot targets)
 *   or, for regression, a standardized number.
 *
 * The statistics (means, standard deviations, categories, classes) are the
 * table's encoders. They are fitted on the training rows only and applied
 * unchanged to the test rows, so that nothing of the test set leaks into
 * training: {@linkcode fromTable} fits and encodes, {@linkcode applyEncoders}
 * encodes with encoders fitted before, and {@linkcode splitTable} splits a
 * table from a seed and does both. Encoders are plain data (strings and
 * numbers): `JSON.stringify` saves them and `JSON.parse` gives them back.
 *
 * Fields are read with the spaces around them removed. An empty field is a
 * missing value, and an error: every message about the data names the line
 * of the file (as an editor numbers it, the header being line 1) and the
 * column, and has the form "What in fn: details".
 *
 * As everywhere in the toolkit, samples are the COLUMNS of the matrices: a
 * table of n rows gives `x` with one column per row.
 *
 * @module
 */
import {
  arrayCallback,
  assertChoice,
  assertInteger,
  assertNumber,
  assertRecord,
  describe,
  readOptions,
  tooManyArguments,
} from "../core/_checks.ts";
import { fromData, type Matrix } from "../core/_matrix.ts";
import { trainTestSplit } from "./datasets.ts";

/** What a table's network learns: classes, or a number. */
export type TableTask = "classification" | "regression";

/** How a column of numbers is encoded: `(value − mean) / std`. */
export interface NumericEncoder {
  /** Always `"numeric"`. */
  readonly kind: "numeric";
  /** The column's name, as in the header. */
  readonly column: string;
  /** The mean of the column over the rows the encoder was fitted on. */
  readonly mean: number;
  /**
   * The column's standard deviation over those rows (dividing by their
   * number, n, not n − 1), or 1 when it is 0 (a constant column is only
   * shifted).
   */
  readonly std: number;
}

/** How a column of text is encoded: one 0-or-1 input per category. */
export interface CategoricalEncoder {
  /** Always `"categorical"`. */
  readonly kind: "categorical";
  /** The column's name, as in the header. */
  readonly column: string;
  /**
   * The categories seen when fitting, sorted (by value when all are
   * numbers, otherwise by their text). For the target of a classifier,
   * these are the classes: class i is `categories[i]`.
   */
  readonly categories: readonly string[];
}

/** How one column is encoded. */
export type ColumnEncoder = NumericEncoder | CategoricalEncoder;

/** Everything needed to encode rows of a table as a network's inputs. */
export interface TableEncoders {
  /** Whether the target holds classes or numbers. */
  readonly task: TableTask;
  /**
   * The target column: categorical (its categories are the classes) for
   * classification, numeric for regression.
   */
  readonly target: ColumnEncoder;
  /** The feature columns, in the header's order. */
  readonly columns: readonly ColumnEncoder[];
  /**
   * The name of each row of `x`: a numeric column's name, or
   * `column=category` for each category of a text column.
   */
  readonly features: readonly string[];
}

/** A table encoded as matrices, one column per row of the table. */
export interface EncodedTable {
  /** The inputs, f x n: one row per feature (see `encoders.features`). */
  readonly x: Matrix;
  /**
   * What the network learns to output: for classification the one-hot
   * classes (k x n), for regression the standardized target (1 x n).
   * `{ x, d }` is what `fit` and `evaluate` take.
   */
  readonly d: Matrix;
  /**
   * The target of each row: its class number (an index into
   * `encoders.target.categories`) for classification, its value in the
   * column's own units for regression.
   */
  readonly targets: readonly number[];
  /** The line of the file each row comes from (1-based). */
  readonly lines: readonly number[];
}

/** Options for {@linkcode fromTable}. */
export interface TableOptions {
  /** The name of the target column, as in the header. */
  target: string;
  /**
   * `"classification"`: the target's values are classes (any text);
   * `"regression"`: the target is a number.
   *
   * @default {"classification"}
   */
  task?: TableTask;
  /**
   * Columns to one-hot encode even though they hold numbers, such as codes
   * or postcodes.
   *
   * @default {[]}
   */
  categorical?: readonly string[];
  /**
   * Columns to leave out, such as names or identifiers. Their fields are not
   * read (they may be empty).
   *
   * @default {[]}
   */
  ignore?: readonly string[];
  /**
   * The line of the file each row comes from, for messages: 1-based
   * integers, one per row. A CSV reader knows them; they differ from the
   * row's position when a quoted field spans lines or blank lines are
   * skipped.
   *
   * @default {row i on line i + 2 (after the header on line 1)}
   */
  lines?: readonly number[];
  /**
   * The line of the header, for messages.
   *
   * @default {1}
   */
  headerLine?: number;
}

/** Options for {@linkcode splitTable}. */
export interface SplitTableOptions extends TableOptions {
  /**
   * The share of the rows held out for testing (of each class, for
   * classification), above 0 and below 1.
   *
   * @default {0.2}
   */
  testFraction?: number;
}

/** Options for {@linkcode applyEncoders}. */
export interface ApplyEncodersOptions {
  /**
   * The line of the file each row comes from, for messages.
   *
   * @default {row i on line i + 2 (after the header on line 1)}
   */
  lines?: readonly number[];
  /**
   * The line of the header, for messages.
   *
   * @default {1}
   */
  headerLine?: number;
}

/** What {@linkcode fromTable} returns. */
export interface FittedTable {
  /** The table, encoded. */
  readonly data: EncodedTable;
  /** The encoders fitted on it, for {@linkcode applyEncoders}. */
  readonly encoders: TableEncoders;
}

/** What {@linkcode splitTable} returns. */
export interface TableSplit {
  /** The training rows, encoded with encoders fitted on them. */
  readonly train: EncodedTable;
  /** The test rows, encoded with the same encoders. */
  readonly test: EncodedTable;
  /** The encoders, fitted on the training rows only. */
  readonly encoders: TableEncoders;
}

// ---------------------------------------------------------------------------
// Limits and small helpers

/** The most entries a Matrix may hold, as for matrix(rows). */
const MAX_ENTRIES = 2 ** 26;
/** The most classes a classifier may have, as for oneHot. */
const MAX_CLASSES = 10000;
/** A decimal number as people write it; no hex, no NaN, no Infinity. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a field holds, or undefined when it is not a finite number. */
function numberOf(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A string for a message, quoted and cut short. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Several quoted names, at most `max` of them. */
function quotedList(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map(quoted).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** The Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
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

/** The header's name nearest to a misspelt one, if any is close. */
function nearest(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const same = names.find((n) => n.toLowerCase() === lower);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const n of names) {
    const d = distance(lower, n.toLowerCase());
    if (d < bestDistance && d < name.length) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}

/** Sorts by value when every text is a number, otherwise by the text. */
function sortCategories(values: Iterable<string>): string[] {
  const list = [...values];
  const numbers = list.map(numberOf);
  if (numbers.every((v) => v !== undefined)) {
    return list
      .map((text, i) => ({ text, value: numbers[i] as number }))
      .sort((a, b) => a.value - b.value || (a.text < b.text ? -1 : 1))
      .map((e) => e.text);
  }
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// ---------------------------------------------------------------------------
// Checking a table

/** A table that passed the structural checks. */
interface Table {
  /** The column names, trimmed. */
  names: string[];
  /** The rows as given (fields are trimmed when read). */
  rows: (readonly string[])[];
  /** The line of each row. */
  lines: number[];
  /** The line of the header. */
  headerLine: number;
  /** The function that was called, for messages. */
  fn: string;
}

/** `column "age" (column 2)`. */
function columnText(table: Table, c: number): string {
  return `column ${quoted(table.names[c])} (column ${c + 1})`;
}

/** Checks the `lines` and `headerLine` options. */
function readLines(
  value: unknown,
  headerValue: unknown,
  rows: number,
  fn: string,
): { lines: number[]; headerLine: number } {
  const headerLine = headerValue === undefined ? 1 : assertInteger(
    headerValue,
    fn,
    "options.headerLine",
    1,
    Number.MAX_SAFE_INTEGER,
  );
  if (value === undefined) {
    return {
      lines: Array.from({ length: rows }, (_, i) => headerLine + 1 + i),
      headerLine,
    };
  }
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Expected options.lines of ${fn} to be an array of line numbers, one per row, got ${
        describe(value)
      }`,
    );
  }
  if (value.length !== rows) {
    throw new RangeError(
      `Expected options.lines of ${fn} to hold one line number per row (${rows}), got ${value.length}`,
    );
  }
  const lines: number[] = [];
  for (let i = 0; i < value.length; i++) {
    lines.push(
      assertInteger(
        value[i],
        fn,
        `options.lines[${i}]`,
        1,
        Number.MAX_SAFE_INTEGER,
      ),
    );
  }
  return { lines, headerLine };
}

/**
 * Checks the header and rows: arrays of strings, a named header without
 * duplicates, at least one row, and every row as long as the header.
 */
function readTable(
  header: unknown,
  rows: unknown,
  lineOptions: { lines?: unknown; headerLine?: unknown },
  fn: string,
): Table {
  if (!Array.isArray(header)) {
    throw new TypeError(
      `Expected header of ${fn} to be an array of column names, got ${
        describe(header)
      }`,
    );
  }
  if (!Array.isArray(rows)) {
    throw new TypeError(
      `Expected rows of ${fn} to be an array of rows of fields, got ${
        describe(rows)
      }`,
    );
  }
  const { lines, headerLine } = readLines(
    lineOptions.lines,
    lineOptions.headerLine,
    rows.length,
    fn,
  );
  if (header.length === 0) {
    throw new RangeError(
      `Empty table in ${fn}: there is no header row of column names on line ${headerLine} (the file is empty)`,
    );
  }
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (let c = 0; c < header.length; c++) {
    const name: unknown = header[c];
    if (typeof name !== "string") {
      throw new TypeError(
        `Expected header[${c}] of ${fn} to be a column name (a string), got ${
          describe(name)
        }`,
      );
    }
    const trimmed = name.trim();
    if (trimmed === "") {
      throw new RangeError(
        `Unnamed column in ${fn}: column ${
          c + 1
        } of the header (line ${headerLine}) is empty; give every column a name`,
      );
    }
    const before = seen.get(trimmed);
    if (before !== undefined) {
      throw new RangeError(
        `Duplicate column in ${fn}: columns ${before + 1} and ${
          c + 1
        } of the header (line ${headerLine}) are both named ${
          quoted(trimmed)
        }; give every column its own name`,
      );
    }
    seen.set(trimmed, c);
    names.push(trimmed);
  }
  if (rows.length === 0) {
    throw new RangeError(
      `Empty table in ${fn}: the header (line ${headerLine}) has no data rows after it`,
    );
  }
  const checked: (readonly string[])[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row)) {
      throw new TypeError(
        `Expected rows[${i}] of ${fn} to be an array of fields (strings), got ${
          describe(row)
        }`,
      );
    }
    if (row.length !== names.length) {
      const missing = names.length - row.length;
      const what = missing === 1
        ? `column ${quoted(names[row.length])} (column ${
          row.length + 1
        }) is missing`
        : missing > 1
        ? `columns ${quotedList(names.slice(row.length), 3)} (columns ${
          row.length + 1
        } to ${names.length}) are missing`
        : `column ${names.length + 1} has no name in the header`;
      throw new RangeError(
        `Ragged row in ${fn}: line ${lines[i]} has ${row.length} ${
          row.length === 1 ? "field" : "fields"
        } but the header (line ${headerLine}) has ${names.length}: ${what}`,
      );
    }
    for (let c = 0; c < row.length; c++) {
      if (typeof row[c] !== "string") {
        throw new TypeError(
          `Expected rows[${i}][${c}] of ${fn} to be a field (a string), got ${
            describe(row[c])
          }`,
        );
      }
    }
    checked.push(row as string[]);
  }
  return { names, rows: checked, lines, headerLine, fn };
}

/** Finds a column by name, or throws naming the header's columns. */
function findColumn(table: Table, name: string, what: string): number {
  const c = table.names.indexOf(name.trim());
  if (c >= 0) return c;
  const near = nearest(name.trim(), table.names);
  throw new RangeError(
    `Unknown column in ${table.fn}: ${what} ${
      quoted(name)
    } is not in the header (line ${table.headerLine}), which has ${
      quotedList(table.names)
    }${near === undefined ? "" : `; did you mean ${quoted(near)}?`}`,
  );
}

/** Checks an option that lists column names. */
function readNames(value: unknown, fn: string, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TypeError(
      `Expected ${name} of ${fn} to be an array of column names, got ${
        describe(value)
      }`,
    );
  }
  return value as string[];
}

/** Which columns a table's encoders read, from the options. */
interface Plan {
  task: TableTask;
  target: number;
  /** Feature columns, in the header's order. */
  features: number[];
  /** Feature columns to one-hot encode whatever they hold. */
  categorical: Set<number>;
}

const TABLE_OPTIONS = [
  "target",
  "task",
  "categorical",
  "ignore",
  "lines",
  "headerLine",
] as const;

function readPlan(
  table: Table,
  o: { [key in typeof TABLE_OPTIONS[number]]?: unknown },
): Plan {
  const fn = table.fn;
  if (typeof o.target !== "string") {
    throw new TypeError(
      `Expected options.target of ${fn} to be the name of a column of the header, got ${
        describe(o.target)
      }`,
    );
  }
  const task = o.task === undefined
    ? "classification"
    : assertChoice(o.task, fn, "options.task", [
      "classification",
      "regression",
    ]);
  const target = findColumn(table, o.target, "the target column");
  const ignored = new Set<number>();
  for (const name of readNames(o.ignore, fn, "options.ignore")) {
    const c = findColumn(table, name, "the column to ignore");
    if (c === target) {
      throw new RangeError(
        `Ignored target in ${fn}: ${
          columnText(table, target)
        } is the target and cannot be ignored`,
      );
    }
    ignored.add(c);
  }
  const categorical = new Set<number>();
  for (const name of readNames(o.categorical, fn, "options.categorical")) {
    const c = findColumn(table, name, "the categorical column");
    if (c === target || ignored.has(c)) {
      throw new RangeError(
        `Categorical ${c === target ? "target" : "ignored column"} in ${fn}: ${
          columnText(table, c)
        } ${
          c === target
            ? "is the target (a classifier's target is always read as classes)"
            : "is ignored"
        }, so it cannot also be categorical`,
      );
    }
    categorical.add(c);
  }
  const features: number[] = [];
  for (let c = 0; c < table.names.length; c++) {
    if (c !== target && !ignored.has(c)) features.push(c);
  }
  if (features.length === 0) {
    throw new RangeError(
      `No features in ${fn}: besides the target ${
        columnText(table, target)
      }, the header (line ${table.headerLine}) has no column to learn from${
        ignored.size > 0 ? " that is not ignored" : ""
      }`,
    );
  }
  return { task, target, features, categorical };
}

/** The trimmed field; throws for an empty one (a missing value). */
function field(table: Table, i: number, c: number): string {
  const text = table.rows[i][c].trim();
  if (text === "") {
    throw new RangeError(
      `Missing value in ${table.fn}: line ${table.lines[i]}, ${
        columnText(table, c)
      } is empty; fill it in or remove the row`,
    );
  }
  return text;
}

/** Throws for the first missing value, in the file's order. */
function checkFilled(
  table: Table,
  columns: readonly number[],
  rows: readonly number[],
): void {
  for (const i of rows) for (const c of columns) field(table, i, c);
}

/** Whether a feature column holds numbers; throws when it mixes both. */
function holdsNumbers(
  table: Table,
  c: number,
  rows: readonly number[],
): boolean {
  let numbers = 0;
  let firstNumber = -1;
  let firstText = -1;
  for (const i of rows) {
    if (numberOf(field(table, i, c)) === undefined) {
      if (firstText < 0) firstText = i;
    } else {
      numbers++;
      if (firstNumber < 0) firstNumber = i;
    }
  }
  if (firstText < 0) return true;
  if (firstNumber < 0) return false;
  const texts = rows.length - numbers;
  const odd = numbers >= texts ? firstText : firstNumber;
  const value = quoted(field(table, odd, c));
  throw new RangeError(
    `Mixed column in ${table.fn}: ${columnText(table, c)} holds ${
      numbers >= texts
        ? `numbers, but line ${table.lines[odd]} holds ${value}`
        : `text, but line ${table.lines[odd]} holds the number ${value}`
    }; fix that field (if it marks a missing value, fill it in or remove the row), or list the column in options.categorical to read all of it as text`,
  );
}

/** Fits a numeric encoder on the given rows. */
function fitNumeric(
  table: Table,
  c: number,
  rows: readonly number[],
): NumericEncoder {
  let sum = 0;
  for (const i of rows) sum += numberOf(field(table, i, c)) as number;
  const mean = sum / rows.length;
  let squares = 0;
  for (const i of rows) {
    const delta = (numberOf(field(table, i, c)) as number) - mean;
    squares += delta * delta;
  }
  const std = Math.sqrt(squares / rows.length);
  return Object.freeze({
    kind: "numeric",
    column: table.names[c],
    mean,
    std: std > 0 && Number.isFinite(std) ? std : 1,
  });
}

/** Fits a categorical encoder on the given rows. */
function fitCategorical(
  table: Table,
  c: number,
  rows: readonly number[],
): CategoricalEncoder {
  const seen = new Set<string>();
  for (const i of rows) seen.add(field(table, i, c));
  return Object.freeze({
    kind: "categorical",
    column: table.names[c],
    categories: Object.freeze(sortCategories(seen)),
  });
}

/** The names of the rows of `x`. */
function featureNames(columns: readonly ColumnEncoder[]): string[] {
  const out: string[] = [];
  for (const e of columns) {
    if (e.kind === "numeric") out.push(e.column);
    else for (const cat of e.categories) out.push(`${e.column}=${cat}`);
  }
  return out;
}

/** Checks the target over the given rows: its classes, or its numbers. */
function checkTarget(table: Table, plan: Plan, rows: readonly number[]) {
  const c = plan.target;
  if (plan.task === "regression") {
    for (const i of rows) {
      const text = field(table, i, c);
      if (numberOf(text) === undefined) {
        throw new RangeError(
          `Not a number in ${table.fn}: line ${table.lines[i]}, ${
            columnText(table, c)
          } holds ${
            quoted(text)
          }, but the target of a regression must be a number (for classes, use the task "classification")`,
        );
      }
    }
    return;
  }
  const classes = new Set<string>();
  for (const i of rows) classes.add(field(table, i, c));
  if (classes.size < 2) {
    throw new RangeError(
      `Single class in ${table.fn}: the target ${
        columnText(table, c)
      } of the header (line ${table.headerLine}) holds only ${
        quoted([...classes][0])
      }, on ${
        rows.length === 1 ? "its one row" : `all ${rows.length} rows`
      } (lines ${table.lines[rows[0]]} to ${
        table.lines[rows[rows.length - 1]]
      }); a classifier needs at least two classes`,
    );
  }
  if (classes.size > MAX_CLASSES) {
    throw new RangeError(
      `Too many classes in ${table.fn}: the target ${
        columnText(table, c)
      } holds ${classes.size} different values, more than ${MAX_CLASSES}; if it is a quantity, use the task "regression"`,
    );
  }
}

/** Fits the encoders on the given rows of a checked table. */
function fit(table: Table, plan: Plan, rows: readonly number[]): TableEncoders {
  checkFilled(table, [...plan.features, plan.target], rows);
  checkTarget(table, plan, rows);
  const columns = plan.features.map((c) =>
    !plan.categorical.has(c) && holdsNumbers(table, c, rows)
      ? fitNumeric(table, c, rows)
      : fitCategorical(table, c, rows)
  );
  const target = plan.task === "regression"
    ? fitNumeric(table, plan.target, rows)
    : fitCategorical(table, plan.target, rows);
  return Object.freeze({
    task: plan.task,
    target,
    columns: Object.freeze(columns),
    features: Object.freeze(featureNames(columns)),
  });
}

/** Throws a RangeError when a rows x cols matrix would be too large. */
function checkEntries(table: Table, rows: number, cols: number, what: string) {
  if (rows * cols > MAX_ENTRIES) {
    throw new RangeError(
      `Too large a table in ${table.fn}: ${what} would be ${rows}x${cols}, more than ${MAX_ENTRIES} entries`,
    );
  }
}

/** Encodes the given rows with encoders whose columns are at `at`. */
function encode(
  table: Table,
  encoders: TableEncoders,
  at: { columns: number[]; target: number },
  rows: readonly number[],
): EncodedTable {
  const n = rows.length;
  const f = encoders.features.length;
  const isClassifier = encoders.task === "classification";
  const k = isClassifier
    ? (encoders.target as CategoricalEncoder).categories.length
    : 1;
  checkEntries(table, f, n, "the inputs x");
  checkEntries(table, k, n, "the targets d");
  checkFilled(table, [...at.columns, at.target], rows);
  const x = new Float64Array(f * n);
  let row = 0;
  encoders.columns.forEach((e, index) => {
    const c = at.columns[index];
    if (e.kind === "numeric") {
      for (let j = 0; j < n; j++) {
        const i = rows[j];
        const text = field(table, i, c);
        const value = numberOf(text);
        if (value === undefined) {
          throw new RangeError(
            `Not a number in ${table.fn}: line ${table.lines[i]}, ${
              columnText(table, c)
            } holds ${
              quoted(text)
            }, but the encoders read this column as numbers`,
          );
        }
        x[row * n + j] = (value - e.mean) / e.std;
      }
      row++;
    } else {
      const index = new Map(e.categories.map((cat, i) => [cat, i]));
      for (let j = 0; j < n; j++) {
        const cat = index.get(field(table, rows[j], c));
        // An unseen category gets all zeros.
        if (cat !== undefined) x[(row + cat) * n + j] = 1;
      }
      row += e.categories.length;
    }
  });
  const d = new Float64Array(k * n);
  const targets: number[] = [];
  const t = encoders.target;
  const classIndex = new Map(
    t.kind === "categorical" ? t.categories.map((c, k) => [c, k]) : [],
  );
  for (let j = 0; j < n; j++) {
    const i = rows[j];
    const text = field(table, i, at.target);
    if (t.kind === "categorical") {
      const cls = classIndex.get(text);
      if (cls === undefined) {
        throw new RangeError(
          `Unknown class in ${table.fn}: line ${table.lines[i]}, ${
            columnText(table, at.target)
          } holds ${
            quoted(text)
          }, a class the encoders were not fitted on (they know ${
            quotedList(t.categories)
          })`,
        );
      }
      d[cls * n + j] = 1;
      targets.push(cls);
    } else {
      const value = numberOf(text);
      if (value === undefined) {
        throw new RangeError(
          `Not a number in ${table.fn}: line ${table.lines[i]}, ${
            columnText(table, at.target)
          } holds ${
            quoted(text)
          }, but the target of a regression must be a number`,
        );
      }
      d[j] = (value - t.mean) / t.std;
      targets.push(value);
    }
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new RangeError(
        `Too large a value in ${table.fn}: an input would be ${
          x[i]
        } after standardizing (feature ${
          quoted(encoders.features[Math.floor(i / n)])
        }, line ${table.lines[rows[i % n]]})`,
      );
    }
  }
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      throw new RangeError(
        `Too large a value in ${table.fn}: the standardized target would be ${
          d[i]
        } on line ${table.lines[rows[i % n]]}`,
      );
    }
  }
  return Object.freeze({
    x: fromData(f, n, x),
    d: fromData(k, n, d),
    targets: Object.freeze(targets),
    lines: Object.freeze(rows.map((i) => table.lines[i])),
  });
}

/** 0, 1, …, n − 1. */
function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

// ---------------------------------------------------------------------------
// Public functions

/**
 * Checks a table, fits its encoders on all of its rows and encodes them:
 * numeric columns standardized, text columns one-hot encoded, and the target
 * as one-hot classes (classification) or a standardized number
 * (regression). To keep a test set's statistics out of the encoders, fit
 * them on the training rows only and encode the test rows with
 * {@linkcode applyEncoders}, or let {@linkcode splitTable} do both.
 *
 * A column is numeric when every field of it is a decimal number (such as
 * `3`, `-0.5` or `1e-3`); `options.categorical` makes one text. A column
 * that mixes numbers and text is refused, as it usually means a typo or a
 * marker for a missing value (`?`, `NA`).
 *
 * @param header The column names (line 1 of a CSV file).
 * @param rows One array of fields (strings) per row, as long as the header.
 * @param options The target column, the task, columns to read as text or to
 * leave out, and the line of each row for messages.
 * @returns The encoded table and its encoders.
 * @throws {TypeError} When the header or a row is not an array of strings,
 * an option is unknown or of the wrong type, or `options.target` is missing.
 * @throws {RangeError} When the table is empty (no header, or no rows), a
 * header name is empty or repeated, a row's length differs from the
 * header's (ragged), a column named in the options is not in the header, a
 * field is empty (a missing value), a column mixes numbers and text, the
 * target of a classifier holds a single class (or more than 10000), the
 * target of a regression is not a number, or a matrix would hold more than
 * 2^26 entries. Each message names the line and the column.
 *
 * @example Two numeric columns, a text column and three classes
 * ```ts
 * import { fromTable } from "./tabular.ts";
 * import { toArray } from "../core/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const header = ["size", "colour", "kind"];
 * const rows = [["1", "red", "a"], ["2", "blue", "b"], ["3", "red", "c"]];
 * const { data, encoders } = fromTable(header, rows, { target: "kind" });
 * assert.deepEqual(encoders.features, ["size", "colour=blue", "colour=red"]);
 * const s = Math.sqrt(2 / 3); // the standard deviation of 1, 2, 3
 * assert.deepEqual(toArray(data.x), [[-1 / s, 0, 1 / s], [0, 1, 0], [1, 0, 1]]);
 * assert.deepEqual(data.targets, [0, 1, 2]);
 * assert.throws(
 *   () => fromTable(header, [["1", "", "a"]], { target: "kind" }),
 *   /line 2, column "colour" \(column 2\) is empty/,
 * );
 * ```
 */
export function fromTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions,
): FittedTable {
  if (arguments.length > 3 && !arrayCallback(arguments, 3)) {
    throw tooManyArguments(
      "fromTable(header, rows, options)",
      arguments.length,
    );
  }
  const fn = "fromTable(header, rows, options)";
  if (options === undefined) {
    throw new TypeError(
      `Expected options of ${fn} to be an object such as { target: "species" }, got undefined`,
    );
  }
  const o = readOptions(options, fn, TABLE_OPTIONS);
  const table = readTable(header, rows, o, fn);
  const plan = readPlan(table, o);
  const all = range(table.rows.length);
  const encoders = fit(table, plan, all);
  const data = encode(table, encoders, {
    columns: plan.features,
    target: plan.target,
  }, all);
  return Object.freeze({ data, encoders });
}

/**
 * Splits a table into training and test rows at random from a seed
 * (stratified for classification: each class gives the same share to the
 * test set, as `trainTestSplit` does), fits the encoders on the training
 * rows only, and encodes both sets with them. Every row is checked first,
 * so a bad field is reported whichever set it falls into. Both sets keep
 * the file's order.
 *
 * @param header The column names (line 1 of a CSV file).
 * @param rows One array of fields (strings) per row, as long as the header.
 * @param seed The seed of the split: a safe integer. The same seed gives
 * the same split.
 * @param options As for {@linkcode fromTable}, and `testFraction`.
 * @returns The encoded training and test sets and the encoders.
 * @throws {TypeError} As {@linkcode fromTable}, and when `seed` is not a
 * number.
 * @throws {RangeError} As {@linkcode fromTable}, and when `seed` is not a
 * safe integer, `testFraction` is not above 0 and below 1, or a set would be
 * empty (too few rows).
 *
 * @example A fifth held out, with the training set's statistics
 * ```ts
 * import { splitTable } from "./tabular.ts";
 * import assert from "node:assert/strict";
 *
 * const header = ["x", "label"];
 * const rows = Array.from({ length: 10 }, (_, i) => [String(i), i < 5 ? "low" : "high"]);
 * const { train, test, encoders } = splitTable(header, rows, 0, { target: "label" });
 * assert.equal(train.x.cols, 8);
 * assert.equal(test.x.cols, 2);
 * assert.deepEqual(encoders.target.kind === "categorical" && encoders.target.categories, ["high", "low"]);
 * assert.deepEqual([...test.targets].sort(), [0, 1]); // one of each class
 * ```
 */
export function splitTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  seed: number,
  options: SplitTableOptions,
): TableSplit {
  if (arguments.length > 4 && !arrayCallback(arguments, 4)) {
    throw tooManyArguments(
      "splitTable(header, rows, seed, options)",
      arguments.length,
    );
  }
  const fn = "splitTable(header, rows, seed, options)";
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
  if (options === undefined) {
    throw new TypeError(
      `Expected options of ${fn} to be an object such as { target: "species" }, got undefined`,
    );
  }
  const o = readOptions(options, fn, [...TABLE_OPTIONS, "testFraction"]);
  const fraction = o.testFraction ?? 0.2;
  assertNumber(fraction, fn, "options.testFraction");
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(
      `Expected options.testFraction of ${fn} to be a number above 0 and below 1, got ${fraction}`,
    );
  }
  const table = readTable(header, rows, o, fn);
  const plan = readPlan(table, o);
  const all = range(table.rows.length);
  // Check every row first, so that the split does not decide which error
  // (if any) is reported.
  checkFilled(table, [...plan.features, plan.target], all);
  checkTarget(table, plan, all);
  for (const c of plan.features) {
    if (!plan.categorical.has(c)) holdsNumbers(table, c, all);
  }
  const n = all.length;
  let labels: number[];
  let classes: number;
  if (plan.task === "classification") {
    const names = sortCategories(
      new Set(all.map((i) => field(table, i, plan.target))),
    );
    const index = new Map(names.map((name, k) => [name, k]));
    labels = all.map((i) => index.get(field(table, i, plan.target)) as number);
    classes = names.length;
  } else {
    labels = all.map(() => 0);
    classes = 1;
  }
  // trainTestSplit splits the columns of x; here x holds the row numbers.
  const indices = new Float64Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  const oneHotLabels = new Float64Array(classes * n);
  labels.forEach((k, j) => (oneHotLabels[k * n + j] = 1));
  let parts;
  try {
    parts = trainTestSplit(
      {
        x: fromData(1, n, indices),
        labels,
        oneHot: fromData(classes, n, oneHotLabels),
        classes,
      },
      seed,
      { testFraction: fraction },
    );
  } catch {
    // The arguments are checked: only an empty set is left to refuse. For a
    // classifier, that is when every class has a single row.
    const singles = classes === n && plan.task === "classification";
    throw new RangeError(
      `Too few rows in ${fn}: ${n} ${n === 1 ? "row" : "rows"} (lines ${
        table.lines[0]
      } to ${table.lines[n - 1]}) leave${n === 1 ? "s" : ""} no row to test on${
        singles
          ? `, as each value of the target ${
            columnText(table, plan.target)
          } is on one row only (a class needs two rows to give one to the test set); if the target is a quantity, use the task "regression"`
          : ""
      }`,
    );
  }
  const pick = (set: { x: Matrix }) =>
    Array.from({ length: set.x.cols }, (_, j) => set.x.at(0, j))
      .sort((a, b) => a - b);
  const trainRows = pick(parts.train);
  const testRows = pick(parts.test);
  const encoders = fit(table, plan, trainRows);
  const at = { columns: plan.features, target: plan.target };
  return Object.freeze({
    train: encode(table, encoders, at, trainRows),
    test: encode(table, encoders, at, testRows),
    encoders,
  });
}

/** Checks one column encoder read back from JSON. */
function readEncoder(value: unknown, fn: string, name: string): ColumnEncoder {
  assertRecord(
    value,
    fn,
    name,
    'a column encoder { kind: "numeric", column, mean, std } or { kind: "categorical", column, categories }',
  );
  const kind = assertChoice(value.kind, fn, `${name}.kind`, [
    "numeric",
    "categorical",
  ]);
  if (typeof value.column !== "string" || value.column.trim() === "") {
    throw new TypeError(
      `Expected ${name}.column of ${fn} to be a column name (a non-empty string), got ${
        describe(value.column)
      }`,
    );
  }
  const column = value.column.trim();
  if (kind === "numeric") {
    assertNumber(value.mean, fn, `${name}.mean`);
    assertNumber(value.std, fn, `${name}.std`);
    if (!(value.std > 0)) {
      throw new RangeError(
        `Expected ${name}.std of ${fn} to be a number above 0, got ${value.std}`,
      );
    }
    return Object.freeze({ kind, column, mean: value.mean, std: value.std });
  }
  const categories = value.categories;
  if (
    !Array.isArray(categories) || categories.length === 0 ||
    categories.some((c) => typeof c !== "string")
  ) {
    throw new TypeError(
      `Expected ${name}.categories of ${fn} to be a non-empty array of strings, got ${
        describe(categories)
      }`,
    );
  }
  if (new Set(categories).size !== categories.length) {
    throw new RangeError(
      `Expected ${name}.categories of ${fn} to hold each category once, got ${
        quotedList(categories as string[])
      }`,
    );
  }
  return Object.freeze({
    kind,
    column,
    categories: Object.freeze([...categories as string[]]),
  });
}

/** Checks encoders, such as ones read back with JSON.parse. */
function readEncoders(value: unknown, fn: string): TableEncoders {
  assertRecord(
    value,
    fn,
    "encoders",
    "the encoders of fromTable or splitTable { task, target, columns, features }",
  );
  const task = assertChoice(value.task, fn, "encoders.task", [
    "classification",
    "regression",
  ]);
  const target = readEncoder(value.target, fn, "encoders.target");
  const wanted = task === "classification" ? "categorical" : "numeric";
  if (target.kind !== wanted) {
    throw new RangeError(
      `Expected encoders.target of ${fn} to be ${wanted} for the task "${task}", got ${target.kind}`,
    );
  }
  if (target.kind === "categorical" && target.categories.length < 2) {
    throw new RangeError(
      `Expected encoders.target.categories of ${fn} to hold at least two classes, got ${target.categories.length}`,
    );
  }
  if (!Array.isArray(value.columns) || value.columns.length === 0) {
    throw new TypeError(
      `Expected encoders.columns of ${fn} to be a non-empty array of column encoders, got ${
        describe(value.columns)
      }`,
    );
  }
  const columns = value.columns.map((e, i) =>
    readEncoder(e, fn, `encoders.columns[${i}]`)
  );
  const names = new Set([target.column]);
  columns.forEach((e, i) => {
    if (names.has(e.column)) {
      throw new RangeError(
        `Expected the columns of encoders of ${fn} to be distinct, but encoders.columns[${i}] encodes ${
          quoted(e.column)
        } again`,
      );
    }
    names.add(e.column);
  });
  const features = featureNames(columns);
  if (
    !Array.isArray(value.features) ||
    value.features.length !== features.length ||
    value.features.some((f, i) => f !== features[i])
  ) {
    throw new TypeError(
      `Expected encoders.features of ${fn} to name the ${features.length} encoded inputs (${
        quotedList(features, 4)
      }), got ${describe(value.features)}`,
    );
  }
  return Object.freeze({
    task,
    target,
    columns: Object.freeze(columns),
    features: Object.freeze(features),
  });
}

/**
 * Encodes rows of a table with encoders fitted before (by
 * {@linkcode fromTable} or {@linkcode splitTable}, or read back from
 * JSON): each numeric column standardized with the saved mean and standard
 * deviation, each text column one-hot over the saved categories (a category
 * not among them gets all zeros), the target as the saved classes or
 * standardized likewise. Columns are found by name, in any order; columns
 * the encoders do not use are not read.
 *
 * @param encoders The encoders.
 * @param header The column names (line 1 of a CSV file).
 * @param rows One array of fields (strings) per row, as long as the header.
 * @param options The line of each row and of the header, for messages.
 * @returns The encoded table.
 * @throws {TypeError} When `encoders` are malformed (the message names the
 * field), the header or a row is not an array of strings, or an option is
 * unknown or of the wrong type.
 * @throws {RangeError} When the table is empty, ragged or has a bad header,
 * a column the encoders use is not in the header, a field it reads is
 * empty, a numeric column or a regression target holds something other
 * than a number, the target holds a class the encoders do not know, or a
 * matrix would hold more than 2^26 entries. Each message names the line and
 * the column.
 *
 * @example Test rows encoded with the training rows' statistics
 * ```ts
 * import { applyEncoders, fromTable } from "./tabular.ts";
 * import { toArray } from "../core/matrix.ts";
 * import assert from "node:assert/strict";
 *
 * const header = ["height", "team", "won"];
 * const train = [["10", "red", "yes"], ["20", "blue", "no"]];
 * const { encoders } = fromTable(header, train, { target: "won" });
 * const saved = JSON.parse(JSON.stringify(encoders));
 * const test = applyEncoders(saved, header, [["25", "green", "yes"]]);
 * // (25 − 15) / 5 = 2; "green" was never seen: all zeros.
 * assert.deepEqual(toArray(test.x), [[2], [0], [0]]);
 * assert.deepEqual(test.targets, [1]); // classes ["no", "yes"]
 * assert.throws(
 *   () => applyEncoders(saved, header, [["x", "red", "yes"]]),
 *   /line 2, column "height" \(column 1\) holds "x"/,
 * );
 * ```
 */
export function applyEncoders(
  encoders: TableEncoders,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: ApplyEncodersOptions = {},
): EncodedTable {
  if (arguments.length > 4 && !arrayCallback(arguments, 4)) {
    throw tooManyArguments(
      "applyEncoders(encoders, header, rows, options)",
      arguments.length,
      3,
    );
  }
  const fn = "applyEncoders(encoders, header, rows, options)";
  const checked = readEncoders(encoders, fn);
  const o = readOptions(options, fn, ["lines", "headerLine"]);
  const table = readTable(header, rows, o, fn);
  const find = (e: ColumnEncoder, what: string) => {
    const c = table.names.indexOf(e.column);
    if (c < 0) {
      throw new RangeError(
        `Missing column in ${fn}: the header (line ${table.headerLine}) has no ${what} ${
          quoted(e.column)
        }, which the encoders need; it has ${quotedList(table.names)}`,
      );
    }
    return c;
  };
  const at = {
    columns: checked.columns.map((e) => find(e, "column")),
    target: find(checked.target, "target column"),
  };
  return encode(table, checked, at, range(table.rows.length));
}
