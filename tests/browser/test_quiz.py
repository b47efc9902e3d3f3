"""Quizzes in a real browser, on the reference site served on 127.0.0.1 and opened from file://."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from mooc_builder.build import check
from mooc_builder.model import QuestionType, Site

from ..conftest import REFERENCE, ROOT
from .conftest import minimal_site_with_pass_mark
from .quizhelp import answer, answer_by_keyboard, sequences_with_quiz, submit, url_of
from .quizhelp import tab_to as quizhelp_tab_to

NEW_TYPES = (QuestionType.MATCHING, QuestionType.ORDERING, QuestionType.CLOZE, QuestionType.HOTSPOT)

CASES = json.loads((ROOT / "tests" / "fixtures" / "scoring_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def model() -> Site:
    site, report = check(REFERENCE)
    assert site is not None, [str(d) for d in report.errors]
    return site


def french_number(value: float) -> str:
    return f"{round(value, 2):g}".replace(".", ",")


def test_scoring_js_agrees_with_the_shared_cases(page: Page, reference_site: Path) -> None:
    page.goto((reference_site / "404.html").as_uri())
    page.add_script_tag(path=str(reference_site / "assets" / "js" / "scoring.js"))
    page.add_script_tag(path=str(reference_site / "assets" / "js" / "scoring-parts.js"))
    results = page.evaluate("cases => cases.map(c => window.MoocScoring.score(c.question, c.response))", CASES)
    for case, result in zip(CASES, results, strict=True):
        assert result == pytest.approx(case["expected"], abs=1e-4), case["name"]


def test_every_question_type_right_then_wrong(page: Page, page_errors: list[str], model: Site,
                                             reference_base: str) -> None:
    seen_types: set[QuestionType] = set()
    for _course, sequence in sequences_with_quiz(model):
        quiz = sequence.quiz
        assert quiz is not None
        types = {q.type for q in quiz.questions}
        if types <= seen_types:
            continue
        seen_types |= types
        for right in (True, False):
            page.goto(url_of(reference_base, sequence))
            page.evaluate("localStorage.clear()")
            page.reload()
            for number, question in enumerate(quiz.questions, start=1):
                answer(page, number, question, right)
            page.click("form.quiz button[type=submit]")
            expected_total = quiz.points if right else 0
            expect(page.locator(".quiz-result")).to_contain_text(
                f"Votre score : {expected_total} sur {quiz.points} points")
            for number, question in enumerate(quiz.questions, start=1):
                result = page.locator(f"#q{number} .question-result")
                wording = "Bonne réponse" if right else "Mauvaise réponse"
                expect(result).to_contain_text(f"{wording} : {question.points if right else 0} sur {question.points}")
                expect(page.locator(f"#q{number} details.answer")).to_have_attribute("open", "")
                if question.choices and not right and question.type is QuestionType.SINGLE:
                    wrong = next(i for i, c in enumerate(question.choices) if not c.correct)
                    if question.choices[wrong].feedback_html:
                        expect(page.locator(f"#q{number} .choice-feedback[data-choice='{wrong}']")).to_be_visible()
            if seen_types == set(QuestionType):
                break
    assert seen_types == set(QuestionType)
    assert page_errors == []


def test_partial_credit_in_the_page(page: Page, model: Site, reference_base: str) -> None:
    for _course, sequence in sequences_with_quiz(model):
        assert sequence.quiz is not None
        for number, question in enumerate(sequence.quiz.questions, start=1):
            correct = [i for i, c in enumerate(question.choices) if c.correct]
            if question.partial_credit and len(correct) >= 2:
                page.goto(url_of(reference_base, sequence))
                page.check(f"#q{number}-{correct[0]}")
                submit(page)
                earned = question.points / len(correct)
                expect(page.locator(f"#q{number} .question-result")).to_contain_text(
                    f"Réponse en partie juste : {french_number(earned)} sur {question.points}")
                return
    pytest.fail("the reference content has no partial-credit question with two correct choices")


def test_progress_survives_a_reload_and_shows_on_the_progress_page(page: Page, model: Site,
                                                                    reference_base: str) -> None:
    course, sequence = sequences_with_quiz(model)[0]
    quiz = sequence.quiz
    assert quiz is not None
    page.goto(url_of(reference_base, sequence))
    for number, question in enumerate(quiz.questions, start=1):
        answer(page, number, question, right=number == 1)
    page.click("form.quiz button[type=submit]")
    first = quiz.questions[0].points
    expect(page.locator(".quiz-result")).to_contain_text(f"{first} sur {quiz.points} points")
    page.reload()
    expect(page.locator(".quiz-result")).to_contain_text(f"{first} sur {quiz.points} points")
    expect(page.locator("#q1 .question-result")).to_contain_text("Bonne réponse")
    expect(page.locator("form.quiz button[type=submit]")).to_be_hidden()
    page.goto(reference_base + course.progress_page.file.as_posix())
    row = page.locator(f"tr[data-sequence='{'/'.join(sequence.page.path.parts[1:])}']")
    expect(row.locator(".cell-seen")).to_contain_text("vue")
    expect(row.locator(".cell-quiz")).to_contain_text("fait (essais : 1)")
    expect(row.locator(".score-value")).to_have_text(f"{first} / {quiz.points}")
    expect(page.locator(".progress-summary")).to_contain_text(f"{first} sur {course.graded_points}")


def test_retry_and_max_attempts(page: Page, model: Site, reference_base: str) -> None:
    _course, sequence = next((c, s) for c, s in sequences_with_quiz(model) if s.quiz and s.quiz.max_attempts == 2)
    assert sequence.quiz is not None
    page.goto(url_of(reference_base, sequence))
    submit(page)
    expect(page.locator(".quiz-result")).to_contain_text("Essais restants : 1.")
    page.click("button.quiz-retry")
    for number, question in enumerate(sequence.quiz.questions, start=1):
        answer(page, number, question, right=True)
    page.click("form.quiz button[type=submit]")
    expect(page.locator(".quiz-result")).to_contain_text("Vous avez utilisé tous vos essais.")
    expect(page.locator("button.quiz-retry")).to_be_hidden()
    page.reload()
    expect(page.locator(".quiz-result")).to_contain_text(f"Votre meilleur score : {sequence.quiz.points}")
    # Scored answers stay as given: not disabled (greyed, out of the tab order) but refusing any change.
    first = page.locator("#q1 input").first
    assert first.get_attribute("aria-disabled") == "true" or first.evaluate("e => e.readOnly")


def test_a_quiz_with_the_keyboard_alone(page: Page, model: Site, reference_base: str) -> None:
    _course, sequence = sequences_with_quiz(model)[0]
    quiz = sequence.quiz
    assert quiz is not None
    page.goto(url_of(reference_base, sequence))

    def tab_to(selector: str) -> None:
        quizhelp_tab_to(page, selector)

    for number, question in enumerate(quiz.questions, start=1):
        if question.type in NEW_TYPES:
            answer_by_keyboard(page, number, question, right=True)
        elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            for index, choice in enumerate(question.choices):
                if choice.correct:
                    tab_to(f"#q{number}-{index}") if question.type is QuestionType.MULTIPLE else tab_to(
                        f"#q{number} input")
                    if question.type is QuestionType.SINGLE:
                        # Arrow keys move within a radio group; Space checks the focused radio.
                        for _ in range(index):
                            page.keyboard.press("ArrowDown")
                    page.keyboard.press("Space")
        elif question.type is QuestionType.TRUE_FALSE:
            tab_to(f"#q{number} input")
            if not question.answer_bool:
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        else:
            tab_to(f"#q{number}-answer")
            value = question.answers[0] if question.type is QuestionType.TEXT else f"{question.answer_number:g}"
            page.keyboard.type(value)
    tab_to("form.quiz button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".quiz-result")).to_contain_text(f"{quiz.points} sur {quiz.points} points")
    assert page.evaluate("document.activeElement.classList.contains('quiz-result')")


def test_quiz_works_without_storage_and_says_so(browser: Browser, model: Site, reference_base: str) -> None:
    context = browser.new_context()
    context.add_init_script("""Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });""")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _course, sequence = sequences_with_quiz(model)[0]
    quiz = sequence.quiz
    assert quiz is not None
    page.goto(url_of(reference_base, sequence))
    expect(page.locator(".quiz-storage")).to_be_visible()
    for number, question in enumerate(quiz.questions, start=1):
        answer(page, number, question, right=True)
    page.click("form.quiz button[type=submit]")
    expect(page.locator(".quiz-result")).to_contain_text(f"{quiz.points} sur {quiz.points} points")
    page.reload()
    expect(page.locator(".quiz-result")).to_be_hidden()
    assert errors == []
    context.close()


@pytest.mark.parametrize("stored", [
    "not json at all {",
    json.dumps({"v": 99, "seen": {}, "quizzes": {}}),
    json.dumps({"v": 1, "seen": "nope", "quizzes": {"x": 5}}),
    "__OLD_HASH__",
])
def test_stored_data_from_an_older_build_never_crashes_the_page(page: Page, page_errors: list[str], model: Site,
                                                                reference_base: str, stored: str) -> None:
    _course, sequence = sequences_with_quiz(model)[0]
    page.goto(url_of(reference_base, sequence))
    config = json.loads(page.locator("#mooc-page").text_content() or "{}")
    key = "/".join(sequence.page.path.parts[1:])
    if stored == "__OLD_HASH__":
        stored = json.dumps({"v": 1, "seen": {}, "quizzes": {key: {"h": "0ld0ld0ld0ld", "n": 1, "best": 3, "max": 3,
                                                                  "last": [0, [1, 2], True, "x", "1"]}}})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [config["key"], stored])
    page.reload()
    expect(page.locator(".quiz-result")).to_be_hidden()
    expect(page.locator("form.quiz button[type=submit]")).to_be_visible()
    submit(page)
    expect(page.locator(".quiz-result")).to_contain_text("Votre score : 0 sur")
    assert page_errors == []


def test_no_javascript_still_shows_questions_and_answers(browser: Browser, model: Site, reference_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _course, sequence = sequences_with_quiz(model)[0]
    page.goto(url_of(reference_site.as_uri() + "/", sequence))
    assert page.locator("fieldset.question").count() == len(sequence.quiz.questions if sequence.quiz else [])
    page.locator("#q1 details.answer summary").click()
    expect(page.locator("#q1 details.answer")).to_contain_text("juste")
    context.close()


# --- pass mark and certificate ------------------------------------------------------------------

@pytest.fixture(scope="module")
def boundary_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal course with a 50 % pass mark: 10 graded points, so exactly 5 are needed."""
    return minimal_site_with_pass_mark(tmp_path_factory.mktemp("boundary"), "50%")


