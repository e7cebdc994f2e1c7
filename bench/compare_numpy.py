"""numpy's side of bench/compare.ts: prints one JSON object on stdout.

    python3 bench/compare_numpy.py info
    python3 bench/compare_numpy.py dot N SECONDS
    python3 bench/compare_numpy.py train STEPS REPEATS
    python3 bench/compare_numpy.py twolayer dense|sparse SECONDS
    python3 bench/compare_numpy.py convnet dense|sparse SECONDS
    python3 bench/compare_numpy.py elementwise add|mul|relu N SECONDS

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


# ---------------------------------------------------------------------------
# The networks of bench/_networks.ts, written as ゼロから作るDeep Learning
# writes them (ch. 5 TwoLayerNet, ch. 7 SimpleConvNet with im2col): samples
# as rows, layers with forward and backward, in-place SGD updates, a batch
# drawn with numpy.random.choice and fancy indexing every iteration.

SAMPLES = 1000
BATCH = 100
LEARNING_RATE = 0.1


def mnist_like(sparse):
    rng = numpy.random.default_rng(2 if sparse else 1)
    x = rng.random((SAMPLES, 784))
    if sparse:
        x[rng.random((SAMPLES, 784)) < 0.8] = 0
    t = numpy.zeros((SAMPLES, 10))
    t[numpy.arange(SAMPLES), rng.integers(0, 10, SAMPLES)] = 1
    return x, t


def softmax(x):
    x = x - numpy.max(x, axis=-1, keepdims=True)
    return numpy.exp(x) / numpy.sum(numpy.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -numpy.sum(numpy.log(y[numpy.arange(batch_size), t] + 1e-7)) / batch_size


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return numpy.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = numpy.dot(dout, self.W.T)
        self.dW = numpy.dot(self.x.T, dout)
        self.db = numpy.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        return (self.y - self.t) / batch_size


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    img = numpy.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], "constant")
    col = numpy.zeros((N, C, filter_h, filter_w, out_h, out_w))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = numpy.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = 1 + int((H + 2 * self.pad - FH) / self.stride)
        out_w = 1 + int((W + 2 * self.pad - FW) / self.stride)
        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T
        out = numpy.dot(col, col_W) + self.b
        out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)
        self.x, self.col, self.col_W = x, col, col_W
        return out

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = numpy.sum(dout, axis=0)
        self.dW = numpy.dot(self.col.T, dout)
        self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)
        dcol = numpy.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        arg_max = numpy.argmax(col, axis=1)
        out = numpy.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)
        self.x, self.arg_max = x, arg_max
        return out

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        pool_size = self.pool_h * self.pool_w
        dmax = numpy.zeros((dout.size, pool_size))
        dmax[numpy.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dmax = dmax.reshape(dout.shape + (pool_size,))
        dcol = dmax.reshape(dmax.shape[0] * dmax.shape[1] * dmax.shape[2], -1)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


class Net:
    """The book's network: layers in order, a loss layer, SGD in place."""

    def __init__(self, layers, params):
        self.layers, self.params = layers, params
        self.last = SoftmaxWithLoss()

    def iteration(self, x, t):
        for layer in self.layers:
            x = layer.forward(x)
        loss = self.last.forward(x, t)
        dout = self.last.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        for key, (layer, attr) in self.params.items():
            getattr(layer, attr)[...] -= LEARNING_RATE * getattr(layer, "d" + attr)
        return loss


def two_layer_net():
    rng = numpy.random.default_rng(0)
    a1 = Affine(0.01 * rng.standard_normal((784, 100)), numpy.zeros(100))
    a2 = Affine(0.01 * rng.standard_normal((100, 10)), numpy.zeros(10))
    params = {"W1": (a1, "W"), "b1": (a1, "b"), "W2": (a2, "W"), "b2": (a2, "b")}
    return Net([a1, Relu(), a2], params)


def simple_conv_net():
    rng = numpy.random.default_rng(0)
    conv = Convolution(0.01 * rng.standard_normal((30, 1, 5, 5)), numpy.zeros(30))
    a1 = Affine(0.01 * rng.standard_normal((30 * 12 * 12, 100)), numpy.zeros(100))
    a2 = Affine(0.01 * rng.standard_normal((100, 10)), numpy.zeros(10))
    params = {
        "W1": (conv, "W"), "b1": (conv, "b"),
        "W2": (a1, "W"), "b2": (a1, "b"),
        "W3": (a2, "W"), "b3": (a2, "b"),
    }
    return Net([conv, Relu(), Pooling(2, 2, 2), a1, Relu(), a2], params)


def best_of(f, seconds, inner=1):
    """Best seconds per call of f, over rounds filling `seconds`."""
    f()
    best = float("inf")
    deadline = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        for _ in range(inner):
            f()
        best = min(best, (time.perf_counter() - start) / inner)
        if time.perf_counter() > deadline:
            return best


def bench_network(kind, sparse, seconds):
    """Best seconds of one iteration: batch choice, forward, backward, update."""
    x_train, t_train = mnist_like(sparse)
    if kind == "convnet":
        x_train = x_train.reshape(-1, 1, 28, 28)
        net = simple_conv_net()
    else:
        net = two_layer_net()
    numpy.random.seed(0)

    def iteration():
        batch_mask = numpy.random.choice(SAMPLES, BATCH)
        net.iteration(x_train[batch_mask], t_train[batch_mask])

    return best_of(iteration, seconds)


def bench_elementwise(op, n, seconds):
    """Best seconds of a + b, a * b or numpy.maximum(a, 0) on n x n."""
    rng = numpy.random.default_rng(n)
    a = rng.random((n, n)) - 0.5
    b = rng.random((n, n)) - 0.5
    f = {
        "add": lambda: a + b,
        "mul": lambda: a * b,
        "relu": lambda: numpy.maximum(a, 0),
    }[op]
    return best_of(f, seconds, inner=max(1, int(1e7 / (n * n))))


def main(argv):
    mode = argv[1] if len(argv) > 1 else "info"
    if mode == "info":
        out = blas_info()
    elif mode == "dot":
        out = {"seconds": bench_dot(int(argv[2]), float(argv[3]))}
    elif mode == "train":
        seconds, loss = bench_train(int(argv[2]), int(argv[3]))
        out = {"seconds": seconds, "lastLoss": loss}
    elif mode in ("twolayer", "convnet"):
        out = {"seconds": bench_network(mode, argv[2] == "sparse", float(argv[3]))}
    elif mode == "elementwise":
        out = {"seconds": bench_elementwise(argv[2], int(argv[3]), float(argv[4]))}
    else:
        print(f"Unknown mode {mode!r}: use info, dot, train, twolayer, convnet or elementwise", file=sys.stderr)
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
