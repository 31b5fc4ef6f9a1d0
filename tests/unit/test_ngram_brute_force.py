"""The chapter-10 baselines re-checked by brute force on the real corpus.

``fit_ngram`` counts with sorted integer codes and binary searches; here the same models are
written again from Chen & Goodman (1998, "An empirical study of smoothing techniques for language
modeling", sections 3.4 and 3.5: interpolated absolute discounting and interpolated Kneser-Ney)
with plain dictionaries keyed by context strings, their own discounts (Ney's ``n1 / (n1 + 2 n2)``
counted here) and their own treatment of short and unseen contexts, and run on a slice of the
standard-library corpus the book trains on. Nothing is taken from the fitted model.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
import pytest

from lstm_tutorial.tasks.metrics import bits_per_char
from lstm_tutorial.tasks.ngram import Smoothing, fit_ngram
from lstm_tutorial.tasks.text import Vocabulary, load_stdlib_corpus

TRAIN_SLICE = 40_000
HELD_SLICE = 4_000


class BruteForceNGram:
    """P(w | h) for an order-k character model, from Chen & Goodman's recursive definitions.

    Level j (context length j) holds ``table[j][h][w]``: for absolute discounting the number of
    times h w occurs; for Kneser-Ney the same at the top level j = k, and below it the number of
    distinct characters v with ``v h w`` in the text (the continuation count N1+(. h w)).
    """

    def __init__(self, text: str, order: int, smoothing: Smoothing, alphabet: str) -> None:
        self.order, self.alphabet = order, alphabet
        self.table: list[dict[str, Counter[str]]] = []
        for j in range(order + 1):
            level: dict[str, Counter[str]] = defaultdict(Counter)
            if smoothing == "absolute" or j == order:
                for t in range(j, len(text)):
                    level[text[t - j : t]][text[t]] += 1
            else:
                preceded: dict[str, set[str]] = defaultdict(set)  # h w -> the characters seen before it
                for t in range(j + 1, len(text)):
                    preceded[text[t - j : t + 1]].add(text[t - j - 1])
                for gram, before in preceded.items():
                    level[gram[:-1]][gram[-1]] += len(before)
            self.table.append(level)
        self.discount = []
        for level in self.table:
            values = [n for followers in level.values() for n in followers.values()]
            n1, n2 = values.count(1), values.count(2)
            self.discount.append(n1 / (n1 + 2 * n2) if n1 else 0.5)

    def prob(self, history: str, w: str) -> float:
        """P(w | the last ``order`` characters of history), recursively from the uniform 1/V."""

        def p(j: int) -> float:
            if j < 0:
                return 1.0 / len(self.alphabet)
            lower = p(j - 1)
            if j > len(history):  # the text before this position is shorter than the context
                return lower
            followers = self.table[j].get(history[len(history) - j :])
            if not followers:  # a context never seen: all of the weight goes to the lower level
                return lower
            total, d = sum(followers.values()), self.discount[j]
            return max(followers[w] - d, 0.0) / total + d * len(followers) / total * lower

        return p(self.order)


@pytest.fixture(scope="module")
def corpus_slice() -> tuple[str, str, Vocabulary]:
    corpus = load_stdlib_corpus()
    vocab = Vocabulary.from_text(corpus.train)
    return corpus.train[:TRAIN_SLICE], corpus.heldout[:HELD_SLICE], vocab


@pytest.mark.parametrize("smoothing", ["kneser_ney", "absolute"])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_fit_ngram_agrees_with_a_brute_force_count_on_the_corpus(
    corpus_slice: tuple[str, str, Vocabulary], order: int, smoothing: Smoothing
) -> None:
    train, held, vocab = corpus_slice
    alphabet = vocab.chars + vocab.unknown_char  # one symbol per id, in id order
    train_text, held_text = vocab.decode(vocab.encode(train)), vocab.decode(vocab.encode(held))
    brute = BruteForceNGram(train_text, order, smoothing, alphabet)
    model = fit_ngram(vocab.encode(train), vocab.size, order, smoothing)
    assert model.discounts == pytest.approx(brute.discount, rel=1e-12)

    expected = np.array(
        [math.log(brute.prob(held_text[max(0, t - order) : t], held_text[t])) for t in range(1, len(held))]
    )
    # Probabilities, not their logs: ln p of a p near 1 is near 0, where a relative error means nothing.
    np.testing.assert_allclose(np.exp(model.log_probs(vocab.encode(held))), np.exp(expected), rtol=1e-12)
    # The number the chapter quotes: held-out bits per character.
    assert bits_per_char(model.cross_entropy(vocab.encode(held))) == pytest.approx(
        -expected.mean() / math.log(2), rel=1e-12
    )
    # The brute-force model is a distribution over the vocabulary after seen and unseen contexts.
    for history in (train_text[100:103], held_text[50:53], alphabet[-4:-1]):
        total = sum(brute.prob(history, w) for w in alphabet)
        assert total == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(
            model.probs(vocab.encode(history)), [brute.prob(history, w) for w in alphabet], rtol=1e-10
        )
