"""The book: every chapter executes in a clean build with warnings as errors, and uses real package names.

The build goes to ``_build/test-book`` from a clean state (a fresh jupyter-cache),
because jupyter-cache hashes only code cells: edits to ``lstm_tutorial/`` would
otherwise leave stale outputs. Sphinx runs with ``-W --keep-going`` and
``nb_execution_raise_on_error``, so a failing cell or any warning fails here;
the execution reports stay in ``_build/test-book/_build/html/reports``.
"""

from __future__ import annotations

import ast
import html
import importlib
import re
from pathlib import Path

from conftest import OUT, ROOT, notebook_chapters, toc_files


def test_book_builds_and_every_chapter_is_in_it(built_book: Path) -> None:
    for name in toc_files():
        page = built_book / f"{name}.html"
        assert page.exists(), page
        text = page.read_text()
        # No cell printed an error or a traceback into the page.
        assert "Traceback (most recent call last)" not in text, name
        assert 'class="output traceback' not in text and "output stderr" not in text, name


def test_the_build_found_every_chapter_executed_beforehand(built_book: Path) -> None:
    """tools/execute_book.py executed the chapters, two at a time, into the build's cache,
    and the build rendered each from there: it executed none itself (had the notebooks it
    reads hashed otherwise, it would have run every chapter again, one after another)."""
    chapters = notebook_chapters()
    executed = (OUT / "execute.log").read_text()
    assert f"executed {len(chapters)} of {len(chapters)} chapters" in executed, executed[-3000:]
    log = (OUT / "build.log").read_text()
    assert log.count("Using cached notebook") == len(chapters)
    assert "Executed notebook" not in log


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
            # `lstm_tutorial.nn.lstm` itself is a module reference, not an attribute.
            importlib.import_module(f"{module_name}.{name}")
            checked += 1
    assert checked > 0


def _output_blocks(page: str) -> list[str]:
    """The HTML of each cell's outputs on a built page, one string per cell."""
    # A cell's classes start with "cell" and may carry its tags ("cell tag_hide-cell docutils
    # container"): the next cell's opening, whatever its tags, ends the block.
    return [re.split(r'<div class="cell[ "]', part)[0] for part in page.split('class="cell_output')[1:]]


def _output_text(block: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", block))


def test_outputs_read_as_one_block_of_numbers_and_tables(built_book: Path) -> None:
    """What a cell prints is one block; numbers print as numbers, not quoted strings or
    "-0.000"; a table renders as a table, not as the pipes of its Markdown."""
    problems = []
    for name in toc_files():
        page = (built_book / f"{name}.html").read_text()
        for number, block in enumerate(_output_blocks(page), start=1):
            where = f"{name}, output {number}"
            if block.count('class="output stream') > 1:
                problems.append(f"{where}: printed text split over several boxes")
            if block.count('class="output text_html') > 1:
                problems.append(f"{where}: several HTML boxes (rich's console output?)")
            if EMPTY_BOX.search(block):
                problems.append(f"{where}: an empty output box")
            text = _output_text(block)
            problems += [f"{where}: a number as a quoted string {m!r}" for m in QUOTED_NUMBER.findall(text)]
            problems += [f"{where}: a negative zero {m!r}" for m in NEGATIVE_ZERO.findall(text)]
            problems += [f"{where}: a table as raw text {m!r}" for m in RAW_TABLE.findall(text)]
            problems += [f"{where}: TeX in a table cell {m!r}" for m in RAW_SUBSCRIPT.findall(block)]
    assert not problems, "\n".join(problems)


EMPTY_BOX = re.compile(r"<pre[^>]*>\s*</pre>")
QUOTED_NUMBER = re.compile(r"'[-+]?\d+\.\d+'")
NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0\.0+(?![0-9])(?!e-?[0-9])")
RAW_TABLE = re.compile(r"^\|.*\|\s*\n\|[-:| ]+\|", re.M)
# A rendered table cell shows ``h_1`` as typed: write h₁, or put the math in the text.
RAW_SUBSCRIPT = re.compile(r"<t[dh][^>]*>(?:<p>)?[^<]*?\b[A-Za-z]+_\{?\d[^<]*")


def test_the_output_checks_catch_planted_cases() -> None:
    assert QUOTED_NUMBER.findall("i = sigmoid(z) = ['0.7311', '0.2689']") == ["'0.7311'", "'0.2689'"]
    assert NEGATIVE_ZERO.findall("true next value:      -0.000000   (x = -1.9e-14)") == ["-0.000000"]
    assert not NEGATIVE_ZERO.findall("-0.0001  -0.000e-05 +0.000000 x-0.00")
    assert RAW_TABLE.findall("| a | b |\n|---|---|\n| 1 | 2 |")
    assert EMPTY_BOX.search('<div class="output text_html"><pre style="white-space:pre"></pre>')
    assert not EMPTY_BOX.search("<pre>Total params: 101</pre>")
    assert RAW_SUBSCRIPT.findall("<td><p>hidden states h_1 … h_10</p></td>")
    assert not RAW_SUBSCRIPT.findall("<td>hidden states h₁ … h₁₀</td><td>look_back 10</td>")
