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
3. Efficiency at the largest shape and at a layer of the language model of table 5:
   the NumPy LSTM's GFLOP/s (forward + full BPTT) as a share of ``numpy.matmul``'s
   GFLOP/s on matrices of the same sizes.
4. Memory: peak memory of BPTT against sequence length, full and truncated.
5. The character language model (``language.char_model``, 1 and 2 LSTM layers): one
   training step (forward + BPTT + Adam with clipping) in characters per second, NumPy
   vs the same model in Keras on the torch backend vs a torch.nn.LSTM loop, and the
   NumPy step's GFLOP/s as a share of ``numpy.matmul``'s on the same products (measure
   it with ``--threads 1``), and what a float32 tanh and a multiply cost on this machine.
6. The same training step at chapter 10's larger shape (E 32, H 256, V 100, T 64, B 32
   and 64), at one and at two BLAS threads: NumPy, torch and Keras milliseconds, their
   ratios and the share of matmul's GFLOP/s, each thread count measured in a fresh
   interpreter (BLAS sizes its thread pool when it starts; ``--threads`` does not apply).
7. The book (with ``--book``): clean build time and no-change rebuild time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_10 = {"steps": 64, "vocab": 100, "embed": 32, "hidden": 256}
"""Table 6's shape: the character language model of chapter 10 (B is given per row)."""


