"""Each speed trick has a switch (MOOC_SHORTCUTS_OFF), and the site is the same, byte for byte, without it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from mooc_builder import shortcuts
from mooc_builder.build.builder import _rare_collections
from mooc_builder.markdown.processor import MarkdownProcessor
from mooc_builder.render.speedups import LiteralMessages, QuickEscapeTemplate
from mooc_builder.render.theme import bytecode_folder, load_theme
from mooc_builder.shortcuts import Shortcut

from .conftest import FIXTURES, REFERENCE
from .sitecheck import site_digest

MOOC = str(Path(sys.executable).parent / "mooc")


def _build(content: Path, out: Path, off: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != shortcuts.VARIABLE}
    if off:
        env[shortcuts.VARIABLE] = off
    run = subprocess.run([MOOC, "build", str(content), "-o", str(out), "--as-of", "2017-11-20", "--quiet"],
                         capture_output=True, text=True, timeout=300, check=False, env=env)
    assert run.returncode == 0, run.stderr
    return site_digest(out)


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _build(FIXTURES / "minimal", tmp_path_factory.mktemp("on") / "site")


@pytest.mark.parametrize("shortcut", [s.value for s in Shortcut])
def test_each_short_cut_off_builds_the_same_site(minimal_site: dict[str, str], tmp_path: Path, shortcut: str) -> None:
    assert _build(FIXTURES / "minimal", tmp_path / "site", shortcut) == minimal_site


@pytest.mark.thorough
def test_the_reference_courses_are_the_same_without_any_short_cut(tmp_path: Path) -> None:
    assert _build(REFERENCE, tmp_path / "off", "all") == _build(REFERENCE, tmp_path / "on")


def test_each_switch_turns_its_short_cut_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    on = load_theme()
    assert any(isinstance(e, LiteralMessages) for e in on.env.extensions.values())
    assert on.env.template_class is QuickEscapeTemplate
    assert MarkdownProcessor(False, lambda *_: None).rs is not None  # type: ignore[arg-type, return-value]
    monkeypatch.setenv(shortcuts.VARIABLE, "all")
    off = load_theme()
    assert not any(isinstance(e, LiteralMessages) for e in off.env.extensions.values())
    assert off.env.template_class is jinja2.Template
    assert MarkdownProcessor(False, lambda *_: None).rs is None  # type: ignore[arg-type, return-value]
    before = gc.get_threshold()
    with _rare_collections():
        assert gc.get_threshold() == before
    # Templates compiled without the literal messages are kept apart from those compiled with them.
    assert bytecode_folder(tmp_path) != bytecode_folder_with(monkeypatch, tmp_path, "")
    monkeypatch.setenv(shortcuts.VARIABLE, "rare-collections")
    with _rare_collections():
        assert gc.get_threshold() == before
    monkeypatch.setenv(shortcuts.VARIABLE, "quick-escape")
    with _rare_collections():
        assert gc.get_threshold() != before
    assert shortcuts.enabled(Shortcut.RUST_MARKDOWN) and not shortcuts.enabled(Shortcut.QUICK_ESCAPE)


def bytecode_folder_with(monkeypatch: pytest.MonkeyPatch, cache: Path, off: str) -> Path:
    with monkeypatch.context() as patch:
        patch.setenv(shortcuts.VARIABLE, off)
        return bytecode_folder(cache)


def test_a_name_that_is_no_short_cut_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, shortcuts.VARIABLE: "rust-markdown,jinja"}
    run = subprocess.run([MOOC, "check", str(FIXTURES / "minimal")], capture_output=True, text=True, timeout=60,
                         check=False, env=env)
    assert run.returncode == 2
    assert "MOOC_SHORTCUTS_OFF names jinja, which is no short cut's name" in run.stderr
    assert "rust-markdown" in run.stderr and "Traceback" not in run.stderr
