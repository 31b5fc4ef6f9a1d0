"""Karpathy's viewer, offline: a passage of text a reader hovers to see what the model predicts.

After the page of Karpathy, Johnson & Fei-Fei (2015), "Visualizing and Understanding
Recurrent Networks": each character of a held-out passage is coloured by one unit's cell
state; hovering it (or moving to it with the arrow keys) shows the model's likeliest next
characters with their probabilities and the unit's value there; a select element picks
the unit. Everything the page needs is in the element itself: the numbers as JSON,
computed once by the chapter, and a few dozen lines of JavaScript and CSS, emitted inline
so that the element works from a saved page, without a kernel or the network, in the built
book as in Jupyter. In print (the PDF) it is hidden: the static figures stand in for it.

    viewer_data   what the page shows, computed from the model: next characters, probabilities, units
    viewer_html   the page element: the JSON, the select element, the text, the tooltip, its script

    N  characters read    S  characters shown (the last S of the N)    V  vocabulary    H  units
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..nn import _checks
from ..nn.losses import log_softmax
from ..nn.model import Sequential
from ..tasks.language import stepping_twin
from ..tasks.probe import cell_internals
from ..tasks.text import Vocabulary

__all__ = ["viewer_data", "viewer_html"]

# Rounding of what the page shows: four decimals of a probability, three of a cell state,
# so that a passage of 2,000 characters stays near 100 kB of JSON.
P_DECIMALS, VALUE_DECIMALS = 4, 3


def viewer_data(
    model: Sequential,
    vocab: Vocabulary,
    text: str,
    units: Mapping[str, int],
    *,
    start: int = 0,
    top: int = 5,
    chunk: int = 1024,
) -> dict[str, Any]:
    """What the viewer shows: for each character, the likeliest next ones and the units' values.

    The model reads all of ``text`` as one stream from zero states (``chunk``
    characters per call; only the speed depends on it), so a character shown has
    all the text before it as context; the first ``start`` characters are read for
    that context only.

    Args:
        model: a character model (``language.char_model``'s shape); the units are
            those of its first LSTM layer.
        vocab: the ``text.Vocabulary`` the model was trained with.
        text: N characters.
        units: {label: unit index in [0, H)}, the units a reader can colour by, in
            the order the select element lists them (at least one).
        start: the first character shown, in [0, N).
        top: how many next characters to list, in [1, V].
        chunk: characters per forward call, >= 1.

    Returns:
        A JSON-ready dict:

        - ``"text"``: the S = N - start characters shown (str);
        - ``"next"``: (S, top) the likeliest next characters after reading each one
          shown, likeliest first (str of one character each; the unknown id is
          ``vocab.unknown_char``);
        - ``"p"``: (S, top) their probabilities, rounded to 4 decimals;
        - ``"units"``: one dict per unit: ``"label"``, ``"unit"``, ``"values"``
          ((S,) its cell state c_t after reading each character, rounded to 3
          decimals), and ``"low"``, ``"high"``, the 1st and 99th percentiles of
          the values, the range the colours span.
    """
    twin = stepping_twin(model)
    vocab = _checks.instance("vocab", vocab, Vocabulary)
    if twin.layers[0].input_size != vocab.size:
        raise ValueError(
            f"vocab must be the model's: the model reads {twin.layers[0].input_size} ids, "
            f"vocab has {vocab.size}"
        )
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be a non-empty str, got {_checks.describe(text)}")
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start < len(text):
        raise ValueError(f"start must be an int in [0, {len(text) - 1}] (N = {len(text)}), got {start!r}")
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= vocab.size:
        raise ValueError(f"top must be an int in [1, {vocab.size}] (the vocabulary's size), got {top!r}")
    chunk = _checks.positive_int("chunk", chunk)
    if not isinstance(units, Mapping) or not units:
        raise ValueError(f"units must be a non-empty mapping of label to unit, got {_checks.describe(units)}")
    for label, unit in units.items():
        if not isinstance(label, str) or isinstance(unit, bool) or not isinstance(unit, (int, np.integer)):
            raise TypeError(f"units must map str labels to int units, got {label!r}: {unit!r}")
    ids = vocab.encode(text)
    internals = cell_internals(model, ids, chunk=chunk)
    hidden = internals.c.shape[1]
    for label, unit in units.items():
        if not 0 <= unit < hidden:
            raise ValueError(
                f"units[{label!r}] must be a unit in [0, {hidden - 1}] (H = {hidden}), got {unit}"
            )

    alphabet = np.array(list(vocab.chars + vocab.unknown_char))
    shown = slice(start, len(text))
    logits = [twin.predict(ids[None, k : k + chunk])[0] for k in range(0, ids.size, chunk)]
    log_p = log_softmax(np.concatenate(logits).astype(np.float64))[shown]  # (S, V)
    # likeliest first; a stable sort breaks ties by id, so the order is the same on every machine
    order = np.argsort(-log_p, axis=1, kind="stable")[:, :top]
    p = np.exp(np.take_along_axis(log_p, order, axis=1))
    described = []
    for label, unit in units.items():
        values = internals.c[shown, int(unit)].astype(np.float64)
        low, high = np.percentile(values, [1, 99])
        described.append(
            {
                "label": label,
                "unit": int(unit),
                "values": _rounded(values, VALUE_DECIMALS).tolist(),
                "low": float(_rounded(low, VALUE_DECIMALS)),
                "high": float(_rounded(high, VALUE_DECIMALS)),
            }
        )
    return {
        "text": text[shown],
        "next": alphabet[order].tolist(),
        "p": _rounded(p, P_DECIMALS).tolist(),
        "units": described,
    }


def _rounded(values: Any, decimals: int) -> np.ndarray:
    """``values`` rounded, with no negative zero: -0.0004 becomes 0.0, not the "-0.0" a page
    should not print (adding +0.0 turns -0.0 into 0.0 and changes nothing else)."""
    return np.round(np.asarray(values, dtype=np.float64), decimals) + 0.0


def viewer_html(data: Mapping[str, Any], element_id: str = "cell-viewer") -> str:
    """The page element for ``data`` (``viewer_data``'s dict), with its JSON, style and script inline.

    Show it in a notebook with ``IPython.display.HTML(viewer_html(data))``; myst-nb puts
    it into the built page as it is. The JSON sits in a ``<script type="application/json"
    class="cell-viewer-data">`` (the test reads it there), with ``<``, ``>`` and ``&``
    escaped, so no text it shows can close the script.

    Args:
        data: the dict ``viewer_data`` returned.
        element_id: the element's id, unique on the page (letters, digits, ``-``, ``_``).

    Returns:
        The HTML, a str.
    """
    if not isinstance(data, Mapping) or not {"text", "next", "p", "units"} <= set(data):
        raise TypeError(f"data must be the dict viewer_data returns, got {_checks.describe(data)}")
    if not isinstance(element_id, str) or not element_id.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"element_id must be letters, digits, '-' and '_', got {element_id!r}")
    if not data["next"] or not data["units"]:
        raise ValueError("data must hold at least one character and one unit, as viewer_data returns")
    top = len(data["next"][0])
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    options = "".join(
        f'<option value="{k}">{html.escape(unit["label"])}: unit {unit["unit"]}</option>'
        for k, unit in enumerate(data["units"])
    )
    return (
        f'<div class="cell-viewer tex2jax_ignore mathjax_ignore" id="{element_id}">'
        f"<style>{_STYLE}</style>"
        f'<p class="cell-viewer-controls"><label>Colour by the cell state of '
        f'<select aria-label="unit">{options}</select></label> '
        '<span class="cell-viewer-key"></span></p>'
        '<p class="cell-viewer-controls">Hover a character, or click in the text and use the arrow '
        f"keys: the box lists the {top} likeliest next characters after it.</p>"
        '<div class="cell-viewer-text" tabindex="0" role="application" '
        'aria-label="held-out text, coloured by a unit; arrow keys move"></div>'
        '<div class="cell-viewer-tip" role="status" aria-live="polite" hidden></div>'
        f'<script type="application/json" class="cell-viewer-data">{payload}</script>'
        f"<script>{_SCRIPT}</script>"
        "</div>"
    )


# The colours: a diverging scale from the middle of the unit's range to red (high) and blue
# (low), lighter in the light theme, darker in the dark one; each character's text is black or
# white, whichever contrasts more with its cell (the WCAG ratio of the two luminances), which
# is at least 4.58 whatever the cell: black and white tie where the luminance is 0.179.
# The theme gives HTML outputs a light box in dark mode (for tables); the viewer's output
# takes the page's own background and text colour instead.
_STYLE = """
.cell-viewer { position: relative; margin: 1em 0; }
html[data-theme] .bd-content div.cell_output div.output.text_html:has(> .cell-viewer) {
  background: transparent;
  color: var(--pst-color-text-base, inherit); }
.cell-viewer-controls { font-size: 0.9em; margin: 0 0 0.4em; }
.cell-viewer-key span { padding: 0.1em 0.4em; margin-left: 0.3em; border-radius: 3px; }
.cell-viewer-text { font-family: var(--pst-font-family-monospace, monospace); font-size: 12.5px;
  line-height: 1.5; white-space: pre; overflow-x: auto; padding: 0.4em;
  border: 1px solid var(--pst-color-border, #ccc); border-radius: 4px; }
.cell-viewer-text:focus { outline: 2px solid var(--pst-color-primary, #0a7d91); }
.cell-viewer-text span.is-current { outline: 2px solid #e8a317; outline-offset: -1px; }
.cell-viewer-tip { position: absolute; z-index: 20; pointer-events: none; font-size: 13px;
  background: var(--pst-color-surface, #fff); color: var(--pst-color-text-base, #222);
  border: 1px solid var(--pst-color-border, #999); border-radius: 4px; padding: 0.3em 0.6em;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.3); }
.cell-viewer-tip table { margin: 0.2em 0 0; font-family: var(--pst-font-family-monospace, monospace); }
.cell-viewer-tip td { padding: 0 0.4em; border: none; }
.cell-viewer-tip td.p { text-align: right; }
@media print { .cell-viewer { display: none !important; } }
"""

_SCRIPT = """
(() => {
  const PALETTES = {  // [middle, high, low] as RGB
    light: [[247, 247, 247], [178, 24, 43], [33, 102, 172]],
    dark: [[38, 38, 38], [214, 96, 77], [67, 147, 195]],
  };
  const SHOWN = {" ": "\\u2423", "\\n": "\\u21b5", "\\t": "\\u21e5"};  // a space, a newline, a tab
  const show = ch => SHOWN[ch] || ch;
  const linear = v => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const luminance = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  function colours(value, unit) {  // the cell's background and the text colour that reads on it
    const theme = document.documentElement.dataset.theme === "dark" ? "dark" : "light";
    const [middle, high, low] = PALETTES[theme];
    const half = (unit.high - unit.low) / 2 || 1;
    const t = Math.max(-1, Math.min(1, (value - (unit.high + unit.low) / 2) / half));
    const end = t > 0 ? high : low;
    const cell = middle.map((m, k) => Math.round(m + Math.abs(t) * (end[k] - m)));
    const y = luminance(cell);  // contrast with black (y + 0.05) / 0.05, with white 1.05 / (y + 0.05)
    const text = (y + 0.05) / 0.05 >= 1.05 / (y + 0.05) ? "rgb(0, 0, 0)" : "rgb(255, 255, 255)";
    return [`rgb(${cell.join(", ")})`, text];
  }
  for (const root of document.querySelectorAll(".cell-viewer:not([data-ready])")) {
    root.dataset.ready = "true";
    const data = JSON.parse(root.querySelector("script.cell-viewer-data").textContent);
    const box = root.querySelector(".cell-viewer-text");
    const tip = root.querySelector(".cell-viewer-tip");
    const select = root.querySelector("select");
    const chars = [...data.text];  // by code point, as Python counts characters
    const spans = chars.map((ch, t) => {
      const span = document.createElement("span");
      span.textContent = ch === "\\n" ? "\\u21b5\\n" : ch;
      span.dataset.t = t;
      return box.appendChild(span);
    });
    let current = null;
    const unit = () => data.units[select.value];
    const key = root.querySelector(".cell-viewer-key");
    function paint() {
      const u = unit();
      spans.forEach((span, t) => {
        [span.style.backgroundColor, span.style.color] = colours(u.values[t], u);
      });
      key.replaceChildren(...[["low", u.low], ["high", u.high]].map(([name, value]) => {
        const swatch = document.createElement("span");
        [swatch.style.backgroundColor, swatch.style.color] = colours(value, u);
        swatch.textContent = `${name}: c = ${value.toFixed(2)}`;
        return swatch;
      }));
    }
    function open(t) {
      if (current !== null) spans[current].classList.remove("is-current");
      current = t;
      spans[t].classList.add("is-current");
      const u = unit();
      tip.replaceChildren();
      const line = (name, text) => {
        const div = tip.appendChild(document.createElement("div"));
        div.className = name;
        div.textContent = text;
      };
      line("cell-viewer-read", `read ${show(chars[t])} (character ${t + 1} of ${chars.length})`);
      line("cell-viewer-value", `c of unit ${u.unit} (${u.label}) = ${u.values[t].toFixed(2)}`);
      line("cell-viewer-next", "likeliest next:");
      const rows = tip.appendChild(document.createElement("table"));
      data.next[t].forEach((ch, k) => {
        const row = rows.insertRow();
        row.insertCell().textContent = show(ch);
        const p = row.insertCell();
        p.className = "p";
        p.textContent = `${(100 * data.p[t][k]).toFixed(1)}%`;
      });
      tip.hidden = false;
      const at = spans[t].getBoundingClientRect(), home = root.getBoundingClientRect();
      tip.style.top = `${at.bottom - home.top + 4}px`;
      tip.style.left = `${Math.max(0, Math.min(at.left - home.left, home.width - tip.offsetWidth))}px`;
    }
    box.addEventListener("mouseover", event => {
      if (event.target.dataset.t !== undefined) open(Number(event.target.dataset.t));
    });
    box.addEventListener("mouseleave", () => { if (document.activeElement !== box) tip.hidden = true; });
    box.addEventListener("focus", () => open(current ?? 0));
    box.addEventListener("blur", () => { tip.hidden = true; });
    box.addEventListener("keydown", event => {
      const step = {ArrowRight: 1, ArrowLeft: -1}[event.key];
      if (step === undefined) return;
      event.preventDefault();
      open(Math.max(0, Math.min(spans.length - 1, (current ?? 0) + step)));
      spans[current].scrollIntoView({block: "nearest", inline: "nearest"});
    });
    select.addEventListener("change", () => { paint(); if (!tip.hidden) open(current); });
    new MutationObserver(paint).observe(document.documentElement, {attributeFilter: ["data-theme"]});
    paint();
  }
})();
"""
