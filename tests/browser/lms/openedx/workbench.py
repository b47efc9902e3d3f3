"""The Open edX SCORM block (PyPI openedx-scorm-xblock) in the XBlock SDK workbench (PyPI xblock-sdk), for tests.

`make tools-openedx` installs both, with what they lack, into their own venv (.tools/openedx/): their Django and
XBlock never meet the project's venv. :func:`start_workbench` copies the workbench project of ``project/`` (its
settings, and the workbench fixes of ``lmsfix``, after the study of our packages in real LMS runtimes) into a
folder of its own, makes the database (``migrate --run-syncdb``: the workbench app ships no migrations) and runs
``runserver`` on a free 127.0.0.1 port, in a process group of its own, stopped at the end. Everything the
workbench writes stays in that folder: database, log, extracted packages (MEDIA_ROOT), published events.

:class:`Workbench` is what a test gets:

* ``upload(zip)`` puts a package into an empty SCORM block through the block's own ``studio_submit`` handler,
  the one Studio's upload form posts to (the same fields), and returns the :class:`Block`;
* ``student_view(block, student)`` is the URL of the block as that learner sees it (the workbench takes the
  learner's id from ``?student=``: a new id is a new learner, with nothing stored);
* ``state(block, student)`` is what the block keeps for that learner (its ``Scope.user_state`` fields, read
  from the workbench's database) and the events it published for them (grade, completion, tracking), as a
  :class:`BlockState`; ``wait_for(...)`` polls it until a condition holds (the block's JavaScript sends the
  package's SetValue calls in the background);
* ``settings(block)`` is what the upload stored: ``index_page_path`` (what the block launches),
  ``scorm_version``, ``navigation_menu``, ``package_meta``, ``package_warnings``...
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ....conftest import REQUIRE_TOOLS, ROOT
from ....processes import free_port, stop_group

PYTHON = ROOT / ".tools" / "openedx" / "bin" / "python"
PROJECT = Path(__file__).resolve().parent / "project"
SLOTS = 8  # empty SCORM blocks the workbench offers: scenarios scorm.0 to scorm.7, one package each
MIGRATE_SECONDS = 180
START_SECONDS = 90
STOP_SECONDS = 15
UPLOAD_SECONDS = 120
STAFF = "staff"  # the learner id of the upload requests (the block's settings are the same for every learner)

# The block's tracking event for a SCORM session started (LMSInitialize / Initialize), published by the block.
INITIALIZED = "openedx.xblock.scorm.initialized"


@dataclass(frozen=True)
class Block:
    scenario: str  # the workbench scenario holding the block: "scorm.0"
    usage_id: str  # the block's usage id: "scorm-package-0.scorm.d0.u0"
    package: str  # the file name of the zip uploaded into it


@dataclass(frozen=True)
class BlockState:
    """What the SCORM block keeps for one learner, and what it published for them.

    ``fields`` are the block's ``Scope.user_state`` fields as stored, ``events`` the events it published for this
    learner (``{"type": "grade", "data": {"value": 0.4, "max_value": 1.0}}``, ``"completion"``, and its tracking
    events ``openedx.xblock.scorm.*``), in order. A field never written has the block's default.
    """

    fields: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def lesson_status(self) -> str:
        """The block's completion: "not attempted", "incomplete", "completed" (1.2's passed sets "completed";
        1.2's failed, and browsed, leave it as it was; 2004's cmi.completion_status as sent)."""
        return str(self.fields.get("lesson_status", "not attempted"))

    @property
    def success_status(self) -> str:
        """ "unknown", "passed" or "failed" (1.2's lesson_status passed/failed, 2004's cmi.success_status)."""
        return str(self.fields.get("success_status", "unknown"))

    @property
    def lesson_score(self) -> float:
        """The score on 0..1: the last of cmi(.core).score.raw / 100 and 2004's cmi.score.scaled to be sent."""
        return float(self.fields.get("lesson_score", 0))

    @property
    def scorm_data(self) -> dict[str, Any]:
        """Every cmi element the package set, as last sent (the block gives them back at the next launch)."""
        data = self.fields.get("scorm_data", {})
        return dict(data) if isinstance(data, dict) else {}

    @property
    def suspend_data(self) -> str | None:
        value = self.scorm_data.get("cmi.suspend_data")
        return None if value is None else str(value)

    @property
    def grades(self) -> list[float]:
        """Every grade the block published, in order: the LMS's gradebook keeps the last. The block publishes
        lesson_score x weight (weight 1 here), or 0 while the package says failed."""
        return [float(e["data"]["value"]) for e in self.events if e["type"] == "grade"]

    @property
    def grade(self) -> float | None:
        grades = self.grades
        return grades[-1] if grades else None

    @property
    def completion(self) -> float | None:
        """The last completion the block published (1.0 once the package says completed), if any."""
        values = [float(e["data"]["completion"]) for e in self.events if e["type"] == "completion"]
        return values[-1] if values else None

    @property
    def launched(self) -> bool:
        """A SCORM session was started: the package called LMSInitialize / Initialize through the block."""
        return any(e["type"] == INITIALIZED for e in self.events)

    def summary(self) -> dict[str, Any]:
        return {"lesson_status": self.lesson_status, "success_status": self.success_status,
                "lesson_score": self.lesson_score, "grade": self.grade, "completion": self.completion,
                "launched": self.launched, "suspend_data": self.suspend_data,
                "event_types": [e["type"] for e in self.events]}


