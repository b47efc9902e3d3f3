"""scormhost (PyPI), a SCORM 1.2 and 2004 player on FastAPI, as tests/browser/test_scorm_scormhost.py runs it:
``uvicorn scormhost_app:app`` in its own venv (.tools/scormhost/, `make tools-scormhost`), its data in the folder
SCORMHOST_DATA names (a temporary one)."""

import os

from scormhost import create_scorm_app

app = create_scorm_app(data_dir=os.environ["SCORMHOST_DATA"], title="scormhost under test",
                       secret_key="loopback-test-only")
