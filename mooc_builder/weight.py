"""What a page costs a learner on a slow link: its HTML, the CSS and scripts it loads, before any media.

Used by `mooc build` to print the heaviest pages and media, and by the tests that
hold sequence pages to the 60 KB budget.
"""

from __future__ import annotations

import gzip
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


def page_weight(site: Path, page: Path) -> Weight:
    data = page.read_bytes()
    assets = 0
    gzipped = len(gzip.compress(data, compresslevel=6, mtime=0))
    for link in sorted(set(_ASSET.findall(data.decode("utf-8", "replace")))):
        if link.startswith(("data:", "http:", "https:")):
            continue
        target = (page.parent / link).resolve()
        if target.is_file() and target.is_relative_to(site.resolve()):
            size, packed = _file(target)
            assets += size
            gzipped += packed
    return Weight(page.relative_to(site).as_posix(), len(data), assets, gzipped)


def heaviest_media(site: Path, count: int = 3) -> list[tuple[str, int]]:
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix.lower() not in (".html", ".css", ".js")
             and not any(part.startswith(".") or part == "downloads" for part in p.relative_to(site).parts)]
    ranked = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in files), reverse=True)
    return [(name, size) for size, name in ranked[:count]]
