"""The projector view in Chromium at a projector's sizes: every step of every projector view fits above the
control bar, the body's text and drawings are slides, the keys of a keyboard and a presentation clicker
behave, and the presenter view follows the projected one over file:// and http."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from mooc_builder.build import check
from mooc_builder.model import Site

from ..conftest import FIXTURES, REFERENCE, ROOT
from .conftest import build_site
from .test_accessibility import AXE, axe, describe

SIZES = [(1024, 768), (1920, 1080)]


@pytest.fixture(scope="module")
def model() -> Site:
    site, report = check(REFERENCE)
    assert site is not None, [str(d) for d in report.errors]
    return site


@pytest.fixture(scope="module")
def slides_model() -> Site:
    site, report = check(FIXTURES / "slides")
    assert site is not None, [str(d) for d in report.errors]
    return site


@pytest.fixture(scope="module")
def slides_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "slides", tmp_path_factory.mktemp("slides") / "site")


# Steps through a projector view with its "next" button, and at each step measures every element the slide
# shows: none may reach under the control bar or past an edge of the window. One evaluate per page.
MEASURE = r"""() => {
  const bar = document.querySelector('.present-controls').getBoundingClientRect();
  const area = document.querySelector('main.slides').getBoundingClientRect();
  const next = document.querySelector('.present-next');
  const total = parseInt(document.querySelector('.present-count').textContent.match(/\/\s*(\d+)/)[1]);
  const found = {total: total, bad: [], fits: [], bar: [bar.top, bar.bottom], area: [area.top, area.bottom]};
  for (let step = 1; step <= total; step++) {
    const slide = document.querySelector('main .slide:not([hidden])');
    const shown = [slide, ...slide.querySelectorAll('*')];
    for (const element of shown) {
      const box = element.getBoundingClientRect();
      if (!box.width || !box.height || !element.checkVisibility({visibilityProperty: true})) continue;
      if (box.bottom > bar.top + 0.5 || box.top < -0.5 || box.left < -0.5 || box.right > innerWidth + 0.5) {
        found.bad.push(`step ${step}: <${element.tagName.toLowerCase()} class="${element.className}"> ` +
                       `${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},` +
                       `${Math.round(box.bottom)}; bar at ${Math.round(bar.top)}`);
        break;
      }
    }
    found.fits.push(parseFloat(slide.style.getPropertyValue('--fit') || '1'));
    if (step < total) next.click();
  }
  return found;
}"""


def measure_all(page: Page, urls: list[str]) -> tuple[int, list[str], list[float]]:
    steps, bad, fits = 0, [], []
    for url in urls:
        page.goto(url)
        found: dict[str, Any] = page.evaluate(MEASURE)
        assert found["area"][1] <= found["bar"][0] + 0.5  # the slide area ends above the bar
        assert found["bar"][1] <= page.viewport_size["height"] + 0.5 if page.viewport_size else True
        steps += found["total"]
        bad += [f"{url.rsplit('/', 3)[-3]}: {line}" for line in found["bad"]]
        fits += found["fits"]
    return steps, bad, fits


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_step_of_every_projector_view_fits_above_the_controls(
        page: Page, page_errors: list[str], model: Site, reference_site: Path, slides_site: Path,
        slides_model: Site, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    urls = [(reference_site / item.present_page.file).as_uri() for course in model.courses
            for item in (*course.sequences, *course.modules)]
    steps, bad, fits = measure_all(page, urls)
    print(f"\n{width}x{height}: {len(urls)} projector views, {steps} steps, {len(bad)} past the controls or an edge, "
          f"{sum(f < 1 for f in fits)} set smaller to fit (down to {min(fits):.2f})")  # `pytest -s` shows it
    # The reference courses: 47 sequences and 16 modules (546 steps of their sequences before the lesson's
    # text was projected, 88 of which went past the bar at 1024x768).
    assert steps > 1000 and bad == [], "\n".join(bad[:20])
    assert min(fits) >= 0.5  # their slides need no more than halving their type to fit
    # The fixture's long list and wide table fit too, made smaller.
    fixture = [(slides_site / s.present_page.file).as_uri() for s in slides_model.courses[0].sequences]
    steps, bad, fits = measure_all(page, fixture)
    assert bad == [], "\n".join(bad)
    assert min(fits) < 1
    assert page_errors == []


def test_a_sequence_with_text_and_a_drawing_has_a_slide_for_each(page: Page, page_errors: list[str],
                                                                  slides_site: Path, slides_model: Site) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    sequence = slides_model.courses[0].sequences[0]
    assert not sequence.videos and sequence.quiz is None
    page.goto((slides_site / sequence.present_page.file).as_uri())
    kinds = page.eval_on_selector_all("main .slide", "slides => slides.map(s => s.className)")
    assert kinds == ["slide slide-title", "slide slide-text", "slide slide-picture", "slide slide-end"]
    expect(page.locator(".present-count span[aria-hidden]")).to_have_text("1 / 4")
    page.keyboard.press("PageDown")
    expect(page.locator("main .slide:visible")).to_contain_text("on relève son index chaque mois")
    page.keyboard.press("PageDown")
    picture = page.locator("main .slide-picture")
    expect(picture).to_be_visible()
    expect(picture.locator("figcaption")).to_have_text(
        "Un compteur électrique : l'index en kWh, en gros chiffres, au milieu")
    image = picture.locator("img").bounding_box()
    area = page.locator("main.slides").bounding_box()
    assert image is not None and area is not None
    assert image["height"] > 0.7 * area["height"]  # the drawing fills the screen, its caption under it
    page.keyboard.press("PageDown")
    end = page.locator("main .slide-end")
    expect(end).to_contain_text("Fin de la séquence")
    following = slides_model.courses[0].sequences[1]
    expect(end.locator("a.slide-next")).to_have_text(following.title)
    end.locator("a.slide-next").click()
    expect(page).to_have_url(re.compile(re.escape(following.present_page.file.as_posix()) + "$"))
    assert page_errors == []


def test_the_last_slides_lead_on_to_the_next_module_and_say_the_course_is_over(
        page: Page, slides_site: Path, slides_model: Site) -> None:
    first, second = slides_model.courses[0].modules
    page.goto((slides_site / first.sequences[-1].present_page.file).as_uri())
    page.keyboard.press("End")
    end = page.locator("main .slide-end")
    expect(end).to_contain_text("Ce module est terminé.")
    expect(end.locator("a.slide-next")).to_have_text(second.sequences[0].title)
    page.goto((slides_site / first.present_page.file).as_uri())
    page.keyboard.press("End")
    expect(end.locator("a.slide-next")).to_have_text(second.title)
    end.locator("a.slide-next").click()
    expect(page.locator("main .slide:visible h1")).to_have_text(second.title)
    page.keyboard.press("End")
    expect(end).to_contain_text("Le cours est terminé.")


def step_to(page: Page, selector: str) -> None:
    """PageDown until a slide matching ``selector`` shows (at most 80 steps)."""
    for _ in range(80):
        if page.locator(f"main {selector}:visible").count():
            return
        page.keyboard.press("PageDown")
    pytest.fail(f"no slide {selector} in {page.url}")


def test_keys_act_on_the_focused_control_and_move_only_from_the_slide(
        page: Page, page_errors: list[str], model: Site, reference_site: Path) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    module = model.courses[0].modules[0]  # a local video with a transcript, then a quiz
    assert any(v.is_local and v.transcript_html for s in module.sequences for v in s.videos)
    assert any(s.quiz for s in module.sequences)
    page.goto((reference_site / module.present_page.file).as_uri())
    count = page.locator(".present-count span[aria-hidden]")
    total = page.evaluate("window.MoocPresent.steps.length")
    expect(count).to_have_text(f"1 / {total}")
    expect(page.locator(".present-count .visually-hidden")).to_have_text(f"Diapositive 1 sur {total}")
    # From the slide, Space and Enter move on; PageDown and PageUp (a clicker) and the arrows move.
    for key, step in [(" ", 2), ("Enter", 3), ("PageUp", 2), ("PageDown", 3), ("ArrowRight", 4), ("ArrowLeft", 3),
                      ("Home", 1), ("End", total)]:
        page.keyboard.press(key)
        expect(count).to_have_text(f"{step} / {total}")
    page.keyboard.press("Home")
    # Space on a focused button activates that button, and does not move.
    full = page.locator(".present-full")
    expect(full).to_have_text("Plein écran (f)")
    full.focus()
    page.keyboard.press(" ")
    page.wait_for_function("document.fullscreenElement !== null")
    expect(full).to_have_text("Quitter le plein écran (f)")  # says what it will do now
    expect(count).to_have_text(f"1 / {total}")
    page.keyboard.press("Enter")
    page.wait_for_function("document.fullscreenElement === null")
    expect(full).to_have_text("Plein écran (f)")
    expect(count).to_have_text(f"1 / {total}")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")
    # The video: no fine print on its slide; k plays and pauses it; Space on the focused video is the video's.
    page.locator("main").focus()
    step_to(page, ".slide-video")
    slide = page.locator("main .slide-video:visible")
    at = count.inner_text()
    assert not re.search(r"Télécharger|Licence|Crédit|CC BY", slide.inner_text())
    assert slide.locator("a[download], small, .licence-badge").count() == 0
    video = slide.locator("video")
    page.keyboard.press("k")
    page.wait_for_function("!document.querySelector('main .slide:not([hidden]) video').paused")
    page.keyboard.press("k")
    page.wait_for_function("document.querySelector('main .slide:not([hidden]) video').paused")
    video.focus()
    page.keyboard.press(" ")
    expect(count).to_have_text(at)
    page.evaluate("document.querySelector('main .slide:not([hidden]) video').pause()")
    # The transcript's disclosure opens with Enter and Space, on the same slide, and the slide still fits.
    summary = slide.locator("details.transcript summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(slide.locator("details.transcript")).to_have_attribute("open", "")
    expect(count).to_have_text(at)
    # The disclosure's toggle event, on which the slide is fitted again, comes a task after the attribute.
    page.wait_for_function("""() => Math.max(...[...document.querySelectorAll('main .slide:not([hidden]) *')]
        .filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect().bottom))
        <= document.querySelector('.present-controls').getBoundingClientRect().top + 0.5""", timeout=5000)
    page.keyboard.press(" ")
    expect(slide.locator("details.transcript")).not_to_have_attribute("open", "")
    # A question's reveal: Enter on its focused summary is the reveal step.
    page.locator("main").focus()
    step_to(page, ".slide-question")
    before = count.inner_text()
    page.locator("main .slide-question:visible summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main .slide-question:visible")).to_have_class(re.compile("revealed"))
    assert count.inner_text() != before
    assert page_errors == []


def test_b_and_dot_blank_the_screen_and_bring_it_back(page: Page, model: Site, reference_site: Path) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto((reference_site / model.courses[0].sequences[0].present_page.file).as_uri())
    count = page.locator(".present-count span[aria-hidden]")
    page.keyboard.press("PageDown")
    blank = page.locator(".present-blank")
    expect(blank).to_be_hidden()
    for key in ("b", "."):
        page.keyboard.press(key)
        expect(blank).to_be_visible()
        box = blank.bounding_box()
        assert box == {"x": 0, "y": 0, "width": 1024, "height": 768}
        assert page.evaluate("getComputedStyle(document.querySelector('.present-blank')).backgroundColor") == (
            "rgb(0, 0, 0)")
        expect(page.locator(".present-black")).to_have_attribute("aria-pressed", "true")
        page.keyboard.press(key)
        expect(blank).to_be_hidden()
    # A clicker's next key on a blank screen brings the slide back where it was.
    page.keyboard.press("b")
    page.keyboard.press("PageDown")
    expect(blank).to_be_hidden()
    expect(count).to_have_text(re.compile(r"^2 / "))


def _presenter_pair(context: BrowserContext, url: str) -> tuple[Page, Page]:
    projected = context.new_page()
    projected.set_viewport_size({"width": 1024, "height": 768})
    projected.goto(url)
    with projected.expect_popup() as opened:
        projected.keyboard.press("p")
    presenter = opened.value
    presenter.set_viewport_size({"width": 1280, "height": 800})
    presenter.wait_for_load_state()
    return projected, presenter


@pytest.mark.parametrize("over", ["file", "http"])
def test_the_presenter_view_follows_the_projected_one_and_shows_the_notes_and_the_time(
        browser: Browser, slides_site: Path, slides_model: Site, serve: Callable[[Path], str], over: str) -> None:
    base = slides_site.as_uri() + "/" if over == "file" else serve(slides_site)
    sequence = next(s for s in slides_model.courses[0].sequences if s.notes)
    following = slides_model.courses[0].sequences[2]
    context = browser.new_context()
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    projected, presenter = _presenter_pair(context, base + sequence.present_page.file.as_posix())
    assert presenter.url.endswith(sequence.present_page.file.as_posix() + "#presenter")
    notes = presenter.locator(".presenter-notes-text")
    shown = presenter.locator(".present-count span[aria-hidden]")
    wall = projected.locator(".present-count span[aria-hidden]")
    expect(shown).to_have_text(re.compile(r"^1 / "))
    expect(notes).to_have_text("Accueillir le groupe : tour de table des prénoms.")  # the title slide's notes
    expect(presenter.locator(".presenter-preview .slide")).to_contain_text("Chacun apporte sa dernière facture.")
    expect(presenter.locator(".presenter-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(presenter.locator(".presenter-elapsed")).to_have_text(re.compile(r"^0:0\d$"))
    assert projected.locator(".slide-notes:visible, .presenter:visible").count() == 0  # not on the wall
    # The projected view moves (a clicker plugged into the laptop): the presenter view follows.
    projected.keyboard.press("PageDown")
    expect(shown).to_have_text(re.compile(r"^2 / "))
    expect(notes).to_have_text("Prévoir des factures anonymes pour ceux qui n'en ont pas.")
    projected.keyboard.press("PageDown")
    expect(notes).to_contain_text("noter les idées au tableau")
    # And the other way: the facilitator moves from the presenter view, the wall follows.
    presenter.keyboard.press("PageDown")
    expect(wall).to_have_text(re.compile(r"^4 / "))
    expect(notes).to_have_text("Le chiffre vient de l'ADEME.")
    presenter.keyboard.press("PageDown")
    expect(presenter.locator(".presenter-notes-text")).to_have_text("Montrer l'index du doigt.")
    expect(projected.locator("main .slide-picture")).to_be_visible()
    presenter.keyboard.press("PageDown")
    expect(presenter.locator(".presenter-no-notes")).to_be_visible()
    # Blanking the wall from the presenter view: the wall goes black, the presenter view says so.
    presenter.keyboard.press("b")
    expect(projected.locator(".present-blank")).to_be_visible()
    expect(presenter.locator(".presenter-wall-blank")).to_be_visible()
    expect(presenter.locator(".presenter-notes")).to_be_visible()
    presenter.keyboard.press("b")
    expect(projected.locator(".present-blank")).to_be_hidden()
    # The wall goes on to the next sequence from its last slide: the presenter view goes with it.
    projected.keyboard.press("End")
    expect(shown).to_have_text(wall.inner_text())
    expect(presenter.locator(".presenter-last")).to_be_visible()
    projected.locator("a.slide-next").click()
    presenter.wait_for_url(re.compile(re.escape(following.present_page.file.as_posix()) + "#presenter$"))
    expect(presenter.locator(".presenter-notes")).to_be_visible()
    expect(presenter.locator(".presenter-preview .slide")).to_contain_text("Chacun dit ce qu'il a essayé")
    assert errors == []
    context.close()


def test_screenshot_of_a_projected_drawing(page: Page, model: Site, reference_site: Path, tmp_path: Path) -> None:
    """A picture for docs/AUTHORING.md; written to docs/ when MOOC_UPDATE_SCREENSHOTS=1 (make screenshots)."""
    target = ROOT / "docs" if os.environ.get("MOOC_UPDATE_SCREENSHOTS") else tmp_path
    page.set_viewport_size({"width": 1920, "height": 1080})
    sequence = model.courses[0].sequences[0]
    page.goto((reference_site / sequence.present_page.file).as_uri())
    step_to(page, ".slide-picture")
    page.locator("main .slide-picture:visible img").evaluate("image => image.decode()")
    page.screenshot(path=str(target / "projector-drawing.png"))
    assert (target / "projector-drawing.png").stat().st_size > 20_000


# --- matching, ordering, cloze, hotspot: one at a time, each fitting, its answer kept for the reveal ----------

@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "minimal", tmp_path_factory.mktemp("minimal") / "site")


# The shown slide: nothing of it past the control bar or an edge, and the page does not scroll.
FITS = r"""() => {
  const bar = document.querySelector('.present-controls').getBoundingClientRect();
  const slide = document.querySelector('main .slide:not([hidden])');
  const past = [slide, ...slide.querySelectorAll('*')].filter(element => {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || !element.checkVisibility({visibilityProperty: true})) return false;
    return box.bottom > bar.top + 0.5 || box.top < -0.5 || box.left < -0.5 || box.right > innerWidth + 0.5;
  }).map(element => element.tagName + '.' + element.getAttribute('class'));
  const page = document.documentElement;
  const scrolls = page.scrollHeight > innerHeight || page.scrollWidth > innerWidth;
  return {past: past, scrolls: scrolls, fit: parseFloat(slide.style.getPropertyValue('--fit') || '1')};
}"""


def fitted(page: Page) -> float:
    found: dict[str, Any] = page.evaluate(FITS)
    assert found["past"] == [] and not found["scrolls"], found
    return float(found["fit"])


def luminance(colour: str) -> float:
    """The relative luminance (WCAG) of #rgb or #rrggbb."""
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def grey_dots(slide: Locator) -> int:
    """The dots of the drawing's right zone (a #999 rectangle) as the screen shows it."""
    picture = Image.open(io.BytesIO(slide.locator("svg.hotspot-drawing").screenshot())).convert("RGB")
    mask = [band.point(lambda value: 255 if value == 153 else 0) for band in picture.split()]
    return sum(1 for r, g, b in zip(*(m.tobytes() for m in mask), strict=True) if r and g and b)


