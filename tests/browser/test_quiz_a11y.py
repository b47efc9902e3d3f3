"""A quiz as a screen reader and a keyboard meet it: names and descriptions from Chromium's accessibility tree,
the score announced, focus after scoring, answers readable once scored, a blank submit asked first, and the
wording of counts."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import CDPSession, Page, expect

from ..conftest import ROOT
from .conftest import build_site
from .quizhelp import submit

LONG = ("Parmi les postes de la facture de charges, lequel correspond au chauffage collectif de la résidence, "
        "celui que l'on paie chaque mois avec le loyer")

# The minimal course's quiz holds every question type: single (q1), true_false (q2), text (q3), numeric (q4),
# multiple with partial credit (q5), matching (q6), ordering (q7), cloze (q8) and hotspot (q9): 10 points
# (tests/browser/test_quiz_kinds.py is about the last four). Its first prompt is made long (and rich) here, to be
# cut in the names.
PROMPTS = [LONG, "True?", "Temperature?", "How many?", "Which ones?"]
FIRST = "demo/intro/first/index.html"
SECOND = "demo/intro/second/index.html"


@pytest.fixture(scope="module")
def quiz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("a11y") / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", content)
    first = content / "courses" / "demo" / "01-intro" / "first.quiz.yml"
    first.write_text(first.read_text(encoding="utf-8").replace(
        'prompt: "Which one?"', f'prompt: "**Parmi** {LONG.removeprefix("Parmi ")} ?"'), encoding="utf-8")
    # One question worth one point, one attempt: the singulars, and the last attempt from the start.
    second = content / "courses" / "demo" / "01-intro" / "02-second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("---\n", "---\nquiz: second.quiz.yml\n", 1),
                      encoding="utf-8")
    (content / "courses" / "demo" / "01-intro" / "second.quiz.yml").write_text(
        'title: "Quiz : un essai"\nmax_attempts: 1\nquestions:\n'
        '  - type: true_false\n    prompt: "Le chauffage est collectif ?"\n    answer: yes\n', encoding="utf-8")
    return build_site(content, content.parent / "site")


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, quiz_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(quiz_site) if request.param == "http" else quiz_site.as_uri() + "/"


def fresh(page: Page, url: str) -> None:
    page.goto(url)
    page.evaluate("localStorage.clear()")
    page.reload()


def ax(cdp: CDPSession, page: Page, selector: str) -> dict[str, str]:
    """The role, computed name and computed description of the element ``selector`` names, as Chromium's
    accessibility tree gives them to a screen reader."""
    assert page.locator(selector).count() == 1, selector
    target = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector({json.dumps(selector)})"})
    nodes = cdp.send("Accessibility.getPartialAXTree", {"objectId": target["result"]["objectId"],
                                                         "fetchRelatives": False})["nodes"]
    node = next(n for n in nodes if not n.get("ignored"))

    def value(key: str) -> str:
        return str(node.get(key, {}).get("value", ""))

    return {"role": value("role"), "name": value("name"), "description": value("description")}


def squash(text: str) -> str:
    return " ".join(text.split())


def test_every_control_is_named_by_its_question(page: Page, page_errors: list[str], base: str) -> None:
    fresh(page, base + FIRST)
    cdp = page.context.new_cdp_session(page)
    controls = {1: ["#q1-0", "#q1-1"], 2: ["#q2-true", "#q2-false"], 3: ["#q3-answer"], 4: ["#q4-answer"],
                5: ["#q5-0", "#q5-1", "#q5-2"]}
    labels = {"#q1-0": "A", "#q1-1": "B", "#q2-true": "Vrai", "#q2-false": "Faux", "#q3-answer": "Votre réponse",
              "#q4-answer": "Votre réponse", "#q5-0": "A", "#q5-1": "B", "#q5-2": "C"}
    names: list[str] = []
    for number, selectors in controls.items():
        for selector in selectors:
            node = ax(cdp, page, selector)
            name = squash(node["name"])
            names.append(name)
            assert name.startswith(f"Question {number} : "), (selector, node)
            assert name.endswith(f" — {labels[selector]}"), (selector, node)
            prompt = PROMPTS[number - 1]
            if len(prompt) < 80:
                assert f"Question {number} : {prompt} — " in name, (selector, node)
            else:  # cut for the name, whole in the description
                assert name.startswith(f"Question {number} : {prompt[:40]}") and "…" in name, (selector, node)
                assert len(name) < 120, name
                assert LONG in squash(node["description"]), (selector, node)
    assert len(set(names)) == len(names), names  # two "A" choices of two questions are told apart
    page.get_by_role("radio", name="Question 2 : True? — Vrai", exact=True).check()
    page.get_by_role("textbox", name="Question 3 : Temperature? — Votre réponse", exact=True).fill("19")
    assert page_errors == []


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# The colour of an element's text as painted: its color blended, with its alpha and every ancestor's opacity,
# over the first opaque background behind it.
PAINTED = """element => {
  const rgba = text => (text.match(/[\\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
  let opacity = 1, background = null;
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    opacity *= Number(style.opacity);
    const bg = rgba(style.backgroundColor);
    if (!background && node !== element && bg[3] > 0) { background = bg; }
    if (!background && node === element && bg[3] > 0 && element.tagName === 'INPUT') { background = bg; }
  }
  background = background || [255, 255, 255, 1];
  const fg = rgba(getComputedStyle(element).color);
  const alpha = fg[3] * opacity;
  return {fg: [0, 1, 2].map(i => fg[i] * alpha + background[i] * (1 - alpha)), bg: background.slice(0, 3)};
}"""


def painted_contrast(page: Page, selector: str) -> float:
    colours: dict[str, Any] = page.locator(selector).evaluate(PAINTED)
    return contrast(tuple(colours["fg"]), tuple(colours["bg"]))


def mark_contrast(page: Page, selector: str) -> float:
    """The contrast of a checked box or radio's mark, from its pixels: its darkest one against the page."""
    from io import BytesIO

    from PIL import Image

    picture = Image.open(BytesIO(page.locator(selector).screenshot())).convert("RGB")
    width, height = picture.size
    pixels = [picture.getpixel((x, y)) for x in range(width) for y in range(height)]
    darkest = min(pixels, key=lambda p: luminance(p))  # type: ignore[arg-type]
    return contrast(darkest, (255, 255, 255))  # type: ignore[arg-type]


def answer_some(page: Page) -> None:
    """q1 right, q2 wrong, q3 left blank, q4 right, q5 half right."""
    page.check("#q1-0")
    page.check("#q2-true")
    page.fill("#q4-answer", "19")
    page.check("#q5-0")


def test_after_scoring_the_verdicts_are_told_and_the_answers_stay_readable(page: Page, page_errors: list[str],
                                                                          base: str) -> None:
    fresh(page, base + FIRST)
    answer_some(page)
    page.fill("#q3-answer", "20")  # wrong, but answered
    submit(page)  # q6, q8 and q9 left blank
    summary = page.locator("#quiz-result")
    expect(summary).to_contain_text("Votre score : 3 sur 10 points (30 %).")
    assert page.evaluate("document.activeElement.id") == "quiz-result"
    cdp = page.context.new_cdp_session(page)
    live = ax(cdp, page, "#quiz-result")
    assert live["role"] == "status" and "Votre score\u00a0: 3 sur 10 points" in live["name"] + summary.inner_text()
    # One place says the score (an ordering's own says where a moved item went, only then).
    assert page.locator("form.quiz").locator(
        ":is([role=status], [aria-live=polite], [aria-live=assertive]):not(.order-status)").count() == 1
    verdicts = {1: "Bonne réponse", 2: "Mauvaise réponse", 3: "Mauvaise réponse", 4: "Bonne réponse",
                5: "Réponse en partie juste"}
    controls = {1: "#q1-0", 2: "#q2-true", 3: "#q3-answer", 4: "#q4-answer", 5: "#q5-0"}
    for number, verdict in verdicts.items():
        for selector in (f"#q{number}", controls[number]):
            node = ax(cdp, page, selector)
            assert verdict in node["description"], (selector, node)
        assert f"Question {number}\u00a0: " in ax(cdp, page, controls[number])["name"]
    toggles = [squash(ax(cdp, page, f"#q{n} details.answer summary")["name"]) for n in range(1, 6)]
    assert toggles == [f"Voir la réponse à la question {n}" for n in range(1, 6)]

    # The answers given stay readable: text, labels and the marks of the chosen boxes at 4.5:1 at least (about
    # 1.5:1 for disabled marks).
    page.evaluate("document.activeElement.blur()")
    ratios = {selector: painted_contrast(page, selector) for selector in
              ("label[for=q1-0]", "label[for=q2-true]", "label[for=q5-0]", "#q3-answer", "#q4-answer")}
    ratios |= {selector + " mark": mark_contrast(page, selector) for selector in ("#q1-0", "#q2-true", "#q5-0")}
    print("\ncontrast of the answers given, once scored:", {k: round(v, 1) for k, v in ratios.items()})
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios
    # Nothing is disabled: read-only text and choices that refuse to change.
    assert page.locator("form.quiz input:disabled").count() == 0
    assert page.locator("#q3-answer").evaluate("e => e.readOnly")
    assert page.locator("#q1-0").get_attribute("aria-disabled") == "true"
    page.click("label[for=q1-1]", force=True)  # aria-disabled: Playwright would wait for it to be enabled
    page.click("#q5-2", force=True)
    page.locator("#q2-true").focus()
    page.keyboard.press("ArrowDown")
    assert page.locator("#q1-0").is_checked() and not page.locator("#q1-1").is_checked()
    assert not page.locator("#q5-2").is_checked()
    assert page.locator("#q2-true").is_checked() and not page.locator("#q2-false").is_checked()
    page.locator("#q3-answer").press("End")
    page.keyboard.type("9")
    assert page.locator("#q3-answer").input_value() == "20"
    assert page_errors == []


def test_after_scoring_tab_goes_from_the_score_through_each_question_in_order(page: Page, base: str) -> None:
    fresh(page, base + FIRST)
    answer_some(page)
    page.fill("#q3-answer", "19")
    submit(page)
    expect(page.locator("#quiz-result")).to_contain_text("Votre score")
    assert page.evaluate("document.activeElement.id") == "quiz-result"
    where: list[str] = []
    for _ in range(30):
        page.keyboard.press("Tab")
        where.append(page.evaluate("""() => { const e = document.activeElement;
            const q = e.closest('fieldset.question');
            return (q ? q.id + ':' : '') + (e.tagName === 'SUMMARY' ? 'toggle' : e.tagName.toLowerCase()); }"""))
        if where[-1] == "q9:toggle":
            break
    questions = [w.split(":")[0] for w in where]
    assert where[0].startswith("q1:"), where
    assert questions == sorted(questions, key=lambda q: int(q[1:])), where  # never back to an earlier question
    assert [w for w in where if w.endswith("toggle")] == [f"q{n}:toggle" for n in range(1, 10)], where
    # One stop per answer given (a select, a blank, a zone), then the toggle: no run of controls in between
    # (an ordering's buttons go once it is scored).
    assert len(where) <= 9 + 7 + 2 + 2 + 2 + 2, where  # toggles, the first five's stops, the last four's
    assert not [w for w in where if w.startswith("q7:") and w != "q7:toggle"], where


def stored(page: Page) -> Any:
    config = json.loads(page.locator("#mooc-page").text_content() or "{}")
    return json.loads(page.evaluate("k => localStorage.getItem(k)", config["key"]) or "null")


def test_a_blank_submit_asks_first_and_counts_nothing(page: Page, page_errors: list[str], base: str) -> None:
    fresh(page, base + FIRST)
    before = stored(page)
    page.click("form.quiz button[type=submit]")
    ask = page.locator("#quiz-confirm")
    expect(ask).to_be_visible()
    expect(ask).to_contain_text("8 questions sans réponse : valider quand même ?")
    assert page.evaluate("document.activeElement.id") == "quiz-confirm"
    assert "8 questions sans réponse" in ax(page.context.new_cdp_session(page), page, "#quiz-confirm")["name"]
    expect(page.locator("#quiz-result")).to_have_text("")
    expect(page.locator("#q1 .question-result")).to_be_hidden()
    assert stored(page) == before  # no attempt counted
    page.get_by_role("button", name="Revenir aux questions").click()
    expect(ask).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "q1-0"

    page.check("#q1-0")
    page.click("form.quiz button[type=submit]")
    expect(ask).to_contain_text("7 questions sans réponse")
    page.get_by_role("button", name="Revenir aux questions").click()
    assert page.evaluate("document.activeElement.id") == "q2-true"
    page.check("#q2-false")
    page.fill("#q3-answer", "19")
    page.check("#q5-0")
    page.click("form.quiz button[type=submit]")
    expect(ask).to_contain_text("4 questions sans réponse : valider quand même ?")
    assert stored(page) == before
    page.get_by_role("button", name="Valider quand même").click()
    expect(page.locator("#quiz-result")).to_contain_text("Votre score : 4 sur 10 points")
    expect(ask).to_be_hidden()
    expect(page.locator("#q4 .question-result")).to_contain_text("Pas de réponse : 0 sur 1 point")
    assert page.evaluate("document.activeElement.id") == "quiz-result"
    record = next(iter(stored(page)["quizzes"].values()))
    assert record["n"] == 1
    assert page_errors == []


def test_the_last_attempt_says_so_before_submitting(page: Page, page_errors: list[str], base: str) -> None:
    fresh(page, base + SECOND)
    warning = "Dernier essai\u00a0: vos réponses seront définitives."
    expect(page.locator("#quiz-last")).to_have_text(warning)
    expect(page.locator("#quiz-last")).to_be_visible()
    cdp = page.context.new_cdp_session(page)
    assert warning in ax(cdp, page, "form.quiz button[type=submit]")["description"]
    page.click("form.quiz button[type=submit]")
    expect(page.locator("#quiz-confirm")).to_contain_text("1 question sans réponse : valider quand même ? " + warning)
    page.get_by_role("button", name="Revenir aux questions").click()
    page.check("#q1-true")
    page.click("form.quiz button[type=submit]")
    expect(page.locator("#quiz-result")).to_contain_text("Vous avez utilisé tous vos essais.")
    expect(page.locator("#quiz-last")).to_be_hidden()
    assert page_errors == []


def test_points_still_needed_are_whole_when_every_point_is(page: Page, tmp_path: Path) -> None:
    """The minimal course without partial credit: 10 graded points, a 25 % pass mark, so 2.5 points, that is 3
    whole ones, are needed."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", content)
    quiz = content / "courses" / "demo" / "01-intro" / "first.quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("partial_credit: true", "partial_credit: false"),
                    encoding="utf-8")
    course = content / "courses" / "demo" / "course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("pass_mark: 30%", "pass_mark: 25%"), encoding="utf-8")
    site = build_site(content, tmp_path / "site")
    page.goto((site / "demo" / "progress" / "index.html").as_uri())
    expect(page.locator(".progress-summary")).to_contain_text("Encore 3 points pour atteindre le seuil.")


def test_counts_are_worded_in_the_singular_for_one(page: Page, base: str) -> None:
    fresh(page, base + SECOND)
    expect(page.locator(".quiz-meta")).to_have_text(re.compile(r"^\s*1 question · 1 point · 1 essai\s*$"))
    expect(page.locator("#q1 legend")).to_have_text("Question 1 sur 1 · 1 point")
    page.check("#q1-true")
    page.click("form.quiz button[type=submit]")
    expect(page.locator("#quiz-result")).to_contain_text("Votre score : 1 sur 1 point (100 %).")
    expect(page.locator("#q1 .question-result")).to_have_text("✓ Bonne réponse : 1 sur 1 point")
    fresh(page, base + FIRST)
    expect(page.locator(".quiz-meta")).to_have_text(re.compile(r"^\s*9 questions · 10 points\s*$"))
