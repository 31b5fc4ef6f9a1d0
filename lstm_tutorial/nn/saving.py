"""Saving and loading weights as ``.npz`` files, safely.

A file holds plain arrays only and is read with ``allow_pickle=False``, so
loading a file can never run code; and it is read within limits sized for this
package's models (``MAX_ELEMENTS`` an array, ``MAX_BYTES`` in all, a zip member
inflating at most ``MAX_RATIO`` times, JSON nested at most ``_checks.JSON_DEPTH``
deep), each checked before anything is allocated, so a damaged or hostile file is a
ValueError, never a MemoryError or a RecursionError. Besides the weights it records a format
version, what kind of object it holds and, as a JSON string, its configuration;
``load_params`` checks all of it (keys, shapes, dtypes, finiteness) by building
the object through its own checked constructors, and refuses a file that fails,
saying why.

Any cell (``cell.CellParams``), any model (``model.Sequential``) and the encoder-decoder
(``seq2seq.EncoderDecoder``: its config and its arrays by their labels) can be saved,
and saving asks them what they are rather than knowing them. A cell's file holds
its arrays by name (``W``, ``U``, ``b``...) and its own config (a variant, say). A
model's config is its loss and, for each layer, the layer's class name, its
``get_config()`` and the names of its weights; layer k's arrays are stored as
``layer{k}.{name}``:

    {"loss": "mse",
     "layers": [{"type": "Recurrent", "config": {"cell": "LSTMParams", ...},
                 "weights": ["kernel", "recurrent_kernel", "bias"]},
                {"type": "Dense", "config": {}, "weights": ["dense kernel", "dense bias"]}]}

Loading rebuilds each layer with ``from_config`` of the class ``layer.LAYERS`` holds
under that name, so a new layer class needs nothing here. The kinds of cells and
models a file can hold are the subclasses defined (importing ``lstm_tutorial``
defines them all).

Keras models are saved in Keras' own ``.keras`` format instead; see
``frameworks.keras.save_keras_model`` and ``frameworks.keras.load_keras_model``.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from . import _checks
from .cell import CellParams
from .layer import LAYERS, Layer
from .layers import cell_config, cell_from_config, cell_kinds
from .model import Sequential
from .seq2seq import EncoderDecoder

__all__ = ["FORMAT_VERSION", "load_params", "save_params"]

FORMAT_VERSION = 3
"""Bumped whenever the layout of a saved file changes (2: any cell or model, with a config;
3: each layer saved as its own ``get_config()`` and named weights)."""

Saveable = CellParams | Sequential | EncoderDecoder


def _models() -> dict[str, type[Sequential]]:
    """``Sequential`` and its public subclasses, by name: every kind of model a file can hold."""
    found, todo = {}, [Sequential]
    while todo:
        kind = todo.pop()
        if not kind.__name__.startswith("_"):
            found[kind.__name__] = kind
        todo += kind.__subclasses__()
    return found


def _contents(obj: Saveable) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(config, named arrays) of a cell or a model."""
    if isinstance(obj, CellParams):
        return cell_config(obj), dict(zip(obj.weight_names(), obj.weights(), strict=True))
    if isinstance(obj, EncoderDecoder):
        return obj.get_config(), dict(zip(obj.weight_labels(), obj.parameters(), strict=True))
    layers, arrays = [], {}
    for k, layer in enumerate(obj.layers):
        labels = layer.weight_labels()
        layers.append({"type": type(layer).__name__, "config": layer.get_config(), "weights": labels})
        arrays.update({f"layer{k}.{label}": w for label, w in zip(labels, layer.weights(), strict=True)})
    return {"loss": obj.loss, "layers": layers}, arrays


