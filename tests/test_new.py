"""`mooc new`: each form's templates check clean as made, are numbered next in order, in the site's language, and
never overwrite anything."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mooc_builder.build import BuildOptions, build, check
from mooc_builder.cli import cli
from mooc_builder.lang.choose import catalogue
from mooc_builder.lang.text import Text
from mooc_builder.load import schema
from mooc_builder.new import NewError, add_to_courses, attach_quiz, new_site, write


def tr_fr(text: Text) -> str:
    return text.say(catalogue("fr"))


def new(*args: str, ok: bool = True, language: str = "fr") -> Result:
    """`mooc new ...` run by an author whose system speaks ``language``."""
    result = CliRunner().invoke(cli, ["new", *args], env={"MOOC_LANG": language})
    assert (result.exit_code == 0) == ok, result.output
    return result


def clean(content: Path) -> None:
    _site, report = check(content)
    assert not report.errors and not report.warnings, [str(d) for d in report.items]


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_every_form_checks_clean_and_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = new("site", "content")
    assert "Créé" in result.output and "mooc check" in result.output
    content = tmp_path / "content"
    clean(content)
    assert "language: fr" in (content / "site.yml").read_text(encoding="utf-8")

    monkeypatch.chdir(content)
    new("course", "le-tri")
    course = content / "courses" / "le-tri"
    assert {"course.yml", "media/dessin-exemple.svg", "01-introduction/module.yml",
            "01-introduction/01-bienvenue.md"} <= tree(course)
    clean(content)

    monkeypatch.chdir(course / "media")  # anywhere in the course
    new("module", "les-bacs")
    module = course / "02-les-bacs"
    assert (module / "module.yml").is_file() and (module / "01-bienvenue.md").is_file()
    clean(content)

    monkeypatch.chdir(module)
    new("sequence", "le-bac-jaune")
    sequence = module / "02-le-bac-jaune.md"
    assert 'title: "Le bac jaune"' in sequence.read_text(encoding="utf-8")
    assert "![Un dessin à remplacer" in sequence.read_text(encoding="utf-8")  # the drawing, with its alt text
    clean(content)

    result = new("quiz", "le-bac-jaune")  # attached to the sequence of that id
    assert "quiz: le-bac-jaune.quiz.yml\n---\n" in sequence.read_text(encoding="utf-8")
    assert "Modifié" in result.output
    clean(content)

    new("quiz", "bilan")  # no sequence of that id: one is made to hold it
    assert "quiz: bilan.quiz.yml" in (module / "03-bilan.md").read_text(encoding="utf-8")
    clean(content)

    built = build(BuildOptions(content, tmp_path / "site", dt.date(2027, 1, 1)))
    assert built.ok, [str(d) for d in built.report.errors]
    page = (tmp_path / "site" / "le-tri" / "les-bacs" / "le-bac-jaune" / "index.html").read_text(encoding="utf-8")
    assert "dessin-exemple.svg" in page and "Quiz" in page


def test_numbering_and_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new("site", "content")
    course = tmp_path / "content" / "courses" / "mon-premier-cours"
    monkeypatch.chdir(course)
    new("module", "deux")
    new("module", "trois")
    assert {"01-introduction", "02-deux", "03-trois"} <= tree(course)
    monkeypatch.chdir(course / "02-deux")
    new("sequence", "suite")
    assert (course / "02-deux" / "02-suite.md").is_file()

    before = tree(tmp_path)
    result = new("sequence", "suite", ok=False)
    assert "02-suite.md" in result.output and "rien n'a été écrit" in result.output
    result = new("sequence", "Le bac jaune", ok=False)
    assert "le-bac-jaune" in result.output
    result = new("module", "01-intro", ok=False)
    assert "(intro)" in result.output
    assert "réservé" in new("sequence", "con", ok=False).output
    monkeypatch.chdir(tmp_path)
    assert "existe déjà" in new("site", "content", ok=False).output
    assert "site.yml" in new("course", "ailleurs", ok=False).output  # no site here nor above
    monkeypatch.chdir(course)
    assert "module" in new("sequence", "hors-module", ok=False).output
    assert tree(tmp_path) == before


def test_english_site_and_a_listed_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new("site", "content", "--language", "en")
    content = tmp_path / "content"
    site_yml = content / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    assert "language: en" in text and "# The site's title" in text
    site_yml.write_text(text.replace("# courses: [my-first-course, my-second-course]",
                                     "courses: [my-first-course]   # the order of the catalogue"), encoding="utf-8")
    monkeypatch.chdir(content / "courses")  # site.yml is found above
    result = new("course", "sorting", language="en")
    assert "Created:" in result.output and "Changed:" in result.output
    assert "courses: [my-first-course, sorting]   # the order of the catalogue" in site_yml.read_text("utf-8")
    assert "Welcome" in (content / "courses" / "sorting" / "01-introduction" / "01-welcome.md").read_text("utf-8")
    assert "'Le tri'" in new("course", "Le tri", ok=False, language="en").output
    clean(content)


def test_text_edits_keep_the_authors_lines() -> None:
    assert add_to_courses("title: x\n", "b") == ""
    assert add_to_courses("courses: []  # none\n", "b") == "courses: [b]  # none\n"
    block = "title: x\ncourses:   # in order\n  - a   # first\n  # - old\n  - c\nlanguage: fr\n"
    assert add_to_courses(block, "b") == "title: x\ncourses:   # in order\n  - a   # first\n  # - old\n  - c\n  - b\n" \
                                         "language: fr\n"
    assert add_to_courses("courses: a\n", "b") is None
    assert attach_quiz("---\r\ntitle: x\r\n---\r\nText\r\n", "q.quiz.yml") == \
        "---\r\ntitle: x\r\nquiz: q.quiz.yml\r\n---\r\nText\r\n"
    assert attach_quiz("---\ntitle: x\nquiz: a.quiz.yml\n---\n", "q.quiz.yml") is None


def test_help_names_the_five_forms() -> None:
    output = CliRunner().invoke(cli, ["new", "--help"]).output
    for form in ("site", "course", "module", "sequence", "quiz"):
        assert f"mooc new {form}" in output


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    plan = new_site(tmp_path / "site", "fr")
    plan.files.append((tmp_path / "site" / "site.yml" / "x", ""))  # its folder would be the file just written
    with pytest.raises(NewError, match="nothing was written") as raised:
        write(plan)
    assert tr_fr(raised.value.args[0]).endswith("\u00a0: rien n'a été écrit")
    assert list(tmp_path.iterdir()) == []


# --- editor help: the schemas, the line that points at them, .vscode/settings.json ---------------------------------

MODELINE = "# yaml-language-server: $schema="


def schema_line(path: Path) -> Path:
    """The schema a YAML file's first line points at, as the editor resolves it (from the file's folder)."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), (path, first)
    return (path.parent / first.removeprefix(MODELINE)).resolve()


