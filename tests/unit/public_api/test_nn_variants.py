"""Rows of the public-API table for ``lstm_tutorial.nn.variants`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import CACHE, DHS, H0, PEEP, RNN, X_T, P, Row, Table, X, check, close, equal, seed_rows

from lstm_tutorial.nn import lstm, variants

TABLE = Table("nn.variants")
raises, gives = TABLE.raises, TABLE.gives

seed_rows(TABLE, "nn.variants.PeepholeParams", variants.PeepholeParams.init)
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
    "variant_forward",
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
    "nn.variants.PeepholeParams",
    "P (4, H)",
    lambda: variants.PeepholeParams(P.W, P.U, P.b, np.zeros((4, 4))),
    ValueError,
    "P",
    "(3, H)",
)

gives(
    "nn.variants.variant_step_backward",
    "the pair of PeepholeParams.step: what step_backward gives",
    lambda: variants.variant_step_backward(H0 + 1, H0, PEEP.step(X_T, (H0, H0))[1], PEEP)[3].P,
    equal(PEEP.step_backward((H0 + 1, H0), PEEP.step(X_T, (H0, H0))[1])[2].P),
)
raises(
    "nn.variants.variant_step_backward",
    "dc_t missing its batch",
    lambda: variants.variant_step_backward(H0, H0[0], PEEP.step(X_T, (H0, H0))[1], PEEP),
    ValueError,
    "dc_t",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
