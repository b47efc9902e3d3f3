"""The course plan with the learner's progress (plan.js): marks in words, a summary, "Commencer" then
"Reprendre où j'en étais" to the first unfinished sequence, and the certificate's state in whole points."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import minimal_site_with_pass_mark
from .quizhelp import submit

FIRST = "demo/intro/first/index.html"
SECOND = "demo/intro/second/index.html"


@pytest.fixture(scope="module")
def plan_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal course (3 sequences, one quiz of 6 graded points) with a 70 % pass mark: 4.2 points, so 5
    whole points are needed."""
    return minimal_site_with_pass_mark(tmp_path_factory.mktemp("plan"), "70%")


@pytest.fixture(params=["http", "file"])
def plan_base(request: pytest.FixtureRequest, plan_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(plan_site) if request.param == "http" else plan_site.as_uri() + "/"


def item(page: Page, key: str) -> str:
    return page.locator(f"li[data-sequence='{key}']").inner_text()


@pytest.mark.browser
def test_the_plan_follows_the_learner(page: Page, page_errors: list[str], plan_base: str) -> None:
    page.goto(plan_base + "demo/index.html")
    resume = page.locator("a.plan-resume")
    expect(resume).to_have_text("Commencer")
    assert resume.get_attribute("href") == "intro/first/index.html"
    expect(page.locator(".plan-summary")).to_have_text("0 séquence vue sur 3")
    # 70 % of the minimal quiz's 10 points.
    expect(page.locator(".plan-certificate")).to_have_text("Encore 7 points pour obtenir l'attestation")
    assert page.locator(".plan-mark:visible").count() == 0

    page.goto(plan_base + SECOND)  # viewed, out of order
    page.goto(plan_base + "demo/index.html")
    expect(page.locator(".plan-summary")).to_have_text("1 séquence vue sur 3")
    expect(resume).to_have_text("Reprendre où j'en étais")
    assert resume.get_attribute("href") == "intro/first/index.html"  # the first one not viewed
    assert "(vue)" in item(page, "intro/second")  # words a screen reader reads, not only a sign
    assert "(" not in item(page, "intro/first")
    expect(page.locator("[data-plan-module]").first.locator(".plan-module-mark")).to_have_text(
        "(1 séquence vue sur 2)")

    page.goto(plan_base + FIRST)
    page.check("#q1-0")  # 1 + 1 of 10 points: 5 still missing
    page.check("#q2-false")
    page.fill("#q3-answer", "faux")
    page.fill("#q4-answer", "100")
    page.check("#q5-2")
    submit(page)  # the four last questions left blank
    expect(page.locator(".quiz-result")).to_contain_text("2 sur 10")
    page.goto(plan_base + "demo/index.html")
    expect(page.locator(".plan-summary")).to_have_text("2 séquences vues sur 3")
    assert "(vue, quiz fait\u00a0: 2 / 10)" in item(page, "intro/first")
    assert resume.get_attribute("href") == "suite/third/index.html"
    expect(page.locator(".plan-certificate")).to_have_text("Encore 5 points pour obtenir l'attestation")
    expect(page.locator("[data-plan-module]").first.locator(".plan-module-mark")).to_have_text("(terminé)")

    # A module's page: its own sequences, all done.
    page.goto(plan_base + "demo/intro/index.html")
    expect(page.locator(".plan-summary")).to_have_text("2 séquences vues sur 2")
    expect(resume).to_have_text("Tout est fait : revoir depuis le début")
    assert resume.get_attribute("href") == "first/index.html"
    assert page.locator(".plan-certificate").count() == 0
    assert page_errors == []


@pytest.mark.browser
def test_without_javascript_the_plan_is_the_list_and_a_link_to_the_first_sequence(browser: Browser,
                                                                                   plan_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(plan_site.as_uri() + "/demo/index.html")
    expect(page.locator("a.plan-resume")).to_have_text("Commencer")
    assert page.locator("a.plan-resume").get_attribute("href") == "intro/first/index.html"
    expect(page.locator(".plan-summary")).to_be_hidden()
    expect(page.locator(".plan-certificate")).to_be_hidden()
    assert page.locator(".sequence-list li a").count() == 3
    context.close()


@pytest.mark.browser
def test_without_base_url_the_embed_code_takes_the_address_the_page_is_served_at(
        page: Page, plan_site: Path, serve: Callable[[Path], str]) -> None:
    """The minimal site has no base_url: the code built names the embed page relatively (a 404 once pasted
    elsewhere); served, the page puts its full address in; from a file, it says where the code works."""
    base = serve(plan_site)
    page.goto(base + FIRST)
    assert f'src="{base}demo/intro/first/embed/index.html"' in page.input_value("#embed-code")
    assert page.locator(".embed-note, .embed-note-file").evaluate_all("ps => ps.map(p => p.hidden)") == [True, True]
    page.goto(plan_site.as_uri() + "/" + FIRST)
    assert 'src="embed/index.html"' in page.input_value("#embed-code")
    assert page.locator(".embed-note, .embed-note-file").evaluate_all("ps => ps.map(p => p.hidden)") == [True, False]


@pytest.mark.browser
def test_the_progress_file_picker_speaks_the_page_language(page: Page, page_errors: list[str], plan_site: Path,
                                                          serve: Callable[[Path], str], tmp_path: Path) -> None:
    """The native picker says "Choose File / No file chosen" in the browser's language: it is out of sight,
    still the control the keyboard and screen readers reach; a French label drawn as a button opens it."""
    page.goto(serve(plan_site) + "demo/progress/index.html")
    picker = page.locator("#progress-file")
    label = page.locator("label[for=progress-file]")
    expect(label).to_be_visible()
    expect(label).to_have_text("Charger une progression depuis un fichier")
    expect(page.locator("#progress-file-name")).to_have_text("Aucun fichier choisi")
    box = picker.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    expect(picker).to_be_enabled()
    expect(page.get_by_role("button", name="Charger une progression depuis un fichier")).to_have_count(1)
    page.focus("button.progress-save")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "progress-file"
    assert label.evaluate("l => getComputedStyle(l).outlineStyle") != "none"  # the focus shows on the label

    data = page.evaluate("MoocProgress.open(MoocProgress.courseConfig()).exportFile('2017-11-20')")
    data["data"]["seen"] = {"intro/first": 1}
    saved = tmp_path / "ma-progression.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    page.once("dialog", lambda dialog: dialog.accept())
    picker.set_input_files(str(saved))
    expect(page.locator("#progress-file-name")).to_have_text("ma-progression.json")
    expect(page.locator(".progress-message")).to_contain_text("chargée")
    expect(page.locator("tr[data-sequence='intro/first'] .cell-seen")).to_contain_text("vue")
    assert page_errors == []
