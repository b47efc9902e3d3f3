"""Trees no author means to write, from outside (issue 20): special files, symlinks out of the tree, extreme
values, files a build would choke on. Each gives a positioned error with exit status 1, in bounded time,
never a hang, an unbounded read, an "internal error", or a `check` that says OK before a `build` that fails.

`mooc` runs as a command here, with a timeout: a hang fails the test instead of blocking the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mooc_builder.model import limits

from .sitecheck import parse
from .test_errors import DEMO, FIRST, FIXTURE, INTRO, QUIZ, Content, at

MOOC = Path(sys.executable).parent / "mooc"
SITE_YML = "content/site.yml"
THIRD = f"{DEMO}/02-suite/01-third.md"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Content:
    shutil.copytree(FIXTURE, tmp_path / "content", symlinks=True)
    monkeypatch.chdir(tmp_path)
    return Content(tmp_path)


def mooc(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`mooc ARGS` in ``cwd``; a run that does not end in ``timeout`` seconds fails the test."""
    try:
        return subprocess.run([str(MOOC), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mooc {' '.join(args)} did not end in {timeout} s")


def refused(content: Content, prefix: str, *words: str) -> None:
    """`mooc check` and `mooc build` both exit 1 with one line starting with ``prefix`` that says ``words``,
    and nothing is built."""
    for command in (["check", "content"], ["build", "content", "-o", "out", "--as-of", "2017-11-20"]):
        run = mooc(*command, cwd=content.tmp)
        lines = run.stderr.splitlines()
        assert run.returncode == 1, run.stdout + run.stderr
        assert "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr
        found = [line for line in lines if line.startswith(prefix)]
        assert found, f"no line starting with {prefix!r} in:\n{run.stderr}"
        assert all(word.lower() in found[0].lower() for word in words), found[0]
    assert not (content.tmp / "out").exists()


# --- what is read ---------------------------------------------------------------------------------

FILES = [SITE_YML, f"{DEMO}/course.yml", f"{INTRO}/module.yml", FIRST, QUIZ, f"{DEMO}/media/clip.fr.vtt",
         f"{DEMO}/media/clip.fr.md"]


@pytest.mark.parametrize("rel", FILES)
def test_a_named_pipe_where_a_file_is_expected_is_refused_not_waited_on(content: Content, rel: str) -> None:
    path = content.path(rel)
    path.unlink()
    os.mkfifo(path)
    run = mooc("check", "content", cwd=content.tmp, timeout=30)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "named pipe" in run.stderr, run.stderr
    assert "internal error" not in run.stderr


@pytest.mark.parametrize("rel", [SITE_YML, f"{DEMO}/course.yml", THIRD, QUIZ])
def test_a_symlink_to_a_device_or_out_of_the_tree_is_refused(content: Content, rel: str) -> None:
    path = content.path(rel)
    path.unlink()
    path.symlink_to("/dev/zero")  # read without limit, it never ends
    run = mooc("check", "content", cwd=content.tmp, timeout=30)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{rel}: this symlink points outside the content folder" in run.stderr \
        or f"'{Path(rel).name}' is a symlink to a file outside" in run.stderr, run.stderr


def test_site_yml_linked_from_outside_is_not_published(content: Content) -> None:
    outside = content.tmp / "elsewhere.yml"
    shutil.move(content.path(SITE_YML), outside)
    content.path(SITE_YML).symlink_to(outside)
    refused(content, f"{SITE_YML}: this symlink points outside the content folder")


def test_the_courses_folder_linked_from_outside_is_not_published(content: Content) -> None:
    outside = content.tmp / "elsewhere"
    shutil.move(content.path("content/courses"), outside)
    content.path("content/courses").symlink_to(outside, target_is_directory=True)
    refused(content, "content/courses: courses/ is a symlink to a folder outside the content folder")


def test_a_text_file_over_the_limit_is_refused_with_its_size(content: Content) -> None:
    text = content.read(FIRST)
    big = text + ("Lorem ipsum dolor sit amet. " * 40 + "\n\n") * (limits.MAX_TEXT_BYTES // 1100)
    content.write(FIRST, big)
    refused(content, f"{FIRST}: this file is ", "MB", f"up to {limits.MAX_TEXT_BYTES // 1_000_000} MB")


def test_a_caption_file_that_is_not_utf8_is_an_error_at_check(content: Content) -> None:
    """`check` said OK, then `build` ended in an internal error decoding it (to make its file:// script)."""
    data = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nBonjour l'\xe9t\xe9\n"
    content.write(f"{DEMO}/media/clip.fr.vtt", data)
    refused(content, f"{DEMO}/media/clip.fr.vtt:4:{len('Bonjour l') + 2}: this caption file is not UTF-8", "UTF-8")


@pytest.mark.parametrize("size", ['width="1e400" height="10"', 'viewBox="0 0 1e400 10"',
                                  f'width="{"9" * 400}" height="10"', 'viewBox="0 0 nan 10"'])
def test_a_drawing_whose_size_overflows_builds_without_a_size(content: Content, size: str) -> None:
    content.write(f"{DEMO}/media/clip.svg", f'<svg xmlns="http://www.w3.org/2000/svg" {size}><title>x</title></svg>')
    run = mooc("build", "content", "-o", "out", "--as-of", "2017-11-20", cwd=content.tmp)
    assert run.returncode == 0, run.stderr
    page = parse(content.tmp / "out/demo/intro/first/index.html")
    image = page.find("img", src=lambda s: s and s.endswith("clip.svg"))
    assert image is not None and image.get("width") is None


# --- values -----------------------------------------------------------------------------------------

TWELVE = "1" + "0" * 12
CASES = [
    (f"{INTRO}/module.yml", "week: 1", f"week: {TWELVE}", TWELVE, ["too large", f"1 to {limits.MAX_WEEKS}"]),
    (f"{INTRO}/module.yml", "week: 1", "week: 521", "521", ["too large", "1 to 520"]),
    (QUIZ, "points: 2", f"points: {TWELVE}", TWELVE, ["too large", f"0 to {limits.MAX_POINTS}"]),
    (QUIZ, 'title: "Quiz : intro"', f'title: "Quiz : intro"\nmax_attempts: {TWELVE}', TWELVE,
     ["too large", f"0 to {limits.MAX_ATTEMPTS}"]),
    (f"{DEMO}/course.yml", "weeks: 2", "weeks: 5000000", "5000000", ["too large", "1 to 520"]),
    (f"{DEMO}/course.yml", "per_week: 15min", "per_week: 9999h", "9999h", ["too long", "168 h"]),
    (FIRST, "duration: 5min", "duration: 9999h", "9999h", ["too long", "24 h"]),
    (FIRST, 'duration: "0:30"', f'duration: "{"9" * 5000}:00"', '"' + "9" * 5000, ["too long", "24 h"]),
    (f"{DEMO}/course.yml", "end: 2018-01-31", "end: 9999-12-31", "9999-12-31",
     ["too far in the future", f"{limits.FIRST_YEAR} and {limits.LAST_YEAR}"]),
    (f"{DEMO}/course.yml", "start: 2017-11-14", "start: 0001-01-01", "0001-01-01", ["too far in the past"]),
    (QUIZ, "answer: 19", "answer: " + "9" * 5000, "9" * 5000, ["too large"]),
    (QUIZ, "answer: 19", "answer: " + "9" * 400, "9" * 400, ["too large"]),
    (QUIZ, "answer: 19", "answer: 0.12345678901234567", "0.12345678901234567", ["too many digits", "15"]),
    (QUIZ, "tolerance: 1", "tolerance: " + "9" * 400, "9" * 400, ["too large"]),
]


@pytest.mark.parametrize(("rel", "old", "new", "value", "words"), CASES,
                         ids=[f"{c[0].rsplit('/', 1)[-1]}-{c[2][:16]}" for c in CASES])
def test_extreme_values_are_refused_at_their_place(content: Content, rel: str, old: str, new: str, value: str,
                                                   words: list[str]) -> None:
    """Each ended in an internal error (exit 3), or passed `check` and crashed `build`, or put Infinity in
    the quiz's JSON."""
    text = content.replace(rel, old, new)
    refused(content, f"{rel}:{at(text, value)}: ", *words)


def test_long_values_are_quoted_short_in_messages(content: Content) -> None:
    content.replace(QUIZ, "answer: 19", "answer: " + "9" * 5000)
    run = mooc("check", "content", cwd=content.tmp)
    line = next(line for line in run.stderr.splitlines() if "too large" in line)
    assert len(line) < 400 and "5000 characters" in line, line


def test_an_absurd_build_date_is_refused(content: Content) -> None:
    run = mooc("build", "content", "-o", "out", "--as-of", "9999-12-31", cwd=content.tmp)
    assert run.returncode == 2 and "too far in the future" in run.stderr, run.stderr
    assert "internal error" not in run.stderr and not (content.tmp / "out").exists()


# --- positions and lines ----------------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085"])
@pytest.mark.parametrize("rel", [f"{DEMO}/course.yml", FIRST])
def test_line_breaks_that_editors_do_not_show_are_errors_where_they_are(content: Content, char: str,
                                                                        rel: str) -> None:
    """PyYAML breaks lines at them where editors do not: every later line number was off by one, and in a
    plain value (U+0085) the file became 'invalid YAML' at the wrong line."""
    old = 'audience: "Habitants"' if rel.endswith("course.yml") else 'title: "First sequence"'
    new = old.replace('"', "", 2).replace(": ", f": Ha{char}bi", 1)
    text = content.replace(rel, old, new)
    error = content.error_at(f"{rel}:{at(text, char)}:")
    assert f"U+{ord(char):04X}" in str(error) and "delete it" in str(error)


def test_every_message_is_one_line(content: Content) -> None:
    content.replace(f"{DEMO}/course.yml", "pass_mark: 30%", "pass_mark: |\n  30\n  more")
    os.rename(content.path(f"{DEMO}/02-suite"), content.path(f"{DEMO}/02-su\nite"))
    run = mooc("check", "content", cwd=content.tmp)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert any(line.startswith(f"{DEMO}/course.yml:6:12: expected a percentage") for line in lines), run.stderr
    assert any(line.startswith(f"{DEMO}/02-su\\nite: module folder: 'su\\nite' is not a valid id")
               for line in lines), run.stderr
    # Every line is a message, a count, or a warning's indented line: none is the rest of a message.
    assert all(line.startswith(("content/", "  content/"))
               or line.endswith(("errors.", "error.", "warnings:", "warning:")) for line in lines), run.stderr
