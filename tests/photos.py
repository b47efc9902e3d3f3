"""Test photos made with Pillow in a test's folder (the repository holds no binary): gradients and noise, so
that their sizes in bytes are a photo's, not a flat colour's."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

# EXIF's orientation tag, and the value that says "turn it a quarter clockwise to show it" (a phone held
# upright: the sensor's landscape picture is shown portrait).
ORIENTATION = 0x0112
TURNED = 6


def make_photo(path: Path, width: int = 2400, height: int = 1600, orientation: int | None = None) -> Path:
    """A photo-like JPEG, PNG or WebP (by ``path``'s extension) of ``width`` x ``height`` pixels as stored;
    ``orientation``: an EXIF orientation written into a JPEG."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    blue = Image.blend(red.rotate(90, expand=False), noise, 0.5)
    image = Image.merge("RGB", (Image.blend(red, noise, 0.3), Image.blend(green, noise, 0.3), blue))
    kind = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}[path.suffix.lower()]
    options: dict[str, object] = {"quality": 92} if kind == "JPEG" else {}
    if orientation is not None:
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        options["exif"] = exif.tobytes()
    image.save(path, format=kind, **options)
    return path
