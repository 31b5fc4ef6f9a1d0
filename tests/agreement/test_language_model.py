"""The character-level language model's pieces, each against the real thing: an Embedding,
a stacked LSTM with softmax cross-entropy at every step, against torch autograd (float64) and
Keras (float32).

The torch references are built here by hand from the documented weight mapping
(weight_ih = W.T, weight_hh = U.T, bias_ih = b, bias_hh = 0; nn.Linear's weight = kernel.T).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lstm_tutorial.nn.embedding import Embedding
from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.layers import Dense, Recurrent
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.nn.optim import SGD, Adam, clip_by_global_norm
from lstm_tutorial.nn.train import fit

GRAD_TOL = 1e-9  # relative, float64, against torch autograd
KERAS_TOL = 1e-5  # absolute, float32, against Keras


def char_model(
    vocab: int, embed: int, hidden: int, dtype: Any, seed: int = 0, stateful: bool = False
) -> Sequential:
    """Embedding -> LSTM(return_sequences) x 2 -> Dense(V), with random (not default) weights."""
    rng = np.random.default_rng(seed)

    def lstm(inputs: int) -> LSTMParams:
        return LSTMParams(
            rng.normal(scale=0.4, size=(inputs, 4 * hidden)).astype(dtype),
            rng.normal(scale=0.4, size=(hidden, 4 * hidden)).astype(dtype),
            rng.normal(scale=0.5, size=4 * hidden).astype(dtype),
        )

    layers: list[Any] = [
        Embedding(rng.normal(size=(vocab, embed)).astype(dtype)),
        Recurrent(lstm(embed), return_sequences=True, stateful=stateful),
        Recurrent(lstm(hidden), return_sequences=True, stateful=stateful),
        Dense(
            rng.normal(scale=0.5, size=(hidden, vocab)).astype(dtype), rng.normal(size=vocab).astype(dtype)
        ),
    ]
    return Sequential(layers, loss="sparse_categorical_crossentropy")


class TorchCharModel(torch.nn.Module):
    """The same model in torch: nn.Embedding, nn.LSTM(num_layers=2), nn.Linear, float64."""

    def __init__(self, model: Sequential) -> None:
        super().__init__()
        emb, first, second, dense = model.layers
        assert isinstance(emb, Embedding) and isinstance(first, Recurrent) and isinstance(second, Recurrent)
        assert isinstance(dense, Dense)
        vocab, embed = emb.W.shape
        hidden = first.cell.hidden_size
        self.embedding = torch.nn.Embedding(vocab, embed, dtype=torch.float64)
        self.lstm = torch.nn.LSTM(embed, hidden, num_layers=2, batch_first=True, dtype=torch.float64)
        self.linear = torch.nn.Linear(hidden, vocab, dtype=torch.float64)
        with torch.no_grad():
            self.embedding.weight.copy_(torch.from_numpy(emb.W))
            for k, layer in enumerate((first, second)):
                W, U, b = layer.cell.weights()
                getattr(self.lstm, f"weight_ih_l{k}").copy_(torch.from_numpy(W.T.copy()))
                getattr(self.lstm, f"weight_hh_l{k}").copy_(torch.from_numpy(U.T.copy()))
                getattr(self.lstm, f"bias_ih_l{k}").copy_(torch.from_numpy(b))
                getattr(self.lstm, f"bias_hh_l{k}").zero_()
            self.linear.weight.copy_(torch.from_numpy(dense.W.T.copy()))
            self.linear.bias.copy_(torch.from_numpy(dense.b))

    def forward(self, ids: torch.Tensor, state: Any = None) -> tuple[torch.Tensor, Any]:
        hs, state = self.lstm(self.embedding(ids), state)
        return self.linear(hs), state

    def grads_in_keras_order(self) -> list[np.ndarray]:
        """The gradients laid out as the NumPy model's weights."""
        grads = [self.embedding.weight.grad.numpy()]
        for k in range(2):
            bias_ih = getattr(self.lstm, f"bias_ih_l{k}").grad
            bias_hh = getattr(self.lstm, f"bias_hh_l{k}").grad
            assert rel_error(bias_ih.numpy(), bias_hh.numpy()) <= GRAD_TOL  # both are b: one gradient
            grads += [
                getattr(self.lstm, f"weight_ih_l{k}").grad.numpy().T,
                getattr(self.lstm, f"weight_hh_l{k}").grad.numpy().T,
                bias_ih.numpy(),
            ]
        return [*grads, self.linear.weight.grad.numpy().T, self.linear.bias.grad.numpy()]


