"""Model values: what the pipeline relies on when it keeps, compares and pickles them."""

from __future__ import annotations

import pickle
from pathlib import PurePosixPath

from mooc_builder.model import Page


def test_a_page_makes_each_subpage_once_and_pickles_without_them() -> None:
    page = Page(PurePosixPath("energie/facture/lire"))
    embed = page.child("embed")
    assert embed is page.child("embed") and embed.file == PurePosixPath("energie/facture/lire/embed/index.html")
    assert embed.child("quiz").path == PurePosixPath("energie/facture/lire/embed/quiz")
    back = pickle.loads(pickle.dumps(page))
    assert back == page and back.file == page.file and back.child("embed") == embed
    assert b"embed" not in pickle.dumps(page)  # made again where needed, not carried
    assert repr(page) == "Page(path=PurePosixPath('energie/facture/lire'))"  # what digests see: the path alone
