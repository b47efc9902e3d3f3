"""Plain text out of the HTML the Markdown renderer makes (for search, summaries and metadata)."""

from __future__ import annotations

import html
import re

_TAGS = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment made by the Markdown renderer, on one line."""
    return html.unescape(" ".join(_TAGS.sub("", fragment).split()))
