"""Markdown: author text to safe HTML with its links checked (used while loading)."""
