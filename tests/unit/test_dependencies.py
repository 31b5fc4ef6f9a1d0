"""lstm_tutorial.tasks.dependencies: how far back a character depends, and gains by that distance.

Independent witnesses: sources written by hand whose distances are counted here, character by
character; on real standard-library modules, ``text.python_labels`` (the opener of a bracket
sits at the same depth, a string's quotes are inside it, a dedented line starts in its header's
column) and a plain count of the closing brackets outside strings and comments; and per-bin means
worked out by hand.
"""

from __future__ import annotations

import math
import sysconfig
from pathlib import Path

import numpy as np
import pytest

from lstm_tutorial.tasks.dependencies import DEPENDENCY_KINDS, dependency_distances, gains_by_distance
from lstm_tutorial.tasks.text import python_labels


def marked(source: str, **kwargs: object) -> list[tuple[int, str, int]]:
    """(position, character, distance) of every character with a dependency."""
    distances = dependency_distances(source, **kwargs)  # type: ignore[arg-type]
    assert distances.shape == (len(source),) and distances.dtype == np.int64
    return [(t, source[t], int(d)) for t, d in enumerate(distances) if d != -1]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # f0 (1 a2 ,3 _4 [5 b6 ]7 )8: ] closes [ two back, ) closes ( seven back.
        ("f(a, [b])\n", [(7, "]", 2), (8, ")", 7)]),
        ("d = {1: (2,)}\n", [(11, ")", 3), (12, "}", 8)]),
        ("x = 'ab'\n", [(7, "'", 3)]),
        # The three closing quotes of s = """a""" (opening quotes at 4, 5, 6; closing at 8, 9, 10).
        ('s = """a"""\n', [(8, '"', 4), (9, '"', 4), (10, '"', 4)]),
        ('rb"x"\n', [(4, '"', 2)]),  # the prefix is not part of the quote
        ("''\n", [(1, "'", 1)]),  # an empty string
        # Brackets inside strings and comments are not operators.
        ('"(" + ")"  # (\n', [(2, '"', 2), (8, '"', 2)]),
        # A string over two lines: the closing quotes are 9 characters after the opening ones.
        ("'''a\nbc'''\n", [(7, "'", 7), (8, "'", 7), (9, "'", 7)]),
        # "def f():\n" is characters 0-8, "    return 1\n" 9-21; x (22) is in def's column, 22 back.
        ("def f():\n    return 1\nx = 2\n", [(6, ")", 1), (22, "x", 22)]),
        # d (30) closes the inner block: its header "if b" starts at 10; e (32) the outer, "if a" at 0.
        ("if a:\n    if b:\n        c\n    d\ne\n", [(30, "d", 20), (32, "e", 32)]),
        # Two blocks closed at once: e depends on the header of the outer one.
        ("if a:\n    if b:\n        c\ne\n", [(26, "e", 26)]),
        # else depends on its if; comment and blank lines are not logical lines, and no dedent.
        ("if a:\n    b\n# c\n\nelse:\n    d\n", [(17, "e", 17)]),
        # Brackets spanning lines: no logical line starts inside them.
        ("x = [\n    1,\n]\ny\n", [(13, "]", 9)]),
        # f-strings: one closing quote each; their brackets and nested strings do not count, on
        # every version (from Python 3.12 on, tokenize splits them into parts).
        (
            'x = f"{(1)} {d[\'k\']} {g([2])}"\nif a:\n    f"""a{b}"""\ny = rb"q" + f\'\'\'z{[c]}\'\'\'\n',
            [
                (29, '"', 24),
                (49, '"', 7),
                (50, '"', 7),
                (51, '"', 7),
                (53, "y", 22),
                (61, '"', 2),
                (75, "'", 9),
                (76, "'", 9),
                (77, "'", 9),
            ],
        ),
        ("", []),
    ],
)
def test_distances_of_sources_written_by_hand(source: str, expected: list[tuple[int, str, int]]) -> None:
    assert marked(source) == expected


def test_each_kind_alone() -> None:
    source = "def f(x):\n    return 'a'\ny = (1)\n"
    every = marked(source)
    assert every == [(7, ")", 2), (23, "'", 2), (25, "y", 25), (31, ")", 2)]
    assert marked(source, kinds=("bracket",)) == [every[0], every[3]]
    assert marked(source, kinds=["quote"]) == [every[1]]
    assert marked(source, kinds=("dedent", "quote")) == every[1:3]
    assert DEPENDENCY_KINDS == ("bracket", "quote", "dedent")


