"""The scoring rules in Python, on the table of cases that the browser's scoring.js also passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mooc_builder.model.scoring import normalise_text, parse_number, passed, score

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "fixtures" / "scoring_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_score(case: dict[str, Any]) -> None:
    assert score(case["question"], case["response"]) == pytest.approx(case["expected"], abs=1e-4)


def test_text_normalisation() -> None:
    assert normalise_text(" Électricité  ") == "electricite"
    assert normalise_text("19 °C") == normalise_text("19°c")
    assert normalise_text("dix-neuf") != normalise_text("dixneuf")


def test_numbers_as_learners_type_them() -> None:
    assert parse_number("19,5") == 19.5
    assert parse_number("1 000") == 1000
    assert parse_number("abc") is None
    assert parse_number("") is None


@pytest.mark.parametrize(("earned", "total", "expected"), [
    (2.9999, 10, False), (3, 10, True), (3.0001, 10, True), (0, 0, False), (1.8, 6, True), (1.7999, 6, False),
])
def test_pass_mark_boundary(earned: float, total: float, expected: bool) -> None:
    assert passed(earned, total, 3, 10) is expected
