"""Drop duplicate <script> tags from every page.

With Jupyter Book 1.0.4 (Sphinx 7.4) the inline configuration scripts of
sphinx-thebe and sphinx-togglebutton end up twice in each page's <head>. The
second ``const THEBE_JS_URL = ...`` is a redeclaration, which the browser
reports as a JavaScript error. This keeps the first of identical scripts.
"""

from __future__ import annotations

from typing import Any


def _dedupe(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in context.get("script_files", []):
        # An inline script's filename is None or "" depending on who added it.
        filename = str(getattr(script, "filename", script) or "")
        key = (filename, str(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
