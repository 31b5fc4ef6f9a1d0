"""Count the words of each page's main line: the prose a student reads without opening anything.

    python tools/main_line_words.py            # every page of the main line, and the total
    python tools/main_line_words.py book/03_lstm_gates.md

The main line is a page's Markdown without code cells and their outputs, display and inline
math, tables, folded blocks (``:class: dropdown``: deep dives, hints, solutions) and the
Exercises section. ``tests/book/test_main_line.py`` holds each page to its budget.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["00_preface", *(f"{n:02d}_" for n in range(1, 18)), "appendix_performance"]
"""The pages of the main line (by the start of their file names): preface, chapters, the appendix."""

_FENCE = re.compile(r"^(`{3,}|:{3,})\{([\w-]+)\}")


def _unfolded_lines(markdown: str) -> list[str]:
    """The lines of ``markdown`` outside folded directives, without directive fences and options."""
    lines, kept, open_blocks = markdown.splitlines(), [], []
    for k, line in enumerate(lines):
        fence = _FENCE.match(line)
        if fence:
            options = " ".join(lines[k + 1 : k + 4])
            folded = "dropdown" in options or fence.group(2) in ("dropdown", "toggle")
            open_blocks.append((fence.group(1), folded))
        elif open_blocks and line.strip() == open_blocks[-1][0]:
            open_blocks.pop()
        elif not any(folded for _, folded in open_blocks) and not (open_blocks and line.startswith(":")):
            kept.append(line)
    return kept


def prose_words(markdown: str) -> int:
    """Words of one Markdown cell's main-line prose."""
    text = "\n".join(_unfolded_lines(markdown))
    for pattern, flags in (
        (r"\$\$.*?\$\$", re.S),  # display math
        (r"<!--.*?-->", re.S),  # comments
        (r"^\(.*\)=\s*$", re.M),  # labels
        (r"^\|.*$", re.M),  # table rows
        (r"\$[^$\n]+\$", 0),  # inline math
    ):
        text = re.sub(pattern, " ", text, flags=flags)
    return len(text.split())


def page_words(path: Path) -> int:
    """Main-line words of one page (a MyST-Markdown notebook), up to its Exercises section."""
    total = 0
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "markdown":
            continue
        before, *exercises = re.split(r"^## Exercises?\b", cell.source, flags=re.M)
        total += prose_words(before)
        if exercises:
            break
    return total


def main_line_pages(root: Path = ROOT) -> list[Path]:
    """The pages counted, in reading order."""
    return [next(iter(sorted((root / "book").glob(f"{start}*.md")))) for start in PAGES]


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or main_line_pages()
    counts = {path: page_words(path) for path in paths}
    for path, words in counts.items():
        print(f"{path.stem:40} {words:6,}")
    if len(counts) > 1:
        print(f"{'total':40} {sum(counts.values()):6,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
