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
import gc
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder import processes
from mooc_builder.build.export import course_packages
from mooc_builder.build.options import BuildOptions, BuildResult, Progress
from mooc_builder.build.produce import ProduceWork, produce
from mooc_builder.build.replay import (
    INPUTS,
    LOAD_CACHE,
    Inputs,
    Previous,
    dump_load_cache,
    intact,
    read_load_cache,
    record,
    settings_digest,
)
from mooc_builder.build.steps import PartPlan, copy_assets, kit_page, plan_bundles, plan_pages
from mooc_builder.load.cache import LoadCache
from mooc_builder.load.loading import check
from mooc_builder.model import Course, Site, sessions
from mooc_builder.render.bundles import Bundle
from mooc_builder.render.keys import Digests, Interner
from mooc_builder.render.plan import Planner
from mooc_builder.render.renderer import Flavour, Renderer, RenderMemo
from mooc_builder.render.sheets import Sheets
from mooc_builder.render.theme import Theme, load_theme
from mooc_builder.write.bundles import BundleListings
from mooc_builder.write.files import CACHE, Manifest, check_output_location, previous_output
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.output import SiteOutput, site_output


@dataclass
class Memory:
    """What a build hands the next one: kept in memory by `mooc serve`, read from the output's cache by a
    one-off build (the manifest, the hashes and the listings; the plans only live in memory)."""

    manifest: Manifest | None = None
    hashes: FileHashes = field(default_factory=FileHashes)
    listings: BundleListings = field(default_factory=BundleListings)
    parts: dict[str, PartPlan] = field(default_factory=dict)
    bundle_plans: dict[str, tuple[Course, dict[str, str], list[Bundle]]] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)  # the site's pages, to tell whether any was added or removed

    @staticmethod
    def read(site: Path | None) -> Memory:
        if site is None:
            return Memory()
        return Memory(None, FileHashes.load(site / CACHE / "hashes.json"),
                      BundleListings.load(site / CACHE / "bundles.json"))

    def next(self) -> Memory:
        """What the next build starts from, once this one's hashes and listings are complete."""
        return Memory(self.manifest, FileHashes(self.hashes.fresh), BundleListings(dict(self.listings.new)),
                      self.parts, self.bundle_plans, self.pages)


