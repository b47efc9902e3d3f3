"""IMS Common Cartridge 1.1: one course as an .imscc file that Moodle, Canvas and Brightspace import.

The package holds ``imsmanifest.xml`` at its root (the CC 1.1 profile of IMS Content Packaging 1.2) and
what the course's pages need, nothing of the rest of the site:

* the manifest's metadata: the course's title, language and description, its publisher (the site's
  organisation) and its licence and credit line, in the CC profile of IEEE LOM;
* one organisation: a root item (the course), an item per module, and under each an item per sequence,
  in the course's order, which an LMS turns into its sections (Moodle) or modules (Canvas);
* a ``webcontent`` resource per sequence: its page (exports/cc_pages.py: the sequence's embed page, without
  the site's header or navigation, its quiz working in the page's own script) and every file it shows or
  offers (videos, captions, pictures, the PDF sheets), each file with its licence in its own metadata;
* one ``webcontent`` resource with the theme's files (style sheet, scripts), which every page depends on.

Links between pages, and from a page to its files, are relative and stay inside the package. The package
is reproducible: fixed dates and order, so the same content built on the same date gives the same bytes.

:data:`CARTRIDGE` is the export (see exports/base.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.exports.base import Export, ExportError, Written, files_counted, pack, safe_names, xml_bytes
from mooc_builder.exports.cc_pages import local_references, page_path, style_references
from mooc_builder.exports.scorm import href, xml_id
from mooc_builder.lang.text import say, says
from mooc_builder.model import Course, Module, Rights, Sequence, Site
from mooc_builder.render.renderer import Flavour
from mooc_builder.text import plain_text
from mooc_builder.write.output import MemoryOutput

MANIFEST = "imsmanifest.xml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "IMS Common Cartridge"
SCHEMA_VERSION = "1.1.0"
# The namespaces of CC 1.1 (its own profile of each specification) and where their schemas are published.
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
SCHEMA_LOCATIONS = (
    (CP, "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd"),
    (LOM, "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"),
)
WEB_CONTENT = "webcontent"
ASSETS_ID = "ASSETS"
ASSETS = "assets/"


# --- what goes where ------------------------------------------------------------------------------------------


@dataclass
class Page:
    """A sequence's web content: its page, the files it uses (package paths, in order) and the other
    sequences' pages it links to."""

    module: Module
    sequence: Sequence
    path: str
    files: list[str] = field(default_factory=list)
    links: list[Sequence] = field(default_factory=list)


@dataclass
class Contents:
    """What the package holds: each sequence's page, the theme's files, and the licence of each file (where
    the course first shows it)."""

    pages: list[Page]
    assets: list[str]
    rights: dict[str, Rights]

    def names(self) -> list[str]:
        """Every file of the package but the manifest, each once, in path order."""
        names = set(self.assets)
        for page in self.pages:
            names.add(page.path)
            names.update(page.files)
        return sorted(names)


def file_rights(sequence: Sequence) -> dict[str, Rights]:
    """The licence of each file a sequence's page shows (by package path): a video's own for the video and
    what goes with it, a document's own, the sequence's for its pictures."""
    rights: dict[str, Rights] = {page_path(sequence): sequence.rights}
    for image in sequence.pictures:  # a photo's smaller copies are the photo: its rights
        rights[image.output.as_posix()] = sequence.rights
    for video in sequence.videos:
        for media in video.files:
            rights[media.output.as_posix()] = video.rights
        for track in video.track_files:
            rights[f"{track.output.as_posix()}.js"] = video.rights
    for resource in sequence.resources:
        rights[resource.file.output.as_posix()] = resource.rights
    return rights


def contents(course: Course, files: MemoryOutput) -> Contents:
    """What the package of ``course`` holds, from the files of its build in the cartridge flavour.

    Raises ExportError when a page is missing or links to a file of the package that the build has not:
    a page of the package never has a broken link."""
    present = set(files.names())
    by_page = {page_path(s): s for s in course.sequences}
    course_rights: dict[str, Rights] = {}
    for sequence in course.sequences:
        for path, rights in file_rights(sequence).items():
            course_rights.setdefault(path, rights)
    pages: list[Page] = []
    for module in course.modules:
        for sequence in module.sequences:
            path = page_path(sequence)
            text = files.texts.get(path)
            if text is None:
                raise ExportError(f"the build of course {course.id} has no page {path} for the cartridge")
            page = Page(module, sequence, path)
            for target in local_references(path, text.decode("utf-8")):
                if target not in present:
                    raise ExportError(f"the page of sequence {sequence.id} ({path}) links to {target}, "
                                      "which the package would not hold")
                linked = by_page.get(target)
                if linked is not None:
                    if linked is not sequence and linked not in page.links:
                        page.links.append(linked)
                elif not target.startswith(ASSETS) and target != path:
                    page.files.append(target)
            pages.append(page)
    return Contents(pages, theme_files(pages, files), course_rights)


