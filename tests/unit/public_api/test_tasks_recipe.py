"""Rows of the public-API table for ``lstm_tutorial.tasks.recipe`` (see ``_table``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _table import Row, Table, check, close, equal

from lstm_tutorial.nn.dropout import Dropout
from lstm_tutorial.tasks import recipe

TABLE = Table("tasks.recipe")
raises, gives = TABLE.raises, TABLE.gives

gives(
    "tasks.recipe.DEFAULT",
    "8 M characters: 3,900 steps of 32 x 64",
    lambda: (recipe.DEFAULT.steps, recipe.DEFAULT.characters),
    equal((3900, 7_987_200)),
)
gives(
    "tasks.recipe.FULL",
    "two and a half times as long",
    lambda: recipe.FULL.steps / recipe.DEFAULT.steps,
    equal(2.5),
)
gives(
    "tasks.recipe.LanguageRecipe",
    "the chapter's numbers",
    lambda: (lambda r: (r.embed, r.hidden, r.layers, r.dropout, r.learning_rate, r.clip_norm))(
        recipe.LanguageRecipe()
    ),
    equal((32, 256, 1, 0.25, 8e-3, 5.0)),
)
gives(
    "tasks.recipe.LanguageRecipe.warmup_steps", "2% of 3,900", lambda: recipe.DEFAULT.warmup_steps, equal(78)
)
gives(
    "tasks.recipe.LanguageRecipe.warmup_steps",
    "at least one",
    lambda: recipe.LanguageRecipe(steps=10).warmup_steps,
    equal(1),
)
gives(
    "tasks.recipe.LanguageRecipe.characters",
    "steps x B x T",
    lambda: recipe.LanguageRecipe(steps=3).characters,
    equal(3 * 32 * 64),
)
gives(
    "tasks.recipe.LanguageRecipe.model",
    "Embedding, Dropout, LSTM, Dropout, Dense; 4H(E + H + 1) + ... weights",
    lambda: (lambda m: ([type(layer).__name__ for layer in m.layers], m.count_params()))(
        recipe.DEFAULT.model(10)
    ),
    equal(
        (
            ["Embedding", "Dropout", "Recurrent", "Dropout", "Dense"],
            10 * 32 + 4 * 256 * (32 + 256 + 1) + 256 * 10 + 10,
        )
    ),
)
gives(
    "tasks.recipe.LanguageRecipe.model",
    "two Dropout layers with seeds of their own",
    lambda: len({layer.seed for layer in recipe.DEFAULT.model(10).layers if isinstance(layer, Dropout)}),
    equal(2),
)
gives(
    "tasks.recipe.LanguageRecipe.schedule",
    "0 at step 0, the peak after the warm-up, 5% of it at the end",
    lambda: (lambda s: [s(0), s(78), s(3900)])(recipe.DEFAULT.schedule()),
    close([0.0, 8e-3, 4e-4]),
)
gives(
    "tasks.recipe.LanguageRecipe.optimizer",
    "a fresh Adam on the schedule",
    lambda: (lambda a: (type(a).__name__, a.iterations, a.learning_rate(78)))(recipe.DEFAULT.optimizer()),
    equal(("Adam", 0, 8e-3)),
)
gives(
    "tasks.recipe.LanguageRecipe.as_dict",
    "plain values",
    lambda: recipe.LanguageRecipe().as_dict()["hidden"],
    equal(256),
)


@pytest.mark.parametrize("row", TABLE.rows, ids=TABLE.ids())
def test_row(row: Row, tmp_path: Path) -> None:
    check(row, tmp_path)
