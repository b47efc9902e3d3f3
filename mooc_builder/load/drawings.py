"""What the check says of an SVG drawing the tree names (media/svg.py cleans it): refused (a DOCTYPE, not XML,
not SVG) is an error, something to remove (a script, an event attribute, a reference to another site) a
warning naming it; at the place of each reference, each drawing said once per load. And the units a hotspot
question's zones are written in: a drawing's viewBox, a picture's pixels (drawing_box)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from mooc_builder.diagnostics import Diagnostic, Report
from mooc_builder.lang.text import Text, listing, say
from mooc_builder.load.values import LARGEST_NUMBER
from mooc_builder.markdown import images
from mooc_builder.media import svg
from mooc_builder.model import MediaFile, limits

# (an error?, the message, the hint)
Problem = tuple[bool, Text, Text]

_KINDS = {
    svg.SCRIPT: say("a script"),
    svg.EVENT: say("an event attribute"),
    svg.SCRIPT_LINK: say("a javascript: link"),
    svg.FOREIGN: say("embedded HTML"),
    svg.EXTERNAL: say("a reference to another site"),
    svg.EMBEDDED: say("an embedded document"),
    svg.STYLESHEET: say("a style sheet to load"),
}
_REFUSED_HINT = say("open it in Inkscape and save it again as Plain SVG")
_REMOVED_HINT = say("remove them from the drawing to silence this warning: a drawing must not run a script or load "
                    "anything from another site")
# How every message about a drawing starts: those are said once per drawing (see once_per_drawing).
_ABOUT_A_DRAWING = "the drawing '{file}' "


def drawing_problems(path: Path, shown: str) -> list[Problem]:
    """What the check says of the drawing at ``path`` (named ``shown`` in messages); [] when it is clean or
    cannot be read (its reference reports that)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    _cleaned, findings = svg.clean_svg(data)
    refused = next((f for f in findings if f.refuses), None)
    if refused is not None:
        if refused.kind == svg.DOCTYPE:
            return [(True, say("the drawing '{file}' declares a DOCTYPE (line {line}), which mooc refuses: its "
                               "entities can make a reader load other files or fill its memory",
                               file=shown, line=refused.line),
                     say("delete the <!DOCTYPE ...> lines, or save the drawing again as Plain SVG in Inkscape"))]
        if refused.kind == svg.NOT_SVG:
            return [(True, say("the drawing '{file}' is not an SVG drawing: its first element is <{element}>",
                               file=shown, element=refused.name),
                     say("export it as SVG from your drawing program"))]
        return [(True, say("the drawing '{file}' cannot be read as SVG: {problem} (line {line})",
                           file=shown, problem=refused.detail, line=refused.line), _REFUSED_HINT)]
    if not findings:
        return []
    first: dict[tuple[str, str], int] = {}
    for finding in findings:  # each kind of thing once, at its first line: a hundred onclick are one
        first.setdefault((finding.kind, finding.name), finding.line)
    items = [say("{what} ({name}, line {line})", what=_KINDS[kind], name=name, line=line)
             for (kind, name), line in first.items()]
    return [(False, say("the drawing '{file}' holds {found}: the site ships a copy without them",
                        file=shown, found=listing(items, "and", quoted=False)), _REMOVED_HINT)]


def once_per_drawing(report: Report) -> None:
    """Each drawing's message kept at its first reference only: every page that names a drawing says it when
    read (a page read alone, by another process or replayed from the cache, cannot know it is not the
    first), and the whole load's report keeps the first, in the order of the tree."""
    seen: set[tuple[object, ...]] = set()
    kept: list[Diagnostic] = []
    for item in report.items:
        message = item.message
        if isinstance(message, Text) and message.template.startswith(_ABOUT_A_DRAWING):
            key = (message.template, message.values)
            if key in seen:
                continue
            seen.add(key)
        kept.append(item)
    if len(kept) != len(report.items):
        report.items[:] = kept


# --- the units of a hotspot's zones ----------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True, slots=True)
class NoBox:
    """Why a drawing's units cannot be told, and what to do."""

    message: Text
    hint: Text


_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.S)
_ATTRIBUTE = re.compile(r"""\b(width|height|viewBox)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VIEWBOX_HINT = say('give it a viewBox, the drawing\'s x, y, width and height: viewBox="0 0 400 300" (Inkscape: '
                    'File > Document Properties, Viewbox)')


def drawing_box(image: MediaFile) -> Box | NoBox:
    """The x, y, width and height that a zone's coordinates are written in: an SVG drawing's viewBox (else its
    width and height in pixels), a picture's pixels (as shown, turned by its orientation)."""
    if image.extension == "svg":
        return _svg_box(image)
    picture = images.raster(image.source)
    if picture is not None and picture.problem:
        # Pillow's words for a file it does not know name its reader object: no use to an author.
        problem: Text | str = (say("it is not a JPEG, PNG or WebP picture, or it is damaged")
                               if picture.problem.startswith("cannot identify image file") else picture.problem)
    else:
        size = (picture.width, picture.height) if picture is not None else images.size(image.source)
        if size and size[0] > 0 and size[1] > 0:
            return 0.0, 0.0, float(size[0]), float(size[1])
        problem = say("its size is not in its header")
    return NoBox(say("the picture '{image}' cannot be read: {problem}", image=image.name, problem=problem),
                 say("open it and save it again as JPEG, PNG or WebP"))


def _svg_box(image: MediaFile) -> Box | NoBox:
    try:
        head = image.source.read_bytes()[:65536].decode("utf-8", "replace")
    except OSError:
        head = ""
    tag = _SVG_TAG.search(head)
    attrs = {name: a or b for name, a, b in _ATTRIBUTE.findall(tag.group(0))} if tag else {}
    if "viewBox" in attrs:
        numbers = _floats(attrs["viewBox"].replace(",", " ").split())
        if numbers is not None and len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
            return numbers[0], numbers[1], numbers[2], numbers[3]
        return NoBox(say("the viewBox of the drawing '{file}' is '{box}': it should be four numbers, x, y, width "
                         "and height, between -{largest} and {largest}, the width and the height above 0",
                         file=image.name, box=attrs["viewBox"], largest=LARGEST_NUMBER), _VIEWBOX_HINT)
    size = images.size(image.source)
    if size:
        return 0.0, 0.0, float(size[0]), float(size[1])
    return NoBox(say("the drawing '{file}' has no viewBox, nor a width and a height in pixels: its zones would "
                     "have no units", file=image.name), _VIEWBOX_HINT)


def _floats(words: list[str]) -> tuple[float, ...] | None:
    """Numbers as a viewBox writes them, each finite and within the bounds of a number in a quiz."""
    try:
        numbers = tuple(float(word) for word in words)
    except ValueError:
        return None
    return numbers if all(math.isfinite(n) and abs(n) <= limits.MAX_NUMBER for n in numbers) else None
