"""Figures are numbered per appendix ("Figure A.1") and not at all in the preface (_ext/appendix_numbers.py).

Sphinx numbers the figures of every page outside the numbered parts in one run through the book, so
the preface's figure was "Figure 1" and the performance appendix's "Figure 2". The unit tests check the
renumbering on Sphinx's own data structures; the last test reads the built pages: the appendix's figure
says "Figure A.1" in its caption and wherever the text refers to it, and the preface's figure carries no
number.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

from appendix_numbers import page_groups, renumber

TOCTREES = [
    (False, ["book/foreword"]),
    (True, ["book/01_rnn", "book/02_vanishing_gradients"]),
    (True, ["book/06_keras_sine"]),
    (False, ["book/appendix_performance", "book/appendix_versions", "book/bibliography"]),
]


def test_pages_before_the_numbered_parts_are_front_matter_and_after_them_appendices() -> None:
    front, back = page_groups(TOCTREES)
    assert front == ["book/foreword"]
    assert back == ["book/appendix_performance", "book/appendix_versions", "book/bibliography"]


def test_each_appendix_gets_its_letter_and_its_own_count() -> None:
    # What Sphinx assigns: chapters by their section number; unnumbered pages in one run (1, 2, 3).
    sphinx = {
        "book/00_preface": {"figure": {"fig-preface-cell": (1,)}},
        "book/01_rnn": {"figure": {"fig-rnn": (1, 1)}},
        "book/appendix_performance": {"figure": {"fig-b": (3,), "fig-a": (2,)}, "table": {"t": (1,)}},
        "book/appendix_versions": {"figure": {"fig-v": (4,)}},
    }
    numbers, changed = renumber(
        sphinx, ["book/00_preface"], ["book/appendix_performance", "book/appendix_versions"]
    )
    assert numbers["book/00_preface"] == {}
    assert numbers["book/01_rnn"] == {"figure": {"fig-rnn": (1, 1)}}
    assert numbers["book/appendix_performance"] == {
        "figure": {"fig-a": ("A", 1), "fig-b": ("A", 2)},  # in their order on the page
        "table": {"t": ("A", 1)},
    }
    assert numbers["book/appendix_versions"] == {"figure": {"fig-v": ("B", 1)}}
    assert sorted(changed) == ["book/00_preface", "book/appendix_performance", "book/appendix_versions"]
    # How Sphinx prints a number: "Figure %s" % ".".join(map(str, number)).
    assert ".".join(map(str, numbers["book/appendix_performance"]["figure"]["fig-a"])) == "A.1"


def test_renumbering_twice_changes_nothing_more() -> None:
    once, _ = renumber({"book/app": {"figure": {"f": (2,)}}}, [], ["book/app"])
    twice, changed = renumber(once, [], ["book/app"])
    assert twice == once and changed == []


def _captions(page: Path) -> list[str]:
    return re.findall(r'<span class="caption-number">([^<]*)</span>', page.read_text())


def test_the_built_appendix_says_figure_a1_and_the_preface_no_number(built_book: Path) -> None:
    appendix = built_book / "book" / "appendix_performance.html"
    captions = _captions(appendix)
    assert captions and captions[0].strip() == "Figure A.1", captions
    references = re.findall(r'<span class="std std-numref">([^<]*)</span>', appendix.read_text())
    assert references and set(references) <= {f"Figure A.{k}" for k in range(1, len(captions) + 1)}, (
        references
    )
    preface = built_book / "book" / "00_preface.html"
    assert not any(c.startswith("Figure") for c in _captions(preface)), _captions(preface)
    assert "<figcaption>" in preface.read_text()  # the figure is there, unnumbered
