"""Render the model into HTML pages with the theme; pure: no file is read or written here."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import jinja2
from markupsafe import Markup

from mooc_builder.model import Course, MediaFile, Module, Page, Quiz, Sequence, Session, Site, sessions
from mooc_builder.model.scoring import quiz_data, quiz_hash
from mooc_builder.render import jsonld
from mooc_builder.render.calendar import calendar
from mooc_builder.render.formatting import (
    Formatter,
    course_licences,
    embed_snippet,
    json_ld,
    json_script,
    sequence_key,
)
from mooc_builder.render.i18n import Catalogue
from mooc_builder.render.keys import Digests
from mooc_builder.render.links import relative, site_links
from mooc_builder.render.speedups import MESSAGES
from mooc_builder.render.theme import Theme
from mooc_builder.text import plain_text
from mooc_builder.write.bundles import BuiltBundle, Member, licences_text, sheet_path

# A part of a course's pages: its name, the key of everything it shows, and its pages (made when asked).
Part = tuple[str, str, Callable[[], Iterator["PageJob"]]]


def _link_key(sequence: Sequence | None) -> tuple[str, str] | None:
    """What a link to a sequence shows (where it goes, its title), for a page's key: plain strings, whose repr
    costs a tenth of a Page's."""
    return (sequence.page.path.as_posix(), sequence.title) if sequence is not None else None


class ThemeError(Exception):
    """A template of the theme failed; the message names the template."""


@dataclass(frozen=True)
class PageJob:
    """A page to make: where, from what (a digest), and how (rendering is deferred)."""

    path: PurePosixPath
    key: str
    render: Callable[[], Output]


@dataclass(frozen=True)
class Output:
    """One rendered file: its site path and its text."""

    path: PurePosixPath
    text: str


@dataclass
class RenderMemo:
    """What a renderer may reuse from the last build's (`mooc serve`): each course's search entries,
    encoded, by sequence."""

    search: dict[str, dict[int, tuple[Sequence, tuple[str, ...], str]]] = field(default_factory=dict)


