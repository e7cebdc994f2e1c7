// Tables of your own data: the encoders against numbers computed by hand,
// the train/test split keeping the test rows' statistics out, CSV text read
// by scripts/_csv.ts (quoted commas and line breaks, CRLF, line numbers),
// and every refusal naming its line and column.
import assert from "node:assert/strict";
import {
  applyEncoders,
  fromTable,
  splitTable,
  type TableEncoders,
  toArray,
} from "../mod.ts";
import { CsvSyntaxError, parseCsv } from "../scripts/_csv.ts";
import { assertRefuses, close } from "./_helpers.ts";

const FROM = "fromTable";
const APPLY = "applyEncoders";
const SPLIT = "splitTable";

// ------------------------------------------------------------ the encoders

Deno.test("fromTable standardizes a numeric column: mean 5 and std √5 for 2, 4, 6, 8", () => {
  const header = ["h", "c", "t"];
  const rows = [
    ["2", "b", "yes"],
    ["4", "a", "no"],
    ["6", "b", "yes"],
    ["8", "c", "no"],
  ];
  const { data, encoders } = fromTable(header, rows, { target: "t" });
  // Deviations −3, −1, 1, 3: variance (9 + 1 + 1 + 9) / 4 = 5.
  const s = Math.sqrt(5);
  assert.deepEqual(JSON.parse(JSON.stringify(encoders)), {
    task: "classification",
    target: { kind: "categorical", column: "t", categories: ["no", "yes"] },
    columns: [
      { kind: "numeric", column: "h", mean: 5, std: s },
      { kind: "categorical", column: "c", categories: ["a", "b", "c"] },
    ],
    features: ["h", "c=a", "c=b", "c=c"],
  });
  assert.deepEqual(toArray(data.x), [
    [-3 / s, -1 / s, 1 / s, 3 / s],
    [0, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 0, 0, 1],
  ]);
  assert.deepEqual(toArray(data.d), [[0, 1, 0, 1], [1, 0, 1, 0]]);
  assert.deepEqual(data.targets, [1, 0, 1, 0]);
  assert.deepEqual(data.lines, [2, 3, 4, 5]);
  // The standardized column has mean 0 and standard deviation 1.
  const z = toArray(data.x)[0];
  close(z.reduce((a, b) => a + b, 0), 0, { atol: 1e-15 });
  close(z.reduce((a, b) => a + b * b, 0) / 4, 1);
});

Deno.test("fromTable for regression: the target standardized, its values kept in their units", () => {
  const header = ["x", "price"];
  const rows = [["1", "10"], ["2", "20"], ["3", "60"]];
  const { data, encoders } = fromTable(header, rows, {
    target: "price",
    task: "regression",
  });
  // Mean 30; deviations −20, −10, 30: variance (400 + 100 + 900) / 3.
  const std = Math.sqrt(1400 / 3);
  assert.deepEqual(encoders.target, {
    kind: "numeric",
    column: "price",
    mean: 30,
    std,
  });
  assert.deepEqual(toArray(data.d), [[-20 / std, -10 / std, 30 / std]]);
  assert.deepEqual(data.targets, [10, 20, 60]);
  assert.deepEqual(data.d.shape, [1, 3]);
});

Deno.test("fromTable: a constant column is only shifted; spaces around fields are dropped", () => {
  const { data, encoders } = fromTable(
    [" k ", "v", "t"],
    [[" 7", "1", "a "], ["7 ", "3", " b"]],
    { target: "t" },
  );
  assert.deepEqual(encoders.columns[0], {
    kind: "numeric",
    column: "k",
    mean: 7,
    std: 1,
  });
  assert.deepEqual(toArray(data.x)[0], [0, 0]);
  assert.deepEqual(
    encoders.target.kind === "categorical" && encoders.target.categories,
    ["a", "b"],
  );
});

