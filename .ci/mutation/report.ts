// Prints the score of each mutation report written by .ci/mutate: one line
// per file and one per report (total, killed, timeout, survived, no
// coverage, ignored, score), and with --survivors every surviving mutant as
// `file:line:column mutator: source line => replacement`.
//
// score = (killed + timeout) / (total - ignored), as Stryker counts it;
// "ignored" are the mutants a `// Stryker disable` comment marks equivalent.
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

const STATUSES = ["Killed", "Timeout", "Survived", "NoCoverage", "Ignored"];
const showSurvivors = Deno.args.includes("--survivors");
const paths = Deno.args.filter((a) => a !== "--survivors");

function line(label: string, mutants: Mutant[]): string {
  const n = (s: string) => mutants.filter((m) => m.status === s).length;
  const counted = mutants.length - n("Ignored");
  const score = counted === 0
    ? 100
    : 100 * (n("Killed") + n("Timeout")) / counted;
  const parts = STATUSES.map((s) => `${n(s)} ${s.toLowerCase()}`).join(", ");
  return `${label}: ${mutants.length} mutants, ${parts}, score ${
    score.toFixed(2)
  }%`;
}

const everything: Mutant[] = [];
for (const path of paths) {
  const report: Report = JSON.parse(Deno.readTextFileSync(path));
  const all: Mutant[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    console.log(line(file, mutants));
    all.push(...mutants);
    if (!showSurvivors) continue;
    const lines = source.split("\n");
    for (const m of mutants) {
      if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
      const { line: l, column } = m.location.start;
      console.log(
        `  ${file}:${l}:${column} ${m.mutatorName}${
          m.status === "NoCoverage" ? " (no coverage)" : ""
        }: ` +
          `${lines[l - 1].trim()} => ${m.replacement ?? ""}`,
      );
    }
  }
  console.log(line(`${path} (all)`, all));
  everything.push(...all);
}
if (paths.length > 1) console.log(line("all reports", everything));
