"""SCORM packages in a real LMS: the Open edX SCORM block (openedx-scorm-xblock) in the XBlock SDK workbench.

The reference course energie-habitants is exported as SCORM 1.2 and 2004 and each package is uploaded into a
block of its own (tests/browser/lms/openedx/workbench.py: the workbench is started once, on 127.0.0.1). A
learner opens the block's student view in Chromium, the block launches the package as it would in Open edX,
and the tests read back what the block itself stored for that learner: lesson_status (its completion),
success_status, lesson_score, scorm_data (cmi.suspend_data among them), and the grades it published.

The steps are helpers, for scenarios of any length, with any package: :func:`launch` (open the block, wait for
the launched content), :func:`open_sequence` (go to a sequence's page inside the launched content, as a learner
would: by its link when the page shows one), :func:`answer_quiz`, and ``openedx_workbench.state`` /
``wait_for`` to read what the block keeps. Each test is a new learner (``student(...)``), so tests share the
uploaded packages and nothing else.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect

from mooc_builder.build import check
from mooc_builder.build.export import run_export
from mooc_builder.model import Course, Sequence

from ..conftest import REFERENCE
from .conftest import AS_OF
from .lms.openedx import workbench as oex
from .lms.openedx.workbench import Block, BlockState, Workbench
from .quizhelp import answer

openedx_workbench = oex.openedx_workbench  # the session's workbench (a fixture)

COURSE = "energie-habitants"
VERSIONS = ["1.2", "2004"]
BLOCK_VERSION = {"1.2": "SCORM_12", "2004": "SCORM_2004"}
ASSETS = "/assets_proxy/"  # the block serves the package's files through its handler of that name
STEP_SECONDS = 30

# Run in the LMS page (the block's page, not the package's frames), before its own scripts:
# * logs the SCORM API calls the package makes on the API object the block puts on the page (window.API or
#   window.API_1484_11), for the failure messages (after the study's wrap_api.js);
# * orders the block's API and the package's launch, by the page's ?lms-api= (see API_TIMINGS).
LMS_PAGE = """
(() => {
  if (window !== window.top) return;
  const timing = new URLSearchParams(location.search).get("lms-api") || "before-launch";
  window.__scormCalls = [];
  const names = new Set(["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
    "Initialize", "Terminate", "GetValue", "SetValue", "Commit"]);
  const held = [];
  const release = () => { for (const frame of held.splice(0)) frame.setAttribute("src", frame.dataset.heldSrc); };
  const launched = () => new Promise(resolve => {
    const frame = document.querySelector("iframe.scorm-embedded");
    if (frame && frame.contentDocument && frame.contentDocument.readyState === "complete"
        && frame.contentWindow.location.href !== "about:blank") { resolve(); return; }
    const wait = () => { const f = document.querySelector("iframe.scorm-embedded");
      if (f) { f.addEventListener("load", () => resolve(), {once: true}); } else { setTimeout(wait, 20); } };
    wait();
  });
  for (const name of ["API", "API_1484_11"]) {
    let value;
    Object.defineProperty(window, name, {
      configurable: true,
      get() { return value; },
      set(api) {
        if (api && typeof api === "object") {
          for (const key of Object.keys(api)) {
            const method = api[key];
            if (typeof method !== "function" || !names.has(key)) continue;
            api[key] = function (...args) {
              const result = method.apply(this, args);
              window.__scormCalls.push([key, ...args.map(String), "=>", String(result)].join(" "));
              return result;
            };
          }
        }
        if (timing === "after-load") { launched().then(() => { value = api; }); return; }
        value = api;
        release();
      },
    });
  }
  if (timing === "before-launch") {
    const hold = frame => {
      if (frame.dataset.heldSrc !== undefined || window.API || window.API_1484_11) return;
      frame.dataset.heldSrc = frame.getAttribute("src");
      frame.setAttribute("src", "about:blank");
      held.push(frame);
    };
    new MutationObserver(records => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1) continue;
          if (node.matches("iframe.scorm-embedded")) hold(node);
          node.querySelectorAll("iframe.scorm-embedded").forEach(hold);
        }
      }
    }).observe(document, {childList: true, subtree: true});
  }
})();
"""

# When the block's API appears, against when the package loads. The block makes its API when its page's
# scripts have run (jQuery's ready), while its iframe loads the package as soon as the page is parsed: in the
# workbench, both come from the same Django server, and which is first depends on the machine's load.
# "before-launch" (the default) holds the iframe until the API is there, as when the LMS's scripts come from
# the browser's cache; "after-load" holds the API until the launched page has loaded (a package must then look
# for it again); "race" leaves the page as it is served.
API_TIMINGS = ("before-launch", "after-load", "race")


@dataclass(frozen=True)
class Packages:
    course: Course
    blocks: dict[str, Block]  # by SCORM version


@pytest.fixture(scope="module")
def packages(openedx_workbench: Workbench, tmp_path_factory: pytest.TempPathFactory) -> Packages:
    """energie-habitants exported as SCORM 1.2 and 2004, each uploaded into a SCORM block of its own."""
    site, report = check(REFERENCE)
    assert site is not None, [str(d) for d in report.errors]
    folder = tmp_path_factory.mktemp("openedx-packages")
    blocks = {}
    for version in VERSIONS:
        target = folder / f"{COURSE}-scorm-{version}.zip"
        result = run_export("scorm", REFERENCE, COURSE, {"version": version}, target, AS_OF)
        assert result.ok, [str(d) for d in result.report.errors]
        blocks[version] = openedx_workbench.upload(target)
    return Packages(next(c for c in site.courses if c.id == COURSE), blocks)


@dataclass
class Watched:
    """The browser page, with the SCORM API calls the package makes logged, the requests to anywhere but
    127.0.0.1 and the JavaScript errors of its pages recorded: ``check()`` at the end of a test."""

    page: Page
    foreign: list[str]
    errors: list[str]

    def check(self) -> None:
        assert self.foreign == []
        assert self.errors == []


@pytest.fixture
def watched(page: Page) -> Watched:
    watched = Watched(page, [], [])
    page.add_init_script(LMS_PAGE)

    def request(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            watched.foreign.append(url)

    page.on("request", lambda r: request(r.url))
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    return watched


def student(name: str) -> str:
    """A new learner for the workbench (its ?student= id): nothing stored for them yet."""
    return f"{name}-{uuid.uuid4().hex[:8]}"


def api_calls(page: Page) -> list[str]:
    return list(page.evaluate("window.__scormCalls || []"))


# --- the learner's steps -----------------------------------------------------------------------------------


def package_path(frame: Frame) -> str | None:
    """The path inside the package of the page ``frame`` shows, or None when it shows no file of the package."""
    path = unquote(urlsplit(frame.url).path)
    return path.split(ASSETS, 1)[1] if ASSETS in path else None


def content_frame(page: Page) -> Frame | None:
    """The frame showing a page of the package's content: a frame of the package holding no other frame of the
    package (the block's iframe itself for a package that launches a course page, the iframe inside the
    package's launcher page otherwise), once its page has loaded."""
    frames = [f for f in page.frames if package_path(f) is not None]
    leaves = [f for f in frames if not any(package_path(c) is not None for c in f.child_frames)]
    for frame in reversed(leaves):
        try:
            if frame.evaluate("document.readyState === 'complete' && !!document.querySelector('main')"):
                return frame
        except Exception:  # the frame navigated or went away meanwhile: look again
            continue
    return None


def wait_for_frame(page: Page, condition: Callable[[Frame], bool], what: str) -> Frame:
    deadline = time.monotonic() + STEP_SECONDS
    while True:
        frame = content_frame(page)
        if frame is not None and condition(frame):
            return frame
        if time.monotonic() > deadline:
            shown = [f.url for f in page.frames]
            pytest.fail(f"waited {STEP_SECONDS} s for {what}; frames: {shown}; calls: {api_calls(page)}")
        page.wait_for_timeout(100)


def launch(page: Page, workbench: Workbench, block: Block, learner: str, api: str = "before-launch") -> Frame:
    """Open ``block`` as ``learner`` (a launch: the block's page loaded anew) and wait for the package's
    content to show; returns the frame showing it. ``api``: when the block's API appears (API_TIMINGS)."""
    assert api in API_TIMINGS, api
    page.goto(workbench.student_view(block, learner) + f"&lms-api={api}")
    expect(page.locator("iframe.scorm-embedded")).to_be_attached()
    page.wait_for_load_state("load")
    return wait_for_frame(page, lambda frame: True, f"the content of {block.package} in the block")


def open_sequence(page: Page, sequence: Sequence) -> Frame:
    """Go to ``sequence``'s page inside the launched content: through a link of the page shown, as a learner
    would, or, if it shows none, by loading it in the same frame (as the LMS's outline does). Returns the frame
    showing the sequence's page."""
    target = sequence.page.file.as_posix()
    frame = content_frame(page)
    assert frame is not None, "no content of the package is shown: launch it first"
    if package_path(frame) != target:
        link = frame.evaluate_handle("""suffix => [...document.querySelectorAll('a[href]')].find(a =>
            decodeURIComponent(new URL(a.href).pathname).endsWith(suffix) && a.getClientRects().length > 0
            && (!a.target || a.target === '_self')) || null""", ASSETS + target).as_element()
        if link is not None:
            link.click()
        else:
            base = frame.url.split(ASSETS, 1)[0] + ASSETS
            frame.goto(base + target)
    return wait_for_frame(page, lambda f: package_path(f) == target, f"the page of sequence {target}")


def answer_quiz(frame: Frame, sequence: Sequence, right: Callable[[int], bool]) -> int:
    """Answer the quiz of ``sequence`` shown in ``frame``, question n (from 1) rightly when ``right(n)``, and
    submit it; returns the points earned, once the page shows them."""
    quiz = sequence.quiz
    assert quiz is not None and quiz.graded
    retry = frame.locator("form.quiz button.quiz-retry")
    if retry.is_visible():  # an attempt is shown: start another
        retry.click()
    earned = 0
    for number, question in enumerate(quiz.questions, start=1):
        answer(frame, number, question, right(number))  # type: ignore[arg-type]  # a Frame fills like a Page
        earned += question.points if right(number) else 0
    frame.click("form.quiz button[type=submit]")
    expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {earned} sur {quiz.points} points")
    return earned


def graded_sequences(course: Course) -> list[Sequence]:
    return [s for s in course.sequences if s.quiz is not None and s.quiz.graded]


def course_points(course: Course) -> int:
    """The course's score's denominator, as on the site: every graded quiz's points."""
    return sum(s.quiz.points for s in graded_sequences(course) if s.quiz is not None)


# --- what works with every package -------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_the_block_launches_the_package_and_stores_what_it_reports(watched: Watched, openedx_workbench: Workbench,
                                                                   packages: Packages, version: str) -> None:
    page, workbench, block = watched.page, openedx_workbench, packages.blocks[version]
    settings = workbench.settings(block)
    assert settings["scorm_version"] == BLOCK_VERSION[version]
    assert settings["package_warnings"] == []  # the block found how the package reports completion
    learner = student(f"launch-{version}")
    assert workbench.state(block, learner).fields == {}
    launch(page, workbench, block, learner)
    assert (page.get_attribute("iframe.scorm-embedded", "src") or "").endswith(ASSETS + settings["index_page_path"])
    state = workbench.wait_for(block, learner, lambda s: s.launched and s.lesson_status != "not attempted",
                               "a SCORM session and a status")
    assert state.lesson_status in ("incomplete", "completed"), (state.summary(), api_calls(page))
    # A graded quiz, reached inside the launched content, answered right: the block stores a score and the
    # learner's answers.
    sequence = graded_sequences(packages.course)[0]
    frame = open_sequence(page, sequence)
    answer_quiz(frame, sequence, lambda number: True)
    state = workbench.wait_for(block, learner, lambda s: s.lesson_score > 0 and bool(s.suspend_data),
                               "a score and suspend data")
    assert 0 < state.lesson_score <= 1
    assert state.success_status in ("unknown", "passed", "failed")
    if state.grade is not None:  # the block publishes a grade with a verdict or a completion
        assert state.grade == (0 if state.success_status == "failed" else pytest.approx(state.lesson_score))
    if version == "1.2":
        assert len(state.suspend_data or "") <= 4096
    # Each question as an interaction, the matching one (the quiz's last) among them: the block keeps what the
    # package set (it does not count interactions: the package numbers them from 0 in each session).
    quiz = sequence.quiz
    assert quiz is not None and quiz.questions[-1].type.value == "matching"
    last = f"cmi.interactions.{len(quiz.questions) - 1}."
    response = "student_response" if version == "1.2" else "learner_response"
    state = workbench.wait_for(block, learner, lambda s: s.scorm_data.get(last + "result") == "correct",
                               "the matching question's interaction")
    kept = {key.removeprefix(last): value for key, value in state.scorm_data.items() if key.startswith(last)}
    key = sequence.page.path.parts
    assert kept["id"] == f"{key[1]}_{key[2]}-q{len(quiz.questions)}" and kept["type"] == "matching"
    # Answered right: the response is the pattern (1.2 puts a set of pairs in braces).
    pattern = kept["correct_responses.0.pattern"]
    assert (f"{{{kept[response]}}}" if version == "1.2" else kept[response]) == pattern
    assert ("." if version == "1.2" else "[.]") in pattern
    watched.check()


