"""Where the site's pages and files are in a download bundle, and so where a link from one of the bundle's pages
goes (see render/bundles.py for the bundle's layout).

A link to a page the bundle has goes to its place there: a sequence's page to the sequence's sheet (the
participants' sheet from a participants' sheet, the facilitator's from every other page), a projector view to
the bundle's projector view, a module's page and the course's to the start page, the course's licences to
CREDITS.txt, a media file to its copy. A link to a page the bundle has not (a sequence of another module, in
a module's bundle) goes to that page on the published site when site.yml gives a ``base_url``, else nowhere: a
Markdown link is then shown as its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mooc_builder.model import Course, MediaFile, Sequence, Site
from mooc_builder.render.bundles import (
    START,
    Bundle,
    bundle_videos,
    captions_script_path,
    course_relative,
    participants_path,
    projection_path,
    sheet_path,
    video_files,
)
from mooc_builder.render.links import Place, located, relative


@dataclass(frozen=True)
class Spot:
    """Where a site page is in a course's bundles: ``path`` (``participants``: for a participants' sheet), in
    the bundles that hold module ``module`` (None: in every bundle of the course)."""

    path: str
    participants: str
    module: str | None


@dataclass(frozen=True)
class Holders:
    """Where a media file (or a caption file's script) is in a course's bundles, and which modules use it."""

    path: str
    modules: frozenset[str]


@dataclass
class CoursePlaces:
    """Where each page and file of a course is in its bundles; made once per course and build."""

    course: Course
    pages: dict[str, Spot] = field(default_factory=dict)
    files: dict[str, Holders] = field(default_factory=dict)

    @staticmethod
    def of(course: Course) -> CoursePlaces:
        places = CoursePlaces(course)
        pages = places.pages
        for page in (course.page, course.kit_page):
            pages[page.file.as_posix()] = Spot(START, START, None)
        pages[course.credits_page.file.as_posix()] = Spot("CREDITS.txt", "CREDITS.txt", None)
        users: dict[str, tuple[str, set[str]]] = {}
        for module in course.modules:
            start = f"{START}#mooc-module-{module.id}"
            pages[module.page.file.as_posix()] = Spot(start, start, module.id)
            view = projection_path(module)
            pages[module.present_page.file.as_posix()] = Spot(view, view, module.id)
            for sequence in module.sequences:
                pages[sequence.page.file.as_posix()] = Spot(sheet_path(module, sequence),
                                                            participants_path(module, sequence), module.id)
                view = projection_path(module, sequence)
                pages[sequence.present_page.file.as_posix()] = Spot(view, view, module.id)
                for media in _media(sequence, bundle_videos(course)):
                    users.setdefault(media.output.as_posix(), (course_relative(media), set()))[1].add(module.id)
                for video in sequence.videos:
                    for track in video.track_files:
                        script = f"{track.output.as_posix()}.js"
                        users.setdefault(script, (captions_script_path(track), set()))[1].add(module.id)
        places.files = {path: Holders(where, frozenset(modules)) for path, (where, modules) in users.items()}
        return places


def _media(sequence: Sequence, held: str) -> Iterator[MediaFile]:
    """Every file a sequence shows that its bundles hold (``held``: which of a video's qualities)."""
    for video in sequence.videos:
        yield from video_files(video, held)
    yield from (r.file for r in sequence.resources)
    yield from sequence.pictures


class Lookup:
    """Where the site paths a page of a bundle links to are, from that page: ``own`` is the module the page
    belongs to (None: the bundle's own pages). ``outside`` says whether any answer depended on which other
    modules the bundle holds: a page that asked nothing of the kind is the same in the course's bundle and in
    its module's, and is rendered once for both."""

    def __init__(self, places: BundlePlaces, own: str | None, participants: bool) -> None:
        self.places = places
        self.own = own
        self.participants = participants
        self.outside = False

    def __call__(self, site_path: str) -> str | None:
        places = self.places
        spot = places.course.pages.get(site_path)
        if spot is not None:
            if spot.module is not None and spot.module != self.own:
                self.outside = True
            if spot.module is None or spot.module in places.modules:
                return spot.participants if self.participants else spot.path
            return places.elsewhere(site_path)
        held = places.course.files.get(site_path)
        if held is not None:
            if self.own not in held.modules:
                self.outside = True
            if held.modules & places.modules:
                return located(held.path)
            return places.elsewhere(site_path)
        if site_path.startswith("assets/") and site_path in places.assets:
            return located(site_path)
        return places.elsewhere(site_path)


@dataclass
class BundlePlaces:
    """Where the site's pages and files are in one bundle."""

    course: CoursePlaces
    modules: frozenset[str]
    assets: frozenset[str]  # the theme's files it holds, by site path (assets/...)
    base_url: str
    pretty: bool

    @staticmethod
    def of(site: Site, places: CoursePlaces, bundle: Bundle) -> BundlePlaces:
        return BundlePlaces(places, frozenset(m.id for m in bundle.modules), frozenset(a.path for a in bundle.assets),
                            site.base_url, site.pretty_urls)

    def elsewhere(self, site_path: str) -> str | None:
        """A site path the bundle has not: its address on the published site, or None without a base_url."""
        if not self.base_url:
            return None
        return f"{self.base_url}/{relative(site_path, '.', self.pretty).removeprefix('./')}"

    def place(self, path: str, own: str | None, participants: bool = False) -> tuple[Place, Lookup]:
        """How a page at ``path`` in the bundle links (and what it asked, once rendered)."""
        lookup = Lookup(self, own, participants)
        return Place(PurePosixPath(path), lookup, START), lookup
