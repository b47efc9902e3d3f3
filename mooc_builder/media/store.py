"""Where the files the build makes from media are kept between builds: the output's cache folder, one file per
recipe applied to one source, named by the digest of both. A warm build finds each by name and makes
nothing; a deleted store is made again, the same bytes (every recipe is deterministic)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

# What the name of a made file depends on besides its source and recipe: raised when a recipe's code changes
# what it makes, so that a store made by an older mooc is not taken for this one's.
STORE_VERSION = "1"


def made_key(source_digest: str, recipe: str) -> str:
    """The name of what ``recipe`` makes of the file whose sha256 is ``source_digest``."""
    return hashlib.sha256(f"{STORE_VERSION}\0{source_digest}\0{recipe}".encode()).hexdigest()


class Store:
    """Made files under ``folder``, each at ``<key[:2]>/<key><suffix>``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str, suffix: str) -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def has(self, key: str, suffix: str) -> bool:
        return self.path(key, suffix).is_file()

    def make(self, key: str, suffix: str, produce: Callable[[Path], None]) -> Path:
        """The made file, made by ``produce(path)`` when the store does not have it yet: written under a
        temporary name and renamed, so that a build killed half-way leaves no half file under the real name."""
        target = self.path(key, suffix)
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            produce(temporary)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()
        return target
