"""Dropout against the real thing: Keras 3's ``Dropout`` and ``LSTM``/``GRU``/``SimpleRNN(dropout=p)``
in training mode, and torch's dropout with its autograd, each with the same masks as ours.

Masks are random on both sides, so they are made equal: Keras' ``Dropout`` and torch's
``F.dropout`` are called as they are and the mask they drew is read off their output (a
kept unit is x / (1 - p), a dropped one 0); a Keras recurrent layer's mask is read by
wrapping its cell's ``get_dropout_mask``, the one place Keras draws it, so Keras still
draws and applies it itself. Ours then runs with that mask (``dropout_mask=``). The other
way round, a whole model's training step (``Sequential.loss_and_grads``, what ``fit``
runs) is compared with Keras' (``agree.keras_loss_and_grads``: its compiled loss and torch
autograd) with the mask our layer drew handed to Keras' cell. Weight gradients are torch
autograd through the Keras layers; nothing of this package computes the reference side.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial.frameworks.agree import keras_loss_and_grads
from lstm_tutorial.frameworks.keras import from_keras, keras, to_keras
from lstm_tutorial.frameworks.torch import from_torch, to_torch
from lstm_tutorial.nn.dropout import Dropout, dropout_backward, dropout_forward, dropout_mask
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.gru import GRUParams
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.rnn import RNNParams

KERAS_TOL = {np.float32: 2e-6, np.float64: 1e-6}
"""Largest relative error (``rel_error``, over whole arrays) between ours and Keras': float32
rounding over a few steps. Float64 is held to the same order because Keras' generic RNN loop on
the torch backend rounds somewhere to float32 even in a float64 layer (3e-8 measured without any
dropout; its fused LSTM and GRU paths agree to 1e-16). A wrong mask or scale is off by O(1)."""
TORCH_TOL = 1e-13
"""The same for torch's own ops, float64 throughout."""

CELLS = {"LSTM": LSTMParams, "GRU": GRUParams, "SimpleRNN": RNNParams}


def to_numpy(tensor: Any) -> np.ndarray:
    return np.asarray(tensor.detach().cpu().numpy())


def read_mask(y: np.ndarray, rate: float, dtype: Any) -> np.ndarray:
    """The mask a dropout call used, read off its output y for an x without zeros."""
    return (y != 0).astype(dtype) / dtype(1 - rate)


# --- Keras' Dropout layer -------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keras_dropout_in_training_is_ours_with_the_mask_it_drew(dtype: Any) -> None:
    rate = 0.3
    rng = np.random.default_rng(1)
    x, dy = (
        (rng.uniform(0.5, 2.0, size=(4, 6, 5)) * rng.choice([-1, 1], size=(4, 6, 5))).astype(dtype),
        rng.normal(size=(4, 6, 5)).astype(dtype),
    )
    theirs = keras.layers.Dropout(rate, seed=3, dtype=str(np.dtype(dtype)))
    x_t = torch.tensor(x, requires_grad=True)
    y_t = theirs(x_t, training=True)
    (y_t * torch.from_numpy(dy)).sum().backward()
    y_keras = to_numpy(y_t)
    mask = read_mask(y_keras, rate, dtype)
    assert 0 < np.count_nonzero(mask) < mask.size  # Keras did drop, and did keep

    ours = Dropout(rate, seed=3)
    y, cache = ours.forward(x, training=True, dropout_mask=mask)
    dx, grads = ours.backward(dy, cache)
    errors = rel_error(y, y_keras), rel_error(dx, to_numpy(x_t.grad))
    print(f"Dropout {np.dtype(dtype)}: y {errors[0]:.1e}, dx {errors[1]:.1e}")
    assert grads == [] and theirs.get_weights() == []  # no weights either side
    assert rel_error(y, y_keras) <= KERAS_TOL[dtype]
    assert rel_error(dx, to_numpy(x_t.grad)) <= KERAS_TOL[dtype]
    np.testing.assert_array_equal(to_numpy(theirs(torch.from_numpy(x), training=False)), ours.forward(x)[0])


# --- Keras' recurrent layers with dropout=p -------------------------------------------------------------


def keras_recurrent_layer(ours: Recurrent) -> Any:
    """The Keras twin ``to_keras`` builds for a one-layer model of ``ours``, weights copied."""
    keras_model = to_keras(
        Sequential([ours, Dense.init(ours.output_size, 1, np.random.default_rng(0), ours.dtype)])
    )
    return keras_model.layers[0]


