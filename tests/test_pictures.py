"""A photo in a sequence's text is also shipped smaller (model/pictures.py names the copies, media/pictures.py makes
them with Pillow): the copies are in the site, its bundles and its cartridge, lighter than the photo, made once
and the same bytes when made again; the page offers them (srcset, sizes, a WebP <source>) and keeps the photo's
size as shown (EXIF orientation applied); a picture Pillow cannot read is an error at its place."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePosixPath

import pypdf
import pytest
from bs4 import BeautifulSoup, Tag
from PIL import Image

from mooc_builder.build import BuildOptions, build
from mooc_builder.build.export import run_export
from mooc_builder.diagnostics import Report
from mooc_builder.exports.cc_pages import local_references
from mooc_builder.exports.handouts import engine_problem
from mooc_builder.markdown.processor import MarkdownProcessor, Place, Target
from mooc_builder.model import MediaFile
from mooc_builder.model.pictures import FOLDER, LADDER, SIZES, recipe, variants

from .conftest import REQUIRE_TOOLS
from .photos import TURNED, make_photo
from .test_build import AS_OF
from .test_html_valid import TIMEOUT, java_and_checker

SEQUENCE = Path("courses/demo/01-intro/01-first.md")
STORE = Path(".mooc-cache/media")
PAGE = Path("demo/intro/first/index.html")
COPIES = Path("demo/media") / FOLDER


def with_photo(content: Path, name: str = "photo.jpg", **photo: int) -> Path:
    """The minimal tree's first sequence showing a photo made in its course's media folder."""
    path = make_photo(content / "courses/demo/media" / name, **photo)
    sequence = content / SEQUENCE
    text = sequence.read_text(encoding="utf-8")
    sequence.write_text(text.replace("![Un schéma](../media/clip.svg)",
                                     f"![Un schéma](../media/clip.svg)\n\n![Une photo du quartier](../media/{name})"),
                        encoding="utf-8")
    return path


def built(content: Path, site: Path, stages: list[str] | None = None) -> Path:
    result = build(BuildOptions(content, site, AS_OF),
                   progress=None if stages is None else lambda stage, done, total: stages.append(stage))
    assert result.ok, [str(d) for d in result.report.errors]
    return site


def one(html: str, selector: str) -> Tag:
    found = BeautifulSoup(html, "html.parser").select_one(selector)
    assert found is not None, selector
    return found


def store_files(site: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted((site / STORE).rglob("*")) if p.is_file()}


def test_the_copies_are_named_below_the_photo_only() -> None:
    photo = PurePosixPath("demo/media/photo.jpg")
    made = variants(photo, 2400, 1600, "JPEG")
    assert [(v.width, v.format) for v in made] == [(w, f) for w in LADDER for f in ("WEBP", "JPEG")]
    assert {v.output.parent for v in made} == {PurePosixPath("demo/media") / FOLDER}
    assert made[0].output.name == "photo.jpg.320w.webp" and made[1].output.name == "photo.jpg.320w.jpg"
    assert made[2].height == 427 and made[2].mime == "image/webp" and made[3].mime == "image/jpeg"
    assert all(recipe(v.output) == (v.width, v.format) for v in made)
    assert [v.width for v in variants(photo, 700, 500, "JPEG")] == [320, 320, 640, 640]
    assert variants(photo, 320, 200, "JPEG") == ()  # never enlarged, never its own width again
    assert {v.format for v in variants(PurePosixPath("a/b.webp"), 1000, 800, "WEBP")} == {"WEBP"}
    png = variants(PurePosixPath("a/b.png"), 1000, 800, "PNG")
    assert [v.output.name for v in png][:2] == ["b.png.320w.webp", "b.png.320w.png"]
    # photo.jpg and photo.png side by side: no copy shared
    assert not {v.output for v in made} & {v.output for v in variants(photo.with_suffix(".png"), 2400, 1600, "PNG")}
    assert recipe(PurePosixPath("demo/media/photo.jpg.320w.jpg")) is None  # an author's file is no copy


@pytest.mark.thorough
def test_the_site_ships_lighter_copies_and_the_page_offers_them(minimal: Path, tmp_path: Path) -> None:
    photo = with_photo(minimal)
    site = built(minimal, tmp_path / "site")
    copies = sorted((site / COPIES).iterdir())
    assert len(copies) == 2 * len(LADDER)
    original = photo.stat().st_size
    for copy in copies:
        width, kind = recipe(PurePosixPath(copy.relative_to(site).as_posix())) or (0, "")
        with Image.open(copy) as image:
            assert (image.width, image.format) == (width, kind)
            assert image.height == round(1600 * width / 2400)
            assert not image.getexif()  # no metadata kept: no place, no date
        assert copy.stat().st_size < original
    page = site / PAGE
    text = page.read_text(encoding="utf-8")
    source, img = one(text, "picture > source"), one(text, "picture > img")
    assert source["type"] == "image/webp" and source["sizes"] == SIZES
    assert (img["width"], img["height"], img["sizes"], img["alt"]) == ("2400", "1600", SIZES, "Une photo du quartier")
    offered = [c.split() for c in str(img["srcset"]).split(", ")]
    assert [d for _l, d in offered] == [f"{w}w" for w in LADDER] + ["2400w"]
    assert all(link.endswith(".jpg") for link, _d in offered)
    webp = [c.split()[0] for c in str(source["srcset"]).split(", ")]
    assert len(webp) == len(LADDER) and all(link.endswith(".webp") for link in webp)
    for link in [link for link, _d in offered] + webp:  # each resolves from the page, as file:// does
        assert (page.parent / link).resolve().is_file(), link


@pytest.mark.thorough
def test_a_warm_build_makes_nothing_and_a_lost_store_the_same_bytes(minimal: Path, tmp_path: Path) -> None:
    with_photo(minimal)
    site, stages = tmp_path / "site", list[str]()
    built(minimal, site, stages)
    assert "pictures" in stages
    made = store_files(site)
    shipped = {p.name: p.read_bytes() for p in (site / COPIES).iterdir()}
    assert len(made) == len(shipped) == 2 * len(LADDER)
    stages.clear()
    built(minimal, site, stages)
    assert "pictures" not in stages  # nothing to make: no process started
    assert store_files(site) == made  # not written again (same times)
    shutil.rmtree(site / STORE)
    sequence = minimal / SEQUENCE  # an edit, so that the build looks again (an unchanged tree is left alone)
    sequence.write_text(sequence.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    built(minimal, site, stages)
    assert "pictures" in stages
    assert {p.name: b for p, (_t, b) in store_files(site).items()} == {p.name: b for p, (_t, b) in made.items()}
    assert {p.name: p.read_bytes() for p in (site / COPIES).iterdir()} == shipped


def test_a_phone_photo_turned_by_its_exif_is_sized_as_shown(minimal: Path, tmp_path: Path) -> None:
    with_photo(minimal, width=1200, height=800, orientation=TURNED)  # stored landscape, shown portrait
    site = built(minimal, tmp_path / "site")
    img = one((site / PAGE).read_text(encoding="utf-8"), "picture > img")
    assert (img["width"], img["height"]) == ("800", "1200")
    assert [c.split()[1] for c in str(img["srcset"]).split(", ")] == ["320w", "640w", "800w"]
    with Image.open(site / COPIES / "photo.jpg.640w.jpg") as copy:
        assert copy.size == (640, 960)
        assert 0x0112 not in copy.getexif()  # turned once, by us: no tag left to turn it again


def test_an_unreadable_picture_is_an_error_at_its_place(minimal: Path, tmp_path: Path) -> None:
    photo = with_photo(minimal)
    photo.write_bytes(b"\xff\xd8\xff\xe0 not a photo at all" * 10)
    result = build(BuildOptions(minimal, tmp_path / "site", AS_OF))
    errors = [str(d) for d in result.report.errors]
    assert not result.ok
    line = minimal.joinpath(SEQUENCE).read_text(encoding="utf-8").splitlines().index(
        "![Une photo du quartier](../media/photo.jpg)") + 1
    assert any(f"01-first.md:{line}:" in e and "cannot be read" in e for e in errors), errors


def test_a_picture_pillow_cannot_decode_is_a_build_error_naming_it(minimal: Path, tmp_path: Path) -> None:
    """Its header is good (the load reads no more), its pixels are cut off: the build stops, naming the file,
    and no page names a copy that is not there."""
    photo = with_photo(minimal)
    photo.write_bytes(photo.read_bytes()[:3000])
    site = tmp_path / "site"
    result = build(BuildOptions(minimal, site, AS_OF))
    errors = [str(d) for d in result.report.errors]
    assert not result.ok
    assert any("photo.jpg" in e and "could not be made" in e for e in errors), errors
    assert not (site / PAGE).exists()


def test_an_author_file_never_takes_a_copy_s_place(minimal: Path, tmp_path: Path) -> None:
    folder = minimal / "courses/demo/media" / FOLDER
    folder.mkdir()
    make_photo(folder / "photo.jpg.320w.jpg", 320, 200)
    sequence = minimal / SEQUENCE
    shown = f"\n![Une copie](../media/{FOLDER}/photo.jpg.320w.jpg)\n"
    sequence.write_text(sequence.read_text(encoding="utf-8") + shown, encoding="utf-8")
    result = build(BuildOptions(minimal, tmp_path / "site", AS_OF))
    assert any("mooc-sizes" in str(d) and "01-first.md:" in str(d) for d in result.report.errors), \
        [str(d) for d in result.report.items]


def test_gif_svg_and_small_pictures_are_left_as_they_are(minimal: Path, tmp_path: Path) -> None:
    with_photo(minimal, "small.png", width=300, height=200)
    site = built(minimal, tmp_path / "site")
    html = (site / PAGE).read_text(encoding="utf-8")
    assert "<picture>" not in html and "srcset" not in html
    assert re.search(r'<img src="[^"]*small\.png" alt="Une photo du quartier" width="300" height="200"', html)
    assert not (site / COPIES).exists()


@pytest.mark.thorough
def test_the_bundle_and_the_projector_view_hold_the_copies(minimal: Path, tmp_path: Path) -> None:
    with_photo(minimal)
    site = built(minimal, tmp_path / "site")
    with zipfile.ZipFile(site / "demo/downloads/demo.zip") as bundle:
        names = set(bundle.namelist())
        held = {n for n in names if f"/{FOLDER}/" in n}
        assert len(held) == 2 * len(LADDER)
        credits = bundle.read("demo/CREDITS.txt").decode()
        assert "photo.jpg" in credits and FOLDER not in credits  # credited once, as the photo
        projection = bundle.read("demo/intro/projection/01-first.html").decode()
    # the bundle's projector view offers the copies the bundle holds, the picture as large as the screen
    source = one(projection, "picture > source")
    assert source["sizes"] == "100vw"
    base = PurePosixPath("demo/intro/projection")
    for candidate in str(source["srcset"]).split(", "):
        link = candidate.split()[0]
        parts: list[str] = []
        for part in (base / link).parts:
            if part == "..":
                parts.pop()
            else:
                parts.append(part)
        assert "/".join(parts) in names, link
    present = (site / "demo/intro/first/present/index.html").read_text(encoding="utf-8")
    assert 'class="slide-figure"><picture>' in present


@pytest.mark.thorough
def test_the_page_with_a_photo_is_valid_html(minimal: Path, tmp_path: Path) -> None:
    with_photo(minimal)
    site = built(minimal, tmp_path / "site")
    pages = [site / PAGE, site / "demo/intro/first/present/index.html"]
    command = [*java_and_checker(), "--errors-only", "--format", "json", "--stdout", *map(str, pages)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    messages = json.loads(run.stdout)["messages"]
    assert messages == [], messages


@pytest.mark.thorough
@pytest.mark.parametrize("name", ["photo.png", "photo.webp"])
def test_png_and_webp_keep_their_format(minimal: Path, tmp_path: Path, name: str) -> None:
    with_photo(minimal, name, width=1000, height=700)
    site = built(minimal, tmp_path / "site")
    kinds = {p.suffix for p in (site / COPIES).iterdir()}
    assert kinds == ({".webp", ".png"} if name.endswith(".png") else {".webp"})
    html = (site / PAGE).read_text(encoding="utf-8")
    assert ("<picture>" in html) == name.endswith(".png")  # a WebP needs no WebP <source>
    assert 'width="1000" height="700"' in html and "srcset=" in html


@pytest.mark.thorough
def test_a_handout_prints_the_photo_in_its_picture(minimal: Path, tmp_path: Path) -> None:
    """WeasyPrint reads the <img> inside the <picture> (the WebP <source> is for screens): the photo is printed."""
    problem = engine_problem()
    if problem is not None:
        (pytest.fail if REQUIRE_TOOLS else pytest.skip)(str(problem))
    with_photo(minimal)
    course = minimal / "courses/demo/course.yml"
    course.write_text(course.read_text(encoding="utf-8") + "handouts: true\n", encoding="utf-8")
    site = built(minimal, tmp_path / "site")
    reader = pypdf.PdfReader(site / "demo/handouts/intro-participant.pdf")
    sizes = {image.image.size for page in reader.pages for image in page.images if image.image is not None}
    assert (2400, 1600) in sizes


@pytest.mark.thorough
def test_the_cartridge_ships_the_copies_its_page_offers(minimal: Path, tmp_path: Path) -> None:
    with_photo(minimal)
    target = tmp_path / "demo.imscc"
    result = run_export("cc", minimal, "demo", {}, target, AS_OF)
    assert result.ok, [str(d) for d in result.report.errors]
    with zipfile.ZipFile(target) as package:
        names = set(package.namelist())
        page = "demo/intro/first.html"
        offered = local_references(page, package.read(page).decode())
        manifest = package.read("imsmanifest.xml").decode()
        copies = [n for n in offered if f"/{FOLDER}/" in n]
        assert len(copies) == 2 * len(LADDER)
        assert all(n in names and n in manifest for n in copies)
        for name in copies:  # the copies themselves, made for the export, not the photo under their names
            width, kind = recipe(PurePosixPath(name)) or (0, "")
            with Image.open(package.open(name)) as image:
                assert (image.width, image.format) == (width, kind)


@pytest.mark.thorough
def test_a_lost_store_is_made_again_for_a_course_the_build_would_keep(minimal: Path, tmp_path: Path) -> None:
    """Two courses, the store deleted, one course edited: the other one's copies were in the store, so the build
    does not keep that course as the last build made it but makes it again, copies included."""
    with_photo(minimal)
    shutil.copytree(minimal / "courses/demo", minimal / "courses/other")
    make_photo(minimal / "courses/other/media/photo.jpg", 2000, 1500)  # other bytes: other copies in the store
    site = built(minimal, tmp_path / "site")
    made = store_files(site)
    assert len(made) == 4 * len(LADDER)
    shutil.rmtree(site / STORE)
    sequence = minimal / "courses/other/01-intro/01-first.md"
    sequence.write_text(sequence.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    built(minimal, site)
    assert {p.name: b for p, (_t, b) in store_files(site).items()} == {p.name: b for p, (_t, b) in made.items()}


def test_both_markdown_parsers_offer_the_same_picture(minimal: Path) -> None:
    """The Rust short cut and markdown-it-py write the same <picture> (a title, an '&' in the text, an author's
    width), and name the same copies."""
    photo = with_photo(minimal)

    def resolve(raw: str, folder: Path) -> Target:
        return None, MediaFile(photo, PurePosixPath("demo/media/photo.jpg"), photo.stat().st_size), ""

    text = ('Intro\n\n![Une photo & co](../media/photo.jpg "Le quartier")\n\n'
            "Texte ![en ligne](../media/photo.jpg){width=100} fin.\n")
    made = []
    for short_cut in (True, False):
        processor = MarkdownProcessor(False, resolve, short_cut=short_cut)
        report = Report()
        made.append(processor.render(text, Place("x.md", 0, photo.parent), report, pictures=True))
        assert not report.items
    assert made[0].html == made[1].html and made[0].variants == made[1].variants
    assert made[0].html.count("<picture>") == 2 and len(made[0].variants) == 2 * len(LADDER)


@pytest.mark.thorough
def test_a_photo_cut_short_is_refused_even_once_weasyprint_is_imported(minimal: Path, tmp_path: Path) -> None:
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES when imported (a course with handouts): a photo cut
    short would then be made into grey-bottomed copies, silently."""
    import weasyprint  # noqa: F401  # its import is what the test is about

    photo = with_photo(minimal)
    photo.write_bytes(photo.read_bytes()[:3000])
    result = build(BuildOptions(minimal, tmp_path / "site", AS_OF))
    assert not result.ok
    assert any("photo.jpg" in str(e) and "could not be made" in str(e) for e in result.report.errors)
