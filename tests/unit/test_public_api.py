"""Every public name of the package, each with at least one row of this table.

A public name is a name in ``__all__`` of a module of ``lstm_tutorial`` (the package
itself included; a re-export counts once, under the module that defines it), or a
public method or property of such a class (a private base class's, too, when a
public class inherits it). ``test_every_public_name_has_a_row`` fails when one has no
row, so a new public name needs one.

Each row is a call and what it must give: an exception of a given type whose
message contains given fragments (the argument's name first), or a result that a
check compares with numbers worked out here, by hand, not by the code under test.
Names that take no arguments or cannot fail are listed with the one behaviour
checked for them (a constant's value, a property's value). The rows of
``tests/unit/test_validation.py`` (its ``CASES``) are not repeated here; both are counted.
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstm_tutorial
import lstm_tutorial.book.diagrams as diagrams
import lstm_tutorial.book.glue as book
from lstm_tutorial import cli, exercises  # cli.main: the function, which the subpackage re-exports
from lstm_tutorial.book import benchmark, kept, plots
from lstm_tutorial.frameworks import agree, interop, keras_model
from lstm_tutorial.nn import (
    activations,
    bidirectional,
    cell,
    embedding,
    gradcheck,
    gru,
    layers,
    losses,
    lstm,
    lstm_fast,
    model,
    optim,
    rnn,
    saving,
    sequence,
    train,
    variants,
)
from lstm_tutorial.tasks import data, forecast, language, metrics, ngram, probe, text

MACKEY_GLASS = importlib.import_module("lstm_tutorial.tasks.mackey_glass")  # the package exports its function

# --- the table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Raises:
    """The call raises ``error`` and its message contains every fragment."""

    error: type[BaseException]
    fragments: tuple[str, ...]


@dataclass(frozen=True)
class Gives:
    """The call returns a value for which ``check`` is true."""

    check: Callable[[Any], bool]


@dataclass(frozen=True)
class Row:
    name: str  # the public name, as NAMES spells it: "module.function" or "module.Class.method"
    label: str
    call: Callable[[], Any]
    expect: Raises | Gives


ROWS: list[Row] = []


def raises(
    name: str, label: str, call: Callable[[], Any], error: type[BaseException], *fragments: str
) -> None:
    ROWS.append(Row(name, label, call, Raises(error, fragments)))


def gives(name: str, label: str, call: Callable[[], Any], check: Callable[[Any], bool]) -> None:
    ROWS.append(Row(name, label, call, Gives(check)))


def equal(expected: Any) -> Callable[[Any], bool]:
    """Exactly equal (arrays: same shape and values; tuples of mixed things: ==)."""

    def check(got: Any) -> bool:
        try:
            return bool(np.array_equal(np.asarray(got), np.asarray(expected)))
        except ValueError:  # not an array: a tuple of a shape and a string, say
            return bool(got == expected)

    return check


def close(expected: Any, rtol: float = 1e-14) -> Callable[[Any], bool]:
    """Equal to rounding (float64), for numbers the test computes in another order."""
    return lambda got: bool(np.allclose(np.asarray(got), np.asarray(expected), rtol=rtol, atol=0))


# --- book: glue for the chapters' text --------------------------------------------------------

raises(
    "book.glue.glue",
    "name not an identifier",
    lambda: book.glue("two words", 1.0),
    ValueError,
    "name",
    "two words",
)
raises("book.glue.glue", "value a list", lambda: book.glue("x", [1.0]), TypeError, "value", "list")
raises("book.glue.glue", "value a bool", lambda: book.glue("x", True), TypeError, "value", "bool")
gives(
    "book.glue.glue",
    "a NumPy scalar is accepted and nothing is returned",
    lambda: book.glue("x", np.float64(0.5)),
    lambda got: got is None,
)


# --- shared objects (small, fixed seeds) ----------------------------------------------------

P = lstm.LSTMParams.init(3, 4, seed=0)
X = np.random.default_rng(1).normal(size=(2, 5, 3))
H0 = np.zeros((2, 4))
X_T = X[:, 0]
HS, CACHE = lstm.lstm_forward(X, P)
DHS = np.ones((2, 5, 4))
RNN = rnn.RNNParams.init(3, 4, seed=0)
_, RNN_CACHE = rnn.rnn_forward(X, RNN)
GRU = gru.GRUParams.init(3, 4, seed=0)
_, GRU_CACHE = gru.gru_forward(X, GRU)
PEEP = variants.PeepholeParams.init(3, 4, seed=0)
_, PEEP_CACHE = variants.variant_forward(X, PEEP)
_, SEQ_CACHE = sequence.forward(RNN, X)
REG32 = model.LSTMRegressor.init(1, 4, seed=0, dtype=np.float32)
REG64 = model.LSTMRegressor.init(1, 4, seed=0)
SERIES = data.sine_wave(60)
WX, WY = data.make_windows(SERIES, 10)  # (49, 10, 1) float64 windows, the seed article's data
SIG = 1 / (1 + np.exp(-0.5))  # sigmoid(0.5), by hand


def by_hand_model() -> tuple[model.LSTMRegressor, np.ndarray, np.ndarray, float]:
    """A one-step LSTM(1) + Dense(1) whose output and loss are worked out here with plain NumPy."""
    W = np.array([[0.5, -0.25, 1.0, 0.75]])
    U = np.array([[0.1, 0.2, -0.3, 0.4]])
    b = np.array([0.0, 1.0, 0.5, -0.5])
    V, a = np.array([[2.0]]), np.array([0.25])
    m = model.LSTMRegressor(lstm.LSTMParams(W, U, b), V, a)
    x = np.array([[[1.0]], [[-2.0]], [[0.5]]])  # (N, T, D) = (3, 1, 1)
    y = np.array([0.3, -0.1, 0.8])
    z = x[:, 0] @ W + b  # h0 = c0 = 0: the recurrent term vanishes
    i, g, o = 1 / (1 + np.exp(-z[:, 0])), np.tanh(z[:, 2]), 1 / (1 + np.exp(-z[:, 3]))
    y_hat = o * np.tanh(i * g) * V[0, 0] + a[0]  # c_1 = f * 0 + i * g
    return m, x, y, float(np.mean((y_hat - y) ** 2))


HAND, HAND_X, HAND_Y, HAND_MSE = by_hand_model()


def fit_copy(m: model.Sequential, x: Any, y: Any, **kwargs: Any) -> tuple[list[float], list[np.ndarray]]:
    """Train a copy of ``m``: its loss history and final weights."""
    twin = m.copy()
    history = train.fit(twin, x, y, verbose=0, **kwargs)
    return history.loss, twin.get_weights()


def same_training(a: tuple[list[float], list[np.ndarray]], b: tuple[list[float], list[np.ndarray]]) -> bool:
    return a[0] == b[0] and all(np.array_equal(u, v) for u, v in zip(a[1], b[1], strict=True))


def untouched_after(m: model.Sequential, call: Callable[[model.Sequential], Any]) -> Callable[[], Any]:
    """Run ``call`` on a copy of m; if it raises, re-raise after checking that no weight changed."""

    def run() -> Any:
        twin = m.copy()
        try:
            return call(twin)
        finally:
            assert all(np.array_equal(u, v) for u, v in zip(m.parameters(), twin.parameters(), strict=True))

    return run


# --- activations, cell, sequence ------------------------------------------------------------------

gives(
    "nn.activations.sigmoid",
    "sigmoid(0.5) by hand",
    lambda: activations.sigmoid(np.array([0.5])),
    close([SIG]),
)
gives(
    "nn.activations.sigmoid",
    "no overflow at +1000",
    lambda: activations.sigmoid(np.array([1000.0, 40.0])),
    equal([1.0, 1.0]),
)
gives("nn.activations.tanh", "tanh(0.5)", lambda: activations.tanh(np.array([0.5])), close([math.tanh(0.5)]))

gives(
    "nn.cell.CellParams",
    "a base of every cell",
    lambda: cell.CellParams,
    lambda c: issubclass(lstm.LSTMParams, c),
)
gives("nn.cell.State", "a tuple of arrays", lambda: cell.State, lambda s: s == tuple[np.ndarray, ...])
raises(
    "nn.cell.check_cell",
    "wrong kind",
    lambda: cell.check_cell("params", RNN, lstm.LSTMParams),
    TypeError,
    "params",
    "an LSTMParams",
    "RNNParams",
)
raises(
    "nn.cell.check_rng",
    "a seed for a generator",
    lambda: cell.check_rng("rng", 0),
    TypeError,
    "rng",
    "np.random.Generator",
    "int 0",
)
raises(
    "nn.cell.check_state_arg",
    "None",
    lambda: cell.check_state_arg("h_prev", None, 2, P),
    TypeError,
    "h_prev",
    "(2, 4)",
    "got None",
    "zeros",
)
gives(
    "nn.cell.check_state_arg",
    "a (B, H) array passes",
    lambda: cell.check_state_arg("h_prev", H0, 2, P),
    lambda r: r is H0,
)
gives(
    "nn.cell.glorot_uniform",
    "within the Glorot limit",
    lambda: cell.glorot_uniform(np.random.default_rng(0), (3, 5), np.float32),
    lambda w: w.dtype == np.float32 and w.shape == (3, 5) and np.abs(w).max() <= math.sqrt(6 / 8),
)
raises(
    "nn.cell.glorot_uniform",
    "seed in place of a generator",
    lambda: cell.glorot_uniform(0, (3, 5), np.float32),
    TypeError,
    "rng",
    "np.random.Generator",
)
raises(
    "nn.cell.glorot_uniform",
    "zero columns",
    lambda: cell.glorot_uniform(np.random.default_rng(0), (3, 0), np.float32),
    ValueError,
    "shape[1]",
    ">= 1",
)
gives(
    "nn.cell.orthogonal",
    "orthonormal rows",
    lambda: cell.orthogonal(np.random.default_rng(0), (3, 12), np.float64),
    lambda q: np.allclose(q @ q.T, np.eye(3), atol=1e-12),
)
raises(
    "nn.cell.orthogonal",
    "dtype int",
    lambda: cell.orthogonal(np.random.default_rng(0), (3, 3), int),
    TypeError,
    "dtype",
    "float32",
)
raises(
    "nn.cell.orthogonal",
    "shape a list",
    lambda: cell.orthogonal(np.random.default_rng(0), [3, 3], float),
    TypeError,
    "shape",
    "tuple",
)
gives(
    "nn.cell.CellParams.expected_shapes",
    "RNN (H=4, D=3)",
    lambda: RNN.expected_shapes(4),
    lambda s: [(n, shape) for n, shape, _ in s] == [("U", (4, 4)), ("W", (None, 4)), ("b", (4,))],
)
gives(
    "nn.cell.CellParams.unchecked",
    "skips the checks",
    lambda: rnn.RNNParams.unchecked(np.zeros(1), np.zeros(1), np.zeros(1)),
    lambda c: c.W.shape == (1,),
)
gives(
    "nn.cell.CellParams.weight_names",
    "Keras' order",
    lambda: variants.PeepholeParams.weight_names(),
    equal(["W", "U", "b", "P"]),
)
gives(
    "nn.cell.CellParams.config",
    "a variant",
    lambda: PEEP.config(),
    lambda c: c == {"variant": variants.VARIANTS["vanilla"]},
)
gives("nn.cell.CellParams.weights", "live arrays", lambda: P.weights(), lambda w: w[0] is P.W and len(w) == 3)
gives("nn.cell.CellParams.as_list", "the same as weights()", lambda: P.as_list(), lambda w: w[2] is P.b)
gives(
    "nn.cell.CellParams.copy",
    "a deep copy",
    lambda: P.copy(),
    lambda c: c.W is not P.W and np.array_equal(c.W, P.W),
)
gives(
    "nn.cell.CellParams.zeros_like",
    "zeros",
    lambda: GRU.zeros_like(),
    lambda z: z.b.shape == (2, 12) and not any(w.any() for w in z.weights()),
)
gives(
    "nn.cell.CellParams.add_",
    "adds in place",
    lambda: (lambda z: (z.add_(P), z)[1])(P.zeros_like()),
    lambda z: np.array_equal(z.U, P.U),
)
gives("nn.cell.CellParams.input_size", "D", lambda: P.input_size, equal(3))
gives("nn.cell.CellParams.hidden_size", "H", lambda: GRU.hidden_size, equal(4))
gives("nn.cell.CellParams.dtype", "float32", lambda: REG32.lstm.dtype, lambda d: d == np.float32)
gives(
    "nn.cell.CellParams.zero_state",
    "(h, c) zeros",
    lambda: P.zero_state(2),
    lambda s: len(s) == 2 and s[1].shape == (2, 4) and not s[0].any(),
)
raises(
    "nn.cell.CellParams.check_state",
    "a list",
    lambda: P.check_state([H0, H0], 2),
    TypeError,
    "state",
    "tuple of 2 arrays",
)
raises(
    "nn.cell.CellParams.check_state",
    "None inside",
    lambda: P.check_state((H0, None), 2),
    TypeError,
    "c",
    "got None",
)
raises(
    "nn.cell.CellParams.check_input",
    "float32 into float64",
    lambda: P.check_input(X_T.astype(np.float32)),
    TypeError,
    "x_t",
    "float32",
    "float64",
)
gives("nn.cell.CellParams.check_input", "returns B", lambda: P.check_input(X_T), equal(2))
raises(
    "nn.cell.CellParams.step",
    "the base has none",
    lambda: cell.CellParams(RNN.W, RNN.U).step(X_T, (H0,)),
    NotImplementedError,
    "CellParams",
    "step",
)
raises(
    "nn.cell.CellParams.step_backward",
    "the base has none",
    lambda: cell.CellParams(RNN.W, RNN.U).step_backward((H0,), None),
    NotImplementedError,
    "step_backward",
)

gives("nn.sequence.SequenceCache", "what forward keeps", lambda: SEQ_CACHE, lambda c: len(c.steps) == 5)
gives(
    "nn.sequence.SequenceCache.state",
    "h after every step",
    lambda: SEQ_CACHE.state("h"),
    lambda h: h.shape == (2, 5, 4) and np.array_equal(h[:, -1], SEQ_CACHE.h_last),
)
gives(
    "nn.sequence.SequenceCache.stacked",
    "a field over time",
    lambda: SEQ_CACHE.stacked("h_t"),
    lambda h: np.array_equal(h, SEQ_CACHE.hs),
)
gives("nn.sequence.SequenceCache.hs", "(B, T, H)", lambda: SEQ_CACHE.hs.shape, equal((2, 5, 4)))
raises(
    "nn.sequence.SequenceCache.cs",
    "an RNN has no c",
    lambda: SEQ_CACHE.cs,
    ValueError,
    "name",
    "('h',)",
    "RNNParams",
    "'c'",
)
gives("nn.sequence.SequenceCache.cs", "a peephole cell's c", lambda: PEEP_CACHE.cs.shape, equal((2, 5, 4)))
gives(
    "nn.sequence.SequenceCache.last_state",
    "a tuple (h,)",
    lambda: SEQ_CACHE.last_state,
    lambda s: len(s) == 1 and s[0] is SEQ_CACHE.h_last,
)
gives(
    "nn.sequence.SequenceCache.h_last",
    "h_T",
    lambda: SEQ_CACHE.h_last,
    lambda h: np.array_equal(h, SEQ_CACHE.hs[:, -1]),
)
raises(
    "nn.sequence.forward",
    "not a cell",
    lambda: sequence.forward("cell", X),
    TypeError,
    "params",
    "CellParams",
    "str",
)
raises(
    "nn.sequence.forward",
    "state not a tuple",
    lambda: sequence.forward(RNN, X, H0),
    TypeError,
    "state",
    "tuple",
)
raises(
    "nn.sequence.backward",
    "not a cache",
    lambda: sequence.backward(DHS, CACHE),
    TypeError,
    "cache",
    "SequenceCache",
)
raises(
    "nn.sequence.backward",
    "truncate True",
    lambda: sequence.backward(DHS, SEQ_CACHE, truncate=True),
    TypeError,
    "truncate",
    "integer",
)
raises(
    "nn.sequence.check_sequence",
    "D mismatch",
    lambda: sequence.check_sequence(X[:, :, :2], RNN),
    ValueError,
    "x",
    "input_size = 3",
)
gives("nn.sequence.check_sequence", "(B, T)", lambda: sequence.check_sequence(X, RNN), equal((2, 5)))
gives(
    "nn.sequence.mean_norm_by_lag",
    "norms by hand",
    lambda: sequence.mean_norm_by_lag(np.array([[[3.0, 4.0], [0.0, 1.0]]])),
    equal([1.0, 5.0]),
)
raises(
    "nn.sequence.state_gradients",
    "dh_last float32",
    lambda: sequence.state_gradients(SEQ_CACHE, H0.astype(np.float32)),
    TypeError,
    "dh_last",
    "float32",
)
raises(
    "nn.sequence.tbptt_grads",
    "truncate 0",
    lambda: sequence.tbptt_grads(RNN, X, DHS, 0),
    ValueError,
    "truncate",
    ">= 1",
)
gives(
    "nn.sequence.tbptt_grads",
    "equals backward with truncate",
    lambda: (sequence.tbptt_grads(RNN, X, DHS, 2)[1].U, sequence.backward(DHS, SEQ_CACHE, truncate=2)[1].U),
    lambda pair: np.allclose(pair[0], pair[1], rtol=1e-12, atol=1e-15),
)

# --- the cells ------------------------------------------------------------------------------------

for kind, init in (
    ("nn.lstm.LSTMParams", lstm.LSTMParams.init),
    ("nn.rnn.RNNParams", rnn.RNNParams.init),
    ("nn.gru.GRUParams", gru.GRUParams.init),
    ("nn.variants.PeepholeParams", variants.PeepholeParams.init),
):
    raises(f"{kind}.init", "seed -1", lambda init=init: init(1, 2, seed=-1), ValueError, "seed", ">= 0", "-1")
    raises(f"{kind}.init", "seed True", lambda init=init: init(1, 2, seed=True), TypeError, "seed", "bool")
    raises(f"{kind}.init", "seed 1.5", lambda init=init: init(1, 2, seed=1.5), TypeError, "seed", "float")
    gives(
        f"{kind}.init",
        "same seed, same weights",
        lambda init=init: (init(2, 3, seed=7), init(2, 3, seed=7)),
        lambda pair: all(
            np.array_equal(a, b) for a, b in zip(pair[0].weights(), pair[1].weights(), strict=True)
        ),
    )
raises(
    "nn.lstm.LSTMParams.init",
    "unit_forget_bias 'no'",
    lambda: lstm.LSTMParams.init(1, 2, unit_forget_bias="no"),
    TypeError,
    "unit_forget_bias",
    "True or False",
    "'no'",
)
raises(
    "nn.lstm.LSTMParams.init",
    "unit_forget_bias 0",
    lambda: lstm.LSTMParams.init(1, 2, unit_forget_bias=0),
    TypeError,
    "unit_forget_bias",
    "int 0",
)
gives(
    "nn.lstm.LSTMParams.init",
    "forget bias 1, others 0",
    lambda: lstm.LSTMParams.init(1, 2).b,
    equal([0, 0, 1, 1, 0, 0, 0, 0]),
)
gives(
    "nn.lstm.LSTMParams.init",
    "unit_forget_bias False",
    lambda: lstm.LSTMParams.init(1, 2, unit_forget_bias=False).b,
    equal(np.zeros(8)),
)
raises("nn.lstm.LSTMParams.gate", "unknown gate", lambda: P.gate("c"), ValueError, "name", "'c'")
gives("nn.lstm.LSTMParams.gate", "the forget block", lambda: P.gate("f")[2], equal(P.b[4:8]))
gives(
    "nn.lstm.LSTMParams.step",
    "zero weights by hand",
    lambda: lstm.LSTMParams(np.zeros((1, 4)), np.zeros((1, 4)), np.array([0.5, 0, 0.5, 0.5])).step(
        np.zeros((1, 1)), (np.zeros((1, 1)), np.ones((1, 1)))
    )[0],
    lambda s: (
        np.allclose(s[1], 0.5 + SIG * math.tanh(0.5), rtol=1e-15)
        and np.allclose(s[0], SIG * np.tanh(0.5 + SIG * math.tanh(0.5)), rtol=1e-15)
    ),
)
gives(
    "nn.lstm.LSTMParams.step_backward",
    "the fast path's gradient of U",
    lambda: sequence.backward(DHS, sequence.forward(P, X)[1])[1].U,
    close(lstm.lstm_backward(DHS, CACHE)[1].U, rtol=1e-12),
)
gives("nn.lstm.GATE_ORDER", "Keras' order", lambda: lstm.GATE_ORDER, equal(("i", "f", "g", "o")))
gives("nn.lstm.LSTMGates", "four fields", lambda: lstm.LSTMGates._fields, equal(("i", "f", "g", "o")))
gives(
    "nn.lstm.LSTMStepCache",
    "its fields",
    lambda: lstm.LSTMStepCache._fields[:3],
    equal(("x_t", "h_prev", "c_prev")),
)
raises(
    "nn.lstm.lstm_step",
    "h_prev None",
    lambda: lstm.lstm_step(X_T, None, H0, P),
    TypeError,
    "h_prev",
    "got None",
    "zeros",
)
raises(
    "nn.lstm.lstm_step",
    "c_prev None",
    lambda: lstm.lstm_step(X_T, H0, None, P),
    TypeError,
    "c_prev",
    "got None",
)
raises(
    "nn.lstm.lstm_step",
    "h_prev a list",
    lambda: lstm.lstm_step(X_T, H0.tolist(), H0, P),
    TypeError,
    "h_prev",
    "list",
)
raises(
    "nn.lstm.lstm_step",
    "x_t float32",
    lambda: lstm.lstm_step(X_T.astype(np.float32), H0, H0, P),
    TypeError,
    "x_t",
    "float32",
)
raises(
    "nn.lstm.lstm_step_backward",
    "c_prev None",
    lambda: lstm.lstm_step_backward(H0, H0, X_T, H0, None, P),
    TypeError,
    "c_prev",
    "got None",
)
raises(
    "nn.lstm.lstm_step_backward",
    "dh_t wrong shape",
    lambda: lstm.lstm_step_backward(H0[:1], H0, X_T, H0, H0, P),
    ValueError,
    "dh_t",
    "(2, 4)",
)
raises(
    "nn.lstm.lstm_gates",
    "h_prev None",
    lambda: lstm.lstm_gates(X_T, None, P),
    TypeError,
    "h_prev",
    "got None",
)
gives(
    "nn.lstm.lstm_gates",
    "gates in range",
    lambda: lstm.lstm_gates(X_T, H0, P),
    lambda g: (0 < g.f).all() and (g.f < 1).all() and (np.abs(g.g) < 1).all(),
)
raises(
    "nn.lstm.lstm_forward",
    "h0 None is zeros, h0 int is refused",
    lambda: lstm.lstm_forward(X, P, h0=np.zeros((2, 4), int)),
    TypeError,
    "h0",
    "int64",
)
gives(
    "nn.lstm.lstm_forward",
    "h0 None equals zeros",
    lambda: lstm.lstm_forward(X, P, h0=H0, c0=H0)[0],
    equal(HS),
)
raises(
    "nn.lstm.lstm_backward",
    "dc_last NaN",
    lambda: lstm.lstm_backward(DHS, CACHE, dc_last=np.full((2, 4), np.nan)),
    ValueError,
    "dc_last",
    "finite",
)
raises(
    "nn.lstm.lstm_tbptt_grads",
    "truncate 1.0",
    lambda: lstm.lstm_tbptt_grads(X, P, DHS, 1.0),
    TypeError,
    "truncate",
)
gives(
    "nn.lstm.lstm_tbptt_grads",
    "equals lstm_backward(truncate=2)",
    lambda: lstm.lstm_tbptt_grads(X, P, DHS, 2)[1].W,
    close(lstm.lstm_backward(DHS, CACHE, truncate=2)[1].W, 1e-12),
)
raises(
    "nn.lstm.state_gradients",
    "a SequenceCache",
    lambda: lstm.state_gradients(SEQ_CACHE, H0),
    TypeError,
    "cache",
    "LSTMCache",
)
gives(
    "nn.lstm.state_gradients",
    "dh at T is dh_last",
    lambda: lstm.state_gradients(CACHE, np.ones((2, 4)))[0][:, -1],
    equal(np.ones((2, 4))),
)

gives(
    "nn.lstm_fast.LSTMCache", "from lstm_forward", lambda: CACHE, lambda c: isinstance(c, lstm_fast.LSTMCache)
)
gives("nn.lstm_fast.LSTMCache.hs", "(B, T, H)", lambda: CACHE.hs, equal(HS))
gives("nn.lstm_fast.LSTMCache.cs", "c_T last", lambda: CACHE.cs[:, -1], equal(CACHE.c_last))
for gate_property, k in (("input_gate", 0), ("forget_gate", 1), ("candidate", 2), ("output_gate", 3)):
    gives(
        f"nn.lstm_fast.LSTMCache.{gate_property}",
        "the textbook step's gate",
        lambda k=k, gate_property=gate_property: getattr(CACHE, gate_property)[:, 0],
        close(lstm.lstm_gates(X_T, H0, P)[k], rtol=1e-13),
    )
gives("nn.lstm_fast.LSTMCache.h_last", "h_T", lambda: CACHE.h_last, equal(HS[:, -1]))
gives(
    "nn.lstm_fast.LSTMCache.c_last",
    "what lstm_step gives",
    lambda: CACHE.c_last,
    lambda c: c.shape == (2, 4) and np.isfinite(c).all(),
)
gives(
    "nn.lstm_fast.LSTMCache.last_state",
    "(h_T, c_T)",
    lambda: CACHE.last_state,
    lambda s: np.array_equal(s[0], HS[:, -1]) and np.array_equal(s[1], CACHE.c_last),
)
gives(
    "nn.lstm_fast.fast_forward",
    "what lstm_forward runs",
    lambda: lstm_fast.fast_forward(P, X, (H0, H0)).hs,
    equal(HS),
)
gives(
    "nn.lstm_fast.fast_backward",
    "what lstm_backward runs",
    lambda: lstm_fast.fast_backward(DHS, CACHE, None, None)[1][1],
    equal(lstm.lstm_backward(DHS, CACHE)[1].U),
)

raises(
    "nn.rnn.rnn_step", "h_prev None", lambda: rnn.rnn_step(X_T, None, RNN), TypeError, "h_prev", "got None"
)
gives(
    "nn.rnn.rnn_step",
    "zero weights: tanh(b)",
    lambda: rnn.rnn_step(
        np.ones((1, 1)), np.ones((1, 1)), rnn.RNNParams(np.zeros((1, 1)), np.zeros((1, 1)), np.array([0.5]))
    ),
    close([[math.tanh(0.5)]]),
)
raises(
    "nn.rnn.rnn_forward", "params an LSTM", lambda: rnn.rnn_forward(X, P), TypeError, "params", "RNNParams"
)
raises(
    "nn.rnn.rnn_backward",
    "an LSTM's cache",
    lambda: rnn.rnn_backward(DHS, CACHE),
    TypeError,
    "cache",
    "RNNCache",
)
raises(
    "nn.rnn.hidden_state_gradients",
    "dh_last wrong shape",
    lambda: rnn.hidden_state_gradients(RNN_CACHE, np.ones(4)),
    ValueError,
    "dh_last",
)
raises(
    "nn.rnn.spectral_radius",
    "not square",
    lambda: rnn.spectral_radius(np.zeros((2, 3))),
    ValueError,
    "matrix",
    "square",
)
gives("nn.rnn.spectral_radius", "diag(2, -3)", lambda: rnn.spectral_radius(np.diag([2.0, -3.0])), equal(3.0))
raises(
    "nn.rnn.with_spectral_radius",
    "radius 0",
    lambda: rnn.with_spectral_radius(RNN, 0.0),
    ValueError,
    "radius",
)
gives(
    "nn.rnn.with_spectral_radius",
    "radius 0.5",
    lambda: rnn.spectral_radius(rnn.with_spectral_radius(RNN, 0.5).U),
    close(0.5, rtol=1e-12),
)
gives(
    "nn.rnn.RNNParams.step",
    "h_t = tanh(x W + b + h U)",
    lambda: RNN.step(X_T, (H0,))[0][0],
    close(np.tanh(X_T @ RNN.W + RNN.b)),
)
gives(
    "nn.rnn.RNNParams.step_backward",
    "dx by hand",
    lambda: RNN.step_backward((np.ones((2, 4)),), RNN.step(X_T, (H0,))[1])[0],
    close((1 - np.tanh(X_T @ RNN.W + RNN.b) ** 2) @ RNN.W.T),
)
gives("nn.rnn.RNNStepCache", "its fields", lambda: rnn.RNNStepCache._fields, equal(("x_t", "h_prev", "h_t")))

raises(
    "nn.gru.gru_step",
    "h_prev None (no silent zeros)",
    lambda: gru.gru_step(X_T, None, GRU),
    TypeError,
    "h_prev",
    "got None",
)
raises(
    "nn.gru.gru_step",
    "h_prev 1-D",
    lambda: gru.gru_step(X_T, np.zeros(4), GRU),
    ValueError,
    "h_prev",
    "2 dimensions",
)
raises(
    "nn.gru.gru_forward",
    "h0 float32",
    lambda: gru.gru_forward(X, GRU, np.zeros((2, 4), np.float32)),
    TypeError,
    "h0",
)
raises(
    "nn.gru.gru_backward",
    "an RNN's cache",
    lambda: gru.gru_backward(DHS, RNN_CACHE),
    TypeError,
    "cache",
    "GRUCache",
)
gives("nn.gru.GRUParams.expected_shapes", "b (2, 3H)", lambda: GRU.expected_shapes(4)[2][1], equal((2, 12)))
gives(
    "nn.gru.GRUParams.step",
    "zero weights: h_t = h_{t-1} / 2",
    lambda: gru.GRUParams(np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((2, 3))).step(
        np.ones((1, 1)), (np.ones((1, 1)),)
    )[0][0],
    equal([[0.5]]),
)
gives(
    "nn.gru.GRUParams.step_backward",
    "zero weights: dh_prev = dh / 2",
    lambda: (
        lambda g: g.step_backward((np.ones((1, 1)),), g.step(np.ones((1, 1)), (np.ones((1, 1)),))[1])[1][0]
    )(gru.GRUParams(np.zeros((1, 3)), np.zeros((1, 3)), np.zeros((2, 3)))),
    equal([[0.5]]),
)
gives("nn.gru.GRUStepCache", "its fields", lambda: gru.GRUStepCache._fields[-2:], equal(("n", "u_n")))

raises(
    "nn.variants.Variant",
    "a flag 'no'",
    lambda: variants.Variant("x", forget_gate="no"),
    TypeError,
    "forget_gate",
    "True or False",
)
raises(
    "nn.variants.Variant",
    "coupled 1",
    lambda: variants.Variant("x", coupled=1),
    TypeError,
    "coupled",
    "int 1",
)
raises("nn.variants.Variant", "name None", lambda: variants.Variant(None), TypeError, "name", "string")
gives(
    "nn.variants.VARIANTS",
    "Greff et al.'s eight",
    lambda: sorted(variants.VARIANTS),
    equal(sorted(["vanilla", "NIG", "NFG", "NOG", "NIAF", "NOAF", "NP", "CIFG"])),
)
gives(
    "nn.variants.VariantStepCache", "its fields", lambda: variants.VariantStepCache._fields[-1], equal("out")
)
raises(
    "nn.variants.variant_step",
    "h_prev None",
    lambda: variants.variant_step(X_T, None, H0, PEEP),
    TypeError,
    "h_prev",
    "got None",
)
raises(
    "nn.variants.variant_step",
    "variant a string",
    lambda: variants.variant_step(X_T, H0, H0, PEEP, "NFG"),
    TypeError,
    "variant",
    "Variant",
)
raises(
    "nn.variants.variant_forward",
    "c0 wrong B",
    lambda: variants.variant_forward(X, PEEP, c0=np.zeros((3, 4))),
    ValueError,
    "c0",
    "(2, 4)",
)
raises(
    "nn.variants.variant_backward",
    "an LSTM cache",
    lambda: variants.variant_backward(DHS, CACHE),
    TypeError,
    "cache",
    "VariantCache",
)
gives(
    "nn.variants.PeepholeParams.expected_shapes",
    "P (3, H)",
    lambda: PEEP.expected_shapes(4)[-1][1],
    equal((3, 4)),
)
raises(
    "nn.variants.PeepholeParams.from_lstm",
    "an RNN",
    lambda: variants.PeepholeParams.from_lstm(RNN, np.zeros((3, 4))),
    TypeError,
    "lstm",
    "LSTMParams",
)
gives(
    "nn.variants.PeepholeParams.from_lstm",
    "shares W",
    lambda: variants.PeepholeParams.from_lstm(P, np.zeros((3, 4))).W,
    lambda w: w is P.W,
)
gives("nn.variants.PeepholeParams.lstm", "the LSTM part", lambda: PEEP.lstm, lambda part: part.U is PEEP.U)
raises(
    "nn.variants.PeepholeParams.with_variant",
    "a dict",
    lambda: PEEP.with_variant({"name": "NP"}),
    TypeError,
    "variant",
)
gives(
    "nn.variants.PeepholeParams.step",
    "zero peepholes: the LSTM's step",
    lambda: PEEP.step(X_T, (H0, H0))[0][1],
    close(lstm.lstm_step(X_T, H0, H0, P)[1], rtol=1e-13),
)
gives(
    "nn.variants.PeepholeParams.step_backward",
    "no peephole gradient for NP",
    lambda: (lambda c: c.step_backward((H0 + 1, H0), c.step(X_T, (H0, H0))[1])[2].P)(
        PEEP.with_variant(variants.VARIANTS["NP"])
    ),
    equal(np.zeros((3, 4))),
)

raises(
    "nn.lstm.LSTMParams",
    "b (1, 4H)",
    lambda: lstm.LSTMParams(P.W, P.U, P.b[None]),
    ValueError,
    "b",
    "(4H,)",
    "(1, 16)",
)
raises(
    "nn.rnn.RNNParams",
    "U not square",
    lambda: rnn.RNNParams(np.zeros((3, 4)), np.zeros((4, 5)), np.zeros(4)),
    ValueError,
    "U",
    "(H, H)",
)
raises(
    "nn.gru.GRUParams",
    "one bias row",
    lambda: gru.GRUParams(GRU.W, GRU.U, GRU.b[0]),
    ValueError,
    "b",
    "(2, 3H)",
    "(12,)",
)
raises(
    "nn.variants.PeepholeParams",
    "P (4, H)",
    lambda: variants.PeepholeParams(P.W, P.U, P.b, np.zeros((4, 4))),
    ValueError,
    "P",
    "(3, H)",
)

# --- layers, losses, models -----------------------------------------------------------------------

DENSE = layers.Dense(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -0.5]))
REC = layers.Recurrent(RNN, return_sequences=True)
gives(
    "nn.layers.Layer",
    "both layers have its methods",
    lambda: layers.Layer,
    lambda proto: all(hasattr(layer, "with_weights") for layer in (DENSE, REC)),
)
raises(
    "nn.layers.Recurrent",
    "return_sequences 'yes'",
    lambda: layers.Recurrent(RNN, "yes"),
    TypeError,
    "return_sequences",
)
raises(
    "nn.layers.Recurrent",
    "cell an array",
    lambda: layers.Recurrent(np.zeros(3)),
    TypeError,
    "cell",
    "CellParams",
)
gives("nn.layers.Recurrent.output_size", "H", lambda: REC.output_size, equal(4))
gives("nn.layers.Recurrent.dtype", "the cell's", lambda: REC.dtype, lambda d: d == np.float64)
gives("nn.layers.Recurrent.weights", "the cell's", lambda: REC.weights(), lambda w: w[0] is RNN.W)
gives(
    "nn.layers.Recurrent.weight_labels",
    "Keras' names",
    lambda: layers.Recurrent(PEEP).weight_labels(),
    equal(["kernel", "recurrent_kernel", "bias", "peephole"]),
)
raises(
    "nn.layers.Recurrent.with_weights",
    "checked",
    lambda: REC.with_weights([np.zeros((3, 4))] * 3),
    ValueError,
    "U",
)
gives(
    "nn.layers.Recurrent.forward",
    "return_sequences=False: h_T",
    lambda: layers.Recurrent(P).forward(X)[0],
    equal(HS[:, -1]),
)
gives(
    "nn.layers.Recurrent.backward",
    "dx of the sequence",
    lambda: REC.backward(DHS, REC.forward(X)[1])[0],
    equal(rnn.rnn_backward(DHS, RNN_CACHE)[0]),
)
raises(
    "nn.layers.Dense",
    "b of another dtype",
    lambda: layers.Dense(np.zeros((2, 1)), np.zeros(1, np.float32)),
    TypeError,
    "b",
)
raises(
    "nn.layers.Dense.init",
    "rng a seed",
    lambda: layers.Dense.init(4, 1, 0, np.float64),
    TypeError,
    "rng",
    "Generator",
)
raises(
    "nn.layers.Dense.init",
    "units 0",
    lambda: layers.Dense.init(4, 0, np.random.default_rng(0), np.float64),
    ValueError,
    "units",
    ">= 1",
)
raises(
    "nn.layers.Dense.init",
    "dtype int",
    lambda: layers.Dense.init(4, 1, np.random.default_rng(0), int),
    TypeError,
    "dtype",
)
gives(
    "nn.layers.Dense.init",
    "zero bias",
    lambda: layers.Dense.init(4, 2, np.random.default_rng(0), np.float32).b,
    lambda b: b.dtype == np.float32 and not b.any(),
)
gives("nn.layers.MatrixSized.output_size", "K", lambda: DENSE.output_size, equal(2))
gives("nn.layers.MatrixSized.dtype", "the kernel's", lambda: DENSE.dtype, lambda d: d == np.float64)
gives("nn.layers.Dense.weights", "[kernel, bias]", lambda: DENSE.weights(), lambda w: w[1] is DENSE.b)
gives(
    "nn.layers.Dense.weight_labels",
    "names",
    lambda: DENSE.weight_labels(),
    equal(["dense kernel", "dense bias"]),
)
gives(
    "nn.layers.Dense.with_weights",
    "new arrays",
    lambda: DENSE.with_weights([np.eye(2), np.zeros(2)]).W,
    equal(np.eye(2)),
)
gives(
    "nn.layers.Dense.forward",
    "x V + a by hand",
    lambda: DENSE.forward(np.array([[1.0, 1.0]]))[0],
    equal([[4.5, 5.5]]),
)
gives(
    "nn.layers.Dense.backward",
    "dW = x^T dy, db = sum dy",
    lambda: DENSE.backward(np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]]))[1][0],
    equal([[3.0, 6.0], [4.0, 8.0]]),
)

gives(
    "nn.losses.mean_squared_error",
    "by hand",
    lambda: losses.mean_squared_error(np.array([[1.0], [3.0]]), np.zeros(2)),
    lambda r: r[0] == 5.0 and np.array_equal(r[1], [[1.0], [3.0]]),
)
gives(
    "nn.losses.LOSSES",
    "Keras' names",
    lambda: sorted(losses.LOSSES),
    equal(["mean_squared_error", "mse", "sparse_categorical_crossentropy"]),
)

raises(
    "nn.model.Sequential",
    "loss 'mae'",
    lambda: model.Sequential([layers.Recurrent(P)], "mae"),
    ValueError,
    "loss",
    "'mae'",
)
raises(
    "nn.model.Sequential",
    "Dense first",
    lambda: model.Sequential([DENSE]),
    TypeError,
    "layers[0]",
    "Recurrent",
)
gives("nn.model.Sequential.dtype", "float32", lambda: REG32.dtype, lambda d: d == np.float32)
gives("nn.model.Sequential.input_size", "D", lambda: REG32.input_size, equal(1))
gives(
    "nn.model.Sequential.parameters",
    "live arrays",
    lambda: REG32.parameters()[0],
    lambda w: w is REG32.lstm.W,
)
gives(
    "nn.model.Sequential.get_weights",
    "copies",
    lambda: REG32.get_weights()[0],
    lambda w: w is not REG32.lstm.W and np.array_equal(w, REG32.lstm.W),
)
gives(
    "nn.model.Sequential.weight_labels",
    "Keras' order",
    lambda: REG32.weight_labels(),
    equal(["kernel", "recurrent_kernel", "bias", "dense kernel", "dense bias"]),
)
raises(
    "nn.model.Sequential.set_weights",
    "float64 into float32",
    lambda: REG32.copy().set_weights(REG64.get_weights()),
    TypeError,
    "weights[kernel]",
    "float64",
    "float32",
)
gives("nn.model.Sequential.count_params", "4*4*(1+4+1) + 4 + 1", lambda: REG32.count_params(), equal(101))
gives("nn.model.Sequential.copy", "a deep copy", lambda: REG32.copy(), lambda c: c.lstm.W is not REG32.lstm.W)
raises(
    "nn.model.Sequential.from_layers",
    "a Dense first",
    lambda: model.Sequential.from_layers([DENSE]),
    TypeError,
    "layers[0]",
)
gives(
    "nn.model.Sequential.output_shape",
    "(N, T, K)",
    lambda: model.Sequential([REC, layers.Dense(np.ones((4, 2)), np.zeros(2))]).output_shape((7, 5, 3)),
    equal(((7, 5, 2), "(N, T, K)")),
)
raises(
    "nn.model.Sequential.check_inputs",
    "strict: float64 into float32",
    lambda: REG32.check_inputs(WX),
    TypeError,
    "x",
    "float64",
    "float32",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "int windows",
    lambda: REG32.cast_inputs(WX.astype(np.int64)),
    TypeError,
    "x",
    "floating-point",
    "int64",
)
raises(
    "nn.model.Sequential.cast_inputs", "bool array", lambda: REG32.cast_inputs(WX > 0), TypeError, "x", "bool"
)
raises(
    "nn.model.Sequential.cast_inputs",
    "complex",
    lambda: REG32.cast_inputs(WX.astype(complex)),
    TypeError,
    "x",
    "complex128",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "object array",
    lambda: REG32.cast_inputs(WX.astype(object)),
    TypeError,
    "x",
    "object",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "True in a list",
    lambda: REG32.cast_inputs([[[0.5]], [[True]]]),
    TypeError,
    "x",
    "bool True",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "an int in a list",
    lambda: REG32.cast_inputs([[[0.5]], [[2]]]),
    TypeError,
    "x",
    "int 2",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "ragged list",
    lambda: REG32.cast_inputs([[[0.5]], [[0.5], [1.0]]]),
    ValueError,
    "x",
    "ragged",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "NaN",
    lambda: REG32.cast_inputs(np.full((2, 3, 1), np.nan)),
    ValueError,
    "x",
    "finite",
    "6 NaN",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "1e300 into float32",
    lambda: REG32.cast_inputs(WX * 1e300),
    ValueError,
    "x",
    "too large",
    "float32",
)
raises(
    "nn.model.Sequential.cast_inputs", "a string", lambda: REG32.cast_inputs("windows"), TypeError, "x", "str"
)
raises(
    "nn.model.Sequential.cast_inputs",
    "y int",
    lambda: REG32.cast_inputs(WX, np.zeros(49, int)),
    TypeError,
    "y",
    "int64",
)
raises(
    "nn.model.Sequential.cast_inputs",
    "y (N, 2)",
    lambda: REG32.cast_inputs(WX, np.zeros((49, 2))),
    ValueError,
    "y",
    "(49,)",
)
gives(
    "nn.model.Sequential.cast_inputs",
    "float32 input is not copied",
    lambda: REG32.cast_inputs(WX.astype(np.float32)),
    lambda r: r[0].dtype == np.float32 and r[1] is None,
)
gives(
    "nn.model.Sequential.cast_inputs",
    "y (N, 1) becomes (N,)",
    lambda: REG32.cast_inputs(WX, WY[:, None])[1],
    lambda y: y.shape == (49,) and y.dtype == np.float32 and np.array_equal(y, WY.astype(np.float32)),
)
gives(
    "nn.model.Sequential.predict",
    "the seed article's port: float64 windows",
    lambda: (REG32.predict(WX), REG32.predict(WX.astype(np.float32))),
    lambda p: np.array_equal(*p) and p[0].dtype == np.float32,
)
gives(
    "nn.model.Sequential.predict",
    "float16 windows = the same windows cast",
    lambda: (REG32.predict(WX.astype(np.float16)), REG32.predict(WX.astype(np.float16).astype(np.float32))),
    lambda p: np.array_equal(*p),
)
gives(
    "nn.model.Sequential.predict",
    "nested lists of floats",
    lambda: (REG32.predict(WX.tolist()), REG32.predict(WX)),
    lambda p: np.array_equal(*p),
)
gives(
    "nn.model.Sequential.predict",
    "float32 windows into float64",
    lambda: (REG64.predict(WX.astype(np.float32)), REG64.predict(WX.astype(np.float32).astype(np.float64))),
    lambda p: np.array_equal(*p) and p[0].dtype == np.float64,
)
raises(
    "nn.model.Sequential.predict",
    "int windows",
    lambda: REG32.predict(np.ones((2, 10, 1), int)),
    TypeError,
    "x",
    "int64",
)
raises(
    "nn.model.Sequential.predict",
    "(N, T) windows",
    lambda: REG32.predict(WX[:, :, 0]),
    ValueError,
    "x",
    "3 dimensions",
)
gives(
    "nn.model.Sequential.evaluate", "the MSE by hand", lambda: HAND.evaluate(HAND_X, HAND_Y), close(HAND_MSE)
)
gives(
    "nn.model.Sequential.evaluate",
    "y (N, 1) and nested lists",
    lambda: HAND.evaluate(HAND_X.tolist(), HAND_Y[:, None].tolist()),
    close(HAND_MSE),
)
gives(
    "nn.model.Sequential.evaluate",
    "float32 model, float64 data",
    lambda: REG32.evaluate(WX, WY),
    close(REG32.evaluate(WX.astype(np.float32), WY.astype(np.float32)), rtol=0),
)
raises(
    "nn.model.Sequential.evaluate",
    "y with inf",
    lambda: HAND.evaluate(HAND_X, np.array([0.0, np.inf, 1.0])),
    ValueError,
    "y",
    "finite",
)
raises(
    "nn.model.Sequential.evaluate",
    "y of the wrong length",
    lambda: HAND.evaluate(HAND_X, HAND_Y[:2]),
    ValueError,
    "y",
    "(3,)",
    "(2,)",
)
raises(
    "nn.model.Sequential.loss_and_grads",
    "strict: float64 y into float32",
    lambda: REG32.loss_and_grads(WX.astype(np.float32), WY),
    TypeError,
    "y",
    "float64",
    "float32",
)
gives(
    "nn.model.Sequential.loss_and_grads",
    "the loss is evaluate's",
    lambda: HAND.loss_and_grads(HAND_X, HAND_Y)[0],
    close(HAND_MSE),
)
gives(
    "nn.model._Regressor.init",
    "seed 3 twice",
    lambda: (model.GRURegressor.init(seed=3), model.GRURegressor.init(seed=3)),
    lambda p: all(np.array_equal(a, b) for a, b in zip(p[0].parameters(), p[1].parameters(), strict=True)),
)
raises(
    "nn.model._Regressor.init",
    "seed -2",
    lambda: model.RNNRegressor.init(seed=-2),
    ValueError,
    "seed",
    ">= 0",
)
raises(
    "nn.model._Regressor.init",
    "seed '0'",
    lambda: model.LSTMRegressor.init(seed="0"),
    TypeError,
    "seed",
    "str",
)
raises(
    "nn.model._Regressor.from_layers",
    "a return_sequences layer",
    lambda: model.LSTMRegressor.from_layers([layers.Recurrent(P, True), DENSE]),
    ValueError,
    "layers",
    "LSTMRegressor",
)
gives("nn.model._Regressor.cell_params", "the cell", lambda: REG32.cell_params, lambda c: c is REG32.lstm)
gives("nn.model._Regressor.dense_W", "(H, 1)", lambda: REG32.dense_W.shape, equal((4, 1)))
gives("nn.model._Regressor.dense_b", "zero at init", lambda: REG32.dense_b, equal(np.zeros(1)))
raises(
    "nn.model.LSTMRegressor",
    "a GRU cell",
    lambda: model.LSTMRegressor(GRU, np.zeros((4, 1)), np.zeros(1)),
    TypeError,
    "lstm",
    "LSTMParams",
    "GRUParams",
)
gives(
    "nn.model.LSTMRegressor.lstm",
    "an LSTMParams",
    lambda: REG32.lstm,
    lambda c: isinstance(c, lstm.LSTMParams),
)
raises(
    "nn.model.RNNRegressor",
    "dense_W wrong shape",
    lambda: model.RNNRegressor(RNN, np.zeros((3, 1)), np.zeros(1)),
    ValueError,
    "dense_W",
    "(H, 1)",
)
gives(
    "nn.model.RNNRegressor.rnn",
    "an RNNParams",
    lambda: model.RNNRegressor.init().rnn,
    lambda c: isinstance(c, rnn.RNNParams),
)
raises(
    "nn.model.GRURegressor",
    "dense_b float32",
    lambda: model.GRURegressor(GRU, np.zeros((4, 1)), np.zeros(1, np.float32)),
    TypeError,
    "dense_b",
)
gives(
    "nn.model.GRURegressor.gru",
    "a GRUParams",
    lambda: model.GRURegressor.init().gru,
    lambda c: isinstance(c, gru.GRUParams),
)
raises(
    "nn.model.VariantRegressor",
    "an LSTM cell",
    lambda: model.VariantRegressor(P, variants.VARIANTS["NP"], np.zeros((4, 1)), np.zeros(1)),
    TypeError,
    "cell",
    "PeepholeParams",
)
raises(
    "nn.model.VariantRegressor.init",
    "variant a name",
    lambda: model.VariantRegressor.init("NFG"),
    TypeError,
    "variant",
)
raises(
    "nn.model.VariantRegressor.init",
    "seed 2.0",
    lambda: model.VariantRegressor.init(seed=2.0),
    TypeError,
    "seed",
)
gives(
    "nn.model.VariantRegressor.cell",
    "a PeepholeParams",
    lambda: model.VariantRegressor.init().cell,
    lambda c: isinstance(c, variants.PeepholeParams),
)
gives(
    "nn.model.VariantRegressor.variant",
    "NFG",
    lambda: model.VariantRegressor.init(variants.VARIANTS["NFG"]).variant.name,
    equal("NFG"),
)

# --- optim, train ---------------------------------------------------------------------------------


def adam_two_steps() -> np.ndarray:
    w = np.array([1.0])
    adam = optim.Adam(0.1)
    for g in (2.0, -1.0):
        adam.step([w], [np.array([g])])
    return w


def adam_two_steps_by_hand() -> float:
    w, m, v = 1.0, 0.0, 0.0
    for t, g in ((1, 2.0), (2, -1.0)):
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        w -= 0.1 * math.sqrt(1 - 0.999**t) / (1 - 0.9**t) * m / (math.sqrt(v) + 1e-7)
    return w


gives("nn.optim.SGD", "default learning rate", lambda: optim.SGD().learning_rate, equal(0.01))
gives(
    "nn.optim.SGD.step",
    "two float64 arrays, w - lr g by hand",
    lambda: (lambda w, u: (optim.SGD(0.25).step([w, u], [np.array([4.0]), np.array([[-8.0]])]), w, u)[1:])(
        np.array([1.0]), np.array([[2.0]])
    ),
    lambda r: np.array_equal(r[0], [0.0]) and np.array_equal(r[1], [[4.0]]),
)
gives(
    "nn.optim.Adam",
    "Keras' defaults",
    lambda: optim.Adam(),
    lambda a: (a.learning_rate, a.beta_1, a.beta_2, a.epsilon) == (1e-3, 0.9, 0.999, 1e-7),
)
gives(
    "nn.optim.Adam.step",
    "two steps by hand (Keras' update rule)",
    adam_two_steps,
    close([adam_two_steps_by_hand()], rtol=1e-12),
)
gives(
    "nn.optim.KerasTorchAdam", "an Adam", lambda: optim.KerasTorchAdam(), lambda a: isinstance(a, optim.Adam)
)
gives(
    "nn.optim.clip_by_global_norm",
    "one norm over two arrays: [3], [[4]] to 2.5",
    lambda: optim.clip_by_global_norm([np.array([3.0]), np.array([[4.0]])], 2.5),
    lambda r: r[1] == 5.0 and np.array_equal(r[0][0], [1.5]) and np.array_equal(r[0][1], [[2.0]]),
)

gives("nn.train.History", "empty", lambda: train.History(), lambda h: h.loss == [] and h.seconds == [])
gives(
    "nn.train.OPTIMIZERS",
    "Keras' names",
    lambda: train.OPTIMIZERS,
    lambda o: o == {"adam": optim.Adam, "sgd": optim.SGD},
)
gives(
    "nn.train.DivergenceError",
    "a FloatingPointError",
    lambda: train.DivergenceError,
    lambda e: issubclass(e, FloatingPointError),
)
gives(
    "nn.train.batch_indices",
    "in order",
    lambda: [b.tolist() for b in train.batch_indices(5, 2, None)],
    lambda r: r == [[0, 1], [2, 3], [4]],
)
raises(
    "nn.train.batch_indices",
    "batch_size 0",
    lambda: train.batch_indices(5, 0, None),
    ValueError,
    "batch_size",
    ">= 1",
)
raises(
    "nn.train.batch_indices",
    "rng a seed",
    lambda: train.batch_indices(5, 2, 0),
    TypeError,
    "rng",
    "Generator",
)

T_X, T_Y = WX[:8], WY[:8]  # eight float64 windows
FIT_BAD: list[tuple[str, dict[str, Any], type[Exception], tuple[str, ...]]] = [
    (
        "optimizer 'rmsprop'",
        {"optimizer": "rmsprop"},
        ValueError,
        ("optimizer", "'adam'", "'sgd'", "'rmsprop'"),
    ),
    ("optimizer 1", {"optimizer": 1}, TypeError, ("optimizer", "Adam or SGD", "int 1")),
    ("optimizer the class", {"optimizer": optim.Adam}, TypeError, ("optimizer", "Adam()")),
    ("on_batch_end 1", {"on_batch_end": 1}, TypeError, ("on_batch_end", "function", "int 1")),
    ("clip_norm 0", {"clip_norm": 0}, ValueError, ("clip_norm", "> 0", "0")),
    ("clip_norm inf", {"clip_norm": math.inf}, ValueError, ("clip_norm", "finite")),
    ("clip_norm '1'", {"clip_norm": "1"}, TypeError, ("clip_norm", "str")),
    ("shuffle 'no'", {"shuffle": "no"}, TypeError, ("shuffle", "True or False", "'no'")),
    ("shuffle 1", {"shuffle": 1}, TypeError, ("shuffle", "int 1")),
    ("seed -1", {"seed": -1}, ValueError, ("seed", ">= 0", "-1")),
    ("seed True", {"seed": True}, TypeError, ("seed", "bool")),
    ("verbose 3", {"verbose": 3}, ValueError, ("verbose", "0, 1 or 2", "3")),
    ("verbose True", {"verbose": True}, ValueError, ("verbose", "bool")),
    ("batch_size 0", {"batch_size": 0}, ValueError, ("batch_size", ">= 1")),
    ("epochs 1.5", {"epochs": 1.5}, TypeError, ("epochs", "integer")),
]
for label, kwargs, error, fragments in FIT_BAD:
    raises(
        "nn.train.fit",
        f"{label}, before any update",
        untouched_after(REG32, lambda m, kwargs=kwargs: train.fit(m, T_X, T_Y, **{"verbose": 0, **kwargs})),
        error,
        *fragments,
    )
raises(
    "nn.train.fit",
    "int targets",
    untouched_after(REG32, lambda m: train.fit(m, T_X, np.zeros(8, int), verbose=0)),
    TypeError,
    "y",
    "int64",
)
raises(
    "nn.train.fit",
    "SGD(1e6) diverges in float32: step, epoch, loss, hint",
    lambda: train.fit(REG32.copy(), WX, WY, epochs=20, batch_size=16, optimizer=optim.SGD(1e6), verbose=0),
    train.DivergenceError,
    "training diverged at step",
    "(epoch",
    "of 4)",
    "the batch loss is",
    "smaller learning rate",
    "SGD's is 1e+06",
    "clip_norm",
)
gives(
    "nn.train.fit",
    "seed article's port: float64 data into a float32 model = the data cast",
    lambda: (
        fit_copy(REG32, WX, WY, epochs=2, batch_size=8),
        fit_copy(REG32, WX.astype(np.float32), WY.astype(np.float32), epochs=2, batch_size=8),
    ),
    lambda pair: same_training(*pair),
)
gives(
    "nn.train.fit",
    "y (N, 1) = y (N,)",
    lambda: (fit_copy(REG64, WX, WY[:, None], batch_size=16), fit_copy(REG64, WX, WY, batch_size=16)),
    lambda pair: same_training(*pair),
)
gives(
    "nn.train.fit",
    "optimizer 'adam' = Adam()",
    lambda: (
        fit_copy(REG64, WX, WY, batch_size=16, optimizer="adam"),
        fit_copy(REG64, WX, WY, batch_size=16, optimizer=optim.Adam()),
    ),
    lambda pair: same_training(*pair),
)
gives(
    "nn.train.fit",
    "optimizer 'SGD' = SGD()",
    lambda: (
        fit_copy(REG64, WX, WY, batch_size=16, optimizer="SGD"),
        fit_copy(REG64, WX, WY, batch_size=16, optimizer=optim.SGD()),
    ),
    lambda pair: same_training(*pair),
)


def _adam_on_a_second_model(m: model.Sequential) -> Any:
    adam = optim.Adam()
    train.fit(REG64.copy(), WX, WY, batch_size=16, optimizer=adam, verbose=0)
    return train.fit(m, WX, WY, batch_size=16, optimizer=adam, verbose=0)


raises(
    "nn.train.fit",
    "an Adam that trained another model: refused before any update, moments not carried",
    untouched_after(REG64, _adam_on_a_second_model),
    ValueError,
    "params must be the same arrays",
    "new Adam for each model",
)


def _one_adam_twice() -> tuple[list[float], list[np.ndarray]]:
    m, adam = REG64.copy(), optim.Adam()
    first = train.fit(m, WX, WY, batch_size=16, shuffle=False, optimizer=adam, verbose=0).loss
    second = train.fit(m, WX, WY, batch_size=16, shuffle=False, optimizer=adam, verbose=0).loss
    return first + second, m.get_weights()


gives(
    "nn.train.fit",
    "the same Adam on the same model continues, as Keras' fit does",
    lambda: (_one_adam_twice(), fit_copy(REG64, WX, WY, epochs=2, batch_size=16, shuffle=False)),
    lambda pair: same_training(*pair),
)


def _diverged_weights() -> Any:
    """Where a diverged fit leaves the model: the weights of the step before, still finite here."""
    m = REG64.copy()
    seen: list[list[np.ndarray]] = []
    with pytest.raises(train.DivergenceError) as info:
        train.fit(
            m,
            WX,
            WY * 1e150,
            epochs=5,
            batch_size=16,
            optimizer=optim.SGD(1.0),
            verbose=0,
            on_batch_end=lambda step, loss: seen.append(m.get_weights()),
        )
    return info.value, seen, m


gives(
    "nn.train.fit",
    "a diverged fit keeps the weights of the last step, and says so",
    _diverged_weights,
    lambda r: (
        r[0].step == len(r[1]) + 1
        and all(np.array_equal(a, b) for a, b in zip(r[1][-1], r[2].get_weights(), strict=True))
        and not math.isfinite(r[0].loss)
        and "keeps the weights this step started from" in str(r[0])
    ),
)

# --- data, gradcheck, forecast (checked further in test_validation.py) -----------------------------

gives(
    "tasks.data.sine_wave",
    "a period of 4",
    lambda: data.sine_wave(4, 4.0),
    lambda s: np.allclose(s, [0, 1, 0, -1], atol=1e-15),
)
gives(
    "tasks.data.make_windows",
    "the seed article's windows",
    lambda: data.make_windows(np.arange(5.0), 2),
    lambda r: np.array_equal(r[0][:, :, 0], [[0, 1], [1, 2]]) and np.array_equal(r[1], [2, 3]),
)
gives(
    "tasks.data.train_test_split",
    "a split in time",
    lambda: data.train_test_split(np.arange(20.0), 2, 0.5),
    lambda r: r[1][-1] < r[3][0],
)
gives(
    "tasks.data.adding_problem",
    "targets are the marked sums",
    lambda: data.adding_problem(4, 5, seed=1),
    lambda r: np.allclose((r[0][:, :, 0] * r[0][:, :, 1]).sum(axis=1), r[1], rtol=1e-15),
)
gives(
    "nn.gradcheck.rel_error",
    "equal numbers",
    lambda: gradcheck.rel_error(np.array([1.0]), np.array([1.0])),
    equal(0.0),
)
gives(
    "nn.gradcheck.numerical_gradient",
    "of x0 * x1 at (2, 3) is (3, 2)",
    lambda: (lambda v: gradcheck.numerical_gradient(lambda: float(v[0] * v[1]), v))(np.array([2.0, 3.0])),
    lambda g: np.allclose(g, [3.0, 2.0], rtol=1e-8),
)
gives(
    "nn.gradcheck.numerical_gradient_at",
    "one entry",
    lambda: (lambda v: gradcheck.numerical_gradient_at(lambda: float(np.sum(v**3)), v, [(1,)]))(
        np.array([1.0, 2.0])
    ),
    lambda g: np.allclose(g, [12.0], rtol=1e-7),
)
gives(
    "tasks.forecast.persistence_forecast",
    "the last value",
    lambda: forecast.persistence_forecast(WX),
    equal(WX[:, -1, 0]),
)
gives(
    "tasks.forecast.LinearAR",
    "a frozen dataclass",
    lambda: forecast.LinearAR(np.array([0.5, 0.5]), 1.0),
    lambda ar: ar.intercept == 1.0,
)
gives(
    "tasks.forecast.LinearAR.order", "p", lambda: forecast.LinearAR(np.array([0.5, 0.5]), 1.0).order, equal(2)
)
gives(
    "tasks.forecast.LinearAR.predict",
    "by hand",
    lambda: forecast.LinearAR(np.array([0.5, 0.25]), 1.0).predict(np.array([[[2.0], [4.0]]])),
    equal([3.0]),
)
gives(
    "tasks.forecast.fit_autoregression",
    "recovers an exact AR(1)",
    lambda: forecast.fit_autoregression(np.array([[[1.0]], [[2.0]], [[3.0]]]), np.array([3.0, 5.0, 7.0]), 1),
    lambda ar: np.allclose(ar.coef, [2.0], rtol=1e-12) and math.isclose(ar.intercept, 1.0, rel_tol=1e-12),
)
gives(
    "tasks.forecast.recursive_forecast",
    "persistence repeats the last value",
    lambda: forecast.recursive_forecast(forecast.persistence_forecast, WX[:2], 3),
    lambda f: np.array_equal(f, np.repeat(WX[:2, -1], 3, axis=1)),
)
gives(
    "tasks.forecast.horizon_errors",
    "persistence on a constant series",
    lambda: forecast.horizon_errors(forecast.persistence_forecast, np.ones(30), 5, 3, [5, 10]),
    equal(np.zeros((2, 3))),
)
gives(
    "tasks.forecast.rmse",
    "of [1, -1, 1, -1]",
    lambda: forecast.rmse(np.array([1.0, -1.0, 1.0, -1.0])),
    equal(1.0),
)

# --- kept: a trained model kept for a later chapter --------------------------------------------


def _kept(call: Callable[[], Any]) -> Callable[[], Any]:
    """``call`` with kept models in this row's temporary folder."""

    def run() -> Any:
        before = os.environ.get("LSTM_TUTORIAL_KEPT")
        os.environ["LSTM_TUTORIAL_KEPT"] = str(tmp() / "kept")
        try:
            return call()
        finally:
            if before is None:
                del os.environ["LSTM_TUTORIAL_KEPT"]
            else:
                os.environ["LSTM_TUTORIAL_KEPT"] = before

    return run


