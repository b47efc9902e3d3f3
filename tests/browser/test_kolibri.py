"""A reference course's Kolibri channel (`mooc export kolibri`) imported into a real Kolibri (tests/browser/
kolibri.py) and opened by a learner in Chromium, inside Kolibri's sandboxed frame: the quizzes scored on a
plain click (the sandbox blocks form submission), downloads put aside with a note, the score told to Kolibri
(the app complete when the certificate is earned), and the progress read back: from Kolibri's API, from what
Kolibri stores for the learner, and on another device."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect

from mooc_builder.build.checking import check
from mooc_builder.build.export import run_export
from mooc_builder.exports.kolibri import channel_id, uid
from mooc_builder.load.cache import LoadCache
from mooc_builder.model import Course, Module, Site
from mooc_builder.render.formatting import sequence_key

from ..conftest import REFERENCE, REQUIRE_TOOLS
from .kolibri import KOLIBRI, LEARNER, Hub, kolibri_hub
from .quizhelp import answer, submit

COURSE = "energie-habitants"
BY_MODULE = "energie-proximite"  # exported with --apps module into the same folder: a channel of its own
AS_OF = "2026-12-06"

STORED = """
import json
from kolibri.core.logger.models import ContentSummaryLog
log = ContentSummaryLog.objects.filter(user__username={name!r}, content_id={content!r}).first()
print(json.dumps(log and {{"progress": log.progress, "state": log.extra_fields.get("contentState", {{}})}}))
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference courses, COURSE done in Kolibri when its quizzes reach the pass mark (lms_completion:
    passed), BY_MODULE when its sequences are viewed (the default)."""
    copy = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(REFERENCE, copy)
    course_yml = copy / "courses" / COURSE / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + "lms_completion: passed\n", encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def site(content: Path) -> Site:
    checked, report = check(content, LoadCache())
    assert checked is not None and not report.errors
    return checked


@pytest.fixture(scope="module")
def model(site: Site) -> tuple[Site, Course]:
    return site, next(c for c in site.courses if c.id == COURSE)


@pytest.fixture(scope="module")
def hub(site: Site, content: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    if not KOLIBRI.exists():
        (pytest.fail if REQUIRE_TOOLS else pytest.skip)(f"no Kolibri at {KOLIBRI}: run `make tools-kolibri`")
    drive = tmp_path_factory.mktemp("usb") / "KOLIBRI_DATA"
    as_of = dt.date.fromisoformat(AS_OF)
    for course_id, apps in ((COURSE, "course"), (BY_MODULE, "module")):
        result = run_export("kolibri", content, course_id, {"apps": apps}, drive, as_of)
        assert result.ok, result.report
    channels = [channel_id(site, c) for c in site.courses if c.id in (COURSE, BY_MODULE)]
    with kolibri_hub(drive, channels) as started:
        yield started


def stored(hub: Hub, content_id: str) -> dict[str, Any] | None:
    """What Kolibri keeps for the learner and a resource: its progress and the app's state (xAPI statements,
    the page's storage); None before the learner opened it."""
    out = hub.manage("shell", "-c", STORED.format(name=LEARNER[0], content=content_id)).strip().splitlines()[-1]
    found: dict[str, Any] | None = json.loads(out)
    return found


def saved(hub: Hub, page: Page, content_id: str, done: Callable[[list[str]], bool],
          seconds: float = 30) -> dict[str, Any]:
    """What Kolibri keeps for the resource once its statements' verbs are ``done``: Kolibri saves the app's
    state a little after the page changes it, and only while the page is open."""
    deadline = time.monotonic() + seconds
    while True:
        kept = stored(hub, content_id)
        verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in (kept or {}).get("state", {}).get("xAPI", {})
                 .get("statement", [])]
        if kept is not None and done(verbs):
            return kept
        assert time.monotonic() < deadline, f"Kolibri kept {kept} after {seconds} s"
        page.wait_for_timeout(1000)


