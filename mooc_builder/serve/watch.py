"""Watch a content tree and a theme, and call back once a burst of saves has settled."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# An editor's save is often several events (write temp, rename, chmod): wait for quiet.
QUIET = 0.08
LONGEST = 1.0


def _ignored(path: str) -> bool:
    name = Path(path).name
    return (name.startswith((".#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))
            or name in ("4913", ".DS_Store"))


class Watcher:
    """Calls ``on_change(paths)`` in its own thread after changes settle; one call at a time."""

    def __init__(self, folders: Iterable[Path], on_change: Callable[[set[Path]], None]) -> None:
        self.on_change = on_change
        self.pending: set[Path] = set()
        self.first_at = 0.0
        self.last_at = 0.0
        self.lock = threading.Condition()
        self.stopping = False
        self.observer = Observer()
        handler = _Forward(self)
        for folder in folders:
            # An absolute path: watchdog's inotify loses every subfolder of a relative root such as "." (an
            # author's `mooc serve` from inside the content folder), and the build's records name files by
            # absolute paths.
            self.observer.schedule(handler, str(Path(folder).absolute()), recursive=True)
        self.worker = threading.Thread(target=self._run, name="mooc-rebuild")

    def start(self) -> None:
        self.observer.start()
        self.worker.start()

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            self.lock.notify_all()
        self.observer.stop()
        # Ctrl-C as `mooc serve` starts may stop a watcher whose threads are not started yet: nothing to wait for.
        for thread in (self.observer, self.worker):
            if thread.ident is not None:
                thread.join()

    def event(self, paths: Iterable[str]) -> None:
        now = time.monotonic()
        with self.lock:
            for path in paths:
                if path and not _ignored(path):
                    if not self.pending:
                        self.first_at = now
                    self.pending.add(Path(path))
                    self.last_at = now
            self.lock.notify_all()

    def _run(self) -> None:
        while True:
            with self.lock:
                while not self.pending and not self.stopping:
                    self.lock.wait()
                if self.stopping:
                    return
                while not self.stopping:
                    now = time.monotonic()
                    settle = min(self.last_at + QUIET, self.first_at + LONGEST) - now
                    if settle <= 0:
                        break
                    self.lock.wait(settle)
                if self.stopping:
                    return
                batch, self.pending = self.pending, set()
            self.on_change(batch)


class _Forward(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [str(event.src_path)]
        destination = getattr(event, "dest_path", "")
        if destination:
            paths.append(str(destination))
        self.watcher.event(paths)
