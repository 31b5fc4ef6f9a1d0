"""lstm_tutorial.tasks.text: the corpus, the vocabulary, stateful batches and tokenize labels.

Independent witnesses: the files read again here with plain ``open`` and ``hashlib``; a
directory of hand-made modules whose split is worked out by hand; ids equal to their own
positions (so every batch entry says where it came from); and labels written out by hand,
character by character, for small snippets.
"""

from __future__ import annotations

import hashlib
import itertools
import sysconfig
import time
from pathlib import Path

import numpy as np
import pytest

from lstm_tutorial.tasks.brackets import bracket_closes_within
from lstm_tutorial.tasks.text import (
    Vocabulary,
    load_stdlib_corpus,
    python_labels,
    stream_batches,
)

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def test_small_corpus_is_the_stdlib_modules_in_sorted_order_read_whole() -> None:
    start = time.perf_counter()
    corpus = load_stdlib_corpus(train_chars=20_000, heldout_chars=5_000)
    assert time.perf_counter() - start < 1.0
    names = [name for name, _ in corpus.train_files + corpus.heldout_files]
    listing = sorted(p.name for p in STDLIB.glob("*.py") if not p.name.startswith("_sysconfigdata"))
    # The modules used are the first ones of the sorted listing, with none left out in between.
    assert names == listing[: len(names)]
    assert corpus.train == "".join((STDLIB / n).read_text(encoding="utf-8") for n, _ in corpus.train_files)
    assert corpus.heldout == "".join(
        (STDLIB / n).read_text(encoding="utf-8") for n, _ in corpus.heldout_files
    )
    for name, chars in corpus.train_files + corpus.heldout_files:
        assert chars == len((STDLIB / name).read_text(encoding="utf-8"))


def test_heldout_modules_come_after_the_training_modules_and_do_not_overlap() -> None:
    corpus = load_stdlib_corpus(train_chars=20_000, heldout_chars=5_000)
    train_names = [name for name, _ in corpus.train_files]
    heldout_names = [name for name, _ in corpus.heldout_files]
    assert train_names and heldout_names
    assert not set(train_names) & set(heldout_names)
    assert max(train_names) < min(heldout_names)
    assert sum(n for _, n in corpus.train_files) == len(corpus.train)
    assert sum(n for _, n in corpus.heldout_files) == len(corpus.heldout)
    offsets = corpus.file_offsets("heldout")
    first = (STDLIB / heldout_names[0]).read_text(encoding="utf-8")
    assert corpus.heldout[offsets[0] : offsets[1]] == first


def test_checksum_is_sha256_of_the_text_and_stable_across_calls() -> None:
    one = load_stdlib_corpus(train_chars=20_000, heldout_chars=5_000)
    two = load_stdlib_corpus(train_chars=20_000, heldout_chars=5_000)
    assert one.sha256 == two.sha256
    texts = [(STDLIB / n).read_bytes() for n, _ in one.train_files + one.heldout_files]
    assert one.sha256 == hashlib.sha256(b"".join(texts)).hexdigest()
    assert one.sha256 in one.summary()
    assert f"{len(one.train):,} characters" in one.summary()


def test_default_corpus_sizes_and_counts() -> None:
    corpus = load_stdlib_corpus()
    assert sum(n for _, n in corpus.train_files) == len(corpus.train)
    largest = max(n for _, n in corpus.train_files + corpus.heldout_files)
    # Nearest module boundary: off by at most half a module from what was asked.
    assert abs(len(corpus.train) - 1_000_000) <= largest / 2
    assert abs(len(corpus.heldout) - 100_000) <= largest / 2
    assert corpus.sha256 == load_stdlib_corpus().sha256


def write_modules(folder: Path, sizes: dict[str, int]) -> None:
    for name, size in sizes.items():
        (folder / name).write_text("#" * (size - 1) + "\n", encoding="utf-8")


def test_split_takes_the_module_boundary_nearest_to_each_size(tmp_path: Path) -> None:
    write_modules(tmp_path, {"a.py": 40, "b.py": 40, "c.py": 40, "d.py": 10, "e.py": 100, "f.py": 5})
    (tmp_path / "_sysconfigdata_x.py").write_text("machine = 'here'\n", encoding="utf-8")
    (tmp_path / "bad.py").write_bytes(b"x = '\xff'\n")  # not UTF-8
    (tmp_path / "notes.txt").write_text("not a module\n", encoding="utf-8")
    # Training, asked 100: a+b = 80 (20 short), a+b+c = 120 (20 over, not nearer): a, b.
    # Held-out, asked 50, starts at bad.py (skipped), then c = 40 (10 short) vs c+d = 50: c, d.
    corpus = load_stdlib_corpus(train_chars=100, heldout_chars=50, directory=tmp_path)
    assert [name for name, _ in corpus.train_files] == ["a.py", "b.py"]
    assert [name for name, _ in corpus.heldout_files] == ["c.py", "d.py"]
    assert corpus.skipped == ("_sysconfigdata_x.py", "bad.py")
    assert "bad.py" in corpus.summary()
    # A size smaller than the first module still takes that module whole.
    tiny = load_stdlib_corpus(train_chars=1, heldout_chars=1, directory=tmp_path)
    assert [name for name, _ in tiny.train_files] == ["a.py"]
    assert [name for name, _ in tiny.heldout_files] == ["b.py"]
    with pytest.raises(ValueError, match="train_chars"):
        load_stdlib_corpus(train_chars=10_000, heldout_chars=1, directory=tmp_path)


