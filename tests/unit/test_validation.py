"""Bad input gets a clear error naming the argument, what it got and what it expected.

Each row of CASES: a call, the exception type, and fragments the message must contain.
Each row of RESULTS: a call that must work, and the value it must return, worked out
by hand (not copied from the code under test).
"""

from __future__ import annotations

import io
import json
import math
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lstm_tutorial.nn import _checks
from lstm_tutorial.nn.activations import sigmoid, tanh
from lstm_tutorial.nn.bidirectional import Bidirectional
from lstm_tutorial.nn.dropout import Dropout, dropout_backward, dropout_forward, dropout_mask
from lstm_tutorial.nn.gradcheck import numerical_gradient, numerical_gradient_at, rel_error
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams, lstm_backward, lstm_forward, lstm_step
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.optim import SGD, Adam, KerasTorchAdam, clip_by_global_norm
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.nn.rnn import RNNParams, rnn_forward, rnn_step
from lstm_tutorial.nn.saving import load_params, save_params
from lstm_tutorial.nn.train import fit
from lstm_tutorial.nn.variants import PeepholeParams
from lstm_tutorial.tasks.data import adding_problem, make_windows, sine_wave, train_test_split
from lstm_tutorial.tasks.forecast import (
    LinearAR,
    horizon_errors,
    persistence_forecast,
    recursive_forecast,
    rmse,
)
from lstm_tutorial.tasks.language import char_model
from lstm_tutorial.tasks.language_training import train_char_model
from lstm_tutorial.tasks.mackey_glass import mackey_glass
from lstm_tutorial.tasks.ngram import fit_ngram
from lstm_tutorial.tasks.probe import character_ratio, gate_saturation, unit_correlations
from lstm_tutorial.tasks.sampling import inverse_cdf, next_probabilities, sample
from lstm_tutorial.tasks.text import Vocabulary, load_stdlib_corpus, python_labels, stream_batches

P = LSTMParams.init(3, 4, seed=0)
X = np.zeros((2, 5, 3))
NAN_X = X.copy()
NAN_X[0, 1, 2] = np.nan
INF_H0 = np.zeros((2, 4))
INF_H0[1, 1] = np.inf
_, CACHE = lstm_forward(X, P)
MODEL = LSTMRegressor.init(1, 4, seed=0)
SERIES = sine_wave(20)
X32 = np.array([1.0, 2.0], np.float32)  # d/dx sum(x**2) = [2, 4]
X64 = X32.astype(np.float64)
READ_ONLY = np.ones(3)
READ_ONLY.flags.writeable = False


def build(**kwargs: Any) -> Any:
    """build_sine_model, imported only when a row calls it (it imports Keras)."""
    from lstm_tutorial.frameworks.keras import build_sine_model

    return build_sine_model(**kwargs)


def keras_call(name: str, *args: Any) -> Any:
    from lstm_tutorial.frameworks import keras as keras_bridge

    return getattr(keras_bridge, name)(*args)


def stepped_adam(*shapes: tuple[int, ...]) -> Adam:
    """An Adam that has taken one step on fresh arrays of these shapes."""
    adam = Adam()
    adam.step([np.zeros(s) for s in shapes], [np.ones(s) for s in shapes])
    return adam


def with_nan(*shape: int) -> np.ndarray:
    array = np.ones(shape)
    array.flat[-1] = np.nan
    return array


CHAR_MODEL = char_model(5, 4, 6, layers=1)  # ids 0 .. 4
IDS = np.arange(200) % 5


def corpus_of_no_modules() -> Any:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "notes.txt").write_text("x = 1\n")
        return load_stdlib_corpus(10, 10, folder)


def raises(error: Exception) -> Callable[[], float]:
    def f() -> float:
        raise error

    return f


