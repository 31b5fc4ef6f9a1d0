"""Date normalisation as a sequence-to-sequence task: "Monday, 7 December 2026" in, "2026-12-07" out.

Every input is one date written in one of ten fixed formats, ``DATE_FORMATS``, from
"7/12/2026" (8 to 10 characters) to "Wednesday the 23rd of September, 2026" (up to 37);
every answer is the date in ISO 8601, "YYYY-MM-DD". The numeric formats are day first
("7/12/2026" is 7 December), so no input is ambiguous. Weekdays are the true ones, and
the names are English, whatever the machine's locale.

The held-out set is a set of *dates*: ``split_dates`` shuffles every day of the years
asked for and holds out a fraction of them, and ``date_task`` draws the training
examples from the other days only, so no held-out date appears in training in any
format (``shared_dates`` counts the ones that do: zero). A model that answers a
held-out question right has combined a day, a month and a year it saw in other
dates, not recalled an answer.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..nn import _checks
from .addition import held_out_split
from .vocab import Vocabulary

__all__ = [
    "DATE_FORMATS",
    "SOURCE_SYMBOLS",
    "TARGET_SYMBOLS",
    "DateExamples",
    "date_examples",
    "date_task",
    "format_date",
    "shared_dates",
    "split_dates",
    "vocabularies",
]

MONTHS = ("January February March April May June July August September October November December").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

DATE_FORMATS = (
    "{d}/{m}/{yyyy}",
    "{dd}.{mm}.{yyyy}",
    "{d} {mon} {yyyy}",
    "{d} {month} {yyyy}",
    "{mon} {d}, {yyyy}",
    "{month} {d}, {yyyy}",
    "{dow} {d} {mon} {yyyy}",
    "{weekday}, {d} {month} {yyyy}",
    "{weekday}, {month} {d}, {yyyy}",
    "{weekday} the {dth} of {month}, {yyyy}",
)
"""The ten formats, shortest first: ``format_date`` fills in d (7), dd (07), m (12), mm (12),
yyyy, mon (Dec), month (December), dow (Mon), weekday (Monday) and dth (7th). May's short name is
its name, so "7 May 2026" is one text in two formats."""

TARGET_SYMBOLS = "0123456789-"
"""The characters of an answer, "2026-12-07"."""


def _ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st, 22nd, 23rd ... 31st."""
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def format_date(date: datetime.date, pattern: str) -> str:
    """``date`` written in ``pattern``, one of ``DATE_FORMATS`` (or any pattern of their fields).

    Args:
        date: the day.
        pattern: a ``str.format`` pattern of the fields d, dd, m, mm, yyyy, mon, month,
            dow, weekday, dth.

    Returns:
        The text, e.g. "Monday, 7 December 2026" for 2026-12-07 and "{weekday}, {d} {month} {yyyy}".
    """
    date = _checks.instance("date", date, datetime.date)
    if not isinstance(pattern, str):
        raise TypeError(
            f"pattern must be a string such as {DATE_FORMATS[0]!r}, got {_checks.describe(pattern)}"
        )
    fields = {
        "d": str(date.day),
        "dd": f"{date.day:02d}",
        "m": str(date.month),
        "mm": f"{date.month:02d}",
        "yyyy": f"{date.year:04d}",
        "mon": MONTHS[date.month - 1][:3],
        "month": MONTHS[date.month - 1],
        "dow": WEEKDAYS[date.weekday()][:3],
        "weekday": WEEKDAYS[date.weekday()],
        "dth": _ordinal(date.day),
    }
    try:
        return pattern.format(**fields)
    except (KeyError, IndexError) as error:
        raise ValueError(
            f"pattern {pattern!r} names a field that is not one of {sorted(fields)}: {error}"
        ) from None


SOURCE_SYMBOLS = "".join(sorted(set("0123456789/., ") | set("".join(MONTHS + WEEKDAYS)) | set("thofstndrd")))
"""Every character an input can hold: digits, the separators, the letters of the names."""


def vocabularies() -> tuple[Vocabulary, Vocabulary]:
    """The source and target vocabularies: ``Vocabulary(SOURCE_SYMBOLS)``, ``Vocabulary(TARGET_SYMBOLS)``."""
    return Vocabulary(SOURCE_SYMBOLS), Vocabulary(TARGET_SYMBOLS)


