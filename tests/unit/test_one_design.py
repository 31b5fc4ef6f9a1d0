"""One design for every cell: the textbook steps run by one loop, the LSTM's fast path held
equal to them, layers that stack, and models that save and move to Keras whatever their layers.

The references are PyTorch modules with autograd (float64), built here by hand from the
documented weight mapping, and Keras layers (float32).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from lstm_tutorial.nn import sequence
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.gru import GRUParams
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams, lstm_backward, lstm_forward
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.regressors import VariantRegressor
from lstm_tutorial.nn.rnn import RNNParams
from lstm_tutorial.nn.saving import load_params, save_params
from lstm_tutorial.nn.variants import VARIANTS

FAST_TOL = 1e-12  # relative, float64: the fast path is the textbook path rearranged
GRAD_TOL = 1e-9  # relative, float64, against torch autograd
# (B, T, D, H), T = 1 and B = 1 included
SHAPES = [(1, 1, 1, 1), (1, 9, 3, 4), (5, 1, 2, 3), (3, 7, 2, 5), (4, 30, 6, 16)]


def random_case(shape: tuple[int, int, int, int], seed: int) -> dict[str, np.ndarray]:
    batch, steps, inputs, hidden = shape
    rng = np.random.default_rng(seed)
    return {
        "W": rng.normal(scale=0.5, size=(inputs, 4 * hidden)),
        "U": rng.normal(scale=0.5, size=(hidden, 4 * hidden)),
        "b": rng.normal(size=4 * hidden),
        "x": rng.normal(size=(batch, steps, inputs)),
        "h0": rng.normal(size=(batch, hidden)),
        "c0": rng.normal(size=(batch, hidden)),
        "dhs": rng.normal(size=(batch, steps, hidden)),
        "dc_last": rng.normal(size=(batch, hidden)),
    }


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("truncate", [None, 1, 3])
def test_fast_path_equals_the_textbook_path(shape: tuple[int, int, int, int], truncate: int | None) -> None:
    case = random_case(shape, seed=sum(shape))
    params = LSTMParams(case["W"], case["U"], case["b"])
    state = (case["h0"], case["c0"])
    hs_book, book = sequence.forward(params, case["x"], state)
    dx_book, grads_book, (dh0_book, dc0_book) = sequence.backward(
        case["dhs"], book, (np.zeros_like(case["h0"]), case["dc_last"]), truncate
    )
    hs_fast, fast = lstm_forward(case["x"], params, case["h0"], case["c0"])
    dx_fast, grads_fast, (dh0_fast, dc0_fast) = lstm_backward(
        case["dhs"], fast, (np.zeros_like(case["h0"]), case["dc_last"]), truncate
    )
    pairs = [
        (hs_book, hs_fast),
        (book.cs, fast.cs),
        (dx_book, dx_fast),
        (dh0_book, dh0_fast),
        (dc0_book, dc0_fast),
        *zip(grads_book.weights(), grads_fast.weights(), strict=True),
    ]
    for book_array, fast_array in pairs:
        assert book_array.shape == fast_array.shape
        assert rel_error(book_array, fast_array) <= FAST_TOL


@pytest.mark.parametrize("truncate", [1, 4, 7, 30])
def test_chunked_tbptt_equals_truncated_backward_for_every_cell(truncate: int) -> None:
    rng = np.random.default_rng(truncate)
    x, dhs = rng.normal(size=(3, 17, 2)), rng.normal(size=(3, 17, 4))
    for params in (RNNParams.init(2, 4, seed=1), GRUParams.init(2, 4, seed=2), LSTMParams.init(2, 4, seed=3)):
        _, cache = sequence.forward(params, x)
        dx, grads, _ = sequence.backward(dhs, cache, truncate=truncate)
        dx_chunks, grads_chunks, _ = sequence.tbptt_grads(params, x, dhs, truncate)
        assert rel_error(dx, dx_chunks) <= FAST_TOL
        for a, b in zip(grads.weights(), grads_chunks.weights(), strict=True):
            assert rel_error(a, b) <= FAST_TOL
    lstm = LSTMParams.init(2, 4, seed=3)
    _, cache = sequence.forward(lstm, x)
    _, grads, _ = sequence.backward(dhs, cache, truncate=truncate)
    _, fast_grads, _ = sequence.tbptt_grads(lstm, x, dhs, truncate)
    for a, b in zip(grads.weights(), fast_grads.weights(), strict=True):
        assert rel_error(a, b) <= FAST_TOL


def torch_lstm(params: LSTMParams) -> torch.nn.LSTM:
    module = torch.nn.LSTM(params.input_size, params.hidden_size, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params.b.copy()))
        module.bias_hh_l0.zero_()
    return module


@pytest.mark.parametrize("shape", SHAPES)
def test_textbook_lstm_through_the_loop_matches_torch_autograd(shape: tuple[int, int, int, int]) -> None:
    case = random_case(shape, seed=7 + sum(shape))
    params = LSTMParams(case["W"], case["U"], case["b"])
    hs, cache = sequence.forward(params, case["x"])
    dx, grads, _ = sequence.backward(case["dhs"], cache)

    module = torch_lstm(params)
    x = torch.tensor(case["x"], requires_grad=True)
    out, _ = module(x)
    (out * torch.from_numpy(case["dhs"])).sum().backward()
    assert np.abs(hs - out.detach().numpy()).max() <= 1e-12
    assert rel_error(dx, x.grad.numpy()) <= GRAD_TOL
    assert rel_error(grads.W, module.weight_ih_l0.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.U, module.weight_hh_l0.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.b, module.bias_ih_l0.grad.numpy()) <= GRAD_TOL


def test_stacked_layers_and_dense_head_match_torch_autograd() -> None:
    """LSTM(5, return_sequences) -> RNN(4, return_sequences) -> Dense(3) at every step, MSE."""
    rng = np.random.default_rng(11)
    lstm = LSTMParams.init(2, 5, seed=1)
    lstm.b[:] = rng.normal(size=20)
    rnn = RNNParams.init(5, 4, seed=2)
    rnn.b[:] = rng.normal(size=4)
    dense = Dense(rng.normal(size=(4, 3)), rng.normal(size=3))
    model = Sequential([Recurrent(lstm, return_sequences=True), Recurrent(rnn, return_sequences=True), dense])
    x, y = rng.normal(size=(6, 8, 2)), rng.normal(size=(6, 8, 3))
    loss, grads = model.loss_and_grads(x, y)
    assert model.predict(x).shape == (6, 8, 3)

    first = torch_lstm(lstm)
    second = torch.nn.RNN(5, 4, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        second.weight_ih_l0.copy_(torch.from_numpy(rnn.W.T.copy()))
        second.weight_hh_l0.copy_(torch.from_numpy(rnn.U.T.copy()))
        second.bias_ih_l0.copy_(torch.from_numpy(rnn.b.copy()))
        second.bias_hh_l0.zero_()
    kernel = torch.tensor(dense.W, requires_grad=True)
    bias = torch.tensor(dense.b, requires_grad=True)
    out = second(first(torch.from_numpy(x))[0])[0] @ kernel + bias
    torch_loss = torch.mean((out - torch.from_numpy(y)) ** 2)
    torch_loss.backward()
    assert abs(loss - torch_loss.item()) <= 1e-12
    expected = [
        first.weight_ih_l0.grad.numpy().T,
        first.weight_hh_l0.grad.numpy().T,
        first.bias_ih_l0.grad.numpy(),
        second.weight_ih_l0.grad.numpy().T,
        second.weight_hh_l0.grad.numpy().T,
        second.bias_ih_l0.grad.numpy(),
        kernel.grad.numpy(),
        bias.grad.numpy(),
    ]
    for ours, theirs in zip(grads.parameters(), expected, strict=True):
        assert rel_error(ours, theirs) <= GRAD_TOL
    assert model.count_params() == sum(p.size for p in expected)


def test_any_model_saves_and_loads_exactly(tmp_path: Path) -> None:
    stacked = Sequential(
        [
            Recurrent(GRUParams.init(3, 4, seed=0), return_sequences=True),
            Recurrent(LSTMParams.init(4, 2, seed=1)),
            Dense.init(2, 5, np.random.default_rng(0), np.float64),
        ]
    )
    variant = VariantRegressor.init(VARIANTS["CIFG"], 2, 3, seed=4, dtype=np.float32)
    for model in (stacked, variant):
        loaded = load_params(save_params(tmp_path / "model", model))
        assert type(loaded) is type(model)
        assert isinstance(loaded, Sequential)
        assert loaded.weight_labels() == model.weight_labels()
        for a, b in zip(model.parameters(), loaded.parameters(), strict=True):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)
    assert isinstance(loaded, VariantRegressor) and loaded.variant == VARIANTS["CIFG"]


def test_any_model_moves_to_keras_and_back() -> None:
    from lstm_tutorial.frameworks.keras import from_keras, to_keras

    rng = np.random.default_rng(5)
    model = Sequential(
        [
            Recurrent(LSTMParams.init(3, 6, seed=0, dtype=np.float32), return_sequences=True),
            Recurrent(GRUParams.init(6, 4, seed=1, dtype=np.float32)),
            Dense.init(4, 2, rng, np.float32),
        ]
    )
    x = rng.normal(size=(5, 9, 3)).astype(np.float32)
    keras_model = to_keras(model)
    assert [type(layer).__name__ for layer in keras_model.layers] == ["LSTM", "GRU", "Dense"]
    assert np.abs(keras_model.predict(x, verbose=0) - model.predict(x)).max() <= 1e-5
    back = from_keras(keras_model)
    assert type(back) is Sequential
    for a, b in zip(model.parameters(), back.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_set_weights_then_get_weights_round_trips_for_every_regressor() -> None:
    from lstm_tutorial.nn.regressors import GRURegressor, LSTMRegressor, RNNRegressor

    for kind in (LSTMRegressor, RNNRegressor, GRURegressor):
        model = kind.init(2, 3, seed=0)
        other = kind.init(2, 3, seed=1)
        model.set_weights(other.get_weights())
        for a, b in zip(model.get_weights(), other.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
        copy = model.copy()
        assert type(copy) is kind
        for a, b in zip(copy.parameters(), model.parameters(), strict=True):
            assert a is not b
            np.testing.assert_array_equal(a, b)
        with pytest.raises(ValueError, match=r"weights\[dense kernel\] must have shape \(3, 1\)"):
            model.set_weights([*other.get_weights()[:3], np.zeros((4, 1)), np.zeros(1)])
