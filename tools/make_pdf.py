"""Write the whole book as one PDF, with its math, figures and numbered chapters.

    python tools/make_pdf.py                    # after `jupyter-book build .` (`make pdf`)
    python tools/make_pdf.py --path-output DIR  # after `jupyter-book build . --path-output DIR`

It writes <path-output>/_build/html/lstm-tutorial.pdf.

Offline, in two steps. First Sphinx's ``singlehtml`` builder writes the book as one page;
it reads the executed notebooks from the jupyter-cache of the HTML build before it (the
same ``--path-output``), so no chapter executes a second time once that build ran (a
chapter whose code changed since is executed, as in any cached build). Then headless
Chromium (Debian's ``chromium``, driven by Playwright) opens that page without the
network, waits until MathJax has typeset every formula and every image has loaded, and
prints it to PDF. The PDF goes next to the HTML pages, which link to it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PDF_NAME = "lstm-tutorial.pdf"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

# Runs in the page before printing: the light theme, the deep dives opened (an admonition
# of class deep-dive, and a code cell tagged deep-dive), then the Promise of MathJax's
# typesetting and of every image. Folded solutions stay folded, as on the pages: a reader of
# the PDF tries an exercise before seeing its answer; a deep dive has nothing to hide.
PREPARE = """async () => {
  document.documentElement.dataset.theme = 'light';
  document.documentElement.dataset.mode = 'light';
  const deepDives = [...document.querySelectorAll('div.admonition.deep-dive')];
  deepDives.forEach(box => {
    box.classList.remove('toggle-hidden');
    box.querySelectorAll('button.toggle-button').forEach(b => b.classList.remove('toggle-button-hidden'));
  });
  const deepCells = [...document.querySelectorAll('div.cell.tag_deep-dive details')];
  deepCells.forEach(details => { details.open = true; });
  if (window.MathJax && window.MathJax.startup) { await window.MathJax.startup.promise; }
  await Promise.all([...document.images].map(img => img.complete ? null : new Promise(
    done => { img.onload = img.onerror = done; })));
  return {
    math: document.querySelectorAll('mjx-container').length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
    images: document.images.length,
    deepDives: deepDives.length + deepCells.length,
    broken: [...document.images].filter(img => !img.naturalWidth).map(img => img.src),
  };
}"""

FOOTER = (
    '<div style="font-size: 8px; width: 100%; text-align: center; color: #666;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def build_single_page(path_output: Path) -> Path:
    """The book as one HTML page (Sphinx's singlehtml builder), from the cached notebooks."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(ROOT),
            "--path-output",
            str(path_output),
            "--builder",
            "singlehtml",
            "--warningiserror",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"the single-page build failed:\n{(result.stdout + result.stderr)[-6000:]}")
    # The builder writes the whole book as the root page, the _toc.yml root's page (index.html
    # only redirects to it), but with links relative to the output's top, where _static
    # and _images are: a copy there loads them.
    single = path_output / "_build" / "singlehtml"
    page = single / "book.html"
    root = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    shutil.copyfile(single / f"{root}.html", page)
    return page


def print_to_pdf(page_file: Path, pdf: Path) -> dict[str, object]:
    """Print ``page_file`` to ``pdf`` in headless Chromium once its math and images are ready."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(color_scheme="light")
        page = context.new_page()
        # Offline: a request for anything but a local file is refused.
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:", "blob:"))
                else route.abort()
            ),
        )
        # The whole book as one page loads far slower than one chapter, and slower still on a
        # busy machine: Playwright's default of 30 s for a page can be too short for it.
        page.goto(page_file.as_uri(), wait_until="load", timeout=300_000)
        found: dict[str, object] = page.evaluate(PREPARE)
        if found["mathErrors"] or found["broken"]:
            sys.exit(f"not printing a page with MathJax errors or images that did not load: {found}")
        page.emulate_media(media="print")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(pdf),
            format="A4",
            print_background=True,
            # The page's 182 mm of text are about 690 CSS px; at this scale they are the
            # 810 px of a desktop browser's column, so whatever fits there fits here.
            scale=0.85,
            margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
        )
        browser.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--path-output",
        type=Path,
        default=ROOT,
        help="the --path-output of the HTML build (default: the repository, i.e. _build/)",
    )
    parser.add_argument("--out", type=Path, help=f"the PDF (default: <html>/{PDF_NAME})")
    args = parser.parse_args()
    path_output = args.path_output.resolve()
    pdf = args.out or path_output / "_build" / "html" / PDF_NAME
    start = time.perf_counter()
    page_file = build_single_page(path_output)
    built = time.perf_counter()
    found = print_to_pdf(page_file, pdf)
    print(
        f"wrote {pdf} ({pdf.stat().st_size / 2**20:.1f} MiB; {found['math']} formulas, "
        f"{found['images']} images, {found['deepDives']} deep dives open): "
        f"single page {built - start:.0f} s, print {time.perf_counter() - built:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
