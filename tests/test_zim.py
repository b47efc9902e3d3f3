"""ZIM files (`mooc export zim`): the file read back with python-libzim (metadata, MIME types, media stored as
they are, the full-text index), validated by zim-tools' zimcheck, and served by kiwix-tools' kiwix-serve (a
page, a video by Range, its captions, Kiwix's full-text search with and without accents, no quiz answer in
its hits). zimcheck and kiwix-serve are Debian's (`make kiwix-tools`, a prerequisite of `make test`).

zimcheck runs every check but -I (integrity): bookworm's zimcheck (3.1.3, on libzim 8) reads the title index
pointer that libzim 9.3 and newer no longer fill (0xffffffffffffffff, openzim/libzim#969) as a table outside
the file, a known false alarm (openzim/zim-tools#484); the test holds -I to that one message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import re
import shutil
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from libzim.reader import Archive
from libzim.search import Query, Searcher

from mooc_builder.build.checking import check
from mooc_builder.build.export import run_export
from mooc_builder.cli import cli
from mooc_builder.exports.zim import MIME_TYPES, folded, language_code, question_text, shortened
from mooc_builder.load.cache import LoadCache
from mooc_builder.text import plain_text

from .conftest import FIXTURES, REFERENCE, REQUIRE_TOOLS
from .processes import free_port, stop

AS_OF = dt.date(2017, 11, 20)
SEQUENCE = "demo/intro/first/index.html"
ACCENTED = "économies d'énergie"  # added to the first sequence's text
ANSWERS = ["dix-neuf", "Because", "juste"]  # an accepted answer, an explanation, the answer sheet's wording
# What the minimal quiz's matching, ordering, cloze and hotspot questions would give away: a cloze's blanks (a text
# answer, a select's options), a hotspot's zones (an ordering's items are also the sequences' titles, see below).
NEW_ANSWERS = ["nineteen", "warm", "cold", "corner", "middle"]
ZIMCHECK_ALL_BUT_INTEGRITY = ["-C", "-0", "-M", "-F", "-P", "-R", "-U", "-X", "-L"]


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        why = f"{name} is not installed (`make kiwix-tools` installs Debian's kiwix-tools and zim-tools)"
        if REQUIRE_TOOLS:
            pytest.fail(why)
        pytest.skip(why)
    return path


def content_copy(folder: Path, pretty: bool = False) -> Path:
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content, symlinks=True)
    first = content / "courses/demo/01-intro/01-first.md"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("Some text with", f"Les {ACCENTED} commencent ici. Some text with"),
                     encoding="utf-8")
    if pretty:
        site = content / "site.yml"
        site.write_text(site.read_text(encoding="utf-8") + "pretty_urls: true\n", encoding="utf-8")
    return content


def export(folder: Path, pretty: bool = False) -> Path:
    content = content_copy(folder, pretty)
    result = run_export("zim", content, None, {}, folder / "demo.zim", AS_OF)
    assert result.ok, result.report
    assert result.path is not None
    return result.path


@pytest.fixture(scope="module")
def zim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("zim"))


def entries(archive: Archive) -> dict[str, object]:
    found = {}
    for i in range(archive.entry_count):
        entry = archive._get_entry_by_id(i)
        found[entry.path] = entry
    return found


def search(archive: Archive, words: str) -> list[str]:
    results = Searcher(archive).search(Query().set_query(words))
    return list(results.getResults(0, 100))


# --- the file -------------------------------------------------------------------------------------------------


def test_metadata(zim: Path) -> None:
    archive = Archive(zim)
    meta = {key: archive.get_metadata(key) for key in archive.metadata_keys}
    text = {k: v.decode("utf-8") for k, v in meta.items() if not k.startswith("Illustration")}
    assert text["Name"] == "demo"
    assert text["Title"] == "Demo course" and len(text["Title"]) <= 30
    assert 0 < len(text["Description"]) <= 80
    assert text["Language"] == "fra"
    assert text["Creator"] == "Org" and text["Publisher"] == "Org"
    assert text["Date"] == "2017-11-20"
    assert text["License"] == "CC-BY-NC-ND-4.0"
    assert "_ftindex:yes" in text["Tags"].split(";") and "_videos:yes" in text["Tags"].split(";")
    png = meta["Illustration_48x48@1"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (48, 48)
    assert archive.has_illustration(48)
    assert archive.main_entry.get_item().path == "index.html"
    assert archive.has_fulltext_index


def test_entries_mime_types_and_no_bundles(zim: Path) -> None:
    archive = Archive(zim)
    found = entries(archive)
    assert SEQUENCE in found and "demo/media/clip.mp4" in found and "demo/media/clip.fr.vtt" in found
    assert not [p for p in found if "/downloads/" in f"/{p}"]  # no download bundle
    for path in found:
        item = archive.get_entry_by_path(path).get_item()
        extension = path.rsplit(".", 1)[-1]
        assert item.mimetype == MIME_TYPES[extension], path
    assert archive.get_entry_by_path(SEQUENCE).get_item().title == "First sequence"


def test_media_stored_as_they_are(zim: Path) -> None:
    """A video, a picture or a PDF is in the file byte for byte (not in a compressed cluster); a page is not."""
    data = zim.read_bytes()
    for media in ("clip.mp4", "sheet.pdf"):
        source = (FIXTURES / "minimal/courses/demo/media" / media).read_bytes()
        assert source in data, media
    page = bytes(Archive(zim).get_entry_by_path(SEQUENCE).get_item().content)
    assert len(page) > 1000 and page[200:400] not in data


def test_front_articles_are_the_real_pages(zim: Path) -> None:
    archive = Archive(zim)
    # the catalogue, the course, its 2 modules and 3 sequences
    assert archive.article_count == 7


def test_full_text_index(zim: Path) -> None:
    """Kiwix's search finds a page by an accented word, written with or without its accents; never by a quiz's
    answer; never in a projector or embed view; and every real page is in the index (python-libzim drops an
    item from it silently when its get_indexdata gives None)."""
    archive = Archive(zim)
    assert search(archive, "énergie") == [SEQUENCE]
    assert search(archive, "energie") == [SEQUENCE]
    assert search(archive, "economies") == [SEQUENCE]
    for answer in [*ANSWERS, *NEW_ANSWERS]:
        assert search(archive, answer) == [], answer
    assert search(archive, "degrees enough") == [SEQUENCE]  # a cloze's text, its blanks left out
    site, _report = check(FIXTURES / "minimal", LoadCache())
    assert site is not None
    quiz = site.courses[0].sequences[0].quiz
    assert quiz is not None
    assert [question_text(q) for q in quiz.questions][5:] == ["Match them.", "In order?",
                                                             "Fill in. It is degrees, enough.", "Where?"]
    hits = search(archive, "sequence")
    assert set(hits) == {SEQUENCE, "demo/intro/second/index.html", "demo/suite/third/index.html"}
    assert not [h for h in search(archive, "demo") if "/present/" in h or "/embed/" in h]
    real = ["index.html", "demo/index.html", "demo/intro/index.html", "demo/suite/index.html", SEQUENCE,
            "demo/intro/second/index.html", "demo/suite/third/index.html"]
    for path in real:  # each found by its title
        title = archive.get_entry_by_path(path).get_item().title
        assert path in search(archive, f'"{title}"'), (path, title)


def test_zimcheck(zim: Path) -> None:
    zimcheck = tool("zimcheck")
    run = subprocess.run([zimcheck, *ZIMCHECK_ALL_BUT_INTEGRITY, str(zim)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Overall Test Status: Pass" in run.stdout
    integrity = subprocess.run([zimcheck, "-I", str(zim)], capture_output=True, text=True, timeout=60)
    said = integrity.stdout + integrity.stderr
    assert integrity.returncode == 0 or "Full Title index table outside" in said, said


def test_pretty_urls_folders_redirect(tmp_path: Path) -> None:
    zim = export(tmp_path, pretty=True)
    archive = Archive(zim)
    for folder in ("demo", "demo/", "demo/intro/first", "demo/intro/first/"):
        entry = archive.get_entry_by_path(folder)
        assert entry.is_redirect, folder
        assert entry.get_redirect_entry().path == folder.rstrip("/") + "/index.html"
    assert archive.article_count == 7
    # zimcheck finds every internal link but those to the site's root ("./", "../../"): a ZIM has no entry
    # with an empty path, and kiwix-serve sends the book's root to its main page (below).
    run = subprocess.run([tool("zimcheck"), "-U", "-L", str(zim)], capture_output=True, text=True, timeout=60)
    missing = re.findall(r"^\((.*)\) were not found in article", run.stdout, re.M)
    assert missing and set(missing) == {""}, run.stdout
    with kiwix_serve(zim) as base:
        for folder in ("", "demo/", "demo/intro/first/", "demo/intro/first"):
            status, _headers, page = get(f"{base}/{zim.stem}/{folder}")
            assert status == 200 and b"<title>" in page, folder
        _status, _headers, page = get(f"{base}/{zim.stem}/demo/intro/first/")
        assert b"First sequence" in page


def test_illustration_from_a_logo_in_pixels(tmp_path: Path) -> None:
    """A PNG logo (100x50, red) becomes the 48x48 illustration, fitted and centred."""
    from PIL import Image

    content = content_copy(tmp_path)
    Image.new("RGB", (100, 50), (200, 0, 0)).save(content / "media/logo.png")
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("media/logo.svg", "media/logo.png"), encoding="utf-8")
    result = run_export("zim", content, None, {}, tmp_path / "demo.zim", AS_OF)
    assert result.ok and result.path is not None, result.report
    png = Archive(result.path).get_metadata("Illustration_48x48@1")
    with Image.open(io.BytesIO(png)) as picture:
        assert picture.format == "PNG" and picture.size == (48, 48)
        rgba = picture.convert("RGBA")
        assert rgba.getpixel((24, 24))[:3] == (200, 0, 0)  # the logo, in the middle
        assert rgba.getpixel((24, 2))[3] == 0  # above it, transparent (100x50 fits as 48x24)


def test_illustration_from_an_svg_logo_and_a_plain_one_when_it_cannot_be_read(tmp_path: Path) -> None:
    """The minimal site's SVG logo (a black square) is drawn by resvg into the whole square; an SVG that
    cannot be read gives the plain illustration (dark blue, a light frame)."""
    from PIL import Image

    def illustration(content: Path) -> Image.Image:
        result = run_export("zim", content, None, {}, tmp_path / "demo.zim", AS_OF)
        assert result.ok and result.path is not None, result.report
        with Image.open(io.BytesIO(Archive(result.path).get_metadata("Illustration_48x48@1"))) as opened:
            return opened.convert("RGBA")

    content = content_copy(tmp_path)
    drawn = illustration(content)
    assert drawn.getpixel((1, 1)) == drawn.getpixel((24, 24)) == (0, 0, 0, 255)
    # A drawing the check takes (one that is not XML is refused before) but that resvg cannot draw.
    (content / "media/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>',
                                            encoding="utf-8")
    plain = illustration(content)
    assert plain.getpixel((24, 24)) == (0x1F, 0x3A, 0x5F, 255) and plain.getpixel((5, 5)) == (0xF4, 0xF6, 0xF8, 255)


def test_same_content_same_entries(zim: Path, tmp_path: Path) -> None:
    """Two exports of the same content as of the same date hold the same entries, bytes and metadata (the
    files differ by libzim's random UUID and the order its threads write in)."""
    again = Archive(export(tmp_path))
    first = Archive(zim)
    assert list(entries(again)) == list(entries(first))
    for path in entries(first):
        assert bytes(first.get_entry_by_path(path).get_item().content) == \
            bytes(again.get_entry_by_path(path).get_item().content), path
    assert {k: first.get_metadata(k) for k in first.metadata_keys} == \
        {k: again.get_metadata(k) for k in again.metadata_keys}


def test_command_default_name(minimal: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "zim", str(minimal), "--as-of", "2017-11-20"])
    assert result.exit_code == 0, result.output
    assert "demo_2017-11.zim" in result.output and "ZIM, 7 pages in the full-text index" in result.output
    assert Path("demo_2017-11.zim").is_file()
    assert "Detect dangling" not in result.output  # libzim's own progress lines are not shown


