"""A short cut for Markdown: markdown-it.rs (Rust) parses, for the texts where it gives markdown-it-py's HTML.

markdown-it-py costs about 4 ms for a page of text here, its Rust port a quarter of a millisecond. The port
lacks our attributes plugin (``{lang=en}``) and containers (presenter notes, ``::: notes``), its footnotes and
raw-HTML handling are not ours, and it splits text around escapes and entities differently (which changes word
counts). So a text that has any of
:data:`_OUTSIDE` goes through markdown-it-py, and for the others this module does what our markdown-it-py
plugins and :class:`~mooc_builder.markdown.MarkdownProcessor` do on tokens (heading anchors, one h1 per
page, checked links, image attributes, scrolling tables, word count), on the port's tree and HTML.
tests/test_markdown_rs.py compares the two, output and messages, on every fixture and on generated texts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from mooc_builder.markdown.common import LinkToken, escape_html
from mooc_builder.markdown.positions import Span


def _port() -> Any:
    try:
        from markdown_it_pyrs import MarkdownIt
    except ImportError:  # no wheel for this platform: markdown-it-py does it all, with the same output
        return None
    return MarkdownIt


_RsMarkdownIt: Any = _port()

# What the port would not do as markdown-it-py does: attributes, footnotes, raw HTML and autolinks, escapes
# and entities, the characters markdown-it-py's normalisation changes, and containers (presenter notes,
# ``::: notes``: the port has no container plugin).
_OUTSIDE = ("{", "[^", "^[", "<", "\\", "&", "\r", "\0", ":::")

_TAGS = re.compile(r'<(/?)h([1-6])>|<a href="[^"]*"|<img src="[^"]*"( alt="[^"]*")( title="[^"]*")? />|<table>\n'
                   r"|</table>\n")


def available() -> bool:
    return _RsMarkdownIt is not None


def usable(text: str) -> bool:
    """Whether the port's output for ``text`` is markdown-it-py's (see :data:`_OUTSIDE`), at a cost in
    proportion to the text (see :func:`_costly`)."""
    return not any(mark in text for mark in _OUTSIDE) and not _costly(text)


# Where markdown-it.rs 0.4 stops costing in proportion to the text, or stops giving markdown-it-py's HTML;
# such texts go through markdown-it-py, which renders them in linear time (bench/markdown_scaling.py measures
# both). Each limit is about where the port's cost per item starts to grow (rendering alone, best of 7):
# * lines that start a reference definition ("[r1]: https://..."): each makes the port read the run of lines
#   after it again. 3.7 µs a definition at 25 or 50 of them, 4.8 at 100, 7.6 at 200, 31 at 800 (markdown-it-py:
#   about 25 µs at any count). Counted in the whole text: a run of them is what costs, but pages with over 100
#   definitions are too rare for the difference to matter.
_MANY_DEFINITIONS = 100
_DEFINITION = re.compile(r"^[ \t>]*+\[[^\]\n]*+\]:", re.M)
# * emphasis delimiters (*, _, ~) in one paragraph: pairs of them cost 0.9 µs each up to 200 pairs, 1.4 at
#   400, 2.3 at 1,600, 8.7 at 6,400. Counted per stretch between blank lines (a list or a table is one: more
#   than its paragraphs, never less). Under the limit, emphasis nests at most 250 deep: the walk over the
#   port's tree (a Python function per level) stays far from Python's recursion limit.
_MANY_DELIMITERS = 500
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# * nesting: markdown-it-py stops at 20 levels (a list is two, a quote one), where it leaves out what is
#   inside and the port does not; far deeper, the port overflows its stack (60,000 quotes: the process dies)
#   and our walk over its tree, Python's. A line opening n levels starts with at least n - 1 of these (a tab
#   counted as the spaces it stands for; n - 1 for an empty item, "-" alone), and n links or pictures inside
#   one another take n unclosed '['; 18 keeps two levels from 20 (lists 8 deep are not rare enough to lose
#   the port for).
_DEEP = 18
_CONTAINERS = r"(?:[ >]|[-+*](?=\s|\Z)|\d{1,9}[.)](?=\s|\Z)){" + str(_DEEP) + "}"
_FIRST_LINE_DEEP = re.compile(_CONTAINERS)
_LINE_DEEP = re.compile("\n" + _CONTAINERS)  # a leading literal: the search skips from newline to newline
_NOT_BRACKET = re.compile(r"[^\[\]]+")


def _costly(text: str) -> bool:
    """Whether ``text`` is past one of the limits above."""
    if text.count("]:") > _MANY_DEFINITIONS and len(_DEFINITION.findall(text)) > _MANY_DEFINITIONS:
        return True
    if text.count("*") + text.count("_") + text.count("~") > _MANY_DELIMITERS and any(
            part.count("*") + part.count("_") + part.count("~") > _MANY_DELIMITERS
            for part in _BLANK_LINE.split(text)):
        return True
    probe = text.expandtabs(4) if "\t" in text else text
    if _FIRST_LINE_DEEP.match(probe) or _LINE_DEEP.search(probe):
        return True
    return text.count("[") >= _DEEP and _open_at_once(_NOT_BRACKET.sub("", text)) >= _DEEP


def _open_at_once(brackets: str) -> int:
    """How many '[' of ``brackets`` (a text's brackets alone) may be open at once (never fewer than are), up to
    _DEEP: the pairs are taken off innermost first, a level a round, in C (a page of links takes one round);
    what is left is unclosed."""
    rounds = 0
    while "[]" in brackets and rounds < _DEEP:
        brackets = brackets.replace("[]", "")
        rounds += 1
    return rounds + brackets.count("[")


@dataclass
class Heading:
    level: int
    line: int
    text: str  # its text and code, as the anchors plugin reads it
    source: str  # as written (markdown-it-py's inline content)
    texts: tuple[int, int] = (0, 0)  # its share of Parsed.texts and Parsed.links
    links: tuple[int, int] = (0, 0)


@dataclass
class Parsed:
    """What markdown-it-py's tokens would tell, taken from the port's tree; ``links`` are tokens as
    markdown-it-py makes them (link_open, image), for the caller to check and rewrite."""

    html: str
    starts_with_heading: bool = False
    headings: list[Heading] = field(default_factory=list)
    links: list[tuple[LinkToken, Span]] = field(default_factory=list)  # with where each is written
    tables: list[str] = field(default_factory=list)  # each table's header cells, as written
    texts: list[str] = field(default_factory=list)  # text runs and image labels, for counting words


class RsParser:
    def __init__(self) -> None:
        assert _RsMarkdownIt is not None
        self.md = _RsMarkdownIt("commonmark").enable_many(["table", "strikethrough"])

    def parse(self, text: str) -> Parsed:
        data = text.encode("utf-8")
        newlines = [m.start() for m in re.finditer(b"\n", data)]
        walk = _Walk(data, newlines)
        root = self.md.tree(text)
        walk.block(root, 0)
        # A link reference definition makes no token in markdown-it-py: the page starts with what follows it.
        first = next((c.name for c in root.children if c.name != "definition"), "")
        return Parsed(self.md.render(text), first in ("heading", "lheading"), walk.headings, walk.links,
                      walk.tables, walk.texts)

    def parse_html(self, text: str, words: bool = True) -> Parsed | None:
        """:meth:`parse` read from the port's HTML alone, without its tree (which costs, with our walk over it,
        three times the HTML): None when the HTML cannot tell what the tree would. Lines are not known
        (all 0): the caller goes through :meth:`parse` for a text that has anything to report. ``words``: else
        the texts for counting words are left empty."""
        plain = _plain if words else _nothing
        if _NESTED_LABEL.search(text):
            return None  # an image's label holding brackets: its words as written are not its alt text's
        html = self.md.render(text)
        tables = []
        for head in _TABLE_HEAD.finditer(html):
            cells = _HEADER_CELL.findall(head.group(1))
            if any("<" in cell for cell in cells):
                return None  # a header cell with markup: its label is its text as written
            tables.append(unescape(" / ".join(cells)))
        if len(tables) != html.count("<table>\n"):
            return None
        headings: list[Heading] = []
        links: list[tuple[LinkToken, Span]] = []
        texts: list[str] = []
        last = 0
        for heading in _HEADING.finditer(html):
            inner = heading.group(2)
            if not headings and heading.start() == 0 and heading.group(1) == "1" and "<" in inner:
                return None  # a first h1 with markup may repeat the page title in its source only
            texts.append(plain(html[last:heading.start()]))
            _links(html, last, heading.start(), links)
            start = len(links)
            _links(html, heading.start(), heading.end(), links)
            headings.append(Heading(int(heading.group(1)), 0, unescape(_TITLE_DROP.sub("", inner)),
                                    unescape(inner), (len(texts), len(texts) + 1), (start, len(links))))
            texts.append(plain(inner))
            last = heading.end()
        texts.append(plain(html[last:]))
        _links(html, last, len(html), links)
        return Parsed(html, _HEADING.match(html) is not None, headings, links, tables, texts)


# For parse_html: the port's HTML is regular (no raw HTML, no entities in the source).
_NESTED_LABEL = re.compile(r"!\[[^\]]*\[")
_TABLE_HEAD = re.compile(r"<table>\n<thead>\n<tr>\n(.*?)</tr>\n</thead>", re.S)
_HEADER_CELL = re.compile(r'<th(?: style="[^"]*")?>(.*?)</th>', re.S)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_LINK = re.compile(r'<a href="([^"]*)"|<img src="([^"]*)" alt="([^"]*)"')
_TITLE_DROP = re.compile(r"<img [^>]*>|<[^>]*>|\n")  # the anchors plugin's title: text and code, no labels
_NOT_TEXT = re.compile(r"<pre>.*?</pre>|<code>.*?</code>|<[^>]*>|&[a-z]+;", re.S)
_IMAGE_LABEL = re.compile(r'<img src="[^"]*" alt="([^"]*)"[^>]*>')


def _plain(html: str) -> str:
    """The words of HTML as markdown-it-py's text tokens and image labels hold them (not code)."""
    if "<img " in html:
        html = _IMAGE_LABEL.sub(r" \1 ", html)  # its entities are cut below, as the others
    return _NOT_TEXT.sub(" ", html)


