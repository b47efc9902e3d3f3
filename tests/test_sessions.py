"""Dated sessions: wording by build date, weekly release, the calendar file, and schedule checks."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import icalendar
import pytest

from mooc_builder.build import BuildOptions, build, check

from .conftest import REFERENCE
from .sitecheck import parse, tree_digest
from .test_build import text_of

Edit = Callable[[Path, str, str], None]
COURSE = "energie-habitants"


@pytest.fixture(scope="module")
def weekly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference content with the residents' course released week by week."""
    content = tmp_path_factory.mktemp("weekly") / "content"
    shutil.copytree(REFERENCE, content)
    course = content / "courses" / COURSE / "course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("release: all\n", "") + "release: weekly\n",
                      encoding="utf-8")
    return content


def built(content: Path, day: str, tmp_path: Path) -> Path:
    out = tmp_path / f"site-{day}"
    result = build(BuildOptions(content, out, dt.date.fromisoformat(day)))
    assert result.ok, [str(e) for e in result.report.errors]
    return out


@pytest.mark.thorough
@pytest.mark.parametrize(("day", "enrolment", "open_weeks"), [
    ("2017-11-01", "Inscriptions ouvertes jusqu'au 26 décembre 2017", 0),   # before the start
    ("2017-11-15", "Inscriptions ouvertes jusqu'au 26 décembre 2017", 1),   # during week 1
    ("2017-11-30", "Inscriptions ouvertes jusqu'au 26 décembre 2017", 3),   # during week 3
    ("2017-12-28", "Inscriptions closes", 5),                                # enrolment closed
    ("2018-02-10", "Session terminée : le cours reste en accès libre, à votre rythme", 5),  # after the end
])
def test_pages_and_published_sequences_follow_the_build_date(weekly: Path, tmp_path: Path, day: str,
                                                             enrolment: str, open_weeks: int) -> None:
    site = built(weekly, day, tmp_path)
    course_page = parse(site / COURSE / "index.html")
    assert enrolment in text_of(course_page.select_one(".session"))
    # A session that has ended has no date left to add to a calendar: no link, no file.
    ended = day == "2018-02-10"
    assert (course_page.select_one(".calendar-link") is None) is ended
    assert (site / COURSE / "calendar.ics").is_file() is not ended
    catalogue = parse(site / "index.html")
    assert enrolment in text_of(catalogue.select(".card")[0])
    weeks = course_page.select("section.week")
    assert len(weeks) == 5
    model, _ = check(weekly)
    assert model is not None
    course = next(c for c in model.courses if c.id == COURSE)
    start = dt.date(2017, 11, 14)
    for number, (section, module) in enumerate(zip(weeks, course.modules, strict=True), start=1):
        opens = start + dt.timedelta(days=7 * (number - 1))
        dates = text_of(section.select_one(".week-dates"))
        assert ("Ouverte depuis" if opens <= dt.date.fromisoformat(day) else "Ouvre le") in dates
        published = number <= open_weeks
        for sequence in module.sequences:
            assert (site / sequence.page.file).is_file() is published, (day, sequence.page)
            assert (site / sequence.present_page.file).is_file() is published
        module_page = parse(site / module.page.file)
        assert [text_of(li) for li in module_page.select("main ul li")][:len(module.objectives)] == list(
            module.objectives)
        if not published:
            assert "seront publiées" in text_of(module_page.select_one("main"))
            assert module_page.select(".sequence-list") == []
        bundle = site / COURSE / "downloads" / f"{COURSE}-{module.id}.zip"
        assert bundle.is_file() is published
    index = (site / COURSE / "search" / "index.js").read_text(encoding="utf-8")
    hidden = [s for m in course.modules[open_weeks:] for s in m.sequences]
    assert not [s.title for s in hidden if f'"t":"{s.title}"' in index]


def test_weekly_release_ships_no_media_of_closed_weeks(weekly: Path, tmp_path: Path) -> None:
    site = built(weekly, "2017-11-15", tmp_path)
    model, _ = check(weekly)
    assert model is not None
    course = next(c for c in model.courses if c.id == COURSE)
    first_week = {str(m.output) for s in course.modules[0].sequences for v in s.videos if v.src for m in [v.src]}
    later = {str(v.src.output) for m in course.modules[1:] for s in m.sequences for v in s.videos if v.src}
    assert later - first_week
    for path in later - first_week:
        assert not (site / path).exists(), path
    for path in first_week:
        assert (site / path).is_file()


