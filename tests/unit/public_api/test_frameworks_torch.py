"""Rows of the public-API table for ``lstm_tutorial.frameworks.torch`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from _table import GRU, PEEP, REG64, RNN, WX, P, Row, Table, check, close, equal

from lstm_tutorial.frameworks import torch as torch_bridge
from lstm_tutorial.nn import gru

TABLE = Table("frameworks.torch")
raises, gives = TABLE.raises, TABLE.gives

raises(
    "frameworks.torch.to_torch",
    "batch_first 'no'",
    lambda: torch_bridge.to_torch(P, batch_first="no"),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.torch.to_torch",
    "weights transposed",
    lambda: torch_bridge.to_torch(P).weight_ih_l0.detach().numpy(),
    equal(P.W.T),
)
raises(
    "frameworks.torch.to_torch",
    "an RNN, batch_first 1",
    lambda: torch_bridge.to_torch(RNN, batch_first=1),
    TypeError,
    "batch_first",
)
gives(
    "frameworks.torch.to_torch",
    "an RNN: weights transposed",
    lambda: torch_bridge.to_torch(RNN).weight_hh_l0.detach().numpy(),
    equal(RNN.U.T),
)
raises(
    "frameworks.torch.to_torch",
    "a GRU, batch_first None",
    lambda: torch_bridge.to_torch(GRU, batch_first=None),
    TypeError,
    "batch_first",
)
raises(
    "frameworks.torch.to_torch",
    "a peephole cell: no twin",
    lambda: torch_bridge.to_torch(PEEP),
    TypeError,
    "params_or_model",
    "GRUParams (nn.GRU)",
    "PeepholeParams",
)
gives(
    "frameworks.torch.to_torch",
    "a model: its module gives predict's output",
    lambda: torch_bridge.to_torch(REG64)(torch.from_numpy(WX)).detach().numpy()[:, 0],
    close(REG64.predict(WX), rtol=1e-12),
)
gives(
    "frameworks.torch.from_torch",
    "a GRU's round trip",
    lambda: torch_bridge.from_torch(torch_bridge.to_torch(GRU)).b,
    equal(GRU.b),
)
gives(
    "frameworks.torch.from_torch",
    "round trip",
    lambda: torch_bridge.from_torch(torch_bridge.to_torch(P)).W,
    equal(P.W),
)
gives(
    "frameworks.torch.from_torch",
    "a model's round trip: the same class and weights",
    lambda: torch_bridge.from_torch(torch_bridge.to_torch(REG64)),
    lambda m: (
        type(m) is type(REG64)
        and all(np.array_equal(a, b) for a, b in zip(m.get_weights(), REG64.get_weights(), strict=True))
    ),
)
raises(
    "frameworks.torch.from_torch",
    "a module without a twin",
    lambda: torch_bridge.from_torch(torch.nn.Linear(2, 2)),
    TypeError,
    "module",
    "torch.nn.GRU",
    "Linear",
)
gives(
    "frameworks.torch.CELLS",
    "the GRU's blocks r, z, n are ours u, r, n (torch's z is our update gate u)",
    lambda: torch_bridge.CELLS[gru.GRUParams],
    equal(torch_bridge.TorchTwin("GRU", (1, 0, 2), True)),
)
gives(
    "frameworks.torch.TorchTwin",
    "a named tuple of three",
    lambda: torch_bridge.TorchTwin._fields,
    equal(("module", "blocks", "bias_rows")),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
