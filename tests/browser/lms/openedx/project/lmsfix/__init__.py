"""Fixes that let the XBlock SDK workbench run openedx-scorm-xblock; none changes the block's own code."""