CASES: list[tuple[str, Callable[[], Any], type[Exception], tuple[str, ...]]] = [
    ("x rank 2", lambda: lstm_forward(np.zeros((5, 3)), P), ValueError, ("x", "3 dimensions", "(5, 3)")),
    (
        "x wrong D",
        lambda: lstm_forward(np.zeros((2, 5, 2)), P),
        ValueError,
        ("x", "D = input_size = 3", "(2, 5, 2)"),
    ),
    (
        "x int",
        lambda: lstm_forward(np.zeros((2, 5, 3), dtype=int), P),
        TypeError,
        ("x", "float32 or float64", "int64"),
    ),
    ("x list", lambda: lstm_forward([[[0.0]]], P), TypeError, ("x", "NumPy array", "list")),
    (
        "x float32, params float64",
        lambda: lstm_forward(X.astype(np.float32), P),
        TypeError,
        ("x", "float32", "float64"),
    ),
    ("x NaN", lambda: lstm_forward(NAN_X, P), ValueError, ("x", "finite", "1 NaN or inf")),
    ("x empty", lambda: lstm_forward(np.zeros((0, 5, 3)), P), ValueError, ("x", "empty", "(0, 5, 3)")),
    (
        "h0 wrong H",
        lambda: lstm_forward(X, P, h0=np.zeros((2, 5))),
        ValueError,
        ("h0", "(B, H)", "(2, 4)", "(2, 5)"),
    ),
    ("h0 inf", lambda: lstm_forward(X, P, h0=INF_H0), ValueError, ("h0", "finite")),
    ("c0 wrong B", lambda: lstm_forward(X, P, c0=np.zeros((3, 4))), ValueError, ("c0", "(2, 4)", "(3, 4)")),
    (
        "params not LSTMParams",
        lambda: lstm_forward(X, RNNParams.init(3, 4)),
        TypeError,
        ("params", "LSTMParams", "RNNParams"),
    ),
    (
        "W/U hidden mismatch",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((5, 20)), np.zeros(20)),
        ValueError,
        ("W", "(D, 4H)", "(D, 20)", "(3, 16)"),
    ),
    (
        "U not (H, 4H)",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((4, 4)), np.zeros(16)),
        ValueError,
        ("U", "(H, 4H)", "(4, 16)", "(4, 4)"),
    ),
    (
        "b wrong length",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(4)),
        ValueError,
        ("b", "(4H,)", "(16,)", "(4,)"),
    ),
    (
        "U dtype mismatch",
        lambda: LSTMParams(np.zeros((3, 16)), np.zeros((4, 16), np.float32), np.zeros(16)),
        TypeError,
        ("U", "float32", "float64"),
    ),
    ("hidden_size 0", lambda: LSTMParams.init(3, 0), ValueError, ("hidden_size", ">= 1", "0")),
    ("dtype int", lambda: LSTMParams.init(3, 4, dtype=np.int32), TypeError, ("dtype", "float32", "int32")),
    (
        "step h_prev shape",
        lambda: lstm_step(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 4)), P),
        ValueError,
        ("h_prev", "(2, 4)", "(2, 3)"),
    ),
    (
        "dhs wrong shape",
        lambda: lstm_backward(np.zeros((2, 5, 3)), CACHE),
        ValueError,
        ("dhs", "(B, T, H)", "(2, 5, 4)", "(2, 5, 3)"),
    ),
    (
        "cache wrong",
        lambda: lstm_backward(np.zeros((2, 5, 4)), "cache"),
        TypeError,
        ("cache", "LSTMCache", "str"),
    ),
    (
        "truncate 0",
        lambda: lstm_backward(np.zeros((2, 5, 4)), CACHE, truncate=0),
        ValueError,
        ("truncate", ">= 1", "0"),
    ),
    (
        "rnn x rank",
        lambda: rnn_forward(np.zeros(3), RNNParams.init(3, 4)),
        ValueError,
        ("x", "3 dimensions", "(3,)"),
    ),
    (
        "rnn_step x_t list",
        lambda: rnn_step([[0.0]], np.zeros((1, 4)), RNNParams.init(1, 4)),
        TypeError,
        ("x_t", "NumPy array", "list"),
    ),
    (
        "rnn_step h_prev wrong H",
        lambda: rnn_step(np.zeros((2, 1)), np.zeros((2, 3)), RNNParams.init(1, 4)),
        ValueError,
        ("h_prev", "(B, H)", "(2, 4)", "(2, 3)"),
    ),
    (
        "look_back too long",
        lambda: make_windows(sine_wave(20), 19),
        ValueError,
        ("look_back", "shorter than the series", "20 samples"),
    ),
    ("look_back 0", lambda: make_windows(sine_wave(20), 0), ValueError, ("look_back", ">= 1", "0")),
    ("look_back float", lambda: make_windows(sine_wave(20), 2.5), TypeError, ("look_back", "integer", "2.5")),
    (
        "series 2-D",
        lambda: make_windows(np.zeros((10, 1)), 3),
        ValueError,
        ("series", "1 dimensions", "(10, 1)"),
    ),
    (
        "series with inf",
        lambda: make_windows(np.array([0.0, np.inf, 1.0, 2.0]), 1),
        ValueError,
        ("series", "finite"),
    ),
    ("period negative", lambda: sine_wave(10, -5), ValueError, ("period", "positive", "-5")),
    (
        "train_fraction 1",
        lambda: train_test_split(sine_wave(50), 5, 1.0),
        ValueError,
        ("train_fraction", "between 0 and 1", "1.0"),
    ),
    ("adding length 1", lambda: adding_problem(5, 1), ValueError, ("length", "at least 2", "1")),
    (
        "y wrong length",
        lambda: MODEL.loss_and_grads(np.zeros((4, 10, 1)), np.zeros(3)),
        ValueError,
        ("y", "(4,)", "(3,)"),
    ),
    (
        "set_weights count",
        lambda: MODEL.set_weights([np.zeros(1)]),
        ValueError,
        ("weights", "5 arrays", "got 1"),
    ),
    (
        "set_weights shape",
        lambda: MODEL.set_weights([np.zeros((1, 20)), *MODEL.get_weights()[1:]]),
        ValueError,
        ("kernel", "(1, 16)", "(1, 20)"),
    ),
    (
        "fit epochs 0",
        lambda: fit(MODEL, np.zeros((4, 10, 1)), np.zeros(4), epochs=0, verbose=0),
        ValueError,
        ("epochs", ">= 1", "0"),
    ),
    (
        "fit not a model",
        lambda: fit("model", np.zeros((4, 10, 1)), np.zeros(4)),
        TypeError,
        ("model", "LSTMRegressor", "str"),
    ),
    (
        "adam grads mismatch",
        lambda: Adam().step([np.zeros(3)], [np.zeros(4)]),
        ValueError,
        ("grads[0]", "(3,)", "(4,)"),
    ),
    # _checks: the shared checks, directly.
    (
        "finite_number bool",
        lambda: _checks.finite_number("v", True),
        TypeError,
        ("v", "finite number", "bool"),
    ),
    ("finite_number nan", lambda: _checks.finite_number("v", math.nan), ValueError, ("v", "finite", "nan")),
    (
        "finite_number -inf",
        lambda: _checks.finite_number("v", -math.inf),
        ValueError,
        ("v", "finite", "-inf"),
    ),
    ("finite_number huge int", lambda: _checks.finite_number("v", 10**400), ValueError, ("v", "finite")),
    ("finite_number complex", lambda: _checks.finite_number("v", 1j), TypeError, ("v", "complex")),
    ("finite_number str", lambda: _checks.finite_number("v", "1"), TypeError, ("v", "str '1'")),
    ("finite_number 0-d array", lambda: _checks.finite_number("v", np.array(1.0)), TypeError, ("v", "array")),
    (
        "finite_number above [0, 1)",
        lambda: _checks.finite_number("v", 1.0, 0, 1, high_open=True),
        ValueError,
        ("v", "in [0, 1)", "1.0"),
    ),
    (
        "finite_number below (0, 1]",
        lambda: _checks.finite_number("v", 0, 0, 1, low_open=True),
        ValueError,
        ("v", "in (0, 1]", "got 0"),
    ),
    ("flag str", lambda: _checks.flag("f", "yes"), TypeError, ("f", "True or False", "str 'yes'")),
    ("flag int", lambda: _checks.flag("f", 1), TypeError, ("f", "True or False", "int 1")),
    ("flag None", lambda: _checks.flag("f", None), TypeError, ("f", "True or False", "None")),
    ("seed -1", lambda: _checks.seed("seed", -1), ValueError, ("seed", "integer >= 0 or None", "-1")),
    ("seed bool", lambda: _checks.seed("seed", True), TypeError, ("seed", "integer >= 0", "bool")),
    ("seed float", lambda: _checks.seed("seed", 1.0), TypeError, ("seed", "integer >= 0", "float 1.0")),
    ("seed None refused", lambda: _checks.seed("seed", None, allow_none=False), TypeError, ("seed", "None")),
    ("seed above high", lambda: _checks.seed("seed", 2**32, high=2**32 - 1), ValueError, ("<= 4294967295",)),
    ("real_values str", lambda: _checks.real_values("a", "1"), TypeError, ("a", "real number", "str")),
    ("real_values ragged", lambda: _checks.real_values("a", [[1], [1, 2]]), TypeError, ("a", "list")),
    ("real_values object", lambda: _checks.real_values("a", [None]), TypeError, ("a", "dtype object")),
    # optim: clip_by_global_norm.
    (
        "clip int grads",
        lambda: clip_by_global_norm([np.array([3, 4])], 1.0),
        TypeError,
        ("grads[0]", "float32 or float64", "int64"),
    ),
    (
        "clip NaN grad",
        lambda: clip_by_global_norm([np.ones(2), with_nan(3)], 1.0),
        ValueError,
        ("grads[1]", "finite", "1 NaN or inf"),
    ),
    (
        "clip inf grad",
        lambda: clip_by_global_norm([np.array([np.inf, 1.0])], 1.0),
        ValueError,
        ("grads[0]", "finite"),
    ),
    (
        "clip bool grads",
        lambda: clip_by_global_norm([np.array([True])], 1.0),
        TypeError,
        ("grads[0]", "bool"),
    ),
    (
        "clip list grad",
        lambda: clip_by_global_norm([[3.0, 4.0]], 1.0),
        TypeError,
        ("grads[0]", "NumPy array"),
    ),
    ("clip one array", lambda: clip_by_global_norm(np.ones(2), 1.0), TypeError, ("grads", "list", "array")),
    (
        "clip max_norm 0",
        lambda: clip_by_global_norm([np.ones(2)], 0),
        ValueError,
        ("max_norm", "positive", "0"),
    ),
    ("clip max_norm -1", lambda: clip_by_global_norm([np.ones(2)], -1.0), ValueError, ("max_norm", "-1.0")),
    (
        "clip max_norm nan",
        lambda: clip_by_global_norm([np.ones(2)], math.nan),
        ValueError,
        ("max_norm", "nan"),
    ),
    (
        "clip max_norm inf",
        lambda: clip_by_global_norm([np.ones(2)], math.inf),
        ValueError,
        ("max_norm", "inf"),
    ),
    ("clip max_norm bool", lambda: clip_by_global_norm([np.ones(2)], True), TypeError, ("max_norm", "bool")),
    ("clip max_norm str", lambda: clip_by_global_norm([np.ones(2)], "1"), TypeError, ("max_norm", "str")),
    # optim: hyperparameters.
    ("SGD inf", lambda: SGD(math.inf), ValueError, ("learning_rate", "positive finite", "inf")),
    ("SGD nan", lambda: SGD(math.nan), ValueError, ("learning_rate", "nan")),
    ("SGD True", lambda: SGD(True), TypeError, ("learning_rate", "bool True")),
    ("SGD 0", lambda: SGD(0.0), ValueError, ("learning_rate", "positive", "0.0")),
    ("SGD negative", lambda: SGD(-0.1), ValueError, ("learning_rate", "-0.1")),
    ("SGD str", lambda: SGD("0.1"), TypeError, ("learning_rate", "str '0.1'")),
    ("SGD complex", lambda: SGD(0.1j), TypeError, ("learning_rate", "complex")),
    ("Adam lr inf", lambda: Adam(math.inf), ValueError, ("learning_rate", "positive finite", "inf")),
    ("Adam lr True", lambda: Adam(True), TypeError, ("learning_rate", "bool")),
    ("Adam lr 0", lambda: Adam(0), ValueError, ("learning_rate", "got 0")),
    ("Adam lr nan", lambda: Adam(math.nan), ValueError, ("learning_rate", "nan")),
    ("Adam beta_1 1", lambda: Adam(beta_1=1.0), ValueError, ("beta_1", "in [0, 1)", "1.0")),
    ("Adam beta_1 negative", lambda: Adam(beta_1=-0.1), ValueError, ("beta_1", "in [0, 1)", "-0.1")),
    ("Adam beta_1 nan", lambda: Adam(beta_1=math.nan), ValueError, ("beta_1", "nan")),
    ("Adam beta_1 bool", lambda: Adam(beta_1=False), TypeError, ("beta_1", "bool")),
    ("Adam beta_2 1", lambda: Adam(beta_2=1), ValueError, ("beta_2", "in [0, 1)", "got 1")),
    ("Adam beta_2 inf", lambda: Adam(beta_2=math.inf), ValueError, ("beta_2", "inf")),
    ("Adam epsilon inf", lambda: Adam(epsilon=math.inf), ValueError, ("epsilon", "positive finite", "inf")),
    ("Adam epsilon 0", lambda: Adam(epsilon=0.0), ValueError, ("epsilon", "positive", "0.0")),
    ("Adam epsilon negative", lambda: Adam(epsilon=-1e-7), ValueError, ("epsilon", "-1e-07")),
    ("Adam epsilon bool", lambda: Adam(epsilon=True), TypeError, ("epsilon", "bool")),
    ("KerasTorchAdam lr inf", lambda: KerasTorchAdam(math.inf), ValueError, ("learning_rate", "inf")),
    ("KerasTorchAdam beta_2 1", lambda: KerasTorchAdam(beta_2=1.0), ValueError, ("beta_2", "[0, 1)")),
    # optim: step.
    (
        "SGD int params",
        lambda: SGD(0.1).step([np.array([1, 2])], [np.array([1, 2])]),
        TypeError,
        ("params[0]", "float32 or float64", "int64"),
    ),
    (
        "Adam int params",
        lambda: Adam().step([np.ones(2), np.array([1, 2])], [np.ones(2), np.array([1, 2])]),
        TypeError,
        ("params[1]", "int64"),
    ),
    (
        "SGD shape mismatch",
        lambda: SGD().step([np.ones((2, 3))], [np.ones((3, 2))]),
        ValueError,
        ("grads[0]", "(2, 3)", "(3, 2)"),
    ),
    (
        "SGD dtype mismatch",
        lambda: SGD().step([np.ones(2)], [np.ones(2, np.float32)]),
        ValueError,
        ("grads[0]", "float64", "float32"),
    ),
    (
        "Adam dtype mismatch",
        lambda: Adam().step([np.ones(2, np.float32)], [np.ones(2)]),
        ValueError,
        ("grads[0]", "float32", "float64"),
    ),
    (
        "Adam mixed dtypes",
        lambda: Adam().step([np.ones(2), np.ones(2, np.float32)], [np.ones(2), np.ones(2, np.float32)]),
        TypeError,
        ("params", "one dtype", "float32"),
    ),
    (
        "SGD count mismatch",
        lambda: SGD().step([np.ones(2)], []),
        ValueError,
        ("grads", "1 params", "0 grads"),
    ),
    ("SGD one array", lambda: SGD().step(np.ones(2), np.ones(2)), TypeError, ("params", "list", "[params]")),
    ("Adam empty", lambda: Adam().step([], []), ValueError, ("params", "at least one array")),
    ("SGD list param", lambda: SGD().step([[1.0]], [np.ones(1)]), TypeError, ("params[0]", "NumPy arrays")),
    ("SGD read-only", lambda: SGD().step([READ_ONLY], [np.ones(3)]), ValueError, ("params[0]", "writeable")),
    (
        "Adam same array twice",
        lambda: Adam().step([MODEL.dense_b, MODEL.dense_b], [np.ones(1), np.ones(1)]),
        ValueError,
        ("params[1]", "same array as params[0]"),
    ),
    (
        "SGD NaN grad",
        lambda: SGD().step([np.ones(3)], [with_nan(3)]),
        ValueError,
        ("grads[0]", "finite", "1 NaN or inf", "learning rate"),
    ),
    (
        "Adam inf grad",
        lambda: Adam().step([np.ones(2), np.ones(3)], [np.ones(2), np.array([1.0, -np.inf, 1.0])]),
        ValueError,
        ("grads[1]", "finite", "1 NaN or inf"),
    ),
    (
        "Adam other arrays, same shapes",
        lambda: stepped_adam((2,), (3,)).step([np.zeros(2), np.zeros(3)], [np.ones(2), np.ones(3)]),
        ValueError,
        (
            "params",
            "same arrays on every step",
            "first step",
            "not the same objects",
            "new Adam for each model",
        ),
    ),
    (
        "Adam other shapes",
        lambda: stepped_adam((2,)).step([np.zeros(4)], [np.ones(4)]),
        ValueError,
        ("params", "[(2,)]", "[(4,)]", "new Adam"),
    ),
    (
        "Adam fewer arrays",
        lambda: stepped_adam((2,), (3,)).step([np.zeros(2)], [np.ones(2)]),
        ValueError,
        ("2 arrays", "got 1 arrays", "new Adam"),
    ),
    # gradcheck.
    (
        "numerical_gradient float32, default eps",
        lambda: numerical_gradient(lambda: float(np.sum(X32**2)), X32),
        ValueError,
        ("eps", "float32", "1e-06", "float64"),
    ),
    (
        "numerical_gradient float64, eps below rounding",
        lambda: numerical_gradient(lambda: 0.0, np.array([1e6]), eps=1e-9),
        ValueError,
        ("eps", "float64", "1e-09"),
    ),
    ("eps 0", lambda: numerical_gradient(lambda: 0.0, np.ones(2), eps=0.0), ValueError, ("eps", "positive")),
    (
        "eps nan",
        lambda: numerical_gradient(lambda: 0.0, np.ones(2), eps=math.nan),
        ValueError,
        ("eps", "nan"),
    ),
    ("eps bool", lambda: numerical_gradient(lambda: 0.0, np.ones(2), eps=True), TypeError, ("eps", "bool")),
    ("eps str", lambda: numerical_gradient(lambda: 0.0, np.ones(2), eps="1e-6"), TypeError, ("eps", "str")),
    ("gradcheck x int", lambda: numerical_gradient(lambda: 0.0, np.ones(2, int)), TypeError, ("x", "int64")),
    ("gradcheck x list", lambda: numerical_gradient(lambda: 0.0, [1.0]), TypeError, ("x", "NumPy array")),
    (
        "gradcheck x read-only",
        lambda: numerical_gradient(lambda: 0.0, READ_ONLY),
        ValueError,
        ("x", "writeable"),
    ),
    (
        "gradcheck f not callable",
        lambda: numerical_gradient(0.0, np.ones(2)),
        TypeError,
        ("f", "function", "float"),
    ),
    (
        "gradcheck f returns an array",
        lambda: numerical_gradient(lambda: np.ones(2), np.ones(2)),
        TypeError,
        ("f", "one real number", "shape (2,)"),
    ),
    (
        "gradcheck f returns nan",
        lambda: numerical_gradient(lambda: math.nan, np.ones(2)),
        ValueError,
        ("f", "finite loss", "nan", "x[(0,)]"),
    ),
    (
        "indices not a list",
        lambda: numerical_gradient_at(lambda: 0.0, np.ones(2), 0),
        TypeError,
        ("indices", "list of index tuples", "int 0"),
    ),
    (
        "index too short",
        lambda: numerical_gradient_at(lambda: 0.0, np.ones((2, 2)), [(0,)]),
        TypeError,
        ("indices[0]", "tuple of 2 integers", "(2, 2)"),
    ),
    (
        "index a slice",
        lambda: numerical_gradient_at(lambda: 0.0, np.ones(2), [(slice(None),)]),
        TypeError,
        ("indices[0]", "tuple of 1 integers"),
    ),
    (
        "index out of range",
        lambda: numerical_gradient_at(lambda: 0.0, np.ones(2), [(2,)]),
        ValueError,
        ("indices[0]", "(2,)", "outside x of shape (2,)"),
    ),
    ("rel_error None", lambda: rel_error(None, 1), TypeError, ("a", "real number", "NoneType")),
    ("rel_error b None", lambda: rel_error(1, None), TypeError, ("b", "NoneType")),
    ("rel_error complex", lambda: rel_error(1j, 1), TypeError, ("a", "complex")),
    (
        "rel_error complex array",
        lambda: rel_error(np.ones(2), np.ones(2) * 1j),
        TypeError,
        ("b", "complex128"),
    ),
    ("rel_error bool", lambda: rel_error(True, 1), TypeError, ("a", "bool")),
    ("rel_error bool array", lambda: rel_error(np.ones(1, bool), np.ones(1)), TypeError, ("a", "dtype bool")),
    ("rel_error str", lambda: rel_error("1", 1), TypeError, ("a", "str")),
    ("rel_error nan", lambda: rel_error(math.nan, 1), ValueError, ("a", "finite", "1 NaN")),
    ("rel_error shapes", lambda: rel_error([1, 2], [1]), ValueError, ("a and b", "(2,)", "(1,)")),
    # activations.
    ("sigmoid bool", lambda: sigmoid(True), TypeError, ("z", "real number", "bool")),
    ("sigmoid str", lambda: sigmoid("0"), TypeError, ("z", "str")),
    ("sigmoid None", lambda: sigmoid(None), TypeError, ("z", "NoneType")),
    ("sigmoid complex", lambda: sigmoid(1j), TypeError, ("z", "complex")),
    ("sigmoid complex array", lambda: sigmoid(np.ones(2) * 1j), TypeError, ("z", "complex128")),
    ("sigmoid bool array", lambda: sigmoid(np.ones(2, bool)), TypeError, ("z", "dtype bool")),
    ("tanh list", lambda: tanh([0.0]), TypeError, ("z", "list")),
    ("tanh bool", lambda: tanh(np.True_), TypeError, ("z", "bool")),
    (
        "sigmoid out dtype",
        lambda: sigmoid(np.zeros(3), out=np.zeros(3, np.float32)),
        ValueError,
        ("out", "(3,) float64", "float32"),
    ),
    ("tanh out shape", lambda: tanh(np.zeros(3), out=np.zeros(4)), ValueError, ("out", "(3,)", "(4,)")),
    # data.
    (
        "drop_last 'no'",
        lambda: make_windows(SERIES, 3, drop_last="no"),
        TypeError,
        ("drop_last", "True or False", "str 'no'"),
    ),
    ("drop_last 0", lambda: make_windows(SERIES, 3, drop_last=0), TypeError, ("drop_last", "int 0")),
    ("drop_last None", lambda: make_windows(SERIES, 3, drop_last=None), TypeError, ("drop_last", "None")),
    ("look_back bool", lambda: make_windows(SERIES, True), TypeError, ("look_back", "integer", "bool")),
    ("sine_wave seed -1", lambda: sine_wave(10, noise=0.1, seed=-1), ValueError, ("seed", ">= 0", "-1")),
    ("sine_wave seed bool", lambda: sine_wave(10, seed=True), TypeError, ("seed", "bool")),
    ("sine_wave seed float", lambda: sine_wave(10, seed=0.5), TypeError, ("seed", "float 0.5")),
    ("sine_wave noise bool", lambda: sine_wave(10, noise=True), TypeError, ("noise", "bool")),
    ("sine_wave noise nan", lambda: sine_wave(10, noise=math.nan), ValueError, ("noise", "nan")),
    ("sine_wave noise negative", lambda: sine_wave(10, noise=-0.1), ValueError, ("noise", ">= 0", "-0.1")),
    ("sine_wave noise str", lambda: sine_wave(10, noise="0.1"), TypeError, ("noise", "str")),
    ("sine_wave period inf", lambda: sine_wave(10, math.inf), ValueError, ("period", "positive", "inf")),
    ("sine_wave period nan", lambda: sine_wave(10, math.nan), ValueError, ("period", "nan")),
    ("sine_wave period bool", lambda: sine_wave(10, True), TypeError, ("period", "bool")),
    ("sine_wave period 0", lambda: sine_wave(10, 0), ValueError, ("period", "positive", "0")),
    ("sine_wave n bool", lambda: sine_wave(True), TypeError, ("n", "integer", "bool")),
    ("adding seed -1", lambda: adding_problem(5, 4, seed=-1), ValueError, ("seed", ">= 0", "-1")),
    ("adding seed str", lambda: adding_problem(5, 4, seed="0"), TypeError, ("seed", "str")),
    ("adding dtype int", lambda: adding_problem(5, 4, dtype=int), TypeError, ("dtype", "float32")),
    (
        "train_fraction nan",
        lambda: train_test_split(SERIES, 3, math.nan),
        ValueError,
        ("train_fraction", "nan"),
    ),
    ("train_fraction 0", lambda: train_test_split(SERIES, 3, 0.0), ValueError, ("train_fraction", "0.0")),
    ("train_fraction bool", lambda: train_test_split(SERIES, 3, True), TypeError, ("train_fraction", "bool")),
    ("train_fraction str", lambda: train_test_split(SERIES, 3, "0.5"), TypeError, ("train_fraction", "str")),
    # forecast.
    ("LinearAR int coef", lambda: LinearAR(np.array([1, 2]), 0.0), TypeError, ("coef", "int64")),
    ("LinearAR coef 2-D", lambda: LinearAR(np.ones((2, 1)), 0.0), ValueError, ("coef", "1 dimensions")),
    ("LinearAR intercept nan", lambda: LinearAR(np.ones(2), math.nan), ValueError, ("intercept", "nan")),
    ("LinearAR intercept bool", lambda: LinearAR(np.ones(2), True), TypeError, ("intercept", "bool")),
    (
        "recursive_forecast NaN prediction",
        lambda: recursive_forecast(lambda x: np.full(len(x), np.nan), np.zeros((2, 3, 1)), 4),
        ValueError,
        ("predict", "finite", "2 NaN or inf", "step 1 of 4"),
    ),
    (
        "rmse axis bool",
        lambda: rmse(np.ones(3), axis=True),
        TypeError,
        ("axis", "None or an integer", "bool"),
    ),
    ("rmse axis float", lambda: rmse(np.ones(3), axis=0.0), TypeError, ("axis", "float")),
    ("rmse axis too large", lambda: rmse(np.ones(3), axis=1), ValueError, ("axis", "[-1, 0]", "got 1")),
    ("rmse axis too small", lambda: rmse(np.ones((2, 3)), axis=-3), ValueError, ("axis", "[-2, 1]", "-3")),
    # tasks: helpers that gave NaN, a silent wrong result, a raw library error or a MemoryError.
    (
        "next_probabilities temperature 0",
        lambda: next_probabilities(np.zeros((1, 2)), 0.0),
        ValueError,
        ("temperature", "positive", "0.0"),
    ),
    (
        "inverse_cdf all-zero row",
        lambda: inverse_cdf(np.array([[0.5, 0.5], [0.0, 0.0]]), np.array([0.1, 0.2])),
        ValueError,
        ("probabilities", "sum to a finite number > 0", "0 in row 1"),
    ),
    (
        "inverse_cdf negative probability",
        lambda: inverse_cdf(np.array([[0.5, -0.5, 1.0]]), np.array([0.5])),
        ValueError,
        ("probabilities", ">= 0", "-0.5", "row 0, id 1"),
    ),
    (
        "inverse_cdf row total overflows",
        lambda: inverse_cdf(np.array([[1e308, 1e308]]), np.array([0.5])),
        ValueError,
        ("probabilities", "finite", "inf in row 0"),
    ),
    (
        "inverse_cdf uniform 1",
        lambda: inverse_cdf(np.array([[0.5, 0.5]]), np.array([1.0])),
        ValueError,
        ("uniforms", "[0, 1)", "1.0"),
    ),
    (
        "inverse_cdf uniform negative",
        lambda: inverse_cdf(np.array([[0.5, 0.5]]), np.array([-0.1])),
        ValueError,
        ("uniforms", "[0, 1)", "-0.1"),
    ),
    (
        "sample length 10**12",
        lambda: sample(CHAR_MODEL, np.array([1]), 10**12),
        ValueError,
        ("length = 1,000,000,000,000", "10,000,000", "MAX_VALUES"),
    ),
    (
        "stream_batches uint64 id past int64",
        lambda: stream_batches(np.array([0, 1, 2**64 - 1], np.uint64), 1, 2),
        ValueError,
        ("ids", ">= 0 and below 2**63", "18446744073709551615"),
    ),
    (
        "stream_batches negative id",
        lambda: stream_batches(np.array([0, -1, 3]), 1, 2),
        ValueError,
        ("ids", ">= 0", "from -1 to 3"),
    ),
    (
        "load_stdlib_corpus folder without modules",
        corpus_of_no_modules,
        ValueError,
        ("directory", "Python modules (*.py files)", "found none"),
    ),
    (
        "fit_ngram codes overflow int64",
        lambda: fit_ngram(np.arange(10), 2**62, 3),
        ValueError,
        ("vocab_size = 4611686018427387904", "order = 3", "10 ids", "2**63"),
    ),
    (
        "mackey_glass unstable step",
        lambda: mackey_glass(50, gamma=3, dt=1),
        ValueError,
        ("dt = 1", "gamma = 3", "stable", "at most 0.4319"),
    ),
    (
        "mackey_glass step too large for beta",
        lambda: mackey_glass(10, beta=1e300),
        ValueError,
        ("dt = 0.1", "beta = 1e+300", "at most 1.375e-300"),
    ),
    (
        "mackey_glass dt 1e-9",
        lambda: mackey_glass(dt=1e-9),
        ValueError,
        ("dt = 1e-09", "1.7e+10 steps", "MAX_STEPS"),
    ),
    (
        "mackey_glass n_samples 10**12",
        lambda: mackey_glass(10**12),
        ValueError,
        ("n_samples = 1000000000000", "MAX_STEPS", "larger dt"),
    ),
    (
        "mackey_glass sample_every below dt",
        lambda: mackey_glass(10, sample_every=1e-300),
        ValueError,
        ("sample_every", "at least one step dt = 0.1", "1e-300"),
    ),
    (
        "mackey_glass history below 0",
        lambda: mackey_glass(20, n=10.5, initial=0.05),
        ValueError,
        ("initial", "> 0.1 with a seed", "0.05"),
    ),
    (
        "mackey_glass x**n overflows",
        lambda: mackey_glass(10, initial=1e300),
        ValueError,
        ("overflowed", "initial = 1e+300", "n = 10"),
    ),
    (
        "sine_wave 10**12",
        lambda: sine_wave(10**12),
        ValueError,
        ("n too large", "1,000,000,000,000", "MAX_VALUES"),
    ),
    (
        "make_windows over MAX_VALUES",
        lambda: make_windows(np.zeros(10**6), 10**5),
        ValueError,
        ("series and look_back", "899,999 windows of 100,000 steps", "MAX_VALUES"),
    ),
    (
        "adding_problem over MAX_VALUES",
        lambda: adding_problem(10**7, 10**7),
        ValueError,
        ("n_samples * length", "MAX_VALUES"),
    ),
    (
        "recursive_forecast horizon 10**12",
        lambda: recursive_forecast(persistence_forecast, np.ones((1, 2, 1)), 10**12),
        ValueError,
        ("horizon", "1,000,000,000,000", "MAX_VALUES"),
    ),
    (
        "character_ratio no ids",
        lambda: character_ratio(np.array([], np.int64), np.array([])),
        ValueError,
        ("ids", "at least 2", "got 0"),
    ),
    ("gate_saturation NaN", lambda: gate_saturation(with_nan(3, 2)), ValueError, ("gates", "finite")),
    (
        "train_char_model held-out id outside the vocabulary",
        lambda: train_char_model(CHAR_MODEL, IDS, 2, np.arange(100) % 7, batch_size=2, seq_len=8),
        ValueError,
        ("heldout_ids", "[0, 4]", "from 0 to 6"),
    ),
    (
        "train_char_model held-out text shorter than a batch",
        lambda: train_char_model(CHAR_MODEL, IDS, 2, IDS[:10], batch_size=2, seq_len=8),
        ValueError,
        ("heldout_ids", "batch_size * seq_len + 1 = 17", "got 10"),
    ),
    (
        "train_char_model training id outside the vocabulary",
        lambda: train_char_model(CHAR_MODEL, np.arange(200) % 9, 2, batch_size=2, seq_len=8),
        ValueError,
        ("train_ids", "[0, 4]", "from 0 to 8"),
    ),
    # frameworks.keras (the checks run before Keras builds anything).
    ("keras lr -1", lambda: build(learning_rate=-1.0), ValueError, ("learning_rate", "positive", "-1.0")),
    ("keras lr nan", lambda: build(learning_rate=math.nan), ValueError, ("learning_rate", "nan")),
    ("keras lr 0", lambda: build(learning_rate=0), ValueError, ("learning_rate", "got 0")),
    ("keras lr inf", lambda: build(learning_rate=math.inf), ValueError, ("learning_rate", "inf")),
    ("keras lr bool", lambda: build(learning_rate=True), TypeError, ("learning_rate", "bool")),
    ("keras lr str", lambda: build(learning_rate="1e-3"), TypeError, ("learning_rate", "str")),
    ("keras seed -1", lambda: build(seed=-1), ValueError, ("seed", ">= 0", "4294967295", "-1")),
    ("keras seed 2**32", lambda: build(seed=2**32), ValueError, ("seed", "4294967296")),
    ("keras seed bool", lambda: build(seed=True), TypeError, ("seed", "bool")),
    ("keras units 0", lambda: build(units=0), ValueError, ("units", ">= 1", "0")),
    ("keras look_back bool", lambda: build(look_back=True), TypeError, ("look_back", "bool")),
    ("keras features float", lambda: build(features=1.0), TypeError, ("features", "float")),
    (
        "keras load .h5",
        lambda: keras_call("load_keras_model", "m.h5"),
        ValueError,
        ("path", ".keras", "m.h5"),
    ),
    ("keras load None", lambda: keras_call("load_keras_model", None), TypeError, ("path", "NoneType")),
]


