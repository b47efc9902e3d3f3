"""A small, safe static server for a built site: for an author's preview and for a room on a local network.

It serves only files under the site folder (no traversal through ``..``, encoded
dots, backslashes, absolute paths or symlinks), with the right MIME types, byte
ranges (to seek in a video), ETag/Last-Modified revalidation, index.html for
folders and the theme's 404 page. For an author it can also inject into every
HTML page a script that reloads it after each rebuild (Server-Sent Events) and,
while the content has errors, the list of errors itself, in the HTML.

Whatever a visitor sends, the answer is an HTTP status, never a dropped connection
with a traceback on the author's console: a request the server refuses (400, 403,
416, 500) is logged in one line; the ordinary ones are not (a room would flood it).
It listens on IPv4 or IPv6 addresses, with a backlog that holds a room's burst.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import hashlib
import html
import http.server
import json
import mimetypes
import os
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from mooc_builder.lang.text import Translator, says
from mooc_builder.serve.address import bare, bind_problem, everywhere
from mooc_builder.serve.headers import Unsatisfiable, http_date, parse_range, range_is_current

RESERVED = "/__mooc__/"
CHUNK = 1 << 16

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".vtt": "text/vtt; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".ics": "text/calendar; charset=utf-8",
    ".xml": "application/xml",
}

RELOAD_SCRIPT = b"""(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var source = new EventSource("/__mooc__/events");
  source.onmessage = function (event) { if (event.data === "reload") { source.close(); location.reload(); } };
}());
"""


def content_type(path: Path) -> str:
    return _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@dataclass
class LiveState:
    """What the author's preview shows beside the site: the build generation and the current errors."""

    generation: int = 0
    errors: list[str] = field(default_factory=list)
    last_written: list[str] = field(default_factory=list)
    last_rendered: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    language: Translator | None = None  # what the overlay's own words are said in (None: English)
    language_code: str = "en"

    def publish(self, errors: list[str], written: list[str], rendered: int) -> None:
        with self.changed:
            self.generation += 1
            self.errors = errors
            self.last_written = written
            self.last_rendered = rendered
            self.changed.notify_all()


class BindError(Exception):
    """The server cannot listen on the address asked for; the message says what to try instead."""


class SiteServer(http.server.ThreadingHTTPServer):
    """Serves ``root``; with ``live`` set, pages reload themselves and show content errors."""

    daemon_threads = False  # server_close() joins every request thread: nothing is left running
    block_on_close = True
    # socketserver's default listen backlog is 5: a room's burst (a class opening the course at the teacher's
    # word, a page's assets asked for at once) overflowed it, and each connection turned away waited for its
    # client to try again (1 s, 3 s, 7 s...; 50 at once waited up to 12 s). The kernel caps it at somaxconn.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], root: Path, live: LiveState | None = None) -> None:
        self.root = root
        self.live = live
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.everywhere = everywhere(address[0])
        super().__init__(address, SiteHandler)

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6 and self.everywhere:
            # '::' is every address of the machine: its IPv4 ones too, where the system allows (phones of a
            # room may well have IPv4 only). Where it does not, '::' still serves IPv6.
            with contextlib.suppress(AttributeError, OSError):
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

    def log(self, line: str) -> None:
        """One line on the console for a refused or failed request (a class of phones must not bury an
        author's terminal in tracebacks, nor hide why a request failed)."""
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """What escaped a request's handler (socketserver prints a traceback): one line, or nothing when the
        visitor merely went away."""
        exc = sys.exc_info()[1]
        if exc is None or isinstance(exc, (ConnectionError, TimeoutError)):
            return
        self.log(f"{client(client_address)}: the request failed and its connection was closed: "
                 f"{type(exc).__name__}: {shown(str(exc))}")

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        """Stop accepting, wake every open connection (idle keep-alives, event streams), join their threads."""
        self.stopping.set()
        if self.live is not None:
            with self.live.changed:
                self.live.changed.notify_all()
        self.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.server_close()


