"""Input checks shared by the package.

Every public function validates what it is given and raises an error that names
the argument, says what it got and what it expected. Nothing is broadcast, cast
or truncated behind the reader's back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def describe(value: Any) -> str:
    """A short description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def float_array(name: str, value: Any, ndim: int | None = None) -> np.ndarray:
    """Check that ``value`` is a finite, non-empty float32/float64 NumPy array.

    Args:
        name: the argument's name, used in the error message.
        value: what the caller passed.
        ndim: the rank it must have, or None for any rank.

    Returns:
        ``value`` itself (never a copy or a cast).
    """
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be a NumPy array of float32 or float64, got {describe(value)}; "
            f"convert it with np.asarray({name}, dtype=np.float64)"
        )
    if value.dtype not in FLOAT_DTYPES:
        raise TypeError(
            f"{name} must have dtype float32 or float64, got dtype {value.dtype}; "
            f"convert it explicitly, e.g. {name}.astype(np.float64)"
        )
    if ndim is not None and value.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {value.shape}")
    if value.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {value.shape}")
    if not np.isfinite(value).all():
        bad = int(np.size(value) - np.count_nonzero(np.isfinite(value)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or inf value(s) in shape {value.shape}")
    return value


def same_dtype(name: str, value: np.ndarray, expected: np.dtype[Any], source: str) -> None:
    """Refuse to mix float32 and float64: the caller converts explicitly."""
    if value.dtype != expected:
        raise TypeError(
            f"{name} has dtype {value.dtype} but {source} has dtype {expected}; "
            f"convert one of them explicitly, e.g. {name}.astype(np.{expected})"
        )


def shape_is(name: str, value: np.ndarray, expected: tuple[int, ...], meaning: str) -> None:
    """Check an exact shape; ``meaning`` spells it out, e.g. ``"(batch, hidden)"``."""
    if value.shape != expected:
        raise ValueError(f"{name} must have shape {meaning} = {expected}, got {value.shape}")


def matching(
    name: str, value: Any, expected: tuple[int, ...], meaning: str, dtype: np.dtype[Any], source: str
) -> np.ndarray:
    """``float_array`` + ``same_dtype`` + ``shape_is``: an array that must fit the arrays it meets.

    Args:
        name: the argument's name.
        value: what the caller passed.
        expected: the exact shape it must have.
        meaning: that shape in letters, e.g. ``"(B, H)"``.
        dtype: the dtype it must share with ``source``.
        source: what it must match, for the message, e.g. ``"params"``.
    """
    float_array(name, value, ndim=len(expected))
    same_dtype(name, value, dtype, source)
    shape_is(name, value, expected, meaning)
    return value


def positive_int(name: str, value: Any) -> int:
    """Check that ``value`` is a Python or NumPy integer >= 1 (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer >= 1, got {describe(value)}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value}")
    return int(value)


def dtype_arg(name: str, value: Any) -> np.dtype[Any]:
    """Check a dtype argument: float32 or float64 only."""
    try:
        dtype = np.dtype(value)
    except TypeError:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {describe(value)}") from None
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {dtype}")
    return dtype