@pytest.mark.thorough
def test_same_date_same_bytes(weekly: Path, tmp_path: Path) -> None:
    first = tree_digest(built(weekly, "2017-11-30", tmp_path / "a"))
    second = tree_digest(built(weekly, "2017-11-30", tmp_path / "b"))
    first.pop(".mooc-cache/load.pickle", None)
    second.pop(".mooc-cache/load.pickle", None)
    assert first == second


def test_calendar_has_the_session_events(weekly: Path, tmp_path: Path) -> None:
    site = built(weekly, "2017-11-20", tmp_path)
    course_page = parse(site / COURSE / "index.html")
    assert course_page.find("a", href="calendar.ics") is not None
    raw = (site / COURSE / "calendar.ics").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF line ends everywhere
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = sorted((e.decoded("dtstart"), str(e.get("summary"))) for e in calendar.walk("VEVENT"))
    days = [d for d, _summary in events]
    weeks = [dt.date(2017, 11, 14) + dt.timedelta(days=7 * k) for k in range(5)]
    assert sorted(days) == sorted([dt.date(2017, 11, 14), *weeks, dt.date(2017, 12, 26), dt.date(2018, 1, 31)])
    summaries = " | ".join(s for _d, s in events)
    assert "Début du cours" in summaries and "Ouverture de la semaine 3\u00a0: " in summaries
    assert "Dernier jour pour s'inscrire" in summaries and "Fin de la session" in summaries
    uids = [str(e.get("uid")) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 8
    assert all(e.get("dtstamp") is not None for e in calendar.walk("VEVENT"))


def test_several_sessions_current_next_or_last(minimal: Path, tmp_path: Path, edit: Edit) -> None:
    edit(minimal / "courses/demo/course.yml", """session:
  start: 2017-11-14
  enrol_until: 2017-12-26
  end: 2018-01-31
  enrol_url: "https://example.org/enrol\"""", """sessions:
  - {name: "Session 1", start: 2017-11-14, enrol_until: 2017-12-26, end: 2018-01-31}
  - {name: "Session 2", start: 2018-03-05, enrol_from: 2018-02-01, enrol_until: 2018-04-02, end: 2018-04-30}""")
    cases = {
        "2017-12-01": ("Session 1", "Inscriptions ouvertes jusqu'au 26 décembre 2017"),
        "2018-01-15": ("Session 1", "Inscriptions closes"),
        "2018-01-31": ("Session 1", "Inscriptions closes"),
        "2018-02-01": ("Session 2", "Inscriptions ouvertes jusqu'au 2 avril 2018"),
        "2018-01-31x": ("Session 2", ""),
        "2018-06-01": ("Session 2", "Session terminée"),
    }
    cases.pop("2018-01-31x")
    cases["2018-02-10"] = ("Session 2", "Inscriptions ouvertes jusqu'au 2 avril 2018")
    for day, (name, wording) in cases.items():
        text = text_of(parse(built(minimal, day, tmp_path) / "demo" / "index.html").select_one(".session"))
        assert text.startswith(name) and wording in text, (day, text)


def test_enrolment_not_yet_open(minimal: Path, tmp_path: Path, edit: Edit) -> None:
    edit(minimal / "courses/demo/course.yml", "  enrol_until: 2017-12-26", "  enrol_from: 2017-11-01\n"
         "  enrol_until: 2017-12-26")
    text = text_of(parse(built(minimal, "2017-10-01", tmp_path) / "demo" / "index.html").select_one(".session"))
    assert "Inscriptions ouvertes à partir du 1er novembre 2017" in text


def test_check_warns_about_weeks_outside_the_schedule(minimal: Path, edit: Edit) -> None:
    edit(minimal / "courses/demo/02-suite/module.yml", 'title: "Suite"', 'title: "Suite"\nweek: 13')
    _site, report = check(minimal)
    warnings = [str(w) for w in report.warnings]
    assert any("02-suite/module.yml: week 13 is after the 2 weeks announced" in w for w in warnings)
    assert any("week 13 opens on 2018-02-06, after the end of Session 1 (2018-01-31)" in w for w in warnings)


def test_impossible_dates_are_errors(minimal: Path, edit: Edit) -> None:
    edit(minimal / "courses/demo/course.yml", "  enrol_until: 2017-12-26", "  enrol_until: 2018-02-26")
    _site, report = check(minimal)
    assert any("enrolment closes (2018-02-26) after the session ends" in str(e) for e in report.errors)
