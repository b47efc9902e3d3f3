"""Write a site: only what changed, never twice, never outside the output folder.

Two ways to apply a build, one interface:

* :func:`staged_output` (``mooc build``) writes into a fresh folder beside the
  output and swaps it in at the end, so a failed build leaves the previous site
  untouched. Files whose bytes did not change are hard-linked from the previous
  site: they keep their date, so an rsync to a residence's server copies only
  what changed.
* :func:`in_place_output` (``mooc serve``) updates the served folder file by file
  (each file replaced atomically), then removes the files the site no longer has.

Both keep a manifest (``.mooc-cache/manifest.json``): the sha256 of every file and
the key of what each page was made from, so the next build can skip unchanged work.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MARKER = ".mooc-site"
MARKER_TEXT = "This folder was made by mooc-builder; `mooc build` replaces it whole at each build.\n"
CACHE = ".mooc-cache"  # build caches, kept inside the output and safe to delete
MANIFEST = f"{CACHE}/manifest.json"


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


class OutputTree:
    """The files of one build under ``root``; every path is checked, none written twice.

    ``previous`` is the site of the last build (with its manifest); ``root`` may be
    the same folder (in place) or a new one (staged).
    """

    def __init__(self, root: Path, previous: Path | None, in_place: bool = False,
                 manifest: Manifest | None = None) -> None:
        self.root = root
        self.previous = previous
        self.in_place = in_place
        self.old = manifest if manifest is not None else Manifest.load(previous)
        self.new = Manifest()
        self.written: list[str] = []  # files whose bytes were written by this build
        self.removed: list[str] = []
        self.claimed: set[str] = set()
        self._folders = Folders(root)

    # --- paths ----------------------------------------------------------------------------------

    def _claim(self, site_path: PurePosixPath | str) -> str:
        name = site_path if isinstance(site_path, str) else site_path.as_posix()
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
            raise WriteError(f"refusing to write '{name}': it would leave the output folder")
        if name in self.claimed:
            raise WriteError(f"refusing to write '{name}' twice: two things claim the same place in the site")
        self.claimed.add(name)
        return name

    def _file(self, name: str) -> Path:
        return self._folders.file(name)

    # --- reuse ----------------------------------------------------------------------------------

    def unchanged(self, site_path: PurePosixPath | str, key: str) -> bool:
        """True when the previous build made this file from the same inputs (and it is still there)."""
        name = site_path if isinstance(site_path, str) else site_path.as_posix()
        entry = self.old.files.get(name)
        if entry is None or entry[1] != key or self.previous is None:
            return False
        return not self._verify_files or os.path.isfile(os.path.join(self.previous, name))

    def keep(self, site_path: PurePosixPath | str) -> None:
        """Carry a file over from the previous build as it is (call after :meth:`unchanged`)."""
        name = self._claim(site_path)
        self.new.files[name] = self.old.files[name]
        if not self.in_place:
            assert self.previous is not None
            _link_or_copy(self.previous / name, self._file(name))

    def keep_unchanged(self, entries: list[tuple[str, str]]) -> bool:
        """:meth:`keep` for many files at once (site path, input key), all or none: False when any of
        them was made from other inputs. The paths were checked when the previous build wrote them."""
        old = self.old.files
        for name, key in entries:
            entry = old.get(name)
            if entry is None or entry[1] != key:
                return False
        if self.previous is None:
            return not entries
        if self._verify_files and not all(os.path.isfile(os.path.join(self.previous, n)) for n, _k in entries):
            return False
        claimed, new = self.claimed, self.new.files
        for name, _key in entries:
            if name in claimed:
                raise WriteError(f"refusing to write '{name}' twice: two things claim the same place in the site")
            claimed.add(name)
            new[name] = old[name]
            if not self.in_place:
                _link_or_copy(self.previous / name, self._file(name))
        return True

    @property
    def _verify_files(self) -> bool:
        # In place (a served folder that only this builder writes), the manifest is trusted as it is.
        return not self.in_place or isinstance(self, ProbeTree)

    # --- writes ---------------------------------------------------------------------------------

    def write_bytes(self, site_path: PurePosixPath | str, data: bytes, key: str = "") -> None:
        name = self._claim(site_path)
        digest = hashlib.sha256(data).hexdigest()
        self.new.files[name] = [digest, key]
        if self._same_as_before(name, digest):
            return
        target = self._file(name)
        if self.in_place:
            _replace_atomically(target, data)
        else:
            target.write_bytes(data)
        self.written.append(name)

    def claim(self, site_path: PurePosixPath | str) -> str:
        """Reserve a path for a file that another process writes (see :func:`write_rendered`)."""
        return self._claim(site_path)

    def record(self, name: str, digest: str, key: str, written: bool) -> None:
        self.new.files[name] = [digest, key]
        if written:
            self.written.append(name)

    def write_text(self, site_path: PurePosixPath | str, text: str, key: str = "") -> None:
        self.write_bytes(site_path, text.encode("utf-8"), key)

    def copy(self, site_path: PurePosixPath | str, source: Path, digest: str) -> None:
        """Copy a file whose sha256 is known (from the hash cache), unless the site has it already."""
        name = self._claim(site_path)
        self.new.files[name] = [digest, digest]
        if self._same_as_before(name, digest):
            return
        target = self._file(name)
        if self.in_place:
            temporary = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
        else:
            shutil.copyfile(source, target)
        self.written.append(name)

    def reserve(self, site_path: PurePosixPath | str, key: str) -> Path:
        """A file for the caller to write by other means (a zip streamed to disk)."""
        name = self._claim(site_path)
        self.new.files[name] = ["", key]
        self.written.append(name)
        target = self._file(name)
        if self.in_place:
            target.unlink(missing_ok=True)  # a hard-linked old version must not be written through
        return target

    def _same_as_before(self, name: str, digest: str) -> bool:
        """Reuse the previous build's file when its bytes are the same (linked when staged, left in place)."""
        entry = self.old.files.get(name)
        if entry is None or entry[0] != digest or self.previous is None:
            return False
        old = self.previous / name
        if not old.is_file():
            return False
        if not self.in_place:
            _link_or_copy(old, self._file(name))
        return True

    # --- end ------------------------------------------------------------------------------------

    def write_cache(self, name: str, data: bytes) -> None:
        """A file of the build cache (not part of the site, not in the manifest)."""
        _replace_atomically(self._file(f"{CACHE}/{name}"), data)

    def finish(self) -> None:
        """Write the manifest; in place, remove what the site no longer has."""
        if self.in_place:
            for name in sorted(set(self.old.files) - set(self.new.files)):
                (self.root / name).unlink(missing_ok=True)
                self.removed.append(name)
            for name in self.removed:  # and the folders they leave empty (a page is a folder of its own)
                folder = (self.root / name).parent
                while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
        marker = self.root / MARKER
        if not marker.is_file():
            if self.previous is not None and (self.previous / MARKER).is_file():
                _link_or_copy(self.previous / MARKER, marker)
            else:
                marker.write_text(MARKER_TEXT, encoding="utf-8")
        _replace_atomically(self._file(MANIFEST), self.new.dump().encode("utf-8"))


