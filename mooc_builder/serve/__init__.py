"""Serve: `mooc serve`, the preview for authors and the local server for a room."""