# --- Issue 27, the core's cases: stacks, Bidirectional, interop, Adam.resume, fit, files -------------


def keras_model(
    layers: Callable[[Any], list[Any]], shape: tuple[int, ...] = (5, 2), **input_kwargs: Any
) -> Any:
    """A Keras Sequential on inputs of ``shape``, its layers made by ``layers(keras.layers)``."""
    from lstm_tutorial.frameworks.keras import keras

    return keras.Sequential([keras.Input(shape, **input_kwargs), *layers(keras.layers)])


def bidirectional_sum_model() -> Sequential:
    """Ours, float32: Bidirectional(LSTM(3), merge_mode="sum") on D = 2, then Dense(1)."""
    cells = [LSTMParams.init(2, 3, seed=k, dtype=np.float32) for k in (0, 1)]
    bi = Bidirectional(Recurrent(cells[0]), Recurrent(cells[1]), "sum")
    return Sequential([bi, Dense.init(3, 1, np.random.default_rng(0), np.float32)])


def appended(layer: Any) -> Sequential:
    """A model of one LSTM(3) returning sequences on D = 2, with ``layer`` appended to its list."""
    model = Sequential([Recurrent(LSTMParams.init(2, 3), True)])
    model.layers.append(layer)
    return model


def resumed(m: list[float], v: list[float], dtype: Any = np.float64) -> None:
    """A fresh Adam resumed on one parameter of two weights with these moments, after 3 steps."""
    Adam().resume([np.zeros(2, dtype)], [np.array(m, dtype)], [np.array(v, dtype)], 3)


