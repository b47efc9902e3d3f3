"""The smaller copies of an author's photo that a page offers (``srcset``), named from the picture alone.

A learner on an old phone with little data should not be sent a 4,000-pixel photo for a 360-pixel screen: each
raster picture of a sequence's text is also shipped at the widths of ``LADDER`` below its own, in WebP and in
its own format, and the page lets the browser pick (``<picture>``, ``srcset`` and ``sizes``). The load names
them (the HTML must), the build makes them (media/pictures.py): both from this module, so that a page never
names a file that is not made. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

# The widths offered: a phone (320, 640 at twice its density), a tablet or a laptop's column (960, 1280), a
# large screen at twice its density (1920). Only those below the picture's own width: never enlarged.
LADDER = (320, 640, 960, 1280, 1920)

# The formats resized, by Pillow's name: the file's own format, and its extension for the copies. An animated
# GIF (or WebP or PNG) and an SVG are left as they are: a still copy would lose what they show.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})

# Where the copies live: a folder of this name beside the picture. An author's file never gets a site path in
# it because the loader refuses a media path holding this name (load/state.py), and each copy's name is the
# picture's whole name (extension included) with its width, so that photo.jpg and photo.png beside it, or two
# pictures of the same name in two folders, never share a copy; write/output.py would refuse the build rather
# than write one path twice.
FOLDER = "mooc-sizes"

# What the theme's content column is at most (themes/default/static/style.css: .wrap is 46rem with 1rem of
# padding on each side, and the root's font size is 112.5%, so 44rem there is 49.5em of the browser's default
# size, the unit sizes= counts in): the browser takes the screen's width below it.
SIZES = "(max-width: 51.75em) 100vw, 49.5em"

_NAME = re.compile(r"\.(\d+)w\.(jpg|png|webp)\Z")


@dataclass(frozen=True, slots=True)
class Variant:
    """One copy: its site path, its size in pixels, and its format (Pillow's name)."""

    output: PurePosixPath
    width: int
    height: int
    format: str

    @property
    def mime(self) -> str:
        return f"image/{FORMATS[self.format].replace('jpg', 'jpeg')}"


def resizable(output: PurePosixPath, format: str | None, animated: bool) -> bool:
    """Whether a picture at site path ``output`` is one to offer smaller (``format``: what Pillow read)."""
    return output.suffix.lower() in SUFFIXES and format in FORMATS and not animated


def variants(output: PurePosixPath, width: int, height: int, format: str) -> tuple[Variant, ...]:
    """The copies of a picture at site path ``output``, ``width`` x ``height`` as shown (its EXIF orientation
    applied) in ``format``: for each width of the ladder below its own, its WebP, then its own format's (one
    copy when that is WebP), narrowest first."""
    folder = output.parent / FOLDER
    found: list[Variant] = []
    for step in LADDER:
        if step >= width:
            break
        tall = height_at(step, width, height)
        for kind in dict.fromkeys(("WEBP", format)):
            found.append(Variant(folder / f"{output.name}.{step}w.{FORMATS[kind]}", step, tall, kind))
    return tuple(found)


def height_at(step: int, width: int, height: int) -> int:
    """The height of a ``width`` x ``height`` picture made ``step`` pixels wide (the page's and the file's)."""
    return max(1, round(height * step / width))


def recipe(output: PurePosixPath) -> tuple[int, str] | None:
    """The width and format a copy's site path names (see :func:`variants`), or None when it names none."""
    match = _NAME.search(output.name)
    if match is None or output.parent.name != FOLDER:
        return None
    kind = next(k for k, suffix in FORMATS.items() if suffix == match.group(2))
    return int(match.group(1)), kind


def srcset(entries: list[tuple[str, int]]) -> str:
    """A srcset value from (link, width) pairs; ', ' between them (a link never holds a space: it is
    percent-encoded), which render/links.py relies on to make each link relative."""
    return ", ".join(f"{link} {width}w" for link, width in entries)
