"""ZIM files: one course as the single file that Kiwix reads (kiwix-serve on a residence's offline hub, the
Kiwix apps on phones and computers).

The file holds the course built alone, without its download bundles (they would store every video again and
are meant for another use), one ZIM entry per file at its path in the site, ``index.html`` as the main page.
Each entry has an explicit MIME type; what is already compressed (video, pictures, PDF) is stored as it is, so
that a reader seeks into a video without unpacking a cluster. Only the real pages (the catalogue, the course,
its modules and sequences) are front articles and go into the full-text index, with the text the model holds
(never a quiz's answers or feedback), given a second time with its accents folded ("energie" finds
"énergie"); the projector and embed views, the progress, certificate, search and licences pages are left out
of it. When the site has ``pretty_urls``, each folder gets two redirects to its ``index.html``: a ZIM has no
folders.

The metadata are those the openZIM wiki asks for (Name, Title of at most 30 characters, Description of at most
80, Language in ISO 639-3, Creator, Publisher, Date, a 48x48 PNG illustration) and recommends (Tags, Source,
License, LongDescription); the illustration is the organisation's logo when it is not an SVG. The default
file name is Kiwix's library's dated one, ``<course>_YYYY-MM.zim``.

Written with PyPI's ``libzim`` (python-libzim 3.x, which bundles libzim 9). libzim gives every file a random
UUID and writes its clusters and its Xapian index from worker threads: two exports of the same content on the
same date hold the same entries and metadata, but not the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import re
import struct
import sys
import unicodedata
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slugify import slugify

from mooc_builder import __version__
from mooc_builder.exports.base import Export, ExportError, Written, files_counted, safe_names
from mooc_builder.exports.pictures import fitted, picture, png
from mooc_builder.lang.text import say, says
from mooc_builder.model import Course, MediaFile, Question, Site
from mooc_builder.render.renderer import Flavour
from mooc_builder.text import plain_text
from mooc_builder.write.output import MemoryOutput
from mooc_builder.write.zip import is_stored

MAIN_PAGE = "index.html"
TITLE_LIMIT = 30
DESCRIPTION_LIMIT = 80
LONG_DESCRIPTION_LIMIT = 4000

# The MIME type of every kind of file a build makes; anything else is application/octet-stream.
MIME_TYPES = {
    "html": "text/html", "css": "text/css", "js": "application/javascript", "json": "application/json",
    "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon",
    "mp4": "video/mp4", "webm": "video/webm", "ogv": "video/ogg", "mp3": "audio/mpeg", "ogg": "audio/ogg",
    "m4a": "audio/mp4", "opus": "audio/ogg", "wav": "audio/wav",
    "vtt": "text/vtt", "md": "text/markdown", "txt": "text/plain", "csv": "text/csv", "ics": "text/calendar",
    "xml": "application/xml", "pdf": "application/pdf", "zip": "application/zip",
    "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# ISO 639-1 (the course's language) to ISO 639-3 (the ZIM's Language and its index's stemmer).
ISO_639_3 = {
    "ar": "ara", "bg": "bul", "bn": "ben", "br": "bre", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan",
    "de": "deu", "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "eus", "fa": "fas",
    "fi": "fin", "fr": "fra", "ga": "gle", "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun",
    "hy": "hye", "id": "ind", "is": "isl", "it": "ita", "ja": "jpn", "ka": "kat", "ko": "kor", "lt": "lit",
    "lv": "lav", "mg": "mlg", "ms": "msa", "nl": "nld", "nb": "nob", "nn": "nno", "no": "nor", "oc": "oci",
    "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv", "sq": "sqi", "sr": "srp",
    "sv": "swe", "sw": "swa", "ta": "tam", "th": "tha", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie",
    "wo": "wol", "zh": "zho",
}

_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


# --- text -----------------------------------------------------------------------------------------------------


def shortened(text: str, limit: int) -> str:
    """``text`` on one line, cut at the last word that fits within ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut and text[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def folded(text: str) -> str:
    """``text`` without its accents and ligatures: what a reader types on a keyboard without them."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def language_code(language: str) -> str:
    """The ISO 639-3 code of a course's language (``fr``, ``fr-CA``: ``fra``)."""
    base = language.replace("_", "-").split("-")[0].lower()
    if len(base) == 3:
        return base
    code = ISO_639_3.get(base)
    if code is None:
        raise ExportError(say("no ISO 639-3 code known for the language {language}: a ZIM file needs one",
                              language=repr(language)))
    return code


def mime_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return MIME_TYPES.get(extension, "application/octet-stream")


# --- what is indexed ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indexed:
    """A real page: its title and the text Kiwix's full-text search finds it by."""

    title: str
    text: str


def indexed_pages(site: Site, course: Course) -> dict[str, Indexed]:
    """The real pages of the ZIM of ``course`` by file, with their text from the model: a sequence's title,
    body, video titles and transcripts, discussion and its quiz's questions (:func:`question_text`: never their
    answers, choices' feedback or explanations); a module's title, objectives and discussion; the course's title,
    audience and summary; the catalogue's title and description."""
    pages = {MAIN_PAGE: Indexed(site.title, " ".join([site.title, site.description]))}
    pages[course.page.file.as_posix()] = Indexed(
        course.title, " ".join([course.title, course.audience, plain_text(course.summary_html)]))
    for module in course.modules:
        pages[module.page.file.as_posix()] = Indexed(
            module.title, " ".join([module.title, *module.objectives, plain_text(module.discussion_html)]))
        for sequence in module.sequences:
            parts = [sequence.title, sequence.body_text, plain_text(sequence.discussion_html)]
            for video in sequence.videos:
                parts += [video.title, plain_text(video.transcript_html)]
            if sequence.quiz is not None:
                parts += [sequence.quiz.title, *(question_text(q) for q in sequence.quiz.questions)]
            pages[sequence.page.file.as_posix()] = Indexed(sequence.title, " ".join(p for p in parts if p))
    return pages


def question_text(question: Question) -> str:
    """A question as the index holds it: its prompt, and a cloze's text with its blanks left out (they are its
    answers). Never what a learner picks from (choices, a matching's sides, an ordering's items, a cloze's
    options, a hotspot's zones): the order it is written in, or a flag, says what is right."""
    between = (plain_text(part) for part in question.cloze if isinstance(part, str))
    return " ".join(text for text in (plain_text(question.prompt_html), *between) if text)


_ELISION = re.compile(r"(?<=\w)['’](?=\w)")


def index_text(text: str) -> str:
    """The text given to the index: as written, then with its accents folded when that changes it. An
    apostrophe between letters becomes a space: Xapian keeps "d'énergie" as one word, which "énergie" does not
    find."""
    text = " ".join(_ELISION.sub(" ", text).split())
    plain = folded(text)
    return text if plain == text else f"{text}\n{plain}"


# --- the illustration -----------------------------------------------------------------------------------------


def logo_illustration(logo: MediaFile | None, size: int = 48) -> bytes:
    """The ZIM's Illustration_48x48@1 (Kiwix shows it in its library): the organisation's logo (an SVG drawn
    by resvg, or pixels) fitted into the square on a transparent ground; else, or when it cannot be read, a
    plain one."""
    image = picture(logo, (size, size)) if logo is not None else None
    return png(fitted(image, (size, size), (255, 255, 255, 0))) if image is not None else illustration(size)


def illustration(size: int = 48) -> bytes:
    """A plain square PNG, the theme's dark blue with a light frame."""
    dark, light = bytes((0x1F, 0x3A, 0x5F, 255)), bytes((0xF4, 0xF6, 0xF8, 255))
    rows = []
    for y in range(size):
        row = bytearray(b"\0")
        for x in range(size):
            edge = min(x, y, size - 1 - x, size - 1 - y)
            row += light if 4 <= edge < 7 else dark
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


# --- metadata -------------------------------------------------------------------------------------------------


def file_name(course: Course, as_of: dt.date) -> str:
    """Kiwix's library's dated name: the book's Name, then the month it was made."""
    return f"{course.id}_{as_of:%Y-%m}.zim"


def catalogue_name(site: Site) -> str:
    """The whole catalogue's book Name: the site's title as a file name ("batiment-durable-les-mooc-du-...")."""
    return slugify(site.title, max_length=60, word_boundary=True) or "mooc"


def catalogue_file_name(site: Site, as_of: dt.date) -> str:
    return f"{catalogue_name(site)}_{as_of:%Y-%m}.zim"


def metadata(site: Site, course: Course, as_of: dt.date) -> dict[str, str]:
    """A course's ZIM's text metadata, in the order they are written."""
    summary = plain_text(course.summary_html) or course.audience or site.description or course.title
    rights = course.rights or site.rights
    source = f"{site.base_url.rstrip('/')}/{course.page.path.as_posix()}/" if site.base_url else ""
    return _metadata(site, (course,), course.id, course.title, summary, language_code(course.language),
                     rights.licence.id if rights is not None else "",
                     (rights.attribution if rights is not None else "") or "", source, as_of)


def catalogue_metadata(site: Site, as_of: dt.date) -> dict[str, str]:
    """The whole catalogue's ZIM's text metadata: the site's title and description; every course's language
    (openZIM's Language is a comma-separated list, the main one first)."""
    languages = [language_code(site.language)]
    languages += sorted({language_code(c.language) for c in site.courses} - set(languages))
    summary = site.description or site.title
    licence = site.rights.licence.id if site.rights is not None else ""
    attribution = site.rights.attribution if site.rights is not None else ""
    source = f"{site.base_url.rstrip('/')}/" if site.base_url else ""
    return _metadata(site, site.courses, catalogue_name(site), site.title, summary, ",".join(languages), licence,
                     attribution, source, as_of)


def _metadata(site: Site, courses: tuple[Course, ...], name: str, title: str, summary: str, language: str,
              licence: str, attribution: str, source: str, as_of: dt.date) -> dict[str, str]:
    organisation = site.organisation.name if site.organisation is not None else ""
    has_videos = any(v.is_local for c in courses for s in c.sequences for v in s.videos)
    tags = ["_category:other", "_ftindex:yes", "_pictures:yes", f"_videos:{'yes' if has_videos else 'no'}",
            "_details:yes", "mooc"]
    meta = {
        "Name": name,
        "Title": shortened(title, TITLE_LIMIT),
        "Description": shortened(summary, DESCRIPTION_LIMIT),
        "Language": language,
        "Creator": attribution or organisation or site.title,
        "Publisher": organisation or site.title,
        "Date": as_of.isoformat(),
        "Tags": ";".join(tags),
        "Scraper": f"mooc-builder {__version__}",
    }
    if len(summary) > DESCRIPTION_LIMIT:
        meta["LongDescription"] = shortened(summary, LONG_DESCRIPTION_LIMIT)
    if licence:
        meta["License"] = licence
    if source:
        meta["Source"] = source
    return meta


# --- the file -------------------------------------------------------------------------------------------------


def _libzim() -> Any:
    try:
        import libzim.writer
    except ImportError:
        raise ExportError(say("the ZIM export needs the libzim package: pip install 'mooc-builder[zim]'")) from None
    return libzim.writer


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """libzim says each step of finishing the file on the process's standard output, verbose or not: that goes
    to the null device while it writes, and mooc's own lines stay."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def folders(names: list[str]) -> Iterator[tuple[str, str]]:
    """For a site with ``pretty_urls``: each folder holding an index.html, as ``dir`` and ``dir/``, with it."""
    for name in names:
        if name.endswith("/index.html"):
            folder = name[: -len("/index.html")]
            yield folder, name
            yield folder + "/", name


def write_zim(site: Site, courses: tuple[Course, ...], files: MemoryOutput, meta: Mapping[str, str],
              target: Path) -> tuple[int, int]:
    """Write the ZIM of ``courses`` (one, or the whole catalogue's) with metadata ``meta`` into ``target``;
    returns how many entries hold files, and how many pages are in the full-text index."""
    writer = _libzim()
    names = [n for n in files.names() if "/downloads/" not in f"/{n}"]
    safe_names(names)
    if MAIN_PAGE not in names:
        raise ExportError(f"the build has no {MAIN_PAGE}")
    pages = {name: page for course in courses for name, page in indexed_pages(site, course).items()}
    language = meta["Language"].split(",")[0]

    class Index(writer.IndexData):  # type: ignore[misc,name-defined]
        def __init__(self, page: Indexed | None) -> None:
            super().__init__()
            self.page = page
            self.content = index_text(page.text) if page is not None else ""

        def has_indexdata(self) -> bool:
            return self.page is not None

        def get_title(self) -> str:
            return self.page.title if self.page is not None else ""

        def get_content(self) -> str:
            return self.content

        def get_keywords(self) -> str:
            return ""

        def get_wordcount(self) -> int:
            return len(self.content.split())

        def get_geoposition(self) -> None:
            return None

    class Entry(writer.Item):  # type: ignore[misc,name-defined]
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name
            self.page = pages.get(name)
            text = files.texts.get(name)
            self.data = text
            self.title = self.page.title if self.page is not None else ""
            if not self.title and text is not None and name.endswith(".html"):
                found = _TITLE.search(text[:4096].decode("utf-8", "replace"))
                self.title = html.unescape(found.group(1)).strip() if found else ""

        def get_path(self) -> str:
            return self.name

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return mime_type(self.name)

        def get_contentprovider(self) -> Any:
            if self.data is not None:
                return writer.StringProvider(self.data)
            return writer.FileProvider(str(files.copies[self.name]))

        # Every entry says what the index gets: python-libzim parses the HTML itself only when this attribute
        # is None, and an IndexData with has_indexdata() false keeps an entry out.
        def get_indexdata(self) -> Any:
            return Index(self.page)

        def get_hints(self) -> dict[Any, int]:
            return {writer.Hint.COMPRESS: not is_stored(self.name), writer.Hint.FRONT_ARTICLE: self.page is not None}

    creator = writer.Creator(str(target))
    creator.config_verbose(False)
    creator.config_indexing(True, language)
    creator.set_mainpath(MAIN_PAGE)
    with _quiet(), creator:
        for name in names:
            creator.add_item(Entry(name))
        if site.pretty_urls:
            present = set(names)
            for path, page in folders(names):
                if path not in present:
                    creator.add_redirection(path, "", page, {writer.Hint.FRONT_ARTICLE: False})
        for key, value in meta.items():
            creator.add_metadata(key, value)
        creator.add_illustration(48, logo_illustration(site.organisation.logo if site.organisation else None))
    return len(names), sum(1 for name in names if name in pages)


class Zim(Export):
    name = "zim"
    help = "one course as a ZIM file, for Kiwix (kiwix-serve on an offline hub, the Kiwix apps)"
    description = """Package one course as a ZIM file, the single file that Kiwix reads: kiwix-serve on
a residence's offline hub, or the Kiwix apps on phones and computers.

The file holds the course built alone, without its download bundles. Its pages
are Kiwix's articles; Kiwix's full-text search finds the course's pages by
their text, accented or not, and never by a quiz's answers. The file is named
as Kiwix's library expects, with the month it is made as of
(course_YYYY-MM.zim); serve it with kiwix-serve -n (no Kiwix toolbar over the
pages). Progress stays in the learner's browser, as on the site."""
    flavour = Flavour(bundles=False)
    catalogue = True

    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        return file_name(course, dt.date.today())

    def dated_file_name(self, course: Course, options: Mapping[str, str], as_of: dt.date) -> str:
        return file_name(course, as_of)

    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        return self.write_dated(site, course, files, options, target, dt.date.today())

    def write_dated(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
                    target: Path, as_of: dt.date) -> Written:
        count, indexed = write_zim(site, (course,), files, metadata(site, course, as_of), target)
        return Written(say("ZIM, {pages} in the full-text index, {files}",
                           pages=says("{n} page", "{n} pages", indexed), files=files_counted(count)), count)

    def catalogue_file_name(self, site: Site, options: Mapping[str, str], as_of: dt.date) -> str:
        return catalogue_file_name(site, as_of)

    def write_catalogue(self, site: Site, files: MemoryOutput, options: Mapping[str, str], target: Path,
                        as_of: dt.date) -> Written:
        count, indexed = write_zim(site, site.courses, files, catalogue_metadata(site, as_of), target)
        return Written(say("ZIM of the whole catalogue, {courses}, {pages} in the full-text index, {files}",
                           courses=says("{n} course", "{n} courses", len(site.courses)),
                           pages=says("{n} page", "{n} pages", indexed), files=files_counted(count)), count)


ZIM = Zim()
