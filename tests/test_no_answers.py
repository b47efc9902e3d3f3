"""What every learner may read holds no answer: the site's search index, the ZIM's search text (Kiwix's), the
participants' sheets of the download bundles and the participant's handout. The minimal course's quiz asks
every type; its answers are looked for as text, and the same course with other answers (the right choices,
the accepted texts and numbers, a cloze's accepted words, the right zone, the explanation changed, the words a
learner reads kept) must give the very same bytes to read."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.exports.zim import indexed_pages
from mooc_builder.model import Question, QuestionType, Site, sessions, shown_blank_options
from mooc_builder.render import lettered
from mooc_builder.render.handouts import handout_html
from mooc_builder.render.renderer import Renderer
from mooc_builder.render.theme import load_theme
from mooc_builder.text import plain_text

from .conftest import FIXTURES

AS_OF = dt.date(2017, 11, 20)
QUIZ = Path("courses/demo/01-intro/first.quiz.yml")
# The same quiz with other answers: what a learner reads is unchanged, what is right is not.
OTHER_ANSWERS = [
    ('- {text: "A", correct: true, feedback: "Yes"}\n      - {text: "B", feedback: "No"}',
     '- {text: "A", feedback: "Yes"}\n      - {text: "B", correct: true, feedback: "No"}'),
    ("answer: no", "answer: yes"),
    ('answers: ["19", "dix-neuf"]', 'answers: ["20", "vingt"]'),
    ("answer: 19\n    tolerance: 1", "answer: 7\n    tolerance: 2"),
    ('- {text: "B", correct: true}\n      - {text: "C"}', '- {text: "B"}\n      - {text: "C", correct: true}'),
    ('explanation: "Because."', 'explanation: "For a reason."'),
    ("[[19|nineteen]]", "[[20|twenty|vingt]]"),
    ('label: "The corner", correct: true}', 'label: "The corner"}'),
    ('label: "The middle"}', 'label: "The middle", correct: true}'),
]


@dataclass
class Built:
    content: Path
    site: Path
    model: Site

    def participants(self, bundle: str = "demo-intro") -> dict[str, bytes]:
        """The participants' sheets of a bundle, by path."""
        with zipfile.ZipFile(self.site / "demo" / "downloads" / f"{bundle}.zip") as archive:
            return {name: archive.read(name) for name in archive.namelist() if "/participants/" in name}

    def facilitator(self) -> bytes:
        with zipfile.ZipFile(self.site / "demo" / "downloads" / "demo-intro.zip") as archive:
            return archive.read("demo-intro/intro/01-first.html")

    def search_index(self) -> str:
        return (self.site / "demo" / "search" / "index.js").read_text(encoding="utf-8")

    def search_text(self) -> str:
        """Every word the site's search index holds."""
        data = json.loads(self.search_index().removeprefix("window.MoocSearchIndex = ").removesuffix(";\n"))
        return " ".join(" ".join(entry.values()) for entry in data["entries"])

    def zim_text(self) -> str:
        course = self.model.courses[0]
        return " ".join(page.text for page in indexed_pages(self.model, course).values())

    def handout(self) -> str:
        """The participant's handout of the module with the quiz, as the PDF engine is given it."""
        course = self.model.courses[0]
        return handout_html(Renderer(self.model, load_theme(), AS_OF), course, course.modules[0], "participant")

    @property
    def questions(self) -> tuple[Question, ...]:
        quiz = self.model.courses[0].modules[0].sequences[0].quiz
        assert quiz is not None
        return quiz.questions


