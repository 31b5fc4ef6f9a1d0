"""The PDF of the whole book (``make pdf``, tools/make_pdf.py), printed from the session's build.

Its pages are rendered to PNG with pdftoppm (as a reader's viewer would draw them) and its
text read with pdftotext (Debian's poppler-utils, which ``make env`` installs): every
chapter of _toc.yml is in it under its number, the figures are numbered per chapter,
formulas are typeset (no TeX source left on any page), the page count fits the book, and the
deep dives (folded on the HTML pages) are printed open while the exercises' solutions stay folded.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import OUT, ROOT, toc_files

pytestmark = pytest.mark.slow

RAW_TEX = ("\\frac", "$$", "\\begin{", "\\mathbb", "\\odot", "\\tanh")

# A deep dive: ```{admonition} Deep dive: ... with :class: dropdown deep-dive, up to its closing fence.
DEEP_DIVE = re.compile(
    r"^(`{3,}|:{3,})\{admonition\}[^\n]*\n:class:[^\n]*\bdeep-dive\b[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M
)
SOLUTION = re.compile(r"```\{solution-start\}.*?```\{solution-end\}", re.S)
PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9,.;:()-]*")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found; `make env` installs Debian's poppler-utils")
    return path


def _title(name: str) -> str:
    """The first heading of a chapter's source: its title in the sidebar and in the PDF."""
    source = (ROOT / f"{name}.md").read_text()
    return re.search(r"^# (.+)$", source, re.M).group(1).strip()  # type: ignore[union-attr]


def plain_run(markdown: str, words: int = 6) -> str | None:
    """The longest run of at least ``words`` plain words in ``markdown`` (no math, role, code, quote or
    digit, which the page renders differently), as the PDF's text shows it; None if there is none."""
    text = re.sub(r"(?<!\\)\$[^$\n]+\$|\{[\w:-]+\}`[^`]*`|`[^`\n]*`", " \u00a7 ", markdown)
    text = re.sub(r"^:.*$", " \u00a7 ", text, flags=re.M).replace("*", "")
    runs: list[list[str]] = [[]]
    for token in text.split():
        if PLAIN_WORD.fullmatch(token):
            runs[-1].append(token)
        else:
            runs.append([])
    best = max(runs, key=len)
    return " ".join(best) if len(best) >= words else None


def deep_dive_phrases(text: str) -> list[str]:
    """A phrase of every deep dive in a chapter's source (the longest run of plain words in each)."""
    return [phrase for m in DEEP_DIVE.finditer(text) if (phrase := plain_run(m.group(2)))]


def solution_comments(text: str, elsewhere: str = "") -> list[str]:
    """The comments of four words or more in a chapter's folded solutions that appear nowhere else in
    it, nor in ``elsewhere`` (the rest of the book), so that the PDF can show them only from a solution."""
    outside = SOLUTION.sub(" ", text) + elsewhere
    comments = [
        comment.strip()
        for block in SOLUTION.findall(text)
        for comment in re.findall(r"#\s*([^\n]+)$", block, re.M)
    ]
    return [c for c in comments if len(c.split()) >= 4 and c not in outside and "'" not in c and '"' not in c]


