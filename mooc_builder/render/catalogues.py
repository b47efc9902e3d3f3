"""The messages a theme's catalogues translate: extracted from its templates and from mooc-builder's code into
``locales/messages.pot``, and merged into every ``locales/<code>.po`` (`make messages`).

A template asks for a message with ``_("text")``, ``_n("{n} file", "{n} files", count)`` or
``js_plural(...)`` (the forms of a message a script counts with); Python code with ``gettext``,
``ngettext``, ``pgettext`` or the marker ``N_`` (text the model holds in English, such as licence names,
translated where it is shown).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from mooc_builder.model.licences import REGISTRY, custom_licence
from mooc_builder.render.i18n import SOURCE_LANGUAGE
from mooc_builder.render.theme import default_theme_dir

# What each call's arguments are, as Babel's extractors read them: a number is the position of a msgid (two
# numbers: singular and plural), (n, "c") that of a context.
KEYWORDS = {**DEFAULT_KEYWORDS, "_n": (1, 2), "js_plural": (1, 2)}
TEMPLATE_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true"}
WIDTH = 120
HEADER = """# The interface text of mooc-builder's default theme, in English: copy this file to <code>.po (es.po,
# pt-BR.po), fill in every msgstr, and the site speaks that language (see docs/TRANSLATING.md).
# Made by `make messages`: do not edit by hand."""


def _code_folder() -> Path:
    return Path(__file__).resolve().parents[1]


def extracted(theme: Path | None = None) -> Iterator[tuple[str, int, object, str | None]]:
    """(file, line, message, context) for every message of the theme's templates and of the code."""
    folder = theme or default_theme_dir()
    sources = [
        (folder / "templates", [("**.html", "jinja2"), ("**.txt", "jinja2")], folder),
        (_code_folder(), [("**.py", "python")], _code_folder().parent),
    ]
    options = {"**.html": TEMPLATE_OPTIONS, "**.txt": TEMPLATE_OPTIONS}
    for where, methods, relative_to in sources:
        for filename, lineno, message, _comments, context in extract_from_dir(
                where, methods, options, KEYWORDS, directory_filter=lambda d: "__pycache__" not in d):
            yield (where / filename).relative_to(relative_to).as_posix(), lineno, message, context
    # The licences' names and terms, which the model holds in English and pages translate (fmt.licence_name);
    # an author's own licence (LicenseRef-...) has its own name, but its terms are a message too.
    texts = [text for licence in REGISTRY.values() for text in (licence.name, licence.terms)]
    for text in [*texts, custom_licence("LicenseRef-x", "").terms]:
        yield "mooc_builder/model/licences.py", 1, text, None


def template_catalogue(theme: Path | None = None) -> Catalog:
    """messages.pot's catalogue: every message once, with where it is used."""
    catalog = Catalog(project="mooc-builder", charset="utf-8", fuzzy=False, header_comment=HEADER)
    for filename, lineno, message, context in sorted(extracted(theme), key=lambda m: (m[0], m[1])):
        catalog.add(message, None, [(filename, lineno)], context=context)  # type: ignore[arg-type]
    return catalog


def _po_bytes(catalog: Catalog, **options: bool) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, sort_output=True, omit_header=False, **options)
    return out.getvalue()


def pot_bytes(theme: Path | None = None) -> bytes:
    """messages.pot as `make messages` writes it: the files each message is in, without dates or line numbers
    (the same messages give the same bytes, whatever moved in the files)."""
    text = _po_bytes(template_catalogue(theme), no_location=False, include_lineno=False).decode("utf-8")
    return _stable_header(text).encode("utf-8")


def _stable_header(text: str) -> str:
    kept = [line for line in text.splitlines(keepends=True)
            if not line.startswith(('"POT-Creation-Date', '"PO-Revision-Date', '"Generated-By',
                                    '"Report-Msgid', '"Last-Translator', '"Language-Team'))]
    return "".join(kept)


def update(theme: Path | None = None) -> list[Path]:
    """Write messages.pot and bring every .po up to date with it: a new message untranslated, a message no
    longer used removed (git keeps its translation); the files written."""
    folder = (theme or default_theme_dir()) / "locales"
    template = template_catalogue(theme)
    written = [folder / "messages.pot"]
    written[0].write_bytes(pot_bytes(theme))
    for path in sorted(folder.glob("*.po")):
        if path.stem == SOURCE_LANGUAGE:  # its msgids are its text: the file only says how it counts
            continue
        with path.open("rb") as file:
            po = read_po(file)
        header = po.header_comment
        po.update(template, no_fuzzy_matching=True)
        po.header_comment = header
        text = _po_bytes(po, no_location=True, ignore_obsolete=True).decode("utf-8")
        path.write_text(_stable_header(text), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in update(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(written_path)
