"""A link to the PDF of the whole book in every page's download menu.

sphinx-book-theme's download menu offers the page's notebook, its source, and ".pdf",
which is the browser's print dialog for that one page. This adds "book (.pdf)", the
file ``tools/make_pdf.py`` writes at the root of the HTML output (``make pdf``), and
names the theme's entry for what it is.
"""

from __future__ import annotations

from typing import Any

PDF_NAME = "lstm-tutorial.pdf"


def _add_link(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.name != "html":
        return  # the single page that is printed to the PDF needs no link to itself
    for button in context.get("header_buttons", []):
        if button.get("label") != "download-buttons":
            continue
        for entry in button["buttons"]:
            if entry.get("label") == "download-pdf-button":
                entry["text"] = "page (.pdf)"
        button["buttons"].append(
            {
                "type": "link",
                "url": context["pathto"](PDF_NAME, 1),
                "text": "book (.pdf)",
                "tooltip": "Download the whole book as one PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            }
        )


def setup(app: Any) -> dict[str, Any]:
    # After sphinx-book-theme has built its header buttons (priority 501).
    app.connect("html-page-context", _add_link, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