def torch_loss(logits: torch.Tensor, y: np.ndarray) -> torch.Tensor:
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.from_numpy(y).reshape(-1))


# --- the Embedding layer ------------------------------------------------------------------


def test_embedding_forward_and_backward_match_torch_with_repeated_ids() -> None:
    rng = np.random.default_rng(1)
    layer = Embedding(rng.normal(size=(6, 3)))
    ids = np.array([[0, 2, 2, 5], [2, 0, 1, 2]])  # id 2 four times: its gradients must add up
    dy = rng.normal(size=(2, 4, 3))
    y, cache = layer.forward(ids)
    dx, (dW,) = layer.backward(dy, cache)
    reference = torch.nn.Embedding(6, 3, dtype=torch.float64)
    with torch.no_grad():
        reference.weight.copy_(torch.from_numpy(layer.W))
    out = reference(torch.from_numpy(ids))
    (out * torch.from_numpy(dy)).sum().backward()
    assert np.array_equal(y, out.detach().numpy())
    assert rel_error(dW, reference.weight.grad.numpy()) <= GRAD_TOL
    assert not dW[3].any() and not dW[4].any()  # ids never read get no gradient
    assert dx.shape == (2, 4, 0)


def test_embedding_refuses_float_ids_and_ids_out_of_range() -> None:
    model = char_model(5, 2, 3, np.float64)
    with pytest.raises(TypeError, match=r"x must be a NumPy array of integer ids \(B, T\).*float64"):
        model.predict(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"x must hold ids in \[0, 5\), got ids from 0 to 5"):
        model.predict(np.array([[0, 5]]))
    with pytest.raises(ValueError, match=r"x must have shape \(B, T\)"):
        model.predict(np.zeros((2, 4, 1), dtype=np.int64))
    with pytest.raises(TypeError, match="y must be a NumPy array of integer ids"):
        model.loss_and_grads(np.zeros((2, 4), dtype=np.int64), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"y must hold ids in \[0, 5\)"):
        model.loss_and_grads(np.zeros((2, 4), dtype=np.int64), np.full((2, 4), 7))
    with pytest.raises(ValueError, match=r"y must have shape \(N, T\) = \(2, 4\)"):
        model.loss_and_grads(np.zeros((2, 4), dtype=np.int64), np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(TypeError, match="layers\\[1\\] must be a Recurrent, Bidirectional or Dense"):
        Sequential([model.layers[0], Embedding(np.ones((2, 2)))])


# --- softmax cross-entropy at every step, the whole stacked model -------------------------------


@pytest.mark.parametrize(("batch", "steps"), [(1, 1), (3, 7), (4, 12)])
def test_stacked_char_model_loss_and_every_gradient_match_torch(batch: int, steps: int) -> None:
    vocab, embed, hidden = 11, 4, 5
    model = char_model(vocab, embed, hidden, np.float64, seed=batch)
    rng = np.random.default_rng(steps)
    x = rng.integers(0, vocab, size=(batch, steps))
    y = rng.integers(0, vocab, size=(batch, steps))
    loss, grads = model.loss_and_grads(x, y)

    reference = TorchCharModel(model)
    logits, _ = reference(torch.from_numpy(x))
    torch_value = torch_loss(logits, y)
    torch_value.backward()
    assert abs(loss - torch_value.item()) <= GRAD_TOL * abs(torch_value.item())
    assert rel_error(model.predict(x), logits.detach().numpy()) <= GRAD_TOL
    for label, mine, theirs in zip(
        model.weight_labels(), grads.parameters(), reference.grads_in_keras_order(), strict=True
    ):
        assert mine.shape == theirs.shape, label
        assert rel_error(mine, theirs) <= GRAD_TOL, label


def test_stacked_char_model_log_probabilities_match_keras_float32() -> None:
    from lstm_tutorial.frameworks.keras import from_keras, to_keras
    from lstm_tutorial.nn.losses import log_softmax

    vocab = 13
    model = char_model(vocab, 6, 8, np.float32, seed=3)
    keras_model = to_keras(model)
    assert [type(layer).__name__ for layer in keras_model.layers] == ["Embedding", "LSTM", "LSTM", "Dense"]
    x = np.random.default_rng(4).integers(0, vocab, size=(5, 20))
    keras_logits = np.asarray(keras_model.predict(x, verbose=0))
    ours = log_softmax(model.predict(x))
    theirs = keras_logits - np.log(np.exp(keras_logits).sum(axis=-1, keepdims=True))
    assert ours.dtype == np.float32
    assert np.abs(ours - theirs).max() <= KERAS_TOL
    back = from_keras(keras_model)
    assert isinstance(back, Sequential) and isinstance(back.layers[0], Embedding)
    assert all(np.array_equal(a, b) for a, b in zip(back.get_weights(), model.get_weights(), strict=True))


def test_fit_trains_the_char_model_on_a_repeating_text() -> None:
    text = np.tile(np.arange(5), 40)  # 0 1 2 3 4 0 1 ...: the next id is fully determined
    x = np.stack([text[15 * r : 15 * r + 14] for r in range(13)])
    y = np.stack([text[15 * r + 1 : 15 * r + 15] for r in range(13)])
    model = char_model(5, 3, 8, np.float32)
    history = fit(model, x, y, epochs=60, batch_size=13, verbose=0, optimizer=Adam(0.03), clip_norm=5.0)
    assert history.loss[0] > 1.0
    assert history.loss[-1] < 0.1 * history.loss[0]


def test_char_model_saves_and_loads(tmp_path: Any) -> None:
    from lstm_tutorial.nn.saving import load_params, save_params

    model = char_model(7, 3, 4, np.float32, stateful=True)
    loaded = load_params(save_params(tmp_path / "char", model))
    assert isinstance(loaded, Sequential) and loaded.loss == "sparse_categorical_crossentropy"
    assert isinstance(loaded.layers[0], Embedding)
    assert [layer.stateful for layer in loaded.layers[1:3]] == [True, True]  # type: ignore[attr-defined]
    assert all(np.array_equal(a, b) for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True))


