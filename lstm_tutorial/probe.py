"""What single units track: correlation with a labelled quantity, and gate saturation.

After Karpathy, Johnson & Fei-Fei (2015), "Visualizing and Understanding
Recurrent Networks". Given what a layer computed at every character of a text
(``language.cell_internals``: N steps, H units) and a quantity known at every
character (``text.python_labels``: inside a string, bracket depth, column ...):

    unit_correlations   Pearson's r of every unit's activation with the quantity, (H,)
    best_unit           the unit with the largest |r|, and its r
    gate_saturation     the share of steps each unit's gate is below 0.1 or above 0.9

A unit "tracks" a quantity when its activation rises and falls with it over the
text; the sign of r is arbitrary (a unit may as well fall inside strings as
rise), so units are ranked by |r|. A unit that never changes has no correlation
(0 / 0): its r is NaN and it is never the best unit.

    N  characters (steps)    H  units
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _checks

__all__ = ["best_unit", "gate_saturation", "unit_correlations"]


def _activations(value: Any) -> np.ndarray:
    _checks.float_array("activations", value, ndim=2)
    if value.shape[0] < 2 or value.shape[1] < 1:
        raise ValueError(f"activations must have shape (N, H) with N >= 2 steps, got shape {value.shape}")
    return np.asarray(value, dtype=np.float64)


def unit_correlations(activations: Any, labels: Any) -> np.ndarray:
    """Pearson's correlation of each unit's activation with the labels, over the N steps.

    ``r_j = sum_t (a_tj - mean_j)(y_t - mean_y) / sqrt(sum_t (a_tj - mean_j)^2 sum_t (y_t - mean_y)^2)``,
    computed in float64 over axis 0 (time), never across units.

    Args:
        activations: (N, H) floating, one column per unit (e.g. ``CellInternals.c``).
        labels: (N,) numbers or booleans, one per step, not all equal.

    Returns:
        (H,) float64 r in [-1, 1]; NaN for a unit whose activation is constant.
    """
    a = _activations(activations)
    if not isinstance(labels, np.ndarray) or labels.dtype.kind not in "biuf":
        raise TypeError(
            f"labels must be a NumPy array of numbers or booleans, got {_checks.describe(labels)}"
        )
    if labels.shape != (a.shape[0],):
        raise ValueError(
            f"labels must have shape ({a.shape[0]},), one per row of activations, got {labels.shape}"
        )
    y = labels.astype(np.float64)
    if not np.all(np.isfinite(y)):
        raise ValueError("labels must be finite")
    y = y - y.mean()
    y_norm = np.sqrt(y @ y)
    if y_norm == 0.0:
        raise ValueError("labels must not all be equal: a constant has no correlation with anything")
    scale = np.abs(a).max(axis=0)
    a = a - a.mean(axis=0)
    a_norm = np.sqrt(np.einsum("nh,nh->h", a, a))
    constant = a_norm <= 1e-12 * np.sqrt(a.shape[0]) * np.maximum(scale, np.finfo(np.float64).tiny)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (y @ a) / (a_norm * y_norm)
    r[constant] = np.nan
    return np.clip(r, -1.0, 1.0)


def best_unit(activations: Any, labels: Any, absolute: bool = True) -> tuple[int, float]:
    """The unit whose activation correlates best with the labels (``unit_correlations``).

    Args:
        activations: (N, H) floating activations.
        labels: (N,) numbers or booleans, not all equal.
        absolute: rank by |r| (True: the sign of a unit is arbitrary) or by r itself.

    Returns:
        ``(unit, r)``: the unit's index in 0 .. H-1 (the first of equals) and its r,
        with its sign. Constant units are never chosen.
    """
    _checks.flag("absolute", absolute)
    r = unit_correlations(activations, labels)
    if np.all(np.isnan(r)):
        raise ValueError("activations must have at least one unit that is not constant")
    score = np.where(np.isnan(r), -np.inf, np.abs(r) if absolute else r)
    unit = int(np.argmax(score))
    return unit, float(r[unit])


def gate_saturation(gates: Any, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """How often each unit's gate is nearly closed or nearly open (Karpathy et al. 2015).

    A gate is left-saturated at a step when its value is below ``low`` and
    right-saturated when it is above ``high``.

    Args:
        gates: (N, H) gate values of N steps (e.g. ``CellInternals.f``).
        low: the left threshold.
        high: the right threshold, > low.

    Returns:
        ``(left, right)``, each (H,) float64: the fraction of the N steps each unit's
        gate is below ``low`` and above ``high``.
    """
    g = _activations(gates)
    low = _checks.finite_number("low", low)
    high = _checks.finite_number("high", high)
    if not low < high:
        raise ValueError(f"low must be below high, got low = {low} and high = {high}")
    return (g < low).mean(axis=0), (g > high).mean(axis=0)
