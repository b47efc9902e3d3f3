"""Download bundles for group sessions: one zip per module and one per course.

A bundle holds the videos, captions, transcripts, documents and drawings, a sheet
per sequence (its text and its quiz with answers, for a facilitator), LICENCE.txt,
CREDITS.txt, metadata.json (every file with title, licence, credit, size and sha256)
and SHA256SUMS. Bundles are reproducible (fixed timestamps and order), store media
that are already compressed as they are, stream every file bigger than a megabyte so
memory stays flat whatever the size of a video, deflate what a course's zip shares with
a module's once for both (zipwriter), and are rebuilt only when one of their inputs
changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mooc_builder import __version__
from mooc_builder.model import Course, Module, Rights, Sequence
from mooc_builder.render.bundles import BuiltBundle, BuiltFile, Bundle, Member, sheet_path
from mooc_builder.render.keys import Digests
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.zip import Deflated, ZipWriter, check_member_path, deflate, is_stored

# Bump when the layout of bundles changes, so that cached bundles are rebuilt.
LAYOUT_VERSION = 2
CHUNK = 1 << 20


SheetMaker = Callable[[Course, Module, Sequence], str]
TextMaker = Callable[[str, Course, "list[Member]", Module | None], str]


@dataclass(frozen=True)
class Entry:
    """A member as it goes into the zip: ``packed`` when its bytes are already deflated (the texts made for
    the bundle, the sheets), else copied from its source file."""

    member: Member
    packed: Deflated | None = None


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


def members(bundle: Bundle, sheet: SheetMaker, text: TextMaker, deflater: Deflater) -> list[Entry]:
    """Every file of the bundle, in order: texts, then sheets and media by path."""
    found: dict[str, Entry] = {m.path: Entry(m) for m in bundle.media}
    for module in bundle.modules:
        for sequence in module.sequences:
            path = sheet_path(module, sequence)
            found[path] = Entry(Member(path, sequence.title, sequence.rights),
                                deflater.text(sheet(bundle.course, module, sequence)))
    listed = [found[key] for key in sorted(found)]
    listed_members = [entry.member for entry in listed]
    extra = [Entry(Member(n, n, None), deflate(text(n, bundle.course, listed_members, bundle.module).encode("utf-8")))
             for n in ("LICENCE.txt", "CREDITS.txt")]
    return extra + listed


def bundle_key(bundle: Bundle, hashes: FileHashes, digests: Digests, fingerprint: str) -> str:
    """Changes whenever any byte that would go into the bundle could change, without rendering it."""
    parts: list[object] = [f"mooc-builder {__version__} bundle layout {LAYOUT_VERSION}", fingerprint,
                           bundle.name, bundle.title, digests.course_header(bundle.course)]
    parts += [digests.module_outline(m) for m in bundle.modules]
    parts += [digests.sequence(s) for m in bundle.modules for s in m.sequences]
    for member in bundle.media:
        parts.append(f"{member.path}\0{member.title}\0{_rights_label(member.rights)}\0"
                     f"{hashes.digest(_source(member))}")
    return digests.combine(parts)


def _source(member: Member) -> Path:
    assert member.source is not None
    return member.source


def _rights_label(rights: Rights | None) -> str:
    return f"{rights.licence.id} / {rights.attribution}" if rights else ""


def write(bundle: Bundle, files: list[Entry], target: Path, deflater: Deflater) -> BuiltBundle:
    """Write the zip, streaming every big file; metadata.json and SHA256SUMS come last."""
    listed: list[dict[str, Any]] = []
    sums: list[tuple[str, str]] = []
    with target.open("wb") as handle:
        archive = ZipWriter(handle)
        for entry in files:
            member = entry.member
            name = check_member_path(f"{bundle.folder}/{member.path}")
            stored = is_stored(name)
            packed = entry.packed
            if packed is None and not stored:
                packed = deflater.file(_source(member))
            if packed is not None:
                archive.add_deflated(name, packed)
                size, digest = packed.size, packed.sha256
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
    built = tuple(BuiltFile(m["path"], m["title"], m["size"]) for m in listed)
    return BuiltBundle(bundle, target.stat().st_size, built, reused=False)


@dataclass
class BundleListings:
    """The file list of every bundle, kept between builds so an unchanged bundle need not be opened.

    ``old`` holds lists as read from the cache, or, from a build kept in memory (`mooc serve`), the files
    themselves: a catalogue's bundles list tens of thousands of files, made again at each build otherwise."""

    old: dict[str, list[Any] | tuple[BuiltFile, ...]] = field(default_factory=dict)
    new: dict[str, tuple[BuiltFile, ...]] = field(default_factory=dict)

    @staticmethod
    def load(path: Path | None) -> BundleListings:
        listings = BundleListings()
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                listings.old = {str(k): list(v) for k, v in data.items()}
            except (OSError, ValueError, AttributeError, TypeError):
                pass
        return listings

    def reuse(self, bundle: Bundle, size: int) -> BuiltBundle | None:
        entry = self.old.get(bundle.output.as_posix())
        if entry is None:
            return None
        if isinstance(entry, tuple):
            files = entry
        else:
            try:
                files = tuple(BuiltFile(str(p), str(t), int(n)) for p, t, n in entry)
            except (TypeError, ValueError):
                return None
        self.remember(bundle, files)
        return BuiltBundle(bundle, size, files, reused=True)

    def remember(self, bundle: Bundle, files: tuple[BuiltFile, ...]) -> None:
        self.new[bundle.output.as_posix()] = files

    def dump(self) -> str:
        return json.dumps({name: [[f.path, f.title, f.size] for f in files] for name, files in self.new.items()},
                          sort_keys=True, ensure_ascii=False)


