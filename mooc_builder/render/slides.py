"""A sequence's body as the projector view shows it: slides cut from its HTML, each with its presenter notes.

Pure, from what the load made: the body's HTML (``Sequence.body_html``) and the presenter notes lifted out of
it (``Sequence.notes``, each at the offset in the body where its ``::: notes`` block was written). The cuts, as
docs/AUTHORING.md and the author guide (docs/guide/) tell authors:

* a heading of level 2 or 3 on the page (``##`` or ``###`` under the title) starts a slide; a heading right
  under a higher one, with nothing between them, stays on the higher one's slide;
* a thematic break (``---`` alone between blank lines: a line on the site's page) starts a slide and is not
  shown;
* a paragraph that holds only pictures makes each picture a slide of its own, shown as large as the screen
  allows with its caption (its text alternative, and its title if it has one); a slide that holds only a
  heading so far gives the picture that heading;
* everything else (paragraphs, lists, tables, quotes, code, deeper headings) goes on the slide before it;
  after a picture it starts a slide that carries the section's heading as a reminder;
* the footnotes, at the end, make a slide of their own.

Notes belong to the slide that is open where they are written: after a paragraph, its slide; after a picture,
the picture's slide; after a heading or a break, the slide it starts. Notes written before the body's first
block belong to the sequence's title slide (``Slides.before``).

Nothing is lost: the slides' headings and HTML are the body's blocks as they are, in order; only the breaks and
the paragraph around a picture are left out (tests/test_slides.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from mooc_builder.model import Note
from mooc_builder.model.pictures import SIZES
from mooc_builder.text import plain_text

# A tag (its quoted attributes may hold '>'), or a comment, in the HTML the Markdown renderer makes.
_TAG = re.compile(r"""<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
# A picture: an <img>, or the <picture> that offers a photo's smaller copies around it (markdown/processor.py).
_ONE = r"""<picture>(?:(?!</picture>).)*</picture>|<img\b(?:[^>"']|"[^"]*"|'[^']*')*>"""
_PICTURES = re.compile(rf"""<p>\s*(?:(?:{_ONE})\s*)+</p>\Z""", re.S)
_IMAGE = re.compile(_ONE, re.S)
_ATTRIBUTE = re.compile(r"""\s([a-z-]+)="([^"]*)\"""")
_HEADING = re.compile(r"<h([1-6])\b")
_BREAK = re.compile(r"<hr\b[^>]*>\Z")
_CUT = 3  # headings of this level or above start a slide
_ID = re.compile(r"""(\s(?:id|href)=")(#?)([^"]*)\"""")


@dataclass(frozen=True, slots=True)
class Slide:
    kind: str  # "text" or "picture"
    heading: str = ""  # the heading(s) that open it, as the body has them
    html: str = ""  # its other blocks, as the body has them; a picture's slide: the <img> alone
    caption: str = ""  # a picture's: its text alternative (and its title), as plain text
    section: str = ""  # a slide with no heading of its own: the heading of the section it goes on with
    notes: tuple[str, ...] = ()  # the HTML of the presenter notes written on it


@dataclass(frozen=True, slots=True)
class Slides:
    slides: tuple[Slide, ...]
    before: tuple[str, ...] = ()  # notes written before the body's first block: for the title slide


@dataclass
class _Open:
    """A slide being made."""

    kind: str = "text"
    headings: list[str] = field(default_factory=list)
    level: int = 0  # of its last heading
    blocks: list[str] = field(default_factory=list)
    caption: str = ""
    section: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.headings and not self.blocks

    def made(self) -> Slide:
        return Slide(self.kind, "\n".join(self.headings), "\n".join(self.blocks), self.caption,
                     "" if self.headings else self.section, tuple(self.notes))


