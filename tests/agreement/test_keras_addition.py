"""Keras' addition model (keras-io ``addition_rnn``) against its NumPy twin.

The Keras model is the example's: LSTM(128) -> RepeatVector(4) -> LSTM(128, return_sequences=True)
-> Dense(12, activation="softmax"), compiled with categorical_crossentropy and Adam. Its weights
are moved to this package with ``from_keras`` (the softmax head becomes a Dense whose softmax the
loss applies). Checked against Keras itself: RepeatVector's output, the model's probabilities
(float32), the loss and every weight's gradient by torch autograd through the Keras model
(``keras_loss_and_grads``, float32) and through the same network written in torch (float64), and
40 Adam steps side by side (``lockstep_training``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial.frameworks.agree import keras_loss_and_grads, lockstep_training
from lstm_tutorial.frameworks.keras import from_keras, keras, to_keras
from lstm_tutorial.frameworks.torch import to_torch
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.losses import softmax
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.repeat import RepeatVector
from lstm_tutorial.tasks.addition import (
    addition_pairs,
    character_accuracy,
    decode,
    keras_answers,
    keras_queries,
    one_hot,
)


def keras_addition_model(seed: int, dtype: str = "float32", hidden: int = 128) -> Any:
    """The example's model, written as the example writes it (plus a seed and a dtype)."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((7, 12), dtype=dtype),
            keras.layers.LSTM(hidden, dtype=dtype),
            keras.layers.RepeatVector(4, dtype=dtype),
            keras.layers.LSTM(hidden, return_sequences=True, dtype=dtype),
            keras.layers.Dense(12, activation="softmax", dtype=dtype),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def addition_data(count: int, dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    a, b = addition_pairs(count, 3, seed=0)
    return one_hot(keras_queries(a, b), 7, dtype), one_hot(keras_answers(a, b), 4, dtype)


def test_repeat_vector_forward_equals_keras() -> None:
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    theirs = keras.ops.convert_to_numpy(keras.layers.RepeatVector(4)(x))
    ours, _ = RepeatVector(4).forward(x)
    np.testing.assert_array_equal(ours, theirs)


def test_from_keras_reads_the_example_and_to_keras_gives_it_back() -> None:
    model = keras_addition_model(seed=0, hidden=8)
    ours = from_keras(model)
    assert isinstance(ours, Sequential) and ours.loss == "categorical_crossentropy"
    assert [type(layer).__name__ for layer in ours.layers] == [
        "Recurrent",
        "RepeatVector",
        "Recurrent",
        "Dense",
    ]
    assert ours.layers[1].get_config() == {"n": 4}
    back = to_keras(ours)
    assert [type(layer).__name__ for layer in back.layers] == ["LSTM", "RepeatVector", "LSTM", "Dense"]
    assert back.layers[1].n == 4 and back.layers[3].get_config()["activation"] == "linear"  # logits
    for theirs, mine in zip(model.get_weights(), back.get_weights(), strict=True):
        np.testing.assert_array_equal(theirs, mine)
    # A softmax head needs a cross-entropy after it; a repeat count Keras' layer differs in is refused.
    model.compile(loss="mean_squared_error", optimizer="adam")
    with pytest.raises(ValueError, match="ends in Dense\\(activation='softmax'\\)"):
        from_keras(model)
    other = Sequential([ours.layers[0], RepeatVector(3), *ours.layers[2:]], loss=ours.loss)
    with pytest.raises(ValueError, match="layers\\[1\\] has n=4"):
        to_keras(other, to_keras(ours))


def test_probabilities_equal_keras_to_float32_rounding() -> None:
    model = keras_addition_model(seed=1)
    ours = from_keras(model)
    x, _ = addition_data(256)
    theirs = model.predict(x, batch_size=256, verbose=0)
    mine = softmax(ours.predict(x))
    assert mine.dtype == np.float32 and mine.shape == theirs.shape == (256, 4, 12)
    assert np.abs(mine - theirs).max() <= 1e-6  # probabilities near 1/12; float32's ulp there is 7e-9


def test_loss_and_every_gradient_equal_keras_autograd_in_float32() -> None:
    """Keras' own training loss and gradients (torch autograd through the Keras model) on a batch."""
    model = keras_addition_model(seed=2)
    ours = from_keras(model)
    x, y = addition_data(64)
    loss, grads = ours.loss_and_grads(x, y)
    their_loss, their_grads = keras_loss_and_grads(model, x, y)
    assert loss == pytest.approx(their_loss, rel=1e-6)
    labels = ours.weight_labels()
    assert len(their_grads) == len(labels) == 8
    for label, mine, theirs in zip(labels, grads.parameters(), their_grads, strict=True):
        assert rel_error(mine, theirs) < 1e-4, label  # float32 sums of 64 x 4 positions


def test_loss_and_every_gradient_equal_torch_autograd_in_float64() -> None:
    """The same network written in torch (torch.nn.LSTM twice, expand for RepeatVector, a matrix
    product, cross_entropy on one-hot targets) and differentiated by autograd, in float64. (Keras'
    float64 Dense on torch rounds its outputs by about 1e-6, measured with Keras 3.15.1, so Keras
    itself is the reference in float32 only.)"""
    ours = from_keras(keras_addition_model(seed=2, dtype="float64", hidden=32))
    assert ours.dtype == np.float64
    x, y = addition_data(64, np.float64)
    loss, grads = ours.loss_and_grads(x, y)

    encoder, decoder = to_torch(ours.layers[0].cell), to_torch(ours.layers[2].cell)
    encoder.double(), decoder.double()
    kernel = torch.tensor(ours.layers[3].W, requires_grad=True)
    bias = torch.tensor(ours.layers[3].b, requires_grad=True)
    encoded, _ = encoder(torch.from_numpy(x))
    repeated = encoded[:, -1:, :].expand(-1, 4, -1)
    decoded, _ = decoder(repeated)
    logits = decoded @ kernel + bias
    their_loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, 12), torch.from_numpy(y).reshape(-1, 12)
    )
    their_loss.backward()
    assert loss == pytest.approx(their_loss.item(), rel=1e-12)
    theirs = []
    for module in (encoder, decoder):
        theirs += [
            module.weight_ih_l0.grad.numpy().T,
            module.weight_hh_l0.grad.numpy().T,
            module.bias_ih_l0.grad.numpy(),
        ]
    theirs += [kernel.grad.numpy(), bias.grad.numpy()]
    for label, mine, their in zip(ours.weight_labels(), grads.parameters(), theirs, strict=True):
        assert rel_error(mine, their) < 1e-9, label


