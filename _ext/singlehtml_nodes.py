"""The single page the PDF is printed from renders every node the HTML pages render.

Sphinx gives a builder the node handlers registered under its name, and only when there are
none those of its format: sphinx-exercise registers its nodes for ``singlehtml`` by name, so
``singlehtml`` no longer falls back to the handlers of ``html``, and a node that an extension
registered for ``html`` only cannot be written there. myst-nb's folded code cell (a cell tagged
``hide-cell``, as a deep dive's code is) is such a node: ``tools/make_pdf.py``'s single-page
build stopped with "unknown node type: HideCodeCellNode". This gives ``singlehtml`` every
``html`` handler it lacks, when that builder starts.
"""

from __future__ import annotations

from typing import Any


def missing_handlers(handlers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The ``html`` node handlers that ``singlehtml`` lacks (Sphinx's ``translation_handlers``)."""
    single = handlers.get("singlehtml", {})
    return {node: pair for node, pair in handlers.get("html", {}).items() if node not in single}


def _fill(app: Any) -> None:
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    if "singlehtml" in handlers:  # else Sphinx falls back to the html handlers itself
        handlers["singlehtml"].update(missing_handlers(handlers))


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _fill)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