@pytest.fixture(params=["http", "file"])
def boundary_base(request: pytest.FixtureRequest, boundary_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(boundary_site) if request.param == "http" else boundary_site.as_uri() + "/"


def submit_first_quiz(page: Page, base: str, fill: Callable[[Page], Any]) -> None:
    page.goto(base + "demo/intro/first/index.html")
    if page.locator("button.quiz-retry").is_visible():
        page.click("button.quiz-retry")
        page.evaluate("""document.querySelectorAll('form.quiz input, form.quiz select').forEach(i => {
            if (i.type === 'radio' || i.type === 'checkbox') { i.checked = false; } else { i.value = ''; } })""")
    fill(page)
    submit(page)


def test_certificate_unlocks_exactly_at_the_pass_mark(page: Page, page_errors: list[str], boundary_base: str,
                                                      tmp_path: Path) -> None:
    page.goto(boundary_base + "demo/certificate/index.html")
    expect(page.locator(".certificate-status")).to_contain_text("Il vous manque 5 points")
    expect(page.locator(".certificate-sheet")).to_be_hidden()

    def four_points(p: Page) -> None:  # single, true/false, text, numeric: 4 of 10, just below half
        p.check("#q1-0")
        p.check("#q2-false")
        p.fill("#q3-answer", "dix-neuf")
        p.fill("#q4-answer", "19")

    submit_first_quiz(page, boundary_base, four_points)
    expect(page.locator(".quiz-result")).to_contain_text("4 sur 10 points")
    page.goto(boundary_base + "demo/certificate/index.html")
    expect(page.locator(".certificate-status")).to_contain_text("Vous avez 4 des 10 points")
    expect(page.locator(".certificate-status")).to_contain_text("Il vous manque 1 point.")  # it said "1 points"
    expect(page.locator(".certificate-unlocked")).to_be_hidden()

    def five_points(p: Page) -> None:  # and the matching question: exactly 5 of 10
        four_points(p)
        p.select_option("#q6-0", index=1)  # "1" (shown first)
        p.select_option("#q6-1", index=2)  # "2"

    submit_first_quiz(page, boundary_base, five_points)
    expect(page.locator(".quiz-result")).to_contain_text("5 sur 10 points")
    page.goto(boundary_base + "demo/certificate/index.html")
    expect(page.locator(".certificate-unlocked")).to_be_visible()
    expect(page.locator(".certificate-status-ok")).to_contain_text("5 des 10 points")
    page.fill("#learner-name", "Martine Durand")
    sheet = page.locator(".certificate-sheet")
    expect(sheet).to_contain_text("Martine Durand")
    expect(sheet).to_contain_text("Demo course")
    expect(sheet).to_contain_text("Office Demo")
    expect(sheet).to_contain_text("Funder")
    expect(sheet).to_contain_text("pas un diplôme")
    page.emulate_media(media="print")
    pdf_ready = page.locator(".certificate-sheet").bounding_box()
    assert pdf_ready is not None
    if boundary_base.startswith("http"):
        pdf = page.pdf(prefer_css_page_size=True)
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # one A4 sheet
        box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
        assert box is not None
        assert (round(float(box.group(1))), round(float(box.group(2)))) == (842, 595)  # A4 landscape, in points
    assert page_errors == []


def test_progress_file_moves_to_another_browser(browser: Browser, boundary_base: str, tmp_path: Path) -> None:
    first = browser.new_context(accept_downloads=True)
    page = first.new_page()

    def five_points(p: Page) -> None:  # the pass mark
        p.check("#q1-0")
        p.check("#q2-false")
        p.fill("#q3-answer", "19")
        p.fill("#q4-answer", "19")
        p.select_option("#q6-0", index=1)  # "1" (shown first)
        p.select_option("#q6-1", index=2)  # "2"

    submit_first_quiz(page, boundary_base, five_points)
    page.goto(boundary_base + "demo/progress/index.html")
    expect(page.locator(".progress-summary")).to_contain_text("5 sur 10")
    with page.expect_download() as info:
        page.click("button.progress-save")
    saved = tmp_path / "progress.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "mooc-progress" and data["course"] == "demo"
    first.close()

    second = browser.new_context()
    page = second.new_page()
    page.goto(boundary_base + "demo/progress/index.html")
    expect(page.locator(".progress-summary")).to_contain_text("0 sur 10")

    # A file from another course, then a damaged one: refused, nothing changes.
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({**data, "course": "another"}), encoding="utf-8")
    page.set_input_files("#progress-file", str(foreign))
    expect(page.locator(".progress-message")).to_contain_text("appartient à un autre cours")
    broken = tmp_path / "broken.json"
    bad = json.loads(json.dumps(data))
    next(iter(bad["data"]["quizzes"].values()))["best"] = "lots"
    broken.write_text(json.dumps(bad), encoding="utf-8")
    page.set_input_files("#progress-file", str(broken))
    expect(page.locator(".progress-message")).to_contain_text("abîmé : rien n'a été modifié")
    expect(page.locator(".progress-summary")).to_contain_text("0 sur 10")

    page.once("dialog", lambda dialog: dialog.accept())
    page.set_input_files("#progress-file", str(saved))
    expect(page.locator(".progress-message")).to_contain_text("chargée")
    expect(page.locator(".progress-summary")).to_contain_text("5 sur 10")
    page.goto(boundary_base + "demo/certificate/index.html")
    expect(page.locator(".certificate-unlocked")).to_be_visible()

    page.goto(boundary_base + "demo/progress/index.html")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.progress-reset")
    expect(page.locator(".progress-summary")).to_contain_text("0 sur 10")
    second.close()


