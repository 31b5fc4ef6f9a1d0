"""The encoder-decoder's Keras twin: the functional model of ``nn.seq2seq``, and weights both ways.

``build_keras_twin`` writes the model as Keras' functional API writes it (the ``lstm_seq2seq``
example's pattern, with embeddings and Luong attention)::

    source = Input((None,), int32)                    decoder_input = Input((None,), int32)
    e = Embedding(V_s, E, mask_zero=True)(source)     d = Embedding(V, E, mask_zero=True)(decoder_input)
    encoded, h, c = LSTM(H, return_sequences=True, return_state=True)(e)
    s = LSTM(H, return_sequences=True)(d, initial_state=[h, c])
    with attention:  context = Attention()([s, encoded])      masks [decoder's, source's], propagated
                     s = Dense(H, activation="tanh")(Concatenate()([context, s]))
    logits = Dense(V)(s)

compiled with ``SparseCategoricalCrossentropy(from_logits=True)`` and Adam. Its layers are named
``source_embedding``, ``encoder``, ``target_embedding``, ``decoder``, (``attention``,
``concatenate``, ``attentional``,) ``output``; ``to_keras`` and ``from_keras`` move the weights by
those names, array for array (Keras' layouts are the package's).

The masks travel as Keras propagates them: the source Embedding's mask reaches the encoder and,
through its outputs, ``Attention`` as the value mask (padded source steps get no weight); the
decoder input's mask reaches ``Attention`` as the query mask (it zeroes the context at padded
decoder positions) and the loss. So the twin's logits equal the package's at every position
whose decoder input is real, and differ only at padded ones, which no loss reads. Two
differences are Keras' own (measured with Keras 3.15.1): its loss is masked by the decoder
*input* (it also scores PAD after END; ``nn.seq2seq`` masks by the targets), and its decoder
LSTM, called with ``initial_state`` in the functional API, does not take the Embedding's mask
(it runs unmasked, as the package's decoder does on right-padded inputs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.embedding import Embedding
from ..nn.layers import Dense
from ..nn.lstm import LSTMParams
from ..nn.seq2seq import EncoderDecoder
from . import _imports

keras = _imports.keras("lstm_tutorial.frameworks.keras_seq2seq")

__all__ = ["LAYER_NAMES", "build_keras_twin", "from_keras", "to_keras"]

LAYER_NAMES = ("source_embedding", "encoder", "target_embedding", "decoder", "attentional", "output")
"""The twin's layers that hold weights, in ``EncoderDecoder.parameters()``' order
(``attentional`` only with attention)."""

_EXPECTED: dict[str, tuple[str, dict[str, Any]]] = {
    "source_embedding": ("Embedding", {"mask_zero": True}),
    "target_embedding": ("Embedding", {"mask_zero": True}),
    "encoder": ("LSTM", {"activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True}),
    "decoder": ("LSTM", {"activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True}),
    "attentional": ("Dense", {"activation": "tanh", "use_bias": True}),
    "output": ("Dense", {"activation": "linear", "use_bias": True}),
}
"""Each layer's class and the config values the package's model computes with."""


def build_keras_twin(
    source_vocab: int,
    target_vocab: int,
    embedding: int,
    hidden: int,
    attention: bool = False,
    dtype: Any = np.float32,
) -> Any:
    """The functional Keras model of the module docstring, compiled, with Keras' initial weights.

    Args:
        source_vocab: V_s (0 the padding).
        target_vocab: V, the logits' width.
        embedding: E, both embeddings' size.
        hidden: H, both LSTMs' units.
        attention: add ``Attention`` and the tanh attentional layer.
        dtype: the layers' dtype, np.float32 (Keras' default) or np.float64.

    Returns:
        A ``keras.Model`` with inputs ``[source_ids (N, S), decoder_input_ids (N, T)]`` and
        output the (N, T, V) logits.
    """
    sizes = {"source_vocab": source_vocab, "target_vocab": target_vocab, "embedding": embedding}
    for name, value in {**sizes, "hidden": hidden}.items():
        _checks.positive_int(name, value)
    attention = _checks.flag("attention", attention)
    kind = str(_checks.dtype_arg("dtype", dtype))
    layers = keras.layers
    source = keras.Input((None,), dtype="int32", name="source_ids")
    decoder_input = keras.Input((None,), dtype="int32", name="decoder_input_ids")
    embedded = layers.Embedding(source_vocab, embedding, mask_zero=True, dtype=kind, name="source_embedding")
    encoder = layers.LSTM(hidden, return_sequences=True, return_state=True, dtype=kind, name="encoder")
    encoded, h, c = encoder(embedded(source))
    target = layers.Embedding(target_vocab, embedding, mask_zero=True, dtype=kind, name="target_embedding")
    decoder = layers.LSTM(hidden, return_sequences=True, dtype=kind, name="decoder")
    s = decoder(target(decoder_input), initial_state=[h, c])
    if attention:
        context = layers.Attention(dtype=kind, name="attention")([s, encoded])
        joined = layers.Concatenate(dtype=kind, name="concatenate")([context, s])
        s = layers.Dense(hidden, activation="tanh", dtype=kind, name="attentional")(joined)
    logits = layers.Dense(target_vocab, dtype=kind, name="output")(s)
    model = keras.Model([source, decoder_input], logits, name="encoder_decoder")
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer=keras.optimizers.Adam()
    )
    return model


def _names(attention: bool) -> list[str]:
    return [name for name in LAYER_NAMES if name != "attentional" or attention]


def to_keras(model: EncoderDecoder) -> Any:
    """A new Keras twin of ``model`` (``build_keras_twin``, its sizes and dtype) holding its weights.

    Args:
        model: an ``nn.seq2seq.EncoderDecoder``.

    Returns:
        The compiled ``keras.Model``; ``predict([source, decoder_input])`` gives the model's logits.
    """
    _checks.instance("model", model, EncoderDecoder)
    twin = build_keras_twin(
        model.source_vocab,
        model.target_vocab,
        model.source_embedding.output_size,
        model.hidden_size,
        model.attention,
        model.dtype,
    )
    parts: list[Any] = [model.source_embedding, model.encoder, model.target_embedding, model.decoder]
    parts += [model.attentional] if model.attentional is not None else []
    for name, part in zip(_names(model.attention), [*parts, model.output], strict=True):
        twin.get_layer(name).set_weights(part.weights())
    return twin


def from_keras(keras_model: Any) -> EncoderDecoder:
    """The ``EncoderDecoder`` holding a Keras twin's weights (copies), in the weights' dtype.

    The twin is found by its layers' names (``LAYER_NAMES``); each must be of the class and have
    the config values the package computes with (``mask_zero``, activations, a bias), or it is
    refused naming the layer and the field. A model with a layer named ``attentional`` has
    attention.

    Args:
        keras_model: a ``keras.Model`` built by ``build_keras_twin`` (or ``to_keras``), trained or not.
    """
    if not isinstance(keras_model, keras.Model):
        raise TypeError(f"keras_model must be a keras.Model, got {_checks.describe(keras_model)}")
    present = {layer.name: layer for layer in keras_model.layers}
    attention = "attentional" in present
    arrays = []
    for name in _names(attention):
        if name not in present:
            raise ValueError(
                f"keras_model must have a layer named {name!r} (build it with build_keras_twin), "
                f"got layers {sorted(present)}"
            )
        layer = present[name]
        kind, values = _EXPECTED[name]
        if type(layer).__name__ != kind:
            raise ValueError(f"keras_model's layer {name!r} must be a {kind}, got {type(layer).__name__}")
        config = layer.get_config()
        for key, value in values.items():
            if config.get(key) != value:
                raise ValueError(
                    f"keras_model's layer {name!r} must have {key}={value!r}, got {config.get(key)!r}: "
                    "the package's EncoderDecoder computes with it"
                )
        arrays.append([np.array(w) for w in layer.get_weights()])
    source, encoder, target, decoder = arrays[:4]
    attentional = Dense(*arrays[4]) if attention else None
    return EncoderDecoder(
        Embedding(*source),
        LSTMParams(*encoder),
        Embedding(*target),
        LSTMParams(*decoder),
        Dense(*arrays[-1]),
        attentional,
    )
