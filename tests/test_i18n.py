"""Every interface string of the default theme is translated in every catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mooc_builder.render.i18n import load_catalogues
from mooc_builder.render.theme import default_theme_dir

THEME = default_theme_dir()
_MESSAGE = re.compile(r"""_\((?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def template_messages() -> set[str]:
    """Every message of the templates, and of the few labels the Python code asks the catalogue for."""
    found: set[str] = set()
    code = sorted(Path(default_theme_dir().parent.parent.parent / "mooc_builder").rglob("*.py"))
    code = code or sorted((Path(__file__).resolve().parent.parent / "mooc_builder").rglob("*.py"))
    for path in [*sorted((THEME / "templates").rglob("*")), *code]:
        if not path.is_file():
            continue
        for double, single in _MESSAGE.findall(path.read_text(encoding="utf-8")):
            found.add(double or single)
    return found


def test_templates_use_messages() -> None:
    assert len(template_messages()) > 100


@pytest.mark.parametrize("language", sorted(set(load_catalogues(THEME / "locales")) - {"en"}))
def test_catalogue_is_complete(language: str) -> None:
    catalogue = load_catalogues(THEME / "locales")[language]
    missing = sorted(template_messages() - set(catalogue.messages))
    unused = sorted(set(catalogue.messages) - template_messages())
    assert missing == [], f"{language}: untranslated: {missing}"
    assert unused == [], f"{language}: translations nothing uses: {unused}"


def test_placeholders_survive_translation() -> None:
    for language, catalogue in load_catalogues(THEME / "locales").items():
        for message, translation in catalogue.messages.items():
            assert set(re.findall(r"\{\w+", message)) == set(re.findall(r"\{\w+", translation)), (language, message)


def test_dates_and_durations_in_french_and_english() -> None:
    import datetime as dt

    catalogues = load_catalogues(Path(THEME) / "locales")
    fr, en = catalogues["fr"], catalogues["en"]
    assert fr.date(dt.date(2017, 11, 14)) == "14 novembre 2017"
    assert fr.date(dt.date(2018, 3, 1)) == "1er mars 2018"
    assert en.date(dt.date(2017, 11, 14)) == "14 November 2017"
    assert fr.duration(dt.timedelta(minutes=90)) == "1 h 30"
    assert fr.duration(dt.timedelta(minutes=65)) == "1 h 05"
    assert fr.duration(dt.timedelta(minutes=60)) == "1 h"
    assert fr.duration(dt.timedelta(minutes=15)) == "15 min"
    assert en.duration(dt.timedelta(minutes=90)) == "1 h 30 min"
