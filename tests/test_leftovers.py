"""A build killed outright (kill -9, a power cut) leaves its temporary folders; the next build removes them, and
only them. Also: a build stopped by SIGTERM cleans up as after Ctrl-C, worker processes end with the build
that started them, and an output that is a symlink is built through (issue 20)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mooc_builder.build import BuildOptions, build
from mooc_builder.write.files import MARKER
from mooc_builder.write.leftovers import Claim, claimed_folder, sweep

from .conftest import FIXTURES
from .sitecheck import site_digest
from .test_pictures import with_photo

AS_OF = "2017-11-20"
# Runs a build of argv[1] into argv[2] that kills itself (SIGKILL: no cleanup can run) at one point.
KILLED = """
import datetime as dt, os, signal, sys
from pathlib import Path
from mooc_builder.build import BuildOptions, build
from mooc_builder.write import commit, output

def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

point = sys.argv[3]
if point == "commit":  # every page written into the stage, nothing moved in yet
    output.SiteOutput.commit = die
elif point == "swap":  # the empty output set aside, the new site not yet in its place
    rename = os.rename
    def rename_then_die(source, target):
        rename(source, target)
        if ".old-" in str(target):
            die()
    commit.os.rename = rename_then_die
build(BuildOptions(Path(sys.argv[1]), Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[4]), jobs=1))
"""


def killed_build(content: Path, out: Path, point: str, as_of: str = AS_OF) -> None:
    run = subprocess.run([sys.executable, "-c", KILLED, str(content), str(out), point, as_of],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr


def beside(out: Path) -> list[str]:
    """What is in the output's folder besides the output itself."""
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name and p.name != "content")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target, symlinks=True)
    return target


def clean_build(content: Path, out: Path, as_of: str = AS_OF) -> None:
    result = build(BuildOptions(content, out, dt.date.fromisoformat(as_of), jobs=1))
    assert result.ok, [str(d) for d in result.report.errors]


