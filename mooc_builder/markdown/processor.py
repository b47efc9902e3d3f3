"""Author Markdown to safe HTML, with links checked and rewritten to site paths.

One parser per configuration, built once. Links to sequence files
(``02-le-chauffage.md``) and to media are resolved relative to the file that holds
them; the HTML then carries site paths (``mooc-site:/...``) that the renderer
makes relative for each page, so the same body works at any depth.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from mooc_builder.diagnostics import Pos, Report
from mooc_builder.lang.text import Message, Text, say
from mooc_builder.markdown import images
from mooc_builder.markdown import rust as markdown_rs
from mooc_builder.markdown.common import Anchors, LinkToken, escape_html
from mooc_builder.markdown.parser import NOTES_CLOSE, NOTES_OPEN, make_parser
from mooc_builder.markdown.positions import LineCounter, Locator, Span
from mooc_builder.markdown.slug import slug
from mooc_builder.model import RESERVED_ANCHORS, SITE_LINK, MediaFile, Note, encode_site_path, reserved_anchor
from mooc_builder.model import pictures as sizes
from mooc_builder.shortcuts import Shortcut, enabled

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# What a link may point to, once resolved: a page (site path), a media file, or a reason it is wrong.
Target = tuple[str | None, MediaFile | None, Message]
# What the loader says of a media file: (an error?, message, hint) for each thing.
MediaInspector = Callable[[MediaFile], Iterable[tuple[bool, Text, Text]]]
LinkResolver = Callable[[str, Path], Target]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_SAFE_ATTRIBUTES = ["id", "class", "lang", "width", "height", "title"]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    words: int
    media: tuple[MediaFile, ...] = field(default=())
    images: tuple[MediaFile, ...] = field(default=())
    notes: tuple[Note, ...] = field(default=())  # presenter notes, lifted out of html (see lift_notes)
    # The smaller copies of its photos the HTML offers (asked for with render(pictures=True)), each with its
    # picture's file as source: the build makes them (media/pictures.py).
    variants: tuple[MediaFile, ...] = field(default=())


class _Offered:
    """What one text's pictures offer: the copies named, and by each picture's src the WebP srcset of the
    <source> its <img> gets wrapped with (see _wrap)."""

    def __init__(self) -> None:
        self.files: list[MediaFile] = []
        self.webp: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a piece of Markdown sits: for error positions and relative links."""

    display: str
    line_offset: int  # lines before the Markdown text in its file
    base_dir: Path
    col_offset: int = 0  # for a YAML value: the column where its first line starts
    indent: int = 0  # for a YAML block value: the indentation of every line


