"""`mooc new`: a new site, course, module, sequence or quiz, from small commented templates in the site's language.

Each form finds where it is from the current folder (site.yml in it or above it; the course and module folders
on the way), numbers what it makes next in order (``02-id/``, ``03-id.md``), and writes every file or nothing: it
never overwrites a file and writes nothing outside the site. What it made passes ``mooc check`` as it is.

Editor help: each YAML file it writes starts with the line that points VS Code's YAML extension at its JSON
Schema (``# yaml-language-server: $schema=../../schemas/course.schema.json``), in the site's schemas/ folder.
A site without that folder (a new one, or one made before) gets it with the first YAML file written, and a
.vscode/settings.json that gives the same schemas to the files written by hand, unless it has one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from mooc_builder.lang.text import Text, say
from mooc_builder.load import schema
from mooc_builder.markdown.slug import slug
from mooc_builder.model import RESERVED_IDS, WINDOWS_DEVICES
from mooc_builder.new.messages import written

__all__ = ["LANGUAGES", "NewError", "Plan", "add_to_courses", "attach_quiz", "new_course", "new_module", "new_quiz",
           "new_sequence", "new_site", "write"]

LANGUAGES = ("fr", "en")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_NUMBERED = re.compile(r"^(\d+)-(.+)\Z")
_LANGUAGE = re.compile(r"^language:[ \t]*[\"']?(fr|en)\b", re.MULTILINE)
_DRAWING = {"fr": "dessin-exemple.svg", "en": "example-drawing.svg"}
# The first module and sequence that `new course` and `new module` make, so that what they make checks clean.
_FIRST_COURSE = {"fr": "mon-premier-cours", "en": "my-first-course"}
_FIRST = {"fr": ("introduction", "bienvenue"), "en": ("introduction", "welcome")}
_WHAT = {"course": say("a course"), "module": say("a module"), "sequence": say("a sequence"), "quiz": say("a quiz")}


class NewError(Exception):
    """What stops `mooc new` (args[0]: a Text, said in the language of the person running it); nothing was
    written."""


@dataclass
class Plan:
    """The files to write (path, text), and site.yml's new text when the course is added to its list."""

    language: str
    files: list[tuple[Path, str]] = field(default_factory=list)
    edits: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    site: Path = Path()

    def add(self, path: Path, text: str) -> None:
        self.files.append((path, text))


def _template(language: str, name: str, **values: str) -> str:
    text = resources.files("mooc_builder.new").joinpath("templates", language, name).read_text(encoding="utf-8")
    return Template(text).substitute(values)


def _yaml(plan: Plan, path: Path, schema_name: str, text: str) -> None:
    """A YAML file, first pointed at its schema (written into the site's schemas/ when missing there)."""
    folder = plan.site / schema.FOLDER
    if _editor_help(plan, folder):
        text = schema.modeline(folder / schema_name, path) + written(plan.language, "modeline") + "\n" + text
    plan.add(path, text)


def _editor_help(plan: Plan, folder: Path) -> bool:
    """Whether the site has (or gets with this plan) its schemas: the ones missing are added to the plan once,
    with .vscode/settings.json when the folder is new and the site has none. A schemas that is not a folder
    is the author's: left alone, and no file points at it."""
    if folder.exists() and not folder.is_dir():
        return False
    if any(path.parent == folder for path, _ in plan.files):
        return True
    if not folder.exists():
        settings = plan.site / ".vscode" / "settings.json"
        if not settings.exists():
            plan.add(settings, schema.editor_settings())
    # In the site's language, as `mooc check` wants them: the one its site.yml names (a new site's: the plan's).
    written = (plan.site / "site.yml").is_file()
    language = schema.schema_language(schema.site_language(plan.site) if written else plan.language)
    for name, text in schema.schemas(language).items():
        if not (folder / name).exists():
            plan.add(folder / name, text)
    return True


def _show(path: Path) -> str:
    """A path as the author finds it from the current folder."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)


def title_of(ident: str) -> str:
    """A first title from an id: ``le-bac-jaune`` is "Le bac jaune"."""
    return ident.replace("-", " ").capitalize()


def check_id(ident: str, what: str, language: str) -> None:
    """Refuse an id that is not lower-case letters, digits and hyphens, suggesting the one meant."""
    numbered = _NUMBERED.match(ident)
    if numbered is not None and numbered.group(1).isdigit() and _ID.match(numbered.group(2)):
        raise NewError(say("'{id}': give the name without its number ({fixed}); the number is added for you",
                           id=ident, fixed=numbered.group(2)))
    if _ID.match(ident) is None:
        fixed = slug(ident)
        problem = say("'{id}' cannot be the name of {what}: a name is lower-case letters without accents, digits "
                      "and hyphens (-), with no space", what=_WHAT[what], id=ident)
        if fixed and fixed != "section" and _ID.match(fixed):
            raise NewError(say("{problem}; for example: {fixed}", problem=problem, fixed=fixed))
        raise NewError(problem)
    if ident in RESERVED_IDS or ident in WINDOWS_DEVICES:
        raise NewError(say("'{id}' is a reserved name (by the site or by Windows): choose another one", id=ident))


def site_language(site_yml: Path) -> str:
    """The language site.yml names (fr when it names none, or one this command has no templates for)."""
    try:
        found = _LANGUAGE.search(site_yml.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return "fr"
    return found.group(1) if found else "fr"


def find_site(start: Path) -> Path:
    """The folder holding site.yml: ``start`` or the nearest folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "site.yml").is_file():
            return folder
    raise NewError(say("no site.yml in this folder or above it: make a site with 'mooc new site content', or go "
                       "into a site's folder"))