def make(folder: Path, edits: list[tuple[str, str]]) -> Built:
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    quiz = content / QUIZ
    text = quiz.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    quiz.write_text(text, encoding="utf-8")
    result = build(BuildOptions(content, folder / "site", AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    model, _ = check(content)
    assert model is not None
    return Built(content, folder / "site", sessions.publish(model, AS_OF))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return make(tmp_path_factory.mktemp("answers"), [])


def answers(question: Question) -> list[str]:
    """What would give a question's answer away, as text: an accepted text or number, a written blank's words,
    a list's right option, the right zones' labels, the items in their right order, each pair as a phrase, the
    explanation and the feedback."""
    found = [*question.answers, plain_text(question.explanation_html), *(plain_text(c.feedback_html)
                                                                         for c in question.choices)]
    if question.answer_number is not None:
        found.append(f"{question.answer_number:g}")
    found += [answer for blank in question.blanks for answer in (blank.answers if not blank.select
                                                                  else blank.answers[:1])]
    found += [zone.label for zone in question.zones if zone.correct]
    if question.items:
        found.append(" ".join(plain_text(item) for item in question.items))
    found += [f"{plain_text(pair.left_html)} {pair.right}" for pair in question.pairs]
    return [text.strip() for text in found if text.strip()]


def said(text: str, answer: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", text) is not None


def test_the_search_indexes_hold_the_lessons_words_and_no_answer(built: Built) -> None:
    site, zim = built.search_text(), built.zim_text()
    assert "Some text with a link" in site and "Some text with a link" in zim  # the lessons' words
    assert "Fill in." in zim and "Where?" in zim  # Kiwix finds a quiz by its questions
    checked = 0
    for question in built.questions:
        for answer in answers(question):
            assert not said(site, answer), answer
            assert not said(zim, answer), answer
            checked += 1
    # The new types' answers were looked for: the cloze's words, its list's right one, the zone, the order.
    assert {"nineteen", "warm", "The corner", "First Second Third", "One 1"} <= {
        a for q in built.questions for a in answers(q)}
    assert checked >= 13


def test_a_participants_sheet_shows_what_every_learner_sees_in_the_shown_order(built: Built) -> None:
    sheet = BeautifulSoup(built.participants()["demo-intro/intro/participants/01-first.html"], "html.parser")
    quiz = sheet.select_one("ol.quiz-blank")
    assert isinstance(quiz, Tag)
    items = quiz.find_all("li", recursive=False)
    matching, ordering, cloze, hotspot = built.questions[5:]
    assert matching.type is QuestionType.MATCHING and hotspot.type is QuestionType.HOTSPOT
    # Every option, item, list and zone, in the order every learner sees them (none marked: test_kit.py).
    assert texts(items[5], "ul.blank-options li") == [f"{o.letter}. {o.text}" for o in lettered.options(matching)]
    assert texts(items[5], "tbody td:first-child") == ["1. One", "2. Two"]
    assert texts(items[6], "ul.blank-ordering li") == [
        f"{lettered.letter(k)}. {ordering.items[rank]}" for k, rank in enumerate(ordering.shown_items)]
    assert ordering.shown_items != (0, 1, 2)
    select = cloze.blanks[1]
    assert texts(items[7], ".gap-options") == [
        "[" + " / ".join(select.answers[k] for k in shown_blank_options(select)) + "]"]
    assert texts(items[8], "ul.blank-options li") == [
        f"{lettered.letter(k)}. {hotspot.zones[w].label}" for k, w in enumerate(hotspot.shown_zones)]
    zones = items[8].select("svg g.zone")
    assert len(zones) == 2 and all(zone.attrs == {"class": ["zone"]} for zone in zones)
    assert not items[8].select(".zone-right")
    # And no accepted word of a blank to write in, nor any other answer but those every learner reads.
    text = " ".join(plain_text(str(item)) for item in items)
    for answer in ("19", "nineteen", "dix-neuf", "Because.", "Yes"):
        assert not said(text, answer), answer


def texts(element: Tag, selector: str) -> list[str]:
    return [" ".join(found.get_text(" ").split()) for found in element.select(selector)]


def test_what_a_learner_reads_is_the_same_whatever_the_answers(built: Built,
                                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    other = make(tmp_path_factory.mktemp("other"), OTHER_ANSWERS)
    assert [q.type for q in other.questions] == [q.type for q in built.questions]
    assert other.questions != built.questions
    assert other.facilitator() != built.facilitator()  # the facilitator's sheet gives the answers
    for bundle in ("demo-intro", "demo"):
        assert other.participants(bundle) == built.participants(bundle), bundle
    assert other.handout() == built.handout()
    assert other.search_index() == built.search_index()
    assert other.zim_text() == built.zim_text()
