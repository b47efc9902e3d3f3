"""Where things live in the site: pages (a folder holding index.html), site links, the ids the site keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

# The prefix of a site-absolute link inside rendered Markdown; the renderer makes it relative for each page
# (see render.links).
SITE_LINK = "mooc-site:/"


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
    {"media", "downloads", "licences", "kit", "progress", "certificate", "present", "embed",
     "search", "assets", "index", "404"}
)
