"""Chapter 5's exercises: the backward pass of one LSTM step, BPTT over a sequence, one Adam step.

Each reference is the package's own function, called with the exercise's
arguments; each known mistake is that reference called with the mistake made
(a gradient left out, a factor dropped from the result, a cut in time), or for
BPTT the package's one loop over a cell whose step backward drops dc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn import sequence
from ..nn.cell import State
from ..nn.lstm import LSTMParams, LSTMStepCache, lstm_backward, lstm_forward, lstm_gates
from ..nn.lstm import lstm_step_backward as package_step_backward
from ..nn.optim import Adam
from .ch03_lstm_gates import lstm_cases, lstm_step
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, rng, run_cases

__all__ = [
    "EXERCISES",
    "adam_step",
    "check_adam_step",
    "check_lstm_bptt",
    "check_lstm_step_backward",
    "lstm_bptt",
    "lstm_step_backward",
]


Arrays = tuple[np.ndarray, ...]


# --------------------------------------------------------------------------- one step backward


def lstm_step_backward(
    dh: np.ndarray,
    dc: np.ndarray,
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
) -> Arrays:
    """The reference: ``lstm.lstm_step_backward`` on ``LSTMParams(W, U, b)``, its gradients as arrays."""
    params = LSTMParams(W, U, b)
    _, step_cache = params.step(x_t, (h_prev, c_prev))
    dx, dh_prev, dc_prev, grads = package_step_backward(dh, dc, step_cache, params)
    return dx, dh_prev, dc_prev, grads.W, grads.U, grads.b


def _no_tanh_derivative(
    dh: Any, dc: Any, x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any
) -> Arrays:
    # The cell then receives dc + dh * o instead of dc + dh * o * (1 - tanh(c_t)^2): hand the
    # reference the difference, dh * o * tanh(c_t)^2, with the dc arriving from later steps.
    _, c_t = lstm_step(x_t, h_prev, c_prev, W, U, b)
    o = lstm_gates(x_t, h_prev, LSTMParams(W, U, b)).o
    return lstm_step_backward(dh, dc + dh * o * np.tanh(c_t) ** 2, x_t, h_prev, c_prev, W, U, b)


def _no_forget_factor(dh: Any, dc: Any, x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> Arrays:
    dx, dh_prev, dc_prev, dW, dU, db = lstm_step_backward(dh, dc, x_t, h_prev, c_prev, W, U, b)
    f = lstm_gates(x_t, h_prev, LSTMParams(W, U, b)).f
    return dx, dh_prev, dc_prev / f, dW, dU, db  # dc_(t-1) = dc_t instead of dc_t * f_t


def _no_dc(dh: Any, dc: Any, x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> Arrays:
    return lstm_step_backward(dh, np.zeros_like(dc), x_t, h_prev, c_prev, W, U, b)


def _lstm_backward_cases(seed: int) -> list[Case]:
    cases = []
    for case in lstm_cases(seed):
        x_t, h_prev, c_prev, W, U, b = case.args
        r = rng(seed + 100)
        dh, dc = r.normal(size=h_prev.shape), r.normal(size=h_prev.shape)
        cases.append(Case((dh, dc, x_t, h_prev, c_prev, W, U, b), case.shapes))
    return cases


def check_lstm_step_backward(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``lstm_step_backward(dh, dc, x_t, h_prev, c_prev, W, U, b)``, one step's backward pass.

    dh = dL/dh_t and dc = dL/dc_t from later steps, (B, H); the step's inputs as
    in ``lstm_step``. Returns ``(dx, dh_prev, dc_prev, dW, dU, db)``: dx (B, D),
    dh_prev and dc_prev (B, H), dW (D, 4H), dU (H, 4H), db (4H,).
    """
    mistakes = [
        Mistake(
            _no_tanh_derivative,
            "h_t = o * tanh(c_t): the gradient reaching c_t is dh * o * (1 - tanh(c_t)^2).",
        ),
        Mistake(
            _no_forget_factor, "dc_(t-1) = dc_t * f_t: the forget gate scales the gradient on the cell path."
        ),
        Mistake(_no_dc, "add the dc arriving from the next step to the part that comes through h_t."),
    ]
    return run_cases("lstm_step_backward", your_fn, lstm_step_backward, _lstm_backward_cases(90), mistakes)


# --------------------------------------------------------------------------- BPTT


