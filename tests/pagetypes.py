"""One page of every type the build writes, found in a built site of the reference courses and in its courses'
download bundles unpacked as a facilitator unpacks them: the Nu HTML Checker (tests/test_html_valid.py) and the
reflow test (tests/browser/test_reflow.py) read the same pages."""

from __future__ import annotations

import zipfile
from pathlib import Path

# Each page type: a glob under the built site or the unpacked bundles, and text the page must hold when one
# matching page has more to check than the others (a video with its transcript, a quiz).
SITE_PAGES = {
    "home": ("index.html", None),
    "not found": ("404.html", None),
    "course": ("*/index.html", None),
    "module": ("*/*/present/index.html", "<video"),  # taken as its module's page below
    "sequence with a video": ("*/*/*/present/index.html", "<video"),  # taken as its sequence's page below
    "sequence with a quiz": ("*/*/*/embed/quiz/index.html", None),  # taken as its sequence's page below
    "embed": ("*/*/*/embed/index.html", "<video"),
    "quiz-only embed": ("*/*/*/embed/quiz/index.html", None),
    "sequence with a matching question": ("*/*/*/embed/quiz/index.html", 'class="pairs"'),
    "sequence with an ordering question": ("*/*/*/embed/quiz/index.html", 'class="order"'),
    "sequence with a cloze question": ("*/*/*/embed/quiz/index.html", 'class="cloze"'),
    "sequence with a hotspot question": ("*/*/*/embed/quiz/index.html", 'class="hotspot"'),
    "progress": ("*/progress/index.html", None),
    "certificate": ("*/certificate/index.html", None),
    "search": ("*/search/index.html", None),
    "licences": ("*/licences/index.html", None),
    "kit": ("*/kit/index.html", None),
    "projector view of a module": ("*/*/present/index.html", "<video"),
    "projector view of a sequence": ("*/*/*/present/index.html", "<video"),
    "sequence with chapters and audio description": ("*/*/*/present/index.html", 'kind="chapters"'),
    "projector view with chapters": ("*/*/*/present/index.html", 'kind="chapters"'),
}
BUNDLE_PAGES = {
    "bundle start page": ("*/index.html", None),
    "session plan": ("*/*/plan.html", None),
    "bundle projector view of a module": ("*/*/projection.html", "<video"),
    "bundle projector view of a sequence": ("*/*/projection/*.html", "<video"),
    "participants' sheet": ("*/*/participants/*.html", "quiz"),
    "facilitator's sheet": ("*/*/[0-9]*.html", "quiz"),
    "video player": ("*/*/videos/*.html", None),
    "video player with chapters and audio description": ("*/*/videos/*.html", 'kind="chapters"'),
}
# The pages that stand for their module's or sequence's page: its folder's parent, or grandparent, holds it.
UP = {"module": 1, "sequence with a video": 1, "sequence with a quiz": 2,
      "sequence with chapters and audio description": 1, "sequence with a matching question": 2,
      "sequence with an ordering question": 2, "sequence with a cloze question": 2,
      "sequence with a hotspot question": 2}


def pick(root: Path, pattern: str, marker: str | None) -> Path:
    """The first page (in name order) matching the pattern, and holding the marker if there is one."""
    for path in sorted(root.glob(pattern)):
        if marker is None or marker in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError(f"no page {pattern} under {root}" + (f" holds {marker!r}" if marker else ""))


def unpack_bundles(site: Path, unpacked: Path) -> Path:
    """Every course's download bundle of a built site unpacked into one folder (returned)."""
    for course in sorted(p.parent for p in site.glob("*/downloads")):
        with zipfile.ZipFile(course / "downloads" / f"{course.name}.zip") as archive:
            archive.extractall(unpacked)
    return unpacked


def site_pages(site: Path) -> dict[str, Path]:
    """One page of each type of the built site, by type."""
    found: dict[str, Path] = {}
    for kind, (pattern, marker) in SITE_PAGES.items():
        page = pick(site, pattern, marker)
        if kind in UP:
            page = page.parents[UP[kind]] / "index.html"
        found[kind] = page
    return found


def bundle_pages(unpacked: Path) -> dict[str, Path]:
    """One page of each type of the unpacked bundles, by type."""
    return {kind: pick(unpacked, pattern, marker) for kind, (pattern, marker) in BUNDLE_PAGES.items()}
