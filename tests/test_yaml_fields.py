"""Unit tests of the typed YAML reading: durations, shares, booleans, numbers, dates, keys, licences."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from mooc_builder.diagnostics import Report
from mooc_builder.load.keys import Key, Reader, Table, Text
from mooc_builder.load.state import LoadState
from mooc_builder.load.values import (
    Ctx,
    as_bool,
    as_date,
    as_duration,
    as_fraction,
    as_int,
    as_licence,
    as_number,
    as_text,
    parse_duration,
)
from mooc_builder.load.yamlsrc import MappingNode, Node, ScalarNode, Source, is_null, parse_yaml
from mooc_builder.model import licences

# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", dt.timedelta(seconds=90)),
        ("90 s", dt.timedelta(seconds=90)),
        ("45s", dt.timedelta(seconds=45)),
        ("5s", dt.timedelta(seconds=5)),
        ("15min", dt.timedelta(minutes=15)),
        ("15 min", dt.timedelta(minutes=15)),
        ("15mn", dt.timedelta(minutes=15)),
        ("15MIN", dt.timedelta(minutes=15)),
        ("1h", dt.timedelta(hours=1)),
        ("2 h", dt.timedelta(hours=2)),
        ("1h30", dt.timedelta(hours=1, minutes=30)),
        ("1h05", dt.timedelta(hours=1, minutes=5)),
        ("1 h 30 min", dt.timedelta(hours=1, minutes=30)),
        ("1h30min", dt.timedelta(hours=1, minutes=30)),
        ("2min30s", dt.timedelta(minutes=2, seconds=30)),
        ("4:30", dt.timedelta(minutes=4, seconds=30)),
        ("0:30", dt.timedelta(seconds=30)),
        ("04:05", dt.timedelta(minutes=4, seconds=5)),
        ("1:02:30", dt.timedelta(hours=1, minutes=2, seconds=30)),
        ("  6min  ", dt.timedelta(minutes=6)),
        ("30", None),
        ("0", None),
        ("abc", None),
        ("", None),
        ("   ", None),
        ("4:75", None),
        ("1:60:00", None),
        ("4:3", None),
        ("-5min", None),
        ("1.5h", None),
        ("15 minutes de vidéo", None),
    ],
)
def test_parse_duration(text: str, expected: dt.timedelta | None) -> None:
    assert parse_duration(text) == expected


# --- helpers for YAML snippets ------------------------------------------------------------------


def parse(text: str) -> tuple[Node | None, Ctx]:
    report = Report()
    source = Source("x.yml", text)
    return parse_yaml(source, report), Ctx(source, report)


def value(text: str, key: str = "v") -> tuple[Node, Ctx]:
    node, ctx = parse(text)
    assert isinstance(node, MappingNode)
    for key_node, value_node in node.value:
        if key_node.value == key:
            return value_node, ctx
    raise AssertionError(f"no key {key} in {text!r}")


def messages(ctx: Ctx) -> list[str]:
    return [str(d) for d in ctx.report]


# --- YAML without implicit types ----------------------------------------------------------------


@pytest.mark.parametrize("written", ["4:30", "no", "yes", "oui", "1.10", "010", "2017-11-14", "0x1F", "1e3",
                                     ".inf", "on", "true", "1_000"])
def test_plain_scalars_stay_text(written: str) -> None:
    node, ctx = value(f"v: {written}\n")
    assert isinstance(node, ScalarNode)
    assert node.value == written
    assert as_text(node, ctx) == written
    assert messages(ctx) == []


@pytest.mark.parametrize("written", ["", "~", "null"])
def test_null_is_the_only_implicit_type(written: str) -> None:
    node, ctx = value(f"v: {written}\n")
    assert is_null(node)
    assert as_text(node, ctx) == ""


def test_quoted_null_is_text() -> None:
    node, ctx = value('v: "null"\n')
    assert not is_null(node)
    assert as_text(node, ctx) == "null"


def test_text_from_a_list_is_an_error_at_its_position() -> None:
    node, ctx = value("a: 1\nv: [x, y]\n")
    assert as_text(node, ctx) is None
    assert messages(ctx) == ["x.yml:2:4: expected text, found a list; write it on one line, e.g. title: \"...\""]


def test_front_matter_offset_moves_every_line() -> None:
    report = Report()
    source = Source("seq.md", "title: a\ntitle: b\n", line_offset=1)
    parse_yaml(source, report)
    assert [str(d) for d in report] == [
        "seq.md:3:1: key 'title' is given twice in this mapping (first at line 2); keep only one of them"
    ]


# --- booleans -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("true", True), ("True", True), ("TRUE", True), ("yes", True), ("oui", True), ("Oui", True),
     ("false", False), ("False", False), ("no", False), ("non", False), ("NON", False), ('"oui"', True)],
)
def test_as_bool(written: str, expected: bool) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_bool(node, ctx) is expected
    assert messages(ctx) == []


@pytest.mark.parametrize("written", ["maybe", "1", "0", "vraiment", "[true]", "{a: b}", ""])
def test_as_bool_rejects(written: str) -> None:
    node, ctx = value(f"x: 1\nv: {written}\n")
    assert as_bool(node, ctx) is None
    (message,) = messages(ctx)
    assert message.startswith("x.yml:2:")
    assert "expected true or false" in message
    assert "oui/non" in message


# --- shares -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("30%", Fraction(3, 10)), ("30 %", Fraction(3, 10)), ("0%", Fraction(0)), ("100%", Fraction(1)),
     ("12.5%", Fraction(1, 8)), ("12,5%", Fraction(1, 8)), ("0.3", Fraction(3, 10)), ("1", Fraction(1)),
     ("0", Fraction(0)), ('"75%"', Fraction(3, 4))],
)
def test_as_fraction(written: str, expected: Fraction) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_fraction(node, ctx) == expected
    assert messages(ctx) == []


@pytest.mark.parametrize("written", ["30", "101%", "1.5", "-10%", "trente", "[30%]", '"%"'])
def test_as_fraction_rejects(written: str) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_fraction(node, ctx) is None
    (message,) = messages(ctx)
    assert message.startswith("x.yml:1:4: expected a percentage")
    assert "30%" in message


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("19", 19.0), ("-3", -3.0), ("+2", 2.0), ("0.5", 0.5), ("0,5", 0.5), (".5", 0.5), ("19.", 19.0),
     ('"7"', 7.0)],
)
def test_as_number(written: str, expected: float) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_number(node, ctx) == expected
    assert messages(ctx) == []


@pytest.mark.parametrize("written", ["dix-neuf", "1e3", "19 °C", "1.2.3", "[1]", "0x10", "nan", "inf"])
def test_as_number_rejects(written: str) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_number(node, ctx) is None
    (message,) = messages(ctx)
    assert message.startswith("x.yml:1:4: expected a number")


@pytest.mark.parametrize(("written", "expected"), [("2", 2), ("0", 0), ("007", 7), ("+3", 3)])
def test_as_int(written: str, expected: int) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_int(node, ctx) == expected


@pytest.mark.parametrize(("written", "minimum", "words"), [("2.5", None, "whole number"), ("deux", None, "deux"),
                                                           ("0", 1, "too small"), ("-1", 0, "at least 0")])
def test_as_int_rejects(written: str, minimum: int | None, words: str) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_int(node, ctx, minimum) is None
    (message,) = messages(ctx)
    assert message.startswith("x.yml:1:4: ")
    assert words in message


# --- durations and dates through YAML -----------------------------------------------------------


def test_unquoted_clock_duration_is_minutes_and_seconds() -> None:
    node, ctx = value("v: 4:30\n")
    assert as_duration(node, ctx) == dt.timedelta(minutes=4, seconds=30)


@pytest.mark.parametrize("written", ["15", "quinze minutes", "[15min]", "4:75"])
def test_as_duration_rejects(written: str) -> None:
    node, ctx = value(f"a: 1\nv: {written}\n")
    assert as_duration(node, ctx) is None
    (message,) = messages(ctx)
    assert message.startswith("x.yml:2:4: expected a duration")
    assert "15min" in message and "4:30" in message


def test_as_date() -> None:
    node, ctx = value("v: 2017-11-14\n")
    assert as_date(node, ctx) == dt.date(2017, 11, 14)


@pytest.mark.parametrize(("written", "words"), [("2017-13-40", "not a real date"), ("2017-02-30", "not a real date"),
                                                ("14/11/2017", "did you mean 2017-11-14?"), ("2017-1-4", "YYYY-MM-DD"),
                                                ("demain", "YYYY-MM-DD")])
def test_as_date_rejects(written: str, words: str) -> None:
    node, ctx = value(f"v: {written}\n")
    assert as_date(node, ctx) is None
    (message,) = messages(ctx)
    assert message.startswith("x.yml:1:4: ")
    assert words in message


# --- duplicate keys -----------------------------------------------------------------------------


def test_duplicate_key_at_top_level() -> None:
    _, ctx = parse("title: a\nweek: 1\ntitle: b\n")
    assert messages(ctx) == [
        "x.yml:3:1: key 'title' is given twice in this mapping (first at line 1); keep only one of them"
    ]


def test_duplicate_key_in_nested_mapping_and_list_item() -> None:
    _, ctx = parse("session:\n  start: 2017-11-14\n  start: 2017-11-15\n"
                   "videos:\n  - src: a.mp4\n    title: A\n    src: b.mp4\n"
                   "resources: [{src: a, src: b}]\n")
    assert messages(ctx) == [
        "x.yml:3:3: key 'start' is given twice in this mapping (first at line 2); keep only one of them",
        "x.yml:7:5: key 'src' is given twice in this mapping (first at line 5); keep only one of them",
        "x.yml:8:22: key 'src' is given twice in this mapping (first at line 8); keep only one of them",
    ]


def test_key_three_times_is_two_errors() -> None:
    _, ctx = parse("a: 1\na: 2\na: 3\n")
    assert [m.split(": ")[0] for m in messages(ctx)] == ["x.yml:2:1", "x.yml:3:1"]
    assert all("first at line 1" in m for m in messages(ctx))


def test_same_key_in_different_mappings_is_fine() -> None:
    _, ctx = parse("videos:\n  - {src: a.mp4, title: A}\n  - {src: b.mp4, title: B}\ntitle: T\n")
    assert messages(ctx) == []


def test_quoted_and_plain_spellings_of_a_key_are_the_same_key() -> None:
    _, ctx = parse('title: a\n"title": b\n')
    assert len(messages(ctx)) == 1
    assert messages(ctx)[0].startswith("x.yml:2:1: key 'title' is given twice")


def test_aliases_do_not_blow_up_the_duplicate_check() -> None:
    laughs = 'l0: &l0 "lol"\n' + "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 12))
    node, ctx = parse(laughs)
    assert isinstance(node, MappingNode)
    assert messages(ctx) == []


def test_self_referencing_alias_is_not_an_endless_loop() -> None:
    node, ctx = parse("a: &a [*a]\nb: &b {x: *b}\n")
    assert node is not None
    assert messages(ctx) == []


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ('title: "Quiz : intro\n', "1:8", "quote"),
        ("title: Quiz : intro\n", "1:13", "quotes"),
        ("title: a\n\tweek: 1\n", "2:1", "tab"),
        ("session:\n    start: 2017-11-14\n  end: 2018-01-31\n", "3:3", "indentation"),
        ("a: 1\nb: x\x07y\n", "2:5", "character"),
    ],
)
def test_syntax_errors_are_positioned(text: str, position: str, words: str) -> None:
    node, ctx = parse(text)
    assert node is None
    (message,) = messages(ctx)
    assert message.startswith(f"x.yml:{position}: "), message
    assert words in message
    assert "\n" not in message


# --- tables of keys: unknown keys, required keys -------------------------------------------------


def table(what: str, *names: str, required: str = "") -> Table:
    return Table(what, tuple(Key(name, Text(), "", required=required if name == "title" else "") for name in names))


def read(table: Table, node: Node | None, ctx: Ctx) -> object:
    return table.read(node, Reader(ctx, Path("."), LoadState(Path("."), ctx.report)))


@pytest.mark.parametrize(("key", "suggestion"), [("titel", "title"), ("objectifs", "objectives"),
                                                 ("Title", "title"), ("durration", "duration")])
def test_unknown_key_suggests(key: str, suggestion: str) -> None:
    node, ctx = parse(f"a: 1\n{key}: x\n")
    read(table("module.yml", "a", "title", "objectives", "duration"), node, ctx)
    assert messages(ctx) == [f"x.yml:2:1: unknown key '{key}' in module.yml; did you mean '{suggestion}'?"]


def test_unknown_key_without_close_match_lists_the_allowed_keys() -> None:
    node, ctx = parse("zzz: 1\n")
    read(table("module.yml", "title", "week"), node, ctx)
    assert messages(ctx) == ["x.yml:1:1: unknown key 'zzz' in module.yml; allowed keys: title, week"]


def test_values_of_a_list_is_an_error() -> None:
    node, ctx = parse("- a\n- b\n")
    values = read(table("course.yml", "title"), node, ctx)
    assert not values.ok
    (message,) = messages(ctx)
    assert message.startswith("x.yml:1:1: course.yml should be a mapping")


def test_required_key_missing() -> None:
    node, ctx = parse("week: 1\n")
    title = table("module.yml", "title", "week", required='title: "..."')
    values = title.read(node, Reader(ctx, Path("."), LoadState(Path("."), ctx.report)))
    assert values[title.keys[0]] is None and values[title.keys[1]] == "1"
    assert messages(ctx) == ["x.yml:1:1: 'title' is missing; add title: \"...\""]


def test_a_required_key_left_empty_is_an_error_at_its_value() -> None:
    node, ctx = parse("title: '  '\n")
    read(table("module.yml", "title", required='title: "..."'), node, ctx)
    assert messages(ctx) == ["x.yml:1:8: 'title' is empty; add title: \"...\""]


# --- licences -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("CC-BY-NC-ND-4.0", "CC-BY-NC-ND-4.0"),
        ("cc-by-nc-nd-4.0", "CC-BY-NC-ND-4.0"),
        ("CC-BY-NC-ND-5.0", "CC-BY-NC-ND-4.0"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("cc_by_4.0", "CC-BY-4.0"),
        ("CC-BY-NC-SA-3", "CC-BY-NC-SA-3.0"),
        ("CC-BY-NC-ND", "CC-BY-NC-ND-4.0"),
        ("cc0-1.0", "CC0-1.0"),
        ("licenseref-all-rights-reserved", "LicenseRef-All-Rights-Reserved"),
        ("MIT", None),
        ("domaine public", None),
    ],
)
def test_licence_suggest(written: str, expected: str | None) -> None:
    assert licences.suggest(written) == expected


@pytest.mark.parametrize("spdx", ["CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0",
                                  "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "CC-BY-3.0", "CC-BY-NC-ND-3.0",
                                  "CC-BY-SA-2.0", "CC-BY-NC-ND-2.0", "LicenseRef-All-Rights-Reserved"])
def test_known_licences(spdx: str) -> None:
    node, ctx = value(f"v: {spdx}\n")
    licence = as_licence(node, ctx, None)
    assert licence is not None and licence.id == spdx
    assert licence.name and licence.terms
    assert messages(ctx) == []


def test_unknown_licence_message() -> None:
    node, ctx = value("a: 1\nv: CC-BY-NC-ND-5.0\n")
    assert as_licence(node, ctx, None) is None
    assert messages(ctx) == ["x.yml:2:4: unknown licence 'CC-BY-NC-ND-5.0'; did you mean 'CC-BY-NC-ND-4.0'?"]


def test_licence_ref_needs_a_url() -> None:
    node, ctx = value("v: LicenseRef-Foo\n")
    assert as_licence(node, ctx, None) is None
    (message,) = messages(ctx)
    assert message.startswith("x.yml:1:4: ") and "licence_url" in message
    node, ctx = value("v: LicenseRef-Foo\n")
    licence = as_licence(node, ctx, "https://example.org/foo")
    assert licence is not None and licence.id == "LicenseRef-Foo" and licence.url == "https://example.org/foo"
    assert messages(ctx) == []


def _shape(node: Node | None) -> object:
    """What the loader reads of a node: kind, tag, value, position and (for scalars) quoting."""
    if node is None:
        return None
    mark = node.start_mark
    head = (type(node).__name__, node.tag, mark.line, mark.column)
    if isinstance(node, ScalarNode):
        return (*head, node.value, node.style or None)
    if isinstance(node, MappingNode):
        return (*head, [(_shape(k), _shape(v)) for k, v in node.value])
    return (*head, [_shape(item) for item in node.value])


def test_libyaml_and_the_python_parser_read_the_reference_courses_alike() -> None:
    import yaml

    from mooc_builder.load import yamlsrc

    from .conftest import REFERENCE

    texts = [p.read_text(encoding="utf-8") for p in sorted(REFERENCE.rglob("*.yml"))]
    texts += [p.read_text(encoding="utf-8").split("---", 2)[1] for p in sorted(REFERENCE.rglob("*.md"))
              if p.read_text(encoding="utf-8").startswith("---")]
    texts.append('a: |\n  block\n  text\nb: >\n  folded\nc: \'single\'\nd: "double"\ne: ~\nf: [1, {g: h}]\n')
    assert len(texts) > 50
    for text in texts:
        fast = yaml.compose(text, Loader=yamlsrc._FastAuthorLoader)
        assert _shape(fast) == _shape(yaml.compose(text, Loader=yamlsrc._AuthorLoader)), text[:80]