def sign_in(context: BrowserContext, hub: Hub) -> Page:
    page = context.new_page()
    page.goto(hub.base + "/fr-fr/auth/")
    token = next(c["value"] for c in context.cookies() if "csrftoken" in c["name"])
    facility = page.request.get(hub.base + "/api/public/v1/facility/").json()[0]["id"]
    signed = page.request.post(hub.base + "/api/auth/session/", headers={
        "X-CSRFToken": token, "Referer": hub.base + "/fr-fr/auth/", "Content-Type": "application/json"},
        data=json.dumps({"username": LEARNER[0], "password": LEARNER[1], "facility": facility}))
    assert signed.ok, signed.text()
    return page


def content_frame(page: Page, hub: Hub, path: str, seconds: float = 30) -> Frame:
    """The frame that shows the app's page at ``path`` (inside Kolibri's sandbox page, on its zip port)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame.url.split("?")[0].endswith("/" + path) and not frame.url.startswith(hub.base):
                return frame
        page.wait_for_timeout(200)
    raise AssertionError(f"no frame shows {path}: {[f.url for f in page.frames]}")


def open_app(page: Page, hub: Hub, site: Site, course: Course, module: Module | None = None) -> Frame:
    """The course's app (or ``module``'s) opened in Kolibri's Learn, at its entry page."""
    entry = module or course
    page.goto(f"{hub.base}/fr-fr/learn/#/topics/c/{uid(site, course, 'app', module.id if module else 'course')}")
    frame = content_frame(page, hub, entry.page.file.as_posix())
    expect(frame.locator("h1")).to_have_text(entry.title)
    return frame


def go(page: Page, hub: Hub, frame: Frame, path: str) -> Frame:
    """The app's page at ``path`` (a site path), opened in the app's frame."""
    address = frame.url.split("?")[0]
    course = path.split("/", 1)[0]
    frame.goto(address[: address.index(f"/{course}/") + 1] + path)
    return content_frame(page, hub, path)


