"""Shared fixtures: content trees copied into tmp folders, and built sites.

The browser tests (tests/browser/, and the few others marked ``browser``) need Playwright for Python, Debian's
Chromium and the npm tools of `make tools-npm`. ``pytest -m "not browser"`` is the loop without them; plain
``pytest`` collects without Playwright and says why the browser tests are left out; `make test` sets
MOOC_REQUIRE_TOOLS=1, which turns every such absence into a failure.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = ROOT / "content"
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
REQUIRE_TOOLS = os.environ.get("MOOC_REQUIRE_TOOLS") == "1"
NO_PLAYWRIGHT = importlib.util.find_spec("playwright") is None
WHY_NO_BROWSER = "Playwright for Python is not installed (`make test` installs it, with Chromium)"

# Without Playwright the browser tests cannot even be imported: they are left out of the collection, and the
# header and the summary say so.
collect_ignore = ["browser"] if NO_PLAYWRIGHT and not REQUIRE_TOOLS else []


def pytest_report_header() -> list[str]:
    return [f"browser tests not collected: {WHY_NO_BROWSER}"] if collect_ignore else []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if collect_ignore:
        terminalreporter.write_line(f"browser tests not collected: {WHY_NO_BROWSER}", yellow=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


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
