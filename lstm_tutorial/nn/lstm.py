"""The long short-term memory cell in NumPy: one step, its backward pass, and the layer over time.

Shapes use one set of letters throughout the package and the book:

    B  batch size          T  time steps (sequence length)
    D  input size          H  hidden size (units)

The weights are laid out exactly as Keras lays them out, so that ``W``, ``U`` and
``b`` *are* Keras' ``kernel``, ``recurrent_kernel`` and ``bias``:

    W  (D, 4H)   input weights, four blocks side by side
    U  (H, 4H)   recurrent weights
    b  (4H,)     bias

The four blocks, in Keras' order, are the input gate ``i``, the forget gate ``f``,
the candidate ``g`` (the block Keras calls ``c`` and PyTorch ``g``) and the output
gate ``o``. One step of the cell (Hochreiter & Schmidhuber 1997, with the forget
gate of Gers et al. 2000) is

    z   = x_t W + h_{t-1} U + b          (B, 4H), split into z_i, z_f, z_g, z_o
    i   = sigmoid(z_i)    f = sigmoid(z_f)    g = tanh(z_g)    o = sigmoid(z_o)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

``LSTMParams.step`` and ``LSTMParams.step_backward`` are these lines and their
backward pass, written as the book derives them; ``sequence.forward`` runs them
over time. The LSTM also has a fast path over whole sequences (``lstm_fast``), the
same maths rearranged: ``LSTMParams.forward_sequence`` offers it to
``sequence.run``, so layers and training use it without knowing it exists, and
``lstm_forward``/``lstm_backward`` run it. ``LSTMParams.forward_padded`` offers it to
``masking.run`` for right-padded rows, read at each row's last real step.

The functions below are the ones every cell module has, with the same
signatures: ``lstm_step``, ``lstm_step_backward``, ``lstm_forward``,
``lstm_backward`` and ``lstm_state_gradients`` (``rnn_*``, ``gru_*``, ``variant_*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import numpy as np

from . import _checks, sequence
from .activations import sigmoid, tanh
from .cell import CellParams, State, gate_blocks, glorot_uniform, orthogonal
from .lstm_fast import LSTMCache, fast_backward, fast_forward

__all__ = [
    "GATE_ORDER",
    "LSTMCache",
    "LSTMGates",
    "LSTMParams",
    "LSTMStepCache",
    "lstm_backward",
    "lstm_forward",
    "lstm_gates",
    "lstm_state_gradients",
    "lstm_step",
    "lstm_step_backward",
]

GATE_ORDER = ("i", "f", "g", "o")
"""The order of the four blocks in ``W``, ``U`` and ``b``: i, f, g, o (Keras names the third ``c``)."""


class LSTMStepCache(NamedTuple):
    """What one step keeps for its backward pass: its inputs, gates and tanh(c_t), each (B, ·)."""

    x_t: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    tanh_c: np.ndarray


class LSTMGates(NamedTuple):
    """The activated gates of one step, each (B, H)."""

    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray


@dataclass
class LSTMParams(CellParams):
    """The weights of one LSTM layer, in Keras' layout and gate order (i, f, g, o).

    Attributes:
        W: (D, 4H) input weights; Keras' ``kernel``.
        U: (H, 4H) recurrent weights; Keras' ``recurrent_kernel``.
        b: (4H,) bias; Keras' ``bias``.
    """

    W: np.ndarray
    U: np.ndarray
    b: np.ndarray

    blocks: ClassVar[int] = 4
    state_names: ClassVar[tuple[str, ...]] = ("h", "c")

    @classmethod
    def init(
        cls,
        input_size: int,
        hidden_size: int,
        seed: int = 0,
        dtype: Any = np.float64,
        unit_forget_bias: bool = True,
    ) -> LSTMParams:
        """Fresh weights with Keras' defaults.

        ``W`` is Glorot-uniform, ``U`` orthogonal, ``b`` zero except for a bias of
        1.0 on the forget block (``unit_forget_bias``; Gers et al. 2000,
        Jozefowicz et al. 2015), so the new cell starts out remembering.

        Args:
            input_size: D, features per time step.
            hidden_size: H, the number of units.
            seed: seed for NumPy's random generator, an integer >= 0; the same seed gives
                the same weights.
            dtype: np.float32 or np.float64.
            unit_forget_bias: start the forget-gate bias at 1 (True) or 0 (False); a real bool.
        """
        input_size = _checks.positive_int("input_size", input_size)
        hidden_size = _checks.positive_int("hidden_size", hidden_size)
        dtype = _checks.dtype_arg("dtype", dtype)
        unit_forget_bias = _checks.flag("unit_forget_bias", unit_forget_bias)
        rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
        W = glorot_uniform(rng, (input_size, 4 * hidden_size), dtype)
        U = orthogonal(rng, (hidden_size, 4 * hidden_size), dtype)
        b = np.zeros(4 * hidden_size, dtype=dtype)
        if unit_forget_bias:
            b[hidden_size : 2 * hidden_size] = 1.0
        return cls(W, U, b)

    def gate(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The (D, H), (H, H) and (H,) blocks of W, U and b for one gate: views of the
        weights, so writing to them writes the cell's own arrays.

        Args:
            name: one of ``"i"``, ``"f"``, ``"g"``, ``"o"`` (see ``GATE_ORDER``).
        """
        if name not in GATE_ORDER:
            raise ValueError(f"name must be one of {GATE_ORDER}, got {name!r}")
        k = GATE_ORDER.index(name)
        return gate_blocks(self.W, 4)[k], gate_blocks(self.U, 4)[k], gate_blocks(self.b, 4)[k]

    def step(self, x_t: np.ndarray, state: State) -> tuple[State, LSTMStepCache]:
        """One step: ``(h_t, c_t)`` from ``x_t`` (B, D) and ``(h_{t-1}, c_{t-1})``."""
        h_prev, c_prev = state
        z = x_t @ self.W + h_prev @ self.U + self.b
        z_i, z_f, z_g, z_o = gate_blocks(z, 4)
        i = sigmoid(z_i)  # input gate: how much of the candidate to write
        f = sigmoid(z_f)  # forget gate: how much of the old cell to keep
        g = tanh(z_g)  # candidate: what to write
        o = sigmoid(z_o)  # output gate: how much of the cell to show
        c_t = f * c_prev + i * g
        tanh_c = tanh(c_t)
        h_t = o * tanh_c
        return (h_t, c_t), LSTMStepCache(x_t, h_prev, c_prev, i, f, g, o, tanh_c)

    def step_backward(
        self,
        d_state: State,
        cache: LSTMStepCache,
    ) -> tuple[np.ndarray, State, LSTMParams]:
        """The step's backward pass: from ``d_state = (dL/dh_t, dL/dc_t)`` to
        ``(dL/dx_t, (dL/dh_{t-1}, dL/dc_{t-1}), weight gradients)``.

        ``dL/dc_t`` here is what reaches c_t from step t + 1 only; the path
        through h_t = o * tanh(c_t) is added on the first line.
        """
        dh, dc_next = d_state
        x_t, h_prev, c_prev, i, f, g, o, tanh_c = cache
        # h_t = o * tanh(c_t): the gradient reaches c_t through tanh, and o directly.
        dc = dc_next + dh * o * (1.0 - tanh_c * tanh_c)
        # c_t = f * c_{t-1} + i * g, then each gate through its own nonlinearity.
        dz_i = dc * g * i * (1.0 - i)
        dz_f = dc * c_prev * f * (1.0 - f)
        dz_g = dc * i * (1.0 - g * g)
        dz_o = dh * tanh_c * o * (1.0 - o)
        dz = np.concatenate([dz_i, dz_f, dz_g, dz_o], axis=1)
        # z = x_t W + h_{t-1} U + b: one product back to each input, one to each weight.
        grads = LSTMParams.unchecked(x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0))
        dx_t = dz @ self.W.T
        dh_prev = dz @ self.U.T
        dc_prev = dc * f  # the constant error carousel: dc_{t-1} = dc_t * f_t
        return dx_t, (dh_prev, dc_prev), grads

    def forward_sequence(self, x: np.ndarray, state: State) -> LSTMCache:
        """The LSTM's own way over a whole sequence: the fast path (``lstm_fast``),
        which ``sequence.run`` takes instead of the loop. Inputs are not checked."""
        return fast_forward(self, x, state)

    def forward_padded(self, x: np.ndarray, lengths: np.ndarray, state: State) -> sequence.Run:
        """The LSTM's own way over right-padded rows (``masking.run`` asks it): the fast path
        over the whole sequence, each row read at its last real step. Inputs are not checked."""
        return _PaddedRun(fast_forward(self, x, state), lengths)


