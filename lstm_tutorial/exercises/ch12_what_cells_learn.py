"""Chapter 12's exercise: find the unit whose activation best tracks a labelled quantity.

The reference is the package's own ``probe.best_unit`` (rank the units by |r|,
Pearson's correlation over time, and return the best one with its signed r).
Each known mistake is that reference called with the mistake made: ranking by
the signed r, dropping the sign, or leaving the data uncentred or centred over
the wrong axis. Uncentred data make a cosine, and the cosine of u and v is
exactly Pearson's r of the stacked pairs [u; -u] and [v; -v] (their means are
zero), which is how those mistakes are written from the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tasks.probe import best_unit as package_best_unit
from .checking import Case, CheckResult, Exercise, Mistake, rng, run_cases

__all__ = ["EXERCISES", "best_unit", "check_best_unit"]


def best_unit(activations: np.ndarray, labels: np.ndarray) -> tuple[int, float]:
    """The reference: ``probe.best_unit``, the unit with the largest |r| and its r (with its sign)."""
    return package_best_unit(activations, labels)


def _signed(activations: Any, labels: Any) -> tuple[int, float]:
    return package_best_unit(activations, labels, absolute=False)


def _unsigned(activations: Any, labels: Any) -> tuple[int, float]:
    unit, r = best_unit(activations, labels)
    return unit, abs(r)


def _cosine(activations: np.ndarray, labels: np.ndarray) -> tuple[int, float]:
    # r of [u; -u] and [v; -v] is u.v / (|u| |v|): the data are used as they are, uncentred.
    return best_unit(np.vstack([activations, -activations]), np.concatenate([labels, -labels]))


def _no_centring(activations: Any, labels: Any) -> tuple[int, float]:
    return _cosine(activations, labels.astype(np.float64))


def _grand_mean(activations: Any, labels: Any) -> tuple[int, float]:
    y = labels.astype(np.float64)
    return _cosine(activations - activations.mean(), y - y.mean())  # a.mean() over the whole array


def _mean_across_units(activations: Any, labels: Any) -> tuple[int, float]:
    y = labels.astype(np.float64)
    return _cosine(activations - activations.mean(axis=1, keepdims=True), y - y.mean())


def _cases() -> list[Case]:
    """Units with different means and scales; the best |r| is negative in every case but the second."""
    cases = []
    for k, (n, h, kind) in enumerate([(60, 5, "bool"), (40, 3, "int"), (200, 8, "int"), (30, 1, "float")]):
        r = rng(1200 + k)
        if kind == "bool":
            labels: np.ndarray = r.random(n) < 0.3  # inside a string, say
        elif kind == "int":
            labels = r.integers(0, 4, size=n)  # a bracket depth
        else:
            labels = r.normal(size=n)
        y = labels.astype(np.float64)
        weights = r.normal(scale=0.6, size=h)
        weights[h // 2] = -2.5 if k != 1 else 2.5  # the best unit
        if h > 2:
            weights[0] = 1.5  # the best positive r, not the best |r|
        activations = r.normal(size=(n, h)) + np.outer(y, weights) + r.normal(scale=3.0, size=h)
        if h > 3:
            activations[:, 1] = 0.7  # a unit that never changes
        cases.append(Case((activations, labels), f"activations ({n}, {h}), {kind} labels ({n},)"))
    return cases


def _plain(your_fn: Callable[..., Any]) -> Callable[..., Any]:
    """The reader's function with a NumPy integer unit read as int, and a NaN r explained."""

    def answer(activations: np.ndarray, labels: np.ndarray) -> Any:
        result = your_fn(activations, labels)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            return result
        unit, r = result
        if isinstance(unit, np.integer):
            unit = int(unit)
        if isinstance(r, (float, np.floating)) and np.isnan(r):
            raise ValueError(
                "r is NaN: a unit that never changes has no correlation (0 / 0), and argmax picks "
                "the NaN; leave constant units out (or give them r = 0) before ranking"
            )
        return unit, r

    return answer


def check_best_unit(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``best_unit(activations, labels) -> (unit, r)``.

    activations (N, H) floating, labels (N,) booleans, integers or floats; unit the
    index of the unit with the largest |r| (Pearson's correlation over the N steps),
    r its correlation with its sign. Units that never change are never chosen.
    """
    mistakes = [
        Mistake(_signed, "the sign of a unit is arbitrary: rank the units by |r|, not by r."),
        Mistake(_unsigned, "return r with its sign (rank by |r|, but report r itself)."),
        Mistake(
            _no_centring,
            "that is a dot product (a cosine), not a correlation: subtract each unit's mean "
            "and the labels' mean first.",
        ),
        Mistake(
            _grand_mean,
            "centre each unit by its OWN mean over time, activations.mean(axis=0), not the "
            "mean of the whole array.",
        ),
        Mistake(
            _mean_across_units,
            "average over time (axis 0), for each unit; axis 1 averages across the units of one step.",
        ),
    ]
    if not callable(your_fn):
        return run_cases("best_unit", your_fn, best_unit, _cases(), mistakes)
    return run_cases("best_unit", _plain(your_fn), best_unit, _cases(), mistakes)


EXERCISES = [
    Exercise("ch12-best-unit", "Find the unit that tracks a quantity", check_best_unit, best_unit),
]
