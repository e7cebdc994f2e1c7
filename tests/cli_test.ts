// The command-line helpers in scripts/_cli.ts: strict parsing in-process, and
// the permission behaviour of readJsonFile and writeFileAtomic in
// subprocesses with chosen --allow-* flags (ignored without --allow-run and
// --allow-write, so plain `deno test` passes).
import assert from "node:assert/strict";
import { type ProgramRun, runProgram } from "./_helpers.ts";
import { fit, matrix, mlp, sgd } from "../mod.ts";
import {
  CliError,
  formatFactor,
  formatNumber,
  formatRows,
  formatSigned,
  getLang,
  levenshtein,
  MAX_BATCH_SIZE,
  MAX_EPOCHS,
  MESSAGES,
  msg,
  nearestFlag,
  parseBatchSize,
  parseCount,
  parseEpochs,
  parseFlags,
  parseLang,
  parseNumber,
  setLang,
  tr,
} from "../scripts/_cli.ts";

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

const noSubprocess = !(granted({ name: "run" }) &&
  granted({ name: "write" }) && granted({ name: "read" }));

Deno.test("parseNumber accepts decimals and refuses everything else", () => {
  const good: [string, number][] = [
    ["0.0001", 0.0001],
    ["1e-4", 1e-4],
    ["+2.5", 2.5],
    ["-3", -3],
    [".5", 0.5],
    ["7.", 7],
    [" 1 ", 1],
  ];
  for (const [text, value] of good) {
    assert.equal(parseNumber(text, "--x"), value, text);
  }
  for (
    const text of [
      "",
      " ",
      "abc",
      "NaN",
      "Infinity",
      "-Infinity",
      "0x10",
      "1e",
      "1,5",
      "1e999",
      "--1",
      "1 2",
    ]
  ) {
    assert.throws(() => parseNumber(text, "--x"), CliError, text);
  }
  for (const text of ["0", "-0", "-1e-9"]) {
    assert.throws(
      () => parseNumber(text, "--x", { positive: true }),
      /--x must be greater than 0/,
      text,
    );
  }
});

Deno.test("parseCount accepts whole numbers from 1 and refuses the rest", () => {
  assert.equal(parseCount("1", "--n"), 1);
  assert.equal(parseCount("100", "--n"), 100);
  assert.equal(parseCount("+7", "--n"), 7);
  for (
    const text of [
      "0",
      "-1",
      "2.5",
      "1.0",
      "1e2",
      "",
      "ten",
      "NaN",
      "9007199254740993",
    ]
  ) {
    assert.throws(() => parseCount(text, "--n"), /--n must be a whole number/);
  }
});

Deno.test("parseCount: a range, and a message that says what is accepted", () => {
  assert.equal(parseCount("10000000", "--epochs", { max: 10000000 }), 1e7);
  assert.equal(parseCount("2", "--scales", { min: 2, max: 16 }), 2);
  assert.equal(parseCount(" 16 ", "--scales", { min: 2, max: 16 }), 16);
  const cases: [() => unknown, string][] = [
    [
      () => parseCount("1e9", "--hidden", { max: 4096 }),
      '--hidden must be a whole number written in digits, from 1 to 4096, got "1e9".',
    ],
    [
      () => parseCount("4097", "--hidden", { max: 4096 }),
      '--hidden must be a whole number written in digits, from 1 to 4096, got "4097".',
    ],
    [
      () => parseCount("1", "--scales", { min: 2, max: 16 }),
      '--scales must be a whole number written in digits, from 2 to 16, got "1".',
    ],
    [
      () =>
        parseCount("60001", "--train-size", {
          max: 60000,
          why: "the images there are",
        }),
      '--train-size must be a whole number written in digits, from 1 to 60000 (the images there are), got "60001".',
    ],
    [
      () => parseCount("1e2", "--steps"),
      '--steps must be a whole number written in digits, from 1 to 9007199254740991, got "1e2".',
    ],
    [
      () => parseEpochs("1000000000000"),
      '--epochs must be a whole number written in digits, from 1 to 10000000, got "1000000000000".',
    ],
    [
      () => parseEpochs("1e2"),
      '--epochs must be a whole number written in digits, from 1 to 10000000, got "1e2".',
    ],
    [
      () => parseBatchSize("67108865"),
      '--batch-size must be a whole number written in digits, from 1 to 67108864, got "67108865".',
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof CliError, String(e));
      assert.equal(e.message, message);
      assert.equal(e.exitCode, 2);
      return true;
    });
  }
  assert.equal(parseEpochs("10000000"), MAX_EPOCHS);
  assert.equal(parseBatchSize("67108864"), MAX_BATCH_SIZE);
});

