"""Kolibri channels (`mooc export kolibri`): the folder Kolibri imports from a drive, read back with sqlite3 and
zipfile. Kolibri itself imports them and a learner takes the course in tests/browser/test_kolibri.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from mooc_builder.build.checking import check
from mooc_builder.build.export import course_alone, run_export
from mooc_builder.cli import cli
from mooc_builder.exports.base import ExportError
from mooc_builder.exports.kolibri import channel_id, licence_fields, uid
from mooc_builder.load.cache import LoadCache
from mooc_builder.model import Course, Site
from mooc_builder.model.licences import REGISTRY, custom_licence
from mooc_builder.render.renderer import Flavour
from mooc_builder.render.theme import load_theme

from .conftest import REFERENCE

AS_OF = dt.date(2026, 12, 6)
COURSE = "energie-habitants"


@pytest.fixture(scope="module")
def site() -> Site:
    checked, _report = check(REFERENCE, LoadCache())
    assert checked is not None
    return checked


def course_of(site: Site, course_id: str = COURSE) -> Course:
    return next(c for c in site.courses if c.id == course_id)


def export(folder: Path, course: str = COURSE, apps: str = "course", content: Path = REFERENCE,
           as_of: dt.date = AS_OF) -> None:
    result = run_export("kolibri", content, course, {"apps": apps}, folder, as_of)
    assert result.ok, result.report


def rows(database: Path, table: str) -> list[dict[str, Any]]:
    db = sqlite3.connect(database)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid")]
    finally:
        db.close()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_folder_a_kolibri_device_imports(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "KOLIBRI_DATA"
    export(folder)
    course = course_of(site)
    ident = channel_id(site, course)
    database = folder / "content" / "databases" / f"{ident}.sqlite3"
    [channel] = rows(database, "content_channelmetadata")
    assert channel["name"] == course.title and channel["version"] == 1
    assert channel["min_schema_version"] == "5"  # what Kolibri 0.16 to 0.19 import
    assert channel["last_updated"] == "2026-12-06 00:00:00.000000(UTC)"  # Kolibri's form; ISO crashes its import
    assert channel["thumbnail"].startswith("data:image/jpeg;base64,")
    root, app = rows(database, "content_contentnode")
    assert (root["kind"], root["level"], root["lft"], root["rght"]) == ("topic", 0, 1, 4)
    assert (app["kind"], app["parent_id"], app["level"], app["lft"], app["rght"]) == ("html5", root["id"], 1, 2, 3)
    assert json.loads(app["options"]) == {"entry": course.page.file.as_posix()}
    assert app["license_name"] == "CC BY-NC-ND" and app["license_description"] is None
    assert app["license_owner"] == "Union des organismes de l'habitat social"
    assert app["author"] == "Union des organismes de l'habitat social"
    assert app["lang_id"] == "fr" and app["coach_content"] == 0
    # Watch, read and practise (le-utils' ids); its duration, the course's, in seconds.
    assert app["learning_activities"].split(",") == ["UD5UGM0z", "wA01urpi", "VwRCom7G"]
    assert app["duration"] == int(sum((m.duration for m in course.modules), dt.timedelta()).total_seconds())
    zipped, thumbnail = rows(database, "content_file")
    assert (zipped["preset"], zipped["thumbnail"], thumbnail["preset"], thumbnail["thumbnail"]) == (
        "html5_zip", 0, "html5_thumbnail", 1)
    # Each stored file is named by its md5, which is its id, in two levels of folders.
    for local in rows(database, "content_localfile"):
        name = f"{local['id']}.{local['extension']}"
        stored = folder / "content" / "storage" / local["id"][0] / local["id"][1] / name
        assert hashlib.md5(stored.read_bytes()).hexdigest() == local["id"]
        assert stored.stat().st_size == local["file_size"]
    [language] = rows(database, "content_language")
    assert language == {"id": "fr", "lang_code": "fr", "lang_subcode": None, "lang_name": "Français",
                        "lang_direction": "ltr"}


def test_the_app_holds_the_course_without_bundles_and_pages_made_for_the_sandbox(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "KOLIBRI_DATA"
    export(folder)
    course = course_of(site)
    [app] = list((folder / "content" / "storage").glob("?/?/*.zip"))
    with zipfile.ZipFile(app) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
        home = archive.read(course.page.file.as_posix()).decode("utf-8")
        sequence = next(s for s in course.sequences if s.quiz is not None and s.resources)
        page = BeautifulSoup(archive.read(sequence.page.file.as_posix()), "html.parser")
        certificate = archive.read(course.certificate_page.file.as_posix()).decode("utf-8")
        progress = archive.read(course.progress_page.file.as_posix()).decode("utf-8")
    assert course.page.file.as_posix() in names and "assets/js/kolibri.js" in names
    assert not any("/downloads/" in n for n in names)  # no download bundles: they would store the videos again
    assert "sandbox.js" in home and "kolibri.js" in home
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any(s.endswith("assets/js/sandbox.js") for s in scripts)
    report = json.loads(page.find(id="mooc-report").string)
    assert report["iri"] == f"https://mooc.habitat-social.example.org/{COURSE}/"
    assert report["total"] == course.graded_points and report["entry_module"] is None
    assert report["completion"] == "viewed"  # course.yml's lms_completion, by default
    module = course.modules[0]
    module_page = BeautifulSoup(archive_text(app, module.page.file.as_posix()), "html.parser")
    assert json.loads(module_page.find(id="mooc-report").string)["entry_module"] == module.id
    assert "certificate-print" not in certificate and "progress-save" not in progress
    assert "progress-reset" not in progress  # the sandbox refuses confirm(): a reset would do nothing


def archive_text(app: Path, name: str) -> str:
    with zipfile.ZipFile(app) as archive:
        return archive.read(name).decode("utf-8")


def test_the_site_has_none_of_it(site: Site) -> None:
    course = course_of(site)
    _alone, files = course_alone(site, course, load_theme(None), AS_OF, Flavour())
    home = files.texts[course.page.file.as_posix()].decode("utf-8")
    assert "sandbox.js" not in home and "kolibri.js" not in home and "mooc-report" not in home
    assert "certificate-print" in files.texts[course.certificate_page.file.as_posix()].decode("utf-8")


@pytest.mark.thorough
def test_the_same_content_and_date_write_the_same_bytes(tmp_path: Path) -> None:
    export(tmp_path / "one")
    export(tmp_path / "two")
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")
    before = files_of(tmp_path / "one")
    export(tmp_path / "one")  # again, unchanged: the same version, the same bytes
    assert files_of(tmp_path / "one") == before


@pytest.mark.thorough
def test_a_changed_course_is_a_new_version_of_the_same_channel(tmp_path: Path, site: Site) -> None:
    content = tmp_path / "content"
    shutil.copytree(REFERENCE, content)
    folder = tmp_path / "KOLIBRI_DATA"
    export(folder, content=content)
    database = folder / "content" / "databases" / f"{channel_id(site, course_of(site))}.sqlite3"
    first = rows(database, "content_contentnode")
    old_zip = {p.name for p in (folder / "content" / "storage").glob("?/?/*.zip")}
    export(folder, content=content, as_of=AS_OF + dt.timedelta(days=1))  # only the date: the same version
    assert rows(database, "content_channelmetadata")[0]["version"] == 1
    sequence = next((content / "courses" / COURSE).glob("*/*.md"))
    sequence.write_text(sequence.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    export(folder, content=content)
    assert rows(database, "content_channelmetadata")[0]["version"] == 2  # Kolibri imports a higher version only
    assert [n["id"] for n in rows(database, "content_contentnode")] == [n["id"] for n in first]
    new_zip = {p.name for p in (folder / "content" / "storage").glob("?/?/*.zip")}
    assert len(new_zip) == 1 and new_zip != old_zip  # the old app's zip is no channel's any more: removed


@pytest.mark.thorough
def test_several_courses_share_the_folder(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "KOLIBRI_DATA"
    export(folder)
    export(folder, "energie-proximite", apps="module")
    databases = sorted(p.stem for p in (folder / "content" / "databases").glob("*.sqlite3"))
    proximite = course_of(site, "energie-proximite")
    assert databases == sorted([channel_id(site, course_of(site)), channel_id(site, proximite)])
    export(folder)  # one course again: the other's channel and files stay
    assert sorted(p.stem for p in (folder / "content" / "databases").glob("*.sqlite3")) == databases
    database = folder / "content" / "databases" / f"{channel_id(site, proximite)}.sqlite3"
    nodes = rows(database, "content_contentnode")
    assert [n["title"] for n in nodes[1:]] == [m.title for m in proximite.modules]
    assert [json.loads(n["options"])["entry"] for n in nodes[1:]] == [m.page.file.as_posix() for m in proximite.modules]
    assert [n["id"] for n in nodes[1:]] == [uid(site, proximite, "app", m.id) for m in proximite.modules]
    assert nodes[0]["rght"] == 2 * len(proximite.modules) + 2
    zips = {f["local_file_id"] for f in rows(database, "content_file") if f["preset"] == "html5_zip"}
    assert len(zips) == 1  # every module's app is the same zip, stored once


def test_a_folder_that_holds_something_else_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mes-documents"
    folder.mkdir()
    (folder / "lettre.odt").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError) as raised:
        run_export("kolibri", REFERENCE, COURSE, {}, folder, AS_OF)
    assert "lettre.odt" in str(raised.value) and "not a folder of Kolibri channels" in str(raised.value)
    assert sorted(p.name for p in folder.iterdir()) == ["lettre.odt"]


def test_the_command_writes_kolibri_data_and_says_what(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        site: Site) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "kolibri", str(REFERENCE), "--course", COURSE, "--as-of",
                                      AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    assert f"Wrote KOLIBRI_DATA (Kolibri channel {channel_id(site, course_of(site))}, 1 HTML5 app of" in result.output
    assert (tmp_path / "KOLIBRI_DATA" / "content" / "databases").is_dir()
    listed = CliRunner().invoke(cli, ["--lang", "fr", "export"])
    assert "un cours en chaîne Kolibri" in listed.output


@pytest.mark.parametrize(("licence", "name", "description"), [
    ("CC-BY-NC-ND-4.0", "CC BY-NC-ND", None),
    ("CC-BY-SA-4.0", "CC BY-SA", None),
    ("CC-BY-3.0", "CC BY", "Creative Commons Attribution 3.0 Unported (https://creativecommons.org/licenses/by/3.0/)"),
    ("CC0-1.0", "Public Domain", None),
    ("LicenseRef-All-Rights-Reserved", "All Rights Reserved", None),
])
def test_licences_take_kolibris_names(licence: str, name: str, description: str | None) -> None:
    assert licence_fields(REGISTRY[licence]) == (name, description)


def test_another_licence_is_a_special_permission_described_in_full() -> None:
    name, description = licence_fields(custom_licence("LicenseRef-Licence-Ouverte", "https://example.org/lo"))
    assert name == "Special Permissions"
    assert description == "Licence Ouverte https://example.org/lo Reuse terms: see https://example.org/lo"
