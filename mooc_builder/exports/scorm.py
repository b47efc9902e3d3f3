"""SCORM packages: one course as a zip that an LMS (Moodle, Open edX, Chamilo, ...) imports.

A package is ONE SCO for the whole course: ``launch.html`` at its root, which holds the course's pages in a
frame and alone talks to the LMS (``assets/js/scorm-host.js``: one Initialize, one suspend_data for the whole
course, the course's score as a percentage, completion and success from the pass mark and ``lms_completion``).
Real runtimes launch one SCO and keep one state for it (Open edX's SCORM block, wagtail-lms), refuse a second
Initialize (scormhost), and Moodle grades on ``score.raw``: with one SCO per sequence a learner's second quiz
overwrote the first, and a link between sequences left the tracked content. A SCO per module would serve no
platform we know better than this one: none was kept.

Beside it, the course built alone (its pages carry ``assets/js/scorm.js``, which reports to the launch page, and
no download bundles) and an ``imsmanifest.xml``: one item, the course, every file listed, metadata (title,
language, licence) and the course's pass mark. Versions: SCORM 1.2 and SCORM 2004 4th edition. Packages are
reproducible: fixed dates and order, so the same content built on the same date gives the same bytes.

:data:`SCORM` is the export (see exports/base.py): :meth:`Scorm.write` packs the files of the course built
alone with the SCORM flavour, the manifest first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import quote

from mooc_builder.exports.base import Export, ExportError, Option, Written, files_counted, pack, safe_names, xml_bytes
from mooc_builder.lang.text import say, says
from mooc_builder.model import Course, Rights, Site
from mooc_builder.render.renderer import Flavour
from mooc_builder.write.output import MemoryOutput

VERSIONS = ("1.2", "2004")
MANIFEST = "imsmanifest.xml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Namespaces and schema files, in the order they are declared on <manifest>.
_NAMESPACES: dict[str, list[tuple[str, str, str]]] = {
    "1.2": [
        ("", "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        ("adlcp", "http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
        ("imsmd", "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
    ],
    "2004": [
        ("", "http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        ("adlcp", "http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        ("adlseq", "http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
        ("adlnav", "http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
        ("imsss", "http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
        ("lom", "http://ltsc.ieee.org/xsd/LOM", "lom.xsd"),
    ],
}
SCHEMA_VERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}
ASSETS_ID = "ASSETS"
SCO_ID = "SCO"
LAUNCH = "launch.html"  # the SCO: the course in a frame, and the one script that talks to the LMS


# --- the manifest ---------------------------------------------------------------------------------------------


def xml_id(*parts: str) -> str:
    """A valid XML ID (a letter first, then [A-Za-z0-9_.-]) made of ``parts`` joined by '.'.

    Content ids are lower-case letters, digits and hyphens, so '.' cannot appear inside one and two
    different paths never give the same identifier.
    """
    text = ".".join(parts)
    safe = "".join(c if (c.isascii() and (c.isalnum() or c in "_.-")) else "_" for c in text)
    return safe if safe[:1].isalpha() else f"X{safe}"


def decimal_text(value: Fraction, places: int) -> str:
    """``value`` written exactly when it has at most ``places`` decimals, else rounded down to them."""
    scaled = value * 10**places
    digits = Decimal(scaled.numerator // scaled.denominator).scaleb(-places)
    return format(digits.normalize(), "f")


def mastery_score(course: Course) -> str:
    """SCORM 1.2's adlcp:masteryscore: the pass mark on 0..100 (an integer for a whole percentage)."""
    return decimal_text(course.pass_mark * 100, 2)


def min_normalized_measure(course: Course) -> str:
    """SCORM 2004's imsss:minNormalizedMeasure: the pass mark on 0..1, with at most 4 decimals."""
    return decimal_text(course.pass_mark, 4)


def href(path: str) -> str:
    """A package path as a URI reference (names with spaces or accents are percent-encoded)."""
    return quote(path, safe="/-._~")


