"""The light or high quality of a video as Chromium plays it, over http and file://: a 360-pixel phone plays the
light variant, a laptop the original; both play (readyState 2 and more, time going on); the learner's choice
switches the file where the video was and is kept for the next page; the projector view loads the same choice.

The course is the minimal one whose clip is a 4-second 1280x720 film made for the test (tests/videos.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.videos import make_video

from ..conftest import FIXTURES
from .conftest import build_site

FIRST = "demo/intro/first/index.html"
PRESENT = "demo/intro/first/present/index.html"


@pytest.fixture(scope="module")
def filmed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quality")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    make_video(content / "courses/demo/media/clip.mp4", seconds=4, width=1280, height=720, bit_rate=3_000_000)
    sequence = content / "courses/demo/01-intro/01-first.md"
    sequence.write_text(sequence.read_text(encoding="utf-8").replace('    duration: "0:30"\n', ""), encoding="utf-8")
    return build_site(content, folder / "site")


def _address(serve: Callable[[Path], str], site: Path, how: str, page: str) -> str:
    return f"{serve(site)}/{page}" if how == "http" else (site / page).as_uri()


def _plays(page: Page) -> str:
    """The file the video plays, once it has played a while (readyState >= 2, time past half a second)."""
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    page.wait_for_function("() => { const v = document.querySelector('video');"
                           " return v.readyState >= 2 && v.currentTime > 0.5; }", timeout=20_000)
    return str(page.evaluate("() => document.querySelector('video').currentSrc"))


@pytest.mark.parametrize("how", ["http", "file"])
def test_a_phone_plays_the_light_variant_and_a_laptop_the_original(browser: Browser, filmed_site: Path,
                                                                   serve: Callable[[Path], str], how: str) -> None:
    for width, expected in ((360, "clip.360p.mp4"), (1280, "clip.mp4")):
        context = browser.new_context(viewport={"width": width, "height": 740})
        try:
            page = context.new_page()
            page.goto(_address(serve, filmed_site, how, FIRST))
            assert _plays(page).endswith("/" + expected), width
            checked = page.locator(".video-quality input:checked")
            assert checked.get_attribute("value") == ("light" if expected != "clip.mp4" else "high")
            assert page.locator(".video-quality").is_visible()
        finally:
            context.close()


@pytest.mark.parametrize("how", ["http", "file"])
def test_the_learners_choice_switches_in_place_and_is_kept(browser: Browser, filmed_site: Path,
                                                           serve: Callable[[Path], str], how: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    base = serve(filmed_site) if how == "http" else filmed_site.as_uri()  # one origin for both pages
    try:
        page = context.new_page()
        page.goto(f"{base}/{FIRST}")
        assert _plays(page).endswith("/clip.mp4")
        page.evaluate("() => document.querySelector('video').pause()")
        at = page.evaluate("() => document.querySelector('video').currentTime")
        page.get_by_role("radio", name="légère", exact=False).check()
        page.wait_for_function("() => document.querySelector('video').currentSrc.endsWith('/clip.360p.mp4')"
                               " && document.querySelector('video').readyState >= 1", timeout=20_000)
        if how == "file":  # the tests' http server answers no Range request, and Chromium cannot seek then
            page.wait_for_function(f"() => Math.abs(document.querySelector('video').currentTime - {at}) < 0.3",
                                   timeout=20_000)
        page.goto(f"{base}/{PRESENT}")  # the projector view, on a large screen
        assert _plays(page).endswith("/clip.360p.mp4")  # the choice, kept
    finally:
        context.close()
