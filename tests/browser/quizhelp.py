"""Answering quiz questions in a page from what the model says is right or wrong."""

from __future__ import annotations

from playwright.sync_api import Frame, Page

from mooc_builder.model import Course, Question, QuestionType, Sequence, Site


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
    else:
        assert question.answer_number is not None
        value = question.answer_number if right else question.answer_number + question.tolerance + 1000
        page.fill(f"{q}-answer", f"{value:g}".replace(".", ","))


def submit(page: Page | Frame) -> None:
    """Submit the quiz on ``page`` as it is, confirming when questions are left blank (the page asks first)."""
    page.click("form.quiz button[type=submit]")
    confirm = page.locator("#quiz-confirm")
    if confirm.is_visible():
        confirm.locator("button.quiz-confirm-yes").click()