def blocks(html: str) -> list[tuple[int, int]]:
    """Where each top-level block of ``html`` starts and ends (an element, or text outside any); a block left
    open runs to the end. Comments outside any block are left out."""
    found: list[tuple[int, int]] = []
    depth = 0
    start = 0
    last = 0  # where the text outside any block starts
    for match in _TAG.finditer(html):
        if depth == 0 and html[last:match.start()].strip():
            found.append((last + _lead(html, last), match.start() - _trail(html, match.start())))
        closing, name = match.group(1), (match.group(2) or "").lower()
        if not name:  # a comment
            last = match.end() if depth == 0 else last
            continue
        leaf = name in _VOID or match.group(3).rstrip().endswith("/")
        if closing:
            if name in _VOID:
                continue
            if depth == 0:  # a stray closing tag: a block of its own
                found.append((match.start(), match.end()))
            else:
                depth -= 1
                if depth == 0:
                    found.append((start, match.end()))
        elif leaf:
            if depth == 0:
                found.append((match.start(), match.end()))
        else:
            if depth == 0:
                start = match.start()
            depth += 1
        last = match.end()
    if depth:
        found.append((start, len(html)))
    elif html[last:].strip():
        found.append((last + _lead(html, last), len(html) - _trail(html, len(html))))
    return found


def _lead(text: str, at: int) -> int:
    return len(text[at:]) - len(text[at:].lstrip())


def _trail(text: str, end: int) -> int:
    return len(text[:end]) - len(text[:end].rstrip())


def split(html: str, notes: tuple[Note, ...] = ()) -> Slides:
    """The slides of a body (see the module's docstring)."""
    made: list[_Open] = []
    waiting = sorted(notes, key=lambda note: note.at)
    before: list[str] = []
    current: _Open | None = None
    section = ""

    def attach(upto: int, inclusive: bool) -> None:
        while waiting and (waiting[0].at <= upto if inclusive else waiting[0].at < upto):
            (current.notes if current is not None else before).append(waiting.pop(0).html)

    def start(kind: str = "text") -> _Open:
        opened = _Open(kind, section=section)
        made.append(opened)
        return opened

    for begin, end in blocks(html):
        attach(begin, inclusive=True)
        block = html[begin:end]
        heading = _HEADING.match(block)
        if _BREAK.match(block):
            if current is None or not current.empty:
                current = start()
        elif heading and int(heading.group(1)) <= _CUT:
            level = int(heading.group(1))
            if current is None or current.kind == "picture" or current.blocks or (
                    current.headings and level <= current.level):
                current = start()
            current.headings.append(block)
            current.level = level
            section = current.section = plain_text(block)
        elif block.startswith('<section class="footnotes"'):  # the footnotes: a slide of their own, untitled
            if current is None or not current.empty:
                current = start()
            current.section = ""
            current.blocks.append(block)
        elif _PICTURES.match(block):
            for index, image in enumerate(_IMAGE.findall(block)):
                if current is None or current.kind == "picture" or current.blocks or index:
                    current = start("picture")
                current.kind = "picture"
                # Shown as large as the screen allows, not in the page's column: a projector takes a large copy.
                current.blocks.append(image.replace(f'sizes="{SIZES}"', 'sizes="100vw"'))
                current.caption = _caption(image)
        else:
            if current is None or current.kind == "picture":
                current = start()
            current.blocks.append(block)
        attach(end, inclusive=False)
    attach(len(html), inclusive=True)
    kept: list[_Open] = []
    for slide in made:
        if slide.empty:  # opened by a break with nothing after it: its notes go on the slide before
            (kept[-1].notes if kept else before).extend(slide.notes)
        else:
            kept.append(slide)
    return Slides(tuple(slide.made() for slide in kept), tuple(before))


def _caption(image: str) -> str:
    """A picture's caption: its text alternative, then its title when it says something else."""
    attributes = dict(_ATTRIBUTE.findall(image))
    alt = unescape(attributes.get("alt", "")).strip()
    title = unescape(attributes.get("title", "")).strip()
    return f"{alt} – {title}" if title and title != alt and alt else (alt or title)


def prefix_ids(html: str, prefix: str) -> str:
    """``html`` with its ids, and its links to them (href="#..."), given ``prefix``: the bodies of several
    sequences on one page (a module's projector view) each keep their footnotes and anchors to themselves."""
    if "id=" not in html and 'href="#' not in html:
        return html

    def rename(match: re.Match[str]) -> str:
        attribute, hash_, value = match.groups()
        if attribute.endswith('id="'):
            return f'{attribute}{prefix}{value}"'
        return f'{attribute}#{prefix}{value}"' if hash_ else match.group(0)

    return _ID.sub(rename, html)
