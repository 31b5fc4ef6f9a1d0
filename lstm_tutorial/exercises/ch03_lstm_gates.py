"""Chapter 3's exercises: a stable sigmoid, one LSTM step, and the LSTM's weights in Keras and PyTorch.

Each reference is the package's own function, called with the exercise's
arguments; each known mistake is that reference called with the mistake made:
the gate order permutes the weight blocks, a missing forget gate is a forget
gate saturated at 1, and so on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..frameworks import _imports
from ..frameworks.torch import from_torch
from ..nn.activations import sigmoid as package_sigmoid
from ..nn.lstm import GATE_ORDER, LSTMParams
from ..nn.lstm import lstm_step as package_lstm_step
from ..nn.variants import VARIANTS, PeepholeParams, variant_step
from .checking import Case, CheckResult, Exercise, Mistake, normal_arrays, rng, run_cases

__all__ = [
    "EXERCISES",
    "SATURATED",
    "check_lstm_step",
    "check_sigmoid",
    "check_split_keras_lstm",
    "check_torch_to_keras",
    "constant_gates_case",
    "lstm_cases",
    "lstm_step",
    "sigmoid",
    "split_keras_lstm",
    "take_blocks",
    "torch_to_keras",
]


SATURATED = 1e4
"""A pre-activation this large saturates a sigmoid gate: sigmoid(z + 1e4) is exactly 1.0 in float64."""


def take_blocks(array: np.ndarray, picks: Sequence[int], negate: Sequence[int] = ()) -> np.ndarray:
    """The gate blocks of a weight array (side by side on its last axis), rearranged.

    Block k of the result is block ``picks[k]`` of ``array``, negated if k is in
    ``negate``; the number of blocks is ``len(picks)``. For the LSTM's W (D, 4H),
    ``take_blocks(W, [0, 2, 1, 3])`` swaps the forget gate and the candidate.
    """
    blocks = np.split(array, len(picks), axis=-1)
    return np.concatenate([-blocks[p] if k in negate else blocks[p] for k, p in enumerate(picks)], axis=-1)


# --------------------------------------------------------------------------- a stable sigmoid


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The reference: ``activations.sigmoid``, computed through tanh so that it never overflows."""
    return package_sigmoid(z)


def _sign_error(z: np.ndarray) -> np.ndarray:
    return sigmoid(-z)  # 1 / (1 + exp(z))