def theme_files(pages: list[Page], files: MemoryOutput) -> list[str]:
    """The theme's files the pages load (assets/...), with what their style sheets load in turn: the package
    holds no script or style sheet that none of its pages uses (the site's progress, search, projector...)."""
    present = set(files.names())
    found: set[str] = set()
    for page in pages:
        text = files.texts[page.path].decode("utf-8")
        found.update(t for t in local_references(page.path, text) if t.startswith(ASSETS))
    for sheet in sorted(p for p in found if p.endswith(".css")):
        data = files.texts.get(sheet)
        text = data.decode("utf-8") if data is not None else files.copies[sheet].read_text(encoding="utf-8")
        for target in style_references(sheet, text):
            if target not in present:
                raise ExportError(f"the style sheet {sheet} loads {target}, which the build has not")
            found.add(target)
    return sorted(found)


# --- the manifest ---------------------------------------------------------------------------------------------


def licence_text(rights: Rights) -> str:
    """A licence and its credit line in words: 'Creative Commons ... (CC-BY-4.0) – https://... – ADEME'."""
    licence = rights.licence
    text = f"{licence.name} ({licence.id})" + (f" – {licence.url}" if licence.url else "")
    return text + (f" – {rights.attribution}" if rights.attribution else "")


def restricted(rights: Rights) -> str:
    """LOM's copyrightAndOtherRestrictions: 'no' only for a work in the public domain."""
    return "no" if rights.licence.id == "CC0-1.0" else "yes"


def resource_id(sequence: Sequence) -> str:
    return xml_id("RES", sequence.page.path.parent.name, sequence.id)


class _Writer:
    """Builds one manifest. Tags are written with their prefixes (none for the package, 'lomimscc:' for the
    metadata, named 'lom:' here), so that every declaration is ours and made once, on the root."""

    def __init__(self, language: str) -> None:
        self.language = language

    @staticmethod
    def el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        name = f"lomimscc:{tag[4:]}" if tag.startswith("lom:") else tag
        element = ET.Element(name, attrs) if parent is None else ET.SubElement(parent, name, attrs)
        if text is not None:
            element.text = text
        return element

    def strings(self, parent: ET.Element, tag: str, text: str) -> None:
        """A LOM LangString: the text, in the course's language."""
        self.el(self.el(parent, tag), "lom:string", text, language=self.language)

    def rights(self, lom: ET.Element, rights: Rights) -> None:
        """LOM rights in the CC profile (a vocabulary value alone, without its source)."""
        block = self.el(lom, "lom:rights")
        self.el(self.el(block, "lom:cost"), "lom:value", "no")
        self.el(self.el(block, "lom:copyrightAndOtherRestrictions"), "lom:value", restricted(rights))
        self.strings(block, "lom:description", licence_text(rights))

    def metadata(self, root: ET.Element, site: Site, course: Course) -> None:
        metadata = self.el(root, "metadata")
        self.el(metadata, "schema", SCHEMA)
        self.el(metadata, "schemaversion", SCHEMA_VERSION)
        lom = self.el(metadata, "lom:lom")
        general = self.el(lom, "lom:general")
        self.strings(general, "lom:title", course.title)
        self.el(general, "lom:language", course.language)
        description = plain_text(course.summary_html).strip() or plain_text(site.description).strip()
        if description:
            self.strings(general, "lom:description", description)
        if site.organisation is not None:
            contribute = self.el(self.el(lom, "lom:lifeCycle"), "lom:contribute")
            self.el(self.el(contribute, "lom:role"), "lom:value", "publisher")
            self.el(contribute, "lom:entity", site.organisation.name)
        rights = course.rights or site.rights
        if rights is not None:
            self.rights(lom, rights)

    def organization(self, root: ET.Element, course: Course) -> None:
        organization = self.el(self.el(root, "organizations"), "organization", identifier=xml_id("ORG", course.id),
                               structure="rooted-hierarchy")
        self.el(organization, "title", course.title)
        # The profile's one top item, without a title: the course, whose children are its modules.
        top = self.el(organization, "item", identifier=xml_id("COURSE", course.id))
        for module in course.modules:
            item = self.el(top, "item", identifier=xml_id("MOD", module.id))
            self.el(item, "title", module.title)
            for sequence in module.sequences:
                leaf = self.el(item, "item", identifier=xml_id("SEQ", module.id, sequence.id),
                               identifierref=resource_id(sequence))
                self.el(leaf, "title", sequence.title)

    def file(self, parent: ET.Element, path: str, rights: Rights | None) -> None:
        element = self.el(parent, "file", href=href(path))
        if rights is not None:
            # The profile's resource metadata describes only whom a resource is for; a file's metadata takes
            # any LOM record, and the manifest's profile of LOM is the one with rights.
            self.rights(self.el(self.el(element, "metadata"), "lom:lom"), rights)

    def resources(self, root: ET.Element, held: Contents) -> None:
        resources = self.el(root, "resources")
        for page in held.pages:
            resource = self.el(resources, "resource", identifier=resource_id(page.sequence), type=WEB_CONTENT,
                               href=href(page.path))
            # A picture two sequences show carries each one's licence in its resource; a file the page only
            # links to (another sequence's document), the licence it has where it is shown.
            own = file_rights(page.sequence)
            for path in (page.path, *page.files):
                self.file(resource, path, own.get(path) or held.rights.get(path))
            self.el(resource, "dependency", identifierref=ASSETS_ID)
            for linked in page.links:
                self.el(resource, "dependency", identifierref=resource_id(linked))
        assets = self.el(resources, "resource", identifier=ASSETS_ID, type=WEB_CONTENT)
        for path in held.assets:
            self.file(assets, path, None)


