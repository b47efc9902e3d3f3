"""The pipeline: load and check a content tree, render it, write the site.

One :class:`Builder` serves both `mooc build` (one build, staged and swapped in)
and `mooc serve` (a build after each save, written in place). Both go through the
same incremental path: sequences whose files did not change come from the load
cache, pages whose inputs did not change are not rendered again, bundles whose
inputs did not change are not zipped again, and a file whose bytes did not change
is not written again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mooc_builder import __version__
from mooc_builder.diagnostics import Diagnostic, Pos, Report, Severity
from mooc_builder.load.cache import LoadCache
from mooc_builder.load.loading import check
from mooc_builder.model import Course, MediaFile, Sequence, Site, sessions
from mooc_builder.render.keys import Digests, Interner
from mooc_builder.render.renderer import PageJob, Renderer, RenderMemo
from mooc_builder.render.theme import Theme, code_fingerprint, load_theme
from mooc_builder.write import bundles
from mooc_builder.write.bundles import BuiltBundle, BundleListings
from mooc_builder.write.hashes import FileHashes
from mooc_builder.write.output import (
    CACHE,
    MARKER,
    Folders,
    Manifest,
    OutputTree,
    ProbeTree,
    WouldChange,
    WriteError,
    check_output_location,
    in_place_output,
    previous_output,
    staged_output,
    write_rendered,
)

_LOAD_CACHE = "load.pickle"
_LOAD_CACHE_VERSION = f"mooc-builder {__version__} {code_fingerprint()} load cache 1"


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    output: Path
    as_of: dt.date = field(default_factory=dt.date.today)
    theme: Path | None = None
    strict: bool = False
    scorm: bool = False  # pages carry the SCORM runtime adapter (for `mooc export scorm`)
    bundles: bool = True  # download bundles and the kit page
    only_course: str | None = None  # build one course alone (a SCORM package)
    jobs: int | None = None  # processes that render pages (default: one per core); output bytes are the same


@dataclass
class BuildResult:
    report: Report
    site: Site | None = None
    pages: int = 0
    rendered: int = 0
    files: int = 0
    bundles: int = 0
    bundles_written: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds spent per stage, for --verbose
    unchanged: bool = False  # nothing had changed since the last build: nothing was done

    @property
    def ok(self) -> bool:
        return (self.site is not None or self.unchanged) and not self.report.errors


def captions_script(caption: MediaFile) -> str:
    """A caption file as a script, for players opened from file:// (see the theme's captions.js)."""
    text = caption.source.read_text(encoding="utf-8-sig")
    key = json.dumps(caption.output.as_posix())
    return f"window.MoocCaptions = window.MoocCaptions || {{}};\nwindow.MoocCaptions[{key}] = {json.dumps(text)};\n"


Progress = Callable[[str, int, int], None]


