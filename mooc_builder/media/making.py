"""How the files made from media are made: a deriver (media/videos.py, media/pictures.py...) lists what it
needs as ``Making``s, ``Deriving.make_all`` has the store make what it lacks, in parallel within the build's
job limit, and the deriver gives back the site with the made files in it (the model then holds them as any
media file, so that pages, bundles and exports ship them with nothing more to know).

A warm build finds every file in the store and starts no process."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mooc_builder import processes
from mooc_builder.diagnostics import Report
from mooc_builder.media.store import Store
from mooc_builder.model import Site

# A progress callback: (stage, done, total), as the build's.
Tell = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Making:
    """One file to make: ``make(source, target)`` writes it (a module-level function or a partial of one,
    so that it can be sent to another process under spawn). ``label`` names it in progress and errors."""

    key: str
    suffix: str
    make: Callable[[Path, Path], None]
    source: Path
    label: str


@dataclass
class Deriving:
    """What a deriver is given: the store, the sha256 of a source file (remembered by its stat), the report
    for what it has to say, how many processes the build may use, and the progress callback."""

    store: Store
    digest: Callable[[Path], str]
    report: Report
    workers: int = 1
    tell: Tell | None = None
    # What failed to be made, by key: the problem as the library said it.
    failed: dict[str, str] = field(default_factory=dict)

    def make_all(self, stage: str, makings: Iterable[Making]) -> dict[str, Path]:
        """Each making's file in the store (made now if missing), by key; a failed one is left out and its
        problem kept in ``failed``."""
        wanted = {m.key + m.suffix: m for m in makings}
        found = {m.key: self.store.path(m.key, m.suffix) for m in wanted.values() if self.store.has(m.key, m.suffix)}
        todo = [m for m in wanted.values() if m.key not in found]
        if not todo:
            return found
        total, by_key = len(todo), {m.key: m for m in todo}
        results: list[tuple[str, str | None]] = []
        self._tell(stage, 0, total)
        if self.workers > 1 and total > 1:
            with processes.Pool(min(self.workers, total)) as pool:
                pool.start(_MakeWork(self.store.folder))
                pool.submit(todo)
                for result in pool.results():
                    results.append(result)
                    self._tell(stage, len(results), total)
        else:
            work = _MakeWork(self.store.folder)
            for making in todo:
                work.do(making, results.append)
                self._tell(stage, len(results), total)
        for key, problem in results:
            if problem is None:
                found[key] = self.store.path(key, by_key[key].suffix)
            else:
                self.failed[key] = problem
        return found

    def _tell(self, stage: str, done: int, total: int) -> None:
        if self.tell is not None:
            self.tell(stage, done, total)


class _MakeWork:
    """A pool's work: make one file in the store; send back (key, None) or (key, the problem)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def start(self) -> None:
        pass

    def do(self, making: Making, send: Callable[[Any], None]) -> None:
        try:
            Store(self.folder).make(making.key, making.suffix, lambda target: making.make(making.source, target))
        except Exception as exc:  # a library's error on an author's file: said by the deriver, with its place
            send((making.key, f"{type(exc).__name__}: {exc}"))
            return
        send((making.key, None))


# A deriver: the site with what it made in it (build/derive.py runs each in turn; each makes its files in
# parallel).
Deriver = Callable[[Site, Deriving], Site]
