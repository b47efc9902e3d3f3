"""Licences and credits: inheritance at every level, the registry, JSON-LD, and effort warnings."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.cli import cli
from mooc_builder.lang.catalogue import load_catalogues
from mooc_builder.model.licences import REGISTRY
from mooc_builder.render.theme import default_theme_dir

from .sitecheck import parse
from .test_build import text_of

Edit = Callable[[Path, str, str], None]
FIRST = "courses/demo/01-intro/01-first.md"


def test_registry_has_every_licence_of_the_format_with_its_name_and_terms_in_french() -> None:
    french = load_catalogues(default_theme_dir() / "locales")["fr"]
    for version in ("4.0", "3.0", "2.0"):
        for combo in ("BY", "BY-SA", "BY-NC", "BY-NC-SA", "BY-ND", "BY-NC-ND"):
            licence = REGISTRY[f"CC-{combo}-{version}"]
            assert licence.url == f"https://creativecommons.org/licenses/{combo.lower()}/{version}/"
            assert french.messages[licence.name] and french.messages[licence.terms]
    licence = REGISTRY["CC-BY-NC-ND-4.0"]
    assert licence.terms == "Reuse allowed for non-commercial purposes, without modification, citing the source."
    assert french.gettext(licence.terms) == (
        "Réutilisation autorisée à des fins non commerciales, sans modification, en citant la source.")
    # The name of the French legal code (creativecommons.org/licenses/by-nc-nd/4.0/legalcode.fr).
    assert french.gettext(licence.name) == (
        "Creative Commons Attribution - Pas d'Utilisation Commerciale - Pas de Modification 4.0 International")
    assert french.gettext(REGISTRY["CC-BY-SA-3.0"].name) == (
        "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 non transposé")
    assert "CC0-1.0" in REGISTRY and "LicenseRef-All-Rights-Reserved" in REGISTRY


def test_each_level_overrides_the_one_above(minimal: Path, edit: Edit) -> None:
    edit(minimal / "courses/demo/course.yml", "credits:", "licence: CC-BY-NC-4.0\nattribution: Course team\ncredits:")
    edit(minimal / FIRST, 'title: "First sequence"', 'title: "First sequence"\nlicence: CC0-1.0\nattribution: Seq')
    edit(minimal / FIRST, '    title: "A clip"', '    title: "A clip"\n    licence: LicenseRef-All-Rights-Reserved\n'
                                                  '    attribution: "Studio"')
    site, report = check(minimal)
    assert site is not None, [str(e) for e in report.errors]
    course = site.courses[0]
    intro, suite = course.modules
    first, second = intro.sequences
    third = suite.sequences[0]
    assert site.rights is not None and site.rights.licence.id == "CC-BY-NC-ND-4.0"
    assert course.rights is not None and (course.rights.licence.id, course.rights.attribution) == (
        "CC-BY-NC-4.0", "Course team")
    assert (second.rights.licence.id, second.rights.attribution) == ("CC-BY-NC-4.0", "Course team")  # from course
    assert (third.rights.licence.id, third.rights.attribution) == ("CC-BY-SA-4.0", "Module author")  # module
    assert (first.rights.licence.id, first.rights.attribution) == ("CC0-1.0", "Seq")  # sequence
    clip, external = first.videos
    assert (clip.rights.licence.id, clip.rights.attribution) == ("LicenseRef-All-Rights-Reserved", "Studio")
    assert (external.rights.licence.id, external.rights.attribution) == ("CC0-1.0", "Seq")  # from its sequence
    sheet = first.resources[0]
    assert (sheet.rights.licence.id, sheet.rights.attribution) == ("CC-BY-4.0", "Someone else")  # its own


def test_pages_show_the_licence_of_what_they_show(minimal: Path, tmp_path: Path, edit: Edit) -> None:
    edit(minimal / FIRST, 'title: "First sequence"', 'title: "First sequence"\nlicence: CC0-1.0')
    result = build(BuildOptions(minimal, tmp_path / "out", dt.date(2017, 11, 20)))
    assert result.ok
    page = parse(tmp_path / "out/demo/intro/first/index.html")
    assert "CC0 1.0" in text_of(page.select_one("footer .rights"))
    assert "Someone else" in text_of(page.select_one(".resources"))
    credits = parse(tmp_path / "out/demo/licences/index.html")
    rows = {text_of(tr.find_all("td")[0]): text_of(tr.find_all("td")[2]) for tr in credits.select("tbody tr")}
    assert rows["Texte : First sequence"] == "CC0 1.0"
    assert rows["Texte : Second sequence"] == "CC BY-NC-ND 4.0"


def test_json_ld_parses_and_names_the_right_licence(minimal: Path, tmp_path: Path, edit: Edit) -> None:
    edit(minimal / "site.yml", 'language: fr', 'language: fr\nbase_url: "https://mooc.example.org/energie"')
    result = build(BuildOptions(minimal, tmp_path / "out", dt.date(2017, 11, 20)))
    assert result.ok
    sequence = parse(tmp_path / "out/demo/suite/third/index.html")
    data = json.loads(sequence.find("script", type="application/ld+json").string)
    assert data["@type"] == "LearningResource"
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert data["creator"]["name"] == "Module author"
    assert data["funder"][0]["name"] == "Funder"
    assert data["audience"]["audienceType"] == "Habitants"
    assert data["inLanguage"] == "fr" and data["timeRequired"] == "PT1M"
    assert data["url"] == "https://mooc.example.org/energie/demo/suite/third/index.html"
    first = json.loads(parse(tmp_path / "out/demo/intro/first/index.html")
                       .find("script", type="application/ld+json").string)
    video = first["video"][0]
    assert video["@type"] == "VideoObject" and video["duration"] == "PT30S"
    assert video["license"] == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert video["contentUrl"] == "https://mooc.example.org/energie/demo/media/clip.mp4"
    course = json.loads(parse(tmp_path / "out/demo/index.html").find("script", type="application/ld+json").string)
    assert course["@type"] == "Course" and course["provider"]["name"] == "Org"
    assert course["timeRequired"] == "PT30M"  # 15 min a week for 2 weeks
    assert course["hasCourseInstance"][0]["startDate"] == "2017-11-14"


def test_sequence_duration_defaults_to_videos_reading_and_questions(minimal: Path, edit: Edit) -> None:
    edit(minimal / FIRST, "duration: 5min\n", "")
    site, _ = check(minimal)
    assert site is not None
    first = site.courses[0].modules[0].sequences[0]
    # 30 s + 3 min of videos, about 20 words (1 min of reading), 9 questions.
    assert first.duration == dt.timedelta(minutes=3, seconds=30) + dt.timedelta(minutes=1) + dt.timedelta(minutes=9)


def test_words_are_counted_only_for_a_sequence_without_an_announced_duration(minimal: Path, edit: Edit) -> None:
    site, _ = check(minimal)
    assert site is not None
    first = site.courses[0].modules[0].sequences[0]
    assert first.declared_duration == dt.timedelta(minutes=5) and first.words == 0  # not needed: not counted
    edit(minimal / FIRST, "duration: 5min\n", "")
    site, _ = check(minimal)
    assert site is not None
    first = site.courses[0].modules[0].sequences[0]
    assert first.declared_duration is None and 10 < first.words < 40


def test_check_warns_when_a_week_exceeds_its_effort(minimal: Path, edit: Edit) -> None:
    edit(minimal / FIRST, "duration: 5min", "duration: 19min")  # week 1: 19 + 1 = 20 min > 15 min + 25 %
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(minimal)])
    assert result.exit_code == 0
    assert "week 1 takes 20 min, more than 15 min announced" in result.output
    assert "week 2" not in result.output
    assert runner.invoke(cli, ["check", "--strict", str(minimal)]).exit_code == 1


def test_a_week_within_a_quarter_over_budget_is_fine(minimal: Path, edit: Edit) -> None:
    edit(minimal / FIRST, "duration: 5min", "duration: 17min")  # 18 min <= 18.75 min
    _, report = check(minimal)
    assert not [w for w in report.warnings if "week" in w.message]
