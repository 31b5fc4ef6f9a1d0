"""One bridge per framework, the same verbs for every cell and model, checked against the real libraries.

``to_torch``/``from_torch`` take every cell with a PyTorch twin (and whole models);
``to_keras``/``from_keras`` compare each Keras layer's whole config with what this
package computes and refuse, naming the field, what it cannot carry.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial.frameworks.keras import from_keras, keras, to_keras
from lstm_tutorial.frameworks.torch import from_torch, to_torch
from lstm_tutorial.nn.bidirectional import Bidirectional
from lstm_tutorial.nn.cell import CellParams
from lstm_tutorial.nn.gru import GRUParams, gru_forward
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams, lstm_forward
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.regressors import GRURegressor, LSTMRegressor, VariantRegressor
from lstm_tutorial.nn.rnn import RNNParams, rnn_forward
from lstm_tutorial.nn.variants import PeepholeParams
from lstm_tutorial.tasks.language import char_model

torch.set_num_threads(1)
RNG = np.random.default_rng(0)
TORCH_TOL = 1e-12  # float64, as tests/test_agreement_torch.py
KERAS_TOL = 1e-5  # float32, as tests/test_agreement_keras.py


def random_cell(kind: Any, inputs: int = 3, hidden: int = 4, seed: int = 0) -> CellParams:
    """A cell of ``kind`` with random weights, biases included (zero biases would hide a mix-up)."""
    cell = kind.init(inputs, hidden, seed=seed)
    rng = np.random.default_rng(seed)
    return kind(*(rng.normal(scale=0.5, size=w.shape) for w in cell.weights()))  # type: ignore[no-any-return]


FORWARD = {RNNParams: rnn_forward, LSTMParams: lstm_forward, GRUParams: gru_forward}


@pytest.mark.parametrize("kind", [RNNParams, LSTMParams, GRUParams], ids=lambda k: k.__name__)
def test_every_cell_with_a_twin_moves_to_torch_and_back_exactly(kind: Any) -> None:
    cell = random_cell(kind)
    module = to_torch(cell)
    assert type(module) is {RNNParams: torch.nn.RNN, LSTMParams: torch.nn.LSTM, GRUParams: torch.nn.GRU}[kind]
    x = RNG.normal(size=(2, 6, 3))
    ours, _ = FORWARD[kind](x, cell)
    theirs, _ = module(torch.from_numpy(x))
    assert np.abs(ours - theirs.detach().numpy()).max() <= TORCH_TOL
    back = from_torch(module)
    assert type(back) is kind
    # An RNN's or LSTM's single bias goes out whole and comes back as the sum of torch's two.
    for a, b in zip(back.weights(), cell.weights(), strict=True):  # type: ignore[union-attr]
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_a_cell_without_a_twin_is_refused_naming_the_ones_that_have_one() -> None:
    with pytest.raises(TypeError) as info:
        to_torch(PeepholeParams.init(2, 3))
    for fragment in ("params_or_model", "RNNParams (nn.RNN)", "LSTMParams (nn.LSTM)", "GRUParams (nn.GRU)"):
        assert fragment in str(info.value)
    with pytest.raises(ValueError, match="nonlinearity='tanh', got 'relu'"):
        from_torch(torch.nn.RNN(2, 3, nonlinearity="relu"))
    with pytest.raises(ValueError, match=r"LSTM with biases and no projection, .*proj_size=2"):
        from_torch(torch.nn.LSTM(2, 3, proj_size=2))


def bidirectional_model(return_sequences: bool, merge_mode: str, dtype: Any = np.float64) -> Sequential:
    """A bidirectional layer whose halves are different cells (an LSTM forward, a GRU backward)."""
    halves = [
        Recurrent(LSTMParams.init(3, 4, seed=1, dtype=dtype), return_sequences),
        Recurrent(GRUParams.init(3, 4, seed=2, dtype=dtype), return_sequences),
    ]
    layer = Bidirectional(halves[0], halves[1], merge_mode)
    return Sequential([layer, Dense.init(layer.output_size, 2, np.random.default_rng(3), dtype)])


MODELS = {
    "char model": lambda: char_model(
        6, embed=3, hidden=4, layers=2, stateful=False, seed=0, dtype=np.float64
    ),
    "regressor": lambda: GRURegressor.init(2, 5, seed=1),
    **{
        f"bidirectional {merge} {sequences}": lambda merge=merge, sequences=sequences: bidirectional_model(
            sequences, merge
        )
        for merge in ("concat", "sum", "mul", "ave")
        for sequences in (True, False)
    },
}


@pytest.mark.parametrize("name", list(MODELS))
def test_a_whole_model_moves_to_torch_computes_the_same_and_comes_back(name: str) -> None:
    model = MODELS[name]()
    if model.layers[0].takes == "ids":
        x: Any = RNG.integers(0, 6, size=(3, 7))
        x_torch = torch.from_numpy(x)
    else:
        x = RNG.normal(size=(3, 7, model.input_size))
        x_torch = torch.from_numpy(x)
    module = to_torch(model)
    theirs = module(x_torch).detach().numpy()
    ours = model.predict(x)
    assert np.abs(ours - theirs.reshape(ours.shape)).max() <= TORCH_TOL
    back = from_torch(module)
    assert type(back) is type(model) and back.loss == model.loss
    assert [layer.get_config() for layer in back.layers] == [layer.get_config() for layer in model.layers]  # type: ignore[union-attr]
    for a, b in zip(back.get_weights(), model.get_weights(), strict=True):  # type: ignore[union-attr]
        assert np.array_equal(a, b)


def test_models_torch_cannot_hold_are_refused() -> None:
    with pytest.raises(ValueError, match="stateful layer has no PyTorch twin"):
        to_torch(char_model(5, embed=2, hidden=3, layers=1, stateful=True))
    with pytest.raises(TypeError, match="PeepholeParams"):
        to_torch(VariantRegressor.init())
    with pytest.raises(ValueError, match="batch_first must be True for a model"):
        to_torch(LSTMRegressor.init(), batch_first=False)


# --- Keras: the whole config is compared ----------------------------------------------------------


def built(layer: Any, shape: tuple[int | None, ...] = (None, 5, 3)) -> Any:
    layer.build(shape)
    return layer


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        (lambda: built(keras.layers.LSTM(4, go_backwards=True)), "go_backwards=True"),
        (lambda: built(keras.layers.GRU(4, reset_after=False)), "reset_after=False"),
        (lambda: built(keras.layers.SimpleRNN(4, dropout=0.5)), "dropout=0.5"),
        (lambda: built(keras.layers.LSTM(4, recurrent_activation="hard_sigmoid")), "recurrent_activation="),
        (lambda: built(keras.layers.LSTM(4, use_bias=False)), "use_bias=False"),
        (lambda: built(keras.layers.LSTM(4, return_state=True)), "return_state=True"),
    ],
    ids=["go_backwards", "reset_after", "dropout", "recurrent_activation", "use_bias", "return_state"],
)
def test_a_keras_layer_this_package_cannot_carry_is_refused_naming_the_field(layer: Any, field: str) -> None:
    with pytest.raises(ValueError) as info:
        from_keras(layer())
    assert "layer_or_model has" in str(info.value) and field in str(info.value), str(info.value)


def test_keras_models_with_fields_this_package_cannot_carry_are_refused() -> None:
    masked = keras.Sequential(
        [keras.Input((5,), dtype="int32"), keras.layers.Embedding(6, 3, mask_zero=True)]
    )
    masked.add(keras.layers.LSTM(4))
    with pytest.raises(ValueError, match=r"layer_or_model.layers\[0\] has mask_zero=True"):
        from_keras(masked)
    relu_head = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.Dense(1, "relu")])
    with pytest.raises(ValueError, match=r"layer_or_model.layers\[1\] has activation='relu'"):
        from_keras(relu_head)
    with pytest.raises(ValueError, match=r"layer_or_model.layers\[1\] has activation='relu'"):
        to_keras(LSTMRegressor.init(3, 4, dtype=np.float32), relu_head)
    frozen = keras.Sequential(
        [keras.Input((5, 3)), keras.layers.LSTM(4, trainable=False), keras.layers.Dense(1)]
    )
    with pytest.raises(ValueError, match=r"layers\[0\] has trainable=False"):
        from_keras(frozen)
    bidirectional = keras.Sequential(
        [keras.Input((5, 3)), keras.layers.Bidirectional(keras.layers.LSTM(4, activation="relu"))]
    )
    with pytest.raises(ValueError, match=r"layers\[0\]\.(layer|backward_layer) has activation='relu'"):
        from_keras(bidirectional)
    with pytest.raises(ValueError, match="Keras has no layer for a PeepholeParams cell"):
        to_keras(VariantRegressor.init())


@pytest.mark.parametrize("return_sequences", [True, False])
def test_a_bidirectional_layer_with_different_halves_moves_to_keras_and_back(return_sequences: bool) -> None:
    model = bidirectional_model(return_sequences, "concat", np.float32)
    keras_model = to_keras(model)
    layer = keras_model.layers[0]
    assert (type(layer.forward_layer).__name__, type(layer.backward_layer).__name__) == ("LSTM", "GRU")
    x = RNG.normal(size=(2, 6, 3)).astype(np.float32)
    expected = keras_model.predict(x, verbose=0)
    assert np.abs(model.predict(x) - expected).max() <= KERAS_TOL
    back = from_keras(keras_model)
    assert isinstance(back, Sequential)
    assert back.layers[0].get_config() == model.layers[0].get_config()
    for a, b in zip(back.get_weights(), model.get_weights(), strict=True):
        assert np.array_equal(a, b)
