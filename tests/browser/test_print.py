"""Printing site pages in Chromium: A4 portrait pages, the certificate alone on one A4 landscape page; on paper no
web-only control, the transcripts in full, a video as its poster and title, a quiz as its questions only, links
as their text. PDFs from Chromium's own print path (page.pdf), read back with pypdf."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from mooc_builder.build import check
from mooc_builder.model import Course, Sequence, Site
from mooc_builder.text import plain_text

from ..conftest import REFERENCE


@pytest.fixture(scope="module")
def model() -> Site:
    site, report = check(REFERENCE)
    assert site is not None, [str(d) for d in report.errors]
    return site


def flat(text: str) -> str:
    return " ".join(text.split())


def with_video(site: Site) -> tuple[Course, Sequence]:
    """A sequence with a local video, its poster and transcript, documents and a discussion prompt."""
    return next((c, s) for c in site.courses for s in c.sequences
                if any(v.is_local and v.poster and v.transcript_html for v in s.videos) and s.resources
                and s.discussion_html and c.forum)


def with_quiz(site: Site) -> tuple[Course, Sequence]:
    """A sequence whose quiz has every kind of answer: choices, true or false, text."""
    return next((c, s) for c in site.courses for s in c.sequences if s.quiz is not None
                and {q.type.value for q in s.quiz.questions} >= {"single", "multiple", "true_false", "text"})


def printed(page: Page, url: str) -> PdfReader:
    page.goto(url)
    page.wait_for_load_state("load")
    # Pictures are lazy: loaded and decoded before the print, else Chromium may print a blank space.
    page.evaluate("Promise.all([...document.images].map(i => { i.loading = 'eager'; "
                  "return i.decode().catch(() => {}); }))")
    return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))


def sizes(reader: PdfReader) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]


def text_of(reader: PdfReader) -> str:
    """The printed text, its ligatures (ﬁ, ﬀ: Chromium's fonts) as letters."""
    return flat(unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages)))


def test_pages_print_on_a4_portrait_and_the_certificate_on_one_a4_landscape_page(page: Page, model: Site,
                                                                                 reference_served: str) -> None:
    course, video = with_video(model)
    _, quizzed = with_quiz(model)
    for target in (video, quizzed, course):
        reader = printed(page, reference_served + target.page.file.as_posix())
        assert sizes(reader) and set(sizes(reader)) == {(595, 842)}, target.page.file
    page.goto(reference_served + course.certificate_page.file.as_posix())
    # As certificate.js shows it once the pass mark is reached and the learner has typed a name.
    page.evaluate("document.querySelector('.certificate-sheet').hidden = false; "
                  "document.querySelector('.sheet-name').textContent = 'Martine Durand'")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert sizes(reader) == [(842, 595)]
    assert "Martine Durand" in text_of(reader) and flat(course.title) in text_of(reader)


@pytest.fixture
def print_media(page: Page) -> Iterator[Page]:
    page.emulate_media(media="print")
    yield page
    page.emulate_media(media="null")


def _hidden(page: Page, selectors: list[str]) -> list[str]:
    """The selectors of which some element shows."""
    shown = []
    for selector in selectors:
        found = page.locator(selector)
        assert found.count() > 0, f"no {selector} on {page.url}: the test looks at nothing"
        if any(found.nth(i).is_visible() for i in range(found.count())):
            shown.append(selector)
    return shown


