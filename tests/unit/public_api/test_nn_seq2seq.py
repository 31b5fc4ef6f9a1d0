"""Rows of the public-API table for ``lstm_tutorial.nn.seq2seq`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn.seq2seq import DecoderState, EncoderDecoder

TABLE = Table("nn.seq2seq")
raises, gives = TABLE.raises, TABLE.gives

# Every weight zero (3 source ids, 4 target ids, E = H = 1): the logits are 0, so every
# position costs log 4 and the output bias' gradient is the mean of (1/4 - onehot(y)).
SIZES = [(3, 1), (1, 4), (1, 4), (4,), (4, 1), (1, 4), (1, 4), (4,), (1, 4), (4,)]
ZERO = EncoderDecoder.from_config({"attention": False}, [np.zeros(shape) for shape in SIZES])
X = [np.array([[1, 2, 0]]), np.array([[1, 3]])]
Y = np.array([[1, 2]])
SMALL = EncoderDecoder.init(3, 4, 2, 3, np.random.default_rng(0), dtype=np.float64, attention=True)
STATE = DecoderState(
    np.zeros((2, 1)),
    np.ones((2, 1)),
    np.zeros((2, 3, 1)),
    np.array([[True, False, False], [True, True, True]]),
)

gives("nn.seq2seq.DecoderState", "its arrays", lambda: STATE.c, equal(np.ones((2, 1))))
gives("nn.seq2seq.DecoderState.batch_size", "B", lambda: STATE.batch_size, equal(2))
gives(
    "nn.seq2seq.DecoderState.select",
    "rows in order, repeats kept",
    lambda: STATE.select(np.array([1, 1, 0])).source_mask[:, 1],
    equal([True, True, False]),
)
raises(
    "nn.seq2seq.DecoderState.select",
    "a row out of range",
    lambda: STATE.select(np.array([2])),
    ValueError,
    "rows",
    "[0, 2)",
)
raises(
    "nn.seq2seq.EncoderDecoder",
    "an LSTM for an embedding",
    lambda: EncoderDecoder(ZERO.encoder, ZERO.encoder, ZERO.target_embedding, ZERO.decoder, ZERO.output),
    TypeError,
    "source_embedding",
    "Embedding",
)  # type: ignore[arg-type]
raises(
    "nn.seq2seq.EncoderDecoder.init",
    "hidden 0",
    lambda: EncoderDecoder.init(3, 4, 2, 0, np.random.default_rng(0)),
    ValueError,
    "hidden",
    ">= 1",
)
raises(
    "nn.seq2seq.EncoderDecoder.init",
    "attention 1",
    lambda: EncoderDecoder.init(3, 4, 2, 2, np.random.default_rng(0), attention=1),
    TypeError,
    "attention",
)  # type: ignore[arg-type]
gives(
    "nn.seq2seq.EncoderDecoder.init",
    "float32 by default",
    lambda: EncoderDecoder.init(3, 4, 2, 2, np.random.default_rng(0)).dtype,
    equal(np.dtype(np.float32)),
)
gives(
    "nn.seq2seq.EncoderDecoder.attention",
    "with and without",
    lambda: (SMALL.attention, ZERO.attention),
    equal((True, False)),
)
gives("nn.seq2seq.EncoderDecoder.source_vocab", "V_s", lambda: SMALL.source_vocab, equal(3))
gives("nn.seq2seq.EncoderDecoder.target_vocab", "V", lambda: SMALL.target_vocab, equal(4))
gives("nn.seq2seq.EncoderDecoder.hidden_size", "H", lambda: SMALL.hidden_size, equal(3))
gives("nn.seq2seq.EncoderDecoder.dtype", "float64", lambda: SMALL.dtype, equal(np.dtype(np.float64)))
# 3*2 + 4*3*(2 + 3 + 1) + 4*2 + 72 + (6*3 + 3) + (3*4 + 4), by hand
gives(
    "nn.seq2seq.EncoderDecoder.count_params",
    "by hand",
    lambda: SMALL.count_params(),
    equal(6 + 72 + 8 + 72 + 21 + 16),
)
gives(
    "nn.seq2seq.EncoderDecoder.parameters",
    "live arrays",
    lambda: SMALL.parameters()[0] is SMALL.source_embedding.W,
    equal(True),
)
gives(
    "nn.seq2seq.EncoderDecoder.get_weights",
    "copies",
    lambda: SMALL.get_weights()[0] is not SMALL.source_embedding.W,
    equal(True),
)
gives(
    "nn.seq2seq.EncoderDecoder.weight_labels",
    "attention's two",
    lambda: SMALL.weight_labels()[8:10],
    equal(["attention kernel", "attention bias"]),
)
raises(
    "nn.seq2seq.EncoderDecoder.set_weights",
    "one array short",
    lambda: ZERO.copy().set_weights(ZERO.get_weights()[:-1]),
    ValueError,
    "weights",
    "10 arrays",
)
gives(
    "nn.seq2seq.EncoderDecoder.set_weights",
    "written in place",
    lambda: (lambda m: (m.set_weights([w + 1 for w in m.get_weights()]), m.output.b)[1])(ZERO.copy()),
    equal(np.ones(4)),
)
gives(
    "nn.seq2seq.EncoderDecoder.copy",
    "a deep copy",
    lambda: ZERO.copy().output.b is not ZERO.output.b,
    equal(True),
)
gives(
    "nn.seq2seq.EncoderDecoder.get_config",
    "attention only",
    lambda: SMALL.get_config(),
    equal({"attention": True}),
)
raises(
    "nn.seq2seq.EncoderDecoder.from_config",
    "an unknown key",
    lambda: EncoderDecoder.from_config({"attention": False, "units": 3}, ZERO.get_weights()),
    ValueError,
    "config",
    "'attention'",
)
gives(
    "nn.seq2seq.EncoderDecoder.cast_inputs",
    "nested lists of ints taken",
    lambda: EncoderDecoder.cast_inputs(ZERO, [[[1, 2]], [[3]]])[0][1],
    equal([[3]]),
)
raises(
    "nn.seq2seq.EncoderDecoder.cast_inputs",
    "a source id out of range",
    lambda: ZERO.cast_inputs([np.array([[3]]), np.array([[1]])]),
    ValueError,
    "x[0] (source_ids)",
    "[0, 3)",
)
gives(
    "nn.seq2seq.EncoderDecoder.predict",
    "zero weights, zero logits",
    lambda: ZERO.predict(X),
    equal(np.zeros((1, 2, 4))),
)
gives(
    "nn.seq2seq.EncoderDecoder.evaluate", "log 4 a position", lambda: ZERO.evaluate(X, Y), close(np.log(4.0))
)
raises(
    "nn.seq2seq.EncoderDecoder.evaluate",
    "float targets",
    lambda: ZERO.evaluate(X, Y.astype(float)),
    TypeError,
    "y",
    "integer ids",
)
gives(
    "nn.seq2seq.EncoderDecoder.loss_and_grads",
    "output bias gradient, by hand",
    lambda: ZERO.loss_and_grads(X, Y)[1].output.b,
    close([0.25, -0.25, -0.25, 0.25]),
)
gives(
    "nn.seq2seq.EncoderDecoder.encode",
    "zero weights: zero state, the mask",
    lambda: ZERO.encode(X[0]).source_mask,
    equal([[True, True, False]]),
)
raises(
    "nn.seq2seq.EncoderDecoder.encode",
    "1-D source",
    lambda: ZERO.encode(np.array([1, 2])),
    ValueError,
    "source_ids",
    "(B, S)",
)
gives(
    "nn.seq2seq.EncoderDecoder.decode_step",
    "zero logits (B, V)",
    lambda: ZERO.decode_step(np.array([1]), ZERO.encode(X[0]))[0],
    equal(np.zeros((1, 4))),
)
raises(
    "nn.seq2seq.EncoderDecoder.decode_step",
    "2-D previous ids",
    lambda: ZERO.decode_step(np.array([[1]]), ZERO.encode(X[0])),
    ValueError,
    "previous_ids",
    "(B,)",
)


gives(
    "nn.seq2seq.EncoderDecoder.labels",
    "10 without attention",
    lambda: len(EncoderDecoder.labels(False)),
    equal(10),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
