"""Masking (nn.masking) against Keras 3 (forward, float32) and torch autograd (gradients, float64).

Keras: ``Embedding(mask_zero=True)`` then ``LSTM(return_sequences=True, return_state=True)``,
the same weights; leading, trailing and inner padding. Torch: a loop of ``torch.nn.LSTMCell``
steps chosen with ``torch.where`` (Keras' rule written in torch, differentiated by autograd), and
``pack_padded_sequence`` through ``torch.nn.LSTM`` for the final states of right-padded rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial.nn import masking, sequence
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.gru import GRUParams
from lstm_tutorial.nn.lstm import LSTMParams

GRAD_TOL = 1e-10  # relative, float64, against torch autograd
KERAS_TOL = 1e-5  # absolute, float32, against Keras
ROUNDING = {"rtol": 1e-13, "atol": 1e-15}  # float64, the same sums in another order

# Each row of ids: 0 is padding. Leading, trailing, inner, none, and all but one step padded.
IDS = np.array(
    [
        [0, 0, 3, 4, 5, 6],
        [3, 4, 5, 0, 0, 0],
        [7, 0, 8, 0, 0, 9],
        [1, 2, 3, 4, 5, 6],
        [0, 0, 0, 0, 0, 2],
    ]
)


def random_lstm(inputs: int, hidden: int, dtype: Any, seed: int = 0) -> LSTMParams:
    rng = np.random.default_rng(seed)
    return LSTMParams(
        rng.normal(scale=0.5, size=(inputs, 4 * hidden)).astype(dtype),
        rng.normal(scale=0.5, size=(hidden, 4 * hidden)).astype(dtype),
        rng.normal(scale=0.5, size=4 * hidden).astype(dtype),
    )


def test_masked_lstm_matches_keras_mask_zero_float32() -> None:
    from lstm_tutorial.frameworks.keras import keras

    vocab, inputs, hidden = 10, 3, 4
    table = np.random.default_rng(1).normal(size=(vocab, inputs)).astype(np.float32)
    cell = random_lstm(inputs, hidden, np.float32)
    ids = keras.Input((IDS.shape[1],), dtype="int32")
    embedding = keras.layers.Embedding(vocab, inputs, mask_zero=True)
    lstm = keras.layers.LSTM(hidden, return_sequences=True, return_state=True)
    model = keras.Model(ids, lstm(embedding(ids)))
    embedding.set_weights([table])
    lstm.set_weights(cell.weights())
    outputs, h, c = (keras.ops.convert_to_numpy(a) for a in model(IDS))

    mine, cache = masking.masked_forward(cell, table[IDS], IDS != 0)
    assert mine.shape == outputs.shape
    assert np.abs(mine - outputs).max() <= KERAS_TOL
    assert np.abs(cache.last_state[0] - h).max() <= KERAS_TOL
    assert np.abs(cache.last_state[1] - c).max() <= KERAS_TOL
    # Keras' semantics, visible in its own numbers: a leading masked step gives zeros, a
    # trailing one repeats the last real output.
    assert not outputs[0, :2].any() and np.array_equal(outputs[1, 3], outputs[1, 2])


def test_masked_lstm_with_an_initial_state_matches_keras_float32() -> None:
    """Keras starts the repeated output at zeros, not at h0: a leading masked step outputs 0."""
    from lstm_tutorial.frameworks.keras import keras

    inputs, hidden = 3, 4
    rng = np.random.default_rng(2)
    x = rng.normal(size=(*IDS.shape, inputs)).astype(np.float32)
    h0, c0 = (rng.normal(size=(len(IDS), hidden)).astype(np.float32) for _ in range(2))
    cell = random_lstm(inputs, hidden, np.float32, seed=3)
    lstm = keras.layers.LSTM(hidden, return_sequences=True, return_state=True)
    lstm.build((None, IDS.shape[1], inputs))
    lstm.set_weights(cell.weights())
    theirs = lstm(x, initial_state=[h0, c0], mask=keras.ops.convert_to_tensor(IDS != 0))
    outputs, h, c = (keras.ops.convert_to_numpy(a) for a in theirs)
    mine, cache = masking.masked_forward(cell, x, IDS != 0, (h0, c0))
    assert np.abs(mine - outputs).max() <= KERAS_TOL
    assert np.abs(cache.last_state[0] - h).max() <= KERAS_TOL
    assert np.abs(cache.last_state[1] - c).max() <= KERAS_TOL
    assert not outputs[4, :5].any()  # h0 is not zero, the output is


def with_weights(module: Any, cell: LSTMParams, suffix: str = "") -> Any:
    """A torch LSTM (cell) holding ``cell``'s weights: W.T, U.T, b as the input bias, zero recurrent bias."""
    W, U, b = cell.weights()
    with torch.no_grad():
        getattr(module, f"weight_ih{suffix}").copy_(torch.from_numpy(W.T.copy()))
        getattr(module, f"weight_hh{suffix}").copy_(torch.from_numpy(U.T.copy()))
        getattr(module, f"bias_ih{suffix}").copy_(torch.from_numpy(b))
        getattr(module, f"bias_hh{suffix}").zero_()
    return module


