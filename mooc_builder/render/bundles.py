"""What each download bundle holds: one zip per module and one per course, planned from the model (nothing is
rendered or zipped here: write/bundles.py does that), and where each of its files sits in its folder.

A bundle is a kit for a group session, opened from the unpacked folder (file://), offline:

    index.html                              the start page: what the kit is, each sequence and its files
    LICENCE.txt, CREDITS.txt, metadata.json, SHA256SUMS
    <module>/plan.html                      the session plan
    <module>/projection.html                the whole module in the projector view
    <module>/NN-<sequence>.html             the facilitator's sheet (answers, prompts, timing)
    <module>/participants/NN-<sequence>.html    the participants' sheet (no answer)
    <module>/projection/NN-<sequence>.html      the sequence's projector view (the site's, rendered there)
    <module>/videos/NN-<sequence>-K.html        its K-th video in a player, with captions and transcript
    media/...                               videos, captions (and each as a script, .vtt.js), documents...
    assets/...                              the theme's files the projector views and players load
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mooc_builder.model import Course, Licence, MediaFile, Module, Rights, Sequence, Video
from mooc_builder.render.plan import PageJob

START = "index.html"  # the bundle's start page, at the root of its folder
# The templates of a bundle's pages that load the theme's files: a bundle holds the files they name.
KIT_TEMPLATES = ("present.html", "bundle/player.html", "bundle/index.html", "bundle/plan.html", "bundle/sheet.html",
                 "bundle/participants.html")


@dataclass(frozen=True)
class Member:
    """One file of a bundle: a media file copied from ``source``, or (None) a text made for the bundle."""

    path: str
    title: str
    rights: Rights | None
    source: Path | None = None


@dataclass(frozen=True)
class Bundle:
    """What goes into one zip. Its pages and text files are made only when the zip must be written.

    ``projections``: the projector views of its modules and sequences, as the site's planner made them
    (rendered into the bundle with the same template and values); ``assets``: the theme's files they load;
    ``captions``: the WebVTT files to give as scripts too (players read those from file://). ``extras``:
    files the build made for this bundle, added as they are and listed on its start page (a module's PDF
    handouts, say: see :func:`plan`)."""

    name: str
    title: str
    course: Course
    module: Module | None
    modules: tuple[Module, ...]
    media: tuple[Member, ...]
    projections: tuple[PageJob, ...] = ()
    assets: tuple[Member, ...] = ()
    captions: tuple[MediaFile, ...] = ()
    extras: tuple[tuple[str, Member], ...] = ()  # (module id, file)

    def extras_of(self, module: Module) -> list[Member]:
        return [member for module_id, member in self.extras if module_id == module.id]

    @functools.cached_property
    def output(self) -> PurePosixPath:
        # Made once: a build asks each bundle's path several times, and `mooc serve` keeps the plan.
        if self.module is not None:
            return self.module.bundle_file  # where the module's page links to it
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


def _name(sequence: Sequence) -> str:
    return f"{sequence.order:02d}-{sequence.id}"


def sheet_path(module: Module, sequence: Sequence) -> str:
    """The facilitator's sheet of a sequence."""
    return f"{module.id}/{_name(sequence)}.html"


def participants_path(module: Module, sequence: Sequence) -> str:
    return f"{module.id}/participants/{_name(sequence)}.html"


def projection_path(module: Module, sequence: Sequence | None = None) -> str:
    """The projector view of a sequence, or of its whole module (None)."""
    return f"{module.id}/projection.html" if sequence is None else f"{module.id}/projection/{_name(sequence)}.html"


def player_path(module: Module, sequence: Sequence, number: int) -> str:
    """The page that plays a sequence's ``number``-th video (from 1)."""
    return f"{module.id}/videos/{_name(sequence)}-{number}.html"


def plan_path(module: Module) -> str:
    """The session plan of a module."""
    return f"{module.id}/plan.html"


def captions_script_path(caption: MediaFile) -> str:
    """A caption file given as a script, beside it (see write.bundles.captions_script)."""
    return f"{course_relative(caption)}.js"


class KitPaths:
    """The paths above, as the bundle's templates ask for them (``paths.player(module, sequence, 1)``)."""

    start = START
    facilitator = staticmethod(sheet_path)
    participants = staticmethod(participants_path)
    projection = staticmethod(projection_path)
    player = staticmethod(player_path)
    plan = staticmethod(plan_path)


def bundle_videos(course: Course) -> str:
    """What the course's bundles hold of a video with a light variant: "both", "light" or "original"
    (course.yml ``light_videos: bundles:``)."""
    return course.light_videos.bundles if course.light_videos is not None else "both"


def shipped(video: Video, held: str) -> tuple[MediaFile | None, MediaFile | None]:
    """The original and the light variant a bundle holding ``held`` ships of ``video`` (None: not shipped);
    a video without a variant always ships its original."""
    if video.light is None:
        return video.src, None
    return (None if held == "light" else video.src), (None if held == "original" else video.light)


def video_files(video: Video, held: str) -> tuple[MediaFile, ...]:
    """The video's files a bundle holding ``held`` ships: Video.files less the quality it leaves out."""
    left_out = {m for m in (video.src, video.light) if m is not None} - set(shipped(video, held))
    return tuple(m for m in video.files if m not in left_out)


def media_members(sequence: Sequence, roles: Mapping[str, str], held: str = "both") -> list[Member]:
    """The files a sequence ships; ``roles`` names them in the course's language (poster, transcript...);
    ``held``: which of a video's qualities (see bundle_videos)."""
    members: list[Member] = []
    for video in sequence.videos:
        if video.src is None:
            continue
        original, light = shipped(video, held)
        if original is not None:
            members.append(Member(course_relative(original), video.title, video.rights, original.source))
        extras: list[tuple[MediaFile | None, str]] = [(light, roles["light"]), (video.poster, roles["poster"]),
                                                      (video.transcript, roles["transcript"])]
        extras += [(caption.file, f"{roles['captions']} ({caption.language})") for caption in video.captions]
        extras += [(video.chapters, roles["chapters"]), (video.described_audio, roles["described_audio"])]
        extras += [(d.file, f"{roles['descriptions']} ({d.language})" if d.language else roles["descriptions"])
                   for d in video.descriptions]
        for media, role in extras:
            if media is not None:
                members.append(Member(course_relative(media), f"{video.title} – {role}", video.rights, media.source))
    for resource in sequence.resources:
        members.append(Member(course_relative(resource.file), resource.title, resource.rights, resource.file.source))
    for image in (*sequence.images, *(d for d in sequence.quiz_drawings if d not in sequence.images)):
        members.append(Member(course_relative(image), image.name, sequence.rights, image.source))
    # The smaller copies of its photos: the bundle's pages offer them as the site's do; the picture's credit
    # says theirs (no rights: not listed as files of their own in CREDITS.txt).
    for variant in sequence.picture_variants:
        members.append(Member(course_relative(variant), variant.name, None, variant.source))
    return members


def plan(course: Course, roles: Mapping[str, str], projections: Mapping[str, PageJob] | None = None,
         assets: tuple[Member, ...] = (), extras: Mapping[str, tuple[Member, ...]] | None = None) -> list[Bundle]:
    """The course bundle first, then one per module; nothing is rendered yet.

    ``projections``: the planner's jobs by site path (those of the modules' and sequences' projector views are
    taken); ``assets``: the theme's files they load. ``extras``, by module id: files the build made for a
    module (its PDF handouts, say), which go into its bundle and the course's, under their ``path``, and are
    listed on the start page: Member(path, title, rights, source file), keyed by the source's bytes.
    """
    jobs = projections or {}
    more = extras or {}
    bundles = []
    scopes: list[tuple[str, str, Module | None, tuple[Module, ...]]] = [(course.id, course.title, None, course.modules)]
    scopes += [(f"{course.id}-{m.id}", m.title, m, (m,)) for m in course.modules if m.published]
    for name, title, module, modules in scopes:
        media: dict[str, Member] = {}
        captions: dict[str, MediaFile] = {}
        views: list[PageJob] = []
        for mod in modules:
            pages = [mod.present_page] if mod.sequences else []
            for sequence in mod.sequences:
                for member in media_members(sequence, roles, bundle_videos(course)):
                    media.setdefault(member.path, member)
                captions.update((f.output.as_posix(), f) for v in sequence.videos for f in v.track_files)
                pages.append(sequence.present_page)
            views += [jobs[p.file.as_posix()] for p in pages if p.file.as_posix() in jobs]
        added = tuple((mod.id, member) for mod in modules for member in more.get(mod.id, ()))
        bundles.append(Bundle(name, title, course, module, modules, tuple(media[k] for k in sorted(media)),
                              tuple(views), assets if views else (), tuple(captions[k] for k in sorted(captions)),
                              added))
    return bundles


def licences_text(members: Iterable[Member]) -> list[Licence]:
    """Every licence used by the members, in a stable order."""
    found = {}
    for member in members:
        if member.rights is not None:
            found[member.rights.licence.id] = member.rights.licence
    return [found[key] for key in sorted(found)]
