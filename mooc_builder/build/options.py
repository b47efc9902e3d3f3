"""What a build is asked to do, and what it says it did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.diagnostics import Report
from mooc_builder.lang.text import Text
from mooc_builder.model import Site


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    output: Path
    as_of: dt.date = field(default_factory=dt.date.today)
    theme: Path | None = None
    strict: bool = False
    jobs: int | None = None  # processes that read and render (default: one per core); the bytes are the same
    # From how many sequences to read, and pages to render, the work is spread over processes.
    parallel_from: int = 200
    # The date of the build's sources, when the caller knows it (`mooc build` reads SOURCE_DATE_EPOCH): what
    # the files of the download bundles are dated.
    source_date: dt.datetime | None = None

    @property
    def files_date(self) -> dt.datetime:
        """What the files of the download bundles are dated: the sources' date when given, else the build's
        date (``as_of``) at 00:00 UTC. Either is fixed for a build: two builds of the same sources for the same
        date give the same bytes."""
        if self.source_date is not None:
            return self.source_date.astimezone(dt.UTC)
        return dt.datetime.combine(self.as_of, dt.time(), dt.UTC)


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
    processes: str = ""  # how the work was spread: "1 process", or "2 processes (fork)"
    scope: list[str] | None = None  # the courses a one-off build was scoped to (the others kept); None: all
    handouts_made: int = 0  # printable handouts (PDF) made, not kept from the last build
    handouts_missing: Text | None = None  # why handouts asked for were not made (WeasyPrint not loaded)

    @property
    def ok(self) -> bool:
        return (self.site is not None or self.unchanged) and not self.report.errors


# ``progress(stage, done, total)``, as work advances (for a terminal's progress line).
Progress = Callable[[str, int, int], None]