class Builder:
    """Builds one content tree into one output folder, reusing what it can from the previous build.

    ``progress(stage, done, total)`` is called as work advances (for a terminal's progress line).
    """

    def __init__(self, options: BuildOptions, progress: Progress | None = None) -> None:
        self.options = options
        self.progress = progress
        # Called, in place, as soon as the pages are written and before bundles are zipped: `mooc serve`
        # reloads the browser then, and the bundles follow.
        self.pages_ready: Callable[[BuildResult], None] | None = None
        self._last_pages: set[str] = set()
        # The pages of each course and each part of a course (see Renderer.course_parts) as the last build
        # made them: (key, [(site path, page key)]).
        self._page_plans: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        # Each course's bundles as the last build planned them, by course id: (course, file roles, bundles). The
        # interner hands back the same course object while it is unchanged; an edit then plans its course's
        # bundles again, not the catalogue's.
        self._bundle_plans: dict[str, tuple[Course, dict[str, str], list[bundles.Bundle]]] = {}
        self.load_cache: LoadCache | None = None
        self.digests = Digests()
        self.interner = Interner()
        self.render_memo = RenderMemo()
        # In place (`mooc serve`), what the last build left in its output's cache, kept in memory instead of
        # being read again: the manifest, the file hashes and the bundle listings.
        self._kept: tuple[Manifest, FileHashes, BundleListings] | None = None
        self.theme: Theme | None = None

    def _unchanged(self, site: Site, theme: Theme, previous: Path, result: BuildResult) -> bool:
        """Whether this build would write exactly the site that is there (checked without writing)."""
        probe = ProbeTree(previous)
        trial = BuildResult(result.report, site)
        try:
            self._write(site, theme, probe, previous, trial)
            probe.finish()
        except WouldChange:
            return False
        if _files_on_disk(previous) != set(probe.new.files):
            return False  # files added or removed by hand since: build again
        result.pages, result.files, result.bundles = trial.pages, trial.files, trial.bundles
        result.stages.update(trial.stages)
        return True

    def _inputs_fingerprint(self) -> str:
        """Everything a build reads: each file of the content tree (path, size, inode, mtime, ctime: an
        edit always changes ctime), the theme, the code and the options. Equal means nothing to do."""
        options = self.options
        if self.theme is None:
            self.theme = load_theme(options.theme)  # kept: the build that may follow uses it as it is
        theme = self.theme
        sha = hashlib.sha256(repr((options.as_of, options.strict, options.scorm, options.bundles,
                                   options.only_course, theme.fingerprint)).encode())
        root = str(options.content.absolute())
        for folder, dirs, files in os.walk(root, followlinks=False):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)  # a symlink: what it points to
                except OSError:
                    sha.update(f"{path}\0missing\n".encode())
                    continue
                sha.update(f"{path}\0{stat.st_size}\0{stat.st_ino}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\n"
                           .encode())
        return sha.hexdigest()

    def _compile_theme(self) -> None:
        """Done while other processes read the sequences: the theme compiled here once is inherited by the
        processes that render the pages, where each compiled it before."""
        try:
            theme = self.theme or load_theme(self.options.theme)
            theme.compile_all()
        except Exception:  # the theme is loaded again after the check, and its problem reported as it always was
            return
        self.theme = theme

    def theme_changed(self) -> None:
        """Forget the compiled theme: the next build reads it again."""
        self.theme = None

    def build(self, in_place: bool = False, changed: Collection[Path] | None = None) -> BuildResult:
        """Build once. Raises writer.WriteError for an unsafe output and render.ThemeError for a broken theme.

        ``changed``: the files a watcher saw change since this builder's last build (`mooc serve`), so
        that files it did not name need not be looked at; None: look at everything.
        """
        options = self.options
        started = time.perf_counter()
        check_output_location(options.output, options.content)
        previous = previous_output(options.output)
        fingerprint = None
        if not in_place and previous is not None:
            fingerprint = self._inputs_fingerprint()
            replayed = _replay_if_unchanged(previous, fingerprint)
            if replayed is not None:  # not one input file, theme file or option changed since the last build
                replayed.seconds = time.perf_counter() - started
                return replayed
        if self.load_cache is None:
            self.load_cache = _read_load_cache(previous)
        self.load_cache.hits = self.load_cache.misses = 0
        stage_started = time.perf_counter()
        # Forking a process that runs threads (the server of `mooc serve`) is unsafe: in place, stay single.
        workers = 1 if in_place else min(options.jobs or os.cpu_count() or 1, 8)
        early: list[str] = []  # the fingerprint, when taken while other processes read (cold builds)

        def meanwhile() -> None:
            if not in_place and fingerprint is None:
                with contextlib.suppress(Exception):  # a theme that does not load is reported after the check
                    early.append(self._inputs_fingerprint())
            self._compile_theme()

        site, report = check(options.content, self.load_cache, workers, changed, meanwhile=meanwhile)
        if site is not None:
            site = sessions.publish(site, options.as_of)
        if site is not None and options.only_course is not None:
            site = dataclasses.replace(site, courses=tuple(c for c in site.courses if c.id == options.only_course))
        if site is not None:
            site = self.interner.site(site)
        result = BuildResult(report, site)
        result.stages["load and check"] = time.perf_counter() - stage_started
        if site is None or report.errors or (options.strict and report.warnings):
            result.site = None
            return result
        if self.theme is None:
            self.theme = load_theme(options.theme)
        if not in_place and previous is not None and self._unchanged(site, self.theme, previous, result):
            self.digests.forget_except(_alive(site))
            result.seconds = time.perf_counter() - started
            return result  # nothing to change: the site is left as it is, not even swapped
        if not in_place and fingerprint is None:
            # Taken before writing, and when it can be before most sequences are read: a file saved during the
            # build changes it, and the next build does not take this one's site as up to date.
            fingerprint = early[0] if early else self._inputs_fingerprint()
        kept, self._kept = (self._kept if in_place else None), None  # kept again once this build succeeds
        if in_place:
            output = in_place_output(options.output, kept[0] if kept else None)
        else:
            output = staged_output(options.output)
        # A live server keeps its cache in memory; a one-off build passes it on, pickled while the processes
        # that render pages are busy, when there are some.
        dumped: list[bytes] = []
        cache = self.load_cache
        dump = (lambda: dumped.append(_dump_load_cache(cache))) if fingerprint is not None else None
        with output as tree:
            hashes, listings = self._write(site, self.theme, tree, previous, result, kept, meanwhile=dump)
            if fingerprint is not None:
                tree.write_cache(_LOAD_CACHE, dumped[0] if dumped else _dump_load_cache(cache))
                tree.write_cache(_INPUTS, _inputs_record(fingerprint, result))
        result.written = tree.written
        result.removed = tree.removed
        if in_place:
            self._kept = (tree.new, hashes, listings)
        self.digests.forget_except(_alive(site))
        result.seconds = time.perf_counter() - started
        return result

    def _write(self, site: Site, theme: Theme, tree: OutputTree, previous: Path | None, result: BuildResult,
               kept: tuple[Manifest, FileHashes, BundleListings] | None = None,
               meanwhile: Callable[[], None] | None = None) -> tuple[FileHashes, BundleListings]:
        """Write the site into ``tree``; returns the file hashes and bundle listings it ends with. ``meanwhile``
        is done in this process while a pool of processes renders, if one does."""
        renderer = Renderer(site, theme, self.options.as_of, scorm=self.options.scorm, bundles=self.options.bundles,
                            memo=self.render_memo)
        cache_dir = previous / CACHE if previous is not None else None
        if kept is not None:
            hashes, listings = FileHashes(kept[1].fresh), BundleListings(dict(kept[2].new))
        else:
            hashes = FileHashes.load(cache_dir / "hashes.json" if cache_dir else None)
            listings = BundleListings.load(cache_dir / "bundles.json" if cache_dir else None)
        started = time.perf_counter()
        pending: list[PageJob] = []

        def plan(jobs: Iterable[PageJob]) -> list[tuple[str, str]]:
            made = []
            for job in jobs:
                if tree.unchanged(job.path, job.key):
                    tree.keep(job.path)
                else:
                    pending.append(job)
                made.append((job.path.as_posix(), job.key))
            return made

        base = renderer.base_key(self.digests)
        result.pages += len(plan(renderer.site_jobs(base, self.digests)))
        plans: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        for course in site.courses:
            # Pages made from the same inputs as last time are the same: kept without working out each
            # page's key again, a whole course at once, else module by module (an edit costs its module).
            key = renderer.course_key(course, base, self.digests)
            known = self._page_plans.get(course.id)
            if known is not None and known[0] == key and tree.keep_unchanged(known[1]):
                plans[course.id] = known
                result.pages += len(known[1])
                continue
            whole: list[tuple[str, str]] = []
            for name, part_key, jobs in renderer.course_parts(course, base, self.digests):
                known = self._page_plans.get(f"part:{name}")
                if known is None or known[0] != part_key or not tree.keep_unchanged(known[1]):
                    known = (part_key, plan(jobs()))
                plans[f"part:{name}"] = known
                whole += known[1]
            plans[course.id] = (key, whole)
            result.pages += len(whole)
        if not isinstance(tree, ProbeTree):
            self._page_plans = plans
        if pending and isinstance(tree, ProbeTree):
            raise WouldChange(pending[0].path.as_posix())
        courses = site.courses if self.options.bundles else ()
        workers = self._workers(len(pending), tree)
        together = workers > 1  # pages and bundles made in one pool of processes, each busy to the end
        if together:
            names = [tree.claim(job.path) for job in pending]
            pages = set(tree.claimed)
            built, todo, bundle_keys = self._plan_bundles(courses, renderer, theme, tree, previous, hashes, listings)
            made = self._pages_and_bundles(pending, names, todo, renderer, tree, workers, meanwhile)
            result.stages["pages and bundles"] = time.perf_counter() - started
        else:
            self._render_pages(pending, tree)
            result.stages["pages"] = time.perf_counter() - started
            pages = set(tree.claimed)
        result.rendered += len(pending)
        self._tell("pages", result.pages, result.pages)
        if (tree.in_place and self.pages_ready is not None and not isinstance(tree, ProbeTree)
                and pages == self._last_pages):
            # Same pages as before (no file created, renamed or deleted): nothing stale to remove first.
            result.written = list(tree.written)
            self.pages_ready(result)
        self._last_pages = pages
        started = time.perf_counter()
        if not together:
            built, todo, bundle_keys = self._plan_bundles(courses, renderer, theme, tree, previous, hashes, listings)
            made = self._make_bundles(todo, renderer, tree)
        for job, one in zip(todo, made, strict=True):
            listings.remember(job.bundle, one.files)
            built[job.course][job.index] = one
        result.bundles_written += len(todo)
        for course, made_bundles, keys in zip(courses, built, bundle_keys, strict=True):
            packages = self._scorm_packages(course, theme, hashes, tree) if course.scorm else []
            # The kit page shows the course (its key as planned above) and its bundles, which their keys stand for
            # (with their sizes, as zipped): an edit renders its course's kit page again, not the catalogue's.
            made = [b for b in made_bundles if b is not None]
            key = self.digests.combine([plans[course.id][0], "kit", repr(renderer.scorm), *keys,
                                        repr([b.size for b in made]), repr(packages)])
            if tree.unchanged(course.kit_page.file, key):
                tree.keep(course.kit_page.file)
            else:
                kit = renderer.kit_page(course, made, packages)
                tree.write_text(kit.path, kit.text, key)
            result.pages += 1
            result.bundles += len(made_bundles)
            self._tell("bundles", result.bundles, result.bundles)
        result.stages["bundles" if not together else "kit pages"] = time.perf_counter() - started
        started = time.perf_counter()
        for site_path, source in theme.static_files():
            tree.copy(site_path, source, hashes.digest(source))
            result.files += 1
        for media in site.all_media():
            tree.copy(media.output, media.source, hashes.digest(media.source))
            result.files += 1
        for caption in site.captions():
            tree.write_text(f"{caption.output}.js", captions_script(caption))
        result.stages["theme files and media"] = time.perf_counter() - started
        tree.write_cache("hashes.json", hashes.dump().encode("utf-8"))
        tree.write_cache("bundles.json", listings.dump().encode("utf-8"))
        return hashes, listings


    def _scorm_packages(self, course: Course, theme: Theme, hashes: FileHashes,
                        tree: OutputTree) -> list[tuple[str, PurePosixPath, int]]:
        """The course's SCORM packages (1.2 and 2004) for its kit page, rebuilt only when the course changed."""
        from mooc_builder.exports.scorm import write_package

        media = [hashes.digest(m.source) for s in course.sequences for m in _media_of(s)]
        key = self.digests.combine([theme.fingerprint, self.options.as_of.isoformat(),
                                    self.digests.course_whole(course), *media])
        targets = {v: course.page.path / "downloads" / f"{course.id}-scorm-{v}.zip" for v in ("1.2", "2004")}
        if all(tree.unchanged(path, key) for path in targets.values()):
            for path in targets.values():
                tree.keep(path)
        else:
            options = dataclasses.replace(self.options, scorm=True, bundles=False, only_course=course.id, jobs=1)
            with tempfile.TemporaryDirectory(prefix="mooc-scorm-") as tmp:
                inner = Builder(dataclasses.replace(options, output=Path(tmp) / "site"))
                inner.load_cache = self.load_cache
                inner.theme = theme
                result = inner.build()
                if result.site is None:
                    raise WriteError(f"the SCORM package of {course.id} could not be built")
                built = result.site.courses[0]
                for version, path in targets.items():
                    write_package(Path(tmp) / "site", result.site, built, version, tree.reserve(path, key))
        root = tree.root
        return [(version, path, (root / path).stat().st_size) for version, path in targets.items()]

    def _make_bundles(self, todo: list[_BundleJob], renderer: Renderer, tree: OutputTree) -> list[BuiltBundle]:
        """Zip the bundles to make, across processes when there are several courses'."""
        workers = min(self.options.jobs or os.cpu_count() or 1, 8, len({job.course for job in todo}))
        if workers < 2 or tree.in_place:  # in place: see _workers
            # The plan lists a course's bundles one after the other.
            return [made for _course, jobs in itertools.groupby(todo, key=lambda job: job.course)
                    for made in _make_course_bundles(list(jobs), renderer)]
        return self._pages_and_bundles([], [], todo, renderer, tree, workers)

    def _tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def _workers(self, pending: int, tree: OutputTree) -> int:
        """How many processes render pages: one for a few pages, and in place, where forking a process that
        runs threads (the server of `mooc serve`) is unsafe."""
        workers = min(self.options.jobs or os.cpu_count() or 1, 8)
        return 1 if workers < 2 or pending < _PARALLEL_FROM or tree.in_place else workers

    def _render_pages(self, pending: list[PageJob], tree: OutputTree) -> None:
        """Render and write pages in this process."""
        for count, job in enumerate(pending, start=1):
            tree.write_text(job.path, job.render().text, job.key)
            if count % 250 == 0:
                self._tell("pages", count, len(pending))

    def _plan_bundles(self, courses: Iterable[Course], renderer: Renderer, theme: Theme, tree: OutputTree,
                      previous: Path | None, hashes: FileHashes, listings: BundleListings
                      ) -> tuple[list[list[BuiltBundle | None]], list[_BundleJob], list[list[str]]]:
        """Each course's bundles, those made from the same inputs as last time kept (the others None), the
        bundles to make, and each course's bundle keys."""
        built: list[list[BuiltBundle | None]] = []
        todo: list[_BundleJob] = []
        keys: list[list[str]] = []
        plans: dict[str, tuple[Course, dict[str, str], list[bundles.Bundle]]] = {}
        for number, course in enumerate(courses):
            built.append([])
            keys.append([])
            roles = renderer.bundle_roles(course)
            known = self._bundle_plans.get(course.id)
            if known is None or known[0] is not course or known[1] != roles:
                known = (course, roles, bundles.plan(course, roles))
            plans[course.id] = known
            for bundle in known[2]:
                key = bundles.bundle_key(bundle, hashes, self.digests, theme.fingerprint)
                reused = None
                if tree.unchanged(bundle.output, key) and previous is not None:
                    reused = listings.reuse(bundle, (previous / bundle.output).stat().st_size)
                if reused is not None:
                    tree.keep(bundle.output)
                else:
                    todo.append(_BundleJob(number, len(built[-1]), bundle, tree.reserve(bundle.output, key)))
                built[-1].append(reused)
                keys[-1].append(key)
        self._bundle_plans = plans
        return built, todo, keys

    def _pages_and_bundles(self, pending: list[PageJob], names: list[str], todo: list[_BundleJob],
                           renderer: Renderer, tree: OutputTree, workers: int,
                           meanwhile: Callable[[], None] | None = None) -> list[BuiltBundle]:
        """Render and write pages and make bundles across processes, handed out as they finish their last
        task: each course's bundles first (one task each, where its sheets are rendered once for all of
        them), then the pages in small shares, so that no process waits at the end for another."""
        by_course: dict[int, list[int]] = {}
        for index, job in enumerate(todo):
            by_course.setdefault(job.course, []).append(index)
        tasks: list[tuple[str, list[int]]] = [
            ("bundles", indices) for indices in sorted(by_course.values(),
                                                       key=lambda ks: -sum(todo[k].weight for k in ks))]
        # A sequence's pages (and their folders, one in another) go to one process: no folder is asked for
        # twice.
        groups: dict[tuple[str, ...], list[int]] = {}
        for index, page in enumerate(pending):
            groups.setdefault(page.path.parts[:3], []).append(index)
        shares = workers * 8
        chunks: list[list[int]] = [[] for _ in range(min(shares, len(groups)))]
        for number, indices in enumerate(groups.values()):
            chunks[number * len(chunks) // len(groups)] += indices
        tasks += [("pages", chunk) for chunk in chunks if chunk]
        global _FORKED, _FORKED_BUNDLES
        _FORKED = (pending, names, tree.root, tree.previous, tree.old, tree.in_place)
        _FORKED_BUNDLES = (todo, renderer)
        finished: list[tuple[int, str, bool]] = []
        made: dict[int, tuple[int, tuple[bundles.BuiltFile, ...]]] = {}
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.imap_unordered(_pool_task, tasks)
                if meanwhile is not None:
                    meanwhile()
                for kind, part in results:
                    if kind == "pages":
                        finished += part
                        self._tell("pages", len(finished), len(pending))
                    else:
                        made.update(part)
        finally:
            _FORKED = _FORKED_BUNDLES = None
        for index, digest, written in sorted(finished):
            tree.record(names[index], digest, pending[index].key, written)
        return [BuiltBundle(job.bundle, *made[index], reused=False) for index, job in enumerate(todo)]


# What forked page renderers inherit: the jobs and where to write (set only while a pool runs).
_FORKED: tuple[list[PageJob], list[str], Path, Path | None, Manifest, bool] | None = None
_PARALLEL_FROM = 200


def _pool_task(task: tuple[str, list[int]]) -> tuple[str, Any]:
    kind, indices = task
    return kind, (_render_chunk(indices) if kind == "pages" else _bundle_share(indices))


def _render_chunk(indices: list[int]) -> list[tuple[int, str, bool]]:
    assert _FORKED is not None
    pending, names, root, previous, old, in_place = _FORKED
    done = []
    folders = Folders(root)
    for index in indices:
        data = pending[index].render().text.encode("utf-8")
        digest, written = write_rendered(folders, previous, old, in_place, names[index], data)
        done.append((index, digest, written))
    return done


@dataclass(frozen=True)
class _BundleJob:
    course: int  # the course's place in the site, and the bundle's in the course's plan
    index: int
    bundle: bundles.Bundle
    target: Path

    @property
    def weight(self) -> int:
        return sum(len(m.sequences) for m in self.bundle.modules) + len(self.bundle.media)


def _make_course_bundles(jobs: list[_BundleJob], renderer: Renderer) -> list[BuiltBundle]:
    """Bundles of one course, which share sheets and files: each deflated once for all of them."""
    deflater = bundles.Deflater()
    made = []
    for job in jobs:
        files = bundles.members(job.bundle, renderer.sheet, renderer.bundle_text, deflater)
        made.append(bundles.write(job.bundle, files, job.target, deflater))
    return made


# What forked bundle makers inherit (set only while a pool runs).
_FORKED_BUNDLES: tuple[list[_BundleJob], Renderer] | None = None


def _bundle_share(indices: list[int]) -> list[tuple[int, tuple[int, tuple[bundles.BuiltFile, ...]]]]:
    assert _FORKED_BUNDLES is not None
    todo, renderer = _FORKED_BUNDLES
    made = _make_course_bundles([todo[index] for index in indices], renderer)  # a share is one course's
    return [(index, (one.size, one.files)) for index, one in zip(indices, made, strict=True)]


def _media_of(sequence: Sequence) -> Iterator[MediaFile]:
    for video in sequence.videos:
        yield from (m for m in (video.src, video.poster, video.transcript) if m is not None)
        yield from (c.file for c in video.captions)
    yield from (r.file for r in sequence.resources)
    yield from sequence.images


def _alive(site: Site) -> Iterator[object]:
    """The model values whose digests are worth keeping for the next build."""
    yield site
    for course in site.courses:
        yield course
        for module in course.modules:
            yield module
            yield from module.sequences


_INPUTS = "inputs.json"


def _inputs_record(fingerprint: str, result: BuildResult) -> bytes:
    items = [[d.severity.value, d.pos.file, d.pos.line, d.pos.col, d.message, d.hint] for d in result.report]
    return json.dumps({"fingerprint": fingerprint, "diagnostics": items, "pages": result.pages,
                       "files": result.files, "bundles": result.bundles}, ensure_ascii=False).encode("utf-8")


def _files_on_disk(site: Path) -> set[str]:
    """The site paths of every file of a built site but the build's own (marker, cache)."""
    present: set[str] = set()
    root = str(site).rstrip(os.sep)
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != CACHE]
        relative = folder[len(root) + 1:].replace(os.sep, "/")  # os.walk joins onto root as given
        present.update(f"{relative}/{name}" if relative else name for name in files)
    return present - {MARKER}


