"""The peephole LSTM and the variants of Greff et al. (2017), "LSTM: a search space odyssey".

One configurable cell covers them all. Its weights are the LSTM's ``W`` (D, 4H),
``U`` (H, 4H) and ``b`` (4H,), blocks in the order i, f, g, o as everywhere in
this package, plus the peephole weights ``P`` (3, H) of Gers, Schraudolph &
Schmidhuber (2002): diagonal connections that let the gates look at the cell
state. Row 0 of ``P`` feeds the input gate, row 1 the forget gate, row 2 the
output gate. One step of the full cell, Greff et al.'s "vanilla" LSTM:

    z   = x_t W + h_{t-1} U + b                   (B, 4H), split into z_i, z_f, z_g, z_o
    i   = sigmoid(z_i + P[0] * c_{t-1})           input gate, peeks at the old cell
    f   = sigmoid(z_f + P[1] * c_{t-1})           forget gate, peeks at the old cell
    g   = tanh(z_g)                               candidate
    c_t = f * c_{t-1} + i * g
    o   = sigmoid(z_o + P[2] * c_t)               output gate, peeks at the NEW cell
    h_t = o * tanh(c_t)

Each variant removes or changes one part (``VARIANTS`` lists them):

    NIG   no input gate          i = 1
    NFG   no forget gate         f = 1
    NOG   no output gate         o = 1
    NIAF  no input activation    g = z_g
    NOAF  no output activation   h_t = o * c_t
    NP    no peepholes           P unused (this is the LSTM of lstm.py)
    CIFG  coupled gates          i = 1 - f (the GRU's trick: one gate decides both)

Greff et al.'s ninth variant, full gate recurrence (FGR), adds recurrent
connections between the gates themselves and is not implemented here. A removed
gate keeps its block in W, U and b; those weights simply receive no gradient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .activations import sigmoid, tanh
from .lstm import LSTMParams, glorot_uniform
from .model import dense_mse_grads

__all__ = [
    "VARIANTS",
    "PeepholeParams",
    "Variant",
    "VariantCache",
    "VariantRegressor",
    "variant_backward",
    "variant_forward",
]


@dataclass(frozen=True)
class Variant:
    """Which parts of the cell are present. The defaults are Greff et al.'s vanilla LSTM (with peepholes).

    Attributes:
        name: a short label, e.g. "NFG".
        input_gate: False fixes i = 1 (NIG).
        forget_gate: False fixes f = 1 (NFG).
        output_gate: False fixes o = 1 (NOG).
        input_activation: False makes the candidate linear, g = z_g (NIAF).
        output_activation: False outputs h = o * c without tanh (NOAF).
        peepholes: False drops the peephole terms (NP).
        coupled: True sets i = 1 - f (CIFG); the input gate's own weights are then unused.
    """

    name: str
    input_gate: bool = True
    forget_gate: bool = True
    output_gate: bool = True
    input_activation: bool = True
    output_activation: bool = True
    peepholes: bool = True
    coupled: bool = False


VARIANTS: dict[str, Variant] = {
    "vanilla": Variant("vanilla"),
    "NIG": Variant("NIG", input_gate=False),
    "NFG": Variant("NFG", forget_gate=False),
    "NOG": Variant("NOG", output_gate=False),
    "NIAF": Variant("NIAF", input_activation=False),
    "NOAF": Variant("NOAF", output_activation=False),
    "NP": Variant("NP", peepholes=False),
    "CIFG": Variant("CIFG", coupled=True),
}
"""Greff et al.'s variants (all but FGR), by their names in the paper."""


