"""Addition as a sequence-to-sequence task: "535+61" in, "596" out.

The questions are drawn as Keras' example "Sequence to sequence learning for
performing number addition" (keras-io, ``addition_rnn``) draws them: each number has
a length drawn uniformly from 1 to ``digits`` and that many digits drawn uniformly
(so "007" is the number 7), and a question a+b is kept only if neither a+b nor b+a
was drawn before. The held-out questions are a random tenth, as the example's
shuffle-and-split takes them; since no pair is drawn twice, no held-out question is
in the training set (``shared_questions`` checks it), though its sum may be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..nn import _checks
from .vocab import Vocabulary, teacher_forcing_inputs

__all__ = [
    "KERAS_CHARS",
    "KERAS_COLUMNS",
    "AdditionSet",
    "addition_pairs",
    "addition_set",
    "addition_texts",
    "character_accuracy",
    "decode",
    "held_out_split",
    "keras_answers",
    "keras_queries",
    "most_frequent_answer",
    "most_frequent_characters",
    "one_hot",
    "shared_questions",
    "shared_sums",
    "whole_answer_accuracy",
]

SYMBOLS = "0123456789+"
"""The characters of questions and answers; ``tasks.vocab`` puts PAD, START and END before them."""

MAX_DRAWS_FACTOR = 20
"""``addition_pairs`` gives up after drawing 20 times the pairs asked for: a request near the
number of distinct pairs would otherwise run for a long time."""


def _numbers(rng: np.random.Generator, count: int, digits: int) -> np.ndarray:
    """``count`` numbers as Keras' example draws them: a length in [1, digits], then that many digits."""
    lengths = rng.integers(1, digits + 1, size=count)
    drawn = rng.integers(0, 10, size=(count, digits))
    place = np.arange(digits)[None, :]
    powers = 10 ** np.clip(lengths[:, None] - 1 - place, 0, None)
    return np.where(place < lengths[:, None], drawn * powers, 0).sum(axis=1)