def test_texts() -> None:
    assert shortened("Maîtriser les charges de chauffage dans le logement social", 30) == "Maîtriser les charges de…"
    assert len(shortened("x" * 40, 30)) == 30
    assert shortened("Court", 30) == "Court"
    assert folded("Économies d'énergie, cœur") == "Economies d'energie, coeur"
    assert language_code("fr") == "fra" and language_code("en-GB") == "eng"


# --- kiwix-serve ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def kiwix_serve(zim: Path, *more: Path) -> Iterator[str]:
    """kiwix-serve -n (no toolbar) on 127.0.0.1, the ZIMs copied into a temporary folder; its address. Stopped
    at the end, by its process."""
    binary = tool("kiwix-serve")
    with tempfile.TemporaryDirectory(prefix="kiwix-") as folder:
        books = []
        for file in (zim, *more):
            books.append(str(Path(folder) / file.name))
            shutil.copy(file, books[-1])
        port = free_port()
        process = subprocess.Popen([binary, "-n", "--address=127.0.0.1", f"--port={port}", *books],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=folder)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=2).close()
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert process.poll() is None, process.stderr.read() if process.stderr else ""
                    assert time.monotonic() < deadline, "kiwix-serve did not answer within 15 s"
                    time.sleep(0.1)
            yield base
        finally:
            stop(process, 10)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def kiwix_hits(base: str, book: str, pattern: str) -> list[str]:
    query = urllib.parse.urlencode({"content": book, "pattern": pattern, "pageLength": 100})
    _status, _headers, body = get(f"{base}/search?{query}")
    return re.findall(rf'href="/{re.escape(book)}/([^"#?]+)"', body.decode("utf-8"))


