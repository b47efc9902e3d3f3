"""Find the files of a content tree and read them as text, reporting what is wrong.

This is the only module of the loading stage that touches the file system for
the tree's shape; it knows the layout of the course format and nothing of YAML keys.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.diagnostics import Pos, Report, display_path
from mooc_builder.lang.text import Text, say
from mooc_builder.markdown.slug import slug
from mooc_builder.model import RESERVED_IDS, WINDOWS_DEVICES
from mooc_builder.model.limits import MAX_TEXT_BYTES

_ORDERED = re.compile(r"^(\d+)-(.+)\Z", re.S)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SequenceFile:
    path: Path
    order: int
    id: str
    real: Path  # the file once symlinks are followed (what links to it resolve to)


@dataclass(slots=True)
class ModuleDir:
    path: Path
    order: int
    id: str
    sequences: list[SequenceFile] = field(default_factory=list)
    quizzes: list[Path] = field(default_factory=list)


@dataclass(slots=True)
class CourseDir:
    path: Path
    id: str
    modules: list[ModuleDir] = field(default_factory=list)


@dataclass(slots=True)
class Tree:
    root: Path
    courses: list[CourseDir] = field(default_factory=list)


def show(path: Path) -> str:
    return display_path(path)


def _entries(folder: Path, root: Path, report: Report) -> list[os.DirEntry[str]]:
    """The visible entries of a folder, sorted by name; symlinks leaving the tree are reported and skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        report.error(Pos(show(folder)), say("cannot read this folder ({problem})", problem=exc.strerror),
                     say("check its permissions"))
        return []
    kept = []
    real_root = root.resolve()
    for entry in entries:
        if entry.name.startswith((".", "_", "~")) or entry.name.endswith("~"):
            continue
        if entry.is_symlink():
            try:
                target = Path(entry.path).resolve()
            except (OSError, RuntimeError):
                report.error(Pos(show(Path(entry.path))), say("this symlink loops back on itself"),
                             say("remove it or point it to a real file"))
                continue
            if not target.is_relative_to(real_root):
                report.error(Pos(show(Path(entry.path))), _SYMLINK_OUTSIDE, _COPY_INSTEAD)
                continue
            if not target.exists():
                report.error(Pos(show(Path(entry.path))), say("this symlink points to nothing"),
                             say("remove it or point it to an existing file"))
                continue
        kept.append(entry)
    return kept


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


_SYMLINK_OUTSIDE = say("this symlink points outside the content folder")
_COPY_INSTEAD = say("copy the file into the content folder instead of linking to it")


def _id_problem(name: str) -> Text | None:
    if not _ID.match(name):
        return say("'{name}' is not a valid id: use lower-case letters a-z, digits and single hyphens", name=name)
    if name in RESERVED_IDS:
        return say("'{name}' is reserved for the site's own pages", name=name)
    if name in WINDOWS_DEVICES:
        return say("'{name}' is a name Windows keeps for a device (con, prn, aux, nul, com1-9, lpt1-9): the site "
                   "could not be copied onto a USB stick or a Windows computer", name=name)
    return None


def _misnamed(entry: os.DirEntry[str], expected: str, siblings: set[str], report: Report) -> bool:
    """Whether a file is ``expected`` (site.yml, course.yml, module.yml) misnamed: with .yaml, in capitals, or
    with the .txt an editor added; reported with the name to give it."""
    stem = expected.removesuffix(".yml")
    if entry.name == expected or not re.match(rf"^{stem}\.ya?ml(?:\.txt)?\Z", entry.name, re.IGNORECASE):
        return False
    return _misnamed_as(entry, expected, siblings, report)


def _misnamed_quiz(entry: os.DirEntry[str], siblings: set[str], report: Report) -> bool:
    """The same for a quiz: first.quiz.yaml, first.QUIZ.yml."""
    match = re.match(r"^(.+)\.quiz\.ya?ml(?:\.txt)?\Z", entry.name, re.IGNORECASE)
    if entry.name.endswith(".quiz.yml") or not match:
        return False
    return _misnamed_as(entry, f"{match.group(1)}.quiz.yml", siblings, report)