@dataclass
class PeepholeParams:
    """The weights of the configurable cell: an LSTM's plus peepholes.

    Attributes:
        lstm: W (D, 4H), U (H, 4H), b (4H,), blocks i, f, g, o.
        P: (3, H) peephole weights of the input, forget and output gates.
    """

    lstm: LSTMParams
    P: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.lstm, LSTMParams):
            raise TypeError(f"lstm must be an LSTMParams, got {_checks.describe(self.lstm)}")
        _checks.matching("P", self.P, (3, self.lstm.hidden_size), "(3, H)", self.lstm.dtype, "lstm")

    @classmethod
    def init(
        cls, input_size: int, hidden_size: int, seed: int = 0, dtype: Any = np.float64
    ) -> PeepholeParams:
        """The LSTM's Keras initialisation (``LSTMParams.init``) and peepholes starting at zero,
        so a new peephole cell computes exactly what a new LSTM computes."""
        lstm = LSTMParams.init(input_size, hidden_size, seed=seed, dtype=dtype)
        return cls(lstm, np.zeros((3, lstm.hidden_size), dtype=lstm.dtype))

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.lstm.dtype

    def as_list(self) -> list[np.ndarray]:
        """``[W, U, b, P]``."""
        return [*self.lstm.as_list(), self.P]

    def copy(self) -> PeepholeParams:
        """A deep copy."""
        return PeepholeParams(self.lstm.copy(), self.P.copy())


@dataclass
class VariantCache:
    """What ``variant_backward`` needs; time-major arrays.

    Attributes:
        x: (T, B, D) inputs.
        hs: (T + 1, B, H) hidden states h_0 .. h_T.
        cs: (T + 1, B, H) cell states c_0 .. c_T.
        i, f, g, o: (T, B, H) gates and candidate, after their activations (ones where removed);
            views into one (T, B, 4H) array.
        out: (T, B, H) what the output gate scales: tanh(c_t), or c_t itself without the output activation.
        params: the weights used.
        variant: the variant used.
    """

    x: np.ndarray
    hs: np.ndarray
    cs: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    out: np.ndarray
    params: PeepholeParams
    variant: Variant


