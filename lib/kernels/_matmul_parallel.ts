// The two-core matrix product: the rows of C split between this thread and
// one Worker, both running the WebAssembly kernel of wasm/matmul.wat (its
// shared-memory variant) over one shared WebAssembly memory. Each entry of C
// is the same chain of fused multiply-adds whichever thread computes it, so
// the result is bit for bit the single-thread one.
//
// The Worker is a web Worker whose code is a Blob URL made here: it needs no
// permission, and works the same when this module is imported by an http URL.
// A web Worker keeps the process alive while it runs, so it closes itself
// after IDLE_MS without work: a program exits at most that long after its
// last large product. The Worker starts on the first large product (and
// again on the next one after it has closed) and takes work once it has said
// it is ready; until then, or when it cannot be started at all, products run
// on one thread. `dot` stays synchronous: this thread computes its half,
// then waits for the Worker's with Atomics.wait.
import { WASM_MATMUL_SHARED_BASE64 } from "./_wasm_matmul_bytes.ts";

/** Products with fewer multiply-adds (m·k·n) than this stay on one thread. */
export const PARALLEL_LIMIT = 2 ** 21;

type MatmulFn = (
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

// The control block, Int32 slots at the start of the shared memory.
const READY = 0; // 1 once the Worker has instantiated the kernel
const STATE = 1; // the job's state, below
const HOLD = 2; // 1 while tests hold the Worker back (holdWorker)
const HALVES = 3; // how many halves the Worker has done (workerHalves)
const IDLE = 4; // ms without a job after which the Worker closes
const ARGS = 5; // 13 slots: the kernel's arguments for the Worker's half
const SLOTS = ARGS + 13;
/** Bytes reserved for the control block (a multiple of 16). */
const HEADER = 128;

const FREE = 0, POSTED = 1, TAKEN = 2, DONE = 3, CANCELLED = 4, CLOSED = 5;

/** How long the Worker waits for work before it closes itself, in ms. */
export const IDLE_MS = 200;
let idleMs = IDLE_MS;

/**
 * How long, once this thread's half is done, to wait for the Worker to take
 * its half before doing it here. 0: a Worker that has not started by then
 * has no free core (on a busy machine it may not run for milliseconds), and
 * waiting for it would make the product slower than on one thread.
 */
let takeTimeoutMs = 0;

/**
 * After a half the Worker did not take, the next products skip the Worker:
 * 1, 2, 4, … up to MAX_SKIP of them, so that a machine with no free core
 * pays for the attempt (B packed twice: about 5-10% of a 100x784x100
 * product) only now and then.
 */
const MAX_SKIP = 64;
let misses = 0;
let skip = 0;

/**
 * Sets how long a product waits for the Worker to take its half before doing
 * it on this thread (default 0 ms); tests set a long wait to make sure the
 * Worker takes it.
 */
export function setTakeTimeout(ms: number): void {
  takeTimeoutMs = ms;
}

const PAGE = 65536;
const MAX_PAGES = 32767;
const MAX_BYTES = MAX_PAGES * PAGE;

// The Worker: instantiate the kernel over the shared memory, say so, then
// take jobs, blocking in Atomics.wait between them (never spinning). After
// IDLE_MS with no job it turns the state from FREE to CLOSED, which no job
// can then be posted over, and closes, so that it does not keep the process
// alive.
const WORKER_SOURCE = `
self.onmessage = ({ data: { memory, module } }) => {
  const { matmul } = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ctl = new Int32Array(memory.buffer, 0, ${SLOTS});
  Atomics.store(ctl, ${READY}, 1);
  let since = performance.now();
  for (;;) {
    const state = Atomics.load(ctl, ${STATE});
    if (state !== ${POSTED} || Atomics.load(ctl, ${HOLD}) === 1) {
      const left = since + Atomics.load(ctl, ${IDLE}) - performance.now();
      if (left <= 0) {
        if (Atomics.compareExchange(ctl, ${STATE}, ${FREE}, ${CLOSED}) === ${FREE}) break;
        since = performance.now();
        continue;
      }
      Atomics.wait(ctl, ${STATE}, state, left);
      continue;
    }
    if (Atomics.compareExchange(ctl, ${STATE}, ${POSTED}, ${TAKEN}) !== ${POSTED}) continue;
    const x = ctl.slice(${ARGS}, ${ARGS + 13});
    matmul(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9], x[10], x[11], x[12]);
    Atomics.add(ctl, ${HALVES}, 1);
    Atomics.store(ctl, ${STATE}, ${DONE});
    Atomics.notify(ctl, ${STATE});
    since = performance.now();
  }
  self.close();
};
`;

interface Pool {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly matmul: MatmulFn;
  readonly ctl: Int32Array;
}

/** undefined: not tried yet; null: no second thread here (or disabled). */
let pool: Pool | null | undefined;
let enabled = true;
let view: Float64Array<ArrayBufferLike> = new Float64Array(0);

/** Starts a Worker over the pool's memory; false when none can start here. */
function spawn(p: Pool): boolean {
  try {
    const url = URL.createObjectURL(
      new Blob([WORKER_SOURCE], { type: "text/javascript" }),
    );
    try {
      const worker = new Worker(url, { type: "module" });
      // A Worker that fails is only noted: its jobs are cancelled and done
      // on this thread, and the next product starts another.
      worker.onerror = (event) => {
        event.preventDefault();
        Atomics.store(p.ctl, READY, 0);
        Atomics.store(p.ctl, STATE, CLOSED);
      };
      Atomics.store(p.ctl, READY, 0);
      Atomics.store(p.ctl, IDLE, idleMs);
      Atomics.store(p.ctl, STATE, FREE);
      worker.postMessage({ memory: p.memory, module: p.module });
    } finally {
      URL.revokeObjectURL(url);
    }
    return true;
  } catch {
    return false;
  }
}

function start(): Pool | null {
  try {
    const text = atob(WASM_MATMUL_SHARED_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({
      initial: 1,
      maximum: MAX_PAGES,
      shared: true,
    });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const p: Pool = {
      memory,
      module,
      matmul: instance.exports.matmul as unknown as MatmulFn,
      ctl: new Int32Array(memory.buffer, 0, SLOTS),
    };
    return spawn(p) ? p : null;
  } catch {
    // No SharedArrayBuffer, no threads, no Worker: one thread it is.
    return null;
  }
}

/**
 * The Worker's state, for tests and diagnostics: `"none"` before the first
 * large product or where no Worker can start, `"starting"` until it has said
 * it is ready, `"ready"`, or `"closed"` once it has closed itself when idle.
 */
export function workerState(): "none" | "starting" | "ready" | "closed" {
  if (pool === undefined || pool === null) return "none";
  if (Atomics.load(pool.ctl, STATE) === CLOSED) return "closed";
  return Atomics.load(pool.ctl, READY) === 1 ? "ready" : "starting";
}

/**
 * How many halves the Worker has done since the first large product; 0
 * where no Worker runs. For tests: whether a product was split.
 */
export function workerHalves(): number {
  return pool === undefined || pool === null
    ? 0
    : Atomics.load(pool.ctl, HALVES);
}

/**
 * Holds the Worker back (for tests): while held, it takes no job, as on a
 * machine with no free core, so that products take the path of a half it
 * has not taken.
 */
export function holdWorker(on: boolean): void {
  if (pool !== undefined && pool !== null) {
    Atomics.store(pool.ctl, HOLD, on ? 1 : 0);
    Atomics.notify(pool.ctl, STATE);
  }
}

/**
 * Sets how long the Worker waits without work before it closes itself
 * (default IDLE_MS); tests that pause between products set it long.
 */
export function setIdleTimeout(ms: number): void {
  idleMs = ms;
  if (pool !== undefined && pool !== null) {
    Atomics.store(pool.ctl, IDLE, ms);
    // Wake the Worker so that it measures its wait again.
    Atomics.notify(pool.ctl, STATE);
  }
}

/**
 * Turns the two-core product on or off (for tests and measurements), and
 * forgets the Worker's misses; off, every product runs on one thread, as
 * where no Worker can start.
 */
export function setParallel(on: boolean): void {
  enabled = on;
  misses = 0;
  skip = 0;
}

/**
 * Whether the Worker is running and ready for work; starts it if needed. A
 * product asked for before it is ready runs on one thread.
 */
export function parallelReady(): boolean {
  if (!enabled) return false;
  if (pool === undefined) pool = start();
  if (pool === null) return false;
  if (Atomics.load(pool.ctl, STATE) === CLOSED && !spawn(pool)) pool = null;
  return pool !== null && Atomics.load(pool.ctl, READY) === 1;
}

/** Rounds a count of doubles up to an even number (16-byte alignment). */
function even(count: number): number {
  return count + (count & 1);
}

/**
 * C = A·B as `matmulWasm` computes it (same arguments), with the rows of C
 * split between this thread and the Worker. Returns null when the product is
 * too small to split, the Worker is not ready, or the operands don't fit;
 * the caller then computes it on one thread.
 */
export function matmulParallel(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
): Float64Array | null {
  if (m * k * n < PARALLEL_LIMIT || m < 6 || !parallelReady()) return null;
  if (skip > 0) {
    skip--;
    return null;
  }
  const p = pool as Pool;
  // This thread takes the first m0 rows (a multiple of 3, the kernel's
  // panel height), the Worker the other m1.
  const m0 = 3 * Math.ceil(m / 6), m1 = m - m0;
  const panelB = Math.ceil(n / 6) * 6 * k;
  // Regions, in doubles, after the control block: a, b, c, then for each
  // thread its packed A, packed B and scratch tile (see wasm/matmul.wat).
  const aAt = HEADER / 8;
  const bAt = aAt + even(m * k);
  const cAt = bAt + even(k * n);
  const ap0 = cAt + even(m * n);
  const bp0 = ap0 + 2 * Math.ceil(m0 / 3) * 3 * k;
  const s0 = bp0 + panelB;
  const ap1 = s0 + 18;
  const bp1 = ap1 + 2 * Math.ceil(m1 / 3) * 3 * k;
  const s1 = bp1 + panelB;
  const bytes = (s1 + 18) * 8;
  if (bytes > MAX_BYTES) return null;
  const have = p.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      p.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null;
    }
  }
  // A shared memory's buffer is a new object after it grows.
  if (view.buffer !== p.memory.buffer) {
    view = new Float64Array(p.memory.buffer);
  }
  view.set(a, aAt);
  view.set(b, bAt);
  const rsA = transA ? 1 : k, csA = transA ? m : 1;
  const rsB = transB ? 1 : n, csB = transB ? k : 1;
  // Row m0 of A, and of C, for the Worker.
  const a1 = (aAt + m0 * rsA) * 8;
  const args = [
    a1,
    bAt * 8,
    (cAt + m0 * n) * 8,
    m1,
    k,
    n,
    ap1 * 8,
    bp1 * 8,
    s1 * 8,
    rsA,
    csA,
    rsB,
    csB,
  ];
  const ctl = p.ctl;
  for (let i = 0; i < 13; i++) ctl[ARGS + i] = args[i];
  // Fails only when the Worker has just closed: one thread this time, and
  // the next product starts another Worker.
  if (Atomics.compareExchange(ctl, STATE, FREE, POSTED) !== FREE) return null;
  Atomics.notify(ctl, STATE);
  p.matmul(
    aAt * 8,
    bAt * 8,
    cAt * 8,
    m0,
    k,
    n,
    ap0 * 8,
    bp0 * 8,
    s0 * 8,
    rsA,
    csA,
    rsB,
    csB,
  );
  if (awaitHalf(p, args)) {
    misses = 0;
  } else {
    skip = Math.min(2 ** misses, MAX_SKIP);
    misses++;
  }
  Atomics.store(ctl, STATE, FREE);
  return view.slice(cAt, cAt + m * n) as Float64Array<ArrayBuffer>;
}

/**
 * Waits for the Worker's half; whether the Worker did it. If the Worker has
 * not taken the job within takeTimeoutMs (no free core, or the Worker is
 * gone), the job is cancelled and done here; once taken, the Worker
 * finishes it.
 */
function awaitHalf(p: Pool, args: number[]): boolean {
  const ctl = p.ctl;
  const deadline = performance.now() + takeTimeoutMs;
  for (;;) {
    const state = Atomics.load(ctl, STATE);
    if (state === DONE) return true;
    if (state === TAKEN) {
      Atomics.wait(ctl, STATE, TAKEN);
      continue;
    }
    // POSTED: not taken yet.
    const left = deadline - performance.now();
    if (left <= 0) {
      if (
        Atomics.compareExchange(ctl, STATE, POSTED, CANCELLED) === POSTED
      ) {
        p.matmul(
          args[0],
          args[1],
          args[2],
          args[3],
          args[4],
          args[5],
          args[6],
          args[7],
          args[8],
          args[9],
          args[10],
          args[11],
          args[12],
        );
        return false;
      }
      continue;
    }
    Atomics.wait(ctl, STATE, POSTED, left);
  }
}
