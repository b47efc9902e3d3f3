"""Download bundles: complete, credited, reproducible, streamed, and rebuilt only when an input changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mooc_builder.build import BuildOptions, build
from mooc_builder.cli import cli
from mooc_builder.render.bundles import KIT_TEMPLATES
from mooc_builder.render.theme import load_theme
from mooc_builder.write.zip import BundleError, check_member_path

from .sitecheck import parse, tree_digest
from .test_build import AS_OF, assert_links_resolve, make, site, text_of

__all__ = ["site"]  # the built minimal site, a fixture shared with test_build


def bundles_of(site: Path) -> list[Path]:
    return sorted((site / "demo" / "downloads").glob("*.zip"))


def test_one_bundle_per_course_and_per_module(site: Path) -> None:
    assert [p.name for p in bundles_of(site)] == ["demo-intro.zip", "demo-suite.zip", "demo.zip"]


@pytest.mark.parametrize("name", ["demo.zip", "demo-intro.zip", "demo-suite.zip"])
def test_bundle_unzips_to_exactly_what_its_metadata_lists(site: Path, tmp_path: Path, name: str) -> None:
    archive = zipfile.ZipFile(site / "demo" / "downloads" / name)
    folder = name.removesuffix(".zip")
    names = archive.namelist()
    assert all(n.startswith(folder + "/") for n in names)  # one folder: nothing spills where it is unpacked
    metadata = json.loads(archive.read(f"{folder}/metadata.json"))
    listed = {f["path"]: f for f in metadata["files"]}
    assert sorted(names) == sorted([f"{folder}/{p}" for p in listed] + [f"{folder}/metadata.json",
                                                                      f"{folder}/SHA256SUMS"])
    for path, entry in listed.items():
        data = archive.read(f"{folder}/{path}")
        assert len(data) == entry["size"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    sums = dict(reversed(line.split("  ", 1)) for line in archive.read(f"{folder}/SHA256SUMS").decode().splitlines())
    for path, digest in sums.items():
        assert hashlib.sha256(archive.read(f"{folder}/{path}")).hexdigest() == digest
    assert set(sums) == set(listed) | {"metadata.json"}
    target = tmp_path / "unpacked"
    archive.extractall(target)
    assert all(p.resolve().is_relative_to(target.resolve()) for p in target.rglob("*"))


def test_bundle_contents_and_credits(site: Path) -> None:
    archive = zipfile.ZipFile(site / "demo" / "downloads" / "demo-intro.zip")
    metadata = json.loads(archive.read("demo-intro/metadata.json"))
    files = {f["path"]: f for f in metadata["files"]}
    assets = {path for path, _file in load_theme().assets_of(KIT_TEMPLATES)}  # what the projector view loads
    assert {"assets/style.css", "assets/js/present.js", "assets/js/captions.js"} <= assets
    assert {"index.html", "LICENCE.txt", "CREDITS.txt", *assets, "intro/plan.html", "intro/projection.html",
            "intro/01-first.html", "intro/02-second.html",
            "intro/participants/01-first.html", "intro/participants/02-second.html",
            "intro/projection/01-first.html", "intro/projection/02-second.html", "intro/videos/01-first-1.html",
            "media/clip.mp4", "media/clip.fr.vtt", "media/clip.fr.vtt.js", "media/clip.fr.md", "media/clip.svg",
            "media/sheet.pdf", "media/floor-plan.svg"} == set(files)  # floor-plan.svg: the quiz's hotspot drawing
    assert archive.namelist()[0] == "demo-intro/index.html"  # the start page first
    assert (files["media/sheet.pdf"]["licence"], files["media/sheet.pdf"]["attribution"]) == ("CC-BY-4.0",
                                                                                             "Someone else")
    assert files["media/clip.mp4"]["licence"] == "CC-BY-NC-ND-4.0"
    licence = archive.read("demo-intro/LICENCE.txt").decode()
    assert "https://creativecommons.org/licenses/by/4.0/" in licence
    assert "sans modification" in licence
    credits = archive.read("demo-intro/CREDITS.txt").decode()
    assert "Jean Dupont" in credits and "Funder" in credits and "media/sheet.pdf" in credits
    assert "Comment citer" in credits
    infos = {i.filename: i for i in archive.infolist()}
    assert infos["demo-intro/media/clip.mp4"].compress_type == zipfile.ZIP_STORED
    assert infos["demo-intro/media/sheet.pdf"].compress_type == zipfile.ZIP_STORED
    assert infos["demo-intro/intro/01-first.html"].compress_type == zipfile.ZIP_DEFLATED
    assert all(i.date_time == (2017, 11, 20, 0, 0, 0) for i in archive.infolist())  # the build's date


def test_sequence_sheet_has_text_and_quiz_answers_and_working_links(site: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(site / "demo" / "downloads" / "demo.zip").extractall(tmp_path / "kit")
    sheet = tmp_path / "kit" / "demo" / "intro" / "01-first.html"
    page = parse(sheet)
    assert text_of(page.find("h1")) == "First sequence"
    assert "A section" in text_of(page)
    assert "juste" in text_of(page) and "Because." in text_of(page)  # the answers, for the facilitator
    links = [a["href"] for a in page.find_all("a") if a.get("href")]
    assert "02-second.html" in links
    assert_links_resolve(tmp_path / "kit")


def test_a_file_whose_name_holds_a_hash_is_linked_whole_from_the_bundle(minimal: Path, tmp_path: Path,
                                                                       edit: Callable[[Path, str, str], None]) -> None:
    """"fiche à lire #1.pdf": the bundle's pages link the whole name, not "fiche à lire " and a fragment."""
    media = minimal / "courses" / "demo" / "media"
    (media / "sheet.pdf").rename(media / "fiche à lire #1.pdf")
    edit(minimal / "courses" / "demo" / "01-intro" / "01-first.md", "src: ../media/sheet.pdf",
         'src: "../media/fiche à lire #1.pdf"')
    make(minimal, tmp_path / "site")
    zipfile.ZipFile(tmp_path / "site" / "demo" / "downloads" / "demo.zip").extractall(tmp_path / "kit")
    hrefs = [a["href"] for sheet in (tmp_path / "kit").rglob("*.html") for a in parse(sheet).find_all("a")
             if "fiche" in str(a.get("href", ""))]
    assert hrefs and all(h.endswith("fiche%20%C3%A0%20lire%20%231.pdf") for h in hrefs), hrefs
    assert_links_resolve(tmp_path / "kit")


