"""Train once, use again: a trained model kept on disk for a later chapter.

Chapter 12 studies the language model that chapter 10 trains, and chapter 7 starts from
the Keras model that chapter 6 trains. Training is seeded, so training a second time
gives the same weights bit for bit; keeping the first result only saves the minute
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


def load(name: str, recipe: Mapping[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """``(model, extras)`` kept as ``name`` under this recipe and code; else None.

    None when nothing was kept, when it was kept under another key (another recipe,
    an edited package, other versions) or when the weights file is not the one the
    record describes (a write still under way).
    """
    record = _record(name)
    try:
        entry = json.loads(record.read_text())
        weights = record.parent / Path(entry["weights"]).name
        content = weights.read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if entry.get("key") != key(recipe) or entry.get("weights_sha256") != hashlib.sha256(content).hexdigest():
        return None
    if weights.suffix == ".keras":
        from ..frameworks.keras import load_keras_model

        return load_keras_model(weights), entry["extras"]
    return load_params(weights), entry["extras"]
