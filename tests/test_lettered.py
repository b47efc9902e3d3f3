"""render/lettered.py: the letters a group and a sheet use for what a learner picks from, in the shown order, and
a hotspot's zones as drawn (their letters inside the drawing, at their zone's centre)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath

from mooc_builder.model import Blank, MediaFile, Pair, Question, QuestionType, Zone, ZoneShape
from mooc_builder.render import lettered


def test_letters_go_on_past_z_as_a_list_of_type_a_does() -> None:
    assert [lettered.letter(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_a_matchings_pairs_name_the_letter_its_options_are_shown_with() -> None:
    question = Question(QuestionType.MATCHING, "<p>?</p>", pairs=(
        Pair("L'abonnement", "Une part fixe"), Pair("La consommation", "Une part variable"),
        Pair("La CSPE", "Une taxe"), Pair("La TVA", "Une taxe")))
    options = lettered.options(question)
    assert [o.text for o in options] == list(question.shown_options) and len(options) == 3  # each option once
    by_letter = {o.letter: o.text for o in options}
    for match, pair in zip(lettered.pairs(question), question.pairs, strict=True):
        assert by_letter[match.option.letter] == pair.right
    assert [m.number for m in lettered.pairs(question)] == [1, 2, 3, 4]


def test_an_orderings_right_order_names_each_item_by_its_shown_letter() -> None:
    question = Question(QuestionType.ORDERING, "<p>?</p>", items=tuple(f"step {n}" for n in range(6)))
    shown = {item.letter: item.text for item in lettered.items(question)}
    assert list(shown.values()) != list(question.items)  # never shown in order
    order = lettered.right_order(question)
    assert [shown[item.letter] for item in order] == list(question.items)


def test_a_cloze_fills_each_blank_with_its_first_answer_or_its_right_option() -> None:
    question = Question(QuestionType.CLOZE, "<p>?</p>", cloze=(
        "It is ", Blank(("19", "nineteen")), " degrees, ", Blank(("warm", "cold", "mild"), select=True), "."))
    pieces = lettered.cloze(question)
    assert [p.number for p in pieces] == [0, 1, 0, 2, 0]
    assert (pieces[1].right, pieces[1].others) == ("19", ("nineteen",))
    assert (pieces[3].right, pieces[3].others) == ("warm", ())
    assert sorted(o.text for o in pieces[3].options) == ["cold", "mild", "warm"]
    assert [o.right for o in pieces[3].options].count(True) == 1
    assert lettered.has_select(question)


def hotspot(*zones: Zone) -> Question:
    drawing = MediaFile(Path("plan.svg"), PurePosixPath("media/plan.svg"), 1)
    return Question(QuestionType.HOTSPOT, "<p>?</p>", image=drawing, image_box=(0.0, 0.0, 320.0, 220.0),
                    zones=zones)


def test_a_zones_letter_sits_at_its_centre_inside_the_drawing() -> None:
    question = hotspot(Zone(ZoneShape.POLYGON, (80, 80, 160, 30, 240, 80), "Roof", True),
                       Zone(ZoneShape.RECT, (90, 80, 230, 100), "Walls"),
                       Zone(ZoneShape.CIRCLE, (316, 216, 30), "Corner"))
    drawing = lettered.drawing(question)
    where = {zone.label: (float(zone.x), float(zone.y)) for zone in drawing.zones}
    assert abs(where["Roof"][0] - 160) < 0.01 and abs(where["Roof"][1] - 63.333) < 0.01  # the triangle's centroid
    assert where["Walls"] == (160, 90)
    radius, line = float(drawing.radius), float(drawing.line)
    assert where["Corner"] == (320 - radius - line, 220 - radius - line)  # kept inside
    assert [z.label for z in drawing.zones] == [question.zones[k].label for k in question.shown_zones]
    assert [z.letter for z in drawing.zones] == ["A", "B", "C"]
    assert [z.label for z in drawing.right] == ["Roof"]
    assert drawing.view_box == "0 0 320 220"
    assert next(z for z in drawing.zones if z.label == "Roof").geometry == 'points="80,80 160,30 240,80"'


def test_a_drawing_is_printed_in_an_a4_column_and_smaller_in_the_key() -> None:
    wide = hotspot(Zone(ZoneShape.RECT, (0, 0, 10, 10), "A", True), Zone(ZoneShape.RECT, (20, 20, 30, 30), "B"))
    drawing, key = lettered.drawing(wide), lettered.drawing(wide, key=True)
    assert (drawing.print_width, drawing.print_height) == ("140", "96.25")
    assert (key.print_width, key.print_height) == ("80", "55")
    tall = replace(wide, image_box=(0.0, 0.0, 100.0, 400.0))
    assert (lettered.drawing(tall).print_width, lettered.drawing(tall).print_height) == ("25", "100")
