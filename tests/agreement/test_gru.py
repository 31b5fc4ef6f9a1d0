"""lstm_tutorial.nn.gru against the real thing: torch.nn.GRU with autograd (float64), a Keras GRU layer
(float32, reset_after=True), and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_tutorial.frameworks.torch import from_torch, to_torch
from lstm_tutorial.nn.gradcheck import numerical_gradient, rel_error
from lstm_tutorial.nn.gru import GRUParams, gru_backward, gru_forward, gru_step
from lstm_tutorial.nn.regressors import GRURegressor

SHAPES = [(1, 1, 1, 1), (3, 7, 2, 5), (4, 12, 3, 8), (2, 1, 4, 3)]  # (B, T, D, H)


def random_params(inputs: int, hidden: int, seed: int, dtype: type = np.float64) -> GRUParams:
    rng = np.random.default_rng(seed)
    return GRUParams(
        rng.normal(scale=0.6, size=(inputs, 3 * hidden)).astype(dtype),
        rng.normal(scale=0.5, size=(hidden, 3 * hidden)).astype(dtype),
        rng.normal(scale=0.3, size=(2, 3 * hidden)).astype(dtype),
    )


@pytest.mark.parametrize(("batch", "steps", "inputs", "hidden"), SHAPES)
def test_forward_and_gradients_match_torch_autograd(batch: int, steps: int, inputs: int, hidden: int) -> None:
    rng = np.random.default_rng(batch * 100 + steps)
    params = random_params(inputs, hidden, seed=steps)
    x = rng.normal(size=(batch, steps, inputs))
    h0 = rng.normal(size=(batch, hidden))
    dhs = rng.normal(size=(batch, steps, hidden))

    hs, cache = gru_forward(x, params, h0)
    dx, grads, (dh0,) = gru_backward(dhs, cache)

    module = to_torch(params)
    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)
    out, h_last = module(x_t, h0_t)
    (out * torch.from_numpy(dhs)).sum().backward()
    assert np.abs(hs - out.detach().numpy()).max() <= 1e-12
    assert np.abs(hs[:, -1] - h_last[0].detach().numpy()).max() <= 1e-12
    expected = from_torch(_grads_as_module(module))
    assert rel_error(grads.W, expected.W) <= 1e-9
    assert rel_error(grads.U, expected.U) <= 1e-9
    assert rel_error(grads.b, expected.b) <= 1e-9
    assert rel_error(dx, x_t.grad.numpy()) <= 1e-9
    assert rel_error(dh0, h0_t.grad[0].numpy()) <= 1e-9


def _grads_as_module(module: torch.nn.GRU) -> torch.nn.GRU:
    """A GRU whose weights are the gradients of ``module``'s, so from_torch reorders them too."""
    holder = torch.nn.GRU(module.input_size, module.hidden_size, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        for name, param in module.named_parameters():
            getattr(holder, name).copy_(param.grad)
    return holder


def test_matches_a_keras_gru_layer_in_float32() -> None:
    from lstm_tutorial.frameworks.keras import keras

    batch, steps, inputs, hidden = 5, 9, 2, 6
    params = random_params(inputs, hidden, seed=1, dtype=np.float32)
    layer = keras.layers.GRU(hidden, return_sequences=True, return_state=True)  # reset_after=True
    layer.build((None, steps, inputs))
    assert [w.shape for w in layer.get_weights()] == [p.shape for p in params.as_list()]
    layer.set_weights(params.as_list())
    rng = np.random.default_rng(2)
    x = rng.normal(size=(batch, steps, inputs)).astype(np.float32)
    h0 = rng.normal(size=(batch, hidden)).astype(np.float32)
    theirs, theirs_last = (keras.ops.convert_to_numpy(t) for t in layer(x, initial_state=[h0]))
    ours, _ = gru_forward(x, params, h0)
    assert ours.dtype == np.float32
    assert np.abs(ours - theirs).max() <= 1e-5
    assert np.abs(ours[:, -1] - theirs_last).max() <= 1e-5
    assert np.abs(theirs).max() > 0.1  # a real signal, not zeros


def test_finite_differences() -> None:
    rng = np.random.default_rng(3)
    params = random_params(2, 3, seed=4)
    x = rng.normal(size=(2, 5, 2))
    weights = rng.normal(size=(2, 5, 3))

    def loss() -> float:
        hs, _ = gru_forward(x, params)
        return float(np.sum(hs * weights))

    _, cache = gru_forward(x, params)
    dx, grads, _ = gru_backward(weights, cache)
    for name in ("W", "U", "b"):
        assert rel_error(getattr(grads, name), numerical_gradient(loss, getattr(params, name))) <= 1e-6
    assert rel_error(dx, numerical_gradient(loss, x)) <= 1e-6


def test_torch_round_trip_and_step() -> None:
    params = random_params(3, 4, seed=5)
    back = from_torch(to_torch(params))
    for a, b in zip(back.as_list(), params.as_list(), strict=True):
        np.testing.assert_array_equal(a, b)
    rng = np.random.default_rng(6)
    x_t, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    hs, _ = gru_forward(x_t[:, None], params, h)
    np.testing.assert_array_equal(gru_step(x_t, h, params), hs[:, 0])


def test_regressor_loss_and_grads_match_torch() -> None:
    model = GRURegressor.init(input_size=1, hidden_size=4, seed=7)
    model.gru.b[:] = np.random.default_rng(8).normal(scale=0.2, size=model.gru.b.shape)
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(6, 10, 1)), rng.normal(size=6)
    loss, grads = model.loss_and_grads(x, y)

    module = to_torch(model.gru)
    dense_W = torch.tensor(model.dense_W, requires_grad=True)
    dense_b = torch.tensor(model.dense_b, requires_grad=True)
    out, _ = module(torch.from_numpy(x))
    torch_loss = torch.mean(((out[:, -1] @ dense_W + dense_b)[:, 0] - torch.from_numpy(y)) ** 2)
    torch_loss.backward()
    assert loss == pytest.approx(torch_loss.item(), rel=1e-12)
    expected = from_torch(_grads_as_module(module))
    for name in ("W", "U", "b"):
        assert rel_error(getattr(grads.gru, name), getattr(expected, name)) <= 1e-9
    assert rel_error(grads.dense_W, dense_W.grad.numpy()) <= 1e-9
    assert rel_error(grads.dense_b, dense_b.grad.numpy()) <= 1e-9
    np.testing.assert_allclose(model.predict(x), (out[:, -1] @ dense_W + dense_b)[:, 0].detach().numpy())


