"""The order in which a question shows what a learner picks from: fixed by its words, never the answer."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from mooc_builder.build import check
from mooc_builder.model import QuestionType, shown_blank_options
from mooc_builder.model.questions import seed_of, shown_order
from mooc_builder.model.scoring import question_data, score


@pytest.mark.parametrize("count", range(2, 9))
def test_an_ordering_is_never_shown_with_two_neighbours_in_their_right_order(count: int) -> None:
    for n in range(200):
        order = shown_order(seed_of("ordering", n), count, never_right=True)
        assert sorted(order) == list(range(count))
        assert all(after != before + 1 for before, after in itertools.pairwise(order)), order


def test_the_order_depends_on_the_words_only_and_is_the_same_at_every_call() -> None:
    orders = {shown_order(seed_of("matching", "a", "b", "c", "d"), 4) for _ in range(3)}
    assert len(orders) == 1
    # Over many questions every thing is shown first about as often: no place gives the right one away.
    firsts = [shown_order(seed_of("cloze", n), 3)[0] for n in range(3000)]
    assert all(900 < firsts.count(k) < 1100 for k in range(3)), [firsts.count(k) for k in range(3)]


def test_the_pages_data_names_shown_positions_and_scores_the_right_answers_full(minimal: Path) -> None:
    site, report = check(minimal)
    assert site is not None, [str(d) for d in report.errors]
    quiz = site.courses[0].modules[0].sequences[0].quiz
    assert quiz is not None
    by_type = {q.type: q for q in quiz.questions}
    matching = by_type[QuestionType.MATCHING]
    data = question_data(matching)
    assert [matching.shown_options[k] for k in data["correct"]] == [p.right for p in matching.pairs]
    assert score(data, data["correct"]) == matching.points
    ordering = by_type[QuestionType.ORDERING]
    data = question_data(ordering)
    # The k-th right item is shown at position data["correct"][k].
    assert [ordering.shown_items[position] for position in data["correct"]] == list(range(len(ordering.items)))
    assert score(data, data["correct"]) == ordering.points
    assert score(data, list(range(len(ordering.items)))) == 0  # as first shown: never right
    cloze = by_type[QuestionType.CLOZE]
    data = question_data(cloze)
    select = next(b for b in cloze.blanks if b.select)
    right = data["blanks"][1]["correct"]
    assert select.answers[shown_blank_options(select)[right]] == "warm"
    assert score(data, ["Nineteen", right]) == cloze.points
    hotspot = by_type[QuestionType.HOTSPOT]
    data = question_data(hotspot)
    assert [hotspot.zones[hotspot.shown_zones[k]].label for k in data["correct"]] == ["The corner"]
    assert hotspot.image_box == (0.0, 0.0, 100.0, 60.0)
    assert score(data, data["correct"][0]) == hotspot.points
