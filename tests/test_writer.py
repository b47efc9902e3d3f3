"""The output tree: every path checked, none written twice, unchanged files kept as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from mooc_builder.write.output import Manifest, OutputTree, WriteError


def _previous(tmp_path: Path) -> tuple[Path, Manifest]:
    site = tmp_path / "site"
    tree = OutputTree(site, None, in_place=True)
    tree.write_text("a/index.html", "A", "key-a")
    tree.write_text("b/index.html", "B", "key-b")
    return site, tree.new


@pytest.mark.parametrize("name", ["../x.html", "/etc/x", "a/../../x", "a\\x", "a//x", "./x"])
def test_a_path_that_would_leave_the_output_folder_is_refused(tmp_path: Path, name: str) -> None:
    tree = OutputTree(tmp_path / "site", None)
    with pytest.raises(WriteError, match="leave the output folder"):
        tree.write_text(name, "x")
    assert not (tmp_path / "x").exists() and not (tmp_path / "x.html").exists()


def test_a_file_is_written_once(tmp_path: Path) -> None:
    tree = OutputTree(tmp_path / "site", None)
    tree.write_text("a/index.html", "A")
    with pytest.raises(WriteError, match=r"'a/index\.html' twice"):
        tree.write_text("a/index.html", "B")
    assert (tmp_path / "site/a/index.html").read_text() == "A"


@pytest.mark.parametrize("in_place", [True, False], ids=["in place", "staged"])
def test_keeping_unchanged_files_at_once_keeps_them_all_or_none(tmp_path: Path, in_place: bool) -> None:
    site, manifest = _previous(tmp_path)
    root = site if in_place else tmp_path / "staged"
    tree = OutputTree(root, site, in_place=in_place, manifest=manifest)
    assert not tree.keep_unchanged([("a/index.html", "key-a"), ("b/index.html", "other key")])
    assert tree.new.files == {} and not tree.claimed
    assert tree.keep_unchanged([("a/index.html", "key-a"), ("b/index.html", "key-b")])
    assert tree.new.files == manifest.files and tree.written == []
    assert (root / "b/index.html").read_text() == "B"


@pytest.mark.parametrize("entries", [[("a/index.html", "key-a")],
                                     [("b/index.html", "key-b"), ("b/index.html", "key-b")]],
                         ids=["claimed already", "twice in the list"])
def test_keeping_unchanged_files_refuses_a_place_claimed_twice(tmp_path: Path,
                                                              entries: list[tuple[str, str]]) -> None:
    site, manifest = _previous(tmp_path)
    tree = OutputTree(site, site, in_place=True, manifest=manifest)
    tree.claim("a/index.html")
    with pytest.raises(WriteError, match="twice"):
        tree.keep_unchanged(entries)
