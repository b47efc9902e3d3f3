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

from mooc_builder.model import Question, QuestionType, Quiz, shown_blank_options

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
    elif question.type is QuestionType.NUMERIC:
        data["answer"] = question.answer_number
        data["tolerance"] = question.tolerance
    else:
        data.update(_data_of_kind(question))
    return data


def _data_of_kind(question: Question) -> dict[str, Any]:
    """The scoring data of the four types whose learners pick from things shown in an order of their own
    (model/questions.py): what is right, as positions in that order."""
    if question.type is QuestionType.MATCHING:
        options = {option: k for k, option in enumerate(question.shown_options)}
        return {"options": len(options), "correct": [options[pair.right] for pair in question.pairs],
                "partial": question.partial_credit}
    if question.type is QuestionType.ORDERING:
        # shown_items[k] is the right rank of the item at position k: the right order, as positions.
        position = {rank: k for k, rank in enumerate(question.shown_items)}
        return {"correct": [position[rank] for rank in range(len(position))], "partial": question.partial_credit}
    if question.type is QuestionType.CLOZE:
        blanks: list[dict[str, Any]] = []
        for blank in question.blanks:
            if blank.select:
                blanks.append({"options": len(blank.answers), "correct": shown_blank_options(blank).index(0)})
            else:
                blanks.append({"answers": list(blank.answers)})
        return {"blanks": blanks, "partial": question.partial_credit}
    shown = question.shown_zones
    return {"zones": len(shown), "correct": [k for k, index in enumerate(shown) if question.zones[index].correct]}


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
    if kind == "hotspot":
        return points if _is_index(response) and response in question["correct"] else 0.0
    if kind in ("matching", "ordering", "cloze"):
        return _score_parts(question, response, points)
    raise ValueError(f"unknown question type {kind!r}")


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _score_parts(question: dict[str, Any], response: Any, points: float) -> float:
    """Matching, ordering, cloze: a list of answers; all right, or (``partial``) points in proportion."""
    kind = question["type"]
    size = len(question["blanks"] if kind == "cloze" else question["correct"])
    if not isinstance(response, list) or len(response) != size or size == 0:
        return 0.0  # a response of another shape (a quiz changed since) earns nothing
    if kind == "ordering":
        if sorted(r for r in response if _is_index(r)) != list(range(size)):
            return 0.0
        right = longest_run(response, question["correct"])
        if right == size:
            return points
        # A run of one item is no knowledge of the order: every shuffle has one.
        return _round(points * right / size) if question.get("partial") and right >= 2 else 0.0
    if kind == "matching":
        right = sum(1 for given, correct in zip(response, question["correct"], strict=True)
                    if _is_index(given) and given == correct)
    else:
        right = sum(1 for given, blank in zip(response, question["blanks"], strict=True) if _blank_right(blank, given))
    if right == size:
        return points
    return _round(points * right / size) if question.get("partial") else 0.0


def _blank_right(blank: dict[str, Any], given: Any) -> bool:
    if "options" in blank:
        return _is_index(given) and given == blank["correct"]
    if not isinstance(given, str):
        return False
    text = normalise_text(given)
    return bool(text) and any(normalise_text(answer) == text for answer in blank["answers"])


def longest_run(given: list[Any], correct: list[int]) -> int:
    """The most items that ``given`` puts side by side as the right order has them (0 for an empty list)."""
    rank = {position: r for r, position in enumerate(correct)}
    best = run = 0
    for k, item in enumerate(given):
        follows = k > 0 and given[k - 1] in rank and item in rank and rank[item] == rank[given[k - 1]] + 1
        run = run + 1 if follows else 1
        best = max(best, run)
    return best


def _round(value: float) -> float:
    factor = float(10**PRECISION)
    return math.floor(value * factor + 0.5) / factor


def passed(earned: float, total: float, pass_mark_num: int, pass_mark_den: int) -> bool:
    """earned / total >= pass mark, decided without float surprises at the exact boundary."""
    if total <= 0:
        return False
    return earned * pass_mark_den >= total * pass_mark_num - 1e-9
