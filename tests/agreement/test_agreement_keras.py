"""NumPy against Keras 3 (float32, torch backend): layers, the sine model, and training step by step."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tutorial.frameworks.keras import build_sine_model, from_keras, keras, to_keras
from lstm_tutorial.nn.lstm import LSTMParams, lstm_forward
from lstm_tutorial.nn.optim import Adam
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.tasks.data import make_windows, sine_wave

KERAS_FORWARD_TOL = 1e-5  # max abs difference, float32
SHAPES = [(1, 10, 1, 4), (32, 1, 1, 1), (3, 7, 2, 5), (8, 50, 8, 32), (16, 20, 4, 16)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_lstm_forward_matches_keras_layer(shape: tuple[int, int, int, int]) -> None:
    batch, steps, inputs, hidden = shape
    rng = np.random.default_rng(sum(shape))
    layer = keras.layers.LSTM(hidden, return_sequences=True, return_state=True)
    layer.build((None, steps, inputs))
    # Random weights and bias written into Keras, then read back the documented way.
    kernel, recurrent, bias = (
        rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in layer.get_weights()
    )
    layer.set_weights([kernel, recurrent, bias])
    x = rng.normal(size=(batch, steps, inputs)).astype(np.float32)
    h0, c0 = rng.normal(size=(2, batch, hidden)).astype(np.float32)

    k_hs, k_h, k_c = (keras.ops.convert_to_numpy(t) for t in layer(x, initial_state=[h0, c0]))
    params = LSTMParams(kernel, recurrent, bias)
    hs, cache = lstm_forward(x, params, h0, c0)

    assert hs.dtype == np.float32
    assert np.abs(hs - k_hs).max() <= KERAS_FORWARD_TOL
    assert np.abs(cache.h_last - k_h).max() <= KERAS_FORWARD_TOL
    assert np.abs(cache.c_last - k_c).max() <= KERAS_FORWARD_TOL


def test_from_keras_is_byte_for_byte_and_init_matches_keras_defaults() -> None:
    layer = keras.layers.LSTM(6)
    layer.build((None, 5, 3))
    params = from_keras(layer)
    assert isinstance(params, LSTMParams)
    for ours, theirs in zip(params.as_list(), layer.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    # Keras' defaults: zero bias but 1.0 on the forget block, orthonormal rows of U.
    ours = LSTMParams.init(3, 6, seed=0, dtype=np.float32)
    np.testing.assert_array_equal(ours.b, layer.get_weights()[2])
    np.testing.assert_allclose(ours.U @ ours.U.T, np.eye(6), atol=1e-5)
    np.testing.assert_allclose(params.U @ params.U.T, np.eye(6), atol=1e-5)
    assert np.abs(ours.W).max() <= np.sqrt(6 / (3 + 24))


def test_trained_keras_sine_model_moves_to_numpy_and_back() -> None:
    x, y = make_windows(sine_wave(dtype=np.float32), 10)
    model = build_sine_model(seed=1)
    model.fit(x, y, epochs=3, batch_size=32, verbose=0, shuffle=False)
    keras_pred = model.predict(x, verbose=0)[:, 0]

    numpy_model = from_keras(model)
    assert isinstance(numpy_model, LSTMRegressor)
    assert np.abs(numpy_model.predict(x) - keras_pred).max() <= KERAS_FORWARD_TOL

    # Back again: a fresh Keras model given the NumPy weights predicts the same.
    fresh = build_sine_model(seed=2)
    assert np.abs(fresh.predict(x, verbose=0)[:, 0] - keras_pred).max() > 1e-3  # really different first
    to_keras(numpy_model, fresh)
    assert np.abs(fresh.predict(x, verbose=0)[:, 0] - keras_pred).max() <= KERAS_FORWARD_TOL
    # set_weights takes Keras' get_weights() directly.
    other = LSTMRegressor.init(seed=5, dtype=np.float32)
    other.set_weights(model.get_weights())
    assert np.abs(other.predict(x) - keras_pred).max() <= KERAS_FORWARD_TOL


def test_fifty_adam_steps_agree_with_keras() -> None:
    """Same initial weights, same batches in the same order: NumPy and Keras stay together."""
    x, y = make_windows(sine_wave(dtype=np.float32), 10)
    keras_model = build_sine_model(seed=3)
    numpy_model = from_keras(keras_model)
    assert isinstance(numpy_model, LSTMRegressor)
    start_weights = numpy_model.get_weights()
    optimizer = Adam()
    order = np.random.default_rng(0).permutation(len(y))
    batch_size = 16
    keras_losses, numpy_losses = [], []
    for step in range(50):
        index = order[(step * batch_size) % len(y) :][:batch_size]
        loss, grads = numpy_model.loss_and_grads(x[index], y[index])
        optimizer.step(numpy_model.parameters(), grads.parameters())
        numpy_losses.append(loss)
        keras_losses.append(float(keras_model.train_on_batch(x[index], y[index])))

    keras_losses_arr, numpy_losses_arr = np.array(keras_losses), np.array(numpy_losses)
    assert numpy_losses_arr[-10:].mean() < numpy_losses_arr[:10].mean()  # it did learn something
    assert np.max(np.abs(numpy_losses_arr - keras_losses_arr) / keras_losses_arr) <= 1e-4
    for ours, theirs, start in zip(
        numpy_model.get_weights(), keras_model.get_weights(), start_weights, strict=True
    ):
        assert np.abs(ours - theirs).max() <= 1e-4
        assert np.abs(ours - start).max() > 1e-2  # 50 steps of about 1e-3 each really moved them


def test_keras_adam_and_numpy_adam_agree_on_raw_gradients() -> None:
    """The optimizer alone, on given gradients, against keras.optimizers.Adam."""
    rng = np.random.default_rng(0)
    start = rng.normal(size=(3, 4)).astype(np.float32)
    gradients = rng.normal(size=(20, 3, 4)).astype(np.float32)
    variable = keras.Variable(start.copy())
    keras_adam = keras.optimizers.Adam()
    ours = start.copy()
    numpy_adam = Adam()
    for grad in gradients:
        keras_adam.apply_gradients([(keras.ops.convert_to_tensor(grad), variable)])
        numpy_adam.step([ours], [grad])
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(variable), rtol=0, atol=1e-6)
    assert np.abs(ours - start).max() > 1e-3  # the variable moved


def test_build_sine_model_is_the_classic_configuration() -> None:
    model = build_sine_model()
    lstm_layer, dense = model.layers
    assert isinstance(lstm_layer, keras.layers.LSTM) and lstm_layer.units == 4
    assert isinstance(dense, keras.layers.Dense) and dense.units == 1
    assert model.input_shape == (None, 10, 1)
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    assert model.loss == "mean_squared_error"
    # 4 * (1*4 + 4*4 + 4) LSTM weights + 4 + 1 Dense weights.
    assert model.count_params() == 4 * (4 + 16 + 4) + 5
