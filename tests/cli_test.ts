// The command-line helpers in scripts/_cli.ts: strict parsing in-process, and
// the permission behaviour of readJsonFile and writeFileAtomic in
// subprocesses with chosen --allow-* flags (ignored without --allow-run and
// --allow-write, so plain `deno test` passes).
import assert from "node:assert/strict";
import { type ProgramRun, runProgram } from "./_helpers.ts";
import {
  CliError,
  parseCount,
  parseFlags,
  parseNumber,
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
