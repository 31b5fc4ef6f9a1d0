"""Chapter 10's language model and how it is trained: one recipe for the chapters and the CLI.

The model is ``language.char_model``: an embedding of E = 32, one LSTM layer of
H = 256 units and a Dense layer to the V logits, with dropout p = 0.25 on the two
connections that are not recurrent (Zaremba et al. 2014). It is trained by
truncated BPTT on B = 32 streams of T = 64 characters with Adam, gradients clipped
to norm 5, and a learning rate that climbs over the first 2% of the steps to
8e-3 and then follows half a cosine down to 5% of that (``schedules.CosineDecay``):

    recipe = DEFAULT                     # the default build's 3,900 steps (8 M characters)
    model = recipe.model(vocab.size)
    curve = train_char_model(model, train_ids, recipe.steps, heldout_ids,
                             batch_size=recipe.batch_size, seq_len=recipe.seq_len,
                             optimizer=recipe.optimizer(), clip_norm=recipe.clip_norm)

``FULL`` is the same recipe trained two and a half times as long (chapter 10's
``FULL_RUN``). Chapters 11 and 12 and ``python -m lstm_tutorial text`` read the
same recipe, so they describe the model chapter 10 trains.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..nn.model import Sequential
from ..nn.optim import Adam
from ..nn.schedules import CosineDecay
from .language import char_model

__all__ = ["DEFAULT", "FULL", "LanguageRecipe"]


@dataclass(frozen=True)
class LanguageRecipe:
    """A character language model and its training, by the numbers (see the module docstring).

    Attributes:
        embed, hidden, layers, dropout, seed: ``language.char_model``'s arguments.
        batch_size, seq_len: B streams of T characters a training step.
        steps: training steps (each reads B x T characters).
        learning_rate: the peak learning rate, reached after the warm-up.
        warmup_fraction: the share of the steps the warm-up takes (from 0 to the peak).
        alpha: where the cosine ends, as a fraction of the peak.
        clip_norm: the largest global norm of a step's gradients.
    """

    embed: int = 32
    hidden: int = 256
    layers: int = 1
    dropout: float = 0.25
    seed: int = 0
    batch_size: int = 32
    seq_len: int = 64
    steps: int = 3900
    learning_rate: float = 8e-3
    warmup_fraction: float = 0.02
    alpha: float = 0.05
    clip_norm: float = 5.0

    @property
    def warmup_steps(self) -> int:
        """Steps of the linear warm-up: ``warmup_fraction`` of ``steps``, at least 1."""
        return max(1, round(self.warmup_fraction * self.steps))

    @property
    def characters(self) -> int:
        """Training characters read: steps x B x T."""
        return self.steps * self.batch_size * self.seq_len

    def model(self, vocab_size: int) -> Sequential:
        """The untrained model, float32, stateful (``language.char_model``)."""
        return char_model(
            vocab_size, self.embed, self.hidden, self.layers, seed=self.seed, dropout=self.dropout
        )

    def schedule(self) -> CosineDecay:
        """The learning rate of every step: warm-up to ``learning_rate``, then the cosine."""
        return CosineDecay(
            0.0,
            decay_steps=self.steps - self.warmup_steps,
            alpha=self.alpha,
            warmup_target=self.learning_rate,
            warmup_steps=self.warmup_steps,
        )

    def optimizer(self) -> Adam:
        """A fresh Adam on ``schedule()`` (Keras' defaults otherwise)."""
        return Adam(learning_rate=self.schedule())

    def as_dict(self) -> dict[str, Any]:
        """The recipe as plain values (a kept model's recipe, a Keras twin's settings)."""
        return dataclasses.asdict(self)


DEFAULT = LanguageRecipe()
"""Chapter 10's default build: 3,900 steps, about 8 M training characters."""

FULL = dataclasses.replace(DEFAULT, steps=9750)
"""Chapter 10's ``FULL_RUN``: 9,750 steps, about 20 M training characters."""
