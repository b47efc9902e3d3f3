"""Videos' light variants and posters made at build time with PyAV (media/videos.py, media/video_variants.py):
made once into the output's cache, the same bytes when made again, in parallel under spawn too; and the page
that offers both qualities with their sizes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import av
import pytest
from bs4 import BeautifulSoup

from mooc_builder import processes
from mooc_builder.build import BuildOptions, build
from mooc_builder.build.builder import Builder
from mooc_builder.media.making import Making, _MakeWork
from mooc_builder.media.store import Store
from mooc_builder.media.videos import light_size, make_light, probe
from mooc_builder.model import LightVideos

from .conftest import FIXTURES
from .videos import make_video

AS_OF = dt.date(2017, 11, 20)
SEQUENCE = "courses/demo/01-intro/01-first.md"
PAGE = "demo/intro/first/index.html"


@pytest.fixture(scope="session")
def film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4-second 1280x720 film at 3 Mbit/s, made once (it takes seconds)."""
    return make_video(tmp_path_factory.mktemp("film") / "film.mp4", seconds=4, width=1280, height=720,
                      bit_rate=3_000_000)


@pytest.fixture
def filmed(tmp_path: Path, film: Path) -> Path:
    """The minimal tree whose clip is the film, with no poster given."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    shutil.copyfile(film, content / "courses/demo/media/clip.mp4")
    sequence = content / SEQUENCE
    text = sequence.read_text(encoding="utf-8")
    sequence.write_text(text.replace("    poster: ../media/clip.svg\n", "").replace('    duration: "0:30"\n', ""),
                        encoding="utf-8")
    return content


def _build(content: Path, site: Path, jobs: int | None = 1) -> list[str]:
    stages: list[str] = []
    result = Builder(BuildOptions(content, site, AS_OF, jobs=jobs),
                     lambda stage, done, total: stages.append(stage)).build()
    assert result.ok, [str(d) for d in result.report.errors]
    return stages


def test_the_light_variant_is_smaller_by_the_bit_rates_ratio_and_plays_as_h264(filmed: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _build(filmed, site)
    original, light = site / "demo/media/clip.mp4", site / "demo/media/clip.360p.mp4"
    ratio = light.stat().st_size / original.stat().st_size
    print(f"light variant: {light.stat().st_size} bytes for {original.stat().st_size} ({ratio:.2f})")
    # 400 + 64 kbit/s for about 3,100: about 0.15, with the encoder's give and the container's share.
    assert ratio < 0.3
    read = probe(light)
    assert (read.width, read.height) == (640, 360) and read.audio
    assert read.seconds is not None and abs(read.seconds - 4) < 0.2
    with av.open(str(light)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"


def test_the_page_offers_both_qualities_with_their_sizes_and_a_poster_from_the_film(filmed: Path,
                                                                                     tmp_path: Path) -> None:
    site = tmp_path / "site"
    _build(filmed, site)
    page = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser")
    video = page.select_one(".video video")
    assert video is not None
    sources = [(s["src"], s["data-quality"]) for s in video.select("source")]
    assert sources == [("../../media/clip.mp4", "high"), ("../../media/clip.360p.mp4", "light")]
    assert video["poster"] == "../../media/clip.poster.jpg"
    poster = site / "demo/media/clip.poster.jpg"
    with av.open(str(poster)) as picture:  # a JPEG of the film's size, at most 960 wide
        frame = next(picture.decode(video=0))
        assert (frame.width, frame.height) == (960, 540)
    choice = page.select_one(".video-quality")
    assert choice is not None and choice.has_attr("hidden")  # shown by quality.js
    labels = [label.get_text(" ", strip=True) for label in choice.select("label")]
    assert labels[0].startswith("légère (") and labels[1].startswith("haute (")
    links = page.select(".video-download a[download]")
    assert [a["href"] for a in links] == ["../../media/clip.360p.mp4", "../../media/clip.mp4"]
    assert "A clip · 1 min" in page.select_one(".video figcaption").get_text()  # its length, read from the file


@pytest.mark.thorough
def test_a_warm_build_makes_nothing_and_a_lost_cache_the_same_bytes(filmed: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert "videos" in _build(filmed, site)
    made = {p: p.read_bytes() for p in (site / "demo/media").glob("clip.*") if p.suffix in (".mp4", ".jpg")}
    store = sorted((site / ".mooc-cache/media").rglob("*.*"))
    stamps = [p.stat().st_mtime_ns for p in store]
    sequence = filmed / SEQUENCE
    sequence.write_text(sequence.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert "videos" not in _build(filmed, site)  # a text edited: nothing encoded again
    assert [p.stat().st_mtime_ns for p in store] == stamps
    shutil.rmtree(site / ".mooc-cache")
    assert "videos" in _build(filmed, site)
    assert {p: p.read_bytes() for p in made} == made


@pytest.mark.thorough
def test_no_variant_for_a_video_already_light_nor_when_the_course_asks_none(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)  # its clip: 160x90, a few kbit/s
    site = tmp_path / "site"
    _build(content, site)
    assert not list((site / "demo/media").glob("clip.360p*"))
    make_video(content / "courses/demo/media/clip.mp4", seconds=4, width=1280, height=720)
    course = content / "courses/demo/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "light_videos: {height: 360, bundles: both}", "light_videos: false"), encoding="utf-8")
    (content / SEQUENCE).write_text((content / SEQUENCE).read_text(encoding="utf-8").replace(
        '    duration: "0:30"\n', ""), encoding="utf-8")
    _build(content, site)
    assert not list((site / "demo/media").glob("clip.360p*"))
    assert "data-quality=\"light\"" not in (site / PAGE).read_text(encoding="utf-8")


@pytest.mark.thorough
def test_the_settings_of_course_yml_make_the_variant(filmed: Path, tmp_path: Path) -> None:
    course = filmed / "courses/demo/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "light_videos: {height: 360, bundles: both}", "light_videos: {height: 240, video_bitrate: 200}"),
        encoding="utf-8")
    site = tmp_path / "site"
    _build(filmed, site)
    read = probe(site / "demo/media/clip.240p.mp4")
    assert (read.width, read.height) == (428, 240)
    assert read.bit_rate is not None and read.bit_rate < 400_000


@pytest.mark.thorough
def test_videos_are_encoded_side_by_side_under_spawn_the_same_bytes(tmp_path: Path) -> None:
    """What a build sends to its processes pickles, and a process started by spawn (Windows, macOS) makes the
    same file as this one."""
    # 854x480 made 240 high: a size at which x264 gave other bytes now and then, before cpu-independent.
    sources = [make_video(tmp_path / f"film{n}.mp4", seconds=2, width=854, height=480) for n in range(2)]
    light = LightVideos(height=240)
    store = Store(tmp_path / "store")
    makings = [Making(f"{n:064x}", ".mp4", _partial(light), source, source.name) for n, source in enumerate(sources)]
    with processes.Pool(2, method="spawn") as pool:
        pool.start(_MakeWork(store.folder))
        pool.submit(makings)
        results = list(pool.results())
    assert sorted(results) == [(m.key, None) for m in makings]
    for making in makings:
        here = tmp_path / f"here-{making.source.name}"
        make_light(light, making.source, here)
        assert store.path(making.key, ".mp4").read_bytes() == here.read_bytes()


def _partial(light: LightVideos):  # type: ignore[no-untyped-def]
    import functools

    return functools.partial(make_light, light)


def test_light_sizes_keep_the_proportions_in_even_numbers() -> None:
    light = LightVideos(height=360)
    assert light_size(light, 1920, 1080) == (640, 360)
    assert light_size(light, 1440, 1080) == (480, 360)
    assert light_size(light, 720, 1280) == (204, 360)  # a phone held upright
    assert light_size(light, 320, 180) == (320, 180)  # never larger than the source
    assert light_size(LightVideos(height=240), 854, 480) == (428, 240)


@pytest.mark.thorough
def test_a_one_off_build_with_two_processes_makes_the_same_files(filmed: Path, tmp_path: Path) -> None:
    make_video(filmed / "courses/demo/media/clip.mp4", seconds=3, width=1280, height=720)
    alone, together = tmp_path / "alone", tmp_path / "together"
    build(BuildOptions(filmed, alone, AS_OF, jobs=1))
    build(BuildOptions(filmed, together, AS_OF, jobs=2))
    for name in ("clip.360p.mp4", "clip.poster.jpg"):
        assert (alone / "demo/media" / name).read_bytes() == (together / "demo/media" / name).read_bytes()


@pytest.mark.thorough
@pytest.mark.parametrize(("held", "files"), [("both", {"clip.mp4", "clip.360p.mp4"}), ("light", {"clip.360p.mp4"}),
                                             ("original", {"clip.mp4"})])
def test_the_bundles_hold_the_quality_the_course_chose(filmed: Path, tmp_path: Path, held: str,
                                                       files: set[str]) -> None:
    import zipfile

    course = filmed / "courses/demo/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "light_videos: {height: 360, bundles: both}", f"light_videos: {{bundles: {held}}}"), encoding="utf-8")
    site = tmp_path / "site"
    _build(filmed, site)
    with zipfile.ZipFile(site / "demo/downloads/demo-intro.zip") as bundle:
        names = bundle.namelist()
        assert {n.rsplit("/", 1)[1] for n in names if n.endswith(".mp4")} == files
        players = [n for n in names if "/videos/" in n and n.endswith(".html")]
        player = bundle.read(players[0]).decode("utf-8")
        credits = bundle.read("demo-intro/CREDITS.txt").decode("utf-8")
    sources = {s["src"].rsplit("/", 1)[1] for s in BeautifulSoup(player, "html.parser").select("video source")}
    assert sources == files  # the player offers what the bundle holds, nothing else
    assert ("clip.360p.mp4" in credits) == ("clip.360p.mp4" in files)
    assert ("quality.js" in player) == (held == "both")


@pytest.mark.thorough
def test_a_video_browsers_cannot_play_gets_its_variant_however_small(tmp_path: Path) -> None:
    """MPEG-4 part 2 (as HEVC from a phone): no browser plays it; the H.264 variant is then the one that plays,
    made even for a file as small as the variant would be."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    make_video(content / "courses/demo/media/clip.mp4", seconds=30, width=160, height=90, fps=10,
               bit_rate=40_000, codec="mpeg4")
    assert not probe(content / "courses/demo/media/clip.mp4").playable
    site = tmp_path / "site"
    _build(content, site)
    made = probe(site / "demo/media/clip.360p.mp4")
    assert made.playable and (made.width, made.height) == (160, 90)


