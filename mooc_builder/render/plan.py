"""Which pages a site has, and the key of what each shows (its inputs' digest): the incremental policy.

A page is a :class:`PageJob`: where it goes, its key, and how to make it, as plain data (a template and the
model values it is given), so that it can be handed to another process however that process was started.
Two pages with equal keys are the same page: a build keeps the previous one instead of rendering it again.
So a key must cover everything its template shows; the keys are made here, from the projections of
render/keys.py, and the serve-path oracle test (tests/test_incremental.py) checks them against fresh builds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from mooc_builder.model import Course, Module, Page, Sequence, Session, Site, sessions
from mooc_builder.render.keys import Digests


@dataclass(frozen=True)
class Template:
    """A page made from a theme template, in its course's language (the site's for pages of no course)."""

    name: str
    course: Course | None
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Calendar:
    course: Course
    session: Session


@dataclass(frozen=True)
class SearchIndex:
    course: Course


Make = Template | Calendar | SearchIndex


@dataclass(frozen=True)
class PageJob:
    """A page to make: where, from what (a digest), and how."""

    path: PurePosixPath
    key: str
    make: Make


@dataclass(frozen=True)
class Part:
    """A part of a course's pages: its name, the key of everything it shows, and its pages (made when asked)."""

    name: str
    key: str
    jobs: Callable[[], Iterator[PageJob]]


def link_key(sequence: Sequence | None) -> tuple[str, str] | None:
    """What a link to a sequence shows (where it goes, its title), for a page's key: plain strings, whose repr
    costs a tenth of a Page's."""
    return (sequence.page.path.as_posix(), sequence.title) if sequence is not None else None


def module_link_key(module: Module | None) -> tuple[str, str, int] | None:
    """What a link to a module's projector view shows (the last slide of the one before), for a page's key."""
    return (module.page.path.as_posix(), module.title, module.week) if module is not None else None


