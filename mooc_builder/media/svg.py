"""An author's SVG drawing made safe to ship: nothing in it runs, nothing in it loads from another host.

A drawing is opened by the pages that show it, on its own when a reader opens its link, and inside the
readers and LMSs that host the site (Kiwix, Kolibri...): a script, an event attribute, a ``javascript:`` link
or HTML in a ``<foreignObject>`` would run there, and a reference to another host would be loaded from there.
:func:`clean_svg` takes them out and says what it took out; everything else is kept byte for byte (each
removal is cut out of the bytes as they are, never a rewrite of the file), so that a clean drawing is shipped
as it is and a cleaned one draws the same. A DOCTYPE is refused outright: its entities can make a parser load
other files or expand a few bytes into gigabytes.

Parsed with the standard library's expat, told to refuse any DOCTYPE before it reads one entity.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass

# What a finding is about. The first ones are removed from the copy the site ships; REFUSING ones make the
# drawing unusable (check time reports them as errors).
SCRIPT = "script"  # a <script> (or SVG Tiny's <handler>) element
EVENT = "event"  # an on* attribute
SCRIPT_LINK = "script-link"  # a javascript: (or vbscript:) address
FOREIGN = "foreign"  # <foreignObject>, or an element of HTML's namespace
EXTERNAL = "external"  # an address on another host (http:, https:, //...) or of another scheme
EMBEDDED = "embedded"  # a data: URI of a document (SVG, HTML, script), which may itself run or load
STYLESHEET = "stylesheet"  # an <?xml-stylesheet?> instruction, an @import
DOCTYPE = "doctype"
UNPARSEABLE = "unparseable"
NOT_SVG = "not-svg"
REFUSING = frozenset({DOCTYPE, UNPARSEABLE, NOT_SVG})

XHTML = "http://www.w3.org/1999/xhtml"
# Pictures a data: URI may carry: pixels, which run nothing and load nothing.
RASTER_DATA = ("image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/avif", "image/bmp")
_ADDRESSES = frozenset({"href", "src", "base"})  # attributes holding one address (xml:base's local name is base)
_SCRIPT_ELEMENTS = frozenset({"script", "handler"})
_ANIMATIONS = frozenset({"animate", "set", "animateMotion", "animateTransform", "animateColor"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers drop these from an address before reading it: "java\tscript:" is "javascript:".
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
# A start tag as written (expat has read it: well-formed).
_START_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
# An attribute of a start tag as written: its leading space, name and quoted value.
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)""", re.I)
_CSS_IMPORT = re.compile(rb"@import\b[^;]*;?", re.I)
# A namespace's name, which is no address to load (Inkscape's CSS may declare SVG's).
_CSS_NAMESPACE = re.compile(r"@namespace\s+(?:[\w-]+\s+)?(?:url\(\s*)?[\"']?https?://www\.w3\.org/[^;]*;", re.I)
_CSS_NAMESPACE_BYTES = re.compile(_CSS_NAMESPACE.pattern.encode(), re.I)
_CSS_URL_BYTES = re.compile(rb"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)""", re.I)
# What is left dangerous in CSS once its local url()s are set aside: a load, a script, or an escape that
# could spell either.
_CSS_DANGER = re.compile(r"@import|url\(|image-set\(|expression\(|javascript:|https?:|//|\\", re.I)
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


@dataclass(frozen=True, slots=True)
class Finding:
    """Something :func:`clean_svg` removed (or, for a REFUSING kind, why the drawing is refused): its kind,
    the element, attribute or address concerned, and the line of the SVG where it is."""

    kind: str
    name: str
    line: int
    detail: str = ""

    @property
    def refuses(self) -> bool:
        return self.kind in REFUSING


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.kind)
        self.finding = finding


def clean_svg(data: bytes) -> tuple[bytes, list[Finding]]:
    """The drawing without what would run or load from elsewhere, and what was removed (in the order of the
    file). A drawing with nothing to remove comes back as the very same bytes; one that is refused (a DOCTYPE,
    not XML, not SVG) comes back unchanged with the one finding that refuses it."""
    try:
        cleaned, findings = _Cleaner(data, strict=False).run()
        if findings:
            # What was cut out must leave nothing behind (a url() the CSS rewrite could not reach, say): the
            # result is checked again, and what is still there is removed whole.
            left = _Cleaner(cleaned, strict=False).scan()
            if left:
                cleaned, _more = _Cleaner(cleaned, strict=True).run()
                if _Cleaner(cleaned, strict=True).scan():
                    raise AssertionError("the cleaned drawing still holds what was to be removed")
    except _Refused as refused:
        return data, [refused.finding]
    return cleaned, findings


def is_refused(findings: list[Finding]) -> bool:
    return any(f.refuses for f in findings)


def safe_reference(value: str) -> bool:
    """Whether an address in a drawing stays in the drawing or beside it: ``#id``, a relative path, or a
    data: URI of pixels."""
    address = _URL_NOISE.sub("", value)
    if not address or address.startswith("#"):
        return True
    if address.startswith(("//", "\\\\", "/\\", "\\/")):
        return False
    scheme = _SCHEME.match(address)
    if scheme is None:
        return True
    if scheme.group(1).lower() == "data":
        kind = address[5:].split(";", 1)[0].split(",", 1)[0].strip().lower()
        return kind in RASTER_DATA
    return False


