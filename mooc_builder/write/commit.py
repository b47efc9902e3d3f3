"""Moving a build's staged files into the site, as a transaction that a failure or a crash cannot leave
half done (see write/output.py)."""

from __future__ import annotations

import json
import os
import shutil
from contextlib import suppress
from pathlib import Path

from mooc_builder.write.files import CACHE, MANIFEST, Folders, Manifest, WriteError, write_atomically
from mooc_builder.write.leftovers import LOCK, claimed_folder, unclaimed

JOURNAL = f"{CACHE}/commit.json"
ASIDE = ".mooc-old"  # a replaced file's old version, beside it until the commit is done


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
    done: list[tuple[str, bool]] = []  # (name, whether its old version was moved aside)
    current = ""
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
                os.replace(target, _aside(target))
                done.append((name, True))
                os.replace(stage / name, target)
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


def _undo(root: Path, done: list[tuple[str, bool]]) -> None:
    for name, was_aside in reversed(done):
        target = root / name
        with suppress(OSError):
            if was_aside:
                os.replace(_aside(target), target)
            else:
                target.unlink()
                folder = target.parent  # and the folders made for it, now empty
                while folder != root and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent


def _commit_error(exc: OSError, name: str) -> WriteError:
    where = f"could not replace {name}" if name else "could not write the site's cache"
    return WriteError(f"{where} ({exc.strerror or exc}): another program may have it open (a browser, a file "
                      "explorer, a web server or an antivirus, on Windows); close it and build again. The "
                      "previous site was left as it was")


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
                    os.replace(aside, target)
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
        raise WriteError(f"could not put the new site in place of {output} ({exc.strerror or exc}): another "
                         "program may have that folder open; close it and build again") from exc
