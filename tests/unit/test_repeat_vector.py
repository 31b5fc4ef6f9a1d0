"""RepeatVector: its forward pass written out by hand, its backward pass against torch autograd and
finite differences, its place in a Sequential (kinds, widths, output steps), its config and a
saved model's round trip, and the one-hot cross-entropy beside it against torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_tutorial.nn.gradcheck import numerical_gradient, rel_error
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.losses import categorical_crossentropy, softmax
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.repeat import RepeatVector, repeat_vector_backward, repeat_vector_forward
from lstm_tutorial.nn.saving import load_params, save_params


def addition_like(dtype: type = np.float64, hidden: int = 5, steps: int = 4) -> Sequential:
    """Keras' addition model, small: LSTM -> RepeatVector -> LSTM(return_sequences) -> Dense."""
    rng = np.random.default_rng(0)
    return Sequential(
        [
            Recurrent(LSTMParams.init(12, hidden, seed=1, dtype=dtype)),
            RepeatVector(steps),
            Recurrent(LSTMParams.init(hidden, hidden, seed=2, dtype=dtype), return_sequences=True),
            Dense.init(hidden, 12, rng, dtype),
        ],
        loss="categorical_crossentropy",
    )


def one_hot(rng: np.random.Generator, shape: tuple[int, int], dtype: type = np.float64) -> np.ndarray:
    return np.eye(12, dtype=dtype)[rng.integers(0, 12, size=shape)]


def test_forward_puts_the_vector_at_every_step() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = repeat_vector_forward(x, 3)
    assert y.shape == (2, 3, 2)
    expected = [[[1.0, 2.0]] * 3, [[3.0, 4.0]] * 3]
    np.testing.assert_array_equal(y, expected)
    y[0, 0, 0] = 99.0  # a new array: x is untouched
    assert x[0, 0] == 1.0
    layer_y, _ = RepeatVector(3).forward(x)
    np.testing.assert_array_equal(layer_y, expected)


def test_backward_matches_torch_autograd_of_the_same_repeat() -> None:
    rng = np.random.default_rng(3)
    x, dy = rng.normal(size=(4, 6)), rng.normal(size=(4, 5, 6))
    x_t = torch.tensor(x, requires_grad=True)
    (x_t.unsqueeze(1).expand(4, 5, 6) * torch.from_numpy(dy)).sum().backward()
    dx, weight_grads = RepeatVector(5).backward(dy, None)
    assert weight_grads == []
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(repeat_vector_backward(dy), x_t.grad.numpy(), rtol=1e-12, atol=0)


def test_backward_matches_finite_differences_inside_the_model() -> None:
    model = addition_like()
    rng = np.random.default_rng(5)
    x, y = one_hot(rng, (3, 7)), one_hot(rng, (3, 4))
    _, grads = model.loss_and_grads(x, y)
    for weight, grad in zip(model.parameters(), grads.parameters(), strict=True):
        numeric = numerical_gradient(lambda: model.evaluate(x, y), weight)
        assert rel_error(grad, numeric) < 1e-6


def test_strict_checks_name_the_argument() -> None:
    with pytest.raises(TypeError, match="n must be an integer >= 1, got bool True"):
        RepeatVector(True)
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        RepeatVector(0)
    with pytest.raises(ValueError, match="x must have 2 dimensions"):
        repeat_vector_forward(np.zeros((2, 3, 4)), 2)
    with pytest.raises(TypeError, match="x must have dtype float32 or float64, got dtype int64"):
        repeat_vector_forward(np.zeros((2, 3), dtype=int), 2)
    with pytest.raises(ValueError, match="dy must have 3 dimensions"):
        repeat_vector_backward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"weights must be a list of 0 arrays \(\) for a RepeatVector"):
        RepeatVector(2).with_weights([np.zeros(1)])


def test_in_a_model_it_takes_a_vector_gives_n_steps_and_keeps_the_width() -> None:
    model = addition_like(np.float32, hidden=6, steps=4)
    x = one_hot(np.random.default_rng(0), (2, 7), np.float32)
    assert model.predict(x).shape == (2, 4, 12)  # 7 steps in, 4 out
    assert model.output_steps(7) == 4 and model.output_shape((2, 7, 12)) == ((2, 4, 12), "(N, T, K)")
    assert model.count_params() == 4 * 6 * (12 + 6 + 1) + 4 * 6 * (6 + 6 + 1) + 6 * 12 + 12
    with pytest.raises(ValueError, match=r"y must have shape \(N, T, K\) = \(2, 4, 12\)"):
        model.evaluate(x, one_hot(np.random.default_rng(0), (2, 7), np.float32))
    # After a layer that returns sequences there is no vector to repeat.
    with pytest.raises(TypeError, match="layers\\[1\\] must be a Recurrent, Bidirectional or Dense layer"):
        Sequential([Recurrent(LSTMParams.init(2, 3), return_sequences=True), RepeatVector(2)])
    # A recurrent layer giving a vector is now told about RepeatVector too.
    with pytest.raises(TypeError, match="layers\\[1\\] must be a RepeatVector or Dense layer"):
        Sequential([Recurrent(LSTMParams.init(2, 3)), Recurrent(LSTMParams.init(3, 3))])
    # The width RepeatVector passes on is checked against the next layer.
    with pytest.raises(ValueError, match="layers\\[2\\] takes 4 features but layers\\[1\\] gives 3"):
        Sequential([Recurrent(LSTMParams.init(2, 3)), RepeatVector(2), Recurrent(LSTMParams.init(4, 3))])
    with pytest.raises(TypeError, match="layers\\[0\\] must be"):
        Sequential([RepeatVector(2), Dense.init(2, 2, np.random.default_rng(0), np.float64)])


def test_config_and_saved_model_round_trip(tmp_path: Path) -> None:
    layer = RepeatVector(4)
    assert layer.get_config() == {"n": 4}
    assert RepeatVector.from_config({"n": 4}, []) == layer
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        RepeatVector.from_config({"n": 0}, [])
    with pytest.raises(ValueError, match="unknown \\['rate'\\]"):
        RepeatVector.from_config({"n": 4, "rate": 0.5}, [])
    model = addition_like(np.float32)
    loaded = load_params(save_params(tmp_path / "addition.npz", model))
    assert isinstance(loaded, Sequential) and loaded.loss == "categorical_crossentropy"
    assert [type(k).__name__ for k in loaded.layers] == ["Recurrent", "RepeatVector", "Recurrent", "Dense"]
    assert loaded.layers[1] == RepeatVector(4)
    x = one_hot(np.random.default_rng(1), (3, 7), np.float32)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_categorical_crossentropy_matches_torch_on_one_hot_and_weighted_targets() -> None:
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(3, 4, 12)) * 3
    for y in (one_hot(rng, (3, 4)), 2 * rng.dirichlet(np.ones(12), size=(3, 4))):  # rows summing to 2
        z = torch.tensor(logits, requires_grad=True)
        loss_t = torch.nn.functional.cross_entropy(z.reshape(-1, 12), torch.from_numpy(y.reshape(-1, 12)))
        loss_t.backward()
        loss, grad = categorical_crossentropy(logits, y)
        assert loss == pytest.approx(loss_t.item(), rel=1e-12)
        np.testing.assert_allclose(grad, z.grad.numpy(), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(
        softmax(logits), torch.softmax(torch.from_numpy(logits), -1).numpy(), rtol=1e-12
    )
