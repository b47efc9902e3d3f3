"""The scoring rules of quizzes, mirrored by themes/default/static/js/scoring.js.

Both sides are tested against one table of cases (tests/fixtures/scoring_cases.json),
so a rule changed on one side and not the other fails the tests. Questions and
responses use the plain JSON shapes that the quiz pages carry (see :func:`question_data`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from typing import Any

from mooc_builder.model import Question, QuestionType, Quiz

# Points are rounded to this many decimals, on both sides, so partial credit adds up the same way.
PRECISION: int = 4


def normalise_text(text: str) -> str:
    """Case-, accent- and space-insensitive form of a free answer ("Dix-neuf °C" == "dix neuf°c" is False:
    hyphens count, spaces do not)."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", "", without_marks.casefold())


def parse_number(text: str) -> float | None:
    """A number as a learner types it: '19', ' 19,5 ', '-0.5', '1 000'."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text)).replace(",", ".")
    if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", cleaned):
        return None
    return float(cleaned)


def question_data(question: Question) -> dict[str, Any]:
    """What a quiz page needs to score a question in the browser."""
    data: dict[str, Any] = {"type": question.type.value, "points": question.points}
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        data["correct"] = [i for i, c in enumerate(question.choices) if c.correct]
        data["choices"] = len(question.choices)
        if question.type is QuestionType.MULTIPLE:
            data["partial"] = question.partial_credit
    elif question.type is QuestionType.TRUE_FALSE:
        data["answer"] = question.answer_bool
    elif question.type is QuestionType.TEXT:
        data["answers"] = list(question.answers)
    else:
        data["answer"] = question.answer_number
        data["tolerance"] = question.tolerance
    return data


def quiz_data(quiz: Quiz) -> list[dict[str, Any]]:
    return [question_data(q) for q in quiz.questions]


def quiz_hash(quiz: Quiz) -> str:
    """Changes whenever a change to the quiz would make stored answers or scores wrong."""
    canonical = json.dumps([quiz.graded, quiz_data(quiz)], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def score(question: dict[str, Any], response: Any) -> float:
    """Points earned by ``response`` (None when unanswered) on a question in its JSON shape."""
    points = float(question["points"])
    kind = question["type"]
    if response is None:
        return 0.0
    if kind == "single":
        return points if response in question["correct"] and len(question["correct"]) == 1 else 0.0
    if kind == "multiple":
        picked = {int(i) for i in response}
        correct = set(question["correct"])
        if not question.get("partial"):
            return points if picked == correct else 0.0
        right = len(picked & correct)
        wrong = len(picked - correct)
        return _round(max(0.0, points * (right - wrong) / len(correct)))
    if kind == "true_false":
        return points if response is question["answer"] else 0.0
    if kind == "text":
        given = normalise_text(str(response))
        return points if given and any(normalise_text(a) == given for a in question["answers"]) else 0.0
    if kind == "numeric":
        number = parse_number(str(response))
        if number is None:
            return 0.0
        # A tiny allowance so that 0.1 + 0.2 style float errors never cost a learner a point.
        within = abs(number - float(question["answer"])) <= float(question["tolerance"]) + 1e-9
        return points if within else 0.0
    raise ValueError(f"unknown question type {kind!r}")


def _round(value: float) -> float:
    factor = float(10**PRECISION)
    return math.floor(value * factor + 0.5) / factor


def passed(earned: float, total: float, pass_mark_num: int, pass_mark_den: int) -> bool:
    """earned / total >= pass mark, decided without float surprises at the exact boundary."""
    if total <= 0:
        return False
    return earned * pass_mark_den >= total * pass_mark_num - 1e-9
