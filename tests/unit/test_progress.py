"""Progress at verbose=1 (a tqdm bar on stderr, as Keras shows one), lines at verbose=2, silence at 0."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from lstm_tutorial.nn import _progress
from lstm_tutorial.nn.regressors import LSTMRegressor
from lstm_tutorial.nn.train import fit
from lstm_tutorial.tasks.data import make_windows, sine_wave
from lstm_tutorial.tasks.language import char_model
from lstm_tutorial.tasks.language_training import train_char_model


def sine_data() -> tuple[np.ndarray, np.ndarray]:
    x, y = make_windows(sine_wave(60, dtype=np.float32), 10)  # 49 windows
    return x, y


def test_fit_prints_nothing_at_verbose_0(capsys: pytest.CaptureFixture[str]) -> None:
    x, y = sine_data()
    fit(LSTMRegressor.init(1, 3, seed=0), x, y, epochs=2, batch_size=16, verbose=0)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_fit_shows_a_bar_per_epoch_over_its_batches_at_verbose_1(capsys: pytest.CaptureFixture[str]) -> None:
    x, y = sine_data()
    history = fit(LSTMRegressor.init(1, 3, seed=0), x, y, epochs=2, batch_size=16, verbose=1)
    captured = capsys.readouterr()
    assert captured.out == ""  # the bars go to stderr, as tqdm's do
    for epoch in (1, 2):  # 49 windows in batches of 16: 4 batches, the last bar state 4/4
        assert re.search(rf"Epoch {epoch}/2: 100%.*\| 4/4 \[", captured.err)
    shown = [float(v) for v in re.findall(r"loss=([0-9.e+-]+)", captured.err)]
    assert f"loss={history.loss[-1]:.4e}" in captured.err  # the last bar ends on the epoch's mean loss
    assert len(shown) >= 2


def test_fit_prints_one_line_per_epoch_at_verbose_2(capsys: pytest.CaptureFixture[str]) -> None:
    x, y = sine_data()
    history = fit(LSTMRegressor.init(1, 3, seed=0), x, y, epochs=3, batch_size=16, verbose=2)
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 3 and captured.err == ""
    for k, line in enumerate(lines):
        assert re.fullmatch(rf"Epoch {k + 1}/3 - \d+\.\d\ds - loss: {history.loss[k]:.4e}", line)


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_train_char_model_shows_one_bar_over_all_its_steps(
    verbose: int, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = np.random.default_rng(0).integers(0, 6, size=400)
    model = char_model(6, 3, 4, layers=1, seed=0)
    curve = train_char_model(
        model, ids[:300], 7, ids[300:], batch_size=2, seq_len=8, eval_every=3, verbose=verbose
    )
    captured = capsys.readouterr()
    if verbose == 0:
        assert captured.out == "" and captured.err == ""
    elif verbose == 1:
        assert captured.out == ""
        assert re.search(r"training: 100%.*\| 7/7 \[", captured.err)  # one bar, 7 steps
        assert "/3 [" not in captured.err  # not one bar per pass over the streams
        assert f"held-out {curve.heldout_bpc[-1]:.3f} bpc" in captured.err
    else:
        assert captured.err == ""
        expected = [
            f"step {s}/7: train {t:.3f} bpc, held-out {h:.3f} bpc"
            for s, t, h in zip(curve.steps, curve.train_bpc, curve.heldout_bpc, strict=True)
        ]
        assert captured.out.splitlines() == expected and len(expected) == 3  # steps 3, 6, 7


def test_train_char_model_refuses_a_bad_verbose() -> None:
    ids = np.arange(100) % 5
    with pytest.raises(ValueError, match="verbose must be 0, 1 or 2, got int 3"):
        train_char_model(char_model(5, 2, 3, layers=1), ids, 2, batch_size=2, seq_len=8, verbose=3)


def test_in_a_notebook_without_ipywidgets_the_text_bar_serves_without_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("tqdm")
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("ipywidgets is installed: the widget would be used")
    from tqdm.std import tqdm as text_bar

    monkeypatch.setattr(_progress, "_in_jupyter_kernel", lambda: True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # tqdm.auto would warn "IProgress not found" here
        bar = _progress.progress_bar(3, "x")
    try:
        assert type(bar) is text_bar and bar.total == 3
    finally:
        bar.close()


def test_outside_jupyter_no_kernel_is_detected() -> None:
    assert not _progress._in_jupyter_kernel()
