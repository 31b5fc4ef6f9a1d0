"""Measuring time on a shared machine, and printing what was measured.

``median_time`` times one function, ``interleaved_medians`` several in turns (so that a
passing load falls on all of them alike), ``elementwise_costs`` what one element of the LSTM's
elementwise work costs on this CPU, and ``table`` prints rows of results as Markdown. The
benchmarks (``benchmark``) and the performance appendix time with these.

A busy machine must not produce a timing silently. ``time_in_turns`` times functions in
turns over several rounds and returns a ``Timing`` for each: the fastest round, and how far
the rounds spread. A figure whose slowest round took more than ``MAX_SPREAD`` times its
fastest was disturbed while it was measured: it is ``stable == False``, ``faster`` refuses to
judge it, and ``table`` marks it.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..nn import _checks

__all__ = [
    "MAX_SPREAD",
    "Timing",
    "elementwise_costs",
    "faster",
    "interleaved_medians",
    "median_time",
    "table",
    "time_in_turns",
]

MAX_SPREAD = 1.3
"""The largest ratio of a timing's slowest round to its fastest that counts as stable."""


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


def _check_functions(fns: object) -> None:
    """``fns`` must be a non-empty list of functions of no arguments (TypeError naming it)."""
    if not isinstance(fns, list) or not fns:
        raise TypeError(
            f"fns must be a non-empty list of functions of no arguments, got {_checks.describe(fns)}"
        )
    for k, fn in enumerate(fns):
        if not callable(fn):
            raise TypeError(f"fns[{k}] must be a function of no arguments, got {_checks.describe(fn)}")


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
    _check_functions(fns)
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


@dataclass(frozen=True)
class Timing:
    """One function's time, from several rounds of calls on a machine that may be busy.

    Attributes:
        rounds: each round's median time of one call, in seconds, in the order timed.
        max_spread: the largest ``spread`` that counts as ``stable``.
    """

    rounds: tuple[float, ...]
    max_spread: float = MAX_SPREAD

    @property
    def seconds(self) -> float:
        """The time of one call: the fastest round's median (what the machine allows, undisturbed)."""
        return min(self.rounds)

    @property
    def spread(self) -> float:
        """Slowest round / fastest round: 1 when every round agrees (inf if only the fastest took 0 s)."""
        slowest, fastest = max(self.rounds), min(self.rounds)
        if slowest == 0:
            return 1.0
        return slowest / fastest if fastest > 0 else math.inf

    @property
    def stable(self) -> bool:
        """True if the rounds agree to ``max_spread``: no load came or went while it was measured."""
        return self.spread <= self.max_spread


def time_in_turns(
    fns: list[Callable[[], object]],
    rounds: int = 5,
    calls: int = 10,
    max_spread: float = MAX_SPREAD,
    attempts: int = 2,
    clock: Callable[[], float] = time.perf_counter,
) -> list[Timing]:
    """Time functions in turns, in rounds, and say which figures a busy machine disturbed.

    Each round calls every function ``calls`` times, one call of each in turn, and keeps each
    function's median call; a ``Timing`` is the function's rounds. When a figure is not
    stable (its rounds spread by more than ``max_spread``), all are measured again, up to
    ``attempts`` times in all; the attempt whose worst spread is smallest is returned, its
    unstable figures still marked unstable.

    Args:
        fns: a non-empty list of functions of no arguments (each called once first, untimed).
        rounds: rounds per attempt, at least 2 (one round has no spread).
        calls: calls of each function per round.
        max_spread: the stability limit, above 1.
        attempts: measurements at most, at least 1.
        clock: the timer, seconds (a fake one in tests).

    Returns:
        One ``Timing`` per function, in the order of ``fns``.
    """
    _check_functions(fns)
    rounds = _checks.positive_int("rounds", rounds)
    if rounds < 2:
        raise ValueError(f"rounds must be at least 2 (one round has no spread), got {rounds}")
    calls = _checks.positive_int("calls", calls)
    attempts = _checks.positive_int("attempts", attempts)
    max_spread = _checks.finite_number("max_spread", max_spread, 1.0, low_open=True)
    for fn in fns:
        fn()
    best: list[Timing] = []
    for _ in range(attempts):
        medians: list[list[float]] = [[] for _ in fns]
        for _ in range(rounds):
            times: list[list[float]] = [[] for _ in fns]
            for _ in range(calls):
                for fn, record in zip(fns, times, strict=True):
                    start = clock()
                    fn()
                    record.append(clock() - start)
            for record, median in zip(times, medians, strict=True):
                median.append(statistics.median(record))
        found = [Timing(tuple(median), max_spread) for median in medians]
        if not best or max(t.spread for t in found) < max(t.spread for t in best):
            best = found
        if all(t.stable for t in found):
            break
    return best


def faster(first: Timing, second: Timing, margin: float = 1.25) -> str:
    """Which of two timings is faster: "first", "second", "even" (within ``margin`` either way),
    or "unstable" when either was disturbed while measured (then nothing is judged)."""
    first, second = _checks.instance("first", first, Timing), _checks.instance("second", second, Timing)
    margin = _checks.finite_number("margin", margin, 1.0, low_open=True)
    if not (first.stable and second.stable):
        return "unstable"
    ratio = second.seconds / first.seconds if first.seconds > 0 else math.inf
    return "first" if ratio > margin else "second" if ratio < 1 / margin else "even"


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


def table(rows: list[dict[str, object]], columns: list[tuple[str, str, str]], flag: str = "") -> str:
    """A markdown table; columns are (key, header, format).

    With a ``flag`` (a mark such as "†"), a cell whose key a row lists under "unstable"
    carries the mark after its value: a figure measured while the machine was busy.
    """

    def cell(row: dict[str, object], key: str, spec: str) -> str:
        if key not in row:
            return "n/a"
        text = format(row[key], spec)
        unstable = row.get("unstable", ())
        marked = flag and isinstance(unstable, (tuple, list, set)) and key in unstable
        return f"{text} {flag}" if marked else text

    lines = ["| " + " | ".join(h for _, h, _ in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(cell(row, k, f) for k, _, f in columns) + " |")
    return "\n".join(lines)