Deno.test("categories sort by value when all are numbers; options.categorical one-hot encodes numbers", () => {
  const header = ["code", "n", "t"];
  const rows = [["10", "1", "9"], ["9", "2", "10"], ["2", "3", "9"]];
  const { data, encoders } = fromTable(header, rows, {
    target: "t",
    categorical: ["code"],
  });
  assert.deepEqual(encoders.features, ["code=2", "code=9", "code=10", "n"]);
  assert.deepEqual(toArray(data.x).slice(0, 3), [
    [0, 0, 1],
    [0, 1, 0],
    [1, 0, 0],
  ]);
  // Classes "9" and "10": 9 first.
  assert.deepEqual(data.targets, [0, 1, 0]);
});

Deno.test("options.ignore leaves a column out, unread (it may be empty)", () => {
  const { encoders } = fromTable(
    ["id", "x", "t"],
    [["", "1", "a"], ["b7", "2", "b"]],
    { target: "t", ignore: ["id"] },
  );
  assert.deepEqual(encoders.features, ["x"]);
});

Deno.test("applyEncoders uses the saved statistics; an unseen category gets all zeros", () => {
  const header = ["h", "c", "t"];
  const { encoders } = fromTable(
    header,
    [["2", "a", "no"], ["4", "b", "yes"]],
    { target: "t" },
  );
  // Mean 3, std 1. The encoders survive JSON, and columns are found by name.
  const saved = JSON.parse(JSON.stringify(encoders)) as TableEncoders;
  const data = applyEncoders(
    saved,
    ["extra", "t", "c", "h"],
    [["?", "yes", "z", "6"], ["", "no", "b", "1"]],
    { lines: [10, 12] },
  );
  assert.deepEqual(toArray(data.x), [[3, -2], [0, 0], [0, 1]]);
  assert.deepEqual(data.targets, [1, 0]);
  assert.deepEqual(data.lines, [10, 12]);
});

Deno.test("applyEncoders refuses, naming the line and the column", () => {
  const { encoders } = fromTable(
    ["h", "c", "t"],
    [["2", "a", "no"], ["4", "b", "yes"]],
    { target: "t" },
  );
  assertRefuses(
    () => applyEncoders(encoders, ["h", "c", "t"], [["x", "a", "no"]]),
    RangeError,
    APPLY,
    /^Not a number in .*: line 2, column "h" \(column 1\) holds "x"/,
  );
  assertRefuses(
    () =>
      applyEncoders(encoders, ["h", "c", "t"], [["1", "a", "maybe"]], {
        lines: [7],
      }),
    RangeError,
    APPLY,
    /^Unknown class in .*: line 7, column "t" \(column 3\) holds "maybe", a class the encoders were not fitted on \(they know "no", "yes"\)/,
  );
  assertRefuses(
    () => applyEncoders(encoders, ["h", "t"], [["1", "no"]]),
    RangeError,
    APPLY,
    /^Missing column in .*: the header \(line 1\) has no column "c", which the encoders need/,
  );
  assertRefuses(
    () => applyEncoders(encoders, ["h", "c", "t"], [["1", "", "no"]]),
    RangeError,
    APPLY,
    /^Missing value in .*: line 2, column "c" \(column 2\) is empty/,
  );
  const broken = JSON.parse(JSON.stringify(encoders));
  broken.columns[0].std = 0;
  assertRefuses(
    () => applyEncoders(broken, ["h", "c", "t"], [["1", "a", "no"]]),
    RangeError,
    APPLY,
    /Expected encoders\.columns\[0\]\.std of .* to be a number above 0, got 0/,
  );
  assertRefuses(
    () => applyEncoders({ ...encoders, features: [] }, ["h"], [["1"]]),
    TypeError,
    APPLY,
    /Expected encoders\.features/,
  );
  assertRefuses(
    () => applyEncoders(null as unknown as TableEncoders, ["h"], [["1"]]),
    TypeError,
    APPLY,
    /Expected encoders of .* got null/,
  );
});

// ------------------------------------------------------------ the split

/** A 3-class table of 30 rows: x = row number, class by x mod 3. */
function classTable(): { header: string[]; rows: string[][] } {
  const rows = Array.from({ length: 30 }, (_, i) => [
    String(i),
    i % 2 === 0 ? "even" : "odd",
    ["a", "b", "c"][i % 3],
  ]);
  return { header: ["x", "parity", "label"], rows };
}