def test_line_endings_are_read_as_python_reads_them() -> None:
    unix = "if a:\n    f(x)\nb = '''\n'''\n"
    old_mac = unix.replace("\n", "\r")  # same length, same offsets
    assert marked(old_mac) == [(t, old_mac[t], d) for t, _, d in marked(unix)]
    windows = unix.replace("\n", "\r\n")  # one more character per line ending before each
    shifted = [(t + unix[:t].count("\n"), c, d + unix[t - d : t].count("\n")) for t, c, d in marked(unix)]
    assert marked(windows) == shifted


STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.mark.parametrize("name", ["contextlib.py", "dataclasses.py", "textwrap.py", "tokenize.py"])
def test_on_stdlib_modules_the_distances_agree_with_python_labels(name: str) -> None:
    source = (STDLIB / name).read_text(encoding="utf-8")
    labels = python_labels(source)
    code = ~labels.in_string & ~labels.in_comment
    pairs = {")": "(", "]": "[", "}": "{"}

    brackets = dependency_distances(source, kinds=("bracket",))
    closing = np.array([c in pairs for c in source]) & code
    assert np.array_equal(np.flatnonzero(brackets > 0), np.flatnonzero(closing))  # every one, only them
    for t in np.flatnonzero(brackets > 0):
        opener = t - brackets[t]
        assert source[opener] == pairs[source[t]] and code[opener]
        assert labels.bracket_depth[opener] == labels.bracket_depth[t]  # the pair encloses one region

    quotes = dependency_distances(source, kinds=("quote",))
    assert np.count_nonzero(quotes > 0) > 20
    for t in np.flatnonzero(quotes > 0):
        opening = t - quotes[t]
        assert source[t] == source[opening] and source[t] in "'\""
        assert labels.in_string[opening : t + 1].all()  # one string from the one quote to the other

    dedents = dependency_distances(source, kinds=("dedent",))
    assert np.count_nonzero(dedents > 0) > 20
    for t in np.flatnonzero(dedents > 0):
        header = t - dedents[t]
        assert labels.column[t] == labels.column[header]
        for first in (t, header):  # each the first character of its line that is not a space
            line_start = source.rfind("\n", 0, first) + 1
            assert source[line_start:first].strip(" ") == "" and source[first] not in " \n"
        # The block it closes lies between them: a line indented deeper than the two.
        lines = source[header:t].split("\n")[1:]
        assert any(len(line) - len(line.lstrip(" ")) > labels.column[t] for line in lines if line.strip())

    together = dependency_distances(source)
    assert np.array_equal(together, np.maximum(np.maximum(brackets, quotes), dedents))


@pytest.mark.parametrize(
    ("call", "error", "fragments"),
    [
        (lambda: dependency_distances(b"x = 1\n"), TypeError, ("source", "bytes")),
        (lambda: dependency_distances("x = '''\n"), ValueError, ("source", "tokenize")),
        (lambda: dependency_distances("x\n", kinds="bracket"), TypeError, ("kinds", "list or tuple")),
        (lambda: dependency_distances("x\n", kinds=()), TypeError, ("kinds", "non-empty")),
        (lambda: dependency_distances("x\n", kinds=("brackets",)), ValueError, ("kinds", "'brackets'")),
    ],
)
def test_bad_arguments_of_dependency_distances(call, error, fragments) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))


# distances with their bins (default bounds 10, 20, 50, 100, 500), and the two models' bits.
DISTANCES = np.array([-1, 1, 10, 11, 600, 5, 20, 21])
BASELINE = np.array([9.0, 2.0, 4.0, 3.0, 5.0, 0.0, 1.0, 2.0])
MODEL = np.array([9.0, 1.0, 1.0, 3.0, 2.0, 3.0, 2.0, 2.0])


