"""The encoder-decoder's PyTorch twin: ``nn.seq2seq.EncoderDecoder`` as a ``torch.nn.Module``, both ways.

PyTorch has no mask on its recurrent modules; it packs padded batches instead. The twin runs::

    encoded, (h, c) = LSTM(pack_padded_sequence(source_embedding(source), lengths))
    s, _ = LSTM(target_embedding(decoder_input), (h, c))
    with attention:  scores = s encoded^T, masked_fill(padding, -inf), softmax, context = weights encoded
                     s = tanh(attentional([context; s]))
    logits = output(s)

``pack_padded_sequence`` stops each source at its length, as Keras' mask does for sources
padded on the right (the twin refuses other sources: a padded step before a real one has no
packed equivalent). ``pad_packed_sequence`` puts zeros after each source's end where Keras
repeats the last output; attention gives those steps no weight either way, so the logits are
the same. Every module is batch-first: (N, S) and (N, T) ids in, (N, T, V) logits out (PyTorch's
default layout is time-major, (T, N, ...); ``batch_first=True`` is set on both LSTMs).
``torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1), ignore_index=0)`` is
the package's loss. The LSTMs' weights go across as ``frameworks.torch`` moves a cell's
(transposed, all of b in ``bias_ih``). PyTorch is imported only when a function here runs.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.embedding import Embedding
from ..nn.layers import Dense
from ..nn.lstm import LSTMParams
from ..nn.seq2seq import EncoderDecoder
from . import _imports
from .torch import _cell_from_module, _cell_module, _torch_dtype

__all__ = ["from_torch", "to_torch"]


def _linear(torch: Any, layer: Dense) -> Any:
    """A ``torch.nn.Linear`` holding a Dense layer's kernel (transposed) and bias."""
    module = torch.nn.Linear(*layer.W.shape, dtype=_torch_dtype(layer.dtype))
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.W.T)))
        module.bias.copy_(torch.from_numpy(layer.b))
    return module


def _embedding(torch: Any, layer: Embedding) -> Any:
    """A ``torch.nn.Embedding`` holding the table (no ``padding_idx``: row 0 trains, as in Keras)."""
    return torch.nn.Embedding.from_pretrained(torch.from_numpy(layer.W.copy()), freeze=False)


@functools.cache
def _module_class() -> type:
    """``TorchEncoderDecoder``, defined once torch is imported."""
    torch = _imports.torch("frameworks.torch_seq2seq.to_torch")

    class TorchEncoderDecoder(torch.nn.Module):  # type: ignore[misc, name-defined]
        """An ``EncoderDecoder`` in PyTorch (the module docstring draws it).

        Attributes:
            source_embedding, target_embedding: ``torch.nn.Embedding``.
            encoder, decoder: one-layer batch-first ``torch.nn.LSTM``.
            attentional: ``torch.nn.Linear(2H, H)``, or None without attention.
            output: ``torch.nn.Linear(H, V)``.
        """

        def __init__(self, model: EncoderDecoder) -> None:
            super().__init__()
            self.source_embedding = _embedding(torch, model.source_embedding)
            self.encoder = _cell_module(model.encoder, batch_first=True)
            self.target_embedding = _embedding(torch, model.target_embedding)
            self.decoder = _cell_module(model.decoder, batch_first=True)
            self.attentional = None if model.attentional is None else _linear(torch, model.attentional)
            self.output = _linear(torch, model.output)

        def forward(self, source: Any, decoder_input: Any) -> Any:
            """(N, S) and (N, T) int64 id tensors, sources padded on the right -> (N, T, V) logits."""
            padding = source == 0
            lengths = (~padding).sum(dim=1)
            if bool((lengths == 0).any()) or bool((padding[:, :-1] & ~padding[:, 1:]).any()):
                raise ValueError(
                    "source must hold at least one real id per row, padded on the right only: "
                    "pack_padded_sequence has no padded step before a real one"
                )
            packed = torch.nn.utils.rnn.pack_padded_sequence(
                self.source_embedding(source), lengths, batch_first=True, enforce_sorted=False
            )
            encoded, state = self.encoder(packed)
            encoded, _ = torch.nn.utils.rnn.pad_packed_sequence(
                encoded, batch_first=True, total_length=source.shape[1]
            )
            s, _ = self.decoder(self.target_embedding(decoder_input), state)
            if self.attentional is not None:
                scores = (s @ encoded.transpose(1, 2)).masked_fill(padding[:, None, :], float("-inf"))
                context = torch.softmax(scores, dim=-1) @ encoded
                s = torch.tanh(self.attentional(torch.cat([context, s], dim=-1)))
            return self.output(s)

    return TorchEncoderDecoder


def to_torch(model: EncoderDecoder) -> Any:
    """A new PyTorch module (CPU, the model's dtype) holding a copy of ``model``'s weights.

    Args:
        model: an ``nn.seq2seq.EncoderDecoder``.

    Returns:
        A ``TorchEncoderDecoder``: ``module(source, decoder_input)`` with int64 id tensors
        (``torch.from_numpy(ids)``) gives the (N, T, V) logits ``model.predict`` gives.
    """
    _checks.instance("model", model, EncoderDecoder)
    return _module_class()(model)


def from_torch(module: Any) -> EncoderDecoder:
    """The ``EncoderDecoder`` holding a ``to_torch`` module's weights (copies), trained or not.

    Args:
        module: a module ``to_torch`` built; its LSTMs' two biases are added (``b = bias_ih +
            bias_hh``), so a module trained in PyTorch comes back whole.
    """
    if not isinstance(module, _module_class()):
        raise TypeError(f"module must be a module to_torch built, got {_checks.describe(module)}")
    twin: Any = module

    def numpy(tensor: Any) -> np.ndarray:
        return np.ascontiguousarray(tensor.detach().cpu().numpy())

    def dense(linear: Any) -> Dense:
        return Dense(np.ascontiguousarray(numpy(linear.weight).T), numpy(linear.bias))

    encoder = _cell_from_module(twin.encoder, "twin.encoder")
    decoder = _cell_from_module(twin.decoder, "twin.decoder")
    assert isinstance(encoder, LSTMParams) and isinstance(decoder, LSTMParams)
    return EncoderDecoder(
        Embedding(numpy(twin.source_embedding.weight)),
        encoder,
        Embedding(numpy(twin.target_embedding.weight)),
        decoder,
        dense(twin.output),
        None if twin.attentional is None else dense(twin.attentional),
    )
