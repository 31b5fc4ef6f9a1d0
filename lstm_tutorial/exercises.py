"""Checkers for the book's exercises.

Each ``check_*`` function takes the reader's function, runs it on several
random cases (fixed seeds; edge cases such as batch 1 and hidden size 1
included), compares the result with a reference solution and prints one
verdict: pass, "not implemented yet", or the first failing case with its
shapes, the relative error and, when the mistake is a common one, a hint. It
never prints the solution. It returns a ``CheckResult``; the book's solution
cells call ``.raise_if_failed()`` so that a wrong solution fails the build.

The reference solutions live in ``_solutions`` below, written as plain NumPy;
they are the worked solutions the book shows. The "wrong" variants in
``_mistakes`` are what the checkers compare a failing answer against to name
the mistake.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .gradcheck import rel_error

__all__ = [
    "EXERCISES",
    "CheckResult",
    "check_adam_step",
    "check_cell_path_gain",
    "check_cifg_step",
    "check_clip_by_global_norm",
    "check_fit_ar",
    "check_gru_step",
    "check_hidden_grad_norms",
    "check_lstm_bptt",
    "check_lstm_step",
    "check_lstm_step_backward",
    "check_make_windows",
    "check_peephole_step",
    "check_persistence_forecast",
    "check_recursive_forecast",
    "check_rnn_step",
    "check_sigmoid",
    "check_sine_model_param_count",
    "check_sine_model_predict",
    "check_split_in_time",
    "check_split_keras_lstm",
    "check_torch_to_keras",
]

TOLERANCE = 1e-6  # relative error; every case runs in float64


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one checker.

    Attributes:
        name: the exercise.
        passed: True only if every case agreed with the reference.
        status: "pass", "fail", "not_implemented", "error" or "wrong_shape".
        cases_run: cases tried before the verdict.
        max_rel_error: the worst relative error seen (nan if none was computed).
        message: the one-paragraph verdict that was printed.
        hint: the likely mistake, or "".
    """

    name: str
    passed: bool
    status: str
    cases_run: int
    max_rel_error: float
    message: str
    hint: str = ""

    def raise_if_failed(self) -> CheckResult:
        """Raise AssertionError with the verdict unless the check passed; return self otherwise."""
        if not self.passed:
            raise AssertionError(self.message)
        return self

    def __repr__(self) -> str:
        return f"CheckResult({self.name!r}, status={self.status!r}, cases={self.cases_run})"


@dataclass(frozen=True)
class Case:
    """One call: the arguments, and a description of their shapes for messages."""

    args: tuple[Any, ...]
    shapes: str


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        return tuple(value)
    return (value,)


def _describe(value: Any) -> str:
    parts = []
    for item in _as_tuple(value):
        if isinstance(item, np.ndarray):
            parts.append(f"array{item.shape}")
        elif isinstance(item, dict):
            parts.append("dict(" + ", ".join(f"{k}: {_describe(v)}" for k, v in item.items()) + ")")
        else:
            parts.append(type(item).__name__)
    return ", ".join(parts)


def _flatten(value: Any) -> list[np.ndarray] | None:
    """The arrays of a result (tuple, list or dict of arrays) in a fixed order; None if not arrays."""
    if isinstance(value, dict):
        out: list[np.ndarray] = []
        for key in sorted(value):
            inner = _flatten(value[key])
            if inner is None:
                return None
            out += inner
        return out
    if isinstance(value, (tuple, list)):
        out = []
        for item in value:
            inner = _flatten(item)
            if inner is None:
                return None
            out += inner
        return out
    if isinstance(value, (np.ndarray, float, int, np.floating)):
        return [np.asarray(value, dtype=np.float64)]
    return None


def _structure(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _structure(v) for k, v in sorted(value.items())}
    if isinstance(value, (tuple, list)):
        return [_structure(v) for v in value]
    return np.shape(value)


def _error(got: Any, expected: Any) -> float | None:
    """Relative error between two results, or None if their structure or shapes differ."""
    if _structure(got) != _structure(expected):
        return None
    a, b = _flatten(got), _flatten(expected)
    if a is None or b is None:
        return None
    return max(rel_error(x, y) for x, y in zip(a, b, strict=True))


def _verdict(name: str, status: str, cases: int, worst: float, message: str, hint: str = "") -> CheckResult:
    text = f"{name}: {message}" + (f"\n  Hint: {hint}" if hint else "")
    print(text)
    return CheckResult(name, status == "pass", status, cases, worst, text, hint)


def _run(
    name: str,
    reader: Callable[..., Any],
    reference: Callable[..., Any],
    cases: Sequence[Case],
    mistakes: Sequence[tuple[Callable[..., Any], str]] = (),
    tolerance: float = TOLERANCE,
    strict_warnings: bool = False,
) -> CheckResult:
    if not callable(reader):
        return _verdict(name, "error", 0, float("nan"), f"expected a function, got {type(reader).__name__}")
    worst = 0.0
    for number, case in enumerate(cases, start=1):
        expected = reference(*_copy(case.args))
        try:
            with warnings.catch_warnings():
                if strict_warnings:
                    warnings.simplefilter("error")
                got = reader(*_copy(case.args))
        except NotImplementedError:
            return _verdict(name, "not_implemented", number - 1, float("nan"), "not implemented yet.")
        except Exception as error:  # the reader's bug, reported rather than raised
            hint = ""
            if isinstance(error, RuntimeWarning) and "overflow" in str(error):
                hint = "exp overflows for large |z|; compute it only where it cannot (e.g. exp(-|z|))."
            return _verdict(
                name,
                "error",
                number,
                float("nan"),
                f"case {number} ({case.shapes}) raised {type(error).__name__}: {error}",
                hint,
            )
        err = _error(got, expected)
        if err is None:
            hint = _diagnose(got, case, mistakes, tolerance)
            return _verdict(
                name,
                "wrong_shape",
                number,
                float("nan"),
                f"case {number} ({case.shapes}) returned {_describe(got)}, expected {_describe(expected)}.",
                hint,
            )
        worst = max(worst, err)
        if not err <= tolerance:
            hint = _diagnose(got, case, mistakes, tolerance)
            return _verdict(
                name,
                "fail",
                number,
                err,
                f"case {number} ({case.shapes}) differs from the reference: relative error {err:.2e} "
                f"(tolerance {tolerance:.0e}).",
                hint,
            )
    return _verdict(
        name, "pass", len(cases), worst, f"passed {len(cases)} cases (worst relative error {worst:.1e})."
    )


