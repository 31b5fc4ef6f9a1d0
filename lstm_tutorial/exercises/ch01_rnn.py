"""Chapter 1's exercises: sliding windows and one step of the vanilla RNN.

Each reference is the package's own function, called with the exercise's
arguments; each known mistake is that reference called with the mistake made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.rnn import RNNParams
from ..nn.rnn import rnn_step as package_rnn_step
from ..tasks.data import make_windows as package_make_windows
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, rng, run_cases

__all__ = ["EXERCISES", "check_make_windows", "check_rnn_step", "make_windows", "rnn_step"]


# --------------------------------------------------------------------------- sliding windows


def make_windows(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
    """The reference: ``data.make_windows``, the classic loop (it drops the last usable window)."""
    return package_make_windows(series, look_back)


def _keeps_last_window(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
    return package_make_windows(series, look_back, drop_last=False)


def _target_inside_window(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
    x, _ = make_windows(series, look_back)
    return x, x[:, -1, 0]  # each window's own last value instead of the value after it


def _no_feature_axis(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = make_windows(series, look_back)
    return x[:, :, 0], y


def check_make_windows(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``make_windows(series, look_back) -> (x, y)``.

    series (n,); x (N, look_back, 1) and y (N,) with N = n - look_back - 1, as
    the classic loop ``for i in range(len(series) - look_back - 1)`` makes them.
    """
    cases = [
        Case((np.sin(np.arange(40) / 3.0), 5), "n=40, look_back=5"),
        Case((rng(1).normal(size=12), 1), "n=12, look_back=1"),
        Case((np.arange(11, dtype=float), 9), "n=11, look_back=9"),
    ]
    mistakes = [
        Mistake(
            _keeps_last_window,
            "the classic loop runs for i in range(len(series) - look_back - 1): it drops the last window.",
        ),
        Mistake(
            _target_inside_window, "the target is the value right after the window, series[i + look_back]."
        ),
        Mistake(
            _no_feature_axis,
            "recurrent layers want [samples, time steps, features]: add a last axis of size 1.",
        ),
    ]
    return run_cases("make_windows", your_fn, make_windows, cases, mistakes)


# --------------------------------------------------------------------------- one RNN step


def rnn_step(x_t: np.ndarray, h_prev: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The reference: ``rnn.rnn_step`` on ``RNNParams(W, U, b)``."""
    return package_rnn_step(x_t, h_prev, RNNParams(W, U, b))


def _sigmoid_state(x_t: Any, h_prev: Any, W: Any, U: Any, b: Any) -> np.ndarray:
    # sigmoid(z) = (1 + tanh(z / 2)) / 2: the reference on halved weights gives tanh(z / 2).
    return 0.5 + 0.5 * rnn_step(x_t, h_prev, W / 2, U / 2, b / 2)


def _no_bias(x_t: Any, h_prev: Any, W: Any, U: Any, b: Any) -> np.ndarray:
    return rnn_step(x_t, h_prev, W, U, np.zeros_like(b))


def _u_transposed(x_t: Any, h_prev: Any, W: Any, U: Any, b: Any) -> np.ndarray:
    return rnn_step(x_t, h_prev, W, U.T, b)


def _no_tanh(x_t: Any, h_prev: Any, W: Any, U: Any, b: Any) -> np.ndarray:
    return np.arctanh(rnn_step(x_t, h_prev, W, U, b))  # the pre-activation x W + h U + b itself


def check_rnn_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``rnn_step(x_t, h_prev, W, U, b) -> h_t``, ``h_t = tanh(x_t W + h_prev U + b)``.

    x_t (B, D), h_prev (B, H), W (D, H), U (H, H), b (H,); h_t (B, H).
    """
    cases = [
        Case(normal_arrays(10 + k, (B, D), (B, H), (D, H), (H, H), (H,)), f"B={B}, D={D}, H={H}")
        for k, (B, D, H) in enumerate([(1, 1, 3), (4, 2, 5), (2, 3, 1)])
    ]
    mistakes = [
        Mistake(_sigmoid_state, "the vanilla RNN squashes with tanh, not the sigmoid."),
        Mistake(_no_bias, "the bias b is missing."),
        Mistake(_u_transposed, "row vectors: h_prev @ U, not h_prev @ U.T."),
        Mistake(_no_tanh, "the new state goes through tanh."),
    ]
    return run_cases("rnn_step", your_fn, rnn_step, cases, mistakes)


EXERCISES = [
    Exercise("ch01-windows", "Sliding windows", check_make_windows, make_windows),
    Exercise("ch01-rnn-step", "One RNN step", check_rnn_step, rnn_step),
]
