"""What an author sees when the content is wrong: one precise line per problem, never a crash.

Each test copies the minimal valid tree to ``tmp/content``, breaks one thing and
checks the diagnostic: its exact ``path:line:col`` (computed from the text the
test wrote) and that the message names what is wrong and what would be right.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.cli import cli
from mooc_builder.diagnostics import Diagnostic, Report
from mooc_builder.model import Site

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
DEMO = "content/courses/demo"
INTRO = f"{DEMO}/01-intro"
FIRST = f"{INTRO}/01-first.md"
SECOND = f"{INTRO}/02-second.md"
QUIZ = f"{INTRO}/first.quiz.yml"
MOOC = Path(sys.executable).parent / "mooc"


# --- helpers ------------------------------------------------------------------------------------

def at(text: str, needle: str, occurrence: int = 1) -> str:
    """'LINE:COL' (1-based) of the n-th occurrence of ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{col}"


def listing(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(str(d) for d in diagnostics) or "(none)"


def find(diagnostics: list[Diagnostic], prefix: str) -> Diagnostic:
    """The diagnostic whose text starts with ``prefix`` (e.g. 'content/site.yml:5:10:')."""
    for diagnostic in diagnostics:
        if str(diagnostic).startswith(prefix):
            return diagnostic
    raise AssertionError(f"no diagnostic starting with {prefix!r}; got:\n{listing(diagnostics)}")


def says(diagnostic: Diagnostic, *words: str) -> None:
    """The message (or hint) mentions every word, case-insensitively."""
    text = str(diagnostic).lower()
    missing = [w for w in words if w.lower() not in text]
    assert not missing, f"{missing} not in: {diagnostic}"


class Content:
    """A copy of the minimal tree at ``tmp/content``; the working folder is ``tmp``."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.root = tmp / "content"

    def path(self, rel: str) -> Path:
        return self.tmp / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, data: str | bytes) -> str:
        """Write a whole file; returns the text (for computing positions)."""
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
            return data.decode("latin-1")
        path.write_bytes(data.encode("utf-8"))
        return data

    def replace(self, rel: str, old: str, new: str) -> str:
        """Replace one piece of a file (it must be there once); returns the new text."""
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} is not exactly once in {rel}"
        return self.write(rel, text.replace(old, new))

    def remove(self, rel: str) -> None:
        path = self.path(rel)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()

    def check(self) -> tuple[Site | None, Report]:
        return check(Path("content"))

    def errors(self) -> list[Diagnostic]:
        return self.check()[1].errors

    def error_at(self, prefix: str) -> Diagnostic:
        site, report = self.check()
        assert site is None, "a tree with errors must give no site"
        return find(report.errors, prefix)

    def clean(self) -> Site:
        site, report = self.check()
        assert not report.errors, listing(report.errors)
        assert site is not None
        return site


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Content:
    shutil.copytree(FIXTURE, tmp_path / "content", symlinks=True)
    monkeypatch.chdir(tmp_path)
    return Content(tmp_path)


def test_the_fixture_is_clean(content: Content) -> None:
    site, report = content.check()
    assert site is not None
    assert report.errors == [] and report.warnings == [], listing(report.items)


# --- 1. malformed YAML --------------------------------------------------------------------------

QUOTE = '"'


def test_unclosed_quote_points_at_the_opening_quote(content: Content) -> None:
    text = content.write(f"{DEMO}/course.yml", 'title: "Demo course\naudience: Habitants\nlanguage: fr\n')
    error = content.error_at(f"{DEMO}/course.yml:{at(text, QUOTE)}:")
    says(error, "quote")


def test_bad_indentation(content: Content) -> None:
    text = content.replace(f"{DEMO}/course.yml", "  start: 2017-11-14\n", "    start: 2017-11-14\n")
    # 'enrol_until' now sits left of 'start': the mapping of 'session' is broken there.
    error = content.error_at(f"{DEMO}/course.yml:{at(text, 'enrol_until')}:")
    says(error, "indented 2 spaces", "line 9 above it is indented 4", "indentation")


@pytest.mark.parametrize("rel", [f"{DEMO}/course.yml", f"{INTRO}/module.yml", QUIZ])
def test_tab_used_for_indentation(content: Content, rel: str) -> None:
    text = content.read(rel)
    lines = text.split("\n")
    lines[1] = "\t" + lines[1]
    text = content.write(rel, "\n".join(lines))
    error = content.error_at(f"{rel}:2:1:")
    says(error, "tab", "spaces")


def test_tab_in_front_matter_is_at_its_file_line(content: Content) -> None:
    text = content.replace(FIRST, "duration: 5min\n", "\tduration: 5min\n")
    error = content.error_at(f"{FIRST}:{at(text, chr(9))}:")
    says(error, "tab", "spaces")


@pytest.mark.parametrize(
    ("rel", "old", "new", "colon"),
    [
        (QUIZ, 'title: "Quiz : intro"', "title: Quiz : intro", "Quiz :"),
        (f"{INTRO}/module.yml", 'title: "Introduction"', "title: Introduction: les bases", "n: les"),
        (FIRST, 'title: "First sequence"', "title: Lire : la facture", "e : la"),
    ],
)
def test_colon_space_in_an_unquoted_value_suggests_quotes(content: Content, rel: str, old: str, new: str,
                                                          colon: str) -> None:
    text = content.replace(rel, old, new)
    line, col = at(text, colon).split(":")
    position = f"{line}:{int(col) + colon.index(':')}"
    error = content.error_at(f"{rel}:{position}:")
    says(error, "colon", "quotes")


def test_control_character_in_yaml_is_at_its_position(content: Content) -> None:
    text = content.replace(f"{DEMO}/course.yml", 'audience: "Habitants"', 'audience: "Habi\x07tants"')
    error = content.error_at(f"{DEMO}/course.yml:{at(text, chr(7))}:")
    assert "\n" not in str(error), f"a diagnostic must be one line: {error!r}"


# --- 2. wrong types -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rel", "old", "new", "value", "words"),
    [
        (f"{INTRO}/module.yml", 'title: "Introduction"', "title: [Intro, duction]", "[Intro",
         ["expected text", "list"]),
        (f"{INTRO}/module.yml", "week: 1", 'week: "deux"', '"deux"', ["whole number", "deux", "digits"]),
        (f"{INTRO}/module.yml", "week: 1", "week: 0", "0", ["too small", "from 1 to 520"]),
        (f"{DEMO}/course.yml", "per_week: 15min", "per_week: 15", "15,", ["duration", "'15'", "15min"]),
        (f"{DEMO}/course.yml", "pass_mark: 30%", "pass_mark: 30", "30\n", ["percentage", "30%"]),
        (f"{DEMO}/course.yml", "pass_mark: 30%", "pass_mark: 130%", "130%", ["percentage", "100%"]),
        (f"{DEMO}/course.yml", "certificate: true", "certificate: maybe", "maybe", ["true or false", "maybe"]),
        (f"{DEMO}/course.yml", "start: 2017-11-14", "start: 2017-13-40", "2017-13-40",
         ["not a real date", "month"]),
        (f"{DEMO}/course.yml", "start: 2017-11-14", "start: 14/11/2017", "14/11/2017",
         ["expected a date", "did you mean 2017-11-14?", "year-month-day"]),
        (f"{DEMO}/course.yml", "referent:", "release: monthly\nreferent:", "monthly", ["'monthly'", "weekly"]),
        (FIRST, "duration: 5min", "duration: cinq minutes", "cinq", ["duration", "15min"]),
        (FIRST, 'duration: "0:30"', 'duration: "0:75"', '"0:75"', ["duration", "4:30"]),
        (QUIZ, "answer: 19", "answer: dix-neuf", "dix-neuf", ["number", "19"]),
        (QUIZ, "partial_credit: true", "partial_credit: peut-être", "peut-être", ["true or false"]),
        ("content/site.yml", "language: fr", "language: de", "de", ["'de'", "fr", "en"]),
        ("content/site.yml", 'url: "https://org.example"', 'url: "org.example"', '"org.example"',
         ["web address", "https://"]),
    ],
)
def test_wrong_type_is_reported_at_the_value(content: Content, rel: str, old: str, new: str, value: str,
                                             words: list[str]) -> None:
    text = content.replace(rel, old, new)
    error = content.error_at(f"{rel}:{at(text, value, text.count(value, 0, text.index(new)) + 1)}:")
    says(error, *words)


# --- 3. unknown keys ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rel", "old", "new", "key", "suggestion"),
    [
        (f"{INTRO}/module.yml", 'title: "Introduction"', 'titel: "Introduction"', "titel", "title"),
        (f"{INTRO}/module.yml", "objectives:", "objectifs:", "objectifs", "objectives"),
        (FIRST, "    captions: {fr:", "    captionz: {fr:", "captionz", "captions"),
        (FIRST, "discussion:", "discusion:", "discusion", "discussion"),
        (f"{DEMO}/course.yml", "enrol_url:", "enroll_url:", "enroll_url", "enrol_url"),
        (f"{DEMO}/course.yml", "certificate:", "certificat:", "certificat", "certificate"),
        ("content/site.yml", "attribution:", "atribution:", "atribution", "attribution"),
        (QUIZ, "    explanation:", "    explication:", "explication", "explanation"),
        (QUIZ, "{text: \"B\", feedback:", "{text: \"B\", feedbak:", "feedbak", "feedback"),
    ],
)
def test_unknown_key_suggests_the_right_one(content: Content, rel: str, old: str, new: str, key: str,
                                            suggestion: str) -> None:
    text = content.replace(rel, old, new)
    error = content.error_at(f"{rel}:{at(text, key)}:")
    says(error, f"unknown key '{key}'", f"did you mean '{suggestion}'")


# --- 4. missing files ---------------------------------------------------------------------------

def test_site_yml_missing(content: Content) -> None:
    content.remove("content/site.yml")
    error = content.error_at("content/site.yml: ")
    says(error, "not found", "create")


def test_module_yml_missing(content: Content) -> None:
    content.remove(f"{INTRO}/module.yml")
    error = content.error_at(f"{INTRO}/module.yml: ")
    says(error, "not found")


def test_course_yml_missing(content: Content) -> None:
    content.remove(f"{DEMO}/course.yml")
    error = content.error_at(f"{DEMO}/course.yml: ")
    says(error, "not found")


@pytest.mark.parametrize(
    ("old", "new", "value", "words"),
    [
        ("src: ../media/clip.mp4", "src: ../media/clip.mp5", "../media/clip.mp5",
         ["not found", "did you mean '../media/clip.mp4'"]),
        ("src: ../media/clip.mp4", "src: ../media/klip.mp4", "../media/klip.mp4",
         ["not found", "did you mean '../media/clip.mp4'"]),
        ("poster: ../media/clip.svg", "poster: ../media/clip.sgv", "../media/clip.sgv",
         ["not found", "did you mean '../media/clip.svg'"]),
        ("{fr: ../media/clip.fr.vtt}", "{fr: ../media/clip.fr.vt}", "../media/clip.fr.vt",
         ["not found", "did you mean '../media/clip.fr.vtt'"]),
        ("transcript: ../media/clip.fr.md", "transcript: ../media/clip.en.md", "../media/clip.en.md",
         ["not found", "did you mean '../media/clip.fr.md'"]),
        ("{src: ../media/sheet.pdf,", "{src: ../media/sheet.pfd,", "../media/sheet.pfd",
         ["not found", "did you mean '../media/sheet.pdf'"]),
        ("{src: ../media/sheet.pdf,", "{src: media/sheet.pdf,", "media/sheet.pdf", ["not found", "relative"]),
        ("{src: ../media/sheet.pdf,", "{src: ../media/zzzzzzzzzz.odt,", "../media/zzzzzzzzzz.odt",
         ["not found", "relative to this file"]),
        ("quiz: first.quiz.yml", "quiz: frist.quiz.yml", "frist.quiz.yml", ["not found", "'first.quiz.yml'"]),
        ("quiz: first.quiz.yml", "quiz: first.yml", "first.yml", ["not a quiz file", ".quiz.yml"]),
    ],
)
def test_missing_media_suggests_a_close_name(content: Content, old: str, new: str, value: str,
                                             words: list[str]) -> None:
    text = content.replace(FIRST, old, new)
    error = content.error_at(f"{FIRST}:{at(text, value)}:")
    says(error, value, *words)


def test_missing_logo_in_site_yml(content: Content) -> None:
    text = content.replace("content/site.yml", "logo: media/logo.svg", "logo: media/logo.png")
    error = content.error_at(f"content/site.yml:{at(text, 'media/logo.png')}:")
    says(error, "not found", "did you mean 'media/logo.svg'")


def test_media_of_the_wrong_kind(content: Content) -> None:
    text = content.replace(FIRST, "src: ../media/clip.mp4", "src: ../media/sheet.pdf")
    error = content.error_at(f"{FIRST}:{at(text, '../media/sheet.pdf')}:")
    says(error, "not a video file", "mp4")


def test_captions_that_are_not_webvtt(content: Content) -> None:
    content.write(f"{DEMO}/media/clip.fr.vtt", "1\n00:00:00,000 --> 00:00:02,000\nBonjour\n")
    text = content.read(FIRST)
    error = content.error_at(f"{FIRST}:{at(text, '../media/clip.fr.vtt')}:")
    says(error, "WebVTT", "WEBVTT")


# --- 5. duplicates ------------------------------------------------------------------------------

def test_two_modules_with_the_same_id(content: Content) -> None:
    shutil.copytree(content.path(INTRO), content.path(f"{DEMO}/03-intro"))
    error = content.error_at(f"{DEMO}/03-intro: ")
    says(error, "'intro'", "twice", "01-intro", "different name")


def test_two_sequences_with_the_same_id(content: Content) -> None:
    content.write(f"{DEMO}/02-suite/01-a.md", '---\ntitle: "A"\n---\nText.\n')
    content.write(f"{DEMO}/02-suite/02-a.md", '---\ntitle: "A again"\n---\nText.\n')
    error = content.error_at(f"{DEMO}/02-suite/02-a.md: ")
    says(error, "'a'", "twice", "01-a.md", "different name")


@pytest.mark.parametrize(
    ("rel", "old", "new", "first", "second"),
    [
        (f"{DEMO}/course.yml", 'audience: "Habitants"\n', 'audience: "Habitants"\ntitle: "Again"\n',
         'title: "Demo', 'title: "Again'),
        (f"{DEMO}/course.yml", "  end: 2018-01-31\n", "  end: 2018-01-31\n  start: 2017-11-15\n",
         "start: 2017-11-14", "start: 2017-11-15"),
        (FIRST, "quiz: first.quiz.yml\n", "quiz: first.quiz.yml\nduration: 6min\n", "duration: 5min",
         "duration: 6min"),
        (QUIZ, '{text: "B", feedback: "No"}', '{text: "B", feedback: "No", text: "C"}', 'text: "B"', 'text: "C"'),
    ],
)
def test_key_given_twice(content: Content, rel: str, old: str, new: str, first: str, second: str) -> None:
    text = content.replace(rel, old, new)
    key = first.split(":")[0]
    first_line = at(text, first).split(":")[0]
    error = content.error_at(f"{rel}:{at(text, second)}:")
    says(error, f"'{key}'", "twice", f"first at line {first_line}", "keep only one")


# --- 6. paths that leave the content tree -------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("../../../../etc/passwd", ["leaves the content folder", "inside the content folder"]),
        ("../../../../../../../../../../etc/passwd", ["leaves the content folder"]),
        ("../../../../outside.pdf", ["leaves the content folder"]),
        ("/etc/passwd", ["absolute", "relative to this file"]),
        ("..\\media\\sheet.pdf", ["backslash", "with /"]),
        ("C:\\Windows\\win.ini", ["not a local file"]),
        ("file:///etc/passwd", ["not a local file"]),
    ],
)
def test_resource_path_leaving_the_content(content: Content, raw: str, words: list[str]) -> None:
    quoted = '"' + raw.replace("\\", "\\\\") + '"'
    (content.tmp / "outside.pdf").write_bytes(b"%PDF-1.4")
    text = content.replace(FIRST, "{src: ../media/sheet.pdf,", f"{{src: {quoted},")
    error = content.error_at(f"{FIRST}:{at(text, quoted)}:")
    says(error, *words)


@pytest.mark.parametrize("captions", ["[../media/clip.fr.vtt]", "../media/clip.fr.vtt"])
def test_captions_must_be_a_mapping(content: Content, captions: str) -> None:
    text = content.replace(FIRST, "captions: {fr: ../media/clip.fr.vtt}", f"captions: {captions}")
    error = content.error_at(f"{FIRST}:{at(text, captions)}:")
    says(error, "mapping", "fr:")


def test_absolute_logo_path(content: Content) -> None:
    text = content.replace("content/site.yml", "logo: media/logo.svg", "logo: /etc/passwd")
    error = content.error_at(f"content/site.yml:{at(text, '/etc/passwd')}:")
    says(error, "absolute")


def test_symlinked_media_pointing_outside(content: Content) -> None:
    outside = content.tmp / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4 secret")
    os.symlink(outside, content.path(f"{DEMO}/media/evil.pdf"))
    text = content.replace(FIRST, "{src: ../media/sheet.pdf,", "{src: ../media/evil.pdf,")
    error = content.error_at(f"{FIRST}:{at(text, '../media/evil.pdf')}:")
    says(error, "symlink", "outside the content folder")


def test_symlinked_video_through_a_symlinked_folder(content: Content) -> None:
    outside = content.tmp / "elsewhere"
    outside.mkdir()
    (outside / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    os.symlink(outside, content.path(f"{DEMO}/media/linked"))
    text = content.replace(FIRST, "src: ../media/clip.mp4", "src: ../media/linked/clip.mp4")
    error = content.error_at(f"{FIRST}:{at(text, '../media/linked/clip.mp4')}:")
    says(error, "symlink", "outside the content folder")


def test_symlinked_sequence_file_pointing_outside(content: Content) -> None:
    outside = content.tmp / "outside.md"
    outside.write_text('---\ntitle: "Outside"\n---\nSecret.\n', encoding="utf-8")
    os.symlink(outside, content.path(f"{DEMO}/02-suite/02-outside.md"))
    error = content.error_at(f"{DEMO}/02-suite/02-outside.md: ")
    says(error, "symlink", "outside the content folder")


def test_symlinked_module_folder_pointing_outside(content: Content) -> None:
    outside = content.tmp / "outside-module"
    shutil.copytree(content.path(f"{DEMO}/02-suite"), outside)
    os.symlink(outside, content.path(f"{DEMO}/03-outside"))
    error = content.error_at(f"{DEMO}/03-outside: ")
    says(error, "symlink", "outside the content folder")


def test_symlinked_course_folder_pointing_outside(content: Content) -> None:
    outside = content.tmp / "outside-course"
    shutil.copytree(content.path(DEMO), outside)
    os.symlink(outside, content.path("content/courses/other"))
    error = content.error_at("content/courses/other: ")
    says(error, "symlink", "outside the content folder")


def test_symlink_inside_the_content_is_accepted(content: Content) -> None:
    os.symlink("clip.svg", content.path(f"{DEMO}/media/poster.svg"))
    content.replace(FIRST, "poster: ../media/clip.svg", "poster: ../media/poster.svg")
    content.clean()


# --- 7. encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"Caf\xe9 au lait.", "4:4"),
        (b"Une deuxi\xe8me ligne", "4:10"),
        ("Déjà vu, ".encode() + b"caf\xe9", "4:13"),  # columns count characters, not bytes
    ],
)
def test_latin1_bytes_in_a_sequence(content: Content, line: bytes, expected: str) -> None:
    content.write(SECOND, b'---\ntitle: "Second"\n---\n' + line + b"\n\nMore text.\n")
    error = content.error_at(f"{SECOND}:{expected}:")
    says(error, "UTF-8", "save")


def test_latin1_bytes_in_front_matter(content: Content) -> None:
    content.write(SECOND, b'---\ntitle: "Deuxi\xe8me"\n---\nText.\n')
    error = content.error_at(f"{SECOND}:2:14:")
    says(error, "not UTF-8")


def test_latin1_course_yml(content: Content) -> None:
    text = content.read(f"{DEMO}/course.yml")
    content.write(f"{DEMO}/course.yml", text.encode("latin-1"))
    # The first non-ASCII character is the é of 'Comédien' in the credits.
    error = content.error_at(f"{DEMO}/course.yml:{at(text, 'é')}:")
    says(error, "UTF-8")


@pytest.mark.parametrize("rel", ["content/site.yml", f"{DEMO}/course.yml", f"{INTRO}/module.yml", FIRST, QUIZ,
                                 f"{DEMO}/media/clip.fr.md", f"{DEMO}/media/clip.fr.vtt"])
def test_a_byte_order_mark_is_accepted(content: Content, rel: str) -> None:
    content.path(rel).write_bytes(b"\xef\xbb\xbf" + content.path(rel).read_bytes())
    site = content.clean()
    assert site.title == "Demo site"
    course = site.courses[0]
    assert course.title == "Demo course"
    assert course.modules[0].title == "Introduction"
    assert course.modules[0].sequences[0].title == "First sequence"
    assert course.modules[0].sequences[0].quiz is not None


def test_crlf_line_endings_keep_positions(content: Content) -> None:
    text = content.replace(f"{INTRO}/module.yml", "week: 1", "week: deux")
    content.path(f"{INTRO}/module.yml").write_bytes(text.replace("\n", "\r\n").encode())
    error = content.error_at(f"{INTRO}/module.yml:{at(text, 'deux')}:")
    says(error, "whole number")


# --- 8. empty and missing trees -----------------------------------------------------------------

def test_empty_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    site, report = check(Path("content"))
    assert site is None
    says(find(report.errors, "content/site.yml: "), "not found")
    says(find(report.errors, "content/courses: "), "courses/")


def test_missing_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    site, report = check(Path("content"))
    assert site is None
    assert len(report.errors) == 1, listing(report.errors)
    says(find(report.errors, "content: "), "content folder not found", "site.yml")


def test_content_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").write_text("title: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    site, report = check(Path("content"))
    assert site is None
    find(report.errors, "content: ")


def test_site_yml_but_no_courses_folder(content: Content) -> None:
    content.remove("content/courses")
    error = content.error_at("content/courses: ")
    says(error, "no courses/ folder", "course.yml")


def test_empty_courses_folder(content: Content) -> None:
    content.remove("content/courses")
    content.path("content/courses").mkdir()
    error = content.error_at("content/courses: ")
    says(error, "no courses")


def test_empty_site_yml(content: Content) -> None:
    content.write("content/site.yml", "")
    errors = content.errors()
    says(find(errors, "content/site.yml:1:1:"), "'title'", "missing")


# --- 9. licences --------------------------------------------------------------------------------

@pytest.mark.parametrize("wrong", ["CC-BY-NC-ND-5.0", "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0", "CC-BY-NC-ND"])
def test_unknown_licence_suggests_the_closest(content: Content, wrong: str) -> None:
    text = content.replace("content/site.yml", "licence: CC-BY-NC-ND-4.0", f'licence: "{wrong}"')
    error = content.error_at(f"content/site.yml:{at(text, chr(34) + wrong)}:")
    says(error, f"unknown licence '{wrong}'", "did you mean 'CC-BY-NC-ND-4.0'")


def test_unknown_licence_of_a_resource(content: Content) -> None:
    text = content.replace(FIRST, "licence: CC-BY-4.0", "licence: CC-BY-4")
    error = content.error_at(f"{FIRST}:{at(text, 'CC-BY-4,')}:")
    says(error, "unknown licence", "CC-BY-4.0")


def test_licence_ref_without_url(content: Content) -> None:
    text = content.replace("content/site.yml", "licence: CC-BY-NC-ND-4.0", "licence: LicenseRef-Foo")
    error = content.error_at(f"content/site.yml:{at(text, 'LicenseRef-Foo')}:")
    says(error, "LicenseRef-Foo", "licence_url")


def test_licence_ref_with_url(content: Content) -> None:
    content.replace("content/site.yml", "licence: CC-BY-NC-ND-4.0",
                    'licence: LicenseRef-Foo\nlicence_url: "https://example.org/licence"')
    site = content.clean()
    assert site.rights is not None
    assert site.rights.licence.id == "LicenseRef-Foo"
    assert site.rights.licence.url == "https://example.org/licence"
    first = site.courses[0].modules[0].sequences[0]
    assert first.rights.licence.id == "LicenseRef-Foo"


def test_no_licence_anywhere_is_an_error(content: Content) -> None:
    content.replace("content/site.yml", "licence: CC-BY-NC-ND-4.0\n", "")
    site, report = content.check()
    assert site is None
    error = find(report.errors, f"{DEMO}/course.yml")
    says(error, "no licence", "licence: CC-BY-NC-ND-4.0")


def test_licence_on_every_module_is_enough(content: Content) -> None:
    content.replace("content/site.yml", "licence: CC-BY-NC-ND-4.0\n", "")
    content.replace(f"{INTRO}/module.yml", "week: 1\n", "week: 1\nlicence: CC-BY-4.0\n")
    site = content.clean()
    assert site.courses[0].modules[0].sequences[0].rights.licence.id == "CC-BY-4.0"
    assert site.courses[0].modules[1].sequences[0].rights.licence.id == "CC-BY-SA-4.0"


# --- 10. YAML read as authors mean it -----------------------------------------------------------

def test_duration_written_as_minutes_and_seconds(content: Content) -> None:
    content.replace(FIRST, 'duration: "0:30"', "duration: 4:30")
    site = content.clean()
    video = site.courses[0].modules[0].sequences[0].videos[0]
    assert video.duration == dt.timedelta(minutes=4, seconds=30)


@pytest.mark.parametrize(("written", "expected"), [("1h30", 90), ("90s", 1.5), ("1:02:30", 62.5), ("15 min", 15)])
def test_sequence_duration_forms(content: Content, written: str, expected: float) -> None:
    content.replace(FIRST, "duration: 5min", f"duration: {written}")
    site = content.clean()
    declared = site.courses[0].modules[0].sequences[0].declared_duration
    assert declared == dt.timedelta(minutes=expected)


def test_text_answers_stay_words(content: Content) -> None:
    content.replace(QUIZ, 'answers: ["19", "dix-neuf"]', "answers: [no, oui, 1.10, ~x, 019]")
    site = content.clean()
    quiz = site.courses[0].modules[0].sequences[0].quiz
    assert quiz is not None
    assert quiz.questions[2].answers == ("no", "oui", "1.10", "~x", "019")


@pytest.mark.parametrize(("written", "expected"), [("no", False), ("non", False), ("false", False),
                                                   ("oui", True), ("yes", True), ("True", True)])
def test_true_false_answer_words(content: Content, written: str, expected: bool) -> None:
    content.replace(QUIZ, "answer: no", f"answer: {written}")
    site = content.clean()
    quiz = site.courses[0].modules[0].sequences[0].quiz
    assert quiz is not None
    assert quiz.questions[1].answer_bool is expected


@pytest.mark.parametrize("title", ["1.10", "yes", "no", "2017-11-14", "0x10", "1e3", "on", "12:30"])
def test_a_title_stays_the_text_written(content: Content, title: str) -> None:
    content.replace(f"{INTRO}/module.yml", 'title: "Introduction"', f"title: {title}")
    content.replace(FIRST, 'title: "First sequence"', f"title: {title}")
    site = content.clean()
    assert site.courses[0].modules[0].title == title
    assert site.courses[0].modules[0].sequences[0].title == title


def test_pass_mark_forms(content: Content) -> None:
    content.replace(f"{DEMO}/course.yml", "pass_mark: 30%", "pass_mark: 0.5")
    site = content.clean()
    assert site.courses[0].pass_mark == 0.5


# --- 11. links and HTML safety ------------------------------------------------------------------

def test_link_to_a_missing_sequence_at_its_line_and_column(content: Content) -> None:
    text = content.write(SECOND, '---\ntitle: "Second sequence"\nduration: 2min\n---\n'
                                 "First paragraph.\n\nSee also [x](09-nope.md) here.\n")
    assert at(text, "09-nope.md") == "7:14"
    error = content.error_at(f"{SECOND}:7:14:")
    says(error, "09-nope.md", "no such sequence", "existing sequence")


def test_link_to_a_symlink_loop_is_an_error_not_a_crash(content: Content) -> None:
    loop = content.path(f"{DEMO}/09-loop.md")
    os.symlink(loop, loop)
    text = content.write(SECOND, '---\ntitle: "Second sequence"\nduration: 2min\n---\n'
                                 "See [x](../09-loop.md) here.\n")
    error = content.error_at(f"{SECOND}:{at(text, '../09-loop.md')}:")
    says(error, "09-loop.md", "no such sequence")


def test_link_on_the_second_line_of_a_paragraph(content: Content) -> None:
    text = content.write(SECOND, '---\ntitle: "Second sequence"\n---\n'
                                 "# Title\n\nA paragraph that goes on\nand links [to nowhere](../02-suite/05-x.md).\n\n"
                                 "- item\n- item with [a bad link](99-bad.md)\n")
    content.error_at(f"{SECOND}:{at(text, '../02-suite/05-x.md')}:")
    content.error_at(f"{SECOND}:{at(text, '99-bad.md')}:")


def test_missing_image_in_a_sequence(content: Content) -> None:
    text = content.replace(FIRST, "![Un schéma](../media/clip.svg)", "![Un schéma](../media/schema.svg)")
    error = content.error_at(f"{FIRST}:{at(text, '../media/schema.svg')}:")
    says(error, "../media/schema.svg", "not found")


@pytest.mark.parametrize(("target", "words"), [("/courses/demo/", ["starts with '/'", "relative"]),
                                               ("//example.org/x", ["no scheme", "https://"])])
def test_link_starting_with_a_slash(content: Content, target: str, words: list[str]) -> None:
    text = content.replace(SECOND, "Back to [the first]", f"See [root]({target}).\n\nBack to [the first]")
    error = content.error_at(f"{SECOND}:{at(text, target)}:")
    says(error, *words)


@pytest.mark.parametrize("quote", ["", '"'])
def test_link_in_a_yaml_markdown_field_at_its_column(content: Content, quote: str) -> None:
    text = content.replace(f"{INTRO}/module.yml", 'discussion: "Qu\'est-ce qui vous surprend dans votre facture ?"',
                           f"discussion: {quote}Voir [la suite](09-nope.md){quote}")
    error = content.error_at(f"{INTRO}/module.yml:{at(text, '09-nope.md')}:")
    says(error, "09-nope.md")


def test_link_in_a_block_yaml_field_at_its_line(content: Content) -> None:
    text = content.replace(f"{INTRO}/module.yml", 'discussion: "Qu\'est-ce qui vous surprend dans votre facture ?"',
                           "discussion: |\n  Une question.\n\n  Voir [la suite](09-nope.md).")
    content.error_at(f"{INTRO}/module.yml:{at(text, '09-nope.md')}:")



@pytest.mark.parametrize(("written", "ident"), [("{#quiz}\n## A section", "#quiz"),
                                                ("## A section\n\nUn [passage]{id=mooc-quiz}.", "id=mooc-quiz"),
                                                ("## A section\n\nUn [passage]{lang=en id=\"content\"}.", "id=")])
def test_an_id_the_page_uses_is_an_error_at_its_place(content: Content, written: str, ident: str) -> None:
    # The page's scripts find their data by id: a {#mooc-quiz} of the author's would be found instead.
    text = content.replace(FIRST, "## A section", written)
    error = content.error_at(f"{FIRST}:{at(text, ident)}:")
    says(error, ident.removeprefix("#").removeprefix("id=") or "content", "used by the page itself",
         "choose another id", "mooc-")


def test_an_id_the_page_uses_in_a_yaml_markdown_field_is_at_its_column(content: Content) -> None:
    text = content.replace(f"{INTRO}/module.yml", 'discussion: "Qu\'est-ce qui vous surprend dans votre facture ?"',
                           'discussion: "Voir [ici]{#quiz-title}"')
    says(content.error_at(f"{INTRO}/module.yml:{at(text, '#quiz-title')}:"), "quiz-title", "used by the page")

HOSTILE_BODY = """\
[js](javascript:alert(1)) [JS](JavaScript:alert(1)) [sp]( javascript:alert(1))
[vb](vbscript:msgbox(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[ent](&#106;avascript:alert(1)) [nl](&#10;javascript:alert(1)) <javascript:alert(1)>
![img](javascript:alert(1)) [ref][r]

[r]: javascript:alert(1)

<a href="javascript:alert(1)">raw</a>

[ok](01-first.md){onclick="pwned()" .fine}

## A heading {onmouseover="pwned()"}

{onclick="pwned()" style="background:url(javascript:alert(1))"}
A paragraph with attributes.

Text *em*{onfocus="pwned()" tabindex="1"}.

<script>alert(1)</script>

<img src=x onerror="pwned()">
"""


def _build(content: Content) -> dict[str, BeautifulSoup]:
    out = content.tmp / "out"
    result = build(BuildOptions(content.root, out))
    assert result.ok, listing(result.report.errors)
    return {p.relative_to(out).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in sorted(out.rglob("*.html"))}


def _dangerous(pages: dict[str, BeautifulSoup]) -> list[str]:
    found = []
    for name, soup in pages.items():
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                squashed = "".join(text.split()).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:text/html")):
                    found.append(f"{name}: <{tag.name} {attr}={text!r}>")
                if attr.lower().startswith("on") and ("pwned" in text or "alert" in text):
                    found.append(f"{name}: <{tag.name} {attr}={text!r}>")
                if attr == "style" and "javascript" in text.lower():
                    found.append(f"{name}: <{tag.name} style={text!r}>")
        for script in soup.find_all("script"):
            if script.get("type") in ("application/ld+json", "application/json"):
                continue  # data, never run: text in it is harmless as long as it cannot close the element
            if "alert(1)" in script.get_text():
                found.append(f"{name}: <script>{script.get_text()}</script>")
    return found


def test_hostile_markdown_builds_safe_html(content: Content) -> None:
    content.write(SECOND, '---\ntitle: "Second sequence"\n---\n' + HOSTILE_BODY)
    content.replace(f"{INTRO}/module.yml", 'discussion: "Qu\'est-ce qui vous surprend dans votre facture ?"',
                    'discussion: "[js](javascript:alert(1)) <script>alert(1)</script>"')
    content.replace(QUIZ, 'prompt: "Which one?"', 'prompt: "[js](javascript:alert(1)) <b onclick=\'pwned()\'>x</b>"')
    content.replace(QUIZ, 'feedback: "Yes"', 'feedback: "[vb](vbscript:msgbox(1))"')
    content.write(f"{DEMO}/media/clip.fr.md", "[js](javascript:alert(1)) <script>alert(1)</script>\n")
    pages = _build(content)
    assert "demo/intro/second/index.html" in pages
    assert _dangerous(pages) == []
    second = pages["demo/intro/second/index.html"]
    # Raw HTML is shown as text, not dropped silently.
    assert "<script>alert(1)</script>" in second.get_text()


def test_raw_html_is_kept_with_allow_html(content: Content) -> None:
    content.write("content/site.yml", content.read("content/site.yml") + "allow_html: true\n")
    content.write(SECOND, '---\ntitle: "Second sequence"\n---\nBefore.\n\n<script>alert(1)</script>\n\n'
                          '<div class="box">Boxed</div>\n')
    pages = _build(content)
    second = pages["demo/intro/second/index.html"]
    assert any("alert(1)" in s.get_text() for s in second.find_all("script"))
    assert second.find("div", class_="box") is not None


@pytest.mark.parametrize("flag", ["false", "non", "no"])
def test_raw_html_is_escaped_without_allow_html(content: Content, flag: str) -> None:
    content.write("content/site.yml", content.read("content/site.yml") + f"allow_html: {flag}\n")
    content.write(SECOND, '---\ntitle: "Second sequence"\n---\n<script>alert(1)</script>\n\n'
                          '<div class="box">Boxed</div>\n')
    pages = _build(content)
    second = pages["demo/intro/second/index.html"]
    assert not any("alert(1)" in s.get_text() for s in second.find_all("script"))
    assert second.find("div", class_="box") is None
    assert "<script>alert(1)</script>" in second.get_text()


def test_attribute_syntax_cannot_add_event_handlers(content: Content) -> None:
    content.write(SECOND, '---\ntitle: "Second sequence"\n---\n'
                          '[ok](01-first.md){onclick="pwned()" .fine lang=fr}\n\n'
                          '{onclick="pwned()" .para}\nA paragraph.\n\n'
                          '![i](../media/clip.svg){onload="pwned()" width=5}\n')
    pages = _build(content)
    second = pages["demo/intro/second/index.html"]
    assert _dangerous({"second": second}) == []
    link = second.find("a", class_="fine")
    assert link is not None and link.get("lang") == "fr", "allowed attributes are kept"


# --- 12. quizzes --------------------------------------------------------------------------------

def _quiz(content: Content, question: str) -> str:
    return content.write(QUIZ, 'title: "Quiz"\nquestions:\n' + question)


@pytest.mark.parametrize(
    ("question", "anchor", "words"),
    [
        ("  - type: single\n    prompt: P\n    choices:\n      - {text: A}\n      - {text: B}\n",
         "- {text: A}", ["exactly one correct", "found 0", "correct: true"]),
        ("  - type: single\n    prompt: P\n    choices:\n      - {text: A, correct: true}\n"
         "      - {text: B, correct: oui}\n", "- {text: A", ["exactly one correct", "found 2", "multiple"]),
        ("  - type: multiple\n    prompt: P\n    choices: [{text: A}, {text: B}]\n",
         "[{text: A}", ["at least one correct"]),
        ("  - type: single\n    prompt: P\n    choices: [{text: A, correct: true}]\n",
         "[{text: A", ["at least two choices"]),
        ("  - type: text\n    prompt: P\n    answers: []\n", "[]", ["at least one accepted answer", "answers:"]),
        ("  - type: text\n    prompt: P\n    answers: ['', ' ']\n", "[''", ["at least one accepted answer"]),
        ("  - type: numeric\n    prompt: P\n    answer: 19\n    tolerance: -1\n", "-1", ["tolerance", "below 0"]),
        ("  - type: singel\n    prompt: P\n    choices: [{text: A, correct: true}, {text: B}]\n", "singel",
         ["'singel'", "did you mean 'single'"]),
        ("  - type: single\n    prompt: P\n    choices: [{text: A, correct: true}, {text: B}]\n"
         "    answers: [A]\n", "answers:", ["'answers' does not apply to a question of type single"]),
        ("  - type: true_false\n    prompt: P\n    answer: true\n    choices: [{text: A}, {text: B}]\n",
         "choices:", ["'choices' does not apply to a question of type true_false"]),
        ("  - type: true_false\n    prompt: P\n    answer: peut-être\n", "peut-être", ["true or false"]),
        ("  - type: numeric\n    prompt: P\n    answer: 19\n    points: -2\n", "-2", ["too small"]),
        ("  - prompt: P\n    answer: 19\n", "prompt", ["type", "missing", "type: single"]),
    ],
)
def test_quiz_question_errors(content: Content, question: str, anchor: str, words: list[str]) -> None:
    text = _quiz(content, question)
    error = content.error_at(f"{QUIZ}:{at(text, anchor)}:")
    says(error, *words)


def test_text_question_without_answers_key(content: Content) -> None:
    text = _quiz(content, "  - type: text\n    prompt: P\n")
    error = content.error_at(f"{QUIZ}:{at(text, 'type: text')}:")
    says(error, "at least one accepted answer")


def test_quiz_used_by_two_sequences(content: Content) -> None:
    text = content.write(SECOND, '---\ntitle: "Second"\nquiz: first.quiz.yml\n---\nText.\n')
    error = content.error_at(f"{SECOND}:{at(text, 'first.quiz.yml')}:")
    says(error, "already used by", "01-first.md", "its own quiz")


def test_quiz_without_questions(content: Content) -> None:
    text = content.write(QUIZ, 'title: "Quiz"\n')
    error = content.error_at(f"{QUIZ}:{at(text, 'title')}:")
    says(error, "questions", "missing")


def test_quiz_in_another_module_is_found_by_relative_path(content: Content) -> None:
    content.write(f"{DEMO}/02-suite/01-third.md", '---\ntitle: "Third"\nquiz: ../01-intro/first.quiz.yml\n---\nx\n')
    content.replace(FIRST, "quiz: first.quiz.yml\n", "")
    site = content.clean()
    assert site.courses[0].modules[1].sequences[0].quiz is not None


# --- 13. sessions -------------------------------------------------------------------------------

def test_session_ending_before_it_starts(content: Content) -> None:
    text = content.replace(f"{DEMO}/course.yml", "end: 2018-01-31", "end: 2017-01-31")
    error = content.error_at(f"{DEMO}/course.yml:{at(text, '2017-01-31')}:")
    says(error, "ends", "before it starts")


def test_enrolment_closing_after_the_end(content: Content) -> None:
    text = content.replace(f"{DEMO}/course.yml", "enrol_until: 2017-12-26", "enrol_until: 2018-02-26")
    error = content.error_at(f"{DEMO}/course.yml:{at(text, '2018-02-26')}:")
    says(error, "enrolment closes", "after the session ends", "on or before")


def test_errors_in_a_list_of_sessions(content: Content) -> None:
    text = content.replace(
        f"{DEMO}/course.yml",
        'session:\n  start: 2017-11-14\n  enrol_until: 2017-12-26\n  end: 2018-01-31\n'
        '  enrol_url: "https://example.org/enrol"\n',
        "sessions:\n  - {name: A, start: 2017-11-14, end: 2018-01-31}\n"
        "  - {name: B, start: 2018-11-14, end: 2018-01-31}\n  - {name: C, end: 2019-01-31}\n",
    )
    errors = content.errors()
    says(find(errors, f"{DEMO}/course.yml:{at(text, '2018-01-31', 2)}:"), "before it starts")
    says(find(errors, f"{DEMO}/course.yml:{at(text, '{name: C')}:"), "start", "missing")


# --- 14. every error in one run -----------------------------------------------------------------

def _five_errors(content: Content) -> list[str]:
    site_yml = content.replace("content/site.yml", "licence: CC-BY-NC-ND-4.0", "licence: CC-BY-NC-ND-5.0")
    course = content.replace(f"{DEMO}/course.yml", "pass_mark: 30%", "pass_mark: 30")
    module = content.replace(f"{DEMO}/02-suite/module.yml", 'title: "Suite"', 'titel: "Suite"')
    second = content.replace(SECOND, "[suite](../02-suite/01-third.md)", "[suite](../02-suite/01-thrid.md)")
    quiz = content.replace(QUIZ, "type: true_false", "type: vrai_faux")
    return [
        f"content/site.yml:{at(site_yml, 'CC-BY-NC-ND-5.0')}:",
        f"{DEMO}/course.yml:{at(course, '30')}:",
        f"{DEMO}/02-suite/module.yml:{at(module, 'titel')}:",
        f"{SECOND}:{at(second, '../02-suite/01-thrid.md')}:",
        f"{QUIZ}:{at(quiz, 'vrai_faux')}:",
    ]


def test_every_error_is_reported_in_one_run(content: Content) -> None:
    expected = _five_errors(content)
    site, report = content.check()
    assert site is None
    for prefix in expected:
        find(report.errors, prefix)


# --- 15. the command line -----------------------------------------------------------------------

def test_cli_check_clean_tree_exits_0(content: Content) -> None:
    result = CliRunner().invoke(cli, ["check", "content"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout
    assert result.stderr == ""


def test_cli_check_lists_every_error_on_stderr_and_exits_1(content: Content) -> None:
    expected = _five_errors(content)
    result = CliRunner().invoke(cli, ["check", "content"])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    for prefix in expected:
        assert any(line.startswith(prefix) and "; " in line for line in lines), f"{prefix} not in:\n{result.stderr}"
    assert "OK" not in result.stdout


def test_cli_build_with_errors_writes_nothing(content: Content) -> None:
    content.replace(f"{DEMO}/course.yml", "pass_mark: 30%", "pass_mark: 30")
    result = CliRunner().invoke(cli, ["build", "content", "-o", "out"])
    assert result.exit_code == 1
    assert f"{DEMO}/course.yml:6:12: expected a percentage" in result.stderr
    assert not (content.tmp / "out").exists()


def test_cli_strict_turns_a_warning_into_a_failure(content: Content) -> None:
    text = content.replace(FIRST, "    captions: {fr: ../media/clip.fr.vtt}\n", "")
    runner = CliRunner()
    relaxed = runner.invoke(cli, ["check", "content"])
    assert relaxed.exit_code == 0, relaxed.output
    says_warning = [line for line in relaxed.stderr.splitlines() if "captions" in line]
    assert says_warning and says_warning[0].strip().startswith(f"{FIRST}:{at(text, '../media/clip.mp4')}:")
    strict = runner.invoke(cli, ["check", "--strict", "content"])
    assert strict.exit_code == 1, strict.output
    assert "captions" in strict.stderr
    build_strict = runner.invoke(cli, ["build", "--strict", "content", "-o", "out"])
    assert build_strict.exit_code == 1
    assert not (content.tmp / "out").exists()
    build_relaxed = runner.invoke(cli, ["build", "content", "-o", "out"])
    assert build_relaxed.exit_code == 0, build_relaxed.output
    assert (content.tmp / "out" / "index.html").is_file()


def test_real_console_script_prints_positions(content: Content) -> None:
    content.replace(f"{INTRO}/module.yml", "week: 1", "week: deux")
    run = subprocess.run([str(MOOC), "check", "content"], capture_output=True, text=True, cwd=content.tmp,
                         timeout=60, check=False)
    assert run.returncode == 1
    assert f"{INTRO}/module.yml:2:7: expected a whole number, found 'deux'; " in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_real_console_script_flushes_and_keeps_exit_codes(content: Content) -> None:
    # `mooc` ends without tearing its heap down (cli._exit_at_once, os._exit): what it printed must still come
    # out whole, and click's exit codes must still be its exit codes.
    built = subprocess.run([str(MOOC), "build", "content", "-o", "out"], capture_output=True, text=True,
                           cwd=content.tmp, timeout=60, check=False)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built ") and built.stdout.endswith("\n"), built.stdout
    assert (content.tmp / "out" / "index.html").is_file()
    usage = subprocess.run([str(MOOC), "build", "--no-such-option"], capture_output=True, text=True,
                           cwd=content.tmp, timeout=60, check=False)
    assert usage.returncode == 2
    assert "No such option" in usage.stderr


# --- robustness: broken trees through the real `mooc` command -----------------------------------

BILLION_LAUGHS = "".join(
    ['l0: &l0 "lol"\n'] + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)]
)


def _broken_trees() -> dict[str, Callable[[Content], object]]:
    def write(rel: str, data: str | bytes) -> Callable[[Content], object]:
        return lambda c: c.write(rel, data)

    def replace(rel: str, old: str, new: str) -> Callable[[Content], object]:
        return lambda c: c.replace(rel, old, new)

    def folder(rel: str) -> Callable[[Content], object]:
        def make(c: Content) -> None:
            if c.path(rel).exists():
                c.remove(rel)
            c.path(rel).mkdir(parents=True)
        return make

    def loop(c: Content) -> None:
        os.symlink("03-loop.md", c.path(f"{INTRO}/03-loop.md"))

    def module_loop(c: Content) -> None:
        os.symlink(".", c.path(f"{INTRO}/media"))
        os.symlink("04-self", c.path(f"{DEMO}/04-self"))

    def courses_file(c: Content) -> None:
        c.remove("content/courses")
        c.write("content/courses", "x\n")

    return {
        "binary-site-yml": write("content/site.yml", bytes(range(256)) * 8),
        "nul-in-course-yml": write(f"{DEMO}/course.yml", b"title: a\x00b\n"),
        "course-yml-is-a-list": write(f"{DEMO}/course.yml", "- title: a\n- b\n"),
        "course-yml-is-a-scalar": write(f"{DEMO}/course.yml", "just some words\n"),
        "questions-is-a-string": write(QUIZ, 'title: Q\nquestions: "what?"\n'),
        "questions-is-a-mapping": write(QUIZ, "title: Q\nquestions: {type: single, prompt: P}\n"),
        "choices-are-strings": write(QUIZ, "questions:\n  - {type: single, prompt: P, choices: [A, B]}\n"),
        "billion-laughs": write(QUIZ, BILLION_LAUGHS + "title: *l9\nquestions: *l9\n"),
        "recursive-alias": write(f"{INTRO}/module.yml", "title: &t [*t]\nobjectives: &a [*a]\n"
                                 "discussion: &d {x: *d}\n"),
        "deep-nesting": write(f"{DEMO}/course.yml", "title: " + "[" * 5000 + "]" * 5000 + "\n"),
        "sequence-is-a-folder": folder(f"{INTRO}/03-folder.md"),
        "empty-md": write(SECOND, ""),
        "md-only-dashes": write(SECOND, "---\n"),
        "front-matter-is-a-list": write(SECOND, "---\n- a\n- b\n---\nText\n"),
        "module-yml-is-a-folder": folder(f"{INTRO}/module.yml"),
        "site-yml-is-a-folder": folder("content/site.yml"),
        "quiz-is-a-folder": folder(QUIZ),
        "captions-as-list": replace(FIRST, "captions: {fr: ../media/clip.fr.vtt}",
                                    "captions: [../media/clip.fr.vtt]"),
        "captions-as-string": replace(FIRST, "captions: {fr: ../media/clip.fr.vtt}",
                                      "captions: ../media/clip.fr.vtt"),
        "videos-are-strings": replace(FIRST, "videos:\n", "videos: [clip.mp4, 42]\nx:\n"),
        "key-is-a-list": write("content/site.yml", "? [a, b]\n: c\ntitle: T\nlicence: CC0-1.0\n"),
        "symlink-loop": loop,
        "media-and-module-loops": module_loop,
        "courses-is-a-file": courses_file,
        "latin1-sequence": write(SECOND, b"---\ntitle: Caf\xe9\n---\n\xe9\n"),
    }


BROKEN = _broken_trees()


@pytest.fixture(scope="module")
def broken_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, int, str, Path]]]:
    """Run `mooc check` and `mooc build` on every broken tree, a few processes at a time."""
    base = tmp_path_factory.mktemp("broken")
    jobs = []
    for name, breaker in BROKEN.items():
        tmp = base / name
        tmp.mkdir()
        shutil.copytree(FIXTURE, tmp / "content", symlinks=True)
        breaker(Content(tmp))
        jobs.append((name, "check", [str(MOOC), "check", "content"], tmp))
        jobs.append((name, "build", [str(MOOC), "build", "content", "-o", str(tmp / "out")], tmp))
    env = {k: v for k, v in os.environ.items() if k != "MOOC_DEBUG"}

    def run(job: tuple[str, str, list[str], Path]) -> tuple[str, str, int, str, Path]:
        name, command, args, cwd = job
        try:
            done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=60, env=env,
                                  check=False, errors="replace")
        except subprocess.TimeoutExpired:
            return name, command, -1, "timed out after 60 s", cwd
        return name, command, done.returncode, done.stdout + done.stderr, cwd

    results: dict[str, list[tuple[str, int, str, Path]]] = {}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        for name, command, code, output, cwd in pool.map(run, jobs):
            results.setdefault(name, []).append((command, code, output, cwd))
    return results


@pytest.mark.thorough
@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_tree_never_crashes(broken_runs: dict[str, list[tuple[str, int, str, Path]]], name: str) -> None:
    runs = {command: (code, output, cwd) for command, code, output, cwd in broken_runs[name]}
    for command, (code, output, _cwd) in runs.items():
        assert "Traceback" not in output, f"mooc {command}:\n{output}"
        assert "internal error" not in output, f"mooc {command}:\n{output}"
        assert code in (0, 1), f"mooc {command} exited {code}:\n{output}"
    check_code, check_output, cwd = runs["check"]
    build_code, build_output, _ = runs["build"]
    assert build_code == check_code, f"check said {check_code}, build said {build_code}:\n{build_output}"
    if build_code == 1:
        assert not (cwd / "out").exists(), "a failed build must not create the output folder"
        # Every error line reads path[:line:col]: message; hint.
        errors = [line for line in check_output.splitlines()
                  if line.startswith("content") and not line.startswith("content: OK")]
        assert errors, check_output
        assert all(": " in line for line in errors), check_output
    else:
        assert (cwd / "out" / "index.html").is_file()
