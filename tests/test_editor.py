"""Editor help, held against the real editor's engine: Red Hat's yaml-language-server (the server VS Code's YAML
extension runs; `make tools-npm` installs it into .tools/), spoken to over stdio as VS Code does, on the files
`mooc new` writes. Each file points at its schema with its first line (`# yaml-language-server: $schema=...`),
and .vscode/settings.json maps the same schemas to the files written by hand.

The site is French, as `mooc new site` makes it by default, and so is the editor's help: what each key is for
and what is wrong with a value, in the site's language (an English site's, in English: the last tests).
A clean generated file gets no diagnostic; a mistake an author makes gets one on its line, in words; completion
on an empty line offers the table's keys with what each is for; hover on a key says what it is for. The server
never reaches the network: the schema store is off, and any fetch would go to a closed port on this machine.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mooc_builder.cli import cli
from mooc_builder.lang.choose import catalogue
from mooc_builder.lang.text import said
from mooc_builder.load import schema
from mooc_builder.load.course import COURSE
from mooc_builder.load.keys import Table
from mooc_builder.load.module import MODULE
from mooc_builder.load.quiz import QUESTION, QUIZ
from mooc_builder.load.site import SITE

from .conftest import REQUIRE_TOOLS, ROOT
from .lsp import LanguageServer

SERVER = ROOT / ".tools" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
# As VS Code's YAML extension is set by default, with the schema store off; a proxy on a closed local port, so
# that any download the server tried would fail here at once.
SETTINGS: dict[str, Any] = {
    "yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}},
    "http": {"proxy": "http://127.0.0.1:9", "proxyStrictSSL": True},
}
COURSE_YML = "courses/mon-premier-cours/course.yml"
MODULE_YML = "courses/mon-premier-cours/01-introduction/module.yml"
QUIZ_YML = "courses/mon-premier-cours/01-introduction/bilan.quiz.yml"
FILES: dict[str, Table] = {"site.yml": SITE, COURSE_YML: COURSE, MODULE_YML: MODULE, QUIZ_YML: QUIZ}
FRENCH = catalogue("fr")


def _node() -> str:
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        why = "yaml-language-server is not installed (`make tools-npm` installs it, with Debian's Node)"
        (pytest.fail if REQUIRE_TOOLS else pytest.skip)(why)
    assert node is not None
    return node


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site as `mooc new` writes it, with a quiz."""
    content = tmp_path_factory.mktemp("editor") / "content"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(content.parent)
        assert runner.invoke(cli, ["new", "site", "content"]).exit_code == 0
        patch.chdir((content / MODULE_YML).parent)
        result = runner.invoke(cli, ["new", "quiz", "bilan"])
        assert result.exit_code == 0, result.output
    return content


def _server(root: Path, settings: dict[str, Any]) -> Iterator[LanguageServer]:
    server = LanguageServer([_node(), str(SERVER), "--stdio"], root, settings)
    try:
        server.initialize(root)
        yield server
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[LanguageServer]:
    yield from _server(site, SETTINGS)


def placed(site: Path, folder: Path, rel: str, text: str) -> Path:
    """``text`` written at ``rel`` in ``folder``, which gets a copy of the site's schemas: a file of its own
    (the server keeps one text a URI), at the same place from its schemas as in the site."""
    if not (folder / schema.FOLDER).exists():
        shutil.copytree(site / schema.FOLDER, folder / schema.FOLDER)
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, pattern: str) -> int:
    """The 0-based line of the first line matching ``pattern``."""
    return next(n for n, line in enumerate(text.splitlines()) if re.search(pattern, line))


def help_of(table: Table, name: str, language: str = "fr") -> str:
    """What the key is for, in the language of the site's schemas (French: the site's)."""
    return said(next(key.help for key in table.keys if key.name == name), catalogue(language))


@pytest.mark.parametrize("rel", list(FILES))
def test_a_generated_file_gets_no_diagnostic_and_its_schema(server: LanguageServer, site: Path, rel: str) -> None:
    uri = server.open(site / rel)
    assert server.diagnostics_of(uri) == []
    # Its schema was read: the title says what it is for.
    text = (site / rel).read_text(encoding="utf-8")
    assert help_of(FILES[rel], "title") in server.hover(uri, line_of(text, "^title:"), 2)


