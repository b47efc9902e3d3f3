"""The steps of a build after the load, each from named data to named data: plan the pages, plan the bundles,
make the course packages, render the kit pages, copy the theme's files and the media.

Each step writes through an :class:`~mooc_builder.write.output.Output` and keeps what the previous build made
from the same inputs (equal keys): a step neither knows nor asks which mode the build runs in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mooc_builder.build.produce import BundleJob
from mooc_builder.build.records import CourseRecord
from mooc_builder.model import Course, MediaFile, Sequence, Site
from mooc_builder.render import bundles as bundle_plans
from mooc_builder.render.bundles import BuiltBundle, Bundle, Member
from mooc_builder.render.keys import Digests
from mooc_builder.render.plan import PageJob, Planner
from mooc_builder.render.renderer import Renderer
from mooc_builder.render.sheets import Sheets
from mooc_builder.render.theme import Theme
from mooc_builder.write.bundles import BundleListings, bundle_key, captions_script
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.output import Output
from mooc_builder.write.weight import lean_asset
from mooc_builder.write.zip import FIXED_TIME, Stamp

# What a part of the site was last made of: its key, and each of its files with its key.
PartPlan = tuple[str, list[tuple[str, str]]]


@dataclass
class PagePlan:
    """The pages of a build: those to render, how many there are, and each part's plan (kept for the next)."""

    pending: list[PageJob] = field(default_factory=list)
    count: int = 0
    parts: dict[str, PartPlan] = field(default_factory=dict)  # by course id, and by "part:<course>/<module>"


def plan_pages(planner: Planner, tree: Output, known: dict[str, PartPlan], kept: Collection[str] = ()) -> PagePlan:
    """Every page of the site: kept when the previous build made it from the same inputs, else pending. A
    course whose key did not change is kept whole without working out each page's key again; else module by
    module (an edit costs its module). The courses ``kept`` are left to :func:`keep_course`."""
    plan = PagePlan()

    def sort(jobs: Iterable[PageJob]) -> list[tuple[str, str]]:
        made = []
        for job in jobs:
            if tree.unchanged(job.path, job.key):
                tree.keep(job.path)
            else:
                plan.pending.append(job)
            made.append((job.path.as_posix(), job.key))
        return made

    plan.count += len(sort(planner.site_jobs()))
    for course in planner.site.courses:
        if course.id in kept:
            continue
        key = planner.course_key(course)
        last = known.get(course.id)
        if last is not None and last[0] == key and tree.keep_unchanged(last[1]):
            plan.parts[course.id] = last
            plan.count += len(last[1])
            continue
        whole: list[tuple[str, str]] = []
        for part in planner.course_parts(course):
            last = known.get(f"part:{part.name}")
            if last is None or last[0] != part.key or not tree.keep_unchanged(last[1]):
                last = (part.key, sort(part.jobs()))
            plan.parts[f"part:{part.name}"] = last
            whole += last[1]
        plan.parts[course.id] = (key, whole)
        plan.count += len(whole)
    return plan


@dataclass
class BundlePlan:
    """Each course's bundles: those kept from the previous build (the others None until made), those to
    make, and each bundle's key; ``plans`` is kept for the next build."""

    built: list[list[BuiltBundle | None]] = field(default_factory=list)
    todo: list[BundleJob] = field(default_factory=list)
    keys: list[list[str]] = field(default_factory=list)
    plans: dict[str, CourseBundles] = field(default_factory=dict)


# A course's bundles as planned, and what they were planned with (the names of their files in the course's
# language, and the planner's base: its theme, code, date and site header, which its projector views show).
CourseBundles = tuple[Course, tuple[dict[str, str], str], list[Bundle]]
# Files the build made for a module's bundles (its PDF handouts, say), by course and module id: see
# render.bundles.plan.
Extras = Mapping[str, Mapping[str, tuple[Member, ...]]]