def lstm_bptt(dhs: np.ndarray, x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> Arrays:
    """The reference: ``lstm.lstm_forward`` from zero states, then ``lstm.lstm_backward``."""
    _, cache = lstm_forward(x, LSTMParams(W, U, b))
    dx, grads, _ = lstm_backward(dhs, cache)
    return dx, grads.W, grads.U, grads.b


def _nothing_carried(dhs: np.ndarray, x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> Arrays:
    _, cache = lstm_forward(x, LSTMParams(W, U, b))
    dx, grads, _ = lstm_backward(dhs, cache, truncate=1)  # every step cut off from the next
    return dx, grads.W, grads.U, grads.b


class _DropsCellGradient(LSTMParams):
    """The LSTM cell whose step backward passes no gradient to c_{t-1}."""

    def step_backward(self, d_state: State, cache: LSTMStepCache) -> tuple[np.ndarray, State, LSTMParams]:
        dx_t, (dh_prev, dc_prev), grads = super().step_backward(d_state, cache)
        return dx_t, (dh_prev, np.zeros_like(dc_prev)), grads


def _dc_not_carried(dhs: np.ndarray, x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> Arrays:
    _, cache = sequence.forward(_DropsCellGradient(W, U, b), x)
    dx, grads, _ = sequence.backward(dhs, cache)
    return dx, *grads.weights()


def check_lstm_bptt(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``lstm_bptt(dhs, x, W, U, b) -> (dx, dW, dU, db)``, full BPTT from zero initial states.

    dhs (B, T, H), dL/dh_t at every step; x (B, T, D); W, U, b as in
    ``lstm_step``. Returns dx (B, T, D), dW (D, 4H), dU (H, 4H), db (4H,).
    """
    cases = []
    for k, (B, T, D, H) in enumerate([(1, 5, 1, 3), (2, 7, 2, 4), (3, 3, 1, 1)]):
        shapes = [(B, T, H), (B, T, D), (D, 4 * H), (H, 4 * H), (4 * H,)]  # dhs, x, W, U, b
        args = normal_arrays(110 + k, *shapes, scales=[1, 1, 0.7, 0.7])
        cases.append(Case(args, f"B={B}, T={T}, D={D}, H={H}"))
    mistakes = [
        Mistake(
            _nothing_carried,
            "carry dh and dc back to the previous step: dh_(t-1) gets dz_t @ U.T, dc_(t-1) gets dc_t * f_t.",
        ),
        Mistake(
            _dc_not_carried,
            "carry dc back as well: the cell path dc_(t-1) = dc_t * f_t is the long-range one.",
        ),
    ]
    return run_cases("lstm_bptt", your_fn, lstm_bptt, cases, mistakes)


# --------------------------------------------------------------------------- Adam


def adam_step(
    w: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float = 1e-3,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
) -> Arrays:
    """The reference: step t of ``optim.Adam`` (Keras 3's rule) from the moments m and v."""
    optimizer = Adam(learning_rate=lr, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
    w = w.copy()
    optimizer.resume([w], [m], [v], iterations=t - 1)
    optimizer.step([w], [g])
    (m_t,), (v_t,) = optimizer.moments()
    return w, m_t, v_t


def _paper_epsilon(w: Any, g: Any, m: Any, v: Any, t: int) -> Arrays:
    # The paper adds epsilon to sqrt(v_hat) = sqrt(v) / sqrt(1 - beta_2^t): Keras' rule with epsilon
    # scaled by sqrt(1 - beta_2^t).
    return adam_step(w, g, m, v, t, epsilon=1e-7 * np.sqrt(1 - 0.999**t))


def _no_bias_correction(w: Any, g: Any, m: Any, v: Any, t: int) -> Arrays:
    # Keras' step size is lr * sqrt(1 - beta_2^t) / (1 - beta_1^t); this learning rate cancels the factor.
    return adam_step(w, g, m, v, t, lr=1e-3 * (1 - 0.9**t) / np.sqrt(1 - 0.999**t))


def check_adam_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``adam_step(w, g, m, v, t, lr=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7) -> (w, m, v)``.

    Step t (counting from 1) of Keras 3's Adam on weights w with gradient g and
    moments m, v from the step before, all arrays of one shape.
    """
    cases = []
    for k, (shape, t) in enumerate([((3,), 1), ((2, 2), 5), ((4,), 100)]):
        r = rng(120 + k)
        args = (
            r.normal(size=shape),
            r.normal(size=shape),
            r.normal(size=shape) * 0.1,
            r.uniform(0, 0.1, size=shape),
            t,
        )
        cases.append(Case(args, f"shape {shape}, t={t}"))
    # Tiny gradients, where epsilon is as large as sqrt(v) and its placement shows.
    tiny = 1e-6 * rng(123).normal(size=4)
    cases.append(
        Case((rng(124).normal(size=4), tiny, np.zeros(4), np.zeros(4), 1), "shape (4,), t=1, |g| ~ 1e-6")
    )
    mistakes = [
        Mistake(
            _paper_epsilon,
            "Keras adds epsilon to sqrt(v), outside the bias correction: "
            "w -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon).",
        ),
        Mistake(
            _no_bias_correction,
            "the bias correction is missing: scale the step by sqrt(1 - beta_2^t) / (1 - beta_1^t).",
        ),
    ]
    return run_cases("adam_step", your_fn, adam_step, cases, mistakes)


EXERCISES = [
    Exercise(
        "ch05-step-backward", "The backward pass of one step", check_lstm_step_backward, lstm_step_backward
    ),
    Exercise("ch05-bptt", "The full BPTT loop", check_lstm_bptt, lstm_bptt),
    Exercise("ch05-adam", "One Adam step, Keras' way", check_adam_step, adam_step),
]
