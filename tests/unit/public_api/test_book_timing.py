"""Rows of the public-API table for ``lstm_tutorial.book.timing`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _table import Row, Table, check, equal

from lstm_tutorial.book import timing

TABLE = Table("book.timing")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "book.timing.median_time",
    "non-negative seconds",
    lambda: timing.median_time(lambda: None, 3),
    lambda t: 0 <= t < 1,
)
raises(
    "book.timing.median_time",
    "repeats 0",
    lambda: timing.median_time(lambda: None, 0),
    ValueError,
    "repeats",
)
raises("book.timing.median_time", "fn not callable", lambda: timing.median_time(3, 1), TypeError, "fn")
gives(
    "book.timing.table",
    "markdown",
    lambda: timing.table([{"a": 1.5}], [("a", "A", ".1f"), ("b", "B", "d")]),
    equal("| A | B |\n|---|---|\n| 1.5 | n/a |"),
)


def _calls_in_turns() -> list[str]:
    """The order in which interleaved_medians calls two functions over two rounds."""
    calls: list[str] = []
    timing.interleaved_medians([lambda: calls.append("a"), lambda: calls.append("b")], 2)
    return calls


gives(
    "book.timing.interleaved_medians",
    "a warm-up round, then rounds of one call each",
    _calls_in_turns,
    equal(["a", "b", "a", "b", "a", "b"]),
)
gives(
    "book.timing.interleaved_medians",
    "one median per function, in seconds",
    lambda: timing.interleaved_medians([lambda: None, lambda: None], 3),
    lambda t: len(t) == 2 and all(0 <= s < 1 for s in t),
)
raises(
    "book.timing.interleaved_medians",
    "no functions",
    lambda: timing.interleaved_medians([], 3),
    TypeError,
    "fns",
    "non-empty list",
)
raises(
    "book.timing.interleaved_medians",
    "one not callable",
    lambda: timing.interleaved_medians([lambda: None, 3], 3),
    TypeError,
    "fns[1]",
    "int 3",
)
raises(
    "book.timing.interleaved_medians",
    "repeats 0",
    lambda: timing.interleaved_medians([lambda: None], 0),
    ValueError,
    "repeats",
)
raises(
    "book.timing.elementwise_costs",
    "repeats 0",
    lambda: timing.elementwise_costs(repeats=0),
    ValueError,
    "repeats",
)
raises(
    "book.timing.elementwise_costs",
    "hidden a float",
    lambda: timing.elementwise_costs(hidden=1.5),  # type: ignore[arg-type]
    TypeError,
    "hidden",
)


def _costs_look_real(costs: dict[str, Any]) -> bool:
    """A tanh costs more than a multiply on any CPU, and the kernel is one NumPy can run here."""
    from numpy.lib.introspect import opt_func_info

    available = next(iter(opt_func_info(func_name="^tanh$", signature="float32")["tanh"].values()))
    return (
        0 < costs["multiply_ns"] < costs["tanh_ns"] < 1e3 and costs["tanh_kernel"] in available["available"]
    )


gives(
    "book.timing.elementwise_costs",
    "(32, 512): tanh dearer than a multiply; a kernel NumPy has",
    lambda: timing.elementwise_costs(repeats=50),
    _costs_look_real,
)

gives(
    "book.timing.Timing",
    "rounds and the default limit",
    lambda: (timing.Timing((0.1, 0.2)).rounds, timing.Timing((0.1,)).max_spread),
    equal(((0.1, 0.2), timing.MAX_SPREAD)),
)
gives("book.timing.MAX_SPREAD", "a ratio above 1", lambda: timing.MAX_SPREAD, lambda v: 1 < v < 2)
gives(
    "book.timing.Timing.seconds",
    "the fastest round",
    lambda: timing.Timing((0.3, 0.2, 0.25)).seconds,
    equal(0.2),
)
gives("book.timing.Timing.spread", "slowest / fastest", lambda: timing.Timing((0.2, 0.5)).spread, equal(2.5))
gives(
    "book.timing.Timing.stable",
    "spread 2.5 over a limit of 1.3",
    lambda: (timing.Timing((0.2, 0.5)).stable, timing.Timing((0.2, 0.25)).stable),
    equal((False, True)),
)
gives(
    "book.timing.time_in_turns",
    "one Timing per function, two rounds each",
    lambda: timing.time_in_turns([lambda: None, lambda: None], rounds=2, calls=1),
    lambda t: len(t) == 2 and all(isinstance(x, timing.Timing) and len(x.rounds) == 2 for x in t),
)
raises(
    "book.timing.time_in_turns",
    "one round",
    lambda: timing.time_in_turns([lambda: None], rounds=1),
    ValueError,
    "rounds",
)
raises("book.timing.time_in_turns", "no functions", lambda: timing.time_in_turns([]), TypeError, "fns")
gives(
    "book.timing.faster",
    "ratio 2, 1.1, 0.5; one unstable",
    lambda: (
        [timing.faster(timing.Timing((1.0, 1.0)), timing.Timing((b, b))) for b in (2.0, 1.1, 0.5)]
        + [timing.faster(timing.Timing((1.0, 3.0)), timing.Timing((1.0, 1.0)))]
    ),
    equal(["first", "even", "second", "unstable"]),
)
raises("book.timing.faster", "a float", lambda: timing.faster(1.0, 2.0), TypeError, "first", "Timing")  # type: ignore[arg-type]
gives(
    "book.timing.table",
    "a flagged row",
    lambda: timing.table([{"a": 1.5, "unstable": ("a",)}], [("a", "A", ".1f")], flag="†"),
    equal("| A |\n|---|\n| 1.5 † |"),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
