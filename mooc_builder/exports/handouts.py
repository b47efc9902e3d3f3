"""Printable handouts as PDF: each module's participant handout and facilitator guide (render/handouts.py
makes their HTML), laid out by WeasyPrint; and `mooc export handouts`, a course's handouts in one zip.

Why WeasyPrint: it is a real CSS paged-media engine (A4 pages, margins, page numbers in the footer, page
breaks kept away from a question or a picture), it installs from PyPI as pure Python on Linux and macOS, and
its PDFs are readable by people and by programs (real text with its fonts embedded, pictures as images, SVG
drawings as vectors, the headings as bookmarks). It needs one system library, Pango (with HarfBuzz and
fontconfig): on Debian `libpango-1.0-0` and `libpangoft2-1.0-0` (`make pdf-libs`), on macOS `brew install
pango`, on Windows MSYS2's pango or the GTK3 runtime. When it cannot be loaded, :func:`engine` raises
:class:`EngineMissing`, whose message says which library is missing and how to install it: the build says it
once and makes the rest of the site (build/handouts.py); this export stops with it.

The PDFs are reproducible: their dates are the build's date, their identifier is made from what they show,
and the engine reads nothing but the pictures a handout shows (:class:`SiteFiles`: no other file, no
network), so the same content built on the same date gives the same bytes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import io
import mimetypes
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from mooc_builder.exports.base import Export, ExportError, Written
from mooc_builder.lang.text import Text, say, says
from mooc_builder.model import HANDOUT_ROLES, Course, Module, Site
from mooc_builder.render.handouts import handout_media, has_handouts
from mooc_builder.render.renderer import Flavour
from mooc_builder.write.output import MemoryOutput
from mooc_builder.write.zip import ZipWriter, deflate

# The address a handout's relative links and pictures are resolved from when the site has no base_url: a
# reserved name that never resolves (RFC 2606); SiteFiles answers for it, nothing is ever fetched.
NOWHERE = "https://handout.invalid"


class EngineMissing(Exception):
    """WeasyPrint or a library it needs cannot be loaded; the message says which and how to install it."""


def install_hint() -> Text:
    """How to install what WeasyPrint needs, on this system."""
    if sys.platform.startswith("win"):
        return say("on Windows, install Pango with MSYS2 (https://www.msys2.org/, then in its shell `pacman -S "
                   "mingw-w64-ucrt-x86_64-pango`) or the GTK3 runtime for Windows; WeasyPrint looks in {folder}, or "
                   "in the folders the WEASYPRINT_DLL_DIRECTORIES variable names", folder=r"C:\msys64\ucrt64\bin")
    if sys.platform == "darwin":
        return say("on macOS, `brew install pango`")
    return say("on Debian or Ubuntu, `sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core` "
               "(`make pdf-libs` does it); elsewhere, your system's Pango package")


@dataclass(frozen=True)
class Engine:
    """WeasyPrint, loaded, and the fetcher class made from its own."""

    html: Any  # weasyprint.HTML
    fetcher: Callable[[str, Mapping[str, Path]], Any]  # (root, files) -> a weasyprint URLFetcher


@functools.cache
def _load() -> Engine | Text:
    """WeasyPrint once per process, or why it cannot be loaded."""
    try:
        # WeasyPrint prints its own notice on stdout before it raises: the build says it in its own words.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
            from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError as exc:
        return say("WeasyPrint is not installed ({problem}); `pip install weasyprint` (mooc-builder's own install "
                   "has it)", problem=exc)
    except OSError as exc:
        found = re.search(r"cannot load library '([^']+)'", str(exc))
        library = found.group(1) if found else str(exc)
        return say("WeasyPrint could not load the library {library} (Pango, or one it needs): {install}",
                   library=library, install=install_hint())

    class SiteFiles(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        """Answers for the site's own files a handout shows, from their sources; refuses everything else."""

        def __init__(self, root: str, files: Mapping[str, Path]) -> None:
            super().__init__()
            self.prefix = root.rstrip("/") + "/"
            self.files = files

        def fetch(self, url: str, headers: object = None) -> Any:
            if url.startswith("data:"):  # a picture written into the page: nothing to read
                return super().fetch(url, headers)
            source = None
            if url.startswith(self.prefix):
                source = self.files.get(unquote(url[len(self.prefix):].split("#", 1)[0].split("?", 1)[0]))
            if source is None:
                raise ValueError(f"{url} is not one of the pictures this handout shows")
            mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, source.read_bytes(), {"Content-Type": mime})

    return Engine(weasyprint.HTML, SiteFiles)