class MarkdownProcessor:
    def __init__(self, allow_html: bool, resolve: LinkResolver, *, short_cut: bool = True,
                 inspect: MediaInspector | None = None) -> None:
        self.allow_html = allow_html
        # What the loader has to say of a media file a text points to (an SVG that would run a script...).
        self.inspect = inspect
        self._md: MarkdownIt | None = None  # made when a text needs it
        self.resolve = resolve
        # Most pages take the short cut through the Rust parser (see markdown_rs); the output is the same.
        self.rs = markdown_rs.RsParser() if short_cut and markdown_rs.available() and enabled(
            Shortcut.RUST_MARKDOWN) else None
        self.from_html = enabled(Shortcut.RUST_HTML)
        # A picture's size, read once per load (a processor serves one load): many pages show the same ones.
        self._sizes: dict[Path, tuple[int, int] | None] = {}
        self._rasters: dict[Path, images.Picture | None] = {}

    @property
    def md(self) -> MarkdownIt:
        if self._md is None:
            self._md = make_parser(self.allow_html)
        return self._md

    def render(self, text: str, place: Place, report: Report, *, title: str | None = None,
               inline: bool = False, count_words: bool = True, notes: bool = False, pictures: bool = False
               ) -> Rendered:
        """The HTML of ``text``, its links checked; ``count_words``: else Rendered.words is 0 (counting is
        a tenth of the work, and a sequence whose duration is announced does not need it). ``notes``: the text
        may hold presenter notes (a sequence's body), lifted out of the HTML into Rendered.notes and left out of
        the word count; elsewhere a ``::: notes`` block is left out with a warning. ``pictures``: its photos
        offer smaller copies (a sequence's body: see model/pictures.py), which Rendered.variants names."""
        offered = _Offered() if pictures else None
        if self.rs is not None and not inline and markdown_rs.usable(text):
            return self._render_rs(self.rs, text, place, report, title, count_words, offered)
        env: dict[str, object] = {}
        tokens = self.md.parseInline(text, env) if inline else self.md.parse(text, env)
        if not inline:
            _check_nesting(tokens, int(self.md.options.maxNesting), place, report)
            tokens = _fit_headings(tokens, title)
            if title is not None:
                _check_headings(tokens, place, report)
        where = Locator(text)
        media: list[MediaFile] = []
        images: list[MediaFile] = []
        texts: list[str] = []  # counted at once: tokens are word boundaries, so joined with spaces
        block_line, block_end = 0, 1
        in_notes = 0  # how deep in presenter notes: their words are not the learner's reading
        for token in tokens:
            if token.map:
                block_line, block_end = token.map
            if "id" in token.attrs:
                self._check_id(str(token.attrs["id"]), where, block_line, block_end, place, report)
            if token.type.startswith("container_notes"):
                in_notes += token.nesting
                if token.nesting == 1 and in_notes == 1 and not notes:
                    report.warn(Pos(place.display, place.line_offset + block_line + 1, 1),
                                say("presenter notes ('::: notes') are read in a sequence's text only: left out "
                                    "here"), say("move them into the text of the sequence they are for"))
            if token.type != "inline" or not token.children:
                continue
            counter: LineCounter | None = None
            for child in token.children:
                if "id" in child.attrs:
                    self._check_id(str(child.attrs["id"]), where, block_line, block_end, place, report)
                if child.type == "text":
                    if not in_notes:
                        texts.append(child.content)
                elif child.type in ("link_open", "image"):
                    span = Span.unknown(block_line)
                    written = child.meta.get("span")  # see parser._spanned
                    if written is not None and token.map and written[0] is token.content:
                        source, start, end = written
                        counter = counter or LineCounter(source)
                        span = Span(block_line, block_line + counter.line(start), block_line + counter.line(end - 1),
                                    source[start:end], reference=source[end - 1] == "]")
                    self._check_link(child, where, span, place, report, media, images, offered)
                    if child.type == "image" and not in_notes:
                        texts.append(child.content)
        html = _wrap(self.md.renderer.render(tokens, self.md.options, env), offered)
        lifted: tuple[Note, ...] = ()
        if NOTES_OPEN in html:
            html, lifted = lift_notes(html)
        return Rendered(html, _count(texts) if count_words else 0, tuple(media), tuple(images),
                        lifted if notes else (), _files(offered))

    def _render_rs(self, rs: markdown_rs.RsParser, text: str, place: Place, report: Report,
                   title: str | None, count_words: bool, offered: _Offered | None) -> Rendered:
        """:meth:`render` through the Rust parser, step for step (the anchors plugin, then _fit_headings,
        _check_headings and the walk over links and images). From the port's HTML alone when it tells enough
        and there is nothing to report (that needs lines: the port's tree has them)."""
        parsed = rs.parse_html(text, count_words) if self.from_html else None
        if parsed is not None:
            probe = Report()
            rendered = self._assemble(parsed, text, place, probe, title, count_words, offered)
            if not probe.items:
                return rendered
            offered = _Offered() if offered is not None else None
        return self._assemble(rs.parse(text), text, place, report, title, count_words, offered)

    def _assemble(self, parsed: markdown_rs.Parsed, text: str, place: Place, report: Report,
                  title: str | None, count_words: bool, offered: _Offered | None) -> Rendered:
        headings = parsed.headings
        anchors = Anchors()
        ids = [anchors.take(slug(h.text)) if h.level <= 4 else "" for h in headings]
        titled = (title is not None and parsed.starts_with_heading and headings[0].level == 1
                  and _norm(headings[0].source.strip()) == _norm(title))
        dropped, levels = _fit_levels([h.level for h in headings], titled)
        # The title dropped, its text and links go with it, as its tokens do in markdown-it-py.
        skipped_texts = range(*headings[0].texts) if dropped else range(0)
        skipped_links = range(*headings[0].links) if dropped else range(0)
        first = 1 if dropped else 0
        if title is not None:
            _check_levels([(level, h.line) for level, h in zip(levels[first:], headings[first:], strict=True)],
                          place, report)
        where = Locator(text)
        media: list[MediaFile] = []
        images: list[MediaFile] = []
        links = [(token, span) for index, (token, span) in enumerate(parsed.links) if index not in skipped_links]
        for token, span in links:
            self._check_link(token, where, span, place, report, media, images, offered)
        texts = [t for index, t in enumerate(parsed.texts) if index not in skipped_texts]
        shown: list[tuple[int, str] | None] = [None] * first + list(zip(levels[first:], ids[first:], strict=True))
        html = _wrap(markdown_rs.rewrite(parsed.html, shown, [token for token, _span in links], parsed.tables),
                     offered)
        return Rendered(html, _count(texts) if count_words else 0, tuple(media), tuple(images),
                        variants=_files(offered))

    def _check_link(self, token: Token | LinkToken, where: Locator, span: Span, place: Place, report: Report,
                    media: list[MediaFile], images: list[MediaFile], offered: _Offered | None = None) -> None:
        """Check and rewrite a link_open or image token (site path; an image's size, lazy loading and text
        alternative; with ``offered``, a photo's smaller copies); the media file it points to joins ``media``
        (and ``images``)."""
        image = token.type == "image"
        attr = "src" if image else "href"
        raw = str(token.attrGet(attr) or "")
        found = self._rewrite(token, attr, where, span, place, report)
        if found is not None:
            media.append(found)
            if image:
                images.append(found)
        if image:
            if not token.content.strip():
                self._warn_alt(report, place, where, span, str(token.attrGet("src") or ""), raw)
            token.attrSet("loading", "lazy")
            token.attrSet("decoding", "async")
            if found is not None and offered is not None:
                self._offer(token, found, offered)

    def _offer(self, token: Token | LinkToken, picture: MediaFile, offered: _Offered) -> None:
        """Give a photo's <img> the srcset and sizes of its smaller copies in its own format (the original
        last, for the widest screens), and note their WebP twins for the <source> _wrap puts before it."""
        read = self._rasters.get(picture.source)
        if read is None or read.problem or not sizes.resizable(picture.output, read.format, read.animated):
            return
        made = sizes.variants(picture.output, read.width, read.height, read.format)
        if not made:
            return
        own = [(_link(v.output.as_posix()), v.width) for v in made if v.format == read.format]
        own.append((_link(picture.output.as_posix()), read.width))
        token.attrSet("srcset", sizes.srcset(own))
        token.attrSet("sizes", sizes.SIZES)
        if read.format != "WEBP":
            webp = [(_link(v.output.as_posix()), v.width) for v in made if v.format == "WEBP"]
            offered.webp[str(token.attrGet("src"))] = sizes.srcset(webp)
        offered.files += [MediaFile(picture.source, v.output, 0) for v in made]

    def _rewrite(self, token: Token | LinkToken, attr: str, where: Locator, span: Span, place: Place,
                 report: Report) -> MediaFile | None:
        raw = str(token.attrGet(attr) or "")
        original = unquote(raw)
        if not raw or raw.startswith("#") or _SCHEME.match(raw):
            return None
        if raw.startswith("//"):
            self._error(report, place, where, span, original, token.type,
                        say("link '{link}' has no scheme", link=original), say("write the full address with https://"))
            return None
        if raw.startswith("/"):
            self._error(report, place, where, span, original, token.type,
                        say("link '{link}' starts with '/', which breaks on a USB stick or in a subfolder",
                            link=original), say("write a path relative to this file"))
            return None
        path, _, fragment = original.partition("#")
        path = path.split("?", 1)[0]
        page, media, reason = self.resolve(path, place.base_dir)
        suffix = f"#{fragment}" if fragment else ""
        if page is not None:
            token.attrSet(attr, SITE_LINK + encode_site_path(page) + suffix)
            return None
        if media is not None:
            token.attrSet(attr, SITE_LINK + encode_site_path(media.output.as_posix()) + suffix)
            for error, message, hint in self.inspect(media) if self.inspect is not None else ():
                self._error(report, place, where, span, original, token.type, message, hint, error)
            if token.type == "image":
                self._size(token, media, where, span, place, report, original)
            return media
        self._error(report, place, where, span, original, token.type,
                    say("link to '{link}': {reason}", link=original, reason=reason),
                    say("point to an existing sequence (NN-name.md) or file, relative to this file"))
        return None

    def _size(self, token: Token | LinkToken, media: MediaFile, where: Locator, span: Span, place: Place,
              report: Report, original: str) -> None:
        """An image's width and height as shown (a phone's photo turned by its EXIF orientation has them
        swapped), unless the author gave them; an error where a JPEG, PNG or WebP cannot be read."""
        if media.source not in self._rasters:
            self._rasters[media.source] = images.raster(media.source)
        read = self._rasters[media.source]
        if read is not None and read.problem:
            self._error(report, place, where, span, original, token.type,
                        say("the picture '{image}' cannot be read: {problem}", image=original, problem=read.problem),
                        say("open it and save it again as JPEG, PNG or WebP"))
            return
        if token.attrGet("width") is not None:
            return
        if read is not None:
            dimensions: tuple[int, int] | None = (read.width, read.height)
        else:
            if media.source not in self._sizes:
                self._sizes[media.source] = images.size(media.source)
            dimensions = self._sizes[media.source]
        if dimensions is not None:
            token.attrSet("width", str(dimensions[0]))
            token.attrSet("height", str(dimensions[1]))

    def _check_id(self, ident: str, where: Locator, block_line: int, block_end: int, place: Place,
                  report: Report) -> None:
        """An error for an id an author gave ({#quiz}) that the page itself uses: the quiz's data, the skip link's
        target... would be found in the author's element instead. Anchors made from headings never are."""
        if not reserved_anchor(ident):
            return
        line, col = where.find_id(block_line, block_end - 1, ident)
        shift = place.col_offset if line == 0 else place.indent
        report.error(Pos(place.display, place.line_offset + line + 1, col + 1 + shift),
                     say("the id '{id}' is used by the page itself", id=ident), _RESERVED_HINT)

    def _warn_alt(self, report: Report, place: Place, where: Locator, span: Span, src: str, raw: str) -> None:
        line, col = where.find(span, "![](", "alt")
        report.warn(Pos(place.display, place.line_offset + line + 1, col + 1),
                    say("the image '{image}' has no text alternative", image=raw or src),
                    say("describe it between the brackets, e.g. ![Schéma de la facture](media/facture.svg)"))

    def _error(self, report: Report, place: Place, where: Locator, span: Span, target: str, kind: str,
               message: Text, hint: Text, error: bool = True) -> None:
        line, col = where.find(span, target, kind)
        shift = place.col_offset if line == 0 else place.indent
        pos = Pos(place.display, place.line_offset + line + 1, col + 1 + shift)
        (report.error if error else report.warn)(pos, message, hint)


