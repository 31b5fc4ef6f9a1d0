"""Rows of the public-API table for ``lstm_tutorial.nn.optim`` (see ``_table``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn import optim

TABLE = Table("nn.optim")
raises, gives = TABLE.raises, TABLE.gives


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


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