def stateful_model() -> Sequential:
    """A stateful LSTM(2) on D = 1, then Dense(1)."""
    dense = Dense.init(2, 1, np.random.default_rng(0), np.float64)
    return Sequential([Recurrent(LSTMParams.init(1, 2), stateful=True), dense])


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    """The header a .npy file of this shape and dtype starts with (format 1.0)."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def load_with_member(name: str, chunks: Iterable[bytes], compress: bool = False) -> Any:
    """``load_params`` on MODEL's file with the member ``name`` replaced, or added, written from
    ``chunks`` (deflated if ``compress``)."""
    with tempfile.TemporaryDirectory() as folder:
        good, bad = save_params(Path(folder) / "good.npz", MODEL), Path(folder) / "bad.npz"
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w", compresslevel=1) as target:
            for info in source.infolist():
                if info.filename != name:
                    target.writestr(info, source.read(info))
            member = zipfile.ZipInfo(name)
            member.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            with target.open(member, "w") as stream:
                for chunk in chunks:
                    stream.write(chunk)
        return load_params(bad)


def load_with_config(text: str) -> Any:
    """``load_params`` on MODEL's file with its config replaced by ``text``."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.array(text))
    return load_with_member("config.npy", [buffer.getvalue()])


def zeros_member(megabytes: int) -> Iterator[bytes]:
    """A .npy member of ``megabytes`` MiB of float64 zeros, written a MiB at a time."""
    yield npy_header((megabytes * 2**17,))
    for _ in range(megabytes):
        yield bytes(2**20)