def check_sigmoid(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``sigmoid(z)``: elementwise, any shape; it must not overflow or warn for |z| up to 1e4."""
    cases = [
        Case((np.linspace(-8, 8, 33),), "moderate values"),
        Case((np.array([[-1e4, -800.0, -50.0], [50.0, 800.0, 1e4]]),), "|z| up to 1e4"),
        Case((rng(40).normal(scale=20, size=(3, 4)),), "random, shape (3, 4)"),
    ]
    mistakes = [
        Mistake(np.tanh, "that is tanh; the sigmoid is 1 / (1 + exp(-z)), with values in (0, 1)."),
        Mistake(_sign_error, "sign error: sigmoid(z) = 1 / (1 + exp(-z))."),
    ]
    return run_cases("sigmoid", your_fn, sigmoid, cases, mistakes, strict_warnings=True)


# --------------------------------------------------------------------------- one LSTM step


def lstm_step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The reference: ``lstm.lstm_step`` on ``LSTMParams(W, U, b)``."""
    return package_lstm_step(x_t, h_prev, c_prev, LSTMParams(W, U, b))


def lstm_cases(seed: int) -> list[Case]:
    """Four random LSTM steps ``(x_t, h_prev, c_prev, W, U, b)``, batch 1 and hidden size 1 among them."""
    cases = []
    for k, (B, D, H) in enumerate([(1, 1, 4), (3, 2, 5), (2, 3, 1), (1, 1, 1)]):
        shapes = [(B, D), (B, H), (B, H), (D, 4 * H), (H, 4 * H), (4 * H,)]  # x_t, h_prev, c_prev, W, U, b
        args = normal_arrays(seed + k, *shapes, scales=[1, 1, 1, 0.7, 0.7])
        cases.append(Case(args, f"B={B}, D={D}, H={H}"))
    return cases


def _read_in_order(order: str) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """An lstm_step that reads the four blocks as the gates ``order`` (e.g. "igfo")."""
    picks = [order.index(gate) for gate in GATE_ORDER]  # where the reader finds each gate

    def step(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
        return lstm_step(x_t, h_prev, c_prev, *(take_blocks(m, picks) for m in (W, U, b)))

    return step


def _with_bias(b: np.ndarray, gates: str, change: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``b`` (4H,) with ``change`` applied to the blocks of the named gates (letters of "ifgo")."""
    blocks = np.split(b, 4)
    return np.concatenate([change(z) if g in gates else z for g, z in zip(GATE_ORDER, blocks, strict=True)])


def _no_forget_gate(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, ...]:
    return lstm_step(x_t, h_prev, c_prev, W, U, _with_bias(b, "f", lambda z: z + SATURATED))  # f = 1


def _no_tanh_on_cell(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, ...]:
    # Greff et al.'s variant without the output activation, h_t = o * c_t (P = 0: no peepholes).
    cell = PeepholeParams(W, U, b, np.zeros((3, U.shape[0])))
    return variant_step(x_t, h_prev, c_prev, cell, VARIANTS["NOAF"])


def _no_bias(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, ...]:
    return lstm_step(x_t, h_prev, c_prev, W, U, np.zeros_like(b))


def constant_gates_case(seed: int) -> Case:
    """A probe: an LSTM step with W = U = 0, so that every gate is a constant, its activated bias.

    Any activation of a bias is then the sigmoid (or tanh) of another bias, so
    the reference can compute a step with the wrong activation: tanh(b) is
    sigmoid(logit(tanh(b))) where tanh(b) lies in (0, 1), which b > 0 ensures.
    """
    r = rng(seed)
    x_t, h_prev, c_prev = r.normal(size=(2, 2)), r.normal(size=(2, 3)), r.normal(size=(2, 3))
    args = (x_t, h_prev, c_prev, np.zeros((2, 12)), np.zeros((3, 12)), r.uniform(0.2, 2.0, size=12))
    return Case(args, "W = U = 0, b > 0")


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))  # the inverse of the sigmoid


def _tanh_gates(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, ...]:
    # Exact on constant_gates_case only: there the gates i, f, o become tanh(b).
    return lstm_step(x_t, h_prev, c_prev, W, U, _with_bias(b, "ifo", lambda z: _logit(np.tanh(z))))


def _sigmoid_candidate(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, ...]:
    # Exact on constant_gates_case only: there the candidate g becomes sigmoid(b_g).
    return lstm_step(x_t, h_prev, c_prev, W, U, _with_bias(b, "g", lambda z: np.arctanh(sigmoid(z))))


def check_lstm_step(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``lstm_step(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t)``.

    x_t (B, D), h_prev and c_prev (B, H), W (D, 4H), U (H, 4H), b (4H,) with the
    blocks in the order i, f, g, o; h_t and c_t (B, H).
    """
    constant_gates = constant_gates_case(55)
    mistakes = [
        Mistake(
            _read_in_order("igfo"),
            "wrong gate order: the blocks of W, U, b are i, f, g, o (Keras' names: i, f, c, o).",
        ),
        Mistake(
            _read_in_order("ifog"),
            "wrong gate order: the candidate is the third block, the output gate the fourth.",
        ),
        Mistake(
            _read_in_order("figo"), "wrong gate order: the input gate comes first, then the forget gate."
        ),
        Mistake(_no_forget_gate, "the forget gate is missing: c_t = f_t * c_(t-1) + i_t * g_t."),
        Mistake(_tanh_gates, "the gates i, f, o use the sigmoid, not tanh.", probe=constant_gates),
        Mistake(_sigmoid_candidate, "the candidate g uses tanh, not the sigmoid.", probe=constant_gates),
        Mistake(_no_tanh_on_cell, "h_t = o_t * tanh(c_t): the cell state goes through tanh."),
        Mistake(_no_bias, "the bias b is missing from z_t = x_t W + h_(t-1) U + b."),
    ]
    return run_cases("lstm_step", your_fn, lstm_step, lstm_cases(50), mistakes)


# --------------------------------------------------------------------------- Keras' weights by gate


def split_keras_lstm(kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray) -> dict[str, Any]:
    """The reference: ``LSTMParams.gate`` for each gate, under Keras' names i, f, c, o (book: i, f, g, o)."""
    params = LSTMParams(kernel, recurrent_kernel, bias)
    return {keras: params.gate(gate) for keras, gate in zip("ifco", GATE_ORDER, strict=True)}


def _named_in_order(names: str) -> Callable[..., dict[str, Any]]:
    """A split_keras_lstm that calls the four blocks ``names`` (e.g. "icfo")."""

    def split(kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray) -> dict[str, Any]:
        blocks = split_keras_lstm(kernel, recurrent_kernel, bias)
        return {name: blocks[keras] for keras, name in zip("ifco", names, strict=True)}

    return split


def check_split_keras_lstm(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``split_keras_lstm(kernel, recurrent_kernel, bias) -> dict``.

    kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,); the dict maps Keras' names "i",
    "f", "c", "o" (the book's i, f, g, o) to ``(W_k, U_k, b_k)`` of shapes (D, H), (H, H), (H,).
    """
    cases = [
        Case(normal_arrays(60 + k, (D, 4 * H), (H, 4 * H), (4 * H,)), f"D={D}, H={H}")
        for k, (D, H) in enumerate([(1, 4), (3, 2), (2, 1)])
    ]
    mistakes = [
        Mistake(
            _named_in_order("icfo"),
            "Keras' blocks are i, f, c, o (the book's i, f, g, o): the forget gate is the second block.",
        ),
        Mistake(
            _named_in_order("ifoc"),
            "Keras' blocks are i, f, c, o (the book's i, f, g, o): the candidate c (g) is the third block, "
            "o the fourth.",
        ),
        Mistake(
            _named_in_order("fico"),
            "Keras' blocks are i, f, c, o (the book's i, f, g, o): the input gate is the first block.",
        ),
    ]
    return run_cases("split_keras_lstm", your_fn, split_keras_lstm, cases, mistakes)


# --------------------------------------------------------------------------- PyTorch's weights


def torch_to_keras(
    weight_ih: np.ndarray, weight_hh: np.ndarray, bias_ih: np.ndarray, bias_hh: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The reference: ``frameworks.torch.from_torch`` on a ``torch.nn.LSTM`` holding these four arrays."""
    torch = _imports.torch("exercises.torch_to_keras")

    hidden, inputs = weight_ih.shape[0] // 4, weight_ih.shape[1]
    with torch.random.fork_rng(devices=[]):  # the module's own random weights leave torch's seed alone
        module = torch.nn.LSTM(inputs, hidden, dtype=torch.float64)
    arrays = {
        "weight_ih_l0": weight_ih,
        "weight_hh_l0": weight_hh,
        "bias_ih_l0": bias_ih,
        "bias_hh_l0": bias_hh,
    }
    module.load_state_dict({name: torch.from_numpy(array.copy()) for name, array in arrays.items()})
    lstm = from_torch(module)
    assert isinstance(lstm, LSTMParams)  # an nn.LSTM holds an LSTM's weights
    W, U, b = lstm.as_list()
    return W, U, b


def _one_bias(weight_ih: Any, weight_hh: Any, bias_ih: Any, bias_hh: Any) -> tuple[np.ndarray, ...]:
    return torch_to_keras(weight_ih, weight_hh, bias_ih, np.zeros_like(bias_hh))


def _not_transposed(weight_ih: Any, weight_hh: Any, bias_ih: Any, bias_hh: Any) -> tuple[np.ndarray, ...]:
    kernel, recurrent_kernel, bias = torch_to_keras(weight_ih, weight_hh, bias_ih, bias_hh)
    return kernel.T, recurrent_kernel.T, bias


def _recurrent_not_transposed(
    weight_ih: Any, weight_hh: Any, bias_ih: Any, bias_hh: Any
) -> tuple[np.ndarray, ...]:
    kernel, recurrent_kernel, bias = torch_to_keras(weight_ih, weight_hh, bias_ih, bias_hh)
    return kernel, recurrent_kernel.T, bias


def check_torch_to_keras(your_fn: Callable[..., Any]) -> CheckResult:
    """Check ``torch_to_keras(weight_ih, weight_hh, bias_ih, bias_hh) -> (kernel, recurrent_kernel, bias)``.

    torch's (4H, D), (4H, H), (4H,), (4H,) to Keras' (D, 4H), (H, 4H), (4H,).
    """
    cases = [
        Case(normal_arrays(70 + k, (4 * H, D), (4 * H, H), (4 * H,), (4 * H,)), f"D={D}, H={H}")
        for k, (D, H) in enumerate([(1, 4), (3, 2), (2, 2)])
    ]
    mistakes = [
        Mistake(_one_bias, "torch keeps two biases; Keras' bias is their sum."),
        Mistake(_not_transposed, "torch stores W and U transposed: (4H, D) and (4H, H)."),
        Mistake(_recurrent_not_transposed, "both matrices need transposing, the recurrent one too."),
    ]
    return run_cases("torch_to_keras", your_fn, torch_to_keras, cases, mistakes)


EXERCISES = [
    Exercise("ch03-sigmoid", "A numerically stable sigmoid", check_sigmoid, sigmoid),
    Exercise("ch03-lstm-step", "One LSTM step", check_lstm_step, lstm_step),
    Exercise("ch03-split-keras", "Keras weights by hand", check_split_keras_lstm, split_keras_lstm),
    Exercise(
        "ch03-torch-to-keras", "PyTorch weights into Keras' layout", check_torch_to_keras, torch_to_keras
    ),
]
