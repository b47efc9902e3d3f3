"""What each download bundle holds: one zip per module and one per course, planned from the model (nothing is
rendered or zipped here: write/bundles.py does that)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mooc_builder.model import Course, MediaFile, Module, Rights, Sequence


@dataclass(frozen=True)
class Member:
    """One file of a bundle: a media file copied from ``source``, or (None) a text made for the bundle."""

    path: str
    title: str
    rights: Rights | None
    source: Path | None = None


@dataclass(frozen=True)
class Bundle:
    """What goes into one zip. Sheets and text files are made only when the zip must be written."""

    name: str
    title: str
    course: Course
    module: Module | None
    modules: tuple[Module, ...]
    media: tuple[Member, ...]

    @functools.cached_property
    def output(self) -> PurePosixPath:
        # Made once: a build asks each bundle's path several times, and `mooc serve` keeps the plan.
        return self.course.page.path / "downloads" / f"{self.name}.zip"

    @property
    def folder(self) -> str:
        """The single folder the zip unpacks into."""
        return self.name


@dataclass(frozen=True)
class BuiltFile:
    path: str
    title: str
    size: int
    sha256: str = ""
    key: str = ""  # what its bytes were made from: equal keys, the same bytes (see write/bundles.py)


@dataclass(frozen=True)
class BuiltBundle:
    bundle: Bundle
    size: int
    files: tuple[BuiltFile, ...]
    reused: bool


def course_relative(media: MediaFile) -> str:
    """Where a course's media file sits in its bundles: its path below the course folder."""
    return PurePosixPath(*media.output.parts[1:]).as_posix()


def sheet_path(module: Module, sequence: Sequence) -> str:
    return f"{module.id}/{sequence.order:02d}-{sequence.id}.html"


def media_members(sequence: Sequence, roles: Mapping[str, str]) -> list[Member]:
    """The files a sequence ships; ``roles`` names them in the course's language (poster, transcript...)."""
    members: list[Member] = []
    for video in sequence.videos:
        if video.src is None:
            continue
        members.append(Member(course_relative(video.src), video.title, video.rights, video.src.source))
        extras: list[tuple[MediaFile | None, str]] = [(video.poster, roles["poster"]),
                                                      (video.transcript, roles["transcript"])]
        extras += [(caption.file, f"{roles['captions']} ({caption.language})") for caption in video.captions]
        for media, role in extras:
            if media is not None:
                members.append(Member(course_relative(media), f"{video.title} – {role}", video.rights, media.source))
    for resource in sequence.resources:
        members.append(Member(course_relative(resource.file), resource.title, resource.rights, resource.file.source))
    for image in sequence.images:
        members.append(Member(course_relative(image), image.name, sequence.rights, image.source))
    return members


def plan(course: Course, roles: Mapping[str, str]) -> list[Bundle]:
    """The course bundle first, then one per module; nothing is rendered yet."""
    bundles = []
    scopes: list[tuple[str, str, Module | None, tuple[Module, ...]]] = [(course.id, course.title, None, course.modules)]
    scopes += [(f"{course.id}-{m.id}", m.title, m, (m,)) for m in course.modules if m.published]
    for name, title, module, modules in scopes:
        media: dict[str, Member] = {}
        for mod in modules:
            for sequence in mod.sequences:
                for member in media_members(sequence, roles):
                    media.setdefault(member.path, member)
        bundles.append(Bundle(name, title, course, module, modules, tuple(media[k] for k in sorted(media))))
    return bundles


def licences_text(members: Iterable[Member], language: str) -> list[tuple[str, str, str, str]]:
    """(id, name, url, terms) of every licence used by the members, in a stable order."""
    found = {}
    for member in members:
        if member.rights is not None:
            licence = member.rights.licence
            found[licence.id] = (licence.id, licence.name, licence.url, licence.terms_in(language))
    return [found[key] for key in sorted(found)]