class _Writer:
    """Builds one manifest; tags are written with their prefixes so that every declaration is ours."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.v12 = version == "1.2"

    def el(self, parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        attributes = {k.replace("__", ":"): v for k, v in attrs.items()}
        element = ET.Element(tag, attributes) if parent is None else ET.SubElement(parent, tag, attributes)
        if text is not None:
            element.text = text
        return element

    def root(self, course: Course) -> ET.Element:
        namespaces = _NAMESPACES[self.version]
        attrs = {"identifier": xml_id("MANIFEST", course.id), "version": "1.0"}
        for prefix, uri, _schema in namespaces:
            attrs["xmlns" + (f":{prefix}" if prefix else "")] = uri
        attrs["xmlns:xsi"] = XSI
        attrs["xsi:schemaLocation"] = " ".join(f"{uri} {schema}" for _prefix, uri, schema in namespaces)
        return ET.Element("manifest", attrs)

    def metadata(self, parent: ET.Element, site: Site, course: Course) -> None:
        metadata = self.el(parent, "metadata")
        self.el(metadata, "schema", "ADL SCORM")
        self.el(metadata, "schemaversion", SCHEMA_VERSION[self.version])
        rights = course.rights or site.rights
        licence_text = ""
        if rights is not None:
            licence = rights.licence
            licence_text = f"{licence.name} ({licence.id})" + (f" – {licence.url}" if licence.url else "")
            if rights.attribution:
                licence_text += f" – {rights.attribution}"
        if self.v12:
            self._lom_12(metadata, course, rights, licence_text)
        else:
            self._lom_2004(metadata, course, rights, licence_text)

    def _lom_12(self, parent: ET.Element, course: Course, rights: Rights | None, licence_text: str) -> None:
        lom = self.el(parent, "imsmd:lom")
        general = self.el(lom, "imsmd:general")
        title = self.el(general, "imsmd:title")
        self.el(title, "imsmd:langstring", course.title, xml__lang=course.language)
        self.el(general, "imsmd:language", course.language)
        if rights is None:
            return
        block = self.el(lom, "imsmd:rights")
        for tag, value in (("imsmd:cost", "no"), ("imsmd:copyrightandotherrestrictions", _restricted(rights))):
            vocabulary = self.el(block, tag)
            source = self.el(vocabulary, "imsmd:source")
            self.el(source, "imsmd:langstring", "LOMv1.0", xml__lang="x-none")
            value_element = self.el(vocabulary, "imsmd:value")
            self.el(value_element, "imsmd:langstring", value, xml__lang="x-none")
        description = self.el(block, "imsmd:description")
        self.el(description, "imsmd:langstring", licence_text, xml__lang=course.language)

    def _lom_2004(self, parent: ET.Element, course: Course, rights: Rights | None, licence_text: str) -> None:
        lom = self.el(parent, "lom:lom")
        general = self.el(lom, "lom:general")
        title = self.el(general, "lom:title")
        self.el(title, "lom:string", course.title, language=course.language)
        self.el(general, "lom:language", course.language)
        if rights is None:
            return
        block = self.el(lom, "lom:rights")
        for tag, value in (("lom:cost", "no"), ("lom:copyrightAndOtherRestrictions", _restricted(rights))):
            vocabulary = self.el(block, tag)
            self.el(vocabulary, "lom:source", "LOMv1.0")
            self.el(vocabulary, "lom:value", value)
        description = self.el(block, "lom:description")
        self.el(description, "lom:string", licence_text, language=course.language)

    def organization(self, parent: ET.Element, course: Course) -> None:
        """One item, the whole course: its one SCO (see the module's documentation)."""
        org_id = xml_id("ORG", course.id)
        organizations = self.el(parent, "organizations", default=org_id)
        organization = self.el(organizations, "organization", identifier=org_id)
        self.el(organization, "title", course.title)
        # isvisible is true by default (IMS CP), but Open edX's block lists an item only when it says so.
        item = self.el(organization, "item", identifier=xml_id("ITEM", course.id), identifierref=SCO_ID,
                       isvisible="true")
        self.el(item, "title", course.title)
        if course.graded_points <= 0:
            return
        if self.v12:
            self.el(item, "adlcp:masteryscore", mastery_score(course))
        else:
            sequencing = self.el(item, "imsss:sequencing")
            objectives = self.el(sequencing, "imsss:objectives")
            primary = self.el(objectives, "imsss:primaryObjective", objectiveID="pass-mark",
                              satisfiedByMeasure="true")
            self.el(primary, "imsss:minNormalizedMeasure", min_normalized_measure(course))

    def resources(self, parent: ET.Element, files: list[str]) -> None:
        resources = self.el(parent, "resources")
        type_attr = "adlcp__scormtype" if self.v12 else "adlcp__scormType"
        resource = self.el(resources, "resource", identifier=SCO_ID, type="webcontent", href=href(LAUNCH),
                           **{type_attr: "sco"})
        self.el(resource, "file", href=href(LAUNCH))
        self.el(resource, "dependency", identifierref=ASSETS_ID)
        assets = self.el(resources, "resource", identifier=ASSETS_ID, type="webcontent", **{type_attr: "asset"})
        for path in files:
            if path != LAUNCH:
                self.el(assets, "file", href=href(path))


def _restricted(rights: Rights) -> str:
    return "no" if rights.licence.id == "CC0-1.0" else "yes"


def manifest(site: Site, course: Course, version: str, files: list[str]) -> bytes:
    """The imsmanifest.xml of ``course``'s package, whose other files are ``files`` (package paths)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown SCORM version {version!r}")
    writer = _Writer(version)
    root = writer.root(course)
    writer.metadata(root, site, course)
    writer.organization(root, course)
    writer.resources(root, files)
    return xml_bytes(root)


# --- the zip --------------------------------------------------------------------------------------------------


def write_package(site: Site, course: Course, version: str, files: MemoryOutput, zip_path: Path) -> int:
    """Write the SCORM package of ``course`` into ``zip_path`` from the files of its build; returns how many
    files the package holds, imsmanifest.xml included.

    The zip is reproducible: imsmanifest.xml first, then every file in path order, all with a fixed date.
    Raises ExportError when a sequence page is missing or a file name is unsafe, OSError when writing fails.
    """
    names = files.names()
    safe_names(names)
    present = set(names)
    missing = [s.page.file.as_posix() for s in course.sequences if s.page.file.as_posix() not in present]
    if LAUNCH not in present:
        missing.insert(0, LAUNCH)
    if missing:
        raise ExportError(f"the build of course {course.id} has no {missing[0]}")
    if MANIFEST in present:
        raise ExportError(f"the build of course {course.id} already holds a file named {MANIFEST}")
    data = manifest(site, course, version, names)
    pack(zip_path, (MANIFEST, data), files, names)
    return len(names) + 1


class Scorm(Export):
    name = "scorm"
    help = "one course as a SCORM 1.2 or 2004 package, for an LMS (Moodle, Open edX, Chamilo...)"
    description = """Package one course as a SCORM zip for an LMS.

The package is one SCO for the whole course (launch.html, with
imsmanifest.xml at the zip's root): the learner moves between sequences
inside it. It reports to the LMS the course's score as a percentage (graded
points earned, best attempt of each quiz, out of all graded points), passed
or failed against the course's pass_mark (also written in the manifest), and
completed as course.yml's lms_completion says (viewed: every sequence seen,
the default; passed: the pass mark reached). The learner's answers are kept
by the LMS and shown again at the next visit. The default version is 1.2,
which Moodle handles best; use --version 2004 for an LMS that prefers SCORM
2004 (4th edition)."""
    options = (Option("version", "SCORM 1.2 (the default: what Moodle and most LMSs handle best) or SCORM 2004 "
                      "4th edition.", VERSIONS, "1.2"),)
    flavour = Flavour(scorm=True, bundles=False)

    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        return f"{course.id}-scorm-{options.get('version', '1.2')}.zip"

    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        version = options.get("version", "1.2")
        if version not in VERSIONS:
            raise ExportError(say("unknown SCORM version {value}; choose one of {choices}", value=repr(version),
                                  choices=", ".join(VERSIONS)))
        count = write_package(site, course, version, files, target)
        return Written(say("SCORM {version}, 1 SCO ({sequences}), {files}", version=version, sequences=says(
            "{n} sequence", "{n} sequences", len(course.sequences)), files=files_counted(count)), count)


SCORM = Scorm()