def test_every_yaml_file_points_at_its_schema_in_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = new("site", "content", "--language", "en")
    content = tmp_path / "content"
    assert {p.name for p in (content / "schemas").iterdir()} == set(schema.FILES)
    assert {p.name: p.read_text(encoding="utf-8") for p in (content / "schemas").iterdir()} == schema.schemas()
    assert "content/schemas/course.schema.json" in result.output
    settings = json.loads((content / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": {f"./schemas/{name}": globs for name, globs in schema.GLOBS.items()}}
    for name in settings["yaml.schemas"]:
        assert (content / name).is_file()
    course = content / "courses" / "my-first-course"
    monkeypatch.chdir(course / "01-introduction")
    new("quiz", "review")
    expected = {content / "site.yml": "site", course / "course.yml": "course",
                course / "01-introduction" / "module.yml": "module",
                course / "01-introduction" / "review.quiz.yml": "quiz"}
    for path, kind in expected.items():
        assert schema_line(path) == (content / "schemas" / f"{kind}.schema.json").resolve(), path
        assert "helps VS Code" in path.read_text(encoding="utf-8").splitlines()[1]
    assert MODELINE not in (course / "01-introduction" / "02-review.md").read_text(encoding="utf-8")
    clean(content)  # the schemas/ and .vscode/ folders are no part of the content: no warning


def test_an_older_site_gets_its_schemas_with_the_first_yaml_file(tmp_path: Path, minimal: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (minimal / ".vscode").mkdir()
    (minimal / ".vscode" / "settings.json").write_text('{"editor.fontSize": 16}\n', encoding="utf-8")
    monkeypatch.chdir(minimal / "courses" / "demo" / "01-intro")
    new("sequence", "plain")  # Markdown only: nothing for the editor
    assert not (minimal / "schemas").exists()
    result = new("module", "more")
    assert "schemas/module.schema.json" in result.output
    assert {p.name for p in (minimal / "schemas").iterdir()} == set(schema.FILES)
    assert (minimal / ".vscode" / "settings.json").read_text(encoding="utf-8") == '{"editor.fontSize": 16}\n'
    module = minimal / "courses" / "demo" / "03-more" / "module.yml"
    assert schema_line(module) == (minimal / "schemas" / "module.schema.json").resolve()
    # A schema taken out by hand is written again, the others are left as they are.
    (minimal / "schemas" / "quiz.schema.json").unlink()
    (minimal / "schemas" / "course.schema.json").write_text("{}\n", encoding="utf-8")
    new("quiz", "plain")
    assert (minimal / "schemas" / "quiz.schema.json").read_text(encoding="utf-8") == schema.schemas("fr")[
        "quiz.schema.json"]  # in the site's language
    assert (minimal / "schemas" / "course.schema.json").read_text(encoding="utf-8") == "{}\n"


def test_a_site_without_vscode_settings_gets_them_with_its_schemas(minimal: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    new("course", "second")
    assert json.loads((minimal / ".vscode" / "settings.json").read_text(encoding="utf-8")) == json.loads(
        schema.editor_settings())
    clean(minimal)


def test_a_schemas_file_of_the_author_s_is_left_alone(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (minimal / "schemas").write_text("my notes\n", encoding="utf-8")
    monkeypatch.chdir(minimal)
    new("course", "second")
    assert (minimal / "schemas").read_text(encoding="utf-8") == "my notes\n"
    assert MODELINE not in (minimal / "courses" / "second" / "course.yml").read_text(encoding="utf-8")
    assert not (minimal / ".vscode").exists()


def test_check_warns_when_the_site_s_schemas_are_another_version_s(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new("site", "content")
    content = tmp_path / "content"
    course = content / "schemas" / "course.schema.json"
    course.write_text(course.read_text(encoding="utf-8").replace('"title"', '"titre"'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "content"])
    assert result.exit_code == 0, result.output
    assert "content/schemas/course.schema.json: " in result.output
    assert "mooc schema --lang fr content/schemas" in result.output  # the site's language
    assert CliRunner().invoke(cli, ["schema", "content/schemas"]).exit_code == 0  # the run's: English here
    _site, report = check(content)
    (warning,) = report.warnings  # another language than the site's: all of them
    assert warning.pos.file == "content/schemas" and "site.schema.json, course.schema.json" in str(warning.message)
    assert CliRunner().invoke(cli, ["schema", "--lang", "fr", "content/schemas"]).exit_code == 0
    clean(content)
    (content / "schemas" / "quiz.schema.json").unlink()
    (content / "schemas" / "site.schema.json").write_text("{}", encoding="utf-8")
    _site, report = check(content)
    (warning,) = report.warnings
    assert warning.pos.file == "content/schemas" and "quiz.schema.json" in str(warning.message)
    assert "site.schema.json" in str(warning.message)
