"""Render the model into pages with the theme; pure: no file is read or written here.

A :class:`Renderer` renders the :class:`~mooc_builder.render.plan.PageJob` objects the planner makes, the
bundle sheets (render/sheets.py) and the kit page; each template is given the model values its page shows
and the helpers of :meth:`Renderer._context` (the theme's contract: docs/ARCHITECTURE.md lists them).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import jinja2

from mooc_builder.lang.catalogue import Catalogue
from mooc_builder.model import Course, MediaFile, Module, Page, Quiz, Sequence, Session, Site, shown_blank_options
from mooc_builder.model.scoring import quiz_data, quiz_hash
from mooc_builder.render import jsonld
from mooc_builder.render.bundles import BuiltBundle
from mooc_builder.render.calendar import calendar
from mooc_builder.render.formatting import (
    Formatter,
    course_licences,
    embed_snippet,
    json_ld,
    json_script,
    script_json,
    sequence_key,
)
from mooc_builder.render.links import Place, is_absolute, relative, site_links, split_located
from mooc_builder.render.plan import Calendar, PageJob, SearchIndex, Template
from mooc_builder.render.slides import Slides, prefix_ids, split
from mooc_builder.render.speedups import MESSAGES
from mooc_builder.render.theme import Theme
from mooc_builder.text import plain_text


class ThemeError(Exception):
    """A template of the theme failed; the message names the template."""


@dataclass(frozen=True)
class Flavour:
    """How the pages are rendered: for the site (with download bundles and the kit page), or for a package
    that an LMS opens (SCORM: the runtime adapter on sequence pages, and no bundles; cmi5: the script that
    reports each page to the AU's launch page, and the launch pages, exports/cmi5.py); ``handouts``: an export's
    build also holds each module's handouts as HTML (exports/handouts.py makes them PDFs); ``cartridge``: an
    export's build also holds each sequence's page for an IMS Common Cartridge (exports/cc_pages.py): its
    embed page, rendered where the package puts it, every link opening outside the LMS's frame; ``kolibri``:
    the pages run in Kolibri's sandboxed frame (exports/kolibri.py): sandbox.js puts what the sandbox refuses
    (downloads, printing, new windows) aside, and kolibri.js reports the course's score to Kolibri."""

    scorm: bool = False
    bundles: bool = True
    handouts: bool = False
    cartridge: bool = False
    cmi5: bool = False
    kolibri: bool = False


@dataclass
class RenderMemo:
    """What a renderer may reuse from the last build's (`mooc serve`): each course's search entries,
    encoded, by sequence."""

    search: dict[str, dict[int, tuple[Sequence, tuple[str, ...], str]]] = field(default_factory=dict)


class Renderer:
    """Renders every page of a site; one instance per build, templates compiled once."""

    def __init__(self, site: Site, theme: Theme, as_of: dt.date, flavour: Flavour = Flavour(),
                 memo: RenderMemo | None = None) -> None:
        self.site = site
        self.flavour = flavour
        self.theme = theme
        self.as_of = as_of
        self.env = theme.env
        self.memo = memo or RenderMemo()
        self._siblings: dict[int, tuple[Module, list[tuple[Sequence, str]]]] = {}
        self._slides: dict[int, tuple[Sequence, Slides]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # Handed to a process started by spawn or forkserver: the theme goes as its folder (see Theme), and
        # its compiled environment is taken from it there.
        state = dict(self.__dict__)
        del state["env"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.env = self.theme.env

    # --- helpers given to templates ------------------------------------------------------------

    def _linker(self, here: PurePosixPath) -> Callable[[object], str]:
        from_dir = here.parent.as_posix()
        pretty = self.site.pretty_urls

        def url(target: object) -> str:
            return relative(_site_path(target), from_dir, pretty)

        return url

    @staticmethod
    def _placed_linker(place: Place) -> Callable[[object], str]:
        """Links from a page rendered into a bundle: to where the bundle has the target, else to its address
        on the site, else to the bundle's start page (``place.home``)."""
        from_dir = place.path.parent.as_posix()

        def url(target: object) -> str:
            found = place.locate(_site_path(target))
            if found is not None and is_absolute(found):
                return found
            path, fragment = split_located(found or place.home)
            return relative(path, from_dir, False, fragment)

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

    def slides(self, sequence: Sequence) -> Slides:
        """A sequence's body cut into slides (render/slides.py), once for its projector view and its module's."""
        known = self._slides.get(id(sequence))
        if known is None or known[0] is not sequence:
            known = self._slides[id(sequence)] = (sequence, split(sequence.body_html, sequence.notes))
        return known[1]

    def _absolute(self, here: PurePosixPath, relative_url: Callable[[object], str]) -> Callable[[object], str]:
        """Links for metadata that leaves the page (JSON-LD): absolute when the site has a base_url."""
        if not self.site.base_url:
            return relative_url
        root = self._linker(PurePosixPath("index.html"))
        base = self.site.base_url

        def url(target: object) -> str:
            return f"{base}/{root(target).removeprefix('./')}"

        return url

    @staticmethod
    def _held(place: Place | None) -> Callable[[object], bool]:
        """Whether the page's folder holds a file: every file the site ships, in the site; in a bundle, those it
        holds (a bundle of light videos holds no original: its player offers no source it lacks)."""
        if place is None:
            return lambda target: True

        def held(target: object) -> bool:
            found = place.locate(_site_path(target))
            return found is not None and not is_absolute(found)

        return held

    def _context(self, here: PurePosixPath, language: str, place: Place | None = None,
                 **values: Any) -> dict[str, Any]:
        """What a template is given; ``place``: the page is rendered into a download bundle, where its links
        go to what the bundle holds (see links.Place), not to the site's files."""
        catalogue = self.theme.catalogue(language)
        where = here if place is None else place.path
        if place is None:
            url = self._linker(here)
            html = site_links(here.parent.as_posix(), self.site.pretty_urls)
        else:
            url = self._placed_linker(place)
            html = site_links(place.path.parent.as_posix(), False, place.locate)
        return {
            "site": self.site,
            "here": here,
            "lang": language,
            "url": url,
            "held": self._held(place),
            # The way up to the site's root folder (the bundle's, in a bundle): '{{ root }}assets/style.css' is
            # url('assets/style.css') without a call, for the links every page has.
            "root": "../" * (len(where.parts) - 1),
            "sibling_links": self.sibling_links,
            "slides": self.slides,
            "prefix_ids": prefix_ids,
            "html": html,
            "_": catalogue.gettext,
            "_n": catalogue.ngettext,
            "js_plural": catalogue.js_plural,
            MESSAGES: catalogue.table,
            "fmt": Formatter(catalogue, self.as_of),
            "as_of": self.as_of,
            "json_ld": json_ld,
            "jsonld": jsonld,
            "absolute_url": self._absolute(here, url),
            "scorm": self.flavour.scorm,
            "cmi5": self.flavour.cmi5,
            "embed_snippet": embed_snippet,
            "plain_text": plain_text,
            "shown_blank_options": shown_blank_options,
            "bundles": self.flavour.bundles,
            "cartridge": self.flavour.cartridge,
            "kolibri": self.flavour.kolibri,
            "report_config": lambda course: self.report_config(course, catalogue, here),
            "course_licences": course_licences,
            "json_script": json_script,
            "page_config": lambda course, sequence=None: self.page_config(course, catalogue, sequence),
            "quiz_config": self.quiz_config,
            "course_config": lambda course, module=None: self.course_config(course, catalogue, module),
            "sequence_key": sequence_key,
            "week_duration": lambda modules: sum((m.duration for m in modules), dt.timedelta()),
            **values,
        }

    def render_template(self, template: str, here: PurePosixPath, language: str, place: Place | None = None,
                        **values: Any) -> str:
        """``template`` for the page at site path ``here`` (rendered into a bundle at ``place``)."""
        try:
            return self.env.get_template(template).render(self._context(here, language, place, **values))
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or template}:{exc.lineno}: {exc.message}") from exc
        except jinja2.TemplateError as exc:
            raise ThemeError(f"{self.theme.path / 'templates' / template}: {exc} (while rendering {here})") from exc

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

    def course_config(self, course: Course, catalogue: Catalogue, module: Module | None = None) -> dict[str, Any]:
        """The course as the progress and certificate pages see it: quizzes, points and the pass mark.
        With ``module``, only that module's sequences and no total: a module's page shows its own plan, and
        its key covers its own sequences only (render/plan.py)."""
        sequences = course.all_sequences if module is None else module.sequences
        quizzes: dict[str, dict[str, Any]] = {}
        for sequence in sequences:
            if sequence.quiz is not None:
                quiz = sequence.quiz
                quizzes[sequence_key(sequence)] = {
                    "hash": quiz_hash(quiz), "points": quiz.points, "graded": quiz.graded,
                }
        return {
            **self.page_config(course, catalogue),
            "quizzes": quizzes,
            "sequences": [sequence_key(s) for s in (course.sequences if module is None else module.sequences)],
            "total": course.graded_points if module is None else 0,
        }

    def report_config(self, course: Course, catalogue: Catalogue, here: PurePosixPath) -> dict[str, Any]:
        """The course as kolibri.js reports it: :meth:`course_config`, the activity ids (IRIs) its statements
        name, the titles of its quizzes and modules, when it is complete (course.yml's lms_completion), and on a
        module's page (the entry of a module's app) that module's id. An IRI is the page's address on the site,
        or one under a reserved host (.invalid) when the site has none: Kolibri's xAPI store refuses an IRI
        without a host (a URN)."""
        base = self.site.base_url.rstrip("/") or f"https://{self.site_key}.mooc-builder.invalid"
        entry = next((m.id for m in course.modules if m.page.file == here), None)
        return {
            **self.course_config(course, catalogue),
            "iri": f"{base}/{course.page.path.as_posix()}/",
            "title": course.title,
            "titles": {sequence_key(s): s.title for s in course.all_sequences if s.quiz is not None},
            "modules": {m.id: m.title for m in course.modules},
            "entry_module": entry,
            "completion": course.lms_completion,
        }

    def quiz_config(self, quiz: Quiz, messages: dict[str, Any]) -> dict[str, Any]:
        # A plural form equal to "other" goes: plural.js falls back to "other" (a French quiz page then carries
        # no copy of each message for "many", within the 60 KB a sequence page may weigh).
        messages = {key: {category: text for category, text in value.items()
                          if category == "other" or text != value.get("other")} if isinstance(value, dict) else value
                    for key, value in messages.items()}
        return {
            "hash": quiz_hash(quiz),
            "points": quiz.points,
            "graded": quiz.graded,
            "max_attempts": quiz.max_attempts,
            "questions": quiz_data(quiz),
            "messages": messages,
        }

    # --- pages ---------------------------------------------------------------------------------

    def render(self, job: PageJob, place: Place | None = None) -> str:
        """The text of a page the planner made (rendered into a bundle at ``place``: see links.Place)."""
        make = job.make
        if isinstance(make, Template):
            if make.course is None:
                return self.render_template(make.name, job.path, self.site.language, place, **dict(make.values))
            return self.render_template(make.name, job.path, make.course.language, place, course=make.course,
                                        **dict(make.values))
        if isinstance(make, Calendar):
            return self.calendar(make.course, make.session)
        assert isinstance(make, SearchIndex)
        return self.search_index(make.course)

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
                    memo = (sequence, context, script_json(entry, sort_keys=False))
                kept[id(sequence)] = memo
                entries.append(memo[2])
        self.memo.search[course.id] = kept  # an edit encodes its sequence's entry again, not the course's
        data = '{"course":' + script_json(course.id) + ',"entries":[' + ",".join(entries) + "]}"
        return "window.MoocSearchIndex = " + data + ";\n"

    def scorm_launch(self, course: Course) -> str:
        """The launch page of a SCORM package (its one SCO, at the package's root), which shows the course's
        page in its frame."""
        here = PurePosixPath("launch.html")
        return self.render_template("scorm-launch.html", here, course.language, course=course,
                                    start=course.page.file.as_posix())

    def kit_page(self, course: Course, bundles: list[BuiltBundle],
                 packages: list[tuple[str, PurePosixPath, int]] | None = None,
                 handouts: Mapping[str, list[tuple[str, PurePosixPath, int]]] | None = None) -> str:
        """``handouts``: by module id, its printable handouts the build made: (role, site path, size)."""
        return self.render_template("kit.html", course.kit_page.file, course.language, course=course,
                                    bundles=bundles, packages=packages or [], handouts=handouts or {})


def _site_path(target: object) -> str:
    """The site path of what a template links to: a page, a media file, a course, module or sequence (its
    page), or a path."""
    if isinstance(target, Page):
        return target.file.as_posix()
    if isinstance(target, MediaFile):
        return target.output.as_posix()
    if isinstance(target, (Course, Module, Sequence)):
        return target.page.file.as_posix()
    return str(target).removeprefix("./")