CORE_CASES: list[tuple[str, Callable[[], Any], type[Exception], tuple[str, ...]]] = [
    # Stacks that cannot work are refused when the model is built, naming both layers.
    (
        "stack: LSTM giving a vector, then an RNN",
        lambda: Sequential([Recurrent(LSTMParams.init(2, 2)), Recurrent(RNNParams.init(2, 3))]),
        TypeError,
        (
            "layers[1] must be a RepeatVector or Dense layer",
            "layers[0]",
            "gives a vector (N, 2)",
            "RNNParams",
            "(N, T, 2)",
        ),
    ),
    (
        "stack: LSTM giving a vector, then a Peephole",
        lambda: Sequential([Recurrent(LSTMParams.init(2, 3)), Recurrent(PeepholeParams.init(3, 3))]),
        TypeError,
        ("layers[1] must be a RepeatVector or Dense layer", "LSTMParams", "PeepholeParams", "vector (N, 3)"),
    ),
    (
        "stack: widths differ",
        lambda: Sequential([Recurrent(LSTMParams.init(2, 3), True), Recurrent(RNNParams.init(4, 3))]),
        ValueError,
        ("layers[1] takes 4 features but layers[0] gives 3",),
    ),
    (
        "stack: a layer appended after building, then predict",
        lambda: appended(Recurrent(RNNParams.init(2, 3))).predict(np.zeros((3, 4, 2))),
        ValueError,
        ("layers[1] takes 2 features but layers[0] gives 3",),
    ),
    # Bidirectional.init draws fresh weights: a cell given to it is refused, not ignored.
    (
        "Bidirectional.init with a cell",
        lambda: Bidirectional.init(LSTMParams.init(2, 3), 2, 3),
        TypeError,
        ("cell_kind", "cell class", "instance of LSTMParams", "Bidirectional(Recurrent(forward_cell)"),
    ),
    (
        "Bidirectional.init with an int",
        lambda: Bidirectional.init(3, 2, 3),
        TypeError,
        ("cell_kind", "int 3"),
    ),
    # Interop compares whole configurations and names the field it cannot carry.
    (
        "from_keras Embedding(mask_zero=True)",
        lambda: keras_call(
            "from_keras",
            keras_model(
                lambda L: [L.Embedding(6, 3, mask_zero=True), L.LSTM(4), L.Dense(6)], (5,), dtype="int32"
            ),
        ),
        ValueError,
        ("layers[0]", "mask_zero=True", "cannot carry"),
    ),
    (
        "from_keras backward layer activation='relu'",
        lambda: keras_call(
            "from_keras",
            keras_model(
                lambda L: [
                    L.Bidirectional(
                        L.LSTM(3), backward_layer=L.LSTM(3, activation="relu", go_backwards=True)
                    ),
                    L.Dense(1),
                ]
            ),
        ),
        ValueError,
        ("layers[0].backward_layer", "activation='relu'", "activation='tanh'"),
    ),
    # LSTM(dropout=0.1) is carried now (a row of RESULTS); what Keras drops and this package cannot:
    (
        "from_keras LSTM(recurrent_dropout=0.1)",
        lambda: keras_call(
            "from_keras", keras_model(lambda L: [L.LSTM(3, recurrent_dropout=0.1), L.Dense(1)])
        ),
        ValueError,
        ("layers[0]", "recurrent_dropout=0.1", "recurrent_dropout=0.0"),
    ),
    (
        "to_keras into a Bidirectional merge_mode='ave' for 'sum'",
        lambda: keras_call(
            "to_keras",
            bidirectional_sum_model(),
            keras_model(lambda L: [L.Bidirectional(L.LSTM(3), merge_mode="ave"), L.Dense(1)]),
        ),
        ValueError,
        ("layers[0]", "merge_mode='ave'", "merge_mode='sum'"),
    ),
    (
        "to_keras into a Bidirectional returning sequences",
        lambda: keras_call(
            "to_keras",
            bidirectional_sum_model(),
            keras_model(
                lambda L: [L.Bidirectional(L.LSTM(3, return_sequences=True), merge_mode="sum"), L.Dense(1)]
            ),
        ),
        ValueError,
        ("layers[0]", "return_sequences=True", "return_sequences=False"),
    ),
    # Adam.resume refuses moments that would make the next step NaN or inf.
    ("resume v negative", lambda: resumed([0, 0], [1, -1]), ValueError, ("v[0]", ">= 0", "1 negative", "-1")),
    ("resume m NaN", lambda: resumed([math.nan, 0], [1, 1]), ValueError, ("m[0]", "finite", "1 NaN or inf")),
    ("resume v inf", lambda: resumed([0, 0], [math.inf, 1]), ValueError, ("v[0]", "finite", "1 NaN or inf")),
    (
        "resume m too large for v = 0",
        lambda: resumed([3e38, 0], [0, 0], np.float32),
        ValueError,
        ("m[0] is too large for v[0]", "float32"),
    ),
    (
        "resume mixed dtypes",
        lambda: Adam().resume(
            [np.zeros(1), np.zeros(1, np.float32)],
            [np.zeros(1), np.zeros(1, np.float32)],
            [np.zeros(1), np.zeros(1, np.float32)],
            0,
        ),
        TypeError,
        ("params", "one dtype", "float32"),
    ),
    # fit: every check that can run before the first update runs before it.
    (
        "fit stateful, N not a multiple of batch_size",
        lambda: fit(stateful_model(), np.ones((5, 3, 1)), np.ones(5), batch_size=2, shuffle=False, verbose=0),
        ValueError,
        ("batch_size must divide N", "N = 5", "batches of 2", "last batch of 1"),
    ),
    (
        "fit on_batch_end of one argument",
        lambda: fit(MODEL.copy(), np.ones((4, 10, 1)), np.ones(4), verbose=0, on_batch_end=lambda step: None),
        TypeError,
        ("on_batch_end", "(step, batch_loss)", "<lambda>(step)"),
    ),
    (
        "fit on_batch_end of three arguments",
        lambda: fit(
            MODEL.copy(), np.ones((4, 10, 1)), np.ones(4), verbose=0, on_batch_end=lambda a, b, c: None
        ),
        TypeError,
        ("on_batch_end", "(step, batch_loss)", "missing a required argument: 'c'"),
    ),
    # Files: bounded JSON, headers checked before allocating, decompressed sizes capped.
    (
        "load_params config of 100000 [",
        lambda: load_with_config("[" * 100_000),
        ValueError,
        ("bad.npz", "config nests 100000 levels", "more than the 32"),
    ),
    (
        "load_params member declaring 10**13 elements",
        lambda: load_with_member("layer0.kernel.npy", [npy_header((10**13,)), bytes(64)]),
        ValueError,
        ("bad.npz", "'layer0.kernel.npy'", "(10000000000000,)", "more than the 100000000"),
    ),
    (
        "load_params member whose header and size disagree",
        lambda: load_with_member("layer0.kernel.npy", [npy_header((1, 16)), bytes(64)]),
        ValueError,
        ("'layer0.kernel.npy'", "declares 128 bytes of data", "holds 64"),
    ),
    (
        "load_params member that would inflate 1000 times",
        lambda: load_with_member("extra.npy", zeros_member(8), compress=True),
        ValueError,
        ("'extra.npy'", "would inflate", "refused before decompressing"),
    ),
    (
        "load_params member that is not an array",
        lambda: load_with_member("notes.txt", [b"hello"]),
        ValueError,
        ("bad.npz", "'notes.txt' is not an array (.npy)"),
    ),
    (
        "load_params member of Python objects",
        lambda: load_with_member("extra.npy", [npy_header((1,), "|O"), bytes(8)]),
        ValueError,
        ("'extra.npy'", "Python objects", "pickle"),
    ),
]
CASES += CORE_CASES

