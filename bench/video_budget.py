"""The video budget the README quotes: for the reference courses and for a generated course of 60 videos, the
bytes of the site and of the course's bundle with the original videos and with the light variants, and the
build's time cold (every variant encoded) and warm (a sequence's text edited: nothing encoded again).

The generated course is one course of 5 modules of 12 sequences, each with one video of ``--seconds`` seconds at
854x480 and 2 Mbit/s (tests/videos.py), made once into a temporary folder.

    .venv/bin/python bench/video_budget.py [--videos 60] [--seconds 10] [--jobs 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mooc_builder.build import BuildOptions, build  # noqa: E402
from tests.videos import make_video  # noqa: E402

AS_OF = dt.date(2026, 12, 6)


def size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file()
                                                          and ".mooc-cache" not in p.parts)


def human(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{round(n / 1000)} kB"


def generated(folder: Path, videos: int, seconds: float) -> Path:
    content = folder / "content"
    (content / "courses/films/media").mkdir(parents=True)
    (content / "site.yml").write_text('title: "Films"\nlicence: CC-BY-NC-ND-4.0\nattribution: "Bench"\n',
                                      encoding="utf-8")
    (content / "courses/films/course.yml").write_text('title: "Films"\n', encoding="utf-8")
    per_module = 12
    for number in range(videos):
        module = content / "courses/films" / f"{number // per_module + 1:02d}-module-{number // per_module + 1}"
        if not module.is_dir():
            module.mkdir()
            (module / "module.yml").write_text(f'title: "Module {number // per_module + 1}"\n', encoding="utf-8")
        make_video(content / "courses/films/media" / f"film-{number:02d}.mp4", seconds=seconds, width=854,
                   height=480, bit_rate=2_000_000, seed=number)
        (module / f"{number % per_module + 1:02d}-film-{number:02d}.md").write_text(
            f'---\ntitle: "Film {number}"\nvideos:\n  - src: ../media/film-{number:02d}.mp4\n---\nUn film.\n',
            encoding="utf-8")
    return content


def measure(name: str, content: Path, folder: Path, jobs: int | None) -> list[str]:
    site = folder / f"site-{name}"
    started = time.perf_counter()
    result = build(BuildOptions(content, site, AS_OF, jobs=jobs))
    cold = time.perf_counter() - started
    assert result.ok, [str(d) for d in result.report.errors]
    sequence = next(content.rglob("01-*.md"))
    sequence.write_text(sequence.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    started = time.perf_counter()
    assert build(BuildOptions(content, site, AS_OF, jobs=jobs)).ok
    warm = time.perf_counter() - started
    bundles = {}
    for held in ("original", "light"):
        for course in sorted((content / "courses").iterdir()):
            text = (course / "course.yml").read_text(encoding="utf-8")
            text = "\n".join(line for line in text.splitlines() if not line.startswith("light_videos:"))
            (course / "course.yml").write_text(f"{text}\nlight_videos: {{bundles: {held}}}\n", encoding="utf-8")
        assert build(BuildOptions(content, site, AS_OF, jobs=jobs)).ok
        # Each course's own bundle (its modules' bundles hold the same files, module by module).
        bundles[held] = sum(size(z) for z in site.glob("*/downloads/*.zip") if z.stem == z.parent.parent.name)
    originals = sum(size(p) for p in (content / "courses").rglob("*.mp4"))
    lights = sum(size(p) for p in site.rglob("*.360p.mp4"))
    pages_and_media = size(site) - sum(size(z) for z in site.glob("*/downloads/*.zip"))
    return [name, human(originals), human(lights), human(pages_and_media), human(bundles["original"]),
            human(bundles["light"]), f"{cold:.1f} s", f"{warm:.1f} s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--jobs", type=int, default=None)
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mooc-video-budget-") as temporary:
        folder = Path(temporary)
        reference = folder / "reference"
        shutil.copytree(ROOT / "content", reference)
        rows.append(measure("the reference courses", reference, folder, arguments.jobs))
        started = time.perf_counter()
        films = generated(folder / "films", arguments.videos, arguments.seconds)
        print(f"{arguments.videos} videos of {arguments.seconds:g} s made in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
        rows.append(measure(f"{arguments.videos} videos of {arguments.seconds:g} s, 854x480 at 2 Mbit/s", films,
                            folder, arguments.jobs))
    print("| course | videos | light variants | site, bundles aside | course bundles, originals | "
          "course bundles, light | build, cold | build, warm |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
