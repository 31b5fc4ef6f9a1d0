"""An encoder-decoder (Sutskever et al. 2014; Cho et al. 2014), with Luong et al.'s (2015) attention.

Keras' functional model, layer by layer (``frameworks.keras_seq2seq`` builds it):

    source ids (N, S) -> Embedding(mask_zero) -> LSTM(return_sequences, return_state)
                                                   |  outputs e (N, S, H), final (h, c)
    decoder input ids (N, T) -> Embedding -> LSTM(initial_state=[h, c]) -> s (N, T, H)
    with attention:  context = Attention()([s, e]), e's mask = the source's     (N, T, H)
                     a = tanh([context; s] W_c + b_c)   Dense(H, tanh) on the concatenation
    logits = a W_o + b_o   (s W_o + b_o without attention)   Dense(V)           (N, T, V)

Teacher forcing: the decoder reads the previous target id (START first;
``tasks.vocab.teacher_forcing_inputs``), so one pass scores every position. Id 0 is
padding in both vocabularies. The encoder masks it, Keras' way (``masking``): its final
state is each source's state after its last real id, and attention gives padding no weight.

The loss is the mean cross-entropy over the positions whose *target* is not padding,
over the whole batch (``masking.masked_sparse_categorical_crossentropy``): Keras reduces a
masked loss the same way (sum over the unmasked positions / their count, not per sequence,
and not ``sample_weight``'s sum / all positions). Keras takes its mask from the decoder's
*input* Embedding instead. With ``tasks.vocab.teacher_forcing_inputs`` (padding wherever the
target pads) the two masks are the same, and so are the losses; with the plain shift, whose
input reads END where the target pads, Keras also scores that position (it trains the model
to predict PAD after END) and this package ignores it, as its targets say.

Speed: the decoder runs the LSTM's fast path without a mask. Its input must be padded on
the right only (checked), so a padded step comes after every real one and changes no
output at a real position; the loss ignores the padded positions' outputs, so the results
are those of a masked decoder. The encoder runs the fast path too when its sources are padded
on the right (``masking.run``), and the masked loop only for padding before a real id.
``encode`` and ``decode_step`` run the model one step at a time for greedy and beam search
(``nn.decoding``); ``DecoderState.select`` picks beams.

    N  sequences    S  source steps    T  target steps    E  embedding size    H  hidden size
    V  target vocabulary (logits)      B  rows decoded at once (beams)
"""

from __future__ import annotations

import copy as _copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks, masking, sequence
from ._seq2seq_checks import check_model_inputs, check_rows, check_step_ids, ids_arg
from .attention import attend, attend_backward
from .cell import glorot_uniform, orthogonal
from .embedding import Embedding
from .layers import Dense
from .lstm import LSTMParams

__all__ = ["DecoderState", "EncoderDecoder"]

PARTS = ("source", "encoder", "target", "decoder", "attention", "output")
"""The model's parts in the order of its weights (``attention`` only with attention)."""
LABELS = {
    "source": ["source embeddings"],
    "encoder": ["encoder kernel", "encoder recurrent_kernel", "encoder bias"],
    "target": ["target embeddings"],
    "decoder": ["decoder kernel", "decoder recurrent_kernel", "decoder bias"],
    "attention": ["attention kernel", "attention bias"],
    "output": ["output kernel", "output bias"],
}
"""Each part's weights' names, as ``weight_labels`` and the saved files give them."""


@dataclass
class DecoderState:
    """Where decoding stands for B rows: the decoder's state and what attention reads.

    Attributes:
        h: (B, H) the decoder's hidden state.
        c: (B, H) its cell state.
        encoder_outputs: (B, S, H) the encoder's outputs (read by attention only).
        source_mask: (B, S) bool, True at the source's real ids.
    """

    h: np.ndarray
    c: np.ndarray
    encoder_outputs: np.ndarray
    source_mask: np.ndarray

    @property
    def batch_size(self) -> int:
        """B, the rows decoded at once."""
        return int(self.h.shape[0])

    def select(self, rows: np.ndarray) -> DecoderState:
        """The state of the given rows, in that order (repeats allowed: a beam kept twice).

        Args:
            rows: 1-D integer array of row indices in [0, B), any length >= 1.

        Returns:
            A new ``DecoderState`` of ``len(rows)`` rows (copies).
        """
        rows = check_rows(rows, self.batch_size)
        return DecoderState(self.h[rows], self.c[rows], self.encoder_outputs[rows], self.source_mask[rows])


