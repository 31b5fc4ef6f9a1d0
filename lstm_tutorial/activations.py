"""The two squashing functions an LSTM needs, written so they never overflow.

The textbook sigmoid ``1 / (1 + exp(-z))`` overflows ``exp`` for ``z < -710`` in
float64 (``z < -89`` in float32) and NumPy warns. The identity

    sigmoid(z) = (1 + tanh(z / 2)) / 2

gives the same function with ``tanh``, which saturates at +-1 and never
overflows, for any finite ``z`` and in either precision. Both functions keep
the dtype of their input and accept an ``out`` buffer so the LSTM can reuse
memory across time steps.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "tanh"]


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Logistic sigmoid, elementwise, computed as ``0.5 * tanh(0.5 * z) + 0.5``.

    Args:
        z: pre-activations, any shape, float32 or float64.
        out: optional array of the same shape and dtype to write into.

    Returns:
        ``sigmoid(z)`` with the shape and dtype of ``z``; values in [0, 1].
    """
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def tanh(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Hyperbolic tangent, elementwise (NumPy's, which saturates without warning).

    Args:
        z: pre-activations, any shape, float32 or float64.
        out: optional array of the same shape and dtype to write into.

    Returns:
        ``tanh(z)`` with the shape and dtype of ``z``; values in [-1, 1].
    """
    return np.tanh(z, out=out)