@pytest.mark.thorough
def test_two_videos_of_one_name_get_a_variant_each(tmp_path: Path) -> None:
    """clip.mp4 and clip.mov side by side would both have clip.360p.mp4: the second is told apart by its digest,
    and each page offers its own."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    media = content / "courses/demo/media"
    for name, seed in (("clip.mp4", 1), ("clip.mov", 2)):
        make_video(media / name, seconds=30, width=160, height=90, fps=10, bit_rate=40_000, codec="mpeg4", seed=seed)
    second = content / "courses/demo/01-intro/02-second.md"
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("---\n", "---\nvideos:\n  - src: ../media/clip.mov\n", 1)
                      if "videos:" not in text else text, encoding="utf-8")
    site = tmp_path / "site"
    _build(content, site)
    variants = sorted(p.name for p in (site / "demo/media").glob("clip.*360p.mp4"))
    assert len(variants) == 2 and "clip.360p.mp4" in variants, variants
    pages = [BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
             for page in (PAGE, "demo/intro/second/index.html")]
    lights = [page.select_one('source[data-quality="light"]')["src"].rsplit("/", 1)[1] for page in pages]
    assert sorted(lights) == variants


@pytest.mark.thorough
def test_the_pages_that_offer_two_qualities_are_valid_html(filmed: Path, tmp_path: Path) -> None:
    """The Nu HTML Checker on the sequence page (the quality choice, two sources), its projector view and a
    bundle's player of a light video."""
    import json
    import subprocess
    import zipfile

    from .test_html_valid import TIMEOUT, java_and_checker

    site = tmp_path / "site"
    _build(filmed, site)
    unpacked = tmp_path / "bundle"
    with zipfile.ZipFile(site / "demo/downloads/demo-intro.zip") as bundle:
        bundle.extractall(unpacked)
    pages = [site / PAGE, site / "demo/intro/first/present/index.html",
             *sorted(unpacked.glob("demo-intro/*/videos/*.html"))[:1]]
    assert len(pages) == 3
    command = [*java_and_checker(), "--errors-only", "--format", "json", "--stdout", *map(str, pages)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    messages = json.loads(run.stdout)["messages"]
    assert messages == [], messages
