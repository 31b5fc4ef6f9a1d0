"""The bidirectional layer against keras.layers.Bidirectional (float32, forward) and
torch.nn.LSTM(bidirectional=True) (float64, forward and every gradient).

The torch reference is built here by hand from the documented weight mapping: the forward
layer's W.T, U.T, b go to weight_ih_l0, weight_hh_l0, bias_ih_l0 and the backward layer's to
the same names with the suffix _reverse; the bias_hh vectors are zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial.nn.bidirectional import Bidirectional
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential

GRAD_TOL = 1e-9  # relative, float64, against torch autograd
KERAS_TOL = 1e-5  # absolute, float32, against Keras
SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (3, 9, 2, 6)]  # (B, T, D, H), T = 1 and B = 1 included


def random_bidirectional(
    shape: tuple[int, int, int, int], return_sequences: bool, dtype: Any, merge_mode: str = "concat"
) -> tuple[Bidirectional, np.ndarray]:
    batch, steps, inputs, hidden = shape
    rng = np.random.default_rng(sum(shape) + return_sequences)

    def layer() -> Recurrent:
        cell = LSTMParams(
            rng.normal(scale=0.5, size=(inputs, 4 * hidden)).astype(dtype),
            rng.normal(scale=0.5, size=(hidden, 4 * hidden)).astype(dtype),
            rng.normal(scale=0.5, size=4 * hidden).astype(dtype),
        )
        return Recurrent(cell, return_sequences)

    x = rng.normal(size=(batch, steps, inputs)).astype(dtype)
    return Bidirectional(layer(), layer(), merge_mode), x


def torch_bidirectional(layer: Bidirectional) -> torch.nn.LSTM:
    cell = layer.forward_layer.cell
    module = torch.nn.LSTM(
        cell.input_size, cell.hidden_size, batch_first=True, bidirectional=True, dtype=torch.float64
    )
    with torch.no_grad():
        for suffix, side in (("", layer.forward_layer), ("_reverse", layer.backward_layer)):
            W, U, b = side.cell.weights()
            getattr(module, f"weight_ih_l0{suffix}").copy_(torch.from_numpy(W.T.copy()))
            getattr(module, f"weight_hh_l0{suffix}").copy_(torch.from_numpy(U.T.copy()))
            getattr(module, f"bias_ih_l0{suffix}").copy_(torch.from_numpy(b))
            getattr(module, f"bias_hh_l0{suffix}").zero_()
    return module


def torch_grads_in_our_order(module: torch.nn.RNNBase) -> list[np.ndarray]:
    grads = []
    for suffix in ("", "_reverse"):
        grads += [
            getattr(module, f"weight_ih_l0{suffix}").grad.numpy().T,
            getattr(module, f"weight_hh_l0{suffix}").grad.numpy().T,
            getattr(module, f"bias_ih_l0{suffix}").grad.numpy(),
        ]
    return grads


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("return_sequences", [True, False])
def test_bidirectional_lstm_output_and_gradients_match_torch(
    shape: tuple[int, int, int, int], return_sequences: bool
) -> None:
    layer, x = random_bidirectional(shape, return_sequences, np.float64)
    y, cache = layer.forward(x)
    dy = np.random.default_rng(7).normal(size=y.shape)
    dx, grads = layer.backward(dy, cache)

    module = torch_bidirectional(layer)
    x_torch = torch.from_numpy(x).requires_grad_(True)
    out, (h_n, _) = module(x_torch)
    hidden = shape[3]
    if return_sequences:
        theirs = out  # (B, T, 2H): forward, then backward at the same input position
    else:  # each direction's last output: forward after x_T, backward after x_1
        theirs = torch.cat([h_n[0], h_n[1]], dim=-1)
        assert torch.equal(theirs[:, :hidden], out[:, -1, :hidden])
        assert torch.equal(theirs[:, hidden:], out[:, 0, hidden:])
    (theirs * torch.from_numpy(dy)).sum().backward()
    assert y.shape == tuple(theirs.shape)
    assert rel_error(y, theirs.detach().numpy()) <= GRAD_TOL
    assert rel_error(dx, x_torch.grad.numpy()) <= GRAD_TOL
    for label, mine, reference in zip(
        layer.weight_labels(), grads, torch_grads_in_our_order(module), strict=True
    ):
        assert rel_error(mine, reference) <= GRAD_TOL, label


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
def test_bidirectional_lstm_matches_keras_bidirectional_float32(
    return_sequences: bool, merge_mode: str
) -> None:
    from lstm_tutorial.frameworks.keras import keras

    shape = (3, 8, 2, 5)
    layer, x = random_bidirectional(shape, return_sequences, np.float32, merge_mode)
    theirs = keras.layers.Bidirectional(
        keras.layers.LSTM(shape[3], return_sequences=return_sequences), merge_mode=merge_mode
    )
    theirs.build((None, shape[1], shape[2]))
    theirs.set_weights(layer.weights())  # forward layer's kernel, recurrent kernel, bias, then backward's
    expected = keras.ops.convert_to_numpy(theirs(x))
    y, _ = layer.forward(x)
    assert y.dtype == np.float32 and y.shape == expected.shape
    assert np.abs(y - expected).max() <= KERAS_TOL


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
def test_bidirectional_gradients_through_a_model_match_finite_differences(merge_mode: str) -> None:
    """Two stacked bidirectional layers and a Dense head: every merge mode's backward pass."""
    from lstm_tutorial.nn.gradcheck import numerical_gradient

    first, x = random_bidirectional((2, 4, 2, 2), True, np.float64, merge_mode)
    second = Bidirectional.init(LSTMParams, first.output_size, 2, return_sequences=False, seed=3)
    model = Sequential([first, second, Dense.init(4, 1, np.random.default_rng(0), np.float64)])
    y = np.random.default_rng(1).normal(size=2)
    _, grads = model.loss_and_grads(x, y)
    for label, weight, grad in zip(
        model.weight_labels(), model.parameters(), grads.parameters(), strict=True
    ):
        # the weights are live arrays: numerical_gradient moves each entry in place
        expected = numerical_gradient(lambda: model.loss_and_grads(x, y)[0], weight)
        assert rel_error(grad, expected) <= 1e-6, label


