"""lstm_tutorial.tasks.mlp: the feed-forward baseline, against torch autograd and Keras, and its training.

Independent witnesses: torch's ``nn.Linear``/``Tanh``/``ReLU`` stack and its autograd (float64) for the
forward pass and every gradient; Keras' ``Sequential([Flatten, Dense, ...])`` for the predictions and the
weight count; a loop written here for the early stopping's choice of epoch.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_tutorial.tasks.data import adding_problem, make_windows, sine_wave
from lstm_tutorial.tasks.mlp import MLPParams, fit_mlp, mlp_backward, mlp_forward

CASES = [  # (N, T, D, hidden sizes, activation)
    (5, 4, 1, (3,), "tanh"),
    (7, 3, 2, (4, 5), "tanh"),
    (6, 5, 2, (6, 3), "relu"),
    (1, 1, 1, (2,), "relu"),
]


def _torch_mlp(params: MLPParams) -> torch.nn.Sequential:
    """The same network in torch: Flatten, then Linear (weights transposed) and the activation."""
    modules: list[torch.nn.Module] = [torch.nn.Flatten()]
    for k in range(0, len(params.weights), 2):
        W, b = params.weights[k], params.weights[k + 1]
        linear = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T))
            linear.bias.copy_(torch.from_numpy(b))
        modules.append(linear)
        if k < len(params.weights) - 2:
            modules.append(torch.nn.Tanh() if params.activation == "tanh" else torch.nn.ReLU())
    return torch.nn.Sequential(*modules)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_forward_and_every_gradient_match_torch_autograd(case: tuple) -> None:  # type: ignore[type-arg]
    n, steps, features, hidden, activation = case
    rng = np.random.default_rng(n + steps)
    params = MLPParams.init(steps * features, hidden, activation=activation, seed=3, dtype=np.float64)
    for w in params.weights[1::2]:  # non-zero biases, so that a missing bias would show
        w += rng.normal(scale=0.3, size=w.shape)
    x = rng.normal(size=(n, steps, features))
    dy = rng.normal(size=n)

    y, cache = mlp_forward(x, params)
    dx, grads = mlp_backward(dy, cache)

    module = _torch_mlp(params)
    x_torch = torch.tensor(x, requires_grad=True)
    y_torch = module(x_torch)[:, 0]
    (y_torch * torch.from_numpy(dy)).sum().backward()
    assert y.shape == (n,) and dx.shape == x.shape
    np.testing.assert_allclose(y, y_torch.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx, x_torch.grad.numpy(), rtol=1e-10, atol=1e-12)
    linears = [m for m in module if isinstance(m, torch.nn.Linear)]
    expected = [g for m in linears for g in (m.weight.grad.numpy().T, m.bias.grad.numpy())]
    assert len(grads) == len(expected) == len(params.weights)
    for ours, theirs in zip(grads, expected, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_predictions_and_weight_count_match_keras() -> None:
    from lstm_tutorial.frameworks.keras import keras

    params = MLPParams.init(16, (32, 32), seed=0, dtype=np.float32)
    model = keras.Sequential(
        [
            keras.Input((16, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(32, activation="tanh"),
            keras.layers.Dense(32, activation="tanh"),
            keras.layers.Dense(1),
        ]
    )
    model.set_weights(params.weights)
    x, _ = make_windows(sine_wave(100, 25.0, dtype=np.float32), 16)
    theirs = keras.ops.convert_to_numpy(model(x))[:, 0]
    assert params.count_params() == model.count_params() == 16 * 32 + 32 + 32 * 32 + 32 + 32 + 1
    np.testing.assert_allclose(params.predict(x), theirs, rtol=0, atol=1e-5)


def test_relu_passes_only_positive_pre_activations() -> None:
    # One hidden unit z = x1 + x2 - 1 and y = relu(z): the adding problem's product v m for m in {0, 1}.
    params = MLPParams(
        [np.array([[1.0], [1.0]]), np.array([-1.0]), np.array([[1.0]]), np.array([0.0])], "relu"
    )
    x = np.array([[[0.3, 1.0]], [[0.3, 0.0]], [[0.9, 1.0]]])
    np.testing.assert_allclose(params.predict(x), [0.3, 0.0, 0.9], rtol=1e-15)
    _, cache = mlp_forward(x, params)
    _, grads = mlp_backward(np.ones(3), cache)
    np.testing.assert_allclose(grads[0][:, 0], [0.3 + 0.9, 2.0])  # only the active rows count


def test_init_follows_keras_defaults_and_the_seed() -> None:
    params = MLPParams.init(10, (8, 4), seed=5)
    assert [w.shape for w in params.weights] == [(10, 8), (8,), (8, 4), (4,), (4, 1), (1,)]
    assert all(w.dtype == np.float32 for w in params.weights)
    assert params.input_size == 10 and params.hidden_sizes == (8, 4)
    assert all(not b.any() for b in params.weights[1::2])  # zero biases
    assert np.abs(params.weights[0]).max() <= np.sqrt(6 / (10 + 8))  # Glorot uniform
    again = MLPParams.init(10, (8, 4), seed=5)
    assert all(np.array_equal(a, b) for a, b in zip(params.weights, again.weights, strict=True))
    copy = params.copy()
    copy.weights[0][0, 0] += 1.0
    assert copy.weights[0][0, 0] != params.weights[0][0, 0]


def test_fit_keeps_the_epoch_with_the_lowest_validation_error_and_stops_after_patience() -> None:
    x, y = adding_problem(300, 6, seed=1)
    x_val, y_val = adding_problem(100, 6, seed=2)
    result = fit_mlp(x, y, x_val, y_val, (8,), learning_rate=0.01, max_epochs=60, patience=5, seed=0)
    best = int(np.argmin(result.val_loss)) + 1
    assert result.best_epoch == best
    # it stopped exactly patience epochs after the best one, or at max_epochs
    assert result.epochs == min(60, best + 5)
    assert len(result.train_loss) == result.epochs and result.seconds > 0
    # the returned weights are the best epoch's: their validation error is the recorded minimum
    error = result.predict(x_val) - y_val
    assert np.mean(error**2) == pytest.approx(min(result.val_loss), rel=1e-12)
    assert min(result.val_loss) < 0.5 * np.var(y_val)  # it learned something on this short sequence


def test_fit_is_reproducible_and_the_seed_matters() -> None:
    x, y = adding_problem(200, 5, seed=1, dtype=np.float32)
    x_val, y_val = adding_problem(50, 5, seed=2, dtype=np.float32)
    runs = [fit_mlp(x, y, x_val, y_val, (4,), max_epochs=3, seed=s) for s in (0, 0, 1)]
    assert runs[0].val_loss == runs[1].val_loss
    assert runs[0].val_loss != runs[2].val_loss
    assert runs[0].params.weights[0].dtype == np.float32


def test_bad_arguments_are_refused_by_name() -> None:
    x, y = adding_problem(20, 4, seed=1)
    with pytest.raises(ValueError, match="x_val must hold windows of x's shape"):
        fit_mlp(x, y, x[:, :3], y, (4,))
    with pytest.raises(ValueError, match=r"y must have shape \(N,\) = \(20,\)"):
        fit_mlp(x, y[:5], x, y, (4,))
    with pytest.raises(TypeError, match="x_val has dtype float32"):
        fit_mlp(x, y, x.astype(np.float32), y, (4,))
    with pytest.raises(ValueError, match="activation must be one of"):
        fit_mlp(x, y, x, y, (4,), activation="sigmoid")
    with pytest.raises(TypeError, match="hidden_sizes must be a non-empty list"):
        fit_mlp(x, y, x, y, 4)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="patience must be an integer >= 1"):
        fit_mlp(x, y, x, y, (4,), patience=0)
    params = MLPParams.init(8, (3,), dtype=np.float64)
    with pytest.raises(ValueError, match="x must have T D = 8 numbers a window"):
        mlp_forward(x[:, :3], params)
    with pytest.raises(ValueError, match="weights\\[2\\] must have 3 rows"):
        MLPParams([np.ones((8, 3)), np.zeros(3), np.ones((4, 1)), np.zeros(1)])
    with pytest.raises(ValueError, match="the last kernel must have one column"):
        MLPParams([np.ones((8, 3)), np.zeros(3)])
    _, cache = mlp_forward(x, params)
    with pytest.raises(ValueError, match="dy must have 1 dimensions"):
        mlp_backward(np.ones((20, 1)), cache)