def test_kiwix_serve(zim: Path) -> None:
    with kiwix_serve(zim) as base:
        book = f"{base}/{zim.stem}"
        status, headers, page = get(f"{book}/{SEQUENCE}")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert b"First sequence" in page and b"taskbar" not in page  # -n: no toolbar injected
        status, headers, body = get(f"{book}/demo/media/clip.mp4", {"Range": "bytes=0-9"})
        assert status == 206 and len(body) == 10
        assert headers["Content-Range"].startswith("bytes 0-9/") and headers["Content-Type"] == "video/mp4"
        status, headers, captions = get(f"{book}/demo/media/clip.fr.vtt")
        assert status == 200 and headers["Content-Type"].startswith("text/vtt")
        assert captions.startswith(b"WEBVTT")

        # Kiwix's own full-text search (kiwix-serve 3.3): accented and not, no answer, no projector/embed view
        assert kiwix_hits(base, zim.stem, "énergie") == [SEQUENCE]
        assert kiwix_hits(base, zim.stem, "energie") == [SEQUENCE]
        for answer in ANSWERS:
            assert kiwix_hits(base, zim.stem, answer) == [], answer
        hits = kiwix_hits(base, zim.stem, "sequence")
        assert SEQUENCE in hits and not [h for h in hits if "/present/" in h or "/embed/" in h]
        _status, _headers, results = get(f"{base}/search?" + urllib.parse.urlencode(
            {"content": zim.stem, "pattern": "sequence"}))
        for answer in ANSWERS:
            assert answer.encode() not in results, answer


