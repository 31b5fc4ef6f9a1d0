"""Chapter 4's exercise: the gain of the direct cell path, the product of the forget gates.

The package has no function of forget gates alone (``lstm.state_gradients``
needs a whole LSTM run), so the reference is the product itself, one NumPy
call; each known mistake is that reference called with the mistake made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .checking import Case, CheckResult, Exercise, Mistake, rng, run_cases

__all__ = ["EXERCISES", "cell_path_gain", "check_cell_path_gain"]


def cell_path_gain(forget_gates: np.ndarray) -> np.ndarray:
    """The reference: dc_T / dc_0 along the direct path, ``prod_t f_t``, (B, T, H) -> (B, H)."""
    return np.prod(forget_gates, axis=1)


def _added(forget_gates: np.ndarray) -> np.ndarray:
    return np.sum(forget_gates, axis=1)


def _one_gate_short(forget_gates: np.ndarray) -> np.ndarray:
    return cell_path_gain(forget_gates[:, :-1])


def _over_units(forget_gates: np.ndarray) -> np.ndarray:
    return cell_path_gain(forget_gates.transpose(0, 2, 1))  # the product over H instead of T


def check_cell_path_gain(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``cell_path_gain(forget_gates) -> gain``.

    forget_gates (B, T, H), the forget gates f_1 .. f_T of every unit; gain (B, H),
    the factor by which the direct cell path scales dL/dc_T on its way back to c_0.
    """
    cases = [
        Case((rng(80).uniform(0.5, 1.0, size=(1, 10, 4)),), "B=1, T=10, H=4"),
        Case((rng(81).uniform(0.0, 1.0, size=(3, 5, 1)),), "B=3, T=5, H=1"),
        Case((np.full((2, 20, 2), 0.9),), "constant 0.9, T=20"),
    ]
    mistakes = [
        Mistake(_added, "the factors multiply: dc_(t-1) = dc_t * f_t at every step."),
        Mistake(_one_gate_short, "all T forget gates f_1 .. f_T lie on the path from c_T to c_0."),
        Mistake(_over_units, "multiply over time (axis 1), one factor per unit."),
    ]
    return run_cases("cell_path_gain", your_fn, cell_path_gain, cases, mistakes)


EXERCISES = [
    Exercise("ch04-cell-path", "The gain of the cell path", check_cell_path_gain, cell_path_gain),
]
