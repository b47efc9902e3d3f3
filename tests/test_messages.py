"""What mooc says to authors, in their language: mooc's own catalogue (mooc_builder/lang/locales/), the choice of
the language, plurals, and messages said in French at the place they are about."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from mooc_builder.cli import cli
from mooc_builder.cli.catalogue import template
from mooc_builder.cli.speech import printable
from mooc_builder.lang.catalogue import read_catalogue
from mooc_builder.lang.choose import LOCALES, choose, language_of
from mooc_builder.lang.extract import pot_bytes
from mooc_builder.lang.text import listing, say, says

from .conftest import ROOT

PACKAGE = ROOT / "mooc_builder"
TRANSLATED = sorted(p.stem for p in LOCALES.glob("*.po"))


def test_messages_pot_is_made_from_the_code() -> None:
    # Regenerate it with `make messages`, which also brings every .po up to date.
    assert (LOCALES / "messages.pot").read_bytes() == pot_bytes(template()), "run make messages"


def test_every_message_is_a_literal_template_that_the_catalogue_has() -> None:
    # A message built with an f-string or a variable cannot be found in a catalogue: its values go in {names}.
    # And a literal one the extraction cannot see (inside an f-string's braces) would never be translated.
    wrong, seen = [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("say", "says"):
                count = 1 if node.func.id == "say" else 2
                literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:count])
                if len(node.args) < count or not literal:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                else:
                    seen.add(node.args[0].value)  # type: ignore[attr-defined]
    assert wrong == []
    template = read_po((LOCALES / "messages.pot").open("rb"))
    extracted_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert sorted(seen - extracted_ids) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_translates_every_message_and_nothing_else(language: str) -> None:
    template = read_po((LOCALES / "messages.pot").open("rb"))
    po = read_po((LOCALES / f"{language}.po").open("rb"))

    def key(m: object) -> str:
        msgid = m.id  # type: ignore[attr-defined]
        return msgid if isinstance(msgid, str) else msgid[0]

    wanted = {key(m) for m in template if m.id}
    done = {key(m) for m in po if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert sorted(wanted - done) == [], f"{language}: untranslated (fill them in {language}.po)"
    assert sorted({key(m) for m in po if m.id} - wanted) == [], f"{language}: unused (run make messages)"
    assert not any(m.fuzzy for m in po if m.id), f"{language}: fuzzy translations left"
    read_catalogue(LOCALES / f"{language}.po")  # refuses a lost or invented {placeholder}, with its line


def test_french_punctuation_is_spaced_without_breaking() -> None:
    # French puts a space before : ; ? ! and inside « »; a no-break space (U+00A0, which every Windows console
    # code page has) keeps the mark on its word's line.
    po = read_po((LOCALES / "fr.po").open("rb"))
    wrong = []
    for message in po:
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            if message.id and re.search(r" [:;?!»]|« ", text or ""):
                wrong.append(text)
    assert wrong == []


@pytest.mark.parametrize(("given", "environ", "system", "chosen"), [
    ("fr", {"MOOC_LANG": "en"}, None, "fr"),  # --lang first
    (None, {"MOOC_LANG": "fr", "LANG": "en_GB.UTF-8"}, None, "fr"),
    (None, {"LANG": "fr_FR.UTF-8"}, None, "fr"),
    (None, {"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, None, "en"),  # LC_ALL wins over LANG
    (None, {"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, None, "fr"),  # the first language mooc speaks
    (None, {"LANG": "C.UTF-8"}, "French_France", "fr"),  # Windows: the display language
    (None, {}, "fr_BE", "fr"),
    (None, {"LANG": "de_DE.UTF-8"}, None, "en"),  # no German messages: English
    (None, {}, None, "en"),
])
def test_the_language_is_the_first_one_asked_for_that_mooc_speaks(
        given: str | None, environ: dict[str, str], system: str | None, chosen: str) -> None:
    assert choose(given, environ, system) == chosen


def test_locale_names_give_their_language() -> None:
    assert [language_of(n) for n in ("fr_FR.UTF-8", "fr-CA", "French_France.1252", "C", "POSIX", "")] == [
        "fr", "fr", "fr", "", "", ""]


def test_plurals_and_lists_in_each_language() -> None:
    french = read_catalogue(LOCALES / "fr.po")
    assert [says("{n} error", "{n} errors", n).say(french) for n in (0, 1, 2, 1000)] == [
        "0 erreur", "1 erreur", "2 erreurs", "1\u202f000 erreurs"]
    assert [str(says("{n} error", "{n} errors", n)) for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert listing(["a", "b", "c"]).say(french) == "«\u00a0a\u00a0», «\u00a0b\u00a0» ou «\u00a0c\u00a0»"
    assert str(listing(["a", "b", "c"])) == "'a', 'b' or 'c'"
    nested = say("{count}: nothing was built.", count=says("{n} error", "{n} errors", 2))
    assert nested.say(french) == "2 erreurs\u00a0: rien n'a été construit."


def test_the_catalogue_is_read_from_the_installed_package() -> None:
    assert (LOCALES / "messages.pot").is_file() and Path(LOCALES).is_relative_to(PACKAGE)


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, env=env, prog_name="mooc")
    return result.exit_code, result.output


def test_help_is_in_the_language_asked_for() -> None:
    code, french = _run(["--lang", "fr", "build", "--help"])
    assert code == 0
    assert french.startswith("Utilisation\u00a0: mooc build [OPTIONS] [CONTENT_DIR]")
    assert "Construit le site statique de CONTENT_DIR" in french and "\nOptions\u00a0:\n" in french
    assert "Affiche ce message et quitte." in french and "Traite les avertissements comme des erreurs" in french
    code, english = _run(["build", "--help"])
    assert english.startswith("Usage: mooc build") and "Show this message and exit." in english
    # MOOC_LANG, then the locale variables, choose when --lang is not given; the list of commands too.
    _code, listed = _run(["--help"], env={"MOOC_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"})
    assert "\nCommandes\u00a0:\n" in listed
    assert "Vérifie CONTENT_DIR" in listed


def test_usage_errors_are_said_in_french() -> None:
    code, output = _run(["--lang", "fr", "chek"])
    assert code == 2
    assert "Essayez «\u00a0mooc --help\u00a0» pour l'aide." in output
    assert "Erreur\u00a0: Pas de commande «\u00a0chek\u00a0». Vouliez-vous dire «\u00a0check\u00a0»\u00a0?" in output
    code, output = _run(["build", "--lang", "fr", "--as-of", "2020-13-01"])
    assert code == 2
    assert ("Erreur\u00a0: Valeur non valable pour «\u00a0--as-of\u00a0»\u00a0: «\u00a02020-13-01\u00a0» n'est pas "
            "une date\u00a0; écrivez AAAA-MM-JJ") in output
    code, output = _run(["--lang", "fr", "check", "--format", "yaml"])
    assert "«\u00a0yaml\u00a0» n'est pas «\u00a0text\u00a0» ou «\u00a0json\u00a0»." in output


def test_the_report_and_its_counts_in_french(minimal: Path) -> None:
    quiz = minimal / "courses/demo/01-intro/01-first.md"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("duration: 5min", "duration: [5min"), encoding="utf-8")
    code, output = _run(["--lang", "fr", "check", str(minimal)])
    assert code == 1
    assert output.endswith("1 erreur.\n")
    assert "01-first.md:3:11: " in output and "\n    duration: [5min\n              ^\n" in output
    code, output = _run(["--lang", "fr", "build", str(minimal), "-o", str(minimal.parent / "site")])
    assert output.endswith("1 erreur\u00a0: rien n'a été construit.\n")
    code, output = _run(["--lang", "fr", "check", "--format", "json", str(minimal)])
    report = json.loads(output)
    assert report["errors"] == 1 and report["diagnostics"][0]["line"] == 3


def test_a_clean_check_and_a_build_in_french(minimal: Path, tmp_path: Path) -> None:
    code, output = _run(["--lang", "fr", "check", str(minimal)])
    assert code == 0 and output.splitlines()[-1] in (f"{minimal}\u00a0: OK", f"{minimal}\u00a0: OK (1 avertissement)")
    code, output = _run(["--lang", "fr", "build", str(minimal), "-o", str(tmp_path / "site"), "--as-of",
                         "2017-11-20"])
    assert code == 0, output
    assert re.search(r"Construit\u00a0: \d+ pages \(\d+ rendues, \d+ fichiers écrits\), \d+ paquets? à "
                     r"télécharger et \d+ fichiers dans .*site/ en \d+,\d+ s\.", output), output


def test_what_a_windows_terminal_cannot_write_is_replaced_not_a_crash() -> None:
    french = read_catalogue(LOCALES / "fr.po")
    said = says("{n} error", "{n} errors", 1234).say(french)
    assert said == "1\u202f234 erreurs"  # CLDR's narrow no-break space between thousands
    assert printable(said, "cp1252") == "1\u00a0234 erreurs"
    assert printable("→ ok", "cp1252") == "? ok" and printable("→ ok", "utf-8") == "→ ok"
    # Every French message can be written as Windows writes a redirected command's output.
    po = read_po((LOCALES / "fr.po").open("rb"))
    for message in po:
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            (text or "").encode("cp1252")
