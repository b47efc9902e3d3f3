"""The output folder's own files and rules: its marker, its cache, its manifest, and the checks before
anything is written (the names a site may hold are the model's: model/pages.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.lang.text import say

MARKER = ".mooc-site"


MARKER_TEXT = "This folder was made by mooc-builder; `mooc build` replaces it whole at each build.\n"


CACHE = ".mooc-cache"  # build caches, kept inside the output and safe to delete


MANIFEST = f"{CACHE}/manifest.json"
# Files made from media (light videos, posters, pictures for each width), by digest (media/store.py): made
# before the site is staged, so on a first build before the output is one of ours; kept across builds.
MEDIA_STORE = f"{CACHE}/media"


class WriteError(Exception):
    """A problem with the output folder, worded for the author."""


@dataclass
class Manifest:
    """sha256 and input key of every file of a built site, by site path."""

    files: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def load(site: Path | None) -> Manifest:
        if site is None:
            return Manifest()
        try:
            data = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
            files = data.get("files", {})
            if isinstance(files, dict):
                return Manifest({str(k): list(v) for k, v in files.items() if isinstance(v, list) and len(v) == 2})
        except (OSError, ValueError, AttributeError, TypeError):
            pass
        return Manifest()

    def dump(self) -> str:
        return json.dumps({"files": self.files}, sort_keys=True, separators=(",", ":"))


class Folders:
    """Makes the folders of files under ``root``, each once: a site has one folder per page, and asking the
    file system again for each of a folder's files costs as much as making it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[str] = set()

    def file(self, name: str) -> Path:
        """The path of site file ``name``, its folder made."""
        folder = name.rpartition("/")[0]
        if folder not in self._made:
            self._make(folder)
        return self.root.joinpath(*name.split("/"))

    def _make(self, folder: str) -> None:
        # From the top down: asking for a folder whose parent is missing costs a failed call first.
        if folder:
            parent = folder.rpartition("/")[0]
            if parent not in self._made:
                self._make(parent)
        path = self.root.joinpath(*folder.split("/")) if folder else self.root
        try:
            os.mkdir(path)
        except FileExistsError:
            if not path.is_dir():
                raise
        except FileNotFoundError:
            if folder:
                raise
            path.mkdir(parents=True, exist_ok=True)  # the root's own parents
        self._made.add(folder)


def files_on_disk(site: Path, within: Collection[str] | None = None) -> set[str]:
    """The site paths of every file of a built site but the build's own (marker, cache); ``within``: only
    the files at the top and in these top folders."""
    present: set[str] = set()
    root = str(site).rstrip(os.sep)
    for folder, dirs, files in os.walk(root):
        if within is not None and folder == root:
            dirs[:] = [d for d in dirs if d in within]
        dirs[:] = [d for d in dirs if d != CACHE]
        relative = folder[len(root) + 1:].replace(os.sep, "/")  # os.walk joins onto root as given
        present.update(f"{relative}/{name}" if relative else name for name in files)
    return present - {MARKER}


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def real_output(output: Path) -> Path:
    """Where a build writes when asked to write into ``output``: an output that is a symlink (``_site`` ->
    ``/var/www/mooc``) is built through, the link left as it is (replacing it would leave the site beside the
    folder it pointed to)."""
    return output.resolve() if output.is_symlink() and output.exists() else output


def check_output_location(output: Path, content: Path) -> None:
    """Refuse an output folder that would overwrite the content or something that is not ours."""
    if output.is_symlink() and not output.exists():
        raise WriteError(say("the output {path} is a symlink to {target}, which does not exist; create that folder, "
                             "or choose another output folder", path=output, target=os.readlink(output)))
    out = output.absolute().resolve()
    src = content.absolute().resolve()
    if out == src:
        raise WriteError(say("the output folder {path} is the content folder; choose another, e.g. -o _site",
                             path=output))
    if out.is_relative_to(src):
        raise WriteError(say("the output folder {path} is inside the content folder; choose one outside it",
                             path=output))
    if src.is_relative_to(out):
        raise WriteError(say("the output folder {path} contains the content folder; choose another, e.g. -o _site",
                             path=output))
    if out.exists():
        if not out.is_dir():
            raise WriteError(say("{path} exists and is not a folder; choose another output folder", path=output))
        # Its cache alone: what a first build made from media before it failed (see MEDIA_STORE).
        if any(p.name != CACHE for p in out.iterdir()) and not (out / MARKER).is_file():
            raise WriteError(say("{path} is not empty and was not made by mooc; choose an empty or new folder "
                                 "(mooc replaces its output folder whole)", path=output))


def previous_output(output: Path) -> Path | None:
    """The output of the previous build, if there is one of ours to reuse unchanged work from."""
    out = output.absolute()
    return out if (out / MARKER).is_file() else None
