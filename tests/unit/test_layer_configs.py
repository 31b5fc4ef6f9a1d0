"""Every layer describes and rebuilds itself; Sequential checks a stack by asking its layers.

A layer's ``get_config()`` is JSON and ``from_config(config, weights)`` rebuilds the same
layer through its checked constructor; a new layer class joins ``layer.LAYERS`` by being
defined, and then stacks, trains and saves without any other module knowing it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lstm_tutorial.nn.bidirectional import Bidirectional
from lstm_tutorial.nn.embedding import Embedding
from lstm_tutorial.nn.gru import GRUParams
from lstm_tutorial.nn.layer import FEATURES, LAYERS, Layer, check_config, check_weight_count, takers
from lstm_tutorial.nn.layers import Dense, Recurrent, cell_config, cell_from_config
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.rnn import RNNParams
from lstm_tutorial.nn.saving import load_params, save_params
from lstm_tutorial.nn.variants import VARIANTS, PeepholeParams

RNG = np.random.default_rng(0)


def every_layer() -> list[Layer]:
    return [
        Recurrent(RNNParams.init(3, 4, seed=1), return_sequences=True),
        Recurrent(LSTMParams.init(3, 4, seed=2, dtype=np.float32), stateful=True),
        Recurrent(GRUParams.init(3, 4, seed=3)),
        Recurrent(PeepholeParams.init(3, 4, seed=4, variant=VARIANTS["CIFG"]), return_sequences=True),
        Dense.init(4, 2, np.random.default_rng(5), np.float64),
        Embedding.init(7, 3, np.random.default_rng(6), np.float64),
        Bidirectional(
            Recurrent(LSTMParams.init(3, 4, seed=7), return_sequences=True),
            Recurrent(GRUParams.init(3, 4, seed=8), return_sequences=True),
            "ave",
        ),
    ]


@pytest.mark.parametrize("layer", every_layer(), ids=lambda layer: type(layer).__name__)
def test_a_layer_is_rebuilt_from_its_json_config_and_weights(layer: Layer) -> None:
    config = json.loads(json.dumps(layer.get_config()))  # plain JSON: no arrays, no objects
    rebuilt = LAYERS[type(layer).__name__].from_config(config, [w.copy() for w in layer.weights()])
    assert type(rebuilt) is type(layer)
    assert rebuilt.get_config() == layer.get_config()
    assert rebuilt.weight_labels() == layer.weight_labels()
    for a, b in zip(rebuilt.weights(), layer.weights(), strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_configs_say_what_the_layers_are() -> None:
    peephole, dense, embedding, bidirectional = (every_layer()[k] for k in (3, 4, 5, 6))
    assert peephole.get_config() == {
        "cell": "PeepholeParams",
        "cell_config": {"variant": {**VARIANTS["CIFG"].__dict__}},
        "return_sequences": True,
        "stateful": False,
    }
    assert dense.get_config() == {} and embedding.get_config() == {}
    config = bidirectional.get_config()
    assert (config["forward_layer"]["cell"], config["backward_layer"]["cell"]) == ("LSTMParams", "GRUParams")
    assert config["merge_mode"] == "ave"


@pytest.mark.parametrize(
    ("kind", "config", "weights", "fragments"),
    [
        (
            "Recurrent",
            {"cell": "LSTMParams", "cell_config": {}, "return_sequences": False},
            3,
            ("'stateful'",),
        ),
        (
            "Recurrent",
            {"cell": "LSTMParams", "cell_config": {}, "return_sequences": False, "stateful": False, "go": 1},
            3,
            ("unknown ['go']",),
        ),
        (
            "Recurrent",
            {"cell": "LSTMParams", "cell_config": {}, "return_sequences": "no", "stateful": False},
            3,
            ("'return_sequences'", "true or false", "'no'"),
        ),
        (
            "Recurrent",
            {"cell": "Conv", "cell_config": {}, "return_sequences": False, "stateful": False},
            3,
            ("cell 'Conv'", "LSTMParams"),
        ),
        (
            "Recurrent",
            {"cell": "LSTMParams", "cell_config": {}, "return_sequences": False, "stateful": False},
            2,
            ("weights", "3 arrays", "got 2"),
        ),
        ("Dense", {"units": 2}, 2, ("Dense", "unknown ['units']")),
        ("Embedding", [], 1, ("Embedding", "JSON object")),
        ("Bidirectional", {"forward_layer": {}, "merge_mode": "sum"}, 6, ("'backward_layer'",)),
        (
            "Bidirectional",
            {"forward_layer": {"cell": "RNNParams"}, "backward_layer": {}, "merge_mode": "sum"},
            6,
            ("forward_layer", "'cell_config'"),
        ),
    ],
    ids=[
        "missing key",
        "unknown key",
        "flag a string",
        "unknown cell",
        "too few arrays",
        "dense",
        "list",
        "bi",
        "half",
    ],
)
def test_from_config_refuses_a_bad_config_naming_the_key(
    kind: str, config: Any, weights: int, fragments: tuple[str, ...]
) -> None:
    arrays = every_layer()[{"Recurrent": 1, "Dense": 4, "Embedding": 5, "Bidirectional": 6}[kind]].weights()
    with pytest.raises(ValueError) as info:
        LAYERS[kind].from_config(config, list(arrays)[:weights])
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def test_a_cell_config_is_checked_by_the_cells_own_constructor() -> None:
    cell = PeepholeParams.init(2, 3, variant=VARIANTS["NOG"])
    assert cell_from_config("PeepholeParams", cell_config(cell), cell.weights()).variant == VARIANTS["NOG"]
    with pytest.raises(ValueError, match=r"config 'variant' must be a JSON object with keys among"):
        cell_from_config("PeepholeParams", {"variant": {"colour": "red"}}, cell.weights())
    with pytest.raises(ValueError, match="config 'variant': forget_gate must be True or False"):
        cell_from_config("PeepholeParams", {"variant": {"name": "x", "forget_gate": "no"}}, cell.weights())
    with pytest.raises(ValueError, match=r"LSTMParams's config must be a JSON object with keys among \[\]"):
        cell_from_config("LSTMParams", {"variant": {}}, cell.weights()[:3])


def test_the_helpers_check_what_they_are_given() -> None:
    assert check_config("X", {"a": True}, {"a": bool}) == {"a": True}
    with pytest.raises(ValueError, match="key 'a' must be a string, got 1"):
        check_config("X", {"a": 1}, {"a": str})
    with pytest.raises(ValueError, match=r"2 arrays \('kernel', 'bias'\) for a Dense, got int 3"):
        check_weight_count("Dense", 3, ("kernel", "bias"))


# --- Sequential asks its layers what they take and give ------------------------------------------


def test_a_recurrent_layer_without_return_sequences_cannot_feed_another() -> None:
    first = Recurrent(LSTMParams.init(1, 4))
    with pytest.raises(TypeError) as info:
        Sequential([first, Recurrent(LSTMParams.init(4, 3))])
    message = str(info.value)
    for fragment in (
        "layers[1] must be a RepeatVector or Dense layer",
        "layers[0]",
        "return_sequences=False",
        "a vector (N, 4)",
    ):
        assert fragment in message, message
    assert "layers[1], Recurrent(" in message and "takes a sequence (N, T, 4)" in message
    Sequential([Recurrent(LSTMParams.init(1, 4), return_sequences=True), Recurrent(LSTMParams.init(4, 3))])


def test_an_embedding_must_come_first_and_widths_must_match() -> None:
    embedding = Embedding.init(5, 2, np.random.default_rng(0), np.float64)
    with pytest.raises(TypeError) as info:
        Sequential([Recurrent(LSTMParams.init(1, 2), return_sequences=True), embedding])
    assert "layers[1] must be a Recurrent, Bidirectional or Dense layer" in str(info.value)
    assert "and layers[1], Embedding(), takes ids (N, T) in [0, 5)" in str(info.value)
    with pytest.raises(ValueError) as info:
        Sequential([embedding, Recurrent(LSTMParams.init(3, 4))])
    message = str(info.value)
    assert "layers[1] takes 3 features but layers[0] gives 2" in message
    assert "layers[0], Embedding(), gives a sequence (N, T, 2)" in message
    with pytest.raises(TypeError, match=r"layers\[0\] must be a Recurrent, Bidirectional or Embedding layer"):
        Sequential([Dense.init(2, 1, np.random.default_rng(0), np.float64)])
    with pytest.raises(TypeError, match=r"layers\[1\] must be a layer, one of \['Recurrent'"):
        Sequential([embedding, "LSTM"])  # type: ignore[list-item]


def test_per_step_follows_what_the_last_layer_gives() -> None:
    assert not Sequential([Recurrent(RNNParams.init(1, 2)), Dense.init(2, 1, RNG, np.float64)]).per_step
    sequence = Recurrent(RNNParams.init(1, 2), return_sequences=True)
    assert Sequential([sequence, Dense.init(2, 1, RNG, np.float64)]).per_step


# --- a layer the package never heard of -------------------------------------------------------------


def define_scale() -> Any:
    """A layer defined outside the package, y = x * w on the last axis; defining it registers it."""

    @dataclass
    class Scale(Layer):
        """y = x * w on the last axis: a layer defined here, outside the package."""

        w: np.ndarray
        takes = FEATURES

        @property
        def input_size(self) -> int:
            return int(self.w.shape[0])

        @property
        def output_size(self) -> int:
            return int(self.w.shape[0])

        @property
        def dtype(self) -> np.dtype[Any]:
            return self.w.dtype

        def weights(self) -> list[np.ndarray]:
            return [self.w]

        def weight_labels(self) -> list[str]:
            return ["scale"]

        def with_weights(self, arrays: list[np.ndarray], check: bool = True) -> Scale:
            return Scale(*arrays)

        def get_config(self) -> dict[str, Any]:
            return {}

        @classmethod
        def from_config(cls, config: Any, weights: list[np.ndarray]) -> Scale:
            check_config(cls.__name__, config, {})
            return cls(*check_weight_count(cls.__name__, weights, ("scale",)))

        def forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return x * self.w, x

        def backward(self, dy: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
            return dy * self.w, [(dy * x).reshape(-1, x.shape[-1]).sum(axis=0)]

    return Scale


@pytest.fixture
def scale() -> Iterator[Any]:
    kind = define_scale()
    assert LAYERS["Scale"] is kind
    yield kind
    del LAYERS["Scale"]  # the other tests' messages list the package's own layers only


def test_a_new_layer_joins_the_registry_stacks_trains_and_saves(tmp_path: Path, scale: Any) -> None:
    assert "Scale" in takers("sequence") and "Scale" in takers("vector")
    cell = LSTMParams.init(1, 3, seed=0)
    model = Sequential(
        [Recurrent(cell), scale(np.array([1.0, -2.0, 0.5])), Dense.init(3, 1, RNG, np.float64)]
    )
    x, y = RNG.normal(size=(4, 5, 1)), RNG.normal(size=4)
    loss, grads = model.loss_and_grads(x, y)
    assert len(grads.parameters()) == 6
    back = load_params(save_params(tmp_path / "scaled", model))
    assert isinstance(back, Sequential) and [type(layer) for layer in back.layers] == [
        Recurrent,
        scale,
        Dense,
    ]
    assert back.evaluate(x, y) == loss


def test_two_layer_classes_cannot_share_a_name() -> None:
    with pytest.raises(
        TypeError, match=r"a layer class named 'Dense' is already defined in lstm_tutorial\.nn\.layers"
    ):

        class Dense(Layer):
            pass

    assert LAYERS["Dense"].__module__ == "lstm_tutorial.nn.layers"


def test_a_private_helper_class_stays_out_of_the_registry() -> None:
    class _Helper(Layer):
        pass

    assert "_Helper" not in LAYERS