Deno.test("splitTable: stratified, seeded, in the file's order, with the training rows' statistics", () => {
  const { header, rows } = classTable();
  const split = splitTable(header, rows, 3, { target: "label" });
  const { train, test, encoders } = split;
  assert.equal(train.x.cols, 24);
  assert.equal(test.x.cols, 6);
  // Two of each class held out (a fifth of 10).
  for (const k of [0, 1, 2]) {
    assert.equal(test.targets.filter((t) => t === k).length, 2);
  }
  // Every row exactly once, each set in the file's order.
  const all = [...train.lines, ...test.lines].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 30 }, (_, i) => i + 2));
  assert.deepEqual([...test.lines], [...test.lines].sort((a, b) => a - b));
  // The mean and std are the training rows' own.
  const values = train.lines.map((line) => Number(rows[line - 2][0]));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(
    values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length,
  );
  const x = encoders.columns[0];
  assert.equal(x.kind, "numeric");
  if (x.kind === "numeric") {
    close(x.mean, mean);
    close(x.std, std);
    // The test rows are encoded with them.
    const raw = test.lines.map((line) => Number(rows[line - 2][0]));
    close(toArray(test.x).slice(0, 1), [raw.map((v) => (v - x.mean) / x.std)]);
  }
  // The same seed gives the same split; another seed another.
  assert.deepEqual(splitTable(header, rows, 3, { target: "label" }), split);
  assert.notDeepEqual(
    splitTable(header, rows, 4, { target: "label" }).test.lines,
    test.lines,
  );
  const half = splitTable(header, rows, 3, {
    target: "label",
    testFraction: 0.5,
  });
  assert.equal(half.test.x.cols, 15);
});

Deno.test("splitTable for regression splits at random, a fifth held out", () => {
  const rows = Array.from({ length: 10 }, (_, i) => [String(i), String(2 * i)]);
  const { train, test, encoders } = splitTable(["x", "y"], rows, 0, {
    target: "y",
    task: "regression",
  });
  assert.equal(train.x.cols, 8);
  assert.equal(test.x.cols, 2);
  assert.equal(encoders.task, "regression");
  // d is the standardized target; targets keep the units.
  const t = encoders.target;
  assert.equal(t.kind, "numeric");
  if (t.kind === "numeric") {
    close(toArray(test.d), [test.targets.map((v) => (v - t.mean) / t.std)]);
  }
});

Deno.test("splitTable checks every row first, whichever set it would fall in", () => {
  const { header, rows } = classTable();
  const bad = rows.map((r) => [...r]);
  bad[29][0] = "";
  for (const seed of [0, 1, 2]) {
    assertRefuses(
      () => splitTable(header, bad, seed, { target: "label" }),
      RangeError,
      SPLIT,
      /line 31, column "x" \(column 1\) is empty/,
    );
  }
  assertRefuses(
    () => splitTable(header, rows.slice(0, 2), 0, { target: "label" }),
    RangeError,
    SPLIT,
    /^Too few rows in .*: 2 rows \(lines 2 to 3\) leave no row to test on, as each value of the target column "label" \(column 3\) is on one row only .*use the task "regression"$/,
  );
  assertRefuses(
    () =>
      splitTable(["x", "y"], [["1", "2"]], 0, {
        target: "y",
        task: "regression",
      }),
    RangeError,
    SPLIT,
    /^Too few rows in .*: 1 row \(lines 2 to 2\) leaves no row to test on$/,
  );
  assertRefuses(
    () => splitTable(header, rows, 1.5, { target: "label" }),
    RangeError,
    SPLIT,
    /Expected seed of .* to be a safe integer, got 1.5/,
  );
  assertRefuses(
    () => splitTable(header, rows, 0, { target: "label", testFraction: 1 }),
    RangeError,
    SPLIT,
    /Expected options.testFraction of .* above 0 and below 1, got 1/,
  );
});

// ------------------------------------------------------------ refusals