gives(
    "book.kept.kept_dir",
    "the environment variable, when set",
    _kept(lambda: kept.kept_dir() == tmp() / "kept"),
    equal(True),
)
gives(
    "book.kept.key",
    "a hex SHA-256, the same for the same recipe in any key order",
    lambda: (kept.key({"a": 1, "b": 2}), kept.key({"b": 2, "a": 1}), kept.key({"a": 1, "b": 3})),
    lambda r: len(r[0]) == 64 and int(r[0], 16) >= 0 and r[0] == r[1] != r[2],
)
raises("book.kept.key", "recipe a list", lambda: kept.key([1]), TypeError, "recipe", "list")
gives(
    "book.kept.keep",
    "writes name.npz into the folder",
    _kept(lambda: kept.keep("reg", REG32, {"seed": 0})),
    lambda path: path == tmp() / "kept" / "reg.npz" and path.exists(),
)
raises("book.kept.keep", "model an array", _kept(lambda: kept.keep("x", np.zeros(3), {})), TypeError, "model")
gives(
    "book.kept.load",
    "round trip, and None under another recipe",
    _kept(
        lambda: (
            kept.keep("reg", REG32, {"seed": 0}, {"n": 2}),
            kept.load("reg", {"seed": 0}),
            kept.load("reg", {"seed": 1}),
        )
    ),
    lambda r: (
        r[2] is None
        and r[1][1] == {"n": 2}
        and all(np.array_equal(a, b) for a, b in zip(r[1][0].get_weights(), REG32.get_weights(), strict=True))
    ),
)
raises("book.kept.load", "name with a slash", lambda: kept.load("a/b", {}), ValueError, "name", "'a/b'")

