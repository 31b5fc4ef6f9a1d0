"""Checks of numbers, flags and seeds, until ``_checks`` gains them (issue 17, first half).

The names and signatures are those of ``_checks.finite_number``, ``flag`` and
``seed`` on the issue17a branch, so switching is a change of import.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import describe


def finite_number(name: str, value: Any, low: float | None = None, *, low_open: bool = False) -> float:
    """A finite real number (not a bool), ``>= low`` (``> low`` if ``low_open``)."""
    bound = "" if low is None else f" {'>' if low_open else '>='} {low:g}"
    expected = f"a finite number{bound}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    below = low is not None and (number <= low if low_open else number < low)
    if not np.isfinite(number) or below:
        raise ValueError(f"{name} must be {expected}, got {str(value)[:40]}")
    return number


def flag(name: str, value: Any) -> bool:
    """A real bool: ``"no"`` or ``1`` are refused (any non-empty string is true)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {describe(value)}")
    return bool(value)


def seed(name: str, value: Any, *, allow_none: bool = True) -> int | None:
    """A random seed: an integer >= 0 (bools refused), or None if ``allow_none``."""
    expected = f"an integer >= 0{' or None' if allow_none else ''}"
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {expected}, got {describe(value)}")
    if value < 0:
        raise ValueError(f"{name} must be {expected}, got {value}")
    return int(value)
