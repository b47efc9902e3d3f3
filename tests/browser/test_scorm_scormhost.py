"""The SCORM packages in scormhost (PyPI), a real SCORM 1.2 and 2004 player: its server started here on 127.0.0.1
(`make tools-scormhost` installs it in .tools/scormhost/), a package uploaded through its API, launched in its
player in Chromium. scormhost keeps one record per SCO and refuses a second Initialize: with one SCO for the whole
course, two quizzes in two sequences make the course's score, and come back at the next launch."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect

from mooc_builder.build import check
from mooc_builder.build.export import run_export
from mooc_builder.model import Course, Sequence

from ..conftest import REFERENCE, REQUIRE_TOOLS, ROOT
from ..processes import free_port, stop_group
from .conftest import AS_OF
from .quizhelp import answer

VENV = ROOT / ".tools" / "scormhost"
APP = Path(__file__).resolve().parent / "lms" / "scormhost_app.py"
VERSIONS = ["1.2", "2004"]
START_SECONDS = 60
LAUNCH = "launch.html"


# In scormhost's player page: each SCORM call the package makes, and the error code it left (GetLastError).
WATCH_CALLS = """
(() => {
  if (window !== window.top) return;
  window.__scormCalls = [];
  window.__scormErrors = [];
  const names = new Set(["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
    "Initialize", "Terminate", "GetValue", "SetValue", "Commit"]);
  for (const name of ["API", "API_1484_11"]) {
    let value;
    Object.defineProperty(window, name, {
      configurable: true,
      get() { return value; },
      set(api) {
        if (api && typeof api === "object") {
          const last = name === "API" ? "LMSGetLastError" : "GetLastError";
          for (const key of names) {
            const method = api[key];
            if (typeof method !== "function") continue;
            api[key] = function (...args) {
              const result = method.apply(this, args);
              const code = String(api[last]());
              window.__scormCalls.push(key);
              if (code !== "0") window.__scormErrors.push([key, ...args.map(String), "=>", code].join(" "));
              return result;
            };
          }
        }
        value = api;
      },
    });
  }
})();
"""


@dataclass(frozen=True)
class Scormhost:
    base: str
    log: Path


@pytest.fixture(scope="module")
def scormhost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scormhost]:
    uvicorn = VENV / "bin" / "uvicorn"
    if not uvicorn.is_file():
        message = f"scormhost is not installed in {VENV} (`make tools-scormhost`)"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("scormhost")
    (folder / "data").mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(SCORMHOST_DATA=str(folder / "data"), NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    log = folder / "uvicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen([str(uvicorn), "scormhost_app:app", "--host", "127.0.0.1", "--port", str(port),
                                    "--app-dir", str(APP.parent)], cwd=folder, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while True:
            if process.poll() is not None:
                pytest.fail(f"scormhost stopped ({process.returncode})\n{log.read_text(errors='replace')}")
            try:
                opener.open(base + "/", timeout=5).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"scormhost did not answer within {START_SECONDS} s\n{log.read_text(errors='replace')}")
                time.sleep(0.25)
        yield Scormhost(base, log)
    finally:
        stop_group(process)


@dataclass(frozen=True)
class Packages:
    course: Course
    files: dict[str, Path]


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    site, report = check(REFERENCE)
    assert site is not None, [str(d) for d in report.errors]
    folder = tmp_path_factory.mktemp("scormhost-packages")
    files = {}
    for version in VERSIONS:
        files[version] = folder / f"energie-habitants-{version}.zip"
        result = run_export("scorm", REFERENCE, "energie-habitants", {"version": version}, files[version], AS_OF)
        assert result.ok, [str(d) for d in result.report.errors]
    return Packages(next(c for c in site.courses if c.id == "energie-habitants"), files)


def upload(page: Page, scormhost: Scormhost, path: Path) -> str:
    """The admin (scormhost's first user; only the admin uploads), signed in in this browser context, uploads the
    package; each package is a new activity, with nothing stored."""
    request = page.context.request
    said = request.post(f"{scormhost.base}/api/auth/register", data={
        "email": "admin@example.org", "username": "admin", "password": "loopback-pass-123", "display_name": "Admin"})
    if not said.ok:  # registered by the other test
        said = request.post(f"{scormhost.base}/api/auth/login", data={
            "email": "admin@example.org", "password": "loopback-pass-123"})
    assert said.ok, said.text()
    said = request.post(f"{scormhost.base}/api/packages", multipart={
        "file": {"name": path.name, "mimeType": "application/zip", "buffer": path.read_bytes()}})
    assert said.ok, said.text()
    uploaded: dict[str, Any] = said.json()
    assert len(uploaded["manifest"]["launches"]) == 1  # one SCO
    return str(uploaded["id"])


def stored(page: Page, scormhost: Scormhost, package: str) -> dict[str, str]:
    said = page.context.request.get(f"{scormhost.base}/api/scorm/{package}/cmi?launch={quote(LAUNCH, safe='')}")
    assert said.ok, said.text()
    elements: dict[str, str] = said.json().get("elements") or {}
    return elements


def launch(page: Page, scormhost: Scormhost, package: str) -> Frame:
    page.goto(f"{scormhost.base}/launch/{package}?launch={quote(LAUNCH, safe='')}")
    course = page.frame(name="mooc-course")
    deadline = time.monotonic() + 20
    while course is None or "index.html" not in course.url:
        assert time.monotonic() < deadline, "the package's launch page never showed the course"
        page.wait_for_timeout(100)
        course = page.frame(name="mooc-course")
    course.wait_for_load_state()
    return course


def visit(frame: Frame, sequence: Sequence) -> None:
    base = frame.url[:frame.url.index("energie-habitants/")]
    frame.goto(base + sequence.page.file.as_posix())


def wait_for(page: Page, scormhost: Scormhost, package: str, element: str, expected: str) -> dict[str, str]:
    deadline = time.monotonic() + 15
    while True:
        elements = stored(page, scormhost, package)
        if elements.get(element) == expected:
            return elements
        assert time.monotonic() < deadline, f"{element} stayed {elements.get(element)!r}, not {expected!r}: {elements}"
        page.wait_for_timeout(200)


@pytest.mark.parametrize("version", VERSIONS)
def test_two_quizzes_make_the_course_score_and_come_back_at_the_next_launch(
        page: Page, page_errors: list[str], scormhost: Scormhost, packages: Packages, version: str) -> None:
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).hostname not in (None, "127.0.0.1")
            and r.url.startswith("http") else None)
    page.add_init_script(WATCH_CALLS)
    graded = [s for s in packages.course.sequences if s.quiz is not None and s.quiz.graded]
    first, second = graded[0], graded[2]
    package = upload(page, scormhost, packages.files[version])
    frame = launch(page, scormhost, package)
    raw, status = ("cmi.core.score.raw", "cmi.core.lesson_status") if version == "1.2" else \
        ("cmi.score.raw", "cmi.success_status")
    # energie-habitants: 28 graded points, a 30 % pass mark; the first quiz is worth 7, the second 4.
    for sequence, score, verdict in ((first, "25", "incomplete" if version == "1.2" else "unknown"),
                                     (second, "39.29", "passed")):
        visit(frame, sequence)
        assert sequence.quiz is not None
        for number, question in enumerate(sequence.quiz.questions, start=1):
            answer(frame, number, question, True)  # type: ignore[arg-type]  # a Frame fills like a Page
        frame.click("form.quiz button[type=submit]")
        elements = wait_for(page, scormhost, package, raw, score)
        assert elements.get(status) == verdict, elements
        if sequence is first:  # its last question, a matching one, as scormhost keeps its interaction
            assert elements.get("cmi.interactions.4.type") == "matching", elements
            assert elements.get("cmi.interactions.4.result") == "correct", elements
    calls = page.evaluate("window.__scormCalls")
    assert calls.count("LMSInitialize" if version == "1.2" else "Initialize") == 1, calls
    assert page.evaluate("window.__scormErrors") == []  # no call left an error code
    page.goto("about:blank")  # leave: the package ends its session
    # The next launch: both quizzes show their answers again, from scormhost's record alone.
    page.goto(scormhost.base + "/")
    page.evaluate("localStorage.clear()")
    frame = launch(page, scormhost, package)
    for sequence in (first, second):
        assert sequence.quiz is not None
        visit(frame, sequence)
        expect(frame.locator(".quiz-result")).to_contain_text(
            f"Votre score : {sequence.quiz.points} sur {sequence.quiz.points} points")
    assert page.evaluate("window.__scormErrors") == []
    assert foreign == [] and page_errors == []