def _place(start: Path, depth: int) -> tuple[Path, str, Path | None]:
    """The site, its language, and the folder ``depth`` levels under courses/ that ``start`` is in (1: course,
    2: module), or None."""
    site = find_site(start)
    language = site_language(site / "site.yml")
    parts = start.resolve().relative_to(site).parts
    if len(parts) <= depth or parts[0] != "courses":
        return site, language, None
    folder = site.joinpath(*parts[: depth + 1])
    if depth == 2 and _NUMBERED.match(parts[2]) is None:
        return site, language, None  # the course's media/ folder, not a module
    return site, language, folder


def _numbered(folder: Path, ident: str, what: str, language: str, suffix: str = "") -> Path:
    """The path of ``ident`` numbered next in ``folder`` (folders, or files ending with ``suffix``)."""
    numbers, width = [], 2
    for child in folder.iterdir() if folder.is_dir() else ():
        name = child.name
        if suffix:
            if not (child.is_file() and name.endswith(suffix)):
                continue
            name = name[: -len(suffix)]
        elif not child.is_dir():
            continue
        found = _NUMBERED.match(name)
        if found is None:
            continue
        if found.group(2) == ident:
            raise NewError(say("there is already {what} of this name ({id}): {path}; nothing was written",
                               what=_WHAT[what], id=ident, path=_show(child)))
        numbers.append(int(found.group(1)))
        width = max(width, len(found.group(1)))
    return folder / f"{max(numbers, default=0) + 1:0{width}d}-{ident}{suffix}"


def _sequence(plan: Plan, path: Path, ident: str, title: str, course: Path, quiz: str = "") -> None:
    language = plan.language
    drawing = _DRAWING[language]
    has_drawing = (course / "media" / drawing).is_file() or any(p == course / "media" / drawing for p, _ in plan.files)
    image = _template(language, "image.md" if has_drawing else "no-image.md", drawing=drawing)
    quiz_line = f"quiz: {quiz}{written(language, 'quiz_comment')}\n" if quiz else ""
    plan.add(path, _template(language, "sequence.md", id=ident, title=title, quiz=quiz_line, image=image))


def _module(plan: Plan, folder: Path, course: Path, title: str) -> None:
    ident = _NUMBERED.match(folder.name).group(2)  # type: ignore[union-attr]
    _yaml(plan, folder / "module.yml", "module.schema.json",
          _template(plan.language, "module.yml", id=ident, title=title))
    first = _FIRST[plan.language][1]
    _sequence(plan, folder / f"01-{first}.md", first, written(plan.language, "first_sequence"), course)


def new_site(directory: Path, language: str) -> Plan:
    """site.yml and a first course, so that the new site checks and builds as it is."""
    for path in (directory / "site.yml", directory / "courses"):
        if path.exists():
            raise NewError(say("{path} already exists: nothing was written (choose another name)",
                               path=_show(path)))
    if directory.exists() and not directory.is_dir():
        raise NewError(say("{path} already exists: nothing was written (choose another name)",
                           path=_show(directory)))
    plan = Plan(language, site=directory)
    _yaml(plan, directory / "site.yml", "site.schema.json", _template(language, "site.yml"))
    _course(plan, directory / "courses" / _FIRST_COURSE[language], written(language, "first_course"))
    return plan


def _course(plan: Plan, course: Path, title: str) -> None:
    language = plan.language
    _yaml(plan, course / "course.yml", "course.schema.json",
          _template(language, "course.yml", id=course.name, title=title))
    plan.add(course / "media" / _DRAWING[language], _template(language, "drawing.svg"))
    _module(plan, course / f"01-{_FIRST[language][0]}", course, written(language, "first_module"))


def new_course(start: Path, ident: str) -> Plan:
    site, language, _ = _place(start, 1)
    check_id(ident, "course", language)
    course = site / "courses" / ident
    if course.exists():
        raise NewError(say("there is already {what} of this name ({id}): {path}; nothing was written",
                           what=_WHAT["course"], id=ident, path=_show(course)))
    plan = Plan(language, site=site)
    _course(plan, course, title_of(ident))
    listed = add_to_courses((site / "site.yml").read_text(encoding="utf-8"), ident)
    if listed is None:
        plan.notes.append(say("add {id} to the courses: list in site.yml to publish this course", id=ident))
    elif listed:
        plan.edits.append((site / "site.yml", listed))
    return plan