class Renderer:
    """Renders every page of a site; one instance per build, templates compiled once."""

    def __init__(self, site: Site, theme: Theme, as_of: dt.date, scorm: bool = False, bundles: bool = True,
                 memo: RenderMemo | None = None) -> None:
        self.site = site
        self.scorm = scorm
        self.bundles = bundles
        self.theme = theme
        self.as_of = as_of
        self.env = theme.env
        self.memo = memo or RenderMemo()
        self._sheets: dict[str, dict[str, str]] = {}
        self._siblings: dict[int, tuple[Module, list[tuple[Sequence, str]]]] = {}
        self._sheet_texts: dict[int, tuple[Sequence, str]] = {}

    # --- helpers given to templates ------------------------------------------------------------

    def _linker(self, here: PurePosixPath) -> Callable[[object], str]:
        from_dir = here.parent.as_posix()
        pretty = self.site.pretty_urls

        def url(target: object) -> str:
            if isinstance(target, Page):
                site_path = target.file.as_posix()
            elif isinstance(target, MediaFile):
                site_path = target.output.as_posix()
            elif isinstance(target, (Course, Module, Sequence)):
                site_path = target.page.file.as_posix()
            else:
                site_path = str(target)
            return relative(site_path.removeprefix("./"), from_dir, pretty)

        return url

    def sibling_links(self, module: Module) -> list[tuple[Sequence, str]]:
        """Each of a module's sequences with the link to it from the page of another of its sequences: the
        same on all of them, so worked out once per module instead of once per page (see sequence.html)."""
        known = self._siblings.get(id(module))
        if known is None or known[0] is not module:
            pretty = self.site.pretty_urls
            # From a sequence's folder, each sibling is one level up; '.' stands for a folder that is none of
            # them (a sequence's id is never '.').
            links = [(s, relative(s.page.file.as_posix(), f"{s.page.path.parent.as_posix()}/.", pretty))
                     for s in module.sequences]
            known = (module, links)
            self._siblings[id(module)] = known
        return known[1]

    def _absolute(self, here: PurePosixPath) -> Callable[[object], str]:
        """Links for metadata that leaves the page (JSON-LD): absolute when the site has a base_url."""
        relative_url = self._linker(here)
        if not self.site.base_url:
            return relative_url
        root = self._linker(PurePosixPath("index.html"))
        base = self.site.base_url

        def url(target: object) -> str:
            return f"{base}/{root(target).removeprefix('./')}"

        return url

    def _html(self, here: PurePosixPath, remap: Callable[[str], str | None] | None = None) -> Callable[[str], Markup]:
        """Markdown HTML with its site links made relative to ``here`` (see links.site_links)."""
        return site_links(here.parent.as_posix(), self.site.pretty_urls and remap is None, remap)

    def _context(self, here: PurePosixPath, language: str, remap: Callable[[str], str | None] | None = None,
                 **values: Any) -> dict[str, Any]:
        catalogue = self.theme.catalogue(language)
        return {
            "site": self.site,
            "here": here,
            "lang": language,
            "url": self._linker(here),
            # The way up to the site's root folder: '{{ root }}assets/style.css' is url('assets/style.css')
            # without a call, for the links every page has.
            "root": "../" * (len(here.parts) - 1),
            "sibling_links": self.sibling_links,
            "html": self._html(here, remap),
            "_": catalogue.gettext,
            MESSAGES: catalogue.table,
            "fmt": Formatter(catalogue, self.as_of),
            "as_of": self.as_of,
            "json_ld": json_ld,
            "jsonld": jsonld,
            "absolute_url": self._absolute(here),
            "scorm": self.scorm,
            "embed_snippet": embed_snippet,
            "plain_text": plain_text,
            "bundles": self.bundles,
            "course_licences": course_licences,
            "json_script": json_script,
            "page_config": lambda course, sequence=None: self.page_config(course, catalogue, sequence),
            "quiz_config": self.quiz_config,
            "course_config": lambda course: self.course_config(course, catalogue),
            "sequence_key": sequence_key,
            "week_duration": lambda modules: sum((m.duration for m in modules), dt.timedelta()),
            **values,
        }

    def _render(self, template: str, here: PurePosixPath, language: str, **values: Any) -> Output:
        try:
            text = self.env.get_template(template).render(self._context(here, language, **values))
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or template}:{exc.lineno}: {exc.message}") from exc
        except jinja2.TemplateError as exc:
            raise ThemeError(f"{self.theme.path / 'templates' / template}: {exc} (while rendering {here})") from exc
        return Output(here, text)

    # --- data for the learner's scripts --------------------------------------------------------

    @functools.cached_property
    def site_key(self) -> str:
        """Tells this site's stored progress from another's (all file:// pages share one origin)."""
        seed = f"{self.site.title}\n{self.site.base_url}"
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:10]

    def page_config(self, course: Course, catalogue: Catalogue, sequence: Sequence | None = None) -> dict[str, Any]:
        config: dict[str, Any] = {
            "key": f"mooc:{self.site_key}:{course.id}",
            "site": self.site_key,
            "course": course.id,
            "decimal": catalogue.decimal_mark,
            "pass_mark": [course.pass_mark.numerator, course.pass_mark.denominator],
        }
        if sequence is not None:
            config["sequence"] = sequence_key(sequence)
        return config

    def course_config(self, course: Course, catalogue: Catalogue) -> dict[str, Any]:
        """The course as the progress and certificate pages see it: quizzes, points and the pass mark."""
        quizzes: dict[str, dict[str, Any]] = {}
        for sequence in course.all_sequences:
            if sequence.quiz is not None:
                quiz = sequence.quiz
                quizzes[sequence_key(sequence)] = {
                    "hash": quiz_hash(quiz), "points": quiz.points, "graded": quiz.graded,
                }
        total = course.graded_points
        return {
            **self.page_config(course, catalogue),
            "quizzes": quizzes,
            "sequences": [sequence_key(s) for s in course.sequences],
            "total": total,
        }

    def quiz_config(self, quiz: Quiz, messages: dict[str, str]) -> dict[str, Any]:
        return {
            "hash": quiz_hash(quiz),
            "points": quiz.points,
            "graded": quiz.graded,
            "max_attempts": quiz.max_attempts,
            "questions": quiz_data(quiz),
            "messages": messages,
        }

    # --- pages ---------------------------------------------------------------------------------

    def jobs(self, digests: Digests) -> Iterator[PageJob]:
        """Every page to make, with the digest of everything it shows; rendering waits until asked."""
        base = self.base_key(digests)
        yield from self.site_jobs(base, digests)
        for course in self.site.courses:
            yield from self.course_jobs(course, base, digests)

    def base_key(self, digests: Digests) -> str:
        """What every page shows: the theme, the day of the build and the site's header."""
        return digests.combine([self.theme.fingerprint, self.as_of.isoformat(), digests.site_header(self.site)])

    def course_key(self, course: Course, base: str, digests: Digests) -> str:
        """Everything the pages of :meth:`course_jobs` are made from: equal keys, the same pages."""
        return digests.combine([base, digests.course_whole(course)])

    def site_jobs(self, base: str, digests: Digests) -> Iterator[PageJob]:
        """The pages that belong to no course: the catalogue and the error page."""
        site = self.site
        headers = [digests.course_header(c) for c in site.courses]
        yield PageJob(PurePosixPath("index.html"), digests.combine([base, "catalogue", *headers]),
                      lambda: self._render("catalogue.html", PurePosixPath("index.html"), site.language))
        yield PageJob(PurePosixPath("404.html"), digests.combine([base, "404"]),
                      lambda: self._render("404.html", PurePosixPath("404.html"), site.language))

    def course_jobs(self, course: Course, base: str, digests: Digests) -> Iterator[PageJob]:
        """A course's pages; they show the course alone (and the site's header, in ``base``)."""
        for _name, _key, jobs in self.course_parts(course, base, digests):
            yield from jobs()

    def course_parts(self, course: Course, base: str, digests: Digests) -> Iterator[Part]:
        """A course's pages in parts: (name, key, jobs). Equal keys, the same jobs: the course's own pages,
        then each module's (its page, its projector view and its sequences' pages)."""
        header = digests.course_header(course)
        outlines = [digests.module_outline(m) for m in course.modules]
        yield course.id, self.course_key(course, base, digests), lambda: self._course_pages(course, base, digests)
        sequences = course.sequences
        first = 0
        for module, outline in zip(course.modules, outlines, strict=True):
            before = sequences[first - 1] if first > 0 else None
            first += len(module.sequences)
            after = sequences[first] if first < len(sequences) else None
            # The pages of the module's first and last sequences link to the sequences before and after it.
            ends = [_link_key(s) for s in (before, after)]
            key = digests.combine([base, header, outline, *(digests.sequence(s) for s in module.sequences), ends])
            yield (f"{course.id}/{module.id}", key,
                   functools.partial(self._module_pages, course, module, base, header, outline, before, after,
                                     digests))

    def _job(self, course: Course, template: str, page: Page, key: str, **values: Any) -> PageJob:
        """A page of ``template``; ``key``: the digest of everything it shows, ``base`` included. The template's
        name is put before it, not hashed with it: a site has thousands of pages, and a page shown by two
        templates (a sequence's projector view and its embed) has one digest of what it shows."""
        return PageJob(page.file, f"{template} {key}",
                       lambda: self._render(template, page.file, course.language, course=course, **values))

    def _course_pages(self, course: Course, base: str, digests: Digests) -> Iterator[PageJob]:
        header = digests.course_header(course)
        outlines = [digests.module_outline(m) for m in course.modules]
        whole = digests.course_whole(course)
        job = functools.partial(self._job, course)
        yield job("course.html", course.page, digests.combine([base, header, *outlines]))
        yield job("credits.html", course.credits_page, digests.combine([base, digests.course_files(course)]))
        yield job("search.html", course.search_page, digests.combine([base, header]))
        session = sessions.current(course, self.as_of)
        if session is not None:
            yield PageJob(course.calendar_file, digests.combine([base, "calendar", header, *outlines]),
                          lambda: Output(course.calendar_file, self.calendar(course, session)))
        index_path = course.search_page.path / "index.js"
        yield PageJob(index_path, digests.combine([base, "search index", whole]),
                      lambda: Output(index_path, self.search_index(course)))
        quizzes = digests.combine([base, digests.course_quizzes(course)])
        yield job("progress.html", course.progress_page, quizzes)
        if course.certificate:
            yield job("certificate.html", course.certificate_page, quizzes)

    def _module_pages(self, course: Course, module: Module, base: str, header: str, outline: str,
                      before: Sequence | None, after: Sequence | None, digests: Digests) -> Iterator[PageJob]:
        job = functools.partial(self._job, course)
        yield job("module.html", module.page, digests.combine([base, header, outline]), module=module)
        module_key = digests.combine([base, header, outline, *(digests.sequence(s) for s in module.sequences)])
        yield job("present.html", module.present_page, module_key, module=module, sequence=None,
                  has_video=any(v.is_local for s in module.sequences for v in s.videos))
        chain = (before, *module.sequences, after)
        for index, sequence in enumerate(module.sequences, start=1):
            own = digests.combine([base, header, outline, digests.sequence(sequence)])
            yield job("present.html", sequence.present_page, own, module=module, sequence=sequence,
                      has_video=any(v.is_local for v in sequence.videos))
            yield job("embed.html", sequence.embed_page, own, module=module, sequence=sequence, quiz_only=False)
            if sequence.quiz is not None:
                yield job("embed.html", sequence.quiz_embed_page, own, module=module, sequence=sequence,
                          quiz_only=True)
            previous, following = chain[index - 1], chain[index + 1]
            neighbours = [_link_key(s) for s in (previous, following)]
            key = digests.combine([base, header, outline, digests.sequence(sequence), neighbours])
            yield job("sequence.html", sequence.page, key, module=module, sequence=sequence,
                      previous=previous, following=following)

    def pages(self) -> Iterator[Output]:
        """Every page, rendered (for callers that want them all)."""
        for job in self.jobs(Digests()):
            yield job.render()

    def calendar(self, course: Course, session: Session) -> str:
        _ = self.theme.catalogue(course.language).gettext
        labels = {"start": _("Start of the course"), "week": _("Week {n} opens: {titles}"),
                  "enrol_until": _("Last day to enrol"), "end": _("End of the session")}
        host = self.site.base_url.split("//", 1)[-1].split("/", 1)[0] if self.site.base_url else "mooc-builder"
        return calendar(course, session, self.as_of, labels, host)

    def search_index(self, course: Course) -> str:
        """The course's search index as a script (a plain script loads from file:// too, JSON would not)."""
        link = self._linker(course.search_page.file)
        known = self.memo.search.get(course.id, {})
        kept: dict[int, tuple[Sequence, tuple[str, ...], str]] = {}
        entries = []
        for module in course.modules:
            context = (module.title, *module.objectives, link(course))
            for sequence in module.sequences:
                memo = known.get(id(sequence))
                if memo is None or memo[0] is not sequence or memo[1] != context:
                    entry = {"t": sequence.title, "m": module.title, "o": " · ".join(module.objectives),
                             "u": link(sequence), "x": sequence.body_text}
                    memo = (sequence, context, json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
                            .replace("</", "<\\/"))
                kept[id(sequence)] = memo
                entries.append(memo[2])
        self.memo.search[course.id] = kept  # an edit encodes its sequence's entry again, not the course's
        data = '{"course":' + json.dumps(course.id, ensure_ascii=False) + ',"entries":[' + ",".join(entries) + "]}"
        return "window.MoocSearchIndex = " + data + ";\n"

    # --- bundles ---------------------------------------------------------------------------------

    def sheet(self, course: Course, module: Module, sequence: Sequence) -> str:
        """A sequence's sheet in a bundle: text, media list and quiz with answers, standalone HTML.

        Links to sequences of the same module point to their sheets; links elsewhere are kept as text,
        so the one sheet serves in the module's bundle and in the course's (rendered once per build).
        """
        known = self._sheet_texts.get(id(sequence))
        if known is not None and known[0] is sequence:
            return known[1]
        here = course.page.path / sheet_path(module, sequence)
        by_page = self._sheet_paths(course)
        course_prefix = course.page.path.as_posix() + "/"
        module_prefix = f"{module.id}/"

        def remap(target: str) -> str | None:
            if target in by_page:
                path = by_page[target]
                return course_prefix + path if path.startswith(module_prefix) else None
            return target if target.startswith(course_prefix) else None

        text = self._render("bundle/sheet.html", here, course.language, remap=remap, course=course, module=module,
                            sequence=sequence).text
        self._sheet_texts[id(sequence)] = (sequence, text)
        return text

    def _sheet_paths(self, course: Course) -> dict[str, str]:
        """Where each sequence's sheet sits in a bundle, by the site path of its page (once per course)."""
        known = self._sheets.get(course.id)
        if known is None:
            known = {s.page.file.as_posix(): sheet_path(m, s) for m in course.modules for s in m.sequences}
            self._sheets[course.id] = known
        return known

    def bundle_text(self, name: str, course: Course, members: list[Member], module: Module | None) -> str:
        template = {"LICENCE.txt": "bundle/LICENCE.txt", "CREDITS.txt": "bundle/CREDITS.txt"}[name]
        licences = licences_text(members, course.language)
        return self._render(template, course.page.path / name, course.language, course=course, module=module,
                            members=members, licences=licences).text

    def bundle_roles(self, course: Course) -> dict[str, str]:
        _ = self.theme.catalogue(course.language).gettext
        return {"poster": _("Poster"), "transcript": _("Transcript"), "captions": _("Captions")}

    def kit_page(self, course: Course, bundles: list[BuiltBundle],
                 packages: list[tuple[str, PurePosixPath, int]] | None = None) -> Output:
        return self._render("kit.html", course.kit_page.file, course.language, course=course, bundles=bundles,
                            packages=packages or [])