Deno.test("MAX_EPOCHS and MAX_BATCH_SIZE are the limits fit itself enforces", () => {
  const { model, params } = mlp([2, 2], 0);
  const data = { x: matrix([[0, 1], [1, 0]]), d: matrix([[1, 0], [0, 1]]) };
  const refused = (options: Record<string, number>) => {
    try {
      fit(model, params, data, { ...options, optimizer: sgd(0.1) });
    } catch (error) {
      return (error as Error).message;
    }
    return "";
  };
  // One more than the limit is refused, naming the limit…
  assert.match(
    refused({ epochs: MAX_EPOCHS + 1 }),
    new RegExp(`options\\.epochs .* from 1 to ${MAX_EPOCHS}, got`),
  );
  assert.match(
    refused({ epochs: 1, batchSize: MAX_BATCH_SIZE + 1 }),
    new RegExp(`options\\.batchSize .* from 1 to ${MAX_BATCH_SIZE}, got`),
  );
  // …and the limit itself is not: MAX_EPOCHS passes its check (the batch
  // size, checked next, is what stops it), MAX_BATCH_SIZE trains.
  assert.match(
    refused({ epochs: MAX_EPOCHS, batchSize: MAX_BATCH_SIZE + 1 }),
    /options\.batchSize/,
  );
  assert.equal(refused({ epochs: 1, batchSize: MAX_BATCH_SIZE }), "");
});

Deno.test("parseFlags refuses unknown flags, positionals and missing values", () => {
  const spec = {
    steps: { type: "string" },
    json: { type: "boolean" },
  } as const;
  assert.deepEqual({ ...parseFlags(["--steps", "5", "--json"], spec) }, {
    steps: "5",
    json: true,
  });
  assert.deepEqual({ ...parseFlags(["--steps=-5"], spec) }, { steps: "-5" });
  const cases: [string[], RegExp][] = [
    [["--nope"], /Unknown flag --nope/],
    [["extra"], /Unexpected argument "extra"/],
    [["--steps"], /--steps needs a value/],
    [["--steps", "-5"], /--steps is followed by "-5"/],
    [["--json=1"], /--json takes no value/],
  ];
  for (const [args, pattern] of cases) {
    assert.throws(
      () => parseFlags(args, spec),
      (e: unknown) =>
        e instanceof CliError && e.exitCode === 2 && pattern.test(e.message),
      args.join(" "),
    );
  }
});

const cliUrl = new URL("../scripts/_cli.ts", import.meta.url).href;

/** Runs a program on stdin with `deno run --no-prompt [flags] -` in `cwd`. */
function runStdin(
  program: string,
  flags: string[],
  cwd: string,
): Promise<ProgramRun> {
  return runProgram(
    program,
    ["--quiet", "--no-prompt", "--no-config", ...flags],
    cwd,
  );
}

function assertPlainFailure(
  r: { code: number; stderr: string },
  pattern: RegExp,
): void {
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trimEnd().split("\n");
  assert.ok(lines.length <= 2, r.stderr);
  assert.ok(!r.stderr.includes("    at "), r.stderr);
  assert.match(r.stderr, pattern);
}