def _check_step_inputs(x_t: Any, params: Any, **states: Any) -> None:
    """Check a step's ``x_t`` and the states given by name (None is refused: see ``_checks.state_arg``)."""
    _checks.instance("params", params, LSTMParams)
    batch = params.check_input(x_t)
    for name, state in states.items():
        _checks.state_arg(name, state, batch, params)


def lstm_gates(x_t: np.ndarray, h_prev: np.ndarray, params: LSTMParams) -> LSTMGates:
    """The four gates of one step.

    Args:
        x_t: (B, D) input at this step.
        h_prev: (B, H) previous hidden state.
        params: the layer's weights.

    Returns:
        ``LSTMGates(i, f, g, o)``, each (B, H): the input, forget and output gates
        in (0, 1) and the candidate ``g`` in (-1, 1).
    """
    _check_step_inputs(x_t, params, h_prev=h_prev)
    _, cache = params.step(x_t, (h_prev, np.zeros_like(h_prev)))
    return LSTMGates(cache.i, cache.f, cache.g, cache.o)


def lstm_step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, params: LSTMParams
) -> tuple[np.ndarray, np.ndarray]:
    """One time step of the LSTM (``LSTMParams.step`` with its inputs checked).

    Args:
        x_t: (B, D) input at this step.
        h_prev: (B, H) previous hidden state h_{t-1}.
        c_prev: (B, H) previous cell state c_{t-1}.
        params: the layer's weights.

    Returns:
        ``(h_t, c_t)``, each (B, H).
    """
    _check_step_inputs(x_t, params, h_prev=h_prev, c_prev=c_prev)
    (h_t, c_t), _ = params.step(x_t, (h_prev, c_prev))
    return h_t, c_t


