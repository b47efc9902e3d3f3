"""The Open edX SCORM block (openedx-scorm-xblock) in the XBlock SDK workbench, for the browser tests."""
