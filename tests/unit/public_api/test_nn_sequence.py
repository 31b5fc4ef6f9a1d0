"""Rows of the public-API table for ``lstm_tutorial.nn.sequence`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import CACHE, DHS, H0, PEEP, RNN, SEQ_CACHE, P, Row, Table, X, check, equal

from lstm_tutorial.nn import sequence, variants

TABLE = Table("nn.sequence")
raises, gives = TABLE.raises, TABLE.gives

_, PEEP_CACHE = variants.variant_forward(X, PEEP)

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
    lambda: sequence.backward(DHS, "cache"),
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

gives(
    "nn.sequence.backward",
    "the LSTM's fast cache runs its own backward: what the loop gives",
    lambda: sequence.backward(DHS, CACHE)[1].U,
    lambda dU: bool(
        np.allclose(dU, sequence.backward(DHS, sequence.forward(P, X)[1])[1].U, rtol=1e-12, atol=0)
    ),
)
gives(
    "nn.sequence.run",
    "an RNN has no path of its own: the loop's SequenceCache",
    lambda: sequence.run(RNN, X, (H0,)),
    lambda c: isinstance(c, sequence.SequenceCache) and c.hs.shape == (2, 5, 4),
)
gives(
    "nn.sequence.run",
    "an LSTM takes its own: not the loop's cache, the loop's numbers",
    lambda: sequence.run(P, X, (H0, H0)),
    lambda c: (
        not isinstance(c, sequence.SequenceCache)
        and bool(np.allclose(c.hs, sequence.forward(P, X)[0], rtol=1e-12, atol=0))
    ),
)
gives(
    "nn.sequence.Run",
    "both caches are Runs, a tuple is not",
    lambda: [isinstance(c, sequence.Run) for c in (CACHE, SEQ_CACHE, (H0,))],
    equal([True, True, False]),
)
gives(
    "nn.sequence.SequenceCache.backward",
    "unchecked: the loop of backward",
    lambda: SEQ_CACHE.backward(DHS, None, None)[0],
    equal(sequence.backward(DHS, SEQ_CACHE)[0]),
)

for member in ("hs", "last_state"):
    raises(
        f"nn.sequence.Run.{member}",
        "the base alone has no run to show",
        lambda member=member: getattr(sequence.Run(), member),
        NotImplementedError,
        member,
    )
raises(
    "nn.sequence.Run.state",
    "the base alone has no state",
    lambda: sequence.Run().state("h"),
    NotImplementedError,
    "state",
)
raises(
    "nn.sequence.Run.backward",
    "the base alone has no backward pass",
    lambda: sequence.Run().backward(DHS, None, None),
    NotImplementedError,
    "Run does not define backward",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
