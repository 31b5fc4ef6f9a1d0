"""The public-API table as a whole (see ``_table``): every public name of the package has a row,
no row names something that is not public, and the rows, all files together, are at least 150."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

from _table import Row

import lstm_tutorial


def all_rows() -> list[Row]:
    """The rows of every file of the table (each ``test_<module>.py`` beside this one)."""
    here = Path(__file__).resolve()
    files = sorted(path.stem for path in here.parent.glob("test_*.py") if path != here)
    return [row for stem in files for row in importlib.import_module(stem).TABLE.rows]


ROWS = all_rows()


def public_names() -> set[str]:
    """Every public name, spelled as the rows spell it (see ``_table``'s docstring)."""
    root = lstm_tutorial.__name__
    modules = [
        importlib.import_module(m.name)
        # The prefix makes the walk import subpackages by their full name: without it, a folder
        # on sys.path named like one (tests/book, the chapters' book/) was walked instead.
        for m in pkgutil.walk_packages(lstm_tutorial.__path__, prefix=f"{root}.", onerror=print)
        if not any(part.startswith("_") for part in m.name.split("."))
        # The chapters' exercise modules count through lstm_tutorial.exercises, which re-exports
        # their checkers (the scope this table has always had); their own helpers have no rows.
        and not m.name.startswith(f"{root}.exercises.")
    ]
    names: set[str] = set()
    seen: dict[int, str] = {}
    classes: list[type] = []
    for mod in [*modules, lstm_tutorial]:
        short = mod.__name__.removeprefix(f"{root}.") if mod is not lstm_tutorial else root
        for name in getattr(mod, "__all__", ()):  # a module without __all__ exports nothing
            obj = getattr(mod, name)
            defined_in = getattr(obj, "__module__", "") or ""
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and defined_in.startswith(f"{root}."):
                key = f"{defined_in.removeprefix(f'{root}.')}.{obj.__qualname__}"
                if inspect.isclass(obj) and obj not in classes:
                    classes.append(obj)
            elif not isinstance(obj, (int, float, str)) and id(obj) in seen:
                key = seen[id(obj)]
            else:
                key = f"{short}.{name}"
            seen.setdefault(id(obj), key)
            names.add(key)
    for kind in classes:
        if getattr(kind, "_is_protocol", False):
            continue  # a Protocol's methods are a specification; Recurrent and Dense have the rows
        for base in kind.__mro__:
            if not base.__module__.startswith(f"{root}.") or (
                base is not kind and not base.__name__.startswith("_")
            ):
                continue  # a public base has its own entry; a private one is listed through its subclass
            for member, value in vars(base).items():
                method = isinstance(value, (property, classmethod, staticmethod)) or inspect.isfunction(value)
                if method and not member.startswith("_"):
                    names.add(f"{base.__module__.removeprefix(f'{root}.')}.{base.__qualname__}.{member}")
    return names


NAMES = public_names()


def test_every_public_name_has_a_row() -> None:
    covered = {row.name for row in ROWS}
    missing = sorted(NAMES - covered)
    assert not missing, f"{len(missing)} public names have no row in tests/unit/public_api/: {missing}"
    unknown = sorted(covered - NAMES)
    assert not unknown, f"rows for names that are not public (renamed?): {unknown}"


def test_the_tables_hold_at_least_150_cases() -> None:
    # pytest puts tests/unit on sys.path once it has collected a file there; run alone, this file does.
    unit = str(Path(__file__).resolve().parents[1])
    if unit not in sys.path:
        sys.path.append(unit)
    from test_validation import CASES

    assert len(ROWS) >= 150, len(ROWS)
    print(f"{len(ROWS)} rows here over {len(NAMES)} public names, {len(CASES)} in test_validation.py")
