"""Rows of the public-API table for ``lstm_tutorial.nn.attention`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn import attention

TABLE = Table("nn.attention")
raises, gives = TABLE.raises, TABLE.gives

# One query q = 1 and two keys (= values) 0 and 1: scores [0, 1], weights [1, e] / (1 + e),
# context e / (1 + e). Masking the second key leaves all the weight on the first: context 0.
Q = np.array([[[1.0]]])
KV = np.array([[[0.0], [1.0]]])
E = np.e
CONTEXT, CACHE = attention.attention_forward(Q, KV, KV)

gives(
    "nn.attention.attend",
    "the same context, unchecked",
    lambda: attention.attend(Q, KV, KV, None)[0][0, 0, 0],
    close(E / (1 + E)),
)
gives(
    "nn.attention.attend_backward",
    "d_value = weights^T d_context: [1, e] / (1 + e)",
    lambda: attention.attend_backward(np.ones((1, 1, 1)), CACHE)[2][0, :, 0],
    close([1 / (1 + E), E / (1 + E)]),
)
gives("nn.attention.MASKED_SCORE", "Keras' 1e9", lambda: attention.MASKED_SCORE, equal(1e9))
gives("nn.attention.attention_forward", "context, by hand", lambda: CONTEXT[0, 0, 0], close(E / (1 + E)))
gives(
    "nn.attention.attention_forward",
    "a masked key gets no weight",
    lambda: attention.attention_forward(Q, KV, KV, np.array([[True, False]]))[1].weights,
    equal([[[1.0, 0.0]]]),
)
gives(
    "nn.attention.attention_forward",
    "every key masked: Keras' softmax of the shifted scores",
    lambda: attention.attention_forward(Q, KV, KV, np.array([[False, False]]))[1].weights[0, 0],
    close([1 / (1 + E), E / (1 + E)]),
)
raises(
    "nn.attention.attention_forward",
    "key of another size",
    lambda: attention.attention_forward(Q, np.zeros((1, 2, 2)), KV),
    ValueError,
    "key",
    "(B, Tk, D)",
)
raises(
    "nn.attention.attention_forward",
    "an integer mask",
    lambda: attention.attention_forward(Q, KV, KV, np.array([[1, 0]])),
    TypeError,
    "key_mask",
    "bool",
)
gives(
    "nn.attention.AttentionCache",
    "the weights, by hand",
    lambda: CACHE.weights[0, 0],
    close([1 / (1 + E), E / (1 + E)]),
)
# d context / d value_k = weight_k
gives(
    "nn.attention.attention_backward",
    "d_value = weights",
    lambda: attention.attention_backward(np.ones((1, 1, 1)), CACHE)[2][0, :, 0],
    close([1 / (1 + E), E / (1 + E)]),
)
# d context / d q = sum_k w_k (v_k - context) k_k = w_1 (1 - context) = e / (1 + e)^2
gives(
    "nn.attention.attention_backward",
    "d_query, by hand",
    lambda: attention.attention_backward(np.ones((1, 1, 1)), CACHE)[0][0, 0, 0],
    close(E / (1 + E) ** 2),
)
raises(
    "nn.attention.attention_backward",
    "a tuple for a cache",
    lambda: attention.attention_backward(np.ones((1, 1, 1)), tuple(CACHE)),
    TypeError,
    "cache",
    "AttentionCache",
)  # type: ignore[arg-type]


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
