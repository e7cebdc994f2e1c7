/**
 * `--save FILE.safetensors` and `--load FILE.safetensors` for the training
 * scripts: parameter trees written with `toSafetensors` (the whole file built
 * in memory, then written at once) and read back with `fromSafetensors`,
 * checked against the parameters the script expects. Only
 * `--allow-write=FILE` / `--allow-read=FILE` are needed.
 *
 * This module is internal to the scripts.
 *
 * @module
 */
import { fromSafetensors, type Matrix, toSafetensors } from "../mod.ts";
import { CliError, readBytesFile, tr, writeBytesAtomic } from "./_cli.ts";

/** The matrices of a tree with their paths, depth first, as saved. */
function leaves(tree: unknown, path = ""): [string, Matrix][] {
  if (
    typeof tree === "object" && tree !== null && "rows" in tree &&
    "cols" in tree && !Array.isArray(tree)
  ) {
    return [[path || "params", tree as Matrix]];
  }
  if (Array.isArray(tree)) {
    return tree.flatMap((t, i) => leaves(t, path ? `${path}.${i}` : `${i}`));
  }
  if (typeof tree === "object" && tree !== null) {
    return Object.entries(tree).flatMap(([k, t]) =>
      leaves(t, path ? `${path}.${k}` : k)
    );
  }
  return [];
}

/**
 * Saves a parameter tree as safetensors.
 *
 * @param path The file, from the flag.
 * @param params The parameters.
 * @param metadata Strings to keep beside them (the script, its settings).
 * @param flag The flag that named the file.
 * @throws {CliError} When the file cannot be written.
 */
export function saveParams(
  path: string,
  params: object,
  metadata: Record<string, string> = {},
  flag = "--save",
): void {
  writeBytesAtomic(path, toSafetensors(params, { metadata }), flag);
}

/**
 * Loads a parameter tree saved by {@linkcode saveParams} (or any
 * safetensors file with the same tensor names and shapes), checked against
 * `like`, the parameters the script would start from.
 *
 * @typeParam P The parameters' type.
 * @param path The file, from the flag.
 * @param like Parameters of the expected structure and shapes.
 * @param flag The flag that named the file.
 * @param script When given, the script the file must have been saved by
 * (its `script` metadata); another is refused before the tensors are.
 * @returns The loaded parameters, with `like`'s structure, and the file's
 * metadata.
 * @throws {CliError} When the file cannot be read, is not safetensors, or
 * does not hold the expected tensors.
 */
export function loadParams<P extends object>(
  path: string,
  like: P,
  flag = "--load",
  script?: string,
): { params: P; metadata: Readonly<Record<string, string>> } {
  const bytes = readBytesFile(path, flag);
  let loaded;
  try {
    loaded = fromSafetensors(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      tr(
        `Cannot load ${path} (${flag}): ${reason}`,
        `${path} (${flag}) を読み込めません: ${reason}`,
      ),
    );
  }
  const saver = loaded.metadata.script;
  if (script !== undefined && saver !== script) {
    throw new CliError(
      tr(
        `Cannot load ${path} (${flag}): it was saved by ${
          saver === undefined ? "no script of this toolkit" : `${saver}.ts`
        }, not ${script}.ts`,
        `${path} (${flag}) を読み込めません: ${
          saver === undefined
            ? "このツールキットのスクリプト以外"
            : `${saver}.ts`
        } が保存したファイルで、${script}.ts のものではありません`,
      ),
      tr(
        `Load a file saved by --save of ${script}.ts.`,
        `${script}.ts の --save で保存したファイルを指定してください。`,
      ),
    );
  }
  const want = leaves(like), got = new Map(leaves(loaded.tree));
  for (const [name, m] of want) {
    const g = got.get(name);
    if (g === undefined) {
      const names = [...got.keys()];
      const held = names.length > 6
        ? `${names.slice(0, 6).join(", ")}, … ${
          tr(`${names.length} in all`, `全 ${names.length} 個`)
        }`
        : names.join(", ");
      throw new CliError(
        tr(
          `Cannot load ${path} (${flag}): it has no tensor "${name}" (it holds ${
            held || "none"
          })`,
          `${path} (${flag}) を読み込めません: テンソル "${name}" がありません(あるのは ${
            held || "なし"
          })`,
        ),
        SAME_HINT(),
      );
    }
    if (g.rows !== m.rows || g.cols !== m.cols) {
      throw new CliError(
        tr(
          `Cannot load ${path} (${flag}): tensor "${name}" is ${g.rows}x${g.cols}, this run needs ${m.rows}x${m.cols}`,
          `${path} (${flag}) を読み込めません: テンソル "${name}" は ${g.rows}x${g.cols} ですが、この実行には ${m.rows}x${m.cols} が要ります`,
        ),
        SAME_HINT(),
      );
    }
  }
  if (got.size !== want.length) {
    const names = want.map(([n]) => n).join(", ");
    throw new CliError(
      tr(
        `Cannot load ${path} (${flag}): it holds ${got.size} tensors, this run needs ${want.length} (${names})`,
        `${path} (${flag}) を読み込めません: テンソルが ${got.size} 個ありますが、この実行には ${want.length} 個(${names})が要ります`,
      ),
      SAME_HINT(),
    );
  }
  return { params: substitute(like, got) as P, metadata: loaded.metadata };
}

/** The hint of a file that does not fit the run, in the current language. */
const SAME_HINT = () =>
  tr(
    "Load a file saved by the same script with the same settings (network size).",
    "同じスクリプト・同じ設定(ネットワークの大きさ)で保存したファイルを指定してください。",
  );

/** `like` with each Matrix replaced by the loaded one of the same path. */
function substitute(
  like: unknown,
  got: Map<string, Matrix>,
  path = "",
): unknown {
  if (
    typeof like === "object" && like !== null && "rows" in like &&
    "cols" in like && !Array.isArray(like)
  ) {
    return got.get(path || "params");
  }
  if (Array.isArray(like)) {
    return like.map((t, i) =>
      substitute(t, got, path ? `${path}.${i}` : `${i}`)
    );
  }
  if (typeof like === "object" && like !== null) {
    return Object.fromEntries(
      Object.entries(like).map((
        [k, t],
      ) => [k, substitute(t, got, path ? `${path}.${k}` : k)]),
    );
  }
  return like;
}
