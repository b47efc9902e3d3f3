"""Reading the sequences in several processes before a load, into its cache (Markdown parsing is the costly
part of a load).

Every reader runs the load itself over the same tree and reads only the sequences it :class:`Claims`; the
others' memos come back share by share, and this process, which reads shares too, takes them in between its
own. Then the real load finds every sequence in the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mooc_builder.diagnostics import Report
from mooc_builder.load.cache import CourseMemo, LoadCache, SequenceMemo, Shape
from mooc_builder.processes import Pool, Send

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

    from mooc_builder.model import Site

# Below this many sequences to read, starting processes costs more than it saves.
PARALLEL_FROM = 200

Memos = dict[Path, SequenceMemo]


class ReadSite(Protocol):
    """load.loading.load_site, as a reader calls it."""

    def __call__(self, content_dir: Path, report: Report, cache: LoadCache | None = ..., *,
                 claims: Claims | None = ..., shape: Shape | None = ...,
                 kept: Mapping[str, CourseMemo] | None = ...) -> Site | None: ...


class Claims:
    """The sequences a reading process reads: shares of a few, in the order every reader walks the tree,
    each taken by the first reader to ask for it. A reader that starts late (it had other work first) or
    meets long pages reads fewer; whoever reads a sequence, it gives the same memo.

    ``between(memos)`` is called each time the reader is done with a share, with the memos it made since the
    last call, and by ``finish`` with the last ones.
    """

    SHARE = 8

    def __init__(self, counter: Synchronized[int], between: Callable[[Memos], None] | None = None) -> None:
        self._counter = counter
        self._share = -1  # the last share this reader took
        self._between = between
        self._batch: Memos = {}  # the memos made since the last hand-over

    def mine(self, index: int) -> bool:
        """Whether the ``index``-th sequence of the walk is this reader's to read."""
        share = index // self.SHARE
        if self._share < share and self._share >= 0:
            self._hand_over()
        while self._share < share:  # shares are handed out in increasing order: take the next one free
            with self._counter.get_lock():
                self._share = self._counter.value
                self._counter.value += 1
        return self._share == share

    def made(self, path: Path, memo: SequenceMemo) -> None:
        self._batch[path] = memo

    def finish(self) -> None:
        self._hand_over()

    def _hand_over(self) -> None:
        if self._between is not None:
            batch, self._batch = self._batch, {}
            self._between(batch)


@dataclass
class ReadWork:
    """What each other reader is given: the load to run (a function, pickled by its name), the content, the
    memos known so far, the tree as this process discovered it, and the counter of shares handed out."""

    read: ReadSite
    content: Path
    known: Memos
    shape: Shape
    counter: Synchronized[int]
    kept: Mapping[str, CourseMemo]  # courses the load keeps as they were: no reader reads them

    def start(self) -> None:
        pass

    def do(self, task: Any, send: Send) -> None:
        claims = Claims(self.counter, lambda memos: send(memos) if memos else None)
        self.read(self.content, Report(), LoadCache(dict(self.known)), claims=claims, shape=self.shape, kept=self.kept)
        claims.finish()


def read_in_parallel(read: ReadSite, content_dir: Path, cache: LoadCache, workers: int,
                     meanwhile: Callable[[], None] | None, shape: Shape, kept: Mapping[str, CourseMemo]) -> None:
    """Read the sequences in ``workers`` processes (this one included) into ``cache``; this process does
    ``meanwhile`` first, and reads the shares the others have not taken by then."""

    def keep(memos: Memos) -> None:
        for path, memo in memos.items():
            cache.sequences.setdefault(path, memo)

    with Pool(workers - 1) as pool:
        counter = pool.context.Value("q", 0)
        pool.start(ReadWork(read, content_dir, dict(cache.sequences), shape, counter, kept))
        pool.submit(range(workers - 1))
        if meanwhile is not None:
            meanwhile()

        def between(memos: Memos) -> None:  # this reader's share, then what the others sent meanwhile
            keep(memos)
            for sent in pool.ready():
                keep(sent)

        claims = Claims(counter, between)
        read(content_dir, Report(), LoadCache(dict(cache.sequences)), claims=claims, shape=shape, kept=kept)
        claims.finish()
        for sent in pool.results():
            keep(sent)
