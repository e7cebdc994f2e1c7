// notebooks/article.ipynb: the article as a Jupyter notebook, run headless
// with the real Jupyter machinery, as a learner's notebook server runs it.
//
// The run needs a python with nbclient and ipykernel (jupyter_client comes
// with them): $PYTHON when set, else .venv/bin/python at the repository root
// (made by `python3 -m venv .venv && .venv/bin/pip install nbclient
// ipykernel`). Deno's kernel is registered in a temporary Jupyter directory
// with the kernelspec `deno jupyter --install` writes, so nothing outside it
// changes. Without such a python (or without --allow-run, --allow-read and
// --allow-write) the run is ignored, with the reason in its name and on the
// console; the checks of the notebook's text need only --allow-read.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { findPython, granted } from "./_helpers.ts";

const root = new URL("..", import.meta.url);
const notebookPath = fileURLToPath(new URL("notebooks/article.ipynb", root));

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}

interface Cell {
  id?: string;
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
}

/** nbformat allows a string or a list of lines wherever text goes. */
function joined(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join("") : text ?? "";
}

// ---------------------------------------------------------------------------
// The notebook's text

const canRead = granted({ name: "read", path: notebookPath });

Deno.test({
  name:
    "notebook: article.ipynb follows the article's sections in Japanese and English, stored without outputs",
  ignore: !canRead,
  async fn() {
    const nb = JSON.parse(await Deno.readTextFile(notebookPath));
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.metadata.kernelspec.name, "deno");
    assert.equal(nb.metadata.language_info.name, "typescript");
    const cells = nb.cells as Cell[];
    const markdown = cells.filter((c) => c.cell_type === "markdown").map((c) =>
      joined(c.source)
    );
    const code = cells.filter((c) => c.cell_type === "code");
    // The article's headings, in its order, each with English beside it.
    const headings = [
      "最小モデルの定義",
      "最小モデルを計算して誤差Lossを求める",
      "学習の基本的な概念",
      "1回学習させる",
      "複数回学習させる",
    ];
    const headingLines = markdown.flatMap((m) =>
      m.split("\n").filter((l) => l.startsWith("#"))
    );
    let last = -1;
    for (const heading of headings) {
      const at = headingLines.findIndex((l) => l.includes(heading));
      assert.ok(at > last, `heading ${heading} missing or out of order`);
      assert.match(headingLines[at], /— [a-z]/, `no English in ${heading}`);
      last = at;
    }
    // Quotations of the article, each followed by its translation.
    for (
      const quote of [
        "Lossが 113.29 と出ていたら大丈夫",
        "w' = w - α*「傾き」",
        "new_Loss が35.527…...となっていればOK!",
        "今度は100回学習させて見ましょう♪",
        "次回は実際にTensorflowを使って学習させようと思います♪",
      ]
    ) {
      const cell = markdown.find((m) => m.includes(quote));
      assert.ok(cell, `the notebook does not quote ${quote}`);
      const after = cell.slice(cell.indexOf(quote));
      assert.match(after, /\n>\s*\n> _\S/, `no translation after ${quote}`);
    }
    // The toolkit from the repository, and clean cells for the reader.
    const sources = code.map((c) => joined(c.source));
    assert.match(sources[0], /from "\.\.\/mod\.ts";/);
    assert.ok(sources.slice(1).every((s) => !/\bimport\b/.test(s)));
    for (const cell of code) {
      assert.deepEqual(cell.outputs, [], `cell ${cell.id} has outputs`);
      assert.equal(cell.execution_count, null);
    }
  },
});

// ---------------------------------------------------------------------------
// Running it

const { python, reason } = await findPython([
  "nbclient",
  "nbformat",
  "ipykernel",
  "jupyter_client",
]);
const skip = python === undefined;
const note = skip ? ` (skipped: ${reason})` : "";
if (skip) {
  console.log(
    `notebook_test: running the notebook is skipped: ${reason}; set PYTHON to a python with nbclient and ipykernel, or run \`python3 -m venv .venv && .venv/bin/pip install nbclient ipykernel\``,
  );
}

/**
 * Executes a notebook with nbclient and Deno's kernel, from the notebook's
 * folder as a notebook server would; prints its cells, outputs included, as
 * JSON. An error in a cell fails the run (nbclient's CellExecutionError).
 *
 * Deno's kernel (2.9) can publish a cell's last display a moment after it
 * reports the cell "idle". A notebook in a browser shows it all the same, as
 * the browser files every message under the cell it answers; nbclient stops
 * listening at "idle" and would drop it, so the client here listens a quarter
 * of a second longer for the cell's messages, as the browser does. (The
 * notebook's own `show` waits one turn of the event loop, which avoids most
 * of these late messages for plain `jupyter execute` too.)
 */
