"""Download bundles for group sessions: one zip per module and one per course.

A bundle holds the videos, captions, transcripts, documents and drawings, a sheet
per sequence (its text and its quiz with answers, for a facilitator), LICENCE.txt,
CREDITS.txt, metadata.json (every file with title, licence, credit, size and sha256)
and SHA256SUMS. Bundles are reproducible (every file dated the build's source date,
in a fixed order), store media that are already compressed as they are, stream every file bigger than a megabyte so
memory stays flat whatever the size of a video, deflate what a course's zip shares with
a module's once for both (zipwriter), and are rebuilt only when one of their inputs
changed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mooc_builder import __version__
from mooc_builder.model import MediaFile, Module, Rights, Sequence
from mooc_builder.render.bundles import (
    START,
    BuiltBundle,
    BuiltFile,
    Bundle,
    Member,
    captions_script_path,
    course_relative,
    participants_path,
    plan_path,
    player_path,
    projection_path,
    sheet_path,
)
from mooc_builder.render.keys import Digests
from mooc_builder.render.plan import PageJob
from mooc_builder.render.sheets import FACILITATOR, PARTICIPANTS, PLAN, PLAYER, PROJECTION, START_PAGE, Sheets
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.zip import (
    FIXED_TIME,
    Deflated,
    Stamp,
    ZipReader,
    ZipWriter,
    check_member_path,
    deflate,
    is_stored,
)

# Bump when the layout of bundles changes, so that cached bundles are rebuilt.
LAYOUT_VERSION = 3
CHUNK = 1 << 20


@dataclass(frozen=True)
class Entry:
    """A member as it goes into the zip: ``key`` says what its bytes are made from (equal keys, the same
    bytes: the previous zip's copy may be taken as it is); ``make`` deflates the bytes of a text (a sheet,
    rendered only if it must be), else the member is copied from its source file."""

    member: Member
    key: str = ""
    make: Callable[[], Deflated] | None = None


def captions_script(caption: MediaFile) -> str:
    """A caption file as a script, for players opened from file:// (see the theme's captions.js): beside the
    caption file in the site and in a bundle, named by its site path (what the players' tracks give)."""
    # Checked as UTF-8 at load; a file changed since then is shown as well as it can be, never a crash.
    text = caption.source.read_bytes().decode("utf-8-sig", errors="replace")
    key = json.dumps(caption.output.as_posix())
    return f"window.MoocCaptions = window.MoocCaptions || {{}};\nwindow.MoocCaptions[{key}] = {json.dumps(text)};\n"


class Deflater:
    """What goes into several bundles of a course (a sheet and a small file are in the course's zip and in
    their module's) deflated once for all of them. One per course, so that it holds a course at most."""

    def __init__(self) -> None:
        self._texts: dict[str, Deflated] = {}
        self._files: dict[Path, Deflated] = {}

    def text(self, text: str) -> Deflated:
        known = self._texts.get(text)
        if known is None:
            known = self._texts[text] = deflate(text.encode("utf-8"))
        return known

    def file(self, source: Path) -> Deflated | None:
        """A small file, deflated once (None: too big to keep, streamed each time instead)."""
        known = self._files.get(source)
        if known is None:
            if source.stat().st_size > CHUNK:
                return None
            known = self._files[source] = deflate(source.read_bytes())
        return known


def members(bundle: Bundle, kit: Sheets, deflater: Deflater, keys: MemberKeys) -> list[Entry]:
    """Every file of the bundle, in order: its start page, LICENCE.txt and CREDITS.txt, then the others by
    path. Pages are rendered only when the zip is written, and only those it cannot copy from its previous
    version."""
    course = bundle.course
    roles = kit.roles(course)
    found: dict[str, Entry] = {m.path: Entry(m, keys.file(m)) for m in (*bundle.media, *bundle.assets)}
    found.update((m.path, Entry(m, keys.file(m))) for _module, m in bundle.extras)
    for caption in bundle.captions:
        path = captions_script_path(caption)
        of = found.get(course_relative(caption))
        title = f"{of.member.title if of else caption.name} ({roles['script']})"
        found[path] = Entry(Member(path, title, of.member.rights if of else None), keys.captions(caption),
                            functools.partial(_text, deflater, captions_script, caption))
    views = {job.path: job for job in bundle.projections}

    def page(path: str, title: str, rights: Rights | None, key: str, make: Callable[..., str], *args: Any) -> None:
        found[path] = Entry(Member(path, title, rights), key, functools.partial(_text, deflater, make, *args))

    for module in bundle.modules:
        if not module.sequences:
            continue
        page(plan_path(module), f"{module.title} – {roles[PLAN]}", module.rights, keys.plan(bundle, module),
             kit.plan, bundle, module)
        view = views.get(module.present_page.file)
        if view is not None:
            page(projection_path(module), f"{module.title} – {roles[PROJECTION]}", module.rights,
                 keys.projection(bundle, view), kit.projection, bundle, view)
        for sequence in module.sequences:
            title, rights = sequence.title, sequence.rights
            page(sheet_path(module, sequence), f"{title} – {roles[FACILITATOR]}", rights,
                 keys.sheet(bundle, FACILITATOR, module, sequence), kit.sheet, bundle, module, sequence)
            page(participants_path(module, sequence), f"{title} – {roles[PARTICIPANTS]}", rights,
                 keys.sheet(bundle, PARTICIPANTS, module, sequence), kit.participants, bundle, module, sequence)
            view = views.get(sequence.present_page.file)
            if view is not None:
                page(projection_path(module, sequence), f"{title} – {roles[PROJECTION]}", rights,
                     keys.projection(bundle, view), kit.projection, bundle, view)
            for number, video in enumerate(sequence.videos, start=1):
                if video.is_local:
                    page(player_path(module, sequence, number), f"{video.title} – {roles[PLAYER]}", video.rights,
                         keys.sheet(bundle, f"{PLAYER} {number}", module, sequence), kit.player, bundle, module,
                         sequence, number)
    listed = [found[key] for key in sorted(found)]
    start = Entry(Member(START, f"{bundle.title} – {roles[START_PAGE]}", course.rights), keys.start(bundle),
                  functools.partial(_text, deflater, kit.start, bundle))
    listed_members = [start.member, *(entry.member for entry in listed)]
    texts = [Entry(Member(n, n, None), "", functools.partial(
        deflate, kit.text(n, course, listed_members, bundle.module).encode("utf-8")))
        for n in ("LICENCE.txt", "CREDITS.txt")]
    return [start, *texts, *listed]


def _text(deflater: Deflater, make: Callable[..., str], *args: Any) -> Deflated:
    return deflater.text(make(*args))


@dataclass
class MemberKeys:
    """What each member's bytes are made from. A page of the bundle shows the site's header (its base_url makes
    links to what the bundle has not), its course's header, where each page of the course is and which modules
    the bundle holds (links), and what it is about: its sequence and its module's outline (a sheet, a
    player), its module (a plan), the whole bundle (the start page), or what the site's projector view shows
    (the key the planner gave it). A file is its bytes; a caption file given as a script, the caption file's.
    Every key holds the theme's fingerprint, which holds mooc-builder's code: a zip written by other code is
    never copied from."""

    digests: Digests
    hashes: FileHashes
    fingerprint: str
    site_header: str = ""

    def _page(self, bundle: Bundle, kind: str, parts: Iterable[object]) -> str:
        digests, course = self.digests, bundle.course
        return digests.combine([LAYOUT_VERSION, self.fingerprint, self.site_header, kind, _scope(bundle),
                                digests.course_header(course), digests.course_shape(course), *parts])

    def sheet(self, bundle: Bundle, kind: str, module: Module, sequence: Sequence) -> str:
        """A sequence's sheet or player (``kind``)."""
        return self._page(bundle, kind, [self.digests.module_outline(module), self.digests.sequence(sequence)])

    def plan(self, bundle: Bundle, module: Module) -> str:
        digests = self.digests
        return self._page(bundle, PLAN, [digests.module_outline(module),
                                         *(digests.sequence(s) for s in module.sequences)])

    def projection(self, bundle: Bundle, job: PageJob) -> str:
        return self._page(bundle, PROJECTION, [job.key])

    def start(self, bundle: Bundle) -> str:
        return self._page(bundle, START_PAGE, _shown(bundle, self.digests))

    def captions(self, caption: MediaFile) -> str:
        return f"{LAYOUT_VERSION} {self.fingerprint} captions {caption.output} {self.hashes.digest(caption.source)}"

    def file(self, member: Member) -> str:
        return f"{LAYOUT_VERSION} {self.fingerprint} {self.hashes.digest(_source(member))}"


def _scope(bundle: Bundle) -> tuple[str, ...]:
    """Which bundle, holding which modules: where links between sequences go."""
    return (bundle.name, *(m.id for m in bundle.modules))


def _shown(bundle: Bundle, digests: Digests) -> list[object]:
    """What a bundle's start page shows: its title, its modules and sequences, the files added to it."""
    parts: list[object] = [bundle.title, *(digests.module_outline(m) for m in bundle.modules)]
    parts += [digests.sequence(s) for m in bundle.modules for s in m.sequences]
    parts += [(module_id, m.path, m.title) for module_id, m in bundle.extras]
    return parts


def bundle_key(bundle: Bundle, hashes: FileHashes, digests: Digests, fingerprint: str, site_header: str,
               stamp: Stamp = FIXED_TIME) -> str:
    """Changes whenever any byte that would go into the bundle could change, without rendering it (its pages
    link to the site's address and its CREDITS.txt shows the site's organisation and funders: ``site_header``;
    links between sequences go where the course's shape puts them; a projector view shows what its planner's
    key says; every member is dated ``stamp``)."""
    parts: list[object] = [f"mooc-builder {__version__} bundle layout {LAYOUT_VERSION}", fingerprint, site_header,
                           stamp, bundle.name, digests.course_header(bundle.course),
                           digests.course_shape(bundle.course), *_shown(bundle, digests)]
    parts += [job.key for job in bundle.projections]
    files = [*bundle.media, *bundle.assets, *(m for _module, m in bundle.extras)]
    for member in files:
        parts.append(f"{member.path}\0{member.title}\0{_rights_label(member.rights)}\0"
                     f"{hashes.digest(_source(member))}")
    return digests.combine(parts)


def _source(member: Member) -> Path:
    assert member.source is not None
    return member.source


def _rights_label(rights: Rights | None) -> str:
    return f"{rights.licence.id} / {rights.attribution}" if rights else ""


def write(bundle: Bundle, files: list[Entry], target: Path, deflater: Deflater, previous: Path | None = None,
          previous_files: tuple[BuiltFile, ...] = (), stamp: Stamp = FIXED_TIME) -> BuiltBundle:
    """Write the zip, streaming every big file, every member dated ``stamp``; metadata.json and SHA256SUMS
    come last. A member made from the same inputs as in the ``previous`` zip (``previous_files``: its listing)
    is copied from it as it is (its date made ``stamp``): an edited sequence costs its sheet, not its
    course's."""
    listed: list[dict[str, Any]] = []
    sums: list[tuple[str, str]] = []
    keys: list[str] = []
    before = {f.path: f for f in previous_files if f.key}
    with target.open("wb") as handle, _opened(previous if before else None) as old:
        archive = ZipWriter(handle, stamp=stamp)
        for entry in files:
            member = entry.member
            name = check_member_path(f"{bundle.folder}/{member.path}")
            earlier = before.get(member.path)
            if earlier is not None and earlier.key == entry.key and old is not None and archive.add_copy(old, name):
                size, digest = earlier.size, earlier.sha256
            elif entry.make is not None:
                packed = entry.make()
                archive.add_deflated(name, packed)
                size, digest = packed.size, packed.sha256
            else:
                stored = is_stored(name)
                small = deflater.file(_source(member)) if not stored else None
                if small is not None:
                    archive.add_deflated(name, small)
                    size, digest = small.size, small.sha256
                else:
                    size, digest = archive.add_file(name, _source(member), deflated=not stored)
            listed.append({
                "path": member.path,
                "title": member.title,
                "licence": member.rights.licence.id if member.rights else None,
                "licence_url": (member.rights.licence.url or None) if member.rights else None,
                "attribution": member.rights.attribution if member.rights else None,
                "size": size,
                "sha256": digest,
            })
            keys.append(entry.key)
            sums.append((digest, member.path))
        metadata = json.dumps({
            "bundle": bundle.name,
            "title": bundle.title,
            "course": bundle.course.id,
            "course_title": bundle.course.title,
            "module": bundle.module.id if bundle.module else None,
            "language": bundle.course.language,
            "made_with": f"mooc-builder {__version__}",
            "files": listed,
        }, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
        archive.add_deflated(f"{bundle.folder}/metadata.json", deflate(metadata))
        sums.append((hashlib.sha256(metadata).hexdigest(), "metadata.json"))
        checksums = "".join(f"{digest}  {path}\n" for digest, path in sums).encode("utf-8")
        archive.add_deflated(f"{bundle.folder}/SHA256SUMS", deflate(checksums))
        archive.close()
    built = tuple(BuiltFile(m["path"], m["title"], m["size"], m["sha256"], key)
                  for m, key in zip(listed, keys, strict=True))
    return BuiltBundle(bundle, target.stat().st_size, built, reused=False)


@contextlib.contextmanager
def _opened(previous: Path | None) -> Iterator[ZipReader | None]:
    """The previous zip, to copy members from; None when there is none (or it is not a zip any more)."""
    if previous is None:
        yield None
        return
    try:
        reader = ZipReader(previous)
    except (OSError, zipfile.BadZipFile):
        yield None
        return
    with reader:
        yield reader


@dataclass
class BundleListings:
    """The file list of every bundle, kept between builds (in the courses' records, or in `mooc serve`'s
    memory), so that an unchanged bundle need not be opened and a changed one can copy its unchanged
    members from the previous zip."""

    old: dict[str, tuple[BuiltFile, ...]] = field(default_factory=dict)
    new: dict[str, tuple[BuiltFile, ...]] = field(default_factory=dict)

    def reuse(self, bundle: Bundle, size: int) -> BuiltBundle | None:
        files = self.old.get(bundle.output.as_posix())
        if files is None:
            return None
        self.remember(bundle, files)
        return BuiltBundle(bundle, size, files, reused=True)

    def remember(self, bundle: Bundle, files: tuple[BuiltFile, ...]) -> None:
        self.new[bundle.output.as_posix()] = files

    def remember_path(self, path: str, files: tuple[BuiltFile, ...]) -> None:
        self.new[path] = files

    def previous(self, bundle: Bundle) -> tuple[BuiltFile, ...]:
        """The files of the bundle as the last build made it (to copy unchanged members from)."""
        return self.old.get(bundle.output.as_posix(), ())
