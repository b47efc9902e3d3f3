"""What a page costs a learner on a slow link: its HTML, the CSS and scripts it loads, before any media.

Used by `mooc build` to print the heaviest pages and media, and by the tests that
hold sequence pages to the 60 KB budget.
"""

from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass
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


class _Files:
    """The sizes of the files pages load, each looked at once for all the pages weighed together (a site's
    pages load the same few), by their absolute path; compressed only when asked."""

    def __init__(self, site: Path) -> None:
        self.root = os.path.abspath(site)
        self._sizes: dict[str, int | None] = {}  # None: not a file of the site
        self._packed: dict[str, int] = {}

    def size(self, target: str) -> int | None:
        if target not in self._sizes:
            inside = target.startswith(self.root + os.sep) and os.path.isfile(target)  # a built site has no symlinks
            self._sizes[target] = os.path.getsize(target) if inside else None
        return self._sizes[target]

    def packed(self, target: str) -> int:
        if target not in self._packed:
            with open(target, "rb") as handle:
                self._packed[target] = len(gzip.compress(handle.read(), compresslevel=6, mtime=0))
        return self._packed[target]

    def weigh(self, page: Path, packed: bool) -> Weight:
        data = page.read_bytes()
        assets = 0
        gzipped = len(gzip.compress(data, compresslevel=6, mtime=0)) if packed else 0
        folder = os.path.abspath(page.parent)
        for link in sorted(set(_ASSET.findall(data.decode("utf-8", "replace")))):
            if link.startswith(("data:", "http:", "https:")):
                continue
            target = os.path.normpath(os.path.join(folder, link))
            size = self.size(target)
            if size is not None:
                assets += size
                gzipped += self.packed(target) if packed else 0
        return Weight(os.path.relpath(page, self.root).replace(os.sep, "/"), len(data), assets, gzipped)


def lean_asset(name: str, data: bytes) -> bytes:
    """A theme's script or style sheet as the site ships it: without the comments that fill whole lines, nor
    indents, nor blank lines (a fifth of a quiz page's scripts): what explains the code is for its readers, not
    for every learner's download. Only whole lines go and the others are only trimmed, so that nothing in a
    string or a regular expression changes; a file where a line could be inside a string (a template literal, a
    line ending in a backslash) or inside a comment opened after code is shipped as it is (a backtick in a
    comment is no template literal: the first line of code that holds one would). Other files as they are."""
    script = name.endswith(".js")
    if not (script or name.endswith(".css")):
        return data
    text = data.decode("utf-8")
    if "\\\n" in text:
        return data
    lines = text.split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if line.startswith("/*"):
            end, rest = index - 1, line[2:]
            while "*/" not in rest and end + 1 < len(lines):
                end += 1
                rest = lines[end]
            if "*/" not in rest or rest.split("*/", 1)[1].strip():
                return data  # unclosed, or code after it on its line
            index = end + 1
            continue
        if not line or (script and line.startswith("//")):
            continue
        if line.rfind("/*") > line.rfind("*/") or "`" in line:
            return data  # a comment opened after code, or a template literal: the next lines may not be code
        kept.append(line)
    return ("\n".join(kept) + "\n").encode("utf-8")


def page_weight(site: Path, page: Path, packed: bool = True) -> Weight:
    """A page's weight; ``packed=False`` leaves ``gzipped`` at 0, to rank many pages quickly."""
    return _Files(site).weigh(page, packed)


def heaviest_pages(site: Path, pages: list[Path], count: int = 3, among: int = 20) -> list[Weight]:
    """The ``count`` heaviest of ``pages``; only they are compressed. Pages are first ranked by the size of
    their HTML, which the file system tells without reading them, and the ``among`` largest are weighed with
    what they load: pages differ in what they load by a script or two, in HTML by tens of kilobytes. Reading
    every page of a 2,000-sequence site cost 90 ms of each `mooc build`, a one-edit build's third."""
    files = _Files(site)
    sizes = []
    for page in pages:
        try:
            sizes.append((page.stat().st_size, page))
        except OSError:
            continue
    largest = [page for _size, page in sorted(sizes, key=lambda item: item[0], reverse=True)[:among]]
    ranked = sorted((files.weigh(p, packed=False) for p in largest), key=lambda w: w.total, reverse=True)[:count]
    return [files.weigh(site / w.page, packed=True) for w in ranked]


def heaviest_media(site: Path, media: list[str], count: int = 3) -> list[tuple[str, int]]:
    """The ``count`` largest of ``media`` (site paths), as the site holds them."""
    ranked: list[tuple[int, str]] = []
    for name in media:
        try:
            ranked.append((os.path.getsize(site / name), name))
        except OSError:
            continue
    ranked.sort(reverse=True)
    return [(name, size) for size, name in ranked[:count]]
