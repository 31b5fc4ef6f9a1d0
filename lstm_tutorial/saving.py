"""Saving and loading weights as ``.npz`` files, safely.

A file holds plain arrays only and is read with ``allow_pickle=False``, so
loading a file can never run code. Besides the weights it records a format
version, what kind of object it holds and, as a JSON string, its configuration
(a variant, a model's layers and loss); ``load_params`` checks all of it (keys,
shapes, dtypes, finiteness) by building the object through its own checked
constructors, and refuses a file that fails, saying why.

Any cell (``cell.CellParams``) and any model (``model.Sequential``) can be
saved: the kinds are found among their subclasses, not listed here.

Keras models are saved in Keras' own ``.keras`` format instead; see
``keras_model.save_keras_model`` and ``keras_model.load_keras_model``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .cell import CellParams
from .layers import Dense, Layer, Recurrent
from .model import Sequential
from .variants import Variant

__all__ = ["FORMAT_VERSION", "load_params", "save_params"]

FORMAT_VERSION = 2
"""Bumped whenever the layout of a saved file changes (2: any cell or model, with a config)."""

Saveable = CellParams | Sequential
K = TypeVar("K")


def _kinds(base: type[K]) -> dict[str, type[K]]:
    """``base`` and all its subclasses, by name: every kind of object a file can hold."""
    found, todo = {}, [base]
    while todo:
        kind = todo.pop()
        if not kind.__name__.startswith("_"):
            found[kind.__name__] = kind
        todo += kind.__subclasses__()
    return found


def _cell_config(cell: CellParams) -> dict[str, Any]:
    return {name: dataclasses.asdict(value) for name, value in cell.config().items()}


def _cell_from(kind: str, arrays: list[np.ndarray], config: dict[str, Any]) -> CellParams:
    cells = _kinds(CellParams)
    if kind not in cells or kind == "CellParams":
        raise ValueError(f"kind {kind!r}, expected one of {sorted(set(cells) - {'CellParams'})}")
    extra: dict[str, Any] = {name: Variant(**fields) for name, fields in config.items()}
    return cells[kind](*arrays, **extra)


def _contents(obj: Saveable) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(config, named arrays) of a cell or a model."""
    if isinstance(obj, CellParams):
        return _cell_config(obj), dict(zip(obj.weight_names(), obj.weights(), strict=True))
    layers, arrays = [], {}
    for k, layer in enumerate(obj.layers):
        if isinstance(layer, Recurrent):
            names = layer.cell.weight_names()
            spec = {
                "type": "Recurrent",
                "cell": type(layer.cell).__name__,
                "return_sequences": layer.return_sequences,
                "config": _cell_config(layer.cell),
            }
        else:
            names, spec = ("W", "b"), {"type": "Dense"}
        layers.append(spec)
        arrays.update({f"layer{k}.{name}": w for name, w in zip(names, layer.weights(), strict=True)})
    return {"loss": obj.loss, "layers": layers}, arrays


def save_params(path: str | os.PathLike[str], obj: Saveable) -> Path:
    """Write a cell's or a model's weights to an ``.npz`` file.

    Args:
        path: where to write; ``.npz`` is appended if missing.
        obj: a cell (``LSTMParams``, ``GRUParams``, ...) or a ``model.Sequential``
            (``LSTMRegressor`` and the other regressors included).

    Returns:
        The path written.
    """
    if not isinstance(obj, (CellParams, Sequential)):
        raise TypeError(
            f"obj must be a cell (LSTMParams, ...) or a model.Sequential, got {type(obj).__name__}"
        )
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    config, arrays = _contents(obj)
    contents: dict[str, Any] = {
        "format_version": np.array(FORMAT_VERSION),
        "kind": np.array(type(obj).__name__),
        "config": np.array(json.dumps(config)),
        **arrays,
    }
    np.savez(path, **contents)
    return path


def _model_from(kind: str, config: dict[str, Any], arrays: dict[str, np.ndarray]) -> Sequential:
    models = _kinds(Sequential)
    if kind not in models:
        raise ValueError(f"kind {kind!r}, expected one of {sorted(set(models) | set(_kinds(CellParams)))}")
    layers: list[Layer] = []
    expected = set()
    for k, spec in enumerate(config["layers"]):
        if spec["type"] == "Recurrent":
            names = (
                _kinds(CellParams)[spec["cell"]].weight_names() if spec["cell"] in _kinds(CellParams) else []
            )
            expected |= {f"layer{k}.{name}" for name in names}
            _require(arrays, expected, kind)
            cell = _cell_from(spec["cell"], [arrays[f"layer{k}.{n}"] for n in names], spec.get("config", {}))
            layers.append(Recurrent(cell, bool(spec["return_sequences"])))
        else:
            expected |= {f"layer{k}.W", f"layer{k}.b"}
            _require(arrays, expected, kind)
            layers.append(Dense(arrays[f"layer{k}.W"], arrays[f"layer{k}.b"]))
    _require(arrays, expected, kind, exact=True)
    return models[kind].from_layers(layers, config["loss"])


def _require(arrays: dict[str, np.ndarray], expected: set[str], kind: str, exact: bool = False) -> None:
    if not expected <= set(arrays) or (exact and set(arrays) != expected):
        raise ValueError(f"holds arrays {sorted(arrays)} for a {kind}, expected {sorted(expected)}")


def load_params(path: str | os.PathLike[str]) -> Saveable:
    """Read weights written by ``save_params``, checking everything.

    Raises:
        ValueError: the file is not a valid weights file of a known version, or
            its arrays have the wrong keys, shapes, dtypes or non-finite values.

    Returns:
        The cell or model, as saved.
    """
    path = Path(path)
    where = f"path {str(path)!r}"
    try:
        with np.load(path, allow_pickle=False) as data:
            contents: dict[str, Any] = {key: data[key] for key in data.files}
    except (ValueError, OSError) as error:
        raise ValueError(f"{where} is not a readable .npz weights file: {error}") from None
    version = contents.pop("format_version", None)
    if version is None or version.shape != () or int(version) != FORMAT_VERSION:
        shown = None if version is None else version.tolist()
        raise ValueError(f"{where} has format_version {shown!r}, expected {FORMAT_VERSION}")
    kind_array, config_array = contents.pop("kind", None), contents.pop("config", None)
    kind = None if kind_array is None else str(kind_array)
    try:
        config = {} if config_array is None else json.loads(str(config_array))
        if kind in _kinds(CellParams):
            cell_kind = _kinds(CellParams)[kind]
            _require(contents, set(cell_kind.weight_names()), kind, exact=True)
            return _cell_from(kind, [contents[name] for name in cell_kind.weight_names()], config)
        return _model_from(str(kind), config, contents)
    except (ValueError, TypeError, KeyError) as error:
        raise ValueError(f"{where} holds an invalid file: {error}") from None