Deno.test({
  name:
    "writeFileAtomic writes with the permission it has, names the flag otherwise",
  ignore: noSubprocess,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "cli_test_" });
    try {
      const program = (text: string) =>
        `import { runMain, writeFileAtomic } from ${JSON.stringify(cliUrl)};
         runMain(() => writeFileAtomic("out.svg", ${
          JSON.stringify(text)
        }, { flag: "--plot" }));`;
      const denied = await runStdin(program("a"), [], dir);
      assertPlainFailure(denied, /--allow-write=out\.svg/);
      assert.match(denied.stderr, /--plot/);

      // Only the file: written directly.
      const file = await runStdin(program("<svg>1</svg>"), [
        "--allow-write=out.svg",
      ], dir);
      assert.equal(file.stderr, "");
      assert.equal(file.code, 0);
      assert.equal(await Deno.readTextFile(`${dir}/out.svg`), "<svg>1</svg>");

      // The directory: temp file and rename, replacing the old file.
      const whole = await runStdin(program("<svg>2</svg>"), [
        "--allow-write=.",
        "--allow-read=.",
      ], dir);
      assert.equal(whole.stderr, "");
      assert.equal(whole.code, 0);
      assert.equal(await Deno.readTextFile(`${dir}/out.svg`), "<svg>2</svg>");
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.deepEqual(names, ["out.svg"], "no temporary file is left behind");

      // A chart, an Svg, is written as its markup, with no String(…).
      const svgUrl = new URL("../lib/viz/svg.ts", import.meta.url).href;
      const chart = await runStdin(
        `import { runMain, writeFileAtomic } from ${JSON.stringify(cliUrl)};
         import { Svg } from ${JSON.stringify(svgUrl)};
         runMain(() => writeFileAtomic("out.svg", new Svg("<svg>3</svg>")));`,
        ["--allow-write=out.svg"],
        dir,
      );
      assert.equal(chart.stderr, "");
      assert.equal(await Deno.readTextFile(`${dir}/out.svg`), "<svg>3</svg>");

      // A directory that does not exist.
      const missing = await runStdin(
        `import { runMain, writeFileAtomic } from ${JSON.stringify(cliUrl)};
         runMain(() => writeFileAtomic("no/such/out.svg", "x"));`,
        ["--allow-write=.", "--allow-read=."],
        dir,
      );
      assertPlainFailure(missing, /does not exist/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "assertWritable finds a missing directory, a file in the way and a directory, before anything is written",
  ignore: noSubprocess,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "cli_test_" });
    try {
      await Deno.writeTextFile(`${dir}/file`, "not a directory");
      await Deno.mkdir(`${dir}/folder`);
      await Deno.writeTextFile(`${dir}/old.svg`, "old");
      const check = (path: string, flags: string[], lang = "en") =>
        runStdin(
          `import { assertWritable, runMain, setLang } from ${
            JSON.stringify(cliUrl)
          };
           setLang(${JSON.stringify(lang)});
           runMain(() => assertWritable(${JSON.stringify(path)}, "--plot"));`,
          flags,
          dir,
        );
      const refusals: [string, string][] = [
        [
          "sub/x.svg",
          "error: Cannot write sub/x.svg (given to --plot): the directory sub does not exist.\n",
        ],
        [
          "file/x.svg",
          "error: Cannot write file/x.svg (given to --plot): file is not a directory.\n",
        ],
        [
          "folder",
          "error: Cannot write folder (given to --plot): it is a directory.\n",
        ],
      ];
      // With the write permission for the file alone (as the scripts' help
      // suggests), and with read and write permission for the directory.
      for (const only of [true, false]) {
        const flags = (path: string) =>
          only
            ? [`--allow-write=${path}`]
            : ["--allow-read=.", "--allow-write=."];
        for (const [path, stderr] of refusals) {
          const r = await check(path, flags(path));
          assert.equal(r.stderr, stderr, `${path}, only the file: ${only}`);
          assert.equal(r.code, 1);
          assert.equal(r.stdout, "");
        }
        // A file that is there is left as it was; a new one is not created.
        for (const path of ["old.svg", "new.svg", "folder/new.svg"]) {
          const r = await check(path, flags(path));
          assert.equal(r.stderr, "", `${path}, only the file: ${only}`);
          assert.equal(r.code, 0);
        }
        assert.equal(await Deno.readTextFile(`${dir}/old.svg`), "old");
        assert.deepEqual(
          [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
          ["file", "folder", "old.svg"],
        );
        assert.deepEqual([...Deno.readDirSync(`${dir}/folder`)], []);
      }
      // Without the permission, that is said first; in Japanese too.
      const denied = await check("sub/x.svg", []);
      assert.equal(
        denied.stderr,
        "error: No permission to write sub/x.svg (given to --plot).\nRun again with --allow-write=sub/x.svg so the script may write it.\n",
      );
      const ja = await check("sub/x.svg", ["--allow-write=sub/x.svg"], "ja");
      assert.equal(
        ja.stderr,
        "エラー: sub/x.svg(--plot で指定)に書き込めません: ディレクトリ sub がありません。\n",
      );
      assert.equal(ja.code, 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "readJsonFile names --allow-read=FILE and reports bad JSON plainly",
  ignore: noSubprocess,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "cli_test_" });
    try {
      await Deno.writeTextFile(`${dir}/good.json`, '{"a": [1, 2]}');
      await Deno.writeTextFile(`${dir}/bad.json`, '{"a": ');
      const program = (name: string) =>
        `import { readJsonFile, runMain } from ${JSON.stringify(cliUrl)};
         runMain(() => console.log(JSON.stringify(readJsonFile(${
          JSON.stringify(name)
        }, "--config"))));`;
      assertPlainFailure(
        await runStdin(program("good.json"), [], dir),
        /--allow-read=good\.json/,
      );
      const good = await runStdin(program("good.json"), [
        "--allow-read=good.json",
      ], dir);
      assert.equal(good.code, 0);
      assert.equal(good.stdout, '{"a":[1,2]}\n');
      assertPlainFailure(
        await runStdin(program("bad.json"), ["--allow-read=bad.json"], dir),
        /bad\.json is not valid JSON/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

// ---------------------------------------------------------------------------
// Misspelt flags, -h, the Japanese messages and the number formats.

Deno.test("levenshtein counts insertions, deletions and substitutions", () => {
  const cases: [string, string, number][] = [
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["lr", "lr", 0],
    ["kitten", "sitting", 3],
    ["steps", "stpes", 2],
    ["learning_rate", "learning-rate", 1],
    ["lnag", "lang", 2],
    ["jsno", "json", 2],
  ];
  for (const [a, b, distance] of cases) {
    assert.equal(levenshtein(a, b), distance, `${a} / ${b}`);
    assert.equal(levenshtein(b, a), distance, `${b} / ${a}`);
  }
});

Deno.test("nearestFlag suggests a known flag within distance 2", () => {
  const known = ["learning-rate", "lr", "steps", "log-every", "json", "lang"];
  assert.equal(nearestFlag("--stpes", known), "--steps");
  assert.equal(nearestFlag("--step", known), "--steps");
  assert.equal(nearestFlag("--Steps", known), "--steps");
  assert.equal(nearestFlag("--learning_rate", known), "--learning-rate");
  assert.equal(nearestFlag("--learningrate", known), "--learning-rate");
  assert.equal(nearestFlag("--log_every", known), "--log-every");
  assert.equal(nearestFlag("--jsno", known), "--json");
  assert.equal(nearestFlag("--lnag", known), "--lang");
  // Distance 1 from both lr and lang? No: "lg" is 1 from "lr", 2 from "lang".
  assert.equal(nearestFlag("--lg", known), "--lr");
  // Three edits away, or nothing in common, or not a long flag: no guess.
  assert.equal(nearestFlag("--foo", known), undefined);
  assert.equal(nearestFlag("--stepsxyz", known), undefined);
  assert.equal(nearestFlag("--x", known), undefined);
  assert.equal(nearestFlag("-s", known), undefined);
  // A tie goes to the flag listed first.
  assert.equal(nearestFlag("--ab", ["ax", "ay"]), "--ax");
});

/** Runs `body` with the messages in `lang`, then back in English. */
function inLang(lang: "en" | "ja", body: () => void): void {
  setLang(lang);
  try {
    body();
  } finally {
    setLang("en");
  }
}

/** Asserts `fn` throws a CliError with exactly this message (and hint). */
function assertCliError(
  fn: () => unknown,
  message: string,
  hint?: string,
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CliError, String(e));
    assert.equal(e.message, message);
    if (hint !== undefined) assert.equal(e.hint, hint);
    return true;
  });
}