Deno.test("each bad table's message names the line and the column", () => {
  const header = ["a", "b", "label"];
  const cases: [string[], string[][], object, RegExp][] = [
    [
      header,
      [["1", "2", "x"], ["3", "", "y"]],
      {},
      /^Missing value in .*: line 3, column "b" \(column 2\) is empty; fill it in or remove the row$/,
    ],
    [
      header,
      [["1", "2", "x"], ["3", "4"]],
      {},
      /^Ragged row in .*: line 3 has 2 fields but the header \(line 1\) has 3: column "label" \(column 3\) is missing$/,
    ],
    [
      header,
      [["1"]],
      {},
      /^Ragged row in .*: line 2 has 1 field but the header \(line 1\) has 3: columns "b", "label" \(columns 2 to 3\) are missing$/,
    ],
    [
      header,
      [["1", "2", "x", "extra"]],
      {},
      /^Ragged row in .*: line 2 has 4 fields but the header \(line 1\) has 3: column 4 has no name in the header$/,
    ],
    [
      header,
      [["1", "2", "x"], ["3", "4", "x"]],
      {},
      /^Single class in .*: the target column "label" \(column 3\) of the header \(line 1\) holds only "x", on all 2 rows \(lines 2 to 3\); a classifier needs at least two classes$/,
    ],
    [
      [],
      [],
      {},
      /^Empty table in .*: there is no header row of column names on line 1 \(the file is empty\)$/,
    ],
    [
      header,
      [],
      {},
      /^Empty table in .*: the header \(line 1\) has no data rows after it$/,
    ],
    [
      ["a", "a", "label"],
      [["1", "2", "x"]],
      {},
      /^Duplicate column in .*: columns 1 and 2 of the header \(line 1\) are both named "a"/,
    ],
    [
      ["a", " ", "label"],
      [["1", "2", "x"]],
      {},
      /^Unnamed column in .*: column 2 of the header \(line 1\) is empty/,
    ],
    [
      header,
      [["1", "2", "x"], ["?", "4", "y"], ["5", "6", "x"]],
      {},
      /^Mixed column in .*: column "a" \(column 1\) holds numbers, but line 3 holds "\?"; .*options\.categorical/,
    ],
    [
      header,
      [["1", "2", "x"], ["3", "4", "y"]],
      { task: "regression" },
      /^Not a number in .*: line 2, column "label" \(column 3\) holds "x", but the target of a regression must be a number/,
    ],
    [
      header,
      [["1", "2", "x"]],
      { target: "Labl" },
      /^Unknown column in .*: the target column "Labl" is not in the header \(line 1\), which has "a", "b", "label"; did you mean "label"\?$/,
    ],
    [
      header,
      [["1", "2", "x"]],
      { ignore: ["c"] },
      /^Unknown column in .*: the column to ignore "c" is not in the header/,
    ],
    [
      header,
      [["1", "2", "x"]],
      { ignore: ["a", "b"] },
      /^No features in .*: besides the target column "label" \(column 3\), the header \(line 1\) has no column to learn from that is not ignored$/,
    ],
  ];
  for (const [h, rows, options, pattern] of cases) {
    assertRefuses(
      () => fromTable(h, rows, { target: "label", ...options }),
      RangeError,
      FROM,
      pattern,
    );
  }
});

Deno.test("line numbers come from options.lines and options.headerLine", () => {
  assertRefuses(
    () =>
      fromTable(["a", "t"], [["1", "x"], ["", "y"]], {
        target: "t",
        lines: [5, 9],
      }),
    RangeError,
    FROM,
    /line 9, column "a" \(column 1\) is empty/,
  );
  assertRefuses(
    () => fromTable(["a", "t"], [], { target: "t", headerLine: 3 }),
    RangeError,
    FROM,
    /the header \(line 3\) has no data rows/,
  );
  // Without lines, rows follow the header line.
  assertRefuses(
    () =>
      fromTable(["a", "t"], [["1", "x"], ["2"]], {
        target: "t",
        headerLine: 4,
      }),
    RangeError,
    FROM,
    /line 6 has 1 field but the header \(line 4\) has 2/,
  );
});

