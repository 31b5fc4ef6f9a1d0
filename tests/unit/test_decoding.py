"""Greedy, beam and exhaustive search (``nn.decoding``) on toy decoders built from the package's parts.

The toys: ``LSTMToy`` encodes the source with an LSTM and decodes with an Embedding, an LSTM
cell and a Dense layer, random weights; ``TableToy`` reads its next-id probabilities from a
table of prefixes written here by hand. Each test compares with something the searches do
not compute themselves: the toy's own teacher-forced pass over the whole sequence
(``lstm_forward``, not the step the searches call), probabilities summed by hand, or
sequences worked out on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from lstm_tutorial.nn import decoding
from lstm_tutorial.nn.decoding import END, START, beam_search, exhaustive_search, greedy_decode
from lstm_tutorial.nn.embedding import Embedding
from lstm_tutorial.nn.layers import Dense
from lstm_tutorial.nn.lstm import LSTMParams, lstm_forward


@dataclass
class ToyState:
    h: np.ndarray
    c: np.ndarray

    def select(self, rows: np.ndarray) -> ToyState:
        assert len(rows) >= 1, "no rows selected: EncoderDecoder's DecoderState refuses that too"
        return ToyState(self.h[rows], self.c[rows])


class LSTMToy:
    """An encoder-decoder of the package's parts with random weights; ``sharpness`` scales the logits."""

    def __init__(
        self, seed: int, vocab: int = 4, source_vocab: int = 5, hidden: int = 4, sharpness: float = 3.0
    ):
        rng = np.random.default_rng(seed)
        self.source_embedding = Embedding(rng.normal(size=(source_vocab, 3)))
        self.encoder = LSTMParams(
            rng.normal(size=(3, 4 * hidden)),
            rng.normal(size=(hidden, 4 * hidden)),
            rng.normal(size=4 * hidden),
        )
        self.embedding = Embedding(rng.normal(size=(vocab, 3)))
        self.cell = LSTMParams(
            rng.normal(size=(3, 4 * hidden)),
            rng.normal(size=(hidden, 4 * hidden)),
            rng.normal(size=4 * hidden),
        )
        self.dense = Dense(sharpness * rng.normal(size=(hidden, vocab)), rng.normal(size=vocab))
        self.steps = 0  # decode_step calls, rows counted

    def encode(self, source_ids: np.ndarray) -> ToyState:
        hs, cache = lstm_forward(self.source_embedding.forward(source_ids)[0], self.encoder)
        return ToyState(hs[:, -1], cache.c_last)

    def decode_step(self, previous_ids: np.ndarray, state: ToyState) -> tuple[np.ndarray, ToyState]:
        self.steps += len(previous_ids)
        (h, c), _ = self.cell.step(self.embedding.W[previous_ids], (state.h, state.c))
        return self.dense.forward(h)[0], ToyState(h, c)

    def teacher_forced(self, source_ids: np.ndarray, ids: tuple[int, ...]) -> float:
        """log p(ids | source) from one pass over the whole shifted sequence, not step by step."""
        state = self.encode(source_ids[None])
        inputs = np.array([[START, *ids[:-1]]])
        hs, _ = lstm_forward(self.embedding.forward(inputs)[0], self.cell, state.h, state.c)
        logits = hs[0] @ self.dense.W + self.dense.b
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return float(log_probs[np.arange(len(ids)), list(ids)].sum())


@dataclass
class TableState:
    prefixes: list[tuple[int, ...] | None]  # None: before START

    def select(self, rows: np.ndarray) -> TableState:
        assert len(rows) >= 1, "no rows selected: EncoderDecoder's DecoderState refuses that too"
        return TableState([self.prefixes[r] for r in rows])


class TableToy:
    """Next-id weights from ``table`` (prefix -> a weight for each id 0 .. V-1, normalised by the
    search's softmax); the source is ignored."""

    def __init__(self, table: dict[tuple[int, ...], list[float]]):
        self.table = table

    def encode(self, source_ids: np.ndarray) -> TableState:
        return TableState([None for _ in source_ids])

    def decode_step(self, previous_ids: np.ndarray, state: TableState) -> tuple[np.ndarray, TableState]:
        prefixes = [
            () if p is None else (*p, int(k)) for p, k in zip(state.prefixes, previous_ids, strict=True)
        ]
        weights = [self.table.get(p, self.table[()]) for p in prefixes]  # PAD or START in p: any row
        return np.log(np.array(weights)), TableState(list(prefixes))


