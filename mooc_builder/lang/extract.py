"""The messages mooc says to authors: extracted from the code into ``lang/locales/messages.pot`` and merged into
every ``lang/locales/<code>.po`` (``make messages`` runs cli/catalogue.py, which adds the command's help; the
theme's catalogues are render/catalogues.py's).

A message is a ``say("...")`` or ``says("...", "...", n)`` call (lang/text.py); a command's help (its
docstring, an option's ``help=``) is taken from the command tree by cli/catalogue.py. The files are written
without line numbers or dates: the same messages give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from mooc_builder.lang.catalogue import SOURCE_LANGUAGE

KEYWORDS = {"say": (1,), "says": (1, 2)}
WIDTH = 120
HEADER = """# What mooc says to authors (errors, warnings, help), in English: copy this file to <code>.po, fill in
# every msgstr, and `mooc --lang <code>` speaks that language (see docs/TRANSLATING.md).
# Made by `make messages`: do not edit by hand."""

Found = tuple[str, int, object, str | None]  # file, line, message, context


def _code_folder() -> Path:
    return Path(__file__).resolve().parents[1]


def extracted() -> Iterator[Found]:
    """(file, line, message, context) for every message of the code."""
    code = _code_folder()
    for filename, lineno, message, _comments, context in extract_from_dir(
            code, [("**.py", "python")], {}, KEYWORDS, directory_filter=lambda d: "__pycache__" not in d):
        yield (code / filename).relative_to(code.parent).as_posix(), lineno, message, context


def catalogue(found: Iterable[Found], header: str) -> Catalog:
    """A template catalogue: every message once, with the files it is in."""
    catalog = Catalog(project="mooc-builder", charset="utf-8", fuzzy=False, header_comment=header)
    for filename, lineno, message, context in sorted(found, key=lambda m: (m[0], m[1])):
        catalog.add(message, None, [(filename, lineno)], context=context)  # type: ignore[arg-type]
    return catalog


def po_bytes(catalog: Catalog, **options: bool) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, sort_output=True, omit_header=False, **options)
    return out.getvalue()


def pot_bytes(template: Catalog) -> bytes:
    """A .pot as `make messages` writes it: the files each message is in, without dates or line numbers."""
    text = po_bytes(template, no_location=False, include_lineno=False).decode("utf-8")
    return stable_header(text).encode("utf-8")


def stable_header(text: str) -> str:
    kept = [line for line in text.splitlines(keepends=True)
            if not line.startswith(('"POT-Creation-Date', '"PO-Revision-Date', '"Generated-By',
                                    '"Report-Msgid', '"Last-Translator', '"Language-Team'))]
    return "".join(kept)


def update_folder(folder: Path, template: Catalog) -> list[Path]:
    """Write ``folder``/messages.pot and bring every .po there up to date with it: a new message untranslated,
    a message no longer used removed (git keeps its translation); the files written."""
    written = [folder / "messages.pot"]
    written[0].write_bytes(pot_bytes(template))
    for path in sorted(folder.glob("*.po")):
        if path.stem == SOURCE_LANGUAGE:  # its msgids are its text: the file only says how it counts
            continue
        with path.open("rb") as file:
            po = read_po(file)
        header = po.header_comment
        po.update(template, no_fuzzy_matching=True)
        po.header_comment = header
        text = po_bytes(po, no_location=True, ignore_obsolete=True).decode("utf-8")
        path.write_text(stable_header(text), encoding="utf-8")
        written.append(path)
    return written


