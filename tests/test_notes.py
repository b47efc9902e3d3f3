"""Presenter notes (``::: notes`` in a sequence's text): read out of the body, for the projector view alone."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.diagnostics import Report
from mooc_builder.markdown import rust as markdown_rs
from mooc_builder.markdown.processor import MarkdownProcessor, Place

from .conftest import FIXTURES

AS_OF = dt.date(2017, 11, 20)
TREE = FIXTURES / "slides"
SEQUENCE = "courses/atelier/01-economies/02-animer.md"
NOTES = ["tour de table des prénoms", "factures anonymes", "noter les idées au tableau", "vient de l'ADEME",
         "Montrer l'index du doigt", "rendez-vous la semaine prochaine"]
_BLOCK = re.compile(r"^::: notes\n.*?^:::\n\n?", re.S | re.M)


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


def test_notes_outside_a_sequence_s_text_are_left_out_with_a_warning(tmp_path: Path) -> None:
    tree = tmp_path / "content"
    shutil.copytree(TREE, tree)
    module = tree / "courses/atelier/02-suite/module.yml"
    discussion = 'discussion: "Un point.\\n\\n::: notes\\nSecret.\\n:::\\n"\n'
    module.write_text(module.read_text(encoding="utf-8") + discussion, encoding="utf-8")
    out = tmp_path / "site"
    result = build(BuildOptions(tree, out, AS_OF))
    assert result.ok
    assert [d.message for d in result.report.warnings] == [
        "presenter notes ('::: notes') are read in a sequence's text only: left out here"]
    assert "Secret" not in (out / "atelier/suite/index.html").read_text(encoding="utf-8")
    assert "Secret" not in (out / "atelier/suite/present/index.html").read_text(encoding="utf-8")


def test_a_text_with_notes_goes_through_markdown_it_py() -> None:
    assert not markdown_rs.usable("Texte.\n\n::: notes\nPour l'animateur.\n:::\n")