class Builder:
    """Builds one content tree into one output folder, reusing what it can from the previous build."""

    def __init__(self, options: BuildOptions, progress: Progress | None = None) -> None:
        self.options = options
        self.progress = progress
        # Called, in place, as soon as the pages are in the site and before bundles are zipped: `mooc serve`
        # reloads the browser then, and the bundles follow.
        self.pages_ready: Callable[[BuildResult], None] | None = None
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
        """`mooc build`: replay the last build when nothing changed, else build with what it left."""
        options = self.options
        previous = previous_output(options.output)
        inputs: list[Inputs] = []  # taken before any file is read: a save during the build changes them
        if previous is not None:
            inputs.append(self._inputs())
            earlier = Previous.read(previous)
            if earlier is not None and earlier.inputs == inputs[0] and intact(previous):
                result = BuildResult(earlier.report, None, earlier.pages, files=earlier.files,
                                     bundles=earlier.bundles)
                result.unchanged = True
                return result
        if self.load_cache is None:
            self.load_cache = read_load_cache(previous)
        cache = self.load_cache

        def meanwhile() -> None:  # while other processes read the sequences
            if not inputs:
                with contextlib.suppress(Exception):  # a theme that does not load is reported after the check
                    inputs.append(self._inputs())
            self._compile_theme()

        result, site = self._load(processes.workers(options.jobs), None, meanwhile)
        if site is None:
            return result
        taken = inputs[0] if inputs else self._inputs()
        dumped: list[bytes] = []
        with site_output(options.output) as tree:
            self._make(site, tree, Memory.read(previous), result, meanwhile=lambda: dumped.append(
                dump_load_cache(cache)))
            tree.write_cache(LOAD_CACHE, dumped[0] if dumped else dump_load_cache(cache))
            tree.write_cache(INPUTS, record(taken, result.report, result.pages, result.files, result.bundles))
        return self._done(result, tree, site)

    def _serve(self, changed: Collection[Path] | None) -> BuildResult:
        """`mooc serve`: build in place with what the last build left in memory."""
        if self.load_cache is None:
            self.load_cache = LoadCache()
        # Its server runs threads: the build stays in this process (fork is unsafe, and an edit is small).
        result, site = self._load(1, changed, self._compile_theme)
        if site is None:
            return result
        memory, self.memory = (self.memory or Memory()), None  # kept again once this build succeeds
        with site_output(self.options.output, memory.manifest, verify=False) as tree:
            self.memory = self._make(site, tree, memory, result, pages_ready=self.pages_ready)
        self.memory.manifest = tree.new
        return self._done(result, tree, site)

    # --- the steps ----------------------------------------------------------------------------------

    def _inputs(self) -> Inputs:
        options = self.options
        theme = self._theme()
        return Inputs.take(options.content, settings_digest(options.as_of, options.strict, theme.fingerprint))

    def _load(self, workers: int, changed: Collection[Path] | None, meanwhile: Callable[[], None]
              ) -> tuple[BuildResult, Site | None]:
        """Load and check; the site as published on the build date, or None (the result says why)."""
        started = time.perf_counter()
        assert self.load_cache is not None
        self.load_cache.hits = self.load_cache.misses = 0
        site, report = check(self.options.content, self.load_cache, workers, changed, meanwhile=meanwhile,
                             parallel_from=self.options.parallel_from)
        result = BuildResult(report)
        result.stages["load and check"] = time.perf_counter() - started
        if site is None or report.errors or (self.options.strict and report.warnings):
            return result, None
        result.site = self.interner.site(sessions.publish(site, self.options.as_of))
        return result, result.site

    def _make(self, site: Site, tree: SiteOutput, memory: Memory, result: BuildResult,
              meanwhile: Callable[[], None] | None = None,
              pages_ready: Callable[[BuildResult], None] | None = None) -> Memory:
        """Plan, render, zip, package and copy everything the site holds into ``tree``; returns what the
        next build may start from."""
        options, theme, digests = self.options, self._theme(), self.digests
        renderer = Renderer(site, theme, options.as_of, Flavour(), memo=self.render_memo)
        sheets = Sheets(renderer)
        planner = Planner(site, theme.fingerprint, options.as_of, digests)
        started = time.perf_counter()
        pages = plan_pages(planner, tree, memory.parts)
        names = [tree.claim(job.path) for job in pages.pending]
        claimed = set(tree.claimed)
        bundles = plan_bundles(site.courses, sheets, tree, memory.hashes, memory.listings, digests,
                               theme.fingerprint, memory.bundle_plans)
        result.stages["plan"] = time.perf_counter() - started
        started = time.perf_counter()
        work = ProduceWork(renderer, sheets, pages.pending, names, tree.stage, tree.old,
                           tree.present if tree.verify else None, bundles.todo)
        count = len(pages.pending)
        result.pages, result.rendered = pages.count, count
        spread = processes.workers(options.jobs) if count >= options.parallel_from and pages_ready is None else 1

        def ready() -> None:
            if pages_ready is not None and claimed == memory.pages:
                # Same pages as before (no file created, renamed or deleted): nothing stale to remove first.
                tree.apply()
                result.written = list(tree.written)
                pages_ready(result)

        made = produce(work, tree, spread, lambda done, total: self._tell("pages", done, total), meanwhile, ready)
        result.processes = made.processes
        result.stages["pages and bundles"] = time.perf_counter() - started
        for job, one in zip(bundles.todo, made.bundles, strict=True):
            memory.listings.remember(job.bundle, one.files)
            bundles.built[job.course][job.index] = one
        result.bundles_written = len(bundles.todo)
        started = time.perf_counter()
        for course, course_bundles, keys in zip(site.courses, bundles.built, bundles.keys, strict=True):
            packages = (course_packages(site, course, theme, options.as_of, tree, memory.hashes, digests)
                        if course.scorm else [])
            built = [b for b in course_bundles if b is not None]
            kit_page(course, built, keys, packages, renderer, pages.parts[course.id][0], tree, digests)
            result.pages += 1
            result.bundles += len(course_bundles)
        result.stages["packages and kit pages"] = time.perf_counter() - started
        started = time.perf_counter()
        result.files = copy_assets(site, theme, tree, memory.hashes.digest)
        result.stages["theme files and media"] = time.perf_counter() - started
        tree.write_cache("hashes.json", memory.hashes.dump().encode("utf-8"))
        tree.write_cache("bundles.json", memory.listings.dump().encode("utf-8"))
        next_memory = memory.next()
        next_memory.parts, next_memory.bundle_plans, next_memory.pages = pages.parts, bundles.plans, claimed
        return next_memory

    def _done(self, result: BuildResult, tree: SiteOutput, site: Site) -> BuildResult:
        result.written = tree.written
        result.removed = tree.removed
        self.digests.forget_except(_alive(site))
        return result

    def _theme(self) -> Theme:
        if self.theme is None:
            self.theme = load_theme(self.options.theme)
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
    for the few cycles there are: about 7 % of a cold build. Its pace is restored afterwards."""
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
