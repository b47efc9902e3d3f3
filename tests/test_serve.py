"""`mooc serve`: a real server on a free loopback port, its safety, ranges, caching, and live rebuilds."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import io
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mooc_builder.build import BuildOptions
from mooc_builder.lang.choose import catalogue
from mooc_builder.serve.address import is_loopback, url_for
from mooc_builder.serve.headers import Unsatisfiable, http_date, parse_range
from mooc_builder.serve.http import SiteHandler
from mooc_builder.serve.session import ServeOptions, Session

from .conftest import FIXTURES
from .processes import free_port

Edit = Callable[[Path, str, str], None]
FIRST = "courses/demo/01-intro/01-first.md"


@pytest.fixture
def session(minimal: Path, tmp_path: Path) -> Iterator[Session]:
    options = ServeOptions(BuildOptions(minimal, tmp_path / "served" / "site", dt.date(2017, 11, 20)), port=0)
    running = Session(options, lambda _message: None)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """One server for the tests that only read what it serves (a server per test cost a fifth of the loop)."""
    root = tmp_path_factory.mktemp("served")
    content = root / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    options = ServeOptions(BuildOptions(content, root / "served" / "site", dt.date(2017, 11, 20)), port=0)
    running = Session(options, lambda _message: None)
    running.start()
    yield running
    running.stop()


def request(session: Session, path: str, headers: dict[str, str] | None = None,
            method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    assert session.server is not None
    connection = http.client.HTTPConnection("127.0.0.1", session.server.server_address[1], timeout=10)
    connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def generation(session: Session) -> int:
    assert session.live is not None
    return session.live.generation


def wait_for_rebuild(session: Session, before: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while generation(session) == before:
        assert time.monotonic() < deadline, "no rebuild after the edit"
        time.sleep(0.02)


# --- safety -----------------------------------------------------------------------------------

TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/demo/..%2F..%2F..%2Fetc/passwd",
    "/assets/..\\..\\..\\etc\\passwd",
    "/assets/%5c..%5c..%5cetc%5cpasswd",
    "//etc/passwd",
    "/%2fetc/passwd",
    "/demo/../../../etc/passwd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/.mooc-cache/manifest.json",
    "/evil/passwd",
    "/evil-file",
    "/demo/%00/index.html",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_the_site(served: Session, path: str) -> None:
    root = served.options.build.output
    if not (root / "evil").exists():
        (root / "evil").symlink_to("/etc")
        (root / "evil-file").symlink_to("/etc/passwd")
    status, _headers, body = request(served, path)
    assert status in (403, 404), (path, status)
    assert b"root:" not in body


def test_absolute_form_request_is_confined_too(served: Session) -> None:
    status, _h, body = request(served, "http://127.0.0.1/../../etc/passwd")
    assert status in (403, 404) and b"root:" not in body


# --- files, folders, types --------------------------------------------------------------------

@pytest.mark.parametrize(("path", "kind"), [
    ("/demo/media/clip.fr.vtt", "text/vtt"),
    ("/demo/media/clip.mp4", "video/mp4"),
    ("/demo/media/clip.svg", "image/svg+xml"),
    ("/demo/media/sheet.pdf", "application/pdf"),
    ("/demo/downloads/demo.zip", "application/zip"),
    ("/assets/style.css", "text/css"),
    ("/assets/js/quiz.js", "text/javascript"),
    ("/demo/index.html", "text/html"),
    ("/extra.webm", "video/webm"),
])
def test_mime_types(served: Session, path: str, kind: str) -> None:
    (served.options.build.output / "extra.webm").write_bytes(b"\x1aE\xdf\xa3 not really")
    status, headers, _body = request(served, path)
    assert status == 200
    assert headers["content-type"].split(";")[0] == kind
    assert headers["x-content-type-options"] == "nosniff"


def test_folders_serve_index_html_and_missing_pages_the_404_page(served: Session) -> None:
    status, headers, body = request(served, "/demo/")
    assert status == 200 and b"<h1>Demo course</h1>" in body
    status, headers, _ = request(served, "/demo")
    assert status == 301 and headers["location"] == "/demo/"
    status, headers, body = request(served, "/demo/nothing-here/")
    assert status == 404 and b"Page introuvable" in body


# --- ranges and revalidation --------------------------------------------------------------------

@pytest.fixture(scope="module")
def video(served: Session) -> bytes:
    data = bytes(range(256)) * 40  # 10 240 bytes with a recognisable pattern
    (served.options.build.output / "demo" / "media" / "big.mp4").write_bytes(data)
    return data


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-99", 0, 99),
    ("bytes=5000-5099", 5000, 5099),
    ("bytes=-100", 10140, 10239),
    ("bytes=10000-", 10000, 10239),
    ("bytes=10200-99999", 10200, 10239),
])
def test_range_requests(served: Session, video: bytes, header: str, first: int, last: int) -> None:
    status, headers, body = request(served, "/demo/media/big.mp4", {"Range": header})
    assert status == 206
    assert headers["content-range"] == f"bytes {first}-{last}/{len(video)}"
    assert body == video[first:last + 1]
    assert headers["accept-ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=99999-100000", "bytes=-0", "bytes=200-100"])
def test_unsatisfiable_ranges(served: Session, video: bytes, header: str) -> None:
    status, headers, body = request(served, "/demo/media/big.mp4", {"Range": header})
    assert status == 416
    assert headers["content-range"] == f"bytes */{len(video)}"
    assert body == b""


def test_head_and_whole_file(served: Session, video: bytes) -> None:
    status, headers, body = request(served, "/demo/media/big.mp4", method="HEAD")
    assert status == 200 and int(headers["content-length"]) == len(video) and body == b""
    status, headers, body = request(served, "/demo/media/big.mp4")
    assert status == 200 and body == video


def test_etag_and_last_modified_give_304(served: Session, video: bytes) -> None:
    _status, headers, _ = request(served, "/demo/media/big.mp4")
    etag, modified = headers["etag"], headers["last-modified"]
    assert request(served, "/demo/media/big.mp4", {"If-None-Match": etag})[0] == 304
    assert request(served, "/demo/media/big.mp4", {"If-Modified-Since": modified})[0] == 304
    assert request(served, "/demo/media/big.mp4", {"If-None-Match": '"other"'})[0] == 200
    _status, headers, _ = request(served, "/demo/index.html")
    assert request(served, "/demo/index.html", {"If-None-Match": headers["etag"]})[0] == 304


NINES = "9" * 5000  # int() refuses over 4,300 digits


def test_parse_range_rules() -> None:
    # (first, last): those bytes; None: the header is ignored, the whole file sent; Unsatisfiable: 416.
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("Bytes=2-3", 10) == (2, 3)  # range units are case-insensitive
    assert parse_range("bytes=0-1,5-6", 10) is None  # several ranges: the whole file
    assert parse_range("bytes=0-1, ,5-6", 10) is None  # spaces around commas, an empty element: allowed
    assert parse_range("items=0-1", 10) is None  # a unit the server does not know MUST be ignored (RFC 9110)
    assert parse_range("bytes=" + NINES + "-", 10) == Unsatisfiable("bytes from 999999999999...(5000 digits) of "
                                                                    "a file of 10 bytes")
    assert parse_range("bytes=2-" + NINES, 10) == (2, 9)  # a last byte beyond the end is the end
    assert parse_range("bytes=-" + NINES, 10) == (0, 9)  # a suffix longer than the file is the file
    assert parse_range("bytes=" + "0" * 5000 + "5-6", 10) == (5, 6)  # leading zeros cost nothing
    for malformed in ["bytes=-", "bytes=", "bytes", "bytes=a-b", "bytes=5", "bytes=1-0", "bytes= 0-1",
                      "bytes=0 - 1", "bytes=0x1-2", "bytes=\u0661-2", "bytes=0-1,x", "bytes=0-1,-",
                      "by tes=0-1", "=0-1", "bytes=" + ",".join(["1-2"] * 101)]:
        assert isinstance(parse_range(malformed, 10), Unsatisfiable), malformed
    assert isinstance(parse_range("bytes=-5", 0), Unsatisfiable)
    assert isinstance(parse_range("bytes=0-", 0), Unsatisfiable)
    assert isinstance(parse_range("bytes=-0", 10), Unsatisfiable)


def test_http_dates_are_bounded() -> None:
    assert http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777
    assert http_date("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777
    assert http_date("Sun Nov  6 08:49:37 1994") == 784111777
    for bad in ["Sun, 06 Nov " + NINES + " 08:49:37 GMT", "Sun, 06 Nov 99999 08:49:37 GMT", "yesterday", "",
                "Sun, 06 Nov 1994 08:49:37 +9999", "Sun, 31 Feb 1994 08:49:37 GMT"]:
        assert http_date(bad) is None, bad


class Log(list[str]):
    """The one-line log of a server, kept (the console gets nothing during a test)."""

    def __call__(self, line: str) -> None:
        self.append(line)


@pytest.fixture
def log(served: Session, monkeypatch: pytest.MonkeyPatch) -> Log:
    lines = Log()
    monkeypatch.setattr(served.server, "log", lines)
    return lines


def raw(session: Session, data: bytes) -> bytes:
    """Send bytes as they are (no client library to tidy them); what comes back until the server closes."""
    assert session.server is not None
    with socket.create_connection(("127.0.0.1", session.server.server_address[1]), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize(("headers", "status", "logged"), [
    ({"Range": "bytes=" + NINES + "-"}, 416, "bytes from 999999999999...(5000 digits) of a file of 10240 bytes"),
    ({"Range": "bytes=" + NINES + "-" + NINES}, 416, "of a file of 10240 bytes"),
    ({"Range": "bytes=0-" + NINES}, 200, ""),  # the whole file: a plain 200
    ({"Range": "bytes=10000-" + NINES}, 206, ""),
    ({"Range": "bytes=-" + NINES}, 200, ""),
    ({"Range": "bytes=abc"}, 416, "'abc' is not a byte range; expected FIRST-LAST, FIRST- or -COUNT"),
    ({"Range": "bytes=0 - 99"}, 416, "is not a byte range"),
    ({"Range": "bytes=" + ",".join(["0-1"] * 2000)}, 416, "2000 ranges at once; a player asks for one"),
    ({"Range": "items=0-99"}, 200, ""),
    ({"Range": "bytes=0-99", "If-Range": NINES}, 200, ""),
    ({"If-Modified-Since": NINES}, 200, ""),
    ({"If-Modified-Since": "Sun, 06 Nov " + NINES[:30] + " 08:49:37 GMT"}, 200, ""),
    ({"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 +9999"}, 200, ""),
    ({"If-None-Match": NINES}, 200, ""),
])
def test_absurd_headers_get_an_answer_and_one_line_of_log(served: Session, video: bytes, log: Log,
                                                         capfd: pytest.CaptureFixture[str], headers: dict[str, str],
                                                         status: int, logged: str) -> None:
    answer, got, body = request(served, "/demo/media/big.mp4", headers)
    assert answer == status
    assert len(body) == int(got["content-length"])
    if status == 200:
        assert body == video
    if status == 416:
        assert got["content-range"] == f"bytes */{len(video)}"
    assert request(served, "/demo/media/big.mp4")[0] == 200  # still serving
    if logged:
        assert len(log) == 1 and logged in log[0], log
        assert "\n" not in log[0] and len(log[0]) < 400  # one line, whatever the header's length
        assert log[0].startswith("127.0.0.1 GET /demo/media/big.mp4 HTTP/1.1: 416 Range 'bytes=")
    else:
        assert log == []
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(("sent", "status", "logged"), [
    (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414, "414 Request-URI Too Long"),
    (b"GET / HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431, "431 Line too long"),
    (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", 431, "431 Too many headers"),
    (b"GET / HTTP/" + NINES.encode() + b"\r\n\r\n", 400, "400 Bad request version"),
    (b"BREW / HTTP/1.1\r\n\r\n", 501, "501 Unsupported method ('BREW')"),
    (b"GET /\x1b[2J HTTP/1.1\r\n\r\n", 404, ""),  # a terminal escape in a path is only a missing page
    (b"GET /../etc/passwd\x1b[2J HTTP/1.1\r\n\r\n", 403, "403 the path leaves the site"),
])
def test_malformed_requests_get_an_answer_and_one_line_of_log(served: Session, log: Log, sent: bytes, status: int,
                                                             logged: str, capfd: pytest.CaptureFixture[str]) -> None:
    received = raw(served, sent + b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
    # http.server answers a request whose HTTP version it cannot read as HTTP/0.9 would: no status line.
    assert received.startswith(f"HTTP/1.1 {status} ".encode()) or f"Error code: {status}".encode() in received
    if logged:
        assert len(log) == 1 and logged in log[0] and "\n" not in log[0] and len(log[0]) < 400, log
        assert "\x1b" not in log[0]  # a visitor's text cannot write on the author's terminal
    else:
        assert log == []
    assert request(served, "/demo/")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_a_request_that_fails_is_a_500_and_one_line(served: Session, log: Log, monkeypatch: pytest.MonkeyPatch,
                                                    capfd: pytest.CaptureFixture[str]) -> None:
    def broken(self: SiteHandler, raw_path: str) -> None:
        raise RuntimeError("the disk went away\nwith a second line")

    monkeypatch.setattr(SiteHandler, "_resolve", broken)
    status, headers, _body = request(served, "/demo/")
    assert status == 500 and headers["connection"] == "close"
    assert log == ["127.0.0.1 GET /demo/ HTTP/1.1: 500 RuntimeError: the disk went away\\nwith a second line"]
    monkeypatch.undo()
    assert request(served, "/demo/")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_an_error_outside_the_handler_is_one_line_not_a_traceback(served: Session, log: Log,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capfd: pytest.CaptureFixture[str]) -> None:
    # http.server's own reading of the request, before any of our code runs: the server's handle_error.
    def broken(self: SiteHandler) -> bool:
        raise RuntimeError("cannot parse")

    monkeypatch.setattr(SiteHandler, "parse_request", broken)
    assert raw(served, b"GET / HTTP/1.1\r\n\r\n") == b""  # nothing can be answered: the connection is closed
    monkeypatch.undo()
    assert log == ["127.0.0.1: the request failed and its connection was closed: RuntimeError: cannot parse"]
    assert request(served, "/demo/")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_a_visitor_who_goes_away_is_no_error(served: Session, video: bytes, log: Log,
                                            capfd: pytest.CaptureFixture[str]) -> None:
    assert served.server is not None
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", served.server.server_address[1]), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")  # close with a reset
        sock.sendall(b"GET /demo/media/big.mp4 HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.close()
    assert request(served, "/demo/media/big.mp4")[1]["content-length"] == str(len(video))
    assert log == []
    assert "Traceback" not in capfd.readouterr().err


def test_ranges_are_for_get_and_for_the_same_file(served: Session, video: bytes) -> None:
    status, headers, body = request(served, "/demo/media/big.mp4", {"Range": "bytes=0-99"}, method="HEAD")
    assert status == 200 and headers["content-length"] == str(len(video))  # RFC 9110: a Range is for GET
    _status, headers, _body = request(served, "/demo/media/big.mp4")
    etag, modified = headers["etag"], headers["last-modified"]
    assert request(served, "/demo/media/big.mp4", {"Range": "bytes=0-99", "If-Range": etag})[0] == 206
    assert request(served, "/demo/media/big.mp4", {"Range": "bytes=0-99", "If-Range": '"other"'})[0] == 200
    # A date cannot say which of two versions made within one second the visitor has (a rebuild makes
    # several a second): the whole file, never a range of a newer file sewn onto an older one.
    status, _headers, body = request(served, "/demo/media/big.mp4", {"Range": "bytes=0-99", "If-Range": modified})
    assert status == 200 and body == video


# --- live preview ------------------------------------------------------------------------------

def test_pages_carry_the_reload_script(served: Session) -> None:
    _status, _h, body = request(served, "/demo/intro/first/index.html")
    assert b'<script src="/__mooc__/reload.js"></script>' in body
    status, _headers, script = request(served, "/__mooc__/reload.js")
    assert status == 200 and b"EventSource" in script


def test_an_edit_rebuilds_only_the_pages_that_show_it(session: Session, minimal: Path, edit: Edit) -> None:
    before = generation(session)
    edit(minimal / FIRST, "Some text with", "Some edited text with")
    wait_for_rebuild(session, before)
    assert session.live is not None
    pages = sorted(p for p in session.live.last_written if p.endswith(".html"))
    # The sequence page, its embedded view and its two projector views (its own and its module's), the pages
    # that show its text, and the kit page when the size of the bundles holding its sheet changed: nothing else
    # (its quiz alone does not show the body).
    assert set(pages) - {"demo/kit/index.html"} == {"demo/intro/first/embed/index.html",
                                                    "demo/intro/first/index.html",
                                                    "demo/intro/first/present/index.html",
                                                    "demo/intro/present/index.html"}
    _status, _h, body = request(session, "/demo/intro/first/index.html")
    assert b"Some edited text with" in body


def test_a_title_edit_rebuilds_the_pages_that_show_the_title(session: Session, minimal: Path, edit: Edit) -> None:
    before = generation(session)
    edit(minimal / FIRST, 'title: "First sequence"', 'title: "Premier pas"')
    wait_for_rebuild(session, before)
    assert session.live is not None
    pages = sorted(p for p in session.live.last_written if p.endswith(".html"))
    assert "demo/intro/first/index.html" in pages and "demo/intro/second/index.html" in pages  # nav, next link
    assert "demo/index.html" in pages and "demo/intro/index.html" in pages
    assert "demo/suite/third/index.html" not in pages  # shows neither its title nor a link to it


def test_a_bad_edit_shows_the_errors_and_a_good_one_recovers(session: Session, minimal: Path, edit: Edit) -> None:
    before = generation(session)
    edit(minimal / FIRST, "duration: 5min", "duration: [5min")
    wait_for_rebuild(session, before)
    for path in ("/demo/intro/second/index.html", "/index.html", "/demo/nothing/"):
        _status, _h, body = request(session, path)
        assert b'id="mooc-errors"' in body
        assert b"01-first.md:3:" in body  # the file and line of the error
    before = generation(session)
    edit(minimal / FIRST, "duration: [5min", "duration: 6min")
    wait_for_rebuild(session, before)
    _status, _h, body = request(session, "/demo/intro/first/index.html")
    assert b'id="mooc-errors"' not in body
    assert b"6 min" in body


def test_created_renamed_and_deleted_files_are_rebuilt(session: Session, minimal: Path) -> None:
    new = minimal / "courses/demo/01-intro/03-new.md"
    before = generation(session)
    new.write_text('---\ntitle: "New one"\n---\nHello.\n', encoding="utf-8")
    wait_for_rebuild(session, before)
    assert request(session, "/demo/intro/new/index.html")[0] == 200
    before = generation(session)
    new.rename(new.with_name("03-renamed.md"))
    wait_for_rebuild(session, before)
    assert request(session, "/demo/intro/new/index.html")[0] == 404
    assert request(session, "/demo/intro/renamed/index.html")[0] == 200
    before = generation(session)
    new.with_name("03-renamed.md").unlink()
    wait_for_rebuild(session, before)
    assert request(session, "/demo/intro/renamed/index.html")[0] == 404


def test_events_stream_says_reload_after_a_rebuild(session: Session, minimal: Path, edit: Edit) -> None:
    assert session.server is not None
    sock = socket.create_connection(("127.0.0.1", session.server.server_address[1]), timeout=10)
    sock.sendall(b"GET /__mooc__/events HTTP/1.1\r\nHost: x\r\n\r\n")
    received = b""
    while b"retry:" not in received:
        received += sock.recv(4096)
    edit(minimal / FIRST, "Some text with", "Some other text with")
    deadline = time.monotonic() + 10
    while b"data: reload" not in received and time.monotonic() < deadline:
        received += sock.recv(4096)
    sock.close()
    assert b"text/event-stream" in received and b"data: reload" in received


def test_stopping_leaves_no_thread_running(minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from mooc_builder.serve.session import temporary_output

    (tmp_path / "t").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "t"))
    temporary = temporary_output()
    options = ServeOptions(BuildOptions(minimal, temporary.site, dt.date(2017, 11, 20)), port=0, temporary=temporary)
    running = Session(options, lambda _message: None)
    already = set(threading.enumerate())  # the shared server's, for one
    running.start()
    assert running.server is not None
    idle = socket.create_connection(("127.0.0.1", running.server.server_address[1]))  # an idle keep-alive
    events = socket.create_connection(("127.0.0.1", running.server.server_address[1]))
    events.sendall(b"GET /__mooc__/events HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < 5
    idle.close()
    events.close()
    names = [t.name for t in threading.enumerate() if t is not threading.main_thread() and t not in already]
    assert not [n for n in names if "mooc" in n or "process_request" in n], names
    assert list((tmp_path / "t").iterdir()) == []  # the temporary output is removed, and its claim


# --- the command ---------------------------------------------------------------------------------

def start_command(args: list[str], cwd: Path) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mooc_builder", "serve", *args, "--port", str(port)],
                               cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("mooc serve did not start: " + (process.stderr.read() if process.stderr else ""))


def test_ctrl_c_stops_cleanly(minimal: Path, tmp_path: Path) -> None:
    process, port = start_command([str(minimal)], tmp_path)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "Traceback" not in out + err
    assert "Stopped." in out


def test_network_host_prints_addresses_warns_and_does_not_reload(minimal: Path, tmp_path: Path) -> None:
    process, port = start_command([str(minimal), "--host", "0.0.0.0"], tmp_path)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/demo/index.html")
    body = connection.getresponse().read()
    assert b"/__mooc__/reload.js" not in body
    connection.request("GET", "/__mooc__/events")
    assert connection.getresponse().status == 404
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=15)
    assert "visible to every device on this network" in out
    assert "Traceback" not in out + err


def test_port_in_use_is_a_clear_error(minimal: Path, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "mooc_builder", "serve", str(minimal), "--port", str(port)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "try another --port" in result.stderr and "Traceback" not in result.stderr


def test_fixture_is_untouched_by_serving() -> None:
    assert (FIXTURES / "minimal" / FIRST).read_text(encoding="utf-8").count("Some text with") == 1
    assert shutil.which("true") is not None


def test_a_watcher_stopped_before_it_started_stops_cleanly(tmp_path: Path) -> None:
    # Ctrl-C as `mooc serve` starts can land between making the watcher and starting its threads.
    from mooc_builder.serve.watch import Watcher

    watcher = Watcher([tmp_path], lambda changed: None)
    watcher.stop()
    assert not watcher.worker.is_alive() and not watcher.observer.is_alive()


def test_a_watcher_of_the_working_folder_sees_a_file_saved_in_a_subfolder(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # `mooc serve` from inside the content folder watches "." (a relative path), which watchdog's inotify does
    # not follow into subfolders: the watcher takes the folder's absolute path.
    from mooc_builder.serve.watch import Watcher

    sub = tmp_path / "courses" / "le-tri"
    sub.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    seen: list[set[Path]] = []
    done = threading.Event()
    watcher = Watcher([Path(".")], lambda changed: (seen.append(changed), done.set()))
    watcher.start()
    try:
        time.sleep(0.2)
        (sub / "01-bienvenue.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
        assert done.wait(10), "no change seen"
    finally:
        watcher.stop()
    assert tmp_path / "courses" / "le-tri" / "01-bienvenue.md" in set().union(*seen)


# --- a room's burst, IPv6 -------------------------------------------------------------------------

def test_a_rooms_burst_of_connections_is_held_then_all_answered(served: Session) -> None:
    # While the server does not accept (as when a rebuild holds the interpreter), the system's listen queue
    # alone holds the burst; a connection it turns away waits for its client to try again (after 1 s, 3 s,
    # 7 s...). Held: 100 at once must all be taken in; then, serving, they and 50 more are all answered.
    from mooc_builder.serve.http import SiteServer

    server = SiteServer(("127.0.0.1", 0), served.options.build.output)
    port = server.server_address[1]
    clients: list[socket.socket] = []
    thread: threading.Thread | None = None
    try:
        for _ in range(100):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            clients.append(sock)
        deadline = time.monotonic() + 3
        connected: set[socket.socket] = set()
        while len(connected) < len(clients) and time.monotonic() < deadline:
            _readable, writable, _errors = select.select([], [s for s in clients if s not in connected], [], 0.2)
            connected.update(s for s in writable if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0)
        assert len(connected) == 100, f"the listen queue took in {len(connected)} of 100 connections"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
        thread.start()
        answers: list[int] = []

        def fetch(sock: socket.socket | None) -> None:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.setblocking(True)
            sock.settimeout(30)
            sock.sendall(b"GET /demo/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            sock.close()
            answers.append(int(received.split(b" ", 2)[1]) if received else 0)

        fetchers = [threading.Thread(target=fetch, args=(sock,)) for sock in [*clients, *[None] * 50]]
        for fetcher in fetchers:
            fetcher.start()
        for fetcher in fetchers:
            fetcher.join(60)
        assert answers == [200] * 150
    finally:
        for sock in clients:
            sock.close()
        if thread is not None:
            server.stop()
            thread.join()
        else:
            server.server_close()


@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_serves_on_ipv6_loopback(minimal: Path, tmp_path: Path, host: str) -> None:
    options = ServeOptions(BuildOptions(minimal, tmp_path / "v6" / "site", dt.date(2017, 11, 20)), host=host,
                           port=0)
    running = Session(options, lambda _message: None)
    running.start()
    try:
        assert running.server is not None
        port = running.server.server_address[1]
        assert running.url == f"http://[::1]:{port}/"
        connection = http.client.HTTPConnection("::1", port, timeout=10)
        connection.request("GET", "/demo/")
        response = connection.getresponse()
        assert response.status == 200 and b"<h1>Demo course</h1>" in response.read()
        connection.close()
    finally:
        running.stop()


def test_loopback_and_urls_know_ipv6() -> None:
    for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]:
        assert is_loopback(host), host
    for host in ["0.0.0.0", "::", "[::]", "192.168.1.20", "fe80::1", "2001:db8::1", "example.org", ""]:
        assert not is_loopback(host), host
    assert url_for("::1", 8000) == "http://[::1]:8000/"
    assert url_for("[::1]", 8000) == "http://[::1]:8000/"
    assert url_for("::", 8000) == "http://[::1]:8000/"
    assert url_for("2001:db8::1", 80) == "http://[2001:db8::1]:80/"
    assert url_for("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000/"


def test_the_command_serves_on_ipv6(minimal: Path, tmp_path: Path) -> None:
    # --port 0, and the port read from what the command prints: a port chosen here could be taken meanwhile.
    process = subprocess.Popen([sys.executable, "-m", "mooc_builder", "serve", str(minimal), "--host", "::1",
                                "--port", "0"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    try:
        deadline = time.monotonic() + 20
        line = ""
        while "Serving" not in line:
            assert select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))[0], \
                "mooc serve --host ::1 did not start"
            line = process.stdout.readline()
            assert line, "mooc serve --host ::1 stopped"
        served = re.search(r"at http://\[::1\]:(\d+)/$", line.strip())
        assert served is not None, line
        connection = http.client.HTTPConnection("::1", int(served.group(1)), timeout=5)
        connection.request("GET", "/demo/")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert "visible to every device" not in out  # ::1 is this machine alone
    assert "Traceback" not in out + err


# --- an output folder that cannot be written ------------------------------------------------------

@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` made read-only for whoever runs the tests: its mode for a user, and, for root (whom modes do
    not stop), the immutable attribute of the file system (ext4, XFS, Btrfs)."""
    folder.chmod(0o555)
    immutable = os.geteuid() == 0 and shutil.which("chattr") is not None and subprocess.run(
        ["chattr", "+i", str(folder)], capture_output=True, timeout=30).returncode == 0
    try:
        try:
            (folder / "probe").touch()
        except OSError:
            yield
            return
        (folder / "probe").unlink()
        pytest.skip(f"{folder} cannot be made read-only here (root, and no chattr +i on this file system)")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True, timeout=30)
        folder.chmod(0o755)


