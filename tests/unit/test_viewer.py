"""Chapter 12's viewer (``lstm_tutorial.book.viewer``): what its JSON holds, against the model read
by PyTorch's own LSTM cell, and the page element that carries it; and the static figure's text
colours (``plots.text_heatmap``), each legible on its cell by WCAG's contrast ratio."""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lstm_tutorial.book import plots, viewer
from lstm_tutorial.nn.layers import Recurrent
from lstm_tutorial.tasks import language, text

torch = pytest.importorskip("torch")

SOURCE = 'def f(x):\n    """Say (x)."""\n    return {"a": x[1:2]}  # done\n'
VOCAB = text.Vocabulary.from_text(SOURCE.replace("#", ""))  # '#' is unknown: its id is the last
UNITS = {"first": 0, "last": 5}


def _model() -> object:
    model = language.char_model(VOCAB.size, embed=4, hidden=6, layers=1, seed=3, dtype=np.float64)
    model.layers[1].cell.U *= 3.0  # larger weights: states far from zero, a peaked softmax
    model.layers[1].cell.W *= 3.0
    model.layers[0].W *= 20.0
    return model


def _torch_reading(model: object, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N, V) next-character probabilities and (N, H) cell states, the model's weights run by
    ``torch.nn.LSTMCell`` (gate order i, f, g, o, as the package's) one character at a time."""
    embedding, recurrent, dense = model.layers  # type: ignore[attr-defined]
    assert isinstance(recurrent, Recurrent)
    params = recurrent.cell
    hidden = params.U.shape[0]
    cell = torch.nn.LSTMCell(params.W.shape[0], hidden, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.from_numpy(params.W.T))
        cell.weight_hh.copy_(torch.from_numpy(params.U.T))
        cell.bias_ih.copy_(torch.from_numpy(params.b))
        cell.bias_hh.zero_()  # torch has two biases; the package one
        h = c = torch.zeros(1, hidden, dtype=torch.float64)
        probabilities, states = [], []
        for t in ids:
            h, c = cell(torch.from_numpy(embedding.W[t : t + 1]), (h, c))
            logits = h @ torch.from_numpy(dense.W) + torch.from_numpy(dense.b)
            probabilities.append(torch.softmax(logits, dim=-1)[0].numpy())
            states.append(c[0].numpy().copy())
    return np.array(probabilities), np.array(states)


@pytest.fixture(scope="module")
def reading() -> tuple[object, dict[str, object], np.ndarray, np.ndarray]:
    model = _model()
    data = viewer.viewer_data(model, VOCAB, SOURCE, UNITS, start=7, top=5, chunk=9)
    probabilities, states = _torch_reading(model, VOCAB.encode(SOURCE))
    return model, data, probabilities[7:], states[7:]


def test_the_shapes_are_one_row_per_character_shown(reading) -> None:  # type: ignore[no-untyped-def]
    _, data, _, _ = reading
    shown = len(SOURCE) - 7
    assert data["text"] == SOURCE[7:]
    assert np.shape(data["next"]) == np.shape(data["p"]) == (shown, 5)
    assert [(u["label"], u["unit"], len(u["values"])) for u in data["units"]] == [
        ("first", 0, shown),
        ("last", 5, shown),
    ]
    assert all(len(ch) == 1 for row in data["next"] for ch in row)


def test_the_top_five_are_the_likeliest_as_pytorch_reads_the_model(reading) -> None:  # type: ignore[no-untyped-def]
    _, data, probabilities, _ = reading
    alphabet = VOCAB.chars + VOCAB.unknown_char
    for t, (chars, p) in enumerate(zip(data["next"], data["p"], strict=True)):
        expected = np.argsort(-probabilities[t], kind="stable")[:5]
        assert chars == [alphabet[k] for k in expected], t
        np.testing.assert_allclose(p, probabilities[t][expected], rtol=0, atol=0.5e-4 + 1e-12)
        assert p == sorted(p, reverse=True), "likeliest first"
        # the five hold what the other V - 5 characters do not, to the rounding of five numbers
        rest = np.sort(probabilities[t])[:-5].sum()
        assert abs(sum(p) + rest - 1.0) <= 5 * 0.5e-4 + 1e-12
    # the unknown id is a character a model can predict: it is listed as vocab.unknown_char
    assert VOCAB.unknown_char in {ch for row in data["next"] for ch in row}


def test_the_units_values_are_the_cell_states_pytorch_computes(reading) -> None:  # type: ignore[no-untyped-def]
    _, data, _, states = reading
    for described in data["units"]:
        expected = states[:, described["unit"]]
        assert np.ptp(expected) > 0.5  # states that vary: the rounding to 3 decimals is a fine check
        np.testing.assert_allclose(described["values"], expected, rtol=0, atol=0.5e-3 + 1e-12)
        # the 1st and 99th percentiles of the exact states, rounded: within the rounding of the
        # values (a percentile moves no more than they do) and its own
        low, high = np.percentile(described["values"], [1, 99])
        assert described["low"] == pytest.approx(low, abs=1e-3 + 1e-12)
        assert described["high"] == pytest.approx(high, abs=1e-3 + 1e-12)


def test_no_number_is_a_negative_zero() -> None:
    """A cell state of -0.0004 rounds to -0.0, which a page must not print; it is written 0.0."""
    model = _model()
    model.layers[1].cell.W[:, 12:18] = 0.0  # the candidate g (gates i, f, g, o): every c_t stays tiny
    model.layers[1].cell.U[:, 12:18] = 0.0
    model.layers[1].cell.b[12:18] = -1e-5  # and negative
    data = viewer.viewer_data(model, VOCAB, SOURCE, UNITS)
    values = [v for unit in data["units"] for v in (*unit["values"], unit["low"], unit["high"])]
    assert values and all(v == 0.0 for v in values)
    assert "-0.0" not in json.dumps(data)


def test_the_text_before_start_is_context_and_the_chunk_changes_nothing(reading) -> None:  # type: ignore[no-untyped-def]
    model, data, _, _ = reading
    whole = viewer.viewer_data(model, VOCAB, SOURCE, UNITS, top=5, chunk=1000)  # type: ignore[arg-type]
    assert whole["text"][7:] == data["text"]
    assert whole["next"][7:] == data["next"] and whole["p"][7:] == data["p"]
    alone = viewer.viewer_data(model, VOCAB, SOURCE[7:], UNITS, top=5)  # type: ignore[arg-type]
    assert alone["p"] != data["p"], "without the first 7 characters the model predicts otherwise"


def test_the_element_carries_the_json_safely() -> None:
    data = {
        "text": "x = '</script><b>'",
        "next": [["<", "&", "a"]] * 18,
        "p": [[0.5, 0.25, 0.125]] * 18,
        "units": [{"label": "a <b>", "unit": 3, "values": [0.0] * 18, "low": 0.0, "high": 1.0}],
    }
    page = viewer.viewer_html(data, element_id="v-1")
    found = re.findall(r'<script type="application/json" class="cell-viewer-data">(.*?)</script>', page, re.S)
    assert len(found) == 1 and json.loads(found[0]) == data
    assert "</script><b>" not in page and "<b>" not in page  # the label is escaped too
    assert 'id="v-1"' in page and "the 3 likeliest next characters" in page
    assert page.count("<option") == 1 and "a &lt;b&gt;: unit 3" in page
    assert "@media print" in page  # hidden in the PDF, where the static figures stand in


def test_the_static_figure_writes_every_character_legibly() -> None:
    """Black characters on deep red and blue were hard to read: each is now black or white,
    whichever contrasts more with its cell, and WCAG's ratio is at least 4.5 everywhere."""
    passage = "abcdefghij\nklmnopqrst"
    values = np.linspace(-1.0, 1.0, len(passage))  # the whole colour scale, deep blue to deep red
    fig, ax = plt.subplots()
    image = plots.text_heatmap(ax, passage, values, columns=11)
    cells = image.cmap(image.norm(image.get_array().filled(np.nan)))
    texts = ax.texts
    assert len(texts) == 20
    colours = set()
    for label in texts:
        x, y = label.get_position()
        background = cells[int(y), int(x)]
        colours.add(label.get_color())
        assert plots.contrast_ratio(label.get_color(), background) >= 4.5, (label.get_text(), background)
    assert colours == {"black", "white"}  # white on the deep ends, black in the pale middle
    plt.close(fig)


@pytest.mark.parametrize(
    ("foreground", "background", "ratio"),
    [("black", "white", 21.0), ("white", "white", 1.0), ("#777777", "white", 4.478)],
)
def test_contrast_ratio_is_wcag_s(foreground: str, background: str, ratio: float) -> None:
    # WCAG 2.1's own examples: 21:1 for black on white; #777 on white just misses 4.5:1
    assert plots.contrast_ratio(foreground, background) == pytest.approx(ratio, abs=1e-3)
    assert plots.contrast_ratio(background, foreground) == pytest.approx(ratio, abs=1e-3)
