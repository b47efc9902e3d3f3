"""Dated sessions: which one is current, when each week opens, what is published, and the calendar.

Everything here is decided from the build date (`mooc build --as-of`), so two builds
on the same date give the same bytes. Week N of a session opens on start + 7 x (N - 1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from .diagnostics import Pos, Report
from .diagnostics import display_path as show
from .model import Course, Module, Release, Session, Site


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


def schedule_warnings(site: Site, report: Report) -> None:
    """Warn when a module's week falls after the announced number of weeks or after the session ends."""
    for course in site.courses:
        weeks_announced = course.effort.weeks if course.effort else None
        for module in course.modules:
            where = Pos(show(module.source))
            if weeks_announced is not None and module.week > weeks_announced:
                report.warn(where, f"week {module.week} is after the {weeks_announced} weeks announced in course.yml",
                            "change week: here or effort weeks: in course.yml")
            for session in course.sessions:
                if week_opens(session, module.week) > session.end:
                    report.warn(where, f"week {module.week} opens on {week_opens(session, module.week)}, after the end "
                                f"of {session.name} ({session.end})", "end the session later or use an earlier week")


# --- calendar (RFC 5545) ---------------------------------------------------------------------------

def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current_part, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current_part)
            current_part, size = "", 0
        current_part += char
        size += width
    parts.append(current_part)
    return "\r\n ".join(parts)


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def calendar(course: Course, session: Session, today: dt.date, labels: dict[str, str], host: str) -> str:
    """An iCalendar file with the session's start, each week's opening, the enrolment deadline and the end."""
    events: list[tuple[str, dt.date, str]] = [("start", session.start, labels["start"])]
    for week, opens, modules in weeks(course, session):
        titles = " · ".join(m.title for m in modules)
        events.append((f"week-{week}", opens, labels["week"].format(n=week, titles=titles)))
    if session.enrol_until is not None:
        events.append(("enrol-until", session.enrol_until, labels["enrol_until"]))
    events.append(("end", session.end, labels["end"]))
    stamp = today.strftime("%Y%m%d") + "T000000Z"
    session_id = session.start.strftime("%Y%m%d")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mooc-builder//course calendar//FR", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(course.title)}"]
    for key, day, summary in sorted(events, key=lambda e: (e[1], e[0])):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{course.id}-{session_id}-{key}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_text(course.title + ' – ' + summary)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