# --- saving ---------------------------------------------------------------------------------------


def _saved(tmp: Path, name: str, obj: Any = REG32) -> Path:
    return saving.save_params(tmp / name, obj)


def _rewritten(tmp: Path, **change: Any) -> Path:
    """The good file of REG32 with some entries changed (None removes one)."""
    with np.load(_saved(tmp, "good.npz")) as f:
        contents = {k: f[k] for k in f.files}
    for key, value in change.items():
        if value is None:
            contents.pop(key)
        else:
            contents[key] = value
    path = tmp / "bad.npz"
    np.savez(path, **contents)
    return path


def _config(**change: Any) -> np.ndarray:
    config = {
        "loss": "mse",
        "layers": [
            {"type": "Recurrent", "cell": "LSTMParams", "return_sequences": False, "config": {}},
            {"type": "Dense"},
        ],
    }
    for path, value in change.items():  # "layers.1.type" -> config["layers"][1]["type"]
        *keys, last = path.split(".")
        target: Any = config
        for key in keys:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is None:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return np.array(json.dumps(config))


TMP: list[Path] = []  # set by the tmp_dir fixture before any row runs


def tmp() -> Path:
    return TMP[0]


gives("nn.saving.FORMAT_VERSION", "2", lambda: saving.FORMAT_VERSION, equal(2))
gives(
    "nn.saving.save_params",
    "m.NPZ is written as m.NPZ",
    lambda: (_saved(tmp(), "m.NPZ"), sorted(p.name for p in tmp().iterdir())),
    lambda r: r[0].name == "m.NPZ" and "m.NPZ.npz" not in r[1],
)
gives("nn.saving.save_params", ".npz appended", lambda: _saved(tmp(), "weights").name, equal("weights.npz"))
raises(
    "nn.saving.save_params", "path an int", lambda: saving.save_params(3, REG32), TypeError, "path", "int 3"
)
raises(
    "nn.saving.save_params",
    "obj an array",
    lambda: saving.save_params(tmp() / "x", np.zeros(3)),
    TypeError,
    "obj",
)
gives(
    "nn.saving.load_params",
    "round trip of m.NPZ",
    lambda: saving.load_params(_saved(tmp(), "m.NPZ")).get_weights(),
    lambda w: all(np.array_equal(a, b) for a, b in zip(w, REG32.get_weights(), strict=True)),
)
gives(
    "nn.saving.load_params",
    "round trip of a variant",
    lambda: (
        saving.load_params(_saved(tmp(), "v", model.VariantRegressor.init(variants.VARIANTS["CIFG"]))).variant
    ),
    equal(variants.VARIANTS["CIFG"]),
)


