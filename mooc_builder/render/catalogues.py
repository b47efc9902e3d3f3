"""The messages a theme's catalogues translate: extracted from its templates and from mooc-builder's code into
``locales/messages.pot``, and merged into every ``locales/<code>.po`` (`make messages`).

A template asks for a message with ``_("text")``, ``_n("{n} file", "{n} files", count)`` or
``js_plural(...)`` (the forms of a message a script counts with); Python code with ``gettext``,
``ngettext``, ``pgettext`` or the marker ``N_`` (text the model holds in English, such as licence names,
translated where it is shown).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from mooc_builder.lang import extract
from mooc_builder.lang.extract import catalogue, update_folder
from mooc_builder.model.licences import REGISTRY, custom_licence
from mooc_builder.render.theme import default_theme_dir

# What each call's arguments are, as Babel's extractors read them: a number is the position of a msgid (two
# numbers: singular and plural), (n, "c") that of a context.
KEYWORDS = {**DEFAULT_KEYWORDS, "_n": (1, 2), "js_plural": (1, 2)}
TEMPLATE_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true"}
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
    return catalogue(extracted(theme), HEADER)


def pot_bytes(theme: Path | None = None) -> bytes:
    """messages.pot as `make messages` writes it (see lang/extract.py)."""
    return extract.pot_bytes(template_catalogue(theme))


def update(theme: Path | None = None) -> list[Path]:
    """Write the theme's messages.pot and bring every .po of the theme up to date with it."""
    return update_folder((theme or default_theme_dir()) / "locales", template_catalogue(theme))


if __name__ == "__main__":
    for written_path in update(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(written_path)
