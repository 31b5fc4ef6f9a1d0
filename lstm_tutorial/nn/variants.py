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

The cell is ``PeepholeParams``, which carries its ``Variant``; its ``step`` and
``step_backward`` are the equations above, and ``sequence`` runs them over time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from . import _checks, sequence
from .activations import sigmoid, tanh
from .cell import CellParams, State, gate_blocks
from .lstm import LSTMParams
from .sequence import SequenceCache

__all__ = [
    "VARIANTS",
    "PeepholeParams",
    "Variant",
    "VariantStepCache",
    "variant_backward",
    "variant_forward",
    "variant_step",
    "variant_step_backward",
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

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {_checks.describe(self.name)}")
        for flag in (
            "input_gate",
            "forget_gate",
            "output_gate",
            "input_activation",
            "output_activation",
            "peepholes",
            "coupled",
        ):
            _checks.flag(flag, getattr(self, flag))


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


class VariantStepCache(NamedTuple):
    """What one step keeps for its backward pass, each (B, H) but ``x_t`` (B, D).

    ``i``, ``f``, ``o`` are ones where the variant removes the gate; ``out`` is what
    the output gate scales, tanh(c_t), or c_t itself without the output activation.
    """

    x_t: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    c_t: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    out: np.ndarray


@dataclass
class PeepholeParams(CellParams):
    """The configurable cell: an LSTM's weights, peepholes, and which parts are present.

    Attributes:
        W: (D, 4H), U: (H, 4H), b: (4H,): the LSTM's weights, blocks i, f, g, o.
        P: (3, H) peephole weights of the input, forget and output gates.
        variant: which parts of the cell are present (``VARIANTS``); Greff et al.'s vanilla by default.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray
    P: np.ndarray
    variant: Variant = VARIANTS["vanilla"]

    blocks: ClassVar[int] = 4
    state_names: ClassVar[tuple[str, ...]] = ("h", "c")

    def __post_init__(self) -> None:
        if not isinstance(self.variant, Variant):
            raise TypeError(f"variant must be a Variant (see VARIANTS), got {_checks.describe(self.variant)}")
        super().__post_init__()

    def expected_shapes(self, hidden: int) -> list[tuple[str, tuple[int | None, ...], str]]:
        """The LSTM's W, U, b, and P (3, H)."""
        return [*super().expected_shapes(hidden), ("P", (3, hidden), "(3, H)")]

    @classmethod
    def init(
        cls,
        input_size: int,
        hidden_size: int,
        seed: int = 0,
        dtype: Any = np.float64,
        variant: Variant = VARIANTS["vanilla"],
    ) -> PeepholeParams:
        """The LSTM's Keras initialisation (``LSTMParams.init``) and peepholes starting at zero,
        so a new peephole cell computes exactly what a new LSTM computes."""
        lstm = LSTMParams.init(input_size, hidden_size, seed=seed, dtype=dtype)
        return cls.from_lstm(lstm, np.zeros((3, lstm.hidden_size), dtype=lstm.dtype), variant)

    @classmethod
    def from_lstm(
        cls, lstm: LSTMParams, P: np.ndarray, variant: Variant = VARIANTS["vanilla"]
    ) -> PeepholeParams:
        """An LSTM's weights (shared, not copied) with peepholes ``P`` (3, H)."""
        _checks.instance("lstm", lstm, LSTMParams)
        return cls(lstm.W, lstm.U, lstm.b, P, variant)

    @property
    def lstm(self) -> LSTMParams:
        """The LSTM part, ``LSTMParams(W, U, b)``, sharing this cell's arrays."""
        return LSTMParams.unchecked(self.W, self.U, self.b)

    def with_variant(self, variant: Variant) -> PeepholeParams:
        """The same weights (shared, not copied) as another variant."""
        if not isinstance(variant, Variant):
            raise TypeError(f"variant must be a Variant (see VARIANTS), got {_checks.describe(variant)}")
        return PeepholeParams.unchecked(self.W, self.U, self.b, self.P, variant=variant)

    def step(self, x_t: np.ndarray, state: State) -> tuple[State, VariantStepCache]:
        """One step of the variant (equations in the module docstring)."""
        h_prev, c_prev = state
        v, P = self.variant, self.P
        ones = np.ones_like(c_prev)  # a removed gate is fixed at 1
        z = x_t @ self.W + self.b + h_prev @ self.U
        z_i, z_f, z_g, z_o = gate_blocks(z, 4)
        if v.peepholes:  # the input and forget gates look at c_{t-1}
            z_i, z_f = z_i + P[0] * c_prev, z_f + P[1] * c_prev
        f = sigmoid(z_f) if v.forget_gate else ones
        if v.coupled:
            i = 1 - f
        else:
            i = sigmoid(z_i) if v.input_gate else ones
        g = tanh(z_g) if v.input_activation else z_g
        c_t = f * c_prev + i * g
        if v.peepholes:  # the output gate looks at the new c_t
            z_o = z_o + P[2] * c_t
        o = sigmoid(z_o) if v.output_gate else ones
        out = tanh(c_t) if v.output_activation else c_t
        h_t = o * out
        return (h_t, c_t), VariantStepCache(x_t, h_prev, c_prev, c_t, i, f, g, o, out)

    def step_backward(
        self, d_state: State, cache: VariantStepCache
    ) -> tuple[np.ndarray, State, PeepholeParams]:
        """The LSTM's step backward (``LSTMParams.step_backward``) with three additions.

        A removed gate passes no gradient to its pre-activation; with peepholes, each
        gate's pre-activation gradient also reaches the cell state it looked at
        (``P[k] * dz``) and the peephole weights (``sum(dz * c)``); with coupled gates,
        the input gate's gradient flows into the forget gate with a minus sign.
        """
        dh, dc_next = d_state
        x_t, h_prev, c_prev, c_t, i, f, g, o, out = cache
        v, P = self.variant, self.P
        zeros = np.zeros_like(dh)
        # h_t = o * out, with out = tanh(c_t) (or c_t without the output activation)
        dc = dc_next + (dh * o * (1 - out * out) if v.output_activation else dh * o)
        dz_o = np.multiply(dh * out, o * (1 - o)) if v.output_gate else zeros
        if v.output_gate and v.peepholes:
            dc = dc + dz_o * P[2]  # the output gate looked at c_t
        # c_t = f * c_{t-1} + i * g
        di, df = dc * g, dc * c_prev
        if v.coupled:  # i = 1 - f: the input gate's gradient reaches f with a minus sign
            df = df - di
        dz_i = np.multiply(di, i * (1 - i)) if v.input_gate and not v.coupled else zeros
        dz_f = np.multiply(df, f * (1 - f)) if v.forget_gate else zeros
        dz_g = np.multiply(dc * i, 1 - g * g) if v.input_activation else np.multiply(dc, i)
        dc_prev = dc * f
        if v.peepholes:  # the input and forget gates looked at c_{t-1}
            dc_prev = dc_prev + dz_i * P[0] + dz_f * P[1]
        dz = np.concatenate([dz_i, dz_f, dz_g, dz_o], axis=1)
        dP = np.zeros_like(P)
        if v.peepholes:
            dP[0], dP[1], dP[2] = (dz_i * c_prev).sum(0), (dz_f * c_prev).sum(0), (dz_o * c_t).sum(0)
        grads = PeepholeParams.unchecked(x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0), dP, variant=v)
        return dz @ self.W.T, (dz @ self.U.T, dc_prev), grads


