"""lstm_tutorial.tasks.ngram and lstm_tutorial.tasks.metrics: smoothed character n-gram baselines.

Independent witnesses: probabilities worked out by hand from the formula on tiny texts
(as exact fractions), the entropy of a text's character frequencies, a plain-Python
implementation with dictionaries written here, and the definitions of bits and
perplexity.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from lstm_tutorial.tasks.metrics import bits_per_char, perplexity
from lstm_tutorial.tasks.ngram import Smoothing, fit_ngram, sweep_orders
from lstm_tutorial.tasks.text import Vocabulary

SMOOTHINGS: tuple[Smoothing, ...] = ("kneser_ney", "absolute")


def random_text(n: int, seed: int) -> np.ndarray:
    """Ids of a text with some structure: a Markov chain over 6 symbols (id 6 never occurs)."""
    rng = np.random.default_rng(seed)
    cumulative = np.cumsum(rng.dirichlet(np.full(6, 0.3), size=6), axis=1).tolist()
    draws = rng.random(n).tolist()
    ids = [0]
    for u in draws[1:]:
        row = cumulative[ids[-1]]
        ids.append(min(sum(u > c for c in row), 5))  # the first state whose cumulative exceeds u
    return np.array(ids, dtype=np.int64)


@pytest.mark.parametrize("smoothing", SMOOTHINGS)
def test_probabilities_over_the_vocabulary_sum_to_one(smoothing: Smoothing) -> None:
    train = random_text(3000, seed=0)
    rng = np.random.default_rng(1)
    for order in range(5):
        model = fit_ngram(train, vocab_size=7, order=order, smoothing=smoothing)
        contexts = [np.zeros(0, dtype=np.int64), np.array([6, 6, 6, 6]), np.array([5])]
        contexts += [train[s : s + order + 2] for s in rng.integers(0, 2900, size=10)]
        contexts += [rng.integers(0, 7, size=order) for _ in range(10)]  # many never seen
        for context in contexts:
            p = model.probs(context)
            assert p.shape == (7,)
            assert np.all(p > 0)
            assert abs(p.sum() - 1.0) <= 1e-12


def test_unigram_cross_entropy_is_the_entropy_of_the_character_frequencies() -> None:
    vocab = Vocabulary.from_text("abracadabra")
    train = vocab.encode("abracadabra")
    # Unsmoothed (discount 0): P(w) = c(w) / N. Scored on the same 11 characters (log_probs
    # predicts every id after the first, so one id goes in front), the cross-entropy is the
    # entropy of the frequencies a 5, b 2, r 2, c 1, d 1 out of 11.
    model = fit_ngram(train, vocab.size, order=0, discount=0.0)
    scored = np.concatenate([[0], train])
    entropy = -sum(n / 11 * math.log(n / 11) for n in (5, 2, 2, 1, 1))
    assert model.cross_entropy(scored) == pytest.approx(entropy, rel=1e-14)
    assert entropy == pytest.approx(1.4143, abs=1e-4)  # 0.3584 + 0.6199 + 0.4360


def test_unigram_with_ney_discount_by_hand() -> None:
    vocab = Vocabulary.from_text("abracadabra")  # a b c d r, and the unknown id: V = 6
    model = fit_ngram(vocab.encode("abracadabra"), vocab.size, order=0)
    # n1 = 2 characters seen once (c, d), n2 = 2 seen twice (b, r): D = 2 / (2 + 2 * 2) = 1/3.
    d = Fraction(1, 3)
    assert model.discounts == pytest.approx((1 / 3,), rel=1e-15)
    # P(w) = max(c(w) - D, 0) / 11 + D * 5 / 11 * 1/6 (5 distinct characters seen, V = 6).
    floor = d * 5 / 11 / 6
    expected = [(c - d) / 11 + floor for c in (5, 2, 1, 1, 2)] + [floor]  # a b c d r unknown
    np.testing.assert_allclose(model.probs(np.zeros(0, dtype=np.int64)), [float(e) for e in expected])
    assert sum(expected) == 1


def order_one_by_hand(smoothing: Smoothing) -> dict[tuple[str, str], Fraction]:
    """P(w | previous character) of an order-1 model trained on "abacb", discount 1/2.

    Bigrams: ab, ba, ac, cb, once each. Context a: total 2, 2 distinct followers;
    contexts b and c: total 1, 1 follower. V = 4 (a, b, c and the unknown id "?").
    """
    d = Fraction(1, 2)
    if smoothing == "absolute":
        # Unigram level, raw counts a 2, b 2, c 1 out of 5, 3 distinct.
        lower_counts, lower_total = {"a": 2, "b": 2, "c": 1}, 5
    else:
        # Kneser-Ney: continuation counts, the distinct characters before each one:
        # a after b; b after a and c; c after a. Total 4, 3 distinct.
        lower_counts, lower_total = {"a": 1, "b": 2, "c": 1}, 4
    lower = {w: max(lower_counts.get(w, 0) - d, 0) / lower_total + d * 3 / lower_total / 4 for w in "abc?"}
    bigrams = {"ab": 1, "ba": 1, "ac": 1, "cb": 1}
    totals, types = {"a": 2, "b": 1, "c": 1}, {"a": 2, "b": 1, "c": 1}
    table = {}
    for h in "abc?":
        for w in "abc?":
            if h in totals:  # P1 = max(c(hw) - D, 0) / c(h) + D N1+(h .) / c(h) * P0(w)
                table[h, w] = (
                    max(bigrams.get(h + w, 0) - d, 0) / totals[h] + d * types[h] / totals[h] * lower[w]
                )
            else:  # an unseen context falls back to the unigram level whole
                table[h, w] = lower[w]
    return table


@pytest.mark.parametrize("smoothing", SMOOTHINGS)
def test_order_one_probabilities_by_hand(smoothing: Smoothing) -> None:
    vocab = Vocabulary.from_text("abacb")
    model = fit_ngram(vocab.encode("abacb"), vocab.size, order=1, smoothing=smoothing, discount=0.5)
    table = order_one_by_hand(smoothing)
    symbols = "abc?"  # in id order; "?" is the unknown id
    for h in symbols:
        p = model.probs(np.array([symbols.index(h)]))
        np.testing.assert_allclose(p, [float(table[h, w]) for w in symbols], rtol=1e-14)
    # Spot values: absolute P(b | a) = 1/4 + 1/2 * 3/8; Kneser-Ney = 1/4 + 1/2 * 15/32.
    assert table["a", "b"] == (Fraction(7, 16) if smoothing == "absolute" else Fraction(31, 64))
    held = "cabx"  # x is unknown
    ids = vocab.encode(held)
    expected = [math.log(table[h, w if w in "abc" else "?"]) for h, w in zip("cab", "abx", strict=True)]
    np.testing.assert_allclose(model.log_probs(ids), expected, rtol=1e-14)


def reference_model(
    text: str, order: int, smoothing: Smoothing, vocab_size: int, discounts: tuple[float, ...]
) -> Callable[[str, str], float]:
    """The same formula, written with strings and Counters: returns P(w | h)."""
    raw = [Counter(text[t - j : t + 1] for t in range(j, len(text))) for j in range(order + 1)]
    counts = []
    for j in range(order + 1):
        if smoothing == "absolute" or j == order:
            counts.append(raw[j])
        else:
            counts.append(Counter(gram[1:] for gram in raw[j + 1]))
    totals: list[Counter[str]] = [Counter() for _ in counts]
    types: list[Counter[str]] = [Counter() for _ in counts]
    for j, level in enumerate(counts):
        for gram, n in level.items():
            totals[j][gram[:-1]] += n
            types[j][gram[:-1]] += 1

    def prob(history: str, w: str) -> float:
        p = 1.0 / vocab_size
        for j in range(min(order, len(history)) + 1):
            h = history[len(history) - j :]
            if totals[j][h] > 0:
                d = discounts[j]
                p = (max(counts[j][h + w] - d, 0) + d * types[j][h] * p) / totals[j][h]
        return p

    return prob


@pytest.mark.parametrize("smoothing", SMOOTHINGS)
def test_log_probs_agree_with_a_plain_python_implementation(smoothing: Smoothing) -> None:
    train_text = "def f(x):\n    return x + 1\n\n\ndef g(y):\n    return f(y) * 2\n" * 3
    held_text = "def h(z):\n    return g(z) - f(z) # ok\n"
    vocab = Vocabulary.from_text(train_text)
    held = vocab.encode(held_text)
    for order in range(4):
        model = fit_ngram(vocab.encode(train_text), vocab.size, order, smoothing)
        prob = reference_model(train_text, order, smoothing, vocab.size, model.discounts)
        decoded = vocab.decode(held)  # unknown characters as the decoded placeholder, unseen in training
        expected = [math.log(prob(decoded[max(0, t - order) : t], decoded[t])) for t in range(1, len(held))]
        np.testing.assert_allclose(model.log_probs(held), expected, rtol=1e-12)


@pytest.mark.parametrize("smoothing", SMOOTHINGS)
def test_higher_order_helps_on_a_repetitive_text_and_stays_finite(smoothing: Smoothing) -> None:
    text = "the cat sat on the mat; the rat ate the hat. " * 40
    vocab = Vocabulary.from_text(text)
    train, held = vocab.encode(text[:1500]), vocab.encode(text[1500:])
    scores = [fit_ngram(train, vocab.size, k, smoothing).cross_entropy(held) for k in range(5)]
    assert all(a > b for a, b in itertools.pairwise(scores)), scores
    noise = np.random.default_rng(0).integers(0, vocab.size, size=500)  # unseen contexts, unknown ids
    for k in range(5):
        score = fit_ngram(train, vocab.size, k, smoothing).cross_entropy(noise)
        assert np.isfinite(score) and score > scores[0]
    # Without smoothing, a character never seen after its context has probability 0.
    assert fit_ngram(train, vocab.size, 2, smoothing, discount=0.0).cross_entropy(noise) == math.inf


def test_long_orders_and_large_vocabularies_need_no_wide_codes() -> None:
    # 1000 ** 13 is far beyond int64: the codes are dense string ids, not base-V numbers.
    ids = np.tile(np.array([999, 3, 500, 3, 999, 7, 42]), 30)
    model = fit_ngram(ids[:150], 1000, 12)
    p = model.probs(ids[150:170])
    assert abs(p.sum() - 1.0) <= 1e-12
    assert p.argmax() == ids[170]  # the pattern is learnt: the next id is the likeliest
    assert model.cross_entropy(ids[150:]) < fit_ngram(ids[:150], 1000, 1).cross_entropy(ids[150:])


def test_bits_per_char_and_perplexity_by_hand() -> None:
    assert bits_per_char(math.log(2)) == pytest.approx(1.0, rel=1e-15)
    assert bits_per_char(math.log(8)) == pytest.approx(3.0, rel=1e-15)
    assert perplexity(3.0) == 8.0
    assert perplexity(0.0) == 1.0
    # A uniform guess over 27 characters: ln 27 nats, log2 27 = 4.754887... bits, perplexity 27.
    assert bits_per_char(math.log(27)) == pytest.approx(4.754887502163468, rel=1e-15)
    assert perplexity(bits_per_char(math.log(27))) == pytest.approx(27.0, rel=1e-14)
    assert bits_per_char(math.inf) == math.inf and perplexity(math.inf) == math.inf
    assert bits_per_char(np.float32(math.log(4))) == pytest.approx(2.0, rel=1e-7)


def test_bad_arguments_are_named() -> None:
    ids = np.array([0, 1, 2, 1, 0])
    with pytest.raises(ValueError, match="vocab_size"):
        fit_ngram(ids, 0, 1)
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 1\]"):
        fit_ngram(ids, 2, 1)
    with pytest.raises(TypeError, match="ids"):
        fit_ngram(ids.astype(float), 3, 1)
    with pytest.raises(ValueError, match="order"):
        fit_ngram(ids, 3, -1)
    with pytest.raises(ValueError, match="smoothing"):
        fit_ngram(ids, 3, 1, "kn")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="discount"):
        fit_ngram(ids, 3, 1, discount=1.5)
    model = fit_ngram(ids, 3, 1)
    with pytest.raises(ValueError, match="at least 2 ids"):
        model.log_probs(np.array([1]))
    with pytest.raises(ValueError, match="context"):
        model.probs(np.array([3]))
    with pytest.raises(ValueError, match="nats"):
        bits_per_char(-0.1)
    with pytest.raises(TypeError, match="bpc"):
        perplexity("2")
    with pytest.raises(ValueError, match="bpc"):
        perplexity(math.nan)


def test_both_sorting_paths_give_the_same_order() -> None:
    from lstm_tutorial.tasks.ngram import _sort_with_positions

    rng = np.random.default_rng(0)
    for codes in (rng.integers(-5, 50, size=1000), rng.integers(0, 2**61, size=1000)):  # packed, argsort
        ordered, positions = _sort_with_positions(codes)
        np.testing.assert_array_equal(ordered, np.sort(codes))
        np.testing.assert_array_equal(codes[positions], ordered)
        assert sorted(positions.tolist()) == list(range(1000))


def test_the_sweep_scores_each_order_as_its_own_fit_does() -> None:
    # The sweep counts once and shares the levels between orders; each order's held-out
    # bits must be exactly those of fitting that order alone.
    rng = np.random.default_rng(5)
    text = np.concatenate([np.tile(rng.integers(0, 9, 37), 40), rng.integers(0, 9, 500)])
    train, heldout = text[:1600], text[1600:]
    swept = sweep_orders(train, 9, heldout, at_least=10, min_gain=1e-9)
    assert list(swept)[:11] == [0, 1, 2, 3, 4, 5, 6, 8, 10, 16, 24][: len(swept)]
    for k, bits in swept.items():
        alone = fit_ngram(train, 9, k).cross_entropy(heldout) / np.log(2.0)
        assert bits == alone, (k, bits, alone)