def spy_on_masks(keras_layer: Any) -> list[Any]:
    """Record every mask Keras' cell hands out; Keras still draws each one itself."""
    drawn: list[Any] = []
    draw = keras_layer.cell.get_dropout_mask

    def recorded(step_input: Any) -> Any:
        mask = draw(step_input)
        drawn.append(mask)
        return mask

    keras_layer.cell.get_dropout_mask = recorded
    return drawn


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", list(CELLS))
def test_keras_recurrent_dropout_in_training_is_ours_with_the_mask_it_drew(kind: str, dtype: Any) -> None:
    batch, steps, features, units, rate = 5, 7, 4, 3, 0.4
    rng = np.random.default_rng(len(kind))
    cell = CELLS[kind].init(features, units, seed=2, dtype=dtype)
    cell.b[...] = rng.normal(size=cell.b.shape)  # non-zero biases, so every weight has a gradient
    ours = Recurrent(cell, return_sequences=True, dropout=rate, seed=6)
    theirs = keras_recurrent_layer(ours)
    assert theirs.get_config()["dropout"] == rate and theirs.get_config()["recurrent_dropout"] == 0.0
    drawn = spy_on_masks(theirs)
    x, dy = (
        rng.normal(size=(batch, steps, features)).astype(dtype),
        rng.normal(size=(batch, steps, units)).astype(dtype),
    )

    x_t = torch.tensor(x, requires_grad=True)
    y_t = theirs(x_t, training=True)
    (y_t * torch.from_numpy(dy)).sum().backward()
    # Keras' semantics, read off what it did: ONE mask per call, (B, D), for every step (and gate).
    assert drawn and all(mask is drawn[0] for mask in drawn)
    mask = to_numpy(drawn[0])
    assert mask.shape == (batch, features) and 0 < np.count_nonzero(mask) < mask.size
    assert not np.allclose(to_numpy(y_t), to_numpy(theirs(torch.from_numpy(x), training=False)))

    y, cache = ours.forward(x, training=True, dropout_mask=mask)
    dx, grads = ours.backward(dy, cache)
    keras_grads = [to_numpy(variable.value.grad) for variable in theirs.trainable_variables]
    worst = max(rel_error(a, b) for a, b in zip(grads, keras_grads, strict=True))
    print(
        f"{kind}(dropout) {np.dtype(dtype)}: y {rel_error(y, to_numpy(y_t)):.1e}, "
        f"dx {rel_error(dx, to_numpy(x_t.grad)):.1e}, weight grads up to {worst:.1e}"
    )
    assert rel_error(y, to_numpy(y_t)) <= KERAS_TOL[dtype]
    assert rel_error(dx, to_numpy(x_t.grad)) <= KERAS_TOL[dtype]
    for label, ours_grad, keras_grad in zip(ours.weight_labels(), grads, keras_grads, strict=True):
        assert rel_error(ours_grad, keras_grad) <= KERAS_TOL[dtype], label


def test_a_training_step_with_dropout_is_keras_training_step_with_our_masks() -> None:
    """``loss_and_grads`` (fit's step) against Keras' compiled loss and torch autograd, float64; the
    masks our layers draw are handed to Keras' cells, so both sides drop the same inputs."""
    rng = np.random.default_rng(7)
    model = Sequential(
        [
            Recurrent(LSTMParams.init(3, 5, seed=1), return_sequences=True, dropout=0.3, seed=2),
            Recurrent(GRUParams.init(5, 4, seed=3), dropout=0.5, seed=4),
            Dense.init(4, 1, rng, np.float64),
        ]
    )
    x, y = rng.normal(size=(6, 8, 3)), rng.normal(size=6)
    probe = model.copy()  # draws the masks the model will draw
    h, first = probe.layers[0].forward(x, training=True)
    _, second = probe.layers[1].forward(h, training=True)
    masks = [first[1].mask[:, 0], second[1].mask[:, 0]]  # the (B, 1, D) masks, as (B, D)

    keras_model = to_keras(model)
    keras_model.compile(loss="mse")
    for keras_layer, mask in zip(keras_model.layers[:2], masks, strict=True):
        keras_layer.cell.get_dropout_mask = lambda step_input, mask=mask: torch.from_numpy(mask)
    keras_loss, keras_grads = keras_loss_and_grads(keras_model, x, y[:, None])
    loss, grads = model.loss_and_grads(x, y)
    errors = [
        rel_error(ours_grad, keras_grad)
        for ours_grad, keras_grad in zip(grads.parameters(), keras_grads, strict=True)
    ]
    print(
        f"training step: loss {abs(loss - keras_loss) / abs(keras_loss):.1e}, grads up to {max(errors):.1e}"
    )
    assert abs(loss - keras_loss) <= KERAS_TOL[np.float64] * abs(keras_loss)
    _, inference = model.loss_and_grads(x, y, training=False)
    assert rel_error(grads.parameters()[0], inference.parameters()[0]) > 0.1  # the masks did change the step
    for label, ours_grad, keras_grad in zip(
        model.weight_labels(), grads.parameters(), keras_grads, strict=True
    ):
        assert rel_error(ours_grad, keras_grad) <= KERAS_TOL[np.float64], label


