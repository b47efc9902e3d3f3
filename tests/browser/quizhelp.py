"""Answering quiz questions in a page from what the model says is right or wrong."""

from __future__ import annotations

from playwright.sync_api import Frame, Page

from mooc_builder.model import Course, Question, QuestionType, Sequence, Site, shown_blank_options


def url_of(base: str, sequence: Sequence) -> str:
    return base + sequence.page.file.as_posix()


def sequences_with_quiz(site: Site) -> list[tuple[Course, Sequence]]:
    return [(c, s) for c in site.courses for s in c.sequences if s.quiz is not None]


def answer(page: Page | Frame, number: int, question: Question, right: bool) -> None:
    """Fill question ``number`` (1-based) of the quiz on ``page``, rightly or wrongly."""
    q = f"#q{number}"
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        picks = [i for i, c in enumerate(question.choices) if c.correct == right]
        if kind is QuestionType.SINGLE:
            picks = picks[:1]
        for index in picks:
            page.check(f"{q}-{index}")
    elif kind is QuestionType.TRUE_FALSE:
        value = question.answer_bool if right else not question.answer_bool
        page.check(f"{q}-{'true' if value else 'false'}")
    elif kind is QuestionType.TEXT:
        page.fill(f"{q}-answer", question.answers[0].upper() if right else "zzz")
    elif kind is QuestionType.MATCHING:
        options = question.shown_options
        for i, pair in enumerate(question.pairs):
            k = options.index(pair.right)
            # Wrong: every left side gets the option after its own, so no pair is right (no partial credit). By
            # index: Playwright matches a value against labels too ("1" is the label of the option of value 0).
            page.select_option(f"{q}-{i}", index=1 + (k if right else (k + 1) % len(options)))
    elif kind is QuestionType.ORDERING:
        if right:
            put_in_order(page, number, question, list(range(len(question.items))))
        # Wrong: as first shown, no two items side by side in their right order (model/questions.py), so
        # not even partial credit.
    elif kind is QuestionType.CLOZE:
        for i, blank in enumerate(question.blanks):
            if blank.select:
                page.select_option(f"{q}-{i}", index=1 + shown_blank_options(blank).index(0 if right else 1))
            else:
                page.fill(f"{q}-{i}", blank.answers[0].upper() if right else "zzz")
    elif kind is QuestionType.HOTSPOT:
        zones = [k for k, written in enumerate(question.shown_zones) if question.zones[written].correct == right]
        if zones:
            page.click(f"{q} [data-zone='{zones[0]}']")
        else:  # every zone is right: a click outside them all
            page.click(f"{q} .hotspot svg", position={"x": 1, "y": 1})
    else:
        assert question.answer_number is not None
        value = question.answer_number if right else question.answer_number + question.tolerance + 1000
        page.fill(f"{q}-answer", f"{value:g}".replace(".", ","))


def put_in_order(page: Page | Frame, number: int, question: Question, ranks: list[int]) -> None:
    """Move the items of ordering question ``number`` with their "Move up" buttons until they stand in the
    order ``ranks`` (indexes in the right order: ``[0, 1, ...]`` is the right order)."""
    shown = question.shown_items
    for target, rank in enumerate(ranks):
        position = shown.index(rank)
        item = page.locator(f"#q{number} li[data-position='{position}']")
        now = page.locator(f"#q{number} li[data-position]").evaluate_all(
            f"(items) => items.findIndex((li) => li.dataset.position === '{position}')")
        for _ in range(now - target):
            item.locator("button.up").click()


def tab_to(page: Page, selector: str, limit: int = 300) -> None:
    """Move the focus with Tab (Shift+Tab when ``selector`` is before the focus) until it is on ``selector``."""
    back = page.evaluate("""s => { const target = document.querySelector(s), now = document.activeElement;
        return !!(now && target && now.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING); }""",
                         selector)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def answer_by_keyboard(page: Page, number: int, question: Question, right: bool) -> None:
    """Fill matching, ordering, cloze or hotspot question ``number`` with the keys alone: Tab (and Shift+Tab),
    arrows on a select, Enter on a button or a zone, typing in a blank."""
    q = f"#q{number}"

    def choose(selector: str, position: int) -> None:  # a closed select: Home, then one arrow per option
        tab_to(page, selector)
        page.keyboard.press("Home")
        for _ in range(position + 1):
            page.keyboard.press("ArrowDown")

    kind = question.type
    if kind is QuestionType.MATCHING:
        options = question.shown_options
        for i, pair in enumerate(question.pairs):
            k = options.index(pair.right)
            choose(f"{q}-{i}", k if right else (k + 1) % len(options))
    elif kind is QuestionType.ORDERING:
        if right:
            shown = question.shown_items
            for target in range(len(shown)):
                position = shown.index(target)
                now = page.locator(f"{q} li[data-position]").evaluate_all(
                    f"(items) => items.findIndex((li) => li.dataset.position === '{position}')")
                if now > target:
                    tab_to(page, f"{q} li[data-position='{position}'] button.up")
                    for _ in range(now - target):
                        page.keyboard.press("Enter")
    elif kind is QuestionType.CLOZE:
        for i, blank in enumerate(question.blanks):
            if blank.select:
                choose(f"{q}-{i}", shown_blank_options(blank).index(0 if right else 1))
            else:
                tab_to(page, f"{q}-{i}")
                page.keyboard.type(blank.answers[0] if right else "zzz")
    elif kind is QuestionType.HOTSPOT:
        zones = [k for k, written in enumerate(question.shown_zones) if question.zones[written].correct == right]
        tab_to(page, f"{q} [data-zone='{zones[0]}']")
        page.keyboard.press("Enter")
    else:
        raise AssertionError(f"answer_by_keyboard does not answer {kind}")


def submit_by_keyboard(page: Page) -> None:
    """Tab to the submit button, Enter; when questions are left blank, Tab to "Submit anyway", Enter."""
    tab_to(page, "form.quiz button[type=submit]")
    page.keyboard.press("Enter")
    if page.locator("#quiz-confirm").is_visible():
        tab_to(page, "#quiz-confirm .quiz-confirm-yes")
        page.keyboard.press("Enter")


def submit(page: Page | Frame) -> None:
    """Submit the quiz on ``page`` as it is, confirming when questions are left blank (the page asks first)."""
    page.click("form.quiz button[type=submit]")
    confirm = page.locator("#quiz-confirm")
    if confirm.is_visible():
        confirm.locator("button.quiz-confirm-yes").click()