def _reference_kind(value: str) -> str:
    address = _URL_NOISE.sub("", value).lower()
    if address.startswith(("javascript:", "vbscript:")):
        return SCRIPT_LINK
    return EMBEDDED if address.startswith("data:") else EXTERNAL


def _css_problem(css: str) -> str | None:
    """The kind of what a piece of CSS would load or run, or None."""
    css = _CSS_NAMESPACE.sub("", _CSS_COMMENT.sub("", css))
    if re.search(r"@import", css, re.I):
        return STYLESHEET
    for match in _CSS_URL.finditer(css):
        target = next(g for g in match.groups() if g is not None)
        if not safe_reference(target):
            return _reference_kind(target)
    rest = _CSS_URL.sub("", css)
    if _CSS_DANGER.search(rest):
        return SCRIPT_LINK if re.search(r"javascript:|expression\(", rest, re.I) else EXTERNAL
    return None


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _PREDEFINED[name]

    return _ENTITY.sub(one, value)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Cleaner:
    """One pass over a drawing: what to cut out, as byte ranges and replacements. ``strict``: a style that
    loads something is removed whole rather than rewritten."""

    def __init__(self, data: bytes, strict: bool) -> None:
        self.data = data
        self.strict = strict
        self.edits: list[tuple[int, int, bytes]] = []
        self.findings: list[Finding] = []
        self.namespaces: list[dict[str, str]] = [{}]
        # Open elements: (name, start of its start tag, end of its start tag, empty (<a/>)?, removed whole?).
        self.open: list[tuple[str, int, int, bool, bool]] = []
        self.removing = 0  # depth inside a removed element: nothing there is looked at
        self.style_text: list[str] | None = None
        self.root_seen = False
        self.counted = (0, 1)  # (an offset, its line), for _note

    def scan(self) -> list[Finding]:
        return self.run()[1]

    def run(self) -> tuple[bytes, list[Finding]]:
        data = self.data
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
            raise _Refused(Finding(UNPARSEABLE, "", 1, "UTF-16"))
        parser = xml.parsers.expat.ParserCreate()
        self.parser = parser
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ExternalEntityRefHandler = self._external_entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.ProcessingInstructionHandler = self._instruction
        parser.CharacterDataHandler = self._text
        try:
            parser.Parse(data, True)
        except xml.parsers.expat.ExpatError as exc:
            raise _Refused(Finding(UNPARSEABLE, "", exc.lineno or 1,
                                   xml.parsers.expat.ErrorString(exc.code) or str(exc))) from None
        if not self.root_seen:
            raise _Refused(Finding(UNPARSEABLE, "", 1, "no element"))
        return self._apply(), self.findings

    # --- expat's handlers ------------------------------------------------------------------------------

    def _doctype(self, name: str, *_rest: object) -> None:
        raise _Refused(Finding(DOCTYPE, name, self.parser.CurrentLineNumber))

    def _entity(self, name: str, *_rest: object) -> None:
        raise _Refused(Finding(DOCTYPE, name, self.parser.CurrentLineNumber))

    def _external_entity(self, *_rest: object) -> int:
        raise _Refused(Finding(DOCTYPE, "", self.parser.CurrentLineNumber))

    def _start(self, name: str, attributes: list[str]) -> None:
        start = self.parser.CurrentByteIndex
        end = self._tag_end(start)
        empty = self.data[end - 2:end] == b"/>"
        scope = self.namespaces[-1]
        pairs = list(zip(attributes[::2], attributes[1::2], strict=True))
        for key, value in pairs:
            if key == "xmlns" or key.startswith("xmlns:"):
                if scope is self.namespaces[-1]:
                    scope = dict(scope)
                scope[key[6:]] = value
        self.namespaces.append(scope)
        prefix = name.rpartition(":")[0]
        local = _local(name)
        if not self.root_seen:
            self.root_seen = True
            if local != "svg":
                raise _Refused(Finding(NOT_SVG, name, self.parser.CurrentLineNumber))
        removed = False
        if self.removing == 0:
            kind = (SCRIPT if local in _SCRIPT_ELEMENTS else FOREIGN if local == "foreignObject"
                    or scope.get(prefix) == XHTML else self._animation(local, pairs))
            if kind is not None:
                self._note(kind, f"<{name}>", start)
                removed = True
            else:
                self._attributes(name, start, end, pairs)
                if local == "style":
                    self.style_text = []
        self.open.append((name, start, end, empty, removed))
        if removed:
            self.removing += 1

    def _end(self, _name: str) -> None:
        name, start, tag_end, empty, removed = self.open.pop()
        self.namespaces.pop()
        end_start = tag_end if empty else self.parser.CurrentByteIndex
        end = tag_end if empty else self.data.index(b">", end_start) + 1
        if removed:
            self.removing -= 1
            if self.removing == 0:
                self.edits.append((start, end, b""))
            return
        if self.style_text is not None and _local(name) == "style" and self.removing == 0:
            self._style(start, tag_end, end_start, "".join(self.style_text))
            self.style_text = None

    def _text(self, text: str) -> None:
        if self.style_text is not None:
            self.style_text.append(text)

    def _instruction(self, target: str, _data: str) -> None:
        if self.removing or target.lower() != "xml-stylesheet":
            return
        start = self.parser.CurrentByteIndex
        end = self.data.index(b"?>", start) + 2
        self._note(STYLESHEET, "<?xml-stylesheet?>", start)
        self.edits.append((start, end, b""))

    # --- what is looked at ------------------------------------------------------------------------------

    def _animation(self, local: str, pairs: list[tuple[str, str]]) -> str | None:
        """An animation that would set an event attribute, or an address to somewhere unsafe."""
        if local not in _ANIMATIONS:
            return None
        values = dict(pairs)
        target = _local(values.get("attributeName", "")).lower()
        if target.startswith("on"):
            return EVENT
        if target == "href":
            for key in ("to", "from", "by", "values"):
                for value in values.get(key, "").split(";"):
                    if not safe_reference(value):
                        return _reference_kind(value)
        return None

    def _attributes(self, name: str, start: int, end: int, pairs: list[tuple[str, str]]) -> None:
        verdicts = [self._verdict(key, value) for key, value in pairs]
        if not any(verdicts):
            return
        written = list(_ATTRIBUTE.finditer(self.data, start + 1 + len(name.encode()), end))
        if len(written) != len(pairs):  # cannot happen for a tag expat read; refused rather than guessed
            raise _Refused(Finding(UNPARSEABLE, name, self.parser.CurrentLineNumber, "attributes"))
        for match, (key, _value), kind in zip(written, pairs, verdicts, strict=True):
            if kind is None:
                continue
            if kind != EVENT and _local(key).lower() not in _ADDRESSES and not self.strict:
                fixed = _fix_css(match.group(2)[1:-1])  # a style: its url()s and @imports alone
                if _css_problem(_unescape(fixed.decode("utf-8", "replace"))) is None:
                    self._note(kind, key, match.start(2))
                    self.edits.append((match.start(2) + 1, match.end(2) - 1, fixed))
                    continue
            self._note(kind, key, match.start(1))
            self.edits.append((match.start(), match.end(), b""))

    @staticmethod
    def _verdict(key: str, value: str) -> str | None:
        """What an attribute would run or load, or None."""
        local = _local(key).lower()
        if local.startswith("on"):
            return EVENT
        if local in _ADDRESSES:
            return None if safe_reference(value) else _reference_kind(value)
        lowered = value.lower()
        if local == "style" or "url(" in lowered or "@import" in lowered:
            return _css_problem(value)
        return None

    def _style(self, start: int, tag_end: int, end_start: int, css: str) -> None:
        kind = _css_problem(css)
        if kind is None:
            return
        if not self.strict:
            fixed = _fix_css(self.data[tag_end:end_start])
            self._note(kind, "<style>", start)
            self.edits.append((tag_end, end_start, fixed))
            return  # checked again by clean_svg, and removed whole if the rewrite did not do
        self._note(kind, "<style>", start)
        self.edits.append((tag_end, end_start, b""))

    def _note(self, kind: str, name: str, offset: int) -> None:
        # Lines counted on from the last finding's (findings come in the order of the file, but for a <style>
        # noted at its end): a drawing with thousands of onclick is read once, not once per onclick.
        at, line = self.counted if offset >= self.counted[0] else (0, 1)
        line += self.data.count(b"\n", at, offset)
        self.counted = (offset, line)
        self.findings.append(Finding(kind, name, line))

    def _tag_end(self, start: int) -> int:
        """Where the start tag at ``start`` ends (after its '>')."""
        match = _START_TAG.match(self.data, start)
        if match is None:  # cannot happen for a tag expat read; refused rather than guessed
            raise _Refused(Finding(UNPARSEABLE, "", self.parser.CurrentLineNumber, "start tag"))
        return match.end()

    def _apply(self) -> bytes:
        if not self.edits:
            return self.data
        out: list[bytes] = []
        at = 0
        for start, end, replacement in sorted(self.edits):
            if start < at:  # inside something already cut out
                continue
            out += [self.data[at:start], replacement]
            at = end
        out.append(self.data[at:])
        return b"".join(out)


def _fix_css(css: bytes) -> bytes:
    """The CSS without its @import rules and with ``none`` for each url() that goes elsewhere (its @namespace
    rules left as they are)."""

    def url(match: re.Match[bytes]) -> bytes:
        target = next(g for g in match.groups() if g is not None)
        return match.group(0) if safe_reference(_unescape(target.decode("utf-8", "replace"))) else b"none"

    def fix(part: bytes) -> bytes:
        return _CSS_URL_BYTES.sub(url, _CSS_IMPORT.sub(b"", part))

    out, at = [], 0
    for rule in _CSS_NAMESPACE_BYTES.finditer(css):
        out += [fix(css[at:rule.start()]), rule.group(0)]
        at = rule.end()
    out.append(fix(css[at:]))
    return b"".join(out)
