"""Load a content tree into the immutable model, reporting every problem found.

Reading order: discover the tree (:mod:`tree`), read site.yml, then each course,
module and sequence; Markdown is rendered once here, with its links checked
against the whole tree. Nothing is written; the result is a :class:`Site` or None.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mooc_builder.diagnostics import Pos, Report
from mooc_builder.load import values as f
from mooc_builder.load.cache import LoadCache, ModuleMemo, SequenceMemo, Shape, signature
from mooc_builder.load.mailbox import Mailbox
from mooc_builder.load.paths import real_path, resolve_local_path
from mooc_builder.load.tree import (
    CourseDir,
    ModuleDir,
    SequenceFile,
    Tree,
    discover,
    read_text,
    show,
    split_front_matter,
)
from mooc_builder.load.values import Ctx, Fields
from mooc_builder.load.yamlsrc import MappingNode, Node, ScalarNode, Source, parse_yaml
from mooc_builder.markdown.processor import MarkdownProcessor, Place, Target
from mooc_builder.model import (
    Caption,
    Choice,
    Course,
    Credit,
    Effort,
    MediaFile,
    Module,
    Organisation,
    Page,
    Question,
    QuestionType,
    Quiz,
    Release,
    Resource,
    Rights,
    Sequence,
    Session,
    Site,
    Video,
)
from mooc_builder.model.licences import Licence

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

SITE_KEYS = ("title", "language", "description", "organisation", "licence", "licence_url", "attribution",
             "funders", "courses", "pretty_urls", "base_url", "allow_html")
ORG_KEYS = ("name", "url", "logo")
COURSE_KEYS = ("title", "audience", "summary", "language", "effort", "pass_mark", "certificate", "session",
               "sessions", "release", "scorm", "referent", "forum", "licence", "licence_url", "attribution",
               "credits")
SESSION_KEYS = ("name", "start", "enrol_from", "enrol_until", "end", "enrol_url")
MODULE_KEYS = ("title", "week", "objectives", "discussion", "licence", "licence_url", "attribution")
SEQUENCE_KEYS = ("title", "duration", "videos", "resources", "quiz", "discussion", "licence", "licence_url",
                 "attribution")
VIDEO_KEYS = ("src", "url", "poster", "captions", "transcript", "duration", "title", "licence", "licence_url",
              "attribution")
RESOURCE_KEYS = ("src", "title", "licence", "licence_url", "attribution")
QUIZ_KEYS = ("title", "graded", "max_attempts", "questions")
QUESTION_KEYS = ("type", "prompt", "choices", "explanation", "points", "partial_credit", "answer", "answers",
                 "tolerance")
CHOICE_KEYS = ("text", "correct", "feedback")
# Keys that only make sense for some question types.
_TYPE_KEYS = {
    QuestionType.SINGLE: {"choices"},
    QuestionType.MULTIPLE: {"choices", "partial_credit"},
    QuestionType.TRUE_FALSE: {"answer"},
    QuestionType.TEXT: {"answers"},
    QuestionType.NUMERIC: {"answer", "tolerance"},
}
_VIDEO_EXTENSIONS = {"mp4", "webm", "ogv", "m4v", "mov"}
_IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "svg", "avif"}


@dataclass(frozen=True, slots=True)
class Inherited:
    """Licence and credit as passed down the tree; either may still be missing."""

    licence: Licence | None = None
    attribution: str | None = None

    def child(self, fields: Fields) -> Inherited:
        licence = fields.licence()
        attribution = fields.text("attribution")
        return Inherited(licence or self.licence, attribution.strip() if attribution else self.attribution)

    def rights(self) -> Rights | None:
        if self.licence is None:
            return None
        return Rights(self.licence, self.attribution or "")


@dataclass
class _State:
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
    real_folders: dict[str, str] = field(default_factory=dict)  # see fields.real_path, for this load
    links: dict[tuple[str, Path], tuple[Target, frozenset[Path]]] = field(default_factory=dict)  # this load's

    def __post_init__(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):  # a broken root: resolved again, and reported, per path
            self.real_root = self.root.resolve()

    def use_quiz(self, real: Path, user: Path) -> None:
        if real not in self.quiz_users:
            self.quiz_users[real] = user
            self.quiz_log.append((real, user))

    def touch(self, path: Path) -> None:
        if self.touched is not None:
            self.touched.add(path)

    @property
    def md(self) -> MarkdownProcessor:
        assert self.markdown is not None
        return self.markdown

    def media(self, raw: str, node: Node, ctx: Ctx, base_dir: Path, kinds: set[str] | None = None,
              what: str = "file") -> MediaFile | None:
        path, reason = self.resolve_path(raw, base_dir)
        if path is None:
            ctx.error(node, _media_message(raw, reason, what), _media_hint(reason, raw, base_dir))
            return None
        media = self.media_file(path)
        if kinds and media.extension not in kinds:
            ctx.error(node, f"'{raw}' is not a {what}", "use one of: " + ", ".join(sorted(kinds)))
            return None
        return media

    def resolve_path(self, raw: str, base_dir: Path) -> tuple[Path | None, str]:
        """:func:`fields.resolve_local_path`; a file not found is watched too: creating it must fix the error."""
        path, reason = resolve_local_path(raw, base_dir, self.root, self.real_root, self.real_folders)
        if reason in ("missing", "not a file"):
            self.touch(Path(os.path.normpath(base_dir / raw.strip())))
        return path, reason

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
            return None, None, "empty link"
        if raw.endswith(".md"):
            try:
                candidate = real_path(base_dir / raw, self.real_folders)
            except (OSError, RuntimeError):  # a symlink loop
                return None, None, "no such sequence"
            page = self.pages.get(candidate)
            if page is not None:
                return page, None, ""
            return None, None, "no such sequence"
        path, reason = self.resolve_path(raw, base_dir)
        if path is None:
            return None, None, {"missing": "file not found"}.get(reason, reason)
        return None, self.media_file(path), ""


def _media_message(raw: str, reason: str, what: str) -> str:
    return {
        "missing": f"{what} '{raw}' not found",
        "not a local file": f"'{raw}' is not a local file",
        "absolute path or backslash": f"'{raw}' is an absolute path or uses backslashes",
        "outside the content folder": f"'{raw}' leaves the content folder",
        "symlink outside the content folder": f"'{raw}' is a symlink to a file outside the content folder",
        "not a file": f"'{raw}' is a folder, not a file",
        "empty path": f"the {what} path is empty",
    }.get(reason, f"'{raw}': {reason}")


def _media_hint(reason: str, raw: str, base_dir: Path) -> str:
    if reason == "missing":
        # Course media live one level above module folders: a path copied from an example
        # that omits '../' is the most common slip.
        for prefix in ("../", "../../"):
            if (base_dir / (prefix + raw)).is_file():
                return f"did you mean '{prefix}{raw}'? paths are relative to this file"
        folder = (base_dir / raw).parent
        if folder.is_dir():
            names = sorted(p.name for p in folder.iterdir() if p.is_file())
            close = difflib.get_close_matches(Path(raw).name, names, n=1, cutoff=0.6)
            if close:
                return f"did you mean '{(PurePosixPath(raw).parent / close[0]).as_posix()}'?"
        return "write the path relative to this file, e.g. media/fiche.pdf"
    if reason == "not a local file":
        return "for an external video use url: instead of src:"
    return "keep media inside the content folder and write paths relative to this file with /"


def load_site(content_dir: Path, report: Report, cache: LoadCache | None = None, workers: int = 1,
              claims: Claims | None = None, changed: Collection[Path] | None = None,
              meanwhile: Callable[[], None] | None = None, shape: Shape | None = None) -> Site | None:
    """The whole model of a content tree, or None when it has errors (all in ``report``).

    With a ``cache`` (kept by `mooc serve` and by the build cache), unchanged sequences are reused.
    With ``workers`` > 1 and many sequences to read, they are first read in that many processes, each
    reading the shares it ``claims``, into the cache; the load itself then finds them all there. This
    process does ``meanwhile`` first, if it is given, and reads fewer shares.
    ``changed`` (from `mooc serve`'s watcher): the only files that changed since the cache's last load;
    when none was added, removed or renamed, the tree is not discovered again and unchanged files are
    not looked at.
    ``shape``: the tree as this process's parent discovered it a moment before (in a reading process).
    """
    root = content_dir.absolute()
    if not root.is_dir():
        report.error(Pos(show(root)), "content folder not found",
                     "give the folder that holds site.yml, e.g. mooc build content")
        return None
    state = _State(root, report, cache=cache, claims=claims)
    site_text = read_text(root / "site.yml", report)
    named = {Path(os.path.abspath(p)) for p in changed} if changed is not None else None
    if shape is not None:
        report.items.extend(shape.diagnostics)
        reused = False
    else:
        shape, reused = _shape(root, report, cache, named)
    if reused:
        state.changed = named
    if site_text is None:
        return None
    tree = shape.tree
    site_ctx = Ctx(Source(show(root / "site.yml"), site_text), report)
    errors_before = len(report.errors)
    site_node = parse_yaml(site_ctx.source, report)
    site_fields = Fields(site_node, site_ctx, SITE_KEYS, "site.yml", broken=len(report.errors) > errors_before)
    state.allow_html = site_fields.boolean("allow_html", False)
    state.markdown = MarkdownProcessor(state.allow_html, state.resolve_link)
    state.pages, state.pages_key = shape.pages, shape.pages_key
    if cache is not None and workers > 1 and claims is None:
        unread = [p for p in state.pages if p not in cache.sequences]
        if len(unread) >= _PARALLEL_FROM:
            _read_in_parallel(content_dir, cache, workers, len(unread), meanwhile, shape)
    site = _site(site_fields, tree, state)
    if report.errors:
        return None
    return site


def _shape(root: Path, report: Report, cache: LoadCache | None, changed: set[Path] | None) -> tuple[Shape, bool]:
    """The tree as the last load discovered it when ``changed`` (absolute paths) cannot have altered it
    (and True), else discovered now."""
    if (cache is not None and changed is not None and cache.shape is not None and cache.shape.tree.root == root
            and not cache.reshaped(changed)):
        report.items.extend(cache.shape.diagnostics)
        return cache.shape, True
    first = len(report.items)
    tree = discover(root, report)
    files = {root / "site.yml"}
    pages: dict[Path, str] = {}
    for course_dir in tree.courses:
        files.add(course_dir.path / "course.yml")
        for module_dir in course_dir.modules:
            files.add(module_dir.path / "module.yml")
            files.update(module_dir.quizzes)
            for seq in module_dir.sequences:
                files.update((seq.path, seq.real))
                pages[seq.real] = f"{course_dir.id}/{module_dir.id}/{seq.id}/index.html"
    pages_key = hashlib.sha256(repr(sorted(pages.items())).encode()).hexdigest()
    shape = Shape(tree, report.items[first:], files, pages, pages_key)
    if cache is not None:
        cache.shape = shape
    return shape, False


def _site(fields: Fields, tree: Tree, state: _State) -> Site:
    title = fields.text("title", required='title: "Les MOOC du logement social"') or ""
    language = fields.choice("language", ("fr", "en"), "fr")
    rights = Inherited().child(fields)
    site_media: list[MediaFile] = []
    organisation = _organisation(fields.get("organisation"), fields.ctx, state, site_media)
    funders = []
    for item in fields.items("funders"):
        funder = _organisation(item, fields.ctx, state, site_media)
        if funder is not None:
            funders.append(funder)
    base_url = fields.url("base_url") or ""
    by_id = {c.id: c for c in tree.courses}
    order: list[CourseDir] = []
    listed = fields.items("courses")
    if listed:
        for item in listed:
            name = f.as_text(item, fields.ctx, "a course id")
            if name is None:
                continue
            if name not in by_id:
                hint = f.did_you_mean(name, by_id) or "list the names of folders in courses/"
                fields.ctx.error(item, f"no course folder courses/{name}/", hint)
            elif by_id[name] in order:
                fields.ctx.error(item, f"course '{name}' is listed twice", "list each course once")
            else:
                order.append(by_id[name])
        for course_dir in tree.courses:
            if course_dir not in order:
                state.report.warn(Pos(show(course_dir.path)), "this course is not listed in site.yml courses: "
                                  "it is not published", f"add {course_dir.id} to courses: in site.yml")
    else:
        order = list(tree.courses)
    courses = []
    for course_dir in order:
        course = _course(course_dir, rights, language, state)
        if course is not None:
            courses.append(course)
    return Site(
        title=title.strip(),
        language=language,
        rights=rights.rights(),
        description=(fields.text("description") or "").strip(),
        organisation=organisation,
        funders=tuple(funders),
        courses=tuple(courses),
        pretty_urls=fields.boolean("pretty_urls", False),
        base_url=base_url.rstrip("/"),
        allow_html=state.allow_html,
        media=tuple(sorted({m.output: m for m in site_media}.values(), key=lambda m: m.output)),
    )


def _organisation(node: Node | None, ctx: Ctx, state: _State, media: list[MediaFile]) -> Organisation | None:
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        name = f.as_text(node, ctx) or ""
        return Organisation(name.strip()) if name.strip() else None
    fields = Fields(node, ctx, ORG_KEYS, "an organisation")
    name = fields.text("name", required='name: "..."') or ""
    logo = None
    logo_node = fields.get("logo")
    if logo_node is not None:
        raw = f.as_text(logo_node, ctx) or ""
        logo = state.media(raw, logo_node, ctx, state.root, _IMAGE_EXTENSIONS, "logo image")
        if logo is not None:
            media.append(logo)
    return Organisation(name.strip(), fields.url("url"), logo)


def _load_yaml_file(path: Path, what: str, keys: tuple[str, ...], state: _State) -> Fields | None:
    """A YAML file's keys; a valid file whose stat did not change is not parsed again (load cache)."""
    cache = state.cache
    known = cache.yaml_memo(path, state.changed) if cache is not None else None
    if known is not None:
        _stamp, known_text, known_node = known
        return Fields(known_node, Ctx(Source(show(path), known_text), state.report), keys, what)
    seen = signature(path) if cache is not None else None
    text = read_text(path, state.report)
    if text is None:
        return None
    ctx = Ctx(Source(show(path), text), state.report)
    errors_before = len(state.report.errors)
    node = parse_yaml(ctx.source, state.report)
    if len(state.report.errors) > errors_before:
        return None  # invalid YAML: any other message about this file would be noise
    if cache is not None and seen is not None:
        cache.yaml[path] = (seen, text, node)
    return Fields(node, ctx, keys, what)


def _markdown_field(fields: Fields, key: str, state: _State, base_dir: Path, inline: bool = False) -> str:
    node = fields.get(key)
    if node is None:
        return ""
    text = f.as_text(node, fields.ctx)
    if not text:
        return ""
    return _markdown_node(node, text, fields.ctx, state, base_dir, inline)


def _markdown_node(node: Node, text: str, ctx: Ctx, state: _State, base_dir: Path, inline: bool) -> str:
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
    return state.md.render(text, place, state.report, inline=inline).html


def _course(course_dir: CourseDir, parent: Inherited, site_language: str, state: _State) -> Course | None:
    fields = _load_yaml_file(course_dir.path / "course.yml", "course.yml", COURSE_KEYS, state)
    if fields is None:
        return None
    base = course_dir.path
    title = fields.text("title", required='title: "Maîtriser ses charges d\'énergie"') or ""
    language = site_language
    language_node = fields.get("language")
    if language_node is not None:
        text = (f.as_text(language_node, fields.ctx) or "").strip()
        if f.is_id(text) and 2 <= len(text) <= 3:
            language = text
        else:
            fields.ctx.error(language_node, f"'{text}' is not a language code", "write a code such as fr or en")
    rights = parent.child(fields)
    effort = None
    effort_node = fields.get("effort")
    if effort_node is not None:
        effort_fields = Fields(effort_node, fields.ctx, ("per_week", "weeks"), "effort")
        per_week = effort_fields.duration("per_week")
        weeks = effort_fields.integer("weeks", minimum=1)
        if per_week is None and "per_week" not in effort_fields.values:
            effort_fields.require("per_week", "effort per_week", "per_week: 15min")
        if per_week is not None:
            effort = Effort(per_week, weeks or 1)
    sessions = _sessions(fields, state)
    credits = []
    for item in fields.items("credits"):
        credit_fields = Fields(item, fields.ctx, ("role", "name"), "a credit")
        role = credit_fields.text("role", required='role: "Illustrations"')
        name = credit_fields.text("name", required='name: "..."')
        if role and name:
            credits.append(Credit(role.strip(), name.strip()))
    modules = []
    for position, module_dir in enumerate(course_dir.modules, start=1):
        module = _module(module_dir, course_dir, rights, position, state)
        if module is not None:
            modules.append(module)
    if not course_dir.modules:
        state.report.warn(Pos(show(course_dir.path)), "this course has no modules yet",
                          "add a folder 01-<module-id>/ with a module.yml")
    if rights.licence is None:
        missing = [m for m in modules if m.rights is None]
        if state.unlicensed or missing:
            fields.ctx.report.error(fields.pos(), "no licence for this course's content",
                                    "add licence: CC-BY-NC-ND-4.0 to site.yml (it applies to everything) "
                                    "or to this course.yml")
    state.unlicensed.clear()
    if rights.licence is not None and not rights.attribution:
        fields.ctx.report.warn(fields.pos(), "no attribution: files will carry no credit line",
                               'add attribution: "..." to site.yml or course.yml')
    return Course(
        id=course_dir.id,
        title=title.strip(),
        language=language,
        page=Page(PurePosixPath(course_dir.id)),
        source=base / "course.yml",
        rights=rights.rights(),
        audience=(fields.text("audience") or "").strip(),
        summary_html=_markdown_field(fields, "summary", state, base),
        effort=effort,
        pass_mark=fields.fraction("pass_mark", Fraction(3, 10)),
        certificate=fields.boolean("certificate", True),
        sessions=sessions,
        release=Release(fields.choice("release", [r.value for r in Release], "all")),
        scorm=fields.boolean("scorm", False),
        referent=(fields.text("referent") or "").strip(),
        forum=fields.url("forum"),
        credits=tuple(credits),
        modules=tuple(modules),
    )


def _sessions(fields: Fields, state: _State) -> tuple[Session, ...]:
    single, many = fields.get("session"), fields.get("sessions")
    if single is not None and many is not None:
        fields.ctx.error(many, "both session: and sessions: are given", "keep one: sessions: is a list of them")
        many = None
    nodes = [single] if single is not None else fields.items("sessions")
    sessions = []
    for number, node in enumerate(nodes, start=1):
        s = Fields(node, fields.ctx, SESSION_KEYS, "a session")
        start = s.date("start")
        end = s.date("end")
        if start is None and "start" not in s.values:
            s.require("start", "the session start date", "start: 2017-11-14")
        if end is None and "end" not in s.values:
            s.require("end", "the session end date", "end: 2018-01-31")
        enrol_until = s.date("enrol_until")
        enrol_from = s.date("enrol_from")
        name = (s.text("name") or "").strip() or f"Session {number}"
        if start is None or end is None:
            continue
        if end < start:
            fields.ctx.error(s.values["end"], f"the session ends ({end}) before it starts ({start})",
                             "check the years and months of start and end")
            continue
        if enrol_until is not None and enrol_until > end:
            fields.ctx.error(s.values["enrol_until"], f"enrolment closes ({enrol_until}) after the session "
                             f"ends ({end})", "close enrolment on or before the end date")
        if enrol_from is not None and enrol_until is not None and enrol_from > enrol_until:
            fields.ctx.error(s.values["enrol_from"], f"enrolment opens ({enrol_from}) after it closes ({enrol_until})",
                             "open enrolment before enrol_until")
        sessions.append(Session(name, start, end, enrol_until, s.url("enrol_url"), enrol_from))
    sessions.sort(key=lambda x: (x.start, x.end))
    return tuple(sessions)


def _module(module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited, position: int,
            state: _State) -> Module | None:
    """A module from its folder, or, when a watcher named the files that changed and none is the module's
    or one its sequences were made from, as the last load made it."""
    cache = state.cache
    context = (module_dir.path, module_dir.order, module_dir.id, tuple(module_dir.sequences),
               tuple(module_dir.quizzes), course_dir.id, parent, position, state.allow_html, state.pages_key,
               str(state.root))
    if cache is not None and state.changed is not None:
        memo = cache.modules.get(module_dir.path)
        if memo is not None and memo.context == context and memo.files.isdisjoint(state.changed):
            state.report.items.extend(memo.diagnostics[0])
            for real, user in memo.quizzes:
                state.use_quiz(real, user)
            state.unlicensed.extend(memo.unlicensed)
            _unused_quizzes(module_dir, state)  # another module's sequence may use one
            state.report.items.extend(memo.diagnostics[1])
            return memo.module
    first = (len(state.report.items), len(state.quiz_log), len(state.unlicensed))
    module, middle, touched = _read_module(module_dir, course_dir, parent, position, state)
    if cache is not None and module is not None:
        files = {module_dir.path / "module.yml", *module_dir.quizzes, *touched}
        for seq_file in module_dir.sequences:
            files.add(seq_file.path)
            seq_memo = cache.sequences.get(seq_file.path)
            files.update(seq_memo.deps if seq_memo is not None else ())
        cache.modules[module_dir.path] = ModuleMemo(
            context, frozenset(files), module,
            (state.report.items[first[0]:middle[0]], state.report.items[middle[1]:]),
            state.quiz_log[first[1]:], state.unlicensed[first[2]:])
    return module


def _unused_quizzes(module_dir: ModuleDir, state: _State) -> None:
    for path in module_dir.quizzes:
        if path.resolve() not in state.quiz_users:
            state.report.warn(Pos(show(path)), "this quiz is not used by any sequence",
                              f"add quiz: {path.name} to a sequence's front matter")


def _read_module(module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited, position: int,
                 state: _State) -> tuple[Module | None, tuple[int, int], set[Path]]:
    """The module, where in the report the warnings about its unused quizzes start and end, and the files
    its own text read (media linked from its discussion)."""
    fields = _load_yaml_file(module_dir.path / "module.yml", "module.yml", MODULE_KEYS, state)
    if fields is None:
        return None, (0, 0), set()
    base = module_dir.path
    title = fields.text("title", required='title: "Comprendre sa facture"') or ""
    week = fields.integer("week", position, minimum=1) or position
    rights = parent.child(fields)
    sequences = []
    for seq_file in module_dir.sequences:
        sequence = _sequence(seq_file, module_dir, course_dir, rights, state)
        if sequence is not None:
            sequences.append(sequence)
    before_quizzes = len(state.report.items)
    _unused_quizzes(module_dir, state)
    middle = (before_quizzes, len(state.report.items))
    if not module_dir.sequences:
        state.report.warn(Pos(show(module_dir.path)), "this module has no sequences yet",
                          "add a file 01-<sequence-id>.md")
    rights_here = rights.rights()
    objectives = tuple(t.strip() for t in fields.text_list("objectives") if t.strip())
    state.touched = set()
    try:
        discussion = _markdown_field(fields, "discussion", state, base)
    finally:
        touched, state.touched = state.touched, None
    module = Module(
        id=module_dir.id,
        order=module_dir.order,
        title=title.strip(),
        week=week,
        page=Page(PurePosixPath(course_dir.id, module_dir.id)),
        source=base / "module.yml",
        rights=rights_here,
        objectives=objectives,
        discussion_html=discussion,
        sequences=tuple(sequences),
    )
    return module, middle, touched


def _sequence(seq_file: SequenceFile, module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited,
              state: _State) -> Sequence | None:
    """A sequence from its file, or from the load cache when nothing it was made from changed."""
    if state.claims is not None:
        index = state.seen_sequences
        state.seen_sequences += 1
        if not state.claims.mine(index):
            return None  # another process reads this one
    context = (seq_file.id, seq_file.order, course_dir.id, module_dir.id, parent, state.allow_html,
               state.pages_key, str(state.root))
    cache = state.cache
    if cache is not None:
        memo = cache.lookup(seq_file.path, context, state.changed)
        if memo is not None:
            cache.hits += 1
            for item in memo.diagnostics:
                state.report.items.append(item)
            if memo.quiz is not None:
                state.use_quiz(memo.quiz, seq_file.path)
            if memo.unlicensed is not None:
                state.unlicensed.append(memo.unlicensed)
            return memo.sequence
        cache.misses += 1
    first_item = len(state.report.items)
    quizzes_before = len(state.quiz_log)
    unlicensed_before = len(state.unlicensed)
    state.touched = {seq_file.path}
    try:
        sequence = _read_sequence(seq_file, module_dir, course_dir, parent, state)
    finally:
        touched, state.touched = state.touched, None
    if cache is not None:
        new_quizzes = [real for real, _user in state.quiz_log[quizzes_before:]]
        memo = SequenceMemo(
            context, {path: signature(path) for path in sorted(touched)}, sequence,
            state.report.items[first_item:], new_quizzes[0] if new_quizzes else None,
            state.unlicensed[unlicensed_before] if len(state.unlicensed) > unlicensed_before else None)
        cache.sequences[seq_file.path] = memo
        if state.claims is not None:
            state.claims.made(seq_file.path, memo)
    return sequence


_PARALLEL_FROM = 200
# What forked readers inherit (set only while a pool runs): the content folder, the cache so far, the counter
# of shares handed out, the tree as discovered (each reader discovering it again cost a tenth of a second) and
# the mailbox where the other readers leave what they read.
_FORKED: tuple[Path, LoadCache, Synchronized[int], Shape, Mailbox] | None = None
# Room in the mailbox for each sequence to read: a page of text makes a memo of about 14 kB. What does not fit
# comes back with the reader's result instead.
_MAILBOX_PER_SEQUENCE = 32 * 1024
_MAILBOX_LEAST = 1 << 20

Memos = dict[Path, SequenceMemo]


class Claims:
    """The sequences a reading process reads: shares of a few, in the order every reader walks the tree,
    each taken by the first reader to ask for it. A reader that starts late (it had other work first) or
    meets long pages reads fewer; whoever reads a sequence, it gives the same memo.

    ``between(memos)`` is called each time the reader is done with a share, with the memos it made since the
    last call, and by ``finish`` with the last ones.
    """

    SHARE = 8

    def __init__(self, counter: Synchronized[int], between: Callable[[Memos], None] | None = None) -> None:
        self._counter = counter
        self._share = -1  # the last share this reader took
        self._between = between
        self._batch: Memos = {}  # the memos made since the last hand-over

    def mine(self, index: int) -> bool:
        """Whether the ``index``-th sequence of the walk is this reader's to read."""
        share = index // self.SHARE
        if self._share < share and self._share >= 0:
            self._hand_over()
        while self._share < share:  # shares are handed out in increasing order: take the next one free
            with self._counter.get_lock():
                self._share = self._counter.value
                self._counter.value += 1
        return self._share == share

    def made(self, path: Path, memo: SequenceMemo) -> None:
        self._batch[path] = memo

    def finish(self) -> None:
        self._hand_over()

    def _hand_over(self) -> None:
        if self._between is not None:
            batch, self._batch = self._batch, {}
            self._between(batch)


def _read_in_parallel(content_dir: Path, cache: LoadCache, workers: int, unread: int,
                      meanwhile: Callable[[], None] | None, shape: Shape) -> None:
    """Read the sequences in ``workers`` processes (Markdown parsing is the costly part) into the cache.

    The other readers leave what they read in a mailbox as they go, share by share, and this process takes it
    from there between its own shares: when the last share is read, little is left to hand over.
    """
    import multiprocessing

    global _FORKED
    context = multiprocessing.get_context("fork")
    mailbox = _mailbox(max(_MAILBOX_LEAST, _MAILBOX_PER_SEQUENCE * unread), context.Value("q", 0))
    _FORKED = (content_dir, cache, context.Value("q", 0), shape, mailbox)

    def keep(memos: Memos) -> None:  # this reader's, then what the others left in the mailbox
        for path, memo in memos.items():
            cache.sequences.setdefault(path, memo)
        for records in mailbox.take():
            assert isinstance(records, dict)
            for path, memo in records.items():
                cache.sequences.setdefault(path, memo)

    try:
        # This process reads shares too, once ``meanwhile`` is done: it would only wait, and what it reads
        # need not be sent back.
        with context.Pool(workers - 1) as pool:
            others = pool.map_async(_read_part, range(1, workers))
            if meanwhile is not None:
                meanwhile()
            _read_part(0, keep)
            for left in others.get():
                keep(left)
    finally:
        _FORKED = None
        mailbox.close()


def _mailbox(size: int, end: Synchronized[int]) -> Mailbox:
    """A mailbox of ``size`` bytes, or as large as this machine will map (a small machine refuses to reserve
    more than its memory): what does not fit comes back with the readers' results."""
    while True:
        try:
            return Mailbox(size, end)
        except (OSError, OverflowError):
            if size <= _MAILBOX_LEAST:
                raise
            size = max(_MAILBOX_LEAST, size // 2)


def _read_part(_reader: int, between: Callable[[Memos], None] | None = None) -> Memos:
    """Read this reader's shares, handing each share's memos to ``between``, by default to the mailbox;
    returns those the mailbox had no room for."""
    assert _FORKED is not None
    content_dir, cache, counter, shape, mailbox = _FORKED
    left: Memos = {}

    def leave(memos: Memos) -> None:
        if memos and not mailbox.put(memos):
            left.update(memos)

    claims = Claims(counter, between or leave)
    load_site(content_dir, Report(), LoadCache(dict(cache.sequences)), claims=claims, shape=shape)
    claims.finish()
    return left


def _read_sequence(seq_file: SequenceFile, module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited,
                   state: _State) -> Sequence | None:
    text = read_text(seq_file.path, state.report)
    if text is None:
        return None
    parts = split_front_matter(text, seq_file.path, state.report)
    if parts is None:
        return None
    display = show(seq_file.path)
    ctx = Ctx(Source(display, parts.yaml, parts.yaml_offset), state.report)
    errors_before = len(state.report.errors)
    node = parse_yaml(ctx.source, state.report)
    if len(state.report.errors) > errors_before:
        return None  # invalid YAML: any other message about this file would be noise
    fields = Fields(node, ctx, SEQUENCE_KEYS, "the front matter")
    base = seq_file.path.parent
    title = (fields.text("title", required='title: "Lire sa facture d\'énergie"') or "").strip()
    inherited = parent.child(fields)
    rights = inherited.rights()
    if rights is None:
        state.unlicensed.append(fields.pos())
    videos = tuple(v for v in (_video(n, ctx, base, inherited, state) for n in fields.items("videos")) if v)
    resources = tuple(r for r in (_resource(n, ctx, base, inherited, state) for n in fields.items("resources"))
                      if r)
    quiz = None
    quiz_node = fields.get("quiz")
    if quiz_node is not None:
        quiz = _quiz_ref(quiz_node, ctx, seq_file, state)
    declared = fields.duration("duration")
    # Words are counted for the reading time, which only a sequence without an announced duration needs.
    body = state.md.render(parts.body, Place(display, parts.body_offset, base), state.report, title=title,
                           count_words=declared is None)
    return Sequence(
        id=seq_file.id,
        order=seq_file.order,
        title=title,
        page=Page(PurePosixPath(course_dir.id, module_dir.id, seq_file.id)),
        source=seq_file.path,
        rights=rights or _NO_RIGHTS,
        body_html=body.html,
        words=body.words,
        videos=videos,
        resources=resources,
        images=tuple(dict.fromkeys(body.media)),
        quiz=quiz,
        discussion_html=_markdown_field(fields, "discussion", state, base),
        declared_duration=declared,
    )


# Stands in for a missing licence while loading goes on; the error is reported and no site is built.
_NO_RIGHTS = Rights(Licence("NOASSERTION", "", "", "", (("en", ""),)), "")


def _video(node: Node, ctx: Ctx, base: Path, parent: Inherited, state: _State) -> Video | None:
    v = Fields(node, ctx, VIDEO_KEYS, "a video")
    inherited = parent.child(v)
    src_node, url_node = v.get("src"), v.get("url")
    if (src_node is None) == (url_node is None):
        ctx.error(node, "a video needs either src: (a local file) or url: (an external page), not "
                  + ("both" if src_node is not None else "neither"),
                  "write src: media/video.mp4 or url: https://...")
        return None
    title = (v.text("title") or "").strip()
    duration = v.duration("duration")
    rights = inherited.rights() or _NO_RIGHTS
    if url_node is not None:
        url = f.as_url(url_node, ctx)
        if url is None:
            return None
        for key in ("poster", "captions", "transcript"):
            if key in v.values:
                ctx.warn(v.keys[key], f"{key} is ignored for an external video", "remove it, or use a local src:")
        return Video(title or url, rights, url=url, duration=duration)
    assert src_node is not None
    src = state.media(f.as_text(src_node, ctx) or "", src_node, ctx, base, _VIDEO_EXTENSIONS, "video file")
    poster = None
    poster_node = v.get("poster")
    if poster_node is not None:
        poster = state.media(f.as_text(poster_node, ctx) or "", poster_node, ctx, base, _IMAGE_EXTENSIONS,
                             "poster image")
    captions = []
    captions_node = v.get("captions")
    if captions_node is not None and not isinstance(captions_node, MappingNode):
        ctx.error(captions_node, "captions should be a mapping from a language to a WebVTT file",
                  "write captions: {fr: media/video.fr.vtt}")
    elif captions_node is not None:
        c = Fields(captions_node, ctx, [k.value for k, _ in getattr(captions_node, "value", [])
                                        if isinstance(k, ScalarNode)], "captions")
        for language, value in c.values.items():
            if not (f.is_id(language) and 2 <= len(language) <= 3):
                ctx.error(c.keys[language], f"'{language}' is not a language code", "write e.g. fr: media/x.fr.vtt")
                continue
            caption = state.media(f.as_text(value, ctx) or "", value, ctx, base, {"vtt"}, "WebVTT caption file")
            if caption is not None:
                if not _is_webvtt(caption.source):
                    ctx.error(value, f"'{caption.name}' is not a WebVTT file", "its first line must be WEBVTT")
                else:
                    captions.append(Caption(language, caption))
    elif src is not None:
        ctx.warn(src_node, "this video has no captions", "add captions: {fr: media/video.fr.vtt}")
    transcript, transcript_html = None, ""
    transcript_node = v.get("transcript")
    if transcript_node is not None:
        transcript = state.media(f.as_text(transcript_node, ctx) or "", transcript_node, ctx, base,
                                 {"md", "txt"}, "Markdown transcript")
        if transcript is not None:
            body = read_text(transcript.source, state.report)
            if body is not None:
                place = Place(show(transcript.source), 0, transcript.source.parent)
                transcript_html = state.md.render(body, place, state.report).html
    if src is None:
        return None
    return Video(title or src.name, rights, src=src, poster=poster, captions=tuple(captions),
                 transcript=transcript, transcript_html=transcript_html, duration=duration)


def _is_webvtt(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(16)
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")


def _resource(node: Node, ctx: Ctx, base: Path, parent: Inherited, state: _State) -> Resource | None:
    r = Fields(node, ctx, RESOURCE_KEYS, "a resource")
    inherited = parent.child(r)
    src_node = r.require("src", "the resource file (src)", "src: media/fiche.pdf")
    if src_node is None:
        return None
    media = state.media(f.as_text(src_node, ctx) or "", src_node, ctx, base, None, "file")
    if media is None:
        return None
    title = (r.text("title") or "").strip() or media.name
    return Resource(title, media, inherited.rights() or _NO_RIGHTS)


def _quiz_ref(node: Node, ctx: Ctx, seq_file: SequenceFile, state: _State) -> Quiz | None:
    raw = (f.as_text(node, ctx) or "").strip()
    if not raw.endswith(".quiz.yml"):
        ctx.error(node, f"'{raw}' is not a quiz file", "quiz files are named <name>.quiz.yml")
        return None
    path, reason = state.resolve_path(raw, seq_file.path.parent)
    if path is None:
        ctx.error(node, _media_message(raw, reason, "quiz file"), _media_hint(reason, raw, seq_file.path.parent))
        return None
    state.touch(path)
    real = path.resolve()
    if real in state.quiz_users:
        ctx.error(node, f"quiz '{raw}' is already used by {show(state.quiz_users[real])}",
                  "give each sequence its own quiz file, so points are counted once")
        return None
    state.use_quiz(real, seq_file.path)
    fields = _load_yaml_file(path, "a quiz", QUIZ_KEYS, state)
    if fields is None:
        return None
    qctx = fields.ctx
    questions = []
    items = fields.items("questions")
    if not items:
        fields.require("questions", "questions", "questions: followed by a list of questions")
    for item in items:
        question = _question(item, qctx, path.parent, state)
        if question is not None:
            questions.append(question)
    return Quiz(
        id=path.name.removesuffix(".quiz.yml"),
        title=(fields.text("title") or "").strip() or "Quiz",
        graded=fields.boolean("graded", True),
        max_attempts=fields.integer("max_attempts", 0, minimum=0) or 0,
        questions=tuple(questions),
    )


def _question(node: Node, ctx: Ctx, base: Path, state: _State) -> Question | None:
    q = Fields(node, ctx, QUESTION_KEYS, "a question")
    type_node = q.require("type", "the question type", "type: single (or multiple, true_false, text, numeric)")
    prompt_node = q.require("prompt", "the question prompt", 'prompt: "..."')
    if type_node is None:
        return None
    kind_text = f.as_choice(type_node, ctx, [t.value for t in QuestionType])
    if kind_text is None:
        return None
    kind = QuestionType(kind_text)
    for key, key_node in q.keys.items():
        wanted = {k for t, keys in _TYPE_KEYS.items() if t is not kind for k in keys} - _TYPE_KEYS[kind]
        if key in wanted:
            ctx.error(key_node, f"'{key}' does not apply to a {kind.value} question",
                      "remove it or change the type")
    prompt = (f.as_text(prompt_node, ctx) or "") if prompt_node is not None else ""
    prompt_html = _markdown_node(prompt_node, prompt, ctx, state, base, False) if prompt_node is not None else ""
    points = q.integer("points", 1, minimum=0)
    question = Question(kind, prompt_html, points if points is not None else 1,
                        explanation_html=_markdown_field(q, "explanation", state, base))
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return _with_choices(question, q, node, ctx, base, state)
    if kind is QuestionType.TRUE_FALSE:
        answer_node = q.require("answer", "the answer", "answer: true (or false)")
        answer = f.as_bool(answer_node, ctx) if answer_node is not None else None
        return _replace(question, answer_bool=answer) if answer is not None else None
    if kind is QuestionType.TEXT:
        answers = tuple(a.strip() for a in q.text_list("answers") if a.strip())
        if not answers:
            ctx.error(q.values.get("answers", node), "a text question needs at least one accepted answer",
                      'add answers: ["19", "19 °C"]')
            return None
        return _replace(question, answers=answers)
    answer_node = q.require("answer", "the answer", "answer: 19")
    number = f.as_number(answer_node, ctx) if answer_node is not None else None
    tolerance = q.number("tolerance")
    if tolerance is not None and tolerance < 0:
        ctx.error(q.values["tolerance"], f"tolerance {tolerance:g} is below 0", "use 0 or a positive number")
        return None
    if number is None:
        return None
    return _replace(question, answer_number=number, tolerance=tolerance or 0.0)


def _with_choices(question: Question, q: Fields, node: Node, ctx: Ctx, base: Path, state: _State) -> Question | None:
    choices = []
    for item in q.items("choices"):
        c = Fields(item, ctx, CHOICE_KEYS, "a choice")
        text_node = c.require("text", "the choice text", 'text: "..."')
        if text_node is None:
            continue
        text = f.as_text(text_node, ctx) or ""
        choices.append(Choice(
            _markdown_node(text_node, text, ctx, state, base, True),
            c.boolean("correct", False),
            _markdown_field(c, "feedback", state, base, inline=True),
        ))
    where = q.values.get("choices", node)
    if len(choices) < 2:
        ctx.error(where, "a choice question needs at least two choices", "add choices: with text: and correct:")
        return None
    correct = sum(c.correct for c in choices)
    if question.type is QuestionType.SINGLE and correct != 1:
        ctx.error(where, f"a single question needs exactly one correct choice, found {correct}",
                  "mark one choice correct: true, or use type: multiple")
        return None
    if question.type is QuestionType.MULTIPLE and correct == 0:
        ctx.error(where, "a multiple question needs at least one correct choice", "mark one or more correct: true")
        return None
    return _replace(question, choices=tuple(choices), partial_credit=q.boolean("partial_credit", False))


def _replace(question: Question, **changes: object) -> Question:
    from dataclasses import replace

    return replace(question, **changes)  # type: ignore[arg-type]


