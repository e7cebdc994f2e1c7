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
import { CliError, readBytesFile, writeBytesAtomic } from "./_cli.ts";

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
 * @returns The loaded parameters, with `like`'s structure, and the file's
 * metadata.
 * @throws {CliError} When the file cannot be read, is not safetensors, or
 * does not hold the expected tensors.
 */
export function loadParams<P extends object>(
  path: string,
  like: P,
  flag = "--load",
): { params: P; metadata: Readonly<Record<string, string>> } {
  const bytes = readBytesFile(path, flag);
  let loaded;
  try {
    loaded = fromSafetensors(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot load ${path} (${flag}): ${reason}`);
  }
  const want = leaves(like), got = new Map(leaves(loaded.tree));
  for (const [name, m] of want) {
    const g = got.get(name);
    if (g === undefined) {
      throw new CliError(
        `Cannot load ${path} (${flag}): it has no tensor "${name}" (it holds ${
          [...got.keys()].join(", ") || "none"
        })`,
        "Load a file saved by the same script with the same network size.",
      );
    }
    if (g.rows !== m.rows || g.cols !== m.cols) {
      throw new CliError(
        `Cannot load ${path} (${flag}): tensor "${name}" is ${g.rows}x${g.cols}, this run needs ${m.rows}x${m.cols}`,
        "Load a file saved by the same script with the same network size.",
      );
    }
  }
  if (got.size !== want.length) {
    throw new CliError(
      `Cannot load ${path} (${flag}): it holds ${got.size} tensors, this run needs ${want.length} (${
        want.map(([n]) => n).join(", ")
      })`,
    );
  }
  return { params: substitute(like, got) as P, metadata: loaded.metadata };
}

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
