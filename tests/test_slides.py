"""A sequence's body cut into slides for the projector view (mooc_builder/render/slides.py): at headings and
breaks, a picture alone on its slide with its caption, tables and lists kept on theirs, each presenter note on
the slide it was written on, and nothing of the body lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mooc_builder.build import check
from mooc_builder.diagnostics import Report
from mooc_builder.markdown.processor import MarkdownProcessor, Place, Target
from mooc_builder.model import MediaFile, Note
from mooc_builder.render.slides import Slide, Slides, blocks, prefix_ids, split
from mooc_builder.text import plain_text

from .conftest import FIXTURES, REFERENCE


def _resolve(raw: str, base: Path) -> Target:
    return None, MediaFile(base / raw, Path("media") / raw, 10), ""


MARKDOWN = MarkdownProcessor(False, _resolve)


def deck(text: str) -> Slides:
    """The slides of a body written in Markdown, through the same renderer as a sequence's."""
    report = Report()
    rendered = MARKDOWN.render(text, Place("x.md", 0, Path("/c")), report, title="Titre", notes=True)
    assert not report.errors, [str(item) for item in report.items]
    return split(rendered.html, rendered.notes)


def texts(slides: Slides) -> list[str]:
    return [plain_text(slide.heading + "\n" + slide.html) for slide in slides.slides]


def test_headings_of_level_two_and_three_start_slides_and_deeper_ones_stay() -> None:
    slides = deck("Intro.\n\n## Un\n\nTexte un.\n\n### Un et demi\n\nSuite.\n\n#### Détail\n\nPlus.\n\n## Deux\n\nFin.")
    assert texts(slides) == ["Intro.", "Un Texte un.", "Un et demi Suite. Détail Plus.", "Deux Fin."]
    assert [bool(slide.heading) for slide in slides.slides] == [False, True, True, True]
    assert all(slide.kind == "text" and not slide.section for slide in slides.slides)


def test_a_heading_right_under_a_higher_one_stays_on_its_slide() -> None:
    slides = deck("## Partie\n\n### Première idée\n\nTexte.\n\n### Seconde idée\n\nAutre.")
    assert texts(slides) == ["Partie Première idée Texte.", "Seconde idée Autre."]
    assert slides.slides[0].heading.count("<h") == 2


def test_a_thematic_break_starts_a_slide_and_is_not_shown() -> None:
    slides = deck("---\n\nUn.\n\n---\n\n---\n\nDeux.\n\n- a\n- b\n\n---\n")
    assert texts(slides) == ["Un.", "Deux. a b"]
    assert all("<hr" not in slide.html for slide in slides.slides)
    # A setext heading ("Titre\n---") is a heading, not a break.
    assert texts(deck("Un.\n\nTitre\n---\n\nDeux.")) == ["Un.", "Titre Deux."]


def test_after_a_break_the_slide_recalls_its_section() -> None:
    slides = deck("## Les gestes\n\nUn.\n\n---\n\nDeux.")
    assert [slide.section for slide in slides.slides] == ["", "Les gestes"]


def test_a_picture_alone_is_a_slide_with_its_caption() -> None:
    slides = deck('Avant.\n\n![Un compteur, son index en kWh](img/compteur.svg)\n\nAprès.\n\n'
                  '![Plan](img/a.png "Le plan du logement") ![Coupe](img/b.png)')
    assert [slide.kind for slide in slides.slides] == ["text", "picture", "text", "picture", "picture"]
    picture = slides.slides[1]
    assert picture.html.startswith('<img src="mooc-site:/media/img/compteur.svg" alt="Un compteur, son index en kWh"')
    assert picture.caption == "Un compteur, son index en kWh"
    assert slides.slides[3].caption == "Plan – Le plan du logement" and slides.slides[4].caption == "Coupe"
    assert "<p>" not in picture.html  # the picture alone, without its paragraph


def test_a_picture_under_a_heading_takes_the_heading_and_the_text_after_it_recalls_it() -> None:
    slides = deck("## Le schéma\n\n![Le schéma](img/s.svg)\n\nCe qu'il montre.")
    first, second = slides.slides
    assert first.kind == "picture" and "Le schéma</h2>" in first.heading
    assert second.kind == "text" and second.section == "Le schéma" and not second.heading


def test_a_picture_inside_a_sentence_stays_in_its_text() -> None:
    slides = deck("Le voyant ![vert](img/v.png) est allumé.")
    assert [slide.kind for slide in slides.slides] == ["text"]
    assert "<img" in slides.slides[0].html


def test_footnotes_make_a_slide_of_their_own() -> None:
    slides = deck("## Les unités\n\nUn kWh[^1].\n\n[^1]: Un kilowattheure.")
    assert texts(slides)[1].startswith("Un kilowattheure.")
    assert slides.slides[1].html.startswith('<section class="footnotes">') and slides.slides[1].section == ""


def test_tables_and_lists_stay_on_their_slide() -> None:
    slides = deck("## Les postes\n\nVoici :\n\n| Poste | Part |\n|---|---|\n| Chauffage | 60 % |\n\n"
                  "1. un\n2. deux\n\n> Une citation.")
    (slide,) = slides.slides
    assert '<div class="table-wrap"' in slide.html and "<ol>" in slide.html and "<blockquote>" in slide.html


