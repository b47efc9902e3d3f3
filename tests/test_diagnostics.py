"""The report that every stage writes its errors and warnings into."""

from __future__ import annotations

import pytest

from mooc_builder.diagnostics import Diagnostic, Pos, Report, Severity


def _warning(number: int) -> Diagnostic:
    return Diagnostic(Severity.WARNING, Pos("courses/energie/course.yml", number, 1), f"week {number} is long")


def test_the_report_keeps_the_order_of_discovery_and_drops_duplicates_also_of_items_added_directly() -> None:
    report = Report()
    report.warn(Pos("a.md", 3, 1), "first")
    report.items.extend([_warning(1), _warning(2)])  # as the loader replays what a cached file reported
    report.warn(Pos("courses/energie/course.yml", 2, 1), "week 2 is long")  # = _warning(2)
    report.error(Pos("a.md", 3, 1), "first")  # same place and words, another severity: kept
    report.warn(Pos("a.md", 3, 1), "first")
    assert [(d.severity.value, str(d.pos), d.message) for d in report] == [
        ("warning", "a.md:3:1", "first"), ("warning", "courses/energie/course.yml:1:1", "week 1 is long"),
        ("warning", "courses/energie/course.yml:2:1", "week 2 is long"), ("error", "a.md:3:1", "first")]
    del report.items[1:]  # taken out: what was seen is forgotten with it
    report.items.append(_warning(5))
    report.warn(Pos("courses/energie/course.yml", 1, 1), "week 1 is long")
    report.warn(Pos("courses/energie/course.yml", 5, 1), "week 5 is long")
    assert [d.message for d in report] == ["first", "week 5 is long", "week 1 is long"]


def test_dropping_duplicates_does_not_compare_each_diagnostic_with_all_the_others(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A catalogue of 80 courses reports about 800 warnings at each build of `mooc serve`; scanning the list for
    # each one took 320,000 comparisons.
    compared = 0
    equal = Diagnostic.__eq__

    def counting(self: Diagnostic, other: object) -> bool:
        nonlocal compared
        compared += 1
        return equal(self, other)

    monkeypatch.setattr(Diagnostic, "__eq__", counting)
    report = Report()
    for number in [*range(2000), *range(2000)]:
        report.warn(Pos("courses/energie/course.yml", number, 1), f"week {number} is long")
    assert len(report.items) == 2000
    assert compared <= 4000
