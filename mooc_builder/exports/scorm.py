"""SCORM packages: one course as a zip that an LMS (Moodle, Chamilo, Dokeos, ...) imports.

A package holds the course built alone (its pages carry the runtime adapter, ``assets/js/scorm.js``, and no
download bundles) and an ``imsmanifest.xml`` at its root: one item per module, one SCO per sequence (its
page), every file of the package listed, metadata (title, language, licence) and the course's pass mark on
each sequence with a graded quiz. Versions: SCORM 1.2 and SCORM 2004 4th edition. Packages are reproducible:
fixed dates and order, so the same content built on the same date gives the same bytes.

:func:`export_scorm` checks and builds the content into a temporary folder, then writes the package;
:func:`write_package` writes the package of a course from a folder already built with
``BuildOptions(scorm=True, bundles=False, only_course=course.id)``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import quote

from mooc_builder.diagnostics import Pos, Report, display_path
from mooc_builder.model import Course, Module, Rights, Sequence, Site
from mooc_builder.write.bundles import CHUNK, STORED, BundleError, check_member_path

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


class ExportError(Exception):
    """The package could not be written; the message says why, for an author."""


@dataclass(frozen=True)
class ScormPackage:
    """A written package."""

    path: Path
    version: str
    size: int  # bytes of the zip
    scos: int  # one per sequence
    files: int  # files of the package, imsmanifest.xml included


@dataclass
class ExportResult:
    report: Report
    package: ScormPackage | None = None

    @property
    def ok(self) -> bool:
        return self.package is not None and not self.report.errors


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


def graded(sequence: Sequence) -> bool:
    return sequence.quiz is not None and sequence.quiz.graded


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
        org_id = xml_id("ORG", course.id)
        organizations = self.el(parent, "organizations", default=org_id)
        organization = self.el(organizations, "organization", identifier=org_id)
        self.el(organization, "title", course.title)
        for module in course.modules:
            item = self.el(organization, "item", identifier=module_id(module))
            self.el(item, "title", module.title)
            for sequence in module.sequences:
                self.sco_item(item, course, module, sequence)
            if not self.v12:
                self.flow(item)
        if not self.v12:
            self.flow(organization)

    def flow(self, parent: ET.Element) -> None:
        """2004: the learner may pick any sequence in the LMS's outline, or go through them in order."""
        sequencing = self.el(parent, "imsss:sequencing")
        self.el(sequencing, "imsss:controlMode", choice="true", flow="true")

    def sco_item(self, parent: ET.Element, course: Course, module: Module, sequence: Sequence) -> None:
        item = self.el(parent, "item", identifier=sequence_id(module, sequence),
                       identifierref=resource_id(module, sequence))
        self.el(item, "title", sequence.title)
        if not graded(sequence):
            return
        if self.v12:
            self.el(item, "adlcp:masteryscore", mastery_score(course))
        else:
            sequencing = self.el(item, "imsss:sequencing")
            objectives = self.el(sequencing, "imsss:objectives")
            primary = self.el(objectives, "imsss:primaryObjective", objectiveID="pass-mark",
                              satisfiedByMeasure="true")
            self.el(primary, "imsss:minNormalizedMeasure", min_normalized_measure(course))

    def resources(self, parent: ET.Element, course: Course, files: list[str]) -> None:
        resources = self.el(parent, "resources")
        type_attr = "adlcp__scormtype" if self.v12 else "adlcp__scormType"
        pages: set[str] = set()
        for module in course.modules:
            for sequence in module.sequences:
                page = sequence.page.file.as_posix()
                pages.add(page)
                resource = self.el(resources, "resource", identifier=resource_id(module, sequence),
                                   type="webcontent", href=href(page), **{type_attr: "sco"})
                self.el(resource, "file", href=href(page))
                self.el(resource, "dependency", identifierref=ASSETS_ID)
        assets = self.el(resources, "resource", identifier=ASSETS_ID, type="webcontent", **{type_attr: "asset"})
        for path in files:
            if path not in pages:
                self.el(assets, "file", href=href(path))


def _restricted(rights: Rights) -> str:
    return "no" if rights.licence.id == "CC0-1.0" else "yes"


def module_id(module: Module) -> str:
    return xml_id("MOD", module.id)


def sequence_id(module: Module, sequence: Sequence) -> str:
    return xml_id("SEQ", module.id, sequence.id)


def resource_id(module: Module, sequence: Sequence) -> str:
    return xml_id("RES", module.id, sequence.id)