class Workbench:
    def __init__(self, folder: Path, base: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.folder = folder  # the workbench project's copy: var/ (database, logs, events), media/ (packages)
        self.base = base  # "http://127.0.0.1:PORT/"
        self.process = process
        self.server_log = log
        self.database = folder / "var" / "workbench.db"
        self.events_file = folder / "var" / "events.jsonl"
        self.uploaded: list[Block] = []

    # --- the author's side ---------------------------------------------------------------------------------

    def upload(self, package: Path, *, navigation_menu: bool = False, popup: bool = False,
               height: int | None = None) -> Block:
        """Put ``package`` into the next empty SCORM block, as Studio's upload form does: a multipart POST of
        the form's fields and the file to the block's studio_submit handler, which extracts the package and
        reads its manifest (the first resource with an href is what the block launches)."""
        if len(self.uploaded) >= SLOTS:
            pytest.fail(f"the workbench offers {SLOTS} SCORM blocks and all hold a package already")
        scenario = f"scorm.{len(self.uploaded)}"
        cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPCookieProcessor(cookies))
        page = self._read(opener, f"scenario/{scenario}/?student={STAFF}")
        found = re.search(r"data-usage='([^']+)' data-block-type='scorm'", page)
        assert found, f"no SCORM block in the workbench's page of {scenario}"
        usage_id = found.group(1)
        token = next((c.value for c in cookies if c.name == "csrftoken"), None)
        assert token, "the workbench set no CSRF cookie"
        fields = {"display_name": package.stem, "has_score": "1", "weight": "1",
                  "enable_navigation_menu": "1" if navigation_menu else "0", "enable_fullscreen_button": "1",
                  "width": "", "height": "" if height is None else str(height), "navigation_menu_width": "",
                  "popup_on_launch": "1" if popup else "0"}
        body, content_type = multipart(fields, "file", package)
        request = urllib.request.Request(self.base + f"handler/{usage_id}/studio_submit/?student={STAFF}",
                                         data=body, method="POST",
                                         headers={"Content-Type": content_type, "X-CSRFToken": token})
        try:
            with opener.open(request, timeout=UPLOAD_SECONDS) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            pytest.fail(f"studio_submit answered {error.code} for {package.name}\n{self.log_tail()}")
        assert answer == {"result": "success", "errors": []}, (package.name, answer)
        block = Block(scenario, usage_id, package.name)
        self.uploaded.append(block)
        return block

    def settings(self, block: Block) -> dict[str, Any]:
        """The block's Scope.settings and Scope.content fields, as the upload stored them."""
        definition = block.usage_id.rsplit(".u", 1)[0]
        merged: dict[str, Any] = {}
        for (state,) in self._query("select state from workbench_xblockstate where user_id is null and "
                                    "scope_id in (?, ?)", (block.usage_id, definition)):
            merged.update(json.loads(state))
        return merged

    # --- the learner's side --------------------------------------------------------------------------------

    def student_view(self, block: Block, student: str) -> str:
        """The URL of ``block`` as learner ``student`` sees it (in Open edX: the unit's page in the LMS)."""
        return self.base + f"scenario/{block.scenario}/?student={student}"

    def state(self, block: Block, student: str) -> BlockState:
        rows = self._query("select state from workbench_xblockstate where scope = 'usage' and scope_id = ? "
                           "and user_id = ?", (block.usage_id, student))
        fields: dict[str, Any] = json.loads(rows[0][0]) if rows else {}
        return BlockState(fields, self.events(block, student))

    def wait_for(self, block: Block, student: str, condition: Callable[[BlockState], bool], what: str,
                 timeout: float = 15) -> BlockState:
        """The learner's state once ``condition`` holds; fails after ``timeout`` seconds saying ``what`` was
        awaited and what the block holds."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.state(block, student)
            if condition(state):
                return state
            if time.monotonic() > deadline:
                pytest.fail(f"waited {timeout:g} s for {what}; the block holds {state.summary()}")
            time.sleep(0.2)

    def events(self, block: Block, student: str) -> list[dict[str, Any]]:
        if not self.events_file.is_file():
            return []
        records = (json.loads(line) for line in self.events_file.read_text(encoding="utf-8").splitlines() if line)
        return [r for r in records if r["user"] == student and r["usage"] == block.usage_id]

    def log_tail(self, characters: int = 6000) -> str:
        parts = []
        for path in (self.server_log, self.folder / "var" / "workbench.log"):
            if path.is_file():
                parts.append(f"--- {path.name}\n" + path.read_text(encoding="utf-8", errors="replace")[-characters:])
        return "\n".join(parts)

    # --- inside ----------------------------------------------------------------------------------------------

    def _read(self, opener: urllib.request.OpenerDirector, path: str) -> str:
        with opener.open(self.base + path, timeout=60) as response:
            return str(response.read().decode("utf-8"))

    def _query(self, sql: str, parameters: tuple[str, ...]) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(f"{self.database.as_uri()}?mode=ro", uri=True, timeout=30)) as db:
            return db.execute(sql, parameters).fetchall()


def multipart(fields: dict[str, str], file_field: str, path: Path) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with a file; and its content type."""
    boundary = f"----mooc-{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
                  "Content-Type: application/zip\r\n\r\n".encode())
    chunks.append(path.read_bytes())
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WORKBENCH_", "PYTHON"))}
    env["LMSFIX_SLOTS"] = str(SLOTS)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


