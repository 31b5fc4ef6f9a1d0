"""lstm_tutorial.tasks.language_training: every argument is checked before the first step."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lstm_tutorial.nn.bidirectional import Bidirectional
from lstm_tutorial.nn.layers import Dense
from lstm_tutorial.nn.lstm import LSTMParams
from lstm_tutorial.nn.model import Sequential
from lstm_tutorial.tasks.language import char_model
from lstm_tutorial.tasks.language_training import train_char_model

IDS = np.arange(200) % 5  # a text of 5 ids, as char_model(5, ...) reads


@pytest.mark.parametrize(
    "arguments, fragment",
    [
        ({"heldout_ids": np.arange(100) % 7}, "heldout_ids must hold ids in [0, 4]"),
        ({"heldout_ids": IDS[:16]}, "heldout_ids must hold at least batch_size * seq_len + 1 = 17 ids"),
        ({"train_ids": np.arange(200) % 6}, "train_ids must hold ids in [0, 4]"),
    ],
    ids=["held-out id outside the vocabulary", "held-out text shorter than a batch", "training id outside"],
)
def test_a_bad_argument_is_refused_before_the_first_step(arguments: dict[str, Any], fragment: str) -> None:
    # The held-out ids used to be read at the first evaluation, after eval_every steps of training.
    model = char_model(5, 4, 6, layers=1)
    before = [w.copy() for w in model.get_weights()]
    call = {"train_ids": IDS, "steps": 3, "batch_size": 2, "seq_len": 8, **arguments}
    with pytest.raises(ValueError) as info:
        train_char_model(model, **call)
    assert fragment in str(info.value)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


def test_a_model_no_evaluation_could_read_is_refused_before_the_first_step() -> None:
    # Training would run (fit takes a Bidirectional layer); the first evaluation could not.
    embedding = char_model(5, 4, 6, layers=1).layers[0]
    both_ways = Bidirectional.init(LSTMParams, 4, 6, return_sequences=True, dtype=np.float32)
    logits = Dense(np.zeros((12, 5), np.float32), np.zeros(5, np.float32))
    model = Sequential([embedding, both_ways, logits], loss="sparse_categorical_crossentropy")
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=r"model.layers\[1\] is Bidirectional"):
        train_char_model(model, IDS, 3, batch_size=2, seq_len=8)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
