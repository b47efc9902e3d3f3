"""Model values: what the pipeline relies on when it keeps, compares and pickles them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from pathlib import Path, PurePosixPath

from mooc_builder.model import MediaFile, Note, Page, Rights, Sequence
from mooc_builder.model.licences import REGISTRY


def test_a_page_makes_each_subpage_once_and_pickles_without_them() -> None:
    page = Page(PurePosixPath("energie/facture/lire"))
    embed = page.child("embed")
    assert embed is page.child("embed") and embed.file == PurePosixPath("energie/facture/lire/embed/index.html")
    assert embed.child("quiz").path == PurePosixPath("energie/facture/lire/embed/quiz")
    back = pickle.loads(pickle.dumps(page))
    assert back == page and back.file == page.file and back.child("embed") == embed
    assert b"embed" not in pickle.dumps(page)  # made again where needed, not carried
    assert repr(page) == "Page(path=PurePosixPath('energie/facture/lire'))"  # what digests see: the path alone


def _sequence(**changes: object) -> Sequence:
    fields: dict[str, object] = {
        "id": "lire", "order": 1, "title": "Lire sa facture", "page": Page(PurePosixPath("energie/facture/lire")),
        "source": Path("courses/energie/01-facture/01-lire.md"),
        "rights": Rights(REGISTRY["CC-BY-NC-ND-4.0"], "Fédération"), "body_html": "<p>Le relevé</p>\n",
        "words": 2, "discussion_html": "", "declared_duration": None}
    fields.update(changes)
    return Sequence(**fields)  # type: ignore[arg-type]


def test_a_sequence_digest_changes_with_every_field_it_shows() -> None:
    base = _sequence()
    assert _sequence().digest == base.digest  # equal values, equal digests (another build, another process)
    changes = {
        "id": "relire", "order": 2, "title": "Lire sa facture ", "page": Page(PurePosixPath("energie/facture/x")),
        "source": Path("courses/energie/01-facture/02-lire.md"),
        "rights": Rights(REGISTRY["CC-BY-NC-ND-4.0"], "Bailleur"), "body_html": "<p>Le relevé.</p>\n",
        "words": 3, "discussion_html": "<p>?</p>", "declared_duration": dt.timedelta(minutes=5),
        "notes": (Note(0, "<p>Accueillir le groupe.</p>"),),
        "picture_variants": (MediaFile(Path("store/ab/ab12.webp"),
                                       PurePosixPath("energie/media/mooc-sizes/a.jpg.320w.webp"), 1234),)}
    shown = {f.name for f in dataclasses.fields(Sequence) if f.repr}
    assert shown - set(changes) == {"videos", "resources", "images", "quiz"}  # a new field: add it above
    digests = {name: _sequence(**{name: value}).digest for name, value in changes.items()}
    assert base.digest not in digests.values() and len(set(digests.values())) == len(digests)
    # The body and the other fields are kept apart: moving text between them changes the digest.
    assert _sequence(body_html="<p>a</p>", title="b").digest != _sequence(body_html="<p>ab</p>", title="").digest
