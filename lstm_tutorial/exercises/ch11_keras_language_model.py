"""Chapter 11's exercise: the gradient of softmax cross-entropy with respect to the logits, at every step.

For logits (B, T, V) and integer targets y (B, T), the loss is the mean over the
n = B T positions of ``-log softmax(logits)[b, t, y[b, t]]``; its gradient is
``(p - onehot(y)) / n`` with p the softmax over the last axis. The reference is
the package's own loss, ``losses.sparse_categorical_crossentropy`` (checked
against torch's ``cross_entropy`` and its autograd in the tests); each known
mistake is that gradient with the mistake made: the wrong divisor, the wrong
sign, the one-hot or the softmax along the wrong axis, or no one-hot at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.losses import sparse_categorical_crossentropy
from .checking import Case, CheckResult, Exercise, Mistake, rng, run_cases

__all__ = ["EXERCISES", "check_softmax_cross_entropy_grad", "softmax_cross_entropy_grad"]


def softmax_cross_entropy_grad(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The reference: the gradient ``losses.sparse_categorical_crossentropy`` returns, (B, T, V)."""
    _, d_logits = sparse_categorical_crossentropy(logits, y)
    return d_logits


def _onehot(y: np.ndarray, vocab: int) -> np.ndarray:
    return np.eye(vocab)[y]


def _times_positions(logits: Any, y: Any) -> np.ndarray:
    return softmax_cross_entropy_grad(logits, y) * y.size  # p - onehot(y), not divided at all


def _over_batch_only(logits: Any, y: Any) -> np.ndarray:
    return softmax_cross_entropy_grad(logits, y) * y.shape[1]  # divided by B, not B T


def _over_steps_only(logits: Any, y: Any) -> np.ndarray:
    return softmax_cross_entropy_grad(logits, y) * y.shape[0]  # divided by T, not B T


def _flipped_sign(logits: Any, y: Any) -> np.ndarray:
    return -softmax_cross_entropy_grad(logits, y)  # onehot(y) - p: the gradient of the log-likelihood


def _no_onehot(logits: Any, y: Any) -> np.ndarray:
    return softmax_cross_entropy_grad(logits, y) + _onehot(y, logits.shape[-1]) / y.size  # p / n


def _onehot_along_time(logits: Any, y: Any) -> np.ndarray:
    # np.put_along_axis(onehot, y[..., None], 1, axis=1): the 1 lands at [b, y[b, t], 0]
    # (along the T axis), not at [b, t, y[b, t]]; possible only where every id is < T.
    wrong = np.zeros_like(logits)
    np.put_along_axis(wrong, y[..., None], 1.0, axis=1)
    return softmax_cross_entropy_grad(logits, y) + (_onehot(y, logits.shape[-1]) - wrong) / y.size


def _softmax_along(logits: Any, y: Any, axis: int) -> np.ndarray:
    # (softmax along ``axis`` - onehot(y)) / n, the softmax written out (the reference has it along -1 only).
    shifted = np.exp(logits - logits.max(axis=axis, keepdims=True))
    return (shifted / shifted.sum(axis=axis, keepdims=True) - _onehot(y, logits.shape[-1])) / y.size


def _cases() -> list[Case]:
    cases = []
    # (B, T, V), the logits' scale and offset: the last case's logits are near 800, where exp overflows.
    for k, (B, T, V, scale, offset) in enumerate(
        [(2, 5, 3, 2.0, 0.0), (1, 1, 2, 1.0, 0.0), (3, 4, 7, 3.0, -1.0), (2, 3, 5, 5.0, 800.0)]
    ):
        r = rng(300 + k)
        logits = offset + scale * r.normal(size=(B, T, V))
        y = r.integers(0, V, size=(B, T))
        cases.append(Case((logits, y), f"logits (B, T, V) = ({B}, {T}, {V}), y ({B}, {T})"))
    return cases


def check_softmax_cross_entropy_grad(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``softmax_cross_entropy_grad(logits, y) -> d_logits``, the gradient of the mean
    softmax cross-entropy at every step.

    logits (B, T, V) floats, y (B, T) integer ids in [0, V); d_logits (B, T, V) is
    ``(softmax(logits) - onehot(y)) / (B T)``, the softmax over the last axis.
    """
    cases = _cases()
    mistakes = [
        Mistake(_times_positions, "divide by n = B * T, the number of positions the loss averages over."),
        Mistake(_over_batch_only, "the loss averages over all B * T positions: divide by B * T, not by B."),
        Mistake(_over_steps_only, "the loss averages over all B * T positions: divide by B * T, not by T."),
        Mistake(_flipped_sign, "the loss is -log p[y]: its gradient is p - onehot(y), not onehot(y) - p."),
        Mistake(_no_onehot, "subtract 1 at the target: p - onehot(y), not p alone."),
        Mistake(
            _onehot_along_time,
            "the one-hot runs along the LAST axis (the V classes): subtract 1 at [b, t, y[b, t]].",
            probe=cases[0],  # every id < T there
        ),
        Mistake(
            lambda logits, y: _softmax_along(logits, y, axis=1),
            "the softmax is over the last axis, the V classes of each step, not over time.",
        ),
    ]
    return run_cases(
        "softmax_cross_entropy_grad",
        your_fn,
        softmax_cross_entropy_grad,
        cases,
        mistakes,
        strict_warnings=True,
        overflow_hint="exp(800) overflows: subtract each row's max first, "
        "softmax(z) = exp(z - max z) / sum(exp(z - max z)), which changes nothing else.",
    )


EXERCISES = [
    Exercise(
        "ch11-softmax-grad",
        "The softmax cross-entropy gradient",
        check_softmax_cross_entropy_grad,
        softmax_cross_entropy_grad,
    ),
]
