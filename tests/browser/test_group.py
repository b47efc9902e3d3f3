"""Group sessions and embedding: the projector view with the keyboard, and an embed in another page's iframe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mooc_builder.build import check
from mooc_builder.model import Site

from ..conftest import REFERENCE


def model() -> Site:
    site, _ = check(REFERENCE)
    assert site is not None
    return site


def test_projector_steps_with_keys_and_reveals_answers(page: Page, page_errors: list[str], reference_base: str) -> None:
    site = model()
    course = site.courses[0]
    module = course.modules[0]
    questions = sum(len(s.quiz.questions) for s in module.sequences if s.quiz)
    page.add_init_script("""Element.prototype.requestFullscreen = function () {
        window.fullscreenAsked = (window.fullscreenAsked || 0) + 1; return Promise.resolve(); };""")
    page.goto(reference_base + module.present_page.file.as_posix())
    slides = page.locator("main .slide")
    total = slides.count()
    assert total == page.locator(".slide-question").count() + (total - questions)
    steps = total + questions  # each question has a reveal step
    counter = page.locator(".present-count span[aria-hidden]")  # the visible part; its sentence is for readers
    expect(counter).to_have_text(f"1 / {steps}")
    assert page.locator("main .slide:visible").count() == 1
    expect(page.locator("main .slide:visible h1")).to_have_text(module.title)
    seen_question = False
    for step in range(2, steps + 1):
        page.keyboard.press(["ArrowRight", "PageDown", "ArrowDown", " "][step % 4])
        expect(counter).to_have_text(f"{step} / {steps}")
        visible = page.locator("main .slide:visible")
        assert visible.count() == 1
        if "slide-question" in (visible.get_attribute("class") or ""):
            details = visible.locator("details.reveal")
            if details.get_attribute("open") is not None:
                seen_question = True
                assert "revealed" in (visible.get_attribute("class") or "")
                expect(visible.locator(".slide-answer")).to_be_visible()
    assert seen_question
    page.keyboard.press("PageUp")
    expect(counter).to_have_text(f"{steps - 1} / {steps}")
    page.keyboard.press("Home")
    expect(counter).to_have_text(f"1 / {steps}")
    page.keyboard.press("End")
    expect(counter).to_have_text(f"{steps} / {steps}")
    page.keyboard.press("f")
    assert page.evaluate("window.fullscreenAsked") == 1
    assert page.locator("form, input[type=radio]").count() == 0  # no scoring in a show of hands
    assert page_errors == []


def test_projector_without_javascript_shows_every_slide(browser: object, reference_site: Path) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sequence = next(s for s in model().courses[0].sequences if s.quiz)
    page.goto(reference_site.as_uri() + "/" + sequence.present_page.file.as_posix())
    assert page.locator("main .slide:visible").count() == page.locator("main .slide").count() > 2
    context.close()


@pytest.mark.parametrize("where", ["root", "subfolder"])
def test_embed_code_pasted_into_another_site_loads_and_sizes_itself(
        page: Page, page_errors: list[str], reference_served: str, reference_in_subfolder: str,
        serve: Callable[[Path], str], tmp_path: Path, where: str) -> None:
    """The code copied from a sequence page, pasted as it is into a page of another origin (another port): its
    address is the embedded page's full one, from where the site is served, not the public host of the
    reference's base_url (a residence's local copy)."""
    site = model()
    sequence = next(s for s in site.courses[0].sequences if s.quiz and s.videos)
    base = reference_served if where == "root" else reference_in_subfolder
    page.goto(base + sequence.page.file.as_posix())
    page.locator("details.trainer-tools summary").click()
    snippet = page.input_value("#embed-code")
    assert f'src="{base}{sequence.embed_page.file.as_posix()}"' in snippet
    assert page.locator(".embed-note-file").is_hidden()
    quiz_snippet = page.input_value("#embed-quiz-code")
    assert f'src="{base}{sequence.quiz_embed_page.file.as_posix()}"' in quiz_snippet
    host = tmp_path / "host"
    host.mkdir()
    (host / "index.html").write_text(
        "<!DOCTYPE html><html lang=fr><title>Formation</title><h1>Notre formation</h1>"
        "<script>window.heights=[];addEventListener('message',function(e){if(e.data&&e.data.type==='mooc:height')"
        "window.heights.push(e.data.height);});</script>" + snippet, encoding="utf-8")
    host_base = serve(host)
    assert host_base.split("/")[2] != base.split("/")[2]  # another origin
    statuses: dict[str, int] = {}
    page.on("response", lambda response: statuses.setdefault(response.url, response.status))
    page.goto(host_base + "index.html")
    page.wait_for_function("window.heights.length > 0")
    frame_element = page.locator("iframe")
    page.wait_for_function("document.querySelector('iframe').height > 600")
    reported = page.evaluate("window.heights[window.heights.length - 1]")
    assert int(frame_element.get_attribute("height") or 0) == reported
    assert statuses[base + sequence.embed_page.file.as_posix()] == 200
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text(sequence.title)
    assert frame.locator(".site-header, .breadcrumb, .site-footer, nav").count() == 0
    source = frame.locator(".embed-source a")
    expect(source).to_have_text(site.courses[0].title)
    assert (source.get_attribute("href") or "").endswith("index.html")
    expect(frame.locator("form.quiz button[type=submit]")).to_be_visible()
    frame.locator("form.quiz button[type=submit]").click()
    frame.locator("#quiz-confirm button.quiz-confirm-yes").click()  # nothing answered: the page asks first
    expect(frame.locator(".quiz-result")).to_contain_text("Votre score : 0 sur")
    assert page_errors == []


def test_over_file_the_embed_code_says_where_it_works(page: Page, reference_site: Path) -> None:
    sequence = next(s for s in model().courses[0].sequences if s.quiz)
    page.goto(reference_site.as_uri() + "/" + sequence.page.file.as_posix())
    page.locator("details.trainer-tools summary").click()
    expect(page.locator(".embed-note-file")).to_contain_text("une fois le site en ligne ou sur un serveur local")
    # As built, the public address (base_url): a file:// address would load in no other site.
    assert f'src="{model().base_url}/{sequence.embed_page.file.as_posix()}"' in page.input_value("#embed-code")


def test_quiz_embed_and_no_frame_ban(page: Page, reference_served: str) -> None:
    sequence = next(s for s in model().courses[0].sequences if s.quiz)
    response = page.goto(reference_served + sequence.quiz_embed_page.file.as_posix())
    assert response is not None and "x-frame-options" not in response.headers
    assert "frame-ancestors" not in (response.headers.get("content-security-policy") or "")
    assert page.locator("form.quiz").count() == 1
    assert page.locator("h1").get_attribute("class") == "visually-hidden"
    assert page.locator("fieldset.question").count() == len(sequence.quiz.questions if sequence.quiz else [])
