"""The reference courses in content/ are clean, complete and small, and their site works from file://."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.model import QuestionType, Site

from .conftest import REFERENCE
from .sitecheck import html_files, parse
from .test_build import assert_links_resolve


@pytest.fixture(scope="module")
def reference() -> Site:
    site, report = check(REFERENCE)
    assert [str(d) for d in report.errors] == []
    assert [str(d) for d in report.warnings] == []
    assert site is not None
    return site


@pytest.fixture(scope="module")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "site"
    result = build(BuildOptions(REFERENCE, out, dt.date(2017, 11, 20)))
    assert result.ok
    return out


def test_reference_courses_are_the_planned_ones(reference: Site) -> None:
    by_id = {c.id: c for c in reference.courses}
    assert list(by_id) == ["energie-habitants", "energie-proximite", "energie-maitrise-ouvrage",
                           "accession-propriete"]
    efforts = {cid: (c.effort.per_week, c.effort.weeks) for cid, c in by_id.items() if c.effort}
    assert efforts["energie-habitants"] == (dt.timedelta(minutes=15), 5)
    assert efforts["energie-proximite"] == (dt.timedelta(minutes=30), 5)
    assert efforts["energie-maitrise-ouvrage"] == (dt.timedelta(hours=1), 5)
    assert len(by_id["accession-propriete"].modules) == 6
    for course in reference.courses:
        assert course.sessions and course.referent
        assert course.pass_mark == Fraction(3, 10)


def test_reference_uses_every_question_type_and_local_and_external_videos(reference: Site) -> None:
    types = {q.type for c in reference.courses for s in c.sequences if s.quiz for q in s.quiz.questions}
    assert types == set(QuestionType)
    videos = [v for c in reference.courses for s in c.sequences for v in s.videos]
    local = [v for v in videos if v.is_local]
    assert local and any(not v.is_local for v in videos)
    assert all(v.captions and v.transcript and v.poster for v in local)


def test_reference_content_is_small() -> None:
    size = sum(p.stat().st_size for p in REFERENCE.rglob("*") if p.is_file())
    assert size < 2_000_000, size


def test_reference_site_links_all_resolve(reference_site: Path) -> None:
    assert assert_links_resolve(reference_site) > 1000


def test_reference_pages_have_one_h1_and_a_language(reference_site: Path) -> None:
    pages = html_files(reference_site)
    assert len(pages) > 70
    for file in pages:
        page = parse(file)
        assert len(page.find_all("h1")) == 1, file
        assert page.html is not None and page.html.get("lang") == "fr", file
        assert page.find("main") is not None, file