def _misnamed_as(entry: os.DirEntry[str], expected: str, siblings: set[str], report: Report) -> bool:
    """Report a misnamed file: an error when no file has the right name (it is not read), else a warning that
    it is ignored."""
    path = Path(entry.path)
    if expected not in siblings and (path.parent / expected).exists():
        return False  # a disk that ignores case (Windows, macOS) reads Course.yml as course.yml
    if expected in siblings:
        report.warn(Pos(show(path)), say("this file is ignored: {expected} is read instead", expected=expected),
                    say("delete {name}, or move what it holds into {expected}", name=entry.name, expected=expected))
    else:
        report.error(Pos(show(path)), say("this file is not read: it should be named {expected}", expected=expected),
                     say("rename {name} to {expected}", name=entry.name, expected=expected))
    return True


def discover(root: Path, report: Report) -> Tree:
    tree = Tree(root)
    try:
        top = [entry for entry in os.scandir(root) if entry.is_file()]
    except OSError:
        top = []
    for entry in top:
        _misnamed(entry, "site.yml", {e.name for e in top}, report)
    courses_dir = root / "courses"
    if not courses_dir.is_dir():
        report.error(Pos(show(courses_dir)), say("the content folder has no courses/ folder"),
                     say("create courses/<course-id>/course.yml (see the README)"))
        return tree
    if courses_dir.is_symlink() and not _inside(courses_dir, root):
        report.error(Pos(show(courses_dir)), say("courses/ is a symlink to a folder outside the content folder"),
                     say("move the courses into the content folder instead of linking to them"))
        return tree
    for entry in _entries(courses_dir, root, report):
        path = Path(entry.path)
        if not entry.is_dir():
            report.warn(Pos(show(path)), say("a file directly in courses/ is ignored"),
                        say("courses/ holds one folder per course"))
            continue
        problem = _id_problem(entry.name)
        if problem:
            report.error(Pos(show(path)), say("course folder: {problem}", problem=problem),
                         say("rename the folder, e.g. energie-habitants"))
            continue
        tree.courses.append(_course(path, entry.name, root, report))
    if not tree.courses and not report.errors:
        report.error(Pos(show(courses_dir)), say("there are no courses"),
                     say("add a folder courses/<course-id>/ with a course.yml"))
    return tree


def _course(path: Path, course_id: str, root: Path, report: Report) -> CourseDir:
    course = CourseDir(path, course_id)
    seen: dict[str, Path] = {}
    entries = _entries(path, root, report)
    names = {e.name for e in entries}
    for entry in entries:
        child = Path(entry.path)
        if not entry.is_dir():
            if _misnamed(entry, "course.yml", names, report):
                continue
            if entry.name != "course.yml" and entry.name.lower().endswith((".yml", ".yaml", ".md")):
                report.warn(Pos(show(child)), say("this file is not part of the course and is ignored"),
                            say("sequences go in a module folder NN-module-id/"))
            continue
        if entry.name == "media":
            continue
        numbered = _numbered(entry.name, child, _MODULE, seen, report)
        if numbered is not None:
            course.modules.append(_module(child, *numbered, root, report))
    course.modules.sort(key=lambda m: (m.order, m.id))
    return course


@dataclass(frozen=True)
class _Numbered:
    """What to say of a module folder's or a sequence file's name, NN-id."""

    ignored: Text  # the warning for a name without its number
    what: Text
    example: Text  # a good name
    module: bool  # a module folder, else a sequence file


_MODULE = _Numbered(say("folder ignored: module folders start with a number, e.g. 01-facture"), say("module folder"),
                    say("rename the folder, e.g. 01-facture"), True)
_SEQUENCE = _Numbered(say("Markdown file ignored: sequence files start with a number, e.g. 01-lire.md"),
                      say("sequence file"), say("rename the file, e.g. 01-lire-sa-facture.md"), False)


