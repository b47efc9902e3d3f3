"""cmi5 packages: one course as a zip that a cmi5 LMS imports, its learners' records kept in an xAPI LRS.

A package holds the course built alone (the cmi5 flavour: no download bundles, and each sequence page carries
``assets/js/cmi5-page.js``, which tells the AU what the learner viewed and answered), one launch page per
assignable unit (AU) at its root, and ``cmi5.xml``, the course structure: the course's title and description
in its language, then one AU for the whole course (the default) or one per module (``--au module``). An AU's
launch page (``cmi5.html``, or ``cmi5-<module>.html``) runs the cmi5 launch protocol (``assets/js/cmi5.js``)
and shows the course's pages in a frame, so that one AU session lasts while the learner goes from page to
page, and ends (terminated) when they leave.

Activity ids are IRIs: the pages' own addresses when the site has a ``base_url``, else URNs made from the
site's title (``urn:mooc-builder:<digest>:<course>/<module>/<sequence>``), the same in every export. Packages
are reproducible, as SCORM's are: fixed dates and order.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mooc_builder.exports.base import Export, ExportError, Option, Written, files_counted, pack, safe_names
from mooc_builder.exports.scorm import decimal_text, href
from mooc_builder.lang.text import say, says
from mooc_builder.model import Course, Module, Page, Sequence, Site
from mooc_builder.render.renderer import Flavour, Renderer
from mooc_builder.text import plain_text
from mooc_builder.write.output import MemoryOutput

STRUCTURE = "cmi5.xml"
NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
AU_CHOICES = ("course", "module")
TEMPLATE = "cmi5.html"


# --- identifiers ----------------------------------------------------------------------------------------------


def _base(site: Site) -> tuple[str, str]:
    """What a page's IRI starts and ends with: its address on the site when there is one (an id a person can
    open), else a URN that only the site's title decides, so that two exports of a site give the same ids."""
    if site.base_url:
        return site.base_url.rstrip("/") + "/", "/"
    digest = hashlib.sha256(site.title.encode("utf-8")).hexdigest()[:12]
    return f"urn:mooc-builder:{digest}:", ""


def page_iri(site: Site, page: Page) -> str:
    start, end = _base(site)
    return f"{start}{page.path.as_posix()}{end}"


def question_iri(site: Site, sequence: Sequence, number: int) -> str:
    """A question's activity id: its place on its sequence's page (the page gives it the id ``q<number>``)."""
    return f"{page_iri(site, sequence.page)}#q{number}"


# --- assignable units -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One AU: the whole course, or one of its modules."""

    id: str  # the publisher's id (cmi5.xml), in the LMS's contextTemplate as a grouping activity
    title: str
    description: str
    launch: PurePosixPath  # its launch page, at the package's root
    start: Page  # the page its frame opens
    module: Module | None
    graded_points: int

    lms_completion: str  # course.yml: when an LMS counts the course done, "viewed" or "passed"

    @property
    def move_on(self) -> str:
        """When the LMS counts the AU done, as course.yml's lms_completion says for SCORM packages: once every
        sequence is viewed (completed), or once the pass mark is reached (passed), when the AU has graded
        quizzes to reach it with."""
        return "Passed" if self.lms_completion == "passed" and self.graded_points else "Completed"


def _graded_points(sequences: tuple[Sequence, ...]) -> int:
    return sum(s.quiz.points for s in sequences if s.quiz is not None and s.quiz.graded)


def course_unit(site: Site, course: Course) -> Unit:
    description = plain_text(course.summary_html) or course.audience or course.title
    return Unit(f"{page_iri(site, course.page)}#au", course.title, description, PurePosixPath("cmi5.html"),
                course.page, None, course.graded_points, course.lms_completion)


def module_unit(site: Site, course: Course, module: Module) -> Unit:
    description = "; ".join(module.objectives) or plain_text(module.discussion_html) or module.title
    return Unit(page_iri(site, module.page), module.title, description,
                PurePosixPath(f"cmi5-{module.id}.html"), module.page, module,
                _graded_points((*module.sequences, *module.withheld)), course.lms_completion)


def units(site: Site, course: Course, per: str) -> list[Unit]:
    if per not in AU_CHOICES:
        raise ExportError(say("unknown AU choice {value}; choose one of {choices}", value=repr(per),
                              choices=", ".join(AU_CHOICES)))
    if per == "course":
        return [course_unit(site, course)]
    return [module_unit(site, course, m) for m in course.modules]


def mastery_score(course: Course) -> str:
    """The pass mark on 0..1 with at most 4 decimals (cmi5's precision), rounded down: never above it."""
    return decimal_text(course.pass_mark, 4)


# --- cmi5.xml -------------------------------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str, language: str) -> None:
    element = ET.SubElement(parent, tag)
    ET.SubElement(element, "langstring", {"lang": language}).text = text


