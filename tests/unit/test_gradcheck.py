"""Backpropagation against centred finite differences (float64), and the gradcheck helpers themselves."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.nn.gradcheck import numerical_gradient, numerical_gradient_at, rel_error
from lstm_tutorial.nn.lstm import LSTMParams, lstm_backward, lstm_forward
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.nn.rnn import RNNParams, rnn_backward, rnn_forward

FD_TOL = 1e-6


def test_rel_error_and_numerical_gradient_on_a_known_function() -> None:
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(np.sqrt(2) / 2)
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    numeric = numerical_gradient(lambda: float(np.sum(np.sin(x) * x)), x)
    assert rel_error(numeric, np.cos(x) * x + np.sin(x)) <= 1e-9
    np.testing.assert_array_equal(x, [[0.3, -1.2], [2.0, 0.5]])  # restored


@pytest.mark.parametrize("shape", [(1, 10, 1, 4), (3, 6, 2, 5), (2, 15, 4, 3)], ids=str)
def test_lstm_bptt_matches_finite_differences(shape: tuple[int, int, int, int]) -> None:
    batch, steps, inputs, hidden = shape
    rng = np.random.default_rng(sum(shape))
    params = LSTMParams.init(inputs, hidden, seed=1)
    params.b[:] = rng.normal(size=4 * hidden)
    x = rng.normal(size=(batch, steps, inputs))
    h0, c0 = rng.normal(size=(2, batch, hidden))
    dhs = rng.normal(size=(batch, steps, hidden))

    def loss() -> float:
        hs, _ = lstm_forward(x, params, h0, c0)
        return float(np.sum(hs * dhs))

    _, cache = lstm_forward(x, params, h0, c0)
    dx, grads, (dh0, dc0) = lstm_backward(dhs, cache)
    for name, array, analytic in [
        ("W", params.W, grads.W),
        ("U", params.U, grads.U),
        ("b", params.b, grads.b),
        ("x", x, dx),
        ("h0", h0, dh0),
        ("c0", c0, dc0),
    ]:
        assert rel_error(analytic, numerical_gradient(loss, array)) <= FD_TOL, name


def test_rnn_bptt_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    params = RNNParams.init(3, 4, seed=2)
    x = rng.normal(size=(2, 8, 3))
    dhs = rng.normal(size=(2, 8, 4))

    def loss() -> float:
        return float(np.sum(rnn_forward(x, params)[0] * dhs))

    dx, grads, _ = rnn_backward(dhs, rnn_forward(x, params)[1])
    for array, analytic in [(params.W, grads.W), (params.U, grads.U), (params.b, grads.b), (x, dx)]:
        assert rel_error(analytic, numerical_gradient(loss, array)) <= FD_TOL


def test_regressor_loss_and_grads_match_finite_differences() -> None:
    rng = np.random.default_rng(1)
    model = LSTMRegressor.init(2, 5, seed=3)
    x = rng.normal(size=(7, 9, 2))
    y = rng.normal(size=7)
    loss, grads = model.loss_and_grads(x, y)
    assert loss == pytest.approx(float(np.mean((model.predict(x) - y) ** 2)), rel=1e-14)

    def f() -> float:
        return model.loss_and_grads(x, y)[0]

    for array, analytic in zip(model.parameters(), grads.parameters(), strict=True):
        assert rel_error(analytic, numerical_gradient(f, array)) <= FD_TOL


def test_numerical_gradient_at_picks_entries() -> None:
    x = np.array([1.0, 2.0, 3.0])
    values = numerical_gradient_at(lambda: float(np.sum(x**3)), x, [(0,), (2,)])
    np.testing.assert_allclose(values, [3.0, 27.0], rtol=1e-9)
