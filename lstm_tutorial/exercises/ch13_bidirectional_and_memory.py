"""Chapter 13's exercises: a bidirectional LSTM layer, and the feed-forward baseline's prediction.

``bidirectional_lstm``: the reference is the package's own layer
(``bidirectional.Bidirectional`` with ``merge_mode="concat"`` and
``return_sequences=True``, Keras' default), built from the exercise's arguments;
each known mistake is that reference's output with the mistake made: the backward
outputs left in reversed order, the forward direction reading the reversed sequence
too, the halves concatenated backward first, one direction's weights used for both.

``mlp_predict``: the reference is ``tasks.mlp.MLPParams(...).predict``, an MLP with
two tanh hidden layers on the flattened window; the known mistakes are that MLP
with a window flattened feature by feature, a hidden layer without its tanh, a
tanh on the output, the biases left out, ReLU for tanh, or the (N, 1) output
returned as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.bidirectional import Bidirectional
from ..nn.layers import Recurrent
from ..nn.lstm import LSTMParams
from ..tasks.mlp import MLPParams
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, run_cases

__all__ = ["EXERCISES", "bidirectional_lstm", "check_bidirectional_lstm", "check_mlp_predict", "mlp_predict"]


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

    x (B, T, D); each direction's W (D, 4H), U (H, 4H), b (4H,), the gate blocks in
    the order i, f, g, o (g is Keras' c); y (B, T, 2H): at step t the forward output
    after x_1 .. x_t, then the backward output after x_T .. x_t (Keras'
    ``Bidirectional``, "concat").
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


def mlp_predict(
    x: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
    W3: np.ndarray,
    b3: np.ndarray,
) -> np.ndarray:
    """The reference: ``MLPParams([W1, b1, W2, b2, W3, b3], "tanh").predict(x)``."""
    return MLPParams([W1, b1, W2, b2, W3, b3], "tanh").predict(x)


def _feature_major(x: Any, *weights: Any) -> np.ndarray:
    # The window flattened feature by feature (the T values of feature 1 first): the reference on
    # the window whose step-by-step order is that one.
    return mlp_predict(x.transpose(0, 2, 1).reshape(x.shape), *weights)


def _linear_second_layer(x: Any, W1: Any, b1: Any, W2: Any, b2: Any, W3: Any, b3: Any) -> np.ndarray:
    # Without its tanh the second layer and the output are one linear map, W2 W3: the reference
    # with a single hidden layer.
    return MLPParams([W1, b1, W2 @ W3, b2 @ W3 + b3], "tanh").predict(x)


def _tanh_output(x: Any, *weights: Any) -> np.ndarray:
    return np.tanh(mlp_predict(x, *weights))


def _no_biases(x: Any, W1: Any, b1: Any, W2: Any, b2: Any, W3: Any, b3: Any) -> np.ndarray:
    return mlp_predict(x, W1, 0 * b1, W2, 0 * b2, W3, 0 * b3)


def _relu(x: Any, *weights: Any) -> np.ndarray:
    return MLPParams(list(weights), "relu").predict(x)


def _column(x: Any, *weights: Any) -> np.ndarray:
    return mlp_predict(x, *weights)[:, None]


def check_mlp_predict(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``mlp_predict(x, W1, b1, W2, b2, W3, b3) -> y``.

    x (N, T, D) windows; W1 (T D, H1), b1 (H1,), W2 (H1, H2), b2 (H2,), W3 (H2, 1), b3 (1,);
    y (N,): the window flattened step by step (step 1's D features first), two hidden
    layers with tanh, a linear output, one number a window.
    """
    cases = []
    for k, (N, T, D, H1, H2) in enumerate(
        [(4, 5, 1, 3, 2), (3, 4, 2, 5, 4), (1, 1, 1, 1, 1), (6, 3, 3, 2, 3)]
    ):
        shapes = [(N, T, D), (T * D, H1), (H1,), (H1, H2), (H2,), (H2, 1), (1,)]
        args = normal_arrays(1310 + k, *shapes, scales=[1, 0.6, 0.3, 0.6, 0.3, 0.8, 0.3])
        cases.append(Case(args, f"N={N}, T={T}, D={D}, H1={H1}, H2={H2}"))
    mistakes = [
        Mistake(
            _feature_major,
            "flatten each window step by step, x.reshape(N, T * D): step 1's D features first, "
            "then step 2's, as the rows of W1 are laid out.",
        ),
        Mistake(_linear_second_layer, "both hidden layers apply tanh: h2 = tanh(h1 @ W2 + b2)."),
        Mistake(_tanh_output, "the output layer is linear: no tanh after W3, b3."),
        Mistake(_no_biases, "add each layer's bias: b1, b2 and b3."),
        Mistake(_relu, "the hidden layers use tanh, not ReLU."),
        Mistake(_column, "return one number a window, shape (N,): column 0 of the (N, 1) output."),
    ]
    return run_cases("mlp_predict", your_fn, mlp_predict, cases, mistakes)


EXERCISES = [
    Exercise(
        "ch13-bidirectional",
        "A bidirectional LSTM layer",
        check_bidirectional_lstm,
        bidirectional_lstm,
    ),
    Exercise("ch13-mlp", "The MLP baseline", check_mlp_predict, mlp_predict),
]
