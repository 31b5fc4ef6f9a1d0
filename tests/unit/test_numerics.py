"""Stable activations and reproducible training."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_tutorial.nn.activations import sigmoid, tanh
from lstm_tutorial.nn.lstm import LSTMParams, lstm_backward, lstm_forward
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.nn.rnn import RNNParams, rnn_backward, rnn_forward
from lstm_tutorial.nn.train import fit
from lstm_tutorial.tasks.data import make_windows, sine_wave


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_and_tanh_match_torch_and_never_warn(dtype: type) -> None:
    # pytest turns every warning into an error here, overflow included.
    z = np.concatenate([np.linspace(-40, 40, 801), [-1e4, -1e3, -750.0, 750.0, 1e3, 1e4]]).astype(dtype)
    s, t = sigmoid(z), tanh(z)
    assert s.dtype == dtype and t.dtype == dtype
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    # The tanh identity rounds twice more than torch's kernel: a few units in the last place.
    tol = 4 * np.finfo(dtype).eps
    np.testing.assert_allclose(s, torch.sigmoid(torch.from_numpy(z)).numpy(), rtol=0, atol=tol)
    np.testing.assert_allclose(t, torch.tanh(torch.from_numpy(z)).numpy(), rtol=0, atol=tol)
    assert s[-1] == 1.0 and s[-6] == 0.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstm_is_finite_for_huge_pre_activations(dtype: type) -> None:
    params = LSTMParams.init(2, 3, seed=0, dtype=dtype)
    params.W[:] = 1e4 * np.sign(params.W)
    x = np.random.default_rng(0).normal(size=(4, 6, 2)).astype(dtype)
    hs, cache = lstm_forward(x, params)
    dx, grads, (dh0, dc0) = lstm_backward(np.ones_like(hs), cache)
    for array in (hs, dx, grads.W, grads.U, grads.b, dh0, dc0):
        assert np.all(np.isfinite(array))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rnn_is_finite_for_huge_pre_activations(dtype: type) -> None:
    params = RNNParams.init(2, 3, seed=0, dtype=dtype)
    params.W[:] = 1e4 * np.sign(params.W)
    x = np.random.default_rng(0).normal(size=(4, 6, 2)).astype(dtype)
    hs, cache = rnn_forward(x, params)
    dx, grads, (dh0,) = rnn_backward(np.ones_like(hs), cache)
    for array in (hs, dx, grads.W, grads.U, grads.b, dh0):
        assert array.dtype == dtype
        assert np.all(np.isfinite(array))


def test_training_is_bit_for_bit_reproducible() -> None:
    x, y = make_windows(sine_wave(200), 10)

    def run(seed: int) -> tuple[list[float], list[np.ndarray]]:
        model = LSTMRegressor.init(1, 4, seed=seed)
        history = fit(model, x, y, epochs=3, batch_size=8, seed=seed, verbose=0)
        return history.loss, model.get_weights()

    loss_a, weights_a = run(0)
    loss_b, weights_b = run(0)
    loss_c, _ = run(1)
    assert loss_a == loss_b
    for a, b in zip(weights_a, weights_b, strict=True):
        np.testing.assert_array_equal(a, b)
    assert loss_a != loss_c
    assert loss_a[-1] < loss_a[0]


def test_fit_reports_the_sample_weighted_epoch_loss() -> None:
    """One epoch without shuffling at batch size N is one step: its loss is the MSE before it."""
    x, y = make_windows(sine_wave(60), 10)
    model = LSTMRegressor.init(1, 4, seed=0)
    before = float(np.mean((model.predict(x) - y) ** 2))
    history = fit(model, x, y, epochs=1, batch_size=len(y), shuffle=False, verbose=0)
    assert history.loss[0] == pytest.approx(before, rel=1e-12)
