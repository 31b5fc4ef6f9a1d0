"""Dropout, inverted and seeded, as Keras has it: its gradient, its masks, and the model API around it.

The backward pass is checked against centred finite differences with the masks held fixed
(a mask is a constant of the loss: the gradient goes through it, never into it); the masks
against what inverted dropout promises (zeros and 1 / (1 - p) only, a kept fraction within
a binomial bound, one mask per sequence for a recurrent layer's inputs, the same seed giving
the same masks); the model API against Keras' rules (dropout in fit's steps, never in
predict or evaluate). Keras and torch themselves are compared in tests/agreement/test_dropout_agreement.py.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from lstm_tutorial.nn.bidirectional import Bidirectional
from lstm_tutorial.nn.dropout import Dropout, dropout_backward, dropout_forward, dropout_mask
from lstm_tutorial.nn.gradcheck import numerical_gradient, rel_error
from lstm_tutorial.nn.gru import GRUParams
from lstm_tutorial.nn.layer import LAYERS
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.rnn import RNNParams
from lstm_tutorial.nn.saving import load_params, save_params
from lstm_tutorial.nn.train import fit

FD_TOL = 1e-6
FALSE_ALARM = 1e-9
"""The probability that a statistical test below fails although the masks are right."""


def hoeffding(n: int, spread: float = 1.0, false_alarm: float = FALSE_ALARM) -> float:
    """The t with P(|mean of n independent draws in an interval of width ``spread`` - its
    expectation| >= t) <= ``false_alarm`` (Hoeffding 1963: 2 exp(-2 n t^2 / spread^2))."""
    return spread * math.sqrt(math.log(2 / false_alarm) / (2 * n))


# --- the backward pass, with the masks fixed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "mask_shape", "rate"),
    [((3, 4, 5), (3, 4, 5), 0.3), ((3, 4, 5), (3, 1, 5), 0.5), ((7,), (7,), 0.1), ((2, 3), (2, 3), 0.0)],
    ids=["own mask", "one mask per sequence", "a vector", "rate 0"],
)
def test_dropout_backward_matches_finite_differences(
    shape: tuple[int, ...], mask_shape: tuple[int, ...], rate: float
) -> None:
    rng = np.random.default_rng(len(shape) + int(10 * rate))
    x, dy = rng.normal(size=shape), rng.normal(size=shape)
    mask = dropout_mask(mask_shape, rate, rng, np.float64)

    def loss() -> float:
        return float(np.sum(dropout_forward(x, rate, mask=mask)[0] * dy))

    dx = dropout_backward(dy, dropout_forward(x, rate, mask=mask)[1])
    assert rel_error(dx, numerical_gradient(loss, x)) <= FD_TOL
    assert np.all(dx[np.broadcast_to(mask, shape) == 0] == 0)  # a dropped unit passes no gradient


def test_a_recurrent_layer_with_a_given_mask_matches_finite_differences() -> None:
    rng = np.random.default_rng(4)
    layer = Recurrent(LSTMParams.init(3, 4, seed=5), return_sequences=True, dropout=0.4)
    x, dy = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6, 4))
    mask = dropout_mask((2, 3), 0.4, rng, np.float64)

    def loss() -> float:
        return float(np.sum(layer.forward(x, training=True, dropout_mask=mask)[0] * dy))

    dx, grads = layer.backward(dy, layer.forward(x, training=True, dropout_mask=mask)[1])
    assert rel_error(dx, numerical_gradient(loss, x)) <= FD_TOL
    for array, analytic in zip(layer.weights(), grads, strict=True):
        assert rel_error(analytic, numerical_gradient(loss, array)) <= FD_TOL
    dropped = np.broadcast_to(mask[:, None, :] == 0, dx.shape)
    assert dropped.any() and np.all(dx[dropped] == 0)  # no gradient for a dropped feature, at any step


def dropout_model(seed: int = 0) -> Sequential:
    """Input dropout on an LSTM, a Bidirectional GRU with its own, a Dropout layer, a Dense head."""
    return Sequential(
        [
            Recurrent(LSTMParams.init(3, 4, seed=seed), return_sequences=True, dropout=0.3, seed=seed + 1),
            Bidirectional(
                Recurrent(GRUParams.init(4, 3, seed=seed + 2), True, dropout=0.2, seed=seed + 3),
                Recurrent(GRUParams.init(4, 3, seed=seed + 4), True, dropout=0.25, seed=seed + 5),
            ),
            Dropout(0.5, seed=seed + 6),
            Dense.init(6, 1, np.random.default_rng(seed + 7), np.float64),
        ]
    )


def test_a_model_with_dropout_matches_finite_differences_with_its_masks_fixed() -> None:
    """A copy of a model draws the masks the model would (its layers' generators are copied): every
    evaluation below runs a fresh copy, so the masks are the same constants every time."""
    rng = np.random.default_rng(8)
    model = dropout_model()
    x, y = rng.normal(size=(3, 5, 3)), rng.normal(size=(3, 5))

    def loss() -> float:
        return model.copy().loss_and_grads(x, y)[0]

    training_loss, grads = model.copy().loss_and_grads(x, y)
    assert abs(training_loss - model.evaluate(x, y)) > 1e-3  # the masks do drop something
    for array, analytic in zip(model.parameters(), grads.parameters(), strict=True):
        assert rel_error(analytic, numerical_gradient(loss, array)) <= FD_TOL


# --- the masks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5, 0.8])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_mask_keeps_a_binomial_fraction_scaled_by_one_over_one_minus_p(rate: float, dtype: type) -> None:
    n = 400_000
    mask = dropout_mask((n,), rate, np.random.default_rng(int(100 * rate)), dtype)
    scale = dtype(1) / dtype(1 - rate)
    assert mask.dtype == dtype and set(np.unique(mask).tolist()) == {0.0, float(scale)}
    kept = np.count_nonzero(mask) / n  # the mean of n Bernoulli(1 - p) draws
    assert abs(kept - (1 - rate)) <= hoeffding(n)
    # Inverted dropout keeps the expectation: the mask's entries, in [0, 1 / (1 - p)], average 1.
    assert abs(float(mask.astype(np.float64).mean()) - 1.0) <= hoeffding(n, float(scale))


def test_dropout_zeroes_units_and_scales_the_rest_exactly() -> None:
    x = np.random.default_rng(2).normal(size=(50, 40)).astype(np.float32)
    y, cache = dropout_forward(x, 0.2, np.random.default_rng(3))
    kept = cache.mask != 0
    np.testing.assert_array_equal(y[~kept], 0.0)
    np.testing.assert_array_equal(y[kept], x[kept] * np.float32(1.25))  # 1 / (1 - 0.2), in float32
    assert y.dtype == np.float32 and not np.shares_memory(y, x)


def test_the_same_seed_gives_the_same_masks_and_every_call_a_new_one() -> None:
    x = np.ones((8, 16))
    first, twin, other = Dropout(0.5, seed=7), Dropout(0.5, seed=7), Dropout(0.5, seed=8)
    calls = [first.forward(x, training=True)[0] for _ in range(3)]
    np.testing.assert_array_equal(calls, [twin.forward(x, training=True)[0] for _ in range(3)])
    assert not np.array_equal(calls[0], calls[1]) and not np.array_equal(calls[1], calls[2])
    assert not np.array_equal(calls[0], other.forward(x, training=True)[0])


def test_a_recurrent_layer_drops_each_sequences_inputs_with_one_mask_at_every_step() -> None:
    """An RNN with W = I and U = b = 0 gives h_t = tanh(mask * x_t): its zeros show the mask."""
    batch, steps, width = 64, 12, 10
    cell = RNNParams(np.eye(width), np.zeros((width, width)), np.zeros(width))
    layer = Recurrent(cell, return_sequences=True, dropout=0.4, seed=11)
    hs, _ = layer.forward(np.ones((batch, steps, width)), training=True)
    dropped = hs == 0
    assert np.all(dropped == dropped[:, :1])  # the same units dropped at every step of a sequence
    assert len({row.tobytes() for row in dropped[:, 0]}) > batch // 2  # sequences have their own masks
    np.testing.assert_allclose(hs[~dropped], math.tanh(1 / 0.6), rtol=1e-15)  # kept: x / (1 - p)
    kept = 1 - dropped[:, 0].mean()
    assert abs(kept - 0.6) <= hoeffding(batch * width)
    again, _ = layer.forward(np.ones((batch, steps, width)), training=True)
    assert not np.array_equal(again == 0, dropped)  # the next batch, a new mask


def test_twin_recurrent_layers_with_one_seed_draw_the_same_masks() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(4, 6, 3))
    a, b = (Recurrent(LSTMParams.init(3, 4, seed=1), dropout=0.5, seed=9) for _ in range(2))
    c = Recurrent(LSTMParams.init(3, 4, seed=1), dropout=0.5, seed=10)
    ya, yb, yc = (layer.forward(x, training=True)[0] for layer in (a, b, c))
    np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(ya, yc)


# --- inference, and the path of a model without dropout --------------------------------------------------


def test_dropout_is_the_identity_at_inference() -> None:
    x = np.random.default_rng(0).normal(size=(3, 5, 3))
    layer = Dropout(0.9, seed=0)
    assert layer.forward(x)[0] is x and layer.forward(x, training=False)[0] is x
    model = dropout_model()
    plain = Sequential(
        [
            Recurrent(model.layers[0].cell, return_sequences=True),  # type: ignore[attr-defined]
            Bidirectional(
                Recurrent(model.layers[1].forward_layer.cell, True),  # type: ignore[attr-defined]
                Recurrent(model.layers[1].backward_layer.cell, True),  # type: ignore[attr-defined]
            ),
            model.layers[3],
        ]
    )
    np.testing.assert_array_equal(model.predict(x), plain.predict(x))
    np.testing.assert_array_equal(model.predict(x), model.predict(x))  # nothing drawn, nothing dropped
    y = np.zeros((3, 5))
    assert model.evaluate(x, y) == model.loss_and_grads(x, y, training=False)[0] == plain.evaluate(x, y)


def test_a_model_without_dropout_computes_the_same_in_training_and_at_inference() -> None:
    """A layer without dropout takes the path it took before dropout existed, bit for bit."""
    rng = np.random.default_rng(6)
    model = Sequential(
        [
            Recurrent(LSTMParams.init(2, 5, seed=3), return_sequences=True),
            Recurrent(GRUParams.init(5, 4, seed=4)),
            Dense.init(4, 1, rng, np.float64),
        ]
    )
    x, y = rng.normal(size=(6, 7, 2)), rng.normal(size=6)
    loss, grads = model.loss_and_grads(x, y)
    inference_loss, inference_grads = model.loss_and_grads(x, y, training=False)
    assert loss == inference_loss == model.evaluate(x, y)
    for a, b in zip(grads.parameters(), inference_grads.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
    layer = model.layers[0]
    run = layer.forward(x, training=True)[1]
    assert type(run) is type(layer.forward(x)[1])  # the same cache: no dropout wrapper
    assert layer.get_config() == {
        "cell": "LSTMParams",
        "cell_config": {},
        "return_sequences": True,
        "stateful": False,
    }  # described, and saved, as before


# --- the model API: fit, copies, files ------------------------------------------------------------------


def test_fit_trains_with_masks_reproducibly_and_predicts_without_them() -> None:
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(16, 5, 3)), rng.normal(size=(16, 5))
    runs = []
    for _ in range(2):
        model = dropout_model(seed=20)
        history = fit(model, x, y, epochs=3, batch_size=4, seed=1, verbose=0)
        runs.append((model, history.loss))
    (first, loss_a), (second, loss_b) = runs
    assert loss_a == loss_b  # the same seeds, the same masks, the same steps
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
    reseeded = dropout_model(seed=20)
    reseeded.layers[2] = Dropout(0.5, seed=99)
    fit(reseeded, x, y, epochs=3, batch_size=4, seed=1, verbose=0)
    assert not np.array_equal(reseeded.parameters()[-2], first.parameters()[-2])  # other masks
    np.testing.assert_array_equal(first.predict(x), first.predict(x))


def test_a_copy_draws_the_masks_the_original_would() -> None:
    rng = np.random.default_rng(10)
    model = dropout_model()
    x, y = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4))
    model.loss_and_grads(x, y)  # the generators have moved on
    copy = model.copy()
    for _ in range(2):
        assert model.loss_and_grads(x, y)[0] == copy.loss_and_grads(x, y)[0]


def test_a_saved_model_keeps_its_rates_and_seeds(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    model = dropout_model(seed=30)
    x, y = rng.normal(size=(3, 4, 3)), rng.normal(size=(3, 4))
    loaded = load_params(save_params(tmp_path / "dropout", model))
    assert isinstance(loaded, Sequential)
    assert [layer.get_config() for layer in loaded.layers] == [layer.get_config() for layer in model.layers]
    assert loaded.layers[0].get_config()["dropout"] == 0.3 and loaded.layers[2].get_config() == {
        "rate": 0.5,
        "seed": 36,
    }
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    fresh = dropout_model(seed=30)  # nothing drawn yet, as the loaded model: the same first masks
    assert loaded.loss_and_grads(x, y)[0] == fresh.loss_and_grads(x, y)[0]


def test_configs_round_trip_through_json() -> None:
    for layer in (Dropout(0.25, seed=4), Dropout(0.0), Recurrent(RNNParams.init(2, 3), dropout=0.5, seed=1)):
        config = json.loads(json.dumps(layer.get_config()))
        rebuilt = LAYERS[type(layer).__name__].from_config(config, [w.copy() for w in layer.weights()])
        assert rebuilt.get_config() == layer.get_config()


def test_a_dropout_layer_fits_anywhere_after_the_first_and_keeps_its_input_kind() -> None:
    rng = np.random.default_rng(12)
    model = Sequential(
        [
            Recurrent(LSTMParams.init(2, 4, seed=0)),  # gives a vector (N, 4)
            Dropout(0.5, seed=0),
            Dense.init(4, 3, rng, np.float64),
            Dropout(0.1, seed=1),  # last: the model's width is the Dense layer's
        ]
    )
    assert model.output_size == 3 and model.output_shape((5, 7, 2)) == ((5, 3), "(N, K)")
    assert not model.per_step and model.weight_labels() == [
        "kernel",
        "recurrent_kernel",
        "bias",
        "dense kernel",
        "dense bias",
    ]
    x, y = rng.normal(size=(5, 7, 2)), rng.normal(size=(5, 3))
    _, grads = model.loss_and_grads(x, y)
    assert [g.shape for g in grads.parameters()] == [w.shape for w in model.parameters()]
    with pytest.raises(ValueError, match=r"layers\[2\] takes 5 features but layers\[1\] gives 4"):
        Sequential([Recurrent(LSTMParams.init(2, 4)), Dropout(0.5), Dense.init(5, 1, rng, np.float64)])