def _numbered(stem: str, child: Path, naming: _Numbered, seen: dict[str, Path],
              report: Report) -> tuple[int, str] | None:
    """The order and id of a name NN-id, or None when it is not one (reported); ``seen``: the ids of its
    siblings so far, which it joins."""
    match = _ORDERED.match(stem)
    if not match:
        report.warn(Pos(show(child)), naming.ignored, say("rename it 0N-{name} to publish it", name=child.name))
        return None
    order, given = int(match.group(1)), match.group(2)
    problem = _id_problem(given)
    if problem:
        fixed = slug(given)
        hint = say("rename it {name}", name="-".join((match.group(1), fixed + child.name[len(stem):]))) \
            if fixed != "section" and not _id_problem(fixed) else naming.example
        report.error(Pos(show(child)), say("{what}: {problem}", what=naming.what, problem=problem), hint)
        return None
    if given in seen:
        other = seen[given].name
        if naming.module:
            report.error(Pos(show(child)), say("module id '{id}' is used twice in this course (also {other})",
                                               id=given, other=other),
                         say("give each module a different name after its number"))
        else:
            report.error(Pos(show(child)), say("sequence id '{id}' is used twice in this module (also {other})",
                                               id=given, other=other),
                         say("give each sequence a different name after its number"))
        return None
    seen[given] = child
    return order, given


def _module(path: Path, order: int, module_id: str, root: Path, report: Report) -> ModuleDir:
    module = ModuleDir(path, order, module_id)
    seen: dict[str, Path] = {}
    real_dir = path.resolve()  # once per module: resolving every file is what makes a rebuild slow
    plain = real_dir == path  # no symlink on the way: a file is its own real path (one object, pickled once)
    entries = _entries(path, root, report)
    names = {e.name for e in entries}
    for entry in entries:
        child = Path(entry.path)
        if entry.is_dir():
            if entry.name != "media":
                report.warn(Pos(show(child)), say("folder ignored inside a module"), say("only media/ is read here"))
            continue
        if entry.name.endswith(".quiz.yml"):
            module.quizzes.append(child)
            continue
        if _misnamed(entry, "module.yml", names, report) or _misnamed_quiz(entry, names, report):
            continue
        if entry.name == "module.yml" or not entry.name.endswith(".md"):
            continue
        numbered = _numbered(entry.name[:-3], child, _SEQUENCE, seen, report)
        if numbered is None:
            continue
        order_number, seq_id = numbered
        real = child.resolve() if entry.is_symlink() else child if plain else real_dir / entry.name
        module.sequences.append(SequenceFile(child, order_number, seq_id, real))
    module.sequences.sort(key=lambda s: (s.order, s.id))
    return module


