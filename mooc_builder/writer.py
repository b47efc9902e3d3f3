"""Write a site into a staging folder and swap it in atomically.

The writer refuses to write a path twice or outside its folder, and the swap
never deletes anything but the previous output (which must carry our marker).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

MARKER = ".mooc-site"
CACHE = ".mooc-cache"  # build caches, kept inside the output and safe to delete
MARKER_TEXT = "This folder was made by mooc-builder; `mooc build` replaces it whole at each build.\n"


class WriteError(Exception):
    """A problem with the output folder, worded for the author."""


class OutputTree:
    """The files of one build, written under ``root``; every path is checked, none written twice."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[PurePosixPath] = set()

    def _target(self, site_path: PurePosixPath | str) -> Path:
        path = PurePosixPath(site_path)
        if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in str(path):
            raise WriteError(f"refusing to write '{path}': it would leave the output folder")
        if path in self.written:
            raise WriteError(f"refusing to write '{path}' twice: two things claim the same place in the site")
        self.written.add(path)
        target = self.root.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def reserve(self, site_path: PurePosixPath | str) -> Path:
        """The file to write at ``site_path`` by other means (a zip streamed to disk)."""
        return self._target(site_path)

    def write_text(self, site_path: PurePosixPath | str, text: str) -> None:
        self._target(site_path).write_bytes(text.encode("utf-8"))

    def write_bytes(self, site_path: PurePosixPath | str, data: bytes) -> None:
        self._target(site_path).write_bytes(data)

    def copy(self, site_path: PurePosixPath | str, source: Path) -> None:
        shutil.copyfile(source, self._target(site_path))


def check_output_location(output: Path, content: Path) -> None:
    """Refuse an output folder that would overwrite the content or something that is not ours."""
    out = output.absolute().resolve()
    src = content.absolute().resolve()
    if out == src:
        raise WriteError(f"the output folder {output} is the content folder; choose another, e.g. -o _site")
    if out.is_relative_to(src):
        raise WriteError(f"the output folder {output} is inside the content folder; choose one outside it")
    if src.is_relative_to(out):
        raise WriteError(f"the output folder {output} contains the content folder; choose another, e.g. -o _site")
    if out.exists():
        if not out.is_dir():
            raise WriteError(f"{output} exists and is not a folder; choose another output folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise WriteError(f"{output} is not empty and was not made by mooc; choose an empty or new folder "
                             "(mooc replaces its output folder whole)")


def previous_output(output: Path) -> Path | None:
    """The output of the previous build, if there is one of ours to reuse unchanged work from."""
    out = output.absolute()
    return out if (out / MARKER).is_file() else None


@contextmanager
def staged_output(output: Path) -> Iterator[OutputTree]:
    """Yield a tree in a fresh folder beside ``output``; swap it in only if the block succeeds."""
    parent = output.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=parent))
    try:
        tree = OutputTree(staging)
        yield tree
        tree.write_text(MARKER, MARKER_TEXT)
        _swap(staging, output.absolute())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read the site
    if not output.exists():
        os.rename(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    old.rmdir()
    os.rename(output, old)
    try:
        os.rename(staging, output)
    except OSError:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)
