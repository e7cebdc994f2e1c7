"""numpy's side of bench/compare.ts: prints one JSON object on stdout.

    python3 bench/compare_numpy.py info
    python3 bench/compare_numpy.py dot N SECONDS
    python3 bench/compare_numpy.py train STEPS REPEATS

compare.ts runs this with OPENBLAS_NUM_THREADS=1 and with OPENBLAS_CORETYPE
and OPENBLAS_L2_SIZE removed from the environment.
"""
import ctypes
import glob
import json
import os
import sys
import time

import numpy


def blas_info():
    """numpy's version and the BLAS kernel (OpenBLAS core) it runs."""
    info = {"numpy": numpy.__version__, "blas": None, "core": None, "threads": None}
    try:
        from threadpoolctl import threadpool_info  # optional

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                info["blas"] = f"{pool.get('internal_api')} {pool.get('version')}"
                info["core"] = pool.get("architecture")
                info["threads"] = pool.get("num_threads")
                return info
    except ImportError:
        pass
    try:
        config = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["blas"] = f"{config.get('name')} {config.get('version')}"
    except Exception:  # numpy < 1.26 has no mode="dicts"
        pass
    # OpenBLAS names the kernel it picked at run time; ask it directly.
    here = os.path.dirname(numpy.__file__)
    libs = glob.glob(os.path.join(here, "..", "numpy.libs", "*openblas*"))
    libs += glob.glob(os.path.join(here, ".libs", "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                core = getattr(lib, f"{prefix}get_corename{suffix}", None)
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                if core is not None:
                    core.restype = ctypes.c_char_p
                    info["core"] = core().decode()
                    if threads is not None:
                        info["threads"] = threads()
                    return info
    return info


def bench_dot(n, seconds):
    """Best time of a.dot(b) for n x n float64 matrices, in seconds."""
    rng = numpy.random.default_rng(256)
    a = rng.random((n, n))
    b = rng.random((n, n))
    a.dot(b)
    best = float("inf")
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        reps = max(1, int(2e7 / n**3))
        start = time.perf_counter()
        for _ in range(reps):
            a.dot(b)
        best = min(best, (time.perf_counter() - start) / reps)
    return best


def bench_train(steps, repeats):
    """Best time of the article's training loop, `steps` steps, in seconds.

    The loop is the article's, word for word, except that the loss of every
    10th step is kept in a list instead of printed (the TypeScript side keeps
    the same history with logEvery: 10).
    """
    best = float("inf")
    last = None
    for _ in range(repeats):
        w = numpy.array([[0, 0.3, -0.8], [1, -1.2, 0.5]])
        x = numpy.array([[5], [2], [7]])
        b = numpy.array([[1.2], [3.4]])
        d = numpy.array([[1], [0]])
        learning_rate = 0.0001
        history = []
        start = time.perf_counter()
        for i in range(steps):
            y = w.dot(x)
            u = y + b
            Loss = numpy.sum((u - d) ** 2)
            if i % 10 == 0:
                history.append(Loss)
            gradient = 2 * (u - d) * x.T
            w = w - learning_rate * gradient
        best = min(best, time.perf_counter() - start)
        last = float(Loss)
    return best, last


def main(argv):
    mode = argv[1] if len(argv) > 1 else "info"
    if mode == "info":
        out = blas_info()
    elif mode == "dot":
        out = {"seconds": bench_dot(int(argv[2]), float(argv[3]))}
    elif mode == "train":
        seconds, loss = bench_train(int(argv[2]), int(argv[3]))
        out = {"seconds": seconds, "lastLoss": loss}
    else:
        print(f"Unknown mode {mode!r}: use info, dot or train", file=sys.stderr)
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
