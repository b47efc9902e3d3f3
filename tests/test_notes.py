"""Presenter notes (``::: notes`` in a sequence's text): in the projector view's presenter panel only, never on
the site's pages, in its search index or in the download bundles; a body without notes makes the same pages
as before they existed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.diagnostics import Report
from mooc_builder.markdown import rust as markdown_rs
from mooc_builder.markdown.processor import MarkdownProcessor, Place

from .conftest import FIXTURES

AS_OF = dt.date(2017, 11, 20)
TREE = FIXTURES / "slides"
SEQUENCE = "courses/atelier/01-economies/02-animer.md"
PAGE = "atelier/economies/animer"
NOTES = ["tour de table des prénoms", "factures anonymes", "noter les idées au tableau", "vient de l'ADEME",
         "Montrer l'index du doigt", "rendez-vous la semaine prochaine"]
_BLOCK = re.compile(r"^::: notes\n.*?^:::\n\n?", re.S | re.M)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("notes") / "site"
    result = build(BuildOptions(TREE, out, AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    return out


def site_texts(site: Path) -> dict[str, str]:
    """Every text file of a built site, and every text member of its zips, by name."""
    found: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        if ".mooc-cache" in path.parts or not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member.endswith((".html", ".txt", ".json", ".js", ".md")):
                        found[f"{name}!{member}"] = archive.read(member).decode("utf-8")
        elif path.suffix in (".html", ".js", ".json", ".txt", ".ics"):
            found[name] = path.read_text(encoding="utf-8")
    return found


def test_the_fixture_s_notes_are_read_out_of_the_body() -> None:
    site, report = check(TREE)
    assert site is not None and not report.items, [str(item) for item in report.items]
    sequence = next(s for s in site.courses[0].sequences if s.id == "animer")
    assert len(sequence.notes) == len(NOTES)
    for text in NOTES:
        assert any(text in note.html for note in sequence.notes)
        assert text not in sequence.body_html and text not in sequence.body_text
    # Notes are for the facilitator: not in the reading time of the learner.
    without = _without_notes(TREE / SEQUENCE)
    assert "Accueillir" not in without
    processor = MarkdownProcessor(False, lambda raw, base: (None, None, "not checked here"))
    assert sequence.words == processor.render(without, Place("x.md", 0, Path("/")), Report(),
                                              title=sequence.title).words > 100


def _without_notes(path: Path) -> str:
    return _BLOCK.sub("", path.read_text(encoding="utf-8")).split("\n---\n", 1)[1]


def test_notes_are_on_no_page_of_the_site_but_the_projector_views(built: Path) -> None:
    texts = site_texts(built)
    projector = {f"{PAGE}/present/index.html", "atelier/economies/present/index.html"}
    assert projector <= set(texts)
    assert any("!" in name and name.endswith("/economies/02-animer.html") for name in texts)  # a bundle's sheet
    for name, text in texts.items():
        shown = [note for note in NOTES if note in text or note.replace("'", "&#39;") in text]
        if name in projector:
            assert shown == NOTES, name
        elif not ("!" in name and (name.endswith("/projection.html") or "/projection/" in name)):
            assert shown == [], name  # (a bundle's projector views hold them, hidden, as the site's do)


def test_the_projector_view_holds_the_notes_hidden_on_the_slides_they_were_written_on(built: Path) -> None:
    page = BeautifulSoup((built / PAGE / "present/index.html").read_text(encoding="utf-8"), "html.parser")
    asides = page.select("main .slide > aside.slide-notes")
    assert asides and all(aside.has_attr("hidden") for aside in asides)
    by_slide = {aside.get_text(" ", strip=True): aside.find_parent("section") for aside in asides}
    title = next(slide for text, slide in by_slide.items() if "tour de table" in text)
    assert "slide-title" in title["class"]  # written before the text: the sequence's title slide
    gestures = next(slide for text, slide in by_slide.items() if "idées au tableau" in text)
    assert gestures.find("h2").get_text() == "Trois gestes simples"
    drawing = next(slide for text, slide in by_slide.items() if "index du doigt" in text)
    assert "slide-picture" in drawing["class"] and drawing.find("figcaption").get_text() == (
        "Le compteur en gros plan – Le compteur")


def test_a_body_without_its_notes_makes_the_same_pages_but_the_projector_views(built: Path, tmp_path: Path) -> None:
    tree = tmp_path / "content"
    shutil.copytree(TREE, tree)
    path = tree / SEQUENCE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("\n---\n", 1)[0] + "\n---\n" + _without_notes(path), encoding="utf-8")
    out = tmp_path / "site"
    assert build(BuildOptions(tree, out, AS_OF)).ok
    with_notes, without = site_texts(built), site_texts(out)
    assert with_notes.keys() == without.keys()
    differ = sorted(name for name in with_notes if with_notes[name] != without[name])
    assert {"atelier/economies/animer/present/index.html", "atelier/economies/present/index.html"} <= set(differ)
    # Nothing else, but the projector views in the bundles, the bundles' lists of their files (sizes and
    # checksums) and the kit page that lists the bundles' sizes.
    def projector_or_listing(name: str) -> bool:
        member = name.partition("!")[2]
        return (name.endswith("present/index.html") or member.endswith(("/projection.html", "/metadata.json",
                "/SHA256SUMS")) or "/projection/" in member or name == "atelier/kit/index.html")

    assert [name for name in differ if not projector_or_listing(name)] == []


def test_notes_outside_a_sequence_s_text_are_left_out_with_a_warning(tmp_path: Path) -> None:
    tree = tmp_path / "content"
    shutil.copytree(TREE, tree)
    module = tree / "courses/atelier/02-suite/module.yml"
    discussion = 'discussion: "Un point.\\n\\n::: notes\\nSecret.\\n:::\\n"\n'
    module.write_text(module.read_text(encoding="utf-8") + discussion, encoding="utf-8")
    out = tmp_path / "site"
    result = build(BuildOptions(tree, out, AS_OF))
    assert result.ok
    assert [str(d.message) for d in result.report.warnings] == [
        "presenter notes ('::: notes') are read in a sequence's text only: left out here"]
    assert "Secret" not in (out / "atelier/suite/index.html").read_text(encoding="utf-8")
    assert "Secret" not in (out / "atelier/suite/present/index.html").read_text(encoding="utf-8")


def test_a_text_with_notes_goes_through_markdown_it_py() -> None:
    assert not markdown_rs.usable("Texte.\n\n::: notes\nPour l'animateur.\n:::\n")
