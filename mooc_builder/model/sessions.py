"""Dated sessions: which one is current, when each week opens, what is published, and the calendar.

Everything here is decided from the build date (`mooc build --as-of`), so two builds
on the same date give the same bytes. Week N of a session opens on start + 7 x (N - 1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from mooc_builder.model import Course, Module, Release, Session, Site


class Enrolment(enum.Enum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"
    ENDED = "ended"  # the session is over: the course lives on in free access


def current(course: Course, today: dt.date) -> Session | None:
    """The session whose dates contain today, else the next one, else the last one (archive)."""
    for session in course.sessions:
        if session.start <= today <= session.end:
            return session
    upcoming = [s for s in course.sessions if s.start > today]
    if upcoming:
        return upcoming[0]
    return course.sessions[-1] if course.sessions else None


def week_opens(session: Session, week: int) -> dt.date:
    return session.start + dt.timedelta(days=7 * (week - 1))


def enrolment(session: Session, today: dt.date) -> Enrolment:
    if today > session.end:
        return Enrolment.ENDED
    if session.enrol_from is not None and today < session.enrol_from:
        return Enrolment.NOT_YET
    if today <= (session.enrol_until or session.end):
        return Enrolment.OPEN
    return Enrolment.CLOSED


def publish(site: Site, today: dt.date) -> Site:
    """The site as published on ``today``: each module knows when it opens; with ``release: weekly``
    the sequences of weeks not yet open are left out (pages, media, bundles, search)."""
    courses = []
    for course in site.courses:
        session = current(course, today)
        if session is None:
            courses.append(course)
            continue
        modules = []
        for module in course.modules:
            opens = week_opens(session, module.week)
            hidden = course.release is Release.WEEKLY and today < opens and today <= session.end
            modules.append(dataclasses.replace(module, opens=opens, published=not hidden,
                                               sequences=() if hidden else module.sequences,
                                               withheld=module.sequences if hidden else ()))
        courses.append(dataclasses.replace(course, modules=tuple(modules)))
    return dataclasses.replace(site, courses=tuple(courses))


def weeks(course: Course, session: Session) -> list[tuple[int, dt.date, tuple[Module, ...]]]:
    """(week, opening date, modules) for the course's weeks in a session."""
    return [(week, week_opens(session, week), modules) for week, modules in course.weeks()]


# --- calendar (RFC 5545) ---------------------------------------------------------------------------


