"""A real Kolibri (PyPI kolibri, installed by `make tools-kolibri` into .tools/kolibri, a venv of its own: it
vendors Django and pins its own dependencies) as a residence's hub runs one, for tests/browser/test_kolibri.py.

Everything is local and bounded: a temporary KOLIBRI_HOME, the device provisioned with a facility, an admin and
a learner, the channels imported from a KOLIBRI_DATA folder as from a USB stick (`importchannel disk`,
`importcontent disk`), then `kolibri start --foreground` on two free ports of 127.0.0.1 (Kolibri's and its zip
content server's). Nothing reaches out: usage ping off, Studio and the data portal pointed at a closed port of
127.0.0.1, zeroconf (mDNS announcements on the network) off.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..conftest import ROOT
from ..processes import free_port, stop_group

KOLIBRI = ROOT / ".tools" / "kolibri" / "bin" / "kolibri"
LEARNER = ("camille", "camille-2026")
ADMIN = ("admin", "admin-2026")
START_SECONDS = 90


@dataclass(frozen=True)
class Hub:
    base: str  # http://127.0.0.1:PORT
    home: Path

    def manage(self, *args: str) -> str:
        return manage(self.home, *args)


def environment(home: Path, port: int = 9, zip_port: int = 9) -> dict[str, str]:
    closed = "http://127.0.0.1:9"
    return {**os.environ, "KOLIBRI_HOME": str(home), "KOLIBRI_HTTP_PORT": str(port),
            "KOLIBRI_ZIP_CONTENT_PORT": str(zip_port), "KOLIBRI_LISTEN_ADDRESS": "127.0.0.1",
            "KOLIBRI_ZEROCONF_ENABLED": "0", "KOLIBRI_DISABLE_PING": "1",
            "KOLIBRI_CENTRAL_CONTENT_BASE_URL": closed, "KOLIBRI_DATA_PORTAL_SYNCING_BASE_URL": closed}


def manage(home: Path, *args: str, timeout: float = 120) -> str:
    done = subprocess.run([str(KOLIBRI), "manage", *args], env=environment(home), capture_output=True, text=True,
                          timeout=timeout, cwd=home)
    assert done.returncode == 0, f"kolibri manage {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


CREATE_LEARNER = """
from kolibri.core.auth.models import Facility, FacilityUser
user = FacilityUser(username={name!r}, facility=Facility.get_default_facility(), full_name="Camille")
user.set_password({password!r})
user.save()
"""


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@contextlib.contextmanager
def kolibri_hub(drive: Path, channels: list[str]) -> Iterator[Hub]:
    """A provisioned Kolibri with ``channels`` imported from the KOLIBRI_DATA folder ``drive``, started; stopped
    and its home removed at the end."""
    with tempfile.TemporaryDirectory(prefix="kolibri-home-") as folder:
        home = Path(folder)
        manage(home, "provisiondevice", "--facility", "Résidence des Tilleuls", "--preset", "formal",
               "--superusername", ADMIN[0], "--superuserpassword", ADMIN[1], "--language_id", "fr-fr", "--noinput")
        manage(home, "shell", "-c", CREATE_LEARNER.format(name=LEARNER[0], password=LEARNER[1]))
        for channel in channels:
            manage(home, "importchannel", "disk", channel, str(drive))
            manage(home, "importcontent", "disk", channel, str(drive))
        port, zip_port = free_port(), free_port()
        process = subprocess.Popen([str(KOLIBRI), "start", "--foreground"], env=environment(home, port, zip_port),
                                   cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    get_json(base + "/api/public/info/")
                    break
                except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
                    log = home / "logs" / "kolibri.txt"
                    assert process.poll() is None, log.read_text(errors="replace")[-3000:] if log.exists() else ""
                    assert time.monotonic() < deadline, f"Kolibri did not answer within {START_SECONDS} s"
                    time.sleep(0.5)
            yield Hub(base, home)
        finally:
            stop_group(process, 20)
