"""A main line a student reads in one sitting per chapter: each page's prose outside code, math,
tables, folded deep dives and exercises stays within its budget (``tools/main_line_words.py``).

The budgets are about three quarters of what the pages held before the detours moved into
deep dives (22,223 words over these 15 pages by this count, 7 December 2026); the total is held
under 17,000; Part IV, added later, has a total of its own. A page that grows past its budget
moves a detour into a deep dive, or cuts.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from main_line_words import main_line_pages, page_words, prose_words  # noqa: E402

words = functools.cache(page_words)

BUDGETS = {
    "00_preface": 700,
    "01_rnn": 515,
    "02_vanishing_gradients": 860,
    "03_lstm_gates": 1130,
    "04_cell_state": 1280,
    "05_bptt": 800,
    "06_keras_sine": 1375,
    "07_two_implementations": 1255,
    "08_forecasting": 1410,
    "09_variants": 1300,
    "10_char_language_model": 1855,
    "11_keras_language_model": 1210,
    "12_what_cells_learn": 1215,
    "13_bidirectional_and_memory": 1385,
    "14_keras_addition": 1000,
    "15_encoder_decoder": 1000,
    "16_beam_search": 1000,
    "17_attention": 1000,
    "appendix_performance": 670,
}
TOTAL = 17_000
"""The preface, Parts I to III and the appendix together."""
PART_IV = ("14_", "15_", "16_", "17_")
PART_IV_TOTAL = 4_000
"""Part IV (sequence to sequence), written after the budgets above were set: its own total, so
it does not squeeze the chapters before it; each of its pages has 1,000 words."""


def test_every_page_of_the_main_line_has_a_budget() -> None:
    assert [page.stem for page in main_line_pages()] == list(BUDGETS)


@pytest.mark.parametrize("page", main_line_pages(), ids=lambda p: p.stem)
def test_the_page_stays_within_its_budget(page: Path) -> None:
    assert words(page) <= BUDGETS[page.stem], f"{page.stem}: {words(page)} words"


def test_the_main_line_is_under_the_total() -> None:
    pages = main_line_pages()
    before = sum(words(page) for page in pages if not page.stem.startswith(PART_IV))
    part_iv = sum(words(page) for page in pages if page.stem.startswith(PART_IV))
    assert before <= TOTAL, f"preface, Parts I-III and the appendix: {before} words"
    assert part_iv <= PART_IV_TOTAL, f"Part IV: {part_iv} words"


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("One two three.", 3),
        (
            "Before.\n\n```{admonition} Deep dive: x\n:class: dropdown deep-dive\nfour five six\n```\nAfter.",
            2,
        ),
        ("Kept.\n\n```{note}\nnot folded, counted\n```", 4),
        ("Math $a + b = c$ here.\n\n$$\nx = y\n$$", 2),
        ("| a | b |\n|---|---|\n| 1 | 2 |\nText.", 1),
        ("::::{admonition} Outer\n:class: dropdown\n:::{note}\ninner words\n:::\n::::\nOut.", 1),
    ],
)
def test_what_the_count_leaves_out(markdown: str, words: int) -> None:
    assert prose_words(markdown) == words