def test_screenshots_of_a_scored_quiz_and_a_certificate(page: Page, model: Site, reference_site: Path,
                                                       tmp_path: Path) -> None:
    """Pictures for docs/AUTHORING.md; written to docs/ when MOOC_UPDATE_SCREENSHOTS=1 (make screenshots)."""
    target = ROOT / "docs" if os.environ.get("MOOC_UPDATE_SCREENSHOTS") else tmp_path
    base = reference_site.as_uri() + "/"
    page.set_viewport_size({"width": 760, "height": 900})
    course = model.courses[0]
    quizzed = [s for s in course.sequences if s.quiz is not None]
    for sequence in quizzed[1:]:  # every quiz of the course right but the first, to pass the mark
        assert sequence.quiz is not None
        page.goto(url_of(base, sequence))
        for number, question in enumerate(sequence.quiz.questions, start=1):
            answer(page, number, question, right=True)
        page.click("form.quiz button[type=submit]")
    first = quizzed[0]
    assert first.quiz is not None
    page.goto(url_of(base, first))
    for number, question in enumerate(first.quiz.questions, start=1):
        answer(page, number, question, right=number % 2 == 1)
    page.click("form.quiz button[type=submit]")
    page.locator("form.quiz").screenshot(path=str(target / "quiz-scored.png"))
    page.goto(base + course.certificate_page.file.as_posix())
    page.fill("#learner-name", "Martine Durand")
    page.locator(".certificate-sheet").screenshot(path=str(target / "certificate.png"))
    for name in ("quiz-scored.png", "certificate.png"):
        assert (target / name).stat().st_size > 10_000
