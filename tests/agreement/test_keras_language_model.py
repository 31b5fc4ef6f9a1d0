"""The character-level language model against the same model in Keras 3 (float32, torch backend):
the weights moved both ways with the loss and the statefulness, one step's gradients (torch autograd
through the Keras model), and a short stateful, clipped Adam run in lockstep with ``train_on_batch``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lstm_tutorial.frameworks.agree import keras_loss_and_grads
from lstm_tutorial.frameworks.keras import build_sine_model, from_keras, keras, to_keras
from lstm_tutorial.nn.embedding import Embedding
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.layers import Recurrent
from lstm_tutorial.nn.losses import log_softmax
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.optim import KerasTorchAdam, clip_by_global_norm
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.nn.train import fit
from lstm_tutorial.tasks.language import char_model
from lstm_tutorial.tasks.text import stream_batches

VOCAB, EMBED, HIDDEN = 11, 5, 8
FORWARD_TOL = 1e-5  # max abs, float32
GRAD_TOL = 1e-5  # relative (norms), float32


def logits_loss() -> Any:
    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def random_text(seed: int, length: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, VOCAB, size=length)


def test_from_keras_of_a_language_model_takes_its_loss() -> None:
    model = char_model(VOCAB, EMBED, HIDDEN, layers=2, stateful=False, seed=0)
    keras_model = to_keras(model)
    assert from_keras(keras_model).loss == "sparse_categorical_crossentropy"  # never compiled: its shape
    keras_model.compile(optimizer="adam", loss=logits_loss())
    back = from_keras(keras_model)
    assert isinstance(back, Sequential) and back.loss == "sparse_categorical_crossentropy"
    assert all(np.array_equal(a, b) for a, b in zip(back.get_weights(), model.get_weights(), strict=True))
    # Keras' string means from_logits=False: it would read the Dense layer's logits as probabilities.
    keras_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(
        ValueError, match=r"from_logits=False.*SparseCategoricalCrossentropy\(from_logits=True\)"
    ):
        from_keras(keras_model)
    assert (
        from_keras(keras_model, loss="sparse_categorical_crossentropy").loss
        == "sparse_categorical_crossentropy"
    )
    keras_model.compile(optimizer="adam", loss="mae")
    with pytest.raises(ValueError, match="compiled with the loss 'mae'"):
        from_keras(keras_model)
    with pytest.raises(ValueError, match="loss must be None or one of"):
        from_keras(keras_model, loss="mae")
    # The sine model keeps its mean squared error and its class.
    sine = from_keras(build_sine_model(seed=0))
    assert isinstance(sine, LSTMRegressor) and sine.loss == "mse"


def test_to_keras_of_a_stateful_model_builds_stateful_layers_with_a_fixed_batch() -> None:
    batch, steps = 3, 6
    model = char_model(VOCAB, EMBED, HIDDEN, layers=2, stateful=True, seed=1)
    with pytest.raises(ValueError, match=r"batch_size must be given.*layers \[1, 2\] are stateful"):
        to_keras(model)
    with pytest.raises(ValueError, match="batch_size must be None unless"):
        to_keras(char_model(VOCAB, EMBED, HIDDEN, stateful=False), batch_size=batch)
    keras_model = to_keras(model, batch_size=batch)
    assert [getattr(layer, "stateful", None) for layer in keras_model.layers] == [None, True, True, None]
    assert keras_model.input_shape == (batch, None)
    with pytest.raises(ValueError, match="same kinds, return_sequences and stateful"):
        to_keras(model, to_keras(char_model(VOCAB, EMBED, HIDDEN, stateful=False)))
    back = from_keras(keras_model)
    assert isinstance(back, Sequential)
    assert [layer.stateful for layer in back.layers if isinstance(layer, Recurrent)] == [True, True]

    inputs, _ = stream_batches(random_text(2, batch * steps * 3 + 1), batch, steps)
    ours = [log_softmax(model.predict(x)) for x in inputs]  # the state carried batch to batch
    theirs = [
        keras.ops.convert_to_numpy(keras.ops.log_softmax(keras_model.predict(x, batch_size=batch, verbose=0)))
        for x in inputs
    ]
    assert max(float(np.abs(a - b).max()) for a, b in zip(ours, theirs, strict=True)) <= FORWARD_TOL
    fresh = log_softmax(char_model(VOCAB, EMBED, HIDDEN, stateful=False, seed=1).predict(inputs[2]))
    assert np.abs(fresh - theirs[2]).max() > 100 * FORWARD_TOL  # Keras did carry its state
    model.reset_states()
    for layer in keras_model.layers[1:3]:
        layer.reset_state()  # Keras 3: per layer
    again = keras_model.predict(inputs[2], batch_size=batch, verbose=0)
    assert np.abs(log_softmax(model.predict(inputs[2])) - log_softmax(again)).max() <= FORWARD_TOL
    assert np.abs(log_softmax(again) - fresh).max() <= FORWARD_TOL


@pytest.mark.parametrize("stateful", [False, True], ids=["from zeros", "second batch, carried state"])
def test_one_steps_gradients_match_keras_autograd(stateful: bool) -> None:
    batch, steps = 4, 10
    model = char_model(VOCAB, EMBED, HIDDEN, layers=2, stateful=stateful, seed=3)
    rng = np.random.default_rng(4)
    model.layers[-1].weights()[1][:] = rng.normal(size=VOCAB)  # a bias that is not zero
    keras_model = to_keras(model, batch_size=batch if stateful else None)
    keras_model.compile(optimizer="adam", loss=logits_loss())
    inputs, targets = stream_batches(random_text(5, 2 * batch * steps + 1), batch, steps)
    if stateful:  # both read the first batch, then take the gradient on the second
        model.predict(inputs[0])
        keras_model.predict(inputs[0], batch_size=batch, verbose=0)
    x, y = inputs[-1], targets[-1]
    loss, grads = model.loss_and_grads(x, y)
    keras_loss, keras_grads = keras_loss_and_grads(keras_model, x, y)
    assert abs(loss - keras_loss) <= 1e-6 * abs(keras_loss)
    for label, ours, theirs in zip(model.weight_labels(), grads.parameters(), keras_grads, strict=True):
        assert ours.shape == theirs.shape, label
        assert rel_error(ours, theirs) <= GRAD_TOL, label
        assert np.abs(theirs).max() > 1e-6, label  # a real gradient, not zeros on both sides


def test_short_stateful_clipped_adam_run_matches_keras_train_on_batch() -> None:
    """fit (stateful streams, Adam, global-norm clipping) against train_on_batch, step by step."""
    batch, steps, n_steps, clip = 4, 8, 8, 0.05
    model = char_model(VOCAB, EMBED, HIDDEN, layers=2, stateful=True, seed=6)
    start = model.get_weights()
    learnable = np.tile(np.random.default_rng(7).permutation(VOCAB), batch * steps * n_steps // VOCAB + 1)
    inputs, targets = stream_batches(learnable, batch, steps)  # the next id is determined
    norms = [clip_by_global_norm(model.copy().loss_and_grads(inputs[0], targets[0])[1].parameters(), clip)[1]]
    assert norms[0] > clip  # the clipping acts on the first step at least

    def keras_twin(**clipping: float) -> Any:
        twin = to_keras(model, batch_size=batch)
        twin.compile(optimizer=keras.optimizers.Adam(0.01, **clipping), loss=logits_loss())
        return twin

    global_clip, per_variable_clip = keras_twin(global_clipnorm=clip), keras_twin(clipnorm=clip)
    keras_losses = []
    for x, y in zip(inputs, targets, strict=True):
        keras_losses.append(float(global_clip.train_on_batch(x, y)))
        per_variable_clip.train_on_batch(x, y)
    numpy_losses: list[float] = []
    fit(
        model,
        inputs.reshape(-1, steps),
        targets.reshape(-1, steps),
        batch_size=batch,
        shuffle=False,
        optimizer=KerasTorchAdam(0.01),
        clip_norm=clip,
        verbose=0,
        on_batch_end=lambda _step, loss: numpy_losses.append(loss),
    )
    relative = np.abs(np.array(numpy_losses) - keras_losses) / np.array(keras_losses)
    assert relative.max() <= 1e-5
    assert keras_losses[-1] < keras_losses[0]  # it learned something
    for ours, theirs in zip(model.get_weights(), global_clip.get_weights(), strict=True):
        assert np.abs(ours - theirs).max() <= 1e-5
    assert max(float(np.abs(a - b).max()) for a, b in zip(model.get_weights(), start, strict=True)) > 0.05
    # Keras' clipnorm clips every variable to the norm on its own: another, longer step.
    apart = max(
        float(np.abs(ours - theirs).max())
        for ours, theirs in zip(model.get_weights(), per_variable_clip.get_weights(), strict=True)
    )
    assert apart > 1e-3


def test_keras_loss_and_grads_refuses_an_uncompiled_model() -> None:
    keras_model = to_keras(char_model(VOCAB, EMBED, HIDDEN, stateful=False))
    x = np.zeros((2, 3), dtype=np.int64)
    with pytest.raises(ValueError, match="keras_model must be compiled"):
        keras_loss_and_grads(keras_model, x, x)
    with pytest.raises(TypeError, match=r"keras_model must be a keras\.Model, got Embedding"):
        keras_loss_and_grads(Embedding(np.ones((2, 2), dtype=np.float32)), x, x)
