"""Rendering pages and zipping bundles, in this process or spread over several (any start method).

The work is one :class:`ProduceWork` object: the renderer (its model and theme), the pages to render and
where each goes, the bundles to zip. Its tasks are shares of pages and each course's bundles; a process
writes what it makes into the build's stage and sends back what the build must know of it (the digest of a
page, the files of a bundle). Run in this process, the same object does the same tasks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mooc_builder.processes import Pool, Send
from mooc_builder.render.bundles import BuiltBundle, BuiltFile, Bundle
from mooc_builder.render.plan import PageJob
from mooc_builder.render.renderer import Renderer
from mooc_builder.render.sheets import Sheets
from mooc_builder.write import bundles
from mooc_builder.write.bundles import MemberKeys
from mooc_builder.write.files import Folders, Manifest
from mooc_builder.write.output import SiteOutput, write_staged
from mooc_builder.write.zip import FIXED_TIME, Stamp

PAGES, BUNDLES = "pages", "bundles"
Task = tuple[str, list[int]]


@dataclass(frozen=True)
class BundleJob:
    course: int  # the course's place in the site, and the bundle's in the course's plan
    index: int
    bundle: Bundle
    target: Path
    previous: Path | None = None  # the zip the last build made, to copy its unchanged members from
    previous_files: tuple[BuiltFile, ...] = ()
    stamp: Stamp = FIXED_TIME  # the date of its files

    @property
    def weight(self) -> int:
        return sum(len(m.sequences) for m in self.bundle.modules) + len(self.bundle.media)


@dataclass
class ProduceWork:
    renderer: Renderer
    sheets: Sheets
    pending: list[PageJob]
    names: list[str]  # each pending page's claimed site path
    stage: Path
    old: Manifest
    present: set[str] | None  # the site's files, to look that an unchanged page is there (None: trust the manifest)
    bundle_jobs: list[BundleJob] = field(default_factory=list)
    keys: MemberKeys | None = None

    def start(self) -> None:
        self._folders = Folders(self.stage)

    def do(self, task: Task, send: Send) -> None:
        kind, indices = task
        if kind == PAGES:
            done = []
            for index in indices:
                data = self.renderer.render(self.pending[index]).encode("utf-8")
                digest, written = write_staged(self._folders, self.old, self.present, self.names[index], data)
                done.append((index, digest, written))
            send((PAGES, done))
        else:
            assert self.keys is not None
            made = make_course_bundles([self.bundle_jobs[i] for i in indices], self.sheets, self.keys)
            send((BUNDLES, [(i, (one.size, one.files)) for i, one in zip(indices, made, strict=True)]))


def make_course_bundles(jobs: list[BundleJob], sheets: Sheets, keys: MemberKeys) -> list[BuiltBundle]:
    """Bundles of one course, which share sheets and files: each deflated once for all of them."""
    deflater = bundles.Deflater()
    made = []
    for job in jobs:
        files = bundles.members(job.bundle, sheets, deflater, keys)
        made.append(bundles.write(job.bundle, files, job.target, deflater, job.previous, job.previous_files,
                                  job.stamp))
    return made


def tasks(work: ProduceWork, processes: int) -> tuple[list[Task], list[Task]]:
    """The page shares and the bundle tasks (one per course: its bundles share sheets)."""
    by_course: dict[int, list[int]] = {}
    for index, job in enumerate(work.bundle_jobs):
        by_course.setdefault(job.course, []).append(index)
    # The heaviest courses first, so that no process is left with a big one at the end.
    bundle_tasks = [(BUNDLES, indices) for indices in sorted(
        by_course.values(), key=lambda ks: -sum(work.bundle_jobs[k].weight for k in ks))]
    # A sequence's pages (and their folders, one in another) go to one share: no folder is asked for twice.
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, page in enumerate(work.pending):
        groups.setdefault(page.path.parts[:3], []).append(index)
    shares = processes * 8 if processes > 1 else 16  # in one process, for the progress line
    chunks: list[list[int]] = [[] for _ in range(min(shares, len(groups)))]
    for number, indices in enumerate(groups.values()):
        chunks[number * len(chunks) // len(groups)] += indices
    return [(PAGES, chunk) for chunk in chunks if chunk], bundle_tasks


@dataclass
class Produced:
    bundles: list[BuiltBundle]
    processes: str


def produce(work: ProduceWork, tree: SiteOutput, processes: int, progress: Callable[[int, int], None] | None = None,
            meanwhile: Callable[[], None] | None = None, pages_ready: Callable[[], None] | None = None) -> Produced:
    """Render the pending pages and make the bundles; ``pages_ready`` is called once the pages are done,
    before the bundles (in one process only: `mooc serve` reloads the browser then)."""
    page_tasks, bundle_tasks = tasks(work, processes)
    finished: list[tuple[int, str, bool]] = []
    made: dict[int, tuple[int, tuple[BuiltFile, ...]]] = {}

    def take(message: tuple[str, Any]) -> None:
        kind, part = message
        if kind == PAGES:
            finished.extend(part)
            if progress is not None:
                progress(len(finished), len(work.pending))
        else:
            made.update(part)

    if processes > 1:
        with Pool(processes) as pool:
            pool.start(work)
            pool.submit(itertools.chain(bundle_tasks, page_tasks))
            if meanwhile is not None:
                meanwhile()
            for message in pool.results():
                take(message)
        how = f"{processes} processes ({pool.method})"
    else:
        work.start()
        for task in page_tasks:
            work.do(task, take)
        _record(work, tree, finished)
        finished = []
        if pages_ready is not None:
            pages_ready()
        if meanwhile is not None:
            meanwhile()
        for task in bundle_tasks:
            work.do(task, take)
        how = "1 process"
    _record(work, tree, finished)
    built = [BuiltBundle(job.bundle, *made[index], reused=False) for index, job in enumerate(work.bundle_jobs)]
    return Produced(built, how)


def _record(work: ProduceWork, tree: SiteOutput, finished: list[tuple[int, str, bool]]) -> None:
    for index, digest, written in sorted(finished):
        tree.record(work.names[index], digest, work.pending[index].key, written)