# --- Issue 25, dropout: the rate, the seed, the mask, and what the bridges cannot carry ----------------


def regressor_config(**recurrent: Any) -> str:
    """MODEL's config as ``save_params`` writes it, its recurrent layer's config given ``recurrent`` too."""
    cell = {"cell": "LSTMParams", "cell_config": {}, "return_sequences": False, "stateful": False}
    return json.dumps(
        {
            "loss": "mse",
            "layers": [
                {
                    "type": "Recurrent",
                    "config": {**cell, **recurrent},
                    "weights": ["kernel", "recurrent_kernel", "bias"],
                },
                {"type": "Dense", "config": {}, "weights": ["dense kernel", "dense bias"]},
            ],
        }
    )


def torch_one_layer_lstm_with_dropout() -> Any:
    """``from_torch`` of ``torch.nn.LSTM(3, 4, dropout=0.2)`` (torch warns that one layer drops nothing)."""
    import warnings

    import torch

    from lstm_tutorial.frameworks.torch import from_torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = torch.nn.LSTM(3, 4, dropout=0.2)
    return from_torch(module)


DROPOUT_CASES: list[tuple[str, Callable[[], Any], type[Exception], tuple[str, ...]]] = [
    ("Dropout rate 1", lambda: Dropout(1.0), ValueError, ("rate", "[0, 1)", "1.0")),
    ("Dropout rate -0.5", lambda: Dropout(-0.5), ValueError, ("rate", "[0, 1)", "-0.5")),
    ("Dropout rate a string", lambda: Dropout("0.5"), TypeError, ("rate", "str '0.5'")),
    ("Dropout rate NaN", lambda: Dropout(float("nan")), ValueError, ("rate", "nan")),
    ("Dropout rate True", lambda: Dropout(True), TypeError, ("rate", "bool")),
    ("Dropout seed -1", lambda: Dropout(0.5, seed=-1), ValueError, ("seed", ">= 0", "-1")),
    ("Dropout seed 1.5", lambda: Dropout(0.5, seed=1.5), TypeError, ("seed", "float")),  # type: ignore[arg-type]
    (
        "Dropout.from_config without its seed",
        lambda: Dropout.from_config({"rate": 0.5}, []),
        ValueError,
        ("Dropout", "missing ['seed']"),
    ),
    (
        "Dropout first in a model",
        lambda: Sequential([Dropout(0.5), Dense.init(2, 1, np.random.default_rng(0), np.float64)]),
        TypeError,
        ("layers[0]", "Dropout(rate=0.5, seed=None)"),
    ),
    (
        "Dropout forward: a mask of x's rank but another size",
        lambda: Dropout(0.5).forward(np.ones((2, 3)), training=True, dropout_mask=np.full((2, 2), 2.0)),
        ValueError,
        ("dropout_mask", "(2, 3)", "(2, 2)"),
    ),
    (
        "Recurrent dropout 1",
        lambda: Recurrent(RNNParams.init(2, 3), dropout=1.0),
        ValueError,
        ("dropout", "[0, 1)", "1.0"),
    ),
    (
        "Recurrent dropout a string",
        lambda: Recurrent(RNNParams.init(2, 3), dropout="0.1"),  # type: ignore[arg-type]
        TypeError,
        ("dropout", "str '0.1'"),
    ),
    (
        "Recurrent seed -3",
        lambda: Recurrent(RNNParams.init(2, 3), dropout=0.1, seed=-3),
        ValueError,
        ("seed", ">= 0", "-3"),
    ),
    (
        "Recurrent recurrent_dropout 0.25",
        lambda: Recurrent(LSTMParams.init(2, 3), recurrent_dropout=0.25),
        ValueError,
        ("recurrent_dropout must be 0", "0.25", "not implemented", "dropout="),
    ),
    (
        "Recurrent dropout passed positionally",
        lambda: Recurrent(LSTMParams.init(2, 3), False, False, 0.1),  # type: ignore[misc]
        TypeError,
        ("positional",),
    ),
    (
        "Recurrent forward: a (B, T, D) mask where (B, D) is shared by every step",
        lambda: Recurrent(RNNParams.init(2, 3), dropout=0.5).forward(
            np.ones((4, 5, 2)), training=True, dropout_mask=np.full((4, 5, 2), 2.0)
        ),
        ValueError,
        ("dropout_mask", "(B, D) = (4, 2)", "(4, 5, 2)"),
    ),
    (
        "Recurrent forward: a mask at inference",
        lambda: Recurrent(RNNParams.init(2, 3), dropout=0.5).forward(
            np.ones((4, 5, 2)), dropout_mask=np.full((4, 2), 2.0)
        ),
        ValueError,
        ("dropout_mask", "training only", "training=False"),
    ),
    (
        "Recurrent forward: a mask for a layer without dropout",
        lambda: Recurrent(RNNParams.init(2, 3)).forward(
            np.ones((4, 5, 2)), training=True, dropout_mask=np.ones((4, 2))
        ),
        ValueError,
        ("dropout_mask", "dropout > 0", "dropout=0.0"),
    ),
    (
        "Recurrent forward: a 0/1 keep mask, not scaled",
        lambda: Recurrent(RNNParams.init(2, 3), dropout=0.5).forward(
            np.ones((4, 5, 2)), training=True, dropout_mask=np.array([[1.0, 0.0]] * 4)
        ),
        ValueError,
        ("dropout_mask", "0 (dropped) or 1 / (1 - rate) = 2", "got values [1.0]", "divided by (1 - rate)"),
    ),
    (
        "dropout_forward with neither rng nor mask",
        lambda: dropout_forward(np.ones(3), 0.5),
        ValueError,
        ("exactly one of rng", "mask", "neither"),
    ),
    (
        "dropout_forward rng a seed",
        lambda: dropout_forward(np.ones(3), 0.5, rng=0),  # type: ignore[arg-type]
        TypeError,
        ("rng", "Generator", "int 0"),
    ),
    (
        "dropout_forward x of ints",
        lambda: dropout_forward(np.ones(3, dtype=int), 0.5, np.random.default_rng(0)),
        TypeError,
        ("x", "float32 or float64", "int64"),
    ),
    (
        "dropout_forward a float32 mask for float64 x",
        lambda: dropout_forward(np.ones(3), 0.5, mask=np.full(3, 2.0, np.float32)),
        TypeError,
        ("mask", "float32", "float64"),
    ),
    (
        "dropout_forward a mask of another rank",
        lambda: dropout_forward(np.ones((2, 3)), 0.5, mask=np.full(3, 2.0)),
        ValueError,
        ("mask", "(2, 3)", "(3,)"),
    ),
    (
        "dropout_forward a mask holding 0.5",
        lambda: dropout_forward(np.ones(3), 0.5, mask=np.array([0.5, 2.0, 0.0])),
        ValueError,
        ("mask", "0 (dropped) or 1 / (1 - rate) = 2", "[0.5]"),
    ),
    (
        "dropout_forward a mask holding NaN",
        lambda: dropout_forward(np.ones(3), 0.5, mask=np.array([np.nan, 2.0, 0.0])),
        ValueError,
        ("mask", "finite", "NaN"),
    ),
    (
        "dropout_backward a cache that is a mask",
        lambda: dropout_backward(np.ones(3), np.full(3, 2.0)),  # type: ignore[arg-type]
        TypeError,
        ("cache", "DropoutCache"),
    ),
    (
        "dropout_backward dy float32 for a float64 mask",
        lambda: dropout_backward(
            np.ones(3, np.float32), dropout_forward(np.ones(3), 0.5, mask=np.full(3, 2.0))[1]
        ),
        TypeError,
        ("dy", "float32", "float64"),
    ),
    (
        "dropout_mask a shape with a 0",
        lambda: dropout_mask((2, 0), 0.5, np.random.default_rng(0), np.float64),
        ValueError,
        ("shape[1]", ">= 1", "0"),
    ),
    (
        "dropout_mask dtype int",
        lambda: dropout_mask((2, 3), 0.5, np.random.default_rng(0), int),
        TypeError,
        ("dtype", "np.float32 or np.float64", "int64"),
    ),
    (
        "loss_and_grads training 'yes'",
        lambda: MODEL.loss_and_grads(np.zeros((4, 10, 1)), np.zeros(4), training="yes"),  # type: ignore[arg-type]
        TypeError,
        ("training", "True or False", "'yes'"),
    ),
    (
        "load_params a Recurrent whose dropout is 1.5",
        lambda: load_with_config(regressor_config(dropout=1.5, seed=0)),
        ValueError,
        ("layers[0] (Recurrent)", "dropout", "[0, 1)", "1.5"),
    ),
    (
        "load_params an LSTMRegressor file whose layer has dropout",
        lambda: load_with_config(regressor_config(dropout=0.25, seed=0)),
        ValueError,
        ("layers[0] has dropout=0.25", "LSTMRegressor does not hold", "model.Sequential"),
    ),
    (
        "from_keras Dropout(noise_shape=(None, 1, 3))",
        lambda: keras_call(
            "from_keras",
            keras_model(
                lambda L: [
                    L.LSTM(3, return_sequences=True),
                    L.Dropout(0.2, noise_shape=(None, 1, 3)),
                    L.Dense(1),
                ]
            ),
        ),
        ValueError,
        ("layers[1]", "noise_shape=(None, 1, 3)", "noise_shape=None"),
    ),
    (
        "from_keras Dropout(1.0)",
        lambda: keras_call("from_keras", keras_model(lambda L: [L.LSTM(3), L.Dropout(1.0), L.Dense(1)])),
        ValueError,
        ("layers[1]", "rate must be a number in [0, 1)", "1.0"),
    ),
    (
        "from_keras LSTM(dropout=1.0), which Keras takes",
        lambda: keras_call("from_keras", keras_model(lambda L: [L.LSTM(3, dropout=1.0), L.Dense(1)])),
        ValueError,
        ("layers[0]", "dropout must be a number in [0, 1)", "1.0"),
    ),
    (
        "from_keras a lone LSTM(dropout=0.1): a cell has no dropout",
        lambda: keras_call("from_keras", keras_model(lambda L: [L.LSTM(3, dropout=0.1)]).layers[0]),
        ValueError,
        ("layer_or_model has dropout=0.1", "a cell cannot carry", "Recurrent(cell, dropout=0.1)"),
    ),
    (
        "to_keras a float64 Dropout into a float32 keras Dropout",
        lambda: keras_call(
            "to_keras",
            Sequential([Recurrent(LSTMParams.init(2, 3), return_sequences=True), Dropout(0.5, seed=0)]),
            keras_model(
                lambda L: [L.LSTM(3, return_sequences=True, dtype="float64"), L.Dropout(0.5)], dtype="float64"
            ),
        ),
        TypeError,
        ("float64", "computes in float32", "dtype='float64'"),
    ),
    (
        "from_torch an LSTM with dropout=0.2 (between stacked layers in torch)",
        lambda: torch_one_layer_lstm_with_dropout(),
        ValueError,
        ("module has dropout=0.2", "a stack", "Recurrent(cell, dropout=p)"),
    ),
]
CASES += DROPOUT_CASES


