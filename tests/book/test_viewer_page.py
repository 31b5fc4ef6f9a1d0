"""Chapter 12's viewer (``lstm_tutorial.book.viewer``) on the built page, in headless Chromium, offline.

The page embeds what the viewer shows as JSON; the tests read it there and hold the page to it:
hovering a character shows its five likeliest next characters with their probabilities and the
picked unit's value; picking another unit recolours the text by that unit's values; every
character's text contrasts with its cell by WCAG's ratio of at least 4.5 in the light and in the
dark theme; the arrow keys move through the text; printing hides the viewer and keeps the figures.
Screenshots of the viewer go to ``_build/test-book/screenshots/12_viewer_*.png``.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest
from conftest import OUT
from test_browser import ARGS, CHROMIUM, block_network

playwright_api = pytest.importorskip("playwright.sync_api")

PAGE = Path("book") / "12_what_cells_learn.html"
VIEWER = "#ch12-viewer"
# How the viewer writes the characters that have no glyph (the same table as its script's).
SHOWN = {" ": "\u2423", "\n": "\u21b5", "\t": "\u21e5"}

# Runs in the page: every character's text and background colour, as [r, g, b] lists.
COLOURS = """(root) => [...document.querySelectorAll(root + ' .cell-viewer-text span')].map(span => {
  const style = getComputedStyle(span);
  const rgb = value => value.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  return {text: rgb(style.color), cell: rgb(style.backgroundColor)};
})"""


def luminance(rgb: list[float]) -> float:
    """WCAG 2's relative luminance of an sRGB colour given as 0-255 channels."""
    linear = [(v / 12.92) if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (c / 255 for c in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: list[float], b: list[float]) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture(scope="module")
def page(built_book: Path):  # type: ignore[no-untyped-def]
    """Chapter 12 at a desktop width, offline, its viewer drawn."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make env` installs Debian's chromium package")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        block_network(page)
        page.goto((built_book / PAGE).as_uri(), wait_until="load")
        page.wait_for_selector(f"{VIEWER}[data-ready] .cell-viewer-text span")
        assert not errors, errors
        yield page
        browser.close()


@pytest.fixture(scope="module")
def data(page) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The JSON the page embeds: what the viewer must show."""
    found: dict = page.evaluate(  # type: ignore[type-arg]
        f"() => JSON.parse(document.querySelector('{VIEWER} script.cell-viewer-data').textContent)"
    )
    assert 300 <= len(found["text"]) <= 2000, len(found["text"])
    assert len(found["units"]) == 4  # the units the chapter's table names
    return found


def _hover(page, t: int) -> tuple[str, str, list[tuple[str, float]]]:  # type: ignore[no-untyped-def]
    """Hover character t; the tooltip's 'read' line, value line and (character, percent) rows."""
    page.locator(f"{VIEWER} .cell-viewer-text span").nth(t).hover()
    tip = page.locator(f"{VIEWER} .cell-viewer-tip")
    assert tip.is_visible()
    rows = []
    for row in tip.locator("tr").all():
        char, percent = row.locator("td").all_inner_texts()
        rows.append((char, float(percent.rstrip("%"))))
    read = tip.locator(".cell-viewer-read").inner_text()
    value = tip.locator(".cell-viewer-value").inner_text()
    return read, value, rows


def _value(line: str) -> float:
    return float(line.rsplit("=", 1)[1])


def test_the_page_shows_the_text_of_its_json(page, data) -> None:  # type: ignore[no-untyped-def]
    shown = page.evaluate(
        f"() => [...document.querySelectorAll('{VIEWER} .cell-viewer-text span')].map(s => s.textContent)"
    )
    assert "".join(shown) == data["text"].replace("\n", "\u21b5\n")
    assert len(shown) == len(data["text"])


def test_hovering_shows_the_five_likeliest_next_characters(page, data) -> None:  # type: ignore[no-untyped-def]
    text = data["text"]
    chosen = [0, text.index("\n"), text.index("("), len(text) // 2, len(text) - 1]
    for t in chosen:
        read, value, rows = _hover(page, t)
        assert read.startswith(f"read {SHOWN.get(text[t], text[t])} (character {t + 1} of {len(text)})")
        expected = [(SHOWN.get(ch, ch), 100 * p) for ch, p in zip(data["next"][t], data["p"][t], strict=True)]
        assert [char for char, _ in rows] == [char for char, _ in expected], t
        for (_, got), (_, want) in zip(rows, expected, strict=True):
            assert abs(got - want) <= 0.05 + 1e-9, (t, got, want)  # shown to one decimal of a percent
        first = data["units"][0]
        assert f"unit {first['unit']} ({first['label']})" in value
        assert abs(_value(value) - first["values"][t]) <= 0.005 + 1e-9
    # the five differ from one character to the next: the tooltip follows the pointer
    assert len({tuple(data["next"][t]) for t in chosen}) > 1


def test_picking_a_unit_colours_the_text_by_its_values(page, data) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")
    before = page.evaluate(COLOURS, VIEWER)
    for k, unit in enumerate(data["units"]):
        page.locator(f"{VIEWER} select").select_option(str(k))
        cells = [c["cell"] for c in page.evaluate(COLOURS, VIEWER)]
        if k:
            changed = sum(cell != old["cell"] for cell, old in zip(cells, before, strict=True))
            assert changed > len(cells) // 2, f"unit {unit['unit']}: only {changed} cells changed colour"
        # red minus blue rises with the value: deep blue at the low end, pale in the middle, deep red
        # at the high end, so sorting the characters by the unit's value sorts their colours
        redness = [cell[0] - cell[2] for cell in cells]
        ranked = sorted(range(len(cells)), key=lambda t: unit["values"][t])
        assert all(redness[a] <= redness[b] + 2 for a, b in itertools.pairwise(ranked)), unit["label"]
        assert max(redness) > 100 and min(redness) < -100, "both ends of the scale are used"
        _, value, _ = _hover(page, 5)
        assert f"unit {unit['unit']} ({unit['label']})" in value
        assert abs(_value(value) - unit["values"][5]) <= 0.005 + 1e-9
    page.locator(f"{VIEWER} select").select_option("0")


def test_every_character_contrasts_with_its_cell(page) -> None:  # type: ignore[no-untyped-def]
    """WCAG's 4.5:1 for text: black or white on each cell, and the tooltip on its box, in the light
    and in the dark theme (the theme's button sets ``data-theme`` on the page's root; so does this)."""
    mean_luminance = {}
    page.locator(
        VIEWER
    ).scroll_into_view_if_needed()  # so that the screenshot does not scroll under the pointer
    for theme in ("light", "dark"):
        page.evaluate(f"() => {{ document.documentElement.dataset.theme = '{theme}'; }}")
        page.wait_for_timeout(100)  # the viewer repaints on the attribute's change
        colours = page.evaluate(COLOURS, VIEWER)
        worst = min(contrast(c["text"], c["cell"]) for c in colours)
        assert worst >= 4.5, f"{theme}: the lowest contrast of a character with its cell is {worst:.2f}"
        mean_luminance[theme] = sum(luminance(c["cell"]) for c in colours) / len(colours)
        _hover(page, 3)
        tip = page.evaluate(
            f"""() => {{ const s = getComputedStyle(document.querySelector('{VIEWER} .cell-viewer-tip'));
            return [s.color, s.backgroundColor]; }}"""
        )
        fg, bg = ([float(v) for v in re.findall(r"\d+(?:\.\d+)?", c)[:3]] for c in tip)
        assert contrast(fg, bg) >= 4.5, (theme, tip)
        shots = OUT / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.locator(VIEWER).screenshot(path=str(shots / f"12_viewer_{theme}.png"))
    # the dark theme has its own, darker cells: no pale patches on a dark page
    assert mean_luminance["dark"] < mean_luminance["light"] / 2, mean_luminance
    page.evaluate("() => { document.documentElement.dataset.theme = 'light'; }")


def test_the_arrow_keys_move_through_the_text(page, data) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(f"{VIEWER} .cell-viewer-text")
    box.focus()
    for _ in range(3):
        box.press("ArrowRight")
    box.press("ArrowLeft")
    tip = page.locator(f"{VIEWER} .cell-viewer-tip")
    assert tip.is_visible()
    text = data["text"]
    current = page.evaluate(f"() => document.querySelector('{VIEWER} span.is-current').dataset.t")
    assert (
        tip.locator(".cell-viewer-read")
        .inner_text()
        .endswith(f"(character {int(current) + 1} of {len(text)})")
    )
    box.press("Escape")  # not a key the viewer uses: nothing moves
    assert page.evaluate(f"() => document.querySelector('{VIEWER} span.is-current').dataset.t") == current
    page.locator("body").focus()


def test_printing_hides_the_viewer_and_keeps_the_figures(page) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(media="print")
    try:
        assert page.locator(VIEWER).evaluate("el => getComputedStyle(el).display") == "none"
        for figure in ("fig-ch12-depth-unit", "fig-ch12-column-unit"):
            assert page.locator(f"#{figure} img").is_visible(), figure
    finally:
        page.emulate_media(media="screen")
    assert page.locator(VIEWER).is_visible()


@pytest.mark.slow
def test_the_pdf_has_the_figures_and_not_the_viewer(book_pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(book_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Colour by the cell state of" not in flat
    assert "correlates best with the bracket depth" in flat  # the first figure's caption
