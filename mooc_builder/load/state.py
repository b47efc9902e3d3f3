"""What one load knows while it reads a tree: the report, the pages links may point to, the files each sequence
read (for the cache), the quizzes already used, and how media paths and Markdown links are resolved."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mooc_builder.diagnostics import Diagnostic, Pos, Report
from mooc_builder.lang.text import Message, say
from mooc_builder.load.cache import signature
from mooc_builder.load.drawings import Problem, drawing_problems
from mooc_builder.load.paths import REASONS, Refused, real_path, refusal, refusal_hint, resolve_local_path
from mooc_builder.load.tree import read_text, show
from mooc_builder.load.values import Ctx
from mooc_builder.load.yamlsrc import Node, ScalarNode, Source, parse_yaml
from mooc_builder.markdown.processor import MarkdownProcessor, Place, Target
from mooc_builder.model import MediaFile, portable_name_problem

if TYPE_CHECKING:
    from mooc_builder.load.cache import CourseMemo, LoadCache
    from mooc_builder.load.parallel import Claims


FILE = say("file")  # how a path's error names what it should be, unless told
NO_SEQUENCE = say("no such sequence")  # why a link to a .md file is wrong


@dataclass
class LoadState:
    root: Path
    report: Report
    allow_html: bool = False
    # Site path of each sequence page, by the real path of its .md file (for links).
    pages: dict[Path, str] = field(default_factory=dict)
    quiz_users: dict[Path, Path] = field(default_factory=dict)
    quiz_log: list[tuple[Path, Path]] = field(default_factory=list)  # quiz_users' entries, in order
    unlicensed: list[Pos] = field(default_factory=list)
    markdown: MarkdownProcessor | None = None
    cache: LoadCache | None = None
    # Files read while loading the current sequence, for the cache to watch.
    touched: set[Path] | None = None
    pages_key: str = ""
    claims: Claims | None = None  # in a reading process: which sequences are its to read
    changed: set[Path] | None = None  # the only files that may have changed since the cache's last load
    seen_sequences: int = 0
    real_root: Path | None = None  # root with its symlinks resolved, once per load
    real_folders: dict[str, str] = field(default_factory=dict)  # see paths.real_path, for this load
    links: dict[tuple[str, Path], tuple[Target, frozenset[Path]]] = field(default_factory=dict)  # this load's
    # Courses to take as a previous load made them (their files did not change), and the courses this load
    # read, by id (see CourseMemo).
    kept: Mapping[str, CourseMemo] = field(default_factory=dict)
    made: dict[str, CourseMemo] | None = None
    course_files: set[Path] = field(default_factory=set)  # what the course being read read itself
    # The languages the theme has interface text in (None: any language code, for a process that only reads
    # sequences; the load that checks site.yml and course.yml is given them).
    languages: frozenset[str] | None = None
    # What the check says of each SVG drawing named so far, by its path (read once per load).
    drawings: dict[Path, list[Problem]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):  # a broken root: resolved again, and reported, per path
            self.real_root = self.root.resolve()

    # --- what a reading leaves behind, for the cache to replay -------------------------------------

    def use_quiz(self, real: Path, user: Path) -> None:
        if real not in self.quiz_users:
            self.quiz_users[real] = user
            self.quiz_log.append((real, user))

    def touch(self, path: Path) -> None:
        if self.touched is not None:
            self.touched.add(path)

    @contextlib.contextmanager
    def recording(self) -> Iterator[Recording]:
        """What the reading inside the block reports and records: its diagnostics, the quizzes it used, the
        places it found no licence for."""
        record = Recording(len(self.report.items), len(self.quiz_log), len(self.unlicensed))
        yield record
        record.diagnostics = self.report.items[record.first:]
        record.quizzes = self.quiz_log[record.first_quiz:]
        record.unlicensed = self.unlicensed[record.first_unlicensed:]

    def replay(self, diagnostics: list[Diagnostic], quizzes: list[tuple[Path, Path]], unlicensed: list[Pos]) -> None:
        """What a reading reported and recorded, again, for a reading the cache saves."""
        self.report.items.extend(diagnostics)
        for real, user in quizzes:
            self.use_quiz(real, user)
        self.unlicensed.extend(unlicensed)

    # --- files and links ---------------------------------------------------------------------------

    @property
    def md(self) -> MarkdownProcessor:
        assert self.markdown is not None
        return self.markdown

    def media(self, raw: str, node: Node, ctx: Ctx, base_dir: Path, kinds: frozenset[str] | None = None,
              what: Message = FILE) -> MediaFile | None:
        path, reason = self.resolve_path(raw, base_dir)
        if path is None:
            assert reason is not None
            ctx.error(node, refusal(raw, reason, what), refusal_hint(reason, raw, base_dir))
            return None
        media = self.media_file(path)
        if kinds and media.extension not in kinds:
            ctx.error(node, say("'{path}' is not a {what}", path=raw, what=what),
                      say("use one of: {extensions}", extensions=", ".join(sorted(kinds))))
            return None
        problem = portable_name_problem(media.output.as_posix())
        if problem:
            ctx.error(node, say("'{path}': {problem}", path=raw, problem=problem),
                      say("rename the file (letters, digits, hyphens and dots are safe)"))
            return None
        for error, message, hint in self.drawing(media):
            (ctx.error if error else ctx.warn)(node, message, hint)
        return media

    def drawing(self, media: MediaFile) -> list[Problem]:
        """What the check says of a media file that is an SVG drawing (drawings.py), else []."""
        if media.extension != "svg":
            return []
        known = self.drawings.get(media.source)
        if known is None:
            known = self.drawings[media.source] = drawing_problems(media.source, show(media.source))
        return known

    def resolve_path(self, raw: str, base_dir: Path) -> tuple[Path, None] | tuple[None, Refused]:
        """:func:`paths.resolve_local_path`; a file not found is watched too: creating it must fix the error."""
        found = resolve_local_path(raw, base_dir, self.root, self.real_root, self.real_folders)
        if found[1] in (Refused.MISSING, Refused.NOT_A_FILE, Refused.SPECIAL):
            self.touch(Path(os.path.normpath(base_dir / raw.strip())))
        return found

    def media_file(self, path: Path) -> MediaFile:
        self.touch(path)
        rel = PurePosixPath(path.relative_to(self.root).as_posix())
        if rel.parts[0] == "courses":
            rel = PurePosixPath(*rel.parts[1:])
        return MediaFile(path, rel, path.stat().st_size)

    def resolve_link(self, raw: str, base_dir: Path) -> Target:
        """Where a Markdown link goes. The sequences of a folder link to the same few pages and files: each
        link is resolved once per load, and the files it looked at are watched for every sequence using it."""
        key = (raw, base_dir)
        known = self.links.get(key)
        if known is None:
            outer, self.touched = self.touched, set()
            try:
                target = self._resolve_link(raw, base_dir)
            finally:
                looked_at, self.touched = self.touched, outer
            known = self.links[key] = (target, frozenset(looked_at))
        if self.touched is not None:
            self.touched.update(known[1])
        return known[0]

    def _resolve_link(self, raw: str, base_dir: Path) -> Target:
        if not raw:
            return None, None, say("empty link")
        if raw.endswith(".md"):
            try:
                candidate = real_path(base_dir / raw, self.real_folders)
            except (OSError, RuntimeError):  # a symlink loop
                return None, None, NO_SEQUENCE
            page = self.pages.get(candidate)
            if page is not None:
                return page, None, ""
            return None, None, NO_SEQUENCE
        path, reason = self.resolve_path(raw, base_dir)
        if path is None:
            assert reason is not None
            return None, None, REASONS[reason]
        media = self.media_file(path)
        problem = portable_name_problem(media.output.as_posix())
        return (None, None, problem) if problem else (None, media, "")

    # --- YAML files and Markdown values ------------------------------------------------------------

    def yaml_file(self, path: Path) -> tuple[Node | None, Ctx] | None:
        """A YAML file's nodes, or None when it cannot be read or is not valid YAML (reported). A valid file
        whose stat did not change is not parsed again (load cache)."""
        cache = self.cache
        known = cache.yaml_memo(path, self.changed) if cache is not None else None
        if known is not None:
            _stamp, known_text, known_node = known
            return known_node, Ctx(Source(show(path), known_text), self.report)
        seen = signature(path) if cache is not None else None
        text = read_text(path, self.report, self.real_root)
        if text is None:
            return None
        ctx = Ctx(Source(show(path), text), self.report)
        errors_before = len(self.report.items)
        node = parse_yaml(ctx.source, self.report)
        if any(d.severity.value == "error" for d in self.report.items[errors_before:]):
            return None  # invalid YAML: any other message about this file would be noise
        if cache is not None and seen is not None:
            cache.yaml[path] = (seen, text, node)
        return node, ctx

    def markdown_value(self, node: Node, text: str, ctx: Ctx, base_dir: Path, inline: bool) -> str:
        """The HTML of a Markdown value of a YAML file, its errors at their place in that file."""
        pos = ctx.pos(node)
        line, col = pos.line or 1, pos.col or 1
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            # A block scalar starts on the next line, indented; its text lost that indentation.
            lines = ctx.source.text.splitlines()
            first = node.start_mark.line + 1
            content = next((ln for ln in lines[first:] if ln.strip()), "")
            indent = len(content) - len(content.lstrip(" "))
            place = Place(ctx.source.display, line, base_dir, col_offset=indent, indent=indent)
        else:
            quoted = isinstance(node, ScalarNode) and node.style in ("'", '"')
            place = Place(ctx.source.display, line - 1, base_dir, col_offset=col - 1 + (1 if quoted else 0))
        return self.md.render(text, place, self.report, inline=inline).html


@dataclass
class Recording:
    """See :meth:`LoadState.recording`."""

    first: int
    first_quiz: int
    first_unlicensed: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    quizzes: list[tuple[Path, Path]] = field(default_factory=list)
    unlicensed: list[Pos] = field(default_factory=list)
