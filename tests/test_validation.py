"""Bad input gets a clear error naming the argument, what it got and what it expected.

Each row: a call, the exception type, and fragments the message must contain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from lstm_tutorial.data import adding_problem, make_windows, sine_wave, train_test_split
from lstm_tutorial.lstm import LSTMParams, lstm_backward, lstm_forward, lstm_step
from lstm_tutorial.model import LSTMRegressor
from lstm_tutorial.optim import Adam
from lstm_tutorial.rnn import RNNParams, rnn_forward, rnn_step
from lstm_tutorial.train import fit

P = LSTMParams.init(3, 4, seed=0)
X = np.zeros((2, 5, 3))
NAN_X = X.copy()
NAN_X[0, 1, 2] = np.nan
INF_H0 = np.zeros((2, 4))
INF_H0[1, 1] = np.inf
_, CACHE = lstm_forward(X, P)
MODEL = LSTMRegressor.init(1, 4, seed=0)

CASES: list[tuple[str, Callable[[], Any], type[Exception], tuple[str, ...]]] = [
    ("x rank 2", lambda: lstm_forward(np.zeros((5, 3)), P), ValueError, ("x", "3 dimensions", "(5, 3)")),
    (
        "x wrong D",
        lambda: lstm_forward(np.zeros((2, 5, 2)), P),
        ValueError,
        ("x", "D = input_size = 3", "(2, 5, 2)"),
    ),
    (
        "x int",
        lambda: lstm_forward(np.zeros((2, 5, 3), dtype=int), P),
        TypeError,
        ("x", "float32 or float64", "int64"),
    ),
    ("x list", lambda: lstm_forward([[[0.0]]], P), TypeError, ("x", "NumPy array", "list")),
    (
        "x float32, params float64",
        lambda: lstm_forward(X.astype(np.float32), P),
        TypeError,
        ("x", "float32", "float64"),
    ),
    ("x NaN", lambda: lstm_forward(NAN_X, P), ValueError, ("x", "finite", "1 NaN or inf")),
    ("x empty", lambda: lstm_forward(np.zeros((0, 5, 3)), P), ValueError, ("x", "empty", "(0, 5, 3)")),
    (
        "h0 wrong H",
        lambda: lstm_forward(X, P, h0=np.zeros((2, 5))),
        ValueError,
        ("h0", "(B, H)", "(2, 4)", "(2, 5)"),
    ),
    ("h0 inf", lambda: lstm_forward(X, P, h0=INF_H0), ValueError, ("h0", "finite")),
    ("c0 wrong B", lambda: lstm_forward(X, P, c0=np.zeros((3, 4))), ValueError, ("c0", "(2, 4)", "(3, 4)")),
    (
        "params not LSTMParams",
        lambda: lstm_forward(X, RNNParams.init(3, 4)),
        TypeError,
        ("params", "LSTMParams", "RNNParams"),
    ),
    (
        "W/U hidden mismatch",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((5, 20)), np.zeros(20)),
        ValueError,
        ("W", "(D, 4H)", "(D, 20)", "(3, 16)"),
    ),
    (
        "U not (H, 4H)",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((4, 4)), np.zeros(16)),
        ValueError,
        ("U", "(H, 4H)", "(4, 16)", "(4, 4)"),
    ),
    (
        "b wrong length",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(4)),
        ValueError,
        ("b", "(4H,)", "(16,)", "(4,)"),
    ),
    (
        "U dtype mismatch",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((4, 16), np.float32), np.zeros(16)),
        TypeError,
        ("U", "float32", "float64"),
    ),
    ("hidden_size 0", lambda: LSTMParams.init(3, 0), ValueError, ("hidden_size", ">= 1", "0")),
    ("dtype int", lambda: LSTMParams.init(3, 4, dtype=np.int32), TypeError, ("dtype", "float32", "int32")),
    (
        "step h_prev shape",
        lambda: lstm_step(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 4)), P),
        ValueError,
        ("h_prev", "(2, 4)", "(2, 3)"),
    ),
    (
        "dhs wrong shape",
        lambda: lstm_backward(np.zeros((2, 5, 3)), CACHE),
        ValueError,
        ("dhs", "(B, T, H)", "(2, 5, 4)", "(2, 5, 3)"),
    ),
    (
        "cache wrong",
        lambda: lstm_backward(np.zeros((2, 5, 4)), "cache"),
        TypeError,
        ("cache", "LSTMCache", "str"),
    ),
    (
        "truncate 0",
        lambda: lstm_backward(np.zeros((2, 5, 4)), CACHE, truncate=0),
        ValueError,
        ("truncate", ">= 1", "0"),
    ),
    (
        "rnn x rank",
        lambda: rnn_forward(np.zeros(3), RNNParams.init(3, 4)),
        ValueError,
        ("x", "3 dimensions", "(3,)"),
    ),
    (
        "rnn_step x_t list",
        lambda: rnn_step([[0.0]], np.zeros((1, 4)), RNNParams.init(1, 4)),
        TypeError,
        ("x_t", "NumPy array", "list"),
    ),
    (
        "rnn_step h_prev wrong H",
        lambda: rnn_step(np.zeros((2, 1)), np.zeros((2, 3)), RNNParams.init(1, 4)),
        ValueError,
        ("h_prev", "(B, H)", "(2, 4)", "(2, 3)"),
    ),
    (
        "look_back too long",
        lambda: make_windows(sine_wave(20), 19),
        ValueError,
        ("look_back", "shorter than the series", "20 samples"),
    ),
    ("look_back 0", lambda: make_windows(sine_wave(20), 0), ValueError, ("look_back", ">= 1", "0")),
    ("look_back float", lambda: make_windows(sine_wave(20), 2.5), TypeError, ("look_back", "integer", "2.5")),
    (
        "series 2-D",
        lambda: make_windows(np.zeros((10, 1)), 3),
        ValueError,
        ("series", "1 dimensions", "(10, 1)"),
    ),
    (
        "series with inf",
        lambda: make_windows(np.array([0.0, np.inf, 1.0, 2.0]), 1),
        ValueError,
        ("series", "finite"),
    ),
    ("period negative", lambda: sine_wave(10, -5), ValueError, ("period", "positive", "-5")),
    (
        "train_fraction 1",
        lambda: train_test_split(sine_wave(50), 5, 1.0),
        ValueError,
        ("train_fraction", "between 0 and 1", "1.0"),
    ),
    ("adding length 1", lambda: adding_problem(5, 1), ValueError, ("length", "at least 2", "1")),
    (
        "y wrong length",
        lambda: MODEL.loss_and_grads(np.zeros((4, 10, 1)), np.zeros(3)),
        ValueError,
        ("y", "(4,)", "(3,)"),
    ),
    (
        "set_weights count",
        lambda: MODEL.set_weights([np.zeros(1)]),
        ValueError,
        ("weights", "5 arrays", "got 1"),
    ),
    (
        "set_weights shape",
        lambda: MODEL.set_weights([np.zeros((1, 20)), *MODEL.get_weights()[1:]]),
        ValueError,
        ("kernel", "(1, 16)", "(1, 20)"),
    ),
    (
        "fit epochs 0",
        lambda: fit(MODEL, np.zeros((4, 10, 1)), np.zeros(4), epochs=0, verbose=0),
        ValueError,
        ("epochs", ">= 1", "0"),
    ),
    (
        "fit not a model",
        lambda: fit("model", np.zeros((4, 10, 1)), np.zeros(4)),
        TypeError,
        ("model", "LSTMRegressor", "str"),
    ),
    (
        "adam grads mismatch",
        lambda: Adam().step([np.zeros(3)], [np.zeros(4)]),
        ValueError,
        ("grads[0]", "(3,)", "(4,)"),
    ),
]


@pytest.mark.parametrize("call, error, fragments", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(
    call: Callable[[], Any], error: type[Exception], fragments: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_keras_and_torch_objects_of_the_wrong_kind_are_refused() -> None:
    import torch

    from lstm_tutorial.interop import from_keras, from_torch, to_keras
    from lstm_tutorial.keras_model import keras

    conv = keras.layers.Conv1D(4, 3)
    conv.build((None, 5, 3))
    with pytest.raises(
        TypeError,
        match=r"must be a keras\.layers\.LSTM, GRU or SimpleRNN, or a keras\.Model, got Conv1D",
    ):
        from_keras(conv)
    unbuilt = keras.layers.LSTM(4)
    with pytest.raises(ValueError, match="must be built"):
        from_keras(unbuilt)
    relu_lstm = keras.layers.LSTM(4, activation="relu")
    relu_lstm.build((None, 5, 3))
    with pytest.raises(ValueError, match="activation='relu'"):
        from_keras(relu_lstm)
    with_conv = keras.Sequential(
        [keras.Input((5, 1)), keras.layers.LSTM(4, return_sequences=True), keras.layers.Conv1D(2, 3)]
    )
    with pytest.raises(
        TypeError,
        match=r"layer_or_model.layers\[1\] must be a keras.layers.LSTM, GRU or SimpleRNN, got Conv1D",
    ):
        from_keras(with_conv)
    with pytest.raises(TypeError, match=r"keras GRU, which holds GRUParams, not LSTMParams"):
        gru = keras.layers.GRU(4)
        gru.build((None, 5, 3))
        to_keras(P, gru)
    layer = keras.layers.LSTM(5)
    layer.build((None, 5, 3))
    with pytest.raises(
        ValueError, match=r"expects \[\(3, 20\), \(5, 20\), \(20,\)\], got \[\(3, 16\), \(4, 16\), \(16,\)\]"
    ):
        to_keras(P, layer)
    with pytest.raises(TypeError, match=r"module must be a torch\.nn\.LSTM, got GRU"):
        from_torch(torch.nn.GRU(3, 4))
    with pytest.raises(ValueError, match="num_layers=2"):
        from_torch(torch.nn.LSTM(3, 4, num_layers=2))
