"""NumPy LSTM and RNN against PyTorch (float64): forward outputs and autograd gradients.

The torch modules are built here by hand from the documented mapping
(weight_ih = W.T, weight_hh = U.T, bias_ih + bias_hh = b), so this file tests
lstm_tutorial.nn.lstm and lstm_tutorial.nn.rnn without relying on lstm_tutorial.frameworks.torch.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_tutorial.nn import sequence
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.lstm import (
    LSTMParams,
    lstm_backward,
    lstm_forward,
    lstm_step,
    lstm_step_backward,
)
from lstm_tutorial.nn.rnn import RNNParams, rnn_backward, rnn_forward

# (B, T, D, H): the classic shape first, then batch 1..32, steps 1..50, inputs 1..8, hidden 1..32.
SHAPES = [(1, 10, 1, 4), (32, 1, 1, 1), (3, 7, 2, 5), (8, 50, 8, 32), (5, 23, 4, 16), (2, 2, 8, 1)]
FORWARD_TOL = 1e-12  # max abs difference, float64
GRAD_TOL = 1e-9  # relative error, float64


def random_lstm(shape: tuple[int, int, int, int], seed: int) -> tuple[LSTMParams, dict[str, np.ndarray]]:
    batch, steps, inputs, hidden = shape
    rng = np.random.default_rng(seed)
    params = LSTMParams.init(inputs, hidden, seed=seed)
    params.b[:] = rng.normal(size=4 * hidden)  # a non-trivial bias, so every block is exercised
    data = {
        "x": rng.normal(size=(batch, steps, inputs)),
        "h0": rng.normal(size=(batch, hidden)),
        "c0": rng.normal(size=(batch, hidden)),
        "dhs": rng.normal(size=(batch, steps, hidden)),
        "dc_last": rng.normal(size=(batch, hidden)),
    }
    return params, data


def torch_lstm(params: LSTMParams) -> torch.nn.LSTM:
    module = torch.nn.LSTM(params.input_size, params.hidden_size, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.T.copy()))
        # Split the bias unevenly between torch's two vectors: only the sum may matter.
        module.bias_ih_l0.copy_(torch.from_numpy(0.25 * params.b))
        module.bias_hh_l0.copy_(torch.from_numpy(0.75 * params.b))
    return module


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_lstm_forward_matches_torch(shape: tuple[int, int, int, int]) -> None:
    params, d = random_lstm(shape, seed=sum(shape))
    hs, cache = lstm_forward(d["x"], params, d["h0"], d["c0"])
    out, (h_last, c_last) = torch_lstm(params)(
        torch.from_numpy(d["x"]), (torch.from_numpy(d["h0"][None]), torch.from_numpy(d["c0"][None]))
    )
    assert hs.shape == (shape[0], shape[1], shape[3])
    assert np.abs(hs - out.detach().numpy()).max() <= FORWARD_TOL
    assert np.abs(cache.h_last - h_last.detach().numpy()[0]).max() <= FORWARD_TOL
    assert np.abs(cache.c_last - c_last.detach().numpy()[0]).max() <= FORWARD_TOL


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_lstm_bptt_matches_torch_autograd(shape: tuple[int, int, int, int]) -> None:
    params, d = random_lstm(shape, seed=100 + sum(shape))
    _, cache = lstm_forward(d["x"], params, d["h0"], d["c0"])
    dx, grads, (dh0, dc0) = lstm_backward(d["dhs"], cache, (np.zeros_like(d["h0"]), d["dc_last"]))

    module = torch_lstm(params)
    x = torch.tensor(d["x"], requires_grad=True)
    h0 = torch.tensor(d["h0"][None], requires_grad=True)
    c0 = torch.tensor(d["c0"][None], requires_grad=True)
    out, (_, c_last) = module(x, (h0, c0))
    # A loss whose gradient is dhs at every h_t and dc_last at c_T.
    loss = (out * torch.from_numpy(d["dhs"])).sum() + (c_last[0] * torch.from_numpy(d["dc_last"])).sum()
    loss.backward()

    expected = {
        "W": module.weight_ih_l0.grad.numpy().T,
        "U": module.weight_hh_l0.grad.numpy().T,
        "b": module.bias_ih_l0.grad.numpy(),
        "x": x.grad.numpy(),
        "h0": h0.grad.numpy()[0],
        "c0": c0.grad.numpy()[0],
    }
    got = {"W": grads.W, "U": grads.U, "b": grads.b, "x": dx, "h0": dh0, "c0": dc0}
    assert rel_error(module.bias_hh_l0.grad.numpy(), expected["b"]) <= GRAD_TOL  # both biases, one gradient
    for name, value in got.items():
        assert value.shape == expected[name].shape, name
        assert rel_error(value, expected[name]) <= GRAD_TOL, name


@pytest.mark.parametrize("truncate", [1, 3, 4, 10])
def test_truncated_bptt_matches_torch_chunks_with_detach(truncate: int) -> None:
    params, d = random_lstm((4, 12, 3, 6), seed=7)
    _, cache = lstm_forward(d["x"], params, d["h0"], d["c0"])
    dx, grads, (dh0, dc0) = lstm_backward(d["dhs"], cache, truncate=truncate)

    module = torch_lstm(params)
    x = torch.tensor(d["x"], requires_grad=True)
    h = torch.tensor(d["h0"][None], requires_grad=True)
    c = torch.tensor(d["c0"][None], requires_grad=True)
    h0, c0 = h, c
    loss = torch.zeros((), dtype=torch.float64)
    for start in range(0, 12, truncate):
        if start > 0:  # the state is carried forward, but no gradient flows back through it
            h, c = h.detach(), c.detach()
        out, (h, c) = module(x[:, start : start + truncate], (h, c))
        loss = loss + (out * torch.from_numpy(d["dhs"][:, start : start + truncate])).sum()
    loss.backward()

    assert rel_error(grads.W, module.weight_ih_l0.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.U, module.weight_hh_l0.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.b, module.bias_ih_l0.grad.numpy()) <= GRAD_TOL
    assert rel_error(dx, x.grad.numpy()) <= GRAD_TOL
    assert rel_error(dh0, h0.grad.numpy()[0]) <= GRAD_TOL
    assert rel_error(dc0, c0.grad.numpy()[0]) <= GRAD_TOL
    # The chunk-by-chunk version (one chunk's cache in memory at a time) gives the same.
    chunked = sequence.tbptt_grads(params, d["x"], d["dhs"], truncate, (d["h0"], d["c0"]))
    for ours, theirs in zip(
        (chunked[0], *chunked[1].as_list(), *chunked[2]),
        (dx, grads.W, grads.U, grads.b, dh0, dc0),
        strict=True,
    ):
        assert rel_error(ours, theirs) <= 1e-12
    assert rel_error(chunked[1].U, module.weight_hh_l0.grad.numpy().T) <= GRAD_TOL
    if truncate < 12:  # truncation really changed something
        _, full, _ = lstm_backward(d["dhs"], cache)
        assert rel_error(full.U, grads.U) > 1e-6


def test_lstm_step_and_step_backward_match_torch_cell() -> None:
    params, d = random_lstm((3, 1, 2, 4), seed=11)
    cell = torch.nn.LSTMCell(2, 4, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.from_numpy(params.W.T.copy()))
        cell.weight_hh.copy_(torch.from_numpy(params.U.T.copy()))
        cell.bias_ih.copy_(torch.from_numpy(params.b))
        cell.bias_hh.zero_()
    x_t = torch.tensor(d["x"][:, 0], requires_grad=True)
    h_prev = torch.tensor(d["h0"], requires_grad=True)
    c_prev = torch.tensor(d["c0"], requires_grad=True)
    h_t, c_t = cell(x_t, (h_prev, c_prev))
    dh_t, dc_t = d["dhs"][:, 0], d["dc_last"]
    ((h_t * torch.from_numpy(dh_t)).sum() + (c_t * torch.from_numpy(dc_t)).sum()).backward()

    h_np, c_np = lstm_step(d["x"][:, 0], d["h0"], d["c0"], params)
    assert np.abs(h_np - h_t.detach().numpy()).max() <= FORWARD_TOL
    assert np.abs(c_np - c_t.detach().numpy()).max() <= FORWARD_TOL
    _, step_cache = params.step(d["x"][:, 0], (d["h0"], d["c0"]))
    dx_t, dh_prev, dc_prev, grads = lstm_step_backward(dh_t, dc_t, step_cache, params)
    assert rel_error(dx_t, x_t.grad.numpy()) <= GRAD_TOL
    assert rel_error(dh_prev, h_prev.grad.numpy()) <= GRAD_TOL
    assert rel_error(dc_prev, c_prev.grad.numpy()) <= GRAD_TOL
    assert rel_error(grads.W, cell.weight_ih.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.U, cell.weight_hh.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.b, cell.bias_ih.grad.numpy()) <= GRAD_TOL


@pytest.mark.parametrize("shape", [(1, 10, 1, 4), (6, 30, 3, 8), (32, 5, 8, 32)], ids=str)
def test_rnn_matches_torch(shape: tuple[int, int, int, int]) -> None:
    batch, steps, inputs, hidden = shape
    rng = np.random.default_rng(sum(shape))
    params = RNNParams.init(inputs, hidden, seed=3)
    params.b[:] = rng.normal(size=hidden)
    x_np = rng.normal(size=(batch, steps, inputs))
    h0_np = rng.normal(size=(batch, hidden))
    dhs = rng.normal(size=(batch, steps, hidden))
    hs, cache = rnn_forward(x_np, params, h0_np)
    dx, grads, (dh0,) = rnn_backward(dhs, cache)

    module = torch.nn.RNN(inputs, hidden, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params.b))
        module.bias_hh_l0.zero_()
    x = torch.tensor(x_np, requires_grad=True)
    h0 = torch.tensor(h0_np[None], requires_grad=True)
    out, _ = module(x, h0)
    (out * torch.from_numpy(dhs)).sum().backward()

    assert np.abs(hs - out.detach().numpy()).max() <= FORWARD_TOL
    assert rel_error(grads.W, module.weight_ih_l0.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.U, module.weight_hh_l0.grad.numpy().T) <= GRAD_TOL
    assert rel_error(grads.b, module.bias_ih_l0.grad.numpy()) <= GRAD_TOL
    assert rel_error(dx, x.grad.numpy()) <= GRAD_TOL
    assert rel_error(dh0, h0.grad.numpy()[0]) <= GRAD_TOL


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_end_to_end(dtype: type) -> None:
    params = LSTMParams.init(3, 5, seed=0, dtype=dtype)
    x = np.random.default_rng(0).normal(size=(2, 4, 3)).astype(dtype)
    hs, cache = lstm_forward(x, params)
    dx, grads, (dh0, dc0) = lstm_backward(np.ones_like(hs), cache)
    for array in (hs, cache.c_last, dx, grads.W, grads.U, grads.b, dh0, dc0):
        assert array.dtype == dtype
