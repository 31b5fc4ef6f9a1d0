"""Issue 27, the core's cases whose right answer is a value or a state, not an error message.

(The errors are rows of ``test_validation.CORE_CASES``.) Returned arrays do not alias a
cache or the caller's input; a regressor owns its weights; a Bidirectional layer whose
halves hold different cells is saved and loaded whole; the Keras bridge carries
``stateful``; ``fit`` refuses before its first update, leaving the weights as they were;
a zip bomb is refused without inflating it; ``kept.load`` gives None for a damaged record.
"""

from __future__ import annotations

import hashlib
import io
import json
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lstm_tutorial.nn import saving, sequence
from lstm_tutorial.nn.bidirectional import Bidirectional
from lstm_tutorial.nn.cell import CellParams
from lstm_tutorial.nn.gru import GRUParams, gru_backward, gru_forward
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams, lstm_backward, lstm_forward
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.regressors import LSTMRegressor, VariantRegressor
from lstm_tutorial.nn.rnn import RNNParams, rnn_backward, rnn_forward
from lstm_tutorial.nn.train import fit
from lstm_tutorial.nn.variants import VARIANTS, PeepholeParams, variant_backward, variant_forward

X = np.random.default_rng(0).standard_normal((3, 5, 2))
Forward = Callable[..., tuple[np.ndarray, Any]]
Backward = Callable[..., tuple[np.ndarray, CellParams, tuple[np.ndarray, ...]]]
PAIRS: dict[str, tuple[Forward, Backward, CellParams]] = {
    "lstm": (lstm_forward, lstm_backward, LSTMParams.init(2, 3)),
    "rnn": (rnn_forward, rnn_backward, RNNParams.init(2, 3)),
    "gru": (gru_forward, gru_backward, GRUParams.init(2, 3)),
    "variant": (variant_forward, variant_backward, PeepholeParams.init(2, 3, variant=VARIANTS["NIG"])),
    "sequence": (lambda x, p, **k: sequence.forward(p, x, **k), sequence.backward, GRUParams.init(2, 3)),
}


def gradients(
    forward: Forward, backward: Backward, params: CellParams, edit: Callable[..., None]
) -> list[Any]:
    """Every gradient of one forward and backward pass, with ``edit(x, hs, state)`` run between them."""
    x = X.copy()
    state = tuple(np.full((3, 3), 0.5) for _ in params.state_names)
    initial = (
        {"state": state} if forward is PAIRS["sequence"][0] else dict(zip(("h0", "c0"), state, strict=False))
    )
    hs, cache = forward(x, params, **initial)
    edit(x, hs, state)
    dx, grads, d_initial = backward(np.ones_like(hs), cache)
    return [dx, *grads.weights(), *d_initial]


