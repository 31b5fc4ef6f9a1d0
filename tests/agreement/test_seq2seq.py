"""The encoder-decoder (nn.seq2seq) against torch autograd (float64: logits, loss, every gradient)
and Keras' functional twin (float32: logits, loss).

The torch twin is written here, independently of the package: ``torch.nn.LSTMCell`` steps for
the encoder, kept or not with ``torch.where`` (Keras' mask: leading padding included), the
decoder's steps from the encoder's final state, attention with ``masked_fill(-inf)`` and
``torch.softmax``, and ``torch.nn.functional.cross_entropy(ignore_index=0)``, whose mean over
the non-ignored targets is the loss the package documents. The package's own PyTorch bridge
(``frameworks.torch_seq2seq``, ``pack_padded_sequence``) is checked against the model too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.seq2seq import EncoderDecoder

GRAD_TOL = 1e-10  # relative, float64, against torch autograd

# Pairs (0 = PAD, 1 = START, 2 = END): source lengths 3, 5, 1, 3 (the last padded on the left,
# which Keras' mask allows), targets 3, 5, 1, 2 (END included).
SOURCE = np.array([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10], [11, 0, 0, 0, 0], [0, 0, 5, 4, 3]])
RIGHT_PADDED = np.array([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10], [11, 0, 0, 0, 0], [5, 4, 3, 0, 0]])
TARGET = np.array([[3, 4, 2, 0, 0], [5, 6, 7, 8, 2], [2, 0, 0, 0, 0], [8, 2, 0, 0, 0]])
DECODER_INPUT = np.array([[1, 3, 4, 0, 0], [1, 5, 6, 7, 8], [1, 0, 0, 0, 0], [1, 8, 0, 0, 0]])


def lstm_cell(weights: list[np.ndarray]) -> torch.nn.LSTMCell:
    W, U, b = weights
    module = torch.nn.LSTMCell(W.shape[0], U.shape[0], dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih.copy_(torch.from_numpy(W.T.copy()))
        module.weight_hh.copy_(torch.from_numpy(U.T.copy()))
        module.bias_ih.copy_(torch.from_numpy(b))
        module.bias_hh.zero_()
    return module


def linear(kernel: np.ndarray, bias: np.ndarray) -> torch.nn.Linear:
    module = torch.nn.Linear(*kernel.shape, dtype=torch.float64)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(kernel.T.copy()))
        module.bias.copy_(torch.from_numpy(bias))
    return module


class TorchTwin(torch.nn.Module):  # type: ignore[misc]
    """The same model in torch, step by step: the encoder keeps its state at padded steps and
    repeats its last output (Keras' mask, written with torch.where), the decoder starts from the
    encoder's final state."""

    def __init__(self, model: EncoderDecoder) -> None:
        super().__init__()
        weights = model.get_weights()
        self.source = torch.nn.Parameter(torch.from_numpy(weights[0]))
        self.encoder = lstm_cell(weights[1:4])
        self.target = torch.nn.Parameter(torch.from_numpy(weights[4]))
        self.decoder = lstm_cell(weights[5:8])
        self.attentional = linear(*weights[8:10]) if model.attention else None
        self.output = linear(*weights[-2:])

    def forward(self, source: np.ndarray, decoder_input: np.ndarray) -> torch.Tensor:
        mask = torch.from_numpy(source != 0)
        x = self.source[torch.from_numpy(source)]
        h = c = out = torch.zeros(len(source), self.encoder.hidden_size, dtype=torch.float64)
        outputs = []
        for t in range(source.shape[1]):
            real = mask[:, t, None]
            h_new, c_new = self.encoder(x[:, t], (h, c))
            h, c, out = (
                torch.where(real, h_new, h),
                torch.where(real, c_new, c),
                torch.where(real, h_new, out),
            )
            outputs.append(out)
        encoded = torch.stack(outputs, dim=1)
        y = self.target[torch.from_numpy(decoder_input)]
        steps = []
        for t in range(decoder_input.shape[1]):
            h, c = self.decoder(y[:, t], (h, c))
            steps.append(h)
        s = torch.stack(steps, dim=1)
        if self.attentional is not None:
            scores = (s @ encoded.transpose(1, 2)).masked_fill(~mask[:, None, :], float("-inf"))
            context = torch.softmax(scores, dim=-1) @ encoded
            s = torch.tanh(self.attentional(torch.cat([context, s], dim=-1)))
        return self.output(s)

    def grads(self) -> list[np.ndarray]:
        """Every gradient in the EncoderDecoder's order."""
        grads: list[Any] = [self.source.grad]
        for cell in (self.encoder, self.decoder):
            grads += [cell.weight_ih.grad.T, cell.weight_hh.grad.T, cell.bias_ih.grad]
            if cell is self.encoder:
                grads.append(self.target.grad)
        for module in (self.attentional, self.output):
            if module is not None:
                grads += [module.weight.grad.T, module.bias.grad]
        return [g.numpy() for g in grads]


@pytest.mark.parametrize("attention", [False, True])
def test_logits_loss_and_every_gradient_match_torch_autograd(attention: bool) -> None:
    model = EncoderDecoder.init(12, 9, 5, 6, np.random.default_rng(1), dtype=np.float64, attention=attention)
    x = [SOURCE, DECODER_INPUT]
    logits = model.predict(x)
    loss, grads = model.loss_and_grads(x, TARGET)

    twin = TorchTwin(model)
    theirs = twin(SOURCE, DECODER_INPUT)
    their_loss = torch.nn.functional.cross_entropy(
        theirs.reshape(-1, theirs.shape[-1]), torch.from_numpy(TARGET.reshape(-1)), ignore_index=0
    )
    their_loss.backward()
    real = TARGET != 0
    assert rel_error(logits[real], theirs.detach().numpy()[real]) <= GRAD_TOL
    assert loss == pytest.approx(their_loss.item(), rel=GRAD_TOL)
    for label, mine, reference in zip(model.weight_labels(), grads.parameters(), twin.grads(), strict=True):
        assert mine.shape == reference.shape, label
        assert rel_error(mine, reference) <= GRAD_TOL, label


KERAS_TOL = 1e-5  # absolute, float32, on logits of size ~1
KERAS_LOSS_TOL = 1e-6  # relative: Keras' evaluate reports its loss in float32


@pytest.mark.parametrize("attention", [False, True])
def test_keras_twin_gives_the_same_logits_on_a_padded_batch(attention: bool) -> None:
    from lstm_tutorial.frameworks.keras_seq2seq import to_keras

    model = EncoderDecoder.init(12, 9, 5, 6, np.random.default_rng(2), attention=attention)
    x = [SOURCE, DECODER_INPUT]
    theirs = to_keras(model).predict(x, verbose=0)
    mine = model.predict(x)
    assert theirs.dtype == mine.dtype == np.float32
    real = DECODER_INPUT != 0  # Keras' query mask zeroes the context at padded decoder steps
    assert np.abs(mine[real] - theirs[real]).max() <= KERAS_TOL


@pytest.mark.parametrize("attention", [False, True])
def test_keras_twin_loss(attention: bool) -> None:
    """Keras normalises a masked loss as the package does, by the count of unmasked positions;
    its mask is the decoder input's, the package's the targets'. With the book's teacher-forcing
    inputs (tasks.vocab: padding wherever the target pads) the two masks are the same and so are
    the losses, on a padded batch. With the plain shift (END read where the target pads) Keras
    also scores those positions: its loss is then the package's masked loss with the decoder
    input's mask."""
    from lstm_tutorial.frameworks.keras_seq2seq import to_keras
    from lstm_tutorial.nn.masking import masked_sparse_categorical_crossentropy
    from lstm_tutorial.tasks.vocab import teacher_forcing_inputs

    model = EncoderDecoder.init(12, 9, 5, 6, np.random.default_rng(3), dtype=np.float64, attention=attention)
    twin = to_keras(model)
    x_book = [SOURCE, teacher_forcing_inputs(TARGET)]
    theirs = twin.evaluate(x_book, TARGET, batch_size=len(TARGET), verbose=0)
    assert theirs == pytest.approx(model.evaluate(x_book, TARGET), rel=KERAS_LOSS_TOL)

    shifted = np.concatenate([np.ones((4, 1), dtype=np.int64), TARGET[:, :-1]], axis=1)
    keras_mask = shifted != 0
    assert (keras_mask != (TARGET != 0)).sum() == 3  # three targets end before T
    theirs = twin.evaluate([SOURCE, shifted], TARGET, batch_size=len(TARGET), verbose=0)
    logits = model.predict([SOURCE, shifted])
    expected, _ = masked_sparse_categorical_crossentropy(logits, TARGET, keras_mask)
    assert theirs == pytest.approx(expected, rel=KERAS_LOSS_TOL)
    assert model.evaluate([SOURCE, shifted], TARGET) != pytest.approx(theirs, rel=1e-4)


@pytest.mark.parametrize("attention", [False, True])
def test_from_keras_reads_the_twin_back(attention: bool) -> None:
    from lstm_tutorial.frameworks.keras_seq2seq import from_keras, to_keras

    model = EncoderDecoder.init(12, 9, 5, 6, np.random.default_rng(4), attention=attention)
    back = from_keras(to_keras(model))
    assert back.weight_labels() == model.weight_labels()
    for mine, theirs in zip(model.parameters(), back.parameters(), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_from_keras_refuses_a_twin_without_mask_zero() -> None:
    from lstm_tutorial.frameworks.keras import keras
    from lstm_tutorial.frameworks.keras_seq2seq import build_keras_twin, from_keras

    twin = build_keras_twin(12, 9, 5, 6)
    config = twin.get_config()
    for layer in config["layers"]:
        if layer["name"] == "source_embedding":
            layer["config"]["mask_zero"] = False
    with pytest.raises(ValueError, match="'source_embedding' must have mask_zero=True, got False"):
        from_keras(keras.Model.from_config(config))


@pytest.mark.parametrize("attention", [False, True])
def test_the_torch_bridge_gives_the_same_logits_loss_and_gradients(attention: bool) -> None:
    """``to_torch``: pack_padded_sequence through torch.nn.LSTM, float64, right-padded sources."""
    from lstm_tutorial.frameworks.torch_seq2seq import from_torch, to_torch

    model = EncoderDecoder.init(12, 9, 5, 6, np.random.default_rng(5), dtype=np.float64, attention=attention)
    x = [RIGHT_PADDED, DECODER_INPUT]
    loss, grads = model.loss_and_grads(x, TARGET)
    module = to_torch(model)
    logits = module(torch.from_numpy(RIGHT_PADDED), torch.from_numpy(DECODER_INPUT))
    their_loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), torch.from_numpy(TARGET.reshape(-1)), ignore_index=0
    )
    their_loss.backward()
    real = TARGET != 0
    assert rel_error(model.predict(x)[real], logits.detach().numpy()[real]) <= GRAD_TOL
    assert loss == pytest.approx(their_loss.item(), rel=GRAD_TOL)
    theirs = from_torch(module)
    for mine, back in zip(model.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_array_equal(mine, back)
    their_grads = [module.source_embedding.weight.grad]
    for lstm, embedding in ((module.encoder, module.target_embedding), (module.decoder, None)):
        their_grads += [lstm.weight_ih_l0.grad.T, lstm.weight_hh_l0.grad.T, lstm.bias_ih_l0.grad]
        their_grads += [] if embedding is None else [embedding.weight.grad]
    for linear_module in (module.attentional, module.output):
        if linear_module is not None:
            their_grads += [linear_module.weight.grad.T, linear_module.bias.grad]
    for label, mine, reference in zip(model.weight_labels(), grads.parameters(), their_grads, strict=True):
        assert rel_error(mine, reference.numpy()) <= GRAD_TOL, label
    with pytest.raises(ValueError, match="padded on the right only"):
        module(torch.from_numpy(SOURCE), torch.from_numpy(DECODER_INPUT))
