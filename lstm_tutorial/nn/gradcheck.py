"""Gradient checking: centred finite differences and the relative error.

A backward pass is only trusted once it agrees with a numerical derivative. For
a scalar function f and a small step eps, the centred difference

    (f(x + eps) - f(x - eps)) / (2 eps)

has error O(eps^2), so in float64 with eps = 1e-6 it agrees with the true
derivative to about 1e-9 or better (Nocedal & Wright, Numerical Optimization, 8.1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _checks

__all__ = ["numerical_gradient", "numerical_gradient_at", "rel_error"]

TINY = float(np.finfo(np.float64).tiny)


def rel_error(a: np.ndarray | float, b: np.ndarray | float) -> float:
    """The relative error ``|a - b| / max(|a| + |b|, tiny)`` with |.| the Euclidean norm.

    Using norms of whole arrays (rather than the worst element) keeps one
    near-zero entry from dominating; two zero arrays have error 0.

    Args:
        a, b: real arrays of the same shape, or two real numbers (ints or floats,
            finite; None, bools and complex numbers are refused).

    Returns:
        A float in [0, 1].
    """
    a_arr, b_arr = _checks.real_values("a", a), _checks.real_values("b", b)
    if a_arr.shape != b_arr.shape:
        raise ValueError(f"a and b must have the same shape, got {a_arr.shape} and {b_arr.shape}")
    diff = float(np.linalg.norm(a_arr - b_arr))
    return diff / max(float(np.linalg.norm(a_arr) + np.linalg.norm(b_arr)), TINY)


def _check_step(x: np.ndarray, eps: Any) -> float:
    """``eps`` must be a finite number > 0 and large enough for the precision of ``x``.

    Moving x by eps and back changes f by about f' eps, and rounding x + eps to
    the dtype of x changes the step itself by up to one spacing of x, about
    ``finfo.eps * |x|``. Below 100 spacings the quotient is mostly rounding
    error: in float32 (spacing 1.2e-7 at 1) the default eps = 1e-6 turns the
    gradient [2, 4] of sum(x**2) at x = [1, 2] into [1.91, 3.81]. So such a step
    is refused, not used.
    """
    eps = _checks.positive_number("eps", eps)
    scale = max(1.0, float(np.max(np.abs(x))))
    smallest = 100.0 * float(np.finfo(x.dtype).eps) * scale
    if eps < smallest:
        raise ValueError(
            f"eps must be at least 100 roundings of x for a meaningful difference, i.e. >= "
            f"{smallest:.1e} for x of dtype {x.dtype} with values up to {scale:.3g}, got {eps:g}; "
            "check gradients in float64 (where eps = 1e-6 is right)"
        )
    return eps


def _check_f(f: Any) -> None:
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments returning the loss, got {_checks.describe(f)}")


def _loss(f: Callable[[], float], index: tuple[int, ...], sign: str) -> float:
    """``f()`` as a finite float, or an error that says where it failed."""
    value = f()
    try:
        loss = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"f must return one real number (the loss), got {_checks.describe(value)}") from None
    if not np.isfinite(loss):
        raise ValueError(f"f must return a finite loss, got {loss} with x[{index}] moved by {sign}eps")
    return loss


def _check_indices(x: np.ndarray, indices: Any) -> list[tuple[int, ...]]:
    if isinstance(indices, (str, bytes, np.ndarray)) or not isinstance(indices, Sequence):
        raise TypeError(f"indices must be a list of index tuples, got {_checks.describe(indices)}")
    checked = []
    for k, index in enumerate(indices):
        if (
            not isinstance(index, tuple)
            or len(index) != x.ndim
            or any(isinstance(i, bool) or not isinstance(i, (int, np.integer)) for i in index)
        ):
            raise TypeError(
                f"indices[{k}] must be a tuple of {x.ndim} integers (an entry of x of shape "
                f"{x.shape}), got {_checks.describe(index)}"
            )
        if any(not -n <= i < n for i, n in zip(index, x.shape, strict=True)):
            raise ValueError(f"indices[{k}] = {index} lies outside x of shape {x.shape}")
        checked.append(tuple(int(i) for i in index))
    return checked


def numerical_gradient_at(
    f: Callable[[], float], x: np.ndarray, indices: Sequence[tuple[int, ...]], eps: float = 1e-6
) -> np.ndarray:
    """Centred differences of ``f`` with respect to chosen entries of ``x``.

    ``x`` is changed in place, one entry at a time, and restored, even if ``f``
    raises; ``f`` reads it. The differences are taken in the dtype of ``x``
    (``f`` reads ``x`` itself), so a step too small for that precision is
    refused (float32 needs eps >= 1.2e-5 at |x| <= 1, and is even then far
    less accurate than float64): check gradients in float64.

    Args:
        f: a function of no arguments returning the scalar loss (finite).
        x: the array being differentiated, float64 for meaningful results.
        indices: the entries to perturb, as index tuples of length ``x.ndim``.
        eps: the step, a finite number > 0 and at least 100 roundings of x.

    Returns:
        (len(indices),) the estimated partial derivatives (float64).
    """
    _check_f(f)
    _checks.float_array("x", x)
    if not x.flags.writeable:
        raise ValueError("x must be writeable: it is moved by eps in place, one entry at a time")
    checked = _check_indices(x, indices)
    eps = _check_step(x, eps)
    grads = np.empty(len(checked), dtype=np.float64)
    for k, index in enumerate(checked):
        old = x[index]
        try:
            x[index] = old + eps
            f_plus = _loss(f, index, "+")
            x[index] = old - eps
            f_minus = _loss(f, index, "-")
        finally:
            x[index] = old
        grads[k] = (f_plus - f_minus) / (2.0 * eps)
    return grads


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Centred differences of ``f`` with respect to every entry of ``x``.

    Args:
        f: a function of no arguments returning the scalar loss; it reads ``x``.
        x: the array being differentiated, changed in place and restored (even
            if ``f`` raises); float64 for meaningful results. A float32 ``x`` is
            accepted only with a step it can resolve (eps >= 1.2e-5 at |x| <= 1;
            see ``numerical_gradient_at``): the default eps = 1e-6 is refused.
        eps: the step.

    Returns:
        An array of the shape of ``x`` (float64).
    """
    _checks.float_array("x", x)
    indices = list(np.ndindex(*x.shape))
    return numerical_gradient_at(f, x, indices, eps).reshape(x.shape)