def _pages(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def pdf_text(book_pdf: Path) -> list[str]:
    """The text of every page (pdftotext, form feeds between pages), whitespace collapsed."""
    text = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(book_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def _running_text(pdf_text: list[str]) -> str:
    """The pages as one text, each page's footer ("12 / 203") dropped, so a phrase may cross a page."""
    return " ".join(re.sub(r"\s*\d+ / \d+$", "", page) for page in pdf_text)


def test_every_page_renders_to_an_image(book_pdf: Path) -> None:
    pages = _pages(book_pdf)
    chapters = len(toc_files())
    # A page per chapter at the very least (each starts on its own page), and no more
    # than a long chapter's 40 pages each on average.
    assert chapters <= pages <= 40 * chapters, pages
    out = OUT / "pdf-pages"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    subprocess.run([_tool("pdftoppm"), "-r", "20", "-png", str(book_pdf), str(out / "page")], check=True)
    images = sorted(out.glob("page-*.png"))
    assert len(images) == pages
    assert all(image.stat().st_size > 100 for image in images)


def test_every_chapter_starts_a_page_under_its_number(pdf_text: list[str]) -> None:
    """Each chapter of _toc.yml opens a page with its title (the contents list on the first
    page names them too, so a title merely present would prove little); Parts I and II
    carry their numbers, and their figures are numbered per chapter, as on the HTML pages."""
    text = " ".join(pdf_text)
    number = 0
    for name in toc_files():
        title = _title(name)
        numbered = re.match(r"book/\d\d_", name) and not name.endswith("00_preface")
        if numbered:
            number += 1
        heading = f"{number}. {title}" if numbered else title
        # Sphinx sets a title's apostrophes as typographic ones ("Keras’ addition"): compare plain
        starts = [page.replace("\u2019", "'") for page in pdf_text]
        assert any(page.startswith(heading) for page in starts), f"no page starts with {heading!r}"
        if numbered:
            assert f"Figure {number}.1" in text, f"no Figure {number}.1 in the PDF"
    assert number > 0


def test_no_page_shows_raw_tex(pdf_text: list[str]) -> None:
    found = [(number, raw) for number, page in enumerate(pdf_text, start=1) for raw in RAW_TEX if raw in page]
    assert not found, f"(page, TeX source) left unrendered: {found}"


def test_the_pdf_was_printed_with_its_math_and_figures(book_pdf: Path) -> None:
    log = (OUT / "pdf.log").read_text()
    formulas, images = map(int, re.search(r"(\d+) formulas, (\d+) images", log).groups())  # type: ignore[union-attr]
    html_figures = sum(
        len(re.findall(r"<figcaption>", (OUT / "_build" / "html" / f"{name}.html").read_text()))
        for name in toc_files()
    )
    assert formulas > 100
    assert images >= html_figures > 0


def test_every_page_links_the_pdf(built_book: Path, book_pdf: Path) -> None:
    for name in toc_files():
        page = built_book / f"{name}.html"
        links = re.findall(r'href="([^"]*lstm-tutorial\.pdf)"', page.read_text())
        assert links, f"{name}: no link to the book's PDF"
        assert all((page.parent / link).resolve() == book_pdf.resolve() for link in links), (name, links)


def test_deep_dives_are_printed_open(pdf_text: list[str]) -> None:
    """Every deep dive of every chapter, folded on its HTML page, is printed open: a phrase of it is in
    the PDF's text (tools/make_pdf.py opens them; _book_css/book.css keeps them open in print)."""
    text = _running_text(pdf_text)
    phrases = {name: deep_dive_phrases((ROOT / f"{name}.md").read_text()) for name in toc_files()}
    assert any(phrases.values()), "no deep dive in the book's sources: this test checks nothing"
    missing = [(name, p) for name, found in phrases.items() for p in found if p not in text]
    assert not missing, f"deep dives not printed open (chapter, phrase): {missing}"


def test_solutions_stay_folded_in_print(pdf_text: list[str]) -> None:
    """A folded solution is not printed: none of its comments is in the PDF's text."""
    text = _running_text(pdf_text)
    sources = {name: (ROOT / f"{name}.md").read_text() for name in toc_files()}
    rest = " ".join(SOLUTION.sub(" ", source) for source in sources.values())
    # The chapters quote the package's functions whole, docstrings and comments included.
    rest += " ".join(path.read_text() for path in sorted((ROOT / "lstm_tutorial").rglob("*.py")))
    comments = {name: solution_comments(source, rest) for name, source in sources.items()}
    assert any(comments.values()), "no solution comments found: this test checks nothing"
    printed = [(name, c) for name, found in comments.items() for c in found if c in text]
    assert not printed, f"solutions printed open (chapter, comment): {printed}"


PLANTED_CHAPTER = """Main line.

```{admonition} Deep dive: float32 rounding
:class: dropdown deep-dive
The gap is $10^{-7}$, which {glue:text}`gap:.1e` shows: rounding in float32 accumulates over the steps.
```

```{exercise-start}
:label: ex
```
Write it.
```{exercise-end}
```

```{solution-start} ex
:class: dropdown
```

```{code-cell} ipython3
# the classic loop leaves out the last window
x = 1
```

```{solution-end}
```
"""


def test_the_phrases_are_found_in_a_planted_chapter() -> None:
    """The helpers find what the two tests above look for (run without a PDF)."""
    assert deep_dive_phrases(PLANTED_CHAPTER) == ["shows: rounding in float32 accumulates over the steps."]
    assert solution_comments(PLANTED_CHAPTER) == ["the classic loop leaves out the last window"]
    assert deep_dive_phrases(PLANTED_CHAPTER.replace("deep-dive", "note")) == []


def test_the_single_page_gets_every_html_node_handler() -> None:
    """_ext/singlehtml_nodes.py: a node registered for html only (myst-nb's folded code cell) can be
    written on the single page too, even when another extension registered nodes for singlehtml."""
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    from singlehtml_nodes import missing_handlers

    handlers = {
        "html": {"HideCodeCellNode": ("v", "d"), "Solution": ("v1", "d1")},
        "singlehtml": {"Solution": ("s", "e")},
    }
    assert missing_handlers(handlers) == {"HideCodeCellNode": ("v", "d")}
    assert missing_handlers({"html": {"A": 1}}) == {"A": 1}


def test_the_appendix_figures_are_lettered_in_the_pdf(pdf_text: list[str]) -> None:
    """The single page the PDF prints numbers figures as the HTML pages do (_ext/appendix_numbers.py):
    the performance appendix's first figure is Figure A.1, and no figure is numbered without a chapter."""
    text = _running_text(pdf_text)
    assert "Figure A.1" in text
    assert not re.search(r"\bFigure \d+(?![.\d])", text), re.findall(r".{40}\bFigure \d+(?![.\d]).{20}", text)
