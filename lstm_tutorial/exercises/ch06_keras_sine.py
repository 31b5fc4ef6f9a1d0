"""Chapter 6's exercise: the number of weights of the classic model, LSTM(H) then Dense(1).

The reference is ``count_params`` of the package's ``LSTMRegressor``; each known
mistake counts that model with a part left out or added, or counts the
one-block ``RNNRegressor`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..nn.regressors import LSTMRegressor, RNNRegressor
from .checking import Case, CheckResult, Exercise, Mistake, run_cases

__all__ = ["EXERCISES", "check_sine_model_param_count", "sine_model_param_count"]


def sine_model_param_count(input_size: int, hidden_size: int) -> int:
    """The reference: ``LSTMRegressor.init(input_size, hidden_size).count_params()``."""
    return LSTMRegressor.init(input_size, hidden_size).count_params()


def _no_lstm_bias(input_size: int, hidden_size: int) -> int:
    model = LSTMRegressor.init(input_size, hidden_size)
    return model.count_params() - model.lstm.b.size


def _one_block(input_size: int, hidden_size: int) -> int:
    # The vanilla RNN's W (D, H), U (H, H), b (H,): one block where the LSTM has four.
    return RNNRegressor.init(input_size, hidden_size).count_params()


def _two_biases(input_size: int, hidden_size: int) -> int:
    model = LSTMRegressor.init(input_size, hidden_size)
    return model.count_params() + model.lstm.b.size  # PyTorch's bias_ih and bias_hh


def _no_dense(input_size: int, hidden_size: int) -> int:
    model = LSTMRegressor.init(input_size, hidden_size)
    return model.count_params() - model.dense_W.size - model.dense_b.size


def check_sine_model_param_count(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``sine_model_param_count(input_size, hidden_size) -> int``.

    The number of weights of LSTM(H) on D input features followed by Dense(1),
    as Keras' ``model.count_params()`` gives it.
    """
    cases = [Case((1, 4), "D=1, H=4 (the classic model)"), Case((3, 7), "D=3, H=7"), Case((2, 1), "D=2, H=1")]
    mistakes = [
        Mistake(_no_lstm_bias, "each of the four blocks has a bias vector of H numbers."),
        Mistake(_one_block, "W, U and b hold four blocks (i, f, g, o), each D*H + H*H + H numbers."),
        Mistake(_two_biases, "Keras keeps ONE bias per block; PyTorch's two biases (b_ih, b_hh) are a sum."),
        Mistake(_no_dense, "the Dense(1) layer adds H weights and one bias."),
    ]
    return run_cases("sine_model_param_count", your_fn, sine_model_param_count, cases, mistakes)


EXERCISES = [
    Exercise(
        "ch06-param-count", "Counting the weights", check_sine_model_param_count, sine_model_param_count
    ),
]