def test_gains_by_distance_by_hand() -> None:
    table = gains_by_distance(DISTANCES, BASELINE, MODEL, baseline_name="n-gram", model_name="LSTM")
    assert table.bins == ("1-10", "11-20", "21-50", "51-100", "101-500", ">500")
    assert table.low.tolist() == [1, 11, 21, 51, 101, 501]
    assert table.high.tolist() == [10, 20, 50, 100, 500, math.inf]
    assert table.count.tolist() == [3, 2, 1, 0, 0, 1]  # the character without a dependency is left out
    # 1-10: distances 1, 10, 5 with bits (2, 1), (4, 1), (0, 3): gains 1, 3, -3.
    # 11-20: distances 11, 20 with (3, 3), (1, 2): gains 0, -1. 21-50: (2, 2). >500: (5, 2).
    nan = math.nan
    np.testing.assert_allclose(table.baseline_bits, [2.0, 2.0, 2.0, nan, nan, 5.0], rtol=1e-15)
    np.testing.assert_allclose(table.model_bits, [5 / 3, 2.5, 2.0, nan, nan, 2.0], rtol=1e-15)
    np.testing.assert_allclose(table.gain, [1 / 3, -0.5, 0.0, nan, nan, 3.0], rtol=1e-15, atol=1e-15)
    # Standard errors: sample standard deviation / sqrt(count); none for fewer than two characters.
    np.testing.assert_allclose(table.gain_sem, [math.sqrt(28 / 9), 0.5, nan, nan, nan, nan], rtol=1e-14)
    rows = table.to_rows()
    assert rows[0][:2] == ("1-10", 3) and rows[5][:5] == (">500", 1, 5.0, 2.0, 3.0)
    assert isinstance(rows[0][1], int) and math.isnan(rows[5][5])
    assert [row[0] for row in rows] == list(table.bins) and all(len(row) == 6 for row in rows)
    printed = str(table).splitlines()
    assert printed[0].split() == ["distance", "characters", "n-gram", "LSTM", "gain", "+-"]
    assert printed[1].split() == ["1-10", "3", "2.000", "1.667", "+0.333", "1.764"]
    assert printed[4].split() == ["51-100", "0", "-", "-", "-", "-"]
    assert len(printed) == 7


def test_bounds_choose_the_bins() -> None:
    table = gains_by_distance(DISTANCES, BASELINE, MODEL, bounds=(10,))
    assert table.bins == ("1-10", ">10") and table.count.tolist() == [3, 4]
    assert table.gain[1] == pytest.approx((0 - 1 + 0 + 3) / 4, rel=1e-15)
    assert gains_by_distance(np.full(3, -1), np.ones(3), np.ones(3)).count.tolist() == [0] * 6


@pytest.mark.parametrize(
    ("call", "error", "fragments"),
    [
        (
            lambda: gains_by_distance(DISTANCES[1:], BASELINE, MODEL),
            ValueError,
            ("baseline_bits", "(7,)", "[1:]"),
        ),
        (
            lambda: gains_by_distance(DISTANCES, BASELINE, MODEL[1:]),
            ValueError,
            ("model_bits", "(8,)", "(7,)"),
        ),
        (lambda: gains_by_distance(DISTANCES, -BASELINE, MODEL), ValueError, ("baseline_bits", ">= 0", "-9")),
        (
            lambda: gains_by_distance(DISTANCES, BASELINE, MODEL * np.inf),
            ValueError,
            ("model_bits", "finite"),
        ),
        (
            lambda: gains_by_distance(DISTANCES, BASELINE.tolist(), MODEL),
            TypeError,
            ("baseline_bits", "list"),
        ),
        (lambda: gains_by_distance(DISTANCES * 0, BASELINE, MODEL), ValueError, ("distances", "-1", "got 0")),
        (lambda: gains_by_distance(DISTANCES - 2, BASELINE, MODEL), ValueError, ("distances", "got -3")),
        (lambda: gains_by_distance(DISTANCES * 1.0, BASELINE, MODEL), TypeError, ("distances", "float64")),
        (lambda: gains_by_distance(DISTANCES[None], BASELINE, MODEL), ValueError, ("distances", "(1, 8)")),
        (
            lambda: gains_by_distance(DISTANCES, BASELINE, MODEL, (20, 10)),
            ValueError,
            ("bounds", "increasing"),
        ),
        (lambda: gains_by_distance(DISTANCES, BASELINE, MODEL, ()), TypeError, ("bounds", "non-empty")),
        (lambda: gains_by_distance(DISTANCES, BASELINE, MODEL, (0, 5)), ValueError, ("bounds[0]", ">= 1")),
        (
            lambda: gains_by_distance(DISTANCES, BASELINE, MODEL, model_name=3),
            TypeError,
            ("model_name", "int"),
        ),
    ],
)
def test_bad_arguments_of_gains_by_distance(call, error, fragments) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))
