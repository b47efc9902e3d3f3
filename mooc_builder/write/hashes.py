"""sha256 of source files, remembered between builds by their stat."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

CHUNK = 1 << 20


class FileHashes:
    """sha256 of source files, remembered between builds.

    An entry is reused only when path, size, inode, mtime and ctime all match: a
    changed file always gets a new stat, so it is hashed again; the hash itself,
    never the dates, decides whether a bundle is rebuilt.
    """

    def __init__(self, entries: dict[str, list[Any]] | None = None) -> None:
        self.entries = entries or {}
        self.fresh: dict[str, list[Any]] = {}

    @staticmethod
    def load(path: Path | None) -> FileHashes:
        if path is None:
            return FileHashes()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return FileHashes(data if isinstance(data, dict) else None)
        except (OSError, ValueError):
            return FileHashes()

    def digest(self, source: Path) -> str:
        stat = source.stat()
        signature = [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]
        key = str(source)
        if key in self.fresh and self.fresh[key][:4] == signature:
            return str(self.fresh[key][4])
        known = self.entries.get(key)
        if isinstance(known, list) and len(known) == 5 and known[:4] == signature:
            self.fresh[key] = known
            return str(known[4])
        digest = hash_file(source)
        self.fresh[key] = [*signature, digest]
        return digest

    def dump(self) -> str:
        return json.dumps(self.fresh, sort_keys=True, indent=0)


def hash_file(source: Path) -> str:
    sha = hashlib.sha256()
    with source.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            sha.update(chunk)
    return sha.hexdigest()
