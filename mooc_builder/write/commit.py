"""Moving a build's staged files into the site, as a transaction that a failure or a crash cannot leave
half done (see write/output.py).

The site is served while it is rebuilt (`mooc serve`, or a web server over the output folder): no reader may
ever find a file missing or half there. A new version therefore takes the old one's place in one rename
(``os.replace``, atomic on POSIX and on NTFS), and the old version is kept for an undo as a hard link
(``.<name>.mooc-old``) made before. Where the file system has no links (a FAT32 or exFAT USB stick), the
old version is moved aside instead, which leaves the name empty between two renames: a reader there may get a
404 for a moment, never a wrong file.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from contextlib import suppress
from pathlib import Path

from mooc_builder.lang.text import say
from mooc_builder.write.files import CACHE, MANIFEST, Folders, Manifest, WriteError, write_atomically
from mooc_builder.write.leftovers import LOCK, claimed_folder, unclaimed

JOURNAL = f"{CACHE}/commit.json"
ASIDE = ".mooc-old"  # a replaced file's old version, beside it until the commit is done
# What os.link says where a file system has no hard links (FAT32, exFAT; EPERM from Linux's vfat and FUSE).
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EXDEV, errno.EMLINK}
# Link the name itself, as a move would take it, where the platform can say so (not on Windows).
_ENTRY: dict[str, bool] = {"follow_symlinks": False} if os.link in os.supports_follow_symlinks else {}


def move_in(root: Path, stage: Path, names: list[str], removed: list[str], caches: dict[str, bytes],
            manifest: Manifest | None) -> None:
    """The transaction: old versions aside and new ones in, then the caches, then the manifest; then the old
    versions deleted. A journal says how far it went, for :func:`recover` after a crash. A move that fails
    undoes the others and leaves the caches as they were; a crash between the caches and the manifest leaves
    caches a step ahead, which is safe: each entry is checked against the manifest before use. ``manifest``:
    None for the part of a commit that shows pages before the bundles are made (`mooc serve`), whose
    manifest comes with the rest."""
    replaced = [n for n in names if os.path.lexists(os.path.join(root, n))]
    journal = root / JOURNAL
    write_atomically(journal, json.dumps({"state": "moving", "stage": str(stage), "names": names,
                                          "replaced": replaced, "removed": removed}).encode("utf-8"))
    folders = Folders(root)
    done: list[tuple[str, bool]] = []  # (name, whether its old version was set aside)
    current = ""
    links = True  # until the file system says it has none
    try:
        for name in removed:
            current = name
            target = root / name
            if os.path.lexists(target):
                os.replace(target, _aside(target))
                done.append((name, True))
        set_aside = set(replaced)
        for name in names:
            current = name
            target = folders.file(name)
            if name in set_aside:
                links = _keep_old(target, links)
                done.append((name, True))
                os.replace(stage / name, target)  # the old version, or the new: never no file
            else:
                os.replace(stage / name, target)
                done.append((name, False))
        for cache, data in caches.items():
            current = f"{CACHE}/{cache}"
            write_atomically(root / CACHE / cache, data)
        if manifest is not None:
            write_atomically(root / MANIFEST, manifest.dump().encode("utf-8"))
    except OSError as exc:
        _undo(root, done)
        journal.unlink(missing_ok=True)
        raise _commit_error(exc, current) from exc
    write_atomically(journal, json.dumps({"state": "done", "names": names + removed}).encode("utf-8"))
    for name, was_aside in done:
        if was_aside:
            _aside(root / name).unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}{ASIDE}")


def _keep_old(target: Path, links: bool) -> bool:
    """Keep ``target``'s version at its aside name for an undo: a hard link, ``target`` left in place, or
    (no links here) the file moved aside. Returns whether links are still worth trying."""
    aside = _aside(target)
    if links:
        with suppress(FileNotFoundError):
            aside.unlink()  # an earlier commit's, which recover() found already done
        try:
            os.link(target, aside, **_ENTRY)
            return True
        except OSError as exc:
            links = exc.errno not in _NO_LINKS  # else a passing failure: links are tried for the next file
    os.replace(target, aside)
    return links


def _restore(target: Path) -> None:
    """Put back the old version kept at ``target``'s aside name (a link to it or the file moved aside)."""
    aside = _aside(target)
    os.replace(aside, target)
    # When the aside is a link to the file still at ``target`` (the new one never got in), rename() of a
    # file onto another link of itself does nothing and leaves both names: the aside must go too.
    with suppress(OSError):
        if os.path.samestat(os.lstat(aside), os.lstat(target)):
            aside.unlink()


def _undo(root: Path, done: list[tuple[str, bool]]) -> None:
    for name, was_aside in reversed(done):
        target = root / name
        with suppress(OSError):
            if was_aside:
                _restore(target)
            else:
                target.unlink()
                folder = target.parent  # and the folders made for it, now empty
                while folder != root and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent


def _commit_error(exc: OSError, name: str) -> WriteError:
    where = say("could not replace {name}", name=name) if name else say("could not write the site's cache")
    return WriteError(say("{where} ({problem}): another program may have it open (a browser, a file explorer, a web "
                          "server or an antivirus, on Windows); close it and build again. The previous site was "
                          "left as it was", where=where, problem=exc.strerror or exc))


def recover(root: Path) -> None:
    """Finish what a commit interrupted by a crash left: undo its moves (the manifest on disk is still the
    previous build's), or, when it had written the new manifest, delete the old versions it set aside."""
    journal = root / JOURNAL
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)
        return
    if record.get("state") == "moving":
        replaced = set(record.get("replaced", [])) | set(record.get("removed", []))
        for name in [*record.get("removed", []), *record.get("names", [])]:
            target = root / name
            aside = _aside(target)
            with suppress(OSError):
                if os.path.lexists(aside):
                    _restore(target)
                elif name not in replaced and os.path.lexists(target):
                    target.unlink()
        stage = record.get("stage")
        if stage and Path(stage).is_relative_to(root / CACHE) and unclaimed(Path(stage)):
            shutil.rmtree(stage, ignore_errors=True)
            Path(stage + LOCK).unlink(missing_ok=True)
    else:
        for name in record.get("names", []):
            _aside(root / name).unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


NEW = ".tmp-"  # .<output>.tmp-*: a first build's site, made beside the output
OLD = ".old-"  # .<output>.old-*: the folder it replaces, set aside until the new one is in


def swap(staging: Path, output: Path) -> None:
    """Put a new site in place of ``output`` (absent, or an empty folder)."""
    try:
        if not output.exists():
            os.rename(staging, output)
            return
        old, claim = claimed_folder(output.parent, f".{output.name}{OLD}", None)
        with claim:
            old.rmdir()  # its name, claimed: a build killed from here on leaves it for the next to remove
            os.rename(output, old)
            try:
                os.rename(staging, output)
            except OSError:
                os.rename(old, output)
                raise
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise WriteError(say("could not put the new site in place of {path} ({problem}): another program may have "
                             "that folder open; close it and build again", path=output,
                             problem=exc.strerror or exc)) from exc
