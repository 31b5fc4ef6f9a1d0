"""Every page of the built book in a real browser (headless Chromium, offline).

Fails on: a cell that shows an error, an image that did not load, TeX left
unrendered or a MathJax error, a JavaScript console error, a broken internal
link or anchor, and any request that leaves the machine (the book must work
from file:// with the network off). A full-page screenshot of every page is
saved under ``_build/test-book/screenshots``.

At a desktop's width (1400 px) and a phone's (390 px): nothing is wider than the
screen unless it sits in a box the reader scrolls (a code cell, a table), inline
math included, which wraps within its paragraph. On the phone: a table wider than
the column scrolls with a cue (its right edge fades while there is more) and keeps
its first column in place, and the diagrams' labels stay legible.
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

# Runs in the page: what the reader cannot see without scrolling the page sideways. Every
# element of the article must lie within the screen, and every piece of inline math within its
# own paragraph (a line of math past the paragraph's edge is cut off by the theme, not
# scrolled), unless it sits in a box that scrolls (overflow-x auto or scroll: a code cell, a
# table), which the reader scrolls instead. Only the outermost offender is named.
TOO_WIDE = """() => {
  const root = document.querySelector('article') || document.body;
  const screen = document.documentElement.clientWidth;
  const inScrollBox = el => {
    for (let box = el.parentElement; box && box !== root.parentElement; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return true;
    }
    return false;
  };
  const tex = el => {
    const items = window.MathJax && window.MathJax.startup
      ? window.MathJax.startup.document.getMathItemsWithin(el) : [];
    return items.length ? items[0].math : el.textContent;
  };
  const found = [];
  root.querySelectorAll('mjx-container:not([display="true"])').forEach(el => {
    const rects = [...el.getClientRects()].filter(r => r.width > 0);
    if (!rects.length || inScrollBox(el)) return;
    let block = el.parentElement;
    while (block !== root && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    const edge = Math.min(screen, block.getBoundingClientRect().right);
    const right = Math.max(...rects.map(r => r.right));
    const left = Math.min(...rects.map(r => r.left));
    if (right > edge + 1 || left < -1) {
      found.push({kind: 'inline math', text: tex(el), right: Math.round(right), edge: Math.round(edge)});
    }
  });
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT, {
    // inline math is measured above (span.math holds one formula)
    acceptNode: el => el.matches('mjx-container, span.math')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const named = [];
  for (let el = walker.nextNode(); el; el = walker.nextNode()) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.right <= screen + 1 && r.left >= -1)) continue;
    if (named.some(outer => outer.contains(el)) || inScrollBox(el)) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    named.push(el);
    const text = (el.innerText || el.textContent || '').trim().split('\\n')[0];
    found.push({kind: el.tagName.toLowerCase(), text, right: Math.round(r.right), edge: screen});
  }
  const page = document.scrollingElement.scrollWidth;
  if (page > screen + 1) found.push({kind: 'page', text: 'scrolls sideways', right: page, edge: screen});
  return found;
}"""

# Runs in the page (a phone): every table wider than its scroll box must show that it scrolls.
# Its first column stays in place (position: sticky), and its right edge fades (the book's
# --table-fade, driven by the scroll position) while there is more to the right, and not at the
# end. Returns one line per table that fails, named by its first header cell.
TABLE_CUES = """async () => {
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const fade = box => parseFloat(getComputedStyle(box).getPropertyValue('--table-fade')) || 0;
  const problems = [];
  const boxes = [...document.querySelectorAll('article .pst-scrollable-table-container')];
  for (const box of boxes) {
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    const first = box.querySelector('tr > :first-child');
    const name = (first ? first.innerText : box.innerText).trim().split('\\n')[0].slice(0, 40);
    const firstCells = [...box.querySelectorAll('tr > :first-child')];
    if (firstCells.some(cell => getComputedStyle(cell).position !== 'sticky')) {
      problems.push(`table '${name}': its first column scrolls away`);
    }
    box.scrollLeft = 0;
    await frame();
    const atStart = fade(box);
    box.scrollLeft = box.scrollWidth;
    await frame();
    const atEnd = fade(box);
    box.scrollLeft = 0;
    if (!(atStart > 0)) problems.push(`table '${name}': no fade at its right edge while it has more to show`);
    if (atEnd !== 0) problems.push(`table '${name}': still fades once scrolled to its end`);
  }
  return problems;
}"""

# Runs in the page: how wide each SVG figure is shown, in CSS px (0 when folded away).
SHOWN_FIGURES = """() => [...document.querySelectorAll('article figure img')]
  .filter(img => (img.getAttribute('src') || '').endsWith('.svg'))
  .map(img => ({src: img.getAttribute('src'), id: img.closest('figure').id,
                shown: img.getBoundingClientRect().width}))"""

# A diagram's labels on a phone: at least this many CSS px.
LEGIBLE_PX = 11.0

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


def too_wide(page, name: str, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per element of the open page that reaches past the screen (or, for inline math,
    past its paragraph) outside a scroll box, at ``width`` px."""
    return [
        f"{name} at {width} px: {block['kind']} {block['text'][:60]!r} reaches {block['right']} px,"
        f" past the edge at {block['edge']} px"
        for block in page.evaluate(TOO_WIDE)
    ]


