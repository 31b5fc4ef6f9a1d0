"""lstm_tutorial.tasks.novelty: how much of a sample is copied, and how much an n-gram model stores.

Independent witnesses: Python's own substring search (``window in training_text``) for every
window, strings written by hand, a hash collision built on purpose (the Thue-Morse strings, for
which polynomial hashes modulo 2**64 collide whatever the odd base), and the distinct substrings
of a text counted with Python sets.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lstm_tutorial.tasks import novelty
from lstm_tutorial.tasks.ngram import fit_ngram
from lstm_tutorial.tasks.text import Vocabulary


def by_search(sample: str, training_text: str, n: int) -> list[bool]:
    return [sample[i : i + n] in training_text for i in range(len(sample) - n + 1)]


def markov_text(length: int, seed: int, alphabet: str = "ab c\n") -> str:
    """A walk of one Markov chain (the same for every seed), so that some windows of one such
    text occur in another and some do not."""
    transitions = np.random.default_rng(100).dirichlet(np.full(len(alphabet), 0.3), size=len(alphabet))
    rng = np.random.default_rng(seed)
    state, out = 0, []
    for _ in range(length):
        state = int(rng.choice(len(alphabet), p=transitions[state]))
        out.append(alphabet[state])
    return "".join(out)


@pytest.mark.parametrize("n", [1, 3, 6, 12])
def test_the_mask_agrees_with_pythons_substring_search(n: int) -> None:
    training_text = markov_text(3000, seed=0)
    for seed in (1, 2):
        sample = markov_text(400, seed=seed)
        mask = novelty.verbatim_mask(sample, training_text, n)
        assert mask.dtype == np.bool_ and mask.shape == (400 - n + 1,)
        assert mask.tolist() == by_search(sample, training_text, n)
    found = np.mean(by_search(markov_text(400, seed=1), training_text, 6))
    assert 0.05 < found < 0.95  # the texts are chosen so that both answers occur


def test_a_share_counts_every_window_of_every_sample_and_none_across_two() -> None:
    training_text = markov_text(3000, seed=3)
    samples = [markov_text(200, seed=4), training_text[100:180], markov_text(50, seed=5)]
    expected = [found for sample in samples for found in by_search(sample, training_text, 8)]
    assert novelty.verbatim_share(samples, training_text, 8) == pytest.approx(np.mean(expected), abs=1e-15)
    assert novelty.verbatim_share(tuple(samples), training_text, 8) == novelty.verbatim_share(
        samples, training_text, 8
    )
    # "abcd", "bcde" and "cdef" would be found in the two samples joined, but in neither alone.
    assert novelty.verbatim_share(["xxabc", "defyy"], "abcdef", 4) == 0.0
    assert novelty.verbatim_share("xxabcdefyy", "abcdef", 4) == 3 / 7


def test_by_hand() -> None:
    assert novelty.verbatim_share("def f(x):", "def f(x):\n    return x\n", 4) == 1.0  # copied whole
    # Windows of "return y": "retu", "etur", "turn", "urn " are found, "rn y" is not.
    assert novelty.verbatim_mask("return y", "    return x\n", 4).tolist() == [True] * 4 + [False]
    assert novelty.verbatim_share("zzzz", "abc zz", 3) == 0.0
    # Characters beyond the Basic Multilingual Plane and lone surrogates are one character each.
    assert novelty.verbatim_mask("é😀\ud800x", "aé😀\ud800", 2).tolist() == [True, True, False]


def test_a_hash_collision_is_settled_by_comparing_the_strings() -> None:
    # Thue-Morse: t_{k+1} = t_k + complement(t_k). For any odd base B, hash(t_k) - hash(complement)
    # is a product of k factors B**(2**i) - 1, each divisible by 2**(i + 1): 0 modulo 2**64 at k = 11.
    morse, flipped = "a", "b"
    for _ in range(11):
        morse, flipped = morse + flipped, flipped + morse
    n = len(morse)  # 2048
    hashes = novelty._window_hashes(morse + flipped, n)
    assert hashes[0] == hashes[n] and morse != flipped  # the test is about this collision
    assert novelty.verbatim_share(flipped, morse + "c", n) == 0.0  # same hash, not in the text
    # The first training window with that hash is the other string; the sample occurs later.
    assert novelty.verbatim_share(flipped, morse + flipped, n) == 1.0
    assert novelty.verbatim_mask(morse + flipped, morse + "c", n).tolist() == by_search(
        morse + flipped, morse + "c", n
    )


@pytest.mark.parametrize(
    ("call", "error", "fragments"),
    [
        (lambda: novelty.verbatim_share("abc", "abcabc", 0), ValueError, ("n", ">= 1", "0")),
        (lambda: novelty.verbatim_share("abc", "abcabc", True), TypeError, ("n", "bool")),
        (lambda: novelty.verbatim_share("abc", "abcabc", 2.0), TypeError, ("n", "float")),
        (lambda: novelty.verbatim_share("ab", "abcabc", 3), ValueError, ("samples", "n = 3", "got 2")),
        (lambda: novelty.verbatim_share(["abc", "a"], "abcabc", 2), ValueError, ("samples[1]", "got 1")),
        (lambda: novelty.verbatim_share([], "abcabc", 2), ValueError, ("samples", "at least one")),
        (lambda: novelty.verbatim_share(["abc", 7], "abcabc", 2), TypeError, ("samples[1]", "str", "int")),
        (lambda: novelty.verbatim_share(np.array(["abc"]), "abc", 2), TypeError, ("samples", "an array")),
        (lambda: novelty.verbatim_share("abcd", "abc", 4), ValueError, ("training_text", "n = 4", "got 3")),
        (lambda: novelty.verbatim_share("abcd", b"abcd", 2), TypeError, ("training_text", "bytes")),
        (lambda: novelty.verbatim_mask(["abcd"], "abcd", 2), TypeError, ("sample", "list")),
        (lambda: novelty.verbatim_mask("ab", "abcd", 3), ValueError, ("sample", "got 2")),
    ],
)
def test_bad_arguments_are_refused_by_name(call, error, fragments) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))


def distinct_substrings(text: str, longest: int) -> int:
    return sum(len({text[i : i + k] for i in range(len(text) - k + 1)}) for k in range(1, longest + 1))


@pytest.mark.parametrize("order", [0, 1, 2, 4])
def test_absolute_discounting_keeps_one_count_per_distinct_substring(order: int) -> None:
    text = markov_text(2000, seed=6)
    vocab = Vocabulary.from_text(text)
    model = fit_ngram(vocab.encode(text), vocab.size, order, smoothing="absolute")
    assert novelty.ngram_stored_counts(model) == distinct_substrings(text, order + 1)


def test_kneser_ney_keeps_no_continuation_count_for_what_only_the_start_has() -> None:
    # "xabab": unigrams x, a, b; bigrams xa, ab, ba. With Kneser-Ney, order 1, the unigram level
    # counts the characters seen before each: x has none (it only starts the text), so it is not kept.
    vocab = Vocabulary.from_text("xab")
    ids = vocab.encode("xabab")
    assert novelty.ngram_stored_counts(fit_ngram(ids, vocab.size, 1, smoothing="absolute")) == 3 + 3
    assert novelty.ngram_stored_counts(fit_ngram(ids, vocab.size, 1)) == 2 + 3
    # Order 2: trigrams xab, aba, bab (3); bigrams ab (after x and b), ba (after a); xa has none.
    assert novelty.ngram_stored_counts(fit_ngram(ids, vocab.size, 2)) == 2 + 2 + 3


def test_the_count_grows_with_the_order_and_a_non_model_is_refused() -> None:
    text = markov_text(3000, seed=7)
    vocab = Vocabulary.from_text(text)
    sizes = [novelty.ngram_stored_counts(fit_ngram(vocab.encode(text), vocab.size, k)) for k in range(5)]
    assert all(a < b for a, b in itertools.pairwise(sizes))
    with pytest.raises(TypeError, match=r"model must be an ngram\.NGramModel"):
        novelty.ngram_stored_counts("order 3")  # type: ignore[arg-type]