@contextlib.contextmanager
def start_workbench(folder: Path) -> Iterator[Workbench]:
    """The workbench, started in ``folder`` (a new, empty one) on a free 127.0.0.1 port, stopped at the end."""
    if not PYTHON.is_file():
        message = f"the Open edX workbench is not installed at {PYTHON.parent.parent} (`make tools-openedx`)"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)
    project = folder / "project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("__pycache__"))
    env = _environment()
    try:
        migrate = subprocess.run([str(PYTHON), "manage.py", "migrate", "--run-syncdb", "--verbosity", "1"],
                                 cwd=project, env=env, capture_output=True, text=True, timeout=MIGRATE_SECONDS)
    except subprocess.TimeoutExpired as expired:
        said = b"".join(o if isinstance(o, bytes) else str(o or "").encode() for o in (expired.stdout, expired.stderr))
        pytest.fail(f"the workbench's migrate took more than {MIGRATE_SECONDS} s\n{said.decode(errors='replace')}")
    if migrate.returncode != 0:
        pytest.fail(f"the workbench's migrate failed ({migrate.returncode})\n{migrate.stdout}\n{migrate.stderr}")
    port = free_port()
    log = folder / "runserver.log"
    with log.open("wb") as output:
        process = subprocess.Popen([str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                   cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    workbench = Workbench(project, f"http://127.0.0.1:{port}/", process, log)
    try:
        _wait_until_up(workbench)
        yield workbench
    finally:
        stop_group(process, STOP_SECONDS)


def _wait_until_up(workbench: Workbench) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + START_SECONDS
    last = ""
    while True:
        if workbench.process.poll() is not None:
            pytest.fail(f"the workbench stopped ({workbench.process.returncode}) before it answered\n"
                        f"{workbench.log_tail()}")
        try:
            workbench._read(opener, "scenario/scorm.0/")  # the first request also loads the scenarios
            return
        except (urllib.error.URLError, OSError) as error:
            last = str(error)
        if time.monotonic() > deadline:
            pytest.fail(f"the workbench did not answer within {START_SECONDS} s ({last})\n{workbench.log_tail()}")
        time.sleep(0.25)


@pytest.fixture(scope="session")
def openedx_workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    """The Open edX SCORM block in the XBlock SDK workbench, started once for the test session."""
    with start_workbench(tmp_path_factory.mktemp("openedx")) as workbench:
        yield workbench
