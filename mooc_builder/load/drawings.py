"""What the check says of an SVG drawing the tree names (media/svg.py cleans it): refused (a DOCTYPE, not XML,
not SVG) is an error, something to remove (a script, an event attribute, a reference to another site) a
warning naming it; at the place of each reference, each drawing said once per load."""

from __future__ import annotations

from pathlib import Path

from mooc_builder.diagnostics import Diagnostic, Report
from mooc_builder.lang.text import Text, listing, say
from mooc_builder.media import svg

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
