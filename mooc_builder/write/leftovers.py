"""Temporary folders that a killed build leaves behind, found and removed by the next one.

A build makes folders beside its output (the first build's site, ``.<name>.tmp-*``; the site it replaces,
``.<name>.old-*``), in its cache (``stage-*``), and `mooc serve` one in the system's temporary folder. A build
that ends, well or not, removes its own; one killed (``kill -9``, a power cut, a closed laptop) cannot. So
each such folder is *claimed* while in use: a lock file beside it (``<folder>.lock``), locked by the process
that uses the folder, which the system unlocks when that process dies, however it dies. The next build
removes a folder of its own kind only when it carries mooc's marker and nobody holds its lock: a folder it did
not make is never touched, and neither is one that another build, running now, is using.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

LOCK = ".lock"


def _lock(handle: IO[bytes]) -> bool:
    """Lock an open file for this process without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class Claim:
    """The lock that says a temporary folder is in use; taken before the folder is made or moved there, given
    up once it is gone. Use as a context manager, or :meth:`release`."""

    def __init__(self, folder: Path) -> None:
        self.path = folder.with_name(folder.name + LOCK)
        self._handle: IO[bytes] | None = open(self.path, "a+b")  # noqa: SIM115 (held until release)
        try:
            locked = _lock(self._handle)
        except BaseException:
            self.release()
            raise
        if not locked:  # only if another process took this very name: never reuse it
            self._handle.close()
            self._handle = None
            raise FileExistsError(f"{self.path} is held by another build")

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        # Removed while still locked: another build never finds it unlocked with its folder still there.
        with contextlib.suppress(OSError):
            self.path.unlink()
        handle.close()

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()


def claimed_folder(parent: Path, prefix: str, marker: str | None) -> tuple[Path, Claim]:
    """A new folder in ``parent`` named ``prefix`` and a random part, claimed, with the ``marker`` file in it
    (what :func:`sweep` looks for; None: an empty folder, for its name). The claim comes first, so that an
    interruption at any point leaves nothing unclaimed behind but what it removes itself."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            claim = Claim(folder)
        except FileExistsError:  # taken: another name
            continue
        try:
            folder.mkdir(mode=0o700)
            if marker is not None:
                (folder / marker).write_bytes(b"")
        except FileExistsError:
            claim.release()
            continue
        except BaseException:  # interrupted here (Ctrl-C, SIGTERM), or the disk refused: nothing is left
            shutil.rmtree(folder, ignore_errors=True)
            claim.release()
            raise
        return folder, claim


def unclaimed(folder: Path) -> bool:
    """Whether nobody holds the claim of ``folder`` (no lock file, or one nobody holds)."""
    lock = folder.with_name(folder.name + LOCK)
    try:
        handle = open(lock, "r+b")  # noqa: SIM115 (closed below, after the lock is tried)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    with handle:
        return _lock(handle)


def _ours(folder: Path, marker: str) -> bool:
    """Whether a folder holds mooc's marker, or nothing at all (the empty output a first build replaced)."""
    return (folder / marker).is_file() or not any(os.scandir(folder))


def sweep(parent: Path, prefix: str, marker: str) -> list[Path]:
    """Remove the folders of ``parent`` whose name starts with ``prefix``, that hold the file ``marker`` (or
    are empty) and that nobody claims: what killed builds left. Returns them. Never fails: a folder that
    cannot be removed now is left for a later build."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or entry.name.endswith(LOCK):
            continue
        folder = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False) and _ours(folder, marker) and unclaimed(folder):
                shutil.rmtree(folder)
                removed.append(folder)
                folder.with_name(folder.name + LOCK).unlink(missing_ok=True)
    for entry in entries:  # locks whose folder is gone, and nobody holds
        if entry.name.startswith(prefix) and entry.name.endswith(LOCK):
            folder = Path(entry.path[: -len(LOCK)])
            with contextlib.suppress(OSError):
                if not os.path.lexists(folder) and unclaimed(folder):
                    Path(entry.path).unlink()
    return removed
