"""Chapter 9's exercises: one step of the GRU, of the peephole LSTM and of the CIFG cell.

Each reference is the package's own step (``gru.gru_step``,
``variants.variant_step``), called with the exercise's arguments; each known
mistake is that reference called with the mistake made: blocks permuted or
negated, peepholes moved, another variant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..nn.gru import GRUParams
from ..nn.gru import gru_step as package_gru_step
from ..nn.variants import VARIANTS, PeepholeParams, Variant, variant_step
from .ch03_lstm_gates import lstm_cases, take_blocks
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, run_cases

__all__ = [
    "EXERCISES",
    "check_cifg_step",
    "check_gru_step",
    "check_peephole_step",
    "cifg_step",
    "gru_step",
    "peephole_step",
]


Step = tuple[np.ndarray, np.ndarray]


# --------------------------------------------------------------------------- the GRU


def gru_step(
    x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """The reference: ``gru.gru_step`` on ``GRUParams(kernel, recurrent_kernel, bias)``."""
    return package_gru_step(x_t, h_prev, GRUParams(kernel, recurrent_kernel, bias))


def _reset_before(x_t: Any, h_prev: Any, kernel: Any, recurrent: Any, bias: Any) -> np.ndarray:
    # Exact where H = 1 only (the probe): there (r * h) U_n = r * (h U_n), and resetting before the
    # product differs from resetting after it only in where the recurrent bias of n sits.
    hidden = h_prev.shape[1]
    moved = bias.copy()
    moved[0, 2 * hidden :] += bias[1, 2 * hidden :]
    moved[1, 2 * hidden :] = 0
    return gru_step(x_t, h_prev, kernel, recurrent, moved)


def _swapped_update(x_t: Any, h_prev: Any, kernel: Any, recurrent: Any, bias: Any) -> np.ndarray:
    # Negating the update gate's pre-activation turns u into 1 - u, since sigmoid(-z) = 1 - sigmoid(z).
    return gru_step(x_t, h_prev, *(take_blocks(m, [0, 1, 2], negate=[0]) for m in (kernel, recurrent, bias)))


def _torch_order(x_t: Any, h_prev: Any, kernel: Any, recurrent: Any, bias: Any) -> np.ndarray:
    return gru_step(x_t, h_prev, *(take_blocks(m, [1, 0, 2]) for m in (kernel, recurrent, bias)))  # r, u, n


def check_gru_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> h_t``, Keras' GRU (reset_after=True).

    x_t (B, D), h_prev (B, H), kernel (D, 3H), recurrent_kernel (H, 3H) with the
    blocks u, r, n (update gate, reset gate, candidate; Keras calls them z, r, h),
    bias (2, 3H): the input bias and the recurrent bias; h_t (B, H).
    """
    cases = []
    for k, (B, D, H) in enumerate([(1, 1, 3), (2, 2, 4), (3, 1, 1)]):
        shapes = [(B, D), (B, H), (D, 3 * H), (H, 3 * H), (2, 3 * H)]  # x_t, h_prev, kernel, recurrent, bias
        args = normal_arrays(140 + k, *shapes, scales=[1, 1, 1, 0.7])
        cases.append(Case(args, f"B={B}, D={D}, H={H}"))
    mistakes = [
        Mistake(
            _reset_before,
            "Keras' default reset_after=True applies r AFTER the recurrent product: "
            "n = tanh(x W_n + b0_n + r * (h U_n + b1_n)).",
            probe=cases[2],  # H = 1
        ),
        Mistake(
            _swapped_update,
            "the update gate keeps the old state: h_t = u * h_(t-1) + (1 - u) * n (Keras' z is u).",
        ),
        Mistake(
            _torch_order,
            "the blocks are u, r, n, Keras' z, r, h (torch's order is r, z, n, with z its update gate).",
        ),
    ]
    return run_cases("gru_step", your_fn, gru_step, cases, mistakes)


# --------------------------------------------------------------------------- the peephole LSTM


def peephole_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    P: np.ndarray,
) -> Step:
    """The reference: ``variants.variant_step`` on ``PeepholeParams(W, U, b, P)`` (Greff et al.'s vanilla)."""
    return variant_step(x_t, h_prev, c_prev, PeepholeParams(W, U, b, P))


