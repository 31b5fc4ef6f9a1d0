"""The encoder-decoder (nn.seq2seq): one step at a time equals teacher forcing, padding changes
nothing, beams are selected, fit trains it, and bad input is refused with a clear message.

Its agreement with Keras and torch autograd is in tests/agreement/test_seq2seq.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tutorial.nn import train
from lstm_tutorial.nn.optim import Adam
from lstm_tutorial.nn.saving import load_params, save_params
from lstm_tutorial.nn.seq2seq import DecoderState, EncoderDecoder

ROUNDING = {"rtol": 1e-12, "atol": 1e-14}  # float64: the same sums in another order

# Three pairs, right-padded: source lengths 3, 5, 1; target lengths (END included) 3, 4, 1.
SOURCE = np.array([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10], [11, 0, 0, 0, 0]])
TARGET = np.array([[3, 4, 2, 0], [5, 6, 7, 2], [2, 0, 0, 0]])
DECODER_INPUT = np.array([[1, 3, 4, 0], [1, 5, 6, 7], [1, 0, 0, 0]])


def model(attention: bool, dtype: type = np.float64, seed: int = 0) -> EncoderDecoder:
    return EncoderDecoder.init(12, 9, 6, 8, np.random.default_rng(seed), dtype=dtype, attention=attention)


@pytest.mark.parametrize("attention", [False, True])
def test_decoding_step_by_step_gives_the_teacher_forcing_logits(attention: bool) -> None:
    m = model(attention)
    logits = m.predict([SOURCE, DECODER_INPUT])
    state = m.encode(SOURCE)
    for t in range(DECODER_INPUT.shape[1]):
        step_logits, state = m.decode_step(DECODER_INPUT[:, t], state)
        np.testing.assert_allclose(step_logits, logits[:, t], **ROUNDING)


@pytest.mark.parametrize("attention", [False, True])
def test_a_padded_batch_gives_each_pair_its_unpadded_results(attention: bool) -> None:
    m = model(attention)
    x = [SOURCE, DECODER_INPUT]
    logits = m.predict(x)
    loss, grads = m.loss_and_grads(x, TARGET)
    counts = (TARGET != 0).sum(axis=1)
    weighted = [np.zeros_like(w) for w in grads.parameters()]
    total = 0.0
    for row in range(len(SOURCE)):
        source = SOURCE[row : row + 1, : int((SOURCE[row] != 0).sum())]
        length = int(counts[row])
        alone = [source, DECODER_INPUT[row : row + 1, :length]]
        np.testing.assert_allclose(logits[row, :length], m.predict(alone)[0], **ROUNDING)
        row_loss, row_grads = m.loss_and_grads(alone, TARGET[row : row + 1, :length])
        total += row_loss * length
        for sum_, grad in zip(weighted, row_grads.parameters(), strict=True):
            sum_ += grad * length
    # the batch's loss is the mean over all its real targets: each pair weighs by its length
    assert loss == pytest.approx(total / counts.sum(), rel=1e-13)
    for label, mine, summed in zip(m.weight_labels(), grads.parameters(), weighted, strict=True):
        np.testing.assert_allclose(mine, summed / counts.sum(), err_msg=label, **ROUNDING)


def test_select_picks_rows_and_decoding_them_gives_their_logits() -> None:
    m = model(True)
    _, after = m.decode_step(np.array([1, 1, 1]), m.encode(SOURCE))
    rows = np.array([2, 0, 0])  # row 0 kept twice, as a beam search keeps a good beam
    picked = after.select(rows)
    assert isinstance(picked, DecoderState) and picked.batch_size == 3
    for name in ("h", "c", "encoder_outputs", "source_mask"):
        np.testing.assert_array_equal(getattr(picked, name), getattr(after, name)[rows])
    next_ids = np.array([4, 5, 6])
    picked_logits, _ = m.decode_step(next_ids, picked)
    for k, (row, next_id) in enumerate(zip(rows, next_ids, strict=True)):
        every_row_logits, _ = m.decode_step(np.full(3, next_id), after)
        np.testing.assert_allclose(picked_logits[k], every_row_logits[row], **ROUNDING)


def test_fit_trains_it_on_a_list_of_inputs_and_lowers_the_loss() -> None:
    rng = np.random.default_rng(3)
    lengths = rng.integers(1, 5, 64)
    source = np.zeros((64, 4), dtype=np.int64)
    target = np.zeros((64, 5), dtype=np.int64)
    for row, length in enumerate(lengths):  # reverse the source, then END
        ids = rng.integers(3, 9, length)
        source[row, :length], target[row, :length], target[row, length] = ids, ids[::-1], 2
    decoder_input = np.concatenate([np.ones((64, 1), dtype=np.int64), target[:, :-1]], axis=1)
    m = EncoderDecoder.init(9, 9, 8, 16, np.random.default_rng(0), attention=True)
    before = m.evaluate([source, decoder_input], target)
    history = train.fit(
        m, [source, decoder_input], target, epochs=8, batch_size=16, verbose=0, seed=1, optimizer=Adam(0.01)
    )
    assert len(history.loss) == 8 and history.loss[-1] < 0.7 * history.loss[0]
    assert m.evaluate([source, decoder_input], target) < 0.7 * before


def test_fit_runs_the_same_on_the_same_seed() -> None:
    x, y = [SOURCE, DECODER_INPUT], TARGET
    first, second = model(False, np.float32), model(False, np.float32)
    a = train.fit(first, x, y, epochs=2, batch_size=2, verbose=0, seed=4)
    b = train.fit(second, x, y, epochs=2, batch_size=2, verbose=0, seed=4)
    assert a.loss == b.loss
    for w, v in zip(first.parameters(), second.parameters(), strict=True):
        np.testing.assert_array_equal(w, v)


def test_weights_copy_and_set_weights() -> None:
    m = model(True)
    assert m.count_params() == sum(w.size for w in m.get_weights())
    assert len(m.weight_labels()) == len(m.parameters()) == 12
    assert len(model(False).weight_labels()) == 10
    twin = m.copy()
    assert all(a is not b for a, b in zip(m.parameters(), twin.parameters(), strict=True))
    other = model(True, seed=5)
    arrays = other.parameters()
    m.set_weights(other.get_weights())
    assert all(a is not b for a, b in zip(m.parameters(), arrays, strict=True))
    np.testing.assert_array_equal(m.predict([SOURCE, DECODER_INPUT]), other.predict([SOURCE, DECODER_INPUT]))
    np.testing.assert_array_equal(
        twin.predict([SOURCE, DECODER_INPUT]), model(True).predict([SOURCE, DECODER_INPUT])
    )


BAD_INPUTS = [
    (lambda: (SOURCE, TARGET), TypeError, ["x must be a list", "got an array of shape (3, 5)"]),
    (lambda: ([SOURCE], TARGET), TypeError, ["x must be a list", "of 1"]),
    (
        lambda: ([SOURCE.astype(float), DECODER_INPUT], TARGET),
        TypeError,
        ["x[0] (source_ids)", "integer ids"],
    ),
    (lambda: ([SOURCE + 12, DECODER_INPUT], TARGET), ValueError, ["x[0] (source_ids)", "[0, 12)"]),
    (lambda: ([SOURCE, DECODER_INPUT + 6], TARGET), ValueError, ["x[1] (decoder_input_ids)", "[0, 9)"]),
    (lambda: ([SOURCE[:2], DECODER_INPUT], TARGET), ValueError, ["same N", "2 and 3"]),
    (lambda: ([SOURCE, DECODER_INPUT], TARGET[:, :3]), ValueError, ["y must have shape (N, T) = (3, 4)"]),
    (lambda: ([SOURCE, DECODER_INPUT[:, ::-1]], TARGET), ValueError, ["padded on the right only", "[0, 1]"]),
    (lambda: ([SOURCE, DECODER_INPUT], TARGET + (TARGET == 0) * 3), ValueError, ["real target at [0, 3]"]),
    (lambda: ([SOURCE, DECODER_INPUT], TARGET[0]), ValueError, ["y must have shape (N, T)"]),
]


@pytest.mark.parametrize("case", range(len(BAD_INPUTS)))
def test_bad_inputs_are_refused_naming_the_argument(case: int) -> None:
    make, error, fragments = BAD_INPUTS[case]
    x, y = make()
    with pytest.raises(error) as raised:
        model(False).loss_and_grads(x, y)
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_keras_style_nested_lists_of_ints_are_taken() -> None:
    m = model(False)
    np.testing.assert_array_equal(
        m.predict([SOURCE.tolist(), DECODER_INPUT.tolist()]), m.predict([SOURCE, DECODER_INPUT])
    )
    with pytest.raises(TypeError, match="x\\[0\\] \\(source_ids\\)"):
        m.predict([[[True, False]], DECODER_INPUT[:1]])


def test_bad_sizes_and_steps_are_refused() -> None:
    with pytest.raises(ValueError, match="source_vocab must be an integer >= 2"):
        EncoderDecoder.init(1, 5, 2, 2, np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"rng must be a np\.random\.Generator"):
        EncoderDecoder.init(4, 5, 2, 2, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="dtype"):
        EncoderDecoder.init(4, 5, 2, 2, np.random.default_rng(0), dtype=np.int32)
    m = model(True)
    parts = [m.source_embedding, m.encoder, m.target_embedding, m.decoder, m.output]
    with pytest.raises(ValueError, match="output's kernel must have shape \\(H, V\\)"):
        EncoderDecoder(*parts[:4], model(True, seed=1).attentional)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="every weight has dtype float32"):
        EncoderDecoder(*parts[:4], model(False, np.float32).output)
    state = m.encode(SOURCE)
    with pytest.raises(ValueError, match="previous_ids must have shape \\(B,\\) = \\(3,\\)"):
        m.decode_step(np.array([1, 1]), state)
    with pytest.raises(ValueError, match="previous_ids must hold ids in \\[0, 9\\)"):
        m.decode_step(np.array([1, 1, 9]), state)
    with pytest.raises(TypeError, match="state must be a DecoderState"):
        m.decode_step(np.array([1, 1, 1]), (state.h, state.c))
    with pytest.raises(ValueError, match="rows must hold ids in \\[0, 3\\)"):
        state.select(np.array([3]))
    with pytest.raises(TypeError, match="rows must be a NumPy array of integer ids"):
        state.select([0, 1])


@pytest.mark.parametrize("attention", [False, True])
def test_save_and_load_round_trip(attention: bool, tmp_path: Path) -> None:
    m = model(attention, np.float32, seed=6)
    path = save_params(tmp_path / "seq2seq", m)
    loaded = load_params(path)
    assert isinstance(loaded, EncoderDecoder) and loaded.attention == attention
    assert loaded.weight_labels() == m.weight_labels()
    for mine, theirs in zip(m.parameters(), loaded.parameters(), strict=True):
        assert theirs.dtype == mine.dtype
        np.testing.assert_array_equal(mine, theirs)
    x = [SOURCE, DECODER_INPUT]
    np.testing.assert_array_equal(loaded.predict(x), m.predict(x))
    state, loaded_state = m.encode(SOURCE), loaded.encode(SOURCE)
    np.testing.assert_array_equal(
        loaded.decode_step(np.array([1, 1, 1]), loaded_state)[0], m.decode_step(np.array([1, 1, 1]), state)[0]
    )


def test_a_file_missing_the_attention_weights_is_refused(tmp_path: Path) -> None:
    path = save_params(tmp_path / "seq2seq.npz", model(True))
    with np.load(path) as saved:
        contents = {key: saved[key] for key in saved.files if not key.startswith("attention")}
    np.savez(tmp_path / "broken.npz", **contents)
    with pytest.raises(ValueError, match=r"broken\.npz.*'attention bias', 'attention kernel'"):
        load_params(tmp_path / "broken.npz")
