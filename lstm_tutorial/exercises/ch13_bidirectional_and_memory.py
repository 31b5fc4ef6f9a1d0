"""Chapter 13's exercise: a bidirectional LSTM layer, both directions' outputs at every step.

The reference is the package's own layer (``bidirectional.Bidirectional`` with
``merge_mode="concat"`` and ``return_sequences=True``, Keras' default), built
from the exercise's arguments; each known mistake is that reference's output
with the mistake made: the backward outputs left in reversed order, the forward
direction reading the reversed sequence too, the halves concatenated backward
first, one direction's weights used for both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.bidirectional import Bidirectional
from ..nn.layers import Recurrent
from ..nn.lstm import LSTMParams
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, run_cases

__all__ = ["EXERCISES", "bidirectional_lstm", "check_bidirectional_lstm"]


def bidirectional_lstm(
    x: np.ndarray,
    W_fwd: np.ndarray,
    U_fwd: np.ndarray,
    b_fwd: np.ndarray,
    W_bwd: np.ndarray,
    U_bwd: np.ndarray,
    b_bwd: np.ndarray,
) -> np.ndarray:
    """The reference: ``Bidirectional(Recurrent(fwd, True), Recurrent(bwd, True)).forward(x)``."""
    layers = [
        Recurrent(LSTMParams(W, U, b), return_sequences=True)
        for W, U, b in ((W_fwd, U_fwd, b_fwd), (W_bwd, U_bwd, b_bwd))
    ]
    y, _ = Bidirectional(layers[0], layers[1], "concat").forward(x)
    return y


def _halves(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    units = y.shape[-1] // 2
    return y[..., :units], y[..., units:]


def _not_reversed_back(x: Any, *weights: Any) -> np.ndarray:
    forward, backward = _halves(bidirectional_lstm(x, *weights))
    return np.concatenate([forward, backward[:, ::-1]], axis=-1)  # step s holds x_T .. x_(T-s+1)


def _forward_reads_reversed(x: Any, *weights: Any) -> np.ndarray:
    # The forward weights run over x_T .. x_1 as well (outputs put back in order): the second half
    # of the reference with the two directions' weights swapped.
    _, backward = _halves(bidirectional_lstm(x, *weights))
    _, forward_on_reversed = _halves(bidirectional_lstm(x, *weights[3:], *weights[:3]))
    return np.concatenate([forward_on_reversed, backward], axis=-1)


def _backward_first(x: Any, *weights: Any) -> np.ndarray:
    forward, backward = _halves(bidirectional_lstm(x, *weights))
    return np.concatenate([backward, forward], axis=-1)


def _forward_weights_twice(x: Any, *weights: Any) -> np.ndarray:
    return bidirectional_lstm(x, *weights[:3], *weights[:3])


def _backward_weights_twice(x: Any, *weights: Any) -> np.ndarray:
    return bidirectional_lstm(x, *weights[3:], *weights[3:])


def check_bidirectional_lstm(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``bidirectional_lstm(x, W_fwd, U_fwd, b_fwd, W_bwd, U_bwd, b_bwd) -> y``.

    x (B, T, D); each direction's W (D, 4H), U (H, 4H), b (4H,) in Keras' order
    i, f, c, o; y (B, T, 2H): at step t the forward output after x_1 .. x_t, then
    the backward output after x_T .. x_t (Keras' ``Bidirectional``, "concat").
    """
    cases = []
    for k, (B, T, D, H) in enumerate([(2, 5, 3, 4), (1, 6, 1, 2), (3, 4, 2, 1), (2, 1, 2, 3)]):
        shapes = [(B, T, D)] + [(D, 4 * H), (H, 4 * H), (4 * H,)] * 2
        args = normal_arrays(1300 + k, *shapes, scales=[1, 0.7, 0.7, 0.5, 0.7, 0.7, 0.5])
        cases.append(Case(args, f"B={B}, T={T}, D={D}, H={H}"))
    same = "each direction has its own weights: the backward layer runs W_bwd, U_bwd, b_bwd."
    mistakes = [
        Mistake(
            _not_reversed_back,
            "reverse the backward layer's outputs back, so that y[:, t] pairs both directions at "
            "input position t.",
        ),
        Mistake(
            _forward_reads_reversed,
            "only the backward direction reads the reversed sequence; the forward "
            "one reads x_1 .. x_T as it is.",
        ),
        Mistake(_backward_first, "concatenate forward first, then backward (Keras' and torch's order)."),
        Mistake(_forward_weights_twice, same),
        Mistake(_backward_weights_twice, same),
    ]
    return run_cases("bidirectional_lstm", your_fn, bidirectional_lstm, cases, mistakes)


EXERCISES = [
    Exercise(
        "ch13-bidirectional",
        "A bidirectional LSTM layer",
        check_bidirectional_lstm,
        bidirectional_lstm,
    ),
]
