"""Timings a busy machine cannot produce silently (``lstm_tutorial.book.timing``), checked with fake timers.

A fake clock hands ``time_in_turns`` the duration of every call, so each test decides what the
machine did: stayed quiet, got busy for one round, for one call, or for every attempt. The
stability verdict, the figure kept, the refusal to judge and the table's mark follow from those
durations alone, worked out here by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from lstm_tutorial.book.timing import MAX_SPREAD, Timing, faster, table, time_in_turns


def fake_clock(durations: list[float]) -> Callable[[], float]:
    """A clock under which the k-th timed call lasts ``durations[k]`` seconds (two readings a call)."""
    readings: Iterator[float] = iter(
        reading for k, d in enumerate(durations) for reading in (float(k), float(k) + d)
    )
    return lambda: next(readings)


def calls_of(per_round: list[list[float]], functions: int = 1) -> list[float]:
    """The durations in the order ``time_in_turns`` takes them: round by round, the functions in turns.

    ``per_round[r]`` lists one function's calls in round r; with several functions, each of their
    calls is repeated for every function (the same duration for all)."""
    return [d for durations in per_round for d in durations for _ in range(functions)]


def test_a_quiet_machine_gives_a_stable_figure_the_fastest_rounds_median() -> None:
    rounds = [[2.0, 1.0, 3.0], [1.0, 1.1, 1.2], [1.1, 1.05, 1.0]]  # medians 2.0, 1.1, 1.05
    (timing,) = time_in_turns(
        [lambda: None], rounds=3, calls=3, attempts=1, clock=fake_clock(calls_of(rounds))
    )
    assert timing.rounds == pytest.approx((2.0, 1.1, 1.05))
    assert timing.seconds == pytest.approx(1.05)
    assert timing.spread == pytest.approx(2.0 / 1.05)
    assert not timing.stable  # the first round's median is 1.9 times the fastest's


def test_one_slow_call_in_a_round_is_filtered_by_the_median() -> None:
    rounds = [[1.0, 1.0, 50.0], [1.0, 1.1, 1.0], [1.0, 1.0, 1.0]]
    (timing,) = time_in_turns([lambda: None], rounds=3, calls=3, clock=fake_clock(calls_of(rounds)))
    assert timing.rounds == pytest.approx((1.0, 1.0, 1.0))
    assert timing.stable and timing.spread == pytest.approx(1.0)


def test_a_round_slowed_by_a_load_is_marked_and_not_judged() -> None:
    quiet, busy = [1.0, 1.0, 1.0], [1.5, 1.5, 1.5]
    rounds = [quiet, busy, quiet]
    numpy, torch = time_in_turns(
        [lambda: None, lambda: None], rounds=3, calls=3, attempts=1, clock=fake_clock(calls_of(rounds, 2))
    )
    assert numpy.spread == pytest.approx(1.5) and numpy.spread > MAX_SPREAD and not numpy.stable
    assert faster(numpy, torch) == "unstable"


def test_an_unstable_attempt_is_measured_again() -> None:
    busy = [[1.0] * 2, [2.0] * 2]  # spread 2
    quiet = [[1.0] * 2, [1.1] * 2]  # spread 1.1
    (timing,) = time_in_turns(
        [lambda: None], rounds=2, calls=2, attempts=3, clock=fake_clock(calls_of(busy + quiet))
    )
    assert (
        timing.rounds == pytest.approx((1.0, 1.1)) and timing.stable
    )  # the second attempt; no third was needed


def test_when_every_attempt_is_busy_the_least_spread_one_is_kept_and_still_marked() -> None:
    attempts = [[[1.0], [3.0]], [[1.0], [1.6]], [[1.0], [2.0]]]
    durations = [d for attempt in attempts for d in calls_of(attempt)]
    (timing,) = time_in_turns([lambda: None], rounds=2, calls=1, attempts=3, clock=fake_clock(durations))
    assert timing.rounds == pytest.approx((1.0, 1.6))
    assert not timing.stable


def test_functions_are_called_in_turns_after_one_warm_up_call_each() -> None:
    order: list[str] = []
    durations = [1.0] * 8  # 2 rounds x 2 calls x 2 functions; the warm-up is not timed
    time_in_turns(
        [lambda: order.append("a"), lambda: order.append("b")], rounds=2, calls=2, clock=fake_clock(durations)
    )
    assert order == ["a", "b"] * 5


@pytest.mark.parametrize(
    ("first", "second", "verdict"),
    [(1.0, 1.5, "first"), (1.0, 1.2, "even"), (1.2, 1.0, "even"), (2.0, 1.0, "second")],
)
def test_faster_judges_stable_timings_by_their_ratio(first: float, second: float, verdict: str) -> None:
    assert faster(Timing((first, first)), Timing((second, second))) == verdict


def test_faster_refuses_when_either_timing_is_unstable() -> None:
    quiet, busy = Timing((1.0, 1.0)), Timing((10.0, 20.0))
    assert faster(quiet, busy) == faster(busy, quiet) == "unstable"


def test_spread_of_zero_times() -> None:
    assert Timing((0.0, 0.0)).spread == 1.0
    assert Timing((0.0, 1e-6)).spread == float("inf") and not Timing((0.0, 1e-6)).stable


def test_the_table_marks_only_the_disturbed_figures() -> None:
    rows: list[dict[str, object]] = [
        {"name": "quiet", "ms": 1.0, "ratio": 2.0, "unstable": ()},
        {"name": "busy", "ms": 3.0, "ratio": 4.0, "unstable": ("ms", "ratio")},
    ]
    columns = [("name", "case", ""), ("ms", "ms", ".1f"), ("ratio", "ratio", ".1f")]
    assert table(rows, columns, flag="†").splitlines()[2:] == [
        "| quiet | 1.0 | 2.0 |",
        "| busy | 3.0 † | 4.0 † |",
    ]
    assert "†" not in table(rows, columns)  # no flag asked for: the table as before


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"rounds": 1}, ValueError, "rounds"),
        ({"calls": 0}, ValueError, "calls"),
        ({"attempts": 0}, ValueError, "attempts"),
        ({"max_spread": 1.0}, ValueError, "max_spread"),
    ],
)
def test_time_in_turns_refuses_settings_that_cannot_judge(
    kwargs: dict[str, object], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error, match=fragment):
        time_in_turns([lambda: None], **kwargs)  # type: ignore[arg-type]
