// The Deno side of the Stryker test runner in deno_test_runner.mjs.
//
// Loads the test files named on the command line once, with Deno.test
// replaced by a collector, then answers one JSON request per stdin line:
//   {"run": {"tests": [ids] | null, "activeMutant": id | null,
//            "hitLimit": n | null, "coverage": bool, "bail": bool}}
// with one line on stdout starting with RESULT_MARK. Mutants are switched at
// run time through Stryker's namespace (globalThis.__stryker__), which every
// instrumented function reads on each call; a mutant that only acts while
// modules load is run by the plugin in a fresh process with
// __STRYKER_ACTIVE_MUTANT__ set instead.
//
//   deno run --no-check --allow-read --allow-env .ci/mutation/harness.ts tests/a_test.ts ...

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const RESULT_MARK = "\u0001stryker-result ";

type TestFn = (t: unknown) => unknown;
interface Collected {
  id: string;
  name: string;
  fileName: string;
  fn: TestFn;
  ignore: boolean;
}

const tests: Collected[] = [];
let currentFile = "";

function collect(a: unknown, b?: unknown, c?: unknown): void {
  let name: string;
  let fn: TestFn;
  let ignore = false;
  if (typeof a === "string") {
    if (typeof b === "function") {
      name = a;
      fn = b as TestFn;
    } else {
      name = a;
      ignore = Boolean((b as { ignore?: boolean })?.ignore);
      fn = c as TestFn;
    }
  } else if (typeof a === "function") {
    name = a.name;
    fn = a as TestFn;
  } else {
    const o = a as { name: string; fn?: TestFn; ignore?: boolean };
    name = o.name;
    fn = (o.fn ?? b) as TestFn;
    ignore = Boolean(o.ignore);
  }
  tests.push({
    id: `${currentFile} > ${name}`,
    name,
    fileName: currentFile,
    fn,
    ignore,
  });
}
// deno-lint-ignore no-explicit-any
(Deno as any).test = collect;

// A minimal TestContext: enough for tests that run steps in order.
function context(name: string): unknown {
  return {
    name,
    origin: "",
    async step(
      a: string | { name: string; fn: TestFn },
      b?: TestFn,
    ): Promise<boolean> {
      const stepName = typeof a === "string" ? a : a.name;
      const fn = typeof a === "string" ? b! : a.fn;
      await fn(context(stepName));
      return true;
    },
  };
}

// A name with * matches the files of its folder: tests/mutants_*_test.ts.
function expand(pattern: string): string[] {
  const slash = pattern.lastIndexOf("/");
  const dir = slash < 0 ? "." : pattern.slice(0, slash);
  const base = pattern.slice(slash + 1);
  if (!base.includes("*")) return [pattern];
  const re = new RegExp(
    "^" +
      base.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(
        ".*",
      ) +
      "$",
  );
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && re.test(e.name))
    .map((e) => `${dir}/${e.name}`)
    .sort();
}

for (const file of Deno.args.flatMap(expand)) {
  currentFile = file;
  await import(pathToFileURL(resolve(file)).href);
}

// deno-lint-ignore no-explicit-any
const g = globalThis as any;
g.__stryker__ ??= {};
const ns = g.__stryker__;

interface Request {
  tests: string[] | null;
  activeMutant: string | null;
  hitLimit: number | null;
  coverage: boolean;
  bail: boolean;
}

async function run(request: Request) {
  const byId = new Map(tests.map((t) => [t.id, t]));
  const chosen = request.tests === null
    ? tests
    : request.tests.map((id) => byId.get(id)).filter((t) => t !== undefined);
  if (request.activeMutant !== null) ns.activeMutant = request.activeMutant;
  if (request.hitLimit !== null) {
    ns.hitLimit = request.hitLimit;
    ns.hitCount = 0;
  } else {
    ns.hitLimit = undefined;
    ns.hitCount = undefined;
  }
  if (request.coverage) {
    ns.mutantCoverage ??= { static: {}, perTest: {} };
    ns.mutantCoverage.perTest = {};
  }
  const results = [];
  for (const t of chosen) {
    if (t.ignore) {
      results.push({
        id: t.id,
        name: t.name,
        fileName: t.fileName,
        status: "skipped",
        timeSpentMs: 0,
      });
      continue;
    }
    if (request.coverage) ns.currentTestId = t.id;
    const start = performance.now();
    let failureMessage: string | undefined;
    try {
      await t.fn(context(t.name));
    } catch (e) {
      failureMessage = e instanceof Error
        ? `${e.name}: ${e.message}`
        : String(e);
    }
    ns.currentTestId = undefined;
    results.push({
      id: t.id,
      name: t.name,
      fileName: t.fileName,
      status: failureMessage === undefined ? "success" : "failed",
      failureMessage,
      timeSpentMs: performance.now() - start,
    });
    if (failureMessage !== undefined && request.bail) break;
  }
  const hitLimitReached = request.hitLimit !== null &&
    ns.hitCount > request.hitLimit;
  ns.activeMutant = undefined;
  return {
    results,
    hitLimitReached,
    mutantCoverage: request.coverage ? ns.mutantCoverage : undefined,
  };
}

const encoder = new TextEncoder();
let buffered = "";
const decoder = new TextDecoder();
for await (const chunk of Deno.stdin.readable) {
  buffered += decoder.decode(chunk, { stream: true });
  let newline;
  while ((newline = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    if (line.trim() === "") continue;
    const reply = await run(JSON.parse(line).run);
    await Deno.stdout.write(
      encoder.encode(RESULT_MARK + JSON.stringify(reply) + "\n"),
    );
  }
}