def serve_into(minimal: Path, output: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    port = free_port()
    try:
        return subprocess.run([sys.executable, "-m", "mooc_builder", "serve", str(minimal), "-o", str(output),
                               "--port", str(port)], cwd=cwd, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"mooc serve -o {output} served instead of stopping: {exc.stdout!r}")


@pytest.mark.parametrize("case", ["read-only folder", "a file in the way", "a folder mooc did not make"])
def test_an_output_folder_that_cannot_be_written_is_named_not_the_port(minimal: Path, tmp_path: Path,
                                                                        case: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    if case == "read-only folder":
        output = folder / "site"
        with read_only(folder):
            result = serve_into(minimal, output, tmp_path)
        said = "cannot write the site into"
    elif case == "a file in the way":
        (folder / "notes").write_text("not a folder", encoding="utf-8")
        output = folder / "notes" / "site"
        result = serve_into(minimal, output, tmp_path)
        said = "cannot write the site into"
    else:
        (folder / "thesis.odt").write_text("an author's work", encoding="utf-8")
        output = folder
        result = serve_into(minimal, output, tmp_path)
        said = "is not empty and was not made by mooc"
        assert [p.name for p in folder.iterdir()] == ["thesis.odt"]  # neither served nor touched
    assert result.returncode == 1
    assert str(output) in result.stderr and said in result.stderr, result.stderr
    assert "port" not in result.stderr and "Serving" not in result.stdout
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# --- rebuilds while learners download -------------------------------------------------------------

def test_rebuilds_never_show_a_missing_or_partial_file(minimal: Path, tmp_path: Path) -> None:
    # For a few seconds, one thread rebuilds after edit upon edit of a sequence (its pages and the two
    # bundles holding its sheet are replaced each time); others download those pages and bundles, and one
    # opens the files in the folder itself, as another web server over it would.
    options = ServeOptions(BuildOptions(minimal, tmp_path / "race" / "site", dt.date(2017, 11, 20)), port=0,
                           reload=False)
    running = Session(options, lambda _message: None)
    running.start()
    assert running.server is not None
    port, root = running.server.server_address[1], options.build.output
    zips = ["demo/downloads/demo.zip", "demo/downloads/demo-intro.zip"]
    pages = ["demo/intro/first/index.html", "demo/intro/first/embed/index.html"]
    assert all((root / name).is_file() for name in zips + pages)
    stop = threading.Event()
    problems: list[str] = []
    counts = {"zips": 0, "pages": 0, "opened": 0, "rebuilds": 0}

    def download() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while not stop.is_set():
            for name in zips + pages:
                connection.request("GET", "/" + name)
                response = connection.getresponse()
                body = response.read()  # the whole Content-Length, or http.client raises
                if response.status != 200:
                    problems.append(f"{name}: {response.status}")
                elif name.endswith(".zip"):
                    try:
                        bad = zipfile.ZipFile(io.BytesIO(body)).testzip()
                    except zipfile.BadZipFile as exc:
                        bad = str(exc)
                    if bad is not None:
                        problems.append(f"{name}: a broken zip ({bad}), {len(body)} bytes")
                    counts["zips"] += 1
                else:
                    if not body.rstrip().endswith(b"</html>"):
                        problems.append(f"{name}: a page cut short, {len(body)} bytes")
                    counts["pages"] += 1
        connection.close()

    def open_files() -> None:
        while not stop.is_set():
            for name in zips + pages:
                try:
                    os.close(os.open(root / name, os.O_RDONLY))
                    counts["opened"] += 1
                except FileNotFoundError:
                    problems.append(f"{name}: missing from the folder")

    threads = [threading.Thread(target=download) for _ in range(3)] + [threading.Thread(target=open_files)]
    for thread in threads:
        thread.start()
    try:
        source = minimal / FIRST
        text = source.read_text(encoding="utf-8")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline or counts["rebuilds"] < 5:
            counts["rebuilds"] += 1
            source.write_text(text.replace("Some text with", f"Edit {counts['rebuilds']} with"), encoding="utf-8")
            result = running.rebuild({source})
            assert result is not None and result.ok
            assert set(zips + pages) <= set(result.written)  # each rebuild replaces them all
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        running.stop()
    assert problems == [], f"{len(problems)} problems, first ones: {problems[:5]}; {counts}"
    assert min(counts.values()) > 5, counts


def test_a_kept_alive_connection_is_not_held_back_by_nagles_algorithm(served: Session) -> None:
    """Headers and body are two writes: with Nagle's algorithm on, the second waited for the client's delayed
    acknowledgement, 40 ms for every request on a kept-alive connection (a page and its assets)."""
    assert served.server is not None
    connection = http.client.HTTPConnection("127.0.0.1", served.server.server_address[1], timeout=10)
    try:
        connection.request("GET", "/index.html")
        connection.getresponse().read()
        with served.server._lock:
            sockets = list(served.server._connections)
        assert sockets, "the kept-alive connection"
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)
    finally:
        connection.close()


def test_the_overlay_speaks_the_authors_language_with_the_line_and_a_caret(minimal: Path, tmp_path: Path,
                                                                          edit: Edit) -> None:
    options = ServeOptions(BuildOptions(minimal, tmp_path / "site", dt.date(2017, 11, 20)), port=0)
    running = Session(options, lambda _message: None, catalogue("fr"))
    running.start()
    try:
        before = generation(running)
        edit(minimal / FIRST, "duration: 5min", "duration: [5min")
        wait_for_rebuild(running, before)
        _status, _h, body = request(running, "/demo/intro/second/index.html")
    finally:
        running.stop()
    overlay = body.decode("utf-8").split('id="mooc-errors"', 1)[1].split("</div>", 1)[0]
    assert 'lang="fr"' in overlay
    assert "mooc\u00a0: 1 erreur dans le contenu\u00a0; la page montre la dernière construction réussie." in overlay
    # The line quoted and the caret under the '[' (column 11), kept in place by pre-wrap.
    assert "01-first.md:3:11: " in overlay and "white-space:pre-wrap" in overlay
    assert "\n    duration: [5min\n              ^</li>" in overlay
