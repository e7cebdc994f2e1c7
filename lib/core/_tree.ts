// Parameter trees: a Matrix, or plain objects and arrays whose leaves are all
// matrices. `readTree` validates a tree, lists its leaves in a fixed order and
// records its structure; `rebuild` makes a new frozen tree from that record
// and new leaves. Trees often come from JSON, so a tree nests at most
// MAX_DEPTH levels, must not contain itself, and may have a `__proto__` key.
import { describe } from "./_checks.ts";
import { isMatrix, type Matrix } from "./_matrix.ts";

/**
 * The structure of a tree: `null` for a leaf (a Matrix), an array of
 * structures for an array, keys and structures for a plain object.
 */
export type Structure =
  | null
  | { readonly items: readonly Structure[] }
  | { readonly keys: readonly string[]; readonly values: readonly Structure[] };

/** A validated tree: its leaves, depth first, and its structure. */
export interface ReadTree {
  readonly leaves: Matrix[];
  readonly structure: Structure;
}

/** Validates a tree and records it; throws on anything but matrices. */
export function readTree(tree: unknown, fn: string, name: string): ReadTree {
  const leaves: Matrix[] = [];
  const structure = collect(tree, fn, name, leaves, new Set(), 0);
  return { leaves, structure };
}

/** Lists the matrices of a tree, depth first; throws on anything else. */
export function leavesOf(tree: unknown, fn: string, name: string): Matrix[] {
  return readTree(tree, fn, name).leaves;
}

/** How deep a parameter tree may nest. */
export const MAX_DEPTH = 100;

/** The start of a long path, for messages. */
function name(path: string): string {
  return path.length > 60 ? `${path.slice(0, 60)}…` : path;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function collect(
  tree: unknown,
  fn: string,
  path: string,
  out: Matrix[],
  seen: Set<object>,
  depth: number,
): Structure {
  if (isMatrix(tree)) {
    out.push(tree);
    return null;
  }
  if (depth >= MAX_DEPTH) {
    throw new RangeError(
      `Expected ${
        name(path)
      } of ${fn} to be a tree of matrices at most ${MAX_DEPTH} levels deep, but it nests deeper`,
    );
  }
  if (typeof tree !== "object" || tree === null) {
    throw new TypeError(
      `Expected ${path} of ${fn} to be a Matrix or a record or array of matrices, got ${
        describe(tree)
      }`,
    );
  }
  if (seen.has(tree)) {
    throw new TypeError(
      `Expected ${path} of ${fn} to be a tree of matrices, but it contains itself (a cycle)`,
    );
  }
  seen.add(tree);
  let structure: Structure;
  if (Array.isArray(tree)) {
    const items: Structure[] = [];
    for (let i = 0; i < tree.length; i++) {
      items.push(collect(tree[i], fn, `${path}[${i}]`, out, seen, depth + 1));
    }
    structure = { items };
  } else if (isPlainObject(tree)) {
    const keys = Object.keys(tree);
    const values: Structure[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      values[i] = collect(
        (tree as Record<string, unknown>)[keys[i]],
        fn,
        `${path}.${keys[i]}`,
        out,
        seen,
        depth + 1,
      );
    }
    structure = { keys, values };
  } else {
    const what = describe(tree);
    throw new TypeError(
      `Expected ${path} of ${fn} to be a Matrix, a plain object or an array, got ${
        what === "an object" ? "an instance of another class" : what
      }`,
    );
  }
  seen.delete(tree);
  return structure;
}

/**
 * A new frozen tree with the recorded structure whose leaves are `leaves`, in
 * the order `readTree` lists them.
 */
export function rebuild<T>(structure: Structure, leaves: readonly Matrix[]): T {
  let next = 0;
  const walk = (node: Structure): unknown => {
    if (node === null) return leaves[next++];
    if ("items" in node) return Object.freeze(node.items.map(walk));
    const out: Record<string, unknown> = {};
    for (let i = 0; i < node.keys.length; i++) {
      const key = node.keys[i];
      const value = walk(node.values[i]);
      if (key === "__proto__") {
        // Assigning would set the prototype; the key must stay a plain key.
        Object.defineProperty(out, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        out[key] = value;
      }
    }
    return Object.freeze(out);
  };
  return walk(structure) as T;
}

/** Throws a RangeError unless two trees have leaves of the same shapes. */
export function assertSameShapes(
  a: readonly Matrix[],
  b: readonly Matrix[],
  fn: string,
  nameA: string,
  nameB: string,
): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `Cannot pair ${nameA} with ${nameB} in ${fn}: they hold ${a.length} and ${b.length} matrices`,
    );
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i].rows !== b[i].rows || a[i].cols !== b[i].cols) {
      throw new RangeError(
        `Cannot pair ${nameA} with ${nameB} in ${fn}: matrix ${i} is ${
          a[i].rows
        }x${a[i].cols} in ${nameA} but ${b[i].rows}x${b[i].cols} in ${nameB}`,
      );
    }
  }
}
