"""Measuring time on a shared machine, and printing what was measured.

``median_time`` times one function, ``interleaved_medians`` several in turns (so that a
passing load falls on all of them alike), ``elementwise_costs`` what one element of the LSTM's
elementwise work costs on this CPU, and ``table`` prints rows of results as Markdown. The
benchmarks (``benchmark``) and the performance appendix time with these.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from ..nn import _checks

__all__ = ["elementwise_costs", "interleaved_medians", "median_time", "table"]


def median_time(fn: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds, over ``repeats`` timed calls after ``warmup`` others."""
    if not callable(fn):
        raise TypeError(f"fn must be a function of no arguments, got {_checks.describe(fn)}")
    repeats = _checks.positive_int("repeats", repeats)
    if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup must be an integer >= 0, got {_checks.describe(warmup)}")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved_medians(fns: list[Callable[[], object]], repeats: int) -> list[float]:
    """Median wall time of each function in seconds, timed in turns (one call of each per round,
    after one warm-up round), so that a load that comes and goes on a shared machine falls on
    all of them alike.

    Args:
        fns: a non-empty list of functions of no arguments.
        repeats: timed rounds (each function's median is over this many calls).

    Returns:
        One median per function, in the order of ``fns``.
    """
    if not isinstance(fns, list) or not fns:
        raise TypeError(
            f"fns must be a non-empty list of functions of no arguments, got {_checks.describe(fns)}"
        )
    for k, fn in enumerate(fns):
        if not callable(fn):
            raise TypeError(f"fns[{k}] must be a function of no arguments, got {_checks.describe(fn)}")
    repeats = _checks.positive_int("repeats", repeats)
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, record in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            record.append(time.perf_counter() - start)
    return [statistics.median(record) for record in times]


def elementwise_costs(batch: int = 32, hidden: int = 128, repeats: int = 200) -> dict[str, object]:
    """What one float32 element of the fast path's elementwise work costs on this machine.

    The share of ``numpy.matmul``'s GFLOP/s that a training step reaches (table 5 of
    ``benchmarks/run.py``) depends on it: every step of the LSTM evaluates tanh on 5H
    numbers per row (four gate blocks and the cell state) between its products, and the
    cost of a tanh differs from machine to machine far more than that of a product, with
    the SIMD kernel NumPy picks for the CPU.

    Args:
        batch, hidden: the array timed is (B, 4H), the gates of one step.
        repeats: timed calls of each (``median_time``: the median is kept).

    Returns:
        ``tanh_ns`` and ``multiply_ns``, nanoseconds per element of ``np.tanh`` and
        ``np.multiply`` written in place, and ``tanh_kernel``, the kernel NumPy runs for
        float32 tanh here (``numpy.lib.introspect.opt_func_info``; "unknown" before NumPy 2).
    """
    batch = _checks.positive_int("batch", batch)
    hidden = _checks.positive_int("hidden", hidden)
    repeats = _checks.positive_int("repeats", repeats)
    gates = np.random.default_rng(0).normal(size=(batch, 4 * hidden)).astype(np.float32)
    out = np.empty_like(gates)
    costs: dict[str, object] = {
        "tanh_ns": 1e9 * median_time(lambda: np.tanh(gates, out=out), repeats) / gates.size,
        "multiply_ns": 1e9 * median_time(lambda: np.multiply(gates, gates, out=out), repeats) / gates.size,
    }
    try:
        from numpy.lib.introspect import opt_func_info

        info = opt_func_info(func_name="^tanh$", signature="float32")
        costs["tanh_kernel"] = str(next(iter(info["tanh"].values()))["current"])
    except (ImportError, KeyError, StopIteration):
        costs["tanh_kernel"] = "unknown"
    return costs


def table(rows: list[dict[str, object]], columns: list[tuple[str, str, str]]) -> str:
    """A markdown table; columns are (key, header, format)."""
    lines = ["| " + " | ".join(h for _, h, _ in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append(
            "| " + " | ".join(format(row[k], f) if k in row else "n/a" for k, _, f in columns) + " |"
        )
    return "\n".join(lines)
