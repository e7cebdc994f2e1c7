// The tape that records differentiable operations while `grad` runs a
// function. Outside `grad` no tape is active and every op pays one null check:
// `if (activeTape !== null) activeTape.record(...)`, with no array or closure
// allocated. The vector-Jacobian rules live in autodiff.ts, keyed by `op`.
import type { Matrix } from "./_matrix.ts";

/** One recorded operation. */
export interface TapeNode {
  /** The op's name, the key of its vector-Jacobian rule ("leaf" for inputs). */
  readonly op: string;
  /** The op's Matrix arguments. */
  readonly inputs: readonly Matrix[];
  /** The tape index of each input's node, or -1 for a constant. */
  readonly inputIds: readonly number[];
  /** The op's result. */
  readonly output: Matrix | number;
  /** A number the rule needs (an axis, a scale factor), if any. */
  readonly aux: number;
}

/** The operations recorded while one gradient is being computed. */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Node index of every Matrix computed from the inputs. */
  readonly ids: Map<Matrix, number> = new Map();
  /** Node indices of ops that returned a number, in order. */
  readonly scalars: number[] = [];

  /** Registers an input of the function being differentiated. */
  leaf(m: Matrix): number {
    const id = this.nodes.length;
    this.nodes.push({
      op: "leaf",
      inputs: [],
      inputIds: [],
      output: m,
      aux: 0,
    });
    this.ids.set(m, id);
    return id;
  }

  /** Whether `m` was computed from the inputs (so it needs a gradient). */
  tracks(m: Matrix): boolean {
    return this.ids.has(m);
  }

  /**
   * Records an op whose result depends on at least one tracked input; ops on
   * constants only are not recorded.
   */
  record(
    op: string,
    inputs: readonly Matrix[],
    output: Matrix | number,
    aux = 0,
  ): void {
    let any = false;
    const inputIds = inputs.map((m) => {
      const id = this.ids.get(m);
      if (id === undefined) return -1;
      any = true;
      return id;
    });
    if (!any) return;
    const id = this.nodes.length;
    this.nodes.push({ op, inputs, inputIds, output, aux });
    if (typeof output === "number") this.scalars.push(id);
    else this.ids.set(output, id);
  }
}

/** The tape of the gradient being computed, or null. */
export let activeTape: Tape | null = null;

/** Starts (a Tape) or stops (null) recording. */
export function setActiveTape(tape: Tape | null): void {
  activeTape = tape;
}
