"""Chapter 14's exercises: RepeatVector's gradient, and whole-answer accuracy from per-character scores.

``repeat_vector_grad``: the reference is the package's ``repeat.RepeatVector(n).backward``;
the known mistakes are one step's gradient only (the first or the last), the mean over the steps instead of
the sum, and the (N, n, F) gradient returned as it is.

``whole_answer_accuracy``: the reference decodes the most likely character at each
position and counts the answers right in every position (``tasks.addition``); the
known mistakes are the per-character accuracy, an answer counted right when any one
character is, and the argmax taken over the positions instead of the characters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.repeat import RepeatVector
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, run_cases

__all__ = [
    "EXERCISES",
    "check_repeat_vector_grad",
    "check_whole_answer_accuracy",
    "repeat_vector_grad",
    "whole_answer_accuracy",
]


def repeat_vector_grad(dy: np.ndarray) -> np.ndarray:
    """The reference: ``RepeatVector(n).backward(dy, None)[0]``, the sum over the n steps."""
    dx, _ = RepeatVector(dy.shape[1]).backward(dy, None)
    return dx


def check_repeat_vector_grad(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``repeat_vector_grad(dy) -> dx``: dy (N, n, F) the gradients of the n copies, dx (N, F)."""
    cases = [
        Case(normal_arrays(1400 + k, shape), f"N={shape[0]}, n={shape[1]}, F={shape[2]}")
        for k, shape in enumerate([(2, 4, 3), (1, 1, 5), (3, 6, 1), (4, 2, 2)])
    ]
    mistakes = [
        Mistake(lambda dy: dy[:, -1], "x was used at every step: add the gradients of all n copies."),
        Mistake(lambda dy: dy[:, 0], "x was used at every step: add the gradients of all n copies."),
        Mistake(
            lambda dy: dy.mean(axis=1),
            "sum the n gradients; the copies are not averaged in the forward pass.",
        ),
        Mistake(lambda dy: dy, "return one gradient per vector, shape (N, F): sum over the steps, axis 1."),
    ]
    return run_cases("repeat_vector_grad", your_fn, repeat_vector_grad, cases, mistakes)


def whole_answer_accuracy(probabilities: np.ndarray, targets: np.ndarray) -> float:
    """The reference: the share of rows whose argmax matches the one-hot target at every position."""
    right = probabilities.argmax(axis=-1) == targets.argmax(axis=-1)
    return float(right.all(axis=1).mean())


def _per_character(probabilities: Any, targets: Any) -> float:
    return float((probabilities.argmax(axis=-1) == targets.argmax(axis=-1)).mean())


def _any_character(probabilities: Any, targets: Any) -> float:
    return float((probabilities.argmax(axis=-1) == targets.argmax(axis=-1)).any(axis=1).mean())


def _argmax_over_positions(probabilities: Any, targets: Any) -> float:
    return float((probabilities.argmax(axis=1) == targets.argmax(axis=1)).all(axis=1).mean())


def _cases() -> list[Case]:
    cases = []
    for k, (N, T, V, noise) in enumerate([(50, 4, 12, 1.0), (30, 3, 5, 0.6), (40, 5, 12, 0.8)]):
        rng = np.random.default_rng(1410 + k)
        targets = np.eye(V)[rng.integers(0, V, size=(N, T))]
        probabilities = np.abs(targets + noise * rng.normal(size=targets.shape))
        probabilities /= probabilities.sum(axis=-1, keepdims=True)
        cases.append(Case((probabilities, targets), f"N={N}, T={T}, V={V}"))
    return cases


def check_whole_answer_accuracy(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``whole_answer_accuracy(probabilities, targets) -> float``: probabilities and one-hot targets
    (N, T, V); the share of the N answers whose most likely character is right at all T positions."""
    mistakes = [
        Mistake(
            _per_character,
            "an answer counts only if every one of its characters is right, not per character.",
        ),
        Mistake(_any_character, "one right character does not make a right answer: all T must be."),
        Mistake(
            _argmax_over_positions,
            "take the most likely character at each position: argmax over the last axis.",
        ),
    ]
    return run_cases("whole_answer_accuracy", your_fn, whole_answer_accuracy, _cases(), mistakes)


EXERCISES = [
    Exercise("ch14-repeat-grad", "RepeatVector's gradient", check_repeat_vector_grad, repeat_vector_grad),
    Exercise(
        "ch14-whole-answer",
        "Whole-answer accuracy",
        check_whole_answer_accuracy,
        whole_answer_accuracy,
    ),
]
