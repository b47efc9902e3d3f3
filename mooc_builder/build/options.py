"""What a build is asked to do, and what it says it did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mooc_builder.diagnostics import Report
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
    handouts_missing: str | None = None  # why handouts asked for were not made (WeasyPrint not loaded)

    @property
    def ok(self) -> bool:
        return (self.site is not None or self.unchanged) and not self.report.errors


# ``progress(stage, done, total)``, as work advances (for a terminal's progress line).
Progress = Callable[[str, int, int], None]
