"""A site built onto a residence's USB stick, or on a Windows computer: an exFAT file system (case-insensitive,
no links, no permissions), names Windows cannot hold, spaces and accents in every path, a file too big for a
FAT32 stick, and a page another program holds open. Each failure leaves the previous site as it was."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import FIXTURES, REFERENCE, REQUIRE_TOOLS
from .sitecheck import html_files, links, local_target, parse, site_digest, tree_digest

MOOC = str(Path(sys.executable).parent / "mooc")
AS_OF = "2017-11-20"
MKFS = Path("/usr/sbin/mkfs.exfat")
MOUNT = Path("/usr/sbin/mount.exfat-fuse")
SEQUENCE = "courses/energie-habitants/01-comprendre-sa-facture/01-lire-sa-facture.md"


def mooc(*args: str | Path, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """The `mooc` command as an author runs it; ``limit``: the largest file it may write, in bytes (as a
    FAT32 stick's 4 GB, scaled down)."""

    def at_most() -> None:
        assert limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails with EFBIG, as on the stick

    return subprocess.run([MOOC, *map(str, args)], capture_output=True, text=True, timeout=300, check=False,
                          preexec_fn=at_most if limit else None)


def _run(*command: str | Path) -> str:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=60,
                          check=True).stdout.strip()


def _why_no_stick() -> str:
    if not (MKFS.exists() and MOUNT.exists() and shutil.which("losetup") and shutil.which("fusermount")):
        return "exfatprogs and exfat-fuse are not installed (`make stick-tools` installs them)"
    if os.geteuid() != 0 or not Path("/dev/fuse").exists():
        return "mounting an exFAT image needs root (a loop device) and /dev/fuse"
    return ""


