"""Saving and loading weights as ``.npz`` files, safely.

A file holds plain arrays only and is read with ``allow_pickle=False``, so
loading a file can never run code. Besides the weights it records a format
version and what kind of object it holds; ``load_params`` checks all of it
(keys, shapes, dtypes, finiteness) and refuses a file that fails, saying why.

Keras models are saved in Keras' own ``.keras`` format instead; see
``keras_model.save_keras_model`` and ``keras_model.load_keras_model``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .lstm import LSTMParams
from .model import LSTMRegressor
from .rnn import RNNParams

__all__ = ["FORMAT_VERSION", "load_params", "save_params"]

FORMAT_VERSION = 1
"""Bumped whenever the layout of a saved file changes."""

_FIELDS = {
    "LSTMParams": ("W", "U", "b"),
    "RNNParams": ("W", "U", "b"),
    "LSTMRegressor": ("W", "U", "b", "dense_W", "dense_b"),
}

Saveable = LSTMParams | RNNParams | LSTMRegressor


def _arrays(obj: Saveable) -> dict[str, np.ndarray]:
    if isinstance(obj, LSTMRegressor):
        return dict(zip(_FIELDS["LSTMRegressor"], obj.parameters(), strict=True))
    return {"W": obj.W, "U": obj.U, "b": obj.b}


def save_params(path: str | os.PathLike[str], obj: Saveable) -> Path:
    """Write ``obj``'s weights to an ``.npz`` file.

    Args:
        path: where to write; ``.npz`` is appended by NumPy if missing.
        obj: an ``LSTMParams``, ``RNNParams`` or ``LSTMRegressor``.

    Returns:
        The path written.
    """
    if not isinstance(obj, (LSTMParams, RNNParams, LSTMRegressor)):
        raise TypeError(f"obj must be an LSTMParams, RNNParams or LSTMRegressor, got {type(obj).__name__}")
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    contents: dict[str, Any] = {
        "format_version": np.array(FORMAT_VERSION),
        "kind": np.array(type(obj).__name__),
        **_arrays(obj),
    }
    np.savez(path, **contents)
    return path


def load_params(path: str | os.PathLike[str]) -> Saveable:
    """Read weights written by ``save_params``, checking everything.

    Raises:
        ValueError: the file is not a valid weights file of a known version, or
            its arrays have the wrong keys, shapes, dtypes or non-finite values.

    Returns:
        An ``LSTMParams``, ``RNNParams`` or ``LSTMRegressor``, as saved.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            contents: dict[str, Any] = {key: data[key] for key in data.files}
    except (ValueError, OSError) as error:
        raise ValueError(f"path {str(path)!r} is not a readable .npz weights file: {error}") from None
    version = contents.pop("format_version", None)
    if version is None or version.shape != () or int(version) != FORMAT_VERSION:
        raise ValueError(
            f"path {str(path)!r} has format_version {None if version is None else version.tolist()!r}, "
            f"expected {FORMAT_VERSION}"
        )
    kind_array = contents.pop("kind", None)
    kind = None if kind_array is None else str(kind_array)
    if kind not in _FIELDS:
        raise ValueError(f"path {str(path)!r} holds kind {kind!r}, expected one of {sorted(_FIELDS)}")
    expected = set(_FIELDS[kind])
    if set(contents) != expected:
        raise ValueError(
            f"path {str(path)!r} holds arrays {sorted(contents)} for a {kind}, expected {sorted(expected)}"
        )
    try:
        if kind == "LSTMParams":
            return LSTMParams(contents["W"], contents["U"], contents["b"])
        if kind == "RNNParams":
            return RNNParams(contents["W"], contents["U"], contents["b"])
        lstm = LSTMParams(contents["W"], contents["U"], contents["b"])
        return LSTMRegressor(lstm, contents["dense_W"], contents["dense_b"])
    except (ValueError, TypeError) as error:
        raise ValueError(f"path {str(path)!r} holds an invalid {kind}: {error}") from None