def test_module_bundle_sheet_shows_links_to_other_modules_as_text(site: Path, tmp_path: Path) -> None:
    """Without a base_url, a link to a sequence the bundle has not is its text: no <a> without href."""
    zipfile.ZipFile(site / "demo" / "downloads" / "demo-intro.zip").extractall(tmp_path / "kit")
    for sheet in ("intro/02-second.html", "intro/participants/02-second.html"):
        page = parse(tmp_path / "kit" / "demo-intro" / sheet)
        assert page.find("a", string="suite") is None
        assert "Next module: suite." in text_of(page)
        assert all(a.get("href") for a in page.find_all("a"))
    assert_links_resolve(tmp_path / "kit")


@pytest.mark.parametrize(("pretty", "address"), [("false", "demo/suite/third/index.html"),
                                                 ("true", "demo/suite/third/")])
def test_module_bundle_sheet_links_other_modules_to_the_published_site(
        minimal: Path, tmp_path: Path, edit: Callable[[Path, str, str], None], pretty: str, address: str) -> None:
    edit(minimal / "site.yml", "language: fr",
         f'language: fr\nbase_url: "https://mooc.example.org/c"\npretty_urls: {pretty}')
    make(minimal, tmp_path / "site")
    zipfile.ZipFile(tmp_path / "site" / "demo" / "downloads" / "demo-intro.zip").extractall(tmp_path / "kit")
    page = parse(tmp_path / "kit" / "demo-intro" / "intro" / "02-second.html")
    suite = page.find("a", string="suite")
    assert suite is not None and suite["href"] == f"https://mooc.example.org/c/{address}"
    first = page.find("a", string="the first")
    assert first is not None and first["href"] == "01-first.html#a-section"  # in the bundle: its own sheet