def test_a_learner_takes_the_course_in_kolibri(browser: Browser, hub: Hub, model: tuple[Site, Course]) -> None:
    site, course = model
    context = browser.new_context(locale="fr-FR")
    errors: list[str] = []
    try:
        page = sign_in(context, hub)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        frame = open_app(page, hub, site, course)
        # A sequence with documents: no link that would do nothing, its title and a note instead.
        with_resources = next(s for s in course.sequences if s.resources)
        frame = go(page, hub, frame, with_resources.page.file.as_posix())
        expect(frame.locator("h1")).to_have_text(with_resources.title)
        assert frame.locator("a[download]").count() == 0
        expect(frame.locator(".sandbox-note").first).to_have_text(" (non téléchargeable dans Kolibri)")
        # The course's search, by Enter in its field: the sandbox blocks the form's submission.
        frame = go(page, hub, frame, course.search_page.file.as_posix())
        frame.fill("#search-query", "facture")
        frame.press("#search-query", "Enter")
        expect(frame.locator(".search-results li").first).to_be_visible()
        # Every graded quiz answered rightly, checked by a plain click in the sandbox. Kolibri says the app is
        # complete (its completion window) once the points reach the certificate's mark, not before.
        graded = [s for s in course.sequences if s.quiz is not None and s.quiz.graded]
        needed = math.ceil(course.graded_points * course.pass_mark)
        earned = at_pass = 0
        completion = page.get_by_text("Ressource achevée")  # Kolibri's completion window
        for sequence in graded:
            quiz = sequence.quiz
            assert quiz is not None
            frame = go(page, hub, frame, sequence.page.file.as_posix())
            for number, question in enumerate(quiz.questions, start=1):
                answer(frame, number, question, right=True)
            submit(frame)
            expect(frame.locator(".quiz-result")).to_contain_text(f"{quiz.points} sur {quiz.points} points")
            if earned < needed <= earned + quiz.points:
                at_pass = earned + quiz.points
                expect(completion).to_be_visible(timeout=15_000)
                page.get_by_role("button", name="Rester ici").click()  # "stay here": the course goes on
                expect(completion).to_have_count(0)
            else:
                page.wait_for_timeout(1500)
                expect(completion).to_have_count(0)
            earned += quiz.points
        frame = go(page, hub, frame, course.certificate_page.file.as_posix())
        expect(frame.locator(".certificate-unlocked")).to_be_visible()
        assert frame.locator(".certificate-print").count() == 0
        # Kolibri's own progress for the app: complete, from the "passed" statement (not from the time spent).
        kept = saved(hub, page, uid(site, course, "app", "course", "content"),
                     lambda verbs: len(verbs) == len(graded) + 2)
        assert kept["progress"] == 1.0, kept["progress"]
        statements = kept["state"]["xAPI"]["statement"]
        verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
        assert sorted(verbs) == sorted(["initialized", "passed"] + ["scored"] * len(graded)), verbs
        passed = next(s for s in statements if s["verb"]["id"].endswith("/passed"))
        # Said once, with the points that earned the certificate.
        assert passed["result"]["score"] == {"raw": at_pass, "min": 0, "max": course.graded_points,
                                             "scaled": at_pass / course.graded_points}
        assert passed["result"]["success"] is True and passed["object"]["id"].endswith(f"/{COURSE}/")
        # The page's storage, kept by Kolibri with the learner: the quizzes' records are there.
        local = kept["state"]["localStorage"]
        progress_key = next(k for k in local if k.startswith("mooc:") and ":kolibri:" not in k)
        assert set(json.loads(local[progress_key])["quizzes"]) >= {sequence_key(s) for s in graded}
    finally:
        context.close()
    assert errors == []
    # Another device: a new browser, the same learner; the last quiz shows its score again.
    other = browser.new_context(locale="fr-FR")
    try:
        page = sign_in(other, hub)
        frame = open_app(page, hub, site, course)
        last = graded[-1]
        assert last.quiz is not None
        frame = go(page, hub, frame, last.page.file.as_posix())
        expect(frame.locator(".quiz-result")).to_contain_text(f"{last.quiz.points} sur {last.quiz.points} points")
        frame = go(page, hub, frame, course.progress_page.file.as_posix())
        expect(frame.locator(".progress-summary")).to_contain_text(str(course.graded_points))
        assert frame.locator(".progress-save").count() == 0
    finally:
        other.close()


def test_a_module_app_is_complete_once_its_module_is_viewed(browser: Browser, hub: Hub, site: Site) -> None:
    """With --apps module, each module is an app entering at its page. BY_MODULE keeps lms_completion's default
    (viewed): Kolibri says its module's app complete once every sequence of that module has been viewed, not
    before, and the other modules' apps stay as they were."""
    course = next(c for c in site.courses if c.id == BY_MODULE)
    module = course.modules[1]
    others = [m for m in course.modules if m is not module]
    assert len(module.sequences) >= 2 and others
    context = browser.new_context(locale="fr-FR")
    try:
        page = sign_in(context, hub)
        frame = open_app(page, hub, site, course, module)
        completion = page.get_by_text("Ressource achevée")
        for number, sequence in enumerate(module.sequences, start=1):
            frame = go(page, hub, frame, sequence.page.file.as_posix())
            expect(frame.locator("h1")).to_have_text(sequence.title)
            if number < len(module.sequences):
                page.wait_for_timeout(1500)
                expect(completion).to_have_count(0)
        expect(completion).to_be_visible(timeout=15_000)
        kept = saved(hub, page, uid(site, course, "app", module.id, "content"), lambda verbs: "completed" in verbs)
    finally:
        context.close()
    assert kept["progress"] == 1.0
    statements = kept["state"]["xAPI"]["statement"]
    assert sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in statements) == ["completed", "initialized"]
    assert all(s["object"]["id"].endswith(f"/{BY_MODULE}/{module.id}/") for s in statements)
    for other in others:
        left = stored(hub, uid(site, course, "app", other.id, "content"))
        assert left is None or left["progress"] < 1
