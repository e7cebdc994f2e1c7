// Prints the score of each mutation report written by .ci/mutate: one line
// per file and one per report, and with --survivors every surviving mutant
// as `file:line:column Mutator => replacement` (the key equivalent.json
// uses) followed by its source line.
//
// A surviving mutant listed in equivalent.json, with the reason no test can
// tell it from the original, counts as equivalent:
//   score = (killed + timeout) / (all - equivalent)
// The list names single mutants, not lines: a `// Stryker disable` comment
// would also silence the other replacements on its line (`<` becomes both
// `<=` and `>=`), which the tests may well kill. Entries that no longer match
// a survivor (the code moved, or a test now kills the mutant) are printed, so
// the list can be kept exact.
//
//   deno run --allow-read .ci/mutation/report.ts [--survivors] reports/mutation/ops.json ...

interface Mutant {
  status: string;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}
interface Equivalents {
  equivalents: { reason: string; mutants: string[] }[];
}

const showSurvivors = Deno.args.includes("--survivors");
const paths = Deno.args.filter((a) => a !== "--survivors");

const listed = new Map<string, string>();
const list: Equivalents = JSON.parse(
  Deno.readTextFileSync(new URL("./equivalent.json", import.meta.url)),
);
for (const { reason, mutants } of list.equivalents) {
  for (const key of mutants) listed.set(key, reason);
}

function keyOf(file: string, m: Mutant): string {
  const { line, column } = m.location.start;
  const replacement = (m.replacement ?? "").replace(/\s+/g, " ");
  return `${file}:${line}:${column} ${m.mutatorName} => ${replacement}`;
}

interface Counts {
  total: number;
  killed: number;
  timeout: number;
  survived: number;
  equivalent: number;
}

function summary(label: string, c: Counts): string {
  const counted = c.total - c.equivalent;
  const score = counted === 0 ? 100 : 100 * (c.killed + c.timeout) / counted;
  return `${label}: ${c.total} mutants, ${c.killed} killed, ${c.timeout} timeout, ` +
    `${c.survived} survived, ${c.equivalent} equivalent, score ${
      score.toFixed(2)
    }%`;
}

function add(a: Counts, b: Counts): Counts {
  return {
    total: a.total + b.total,
    killed: a.killed + b.killed,
    timeout: a.timeout + b.timeout,
    survived: a.survived + b.survived,
    equivalent: a.equivalent + b.equivalent,
  };
}

const zero: Counts = {
  total: 0,
  killed: 0,
  timeout: 0,
  survived: 0,
  equivalent: 0,
};
let everything = zero;
const matched = new Set<string>();
const files = new Set<string>();
let failed = false;
for (const path of paths) {
  const report: Report = JSON.parse(Deno.readTextFileSync(path));
  let all = zero;
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    files.add(file);
    const lines = source.split("\n");
    const c = { ...zero, total: mutants.length };
    const survivors: string[] = [];
    for (const m of mutants) {
      if (m.status === "Killed") c.killed++;
      else if (m.status === "Timeout") c.timeout++;
      else if (m.status === "Survived" || m.status === "NoCoverage") {
        const key = keyOf(file, m);
        if (listed.has(key)) {
          c.equivalent++;
          matched.add(key);
        } else {
          c.survived++;
          survivors.push(
            `  ${key}\n      ${lines[m.location.start.line - 1].trim()}`,
          );
        }
      } else {
        // Ignored (a Stryker disable comment), RuntimeError, CompileError:
        // none should happen here, so say so rather than count them.
        console.log(`  ${keyOf(file, m)}: ${m.status}`);
        failed = true;
      }
    }
    console.log(summary(file, c));
    if (showSurvivors) { for (const s of survivors) console.log(s); }
    all = add(all, c);
  }
  console.log(summary(`${path} (all)`, all));
  if (all.total === 0) {
    console.log(
      `${path}: no mutants: no file matched, or the files have nothing to mutate`,
    );
    failed = true;
  }
  everything = add(everything, all);
}
if (paths.length > 1) console.log(summary("all reports", everything));

const stale = [...listed.keys()].filter((key) =>
  files.has(key.slice(0, key.indexOf(":"))) && !matched.has(key)
);
if (stale.length > 0) {
  console.log(
    `${stale.length} mutants listed in .ci/mutation/equivalent.json no longer survive ` +
      "(a test kills them, or the code moved): remove or update them",
  );
  for (const key of stale) console.log(`  ${key}`);
}
if (failed) Deno.exit(1);
