"""The date task (tasks/dates.py): each input is its answer's date, read back by Python's own
``strptime``; the held-out dates are never seen in training, in any format; the draws are seeded."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pytest

from lstm_tutorial.tasks.dates import (
    DATE_FORMATS,
    DateExamples,
    date_examples,
    date_task,
    format_date,
    shared_dates,
    split_dates,
    vocabularies,
)

# strptime's reading of each format (the C locale's English names, which Python starts in); the
# ordinal's suffix is cut off first. Written here from the formats' examples, not from the code.
STRPTIME = [
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%a %d %b %Y",
    "%A, %d %B %Y",
    "%A, %B %d, %Y",
    "%A the %d of %B, %Y",
]


def read_back(text: str, format_index: int) -> datetime.date:
    """The date strptime reads from ``text``; the weekday named in it must be that date's."""
    pattern = STRPTIME[format_index]
    read = datetime.datetime.strptime(re.sub(r"(\d)(st|nd|rd|th) of", r"\1 of", text), pattern).date()
    if "%A" in pattern or "%a" in pattern:
        named = text.split()[0].rstrip(",")
        assert named == read.strftime("%A" if "%A" in pattern else "%a"), (text, read)
    return read


def test_a_hand_checked_date_in_every_format() -> None:
    monday = datetime.date(2026, 12, 7)
    assert [format_date(monday, pattern) for pattern in DATE_FORMATS] == [
        "7/12/2026",
        "07.12.2026",
        "7 Dec 2026",
        "7 December 2026",
        "Dec 7, 2026",
        "December 7, 2026",
        "Mon 7 Dec 2026",
        "Monday, 7 December 2026",
        "Monday, December 7, 2026",
        "Monday the 7th of December, 2026",
    ]
    days = (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)
    ordinals = [format_date(datetime.date(2026, 1, d), "{dth}") for d in days]
    assert ordinals == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]
    assert format_date(datetime.date(1969, 7, 20), "{weekday}") == "Sunday"  # the Moon landing
    assert format_date(datetime.date(2000, 1, 1), "{dow}") == "Sat"


def test_every_input_reads_back_as_its_answer() -> None:
    train, held_out = date_task(3000, 1000, seed=3)
    for examples in (train, held_out):
        rows = zip(examples.sources, examples.targets, examples.formats.tolist(), strict=True)
        for source, target, f in rows:
            assert read_back(source, f).isoformat() == target, source
        assert set(examples.formats.tolist()) == set(range(len(DATE_FORMATS)))
    assert train.lengths.min() == 8 and train.lengths.max() == 37  # "1/1/1950" .. "Wednesday the 23rd of ..."


def test_no_held_out_date_is_seen_in_training_in_any_format() -> None:
    train_dates, held_out_dates = split_dates(1950, 2049, 0.1, seed=0)
    assert len(train_dates) + len(held_out_dates) == 36_525  # 100 years, 25 of them leap years
    assert len(held_out_dates) == 3_652 and not set(train_dates) & set(held_out_dates)
    train, held_out = date_task(20_000, 2_000, seed=0)
    assert shared_dates(train, held_out) == 0
    assert not set(train.targets) & set(held_out.targets)
    assert not set(train.sources) & set(held_out.sources)
    assert set(held_out.targets) <= {d.isoformat() for d in held_out_dates}
    # the count can be non-zero: a held-out example whose date is a training one is found
    leaked = DateExamples([train.sources[0]], [train.targets[0]], np.zeros(1, dtype=np.int64))
    assert shared_dates(train, leaked) == 1


def test_the_draws_are_distinct_and_seeded() -> None:
    days = split_dates(2000, 2000, 0.5, seed=1)[0]
    examples = date_examples(days, len(days) * len(DATE_FORMATS), seed=0)  # every pair, once
    pairs = set(zip(examples.targets, examples.formats.tolist(), strict=True))
    assert len(pairs) == len(examples) == 183 * 10
    # "May" is its own short name: "7 May 2000" in two formats, one text
    assert len(set(examples.sources)) == 183 * 10 - 2 * sum(d.month == 5 for d in days)
    again = date_task(500, 100, seed=4)
    assert again[0].sources == date_task(500, 100, seed=4)[0].sources
    assert again[1].sources != date_task(500, 100, seed=5)[1].sources


def test_the_vocabularies_hold_every_character() -> None:
    source_vocab, target_vocab = vocabularies()
    train, _ = date_task(2000, 10, seed=0)
    assert source_vocab.decode(source_vocab.encode(train.sources)) == train.sources
    assert target_vocab.decode(target_vocab.encode(train.targets)) == train.targets
    assert target_vocab.size == 14  # PAD, START, END and "0123456789-"


@pytest.mark.parametrize(
    ("call", "error", "fragments"),
    [
        (lambda: format_date("2026-12-07", "{d}"), TypeError, ["date", "str"]),
        (lambda: format_date(datetime.date(2026, 1, 1), "{day}"), ValueError, ["pattern", "'day'"]),
        (lambda: split_dates(2000, 1999), ValueError, ["last_year", "2000", "1999"]),
        (lambda: date_examples([datetime.date(2000, 1, 1)], 11), ValueError, ["count", "at most 10", "11"]),
        (lambda: date_examples([], 1), TypeError, ["dates", "non-empty"]),
        (lambda: date_examples([datetime.date(2000, 1, 1)] * 2, 1), ValueError, ["dates", "once"]),
        (lambda: shared_dates([], []), TypeError, ["train", "DateExamples"]),
    ],
)
def test_bad_input_is_named(call, error, fragments) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as raised:
        call()
    for fragment in fragments:
        assert fragment in str(raised.value)
