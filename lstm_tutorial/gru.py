"""A gated recurrent unit (GRU) in NumPy: forward pass and backpropagation through time.

The GRU of Cho et al. (2014) keeps one state, h, and two gates. The layout is
Keras 3's ``GRU`` with ``reset_after=True`` (Keras' default, and the same
arithmetic as ``torch.nn.GRU``), so ``W``, ``U`` and ``b`` *are* Keras'
``kernel``, ``recurrent_kernel`` and ``bias``:

    W  (D, 3H)   input weights, three blocks side by side
    U  (H, 3H)   recurrent weights
    b  (2, 3H)   bias: row 0 is added to x_t W, row 1 to h_{t-1} U

The blocks, in Keras' order, are the update gate ``z``, the reset gate ``r`` and
the candidate ``n`` (Keras calls it ``h``, PyTorch ``n``; PyTorch's order is r, z, n).
One step is

    a = x_t W + b[0]       u = h_{t-1} U + b[1]          (B, 3H) each, split into z, r, n parts
    z = sigmoid(a_z + u_z)     r = sigmoid(a_r + u_r)
    n = tanh(a_n + r * u_n)                               the reset gate scales h U, after the product
    h_t = z * h_{t-1} + (1 - z) * n

Where the LSTM has a forget gate and an input gate, the GRU has one update gate
z that does both: it keeps a share z of the old state and fills the rest from the
candidate. There is no separate cell state and no output gate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .activations import sigmoid, tanh
from .lstm import glorot_uniform, orthogonal
from .model import dense_mse_grads

__all__ = [
    "GRUCache",
    "GRUParams",
    "GRURegressor",
    "gru_backward",
    "gru_forward",
    "gru_from_torch",
    "gru_step",
    "gru_to_torch",
]


@dataclass
class GRUParams:
    """The weights of one GRU layer, in Keras' layout (``reset_after=True``) and block order z, r, n.

    Attributes:
        W: (D, 3H) input weights; Keras' ``kernel``.
        U: (H, 3H) recurrent weights; Keras' ``recurrent_kernel``.
        b: (2, 3H) biases; Keras' ``bias``: row 0 for the input product, row 1 for the recurrent one.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        _checks.float_array("W", self.W, ndim=2)
        _checks.float_array("U", self.U, ndim=2)
        _checks.float_array("b", self.b, ndim=2)
        hidden = self.U.shape[0]
        _checks.shape_is("U", self.U, (hidden, 3 * hidden), "(H, 3H)")
        if self.W.shape[1] != 3 * hidden:
            raise ValueError(
                f"W must have shape (D, 3H) = (D, {3 * hidden}) to match U of shape {self.U.shape}, "
                f"got {self.W.shape}"
            )
        _checks.shape_is("b", self.b, (2, 3 * hidden), "(2, 3H)")
        _checks.same_dtype("U", self.U, self.W.dtype, "W")
        _checks.same_dtype("b", self.b, self.W.dtype, "W")

    @classmethod
    def init(cls, input_size: int, hidden_size: int, seed: int = 0, dtype: Any = np.float64) -> GRUParams:
        """Fresh weights with Keras' defaults: Glorot-uniform W, orthogonal U, zero biases.

        Args:
            input_size: D, features per time step.
            hidden_size: H, the number of units.
            seed: seed for NumPy's random generator.
            dtype: np.float32 or np.float64.
        """
        input_size = _checks.positive_int("input_size", input_size)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        dtype = _checks.dtype_arg("dtype", dtype)
        rng = np.random.default_rng(seed)
        W = glorot_uniform(rng, (input_size, 3 * hidden_size), dtype)
        U = orthogonal(rng, (hidden_size, 3 * hidden_size), dtype)
        return cls(W, U, np.zeros((2, 3 * hidden_size), dtype=dtype))

    @property
    def input_size(self) -> int:
        """D, the number of input features."""
        return int(self.W.shape[0])

    @property
    def hidden_size(self) -> int:
        """H, the number of units."""
        return int(self.U.shape[0])

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype shared by W, U and b."""
        return self.W.dtype

    def as_list(self) -> list[np.ndarray]:
        """``[W, U, b]``: the order of Keras' ``layer.get_weights()``."""
        return [self.W, self.U, self.b]

    def copy(self) -> GRUParams:
        """A deep copy."""
        return GRUParams(self.W.copy(), self.U.copy(), self.b.copy())


