"""Exports of a course to other systems: SCORM packages for a learning management system (LMS)."""
