"""Where in an author's text a link's error goes, in time linear in the text however many links are wrong.

The checks used to look for each wrong link's target from the start of its block to the end of the text: the
link's own text, or for a reference link ([text][label]) its definition after the block, else the block's
start. That read the text again for each wrong link (8,000 of them in one paragraph, one a line: 5.7 s; 8,000
pictures on one line: 1 s). Both parsers now tell each link's lines and source (:class:`Span`): a target is
looked for on the link's lines only if the link holds it, from where the last one of its kind was found on
that line (links follow each other, and so do pictures); a reference link's target among the text's
definitions, read once. The positions are the same, but where the same target is also written earlier in the
block than its link (it was reported there, it is now at the link), or after a link that does not hold it as
written (escapes, entities: it is now at the block's start, where it was when nothing came after).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

# Lines as markdown-it counts them (it reads "\r\n" and "\r" as "\n"; str.splitlines also cuts at form feeds,
# U+2028 and others, which put every position after them off by a line).
_NEWLINE = re.compile(r"\r\n?|\n")
# A reference definition's destination, as written ("[label]: destination", the destination possibly on the
# next line, in angle brackets or not), inside a quote or a list too.
_DEFINITION = re.compile(r"^[ \t>]*+(?:(?:[-+*]|\d{1,9}[.)])[ \t]++)?\[(?:[^\]\\\n]|\\.)*+\]:[ \t]*+"
                         r"(?:\n[ \t>]*+)?(?:<([^<>\n]*+)>|([^\s<]\S*+))", re.M)


# An id given by an attribute: {#name} or {id=name}, {id="name"}, {id='name'}.
_ID = re.compile(r"(?<![\w&])#([^\s{}#.=\"']+)|\bid=(?:\"([^\"]*)\"|'([^']*)'|([^\s}]+))")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a link or a picture is: the first line of its block, its own first and last lines, its source
    ([text](target)); a reference link's target is written in its definition, not in the link."""

    block: int
    first: int
    last: int
    written: str = ""
    reference: bool = False

    @staticmethod
    def unknown(block: int) -> Span:
        """A link whose place the parser did not tell (inside an inline footnote): its block's start."""
        return Span(block, block, block - 1)


class Locator:
    """The lines of one text, and where targets are written in them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._definitions: dict[str, list[int]] | None = None  # destination -> lines, read when first needed
        self._found: dict[tuple[str, int], int] = {}  # (kind, line) -> where the last search found its needle
        self._ids: dict[int, tuple[int, int]] = {}  # a block's first line -> where its last id was found

    @functools.cached_property
    def lines(self) -> list[str]:  # cut when a link is wrong: most texts have none
        return _NEWLINE.split(self.text)

    def find(self, span: Span, needle: str, kind: str) -> tuple[int, int]:
        """The line and column (from 0) where ``needle`` (what a ``kind`` of link holds: its target, or "![]("
        for a picture) is on the link's lines, if the link holds it; for a reference link, the first definition
        written with it from the link's block on; else the start of the block."""
        lines = self.lines
        if needle in span.written:
            for number in range(span.first, min(span.last, len(lines) - 1) + 1):
                index = lines[number].find(needle, self._found.get((kind, number), 0))
                if index >= 0:
                    self._found[kind, number] = index
                    return number, index
        if span.reference:
            written = self.definitions().get(needle, [])
            at = bisect.bisect_left(written, span.block)
            if at < len(written):
                return written[at], max(lines[written[at]].find(needle), 0)
        return span.block, 0

    def find_id(self, first: int, last: int, name: str) -> tuple[int, int]:
        """Where an attribute gives the id ``name`` ({#name}, {id=name}, {id="name"}) to something of the block
        on lines ``first`` to ``last``: on the lines of attributes just above them (a heading's, a paragraph's)
        or on those lines (a span's, a link's), from where the last one of the block was found; else the block's
        start."""
        lines = self.lines
        line, column = self._ids.get(first, (-1, 0))
        if line < 0:
            line = first
            while line > 0 and lines[line - 1].lstrip().startswith("{"):
                line -= 1
        for number in range(line, min(last, len(lines) - 1) + 1):
            for match in _ID.finditer(lines[number], column if number == line else 0):
                if next(group for group in match.groups() if group is not None) == name:
                    self._ids[first] = number, match.start()
                    return number, match.start()
        return first, 0

    def definitions(self) -> dict[str, list[int]]:
        """The lines of the reference definitions, by destination as written, in order."""
        if self._definitions is None:
            found: dict[str, list[int]] = {}
            newlines = [match.start() for match in _NEWLINE.finditer(self.text)]
            for match in _DEFINITION.finditer(self.text):
                at = match.start(1) if match.group(1) is not None else match.start(2)
                found.setdefault(match.group(1) or match.group(2) or "", []).append(
                    bisect.bisect_right(newlines, at - 1))
            self._definitions = found
        return self._definitions


class LineCounter:
    """The line, within its block, of a place in the text a parser gave inline rules (a paragraph's lines joined
    with "\\n"): bisected in its newlines, found once."""

    def __init__(self, text: str) -> None:
        self.newlines = [match.start() for match in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset)