def lstm_step_backward(
    dh_t: np.ndarray, dc_t: np.ndarray, cache: LSTMStepCache, params: LSTMParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LSTMParams]:
    """The backward pass of one step (``LSTMParams.step_backward`` with its inputs checked).

    The pair of the forward step ``(h_t, c_t), cache = params.step(x_t, (h_prev, c_prev))``,
    as CS231n pairs ``lstm_step_forward`` and ``lstm_step_backward``: the cache holds
    what the step computed, so nothing is computed twice.

    Args:
        dh_t: (B, H) dL/dh_t.
        dc_t: (B, H) dL/dc_t arriving from later steps (zeros at the last step).
        cache: the ``LSTMStepCache`` that ``params.step`` returned.
        params: the weights of the forward step.

    Returns:
        ``(dx_t, dh_prev, dc_prev, grads)``: (B, D), (B, H), (B, H) and the
        weight gradients of this step as an ``LSTMParams``.
    """
    _checks.instance("params", params, LSTMParams)
    dx_t, (dh_prev, dc_prev), grads = params.checked_step_backward((dh_t, dc_t), cache, LSTMStepCache)
    return dx_t, dh_prev, dc_prev, grads


def _initial_states(params: LSTMParams, x: Any, h0: Any, c0: Any) -> State:
    _checks.instance("params", params, LSTMParams)
    batch, _ = _checks.sequence_input(x, params)
    zeros = np.zeros((batch, params.hidden_size), dtype=params.dtype)
    for name, state in (("h0", h0), ("c0", c0)):
        if state is not None:
            _checks.matching(name, state, (batch, params.hidden_size), "(B, H)", params.dtype, "params")
    # Copies: the cache keeps them, and the caller may edit theirs before lstm_backward.
    return (zeros if h0 is None else h0.copy(), zeros if c0 is None else c0.copy())


