"""Which language mooc speaks to the person running it, and its catalogue of messages.

In order: ``--lang``, then ``MOOC_LANG``, then the system's: the POSIX locale variables (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``) and, on Windows, which sets none of them, the language of the user's
display. The first one mooc has messages in wins; English when none.
"""

from __future__ import annotations

import functools
import locale
import sys
from collections.abc import Mapping
from pathlib import Path

from mooc_builder.lang.catalogue import SOURCE_LANGUAGE, Catalogue, read_catalogue

LOCALES = Path(__file__).resolve().parent / "locales"
_POSIX = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def languages() -> list[str]:
    """The languages mooc speaks, by code: English and one per catalogue."""
    return sorted({SOURCE_LANGUAGE, *(p.stem.replace("_", "-") for p in LOCALES.glob("*.po"))})


def choose(option: str | None, environ: Mapping[str, str], system: str | None = None) -> str:
    """The code of the language to speak: the first of ``option``, MOOC_LANG, the locale variables and
    ``system`` (the display language's locale name, 'fr_FR' or 'French_France') that mooc speaks."""
    spoken = languages()
    wanted: list[str | None] = [option, environ.get("MOOC_LANG")]
    for name in _POSIX:
        value = environ.get(name, "")
        # LANGUAGE is a list by preference ("fr:en"); the others one locale ("fr_FR.UTF-8").
        wanted.extend(value.split(":") if name == "LANGUAGE" else [value])
        if value and name != "LANGUAGE":
            break  # the first locale variable set decides, as setlocale reads them
    wanted.append(system)
    for asked in wanted:
        code = language_of(asked or "")
        if code in spoken:
            return code
    return SOURCE_LANGUAGE


def language_of(name: str) -> str:
    """The language code of a locale name: 'fr' for 'fr_FR.UTF-8', 'fr-BE', 'French_France.1252' or 'fr';
    '' for 'C', 'POSIX' or an unknown one."""
    base = name.split(".")[0].split("@")[0].replace("-", "_")
    first = base.split("_")[0]
    if not first or first.upper() in ("C", "POSIX"):
        return ""
    if first.isascii() and first.isalpha() and len(first) in (2, 3):
        return first.lower()
    return _ENGLISH_NAMES().get(first.lower(), "")  # Windows: the language's English name


@functools.cache
def _ENGLISH_NAMES() -> dict[str, str]:
    import babel

    return {name.lower(): code for code, name in babel.Locale("en").languages.items() if "_" not in code}


def system_language() -> str | None:
    """The locale name of the user's display language on Windows ('fr_FR'); None elsewhere (the locale
    variables say it there)."""
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()
        return locale.windows_locale.get(lcid) or locale.getlocale()[0]
    except (AttributeError, OSError, ValueError):
        return locale.getlocale()[0]


@functools.cache
def catalogue(code: str) -> Catalogue | None:
    """mooc's messages in ``code``; None for English, the language they are written in."""
    if code == SOURCE_LANGUAGE:
        return None
    return read_catalogue(LOCALES / f"{code}.po")