@pytest.fixture(scope="module")
def stick(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A 256 MB exFAT file system, as a stick formatted on Windows, mounted for this module's tests."""
    why = _why_no_stick()
    if why:
        (pytest.fail if REQUIRE_TOOLS else pytest.skip)(why)
    folder = tmp_path_factory.mktemp("stick")
    image = folder / "stick.img"
    with image.open("wb") as handle:
        handle.truncate(256 << 20)
    _run(MKFS, "-L", "CLE USB", image)
    device = _run("losetup", "--find", "--show", image)
    mount = folder / "CLE USB"
    mount.mkdir()
    try:
        _run(MOUNT, device, mount)
        try:
            (mount / "Probe.txt").write_text("x", encoding="utf-8")
            assert (mount / "probe.txt").exists(), "not a case-insensitive file system"
            (mount / "Probe.txt").unlink()
            yield mount
        finally:
            _run("fusermount", "-u", mount)
    finally:
        _run("losetup", "--detach", device)


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("disk") / "site"
    run = mooc("build", REFERENCE, "-o", out, "--as-of", AS_OF, "--quiet")
    assert run.returncode == 0, run.stderr
    return out


@pytest.mark.thorough
def test_a_site_built_on_an_exfat_stick_is_the_one_built_on_disk(stick: Path, on_disk: Path,
                                                                  tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REFERENCE, content)
    out = stick / "Formation énergie"
    first = mooc("build", content, "-o", out, "--as-of", AS_OF, "--quiet")
    assert first.returncode == 0, first.stderr
    assert site_digest(out) == site_digest(on_disk)
    page = content / SEQUENCE
    page.write_text(page.read_text(encoding="utf-8").replace("\n\n", "\n\nAjout. ", 1), encoding="utf-8")
    again = mooc("build", content, "-o", out, "--as-of", AS_OF)
    assert again.returncode == 0, again.stderr
    written = int(re.search(r"(\d+) files written", again.stdout).group(1))  # type: ignore[union-attr]
    assert 0 < written < 40  # the edited sequence's pages, sheet and bundles, not the whole site
    fresh = tmp_path / "fresh"
    assert mooc("build", content, "-o", fresh, "--as-of", AS_OF, "--quiet").returncode == 0
    assert site_digest(out) == site_digest(fresh)
    leftovers = [p.name for p in stick.rglob("*") if p.name.endswith(".mooc-old") or p.name.startswith("stage-")]
    assert leftovers == []


def _minimal(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    return content


@pytest.mark.parametrize(("old", "new"), [("01-intro", "01-con"), ("02-suite/01-third.md", "02-suite/01-aux.md"),
                                          ("02-suite", "02-com1"), ("01-intro/02-second.md", "01-intro/02-lpt9.md")])
def test_an_id_windows_keeps_for_a_device_is_refused(tmp_path: Path, old: str, new: str) -> None:
    content = _minimal(tmp_path)
    course = content / "courses/demo"
    (course / old).rename(course / new)
    for text in course.rglob("*.md"):  # the links to a renamed sequence follow it
        text.write_text(text.read_text(encoding="utf-8").replace(Path(old).name, Path(new).name), encoding="utf-8")
    run = mooc("check", content)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"courses/demo/{new}" in run.stderr and "a name Windows keeps for a device" in run.stderr


@pytest.mark.parametrize("name", ["fiche?.pdf", "fiche: mode d'emploi.pdf", 'la "fiche".pdf', "a|b.pdf", "nul.pdf",
                                  "CON.pdf", "fiche.pdf."])
def test_a_media_name_a_stick_cannot_hold_is_refused_where_it_is_used(tmp_path: Path, name: str) -> None:
    content = _minimal(tmp_path)
    media = content / "courses/demo/media"
    (media / "sheet.pdf").rename(media / name)
    first = content / "courses/demo/01-intro/01-first.md"
    written = name.replace('"', '\\"')
    first.write_text(first.read_text(encoding="utf-8").replace("src: ../media/sheet.pdf",
                                                                f'src: "../media/{written}"'), encoding="utf-8")
    run = mooc("check", content)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert re.search(r"01-intro/01-first\.md:15:\d+: ", run.stderr), run.stderr
    assert "Windows" in run.stderr and "rename the file" in run.stderr


def test_media_names_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    content = _minimal(tmp_path)
    media = content / "courses/demo/media"
    shutil.copy(media / "clip.svg", media / "Clip.svg")
    first = content / "courses/demo/01-intro/01-first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n![Le même](../media/Clip.svg)\n", encoding="utf-8")
    run = mooc("check", content)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "'Clip.svg' and 'clip.svg' differ only in case" in run.stderr or \
        "'clip.svg' and 'Clip.svg' differ only in case" in run.stderr


def test_spaces_and_accents_in_every_path(tmp_path: Path) -> None:
    """A Windows user's folders ("Mes documents", "Formation énergie") and an author's file names."""
    content = _minimal(tmp_path / "Mes formations à jour")
    media = content / "courses/demo/media"
    (media / "sheet.pdf").rename(media / "fiche à lire (été 2024).pdf")
    (media / "clip.svg").rename(media / "Schéma n°1.svg")
    for text in [*content.rglob("*.md"), *content.rglob("*.yml")]:
        text.write_text(text.read_text(encoding="utf-8")
                        .replace("../media/sheet.pdf", '"../media/fiche à lire (été 2024).pdf"')
                        .replace("(../media/clip.svg)", "(<../media/Schéma n°1.svg>)")
                        .replace("../media/clip.svg", '"../media/Schéma n°1.svg"'), encoding="utf-8")
    out = tmp_path / "Site pour la clé"
    run = mooc("build", content, "-o", out, "--as-of", AS_OF, "--quiet")
    assert run.returncode == 0, run.stderr
    assert (out / "demo/media/fiche à lire (été 2024).pdf").is_file()
    page = out / "demo/intro/first/index.html"
    hrefs = set(links(parse(page)))
    assert "../../media/fiche%20%C3%A0%20lire%20(%C3%A9t%C3%A9%202024).pdf" in hrefs
    assert "../../media/Sch%C3%A9ma%20n%C2%B01.svg" in hrefs
    broken = [(f.relative_to(out).as_posix(), link) for f in html_files(out) for link in links(parse(f))
              if (target := local_target(f, link)) is not None and not target[0].exists()]
    assert broken == []


def test_a_file_too_big_for_the_stick_is_explained_and_the_site_kept(tmp_path: Path) -> None:
    content = _minimal(tmp_path)
    out = tmp_path / "site"
    assert mooc("build", content, "-o", out, "--as-of", AS_OF, "--quiet").returncode == 0
    before = tree_digest(out)
    with (content / "courses/demo/media/sheet.pdf").open("ab") as sheet:
        sheet.write(os.urandom(3 << 20))  # over the 2 MB this run may write: a 5 GB video on a FAT32 stick
    run = mooc("build", content, "-o", out, "--as-of", AS_OF, limit=2 << 20)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "FAT32" in run.stderr and "exFAT" in run.stderr and "previous site was left as it was" in run.stderr
    assert tree_digest(out) == before


@contextmanager
def _held(path: Path) -> Iterator[None]:
    """What Windows does to a file another program has open (a browser showing it, an antivirus reading it):
    it cannot be replaced nor removed; the same for a folder open in the file explorer."""
    subprocess.run(["chattr", "+i", str(path)], check=True, timeout=30)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True, timeout=30)


@pytest.mark.thorough
@pytest.mark.parametrize("held", ["demo/intro/first/index.html", "demo/intro/first"])
def test_a_page_another_program_holds_open_is_named_and_the_site_kept(tmp_path: Path, held: str) -> None:
    content = _minimal(tmp_path)
    out = tmp_path / "site"
    assert mooc("build", content, "-o", out, "--as-of", AS_OF, "--quiet").returncode == 0
    first = content / "courses/demo/01-intro/01-first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("Some text", "Some new text"), encoding="utf-8")
    before = tree_digest(out)
    with _held(out / held):
        run = mooc("build", content, "-o", out, "--as-of", AS_OF)
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert "demo/intro/first" in run.stderr and "another program may have it open" in run.stderr
        assert "previous site was left as it was" in run.stderr
        assert tree_digest(out) == before
    again = mooc("build", content, "-o", out, "--as-of", AS_OF)  # once it is closed
    assert again.returncode == 0, again.stderr
    assert "Some new text" in (out / "demo/intro/first/index.html").read_text(encoding="utf-8")