Deno.test("parseFlags: did you mean, -h for --help, and English kept as it was", () => {
  const spec = {
    steps: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean" },
  } as const;
  assertCliError(
    () => parseFlags(["--stpes", "5"], spec),
    "Unknown flag --stpes: did you mean --steps?",
    "Run with --help to see the flags.",
  );
  assertCliError(
    () => parseFlags(["--nope"], spec),
    "Unknown flag --nope.",
    "Run with --help to see the flags.",
  );
  assert.deepEqual({ ...parseFlags(["-h"], spec) }, { help: true });
  assert.deepEqual({ ...parseFlags(["--help"], spec) }, { help: true });
  // No help flag, no -h; and a script that gives -h to another flag keeps it.
  assertCliError(
    () => parseFlags(["-h"], { steps: { type: "string" } }),
    "Unknown flag -h.",
  );
  const hidden = parseFlags(["-h"], {
    hidden: { type: "boolean", short: "h" },
    help: { type: "boolean" },
  });
  assert.deepEqual({ ...hidden }, { hidden: true });
});

Deno.test("parseFlags speaks Japanese when the args ask for --lang ja", () => {
  const spec = {
    steps: { type: "string" },
    json: { type: "boolean" },
    lang: { type: "string" },
    help: { type: "boolean" },
  } as const;
  try {
    for (
      const args of [["--lang", "ja", "--stpes", "5"], [
        "--stpes=5",
        "--lang=ja",
      ]]
    ) {
      assertCliError(
        () => parseFlags(args, spec),
        "--stpes というフラグはありません。--steps のことですか?",
        "--help を付けて実行するとフラグの一覧が出ます。",
      );
      assert.equal(getLang(), "ja");
    }
    assertCliError(
      () => parseFlags(["--lang", "ja", "extra"], spec),
      '余分な引数 "extra" があります。入力はすべてフラグで渡します。',
    );
    assertCliError(
      () => parseFlags(["--lang", "ja", "--json=1"], spec),
      "フラグ --json は値を取りません。",
    );
    assertCliError(
      () => parseFlags(["--lang", "ja", "--steps"], spec),
      "フラグ --steps には値が要ります。",
    );
    assertCliError(
      () => parseFlags(["--lang", "ja", "--steps", "-5"], spec),
      'フラグ --steps の後の "-5" はフラグに見えるので、値として読めません。',
      "値のつもりなら --steps=-5 と書いてください。",
    );
    // The last --lang wins, as in parsing; an unknown language is English.
    assertCliError(
      () => parseFlags(["--lang", "ja", "--lang", "fr", "--nope"], spec),
      "Unknown flag --nope.",
    );
    assert.equal(getLang(), "en");
    assertCliError(() => parseLang("fr"), '--lang must be en or ja, got "fr".');
    assert.equal(parseLang("ja"), "ja");
    assert.equal(getLang(), "ja");
    assert.equal(parseLang(undefined), "en");
    assert.equal(getLang(), "en");
  } finally {
    setLang("en");
  }
});