def plan_bundles(planner: Planner, sheets: Sheets, tree: Output, hashes: FileHashes, listings: BundleListings,
                 known: dict[str, CourseBundles], kept: Collection[str] = (), stamp: Stamp = FIXED_TIME,
                 extras: Extras | None = None) -> BundlePlan:
    """The interner hands back the same course object while it is unchanged: an edit plans its own course's
    bundles again, not the catalogue's. ``stamp``: the date of the bundles' files."""
    plan = BundlePlan()
    site, digests, fingerprint = planner.site, planner.digests, planner.fingerprint
    site_header = digests.site_header(site)
    assets = sheets.renderer.theme.assets_of(bundle_plans.KIT_TEMPLATES)
    for number, course in enumerate(site.courses):
        if course.id in kept:
            plan.built.append([])
            plan.keys.append([])
            continue
        plan.built.append([])
        plan.keys.append([])
        roles = sheets.roles(course)
        last = known.get(course.id)
        made_with = (roles, planner.base)
        added = (extras or {}).get(course.id)
        if last is None or last[0] is not course or last[1] != made_with or added:
            files = tuple(Member(path, f"{PurePosixPath(path).name} ({roles['asset']})", None, source)
                          for path, source in assets)
            last = (course, made_with, bundle_plans.plan(course, roles, projector_views(planner, course), files,
                                                         added))
        plan.plans[course.id] = last
        for bundle in last[2]:
            key = bundle_key(bundle, hashes, digests, fingerprint, site_header, stamp)
            reused = None
            if tree.unchanged(bundle.output, key):
                reused = listings.reuse(bundle, tree.previous_size(bundle.output))
            if reused is not None:
                tree.keep(bundle.output)
            else:
                previous = tree.previous_file(bundle.output)
                plan.todo.append(BundleJob(number, len(plan.built[-1]), bundle, tree.reserve(bundle.output, key),
                                           previous, listings.previous(bundle) if previous else (), stamp))
            plan.built[-1].append(reused)
            plan.keys[-1].append(key)
    return plan


def projector_views(planner: Planner, course: Course) -> dict[str, PageJob]:
    """The jobs of a course's projector views (its modules' and its sequences'), by site path, as the planner
    makes them for the site: a bundle renders the same pages."""
    wanted = {m.present_page.file for m in course.modules} | {s.present_page.file for s in course.sequences}
    return {job.path.as_posix(): job for part in planner.course_parts(course) if part.name != course.id
            for job in part.jobs() if job.path in wanted}


Packages = list[tuple[str, PurePosixPath, int]]
# A course's printable handouts as made: (module id, role, site path, size).
Handouts = list[tuple[str, str, PurePosixPath, int]]


def kit_page(course: Course, made: list[BuiltBundle], keys: list[str], packages: Packages, handouts: Handouts,
             renderer: Renderer, course_key: str, tree: Output, digests: Digests) -> None:
    """The kit page shows the course (its key as planned), its bundles, which their keys stand for (with
    their sizes, as zipped), its packages and its handouts: an edit renders its course's kit page again, not
    the catalogue's."""
    by_module: dict[str, list[tuple[str, PurePosixPath, int]]] = {}
    for module, role, path, size in handouts:
        by_module.setdefault(module, []).append((role, path, size))
    key = digests.combine([course_key, "kit", repr(renderer.flavour.scorm), *keys, repr([b.size for b in made]),
                           repr(packages), repr(handouts)])
    if tree.unchanged(course.kit_page.file, key):
        tree.keep(course.kit_page.file)
    else:
        tree.write_text(course.kit_page.file, renderer.kit_page(course, made, packages, by_module), key)


def copy_assets(site: Site, theme: Theme, tree: Output, digest: Callable[[Path], str],
                kept: Iterable[CourseRecord] = ()) -> int:
    """The theme's static files (its scripts and style sheets without their comments: write/weight.py's
    lean_asset), the media the site shows, and each WebVTT file (captions, chapters, descriptions) as a script
    (browsers refuse a <track> file over file://, but not a script: the theme's captions.js and descriptions.js
    read it); with those the ``kept`` courses show. Returns the files."""
    count = 0
    for site_path, source in theme.static_files():
        if site_path.endswith((".js", ".css")):
            tree.write_bytes(site_path, lean_asset(site_path, source.read_bytes()))
        else:
            tree.copy(site_path, source, digest(source))
        count += 1
    media = {m.output: m for m in site.all_media()}
    captions = {c.output: c for c in site.captions()}
    for record in kept:
        media.update((m.output, m) for m in record.media)
        captions.update((c.output, c) for c in record.captions)
    for output in sorted(media):
        tree.copy(output, media[output].source, digest(media[output].source))
        count += 1
    for output in sorted(captions):
        tree.write_text(f"{output}.js", captions_script(captions[output]))
    return count


def keep_course(record: CourseRecord, tree: Output, listings: BundleListings) -> bool:
    """Keep every site file a course made, as the last build made it (none of its inputs changed); False when
    the previous build's files do not match the record (the build must then look at everything)."""
    pages = record.parts.get(record.load.header.id)
    if pages is None or not tree.keep_unchanged(pages[1] + record.files):
        return False
    # A file made from media lives in the output's cache (media/store.py), which its owner may have deleted: the
    # course is then made again, and its files with it.
    if not all(m.source.is_file() for m in record.media):
        return False
    for path, files in record.listings.items():
        listings.remember_path(path, files)
    return True


def media_of(sequence: Sequence) -> list[MediaFile]:
    """Every file a sequence shows."""
    found: list[MediaFile] = []
    for video in sequence.videos:
        found += video.files
    found += [r.file for r in sequence.resources]
    found += sequence.pictures
    return found
