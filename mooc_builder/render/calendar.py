"""A session's calendar as an iCalendar file (RFC 5545): its start, each week's opening, the deadlines."""

from __future__ import annotations

import datetime as dt
import re

from mooc_builder.model import Course, Session
from mooc_builder.model.sessions import weeks


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


# RFC 5545 (3.3.11) allows no control character in a TEXT value but the tab; a line break is written '\n'.
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f]+")


def _text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROLS.sub(lambda run: "\\n" if "\n" in run.group() or "\r" in run.group() else "", value)


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
