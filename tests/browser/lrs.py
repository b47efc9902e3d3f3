"""A real LRS and the LMS side of cmi5, on 127.0.0.1, for the cmi5 tests.

Ralph (PyPI ralph-malph, installed by `make tools-ralph` into .tools/ralph) is the LRS FUN MOOC runs: it is
started with its file-system backend in a temporary folder and HTTP basic auth from a credentials file made
here. Ralph keeps statements only: it has no State API, which cmi5 asks of an LMS's LRS (LMS.LaunchData, the AU's
own state) nor an Agent Profile API. So the LMS here is what a cmi5 LMS puts in front of such an LRS: one
endpoint that keeps the State and Agent Profile documents itself and hands statements on to Ralph, the fetch
URL that gives each launch its auth token once (the basic credentials of Ralph's user, so Ralph checks every
statement's authorisation itself), and the page a learner returns to. It answers CORS preflights, as an LMS
must when its packages are served from another origin (here, another port).
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..processes import free_port, stop

ROOT = Path(__file__).resolve().parents[2]
RALPH_PYTHON = ROOT / ".tools" / "ralph" / "bin" / "python"
USER, PASSWORD = "lms", "a-password-for-the-test"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
START_TIMEOUT = 60.0  # seconds for Ralph to answer its heartbeat (about 1 s here)
# Ralph as `uvicorn ralph.api:app` would run it, with one change. Its file-system LRS backend (5.1.0, and its
# repository's main branch) writes each batch of statements with the INDEX operation, which refuses a file that
# exists: only the first statement the LRS is sent would be stored, every later one answered 500 ("Statement
# indexation failed"). APPEND adds each batch to the JSON-lines file, which is what the backend reads back.
LAUNCHER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), workers=1, log_level="info")
"""
REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True)
class Ralph:
    base: str  # http://127.0.0.1:PORT/
    log: Path

    def request(self, method: str, path: str, params: dict[str, str] | None = None, body: Any = None
                ) -> tuple[int, Any]:
        """(status, JSON) of a request to Ralph as the LMS's user."""
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Authorization": f"Basic {TOKEN}", "X-Experience-API-Version": "1.0.3"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data, headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def statements(self, registration: str) -> list[dict[str, Any]]:
        """Every statement Ralph stored for ``registration``, in the order they happened (timestamp, then stored)."""
        status, answer = self.request("GET", "xAPI/statements", {"registration": registration, "limit": "500"})
        assert status == 200, answer
        assert not answer.get("more"), "more statements than one page"
        found: list[dict[str, Any]] = answer["statements"]
        return sorted(found, key=lambda s: (dt.datetime.fromisoformat(s["timestamp"]),
                                            dt.datetime.fromisoformat(s["stored"])))


