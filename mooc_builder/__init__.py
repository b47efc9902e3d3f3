"""mooc-builder: a static course-site generator for short, free, offline-friendly courses."""

__version__ = "0.1.0"
