"""Errors that explain themselves to an author who writes in French and is no programmer: YAML syntax mistakes
said in their words with the line and a caret, French values read as meant (or a "did you mean"), misnamed
files named, warnings for what would otherwise pass without a word, and counts said in the singular or plural.

Each test breaks one thing in a copy of the minimal tree (see tests/test_errors.py) and checks the exact
``path:line:col`` of what is said, and its key words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from mooc_builder.cli import cli
from mooc_builder.diagnostics import Diagnostic
from mooc_builder.load.values import Ctx, as_bool, as_date, as_duration
from mooc_builder.load.yamlsrc import MappingNode, Source, parse_yaml
from tests.test_errors import DEMO, FIRST, INTRO, QUIZ, Content, at, content, find, listing, says
from tests.videos import make_video

__all__ = ["content"]  # the fixture, shared with tests/test_errors.py

COURSE = f"{DEMO}/course.yml"
MODULE = f"{INTRO}/module.yml"
APOSTROPHE = "'"
TRUE_PROMPT = 'prompt: "True'


def caret(diagnostic: Diagnostic, line: str, col: int) -> None:
    """The diagnostic quotes ``line`` with a caret under its ``col``-th character."""
    assert diagnostic.excerpt == f"    {line}\n    {' ' * (col - 1)}^", diagnostic.excerpt


# --- YAML syntax, in the author's words ---------------------------------------------------------

def test_an_apostrophe_inside_single_quotes(content: Content) -> None:
    text = content.replace(COURSE, 'title: "Demo course"', "title: 'L'important'")
    error = content.error_at(f"{COURSE}:{at(text, APOSTROPHE + 'important')}:")
    says(error, "apostrophe", "single quote", "title: \"L'important\"", "double the apostrophe",
         "title: 'L''important'")
    assert "block end" not in str(error)
    caret(error, "title: 'L'important'", 10)


def test_an_apostrophe_inside_single_quotes_in_a_list_of_choices(content: Content) -> None:
    text = content.replace(QUIZ, '{text: "B", feedback: "No"}', "{text: \"B\"}\n      - text: 'l'eau'")
    error = content.error_at(f"{QUIZ}:{at(text, APOSTROPHE + 'eau')}:")
    says(error, "apostrophe", "text: \"l'eau\"", "text: 'l''eau'")


def test_an_apostrophe_inside_single_quotes_in_front_matter(content: Content) -> None:
    text = content.replace(FIRST, 'title: "First sequence"', "title: 'Lire l'étiquette'")
    error = content.error_at(f"{FIRST}:{at(text, APOSTROPHE + 'étiquette')}:")
    says(error, "apostrophe", "title: \"Lire l'étiquette\"")
    caret(error, "title: 'Lire l'étiquette'", 15)


@pytest.mark.parametrize(
    ("rel", "old", "new", "key", "fix"),
    [
        (COURSE, 'title: "Demo course"', "title:Bonjour", "title", "title: Bonjour"),
        (FIRST, "duration: 5min", "duration:5min", "duration", "duration: 5min"),
        (MODULE, 'title: "Introduction"', 'title:"Introduction"', "title", 'title: "Introduction"'),
    ],
)
def test_a_missing_space_after_the_colon(content: Content, rel: str, old: str, new: str, key: str,
                                         fix: str) -> None:
    text = content.replace(rel, old, new)
    line, col = at(text, new).split(":")
    error = content.error_at(f"{rel}:{line}:{int(col) + len(key) + 1}:")
    says(error, f"a space is missing after '{key}:'", fix)
    caret(error, new, len(key) + 2)


def test_a_line_indented_more_than_the_line_above(content: Content) -> None:
    text = content.replace(COURSE, "  enrol_until: 2017-12-26\n", "    enrol_until: 2017-12-26\n")
    error = content.error_at(f"{COURSE}:{at(text, 'enrol_until')}:")
    above = int(at(text, "start: 2017").split(":")[0])
    says(error, "indented 4 spaces", f"line {above} above it is indented 2", "indent it 2 spaces")
    caret(error, "    enrol_until: 2017-12-26", 5)


def test_a_list_item_key_indented_unlike_the_one_above(content: Content) -> None:
    text = content.replace(QUIZ, '    prompt: "True?"', '     prompt: "True?"')
    error = content.error_at(f"{QUIZ}:{at(text, TRUE_PROMPT)}:")
    above = int(at(text, "type: true_false").split(":")[0])
    says(error, "indented 5 spaces", f"line {above} above it is indented 4")


def test_a_tab_used_for_indentation_is_named_so(content: Content) -> None:
    text = content.replace(COURSE, "  end: 2018-01-31", "\tend: 2018-01-31")
    error = content.error_at(f"{COURSE}:{at(text, chr(9))}:")
    says(error, "tab character is used for indentation", "spaces only")
    caret(error, " end: 2018-01-31", 1)


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote(content: Content, quote: str) -> None:
    text = content.replace(COURSE, 'audience: "Habitants"', f"audience: {quote}Habitants")
    error = content.error_at(f"{COURSE}:{at(text, quote + 'Habitants')}:")
    says(error, f"the quote {quote} opened here is not closed", f"close it with {quote}")
    caret(error, f"audience: {quote}Habitants", 11)


def test_an_unclosed_bracket_is_quoted_with_a_caret(content: Content) -> None:
    text = content.replace(QUIZ, 'answers: ["19", "dix-neuf"]', 'answers: ["19", "dix-neuf"')
    error = content.error_at(f"{QUIZ}:{at(text, '[')}:")
    says(error, "'[' here is not closed", "close it with ']'")
    caret(error, '    answers: ["19", "dix-neuf"', 14)


def test_the_command_line_prints_the_line_and_the_caret(content: Content) -> None:
    content.replace(COURSE, 'title: "Demo course"', "title: 'L'important'")
    result = CliRunner().invoke(cli, ["check", "content"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"{COURSE}:1:10: "))
    assert lines[first + 1:first + 3] == ["    title: 'L'important'", "             ^"], result.stderr


# --- French values ------------------------------------------------------------------------------

def _value(written: str) -> tuple[MappingNode, Ctx]:
    from mooc_builder.diagnostics import Report

    report = Report()
    source = Source("x.yml", f"v: {written}\n")
    node = parse_yaml(source, report)
    assert isinstance(node, MappingNode) and not report.items
    return node.value[0][1], Ctx(source, report)


@pytest.mark.parametrize(("written", "meant"), [("vrai", True), ("faux", False), ("Vrai", True), ("FAUX", False),
                                                ("oui", True), ("non", False)])
def test_french_booleans(written: str, meant: bool) -> None:
    node, ctx = _value(written)
    assert as_bool(node, ctx) is meant
    assert not ctx.report.items


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2min30", dt.timedelta(minutes=2, seconds=30)),
        ("2 minutes", dt.timedelta(minutes=2)),
        ("1 minute", dt.timedelta(minutes=1)),
        ("2 min 30", dt.timedelta(minutes=2, seconds=30)),
        ("1h30", dt.timedelta(hours=1, minutes=30)),
        ("1 h 30", dt.timedelta(hours=1, minutes=30)),
        ("90 secondes", dt.timedelta(seconds=90)),
        ("1 heure 30", dt.timedelta(hours=1, minutes=30)),
        ("2 heures", dt.timedelta(hours=2)),
    ],
)
def test_french_durations(written: str, meant: dt.timedelta) -> None:
    node, ctx = _value(written)
    assert as_duration(node, ctx) == meant
    assert not ctx.report.items


@pytest.mark.parametrize("written", ["2 min 75", "2 minutes 30 de vidéo"])
def test_durations_that_still_mean_nothing(written: str) -> None:
    node, ctx = _value(written)
    assert as_duration(node, ctx) is None


def test_french_values_in_the_tree(content: Content) -> None:
    content.replace(QUIZ, "answer: no", "answer: faux")
    content.replace(FIRST, "duration: 5min", "duration: 2min30")
    site = content.clean()
    sequence = site.courses[0].modules[0].sequences[0]
    assert sequence.duration == dt.timedelta(minutes=2, seconds=30)
    assert sequence.quiz is not None and sequence.quiz.questions[1].answer_bool is False


@pytest.mark.parametrize(("written", "meant"), [("14/11/2026", "2026-11-14"), ("14-11-2026", "2026-11-14"),
                                                ("14.11.2026", "2026-11-14"), ("4/1/2026", "2026-01-04"),
                                                ("11/14/2026", "2026-11-14")])
def test_a_date_written_day_first_gets_a_did_you_mean(content: Content, written: str, meant: str) -> None:
    text = content.replace(COURSE, "start: 2017-11-14", f"start: {written}")
    error = content.error_at(f"{COURSE}:{at(text, written)}:")
    says(error, "expected a date", f"did you mean {meant}?", "year-month-day")


def test_a_date_that_is_no_date_either_way_gets_the_format(content: Content) -> None:
    node, ctx = _value("31/31/2026")
    assert as_date(node, ctx) is None
    (error,) = ctx.report.errors
    assert "did you mean" not in str(error)
    says(error, "YYYY-MM-DD")


# --- file names ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rel", "misnamed", "right"),
    [
        ("content/site.yml", "content/site.yaml", "site.yml"),
        (COURSE, f"{DEMO}/course.yaml", "course.yml"),
        (MODULE, f"{INTRO}/module.yaml", "module.yml"),
        (QUIZ, f"{INTRO}/first.quiz.yaml", "first.quiz.yml"),
        (MODULE, f"{INTRO}/module.yml.txt", "module.yml"),
    ],
)
def test_a_misnamed_yaml_file_is_named(content: Content, rel: str, misnamed: str, right: str) -> None:
    content.path(rel).rename(content.path(misnamed))
    error = content.error_at(f"{misnamed}: ")
    says(error, f"should be named {right}", f"rename {misnamed.rsplit('/', 1)[1]} to {right}")
    for diagnostic in content.check()[1].errors:  # nor "create it", where the file is
        assert "create it" not in str(diagnostic), diagnostic


def test_a_misnamed_copy_beside_the_right_file_is_a_warning(content: Content) -> None:
    content.write(f"{INTRO}/module.yaml", content.read(MODULE))
    site, report = content.check()
    assert site is not None, listing(report.errors)
    warning = find(report.warnings, f"{INTRO}/module.yaml: ")
    says(warning, "ignored", "module.yml is read instead")


@pytest.mark.parametrize(
    ("old", "new", "fixed"),
    [
        (f"{INTRO}/02-second.md", f"{INTRO}/02-Le bac jaune.md", "02-le-bac-jaune.md"),
        (f"{INTRO}/02-second.md", f"{INTRO}/02-Économie d'énergie.md", "02-economie-d-energie.md"),
        (f"{DEMO}/02-suite", f"{DEMO}/02-La Suite", "02-la-suite"),
    ],
)
def test_a_bad_name_is_given_its_fixed_name(content: Content, old: str, new: str, fixed: str) -> None:
    content.path(old).rename(content.path(new))
    diagnostic = find(content.check()[1].errors, f"{new}: ")
    says(diagnostic, "not a valid id", f"rename it {fixed}")


# --- warnings -----------------------------------------------------------------------------------

def test_an_empty_quiz_is_a_warning(content: Content) -> None:
    text = content.write(QUIZ, 'title: "Quiz : intro"\nquestions: []\n')
    site, report = content.check()
    assert site is not None, listing(report.errors)
    says(find(report.warnings, f"{QUIZ}:{at(text, '[]')}: "), "no questions", "add questions")


def test_a_quiz_without_a_title_is_a_warning(content: Content) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', "")
    site, report = content.check()
    assert site is not None, listing(report.errors)
    says(find(report.warnings, f"{QUIZ}:1:1: "), "no title", "shown as 'Quiz'", "title:")


def test_a_certificate_with_no_graded_quiz_is_a_warning(content: Content) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', 'title: "Quiz : intro"\ngraded: false\n')
    site, report = content.check()
    assert site is not None, listing(report.errors)
    text = content.read(COURSE)
    says(find(report.warnings, f"{COURSE}:{at(text, 'true')}: "), "certificate", "no quiz", "graded",
         "certificate: false")


def test_a_certificate_with_a_graded_quiz_is_no_warning(content: Content) -> None:
    content.clean()
    assert not any("certificate" in str(w) for w in content.check()[1].warnings)


def test_an_empty_video_file_is_an_error(content: Content) -> None:
    content.write(f"{DEMO}/media/clip.mp4", b"")
    site, report = content.check()
    assert site is None
    text = content.read(FIRST)
    says(find(report.errors, f"{FIRST}:{at(text, '../media/clip.mp4')}: "), "'clip.mp4' is empty", "0 bytes")


@pytest.mark.parametrize(("name", "data", "kind"), [("clip.mp4", b"<html>Not found</html>", "MP4"),
                                                    ("clip.webm", b"\x00\x00\x00\x18ftypmp42", "WebM")])
def test_a_file_that_is_no_video_is_an_error(content: Content, name: str, data: bytes, kind: str) -> None:
    content.write(f"{DEMO}/media/{name}", data)
    text = content.replace(FIRST, "src: ../media/clip.mp4", f"src: ../media/{name}")
    site, report = content.check()
    assert site is None
    says(find(report.errors, f"{FIRST}:{at(text, f'../media/{name}')}: "), f"is not a {kind}"
         if kind == "WebM" else f"is not an {kind}", "video")


def test_a_video_cut_short_is_an_error_at_its_src(content: Content, tmp_path: Path) -> None:
    whole = make_video(tmp_path / "whole.mp4", seconds=2, width=160, height=90)
    content.write(f"{DEMO}/media/clip.mp4", whole.read_bytes()[:600])  # a download cut short
    site, report = content.check()
    assert site is None
    text = content.read(FIRST)
    says(find(report.errors, f"{FIRST}:{at(text, '../media/clip.mp4')}: "), "'clip.mp4' cannot be read as a video")


def test_a_real_webm_passes(content: Content, tmp_path: Path) -> None:
    content.write(f"{DEMO}/media/clip.webm", make_video(tmp_path / "clip.webm", seconds=30, width=160,
                                                          height=90).read_bytes())
    content.replace(FIRST, "src: ../media/clip.mp4", "src: ../media/clip.webm")
    site, report = content.check()
    assert site is not None and not report.warnings, listing(report.items)


# --- counts -------------------------------------------------------------------------------------

def test_one_warning_is_said_in_the_singular(content: Content) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', "")
    result = CliRunner().invoke(cli, ["check", "content"])
    assert result.exit_code == 0, result.output
    assert "1 warning:" in result.stderr and "1 warnings" not in result.stderr
    assert "content: OK (1 warning)" in result.stdout


def test_two_warnings_are_said_in_the_plural(content: Content) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', "")
    content.replace(FIRST, 'duration: "0:30"', 'duration: "5:00"')  # the file lasts 0:30
    result = CliRunner().invoke(cli, ["check", "content"])
    assert "2 warnings:" in result.stderr
    assert "content: OK (2 warnings)" in result.stdout


def test_one_error_is_said_in_the_singular(content: Content) -> None:
    content.replace(COURSE, "pass_mark: 30%", "pass_mark: 30")
    result = CliRunner().invoke(cli, ["check", "content"])
    assert result.exit_code == 1
    assert result.stderr.rstrip().endswith("\n1 error.")


def test_one_warning_with_strict_is_one_error(content: Content) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', "")
    result = CliRunner().invoke(cli, ["check", "--strict", "content"])
    assert result.exit_code == 1
    assert "1 error (--strict):" in result.stderr
