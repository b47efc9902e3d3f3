"""`mooc serve`: a real server on a free loopback port, its safety, ranges, caching, and live rebuilds."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mooc_builder.build import BuildOptions
from mooc_builder.serve.http import parse_range
from mooc_builder.serve.session import ServeOptions, Session

from .conftest import FIXTURES

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


def test_parse_range_rules() -> None:
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=0-1,5-6", 10) == (0, 9)  # several ranges: the whole file
    assert parse_range("items=0-1", 10) is None
    assert parse_range("bytes=-", 10) is None
    assert parse_range("bytes=-5", 0) is None


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
    # The sequence page and its embedded view, the two pages that show its text, and the kit page when the
    # size of the bundles holding its sheet changed: nothing else (its projector views and its quiz alone do
    # not show the body).
    assert set(pages) - {"demo/kit/index.html"} == {"demo/intro/first/embed/index.html",
                                                    "demo/intro/first/index.html"}
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


def test_stopping_leaves_no_thread_running(minimal: Path, tmp_path: Path) -> None:
    options = ServeOptions(BuildOptions(minimal, tmp_path / "t" / "site", dt.date(2017, 11, 20)), port=0)
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
    assert not (tmp_path / "t").exists()  # the temporary output is removed


# --- the command ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
