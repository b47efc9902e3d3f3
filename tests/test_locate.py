"""`mooc` run from where an author works: the content folder found above, the site written beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mooc_builder.cli import cli


def test_check_from_a_module_folder_finds_the_site_above(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = next(p for p in (minimal / "courses" / "demo").iterdir() if p.is_dir())
    monkeypatch.chdir(module)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_build_dot_inside_the_content_folder_writes_the_site_beside_it(minimal: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    result = CliRunner().invoke(cli, ["build", ".", "--as-of", "2017-11-20", "-q"])
    assert result.exit_code == 0, result.output
    assert (minimal.parent / "_site" / "index.html").is_file()
    assert not (minimal / "_site").exists()


def test_build_without_a_folder_from_inside_a_course(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal / "courses" / "demo")
    result = CliRunner().invoke(cli, ["build", "--as-of", "2017-11-20", "-q"])
    assert result.exit_code == 0, result.output
    assert (minimal.parent / "_site" / "demo" / "index.html").is_file()


def test_from_the_folder_above_content_nothing_changes(minimal: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--as-of", "2017-11-20", "-q"])  # the working folder holds content/
    assert result.exit_code == 0, result.output
    assert (Path.cwd() / "_site" / "index.html").is_file()


def test_nowhere_near_a_site_the_error_names_the_content_folder(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "content folder not found" in result.output
