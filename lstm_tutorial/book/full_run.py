"""What only a long run can measure: written by that run, read by every build.

Some measurements take longer than a book build can spend: more seeds, more
training steps. A chapter runs them only with ``FULL_RUN = True``, and then writes
what it measured to a JSON file of the repository, ``book/data/<name>.json``, with
the machine it ran on, the date, the library versions and the command that ran it.
Every build reads that file and says so, so a number the prose quotes from a long
run was written by the run itself, never typed in:

    if FULL_RUN:
        full_run.record("13_adding_seeds", {"lstm_seed1": 0.00066, ...})
    measured = full_run.read("13_adding_seeds")
    print(measured)  # where, when and how, then the values

``python tools/full_run.py book/13_bidirectional_and_memory.md`` executes a chapter
with ``FULL_RUN = True`` (and names itself as the command). The files live in
``data_dir()``: the folder ``data`` under the working directory (the book's folder,
when the book builds), or the folder the environment variable
``LSTM_TUTORIAL_DATA`` names.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["COMMAND_VARIABLE", "Measured", "data_dir", "read", "record"]

COMMAND_VARIABLE = "LSTM_TUTORIAL_FULL_RUN_COMMAND"
"""The environment variable through which ``tools/full_run.py`` names the command."""

_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")


def data_dir() -> Path:
    """The folder of the long runs' files: ``$LSTM_TUTORIAL_DATA``, else ``./data``."""
    return Path(os.environ.get("LSTM_TUTORIAL_DATA") or Path.cwd() / "data")


def _path(name: Any) -> Path:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"name must be 1 to 80 letters, digits, '_' or '-' (a file name), got {name!r}")
    return data_dir() / f"{name}.json"


def _machine() -> dict[str, Any]:
    """The processor, its cores and how busy they were: what a timing or a rounding depends on."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    return {"processor": model, "cores": os.cpu_count(), "load_average_1_5_15_min": load}


def _versions() -> dict[str, str]:
    """Python's and the libraries' versions, and the package's git commit when it has one."""
    found = {"python": platform.python_version()}
    for package in ("numpy", "keras", "torch", "lstm-tutorial"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "absent"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if commit.returncode == 0 and commit.stdout.strip():
            found["commit"] = commit.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass  # not a git checkout: the versions above are what is known
    return found


def _plain(value: Any) -> Any:
    """A NumPy number as the Python number it holds (what json.dumps cannot write itself)."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{value!r} ({type(value).__name__}) is not a JSON value")


def _shown(value: Any) -> str:
    """A value as printed: floats to 6 significant digits, lists without brackets."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Measured:
    """A long run's file, as ``read`` gives it back.

    Attributes:
        name: the file's name (``book/data/<name>.json``).
        values: what the run measured, by name (numbers, strings or lists of them).
        date: when it was written, in UTC (ISO 8601).
        machine: the processor, its number of cores and the load average then.
        versions: Python's and the libraries' versions.
        command: what ran it.
    """

    name: str
    values: dict[str, Any]
    date: str
    machine: dict[str, Any]
    versions: dict[str, str]
    command: str

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __str__(self) -> str:
        versions = textwrap.wrap(", ".join(f"{k} {v}" for k, v in self.versions.items()), 66)
        machine, load = self.machine, _shown(self.machine.get("load_average_1_5_15_min"))
        lines = [
            f"read from data/{self.name}.json, written by a long run:",
            *(
                ("  run       " if k == 0 else " " * 12) + line
                for k, line in enumerate(textwrap.wrap(self.command, 66) or [""])
            ),
            f"  on        {self.date[:10]}, {machine.get('processor')}, {machine.get('cores')} cores"
            f" (load {load})",
            *(("  versions  " if k == 0 else " " * 12) + line for k, line in enumerate(versions)),
        ]
        width = max(len(key) for key in self.values) if self.values else 0
        for key, value in self.values.items():  # a long list wraps within the book's 88 columns
            head = f"  {key:<{width}}  "
            parts = textwrap.wrap(_shown(value), max(88 - len(head), 20)) or [""]
            lines += [(head if k == 0 else " " * len(head)) + part for k, part in enumerate(parts)]
        return "\n".join(lines)


def record(name: str, values: Mapping[str, Any], command: str | None = None) -> Path:
    """Write a long run's measurements, with where, when and how, to ``data_dir()/<name>.json``.

    Args:
        name: the file's name, letters, digits, '_' or '-'.
        values: the measurements, str keys to JSON values (numbers, strings, lists).
        command: what ran it; default ``$LSTM_TUTORIAL_FULL_RUN_COMMAND``, which
            ``tools/full_run.py`` sets, else "a notebook executed with FULL_RUN = True".

    Returns:
        The file's path.
    """
    path = _path(name)
    if not isinstance(values, Mapping) or not values or not all(isinstance(k, str) for k in values):
        raise TypeError(f"values must be a non-empty mapping of str to JSON values, got {values!r}")
    command = command or os.environ.get(COMMAND_VARIABLE) or "a notebook executed with FULL_RUN = True"
    document = {
        "values": dict(values),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": _machine(),
        "versions": _versions(),
        "command": command,
    }
    try:
        text = json.dumps(document, indent=2, allow_nan=False, default=_plain)
    except (TypeError, ValueError) as error:
        raise TypeError(f"values must hold finite JSON values (str, numbers, lists): {error}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    return path


def read(name: str) -> Measured:
    """The long run's file ``data_dir()/<name>.json``.

    Raises:
        FileNotFoundError: no long run wrote it yet (the message says how to run one).
        ValueError: the file is not what ``record`` writes.
    """
    path = _path(name)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: the long run that writes it has not been run here; execute the "
            "chapter with FULL_RUN = True (python tools/full_run.py book/<chapter>.md)"
        )
    try:
        document = json.loads(path.read_text())
        keys = {"values", "date", "machine", "versions", "command"}
        if (
            not isinstance(document, dict)
            or set(document) != keys
            or not isinstance(document["values"], dict)
        ):
            raise ValueError(f"a JSON object with the keys {sorted(keys)}")
    except ValueError as error:
        raise ValueError(f"{path} is not a long run's record ({error})") from None
    return Measured(name, **document)
