"""LMS harnesses of the browser tests: scorm-again in a page (harness.html), the Open edX SCORM block (openedx/)."""
