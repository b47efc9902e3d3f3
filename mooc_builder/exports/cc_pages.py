"""The web pages of an IMS Common Cartridge (exports/cc.py), and the files each of them uses.

A sequence's page in a cartridge is its embed page (embed.html: no site header, breadcrumbs, pager or module
menu, so nothing takes the learner out of the LMS's frame), rendered in the cartridge flavour (every link
opens outside that frame, each document shows its licence, no link back to the site) at ``COURSE/MODULE/
SEQUENCE.html``, beside the site's folder of the same name (a sequence id holds no '.', so no site path is
ever one of these). Its links go to what the package holds: another sequence's page, a media file, the theme's
files; anything else (the course's home, its progress page...) to the published site when site.yml gives a
``base_url``, else nowhere (a Markdown link becomes its text).

:func:`cartridge_pages` renders them (the course's build calls it when the export's flavour asks,
build/export.py); :func:`local_references` lists what a rendered page loads or links to inside the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from mooc_builder.model import Course, MediaFile, Sequence, Site
from mooc_builder.render.links import Place, located, relative
from mooc_builder.render.plan import PageJob
from mooc_builder.render.renderer import Renderer


def page_path(sequence: Sequence) -> str:
    """Where a sequence's page is in the cartridge."""
    return f"{sequence.page.path.as_posix()}.html"


def sequence_media(sequence: Sequence) -> Iterator[MediaFile]:
    """Every file of the content tree a sequence's page shows or offers."""
    for video in sequence.videos:
        yield from video.files
    yield from (r.file for r in sequence.resources)
    yield from sequence.pictures


def held_files(course: Course) -> set[str]:
    """The site paths of the course's files a cartridge holds: its sequences' media, and each caption file's
    script (browsers refuse a caption file from file://, and captions.js reads the script instead)."""
    held: set[str] = set()
    for sequence in course.sequences:
        held.update(m.output.as_posix() for m in sequence_media(sequence))
        for video in sequence.videos:
            held.update(f"{f.output.as_posix()}.js" for f in video.track_files)
    return held


class _Locator:
    """Where a site path is from a cartridge's page: its place in the package, an address on the published
    site, or None (see links.Place)."""

    def __init__(self, site: Site, course: Course) -> None:
        self.pages: dict[str, str] = {}
        for sequence in course.sequences:
            for page in (sequence.page, sequence.embed_page, sequence.quiz_embed_page):
                self.pages[page.file.as_posix()] = page_path(sequence)
        self.held = held_files(course)
        self.base_url = site.base_url
        self.pretty = site.pretty_urls

    def __call__(self, site_path: str) -> str | None:
        found = self.pages.get(site_path)
        if found is not None:
            return found
        if site_path in self.held or site_path.startswith("assets/"):
            return located(site_path)
        if not self.base_url:
            return None
        return f"{self.base_url}/{relative(site_path, '.', self.pretty).removeprefix('./')}"


def cartridge_pages(renderer: Renderer, site: Site, course: Course, jobs: Iterable[PageJob]
                    ) -> Iterator[tuple[str, str]]:
    """(package path, text) of each sequence's page, rendered from its embed page's job among ``jobs``."""
    embeds = {s.embed_page.file: s for s in course.sequences}
    locate = _Locator(site, course)
    for job in jobs:
        sequence = embeds.get(job.path)
        if sequence is None:
            continue
        path = page_path(sequence)
        yield path, renderer.render(job, Place(PurePosixPath(path), locate, home=path))


# Attributes whose value is a link the browser follows or loads (data-captions-js, data-track-js: the script
# that captions.js, descriptions.js load in place of a WebVTT file).
_LINKING = frozenset({"href", "src", "poster", "data-captions-js", "data-track-js"})


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in _LINKING and value:
                self.found.append(value)
        if tag == "source" or tag == "img":
            srcset = dict(attrs).get("srcset")
            if srcset:
                self.found += [part.split()[0] for part in srcset.split(",") if part.strip()]


def local_references(page: str, text: str) -> list[str]:
    """The package paths a page at package path ``page`` links to or loads, each once, in order: relative
    links only (an address with a scheme, a fragment alone or a query go elsewhere). A link from the host's
    root or one that climbs out of the package comes back as written, naming no file of the package."""
    parser = _References()
    parser.feed(text)
    parser.close()
    base = PurePosixPath(page).parent
    seen: dict[str, None] = {}
    for link in parser.found:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        seen.setdefault(_resolve(base, unquote(parts.path)), None)
    return list(seen)


# url(...) in a style sheet, quoted or not.
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")


def style_references(sheet: str, text: str) -> list[str]:
    """The package paths a style sheet at ``sheet`` loads (url(...)), as local_references says them."""
    base = PurePosixPath(sheet).parent
    seen: dict[str, None] = {}
    for match in _CSS_URL.finditer(text):
        link = next(g for g in match.groups() if g is not None)
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        seen.setdefault(_resolve(base, unquote(parts.path)), None)
    return list(seen)


def _resolve(base: PurePosixPath, path: str) -> str:
    """``path`` (relative to folder ``base`` of the package) as a package path; a path from the host's root
    ('/...') or one that climbs above the package comes back as given, and so names no file of it."""
    if path.startswith("/"):
        return path
    joined = list(base.parts)
    for segment in path.split("/"):
        if segment == "..":
            if not joined:
                return path
            joined.pop()
        elif segment not in ("", "."):
            joined.append(segment)
    return "/".join(joined)