NOTED = """::: notes
Avant tout.
:::

Intro.

::: notes
Sur l'intro.
:::

## Partie

::: notes
Sur la partie.
:::

Texte.

---

::: notes
Après la coupure.
:::

Suite.

![Dessin](img/d.svg)

::: notes
Sur le dessin.
:::

Après le dessin.

- un point
  ::: notes
  Dans la liste.
  :::
- un autre

---

::: notes
À la fin.
:::
"""


def test_notes_go_on_the_slide_they_are_written_on() -> None:
    slides = deck(NOTED)
    assert slides.before == ("<p>Avant tout.</p>\n",)  # for the sequence's title slide
    assert texts(slides) == ["Intro.", "Partie Texte.", "Suite.", "", "Après le dessin. un point un autre"]
    notes = [[plain_text(note) for note in slide.notes] for slide in slides.slides]
    assert notes == [["Sur l'intro."], ["Sur la partie."], ["Après la coupure."], ["Sur le dessin."],
                     ["Dans la liste.", "À la fin."]]  # after a last break with nothing after it: the slide before
    assert not any("Avant tout" in slide.html or "Sur" in slide.html for slide in slides.slides)


def test_notes_given_as_offsets_are_placed_by_them() -> None:
    body = "<p>Un</p>\n<h2>Deux</h2>\n<p>Trois</p>\n"
    at_heading = body.index("<h2>")
    slides = split(body, (Note(at_heading + 5, "<p>dans le titre</p>"), Note(0, "<p>d'abord</p>"),
                          Note(len(body), "<p>enfin</p>"), Note(at_heading, "<p>avant le titre</p>")))
    assert slides.before == ("<p>d'abord</p>",)
    assert [slide.notes for slide in slides.slides] == [("<p>avant le titre</p>",),
                                                       ("<p>dans le titre</p>", "<p>enfin</p>")]


def test_an_empty_body_has_no_slide_and_keeps_its_notes_for_the_title() -> None:
    assert split("") == Slides(())
    assert split("", (Note(0, "<p>n</p>"),)) == Slides((), ("<p>n</p>",))


def _bodies() -> list[tuple[str, str, tuple[Note, ...]]]:
    found = []
    for tree in (REFERENCE, FIXTURES / "minimal", FIXTURES / "slides"):
        site, _ = check(tree)
        assert site is not None
        found += [(s.page.path.as_posix(), s.body_html, s.notes) for c in site.courses for s in c.sequences]
    return found


@pytest.mark.parametrize(("name", "body", "notes"), _bodies(), ids=lambda value: value if isinstance(value, str)
                         and "<" not in value else "")
def test_nothing_of_a_body_is_lost(name: str, body: str, notes: tuple[Note, ...]) -> None:
    slides = split(body, notes)
    # The text of all slides is the body's text, in order.
    assert " ".join(texts(slides)).split() == plain_text(body).split(), name
    # Their blocks are the body's, as they are: only breaks and the paragraphs around pictures are left out.
    kept = [part for slide in slides.slides for part in (slide.heading, slide.html) if part]
    expected = []
    for start, end in blocks(body):
        piece = body[start:end]
        if re.fullmatch(r"<p>(\s*<img\b[^>]*>)+\s*</p>", piece):
            expected += re.findall(r"<img\b[^>]*>", piece)
        elif not re.fullmatch(r"<hr\b[^>]*>", piece):
            expected.append(piece)
    assert "\n".join(kept) == "\n".join(expected), name
    # Every note is on one slide, once.
    placed = [*slides.before, *(note for slide in slides.slides for note in slide.notes)]
    assert sorted(placed) == sorted(note.html for note in notes)


def test_the_reference_courses_have_pictures_and_text_slides() -> None:
    kinds = [slide.kind for _name, body, notes in _bodies() for slide in split(body, notes).slides]
    assert kinds.count("picture") >= 10 and kinds.count("text") >= 100


def test_blocks_are_the_top_level_elements_even_when_raw_html_is_not_balanced() -> None:
    html = '<p>a <b>b</b></p>\n<!-- c -->\n<div title="x > y"><p>d</p></div>\ntexte\n<br>\n</span>\n<div><p>e'
    assert [html[start:end] for start, end in blocks(html)] == [
        "<p>a <b>b</b></p>", '<div title="x > y"><p>d</p></div>', "texte", "<br>", "</span>", "<div><p>e"]


def test_prefixed_ids_keep_their_links_to_themselves() -> None:
    html = ('<h2 id="un">Un</h2><p>Voir<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup> '
            '<a href="https://x.org/#ancre">ailleurs</a> <a href="mooc-site:/c/m/s/index.html#un">là</a></p>')
    assert prefix_ids(html, "s2-") == (
        '<h2 id="s2-un">Un</h2><p>Voir<sup class="footnote-ref"><a href="#s2-fn1" id="s2-fnref1">[1]</a></sup> '
        '<a href="https://x.org/#ancre">ailleurs</a> <a href="mooc-site:/c/m/s/index.html#un">là</a></p>')
    assert prefix_ids(html, "") == html and prefix_ids("<p>x</p>", "s1-") == "<p>x</p>"


def test_a_slide_is_a_frozen_value() -> None:
    slide = Slide("text", html="<p>x</p>")
    with pytest.raises(AttributeError):
        slide.html = "<p>y</p>"  # type: ignore[misc]