def _copy(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def _diagnose(
    got: Any, case: Case, mistakes: Sequence[tuple[Callable[..., Any], str]], tolerance: float
) -> str:
    """The hint of the first known mistake that reproduces the reader's output."""
    for mistake, hint in mistakes:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wrong = mistake(*_copy(case.args))
        except Exception:
            continue
        err = _error(got, wrong)
        if err is not None and err <= max(tolerance, 1e-9):
            return hint
    return ""


# --------------------------------------------------------------------------- solutions
# Plain NumPy, row vectors, gates in Keras' order i, f, g (Keras' "c"), o.


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * np.tanh(0.5 * z) + 0.5


def _all_windows(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
    # Every window, the last usable one included: x (n - look_back, look_back, 1), y (n - look_back,).
    n = len(series) - look_back
    return np.stack([series[i : i + look_back] for i in range(n)])[:, :, None], series[look_back:]


def _make_windows(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(series) - look_back - 1  # the classic loop drops the last usable window
    x = np.stack([series[i : i + look_back] for i in range(n)])[:, :, None]
    y = series[look_back : look_back + n]
    return x, y


def _rnn_step(x_t: np.ndarray, h_prev: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.tanh(x_t @ W + h_prev @ U + b)


def _hidden_grad_norms(x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    steps = x.shape[1]
    h = np.zeros((x.shape[0], U.shape[0]))
    hs = []
    for t in range(steps):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        hs.append(h)
    grad = np.ones_like(h)  # dL/dh_T for L = sum(h_T)
    norms = np.empty(steps)
    for t in reversed(range(steps)):
        norms[t] = np.linalg.norm(grad)
        grad = (grad * (1 - hs[t] ** 2)) @ U.T
    return norms


def _clip_by_global_norm(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in grads]


def _lstm_step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    z_i, z_f, z_g, z_o = np.split(x_t @ W + h_prev @ U + b, 4, axis=1)
    i, f, g, o = _sigmoid(z_i), _sigmoid(z_f), np.tanh(z_g), _sigmoid(z_o)
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def _split_keras_lstm(kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray) -> dict[str, Any]:
    blocks = [np.split(m, 4, axis=-1) for m in (kernel, recurrent, bias)]
    return {name: (blocks[0][k], blocks[1][k], blocks[2][k]) for k, name in enumerate("ifco")}


def _torch_to_keras(
    weight_ih: np.ndarray, weight_hh: np.ndarray, bias_ih: np.ndarray, bias_hh: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return weight_ih.T, weight_hh.T, bias_ih + bias_hh


def _cell_path_gain(forget_gates: np.ndarray) -> np.ndarray:
    return np.prod(forget_gates, axis=1)  # (B, T, H) -> (B, H): dc_T / dc_0 along the direct path


def _lstm_step_backward(
    dh: np.ndarray,
    dc: np.ndarray,
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, ...]:
    z_i, z_f, z_g, z_o = np.split(x_t @ W + h_prev @ U + b, 4, axis=1)
    i, f, g, o = _sigmoid(z_i), _sigmoid(z_f), np.tanh(z_g), _sigmoid(z_o)
    tanh_c = np.tanh(f * c_prev + i * g)
    dc_total = dc + dh * o * (1 - tanh_c**2)
    dz = np.concatenate(
        [
            dc_total * g * i * (1 - i),
            dc_total * c_prev * f * (1 - f),
            dc_total * i * (1 - g**2),
            dh * tanh_c * o * (1 - o),
        ],
        axis=1,
    )
    return dz @ W.T, dz @ U.T, dc_total * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


def _lstm_bptt(
    dhs: np.ndarray, x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, ...]:
    batch, steps, _ = x.shape
    hidden = U.shape[0]
    hs, cs = [np.zeros((batch, hidden))], [np.zeros((batch, hidden))]
    for t in range(steps):
        h, c = _lstm_step(x[:, t], hs[-1], cs[-1], W, U, b)
        hs.append(h)
        cs.append(c)
    dx = np.zeros_like(x)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    dh_next, dc_next = np.zeros((batch, hidden)), np.zeros((batch, hidden))
    for t in reversed(range(steps)):
        dx[:, t], dh_next, dc_next, step_W, step_U, step_b = _lstm_step_backward(
            dhs[:, t] + dh_next, dc_next, x[:, t], hs[t], cs[t], W, U, b
        )
        dW, dU, db = dW + step_W, dU + step_U, db + step_b
    return dx, dW, dU, db


def _adam_step(
    w: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float = 1e-3,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-7,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = m + (g - m) * (1 - beta_1)
    v = v + (g * g - v) * (1 - beta_2)
    alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return w - alpha * m / (np.sqrt(v) + epsilon), m, v


def _persistence_forecast(x: np.ndarray) -> np.ndarray:
    return x[:, -1, 0]


def _recursive_forecast(
    predict_fn: Callable[[np.ndarray], np.ndarray], window: np.ndarray, horizon: int
) -> np.ndarray:
    window = window.copy()
    out = np.empty(horizon)
    for k in range(horizon):
        out[k] = predict_fn(window.reshape(1, -1, 1))[0]
        window = np.append(window[1:], out[k])
    return out


def _gru_step(
    x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    # Keras' GRU (reset_after=True): blocks z, r, h; bias (2, 3H) = input bias, recurrent bias.
    x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=1)
    h_z, h_r, h_h = np.split(h_prev @ recurrent + bias[1], 3, axis=1)
    z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
    candidate = np.tanh(x_h + r * h_h)
    return z * h_prev + (1 - z) * candidate


def _sine_model_param_count(input_size: int, hidden_size: int) -> int:
    # LSTM: four blocks, each D*H input weights, H*H recurrent weights, H biases; then Dense(1).
    lstm = 4 * (input_size * hidden_size + hidden_size * hidden_size + hidden_size)
    return lstm + hidden_size + 1


def _sine_model_predict(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    dense_kernel: np.ndarray,
    dense_bias: np.ndarray,
) -> np.ndarray:
    # Keras' LSTM(H) returns only the last hidden state h_T; Dense(1) maps it to one number.
    h = c = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
    for t in range(x.shape[1]):
        h, c = _lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
    return (h @ dense_kernel + dense_bias)[:, 0]


def _fit_ar(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
    # Least squares on the last `order` values of each window and a column of ones for the constant.
    design = np.hstack([x[:, -order:, 0], np.ones((x.shape[0], 1))])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    return solution[:order], float(solution[order])


def _split_in_time(
    series: np.ndarray, look_back: int, cut: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    # Training: every window whose inputs AND target lie before the cut.
    # Test: every target at or after the cut, with the look_back values before it.
    return (*_all_windows(series[:cut], look_back), *_all_windows(series[cut - look_back :], look_back))


def _peephole_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    b: np.ndarray,
    P: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    # Gers et al. (2002): i and f look at the old cell state, o at the new one. P rows: i, f, o.
    z_i, z_f, z_g, z_o = np.split(x_t @ W + h_prev @ U + b, 4, axis=1)
    i, f = _sigmoid(z_i + P[0] * c_prev), _sigmoid(z_f + P[1] * c_prev)
    c = f * c_prev + i * np.tanh(z_g)
    o = _sigmoid(z_o + P[2] * c)
    return o * np.tanh(c), c


def _cifg_step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    # Coupled input and forget gates: i = 1 - f; the input gate's block of W, U, b goes unused.
    _, z_f, z_g, z_o = np.split(x_t @ W + h_prev @ U + b, 4, axis=1)
    f, g, o = _sigmoid(z_f), np.tanh(z_g), _sigmoid(z_o)
    c = f * c_prev + (1 - f) * g
    return o * np.tanh(c), c


_solutions = {
    "make_windows": _make_windows,
    "rnn_step": _rnn_step,
    "hidden_grad_norms": _hidden_grad_norms,
    "clip_by_global_norm": _clip_by_global_norm,
    "sigmoid": _sigmoid,
    "lstm_step": _lstm_step,
    "split_keras_lstm": _split_keras_lstm,
    "torch_to_keras": _torch_to_keras,
    "cell_path_gain": _cell_path_gain,
    "lstm_step_backward": _lstm_step_backward,
    "lstm_bptt": _lstm_bptt,
    "adam_step": _adam_step,
    "persistence_forecast": _persistence_forecast,
    "recursive_forecast": _recursive_forecast,
    "gru_step": _gru_step,
    "sine_model_param_count": _sine_model_param_count,
    "sine_model_predict": _sine_model_predict,
    "fit_ar": _fit_ar,
    "split_in_time": _split_in_time,
    "peephole_step": _peephole_step,
    "cifg_step": _cifg_step,
}

# --------------------------------------------------------------------------- common mistakes


def _lstm_step_order(order: str) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """lstm_step reading the four blocks in another order (e.g. "igfo")."""

    def step(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
        blocks = dict(zip(order, np.split(x_t @ W + h_prev @ U + b, 4, axis=1), strict=True))
        i, f, g, o = _sigmoid(blocks["i"]), _sigmoid(blocks["f"]), np.tanh(blocks["g"]), _sigmoid(blocks["o"])
        c = f * c_prev + i * g
        return o * np.tanh(c), c

    return step


def _lstm_step_variant(kind: str) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    def step(x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
        z = x_t @ W + h_prev @ U + (0 if kind == "no_bias" else b)
        z_i, z_f, z_g, z_o = np.split(z, 4, axis=1)
        gate = np.tanh if kind == "tanh_gates" else _sigmoid
        i, f, o = gate(z_i), gate(z_f), gate(z_o)
        g = _sigmoid(z_g) if kind == "sigmoid_candidate" else np.tanh(z_g)
        c = (c_prev if kind == "no_forget" else f * c_prev) + i * g
        h = o * c if kind == "no_tanh_c" else o * np.tanh(c)
        return h, c

    return step


_LSTM_STEP_MISTAKES: list[tuple[Callable[..., Any], str]] = [
    (_lstm_step_order("igfo"), "wrong gate order: the blocks of W, U, b are i, f, g, o (Keras: i, f, c, o)."),
    (
        _lstm_step_order("ifog"),
        "wrong gate order: the candidate is the third block, the output gate the fourth.",
    ),
    (_lstm_step_order("figo"), "wrong gate order: the input gate comes first, then the forget gate."),
    (_lstm_step_variant("no_forget"), "the forget gate is missing: c_t = f_t * c_(t-1) + i_t * g_t."),
    (_lstm_step_variant("tanh_gates"), "the gates i, f, o use the sigmoid, not tanh."),
    (_lstm_step_variant("sigmoid_candidate"), "the candidate g uses tanh, not the sigmoid."),
    (_lstm_step_variant("no_tanh_c"), "h_t = o_t * tanh(c_t): the cell state goes through tanh."),
    (_lstm_step_variant("no_bias"), "the bias b is missing from z_t = x_t W + h_(t-1) U + b."),
]


# --------------------------------------------------------------------------- cases


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _lstm_cases(seed: int = 0) -> list[Case]:
    cases = []
    for k, (batch, inputs, hidden) in enumerate([(1, 1, 4), (3, 2, 5), (2, 3, 1), (1, 1, 1)]):
        rng = _rng(seed + k)
        args = (
            rng.normal(size=(batch, inputs)),
            rng.normal(size=(batch, hidden)),
            rng.normal(size=(batch, hidden)),
            rng.normal(scale=0.7, size=(inputs, 4 * hidden)),
            rng.normal(scale=0.7, size=(hidden, 4 * hidden)),
            rng.normal(size=4 * hidden),
        )
        cases.append(Case(args, f"B={batch}, D={inputs}, H={hidden}"))
    return cases


def check_make_windows(your_fn: Callable[..., Any]) -> CheckResult:
    """``make_windows(series, look_back) -> (x, y)``: series (n,), x (N, look_back, 1), y (N,),
    N = n - look_back - 1 (the classic loop)."""
    cases = [
        Case((np.sin(np.arange(40) / 3.0), 5), "n=40, look_back=5"),
        Case((_rng(1).normal(size=12), 1), "n=12, look_back=1"),
        Case((np.arange(11, dtype=float), 9), "n=11, look_back=9"),
    ]

    def target_in_window(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
        x, _ = _make_windows(series, look_back)
        return x, series[look_back - 1 : look_back - 1 + len(x)]

    def no_feature_axis(series: np.ndarray, look_back: int) -> tuple[np.ndarray, np.ndarray]:
        x, y = _make_windows(series, look_back)
        return x[:, :, 0], y

    mistakes = [
        (
            _all_windows,  # keeps the last window
            "the classic loop runs for i in range(len(series) - look_back - 1): it drops the last window.",
        ),
        (target_in_window, "the target is the value right after the window, series[i + look_back]."),
        (
            no_feature_axis,
            "recurrent layers want [samples, time steps, features]: add a last axis of size 1.",
        ),
    ]
    return _run("make_windows", your_fn, _make_windows, cases, mistakes)


def check_rnn_step(your_fn: Callable[..., Any]) -> CheckResult:
    """``rnn_step(x_t, h_prev, W, U, b) -> h_t``: x_t (B, D), h_prev (B, H), W (D, H), U (H, H), b (H,)."""
    cases = []
    for k, (batch, inputs, hidden) in enumerate([(1, 1, 3), (4, 2, 5), (2, 3, 1)]):
        rng = _rng(10 + k)
        cases.append(
            Case(
                (
                    rng.normal(size=(batch, inputs)),
                    rng.normal(size=(batch, hidden)),
                    rng.normal(size=(inputs, hidden)),
                    rng.normal(size=(hidden, hidden)),
                    rng.normal(size=hidden),
                ),
                f"B={batch}, D={inputs}, H={hidden}",
            )
        )
    mistakes = [
        (
            lambda x, h, W, U, b: _sigmoid(x @ W + h @ U + b),
            "the vanilla RNN squashes with tanh, not the sigmoid.",
        ),
        (lambda x, h, W, U, b: np.tanh(x @ W + h @ U), "the bias b is missing."),
        (lambda x, h, W, U, b: np.tanh(x @ W + h @ U.T + b), "row vectors: h_prev @ U, not h_prev @ U.T."),
        (lambda x, h, W, U, b: x @ W + h @ U + b, "the new state goes through tanh."),
    ]
    return _run("rnn_step", your_fn, _rnn_step, cases, mistakes)


def check_hidden_grad_norms(your_fn: Callable[..., Any]) -> CheckResult:
    """``hidden_grad_norms(x, W, U, b) -> norms``: x (B, T, D); norms (T,) with
    norms[t] = ||dL/dh_(t+1)|| for L = sum(h_T), the RNN starting from h_0 = 0."""
    cases = []
    for k, (batch, steps, inputs, hidden) in enumerate([(1, 6, 1, 3), (3, 12, 2, 5), (2, 4, 1, 1)]):
        rng = _rng(20 + k)
        cases.append(
            Case(
                (
                    rng.normal(size=(batch, steps, inputs)),
                    rng.normal(size=(inputs, hidden)),
                    rng.normal(scale=0.6, size=(hidden, hidden)),
                    rng.normal(size=hidden),
                ),
                f"B={batch}, T={steps}, D={inputs}, H={hidden}",
            )
        )

    def no_tanh_prime(x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
        steps = x.shape[1]
        grad = np.ones((x.shape[0], U.shape[0]))
        norms = np.empty(steps)
        for t in reversed(range(steps)):
            norms[t] = np.linalg.norm(grad)
            grad = grad @ U.T
        return norms

    mistakes = [
        (no_tanh_prime, "each step back multiplies by diag(1 - h_t^2) too, not only by U^T."),
        (_hidden_grad_norms_wrong_u, "with row vectors the step back is (dh * (1 - h^2)) @ U.T, not @ U."),
    ]
    return _run("hidden_grad_norms", your_fn, _hidden_grad_norms, cases, mistakes)


def _hidden_grad_norms_wrong_u(x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> np.ndarray:
    steps = x.shape[1]
    h = np.zeros((x.shape[0], U.shape[0]))
    hs = []
    for t in range(steps):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        hs.append(h)
    grad = np.ones_like(h)
    norms = np.empty(steps)
    for t in reversed(range(steps)):
        norms[t] = np.linalg.norm(grad)
        grad = (grad * (1 - hs[t] ** 2)) @ U
    return norms


def check_clip_by_global_norm(your_fn: Callable[..., Any]) -> CheckResult:
    """``clip_by_global_norm(grads, max_norm) -> clipped``: a list of arrays scaled together so that
    their joint norm is at most max_norm."""
    rng = _rng(30)
    cases = [
        Case(([rng.normal(size=(3, 4)), rng.normal(size=5)], 1.0), "two arrays, norm above max_norm"),
        Case(([rng.normal(size=(2, 2)) * 0.01], 1.0), "one small array, norm below max_norm"),
        Case(([rng.normal(size=4) * 3, rng.normal(size=(1, 1)), rng.normal(size=3)], 2.5), "three arrays"),
    ]

    def per_array(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
        return [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]

    def always_scale(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * max_norm / norm for g in grads]

    mistakes = [
        (per_array, "clip by the global norm of all arrays together, not each array on its own."),
        (always_scale, "only scale when the norm exceeds max_norm; smaller gradients stay as they are."),
    ]
    return _run("clip_by_global_norm", your_fn, _clip_by_global_norm, cases, mistakes)


def check_sigmoid(your_fn: Callable[..., Any]) -> CheckResult:
    """``sigmoid(z)``: elementwise, any shape; must not overflow or warn for |z| up to 1e4."""
    cases = [
        Case((np.linspace(-8, 8, 33),), "moderate values"),
        Case((np.array([[-1e4, -800.0, -50.0], [50.0, 800.0, 1e4]]),), "|z| up to 1e4"),
        Case((_rng(40).normal(scale=20, size=(3, 4)),), "random, shape (3, 4)"),
    ]
    mistakes = [
        (lambda z: np.tanh(z), "that is tanh; the sigmoid is 1 / (1 + exp(-z)), with values in (0, 1)."),
        (lambda z: 1 / (1 + np.exp(z)), "sign error: sigmoid(z) = 1 / (1 + exp(-z))."),
    ]
    return _run("sigmoid", your_fn, _sigmoid, cases, mistakes, strict_warnings=True)


def check_lstm_step(your_fn: Callable[..., Any]) -> CheckResult:
    """``lstm_step(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t)``: shapes (B, D), (B, H), (B, H),
    W (D, 4H), U (H, 4H), b (4H,); blocks i, f, g, o."""
    return _run("lstm_step", your_fn, _lstm_step, _lstm_cases(50), _LSTM_STEP_MISTAKES)


def check_split_keras_lstm(your_fn: Callable[..., Any]) -> CheckResult:
    """``split_keras_lstm(kernel, recurrent_kernel, bias) -> dict``: keys "i", "f", "c", "o", each
    mapping to (W_k, U_k, b_k) with shapes (D, H), (H, H), (H,)."""
    cases = []
    for k, (inputs, hidden) in enumerate([(1, 4), (3, 2), (2, 1)]):
        rng = _rng(60 + k)
        cases.append(
            Case(
                (
                    rng.normal(size=(inputs, 4 * hidden)),
                    rng.normal(size=(hidden, 4 * hidden)),
                    rng.normal(size=4 * hidden),
                ),
                f"D={inputs}, H={hidden}",
            )
        )

    def order(names: str) -> Callable[..., dict[str, Any]]:
        def split(kernel: np.ndarray, recurrent: np.ndarray, bias: np.ndarray) -> dict[str, Any]:
            blocks = [np.split(m, 4, axis=-1) for m in (kernel, recurrent, bias)]
            return {name: (blocks[0][k], blocks[1][k], blocks[2][k]) for k, name in enumerate(names)}

        return split

    mistakes = [
        (order("icfo"), "Keras' order is i, f, c, o: the forget gate is the second block."),
        (order("ifoc"), "Keras' order is i, f, c, o: the candidate c is the third block, o the fourth."),
        (order("fico"), "Keras' order is i, f, c, o: the input gate is the first block."),
    ]
    return _run("split_keras_lstm", your_fn, _split_keras_lstm, cases, mistakes)


def check_torch_to_keras(your_fn: Callable[..., Any]) -> CheckResult:
    """``torch_to_keras(weight_ih, weight_hh, bias_ih, bias_hh) -> (kernel, recurrent_kernel, bias)``:
    torch's (4H, D), (4H, H), (4H,), (4H,) to Keras' (D, 4H), (H, 4H), (4H,)."""
    cases = []
    for k, (inputs, hidden) in enumerate([(1, 4), (3, 2), (2, 2)]):
        rng = _rng(70 + k)
        cases.append(
            Case(
                (
                    rng.normal(size=(4 * hidden, inputs)),
                    rng.normal(size=(4 * hidden, hidden)),
                    rng.normal(size=4 * hidden),
                    rng.normal(size=4 * hidden),
                ),
                f"D={inputs}, H={hidden}",
            )
        )
    mistakes = [
        (lambda wi, wh, bi, bh: (wi.T, wh.T, bi), "torch keeps two biases; Keras' bias is their sum."),
        (lambda wi, wh, bi, bh: (wi, wh, bi + bh), "torch stores W and U transposed: (4H, D) and (4H, H)."),
        (
            lambda wi, wh, bi, bh: (wi.T, wh, bi + bh),
            "both matrices need transposing, the recurrent one too.",
        ),
    ]
    return _run("torch_to_keras", your_fn, _torch_to_keras, cases, mistakes)


def check_cell_path_gain(your_fn: Callable[..., Any]) -> CheckResult:
    """``cell_path_gain(forget_gates) -> gain``: forget gates (B, T, H) to (B, H), the factor by which the
    direct cell path scales dL/dc_T on its way back to c_0."""
    cases = [
        Case((_rng(80).uniform(0.5, 1.0, size=(1, 10, 4)),), "B=1, T=10, H=4"),
        Case((_rng(81).uniform(0.0, 1.0, size=(3, 5, 1)),), "B=3, T=5, H=1"),
        Case((np.full((2, 20, 2), 0.9),), "constant 0.9, T=20"),
    ]
    mistakes = [
        (lambda f: f.sum(axis=1), "the factors multiply: dc_(t-1) = dc_t * f_t at every step."),
        (
            lambda f: np.prod(f[:, :-1], axis=1),
            "all T forget gates f_1 .. f_T lie on the path from c_T to c_0.",
        ),
        (lambda f: np.prod(f, axis=2), "multiply over time (axis 1), one factor per unit."),
    ]
    return _run("cell_path_gain", your_fn, _cell_path_gain, cases, mistakes)


def _lstm_backward_cases(seed: int) -> list[Case]:
    cases = []
    for case in _lstm_cases(seed):
        x_t, h_prev, c_prev, W, U, b = case.args
        rng = _rng(seed + 100)
        dh, dc = rng.normal(size=h_prev.shape), rng.normal(size=h_prev.shape)
        cases.append(Case((dh, dc, x_t, h_prev, c_prev, W, U, b), case.shapes))
    return cases


def check_lstm_step_backward(your_fn: Callable[..., Any]) -> CheckResult:
    """``lstm_step_backward(dh, dc, x_t, h_prev, c_prev, W, U, b) -> (dx, dh_prev, dc_prev, dW, dU, db)``:
    dh = dL/dh_t, dc = dL/dc_t from later steps."""

    def variant(kind: str) -> Callable[..., tuple[np.ndarray, ...]]:
        def backward(dh: Any, dc: Any, x_t: Any, h_prev: Any, c_prev: Any, W: Any, U: Any, b: Any) -> Any:
            z_i, z_f, z_g, z_o = np.split(x_t @ W + h_prev @ U + b, 4, axis=1)
            i, f, g, o = _sigmoid(z_i), _sigmoid(z_f), np.tanh(z_g), _sigmoid(z_o)
            tanh_c = np.tanh(f * c_prev + i * g)
            through_h = dh * o if kind == "no_tanh_prime" else dh * o * (1 - tanh_c**2)
            total = through_h if kind == "no_dc" else dc + through_h
            dz = np.concatenate(
                [
                    total * g * i * (1 - i),
                    total * c_prev * f * (1 - f),
                    total * i * (1 - g**2),
                    dh * tanh_c * o * (1 - o),
                ],
                axis=1,
            )
            dc_prev = total if kind == "no_forget" else total * f
            return dz @ W.T, dz @ U.T, dc_prev, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)

        return backward

    mistakes = [
        (
            variant("no_tanh_prime"),
            "h_t = o * tanh(c_t): the gradient reaching c_t is dh * o * (1 - tanh(c_t)^2).",
        ),
        (
            variant("no_forget"),
            "dc_(t-1) = dc_t * f_t: the forget gate scales the gradient on the cell path.",
        ),
        (variant("no_dc"), "add the dc arriving from the next step to the part that comes through h_t."),
    ]
    return _run("lstm_step_backward", your_fn, _lstm_step_backward, _lstm_backward_cases(90), mistakes)


def check_lstm_bptt(your_fn: Callable[..., Any]) -> CheckResult:
    """``lstm_bptt(dhs, x, W, U, b) -> (dx, dW, dU, db)``: full BPTT from zero initial states;
    dhs (B, T, H) = dL/dh_t, x (B, T, D)."""
    cases = []
    for k, (batch, steps, inputs, hidden) in enumerate([(1, 5, 1, 3), (2, 7, 2, 4), (3, 3, 1, 1)]):
        rng = _rng(110 + k)
        cases.append(
            Case(
                (
                    rng.normal(size=(batch, steps, hidden)),
                    rng.normal(size=(batch, steps, inputs)),
                    rng.normal(scale=0.7, size=(inputs, 4 * hidden)),
                    rng.normal(scale=0.7, size=(hidden, 4 * hidden)),
                    rng.normal(size=4 * hidden),
                ),
                f"B={batch}, T={steps}, D={inputs}, H={hidden}",
            )
        )

    def no_carry(dhs: np.ndarray, x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> Any:
        from .lstm import LSTMParams, lstm_backward, lstm_forward

        params = LSTMParams(W, U, b)
        dx, grads, _, _ = lstm_backward(dhs, lstm_forward(x, params)[1], truncate=1)
        return dx, grads.W, grads.U, grads.b

    def no_dc_carry(dhs: np.ndarray, x: np.ndarray, W: np.ndarray, U: np.ndarray, b: np.ndarray) -> Any:
        steps = x.shape[1]
        hs, cs = [np.zeros(dhs[:, 0].shape)], [np.zeros(dhs[:, 0].shape)]
        for t in range(steps):
            h, c = _lstm_step(x[:, t], hs[-1], cs[-1], W, U, b)
            hs.append(h)
            cs.append(c)
        dx, dW, dU, db = np.zeros_like(x), np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
        dh_next = np.zeros_like(hs[0])
        for t in reversed(range(steps)):
            dx[:, t], dh_next, _, gW, gU, gb = _lstm_step_backward(
                dhs[:, t] + dh_next, np.zeros_like(dh_next), x[:, t], hs[t], cs[t], W, U, b
            )
            dW, dU, db = dW + gW, dU + gU, db + gb
        return dx, dW, dU, db

    mistakes = [
        (
            no_carry,
            "carry dh and dc back to the previous step: dh_(t-1) gets dz_t @ U.T, dc_(t-1) gets dc_t * f_t.",
        ),
        (no_dc_carry, "carry dc back as well: the cell path dc_(t-1) = dc_t * f_t is the long-range one."),
    ]
    return _run("lstm_bptt", your_fn, _lstm_bptt, cases, mistakes)


def check_adam_step(your_fn: Callable[..., Any]) -> CheckResult:
    """``adam_step(w, g, m, v, t, lr=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7) -> (w, m, v)``,
    Keras 3's rule; t counts from 1."""
    cases = []
    for k, (shape, t) in enumerate([((3,), 1), ((2, 2), 5), ((4,), 100)]):
        rng = _rng(120 + k)
        cases.append(
            Case(
                (
                    rng.normal(size=shape),
                    rng.normal(size=shape),
                    rng.normal(size=shape) * 0.1,
                    rng.uniform(0, 0.1, size=shape),
                    t,
                ),
                f"shape {shape}, t={t}",
            )
        )
    # Tiny gradients, where epsilon is as large as sqrt(v) and its placement shows.
    tiny = 1e-6 * _rng(123).normal(size=4)
    cases.append(
        Case((_rng(124).normal(size=4), tiny, np.zeros(4), np.zeros(4), 1), "shape (4,), t=1, |g| ~ 1e-6")
    )

    def paper_epsilon(w: Any, g: Any, m: Any, v: Any, t: int) -> Any:
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        return w - 1e-3 * m_hat / (np.sqrt(v_hat) + 1e-7), m, v

    def no_correction(w: Any, g: Any, m: Any, v: Any, t: int) -> Any:
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        return w - 1e-3 * m / (np.sqrt(v) + 1e-7), m, v

    mistakes = [
        (
            paper_epsilon,
            "Keras adds epsilon to sqrt(v), outside the bias correction: "
            "w -= lr * sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon).",
        ),
        (
            no_correction,
            "the bias correction is missing: scale the step by sqrt(1 - beta_2^t) / (1 - beta_1^t).",
        ),
    ]
    return _run("adam_step", your_fn, _adam_step, cases, mistakes)


def check_persistence_forecast(your_fn: Callable[..., Any]) -> CheckResult:
    """``persistence_forecast(x) -> y_hat``: windows (N, look_back, 1) to (N,), "tomorrow = today"."""
    cases = [
        Case((_rng(130).normal(size=(5, 10, 1)),), "N=5, look_back=10"),
        Case((_rng(131).normal(size=(1, 1, 1)),), "N=1, look_back=1"),
    ]
    mistakes = [
        (lambda x: x[:, 0, 0], "persistence repeats the LAST value of each window, x[:, -1, 0]."),
        (lambda x: x[:, :, 0].mean(axis=1), "that is the window mean; persistence repeats the last value."),
    ]
    return _run("persistence_forecast", your_fn, _persistence_forecast, cases, mistakes)


def check_recursive_forecast(your_fn: Callable[..., Any]) -> CheckResult:
    """``recursive_forecast(predict_fn, window, horizon) -> (horizon,)``: predict one step, append the
    prediction to the window, drop its oldest value, repeat. predict_fn maps (1, look_back, 1) to (1,)."""

    def linear(weights: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: x[:, :, 0] @ weights

    cases = [
        Case(
            (linear(np.array([-1.0, 2 * np.cos(0.3)])), np.sin(np.array([0.0, 0.3])), 20),
            "AR(2) on a sine, 20 steps",
        ),
        Case((linear(np.array([0.2, 0.3, 0.4])), np.array([1.0, 2.0, 3.0]), 5), "look_back=3, 5 steps"),
    ]

    def same_window(predict_fn: Any, window: np.ndarray, horizon: int) -> np.ndarray:
        return np.repeat(predict_fn(window.reshape(1, -1, 1))[0], horizon)

    def wrong_end(predict_fn: Any, window: np.ndarray, horizon: int) -> np.ndarray:
        window = window.copy()
        out = np.empty(horizon)
        for k in range(horizon):
            out[k] = predict_fn(window.reshape(1, -1, 1))[0]
            window = np.append(out[k], window[:-1])
        return out

    mistakes = [
        (same_window, "feed each prediction back: the window must move forward one step per prediction."),
        (
            wrong_end,
            "append the prediction at the END of the window (newest last) and drop the oldest value.",
        ),
    ]
    return _run("recursive_forecast", your_fn, _recursive_forecast, cases, mistakes)


def check_gru_step(your_fn: Callable[..., Any]) -> CheckResult:
    """``gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> h_t``, Keras' GRU with reset_after=True:
    kernel (D, 3H), recurrent_kernel (H, 3H), bias (2, 3H), blocks z, r, h."""
    cases = []
    for k, (batch, inputs, hidden) in enumerate([(1, 1, 3), (2, 2, 4), (3, 1, 1)]):
        rng = _rng(140 + k)
        cases.append(
            Case(
                (
                    rng.normal(size=(batch, inputs)),
                    rng.normal(size=(batch, hidden)),
                    rng.normal(size=(inputs, 3 * hidden)),
                    rng.normal(scale=0.7, size=(hidden, 3 * hidden)),
                    rng.normal(size=(2, 3 * hidden)),
                ),
                f"B={batch}, D={inputs}, H={hidden}",
            )
        )

    def reset_before(x_t: Any, h_prev: Any, kernel: Any, recurrent: Any, bias: Any) -> np.ndarray:
        hidden = h_prev.shape[1]
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=1)
        h_z, h_r, _ = np.split(h_prev @ recurrent + bias[1], 3, axis=1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        candidate = np.tanh(x_h + (r * h_prev) @ recurrent[:, 2 * hidden :] + bias[1][2 * hidden :])
        return z * h_prev + (1 - z) * candidate

    def swapped_update(x_t: Any, h_prev: Any, kernel: Any, recurrent: Any, bias: Any) -> np.ndarray:
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=1)
        h_z, h_r, h_h = np.split(h_prev @ recurrent + bias[1], 3, axis=1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        return (1 - z) * h_prev + z * np.tanh(x_h + r * h_h)

    def torch_order(x_t: Any, h_prev: Any, kernel: Any, recurrent: Any, bias: Any) -> np.ndarray:
        x_r, x_z, x_h = np.split(x_t @ kernel + bias[0], 3, axis=1)
        h_r, h_z, h_h = np.split(h_prev @ recurrent + bias[1], 3, axis=1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        return z * h_prev + (1 - z) * np.tanh(x_h + r * h_h)

    mistakes = [
        (
            reset_before,
            "Keras' default reset_after=True applies r AFTER the recurrent product: "
            "tanh(x_h + r * (h U_h + b_h)).",
        ),
        (swapped_update, "Keras keeps the old state with z: h_t = z * h_(t-1) + (1 - z) * candidate."),
        (torch_order, "Keras' blocks are z, r, h (torch's are r, z, n)."),
    ]
    return _run("gru_step", your_fn, _gru_step, cases, mistakes)


def check_sine_model_param_count(your_fn: Callable[..., Any]) -> CheckResult:
    """``sine_model_param_count(input_size, hidden_size) -> int``: the weights of LSTM(H) then Dense(1)."""
    cases = [Case((1, 4), "D=1, H=4 (the classic model)"), Case((3, 7), "D=3, H=7"), Case((2, 1), "D=2, H=1")]

    def count(lstm_blocks: int, biases_per_block: int, dense: bool) -> Callable[[int, int], int]:
        def wrong(d: int, h: int) -> int:
            return lstm_blocks * (d * h + h * h + biases_per_block * h) + (h + 1 if dense else 0)

        return wrong

    mistakes = [
        (count(4, 0, True), "each of the four blocks has a bias vector of H numbers."),
        (count(1, 1, True), "W, U and b hold four blocks (i, f, g, o), each D*H + H*H + H numbers."),
        (count(4, 2, True), "Keras keeps ONE bias per block; PyTorch's two biases (b_ih, b_hh) are a sum."),
        (count(4, 1, False), "the Dense(1) layer adds H weights and one bias."),
    ]
    return _run("sine_model_param_count", your_fn, _sine_model_param_count, cases, mistakes)


def check_sine_model_predict(your_fn: Callable[..., Any]) -> CheckResult:
    """``sine_model_predict(x, kernel, recurrent_kernel, bias, dense_kernel, dense_bias) -> (N,)``:
    the classic model's forward pass from Keras' five weight arrays, x of shape (N, T, D)."""
    cases = []
    for k, (n, steps, inputs, hidden) in enumerate([(5, 10, 1, 4), (1, 3, 2, 3), (4, 1, 1, 1)]):
        rng = _rng(150 + k)
        args = (
            rng.normal(size=(n, steps, inputs)),
            rng.normal(scale=0.8, size=(inputs, 4 * hidden)),
            rng.normal(scale=0.5, size=(hidden, 4 * hidden)),
            rng.normal(scale=0.5, size=4 * hidden),
            rng.normal(size=(hidden, 1)),
            rng.normal(size=1),
        )
        cases.append(Case(args, f"N={n}, T={steps}, D={inputs}, H={hidden}"))

    def readout(kind: str) -> Callable[..., np.ndarray]:
        def wrong(x: Any, W: Any, U: Any, b: Any, V: Any, a: Any) -> np.ndarray:
            h = c = np.zeros((x.shape[0], U.shape[0]))
            hs, cs = [], []
            for t in range(x.shape[1]):
                h, c = _lstm_step(x[:, t], h, c, W, U, b)
                hs.append(h)
                cs.append(c)
            chosen = {"first": hs[0], "mean": np.mean(hs, axis=0), "cell": cs[-1], "no_bias": hs[-1]}[kind]
            return (chosen @ V + (0 if kind == "no_bias" else a))[:, 0]

        return wrong

    mistakes = [
        (readout("first"), "Dense reads the LAST hidden state h_T, after all T steps."),
        (readout("mean"), "LSTM(H) without return_sequences returns only h_T, not an average over time."),
        (readout("cell"), "Dense reads the hidden state h_T = o_T * tanh(c_T), not the cell state c_T."),
        (readout("no_bias"), "the Dense layer's bias is missing: y_hat = h_T V + a."),
    ]
    return _run("sine_model_predict", your_fn, _sine_model_predict, cases, mistakes)


def check_fit_ar(your_fn: Callable[..., Any]) -> CheckResult:
    """``fit_ar(x, y, order) -> (coef, intercept)``: least squares AR(order) with a constant, on windows
    x (N, look_back, 1) and targets y (N,); coef (order,) oldest first, intercept a float."""
    cases = []
    for k, (n, look_back, order) in enumerate([(40, 10, 2), (30, 5, 5), (12, 3, 1)]):
        rng = _rng(160 + k)
        x = rng.normal(size=(n, look_back, 1))
        # Targets that depend on the last values unevenly, plus a constant and noise: every slip shows.
        y = x[:, -order:, 0] @ rng.normal(size=order) + 0.7 + 0.1 * rng.normal(size=n)
        cases.append(Case((x, y, order), f"N={n}, look_back={look_back}, order={order}"))

    def no_intercept(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
        coef, *_ = np.linalg.lstsq(x[:, -order:, 0], y, rcond=None)
        return coef, 0.0

    def first_values(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
        return _fit_ar(x[:, :order], y, order)

    def newest_first(x: np.ndarray, y: np.ndarray, order: int) -> tuple[np.ndarray, float]:
        coef, intercept = _fit_ar(x, y, order)
        return coef[::-1], intercept

    mistakes = [
        (no_intercept, "the model has a constant c: add a column of ones to the design matrix."),
        (first_values, "use the LAST `order` values of each window, x[:, -order:, 0]: the most recent past."),
        (newest_first, "return coef oldest first, in the window's own order: coef[-1] weighs y_(t-1)."),
    ]
    return _run("fit_ar", your_fn, _fit_ar, cases, mistakes)


def check_split_in_time(your_fn: Callable[..., Any]) -> CheckResult:
    """``split_in_time(series, look_back, cut) -> (x_train, y_train, x_test, y_test)``: training windows
    entirely before ``cut``; one test window for every target at or after ``cut``."""
    cases = [
        Case((np.arange(30.0), 4, 20), "n=30, look_back=4, cut=20"),
        Case((np.sin(np.arange(60) / 4.0), 10, 40), "n=60, look_back=10, cut=40"),
        Case((_rng(170).normal(size=9), 1, 5), "n=9, look_back=1, cut=5"),
    ]

    def split_windows(series: np.ndarray, look_back: int, cut: int) -> tuple[np.ndarray, ...]:
        x, y = _all_windows(series, look_back)
        return x[:cut], y[:cut], x[cut:], y[cut:]

    def test_after_cut(series: np.ndarray, look_back: int, cut: int) -> tuple[np.ndarray, ...]:
        x_train, y_train, _, _ = _split_in_time(series, look_back, cut)
        # test windows made from the samples after the cut alone
        return x_train, y_train, *_all_windows(series[cut:], look_back)

    def classic_loop(series: np.ndarray, look_back: int, cut: int) -> tuple[np.ndarray, ...]:
        x_train, y_train, x_test, y_test = _split_in_time(series, look_back, cut)
        return x_train[:-1], y_train[:-1], x_test[:-1], y_test[:-1]

    mistakes = [
        (
            split_windows,
            "splitting the windows at index cut leaks: window i's target is series[i + look_back], so "
            "training targets run past the cut. Cut the SERIES, then make windows on each side.",
        ),
        (
            test_after_cut,
            "the first test target is series[cut]; its inputs may reach back before the cut "
            "(the known past), so start the test windows at cut - look_back.",
        ),
        (classic_loop, "keep every window on both sides: the classic loop's `- 1` drops the last one."),
    ]
    return _run("split_in_time", your_fn, _split_in_time, cases, mistakes)


def _peephole_cases() -> list[Case]:
    cases = []
    for k, (batch, inputs, hidden) in enumerate([(1, 1, 4), (3, 2, 5), (2, 3, 1)]):
        rng = _rng(180 + k)
        args = (
            rng.normal(size=(batch, inputs)),
            rng.normal(size=(batch, hidden)),
            rng.normal(scale=1.5, size=(batch, hidden)),
            rng.normal(scale=0.7, size=(inputs, 4 * hidden)),
            rng.normal(scale=0.7, size=(hidden, 4 * hidden)),
            rng.normal(size=4 * hidden),
            rng.normal(size=(3, hidden)),
        )
        cases.append(Case(args, f"B={batch}, D={inputs}, H={hidden}"))
    return cases


def check_peephole_step(your_fn: Callable[..., Any]) -> CheckResult:
    """``peephole_step(x_t, h_prev, c_prev, W, U, b, P) -> (h_t, c_t)``: the LSTM step with peephole
    weights P (3, H), rows for the input, forget and output gates; the output gate sees the new c_t."""

    def peeks(kind: str) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
        def step(
            x_t: Any, h: Any, c_prev: Any, W: Any, U: Any, b: Any, P: Any
        ) -> tuple[np.ndarray, np.ndarray]:
            if kind == "swapped_rows":
                P = P[[1, 0, 2]]
            if kind == "no_peepholes":
                P = np.zeros_like(P)
            z_i, z_f, z_g, z_o = np.split(x_t @ W + h @ U + b, 4, axis=1)
            i, f = _sigmoid(z_i + P[0] * c_prev), _sigmoid(z_f + P[1] * c_prev)
            c = f * c_prev + i * np.tanh(z_g)
            o = _sigmoid(z_o + P[2] * (c_prev if kind == "old_cell_for_o" else c))
            return o * np.tanh(c), c

        return step

    mistakes = [
        (
            peeks("old_cell_for_o"),
            "the output gate looks at the NEW cell state: o = sigmoid(z_o + P[2] * c_t).",
        ),
        (peeks("swapped_rows"), "P's rows are the input, forget and output gates, in that order (i, f, o)."),
        (peeks("no_peepholes"), "each gate adds its peephole term, e.g. i = sigmoid(z_i + P[0] * c_(t-1))."),
    ]
    return _run("peephole_step", your_fn, _peephole_step, _peephole_cases(), mistakes)


def check_cifg_step(your_fn: Callable[..., Any]) -> CheckResult:
    """``cifg_step(x_t, h_prev, c_prev, W, U, b) -> (h_t, c_t)``: the LSTM step with coupled input and
    forget gates, i = 1 - f (no peepholes); W (D, 4H), U (H, 4H), b (4H,) in the order i, f, g, o."""

    def coupled(kind: str) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
        def step(x_t: Any, h: Any, c_prev: Any, W: Any, U: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
            z_i, z_f, z_g, z_o = np.split(x_t @ W + h @ U + b, 4, axis=1)
            gate_i, f = _sigmoid(z_i), _sigmoid(z_f)
            i = {"same": f, "uncoupled": gate_i, "from_input": gate_i}[kind]
            if kind == "from_input":
                f = 1 - gate_i
            c = f * c_prev + i * np.tanh(z_g)
            return _sigmoid(z_o) * np.tanh(c), c

        return step

    mistakes = [
        (coupled("same"), "coupled means complementary: i = 1 - f, not i = f."),
        (coupled("uncoupled"), "that is the plain LSTM: with coupled gates the input gate is i = 1 - f."),
        (
            coupled("from_input"),
            "compute the FORGET gate from the second block and derive i = 1 - f; the first block is unused.",
        ),
    ]
    return _run("cifg_step", your_fn, _cifg_step, _lstm_cases(190), mistakes)


EXERCISES: dict[str, tuple[str, str, Callable[[Callable[..., Any]], CheckResult], Callable[..., Any]]] = {
    "ch01-make-windows": ("01_rnn", "Sliding windows", check_make_windows, _make_windows),
    "ch01-rnn-step": ("01_rnn", "One RNN step", check_rnn_step, _rnn_step),
    "ch01-persistence": (
        "01_rnn",
        "A persistence baseline",
        check_persistence_forecast,
        _persistence_forecast,
    ),
    "ch01-recursive": (
        "01_rnn",
        "A recursive multi-step forecast",
        check_recursive_forecast,
        _recursive_forecast,
    ),
    "ch02-grad-norms": (
        "02_vanishing_gradients",
        "Gradient norms through time",
        check_hidden_grad_norms,
        _hidden_grad_norms,
    ),
    "ch02-clip": (
        "02_vanishing_gradients",
        "Gradient-norm clipping",
        check_clip_by_global_norm,
        _clip_by_global_norm,
    ),
    "ch03-sigmoid": ("03_lstm_gates", "A numerically stable sigmoid", check_sigmoid, _sigmoid),
    "ch03-lstm-step": ("03_lstm_gates", "One LSTM step", check_lstm_step, _lstm_step),
    "ch03-split-keras": ("03_lstm_gates", "Keras weights by hand", check_split_keras_lstm, _split_keras_lstm),
    "ch03-torch-to-keras": (
        "03_lstm_gates",
        "PyTorch weights into Keras' layout",
        check_torch_to_keras,
        _torch_to_keras,
    ),
    "ch03-gru-step": ("03_lstm_gates", "One GRU step", check_gru_step, _gru_step),
    "ch04-cell-path": ("04_cell_state", "The gain of the cell path", check_cell_path_gain, _cell_path_gain),
    "ch05-step-backward": (
        "05_bptt",
        "The backward pass of one step",
        check_lstm_step_backward,
        _lstm_step_backward,
    ),
    "ch05-bptt": ("05_bptt", "The full BPTT loop", check_lstm_bptt, _lstm_bptt),
    "ch05-adam": ("05_bptt", "One Adam step, Keras' way", check_adam_step, _adam_step),
    "ch06-param-count": (
        "06_keras_sine",
        "Counting the weights",
        check_sine_model_param_count,
        _sine_model_param_count,
    ),
    "ch07-predict": (
        "07_two_implementations",
        "The classic model from Keras' arrays",
        check_sine_model_predict,
        _sine_model_predict,
    ),
    "ch08-fit-ar": ("08_forecasting", "An autoregression by least squares", check_fit_ar, _fit_ar),
    "ch08-split": ("08_forecasting", "A split in time", check_split_in_time, _split_in_time),
    "ch09-peephole-step": ("09_variants", "One peephole LSTM step", check_peephole_step, _peephole_step),
    "ch09-cifg-step": ("09_variants", "Coupled input and forget gates", check_cifg_step, _cifg_step),
}
"""Exercise id -> (chapter, title, checker, reference solution)."""