TINY = 1e-12
"""The weight of an id a table never means to pick (PAD, START): log 0 would be -inf."""


def trimmed(row: np.ndarray) -> tuple[int, ...]:
    """A greedy row up to and including its END (all of it if it has none)."""
    ids = [int(i) for i in row]
    return tuple(ids[: ids.index(END) + 1]) if END in ids else tuple(ids)


def sources(seed: int, count: int, length: int = 3, vocab: int = 5) -> np.ndarray:
    return np.random.default_rng(1000 + seed).integers(0, vocab, size=(count, length))


# --- greedy and width 1 -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_width_one_is_greedy(seed: int) -> None:
    model = LSTMToy(seed, vocab=3 + seed % 4, hidden=2 + seed % 3)
    batch = sources(seed, 5)
    rows = greedy_decode(model, batch, max_length=6)
    for source, row in zip(batch, rows, strict=True):
        (best,) = beam_search(model, source, width=1, max_length=6)
        assert best.ids == trimmed(row)
        assert best.finished == (END in best.ids)
        assert best.log_prob == pytest.approx(model.teacher_forced(source, best.ids), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_greedy_decodes_a_batch_as_it_decodes_each_source(seed: int) -> None:
    model = LSTMToy(seed, sharpness=1.0)  # flat distributions: rows end at different steps
    batch = sources(seed, 7)
    together = greedy_decode(model, batch, max_length=8)
    alone = [trimmed(greedy_decode(model, source[None], max_length=8)[0]) for source in batch]
    assert [trimmed(row) for row in together] == alone
    assert together.shape[1] == max(len(ids) for ids in alone) <= 8
    for row in together:  # PAD after END
        ids = list(row)
        if END in ids:
            assert all(k == 0 for k in ids[ids.index(END) + 1 :])


def test_greedy_stops_each_row_at_end_and_decodes_only_live_rows() -> None:
    # ids 0, 1, 2 = PAD, START, END; after START the table says 3 (then END), or END at once
    table = {(): [TINY, 0.1, 0.6, 0.3], (3,): [0.1, 0.1, 0.7, 0.1], (3, 3): [0.1, 0.1, 0.1, 0.7]}
    out = greedy_decode(TableToy(table), np.zeros((2, 1), dtype=np.int64), max_length=5)
    assert out.tolist() == [[2], [2]]  # both rows END at step 1: one column
    table[()] = [TINY, 0.1, 0.2, 0.7]
    assert greedy_decode(TableToy(table), np.zeros((1, 1), dtype=np.int64), max_length=5).tolist() == [[3, 2]]


# --- beam against exhaustive search ---------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.0, 0.7])
@pytest.mark.parametrize("seed", range(12))
def test_a_beam_as_wide_as_the_sequences_is_exhaustive_search(seed: int, alpha: float) -> None:
    model, source = LSTMToy(seed, vocab=3), sources(seed, 1)[0]
    count = sum(2**k for k in range(5))  # V = 3, max_length 4: 1 + 2 + 4 + 8 + 16 sequences
    every = exhaustive_search(model, source, max_length=4, alpha=alpha)
    beam = beam_search(model, source, width=count, max_length=4, alpha=alpha)
    assert len(every) == count == len({hyp.ids for hyp in every})
    assert [hyp.ids for hyp in beam] == [hyp.ids for hyp in every]
    assert [hyp.finished for hyp in beam] == [hyp.finished for hyp in every]
    np.testing.assert_allclose([h.score for h in beam], [h.score for h in every], rtol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_exhaustive_search_covers_every_sequence_once_by_its_teacher_forced_probability(seed: int) -> None:
    model, source = LSTMToy(seed, vocab=4), sources(seed, 1)[0]
    every = exhaustive_search(model, source, max_length=3, alpha=0.5)
    assert len(every) == 1 + 3 + 9 + 27
    # the finished sequences and the unfinished ones of max_length ids partition all outcomes
    assert sum(np.exp(hyp.log_prob) for hyp in every) == pytest.approx(1.0, abs=1e-12)
    for hyp in every:
        assert hyp.log_prob == pytest.approx(model.teacher_forced(source, hyp.ids), rel=1e-12, abs=1e-12)
        assert hyp.finished == (hyp.ids[-1] == END) and (hyp.finished or hyp.length == 3)
        assert END not in hyp.ids[:-1]
        assert hyp.score == pytest.approx(hyp.log_prob / ((5 + hyp.length) / 6) ** 0.5, rel=1e-14)
    assert [h.score for h in every] == sorted((h.score for h in every), reverse=True)


GREEDY_MISSES = 24
"""A seed whose toy's greedy answer is not its most likely sequence, and beams of width 2 to 4 miss
it as well (found by trying seeds 0, 1, ...: seed 1 is the first where greedy misses)."""


def test_greedy_and_a_narrow_beam_can_miss_the_most_likely_sequence() -> None:
    model, source = LSTMToy(GREEDY_MISSES, vocab=4, sharpness=1.5), sources(GREEDY_MISSES, 1)[0]
    best = exhaustive_search(model, source, max_length=4)[0]
    greedy = trimmed(greedy_decode(model, source[None], max_length=4)[0])
    assert greedy != best.ids
    assert model.teacher_forced(source, greedy) < best.log_prob
    widths = {width: beam_search(model, source, width, max_length=4)[0].ids for width in range(1, 41)}
    assert widths[1] == greedy
    assert all(widths[width] != best.ids for width in (2, 3, 4))  # narrow beams miss it too
    assert widths[40] == best.ids  # 40 = 1 + 3 + 9 + 27: every sequence kept


@pytest.mark.parametrize("seed", range(10))
def test_beam_scores_are_the_teacher_forced_log_probabilities(seed: int) -> None:
    model, source = LSTMToy(seed, vocab=6, hidden=5, sharpness=1.0), sources(seed, 1)[0]
    beam = beam_search(model, source, width=4, max_length=7, alpha=0.6)
    assert len(beam) == 4 and len({hyp.ids for hyp in beam}) == 4
    for hyp in beam:
        assert hyp.log_prob == pytest.approx(model.teacher_forced(source, hyp.ids), rel=1e-12, abs=1e-12)
        assert hyp.score == pytest.approx(hyp.log_prob / ((5 + hyp.length) / 6) ** 0.6, rel=1e-14)
    assert [h.score for h in beam] == sorted((h.score for h in beam), reverse=True)


def test_the_beam_runs_each_step_as_one_batch_of_at_most_width_rows() -> None:
    model, source = LSTMToy(0, vocab=6, sharpness=0.5), sources(0, 1)[0]
    calls: list[int] = []
    step = model.decode_step
    model.decode_step = lambda ids, state: (calls.append(len(ids)), step(ids, state))[1]  # type: ignore[method-assign]
    beam_search(model, source, width=3, max_length=5)
    assert calls[0] == 1 and all(1 <= rows <= 3 for rows in calls) and len(calls) <= 5


# --- length normalisation ----------------------------------------------------------------------------

# ids 0 PAD, 1 START, 2 END, 3 "a". By hand: p(END) = 0.4, p(a END) = 0.6 * 0.3 = 0.18,
# p(a a END) = 0.6 * 0.7 * 0.9 = 0.378, p(a a a END) = 0.6 * 0.7 * 0.1 * 0.6 = 0.0252; log p of the
# first and third: -0.916 and -0.973, so alpha = 0 picks END. Divided by lp = ((5 + |Y|) / 6) ** alpha,
# a a END (|Y| = 3) wins once (8 / 6) ** alpha > 0.973 / 0.916, alpha > 0.21: not at 0.1, at 1
# (-0.730 against -0.916).
LENGTHS = {
    (): [TINY, TINY, 0.4, 0.6],
    (3,): [TINY, TINY, 0.3, 0.7],
    (3, 3): [TINY, TINY, 0.9, 0.1],
    (3, 3, 3): [TINY, TINY, 0.6, 0.4],
}


@pytest.mark.parametrize(("alpha", "expected"), [(0.0, (2,)), (0.1, (2,)), (1.0, (3, 3, 2))])
def test_length_normalisation_changes_the_pick(alpha: float, expected: tuple[int, ...]) -> None:
    source, model = np.zeros(1, dtype=np.int64), TableToy(LENGTHS)
    assert beam_search(model, source, width=2, max_length=4, alpha=alpha)[0].ids == expected
    assert exhaustive_search(model, source, max_length=4, alpha=alpha)[0].ids == expected


# --- the pieces, by hand --------------------------------------------------------------------------------


def test_length_penalty_by_hand() -> None:
    assert decoding.length_penalty(5, 1.0) == pytest.approx(10 / 6, rel=1e-15)
    assert decoding.length_penalty(7, 2) == pytest.approx(4.0, rel=1e-15)
    assert decoding.length_penalty(1, 0.5) == 1.0  # (5 + 1) / 6 = 1 whatever alpha
    assert decoding.length_penalty(30, 0.0) == 1.0


def test_best_extensions_by_hand() -> None:
    log_probs = np.log(np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]))
    beam = np.log(np.array([0.6, 0.4]))
    rows, ids, totals = decoding.best_extensions(log_probs, beam, 3)
    # 0.6 * 0.5 = 0.30, 0.4 * 0.8 = 0.32, 0.6 * 0.3 = 0.18: row 1's id 2 first
    assert rows.tolist() == [1, 0, 0] and ids.tolist() == [2, 0, 1]
    np.testing.assert_allclose(np.exp(totals), [0.32, 0.30, 0.18], rtol=1e-14)
    rows, ids, _ = decoding.best_extensions(log_probs, beam, 50)  # more than B V = 6: all six
    assert sorted(zip(rows.tolist(), ids.tolist(), strict=True)) == [
        (b, v) for b in (0, 1) for v in (0, 1, 2)
    ]
    ties = decoding.best_extensions(np.zeros((2, 2)), np.zeros(2), 4)
    assert ties[0].tolist() == [0, 0, 1, 1] and ties[1].tolist() == [0, 1, 0, 1]  # ties: smaller b, then v