def sgd_step() -> np.ndarray:
    param = np.array([1.0, -2.0], np.float32)
    SGD(0.5).step([param], [np.array([0.5, 1.0], np.float32)])
    return param


def adam_first_step() -> np.ndarray:
    param = np.zeros(2)
    Adam(learning_rate=0.1).step([param], [np.array([1.0, -4.0])])
    return param


def adam_first_step_by_hand() -> np.ndarray:
    # Step 1 from zero moments: m = (1 - beta_1) g, v = (1 - beta_2) g^2, and
    # alpha = lr sqrt(1 - beta_2) / (1 - beta_1); 1 - 0.999 is 0.0010000000000000009 in float64.
    g = np.array([1.0, -4.0])
    alpha = 0.1 * math.sqrt(1 - 0.999) / (1 - 0.9)
    return -alpha * ((1 - 0.9) * g) / (np.sqrt((1 - 0.999) * g**2) + 1e-7)


# (id, call, expected, rtol). With rtol None, floats must agree to 2 units in the last
# place of their dtype (4.4e-16 in float64, 2.4e-7 in float32): the rounding of an
# equivalent order of operations. Types and dtypes must match exactly.
RESULTS: list[tuple[str, Callable[[], Any], Any, float | None]] = [
    (
        # Refused while dropout did not exist; a model now carries it (not as an LSTMRegressor,
        # which has no dropout).
        "from_keras LSTM(dropout=0.1)",
        lambda: (lambda m: (type(m).__name__, m.layers[0].dropout, m.layers[0].seed))(
            keras_call("from_keras", keras_model(lambda L: [L.LSTM(3, dropout=0.1, seed=4), L.Dense(1)]))
        ),
        ("Sequential", 0.1, 4),
        None,
    ),
    (
        "dropout_forward: x (2, 2) times a (1, 2) mask at p = 0.2",
        lambda: dropout_forward(np.array([[1.0, 2.0], [3.0, 4.0]]), 0.2, mask=np.array([[0.0, 1.25]]))[0],
        np.array([[0.0, 2.5], [0.0, 5.0]]),
        None,
    ),
    (
        "clip [3, 4] to 1",
        lambda: clip_by_global_norm([np.array([3.0, 4.0])], 1.0),
        ([np.array([0.6, 0.8])], 5.0),
        None,
    ),
    (
        "clip float32 [3, 4] to 1",
        lambda: clip_by_global_norm([np.array([3.0, 4.0], np.float32)], 1.0),
        ([np.array([0.6, 0.8], np.float32)], 5.0),
        None,
    ),
    (
        "clip [1e200, 1e200] to 1 (squares overflow)",
        lambda: clip_by_global_norm([np.array([1e200, 1e200])], 1.0),
        ([np.full(2, 1 / math.sqrt(2))], math.sqrt(2) * 1e200),
        None,
    ),
    (
        "clip [1.7e308] * 2 to 1 (the norm itself overflows)",
        lambda: clip_by_global_norm([np.array([1.7e308, 1.7e308])], 1.0),
        ([np.full(2, 1 / math.sqrt(2))], math.inf),
        None,
    ),
    (
        "clip [3e-200, 4e-200] to 1e-200 (squares underflow)",
        lambda: clip_by_global_norm([np.array([3e-200, 4e-200])], 1e-200),
        ([np.array([6e-201, 8e-201])], 5e-200),
        None,
    ),
    (
        "clip two arrays below the norm",
        lambda: clip_by_global_norm([np.array([0.3]), np.array([[0.4]])], 1.0),
        ([np.array([0.3]), np.array([[0.4]])], 0.5),
        None,
    ),
    ("clip zeros", lambda: clip_by_global_norm([np.zeros(3)], 1.0), ([np.zeros(3)], 0.0), None),
    ("clip nothing", lambda: clip_by_global_norm([], 1.0), ([], 0.0), None),
    ("SGD step float32", sgd_step, np.array([0.75, -2.5], np.float32), None),
    ("Adam first step", adam_first_step, adam_first_step_by_hand(), None),
    ("Adam numpy float hyperparameters", lambda: Adam(np.float32(0.5)).learning_rate, 0.5, None),
    ("sigmoid(0.0)", lambda: sigmoid(0.0), np.float64(0.5), None),
    ("sigmoid(0), an int", lambda: sigmoid(0), np.float64(0.5), None),
    ("sigmoid float32 scalar", lambda: sigmoid(np.float32(0.0)), np.float32(0.5), None),
    ("sigmoid 0-d array", lambda: sigmoid(np.array(0.0)), np.array(0.5), None),
    ("sigmoid(-1000.0)", lambda: sigmoid(-1000.0), np.float64(0.0), None),
    ("sigmoid int array", lambda: sigmoid(np.array([0, 1])), np.array([0.5, 1 / (1 + math.exp(-1))]), None),
    ("tanh(0.0)", lambda: tanh(0.0), np.float64(0.0), None),
    ("tanh(1)", lambda: tanh(1), np.float64(math.tanh(1)), None),
    ("tanh 0-d float32", lambda: tanh(np.array(1.0, np.float32)), np.array(math.tanh(1), np.float32), None),
    (
        "numerical_gradient float64",
        lambda: numerical_gradient(lambda: float(np.sum(X64**3)), X64),
        np.array([3.0, 12.0]),  # 3 x^2 at [1, 2]; the centred difference adds eps^2 = 1e-12
        1e-9,  # the rounding of f over the step, 2e-16 * |f| / eps: 1e-9 at |f| = 9
    ),
    (
        "numerical_gradient float32 with a step it resolves",
        lambda: numerical_gradient(lambda: float(np.sum(X32**2)), X32, eps=1e-2),
        np.array([2.0, 4.0]),  # exact for a quadratic but for rounding
        1e-4,  # float32 rounding of x + eps and of f, over the step: about 2e-5
    ),
    ("rel_error ints", lambda: rel_error(3, 1), 0.5, None),  # |3 - 1| / (3 + 1)
    ("rel_error lists", lambda: rel_error([3, 0], [0, 4]), 5 / 7, None),
    (
        "make_windows drop_last=np.False_",
        lambda: len(make_windows(SERIES, 3, drop_last=np.False_)[1]),
        17,
        None,
    ),
    ("make_windows drop_last=True", lambda: len(make_windows(SERIES, 3, drop_last=True)[1]), 16, None),
    ("sine_wave seed None", lambda: sine_wave(5, noise=0.1, seed=None).shape, (5,), None),
    ("sine_wave numpy seed", lambda: sine_wave(5, seed=np.int64(3)).shape, (5,), None),
    ("rmse [3, 4]", lambda: rmse(np.array([3.0, 4.0])), np.float64(math.sqrt(12.5)), None),
    (
        "rmse axis -1",
        lambda: rmse(np.array([[3.0, 4.0], [0.0, 0.0]]), axis=-1),
        np.array([math.sqrt(12.5), 0]),
        None,
    ),
    # tasks: what used to be NaN, inf, 0 or a raw error, now the value by hand.
    (
        "rmse [1e200, 1e200] (squares overflow)",
        lambda: rmse(np.array([1e200, 1e200])),
        np.float64(1e200),
        None,
    ),
    (
        "rmse [3e-200, 4e-200] (squares underflow)",
        lambda: rmse(np.array([3e-200, 4e-200])),
        np.float64(math.sqrt(12.5) * 1e-200),
        1e-15,
    ),
    (
        "next_probabilities temperature 1e-310: greedy, ties shared",
        lambda: next_probabilities(np.array([[1.0, 2.0, 2.0]]), 1e-310),
        np.array([[0.0, 0.5, 0.5]]),
        None,
    ),
    (
        "next_probabilities logits +-1e308",
        lambda: next_probabilities(np.array([[1e308, -1e308]]), 1.0),
        np.array([[1.0, 0.0]]),
        None,
    ),
    (
        "next_probabilities equal logits 1e308 at temperature 0.5",
        lambda: next_probabilities(np.array([[1e308, 1e308], [-1e308, -1e308]]), 0.5),
        np.full((2, 2), 0.5),
        None,
    ),
    (
        # The total 1e-320 is subnormal: u = 1 - 2**-53 times it rounds to the total itself.
        "inverse_cdf never draws an id of probability 0",
        lambda: inverse_cdf(np.array([[1e-320, 0.0]]), np.array([1 - 2**-53])).tolist(),
        [0],
        None,
    ),
    (
        "fit_ngram order 0 takes V = 2**62 (its codes are the ids)",
        lambda: fit_ngram(np.arange(10), 2**62, 0).cross_entropy(np.arange(10)),
        62 * math.log(2),  # ten ids seen once: D = 1, so P(w) = 1 / V for every w
        1e-15,
    ),
    (
        "python_labels columns restart after a lone CR",
        lambda: python_labels("a = 1\rb = (2)\r").column.tolist(),
        [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6, 7],
        None,
    ),
    (
        "python_labels: a comment ends at a lone CR",
        lambda: python_labels("# c (\rx = (1)\r").bracket_depth.tolist(),
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0],  # "(" of the comment is no operator
        None,
    ),
    ("Vocabulary.decode of no ids", lambda: Vocabulary("ab").decode(np.array([], np.int64)), "", None),
    (
        "Vocabulary with a lone surrogate",
        lambda: Vocabulary.from_text("a\ud800").encode("\ud800ab").tolist(),
        [1, 0, 2],
        None,
    ),
    (
        "character_ratio with an id of 10**11",
        lambda: character_ratio(np.array([0, 0, 10**11, 10**11]), np.array([0.0, 1.0, 1.0, 1.0])),
        1 / math.sqrt(3),  # id means [0.5, 0.5, 1, 1] against [0, 1, 1, 1]: r = 0.25 / sqrt(0.25 * 0.75)
        1e-15,
    ),
    (
        "character_ratio with uint64 ids",
        lambda: character_ratio(np.array([0, 0, 2**64 - 1, 2**64 - 1], np.uint64), np.array([0.0, 1, 1, 1])),
        1 / math.sqrt(3),
        1e-15,
    ),
    (
        "unit_correlations at 1e300",
        lambda: unit_correlations(np.array([[0.0], [1], [2], [4]]) * 1e300, np.arange(4.0)),
        np.array([6.5 / math.sqrt(8.75 * 5)]),  # centred: [-1.75, -0.75, 0.25, 2.25], [-1.5, -0.5, 0.5, 1.5]
        1e-15,
    ),
    (
        "unit_correlations at 1e-300, labels at 1e-320",
        lambda: unit_correlations(np.array([[0.0], [1], [2], [4]]) * 1e-300, np.arange(4.0) * 1e-320),
        np.array([6.5 / math.sqrt(8.75 * 5)]),
        1e-15,
    ),
    (
        "gate_saturation of one step",
        lambda: gate_saturation(np.array([[0.05, 0.5, 0.95]])),
        (np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])),
        None,
    ),
    (
        "horizon_errors uint64 origins",
        lambda: horizon_errors(persistence_forecast, np.arange(20.0), 3, 2, np.array([3, 5], np.uint64)),
        np.array([[-1.0, -2.0], [-1.0, -2.0]]),  # persistence forecasts o - 1 for o and o + 1
        None,
    ),
]


