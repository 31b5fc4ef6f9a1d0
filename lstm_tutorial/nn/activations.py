"""The two squashing functions an LSTM needs, written so they never overflow.

The textbook sigmoid ``1 / (1 + exp(-z))`` overflows ``exp`` for ``z < -710`` in
float64 (``z < -89`` in float32) and NumPy warns. The identity

    sigmoid(z) = (1 + tanh(z / 2)) / 2

gives the same function with ``tanh``, which saturates at +-1 and never
overflows, for any finite ``z`` and in either precision. Both functions keep
the dtype of their input and accept an ``out`` buffer so the LSTM can reuse
memory across time steps. Like NumPy's ufuncs they also take Python numbers
and integer arrays (computed in float64); bools, complex numbers and anything
that is not a number are refused.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np

from . import _checks

__all__ = ["sigmoid", "tanh"]


def _real_input(z: Any, out: np.ndarray | None) -> np.ndarray:
    """``z`` as a real float array (ints become float64), and a check of ``out`` against it."""
    if not isinstance(z, np.ndarray) or z.dtype.kind != "f":
        number = isinstance(z, (int, float, np.integer, np.floating)) and not isinstance(z, (bool, np.bool_))
        if not (number or isinstance(z, np.ndarray)) or np.asarray(z).dtype.kind not in "iuf":
            raise TypeError(f"z must be a real number or a float array, got {_checks.describe(z)}")
        z = np.asarray(z, dtype=np.float64) if np.asarray(z).dtype.kind in "iu" else np.asarray(z)
    if out is not None and (not isinstance(out, np.ndarray) or out.shape != z.shape or out.dtype != z.dtype):
        raise ValueError(
            f"out must be an array of the shape and dtype of z, {z.shape} {z.dtype}, "
            f"got {_checks.describe(out)}"
        )
    return z


def _result(z: Any, value: np.ndarray) -> Any:
    """A Python number in, a NumPy scalar out (as from np.tanh); an array in, an array out."""
    return value if isinstance(z, np.ndarray) else value[()]


@overload
def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray: ...
@overload
def sigmoid(z: float, out: None = None) -> np.floating[Any]: ...
def sigmoid(z: np.ndarray | float, out: np.ndarray | None = None) -> np.ndarray | np.floating[Any]:
    """Logistic sigmoid, elementwise, computed as ``0.5 * tanh(0.5 * z) + 0.5``.

    Args:
        z: pre-activations, any shape, float32 or float64 (or a Python number or
            integer array, computed in float64).
        out: optional array of the same shape and dtype to write into.

    Returns:
        ``sigmoid(z)`` with the shape and dtype of ``z``; values in [0, 1]. A
        number gives a NumPy scalar (float64 for a Python number), e.g. ``sigmoid(0.0) == 0.5``.
    """
    array = _real_input(z, out)
    result = np.multiply(array, 0.5, out=out if out is not None else np.empty_like(array))
    np.tanh(result, out=result)
    result *= 0.5
    result += 0.5
    return _result(z, result)


@overload
def tanh(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray: ...
@overload
def tanh(z: float, out: None = None) -> np.floating[Any]: ...
def tanh(z: np.ndarray | float, out: np.ndarray | None = None) -> np.ndarray | np.floating[Any]:
    """Hyperbolic tangent, elementwise (NumPy's, which saturates without warning).

    Args:
        z: pre-activations, any shape, float32 or float64 (or a Python number or
            integer array, computed in float64).
        out: optional array of the same shape and dtype to write into.

    Returns:
        ``tanh(z)`` with the shape and dtype of ``z``; values in [-1, 1]. A
        number gives a NumPy scalar (float64 for a Python number).
    """
    array = _real_input(z, out)
    return _result(z, np.tanh(array, out=out if out is not None else np.empty_like(array)))
