"""The public-API table: every public name of the package, each with at least one row.

A public name is a name in ``__all__`` of a module of ``lstm_tutorial`` (the package
itself included; a re-export counts once, under the module that defines it), or a
public method or property of such a class (a private base class's, too, when a
public class inherits it). ``test_coverage.test_every_public_name_has_a_row`` fails when
one has no row, so a new public name needs one.

Each row is a call and what it must give: an exception of a given type whose
message contains given fragments (the argument's name first), or a result that a
check compares with numbers worked out here, by hand, not by the code under test.
Names that take no arguments or cannot fail are listed with the one behaviour
checked for them (a constant's value, a property's value). The rows of
``tests/unit/test_validation.py`` (its ``CASES``) are not repeated here; both are counted.

The rows of one module of the package sit in one file, ``test_<module path with _>.py``
(``test_nn_lstm.py`` for ``lstm_tutorial.nn.lstm``; the exercises subpackage in
``test_exercises_checkers.py``); this module holds what they share: the ``Table`` they are
written into, the checks ``equal`` and ``close``, and the small objects several of them use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lstm_tutorial.nn import gru, layers, lstm, regressors, rnn, sequence, variants
from lstm_tutorial.tasks import data, language, text

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
    name: str  # the public name, as public_names() spells it: "module.function" or "module.Class.method"
    label: str
    call: Callable[[], Any]
    expect: Raises | Gives


@dataclass
class Table:
    """The rows of one module of the package (``module``: its path below ``lstm_tutorial``, as
    ``"nn.lstm"``, or ``"lstm_tutorial"`` for the package itself)."""

    module: str
    rows: list[Row] = field(default_factory=list)

    def raises(
        self, name: str, label: str, call: Callable[[], Any], error: type[BaseException], *fragments: str
    ) -> None:
        self._add(Row(name, label, call, Raises(error, fragments)))

    def gives(self, name: str, label: str, call: Callable[[], Any], check: Callable[[Any], bool]) -> None:
        self._add(Row(name, label, call, Gives(check)))

    def ids(self) -> list[str]:
        return [f"{row.name}: {row.label}" for row in self.rows]

    def _add(self, row: Row) -> None:
        # A row filed under another module's table would be run there and missed here.
        if not row.name.startswith(f"{self.module}."):
            raise ValueError(f"row {row.name!r} is not a name of {self.module!r}: it belongs in its own file")
        self.rows.append(row)


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


TMP: list[Path] = []  # set by check() before the row runs


def tmp() -> Path:
    """A fresh folder for the row that is running (pytest's ``tmp_path``)."""
    return TMP[0]


def check(row: Row, tmp_path: Path) -> None:
    """Run ``row`` and assert what it expects; ``tmp()`` is ``tmp_path`` meanwhile, and the
    figures it opened are closed afterwards."""
    TMP[:] = [tmp_path]
    try:
        if isinstance(row.expect, Raises):
            with pytest.raises(row.expect.error) as info:
                row.call()
            message = str(info.value)
            for fragment in row.expect.fragments:
                assert fragment in message, f"{fragment!r} not in {message!r}"
        else:
            result = row.call()
            assert row.expect.check(result), f"unexpected result {result!r}"
    finally:
        plt.close("all")


def seed_rows(table: Table, kind: str, init: Callable[..., Any]) -> None:
    """The rows every cell's ``init`` has: a bad seed is refused, the same seed gives the same weights."""
    table.raises(f"{kind}.init", "seed -1", lambda: init(1, 2, seed=-1), ValueError, "seed", ">= 0", "-1")
    table.raises(f"{kind}.init", "seed True", lambda: init(1, 2, seed=True), TypeError, "seed", "bool")
    table.raises(f"{kind}.init", "seed 1.5", lambda: init(1, 2, seed=1.5), TypeError, "seed", "float")
    table.gives(
        f"{kind}.init",
        "same seed, same weights",
        lambda: (init(2, 3, seed=7), init(2, 3, seed=7)),
        lambda pair: all(
            np.array_equal(a, b) for a, b in zip(pair[0].weights(), pair[1].weights(), strict=True)
        ),
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
_, SEQ_CACHE = sequence.forward(RNN, X)
REG32 = regressors.LSTMRegressor.init(1, 4, seed=0, dtype=np.float32)
REG64 = regressors.LSTMRegressor.init(1, 4, seed=0)
SERIES = data.sine_wave(60)
WX, WY = data.make_windows(SERIES, 10)  # (49, 10, 1) float64 windows, the seed article's data
SIG = 1 / (1 + np.exp(-0.5))  # sigmoid(0.5), by hand


DENSE = layers.Dense(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -0.5]))
REC = layers.Recurrent(RNN, return_sequences=True)


def _axes() -> Any:
    _fig, ax = plt.subplots()
    return ax


VOCAB = text.Vocabulary.from_text("abca")
CHAR = language.char_model(5, embed=3, hidden=4, layers=1, stateful=False, seed=0, dtype=np.float64)