@pytest.mark.parametrize("call, error, fragments", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(
    call: Callable[[], Any], error: type[Exception], fragments: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_keras_and_torch_objects_of_the_wrong_kind_are_refused() -> None:
    import torch

    from lstm_tutorial.frameworks.keras import from_keras, keras, to_keras
    from lstm_tutorial.frameworks.torch import from_torch

    conv = keras.layers.Conv1D(4, 3)
    conv.build((None, 5, 3))
    with pytest.raises(
        TypeError,
        match=r"must be a keras\.layers\.LSTM, GRU or SimpleRNN, or a keras\.Model, got Conv1D",
    ):
        from_keras(conv)
    unbuilt = keras.layers.LSTM(4)
    with pytest.raises(ValueError, match="must be built"):
        from_keras(unbuilt)
    relu_lstm = keras.layers.LSTM(4, activation="relu")
    relu_lstm.build((None, 5, 3))
    with pytest.raises(ValueError, match="activation='relu'"):
        from_keras(relu_lstm)
    with_conv = keras.Sequential(
        [keras.Input((5, 1)), keras.layers.LSTM(4, return_sequences=True), keras.layers.Conv1D(2, 3)]
    )
    with pytest.raises(
        TypeError,
        match=r"layer_or_model.layers\[1\] must be a keras.layers.LSTM, GRU or SimpleRNN, got Conv1D",
    ):
        from_keras(with_conv)
    with pytest.raises(TypeError, match=r"keras GRU, which holds GRUParams, not LSTMParams"):
        gru = keras.layers.GRU(4)
        gru.build((None, 5, 3))
        to_keras(P, gru)
    layer = keras.layers.LSTM(5)
    layer.build((None, 5, 3))
    with pytest.raises(
        ValueError, match=r"expects \[\(3, 20\), \(5, 20\), \(20,\)\], got \[\(3, 16\), \(4, 16\), \(16,\)\]"
    ):
        to_keras(P, layer)
    # A GRU now has its twin (from_torch takes every cell's); a Linear module has none.
    with pytest.raises(
        TypeError, match=r"module must be a torch\.nn\.RNN, torch\.nn\.LSTM, torch\.nn\.GRU .*got Linear"
    ):
        from_torch(torch.nn.Linear(3, 4))
    with pytest.raises(ValueError, match="num_layers=2"):
        from_torch(torch.nn.LSTM(3, 4, num_layers=2))


def assert_same(got: Any, expected: Any, rtol: float | None) -> None:
    """Equal types and dtypes, values within ``rtol`` (2 units in the last place if None)."""
    assert type(got) is type(expected), f"{type(got).__name__} != {type(expected).__name__}"
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for a, b in zip(got, expected, strict=True):
            assert_same(a, b, rtol)
    elif isinstance(expected, (np.ndarray, np.floating)):
        assert got.dtype == expected.dtype and np.shape(got) == np.shape(expected)
        tolerance = 2 * float(np.finfo(expected.dtype).eps) if rtol is None else rtol
        np.testing.assert_allclose(got, expected, rtol=tolerance, atol=0)
    elif isinstance(expected, float):
        tolerance = 2 * float(np.finfo(np.float64).eps) if rtol is None else rtol
        assert got == expected or math.isclose(got, expected, rel_tol=tolerance, abs_tol=0)
    else:
        assert got == expected


@pytest.mark.parametrize("call, expected, rtol", [r[1:] for r in RESULTS], ids=[r[0] for r in RESULTS])
def test_valid_input_gives_the_value_worked_out_by_hand(
    call: Callable[[], Any], expected: Any, rtol: float | None
) -> None:
    assert_same(call(), expected, rtol)


@pytest.mark.parametrize("where", [0, 1], ids=["f raises on x + eps", "f raises on x - eps"])
def test_x_is_restored_when_f_raises(where: int) -> None:
    x = np.array([[0.25, -1.5], [2.0, 3.0]])
    original = x.copy()
    calls = []

    def f() -> float:
        calls.append(x.copy())
        if len(calls) == 3 + where:  # the second entry's first or second evaluation
            raise RuntimeError("f failed")
        return float(np.sum(x))

    with pytest.raises(RuntimeError, match="f failed"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, original)
    assert calls[-1][0, 1] != original[0, 1]  # f really saw x moved when it failed
    with pytest.raises(ZeroDivisionError):
        numerical_gradient_at(raises(ZeroDivisionError()), x, [(1, 1)])
    np.testing.assert_array_equal(x, original)


def test_a_refused_adam_step_leaves_the_optimizer_fresh() -> None:
    param, fresh_param = np.zeros(2), np.zeros(2)
    adam, fresh = Adam(), Adam()
    with pytest.raises(ValueError, match="finite"):
        adam.step([param], [np.array([1.0, np.nan])])
    np.testing.assert_array_equal(param, [0.0, 0.0])
    assert adam.iterations == 0
    # Not bound to the arrays of the refused step either: another model may use it.
    other = np.zeros(3)
    adam.step([other], [np.ones(3)])
    fresh.step([fresh_param], [np.ones(2)])
    assert adam.iterations == 1 and other[0] == fresh_param[0]


def test_adam_keeps_working_on_its_own_arrays() -> None:
    model = LSTMRegressor.init(1, 4, seed=0)
    adam = Adam()
    x, y = np.zeros((3, 10, 1)), np.ones(3)
    for _ in range(3):
        _, grads = model.loss_and_grads(x, y)
        adam.step(model.parameters(), grads.parameters())
    assert adam.iterations == 3
    with pytest.raises(ValueError, match="new Adam for each model"):
        adam.step(MODEL.copy().parameters(), grads.parameters())


def test_clip_returns_new_arrays_and_leaves_its_input_alone() -> None:
    grads = [np.array([3.0, 4.0]), np.array([0.0])]
    clipped, _ = clip_by_global_norm(grads, 100.0)
    assert all(a is not b for a, b in zip(clipped, grads, strict=True))
    clip_by_global_norm(grads, 1.0)
    np.testing.assert_array_equal(grads[0], [3.0, 4.0])


def test_activations_write_into_out_and_return_it() -> None:
    z = np.array([-2.0, 0.0, 2.0])
    out = np.empty(3)
    assert sigmoid(z, out=out) is out
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-z)), rtol=4.5e-16)
    assert tanh(z, out=out) is out
    np.testing.assert_allclose(out, np.tanh(z), rtol=0)
