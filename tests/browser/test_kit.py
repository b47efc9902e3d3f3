"""The kit of a download bundle, unpacked and opened as a facilitator does, from file:// in Chromium: the start page,
a projector view stepped through, a video with its captions; nothing loaded from outside the folder."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from mooc_builder.build import check
from mooc_builder.model import Module, Sequence

from ..conftest import REFERENCE
from .test_accessibility import AXE, axe, describe


def kit_module() -> tuple[str, Module, Sequence]:
    """A module of the reference courses with a sequence that has a local video with captions and a quiz."""
    site, _ = check(REFERENCE)
    assert site is not None
    for course in site.courses:
        for module in course.modules:
            for sequence in module.sequences:
                if sequence.quiz and any(v.is_local and v.captions for v in sequence.videos):
                    return course.id, module, sequence
    raise AssertionError("no sequence with a captioned video and a quiz")


@pytest.fixture
def unpacked(reference_site: Path, tmp_path: Path) -> tuple[Path, Module, Sequence]:
    course, module, sequence = kit_module()
    with zipfile.ZipFile(reference_site / course / "downloads" / f"{course}-{module.id}.zip") as archive:
        archive.extractall(tmp_path)
    return tmp_path / f"{course}-{module.id}", module, sequence


def test_the_unpacked_kit_projects_a_sequence_and_plays_a_video_from_file(
        page: Page, page_errors: list[str], unpacked: tuple[Path, Module, Sequence]) -> None:
    folder, module, sequence = unpacked
    requests: list[str] = []
    failures: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}: {request.failure}"))
    page.add_init_script("""Element.prototype.requestFullscreen = function () { return Promise.resolve(); };""")
    page.goto((folder / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text(module.title)
    item = page.locator("li.kit-sequence").nth(module.sequences.index(sequence))
    item.get_by_role("link", name="Mode projection").click()
    expect(page).to_have_url((folder / module.id / "projection" / f"{sequence.order:02d}-{sequence.id}.html")
                             .as_uri())
    questions = len(sequence.quiz.questions) if sequence.quiz else 0
    counter = page.locator(".present-count")
    expect(counter).to_have_text(re.compile(r"^1 / \d+"))
    found = re.match(r"1 / (\d+)", counter.text_content() or "")
    assert found is not None
    steps = int(found.group(1))
    assert steps >= page.locator("main .slide").count() + questions  # each question has its reveal step
    expect(page.locator("main .slide:visible h1")).to_have_text(sequence.title)
    revealed = 0
    for step in range(2, steps + 1):
        page.keyboard.press("ArrowRight" if step % 2 else "PageDown")
        expect(counter).to_have_text(re.compile(rf"^{step} / {steps}(?!\d)"))
        visible = page.locator("main .slide:visible")
        assert visible.count() == 1
        if "revealed" in (visible.get_attribute("class") or ""):
            expect(visible.locator(".slide-answer")).to_be_visible()
            revealed += 1
    assert revealed == questions > 0
    assert page.evaluate("getComputedStyle(document.body).fontSize") != "16px"  # the theme's stylesheet is there
    page.locator("a.present-exit").click()  # back to the facilitator's sheet, in the folder
    expect(page.locator(".role")).to_have_text("Fiche animateur")
    page.goto((folder / "index.html").as_uri())
    video = next(v for v in sequence.videos if v.is_local and v.captions)
    item.get_by_role("link", name=video.title).click()
    expect(page.locator("h1")).to_have_text(video.title)
    # Chromium refuses a <track> file over file://: captions.js reads the .vtt.js script beside it.
    page.wait_for_function("""() => {
        const tracks = document.querySelector('video').textTracks;
        return tracks.length > 0 && tracks[0].mode === 'showing' && tracks[0].cues && tracks[0].cues.length > 0;
    }""", timeout=10_000)
    first_cue = page.evaluate("document.querySelector('video').textTracks[0].cues[0].text")
    assert first_cue.splitlines()[0] in video.captions[0].file.source.read_text(encoding="utf-8")
    assert any(url.endswith(".vtt.js") for url in requests)
    page.locator("video").evaluate("v => { v.muted = true; return v.play().catch(() => {}); }")
    page.wait_for_function("() => { const v = document.querySelector('video');"
                           " return v.readyState >= 2 && v.currentTime > 0.3; }", timeout=15_000)
    page.wait_for_load_state("networkidle")
    # A video longer than one read: the player aborts its first request and reads the file in parts (the
    # reference videos last minutes, as announced). It played, above: that abort is no failure.
    failures = [f for f in failures if not (".mp4: " in f and f.endswith("net::ERR_ABORTED"))]
    outside = [url for url in requests if urlsplit(url).scheme not in ("file", "data", "blob")
               or (urlsplit(url).scheme == "file"
                   and not Path(unquote(urlsplit(url).path)).resolve().is_relative_to(folder.resolve()))]
    assert outside == []
    assert failures == []
    assert page_errors == []
    assert len(requests) > 8


def test_axe_finds_no_violation_on_the_kits_pages(page: Page, unpacked: tuple[Path, Module, Sequence]) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`, which installs axe-core from the npm registry")
    folder, module, sequence = unpacked
    name = f"{sequence.order:02d}-{sequence.id}"
    failures: dict[str, list[str]] = {}
    for path in ("index.html", f"{module.id}/plan.html", f"{module.id}/{name}.html",
                 f"{module.id}/participants/{name}.html", f"{module.id}/videos/{name}-1.html"):
        page.goto((folder / path).as_uri())
        violations = axe(page)["violations"]
        if violations:
            failures[path] = describe(violations)
    assert failures == {}

