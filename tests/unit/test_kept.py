"""A model kept for a later chapter (``lstm_tutorial.book.kept``) comes back exactly, and only
when it was kept under the same recipe by the same code."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from lstm_tutorial.book import kept
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.optim import Adam
from lstm_tutorial.tasks import language, language_training, text

RECIPE = {"embed": 8, "hidden": 16, "layers": 1, "seed": 3, "steps": 4}
TEXT = "def f(x):\n    return (x + 1) * 2  # twice\n" * 40


@pytest.fixture(autouse=True)
def kept_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LSTM_TUTORIAL_KEPT", str(tmp_path / "kept"))
    return tmp_path / "kept"


def trained(eval_every: int | None = None) -> Sequential:
    vocab = text.Vocabulary.from_text(TEXT)
    ids = vocab.encode(TEXT)
    model = language.char_model(vocab.size, embed=8, hidden=16, layers=1, seed=3)
    language_training.train_char_model(
        model,
        ids[:1200],
        4,
        ids[1200:],
        batch_size=4,
        seq_len=16,
        optimizer=Adam(0.01),
        eval_every=eval_every,
    )
    return model


def test_a_kept_model_comes_back_bit_for_bit_with_its_extras(kept_folder: Path) -> None:
    model = trained()
    losses = [0.1, 1 / 3, 2.5e-17]
    path = kept.keep("lm", model, RECIPE, {"loss": losses})
    assert path.parent == kept_folder and path.name == "lm.npz"
    found = kept.load("lm", RECIPE)
    assert found is not None
    back, extras = found
    assert extras == {"loss": losses}  # the floats exactly, 1/3 included
    assert all(np.array_equal(a, b) for a, b in zip(back.get_weights(), model.get_weights(), strict=True))
    assert [w.dtype for w in back.get_weights()] == [w.dtype for w in model.get_weights()]


def test_nothing_comes_back_under_another_recipe_or_when_nothing_was_kept() -> None:
    assert kept.load("lm", RECIPE) is None
    kept.keep("lm", trained(), RECIPE)
    assert kept.load("lm", {**RECIPE, "steps": 5}) is None
    assert kept.load("other", RECIPE) is None
    # the order of the recipe's keys does not matter
    assert kept.load("lm", dict(reversed(RECIPE.items()))) is not None


def test_an_edit_to_the_package_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    shutil.copytree(kept._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(kept, "_PACKAGE", package)
    kept.keep("lm", trained(), RECIPE)
    assert kept.load("lm", RECIPE) is not None
    source = package / "nn" / "lstm_fast.py"
    source.write_text(source.read_text() + "\n# an edit\n")
    assert kept.load("lm", RECIPE) is None


def test_a_weights_file_that_is_not_the_recorded_one_is_ignored(kept_folder: Path) -> None:
    kept.keep("lm", trained(), RECIPE)
    weights = kept_folder / "lm.npz"
    weights.write_bytes(weights.read_bytes()[:-10])  # as a write still under way would leave it
    assert kept.load("lm", RECIPE) is None
    (kept_folder / "lm.json").write_text("{not json")
    assert kept.load("lm", RECIPE) is None


def test_evaluating_during_training_leaves_the_weights_alone() -> None:
    """What lets chapter 12 use chapter 10's model: chapter 10 measures the held-out text every
    200 steps, chapter 12's own training does not, and the weights are the same."""
    a, b = trained(eval_every=None), trained(eval_every=1)
    assert all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights(), strict=True))


def test_a_keras_model_is_kept_in_keras_format_and_predicts_the_same() -> None:
    from lstm_tutorial.frameworks.keras import build_sine_model, keras

    model = build_sine_model(seed=0)
    x = np.random.default_rng(0).normal(size=(5, 10, 1)).astype(np.float32)
    model.fit(x, x[:, -1, 0], epochs=2, batch_size=2, verbose=0)
    path = kept.keep("sine", model, {"seed": 0}, {"loss": [1.5]})
    assert path.suffix == ".keras"
    found = kept.load("sine", {"seed": 0})
    assert found is not None
    back, extras = found
    assert isinstance(back, keras.Model) and extras == {"loss": [1.5]}
    assert np.array_equal(back.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize(
    ("call", "error", "fragments"),
    [
        (lambda: kept.keep("a/b", trained(), RECIPE), ValueError, ["name", "'a/b'"]),
        (lambda: kept.load("", RECIPE), ValueError, ["name", "''"]),
        (lambda: kept.keep("lm", np.zeros(3), RECIPE), TypeError, ["model", "ndarray"]),
        (lambda: kept.key([("seed", 0)]), TypeError, ["recipe", "list"]),
        (lambda: kept.key({"seed": np.int64(0)}), TypeError, ["recipe", "JSON"]),
        (lambda: kept.keep("lm", trained(), RECIPE, {"w": np.zeros(2)}), TypeError, ["extras", "JSON"]),
    ],
)
def test_bad_arguments_are_named(call: object, error: type[Exception], fragments: list[str]) -> None:
    with pytest.raises(error) as raised:
        call()  # type: ignore[operator]
    assert all(fragment in str(raised.value) for fragment in fragments), str(raised.value)