def variant_forward(
    x: np.ndarray,
    params: PeepholeParams,
    variant: Variant = VARIANTS["vanilla"],
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> tuple[np.ndarray, VariantCache]:
    """Run the configurable cell over whole sequences (equations in the module docstring).

    Args:
        x: (B, T, D) inputs, the dtype of ``params``.
        params: the weights.
        variant: which parts are present (``VARIANTS``).
        h0, c0: (B, H) initial states, zeros if None.

    Returns:
        ``(hs, cache)``: hs (B, T, H) the hidden states h_1 .. h_T, and the cache for ``variant_backward``.
    """
    if not isinstance(params, PeepholeParams):
        raise TypeError(f"params must be a PeepholeParams, got {_checks.describe(params)}")
    if not isinstance(variant, Variant):
        raise TypeError(f"variant must be a Variant (see VARIANTS), got {_checks.describe(variant)}")
    lstm = params.lstm
    _checks.float_array("x", x, ndim=3)
    _checks.same_dtype("x", x, params.dtype, "params")
    if x.shape[2] != lstm.input_size:
        raise ValueError(f"x must have shape (B, T, D) with D = {lstm.input_size}, got {x.shape}")
    batch, steps, _ = x.shape
    hidden = lstm.hidden_size
    state_shape = (batch, hidden)
    zeros = np.zeros(state_shape, dtype=params.dtype)
    h0 = zeros if h0 is None else _checks.matching("h0", h0, state_shape, "(B, H)", params.dtype, "params")
    c0 = zeros if c0 is None else _checks.matching("c0", c0, state_shape, "(B, H)", params.dtype, "params")

    xs = np.ascontiguousarray(x.transpose(1, 0, 2))
    zx = xs @ lstm.W + lstm.b  # (T, B, 4H): the input projection of every step at once
    hs = np.empty((steps + 1, batch, hidden), dtype=params.dtype)
    cs = np.empty_like(hs)
    out = np.empty((steps, batch, hidden), dtype=params.dtype)
    # The activated gates [i, f, g, o] of every step; a removed gate stays 1.
    gates = np.ones((steps, batch, 4 * hidden), dtype=params.dtype)
    i, f, g, o = (gates[..., k * hidden : (k + 1) * hidden] for k in range(4))
    hs[0], cs[0] = h0, c0
    P = params.P
    for t in range(steps):
        z = zx[t] + hs[t] @ lstm.U  # (B, 4H), blocks z_i, z_f, z_g, z_o
        if variant.peepholes:  # the input and forget gates look at c_{t-1}
            z.reshape(batch, 4, hidden)[:, :2] += P[:2] * cs[t][:, None, :]
        if variant.input_gate and variant.forget_gate and not variant.coupled:
            sigmoid(z[:, : 2 * hidden], out=gates[t, :, : 2 * hidden])  # i and f in one call
        else:
            if variant.forget_gate:
                sigmoid(z[:, hidden : 2 * hidden], out=f[t])
            if variant.coupled:
                np.subtract(1, f[t], out=i[t])
            elif variant.input_gate:
                sigmoid(z[:, :hidden], out=i[t])
        if variant.input_activation:
            tanh(z[:, 2 * hidden : 3 * hidden], out=g[t])
        else:
            g[t] = z[:, 2 * hidden : 3 * hidden]
        c_t = np.multiply(f[t], cs[t], out=cs[t + 1])  # c_t = f * c_{t-1} + i * g
        c_t += i[t] * g[t]
        if variant.output_gate:
            z_o = z[:, 3 * hidden :]
            if variant.peepholes:  # the output gate looks at the new c_t
                z_o += P[2] * c_t
            sigmoid(z_o, out=o[t])
        if variant.output_activation:
            tanh(c_t, out=out[t])
        else:
            out[t] = c_t
        np.multiply(o[t], out[t], out=hs[t + 1])
    cache = VariantCache(xs, hs, cs, i, f, g, o, out, params, variant)
    return hs[1:].transpose(1, 0, 2), cache


def variant_backward(
    dhs: np.ndarray, cache: VariantCache
) -> tuple[np.ndarray, PeepholeParams, np.ndarray, np.ndarray]:
    """Backpropagation through time for ``variant_forward``.

    The LSTM's backward pass (chapter 5) with three additions: a removed gate passes
    no gradient to its pre-activation; with peepholes, the gradient of each gate's
    pre-activation also reaches the cell state it looked at (``P[k] * dz``) and the
    peephole weights (``sum(dz * c)``); with coupled gates, the input gate's gradient
    flows into the forget gate with a minus sign.

    Args:
        dhs: (B, T, H) gradient of the loss with respect to h_1 .. h_T.
        cache: from ``variant_forward``.

    Returns:
        ``(dx, grads, dh0, dc0)``: dx (B, T, D); grads a ``PeepholeParams`` of gradients of W, U, b, P;
        dh0 and dc0 (B, H).
    """
    if not isinstance(cache, VariantCache):
        raise TypeError(f"cache must be the VariantCache of variant_forward, got {_checks.describe(cache)}")
    params, variant = cache.params, cache.variant
    lstm = params.lstm
    steps, batch, _ = cache.x.shape
    hidden = lstm.hidden_size
    _checks.matching("dhs", dhs, (batch, steps, hidden), "(B, T, H)", params.dtype, "cache")
    P = params.P
    dz_steps = np.zeros((steps, batch, 4 * hidden), dtype=params.dtype)  # dL/dz_t; 0 for a removed gate
    dz_i, dz_f, dz_g, dz_o = (dz_steps[..., k * hidden : (k + 1) * hidden] for k in range(4))
    dh_next = np.zeros((batch, hidden), dtype=params.dtype)
    dc_next = np.zeros_like(dh_next)
    for t in reversed(range(steps)):
        i, f, g, o, out = cache.i[t], cache.f[t], cache.g[t], cache.o[t], cache.out[t]
        dh = dhs[:, t] + dh_next
        # h_t = o * out, with out = tanh(c_t) (or c_t without the output activation)
        dc = dc_next + (dh * o * (1 - out * out) if variant.output_activation else dh * o)
        if variant.output_gate:
            np.multiply(dh * out, o * (1 - o), out=dz_o[t])
            if variant.peepholes:
                dc += dz_o[t] * P[2]  # the output gate looked at c_t
        # c_t = f * c_{t-1} + i * g
        di, df = dc * g, dc * cache.cs[t]
        if variant.coupled:  # i = 1 - f: the input gate's gradient reaches f with a minus sign
            df -= di
        elif variant.input_gate:
            np.multiply(di, i * (1 - i), out=dz_i[t])
        if variant.forget_gate:
            np.multiply(df, f * (1 - f), out=dz_f[t])
        if variant.input_activation:
            np.multiply(dc * i, 1 - g * g, out=dz_g[t])
        else:
            np.multiply(dc, i, out=dz_g[t])
        dc_next = dc * f
        if variant.peepholes:  # the input and forget gates looked at c_{t-1}
            dc_next += dz_i[t] * P[0] + dz_f[t] * P[1]
        dh_next = dz_steps[t] @ lstm.U.T

    # The weight gradients sum over every step and example: one product or sum each.
    dz_flat = dz_steps.reshape(steps * batch, 4 * hidden)
    dW = cache.x.reshape(steps * batch, -1).T @ dz_flat
    dU = cache.hs[:-1].reshape(steps * batch, hidden).T @ dz_flat
    db = dz_flat.sum(axis=0)
    dP = np.zeros_like(P)
    if variant.peepholes:
        dP[0] = np.einsum("tbh,tbh->h", dz_i, cache.cs[:-1])
        dP[1] = np.einsum("tbh,tbh->h", dz_f, cache.cs[:-1])
        dP[2] = np.einsum("tbh,tbh->h", dz_o, cache.cs[1:])
    dxs = (dz_flat @ lstm.W.T).reshape(steps, batch, -1)
    grads = PeepholeParams(LSTMParams.trusted(dW, dU, db), dP)
    return dxs.transpose(1, 0, 2), grads, dh_next, dc_next


@dataclass
class VariantRegressor:
    """A variant cell followed by Dense(1) on its last hidden state, trainable with ``train.fit``.

    Attributes:
        cell: the cell's weights.
        variant: which parts of the cell are present.
        dense_W: (H, 1) the Dense layer's kernel.
        dense_b: (1,) the Dense layer's bias.
    """

    cell: PeepholeParams
    variant: Variant
    dense_W: np.ndarray
    dense_b: np.ndarray

    def __post_init__(self) -> None:
        if not isinstance(self.cell, PeepholeParams):
            raise TypeError(f"cell must be a PeepholeParams, got {_checks.describe(self.cell)}")
        if not isinstance(self.variant, Variant):
            raise TypeError(f"variant must be a Variant (see VARIANTS), got {_checks.describe(self.variant)}")
        hidden = self.cell.lstm.hidden_size
        _checks.matching("dense_W", self.dense_W, (hidden, 1), "(H, 1)", self.cell.dtype, "cell")
        _checks.matching("dense_b", self.dense_b, (1,), "(1,)", self.cell.dtype, "cell")

    @classmethod
    def init(
        cls,
        variant: Variant,
        input_size: int = 1,
        hidden_size: int = 4,
        seed: int = 0,
        dtype: Any = np.float64,
    ) -> VariantRegressor:
        """Fresh weights: ``PeepholeParams.init`` and a Glorot-uniform Dense kernel, as ``LSTMRegressor``."""
        cell = PeepholeParams.init(input_size, hidden_size, seed=seed, dtype=dtype)
        rng = np.random.default_rng([seed, 1])
        dense_W = glorot_uniform(rng, (cell.lstm.hidden_size, 1), cell.dtype)
        return cls(cell, variant, dense_W, np.zeros(1, dtype=cell.dtype))

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.cell.dtype

    def parameters(self) -> list[np.ndarray]:
        """The live weight arrays ``[W, U, b, P, dense_W, dense_b]`` for an optimizer to update in place."""
        return [*self.cell.as_list(), self.dense_W, self.dense_b]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """(N, T, D) sequences -> (N,) predictions."""
        hs, _ = variant_forward(x, self.cell, self.variant)
        return (hs[:, -1] @ self.dense_W + self.dense_b)[:, 0]

    def loss_and_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, VariantRegressor]:
        """Mean squared error on (x (N, T, D), y (N,)) and its gradient for every weight."""
        hs, cache = variant_forward(x, self.cell, self.variant)
        _checks.matching("y", y, (x.shape[0],), "(N,)", self.dtype, "the model")
        loss, dh_last, d_dense_W, d_dense_b = dense_mse_grads(hs[:, -1], self.dense_W, self.dense_b, y)
        dhs = np.zeros_like(hs)
        dhs[:, -1] = dh_last
        _, cell_grads, _, _ = variant_backward(dhs, cache)
        grads = object.__new__(VariantRegressor)  # our own arrays: skip the checks
        grads.cell, grads.variant = cell_grads, self.variant
        grads.dense_W, grads.dense_b = d_dense_W, d_dense_b
        return loss, grads
