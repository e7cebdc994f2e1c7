// Audits the JSDoc of every export of mod.ts, from `deno doc --json`, so that
// an export added later is held to the same standard: a description, @param
// for each parameter, @returns, @throws when it takes arguments, and an
// @example that asserts something (`deno test --doc` runs the examples).
// Interfaces need a description for every property, and options interfaces a
// @default for every optional one. Needs --allow-run and --allow-read to run
// `deno doc`; ignored without them, so plain `deno test` passes.
import assert from "node:assert/strict";

interface Tag {
  kind: string;
  name?: string;
  doc?: string;
}
interface JsDoc {
  doc?: string;
  tags?: Tag[];
}
interface Param {
  kind: string;
  name?: string;
  left?: Param;
}
interface FunctionDef {
  params: Param[];
  returnType?: { repr: string };
}
interface Declaration {
  kind: string;
  jsDoc?: JsDoc;
  def?: Record<string, unknown>;
}
interface DocSymbol {
  name: string;
  declarations: Declaration[];
}

const permitted =
  Deno.permissions.querySync({ name: "run" }).state === "granted" &&
  Deno.permissions.querySync({ name: "read" }).state === "granted";

function tags(doc: JsDoc | undefined, kind: string): Tag[] {
  return (doc?.tags ?? []).filter((t) => t.kind === kind);
}

function paramName(p: Param): string | undefined {
  if (p.kind === "identifier") return p.name;
  if (p.kind === "assign" && p.left) return paramName(p.left);
  if (p.kind === "rest" && p.left) return paramName(p.left);
  return undefined;
}

/** Problems with one function-like declaration's JSDoc. */
function auditFunction(
  label: string,
  doc: JsDoc | undefined,
  def: FunctionDef,
  needsExample: boolean,
): string[] {
  const problems: string[] = [];
  if (!doc?.doc?.trim()) problems.push(`${label}: no description`);
  const documented = new Set(tags(doc, "param").map((t) => t.name));
  for (const p of def.params) {
    const name = paramName(p);
    if (name !== undefined && !documented.has(name)) {
      problems.push(`${label}: no @param for ${name}`);
    }
  }
  const returns = def.returnType?.repr ?? "";
  if (
    !["void", "undefined", "never"].includes(returns) &&
    tags(doc, "return").length === 0
  ) {
    problems.push(`${label}: no @returns`);
  }
  if (def.params.length > 0 && tags(doc, "throws").length === 0) {
    problems.push(
      `${label}: no @throws (every function that takes arguments checks them)`,
    );
  }
  if (
    needsExample &&
    !tags(doc, "example").some((t) => /assert/.test(t.doc ?? ""))
  ) {
    problems.push(`${label}: no @example that asserts something`);
  }
  return problems;
}

function audit(symbols: DocSymbol[]): string[] {
  const problems: string[] = [];
  for (const symbol of symbols) {
    for (const decl of symbol.declarations) {
      const label = `${symbol.name} (${decl.kind})`;
      const def = decl.def ?? {};
      switch (decl.kind) {
        case "function":
          problems.push(
            ...auditFunction(
              label,
              decl.jsDoc,
              def as unknown as FunctionDef,
              true,
            ),
          );
          break;
        case "class": {
          if (!decl.jsDoc?.doc?.trim()) {
            problems.push(`${label}: no description`);
          }
          if (
            !tags(decl.jsDoc, "example").some((t) => /assert/.test(t.doc ?? ""))
          ) {
            problems.push(`${label}: no @example that asserts something`);
          }
          const methods = (def.methods ?? []) as {
            name: string;
            kind: string;
            jsDoc?: JsDoc;
            functionDef: FunctionDef;
          }[];
          for (const m of methods) {
            const mLabel = `${symbol.name}.${m.name}`;
            if (m.kind === "getter" || m.kind === "setter") {
              if (!m.jsDoc?.doc?.trim()) {
                problems.push(`${mLabel}: no description`);
              }
              continue;
            }
            // Symbol-keyed hooks (such as Deno.customInspect) need no example.
            problems.push(
              ...auditFunction(
                mLabel,
                m.jsDoc,
                m.functionDef,
                !m.name.startsWith("["),
              ),
            );
          }
          break;
        }
        case "interface": {
          if (!decl.jsDoc?.doc?.trim()) {
            problems.push(`${label}: no description`);
          }
          const props = (def.properties ?? []) as {
            name: string;
            optional: boolean;
            jsDoc?: JsDoc;
          }[];
          for (const p of props) {
            if (!p.jsDoc?.doc?.trim()) {
              problems.push(`${symbol.name}.${p.name}: no description`);
            }
            if (
              /Options$/.test(symbol.name) && p.optional &&
              tags(p.jsDoc, "default").length === 0
            ) {
              problems.push(
                `${symbol.name}.${p.name}: optional option without @default`,
              );
            }
          }
          break;
        }
        default:
          if (!decl.jsDoc?.doc?.trim()) {
            problems.push(`${label}: no description`);
          }
      }
    }
  }
  return problems;
}

async function docJson(): Promise<{ moduleDoc?: JsDoc; symbols: DocSymbol[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", "mod.ts"],
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  const node = Object.values(json.nodes)[0] as {
    module_doc?: JsDoc;
    symbols: DocSymbol[];
  };
  return { moduleDoc: node.module_doc, symbols: node.symbols };
}

Deno.test({
  name:
    "docs: every export of mod.ts has a description, @param, @returns, @throws and an asserting @example",
  ignore: !permitted,
  async fn() {
    const { moduleDoc, symbols } = await docJson();
    assert.ok(
      symbols.length >= 20,
      `only ${symbols.length} symbols documented`,
    );
    assert.ok(
      tags(moduleDoc, "module").length === 1,
      "mod.ts has no @module tag",
    );
    assert.ok(tags(moduleDoc, "example").length >= 1, "mod.ts has no @example");
    const problems = audit(symbols);
    console.log(`docs: audited ${symbols.length} exports of mod.ts`);
    assert.deepEqual(problems, []);
  },
});

Deno.test("docs: the audit itself catches a missing @param, @returns, @throws and @example", () => {
  const bare: DocSymbol = {
    name: "f",
    declarations: [{
      kind: "function",
      jsDoc: { doc: "Does f." },
      def: {
        params: [{ kind: "identifier", name: "x" }],
        returnType: { repr: "number" },
      },
    }],
  };
  assert.deepEqual(audit([bare]), [
    "f (function): no @param for x",
    "f (function): no @returns",
    "f (function): no @throws (every function that takes arguments checks them)",
    "f (function): no @example that asserts something",
  ]);
  const options: DocSymbol = {
    name: "FOptions",
    declarations: [{
      kind: "interface",
      jsDoc: { doc: "Options." },
      def: {
        properties: [{
          name: "steps",
          optional: true,
          jsDoc: { doc: "Steps." },
        }],
      },
    }],
  };
  assert.deepEqual(audit([options]), [
    "FOptions.steps: optional option without @default",
  ]);
});
