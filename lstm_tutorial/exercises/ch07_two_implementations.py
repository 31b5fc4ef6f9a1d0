"""Chapter 7's exercise: the classic model's forward pass from Keras' five weight arrays.

The reference is ``predict`` of the package's ``LSTMRegressor`` holding those
arrays; each known mistake reads out another state: the model with
``return_sequences=True`` (Dense on every h_t), or the cell state of
``lstm_forward``, or the model without the Dense bias.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.layers import Dense, Recurrent
from ..nn.lstm import LSTMParams, lstm_forward
from ..nn.model import Sequential
from ..nn.regressors import LSTMRegressor
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, run_cases

__all__ = ["EXERCISES", "check_sine_model_predict", "sine_model_predict"]


def sine_model_predict(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    dense_kernel: np.ndarray,
    dense_bias: np.ndarray,
) -> np.ndarray:
    """The reference: ``LSTMRegressor(LSTMParams(kernel, recurrent_kernel, bias), dense_kernel,
    dense_bias).predict(x)``."""
    return LSTMRegressor(LSTMParams(kernel, recurrent_kernel, bias), dense_kernel, dense_bias).predict(x)


def _dense_on_every_step(
    x: Any, kernel: Any, recurrent: Any, bias: Any, dense_kernel: Any, dense_bias: Any
) -> Any:
    """(N, T): Dense(1) on h_t at every step, the model with ``return_sequences=True``."""
    lstm = Recurrent(LSTMParams(kernel, recurrent, bias), return_sequences=True)
    return Sequential([lstm, Dense(dense_kernel, dense_bias)]).predict(x)


def _first_state(x: Any, kernel: Any, recurrent: Any, bias: Any, dense_kernel: Any, dense_bias: Any) -> Any:
    return _dense_on_every_step(x, kernel, recurrent, bias, dense_kernel, dense_bias)[:, 0]


def _mean_state(x: Any, kernel: Any, recurrent: Any, bias: Any, dense_kernel: Any, dense_bias: Any) -> Any:
    # Dense is affine, so Dense(mean of h_t) is the mean of Dense(h_t).
    return _dense_on_every_step(x, kernel, recurrent, bias, dense_kernel, dense_bias).mean(axis=1)


def _cell_state(x: Any, kernel: Any, recurrent: Any, bias: Any, dense_kernel: Any, dense_bias: Any) -> Any:
    _, cache = lstm_forward(x, LSTMParams(kernel, recurrent, bias))
    y, _ = Dense(dense_kernel, dense_bias).forward(cache.c_last)
    return y[:, 0]


def _no_dense_bias(x: Any, kernel: Any, recurrent: Any, bias: Any, dense_kernel: Any, dense_bias: Any) -> Any:
    return sine_model_predict(x, kernel, recurrent, bias, dense_kernel, np.zeros_like(dense_bias))


def check_sine_model_predict(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``sine_model_predict(x, kernel, recurrent_kernel, bias, dense_kernel, dense_bias) -> y_hat``.

    x (N, T, D); Keras' weights of LSTM(H) then Dense(1): kernel (D, 4H),
    recurrent_kernel (H, 4H), bias (4H,), dense_kernel (H, 1), dense_bias (1,);
    y_hat (N,), the classic model's output, from zero initial states.
    """
    cases = []
    for k, (N, T, D, H) in enumerate([(5, 10, 1, 4), (1, 3, 2, 3), (4, 1, 1, 1)]):
        shapes = [(N, T, D), (D, 4 * H), (H, 4 * H), (4 * H,), (H, 1), (1,)]  # x, then the five weights
        args = normal_arrays(150 + k, *shapes, scales=[1, 0.8, 0.5, 0.5])
        cases.append(Case(args, f"N={N}, T={T}, D={D}, H={H}"))
    mistakes = [
        Mistake(_first_state, "Dense reads the LAST hidden state h_T, after all T steps."),
        Mistake(_mean_state, "LSTM(H) without return_sequences returns only h_T, not an average over time."),
        Mistake(_cell_state, "Dense reads the hidden state h_T = o_T * tanh(c_T), not the cell state c_T."),
        Mistake(_no_dense_bias, "the Dense layer's bias is missing: y_hat = h_T V + a."),
    ]
    return run_cases("sine_model_predict", your_fn, sine_model_predict, cases, mistakes)


EXERCISES = [
    Exercise(
        "ch07-predict", "The classic model from Keras' arrays", check_sine_model_predict, sine_model_predict
    ),
]