@dataclass(frozen=True)
class DateExamples:
    """Questions and answers of the date task.

    Attributes:
        sources: N inputs, e.g. "Dec 7, 2026".
        targets: N answers in ISO 8601, "2026-12-07".
        formats: (N,) int64, the index into ``DATE_FORMATS`` of each input's format.
    """

    sources: list[str]
    targets: list[str]
    formats: np.ndarray

    def __len__(self) -> int:
        return len(self.sources)

    @property
    def lengths(self) -> np.ndarray:
        """(N,) int64, the number of characters of each input."""
        return np.array([len(s) for s in self.sources], dtype=np.int64)


def _days(first_year: int, last_year: int) -> list[datetime.date]:
    first = datetime.date(first_year, 1, 1)
    count = (datetime.date(last_year, 12, 31) - first).days + 1
    return [first + datetime.timedelta(days=k) for k in range(count)]


def split_dates(
    first_year: int = 1950, last_year: int = 2049, fraction: float = 0.1, seed: int = 0
) -> tuple[list[datetime.date], list[datetime.date]]:
    """Every day from 1 January ``first_year`` to 31 December ``last_year``, split at random.

    Args:
        first_year, last_year: the years, inclusive, from 1 to 9999, first <= last.
        fraction: the share of the days held out, in (0, 1).
        seed: the shuffle's seed (``addition.held_out_split``'s).

    Returns:
        ``(train_dates, held_out_dates)``: disjoint lists of days, each in calendar order.
    """
    first_year = _checks.positive_int("first_year", first_year)
    last_year = _checks.positive_int("last_year", last_year)
    if not first_year <= last_year <= 9999:
        raise ValueError(f"last_year must be from first_year ({first_year}) to 9999, got {last_year}")
    days = _days(first_year, last_year)
    train, held_out = held_out_split(len(days), fraction, seed)
    return [days[k] for k in np.sort(train)], [days[k] for k in np.sort(held_out)]


def date_examples(dates: Sequence[datetime.date], count: int, seed: int = 0) -> DateExamples:
    """``count`` distinct (date, format) pairs drawn uniformly from ``dates`` and ``DATE_FORMATS``.

    Args:
        dates: the days to draw from, each once.
        count: N, at most len(dates) * len(DATE_FORMATS).
        seed: the generator's seed, an integer >= 0.

    Returns:
        The N examples, in the order drawn.
    """
    if isinstance(dates, (str, bytes)) or not isinstance(dates, Sequence) or not dates:
        raise TypeError(f"dates must be a non-empty list of datetime.date, got {_checks.describe(dates)}")
    for k, date in enumerate(dates):
        _checks.instance(f"dates[{k}]", date, datetime.date)
    if len(set(dates)) != len(dates):
        raise ValueError("dates must hold each day once, got repeated days")
    count = _checks.positive_int("count", count)
    pairs = len(dates) * len(DATE_FORMATS)
    if count > pairs:
        raise ValueError(
            f"count must be at most {pairs:,} ({len(dates):,} dates x {len(DATE_FORMATS)} formats), "
            f"got {count:,}"
        )
    rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
    drawn = rng.choice(pairs, size=count, replace=False)
    day_index, formats = np.divmod(drawn, len(DATE_FORMATS))
    days = [dates[k] for k in day_index.tolist()]
    sources = [format_date(day, DATE_FORMATS[f]) for day, f in zip(days, formats.tolist(), strict=True)]
    return DateExamples(sources, [day.isoformat() for day in days], formats.astype(np.int64))


def date_task(
    train_count: int = 20_000,
    held_out_count: int = 2_000,
    seed: int = 0,
    first_year: int = 1950,
    last_year: int = 2049,
    fraction: float = 0.1,
) -> tuple[DateExamples, DateExamples]:
    """The task: training examples from some days, held-out examples from the others only.

    Args:
        train_count, held_out_count: the numbers of examples.
        seed: one seed for the split of the days and both draws.
        first_year, last_year, fraction: ``split_dates``'s.

    Returns:
        ``(train, held_out)``: no date of ``held_out`` appears in ``train`` in any format.
    """
    checked = _checks.seed("seed", seed, allow_none=False)
    assert checked is not None  # allow_none=False
    train_dates, held_out_dates = split_dates(first_year, last_year, fraction, checked)
    train = date_examples(train_dates, train_count, checked + 1)
    held_out = date_examples(held_out_dates, held_out_count, checked + 2)
    return train, held_out


def shared_dates(train: DateExamples, held_out: DateExamples) -> int:
    """How many held-out examples have a date (answer) that some training example has, in any format.

    Args:
        train, held_out: two sets of examples.

    Returns:
        The count; ``date_task`` makes it zero.
    """
    train = _checks.instance("train", train, DateExamples)
    held_out = _checks.instance("held_out", held_out, DateExamples)
    seen = set(train.targets)
    return sum(target in seen for target in held_out.targets)