class WouldChange(Exception):
    """Raised by a :class:`ProbeTree` at the first file a build would change."""


class ProbeTree(OutputTree):
    """Walks a build without writing anything, to learn whether it would change the site at all.

    A warm build with nothing changed then leaves the site alone: no staging folder, no swap.
    """

    def __init__(self, previous: Path) -> None:
        super().__init__(previous, previous, in_place=True)

    def keep(self, site_path: PurePosixPath | str) -> None:
        name = self._claim(site_path)
        self.new.files[name] = self.old.files[name]

    def write_bytes(self, site_path: PurePosixPath | str, data: bytes, key: str = "") -> None:
        name = self._claim(site_path)
        entry = self.old.files.get(name)
        if entry is None or entry[0] != hashlib.sha256(data).hexdigest() or not (self.root / name).is_file():
            raise WouldChange(name)
        self.new.files[name] = entry

    def copy(self, site_path: PurePosixPath | str, source: Path, digest: str) -> None:
        name = self._claim(site_path)
        entry = self.old.files.get(name)
        if entry is None or entry[0] != digest or not (self.root / name).is_file():
            raise WouldChange(name)
        self.new.files[name] = entry

    def reserve(self, site_path: PurePosixPath | str, key: str) -> Path:
        raise WouldChange(PurePosixPath(site_path).as_posix())

    def claim(self, site_path: PurePosixPath | str) -> str:
        raise WouldChange(PurePosixPath(site_path).as_posix())

    def write_cache(self, name: str, data: bytes) -> None:
        pass

    def finish(self) -> None:
        if set(self.new.files) != set(self.old.files):
            raise WouldChange("the set of files")


class Folders:
    """Makes the folders of files under ``root``, each once: a site of pretty URLs has one folder per page,
    and asking the file system again for each of a folder's files costs as much as making it."""

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


def write_rendered(folders: Folders, previous: Path | None, old: Manifest, in_place: bool, name: str,
                   data: bytes) -> tuple[str, bool]:
    """Write one claimed file under ``folders.root`` as OutputTree.write_bytes would, from any process:
    (sha256, written)."""
    digest = hashlib.sha256(data).hexdigest()
    entry = old.files.get(name)
    if entry is not None and entry[0] == digest and previous is not None and (previous / name).is_file():
        if not in_place:
            _link_or_copy(previous / name, folders.file(name))
        return digest, False
    target = folders.file(name)
    if in_place:
        _replace_atomically(target, data)
    else:
        target.write_bytes(data)
    return digest, True


def _replace_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _link_or_copy(source: Path, target: Path) -> None:
    # A hard link keeps the bytes and the date of an unchanged file, and costs nothing.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


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
        tree = OutputTree(staging, previous_output(output))
        yield tree
        tree.finish()
        _swap(staging, output.absolute())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def in_place_output(output: Path, manifest: Manifest | None = None) -> Iterator[OutputTree]:
    """Yield a tree that updates ``output`` where it is (for `mooc serve`, which serves that folder).
    ``manifest``: the one the last build wrote there, kept in memory (else read from the folder)."""
    root = output.absolute()
    root.mkdir(parents=True, exist_ok=True)
    previous = previous_output(output)
    tree = OutputTree(root, previous or root, in_place=True, manifest=manifest if previous else None)
    yield tree
    tree.finish()


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