Deno.test("wrong types are refused with a TypeError naming the argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => fromTable("a,b" as unknown as string[], [], { target: "a" }),
      /Expected header of .* to be an array of column names, got the string "a,b"/,
    ],
    [
      () => fromTable(["a"], [[1]] as unknown as string[][], { target: "a" }),
      /Expected rows\[0\]\[0\] of .* to be a field \(a string\), got 1/,
    ],
    [
      () => fromTable(["a"], [["1"]], {} as { target: string }),
      /Expected options.target of .* to be the name of a column of the header, got undefined/,
    ],
    [
      () =>
        fromTable(["a"], [["1"]], { target: "a", task: "cluster" } as never),
      /Expected options.task of .* to be "classification" or "regression", got the string "cluster"/,
    ],
    [
      () => fromTable(["a"], [["1"]], { target: "a", tagret: "a" } as never),
      /Unknown option "tagret" in options of/,
    ],
    [
      () => fromTable(["a", "t"], [["1", "x"]], { target: "t", lines: [0] }),
      /Expected options.lines\[0\] of .* to be an integer from 1/,
    ],
  ];
  for (const [call, pattern] of cases) {
    assert.throws(call, (error: unknown) => {
      assert.ok(error instanceof TypeError || error instanceof RangeError);
      assert.match(
        (error as Error).message,
        /fromTable\(header, rows, options\)/,
      );
      assert.match((error as Error).message, pattern);
      return true;
    });
  }
});

// ------------------------------------------------------------ CSV text

Deno.test("parseCsv reads quoted commas, doubled quotes and line breaks, CRLF and a BOM", () => {
  const text = "\uFEFFname,note,n\r\n" +
    '"Smith, Jo","said ""hi""",1\r\n' +
    "\r\n" +
    'Lee,"two\r\nlines",2\r\n' +
    'Kim,"a\nb, c",3\r\n' +
    "Ng,plain,4";
  const csv = parseCsv(text);
  assert.deepEqual(csv.header, ["name", "note", "n"]);
  assert.deepEqual(csv.rows, [
    ["Smith, Jo", 'said "hi"', "1"],
    ["Lee", "two\r\nlines", "2"],
    ["Kim", "a\nb, c", "3"],
    ["Ng", "plain", "4"],
  ]);
  // Line 3 is blank; "two / lines" spans lines 4 and 5, "a / b, c" 6 and 7.
  assert.equal(csv.headerLine, 1);
  assert.deepEqual(csv.lines, [2, 4, 6, 8]);
});

Deno.test("parseCsv: LF and CR line ends, blank and space-only lines, another delimiter", () => {
  assert.deepEqual(parseCsv('a,b\n\n1,"x\ny"\n  \n3,4\n'), {
    header: ["a", "b"],
    rows: [["1", "x\ny"], ["3", "4"]],
    headerLine: 1,
    lines: [3, 6],
  });
  assert.deepEqual(parseCsv("a,b\r1,2\r3,4\r").lines, [2, 3]);
  assert.deepEqual(parseCsv("\n\na;b\n1;2\n", { delimiter: ";" }), {
    header: ["a", "b"],
    rows: [["1", "2"]],
    headerLine: 3,
    lines: [4],
  });
  assert.deepEqual(parseCsv(""), {
    header: [],
    rows: [],
    headerLine: 1,
    lines: [],
  });
});

Deno.test("parseCsv: an unclosed quote is a CsvSyntaxError with its line", () => {
  assert.throws(
    () => parseCsv('a,b\r\n1,"x\r\ny"\r\n2,"open\r\n3,4\r\n'),
    (error: unknown) => {
      assert.ok(error instanceof CsvSyntaxError);
      assert.equal(error.line, 4);
      assert.match(error.message, /starts after line 3 is never closed/);
      return true;
    },
  );
});