def _check_state(name: str, state: np.ndarray | None, batch: int, params: GRUParams) -> np.ndarray:
    if state is None:
        return np.zeros((batch, params.hidden_size), dtype=params.dtype)
    return _checks.matching(name, state, (batch, params.hidden_size), "(B, H)", params.dtype, "params")


def _check_x(x: np.ndarray, params: GRUParams) -> None:
    _checks.float_array("x", x, ndim=3)
    _checks.same_dtype("x", x, params.dtype, "params")
    if x.shape[2] != params.input_size:
        raise ValueError(f"x must have shape (B, T, D) with D = {params.input_size}, got {x.shape}")


def gru_step(x_t: np.ndarray, h_prev: np.ndarray, params: GRUParams) -> np.ndarray:
    """One GRU step.

    Args:
        x_t: (B, D) inputs at time t.
        h_prev: (B, H) the previous state h_{t-1}.
        params: the layer's weights.

    Returns:
        (B, H) the new state h_t.
    """
    _checks.float_array("x_t", x_t, ndim=2)
    _checks.same_dtype("x_t", x_t, params.dtype, "params")
    if x_t.shape[1] != params.input_size:
        raise ValueError(f"x_t must have shape (B, D) with D = {params.input_size}, got {x_t.shape}")
    h_prev = _check_state("h_prev", h_prev, x_t.shape[0], params)
    cache = _forward(x_t[:, None, :], params, h_prev)
    return cache.hs[1]


@dataclass
class GRUCache:
    """What the backward pass needs from the forward pass; every array is time-major.

    Attributes:
        x: (T, B, D) the inputs.
        hs: (T + 1, B, H) the states h_0 .. h_T.
        z: (T, B, H) update gates.
        r: (T, B, H) reset gates.
        n: (T, B, H) candidates.
        u_n: (T, B, H) the candidate's recurrent part ``h_{t-1} U_n + b[1]_n``, before the reset gate.
        params: the weights used.
    """

    x: np.ndarray
    hs: np.ndarray
    z: np.ndarray
    r: np.ndarray
    n: np.ndarray
    u_n: np.ndarray
    params: GRUParams


def _forward(x: np.ndarray, params: GRUParams, h0: np.ndarray) -> GRUCache:
    """The forward pass on checked inputs; x is (B, T, D)."""
    batch, steps, _ = x.shape
    hidden = params.hidden_size
    xs = np.ascontiguousarray(x.transpose(1, 0, 2))
    a = xs @ params.W + params.b[0]  # (T, B, 3H): every input product at once
    hs = np.empty((steps + 1, batch, hidden), dtype=params.dtype)
    z, r, n, u_n = (np.empty((steps, batch, hidden), dtype=params.dtype) for _ in range(4))
    hs[0] = h0
    for t in range(steps):
        u = hs[t] @ params.U + params.b[1]
        gates = sigmoid(a[t, :, : 2 * hidden] + u[:, : 2 * hidden])
        z[t], r[t] = gates[:, :hidden], gates[:, hidden:]
        u_n[t] = u[:, 2 * hidden :]
        n[t] = tanh(a[t, :, 2 * hidden :] + r[t] * u_n[t])
        hs[t + 1] = z[t] * hs[t] + (1 - z[t]) * n[t]
    return GRUCache(xs, hs, z, r, n, u_n, params)


def gru_forward(
    x: np.ndarray, params: GRUParams, h0: np.ndarray | None = None
) -> tuple[np.ndarray, GRUCache]:
    """Run the GRU over whole sequences.

    Args:
        x: (B, T, D) input sequences, the dtype of ``params``.
        params: the layer's weights.
        h0: (B, H) initial state, zeros if None (as Keras and PyTorch).

    Returns:
        ``(hs, cache)``: hs (B, T, H) the states h_1 .. h_T (Keras' ``return_sequences=True``),
        and the cache for ``gru_backward``.
    """
    if not isinstance(params, GRUParams):
        raise TypeError(f"params must be a GRUParams, got {_checks.describe(params)}")
    _check_x(x, params)
    cache = _forward(x, params, _check_state("h0", h0, x.shape[0], params))
    return cache.hs[1:].transpose(1, 0, 2), cache