@pytest.mark.parametrize("edit", ["hs", "x", "initial state"])
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_editing_what_forward_was_given_or_returned_changes_no_gradient(name: str, edit: str) -> None:
    forward, backward, params = PAIRS[name]

    def change(x: np.ndarray, hs: np.ndarray, state: tuple[np.ndarray, ...]) -> None:
        for array in {"hs": (hs,), "x": (x,), "initial state": state}[edit]:
            array[...] = 7.0

    untouched = gradients(forward, backward, params, lambda *_: None)
    edited = gradients(forward, backward, params, change)
    for a, b in zip(untouched, edited, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_hs_of_lstm_forward_is_its_own_array() -> None:
    hs, cache = lstm_forward(X, PAIRS["lstm"][2])
    assert not np.shares_memory(hs, cache.h_steps) and not np.shares_memory(cache.x, X)
    np.testing.assert_array_equal(hs, cache.hs)  # the same numbers, in an array of its own


def test_a_regressor_owns_its_weights_and_fit_leaves_the_callers_alone() -> None:
    cell, dense_W, dense_b = LSTMParams.init(1, 4), np.full((4, 1), 0.1), np.zeros(1)
    originals = [w.copy() for w in (*cell.weights(), dense_W, dense_b)]
    model = LSTMRegressor(cell, dense_W, dense_b)
    fit(model, np.ones((4, 3, 1)), np.ones(4), epochs=2, verbose=0, optimizer="sgd")
    for given, original in zip((*cell.weights(), dense_W, dense_b), originals, strict=True):
        np.testing.assert_array_equal(given, original)
    assert not np.array_equal(model.lstm.W, cell.W)  # the model's own copy trained
    replaced = LSTMParams.init(1, 4, seed=3)
    model.lstm = replaced
    assert model.lstm is not replaced and np.array_equal(model.lstm.W, replaced.W)
    variant_cell = PeepholeParams.init(1, 4)
    variant_model = VariantRegressor(variant_cell, VARIANTS["NIG"], dense_W, dense_b)
    assert not np.shares_memory(variant_model.cell.W, variant_cell.W)


def test_a_recurrent_layer_holds_its_cell_as_documented() -> None:
    """``Recurrent(cell)`` holds ``cell`` itself, as Keras' ``RNN(cell)`` does (``layer.Layer``)."""
    cell = LSTMParams.init(1, 4)
    model = Sequential([Recurrent(cell), Dense.init(4, 1, np.random.default_rng(0), np.float64)])
    before = cell.W.copy()
    fit(model, np.ones((4, 3, 1)), np.ones(4), epochs=1, verbose=0, optimizer="sgd")
    assert model.layers[0].cell is cell and not np.array_equal(cell.W, before)


HALVES = {
    "vanilla forward, NIG backward": (
        PeepholeParams.init(2, 3),
        PeepholeParams.init(2, 3, 1, variant=VARIANTS["NIG"]),
    ),
    "LSTM forward, GRU backward": (LSTMParams.init(2, 3), GRUParams.init(2, 3, seed=1)),
    "LSTM forward, Peephole backward": (
        LSTMParams.init(2, 3),
        PeepholeParams.init(2, 3, 1, variant=VARIANTS["CIFG"]),
    ),
    "GRU forward, RNN backward": (GRUParams.init(2, 3), RNNParams.init(2, 3, seed=1)),
}


@pytest.mark.parametrize("name", list(HALVES))
def test_a_bidirectional_layer_with_different_halves_is_saved_and_loaded_whole(
    name: str, tmp_path: Path
) -> None:
    forward_cell, backward_cell = HALVES[name]
    layer = Bidirectional(Recurrent(forward_cell), Recurrent(backward_cell), "concat")
    model = Sequential([layer, Dense.init(6, 1, np.random.default_rng(0), np.float64)])
    loaded = saving.load_params(saving.save_params(tmp_path / "bi", model))
    assert isinstance(loaded, Sequential)
    assert loaded.layers[0].get_config() == layer.get_config()  # both cells, variants included
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert type(loaded.layers[0].backward_layer.cell) is type(backward_cell)


def test_from_keras_carries_stateful() -> None:
    from lstm_tutorial.frameworks.keras import from_keras, keras

    stateful = keras.Sequential(
        [keras.Input(batch_shape=(2, 5, 2)), keras.layers.LSTM(3, stateful=True), keras.layers.Dense(1)]
    )
    model = from_keras(stateful)
    assert isinstance(model, Sequential) and model.layers[0].get_config()["stateful"] is True


@pytest.mark.parametrize(
    "kwargs",
    [
        {"batch_size": 2, "shuffle": False},  # stateful, N = 5 not a multiple of 2
        {"batch_size": 5, "shuffle": False, "on_batch_end": lambda step: None},
        {"batch_size": 5, "shuffle": True},
    ],
    ids=["stateful N % batch_size", "on_batch_end of one argument", "stateful shuffled"],
)
def test_fit_refuses_before_the_first_update(kwargs: dict[str, Any]) -> None:
    dense = Dense.init(2, 1, np.random.default_rng(0), np.float64)
    model = Sequential([Recurrent(LSTMParams.init(1, 2), stateful=True), dense])
    before = model.get_weights()
    steps: list[int] = []
    if "on_batch_end" not in kwargs:
        kwargs = {**kwargs, "on_batch_end": lambda step, loss: steps.append(step)}
    with pytest.raises((ValueError, TypeError)):
        fit(model, np.ones((5, 3, 1)), np.ones(5), verbose=0, optimizer="sgd", **kwargs)
    assert steps == []
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fit_takes_a_stateful_batch_of_all_n_and_any_callable_of_two_arguments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dense = Dense.init(2, 1, np.random.default_rng(0), np.float64)
    model = Sequential([Recurrent(LSTMParams.init(1, 2), stateful=True), dense])
    history = fit(model, np.ones((3, 3, 1)), np.ones(3), batch_size=4, shuffle=False, verbose=0)
    assert len(history.loss) == 1  # one batch of all 3 streams

    class Recorder:
        def __init__(self) -> None:
            self.steps: list[int] = []

        def __call__(self, *args: Any) -> None:
            self.steps.append(args[0])

    recorder = Recorder()
    fit(LSTMRegressor.init(), np.ones((2, 3, 1)), np.ones(2), batch_size=1, verbose=0, on_batch_end=recorder)
    assert recorder.steps == [1, 2]
    # print has no signature to read: it is called as it is.
    fit(LSTMRegressor.init(), np.ones((1, 3, 1)), np.ones(1), verbose=0, on_batch_end=print)
    assert capsys.readouterr().out.startswith("1 ")


def bomb(path: Path, megabytes: int) -> Path:
    """A model's file with an extra member of ``megabytes`` MiB of zeros, deflated (about 1000 times)."""
    saving.save_params(path, LSTMRegressor.init())
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        header = npy_header((megabytes * 2**17,))
        with archive.open("extra.npy", "w") as member:
            member.write(header)
            for _ in range(megabytes):
                member.write(bytes(2**20))
    return path


def npy_header(shape: tuple[int, ...]) -> bytes:
    """The header of a .npy file of float64 of this shape (format 1.0)."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.npz", 400)  # 400 MiB of zeros in about 400 kB
    assert path.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="would inflate from"):
            saving.load_params(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20  # nothing near the 400 MiB it would inflate to


def test_the_total_size_of_the_arrays_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = saving.save_params(tmp_path / "m", LSTMRegressor.init())
    monkeypatch.setattr(saving, "MAX_BYTES", 1000)
    with pytest.raises(ValueError, match=r"its arrays would take \d+ bytes, more than the 1000"):
        saving.load_params(path)
    monkeypatch.setattr(saving, "MAX_BYTES", 2**30)
    monkeypatch.setattr(saving, "MAX_MEMBERS", 3)
    with pytest.raises(ValueError, match="holds 8 members, more than the 3"):
        saving.load_params(path)


def test_a_compressed_weights_file_still_loads(tmp_path: Path) -> None:
    """np.savez_compressed's files: weights hardly compress, so the ratio check lets them through."""
    model = LSTMRegressor.init(3, 64)
    path = saving.save_params(tmp_path / "m", model)
    with np.load(path) as plain:
        np.savez_compressed(tmp_path / "c.npz", **{key: plain[key] for key in plain.files})
    loaded = saving.load_params(tmp_path / "c.npz")
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.flags.writeable


DAMAGED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "no extras": lambda good: {k: v for k, v in good.items() if k != "extras"},
    "no key": lambda good: {k: v for k, v in good.items() if k != "key"},
    "a list": lambda good: [good],
    "weights an int": lambda good: {**good, "weights": 5},
    "extras a list": lambda good: {**good, "extras": [1]},
    "nested 100000 deep": lambda good: "[" * 100_000,
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_kept_load_gives_none_for_a_damaged_record(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lstm_tutorial.book import kept

    monkeypatch.setenv("LSTM_TUTORIAL_KEPT", str(tmp_path))
    kept.keep("m", LSTMRegressor.init(), {"seed": 0}, {"loss": [1.0]})
    assert kept.load("m", {"seed": 0}) is not None
    record = tmp_path / "m.json"
    entry = DAMAGED[damage](json.loads(record.read_text()))
    record.write_text(entry if isinstance(entry, str) else json.dumps(entry))
    assert kept.load("m", {"seed": 0}) is None


def test_kept_load_gives_none_for_damaged_weights_that_match_their_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lstm_tutorial.book import kept

    monkeypatch.setenv("LSTM_TUTORIAL_KEPT", str(tmp_path))
    weights = kept.keep("m", LSTMRegressor.init(), {"seed": 0})
    record = tmp_path / "m.json"
    entry = json.loads(record.read_text())
    damaged = weights.read_bytes()[:200]
    weights.write_bytes(damaged)
    record.write_text(json.dumps({**entry, "weights_sha256": hashlib.sha256(damaged).hexdigest()}))
    assert kept.load("m", {"seed": 0}) is None
