// The WebAssembly matrix-product kernel (source: wasm/matmul.wat). Compiled
// on first use, synchronously (the module is about 1 KB); its memory grows
// as needed and is reused across calls. Inputs are copied in and the result
// is copied out into a fresh Float64Array, so no caller's array is ever
// written and no Matrix ever shares memory with the kernel.
import { WASM_MATMUL_BASE64 } from "./_wasm_matmul_bytes.ts";

interface Kernel {
  readonly memory: WebAssembly.Memory;
  readonly matmul: (
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    ap: number,
    bp: number,
    scratch: number,
    rsA: number,
    csA: number,
    rsB: number,
    csB: number,
  ) => void;
}

/** undefined: not tried yet; null: this engine cannot run the kernel. */
let kernel: Kernel | null | undefined;
let view: Float64Array = new Float64Array(0);

const PAGE = 65536;
/** Stay well inside i32 addressing; larger products use the TS kernel. */
const MAX_BYTES = 2 ** 31 - PAGE;

function load(): Kernel | null {
  try {
    const text = atob(WASM_MATMUL_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const instance = new WebAssembly.Instance(
      new WebAssembly.Module(bytes),
      {},
    );
    const exports = instance.exports as unknown as Kernel;
    return { memory: exports.memory, matmul: exports.matmul };
  } catch {
    // No WebAssembly, or no (relaxed) SIMD in this engine.
    return null;
  }
}

/** Whether the WebAssembly kernel can run here (compiles it if needed). */
export function wasmAvailable(): boolean {
  if (kernel === undefined) kernel = load();
  return kernel !== null;
}

/** Rounds a count of doubles up to an even number (16-byte alignment). */
function even(count: number): number {
  return count + (count & 1);
}

/**
 * C = A·B (m x k by k x n, row-major) with the WebAssembly kernel, using
 * fused multiply-add, into a fresh array. With `transA`, `a` holds Aᵀ
 * (k x m); with `transB`, `b` holds Bᵀ (n x k). Returns null when the kernel
 * cannot run here or the operands don't fit its memory; the caller then
 * uses the TypeScript kernel. Requires m, k, n ≥ 1.
 */
export function matmulWasm(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array | null {
  if (!wasmAvailable()) return null;
  const w = kernel as Kernel;
  // Regions, in doubles: a, b, c, packed a (each entry twice), packed b,
  // and a 3x6 scratch tile (see wasm/matmul.wat).
  const aAt = 0;
  const bAt = aAt + even(m * k);
  const cAt = bAt + even(k * n);
  const apAt = cAt + even(m * n);
  const bpAt = apAt + 2 * Math.ceil(m / 3) * 3 * k;
  const scratchAt = bpAt + Math.ceil(n / 6) * 6 * k;
  const bytes = (scratchAt + 18) * 8;
  if (bytes > MAX_BYTES) return null;
  const have = w.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      w.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null;
    }
  }
  if (view.buffer !== w.memory.buffer) view = new Float64Array(w.memory.buffer);
  view.set(a, aAt);
  view.set(b, bAt);
  w.matmul(
    aAt * 8,
    bAt * 8,
    cAt * 8,
    m,
    k,
    n,
    apAt * 8,
    bpAt * 8,
    scratchAt * 8,
    transA ? 1 : k,
    transA ? m : 1,
    transB ? 1 : n,
    transB ? k : 1,
  );
  return view.slice(cAt, cAt + m * n);
}