class Planner:
    """The pages of one site, built on one day with one theme."""

    def __init__(self, site: Site, fingerprint: str, as_of: dt.date, digests: Digests) -> None:
        self.site = site
        self.fingerprint = fingerprint
        self.as_of = as_of
        self.digests = digests
        self.base = digests.combine([fingerprint, as_of.isoformat(), digests.site_header(site)])

    def all_jobs(self) -> Iterator[PageJob]:
        """Every page of the site."""
        yield from self.site_jobs()
        for course in self.site.courses:
            for part in self.course_parts(course):
                yield from part.jobs()

    def site_jobs(self) -> Iterator[PageJob]:
        """The pages that belong to no course: the catalogue and the error page."""
        digests = self.digests
        headers = [digests.course_header(c) for c in self.site.courses]
        yield PageJob(PurePosixPath("index.html"), digests.combine([self.base, "catalogue", *headers]),
                      Template("catalogue.html", None))
        yield PageJob(PurePosixPath("404.html"), digests.combine([self.base, "404"]), Template("404.html", None))

    def course_key(self, course: Course) -> str:
        """Everything the pages of a course are made from: equal keys, the same pages."""
        return self.digests.combine([self.base, self.digests.course_whole(course)])

    def course_parts(self, course: Course) -> Iterator[Part]:
        """A course's pages in parts. Equal keys, the same pages: the course's own pages, then each module's
        (its page, its projector view and its sequences' pages)."""
        digests = self.digests
        header = digests.course_header(course)
        outlines = [digests.module_outline(m) for m in course.modules]
        yield Part(course.id, self.course_key(course), lambda: self._course_pages(course))
        sequences = course.sequences
        first = 0
        for index, (module, outline) in enumerate(zip(course.modules, outlines, strict=True)):
            before = sequences[first - 1] if first > 0 else None
            first += len(module.sequences)
            after = sequences[first] if first < len(sequences) else None
            # The module after it: the one that holds the sequence after it (a module with none is skipped).
            following = next((m for m in course.modules[index + 1:] if m.sequences), None)
            # The pages of the module's first and last sequences link to the sequences before and after it, and
            # the last slides of its projector views to the next module's.
            ends = [link_key(s) for s in (before, after)] + [module_link_key(following)]
            key = digests.combine([self.base, header, outline, *(digests.sequence(s) for s in module.sequences),
                                   ends])
            yield Part(f"{course.id}/{module.id}", key,
                       _bind(self._module_pages, course, module, header, outline, before, after, following))

    @staticmethod
    def _job(course: Course, template: str, page: Page, key: str, **values: Any) -> PageJob:
        """A page of ``template``; ``key``: the digest of everything it shows, ``base`` included. The template's
        name is put before it, not hashed with it: a site has thousands of pages, and a page shown by two
        templates (a sequence's projector view and its embed) has one digest of what it shows."""
        return PageJob(page.file, f"{template} {key}", Template(template, course, tuple(values.items())))

    def _course_pages(self, course: Course) -> Iterator[PageJob]:
        digests, base, job = self.digests, self.base, self._job
        header = digests.course_header(course)
        outlines = [digests.module_outline(m) for m in course.modules]
        # The course page's plan scores the learner's progress against every quiz (hash, points, graded).
        yield job(course, "course.html", course.page,
                  digests.combine([base, header, *outlines, digests.course_quizzes(course)]))
        yield job(course, "credits.html", course.credits_page, digests.combine([base, digests.course_files(course)]))
        yield job(course, "search.html", course.search_page, digests.combine([base, header]))
        session = sessions.current(course, self.as_of)
        # A session over on the build date has no date left to add to a calendar: its page offers none.
        if session is not None and sessions.enrolment(session, self.as_of) is not sessions.Enrolment.ENDED:
            yield PageJob(course.calendar_file, digests.combine([base, "calendar", header, *outlines]),
                          Calendar(course, session))
        yield PageJob(course.search_page.path / "index.js",
                      digests.combine([base, "search index", digests.course_whole(course)]), SearchIndex(course))
        quizzes = digests.combine([base, digests.course_quizzes(course)])
        yield job(course, "progress.html", course.progress_page, quizzes)
        if course.certificate:
            yield job(course, "certificate.html", course.certificate_page, quizzes)

    def _module_pages(self, course: Course, module: Module, header: str, outline: str, before: Sequence | None,
                      after: Sequence | None, next_module: Module | None = None) -> Iterator[PageJob]:
        digests, base, job = self.digests, self.base, self._job
        # Its plan reads its sequences' quizzes (hash, points), which the outline does not cover.
        yield job(course, "module.html", module.page,
                  digests.combine([base, header, outline, *(digests.sequence_quiz(s) for s in module.sequences)]),
                  module=module)
        # A projector view's last slide leads to the next module's (or the next sequence's): its key covers it.
        module_key = digests.combine([base, header, outline, *(digests.sequence(s) for s in module.sequences),
                                      module_link_key(next_module)])
        yield job(course, "present.html", module.present_page, module_key, module=module, sequence=None,
                  has_video=any(v.is_local for s in module.sequences for v in s.videos), next_module=next_module,
                  following=None)
        chain = (before, *module.sequences, after)
        for index, sequence in enumerate(module.sequences, start=1):
            own = digests.combine([base, header, outline, digests.sequence(sequence)])
            following = chain[index + 1]
            # The next sequence, and its module when it is another (the last slide says this one is over).
            beyond = next_module if following is not None and index == len(module.sequences) else None
            yield job(course, "present.html", sequence.present_page,
                      digests.combine([own, link_key(following), module_link_key(beyond)]), module=module,
                      sequence=sequence, has_video=any(v.is_local for v in sequence.videos), following=following,
                      next_module=beyond)
            yield job(course, "embed.html", sequence.embed_page, own, module=module, sequence=sequence,
                      quiz_only=False)
            if sequence.quiz is not None:
                yield job(course, "embed.html", sequence.quiz_embed_page, own, module=module, sequence=sequence,
                          quiz_only=True)
            previous, following = chain[index - 1], chain[index + 1]
            neighbours = [link_key(s) for s in (previous, following)]
            key = digests.combine([base, header, outline, digests.sequence(sequence), neighbours])
            yield job(course, "sequence.html", sequence.page, key, module=module, sequence=sequence,
                      previous=previous, following=following)


def _bind(method: Callable[..., Iterator[PageJob]], *args: Any) -> Callable[[], Iterator[PageJob]]:
    return lambda: method(*args)
