"""The author guide (docs/guide/): a course in the course format itself, « Créer son premier MOOC », that shows
every feature it explains by using it. It is clean for `mooc check --strict`, it builds, and its site has a
captioned video, a drawing, a quiz of every question type the loader accepts, download bundles and the projector
view. The README sends authors to it (`make docs`)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.cli import cli
from mooc_builder.load.keys import Choice
from mooc_builder.load.quiz import TYPE
from mooc_builder.model import Site

from .conftest import ROOT
from .sitecheck import html_files, parse
from .test_build import assert_links_resolve

GUIDE = ROOT / "docs" / "guide"
COURSE = "creer-son-premier-mooc"


@pytest.fixture(scope="module")
def guide() -> Site:
    site, report = check(GUIDE)
    assert [str(d) for d in report.errors] == []
    assert [str(d) for d in report.warnings] == []
    assert site is not None
    return site


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide built, from a copy without its printable handouts: laying out its twelve PDFs would add four
    seconds for pages that are not about handouts (tests/test_handouts.py holds those to account; `make docs`
    builds the guide with them)."""
    folder = tmp_path_factory.mktemp("guide")
    content = folder / "guide"
    shutil.copytree(GUIDE, content)
    course_yml = content / "courses" / COURSE / "course.yml"
    text = course_yml.read_text(encoding="utf-8")
    assert "\nhandouts: true\n" in text
    course_yml.write_text(text.replace("\nhandouts: true\n", "\n"), encoding="utf-8")
    out = folder / "site"
    result = build(BuildOptions(content, out, dt.date(2027, 1, 11)))
    assert result.ok
    return out


@pytest.fixture(scope="module")
def pages(guide_site: Path) -> dict[str, BeautifulSoup]:
    """Every page of the built guide, parsed once, by its path in the site."""
    return {file.relative_to(guide_site).as_posix(): parse(file) for file in html_files(guide_site)}


def test_the_guide_is_clean_for_mooc_check_strict() -> None:
    result = CliRunner().invoke(cli, ["check", "--strict", str(GUIDE)])
    assert result.exit_code == 0, result.output
    said = result.output.lower()
    assert not any(word in said for word in ("error", "warning", "erreur", "avertissement")), result.output


def test_the_guide_is_one_french_course_under_the_reference_licence(guide: Site) -> None:
    assert guide.language == "fr"
    assert [c.id for c in guide.courses] == [COURSE]
    course = guide.courses[0]
    assert course.title == "Créer son premier MOOC"
    assert len(course.modules) >= 5
    assert all(len(m.sequences) >= 2 for m in course.modules)
    assert course.certificate and course.handouts and course.effort is not None
    assert guide.rights is not None and guide.rights.licence.id == "CC-BY-NC-ND-4.0"
    assert guide.organisation is not None and guide.organisation.name == "Projet mooc-builder"
    assert course.credits


def test_the_guide_builds_and_its_links_resolve(guide_site: Path) -> None:
    assert (guide_site / "index.html").is_file()
    assert assert_links_resolve(guide_site) > 300


def test_a_page_has_a_video_with_french_captions_and_a_poster(guide_site: Path,
                                                               pages: dict[str, BeautifulSoup]) -> None:
    found = []
    for name, page in pages.items():
        for video in page.find_all("video"):
            track = video.find("track", attrs={"kind": "captions", "srclang": "fr"})
            if track is not None and video.get("poster"):
                assert (guide_site / name).parent.joinpath(track["src"]).resolve().is_file()
                found.append(name)
    assert found


def test_a_page_shows_the_drawing_with_its_description(pages: dict[str, BeautifulSoup]) -> None:
    drawings = [(name, img) for name, page in pages.items() if "/present/" not in name
                for img in page.find_all("img") if str(img.get("src", "")).endswith("media/dossiers.svg")]
    # The quiz's hotspot points at the same drawing, described by the question's alt (a title would add nothing).
    in_text = [img for _, img in drawings if img.find_parent(class_="hotspot") is None]
    in_quiz = [img for _, img in drawings if img.find_parent(class_="hotspot") is not None]
    assert in_text and all(img.get("alt") and img.get("title") for img in in_text)
    assert in_quiz and all(str(img.get("alt", "")).startswith("Les dossiers d'un site") for img in in_quiz)


def test_a_page_offers_a_pdf_sheet(pages: dict[str, BeautifulSoup]) -> None:
    assert any(str(a.get("href", "")).endswith(".pdf") for page in pages.values()
               for a in page.find_all("a"))


def test_a_quiz_has_every_question_type_the_loader_accepts(pages: dict[str, BeautifulSoup]) -> None:
    """The types come from the loader's table of keys: a type added there fails here until the guide shows it."""
    assert isinstance(TYPE.kind, Choice)
    accepted = set(TYPE.kind.options)
    assert {"single", "multiple", "true_false", "text", "numeric"} <= accepted
    shown: list[set[str]] = []
    for page in pages.values():
        data = page.find("script", id="mooc-quiz")
        if data is not None:
            shown.append({q["type"] for q in json.loads(data.string)["questions"]})
    assert accepted in shown, shown


def test_the_kit_offers_download_bundles(guide_site: Path) -> None:
    downloads = guide_site / COURSE / "downloads"
    bundles = sorted(downloads.glob("*.zip"))
    assert len(bundles) >= 2
    kit = parse(guide_site / COURSE / "kit" / "index.html")
    linked = {Path(str(a["href"])).name for a in kit.find_all("a", href=True)}
    assert {b.name for b in bundles} <= linked
    with zipfile.ZipFile(downloads / f"{COURSE}.zip") as bundle:
        names = bundle.namelist()
    assert any(n.endswith("/index.html") for n in names)
    assert any("/projection/" in n for n in names)


def test_the_projector_view_has_slides_notes_and_a_picture(guide_site: Path) -> None:
    present = parse(guide_site / COURSE / "animer" / "projection" / "present" / "index.html")
    assert len(present.select(".slide")) >= 5
    assert present.select(".slide-notes")
    assert present.select(".slide-picture")
    # The notes are for the presenter only: never on the sequence's own page.
    page = parse(guide_site / COURSE / "animer" / "projection" / "index.html")
    assert "vue présentateur (touche p)" not in page.get_text()


def test_the_course_has_a_certificate_page(guide_site: Path) -> None:
    assert (guide_site / COURSE / "certificate" / "index.html").is_file()


def test_the_readme_sends_authors_to_the_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make docs" in readme
    assert "_guide/index.html" in readme
    assert "docs/guide/" in readme
    assert "docs/keys.md" in readme
