"""Audio description and chapters as a learner meets them, over http and file://: the toggle reads each
description aloud through the browser's speech synthesis and writes it into a live region, and says nothing when
off; a recorded description plays in step with the muted video; a chapter button plays the video from its start
and marks it; in the projector view c goes to the next chapter; the toggle and the chapter buttons are named
in the accessibility tree; printed, the chapters stay; in an unpacked bundle's player it all works from file://.

The site is the minimal course with a 4-second WebM made for the test (tests/videos.py) as its first video. What
speech synthesis is asked to say is recorded by an init script that wraps ``speechSynthesis.speak`` and then
calls it: the page's own code is unchanged."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.videos import make_audio, make_video

from ..conftest import FIXTURES
from .conftest import build_site
from .test_quiz_a11y import ax

FIRST = "demo/intro/first/index.html"
PRESENT = "demo/intro/first/present/index.html"
SAID = "Une main ouvre le bac jaune."
CHAPTERS = "WEBVTT\n\n00:00.000 --> 00:02.000\nIntroduction\n\n00:02.000 --> 00:04.000\nLe bac jaune\n"
DESCRIPTIONS = f"WEBVTT\n\n00:00.400 --> 00:01.500\n{SAID}\n"
RECORD = """
window.moocSpoken = [];
if (window.speechSynthesis) {
  var speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
  window.speechSynthesis.speak = function (utterance) {
    window.moocSpoken.push({ text: utterance.text, lang: utterance.lang });
    return speak(utterance);
  };
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tracks")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    media = content / "courses" / "demo" / "media"
    make_video(media / "clip.webm", seconds=4, width=320, height=180)
    make_audio(media / "clip.described.ogg", seconds=4)
    (media / "clip.chapters.vtt").write_text(CHAPTERS, encoding="utf-8")
    (media / "clip.desc.fr.vtt").write_text(DESCRIPTIONS, encoding="utf-8")
    first = content / "courses" / "demo" / "01-intro" / "01-first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("src: ../media/clip.mp4", "src: ../media/clip.webm")
                     .replace("    transcript: ../media/clip.fr.md\n", "    transcript: ../media/clip.fr.md\n"
                              "    chapters: ../media/clip.chapters.vtt\n"
                              "    descriptions: {fr: ../media/clip.desc.fr.vtt}\n"), encoding="utf-8")
    # The second sequence: the same video with a recorded description instead.
    second = content / "courses" / "demo" / "01-intro" / "02-second.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "---\n", "---\nvideos:\n  - src: ../media/clip.webm\n    captions: {fr: ../media/clip.fr.vtt}\n"
                 "    descriptions: ../media/clip.described.ogg\n", 1), encoding="utf-8")
    return build_site(content, folder / "site")


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, site: Path, serve: Callable[[Path], str]) -> str:
    return serve(site) if request.param == "http" else site.as_uri() + "/"


def open_page(page: Page, url: str) -> None:
    page.add_init_script(RECORD)
    page.goto(url)
    page.evaluate("localStorage.clear()")
    page.reload()


