"""The PDF of the whole book (``make pdf``, tools/make_pdf.py), printed from the session's build.

Its pages are rendered to PNG with pdftoppm (as a reader's viewer would draw them) and its
text read with pdftotext (Debian's poppler-utils, which ``make env`` installs): every
chapter of _toc.yml is in it under its number, the figures are numbered per chapter,
formulas are typeset (no TeX source left on any page) and the page count fits the book.
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


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found; `make env` installs Debian's poppler-utils")
    return path


def _title(name: str) -> str:
    """The first heading of a chapter's source: its title in the sidebar and in the PDF."""
    source = (ROOT / f"{name}.md").read_text()
    return re.search(r"^# (.+)$", source, re.M).group(1).strip()  # type: ignore[union-attr]


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
        assert any(page.startswith(heading) for page in pdf_text), f"no page starts with {heading!r}"
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
