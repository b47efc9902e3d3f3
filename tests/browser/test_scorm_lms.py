"""SCORM packages in a real LMS runtime: scorm-again's API in a harness page, the package's SCOs in its iframe.

The harness (tests/browser/lms/) is served on 127.0.0.1 with scorm-again's browser bundles (installed by
`make test` into .tools/node_modules) and the unzipped packages. The tests answer quizzes and read back what
the package reported through the API, for SCORM 1.2 and 2004.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from mooc_builder.build import check
from mooc_builder.build.export import run_export
from mooc_builder.model import Course, Sequence, Site

from ..conftest import FIXTURES, REFERENCE, ROOT
from .conftest import AS_OF
from .quizhelp import answer

SCORM_AGAIN = ROOT / ".tools" / "node_modules" / "scorm-again" / "dist"
HARNESS = Path(__file__).resolve().parent / "lms"
ADAPTER = ROOT / "themes" / "default" / "static" / "js" / "scorm.js"
VERSIONS = ["1.2", "2004"]
EDGE_POINTS = 6  # the minimal fixture's quiz: 1 + 1 + 1 + 1 + 2 points


@dataclass(frozen=True)
class Lms:
    base: str  # the harness's folder, served
    site: Site  # the reference model
    edge: Site  # the minimal fixture with a 50 % pass mark


def model(content: Path) -> Site:
    site, report = check(content)
    assert site is not None, [str(d) for d in report.errors]
    return site


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Lms:
    if not (SCORM_AGAIN / "scorm12.js").is_file() or not (SCORM_AGAIN / "scorm2004.js").is_file():
        pytest.fail(f"scorm-again is missing from {SCORM_AGAIN}; run `make test` (or `make tools-npm`) to install it")
    root = tmp_path_factory.mktemp("lms")
    shutil.copy(HARNESS / "harness.html", root)
    shutil.copy(HARNESS / "harness.js", root)
    (root / "scorm-again").mkdir()
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / "scorm-again")
    edge_content = tmp_path_factory.mktemp("edge") / "content"
    shutil.copytree(FIXTURES / "minimal", edge_content)
    course_yml = edge_content / "courses" / "demo" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace("pass_mark: 30%", "pass_mark: 50%"),
                          encoding="utf-8")
    for name, content, course_id in (("ref", REFERENCE, "energie-habitants"), ("edge", edge_content, "demo")):
        for version in VERSIONS:
            target = root / f"{name}-{version}.zip"
            result = run_export("scorm", content, course_id, {"version": version}, target, AS_OF)
            assert result.ok, [str(d) for d in result.report.errors]
            with zipfile.ZipFile(target) as archive:
                archive.extractall(root / f"{name}-{version}")
    return Lms(serve(root), model(REFERENCE), model(edge_content))


def graded_sequence(site: Site) -> tuple[Course, Sequence]:
    return next((c, s) for c in site.courses for s in c.sequences if s.quiz is not None and s.quiz.graded)


def launch(page: Page, lms: Lms, package: str, version: str, sequence: Sequence,
           saved: dict[str, Any] | None = None) -> Frame:
    """Start a fresh LMS API (with ``saved`` cmi data, as an LMS gives back at a second launch) and load the SCO."""
    if not page.url.endswith("harness.html"):
        page.goto(lms.base + "harness.html")
    page.evaluate("([version, saved]) => window.Lms.start(version, saved)", [version, saved])
    page.evaluate("url => window.Lms.launch(url)", f"{package}-{version}/{sequence.page.file.as_posix()}")
    frame = page.frame(name="sco")
    assert frame is not None
    return frame


def value(page: Page, element: str) -> str:
    return str(page.evaluate("element => window.Lms.value(element)", element))


def calls(page: Page) -> list[str]:
    return list(page.evaluate("window.Lms.calls"))


def decode(page: Page, frame: Frame, suspend: str) -> Any:
    return frame.evaluate("([text]) => window.MoocScormCodec.decode(text, window.MoocProgress.readConfig('mooc-quiz'))",
                          [suspend])


def submit(frame: Frame, sequence: Sequence, right: Callable[[int], bool]) -> None:
    assert sequence.quiz is not None
    for number, question in enumerate(sequence.quiz.questions, start=1):
        answer(frame, number, question, right(number))  # type: ignore[arg-type]  # a Frame fills like a Page
    frame.click("form.quiz button[type=submit]")


# --- the codec of cmi.suspend_data ------------------------------------------------------------------------------

SYNTHETIC = """
() => {
  const long = (seed, n) => Array.from({length: n}, (_, i) => "é,%~'" + seed + "😀x"[i % 3]).join("").slice(0, n);
  const questions = [], last = [];
  for (let i = 0; i < 200; i++) {
    const kind = ["single", "multiple", "true_false", "text", "numeric"][i % 5];
    if (kind === "single") { questions.push({type: kind, choices: 10}); last.push(i % 10); }
    else if (kind === "multiple") {
      questions.push({type: kind, choices: 12}); last.push([0, 3, 11].slice(0, 1 + i % 3));
    }
    else if (kind === "true_false") { questions.push({type: kind}); last.push(i % 2 === 0); }
    else if (kind === "text") {
      questions.push({type: kind}); last.push(i % 20 === 3 ? long(i, 600 + i) : "dix-neuf, %2C " + i);
    }
    else { questions.push({type: kind}); last.push(i % 10 === 4 ? null : "19,5"); }
  }
  return {quiz: {hash: "0123456789ab", points: 250, questions},
          record: {h: "0123456789ab", n: 3, best: 187.5, max: 250, last}};
}
"""


def test_suspend_data_of_200_questions_fits_4096_characters_and_decodes_back(page: Page,
                                                                              page_errors: list[str]) -> None:
    page.set_content("<!doctype html><title>codec</title>")
    page.add_script_tag(path=str(ADAPTER))
    assert page.evaluate("typeof window.MoocScorm") == "undefined"  # no LMS here
    data = page.evaluate(SYNTHETIC)
    quiz, record = data["quiz"], data["record"]
    result = page.evaluate("""([quiz, record]) => {
        const text = window.MoocScormCodec.encode(record);
        return {text, decoded: window.MoocScormCodec.decode(text, quiz)};
    }""", [quiz, record])
    text, decoded = result["text"], result["decoded"]
    assert len(text) <= 4096
    assert decoded is not None
    assert (decoded["h"], decoded["n"], decoded["best"], decoded["max"]) == ("0123456789ab", 3, 187.5, 250)
    assert len(decoded["last"]) == 200
    cut = 0
    for original, back in zip(record["last"], decoded["last"], strict=True):
        if isinstance(original, str) and len(original) > 100:
            assert original.startswith(back)  # long free texts are cut, never garbled
            cut += back != original
        else:
            assert back == original
    assert cut > 0  # the long texts did not all fit: the test reaches the limit
    # Without long texts, everything comes back exactly and the text is short.
    short = page.evaluate("""([quiz, record]) => {
        record.last = record.last.map(v => typeof v === "string" && v.length > 100 ? "court" : v);
        const text = window.MoocScormCodec.encode(record);
        const back = window.MoocScormCodec.decode(text, quiz);
        return {text, same: JSON.stringify(back.last) === JSON.stringify(record.last)};
    }""", [quiz, record])
    assert short["same"] and len(short["text"]) < 4096
    # Pathological answers (10,000-character texts everywhere) still fit.
    worst = page.evaluate("""([quiz, record]) => {
        record.last = record.last.map(v => typeof v === "string" ? "%,".repeat(5000) : v);
        const text = window.MoocScormCodec.encode(record);
        const back = window.MoocScormCodec.decode(text, quiz);
        return {length: text.length, ok: back !== null && back.last.length === 200};
    }""", [quiz, record])
    assert worst["length"] <= 4096 and worst["ok"]
    # A record for another quiz (other hash or other number of questions) is refused.
    assert page.evaluate("""([quiz, record]) => {
        const text = window.MoocScormCodec.encode(record);
        return [window.MoocScormCodec.decode(text, Object.assign({}, quiz, {hash: "ffffffffffff"})),
                window.MoocScormCodec.decode(text, Object.assign({}, quiz, {questions: quiz.questions.slice(1)})),
                window.MoocScormCodec.decode("garbage", quiz)];
    }""", [quiz, record]) == [None, None, None]
    assert page_errors == []


# --- reporting to the LMS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_graded_quiz_reports_its_score_and_status(page: Page, page_errors: list[str], lms: Lms,
                                                    version: str) -> None:
    course, sequence = graded_sequence(lms.site)
    quiz = sequence.quiz
    assert quiz is not None
    frame = launch(page, lms, "ref", version, sequence)
    assert frame.evaluate("window.MoocScorm && window.MoocScorm.version") == version
    if version == "1.2":
        assert value(page, "cmi.core.lesson_status") == "incomplete"
    else:
        assert value(page, "cmi.completion_status") == "incomplete"
    submit(frame, sequence, lambda number: True)
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {quiz.points} sur {quiz.points} points")
    if version == "1.2":
        assert value(page, "cmi.core.score.raw") == "100"
        assert (value(page, "cmi.core.score.min"), value(page, "cmi.core.score.max")) == ("0", "100")
        assert value(page, "cmi.core.lesson_status") == "passed"
    else:
        assert value(page, "cmi.score.raw") == str(quiz.points)
        assert (value(page, "cmi.score.min"), value(page, "cmi.score.max")) == ("0", str(quiz.points))
        assert value(page, "cmi.score.scaled") == "1"
        assert value(page, "cmi.completion_status") == "completed"
        assert value(page, "cmi.success_status") == "passed"
    suspend = value(page, "cmi.suspend_data")
    record = decode(page, frame, suspend)
    assert record["n"] == 1 and record["best"] == quiz.points and record["max"] == quiz.points
    assert len(record["last"]) == len(quiz.questions)
    assert "Commit" in calls(page) or "LMSCommit" in calls(page)
    page.evaluate("window.Lms.unload()")
    finish = "LMSFinish" if version == "1.2" else "Terminate"
    assert calls(page).count(finish) == 1
    log = calls(page)
    exit_call = f"{'LMSSetValue cmi.core.exit' if version == '1.2' else 'SetValue cmi.exit'}=suspend"
    assert exit_call in log, log  # cmi.exit is write-only: seen in the calls
    assert log.index(exit_call) < log.index(finish) == len(log) - 1  # then Terminate, last
    assert page_errors == []
    del course


@pytest.mark.parametrize("version", VERSIONS)
def test_a_sequence_without_quiz_is_completed_when_viewed(page: Page, page_errors: list[str], lms: Lms,
                                                          version: str) -> None:
    sequence = next(s for c in lms.site.courses for s in c.sequences if s.quiz is None)
    launch(page, lms, "ref", version, sequence)
    status = value(page, "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status")
    assert status == "completed"
    assert ("LMSCommit" if version == "1.2" else "Commit") in calls(page)
    page.evaluate("window.Lms.unload()")
    assert calls(page).count("LMSFinish" if version == "1.2" else "Terminate") == 1
    assert page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("right_count", "passed"), [(3, True), (2, False)])
def test_passed_and_failed_at_the_pass_mark(page: Page, page_errors: list[str], lms: Lms, version: str,
                                            right_count: int, passed: bool) -> None:
    """The minimal quiz (6 points, the first four questions worth 1) with a 50 % pass mark: 3 is exactly on it."""
    course, sequence = graded_sequence(lms.edge)
    assert sequence.quiz is not None and sequence.quiz.points == EDGE_POINTS
    assert [q.points for q in sequence.quiz.questions[:4]] == [1, 1, 1, 1]
    frame = launch(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: number <= right_count)
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {right_count} sur {EDGE_POINTS} points")
    outcome = "passed" if passed else "failed"
    if version == "1.2":
        assert value(page, "cmi.core.score.raw") == ("50" if passed else "33.33")
        assert value(page, "cmi.core.lesson_status") == outcome
    else:
        assert value(page, "cmi.score.raw") == str(right_count)
        assert value(page, "cmi.score.max") == str(EDGE_POINTS)
        assert value(page, "cmi.score.scaled") == ("0.5" if passed else "0.3333")
        assert value(page, "cmi.success_status") == outcome
        assert value(page, "cmi.completion_status") == "completed"
    assert course.pass_mark.numerator * 2 == course.pass_mark.denominator
    assert page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_the_last_attempt_comes_back_at_the_next_launch(page: Page, page_errors: list[str], lms: Lms,
                                                        version: str) -> None:
    _course, sequence = graded_sequence(lms.edge)
    frame = launch(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: number in (1, 5))  # 1 + 2 points: on the 50 % mark
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : 3 sur {EDGE_POINTS} points")
    page.evaluate("window.Lms.unload()")
    saved = page.evaluate("window.Lms.state()")
    page.evaluate("localStorage.clear()")  # the browser forgets: only the LMS remembers
    frame = launch(page, lms, "edge", version, sequence, saved)
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : 3 sur {EDGE_POINTS} points")
    expect(frame.locator("#q1 .question-result")).to_contain_text("Bonne réponse")
    expect(frame.locator("#q1-0")).to_be_checked()
    expect(frame.locator("form.quiz button[type=submit]")).to_be_hidden()
    if version == "1.2":
        assert value(page, "cmi.core.lesson_status") == "passed"
        assert value(page, "cmi.core.score.raw") == "50"
    else:
        assert value(page, "cmi.success_status") == "passed"
        assert value(page, "cmi.score.scaled") == "0.5"
    # A retry counts as a second attempt; the best score stays.
    frame.click("form.quiz button.quiz-retry")
    frame.click("form.quiz button[type=submit]")
    record = decode(page, frame, value(page, "cmi.suspend_data"))
    assert (record["n"], record["best"]) == (2, 3)
    assert page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_the_lms_record_replaces_what_the_browser_kept(page: Page, lms: Lms, version: str) -> None:
    """On a shared device, the next learner launched by the LMS does not see the previous one's answers."""
    _course, sequence = graded_sequence(lms.edge)
    frame = launch(page, lms, "edge", version, sequence)
    submit(frame, sequence, lambda number: True)
    expect(frame.locator(".quiz-result")).to_contain_text(f"{EDGE_POINTS} sur {EDGE_POINTS} points")
    page.evaluate("window.Lms.unload()")
    frame = launch(page, lms, "edge", version, sequence)  # a new learner: a fresh API, no suspend data
    expect(frame.locator("form.quiz button[type=submit]")).to_be_visible()
    expect(frame.locator(".quiz-result")).to_be_hidden()
    expect(frame.locator("#q1-0")).not_to_be_checked()


