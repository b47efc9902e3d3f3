"""Matching, ordering, cloze and hotspot questions as learners meet them: answered with the keys alone and with
the mouse, served and from file://, scored right, wrong and in part; an attempt shown again after a reload and
refusing change; at 320 CSS px and at 1024x768; named in the accessibility tree; zones outlined at 3:1 on any
drawing; read without JavaScript; and the README's picture of them (docs/quiz-kinds.png)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, CDPSession, Page, expect

from mooc_builder.build import check
from mooc_builder.model import Question, QuestionType, Sequence, Site

from ..conftest import FIXTURES, REFERENCE, ROOT
from .conftest import build_site
from .quizhelp import answer, answer_by_keyboard, put_in_order, submit, submit_by_keyboard, tab_to, url_of
from .test_quiz_a11y import contrast, luminance

# The minimal course's quiz: five older types (q1-q5, 6 points), then matching (q6), ordering (q7), cloze (q8)
# and hotspot (q9), a point each; here with partial credit for the first three of these.
FIRST = "demo/intro/first/index.html"
KINDS = {6: QuestionType.MATCHING, 7: QuestionType.ORDERING, 8: QuestionType.CLOZE, 9: QuestionType.HOTSPOT}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kinds") / "content"
    shutil.copytree(FIXTURES / "minimal", folder)
    quiz = folder / "courses" / "demo" / "01-intro" / "first.quiz.yml"
    text = quiz.read_text(encoding="utf-8")
    for kind in ("matching", "ordering", "cloze"):
        text = text.replace(f"  - type: {kind}\n", f"  - type: {kind}\n    partial_credit: true\n")
    quiz.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def questions(content: Path) -> dict[int, Question]:
    site, report = check(content)
    assert site is not None, [str(d) for d in report.errors]
    quiz = site.courses[0].sequences[0].quiz
    assert quiz is not None
    found = {n: quiz.questions[n - 1] for n in KINDS}
    assert {n: q.type for n, q in found.items()} == KINDS and all(found[n].partial_credit for n in (6, 7, 8))
    return found


@pytest.fixture(scope="module")
def kinds_site(content: Path) -> Path:
    return build_site(content, content.parent / "site")


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, kinds_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(kinds_site) if request.param == "http" else kinds_site.as_uri() + "/"


def fresh(page: Page, url: str) -> None:
    page.goto(url)
    page.evaluate("localStorage.clear()")
    page.reload()


def verdicts(page: Page) -> dict[int, str]:
    return {n: " ".join(page.locator(f"#q{n} .question-result").inner_text().split()) for n in KINDS}


RIGHT = {n: "✓ Bonne réponse : 1 sur 1 point" for n in KINDS}
WRONG = {n: "✗ Mauvaise réponse : 0 sur 1 point" for n in KINDS}


def order_of(page: Page, number: int) -> list[int]:
    return [int(p) for p in page.locator(f"#q{number} li[data-position]").evaluate_all(
        "items => items.map(li => li.dataset.position)")]


def test_the_four_kinds_with_the_keys_alone(page: Page, page_errors: list[str], base: str,
                                            questions: dict[int, Question]) -> None:
    """Tab, Shift+Tab, arrows on the selects, Enter on the buttons and zones, typing in a blank: no click."""
    for right in (True, False):
        fresh(page, base + FIRST)
        for number, question in questions.items():
            answer_by_keyboard(page, number, question, right)
            if number == 7 and right:
                shown = questions[7].shown_items
                assert [shown[p] for p in order_of(page, 7)] == [0, 1, 2]
                status = page.locator("#q7 .order-status")
                expect(status).to_have_text("Second\u00a0: position 2 sur 3")  # the last move, said
                assert page.evaluate("document.activeElement.id") == f"q7-up{shown.index(1)}"  # kept there
        submit_by_keyboard(page)
        total = "4 sur 10 points (40 %)" if right else "0 sur 10 points (0 %)"
        expect(page.locator("#quiz-result")).to_contain_text(f"Votre score : {total}")
        assert verdicts(page) == (RIGHT if right else WRONG)
        assert page.evaluate("document.activeElement.id") == "quiz-result"
    assert page_errors == []


def test_an_item_moved_says_where_it_went_and_keeps_the_focus(page: Page, page_errors: list[str], base: str,
                                                              questions: dict[int, Question]) -> None:
    fresh(page, base + FIRST)
    first = order_of(page, 7)[0]
    text = questions[7].items[questions[7].shown_items[first]]
    down = f"#q7-down{first}"
    tab_to(page, down)
    page.keyboard.press("Enter")
    assert order_of(page, 7)[1] == first
    expect(page.locator("#q7 .order-status")).to_have_text(f"{text}\u00a0: position 2 sur 3")
    assert page.evaluate("document.activeElement.id") == down[1:]
    page.keyboard.press("Space")  # now last: its "Move down" goes, the focus moves to its "Move up"
    assert order_of(page, 7)[2] == first
    expect(page.locator("#q7 .order-status")).to_have_text(f"{text}\u00a0: position 3 sur 3")
    assert page.evaluate("document.activeElement.id") == f"q7-up{first}"
    expect(page.locator(down)).to_be_hidden()
    page.keyboard.press("Alt+ArrowUp")  # the shortcut on either button
    page.keyboard.press("Alt+ArrowUp")
    assert order_of(page, 7)[0] == first
    expect(page.locator("#q7 .order-status")).to_have_text(f"{text}\u00a0: position 1 sur 3")
    assert page.evaluate("document.activeElement.id") == down[1:]
    page.keyboard.press("Alt+ArrowUp")  # already first: nothing moves
    assert order_of(page, 7)[0] == first
    # Without JavaScript there are no buttons; with it, one pair per item, named with the question and the item.
    expect(page.locator("#q7 button")).to_have_count(6)
    assert page_errors == []


def test_the_four_kinds_with_the_mouse(page: Page, page_errors: list[str], base: str,
                                       questions: dict[int, Question]) -> None:
    fresh(page, base + FIRST)
    # A click on the drawing outside every zone: answered "none", marked where it fell.
    page.click("#q9 .hotspot svg", position={"x": 3, "y": 3})
    expect(page.locator("#q9 .miss")).to_have_count(1)
    assert page.locator("#q9 [aria-pressed=true]").count() == 0
    assert page.locator("#q9 input[value='-1']").is_checked()
    for number, question in questions.items():
        answer(page, number, question, right=True)  # select_option, "Move up" clicks, fills, a click on a zone
    expect(page.locator("#q9 .miss")).to_have_count(0)
    expect(page.locator("#q9 [aria-pressed=true]")).to_have_count(1)
    submit(page)
    expect(page.locator("#quiz-result")).to_contain_text("Votre score : 4 sur 10 points (40 %)")
    assert verdicts(page) == RIGHT

    page.click("button.quiz-retry")
    for number, question in questions.items():
        answer(page, number, question, right=False)
    put_in_order(page, 7, questions[7], list(questions[7].shown_items))  # back as first shown: wrong
    # A wrong ordering: two items swapped back and forth by their buttons end where they were.
    before = order_of(page, 7)
    page.click(f"#q7-down{before[0]}")
    page.click(f"#q7-up{before[0]}")
    assert order_of(page, 7) == before
    page.click("#q9 .hotspot svg", position={"x": 3, "y": 3})  # a miss is a wrong answer, not none
    submit(page)
    expect(page.locator("#quiz-result")).to_contain_text("Votre score : 0 sur 10 points (0 %)")
    assert verdicts(page) == WRONG
    assert page_errors == []


def test_partial_credit_for_matching_ordering_and_cloze(page: Page, page_errors: list[str], base: str,
                                                        questions: dict[int, Question]) -> None:
    fresh(page, base + FIRST)
    options = questions[6].shown_options
    page.select_option("#q6-0", index=1 + options.index(questions[6].pairs[0].right))  # one pair of two
    put_in_order(page, 7, questions[7], [2, 0, 1])  # a run of two items of three in the right order
    page.fill("#q8-0", "nineteen")  # one blank of two
    page.click(f"#q9 [data-zone='{questions[9].shown_zones.index(1)}']")  # the wrong zone
    submit(page)
    assert verdicts(page) == {6: "◐ Réponse en partie juste : 0,5 sur 1 point",
                              7: "◐ Réponse en partie juste : 0,67 sur 1 point",
                              8: "◐ Réponse en partie juste : 0,5 sur 1 point",
                              9: "✗ Mauvaise réponse : 0 sur 1 point"}
    expect(page.locator("#quiz-result")).to_contain_text("Votre score : 1,67 sur 10 points (17 %)")
    assert page_errors == []


def test_a_stored_attempt_comes_back_after_a_reload_and_refuses_change(page: Page, page_errors: list[str],
                                                                      base: str,
                                                                      questions: dict[int, Question]) -> None:
    fresh(page, base + FIRST)
    for number, question in questions.items():
        answer(page, number, question, right=True)
    page.fill("#q8-0", "dix-neuf")  # wrong: a partial answer comes back too
    given = {"q6": [page.locator(f"#q6-{i}").input_value() for i in range(2)], "q7": order_of(page, 7),
             "q8": [page.locator("#q8-0").input_value(), page.locator("#q8-1").input_value()],
             "q9": page.locator("#q9 [aria-pressed=true]").get_attribute("data-zone")}
    submit(page)
    page.reload()
    expect(page.locator("#quiz-result")).to_contain_text("Votre score : 3,5 sur 10 points")
    assert {"q6": [page.locator(f"#q6-{i}").input_value() for i in range(2)], "q7": order_of(page, 7),
            "q8": [page.locator("#q8-0").input_value(), page.locator("#q8-1").input_value()],
            "q9": page.locator("#q9 [aria-pressed=true]").get_attribute("data-zone")} == given
    assert verdicts(page)[8] == "◐ Réponse en partie juste : 0,5 sur 1 point"
    assert verdicts(page)[9] == RIGHT[9]

    # Locked: the keys and the mouse change nothing, and the ordering's buttons are gone.
    expect(page.locator("form.quiz")).to_have_class(re.compile(r"\bquiz-locked\b"))
    expect(page.locator("#q7 button").first).to_be_hidden()
    assert page.locator("#q6-0").get_attribute("aria-disabled") == "true"
    page.locator("#q6-0").focus()
    for key in ("ArrowDown", "ArrowUp", "End", "Home", "Space"):
        page.keyboard.press(key)
    page.click("#q6-1", force=True)
    page.keyboard.press("ArrowDown")
    assert [page.locator(f"#q6-{i}").input_value() for i in range(2)] == given["q6"]
    page.locator("#q8-1").focus()
    page.keyboard.press("ArrowDown")
    page.locator("#q8-0").press("End")
    page.keyboard.type("9")
    assert [page.locator("#q8-0").input_value(), page.locator("#q8-1").input_value()] == given["q8"]
    other = str(1 - int(given["q9"] or 0))
    page.click(f"#q9 [data-zone='{other}']", force=True)
    page.locator(f"#q9 [data-zone='{other}']").press("Enter")
    page.click("#q9 .hotspot svg", position={"x": 3, "y": 3}, force=True)
    assert page.locator("#q9 [aria-pressed=true]").get_attribute("data-zone") == given["q9"]
    expect(page.locator("#q9 .miss")).to_have_count(0)

    # Tried again: everything moves again.
    page.click("button.quiz-retry")
    expect(page.locator(f"#q7-down{given['q7'][0]}")).to_be_visible()
    page.click(f"#q9 [data-zone='{other}']")
    assert page.locator("#q9 [aria-pressed=true]").get_attribute("data-zone") == other
    page.locator("#q6-0").focus()
    page.keyboard.press("Home")
    assert page.locator("#q6-0").input_value() == ""
    assert page_errors == []


@pytest.mark.parametrize("width,height", [(320, 640), (1024, 768)])
def test_the_new_controls_fit_the_width_and_the_zones_follow_the_drawing(
        page: Page, page_errors: list[str], base: str, questions: dict[int, Question], width: int,
        height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    fresh(page, base + FIRST)
    for number, question in questions.items():
        answer(page, number, question, right=True)  # the click on the zone lands where the zone is drawn
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("#q6-0", "#q6-1", "#q7 li[data-position]", "#q8 .cloze", "#q9 .hotspot"):
        for box in (page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())):
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box)
    drawing, overlay = page.locator("#q9 img").bounding_box(), page.locator("#q9 svg").bounding_box()
    assert drawing is not None and overlay is not None
    assert all(abs(drawing[k] - overlay[k]) < 1 for k in ("x", "y", "width", "height")), (drawing, overlay)
    assert drawing["width"] > min(200, width / 2)  # a small drawing is drawn large enough to aim at
    submit(page)
    expect(page.locator("#quiz-result")).to_contain_text("4 sur 10 points")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page_errors == []


def ax_node(cdp: CDPSession, page: Page, selector: str) -> dict[str, Any]:
    """The role, name, description and states of the element ``selector`` names, from Chromium's tree."""
    assert page.locator(selector).count() == 1, selector
    target = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector({selector!r})"})
    nodes = cdp.send("Accessibility.getPartialAXTree", {"objectId": target["result"]["objectId"],
                                                         "fetchRelatives": False})["nodes"]
    node = next(n for n in nodes if not n.get("ignored"))
    found: dict[str, Any] = {key: " ".join(str(node.get(key, {}).get("value", "")).split())
                             for key in ("role", "name", "description")}
    found |= {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
    return found


def test_each_new_control_is_named_with_its_question_and_told_its_verdict(
        page: Page, page_errors: list[str], base: str, questions: dict[int, Question]) -> None:
    fresh(page, base + FIRST)
    cdp = page.context.new_cdp_session(page)
    items = questions[7].items
    shown = {p: items[r] for p, r in enumerate(questions[7].shown_items)}
    expected = {
        "#q6-0": ("combobox", "Question 6 : Match them. — One"),
        "#q6-1": ("combobox", "Question 6 : Match them. — Two"),
        "#q8-0": ("textbox", "Question 8 : Fill in. — trou 1 sur 2"),
        "#q8-1": ("combobox", "Question 8 : Fill in. — trou 2 sur 2"),
        "#q9 [data-zone='0']": ("button", "Question 9 : Where? — The corner"),
        "#q9 [data-zone='1']": ("button", "Question 9 : Where? — The middle"),
        **{f"#q7-up{p}": ("button", f"Question 7 : In order? — Monter : {text}") for p, text in shown.items()},
        **{f"#q7-down{p}": ("button", f"Question 7 : In order? — Descendre : {text}") for p, text in shown.items()},
    }
    for selector, (role, name) in expected.items():
        if not page.locator(selector).is_visible():  # the first item's "Move up", the last's "Move down"
            continue
        node = ax_node(cdp, page, selector)
        assert (node["role"], node["name"]) == (role, name), (selector, node)
    zone = ax_node(cdp, page, "#q9 [data-zone='0']")
    assert zone["pressed"] == "false" and zone.get("focusable") is True, zone
    # The zones' order and names do not tell the right one: drawn in the order shown, named by their labels.
    assert page.locator("#q9 svg").inner_html().count("data-zone") == 2
    assert "correct" not in page.locator("#q9").inner_html().lower()
    page.click("#q9 [data-zone='0']")
    assert ax_node(cdp, page, "#q9 [data-zone='0']")["pressed"] == "true"
    page.select_option("#q6-0", index=1)  # q6 partly right, q7 as shown (wrong), q8 blank, q9 right
    submit(page)
    told = {"#q6": "Réponse en partie juste", "#q6-0": "Réponse en partie juste", "#q7": "Mauvaise réponse",
            "#q8": "Pas de réponse", "#q8-1": "Pas de réponse", "#q9": "Bonne réponse",
            "#q9 [data-zone='0']": "Bonne réponse"}
    for selector, verdict in told.items():
        assert verdict in ax_node(cdp, page, selector)["description"], selector
    assert page_errors == []


def test_zone_outlines_stand_out_on_any_drawing_and_the_picked_one_by_more_than_colour(
        page: Page, base: str) -> None:
    fresh(page, base + FIRST)
    page.click("#q9 [data-zone='1']")
    page.mouse.move(0, 0)
    styles = page.evaluate("""() => Array.from(document.querySelectorAll('#q9 svg > *')).map(e => {
        const s = getComputedStyle(e);
        return {zone: e.getAttribute('data-zone'), halo: e.classList.contains('halo'), stroke: s.stroke,
                width: parseFloat(s.strokeWidth), dash: s.strokeDasharray, effect: s.vectorEffect}; })""")

    def rgb(text: str) -> tuple[float, float, float]:
        r, g, b = (float(v) for v in text[text.index("(") + 1:text.index(")")].split(",")[:3])
        return (r, g, b)

    zones = {s["zone"]: s for s in styles if s["zone"] is not None}
    halos = [s for s in styles if s["halo"]]
    assert len(halos) == len(zones) == 2
    line, halo = rgb(zones["0"]["stroke"]), rgb(halos[0]["stroke"])
    # Each outline is a dark line on a light halo wider than it: against any colour of drawing one of the two
    # stands at 3:1 at least (between them too), measured over greys from black to white and the drawing's own.
    drawing = [(0x99, 0x99, 0x99), (0xCC, 0xCC, 0xCC), (0xEE, 0xEE, 0xEE)]
    greys = [(v, v, v) for v in range(0, 256, 5)]
    worst = min(max(contrast(line, b), contrast(halo, b)) for b in greys + drawing)
    print(f"\nzone outline {line} on halo {halo}: {contrast(line, halo):.1f}:1; worst on any grey {worst:.1f}:1")
    assert contrast(line, halo) >= 3 and worst >= 3
    assert luminance(line) < 0.2 < luminance(halo)
    for s in halos:
        assert s["width"] >= zones["1"]["width"] + 2 and s["effect"] == "non-scaling-stroke"
    # The picked zone: thicker and dashed, not only another colour.
    assert zones["1"]["width"] > zones["0"]["width"] and zones["1"]["dash"] not in ("", "none")
    assert zones["0"]["dash"] in ("", "none")


def test_without_javascript_the_new_kinds_still_ask_and_answer(browser: Browser, kinds_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(kinds_site.as_uri() + "/" + FIRST)
    expect(page.locator("#q9 .zone-list input[type=radio]")).to_have_count(2)
    expect(page.locator("#q9 .zone-list")).to_be_visible()
    assert page.locator("#q9 svg").get_attribute("aria-hidden") == "true"
    expect(page.locator("#q7 button")).to_have_count(0)
    expect(page.locator("#q7 ol.order li")).to_have_count(3)
    page.select_option("#q6-0", index=2)  # usable: inputs to think with
    for number in KINDS:
        page.locator(f"#q{number} details.answer summary").click()
    answers = {n: " ".join(page.locator(f"#q{n} details.answer").inner_text().split()) for n in KINDS}
    assert "One : 1" in answers[6] and "Two : 2" in answers[6]
    assert answers[7].endswith("First Second Third")
    assert "It is 19 / nineteen degrees, warm enough." in answers[8]
    assert answers[9].endswith("The corner")
    context.close()


def test_screenshot_of_the_four_kinds_answered_and_scored(page: Page, reference_site: Path,
                                                          tmp_path: Path) -> None:
    """docs/quiz-kinds.png for the README: the last question of four reference quizzes, one of each new kind,
    answered (the ordering in part) and scored; written to docs/ when MOOC_UPDATE_SCREENSHOTS=1."""
    target = ROOT / "docs" if os.environ.get("MOOC_UPDATE_SCREENSHOTS") else tmp_path
    site, _ = check(REFERENCE)
    assert site is not None
    page.set_viewport_size({"width": 760, "height": 900})
    base = reference_site.as_uri() + "/"
    shots: list[Image.Image] = []
    for kind in (QuestionType.MATCHING, QuestionType.ORDERING, QuestionType.CLOZE, QuestionType.HOTSPOT):
        sequence = next(s for s in all_sequences(site) if s.quiz and s.quiz.questions[-1].type is kind)
        assert sequence.quiz is not None
        number, question = len(sequence.quiz.questions), sequence.quiz.questions[-1]
        fresh(page, url_of(base, sequence))
        if kind is QuestionType.ORDERING:
            put_in_order(page, number, question, [0, 1, 3, 4, 2][:len(question.items)])
        else:
            answer(page, number, question, right=True)
        submit(page)
        page.locator(f"#q{number} details.answer").evaluate("e => e.open = false")
        shots.append(Image.open(BytesIO(page.locator(f"#q{number}").screenshot())).convert("RGB"))
    width = max(s.width for s in shots)
    sheet = Image.new("RGB", (width, sum(s.height for s in shots) + 16 * (len(shots) - 1)), "white")
    top = 0
    for shot in shots:
        sheet.paste(shot, (0, top))
        top += shot.height + 16
    sheet.save(target / "quiz-kinds.png", optimize=True)
    assert (target / "quiz-kinds.png").stat().st_size > 10_000


def all_sequences(site: Site) -> list[Sequence]:
    return [s for c in site.courses for s in c.sequences]
