"""Gradient checking: centred finite differences and the relative error.

A backward pass is only trusted once it agrees with a numerical derivative. For
a scalar function f and a small step eps, the centred difference

    (f(x + eps) - f(x - eps)) / (2 eps)

has error O(eps^2), so in float64 with eps = 1e-6 it agrees with the true
derivative to about 1e-9 or better (Nocedal & Wright, Numerical Optimization, 8.1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import _checks

__all__ = ["numerical_gradient", "numerical_gradient_at", "rel_error"]

TINY = float(np.finfo(np.float64).tiny)


def rel_error(a: np.ndarray | float, b: np.ndarray | float) -> float:
    """The relative error ``|a - b| / max(|a| + |b|, tiny)`` with |.| the Euclidean norm.

    Using norms of whole arrays (rather than the worst element) keeps one
    near-zero entry from dominating; two zero arrays have error 0.

    Args:
        a, b: arrays of the same shape, or two numbers.

    Returns:
        A float in [0, 1].
    """
    a_arr, b_arr = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a_arr.shape != b_arr.shape:
        raise ValueError(f"a and b must have the same shape, got {a_arr.shape} and {b_arr.shape}")
    diff = float(np.linalg.norm(a_arr - b_arr))
    return diff / max(float(np.linalg.norm(a_arr) + np.linalg.norm(b_arr)), TINY)


def numerical_gradient_at(
    f: Callable[[], float], x: np.ndarray, indices: Sequence[tuple[int, ...]], eps: float = 1e-6
) -> np.ndarray:
    """Centred differences of ``f`` with respect to chosen entries of ``x``.

    ``x`` is changed in place, one entry at a time, and restored; ``f`` reads it.

    Args:
        f: a function of no arguments returning the scalar loss.
        x: the array being differentiated (float64 for meaningful results).
        indices: the entries to perturb, as index tuples.
        eps: the step.

    Returns:
        (len(indices),) the estimated partial derivatives.
    """
    _checks.float_array("x", x)
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    grads = np.empty(len(indices), dtype=np.float64)
    for k, index in enumerate(indices):
        old = x[index]
        x[index] = old + eps
        f_plus = float(f())
        x[index] = old - eps
        f_minus = float(f())
        x[index] = old
        grads[k] = (f_plus - f_minus) / (2.0 * eps)
    return grads


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Centred differences of ``f`` with respect to every entry of ``x``.

    Args:
        f: a function of no arguments returning the scalar loss; it reads ``x``.
        x: the array being differentiated, changed in place and restored.
        eps: the step.

    Returns:
        An array of the shape of ``x`` (float64).
    """
    _checks.float_array("x", x)
    indices = list(np.ndindex(*x.shape))
    return numerical_gradient_at(f, x, indices, eps).reshape(x.shape)
