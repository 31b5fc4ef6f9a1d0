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
import zipfile
import zlib
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from . import _checks
from .bidirectional import Bidirectional
from .cell import CellParams
from .embedding import Embedding
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


def _cell_from(kind: str, arrays: list[np.ndarray], config: Any) -> CellParams:
    cells = _kinds(CellParams)
    if kind not in cells or kind == "CellParams":
        raise ValueError(f"kind {kind!r}, expected one of {sorted(set(cells) - {'CellParams'})}")
    wanted = {f.name for f in dataclasses.fields(cells[kind])} - set(cells[kind].weight_names())
    if not isinstance(config, dict) or not set(config) <= wanted:
        raise ValueError(
            f"a {kind}'s config must be a JSON object with keys among {sorted(wanted)}, got {config!r}"
        )
    extra: dict[str, Any] = {}
    for name, fields in config.items():
        variant_fields = {f.name for f in dataclasses.fields(Variant)}
        if not isinstance(fields, dict) or set(fields) - variant_fields or "name" not in fields:
            raise ValueError(
                f"config {name!r} must be a JSON object with a name and keys among {sorted(variant_fields)}, "
                f"got {fields!r}"
            )
        extra[name] = Variant(**fields)
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
            if layer.stateful:
                spec["stateful"] = True
        elif isinstance(layer, Embedding):
            names, spec = ("W",), {"type": "Embedding"}
        elif isinstance(layer, Bidirectional):
            cell = layer.forward_layer.cell
            spec = {
                "type": "Bidirectional",
                "cell": type(cell).__name__,
                "return_sequences": layer.return_sequences,
                "merge_mode": layer.merge_mode,
                "config": _cell_config(cell),
            }
            names = tuple(
                f"{side}.{name}" for side in ("forward", "backward") for name in cell.weight_names()
            )
        else:
            names, spec = ("W", "b"), {"type": "Dense"}
        layers.append(spec)
        arrays.update({f"layer{k}.{name}": w for name, w in zip(names, layer.weights(), strict=True)})
    return {"loss": obj.loss, "layers": layers}, arrays


def save_params(path: str | os.PathLike[str], obj: Saveable) -> Path:
    """Write a cell's or a model's weights to an ``.npz`` file.

    Args:
        path: where to write, a str or a path; ``.npz`` is appended unless the name
            already ends in it (in any case: ``m.NPZ`` is written as it is).
        obj: a cell (``LSTMParams``, ``GRUParams``, ...) or a ``model.Sequential``
            (``LSTMRegressor`` and the other regressors included).

    Returns:
        The path written.
    """
    if not isinstance(obj, (CellParams, Sequential)):
        raise TypeError(
            f"obj must be a cell (LSTMParams, ...) or a model.Sequential, got {type(obj).__name__}"
        )
    path = _path(path)
    if path.suffix.lower() != ".npz":
        path = path.with_name(path.name + ".npz")
    config, arrays = _contents(obj)
    contents: dict[str, Any] = {
        "format_version": np.array(FORMAT_VERSION),
        "kind": np.array(type(obj).__name__),
        "config": np.array(json.dumps(config)),
        **arrays,
    }
    with open(path, "wb") as file:  # a file object: np.savez would append .npz to "m.NPZ"
        np.savez(file, **contents)
    return path


def _path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or an os.PathLike, got {_checks.describe(path)}")
    return Path(path)


def _model_from(kind: str, config: dict[str, Any], arrays: dict[str, np.ndarray]) -> Sequential:
    models = _kinds(Sequential)
    if kind not in models:
        raise ValueError(f"kind {kind!r}, expected one of {sorted(set(models) | set(_kinds(CellParams)))}")
    if not isinstance(config, dict) or set(config) != {"layers", "loss"}:
        raise ValueError(
            f"a model's config must be a JSON object with keys 'layers' and 'loss', got {config!r}"
        )
    if not isinstance(config["layers"], list) or not config["layers"]:
        raise ValueError(f"config 'layers' must be a non-empty list, got {config['layers']!r}")
    if not isinstance(config["loss"], str):
        raise ValueError(f"config 'loss' must be a string, got {config['loss']!r}")
    layers: list[Layer] = []
    expected = set()
    for k, spec in enumerate(config["layers"]):
        _check_spec(k, spec)
        if spec["type"] == "Recurrent":
            names = (
                _kinds(CellParams)[spec["cell"]].weight_names() if spec["cell"] in _kinds(CellParams) else []
            )
            expected |= {f"layer{k}.{name}" for name in names}
            _require(arrays, expected, kind)
            cell = _cell_from(spec["cell"], [arrays[f"layer{k}.{n}"] for n in names], spec["config"])
            layers.append(Recurrent(cell, spec["return_sequences"], spec.get("stateful", False)))
        elif spec["type"] in ("Embedding", "Bidirectional"):
            layers.append(_extra_layer(k, spec, arrays, expected, kind))
        else:
            expected |= {f"layer{k}.W", f"layer{k}.b"}
            _require(arrays, expected, kind)
            layers.append(Dense(arrays[f"layer{k}.W"], arrays[f"layer{k}.b"]))
    _require(arrays, expected, kind, exact=True)
    return models[kind].from_layers(layers, config["loss"])


