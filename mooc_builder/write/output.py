"""Write a site: only what changed, never twice, never outside the output folder, and all or nothing.

A build writes through an :class:`Output`. For the site it is a :class:`SiteOutput`: files whose bytes change
are written into a staging folder and moved into the site only when the whole build has succeeded
(:meth:`SiteOutput.commit`), so a build that fails (content error, theme error, full disk) leaves the previous
site as it was, byte for byte, and a reader never sees a half-written file. Unchanged files are not touched:
they keep their dates, so an rsync to a residence's server copies only what changed, and a one-page edit
costs one page. The site holds no links (a FAT32 or exFAT USB stick has none).

* The first build into a folder writes the whole site into a new folder beside it and renames it in.
* Later builds update the folder in place, as a transaction: each changed file's old version is kept aside
  (``.<name>.mooc-old`` beside it: a hard link for the time of the commit, or the file moved where the file
  system has no links), the new one renamed over it; if a move fails (on Windows, a file another program
  holds open) every move is undone and the error says which file. A journal in ``.mooc-cache/`` lets the next
  build undo a commit that a crash interrupted (write/commit.py).
* Every temporary folder is claimed while in use, and what a killed build left is removed by the next one
  (write/leftovers.py).

Both keep a manifest (``.mooc-cache/manifest.json``): the sha256 of every file and the key of what each page
was made from, so the next build can skip unchanged work. :class:`MemoryOutput` collects the files of a build
that goes into a package instead (exports).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from mooc_builder.lang.text import Text, say
from mooc_builder.model import portable_name_problem
from mooc_builder.write.commit import NEW, OLD, move_in, recover, swap
from mooc_builder.write.files import (
    CACHE,
    MANIFEST,
    MARKER,
    MARKER_TEXT,
    MEDIA_STORE,
    Folders,
    Manifest,
    WriteError,
    files_on_disk,
    previous_output,
)
from mooc_builder.write.leftovers import Claim, claimed_folder, sweep

STAGE = "stage-"  # a later build's stage, in the output's cache


class Output:
    """The files of one build; every path is checked, none written twice, none twice under names that differ
    only in case (one file on a USB stick, on Windows and on macOS)."""

    def __init__(self, old: Manifest | None = None) -> None:
        self.old = old or Manifest()
        self.new = Manifest()
        self.written: list[str] = []  # files whose bytes this build wrote
        self.removed: list[str] = []
        self.claimed: set[str] = set()
        self._folded: dict[str, str] = {}

    def claim(self, site_path: PurePosixPath | str) -> str:
        """Reserve a place in the site (for a file written here or by another process)."""
        name = site_path if isinstance(site_path, str) else site_path.as_posix()
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
            raise WriteError(say("refusing to write '{name}': it would leave the output folder", name=name))
        if name in self.claimed:
            raise WriteError(_twice(name))
        folded = name.casefold()
        other = self._folded.get(folded)
        if other is not None:
            raise WriteError(say("refusing to write '{name}' beside '{other}': on a USB stick or on Windows they "
                                 "would be one file (their names differ only in case); rename one of them",
                                 name=name, other=other))
        problem = portable_name_problem(name)
        if problem:
            raise WriteError(say("refusing to write '{name}': {problem}; rename it", name=name, problem=problem))
        self.claimed.add(name)
        self._folded[folded] = name
        return name

    # --- to be given by each kind of output -------------------------------------------------------

    def unchanged(self, site_path: PurePosixPath | str, key: str) -> bool:
        return False

    def keep(self, site_path: PurePosixPath | str) -> None:
        raise NotImplementedError

    def keep_unchanged(self, entries: list[tuple[str, str]]) -> bool:
        return not entries

    def previous_size(self, site_path: PurePosixPath | str) -> int:
        """The size of a file the previous build made (one this build keeps)."""
        raise NotImplementedError

    def previous_file(self, site_path: PurePosixPath | str) -> Path | None:
        """The file the previous build made at this place, if it is there (to copy unchanged parts from)."""
        return None

    def write_bytes(self, site_path: PurePosixPath | str, data: bytes, key: str = "") -> None:
        raise NotImplementedError

    def copy(self, site_path: PurePosixPath | str, source: Path, digest: str) -> None:
        raise NotImplementedError

    def reserve(self, site_path: PurePosixPath | str, key: str) -> Path:
        raise NotImplementedError

    def write_held(self, site_path: PurePosixPath | str, data: bytes, key: str = "") -> Path:
        """:meth:`write_bytes`, for a file other files of this build are made from (a PDF handout, zipped
        into bundles): returns where its bytes are until the commit."""
        raise NotImplementedError

    def write_cache(self, name: str, data: bytes) -> None:
        pass

    def write_text(self, site_path: PurePosixPath | str, text: str, key: str = "") -> None:
        self.write_bytes(site_path, text.encode("utf-8"), key)


class SiteOutput(Output):
    """The files of one build of the site folder ``root``; see the module's documentation.

    ``verify``: look that a file the manifest lists is still there before keeping it (a one-off build, whose
    output anyone may have touched since); `mooc serve`, which alone writes its folder, trusts its manifest.
    """

    def __init__(self, root: Path, stage: Path, old: Manifest, fresh: bool, verify: bool = True,
                 within: Collection[str] | None = None) -> None:
        super().__init__(old)
        self.root = root
        self.stage = stage  # where new bytes are written before the commit
        self.fresh = fresh  # the first build: the stage becomes the site
        self.verify = verify and not fresh
        # Verifying, what is in the site folder now: a file the manifest lists but someone removed is made
        # again, and a file nobody made (put there by hand) is removed at the commit, as from a new folder.
        # ``within``: the build is scoped to these top folders (courses), the rest is kept as the records say.
        self.within = set(within) | {"assets", "media"} if within is not None else None
        self.present = files_on_disk(root, self.within) if self.verify else set()
        self.staged: list[str] = []  # written into the stage, not yet moved into the site
        self.reserved: list[str] = []  # to be written into the stage by other means (zips), moved at the commit
        self.stage_folders = Folders(stage)
        self._caches: dict[str, bytes] = {}
        self._exact: set[str] = set()

    def _there(self, name: str) -> bool:
        if not self.verify or (self.within is not None and "/" in name and name[:name.index("/")] not in self.within):
            return True
        return name in self.present

    # --- reuse ----------------------------------------------------------------------------------

    def unchanged(self, site_path: PurePosixPath | str, key: str) -> bool:
        """True when the previous build made this file from the same inputs (and it is still there)."""
        name = site_path if isinstance(site_path, str) else site_path.as_posix()
        entry = self.old.files.get(name)
        return entry is not None and entry[1] == key and self._there(name)

    def previous_size(self, site_path: PurePosixPath | str) -> int:
        return (self.root / PurePosixPath(site_path)).stat().st_size

    def previous_file(self, site_path: PurePosixPath | str) -> Path | None:
        name = site_path if isinstance(site_path, str) else site_path.as_posix()
        if self.fresh or name not in self.old.files or not self._there(name):
            return None
        return self.root / name

    def keep(self, site_path: PurePosixPath | str) -> None:
        """Keep a file of the previous build as it is (call after :meth:`unchanged`)."""
        name = self.claim(site_path)
        self.new.files[name] = self.old.files[name]

    def keep_unchanged(self, entries: list[tuple[str, str]]) -> bool:
        """:meth:`keep` for many files at once (site path, input key), all or none: False when any of
        them was made from other inputs. The paths were checked when the previous build wrote them."""
        old = self.old.files
        for name, key in entries:
            entry = old.get(name)
            if entry is None or entry[1] != key:
                return False
        if self.verify and not all(self._there(n) for n, _k in entries):
            return False
        claimed, new = self.claimed, self.new.files
        for name, _key in entries:
            if name in claimed:
                raise WriteError(_twice(name))
            claimed.add(name)
            self._folded[name.casefold()] = name
            new[name] = old[name]
        return True

    # --- writes ---------------------------------------------------------------------------------

    def same_as_before(self, name: str, digest: str) -> bool:
        entry = self.old.files.get(name)
        return entry is not None and entry[0] == digest and self._there(name)

    def write_bytes(self, site_path: PurePosixPath | str, data: bytes, key: str = "") -> None:
        name = self.claim(site_path)
        digest = hashlib.sha256(data).hexdigest()
        self.new.files[name] = [digest, key]
        if self.same_as_before(name, digest):
            return
        self.stage_folders.file(name).write_bytes(data)
        self._staged(name)

    def copy(self, site_path: PurePosixPath | str, source: Path, digest: str) -> None:
        """Copy a file whose sha256 is known (from the hash cache), unless the site has it already."""
        name = self.claim(site_path)
        self.new.files[name] = [digest, digest]
        if self.same_as_before(name, digest):
            return
        target = self.stage_folders.file(name)
        shutil.copyfile(source, target)
        self._staged(name)

    def reserve(self, site_path: PurePosixPath | str, key: str) -> Path:
        """A file for the caller to write by other means (a zip streamed to disk)."""
        name = self.claim(site_path)
        self.new.files[name] = ["", key]
        self.reserved.append(name)
        self.written.append(name)
        return self.stage_folders.file(name)

    def write_held(self, site_path: PurePosixPath | str, data: bytes, key: str = "") -> Path:
        """Moved in at the commit only, not by :meth:`apply` (`mooc serve` shows its pages before the bundles
        that take this file are zipped)."""
        name = self.claim(site_path)
        digest = hashlib.sha256(data).hexdigest()
        self.new.files[name] = [digest, key]
        if self.same_as_before(name, digest):
            return self.root / name
        target = self.stage_folders.file(name)
        target.write_bytes(data)
        self.reserved.append(name)
        self.written.append(name)
        return target

    def record(self, name: str, digest: str, key: str, written: bool) -> None:
        """A claimed file that another process wrote into the stage (see :func:`write_staged`)."""
        self.new.files[name] = [digest, key]
        if written:
            self._staged(name)

    def _staged(self, name: str) -> None:
        self.staged.append(name)
        self.written.append(name)

    def write_cache(self, name: str, data: bytes) -> None:
        """A file of the build cache (not part of the site, not in the manifest), written at the commit."""
        self._caches[name] = data

    def only_caches_written(self, folder: str) -> None:
        """At the commit, remove the files of cache folder ``folder`` that this build did not write (what
        the cache held of courses the site no longer has)."""
        self._exact.add(folder)

    # --- commit ---------------------------------------------------------------------------------

    def apply(self) -> None:
        """Move what is staged so far into the site (`mooc serve` shows the pages before it zips the bundles).
        All or nothing: if a move fails, the ones done are undone."""
        if self.fresh or not self.staged:
            return
        names, self.staged = self.staged, []
        move_in(self.root, self.stage, names, [], {}, None)

    def commit(self) -> None:
        """Make the site what this build made: move in every staged file, remove what the site no longer has,
        write the manifest and the caches."""
        if self.fresh:
            self._commit_fresh()
            return
        removed = sorted((set(self.old.files) | self.present) - set(self.new.files))
        names, self.staged, self.reserved = self.staged + self.reserved, [], []
        self._move_in(names, removed)
        self.removed += removed
        for name in removed:  # and the folders they leave empty (a page is a folder of its own)
            folder = (self.root / name).parent
            while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        shutil.rmtree(self.stage, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    def _commit_fresh(self) -> None:
        for name, data in self._caches.items():
            self.stage_folders.file(f"{CACHE}/{name}").write_bytes(data)
        self.stage_folders.file(MANIFEST).write_bytes(self.new.dump().encode("utf-8"))
        (self.stage / MARKER).write_bytes(MARKER_TEXT.encode("utf-8"))
        with suppress(OSError):  # a FAT32 or exFAT stick has no permissions to set
            os.chmod(self.stage, 0o755)  # made private while built; a web server must read the site
        made = self.root / MEDIA_STORE
        if made.is_dir():  # made before the stage, in the folder the stage replaces: kept in the new site
            os.replace(made, self.stage / MEDIA_STORE)
            with suppress(OSError):  # and the folder replaced left empty, as a killed swap must find it
                (self.root / CACHE).rmdir()
        swap(self.stage, self.root)

    def _move_in(self, names: list[str], removed: list[str]) -> None:
        move_in(self.root, self.stage, names, removed, self._caches, self.new)
        for folder in self._exact:
            with suppress(OSError):
                for path in (self.root / CACHE / folder).iterdir():
                    if f"{folder}/{path.name}" not in self._caches:
                        path.unlink()
        self._caches = {}


class MemoryOutput(Output):
    """The files of a build kept in memory, for an export to pack: texts made, and files to copy."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, bytes] = {}
        self.copies: dict[str, Path] = {}

    def write_bytes(self, site_path: PurePosixPath | str, data: bytes, key: str = "") -> None:
        self.texts[self.claim(site_path)] = data

    def copy(self, site_path: PurePosixPath | str, source: Path, digest: str) -> None:
        self.copies[self.claim(site_path)] = source

    def names(self) -> list[str]:
        return sorted([*self.texts, *self.copies])


