"""One loop over time for every cell: forward, backpropagation through time, truncated BPTT.

A cell (``cell.CellParams``) knows one step. This module owns time, as Keras'
generic ``RNN`` layer does: it runs ``cell.step`` from t = 1 to T, keeps each
step's cache, and runs ``cell.step_backward`` from t = T down to 1, adding up the
weight gradients of every step. Nothing here knows which cell it runs.

``forward`` and ``backward`` are that loop, for every cell: the book's reference.
``run`` is what layers and training call: it first asks the cell for a faster
way over the whole sequence (``CellParams.forward_sequence``; the LSTM has one,
as Keras' ``LSTM`` has its fused kernel) and falls back to the loop. Either way
the result is a ``Run``: a cache that knows its own backward pass.

    B  batch size    T  time steps    D  input size    H  hidden size

Sequences are batch-major, (B, T, D) in and (B, T, H) out, as Keras'
``[samples, time steps, features]`` with ``return_sequences=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from .cell import CellParams, State

__all__ = [
    "Run",
    "SequenceCache",
    "backward",
    "forward",
    "mean_norm_by_lag",
    "run",
    "state_gradients",
    "tbptt_grads",
]


def initial_state(params: CellParams, state: State | None, batch: int, names: tuple[str, ...]) -> State:
    """Zeros if ``state`` is None, else the checked state; ``names`` label its arrays in errors."""
    if state is None:
        return params.zero_state(batch)
    return params.check_state(state, batch, names)


class Run:
    """What a cell's pass over a sequence keeps, and its way back: the base of
    ``SequenceCache`` (the loop's) and of a cell's own fast-path cache (the LSTM's
    ``LSTMCache``). ``backward`` takes a ``Run``; each kind brings its own backward pass.

    Attributes:
        x: (B, T, D) the inputs.
        params: the cell that ran.
    """

    x: np.ndarray
    params: CellParams

    @property
    def hs(self) -> np.ndarray:
        """(B, T, H) the output h_t after every step; it may be a view of the cache (the
        LSTM's is), so copy it before writing to it."""
        raise NotImplementedError(f"{type(self).__name__} does not define hs")

    @property
    def last_state(self) -> State:
        """The state after the last step."""
        raise NotImplementedError(f"{type(self).__name__} does not define last_state")

    def state(self, name: str) -> np.ndarray:
        """(B, T, H) one state after every step."""
        raise NotImplementedError(f"{type(self).__name__} does not define state")

    def backward(
        self, dhs: np.ndarray, d_last_state: State | None, truncate: int | None
    ) -> tuple[np.ndarray, CellParams, State]:
        """BPTT on checked inputs: ``(dx, grads, d_initial_state)``."""
        raise NotImplementedError(f"{type(self).__name__} does not define backward")


@dataclass
class SequenceCache(Run):
    """What ``forward`` keeps for ``backward``.

    Attributes:
        x: (B, T, D) the inputs.
        params: the cell that ran.
        initial_state: the state before step 1, each (B, H).
        states: T states, ``states[t]`` after step t + 1, each a tuple of (B, H).
        steps: T step caches, ``steps[t]`` from ``params.step`` at step t + 1.
    """

    x: np.ndarray
    params: CellParams
    initial_state: State
    states: list[State]
    steps: list[Any]

    def state(self, name: str) -> np.ndarray:
        """(B, T, H) one state (``"h"`` or ``"c"``) after every step."""
        return state_over_time(self.params, self.states, name)

    def stacked(self, field: str) -> np.ndarray:
        """(B, T, ...) one field of every step cache (a gate, say), stacked over time."""
        return np.stack([getattr(step, field) for step in self.steps], axis=1)

    @property
    def hs(self) -> np.ndarray:
        """(B, T, H) hidden states h_1 .. h_T."""
        return self.state("h")

    @property
    def cs(self) -> np.ndarray:
        """(B, T, H) cell states c_1 .. c_T (cells with a cell state only)."""
        return self.state("c")

    @property
    def last_state(self) -> State:
        """The state after the last step (Keras' ``return_state``)."""
        return self.states[-1]

    @property
    def h_last(self) -> np.ndarray:
        """(B, H) the final hidden state h_T."""
        return self.states[-1][0]

    def backward(
        self, dhs: np.ndarray, d_last_state: State | None, truncate: int | None
    ) -> tuple[np.ndarray, CellParams, State]:
        """BPTT on checked inputs: the loop of ``backward`` (``run_backward``)."""
        return run_backward(dhs, self, d_last_state, truncate)


def state_over_time(params: CellParams, states: list[State], name: str) -> np.ndarray:
    """(B, T, H) the state ``name`` (``"h"``, ``"c"``) of ``params``' cell from T states, each a tuple."""
    names = params.state_names
    if name not in names:
        raise ValueError(f"name must be one of {names} for a {type(params).__name__}, got {name!r}")
    k = names.index(name)
    return np.stack([state[k] for state in states], axis=1)


def forward(
    params: CellParams, x: np.ndarray, state: State | None = None
) -> tuple[np.ndarray, SequenceCache]:
    """Run any cell over whole sequences.

    Args:
        params: the cell.
        x: (B, T, D) inputs, the cell's dtype.
        state: the initial state, a tuple of (B, H) arrays; zeros if None.

    Returns:
        ``(hs, cache)``: hs (B, T, H), the output h_t after every step (an array of
        its own), and the cache for ``backward``. The cache keeps copies of ``x``
        and ``state``: editing them, or ``hs``, before ``backward`` changes no gradient.
    """
    _checks.instance("params", params, CellParams)
    batch, _ = _checks.sequence_input(x, params)
    state = initial_state(params, state, batch, tuple(f"{n}0" for n in params.state_names))
    cache = run_forward(params, x.copy(), tuple(s.copy() for s in state))
    return cache.hs, cache


def run(params: CellParams, x: np.ndarray, state: State) -> Run:
    """The cell over a (B, T, D) sequence from ``state``, on checked inputs, the fastest way it has.

    A cell with a path of its own over whole sequences returns its cache from
    ``forward_sequence``; every other cell runs the loop (``run_forward``). The
    result's ``backward`` is the matching backward pass.
    """
    cache = params.forward_sequence(x, state)
    return run_forward(params, x, state) if cache is None else cache


def run_forward(params: CellParams, x: np.ndarray, state: State) -> SequenceCache:
    """``forward`` on checked inputs: the loop itself."""
    cache = SequenceCache(x, params, state, [], [])
    for t in range(x.shape[1]):
        state, step_cache = params.step(x[:, t], state)
        cache.states.append(state)
        cache.steps.append(step_cache)
    return cache


def backward(
    dhs: np.ndarray,
    cache: Run,
    d_last_state: State | None = None,
    truncate: int | None = None,
) -> tuple[np.ndarray, CellParams, State]:
    """Backpropagation through time for ``forward``, for any cell.

    Walking back from t = T, the gradient reaching the state after step t is the
    loss's own ``dhs[:, t]`` (on h) plus what step t + 1 sent back; the cell's
    ``step_backward`` turns it into the gradient for step t's input, its weights
    and the state before it.

    Args:
        dhs: (B, T, H) dL/dh_t from above at every step (zeros but the last for a
            many-to-one model).
        cache: from ``forward``.
        d_last_state: extra gradient on the final state (say dL/dc_T); zeros if None.
        truncate: None for full BPTT. An integer k cuts the recurrent gradient at
            every k-th step boundary (t = k, 2k, ...), exactly as training in chunks
            of k steps with the state carried forward but detached.

    Returns:
        ``(dx, grads, d_initial_state)``: dx (B, T, D); grads a cell of the same
        kind holding dL/dW, dL/dU, ...; the gradient for the initial state.

    ``cache`` may also be the cache of a cell's own fast path (``run``); its
    backward pass then runs, with the same checks and the same results.
    """
    if not isinstance(cache, Run):
        raise TypeError(f"cache must be the SequenceCache from forward, got {_checks.describe(cache)}")
    params = cache.params
    batch, steps, _ = cache.x.shape
    _checks.matching("dhs", dhs, (batch, steps, params.hidden_size), "(B, T, H)", params.dtype, "the cache")
    if truncate is not None:
        truncate = _checks.positive_int("truncate", truncate)
    if d_last_state is not None:
        names = tuple(f"d{n}_last" for n in params.state_names)
        params.check_state(d_last_state, batch, names)
    return cache.backward(dhs, d_last_state, truncate)


def run_backward(
    dhs: np.ndarray,
    cache: SequenceCache,
    d_last_state: State | None,
    truncate: int | None,
) -> tuple[np.ndarray, CellParams, State]:
    """``backward`` on checked inputs: the loop itself."""
    params = cache.params
    batch, steps, _ = cache.x.shape
    zeros = params.zero_state(batch)
    d_state = zeros if d_last_state is None else d_last_state
    grads = params.zeros_like()
    dx = np.empty_like(cache.x)
    for t in reversed(range(steps)):
        # h_t feeds the output at t as well as step t + 1
        d_state = (dhs[:, t] + d_state[0], *d_state[1:])
        dx[:, t], d_state, step_grads = params.step_backward(d_state, cache.steps[t])
        grads.add_(step_grads)
        if truncate is not None and t > 0 and t % truncate == 0:
            d_state = zeros  # the state before this chunk is a constant
    return dx, grads, d_state


def tbptt_grads(
    params: CellParams,
    x: np.ndarray,
    dhs: np.ndarray,
    truncate: int,
    state: State | None = None,
) -> tuple[np.ndarray, CellParams, State]:
    """Truncated BPTT chunk by chunk, so memory does not grow with the sequence length.

    The sequence is cut into chunks of ``truncate`` steps. Each chunk is run
    forward from the state the previous chunk ended in, then backward through
    itself only; its cache is dropped before the next chunk. The result equals
    ``backward(dhs, cache, truncate=truncate)`` after a full ``forward``, but only
    one chunk's cache is alive at a time. Each chunk runs the cell's fastest way
    (``run``).

    Args:
        params: the cell.
        x: (B, T, D) inputs.
        dhs: (B, T, H) dL/dh_t at every step.
        truncate: k, steps per chunk.
        state: the initial state; zeros if None.

    Returns:
        ``(dx, grads, d_initial_state)`` as ``backward`` returns them.
    """
    _checks.instance("params", params, CellParams)
    batch, steps = _checks.sequence_input(x, params)
    _checks.matching("dhs", dhs, (batch, steps, params.hidden_size), "(B, T, H)", params.dtype, "params")
    truncate = _checks.positive_int("truncate", truncate)
    state = initial_state(params, state, batch, tuple(f"{n}0" for n in params.state_names))

    dx = np.empty_like(x)
    grads = params.zeros_like()
    d_initial = params.zero_state(batch)
    for start in range(0, steps, truncate):
        chunk = slice(start, start + truncate)
        cache = run(params, x[:, chunk], state)
        dx[:, chunk], chunk_grads, d_start = cache.backward(dhs[:, chunk], None, None)
        grads.add_(chunk_grads)
        if start == 0:
            d_initial = d_start
        # Carry the state forward as a constant: no gradient crosses the chunk boundary.
        state = tuple(s.copy() for s in cache.last_state)
    return dx, grads, d_initial


def state_gradients(cache: SequenceCache, dh_last: np.ndarray) -> tuple[np.ndarray, ...]:
    """The gradient reaching every state at every step, for a loss on h_T only.

    Entry k of the result is (B, T, H) for the k-th state (``params.state_names``);
    ``[:, t]`` is dL/d(state after step t + 1), the gradient ``step_backward``
    receives there. For h this is the whole gradient; for an LSTM's c it is the
    part that arrives from step t + 2 (the direct path), before step t + 1 adds the
    path through its own h (``lstm.state_gradients`` adds it).

    Args:
        cache: from ``forward``.
        dh_last: (B, H) dL/dh_T.
    """
    if not isinstance(cache, SequenceCache):
        raise TypeError(f"cache must be the SequenceCache from forward, got {_checks.describe(cache)}")
    params = cache.params
    batch, steps, _ = cache.x.shape
    _checks.matching("dh_last", dh_last, (batch, params.hidden_size), "(B, H)", params.dtype, "the cache")
    zeros = params.zero_state(batch)
    d_state: State = (dh_last.copy(), *zeros[1:])
    arriving = [np.empty((batch, steps, params.hidden_size), dtype=params.dtype) for _ in zeros]
    for t in reversed(range(steps)):
        for k, grad in enumerate(d_state):
            arriving[k][:, t] = grad
        _, d_state, _ = params.step_backward(d_state, cache.steps[t])
    return tuple(arriving)


def mean_norm_by_lag(grads: np.ndarray) -> np.ndarray:
    """The gradient norm at each time lag, averaged over the batch.

    Turns per-step state gradients (from ``state_gradients``, for a loss at the
    last step T) into the curve that chapters 2 and 4 plot: entry k is the mean
    over the batch of the Euclidean norm over the H units of the gradient at step
    T - k.

    Args:
        grads: (B, T, H) gradients; entry [:, t] belongs to step t+1.

    Returns:
        (T,) array; index k is the lag, so entry 0 is the last step and entry
        T-1 the first.
    """
    _checks.float_array("grads", grads, ndim=3)
    return np.asarray(np.linalg.norm(grads, axis=2).mean(axis=0)[::-1])