def addition_pairs(count: int, digits: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` distinct questions a+b, as two arrays of numbers.

    Args:
        count: N, the number of questions (Keras' example: 50,000), at most a quarter of the
            distinct unordered pairs of numbers below 10**digits.
        digits: the most digits a number has (the example: 3), from 1 to 9.
        seed: the generator's seed, an integer >= 0.

    Returns:
        ``(a, b)``: two (N,) int64 arrays; no pair {a, b} appears twice, in either order.
    """
    count = _checks.positive_int("count", count)
    digits = _checks.positive_int("digits", digits)
    if digits > 9:
        raise ValueError(f"digits must be from 1 to 9 (sums fit in int64 and the text), got {digits}")
    numbers = 10**digits
    pairs = numbers * (numbers + 1) // 2
    limit = pairs // 4
    if count > limit:
        raise ValueError(
            f"count must be at most {limit:,} for digits={digits} (a quarter of the {pairs:,} distinct "
            f"pairs), got {count:,}"
        )
    rng = np.random.default_rng(_checks.seed("seed", seed, allow_none=False))
    seen: set[tuple[int, int]] = set()
    a_kept: list[int] = []
    b_kept: list[int] = []
    draws = 0
    while len(a_kept) < count:
        if draws > MAX_DRAWS_FACTOR * count:
            raise RuntimeError(f"drew {draws:,} pairs and found only {len(a_kept):,} distinct ones")
        chunk = max(1024, count - len(a_kept))
        a_new, b_new = _numbers(rng, chunk, digits), _numbers(rng, chunk, digits)
        draws += chunk
        for a, b in zip(a_new.tolist(), b_new.tolist(), strict=True):
            key = (a, b) if a <= b else (b, a)
            if key in seen:
                continue
            seen.add(key)
            a_kept.append(a)
            b_kept.append(b)
            if len(a_kept) == count:
                break
    return np.array(a_kept, dtype=np.int64), np.array(b_kept, dtype=np.int64)


def addition_texts(a: Any, b: Any) -> tuple[list[str], list[str]]:
    """The questions "a+b" and answers "a + b" as text, unpadded and unreversed.

    Args:
        a, b: (N,) non-negative integer arrays.

    Returns:
        ``(questions, answers)``: two lists of N strings.
    """
    a = _checks.index_array("a", a, 1, 10**18, "(N,)")
    b = _checks.index_array("b", b, 1, 10**18, "(N,)")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape (N,), got {a.shape} and {b.shape}")
    pairs = zip(a.tolist(), b.tolist(), strict=True)
    questions, answers = zip(*((f"{x}+{y}", str(x + y)) for x, y in pairs), strict=True)
    return list(questions), list(answers)


def held_out_split(count: int, fraction: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of a random split: the last ``fraction`` of a shuffled order is held out.

    As Keras' example splits: shuffle the N indices, keep the first N - floor(N * fraction)
    for training and hold out the rest.

    Args:
        count: N, the number of examples.
        fraction: the share held out, in (0, 1).
        seed: the shuffle's seed, an integer >= 0.

    Returns:
        ``(train, held_out)``: int64 index arrays, disjoint, together 0 .. N - 1.
    """
    count = _checks.positive_int("count", count)
    fraction = _checks.finite_number("fraction", fraction, 0.0, 1.0, low_open=True, high_open=True)
    held = int(count * fraction)
    if held == 0 or held == count:
        raise ValueError(f"fraction * count must leave both parts non-empty, got {fraction} * {count}")
    order = np.random.default_rng(_checks.seed("seed", seed, allow_none=False)).permutation(count)
    return order[: count - held], order[count - held :]


def shared_questions(train: list[str], held_out: list[str]) -> int:
    """How many held-out questions also appear in the training set, counting a+b and b+a as one.

    Args:
        train, held_out: questions "a+b" (unpadded, unreversed).

    Returns:
        The number of held-out questions whose pair {a, b} is also a training question.
    """

    def key(question: str) -> tuple[str, ...]:
        return tuple(sorted(question.split("+")))

    seen = {key(q) for q in train}
    return sum(key(q) in seen for q in held_out)


@dataclass(frozen=True)
class AdditionSet:
    """Addition questions as an encoder-decoder reads them: variable lengths, ids, a held-out split.

    Attributes:
        vocabulary: ``Vocabulary("0123456789+")``: PAD 0, START 1, END 2, then the symbols.
        questions: N questions "a+b", as written (unreversed).
        answers: N answers, the sums as written.
        source: (N, S) the encoder's ids: each question, reversed if ``reversed_source``, PAD on the right.
        target: (N, T) the decoder's targets: each answer and END, PAD on the right.
        decoder_input: (N, T) what the decoder reads in training: START, then the target shifted right.
        train: indices of the training questions.
        held_out: indices of the held-out questions (none of them a training question).
        reversed_source: whether the source was reversed (Sutskever et al. 2014).
    """

    vocabulary: Vocabulary
    questions: list[str]
    answers: list[str]
    source: np.ndarray
    target: np.ndarray
    decoder_input: np.ndarray
    train: np.ndarray
    held_out: np.ndarray
    reversed_source: bool


def addition_set(
    count: int = 50_000, digits: int = 3, seed: int = 0, reverse: bool = True, fraction: float = 0.1
) -> AdditionSet:
    """``count`` distinct questions (``addition_pairs``) as an encoder-decoder reads them, split as
    Keras' example splits.

    Args:
        count: N, the number of questions.
        digits: the most digits a number has.
        seed: the seed of the questions and of the split, an integer >= 0.
        reverse: reverse each question's characters (the source reads "16+535" for "535+61").
        fraction: the share held out, in (0, 1).

    Returns:
        The ``AdditionSet``.
    """
    reverse = _checks.flag("reverse", reverse)
    a, b = addition_pairs(count, digits, seed)
    questions, answers = addition_texts(a, b)
    vocabulary = Vocabulary(SYMBOLS)
    source = vocabulary.encode([q[::-1] if reverse else q for q in questions], end=False)
    target = vocabulary.encode(answers, end=True)
    train, held_out = held_out_split(count, fraction, seed)
    return AdditionSet(
        vocabulary,
        questions,
        answers,
        source,
        target,
        teacher_forcing_inputs(target),
        train,
        held_out,
        reverse,
    )


def most_frequent_answer(answers: list[str]) -> str:
    """The answer given most often (the smallest, as text, among ties): a trivial model's one reply."""
    if not isinstance(answers, list) or not answers:
        raise ValueError(f"answers must be a non-empty list of strings, got {_checks.describe(answers)}")
    counts: dict[str, int] = {}
    for answer in answers:
        counts[answer] = counts.get(answer, 0) + 1
    return min(counts, key=lambda answer: (-counts[answer], answer))


def whole_answer_accuracy(predicted: list[str], true: list[str]) -> float:
    """The share of answers exactly right, every character and the length.

    Args:
        predicted, true: N strings each.

    Returns:
        A number in [0, 1].
    """
    for name, value in (("predicted", predicted), ("true", true)):
        if not isinstance(value, list) or not value:
            raise TypeError(f"{name} must be a non-empty list of strings, got {_checks.describe(value)}")
    if len(predicted) != len(true):
        raise ValueError(
            f"predicted and true must have the same length, got {len(predicted)} and {len(true)}"
        )
    return sum(p == t for p, t in zip(predicted, true, strict=True)) / len(true)


# --- Keras' format: padded, reversed, one-hot -----------------------------------------------------

KERAS_CHARS = "0123456789+ "
"""The example's 12 characters, as it writes them: digits, plus, space."""

KERAS_COLUMNS = "".join(sorted(set(KERAS_CHARS)))
"""The characters in the order of the one-hot columns, " +0123456789": the example's
``CharacterTable`` sorts the characters it is given."""


def keras_queries(a: Any, b: Any, digits: int = 3, reverse: bool = True) -> list[str]:
    """The questions as Keras' example writes them: "a+b" padded with spaces to
    2 * digits + 1 characters, then reversed ("535+61" -> "535+61 " -> " 16+535").

    Args:
        a, b: (N,) non-negative integers below 10**digits.
        digits: the most digits a number has.
        reverse: reverse each padded query (the example's ``REVERSE = True``).

    Returns:
        N strings of 2 * digits + 1 characters.
    """
    questions, _ = addition_texts(*_below(a, b, digits))
    padded = [q.ljust(2 * digits + 1) for q in questions]
    return [q[::-1] for q in padded] if _checks.flag("reverse", reverse) else padded


def keras_answers(a: Any, b: Any, digits: int = 3) -> list[str]:
    """The answers as the example writes them: the sum padded with spaces to digits + 1 characters."""
    _, answers = addition_texts(*_below(a, b, digits))
    return [s.ljust(digits + 1) for s in answers]


def _below(a: Any, b: Any, digits: Any) -> tuple[np.ndarray, np.ndarray]:
    """a and b checked as (N,) integers in [0, 10**digits)."""
    high = 10 ** _checks.positive_int("digits", digits)
    return _checks.index_array("a", a, 1, high, "(N,)"), _checks.index_array("b", b, 1, high, "(N,)")


def one_hot(texts: list[str], length: int, dtype: Any = np.float32) -> np.ndarray:
    """Texts as one-hot rows in ``KERAS_COLUMNS`` order, the example's ``CharacterTable.encode``.

    Args:
        texts: N strings of exactly ``length`` characters, each one of ``KERAS_CHARS``.
        length: L, their length (7 for 3-digit queries, 4 for answers).
        dtype: the array's dtype (the example uses bool; the models here take floats).

    Returns:
        (N, L, 12): row [n, t] is 1 in the column of character t of text n, 0 elsewhere.
    """
    length = _checks.positive_int("length", length)
    if not isinstance(texts, (list, tuple)) or not texts:
        raise TypeError(f"texts must be a non-empty list of strings, got {_checks.describe(texts)}")
    columns = {char: k for k, char in enumerate(KERAS_COLUMNS)}
    ids = np.zeros((len(texts), length), dtype=np.int64)
    for n, text in enumerate(texts):
        if not isinstance(text, str) or len(text) != length:
            raise ValueError(f"texts[{n}] must be a string of {length} characters, got {text!r}")
        unknown = sorted(set(text) - set(columns))
        if unknown:
            raise ValueError(f"texts[{n}] holds {unknown}, which are not among {KERAS_CHARS!r}")
        ids[n] = [columns[char] for char in text]
    return np.eye(len(KERAS_COLUMNS), dtype=dtype)[ids]


def decode(rows: Any) -> list[str]:
    """Text from one-hot rows or probabilities: the most likely character at each position
    (the example's ``CharacterTable.decode(x, calc_argmax=True)``).

    Args:
        rows: (N, L, 12) one-hot rows, probabilities or logits (the argmax is the same).

    Returns:
        N strings of L characters.
    """
    rows = _checks.float_array("rows", rows, ndim=3)
    if rows.shape[-1] != len(KERAS_COLUMNS):
        raise ValueError(f"rows must have {len(KERAS_COLUMNS)} columns (KERAS_COLUMNS), got {rows.shape[-1]}")
    chars = np.array(list(KERAS_COLUMNS))
    return ["".join(row) for row in chars[rows.argmax(axis=-1)]]


def character_accuracy(predicted: list[str], answers: list[str]) -> float:
    """The share of answer characters predicted right, padding included: Keras' ``accuracy``
    metric on the example's one-hot targets (per position, averaged over every position)."""
    hits, total = _compared(predicted, answers)
    return float(hits.sum() / total)


def _compared(predicted: list[str], answers: list[str]) -> tuple[np.ndarray, int]:
    """Whether each character is right, (N, L) booleans, and N * L."""
    if not isinstance(predicted, list) or not isinstance(answers, list) or len(predicted) != len(answers):
        raise ValueError(
            "predicted and answers must be two lists of the same length, got "
            f"{_checks.describe(predicted)} and {_checks.describe(answers)}"
        )
    if not answers:
        raise ValueError("answers must not be empty")
    lengths = {len(text) for text in [*predicted, *answers]}
    if len(lengths) != 1:
        raise ValueError(
            f"predicted and answers must all have one length (padded), got lengths {sorted(lengths)}"
        )
    hits = np.array(
        [[p == a for p, a in zip(pt, at, strict=True)] for pt, at in zip(predicted, answers, strict=True)]
    )
    return hits, hits.size


def most_frequent_characters(answers: list[str]) -> str:
    """The character seen most often at each position of the training answers (the first in
    ``KERAS_COLUMNS`` order on a tie): the per-character baseline's one answer."""
    hits, _ = _compared(answers, answers)  # checks one length
    columns = one_hot(answers, hits.shape[1], np.int64).sum(axis=0)  # (L, 12) counts
    return "".join(KERAS_COLUMNS[k] for k in columns.argmax(axis=1))


def shared_sums(train_answers: list[str], held_out_answers: list[str]) -> int:
    """How many held-out questions have a sum that some training question also has ("3+5" held
    out, "2+6" trained on): the held-out question is new, its answer is not."""
    seen = {answer.strip() for answer in train_answers}
    return sum(answer.strip() in seen for answer in held_out_answers)
