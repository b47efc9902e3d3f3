"""What `mooc check` says about an author's YAML and values, in French and in English, at its place: syntax
mistakes explained in the author's words with the line and a caret, French values read as meant, a did-you-mean
for a date written day first and for a misspelt key, a missing key, a certificate no one can earn, hints made
from the author's own tree (their folder's name, their heading, their media), and counts said as French says
them.

Each test breaks one thing in a copy of the minimal tree (tests/test_errors.py's ``content``), runs the command
in the language asked for, and checks whole lines of what it printed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from mooc_builder.cli import cli
from mooc_builder.load import values
from mooc_builder.model import limits
from tests.test_errors import DEMO, FIRST, INTRO, QUIZ, SECOND, Content, at, content

__all__ = ["content"]  # the fixture

COURSE = f"{DEMO}/course.yml"
MODULE = f"{INTRO}/module.yml"
SITE = "content/site.yml"
N = "\u00a0"  # French puts a no-break space before : ; ? ! and inside « »


def q(value: str) -> str:
    return f"«{N}{value}{N}»"


def check(language: str) -> tuple[int, list[str]]:
    """The exit code and the lines `mooc --lang LANGUAGE check content` printed."""
    result = CliRunner().invoke(cli, ["--lang", language, "check", "content"])
    return result.exit_code, result.output.splitlines()


def said(language: str, line: str, *below: str) -> list[str]:
    """The lines printed, after checking that ``line`` is one of them (a warning's, indented, too) and that
    the lines ``below`` it follow it."""
    _code, lines = check(language)
    found = [i for i, printed in enumerate(lines) if printed.strip() == line]
    assert found, "\n".join([f"not printed: {line}", *lines])
    assert lines[found[0] + 1:found[0] + 1 + len(below)] == list(below), "\n".join(lines)
    return lines


# --- YAML syntax, in the author's words, with the line and a caret ----------------------------------

@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"l'apostrophe dans 'L'important' ferme le texte que le guillemet simple du début avait ouvert{N}; "
           f"écrivez la valeur entre guillemets doubles{N}: title: \"L'important\", ou doublez l'apostrophe{N}: "
           "title: 'L''important'"),
    ("en", "the apostrophe in 'L'important' ends the text that the single quote opened; write the value between "
           "double quotes: title: \"L'important\", or double the apostrophe: title: 'L''important'"),
])
def test_an_apostrophe_inside_single_quotes(content: Content, language: str, message: str) -> None:
    text = content.replace(COURSE, 'title: "Demo course"', "title: 'L'important'")
    said(language, f"{COURSE}:{at(text, chr(39) + 'important')}: {message}",
         "    title: 'L'important'", "             ^")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"il manque une espace après {q('title:')}{N}; écrivez title: Bonjour (une espace après les deux-points, "
           "avant la valeur)"),
    ("en", "a space is missing after 'title:'; write title: Bonjour (a space after the colon, before the value)"),
])
def test_a_missing_space_after_the_colon(content: Content, language: str, message: str) -> None:
    content.replace(COURSE, 'title: "Demo course"', "title:Bonjour")
    said(language, f"{COURSE}:1:7: {message}", "    title:Bonjour", "          ^")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"cette ligne est indentée de 4 espaces, mais la ligne {{above}} au-dessus l'est de 2{N}: les clés d'un "
           f"même bloc doivent être alignées{N}; indentez-la de 2 espaces comme la ligne {{above}}, ou, si elle fait "
           "partie d'un bloc plus haut, autant que les clés de ce bloc (l'indentation compte en YAML)"),
    ("en", "this line is indented 4 spaces, but line {above} above it is indented 2: the keys of one block must line "
           "up; indent it 2 spaces like line {above}, or if it belongs to an earlier block, as far as that block's "
           "keys (indentation counts in YAML)"),
])
def test_a_line_indented_unlike_the_line_above(content: Content, language: str, message: str) -> None:
    text = content.replace(COURSE, "  enrol_until: 2017-12-26\n", "    enrol_until: 2017-12-26\n")
    above = at(text, "start: 2017").split(":")[0]
    said(language, f"{COURSE}:{at(text, 'enrol_until')}: {message.format(above=above)}",
         "        enrol_until: 2017-12-26", "        ^")


def test_one_space_is_said_in_the_singular(content: Content) -> None:
    content.replace(MODULE, "week: 1", " week: 1")
    _code, lines = check("fr")
    assert any(f"{MODULE}:2:2: cette ligne est indentée de 1 espace, mais la ligne 1 au-dessus l'est de 0{N}:"
               in line for line in lines), "\n".join(lines)


# --- French values --------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "meant"), [("2min30", dt.timedelta(minutes=2, seconds=30)),
                                                ("2 minutes", dt.timedelta(minutes=2)),
                                                ("2 min 30", dt.timedelta(minutes=2, seconds=30))])
def test_french_values_are_read_as_meant(content: Content, written: str, meant: dt.timedelta) -> None:
    content.replace(QUIZ, "answer: no", "answer: faux")
    content.replace(FIRST, "duration: 5min", f"duration: {written}")
    code, lines = check("fr")
    assert code == 0 and lines[-1] == f"content{N}: OK", "\n".join(lines)
    site = content.clean()
    sequence = site.courses[0].modules[0].sequences[0]
    assert sequence.duration == meant
    assert sequence.quiz is not None and sequence.quiz.questions[1].answer_bool is False
    content.replace(QUIZ, "answer: faux", "answer: vrai")
    assert check("fr")[0] == 0
    question = content.clean().courses[0].modules[0].sequences[0].quiz.questions[1]  # type: ignore[union-attr]
    assert question.answer_bool is True


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"on attend une date, pas {q('14/11/2026')}{N}; vouliez-vous dire 2026-11-14{N}? Les dates s'écrivent "
           "année-mois-jour"),
    ("en", "expected a date, found '14/11/2026'; did you mean 2026-11-14? Dates are written year-month-day"),
])
def test_a_date_written_day_first_gets_a_did_you_mean(content: Content, language: str, message: str) -> None:
    text = content.replace(COURSE, "start: 2017-11-14", "start: 14/11/2026")
    said(language, f"{COURSE}:{at(text, '14/11/2026')}: {message}")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"on attend une durée, pas {q('2 heures et demie')}{N}; écrivez-la comme 90s, 15min, 1h, 1h30, "
           "2 min 30 ou 4:30"),
    ("en", "expected a duration, found '2 heures et demie'; write it like 90s, 15min, 1h, 1h30 or 4:30"),
])
def test_a_duration_that_means_nothing_says_how_to_write_one(content: Content, language: str, message: str) -> None:
    text = content.replace(FIRST, "duration: 5min", "duration: 2 heures et demie")
    said(language, f"{FIRST}:{at(text, '2 heures')}: {message}")


# --- keys -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"clé inconnue {q('passmark')} dans course.yml{N}; vouliez-vous dire {q('pass_mark')}{N}?"),
    ("en", "unknown key 'passmark' in course.yml; did you mean 'pass_mark'?"),
])
def test_an_unknown_key_gets_a_did_you_mean(content: Content, language: str, message: str) -> None:
    text = content.replace(COURSE, "pass_mark: 30%", "passmark: 30%")
    said(language, f"{COURSE}:{at(text, 'passmark')}: {message}")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"clé inconnue {q('lieu')} dans une session{N}; clés permises{N}: name, start, enrol_from, "
           "enrol_until, end, enrol_url"),
    ("en", "unknown key 'lieu' in a session; allowed keys: name, start, enrol_from, enrol_until, end, "
           "enrol_url"),
])
def test_an_unknown_key_with_nothing_close_lists_the_allowed_ones(content: Content, language: str,
                                                                  message: str) -> None:
    text = content.replace(COURSE, "  enrol_url:", "  lieu: Paris\n  enrol_url:")
    lines = said(language, f"{COURSE}:{at(text, 'lieu')}: {message}")
    assert "did you mean" not in "\n".join(lines)


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"il manque {q('title')}{N}; ajoutez title: \"Intro\""),
    ("en", "'title' is missing; add title: \"Intro\""),
])
def test_a_missing_title_is_asked_for_with_the_folder_s_name(content: Content, language: str, message: str) -> None:
    content.replace(MODULE, 'title: "Introduction"\n', "")
    said(language, f"{MODULE}:1:1: {message}")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"il manque {q('title')}{N}; ajoutez title: \"Lire l'étiquette\""),
    ("en", "'title' is missing; add title: \"Lire l'étiquette\""),
])
def test_a_missing_title_is_asked_for_with_the_author_s_heading(content: Content, language: str,
                                                                 message: str) -> None:
    content.write(SECOND, "---\nduration: 2min\n---\n# Lire l'étiquette\n\nDu texte.\n")
    said(language, f"{SECOND}:2:1: {message}")


def test_a_missing_title_without_a_heading_is_asked_for_with_the_file_s_name(content: Content) -> None:
    content.write(SECOND, "---\nduration: 2min\n---\nDu texte.\n")
    said("fr", f"{SECOND}:2:1: il manque {q('title')}{N}; ajoutez title: \"Second\"")


def test_no_hint_comes_from_the_reference_courses(content: Content) -> None:
    content.replace(COURSE, 'title: "Demo course"\n', "")
    content.replace(MODULE, 'title: "Introduction"\n', "")
    content.replace(SITE, "logo: media/logo.svg", "logo: images/logo.svg")
    _code, lines = check("fr")
    printed = "\n".join(lines)
    assert f"{COURSE}:1:1: il manque {q('title')}{N}; ajoutez title: \"Demo\"" in lines, printed
    for reference in ("Maîtriser", "Comprendre sa facture", "Lire sa facture", "fiche.pdf"):
        assert reference not in printed


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"image du logo {q('images/logo.svg')} introuvable{N}; écrivez le chemin à partir de ce fichier, par "
           "exemple media/logo.svg"),
    ("en", "logo image 'images/logo.svg' not found; write the path relative to this file, e.g. media/logo.svg"),
])
def test_a_missing_file_s_example_is_one_of_the_author_s_own(content: Content, language: str, message: str) -> None:
    text = content.replace(SITE, "logo: media/logo.svg", "logo: images/logo.svg")
    said(language, f"{SITE}:{at(text, 'images/logo.svg')}: {message}")


@pytest.mark.parametrize(("language", "written", "reason"), [
    ("fr", "01-frist.md", "cette séquence n'existe pas"), ("fr", "../media/plan.svg", "fichier introuvable"),
    ("en", "01-frist.md", "no such sequence"), ("en", "../media/plan.svg", "file not found"),
])
def test_a_broken_link_says_why_in_the_author_s_language(content: Content, language: str, written: str,
                                                         reason: str) -> None:
    text = content.replace(SECOND, "[the first](01-first.md#a-section)", f"[the first]({written})")
    _code, lines = check(language)
    prefix = f"{SECOND}:{at(text, written)}: "
    link = f"lien vers {q(written)}{N}: " if language == "fr" else f"link to '{written}': "
    assert any(line.startswith(prefix + link + reason + (f"{N};" if language == "fr" else ";")) for line in lines), \
        "\n".join(lines)


# --- the certificate, and counts ------------------------------------------------------------------

@pytest.mark.parametrize(("language", "message", "summary"), [
    ("fr", f"certificate: true, mais aucun quiz de ce cours n'est noté{N}: aucun participant ne peut obtenir "
           f"l'attestation{N}; ajoutez à une séquence un quiz avec graded: true (c'est la valeur par défaut), ou "
           "écrivez certificate: false", f"content{N}: OK (1 avertissement)"),
    ("en", "certificate: true, but no quiz of this course is graded: no learner can earn the certificate; add a "
           "quiz with graded: true (the default) to a sequence, or write certificate: false",
     "content: OK (1 warning)"),
])
def test_a_certificate_no_one_can_earn_is_a_warning(content: Content, language: str, message: str,
                                                    summary: str) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', 'title: "Quiz : intro"\ngraded: false\n')
    text = content.read(COURSE)
    lines = said(language, f"{COURSE}:{at(text, 'true')}: {message}")
    assert lines[-1] == summary


def test_two_warnings_and_one_error_are_counted_in_french(content: Content) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', 'title: "Quiz : intro"\ngraded: false\n')
    content.write(f"{INTRO}/extra.quiz.yml", content.read(QUIZ))
    code, lines = check("fr")
    assert code == 0 and lines[-1] == f"content{N}: OK (2 avertissements)", "\n".join(lines)
    assert f"2 avertissements{N}:" in lines
    assert (f"  {INTRO}/extra.quiz.yml: ce quiz n'est utilisé par aucune séquence{N}; ajoutez quiz: extra.quiz.yml "
            "à la fiche d'une séquence (entre ses lignes ---)") in lines
    content.replace(COURSE, "pass_mark: 30%", "pass_mark: 30")
    code, lines = check("fr")
    assert code == 1 and lines[-1] == "1 erreur.", "\n".join(lines)
    assert (f"{COURSE}:{at(content.read(COURSE), '30')}: on attend un pourcentage, pas {q('30')}{N}; écrivez-le "
            "comme 30% (entre 0% et 100%)") in lines


def test_the_largest_number_said_is_the_limit() -> None:
    assert values.LARGEST_NUMBER.template == f"{limits.MAX_NUMBER:,.0f}"