def torch_masked_lstm(
    cell: LSTMParams, x: torch.Tensor, mask: np.ndarray, h0: torch.Tensor, c0: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.nn.LSTMCell]:
    """Keras' masked loop in torch: torch.nn.LSTMCell steps, kept or not with torch.where."""
    module = with_weights(torch.nn.LSTMCell(cell.input_size, cell.hidden_size, dtype=torch.float64), cell)
    h, c, out = h0, c0, torch.zeros_like(h0)
    outputs = []
    for t in range(x.shape[1]):
        real = torch.from_numpy(mask[:, t, None])
        h_new, c_new = module(x[:, t], (h, c))
        h, c = torch.where(real, h_new, h), torch.where(real, c_new, c)
        out = torch.where(real, h_new, out)
        outputs.append(out)
    return torch.stack(outputs, dim=1), h, c, module


def torch_grads(module: torch.nn.Module) -> list[np.ndarray]:
    return [module.weight_ih.grad.numpy().T, module.weight_hh.grad.numpy().T, module.bias_ih.grad.numpy()]


def test_masked_lstm_gradients_match_torch_autograd() -> None:
    inputs, hidden = 3, 5
    rng = np.random.default_rng(4)
    x = rng.normal(size=(*IDS.shape, inputs))
    h0, c0 = rng.normal(size=(2, len(IDS), hidden))
    cell = random_lstm(inputs, hidden, np.float64, seed=5)
    d_outputs = rng.normal(size=(*IDS.shape, hidden))
    dh_last, dc_last = rng.normal(size=(2, len(IDS), hidden))

    outputs, cache = masking.masked_forward(cell, x, IDS != 0, (h0, c0))
    dx, grads, (dh0, dc0) = masking.masked_backward(d_outputs, cache, (dh_last, dc_last))

    tensors = [torch.from_numpy(a).requires_grad_(True) for a in (x, h0, c0)]
    theirs, h, c, module = torch_masked_lstm(cell, *tensors[:1], IDS != 0, *tensors[1:])
    loss = (theirs * torch.from_numpy(d_outputs)).sum()
    loss = loss + (h * torch.from_numpy(dh_last)).sum() + (c * torch.from_numpy(dc_last)).sum()
    loss.backward()
    assert rel_error(outputs, theirs.detach().numpy()) <= GRAD_TOL
    assert rel_error(cache.last_state[0], h.detach().numpy()) <= GRAD_TOL
    for mine, reference in zip((dx, dh0, dc0), tensors, strict=True):
        assert rel_error(mine, reference.grad.numpy()) <= GRAD_TOL
    for mine, reference in zip(grads.weights(), torch_grads(module), strict=True):
        assert rel_error(mine, reference) <= GRAD_TOL
    assert not dx[IDS == 0].any()  # a masked step's input changes nothing