def test_vocabulary_round_trip_and_the_unknown_id() -> None:
    corpus = load_stdlib_corpus(train_chars=20_000, heldout_chars=5_000)
    vocab = Vocabulary.from_text(corpus.train)
    ids = vocab.encode(corpus.train)
    assert ids.shape == (len(corpus.train),) and ids.dtype == np.int64
    assert vocab.decode(ids) == corpus.train
    assert vocab.size == len(set(corpus.train)) + 1
    # Sorted characters: the id order is the code-point order.
    assert [ord(c) for c in vocab.chars] == sorted(ord(c) for c in set(corpus.train))
    small = Vocabulary.from_text("banana")
    assert small.chars == "abn" and small.size == 4 and small.unknown_id == 3
    np.testing.assert_array_equal(small.encode("nab?é"), [2, 0, 1, 3, 3])
    assert small.decode(small.encode("nab?")) == "nab\ufffd"


def test_stream_batches_carry_each_row_into_the_next_batch() -> None:
    ids = np.arange(103, dtype=np.int64)  # each id is its own position
    inputs, targets = stream_batches(ids, batch_size=4, seq_len=5)
    # S = largest multiple of 5 with 4 S + 1 <= 103: S = 25, so 5 batches of (4, 5).
    assert inputs.shape == targets.shape == (5, 4, 5)
    np.testing.assert_array_equal(targets, inputs + 1)
    for k in range(4):
        for i in range(4):
            assert targets[k, i, -1] == inputs[k + 1, i, 0]
    rows = [np.concatenate(list(inputs[:, i, :])) for i in range(4)]
    for i, row in enumerate(rows):
        np.testing.assert_array_equal(row, np.arange(25 * i, 25 * (i + 1)))
    np.testing.assert_array_equal(np.concatenate(rows), ids[:100])
    np.testing.assert_array_equal(inputs[0, :, 0], [0, 25, 50, 75])


def test_stream_batches_on_text_continue_the_text() -> None:
    vocab = Vocabulary.from_text("the quick brown fox jumps over the lazy dog\n")
    text = "the quick brown fox jumps over the lazy dog\n" * 7
    inputs, targets = stream_batches(vocab.encode(text), batch_size=3, seq_len=8)
    stream = inputs.shape[0] * 8
    for i in range(3):
        row = vocab.decode(np.concatenate(list(inputs[:, i, :])))
        assert row == text[i * stream : (i + 1) * stream]
        assert (
            vocab.decode(np.concatenate(list(targets[:, i, :])))
            == text[i * stream + 1 : (i + 1) * stream + 1]
        )


def test_stream_batches_refuse_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"ids must hold at least batch_size \* seq_len \+ 1 = 21"):
        stream_batches(np.arange(20), batch_size=4, seq_len=5)
    with pytest.raises(TypeError, match="ids"):
        stream_batches(np.arange(20.0), batch_size=2, seq_len=2)
    with pytest.raises(ValueError, match="batch_size"):
        stream_batches(np.arange(20), batch_size=0, seq_len=2)
    with pytest.raises(TypeError, match="seq_len"):
        stream_batches(np.arange(20), batch_size=2, seq_len=2.0)


def test_bad_corpus_and_vocabulary_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="train_chars"):
        load_stdlib_corpus(train_chars=0)
    with pytest.raises(TypeError, match="heldout_chars"):
        load_stdlib_corpus(heldout_chars=1.5)
    with pytest.raises(ValueError, match="directory"):
        load_stdlib_corpus(directory="/no/such/folder")
    with pytest.raises(ValueError, match="chars"):
        Vocabulary("ba")
    with pytest.raises(TypeError, match="text"):
        Vocabulary.from_text(b"abc")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 3\]"):
        Vocabulary("abc").decode(np.array([0, 4]))


def marks(labels: np.ndarray) -> str:
    """A bool array as a string of '1' and '.', to compare with a hand-written line."""
    return "".join("1" if flag else "." for flag in labels)