def gru_backward(dhs: np.ndarray, cache: GRUCache) -> tuple[np.ndarray, GRUParams, np.ndarray]:
    """Backpropagation through time for ``gru_forward``.

    Walking back from t = T, the gradient reaching h_t is the loss's own ``dhs[:, t]``
    plus what flows back from step t + 1. Through one step (s_n = a_n + r * u_n is the
    candidate's pre-activation):

        dz = dh * (h_{t-1} - n)          dn = dh * (1 - z)          dh_{t-1} = dh * z + ...
        ds_n = dn * (1 - n**2)           dr = ds_n * u_n            du_n = ds_n * r
        da = [dz * z(1-z), dr * r(1-r), ds_n]      du = [dz * z(1-z), dr * r(1-r), du_n]
        dW += x_t^T da    dU += h_{t-1}^T du    db[0] += sum(da)    db[1] += sum(du)
        dx_t = da W^T     dh_{t-1} += du U^T

    Args:
        dhs: (B, T, H) gradient of the loss with respect to every output state h_1 .. h_T.
        cache: from ``gru_forward``.

    Returns:
        ``(dx, grads, dh0)``: dx (B, T, D), grads a ``GRUParams`` of gradients of W, U, b,
        and dh0 (B, H).
    """
    if not isinstance(cache, GRUCache):
        raise TypeError(f"cache must be the GRUCache returned by gru_forward, got {_checks.describe(cache)}")
    steps, batch, _ = cache.x.shape
    params = cache.params
    _checks.matching("dhs", dhs, (batch, steps, params.hidden_size), "(B, T, H)", params.dtype, "cache")
    hidden = params.hidden_size
    dW, dU, db = np.zeros_like(params.W), np.zeros_like(params.U), np.zeros_like(params.b)
    dxs = np.empty_like(cache.x)
    dh_next = np.zeros((batch, hidden), dtype=params.dtype)
    for t in reversed(range(steps)):
        z, r, n, u_n, h_prev = cache.z[t], cache.r[t], cache.n[t], cache.u_n[t], cache.hs[t]
        dh = dhs[:, t] + dh_next
        ds_n = dh * (1 - z) * (1 - n * n)
        ds_z = dh * (h_prev - n) * z * (1 - z)
        ds_r = ds_n * u_n * r * (1 - r)
        da = np.concatenate([ds_z, ds_r, ds_n], axis=1)
        du = np.concatenate([ds_z, ds_r, ds_n * r], axis=1)
        dW += cache.x[t].T @ da
        dU += h_prev.T @ du
        db[0] += da.sum(axis=0)
        db[1] += du.sum(axis=0)
        dxs[t] = da @ params.W.T
        dh_next = dh * z + du @ params.U.T
    grads = object.__new__(GRUParams)  # our own arrays: skip the checks
    grads.W, grads.U, grads.b = dW, dU, db
    return dxs.transpose(1, 0, 2), grads, dh_next


# PyTorch orders the blocks r, z, n; Keras and this module z, r, n.
_TORCH_ORDER = (1, 0, 2)


def _reorder(blocks: np.ndarray, axis: int) -> np.ndarray:
    return np.concatenate([np.split(blocks, 3, axis=axis)[k] for k in _TORCH_ORDER], axis=axis)


