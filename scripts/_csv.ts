/**
 * Reading CSV text into a header, rows of fields and the line each row
 * starts on, for `fit_csv.ts`. The parsing is done by the npm package
 * `csv-parse` (quoted fields, embedded delimiters, quotes and line breaks,
 * CRLF, LF or CR line ends, a byte order mark); this module only gathers its
 * records and their line numbers.
 *
 * Line numbers: csv-parse counts the lines it has read, and a record ends on
 * the line it reports. A record starts that many line breaks earlier as it
 * holds inside its quoted fields. csv-parse 7 counts a CRLF inside a quoted
 * field as two lines (CR and LF each), which an editor shows as one: the
 * count is corrected for them, so that the numbers match the editor's.
 *
 * This module is internal to the scripts (its name starts with `_`); it is
 * not part of the library exported by `mod.ts`.
 *
 * @module
 */
import { parse } from "csv-parse/sync";

/** A CSV file read into its header and rows. */
export interface CsvTable {
  /** The fields of the first record: the column names. */
  header: string[];
  /** The fields of every later record. */
  rows: string[][];
  /** The line (1-based, as an editor shows it) the header starts on. */
  headerLine: number;
  /** The line each row starts on. */
  lines: number[];
}

/** Options for {@linkcode parseCsv}. */
export interface ParseCsvOptions {
  /**
   * The character between fields.
   *
   * @default {","}
   */
  delimiter?: string;
}

/** Text that is not valid CSV, with the line where the trouble is. */
export class CsvSyntaxError extends Error {
  /** The line (1-based) csv-parse stopped at, corrected for CRLF. */
  readonly line: number | undefined;

  /**
   * @param message What is wrong.
   * @param line Where.
   */
  constructor(message: string, line: number | undefined) {
    super(message);
    this.name = "CsvSyntaxError";
    this.line = line;
  }
}

/** Line breaks inside a record's fields; a CRLF counts once. */
function breaksIn(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) n += f.match(/\r\n|\r|\n/g)?.length ?? 0;
  return n;
}

/** CRLFs inside a record's fields, which csv-parse counts twice. */
function crlfsIn(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) n += f.match(/\r\n/g)?.length ?? 0;
  return n;
}

interface Context {
  lines: number;
}

/**
 * Parses CSV text. Empty lines are skipped, as are lines of spaces only;
 * rows may differ in length (the caller checks them against the header, to
 * name the line).
 *
 * @param text The whole file.
 * @param options The delimiter.
 * @returns The header, the rows and their lines. For empty text, the header
 * and rows are empty.
 * @throws {CsvSyntaxError} When the text is not valid CSV, such as a quoted
 * field that is never closed.
 */
export function parseCsv(
  text: string,
  options: ParseCsvOptions = {},
): CsvTable {
  let overcount = 0;
  let lastLine = 0;
  const records: { fields: string[]; line: number }[] = [];
  try {
    parse(text, {
      bom: true,
      delimiter: options.delimiter ?? ",",
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (fields: string[], context: Context) => {
        overcount += crlfsIn(fields);
        const end = context.lines - overcount;
        lastLine = end;
        const blank = fields.length === 1 && fields[0].trim() === "";
        if (!blank) {
          records.push({ fields, line: end - breaksIn(fields) });
        }
        return null;
      },
    });
  } catch (error) {
    // csv-parse throws only its CsvError, with a code and the line count.
    const e = error as { code?: string; lines?: number; message?: string };
    if (e.code === "CSV_QUOTE_NOT_CLOSED") {
      throw new CsvSyntaxError(
        `a quoted field that starts after line ${lastLine} is never closed: a " is missing`,
        lastLine + 1,
      );
    }
    const line = typeof e.lines === "number" ? e.lines - overcount : undefined;
    const message = String(e.message).replace(
      /\b(at|on) line \d+/,
      line === undefined ? "$&" : `$1 line ${line}`,
    );
    throw new CsvSyntaxError(message, line);
  }
  if (records.length === 0) {
    return { header: [], rows: [], headerLine: 1, lines: [] };
  }
  const [first, ...rest] = records;
  return {
    header: first.fields,
    rows: rest.map((r) => r.fields),
    headerLine: first.line,
    lines: rest.map((r) => r.line),
  };
}
