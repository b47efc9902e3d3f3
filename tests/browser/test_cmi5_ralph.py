"""cmi5 packages against a real LRS: Ralph, the one FUN MOOC runs, behind the LMS side of cmi5 (tests/browser/lrs.py).

The test plays the LMS: it reads the package's cmi5.xml, makes the registration, stores LMS.LaunchData and the
"launched" statement, serves a one-time fetch URL, and opens the AU's launch URL in Chromium. The learner answers
the quiz below then above the pass mark, over two sessions on two browsers, and leaves; the statements Ralph
stored are then read back and checked: verbs and their order, score, registration, session ids, context.
"""

from __future__ import annotations

import shutil
import time
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from mooc_builder.build import check
from mooc_builder.build.export import run_export
from mooc_builder.model import Course, Sequence

from ..conftest import FIXTURES, REQUIRE_TOOLS
from .conftest import AS_OF
from .lrs import RALPH_PYTHON, Launch, Lms, Ralph, running_lms, running_ralph
from .quizhelp import answer
from .test_accessibility import AXE, axe, describe

NS = {"cmi5": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
CMI5 = "https://w3id.org/xapi/cmi5/context/"
SESSION = CMI5 + "extensions/sessionid"
CATEGORY, MOVE_ON = CMI5 + "categories/cmi5", CMI5 + "categories/moveon"
ACTOR = {"objectType": "Agent", "name": "Apprenant", "account": {"homePage": "http://lms.example.org", "name": "l-1"}}
ACTIVITY = "http://lms.example.org/activities/{}"  # the LMS's own ids for the AUs, never the publisher's


@dataclass(frozen=True)
class Package:
    base: str  # where the unzipped package is served
    aus: list[dict[str, str]]  # id, url, moveOn, masteryScore of each AU in cmi5.xml
    course: Course


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    if not RALPH_PYTHON.is_file():
        message = f"Ralph is not installed at {RALPH_PYTHON} (`make tools-ralph` installs it)"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)
    with running_ralph(tmp_path_factory.mktemp("ralph")) as running:
        yield running


@pytest.fixture(scope="module")
def lms(ralph: Ralph) -> Iterator[Lms]:
    with running_lms(ralph) as running:
        yield running