const RUN = `
import json, os, sys
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete


class Client(NotebookClient):
    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=0.25))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
Client(
    nb,
    kernel_name="deno",
    timeout=120,
    resources={"metadata": {"path": os.path.dirname(path)}},
).execute()
json.dump(nb.cells, sys.stdout, ensure_ascii=False)
`;

/** A Jupyter directory of its own with Deno's kernelspec; its env vars. */
async function jupyterHome(dir: string): Promise<Record<string, string>> {
  // What `deno jupyter --install` writes to the user's Jupyter directory.
  await Deno.mkdir(`${dir}/share/kernels/deno`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/share/kernels/deno/kernel.json`,
    JSON.stringify({
      argv: [
        Deno.execPath(),
        "jupyter",
        "--kernel",
        "--conn",
        "{connection_file}",
      ],
      display_name: "Deno",
      language: "typescript",
    }),
  );
  return {
    JUPYTER_PATH: `${dir}/share`,
    JUPYTER_DATA_DIR: `${dir}/data`,
    JUPYTER_CONFIG_DIR: `${dir}/config`,
    JUPYTER_RUNTIME_DIR: `${dir}/runtime`,
    JUPYTER_PLATFORM_DIRS: "1",
    IPYTHONDIR: `${dir}/ipython`,
  };
}

Deno.test({
  name:
    `notebook: article.ipynb runs in Deno's Jupyter kernel and shows every number, the loss curve, the graph and matrices as tables${note}`,
  ignore: skip,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "notebook_test_" });
    try {
      const out = await new Deno.Command(python as string, {
        args: ["-c", RUN, notebookPath],
        env: await jupyterHome(dir),
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      assert.equal(out.code, 0, text.decode(out.stderr));
      const cells = JSON.parse(text.decode(out.stdout)) as Cell[];
      const code = cells.filter((c) => c.cell_type === "code");
      // Every code cell ran, in order, without an error.
      assert.deepEqual(
        code.map((c) => c.execution_count),
        code.map((_, i) => i + 1),
      );
      const outputs = code.flatMap((c) => c.outputs ?? []);
      assert.deepEqual(outputs.filter((o) => o.output_type === "error"), []);

      // The article's numbers, as it prints them.
      const printed = outputs.map((o) =>
        o.output_type === "stream"
          ? joined(o.text)
          : joined(o.data?.["text/plain"])
      ).join("\n");
      const losses = [
        "113.28999999999999",
        "82.72250503284572",
        "60.402620168674915",
        "44.1050053040893",
        "32.20475349316987",
        "23.515384260925927",
        "17.17054897055121",
        "12.537654017416763",
        "9.15478989810077",
        "6.684677848179767",
      ];
      for (
        const line of [
          "Loss: 113.28999999999999",
          "new_Loss: 35.527744",
          ...losses.map((loss, i) => `${i * 10} 回目: ${loss}`),
          "final loss: 4.881042430391056",
        ]
      ) {
        assert.ok(printed.includes(`${line}\n`), `the notebook lacks ${line}`);
      }

      // Matrices as tables: the article's w, and w after the 100 steps.
      const tables = outputs.map((o) => joined(o.data?.["text/html"])).filter(
        (h) => h.startsWith("<table"),
      );
      assert.ok(
        tables.some((t) =>
          t.includes("Matrix 2x3") && t.includes(">-0.8<") &&
          t.includes(">-1.2<")
        ),
        "no table of w",
      );
      assert.ok(
        tables.some((t) => t.includes(">0.24382521572023902<")),
        "no table of the trained w",
      );

      // Pictures: the loss curve of the 100 steps and the computation graph.
      const svgs = outputs.map((o) => joined(o.data?.["image/svg+xml"]))
        .filter((s) => s !== "");
      assert.ok(svgs.every((s) => s.startsWith("<svg ")));
      const curve = svgs.find((s) => s.includes("over 100 steps"));
      assert.ok(curve, "no loss curve");
      const points = /<polyline points="([^"]*)"/.exec(curve)?.[1].split(" ");
      assert.equal(points?.length, 101, "the curve is not the 100 steps");
      const graph = svgs.find((s) =>
        s.includes("values and gradients") && s.includes("value [[113.29]]")
      );
      assert.ok(graph, "no computation graph");
      assert.match(
        graph,
        /grad {2}\[\[-48, -19\.2, -67\.2\], \[95, 38, 133\]\]/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
