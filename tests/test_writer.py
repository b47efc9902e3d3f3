"""The output: every path checked, none written twice, unchanged files kept as they are, and a site that
changes all at once or not at all."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mooc_builder.write.commit import JOURNAL, recover
from mooc_builder.write.files import MARKER, Manifest, WriteError
from mooc_builder.write.output import SiteOutput, site_output

from .sitecheck import tree_digest


def _build(site: Path, files: dict[str, str], verify: bool = True) -> SiteOutput:
    with site_output(site, verify=verify) as tree:
        for name, text in files.items():
            tree.write_text(name, text, f"key-{text}")
    return tree


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    _build(site, {"a/index.html": "A", "b/index.html": "B", "c/index.html": "C"})
    return site


@contextmanager
def _immutable(path: Path) -> Iterator[None]:
    """A file that no rename may replace: as a file another program holds open on Windows."""
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("name", ["../x.html", "/etc/x", "a/../../x", "a\\x", "a//x", "./x"])
def test_a_path_that_would_leave_the_output_folder_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(WriteError, match="leave the output folder"), site_output(tmp_path / "site") as tree:
        tree.write_text(name, "x")
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.html").exists()
    assert not (tmp_path / "site").exists() and list(tmp_path.iterdir()) == []  # nor a stage left behind


def test_a_file_is_written_once(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"'a/index\.html' twice"), site_output(tmp_path / "site") as tree:
        tree.write_text("a/index.html", "A")
        tree.write_text("a/index.html", "B")


@pytest.mark.parametrize(("first", "second"), [("media/Plan.svg", "media/plan.svg"), ("A/x.html", "a/x.html")])
def test_two_names_that_differ_only_in_case_are_refused(tmp_path: Path, first: str, second: str) -> None:
    with pytest.raises(WriteError, match="differ only in case"), site_output(tmp_path / "site") as tree:
        tree.write_text(first, "1")
        tree.write_text(second, "2")


@pytest.mark.parametrize("name", ["media/con.pdf", "aux/index.html", "media/NUL.txt", "media/com1", "media/x."])
def test_a_name_windows_cannot_hold_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(WriteError, match="Windows"), site_output(tmp_path / "site") as tree:
        tree.write_text(name, "x")


def test_the_first_build_appears_whole_at_the_end(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with site_output(site) as tree:
        tree.write_text("a/index.html", "A")
        assert not site.exists()  # written beside it, renamed in at the end
    assert (site / "a/index.html").read_text() == "A" and (site / MARKER).is_file()
    assert Manifest.load(site).files["a/index.html"][0] == tree.new.files["a/index.html"][0]


def test_a_build_writes_only_what_changed_and_shows_nothing_before_its_end(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = {p: os.stat(site / p).st_ino for p in ("a/index.html", "b/index.html")}
    with site_output(site) as tree:
        tree.write_text("a/index.html", "A", "key-A")  # same bytes: not written again
        tree.write_text("b/index.html", "B2", "key-B2")
        tree.write_text("d/index.html", "D", "key-D")
        assert (site / "b/index.html").read_text() == "B" and not (site / "d").exists()
    assert tree.written == ["b/index.html", "d/index.html"] and tree.removed == ["c/index.html"]
    assert os.stat(site / "a/index.html").st_ino == before["a/index.html"]  # untouched
    assert (site / "b/index.html").read_text() == "B2" and (site / "d/index.html").read_text() == "D"
    assert not (site / "c").exists()  # the page and its folder
    assert not [p for p in site.rglob("*") if p.name.endswith(".mooc-old")]
    assert list((site / ".mooc-cache").iterdir()) == [site / ".mooc-cache/manifest.json"]  # no stage, no journal


def test_a_failing_build_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = tree_digest(site)
    with pytest.raises(RuntimeError), site_output(site) as tree:
        tree.write_text("b/index.html", "B2")
        raise RuntimeError("a theme error, a full disk...")
    assert tree_digest(site) == before


def test_a_file_that_cannot_be_replaced_undoes_the_whole_commit(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = tree_digest(site)
    with _immutable(site / "b/index.html"), pytest.raises(WriteError) as error, site_output(site) as tree:
        tree.write_text("a/index.html", "A2")  # moved in first, then moved back out
        tree.write_text("b/index.html", "B2")
        tree.write_text("e/f/index.html", "EF")
    message = str(error.value)
    assert "could not replace b/index.html" in message and "another program may have it open" in message
    assert "previous site was left as it was" in message
    assert tree_digest(site) == before
    assert not (site / "e").exists() and not (site / JOURNAL).exists()
    assert not [p for p in site.rglob("*") if p.name.endswith(".mooc-old") or p.name.startswith("stage-")]


def test_keeping_unchanged_files_at_once_keeps_them_all_or_none(tmp_path: Path) -> None:
    site = _site(tmp_path)
    with site_output(site) as tree:
        assert not tree.keep_unchanged([("a/index.html", "key-A"), ("b/index.html", "other key")])
        assert tree.new.files == {} and not tree.claimed
        assert tree.keep_unchanged([("a/index.html", "key-A"), ("b/index.html", "key-B")])
        tree.keep("c/index.html")
        assert tree.written == []
    assert (site / "b/index.html").read_text() == "B" and tree.removed == []


def test_a_file_removed_by_hand_is_not_kept_but_made_again(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "b/index.html").unlink()
    with pytest.raises(RuntimeError), site_output(site, verify=False) as trusting:
        # `mooc serve` alone writes its folder: it trusts its manifest
        assert trusting.unchanged("b/index.html", "key-B")
        raise RuntimeError("left without a commit")
    with site_output(site) as tree:
        assert tree.unchanged("a/index.html", "key-A") and not tree.unchanged("b/index.html", "key-B")
        assert not tree.keep_unchanged([("a/index.html", "key-A"), ("b/index.html", "key-B")])
        assert tree.keep_unchanged([("a/index.html", "key-A"), ("c/index.html", "key-C")])
        tree.write_text("b/index.html", "B", "key-B")
    assert tree.written == ["b/index.html"] and (site / "b/index.html").read_text() == "B"


@pytest.mark.parametrize("entries", [[("a/index.html", "key-A")],
                                     [("b/index.html", "key-B"), ("b/index.html", "key-B")]],
                         ids=["claimed already", "twice in the list"])
def test_keeping_unchanged_files_refuses_a_place_claimed_twice(tmp_path: Path,
                                                              entries: list[tuple[str, str]]) -> None:
    site = _site(tmp_path)
    with pytest.raises(WriteError, match="twice"), site_output(site) as tree:
        tree.claim("a/index.html")
        tree.keep_unchanged(entries)


CRASH = """
import os, signal, sys
from pathlib import Path
from mooc_builder.write.output import site_output
calls = [0]
replace = os.replace
def crashing(source, target):
    calls[0] += 1
    if calls[0] == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)  # as a power cut, half way through the moves
    replace(source, target)
os.replace = crashing
with site_output(Path(sys.argv[1])) as tree:
    for name, text in [("a/index.html", "A2"), ("b/index.html", "B2"), ("d/index.html", "D")]:
        tree.write_text(name, text)
"""


@pytest.mark.parametrize("moves", [2, 3, 4, 5])
def test_a_commit_cut_short_by_a_crash_is_undone_by_the_next_build(tmp_path: Path, moves: int) -> None:
    site = _site(tmp_path)
    before = tree_digest(site)
    run = subprocess.run([sys.executable, "-c", CRASH, str(site), str(moves)], capture_output=True, timeout=60,
                         check=False)
    assert run.returncode == -9, run.stderr
    assert (site / JOURNAL).is_file()  # the journal says how far it went
    recover(site)
    assert tree_digest(site) == before
    assert not [p for p in site.rglob("*") if p.name.endswith(".mooc-old")]
