"""mean_norm_by_lag, and the constant error carousel that chapter 4 measures with it."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lstm_tutorial.frameworks.torch import to_torch
from lstm_tutorial.nn.lstm import LSTMParams, lstm_forward, lstm_state_gradients
from lstm_tutorial.nn.sequence import mean_norm_by_lag


def test_mean_norm_by_lag_by_hand() -> None:
    # Step t of sequence b holds (3, 4) * (t + 1) * (b + 1): norm 5 (t + 1) (b + 1).
    steps = np.arange(1.0, 5.0)
    grads = np.stack([np.outer(steps * scale, [3.0, 4.0]) for scale in (1.0, 2.0)])  # (2, 4, 2)
    expected = [math.hypot(3, 4) * t * 1.5 for t in (4, 3, 2, 1)]  # lag 0 is the last step
    np.testing.assert_allclose(mean_norm_by_lag(grads), expected, rtol=1e-15)


def test_mean_norm_by_lag_checks_its_argument() -> None:
    with pytest.raises(ValueError, match="grads must have 3 dimensions, got shape"):
        mean_norm_by_lag(np.ones((4, 3)))


def test_without_recurrence_the_cell_gradient_shrinks_by_exactly_the_forget_gate() -> None:
    """With U = 0 only the direct path joins steps: dL/dc_{t-1} = dL/dc_t * f_t, as torch finds."""
    rng = np.random.default_rng(0)
    params = LSTMParams.init(2, 3, seed=1)
    params.U[:] = 0.0
    x = rng.normal(size=(2, 9, 2))
    dh_last = rng.normal(size=(2, 3))
    _, cache = lstm_forward(x, params)
    _, dc = lstm_state_gradients(cache, dh_last)
    np.testing.assert_allclose(dc[:, :-1], dc[:, 1:] * cache.forget_gate[:, 1:], rtol=1e-12)

    module = to_torch(params)
    cell = torch.nn.LSTMCell(2, 3, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(module.weight_ih_l0)
        cell.weight_hh.copy_(module.weight_hh_l0)
        cell.bias_ih.copy_(module.bias_ih_l0)
        cell.bias_hh.copy_(module.bias_hh_l0)
    h = torch.zeros(2, 3, dtype=torch.float64)
    c = torch.zeros(2, 3, dtype=torch.float64)
    cells = []
    for t in range(9):
        h, c = cell(torch.from_numpy(x[:, t]), (h, c))
        c.retain_grad()
        cells.append(c)
    (h * torch.from_numpy(dh_last)).sum().backward()
    torch_dc = np.stack([c.grad.numpy() for c in cells], axis=1)
    np.testing.assert_allclose(mean_norm_by_lag(dc), mean_norm_by_lag(torch_dc), rtol=1e-12)
