"""Rows of the public-API table for ``lstm_tutorial.tasks.novelty`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import VOCAB, Row, Table, check, equal

from lstm_tutorial.tasks import ngram, novelty

TABLE = Table("tasks.novelty")
raises, gives = TABLE.raises, TABLE.gives

TRAINING = "def f(x):\n    return x\n"
gives(
    "tasks.novelty.verbatim_mask",
    "'return y': four windows of 4 found, 'rn y' not",
    lambda: novelty.verbatim_mask("return y", TRAINING, 4),
    equal(np.array([True, True, True, True, False])),
)
raises(
    "tasks.novelty.verbatim_mask",
    "a sample shorter than n",
    lambda: novelty.verbatim_mask("ret", TRAINING, 4),
    ValueError,
    "sample",
    "n = 4",
    "got 3",
)
gives(
    "tasks.novelty.verbatim_share",
    "two samples, 6 of 7 windows found",
    lambda: novelty.verbatim_share(["return y", "f(x):"], TRAINING, 4),
    equal(6 / 7),
)
raises(
    "tasks.novelty.verbatim_share",
    "n = 0",
    lambda: novelty.verbatim_share("abc", TRAINING, 0),
    ValueError,
    "n",
    ">= 1",
)
raises(
    "tasks.novelty.verbatim_share",
    "no samples",
    lambda: novelty.verbatim_share([], TRAINING, 4),
    ValueError,
    "samples",
    "at least one",
)
# "abcabcabcabc": 3 distinct characters, 3 distinct pairs (ab, bc, ca).
gives(
    "tasks.novelty.ngram_stored_counts",
    "abcabc...: 3 + 3 counts at order 1",
    lambda: novelty.ngram_stored_counts(
        ngram.fit_ngram(VOCAB.encode("abcabcabcabc"), VOCAB.size, 1, smoothing="absolute")
    ),
    equal(6),
)
raises(
    "tasks.novelty.ngram_stored_counts",
    "not a model",
    lambda: novelty.ngram_stored_counts([1, 2]),
    TypeError,
    "model",
    "NGramModel",
    "list",
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