# --- truncated BPTT with the state carried from batch to batch ---------------------------------


def two_batches(vocab: int, batch: int, steps: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [
        (rng.integers(0, vocab, size=(batch, steps)), rng.integers(0, vocab, size=(batch, steps)))
        for _ in range(2)
    ]


def test_stateful_batches_match_torch_carrying_a_detached_state() -> None:
    vocab = 9
    model = char_model(vocab, 3, 6, np.float64, seed=5, stateful=True)
    batches = two_batches(vocab, 4, 8, seed=6)
    ours = [model.loss_and_grads(x, y) for x, y in batches]

    reference = TorchCharModel(model)
    state = None
    for (x, y), (loss, grads) in zip(batches, ours, strict=True):
        reference.zero_grad()
        logits, state = reference(torch.from_numpy(x), state)
        value = torch_loss(logits, y)
        value.backward()
        state = tuple(s.detach() for s in state)  # carried, but no gradient crosses the boundary
        assert abs(loss - value.item()) <= GRAD_TOL * abs(value.item())
        for label, mine, theirs in zip(
            model.weight_labels(), grads.parameters(), reference.grads_in_keras_order(), strict=True
        ):
            assert rel_error(mine, theirs) <= GRAD_TOL, label
        # torch's global norm counts each LSTM bias gradient twice (bias_ih and bias_hh both hold it),
        # the package's (and Keras') once: the same clip_norm clips torch's step harder.
        torch_norm = float(torch.nn.utils.clip_grad_norm_(reference.parameters(), float("inf")))
        _, our_norm = clip_by_global_norm(grads.parameters(), 1e300)
        bias_squares = sum(float(np.sum(layer.weights()[2] ** 2)) for layer in grads.layers[1:3])
        assert abs(torch_norm**2 - (our_norm**2 + bias_squares)) <= 1e-9 * torch_norm**2
    # The carried state matters: from zeros the second batch's loss is another number.
    fresh = char_model(vocab, 3, 6, np.float64, seed=5, stateful=False)
    assert abs(fresh.loss_and_grads(*batches[1])[0] - ours[1][0]) > 1e-4
    model.reset_states()
    assert model.loss_and_grads(*batches[1])[0] == fresh.loss_and_grads(*batches[1])[0]


def test_stateful_forward_matches_keras_stateful_lstm_on_consecutive_batches() -> None:
    from lstm_tutorial.frameworks.keras import keras

    vocab, batch, steps, embed, hidden = 10, 3, 12, 4, 7
    model = char_model(vocab, embed, hidden, np.float32, seed=8, stateful=True)
    keras_model = keras.Sequential(
        [
            keras.Input(batch_shape=(batch, steps), dtype="int32"),
            keras.layers.Embedding(vocab, embed),
            keras.layers.LSTM(hidden, return_sequences=True, stateful=True),
            keras.layers.LSTM(hidden, return_sequences=True, stateful=True),
            keras.layers.Dense(vocab),
        ]
    )
    keras_model.set_weights(model.get_weights())
    differences = []
    for x, _ in two_batches(vocab, batch, steps, seed=9):
        theirs = np.asarray(keras_model.predict(x, batch_size=batch, verbose=0))
        differences.append(float(np.abs(model.predict(x) - theirs).max()))
    assert max(differences) <= KERAS_TOL
    model.reset_states()
    for layer in keras_model.layers[1:3]:
        layer.reset_state()
    x = two_batches(vocab, batch, steps, seed=10)[0][0]
    theirs = np.asarray(keras_model.predict(x, batch_size=batch, verbose=0))
    assert np.abs(model.predict(x) - theirs).max() <= KERAS_TOL


def test_stateful_layer_refuses_another_batch_size_and_fit_refuses_shuffling() -> None:
    model = char_model(5, 2, 3, np.float32, stateful=True)
    model.predict(np.zeros((4, 3), dtype=np.int64))
    with pytest.raises(
        ValueError, match="batch of 2 sequences but this stateful layer carries the state of 4"
    ):
        model.predict(np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="shuffle must be False for a model with stateful layers"):
        fit(model, np.zeros((4, 3), dtype=np.int64), np.zeros((4, 3), dtype=np.int64), verbose=0)


# --- sampling --------------------------------------------------------------------------------


def greedy_by_rereading(model: Sequential, prime: np.ndarray, length: int) -> list[int]:
    """Greedy decoding that reruns the whole text from zeros at every step (no carried state)."""
    text = list(prime)
    for _ in range(length):
        text.append(int(np.argmax(model.predict(np.array([text]))[0, -1])))
    return text[len(prime) :]


def test_sampling_at_a_tiny_temperature_is_greedy_decoding() -> None:
    from lstm_tutorial.tasks.sampling import sample

    model = char_model(8, 3, 6, np.float64, seed=11, stateful=False)
    prime = np.array([1, 4, 2])
    expected = greedy_by_rereading(model, prime, 15)
    assert sample(model, prime, 15, temperature=1e-3, seed=0).tolist() == expected
    assert sample(model, prime, 15, temperature=1e-3, seed=1).tolist() == expected
    assert sample(model, prime, 15, temperature=1.0, seed=0).tolist() != expected  # not always greedy


def test_sampling_is_reproducible_and_leaves_the_model_alone() -> None:
    from lstm_tutorial.tasks.sampling import sample

    model = char_model(8, 3, 6, np.float32, seed=12, stateful=True)
    before = model.get_weights()
    first = sample(model, np.array([0]), 40, temperature=1.0, seed=3)
    assert np.array_equal(first, sample(model, np.array([0]), 40, temperature=1.0, seed=3))
    assert not np.array_equal(first, sample(model, np.array([0]), 40, temperature=1.0, seed=4))
    assert first.shape == (40,) and first.min() >= 0 and first.max() < 8
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    assert all(layer.state is None for layer in model.layers[1:3])  # type: ignore[attr-defined]


@pytest.mark.parametrize("temperature", [1.0, 0.6])
def test_sampled_frequencies_match_the_models_softmax(temperature: float) -> None:
    from lstm_tutorial.tasks.sampling import sample_streams

    model = char_model(8, 3, 6, np.float64, seed=13, stateful=False)
    prime = np.array([2, 5, 1, 1])
    draws = sample_streams(model, prime, 1, temperature=temperature, seed=5, streams=20_000)[:, 0]
    frequencies = np.bincount(draws, minlength=8) / draws.size
    logits = model.predict(prime[None])[0, -1] / temperature
    softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()  # computed here
    assert softmax.max() < 0.9  # a distribution worth sampling, not a near-certainty
    assert np.abs(frequencies - softmax).max() < 0.02


@pytest.mark.parametrize(
    ("temperature", "error"),
    [
        (0.0, ValueError),
        (-1.0, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("1", TypeError),
    ],
)
def test_sampling_refuses_a_temperature_that_is_not_positive_and_finite(
    temperature: Any, error: type
) -> None:
    from lstm_tutorial.tasks.sampling import sample

    model = char_model(8, 3, 6, np.float32, seed=14)
    with pytest.raises(error, match="temperature must be a positive finite number"):
        sample(model, np.array([0]), 5, temperature=temperature)
    with pytest.raises(ValueError, match=r"prime_ids must hold ids in \[0, 8\)"):
        sample(model, np.array([9]), 5)


def test_fit_on_streams_is_the_loop_that_carries_the_state_batch_to_batch() -> None:
    from lstm_tutorial.tasks.text import stream_batches

    text = np.random.default_rng(15).integers(0, 6, size=3 * 5 * 4 + 1)
    inputs, targets = stream_batches(text, batch_size=3, seq_len=5)  # 4 batches of 3 streams
    x, y = inputs.reshape(-1, 5), targets.reshape(-1, 5)  # fit's (N, T): batch k is rows 3k .. 3k + 2
    model = char_model(6, 3, 4, np.float64, seed=16, stateful=True)
    by_hand = model.copy()
    fit(model, x, y, epochs=2, batch_size=3, shuffle=False, optimizer=SGD(0.5), verbose=0)
    optimizer = SGD(0.5)
    for _ in range(2):
        by_hand.reset_states()
        for k in range(4):
            _, grads = by_hand.loss_and_grads(x[3 * k : 3 * k + 3], y[3 * k : 3 * k + 3])
            optimizer.step(by_hand.parameters(), grads.parameters())
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), by_hand.get_weights(), strict=True))
    fresh = char_model(6, 3, 4, np.float64, seed=16, stateful=False)
    fit(fresh, x, y, epochs=2, batch_size=3, shuffle=False, optimizer=SGD(0.5), verbose=0)
    assert not np.array_equal(fresh.get_weights()[1], model.get_weights()[1])  # the state made a difference


