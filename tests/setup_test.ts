// A clone as a learner uses it: scripts that load npm data packages print no
// npm "Download" lines once `deno task cache` has run (deno task test runs it
// first; scripts/_cache_npm.ts says why Deno printed them), they work with
// the network gone, and a picture written into the working tree does not
// make `deno task check` fail.
import assert from "node:assert/strict";

const canRun = (await Deno.permissions.query({ name: "run" })).state ===
  "granted";

async function run(
  args: string[],
  wrap: string[] = [],
): Promise<{ code: number; stderr: string }> {
  const [command, ...rest] = wrap.length > 0
    ? [...wrap, Deno.execPath(), ...args]
    : [Deno.execPath(), ...args];
  const out = await new Deno.Command(command, {
    args: rest,
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

// unshare -n gives the process a network namespace of its own, with no
// network: it needs root, as CI and this machine have.
const offline = canRun &&
  (await run(["eval", "0"], ["unshare", "-n"]).catch(() => ({ code: 1 })))
      .code === 0;

const SCRIPTS = [
  ["scripts/iris.ts", "--epochs", "1"],
  ["scripts/digits.ts", "--epochs", "1"],
];

for (const [script, ...flags] of SCRIPTS) {
  Deno.test({
    name: `${script} prints no npm Download line, run after run`,
    ignore: !canRun,
    async fn() {
      for (let i = 0; i < 2; i++) {
        const { code, stderr } = await run(["run", script, ...flags]);
        assert.equal(code, 0, stderr);
        assert.doesNotMatch(stderr, /Download/, stderr);
      }
    },
  });
  Deno.test({
    name: `${script} runs with the network gone${
      offline ? "" : " (skipped: unshare -n is not available here)"
    }`,
    ignore: !offline,
    async fn() {
      const { code, stderr } = await run(["run", script, ...flags], [
        "unshare",
        "-n",
      ]);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /Download|error/i, stderr);
    },
  });
}

Deno.test({
  name: "an SVG written into the working tree is not checked by deno fmt",
  ignore: !canRun,
  async fn() {
    const path = "setup_test_picture.svg";
    await Deno.writeTextFile(
      path,
      '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480" font-family="Helvetica, Arial, sans-serif" fill="#333"><rect/></svg>\n',
    );
    try {
      // mod.ts is formatted, so only the picture could make this fail.
      const { code, stderr } = await run(["fmt", "--check", path, "mod.ts"]);
      assert.equal(code, 0, stderr);
    } finally {
      await Deno.remove(path);
    }
  },
});