def lstm_forward(
    x: np.ndarray,
    params: LSTMParams,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> tuple[np.ndarray, LSTMCache]:
    """Run the LSTM over a whole sequence (the fast path, ``lstm_fast``).

    Args:
        x: (B, T, D) inputs, the dtype of ``params``.
        params: the layer's weights.
        h0: (B, H) initial hidden state; zeros if None.
        c0: (B, H) initial cell state; zeros if None.

    Returns:
        ``(hs, cache)``: ``hs`` is (B, T, H), the hidden state after every step
        (Keras' output with ``return_sequences=True``), an array of its own;
        ``cache`` holds what ``lstm_backward`` needs, and ``cache.c_last`` the
        final cell state. The cache keeps copies of ``x``, ``h0`` and ``c0``:
        editing ``hs`` or the inputs before ``lstm_backward`` changes no gradient.
    """
    cache = fast_forward(params, x, _initial_states(params, x, h0, c0))
    return cache.hs.copy(), cache


def _check_cache(cache: Any) -> LSTMCache:
    if not isinstance(cache, LSTMCache):
        raise TypeError(f"cache must be the LSTMCache from lstm_forward, got {_checks.describe(cache)}")
    return cache


def lstm_backward(
    dhs: np.ndarray,
    cache: LSTMCache,
    d_last_state: State | None = None,
    truncate: int | None = None,
) -> tuple[np.ndarray, LSTMParams, State]:
    """Backpropagation through time for ``lstm_forward`` (the fast path).

    Args:
        dhs: (B, T, H) dL/dh_t for every step, the gradient arriving from above
            (zeros except the last step for a many-to-one model).
        cache: from ``lstm_forward``.
        d_last_state: ``(dh_T, dc_T)``, each (B, H), extra gradients on the final
            state if the loss also uses it (Keras' ``return_state``); zeros if None.
        truncate: None for full BPTT. An integer k cuts the recurrent gradient at
            every k-th step boundary (t = k, 2k, ...): the sequence is treated as
            chunks of k steps whose initial states are constants, exactly as
            training in chunks with the state carried forward but detached.

    Returns:
        ``(dx, grads, (dh0, dc0))``: dx (B, T, D); grads an ``LSTMParams`` holding
        dL/dW, dL/dU, dL/db; dh0 and dc0 (B, H), the gradients for the initial states.
    """
    _check_cache(cache)
    dx, grads, d_initial = sequence.backward(dhs, cache, d_last_state, truncate)
    return dx, grads, d_initial  # type: ignore[return-value]


def lstm_state_gradients(cache: LSTMCache, dh_last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dL/dh_t and dL/dc_t at every step, for a loss that depends on h_T only.

    ``sequence.state_gradients`` runs ``LSTMParams.step_backward`` back from T over
    the steps of ``cache``. ``dL/dc_t`` here is the *total* gradient at c_t: what
    arrives from c_{t+1} (the direct path, scaled by f_{t+1}) plus the path
    through h_t = o_t * tanh(c_t).

    Args:
        cache: from ``lstm_forward``.
        dh_last: (B, H) dL/dh_T.

    Returns:
        ``(dh, dc)``, each (B, T, H): entry [:, t] belongs to step t+1.
    """
    params = _check_cache(cache).params
    batch = cache.x.shape[0]
    _checks.matching("dh_last", dh_last, (batch, params.hidden_size), "(B, H)", params.dtype, "the cache")
    dh, dc_direct = sequence.state_gradients(_sequence_cache(cache), dh_last)
    o, tanh_c = cache.output_gate, cache.tanh_cs
    return dh, dc_direct + dh * o * (1.0 - tanh_c * tanh_c)


def _sequence_cache(cache: LSTMCache) -> sequence.SequenceCache:
    """The fast path's cache as ``sequence`` keeps it: one ``LSTMStepCache`` per step."""
    hs, cs, tanh_cs = cache.hs, cache.cs, cache.tanh_cs
    h_prev = np.concatenate([cache.h0[:, None], hs[:, :-1]], axis=1)
    c_prev = np.concatenate([cache.c0[:, None], cs[:, :-1]], axis=1)
    gates = (cache.input_gate, cache.forget_gate, cache.candidate, cache.output_gate)
    steps = []
    for t in range(cache.x.shape[1]):
        i, f, g, o = (gate[:, t] for gate in gates)
        steps.append(LSTMStepCache(cache.x[:, t], h_prev[:, t], c_prev[:, t], i, f, g, o, tanh_cs[:, t]))
    states: list[State] = [(hs[:, t], cs[:, t]) for t in range(cache.x.shape[1])]
    return sequence.SequenceCache(cache.x, cache.params, (cache.h0, cache.c0), states, steps)


@dataclass
class _PaddedRun(sequence.Run):
    """The LSTM's fast path over right-padded rows, read as the masked loop would give them.

    Padding after a row's last real step L changes nothing before it, so the unmasked fast
    path's steps 1 .. L are the masked loop's; the masked outputs after L repeat h_L and the final
    state is (h_L, c_L). Backward, the gradients of the repeated outputs and of the final state
    go to step L (``fast_backward``'s ``dcs`` takes the one on c_L); the steps after L then get
    no gradient at all, so they add nothing to the weights' gradients or to dx.
    """

    run: LSTMCache
    lengths: np.ndarray  # (B,) each row's real steps, >= 1

    def __post_init__(self) -> None:
        self.x, self.params = self.run.x, self.run.params
        self._rows = np.arange(len(self.lengths))
        self._read = np.minimum(np.arange(self.x.shape[1])[None, :], self.lengths[:, None] - 1)  # (B, T)

    @property
    def hs(self) -> np.ndarray:
        """(B, T, H) the masked outputs: h_t up to each row's last real step, then h_L repeated."""
        return self.run.hs[self._rows[:, None], self._read]

    @property
    def last_state(self) -> State:
        """(h_L, c_L) of each row."""
        last = self.lengths - 1
        return self.run.hs[self._rows, last], self.run.cs[self._rows, last]

    def state(self, name: str) -> np.ndarray:
        """(B, T, H) one state after every step, carried after each row's last real step."""
        return self.run.state(name)[self._rows[:, None], self._read]

    def backward(
        self, dhs: np.ndarray, d_last_state: State | None, truncate: int | None
    ) -> tuple[np.ndarray, CellParams, State]:
        """The masked loop's backward pass, through the fast path's (``truncate`` must be None)."""
        if truncate is not None:
            raise ValueError(f"truncate must be None for a masked run, got {truncate!r}")
        last = self.lengths - 1
        real = np.arange(dhs.shape[1])[None, :] <= last[:, None]
        d_steps = np.where(real[..., None], dhs, 0.0)
        d_steps[self._rows, last] += np.where(real[..., None], 0.0, dhs).sum(axis=1)  # repeated outputs
        d_cells = None
        if d_last_state is not None:
            d_steps[self._rows, last] += d_last_state[0]
            d_cells = np.zeros_like(d_steps)
            d_cells[self._rows, last] = d_last_state[1]
        dx, (dW, dU, db), d_initial = fast_backward(d_steps, self.run, None, None, d_cells)
        return dx, type(self.params).unchecked(dW, dU, db), d_initial