def test_labels_hash_inside_a_string_is_string_not_comment() -> None:
    source = 'x = "a#b"  # c(d\n'
    expected = {
        "in_string": "....11111........",
        "in_comment": "...........11111.",
    }
    labels = python_labels(source)
    assert marks(labels.in_string) == expected["in_string"]
    assert marks(labels.in_comment) == expected["in_comment"]
    # The "(" in the comment is not an operator: depth stays 0 everywhere.
    np.testing.assert_array_equal(labels.bracket_depth, np.zeros(len(source)))
    np.testing.assert_array_equal(labels.column, np.arange(len(source)))


def test_labels_bracket_depth_counts_operators_across_lines() -> None:
    source = 'f(a[1], "(")\ny = {2: (3,\n  4)}  # )\n'
    lines = ['f(a[1], "(")\n', "y = {2: (3,\n", "  4)}  # )\n"]
    assert "".join(lines) == source
    # A bracket belongs to the region it delimits; the "(" in the string does not count,
    # and the brackets stay open across the newline.
    depth = ["0112221111110", "000011112222", "22221000000"]
    string = ["........111..", "............", "..........."]
    comment = [".............", "............", ".......111."]
    labels = python_labels(source)
    assert "".join(str(d) for d in labels.bracket_depth) == "".join(depth)
    assert marks(labels.in_string) == "".join(string)
    assert marks(labels.in_comment) == "".join(comment)
    column = [c for line in lines for c in range(len(line))]
    np.testing.assert_array_equal(labels.column, column)


def test_labels_multiline_strings_and_fstrings() -> None:
    lines = ['s = """a\n', '#b"""\n', 't = f"{s!r} # {(1)}"  # (\n']
    source = "".join(lines)
    # The newline inside the triple-quoted string is string; the one after it is not.
    # The f-string is string whole, its replacement fields and the "#" in it included.
    string = ["....11111", "11111.", "....1111111111111111......"]
    comment = [".........", "......", "......................111."]
    labels = python_labels(source)
    assert marks(labels.in_string) == "".join(string)
    assert marks(labels.in_comment) == "".join(comment)
    # Brackets inside the f-string and the comment are not operators.
    np.testing.assert_array_equal(labels.bracket_depth, np.zeros(len(source)))
    np.testing.assert_array_equal(labels.column, [c for line in lines for c in range(len(line))])


def test_labels_refuse_incomplete_source() -> None:
    with pytest.raises(ValueError, match="source must be complete Python"):
        python_labels("f(1,\n")
    with pytest.raises(TypeError, match="source"):
        python_labels(b"x = 1\n")  # type: ignore[arg-type]


def test_labels_of_a_stdlib_module_agree_with_the_grammar() -> None:
    import io
    import tokenize

    source = (STDLIB / "bisect.py").read_text(encoding="utf-8")
    labels = python_labels(source)
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    line_starts = np.concatenate([[0], np.flatnonzero(np.array(list(source)) == "\n") + 1])
    offset = [int(line_starts[t.start[0] - 1] + t.start[1]) for t in tokens if t.type == tokenize.NEWLINE]
    # Python ends a logical line (a NEWLINE token) only outside every bracket.
    assert offset and np.all(labels.bracket_depth[offset] == 0)
    assert labels.bracket_depth.max() >= 1 and labels.bracket_depth.min() == 0
    comment_chars = sum(len(t.string) for t in tokens if t.type == tokenize.COMMENT)
    assert int(labels.in_comment.sum()) == comment_chars
    assert not np.any(labels.in_comment & labels.in_string)
    assert np.all(labels.column[line_starts[line_starts < len(source)]] == 0)


def test_labels_of_concatenated_modules_are_the_modules_labels_end_to_end() -> None:
    # So a chapter can label the whole held-out text at once.
    corpus = load_stdlib_corpus(train_chars=1, heldout_chars=10_000)  # small modules
    whole = python_labels(corpus.heldout)
    offsets = corpus.file_offsets("heldout")
    assert len(offsets) >= 3  # at least two modules joined
    for a, b in itertools.pairwise(offsets.tolist()):
        part = python_labels(corpus.heldout[a:b])
        for name in ("in_string", "in_comment", "bracket_depth", "column"):
            np.testing.assert_array_equal(getattr(whole, name)[a:b], getattr(part, name), err_msg=name)


@pytest.mark.parametrize("batch_size, seq_len", [(1, 4), (1, 2), (2, 2), (4, 5)])
def test_stream_batches_are_new_arrays_whatever_the_shape(batch_size: int, seq_len: int) -> None:
    # With one stream or one batch the (n_batches, B, T) layout of ids is already contiguous,
    # which once made inputs and targets views of ids (and of each other).
    ids = np.arange(21, dtype=np.int64)
    inputs, targets = stream_batches(ids, batch_size, seq_len)
    assert not np.shares_memory(inputs, ids) and not np.shares_memory(targets, ids)
    assert not np.shares_memory(inputs, targets)
    inputs[...] = -1
    targets[...] = -1
    np.testing.assert_array_equal(ids, np.arange(21))


