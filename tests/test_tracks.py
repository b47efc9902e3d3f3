"""A video's chapters (``chapters:``) and audio description (``descriptions:``): what the loader accepts and
says, at the place it is about, in French and in English; what the build gives (the tracks in the page, the
chapter list, each WebVTT file's script beside it) and what the bundles and a SCORM package hold.

Each test changes the minimal tree (tests/test_errors.py) copied into a tmp folder."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from mooc_builder.build import BuildOptions, build
from mooc_builder.build.export import run_export
from mooc_builder.cli import cli
from mooc_builder.model import Cue, Video
from tests.test_errors import DEMO, FIRST, Content, at, content, says

__all__ = ["content"]  # the fixture, shared with tests/test_errors.py

NB = "\u00a0"
MEDIA = f"{DEMO}/media"
CHAPTERS = "WEBVTT\n\n00:00.000 --> 00:02.000\nIntroduction\n\n00:02.000 --> 00:04.000\nLe bac jaune\n"
DESCRIPTIONS = "WEBVTT\n\nNOTE what the picture shows\n\n1\n00:00.500 --> 00:01.500\nUne main ouvre le bac jaune.\n"
KEYS = "    transcript: ../media/clip.fr.md\n"


def with_tracks(content: Content, chapters: str = CHAPTERS, descriptions: str = DESCRIPTIONS,
                keys: str = "    chapters: ../media/clip.chapters.vtt\n"
                            "    descriptions: {fr: ../media/clip.desc.fr.vtt}\n") -> str:
    """The first sequence's local video with chapters and descriptions; the sequence's text."""
    content.write(f"{MEDIA}/clip.chapters.vtt", chapters)
    content.write(f"{MEDIA}/clip.desc.fr.vtt", descriptions)
    return content.replace(FIRST, KEYS, KEYS + keys)


def first_video(content: Content) -> Video:
    site = content.clean()
    return site.courses[0].sequences[0].videos[0]


def run(*args: str, lang: str = "fr") -> Result:
    return CliRunner().invoke(cli, ["--lang", lang, *args])


# --- what the loader accepts ----------------------------------------------------------------------------------

def test_chapters_and_descriptions_per_language(content: Content) -> None:
    with_tracks(content)
    video = first_video(content)
    assert video.chapters is not None and video.chapters.name == "clip.chapters.vtt"
    assert video.chapter_cues == (Cue(0.0, 2.0, "Introduction"), Cue(2.0, 4.0, "Le bac jaune"))
    assert [(d.language, d.file.name) for d in video.descriptions] == [("fr", "clip.desc.fr.vtt")]
    assert video.described_audio is None
    assert {"clip.chapters.vtt", "clip.desc.fr.vtt"} <= {f.name for f in video.files}
    assert {f.name for f in video.track_files} == {"clip.fr.vtt", "clip.chapters.vtt", "clip.desc.fr.vtt"}


def test_one_description_file_is_in_the_pages_language_and_hours_are_read(content: Content) -> None:
    with_tracks(content, chapters="WEBVTT\n\n01:00:00.000 --> 01:00:05.250 align:start\nTard\n",
                keys="    chapters: ../media/clip.chapters.vtt\n    descriptions: ../media/clip.desc.fr.vtt\n")
    video = first_video(content)
    assert [(d.language, d.file.name) for d in video.descriptions] == [("", "clip.desc.fr.vtt")]
    assert video.chapter_cues == (Cue(3600.0, 3605.25, "Tard"),)


def test_a_recorded_description_is_an_audio_file(content: Content) -> None:
    content.write(f"{MEDIA}/clip.described.m4a", b"\x00\x00\x00\x18ftypM4A ")
    content.replace(FIRST, KEYS, KEYS + "    descriptions: ../media/clip.described.m4a\n")
    video = first_video(content)
    assert video.described_audio is not None and video.described_audio.name == "clip.described.m4a"
    assert video.descriptions == () and video.described_audio in video.files


# --- what is wrong, where -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("chapters", "descriptions", "value", "words"), [
    ("WEBVTT\n\n0:00.000 --> 00:02.000\nA\n", DESCRIPTIONS, "../media/clip.chapters.vtt",
     ["clip.chapters.vtt", "line 3", "'0:00.000 --> 00:02.000'", "not a cue timing", "00:01.000 --> 00:04.500"]),
    (CHAPTERS, "WEBVTT\n\n00:03.000 --> 00:01.000\nA\n", "../media/clip.desc.fr.vtt",
     ["clip.desc.fr.vtt", "line 3", "ends (00:01.000) before it starts (00:03.000)"]),
    (CHAPTERS, "WEBVTT\n\n00:02.000 --> 00:03.000\nA\n\n00:01.000 --> 00:02.000\nB\n",
     "../media/clip.desc.fr.vtt", ["line 6", "starts (00:01.000) before the one above it (00:02.000)", "order"]),
    ("WEBVTT\n\n00:00.000 --> 00:02.000\nA\n\n00:02.000 --> 00:04.000\n", DESCRIPTIONS,
     "../media/clip.chapters.vtt", ["chapter 2 (at 00:02.000) has no title"]),
    ("WEBVTT\n\n00:00.000 --> 00:03.000\nA\n\n00:02.000 --> 00:04.000\nB\n", DESCRIPTIONS,
     "../media/clip.chapters.vtt", ["chapter 2 starts (00:02.000) before chapter 1 ends (00:03.000)"]),
    ("1\n00:00.000 --> 00:02.000\nA\n", DESCRIPTIONS, "../media/clip.chapters.vtt", ["not a WebVTT file", "WEBVTT"]),
])
def test_a_wrong_track_is_an_error_at_its_key(content: Content, chapters: str, descriptions: str, value: str,
                                              words: list[str]) -> None:
    text = with_tracks(content, chapters, descriptions)
    says(content.error_at(f"{FIRST}:{at(text, value)}:"), *words)


@pytest.mark.parametrize(("keys", "value", "words"), [
    ("    chapters: {fr: ../media/clip.chapters.vtt}\n", "{fr: ../media/clip.chapters",
     ["chapters should be one WebVTT file"]),
    ("    chapters: ../media/clip.fr.md\n", "../media/clip.fr.md", ["not a WebVTT chapters file", "vtt"]),
    ("    descriptions: ../media/clip.fr.md\n", "../media/clip.fr.md", ["WebVTT description file or audio", "m4a"]),
    ("    descriptions: {French: ../media/clip.desc.fr.vtt}\n", "French", ["not a language code"]),
    ("    descriptions: {fr: ../media/clip.mp3}\n", "../media/clip.mp3", ["not found"]),
    ("    descriptions: [../media/clip.desc.fr.vtt]\n", "[../media/clip.desc",
     ["descriptions should be a WebVTT file"]),
])
def test_a_wrong_value_is_an_error_at_it(content: Content, keys: str, value: str, words: list[str]) -> None:
    text = with_tracks(content, keys=keys)
    says(content.error_at(f"{FIRST}:{at(text, value, text.count(value))}:"), *words)


def test_a_description_file_not_in_utf8_is_an_error_at_its_first_wrong_byte(content: Content) -> None:
    with_tracks(content)
    content.write(f"{MEDIA}/clip.desc.fr.vtt", "WEBVTT\n\n00:00.500 --> 00:01.500\nUne pièce\n".encode("latin-1"))
    says(content.error_at(f"{MEDIA}/clip.desc.fr.vtt:4:7:"), "not UTF-8")


@pytest.mark.parametrize(("chapters", "descriptions", "value", "words"), [
    ("WEBVTT\n\nNOTE nothing yet\n", DESCRIPTIONS, "../media/clip.chapters.vtt", ["has no chapters"]),
    (CHAPTERS, "WEBVTT\n\n00:01.000 --> 00:02.000\n\n", "../media/clip.desc.fr.vtt", ["no description to read"]),
])
def test_an_empty_track_is_a_warning_at_its_key(content: Content, chapters: str, descriptions: str, value: str,
                                               words: list[str]) -> None:
    text = with_tracks(content, chapters, descriptions)
    site, report = content.check()
    assert site is not None and not report.errors
    found = [d for d in report.warnings if str(d).startswith(f"{FIRST}:{at(text, value)}:")]
    assert found, [str(d) for d in report.warnings]
    says(found[0], *words)


def test_tracks_of_an_external_video_are_ignored_with_a_warning(content: Content) -> None:
    content.write(f"{MEDIA}/clip.chapters.vtt", CHAPTERS)
    external = '  - url: "https://www.youtube.com/watch?v=abc"\n'
    text = content.replace(FIRST, external, external + "    chapters: ../media/clip.chapters.vtt\n"
                           "    descriptions: ../media/clip.chapters.vtt\n")
    site, report = content.check()
    assert site is not None and not report.errors
    found = {str(d) for d in report.warnings}
    for key in ("chapters", "descriptions"):
        line = f"{FIRST}:{at(text, key + ': ../media/clip.chapters.vtt')}: {key} is ignored for an external video"
        assert any(w.startswith(line) for w in found), found


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"«{NB}clip.chapters.vtt{NB}»{NB}: le chapitre 2 commence (00:02.000) avant la fin du chapitre 1 "
           f"(00:03.000){NB}; terminez chaque chapitre quand le suivant commence, ou avant"),
    ("en", "'clip.chapters.vtt': chapter 2 starts (00:02.000) before chapter 1 ends (00:03.000); end each chapter "
           "when the next one starts, or earlier"),
])
def test_overlapping_chapters_said_in_the_authors_language(content: Content, lang: str, expected: str) -> None:
    text = with_tracks(content, chapters="WEBVTT\n\n00:00.000 --> 00:03.000\nA\n\n00:02.000 --> 00:04.000\nB\n")
    result = run("check", "content", lang=lang)
    assert result.exit_code == 1
    line = f"{FIRST}:{at(text, '../media/clip.chapters.vtt')}: {expected}"
    assert line in result.stderr.splitlines(), result.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"«{NB}clip.desc.fr.vtt{NB}» ligne 3{NB}: «{NB}00:01 --> 00:02{NB}» n'est pas un minutage de "
           f"réplique{NB}; écrivez-le 00:01.000 --> 00:04.500"),
    ("en", "'clip.desc.fr.vtt' line 3: '00:01 --> 00:02' is not a cue timing; write it as 00:01.000 --> 00:04.500"),
])
def test_a_bad_timing_said_in_the_authors_language(content: Content, lang: str, expected: str) -> None:
    text = with_tracks(content, descriptions="WEBVTT\n\n00:01 --> 00:02\nA\n")
    result = run("check", "content", lang=lang)
    assert result.exit_code == 1
    line = f"{FIRST}:{at(text, '../media/clip.desc.fr.vtt')}: {expected}"
    assert any(x.startswith(line) for x in result.stderr.splitlines()), result.stderr


# --- what the build gives -------------------------------------------------------------------------------------

AS_OF = dt.date(2017, 11, 20)


@pytest.fixture
def built(content: Content) -> Path:
    with_tracks(content)
    result = build(BuildOptions(Path("content"), Path("site"), AS_OF))
    assert result.ok, [str(d) for d in result.report.errors]
    return content.tmp / "site"


def test_the_page_has_the_tracks_the_toggle_and_the_chapter_list(built: Path) -> None:
    page = BeautifulSoup((built / "demo/intro/first/index.html").read_text(encoding="utf-8"), "html.parser")
    video = page.select_one("video")
    assert video is not None
    chapters = video.select_one("track[kind=chapters]")
    description = video.select_one("track[kind=descriptions]")
    assert chapters is not None and chapters["src"] == "../../media/clip.chapters.vtt"
    assert chapters["data-track-js"] == "../../media/clip.chapters.vtt.js"
    assert description is not None and description["srclang"] == "fr"
    assert description["data-track-key"] == "demo/media/clip.desc.fr.vtt"
    toggle = page.select_one(".video-description-toggle")
    assert toggle is not None and toggle["aria-pressed"] == "false" and toggle.get_text() == "Audiodescription"
    assert page.select_one(".video-description-text[aria-live=polite]") is not None
    items = page.select(".video-chapters li")
    assert [(li["data-start"], li.get_text(" ", strip=True)) for li in items] == [
        ("0.0", "0:00 Introduction"), ("2.0", "0:02 Le bac jaune")]
    scripts = {str(s["src"]).rsplit("/", 1)[-1] for s in page.select("script[src]")}
    assert {"descriptions.js", "chapters.js"} <= scripts
    view = BeautifulSoup((built / "demo/intro/first/present/index.html").read_text(encoding="utf-8"), "html.parser")
    assert view.select_one(".present-video .video-chapters .present-video-key") is not None
    assert "present-chapters.js" in {str(s["src"]).rsplit("/", 1)[-1] for s in view.select("script[src]")}


def test_each_webvtt_file_has_its_script_beside_it(built: Path) -> None:
    for name in ("clip.chapters.vtt", "clip.desc.fr.vtt"):
        script = (built / "demo/media" / f"{name}.js").read_text(encoding="utf-8")
        assert f'window.MoocCaptions["demo/media/{name}"]' in script
    assert "Une main ouvre le bac jaune." in (built / "demo/media/clip.desc.fr.vtt.js").read_text(encoding="utf-8")


def test_a_page_without_chapters_or_descriptions_has_none(content: Content) -> None:
    result = build(BuildOptions(Path("content"), Path("site"), AS_OF))
    assert result.ok
    page = (content.tmp / "site/demo/intro/first/index.html").read_text(encoding="utf-8")
    assert "video-description" not in page and "video-chapters" not in page and 'kind="chapters"' not in page
    assert "descriptions.js" not in page and "chapters.js" not in page  # the page weighs no more for them


def test_the_bundles_hold_the_files_and_their_scripts(built: Path) -> None:
    with zipfile.ZipFile(built / "demo/downloads/demo-intro.zip") as archive:
        names = set(archive.namelist())
        credits = archive.read("demo-intro/CREDITS.txt").decode("utf-8")
        player = archive.read("demo-intro/intro/videos/01-first-1.html").decode("utf-8")
    for name in ("clip.chapters.vtt", "clip.desc.fr.vtt"):
        assert {f"demo-intro/media/{name}", f"demo-intro/media/{name}.js"} <= names
    assert "A clip – Chapitres" in credits and "A clip – Audiodescription (fr)" in credits
    assert 'kind="descriptions"' in player and "video-chapter-title" in player


def test_a_scorm_package_holds_the_files_and_their_scripts(content: Content) -> None:
    with_tracks(content)
    target = content.tmp / "demo.zip"
    result = run_export("scorm", Path("content"), "demo", {"version": "1.2"}, target, AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        manifest = archive.read("imsmanifest.xml").decode("utf-8")
    for name in ("clip.chapters.vtt", "clip.desc.fr.vtt"):
        found = [n for n in names if n.endswith(f"media/{name}.js")]
        assert found and any(n.endswith(f"media/{name}") for n in names), sorted(names)
        assert found[0] in manifest


def test_a_cartridge_holds_the_scripts_with_their_licence(content: Content) -> None:
    with_tracks(content)
    target = content.tmp / "demo.imscc"
    result = run_export("cc", Path("content"), "demo", {}, target, AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
    assert {"demo/media/clip.chapters.vtt.js", "demo/media/clip.desc.fr.vtt.js"} <= names