def test_forty_adam_steps_in_lockstep_with_keras() -> None:
    model = keras_addition_model(seed=3)
    ours = from_keras(model)
    start = ours.get_weights()
    x, y = addition_data(2000)

    run = lockstep_training(model, ours, x, y, steps=40, batch_size=32, seed=0)

    assert np.max(np.abs(run.numpy_losses - run.keras_losses) / run.keras_losses) <= 1e-5
    largest = 0.0
    for mine, theirs, before in zip(ours.get_weights(), model.get_weights(), start, strict=True):
        largest = max(largest, float(np.abs(mine - theirs).max()))
        assert np.abs(mine - before).max() > 1e-2  # 40 steps of 1e-3 really moved every weight
    assert largest <= 1e-5
    assert run.max_weight_diff[-1] == largest  # the recorded difference is the real one
    assert run.numpy_losses[-10:].mean() < run.numpy_losses[:10].mean() - 0.1  # it learns


def test_lockstep_refuses_a_twin_with_other_layers_or_loss() -> None:
    model = keras_addition_model(seed=4, hidden=8)
    ours = from_keras(model)
    x, y = addition_data(64)
    other = Sequential([ours.layers[0], RepeatVector(3), *ours.layers[2:]], loss=ours.loss)
    with pytest.raises(ValueError, match="keras_model must have numpy_model's layers"):
        lockstep_training(model, other, x, y, steps=1, batch_size=8)
    mse = Sequential(ours.copy().layers, loss="mse")
    with pytest.raises(
        ValueError, match="compiled with numpy_model's loss 'mse', got 'categorical_crossentropy'"
    ):
        lockstep_training(model, mse, x, y, steps=1, batch_size=8)


def test_from_keras_pairs_a_softmax_head_only_with_a_cross_entropy_on_probabilities() -> None:
    softmax_head = keras_addition_model(seed=5, hidden=4)
    softmax_head.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
    with pytest.raises(ValueError, match="folds into a cross-entropy on its probabilities"):
        from_keras(softmax_head)  # softmax, then a loss that applies softmax again
    assert from_keras(softmax_head, loss="categorical_crossentropy").loss == "categorical_crossentropy"
    with pytest.raises(ValueError, match="loss must be one of"):
        from_keras(softmax_head, loss="mse")

    keras.utils.set_random_seed(5)
    logits_head = keras.Sequential([keras.Input((7, 12)), *_logits_layers()])
    logits_head.compile(loss="categorical_crossentropy", optimizer="adam")
    with pytest.raises(ValueError, match="categorical_crossentropy on probabilities"):
        from_keras(logits_head)  # logits read as probabilities
    logits_head.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True), optimizer="adam")
    assert from_keras(logits_head).loss == "categorical_crossentropy"


def _logits_layers() -> list[Any]:
    return [
        keras.layers.LSTM(4),
        keras.layers.RepeatVector(4),
        keras.layers.LSTM(4, return_sequences=True),
        keras.layers.Dense(12),
    ]


def test_character_accuracy_is_keras_accuracy_metric() -> None:
    """The example's metrics=["accuracy"] with categorical_crossentropy: per position, averaged."""
    model = keras_addition_model(seed=6, hidden=16)
    x, y = addition_data(512)
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)  # away from uniform guesses
    _, keras_accuracy = model.evaluate(x, y, batch_size=512, verbose=0)
    ours = character_accuracy(decode(model.predict(x, verbose=0)), decode(y))
    assert ours == pytest.approx(keras_accuracy, abs=1e-6)
    assert 0.2 < ours < 0.9  # a value that tells per-character from whole-answer accuracy