def _nothing(_html: str) -> str:
    return ""


def _links(html: str, start: int, end: int, links: list[tuple[LinkToken, Span]]) -> None:
    for match in _LINK.finditer(html, start, end):  # lines unknown: nothing to report, or parse() is called
        if match.group(1) is not None:
            links.append((_token(unescape(match.group(1))), _NOWHERE))
        else:
            links.append((_token(unescape(match.group(2)), unescape(match.group(3))), _NOWHERE))


_NOWHERE = Span.unknown(0)


class _Walk:
    def __init__(self, data: bytes, newlines: list[int]) -> None:
        self.data = data
        self.newlines = newlines
        self.headings: list[Heading] = []
        self.links: list[tuple[LinkToken, Span]] = []
        self.tables: list[str] = []
        self.texts: list[str] = []

    def line(self, node: Any) -> int:
        return bisect.bisect_left(self.newlines, node.srcmap[0]) if node.srcmap else 0

    def where(self, node: Any, block: int) -> Span:
        """Where a link or an image is written (its block starts on line ``block``)."""
        if not node.srcmap:
            return Span.unknown(block)
        start, end = node.srcmap
        return Span(block, bisect.bisect_left(self.newlines, start), bisect.bisect_left(self.newlines, end - 1),
                    self.source(start, end), reference=self.data[end - 1:end] == b"]")

    def source(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8")

    def span(self, nodes: list[Any]) -> str:
        """The source of a run of inline nodes."""
        spans = [n.srcmap for n in nodes if n.srcmap]
        return self.source(spans[0][0], spans[-1][1]) if spans else ""

    def block(self, node: Any, line: int) -> None:
        name = node.name
        if name in ("paragraph", "heading", "lheading", "list_item", "tcell"):
            line = self.line(node)
            if name not in ("heading", "lheading"):
                self.inline(node.children, line)
                return
            heading = Heading(int(node.meta["level"]), line, "".join(_title_text(node.children)),
                              self.span(node.children))
            self.headings.append(heading)
            texts, links = len(self.texts), len(self.links)
            self.inline(node.children, line)
            heading.texts, heading.links = (texts, len(self.texts)), (links, len(self.links))
            return
        if name == "table":
            head = next((c for c in node.children if c.name == "thead"), None)
            cells = head.children[0].children if head is not None and head.children else []
            self.tables.append(" / ".join(self.source(*c.srcmap).strip() if c.srcmap else "" for c in cells))
        for child in node.children:
            self.block(child, line)

    def inline(self, nodes: list[Any], line: int) -> None:
        in_run = False  # adjacent text nodes make one text token in markdown-it-py
        for node in nodes:
            name = node.name
            if name in ("text", "text_special"):
                if in_run:
                    self.texts[-1] += node.meta["content"]
                else:
                    self.texts.append(node.meta["content"])
                in_run = True
                continue
            in_run = False
            if name in ("paragraph", "bullet_list", "ordered_list", "blockquote", "heading", "lheading", "table",
                        "code_block", "fence", "hr", "list_item"):
                self.block(node, line)  # a loose list item holds blocks
            elif name == "link":
                self.links.append((_token(str(node.meta["url"])), self.where(node, line)))
                self.inline(node.children, line)
            elif name == "image":
                label = self._label(node)
                self.links.append((_token(str(node.meta["url"]), label), self.where(node, line)))
                self.texts.append(label)
            elif name in ("code_inline", "softbreak", "hardbreak"):
                continue
            else:  # em, strong, strikethrough
                self.inline(node.children, line)

    def _label(self, image: Any) -> str:
        """An image's text as written between its brackets (markdown-it-py's token content)."""
        start = image.srcmap[0] + 2  # after '!['
        raw = self.data[start:image.srcmap[1]].decode("utf-8")
        return raw[:_closing_bracket(raw)]


def _closing_bracket(raw: str) -> int:
    depth = 0
    for index, char in enumerate(raw):
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                return index
            depth -= 1
    return len(raw)


def _title_text(nodes: list[Any]) -> Iterator[str]:
    """The anchors plugin's title: text and inline code, not image labels."""
    for node in nodes:
        if node.name in ("text", "text_special"):
            yield node.meta["content"]
        elif node.name == "code_inline":
            yield "".join(c.meta.get("content", "") for c in node.children)
        elif node.name != "image":
            yield from _title_text(node.children)


def _token(url: str, label: str | None = None) -> LinkToken:
    """A link_open token as markdown-it-py makes it, or an image's (with its label as written)."""
    if label is None:
        return LinkToken("link_open", {"href": url})
    return LinkToken("image", {"src": url}, label)


def rewrite(html: str, headings: list[tuple[int, str] | None], links: list[LinkToken], tables: list[str]) -> str:
    """The port's HTML with each heading given its level and id ('' for none; None: the heading is dropped),
    each link and image its rewritten attributes, and each table its scrolling box, in document order.
    ``links`` are those outside dropped headings."""
    heading_at = iter(headings)
    link_at = iter(links)
    table_at = iter(tables)
    out: list[str] = []
    last = 0
    dropping = False
    current: tuple[int, str] | None = None
    for match in _TAGS.finditer(html):
        out.append("" if dropping else html[last:match.start()])
        last = match.end()
        text = match.group(0)
        if match.group(2):
            if not match.group(1):
                current = next(heading_at)
                if current is None:
                    dropping = True
                    continue
                anchor = f' id="{escape_html(current[1])}"' if current[1] else ""
                out.append(f"<h{current[0]}{anchor}>")
            else:
                if dropping:
                    dropping = False
                    if html.startswith("\n", last):
                        last += 1
                    continue
                assert current is not None
                out.append(f"</h{current[0]}>")
        elif dropping:
            continue
        elif text.startswith("<a "):
            token = next(link_at)
            out.append(f'<a href="{escape_html(str(token.attrGet("href")))}"')
        elif text.startswith("<img "):
            token = next(link_at)
            attrs = "".join(f' {name}="{escape_html(str(value))}"' for name, value in token.attrs.items()
                            if name not in ("src", "alt", "title"))
            out.append(f'<img src="{escape_html(str(token.attrGet("src")))}"{match.group(3)}{match.group(4) or ""}'
                       f"{attrs} />")
        elif text == "<table>\n":
            label = escape_html(next(table_at)[:80] or "table")
            out.append(f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">\n<table>\n')
        else:
            out.append("</table>\n</div>\n")
    out.append(html[last:])
    return "".join(out)