def test_two_builds_give_identical_zips(minimal: Path, tmp_path: Path) -> None:
    make(minimal, tmp_path / "a")
    make(minimal, tmp_path / "b")
    assert tree_digest(tmp_path / "a" / "demo" / "downloads") == tree_digest(tmp_path / "b" / "demo" / "downloads")


def dates(site: Path) -> dict[str, frozenset[tuple[int, ...]]]:
    """The dates of each bundle's members, by bundle."""
    return {p.name: frozenset(i.date_time for i in zipfile.ZipFile(p).infolist()) for p in bundles_of(site)}


def test_members_are_dated_the_build_date_or_the_sources_date(minimal: Path, tmp_path: Path) -> None:
    make(minimal, tmp_path / "as-of")
    assert set(dates(tmp_path / "as-of").values()) == {frozenset({(2017, 11, 20, 0, 0, 0)})}
    moment = dt.datetime(2021, 3, 4, 6, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert build(BuildOptions(minimal, tmp_path / "source", AS_OF, source_date=moment)).ok
    # In UTC, to two seconds, as the format holds it.
    assert set(dates(tmp_path / "source").values()) == {frozenset({(2021, 3, 4, 5, 6, 6)})}


def test_mooc_build_dates_members_from_source_date_epoch(minimal: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "site"
    done = runner.invoke(cli, ["build", str(minimal), "-o", str(out), "--as-of", "2017-11-20", "-q"],
                         env={"SOURCE_DATE_EPOCH": "1614834367"})
    assert done.exit_code == 0, done.output
    assert set(dates(out).values()) == {frozenset({(2021, 3, 4, 5, 6, 6)})}
    refused = runner.invoke(cli, ["build", str(minimal), "-o", str(tmp_path / "other")],
                            env={"SOURCE_DATE_EPOCH": "2021-03-04"})
    assert refused.exit_code == 2 and "SOURCE_DATE_EPOCH='2021-03-04' is not a number of seconds" in refused.output
    assert not (tmp_path / "other").exists()


def test_a_build_on_another_date_redates_every_member_as_a_fresh_build_does(minimal: Path, site: Path,
                                                                             tmp_path: Path) -> None:
    later = AS_OF + dt.timedelta(days=1)
    make(minimal, site, later)  # members copied from the previous zips, their dates made the new one
    assert set(dates(site).values()) == {frozenset({(2017, 11, 21, 0, 0, 0)})}
    make(minimal, tmp_path / "fresh", later)
    assert tree_digest(site / "demo" / "downloads") == tree_digest(tmp_path / "fresh" / "demo" / "downloads")


def test_bundles_are_rebuilt_only_when_an_input_changed(minimal: Path, site: Path,
                                                        edit: Callable[[Path, str, str], None]) -> None:
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in bundles_of(site)}
    make(minimal, site)
    after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in bundles_of(site)}
    assert after == before  # the very same files, left as they were
    edit(minimal / "courses/demo/02-suite/01-third.md", "Plain text.", "Plain text, edited.")
    make(minimal, site)
    changed = {p.name: (p.stat().st_ino, p.read_bytes()) for p in bundles_of(site)}
    assert changed["demo-intro.zip"] == before["demo-intro.zip"]
    assert changed["demo-suite.zip"] != before["demo-suite.zip"]
    assert changed["demo.zip"] != before["demo.zip"]
    for record in (site / ".mooc-cache" / "courses").glob("*.record"):  # where the bundles' lists are kept
        record.unlink()
    make(minimal, site)
    assert {p.name: p.read_bytes() for p in bundles_of(site)} == {k: v[1] for k, v in changed.items()}


def test_a_changed_media_file_rebuilds_its_bundles(minimal: Path, site: Path) -> None:
    before = {p.name: p.read_bytes() for p in bundles_of(site)}
    video = minimal / "courses/demo/media/clip.mp4"
    another = video.read_bytes() + b"\0" * 64  # the same video with a tail: other bytes, still a video
    video.write_bytes(another)
    make(minimal, site)
    after = {p.name: p.read_bytes() for p in bundles_of(site)}
    assert after["demo-intro.zip"] != before["demo-intro.zip"]
    assert after["demo-suite.zip"] == before["demo-suite.zip"]
    data = zipfile.ZipFile(site / "demo" / "downloads" / "demo-intro.zip").read("demo-intro/media/clip.mp4")
    assert data == another


