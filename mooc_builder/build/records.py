"""What a one-off build keeps of each course, so that the next one, finding that an edit touched one course
only, reads, plans and writes that course alone and keeps the others as they are (without reading what they
were made of: in a catalogue of many courses, an edit costs its course, not the catalogue).

In the output's cache, each course has a small record (``courses/<id>.record``: what its load reported, the
files it read, the site files it made with their keys, its bundles' lists, its media) and its share of the
load cache (``courses/<id>.load``: its sequences as read); ``site.load`` holds the rest (the tree as
discovered, site.yml).
"""

from __future__ import annotations

import contextlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.build.replay import LOAD_CACHE_VERSION, Inputs
from mooc_builder.load.cache import CourseMemo, LoadCache
from mooc_builder.model import Course, MediaFile
from mooc_builder.render.bundles import BuiltFile
from mooc_builder.write.files import CACHE

PartPlan = tuple[str, list[tuple[str, str]]]
COURSES = "courses"
SITE_SHARD = "site.load"


@dataclass
class CourseRecord:
    """What a build made of one course (see the module's documentation)."""

    load: CourseMemo
    parts: dict[str, PartPlan]  # its pages, by part, as plan_pages keeps them
    files: list[tuple[str, str]]  # its other site files (kit page, bundles, packages) with their keys
    listings: dict[str, tuple[BuiltFile, ...]]  # its bundles' lists, by site path
    media: list[MediaFile]  # the media its pages show, which the site copies
    captions: list[MediaFile]  # its WebVTT files (captions, chapters, descriptions), also given as scripts
    pages: int = 0
    bundles: int = 0


@dataclass
class Records:
    """Every course's record, as the last one-off build left them, and the load cache shares to read."""

    courses: dict[str, CourseRecord] = field(default_factory=dict)

    @staticmethod
    def read(site: Path | None) -> Records:
        records = Records()
        if site is None:
            return records
        folder = site / CACHE / COURSES
        with contextlib.suppress(OSError):
            for path in sorted(folder.glob("*.record")):
                record = _unpickle(path)
                if isinstance(record, CourseRecord):
                    records.courses[path.stem] = record
        return records


def scope(changed: set[Path] | None, now: Inputs, before: Inputs, records: Records, previous_courses: list[str],
          content: Path) -> set[str] | None:
    """The courses an edit touched, when it touched some of them only and nothing of the site around them
    (site.yml, the theme, the options, a file added, removed or renamed); None: build everything."""
    if not changed or set(records.courses) != set(previous_courses):
        return None
    site_yml = content.absolute() / "site.yml"
    dirty: set[str] = set()
    for path in changed:
        key = str(path)
        if path == site_yml or before.files.get(key) is None or now.files.get(key) is None:
            return None  # the site's own file, or a file added or removed: the tree may have changed
        touched = {course for course, record in records.courses.items() if key in record.load.files}
        if not touched:
            return None  # a file no course was made from, yet it changed: look at everything
        dirty |= touched
    return dirty if len(dirty) < len(records.courses) else None


def shard_of(path: Path, courses_folder: Path) -> str:
    """The course a file of the content belongs to (its share of the load cache), else the site's."""
    try:
        relative = path.relative_to(courses_folder)
    except ValueError:
        return ""
    return relative.parts[0] if relative.parts else ""


def split(cache: LoadCache, content: Path) -> dict[str, LoadCache]:
    """The load cache in shares: one per course, and the site's ('')."""
    folder = content.absolute() / "courses"
    shares: dict[str, LoadCache] = {"": LoadCache(shape=cache.shape)}
    for kind in ("sequences", "yaml", "modules"):
        for path, memo in getattr(cache, kind).items():
            share = shares.setdefault(shard_of(path, folder), LoadCache())
            getattr(share, kind)[path] = memo
    return shares


def read_shares(site: Path, names: list[str] | None) -> LoadCache:
    """The load cache of the site's share and of the courses ``names`` (None: all)."""
    cache = LoadCache()
    folder = site / CACHE / COURSES
    found = sorted(folder.glob("*.load")) if names is None else [folder / f"{name}.load" for name in names]
    paths = [site / CACHE / SITE_SHARD, *found]
    for path in paths:
        share = _unpickle(path)
        if not isinstance(share, LoadCache):
            continue
        cache.sequences.update(share.sequences)
        cache.yaml.update(share.yaml)
        cache.modules.update(share.modules)
        cache.shape = share.shape or cache.shape
    return cache


def dump(value: object) -> bytes:
    return pickle.dumps((LOAD_CACHE_VERSION, value), protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle(path: Path) -> object:
    with contextlib.suppress(Exception):  # any damage: that part is read and made again
        with path.open("rb") as handle:
            version, value = pickle.load(handle)  # our own file, in our own output
        if version == LOAD_CACHE_VERSION:
            return value
    return None


def course_media(course: Course) -> tuple[list[MediaFile], list[MediaFile]]:
    """The media a course's pages show, and its WebVTT files (captions, chapters, descriptions)."""
    media: dict[object, MediaFile] = {}
    captions: dict[object, MediaFile] = {}
    for sequence in course.sequences:
        files: list[MediaFile | None] = [*sequence.pictures]
        for video in sequence.videos:
            files += video.files
            captions.update((f.output, f) for f in video.track_files)
        files += [r.file for r in sequence.resources]
        media.update((m.output, m) for m in files if m is not None)
    return list(media.values()), list(captions.values())
