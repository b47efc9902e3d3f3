"""The smaller copies of the photos in sequences' texts (model/pictures.py names them, the load puts them in
the HTML): made with Pillow into the store, then given to the model as the files the site ships.

Each copy is the same bytes from the same picture on any machine and in any process: a fixed quality, Pillow's
LANCZOS filter, the picture turned as its EXIF orientation says (the copy has no EXIF to turn it again), and no
metadata written: no EXIF (a phone's photo tells where and when it was taken), no date, no comment. The colour
profile is kept: without it a phone's wide-gamut photo would look dull.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mooc_builder.diagnostics import Pos, display_path
from mooc_builder.lang.text import say
from mooc_builder.media.making import Deriving, Making
from mooc_builder.media.store import made_key
from mooc_builder.model import MediaFile, Module, Sequence, Site
from mooc_builder.model.pictures import FORMATS, height_at, recipe

if TYPE_CHECKING:
    from PIL.Image import Image

# Qualities chosen by eye on photos at a phone's width: WebP at 75 looks as JPEG at 80 for about a third less.
JPEG_QUALITY = 80
WEBP_QUALITY = 75
# Raised whenever resize() makes other bytes from the same recipe: the store then makes every copy again.
RECIPE_VERSION = 1


def resize(width: int, kind: str, source: Path, target: Path) -> None:
    """Write ``source`` made ``width`` pixels wide into ``target`` in format ``kind`` (Pillow's name). Module
    level, with its settings as arguments: Making.make sends it to another process (a partial of it)."""
    from PIL import ImageFile

    # WeasyPrint, once imported (a course with handouts), lets Pillow load a truncated file as if whole, grey
    # below the cut, in every process forked after: a photo cut short is refused here whoever imported what.
    truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        small, profile = _resized(width, kind, source)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    _save(small, kind, profile, target)


def _resized(width: int, kind: str, source: Path) -> tuple[Image, object]:
    from PIL import Image as Pictures
    from PIL import ImageOps

    with Pictures.open(source) as opened:
        profile = opened.info.get("icc_profile")
        if opened.format == "JPEG":
            # libjpeg decodes at 1/2, 1/4 or 1/8 of the size for far less work: asked for at least twice the
            # copy's size, so that LANCZOS still has the detail it needs (a 320-pixel copy of a 4,000-pixel photo
            # is then decoded at 1/4).
            turned = opened.getexif().get(0x0112) in (5, 6, 7, 8)
            shown = opened.height if turned else opened.width
            scale = min(1.0, 2 * width / shown)
            opened.draft(opened.mode, (math.ceil(opened.width * scale), math.ceil(opened.height * scale)))
        image = ImageOps.exif_transpose(opened)
        # A palette or a bit mask cannot be filtered; JPEG holds no transparency; the others keep theirs.
        alpha = "A" in image.getbands() or "transparency" in image.info
        mode = "RGB" if kind == "JPEG" else ("RGBA" if alpha else "RGB")
        if image.mode == "L" and not alpha:
            mode = "L"
        if image.mode != mode:
            image = image.convert(mode)
        small = image.resize((width, height_at(width, image.width, image.height)), Pictures.Resampling.LANCZOS)
    return small, profile


def _save(small: Image, kind: str, profile: object, target: Path) -> None:
    options: dict[str, object] = {"icc_profile": profile} if profile else {}
    if kind == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif kind == "WEBP":
        options.update(quality=WEBP_QUALITY, method=4)
    else:
        options.update(optimize=True)
    # The format is said: the store writes under a temporary name that has no extension to tell it.
    small.save(target, format=kind, **options)


def _recipe(width: int, kind: str) -> str:
    quality = {"JPEG": JPEG_QUALITY, "WEBP": WEBP_QUALITY}.get(kind, 0)
    return f"picture {RECIPE_VERSION}: {width}w {kind} q{quality} lanczos"


def derive_pictures(site: Site, deriving: Deriving) -> Site:
    """The site with each copy its sequences' pages name made (or found in the store) and shipped; an error
    naming the picture for one Pillow could not make (the build then stops: no page names a missing file)."""
    wanted: dict[PurePosixPath, tuple[Making, MediaFile]] = {}
    for course in site.courses:
        for sequence in course.sequences:
            for planned in sequence.picture_variants:
                named = recipe(planned.output)
                if planned.size or named is None or planned.output in wanted:
                    continue  # made already (a site derived twice), or not a copy
                width, kind = named
                key = made_key(deriving.digest(planned.source), _recipe(width, kind))
                making = Making(key, f".{FORMATS[kind]}", functools.partial(resize, width, kind), planned.source,
                                planned.output.as_posix())
                wanted[planned.output] = making, planned
    if not wanted:
        return site
    made = deriving.make_all("pictures", [making for making, _planned in wanted.values()])
    files: dict[PurePosixPath, MediaFile] = {}
    for output, (making, planned) in wanted.items():
        path = made.get(making.key)
        if path is None:
            problem = deriving.failed.get(making.key, "")
            deriving.report.error(Pos(display_path(planned.source)),
                                  say("the picture could not be made {width} pixels wide: {problem}",
                                      width=(recipe(output) or (0, ""))[0], problem=problem),
                                  say("open it and save it again as JPEG, PNG or WebP"))
            continue
        files[output] = MediaFile(path, output, path.stat().st_size)
    return dataclasses.replace(site, courses=tuple(
        dataclasses.replace(course, modules=tuple(_module(module, files) for module in course.modules))
        for course in site.courses))


def _module(module: Module, files: dict[PurePosixPath, MediaFile]) -> Module:
    if not any(s.picture_variants for s in module.sequences):
        return module
    return dataclasses.replace(module, sequences=tuple(_sequence(s, files) for s in module.sequences))


def _sequence(sequence: Sequence, files: dict[PurePosixPath, MediaFile]) -> Sequence:
    if not sequence.picture_variants:
        return sequence
    made = tuple(files.get(v.output, v) for v in sequence.picture_variants)
    return dataclasses.replace(sequence, picture_variants=made)