_RESERVED_HINT = say("choose another id; {ids}, q1, q1-prompt, week-1, bundle-1... and every id starting with "
                     "mooc- are used by the page itself",
                     ids=", ".join(sorted(a for a in RESERVED_ANCHORS if not a.startswith("mooc-"))))


def _link(site_path: str) -> str:
    return SITE_LINK + encode_site_path(site_path)


def _files(offered: _Offered | None) -> tuple[MediaFile, ...]:
    return tuple(dict.fromkeys(offered.files)) if offered is not None else ()


# An <img> as both renderers write it: its src first.
_IMG = re.compile(r'<img src="([^"]*)"[^>]*>')


def _wrap(html: str, offered: _Offered | None) -> str:
    """Each photo's <img> offering smaller copies wrapped in a <picture> whose <source> offers them in WebP:
    a browser that reads WebP takes those (a third lighter than JPEG), any other the <img>'s own."""
    if offered is None or not offered.webp:
        return html

    def wrap(match: re.Match[str]) -> str:
        webp = offered.webp.get(unescape(match.group(1)))
        if webp is None or ' srcset="' not in match.group(0):
            return match.group(0)
        return (f'<picture><source type="image/webp" srcset="{escape_html(webp)}" sizes="{sizes.SIZES}" />'
                f"{match.group(0)}</picture>")

    return _IMG.sub(wrap, html)


