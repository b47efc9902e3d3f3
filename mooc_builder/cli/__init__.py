"""The `mooc` command: argument parsing and printing only; the work is in build/ and the stages below it.

commands.py has the commands, new.py `mooc new`, speech.py the language they speak; main() runs them.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading

from mooc_builder import shortcuts
from mooc_builder.cli.commands import cli
from mooc_builder.cli.new import new_group
from mooc_builder.cli.speech import echo
from mooc_builder.lang.text import say

__all__ = ["cli", "main"]

cli.add_command(new_group)


class Terminated(BaseException):
    """SIGTERM arrived: unwind as an interruption does (every cleanup runs), then exit 128 + 15."""


def _terminated(_signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second one must not cut the cleanup short
    raise Terminated


def main() -> None:
    """Entry point: no traceback ever reaches an author (set MOOC_DEBUG=1 to see one)."""
    wrong = shortcuts.problem()
    if wrong:
        echo(f"mooc: {wrong}", err=True)
        sys.exit(2)
    if threading.current_thread() is threading.main_thread():
        # A service manager's or a shell's `kill` stops a build as Ctrl-C does: its temporary folders removed,
        # the previous site as it was (by default Python would end at once, leaving them).
        signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(standalone_mode=True)
    except SystemExit:  # click ends every command so, the output written and its folders swapped in
        # A build keeps its model to the end, and Python's last collection at exit would scan those millions
        # of objects for cycles once more, after the work is done: a tenth of a one-edit build of 2,000
        # sequences (docs/PERFORMANCE.md). Frozen, they are left out of it; exit handlers still run.
        if shortcuts.enabled(shortcuts.Shortcut.FROZEN_EXIT):
            gc.freeze()
        raise
    except KeyboardInterrupt:
        echo(say("Interrupted."), err=True)
        sys.exit(130)
    except Terminated:
        echo(say("Stopped (SIGTERM); nothing was changed."), err=True)
        sys.exit(128 + signal.SIGTERM)
    except Exception as exc:
        if os.environ.get("MOOC_DEBUG"):
            raise
        echo(say("mooc: internal error ({problem}). This is a bug in mooc-builder, not in your content; please "
                 "report it with the command you ran. Set MOOC_DEBUG=1 to see the details.",
                 problem=f"{type(exc).__name__}: {exc}"), err=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