# --- errors ---------------------------------------------------------------------------------------------

ONE = np.array([0, 1, 2])
MODEL = LSTMToy(0)


@pytest.mark.parametrize(
    ("call", "error", "fragments"),
    [
        (lambda: beam_search(MODEL, ONE, 0, 5), ValueError, ["width", ">= 1", "got 0"]),
        (lambda: beam_search(MODEL, ONE, 2.0, 5), TypeError, ["width", "integer"]),
        (lambda: beam_search(MODEL, ONE, 2, 0), ValueError, ["max_length", ">= 1"]),
        (lambda: beam_search(MODEL, ONE, 2, 5, alpha=-0.5), ValueError, ["alpha", ">= 0"]),
        (lambda: beam_search(MODEL, ONE, 2, 5, alpha=float("nan")), ValueError, ["alpha", "finite"]),
        (lambda: beam_search(MODEL, ONE[None], 2, 5), ValueError, ["source_ids", "(S,)", "source_ids[k]"]),
        (lambda: beam_search(MODEL, ONE * 1.0, 2, 5), TypeError, ["source_ids", "integer ids"]),
        (lambda: beam_search(MODEL, ONE - 1, 2, 5), ValueError, ["source_ids", ">= 0", "-1"]),
        (lambda: beam_search(MODEL, ONE, 2, 5, end=4), ValueError, ["start and end", "[0, 4)", "(1, 4)"]),
        (lambda: beam_search(MODEL, ONE, 2, 5, start=-1), ValueError, ["start", ">= 0"]),
        (lambda: beam_search(MODEL, ONE, 2, 5, start=True), TypeError, ["start", "integer id"]),
        (lambda: beam_search("model", ONE, 2, 5), TypeError, ["model", "encode", "decode_step"]),
        (lambda: greedy_decode(MODEL, ONE, 5), ValueError, ["source_ids", "(N, S)", "(3,)"]),
        (lambda: greedy_decode(MODEL, ONE[None, :0], 5), ValueError, ["source_ids", "non-empty"]),
        (lambda: greedy_decode(MODEL, ONE[None], 0), ValueError, ["max_length", ">= 1"]),
        (
            lambda: exhaustive_search(MODEL, ONE, 12),
            ValueError,
            ["exhaustive_search", "limit = 200,000", "V = 4"],
        ),
        (lambda: exhaustive_search(MODEL, ONE, 3, limit=39), ValueError, ["40 sequences", "limit = 39"]),
        (lambda: decoding.length_penalty(0, 1.0), ValueError, ["length", ">= 1"]),
        (lambda: decoding.length_penalty(3, -1.0), ValueError, ["alpha", ">= 0"]),
        (
            lambda: decoding.best_extensions(np.zeros((2, 3)), np.zeros(3), 2),
            ValueError,
            ["beam_log_probs", "(2,)"],
        ),
        (lambda: decoding.best_extensions(np.zeros((2, 3)), np.zeros(2), 0), ValueError, ["count", ">= 1"]),
        (
            lambda: decoding.best_extensions(np.zeros(3), np.zeros(2), 1),
            ValueError,
            ["log_probs", "2 dimensions"],
        ),
    ],
)
def test_bad_arguments_are_named(call: Any, error: type[Exception], fragments: list[str]) -> None:
    with pytest.raises(error) as raised:
        call()
    for fragment in fragments:
        assert fragment in str(raised.value)