@pytest.mark.thorough
def test_a_200_mb_video_bundles_with_flat_memory(minimal: Path, tmp_path: Path) -> None:
    video = minimal / "courses/demo/media/clip.mp4"
    playable = video.read_bytes()  # its boxes first (moov before mdat), then 200 MB the players never read
    with video.open("wb") as handle:
        handle.write(playable)
        block = os.urandom(1 << 20)
        for _ in range(200):
            handle.write(block)
    tracemalloc.start()
    try:
        make(minimal, tmp_path / "big")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"peak traced memory while building with a 200 MB video: {peak / 1e6:.1f} MB")
    assert peak < 100_000_000
    archive = zipfile.ZipFile(tmp_path / "big" / "demo" / "downloads" / "demo.zip")
    assert archive.getinfo("demo/media/clip.mp4").file_size == (200 << 20) + len(playable)


def test_kit_page_lists_each_bundle_with_its_size_and_files(site: Path) -> None:
    page = parse(site / "demo" / "kit" / "index.html")
    links = [a for a in page.select("section.bundle a.button")]
    # Each week's kit, then the whole course's.
    assert [a["href"] for a in links] == ["../downloads/demo-intro.zip", "../downloads/demo-suite.zip",
                                          "../downloads/demo.zip"]
    size = (site / "demo" / "downloads" / "demo.zip").stat().st_size
    shown = f"{size / 1000:.1f}".replace(".", ",") if size < 10_000 else f"{size / 1000:.0f}"
    assert f"{shown} ko" in text_of(links[2])
    assert "media/clip.mp4" in text_of(page.select("section.bundle")[0])
    course = parse(site / "demo" / "index.html")
    assert course.find("a", href="kit/index.html") is not None


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "a/../../b", "a\\b", "C:/x", "a/./b", "a\x01b", ""])
def test_member_paths_that_could_escape_are_refused(name: str) -> None:
    with pytest.raises(BundleError):
        check_member_path(name)


def test_kit_links_scorm_packages_only_when_the_course_asks(minimal: Path, tmp_path: Path,
                                                           edit: Callable[[Path, str, str], None]) -> None:
    make(minimal, tmp_path / "plain")
    assert not list((tmp_path / "plain" / "demo" / "downloads").glob("*scorm*"))
    edit(minimal / "courses/demo/course.yml", "certificate: true", "certificate: true\nscorm: true")
    make(minimal, tmp_path / "with")
    kit = parse(tmp_path / "with" / "demo" / "kit" / "index.html")
    links = [a["href"] for a in kit.select("#scorm-packages ~ ul a, section a") if "scorm" in a["href"]]
    assert links == ["../downloads/demo-scorm-1.2.zip", "../downloads/demo-scorm-2004.zip"]
    for name in ("demo-scorm-1.2.zip", "demo-scorm-2004.zip"):
        archive = zipfile.ZipFile(tmp_path / "with" / "demo" / "downloads" / name)
        assert archive.namelist()[0] == "imsmanifest.xml"
        assert "demo/intro/first/index.html" in archive.namelist()


def test_the_kit_page_links_every_projector_view_and_a_module_page_its_own_kit(site: Path) -> None:
    """A facilitator starts from the kit page (or a week's page): every projector view and every week's kit from
    there; before, the kit page linked no projector view and module pages no kit."""
    page = parse(site / "demo" / "kit" / "index.html")
    projected = {a["href"] for a in page.select("ul.kit-projection a")}
    assert projected == {"../intro/present/index.html", "../intro/first/present/index.html",
                         "../intro/second/present/index.html", "../suite/present/index.html",
                         "../suite/third/present/index.html"}
    for module in ("intro", "suite"):
        links = {a["href"] for a in parse(site / "demo" / module / "index.html").select("p.course-links a")}
        assert {"present/index.html", f"../downloads/demo-{module}.zip", "../kit/index.html"} <= links
