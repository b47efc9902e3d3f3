"""The deriver of SVG drawings: each drawing the site ships that holds a script, an event attribute or a
reference to another site (media/svg.py) is shipped as its cleaned copy, made once into the store; the
model's MediaFiles then point at that copy (same place in the site), so that pages, bundles, handouts and
exports ship it with nothing more to know. A clean drawing, most of them, is shipped as it is.

What the store holds for a drawing is its cleaned copy, or an empty file for one that needs none: a warm
build tells which by the size alone, without reading the drawing again."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mooc_builder.diagnostics import Pos, display_path
from mooc_builder.lang.text import say
from mooc_builder.media.making import Deriving, Making
from mooc_builder.media.store import made_key
from mooc_builder.media.svg import clean_svg, is_refused
from mooc_builder.model import MediaFile, Site
from mooc_builder.model.media import map_media, media_files

# Raised when what clean_svg removes changes: a store made by an older cleaner is not taken for this one's.
RECIPE = "svg-clean-1"


def clean_drawing(source: Path, target: Path) -> None:
    """Write the cleaned copy of the drawing at ``source``, or nothing (an empty file) when it is clean."""
    cleaned, findings = clean_svg(source.read_bytes())
    if is_refused(findings):
        raise ValueError(f"{findings[0].kind}: {findings[0].detail or findings[0].name} (line {findings[0].line})")
    target.write_bytes(cleaned if findings else b"")


def derive_svg(site: Site, deriving: Deriving) -> Site:
    """The site with each drawing that needed cleaning replaced by its cleaned copy."""
    drawings = {m.source: m for m in media_files(site) if m.extension == "svg"}
    if not drawings:
        return site
    keys = {source: made_key(deriving.digest(source), RECIPE) for source in drawings}
    made = deriving.make_all("svg", (Making(keys[source], ".svg", clean_drawing, source, media.output.as_posix())
                                     for source, media in drawings.items()))
    cleaned: dict[Path, MediaFile] = {}
    for source, media in drawings.items():
        path = made.get(keys[source])
        if path is None:
            deriving.report.error(Pos(display_path(source)),
                                  say("this drawing could not be cleaned: {problem}",
                                      problem=deriving.failed.get(keys[source], "?")),
                                  say("open it in Inkscape and save it again as Plain SVG"))
            continue
        size = path.stat().st_size
        if size:
            cleaned[source] = dataclasses.replace(media, source=path, size=size)
    if not cleaned:
        return site
    return map_media(site, lambda media: cleaned.get(media.source, media))