def _output_gate_sees_old_cell(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any, P: Any) -> Step:
    # o = sigmoid(z_o + P[2] * c_(t-1)): c_(t-1) enters as an extra input, with weights diag(P[2])
    # on the output gate's block, and the output gate's own peephole is removed.
    hidden = h_prev.shape[1]
    extra = np.zeros((hidden, 4 * hidden))
    extra[:, 3 * hidden :] = np.diag(P[2])
    no_output_peephole = P * np.array([[1.0], [1.0], [0.0]])
    x_and_cell = np.hstack([x_t, c_prev])
    return peephole_step(x_and_cell, h_prev, c_prev, np.vstack([W, extra]), U, b, no_output_peephole)


def _rows_swapped(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any, P: Any) -> Step:
    return peephole_step(x_t, h_prev, c_prev, W, U, b, P[[1, 0, 2]])


def _no_peepholes(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any, P: Any) -> Step:
    return peephole_step(x_t, h_prev, c_prev, W, U, b, np.zeros_like(P))


def _peephole_cases() -> list[Case]:
    cases = []
    for k, (B, D, H) in enumerate([(1, 1, 4), (3, 2, 5), (2, 3, 1)]):
        shapes = [(B, D), (B, H), (B, H), (D, 4 * H), (H, 4 * H), (4 * H,), (3, H)]  # x_t, h, c, W, U, b, P
        args = normal_arrays(180 + k, *shapes, scales=[1, 1, 1.5, 0.7, 0.7])
        cases.append(Case(args, f"B={B}, D={D}, H={H}"))
    return cases


def check_peephole_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``peephole_step(x_t, h_prev, c_prev, W, U, b, P) -> (h_t, c_t)``, the LSTM step with peepholes.

    The arguments of ``lstm_step`` and P (3, H), the peephole weights of the
    input, forget and output gates; i and f look at c_prev, o at the new c_t.
    """
    mistakes = [
        Mistake(
            _output_gate_sees_old_cell,
            "the output gate looks at the NEW cell state: o = sigmoid(z_o + P[2] * c_t).",
        ),
        Mistake(_rows_swapped, "P's rows are the input, forget and output gates, in that order (i, f, o)."),
        Mistake(_no_peepholes, "each gate adds its peephole term, e.g. i = sigmoid(z_i + P[0] * c_(t-1))."),
    ]
    return run_cases("peephole_step", your_fn, peephole_step, _peephole_cases(), mistakes)


# --------------------------------------------------------------------------- coupled gates


def cifg_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    variant: Variant = VARIANTS["CIFG"],
) -> Step:
    """The reference: ``variants.variant_step`` as the CIFG variant, without peepholes (P = 0).

    ``variant`` runs the same weights as another of Greff et al.'s variants.
    """
    return variant_step(x_t, h_prev, c_prev, PeepholeParams(W, U, b, np.zeros((3, U.shape[0]))), variant)


def _input_equals_forget(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> Step:
    # The plain LSTM whose input-gate block is a copy of the forget-gate block: i = f.
    W, U, b = (take_blocks(m, [1, 1, 2, 3]) for m in (W, U, b))
    return cifg_step(x_t, h_prev, c_prev, W, U, b, variant=VARIANTS["NP"])


def _uncoupled(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> Step:
    return cifg_step(x_t, h_prev, c_prev, W, U, b, variant=VARIANTS["NP"])  # the plain LSTM


def _forget_from_input_block(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> Step:
    # f = 1 - sigmoid(z_i) = sigmoid(-z_i): the forget-gate block replaced by minus the input-gate block.
    W, U, b = (take_blocks(m, [0, 0, 2, 3], negate=[1]) for m in (W, U, b))
    return cifg_step(x_t, h_prev, c_prev, W, U, b)


def check_cifg_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``cifg_step(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t)``, coupled gates i = 1 - f, no peepholes.

    The arguments and results of ``lstm_step``: W (D, 4H), U (H, 4H), b (4H,) in
    the order i, f, g, o, whose input-gate block goes unused.
    """
    mistakes = [
        Mistake(_input_equals_forget, "coupled means complementary: i = 1 - f, not i = f."),
        Mistake(_uncoupled, "that is the plain LSTM: with coupled gates the input gate is i = 1 - f."),
        Mistake(
            _forget_from_input_block,
            "compute the FORGET gate from the second block and derive i = 1 - f; the first block is unused.",
        ),
    ]
    return run_cases("cifg_step", your_fn, cifg_step, lstm_cases(190), mistakes)


EXERCISES = [
    Exercise("ch09-gru-step", "One GRU step", check_gru_step, gru_step),
    Exercise("ch09-peephole-step", "One peephole LSTM step", check_peephole_step, peephole_step),
    Exercise("ch09-cifg-step", "Coupled input and forget gates", check_cifg_step, cifg_step),
]