def set_threads(threads: int) -> None:
    """Same thread count for every contender: set before NumPy and torch start their pools."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)


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


def large_language_model(
    thread_counts: list[int], repeats: int, shape: dict[str, int], batches: list[int]
) -> list[dict[str, object]]:
    """Table 6: one row per batch size and thread count, each thread count in its own interpreter
    (this script with ``--large-rows``), with the load average before and after it."""
    rows: list[dict[str, object]] = []
    for threads in thread_counts:
        spec = {"repeats": repeats, "batches": batches, **shape}
        command = [sys.executable, __file__, "--threads", str(threads), "--large-rows", json.dumps(spec)]
        before = os.getloadavg()[0]
        result = subprocess.run(command, check=True, capture_output=True, text=True)
        after = os.getloadavg()[0]
        for row in json.loads(result.stdout.strip().splitlines()[-1]):
            rows.append({**row, "threads": threads, "load": f"{before:.1f} -> {after:.1f}"})
    return rows


def large_rows(spec: dict[str, Any]) -> list[dict[str, object]]:
    """``--large-rows``: table 6's rows at this process's thread count (``--threads``)."""
    from lstm_tutorial.book.benchmark import bench_language_model

    shape = {key: spec[key] for key in ("steps", "vocab", "embed", "hidden")}
    rows = []
    for batch in spec["batches"]:
        (row,) = bench_language_model([1], spec["repeats"], batch=batch, **shape)
        rows.append({**row, "batch": batch})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="reduced repeats and epochs")
    size.add_argument("--tiny", action="store_true", help="a few seconds, for the test suite")
    parser.add_argument("--book", action="store_true", help="also time a clean book build and a rebuild")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--large-rows", help=argparse.SUPPRESS)  # table 6's child process
    args = parser.parse_args(argv)
    set_threads(args.threads)
    if args.large_rows:
        import torch

        torch.set_num_threads(args.threads)
        print(json.dumps(large_rows(json.loads(args.large_rows)), default=str))
        return 0
    import numpy as np
    import torch

    from lstm_tutorial.book.benchmark import (
        bench_efficiency,
        bench_language_model,
        bench_lstm,
        bench_memory,
        bench_training,
    )
    from lstm_tutorial.book.timing import elementwise_costs, table

    torch.set_num_threads(args.threads)

    if args.tiny:
        shapes, repeats, epochs, keras_epochs = [(1, 10, 1, 4), (4, 5, 2, 8)], 3, 1, 1
        big, lengths = (4, 5, 2, 8), [10, 20]
        lm_layers, lm_repeats, lm_shape = [1], 2, {"batch": 8, "steps": 16, "hidden": 32}
        large, large_repeats, large_batches = {"steps": 16, "vocab": 100, "embed": 32, "hidden": 32}, 2, [8]
    elif args.quick:
        shapes, repeats, epochs, keras_epochs = [(1, 10, 1, 4), (32, 10, 1, 4), (64, 50, 32, 128)], 50, 10, 2
        big, lengths = (64, 50, 32, 128), [25, 50, 100, 200]
        lm_layers, lm_repeats, lm_shape = [1, 2], 10, {}
        large, large_repeats, large_batches = CHAPTER_10, 10, [32]
    else:
        shapes = [(1, 10, 1, 4), (32, 10, 1, 4), (64, 50, 32, 128), (128, 100, 64, 256)]
        repeats, epochs, keras_epochs = 200, 100, 100
        big, lengths = (128, 100, 64, 256), [50, 100, 200, 400, 800]
        lm_layers, lm_repeats, lm_shape = [1, 2], 30, {}
        large, large_repeats, large_batches = CHAPTER_10, 30, [32, 64]

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
    # The language model of table 5 (bench_language_model's defaults unless lm_shape says
    # otherwise); one of its layers takes the embedding (32) in and gives its hidden size out.
    batch, steps, hidden = (lm_shape.get(k, v) for k, v in (("batch", 32), ("steps", 64), ("hidden", 128)))
    lm_layer = (batch, steps, 32, hidden)
    print("\n## 3. Efficiency: one LSTM layer's forward + full BPTT, float32, against the same products\n")
    for label, shape in (
        (f"{big}, the largest shape", big),
        (f"{lm_layer}, a layer of table 5's model", lm_layer),
    ):
        eff = bench_efficiency(shape, max(3, repeats // 20))
        print(
            f"- {label}: NumPy LSTM {eff['gflops_lstm']:.1f} GFLOP/s; the same products in "
            f"numpy.matmul alone {eff['gflops_matmul']:.1f} GFLOP/s; share: {100 * eff['share']:.3g}%"
        )
    print("\n## 4. Peak memory of BPTT (MiB, tracemalloc), batch 16, D 32, H 128, float32, truncate 25\n")
    memory = bench_memory(lengths, truncate=25)
    print(
        table(memory, [("steps", "T", "d"), ("full", "full BPTT", ".1f"), ("truncated", "truncated", ".1f")])
    )
    lm = bench_language_model(lm_layers, lm_repeats, **lm_shape)
    print(
        f"\n## 5. Character language model, one training step (B {batch}, T {steps}, V 97, E 32, "
        f"H {hidden}, float32, Adam + clipping; characters per second; ratio = time / NumPy time, "
        "> 1 means NumPy is faster)\n"
    )
    print(
        table(
            lm,
            [
                ("layers", "LSTM layers", "d"),
                ("numpy_cps", "NumPy chars/s", ".0f"),
                ("keras_cps", "Keras chars/s", ".0f"),
                ("torch_cps", "torch chars/s", ".0f"),
                ("numpy_ms", "NumPy ms", ".1f"),
                ("keras_ratio", "Keras / NumPy", ".2f"),
                ("torch_ratio", "torch / NumPy", ".2f"),
                ("gflops", "NumPy GFLOP/s", ".2f"),
                ("share", "share of matmul", ".0%"),
            ],
        )
    )
    costs = elementwise_costs()
    print(
        f"\nThe share depends on the machine's elementwise speed, tanh above all (each step evaluates "
        f"it on 5H numbers per row). Here, per float32 element of a (32, 512) array: tanh "
        f"{costs['tanh_ns']:.2f} ns (NumPy's {costs['tanh_kernel']} kernel), multiply "
        f"{costs['multiply_ns']:.2f} ns."
    )
    if args.threads > 1:
        print(
            f"At {args.threads} threads OpenBLAS can run these small products slower than on one, "
            "which inflates the share: measure it with --threads 1."
        )
    print(
        f"\n## 6. The language model at chapter 10's shape, one training step at one and two BLAS threads "
        f"(T {large['steps']}, V {large['vocab']}, E {large['embed']}, H {large['hidden']}, float32; "
        "median ms; ratio = time / NumPy time, > 1 means NumPy is faster; each thread count in its own "
        "process; load = the 1-minute load average before and after)\n"
    )
    rows = large_language_model([1, 2], large_repeats, large, large_batches)
    for row in rows:  # three significant digits: a tiny shape's share is not printed as 0%
        row["share_text"] = f"{100 * float(row['share']):.3g}%"  # type: ignore[arg-type]
    print(
        table(
            rows,
            [
                ("batch", "B", "d"),
                ("threads", "threads", "d"),
                ("numpy_ms", "NumPy ms", ".2f"),
                ("torch_ms", "torch ms", ".2f"),
                ("keras_ms", "Keras ms", ".2f"),
                ("torch_ratio", "torch / NumPy", ".2f"),
                ("keras_ratio", "Keras / NumPy", ".2f"),
                ("gflops", "NumPy GFLOP/s", ".1f"),
                ("share_text", "share of matmul", ""),
                ("load", "load", ""),
            ],
        )
    )
    if args.book:
        print("\n## 7. The book\n")
        book = bench_book()
        print(f"clean build: {book['clean_s']:.0f} s; no-change rebuild: {book['rebuild_s']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
