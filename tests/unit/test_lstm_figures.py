"""The LSTM diagrams of chapter 3: they draw what the chapter says, in the package's layout."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Ellipse, FancyBboxPatch, Rectangle
from matplotlib.transforms import Bbox

from lstm_tutorial.book.diagrams import (
    LSTM_CHAIN_FIGSIZE,
    LSTM_FIGSIZE,
    LSTM_STAGES,
    draw_lstm_chain,
    draw_lstm_stage,
)
from lstm_tutorial.book.rnn_diagrams import draw_unrolled_rnn
from lstm_tutorial.book.weight_layout import draw_weight_layout
from lstm_tutorial.nn.lstm import GATE_ORDER, LSTMParams

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


def _text_boxes(ax) -> list[tuple[str, Bbox]]:  # type: ignore[no-untyped-def]
    renderer = ax.figure.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text().strip()]


def test_the_cell_has_four_learned_blocks_and_pointwise_operations() -> None:
    """Four boxes, as the caption says; tanh(c_t) has no weights, so it is a pointwise node, like x and +."""
    fig, ax = plt.subplots(figsize=LSTM_FIGSIZE)
    draw_lstm_stage(ax)
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 4
    inside = {
        t.get_text()
        for t in ax.texts
        if t.get_text() and any(b.contains_point(ax.transData.transform(t.get_position())) for b in boxes)
    }
    assert inside == {"$\\sigma$", "tanh"}  # three sigmoids and the candidate's tanh
    ovals = [p for p in ax.patches if type(p) is Ellipse]  # a Circle is an Ellipse too
    assert len(ovals) == 1 and any(
        t.get_text() == "tanh" and ovals[0].contains_point(ax.transData.transform(t.get_position()))
        for t in ax.texts
    )
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "z_t" not in texts  # the bus carries x_t and h_{t-1}; each block makes its own z
    plt.close(fig)


def test_the_dashed_outline_cuts_no_label_and_labels_do_not_overlap() -> None:
    fig, ax = plt.subplots(figsize=LSTM_FIGSIZE)
    draw_lstm_stage(ax)
    fig.canvas.draw()
    (outline,) = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_linestyle() == "--"]
    box = outline.get_window_extent()
    edges = [
        Bbox.from_extents(box.x0, box.y0, box.x0, box.y1),
        Bbox.from_extents(box.x1, box.y0, box.x1, box.y1),
        Bbox.from_extents(box.x0, box.y0, box.x1, box.y0),
        Bbox.from_extents(box.x0, box.y1, box.x1, box.y1),
    ]
    labels = _text_boxes(ax)
    for text, extent in labels:
        assert not any(extent.overlaps(edge) for edge in edges), text
    for k, (a, first) in enumerate(labels):
        for b, second in labels[k + 1 :]:
            assert not first.overlaps(second), (a, b)
    plt.close(fig)


def test_the_cell_state_hops_over_the_hidden_state_where_they_cross() -> None:
    fig, ax = plt.subplots(figsize=LSTM_FIGSIZE)
    draw_lstm_stage(ax)
    # The vertical h_t wire that leaves at the top, and the cell-state wire at its height.
    top = 6.4
    verticals = [a for a in ax.texts if a.get_text() == "" and a.arrow_patch is not None]  # type: ignore[attr-defined]
    up = max(v.xy[0] for v in verticals if v.xy[1] > top + 1)  # type: ignore[attr-defined]
    hop = [
        line
        for line in ax.lines
        if np.ptp(line.get_ydata()) > 0
        and np.ptp(line.get_xdata()) > 0
        and abs(np.mean(line.get_xdata()) - up) < 0.05
        and line.get_ydata().max() > top + 0.1
    ]
    assert hop, "no hop where h_t crosses c_t"
    plt.close(fig)


# At 390 px (a phone) the built book shows a figure 342 px wide (measured in Chromium, issue 26);
# a label must stay at least 11 CSS px there.
PHONE_COLUMN_PX, LEGIBLE_PX = 342, 11.0


def _smallest_label_on_a_phone(fig) -> float:  # type: ignore[no-untyped-def]
    """CSS pixels of the smallest text of ``fig`` when its SVG, saved as the book saves it (tight
    bounding box), is shrunk to a phone's column. Matplotlib writes each text as glyph paths in a
    group scaled by fontsize / 100 (a subscript scales that group by 0.7 again)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    width_pt = float(re.search(r'<svg[^>]* width="([0-9.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    sizes_pt = [100 * float(s) for s in re.findall(r"scale\((0\.\d+) -0\.\d+\)", svg)]
    assert sizes_pt, "no text found in the SVG"
    shown = min(1.0, PHONE_COLUMN_PX / (width_pt * 96 / 72))
    return min(sizes_pt) * 96 / 72 * shown


@pytest.mark.parametrize(
    ("draw", "size"),
    [
        (draw_lstm_stage, LSTM_FIGSIZE),
        (lambda ax: draw_lstm_stage(ax, "o"), LSTM_FIGSIZE),
        (draw_lstm_chain, LSTM_CHAIN_FIGSIZE),
        (draw_unrolled_rnn, (8, 3)),  # the size chapter 1 draws it at
        (lambda ax: draw_weight_layout(ax, 1, 4, "f"), (5, 3.8)),  # chapter 3's size
    ],
    ids=["cell", "cell-stage", "chain", "unrolled-rnn", "weight-layout"],
)
def test_labels_stay_legible_on_a_phone(draw, size) -> None:  # type: ignore[no-untyped-def]
    fig, ax = plt.subplots(figsize=size)
    draw(ax)
    assert _smallest_label_on_a_phone(fig) >= LEGIBLE_PX
    plt.close(fig)


def test_the_legibility_measure_catches_small_labels() -> None:
    fig, ax = plt.subplots(figsize=LSTM_FIGSIZE)
    draw_lstm_stage(ax)
    ax.text(1, 1, "small", fontsize=9)
    assert _smallest_label_on_a_phone(fig) < LEGIBLE_PX
    plt.close(fig)


def test_the_chain_passes_c_and_h_from_step_to_step() -> None:
    fig, ax = plt.subplots(figsize=LSTM_FIGSIZE)
    draw_lstm_chain(ax, steps=3)
    texts = [t.get_text() for t in ax.texts]
    for name in ("c_0", "c_1", "c_2", "c_3", "h_0", "h_1", "h_2", "h_3", "x_1", "x_2", "x_3"):
        assert f"${name}$" in texts, name
    assert "$x_4$" not in texts and "$c_4$" not in texts
    plt.close(fig)
    with pytest.raises(ValueError, match="steps must be at most 6"):
        draw_lstm_chain(plt.subplots()[1], steps=7)
    with pytest.raises(ValueError, match="steps must be an integer >= 1, got 0"):
        draw_lstm_chain(plt.subplots()[1], steps=0)
    plt.close("all")


def test_the_unrolled_rnn_labels_every_step_and_nothing_collides() -> None:
    fig, ax = plt.subplots(figsize=(8, 3))
    draw_unrolled_rnn(ax, steps=4)
    fig.canvas.draw()
    texts = [t.get_text() for t in ax.texts]
    for name in ("x_{1}", "x_{4}", "h_0", "h_{1}", "h_{4}", "x_t", "h_t"):
        assert f"${name}$" in texts, name
    labels = _text_boxes(ax)
    for k, (a, first) in enumerate(labels):
        for b, second in labels[k + 1 :]:
            assert not first.overlaps(second), (a, b)
    # The fold sign stays clear of the h_0 arrow.
    (equals,) = [box for text, box in labels if text == "="]
    arrows = [a.arrow_patch.get_window_extent() for a in ax.texts if a.get_text() == "" and a.arrow_patch]  # type: ignore[attr-defined]
    assert not any(equals.overlaps(arrow) for arrow in arrows)
    plt.close(fig)
