"""How fast is the from-scratch LSTM? Benchmarks against Keras and torch.nn.LSTM, measured in one run.

    python benchmarks/run.py            # everything (about 10 minutes: the Keras run is the long part)
    python benchmarks/run.py --quick    # a reduced run (about a minute)
    python benchmarks/run.py --tiny     # seconds: what the test suite runs

Every contender runs in the same process, with the same dtype and the same
number of threads; each time is the median of repeats. The script prints
markdown tables:

1. LSTM forward + full BPTT, NumPy vs torch.nn.LSTM with autograd, at four shapes
   and two dtypes (ratio = torch time / NumPy time; above 1 means NumPy is faster).
2. The classic training run (989 windows, batch size 1, Adam): NumPy ``fit`` vs
   Keras ``model.fit`` on the torch backend, wall time and final loss.
3. Efficiency at the largest shape: the NumPy LSTM's GFLOP/s as a share of
   ``numpy.matmul``'s GFLOP/s on matrices of the same sizes.
4. Memory: peak memory of BPTT against sequence length, full and truncated.
5. The book (with ``--book``): clean build time and no-change rebuild time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def set_threads(threads: int) -> None:
    """Same thread count for every contender: set before NumPy and torch start their pools."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)


def median_time(fn: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_lstm(shapes: list[tuple[int, int, int, int]], repeats: int) -> list[dict[str, object]]:
    import numpy as np
    import torch

    from lstm_tutorial.interop import to_torch
    from lstm_tutorial.lstm import LSTMParams, lstm_backward, lstm_forward

    rows = []
    for shape in shapes:
        batch, steps, inputs, hidden = shape
        for dtype in (np.float32, np.float64):
            params = LSTMParams.init(inputs, hidden, seed=0, dtype=dtype)
            rng = np.random.default_rng(0)
            x = rng.normal(size=(batch, steps, inputs)).astype(dtype)
            dhs = rng.normal(size=(batch, steps, hidden)).astype(dtype)

            def numpy_step() -> None:
                _, cache = lstm_forward(x, params)
                lstm_backward(dhs, cache)

            module = to_torch(params)
            x_torch, dhs_torch = torch.from_numpy(x), torch.from_numpy(dhs)

            def torch_step() -> None:
                module.zero_grad(set_to_none=True)
                out, _ = module(x_torch)
                out.backward(dhs_torch)

            n = repeats if batch * steps * hidden < 100_000 else max(3, repeats // 20)
            t_numpy = median_time(numpy_step, n)
            t_torch = median_time(torch_step, n)
            rows.append(
                {
                    "shape": shape,
                    "dtype": np.dtype(dtype).name,
                    "numpy_ms": 1e3 * t_numpy,
                    "torch_ms": 1e3 * t_torch,
                    "ratio": t_torch / t_numpy,
                }
            )
    return rows


def lstm_flops(batch: int, steps: int, inputs: int, hidden: int) -> float:
    """Matrix-product FLOPs of one forward + full BPTT (2 per multiply-add)."""
    input_proj = 2 * batch * steps * inputs * 4 * hidden  # x W, forward
    recurrent = 2 * batch * steps * hidden * 4 * hidden  # h U, forward
    # backward: dz U^T (recurrent), dU, dW, dx
    return input_proj + recurrent + recurrent + recurrent + input_proj + input_proj


def bench_efficiency(shape: tuple[int, int, int, int], repeats: int) -> dict[str, float]:
    import numpy as np

    from lstm_tutorial.lstm import LSTMParams, lstm_backward, lstm_forward

    batch, steps, inputs, hidden = shape
    dtype = np.float32
    params = LSTMParams.init(inputs, hidden, seed=0, dtype=dtype)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, steps, inputs)).astype(dtype)
    dhs = rng.normal(size=(batch, steps, hidden)).astype(dtype)

    def lstm_step() -> None:
        _, cache = lstm_forward(x, params)
        lstm_backward(dhs, cache)

    # The same matrix products, alone: what numpy.matmul achieves on these sizes.
    h = rng.normal(size=(batch, hidden)).astype(dtype)
    dz = rng.normal(size=(batch, 4 * hidden)).astype(dtype)
    x_flat = x.reshape(-1, inputs)
    dz_flat = rng.normal(size=(batch * steps, 4 * hidden)).astype(dtype)
    h_flat = rng.normal(size=(batch * steps, hidden)).astype(dtype)
    U, U_T, W = params.U, np.ascontiguousarray(params.U.T), params.W

    def matmuls_only() -> None:
        _ = x_flat @ W
        for _ in range(steps):
            _ = h @ U
        for _ in range(steps):
            _ = dz @ U_T
        _ = h_flat.T @ dz_flat
        _ = x_flat.T @ dz_flat
        _ = dz_flat @ W.T

    flops = lstm_flops(*shape)
    t_lstm = median_time(lstm_step, repeats)
    t_matmul = median_time(matmuls_only, repeats)
    return {
        "gflops_lstm": flops / t_lstm / 1e9,
        "gflops_matmul": flops / t_matmul / 1e9,
        "share": t_matmul / t_lstm,
    }