def _lstm(rng: np.random.Generator, inputs: int, hidden: int, dtype: Any) -> LSTMParams:
    """Keras' LSTM defaults: Glorot-uniform kernel, orthogonal recurrent kernel, forget bias 1."""
    bias = np.zeros(4 * hidden, dtype=dtype)
    bias[hidden : 2 * hidden] = 1.0
    return LSTMParams(
        glorot_uniform(rng, (inputs, 4 * hidden), dtype), orthogonal(rng, (hidden, 4 * hidden), dtype), bias
    )


@dataclass
class EncoderDecoder:
    """The encoder-decoder of the module docstring, with Keras' model API.

    Attributes:
        source_embedding: (V_s, E) the source ids' vectors.
        encoder: the encoder LSTM, E -> H.
        target_embedding: (V, E') the decoder input ids' vectors.
        decoder: the decoder LSTM, E' -> H.
        output: Dense (H, V), the logits.
        attentional: Dense (2H, H) W_c and b_c of Luong's attentional layer, or None: no attention.
    """

    source_embedding: Embedding
    encoder: LSTMParams
    target_embedding: Embedding
    decoder: LSTMParams
    output: Dense
    attentional: Dense | None = None

    def __post_init__(self) -> None:
        kinds: dict[str, type] = {"source_embedding": Embedding, "encoder": LSTMParams}
        kinds.update(target_embedding=Embedding, decoder=LSTMParams, output=Dense)
        for name, kind in kinds.items():
            _checks.instance(name, getattr(self, name), kind)
        if self.attentional is not None:
            _checks.instance("attentional", self.attentional, Dense)
        hidden, dtype = self.encoder.hidden_size, self.encoder.dtype
        expected = [
            ("encoder", self.encoder.W, (self.source_embedding.output_size, 4 * hidden), "(E, 4H)"),
            ("decoder", self.decoder.W, (self.target_embedding.output_size, 4 * hidden), "(E', 4H)"),
            ("output", self.output.W, (hidden, self.target_embedding.vocab_size), "(H, V)"),
        ]
        if self.attentional is not None:
            expected.append(("attentional", self.attentional.W, (2 * hidden, hidden), "(2H, H)"))
        for name, array, shape, letters in expected:
            if array.shape != shape:
                raise ValueError(f"{name}'s kernel must have shape {letters} = {shape}, got {array.shape}")
        for part in self._parts()[1:]:
            _checks.same_dtype("every weight", part.weights()[0], dtype, "the encoder")
        for name, vocab in (("source", self.source_vocab), ("target", self.target_vocab)):
            if vocab < 2:
                raise ValueError(f"the {name} vocabulary must have >= 2 ids (0 is padding), got {vocab}")

    @classmethod
    def init(
        cls,
        source_vocab: int,
        target_vocab: int,
        embedding: int,
        hidden: int,
        rng: np.random.Generator,
        dtype: Any = np.float32,
        attention: bool = False,
    ) -> EncoderDecoder:
        """Fresh weights with Keras' defaults (embeddings U(-0.05, 0.05), Glorot kernels, orthogonal
        recurrent kernels, forget bias 1, zero biases), drawn from ``rng`` part by part.

        Args:
            source_vocab: V_s, source ids 0 .. V_s - 1, 0 the padding; >= 2.
            target_vocab: V, target ids, 0 the padding; >= 2.
            embedding: E, the size of both embeddings.
            hidden: H, the units of both LSTMs (and of the attentional layer).
            rng: the generator (``np.random.default_rng(seed)``).
            dtype: np.float32 or np.float64.
            attention: add Luong's dot-product attention and attentional layer.
        """
        for name, value in (("source_vocab", source_vocab), ("target_vocab", target_vocab)):
            if _checks.positive_int(name, value) < 2:
                raise ValueError(f"{name} must be an integer >= 2 (id 0 is padding), got {value}")
        embedding = _checks.positive_int("embedding", embedding)
        hidden = _checks.positive_int("hidden", hidden)
        _checks.rng("rng", rng)
        dtype = _checks.dtype_arg("dtype", dtype)
        attention = _checks.flag("attention", attention)
        source = Embedding.init(source_vocab, embedding, rng, dtype)
        encoder = _lstm(rng, embedding, hidden, dtype)
        target = Embedding.init(target_vocab, embedding, rng, dtype)
        decoder = _lstm(rng, embedding, hidden, dtype)
        attentional = Dense.init(2 * hidden, hidden, rng, dtype) if attention else None
        return cls(
            source, encoder, target, decoder, Dense.init(hidden, target_vocab, rng, dtype), attentional
        )

    # --- sizes and weights ---------------------------------------------------------------

    @property
    def attention(self) -> bool:
        """Whether the model attends to the encoder's outputs."""
        return self.attentional is not None

    @property
    def source_vocab(self) -> int:
        """V_s."""
        return self.source_embedding.vocab_size

    @property
    def target_vocab(self) -> int:
        """V, the width of the logits."""
        return self.target_embedding.vocab_size

    @property
    def hidden_size(self) -> int:
        """H."""
        return self.encoder.hidden_size

    @property
    def dtype(self) -> np.dtype[Any]:
        """The dtype of every weight."""
        return self.encoder.dtype

    def _parts(self) -> list[Any]:
        parts: list[Any] = [self.source_embedding, self.encoder, self.target_embedding, self.decoder]
        return [*parts, *([self.attentional] if self.attentional is not None else []), self.output]

    def parameters(self) -> list[np.ndarray]:
        """The live weight arrays in ``weight_labels``' order, for an optimizer to update in place."""
        return [w for part in self._parts() for w in part.weights()]

    @staticmethod
    def labels(attention: bool) -> list[str]:
        """The weights' names of a model with or without attention, in order (what files key them by)."""
        return [label for part in PARTS if part != "attention" or attention for label in LABELS[part]]

    def weight_labels(self) -> list[str]:
        """A name for every weight: ``"source embeddings"``, ``"encoder kernel"``, ...."""
        return self.labels(self.attention)

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights."""
        return [w.copy() for w in self.parameters()]

    def set_weights(self, weights: Any) -> None:
        """Write ``weights`` into the model's arrays, in place (same order, shapes and dtype)."""
        names, old = self.weight_labels(), self.parameters()
        if not isinstance(weights, (list, tuple)) or len(weights) != len(names):
            count = len(weights) if isinstance(weights, (list, tuple)) else _checks.describe(weights)
            raise ValueError(f"weights must be a list of {len(names)} arrays {tuple(names)}, got {count}")
        for name, new, current in zip(names, weights, old, strict=True):
            _checks.matching(
                f"weights[{name}]", new, current.shape, str(current.shape), current.dtype, "the model"
            )
        for current, new in zip(old, weights, strict=True):
            current[...] = new

    def count_params(self) -> int:
        """The number of weights."""
        return sum(w.size for w in self.parameters())

    def copy(self) -> EncoderDecoder:
        """A deep copy."""
        return self._rebuilt([w.copy() for w in self.parameters()], check=True)

    def get_config(self) -> dict[str, Any]:
        """Everything but the weights: ``{"attention": bool}`` (the sizes are the weights' shapes)."""
        return {"attention": self.attention}

    @classmethod
    def from_config(cls, config: Any, weights: list[np.ndarray]) -> EncoderDecoder:
        """The model ``get_config`` described, holding ``weights`` (checked by the constructors)."""
        if (
            not isinstance(config, dict)
            or set(config) != {"attention"}
            or not isinstance(config["attention"], bool)
        ):
            raise ValueError(
                f"an EncoderDecoder's config must be {{'attention': true or false}}, got {config!r}"
            )
        labels = cls.labels(config["attention"])
        if not isinstance(weights, (list, tuple)) or len(weights) != len(labels):
            raise ValueError(f"weights must be a list of {len(labels)} arrays {tuple(labels)}")
        source, (W, U, b), target, (W2, U2, b2) = weights[0], weights[1:4], weights[4], weights[5:8]
        attentional = Dense(*weights[8:10]) if config["attention"] else None
        return cls(
            Embedding(source),
            LSTMParams(W, U, b),
            Embedding(target),
            LSTMParams(W2, U2, b2),
            Dense(*weights[-2:]),
            attentional,
        )

    def _rebuilt(self, arrays: list[np.ndarray], check: bool) -> EncoderDecoder:
        """The same model holding ``arrays`` (unchecked for gradients)."""
        if check:
            return EncoderDecoder.from_config(self.get_config(), arrays)
        model = _copy.copy(self)
        model.source_embedding = self.source_embedding.with_weights(arrays[:1], check=False)
        model.encoder = LSTMParams.unchecked(*arrays[1:4])
        model.target_embedding = self.target_embedding.with_weights(arrays[4:5], check=False)
        model.decoder = LSTMParams.unchecked(*arrays[5:8])
        model.attentional = Dense.unchecked(*arrays[8:10]) if self.attention else None
        model.output = Dense.unchecked(*arrays[-2:])
        return model

    # --- teacher forcing -------------------------------------------------------------------

    def cast_inputs(self, x: Any, y: Any = None) -> tuple[list[np.ndarray], np.ndarray | None]:
        """``[source_ids (N, S), decoder_input_ids (N, T)]`` and targets (N, T), checked, as Keras'
        model API takes them: a list or tuple of two integer arrays (or nested lists of ints)."""
        return check_model_inputs(self, x, y)

    def _forward(self, x: list[np.ndarray]) -> tuple[np.ndarray, tuple[Any, ...]]:
        source, decoder_input = x
        source_mask = source != 0
        encoder_run = masking.run(
            self.encoder, self.source_embedding.W[source], source_mask, self.encoder.zero_state(len(source))
        )
        encoder_outputs = encoder_run.hs
        decoder_run = sequence.run(
            self.decoder, self.target_embedding.W[decoder_input], encoder_run.last_state
        )
        s = decoder_run.hs
        # The dense layers read (N T, .) rows: one matrix product each, not one per sequence.
        rows = s.reshape(-1, s.shape[-1])
        attended = None
        if self.attentional is not None:
            context, attention_cache = attend(s, encoder_outputs, encoder_outputs, source_mask)
            joined = np.concatenate([context, s], axis=-1).reshape(len(rows), -1)
            rows = np.tanh(joined @ self.attentional.W + self.attentional.b)
            attended = (attention_cache, joined)
        logits, _ = self.output.forward(rows)
        return logits.reshape(*s.shape[:2], -1), (
            source,
            decoder_input,
            encoder_run,
            decoder_run,
            attended,
            rows,
        )

    def predict(self, x: Any) -> np.ndarray:
        """(N, T, V) logits at every position, teacher forcing (Keras' ``predict``; no softmax).

        Args:
            x: ``[source_ids (N, S), decoder_input_ids (N, T)]``, integer ids, 0 the padding.
        """
        x, _ = self.cast_inputs(x)
        return self._forward(x)[0]

    def evaluate(self, x: Any, y: Any) -> float:
        """The mean cross-entropy over the non-padding targets (see the module docstring).

        Args:
            x: ``[source_ids (N, S), decoder_input_ids (N, T)]``.
            y: (N, T) target ids, 0 the padding.
        """
        x, y = self.cast_inputs(x, y)
        assert y is not None
        loss, _ = masking.masked_crossentropy(self._forward(x)[0], y, y != 0)
        return loss

    def loss_and_grads(
        self, x: Any, y: Any, check: bool = True, training: bool = True
    ) -> tuple[float, EncoderDecoder]:
        """The loss on (x, y) and its gradient for every weight, as ``model.Sequential``'s.

        Args:
            x: ``[source_ids (N, S), decoder_input_ids (N, T)]``.
            y: (N, T) target ids.
            check: False skips the checks (``train.fit`` checks once per run).
            training: Keras' flag; the model has no dropout, so it changes nothing.

        Returns:
            ``(loss, grads)``: grads an ``EncoderDecoder`` whose arrays are the gradients.
        """
        if check:
            x, y = self.cast_inputs(x, y)
        _checks.flag("training", training)
        logits, (source, decoder_input, encoder_run, decoder_run, attended, rows) = self._forward(x)
        loss, d_logits = masking.masked_crossentropy(logits, y, y != 0)
        d_rows, (dW_o, db_o) = self.output.backward(d_logits.reshape(len(rows), -1), rows)
        d_encoder_outputs = np.zeros_like(encoder_run.hs)
        attention_grads = []
        if attended is not None:
            attention_cache, joined = attended
            dz = d_rows * (1.0 - rows * rows)  # through a = tanh(z)
            d_joined, attention_grads = self.attentional.backward(dz, joined)  # type: ignore[union-attr]
            d_joined = d_joined.reshape(*logits.shape[:2], -1)
            hidden = self.hidden_size
            d_query, d_key, d_value = attend_backward(d_joined[..., :hidden], attention_cache)
            d_s = d_joined[..., hidden:] + d_query
            d_encoder_outputs = d_key + d_value
        else:
            d_s = d_rows.reshape(*logits.shape[:2], -1)
        dx_target, decoder_grads, d_start = decoder_run.backward(d_s, None, None)
        (dE_target,) = self.target_embedding.backward(dx_target, decoder_input)[1]
        dx_source, encoder_grads, _ = encoder_run.backward(d_encoder_outputs, d_start, None)
        (dE_source,) = self.source_embedding.backward(dx_source, source)[1]
        grads = [dE_source, *encoder_grads.weights(), dE_target, *decoder_grads.weights()]
        return loss, self._rebuilt([*grads, *attention_grads, dW_o, db_o], check=False)

    # --- one step at a time: greedy and beam search -------------------------------------------

    def encode(self, source_ids: Any) -> DecoderState:
        """The decoder's starting state for (B, S) source ids (0 the padding): the encoder's final
        (h, c), its outputs and the source mask, as the teacher-forcing pass computes them."""
        source = ids_arg("source_ids", source_ids, self.source_vocab, "(B, S)")
        mask = source != 0
        run = masking.run(
            self.encoder, self.source_embedding.W[source], mask, self.encoder.zero_state(len(source))
        )
        h, c = run.last_state
        return DecoderState(h.copy(), c.copy(), run.hs.copy(), mask)

    def decode_step(self, previous_ids: Any, state: DecoderState) -> tuple[np.ndarray, DecoderState]:
        """One decoder step: (B, V) logits for the next id after ``previous_ids`` (B,), and the new state.

        Running ``decode_step`` over a decoder input, one id at a time from ``encode``, gives
        ``predict``'s logits at every position (teacher forcing is this, all steps at once).
        """
        previous = check_step_ids(previous_ids, _checks.instance("state", state, DecoderState), self)
        (h, c), _ = self.decoder.step(self.target_embedding.W[previous], (state.h, state.c))
        out = h
        if self.attentional is not None:
            context, _ = attend(h[:, None], state.encoder_outputs, state.encoder_outputs, state.source_mask)
            out = np.tanh(
                np.concatenate([context[:, 0], h], axis=-1) @ self.attentional.W + self.attentional.b
            )
        logits, _ = self.output.forward(out)
        return logits, DecoderState(h, c, state.encoder_outputs, state.source_mask)
