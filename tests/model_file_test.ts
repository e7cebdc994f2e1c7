// --save and --load: a model saved by one run predicts identically after
// loading, with only --allow-write=FILE / --allow-read=FILE.
import assert from "node:assert/strict";
import { fromSafetensors, toArray } from "../mod.ts";

const canRun = (await Deno.permissions.query({ name: "run" })).state ===
  "granted";

async function deno(args: string[], cwd: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

const TRAIN = new URL("../scripts/train.ts", import.meta.url).pathname;

Deno.test({
  name: "train.ts --save then --load: the saved w and b give the same loss",
  ignore: !canRun,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const saved = await deno([
        "run",
        "--allow-write=m.safetensors",
        TRAIN,
        "--save",
        "m.safetensors",
        "--json",
      ], dir);
      assert.equal(saved.code, 0, saved.stderr);
      const first = JSON.parse(saved.stdout);
      // The article's final loss after 100 steps (sections.md, section 4).
      assert.equal(first.finalLoss, 4.881042430391056);
      const file = fromSafetensors(await Deno.readFile(`${dir}/m.safetensors`));
      const tree = file.tree as { w: Parameters<typeof toArray>[0] };
      assert.deepEqual(toArray(tree.w), first.w);
      assert.equal(file.metadata.script, "train.ts");
      const loaded = await deno([
        "run",
        "--allow-read=m.safetensors",
        TRAIN,
        "--load",
        "m.safetensors",
        "--steps",
        "1",
        "--log-every",
        "1",
        "--json",
      ], dir);
      assert.equal(loaded.code, 0, loaded.stderr);
      assert.equal(JSON.parse(loaded.stdout).history[0].loss, first.finalLoss);
      // Without the permission: one plain line naming the flag, no training.
      const denied = await deno(["run", TRAIN, "--load", "m.safetensors"], dir);
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, /--allow-read=m\.safetensors/);
      const noWrite = await deno(
        ["run", TRAIN, "--save", "n.safetensors"],
        dir,
      );
      assert.notEqual(noWrite.code, 0);
      assert.match(noWrite.stderr, /--allow-write=n\.safetensors/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "train.ts --load refuses a file of the wrong shapes, naming them",
  ignore: !canRun,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const { matrix, toSafetensors } = await import("../mod.ts");
      await Deno.writeFile(
        `${dir}/bad.safetensors`,
        toSafetensors({ w: matrix([[1, 2]]), b: matrix([[0]]) }),
      );
      const out = await deno([
        "run",
        "--allow-read=bad.safetensors",
        TRAIN,
        "--load",
        "bad.safetensors",
      ], dir);
      assert.notEqual(out.code, 0);
      assert.match(out.stderr, /tensor "w" is 1x2, this run needs 2x3/);
      assert.doesNotMatch(out.stderr, /at .*\.ts:\d+/); // no stack trace
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const XOR = new URL("../scripts/xor.ts", import.meta.url).pathname;

Deno.test({
  name:
    "xor.ts --save: the file rebuilds the trained network; --load continues from it",
  ignore: !canRun,
  async fn() {
    const { evaluate, fromSafetensors, matrix, mlp, oneHot } = await import(
      "../mod.ts"
    );
    const dir = await Deno.makeTempDir();
    try {
      const run = await deno([
        "run",
        "--allow-write=xor.safetensors",
        XOR,
        "--save",
        "xor.safetensors",
        "--json",
      ], dir);
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      const file = fromSafetensors(
        await Deno.readFile(`${dir}/xor.safetensors`),
      );
      assert.equal(file.metadata.script, "xor");
      // The same network, its weights from the file: it classifies XOR as
      // the run reported.
      const { model } = mlp([2, report.hidden, 2], 0, { activation: "tanh" });
      const x = matrix([[0, 0, 1, 1], [0, 1, 0, 1]]);
      const d = oneHot([0, 1, 1, 0], 2);
      const params = file.tree as unknown as Parameters<typeof evaluate>[1];
      assert.equal(
        evaluate(model, params, { x, d }).accuracy,
        report.trainAccuracy,
      );
      const again = await deno([
        "run",
        "--allow-read=xor.safetensors",
        XOR,
        "--load",
        "xor.safetensors",
        "--epochs",
        "1",
        "--json",
      ], dir);
      assert.equal(again.code, 0, again.stderr);
      // Started from the trained weights, the first epoch is already good.
      assert.ok(JSON.parse(again.stdout).history[0].loss < 0.05);
      const wrong = await deno([
        "run",
        "--allow-read=xor.safetensors",
        XOR,
        "--load",
        "xor.safetensors",
        "--hidden",
        "3",
      ], dir);
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr, /this run needs/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