def variant_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    params: PeepholeParams,
    variant: Variant | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One step of a variant (``PeepholeParams.step`` with its inputs checked).

    Args:
        x_t: (B, D) input; h_prev, c_prev: (B, H) the previous states.
        params: the cell's weights.
        variant: run as this variant instead of ``params.variant``.

    Returns:
        ``(h_t, c_t)``, each (B, H).
    """
    params = _as_variant(params, variant)
    batch = params.check_input(x_t)
    params.check_state((h_prev, c_prev), batch, ("h_prev", "c_prev"))
    (h_t, c_t), _ = params.step(x_t, (h_prev, c_prev))
    return h_t, c_t


def variant_step_backward(
    dh_t: np.ndarray, dc_t: np.ndarray, cache: VariantStepCache, params: PeepholeParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, PeepholeParams]:
    """The backward pass of one step (``PeepholeParams.step_backward`` with its inputs checked).

    The pair of ``(h_t, c_t), cache = params.step(x_t, (h_prev, c_prev))``; the
    variant is the one ``params`` carries.

    Args:
        dh_t: (B, H) dL/dh_t.
        dc_t: (B, H) dL/dc_t arriving from later steps (zeros at the last step).
        cache: the ``VariantStepCache`` that ``params.step`` returned.
        params: the weights of the forward step.

    Returns:
        ``(dx_t, dh_prev, dc_prev, grads)``: (B, D), (B, H), (B, H) and this step's
        weight gradients as a ``PeepholeParams``.
    """
    _checks.instance("params", params, PeepholeParams)
    dx_t, (dh_prev, dc_prev), grads = params.checked_step_backward((dh_t, dc_t), cache, VariantStepCache)
    return dx_t, dh_prev, dc_prev, grads


def _as_variant(params: Any, variant: Variant | None) -> PeepholeParams:
    _checks.instance("params", params, PeepholeParams)
    return params if variant is None else params.with_variant(variant)


def variant_forward(
    x: np.ndarray,
    params: PeepholeParams,
    variant: Variant | None = None,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> tuple[np.ndarray, SequenceCache]:
    """Run the configurable cell over whole sequences (``sequence.forward``).

    Args:
        x: (B, T, D) inputs, the dtype of ``params``.
        params: the weights.
        variant: which parts are present (``VARIANTS``); ``params.variant`` if None.
        h0, c0: (B, H) initial states, zeros if None.

    Returns:
        ``(hs, cache)``: hs (B, T, H) the hidden states h_1 .. h_T, and the cache for ``variant_backward``.
    """
    params = _as_variant(params, variant)
    batch, _ = _checks.sequence_input(x, params)
    zeros = np.zeros((batch, params.hidden_size), dtype=params.dtype)
    state = (zeros if h0 is None else h0, zeros if c0 is None else c0)
    return sequence.forward(params, x, state)


def variant_backward(
    dhs: np.ndarray,
    cache: SequenceCache,
    d_last_state: State | None = None,
    truncate: int | None = None,
) -> tuple[np.ndarray, PeepholeParams, State]:
    """Backpropagation through time for ``variant_forward`` (``sequence.backward``).

    Args:
        dhs: (B, T, H) gradient of the loss with respect to h_1 .. h_T.
        cache: from ``variant_forward``.
        d_last_state: ``(dh_T, dc_T)``, extra gradients on the final state; zeros if None.
        truncate: None for full BPTT; k cuts the recurrent gradient at every k-th
            step boundary, as in ``lstm.lstm_backward``.

    Returns:
        ``(dx, grads, (dh0, dc0))``: dx (B, T, D); grads a ``PeepholeParams`` of gradients
        of W, U, b, P; the gradients for the initial states, (B, H) each.
    """
    if not isinstance(cache, SequenceCache) or not isinstance(cache.params, PeepholeParams):
        raise TypeError(
            f"cache must be the SequenceCache from variant_forward, got {_checks.describe(cache)}"
        )
    return sequence.backward(dhs, cache, d_last_state, truncate)  # type: ignore[return-value]
