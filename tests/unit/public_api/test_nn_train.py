"""Rows of the public-API table for ``lstm_tutorial.nn.train`` (see ``_table``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _table import REG32, REG64, WX, WY, Row, Table, check

from lstm_tutorial.nn import model, optim, train

TABLE = Table("nn.train")
raises, gives = TABLE.raises, TABLE.gives


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


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
