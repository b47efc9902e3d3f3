"""A reference course's ZIM (`mooc export zim`) in Debian's kiwix-serve 3.3 (`-n`, on 127.0.0.1), in Chromium: a
sequence with its video playing and its captions shown, its quiz answered, the score kept after a reload, the
certificate unlocked."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from mooc_builder.build.checking import check
from mooc_builder.build.export import run_export
from mooc_builder.load.cache import LoadCache

from ..conftest import REFERENCE
from ..test_zim import AS_OF, kiwix_serve
from .quizhelp import answer, submit

COURSE = "energie-habitants"


def test_a_course_in_kiwix_serve(page: Page, page_errors: list[str], tmp_path: Path) -> None:
    result = run_export("zim", REFERENCE, COURSE, {}, tmp_path / f"{COURSE}.zim", AS_OF)
    assert result.ok and result.path is not None, result.report
    site, _report = check(REFERENCE, LoadCache())
    assert site is not None
    course = next(c for c in site.courses if c.id == COURSE)
    with_video = next(s for s in course.sequences if any(v.is_local and v.captions for v in s.videos))
    with kiwix_serve(result.path) as base:
        book = f"{base}/{result.path.stem}/"
        page.goto(book + with_video.page.file.as_posix())
        expect(page.locator("h1")).to_have_text(with_video.title)
        page.wait_for_function("""() => {
            const tracks = document.querySelector('video').textTracks;
            return tracks.length > 0 && tracks[0].mode === 'showing' && tracks[0].cues && tracks[0].cues.length > 0;
        }""", timeout=10_000)
        page.evaluate("""() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }""")
        page.wait_for_function("() => document.querySelector('video').currentTime > 0.2", timeout=10_000)

        graded = [s for s in course.sequences if s.quiz is not None and s.quiz.graded]
        for sequence in graded:
            quiz = sequence.quiz
            assert quiz is not None
            page.goto(book + sequence.page.file.as_posix())
            for number, question in enumerate(quiz.questions, start=1):
                answer(page, number, question, right=True)
            submit(page)
            expect(page.locator(".quiz-result")).to_contain_text(f"{quiz.points} sur {quiz.points} points")
        page.reload()
        last = graded[-1].quiz
        assert last is not None
        expect(page.locator(".quiz-result")).to_contain_text(f"{last.points} sur {last.points} points")
        page.goto(book + course.certificate_page.file.as_posix())
        expect(page.locator(".certificate-unlocked")).to_be_visible()
        expect(page.locator(".certificate-status-ok")).to_contain_text(
            f"{course.graded_points} des {course.graded_points} points")
    assert page_errors == []


def test_progress_carries_over_to_a_newer_dated_book(page: Page, tmp_path: Path) -> None:
    """The progress is kept under the site's and the course's names, not the file's: a newer dated book served
    beside (or instead of) the old one by the same kiwix-serve shows the learner's score."""
    result = run_export("zim", REFERENCE, COURSE, {}, tmp_path / f"{COURSE}_2017-11.zim", AS_OF)
    assert result.ok and result.path is not None, result.report
    again = run_export("zim", REFERENCE, COURSE, {}, tmp_path / f"{COURSE}_2017-12.zim", AS_OF)
    assert again.ok and again.path is not None, again.report
    newer = again.path  # another file (libzim gives it another UUID: kiwix-serve serves a copy only once)
    site, _report = check(REFERENCE, LoadCache())
    assert site is not None
    course = next(c for c in site.courses if c.id == COURSE)
    sequence = next(s for s in course.sequences if s.quiz is not None and s.quiz.graded)
    quiz = sequence.quiz
    assert quiz is not None
    with kiwix_serve(result.path, newer) as base:
        page.goto(f"{base}/{result.path.stem}/{sequence.page.file.as_posix()}")
        for number, question in enumerate(quiz.questions, start=1):
            answer(page, number, question, right=True)
        submit(page)
        expect(page.locator(".quiz-result")).to_contain_text(f"{quiz.points} sur {quiz.points} points")
        page.goto(f"{base}/{newer.stem}/{sequence.page.file.as_posix()}")
        expect(page.locator(".quiz-result")).to_contain_text(f"{quiz.points} sur {quiz.points} points")
