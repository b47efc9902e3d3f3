"""The files a build makes from the author's media before it renders anything: each deriver of media/ in
turn (see media/making.py)."""

from __future__ import annotations

from collections.abc import Sequence

from mooc_builder.media.drawings import derive_svg
from mooc_builder.media.making import Deriver, Deriving
from mooc_builder.media.pictures import derive_pictures
from mooc_builder.media.video_variants import derive_videos
from mooc_builder.model import Site

# Drawings are cleaned first: a poster or a picture is then made from the clean one.
DERIVERS: tuple[Deriver, ...] = (derive_svg, derive_videos, derive_pictures)


def derive(site: Site, deriving: Deriving, derivers: Sequence[Deriver] | None = None) -> Site:
    """The site with every made file in it: light videos, posters, pictures for each width, cleaned SVG."""
    for deriver in DERIVERS if derivers is None else derivers:
        site = deriver(site, deriving)
    return site
