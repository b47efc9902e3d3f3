"""The deriver of SVG drawings: each drawing the site ships that holds a script, an event attribute or a
reference to another site (media/svg.py) is shipped as its cleaned copy, made once into the store; the
model's MediaFiles then point at that copy (same place in the site), so that pages, bundles, handouts and
exports ship it with nothing more to know. A clean drawing, most of them, is shipped as it is: nothing is made
for it, and the store is not written (a build into a folder it cannot write fails where it writes the site)."""

from __future__ import annotations

import contextlib
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

# The drawings found clean by this process, by their made_key: `mooc serve` reads each once.
_CLEAN: set[str] = set()


def clean_drawing(source: Path, target: Path) -> None:
    """Write the cleaned copy of the drawing at ``source``."""
    cleaned, findings = clean_svg(source.read_bytes())
    if is_refused(findings):  # the check refused it first: not met in a build
        raise ValueError(f"{findings[0].kind}: {findings[0].detail or findings[0].name} (line {findings[0].line})")
    target.write_bytes(cleaned)


def derive_svg(site: Site, deriving: Deriving) -> Site:
    """The site with each drawing that needed cleaning replaced by its cleaned copy."""
    drawings = {m.source: m for m in media_files(site) if m.extension == "svg"}
    dirty: dict[Path, str] = {}
    for source in drawings:
        key = made_key(deriving.digest(source), RECIPE)
        if key in _CLEAN:
            continue
        if deriving.store.has(key, ".svg") or clean_svg(source.read_bytes())[1]:
            dirty[source] = key
        else:
            _CLEAN.add(key)
    if not dirty:
        return site
    made = _made(deriving, dirty, drawings)
    cleaned: dict[Path, MediaFile] = {}
    for source, key in dirty.items():
        path = made.get(key)
        if path is None:
            deriving.report.error(Pos(display_path(source)),
                                  say("the cleaned copy of this drawing could not be made: {problem}",
                                      problem=deriving.failed.get(key, "?")),
                                  say("check that the output folder can be written"))
            continue
        cleaned[source] = dataclasses.replace(drawings[source], source=path, size=path.stat().st_size)
    return map_media(site, lambda media: cleaned.get(media.source, media))


def _made(deriving: Deriving, dirty: dict[Path, str], drawings: dict[Path, MediaFile]) -> dict[str, Path]:
    """Each cleaned copy in the store, by key. A copy that is not a clean drawing (a store damaged since) is
    made again: what the site ships is checked, never taken on trust."""
    def makings(sources: list[Path]) -> list[Making]:
        return [Making(dirty[s], ".svg", clean_drawing, s, drawings[s].output.as_posix()) for s in sources]

    made = deriving.make_all("svg", makings(list(dirty)))
    damaged = [s for s, key in dirty.items() if key in made and _damaged(made[key])]
    if damaged:
        for source in damaged:
            with contextlib.suppress(OSError):
                made.pop(dirty[source]).unlink()
        made.update(deriving.make_all("svg", makings(damaged)))
        for source in damaged:
            if dirty[source] in made and _damaged(made[dirty[source]]):
                del made[dirty[source]]
                deriving.failed[dirty[source]] = "the store holds a damaged copy that cannot be replaced"
    return made


def _damaged(path: Path) -> bool:
    try:
        return bool(clean_svg(path.read_bytes())[1])
    except OSError:
        return True
