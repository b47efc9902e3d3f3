"""What a build leaves in the output's cache for the next one: the stat of every input file (equal: nothing to
do, the outcome is replayed), and the load cache (the sequences already read)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from mooc_builder import __version__
from mooc_builder.diagnostics import Diagnostic, Pos, Report, Severity
from mooc_builder.render.theme import code_fingerprint
from mooc_builder.write.files import CACHE, Manifest, files_on_disk

LOAD_CACHE_VERSION = f"mooc-builder {__version__} {code_fingerprint()} load cache 2"
INPUTS = "inputs.json"

Stat = tuple[int, int, int, int]


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads: each file of the content tree by its stat (size, inode, mtime, ctime: an edit
    always changes ctime), and a digest of the theme, the code and the options."""

    settings: str
    files: dict[str, Stat | None]

    @staticmethod
    def take(content: Path, settings: str) -> Inputs:
        files: dict[str, Stat | None] = {}
        root = str(content.absolute())
        for folder, dirs, names in os.walk(root, followlinks=False):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)  # a symlink: what it points to
                except OSError:
                    files[path] = None
                    continue
                files[path] = (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)
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
    items = [[d.severity.value, d.pos.file, d.pos.line, d.pos.col, d.message, d.hint] for d in report]
    return json.dumps({"settings": inputs.settings, "files": inputs.files, "diagnostics": items, "pages": pages,
                       "files_made": files, "bundles": bundles, "courses": courses},
                      ensure_ascii=False).encode("utf-8")


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
            data = json.loads((site / CACHE / INPUTS).read_text(encoding="utf-8"))
            files = {str(k): (tuple(v) if v is not None else None) for k, v in data["files"].items()}
            report = Report()
            for severity, file, line, col, message, hint in data["diagnostics"]:
                report.items.append(Diagnostic(Severity(severity), Pos(file, line, col), message, hint))
            return Previous(Inputs(str(data["settings"]), files), report, int(data["pages"]),
                            int(data["files_made"]), int(data["bundles"]), [str(c) for c in data["courses"]])
        except (OSError, ValueError, KeyError, TypeError):
            return None


def intact(site: Path) -> bool:
    """Whether the site holds exactly the files its manifest lists (none removed or added by hand)."""
    manifest = Manifest.load(site)
    return bool(manifest.files) and files_on_disk(site) == set(manifest.files)