_NOTES_MARK = re.compile(re.escape(NOTES_OPEN) + "|" + re.escape(NOTES_CLOSE))


def lift_notes(html: str) -> tuple[str, tuple[Note, ...]]:
    """The HTML without its presenter notes (rendered between parser.NOTES_OPEN and NOTES_CLOSE, which nest),
    and each note, at the offset in that HTML where it was: the HTML is what the text without the notes
    renders to, so that a page without notes is the same with or without this."""
    out: list[str] = []
    notes: list[Note] = []
    size = depth = last = start = 0
    for mark in _NOTES_MARK.finditer(html):
        if mark.group() == NOTES_OPEN:
            if depth == 0:
                out.append(html[last:mark.start()])
                size += mark.start() - last
                start = mark.end()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                notes.append(Note(size, _NOTES_MARK.sub("", html[start:mark.start()])))
                last = mark.end()
    if depth:  # never left open by the parser, which closes a block at the end of the text
        notes.append(Note(size, _NOTES_MARK.sub("", html[start:])))
    else:
        out.append(html[last:])
    return _NOTES_MARK.sub("", "".join(out)), tuple(notes)


def _count(texts: list[str]) -> int:
    # Tokens are word boundaries: their texts are counted at once, joined with spaces.
    return len(_WORD.findall(" ".join(texts)))


