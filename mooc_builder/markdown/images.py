"""Pixel sizes of pictures, read from their headers, so pages reserve their space (no layout shift)."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

from mooc_builder.model.pictures import SUFFIXES

# EXIF orientations that turn the picture a quarter: it is shown with its width and height swapped.
_TURNED = frozenset({5, 6, 7, 8})


@dataclass(frozen=True, slots=True)
class Picture:
    """A raster picture as Pillow reads its header: its size as shown (EXIF orientation applied), its format
    (Pillow's name), and whether it moves; ``problem``: why Pillow cannot read it ('' when it can)."""

    width: int = 0
    height: int = 0
    format: str = ""
    animated: bool = False
    problem: str = ""


def raster(path: Path) -> Picture | None:
    """A JPEG, PNG or WebP file read by Pillow, header only (nothing is decoded); None for another kind."""
    if path.suffix.lower() not in SUFFIXES:
        return None
    from PIL import Image, UnidentifiedImageError  # only a load with such pictures pays for the import

    try:
        handle = path.open("rb")
    except OSError:
        return None  # not there (its link is said to be wrong elsewhere): no size, as size() says
    try:
        with handle, Image.open(handle) as image:
            width, height = image.size
            # The orientation is read for JPEG and WebP only: PNG's EXIF may sit after its pixels, and reading
            # it there would decode the whole picture.
            turned = image.format in ("JPEG", "WEBP") and image.getexif().get(0x0112) in _TURNED
            return Picture(height if turned else width, width if turned else height, image.format or "",
                           bool(getattr(image, "is_animated", False)))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:  # Pillow's ways of refusing a file
        return Picture(problem=str(exc) or type(exc).__name__)


def size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG or SVG file, or None when it cannot be told."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return int(width), int(height)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", head[6:10])
        return int(width), int(height)
    if head.startswith(b"\xff\xd8"):
        return _jpeg(head)
    if path.suffix.lower() == ".svg":
        return _svg(head.decode("utf-8", "replace"))
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return int(width), int(height)
        index += 2 + length
    return None


def _svg(text: str) -> tuple[int, int] | None:
    tag = re.search(r"<svg\b[^>]*>", text, re.S)
    if tag is None:
        return None
    attrs = dict(re.findall(r'\b(width|height|viewBox)\s*=\s*"([^"]*)"', tag.group(0)))
    number = r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$"
    width, height = (re.match(number, attrs.get(k, "")) for k in ("width", "height"))
    if width and height:
        return _pixels(width.group(1), height.group(1))
    box = attrs.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        return _pixels(box[2], box[3])
    return None


# A drawing's size as a page reserves it: beyond this (or not a finite number, as '1e400' is not), the size is
# not told and the picture takes its own once loaded.
_LARGEST = 100_000


def _pixels(width: str, height: str) -> tuple[int, int] | None:
    try:
        sizes = float(width), float(height)
    except ValueError:
        return None
    if not all(0 < size <= _LARGEST for size in sizes):  # False for inf and nan too
        return None
    return round(sizes[0]), round(sizes[1])
