"""Where things live in the site: pages (a folder holding index.html), site links, the ids the site keeps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote

from mooc_builder.lang.text import Text, say

# The prefix of a site-absolute link inside rendered Markdown; the renderer makes it relative for each page
# (see render.links).
SITE_LINK = "mooc-site:/"
# What a path may hold as it is in a link; anything else (a space, '#', '%', an accent) is percent-encoded.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/._~-]*\Z")
_SAFE = "/!$&'()*+,;=:@-._~"


def encode_site_path(path: str) -> str:
    """A site path as a link carries it: percent-encoded when it must be, so that a file named "fiche #1.pdf"
    is not cut at its '#' (render.links decodes a site link's path again before making it relative)."""
    return path if _PLAIN_PATH.match(path) else quote(path, safe=_SAFE)


@dataclass(frozen=True, slots=True)
class Page:
    """Where a page lives in the site: a folder holding index.html."""

    path: PurePosixPath  # the folder, e.g. energie/facture/lire-sa-facture ('.' for the home page)
    file: PurePosixPath = field(init=False, repr=False, compare=False)  # its index.html, made once
    # The pages in its subfolders (a sequence's projector view, a course's search page) as they are asked for:
    # each is asked for by every page that links to it, and making a path costs as much as a link.
    _children: dict[str, Page] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", self.path / "index.html")
        object.__setattr__(self, "_children", {})

    def __reduce__(self) -> tuple[type[Page], tuple[PurePosixPath]]:
        return Page, (self.path,)  # the rest is made again

    def child(self, name: str) -> Page:
        """The page in subfolder ``name``."""
        known = self._children.get(name)
        if known is None:
            known = self._children[name] = Page(self.path / name)
        return known


# Names that the site uses for its own pages and folders: no course, module or
# sequence may take them as id.
RESERVED_IDS = frozenset(
    {"media", "downloads", "handouts", "licences", "kit", "progress", "certificate", "present", "embed",
     "search", "assets", "index", "404"}
)

# Ids the default theme's pages use (templates/, static/js/): its scripts find their data by id (mooc-page,
# mooc-quiz, mooc-course, mooc-messages) and their inputs, labels and links point at ids. A heading's anchor
# never takes one (markdown.common.Anchors), an author's {#id} that is one is an error: a heading "Mooc quiz"
# took the quiz's data element's id, and the quiz never started. tests/test_theme.py holds this against the
# templates and scripts.
RESERVED_ANCHORS = frozenset(
    {"content", "course-search", "discussion", "discussion-title", "embed-code", "embed-quiz-code",
     "learner-name", "progress-file", "quiz", "quiz-confirm", "quiz-confirm-text", "quiz-last", "quiz-result",
     "quiz-title", "resources-title", "scorm-packages", "search-query",
     "bundle-course", "progress-file-name",
     "mooc-au", "mooc-course", "mooc-course-frame", "mooc-messages", "mooc-page", "mooc-present-more", "mooc-quiz",
     "mooc-report", "mooc-sandbox", "mooc-sco"}
)
# And the ids made from a counter (a quiz's questions q1, q1-prompt, q1-label, q1-result, their choices q1-0,
# q1-true... and the choices' labels q1-0-label...; the weeks of a course; a kit's bundles), with every id
# starting with mooc-, kept for what the theme adds.
RESERVED_ANCHOR_FORMS = re.compile(
    r"mooc-.*|q\d+(?:-(?:\d+|prompt|true|false|answer|label|result))?(?:-label)?|week-\d+|bundle-\d+", re.S)


def reserved_anchor(name: str) -> bool:
    """Whether a page of the default theme may use ``name`` as an id of its own."""
    return name in RESERVED_ANCHORS or RESERVED_ANCHOR_FORMS.fullmatch(name) is not None


# Names Windows keeps for devices, with any extension: no file may have them there (a USB stick copied to a
# Windows computer, a site built on one), and no course, module or sequence may take them as id.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                             *(f"lpt{n}" for n in range(1, 10))})
_NOT_ON_WINDOWS = re.compile(r'[<>:"|?*\x00-\x1f]')


def portable_name_problem(name: str) -> Text:
    """What would stop a site path from being written on a USB stick (FAT32, exFAT) or a Windows computer;
    an empty (false) Text when nothing would."""
    for part in name.split("/"):
        if part.split(".", 1)[0].lower() in WINDOWS_DEVICES:
            return say("'{part}' is a name Windows keeps for a device (con, prn, aux, nul, com1-9, lpt1-9)",
                       part=part)
        bad = _NOT_ON_WINDOWS.search(part)
        if bad:
            return say("'{part}' holds {character}, which Windows and USB sticks refuse in a file name", part=part,
                       character=repr(bad.group()))
        if part.endswith((".", " ")):
            return say("'{part}' ends with a dot or a space, which Windows drops", part=part)
    return Text("")
