"""What a page costs a learner on a slow link: its HTML, the CSS and scripts it loads, before any media.

Used by `mooc build` to print the heaviest pages and media, and by the tests that
hold sequence pages to the 60 KB budget.
"""

from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*rel="(?:stylesheet|icon)"[^>]*\shref)="([^"#?]+)"')
BUDGET = 60_000  # bytes of HTML + CSS + JS + theme images, uncompressed, before any video or document


@dataclass(frozen=True)
class Weight:
    page: str
    html: int
    assets: int
    gzipped: int

    @property
    def total(self) -> int:
        return self.html + self.assets


@cache
def _file(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(site: Path, page: Path, packed: bool = True) -> Weight:
    """A page's weight; ``packed=False`` leaves ``gzipped`` at 0, to rank many pages quickly."""
    data = page.read_bytes()
    assets = 0
    gzipped = len(gzip.compress(data, compresslevel=6, mtime=0)) if packed else 0
    root = os.path.abspath(site)
    for link in sorted(set(_ASSET.findall(data.decode("utf-8", "replace")))):
        if link.startswith(("data:", "http:", "https:")):
            continue
        target = os.path.normpath(os.path.join(os.path.abspath(page.parent), link))  # a built site has no symlinks
        if target.startswith(root + os.sep) and os.path.isfile(target):
            size, compressed = _file(Path(target))
            assets += size
            gzipped += compressed if packed else 0
    return Weight(page.relative_to(site).as_posix(), len(data), assets, gzipped)


def heaviest_pages(site: Path, pages: list[Path], count: int = 3) -> list[Weight]:
    """The ``count`` heaviest of ``pages``, ranked by size; only they are compressed."""
    ranked = sorted((page_weight(site, p, packed=False) for p in pages if p.is_file()),
                    key=lambda w: w.total, reverse=True)[:count]
    return [page_weight(site, site / w.page) for w in ranked]


def heaviest_media(site: Path, count: int = 3) -> list[tuple[str, int]]:
    ranked: list[tuple[int, str]] = []
    for folder, dirs, files in os.walk(site):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "downloads"]
        for name in files:
            if not name.startswith(".") and not name.lower().endswith((".html", ".css", ".js")):
                path = os.path.join(folder, name)
                ranked.append((os.path.getsize(path), os.path.relpath(path, site).replace(os.sep, "/")))
    ranked.sort(reverse=True)
    return [(name, size) for size, name in ranked[:count]]