def test_one_clipped_training_step_matches_keras_float32() -> None:
    """fit's step (loss, gradients, clipping by global norm, SGD) against Keras' train_on_batch."""
    from lstm_tutorial.frameworks.keras import keras, to_keras

    vocab, batch, steps = 12, 4, 10
    model = char_model(vocab, 5, 6, np.float32, seed=17)
    rng = np.random.default_rng(18)
    x, y = rng.integers(0, vocab, size=(batch, steps)), rng.integers(0, vocab, size=(batch, steps))
    _, grads = model.loss_and_grads(x, y)
    _, norm = clip_by_global_norm(grads.parameters(), 0.1)
    assert norm > 0.2  # the clipping is active: it halves the step or more

    keras_model = to_keras(model)
    keras_model.compile(
        optimizer=keras.optimizers.SGD(0.1, global_clipnorm=0.1),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    keras_loss = float(keras_model.train_on_batch(x.astype(np.int32), y))
    history = fit(model, x, y, batch_size=batch, shuffle=False, optimizer=SGD(0.1), clip_norm=0.1, verbose=0)
    assert abs(history.loss[0] - keras_loss) <= 1e-5
    for label, mine, theirs in zip(
        model.weight_labels(), model.get_weights(), keras_model.get_weights(), strict=True
    ):
        assert np.abs(mine - theirs).max() <= 1e-6, label


def test_heldout_bits_per_char_reads_each_stream_as_one_long_sequence() -> None:
    """Stateful chunks of T characters score each stream as one whole pass over it would."""
    from lstm_tutorial.tasks.language import char_model as default_char_model
    from lstm_tutorial.tasks.language import heldout_bits_per_char

    rng = np.random.default_rng(3)
    ids = rng.integers(0, 7, size=2 * 3 * 5 + 4)
    model = default_char_model(7, embed=4, hidden=6, layers=2, stateful=False, seed=2, dtype=np.float64)
    bpc = heldout_bits_per_char(model, ids, batch_size=2, seq_len=5)
    # By hand: two streams of 15 ids (the last 3 ids unused), each read in one forward pass.
    streams = ids[:30].reshape(2, 15)
    nexts = ids[1:31].reshape(2, 15)
    logits = torch.tensor(model.predict(streams))
    nats = F.cross_entropy(logits.reshape(-1, 7), torch.tensor(nexts).reshape(-1)).item()
    assert bpc == pytest.approx(nats / np.log(2.0), rel=1e-12)
    assert not any(layer.stateful for layer in model.layers if isinstance(layer, Recurrent))


def test_train_char_model_is_fit_over_the_streams_with_a_reset_at_every_pass() -> None:
    """Three steps on two batches: pass 1 (batches 0, 1, state carried), pass 2 from zeros (batch 0)."""
    from lstm_tutorial.tasks.language import char_model as default_char_model
    from lstm_tutorial.tasks.language_training import train_char_model
    from lstm_tutorial.tasks.text import stream_batches

    rng = np.random.default_rng(4)
    ids = rng.integers(0, 5, size=2 * 2 * 4 + 1)
    model = default_char_model(5, embed=3, hidden=4, layers=1, seed=1, dtype=np.float64)
    twin = model.copy()
    curve = train_char_model(model, ids, 3, heldout_ids=ids, batch_size=2, seq_len=4, eval_every=2)
    inputs, targets = stream_batches(ids, 2, 4)
    optimizer = Adam(learning_rate=3e-3)
    losses = []
    for order in ([0, 1], [0]):
        twin.reset_states()
        for k in order:
            loss, grads = twin.loss_and_grads(inputs[k], targets[k])
            clipped, _ = clip_by_global_norm(grads.parameters(), 5.0)
            optimizer.step(twin.parameters(), clipped)
            losses.append(loss)
    for a, b in zip(model.get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    assert list(curve.steps) == [2, 3] and list(curve.characters) == [16, 24]
    np.testing.assert_allclose(curve.train_bpc, [np.mean(losses[:2]) / np.log(2), losses[2] / np.log(2)])
    assert np.all(np.diff(curve.seconds) >= 0) and np.all(np.isfinite(curve.heldout_bpc))


@pytest.mark.parametrize("limit", [None, 0])  # the one-hot product, and np.add.at beyond the limit
def test_embedding_backward_sums_repeated_ids_as_a_loop_does(limit: int | None, monkeypatch: Any) -> None:
    from lstm_tutorial.nn import embedding

    if limit is not None:
        monkeypatch.setattr(embedding, "ONE_HOT_LIMIT", limit)
    rng = np.random.default_rng(3)
    ids = rng.integers(0, 5, size=(3, 7))  # 21 ids over 5 rows: every row repeated
    dy = rng.normal(size=(3, 7, 4))
    layer = embedding.Embedding(rng.normal(size=(5, 4)))
    _, (dW,) = layer.backward(dy, ids)
    expected = np.zeros((5, 4))
    for b in range(3):
        for t in range(7):
            expected[ids[b, t]] += dy[b, t]
    assert np.abs(dW - expected).max() <= 1e-14


def test_log_probs_chunked_equal_one_pass_and_torch_cross_entropy() -> None:
    """language.log_probs reads the text as one stream: chunks of 4 give what one pass over all gives."""
    from lstm_tutorial.tasks.language import char_model as default_char_model
    from lstm_tutorial.tasks.language import log_probs

    rng = np.random.default_rng(8)
    ids = rng.integers(0, 6, size=23)
    model = default_char_model(6, embed=3, hidden=5, layers=2, stateful=False, seed=4, dtype=np.float64)
    ours = log_probs(model, ids, chunk=4)
    logits = torch.tensor(model.predict(ids[None, :-1])[0])
    expected = -F.cross_entropy(logits, torch.tensor(ids[1:]), reduction="none").numpy()
    assert ours.shape == (22,)
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="ids"):
        log_probs(model, ids[:1])
