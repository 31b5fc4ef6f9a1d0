"""lstm_tutorial.nn.variants: the peephole LSTM and Greff et al.'s variants.

Witnesses: the package's LSTM and torch.nn.LSTM (with peepholes removed the cell is the LSTM),
torch autograd on the same equations written in torch operations (torch computes the gradients),
finite differences, and one hand-checked property per variant.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_tutorial.frameworks.torch import to_torch
from lstm_tutorial.nn.gradcheck import numerical_gradient, rel_error
from lstm_tutorial.nn.lstm import LSTMParams, lstm_forward
from lstm_tutorial.nn.regressors import VariantRegressor
from lstm_tutorial.nn.variants import (
    VARIANTS,
    PeepholeParams,
    Variant,
    variant_backward,
    variant_forward,
)


def random_cell(inputs: int, hidden: int, seed: int) -> PeepholeParams:
    rng = np.random.default_rng(seed)
    lstm = LSTMParams(
        rng.normal(scale=0.6, size=(inputs, 4 * hidden)),
        rng.normal(scale=0.5, size=(hidden, 4 * hidden)),
        rng.normal(scale=0.3, size=4 * hidden),
    )
    return PeepholeParams.from_lstm(lstm, rng.normal(scale=0.5, size=(3, hidden)))


def torch_cell(x, W, U, b, P, h, c, variant: Variant):  # type: ignore[no-untyped-def]
    """The module docstring's equations in torch operations, for autograd."""
    hs = []
    for t in range(x.shape[1]):
        z_i, z_f, z_g, z_o = torch.chunk(x[:, t] @ W + h @ U + b, 4, dim=1)
        peep = P if variant.peepholes else torch.zeros_like(P)
        f = torch.sigmoid(z_f + peep[1] * c) if variant.forget_gate else torch.ones_like(z_f)
        if variant.coupled:
            i = 1 - f
        else:
            i = torch.sigmoid(z_i + peep[0] * c) if variant.input_gate else torch.ones_like(z_i)
        g = torch.tanh(z_g) if variant.input_activation else z_g
        c = f * c + i * g
        o = torch.sigmoid(z_o + peep[2] * c) if variant.output_gate else torch.ones_like(z_o)
        h = o * (torch.tanh(c) if variant.output_activation else c)
        hs.append(h)
    return torch.stack(hs, dim=1)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_forward_and_gradients_match_torch_autograd(name: str) -> None:
    variant = VARIANTS[name]
    rng = np.random.default_rng(len(name))
    params = random_cell(2, 3, seed=len(name))
    x = rng.normal(size=(4, 6, 2))
    h0, c0 = rng.normal(size=(2, 4, 3))
    dhs = rng.normal(size=(4, 6, 3))

    hs, cache = variant_forward(x, params, variant, h0, c0)
    dx, grads, (dh0, dc0) = variant_backward(dhs, cache)

    tensors = [torch.tensor(a, requires_grad=True) for a in (x, *params.as_list(), h0, c0)]
    out = torch_cell(*tensors, variant=variant)
    (out * torch.from_numpy(dhs)).sum().backward()
    assert np.abs(hs - out.detach().numpy()).max() <= 1e-12
    ours = (dx, *grads.as_list(), dh0, dc0)
    for k, (mine, tensor) in enumerate(zip(ours, tensors, strict=True)):
        # torch leaves no gradient on an input the output does not depend on (P, for NP): zero.
        theirs = np.zeros_like(mine) if tensor.grad is None else tensor.grad.numpy()
        assert np.abs(mine - theirs).max() <= 1e-12 * max(1.0, np.abs(theirs).max()), (name, k)


def test_without_peepholes_it_is_the_lstm_and_torch_nn_lstm() -> None:
    rng = np.random.default_rng(0)
    params = random_cell(3, 5, seed=1)
    x = rng.normal(size=(2, 8, 3))
    expected, _ = lstm_forward(x, params.lstm)
    theirs, _ = to_torch(params.lstm)(torch.from_numpy(x))
    # NP ignores P; the vanilla cell with P = 0 computes the same.
    no_peepholes, _ = variant_forward(x, params, VARIANTS["NP"])
    zero_peepholes, _ = variant_forward(
        x, PeepholeParams.from_lstm(params.lstm, np.zeros((3, 5))), VARIANTS["vanilla"]
    )
    for ours in (no_peepholes, zero_peepholes):
        assert np.abs(ours - expected).max() <= 1e-14
        assert np.abs(ours - theirs.detach().numpy()).max() <= 1e-12
    with_peepholes, _ = variant_forward(x, params, VARIANTS["vanilla"])
    assert np.abs(with_peepholes - expected).max() > 1e-2  # the peepholes matter