def test_parameter_count_is_keras() -> None:
    from lstm_tutorial.frameworks.keras import keras

    model = GRURegressor.init(input_size=3, hidden_size=5)
    keras_model = keras.Sequential([keras.Input((7, 3)), keras.layers.GRU(5), keras.layers.Dense(1)])
    assert model.count_params() == keras_model.count_params() == 3 * (3 * 5 + 5 * 5 + 2 * 5) + 5 + 1


BAD_INPUT = [
    (
        lambda: GRUParams(np.zeros((2, 6)), np.zeros((2, 6)), np.zeros(6)),
        ValueError,
        r"b must have shape \(2, 3H\) = \(2, 6\) to match U of shape \(2, 6\), got \(6,\)",
    ),
    (
        lambda: GRUParams(np.zeros((2, 9)), np.zeros((2, 6)), np.zeros((2, 6))),
        ValueError,
        r"W must have shape",
    ),
    (
        lambda: gru_forward(np.zeros((1, 3, 5)), GRUParams.init(2, 2)),
        ValueError,
        r"x must have shape \(B, T, D\) with D = input_size = 2, got \(1, 3, 5\)",
    ),
    (
        lambda: gru_forward(np.zeros((1, 3, 2), np.float32), GRUParams.init(2, 2)),
        TypeError,
        "x has dtype float32 but params has dtype float64",
    ),
    (
        lambda: gru_forward(np.zeros((1, 3, 2)), GRUParams.init(2, 2), h0=np.zeros((2, 2))),
        ValueError,
        r"h0 must have shape \(B, H\) = \(1, 2\), got \(2, 2\)",
    ),
    (lambda: gru_forward(np.zeros((1, 3, 2)), "weights"), TypeError, "params must be a GRUParams"),  # type: ignore[arg-type]
    (
        lambda: from_torch(torch.nn.GRU(2, 3, num_layers=2)),
        ValueError,
        "one-layer, unidirectional torch.nn.GRU with biases, got num_layers=2",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_that_names_it(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]
