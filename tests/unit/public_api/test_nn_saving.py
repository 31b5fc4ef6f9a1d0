"""Rows of the public-API table for ``lstm_tutorial.nn.saving`` (see ``_table``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _table import REG32, Row, Table, check, equal, tmp

from lstm_tutorial.nn import regressors, saving, variants

TABLE = Table("nn.saving")
raises, gives = TABLE.raises, TABLE.gives


def _saved(tmp: Path, name: str, obj: Any = REG32) -> Path:
    return saving.save_params(tmp / name, obj)


def _rewritten(tmp: Path, **change: Any) -> Path:
    """The good file of REG32 with some entries changed (None removes one)."""
    with np.load(_saved(tmp, "good.npz")) as f:
        contents = {k: f[k] for k in f.files}
    for key, value in change.items():
        if value is None:
            contents.pop(key)
        else:
            contents[key] = value
    path = tmp / "bad.npz"
    np.savez(path, **contents)
    return path


def _config(**change: Any) -> np.ndarray:
    config = {
        "loss": "mse",
        "layers": [
            {
                "type": "Recurrent",
                "config": {
                    "cell": "LSTMParams",
                    "cell_config": {},
                    "return_sequences": False,
                    "stateful": False,
                },
                "weights": ["kernel", "recurrent_kernel", "bias"],
            },
            {"type": "Dense", "config": {}, "weights": ["dense kernel", "dense bias"]},
        ],
    }
    for path, value in change.items():  # "layers.1.type" -> config["layers"][1]["type"]
        *keys, last = path.split(".")
        target: Any = config
        for key in keys:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is None:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return np.array(json.dumps(config))


gives("nn.saving.FORMAT_VERSION", "3", lambda: saving.FORMAT_VERSION, equal(3))
gives(
    "nn.saving.save_params",
    "m.NPZ is written as m.NPZ",
    lambda: (_saved(tmp(), "m.NPZ"), sorted(p.name for p in tmp().iterdir())),
    lambda r: r[0].name == "m.NPZ" and "m.NPZ.npz" not in r[1],
)
gives("nn.saving.save_params", ".npz appended", lambda: _saved(tmp(), "weights").name, equal("weights.npz"))
raises(
    "nn.saving.save_params", "path an int", lambda: saving.save_params(3, REG32), TypeError, "path", "int 3"
)
raises(
    "nn.saving.save_params",
    "obj an array",
    lambda: saving.save_params(tmp() / "x", np.zeros(3)),
    TypeError,
    "obj",
)
gives(
    "nn.saving.load_params",
    "round trip of m.NPZ",
    lambda: saving.load_params(_saved(tmp(), "m.NPZ")).get_weights(),
    lambda w: all(np.array_equal(a, b) for a, b in zip(w, REG32.get_weights(), strict=True)),
)
gives(
    "nn.saving.load_params",
    "round trip of a variant",
    lambda: (
        saving.load_params(
            _saved(tmp(), "v", regressors.VariantRegressor.init(variants.VARIANTS["CIFG"]))
        ).variant
    ),
    equal(variants.VARIANTS["CIFG"]),
)


def _truncated() -> Path:
    good = _saved(tmp(), "t.npz").read_bytes()
    (tmp() / "t.npz").write_bytes(good[: len(good) // 2])
    return tmp() / "t.npz"


def _corrupt() -> Path:
    raw = bytearray(_saved(tmp(), "c.npz").read_bytes())
    raw[200:260] = b"x" * 60
    (tmp() / "c.npz").write_bytes(bytes(raw))
    return tmp() / "c.npz"


def _written(name: str, content: bytes) -> Path:
    (tmp() / name).write_bytes(content)
    return tmp() / name


def _npy() -> Path:
    np.save(tmp() / "w.npy", np.zeros(3))
    return tmp() / "w.npy"


LOAD_BAD: list[tuple[str, Callable[[], Any], tuple[str, ...]]] = [
    ("truncated", _truncated, ("t.npz", "not a readable .npz")),
    ("empty", lambda: _written("e.npz", b""), ("e.npz", "not a readable .npz")),
    ("corrupt", _corrupt, ("c.npz", "not a readable .npz", "CRC")),
    ("a .npy", _npy, ("w.npy", ".npy file", "not an .npz archive")),
    ("text", lambda: _written("x.npz", b"hello"), ("x.npz", "not a readable .npz")),
    ("missing", lambda: tmp() / "none.npz", ("none.npz", "not a readable")),
    (
        "format_version '2'",
        lambda: _rewritten(tmp(), format_version=np.array("2")),
        ("format_version '2'", "integer"),
    ),
    ("format_version 1.9", lambda: _rewritten(tmp(), format_version=np.array(1.9)), ("format_version 1.9",)),
    (
        "format_version 2.0",
        lambda: _rewritten(tmp(), format_version=np.array(2.0)),
        ("format_version 2.0", "integer"),
    ),
    (
        "format_version True",
        lambda: _rewritten(tmp(), format_version=np.array(True)),
        ("format_version True",),
    ),
    ("format_version [2]", lambda: _rewritten(tmp(), format_version=np.array([2])), ("format_version [2]",)),
    ("kind an int", lambda: _rewritten(tmp(), kind=np.array(5)), ("kind", "string")),
    ("kind missing", lambda: _rewritten(tmp(), kind=None), ("kind", "string", "None")),
    ("config not JSON", lambda: _rewritten(tmp(), config=np.array("{layers")), ("config", "not valid JSON")),
    ("config a list", lambda: _rewritten(tmp(), config=np.array("[]")), ("config", "'layers' and 'loss'")),
    (
        "unknown layer type",
        lambda: _rewritten(tmp(), config=_config(**{"layers.1.type": "Conv1D"})),
        ("layers[1]", "type among", "Conv1D"),
    ),
    (
        "layer without a type",
        lambda: _rewritten(tmp(), config=_config(**{"layers.1.type": None})),
        ("layers[1]", "type"),
    ),
    (
        "no cell key",
        lambda: _rewritten(tmp(), config=_config(**{"layers.0.config.cell": None})),
        ("layers[0]", "keys", "'cell'"),
    ),
    (
        "unknown cell",
        lambda: _rewritten(tmp(), config=_config(**{"layers.0.config.cell": "Conv"})),
        ("'Conv'",),
    ),
    (
        "return_sequences 'no'",
        lambda: _rewritten(tmp(), config=_config(**{"layers.0.config.return_sequences": "no"})),
        ("return_sequences", "true or false"),
    ),
    ("no loss", lambda: _rewritten(tmp(), config=_config(loss=None)), ("config", "'loss'")),
    ("loss 'mae'", lambda: _rewritten(tmp(), config=_config(loss="mae")), ("loss", "'mae'")),
    ("layers empty", lambda: _rewritten(tmp(), config=_config(layers=[])), ("layers", "non-empty")),
    (
        "an unknown cell config",
        lambda: _rewritten(
            tmp(), config=_config(**{"layers.0.config.cell_config": {"variant": {"name": "x"}}})
        ),
        ("config", "keys among"),
    ),
    ("extra array", lambda: _rewritten(tmp(), extra=np.zeros(2)), ("holds arrays", "extra")),
]
for label, make, fragments in LOAD_BAD:
    raises(
        "nn.saving.load_params", label, lambda make=make: saving.load_params(make()), ValueError, *fragments
    )
raises("nn.saving.load_params", "path None", lambda: saving.load_params(None), TypeError, "path", "NoneType")


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
