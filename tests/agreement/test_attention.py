"""Dot-product attention (nn.attention) against keras.layers.Attention (float32, with a value mask)
and torch autograd (float64, every gradient)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_tutorial.nn.attention import attention_backward, attention_forward
from lstm_tutorial.nn.gradcheck import rel_error

GRAD_TOL = 1e-10  # relative, float64, against torch autograd
KERAS_TOL = 1e-5  # absolute, float32, against Keras

# (B, Tk) masks: leading, trailing and inner padding, none, and a row with every key masked.
KEY_MASK = np.array(
    [
        [True, True, True, False, False],
        [False, True, True, True, True],
        [True, False, True, False, True],
        [True, True, True, True, True],
        [False, False, False, False, False],
    ]
)


def inputs(dtype: type, size: int = 3, value_size: int = 4, queries: int = 6) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(0)
    batch, keys = KEY_MASK.shape
    query = rng.normal(size=(batch, queries, size)).astype(dtype)
    key = rng.normal(size=(batch, keys, size)).astype(dtype)
    value = rng.normal(size=(batch, keys, value_size)).astype(dtype)
    return query, key, value


@pytest.mark.parametrize("with_key", [False, True])
def test_context_and_weights_match_keras_attention_with_a_value_mask(with_key: bool) -> None:
    from lstm_tutorial.frameworks.keras import keras

    query, key, value = inputs(np.float32, size=4)
    if not with_key:
        key = value  # Keras' default: the value is the key
    layer = keras.layers.Attention()
    given = [query, value, key] if with_key else [query, value]
    context, scores = layer(
        given, mask=[None, keras.ops.convert_to_tensor(KEY_MASK)], return_attention_scores=True
    )
    theirs, their_weights = keras.ops.convert_to_numpy(context), keras.ops.convert_to_numpy(scores)

    mine, cache = attention_forward(query, key, value, KEY_MASK)
    assert mine.shape == theirs.shape and mine.dtype == np.float32
    assert np.abs(mine - theirs).max() <= KERAS_TOL
    assert np.abs(cache.weights - their_weights).max() <= KERAS_TOL
    masked = ~np.broadcast_to(KEY_MASK[:4, None], cache.weights[:4].shape)
    assert not cache.weights[:4][masked].any() and not their_weights[:4][masked].any()
    # the fully masked row is defined as Keras defines it: every key keeps a weight
    assert their_weights[4].min() > 0 and np.allclose(cache.weights[4].sum(axis=-1), 1.0)


def test_without_a_mask_it_matches_keras_attention() -> None:
    from lstm_tutorial.frameworks.keras import keras

    query, _, value = inputs(np.float32, size=4)
    theirs = keras.ops.convert_to_numpy(keras.layers.Attention()([query, value]))
    mine, _ = attention_forward(query, value, value)
    assert np.abs(mine - theirs).max() <= KERAS_TOL


def test_gradients_match_torch_autograd() -> None:
    query, key, value = inputs(np.float64)
    d_context = np.random.default_rng(1).normal(size=(*query.shape[:2], value.shape[2]))
    context, cache = attention_forward(query, key, value, KEY_MASK)
    d_query, d_key, d_value = attention_backward(d_context, cache)

    q, k, v = (torch.from_numpy(a).requires_grad_(True) for a in (query, key, value))
    scores = q @ k.transpose(1, 2)
    scores = scores - 1e9 * torch.from_numpy(~KEY_MASK)[:, None, :].to(torch.float64)  # Keras' shift
    theirs = torch.softmax(scores, dim=-1) @ v
    (theirs * torch.from_numpy(d_context)).sum().backward()
    assert rel_error(context, theirs.detach().numpy()) <= GRAD_TOL
    for mine, reference in zip((d_query, d_key, d_value), (q, k, v), strict=True):
        assert rel_error(mine, reference.grad.numpy()) <= GRAD_TOL


def test_partly_masked_rows_match_torch_masked_fill_minus_infinity() -> None:
    """Rows with a real key: Keras' -1e9 and an exact -inf give the same weights and gradients."""
    query, key, value = inputs(np.float64)
    rows = slice(0, 4)  # row 4 has no real key: -inf would make NaN there
    d_context = np.random.default_rng(2).normal(size=(4, query.shape[1], value.shape[2]))
    context, cache = attention_forward(query[rows], key[rows], value[rows], KEY_MASK[rows])
    grads = attention_backward(d_context, cache)
    q, k, v = (torch.from_numpy(a[rows].copy()).requires_grad_(True) for a in (query, key, value))
    scores = (q @ k.transpose(1, 2)).masked_fill(torch.from_numpy(~KEY_MASK[rows])[:, None, :], float("-inf"))
    theirs = torch.softmax(scores, dim=-1) @ v
    (theirs * torch.from_numpy(d_context)).sum().backward()
    assert rel_error(context, theirs.detach().numpy()) <= GRAD_TOL
    for mine, reference in zip(grads, (q, k, v), strict=True):
        assert rel_error(mine, reference.grad.numpy()) <= GRAD_TOL
