"""What the Markdown path of pages needs of markdown-it-py, without importing it: most pages go through the
Rust port (see rust.py), and importing markdown-it-py and its plugins costs about 25 ms of every `mooc
build`, a tenth of a one-page rebuild. Each is markdown-it-py's (or mdit-py-plugins') own behaviour, and
tests/test_markdown_rs.py checks that they stay the same."""

from __future__ import annotations

from collections.abc import Iterable

from mooc_builder.model.pages import RESERVED_ANCHOR_FORMS, RESERVED_ANCHORS, reserved_anchor


def escape_html(raw: str) -> str:
    """markdown_it.common.utils.escapeHtml: "&", "<", ">" and '"' as entities (not "'")."""
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class Anchors:
    """The heading ids of one text, as mdit_py_plugins' anchors plugin gives them (its unique_slug: the slug if
    free, else slug-1, slug-2... the first free one; explicit ids taken first), in time linear in the headings:
    the plugin tries slug-1, slug-2... from 1 again for each heading, so that N headings alike cost N²/2 tries
    (20,000 "## Même titre" took 23 s). Here each slug remembers the suffix its last search stopped at; a slug
    once taken stays taken, so every suffix below it is still taken, and the answer is the same.

    An id the page itself uses (model.pages.reserved_anchor: "quiz", "content", "mooc-quiz"...) is never free:
    a heading "Quiz" is given quiz-1. Where every suffix is the page's too (mooc-quiz-1 is in the mooc- space,
    q1-1 is a quiz's choice, week-1 a course's week), the slug is given "section-" in front first: "Mooc quiz"
    is section-mooc-quiz, a second "Week" section-week."""

    __slots__ = ("_next", "taken")

    def __init__(self, explicit: Iterable[str] = ()) -> None:
        self.taken = set(explicit)
        self._next: dict[str, int] = {}  # for a slug: every slug-n below this n is taken

    def take(self, slug: str) -> str:
        """The id for a heading whose slug is ``slug``; it is taken then."""
        taken = self.taken
        if slug not in taken and not reserved_anchor(slug):
            taken.add(slug)
            return slug
        number = self._next.get(slug, 1)
        unique = f"{slug}-{number}"
        while unique in taken or unique in RESERVED_ANCHORS:
            number += 1
            unique = f"{slug}-{number}"
        if RESERVED_ANCHOR_FORMS.fullmatch(unique):  # then so is every other suffix of this slug
            return self.take(f"section-{slug}")  # never of those forms: no deeper than this
        self._next[slug] = number + 1
        taken.add(unique)
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