# (file, text taken out, text put in, the line the diagnostic is on, words of its message)
MISTAKES = [
    (COURSE_YML, "audience:", "titre: Le tri\naudience:", "^titre:", "titre is not allowed"),
    (COURSE_YML, "# effort: {per_week: 15min, weeks: 4}", "effort: {per_week: 15, weeks: 4}", "^effort:",
     "per_week\u00a0: on attend une durée"),
    (COURSE_YML, "# effort: {per_week: 15min, weeks: 4}", "effort: {per_week: 200h, weeks: 4}", "^effort:",
     "au plus 168\u00a0h"),
    (COURSE_YML, "# session:\n#   start: 2027-01-11\n#   end: 2027-02-28",
     "session:\n  start: 14/11/2026\n  end: 2027-02-28", "^  start:",
     "start\u00a0: on attend une date, AAAA-MM-JJ"),
    (COURSE_YML, "certificate: false", "certificate: peut-être", "^certificate:",
     "certificate\u00a0: on attend true ou false"),
    (COURSE_YML, 'title: "Mon premier cours"', "title: [Mon, cours]", "^title:", "title\u00a0: on attend du texte"),
    (COURSE_YML, "language: fr", "language: French", "^language:",
     "language\u00a0: on attend un code de langue"),
    (MODULE_YML, "objectives:", "objectifs:", "^objectifs:", "objectifs is not allowed"),
    (QUIZ_YML, "graded: false", "graded: 2", "^graded:", "graded\u00a0: on attend true ou false"),
    (QUIZ_YML, "  - type: true_false", "  - type: vrai_faux", "type: vrai_faux",
     "type\u00a0: on attend l'une de ces valeurs\u00a0: single"),
    (QUIZ_YML, "    answer: true", "    answer: true\n    points: deux", "points: deux",
     "points\u00a0: on attend un nombre entier"),
    ("site.yml", 'url: "https://www.example.org"', 'url: "www.example.org"', "^organisation:",
     "url\u00a0: on attend une adresse web"),
]


@pytest.mark.parametrize(("rel", "old", "new", "where", "words"), MISTAKES,
                         ids=[f"{rel.rsplit('/', 1)[-1]}: {words}" for rel, _old, _new, _where, words in MISTAKES])
def test_a_mistake_is_underlined_on_its_line(server: LanguageServer, site: Path, tmp_path: Path, rel: str,
                                             old: str, new: str, where: str, words: str) -> None:
    text = (site / rel).read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    diagnostics = server.diagnostics_of(server.open(placed(site, tmp_path, rel, text)))
    said = [(d["range"]["start"]["line"], d["message"]) for d in diagnostics]
    assert [line for line, message in said if words in message] == [line_of(text, where)], said
    assert len(said) == 1, said


@pytest.mark.parametrize(("rel", "table"), [("site.yml", SITE), (COURSE_YML, COURSE), (MODULE_YML, MODULE),
                                            (QUIZ_YML, QUIZ)])
def test_completion_on_an_empty_line_offers_the_table_s_keys(server: LanguageServer, site: Path, tmp_path: Path,
                                                              rel: str, table: Table) -> None:
    first = (site / rel).read_text(encoding="utf-8").splitlines()[0]
    uri = server.open(placed(site, tmp_path, rel, first + "\n\n"))
    items = {item["label"]: item for item in server.completion(uri, 1, 0)}
    assert {key.name for key in table.keys} <= set(items), sorted(items)
    for key in table.keys:
        documentation = items[key.name].get("documentation", "")
        documentation = documentation.get("value", "") if isinstance(documentation, dict) else documentation
        assert documentation.startswith(said(key.help, FRENCH)), (key.name, documentation)


def test_completion_in_a_question_offers_the_question_s_keys(server: LanguageServer, site: Path,
                                                             tmp_path: Path) -> None:
    text = (site / QUIZ_YML).read_text(encoding="utf-8").replace("    answer: true\n", "    answer: true\n    \n", 1)
    uri = server.open(placed(site, tmp_path, QUIZ_YML, text))
    items = {item["label"] for item in server.completion(uri, line_of(text, "^    $"), 4)}
    assert {"points", "explanation"} <= items <= {key.name for key in QUESTION.keys}, sorted(items)
    assert not {"type", "prompt", "answer"} & items  # there already


