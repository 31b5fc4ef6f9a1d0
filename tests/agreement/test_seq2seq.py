"""The encoder-decoder (nn.seq2seq) against torch autograd (float64: logits, loss, every gradient)
and Keras' functional twin (float32: logits, loss).

The torch twin is written here, independently of the package: ``pack_padded_sequence`` through
``torch.nn.LSTM`` for the encoder (right-padded sources), ``torch.nn.LSTM`` from the encoder's
final state for the decoder, attention with ``masked_fill(-inf)`` and ``torch.softmax``, and
``torch.nn.functional.cross_entropy(ignore_index=0)``, whose mean over the non-ignored targets
is the loss the package documents.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from lstm_tutorial.nn.gradcheck import rel_error
from lstm_tutorial.nn.seq2seq import EncoderDecoder

GRAD_TOL = 1e-10  # relative, float64, against torch autograd

# Right-padded pairs (0 = PAD, 1 = START, 2 = END): source lengths 3, 5, 1, 4; targets 3, 5, 1, 2.
SOURCE = np.array([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10], [11, 0, 0, 0, 0], [5, 5, 4, 3, 0]])
TARGET = np.array([[3, 4, 2, 0, 0], [5, 6, 7, 8, 2], [2, 0, 0, 0, 0], [8, 2, 0, 0, 0]])
DECODER_INPUT = np.array([[1, 3, 4, 0, 0], [1, 5, 6, 7, 8], [1, 0, 0, 0, 0], [1, 8, 0, 0, 0]])


def lstm_module(weights: list[np.ndarray]) -> torch.nn.LSTM:
    W, U, b = weights
    module = torch.nn.LSTM(W.shape[0], U.shape[0], batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(W.T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(U.T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(b))
        module.bias_hh_l0.zero_()
    return module


class TorchTwin(torch.nn.Module):  # type: ignore[misc]
    """The same model in torch, its weights copied from an EncoderDecoder."""

    def __init__(self, model: EncoderDecoder) -> None:
        super().__init__()
        weights = model.get_weights()
        self.source = torch.nn.Parameter(torch.from_numpy(weights[0]))
        self.encoder = lstm_module(weights[1:4])
        self.target = torch.nn.Parameter(torch.from_numpy(weights[4]))
        self.decoder = lstm_module(weights[5:8])
        self.attentional = None
        if model.attention:
            self.attentional = torch.nn.Linear(*weights[8].shape, dtype=torch.float64)
            with torch.no_grad():
                self.attentional.weight.copy_(torch.from_numpy(weights[8].T.copy()))
                self.attentional.bias.copy_(torch.from_numpy(weights[9]))
        self.output = torch.nn.Linear(*weights[-2].shape, dtype=torch.float64)
        with torch.no_grad():
            self.output.weight.copy_(torch.from_numpy(weights[-2].T.copy()))
            self.output.bias.copy_(torch.from_numpy(weights[-1]))

    def forward(self, source: np.ndarray, decoder_input: np.ndarray) -> torch.Tensor:
        lengths = torch.from_numpy((source != 0).sum(axis=1))
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            self.source[torch.from_numpy(source)], lengths, batch_first=True, enforce_sorted=False
        )
        encoded, state = self.encoder(packed)
        encoded, _ = torch.nn.utils.rnn.pad_packed_sequence(
            encoded, batch_first=True, total_length=source.shape[1]
        )
        s, _ = self.decoder(self.target[torch.from_numpy(decoder_input)], state)
        if self.attentional is not None:
            scores = s @ encoded.transpose(1, 2)
            scores = scores.masked_fill(torch.from_numpy(source == 0)[:, None, :], float("-inf"))
            context = torch.softmax(scores, dim=-1) @ encoded
            s = torch.tanh(self.attentional(torch.cat([context, s], dim=-1)))
        return self.output(s)

    def grads(self) -> list[np.ndarray]:
        """Every gradient in the EncoderDecoder's order."""
        grads: list[Any] = [self.source.grad]
        for lstm in (self.encoder, self.decoder):
            grads += [lstm.weight_ih_l0.grad.T, lstm.weight_hh_l0.grad.T, lstm.bias_ih_l0.grad]
            if lstm is self.encoder:
                grads.append(self.target.grad)
        for linear in (self.attentional, self.output):
            if linear is not None:
                grads += [linear.weight.grad.T, linear.bias.grad]
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
