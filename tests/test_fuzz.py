"""Broken trees, made by a seeded mutator of the minimal tree (tests/fuzzing.py), through `mooc check` and
`mooc build`: each ends in bounded time with exit status 0 or 1, never an internal error; `check` OK means
`build` works, and a `check` that fails means nothing is built; every message is one line, with its file
and, where the problem has one, its line and column; nothing is written inside the content folder or beside
the output (issue 20).

MOOC_FUZZ_TREES=660 runs more trees than the suite's 40 (seeds 1..N: the same trees on every machine).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .fuzzing import make_tree

TREES = int(os.environ.get("MOOC_FUZZ_TREES", "40"))
DEADLINE = 30.0  # seconds for one tree's check and build; a normal one takes well under a second
ROOT = Path(__file__).resolve().parent.parent

# One line per diagnostic: FILE[:LINE:COL]: what; what would be right (warnings indented), or a count.
DIAGNOSTIC = re.compile(r"^(?:  )?[^\s:][^:]*?(?::\d+:\d+)?: \S.*$")
COUNT = re.compile(r"^\d+ (?:errors?|warnings?)(?: \(--strict\))?(?::| *\.|: nothing was built\.)$")
# Under a YAML syntax error: its line, quoted, and a caret under the column, indented by four spaces.
EXCERPT = re.compile(r"^    .*$")


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under ``root`` and what it is, without reading pipes or following links."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "folder" if path.is_dir() else "special"
    return found


class Worker:
    """`python -m tests.fuzzing --worker`: one tree at a time, each within DEADLINE."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.fuzzing", "--worker"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)

    def run(self, tree: Path) -> dict[str, Any] | None:
        """The worker's answer for ``tree``, or None when it did not answer in time (it is then killed)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{tree}\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], DEADLINE)
        if not ready:
            self.stop()
            return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def problems(seed: int, answer: dict[str, Any] | None, content: Path, before: dict[str, str],
             beside: list[str]) -> list[str]:
    if answer is None:
        return [f"no answer in {DEADLINE:.0f} s (a hang, or an unbounded read)"]
    found = []
    check_code, check_err, check_crash = answer["check"]
    build_code, build_err, build_crash = answer["build"]
    for name, code, crash in (("check", check_code, check_crash), ("build", build_code, build_crash)):
        if crash or code not in (0, 1):
            found.append(f"{name}: exit {code} {crash.strip().splitlines()[-1] if crash else ''}")
    if check_code == 0 and build_code != 0:
        found.append(f"check said OK, build failed: {build_err.strip()[:300]}")
    if check_code == 1 and build_code == 0:
        found.append("check failed, build succeeded")
    for line in check_err.splitlines():
        if not (DIAGNOSTIC.match(line) or COUNT.match(line) or EXCERPT.match(line)):
            found.append(f"not one message per line: {line!r}")
    if snapshot(content) != before:
        found.append("the content folder was changed")
    if sorted(p.name for p in content.parent.iterdir()) != beside:
        found.append(f"left beside the output: {sorted(p.name for p in content.parent.iterdir())}")
    return found


@pytest.mark.thorough
@pytest.mark.skipif(not hasattr(select, "select") or sys.platform == "win32", reason="select on a pipe")
def test_broken_trees_end_well(tmp_path: Path) -> None:
    worker = Worker()
    failures: list[str] = []
    slowest = (0.0, 0)
    try:
        for seed in range(1, TREES + 1):
            folder = tmp_path / str(seed)
            folder.mkdir()
            content = folder / "content"
            steps = make_tree(seed, content)
            before = snapshot(content)
            started = time.monotonic()
            answer = worker.run(content)
            slowest = max(slowest, (time.monotonic() - started, seed))
            built = answer is not None and answer["build"][0] == 0
            found = problems(seed, answer, content, before, ["content", "out"] if built else ["content"])
            if found:
                failures.append(f"seed {seed} ({'; '.join(steps)}): {' | '.join(found)}")
            if answer is None:
                worker = Worker()
    finally:
        worker.stop()
    print(f"{TREES} broken trees; slowest {slowest[0]:.2f} s (seed {slowest[1]})")
    assert not failures, f"{len(failures)} of {TREES} trees:\n" + "\n".join(failures)
