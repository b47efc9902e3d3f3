"""What the loader may reuse from a previous load: sequences whose files did not change.

A sequence is reloaded when any file it read (its Markdown, its quiz, its media,
captions and transcripts) has another size, inode, mtime or ctime, or when what it
inherits changed (licence, credit, the set of pages links may point to). Its
diagnostics are kept with it, so warnings still show for an unchanged file.
"""

from __future__ import annotations

import os
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.diagnostics import Diagnostic, Pos
from mooc_builder.load.tree import Tree
from mooc_builder.load.yamlsrc import Node
from mooc_builder.model import Course, Module, Sequence

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
class ModuleMemo:
    """A module as a load made it, for a reload told which files changed (`mooc serve`), when ``files``
    (its module.yml, quizzes, sequences and every file they read) holds none of them."""

    context: tuple[object, ...]
    files: frozenset[Path]
    module: Module
    # Its diagnostics, before and after the warnings about unused quizzes (checked again on reuse: another
    # module's sequence may use one of its quizzes).
    diagnostics: tuple[list[Diagnostic], list[Diagnostic]]
    quizzes: list[tuple[Path, Path]]  # (quiz, sequence using it) it recorded
    unlicensed: list[Pos]


@dataclass
class CourseMemo:
    """A course as a load made it, for a later load that keeps it whole (a one-off build that finds none of its
    files changed): the course without its modules (what the catalogue shows of it), what its load reported
    and the quizzes it used, its checks' warnings, and every file its load read."""

    header: Course
    diagnostics: list[Diagnostic]
    quizzes: list[tuple[Path, Path]]
    files: frozenset[str]  # as strings: a catalogue's records hold thousands, and a Path costs to unpickle
    checks: list[Diagnostic] = field(default_factory=list)


@dataclass
class Shape:
    """The last discovery of a tree (its folders and files) with what it reported, for a reload told that no
    file was added, removed or renamed (by `mooc serve`'s watcher, or by the stat of every file)."""

    tree: Tree
    diagnostics: list[Diagnostic]
    files: set[Path]  # every file the discovery listed
    pages: dict[Path, str]
    pages_key: str


@dataclass
class LoadCache:
    sequences: dict[Path, SequenceMemo] = field(default_factory=dict)
    # Valid YAML files as composed nodes, by path: (stat signature, text, node).
    yaml: dict[Path, tuple[Signature, str, Node | None]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    shape: Shape | None = None
    modules: dict[Path, ModuleMemo] = field(default_factory=dict)

    def lookup(self, path: Path, context: tuple[object, ...], changed: Set[Path] | None = None) -> SequenceMemo | None:
        """The memo of a sequence if nothing it was made from changed. ``changed``: the only files that may
        have changed since the last load (from a watcher); None: look at every file it read."""
        memo = self.sequences.get(path)
        if memo is None or memo.context != context:
            return None
        for dep, seen in memo.deps.items():
            if (changed is None or dep in changed) and signature(dep) != seen:
                return None
        return memo

    def yaml_memo(self, path: Path, changed: Set[Path] | None) -> tuple[Signature, str, Node | None] | None:
        """A YAML file's memo if the file did not change (see :meth:`lookup` for ``changed``)."""
        known = self.yaml.get(path)
        if known is None or (changed is not None and path not in changed):
            return known
        return known if signature(path) == known[0] else None

    def reshaped(self, changed: Set[Path]) -> bool:
        """Whether a change may have added, removed or renamed files: the tree must be discovered again."""
        shape = self.shape
        if shape is None:
            return True
        deps: set[Path] | None = None
        for path in changed:
            known = path in shape.files or path in self.yaml
            if not known:  # a media file, say: is it one that a sequence was made from?
                if deps is None:
                    deps = {dep for memo in self.sequences.values() for dep in memo.deps}
                known = path in deps
            exists = os.path.lexists(path)
            if known != exists or (exists and not os.path.isfile(path)):
                return True  # created, deleted, or a folder whose list of files changed
        return False

