"""Digests of model values: what a page or bundle was made from, to skip unchanged work.

A digest is the sha256 of a value's repr: frozen dataclasses of plain values have
a complete, stable repr. Digests are remembered by object identity (the objects
are kept alive with them), so a model shared between builds, as `mooc serve` and
the load cache do, is digested once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from mooc_builder.model import Course, Module, Sequence, Site, repr_digest

T = TypeVar("T")


class Digests:
    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}
        self._parts: dict[tuple[str, int], tuple[object, str]] = {}  # projections, by kind and identity

    def _part(self, kind: str, value: object, make: Callable[[], Iterable[object]]) -> str:
        known = self._parts.get((kind, id(value)))
        if known is not None and known[0] is value:
            return known[1]
        digest = self.combine(make())
        self._parts[(kind, id(value))] = (value, digest)
        return digest

    def of(self, value: object) -> str:
        if type(value) is Sequence:
            return value.digest  # the same, made with the sequence
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        digest = repr_digest(value)
        self._memo[id(value)] = (value, digest)
        return digest

    def combine(self, parts: Iterable[object]) -> str:
        sha = hashlib.sha256()
        for part in parts:
            sha.update((part if isinstance(part, str) else repr(part)).encode("utf-8"))
            sha.update(b"\0")
        return sha.hexdigest()

    def forget_except(self, keep: Iterable[object]) -> None:
        """Drop digests of values no longer in use (serve calls this after each build)."""
        alive = {id(v) for v in keep}
        self._memo = {k: v for k, v in self._memo.items() if k in alive}
        self._parts = {k: v for k, v in self._parts.items() if k[1] in alive}

    # --- projections: what a page shows of each level ---------------------------------------------

    def site_header(self, site: Site) -> str:
        return self._part("header", site, lambda: [dataclasses.replace(site, courses=())])

    def course_header(self, course: Course) -> str:
        return self._part("header", course, lambda: [dataclasses.replace(course, modules=())])

    def module_outline(self, module: Module) -> str:
        """A module as its page and its sequences' navigation show it: titles, durations, quiz points."""
        def parts() -> list[object]:
            header = dataclasses.replace(module, sequences=(), withheld=())
            titles = tuple((s.id, s.order, s.title, s.duration, s.quiz.points if s.quiz else None)
                           for s in module.sequences)
            return [self.of(header), titles]

        return self._part("outline", module, parts)

    def course_shape(self, course: Course) -> str:
        """Where each of a course's sequences is: its module's id, its order and its id."""
        return self._part("shape", course, lambda: [tuple((m.id, s.order, s.id) for m in course.modules
                                                         for s in m.sequences)])

    def course_whole(self, course: Course) -> str:
        return self._part("whole", course, lambda: [
            self.course_header(course), *(self.module_outline(m) for m in course.modules),
            *(self.of(s) for s in course.all_sequences)])

    def sequence(self, sequence: Sequence) -> str:
        return self.of(sequence)

    def sequence_files(self, sequence: Sequence) -> str:
        """What the course's licences page shows of a sequence: its files and their rights, not its text."""
        return self._part("files", sequence, lambda: (sequence.id, sequence.title, sequence.page, sequence.rights,
                                                      sequence.videos, sequence.resources, sequence.images))

    def sequence_quiz(self, sequence: Sequence) -> str:
        """What the progress and certificate pages show of a sequence: its title and its quiz."""
        return self._part("quiz", sequence, lambda: (sequence.id, sequence.order, sequence.title, sequence.quiz))

    def course_files(self, course: Course) -> str:
        """A course as its licences page shows it."""
        return self._part("files", course, lambda: (
            self.course_header(course), *(self.module_outline(m) for m in course.modules),
            *(self.sequence_files(s) for s in course.all_sequences)))

    def course_quizzes(self, course: Course) -> str:
        """A course as its progress and certificate pages show it."""
        return self._part("quizzes", course, lambda: (
            self.course_header(course), *(self.module_outline(m) for m in course.modules),
            *(self.sequence_quiz(s) for s in course.all_sequences)))


class Interner:
    """Hands back last build's object for a course, module or site equal to it, so that the digests
    above, remembered by identity, are not worked out again for what an edit did not touch.
    Sequences are shared already (the load cache keeps them)."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, ...], object] = {}

    def site(self, site: Site) -> Site:
        courses = tuple(self._course(c) for c in site.courses)
        if any(a is not b for a, b in zip(courses, site.courses, strict=True)):
            site = dataclasses.replace(site, courses=courses)
        seen: dict[tuple[str, ...], object] = {}
        for course in site.courses:
            seen[("course", course.id)] = course
            seen.update((("module", course.id, m.id), m) for m in course.modules)
        site = self._same(("site",), site)
        self._last = {**seen, ("site",): site}
        return site

    def _course(self, course: Course) -> Course:
        modules = tuple(self._same(("module", course.id, m.id), m) for m in course.modules)
        if any(a is not b for a, b in zip(modules, course.modules, strict=True)):
            course = dataclasses.replace(course, modules=modules)
        return self._same(("course", course.id), course)

    def _same(self, key: tuple[str, ...], value: T) -> T:
        last = self._last.get(key)
        return last if type(last) is type(value) and last == value else value