class Broken(LSTMToy):
    """A toy whose encode or decode_step returns the wrong thing."""

    def __init__(self, fault: str):
        super().__init__(0)
        self.fault = fault

    def encode(self, source_ids: np.ndarray) -> Any:
        return "state" if self.fault == "state" else super().encode(source_ids)

    def decode_step(self, previous_ids: np.ndarray, state: Any) -> Any:
        logits, state = super().decode_step(previous_ids, state)
        return {"rows": logits[:1], "nan": logits * np.nan, "ok": logits}[self.fault], state


@pytest.mark.parametrize(
    ("fault", "fragments"),
    [
        ("state", ["model.encode", "select(rows)"]),
        ("rows", ["(B, V)", "B = 2"]),
        ("nan", ["logits", "finite"]),
    ],
)
def test_a_model_that_breaks_the_protocol_is_named(fault: str, fragments: list[str]) -> None:
    with pytest.raises((TypeError, ValueError)) as raised:
        greedy_decode(Broken(fault), np.zeros((2, 3), dtype=np.int64), 4)
    for fragment in fragments:
        assert fragment in str(raised.value)


# --- on the package's EncoderDecoder ---------------------------------------------------------------------


def encoder_decoder(seed: int, attention: bool, target_vocab: int = 6) -> Any:
    """A fresh EncoderDecoder in float64 with its output layer scaled up, so its distributions are
    far from uniform."""
    from lstm_tutorial.nn.seq2seq import EncoderDecoder

    model = EncoderDecoder.init(7, target_vocab, 4, 5, np.random.default_rng(seed), np.float64, attention)
    model.output.W *= 6.0
    # PAD never a choice, as after training (no target asks for it): predict, the reference here,
    # refuses a decoder input with PAD before a real id
    model.output.b[0] = -50.0
    return model


