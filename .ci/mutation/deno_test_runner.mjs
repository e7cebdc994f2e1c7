// A Stryker test runner plugin for `deno test`-style test files, loaded by
// stryker.config.json ("plugins", "testRunner": "deno").
//
// Stryker's own command runner starts `deno test` for every mutant and runs
// every test; with about 4,000 mutants that is most of two hours here. This
// runner keeps one Deno process per worker (harness.ts) that has loaded the
// test files once, reports which tests reach which mutant ("perTest" coverage
// analysis), and runs only those tests for each mutant, switching mutants at
// run time through Stryker's namespace. A mutant that only acts while the
// modules load ("static") runs in a fresh process started with
// __STRYKER_ACTIVE_MUTANT__ set, and so does every mutant of a file listed in
// "freshFiles": files whose state outlives a test (a Worker started once, a
// memory grown once), where a warm process would hide the mutant behind the
// state an earlier run left. A run that outlives Stryker's timeout is
// killed and counted as a timeout; an endless loop is also stopped by
// Stryker's hit limit.
//
// Options (stryker.config.json): "denoTestRunner": { "testFiles": [...],
// "freshFiles": [...] };
// the environment variable MUTATE_TESTS (space-separated) overrides them.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const RESULT_MARK = "\u0001stryker-result ";
const HARNESS = fileURLToPath(new URL("./harness.ts", import.meta.url));

class DenoProcess {
  constructor(testFiles, env) {
    this.child = spawn("deno", [
      "run",
      "--no-check",
      "--allow-read",
      "--allow-env",
      HARNESS,
      ...testFiles,
    ], { cwd: process.cwd(), env, stdio: ["pipe", "pipe", "pipe"] });
    this.pending = undefined;
    this.stderr = "";
    this.exited = false;
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      if (!line.startsWith(RESULT_MARK) || !this.pending) return;
      const { resolve } = this.pending;
      this.pending = undefined;
      resolve(JSON.parse(line.slice(RESULT_MARK.length)));
    });
    this.child.stderr.on("data", (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    this.child.on("exit", (code) => {
      this.exited = true;
      if (this.pending) {
        const { reject } = this.pending;
        this.pending = undefined;
        reject(new Error(`deno exited with ${code}: ${this.stderr}`));
      }
    });
  }

  /** Resolves with the harness's reply, or "timeout" after `timeout` ms. */
  request(run, timeout) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.kill();
        resolve("timeout");
      }, timeout);
      this.pending = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.child.stdin.write(JSON.stringify({ run }) + "\n");
    });
  }

  kill() {
    if (!this.exited) this.child.kill("SIGKILL");
    this.exited = true;
  }
}

export class DenoTestRunner {
  static inject = ["options", "logger"];

  constructor(options, logger) {
    this.logger = logger;
    const fromEnv = process.env.MUTATE_TESTS?.trim();
    this.testFiles = fromEnv
      ? fromEnv.split(/\s+/)
      : options.denoTestRunner?.testFiles ?? [];
    if (this.testFiles.length === 0) {
      throw new Error(
        'deno test runner: no test files (set "denoTestRunner": { "testFiles" } or MUTATE_TESTS)',
      );
    }
    this.freshFiles = options.denoTestRunner?.freshFiles ?? [];
    this.process = undefined;
    // Mean time of each test in the dry run: fast tests run first, so a
    // mutant is usually killed before the slow ones start.
    this.timeOf = new Map();
  }

  capabilities() {
    return { reloadEnvironment: true };
  }

  warm() {
    if (!this.process || this.process.exited) {
      this.process = new DenoProcess(this.testFiles, process.env);
    }
    return this.process;
  }

  async dryRun(options) {
    const coverage = options.coverageAnalysis !== "off";
    let reply;
    try {
      reply = await this.warm().request({
        tests: null,
        activeMutant: null,
        hitLimit: null,
        coverage,
        bail: false,
      }, Math.max(options.timeout, 600_000));
    } catch (e) {
      return { status: "error", errorMessage: String(e) };
    }
    if (reply === "timeout") return { status: "timeout" };
    for (const r of reply.results) this.timeOf.set(r.id, r.timeSpentMs);
    return {
      status: "complete",
      tests: reply.results.map(toTestResult),
      mutantCoverage: coverage ? reply.mutantCoverage : undefined,
    };
  }

  async mutantRun(options) {
    const tests = options.testFilter
      ? [...options.testFilter].sort((a, b) =>
        (this.timeOf.get(a) ?? 0) - (this.timeOf.get(b) ?? 0)
      )
      : null;
    const run = {
      tests,
      activeMutant: options.activeMutant.id,
      hitLimit: options.hitLimit ?? null,
      coverage: false,
      bail: !options.disableBail,
    };
    let fresh;
    const stateful = this.freshFiles.some((f) =>
      options.activeMutant.fileName.endsWith(f)
    );
    if (
      options.reloadEnvironment || options.mutantActivation === "static" ||
      stateful
    ) {
      fresh = new DenoProcess(this.testFiles, {
        ...process.env,
        __STRYKER_ACTIVE_MUTANT__: options.activeMutant.id,
      });
    }
    const target = fresh ?? this.warm();
    let reply;
    try {
      reply = await target.request(run, options.timeout);
    } catch (e) {
      // The harness died: a mutant that crashes the process while loading
      // or running is detected by the tests' process failing.
      if (!fresh) this.process = undefined;
      return {
        status: "killed",
        killedBy: [],
        failureMessage: String(e).slice(0, 500),
        nrOfTests: 0,
      };
    } finally {
      fresh?.kill();
    }
    if (reply === "timeout") {
      if (!fresh) this.process = undefined;
      return {
        status: "timeout",
        reason: `no answer in ${options.timeout} ms`,
      };
    }
    if (reply.hitLimitReached) {
      return { status: "timeout", reason: "hit limit reached" };
    }
    const failed = reply.results.filter((r) => r.status === "failed");
    if (failed.length > 0 && !fresh && !(await this.stillPasses(failed))) {
      // The mutant left the warm process broken (a cache, the WebAssembly
      // memory): start over and judge it in a fresh process.
      this.process.kill();
      this.process = undefined;
      return this.mutantRun({ ...options, reloadEnvironment: true });
    }
    if (failed.length > 0) {
      return {
        status: "killed",
        killedBy: failed.map((r) => r.id),
        failureMessage: failed[0].failureMessage,
        nrOfTests: reply.results.length,
      };
    }
    return { status: "survived", nrOfTests: reply.results.length };
  }

  /** Whether the tests that failed under a mutant pass again without it. */
  async stillPasses(failed) {
    let reply;
    try {
      reply = await this.warm().request({
        tests: failed.map((r) => r.id),
        activeMutant: null,
        hitLimit: null,
        coverage: false,
        bail: true,
      }, 60_000);
    } catch {
      return false;
    }
    return reply !== "timeout" &&
      reply.results.every((r) => r.status !== "failed");
  }

  dispose() {
    this.process?.kill();
  }
}

function toTestResult(r) {
  const base = {
    id: r.id,
    name: r.name,
    fileName: r.fileName,
    timeSpentMs: r.timeSpentMs,
  };
  if (r.status === "failed") {
    return { ...base, status: "failed", failureMessage: r.failureMessage };
  }
  return { ...base, status: r.status === "skipped" ? "skipped" : "success" };
}

export const strykerPlugins = [
  { kind: "TestRunner", name: "deno", injectableClass: DenoTestRunner },
];