Deno.test("parseNumber and parseCount in Japanese", () => {
  inLang("ja", () => {
    assertCliError(
      () => parseNumber("abc", "--lr"),
      '--lr には数を指定してください(指定された値: "abc")。',
    );
    assertCliError(
      () => parseNumber("0", "--lr", { positive: true }),
      "--lr は 0 より大きい数にしてください(指定された値: 0)。",
    );
    assertCliError(
      () => parseCount("2.5", "--steps"),
      '--steps は 1 から 9007199254740991 までの整数を、数字だけで指定してください(指定された値: "2.5")。',
    );
    assertCliError(
      () =>
        parseCount("70000", "--train-size", {
          max: 60000,
          why: msg("imagesThereAre"),
        }),
      '--train-size は 1 から 60000(画像の数)までの整数を、数字だけで指定してください(指定された値: "70000")。',
    );
  });
  // And back in English, word for word as before.
  assertCliError(
    () => parseNumber("abc", "--lr"),
    '--lr must be a number, got "abc".',
  );
});

Deno.test("every message has an English and a Japanese text", () => {
  const keys = Object.keys(MESSAGES) as (keyof typeof MESSAGES)[];
  assert.ok(keys.length >= 20);
  for (const key of keys) {
    const words = MESSAGES[key] as Record<
      "en" | "ja",
      (...args: string[]) => string
    >;
    const en = words.en("A", "B", "C");
    const ja = words.ja("A", "B", "C");
    assert.ok(en.length > 0 && ja.length > 0, key);
    assert.notEqual(en, ja, key);
    assert.match(ja, /[\u3040-\u30ff\u4e00-\u9fff]/, `${key} is not Japanese`);
    assert.doesNotMatch(en, /[\u3040-\u30ff\u4e00-\u9fff]/, key);
  }
  assert.equal(
    inLangText("ja", () => msg("needsValue", "--steps")),
    "フラグ --steps には値が要ります。",
  );
  assert.equal(
    inLangText("en", () => msg("needsValue", "--steps")),
    "The flag --steps needs a value.",
  );
  assert.equal(inLangText("ja", () => tr("loss", "誤差")), "誤差");
  assert.equal(inLangText("en", () => tr("loss", "誤差")), "loss");
});

function inLangText(lang: "en" | "ja", body: () => string): string {
  let text = "";
  inLang(lang, () => {
    text = body();
  });
  return text;
}

Deno.test("numbers for reading: 10 significant digits, minus signs, rows", () => {
  assert.equal(formatNumber(0.1 + 0.2), "0.3");
  assert.equal(formatNumber(1 - 0.01 * 95), "0.05");
  assert.equal(formatNumber(-48), "-48");
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(1 / 3), "0.3333333333");
  assert.equal(formatNumber(8.409355912453704e+234), "8.409355912e+234");
  assert.equal(formatSigned(-4.8), "−4.8");
  assert.equal(formatSigned(9.5), "9.5");
  assert.equal(formatFactor(-4.8), "(−4.8)");
  assert.equal(formatFactor(5), "5");
  assert.equal(
    formatRows([[0, 0.3, -0.8], [1, -1.2, 0.5]]),
    "[[0, 0.3, -0.8], [1, -1.2, 0.5]]",
  );
  assert.equal(formatRows([[1.2], [3.4]]), "[[1.2], [3.4]]");
});
