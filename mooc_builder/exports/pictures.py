"""Small pictures the offline hubs show beside a course: a ZIM's 48x48 illustration in Kiwix's library, a
Kolibri channel's and app's thumbnail. Made from the author's own pictures: a video poster, the
organisation's logo, drawn from SVG too (most logos are SVG) with resvg (PyPI resvg-py, a wheel that carries
its renderer: nothing to install on Windows), else from pixels with Pillow (which WeasyPrint brings).

An SVG is drawn without its external references but those beside it, with the system's fonts; one that
resvg cannot read is skipped, as a broken picture is, and the caller falls back on what it has.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from mooc_builder.model import MediaFile

if TYPE_CHECKING:
    from PIL.Image import Image

RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif")
# An SVG's own size is a hint: it is drawn this many times larger than its box before being scaled down, so
# that thin lines and small text stay legible.
OVERSAMPLE = 4


def picture(media: MediaFile, box: tuple[int, int]) -> Image | None:
    """``media`` as RGBA pixels, at most ``box`` (width, height), its proportions kept; None when it is not a
    picture that can be read."""
    from PIL import Image as PILImage

    suffix = media.source.suffix.lower()
    try:
        if suffix == ".svg":
            import resvg_py

            data = resvg_py.svg_to_bytes(svg_path=str(media.source), width=box[0] * OVERSAMPLE,
                                         height=box[1] * OVERSAMPLE,
                                         resources_dir=str(media.source.parent))
            opened = PILImage.open(io.BytesIO(bytes(data)))
        elif suffix in RASTER:
            opened = PILImage.open(media.source)
        else:
            return None
        with opened:
            image = opened.convert("RGBA")
    except (OSError, ValueError, SyntaxError):
        return None
    image.thumbnail(box, PILImage.Resampling.LANCZOS)
    return image


def fitted(image: Image, box: tuple[int, int], ground: tuple[int, int, int, int]) -> Image:
    """``image`` centred on a ``box`` of ``ground`` colour."""
    from PIL import Image as PILImage

    canvas = PILImage.new("RGBA", box, ground)
    canvas.paste(image, ((box[0] - image.width) // 2, (box[1] - image.height) // 2), image)
    return canvas


def png(image: Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(image: Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