def test_labels_are_the_same_whatever_the_line_endings() -> None:
    # tokenize ends a line at "\n", "\r\n" or a lone "\r"; so must the labels and the columns.
    unix = (STDLIB / "bisect.py").read_text(encoding="utf-8")
    assert "\r" not in unix
    reference = python_labels(unix)
    newline = np.array(list(unix)) == "\n"
    old_mac = python_labels(unix.replace("\n", "\r"))  # one character for one: the same labels
    windows_source = unix.replace("\n", "\r\n")
    windows = python_labels(windows_source)
    not_cr = np.array(list(windows_source)) != "\r"  # the characters of the Unix text, in order
    for name in ("in_string", "in_comment", "bracket_depth", "column"):
        expected = getattr(reference, name)
        np.testing.assert_array_equal(getattr(old_mac, name), expected, err_msg=f"{name}, CR")
        if name == "column":
            expected = np.where(newline, expected + 1, expected)  # the "\n" comes after its "\r"
        np.testing.assert_array_equal(getattr(windows, name)[not_cr], expected, err_msg=f"{name}, CRLF")


def test_a_folder_named_like_a_module_is_skipped_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").mkdir()  # not a file: reading it raised IsADirectoryError
    (tmp_path / "c.py").write_text("y = 2\n")
    corpus = load_stdlib_corpus(train_chars=1, heldout_chars=1, directory=tmp_path)
    assert corpus.train == "x = 1\n" and corpus.heldout == "y = 2\n"
    assert corpus.skipped == ("b.py",)


def closes_within_by_tokens(source: str, k: int) -> np.ndarray:
    """The label from its definition, one character at a time: tokenize's bracket operators
    paired with a stack, then for each character the innermost pair around it, and whether
    its closing bracket is at most k - 1 characters ahead."""
    import io
    import tokenize

    line_starts = [0] + [m + 1 for m, ch in enumerate(source) if ch == "\n"]
    pairs, stack = [], []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.OP and token.string in "([{":
            stack.append(line_starts[token.start[0] - 1] + token.start[1])
        elif token.type == tokenize.OP and token.string in ")]}":
            pairs.append((stack.pop(), line_starts[token.start[0] - 1] + token.start[1]))
    label = np.zeros(len(source), dtype=bool)
    for t in range(len(source)):
        around = [(o, c) for o, c in pairs if o <= t <= c]
        if around:
            innermost_close = min(c for _, c in around)
            label[t] = innermost_close - t < k
    return label


def test_closes_within_marks_k_characters_ending_at_the_closing_bracket() -> None:
    # The definition's own example: with k = 8 the closing bracket and the seven characters
    # before it, " second)", are True; nine marks ("d, second)" less one) would be an off-by-one.
    source = "print(first_argument, second)\n"
    assert marks(bracket_closes_within(source, 8)) == "." * 21 + "1" * 8 + "."
    assert bracket_closes_within(source, 8).sum() == 8
    # k = 1: the closing bracket alone; a short pair is marked whole, never before its opening.
    assert marks(bracket_closes_within(source, 1)) == "." * 28 + "1."
    assert marks(bracket_closes_within("f(x)\n", 8)) == ".111."


def test_closes_within_pairs_brackets_not_depths() -> None:
    # ")(" and "][" keep the depth level: the first pair closes at its own ")", which a label
    # read off the bracket depth alone (where the depth first drops) would miss.
    source = "y = f(abcdefghij)(k) + x[0123456789][1]\n"
    expected = closes_within_by_tokens(source, 4)
    assert marks(bracket_closes_within(source, 4)) == marks(expected)
    assert marks(expected) == "." * 13 + "1111" + "111" + "." * 12 + "1111" + "111" + "."
    # Brackets in strings and comments are not operators.
    source = 'f("))", [1, 2])  # )\n'
    assert marks(bracket_closes_within(source, 3)) == "." * 11 + "1111" + "." * 6


def test_closes_within_agrees_with_the_definition_on_a_stdlib_module() -> None:
    source = (STDLIB / "bisect.py").read_text(encoding="utf-8")
    for k in (1, 8, 30):
        np.testing.assert_array_equal(bracket_closes_within(source, k), closes_within_by_tokens(source, k))


def test_closes_within_refuses_a_bad_k() -> None:
    with pytest.raises(ValueError, match="k"):
        bracket_closes_within("f(x)\n", 0)
    with pytest.raises(TypeError, match="k"):
        bracket_closes_within("f(x)\n", 8.0)  # type: ignore[arg-type]