def _replay_if_unchanged(previous: Path, fingerprint: str) -> BuildResult | None:
    """The previous build's outcome when its inputs were the same and its files are all still there."""
    try:
        record = json.loads((previous / CACHE / _INPUTS).read_text(encoding="utf-8"))
        if record.get("fingerprint") != fingerprint:
            return None
        manifest = Manifest.load(previous)
        if not manifest.files or _files_on_disk(previous) != set(manifest.files):
            return None  # a file of the site was removed or added by hand: build again
        report = Report()
        for severity, file, line, col, message, hint in record["diagnostics"]:
            report.items.append(Diagnostic(Severity(severity), Pos(file, line, col), message, hint))
        result = BuildResult(report, None, pages=int(record["pages"]), files=int(record["files"]),
                             bundles=int(record["bundles"]))
        result.unchanged = True
        return result
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _read_load_cache(previous: Path | None) -> LoadCache:
    if previous is None:
        return LoadCache()
    path = previous / CACHE / _LOAD_CACHE
    with contextlib.suppress(Exception):  # any damage: start afresh, the cache is only a shortcut
        with path.open("rb") as handle:
            version, cache = pickle.load(handle)  # our own file, in our own output
        if version == _LOAD_CACHE_VERSION and isinstance(cache, LoadCache):
            cache.hits = cache.misses = 0
            return cache
    return LoadCache()


def _dump_load_cache(cache: LoadCache) -> bytes:
    return pickle.dumps((_LOAD_CACHE_VERSION, cache.without_shape()), protocol=pickle.HIGHEST_PROTOCOL)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site once; on any error the previous output is left untouched."""
    with _rare_collections():
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