def test_without_an_lms_the_page_behaves_as_on_the_website(page: Page, page_errors: list[str], lms: Lms) -> None:
    _course, sequence = graded_sequence(lms.edge)
    page.goto(lms.base + f"edge-1.2/{sequence.page.file.as_posix()}")
    assert page.evaluate("typeof window.MoocScorm") == "undefined"
    assert page.evaluate("typeof window.MoocScormCodec") == "object"
    submit(page.main_frame, sequence, lambda number: True)
    expect(page.locator(".quiz-result")).to_contain_text(f"Votre score : {EDGE_POINTS} sur {EDGE_POINTS} points")
    page.reload()
    expect(page.locator(".quiz-result")).to_contain_text(f"{EDGE_POINTS} sur {EDGE_POINTS} points")
    assert page_errors == []


def test_the_api_is_found_up_the_frames_and_2004_is_preferred(page: Page, page_errors: list[str], lms: Lms) -> None:
    """An LMS may nest the SCO deeper, and offer both APIs: the adapter walks up and takes 2004."""
    _course, sequence = graded_sequence(lms.edge)
    page.goto(lms.base + "harness.html")
    page.evaluate("window.Lms.start('1.2', null)")
    page.evaluate("window.Lms.start12 = window.Lms.api")
    page.evaluate("window.API = window.Lms.start12; window.Lms.start('2004', null); window.API = window.Lms.start12")
    url = f"edge-2004/{sequence.page.file.as_posix()}"
    page.evaluate("""url => window.Lms.launch('about:blank').then(() => new Promise(resolve => {
        const inner = document.getElementById('sco').contentDocument.createElement('iframe');
        inner.name = 'inner';
        inner.addEventListener('load', resolve);
        inner.src = new URL(url, location.href).href;
        document.getElementById('sco').contentDocument.body.appendChild(inner);
    }))""", url)
    inner = page.frame(name="inner")
    assert inner is not None
    assert inner.evaluate("window.MoocScorm.version") == "2004"
    assert value(page, "cmi.completion_status") == "incomplete"
    assert page_errors == []
