// Parameter trees: a Matrix, or plain objects and arrays whose leaves are all
// matrices. `leavesOf` validates a tree and lists its leaves in a fixed order;
// `rebuild` makes a new tree of the same shape from new leaves, frozen.
import { describe } from "./_describe.ts";
import { Matrix } from "./_matrix.ts";

/** Lists the matrices of a tree, depth first; throws on anything else. */
export function leavesOf(tree: unknown, fn: string, name: string): Matrix[] {
  const out: Matrix[] = [];
  collect(tree, fn, name, out, new Set());
  return out;
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
): void {
  if (tree instanceof Matrix) {
    out.push(tree);
    return;
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
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      collect(tree[i], fn, `${path}[${i}]`, out, seen);
    }
  } else if (isPlainObject(tree)) {
    for (const key of Object.keys(tree)) {
      collect(
        (tree as Record<string, unknown>)[key],
        fn,
        `${path}.${key}`,
        out,
        seen,
      );
    }
  } else {
    throw new TypeError(
      `Expected ${path} of ${fn} to be a Matrix, a plain object or an array, got an instance of another class`,
    );
  }
  seen.delete(tree);
}

/**
 * A new frozen tree with `tree`'s structure whose leaves are `leaves`, in
 * the order `leavesOf` lists them. `tree` must already be validated.
 */
export function rebuild<T>(tree: T, leaves: readonly Matrix[]): T {
  let next = 0;
  const walk = (node: unknown): unknown => {
    if (node instanceof Matrix) return leaves[next++];
    if (Array.isArray(node)) return Object.freeze(node.map(walk));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node as object)) {
      out[key] = walk((node as Record<string, unknown>)[key]);
    }
    return Object.freeze(out);
  };
  return walk(tree) as T;
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
