"""Per-step state gradients, clipping and the RNN regressor against torch autograd (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_tutorial.frameworks.torch import to_torch
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.lstm import LSTMParams, lstm_forward, lstm_state_gradients
from lstm_tutorial.nn.optim import clip_by_global_norm
from lstm_tutorial.nn.regressors import RNNRegressor
from lstm_tutorial.nn.rnn import RNNParams, rnn_forward, rnn_state_gradients

TOL = 1e-9


def test_rnn_hidden_state_gradients_match_torch() -> None:
    rng = np.random.default_rng(0)
    params = RNNParams.init(3, 6, seed=1)
    x = rng.normal(size=(4, 15, 3))
    dh_last = rng.normal(size=(4, 6))
    _, cache = rnn_forward(x, params)
    (ours,) = rnn_state_gradients(cache, dh_last)

    cell = to_torch(params)
    h = torch.zeros(4, 6, dtype=torch.float64)
    states = []
    for t in range(15):  # unrolled by hand so every h_t is a tensor we can ask about
        x_t = torch.from_numpy(x[:, t])
        h = torch.tanh(
            x_t @ cell.weight_ih_l0.T + cell.bias_ih_l0 + h @ cell.weight_hh_l0.T + cell.bias_hh_l0
        )
        h.retain_grad()
        states.append(h)
    (states[-1] * torch.from_numpy(dh_last)).sum().backward()
    expected = np.stack([s.grad.numpy() for s in states], axis=1)
    assert ours.shape == (4, 15, 6)
    assert rel_error(ours, expected) <= TOL


def test_lstm_state_gradients_match_torch() -> None:
    rng = np.random.default_rng(1)
    params = LSTMParams.init(2, 5, seed=2)
    params.b[:] = rng.normal(size=20)
    x = rng.normal(size=(3, 12, 2))
    dh_last = rng.normal(size=(3, 5))
    _, cache = lstm_forward(x, params)
    dh, dc = lstm_state_gradients(cache, dh_last)

    module = to_torch(params)
    cell = torch.nn.LSTMCell(2, 5, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(module.weight_ih_l0)
        cell.weight_hh.copy_(module.weight_hh_l0)
        cell.bias_ih.copy_(module.bias_ih_l0)
        cell.bias_hh.copy_(module.bias_hh_l0)
    h = torch.zeros(3, 5, dtype=torch.float64)
    c = torch.zeros(3, 5, dtype=torch.float64)
    hs, cs = [], []
    for t in range(12):
        h, c = cell(torch.from_numpy(x[:, t]), (h, c))
        h.retain_grad()
        c.retain_grad()
        hs.append(h)
        cs.append(c)
    (hs[-1] * torch.from_numpy(dh_last)).sum().backward()
    assert rel_error(dh, np.stack([s.grad.numpy() for s in hs], axis=1)) <= TOL
    assert rel_error(dc, np.stack([s.grad.numpy() for s in cs], axis=1)) <= TOL


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 1e6])
def test_clip_by_global_norm_matches_torch(max_norm: float) -> None:
    rng = np.random.default_rng(2)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=7), rng.normal(size=(2, 2))]
    clipped, norm = clip_by_global_norm(grads, max_norm)
    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for tensor, grad in zip(tensors, grads, strict=True):
        tensor.grad = torch.from_numpy(grad.copy())
    torch_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    assert norm == pytest.approx(float(torch_norm), rel=1e-12)
    for ours, tensor in zip(clipped, tensors, strict=True):
        # torch scales by max_norm / (norm + 1e-6); the 1e-6 sets the tolerance.
        np.testing.assert_allclose(ours, tensor.grad.numpy(), rtol=1e-5)
    assert max_norm >= 1e6 or np.sqrt(sum(np.sum(c**2) for c in clipped)) == pytest.approx(max_norm)


def test_rnn_regressor_gradients_match_torch() -> None:
    rng = np.random.default_rng(3)
    model = RNNRegressor.init(2, 7, seed=4)
    model.rnn.b[:] = rng.normal(size=7)
    x = rng.normal(size=(5, 9, 2))
    y = rng.normal(size=5)
    loss, grads = model.loss_and_grads(x, y)

    rnn = to_torch(model.rnn)
    dense = torch.nn.Linear(7, 1, dtype=torch.float64)
    with torch.no_grad():
        dense.weight.copy_(torch.from_numpy(model.dense_W.T.copy()))
        dense.bias.copy_(torch.from_numpy(model.dense_b))
    out, _ = rnn(torch.from_numpy(x))
    torch_loss = ((dense(out[:, -1])[:, 0] - torch.from_numpy(y)) ** 2).mean()
    torch_loss.backward()
    assert loss == pytest.approx(torch_loss.item(), rel=1e-12)
    expected = [
        rnn.weight_ih_l0.grad.numpy().T,
        rnn.weight_hh_l0.grad.numpy().T,
        rnn.bias_ih_l0.grad.numpy(),
        dense.weight.grad.numpy().T,
        dense.bias.grad.numpy(),
    ]
    for ours, theirs in zip(grads.parameters(), expected, strict=True):
        assert rel_error(ours, theirs) <= TOL
    assert model.count_params() == 2 * 7 + 7 * 7 + 7 + 7 + 1