def test_final_states_and_their_gradients_match_pack_padded_sequence() -> None:
    """Right-padded rows: torch's packed nn.LSTM stops each row at its length."""
    inputs, hidden = 2, 4
    lengths = np.array([6, 3, 1, 4])
    mask = np.arange(6)[None, :] < lengths[:, None]
    rng = np.random.default_rng(6)
    x = rng.normal(size=(len(lengths), 6, inputs))
    cell = random_lstm(inputs, hidden, np.float64, seed=7)
    dh_last, dc_last = rng.normal(size=(2, len(lengths), hidden))

    outputs, cache = masking.masked_forward(cell, x, mask)
    dx, grads, _ = masking.masked_backward(np.zeros_like(outputs), cache, (dh_last, dc_last))

    module = with_weights(torch.nn.LSTM(inputs, hidden, batch_first=True, dtype=torch.float64), cell, "_l0")
    x_torch = torch.from_numpy(x).requires_grad_(True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(
        x_torch, torch.from_numpy(lengths), batch_first=True, enforce_sorted=False
    )
    _, (h_n, c_n) = module(packed)
    ((h_n[0] * torch.from_numpy(dh_last)).sum() + (c_n[0] * torch.from_numpy(dc_last)).sum()).backward()
    assert rel_error(cache.last_state[0], h_n[0].detach().numpy()) <= GRAD_TOL
    assert rel_error(cache.last_state[1], c_n[0].detach().numpy()) <= GRAD_TOL
    assert rel_error(dx, x_torch.grad.numpy()) <= GRAD_TOL
    theirs = [
        module.weight_ih_l0.grad.numpy().T,
        module.weight_hh_l0.grad.numpy().T,
        module.bias_ih_l0.grad.numpy(),
    ]
    for mine, reference in zip(grads.weights(), theirs, strict=True):
        assert rel_error(mine, reference) <= GRAD_TOL


@pytest.mark.parametrize("kind", [LSTMParams, GRUParams])
def test_a_right_padded_batch_gives_each_row_its_unpadded_results(kind: type) -> None:
    """Outputs at real steps, final states and every gradient equal those of each row run alone,
    to float64 rounding (BLAS multiplies a batch of 3 rows and a single row by different kernels,
    so the last bit may differ; ROUNDING is a few ulps, far below any masking mistake)."""
    inputs, hidden = 3, 4
    lengths = [5, 2, 4]
    rng = np.random.default_rng(8)
    cell = kind.init(inputs, hidden, seed=9, dtype=np.float64)
    x = rng.normal(size=(len(lengths), 5, inputs))
    mask = np.arange(5)[None, :] < np.array(lengths)[:, None]
    d_outputs = rng.normal(size=(len(lengths), 5, hidden)) * mask[..., None]  # a loss on real steps
    d_last = tuple(rng.normal(size=(len(lengths), hidden)) for _ in cell.state_names)

    outputs, cache = masking.masked_forward(cell, x, mask)
    dx, grads, _ = masking.masked_backward(d_outputs, cache, d_last)
    total = cell.zeros_like()
    for row, length in enumerate(lengths):
        alone, alone_cache = sequence.forward(cell, x[row : row + 1, :length])
        d_alone = tuple(d[row : row + 1] for d in d_last)
        dx_alone, grads_alone, _ = sequence.backward(d_outputs[row : row + 1, :length], alone_cache, d_alone)
        total.add_(grads_alone)
        np.testing.assert_allclose(outputs[row, :length], alone[0], **ROUNDING)
        for mine, theirs in zip(cache.last_state, alone_cache.last_state, strict=True):
            np.testing.assert_allclose(mine[row], theirs[0], **ROUNDING)
        np.testing.assert_allclose(dx[row, :length], dx_alone[0], **ROUNDING)
        assert not dx[row, length:].any()
        np.testing.assert_array_equal(
            outputs[row, length:], np.repeat(outputs[row, length - 1 : length], 5 - length, axis=0)
        )
    for mine, summed in zip(grads.weights(), total.weights(), strict=True):
        np.testing.assert_allclose(mine, summed, **ROUNDING)


def test_run_takes_the_fast_path_when_nothing_is_masked_and_it_agrees() -> None:
    cell = random_lstm(3, 4, np.float64)
    x = np.random.default_rng(10).normal(size=(2, 5, 3))
    state = cell.zero_state(2)
    fast = masking.run(cell, x, np.ones((2, 5), dtype=bool), state)
    assert not isinstance(fast, masking.MaskedRun)
    slow = masking.run_masked_forward(cell, x, np.ones((2, 5), dtype=bool), state)
    np.testing.assert_allclose(fast.hs, slow.hs, rtol=0, atol=1e-14)
    dhs = np.random.default_rng(11).normal(size=(2, 5, 4))
    for a, b in zip(
        fast.backward(dhs, None, None)[1].weights(), slow.backward(dhs, None, None)[1].weights(), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("with_last_state", [False, True])
def test_run_takes_the_fast_path_on_right_padded_rows_and_equals_the_loop(with_last_state: bool) -> None:
    """Right padding only: the LSTM's fast path read at each row's last real step. Outputs, states
    and every gradient (the initial state's too) equal the masked loop's to rounding."""
    lengths = np.array([5, 2, 1, 4])
    mask = np.arange(5)[None, :] < lengths[:, None]
    rng = np.random.default_rng(12)
    cell = random_lstm(3, 4, np.float64, seed=13)
    x = rng.normal(size=(4, 5, 3))
    state = (rng.normal(size=(4, 4)), rng.normal(size=(4, 4)))
    dhs = rng.normal(size=(4, 5, 4))  # padded steps' outputs get gradients too (they repeat h_L)
    d_last = (rng.normal(size=(4, 4)), rng.normal(size=(4, 4))) if with_last_state else None

    fast = masking.run(cell, x, mask, state)
    loop = masking.run_masked_forward(cell, x, mask, state)
    assert not isinstance(fast, masking.MaskedRun)
    np.testing.assert_allclose(fast.hs, loop.hs, **ROUNDING)
    np.testing.assert_allclose(fast.state("c"), loop.state("c"), **ROUNDING)
    for mine, theirs in zip(fast.last_state, loop.last_state, strict=True):
        np.testing.assert_allclose(mine, theirs, **ROUNDING)
    dx, grads, d_initial = fast.backward(dhs, d_last, None)
    dx_loop, grads_loop, d_initial_loop = loop.backward(dhs, d_last, None)
    np.testing.assert_allclose(dx, dx_loop, **ROUNDING)
    for mine, theirs in zip(
        [*grads.weights(), *d_initial], [*grads_loop.weights(), *d_initial_loop], strict=True
    ):
        np.testing.assert_allclose(mine, theirs, **ROUNDING)


def test_run_takes_the_loop_on_leading_padding_and_on_an_empty_row() -> None:
    cell = random_lstm(3, 4, np.float64)
    x = np.zeros((2, 3, 3))
    state = cell.zero_state(2)
    for mask in ([[False, True, True], [True, True, True]], [[True, False, False], [False, False, False]]):
        assert isinstance(masking.run(cell, x, np.array(mask), state), masking.MaskedRun)