def gru_to_torch(params: GRUParams, batch_first: bool = True) -> Any:
    """A ``torch.nn.GRU`` with the same weights (torch's block order r, z, n; weights transposed).

    Args:
        params: the weights to copy.
        batch_first: the torch module's ``batch_first``.
    """
    import torch

    if not isinstance(params, GRUParams):
        raise TypeError(f"params must be a GRUParams, got {_checks.describe(params)}")
    dtype = torch.float64 if params.dtype == np.float64 else torch.float32
    module = torch.nn.GRU(params.input_size, params.hidden_size, batch_first=batch_first, dtype=dtype)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(_reorder(params.W, axis=1).T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(_reorder(params.U, axis=1).T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(_reorder(params.b[0], axis=0).copy()))
        module.bias_hh_l0.copy_(torch.from_numpy(_reorder(params.b[1], axis=0).copy()))
    return module


def gru_from_torch(module: Any) -> GRUParams:
    """The weights of a one-layer, unidirectional ``torch.nn.GRU`` with biases, in Keras' layout."""
    import torch

    if not isinstance(module, torch.nn.GRU):
        raise TypeError(f"module must be a torch.nn.GRU, got {type(module).__name__}")
    if module.num_layers != 1 or module.bidirectional or not module.bias:
        raise ValueError(
            "module must be a one-layer, unidirectional torch.nn.GRU with biases, got "
            f"num_layers={module.num_layers}, bidirectional={module.bidirectional}, bias={module.bias}"
        )
    state = {k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}
    return GRUParams(
        np.ascontiguousarray(_reorder(state["weight_ih_l0"], axis=0).T),
        np.ascontiguousarray(_reorder(state["weight_hh_l0"], axis=0).T),
        np.stack([_reorder(state["bias_ih_l0"], axis=0), _reorder(state["bias_hh_l0"], axis=0)]),
    )


@dataclass
class GRURegressor:
    """GRU(H) followed by Dense(1) on the last state: the GRU twin of ``LSTMRegressor``.

    Attributes:
        gru: the GRU layer's weights.
        dense_W: (H, 1) the Dense layer's kernel.
        dense_b: (1,) the Dense layer's bias.
    """

    gru: GRUParams
    dense_W: np.ndarray
    dense_b: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.gru, GRUParams):
            raise TypeError(f"gru must be a GRUParams, got {_checks.describe(self.gru)}")
        _checks.matching("dense_W", self.dense_W, (self.gru.hidden_size, 1), "(H, 1)", self.gru.dtype, "gru")
        _checks.matching("dense_b", self.dense_b, (1,), "(1,)", self.gru.dtype, "gru")

    @classmethod
    def init(
        cls, input_size: int = 1, hidden_size: int = 4, seed: int = 0, dtype: Any = np.float64
    ) -> GRURegressor:
        """Fresh weights with Keras' defaults (see ``GRUParams.init``); Dense kernel Glorot-uniform."""
        gru = GRUParams.init(input_size, hidden_size, seed=seed, dtype=dtype)
        rng = np.random.default_rng([seed, 1])
        return cls(gru, glorot_uniform(rng, (gru.hidden_size, 1), gru.dtype), np.zeros(1, dtype=gru.dtype))

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.gru.dtype

    def parameters(self) -> list[np.ndarray]:
        """The live weight arrays in Keras' order, for an optimizer to update in place."""
        return [self.gru.W, self.gru.U, self.gru.b, self.dense_W, self.dense_b]

    def count_params(self) -> int:
        """The number of weights, as Keras counts them: 3(DH + H^2 + 2H) + H + 1."""
        return sum(w.size for w in self.parameters())

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Replace the weights with copies, in Keras' order [kernel, recurrent_kernel, bias, dense kernel,
        dense bias]; shapes and dtype must match exactly."""
        if len(weights) != 5:
            raise ValueError(f"weights must be a list of 5 arrays in Keras' order, got {len(weights)}")
        for k, (new, old) in enumerate(zip(weights, self.parameters(), strict=True)):
            _checks.matching(f"weights[{k}]", new, old.shape, str(old.shape), old.dtype, "the model")
        W, U, b, dense_W, dense_b = (np.array(w, copy=True) for w in weights)
        self.gru, self.dense_W, self.dense_b = GRUParams(W, U, b), dense_W, dense_b

    def copy(self) -> GRURegressor:
        """A deep copy."""
        return GRURegressor(self.gru.copy(), self.dense_W.copy(), self.dense_b.copy())

    def predict(self, x: np.ndarray) -> np.ndarray:
        """(N, T, D) windows -> (N,) predictions."""
        hs, _ = gru_forward(x, self.gru)
        return (hs[:, -1] @ self.dense_W + self.dense_b)[:, 0]

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, GRURegressor]:
        """Mean squared error on (x (N, T, D), y (N,)) and its gradient for every weight, as a
        ``GRURegressor`` of gradients."""
        hs, cache = gru_forward(x, self.gru)
        _checks.matching("y", y, (x.shape[0],), "(N,)", self.dtype, "the model")
        loss, dh_last, d_dense_W, d_dense_b = dense_mse_grads(hs[:, -1], self.dense_W, self.dense_b, y)
        dhs = np.zeros_like(hs)
        dhs[:, -1] = dh_last
        _, gru_grads, _ = gru_backward(dhs, cache)
        grads = object.__new__(GRURegressor)  # our own arrays: skip the checks
        grads.gru, grads.dense_W, grads.dense_b = gru_grads, d_dense_W, d_dense_b
        return loss, grads