# --- the whole course in one launch -------------------------------------------------------------------------


def below_then_above(course: Course) -> tuple[Sequence, Sequence]:
    """Two graded quizzes in different sequences (of different modules when there are such): the first one's
    points keep the course below its pass mark, both together reach it."""
    total, mark = course_points(course), course.pass_mark
    quizzes = graded_sequences(course)
    pairs = [(a, b) for a in quizzes for b in quizzes if a is not b and a.quiz is not None and b.quiz is not None
             and Fraction(a.quiz.points, total) < mark <= Fraction(a.quiz.points + b.quiz.points, total)]
    assert pairs, f"no two quizzes of {course.id} go from below its pass mark to above it"
    module = {s.page.file: m.id for m in course.modules for s in m.sequences}
    return next(((a, b) for a, b in pairs if module[a.page.file] != module[b.page.file]), pairs[0])


def reported(workbench: Workbench, block: Block, learner: str, suspend_data: str | None, earned: int,
             total: int, success: str) -> BlockState:
    """The block's state once the package has reported a quiz submitted (new suspend data), the course's score,
    ``earned`` of ``total`` points, and the verdict ``success`` have reached it: the block's page sends each
    SetValue to its server on its own, and they may be stored in another order than they were made."""
    workbench.wait_for(block, learner, lambda s: bool(s.suspend_data) and s.suspend_data != suspend_data,
                       "new suspend data")
    return workbench.wait_for(block, learner, lambda s: s.lesson_score == pytest.approx(earned / total, abs=0.0001)
                              and s.success_status == success,
                              f"the course's score, {earned} of {total} points, and {success}", timeout=5)