Deno.test("CSV to table: a bad field after multi-line CRLF fields is reported on its editor line", () => {
  const text = "city,notes,size,kind\r\n" +
    'Oslo,"line one\r\nline two\r\nline three",3,a\r\n' +
    'Rome,"x, y",4,b\r\n' +
    'Lima,"more\r\ntext",,a\r\n';
  const csv = parseCsv(text);
  assert.deepEqual(csv.lines, [2, 5, 6]);
  assertRefuses(
    () =>
      fromTable(csv.header, csv.rows, {
        target: "kind",
        lines: csv.lines,
        headerLine: csv.headerLine,
      }),
    RangeError,
    FROM,
    /line 6, column "size" \(column 3\) is empty/,
  );
});

Deno.test("more refusals: options naming columns, lines, limits and odd columns", () => {
  const header = ["a", "b", "label"];
  const rows = [["1", "2", "x"], ["3", "4", "y"]];
  const range: [object, RegExp][] = [
    [
      { ignore: ["label"] },
      /^Ignored target in .*: column "label" \(column 3\) is the target and cannot be ignored$/,
    ],
    [
      { categorical: ["label"] },
      /^Categorical target in .*: column "label" \(column 3\) is the target/,
    ],
    [
      { ignore: ["a"], categorical: ["a"] },
      /^Categorical ignored column in .*: column "a" \(column 1\) is ignored/,
    ],
    [
      { categorical: ["LABEL"] },
      /the categorical column "LABEL" is not in the header .*did you mean "label"\?$/,
    ],
    [
      { lines: [2] },
      /Expected options.lines of .* one line number per row \(2\), got 1/,
    ],
    [{ headerLine: 0 }, /Expected options.headerLine of .* an integer from 1/],
  ];
  for (const [options, pattern] of range) {
    assertRefuses(
      () => fromTable(header, rows, { target: "label", ...options }),
      RangeError,
      FROM,
      pattern,
    );
  }
  const types: [unknown, unknown, object, RegExp][] = [
    [
      header,
      "rows",
      {},
      /Expected rows of .* to be an array of rows of fields/,
    ],
    [header, ["1,2,x"], {}, /Expected rows\[0\] of .* an array of fields/],
    [
      ["a", 2],
      rows,
      {},
      /Expected header\[1\] of .* a column name \(a string\), got 2/,
    ],
    [
      header,
      rows,
      { lines: "2" },
      /Expected options.lines of .* an array of line numbers/,
    ],
    [
      header,
      rows,
      { ignore: "a" },
      /Expected options.ignore of .* an array of column names/,
    ],
  ];
  for (const [h, r, options, pattern] of types) {
    assertRefuses(
      () =>
        fromTable(h as string[], r as string[][], {
          target: "label",
          ...options,
        }),
      TypeError,
      FROM,
      pattern,
    );
  }
  assertRefuses(
    () => fromTable(header, rows, undefined as unknown as { target: string }),
    TypeError,
    FROM,
    /Expected options of .* such as \{ target: "species" \}, got undefined/,
  );
  // Text on most lines and a number on one: the number is the odd one.
  assertRefuses(
    () =>
      fromTable(["size", "t"], [["S", "x"], ["M", "y"], ["3", "x"]], {
        target: "t",
      }),
    RangeError,
    FROM,
    /^Mixed column in .*: column "size" \(column 1\) holds text, but line 4 holds the number "3"/,
  );
  assertRefuses(
    () => fromTable(["a", "t"], [["1", "x"]], { target: "t" }),
    RangeError,
    FROM,
    /holds only "x", on its one row \(lines 2 to 2\)/,
  );
  // Numbers too large to average.
  assertRefuses(
    () =>
      fromTable(["a", "t"], [["1.7e308", "x"], ["1.7e308", "y"]], {
        target: "t",
      }),
    RangeError,
    FROM,
    /^Too large a value in .*: an input would be -Infinity after standardizing \(feature "a", line 2\)/,
  );
  assertRefuses(
    () =>
      fromTable(["a", "t"], [["1", "1.7e308"], ["2", "1.7e308"]], {
        target: "t",
        task: "regression",
      }),
    RangeError,
    FROM,
    /^Too large a value in .*: the standardized target would be -Infinity on line 2/,
  );
});

