"""Interface text through gettext catalogues: every message translated, plurals, dates and numbers by locale,
and a language added as one file."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.lang.catalogue import CatalogueError, load_catalogues, read_catalogue
from mooc_builder.render.catalogues import extracted, pot_bytes
from mooc_builder.render.theme import default_theme_dir

from .conftest import FIXTURES, REFERENCE
from .sitecheck import parse

THEME = default_theme_dir()
LOCALES = THEME / "locales"


def test_messages_pot_is_made_from_the_templates_and_the_code() -> None:
    # Regenerate it with `make messages`, which also brings every .po up to date.
    assert (LOCALES / "messages.pot").read_bytes() == pot_bytes(), "run make messages"
    assert len({m[2] for m in extracted()}) > 250


@pytest.mark.parametrize("language", sorted(p.stem for p in LOCALES.glob("*.po") if p.stem != "en"))
def test_catalogue_translates_every_message_and_nothing_else(language: str) -> None:
    template = read_po((LOCALES / "messages.pot").open("rb"))
    po = read_po((LOCALES / f"{language}.po").open("rb"))
    wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    done = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in po
            if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert sorted(wanted - done, key=str) == [], f"{language}: untranslated (fill them in {language}.po)"
    assert sorted({(m.context, m.id) for m in po if m.id} - {(m.context, m.id) for m in template if m.id},
                  key=str) == [], f"{language}: translations nothing uses (run make messages)"
    assert not any(m.fuzzy for m in po if m.id), f"{language}: fuzzy translations left"


def test_every_catalogue_compiles_with_its_placeholders() -> None:
    # read_catalogue refuses a translation that loses or invents a {placeholder} (see the test below).
    catalogues = load_catalogues(LOCALES)
    assert set(catalogues) >= {"fr", "en"}
    assert len(catalogues["fr"].messages) > 250 and len(catalogues["fr"].plurals) >= 5


def test_a_catalogue_that_loses_a_placeholder_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "es.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n\n#, python-brace-format\nmsgid "Week {n}"\n'
                   'msgstr "Semana {m}"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"es\.po:6: the translation.s placeholders .*\{m\} unknown"):
        read_catalogue(bad)


def test_plurals_for_every_count() -> None:
    catalogues = load_catalogues(LOCALES)
    fr, en = catalogues["fr"], catalogues["en"]
    forms = ("{n} question", "{n} questions")
    assert [fr.ngettext(*forms, n) for n in (0, 1, 2, 1.5, 1000)] == [
        "0 question", "1 question", "2 questions", "1,5 question", "1\u202f000 questions"]
    assert [en.ngettext(*forms, n) for n in (0, 1, 2, 1.5)] == ["0 questions", "1 question", "2 questions",
                                                               "1.5 questions"]
    # What the page's scripts pick from with Intl.PluralRules: every CLDR category of the language.
    assert fr.js_plural(*forms) == {"one": "{n} question", "many": "{n} questions", "other": "{n} questions"}
    assert en.js_plural(*forms) == {"one": "{n} question", "other": "{n} questions"}


def test_dates_numbers_and_durations_by_locale() -> None:
    catalogues = load_catalogues(LOCALES)
    fr, en = catalogues["fr"], catalogues["en"]
    assert fr.date(dt.date(2017, 11, 14)) == "14 novembre 2017"
    assert fr.date(dt.date(2018, 3, 1)) == "1er mars 2018"
    assert en.date(dt.date(2017, 11, 14)) == "November 14, 2017"
    assert en.date(dt.date(2018, 3, 1)) == "March 1, 2018"
    assert fr.duration(dt.timedelta(minutes=90)) == "1 h 30"
    assert fr.duration(dt.timedelta(minutes=65)) == "1 h 05"
    assert fr.duration(dt.timedelta(minutes=60)) == "1 h"
    assert fr.duration(dt.timedelta(minutes=15)) == "15 min"
    assert en.duration(dt.timedelta(minutes=90)) == "1 h 30 min"
    assert (fr.percent(0.3), en.percent(0.3), fr.percent(0.305)) == ("30\u00a0%", "30%", "30,5\u00a0%")
    assert (fr.number(5.25), en.number(5.25), fr.number(3.0), fr.number(12000)) == ("5,25", "5.25", "3",
                                                                                      "12\u202f000")
    assert (fr.size(1_234_567), en.size(1_234_567), fr.size(45_000)) == ("1,2\u202fMo", "1.2 MB", "45\u202fko")
    assert (fr.language_name("en"), en.language_name("fr"), fr.colon) == ("Anglais", "French", "\u00a0:")


def test_a_language_without_a_catalogue_is_refused_where_it_is_written(minimal: Path) -> None:
    site_yml = minimal / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("language: fr", "language: pl"),
                        encoding="utf-8")
    _site, report = check(minimal)
    [error] = [str(e) for e in report.errors]
    assert re.search(r"site\.yml:\d+:\d+: no interface text in 'pl': the theme has it in en, fr", error)
    assert "locales/pl.po" in error
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("language: pl", "language: FR"),
                        encoding="utf-8")
    _site, report = check(minimal)
    assert ["'FR' is written 'fr'" in str(e) for e in report.errors] == [True]


@pytest.mark.thorough
def test_the_reference_courses_build_in_a_third_language_from_one_added_catalogue(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme)
    shutil.copy(FIXTURES / "locales" / "pl.po", theme / "locales" / "pl.po")
    content = tmp_path / "content"
    shutil.copytree(REFERENCE, content)
    for path in [content / "site.yml", *content.glob("courses/*/course.yml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("language: fr", "language: pl"), encoding="utf-8")
    site = tmp_path / "site"
    result = build(BuildOptions(content, site, dt.date(2026, 12, 5), theme=theme))
    assert result.ok, [str(d) for d in result.report.errors]

    course = parse(site / "energie-habitants" / "index.html")
    assert course.html["lang"] == "pl"
    text = " ".join(course.get_text(" ").split())
    assert "Przejdź do treści" in text  # a message of the catalogue
    assert re.search(r"tygodniowo przez 5 tygodni\b", text)  # the "many" form of Polish, for 5
    # Dates in Polish as CLDR writes them (the genitive of the month), with no month name in a catalogue.
    assert re.search(r"\b\d{1,2} (stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|"
                     r"października|listopada|grudnia) 20\d\d\b", text), text
    kit = " ".join(parse(site / "energie-habitants" / "kit" / "index.html").get_text(" ").split())
    counts = re.findall(r"\b(\d+) (plik|pliki|plików)\b", kit)
    assert counts
    for number, word in counts:
        n = int(number)
        assert word == ("plik" if n == 1 else "pliki" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14)
                        else "plików"), (number, word)
    # A message the catalogue does not translate is the English text, never a hole.
    assert "Objectives" in text or "Programme" in text
    progress = (site / "energie-habitants" / "progress" / "index.html").read_text(encoding="utf-8")
    assert '"few":"Brakuje jeszcze {n} punktów."' in progress and '"one":"Brakuje jeszcze {n} punktu."' in progress


def test_french_punctuation_never_starts_a_line() -> None:
    # French puts a space before : ; ? ! % and inside « »: a non-breaking one, or a narrow screen may begin a
    # line with the colon ("Licence" at the end of one line, ": Creative Commons..." on the next).
    for message in read_po((LOCALES / "fr.po").open("rb")):
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            assert not re.search(r" [:;?!%»]|« ", text or ""), (message.id, text)
    assert load_catalogues(LOCALES)["fr"].colon == "\u00a0:"