def course_structure(site: Site, course: Course, per: str) -> bytes:
    """The cmi5.xml of ``course``'s package: the course, then its AUs in order."""
    root = ET.Element("courseStructure", {"xmlns": NAMESPACE})
    head = ET.SubElement(root, "course", {"id": page_iri(site, course.page)})
    _text(head, "title", course.title, course.language)
    _text(head, "description", plain_text(course.summary_html) or course.title, course.language)
    for unit in units(site, course, per):
        attrs = {"id": unit.id, "moveOn": unit.move_on, "launchMethod": "AnyWindow"}
        if unit.graded_points:
            attrs["masteryScore"] = mastery_score(course)
        au = ET.SubElement(root, "au", attrs)
        _text(au, "title", unit.title, course.language)
        _text(au, "description", unit.description, course.language)
        ET.SubElement(au, "url").text = href(unit.launch.as_posix())
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")


# --- the launch pages -----------------------------------------------------------------------------------------


def au_config(renderer: Renderer, site: Site, course: Course, unit: Unit) -> dict[str, Any]:
    """What the AU's script needs: the progress store's key, the quizzes and sequences the AU reports on
    (the course's, or one module's), their graded total and the pass mark, and how to make activity ids."""
    config = renderer.course_config(course, renderer.theme.catalogue(course.language))
    if unit.module is not None:
        prefix = f"{unit.module.id}/"
        config["quizzes"] = {k: v for k, v in config["quizzes"].items() if k.startswith(prefix)}
        config["sequences"] = [k for k in config["sequences"] if k.startswith(prefix)]
        config["total"] = unit.graded_points
    start, end = _base(site)
    config.update({
        "au": unit.id,
        "title": unit.title,
        "lang": course.language,
        # A sequence's activity id is prefix + its key ("module/sequence") + suffix; a question's adds "#q<n>".
        "iri": {"prefix": f"{start}{course.page.path.as_posix()}/", "suffix": end},
    })
    return config


def launch_pages(renderer: Renderer, site: Site, course: Course) -> list[tuple[PurePosixPath, str]]:
    """Every launch page a package of ``course`` may point to: the course's and each module's (the export
    keeps those its --au asks for)."""
    pages = []
    for unit in [course_unit(site, course), *(module_unit(site, course, m) for m in course.modules)]:
        text = renderer.render_template(TEMPLATE, unit.launch, course.language, course=course, unit=unit,
                                        au_config=au_config(renderer, site, course, unit))
        pages.append((unit.launch, text))
    return pages


def _is_launch_page(name: str) -> bool:
    return "/" not in name and name.startswith("cmi5") and name.endswith(".html")


# --- the zip --------------------------------------------------------------------------------------------------


def write_package(site: Site, course: Course, per: str, files: MemoryOutput, zip_path: Path) -> int:
    """Write the cmi5 package of ``course`` into ``zip_path``; returns how many files it holds, cmi5.xml
    included. cmi5.xml comes first, then every file in path order, all with a fixed date; of the launch pages
    only those of the AUs asked for. Raises ExportError when a page is missing or a file name is unsafe."""
    chosen = units(site, course, per)
    launches = {u.launch.as_posix() for u in chosen}
    names = [n for n in files.names() if not _is_launch_page(n) or n in launches]
    safe_names(names)
    present = set(names)
    needed = [*launches, *(s.page.file.as_posix() for s in course.sequences)]
    missing = [path for path in sorted(needed) if path not in present]
    if missing:
        raise ExportError(f"the build of course {course.id} has no {missing[0]}")
    if STRUCTURE in present:
        raise ExportError(f"the build of course {course.id} already holds a file named {STRUCTURE}")
    pack(zip_path, (STRUCTURE, course_structure(site, course, per)), files, names)
    return len(names) + 1


class Cmi5(Export):
    name = "cmi5"
    help = "one course as a cmi5 package, for an LMS with an xAPI learning record store (LRS)"
    description = """Package one course for a cmi5 LMS, whose learning record store (LRS) keeps what
each learner does as xAPI statements.

The package holds the course alone with cmi5.xml at its root: one assignable
unit (AU) for the whole course, or one per module with --au module. Each AU
reports initialized and terminated for every visit, completed once every
sequence has been viewed, passed (as soon as the graded quiz points reach the
course's pass_mark) or failed (on leaving, once every graded quiz has been
tried, below it) with the score, and an "answered" statement for each question
answered. The AU's masteryScore is the pass mark, and its moveOn follows
lms_completion in course.yml: Completed (viewed, the default) or Passed."""
    options = (Option("au", "One assignable unit for the whole course (the default), or one per module.",
                      AU_CHOICES, "course"),)
    flavour = Flavour(bundles=False, cmi5=True)

    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        per = options.get("au", "course")
        return f"{course.id}-cmi5.zip" if per == "course" else f"{course.id}-cmi5-{per}s.zip"

    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        per = options.get("au", "course")
        count = write_package(site, course, per, files, target)
        aus = len(units(site, course, per))
        return Written(say("cmi5, {units}, {files}", units=says("{n} AU", "{n} AUs", aus), files=files_counted(count)),
                       count)


CMI5 = Cmi5()
