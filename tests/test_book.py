"""The book: every chapter executes in a clean build with warnings as errors, and uses real package names.

The build goes to ``_build/test-book`` from a clean state (a fresh jupyter-cache),
because jupyter-cache hashes only code cells: edits to ``lstm_tutorial/`` would
otherwise leave stale outputs. Sphinx runs with ``-W --keep-going`` and
``nb_execution_raise_on_error``, so a failing cell or any warning fails here;
the execution reports stay in ``_build/test-book/_build/html/reports``.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from conftest import ROOT, notebook_chapters, toc_files


def test_book_builds_and_every_chapter_is_in_it(built_book: Path) -> None:
    for name in toc_files():
        page = built_book / f"{name}.html"
        assert page.exists(), page
        text = page.read_text()
        # No cell printed an error or a traceback into the page.
        assert "Traceback (most recent call last)" not in text, name
        assert 'class="output traceback' not in text and "output stderr" not in text, name


def test_every_chapter_has_figures_with_captions(built_book: Path) -> None:
    for chapter in notebook_chapters():
        if not chapter.stem[:2].isdigit() or chapter.stem == "00_preface":
            continue  # the preface and the appendices need no figure; every numbered chapter does
        text = (built_book / "book" / f"{chapter.stem}.html").read_text()
        figures = re.findall(r"<figcaption>", text)
        images = re.findall(r'<img[^>]+src="[^"]+\.(?:svg|png)"', text)
        assert figures, f"{chapter.stem}: no captioned figure"
        assert len(images) >= len(figures), chapter.stem


def _package_names_used(source: str) -> set[tuple[str, str]]:
    """(module, name) pairs a chapter's code uses from lstm_tutorial."""
    used: set[tuple[str, str]] = set()
    for cell in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", source, re.S):
        code = "\n".join(line for line in cell.splitlines() if not line.startswith(("---", ":", "%")))
        code = re.sub(r"^mystnb:.*?^---\n", "", code, flags=re.S | re.M)
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lstm_tutorial"):
                used |= {(node.module, alias.name) for alias in node.names}
        used |= set(re.findall(r"\b(lstm_tutorial(?:\.\w+)*)\.(\w+)\b", code))
    return used


def test_every_package_name_the_book_uses_exists() -> None:
    """Book and package must not drift apart: every lstm_tutorial name in book/ resolves."""
    checked = 0
    for chapter in sorted((ROOT / "book").glob("*.md")):
        for module_name, name in _package_names_used(chapter.read_text()):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                module = None
            if module is not None and hasattr(module, name):
                checked += 1
                continue
            # `lstm_tutorial.lstm` itself is a module reference, not an attribute.
            importlib.import_module(f"{module_name}.{name}")
            checked += 1
    assert checked > 0