def write_staged(folders: Folders, old: Manifest, present: set[str] | None, name: str, data: bytes
                 ) -> tuple[str, bool]:
    """Write one claimed file into the stage ``folders`` as SiteOutput.write_bytes would, from any process:
    (sha256, written). ``present``: the files in the site folder, to look that an unchanged file is still
    there (None: trust the manifest)."""
    digest = hashlib.sha256(data).hexdigest()
    entry = old.files.get(name)
    if entry is not None and entry[0] == digest and (present is None or name in present):
        return digest, False
    folders.file(name).write_bytes(data)
    return digest, True


@contextmanager
def site_output(output: Path, manifest: Manifest | None = None, verify: bool = True,
                within: Collection[str] | None = None) -> Iterator[SiteOutput]:
    """The output of one build of ``output``, committed if the block succeeds, else left as it was.
    ``manifest``: the one the last build wrote there, kept in memory (`mooc serve`; else read from the folder).
    ``within``: the courses a scoped build makes (the others' files are kept, not looked at).
    What killed builds left of their temporary folders is removed first (see write/leftovers.py)."""
    root = output.absolute()
    fresh = previous_output(output) is None
    stage: Path | None = None
    claim: Claim | None = None
    try:  # however the build ends (an error, Ctrl-C, SIGTERM), its stage goes
        if not fresh:
            recover(root)
            (root / CACHE).mkdir(exist_ok=True)
            sweep(root / CACHE, STAGE, MARKER)
            stage, claim = claimed_folder(root / CACHE, STAGE, MARKER)
            tree = SiteOutput(root, stage, manifest or Manifest.load(root), fresh=False, verify=verify,
                              within=within)
        else:
            root.parent.mkdir(parents=True, exist_ok=True)
            for kind in (NEW, OLD):
                sweep(root.parent, f".{root.name}{kind}", MARKER)
            stage, claim = claimed_folder(root.parent, f".{root.name}{NEW}", MARKER)
            tree = SiteOutput(root, stage, Manifest(), fresh=True)
        yield tree
        tree.commit()
    except BaseException:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        if claim is not None:
            claim.release()
        if fresh:  # and a killed earlier build's site, set aside when this one first built here
            sweep(root.parent, f".{root.name}{OLD}", MARKER)


def _twice(name: str) -> Text:
    return say("refusing to write '{name}' twice: two things claim the same place in the site", name=name)
