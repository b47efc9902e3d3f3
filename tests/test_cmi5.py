"""cmi5 packages (`mooc export cmi5`): cmi5.xml, the launch pages, the files of the zip, determinism, the command.

cmi5.xml is checked against what the cmi5 course structure schema asks (its namespace, the order and presence
of elements, the attribute values it allows), element by element: no registry package carries that XSD. What
an AU sends at run time is tested against a real LRS in tests/browser/test_cmi5_ralph.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from mooc_builder.build import check
from mooc_builder.build.export import run_export
from mooc_builder.cli import cli
from mooc_builder.exports.cmi5 import mastery_score, question_iri
from mooc_builder.model import Course, Site
from mooc_builder.write.zip import FIXED_TIME, check_member_path

from .conftest import FIXTURES, REFERENCE

AS_OF = dt.date(2017, 11, 20)
NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
NS = {"c": NAMESPACE}
MOVE_ON = {"NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed"}


class Package:
    """An exported zip, opened: its names, cmi5.xml parsed, and the model it was made from."""

    def __init__(self, path: Path, site: Site, course: Course) -> None:
        self.path = path
        self.site = site
        self.course = course
        with zipfile.ZipFile(path) as archive:
            self.infos = archive.infolist()
            self.names = [i.filename for i in self.infos]
            self.structure = archive.read("cmi5.xml")
        self.root = ET.fromstring(self.structure)

    def read(self, name: str) -> str:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name).decode("utf-8")

    def aus(self) -> list[ET.Element]:
        return self.root.findall("c:au", NS)

    def config(self, launch_page: str) -> dict[str, Any]:
        found = re.search(r'<script type="application/json" id="mooc-au">(.*?)</script>', self.read(launch_page))
        assert found is not None
        data: dict[str, Any] = json.loads(found.group(1))
        return data


def export(content: Path, course_id: str, per: str, target: Path) -> Package:
    result = run_export("cmi5", content, course_id, {"au": per}, target, AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    site, _report = check(content)
    assert site is not None
    return Package(target, site, next(c for c in site.courses if c.id == course_id))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Package:
    return export(FIXTURES / "minimal", "demo", "course", tmp_path_factory.mktemp("cmi5") / "demo.zip")


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Package:
    target = tmp_path_factory.mktemp("cmi5") / "energie.zip"
    return export(REFERENCE, "energie-habitants", "module", target)


def text(element: ET.Element, tag: str) -> tuple[str, str]:
    """(lang, text) of the one langstring of ``tag`` in ``element``, which must be there."""
    [langstring] = element.findall(f"c:{tag}/c:langstring", NS)
    return langstring.get("lang", ""), langstring.text or ""


def check_schema(package: Package) -> None:
    """What the course structure schema asks: courseStructure, then course (title, description), then AUs, each
    with title, description and url in that order, an id, and moveOn and masteryScore within their values."""
    root = package.root
    assert root.tag == f"{{{NAMESPACE}}}courseStructure"
    children = [child.tag.removeprefix(f"{{{NAMESPACE}}}") for child in root]
    assert children[0] == "course" and set(children[1:]) == {"au"} and len(children) > 1
    course = root[0]
    assert [c.tag.removeprefix(f"{{{NAMESPACE}}}") for c in course] == ["title", "description"]
    ids = [course.get("id")]
    for au in package.aus():
        assert [c.tag.removeprefix(f"{{{NAMESPACE}}}") for c in au] == ["title", "description", "url"]
        assert au.get("moveOn") in MOVE_ON and au.get("launchMethod") == "AnyWindow"
        mastery = au.get("masteryScore")
        if mastery is not None:
            assert re.fullmatch(r"(0(\.\d{1,4})?|1)", mastery)
        url = au.findtext("c:url", namespaces=NS)
        assert url and url in package.names  # relative, in the package
        ids.append(au.get("id"))
    assert all(ids) and len(set(ids)) == len(ids)  # unique IRIs
    assert all(re.match(r"^(https?|urn):", i or "") for i in ids)


def test_one_au_for_the_course(demo: Package) -> None:
    check_schema(demo)
    assert demo.names[0] == "cmi5.xml"
    course = demo.root[0]
    assert text(course, "title") == ("fr", "Demo course")
    assert text(course, "description") == ("fr", "A short course.")  # the summary as plain text
    [au] = demo.aus()
    assert au.attrib == {"id": course.get("id", "") + "#au", "moveOn": "Completed", "masteryScore": "0.3",
                         "launchMethod": "AnyWindow"}
    assert text(au, "title") == ("fr", "Demo course")
    assert au.findtext("c:url", namespaces=NS) == "cmi5.html"
    assert not [n for n in demo.names if re.fullmatch(r"cmi5-.*\.html", n)]  # the modules' launch pages are not
    # Without base_url, ids are URNs that only the site's title decides.
    assert re.fullmatch(r"urn:mooc-builder:[0-9a-f]{12}:demo", course.get("id", ""))


def test_one_au_per_module(modules: Package) -> None:
    check_schema(modules)
    course = modules.course
    aus = modules.aus()
    assert len(aus) == len(course.modules) > 1
    assert "cmi5.html" not in modules.names
    for au, module in zip(aus, course.modules, strict=True):
        assert au.findtext("c:url", namespaces=NS) == f"cmi5-{module.id}.html"
        assert text(au, "title") == ("fr", module.title)
        assert text(au, "description") == ("fr", "; ".join(module.objectives))
        # Ids are the pages' addresses on the site, which has a base_url.
        assert au.get("id") == f"{modules.site.base_url}/{course.id}/{module.id}/"
        graded = any(s.quiz is not None and s.quiz.graded for s in module.sequences)
        assert au.get("moveOn") == "Completed"  # course.yml's lms_completion: viewed, the default
        assert au.get("masteryScore") == ("0.3" if graded else None)
    assert modules.root[0].get("id") == f"{modules.site.base_url}/{course.id}/"


def test_lms_completion_passed_makes_moveon_passed_where_there_is_a_pass_mark_to_reach(
        minimal: Path, edit: Callable[[Path, str, str], None], tmp_path: Path) -> None:
    edit(minimal / "courses" / "demo" / "course.yml", "pass_mark: 30%", "pass_mark: 30%\nlms_completion: passed")
    package = export(minimal, "demo", "course", tmp_path / "course.zip")
    assert [au.get("moveOn") for au in package.aus()] == ["Passed"]
    package = export(minimal, "demo", "module", tmp_path / "module.zip")
    assert [au.get("moveOn") for au in package.aus()] == ["Passed", "Completed"]  # the second has no graded quiz
    check_schema(package)


def test_a_module_au_reports_on_its_module_alone(modules: Package) -> None:
    course = modules.course
    module = course.modules[0]
    config = modules.config(f"cmi5-{module.id}.html")
    keys = [f"{module.id}/{s.id}" for s in module.sequences]
    assert config["sequences"] == keys
    graded = [s for s in module.sequences if s.quiz is not None and s.quiz.graded]
    assert sorted(config["quizzes"]) == sorted(f"{module.id}/{s.id}" for s in module.sequences if s.quiz)
    assert config["total"] == sum(s.quiz.points for s in graded if s.quiz is not None)
    assert config["pass_mark"] == [3, 10] and config["lang"] == "fr"
    assert config["au"] == f"{modules.site.base_url}/{course.id}/{module.id}/"
    # A question's id, as the AU makes it, is its place on its sequence's page.
    sequence = graded[0]
    made = config["iri"]["prefix"] + f"{module.id}/{sequence.id}" + config["iri"]["suffix"] + "#q1"
    assert made == question_iri(modules.site, sequence, 1) == f"{modules.site.base_url}/{course.id}/{module.id}/" \
        f"{sequence.id}/#q1"
    # The launch page shows the module's page in its frame, once its scripts have run.
    page = modules.read(f"cmi5-{module.id}.html")
    assert f'data-start="{course.id}/{module.id}/index.html"' in page
    # The questions are scored and said for their statements there: the course asks matching and cloze questions.
    assert page.index("progress-store.js") < page.index("scoring.js") < page.index("scoring-parts.js") < \
        page.index("interactions.js") < page.index("assets/js/cmi5.js")


def test_the_pages_report_to_their_au_and_nothing_else_is_packed(demo: Package) -> None:
    names = set(demo.names)
    assert {"assets/js/cmi5.js", "assets/js/cmi5-page.js"} <= names
    assert not any("/downloads/" in n or n.endswith(".zip") for n in names)
    for sequence in demo.course.sequences:
        page = demo.read(sequence.page.file.as_posix())
        assert "assets/js/scorm.js" not in page
        assert page.index("progress-store.js") < page.index("assets/js/cmi5-page.js")
        if sequence.quiz is not None:
            assert page.index("assets/js/cmi5-page.js") < page.index("assets/js/quiz.js")
    # Every other page of the package has it too: links out of the package open a new window.
    assert "assets/js/cmi5-page.js" in demo.read(demo.course.page.file.as_posix())
    config = demo.config("cmi5.html")
    assert config["sequences"] == ["intro/first", "intro/second", "suite/third"]
    assert config["total"] == 10 and config["au"] == demo.root[0].get("id", "") + "#au"
    for info in demo.infos:
        check_member_path(info.filename)
        assert info.date_time == FIXED_TIME


def test_the_other_exports_and_the_site_carry_no_cmi5_script(tmp_path: Path) -> None:
    result = run_export("scorm", FIXTURES / "minimal", "demo", {"version": "1.2"}, tmp_path / "s.zip", AS_OF)
    assert result.ok
    with zipfile.ZipFile(tmp_path / "s.zip") as archive:
        page = archive.read("demo/intro/first/index.html").decode("utf-8")
        assert "cmi5-page.js" not in page and "cmi5.html" not in archive.namelist()


def test_markup_in_titles_stays_text(minimal: Path, edit: Callable[[Path, str, str], None], tmp_path: Path) -> None:
    edit(minimal / "courses" / "demo" / "course.yml", 'title: "Demo course"', 'title: "Eau & <chaleur> \\"ici\\""')
    package = export(minimal, "demo", "course", tmp_path / "x.zip")
    check_schema(package)
    assert text(package.root[0], "title") == ("fr", 'Eau & <chaleur> "ici"')
    assert "<chaleur>" not in package.read("cmi5.html").split("<body", 1)[1].split("mooc-messages")[0]


@pytest.mark.parametrize(("mark", "expected"), [("45%", "0.45"), ("12.5%", "0.125"), ("100%", "1"), ("0%", "0")])
def test_other_pass_marks(minimal: Path, edit: Callable[[Path, str, str], None], tmp_path: Path, mark: str,
                          expected: str) -> None:
    edit(minimal / "courses" / "demo" / "course.yml", "pass_mark: 30%", f"pass_mark: {mark}")
    package = export(minimal, "demo", "course", tmp_path / "x.zip")
    check_schema(package)
    assert package.aus()[0].get("masteryScore") == expected


def test_the_mastery_score_is_rounded_down_to_four_decimals() -> None:
    class Marked:
        def __init__(self, mark: Fraction) -> None:
            self.pass_mark = mark

    third: Any = Marked(Fraction(1, 3))
    assert mastery_score(third) == "0.3333"  # never above the pass mark: the AU's judgement stays the site's


@pytest.mark.thorough
def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    for per in ("course", "module"):
        first = export(FIXTURES / "minimal", "demo", per, tmp_path / f"a-{per}.zip")
        second = export(FIXTURES / "minimal", "demo", per, tmp_path / f"b-{per}.zip")
        assert first.path.read_bytes() == second.path.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging file left behind


def test_the_command_names_the_file_and_says_what_it_wrote(minimal: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "cmi5", str(minimal), "--as-of", "2017-11-20"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Wrote demo-cmi5\.zip \(cmi5, 1 AU, \d+ files, \d+ kB\)\.", result.output)
    result = CliRunner().invoke(cli, ["export", "cmi5", str(minimal), "--au", "module", "--as-of", "2017-11-20"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Wrote demo-cmi5-modules\.zip \(cmi5, 2 AUs, \d+ files, \d+ kB\)\.", result.output)
    assert (tmp_path / "demo-cmi5.zip").is_file() and (tmp_path / "demo-cmi5-modules.zip").is_file()
    help_text = " ".join(CliRunner().invoke(cli, ["export", "cmi5", "--help"]).output.split())
    assert "--au [course|module]" in help_text and "for the whole course (the default)" in help_text
    assert "masteryScore" in help_text
