"""Rows of the public-API table for ``lstm_tutorial.nn.model`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import CHAR, DENSE, REC, REG32, REG64, WX, WY, P, Row, Table, check, close, equal

from lstm_tutorial.nn import dropout, layers, lstm, model, regressors
from lstm_tutorial.nn.repeat import RepeatVector

TABLE = Table("nn.model")
raises, gives = TABLE.raises, TABLE.gives


def by_hand_model() -> tuple[regressors.LSTMRegressor, np.ndarray, np.ndarray, float]:
    """A one-step LSTM(1) + Dense(1) whose output and loss are worked out here with plain NumPy."""
    W = np.array([[0.5, -0.25, 1.0, 0.75]])
    U = np.array([[0.1, 0.2, -0.3, 0.4]])
    b = np.array([0.0, 1.0, 0.5, -0.5])
    V, a = np.array([[2.0]]), np.array([0.25])
    m = regressors.LSTMRegressor(lstm.LSTMParams(W, U, b), V, a)
    x = np.array([[[1.0]], [[-2.0]], [[0.5]]])  # (N, T, D) = (3, 1, 1)
    y = np.array([0.3, -0.1, 0.8])
    z = x[:, 0] @ W + b  # h0 = c0 = 0: the recurrent term vanishes
    i, g, o = 1 / (1 + np.exp(-z[:, 0])), np.tanh(z[:, 2]), 1 / (1 + np.exp(-z[:, 3]))
    y_hat = o * np.tanh(i * g) * V[0, 0] + a[0]  # c_1 = f * 0 + i * g
    return m, x, y, float(np.mean((y_hat - y) ** 2))


HAND, HAND_X, HAND_Y, HAND_MSE = by_hand_model()


def dense_4_to_2() -> layers.Dense:
    return layers.Dense(np.ones((4, 2)), np.zeros(2))


raises(
    "nn.model.Sequential",
    "loss 'mae'",
    lambda: model.Sequential([layers.Recurrent(P)], "mae"),
    ValueError,
    "loss",
    "'mae'",
)
raises(
    "nn.model.Sequential",
    "Dense first",
    lambda: model.Sequential([DENSE]),
    TypeError,
    "layers[0]",
    "Recurrent",
)
gives("nn.model.Sequential.dtype", "float32", lambda: REG32.dtype, lambda d: d == np.float32)
gives("nn.model.Sequential.input_size", "D", lambda: REG32.input_size, equal(1))
gives("nn.model.Sequential.output_size", "K, the Dense layer's", lambda: REG32.output_size, equal(1))
gives(
    "nn.model.Sequential.output_size",
    "a Dropout at the end gives the width it reads",
    lambda: model.Sequential([layers.Recurrent(P), dense_4_to_2(), dropout.Dropout(0.5)]).output_size,
    equal(2),
)
gives(
    "nn.model.Sequential.parameters",
    "live arrays",
    lambda: REG32.parameters()[0],
    lambda w: w is REG32.lstm.W,
)
gives(
    "nn.model.Sequential.get_weights",
    "copies",
    lambda: REG32.get_weights()[0],
    lambda w: w is not REG32.lstm.W and np.array_equal(w, REG32.lstm.W),
)
gives(
    "nn.model.Sequential.weight_labels",
    "Keras' order",
    lambda: REG32.weight_labels(),
    equal(["kernel", "recurrent_kernel", "bias", "dense kernel", "dense bias"]),
)
raises(
    "nn.model.Sequential.set_weights",
    "float64 into float32",
    lambda: REG32.copy().set_weights(REG64.get_weights()),
    TypeError,
    "weights[kernel]",
    "float64",
    "float32",
)
gives("nn.model.Sequential.count_params", "4*4*(1+4+1) + 4 + 1", lambda: REG32.count_params(), equal(101))
gives("nn.model.Sequential.copy", "a deep copy", lambda: REG32.copy(), lambda c: c.lstm.W is not REG32.lstm.W)
raises(
    "nn.model.Sequential.from_layers",
    "a Dense first",
    lambda: model.Sequential.from_layers([DENSE]),
    TypeError,
    "layers[0]",
)
gives(
    "nn.model.Sequential.output_steps",
    "a RepeatVector(4) decides the steps",
    lambda: model.Sequential(
        [
            layers.Recurrent(lstm.LSTMParams.init(3, 2)),
            RepeatVector(4),
            layers.Dense(np.ones((2, 5)), np.zeros(5)),
        ]
    ).output_steps(7),
    equal(4),
)
gives(
    "nn.model.Sequential.output_shape",
    "(N, T, K)",
    lambda: model.Sequential([REC, layers.Dense(np.ones((4, 2)), np.zeros(2))]).output_shape((7, 5, 3)),
    equal(((7, 5, 2), "(N, T, K)")),
)
raises(
    "nn.model.Sequential.check_inputs",
    "strict: float64 into float32",
    lambda: REG32.check_inputs(WX),
    TypeError,
    "x",
    "float64",
    "float32",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "int windows",
    lambda: REG32.cast_inputs(WX.astype(np.int64)),
    TypeError,
    "x",
    "floating-point",
    "int64",
)
raises(
    "nn.model.Sequential.cast_inputs", "bool array", lambda: REG32.cast_inputs(WX > 0), TypeError, "x", "bool"
)
raises(
    "nn.model.Sequential.cast_inputs",
    "complex",
    lambda: REG32.cast_inputs(WX.astype(complex)),
    TypeError,
    "x",
    "complex128",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "object array",
    lambda: REG32.cast_inputs(WX.astype(object)),
    TypeError,
    "x",
    "object",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "True in a list",
    lambda: REG32.cast_inputs([[[0.5]], [[True]]]),
    TypeError,
    "x",
    "bool True",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "an int in a list",
    lambda: REG32.cast_inputs([[[0.5]], [[2]]]),
    TypeError,
    "x",
    "int 2",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "ragged list",
    lambda: REG32.cast_inputs([[[0.5]], [[0.5], [1.0]]]),
    ValueError,
    "x",
    "ragged",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "NaN",
    lambda: REG32.cast_inputs(np.full((2, 3, 1), np.nan)),
    ValueError,
    "x",
    "finite",
    "6 NaN",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "1e300 into float32",
    lambda: REG32.cast_inputs(WX * 1e300),
    ValueError,
    "x",
    "too large",
    "float32",
)
raises(
    "nn.model.Sequential.cast_inputs", "a string", lambda: REG32.cast_inputs("windows"), TypeError, "x", "str"
)
raises(
    "nn.model.Sequential.cast_inputs",
    "y int",
    lambda: REG32.cast_inputs(WX, np.zeros(49, int)),
    TypeError,
    "y",
    "int64",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "y (N, 2)",
    lambda: REG32.cast_inputs(WX, np.zeros((49, 2))),
    ValueError,
    "y",
    "(49,)",
)
gives(
    "nn.model.Sequential.cast_inputs",
    "float32 input is not copied",
    lambda: REG32.cast_inputs(WX.astype(np.float32)),
    lambda r: r[0].dtype == np.float32 and r[1] is None,
)
gives(
    "nn.model.Sequential.cast_inputs",
    "y (N, 1) becomes (N,)",
    lambda: REG32.cast_inputs(WX, WY[:, None])[1],
    lambda y: y.shape == (49,) and y.dtype == np.float32 and np.array_equal(y, WY.astype(np.float32)),
)
gives(
    "nn.model.Sequential.predict",
    "the seed article's port: float64 windows",
    lambda: (REG32.predict(WX), REG32.predict(WX.astype(np.float32))),
    lambda p: np.array_equal(*p) and p[0].dtype == np.float32,
)
gives(
    "nn.model.Sequential.predict",
    "float16 windows = the same windows cast",
    lambda: (REG32.predict(WX.astype(np.float16)), REG32.predict(WX.astype(np.float16).astype(np.float32))),
    lambda p: np.array_equal(*p),
)
gives(
    "nn.model.Sequential.predict",
    "nested lists of floats",
    lambda: (REG32.predict(WX.tolist()), REG32.predict(WX)),
    lambda p: np.array_equal(*p),
)
gives(
    "nn.model.Sequential.predict",
    "float32 windows into float64",
    lambda: (REG64.predict(WX.astype(np.float32)), REG64.predict(WX.astype(np.float32).astype(np.float64))),
    lambda p: np.array_equal(*p) and p[0].dtype == np.float64,
)
raises(
    "nn.model.Sequential.predict",
    "int windows",
    lambda: REG32.predict(np.ones((2, 10, 1), int)),
    TypeError,
    "x",
    "int64",
)
raises(
    "nn.model.Sequential.predict",
    "(N, T) windows",
    lambda: REG32.predict(WX[:, :, 0]),
    ValueError,
    "x",
    "3 dimensions",
)
gives(
    "nn.model.Sequential.evaluate", "the MSE by hand", lambda: HAND.evaluate(HAND_X, HAND_Y), close(HAND_MSE)
)
gives(
    "nn.model.Sequential.evaluate",
    "y (N, 1) and nested lists",
    lambda: HAND.evaluate(HAND_X.tolist(), HAND_Y[:, None].tolist()),
    close(HAND_MSE),
)
gives(
    "nn.model.Sequential.evaluate",
    "float32 model, float64 data",
    lambda: REG32.evaluate(WX, WY),
    close(REG32.evaluate(WX.astype(np.float32), WY.astype(np.float32)), rtol=0),
)
raises(
    "nn.model.Sequential.evaluate",
    "y with inf",
    lambda: HAND.evaluate(HAND_X, np.array([0.0, np.inf, 1.0])),
    ValueError,
    "y",
    "finite",
)
raises(
    "nn.model.Sequential.evaluate",
    "y of the wrong length",
    lambda: HAND.evaluate(HAND_X, HAND_Y[:2]),
    ValueError,
    "y",
    "(3,)",
    "(2,)",
)
raises(
    "nn.model.Sequential.loss_and_grads",
    "strict: float64 y into float32",
    lambda: REG32.loss_and_grads(WX.astype(np.float32), WY),
    TypeError,
    "y",
    "float64",
    "float32",
)
gives(
    "nn.model.Sequential.loss_and_grads",
    "the loss is evaluate's",
    lambda: HAND.loss_and_grads(HAND_X, HAND_Y)[0],
    close(HAND_MSE),
)
gives(
    "nn.model.Sequential.per_step", "a char model predicts at every step", lambda: CHAR.per_step, equal(True)
)
gives(
    "nn.model.Sequential.reset_states",
    "runs on a model without state",
    lambda: REG32.reset_states(),
    lambda r: r is None,
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