# --- the reference courses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("course", ["energie-habitants"])
def test_reference_course(course: str, tmp_path: Path) -> None:
    """A reference course's ZIM passes zimcheck, and Kiwix's search in kiwix-serve finds the same pages for
    "énergie" and "energie", real pages only, with no quiz explanation or answer sheet wording in the hits."""
    result = run_export("zim", REFERENCE, course, {}, tmp_path / f"{course}.zim", AS_OF)
    assert result.ok and result.path is not None, result.report
    zim = result.path
    run = subprocess.run([tool("zimcheck"), *ZIMCHECK_ALL_BUT_INTEGRITY, str(zim)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stdout
    site, _report = check(REFERENCE, LoadCache())
    assert site is not None
    model = next(c for c in site.courses if c.id == course)
    sequences = {s.page.file.as_posix() for s in model.sequences}
    explanations = [plain_text(q.explanation_html)[:60] for s in model.sequences if s.quiz is not None
                    for q in s.quiz.questions if q.explanation_html]
    assert explanations
    with kiwix_serve(zim) as base:
        accented = kiwix_hits(base, zim.stem, "énergie")
        assert accented and set(accented) == set(kiwix_hits(base, zim.stem, "energie"))
        assert {h for h in accented if "/present/" in h or "/embed/" in h} == set()
        assert set(accented) & sequences
        _status, _headers, body = get(f"{base}/search?" + urllib.parse.urlencode(
            {"content": zim.stem, "pattern": "energie", "pageLength": 100}))
        text = html.unescape(re.sub(r"<[^>]+>", "", body.decode("utf-8")))
        for explanation in explanations:
            assert explanation not in text, explanation
        assert "Voir la réponse" not in text and "Révéler" not in text


@pytest.mark.thorough
def test_the_whole_catalogue_in_one_zim(tmp_path: Path) -> None:
    """`mooc export zim --all`: every reference course in one book, named after the site, its catalogue as
    the main page; zimcheck passes it, and kiwix-serve finds a word of one course among all of them."""
    result = run_export("zim", REFERENCE, None, {}, tmp_path / "all.zim", AS_OF, catalogue=True)
    assert result.ok and result.path is not None, result.report
    site, _report = check(REFERENCE, LoadCache())
    assert site is not None
    archive = Archive(result.path)
    text = {k: archive.get_metadata(k).decode("utf-8") for k in archive.metadata_keys if not k.startswith("Ill")}
    assert text["Name"] == "batiment-durable-les-mooc-du-logement-social"
    assert text["Title"] == "Bâtiment durable : les MOOC…" and text["Language"] == "fra"
    assert text["Source"] == "https://mooc.habitat-social.example.org/"
    assert archive.main_entry.get_item().path == "index.html"
    main = bytes(archive.main_entry.get_item().content).decode("utf-8")
    for course in site.courses:
        assert f'href="{course.page.file.as_posix()}"' in main
        assert archive.has_entry_by_path(course.certificate_page.file.as_posix())
    assert archive.article_count == 1 + sum(1 + len(c.modules) + len(c.sequences) for c in site.courses)
    run = subprocess.run([tool("zimcheck"), *ZIMCHECK_ALL_BUT_INTEGRITY, str(result.path)], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stdout
    ownership = next(c for c in site.courses if c.id == "accession-propriete")
    with kiwix_serve(result.path) as base:
        hits = set(kiwix_hits(base, result.path.stem, "propriétaire"))
        sequences = {s.page.file.as_posix() for s in ownership.sequences}
        assert hits & sequences
        # Elsewhere, only the catalogue, whose description speaks of tenants who would become owners.
        assert {h for h in hits if not h.startswith(ownership.page.path.as_posix() + "/")} == {"index.html"}


def test_all_is_the_catalogue_and_not_with_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    both = runner.invoke(cli, ["export", "zim", str(REFERENCE), "--all", "--course", "energie-habitants"])
    assert both.exit_code == 2 and "--all packs every course: give it without --course" in both.output
    done = runner.invoke(cli, ["export", "zim", str(REFERENCE), "--all", "--as-of", "2026-12-06"])
    assert done.exit_code == 0, done.output
    assert "ZIM of the whole catalogue, 4 courses" in done.output
    assert (tmp_path / "batiment-durable-les-mooc-du-logement-social_2026-12.zim").is_file()
    assert "--all" not in runner.invoke(cli, ["export", "scorm", "--help"]).output