def test_a_first_build_killed_leaves_its_stage_and_the_next_build_removes_it(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    killed_build(content, out, "commit")
    left = beside(out)
    assert [n for n in left if n.startswith(".site.tmp-")], left  # what the issue found
    clean_build(content, out)
    assert beside(out) == []
    reference = tmp_path / "reference"
    clean_build(content, reference)
    assert site_digest(out) == site_digest(reference)


def test_a_first_build_killed_while_swapping_leaves_nothing_after_the_next(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()  # an empty folder given as the output: set aside, then replaced
    killed_build(content, out, "swap")
    assert [n for n in beside(out) if n.startswith(".site.old-")], beside(out)
    clean_build(content, out)
    assert beside(out) == []
    assert (out / "index.html").is_file()


@pytest.mark.thorough
def test_a_first_build_that_made_files_from_media_killed_while_swapping_leaves_nothing_after_the_next(
        content: Path, tmp_path: Path) -> None:
    """The photo's smaller copies are made before the stage, in the output's cache; the swap sets the output
    aside as it found it (empty), so that the next build removes it."""
    with_photo(content)
    out = tmp_path / "site"
    out.mkdir()
    killed_build(content, out, "swap")
    clean_build(content, out)
    assert beside(out) == []
    assert list((out / ".mooc-cache" / "media").rglob("*.webp"))


def test_a_later_build_killed_leaves_its_stage_in_the_cache_and_the_next_removes_it(content: Path,
                                                                                   tmp_path: Path) -> None:
    out = tmp_path / "site"
    clean_build(content, out)
    before = site_digest(out)
    killed_build(content, out, "commit", as_of="2017-11-21")
    stages = sorted(p.name for p in (out / ".mooc-cache").iterdir() if p.name.startswith("stage-"))
    assert stages, "the killed build's stage"
    assert site_digest(out) == before  # killed before its commit: the site as it was
    clean_build(content, out, as_of="2017-11-22")
    assert not [p for p in (out / ".mooc-cache").iterdir() if p.name.startswith("stage-")]
    assert beside(out) == []


def test_the_sweep_leaves_what_another_build_uses_and_what_is_not_ours(tmp_path: Path) -> None:
    live, claim = claimed_folder(tmp_path, ".site.tmp-", MARKER)
    (live / "page.html").write_text("a page being built")
    foreign = tmp_path / ".site.tmp-mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("an author's own folder, named alike")
    dead, dead_claim = claimed_folder(tmp_path, ".site.tmp-", MARKER)
    dead_claim.release()  # as when its build died
    with claim:
        assert sweep(tmp_path, ".site.tmp-", MARKER) == [dead]
        assert live.is_dir() and (live / "page.html").is_file() and foreign.is_dir()
    assert sweep(tmp_path, ".site.tmp-", MARKER) == [live]
    assert foreign.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == [".site.tmp-mine"]


def test_a_claim_is_exclusive(tmp_path: Path) -> None:
    folder = tmp_path / "stage"
    folder.mkdir()
    process = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
from pathlib import Path
from mooc_builder.write.leftovers import Claim
claim = Claim(Path({str(folder)!r}))
print("held", flush=True)
sys.stdin.readline()
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        with pytest.raises(FileExistsError):
            Claim(folder)
        assert sweep(tmp_path, "stage", "nothing") == [] and folder.is_dir()
    finally:
        process.kill()
        process.wait(timeout=10)
    assert sweep(tmp_path, "stage", "nothing") == [folder]  # empty, and its build gone


# Builds the reference courses in two processes and, once pages come back from them, writes the workers'
# process ids to argv[2] and kills itself.
ORPHANS = """
import datetime as dt, os, signal, sys
from pathlib import Path
from mooc_builder.build import BuildOptions, build

def children():
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.append(entry)
    return found

def progress(stage, done, total):
    Path(sys.argv[2]).write_text(" ".join(children()))
    os.kill(os.getpid(), signal.SIGKILL)

build(BuildOptions(Path(sys.argv[1]), Path(sys.argv[3]), dt.date(2017, 11, 20), jobs=2, parallel_from=1),
      progress)
"""


@pytest.mark.thorough
@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from /proc (Linux)")
def test_worker_processes_end_with_a_build_killed_outright(tmp_path: Path) -> None:
    """They waited forever for tasks, and held the killed build's claims (its stage could never be removed)."""
    from .conftest import REFERENCE

    pids = tmp_path / "pids"
    out = tmp_path / "site"
    run = subprocess.run([sys.executable, "-c", ORPHANS, str(REFERENCE), str(pids), str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr
    workers = [int(p) for p in pids.read_text().split()]
    assert len(workers) >= 2, workers
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, f"workers still running: {workers}"
        time.sleep(0.1)
    clean_build(REFERENCE, out)
    assert beside(out) == ["pids"]


@pytest.mark.thorough
def test_sigterm_stops_a_build_as_ctrl_c_does(tmp_path: Path) -> None:
    """The site as it was, no temporary folder left, exit status 143 (128 + SIGTERM)."""
    from .conftest import REFERENCE

    out = tmp_path / "site"
    clean_build(REFERENCE, out)
    before = site_digest(out)
    mooc = Path(sys.executable).parent / "mooc"
    process = subprocess.Popen([str(mooc), "build", str(REFERENCE), "-o", str(out), "--as-of", "2017-11-21",
                                "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cache = out / ".mooc-cache"
    deadline = time.monotonic() + 60
    while not any(p.is_dir() and any(p.rglob("index.html")) for p in cache.glob("stage-*")):  # pages being made
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert "Stopped" in err and "internal error" not in err
    assert site_digest(out) == before
    assert not [p for p in cache.iterdir() if p.name.startswith("stage-")]


def test_an_output_that_is_a_symlink_is_built_through(content: Path, tmp_path: Path) -> None:
    """It was replaced by a real folder, and the symlink was left beside it as a stray '.site.old-*'."""
    real = tmp_path / "www"
    real.mkdir()
    link = tmp_path / "site"
    link.symlink_to(real, target_is_directory=True)
    clean_build(content, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site", "www"]
    (content / "courses/demo/02-suite/01-third.md").write_text('---\ntitle: "Third"\n---\nEdited.\n')
    clean_build(content, link, as_of="2017-11-21")
    assert link.is_symlink() and "Edited." in (real / "demo/suite/third/index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site", "www"]


def test_an_output_that_is_a_dangling_symlink_is_refused(content: Path, tmp_path: Path) -> None:
    link = tmp_path / "site"
    link.symlink_to(tmp_path / "nowhere")
    mooc = Path(sys.executable).parent / "mooc"
    run = subprocess.run([str(mooc), "build", str(content), "-o", str(link)], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 1 and "is a symlink to" in run.stderr and "does not exist" in run.stderr, run.stderr
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_a_preview_killed_outright_leaves_its_folder_for_the_next_one_to_remove(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mooc serve` without -o builds in a folder of the system's temporary folder: killed, it stayed."""
    import tempfile

    from mooc_builder.serve.session import temporary_output

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    mooc = Path(sys.executable).parent / "mooc"
    process = subprocess.Popen([str(mooc), "serve", str(content), "--port", "0", "--no-reload"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "TMPDIR": str(temporary)})
    try:
        assert process.stdout is not None
        assert "Serving" in process.stdout.readline()
        left = sorted(p.name for p in temporary.iterdir())
        assert [n for n in left if n.startswith("mooc-serve-") and not n.endswith(".lock")], left
    finally:
        process.kill()
        process.wait(timeout=30)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    preview = temporary_output()
    try:
        assert sorted(p.name for p in temporary.iterdir()) == sorted([preview.folder.name,
                                                                       preview.folder.name + ".lock"])
    finally:
        preview.remove()
    assert list(temporary.iterdir()) == []


def test_an_export_stopped_by_sigterm_leaves_no_part_of_its_package(tmp_path: Path) -> None:
    """The package is written under a temporary name beside its target and renamed at the end."""
    from .conftest import REFERENCE

    mooc = Path(sys.executable).parent / "mooc"
    target = tmp_path / "course.zip"
    process = subprocess.Popen([str(mooc), "export", "scorm", str(REFERENCE), "--course", "energie-habitants",
                                "-o", str(target), "--as-of", AS_OF], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".course.zip.*.tmp")):  # writing the package
        assert process.poll() is None and time.monotonic() < deadline, "the export ended before it could be stopped"
        time.sleep(0.002)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert list(tmp_path.iterdir()) == []
