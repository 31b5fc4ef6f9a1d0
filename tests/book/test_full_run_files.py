"""What only a long run measured is read from a file that says where, when and how (``FULL_RUN``).

A number a chapter quotes from a long run comes from ``book/data/<name>.json``, written by that run
(``lstm_tutorial.book.full_run.record``, ``python tools/full_run.py book/<chapter>.md``). The prose-number
test (test_prose_numbers.py) keeps typed numbers out of the text; this one covers the files behind the
glued ones:

- every file carries its provenance: the values, the date (ISO 8601, with its time zone), the machine
  (processor, cores, load average), the library versions and the package's git commit, and the command
  that wrote it;
- every file is read by a chapter, and every chapter that reads one prints what it read (the provenance
  ``Measured`` prints, "read from data/<name>.json, written by a long run: ..."), in a cell whose output
  the page shows; the built page carries that print.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, toc_files

DATA = ROOT / "book" / "data"
FILES = sorted(DATA.glob("*.json"))

MACHINE = ("processor", "cores", "load_average_1_5_15_min")
VERSIONS = ("python", "numpy", "keras", "torch", "lstm-tutorial", "commit")

READ = re.compile(r"""(\w+)\s*=\s*full_run\.read\(\s*["']([\w-]+)["']\s*\)""")
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)


def problems(document: Any) -> list[str]:
    """What a long run's file lacks of its provenance (empty when it is complete)."""
    if not isinstance(document, dict):
        return ["not a JSON object"]
    found = []
    values = document.get("values")
    if not isinstance(values, dict) or not values:
        found.append("values: missing or empty")
    try:
        date = datetime.datetime.fromisoformat(str(document.get("date")))
        if date.tzinfo is None:
            found.append(f"date: no time zone in {document.get('date')!r}")
    except ValueError:
        found.append(f"date: not ISO 8601: {document.get('date')!r}")
    for field, keys in (("machine", MACHINE), ("versions", VERSIONS)):
        part = document.get(field)
        if not isinstance(part, dict):
            found.append(f"{field}: missing")
            continue
        found += [f"{field}.{key}: missing or empty" for key in keys if part.get(key) in (None, "", [])]
    command = document.get("command")
    if not isinstance(command, str) or not command.strip():
        found.append("command: missing or empty")
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_data_file_says_where_when_and_how(path: Path) -> None:
    found = problems(json.loads(path.read_text()))
    assert not found, f"{path.name}: " + "; ".join(found)


COMPLETE = {
    "values": {"heldout_bpc": 2.1},
    "date": "2026-12-07T13:15:20+00:00",
    "machine": {"processor": "AMD EPYC", "cores": 2, "load_average_1_5_15_min": [2.8, 3.6, 4.2]},
    "versions": {
        "python": "3.11.7",
        "numpy": "2.4.6",
        "keras": "3.15.1",
        "torch": "2.13.0+cpu",
        "lstm-tutorial": "0.1.0",
        "commit": "239fde3",
    },
    "command": "python tools/full_run.py --threads 1 book/10_char_language_model.md",
}


def test_a_complete_file_passes() -> None:
    assert problems(COMPLETE) == []


@pytest.mark.parametrize(
    "path",
    [("values",), ("date",), ("command",), ("machine",), ("versions",)]
    + [("machine", key) for key in MACHINE]
    + [("versions", key) for key in VERSIONS],
    ids=".".join,
)
def test_a_file_missing_a_field_fails(path: tuple[str, ...]) -> None:
    document = copy.deepcopy(COMPLETE)
    part = document
    for key in path[:-1]:
        part = part[key]
    del part[path[-1]]
    assert problems(document), path


def test_a_date_without_its_time_zone_fails() -> None:
    assert problems({**COMPLETE, "date": "2026-12-07T13:15:20"}) == [
        "date: no time zone in '2026-12-07T13:15:20'"
    ]


def readers() -> dict[str, list[tuple[str, str, str]]]:
    """For every chapter, (file name, variable, code cell) of each ``x = full_run.read("name")``."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for name in toc_files():
        source = (ROOT / f"{name}.md").read_text()
        for cell in CELL.findall(source):
            for variable, data in READ.findall(cell):
                found.setdefault(name, []).append((data, variable, cell))
    return found


def test_every_data_file_is_read_and_every_read_file_exists() -> None:
    read = {data for entries in readers().values() for data, _, _ in entries}
    assert read <= {p.stem for p in FILES}, f"read but absent: {sorted(read - {p.stem for p in FILES})}"
    assert {p.stem for p in FILES} <= read, (
        f"written but read by no chapter: {sorted({p.stem for p in FILES} - read)}"
    )


def test_a_chapter_that_reads_a_file_prints_where_it_came_from() -> None:
    """The cell that reads a long run's file prints it (its provenance first) and is shown."""
    for chapter, entries in readers().items():
        for data, variable, cell in entries:
            tags = re.search(r"^:tags:\s*\[([^\]]*)\]", cell, re.M)
            hidden = {t.strip() for t in tags.group(1).split(",")} if tags else set()
            assert not hidden & {"remove-cell", "remove-output"}, (
                f"{chapter}: the cell reading {data} hides its output"
            )
            assert re.search(rf"^print\({variable}\)", cell, re.M), (
                f"{chapter}: reads {data} but does not print({variable})"
            )


def test_the_built_pages_print_the_provenance(built_book: Path) -> None:
    for chapter, entries in readers().items():
        text = (built_book / f"{chapter}.html").read_text()
        for data, _, _ in entries:
            assert f"read from data/{data}.json, written by a long run" in text, (chapter, data)
