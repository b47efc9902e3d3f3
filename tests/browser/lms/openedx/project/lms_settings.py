"""Settings of the XBlock SDK workbench for the Open edX SCORM block (openedx-scorm-xblock), on loopback only.

The folder holding this file is a copy made by the test (tests/browser/lms/openedx/workbench.py): the database,
the log, the extracted packages (MEDIA_ROOT: the block stores them through Django's default storage) and the
record of the events the block publishes all live in it, and go with it.
"""

import os
from pathlib import Path

from workbench.settings import *  # noqa: F403

HERE = Path(__file__).resolve().parent
VAR = HERE / "var"
VAR.mkdir(exist_ok=True)

# django-pyfs is in the workbench's apps but is not a dependency of xblock-sdk; lmsfix holds the workbench fixes.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "djpyfs"]  # noqa: F405
INSTALLED_APPS.append("lmsfix")

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR / "workbench.db"),
                         "OPTIONS": {"timeout": 30}}}
LOGGING["handlers"]["logfile"]["filename"] = str(VAR / "workbench.log")  # noqa: F405
LOGGING["handlers"]["logfile"]["maxBytes"] = 20_000_000  # noqa: F405
LOGGING["loggers"]["openedxscorm"] = {"level": "DEBUG", "handlers": ["logfile"]}  # noqa: F405
LOGGING["loggers"]["workbench"] = {"level": "INFO", "handlers": ["logfile"]}  # noqa: F405
LOGGING["loggers"]["django"] = {"level": "INFO", "handlers": ["logfile"]}  # noqa: F405

MEDIA_ROOT = str(HERE / "media")
MEDIA_URL = "/media/"

# The block's defaults, said out loud: packages extracted under MEDIA_ROOT/scorm, assets proxied through the
# block's own assets_proxy handler (as in an Open edX LMS), tracking events on.
XBLOCK_SETTINGS = {"ScormXBlock": {}}

# lmsfix: how many empty SCORM blocks the workbench offers (scenarios scorm.0, scorm.1, ...), and where the
# events that blocks publish (grade, completion, tracking) are written, one JSON object a line.
LMSFIX_SLOTS = int(os.environ.get("LMSFIX_SLOTS", "8"))
LMSFIX_EVENTS = str(VAR / "events.jsonl")
