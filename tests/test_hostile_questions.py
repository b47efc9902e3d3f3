"""Matching, ordering, cloze and hotspot questions no author means to write, and the pictures a hotspot may
point at: `mooc check` OK means `mooc build` works (a quiz of every type builds, its page scores them), and a
hostile question (thousands of blanks, a polygon of a hundred thousand corners, numbers past any drawing, a
drawing of no size) gives a positioned error in bounded time, never a traceback or a hang.

`mooc` runs as a command with a timeout (tests/test_hostile.py): a check that turned quadratic fails here. The
largest inputs run in `make test` only (thorough): their bounds are checked in the loop by
tests/test_messages_questions.py, just past them.
"""

from __future__ import annotations

import io
import json
import math

import pytest
from PIL import Image

from mooc_builder.model import QuestionType, limits
from tests.test_errors import DEMO, QUIZ, Content, at, content, says
from tests.test_hostile import mooc, refused
from tests.test_messages_questions import CLOZE, HOTSPOT, MIDDLE, ask, zone

from .sitecheck import parse

__all__ = ["content"]  # the fixture

MEDIA = f"{DEMO}/media"
CORNER = '      - {shape: rect, coords: [0, 0, 30, 20], label: "The corner", correct: true}\n'


def hotspot_on(image: str, zones: str) -> str:
    return HOTSPOT.replace("floor-plan.svg", image) + "    zones:\n" + zones


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def jpeg_turned(width: int, height: int) -> bytes:
    """A JPEG stored ``width`` × ``height`` whose EXIF orientation (6) shows it turned a quarter: ``height``
    wide."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (width, height), "white").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


# --- check OK means build works ---------------------------------------------------------------------------

def test_a_quiz_of_every_type_that_checks_builds_and_its_page_scores_each(content: Content) -> None:
    run = mooc("check", "content", cwd=content.tmp)
    assert run.returncode == 0, run.stdout + run.stderr
    run = mooc("build", "content", "-o", "out", "--as-of", "2017-11-20", cwd=content.tmp)
    assert run.returncode == 0, run.stdout + run.stderr
    page = parse(content.tmp / "out" / "demo" / "intro" / "first" / "index.html")
    data = page.find("script", id="mooc-quiz")
    assert data is not None
    kinds = [question["type"] for question in json.loads(str(data.string))["questions"]]
    assert set(kinds) == {kind.value for kind in QuestionType}, kinds
    assert (content.tmp / "out" / "demo" / "media" / "floor-plan.svg").is_file()  # the drawing ships


def test_a_hotspot_on_a_png_is_written_in_its_pixels_and_builds(content: Content) -> None:
    content.write(f"{MEDIA}/plan.png", png(300, 200))
    ask(content, hotspot_on("plan.png", '      - {shape: rect, coords: [200, 100, 300, 200], label: "Bas droite", '
                                        'correct: true}\n      - {shape: polygon, coords: [0, 0, 300, 0, 0, 200], '
                                        'label: "Haut gauche"}\n'))
    question = content.clean().courses[0].modules[0].sequences[0].quiz.questions[-1]  # type: ignore[union-attr]
    assert question.image_box == (0, 0, 300, 200)
    run = mooc("build", "content", "-o", "out", "--as-of", "2017-11-20", cwd=content.tmp)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (content.tmp / "out" / "demo" / "media" / "plan.png").is_file()


def test_a_png_zone_past_its_pixels_names_its_size(content: Content) -> None:
    content.write(f"{MEDIA}/plan.png", png(300, 200))
    text = ask(content, hotspot_on("plan.png", MIDDLE + '      - {shape: rect, coords: [0, 0, 301, 200], label: "A", '
                                               'correct: true}\n'))
    says(content.error_at(f"{QUIZ}:{at(text, '[0, 0, 301, 200]')}:"),
         "this zone goes out of the drawing, which spans x 0 to 300 and y 0 to 200")


def test_a_turned_jpeg_is_written_as_shown(content: Content) -> None:
    """A photo stored 300 × 200 that its EXIF turns a quarter is shown 200 wide and 300 high: its zones are
    written so, and the stored width is out of it."""
    content.write(f"{MEDIA}/photo.jpg", jpeg_turned(300, 200))
    ask(content, hotspot_on("photo.jpg", MIDDLE + '      - {shape: rect, coords: [0, 200, 200, 300], label: "Bas", '
                                                  'correct: true}\n'))
    question = content.clean().courses[0].modules[0].sequences[0].quiz.questions[-1]  # type: ignore[union-attr]
    assert question.image_box == (0, 0, 200, 300)
    text = ask(content, hotspot_on("photo.jpg", MIDDLE + '      - {shape: rect, coords: [0, 0, 300, 200], '
                                                         'label: "Large", correct: true}\n'))
    says(content.error_at(f"{QUIZ}:{at(text, '[0, 0, 300, 200]')}:"),
         "this zone goes out of the drawing, which spans x 0 to 200 and y 0 to 300")


def test_a_drawing_s_viewbox_may_start_anywhere(content: Content) -> None:
    content.write(f"{MEDIA}/offset.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-50 -20 100 40">'
                                         '<rect x="-50" y="-20" width="100" height="40"/></svg>')
    ask(content, hotspot_on("offset.svg", '      - {shape: circle, coords: [-40, -10, 5], label: "A", correct: true}\n'
                                          '      - {shape: rect, coords: [0, 0, 50, 20], label: "B"}\n'))
    question = content.clean().courses[0].modules[0].sequences[0].quiz.questions[-1]  # type: ignore[union-attr]
    assert question.image_box == (-50, -20, 100, 40)


# --- drawings whose units cannot be told --------------------------------------------------------------------

VIEWBOX_HINT = 'give it a viewBox, the drawing\'s x, y, width and height: viewBox="0 0 400 300"'


@pytest.mark.parametrize(("svg", "words"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 0"><rect width="5" height="5"/></svg>',
     ["the viewBox of the drawing 'bad.svg' is '0 0 0 0'", "the width and the height above 0", VIEWBOX_HINT]),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 -100 50"/>', ["is '0 0 -100 50'", VIEWBOX_HINT]),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 nan 50"/>', ["is '0 0 nan 50'", "four numbers"]),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e300 1e300"/>',
     ["is '0 0 1e300 1e300'", "between -1,000,000,000,000 and 1,000,000,000,000"]),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>',
     ["the drawing 'bad.svg' has no viewBox, nor a width and a height in pixels", VIEWBOX_HINT]),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="50mm"/>',
     ["has no viewBox, nor a width and a height in pixels", "Inkscape: File > Document Properties, Viewbox"]),
])
def test_a_drawing_of_no_size_is_refused_at_its_name(content: Content, svg: str, words: list[str]) -> None:
    content.write(f"{MEDIA}/bad.svg", svg)
    text = ask(content, hotspot_on("bad.svg", MIDDLE + CORNER))
    says(content.error_at(f"{QUIZ}:{at(text, '../media/bad.svg')}:"), *words)


@pytest.mark.parametrize("data", [b"", b"not a picture", png(30, 20)[:30]], ids=["empty", "text", "truncated"])
def test_a_picture_that_cannot_be_read_is_refused_at_its_name(content: Content, data: bytes) -> None:
    content.write(f"{MEDIA}/bad.png", data)
    text = ask(content, hotspot_on("bad.png", MIDDLE + CORNER))
    error = content.error_at(f"{QUIZ}:{at(text, '../media/bad.png')}:")
    assert str(error).endswith(": the picture 'bad.png' cannot be read: it is not a JPEG, PNG or WebP picture, or it "
                               "is damaged; open it and save it again as JPEG, PNG or WebP"), str(error)


# --- hostile questions ----------------------------------------------------------------------------------------

@pytest.mark.thorough
def test_a_cloze_of_ten_thousand_blanks_stops_at_the_bound(content: Content) -> None:
    words = " ".join(f"w{k} [[a{k}|b{k}]]" for k in range(10_000))
    text = ask(content, CLOZE + f'    text: "{words}"\n')
    refused(content, f"{QUIZ}:{at(text, f'[[a{limits.MAX_BLANKS}|')}: a cloze text has at most {limits.MAX_BLANKS} "
                     "blanks")


@pytest.mark.thorough
def test_a_cloze_of_brackets_no_one_closes_is_read_once(content: Content) -> None:
    """100,000 [[ with no ]]: looking for the ]] of each one again read the rest of the text, some 300 s."""
    text = ask(content, CLOZE + f'    text: "Il fait {"[[a " * 100_000}"\n')
    refused(content, f"{QUIZ}:{at(text, '[[a')}: this blank is not closed by ]]")


@pytest.mark.thorough
def test_a_polygon_of_a_hundred_thousand_corners_is_refused(content: Content) -> None:
    corners = ", ".join(f"{50 + 20 * math.cos(k / 1e4):.4f}, {30 + 20 * math.sin(k / 1e4):.4f}"
                        for k in range(100_000))
    text = ask(content, zone(f'shape: polygon, coords: [{corners}], label: "P", correct: true'))
    refused(content, f"{QUIZ}:{at(text, '[70.0000, 30.0000')}: a polygon zone has at most {limits.MAX_CORNERS} "
                     "corners, found 100000")


@pytest.mark.parametrize(("value", "words"), [
    ("1e300", ["expected a number, found '1e300'"]),
    (".nan", ["expected a number, found '.nan'"]),
    ("nan", ["expected a number, found 'nan'"]),
    ("-.inf", ["expected a number, found '-.inf'"]),
    ("Infinity", ["expected a number, found 'Infinity'"]),
    ("1" + "0" * 400, ["is too large", "between -1,000,000,000,000 and 1,000,000,000,000"]),
    ("999999999999", ["this zone goes out of the drawing, which spans x 0 to 100 and y 0 to 60"]),
])
def test_huge_or_unreal_coordinates_are_refused_at_their_place(content: Content, value: str,
                                                               words: list[str]) -> None:
    text = ask(content, zone(f'shape: rect, coords: [5, 5, {value}, 25], label: "A", correct: true'))
    needle = value if "zone goes out" not in words[0] else f"[5, 5, {value}"
    says(content.error_at(f"{QUIZ}:{at(text, needle)}:"), *words)


@pytest.mark.thorough
@pytest.mark.parametrize("key", ["pairs", "items", "zones"])
def test_ten_thousand_entries_are_refused_at_the_first_past_the_bound(content: Content, key: str) -> None:
    if key == "pairs":
        entries = "".join(f'      - {{left: "L{k}", right: "R{k}"}}\n' for k in range(10_000))
        question = '  - type: matching\n    prompt: "P"\n    pairs:\n' + entries
        needle = f'{{left: "L{limits.MAX_PAIRS}"'
    elif key == "items":
        entries = "".join(f'      - "I{k}"\n' for k in range(10_000))
        question = '  - type: ordering\n    prompt: "P"\n    items:\n' + entries
        needle = f'"I{limits.MAX_ITEMS}"'
    else:
        entries = "".join(f'      - {{shape: circle, coords: [50, 30, 1], label: "Z{k}", correct: true}}\n'
                          for k in range(10_000))
        question = HOTSPOT + "    zones:\n" + entries
        needle = f'{{shape: circle, coords: [50, 30, 1], label: "Z{limits.MAX_ZONES}"'
    text = ask(content, question)
    refused(content, f"{QUIZ}:{at(text, needle)}:", "at most 100")
