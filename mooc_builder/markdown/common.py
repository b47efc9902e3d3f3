"""What the Markdown path of pages needs of markdown-it-py, without importing it: most pages go through the
Rust port (see rust.py), and importing markdown-it-py and its plugins costs about 25 ms of every `mooc
build`, a tenth of a one-page rebuild. Each is markdown-it-py's (or mdit-py-plugins') own behaviour, and
tests/test_markdown_rs.py checks that they stay the same."""

from __future__ import annotations


def escape_html(raw: str) -> str:
    """markdown_it.common.utils.escapeHtml: "&", "<", ">" and '"' as entities (not "'")."""
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def unique_slug(slug: str, slugs: set[str]) -> str:
    """mdit_py_plugins.anchors.index.unique_slug: the slug, or slug-1, slug-2... if taken; it is taken then."""
    unique = slug
    number = 1
    while unique in slugs:
        unique = f"{slug}-{number}"
        number += 1
    slugs.add(unique)
    return unique


class LinkToken:
    """A link_open or image token, as markdown-it-py makes them, for the links read from the port's output
    (the link checks take one or the other)."""

    __slots__ = ("attrs", "content", "type")

    def __init__(self, kind: str, attrs: dict[str, str | int | float], content: str = "") -> None:
        self.type = kind
        self.attrs = attrs
        self.content = content

    def attrGet(self, name: str) -> str | int | float | None:
        return self.attrs.get(name)

    def attrSet(self, name: str, value: str | int | float) -> None:
        self.attrs[name] = value