def test_each_new_question_type_is_projected_alone_fits_and_keeps_its_answer_for_the_reveal(
        page: Page, page_errors: list[str], minimal_site: Path) -> None:
    """At a projector's 1024x768, from file://: the matching, the ordering, the cloze and the hotspot of the minimal
    quiz, each on its own slide, lettered for a show of hands; the answer shows at the reveal step only, reached
    from the keyboard; the drawing large with its zones outlined and lettered, the right one marked then."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto((minimal_site / "demo" / "intro" / "first" / "present" / "index.html").as_uri())
    slide = page.locator("main .slide:visible")
    answer = slide.locator(".slide-answer")
    fits = []
    expected = {
        6: ("1 One 2 Two A 1 B 2", "1-A : One → 1 2-B : Two → 2"),
        7: ("A First B Third C Second", "A → C → B"),
        8: ("It is blanc 1 degrees, [cold / warm] enough.", "It is 19 (nineteen) degrees, warm enough."),
        9: ("The corner The middle", "A. The corner"),  # lettered by the list (type A)
    }
    for number, (shown, revealed) in expected.items():
        step_to(page, f'.slide-question[aria-label="Question {number} sur 9"]')
        expect(slide).to_have_count(1)  # one question at a time
        expect(slide).to_have_attribute("aria-label", f"Question {number} sur 9")
        expect(slide).not_to_have_class(re.compile("revealed"))
        expect(answer).to_be_hidden()
        assert " ".join(slide.locator(".slide-matching, .slide-lettered, .slide-cloze, .slide-zones").first
                        .inner_text().split()) == shown
        fits.append(fitted(page))
        if number == 9:
            drawing = slide.locator("svg.hotspot-drawing")
            box, area = drawing.bounding_box(), page.locator("main.slides").bounding_box()
            assert box is not None and area is not None and box["height"] > 0.5 * area["height"]  # large
            zones = drawing.locator("g.zone")
            expect(zones).to_have_count(2)
            for index in range(2):
                expect(zones.nth(index)).to_be_visible()
                expect(zones.nth(index).locator("text").first).to_have_text("AB"[index])
            expect(drawing.locator(".zone-right")).to_be_hidden()  # the right zone not marked yet
            untinted = grey_dots(slide)
            assert untinted > 2000  # the drawing's picture is there
            line = zones.first.locator("rect").nth(1)
            stroke, halo = line.get_attribute("stroke"), zones.first.locator("rect").first.get_attribute("stroke")
            assert stroke and halo and contrast(stroke, halo) >= 3 and contrast(stroke, "#eeeeee") >= 3
            assert page.evaluate("getComputedStyle(document.querySelector('main .slide:not([hidden]) .slide-zones li'),"
                                 " '::after').content") == "none"
        page.keyboard.press("ArrowRight")  # the reveal, a step of its own
        expect(slide).to_have_class(re.compile("revealed"))
        expect(slide).to_have_attribute("aria-label", f"Question {number} sur 9")
        expect(answer).to_be_visible()
        assert " ".join(answer.inner_text().split()) == revealed
        fits.append(fitted(page))
        if number == 9:
            expect(slide.locator(".zone-right")).to_be_visible()  # reversed, thick, tinted
            assert grey_dots(slide) < untinted / 4
            marks = page.evaluate("[...document.querySelectorAll('main .slide:not([hidden]) .slide-zones li')]"
                                  ".map(li => getComputedStyle(li, '::after').content)")
            assert marks == ['" ✓"', "none"]  # in words too, not by colour alone
    print(f"\n1024x768: the new types' {len(fits)} steps fit, --fit down to {min(fits):.2f}")
    assert page_errors == []


def test_axe_finds_no_violation_on_the_new_types_projected_and_in_the_sheets(
        page: Page, minimal_site: Path, tmp_path: Path) -> None:
    """axe-core (WCAG 2.1 AA) on each new type's slide, before and after its reveal, and on the bundle's
    participants' and facilitator's sheets that ask them."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`, which installs axe-core from the npm registry")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto((minimal_site / "demo" / "intro" / "first" / "present" / "index.html").as_uri())
    failures: dict[str, list[str]] = {}
    for number in range(6, 10):
        step_to(page, f'.slide-question[aria-label="Question {number} sur 9"]')
        for state in ("asked", "revealed"):
            violations = axe(page)["violations"]
            if violations:
                failures[f"question {number}, {state}"] = describe(violations)
            page.keyboard.press("ArrowRight")
    with zipfile.ZipFile(minimal_site / "demo" / "downloads" / "demo-intro.zip") as archive:
        archive.extractall(tmp_path)
    for sheet in ("participants/01-first.html", "01-first.html"):
        page.goto((tmp_path / "demo-intro" / "intro" / sheet).as_uri())
        violations = axe(page)["violations"]
        if violations:
            failures[sheet] = describe(violations)
    assert failures == {}