def engine() -> Engine:
    """WeasyPrint, loaded once per process; raises EngineMissing (saying what to install) when it cannot be."""
    loaded = _load()
    if isinstance(loaded, Text):
        raise EngineMissing(loaded)
    return loaded


def engine_problem() -> Text | None:
    """Why WeasyPrint cannot be loaded here (saying what to install), or None when it can."""
    loaded = _load()
    return loaded if isinstance(loaded, Text) else None


@functools.cache
def engine_version() -> str:
    """The installed WeasyPrint's version, without loading it (part of what a PDF's key is made of)."""
    try:
        return importlib.metadata.version("weasyprint")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def make_pdf(html: str, place: PurePosixPath, files: Mapping[str, Path], base_url: str) -> bytes:
    """The PDF of a handout's ``html``, made for its ``place`` in the site: its relative links are resolved
    from there (in the published site when ``base_url`` is set), and its pictures read from ``files`` (their
    sources, by site path) and nowhere else. Its identifier is a digest of the HTML and the pictures: the same
    handout gives the same bytes, in a build or an export. Raises EngineMissing."""
    weasy = engine()
    root = base_url or NOWHERE
    shown = hashlib.sha256(html.encode("utf-8"))
    for name in sorted(files):
        shown.update(f"\0{name}\0".encode())
        shown.update(hashlib.sha256(files[name].read_bytes()).digest())
    fetcher = weasy.fetcher(root, files)
    document = weasy.html(string=html, base_url=f"{root}/{place.as_posix()}", url_fetcher=fetcher).render()
    data: bytes = document.write_pdf(pdf_identifier=shown.hexdigest()[:32].encode("ascii"))
    return data


def handout_source(module: Module, role: str) -> PurePosixPath:
    """Where an export's build holds a handout's HTML: beside the PDF it becomes (so its links are the same)."""
    return module.handout_file(role).with_suffix(".html")


class Handouts(Export):
    name = "handouts"
    help = "one course's printable handouts (PDF, A4) in a zip: each module's participant handout and facilitator guide"
    description = """Make the printable handouts of one course, in a zip.

For each published module, two PDFs (A4 portrait, ready to print):
<module>-participant.pdf, the text of each sequence with its drawings and
pictures, the videos as poster and title, the quizzes without their answers
and with room to answer, and the credits and licences; and
<module>-facilitator.pdf, the session plan (order, durations, material,
discussion prompts), then each sequence's answers, explanations and feedback.
The same files as a site's <course>/handouts/ folder when its course.yml says
handouts: true. Needs WeasyPrint's Pango library (see the README)."""
    flavour = Flavour(bundles=False, handouts=True)

    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        return f"{course.id}-handouts.zip"

    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        modules = [m for m in course.modules if has_handouts(m)]
        if not modules:
            raise ExportError(say("course {course} has no published module with a sequence: no handout to make",
                                  course=course.id))
        try:
            with target.open("wb") as handle:
                archive = ZipWriter(handle)
                for module in modules:
                    media = {path: m.source for path, m in handout_media(module).items()}
                    for role in HANDOUT_ROLES:
                        html = files.texts[handout_source(module, role).as_posix()].decode("utf-8")
                        place = module.handout_file(role)
                        archive.add_deflated(place.name, deflate(make_pdf(html, place, media, site.base_url)))
                archive.close()
        except EngineMissing as exc:
            raise ExportError(say("cannot make the handouts: {problem}", problem=exc.args[0])) from None
        count = len(modules) * len(HANDOUT_ROLES)
        return Written(say("{handouts} (PDF, A4) of {modules}", handouts=says("{n} handout", "{n} handouts", count),
                           modules=says("{n} module", "{n} modules", len(modules))), count)


HANDOUTS = Handouts()