def make_package(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str], per: str) -> Package:
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    folder = tmp_path_factory.mktemp(f"cmi5-{per}")
    result = run_export("cmi5", content, "demo", {"au": per}, folder / "package.zip", AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    with zipfile.ZipFile(folder / "package.zip") as archive:
        archive.extractall(folder / "au")
    root = ET.parse(folder / "au" / "cmi5.xml").getroot()
    aus = []
    for au in root.findall("cmi5:au", NS):
        url = au.find("cmi5:url", NS)
        assert url is not None and url.text
        aus.append({**au.attrib, "url": url.text})
    site, report = check(content)
    assert site is not None, [str(d) for d in report.errors]
    return Package(serve(folder) + "au/", aus, site.courses[0])


@pytest.fixture(scope="module")
def course_au(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Package:
    return make_package(tmp_path_factory, serve, "course")


@pytest.fixture(scope="module")
def module_aus(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> Package:
    return make_package(tmp_path_factory, serve, "module")


def open_au(page: Page, launch: Launch) -> Frame:
    """Open the launch URL; the AU shows the course in its frame once the launch protocol is done."""
    page.goto(launch.url)
    page.wait_for_selector(".au-frame[src]")
    handle = page.query_selector(".au-frame")
    frame = handle.content_frame() if handle else None
    assert frame is not None
    frame.wait_for_load_state()
    return frame


def visit(frame: Frame, package: Package, sequence: Sequence) -> None:
    frame.goto(package.base + sequence.page.file.as_posix())
    expect(frame.locator("h1")).to_have_text(sequence.title)


def submit(frame: Frame, sequence: Sequence, right: bool) -> None:
    assert sequence.quiz is not None
    retry = frame.locator("button.quiz-retry")
    if retry.is_visible():
        retry.click()
    for box in frame.locator("form.quiz input[type=checkbox]:checked").all():
        box.uncheck()  # a new attempt starts from the last one's answers
    for number, question in enumerate(sequence.quiz.questions, start=1):
        answer(frame, number, question, right)  # type: ignore[arg-type]  # a Frame fills like a Page
    frame.click("form.quiz button[type=submit]")
    expect(frame.locator(".quiz-result")).to_be_visible()


def leave(page: Page, lms: Lms) -> None:
    page.click(".au-leave")
    page.wait_for_url(lms.base + "return")


def verb(statement: dict[str, Any]) -> str:
    return str(statement["verb"]["id"]).rsplit("/", 1)[-1]


def of_session(statements: list[dict[str, Any]], launch: Launch) -> list[dict[str, Any]]:
    return [s for s in statements if s["context"]["extensions"][SESSION] == launch.session]


def categories(statement: dict[str, Any]) -> set[str]:
    return {a["id"] for a in statement["context"].get("contextActivities", {}).get("category", [])}


def check_context(statements: list[dict[str, Any]], launch: Launch, publisher: str) -> None:
    """What every statement of a session carries: the learner, the registration, the LMS's context template
    (session id, publisher id), and the cmi5 categories exactly where cmi5 puts them."""
    for statement in statements:
        name = verb(statement)
        context = statement["context"]
        assert statement["actor"] == launch.actor, name
        assert context["registration"] == launch.registration, name
        assert context["extensions"][SESSION] == launch.session, name
        assert {"id": publisher, "objectType": "Activity"} in context["contextActivities"]["grouping"], name
        uuid.UUID(statement["id"])
        if name == "answered":
            assert CATEGORY not in categories(statement)
            assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
            continue
        assert statement["object"]["id"] == launch.activity, name
        assert CATEGORY in categories(statement), name
        assert (MOVE_ON in categories(statement)) == (name in ("completed", "passed", "failed")), name
        if name in ("completed", "passed", "failed", "terminated"):
            assert statement["result"]["duration"].startswith("PT"), name


def check_score(statement: dict[str, Any], scaled: float, mastery: float | None = 0.3) -> None:
    result = statement["result"]
    assert result["success"] is (verb(statement) == "passed")
    assert result["score"] == {"scaled": scaled, "raw": round(100 * scaled), "min": 0, "max": 100}
    extensions = statement["context"]["extensions"]
    assert extensions.get(CMI5 + "extensions/masteryscore") == mastery


def test_two_sessions_below_then_above_the_pass_mark_as_ralph_stores_them(
        page: Page, browser: Browser, lms: Lms, ralph: Ralph, course_au: Package, page_errors: list[str]) -> None:
    [au] = course_au.aus
    assert (au["url"], au["moveOn"], au["masteryScore"]) == ("cmi5.html", "Completed", "0.3")
    quiz_page, *others = course_au.course.sequences
    assert quiz_page.quiz is not None and quiz_page.quiz.graded
    activity = ACTIVITY.format(uuid.uuid4())
    # Session 1: every answer wrong (0 of 10 points), then the learner leaves: failed, with the score.
    first = lms.launch(course_au.base, au["url"], au["id"], activity, ACTOR)
    frame = open_au(page, first)
    visit(frame, course_au, quiz_page)
    submit(frame, quiz_page, right=False)
    leave(page, lms)
    # Session 2, on another browser: the AU brings the attempt back from the LRS; below, then above the mark.
    second = lms.launch(course_au.base, au["url"], au["id"], activity, ACTOR, registration=first.registration)
    other = browser.new_context()
    try:
        page2 = other.new_page()
        errors2: list[str] = []
        page2.on("pageerror", lambda error: errors2.append(str(error)))
        frame = open_au(page2, second)
        visit(frame, course_au, quiz_page)
        expect(frame.locator(".quiz-result")).to_contain_text("Votre score : 0 sur 10 points")
        submit(frame, quiz_page, right=False)
        submit(frame, quiz_page, right=True)
        for sequence in others:
            visit(frame, course_au, sequence)
        leave(page2, lms)
    finally:
        other.close()
    assert lms.fetches[-2:] == ["token", "token"]  # one auth token per launch

    stored = ralph.statements(first.registration)
    one, two = of_session(stored, first), of_session(stored, second)
    assert len(one) + len(two) == len(stored)
    assert [verb(s) for s in one] == ["launched", "initialized", *["answered"] * 9, "failed", "terminated"]
    assert [verb(s) for s in two] == ["launched", "initialized", *["answered"] * 18, "passed", "completed",
                                      "terminated"]
    assert stored.index(one[-1]) < stored.index(two[0])  # the sessions one after the other
    check_context(one[1:], first, au["id"])
    check_context(two[1:], second, au["id"])
    check_score(one[-2], 0.0)
    check_score(two[-3], 1.0)
    assert two[-2]["result"] == {"completion": True, "duration": two[-2]["result"]["duration"]}
    # The answers as interactions: the question, its type, its right answer, what the learner gave; q6-q9 the
    # matching, ordering, cloze and hotspot questions, named by the positions the page shows things at.
    wrong, right = two[2:11], two[11:20]
    assert [s["object"]["id"].rsplit("#", 1)[-1] for s in right] == [f"q{n}" for n in range(1, 10)]
    kinds = [s["object"]["definition"]["interactionType"] for s in right]
    assert kinds == ["choice", "true-false", "fill-in", "numeric", "choice", "matching", "sequencing", "fill-in",
                     "other"]
    patterns = [s["object"]["definition"]["correctResponsesPattern"] for s in right]
    assert patterns == [["0"], ["false"], ["{case_matters=false}19", "{case_matters=false}dix-neuf"], ["18[:]20"],
                        ["0[,]1"], ["0[.]0[,]1[.]1"], ["0[,]2[,]1"], ["{case_matters=false}19[,]warm"],
                        ["The corner"]]
    assert [s["result"]["response"] for s in right] == ["0", "false", "19", "19", "0[,]1", "0[.]0[,]1[.]1",
                                                        "0[,]2[,]1", "19[,]warm", "The corner"]
    assert [s["result"]["response"] for s in wrong] == ["1", "true", "zzz", "1020", "2", "0[.]1[,]1[.]0",
                                                        "0[,]1[,]2", "zzz[,]cold", "The middle"]
    matching, ordering = (right[5]["object"]["definition"], right[6]["object"]["definition"])
    assert [(c["id"], c["description"]) for c in matching["source"]] == [("0", {"fr": "One"}), ("1", {"fr": "Two"})]
    assert [(c["id"], c["description"]) for c in matching["target"]] == [("0", {"fr": "1"}), ("1", {"fr": "2"})]
    assert [(c["id"], c["description"]["fr"]) for c in ordering["choices"]] == [("0", "First"), ("1", "Third"),
                                                                                 ("2", "Second")]
    assert all(s["result"]["success"] for s in right) and not any(s["result"]["success"] for s in wrong)
    assert right[4]["result"]["score"] == {"raw": 2, "min": 0, "max": 2, "scaled": 1}
    first_choices = right[0]["object"]["definition"]["choices"]
    assert [c["id"] for c in first_choices] == ["0", "1"] and first_choices[0]["description"] == {"fr": "A"}
    assert right[0]["object"]["definition"]["description"] == {"fr": "Which one?"}
    assert right[0]["context"]["contextActivities"]["parent"][0]["id"].endswith("demo/intro/first")
    # What the AU keeps for the registration: the progress and what it has reported.
    kept = lms.state(second, "suspendData")
    assert kept["reported"] == {"completed": True, "passed": True, "failed": 0}
    assert set(kept["progress"]["seen"]) == {"intro/first", "intro/second", "suite/third"}
    assert page_errors == [] and errors2 == []


def stored_until(ralph: Ralph, registration: str, last: str, timeout: float = 15.0) -> list[dict[str, Any]]:
    """The statements of ``registration`` once the last one has verb ``last`` (sent as a page goes away)."""
    deadline = time.monotonic() + timeout
    while True:
        stored = ralph.statements(registration)
        if (stored and verb(stored[-1]) == last) or time.monotonic() > deadline:
            return stored
        time.sleep(0.2)


def test_one_au_per_module_reports_its_module_alone(page: Page, lms: Lms, ralph: Ralph, module_aus: Package,
                                                    page_errors: list[str]) -> None:
    intro, suite = module_aus.aus
    assert [au["url"] for au in module_aus.aus] == ["cmi5-intro.html", "cmi5-suite.html"]
    assert (intro["moveOn"], intro["masteryScore"]) == ("Completed", "0.3")
    assert suite["moveOn"] == "Completed" and "masteryScore" not in suite  # no graded quiz in that module
    first_module, second_module = module_aus.course.modules
    quiz_page, second = first_module.sequences
    [third] = second_module.sequences
    # The first module's AU opens at its module; what the learner does in the other module is not its own.
    one = lms.launch(module_aus.base, intro["url"], intro["id"], ACTIVITY.format(uuid.uuid4()), ACTOR)
    frame = open_au(page, one)
    expect(frame.locator("h1")).to_have_text(first_module.title)
    visit(frame, module_aus, quiz_page)
    submit(frame, quiz_page, right=True)
    visit(frame, module_aus, second)
    visit(frame, module_aus, third)
    leave(page, lms)
    # The second module's AU, in the same registration: completed once its one sequence is viewed.
    two = lms.launch(module_aus.base, suite["url"], suite["id"], ACTIVITY.format(uuid.uuid4()), ACTOR,
                     registration=one.registration, mastery=None)
    frame = open_au(page, two)
    expect(frame.locator("h1")).to_have_text(second_module.title)
    visit(frame, module_aus, third)
    leave(page, lms)
    stored = ralph.statements(one.registration)
    first, then = of_session(stored, one), of_session(stored, two)
    assert [verb(s) for s in first] == ["launched", "initialized", *["answered"] * 9, "passed", "completed",
                                        "terminated"]
    assert [verb(s) for s in then] == ["launched", "initialized", "completed", "terminated"]
    check_context(first[1:], one, intro["id"])
    check_context(then[1:], two, suite["id"])
    check_score(first[-3], 1.0)
    assert page_errors == []


def test_review_mode_sends_the_visit_alone_and_closing_the_window_terminates(
        browser: Browser, lms: Lms, ralph: Ralph, course_au: Package) -> None:
    [au] = course_au.aus
    launch = lms.launch(course_au.base, au["url"], au["id"], ACTIVITY.format(uuid.uuid4()), ACTOR, mode="Review")
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        frame = open_au(page, launch)
        expect(page.locator(".au-status")).to_have_text("Consultation : ce que vous faites maintenant n'est pas "
                                                       "enregistré.")
        quiz_page = course_au.course.sequences[0]
        visit(frame, course_au, quiz_page)
        submit(frame, quiz_page, right=True)
        page.close(run_before_unload=True)  # the learner closes the window: no Leave button
        # The browser goes on running, as it does when a learner closes one window: closing the whole context
        # at once may cut the requests the page left behind before they reach the LRS (seen under load).
        stored = stored_until(ralph, launch.registration, "terminated")
    finally:
        context.close()
    assert [verb(s) for s in stored] == ["launched", "initialized", "terminated"]
    check_context(stored[1:], launch, au["id"])
    assert errors == []


def test_a_second_load_of_a_launch_url_gets_no_token_and_records_nothing(
        page: Page, lms: Lms, ralph: Ralph, course_au: Package, page_errors: list[str]) -> None:
    [au] = course_au.aus
    launch = lms.launch(course_au.base, au["url"], au["id"], ACTIVITY.format(uuid.uuid4()), ACTOR)
    open_au(page, launch)
    page.reload()  # the first load's session ends (terminated); the fetch URL gives no second token
    expect(page.locator(".au-status")).to_have_text("La plateforme de formation ne répond pas : ce que vous faites "
                                                   "maintenant n'est pas enregistré.")
    page.wait_for_selector(".au-frame[src]")  # the course is still there to read
    assert lms.fetches[-2:] == ["token", "error"]
    stored = stored_until(ralph, launch.registration, "terminated")
    assert [verb(s) for s in stored] == ["launched", "initialized", "terminated"]
    assert page_errors == []


def test_opened_without_an_lms_the_page_shows_the_course_and_records_nothing(
        page: Page, course_au: Package, page_errors: list[str]) -> None:
    page.goto(course_au.base + "cmi5.html")
    expect(page.locator(".au-status")).to_have_text("Cette page n'a pas été ouverte par une plateforme de "
                                                   "formation : rien de ce que vous faites n'est enregistré.")
    expect(page.locator(".au-leave")).to_be_hidden()
    frame = page.frame_locator(".au-frame")
    expect(frame.locator("h1")).to_have_text(course_au.course.title)
    if AXE.is_file():  # the launch page is a page type of its own: WCAG 2.1 AA as the others
        assert describe(axe(page)["violations"]) == []
    assert page_errors == []
