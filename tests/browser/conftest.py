"""Browser tests: the Debian chromium driven by Playwright, against sites served on 127.0.0.1 and over file://."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from mooc_builder.build import BuildOptions, build

from ..conftest import FIXTURES, REFERENCE, REQUIRE_TOOLS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AS_OF = dt.date(2017, 11, 20)


@pytest.fixture(scope="session", autouse=True)
def chromium_present() -> None:
    """Without Debian's Chromium the browser tests skip, saying why; under `make test` they fail instead."""
    if not Path(CHROMIUM).is_file():
        message = f"Debian's Chromium is not installed at {CHROMIUM} (`make chromium` installs it)"
        if REQUIRE_TOOLS:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright has no option for a browser path: use the system's chromium, never a download."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on a free 127.0.0.1 port; returns its base URL (with a trailing slash)."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def build_site(content: Path, output: Path) -> Path:
    result = build(BuildOptions(content, output, AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    return output


def minimal_site_with_pass_mark(folder: Path, pass_mark: str) -> Path:
    """The minimal course (three sequences, one quiz of 6 graded points) built with another pass mark."""
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    course = content / "courses" / "demo" / "course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("pass_mark: 30%", f"pass_mark: {pass_mark}"),
                      encoding="utf-8")
    return build_site(content, folder / "site")


@pytest.fixture(scope="session")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REFERENCE, tmp_path_factory.mktemp("reference") / "site")


@pytest.fixture(scope="session")
def reference_served(reference_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(reference_site)


@pytest.fixture(scope="session")
def reference_in_subfolder(reference_site: Path, serve: Callable[[Path], str]) -> str:
    """The reference site served from a subfolder of a web server (/site/), as on a shared host."""
    return serve(reference_site.parent) + reference_site.name + "/"


@pytest.fixture(params=["http", "subfolder", "file"])
def reference_base(request: pytest.FixtureRequest, reference_site: Path, reference_served: str,
                   reference_in_subfolder: str) -> str:
    """The reference site's base URL: served on 127.0.0.1 (python's http.server), from a subfolder, and from file://."""
    if request.param == "http":
        return reference_served
    if request.param == "subfolder":
        return reference_in_subfolder
    return reference_site.as_uri() + "/"


@pytest.fixture
def page_errors(page: Page) -> list[str]:
    """JavaScript errors raised in the page; tests assert it stays empty."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
