"""`mooc serve`: build, serve, and (for an author) rebuild and reload after every save.

It reuses the build pipeline as it is: one :class:`build.Builder` kept alive, whose
caches make a rebuild after an edit render only what the edit affects, written in
place into the served folder.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mooc_builder.build import Builder, BuildOptions, BuildResult
from mooc_builder.diagnostics import Diagnostic
from mooc_builder.lang.text import Text, Translator, say, says
from mooc_builder.render.renderer import ThemeError
from mooc_builder.render.theme import default_theme_dir
from mooc_builder.serve.address import is_loopback, local_addresses, url_for
from mooc_builder.serve.http import LiveState, SiteServer, start
from mooc_builder.serve.watch import Watcher
from mooc_builder.write.files import WriteError
from mooc_builder.write.leftovers import Claim, claimed_folder, sweep

Say = Callable[[Text | str], None]


@dataclass
class ServeOptions:
    build: BuildOptions
    host: str = "127.0.0.1"
    port: int = 8000
    reload: bool = True
    open_browser: bool = False
    temporary: TemporaryOutput | None = None  # the output's temporary folder, removed on exit (None: kept)


class Session:
    """A running `mooc serve`: the server thread, the watcher and the builder, stopped together."""

    def __init__(self, options: ServeOptions, tell: Say, language: Translator | None = None) -> None:
        self.options = options
        self.tell = tell
        self.language = language
        self.builder = Builder(options.build)
        code = getattr(language, "language", "en")
        self.live = LiveState(language=language, language_code=str(code)) if options.reload else None
        self.lock = threading.Lock()
        self.server: SiteServer | None = None
        self.thread: threading.Thread | None = None
        self.watcher: Watcher | None = None
        self.last: BuildResult | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return url_for(self.options.host, self.server.server_address[1])

    def rebuild(self, changed: set[Path] | None = None, first: bool = False) -> BuildResult | None:
        """Build what ``changed`` affects (None: everything). A build that cannot write the site is said and
        the last good site kept, except the ``first``: with no site to serve, its WriteError or OSError is
        raised (a theme error is shown in the pages instead, as the author is about to fix it)."""
        theme = self.options.build.theme or default_theme_dir()
        if changed and any(_inside(path, theme) for path in changed):
            self.builder.theme_changed()
        published = []

        def pages_ready(partial: BuildResult) -> None:
            # The pages are on disk: reload the browser now; bundles are zipped after.
            self._publish([], partial.written, partial.rendered)
            published.append(time.perf_counter())

        self.builder.pages_ready = pages_ready
        started = time.perf_counter()
        with self.lock:
            try:
                result = self.builder.build(in_place=True, changed=changed)
            except (ThemeError, WriteError, OSError) as exc:
                if first and not isinstance(exc, ThemeError):
                    raise
                problem = (say("cannot write {path}: {problem}", path=self.options.build.output,
                               problem=exc.strerror or exc) if isinstance(exc, OSError) else str(exc))
                shown = problem.say(self.language) if isinstance(problem, Text) else problem
                self._publish([f"{type(exc).__name__}: {shown}"], [], 0)
                self.tell(say("error: {problem}", problem=problem))
                return None
        self.last = result
        errors = [self._shown(d) for d in result.report.errors]
        if result.ok:
            if changed is not None:
                ready = (published[0] - started) * 1000 if published else result.seconds * 1000
                self.tell(say("rebuilt: {files}, {pages}; pages ready in {ready} ms, everything in {total} ms",
                              files=says("{n} file written", "{n} files written", len(result.written)),
                              pages=says("{n} page rendered", "{n} pages rendered", result.rendered),
                              ready=f"{ready:.0f}", total=f"{result.seconds * 1000:.0f}"))
        else:
            self.tell(says("{n} error; the last good site is still served:",
                           "{n} errors; the last good site is still served:", len(errors)))
            for line in errors:
                self.tell("  " + line.replace("\n", "\n  "))
        if not published:
            self._publish(errors, result.written, result.rendered)
        elif self.live is not None:
            self.live.last_written = result.written  # the whole rebuild, bundles included (for /__mooc__/status)
        return result

    def _shown(self, diagnostic: Diagnostic) -> str:
        """An error as the terminal and the pages show it: its line, then its excerpt and caret if any."""
        line = diagnostic.say(self.language)
        return f"{line}\n{diagnostic.excerpt}" if diagnostic.excerpt else line

    def on_change(self, changed: set[Path]) -> None:
        self.rebuild(changed)

    def _publish(self, errors: list[str], written: list[str], rendered: int) -> None:
        if self.live is not None:
            self.live.publish(errors, written, rendered)

    def start(self) -> None:
        """Build, then serve and watch. Raises WriteError or OSError when the output folder cannot be written
        (nothing is served), BindError when the address cannot be listened on."""
        options = self.options
        self.rebuild(first=True)
        self.server, self.thread = start(options.build.output, options.host, options.port, self.live)
        if options.reload:
            theme = options.build.theme or default_theme_dir()
            self.watcher = Watcher([options.build.content, theme], self.on_change)
            self.watcher.start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        if self.server is not None:
            self.server.stop()
        if self.thread is not None:
            self.thread.join()
        if self.options.temporary is not None:
            self.options.temporary.remove()


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run(options: ServeOptions, tell: Say, language: Translator | None = None) -> None:
    """Serve until Ctrl-C (or SIGTERM); raises as :meth:`Session.start` does."""
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C even when started in the background of a script (which ignores SIGINT), and a service
        # manager's SIGTERM, both stop it cleanly.
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
    session = Session(options, tell, language)
    try:
        session.start()
        host = options.host
        tell(say("Serving {folder} at {url}", folder=options.build.content, url=session.url))
        if not is_loopback(host):
            port = session.server.server_address[1] if session.server else options.port
            for address in local_addresses():
                tell(say("  on the local network: {url}", url=f"http://{address}:{port}/"))
            tell(say("Warning: the site is visible to every device on this network."))
        tell(say("Press Ctrl-C to stop.") if options.reload else
             say("Press Ctrl-C to stop. (no reload: edits are not watched)"))
        if options.open_browser:
            webbrowser.open(session.url)
        threading.Event().wait()
    finally:
        session.stop()


SERVE_FOLDER = "mooc-serve-"
SERVE_MARKER = ".mooc-serve"


@dataclass
class TemporaryOutput:
    """Where `mooc serve` builds when it is given no -o: a folder of the system's temporary folder, claimed
    while it serves (write/leftovers.py), removed when it stops; a killed `mooc serve` leaves it for the next
    one to remove."""

    folder: Path
    claim: Claim

    @property
    def site(self) -> Path:
        return self.folder / "site"

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.claim.release()


def temporary_output() -> TemporaryOutput:
    parent = Path(tempfile.gettempdir())
    sweep(parent, SERVE_FOLDER, SERVE_MARKER)
    return TemporaryOutput(*claimed_folder(parent, SERVE_FOLDER, SERVE_MARKER))
