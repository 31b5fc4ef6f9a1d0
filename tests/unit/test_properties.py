"""Property-based agreement (hypothesis, fixed budget, derandomized so every run tries the same cases).

For random shapes, dtypes, sequence lengths and initial states the NumPy LSTM
agrees with torch.nn.LSTM (forward and autograd gradients), and its BPTT agrees
with centred finite differences.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstm_tutorial.nn.gradcheck import numerical_gradient_at, rel_error
from lstm_tutorial.nn.lstm import LSTMParams, lstm_backward, lstm_forward

BUDGET = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
# float64: the package's tolerances. float32: the Keras forward tolerance, and a
# gradient tolerance a few hundred float32 ulps wide, since both sides round in float32.
TOLERANCES = {np.float64: (1e-12, 1e-9), np.float32: (1e-5, 1e-4)}


@st.composite
def lstm_cases(draw: st.DrawFn) -> dict[str, object]:
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    batch = draw(st.integers(1, 8))
    steps = draw(st.integers(1, 30))
    inputs = draw(st.integers(1, 6))
    hidden = draw(st.integers(1, 12))
    seed = draw(st.integers(0, 2**31 - 1))
    with_states = draw(st.booleans())
    rng = np.random.default_rng(seed)
    params = LSTMParams.init(inputs, hidden, seed=seed, dtype=dtype)
    params.b[:] = rng.normal(size=4 * hidden)
    x = rng.normal(size=(batch, steps, inputs)).astype(dtype)
    h0 = rng.normal(size=(batch, hidden)).astype(dtype) if with_states else None
    c0 = rng.normal(size=(batch, hidden)).astype(dtype) if with_states else None
    dhs = rng.normal(size=(batch, steps, hidden)).astype(dtype)
    return {"dtype": dtype, "params": params, "x": x, "h0": h0, "c0": c0, "dhs": dhs}


@BUDGET
@given(lstm_cases())
def test_numpy_agrees_with_torch(case: dict) -> None:
    dtype, params, x, h0, c0, dhs = (case[k] for k in ("dtype", "params", "x", "h0", "c0", "dhs"))
    forward_tol, grad_tol = TOLERANCES[dtype]
    batch, hidden = x.shape[0], params.hidden_size
    hs, cache = lstm_forward(x, params, h0, c0)
    dx, grads, (dh0, dc0) = lstm_backward(dhs, cache)

    torch_dtype = torch.float64 if dtype == np.float64 else torch.float32
    module = torch.nn.LSTM(params.input_size, hidden, batch_first=True, dtype=torch_dtype)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params.W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params.U.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params.b))
        module.bias_hh_l0.zero_()
    zeros = np.zeros((batch, hidden), dtype=dtype)
    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.tensor((zeros if h0 is None else h0)[None], requires_grad=True)
    c0_t = torch.tensor((zeros if c0 is None else c0)[None], requires_grad=True)
    out, _ = module(x_t, (h0_t, c0_t))
    (out * torch.from_numpy(dhs)).sum().backward()

    assert hs.dtype == dtype and dx.dtype == dtype and grads.W.dtype == dtype
    assert np.abs(hs - out.detach().numpy()).max() <= forward_tol
    pairs = [
        (grads.W, module.weight_ih_l0.grad.numpy().T),
        (grads.U, module.weight_hh_l0.grad.numpy().T),
        (grads.b, module.bias_ih_l0.grad.numpy()),
        (dx, x_t.grad.numpy()),
        (dh0, h0_t.grad.numpy()[0]),
        (dc0, c0_t.grad.numpy()[0]),
    ]
    for ours, theirs in pairs:
        assert rel_error(ours, theirs) <= grad_tol


@BUDGET
@given(lstm_cases(), st.integers(0, 2**31 - 1))
def test_bptt_agrees_with_finite_differences(case: dict, pick: int) -> None:
    if case["dtype"] != np.float64:  # finite differences need float64
        params = LSTMParams(*(w.astype(np.float64) for w in case["params"].as_list()))
        x, dhs = case["x"].astype(np.float64), case["dhs"].astype(np.float64)
    else:
        params, x, dhs = case["params"], case["x"], case["dhs"]
    h0, c0 = (None if s is None else s.astype(np.float64) for s in (case["h0"], case["c0"]))

    def loss() -> float:
        return float(np.sum(lstm_forward(x, params, h0, c0)[0] * dhs))

    _, cache = lstm_forward(x, params, h0, c0)
    dx, grads, _ = lstm_backward(dhs, cache)
    rng = np.random.default_rng(pick)
    for array, analytic in [(params.W, grads.W), (params.U, grads.U), (params.b, grads.b), (x, dx)]:
        # Up to 12 random entries of each array: enough to catch any wrong block or sign.
        flat = rng.choice(array.size, size=min(12, array.size), replace=False)
        indices = [np.unravel_index(i, array.shape) for i in flat]
        numeric = numerical_gradient_at(loss, array, indices)
        assert rel_error(analytic[tuple(np.array(indices).T)], numeric) <= 1e-6