def manifest(site: Site, course: Course, version: str, files: list[str]) -> bytes:
    """The imsmanifest.xml of ``course``'s package, whose other files are ``files`` (package paths)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown SCORM version {version!r}")
    writer = _Writer(version)
    root = writer.root(course)
    writer.metadata(root, site, course)
    writer.organization(root, course)
    writer.resources(root, course, files)
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")


# --- the zip --------------------------------------------------------------------------------------------------


def package_files(site_folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file of a built site, as (package path, file), in a stable order; dotfiles (.mooc-cache,
    .mooc-site) are left out."""
    found: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(site_folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            path = Path(folder) / name
            if name.startswith(".") or not path.is_file() or path.is_symlink():
                continue
            found.append((path.relative_to(site_folder).as_posix(), path))
    yield from sorted(found)


def write_package(site_folder: Path, site: Site, course: Course, version: str, zip_path: Path) -> ScormPackage:
    """Write the SCORM package of ``course`` from ``site_folder``, a folder built with
    ``BuildOptions(scorm=True, bundles=False, only_course=course.id)``, into ``zip_path`` (replaced if it exists).

    The zip is reproducible: imsmanifest.xml first, then every file in path order, all with a fixed date.
    Raises ExportError when a sequence page is missing or a file name is unsafe, OSError when writing fails.
    """
    files = list(package_files(site_folder))
    names = [name for name, _path in files]
    try:
        for name in names:
            check_member_path(name)
    except BundleError as exc:
        raise ExportError(str(exc)) from None
    missing = [s.page.file.as_posix() for s in course.sequences if s.page.file.as_posix() not in set(names)]
    if missing:
        raise ExportError(f"{site_folder} is not a build of course {course.id}: {missing[0]} is missing")
    if MANIFEST in names:
        raise ExportError(f"{site_folder} already holds a file named {MANIFEST}")
    data = manifest(site, course, version, names)
    with zipfile.ZipFile(zip_path, "w", allowZip64=True) as archive:
        archive.writestr(_info(MANIFEST, len(data)), data, compresslevel=9)
        for name, path in files:
            size = path.stat().st_size
            with path.open("rb") as handle, archive.open(_info(name, size), "w", force_zip64=True) as out:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    out.write(chunk)
    return ScormPackage(zip_path, version, zip_path.stat().st_size, len(course.sequences), len(files) + 1)


# --- from a content folder ------------------------------------------------------------------------------------


def unknown_course(content: Path, course_id: str, known: list[str]) -> tuple[str, str]:
    """The message and hint for a course id that the site does not publish."""
    message = f"no course '{course_id}' in this site"
    if (content / "courses" / course_id).is_dir():
        message += " (its folder is there, but it is not listed in courses: of site.yml)"
    close = difflib.get_close_matches(course_id, known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    hint += ("courses of this site: " + ", ".join(known)) if known else "this site has no course"
    return message, hint


def export_scorm(content: Path, course_id: str, version: str, output_zip: Path, as_of: dt.date,
                 theme: Path | None = None) -> ExportResult:
    """Check ``content``, build course ``course_id`` alone with the SCORM adapter, and write its package.

    Content errors and an unknown course id come back in the result's report (nothing is written); the zip
    is written beside ``output_zip`` and moved into place at the end, so a failed export leaves no half-file.
    Raises writer.WriteError, render.ThemeError, ExportError and OSError like a build does.
    """
    # Imported here: build code may call this module (a kit page linking the package) without a cycle.
    from mooc_builder.build import Builder, BuildOptions, check
    from mooc_builder.load.cache import LoadCache

    if version not in VERSIONS:
        raise ValueError(f"unknown SCORM version {version!r}")
    cache = LoadCache()
    site, report = check(content, cache)
    if site is None or report.errors:
        return ExportResult(report)
    known = [c.id for c in site.courses]
    if course_id not in known:
        message, hint = unknown_course(content, course_id, known)
        report.error(Pos(display_path(content)), message, hint)
        return ExportResult(report)
    out = output_zip.absolute()
    if out.resolve().is_relative_to(content.absolute().resolve()):
        raise ExportError(f"{output_zip} is inside the content folder; write the package outside it")
    if out.is_dir():
        raise ExportError(f"{output_zip} is a folder; give the name of the zip file to write")
    if not out.parent.is_dir():
        raise ExportError(f"the folder {display_path(out.parent)} does not exist")
    with tempfile.TemporaryDirectory(prefix="mooc-scorm-") as tmp:
        builder = Builder(BuildOptions(content, Path(tmp) / "site", as_of, theme, scorm=True, bundles=False,
                                       only_course=course_id))
        builder.load_cache = cache
        result = builder.build()
        for item in result.report:
            if item not in report.items:
                report.items.append(item)
        if not result.ok or result.site is None:
            return ExportResult(report)
        course = next(c for c in result.site.courses if c.id == course_id)
        suffix = hashlib.sha256(str(out).encode("utf-8")).hexdigest()[:8]
        staging = out.with_name(f".{out.name}.{suffix}.tmp")
        try:
            package = write_package(Path(tmp) / "site", result.site, course, version, staging)
            os.replace(staging, out)
        finally:
            staging.unlink(missing_ok=True)
    return ExportResult(report, ScormPackage(output_zip, version, package.size, package.scos, package.files))


FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same bytes at every build


def _info(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.create_system = 3  # unix, so that the permissions below are read
    info.external_attr = 0o644 << 16
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    info.compress_type = zipfile.ZIP_STORED if extension in STORED else zipfile.ZIP_DEFLATED
    info.file_size = size
    return info