def new_module(start: Path, ident: str) -> Plan:
    site, language, course = _place(start, 1)
    if course is None:
        raise NewError(say("go into a course's folder (courses/<course>/) to add a module to it"))
    check_id(ident, "module", language)
    plan = Plan(language, site=site)
    _module(plan, _numbered(course, ident, "module", language), course, title_of(ident))
    return plan


def _in_module(start: Path, ident: str, what: str) -> tuple[Plan, Path, Path]:
    site, language, module = _place(start, 2)
    if module is None:
        raise NewError(say("go into a module's folder (courses/<course>/01-<module>/) to add a sequence or a "
                           "quiz"))
    check_id(ident, what, language)
    return Plan(language, site=site), module, module.parent


def new_sequence(start: Path, ident: str) -> Plan:
    plan, module, course = _in_module(start, ident, "sequence")
    _sequence(plan, _numbered(module, ident, "sequence", plan.language, ".md"), ident, title_of(ident), course)
    return plan


def new_quiz(start: Path, ident: str) -> Plan:
    """The quiz ``ident.quiz.yml``, named by the sequence of the same id (made when there is none)."""
    plan, module, course = _in_module(start, ident, "quiz")
    quiz = f"{ident}.quiz.yml"
    _yaml(plan, module / quiz, "quiz.schema.json",
          _template(plan.language, "quiz.yml", file=quiz, title=title_of(ident)))
    sequences = [p for p in module.glob("*.md") if (m := _NUMBERED.match(p.stem)) and m.group(2) == ident]
    if not sequences:
        _sequence(plan, _numbered(module, ident, "sequence", plan.language, ".md"), ident, title_of(ident), course,
                  quiz)
        return plan
    text = sequences[0].read_text(encoding="utf-8")
    attached = attach_quiz(text, quiz)
    if attached is None:
        raise NewError(say("{path} has a quiz already (a quiz: line): nothing was written",
                           path=_show(sequences[0])))
    plan.edits.append((sequences[0], attached))
    return plan


def write(plan: Plan) -> list[Path]:
    """Write the plan's files and edits, all or nothing: no file is overwritten, and on a failure what was
    written is removed again. Returns the files written or changed."""
    for path, _ in plan.files:
        if path.exists():
            raise NewError(say("{path} already exists: nothing was written (choose another name)",
                               path=_show(path)))
    made: list[Path] = []
    folders: list[Path] = []
    try:
        for path, text in plan.files:
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                folders.append(folder)
            with path.open("x", encoding="utf-8", newline="\n") as file:
                made.append(path)
                file.write(text)
        for path, text in plan.edits:  # last: a failure before leaves the author's files as they were
            path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        for path in reversed(made):
            path.unlink(missing_ok=True)
        for folder in reversed(folders):
            folder.rmdir()
        raise NewError(say("cannot write ({error}): nothing was written",
                           error=f"{exc.filename or ''} {exc.strerror or exc}")) from exc
    return [*made, *(path for path, _ in plan.edits)]


def attach_quiz(text: str, quiz: str) -> str | None:
    """``text`` with ``quiz: <quiz>`` added at the end of its front matter; None when it names a quiz already or
    has no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.startswith("quiz:"):
            return None
        if line.rstrip() in ("---", "..."):
            newline = "\r\n" if line.endswith("\r\n") else "\n"
            return "".join([*lines[:number], f"quiz: {quiz}{newline}", *lines[number:]])
    return None


def add_to_courses(text: str, ident: str) -> str | None:
    """site.yml's text with ``ident`` added to its ``courses:`` list, comments kept; "" when site.yml lists no
    courses (every folder is published), None when the list is written in a way this does not edit."""
    found = re.search(r"^courses:[ \t]*(.*)$", text, re.MULTILINE)
    if found is None:
        return ""
    value = found.group(1)
    flow = re.match(r"\[([^\]#]*)\]", value)
    if flow is not None:
        items = flow.group(1).strip()
        start, end = found.start(1) + flow.start(1), found.start(1) + flow.end(1)  # inside the brackets
        return text[:start] + (f"{items}, {ident}" if items else ident) + text[end:]
    if value.strip() and not value.lstrip().startswith("#"):
        return None
    lines = text.splitlines(keepends=True)
    first = text.count("\n", 0, found.start()) + 1
    last, indent = None, "  "
    for number in range(first, len(lines)):
        stripped = lines[number].strip()
        if not stripped or stripped.startswith("#"):
            continue
        item = re.match(r"([ \t]*)-(?:[ \t]|$)", lines[number])
        if item is None:
            break
        last, indent = number, item.group(1)
    if last is None:
        return None
    newline = "\r\n" if lines[last].endswith("\r\n") else "\n"
    if not lines[last].endswith("\n"):
        lines[last] += newline
    return "".join([*lines[: last + 1], f"{indent}- {ident}{newline}", *lines[last + 1 :]])