def manifest(site: Site, course: Course, held: Contents) -> bytes:
    """The imsmanifest.xml of ``course``'s cartridge, which holds ``held``."""
    writer = _Writer(course.language)
    locations = " ".join(f"{uri} {schema}" for uri, schema in SCHEMA_LOCATIONS)
    root = writer.el(None, "manifest", identifier=xml_id("MANIFEST", course.id), xmlns=CP,
                     **{"xmlns:lomimscc": LOM, "xmlns:xsi": XSI, "xsi:schemaLocation": locations})
    writer.metadata(root, site, course)
    writer.organization(root, course)
    writer.resources(root, held)
    return xml_bytes(root)


# --- the zip --------------------------------------------------------------------------------------------------


def write_package(site: Site, course: Course, files: MemoryOutput, zip_path: Path) -> tuple[Contents, int]:
    """Write the cartridge of ``course`` into ``zip_path`` from the files of its build; returns what it
    holds and how many files, imsmanifest.xml included.

    The zip is reproducible: imsmanifest.xml first, then every file in path order, all with a fixed date.
    Raises ExportError when a page is missing or a file name is unsafe, OSError when writing fails.
    """
    held = contents(course, files)
    names = held.names()
    safe_names(names)
    if MANIFEST in names:
        raise ExportError(f"the build of course {course.id} already holds a file named {MANIFEST}")
    data = manifest(site, course, held)
    pack(zip_path, (MANIFEST, data), files, names)
    return held, len(names) + 1


class Cartridge(Export):
    name = "cc"
    help = "one course as an IMS Common Cartridge 1.1 (.imscc), for Moodle, Canvas, Brightspace..."
    description = """Package one course as an IMS Common Cartridge 1.1 (.imscc).

Moodle, Canvas, Brightspace and most LMSs import it as a new course or
into an existing one: each module becomes a section (Moodle) or a module
(Canvas), each sequence a page in it, with its videos, pictures and PDF
sheets. The course's title, description, language and licence travel in
the package's metadata, and each file's licence with the file. A quiz
stays in its sequence's page, where it works as on the site; the LMS does
not record its score (use `mooc export scorm` for that)."""
    flavour = Flavour(bundles=False, cartridge=True)

    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        return f"{course.id}.imscc"

    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        held, count = write_package(site, course, files, target)
        pages = says("{n} page", "{n} pages", len(held.pages))
        return Written(say("Common Cartridge 1.1, {pages}, {files}", pages=pages, files=files_counted(count)), count)


CARTRIDGE = Cartridge()

