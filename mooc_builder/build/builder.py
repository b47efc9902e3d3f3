"""The pipeline: load and check a content tree, then make and write the site, reusing unchanged work.

One :class:`Builder` serves both `mooc build` and `mooc serve`. The two modes run the same steps with what
they have: a one-off build (:meth:`Builder.build`) takes what the previous build left in the output's cache
(the stat of every input: equal means nothing to do; the sequences already read; the manifest, file hashes
and bundle listings) and writes its own there; `mooc serve` (``in_place=True``) keeps all that in memory
between builds, is told which files changed, and shows the pages as soon as they are written, before the
bundles. Either way, sequences whose files did not change are not read again, pages and bundles whose inputs
did not change are not made again, a file whose bytes did not change is not written again, and nothing
shows in the site until the whole build has succeeded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder import processes
from mooc_builder.build.derive import derive
from mooc_builder.build.export import course_packages
from mooc_builder.build.handouts import (
    HandoutRun,
    course_handouts,
    handout_members,
    merge_extras,
    without_handouts,
)
from mooc_builder.build.options import BuildOptions, BuildResult, Progress
from mooc_builder.build.produce import ProduceWork, produce
from mooc_builder.build.records import (
    COURSES,
    SITE_SHARD,
    CourseRecord,
    Records,
    course_media,
    dump,
    read_shares,
    scope,
    split,
)
from mooc_builder.build.replay import INPUTS, Inputs, Previous, intact, record, settings_digest
from mooc_builder.build.steps import (
    CourseBundles,
    Extras,
    PartPlan,
    copy_assets,
    keep_course,
    kit_page,
    plan_bundles,
    plan_pages,
)
from mooc_builder.diagnostics import Pos, display_path
from mooc_builder.exports.handouts import engine_problem
from mooc_builder.lang.text import say
from mooc_builder.load.cache import CourseMemo, LoadCache
from mooc_builder.load.loading import check
from mooc_builder.media.making import Deriving
from mooc_builder.media.store import Store
from mooc_builder.model import Course, Site, sessions
from mooc_builder.render.keys import Digests, Interner
from mooc_builder.render.plan import Planner
from mooc_builder.render.renderer import Flavour, Renderer, RenderMemo
from mooc_builder.render.sheets import Sheets
from mooc_builder.render.theme import Theme, bytecode_folder, load_theme
from mooc_builder.shortcuts import Shortcut, enabled
from mooc_builder.write.bundles import BundleListings, MemberKeys
from mooc_builder.write.files import (
    CACHE,
    MEDIA_STORE,
    Manifest,
    check_output_location,
    previous_output,
    real_output,
)
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.output import SiteOutput, site_output
from mooc_builder.write.zip import date_time


@dataclass
class Memory:
    """What a build hands the next one: kept in memory by `mooc serve`, read from the output's cache by a
    one-off build (the manifest, the hashes and the listings; the plans only live in memory)."""

    manifest: Manifest | None = None
    hashes: FileHashes = field(default_factory=FileHashes)
    listings: BundleListings = field(default_factory=BundleListings)
    parts: dict[str, PartPlan] = field(default_factory=dict)
    bundle_plans: dict[str, CourseBundles] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)  # the site's pages, to tell whether any was added or removed

    @staticmethod
    def read(site: Path | None, records: Records) -> Memory:
        """What a one-off build starts from: the hashes of the site's files, and the bundles' lists that the
        courses' records hold."""
        if site is None:
            return Memory()
        listings = BundleListings()
        for course_record in records.courses.values():
            listings.old.update(course_record.listings)
        return Memory(None, FileHashes.load(site / CACHE / "hashes.json"), listings)

    def next(self) -> Memory:
        """What the next build starts from, once this one's hashes and listings are complete."""
        return Memory(self.manifest, FileHashes(self.hashes.fresh), BundleListings(dict(self.listings.new)),
                      self.parts, self.bundle_plans, self.pages)


@dataclass
class Made:
    """What a build hands the next: its memory, and the records of the courses it made."""

    memory: Memory
    records: dict[str, CourseRecord]


