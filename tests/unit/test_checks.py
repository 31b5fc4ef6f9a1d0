"""The validators of ``lstm_tutorial.nn._checks`` that the cells, the loop and the tasks share.

They were public names of ``cell`` and ``sequence`` (rows of the public-API table) before every
validator moved into one module; the rows are kept here, as they were, run by the public-API
table's own ``check``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "public_api"))
from _table import H0, RNN, P, Row, Table, X, check, equal

from lstm_tutorial.nn import _checks, lstm

TABLE = Table("_checks")
raises, gives = TABLE.raises, TABLE.gives

raises(
    "_checks.instance",
    "wrong kind",
    lambda: _checks.instance("params", RNN, lstm.LSTMParams),
    TypeError,
    "params",
    "an LSTMParams",
    "RNNParams",
)

raises(
    "_checks.rng",
    "a seed for a generator",
    lambda: _checks.rng("rng", 0),
    TypeError,
    "rng",
    "np.random.Generator",
    "int 0",
)

raises(
    "_checks.state_arg",
    "None",
    lambda: _checks.state_arg("h_prev", None, 2, P),
    TypeError,
    "h_prev",
    "(2, 4)",
    "got None",
    "zeros",
)

gives(
    "_checks.state_arg",
    "a (B, H) array passes",
    lambda: _checks.state_arg("h_prev", H0, 2, P),
    lambda r: r is H0,
)

raises(
    "_checks.sequence_input",
    "D mismatch",
    lambda: _checks.sequence_input(X[:, :, :2], RNN),
    ValueError,
    "x",
    "input_size = 3",
)

gives("_checks.sequence_input", "(B, T)", lambda: _checks.sequence_input(X, RNN), equal((2, 5)))

gives(
    "_checks.json_value",
    "nested 32 deep, brackets in strings not counted",
    lambda: _checks.json_value("config", "[" * 31 + '{"a": "]]]][[[["}' + "]" * 31),
    lambda r: len(json.dumps(r)) == 31 * 2 + len('{"a": "]]]][[[["}'),
)
raises(
    "_checks.json_value",
    "nested 100000 deep",
    lambda: _checks.json_value("config", "[" * 100_000),
    ValueError,
    "config",
    "nests 100000 levels",
    "more than the 32",
)
raises(
    "_checks.json_value",
    "not JSON",
    lambda: _checks.json_value("record", "{a"),
    ValueError,
    "record",
    "not valid JSON",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
