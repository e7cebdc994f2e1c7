// numpy's 2-D broadcasting for the elementwise ops: the result's shape, the
// operands' strides, and the reduction of a gradient back to an operand.
import { dataOf, fromData, type Matrix, shapeText } from "../core/_matrix.ts";

/** The broadcast length of one axis, or -1 when the axes don't broadcast. */
function axis(x: number, y: number): number {
  if (x === y || y === 1) return x;
  if (x === 1) return y;
  return -1;
}

/**
 * The broadcast shape of a and b, or a RangeError naming `fn` and the `verb`
 * (add, subtract, …) when the shapes do not broadcast.
 */
export function broadcastShape(
  a: Matrix,
  b: Matrix,
  fn: string,
  verb: string,
): [number, number] {
  const rows = axis(a.rows, b.rows);
  const cols = axis(a.cols, b.cols);
  if (rows < 0 || cols < 0) {
    throw new RangeError(
      `Cannot ${verb} ${shapeText(a)} and ${
        shapeText(b)
      } in ${fn}: shapes do not broadcast (each axis must match or be 1)`,
    );
  }
  return [rows, cols];
}

/** The strides that repeat a row or a column of `m` (0 on a length-1 axis). */
export function strides(m: Matrix): [number, number] {
  return [m.rows === 1 ? 0 : m.cols, m.cols === 1 ? 0 : 1];
}

/** Sums a rows x cols gradient down to the shape of the operand `m`. */
export function unbroadcast(
  g: Float64Array,
  rows: number,
  cols: number,
  m: Matrix,
): Matrix {
  const r = m.rows, c = m.cols;
  if (r === rows && c === cols) return fromData(r, c, g);
  const out = new Float64Array(r * c);
  for (let i = 0; i < rows; i++) {
    const oi = r === 1 ? 0 : i * c;
    for (let j = 0; j < cols; j++) {
      out[oi + (c === 1 ? 0 : j)] += g[i * cols + j];
    }
  }
  return fromData(r, c, out);
}

/** The entries of `m` broadcast to rows x cols (`m`'s own data if no need). */
export function broadcastTo(
  m: Matrix,
  rows: number,
  cols: number,
): Float64Array {
  const src = dataOf(m);
  if (m.rows === rows && m.cols === cols) return src;
  const [rs, cs] = strides(m);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = src[i * rs + j * cs];
  }
  return out;
}
