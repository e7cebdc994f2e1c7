// `deno task bench`: the cold start of `deno run scripts/train.ts`, a whole
// process from launch to exit, as the whole-process row of
// `deno task compare` measures it (there against python3 bench/article.py).
const script = new URL("../scripts/train.ts", import.meta.url).pathname;

Deno.bench({
  name: "cold start: deno run scripts/train.ts",
  group: "process",
  n: 10,
  warmup: 1,
  async fn() {
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["run", script],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!success) throw new Error("deno run scripts/train.ts failed");
  },
});
