"""Sizes and times of the offline hubs' exports (`mooc export zim`, `mooc export kolibri`) for each reference
course, as the README quotes them: each export run as an author runs it (the whole command: content check, the
course's build, the file), best of ``--runs``, in a temporary folder.

    .venv/bin/python bench/offline_exports.py [--runs 3] [--content content] [--as-of 2026-12-06]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOOC = Path(sys.executable).with_name("mooc")


def size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(command: list[str], cwd: Path, runs: int, clean: Path) -> float:
    best = float("inf")
    for _ in range(runs):
        if clean.is_dir():
            shutil.rmtree(clean)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def human(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{round(n / 1000)} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--as-of", default="2026-12-06")
    args = parser.parse_args()
    content = args.content.resolve()
    courses = sorted(p.name for p in (content / "courses").iterdir() if (p / "course.yml").is_file())
    print("| course | ZIM | export zim | Kolibri channel (app zip + database) | export kolibri |")
    print("|---|---|---|---|---|")
    for course in courses:
        with tempfile.TemporaryDirectory(prefix="offline-bench-") as folder:
            work = Path(folder)
            zim = work / f"{course}.zim"
            zim_time = timed([str(MOOC), "export", "zim", str(content), "--course", course, "--as-of", args.as_of,
                              "-o", str(zim)], work, args.runs, work / "none")
            data = work / "KOLIBRI_DATA"
            kolibri_time = timed([str(MOOC), "export", "kolibri", str(content), "--course", course, "--as-of",
                                  args.as_of, "-o", str(data)], work, args.runs, data)
            print(f"| {course} | {human(size(zim))} | {zim_time:.1f} s | {human(size(data))} | {kolibri_time:.1f} s |")
    with tempfile.TemporaryDirectory(prefix="offline-bench-") as folder:
        work = Path(folder)
        zim = work / "all.zim"
        zim_time = timed([str(MOOC), "export", "zim", str(content), "--all", "--as-of", args.as_of, "-o", str(zim)],
                         work, args.runs, work / "none")
        print(f"| the whole catalogue (`--all`) | {human(size(zim))} | {zim_time:.1f} s | | |")


if __name__ == "__main__":
    main()
