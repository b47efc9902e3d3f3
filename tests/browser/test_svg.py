"""A drawing with a script, opened in Chromium (issue 26): the author's file would run it when opened on its
own; the copy the site ships runs nothing, and still shows in the sequence page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from ..conftest import FIXTURES
from .conftest import build_site

CLIP = "courses/demo/media/clip.svg"
DRAWING = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" width="40" height="20" '
           'onload="window.svgLoaded = 1">\n<script>window.svgRan = 1</script>\n'
           '<rect width="40" height="20" fill="#036"/>\n</svg>\n')
RAN = "[typeof window.svgRan, typeof window.svgLoaded]"


def test_the_shipped_drawing_runs_no_script_and_still_shows(page: Page, tmp_path: Path,
                                                            serve: Callable[[Path], str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    (content / CLIP).write_text(DRAWING, encoding="utf-8")
    site = build_site(content, tmp_path / "site")
    # The author's file, opened on its own, runs its script: what the test looks for can happen.
    page.goto(serve(content) + CLIP)
    assert page.evaluate(RAN) == ["number", "number"]
    page.goto(serve(site) + "demo/media/clip.svg")
    assert page.evaluate("document.documentElement.localName") == "svg"
    assert page.evaluate(RAN) == ["undefined", "undefined"]
    page.goto(serve(site) + "demo/intro/first/index.html")
    picture = page.locator("main img[alt='Un schéma']")
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    assert picture.evaluate("img => img.naturalWidth") > 0
    assert page.evaluate(RAN) == ["undefined", "undefined"]
