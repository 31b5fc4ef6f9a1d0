"""Rows of the public-API table for ``lstm_tutorial.tasks.text`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import VOCAB, Row, Table, check, equal, tmp

from lstm_tutorial.tasks import text

TABLE = Table("tasks.text")
raises, gives = TABLE.raises, TABLE.gives


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


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
