"""Safe persistence: round trips, and refusal of files that fail the checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.nn.rnn import RNNParams
from lstm_tutorial.nn.saving import FORMAT_VERSION, load_params, save_params
from lstm_tutorial.tasks.data import make_windows, sine_wave


@pytest.mark.parametrize(
    "obj",
    [
        LSTMParams.init(3, 4, seed=1),
        LSTMParams.init(2, 5, seed=2, dtype=np.float32),
        RNNParams.init(3, 6, seed=3),
        LSTMRegressor.init(1, 4, seed=4, dtype=np.float32),
    ],
    ids=["lstm64", "lstm32", "rnn", "regressor"],
)
def test_round_trip_is_exact(tmp_path: Path, obj: LSTMParams | RNNParams | LSTMRegressor) -> None:
    path = save_params(tmp_path / "weights", obj)
    assert path.suffix == ".npz"
    loaded = load_params(path)
    assert type(loaded) is type(obj)
    original = obj.parameters() if isinstance(obj, LSTMRegressor) else obj.as_list()
    restored = loaded.parameters() if isinstance(loaded, LSTMRegressor) else loaded.as_list()
    for a, b in zip(original, restored, strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def write(path: Path, **arrays: np.ndarray) -> Path:
    np.savez(path, **arrays)
    return path


GOOD = {"W": np.zeros((3, 16)), "U": np.zeros((4, 16)), "b": np.zeros(16)}


@pytest.mark.parametrize(
    ("contents", "fragment"),
    [
        ({"kind": np.array("LSTMParams"), **GOOD}, "format_version None"),
        (
            {"format_version": np.array(FORMAT_VERSION + 1), "kind": np.array("LSTMParams"), **GOOD},
            f"format_version {FORMAT_VERSION + 1}, expected {FORMAT_VERSION}",
        ),
        ({"format_version": np.array(FORMAT_VERSION), "kind": np.array("GRU"), **GOOD}, "kind 'GRU'"),
        (
            {"format_version": np.array(FORMAT_VERSION), "kind": np.array("LSTMParams"), "W": GOOD["W"]},
            "holds arrays ['W']",
        ),
        (
            {
                "format_version": np.array(FORMAT_VERSION),
                "kind": np.array("LSTMParams"),
                **GOOD,
                "U": np.zeros((4, 4)),
            },
            "U must have shape (H, 4H)",
        ),
        (
            {
                "format_version": np.array(FORMAT_VERSION),
                "kind": np.array("LSTMParams"),
                **GOOD,
                "b": np.full(16, np.nan),
            },
            "b must be finite",
        ),
        (
            {
                "format_version": np.array(FORMAT_VERSION),
                "kind": np.array("LSTMParams"),
                **GOOD,
                "W": np.zeros((3, 16), int),
            },
            "W must have dtype float32 or float64",
        ),
    ],
    ids=["no-version", "future-version", "unknown-kind", "missing-arrays", "bad-shape", "nan", "int-dtype"],
)
def test_bad_files_are_refused(tmp_path: Path, contents: dict[str, np.ndarray], fragment: str) -> None:
    path = write(tmp_path / "bad.npz", **contents)
    with pytest.raises(ValueError) as info:
        load_params(path)
    assert fragment in str(info.value)
    assert "bad.npz" in str(info.value)


def test_pickled_object_arrays_are_never_loaded(tmp_path: Path) -> None:
    path = tmp_path / "pickle.npz"
    np.savez(
        path, format_version=np.array(FORMAT_VERSION), kind=np.array("LSTMParams"), W=np.array([object()])
    )
    with pytest.raises(ValueError, match=r"not a readable \.npz weights file"):
        load_params(path)


def test_not_an_npz_file(tmp_path: Path) -> None:
    path = tmp_path / "text.npz"
    path.write_text("hello")
    with pytest.raises(ValueError, match=r"not a readable \.npz weights file"):
        load_params(path)


def test_keras_model_round_trip_and_safe_mode(tmp_path: Path) -> None:
    from lstm_tutorial.frameworks.keras import (
        build_sine_model,
        keras,
        load_keras_model,
        save_keras_model,
    )

    x, y = make_windows(sine_wave(100, dtype=np.float32), 10)
    model = build_sine_model(seed=0)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)  # a trained model, optimizer state included
    save_keras_model(model, tmp_path / "sine.keras")
    loaded = load_keras_model(tmp_path / "sine.keras")
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables, strict=True):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))

    lambda_model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t * 2)])
    lambda_model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        load_keras_model(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match=r"must end in '\.keras'"):
        load_keras_model(tmp_path / "sine.h5")


def test_a_bidirectional_layer_whose_halves_differ_round_trips_whole(tmp_path: Path) -> None:
    """Each half keeps its own cell kind and variant: the file holds both halves' configs."""
    from lstm_tutorial.nn.bidirectional import Bidirectional
    from lstm_tutorial.nn.gru import GRUParams
    from lstm_tutorial.nn.layers import Dense, Recurrent
    from lstm_tutorial.nn.model import Sequential
    from lstm_tutorial.nn.variants import VARIANTS, PeepholeParams

    halves = (
        Recurrent(PeepholeParams.init(2, 3, seed=1, variant=VARIANTS["CIFG"]), return_sequences=True),
        Recurrent(GRUParams.init(2, 3, seed=2), return_sequences=True),
    )
    model = Sequential(
        [Bidirectional(*halves, "mul"), Dense.init(3, 1, np.random.default_rng(3), np.float64)]
    )
    loaded = load_params(save_params(tmp_path / "bi", model))
    assert isinstance(loaded, Sequential)
    layer = loaded.layers[0]
    assert isinstance(layer, Bidirectional) and layer.merge_mode == "mul"
    assert (
        isinstance(layer.forward_layer.cell, PeepholeParams)
        and layer.forward_layer.cell.variant.name == "CIFG"
    )
    assert isinstance(layer.backward_layer.cell, GRUParams)
    x = np.random.default_rng(4).normal(size=(2, 5, 2))
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_a_file_whose_layer_names_other_weights_is_refused(tmp_path: Path) -> None:
    """The names of a layer's weights in the file must be the ones the rebuilt layer gives them."""
    import json

    path = save_params(tmp_path / "m", LSTMRegressor.init(1, 3, seed=0))
    with np.load(path) as data:
        contents = {key: data[key] for key in data.files}
    config = json.loads(str(contents["config"]))
    config["layers"][1]["weights"] = ["bias", "kernel"]
    contents["config"] = np.array(json.dumps(config))
    contents["layer1.bias"], contents["layer1.kernel"] = (
        contents.pop("layer1.dense kernel"),
        contents.pop("layer1.dense bias"),
    )
    np.savez(tmp_path / "swapped.npz", **contents)
    with pytest.raises(ValueError, match=r"layers\[1\] \(Dense\)") as info:
        load_params(tmp_path / "swapped.npz")
    assert "swapped.npz" in str(info.value)