def test_on_paper_a_sequence_shows_what_it_teaches_and_no_web_only_control(print_media: Page, model: Site,
                                                                           reference_served: str) -> None:
    page = print_media
    _course, sequence = with_video(model)
    page.goto(reference_served + sequence.page.file.as_posix())
    assert _hidden(page, ["video", ".video-download", ".trainer-tools", ".forum-link", ".course-links", ".pager",
                          ".module-nav", ".site-header", ".breadcrumb", "textarea"]) == []
    assert page.locator(".video-poster").first.is_visible()  # the video as its poster and title
    assert page.locator(".video-title").first.is_visible()
    transcript = page.locator("details.transcript p").last
    assert transcript.is_visible()  # a closed transcript, in full
    assert page.locator("details.transcript").first.get_attribute("open") is None
    assert page.locator(".resources li").first.is_visible()  # the documents, named
    link = page.locator(".body a[href]").first
    style = link.evaluate("a => [getComputedStyle(a).textDecorationLine, getComputedStyle(a).color, "
                          "getComputedStyle(a.closest('.body')).color, getComputedStyle(a, '::after').content]")
    assert style[0] == "none" and style[1] == style[2] and style[3] in ("none", "normal")  # a site link: its text
    external = page.locator("main a[href^='http']:not([rel~='license'])").first
    assert "(http" in external.evaluate("a => getComputedStyle(a, '::after').content")  # another site: its address
    # What Chromium prints (page.pdf, with print media): the transcript, the poster, no control.
    page.emulate_media(media="null")
    reader = printed(page, reference_served + sequence.page.file.as_posix())
    text = text_of(reader)
    transcript_text = flat(plain_text(next(v.transcript_html for v in sequence.videos if v.transcript_html)))
    assert transcript_text[-80:] in text
    assert sum(len(p.images) for p in reader.pages) >= 1
    for control in ("Télécharger", "Intégrer cette séquence", "Répondre sur le forum", "Ma progression",
                    "Mode projection", "Rechercher"):
        assert control not in text, control


def test_on_paper_a_quiz_is_its_questions_only(print_media: Page, model: Site, reference_served: str) -> None:
    page = print_media
    _course, sequence = with_quiz(model)
    assert sequence.quiz is not None
    page.goto(reference_served + sequence.page.file.as_posix())
    assert _hidden(page, ["form.quiz input", "form.quiz button", "details.answer", ".answer-field"]) == []
    for number, question in enumerate(sequence.quiz.questions, start=1):
        assert page.locator(f"#q{number} legend").is_visible()
        assert page.locator(f"#q{number}-prompt").is_visible()
        if question.choices:
            assert page.locator(f"#q{number} .choices label").first.is_visible()
    page.emulate_media(media="null")
    text = text_of(printed(page, reference_served + sequence.page.file.as_posix()))
    for question in sequence.quiz.questions:
        assert flat(plain_text(question.prompt_html)) in text
        if question.explanation_html:
            assert flat(plain_text(question.explanation_html)) not in text
        for choice in question.choices:
            if choice.feedback_html:
                assert flat(plain_text(choice.feedback_html)) not in text
        for accepted in question.answers:
            if accepted not in sequence.body_text:  # else the text itself says it
                assert accepted not in text
    for control in ("Voir la réponse", "Valider mes réponses", "Votre réponse", "Réponses acceptées"):
        assert control not in text, control


def test_on_paper_a_course_page_has_no_link_to_click(print_media: Page, model: Site, reference_served: str) -> None:
    page = print_media
    course = next(c for c in model.courses if c.sessions)
    page.goto(reference_served + course.page.file.as_posix())
    assert _hidden(page, [".course-links", ".search-form", ".share", ".calendar-link"]) == []
    assert page.locator("h1").is_visible() and page.locator(".module-summary").first.is_visible()


def test_print_js_opens_the_closed_transcripts_for_a_print_and_closes_them_after(page: Page, model: Site,
                                                                                 reference_served: str) -> None:
    """For browsers that print a closed <details> closed and know no ::details-content."""
    _course, sequence = with_video(model)
    page.goto(reference_served + sequence.page.file.as_posix())
    page.wait_for_load_state("load")
    opened = "() => [...document.querySelectorAll('details')].map(d => d.className + (d.open ? ':open' : ''))"
    before = page.evaluate(opened)
    assert "transcript" in before and not any(state.endswith(":open") for state in before)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    during = page.evaluate(opened)
    assert "transcript:open" in during and "trainer-tools" in during  # the trainers' tools stay closed
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(opened) == before
