"""Chapter 2's exercises: the gradient norms of an RNN through time, and gradient-norm clipping.

Each reference is the package's own function, called with the exercise's
arguments; each known mistake is that reference called with the mistake made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.optim import clip_by_global_norm as package_clip
from ..nn.rnn import RNNParams, rnn_forward, rnn_state_gradients
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, rng, run_cases

__all__ = [
    "EXERCISES",
    "check_clip_by_global_norm",
    "check_hidden_grad_norms",
    "clip_by_global_norm",
    "hidden_grad_norms",
]


# --------------------------------------------------------------------------- gradient norms


def hidden_grad_norms(
    x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray, backward_params: RNNParams | None = None
) -> np.ndarray:
    """The reference: ``rnn.rnn_state_gradients`` for L = sum(h_T), its norm at every step.

    ``backward_params``, if given, are the weights the backward pass uses in
    place of the forward pass's own (how the known mistakes get made).
    """
    _, cache = rnn_forward(x, RNNParams(W, U, b))
    if backward_params is not None:
        cache = dataclasses.replace(cache, params=backward_params)
    (grads,) = rnn_state_gradients(cache, np.ones((x.shape[0], U.shape[0])))  # (B, T, H)
    return np.linalg.norm(grads, axis=(0, 2))  # one norm per step, over the batch and the units


def _no_tanh_derivative(x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    # With W = 0 and b = 0 every state stays 0, where tanh' = 1: each step back is dh @ U.T alone.
    return hidden_grad_norms(x, np.zeros_like(W), U, np.zeros_like(b))


def _u_not_transposed(x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    # The backward pass multiplies by its U.T; handing it U.T makes that U.
    return hidden_grad_norms(x, W, U, b, backward_params=RNNParams(W, U.T, b))


def check_hidden_grad_norms(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``hidden_grad_norms(x, W, U, b) -> norms``.

    x (B, T, D), W (D, H), U (H, H), b (H,); norms (T,) with
    ``norms[t] = ||dL/dh_(t+1)||`` (the norm over the batch and the units
    together) for L = sum(h_T), the RNN starting from h_0 = 0.
    """
    cases = [
        Case(
            normal_arrays(20 + k, (B, T, D), (D, H), (H, H), (H,), scales=[1, 1, 0.6]),
            f"B={B}, T={T}, D={D}, H={H}",
        )
        for k, (B, T, D, H) in enumerate([(1, 6, 1, 3), (3, 12, 2, 5), (2, 4, 1, 1)])
    ]
    mistakes = [
        Mistake(_no_tanh_derivative, "each step back multiplies by diag(1 - h_t^2) too, not only by U^T."),
        Mistake(_u_not_transposed, "with row vectors the step back is (dh * (1 - h^2)) @ U.T, not @ U."),
    ]
    return run_cases("hidden_grad_norms", your_fn, hidden_grad_norms, cases, mistakes)


# --------------------------------------------------------------------------- clipping


def clip_by_global_norm(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
    """The reference: ``optim.clip_by_global_norm``, the clipped arrays only."""
    clipped, _ = package_clip(grads, max_norm)
    return clipped


def _each_on_its_own(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
    return [clip_by_global_norm([g], max_norm)[0] for g in grads]


def _always_scaled(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
    _, norm = package_clip(grads, max_norm)
    return [g * (max_norm / norm) for g in grads]  # scaled to max_norm even when the norm is below it


def check_clip_by_global_norm(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``clip_by_global_norm(grads, max_norm) -> clipped``.

    grads a list of arrays of any shapes; clipped the same arrays, all scaled by
    one factor so that their joint norm is at most max_norm (unchanged if it is already).
    """
    r = rng(30)
    cases = [
        Case(([r.normal(size=(3, 4)), r.normal(size=5)], 1.0), "two arrays, norm above max_norm"),
        Case(([r.normal(size=(2, 2)) * 0.01], 1.0), "one small array, norm below max_norm"),
        Case(([r.normal(size=4) * 3, r.normal(size=(1, 1)), r.normal(size=3)], 2.5), "three arrays"),
    ]
    mistakes = [
        Mistake(
            _each_on_its_own, "clip by the global norm of all arrays together, not each array on its own."
        ),
        Mistake(
            _always_scaled, "only scale when the norm exceeds max_norm; smaller gradients stay as they are."
        ),
    ]
    return run_cases("clip_by_global_norm", your_fn, clip_by_global_norm, cases, mistakes)


EXERCISES = [
    Exercise("ch02-grad-norms", "Gradient norms through time", check_hidden_grad_norms, hidden_grad_norms),
    Exercise("ch02-clip", "Gradient-norm clipping", check_clip_by_global_norm, clip_by_global_norm),
]