class SiteHandler(http.server.BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"
    server_version = "mooc-serve"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection is closed after this many seconds
    # Headers and body go out in two writes: with Nagle's algorithm the second waited for the client's
    # acknowledgement of the first, which the client delays by 40 ms (each request on a kept-alive connection
    # took 44 ms on loopback; a page and its assets, that many times).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # every request would be a line: a room of learners would flood the terminal; see _refused

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, headers too long or too many, an unknown
        method): answered as http.server does, and logged in one line."""
        self._refused(code, shown(message or self.responses.get(code, ("",))[0]))
        super().send_error(code, message, explain)

    def send_response(self, code: int, message: str | None = None) -> None:
        self._responded = True
        super().send_response(code, message)

    def _refused(self, status: int | str, reason: str) -> None:
        request = shown(self.requestline) or "(a request line too long to read)"
        self.server.log(f"{client(self.client_address)} {request}: {status} {reason}")

    # --- entry points -------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._guarded(head=False)

    def do_HEAD(self) -> None:
        self._guarded(head=True)

    def _guarded(self, head: bool) -> None:
        """Serve; whatever goes wrong becomes a 500 (when nothing was sent yet) and one line of log, never a
        traceback; a visitor who went away or stopped reading is let go."""
        self._responded = False
        try:
            self._serve(head)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as exc:  # any failure of one request must leave the server serving
            self.close_connection = True  # a body may have been cut short: the client must not read on
            failed = f"{type(exc).__name__}: {shown(str(exc))}"
            if self._responded:
                self._refused("cut short", f"{failed}; the connection was closed")
            else:
                self._refused(500, failed)
                body = b"<!DOCTYPE html><html lang=en><title>Server error</title><h1>Server error</h1>"
                with contextlib.suppress(OSError):
                    self._headers(500, len(body), {"Content-Type": "text/html; charset=utf-8",
                                                   "Cache-Control": "no-store", "Connection": "close"})
                    if not head:
                        self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        raw_path = urlsplit(self.path).path
        live = self.server.live
        if raw_path.startswith(RESERVED) and live is not None:
            self._reserved(raw_path[len(RESERVED):], live, head)
            return
        target, status = self._resolve(raw_path)
        if target is None:
            if status == 403:
                self._refused(403, "the path leaves the site")
            self._not_found(status, head)
            return
        if target.is_dir():
            if not raw_path.endswith("/"):
                self._redirect(raw_path + "/")
                return
            target = target / "index.html"
            if not target.is_file():
                self._not_found(404, head)
                return
        if target.suffix == ".html" and live is not None:
            self._send_bytes(200, self._inject(target.read_bytes(), live), "text/html; charset=utf-8", head,
                             cache="no-store")
            return
        self._send_file(target, head)

    # --- paths --------------------------------------------------------------------------------

    def _resolve(self, raw_path: str) -> tuple[Path | None, int]:
        """The file or folder a URL path names inside the site, or (None, 403/404)."""
        if "\\" in raw_path or "\0" in raw_path:
            return None, 403
        try:
            path = unquote(raw_path, errors="strict") if "%" in raw_path else raw_path
        except UnicodeDecodeError:
            return None, 404
        if "\\" in path or "\0" in path or not path.startswith("/"):
            return None, 403
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") for p in parts):
            return None, 403
        if any(p.startswith(".") for p in parts):
            return None, 404  # the build's own files (.mooc-cache, .mooc-site) are not part of the site
        root = self.server.root.resolve()
        candidate = root.joinpath(*parts) if parts else root
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return None, 404
        if real != root and not real.is_relative_to(root):
            return None, 403  # a symlink that leaves the site
        return real, 200

    # --- responses ----------------------------------------------------------------------------

    def _send_file(self, target: Path, head: bool) -> None:
        try:
            handle = target.open("rb")
        except OSError:
            self._not_found(404, head)
            return
        with handle:
            stat = os.fstat(handle.fileno())
            size = stat.st_size
            etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
            modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            if self._not_modified(etag, stat.st_mtime):
                self._headers(304, None, {"ETag": etag, "Last-Modified": modified})
                return
            start, end = 0, size - 1
            status = 200
            extra = {"ETag": etag, "Last-Modified": modified, "Accept-Ranges": "bytes"}
            requested = self.headers.get("Range")
            # Ranges are for GET only (RFC 9110 section 14.2): a HEAD answers as the whole file's GET would.
            if requested is not None and not head and range_is_current(self.headers.get("If-Range"), etag):
                span = parse_range(requested, size)
                if isinstance(span, Unsatisfiable):
                    self._refused(416, f"Range '{shown(requested, 60)}': {span.reason}")
                    self._headers(416, 0, {**extra, "Content-Range": f"bytes */{size}"})
                    return
                if span is not None and span != (0, size - 1):
                    start, end = span
                    status = 206
                    extra["Content-Range"] = f"bytes {start}-{end}/{size}"
            length = max(0, end - start + 1)
            cache = "no-cache" if target.suffix in (".html", ".js", ".css", ".json") else "public, max-age=3600"
            self._headers(status, length, {**extra, "Content-Type": content_type(target), "Cache-Control": cache})
            if head:
                return
            handle.seek(start)
            left = length
            while left > 0:  # from the file opened above: a rebuild that replaces it changes nothing here
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    raise OSError(f"{target} ended {left} bytes before the length sent")
                self.wfile.write(chunk)
                left -= len(chunk)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            parsed = http_date(since)
            return parsed is not None and int(mtime) <= parsed
        return False

    def _not_found(self, status: int, head: bool) -> None:
        page = self.server.root / "404.html"
        live = self.server.live
        if status == 404 and page.is_file():
            body = page.read_bytes()
            if live is not None:
                body = self._inject(body, live)
        else:
            message = "Forbidden" if status == 403 else "Not found"
            body = f"<!DOCTYPE html><html lang=en><title>{message}</title><h1>{message}</h1>".encode()
            if live is not None:
                body = self._inject(body, live)
        self._send_bytes(status, body, "text/html; charset=utf-8", head, cache="no-store")

    def _redirect(self, location: str) -> None:
        self._headers(301, 0, {"Location": location})

    def _send_bytes(self, status: int, body: bytes, kind: str, head: bool, cache: str = "no-cache") -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if status == 200 and self._not_modified(etag, 0):
            self._headers(304, None, {"ETag": etag})
            return
        self._headers(status, len(body), {"Content-Type": kind, "Cache-Control": cache, "ETag": etag})
        if not head:
            self.wfile.write(body)

    def _headers(self, status: int, length: int | None, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

    # --- the author's preview -----------------------------------------------------------------

    def _inject(self, page: bytes, live: LiveState) -> bytes:
        """Add the reload script and, while the content has errors, the list of them, to an HTML page."""
        extra = b'<script src="/__mooc__/reload.js"></script>'
        if live.errors:
            # Each error with the line it is on and a caret under the place, when it has them: pre-wrap keeps
            # the caret under its character and still wraps a long line on a narrow window.
            items = "".join(f"<li>{html.escape(e)}</li>" for e in live.errors)
            heading = says("mooc: {n} error in the content; the page shows the last good build.",
                           "mooc: {n} errors in the content; the page shows the last good build.",
                           len(live.errors)).say(live.language)
            extra += (
                f'<div id="mooc-errors" role="alert" lang="{html.escape(live.language_code)}" '
                'style="position:fixed;inset:0 0 auto 0;z-index:2147483647;'
                "max-height:60vh;overflow:auto;background:#fff3f3;color:#5c0000;border-bottom:4px solid #b00020;"
                'padding:1rem 1.25rem;font:16px/1.4 system-ui,sans-serif">'
                f"<strong>{html.escape(heading)}</strong>"
                '<ul style="font-family:monospace;font-size:14px;margin:.5rem 0 0 1rem;padding:0;'
                f'white-space:pre-wrap">{items}</ul>'
                "</div>"
            ).encode()
        match = re.search(rb"<body[^>]*>", page)
        if match is None:
            return extra + page
        return page[: match.end()] + extra + page[match.end():]

    def _reserved(self, name: str, live: LiveState, head: bool) -> None:
        if name == "reload.js":
            self._send_bytes(200, RELOAD_SCRIPT, "text/javascript; charset=utf-8", head)
        elif name == "status":
            body = json.dumps({"generation": live.generation, "errors": live.errors,
                               "written": live.last_written, "rendered": live.last_rendered}).encode()
            self._send_bytes(200, body, "application/json", head, cache="no-store")
        elif name == "events":
            self._events(live)
        else:
            self._not_found(404, head)

    def _news(self, live: LiveState, seen: int) -> bool:
        return live.generation != seen or self.server.stopping.is_set()

    def _events(self, live: LiveState) -> None:
        """Server-Sent Events: one 'reload' message after each rebuild."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with live.changed:
            seen = live.generation
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.server.stopping.is_set():
                with live.changed:
                    live.changed.wait_for(functools.partial(self._news, live, seen), timeout=15)
                    current = live.generation
                if self.server.stopping.is_set():
                    return
                if current != seen:
                    seen = current
                    self.wfile.write(b"data: reload\n\n")
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def start(root: Path, host: str, port: int, live: LiveState | None) -> tuple[SiteServer, threading.Thread]:
    """Bind and serve in a thread; raises :class:`BindError` when the address cannot be served."""
    try:
        server = SiteServer((bare(host), port), root, live)
    except OSError as exc:
        raise BindError(bind_problem(host, port, exc)) from exc
    thread = threading.Thread(target=server.serve_forever, name="mooc-serve", kwargs={"poll_interval": 0.2})
    thread.start()
    return server, thread


def client(address: Any) -> str:
    """A client's address for a log line."""
    try:
        return str(address[0])
    except (TypeError, IndexError):
        return "?"


def shown(text: str, limit: int = 120) -> str:
    """A visitor's text fit for one line of log: control characters escaped (no forged lines, no terminal
    escapes), cut to ``limit`` characters with its full length said."""
    safe = text.encode("unicode_escape", "backslashreplace").decode("ascii") if not text.isprintable() else text
    return safe if len(safe) <= limit else f"{safe[:limit]}... ({len(text)} characters)"