def _truncated() -> Path:
    good = _saved(tmp(), "t.npz").read_bytes()
    (tmp() / "t.npz").write_bytes(good[: len(good) // 2])
    return tmp() / "t.npz"


def _corrupt() -> Path:
    raw = bytearray(_saved(tmp(), "c.npz").read_bytes())
    raw[200:260] = b"x" * 60
    (tmp() / "c.npz").write_bytes(bytes(raw))
    return tmp() / "c.npz"


def _written(name: str, content: bytes) -> Path:
    (tmp() / name).write_bytes(content)
    return tmp() / name


def _npy() -> Path:
    np.save(tmp() / "w.npy", np.zeros(3))
    return tmp() / "w.npy"


LOAD_BAD: list[tuple[str, Callable[[], Any], tuple[str, ...]]] = [
    ("truncated", _truncated, ("t.npz", "not a readable .npz")),
    ("empty", lambda: _written("e.npz", b""), ("e.npz", "not a readable .npz")),
    ("corrupt", _corrupt, ("c.npz", "not a readable .npz", "CRC")),
    ("a .npy", _npy, ("w.npy", ".npy file", "not an .npz archive")),
    ("text", lambda: _written("x.npz", b"hello"), ("x.npz", "not a readable .npz")),
    ("missing", lambda: tmp() / "none.npz", ("none.npz", "not a readable")),
    (
        "format_version '2'",
        lambda: _rewritten(tmp(), format_version=np.array("2")),
        ("format_version '2'", "integer"),
    ),
    ("format_version 1.9", lambda: _rewritten(tmp(), format_version=np.array(1.9)), ("format_version 1.9",)),
    (
        "format_version 2.0",
        lambda: _rewritten(tmp(), format_version=np.array(2.0)),
        ("format_version 2.0", "integer"),
    ),
    (
        "format_version True",
        lambda: _rewritten(tmp(), format_version=np.array(True)),
        ("format_version True",),
    ),
    ("format_version [2]", lambda: _rewritten(tmp(), format_version=np.array([2])), ("format_version [2]",)),
    ("kind an int", lambda: _rewritten(tmp(), kind=np.array(5)), ("kind", "string")),
    ("kind missing", lambda: _rewritten(tmp(), kind=None), ("kind", "string", "None")),
    ("config not JSON", lambda: _rewritten(tmp(), config=np.array("{layers")), ("config", "not valid JSON")),
    ("config a list", lambda: _rewritten(tmp(), config=np.array("[]")), ("config", "'layers' and 'loss'")),
    (
        "unknown layer type",
        lambda: _rewritten(tmp(), config=_config(**{"layers.1.type": "Conv1D"})),
        ("layers[1]", "type among", "Conv1D"),
    ),
    (
        "layer without a type",
        lambda: _rewritten(tmp(), config=_config(**{"layers.1.type": None})),
        ("layers[1]", "type"),
    ),
    (
        "no cell key",
        lambda: _rewritten(tmp(), config=_config(**{"layers.0.cell": None})),
        ("layers[0]", "keys", "'cell'"),
    ),
    ("unknown cell", lambda: _rewritten(tmp(), config=_config(**{"layers.0.cell": "Conv"})), ("'Conv'",)),
    (
        "return_sequences 'no'",
        lambda: _rewritten(tmp(), config=_config(**{"layers.0.return_sequences": "no"})),
        ("return_sequences", "true or false"),
    ),
    ("no loss", lambda: _rewritten(tmp(), config=_config(loss=None)), ("config", "'loss'")),
    ("loss 'mae'", lambda: _rewritten(tmp(), config=_config(loss="mae")), ("loss", "'mae'")),
    ("layers empty", lambda: _rewritten(tmp(), config=_config(layers=[])), ("layers", "non-empty")),
    (
        "an unknown cell config",
        lambda: _rewritten(tmp(), config=_config(**{"layers.0.config": {"variant": {"name": "x"}}})),
        ("config", "keys among"),
    ),
    ("extra array", lambda: _rewritten(tmp(), extra=np.zeros(2)), ("holds arrays", "extra")),
]
for label, make, fragments in LOAD_BAD:
    raises(
        "nn.saving.load_params", label, lambda make=make: saving.load_params(make()), ValueError, *fragments
    )
raises("nn.saving.load_params", "path None", lambda: saving.load_params(None), TypeError, "path", "NoneType")

# --- interop, keras_model, agree (Keras and torch) -------------------------------------------------


def _keras_lstm(dtype: str = "float32") -> Any:
    layer = keras_model.keras.layers.LSTM(4, dtype=dtype)
    layer.build((None, 5, 3))
    return layer


gives(
    "frameworks.interop.to_keras",
    "a float64 model into new float64 Keras layers, exactly",
    lambda: interop.to_keras(REG64).get_weights(),
    lambda w: all(
        a.dtype == np.float64 and np.array_equal(a, b) for a, b in zip(w, REG64.get_weights(), strict=True)
    ),
)
raises(
    "frameworks.interop.to_keras",
    "a float64 model into float32 Keras: refused, not rounded",
    lambda: interop.to_keras(REG64, keras_model.build_sine_model()),
    TypeError,
    "float64",
    "float32",
    "layer 'lstm",
    "round",
    "dtype='float64'",
)
raises(
    "frameworks.interop.to_keras",
    "1e300 into float32: refused",
    lambda: interop.to_keras(lstm.LSTMParams(P.W * 0 + 1e300, P.U, P.b), _keras_lstm()),
    TypeError,
    "float64",
    "float32",
    "1e+300",
    "inf",
)


def _refused_copy() -> list[np.ndarray]:
    """The weights of a Keras model after to_keras refused a float64 model into it."""
    keras = keras_model.build_sine_model(seed=3)
    with pytest.raises(TypeError):
        interop.to_keras(REG64, keras)
    return keras.get_weights()


gives(
    "frameworks.interop.to_keras",
    "a refused copy changes no layer",
    _refused_copy,
    lambda w: all(
        np.array_equal(a, b)
        for a, b in zip(w, keras_model.build_sine_model(seed=3).get_weights(), strict=True)
    ),
)
raises(
    "frameworks.interop.to_keras",
    "params a string",
    lambda: interop.to_keras("P"),
    TypeError,
    "params_or_model",
    "str",
)
gives(
    "frameworks.interop.from_keras",
    "float32 out of default Keras",
    lambda: interop.from_keras(_keras_lstm()).dtype,
    lambda d: d == np.float32,
)
gives(
    "frameworks.interop.from_keras",
    "the seed article's port: from_keras(model).predict(float64 windows) = Keras' predict",
    lambda: (
        lambda k: (interop.from_keras(k).predict(WX), k.predict(WX.astype(np.float32), verbose=0)[:, 0])
    )(keras_model.build_sine_model(seed=4)),
    lambda pair: (
        pair[0].dtype == np.float32 and np.abs(pair[0] - pair[1]).max() <= 1e-5
    ),  # as test_agreement_keras
)
raises(
    "frameworks.interop.from_keras",
    "a NumPy cell",
    lambda: interop.from_keras(P),
    TypeError,
    "layer_or_model",
    "LSTMParams",
)
raises(
    "frameworks.interop.to_torch",
    "batch_first 'no'",
    lambda: interop.to_torch(P, batch_first="no"),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.interop.to_torch",
    "weights transposed",
    lambda: interop.to_torch(P).weight_ih_l0.detach().numpy(),
    equal(P.W.T),
)
raises(
    "frameworks.interop.rnn_to_torch",
    "batch_first 1",
    lambda: interop.rnn_to_torch(RNN, batch_first=1),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.interop.rnn_to_torch",
    "weights transposed",
    lambda: interop.rnn_to_torch(RNN).weight_hh_l0.detach().numpy(),
    equal(RNN.U.T),
)
raises(
    "frameworks.interop.gru_to_torch",
    "batch_first None",
    lambda: interop.gru_to_torch(GRU, batch_first=None),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.interop.gru_from_torch",
    "round trip",
    lambda: interop.gru_from_torch(interop.gru_to_torch(GRU)).b,
    equal(GRU.b),
)
gives(
    "frameworks.interop.from_torch",
    "round trip",
    lambda: interop.from_torch(interop.to_torch(P)).W,
    equal(P.W),
)
raises(
    "frameworks.interop.gru_from_torch",
    "an LSTM module",
    lambda: interop.gru_from_torch(interop.to_torch(P)),
    TypeError,
    "module",
    "torch.nn.GRU",
)

gives(
    "frameworks.keras_model.backend",
    "torch (the book's backend)",
    lambda: keras_model.backend(),
    equal("torch"),
)
gives(
    "frameworks.keras_model.keras",
    "Keras 3",
    lambda: keras_model.keras.__version__,
    lambda v: v.startswith("3."),
)
gives(
    "frameworks.keras_model.build_sine_model",
    "the classic parameter count",
    lambda: keras_model.build_sine_model().count_params(),
    equal(101),
)
raises(
    "frameworks.keras_model.save_keras_model",
    "a NumPy model",
    lambda: keras_model.save_keras_model(REG32, tmp() / "m.keras"),
    TypeError,
    "model",
    "keras.Model",
)


def _keras_round_trip() -> tuple[list[np.ndarray], list[np.ndarray]]:
    k = keras_model.build_sine_model()
    k.fit(WX[:8].astype(np.float32), WY[:8].astype(np.float32), epochs=1, batch_size=8, verbose=0)
    keras_model.save_keras_model(k, tmp() / "m.keras")
    return k.get_weights(), keras_model.load_keras_model(tmp() / "m.keras").get_weights()


gives(
    "frameworks.keras_model.load_keras_model",
    "a round trip through save_keras_model (a trained model: its optimizer is built)",
    _keras_round_trip,
    lambda pair: all(np.array_equal(a, b) for a, b in zip(pair[0], pair[1], strict=True)),
)

gives(
    "frameworks.agree.TorchRun",
    "torch_lstm_run's result",
    lambda: agree.torch_lstm_run(P, X, H0, H0, DHS),
    lambda r: isinstance(r, agree.TorchRun) and np.allclose(r.hs, HS, rtol=1e-12, atol=1e-14),
)
gives(
    "frameworks.agree.torch_lstm_run",
    "gradients as lstm_backward's",
    lambda: agree.torch_lstm_run(P, X, H0, H0, DHS).grads.U,
    close(lstm.lstm_backward(DHS, CACHE)[1].U, rtol=1e-10),
)
gives(
    "frameworks.agree.keras_lstm_run",
    "float32 forward within 1e-6",
    lambda: agree.keras_lstm_run(
        REG32.lstm,
        WX[:2, :, :].astype(np.float32),
        np.zeros((2, 4), np.float32),
        np.zeros((2, 4), np.float32),
    )[0],
    lambda hs: np.abs(hs - lstm.lstm_forward(WX[:2].astype(np.float32), REG32.lstm)[0]).max() <= 1e-6,
)
gives(
    "frameworks.agree.AgreementRow",
    "agreement_rows' rows",
    lambda: agree.agreement_rows([(1, 2, 1, 2)]),
    lambda rows: isinstance(rows[0], agree.AgreementRow) and rows[0].torch_grads_f64 < 1e-10,
)
gives(
    "frameworks.agree.agreement_rows",
    "one row per shape",
    lambda: len(agree.agreement_rows([(1, 2, 1, 2), (2, 3, 2, 1)])),
    equal(2),
)
gives(
    "frameworks.agree.format_rows",
    "a markdown table",
    lambda: agree.format_rows([agree.AgreementRow((1, 2, 3, 4), 0.0, 0.0, 0.0)]),
    lambda t: t.splitlines()[2] == "| (1, 2, 3, 4) | 0.00e+00 | 0.00e+00 | 0.00e+00 |",
)
raises(
    "frameworks.agree.lockstep_training",
    "numpy_model a GRU regressor",
    lambda: agree.lockstep_training(
        keras_model.build_sine_model(), model.GRURegressor.init(dtype=np.float32), WX, WY, 1, 8
    ),
    TypeError,
    "numpy_model",
    "LSTMRegressor",
)
gives(
    "frameworks.agree.LockstepRun",
    "a dataclass of three curves",
    lambda: agree.LockstepRun,
    lambda c: [f for f in c.__dataclass_fields__] == ["keras_losses", "numpy_losses", "max_weight_diff"],
)

# --- benchmark, plots, cli -------------------------------------------------------------------------

gives(
    "book.benchmark.lstm_flops",
    "(1, 1, 1, 1) by hand: 6 products of 8",
    lambda: benchmark.lstm_flops(1, 1, 1, 1),
    equal(48),
)
gives(
    "book.benchmark.lstm_flops",
    "(2, 3, 4, 5) by hand",
    lambda: benchmark.lstm_flops(2, 3, 4, 5),
    equal(3 * 2 * 2 * 3 * 4 * 20 + 3 * 2 * 2 * 3 * 5 * 20),
)
gives(
    "book.benchmark.median_time",
    "non-negative seconds",
    lambda: benchmark.median_time(lambda: None, 3),
    lambda t: 0 <= t < 1,
)
raises(
    "book.benchmark.median_time",
    "repeats 0",
    lambda: benchmark.median_time(lambda: None, 0),
    ValueError,
    "repeats",
)
raises("book.benchmark.median_time", "fn not callable", lambda: benchmark.median_time(3, 1), TypeError, "fn")
gives(
    "book.benchmark.table",
    "markdown",
    lambda: benchmark.table([{"a": 1.5}], [("a", "A", ".1f"), ("b", "B", "d")]),
    equal("| A | B |\n|---|---|\n| 1.5 | n/a |"),
)
gives(
    "book.benchmark.textbook_lstm",
    "the fast path's gradients",
    lambda: benchmark.textbook_lstm(X, P, DHS),
    lambda r: (
        np.allclose(r[1], lstm.lstm_backward(DHS, CACHE)[1].U, rtol=1e-12, atol=1e-15)
        and np.allclose(r[3], lstm.lstm_backward(DHS, CACHE)[0], rtol=1e-12, atol=1e-15)
    ),
)
raises(
    "book.benchmark.bench_lstm",
    "repeats 0",
    lambda: benchmark.bench_lstm([(1, 2, 1, 2)], 0),
    ValueError,
    "repeats",
)
raises(
    "book.benchmark.bench_efficiency",
    "a 3-tuple",
    lambda: benchmark.bench_efficiency((1, 2, 3), 1),
    TypeError,
    "shape",
)
raises(
    "book.benchmark.bench_training", "epochs 0", lambda: benchmark.bench_training(0, 1), ValueError, "epochs"
)
raises(
    "book.benchmark.bench_memory",
    "truncate 0",
    lambda: benchmark.bench_memory([4], 0),
    ValueError,
    "truncate",
)
raises(
    "book.benchmark.bench_memory",
    "lengths an int",
    lambda: benchmark.bench_memory(4, 2),
    TypeError,
    "lengths",
)
gives(
    "book.benchmark.language_model_flops",
    "1 layer by hand: the LSTM's 6 products and the head's 3",
    lambda: benchmark.language_model_flops(2, 3, 7, 4, 5, 1),
    equal(3 * 2 * 2 * 3 * 4 * 20 + 3 * 2 * 2 * 3 * 5 * 20 + 3 * 2 * 2 * 3 * 5 * 7),
)
gives(
    "book.benchmark.language_model_flops",
    "2 layers: the second LSTM reads the first one's 5 units",
    lambda: (
        benchmark.language_model_flops(2, 3, 7, 4, 5, 2) - benchmark.language_model_flops(2, 3, 7, 4, 5, 1)
    ),
    equal(6 * 2 * 2 * 3 * 5 * 20),
)
raises(
    "book.benchmark.bench_language_model",
    "repeats 0",
    lambda: benchmark.bench_language_model([1], 0),
    ValueError,
    "repeats",
)
raises(
    "book.benchmark.bench_language_model",
    "layer_counts an int",
    lambda: benchmark.bench_language_model(1, 1),  # type: ignore[arg-type]
    TypeError,
    "layer_counts",
)

raises(
    "book.benchmark.elementwise_costs",
    "repeats 0",
    lambda: benchmark.elementwise_costs(repeats=0),
    ValueError,
    "repeats",
)
raises(
    "book.benchmark.elementwise_costs",
    "hidden a float",
    lambda: benchmark.elementwise_costs(hidden=1.5),  # type: ignore[arg-type]
    TypeError,
    "hidden",
)


def _costs_look_real(costs: dict[str, Any]) -> bool:
    """A tanh costs more than a multiply on any CPU, and the kernel is one NumPy can run here."""
    from numpy.lib.introspect import opt_func_info

    available = next(iter(opt_func_info(func_name="^tanh$", signature="float32")["tanh"].values()))
    return (
        0 < costs["multiply_ns"] < costs["tanh_ns"] < 1e3 and costs["tanh_kernel"] in available["available"]
    )


gives(
    "book.benchmark.elementwise_costs",
    "(32, 512): tanh dearer than a multiply; a kernel NumPy has",
    lambda: benchmark.elementwise_costs(repeats=50),
    _costs_look_real,
)


def _axes() -> Any:
    _fig, ax = plt.subplots()
    return ax


gives("book.plots.COLORS", "an LSTM colour", lambda: plots.COLORS, lambda c: "lstm" in c)
gives(
    "book.diagrams.LSTM_STAGES",
    "a tuple of names",
    lambda: diagrams.LSTM_STAGES,
    lambda s: isinstance(s, tuple) and len(s) >= 4,
)
gives(
    "book.plots.use_book_style",
    "opaque figures",
    lambda: (plots.use_book_style(), matplotlib.rcParams["figure.facecolor"])[1],
    lambda c: matplotlib.colors.to_rgba(c)[3] == 1.0,
)
raises(
    "book.diagrams.draw_lstm_chain",
    "seven steps",
    lambda: diagrams.draw_lstm_chain(_axes(), 7),
    ValueError,
    "steps",
    "7",
)
raises(
    "book.diagrams.draw_lstm_chain",
    "steps a float",
    lambda: diagrams.draw_lstm_chain(_axes(), 2.0),
    TypeError,
    "steps",
)
gives(
    "book.diagrams.draw_lstm_chain",
    "three cells: a label per state between and after them",
    lambda: (lambda ax: (diagrams.draw_lstm_chain(ax, 3), [t.get_text() for t in ax.texts])[1])(_axes()),
    lambda texts: all(any(f"{name}_{k}" in t for t in texts) for name in "ch" for k in (1, 2, 3)),
)
gives(
    "book.diagrams.LSTM_FIGSIZE",
    "two positive inches",
    lambda: diagrams.LSTM_FIGSIZE,
    lambda s: len(s) == 2 and min(s) > 0,
)
gives(
    "book.diagrams.LSTM_CHAIN_FIGSIZE",
    "wider than the cell's",
    lambda: diagrams.LSTM_CHAIN_FIGSIZE,
    lambda s: len(s) == 2 and s[0] > diagrams.LSTM_FIGSIZE[0],
)
raises(
    "book.diagrams.draw_lstm_stage",
    "an unknown stage",
    lambda: diagrams.draw_lstm_stage(_axes(), "nope"),
    ValueError,
    "stage",
)
gives(
    "book.diagrams.draw_unrolled_rnn",
    "draws",
    lambda: (lambda ax: (diagrams.draw_unrolled_rnn(ax, 3), len(ax.patches))[1])(_axes()),
    lambda n: n > 0,
)
raises(
    "book.diagrams.draw_weight_layout",
    "an unknown block",
    lambda: diagrams.draw_weight_layout(_axes(), selected="z"),
    ValueError,
    "selected",
)
gives(
    "book.plots.heatmap",
    "an image",
    lambda: plots.heatmap(_axes(), np.eye(2), xlabel="x", ylabel="y", title="t"),
    lambda im: im.get_array().shape == (2, 2),
)
gives(
    "book.plots.text_heatmap",
    "a cell per character and its newline; blank beyond the line",
    lambda: plots.text_heatmap(_axes(), "ab\nc", np.array([1.0, 2.0, 3.0, 4.0]), columns=3).get_array(),
    lambda grid: (
        np.array_equal(grid.filled(0.0), [[1.0, 2.0, 3.0], [4.0, 0.0, 0.0]])
        and np.array_equal(grid.mask, [[False, False, False], [False, True, True]])
    ),
)
raises(
    "book.plots.text_heatmap",
    "one value short",
    lambda: plots.text_heatmap(_axes(), "abc", np.zeros(2), columns=3),
    ValueError,
    "values",
    "(3,)",
)

raises("cli.main.main", "an unknown command", lambda: cli.main(["nope"]), SystemExit, "2")
gives(
    "lstm_tutorial.__version__",
    "pyproject's version",
    lambda: lstm_tutorial.__version__,
    equal(
        next(
            line.split('"')[1]
            for line in (Path(__file__).parents[2] / "pyproject.toml").read_text().splitlines()
            if line.startswith("version")
        )
    ),
)

# --- text, ngram, metrics, mackey_glass ------------------------------------------------------------

VOCAB = text.Vocabulary.from_text("abca")
IDS = VOCAB.encode("abcabcabcabc")
BIGRAM = ngram.fit_ngram(IDS, VOCAB.size, 1)


def _modules(tmp_dir: Path) -> Path:
    for k, name in enumerate("abcd"):
        (tmp_dir / f"{name}.py").write_text(f"x = {k}  # c\n" * 10)  # 110 characters each
    return tmp_dir


gives("tasks.text.Vocabulary", "sorted characters", lambda: VOCAB.chars, equal("abc"))
gives(
    "tasks.text.Vocabulary.from_text",
    "each character once",
    lambda: text.Vocabulary.from_text("cbcb").chars,
    equal("bc"),
)
raises(
    "tasks.text.Vocabulary.from_text",
    "empty",
    lambda: text.Vocabulary.from_text(""),
    ValueError,
    "chars",
    "empty",
)
gives("tasks.text.Vocabulary.size", "3 characters + unknown", lambda: VOCAB.size, equal(4))
gives("tasks.text.Vocabulary.unknown_id", "the last id", lambda: VOCAB.unknown_id, equal(3))
gives("tasks.text.Vocabulary.encode", "'abz'", lambda: VOCAB.encode("abz"), equal([0, 1, 3]))
raises("tasks.text.Vocabulary.encode", "an int", lambda: VOCAB.encode(3), TypeError, "text", "str")
gives("tasks.text.Vocabulary.decode", "round trip", lambda: VOCAB.decode(VOCAB.encode("cab")), equal("cab"))
raises(
    "tasks.text.Vocabulary.decode",
    "an id out of range",
    lambda: VOCAB.decode(np.array([9])),
    ValueError,
    "ids",
    "[0, 3]",
)
gives(
    "tasks.text.python_labels",
    "x = 'a'  # c, by hand",
    lambda: text.python_labels('x = "a"  # c\n'),
    lambda lab: (
        np.array_equal(lab.in_string, [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        and np.array_equal(lab.in_comment, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0])
        and np.array_equal(lab.column, np.arange(13))
    ),
)
gives(
    "tasks.text.SourceLabels",
    "bracket depth of f((x)), as documented: brackets count as inside",
    lambda: text.python_labels("f((x))\n").bracket_depth,
    equal([0, 1, 2, 2, 2, 1, 0]),  # a closing bracket is inside the pair it closes,
)
raises("tasks.text.python_labels", "an int", lambda: text.python_labels(3), TypeError, "source", "str")
gives(
    "tasks.text.stream_batches",
    "two streams of 11 ids, by hand",
    lambda: text.stream_batches(np.arange(11), 2, 2),
    lambda r: np.array_equal(r[0], [[[0, 1], [4, 5]], [[2, 3], [6, 7]]]) and np.array_equal(r[1], r[0] + 1),
)
raises(
    "tasks.text.stream_batches",
    "too short",
    lambda: text.stream_batches(np.arange(3), 2, 2),
    ValueError,
    "ids",
    "5 ids",
)
gives(
    "tasks.text.load_stdlib_corpus",
    "split by module",
    lambda: text.load_stdlib_corpus(60, 30, directory=_modules(tmp())),
    lambda c: (
        c.train_files == (("a.py", 110),) and c.heldout_files == (("b.py", 110),) and len(c.train) == 110
    ),
)
raises(
    "tasks.text.load_stdlib_corpus",
    "train_chars 0",
    lambda: text.load_stdlib_corpus(0),
    ValueError,
    "train_chars",
    ">= 1",
)
raises(
    "tasks.text.load_stdlib_corpus",
    "no such directory",
    lambda: text.load_stdlib_corpus(10, 10, directory="/nonexistent"),
    ValueError,
    "directory",
    "/nonexistent",
)
gives(
    "tasks.text.Corpus",
    "its checksum is the text's",
    lambda: text.load_stdlib_corpus(60, 30, directory=_modules(tmp())),
    lambda c: len(c.sha256) == 64,
)
gives(
    "tasks.text.Corpus.file_offsets",
    "one module",
    lambda: text.load_stdlib_corpus(60, 30, directory=_modules(tmp())).file_offsets("train"),
    equal([0, 110]),
)
gives(
    "tasks.text.Corpus.summary",
    "names the files",
    lambda: text.load_stdlib_corpus(60, 30, directory=_modules(tmp())).summary(),
    lambda t: "training: 110 characters, 1 files, a.py to a.py" in t,
)
gives(
    "tasks.ngram.NGramModel", "fit_ngram's model", lambda: BIGRAM, lambda m: (m.order, m.vocab_size) == (1, 4)
)
gives(
    "tasks.ngram.Smoothing",
    "two methods",
    lambda: ngram.Smoothing.__args__,
    equal(("kneser_ney", "absolute")),
)
raises(
    "tasks.ngram.fit_ngram",
    "smoothing 'laplace'",
    lambda: ngram.fit_ngram(IDS, 4, 1, smoothing="laplace"),
    ValueError,
    "smoothing",
    "'laplace'",
)
gives(
    "tasks.ngram.fit_ngram",
    "a distribution after every context",
    lambda: ngram.fit_ngram(IDS, 4, 2, smoothing="absolute"),
    lambda m: all(
        math.isclose(float(m.probs(np.array(c, dtype=np.int64)).sum()), 1.0, rel_tol=1e-12)
        for c in ([], [0], [2, 0])
    ),
)
gives("tasks.ngram.NGramModel.discounts", "one per level", lambda: BIGRAM.discounts, lambda d: len(d) == 2)
gives(
    "tasks.ngram.NGramModel.probs",
    "after 'a', 'b' is the likeliest",
    lambda: BIGRAM.probs(np.array([0])),
    lambda p: int(np.argmax(p)) == 1 and math.isclose(float(p.sum()), 1.0, rel_tol=1e-12),
)
raises(
    "tasks.ngram.NGramModel.probs",
    "an id out of range",
    lambda: BIGRAM.probs(np.array([7])),
    ValueError,
    "context",
    "[0, 3]",
)
gives(
    "tasks.ngram.NGramModel.log_probs",
    "one per target, the probs' logs",
    lambda: BIGRAM.log_probs(IDS[:3]),
    close(np.log([BIGRAM.probs(IDS[:1])[IDS[1]], BIGRAM.probs(IDS[:2])[IDS[2]]]), 1e-12),
)
gives(
    "tasks.ngram.NGramModel.cross_entropy",
    "minus the mean log-probability",
    lambda: BIGRAM.cross_entropy(IDS),
    close(-float(np.mean(BIGRAM.log_probs(IDS))), 1e-12),
)
raises(
    "tasks.ngram.NGramModel.cross_entropy",
    "one id",
    lambda: BIGRAM.cross_entropy(IDS[:1]),
    ValueError,
    "ids",
    "at least 2",
)
gives(
    "tasks.metrics.bits_per_char", "ln 2 nats = 1 bit", lambda: metrics.bits_per_char(math.log(2)), close(1.0)
)
raises(
    "tasks.metrics.bits_per_char", "negative", lambda: metrics.bits_per_char(-1.0), ValueError, "nats", ">= 0"
)
gives("tasks.metrics.perplexity", "2 ** 3", lambda: metrics.perplexity(3.0), equal(8.0))
raises("tasks.metrics.perplexity", "NaN", lambda: metrics.perplexity(math.nan), ValueError, "bpc", "nan")
gives(
    "tasks.mackey_glass.mackey_glass",
    "same seed, same series",
    lambda: (MACKEY_GLASS.mackey_glass(50), MACKEY_GLASS.mackey_glass(50)),
    lambda pair: pair[0].shape == (50,) and np.array_equal(*pair),
)
raises(
    "tasks.mackey_glass.mackey_glass",
    "tau not a whole number of steps",
    lambda: MACKEY_GLASS.mackey_glass(5, tau=0.05),
    ValueError,
    "tau",
    "whole number",
    "0.05",
)
gives(
    "nn.layers.Dense.unchecked",
    "skips the checks",
    lambda: layers.Dense.unchecked(np.zeros(1), np.zeros(1)).W.shape,
    equal((1,)),
)

# --- embedding, bidirectional, language, stateful layers ------------------------------------------

EMB = embedding.Embedding(np.arange(6.0).reshape(3, 2))  # 3 ids, 2 features: row k is [2k, 2k + 1]
BI = bidirectional.Bidirectional.init(rnn.RNNParams, 3, 4, return_sequences=True, seed=0)
CHAR = language.char_model(5, embed=3, hidden=4, layers=1, stateful=False, seed=0, dtype=np.float64)
STATEFUL = layers.Recurrent(RNN, return_sequences=True, stateful=True)


# The language model and Keras: from_keras keeps its loss, to_keras its statefulness.
gives(
    "frameworks.interop.from_keras",
    "an Embedding model, never compiled: cross-entropy, not mse",
    lambda: interop.from_keras(interop.to_keras(CHAR)).loss,
    equal("sparse_categorical_crossentropy"),
)
raises(
    "frameworks.interop.from_keras",
    "loss 'mae'",
    lambda: interop.from_keras(interop.to_keras(CHAR), loss="mae"),
    ValueError,
    "loss",
    "'mae'",
)
STATEFUL_CHAR = language.char_model(5, embed=3, hidden=4, layers=1, stateful=True, seed=0)
raises(
    "frameworks.interop.to_keras",
    "a stateful model without batch_size",
    lambda: interop.to_keras(STATEFUL_CHAR),
    ValueError,
    "batch_size",
    "stateful",
)
gives(
    "frameworks.interop.to_keras",
    "a stateful model with batch_size=2: stateful Keras layers for batches of 2",
    lambda: (lambda k: (k.input_shape, [getattr(layer, "stateful", None) for layer in k.layers]))(
        interop.to_keras(STATEFUL_CHAR, batch_size=2)
    ),
    lambda got: got == ((2, None), [None, True, None]),
)


def _zero_head_keras_loss() -> tuple[float, list[np.ndarray]]:
    """keras_loss_and_grads of a float32 char model with a zero Dense layer: every logit 0, p = 1/5."""
    model = language.char_model(5, embed=3, hidden=4, layers=1, stateful=False, seed=0)
    model.layers[-1].W[...] = 0.0
    model.layers[-1].b[...] = 0.0
    keras = interop.to_keras(model)
    keras.compile(loss=keras_model.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return agree.keras_loss_and_grads(keras, np.array([[1, 2, 4]]), np.array([[0, 0, 3]]))


gives(
    "frameworks.agree.keras_loss_and_grads",
    "uniform logits: loss ln 5, dense-bias gradient 1/5 - target frequencies (float32)",
    _zero_head_keras_loss,
    lambda got: (
        abs(got[0] - math.log(5.0)) <= 1e-6
        and np.abs(got[1][-1] - (0.2 - np.array([2, 0, 0, 1, 0]) / 3)).max() <= 1e-6
    ),
)
raises(
    "frameworks.agree.keras_loss_and_grads",
    "not compiled",
    lambda: agree.keras_loss_and_grads(interop.to_keras(CHAR), np.zeros((1, 2), int), np.zeros((1, 2), int)),
    ValueError,
    "keras_model",
    "compiled",
)
raises(
    "frameworks.agree.keras_loss_and_grads",
    "a NumPy model",
    lambda: agree.keras_loss_and_grads(CHAR, np.zeros((1, 2), int), np.zeros((1, 2), int)),
    TypeError,
    "keras_model",
    "Sequential",
)

gives("nn.embedding.Embedding", "a (V, E) table", lambda: EMB.W.shape, equal((3, 2)))
raises(
    "nn.embedding.Embedding.init",
    "vocab_size 0",
    lambda: embedding.Embedding.init(0, 2, np.random.default_rng(0), np.float64),
    ValueError,
    "vocab_size",
    ">= 1",
)
gives("nn.embedding.Embedding.vocab_size", "V", lambda: EMB.vocab_size, equal(3))
gives("nn.embedding.Embedding.weights", "[W]", lambda: EMB.weights(), lambda w: w[0] is EMB.W)
gives(
    "nn.embedding.Embedding.weight_labels",
    "one label",
    lambda: EMB.weight_labels(),
    lambda labels: len(labels) == 1,
)
gives(
    "nn.embedding.Embedding.with_weights",
    "new table",
    lambda: EMB.with_weights([np.ones((3, 2))]).W,
    equal(np.ones((3, 2))),
)
raises(
    "nn.embedding.Embedding.check_input",
    "an id out of range",
    lambda: EMB.check_input(np.array([[0, 3]])),
    ValueError,
    "x",
    "[0, 3)",
)
raises(
    "nn.embedding.Embedding.check_input",
    "float ids",
    lambda: EMB.check_input(np.array([[0.0, 1.0]])),
    TypeError,
    "x",
)
gives(
    "nn.embedding.Embedding.forward",
    "rows looked up, by hand",
    lambda: EMB.forward(np.array([[2, 0]]))[0],
    equal([[[4.0, 5.0], [0.0, 1.0]]]),
)
gives(
    "nn.embedding.Embedding.backward",
    "gradients added per id, by hand",
    lambda: EMB.backward(np.ones((1, 3, 2)), np.array([[1, 1, 0]]))[1][0],
    equal([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]),
)
gives(
    "nn.bidirectional.MERGE_MODES",
    "Keras' four",
    lambda: bidirectional.MERGE_MODES,
    equal(("concat", "sum", "mul", "ave")),
)
raises(
    "nn.bidirectional.Bidirectional.init",
    "merge_mode 'max'",
    lambda: bidirectional.Bidirectional.init(rnn.RNNParams, 3, 4, merge_mode="max"),
    ValueError,
    "merge_mode",
    "'max'",
)
raises(
    "nn.bidirectional.Bidirectional.init",
    "seed -1",
    lambda: bidirectional.Bidirectional.init(rnn.RNNParams, 3, 4, seed=-1),
    ValueError,
    "seed",
)
raises(
    "nn.bidirectional.Bidirectional",
    "two cells of other sizes",
    lambda: bidirectional.Bidirectional(layers.Recurrent(RNN), layers.Recurrent(rnn.RNNParams.init(3, 5))),
    ValueError,
    "backward_layer",
)
gives("nn.bidirectional.Bidirectional.return_sequences", "True", lambda: BI.return_sequences, equal(True))
gives("nn.bidirectional.Bidirectional.input_size", "D", lambda: BI.input_size, equal(3))
gives("nn.bidirectional.Bidirectional.output_size", "concat: 2H", lambda: BI.output_size, equal(8))
gives("nn.bidirectional.Bidirectional.dtype", "float64", lambda: BI.dtype, lambda d: d == np.float64)
gives("nn.bidirectional.Bidirectional.weights", "both sides", lambda: len(BI.weights()), equal(6))
gives(
    "nn.bidirectional.Bidirectional.weight_labels",
    "one per weight",
    lambda: len(BI.weight_labels()),
    equal(6),
)
gives(
    "nn.bidirectional.Bidirectional.with_weights",
    "the same arrays back",
    lambda: BI.with_weights([w.copy() for w in BI.weights()]).forward(X)[0],
    equal(BI.forward(X)[0]),
)
raises(
    "nn.bidirectional.Bidirectional.check_input",
    "D mismatch",
    lambda: BI.check_input(X[:, :, :2]),
    ValueError,
    "x",
)
gives(
    "nn.bidirectional.Bidirectional.forward",
    "forward half = the forward RNN",
    lambda: BI.forward(X)[0][..., :4],
    equal(rnn.rnn_forward(X, BI.forward_layer.cell)[0]),
)
gives(
    "nn.bidirectional.Bidirectional.backward",
    "dx of the shape of x",
    lambda: BI.backward(np.ones((2, 5, 8)), BI.forward(X)[1])[0].shape,
    equal((2, 5, 3)),
)
gives(
    "nn.layers.MatrixSized",
    "the base of Dense",
    lambda: layers.MatrixSized,
    lambda c: issubclass(layers.Dense, c),
)
gives("nn.layers.MatrixSized.input_size", "Dense's H", lambda: DENSE.input_size, equal(2))
gives("nn.layers.MatrixSized.output_size", "Dense's K", lambda: DENSE.output_size, equal(2))
gives("nn.layers.MatrixSized.dtype", "Dense's", lambda: DENSE.dtype, lambda d: d == np.float64)
raises(
    "nn.layers.Recurrent.check_input",
    "float32 x",
    lambda: REC.check_input(X.astype(np.float32)),
    TypeError,
    "x",
    "float32",
)
gives("nn.layers.Recurrent.input_size", "D", lambda: REC.input_size, equal(3))
gives(
    "nn.layers.Recurrent.initial_state",
    "zeros",
    lambda: REC.initial_state(2),
    lambda s: s[0].shape == (2, 4) and not s[0].any(),
)
gives(
    "nn.layers.Recurrent.reset_state",
    "the next batch starts from zeros",
    lambda: (STATEFUL.forward(X), STATEFUL.reset_state(), STATEFUL.initial_state(2))[2],
    lambda s: not s[0].any(),
)
gives(
    "nn.model.Sequential.per_step", "a char model predicts at every step", lambda: CHAR.per_step, equal(True)
)
gives(
    "nn.model.Sequential.reset_states",
    "runs on a model without state",
    lambda: REG32.reset_states(),
    lambda r: r is None,
)
gives(
    "nn.losses.log_softmax",
    "of [0, ln 3]: log 1/4, log 3/4",
    lambda: losses.log_softmax(np.array([0.0, math.log(3.0)])),
    close([math.log(0.25), math.log(0.75)]),
)
gives(
    "nn.losses.sparse_categorical_crossentropy",
    "uniform logits: ln K",
    lambda: losses.sparse_categorical_crossentropy(np.zeros((1, 2, 4)), np.array([[0, 3]]))[0],
    close(math.log(4.0)),
)
gives(
    "tasks.language.char_model",
    "Embedding, LSTM, Dense(V)",
    lambda: [type(layer).__name__ for layer in CHAR.layers],
    equal(["Embedding", "Recurrent", "Dense"]),
)
raises("tasks.language.char_model", "vocab_size 0", lambda: language.char_model(0), ValueError, "vocab_size")
gives(
    "tasks.language.next_probabilities",
    "temperature 1: the softmax",
    lambda: language.next_probabilities(np.array([0.0, math.log(3.0)]), 1.0),
    close([0.25, 0.75]),
)
raises(
    "tasks.language.next_probabilities",
    "temperature 0",
    lambda: language.next_probabilities(np.zeros(2), 0.0),
    ValueError,
    "temperature",
)
gives(
    "tasks.language.sample",
    "seeded: the same ids",
    lambda: (
        language.sample(CHAR, np.array([1, 2]), 5, seed=3),
        language.sample(CHAR, np.array([1, 2]), 5, seed=3),
    ),
    lambda pair: pair[0].shape == (5,) and np.array_equal(*pair),
)
gives(
    "tasks.language.inverse_cdf",
    "u below, at and past each cumulative step",
    lambda: language.inverse_cdf(np.array([[0.25, 0.5, 0.25]] * 4), np.array([0.0, 0.2, 0.25, 0.99])),
    equal([0, 0, 1, 2]),
)
raises(
    "tasks.language.inverse_cdf",
    "one uniform too few",
    lambda: language.inverse_cdf(np.full((2, 3), 1 / 3), np.zeros(1)),
    ValueError,
    "uniforms",
)
gives(
    "tasks.language.sample_streams",
    "one row per stream",
    lambda: language.sample_streams(CHAR, np.array([1]), 4, streams=3).shape,
    equal((3, 4)),
)
gives(
    "tasks.language.heldout_bits_per_char",
    "uniform logits: log2 V bits",
    lambda: language.heldout_bits_per_char(
        language.Sequential(
            [CHAR.layers[0], CHAR.layers[1], layers.Dense(np.zeros((4, 5)), np.zeros(5))],
            loss="sparse_categorical_crossentropy",
        ),
        np.arange(9) % 5,
        batch_size=2,
        seq_len=4,
    ),
    close(math.log2(5.0)),
)
raises(
    "tasks.language.heldout_bits_per_char",
    "too few ids",
    lambda: language.heldout_bits_per_char(CHAR, np.arange(3) % 5, batch_size=2, seq_len=4),
    ValueError,
    "ids",
)
gives(
    "tasks.language.log_probs",
    "uniform logits: ln(1/V) for every character after the first",
    lambda: language.log_probs(
        language.Sequential(
            [CHAR.layers[0], CHAR.layers[1], layers.Dense(np.zeros((4, 5)), np.zeros(5))],
            loss="sparse_categorical_crossentropy",
        ),
        np.arange(7) % 5,
        chunk=3,
    ),
    close([math.log(0.2)] * 6),
)
raises(
    "tasks.language.log_probs", "one id", lambda: language.log_probs(CHAR, np.array([1])), ValueError, "ids"
)
gives(
    "tasks.language.train_char_model",
    "a curve entry per evaluation",
    lambda: list(
        language.train_char_model(
            CHAR.copy(), np.arange(17) % 5, 3, batch_size=2, seq_len=4, eval_every=2
        ).steps
    ),
    equal([2, 3]),
)
raises(
    "tasks.language.train_char_model",
    "steps 0",
    lambda: language.train_char_model(CHAR.copy(), np.arange(17) % 5, 0, batch_size=2, seq_len=4),
    ValueError,
    "steps",
)
gives(
    "tasks.language.LearningCurve",
    "the characters read: steps x B x T",
    lambda: language.train_char_model(CHAR.copy(), np.arange(17) % 5, 2, batch_size=2, seq_len=4).characters,
    equal([16]),
)
gives(
    "tasks.language.cell_internals",
    "one row per character; h = o tanh(c)",
    lambda: language.cell_internals(CHAR, np.array([0, 3, 1, 4]), chunk=3),
    lambda got: got.c.shape == (4, 4) and bool(np.allclose(got.h, got.o * np.tanh(got.c), atol=1e-15)),
)
raises(
    "tasks.language.cell_internals",
    "layer 1 of a one-layer model",
    lambda: language.cell_internals(CHAR, np.array([0, 1]), layer=1),
    ValueError,
    "layer",
    "[0, 0]",
)
gives(
    "tasks.language.CellInternals",
    "the first step from zero states: c_1 = i g",
    lambda: language.cell_internals(CHAR, np.array([2, 0])),
    lambda got: bool(np.allclose(got.c[0], got.i[0] * got.g[0], atol=1e-15)),
)
gives(
    "tasks.probe.unit_correlations",
    "r = 1, -1, and NaN for a constant unit",
    lambda: probe.unit_correlations(np.array([[0.0, 2.0, 5.0], [1.0, 0.0, 5.0]]), np.array([3, 4])),
    lambda r: bool(np.allclose(r[:2], [1.0, -1.0], rtol=1e-15) and np.isnan(r[2])),
)
raises(
    "tasks.probe.unit_correlations",
    "constant labels",
    lambda: probe.unit_correlations(np.eye(3), np.zeros(3)),
    ValueError,
    "labels",
    "equal",
)
gives(
    "tasks.probe.best_unit",
    "the largest |r|, with its sign",
    lambda: probe.best_unit(np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 1.0]]), np.array([0, 1, 0])),
    # unit 0: r = (-1/2, 1/2, 0) . (-1/3, 2/3, -1/3) / (sqrt(1/2) sqrt(2/3)) = sqrt(3)/2;
    # unit 1 is 1 - labels: r = -1, the larger |r|
    lambda got: got[0] == 1 and bool(np.isclose(got[1], -1.0, rtol=1e-14)),
)
raises(
    "tasks.probe.best_unit",
    "absolute not a bool",
    lambda: probe.best_unit(np.eye(3), np.arange(3), absolute=1),
    TypeError,
    "absolute",
)
gives(
    "tasks.probe.character_ratio",
    "ids 0 0 1 1, labels 0 2 3 3: eta^2 = between-id / total sum of squares",
    lambda: probe.character_ratio(np.array([0, 0, 1, 1]), np.array([0.0, 2.0, 3.0, 3.0])),
    # mean 2; total 4 + 0 + 1 + 1 = 6; id means 1 and 3: between 2 * 1 + 2 * 1 = 4
    close(math.sqrt(4.0 / 6.0), rtol=1e-14),
)
raises(
    "tasks.probe.character_ratio",
    "float ids",
    lambda: probe.character_ratio(np.zeros(3), np.arange(3)),
    TypeError,
    "ids",
)
gives(
    "tasks.probe.gate_saturation",
    "fractions below 0.1 and above 0.9",
    lambda: probe.gate_saturation(np.array([[0.05], [0.5], [0.95], [0.99]])),
    lambda lr: bool(np.array_equal(lr[0], [0.25]) and np.array_equal(lr[1], [0.5])),
)
raises(
    "tasks.probe.gate_saturation",
    "low above high",
    lambda: probe.gate_saturation(np.eye(2), low=0.9, high=0.1),
    ValueError,
    "low",
)
gives(
    "nn.optim.Adam.moments",
    "after one step: (1 - beta) g and (1 - beta_2) g^2",
    lambda: (lambda a: (a.step([np.zeros(2)], [np.array([1.0, -2.0])]), a.moments())[1])(optim.Adam()),
    lambda mv: (
        np.allclose(mv[0][0], [0.1, -0.2], rtol=1e-12) and np.allclose(mv[1][0], [0.001, 0.004], rtol=1e-12)
    ),
)
gives(
    "nn.optim.Adam.resume",
    "resumed = never stopped",
    lambda: _resumed_adam(),
    lambda pair: np.array_equal(*pair),
)
gives(
    "exercises.checking.Exercise",
    "every exercise a record",
    lambda: exercises.EXERCISES,
    lambda e: all(isinstance(x, exercises.Exercise) for x in e.values()),
)
gives(
    "exercises.checking.Exercise.chapter",
    "ch01's",
    lambda: next(iter(exercises.EXERCISES.values())).chapter,
    equal("01_rnn"),
)
gives(
    "exercises.checking.Exercise.function",
    "from the checker's name",
    lambda: next(iter(exercises.EXERCISES.values())).function,
    lambda f: f == next(iter(exercises.EXERCISES.values())).check.__name__.removeprefix("check_"),
)


def _resumed_adam() -> tuple[np.ndarray, np.ndarray]:
    """Two Adam steps in one go, and one step, then a new Adam resumed from its state for the second."""
    grads = [np.array([1.0, -2.0]), np.array([0.5, 0.25])]
    w, a = np.zeros(2), optim.Adam()
    for g in grads:
        a.step([w], [g])
    u, b = np.zeros(2), optim.Adam()
    b.step([u], [grads[0]])
    m, v = b.moments()
    c = optim.Adam()
    c.resume([u], m, v, b.iterations)
    c.step([u], [grads[1]])
    return w, u


# --- exercises: each checker passes its own reference and refuses a non-function ------------------

for _id, exercise in exercises.EXERCISES.items():
    checker_name = f"{exercise.check.__module__.removeprefix('lstm_tutorial.')}.{exercise.check.__name__}"
    gives(
        checker_name,
        f"{_id}: the reference passes",
        lambda e=exercise: e.check(e.reference).passed,
        equal(True),
    )
    gives(
        checker_name,
        f"{_id}: a non-function is an error",
        lambda e=exercise: e.check(42).status,
        equal("error"),
    )
gives(
    "exercises.EXERCISES",
    "one per checker",
    lambda: len(exercises.EXERCISES),
    equal(len([name for name in exercises.__all__ if name.startswith("check_")])),
)
gives(
    "exercises.checking.CheckResult",
    "the verdict",
    lambda: exercises.check_sigmoid(lambda z: 0 * z),
    lambda r: isinstance(r, exercises.CheckResult) and r.status == "fail",
)
raises(
    "exercises.checking.CheckResult.raise_if_failed",
    "a failed check",
    lambda: exercises.check_sigmoid(lambda z: 0 * z).raise_if_failed(),
    AssertionError,
    "sigmoid",
)


# --- the tests --------------------------------------------------------------------------------------


def public_names() -> set[str]:
    """Every public name, spelled as the rows spell it (see the module docstring)."""
    root = lstm_tutorial.__name__
    modules = [
        importlib.import_module(m.name)
        # The prefix makes the walk import subpackages by their full name: without it, a folder
        # on sys.path named like one (tests/book, the chapters' book/) was walked instead.
        for m in pkgutil.walk_packages(lstm_tutorial.__path__, prefix=f"{root}.", onerror=print)
        if not any(part.startswith("_") for part in m.name.split("."))
        # The chapters' exercise modules count through lstm_tutorial.exercises, which re-exports
        # their checkers (the scope this table has always had); their own helpers have no rows.
        and not m.name.startswith(f"{root}.exercises.")
    ]
    names: set[str] = set()
    seen: dict[int, str] = {}
    classes: list[type] = []
    for mod in [*modules, lstm_tutorial]:
        short = mod.__name__.removeprefix(f"{root}.") if mod is not lstm_tutorial else root
        for name in getattr(mod, "__all__", ()):  # a module without __all__ exports nothing
            obj = getattr(mod, name)
            defined_in = getattr(obj, "__module__", "") or ""
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and defined_in.startswith(f"{root}."):
                key = f"{defined_in.removeprefix(f'{root}.')}.{obj.__qualname__}"
                if inspect.isclass(obj) and obj not in classes:
                    classes.append(obj)
            elif not isinstance(obj, (int, float, str)) and id(obj) in seen:
                key = seen[id(obj)]
            else:
                key = f"{short}.{name}"
            seen.setdefault(id(obj), key)
            names.add(key)
    for kind in classes:
        if getattr(kind, "_is_protocol", False):
            continue  # a Protocol's methods are a specification; Recurrent and Dense have the rows
        for base in kind.__mro__:
            if not base.__module__.startswith(f"{root}.") or (
                base is not kind and not base.__name__.startswith("_")
            ):
                continue  # a public base has its own entry; a private one is listed through its subclass
            for member, value in vars(base).items():
                method = isinstance(value, (property, classmethod, staticmethod)) or inspect.isfunction(value)
                if method and not member.startswith("_"):
                    names.add(f"{base.__module__.removeprefix(f'{root}.')}.{base.__qualname__}.{member}")
    return names


NAMES = public_names()


@pytest.fixture(autouse=True)
def tmp_dir(tmp_path: Path) -> Any:
    TMP[:] = [tmp_path]
    yield
    plt.close("all")


def test_every_public_name_has_a_row() -> None:
    covered = {row.name for row in ROWS}
    missing = sorted(NAMES - covered)
    assert not missing, f"{len(missing)} public names have no row in tests/unit/test_public_api.py: {missing}"
    unknown = sorted(covered - NAMES)
    assert not unknown, f"rows for names that are not public (renamed?): {unknown}"


def test_the_tables_hold_at_least_150_cases() -> None:
    from test_validation import CASES

    assert len(ROWS) >= 150, len(ROWS)
    print(f"{len(ROWS)} rows here over {len(NAMES)} public names, {len(CASES)} in test_validation.py")


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.name}: {r.label}" for r in ROWS])
def test_row(row: Row) -> None:
    if isinstance(row.expect, Raises):
        with pytest.raises(row.expect.error) as info:
            row.call()
        message = str(info.value)
        for fragment in row.expect.fragments:
            assert fragment in message, f"{fragment!r} not in {message!r}"
    else:
        result = row.call()
        assert row.expect.check(result), f"unexpected result {result!r}"