def read_text(path: Path, report: Report, real_root: Path | None) -> str | None:
    """A file's text as UTF-8 (a BOM is allowed); report a missing, unreadable, non-UTF-8, too large or special
    file, or a symlink out of ``real_root`` (the content folder, resolved)."""
    data = read_bounded(path, report, real_root)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(not_utf8(path, data, exc), say("this file is not UTF-8 text"),
                     say("save it as UTF-8 in your editor (e.g. 'Save with encoding: UTF-8')"))
        return None
    if "\x00" in text:
        report.error(Pos(show(path), 1, 1), say("this file contains binary data"),
                     say("save it as plain UTF-8 text"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError) -> Pos:
    """Where the first byte that is not UTF-8 is, as an editor counts lines and columns."""
    before = data[: exc.start]
    line = before.count(b"\n") + 1
    line_start = data[before.rfind(b"\n") + 1 : exc.start]
    return Pos(show(path), line, len(line_start.decode("utf-8", errors="replace")) + 1)


def read_bounded(path: Path, report: Report, real_root: Path | None, limit: int = MAX_TEXT_BYTES) -> bytes | None:
    """A content file's bytes, at most ``limit`` of them. A named pipe or a device where a file is expected would
    block the read or never end it, and a symlink may lead out of the content folder: each is refused, named,
    before it is opened (and checked again once open, in case it was swapped in between)."""
    where = Pos(show(path))
    try:
        status = os.stat(path)
        if real_root is not None and os.path.islink(path) and not path.resolve().is_relative_to(real_root):
            report.error(where, _SYMLINK_OUTSIDE, _COPY_INSTEAD)
            return None
        if _special(status.st_mode, path, report):
            return None
        descriptor = os.open(path, os.O_RDONLY | _NO_WAIT | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        misnamed = _misnamed_sibling(path)
        report.error(where, say("file not found"), say("rename {name} to {expected}", name=misnamed,
                                                             expected=path.name) if misnamed else
                     say("create it (see the README for its keys)"))
        return None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on some Pythons
        report.error(where, say("cannot read this file ({problem})",
                                problem=getattr(exc, "strerror", None) or exc), say("check its permissions"))
        return None
    try:
        status = os.fstat(descriptor)
        if _special(status.st_mode, path, report):
            return None
        if status.st_size > limit:
            report.error(where, say("this file is {size}; mooc reads text files of up to {limit}",
                                    size=_megabytes(status.st_size), limit=_megabytes(limit)),
                         say("split it (a sequence is a few minutes of reading), or check that it is the right "
                             "file"))
            return None
        chunks, size = [], 0
        while size <= limit:  # a file that grows while read stops at the limit too
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        report.error(where, say("cannot read this file ({problem})", problem=exc.strerror or exc),
                     say("check its permissions"))
        return None
    finally:
        os.close(descriptor)
    if size > limit:
        report.error(where, say("this file is over {limit}, what mooc reads of a text file",
                                limit=_megabytes(limit)), say("split it, or check that it is the right file"))
        return None
    return b"".join(chunks)


def _misnamed_sibling(path: Path) -> str:
    """The name of a file beside a missing ``name.yml`` that is that file misnamed (name.yaml, Name.yml,
    name.yml.txt), or ''."""
    if not path.name.endswith(".yml"):
        return ""
    stem = re.escape(path.name.removesuffix(".yml"))
    try:
        names = sorted(os.listdir(path.parent))
    except OSError:
        return ""
    return next((name for name in names if re.match(rf"^{stem}\.ya?ml(?:\.txt)?\Z", name, re.IGNORECASE)), "")


# A named pipe opened without it returns only once a writer opens it, i.e. never.
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)


def _special(mode: int, path: Path, report: Report) -> bool:
    """Report a folder, a pipe, a device or a socket where a file is expected."""
    if stat.S_ISREG(mode):
        return False
    kind = (say("a folder") if stat.S_ISDIR(mode) else say("a named pipe (FIFO)") if stat.S_ISFIFO(mode)
            else say("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else say("a socket") if stat.S_ISSOCK(mode) else say("not a regular file"))
    report.error(Pos(show(path)), say("this is {kind}, not a file", kind=kind),
                 say("replace it with the text file it should be"))
    return True


def _megabytes(size: int) -> Text:
    return say("{size} MB", size=format(size / 1_000_000, ".1f").removesuffix(".0"))


@dataclass(frozen=True, slots=True)
class FrontMatter:
    yaml: str
    yaml_offset: int  # lines before the YAML (the opening ---)
    body: str
    body_offset: int  # lines before the body


def split_front_matter(text: str, path: Path, report: Report) -> FrontMatter | None:
    if not text.startswith("---") or text.split("\n", 1)[0].strip() != "---":
        report.error(Pos(show(path), 1, 1), say("the sequence has no front matter"),
                     say("start the file with a line '---', then title: \"...\", then a line '---'"))
        return None
    rest = text.split("\n", 1)[1] if "\n" in text else ""
    end = _FRONT_MATTER_END.search(rest)
    if end is None:
        report.error(Pos(show(path), 1, 1), say("the front matter is not closed"),
                     say("end it with a line '---' before the Markdown text"))
        return None
    yaml_text = rest[: end.start()]
    after = rest[end.end():]
    body = after[1:] if after.startswith("\n") else after
    yaml_lines = yaml_text.count("\n")
    return FrontMatter(yaml_text, 1, body, 1 + yaml_lines + 1)