LAYER_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "Recurrent": ({"type", "cell", "return_sequences", "config"}, {"stateful"}),
    "Embedding": ({"type"}, set()),
    "Bidirectional": ({"type", "cell", "return_sequences", "merge_mode", "config"}, set()),
    "Dense": ({"type"}, set()),
}
"""The keys of each layer's entry in a model's config: (required, optional)."""


def _check_spec(k: int, spec: Any) -> None:
    """One layer's entry in a model's config: a known type with its keys, flags that are bools."""
    kind = spec.get("type") if isinstance(spec, dict) else None
    if kind not in LAYER_KEYS:
        raise ValueError(f"config layers[{k}] must have a type among {sorted(LAYER_KEYS)}, got {spec!r}")
    required, optional = LAYER_KEYS[kind]
    if not required <= set(spec) <= required | optional:
        raise ValueError(
            f"config layers[{k}] ({kind}) must have the keys {sorted(required)}"
            f"{f' (and optionally {sorted(optional)})' if optional else ''}, got {spec!r}"
        )
    for flag in ("return_sequences", "stateful"):
        if flag in spec and not isinstance(spec[flag], bool):
            raise ValueError(f"config layers[{k}] {flag} must be true or false, got {spec!r}")


def _extra_layer(
    k: int, spec: dict[str, Any], arrays: dict[str, np.ndarray], expected: set[str], kind: str
) -> Embedding | Bidirectional:
    """Layer k of a saved model, an ``Embedding`` or a ``Bidirectional``; adds its keys to ``expected``."""
    if spec["type"] == "Embedding":
        expected.add(f"layer{k}.W")
        _require(arrays, expected, kind)
        return Embedding(arrays[f"layer{k}.W"])
    cells = _kinds(CellParams)
    names = cells[spec["cell"]].weight_names() if spec["cell"] in cells else ()
    sides = []
    for side in ("forward", "backward"):
        keys = [f"layer{k}.{side}.{name}" for name in names]
        expected.update(keys)
        _require(arrays, expected, kind)
        cell = _cell_from(spec["cell"], [arrays[key] for key in keys], spec["config"])
        sides.append(Recurrent(cell, spec["return_sequences"]))
    return Bidirectional(sides[0], sides[1], str(spec["merge_mode"]))


def _require(arrays: dict[str, np.ndarray], expected: set[str], kind: str, exact: bool = False) -> None:
    if not expected <= set(arrays) or (exact and set(arrays) != expected):
        raise ValueError(f"holds arrays {sorted(arrays)} for a {kind}, expected {sorted(expected)}")


def load_params(path: str | os.PathLike[str]) -> Saveable:
    """Read weights written by ``save_params``, checking everything.

    Args:
        path: a file written by ``save_params``, a str or a path.

    Raises:
        ValueError: the file cannot be read as an ``.npz`` archive (missing, empty,
            truncated, corrupt, a ``.npy`` or a pickle), is not a weights file of this
            version (``format_version`` must be the integer ``FORMAT_VERSION``), its
            configuration is not what ``save_params`` writes, or its arrays have the
            wrong keys, shapes, dtypes or non-finite values. The message names the file.

    Returns:
        The cell or model, as saved.
    """
    path = _path(path)
    where = f"path {str(path)!r}"
    try:
        with open(path, "rb") as file:  # our own handle: NumPy leaves it open when a zip is corrupt
            data = np.load(file, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise ValueError(
                    f"it holds a single {type(data).__name__} (a .npy file?), not an .npz archive"
                )
            with data:
                contents: dict[str, Any] = {key: data[key] for key in data.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise ValueError(f"{where} is not a readable .npz weights file: {error}") from None
    version = contents.pop("format_version", None)
    if version is None or version.shape != () or version.dtype.kind not in "iu" or version != FORMAT_VERSION:
        shown = None if version is None else version.tolist()
        raise ValueError(f"{where} has format_version {shown!r}, expected {FORMAT_VERSION} (an integer)")
    kind_array, config_array = contents.pop("kind", None), contents.pop("config", None)
    config_text = "{}" if config_array is None else config_array  # a cell without a config has none
    for name, array in (("kind", kind_array), ("config", config_text)):
        if not isinstance(array, str) and (array is None or array.shape != () or array.dtype.kind != "U"):
            shown = None if array is None else _checks.describe(array)
            raise ValueError(f"{where} must hold {name} as a string, got {shown}")
    kind = str(kind_array)
    try:
        config = json.loads(str(config_text))
    except json.JSONDecodeError as error:
        raise ValueError(f"{where} holds a config that is not valid JSON: {error}") from None
    try:
        if kind in _kinds(CellParams):
            cell_kind = _kinds(CellParams)[kind]
            _require(contents, set(cell_kind.weight_names()), kind, exact=True)
            return _cell_from(kind, [contents[name] for name in cell_kind.weight_names()], config)
        return _model_from(str(kind), config, contents)
    except (ValueError, TypeError, KeyError) as error:
        raise ValueError(f"{where} holds an invalid file: {error}") from None