@contextmanager
def running_ralph(folder: Path) -> Iterator[Ralph]:
    """Ralph on a free 127.0.0.1 port, its statements in ``folder``; stopped on leaving, whatever happens."""
    salted = subprocess.run([str(RALPH_PYTHON), "-c", "import bcrypt, sys; sys.stdout.write(bcrypt.hashpw("
                             "sys.argv[1].encode(), bcrypt.gensalt(4)).decode())", PASSWORD],
                            capture_output=True, text=True, check=True, timeout=60).stdout
    credentials = folder / "auth.json"
    credentials.write_text(json.dumps([{
        "username": USER, "hash": salted, "scopes": ["all"],
        "agent": {"objectType": "Agent", "mbox": "mailto:lms@example.org"},
    }]), encoding="utf-8")
    store = folder / "statements"
    store.mkdir()
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder), "LANG": "C.UTF-8",
           "RALPH_APP_DIR": str(folder), "RALPH_AUTH_FILE": str(credentials),
           "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(store)}
    log = folder / "ralph.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(RALPH_PYTHON), "-c", LAUNCHER, str(port)],
                                   env=env, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    try:
        ralph = Ralph(f"http://127.0.0.1:{port}/", log)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(ralph.base + "__heartbeat__", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Ralph did not answer in {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield ralph
    finally:
        stop(process, 10)


# --- the LMS ------------------------------------------------------------------------------------------------------


@dataclass
class Launch:
    """One launch of an AU, as an LMS makes it: the URL to open and what it stored first."""

    url: str
    registration: str
    session: str
    activity: str
    actor: dict[str, Any]


@dataclass
class Lms:
    """The LMS side: the xAPI endpoint (State and Agent Profile APIs here, statements to Ralph), fetch URLs."""

    ralph: Ralph
    base: str = ""  # http://127.0.0.1:PORT/, once started
    documents: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    tokens: dict[str, bool] = field(default_factory=dict)  # fetch key -> already handed out
    fetches: list[str] = field(default_factory=list)  # what each call to a fetch URL got ("token", "error")
    lock: threading.Lock = field(default_factory=threading.Lock)

    def state_key(self, params: dict[str, str]) -> tuple[str, str, str, str]:
        agent = json.dumps(json.loads(params.get("agent", "{}")), sort_keys=True)
        return (params.get("activityId", ""), agent, params.get("registration", ""), params.get("stateId", ""))

    def launch(self, content: str, page: str, publisher_id: str, activity: str, actor: dict[str, Any],
               registration: str | None = None, mode: str = "Normal", mastery: float | None = 0.3,
               move_on: str = "Completed") -> Launch:
        """What an LMS does before it opens an AU: the session's LMS.LaunchData, the "launched" statement, a
        one-time fetch URL; then the launch URL of ``page`` (in the package served at ``content``)."""
        registration = registration or str(uuid.uuid4())
        session = str(uuid.uuid4())
        extensions = {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": session}
        template = {"contextActivities": {"grouping": [{"id": publisher_id, "objectType": "Activity"}]},
                    "extensions": extensions}
        data: dict[str, Any] = {"contextTemplate": template, "launchMode": mode, "moveOn": move_on,
                                "returnURL": self.base + "return", "launchMethod": "AnyWindow"}
        if mastery is not None:
            data["masteryScore"] = mastery
        key = (activity, json.dumps(actor, sort_keys=True), registration, "LMS.LaunchData")
        with self.lock:
            self.documents[key] = json.dumps(data).encode("utf-8")
        cmi5 = "https://w3id.org/xapi/cmi5/context/"
        launched = {
            "id": str(uuid.uuid4()), "actor": actor, "timestamp": dt.datetime.now(dt.UTC).isoformat(),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
            "object": {"id": activity, "objectType": "Activity"},
            "context": {**template, "registration": registration,
                        "contextActivities": {**template["contextActivities"],
                                              "category": [{"id": cmi5 + "categories/cmi5"}]},
                        "extensions": {**extensions, cmi5 + "extensions/launchmode": mode,
                                       cmi5 + "extensions/moveon": move_on,
                                       cmi5 + "extensions/launchurl": content + page}},
        }
        if mastery is not None:
            launched["context"]["extensions"][cmi5 + "extensions/masteryscore"] = mastery
        status, answer = self.ralph.request("PUT", "xAPI/statements", {"statementId": launched["id"]}, launched)
        assert status == 204, answer
        fetch_key = uuid.uuid4().hex
        with self.lock:
            self.tokens[fetch_key] = False
        params = {"endpoint": self.base + "xAPI/", "fetch": f"{self.base}fetch/{fetch_key}",
                  "actor": json.dumps(actor), "registration": registration, "activityId": activity}
        return Launch(f"{content}{page}?{urllib.parse.urlencode(params)}", registration, session, activity, actor)

    def state(self, launch: Launch, state_id: str) -> Any:
        with self.lock:
            raw = self.documents.get((launch.activity, json.dumps(launch.actor, sort_keys=True),
                                      launch.registration, state_id))
        return None if raw is None else json.loads(raw)


class LmsHandler(http.server.BaseHTTPRequestHandler):
    lms: Lms  # set on the subclass made for each server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version")
        self.send_header("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, OPTIONS")
        self.send_header("Access-Control-Expose-Headers", "X-Experience-API-Version")
        self.send_header("Vary", "Origin")

    def _answer(self, status: int, body: bytes = b"", kind: str = "application/json") -> None:
        self.send_response(status)
        self._cors()
        self.send_header("X-Experience-API-Version", "1.0.3")
        if status != 204:
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 204:
            self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_OPTIONS(self) -> None:
        self._answer(204)

    def do_GET(self) -> None:
        self._route("GET")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_POST(self) -> None:
        self._route("POST")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def _route(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query))
        lms = self.lms
        if url.path.startswith("/fetch/") and method == "POST":
            self._body()
            with lms.lock:
                used = lms.tokens.get(url.path.removeprefix("/fetch/"))
                if used is False:
                    lms.tokens[url.path.removeprefix("/fetch/")] = True
            lms.fetches.append("token" if used is False else "error")
            if used is False:
                self._answer(200, json.dumps({"auth-token": TOKEN}).encode())
            else:  # cmi5 8.2.3: the fetch URL is for one use; the LMS answers an error, with status 200
                self._answer(200, json.dumps({"error-code": "1", "error-text": "already used"}).encode())
            return
        if url.path == "/return":
            self._answer(200, b"<!doctype html><title>LMS</title><p>Back in the LMS.", "text/html")
            return
        if not url.path.startswith("/xAPI/"):
            self._answer(404, b"{}")
            return
        if self.headers.get("Authorization") != f"Basic {TOKEN}":
            self._body()
            self._answer(401, b'{"error": "unauthorised"}')
            return
        resource = url.path.removeprefix("/xAPI/").rstrip("/")
        if resource in ("activities/state", "agents/profile"):
            self._document(method, resource, params)
        elif resource == "statements":
            self._forward(method, url.query)
        else:
            self._body()
            self._answer(404, b"{}")

    def _document(self, method: str, resource: str, params: dict[str, str]) -> None:
        lms = self.lms
        agent = json.dumps(json.loads(params.get("agent", "{}")), sort_keys=True)
        key = (lms.state_key(params) if resource == "activities/state"
               else ("profile", agent, "", params.get("profileId", "")))
        body = self._body()
        with lms.lock:
            if method == "GET":
                found = lms.documents.get(key)
            elif method in ("PUT", "POST"):
                json.loads(body)  # a JSON document, as every document here is
                lms.documents[key] = body
                found = None
            else:
                lms.documents.pop(key, None)
                found = None
        if method != "GET":
            self._answer(204)
        elif found is None:
            self._answer(404, b'{"error": "not found"}')
        else:
            self._answer(200, found)

    def _forward(self, method: str, query: str) -> None:
        body = self._body()
        headers = {name: self.headers[name] for name in ("Authorization", "Content-Type", "X-Experience-API-Version")
                   if self.headers.get(name)}
        url = self.lms.ralph.base + "xAPI/statements" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, body if method in ("PUT", "POST") else None, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                self._answer(response.status, response.read())
        except urllib.error.HTTPError as error:
            self._answer(error.code, error.read())


@contextmanager
def running_lms(ralph: Ralph) -> Iterator[Lms]:
    lms = Lms(ralph)
    handler = type("Handler", (LmsHandler,), {"lms": lms})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    lms.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield lms
    finally:
        server.shutdown()
        server.server_close()