def test_the_toggle_reads_each_description_aloud_and_into_a_live_region(page: Page, page_errors: list[str],
                                                                        base: str) -> None:
    open_page(page, base + FIRST)
    toggle = page.locator(".video-description-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.evaluate("document.querySelector('video').play()")
    page.wait_for_function("window.moocSpoken.length > 0", timeout=8000)
    assert page.evaluate("window.moocSpoken") == [{"text": SAID, "lang": "fr"}]
    expect(page.locator(".video-description-text[aria-live=polite]")).to_have_text(SAID)
    # Remembered: the next page load starts with it on.
    assert page.evaluate("localStorage.getItem('mooc-descriptions')") == "on"
    page.reload()
    expect(page.locator(".video-description-toggle")).to_have_attribute("aria-pressed", "true")
    assert page_errors == []


def test_off_nothing_is_said(page: Page, page_errors: list[str], base: str) -> None:
    open_page(page, base + FIRST)
    expect(page.locator(".video-description-toggle")).to_have_attribute("aria-pressed", "false")
    page.evaluate("(function (v) { v.muted = true; v.play(); }(document.querySelector('video')))")
    page.wait_for_function("document.querySelector('video').currentTime > 2", timeout=8000)
    assert page.evaluate("window.moocSpoken") == []
    expect(page.locator(".video-description-text")).to_have_text("")
    # Turned on then off again mid-way: still nothing said, and the live region is emptied.
    page.locator(".video-description-toggle").press("Enter")
    page.locator(".video-description-toggle").press("Space")
    expect(page.locator(".video-description-toggle")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.moocSpoken") == []
    assert page_errors == []


def test_a_recorded_description_plays_in_step_with_the_muted_video(page: Page, page_errors: list[str],
                                                                  base: str) -> None:
    open_page(page, base + "demo/intro/second/index.html")
    page.locator(".video-description-toggle").click()
    assert page.evaluate("document.querySelector('video').muted") is True
    page.evaluate("document.querySelector('video').play()")
    page.wait_for_function("!document.querySelector('audio.video-described-audio').paused", timeout=8000)
    page.evaluate("(function (v) { v.pause(); v.playbackRate = 1.5; v.currentTime = 2.5; }"
                  "(document.querySelector('video')))")
    # Where the video went (python's http.server has no ranges: there a jump goes back to 0), the audio too.
    page.wait_for_function("(function (v, a) { return a.paused && a.playbackRate === 1.5 && !v.seeking && "
                           "Math.abs(a.currentTime - v.currentTime) < 0.35; }"
                           "(document.querySelector('video'), document.querySelector('audio')))", timeout=8000)
    page.locator(".video-description-toggle").click()
    assert page.evaluate("document.querySelector('video').muted") is False
    assert page_errors == []


def test_a_chapter_button_plays_from_its_start_and_is_marked(page: Page, page_errors: list[str],
                                                            base: str) -> None:
    open_page(page, base + FIRST)
    chapters = page.locator(".video-chapters li")
    expect(chapters.nth(0)).to_have_attribute("aria-current", "true")
    page.evaluate("document.querySelector('video').muted = true")
    chapters.nth(1).get_by_role("button").click()
    page.wait_for_function("(function (v) { return !v.paused && v.currentTime >= 2 && v.currentTime < 3.5; }"
                           "(document.querySelector('video')))", timeout=8000)
    expect(chapters.nth(1)).to_have_attribute("aria-current", "true")
    expect(chapters.nth(0)).not_to_have_attribute("aria-current", "true")
    assert page_errors == []


def test_the_toggle_and_chapter_buttons_are_named(page: Page, base: str) -> None:
    open_page(page, base + FIRST)
    cdp = page.context.new_cdp_session(page)
    toggle = ax(cdp, page, ".video-description-toggle")
    assert (toggle["role"], toggle["name"]) == ("button", "Audiodescription")
    second = ax(cdp, page, ".video-chapters li:nth-child(2) button")
    assert (second["role"], second["name"]) == ("button", "0:02 Le bac jaune")
    listed = ax(cdp, page, ".video-chapters ol")
    assert (listed["role"], listed["name"]) == ("list", "Chapitres de A clip")


def test_in_the_projector_view_c_goes_to_the_next_chapter(page: Page, page_errors: list[str], base: str) -> None:
    page.goto(base + PRESENT)
    for _ in range(20):
        if page.locator("main .slide-video:visible").count():
            break
        page.keyboard.press("PageDown")
    slide = page.locator("main .slide:not([hidden])")
    expect(slide.locator(".video-chapters .present-video-key")).to_have_text(
        "c : chapitre suivant, maj+c : chapitre précédent")
    page.evaluate("document.querySelector('main .slide:not([hidden]) video').muted = true")
    page.keyboard.press("c")
    page.wait_for_function("document.querySelector('main .slide:not([hidden]) video').currentTime >= 2",
                           timeout=8000)
    expect(slide.locator(".video-chapters li").nth(1)).to_have_attribute("aria-current", "true")
    page.keyboard.press("Shift+C")
    page.wait_for_function("document.querySelector('main .slide:not([hidden]) video').currentTime < 1.5",
                           timeout=8000)
    expect(slide.locator(".video-chapters li").nth(0)).to_have_attribute("aria-current", "true")
    assert page_errors == []


def test_printed_the_chapters_stay_and_the_toggle_goes(page: Page, base: str) -> None:
    open_page(page, base + FIRST)
    page.emulate_media(media="print")
    expect(page.locator(".video-chapters li").nth(1).get_by_role("button")).to_be_visible()
    expect(page.locator(".video-description-toggle")).to_be_hidden()


def test_in_an_unpacked_bundle_the_player_reads_the_descriptions(page: Page, page_errors: list[str], site: Path,
                                                                 tmp_path: Path) -> None:
    with zipfile.ZipFile(site / "demo" / "downloads" / "demo-intro.zip") as archive:
        archive.extractall(tmp_path)
    open_page(page, (tmp_path / "demo-intro" / "intro" / "videos" / "01-first-1.html").as_uri())
    page.locator(".video-description-toggle").click()
    page.evaluate("document.querySelector('video').play()")
    page.wait_for_function("window.moocSpoken.length > 0", timeout=8000)
    assert page.evaluate("window.moocSpoken") == [{"text": SAID, "lang": "fr"}]
    expect(page.locator(".video-description-text")).to_have_text(SAID)
    page.locator(".video-chapters li").nth(1).get_by_role("button").click()
    page.wait_for_function("document.querySelector('video').currentTime >= 2", timeout=8000)
    assert page_errors == []
