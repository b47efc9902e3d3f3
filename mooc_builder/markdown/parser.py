"""markdown-it-py as the site uses it: CommonMark with tables, footnotes, heading anchors and attributes;
imported only when a text needs it (most go through the Rust port: see rust.py and common.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from mooc_builder.markdown.common import Anchors, escape_html
from mooc_builder.markdown.slug import slug

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

# A presenter note (``::: notes`` ... ``:::``) is rendered between these marks, which no text can hold
# (markdown-it-py reads a NUL as U+FFFD); MarkdownProcessor lifts it out of the HTML (processor.lift_notes).
NOTES_OPEN = "\0notes\0"
NOTES_CLOSE = "\0/notes\0"

# Attributes are limited: an author may set a lang or a class, never an event handler.
SAFE_ATTRIBUTES = ["id", "class", "lang", "width", "height", "title"]

# Links that markdown-it's normalizeLink gives back unchanged: ASCII that needs no percent-encoding, with no
# user, port or IPv6 host to parse (no '@', ':', '[' or '%') after an optional http(s) scheme. Almost every
# link an author writes; parsing and encoding them costs as much as a paragraph. tests/test_build.py compares.
PLAIN_LINK = re.compile(r"(?:https?://)?[A-Za-z0-9\-._~/#?=&!$'()*+,;]*\Z")


def make_parser(allow_html: bool) -> MarkdownIt:
    from markdown_it import MarkdownIt
    from markdown_it.common.normalize_url import normalizeLink
    from markdown_it.rules_inline import image, link
    from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    class Parser(MarkdownIt):
        def normalizeLink(self, url: str) -> str:
            return url if PLAIN_LINK.match(url) else str(normalizeLink(url))

    md = Parser("commonmark", {"html": allow_html, "typographer": False}).enable(["table", "strikethrough"])
    md.inline.ruler.at("link", _spanned(link))
    md.inline.ruler.at("image", _spanned(image))
    md.use(footnote_plugin)
    md.core.ruler.push("anchor", _anchors)  # where mdit_py_plugins' anchors plugin puts its rule
    md.use(attrs_plugin, spans=True, allowed=SAFE_ATTRIBUTES)
    md.use(attrs_block_plugin, allowed=SAFE_ATTRIBUTES)
    md.use(container_plugin, name="notes", render=_notes)
    # A wide table scrolls inside its own box on a phone instead of widening the page;
    # the box is focusable so keyboard users can scroll it too.
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


def _spanned(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """markdown-it-py's link or image rule, which also notes in its token's meta where the link is written in
    the inline text it was read from (``span``: that text, start, end): the link checks put an error on the
    link's own line with it (see positions.py)."""

    def spanned(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for index in range(count, len(state.tokens)):  # pending text may have been pushed first
                token = state.tokens[index]
                if token.type in ("link_open", "image"):
                    token.meta["span"] = (state.src, start, state.pos)
                    break
        return True

    return spanned


def _anchors(state: StateCore) -> None:
    """mdit_py_plugins' anchors plugin (levels 1 to 4, our slug), with common.Anchors for unique ids: explicit
    ids ({#id}), at any level, are taken first and kept as they are; an empty one counts as none."""
    tokens = state.tokens
    anchors = Anchors(str(token.attrs["id"]) for token in tokens
                      if token.type == "heading_open" and token.attrs.get("id"))
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in _ANCHORED or token.attrs.get("id"):
            continue
        children = tokens[index + 1].children or []
        title = "".join(child.content for child in children if child.type in ("text", "code_inline"))
        token.attrSet("id", anchors.take(slug(title)))


_ANCHORED = frozenset({"h1", "h2", "h3", "h4"})


def _notes(self: object, tokens: list[Token], idx: int, options: object, env: object) -> str:
    return NOTES_OPEN if tokens[idx].nesting == 1 else NOTES_CLOSE


def _table_open(self: object, tokens: list[Token], idx: int, options: object, env: object) -> str:
    label = _table_label(tokens, idx)
    return f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">\n<table>\n'


def _table_close(self: object, tokens: list[Token], idx: int, options: object, env: object) -> str:
    return "</table>\n</div>\n"


def _table_label(tokens: list[Token], idx: int) -> str:
    """The table's first header cells, as a name for the scrolling region."""
    cells = []
    for index in range(idx, len(tokens)):  # not tokens[idx:]: a copy of the rest of the page for each table
        token = tokens[index]
        if token.type == "thead_close":
            break
        if token.type == "inline":
            cells.append(token.content)
    return escape_html(" / ".join(cells)[:80] or "table")

