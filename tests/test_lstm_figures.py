"""The LSTM diagrams of chapter 3: they draw what the chapter says, in the package's layout."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from lstm_tutorial.lstm import GATE_ORDER, LSTMParams
from lstm_tutorial.plots import LSTM_STAGES, draw_lstm_stage, draw_weight_layout

GHOST = "#d0d0d0"


def _texts(stage: str | None) -> dict[str, str]:
    """Every text drawn for ``stage``, mapped to its colour."""
    fig, ax = plt.subplots()
    draw_lstm_stage(ax, stage)
    texts = {t.get_text(): to_hex(t.get_color()) for t in ax.texts}
    plt.close(fig)
    return texts


def test_whole_cell_labels_every_wire_and_hides_nothing() -> None:
    texts = _texts(None)
    for label in (
        "$c_{t-1}$",
        "$c_t$",
        "$h_{t-1}$",
        "$h_t$",
        "$x_t$",
        "$f_t \\odot c_{t-1}$",
        "$i_t \\odot g_t$",
        "$\\tanh(c_t)$",
        "$f_t$",
        "$i_t$",
        "$g_t$",
        "$o_t$",
    ):
        assert label in texts, label
    assert GHOST not in texts.values()


@pytest.mark.parametrize("stage", LSTM_STAGES)
def test_each_stage_shows_what_came_before_and_fades_what_comes_after(stage: str) -> None:
    texts = _texts(stage)
    # Each wire label belongs to the stage that introduces it.
    owner = {
        "$g_t$": "g",
        "$i_t$": "i",
        "$i_t \\odot g_t$": "i",
        "$f_t$": "f",
        "$f_t \\odot c_{t-1}$": "f",
        "$c_t$": "c",
        "$o_t$": "o",
        "$\\tanh(c_t)$": "o",
    }
    for label, part in owner.items():
        later = LSTM_STAGES.index(part) > LSTM_STAGES.index(stage)
        assert (texts[label] == GHOST) == later, (stage, label)
    assert texts["$c_{t-1}$"] != GHOST and texts["$x_t$"] != GHOST


def test_draw_lstm_stage_rejects_an_unknown_stage() -> None:
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="stage must be one of"):
        draw_lstm_stage(ax, "forget")
    plt.close(fig)


@pytest.mark.parametrize(("input_size", "hidden_size"), [(1, 4), (3, 2)])
def test_weight_layout_colours_the_columns_that_gate_slices(input_size: int, hidden_size: int) -> None:
    fig, ax = plt.subplots()
    draw_weight_layout(ax, input_size, hidden_size, selected="f")
    cells = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() == 1 and p.get_height() == 1]
    # One square per entry of W, U and b.
    assert len(cells) == (input_size + hidden_size + 1) * 4 * hidden_size
    # W numbered by column: gate(name) returns exactly the columns drawn in that gate's colour.
    columns = np.tile(np.arange(4.0 * hidden_size), (input_size, 1))
    params = LSTMParams(columns, np.zeros((hidden_size, 4 * hidden_size)), np.zeros(4 * hidden_size))
    for name in GATE_ORDER:
        fill = to_hex(next(c.get_facecolor() for c in cells if c.get_x() == params.gate(name)[0][0, 0]))
        drawn = sorted({int(c.get_x()) for c in cells if to_hex(c.get_facecolor()) == fill})
        assert drawn == params.gate(name)[0][0].astype(int).tolist(), name
    texts = " ".join(t.get_text() for t in ax.texts)
    for keras_name in ("kernel", "recurrent_kernel", "bias"):
        assert f"Keras: {keras_name}" in texts
    plt.close(fig)


def test_draw_weight_layout_checks_its_arguments() -> None:
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="selected must be one of"):
        draw_weight_layout(ax, 1, 4, selected="c")
    with pytest.raises(ValueError, match="hidden_size must be an integer >= 1, got 0"):
        draw_weight_layout(ax, 1, 0)
    plt.close(fig)
