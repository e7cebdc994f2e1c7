// The tape that records differentiable operations while `grad` runs a
// function. Outside `grad` no tape is active and every op pays one null check.
// Each node keeps the op itself (so the backward rule is found by identity,
// never by a name or a message) and whatever context its forward saved.
import type { Matrix } from "../core/_matrix.ts";

/** The part of an op the tape needs: its name and its backward rule. */
export interface TapeOp {
  readonly name: string;
  // deno-lint-ignore no-explicit-any
  readonly backward: (g: Matrix, context: any) => unknown;
}

/** One recorded operation. */
export interface TapeNode {
  /** The op that produced `output`, or null for an input (a leaf). */
  readonly op: TapeOp | null;
  /** The op's arguments, as passed. */
  readonly args: readonly unknown[];
  /** Per argument: the tape index of its node, or -1 (constant, non-Matrix). */
  readonly inputIds: readonly number[];
  /** The op's result. */
  readonly output: Matrix;
  /** Whatever the op's forward saved for its backward. */
  readonly saved: unknown;
}

/** The operations recorded while one gradient is being computed. */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Node index of every Matrix computed from the inputs. */
  readonly ids: Map<Matrix, number> = new Map();
  /** Numbers read out of traced 1x1 results (by `sum`, `mean`, losses), with their node. */
  readonly scalars: { value: number; id: number }[] = [];

  /** Registers an input of the function being differentiated. */
  leaf(m: Matrix): number {
    const id = this.nodes.length;
    this.nodes.push({ op: null, args: [], inputIds: [], output: m, saved: 0 });
    this.ids.set(m, id);
    return id;
  }

  /**
   * Records an op whose result depends on at least one traced argument; ops
   * on constants only are not recorded.
   */
  record(
    op: TapeOp,
    args: readonly unknown[],
    output: Matrix,
    saved: unknown,
  ): void {
    let any = false;
    const inputIds = new Array<number>(args.length);
    for (let i = 0; i < args.length; i++) {
      const id = this.ids.get(args[i] as Matrix);
      inputIds[i] = id === undefined ? -1 : id;
      if (id !== undefined) any = true;
    }
    if (!any) return;
    const id = this.nodes.length;
    this.nodes.push({ op, args, inputIds, output, saved });
    this.ids.set(output, id);
  }

  /** Notes that `value` was read out of the traced 1x1 Matrix `m`. */
  scalar(m: Matrix, value: number): void {
    const id = this.ids.get(m);
    if (id !== undefined) this.scalars.push({ value, id });
  }
}

/** The tape of the gradient being computed, or null. */
export let activeTape: Tape | null = null;

/** Starts (a Tape) or stops (null) recording. */
export function setActiveTape(tape: Tape | null): void {
  activeTape = tape;
}