def _check_nesting(tokens: list[Token], most: int, place: Place, report: Report) -> None:
    """An error where lists or quotes are nested as deep as markdown-it-py reads (``most`` levels, a list two, a
    quote one): it leaves out what the deepest one holds, and after a list the rest of the page, silently. (The
    Rust port is never given such a text: see rust._costly.)"""
    for token in tokens:
        if token.type in ("list_item_open", "blockquote_open") and token.level >= most - 1:
            line = token.map[0] if token.map else 0
            report.error(Pos(place.display, place.line_offset + line + 1, 1 + (place.col_offset if line == 0
                                                                                else place.indent)),
                         say("a list or quote nested too deep: what it holds is left out of the page, and after a "
                             "list, all that follows"),
                         say("nest fewer than {lists} lists or {quotes} quotes inside one another", lists=most // 2,
                             quotes=most))
            return


def _check_headings(tokens: list[Token], place: Place, report: Report) -> None:
    _check_levels([(int(t.tag[1]), t.map[0] if t.map else 0) for t in tokens if t.type == "heading_open"],
                  place, report)


def _check_levels(headings: list[tuple[int, int]], place: Place, report: Report) -> None:
    """Warn when a heading (level, line in the text) skips a level: screen-reader users navigate by them."""
    previous = 1  # the page title
    for level, line in headings:
        if level > previous + 1:
            report.warn(Pos(place.display, line + place.line_offset + 1, 1),
                        say("heading level skipped: h{previous} then h{level}", previous=previous, level=level),
                        say("use {marks} here (the page title is the only h1)", marks="#" * (previous + 1)))
        previous = level


def _heading_text(tokens: list[Token], index: int) -> str:
    inline = tokens[index + 1] if index + 1 < len(tokens) else None
    return inline.content.strip() if inline is not None else ""


def _fit_headings(tokens: list[Token], title: str | None) -> list[Token]:
    """Keep one h1 per page (the page title): drop a leading '# Title' and shift other levels down."""
    titled = (title is not None and bool(tokens) and tokens[0].type == "heading_open" and tokens[0].tag == "h1"
              and _norm(_heading_text(tokens, 0)) == _norm(title))
    dropped, levels = _fit_levels([int(t.tag[1]) for t in tokens if t.type == "heading_open"], titled)
    if dropped:
        tokens, levels = tokens[3:], levels[1:]
    fitted = iter(levels)
    tag = ""
    for token in tokens:
        if token.type == "heading_open":
            tag = token.tag = f"h{next(fitted)}"
        elif token.type == "heading_close":
            token.tag = tag  # headings do not nest: it closes the last one opened
    return tokens


def _fit_levels(levels: list[int], titled: bool) -> tuple[bool, list[int]]:
    """For headings of these levels (``titled``: the first is a '# Title' repeating the page title), whether
    that first one is dropped, and every heading's level on the page."""
    if 1 not in levels:
        return False, levels
    if titled and 1 not in levels[1:]:
        return True, levels
    return titled, [min(level + 1, 6) for level in levels]


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))
