"""Every page of the built book in a real browser (headless Chromium, offline).

Fails on: a cell that shows an error, an image that did not load, TeX left
unrendered or a MathJax error, a JavaScript console error, a broken internal
link or anchor, and any request that leaves the machine (the book must work
from file:// with the network off). A full-page screenshot of every page is
saved under ``_build/test-book/screenshots``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import OUT, toc_files

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in the page: everything the checks need, in one round trip.
INSPECT = """() => {
  const text = document.querySelector('article') ? document.querySelector('article').innerText : '';
  const images = [...document.images].map(
    img => ({src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0}));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return {
    text,
    images,
    links,
    ids,
    math: document.querySelectorAll('mjx-container').length,
    mathErrors: document.querySelectorAll('mjx-merror, .MathJax_Error').length,
    errorOutputs: document.querySelectorAll('.output.traceback, .output.error, .cell_output .stderr').length,
  };
}"""


# Runs in the page: every block wider than its box (scrollWidth > clientWidth + 1 px), i.e. a
# line or an equation that is clipped or needs a scroll bar. Code cells and outputs are
# measured at the desktop width only; display equations at every width.
OVERFLOWING = """(withCode) => {
  const root = document.querySelector('article') || document.body;
  const blocks = [];
  if (withCode) {
    root.querySelectorAll('.cell_input pre').forEach(el => blocks.push(['code cell', el]));
    root.querySelectorAll('.cell_output pre, .cell_output > .output')
      .forEach(el => blocks.push(['output', el]));
  }
  root.querySelectorAll('div.math').forEach(el => {
    blocks.push(['equation', el]);
    el.querySelectorAll('mjx-container').forEach(inner => blocks.push(['equation', inner]));
  });
  const found = [];
  const seen = new Set();
  blocks.forEach(([kind, el], index) => {
    const owner = kind === 'equation' ? el.closest('div.math') : el;
    if (el.scrollWidth > el.clientWidth + 1 && !seen.has(owner)) {
      seen.add(owner);
      // an equation is named by its TeX source, anything else by its first line
      const items = kind === 'equation' && window.MathJax && window.MathJax.startup
        ? window.MathJax.startup.document.getMathItemsWithin(owner) : [];
      const source = items.length ? items[0].math : (el.innerText || el.textContent || '');
      const text = source.trim().split('\\n')[0].slice(0, 60);
      found.push({kind, text, scroll: el.scrollWidth, client: el.clientWidth});
    }
  });
  return found;
}"""

# The two widths a reader uses: a desktop browser and a phone.
DESKTOP, PHONE = 1400, 390


def pages(html: Path) -> list[Path]:
    return [html / f"{name}.html" for name in toc_files()]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make env` installs Debian's chromium package")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def block_network(page) -> None:  # type: ignore[no-untyped-def]
    """Nothing may reach the network: abort every request that is not for a local file."""
    page.route(
        "**/*",
        lambda route: (
            route.abort()
            if not route.request.url.startswith(("file:", "data:", "blob:"))
            else route.continue_()
        ),
    )


def open_page(browser, page_path: Path, width: int):  # type: ignore[no-untyped-def]
    """A new context at ``width`` px with ``page_path`` loaded and its math typeset."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    block_network(page)
    page.goto(page_path.as_uri(), wait_until="load")
    page.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise : null")
    return context, page


def overflowing(page, name: str, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per block of the open page that does not fit its box at ``width`` px."""
    return [
        f"{name} at {width} px: {block['kind']} {block['text']!r} is {block['scroll']} px wide"
        f" in a {block['client']} px box"
        for block in page.evaluate(OVERFLOWING, width >= DESKTOP)
    ]


def visit(browser, page_path: Path) -> tuple[dict, list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Open one page at the desktop width; return what INSPECT found (and, under "overflow",
    the blocks wider than their box), console errors, and requests that left file://."""
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    console_errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: console_errors.append(str(err)))
    page.on(
        "request",
        lambda req: (
            outside.append(req.url) if not req.url.startswith(("file:", "data:", "blob:", "about:")) else None
        ),
    )
    block_network(page)  # and record what tried, above
    page.goto(page_path.as_uri(), wait_until="load")
    # MathJax typesets asynchronously; wait until it says it is done (pages without math resolve at once).
    page.wait_for_function(
        "() => !window.MathJax || !window.MathJax.startup || window.MathJax.startup.promise.then(() => true)"
    )
    page.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise : null")
    found = page.evaluate(INSPECT)
    found["overflow"] = overflowing(page, page_path.stem, DESKTOP)
    shots = OUT / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{page_path.stem}.png"), full_page=True)
    context.close()
    return found, console_errors, outside


@pytest.fixture(scope="module")
def desktop_visits(built_book: Path, browser) -> dict[Path, tuple[dict, list[str], list[str]]]:  # type: ignore[no-untyped-def]
    """Every page of the book opened once at the desktop width (see ``visit``)."""
    return {page_path: visit(browser, page_path) for page_path in pages(built_book)}


