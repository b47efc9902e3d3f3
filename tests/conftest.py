"""Shared fixtures: content trees copied into tmp folders, and built sites."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = ROOT / "content"


@pytest.fixture
def minimal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal valid tree at tmp/content; the working folder is tmp."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target, symlinks=True)
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Replace one piece of text in a file; fails loudly if the text is not there."""

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return replace
