"""What `mooc` says of an author's files and folders, in French and in English, at the place it is about: a
file or folder with a bad name given its fixed name, a misnamed YAML file named, an empty quiz or one without a
title, an empty video or one that is no video, a missing media file with a hint from the author's own tree, and
an output folder inside the content folder.

Each test breaks one thing in a copy of the minimal tree (tests/test_errors.py) and runs the real command.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from mooc_builder.cli import cli
from tests.test_errors import DEMO, FIRST, INTRO, QUIZ, Content, at, content

__all__ = ["content"]  # the fixture, shared with tests/test_errors.py

NB = "\u00a0"  # French puts a no-break space before : ; ? ! and inside « »
MODULE = f"{INTRO}/module.yml"
COURSE = f"{DEMO}/course.yml"


def run(*args: str, lang: str = "fr") -> Result:
    return CliRunner().invoke(cli, ["--lang", lang, *args])


def lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


def said(result: Result, line: str) -> None:
    assert line in lines(result), f"{line!r} not in:\n{result.stderr}"


# --- names ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"fichier de séquence{NB}: «{NB}Le bac jaune{NB}» n'est pas un identifiant valable{NB}: utilisez des "
           f"lettres minuscules a-z, des chiffres et des tirets simples{NB}; renommez-le 01-le-bac-jaune.md"),
    ("en", "sequence file: 'Le bac jaune' is not a valid id: use lower-case letters a-z, digits and single "
           "hyphens; rename it 01-le-bac-jaune.md"),
])
def test_a_bad_sequence_name_is_given_its_fixed_name(content: Content, lang: str, expected: str) -> None:
    content.write(f"{INTRO}/01-Le bac jaune.md", content.read(f"{INTRO}/02-second.md"))
    result = run("check", "content", lang=lang)
    assert result.exit_code == 1
    said(result, f"{INTRO}/01-Le bac jaune.md: {expected}")


def test_a_bad_module_folder_name_in_french(content: Content) -> None:
    content.path(f"{DEMO}/02-suite").rename(content.path(f"{DEMO}/02-La Suite"))
    said(run("check", "content"), f"{DEMO}/02-La Suite: dossier de module{NB}: «{NB}La Suite{NB}» n'est pas un "
         f"identifiant valable{NB}: utilisez des lettres minuscules a-z, des chiffres et des tirets simples{NB}; "
         "renommez-le 02-la-suite")


@pytest.mark.parametrize(("right", "misnamed"), [
    (MODULE, f"{INTRO}/module.yaml"),
    (COURSE, f"{DEMO}/course.yaml"),
    (QUIZ, f"{INTRO}/first.quiz.yaml"),
])
def test_a_misnamed_yaml_file_is_named_in_french(content: Content, right: str, misnamed: str) -> None:
    content.path(right).rename(content.path(misnamed))
    wrong, good = misnamed.rsplit("/", 1)[1], right.rsplit("/", 1)[1]
    result = run("check", "content")
    assert result.exit_code == 1
    said(result, f"{misnamed}: ce fichier n'est pas lu{NB}: il doit s'appeler {good}{NB}; renommez {wrong} en "
         f"{good}")


def test_a_misnamed_copy_beside_the_right_file_is_a_warning_in_french(content: Content) -> None:
    content.write(f"{INTRO}/module.yaml", content.read(MODULE))
    result = run("check", "content")
    assert result.exit_code == 0, result.output
    said(result, f"  {INTRO}/module.yaml: ce fichier est ignoré{NB}: c'est module.yml qui est lu{NB}; supprimez "
         "module.yaml, ou déplacez son contenu dans module.yml")


# --- quizzes --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"ce quiz n'a pas de questions{NB}: les apprenants verraient un quiz vide{NB}; ajoutez des questions "
           "sous questions:, ou retirez quiz: de la séquence en attendant qu'il soit prêt"),
    ("en", "this quiz has no questions: learners would see an empty quiz; add questions under questions:, or "
           "remove quiz: from the sequence until it is ready"),
])
def test_an_empty_quiz_is_a_warning(content: Content, lang: str, expected: str) -> None:
    text = content.write(QUIZ, 'title: "Quiz : intro"\nquestions: []\n')
    result = run("check", "content", lang=lang)
    assert result.exit_code == 0, result.output
    said(result, f"  {QUIZ}:{at(text, '[]')}: {expected}")


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"ce quiz n'a pas de titre{NB}: il s'affiche sous le nom «{NB}Quiz{NB}»{NB}; donnez-lui un titre en "
           f'haut du fichier, par exemple title: "Quiz{NB}: la facture"'),
    ("en", "this quiz has no title: it is shown as 'Quiz'; give it one at the top of the file, e.g. "
           'title: "Quiz : la facture"'),
])
def test_a_quiz_without_a_title_is_a_warning(content: Content, lang: str, expected: str) -> None:
    content.replace(QUIZ, 'title: "Quiz : intro"\n', "")
    result = run("check", "content", lang=lang)
    assert result.exit_code == 0, result.output
    said(result, f"  {QUIZ}:1:1: {expected}")


# --- videos ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"«{NB}clip.mp4{NB}» est vide (0 octet){NB}: le lecteur n'afficherait rien{NB}; copiez à nouveau le "
           "fichier vidéo, ou vérifiez que c'est le bon fichier"),
    ("en", "'clip.mp4' is empty (0 bytes): the player would show nothing; copy the video file again, or check "
           "that it is the right file"),
])
def test_an_empty_video_file_is_an_error(content: Content, lang: str, expected: str) -> None:
    content.write(f"{DEMO}/media/clip.mp4", b"")
    result = run("check", "content", lang=lang)
    assert result.exit_code == 1, result.output
    said(result, f"{FIRST}:{at(content.read(FIRST), '../media/clip.mp4')}: {expected}")


@pytest.mark.parametrize(("name", "data", "lang", "expected"), [
    ("clip.mp4", b"<html>Not found</html>", "fr",
     f"«{NB}clip.mp4{NB}» n'est pas une vidéo MP4 (ses premiers octets ne sont pas ceux d'une vidéo MP4){NB}: le "
     f"lecteur n'afficherait rien{NB}; exportez à nouveau la vidéo en MP4 (H.264) ou en WebM, ou vérifiez que "
     "c'est le bon fichier"),
    ("clip.webm", b"\x00\x00\x00\x18ftypmp42", "fr",
     f"«{NB}clip.webm{NB}» n'est pas une vidéo WebM (ses premiers octets ne sont pas ceux d'une vidéo WebM){NB}: "
     f"le lecteur n'afficherait rien{NB}; exportez à nouveau la vidéo en MP4 (H.264) ou en WebM, ou vérifiez "
     "que c'est le bon fichier"),
    ("clip.webm", b"\x00\x00\x00\x18ftypmp42", "en",
     "'clip.webm' is not a WebM video (its first bytes are not those of one): the player would show nothing; "
     "export the video again as MP4 (H.264) or WebM, or check that it is the right file"),
])
def test_a_file_that_is_no_video_is_an_error(content: Content, name: str, data: bytes, lang: str,
                                             expected: str) -> None:
    content.write(f"{DEMO}/media/{name}", data)
    text = content.replace(FIRST, "src: ../media/clip.mp4", f"src: ../media/{name}")
    result = run("check", "content", lang=lang)
    assert result.exit_code == 1, result.output
    said(result, f"{FIRST}:{at(text, f'../media/{name}')}: {expected}")


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"«{NB}clip.mp4{NB}» ne peut pas être lu comme une vidéo (Invalid data found when processing input){NB}: "
           f"le lecteur n'afficherait rien{NB}; exportez de nouveau la vidéo en MP4 (H.264 et AAC), ou vérifiez que "
           "c'est le bon fichier et qu'il a été copié en entier"),
    ("en", "'clip.mp4' cannot be read as a video (Invalid data found when processing input): the player would show "
           "nothing; export the video again as MP4 (H.264 and AAC), or check that it is the right file and that it "
           "was copied whole"),
])
def test_a_video_that_cannot_be_decoded_is_an_error(content: Content, lang: str, expected: str) -> None:
    content.write(f"{DEMO}/media/clip.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    result = run("check", "content", lang=lang)
    assert result.exit_code == 1, result.output
    said(result, f"{FIRST}:{at(content.read(FIRST), '../media/clip.mp4')}: {expected}")


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"cette vidéo dure 0:30 (lu dans «{NB}clip.mp4{NB}»), pas 4:30{NB}: est-ce le bon fichier{NB}?{NB}; "
           f"écrivez duration: \"0:30\", ou retirez-la{NB}: la durée du fichier est alors affichée"),
    ("en", "this video lasts 0:30 (read from 'clip.mp4'), not 4:30: is it the right file?; write duration: "
           "\"0:30\", or remove it: the file's length is then shown"),
])
def test_a_duration_far_from_the_files_is_a_warning(content: Content, lang: str, expected: str) -> None:
    text = content.replace(FIRST, 'duration: "0:30"', 'duration: "4:30"')
    result = run("check", "content", lang=lang)
    assert result.exit_code == 0, result.output
    where = at(text, '"4:30"')
    said(result, f"  {FIRST}:{where}: {expected}")


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"ce sous-titre commence à 0:45, après la fin de la vidéo (0:30){NB}: il n'est jamais affiché{NB}; "
           "vérifiez que ce sont bien les sous-titres de cette vidéo, et leurs temps"),
    ("en", "this caption starts at 0:45, after the end of the video (0:30): it is never shown; check that these "
           "are the captions of this video, and their timing"),
])
def test_a_caption_after_the_end_is_a_warning_at_its_line(content: Content, lang: str, expected: str) -> None:
    content.write(f"{DEMO}/media/clip.fr.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nBonjour\n\n"
                                              "00:00:45.000 --> 00:00:47.000\nAu revoir\n")
    result = run("check", "content", lang=lang)
    assert result.exit_code == 0, result.output
    said(result, f"  {DEMO}/media/clip.fr.vtt:6:1: {expected}")


# --- paths ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_missing_media_file_is_hinted_from_the_authors_own_tree(content: Content, lang: str) -> None:
    # The author's media are in ../media/: the hint names their own file there, never an example taken from the
    # reference courses (media/fiche.pdf).
    text = content.replace(FIRST, "src: ../media/clip.mp4", "src: ../media/klip.mp4")
    result = run("check", "content", lang=lang)
    assert result.exit_code == 1
    line = next(x for x in lines(result) if x.startswith(f"{FIRST}:{at(text, '../media/klip.mp4')}: "))
    assert "../media/clip.mp4" in line and "fiche" not in line, line
    assert (f"{NB};" if lang == "fr" else "; ") in line, line


def test_a_link_to_a_missing_file_in_french(content: Content) -> None:
    text = content.replace(FIRST, "![Un schéma](../media/clip.svg)", "![Un schéma](../media/klip.svg)")
    result = run("check", "content")
    assert result.exit_code == 1
    line = next(x for x in lines(result) if x.startswith(f"{FIRST}:{at(text, '../media/klip.svg')}: "))
    assert line.startswith(f"{FIRST}:{at(text, '../media/klip.svg')}: lien vers «{NB}../media/klip.svg{NB}»{NB}: ")
    assert line.endswith(f"{NB}; pointez vers une séquence (NN-nom.md) ou un fichier qui existe, avec un chemin "
                         "relatif à ce fichier"), line


# --- the output folder ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", f"content/_site: le dossier de sortie content/_site est dans le dossier de contenu{NB}; choisissez-en "
           "un en dehors"),
    ("en", "content/_site: the output folder content/_site is inside the content folder; choose one outside it"),
])
def test_an_output_folder_inside_the_content_folder(content: Content, lang: str, expected: str) -> None:
    result = run("build", "content", "-o", "content/_site", lang=lang)
    assert result.exit_code == 1
    assert lines(result) == [expected]
    assert not content.path("content/_site").exists()


def test_the_output_folder_that_is_the_content_folder_in_french(content: Content) -> None:
    result = run("build", "content", "-o", "content")
    assert result.exit_code == 1
    assert lines(result) == [f"content: le dossier de sortie content est le dossier de contenu{NB}; "
                             "choisissez-en un autre, par exemple -o _site"]


def test_an_output_folder_not_made_by_mooc_in_french(content: Content) -> None:
    content.write("mine/notes.txt", "à garder")
    result = run("build", "content", "-o", "mine")
    assert result.exit_code == 1
    assert lines(result) == [f"mine: mine n'est pas vide et n'a pas été fait par mooc{NB}; choisissez un dossier "
                             "vide ou nouveau (mooc remplace entièrement son dossier de sortie)"]
    assert content.read("mine/notes.txt") == "à garder"


def test_an_export_inside_the_content_folder_in_french(content: Content) -> None:
    result = run("export", "scorm", "content", "-o", "content/demo.zip")
    assert result.exit_code == 1
    assert lines(result) == [f"content/demo.zip: content/demo.zip est dans le dossier de contenu{NB}; écrivez le "
                             "paquet en dehors"]
