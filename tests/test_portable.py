"""Builds on every author's computer: without fork (Windows; macOS by default), where processes are started
by spawn, the site is the same, byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mooc_builder.build import BuildOptions, build

from .conftest import REFERENCE
from .sitecheck import site_digest

AS_OF = dt.date(2017, 11, 20)

# As on Windows: no fork, no forkserver; spawn is the only start method.
NO_FORK = """
import multiprocessing, multiprocessing.context
for name in ("fork", "forkserver"):
    multiprocessing.context._concrete_contexts.pop(name, None)
multiprocessing.get_all_start_methods = lambda: ["spawn"]
multiprocessing.set_start_method("spawn", force=True)
"""

BUILD = """
import datetime as dt, json, sys
from pathlib import Path
from mooc_builder.build import BuildOptions, build
result = build(BuildOptions(Path(sys.argv[1]), Path(sys.argv[2]), dt.date(2017, 11, 20), jobs=2, parallel_from=10))
print(json.dumps({"ok": result.ok, "processes": result.processes, "rendered": result.rendered,
                  "errors": [str(d) for d in result.report.errors]}))
"""


def _build(content: Path, out: Path, fork: bool = False) -> dict[str, object]:
    """A build in a new process (single-threaded, as `mooc` is: the test runner's threads would make it choose
    forkserver), with fork or, as on Windows, without."""
    script = BUILD if fork else NO_FORK + BUILD
    run = subprocess.run([sys.executable, "-c", script, str(content), str(out)], capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    outcome: dict[str, object] = json.loads(run.stdout.splitlines()[-1])
    assert outcome["ok"], outcome["errors"]
    return outcome


@pytest.fixture(scope="module")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference courses built as on Linux: fork, two processes reading and rendering."""
    out = tmp_path_factory.mktemp("fork") / "site"
    assert _build(REFERENCE, out, fork=True)["processes"] == "2 processes (fork)"
    return out


def test_without_fork_the_site_is_built_by_spawned_processes_and_is_the_same(default_build: Path,
                                                                            tmp_path: Path) -> None:
    out = tmp_path / "site"
    outcome = _build(REFERENCE, out)
    # The sequences were read, and the pages rendered, in spawned processes.
    assert outcome["processes"] == "2 processes (spawn)" and int(str(outcome["rendered"])) > 200
    assert site_digest(out) == site_digest(default_build)


@pytest.mark.thorough
def test_the_mooc_command_builds_without_fork(default_build: Path, tmp_path: Path) -> None:
    """The `mooc` console script itself, as an author runs it, in an interpreter that has no fork."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(NO_FORK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hook)}
    mooc = Path(sys.executable).parent / "mooc"
    out = tmp_path / "site"
    run = subprocess.run([str(mooc), "build", str(REFERENCE), "-o", str(out), "--as-of", "2017-11-20", "--jobs",
                          "2", "--verbose"], capture_output=True, text=True, timeout=300, check=False, env=env)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert "2 processes (spawn)" in run.stdout
    assert site_digest(out) == site_digest(default_build)


@pytest.mark.thorough
def test_an_edit_rebuilds_the_same_without_fork(default_build: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REFERENCE, content)
    out = tmp_path / "site"
    _build(content, out)
    page = content / "courses/energie-habitants/01-comprendre-sa-facture/01-lire-sa-facture.md"
    page.write_text(page.read_text(encoding="utf-8").replace("\n\n", "\n\nAjout. ", 1), encoding="utf-8")
    _build(content, out)
    fresh = build(BuildOptions(content, tmp_path / "fresh", AS_OF, jobs=1))
    assert fresh.ok
    assert site_digest(out) == site_digest(tmp_path / "fresh")
