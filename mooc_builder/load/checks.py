"""Checks of a whole loaded course that no single file shows: weekly effort, weeks against the sessions."""

from __future__ import annotations

import datetime as dt

from mooc_builder.diagnostics import Pos, Report
from mooc_builder.lang.text import say, says
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
            report.error(Pos(show(media.source)),
                         say("'{name}' and '{other}' differ only in case: on a USB stick or on Windows they would be "
                             "one file", name=media.output.name, other=other.output.name),
                         say("rename one of them, and the links to it"))


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
            report.warn(where, says("week {week} is after the {n} week announced in course.yml",
                                    "week {week} is after the {n} weeks announced in course.yml", weeks_announced,
                                    week=module.week),
                        say("change week: here or effort weeks: in course.yml"))
        for session in course.sessions:
            if week_opens(session, module.week) > session.end:
                report.warn(where, say("week {week} opens on {opens}, after the end of {session} ({end})",
                                       week=module.week, opens=week_opens(session, module.week), session=session.name,
                                       end=session.end),
                            say("end the session later or use an earlier week"))


def effort_warnings(course: Course, report: Report) -> None:
    """Warn when a week's sequences exceed the course's announced weekly effort by more than 25 %."""
    if course.effort is None:
        return
    budget = course.effort.per_week
    for week, modules in course.weeks():
        total = sum((m.duration for m in modules), dt.timedelta())
        if total > budget * 1.25:
            report.warn(Pos(show(course.source)),
                        say("week {week} takes {minutes} min, more than {budget} min announced (+25 % allowed)",
                            week=week, minutes=_minutes(total), budget=_minutes(budget)),
                        say("shorten its sequences or raise effort per_week"))


def _minutes(value: dt.timedelta) -> int:
    return round(value.total_seconds() / 60)