def test_every_page_renders_cleanly_offline(built_book: Path, desktop_visits) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    anchors: dict[Path, set[str]] = {}
    all_links: list[tuple[Path, str]] = []
    for page_path, (found, console_errors, outside) in desktop_visits.items():
        name = page_path.relative_to(built_book)
        anchors[page_path.resolve()] = set(found["ids"])
        all_links += [(page_path, href) for href in found["links"]]
        problems += [f"{name}: console error: {e}" for e in console_errors]
        problems += [f"{name}: request left the machine: {u}" for u in outside]
        problems += [f"{name}: image did not load: {img['src']}" for img in found["images"] if not img["ok"]]
        if found["mathErrors"]:
            problems.append(f"{name}: {found['mathErrors']} MathJax error node(s)")
        if found["errorOutputs"]:
            problems.append(f"{name}: {found['errorOutputs']} error/stderr output(s) in cells")
        for raw in ("$$", "\\frac", "\\begin{", "\\mathbf", "\\odot"):
            if raw in found["text"]:
                problems.append(f"{name}: unrendered TeX {raw!r} in the page text")
    for page_path, href in all_links:
        parsed = urlparse(href)
        if parsed.scheme or href.startswith("//") or href.startswith("mailto:"):
            continue  # external: not followed offline
        target = (page_path.parent / unquote(parsed.path)).resolve() if parsed.path else page_path.resolve()
        if not target.exists():
            problems.append(f"{page_path.name}: broken link {href}")
            continue
        if parsed.fragment and target.suffix == ".html":
            if target not in anchors:
                anchors[target] = _ids_of(target)
            if unquote(parsed.fragment) not in anchors[target]:
                problems.append(f"{page_path.name}: broken anchor {href}")
    assert not problems, "\n".join(problems)


def _ids_of(html_file: Path) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', html_file.read_text(errors="replace")))


def test_math_is_typeset_on_the_math_pages(desktop_visits) -> None:  # type: ignore[no-untyped-def]
    typeset = {}
    for page_path, (found, _, _) in desktop_visits.items():
        if "math notranslate" in page_path.read_text():
            typeset[page_path.stem] = found["math"]
    assert typeset, "no page with math"
    assert all(count > 0 for count in typeset.values()), typeset


def test_search_and_dark_mode_work_offline(built_book: Path, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.goto((built_book / "search.html").as_uri() + "?q=forget")
    page.wait_for_selector("#search-results li", timeout=15000)
    assert page.locator("#search-results li").count() > 0
    page.goto(pages(built_book)[1].as_uri())
    themes = set()
    for _ in range(3):  # the switch cycles light -> dark -> auto (order depends on the start)
        page.locator("button.theme-switch-button").first.click()
        themes.add(page.evaluate("() => document.documentElement.dataset.theme"))
    assert {"light", "dark"} <= themes
    context.close()


def test_figures_have_an_opaque_background(built_book: Path) -> None:
    """A transparent figure vanishes against the dark theme: every SVG starts with a white patch."""
    figures = sorted((built_book / "_images").glob("*.svg"))
    assert figures
    for svg in figures:
        head = svg.read_text()[:4000]
        assert re.search(r'<g id="patch_1">\s*<path [^>]*style="fill: #ffffff', head), svg.name


def test_every_block_fits_its_column(built_book: Path, browser, desktop_visits) -> None:  # type: ignore[no-untyped-def]
    """At 1400 px every code cell, output and display equation fits the text column (no
    line hidden behind a scroll bar); at 390 px, a phone, every display equation does."""
    problems: list[str] = []
    for page_path, (found, _, _) in desktop_visits.items():
        problems += found["overflow"]
        context, page = open_page(browser, page_path, PHONE)
        problems += overflowing(page, page_path.stem, PHONE)
        context.close()
    assert not problems, f"{len(problems)} block(s) wider than the column:\n" + "\n".join(problems)


PLANTED = """() => {
  const article = document.querySelector('article');
  const cell = document.querySelector('.cell');
  const make = (code, output) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('.cell_output').forEach(el => el.remove());
    copy.querySelector('.cell_input pre').textContent = code;
    const out = document.createElement('div');
    out.className = 'cell_output docutils container';
    out.innerHTML = '<div class="output stream highlight-myst-ansi notranslate">'
      + '<div class="highlight"><pre></pre></div></div>';
    out.querySelector('pre').textContent = output;
    copy.appendChild(out);
    article.appendChild(copy);
  };
  make('x = 1  # short', 'short');
  make('planted_code = ' + '1 + '.repeat(40) + '1', 'planted output ' + '0.123456 '.repeat(20));
  const short = document.createElement('div');
  short.className = 'math notranslate nohighlight';
  short.textContent = '\\\\[a = b\\\\]';
  const long = document.createElement('div');
  long.className = 'math notranslate nohighlight';
  long.textContent = '\\\\[' + 'x_1 + y_2 + z_3 + '.repeat(30) + 'w\\\\]';
  article.appendChild(short);
  article.appendChild(long);
  return window.MathJax.typesetPromise([short, long]);
}"""


def test_the_fit_check_catches_a_planted_overflow(built_book: Path, browser) -> None:  # type: ignore[no-untyped-def]
    """The check above, on a real page of the book (its CSS, its MathJax) with blocks planted
    in it: a too-long code line, output line and equation are caught, short ones are not."""
    page_path = built_book / "book" / "01_rnn.html"
    found = {}
    for width in (DESKTOP, PHONE):
        context, page = open_page(browser, page_path, width)
        before = overflowing(page, "01_rnn", width)
        page.evaluate(PLANTED)
        found[width] = [line for line in overflowing(page, "01_rnn", width) if line not in before]
        context.close()
    desktop = "\n".join(found[DESKTOP])
    assert len(found[DESKTOP]) == 3, desktop
    assert "code cell 'planted_code = 1 + 1" in desktop and "output 'planted output 0.123456" in desktop
    assert "equation 'x_1 + y_2 + z_3" in desktop
    assert len(found[PHONE]) == 1 and "equation 'x_1 + y_2 + z_3" in found[PHONE][0], found[PHONE]
