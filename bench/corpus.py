"""The benchmark corpus: the shared reference generator when it is beside the checkout, else ours.

The shared generator names some sibling sequences and modules alike
(``06-atelier-processus.md`` and ``07-atelier-processus.md``), which the course
format forbids (two siblings with the same id). :func:`dedupe` renames the later
ones (``07-atelier-processus-07.md``) and rewrites the links to them, leaving every
page's text as it was.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"


def make(out: Path, courses: int, modules: int, sequences: int, others: bool = False) -> str:
    """Write the corpus into ``out``; returns which generator made it. ``others``: also Hugo and MkDocs copies."""
    if SHARED.is_file():
        extra = ["--hugo", "--mkdocs"] if others else []
        subprocess.run([sys.executable, str(SHARED), str(out), "--courses", str(courses), "--modules", str(modules),
                        "--sequences", str(sequences), *extra], check=True, capture_output=True)
        dedupe(out / "courses")
        return "shared/bench/make_corpus.py"
    if others:
        raise SystemExit("the Hugo and MkDocs copies need ../shared/bench/make_corpus.py beside the checkout")
    sys.path.insert(0, str(HERE))
    import make_corpus

    make_corpus.make(out, courses, modules, sequences, seed=1)
    return "bench/make_corpus.py"


def dedupe(courses: Path) -> int:
    renamed = 0
    for course in sorted(p for p in courses.iterdir() if p.is_dir()):
        seen_modules: set[str] = set()
        for module in sorted(p for p in course.iterdir() if p.is_dir() and p.name != "media"):
            number, _, ident = module.name.partition("-")
            if ident in seen_modules:
                module.rename(module.with_name(f"{number}-{ident}-{number}"))
                ident = f"{ident}-{number}"
                renamed += 1
            seen_modules.add(ident)
    for module in sorted(p for p in courses.glob("*/*") if p.is_dir() and p.name != "media"):
        seen: set[str] = set()
        moves: dict[str, str] = {}
        for page in sorted(module.glob("*.md")):
            match = re.match(r"^(\d+)-(.+)\.md$", page.name)
            if not match:
                continue
            number, ident = match.groups()
            if ident in seen:
                new = f"{number}-{ident}-{number}.md"
                page.rename(page.with_name(new))
                moves[page.name] = new
                ident = f"{ident}-{number}"
                renamed += 1
            seen.add(ident)
        if moves:
            def relink(match: re.Match[str], moves: dict[str, str] = moves) -> str:
                return f"]({moves.get(match.group(1), match.group(1))})"

            for page in module.glob("*.md"):
                text = page.read_text(encoding="utf-8")
                fixed = re.sub(r"\]\(([^)]+\.md)\)", relink, text)
                if fixed != text:
                    page.write_text(fixed, encoding="utf-8")
    return renamed
