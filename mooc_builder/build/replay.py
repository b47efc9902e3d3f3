"""What a build leaves in the output's cache for the next one: the stat of every input file (equal: nothing to
do, the outcome is replayed), and the load cache (the sequences already read)."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from mooc_builder import __version__
from mooc_builder.diagnostics import Diagnostic, Pos, Report, Severity
from mooc_builder.render.theme import code_fingerprint
from mooc_builder.write.files import CACHE, Manifest, files_on_disk

LOAD_CACHE_VERSION = f"mooc-builder {__version__} {code_fingerprint()} load cache 3"
# Pickled, not JSON: the stat of every input is read by every build and written by every build that did
# something, and for a 2,000-sequence tree (6,000 files) JSON cost 12 ms of a one-edit build, pickle 3.
INPUTS = "inputs.pickle"

Stat = tuple[int, int, int, int]


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads: each file of the content tree by its stat (size, inode, mtime, ctime: an edit
    always changes ctime), and a digest of the theme, the code and the options."""

    settings: str
    files: dict[str, Stat | None]

    @staticmethod
    def take(content: Path, settings: str) -> Inputs:
        # os.scandir, not os.walk: a one-edit build stats every file of the tree, and walk's lists and joins
        # cost a third more.
        files: dict[str, Stat | None] = {}
        folders = [str(content.absolute())]
        while folders:
            try:
                entries = os.scandir(folders.pop())
            except OSError:  # unreadable: the load says so, as os.walk skipped it
                continue
            with entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                        continue
                    try:
                        stat = entry.stat()  # a symlink: what it points to
                    except OSError:
                        files[entry.path] = None
                        continue
                    files[entry.path] = (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)
        return Inputs(settings, files)

    def changed_since(self, earlier: Inputs) -> set[Path] | None:
        """The files added, removed or changed since ``earlier``; None when the settings differ."""
        if self.settings != earlier.settings:
            return None
        now, then = self.files, earlier.files
        return {Path(p) for p in now.keys() | then.keys() if now.get(p, 0) != then.get(p, 0)}


def settings_digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def record(inputs: Inputs, report: Report, pages: int, files: int, bundles: int, courses: list[str]) -> bytes:
    """What the next build needs to replay this one when nothing changed."""
    items = [(d.severity.value, d.pos.file, d.pos.line, d.pos.col, d.message, d.hint) for d in report]
    return pickle.dumps((LOAD_CACHE_VERSION, {
        "settings": inputs.settings, "files": inputs.files, "diagnostics": items, "pages": pages, "files_made": files,
        "bundles": bundles, "courses": courses}), protocol=pickle.HIGHEST_PROTOCOL)


@dataclass(frozen=True)
class Previous:
    """The last build's record: its inputs and its outcome."""

    inputs: Inputs
    report: Report
    pages: int
    files: int
    bundles: int
    courses: list[str]  # the courses it published, in order

    @staticmethod
    def read(site: Path) -> Previous | None:
        try:
            version, data = pickle.loads((site / CACHE / INPUTS).read_bytes())  # our own file, in our own output
            if version != LOAD_CACHE_VERSION:
                return None
            report = Report()
            for severity, file, line, col, message, hint in data["diagnostics"]:
                report.items.append(Diagnostic(Severity(severity), Pos(file, line, col), message, hint))
            return Previous(Inputs(str(data["settings"]), dict(data["files"])), report, int(data["pages"]),
                            int(data["files_made"]), int(data["bundles"]), [str(c) for c in data["courses"]])
        except Exception:  # missing, damaged or from another version: the build starts afresh
            return None


def intact(site: Path) -> bool:
    """Whether the site holds exactly the files its manifest lists (none removed or added by hand)."""
    manifest = Manifest.load(site)
    return bool(manifest.files) and files_on_disk(site) == set(manifest.files)
