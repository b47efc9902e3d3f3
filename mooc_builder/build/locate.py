"""Where the content folder and the site are when an author does not say: an author runs `mooc` from the folder
they work in, which may be the content folder itself or a course or module inside it."""

from __future__ import annotations

from pathlib import Path

DEFAULT_CONTENT = Path("content")
SITE_FILE = "site.yml"
DEFAULT_OUTPUT = "_site"


def content_folder(cwd: Path) -> Path:
    """``content/`` when the working folder has one with a site.yml, else the nearest folder at or above the
    working folder that holds a site.yml (`mooc check` from inside a course), else ``content`` (whose absence
    the check then reports)."""
    if (cwd / DEFAULT_CONTENT / SITE_FILE).is_file():
        return DEFAULT_CONTENT
    for folder in (cwd, *cwd.parents):
        if (folder / SITE_FILE).is_file():
            return folder if folder != cwd else Path(".")
    return DEFAULT_CONTENT


def default_output(content: Path, cwd: Path) -> Path:
    """``_site`` in the working folder, or beside the content folder when the working folder is inside it (the
    site may not be written into the folder it is built from)."""
    try:
        inside = cwd.resolve().is_relative_to(content.resolve())
    except OSError:
        inside = False
    return content.resolve().parent / DEFAULT_OUTPUT if inside else Path(DEFAULT_OUTPUT)