def test_bidirectional_model_moves_to_keras_and_back_and_saves(tmp_path: Any) -> None:
    from lstm_tutorial.frameworks.keras import from_keras, to_keras
    from lstm_tutorial.nn.saving import load_params, save_params

    layer, x = random_bidirectional((2, 6, 3, 4), True, np.float32)
    model = Sequential([layer, Dense.init(8, 2, np.random.default_rng(2), np.float32)])
    keras_model = to_keras(model)
    assert [type(k).__name__ for k in keras_model.layers] == ["Bidirectional", "Dense"]
    assert np.abs(keras_model.predict(x, verbose=0) - model.predict(x)).max() <= KERAS_TOL
    for back in (from_keras(keras_model), load_params(save_params(tmp_path / "bi", model))):
        assert isinstance(back, Sequential) and isinstance(back.layers[0], Bidirectional)
        assert back.weight_labels()[:4] == [
            "forward kernel",
            "forward recurrent_kernel",
            "forward bias",
            "backward kernel",
        ]
        assert all(np.array_equal(a, b) for a, b in zip(back.get_weights(), model.get_weights(), strict=True))


def test_bidirectional_refuses_mismatched_layers_and_unknown_merge_modes() -> None:
    layer, _ = random_bidirectional((2, 3, 2, 4), True, np.float64)
    other = Recurrent(LSTMParams.init(2, 5), return_sequences=True)
    with pytest.raises(
        ValueError, match=r"backward_layer must have the input size, units and return_sequences"
    ):
        Bidirectional(layer.forward_layer, other)
    with pytest.raises(
        ValueError, match=r"merge_mode must be one of \('concat', 'sum', 'mul', 'ave'\), got 'max'"
    ):
        Bidirectional(layer.forward_layer, layer.backward_layer, "max")
    with pytest.raises(ValueError, match="forward_layer must not be stateful"):
        Bidirectional(Recurrent(LSTMParams.init(2, 4), True, stateful=True), layer.backward_layer)
    with pytest.raises(TypeError, match="backward_layer must be a Recurrent layer"):
        Bidirectional(layer.forward_layer, Dense.init(2, 4, np.random.default_rng(0), np.float64))  # type: ignore[arg-type]


def test_bidirectional_vanilla_rnn_runs_the_sequence_loop_and_matches_torch() -> None:
    """A cell other than the LSTM takes sequence's loop, not the fast path: the same layer logic."""
    from lstm_tutorial.nn.rnn import RNNParams

    batch, steps, inputs, hidden = 2, 6, 3, 4
    layer = Bidirectional.init(RNNParams, inputs, hidden, return_sequences=True, seed=4)
    x = np.random.default_rng(8).normal(size=(batch, steps, inputs))
    y, cache = layer.forward(x)
    dy = np.random.default_rng(9).normal(size=y.shape)
    dx, grads = layer.backward(dy, cache)
    module = torch.nn.RNN(inputs, hidden, batch_first=True, bidirectional=True, dtype=torch.float64)
    with torch.no_grad():
        for suffix, side in (("", layer.forward_layer), ("_reverse", layer.backward_layer)):
            W, U, b = side.cell.weights()
            getattr(module, f"weight_ih_l0{suffix}").copy_(torch.from_numpy(W.T.copy()))
            getattr(module, f"weight_hh_l0{suffix}").copy_(torch.from_numpy(U.T.copy()))
            getattr(module, f"bias_ih_l0{suffix}").copy_(torch.from_numpy(b))
            getattr(module, f"bias_hh_l0{suffix}").zero_()
    x_torch = torch.from_numpy(x).requires_grad_(True)
    out, _ = module(x_torch)
    (out * torch.from_numpy(dy)).sum().backward()
    assert rel_error(y, out.detach().numpy()) <= GRAD_TOL
    assert rel_error(dx, x_torch.grad.numpy()) <= GRAD_TOL
    for label, mine, theirs in zip(
        layer.weight_labels(), grads, torch_grads_in_our_order(module), strict=True
    ):
        assert rel_error(mine, theirs) <= GRAD_TOL, label
