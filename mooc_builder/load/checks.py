"""Checks of a whole loaded course that no single file shows: weekly effort, weeks against the sessions."""

from __future__ import annotations

import datetime as dt

from mooc_builder.diagnostics import Pos, Report
from mooc_builder.load.tree import show
from mooc_builder.model import Course, MediaFile, Site
from mooc_builder.model.sessions import week_opens


def one_file_each(site: Site, report: Report) -> None:
    """Refuse media whose names differ only in case ('Plan.svg', 'plan.svg'): on a USB stick (FAT32, exFAT),
    on Windows and on macOS they are one file, and one would replace the other."""
    seen: dict[str, MediaFile] = {}
    for media in site.all_media():
        other = seen.setdefault(media.output.as_posix().casefold(), media)
        if other is not media and other.output != media.output:
            report.error(Pos(show(media.source)), f"'{media.output.name}' and '{other.output.name}' differ only in "
                         "case: on a USB stick or on Windows they would be one file",
                         "rename one of them, and the links to it")


def course_warnings(course: Course, report: Report) -> None:
    """What only the whole course shows: a week over its effort, a week after the weeks or the sessions."""
    effort_warnings(course, report)
    schedule_warnings(course, report)


def schedule_warnings(course: Course, report: Report) -> None:
    """Warn when a module's week falls after the announced number of weeks or after the session ends."""
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


def effort_warnings(course: Course, report: Report) -> None:
    """Warn when a week's sequences exceed the course's announced weekly effort by more than 25 %."""
    if course.effort is None:
        return
    budget = course.effort.per_week
    for week, modules in course.weeks():
        total = sum((m.duration for m in modules), dt.timedelta())
        if total > budget * 1.25:
            report.warn(Pos(show(course.source)), f"week {week} takes {_minutes(total)} min, more than "
                        f"{_minutes(budget)} min announced (+25 % allowed)",
                        "shorten its sequences or raise effort per_week")


def _minutes(value: dt.timedelta) -> int:
    return round(value.total_seconds() / 60)
