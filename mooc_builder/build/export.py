"""Exports, run the same way by `mooc export NAME` and by the site's build: the course built alone in the
export's flavour, into memory, then the export's writer packs it into a file."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mooc_builder import processes
from mooc_builder.build.checking import check
from mooc_builder.build.derive import derive
from mooc_builder.build.locate import default_output
from mooc_builder.build.steps import Packages, copy_assets, media_of
from mooc_builder.diagnostics import Pos, Report, display_path
from mooc_builder.exports import EXPORTS, Export, ExportError, Written
from mooc_builder.exports.cc_pages import cartridge_pages
from mooc_builder.exports.cmi5 import launch_pages
from mooc_builder.exports.handouts import handout_source
from mooc_builder.exports.scorm import SCORM, VERSIONS
from mooc_builder.lang.text import Text, say
from mooc_builder.load.cache import LoadCache
from mooc_builder.media.making import Deriving
from mooc_builder.media.store import Store
from mooc_builder.model import HANDOUT_ROLES, Course, Site, sessions
from mooc_builder.render.handouts import handout_html, has_handouts
from mooc_builder.render.keys import Digests
from mooc_builder.render.plan import PageJob, Planner
from mooc_builder.render.renderer import Flavour, Renderer
from mooc_builder.render.theme import Theme, load_theme
from mooc_builder.write.files import CACHE, MEDIA_STORE, previous_output, real_output
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.output import MemoryOutput, Output


def rendered(site: Site, theme: Theme, as_of: dt.date, flavour: Flavour
             ) -> tuple[Renderer, MemoryOutput, list[PageJob]]:
    """Every page of ``site`` rendered in ``flavour`` into memory, with the jobs that made them."""
    renderer = Renderer(site, theme, as_of, flavour)
    files = MemoryOutput()
    jobs = list(Planner(site, theme.fingerprint, as_of, Digests()).all_jobs())
    for job in jobs:
        files.write_text(job.path, renderer.render(job))
    return renderer, files, jobs


def course_alone(site: Site, course: Course, theme: Theme, as_of: dt.date, flavour: Flavour
                 ) -> tuple[Site, MemoryOutput]:
    """The site of ``course`` alone (its catalogue lists only it, every link stays inside) and its files,
    rendered in ``flavour``: what an export packs."""
    alone = dataclasses.replace(site, courses=(course,))
    renderer, files, jobs = rendered(alone, theme, as_of, flavour)
    if flavour.cartridge:
        for path, text in cartridge_pages(renderer, alone, course, jobs):
            files.write_text(path, text)
    if flavour.handouts:
        for module in course.modules:
            if has_handouts(module):
                for role in HANDOUT_ROLES:
                    files.write_text(handout_source(module, role), handout_html(renderer, course, module, role))
    if flavour.scorm:
        files.write_text("launch.html", renderer.scorm_launch(course))
    if flavour.cmi5:
        for launch, page in launch_pages(renderer, alone, course):
            files.write_text(launch, page)
    copy_assets(alone, theme, files, lambda _source: "")
    return alone, files


def catalogue_alone(site: Site, theme: Theme, as_of: dt.date, flavour: Flavour) -> MemoryOutput:
    """Every course of the site and its catalogue, rendered in ``flavour``: what a catalogue package packs
    (Export.catalogue)."""
    _renderer, files, _jobs = rendered(site, theme, as_of, flavour)
    copy_assets(site, theme, files, lambda _source: "")
    return files


def course_packages(site: Site, course: Course, theme: Theme, as_of: dt.date, tree: Output, hashes: FileHashes,
                    digests: Digests) -> Packages:
    """A course's SCORM packages (1.2 and 2004) for its kit page, made again only when what they hold changed:
    the course, its media, and the site's header (the package's catalogue page shows it)."""
    media = [hashes.digest(m.source) for s in course.sequences for m in media_of(s)]
    key = digests.combine([theme.fingerprint, as_of.isoformat(), digests.site_header(site),
                           digests.course_whole(course), *media])
    targets = {v: course.page.path / "downloads" / SCORM.file_name(course, {"version": v}) for v in VERSIONS}
    sizes: dict[str, int] = {}
    if all(tree.unchanged(path, key) for path in targets.values()):
        for path in targets.values():
            tree.keep(path)
        sizes = {v: tree.previous_size(path) for v, path in targets.items()}
    else:
        alone, files = course_alone(site, course, theme, as_of, SCORM.flavour)
        for version, path in targets.items():
            target = tree.reserve(path, key)
            SCORM.write(alone, course, files, {"version": version}, target)
            sizes[version] = target.stat().st_size
    return [(version, path, sizes[version]) for version, path in targets.items()]


@dataclass
class ExportResult:
    report: Report
    path: Path | None = None
    written: Written | None = None
    size: int = 0

    @property
    def ok(self) -> bool:
        return self.written is not None and not self.report.errors


def unknown_course(content: Path, course_id: str, known: list[str]) -> tuple[Text, Text]:
    """The message and hint for a course id that the site does not publish."""
    message = say("no course '{course}' in this site (its folder is there, but it is not listed in courses: of "
                  "site.yml)", course=course_id) if (content / "courses" / course_id).is_dir() else \
        say("no course '{course}' in this site", course=course_id)
    close = difflib.get_close_matches(course_id, known, n=1, cutoff=0.6)
    courses = say("courses of this site: {courses}", courses=", ".join(known)) if known else \
        say("this site has no course")
    hint = say("did you mean '{course}'? {courses}", course=close[0], courses=courses) if close else courses
    return message, hint


def run_export(name: str, content: Path, course_id: str | None, options: Mapping[str, str], output: Path | None,
               as_of: dt.date, theme_folder: Path | None = None, catalogue: bool = False) -> ExportResult:
    """Check ``content``, build one course alone in the export's flavour and write its package; with
    ``catalogue``, the package of the whole catalogue, every course in it (an export that offers one).

    Content errors and an unknown course come back in the result's report (nothing is written); the file is
    written beside ``output`` (default: the export's own name for it, in the working folder) and moved into
    place at the end, so a failed export leaves no half-file; an export that writes into a folder is given the
    folder (see Export.writes_folder). Raises ExportError, render.ThemeError and OSError.
    """
    export: Export = EXPORTS[name]
    site, report = check(content, LoadCache(), theme=theme_folder)
    if site is None or report.errors:
        return ExportResult(report)
    # The files made from media (a photo's smaller copies, a video's light variant...), made here as a build
    # makes them: taken from the store of the site `mooc build` makes (its default folder) when there is one,
    # so that an export after a build encodes nothing again; else they live as long as the export.
    built = previous_output(default_output(content, Path.cwd()))
    with contextlib.ExitStack() as stack:
        if built is not None:
            store, hashes = built / MEDIA_STORE, FileHashes.load(built / CACHE / "hashes.json")
        else:
            store = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mooc-export-media-")))
            hashes = FileHashes()
        deriving = Deriving(Store(store), hashes.digest, report, processes.workers(None))
        published = _derived(sessions.publish(site, as_of), None if catalogue else course_id, deriving)
        if report.errors:
            return ExportResult(report)
        return _export(export, published, report, content, course_id, options, output, as_of, theme_folder,
                       catalogue)


def _derived(site: Site, course_id: str | None, deriving: Deriving) -> Site:
    """The site with the files made from the media of course ``course_id`` (None: of every course) in it."""
    if course_id is None:
        return derive(site, deriving)
    alone = derive(dataclasses.replace(site, courses=tuple(c for c in site.courses if c.id == course_id)), deriving)
    made = {c.id: c for c in alone.courses}
    return dataclasses.replace(alone, courses=tuple(made.get(c.id, c) for c in site.courses))


def _export(export: Export, site: Site, report: Report, content: Path, course_id: str | None,
            options: Mapping[str, str], output: Path | None, as_of: dt.date, theme_folder: Path | None,
            catalogue: bool) -> ExportResult:
    """run_export's work once the site is checked, published and its media made."""
    if catalogue:
        whole = site
        out = _target(content, output, export.catalogue_file_name(whole, options, as_of))
        files = catalogue_alone(whole, load_theme(theme_folder), as_of, export.flavour)
        return _write_file(report, out, lambda staging: export.write_catalogue(whole, files, options, staging, as_of))
    known = [c.id for c in site.courses]
    if course_id is None:
        if len(known) != 1:
            report.error(Pos(display_path(content)), say("this site has several courses: say which to export"),
                         say("add --course ID; courses of this site: {courses}", courses=", ".join(known)))
            return ExportResult(report)
        course_id = known[0]
    if course_id not in known:
        message, hint = unknown_course(content, course_id, known)
        report.error(Pos(display_path(content)), message, hint)
        return ExportResult(report)
    course = next(c for c in site.courses if c.id == course_id)
    out = _target(content, output, export.dated_file_name(course, options, as_of), export.writes_folder)
    alone, files = course_alone(site, course, load_theme(theme_folder), as_of, export.flavour)
    if export.writes_folder:
        written = export.write_dated(alone, course, files, options, out, as_of)
        return ExportResult(report, out, written, sum(p.stat().st_size for p in out.rglob("*") if p.is_file()))
    return _write_file(report, out, lambda staging: export.write_dated(alone, course, files, options, staging, as_of))


def _target(content: Path, output: Path | None, default: str, folder: bool = False) -> Path:
    """Where the package goes: ``output``, else ``default`` in the working folder; never inside the content,
    and, for a file, not a folder and in one that exists (said before anything is built)."""
    out = real_output(output if output is not None else Path(default)).absolute()
    if out.resolve().is_relative_to(content.absolute().resolve()):
        raise ExportError(say("{path} is inside the content folder; write the package outside it",
                              path=display_path(out)))
    if not folder and out.is_dir():
        raise ExportError(say("{path} is a folder; give the name of the file to write", path=display_path(out)))
    if not folder and not out.parent.is_dir():
        raise ExportError(say("the folder {path} does not exist", path=display_path(out.parent)))
    return out


def _write_file(report: Report, out: Path, write: Callable[[Path], Written]) -> ExportResult:
    """``write`` the package into a file beside ``out``, then move it into place: a failure leaves no half-file."""
    suffix = hashlib.sha256(str(out).encode("utf-8")).hexdigest()[:8]
    staging = out.with_name(f".{out.name}.{suffix}.tmp")
    try:
        written = write(staging)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
    return ExportResult(report, out, written, out.stat().st_size)