class Rescope(Exception):
    """The records of the last build do not match its site: build everything."""


class Builder:
    """Builds one content tree into one output folder, reusing what it can from the previous build."""

    def __init__(self, options: BuildOptions, progress: Progress | None = None) -> None:
        self.options = dataclasses.replace(options, output=real_output(options.output))
        self.progress = progress
        # Called, in place, as soon as the pages are in the site and before bundles are zipped: `mooc serve`
        # reloads the browser then, and the bundles follow.
        self.pages_ready: Callable[[BuildResult], None] | None = None
        # Files the build makes for modules' bundles (their PDF handouts, say), by course and module id: each
        # goes into its module's bundle and its course's, under its path, listed on their start pages.
        self.bundle_extras: Callable[[Site], Extras] | None = None
        self.load_cache: LoadCache | None = None
        self.digests = Digests()
        self.interner = Interner()
        self.render_memo = RenderMemo()
        self.memory: Memory | None = None  # in place: what the last build left (see Memory)
        self.theme: Theme | None = None

    def theme_changed(self) -> None:
        """Forget the compiled theme: the next build reads it again."""
        self.theme = None

    def build(self, in_place: bool = False, changed: Collection[Path] | None = None) -> BuildResult:
        """Build once. Raises WriteError for an unsafe output and ThemeError for a broken theme.

        ``in_place`` (`mooc serve`): keep what the build knows in memory for the next one; ``changed``: the
        files a watcher saw change since this builder's last build, so that files it did not name need not
        be looked at (None: look at everything).
        """
        started = time.perf_counter()
        check_output_location(self.options.output, self.options.content)
        with _rare_collections():
            result = self._serve(changed) if in_place else self._once()
        result.seconds = time.perf_counter() - started
        return result

    # --- the two modes --------------------------------------------------------------------------------

    def _once(self) -> BuildResult:
        """`mooc build`: replay the last build when nothing changed; else build with what it left, and when an
        edit touched some courses only, those alone (the others are kept as they are, unread)."""
        options = self.options
        previous = previous_output(options.output)
        inputs: list[Inputs] = []
        changed: set[Path] | None = None
        records, dirty = Records(), None
        if previous is not None:
            inputs.append(self._inputs())
            earlier = Previous.read(previous)
            if earlier is not None and earlier.inputs == inputs[0] and intact(previous):
                result = BuildResult(earlier.report, None, earlier.pages, files=earlier.files,
                                     bundles=earlier.bundles)
                result.unchanged = True
                return result
            if earlier is not None and self.load_cache is None:
                # What changed since the last build, as `mooc serve`'s watcher would say: the load then looks
                # at those files alone, and takes every module none of whose files changed as it was.
                changed = inputs[0].changed_since(earlier.inputs)
                records = Records.read(previous)
                dirty = scope(changed, inputs[0], earlier.inputs, records, earlier.courses, options.content)
        return self._scoped(previous, records, changed, dirty, inputs)

    def _scoped(self, previous: Path | None, records: Records, changed: set[Path] | None, dirty: set[str] | None,
                inputs: list[Inputs]) -> BuildResult:
        """A one-off build of the courses ``dirty`` names (None: all of them), the others kept as their
        ``records`` say; ``changed``: the files that changed since the last build (None: look at all)."""
        options = self.options
        if self.load_cache is None:
            self.load_cache = read_shares(previous, sorted(dirty) if dirty is not None else None) \
                if previous is not None else LoadCache()
        kept = {cid: r for cid, r in records.courses.items() if dirty is not None and cid not in dirty}

        def meanwhile() -> None:  # while other processes read the sequences
            if not inputs:  # taken before any file is read: a save during the build changes them
                with contextlib.suppress(Exception):  # a theme that does not load is reported after the check
                    inputs.append(self._inputs())
            self._compile_theme()

        made: dict[str, CourseMemo] = {}
        memory = Memory.read(previous, records)
        result, site = self._load(processes.workers(options.jobs), changed, meanwhile, memory.hashes,
                                  {cid: r.load for cid, r in kept.items()}, made)
        if site is None:
            return result
        result.scope = sorted(dirty) if dirty is not None else None
        taken = inputs[0] if inputs else self._inputs()
        try:
            with site_output(options.output, within=set(dirty) if dirty is not None else None) as tree:
                fresh = self._make(site, tree, memory, result, kept=kept, made=made).records
                self._write_caches(tree, site, fresh, dirty, taken, result)
        except Rescope:  # the records did not match the site: build it all, with the load cache of every course
            assert dirty is not None  # nothing is kept otherwise
            self.load_cache = None
            return self._scoped(previous, records, None, None, [self._inputs()])
        return self._done(result, tree, site)

    def _write_caches(self, tree: SiteOutput, site: Site, fresh: dict[str, CourseRecord], dirty: set[str] | None,
                      inputs: Inputs, result: BuildResult) -> None:
        """The load cache's shares and the records of the courses this build made (all of them, or those it
        was scoped to), and what the next build needs to replay this one."""
        assert self.load_cache is not None
        if dirty is None:
            tree.only_caches_written(COURSES)  # courses the site no longer has
        for name, share in split(self.load_cache, self.options.content).items():
            # A scoped build found no file added, removed or renamed and site.yml as it was: the site's share
            # (the tree as discovered) is the one it read.
            if dirty is None or (name != "" and name in dirty):
                tree.write_cache(f"{COURSES}/{name}.load" if name else SITE_SHARD, dump(share))
        for course_id, course_record in fresh.items():
            tree.write_cache(f"{COURSES}/{course_id}.record", dump(course_record))
        if result.handouts_missing is not None:
            # Handouts left out because WeasyPrint could not be loaded: the next build must not replay this one
            # (nothing in the content will have changed once Pango is installed), so its settings never match.
            inputs = Inputs(f"{inputs.settings} handouts missing", inputs.files)
        tree.write_cache(INPUTS, record(inputs, result.report, result.pages, result.files, result.bundles,
                                        [c.id for c in site.courses]))
        theme = self._theme()
        if theme.bytecode is not None:
            folder = theme.bytecode.relative_to(tree.root / CACHE).as_posix()
            for key, data in theme.compiled.items():
                tree.write_cache(f"{folder}/{key}.cache", data)

    def _serve(self, changed: Collection[Path] | None) -> BuildResult:
        """`mooc serve`: build in place with what the last build left in memory."""
        if self.load_cache is None:
            self.load_cache = LoadCache()
        # Its server runs threads: the build stays in this process (fork is unsafe, and an edit is small).
        memory = self.memory or Memory()
        result, site = self._load(1, changed, self._compile_theme, memory.hashes)
        if site is None:
            return result
        self.memory = None  # kept again once this build succeeds
        with site_output(self.options.output, memory.manifest, verify=False) as tree:
            self.memory = self._make(site, tree, memory, result, pages_ready=self.pages_ready).memory
        self.memory.manifest = tree.new
        return self._done(result, tree, site)

    # --- the steps ----------------------------------------------------------------------------------

    def _inputs(self) -> Inputs:
        options = self.options
        theme = self._theme()
        return Inputs.take(options.content, settings_digest(options.as_of, options.strict, theme.fingerprint,
                                                                 options.files_date))

    def _load(self, workers: int, changed: Collection[Path] | None, meanwhile: Callable[[], None],
              hashes: FileHashes, kept: Mapping[str, CourseMemo] | None = None,
              made: dict[str, CourseMemo] | None = None) -> tuple[BuildResult, Site | None]:
        """Load and check; the site as published on the build date with the files made from its media, or
        None (the result says why)."""
        started = time.perf_counter()
        assert self.load_cache is not None
        self.load_cache.hits = self.load_cache.misses = 0
        site, report = check(self.options.content, self.load_cache, workers, changed, meanwhile=meanwhile,
                             parallel_from=self.options.parallel_from, kept=kept, made=made,
                             languages=self._theme().catalogues)
        result = BuildResult(report)
        result.stages["load and check"] = time.perf_counter() - started
        if site is None or report.errors or (self.options.strict and report.warnings):
            return result, None
        published = sessions.publish(site, self.options.as_of)
        asking = [c for c in published.courses if c.handouts]
        problem = engine_problem() if asking else None
        if problem is not None:
            # Built as if no course asked for handouts: no page or bundle links a PDF that is not there.
            published = without_handouts(published)
            result.report.warn(Pos(display_path(asking[0].source)),
                               say("the printable handouts (handouts: true) of {courses} were not made: {problem}",
                                   courses=", ".join(c.id for c in asking), problem=problem),
                               say("the rest of the site is built; the next build tries again"))
            result.handouts_missing = problem
        started = time.perf_counter()
        deriving = Deriving(Store(self.options.output.absolute() / MEDIA_STORE), hashes.digest, result.report,
                            processes.workers(self.options.jobs), self.progress)
        published = derive(published, deriving)
        result.stages["media"] = time.perf_counter() - started
        if result.report.errors:
            return result, None
        result.site = self.interner.site(published)
        return result, result.site

    def _make(self, site: Site, tree: SiteOutput, memory: Memory, result: BuildResult,
              meanwhile: Callable[[], None] | None = None, pages_ready: Callable[[BuildResult], None] | None = None,
              kept: Mapping[str, CourseRecord] | None = None, made: Mapping[str, CourseMemo] | None = None
              ) -> Made:
        """Plan, render, zip, package and copy everything the site holds into ``tree``, the ``kept`` courses
        as the last build made them; returns what the next build may start from, and the record of each
        course ``made`` lists."""
        options, theme, digests = self.options, self._theme(), self.digests
        kept = kept or {}
        renderer = Renderer(site, theme, options.as_of, Flavour(), memo=self.render_memo)
        sheets = Sheets(renderer)
        planner = Planner(site, theme.fingerprint, options.as_of, digests)
        started = time.perf_counter()
        for course_record in kept.values():
            if not keep_course(course_record, tree, memory.listings):
                raise Rescope
            result.pages += course_record.pages
            result.bundles += course_record.bundles
        pages = plan_pages(planner, tree, memory.parts, kept)
        names = [tree.claim(job.path) for job in pages.pending]
        claimed = set(tree.claimed)
        run, printed = HandoutRun(), time.perf_counter()
        handouts = {course.id: course_handouts(site, course, renderer, tree, memory.hashes, digests, run)
                    for course in site.courses if course.handouts and course.id not in kept}
        printing = time.perf_counter() - printed
        extras = handout_members(site, handouts, renderer.theme)
        if self.bundle_extras is not None:
            extras = merge_extras(extras, self.bundle_extras(site))
        bundles = plan_bundles(planner, sheets, tree, memory.hashes, memory.listings, memory.bundle_plans, kept,
                               date_time(options.files_date), extras)
        result.stages["plan"] = time.perf_counter() - started - printing
        started = time.perf_counter()
        work = ProduceWork(renderer, sheets, pages.pending, names, tree.stage, tree.old,
                           tree.present if tree.verify else None, bundles.todo,
                           MemberKeys(digests, memory.hashes, theme.fingerprint, digests.site_header(site)))
        count = len(pages.pending)
        result.pages, result.rendered = result.pages + pages.count, count
        spread = processes.workers(options.jobs) if count >= options.parallel_from and pages_ready is None else 1

        def ready() -> None:
            if pages_ready is not None and claimed == memory.pages:
                # Same pages as before (no file created, renamed or deleted): nothing stale to remove first.
                tree.apply()
                result.written = list(tree.written)
                pages_ready(result)

        produced = produce(work, tree, spread, lambda done, total: self._tell("pages", done, total), meanwhile,
                           ready)
        result.processes = produced.processes
        result.stages["pages and bundles"] = time.perf_counter() - started
        for job, one in zip(bundles.todo, produced.bundles, strict=True):
            memory.listings.remember(job.bundle, one.files)
            bundles.built[job.course][job.index] = one
        result.bundles_written = len(bundles.todo)
        started = time.perf_counter()
        others: dict[str, list[str]] = {}  # each course's site files besides its pages
        for course, course_bundles, keys in zip(site.courses, bundles.built, bundles.keys, strict=True):
            if course.id in kept:
                continue
            packages = (course_packages(site, course, theme, options.as_of, tree, memory.hashes, digests)
                        if course.scorm else [])
            printed_here = handouts.get(course.id, [])
            built = [b for b in course_bundles if b is not None]
            kit_page(course, built, keys, packages, [(h.module, h.role, h.path, h.size) for h in printed_here],
                     renderer, pages.parts[course.id][0], tree, digests)
            result.pages += 1
            result.bundles += len(course_bundles)
            others[course.id] = [course.kit_page.file.as_posix(), *(b.output.as_posix() for b in
                                 bundles.plans[course.id][2]), *(path.as_posix() for _v, path, _s in packages),
                                 *(h.path.as_posix() for h in printed_here)]
        result.stages["packages and kit pages"] = time.perf_counter() - started
        result.stages["handouts"] = printing
        result.handouts_made = run.made
        started = time.perf_counter()
        result.files = copy_assets(site, theme, tree, memory.hashes.digest, kept.values())
        result.stages["theme files and media"] = time.perf_counter() - started
        tree.write_cache("hashes.json", memory.hashes.dump().encode("utf-8"))
        next_memory = memory.next()
        parts = dict(pages.parts)
        for course_record in kept.values():
            parts.update(course_record.parts)
        next_memory.parts, next_memory.bundle_plans, next_memory.pages = parts, bundles.plans, claimed
        records = {}
        for course in site.courses:
            if made is not None and course.id in made and course.id in others:
                records[course.id] = self._record(course, made[course.id], pages.parts, others[course.id], tree,
                                                  memory.listings)
        return Made(next_memory, records)

    @staticmethod
    def _record(course: Course, load: CourseMemo, parts: Mapping[str, PartPlan], others: list[str], tree: SiteOutput,
                listings: BundleListings) -> CourseRecord:
        prefix = f"part:{course.id}/"
        own = {name: part for name, part in parts.items() if name == course.id or name.startswith(prefix)}
        media, captions = course_media(course)
        files = [(name, tree.new.files[name][1]) for name in others]
        return CourseRecord(load, own, files, {name: listings.new[name] for name in others if name in listings.new},
                            media, captions, pages=len(own[course.id][1]) + 1,
                            bundles=sum(1 for name in others if name in listings.new))

    def _done(self, result: BuildResult, tree: SiteOutput, site: Site) -> BuildResult:
        result.written = tree.written
        result.removed = tree.removed
        self.digests.forget_except(_alive(site))
        return result

    def _theme(self) -> Theme:
        if self.theme is None:
            # Compiled templates are kept in the output's cache (made by the first build, for the next one).
            keep = enabled(Shortcut.KEPT_TEMPLATES)
            bytecode = bytecode_folder(self.options.output.absolute() / CACHE) if keep else None
            self.theme = load_theme(self.options.theme, bytecode)
        return self.theme

    def _compile_theme(self) -> None:
        """Done while other processes read the sequences: the theme compiled here once is inherited by the
        processes that render the pages (under fork), where each compiled it before."""
        try:
            self._theme().compile_all()
        except Exception:  # the theme is loaded again after the check, and its problem reported as it always was
            self.theme = None

    def _tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


def _alive(site: Site) -> Iterator[object]:
    """The model values whose digests are worth keeping for the next build."""
    yield site
    for course in site.courses:
        yield course
        for module in course.modules:
            yield module
            yield from module.sequences


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site once; on any error the previous output is left untouched."""
    return Builder(options, progress).build()


@contextlib.contextmanager
def _rare_collections() -> Iterator[None]:
    """A build makes millions of small objects (Markdown tokens) and keeps most of what it makes to the end.
    At its default pace (every 700 allocations), the cycle collector scans that growing heap again and again
    for the few cycles there are: 5 % of a one-edit build of 2,000 sequences (docs/PERFORMANCE.md). Its pace
    is restored afterwards."""
    if not enabled(Shortcut.RARE_COLLECTIONS):
        yield
        return
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
