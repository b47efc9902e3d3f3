"""The four question types beyond choices and answers on paper: the minimal course's quiz (a matching, an
ordering, a cloze and a hotspot after the five first types) in its module's two PDF handouts, read back with
pypdf, and the hotspot's page laid out as a picture with poppler's pdftoppm: the drawing is printed, at a
printable size, its zones outlined, the right one marked in the facilitator's guide only."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader

from mooc_builder.build import BuildOptions, build
from mooc_builder.model import Module, Question, QuestionType

from .conftest import FIXTURES, REQUIRE_TOOLS
from .test_handouts import AS_OF, KEY_WORDS, PDFTOPPM, answer_key, flat, shown_on_paper

# PDFs laid out and pictures made of them: make test checks them, the contributors' loop leaves them out.
pytestmark = pytest.mark.thorough

RESOLUTION = 100  # dots per inch of the pictures of a page
MM = 25.4 / RESOLUTION  # a dot, in millimetres
BACKGROUND = (238, 238, 238)  # floor-plan.svg's background, #eee: the drawing's extent on the page
OUTLINE = (11, 37, 69)  # a zone's outline, #0b2545
TINT = (194, 177, 96)  # the right zone's tint (#ffd60a at 40 %) over the drawing's grey (#999)


@dataclass
class Printed:
    site: Path
    module: Module

    @property
    def questions(self) -> tuple[Question, ...]:
        quiz = self.module.sequences[0].quiz
        assert quiz is not None
        return quiz.questions

    def text(self, role: str) -> str:
        return flat(" ".join(page.extract_text() for page in PdfReader(self.pdf(role)).pages))

    def pdf(self, role: str) -> Path:
        return self.site / self.module.handout_file(role)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    folder = tmp_path_factory.mktemp("printed")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    course_yml = content / "courses" / "demo" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + "handouts: true\n", encoding="utf-8")
    result = build(BuildOptions(content, folder / "site", AS_OF))
    assert result.ok and result.site is not None, [str(d) for d in result.report.errors]
    module = result.site.courses[0].modules[0]
    types = [q.type for q in module.sequences[0].quiz.questions] if module.sequences[0].quiz else []
    assert types[5:] == [QuestionType.MATCHING, QuestionType.ORDERING, QuestionType.CLOZE, QuestionType.HOTSPOT]
    return Printed(folder / "site", module)


def test_the_participant_handout_shows_each_new_type_lettered_and_answers_none(printed: Printed) -> None:
    text = printed.text("participant")
    matching, ordering, cloze, hotspot = printed.questions[5:]
    for question in (matching, ordering, cloze, hotspot):
        for shown in shown_on_paper(question):
            assert shown in text, shown
    # Their instructions, in the course's language.
    for hint in ("Écrivez à côté de chaque élément la lettre", "Numérotez les cases dans l'ordre",
                 "entre crochets, entourez le mot qui convient", "Entourez la lettre de la zone"):
        assert hint in text
    assert "Élément Lettre 1. One 2. Two" in text  # the matching's table to fill in
    # No answer: not a written blank's, not the right order, no key of the facilitator's.
    for answer in cloze.blanks[0].answers:
        assert not re.search(rf"(?<![\w/]){answer}(?!\w)", text), answer
    assert " ".join(ordering.items) not in text and "A. First B. Third C. Second" in text  # shown out of order
    for mark in KEY_WORDS:
        assert mark not in text, mark
    assert text.count("Votre réponse :") == 2  # the text and the numeric questions only


def test_the_facilitator_guide_gives_each_new_types_answer(printed: Printed) -> None:
    text = printed.text("facilitator")
    checked = 0
    for question in printed.questions[5:]:
        for said in answer_key(question):
            assert said in text, said
            checked += 1
    assert "Texte complété : It is 19 (accepté aussi : nineteen) degrees, warm enough." in text
    assert "Bon ordre : A → C → B" in text  # First, Second, Third, shown as First, Third, Second
    assert "Bonne zone : A. The corner" in text
    assert checked >= 7


def page_picture(pdf: Path, words: str, target: Path) -> Image.Image:
    """The page of ``pdf`` that says ``words``, laid out as a picture by pdftoppm."""
    if not Path(PDFTOPPM).is_file():
        message = f"poppler's pdftoppm is not installed at {PDFTOPPM} (`make pdf-tools` installs it)"
        (pytest.fail if REQUIRE_TOOLS else pytest.skip)(message)
    number = next(n for n, page in enumerate(PdfReader(pdf).pages, start=1) if words in page.extract_text())
    subprocess.run([PDFTOPPM, "-png", "-r", str(RESOLUTION), "-f", str(number), "-l", str(number), "-singlefile",
                    str(pdf), str(target)], check=True, timeout=60)
    return Image.open(target.with_suffix(".png")).convert("RGB")


def dots(picture: Image.Image, colour: tuple[int, int, int], within: int = 0) -> Image.Image:
    """A mask of the dots of about ``colour`` (white where they are)."""
    bands = [band.point(lambda value, c=c: 255 if abs(value - c) <= within else 0)
             for band, c in zip(picture.split(), colour, strict=True)]
    return ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2])


def near(picture: Image.Image, colour: tuple[int, int, int], within: int = 6) -> int:
    """How many dots are of about ``colour``."""
    return dots(picture, colour, within).histogram()[255]


def extent(picture: Image.Image, colour: tuple[int, int, int]) -> tuple[float, float]:
    """The width and height, in millimetres, of the largest area of ``colour`` (its lines and stray dots of
    that colour worn away, then the area's edge given back)."""
    box = dots(picture, colour).filter(ImageFilter.MinFilter(9)).getbbox()
    assert box is not None, f"no area of {colour}"
    return (box[2] - box[0] + 8) * MM, (box[3] - box[1] + 8) * MM


def test_the_hotspot_drawing_is_printed_with_its_zones_and_the_key_marks_the_right_one(
        printed: Printed, tmp_path: Path) -> None:
    participant = page_picture(printed.pdf("participant"), "Where?", tmp_path / "participant")
    facilitator = page_picture(printed.pdf("facilitator"), "Where?", tmp_path / "facilitator")
    # The drawing (100 x 60) on the participant's sheet: 140 mm wide, to circle a zone on; smaller in the key.
    width, height = extent(participant, BACKGROUND)
    assert abs(width - 140) < 2 and abs(height - 84) < 2, (width, height)
    width, height = extent(facilitator, BACKGROUND)
    assert abs(width - 80) < 2 and abs(height - 48) < 2, (width, height)
    for picture in (participant, facilitator):
        assert near(picture, (204, 204, 204), 0) > 1000  # the drawing's circle (#ccc)
        assert near(picture, OUTLINE) > 300  # the zones' outlines and letters
    # The right zone (the drawing's grey rectangle, #999) is tinted in the key only: nothing on the participant's
    # page tells it from the other.
    assert near(participant, (153, 153, 153), 0) > 1000 and near(participant, TINT) == 0
    assert near(facilitator, TINT) > 1000 and near(facilitator, (153, 153, 153), 0) < 100