def diagram_text_pt(svg: Path) -> tuple[float, float] | None:
    """(width in pt, smallest text size in pt) of a matplotlib SVG drawn without axes (a diagram);
    None for a plot with axes or a figure without text. Matplotlib writes each text as glyph paths
    in a group scaled by fontsize / 100."""
    head = svg.read_text(errors="replace")
    if 'id="matplotlib.axis_1"' in head:
        return None
    width = re.search(r'<svg[^>]* width="([0-9.]+)pt"', head)
    sizes = [100 * float(scale) for scale in re.findall(r"scale\((0\.\d+) -0\.\d+\)", head)]
    return (float(width.group(1)), min(sizes)) if width and sizes else None


def small_diagram_labels(page, page_path: Path, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per diagram of the open page whose smallest label is under LEGIBLE_PX as shown."""
    problems = []
    for figure in page.evaluate(SHOWN_FIGURES):
        measured = diagram_text_pt((page_path.parent / unquote(figure["src"])).resolve())
        if measured is None or figure["shown"] == 0:
            continue
        width_pt, text_pt = measured
        shown_px = text_pt * 96 / 72 * min(1.0, figure["shown"] / (width_pt * 96 / 72))
        if shown_px < LEGIBLE_PX:
            problems.append(
                f"{page_path.stem} at {width} px: figure {figure['id'] or figure['src']!r} shown"
                f" {figure['shown']:.0f} px wide, its smallest label {shown_px:.1f} px"
            )
    return problems


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
    found["too_wide"] = too_wide(page, page_path.stem, DESKTOP)
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


@pytest.fixture(scope="module")
def phone_visits(built_book: Path, browser) -> dict[Path, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Every page opened once at the phone's width: what does not fit, the tables' cues, the diagrams."""
    found = {}
    for page_path in pages(built_book):
        context, page = open_page(browser, page_path, PHONE)
        found[page_path] = {
            "overflow": overflowing(page, page_path.stem, PHONE),
            "too_wide": too_wide(page, page_path.stem, PHONE),
            "tables": [f"{page_path.stem} at {PHONE} px: {line}" for line in page.evaluate(TABLE_CUES)],
            "diagrams": small_diagram_labels(page, page_path, PHONE),
        }
        context.close()
    return found


def test_every_block_fits_its_column(desktop_visits, phone_visits) -> None:  # type: ignore[no-untyped-def]
    """At 1400 px every code cell, output and display equation fits the text column (no
    line hidden behind a scroll bar); at 390 px, a phone, every display equation does."""
    problems: list[str] = []
    for found, _, _ in desktop_visits.values():
        problems += found["overflow"]
    for found in phone_visits.values():
        problems += found["overflow"]
    assert not problems, f"{len(problems)} block(s) wider than the column:\n" + "\n".join(problems)


def test_nothing_is_wider_than_the_screen(desktop_visits, phone_visits) -> None:  # type: ignore[no-untyped-def]
    """At 1400 and 390 px nothing runs past the screen outside a box that scrolls, and inline
    math stays within its paragraph (it wraps)."""
    problems: list[str] = []
    for found, _, _ in desktop_visits.values():
        problems += found["too_wide"]
    for found in phone_visits.values():
        problems += found["too_wide"]
    assert not problems, f"{len(problems)} element(s) past the screen's edge:\n" + "\n".join(problems)


def test_wide_tables_show_that_they_scroll_on_a_phone(phone_visits) -> None:  # type: ignore[no-untyped-def]
    problems = [line for found in phone_visits.values() for line in found["tables"]]
    assert not problems, "\n".join(problems)


def test_diagrams_are_legible_on_a_phone(phone_visits) -> None:  # type: ignore[no-untyped-def]
    problems = [line for found in phone_visits.values() for line in found["diagrams"]]
    assert not problems, "\n".join(problems)


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


PLANTED_ON_A_PHONE = """() => {
  const article = document.querySelector('article');
  const add = html => {
    const holder = document.createElement('div');
    holder.innerHTML = html;
    const el = holder.firstElementChild;
    article.appendChild(el);
    return el;
  };
  const long = add('<p>Wraps: <span class="math notranslate nohighlight">\\\\(c_1 = '
    + '0.8808 \\\\cdot 1 + 0.7311 \\\\cdot 0.7616 + '.repeat(4) + '1 = 1.4376\\\\)</span>.</p>');
  const unbreakable = add('<p>Cannot wrap: <span class="math notranslate nohighlight">'
    + '\\\\(\\\\text{planted' + 'W'.repeat(50) + '}\\\\)</span>.</p>');
  add('<div style="width: 600px">planted wide block</div>');
  const row = (cell, n) => '<tr>' + Array.from({length: n}, (_, k) => cell(k)).join('') + '</tr>';
  const cell = (tag, style, text) => `<${tag} style="${style}"><p>${text}</p></${tag}>`;
  const table = (name, style) => '<div class="pst-scrollable-table-container"><table class="table">'
    + '<thead>' + row(k => cell('th', k ? '' : style, k ? 'column ' + k : name), 9)
    + '</thead><tbody>'
    + row(k => cell('td', k ? '' : style, k ? '0.123456' : 'key'), 9)
    + '</tbody></table></div>';
  add(table('planted good', ''));
  add(table('planted static', 'position: static'));
  return window.MathJax.typesetPromise([long, unbreakable]);
}"""


def test_the_phone_checks_catch_what_a_phone_cannot_show(built_book: Path, browser) -> None:  # type: ignore[no-untyped-def]
    """The checks above, on a real page of the book at 390 px with blocks planted in it: long
    inline math that can wrap passes, math that cannot wrap and a 600 px block are caught; a wide
    table passes with its cues, and one whose first column scrolls away is caught."""
    page_path = built_book / "book" / "01_rnn.html"
    context, page = open_page(browser, page_path, PHONE)
    before_wide, before_tables = too_wide(page, "01_rnn", PHONE), page.evaluate(TABLE_CUES)
    page.evaluate(PLANTED_ON_A_PHONE)
    wide = [line for line in too_wide(page, "01_rnn", PHONE) if line not in before_wide]
    tables = [line for line in page.evaluate(TABLE_CUES) if line not in before_tables]
    context.close()
    assert len(wide) == 3, "\n".join(wide)  # the math that cannot wrap, the block, and the page it widens
    assert "inline math '\\\\text{plantedWWW" in wide[0] and "div 'planted wide block'" in wide[1], wide
    assert "page 'scrolls sideways'" in wide[2], wide
    assert tables == ["table 'planted static': its first column scrolls away"], tables