def bench_training(epochs: int, keras_epochs: int) -> list[dict[str, object]]:
    import numpy as np

    from lstm_tutorial.data import make_windows, sine_wave
    from lstm_tutorial.keras_model import build_sine_model
    from lstm_tutorial.model import LSTMRegressor
    from lstm_tutorial.train import fit

    x, y = make_windows(sine_wave(dtype=np.float32), 10)
    model = LSTMRegressor.init(1, 4, seed=0, dtype=np.float32)
    start = time.perf_counter()
    history = fit(model, x, y, epochs=epochs, batch_size=1, seed=0, verbose=0)
    t_numpy = time.perf_counter() - start

    keras_model = build_sine_model(seed=0)
    start = time.perf_counter()
    result = keras_model.fit(x, y, epochs=keras_epochs, batch_size=1, verbose=0)
    t_keras = time.perf_counter() - start
    per_epoch_numpy, per_epoch_keras = t_numpy / epochs, t_keras / keras_epochs
    return [
        {
            "impl": "NumPy fit",
            "epochs": epochs,
            "seconds": t_numpy,
            "per_epoch": per_epoch_numpy,
            "final_loss": history.loss[-1],
        },
        {
            "impl": "Keras model.fit (torch backend)",
            "epochs": keras_epochs,
            "seconds": t_keras,
            "per_epoch": per_epoch_keras,
            "final_loss": float(result.history["loss"][-1]),
        },
    ]


def bench_memory(lengths: list[int], truncate: int) -> list[dict[str, object]]:
    import numpy as np

    from lstm_tutorial import lstm

    params = lstm.LSTMParams.init(32, 128, seed=0, dtype=np.float32)
    rows = []
    for steps in lengths:
        rng = np.random.default_rng(0)
        x = rng.normal(size=(16, steps, 32)).astype(np.float32)
        dhs = rng.normal(size=(16, steps, 128)).astype(np.float32)

        def full() -> None:
            _, cache = lstm.lstm_forward(x, params)
            lstm.lstm_backward(dhs, cache)

        peaks = {"full": _peak_bytes(full)}
        tbptt = getattr(lstm, "lstm_tbptt_grads", None)
        if tbptt is not None:
            peaks["truncated"] = _peak_bytes(lambda: tbptt(x, params, dhs, truncate))
        rows.append({"steps": steps, **{k: v / 2**20 for k, v in peaks.items()}})
    return rows


def _peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def bench_book() -> dict[str, float]:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as out:
        command = [
            str(jupyter_book),
            "build",
            str(ROOT),
            "--path-output",
            out,
            "--warningiserror",
            "--keep-going",
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        clean = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        rebuild = time.perf_counter() - start
    return {"clean_s": clean, "rebuild_s": rebuild}


def table(rows: list[dict[str, object]], columns: list[tuple[str, str, str]]) -> str:
    """A markdown table; columns are (key, header, format)."""
    lines = ["| " + " | ".join(h for _, h, _ in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append(
            "| " + " | ".join(format(row[k], f) if k in row else "n/a" for k, _, f in columns) + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="reduced repeats and epochs")
    size.add_argument("--tiny", action="store_true", help="a few seconds, for the test suite")
    parser.add_argument("--book", action="store_true", help="also time a clean book build and a rebuild")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    set_threads(args.threads)
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)

    if args.tiny:
        shapes, repeats, epochs, keras_epochs = [(1, 10, 1, 4), (4, 5, 2, 8)], 3, 1, 1
        big, lengths = (4, 5, 2, 8), [10, 20]
    elif args.quick:
        shapes, repeats, epochs, keras_epochs = [(1, 10, 1, 4), (32, 10, 1, 4), (64, 50, 32, 128)], 50, 10, 2
        big, lengths = (64, 50, 32, 128), [25, 50, 100, 200]
    else:
        shapes = [(1, 10, 1, 4), (32, 10, 1, 4), (64, 50, 32, 128), (128, 100, 64, 256)]
        repeats, epochs, keras_epochs = 200, 100, 100
        big, lengths = (128, 100, 64, 256), [50, 100, 200, 400, 800]

    print(f"# Benchmarks: NumPy {np.__version__}, torch {torch.__version__}, {args.threads} threads\n")
    print("## 1. LSTM forward + full BPTT (median ms; ratio = torch / NumPy, > 1 means NumPy is faster)\n")
    rows = bench_lstm(shapes, repeats)
    print(
        table(
            rows,
            [
                ("shape", "(B, T, D, H)", ""),
                ("dtype", "dtype", ""),
                ("numpy_ms", "NumPy ms", ".3f"),
                ("torch_ms", "torch ms", ".3f"),
                ("ratio", "torch / NumPy", ".2f"),
            ],
        )
    )
    print(
        f"\n## 2. The classic training run (989 windows, batch size 1, Adam; Keras {keras_epochs} epochs)\n"
    )
    training = bench_training(epochs, keras_epochs)
    print(
        table(
            training,
            [
                ("impl", "implementation", ""),
                ("epochs", "epochs", "d"),
                ("seconds", "seconds", ".1f"),
                ("per_epoch", "s / epoch", ".3f"),
                ("final_loss", "final loss", ".2e"),
            ],
        )
    )
    speedup = training[1]["per_epoch"] / training[0]["per_epoch"]  # type: ignore[operator]
    print(f"\nNumPy is {speedup:.1f}x faster per epoch.")
    print(f"\n## 3. Efficiency at {big}, float32\n")
    eff = bench_efficiency(big, max(3, repeats // 20))
    print(
        f"NumPy LSTM: {eff['gflops_lstm']:.1f} GFLOP/s; the same products in numpy.matmul alone: "
        f"{eff['gflops_matmul']:.1f} GFLOP/s; share: {100 * eff['share']:.0f}%"
    )
    print("\n## 4. Peak memory of BPTT (MiB, tracemalloc), batch 16, D 32, H 128, float32, truncate 25\n")
    memory = bench_memory(lengths, truncate=25)
    print(
        table(memory, [("steps", "T", "d"), ("full", "full BPTT", ".1f"), ("truncated", "truncated", ".1f")])
    )
    if args.book:
        print("\n## 5. The book\n")
        book = bench_book()
        print(f"clean build: {book['clean_s']:.0f} s; no-change rebuild: {book['rebuild_s']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