def save_params(path: str | os.PathLike[str], obj: Saveable) -> Path:
    """Write a cell's or a model's weights to an ``.npz`` file.

    Args:
        path: where to write, a str or a path; ``.npz`` is appended unless the name
            already ends in it (in any case: ``m.NPZ`` is written as it is).
        obj: a cell (``LSTMParams``, ``GRUParams``, ...), a ``model.Sequential``
            (``LSTMRegressor`` and the other regressors included) or a ``seq2seq.EncoderDecoder``
            (its config ``{"attention": ...}``, its arrays by ``weight_labels``).

    Returns:
        The path written.
    """
    if not isinstance(obj, (CellParams, Sequential, EncoderDecoder)):
        raise TypeError(
            "obj must be a cell (LSTMParams, ...), a model.Sequential or a seq2seq.EncoderDecoder, "
            f"got {type(obj).__name__}"
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


def _model_from(kind: str, config: Any, arrays: dict[str, np.ndarray]) -> Sequential:
    """The model of class ``kind`` that ``config`` describes, holding ``arrays``."""
    models = _models()
    if kind not in models:
        raise ValueError(f"kind {kind!r}, expected one of {sorted(set(models) | set(cell_kinds()))}")
    if not isinstance(config, dict) or set(config) != {"layers", "loss"}:
        raise ValueError(
            f"a model's config must be a JSON object with keys 'layers' and 'loss', got {config!r}"
        )
    if not isinstance(config["layers"], list) or not config["layers"]:
        raise ValueError(f"config 'layers' must be a non-empty list, got {config['layers']!r}")
    if not isinstance(config["loss"], str):
        raise ValueError(f"config 'loss' must be a string, got {config['loss']!r}")
    layers: list[Layer] = []
    expected: set[str] = set()
    for k, spec in enumerate(config["layers"]):
        _check_spec(k, spec)
        keys = [f"layer{k}.{label}" for label in spec["weights"]]
        expected.update(keys)
        _require(arrays, expected, kind)
        try:
            layer = LAYERS[spec["type"]].from_config(spec["config"], [arrays[key] for key in keys])
        except (ValueError, TypeError) as error:
            raise type(error)(f"config layers[{k}] ({spec['type']}): {error}") from None
        if layer.weight_labels() != spec["weights"]:
            raise ValueError(
                f"config layers[{k}] ({spec['type']}) names its weights {spec['weights']}, "
                f"but the layer it describes has {layer.weight_labels()}"
            )
        layers.append(layer)
    _require(arrays, expected, kind, exact=True)
    return models[kind].from_layers(layers, config["loss"])


def _encoder_decoder_from(config: Any, arrays: dict[str, np.ndarray]) -> EncoderDecoder:
    """The ``EncoderDecoder`` of ``config`` (``{"attention": bool}``) holding ``arrays`` by label."""
    if not isinstance(config, dict) or not isinstance(config.get("attention"), bool):
        raise ValueError(f"an EncoderDecoder's config must be {{'attention': true or false}}, got {config!r}")
    labels = EncoderDecoder.labels(config["attention"])
    _require(arrays, set(labels), EncoderDecoder.__name__, exact=True)
    return EncoderDecoder.from_config(config, [arrays[label] for label in labels])


def _check_spec(k: int, spec: Any) -> None:
    """One layer's entry in a model's config: a known layer type, its config, the names of its weights."""
    kind = spec.get("type") if isinstance(spec, dict) else None
    if not isinstance(kind, str) or kind not in LAYERS:
        raise ValueError(f"config layers[{k}] must have a type among {sorted(LAYERS)}, got {spec!r}")
    required = {"type", "config", "weights"}
    if set(spec) != required:
        raise ValueError(f"config layers[{k}] ({kind}) must have the keys {sorted(required)}, got {spec!r}")
    names = spec["weights"]
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError(f"config layers[{k}] ({kind}) weights must be a list of names, got {names!r}")


def _require(arrays: dict[str, np.ndarray], expected: set[str], kind: str, exact: bool = False) -> None:
    if not expected <= set(arrays) or (exact and set(arrays) != expected):
        raise ValueError(f"holds arrays {sorted(arrays)} for a {kind}, expected {sorted(expected)}")


NPY_MAGIC = b"\x93NUMPY"
"""How a ``.npy`` file (and every member of an ``.npz`` archive) starts."""
MAX_MEMBERS = 1_000
"""The most arrays a weights file may hold: a model of this package has a few per layer."""
MAX_ELEMENTS = 10**8
"""The most elements one array may declare (400 MB in float32): the largest weight of the book's
models has about 10^5, so only a damaged or hostile file declares more."""
MAX_BYTES = 2**30
"""The most bytes all the arrays together may take once decompressed (1 GiB)."""
MAX_RATIO = 100
"""How much more a member larger than 1 MiB may take decompressed than compressed: trained weights
hardly compress (about 1.1 times), so a higher ratio is a zip bomb, refused before it is inflated."""


def _read(where: str, path: Path) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` archive at ``path``, read without pickle and within the limits.

    The zip's directory is read first: the number of members, each one's declared size and
    compression ratio, and their total. Then each member's ``.npy`` header: its dtype (no
    objects, which would need pickle), its shape (at most ``MAX_ELEMENTS`` elements) and the
    size they make, which must be the member's size. Only then is an array read, so a file
    that declares 10^13 elements or inflates to gigabytes is refused before anything is allocated.
    """
    try:
        with open(path, "rb") as file:
            if file.read(len(NPY_MAGIC)) == NPY_MAGIC:
                raise ValueError("it holds a single ndarray (a .npy file?), not an .npz archive")
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                members = archive.infolist()
                _check_directory(members)
                return {info.filename[: -len(".npy")]: _member(archive, info) for info in members}
    # zipfile raises NotImplementedError for an unknown compression, RuntimeError for encryption.
    except (
        ValueError,
        OSError,
        EOFError,
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
    ) as error:
        raise ValueError(f"{where} is not a readable .npz weights file: {error}") from None


def _check_directory(members: list[zipfile.ZipInfo]) -> None:
    """The archive's members, from its directory alone: how many, their names, their sizes."""
    if len(members) > MAX_MEMBERS:
        raise ValueError(f"it holds {len(members)} members, more than the {MAX_MEMBERS} a weights file may")
    seen: set[str] = set()
    for info in members:
        if not info.filename.endswith(".npy"):
            raise ValueError(f"its member {info.filename!r} is not an array (.npy)")
        if info.filename in seen:
            raise ValueError(f"it holds two members named {info.filename!r}")
        seen.add(info.filename)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 2**20 and ratio > MAX_RATIO:
            raise ValueError(
                f"its member {info.filename!r} would inflate from {info.compress_size} to {info.file_size} "
                f"bytes, {ratio:.0f} times, more than the {MAX_RATIO} times weights ever compress: refused "
                "before decompressing it"
            )
    total = sum(info.file_size for info in members)
    if total > MAX_BYTES:
        raise ValueError(f"its arrays would take {total} bytes, more than the {MAX_BYTES} a weights file may")


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    """One member's array, its header checked against the limits before the array is read."""
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version not in ((1, 0), (2, 0)):
            raise ValueError(
                f"its member {info.filename!r} has .npy format version {version}, expected 1.0 or 2.0"
            )
        read_header = (
            np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        )
        shape, _, dtype = read_header(member)
        if dtype.hasobject:
            raise ValueError(
                f"its member {info.filename!r} holds Python objects, which only pickle could load: "
                "a weights file holds numbers and strings"
            )
        count = math.prod(shape)
        if count > MAX_ELEMENTS:
            raise ValueError(
                f"its member {info.filename!r} declares shape {shape}, {count} elements, more than the "
                f"{MAX_ELEMENTS} an array of a weights file may hold"
            )
        if member.tell() + count * dtype.itemsize != info.file_size:
            raise ValueError(
                f"its member {info.filename!r} declares {count * dtype.itemsize} bytes of data "
                f"(shape {shape}, dtype {dtype}) but holds {info.file_size - member.tell()}"
            )
        member.seek(0)  # the header again, read by NumPy's own reader this time
        array: np.ndarray = np.lib.format.read_array(member, allow_pickle=False)
        return array


def load_params(path: str | os.PathLike[str]) -> Saveable:
    """Read weights written by ``save_params``, checking everything.

    Args:
        path: a file written by ``save_params``, a str or a path.

    Raises:
        ValueError: the file cannot be read as an ``.npz`` archive (missing, empty,
            truncated, corrupt, a ``.npy`` or a pickle), breaks a limit (an array
            declaring more than ``MAX_ELEMENTS`` elements, arrays taking more than
            ``MAX_BYTES`` once inflated, a member that would inflate more than
            ``MAX_RATIO`` times, a config nested deeper than ``_checks.JSON_DEPTH``),
            is not a weights file of this
            version (``format_version`` must be the integer ``FORMAT_VERSION``), its
            configuration is not what ``save_params`` writes, or its arrays have the
            wrong keys, shapes, dtypes or non-finite values. The message names the file.

    Returns:
        The cell or model, as saved.
    """
    path = _path(path)
    where = f"path {str(path)!r}"
    contents = _read(where, path)
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
        config = _checks.json_value("config", str(config_text))
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    try:
        cells = cell_kinds()
        if kind in cells:
            names = cells[kind].weight_names()
            _require(contents, set(names), kind, exact=True)
            return cell_from_config(kind, config, [contents[name] for name in names])
        if kind == EncoderDecoder.__name__:
            return _encoder_decoder_from(config, contents)
        return _model_from(kind, config, contents)
    except (ValueError, TypeError, KeyError) as error:
        raise ValueError(f"{where} holds an invalid file: {error}") from None