def padded_sources(seed: int, count: int) -> np.ndarray:
    """Source ids 1 .. 6 with 0 to 2 PADs on the right."""
    r = np.random.default_rng(500 + seed)
    ids = r.integers(1, 7, size=(count, 5))
    for row, pads in zip(ids, r.integers(0, 3, size=count), strict=True):
        row[len(row) - pads :] = 0
    return ids


def predicted_log_prob(model: Any, source: np.ndarray, ids: tuple[int, ...]) -> float:
    """log p(ids | source) from the model's teacher-forcing pass (``predict``), not its steps."""
    decoder_input = np.array([[START, *ids[:-1]]])
    logits = model.predict([source[None], decoder_input])[0]
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(log_probs[np.arange(len(ids)), list(ids)].sum())


@pytest.mark.parametrize("attention", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_on_the_encoder_decoder_width_one_is_greedy_and_scores_are_predict(
    seed: int, attention: bool
) -> None:
    model, batch = encoder_decoder(seed, attention), padded_sources(seed, 6)
    rows = greedy_decode(model, batch, max_length=6)
    for source, row in zip(batch, rows, strict=True):
        (best,) = beam_search(model, source, width=1, max_length=6)
        assert best.ids == trimmed(row)
        for hyp in beam_search(model, source, width=3, max_length=6, alpha=0.6):
            assert hyp.log_prob == pytest.approx(predicted_log_prob(model, source, hyp.ids), abs=1e-12)


@pytest.mark.parametrize("attention", [False, True])
def test_on_the_encoder_decoder_a_wide_beam_is_exhaustive_search(attention: bool) -> None:
    model, source = encoder_decoder(7, attention, target_vocab=4), padded_sources(7, 1)[0]
    every = exhaustive_search(model, source, max_length=3)
    beam = beam_search(model, source, width=40, max_length=3)  # 1 + 3 + 9 + 27 sequences
    assert len(every) == 40 and [h.ids for h in beam] == [h.ids for h in every]
    assert sum(np.exp(h.log_prob) for h in every) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_only_reorders_what_the_beam_keeps(seed: int) -> None:
    # every prefix a step compares has the same length, so the penalty cannot change the pruning
    model, source = LSTMToy(seed, vocab=5, sharpness=1.0), sources(seed, 1)[0]
    plain = beam_search(model, source, width=3, max_length=6)
    for alpha in (0.5, 2.0):
        normalised = beam_search(model, source, width=3, max_length=6, alpha=alpha)
        assert sorted(h.ids for h in normalised) == sorted(h.ids for h in plain)
        assert [h.ids for h in normalised] == [
            h.ids for h in sorted(plain, key=lambda h: -h.log_prob / ((5 + h.length) / 6) ** alpha)
        ]