def test_models_with_dropout_cross_to_keras_and_back_and_agree_at_inference() -> None:
    rng = np.random.default_rng(8)
    model = Sequential(
        [
            Recurrent(LSTMParams.init(3, 5, seed=1), return_sequences=True, dropout=0.25, seed=9),
            Dropout(0.5, seed=10),
            Recurrent(RNNParams.init(5, 4, seed=3), return_sequences=True, dropout=0.1),
            Dense.init(4, 2, rng, np.float64),
        ]
    )
    keras_model = to_keras(model)
    configs = [layer.get_config() for layer in keras_model.layers]
    assert [c.get("dropout", c.get("rate")) for c in configs] == [0.25, 0.5, 0.1, None]
    assert (configs[0]["seed"], configs[1]["seed"]) == (9, 10)
    x = rng.normal(size=(4, 6, 3))
    assert rel_error(keras_model.predict(x, verbose=0), model.predict(x)) <= KERAS_TOL[np.float64]
    back = from_keras(keras_model)
    assert isinstance(back, Sequential)
    assert [layer.get_config() for layer in back.layers] == [layer.get_config() for layer in model.layers]


# --- torch's dropout, and the torch bridge -------------------------------------------------------------


def test_torch_dropout_and_its_autograd_are_ours_with_the_mask_it_drew() -> None:
    rate = 0.35
    rng = np.random.default_rng(11)
    x = rng.uniform(0.5, 2.0, size=(3, 4, 6)) * rng.choice([-1, 1], size=(3, 4, 6))
    dy = rng.normal(size=x.shape)
    torch.manual_seed(0)
    x_t = torch.tensor(x, requires_grad=True)
    y_t = torch.nn.functional.dropout(x_t, rate, training=True)
    (y_t * torch.from_numpy(dy)).sum().backward()
    mask = read_mask(to_numpy(y_t), rate, np.float64)
    y, cache = dropout_forward(x, rate, mask=mask)
    errors = rel_error(y, to_numpy(y_t)), rel_error(dropout_backward(dy, cache), to_numpy(x_t.grad))
    print(f"torch F.dropout: y {errors[0]:.1e}, dx {errors[1]:.1e}")
    assert max(errors) <= TORCH_TOL


def test_the_torch_twin_drops_like_ours_in_training_and_not_in_eval() -> None:
    rng = np.random.default_rng(12)
    model = Sequential(
        [
            Recurrent(LSTMParams.init(3, 4, seed=1), return_sequences=True, dropout=0.3, seed=1),
            Dropout(0.2, seed=2),
            Dense.init(4, 3, rng, np.float64),
        ]
    )
    module = to_torch(model)
    x = rng.normal(size=(5, 6, 3))
    assert module.training  # as every torch module starts
    module.eval()
    assert rel_error(to_numpy(module(torch.from_numpy(x))), model.predict(x)) <= TORCH_TOL
    back = from_torch(module)
    assert [layer.get_config() for layer in back.layers] == [layer.get_config() for layer in model.layers]

    # Its recurrent input dropout, seen through an RNN with W = I, U = b = 0: h_t = tanh(mask * x_t).
    batch, steps, width = 400, 5, 6
    identity = Recurrent(
        RNNParams(np.eye(width), np.zeros((width, width)), np.zeros(width)),
        return_sequences=True,
        dropout=0.4,
    )
    twin = to_torch(Sequential([identity]))
    torch.manual_seed(1)
    hs = to_numpy(twin(torch.ones(batch, steps, width, dtype=torch.float64)))
    dropped = hs == 0
    assert np.all(dropped == dropped[:, :1])  # one mask per sequence, every step
    np.testing.assert_allclose(hs[~dropped], np.tanh(1 / 0.6), rtol=1e-15)  # kept: 1 / (1 - p)
    n = batch * width  # the kept fraction: within Hoeffding's bound at a false alarm of 1e-9
    assert abs((1 - dropped[:, 0].mean()) - 0.6) <= np.sqrt(np.log(2e9) / (2 * n))


def test_a_mask_drawn_here_has_the_shape_and_values_keras_uses() -> None:
    """Keras' LSTM cell multiplies its (B, D) step input by a mask of ones passed through dropout;
    ours for a (B, T, D) sequence is (B, 1, D): the same numbers, one per sequence and feature."""
    layer = keras.layers.LSTM(3, dropout=0.5, seed=1)
    layer.build((None, 4, 2))
    keras_mask = to_numpy(layer.cell.get_dropout_mask(torch.ones(6, 2)))
    ours = dropout_mask((6, 1, 2), 0.5, np.random.default_rng(0), np.float32)
    assert keras_mask.shape == ours[:, 0].shape and keras_mask.dtype == ours.dtype
    assert set(np.unique(keras_mask).tolist()) <= {0.0, 2.0} and set(np.unique(ours).tolist()) <= {0.0, 2.0}
