"""What the tests' real servers (LMS, LRS, players, kiwix-serve, mooc serve) share: a free port on 127.0.0.1,
and stopping a server, alone or with everything it started (its own process group)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess

STOP_SECONDS = 15


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_group(process: subprocess.Popen[bytes], seconds: float = STOP_SECONDS) -> None:
    """Stop a server started with ``start_new_session=True`` and whatever it started, by its group's id."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=seconds)


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str], seconds: float = STOP_SECONDS) -> None:
    """Stop a server: SIGTERM, then SIGKILL if it has not ended within ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=seconds)
