"""What the loader may reuse from a previous load: sequences whose files did not change.

A sequence is reloaded when any file it read (its Markdown, its quiz, its media,
captions and transcripts) has another size, inode, mtime or ctime, or when what it
inherits changed (licence, credit, the set of pages links may point to). Its
diagnostics are kept with it, so warnings still show for an unchanged file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Pos
from .model import Sequence
from .yamlsrc import Node

Signature = tuple[int, int, int, int] | None


def signature(path: Path) -> Signature:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)


@dataclass
class SequenceMemo:
    context: tuple[object, ...]
    deps: dict[Path, Signature]
    sequence: Sequence | None
    diagnostics: list[Diagnostic]
    quiz: Path | None
    unlicensed: Pos | None


@dataclass
class LoadCache:
    sequences: dict[Path, SequenceMemo] = field(default_factory=dict)
    # Valid YAML files as composed nodes, by path: (stat signature, text, node).
    yaml: dict[Path, tuple[Signature, str, Node | None]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def lookup(self, path: Path, context: tuple[object, ...]) -> SequenceMemo | None:
        memo = self.sequences.get(path)
        if memo is None or memo.context != context:
            return None
        for dep, seen in memo.deps.items():
            if signature(dep) != seen:
                return None
        return memo