def test_hover_on_each_key_says_what_it_is_for(server: LanguageServer, site: Path, tmp_path: Path) -> None:
    for rel, table in FILES.items():
        text = (site / rel).read_text(encoding="utf-8")
        uri = server.open(placed(site, tmp_path, rel, text))
        names = [m.group(1) for line in text.splitlines() if (m := re.match(r"^(\w+):", line))]
        assert len(names) >= 2, rel
        for name in names:
            hover = server.hover(uri, line_of(text, rf"^{name}:"), 1)
            assert help_of(table, name) in hover, (rel, name, hover)
            assert "Valeur\u00a0: " in hover


def test_vscode_settings_give_the_schemas_to_files_without_the_line(site: Path, tmp_path: Path) -> None:
    """A course.yml written by hand, without the first line, in the site's folder opened in VS Code: the
    workspace's .vscode/settings.json gives it its schema, by its name."""
    settings = json.loads((site / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    folder = tmp_path / "content"
    shutil.copytree(site, folder)
    path = folder / "courses" / "par-la-main" / "course.yml"
    path.parent.mkdir(parents=True)
    path.write_text("title: Par la main\ntitre: Le tri\n", encoding="utf-8")
    quiz = folder / "courses" / "par-la-main" / "01-un" / "test.quiz.yml"
    quiz.parent.mkdir(parents=True)
    quiz.write_text("title: Test\ngraded: peut-être\nquestions: []\n", encoding="utf-8")
    for server in _server(folder, {**SETTINGS, "yaml": {**SETTINGS["yaml"], **settings_of(settings)}}):
        said = [(d["range"]["start"]["line"], d["message"]) for d in server.diagnostics_of(server.open(path))]
        assert said == [(1, "Property titre is not allowed.")]
        assert help_of(COURSE, "title") in server.hover(path.as_uri(), 0, 1)
        said = [(d["range"]["start"]["line"], d["message"]) for d in server.diagnostics_of(server.open(quiz))]
        assert [line for line, message in said if "graded\u00a0: on attend true ou false" in message] == [1], said


def settings_of(vscode: dict[str, Any]) -> dict[str, Any]:
    """The `yaml` section VS Code sends from a workspace's settings.json ("yaml.schemas" is its "schemas")."""
    return {name.removeprefix("yaml."): value for name, value in vscode.items() if name.startswith("yaml.")}


def test_a_french_site_s_editor_speaks_french(server: LanguageServer, site: Path, tmp_path: Path) -> None:
    """In a French site's course.yml: hover on title, a date written the French way, completion's help."""
    text = (site / COURSE_YML).read_text(encoding="utf-8")
    uri = server.open(placed(site, tmp_path / "hover", COURSE_YML, text))
    assert "le titre du cours. Valeur\u00a0: du texte." in server.hover(uri, line_of(text, "^title:"), 1)
    wrong = text.replace("# session:\n#   start: 2027-01-11\n#   end: 2027-02-28",
                         "session:\n  start: 14/11/2026\n  end: 2027-02-28", 1)
    said = [d["message"] for d in server.diagnostics_of(server.open(placed(site, tmp_path / "wrong", COURSE_YML,
                                                                             wrong)))]
    assert said == ["start\u00a0: on attend une date, AAAA-MM-JJ, de 1900 à 2999"]
    first = text.splitlines()[0]
    items = {item["label"]: item for item in server.completion(
        server.open(placed(site, tmp_path / "empty", COURSE_YML, first + "\n\n")), 1, 0)}
    documentation = items["pass_mark"].get("documentation", "")
    documentation = documentation.get("value", "") if isinstance(documentation, dict) else documentation
    assert documentation.startswith("la part des points des quiz notés qui donne l'attestation. Valeur\u00a0: "), \
        documentation


def test_an_english_site_s_editor_speaks_english(tmp_path: Path) -> None:
    """`mooc new site --language en`: the same help and messages, in English."""
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert runner.invoke(cli, ["new", "site", "content", "--language", "en"]).exit_code == 0
    content = tmp_path / "content"
    course = content / "courses" / "my-first-course" / "course.yml"
    text = course.read_text(encoding="utf-8")
    for server in _server(content, SETTINGS):
        uri = server.open(course)
        assert server.diagnostics_of(uri) == []
        assert "the course's title. Value: text." in server.hover(uri, line_of(text, "^title:"), 1)
        wrong = content / "courses" / "second" / "course.yml"
        wrong.parent.mkdir()
        wrong.write_text(text.splitlines()[0] + "\ntitle: Second\ncertificate: maybe\n",
                         encoding="utf-8")
        said = [d["message"] for d in server.diagnostics_of(server.open(wrong))]
        assert said == ["certificate: expected true or false (oui/non, yes/no)"]
