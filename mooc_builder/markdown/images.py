"""Pixel sizes of pictures, read from their headers, so pages reserve their space (no layout shift)."""

from __future__ import annotations

import re
import struct
from pathlib import Path


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
