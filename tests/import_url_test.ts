// The library imported by URL, as a learner's own script would: the
// repository is served over http on 127.0.0.1 and a subprocess
// `deno run --allow-import=127.0.0.1:PORT -` imports mod.ts from it, with no
// import map, no config and no other permission.
//
// Needs --allow-net, --allow-read and --allow-run; without them it is ignored,
// so plain `deno test` passes.
import assert from "node:assert/strict";
import { type ProgramRun, runProgram } from "./_helpers.ts";

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

const ignore = !(
  granted({ name: "net", host: "127.0.0.1" }) &&
  granted({ name: "read" }) &&
  granted({ name: "run" })
);

const root = new URL("../", import.meta.url);

const TYPES: Record<string, string> = {
  ".ts": "application/typescript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/** Serves files under the repository root, read-only, and logs each request. */
function serveRepository(requests: string[]): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    requests.push(path);
    const ext = path.slice(path.lastIndexOf("."));
    if (path.includes("..") || !(ext in TYPES)) {
      return new Response("not found", { status: 404 });
    }
    try {
      const body = await Deno.readFile(new URL(`.${path}`, root));
      return new Response(body, { headers: { "content-type": TYPES[ext] } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

/**
 * Runs a program given on stdin with `deno run [flags] -`. `--reload`: Deno
 * caches remote modules by URL, and an earlier server on the same port may
 * have served other versions of these files.
 */
function runStdin(program: string, flags: string[]): Promise<ProgramRun> {
  return runProgram(program, [
    "--quiet",
    "--reload",
    "--no-prompt",
    "--no-config",
    "--no-lock",
    ...flags,
  ]);
}

Deno.test({
  name: "mod.ts imports by http URL with only --allow-import",
  ignore,
  async fn() {
    const requests: string[] = [];
    const server = serveRepository(requests);
    try {
      const host = `127.0.0.1:${server.addr.port}`;
      const program = `
        import { forward, matrix, squaredError, train } from "http://${host}/mod.ts";
        const w = matrix([[0, 0.3, -0.8], [1, -1.2, 0.5]]);
        const x = matrix([[5], [2], [7]]);
        const b = matrix([[1.2], [3.4]]);
        const d = matrix([[1], [0]]);
        const run = train({ w, b }, { x, d }, { learningRate: 0.0001, steps: 100, logEvery: 10 });
        console.log(squaredError(forward({ w, b }, x), d), run.history[9].loss);
      `;

      // Without --allow-import the import is refused (no prompt).
      const refused = await runStdin(program, []);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /allow-import/);

      // With it, the article's numbers (sections.md).
      const r = await runStdin(program, [`--allow-import=${host}`]);
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.equal(r.stdout, "113.28999999999999 6.684677848179767\n");

      // The whole import graph is relative .ts files under the repository.
      assert.ok(requests.includes("/mod.ts"));
      for (const path of requests) {
        assert.match(path, /^\/(mod|lib\/([a-z_]+\/)?[a-z_]+)\.ts$/, path);
      }
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name:
    "by http URL with only --allow-import, large products run on two cores, bit for bit, and the process exits",
  ignore,
  async fn() {
    const requests: string[] = [];
    const server = serveRepository(requests);
    try {
      const host = `127.0.0.1:${server.addr.port}`;
      // 120x150 by 150x130: 2.3 M multiply-adds, above PARALLEL_LIMIT.
      const program = `
        import { dot, matrix } from "http://${host}/mod.ts";
        import { parallelReady, setParallel } from "http://${host}/lib/kernels/_matmul_parallel.ts";
        const fill = (r, c, s) => matrix(Array.from({ length: r }, (_, i) =>
          Array.from({ length: c }, (_, j) => Math.sin(s * (i * c + j + 1)))));
        const a = fill(120, 150, 1), b = fill(150, 130, 2);
        for (let i = 0; i < 400 && !parallelReady(); i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        const ready = parallelReady();
        const two = JSON.stringify(dot(a, b));
        setParallel(false);
        const one = JSON.stringify(dot(a, b));
        console.log(ready, two === one);
      `;
      const started = performance.now();
      const r = await runStdin(program, [`--allow-import=${host}`]);
      const seconds = (performance.now() - started) / 1000;
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.equal(r.stdout, "true true\n");
      // The Worker closes itself once idle, so the process exits.
      assert.ok(seconds < 20, `took ${seconds} s`);
    } finally {
      await server.shutdown();
    }
  },
});

// The README's recipe for a real server: Python's http.server, told that .ts
// files are TypeScript. Plain `python3 -m http.server` sends .ts as
// text/vnd.trolltech.linguist (nginx's default mime.types: video/mp2t), which
// Deno refuses; this checks both, so the README's advice stays true.
const PYTHON_SERVER = (port: number, types: boolean) =>
  [
    "import functools, http.server as s",
    types
      ? "s.SimpleHTTPRequestHandler.extensions_map['.ts'] = 'application/typescript'"
      : "",
    `s.test(HandlerClass=functools.partial(s.SimpleHTTPRequestHandler, directory='.'), port=${port}, bind='127.0.0.1')`,
  ].filter((line) => line !== "").join("; ");

const havePython = !ignore &&
  (await new Deno.Command("python3", {
    args: ["--version"],
    stdout: "null",
    stderr: "null",
  })
    .output().then((o) => o.success, () => false));

async function withPythonServer(
  types: boolean,
  body: (host: string) => Promise<void>,
): Promise<void> {
  const port = 20000 + Math.floor(performance.now() * 1000) % 20000;
  const server = new Deno.Command("python3", {
    args: ["-c", PYTHON_SERVER(port, types)],
    cwd: new URL(".", root),
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const host = `127.0.0.1:${port}`;
    for (let i = 0; i < 50; i++) {
      try {
        (await fetch(`http://${host}/mod.ts`, { method: "HEAD" })).body
          ?.cancel();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await body(host);
  } finally {
    server.kill();
    await server.status;
  }
}

Deno.test({
  name: `the README's python3 server recipe serves mod.ts to deno run${
    havePython ? "" : " (skipped: no python3 here)"
  }`,
  ignore: !havePython,
  async fn() {
    const program = (host: string) =>
      `import { matrix, squaredError } from "http://${host}/mod.ts";\n` +
      "console.log(squaredError(matrix([[-3.8], [9.5]]), matrix([[1], [0]])));\n";
    await withPythonServer(true, async (host) => {
      const out = await runStdin(program(host), [
        "--reload",
        `--allow-import=${host}`,
      ]);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout.trim(), "113.28999999999999");
    });
    await withPythonServer(false, async (host) => {
      const out = await runStdin(program(host), [
        "--reload",
        `--allow-import=${host}`,
      ]);
      assert.notEqual(out.code, 0);
      assert.match(out.stderr, /Expected a JavaScript or TypeScript module/);
    });
  },
});
