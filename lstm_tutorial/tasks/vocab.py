"""Characters as ids for sequence-to-sequence models: padding, start and end.

Every vocabulary of Part IV reserves three ids before its symbols:

    PAD = 0     padding after a short sequence: masked (Keras' ``mask_zero=True``)
    START = 1   what the decoder reads first, before any output character
    END = 2     the decoder's last output: the answer is complete

so ``Vocabulary("0123456789+")`` gives "0" the id 3 and "+" the id 13, and its
``size`` is 14. A batch of texts of different lengths becomes one (N, L) array,
padded with PAD on the right; ``decode`` reads ids back up to the first END.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..nn import _checks

__all__ = ["END", "PAD", "START", "Vocabulary", "teacher_forcing_inputs"]

PAD, START, END = 0, 1, 2
RESERVED = 3
"""The ids taken before the symbols: PAD, START and END."""


@dataclass(frozen=True)
class Vocabulary:
    """Ids for a fixed set of characters, after PAD, START and END.

    Attributes:
        symbols: the characters, each once; ``symbols[k]`` has the id k + 3.
    """

    symbols: str
    _ids: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.symbols, str) or not self.symbols:
            raise TypeError(
                f"symbols must be a non-empty string of characters, got {_checks.describe(self.symbols)}"
            )
        repeated = sorted({ch for ch in self.symbols if self.symbols.count(ch) > 1})
        if repeated:
            raise ValueError(f"symbols must hold each character once, got {repeated} more than once")
        object.__setattr__(self, "_ids", {ch: k + RESERVED for k, ch in enumerate(self.symbols)})

    @property
    def size(self) -> int:
        """V, the number of ids: the symbols and the three reserved ones."""
        return len(self.symbols) + RESERVED

    def encode(self, texts: Sequence[str], end: bool = True, length: int | None = None) -> np.ndarray:
        """Texts as one (N, L) array of ids, each row padded with PAD on the right.

        Args:
            texts: N strings of the vocabulary's symbols.
            end: append END to every text (a decoder's target), or not (a source).
            length: L, the row length; the longest text's (with its END) if None.

        Returns:
            (N, L) int64 ids.
        """
        if isinstance(texts, str) or not isinstance(texts, Sequence) or not texts:
            raise TypeError(f"texts must be a non-empty list of strings, got {_checks.describe(texts)}")
        rows: list[list[int]] = []
        for k, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{k}] must be a string, got {_checks.describe(text)}")
            unknown = sorted(set(text) - set(self._ids))
            if unknown:
                raise ValueError(
                    f"texts[{k}] = {text!r} holds {unknown}, not in the symbols {self.symbols!r}"
                )
            rows.append([self._ids[ch] for ch in text] + ([END] if end else []))
        longest = max(len(row) for row in rows)
        if length is None:
            length = longest
        length = _checks.positive_int("length", length)
        if length < longest:
            raise ValueError(f"length must be at least {longest}, the longest text's ids, got {length}")
        ids = np.full((len(rows), length), PAD, dtype=np.int64)
        for k, row in enumerate(rows):
            ids[k, : len(row)] = row
        return ids

    def decode(self, ids: Any) -> list[str]:
        """(N, L) ids back to N strings, each read up to its first END; PAD and START are skipped.

        Args:
            ids: (N, L) integer ids in [0, V).

        Returns:
            N strings.
        """
        ids = _checks.index_array("ids", ids, 2, self.size, "(N, L)")
        texts = []
        for row in ids:
            chars = []
            for i in row.tolist():
                if i == END:
                    break
                if i >= RESERVED:
                    chars.append(self.symbols[i - RESERVED])
            texts.append("".join(chars))
        return texts


def teacher_forcing_inputs(target: Any) -> np.ndarray:
    """What a decoder reads in training: START, then the target shifted right by one.

    At step t the decoder reads the true character of step t - 1 (teacher forcing,
    Williams & Zipser 1989) and is asked for the character of step t. Where the
    target is padding, the input is padding too.

    Args:
        target: (N, T) ids, PAD-padded on the right.

    Returns:
        (N, T) int64 ids: column 0 is START, column t is target[:, t - 1].
    """
    target = _checks.index_array("target", target, 2, np.iinfo(np.int64).max, "(N, T)")
    inputs = np.empty(target.shape, dtype=np.int64)
    inputs[:, 0] = START
    inputs[:, 1:] = target[:, :-1]
    inputs[target == PAD] = PAD
    return inputs
