"""Figures numbered per appendix ("Figure A.1"), and none in the front matter.

Sphinx numbers a figure after the section number of its page ("Figure 9.1" in chapter 9 of a
numbered part). A page outside the numbered parts has no number, so Sphinx numbers the figures
of all such pages in one run through the book: the preface's figure was "Figure 1" and the
performance appendix's "Figure 2". After Sphinx has numbered them, this gives every page of an
unnumbered part after the numbered ones (the appendices of _toc.yml) a letter, A, B, ... in the
order of the book, and numbers its figures, tables and code blocks A.1, A.2, ...; the pages
before the first numbered part (the preface) keep their figures unnumbered, as a preface's
figures are: the text names them ({ref}), it does not number them ({numref} would fail the
build). The HTML and the single page of the PDF read the same numbers.
"""

from __future__ import annotations

import string
from typing import Any

from sphinx import addnodes

Numbers = dict[str, dict[str, tuple[Any, ...]]]


def page_groups(toctrees: list[tuple[bool, list[str]]]) -> tuple[list[str], list[str]]:
    """(front matter, appendices) from the root page's toctrees, in order, each (numbered, pages):
    the pages of unnumbered toctrees before the first numbered one, and after it."""
    front: list[str] = []
    back: list[str] = []
    seen_numbered = False
    for numbered, pages in toctrees:
        if numbered:
            seen_numbered = True
        else:
            (back if seen_numbered else front).extend(pages)
    return front, back


def renumber(
    fignumbers: dict[str, Numbers], front: list[str], appendices: list[str]
) -> tuple[dict[str, Numbers], list[str]]:
    """Sphinx's ``env.toc_fignumbers`` with the front matter's numbers removed and each appendix's
    figures numbered (letter, 1), (letter, 2), ... in their order on the page; and the pages changed."""
    result = dict(fignumbers)
    changed: list[str] = []
    letters = {page: letter for page, letter in zip(appendices, _letters(len(appendices)), strict=True)}
    for page, by_type in fignumbers.items():
        if page in front:
            new: Numbers = {}
        elif page in letters:
            new = {
                figtype: {
                    figure: (letters[page], k)
                    for k, figure in enumerate(sorted(numbers, key=lambda f: numbers[f]), start=1)
                }
                for figtype, numbers in by_type.items()
            }
        else:
            continue
        if new != by_type:
            result[page] = new
            changed.append(page)
    return result, changed


def _letters(count: int) -> list[str]:
    """A, B, ..., Z, then AA, AB, ... for more appendices than letters."""
    letters = list(string.ascii_uppercase)
    return [letters[k] if k < 26 else letters[k // 26 - 1] + letters[k % 26] for k in range(count)]


def _toctrees(env: Any) -> list[tuple[bool, list[str]]]:
    """The root page's toctrees, in order: (numbered, the pages it lists)."""
    root = env.config.root_doc
    if root not in env.all_docs:
        return []
    doctree = env.get_doctree(root)
    return [
        (bool(node.get("numbered")), [page for _, page in node["entries"] if page in env.all_docs])
        for node in doctree.findall(addnodes.toctree)
    ]


def _renumber(app: Any, env: Any) -> list[str]:
    if not env.config.numfig:
        return []
    front, appendices = page_groups(_toctrees(env))
    front = [env.config.root_doc, *front]
    env.toc_fignumbers, changed = renumber(env.toc_fignumbers, front, appendices)
    return changed


def setup(app: Any) -> dict[str, Any]:
    # After Sphinx's TocTreeCollector (priority 500) has numbered every figure in one run.
    app.connect("env-get-updated", _renumber, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
