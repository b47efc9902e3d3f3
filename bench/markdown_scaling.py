#!/usr/bin/env python3
"""Markdown's cost against the size of a page (issue 20): for each kind of page that once cost more than in
proportion (headings alike, tables with raw HTML, reference definitions, wrong links...), the time of a page
of N items and its ratio to a page of N/4 (about 4 when the cost is linear, 16 when quadratic), through both
paths: the Rust port (markdown-it.rs, for the texts it renders as markdown-it-py does) and markdown-it-py.

    .venv/bin/python bench/markdown_scaling.py [--sizes 2500,10000] [--runs 3] [--check]

By default MarkdownProcessor.render is timed in this process (CPU time, best of --runs, the cycle collector
held off as a build holds it). With --check, `mooc check` is timed instead, on a copy of tests/fixtures/minimal
whose first sequence holds the page (wall time, best of --runs; the text through whichever path mooc takes).
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mooc_builder.diagnostics import Report  # noqa: E402
from mooc_builder.markdown.processor import MarkdownProcessor, Place, Target  # noqa: E402

FIXTURE = HERE.parent / "tests" / "fixtures" / "minimal"
SEQUENCE = "courses/demo/01-intro/01-first.md"
MOOC = Path(sys.executable).parent / "mooc"

# Each kind of page, as a function of its number of items. allow_html: the kind needs raw HTML allowed.
PAGES: dict[str, tuple[Callable[[int], str], bool]] = {
    "headings alike (## Même titre)": (lambda n: "\n## Même titre\n\ntexte\n" * n, False),
    "setext headings alike": (lambda n: "\nTitre\n-----\n\ntexte\n" * n, False),
    "tables with raw HTML": (lambda n: "\n| a | b |\n|---|---|\n| 1 | <b>x</b> |\n" * n, True),
    "reference definitions": (lambda n: "".join(f"[r{i}]: https://e.org/{i}\n" for i in range(n)) + "\n"
                              + "".join(f"[r{i}] " for i in range(0, n, 10)), False),
    "wrong references ([x][r1])": (lambda n: "".join(f"[r{i}]: ../media/nope{i}.pdf\n" for i in range(n)) + "\n"
                                   + "".join(f"[x][r{i}] " for i in range(n)), False),
    "wrong links, one a line": (lambda n: "Voir :\n" + "".join(f"[x](nope{i}.md)\n" for i in range(n)), False),
    "pictures without a text": (lambda n: "".join(f"![](nope{i}.png) " for i in range(n)), False),
    "emphasis in one paragraph": (lambda n: "Du *texte* et " * n, False),
    "lists, 8 deep": (lambda n: "".join("- " * 8 + "item\n" for _ in range(n)), False),
    "footnotes": (lambda n: "".join(f"a[^{i}]\n\n[^{i}]: note\n" for i in range(n)), False),
    "links": (lambda n: "".join(f"[lien {i}](https://e.org/{i}) " for i in range(n)), False),
}


def _resolve(raw: str, base: Path) -> Target:
    return None, None, "file not found"


def render_time(text: str, allow_html: bool, rust: bool, runs: int) -> float:
    processor = MarkdownProcessor(allow_html, _resolve, short_cut=rust)
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            processor.render(text, Place("x.md", 0, Path("/c")), Report(), title="T")
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def check_time(text: str, allow_html: bool, runs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "content"
        shutil.copytree(FIXTURE, tree, symlinks=True)
        page = tree / SEQUENCE
        page.write_text(page.read_text(encoding="utf-8") + "\n\n" + text, encoding="utf-8")
        if allow_html:
            site = tree / "site.yml"
            site.write_text(site.read_text(encoding="utf-8") + "allow_html: true\n", encoding="utf-8")
        best = float("inf")
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([str(MOOC), "check", str(tree)], capture_output=True, check=False)
            best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2500,10000", help="items in a page, smallest first (default "
                        "2500,10000: each ratio is to the size before it)")
    parser.add_argument("--runs", type=int, default=3, help="best of (default 3)")
    parser.add_argument("--check", action="store_true", help="time `mooc check` on a tree instead")
    parser.add_argument("--only", default="", help="kinds of page whose name holds this")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    paths = [("mooc check", False)] if args.check else [("rust where usable", True), ("markdown-it-py", False)]
    print(f"| page | path | N | seconds | ratio to N/{sizes[1] // sizes[0] if len(sizes) > 1 else '-'} |")
    print("|---|---|---:|---:|---:|")
    for name, (page, allow_html) in PAGES.items():
        if args.only not in name:
            continue
        for path, rust in paths:
            previous = None
            for size in sizes:
                text = page(size)
                seconds = check_time(text, allow_html, args.runs) if args.check else \
                    render_time(text, allow_html, rust, args.runs)
                ratio = f"{seconds / previous:.1f}" if previous else ""
                print(f"| {name} | {path} | {size:,} | {seconds:.3f} | {ratio} |", flush=True)
                previous = seconds


if __name__ == "__main__":
    main()
