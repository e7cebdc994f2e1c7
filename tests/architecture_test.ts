// The shape of lib/: no import cycles, no dependencies, and each folder
// importing only from the folders below it. The layers, lowest first:
//   core (matrix, checks, random, trees) · kernels (plain loops, WebAssembly)
//   · autodiff (tape, defineOp, grad) · ops (each op with its backward)
//   · nn (layers, sequential) · train (optimizers, fit, metrics);
//   data and viz sit beside them on core; the article's perceptron.ts on ops.
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const ALLOWED: Record<string, readonly string[]> = {
  core: ["core"],
  kernels: ["kernels"],
  autodiff: ["core", "kernels", "autodiff"],
  ops: ["core", "kernels", "autodiff", "ops"],
  nn: ["core", "kernels", "autodiff", "ops", "nn"],
  train: ["core", "kernels", "autodiff", "ops", "nn", "train"],
  data: ["core", "data"],
  viz: ["core", "viz"],
  ".": ["core", "kernels", "autodiff", "ops"],
};

/** The relative paths of lib/'s TypeScript files, and mod.ts. */
function sources(): string[] {
  const out = ["mod.ts"];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(join(root, dir))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts")) out.push(path);
    }
  };
  walk("lib");
  return out.sort();
}

/** The module specifiers a file imports or re-exports (not in comments). */
function importsOf(path: string): string[] {
  const text = Deno.readTextFileSync(join(root, path))
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  for (
    const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*"([^"]+)"/g,
    )
  ) {
    found.push(m[1]);
  }
  for (const m of text.matchAll(/import\(\s*"([^"]+)"\s*\)/g)) found.push(m[1]);
  return found;
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of sources()) {
    edges.set(
      file,
      importsOf(file).map((s) =>
        relative(root, join(root, dirname(file), s)).replaceAll("\\", "/")
      ),
    );
  }
  return edges;
}

/** The cycles of a graph, each as a path that returns to its start. */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === "open") {
        found.push([...stack.slice(stack.indexOf(next)), next]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

Deno.test("the cycle finder finds a planted cycle and passes a chain", () => {
  const cyclic = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", []]]);
  assert.deepEqual(cycles(cyclic), [["a", "b", "c", "a"]]);
  assert.deepEqual(cycles(new Map([["a", ["b"]], ["b", []]])), []);
});

Deno.test("lib/ has no import cycles", () => {
  assert.deepEqual(cycles(graph()), []);
});

Deno.test("mod.ts and lib/ import only relative .ts files that exist", () => {
  for (const file of sources()) {
    for (const spec of importsOf(file)) {
      assert.match(spec, /^\.\.?\/.*\.ts$/, `${file} imports ${spec}`);
      const target = join(root, dirname(file), spec);
      assert.ok(Deno.statSync(target).isFile, `${file} imports ${spec}`);
    }
  }
});

Deno.test("each folder of lib/ imports only from the layers below it", () => {
  const folderOf = (path: string) => {
    const parts = path.split("/");
    return parts.length === 2 ? "." : parts[1];
  };
  const wrong: string[] = [];
  for (const [file, targets] of graph()) {
    if (file === "mod.ts") continue;
    const allowed = ALLOWED[folderOf(file)];
    assert.ok(allowed, `${file}: a folder of lib/ without a layer`);
    for (const t of targets) {
      if (!allowed.includes(folderOf(t))) wrong.push(`${file} -> ${t}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("internal files (named _*.ts) are not exported from mod.ts", () => {
  for (const spec of importsOf("mod.ts")) {
    assert.doesNotMatch(spec, /\/_[^/]*\.ts$/, spec);
  }
});