@pytest.mark.parametrize("version", VERSIONS)
def test_two_quizzes_make_the_course_grade_and_come_back_at_the_next_launch(
        watched: Watched, openedx_workbench: Workbench, packages: Packages, version: str) -> None:
    """One launch of the whole course: the block's grade is the course's percentage (graded points earned over
    all graded points), below then above the pass mark; every sequence viewed, the course is completed; at the
    next launch both quizzes show their answers again."""
    page, workbench, block, course = watched.page, openedx_workbench, packages.blocks[version], packages.course
    first, second = below_then_above(course)
    total = course_points(course)
    learner = student(f"course-{version}")
    launch(page, workbench, block, learner)

    earned = answer_quiz(open_sequence(page, first), first, lambda number: True)
    below = reported(workbench, block, learner, None, earned, total, "unknown")
    # Below the mark with quizzes left untried: no verdict yet (failed comes once every graded quiz is tried).
    assert (below.success_status, below.lesson_status) == ("unknown", "incomplete"), below.summary()
    # The block publishes a grade along with a verdict or a completion: 2004 sends success_status "unknown",
    # 1.2's "incomplete" carries neither, so the gradebook waits.
    assert below.grade == (None if version == "1.2" else pytest.approx(earned / total, abs=0.0001)), below.summary()

    earned += answer_quiz(open_sequence(page, second), second, lambda number: True)
    above = reported(workbench, block, learner, below.suspend_data, earned, total, "passed")
    assert above.success_status == "passed", above.summary()
    assert above.grade == pytest.approx(earned / total, abs=0.0001), above.summary()
    # 1.2's passed is also completed for the block; 2004 says completion apart (lms_completion: viewed).
    assert above.lesson_status == ("completed" if version == "1.2" else "incomplete"), above.summary()

    for sequence in course.sequences:  # every sequence viewed: completed, whichever rule the course follows
        open_sequence(page, sequence)
    done = workbench.wait_for(block, learner, lambda s: s.lesson_status == "completed", "completed")
    assert done.completion == 1
    assert (done.success_status, done.lesson_score) == ("passed", above.lesson_score)
    if version == "1.2":
        assert len(done.suspend_data or "") <= 4096

    launch(page, workbench, block, learner)  # the next launch: the block gives back what it kept
    for sequence in (first, second):
        quiz = sequence.quiz
        assert quiz is not None
        frame = open_sequence(page, sequence)
        expect(frame.locator(".quiz-result")).to_contain_text(f"Votre score : {quiz.points} sur {quiz.points} points")
        expect(frame.locator("#q1 .question-result")).to_contain_text("Bonne réponse")
        expect(frame.locator("form.quiz button[type=submit]")).to_be_hidden()
    again = workbench.state(block, learner)
    assert (again.success_status, again.lesson_status, again.lesson_score) == ("passed", "completed",
                                                                              above.lesson_score)
    watched.check()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_package_finds_the_api_of_a_block_whose_page_was_slower_than_it(
        watched: Watched, openedx_workbench: Workbench, packages: Packages, version: str) -> None:
    """The block makes its API when its page's scripts have run; on a loaded machine the package's launch page
    may load before (seen here once in a few runs: no session at all). launch.html looks for the API again
    for 10 s, so the package is still tracked."""
    page, workbench, block = watched.page, openedx_workbench, packages.blocks[version]
    learner = student(f"late-{version}")
    launch(page, workbench, block, learner, api="after-load")
    page.wait_for_function("() => !!(window.API || window.API_1484_11)")  # the block's API is there now
    state = workbench.wait_for(block, learner, lambda s: s.launched and s.lesson_status != "not attempted",
                               "a SCORM session and a status", timeout=6)
    assert state.lesson_status in ("incomplete", "completed")
    watched.check()


def test_the_helpers_find_the_quizzes_they_need() -> None:
    """The scenario's data holds whatever the packages: two quizzes from below to above the pass mark."""
    site, _ = check(REFERENCE)
    assert site is not None
    course = next(c for c in site.courses if c.id == COURSE)
    first, second = below_then_above(course)
    assert first.quiz is not None and second.quiz is not None
    assert first.page.file != second.page.file