def test_finite_differences_with_peepholes() -> None:
    rng = np.random.default_rng(2)
    params = random_cell(2, 3, seed=3)
    x = rng.normal(size=(2, 5, 2))
    weights = rng.normal(size=(2, 5, 3))

    def loss() -> float:
        hs, _ = variant_forward(x, params, VARIANTS["vanilla"])
        return float(np.sum(hs * weights))

    _, cache = variant_forward(x, params, VARIANTS["vanilla"])
    dx, grads, _ = variant_backward(weights, cache)
    for ours, array in zip(grads.as_list(), params.as_list(), strict=True):
        assert rel_error(ours, numerical_gradient(loss, array)) <= 1e-6
    assert rel_error(dx, numerical_gradient(loss, x)) <= 1e-6


def test_each_variant_does_what_its_name_says() -> None:
    rng = np.random.default_rng(4)
    params = random_cell(2, 3, seed=5)
    x = rng.normal(size=(3, 4, 2))
    caches = {name: variant_forward(x, params, v)[1] for name, v in VARIANTS.items()}
    gate = {name: {k: cache.stacked(k) for k in "ifgo"} for name, cache in caches.items()}  # (B, T, H)
    assert np.all(gate["NIG"]["i"] == 1)
    assert np.all(gate["NFG"]["f"] == 1)
    # c_t = c_(t-1) + i * g: equal up to the rounding of the subtraction on the left (c_0 = 0).
    nfg = caches["NFG"]
    c_prev = np.concatenate([np.zeros_like(nfg.cs[:, :1]), nfg.cs[:, :-1]], axis=1)
    np.testing.assert_allclose(nfg.cs - c_prev, gate["NFG"]["i"] * gate["NFG"]["g"], rtol=0, atol=1e-15)
    assert np.all(gate["NOG"]["o"] == 1)
    np.testing.assert_array_equal(caches["NOG"].hs, np.tanh(caches["NOG"].cs))
    np.testing.assert_array_equal(caches["NOAF"].hs, gate["NOAF"]["o"] * caches["NOAF"].cs)
    np.testing.assert_array_equal(gate["CIFG"]["i"], 1 - gate["CIFG"]["f"])
    assert np.abs(gate["NIAF"]["g"]).max() > 1  # linear candidate: not confined to (-1, 1) like tanh
    assert np.abs(gate["vanilla"]["g"]).max() < 1


def test_regressor_gradients_by_finite_differences() -> None:
    rng = np.random.default_rng(6)
    model = VariantRegressor.init(VARIANTS["CIFG"], input_size=2, hidden_size=3, seed=7)
    model.cell.P[:] = rng.normal(scale=0.5, size=(3, 3))
    x, y = rng.normal(size=(5, 4, 2)), rng.normal(size=5)
    _, grads = model.loss_and_grads(x, y)
    for ours, array in zip(grads.parameters(), model.parameters(), strict=True):
        expected = numerical_gradient(lambda: model.loss_and_grads(x, y)[0], array)
        assert rel_error(ours, expected) <= 1e-6
    unused = grads.cell.lstm.gate("i")  # CIFG: the input gate's own weights get no gradient
    assert all(np.all(block == 0) for block in unused)


BAD_INPUT = [
    (
        lambda: PeepholeParams.from_lstm(LSTMParams.init(2, 3), np.zeros((3, 4))),
        ValueError,
        r"P must have shape \(3, H\) = \(3, 3\) to match U of shape \(3, 12\), got \(3, 4\)",
    ),
    (
        lambda: variant_forward(np.zeros((1, 2, 2)), PeepholeParams.init(2, 3), "NFG"),  # type: ignore[arg-type]
        TypeError,
        "variant must be a Variant",
    ),
    (
        lambda: variant_forward(np.zeros((1, 2, 5)), PeepholeParams.init(2, 3)),
        ValueError,
        r"x must have shape \(B, T, D\) with D = input_size = 2, got \(1, 2, 5\)",
    ),
    (
        lambda: variant_forward(np.zeros((1, 2, 2)), PeepholeParams.init(2, 3), c0=np.zeros((1, 4))),
        ValueError,
        r"c0 must have shape \(B, H\) = \(1, 3\), got \(1, 4\)",
    ),
    (
        lambda: VariantRegressor.init(VARIANTS["NP"]).loss_and_grads(np.zeros((2, 3, 1)), np.zeros(3)),
        ValueError,
        r"y must have shape \(N,\) = \(2,\) to match x of shape \(2, 3, 1\), got \(3,\)",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_that_names_it(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]
