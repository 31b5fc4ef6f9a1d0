"""Train once, use again: a trained model kept on disk for a later chapter.

Chapter 12 studies the language model that chapter 10 trains, and chapter 7 starts from
the Keras model that chapter 6 trains. Training is seeded, so training a second time
gives the same weights bit for bit; keeping the first result only saves the time
the second training would take. ``keep`` writes a model with the recipe it was
trained by; ``load`` gives it back only if it was kept under the same recipe by the
same code, and None otherwise, so the caller trains it again:

    if kept.load("char_model", recipe) is None:
        model = ...  # train it, exactly as the recipe says
        kept.keep("char_model", model, recipe)
    model, extras = kept.load("char_model", recipe)

A model of this package (``model.Sequential``) is kept as ``saving.save_params``
writes it; a Keras model in Keras' own ``.keras`` format (``frameworks.keras.save_keras_model``), so that
what comes back is the Keras model itself, not a copy made through this package.

A kept model is identified by its **key**, a SHA-256 of the recipe (whatever the
caller says it trained: sizes, seed, steps, the corpus's checksum, ...), of every
source file of this package and of the versions of Python, NumPy, Keras and
PyTorch. An edit to the package, an upgrade or another recipe gives another key, and
the old file is ignored. Files live in ``kept_dir()``: the folder ``_kept`` under the
working directory (the book's folder, when the book builds), or the folder that the
environment variable ``LSTM_TUTORIAL_KEPT`` names. Deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import zipfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..nn import _checks
from ..nn.model import Sequential
from ..nn.saving import load_params, save_params

__all__ = ["keep", "kept_dir", "key", "load"]

_PACKAGE = Path(__file__).resolve().parents[1]


def _versions() -> dict[str, str]:
    """Python's version and those of the libraries that training results depend on."""
    found = {"python": platform.python_version()}
    for name in ("numpy", "keras", "torch"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def key(recipe: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of the recipe, this package's source files and the versions.

    Args:
        recipe: what was trained and how, as JSON-serialisable values (str keys).

    Raises:
        TypeError: the recipe is not a mapping, or a value is not JSON-serialisable.
    """
    if not isinstance(recipe, Mapping):
        raise TypeError(f"recipe must be a mapping of str to JSON values, got {type(recipe).__name__}")
    try:
        described = json.dumps({"recipe": recipe, "versions": _versions()}, sort_keys=True)
    except TypeError as error:
        raise TypeError(f"recipe must hold JSON values (str, numbers, lists, dicts): {error}") from None
    digest = hashlib.sha256(described.encode())
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(_PACKAGE).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def kept_dir() -> Path:
    """``$LSTM_TUTORIAL_KEPT`` if set, else ``_kept`` in the working directory."""
    return Path(os.environ.get("LSTM_TUTORIAL_KEPT") or "_kept")


def _record(name: str) -> Path:
    """The record file of the kept model ``name``, which names its weights file."""
    if not isinstance(name, str) or not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"name must be a str of letters, digits, '_' and '-', got {_checks.describe(name)}")
    return kept_dir() / f"{name}.json"


def _is_keras(model: Any) -> bool:
    return type(model).__module__.split(".")[0] == "keras"


def keep(name: str, model: Any, recipe: Mapping[str, Any], extras: Mapping[str, Any] | None = None) -> Path:
    """Write ``model`` and a record of its key, atomically.

    Two processes keeping the same model at once (two chapters built side by side) each
    write their own temporary files and rename them into place; ``load`` checks the
    weights against the record, so a reader sees one complete model or none.

    Args:
        name: the file name, without suffix (letters, digits, ``_``, ``-``).
        model: the trained model, a ``model.Sequential`` or a Keras model.
        recipe: how it was trained (see ``key``).
        extras: JSON values to keep beside it (a loss history, say); ``load`` gives
            them back. Floats come back exactly (JSON writes their shortest repr).

    Returns:
        The path of the weights file.
    """
    record = _record(name)
    is_keras = _is_keras(model)
    if not (isinstance(model, Sequential) or is_keras):
        raise TypeError(f"model must be a model.Sequential or a Keras model, got {type(model).__name__}")
    try:
        entry: dict[str, Any] = {"key": key(recipe), "extras": json.loads(json.dumps(dict(extras or {})))}
    except TypeError as error:
        raise TypeError(f"extras must hold JSON values: {error}") from None
    weights = record.with_suffix(".keras" if is_keras else ".npz")
    record.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=record.parent) as scratch:
        written = Path(scratch) / weights.name
        if is_keras:
            from ..frameworks.keras import save_keras_model

            save_keras_model(model, written)
        else:
            save_params(written, model)
        entry["weights"] = weights.name
        entry["weights_sha256"] = hashlib.sha256(written.read_bytes()).hexdigest()
        (Path(scratch) / record.name).write_text(json.dumps(entry))
        os.replace(written, weights)
        os.replace(Path(scratch) / record.name, record)
    return weights


RECORD_BYTES = 2**20
"""The largest record ``load`` reads: one is a few hundred bytes (a key, a digest, the extras)."""


def _entry(record: Path) -> dict[str, Any] | None:
    """The record's entry if it is one ``keep`` could have written: a JSON object with the
    key and the weights' name and digest as strings and the extras as an object; else None."""
    try:
        with open(record, "rb") as file:
            raw = file.read(RECORD_BYTES + 1)
        entry = _checks.json_value("the record", raw.decode())
    except (OSError, ValueError):  # missing, unreadable, too deep, not JSON, not UTF-8
        return None
    if len(raw) > RECORD_BYTES or not isinstance(entry, dict):
        return None
    strings = all(isinstance(entry.get(field), str) for field in ("key", "weights", "weights_sha256"))
    return entry if strings and isinstance(entry.get("extras"), dict) else None


def _digest(path: Path) -> str | None:
    """The SHA-256 (hex) of the file, read in blocks; None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(2**20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def load(name: str, recipe: Mapping[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """``(model, extras)`` kept as ``name`` under this recipe and code; else None.

    None when nothing was kept, when it was kept under another key (another recipe,
    an edited package, other versions), when the weights file is not the one the
    record describes (a write still under way), and when the record or the weights
    are damaged (not what ``keep`` writes, or a file that does not load): the caller
    trains again, and ``keep`` writes both anew.
    """
    record = _record(name)
    entry = _entry(record)
    if entry is None or entry["key"] != key(recipe):
        return None
    weights = record.parent / Path(entry["weights"]).name
    if weights.suffix not in (".npz", ".keras") or _digest(weights) != entry["weights_sha256"]:
        return None
    if weights.suffix == ".keras":
        from ..frameworks.keras import load_keras_model

        try:
            return load_keras_model(weights), entry["extras"]
        except (ValueError, OSError, KeyError, TypeError, zipfile.BadZipFile):
            return None
    try:
        return load_params(weights), entry["extras"]
    except ValueError:  # load_params' one error for a file it cannot take
        return None