Deno.test("more refusals: too many classes, too large a table", () => {
  const many = Array.from({ length: 10001 }, (_, i) => ["1", `c${i}`]);
  assertRefuses(
    () => fromTable(["a", "t"], many, { target: "t" }),
    RangeError,
    FROM,
    /^Too many classes in .*: the target column "t" \(column 2\) holds 10001 different values, more than 10000; if it is a quantity, use the task "regression"$/,
  );
  // 8193 categories for 8193 rows: more than 2^26 inputs.
  const wide = Array.from({ length: 8193 }, (_, i) => [`v${i}`, String(i % 2)]);
  assertRefuses(
    () => fromTable(["name", "t"], wide, { target: "t" }),
    RangeError,
    FROM,
    /^Too large a table in .*: the inputs x would be 8193x8193, more than 67108864 entries$/,
  );
});

Deno.test("more refusals: malformed encoders, named field by field", () => {
  const { encoders } = fromTable(
    ["h", "c", "t"],
    [["2", "a", "no"], ["4", "b", "yes"]],
    { target: "t" },
  );
  const good = JSON.parse(JSON.stringify(encoders));
  const cases: [(e: Record<string, unknown>) => void, RegExp][] = [
    [
      (e) => (e.task = "cluster"),
      /encoders.task of .* "classification" or "regression"/,
    ],
    [(e) => (e.target = 3), /Expected encoders.target of .* a column encoder/],
    [
      (e) => ((e.columns as Record<string, unknown>[])[0].kind = "date"),
      /encoders.columns\[0\].kind of .* "numeric" or "categorical"/,
    ],
    [
      (e) => ((e.columns as Record<string, unknown>[])[0].column = ""),
      /encoders.columns\[0\].column of .* a column name \(a non-empty string\)/,
    ],
    [
      (e) => ((e.columns as Record<string, unknown>[])[1].categories = []),
      /encoders.columns\[1\].categories of .* a non-empty array of strings/,
    ],
    [
      (
        e,
      ) => ((e.columns as Record<string, unknown>[])[1].categories = [
        "a",
        "a",
      ]),
      /encoders.columns\[1\].categories of .* each category once, got "a", "a"/,
    ],
    [
      (e) => (e.task = "regression"),
      /Expected encoders.target of .* to be numeric for the task "regression", got categorical/,
    ],
    [
      (e) => ((e.target as Record<string, unknown>).categories = ["yes"]),
      /encoders.target.categories of .* at least two classes, got 1/,
    ],
    [
      (e) => (e.columns = []),
      /encoders.columns of .* a non-empty array of column encoders/,
    ],
    [
      (e) => ((e.columns as Record<string, unknown>[])[1].column = "h"),
      /the columns of encoders of .* to be distinct, but encoders.columns\[1\] encodes "h" again/,
    ],
  ];
  for (const [spoil, pattern] of cases) {
    const bad = structuredClone(good);
    spoil(bad);
    assert.throws(
      () => applyEncoders(bad, ["h", "c", "t"], [["1", "a", "no"]]),
      (error: unknown) => {
        assert.ok(error instanceof TypeError || error instanceof RangeError);
        assert.match((error as Error).message, /applyEncoders\(/);
        assert.match((error as Error).message, pattern);
        return true;
      },
    );
  }
  // A regression's encoders refuse a target that is not a number.
  const { encoders: reg } = fromTable(["x", "y"], [["1", "2"], ["2", "4"]], {
    target: "y",
    task: "regression",
  });
  assertRefuses(
    () => applyEncoders(reg, ["x", "y"], [["1", "n/a"]]),
    RangeError,
    APPLY,
    /^Not a number in .*: line 2, column "y" \(column 2\) holds "n\/a", but the target of a regression must be a number$/,
  );
  assertRefuses(
    () =>
      splitTable(["x", "y"], [["1", "2"]], "0" as unknown as number, {
        target: "y",
      }),
    TypeError,
    SPLIT,
    /Expected seed of .* to be an integer, got the string "0"/,
  );
  assertRefuses(
    () => splitTable(["x", "y"], [["1", "2"]], 0, undefined as never),
    TypeError,
    SPLIT,
    /Expected options of .* got undefined/,
  );
});
