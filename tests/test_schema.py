"""The JSON Schemas for editors (mooc_builder/load/schema.py): made from the tables of keys, they accept the
reference courses and refuse each mistake the loader refuses, the mistakes themselves made from the tables;
and `mooc check --format json`."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from mooc_builder.build import check
from mooc_builder.cli import cli
from mooc_builder.lang.choose import catalogue
from mooc_builder.load import keys as k
from mooc_builder.load.docs import FILES as DOC_FILES
from mooc_builder.load.keys import Key, Kind, Table
from mooc_builder.load.quiz import ANSWER, QUESTION
from mooc_builder.load.rights import LICENCE
from mooc_builder.load.schema import FILES, at_most, file_schema, kind_schema, schemas
from mooc_builder.load.sequence import QUIZ as SEQUENCE_QUIZ
from mooc_builder.load.tracks import Chapters, Descriptions
from mooc_builder.load.values import parse_duration
from mooc_builder.load.video import Captions

from .conftest import CONTENT, FIXTURES, ROOT

# --- YAML as an editor reads it --------------------------------------------------------------------------------
# yaml-language-server reads YAML 1.2 (core schema): 'oui', 'no', '1h30', '2017-11-14' and '0:30' are strings;
# true, 19 and 0.5 are not. PyYAML resolves YAML 1.1, so plain scalars are typed here as YAML 1.2 does.

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {_value(key): _value(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    text = node.value
    if node.style is not None:  # quoted or a block: a string
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def yaml12(text: str) -> Any:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if node is None else _value(node)


def front_matter(text: str) -> tuple[str, str]:
    """A sequence's front matter and the rest."""
    assert text.startswith("---\n"), "no front matter"
    head, _sep, body = text[4:].partition("\n---\n")
    return head, body


def document(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return yaml12(front_matter(text)[0] if path.suffix == ".md" else text)


def schema_for(path: Path, language: str | None = None) -> dict[str, Any]:
    if path.suffix == ".md":
        return file_schema(FILES["sequence.schema.json"], catalogue(language) if language else None)
    name = path.name.removesuffix(".yml").split(".")[-1]
    return file_schema(FILES[f"{name}.schema.json"], catalogue(language) if language else None)


def problems(path: Path, data: Any, language: str | None = None) -> list[str]:
    validator = jsonschema.Draft7Validator(schema_for(path, language))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


# --- the schemas themselves ------------------------------------------------------------------------------------


def test_the_committed_schemas_are_made_from_the_tables() -> None:
    # Regenerate them with: python -m mooc_builder.load.schema docs/schemas (or: mooc schema --lang en docs/schemas)
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "schemas").glob("*.json")}
    assert committed == schemas()


def test_each_file_kind_has_its_schema_and_each_is_draft_07() -> None:
    assert set(FILES.values()) == set(DOC_FILES)
    for table in FILES.values():
        jsonschema.Draft7Validator.check_schema(file_schema(table))


def test_mooc_schema_writes_the_five_schemas_into_the_folder_given(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["out", *FILES])
    assert {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()} == schemas()
    # In the language asked for (the run's: English in the tests, MOOC_LANG=en).
    result = CliRunner().invoke(cli, ["schema", "--lang", "fr", str(tmp_path / "fr")])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "fr").iterdir()} == schemas("fr")


TEXTS = {"description", "markdownDescription", "errorMessage", "patternErrorMessage", "title"}


def _texts_out(schema: Any, texts: list[str]) -> Any:
    """``schema`` without its texts for people, which go into ``texts``."""
    if isinstance(schema, dict):
        texts += [schema[name] for name in sorted(TEXTS & set(schema)) if isinstance(schema[name], str)]
        return {name: _texts_out(value, texts) for name, value in schema.items()
                if not (name in TEXTS and isinstance(value, str))}
    if isinstance(schema, list):
        return [_texts_out(item, texts) for item in schema]
    return schema


@pytest.mark.parametrize("name", list(FILES))
def test_the_french_schemas_are_the_english_ones_with_french_texts(name: str) -> None:
    english: list[str] = []
    french: list[str] = []
    assert _texts_out(json.loads(schemas("fr")[name]), french) == _texts_out(json.loads(schemas()[name]), english)
    assert len(french) == len(english)
    # Every text is said in French, but a table's title that is a file's or a key's name ("course.yml", "effort").
    same = [text for text, theirs in zip(french, english, strict=True) if text == theirs]
    assert all(text.endswith(".yml") or text in ("effort", "light_videos") for text in same), same
    assert "Valeur\u00a0: " in schemas("fr")[name] and "Value: " not in schemas("fr")[name]


def test_a_language_mooc_does_not_speak_gets_the_english_schemas() -> None:
    assert schemas("de") == schemas("en") == schemas()


REFERENCE_FILES = sorted([CONTENT / "site.yml", *CONTENT.glob("courses/*/course.yml"),
                          *CONTENT.glob("courses/*/*/module.yml"), *CONTENT.glob("courses/*/*/*.quiz.yml"),
                          *CONTENT.glob("courses/*/*/[0-9]*.md")])


def test_the_reference_courses_have_every_kind_of_file() -> None:
    names = {p.name if p.suffix == ".yml" and ".quiz" not in p.name else p.suffix for p in REFERENCE_FILES}
    assert {"site.yml", "course.yml", "module.yml", ".md"} <= names
    assert any(p.name.endswith(".quiz.yml") for p in REFERENCE_FILES)
    assert len(REFERENCE_FILES) > 50


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=[p.relative_to(CONTENT).as_posix() for p in REFERENCE_FILES])
def test_the_schemas_accept_the_reference_courses(path: Path) -> None:
    assert problems(path, document(path)) == []


def test_the_french_schemas_accept_the_reference_courses() -> None:
    for path in REFERENCE_FILES:
        assert problems(path, document(path), "fr") == [], path


# --- the mistakes, from the tables -----------------------------------------------------------------------------

def bad_values(key: Key[Any]) -> list[tuple[str, Any]]:
    """Values the loader refuses for a key, by its kind: a kind with none here fails the test below."""
    if key is LICENCE:
        return [("unknown licence", "CC-BY-5.0")]
    if key is SEQUENCE_QUIZ:
        return [("not a quiz file", "first.yml")]
    if key is ANSWER:
        return [("a word", "peut-être")]
    return _bad(key.kind)


def _bad(kind: Kind[Any]) -> list[tuple[str, Any]]:
    if isinstance(kind, k.Text | k.Markdown):
        return [("a list", ["a", "b"])]  # 19 or true is text to the loader
    if isinstance(kind, k.TextList):
        return [("a mapping", {"a": "b"})]
    if isinstance(kind, k.Boolean):
        return [("neither yes nor no", "peut-être")]
    if isinstance(kind, k.Integer):
        return [("a word", "two"), ("below the minimum", kind.minimum - 1), ("above the maximum", kind.maximum + 1)]
    if isinstance(kind, k.Number):
        return [("a word", "dix-neuf")]
    if isinstance(kind, k.Duration):
        return [("no unit", 15), ("a word", "bientôt"), ("too long", f"{kind.hours + 1}h")]
    if isinstance(kind, k.Date):
        return [("day first", "14/11/2017"), ("no such month", "2017-13-01"), ("too early", "1800-01-01")]
    if isinstance(kind, k.Percentage):
        return [("over 100%", "150%"), ("a word", "trente")]
    if isinstance(kind, k.Url):
        return [("no scheme", "www.example.org")]
    if isinstance(kind, k.Choice):
        return [("not an option", "zzz")]
    if isinstance(kind, k.LanguageCode):
        return [("a name", "French")]
    if isinstance(kind, k.File):
        return [("wrong extension", "notes.zzz")] if kind.extensions else [("a list", ["a.pdf"])]
    if isinstance(kind, Captions):
        return [("not a language", {"French": "../media/clip.fr.vtt"}), ("not WebVTT", {"fr": "../media/clip.fr.md"})]
    if isinstance(kind, Chapters):
        return [("not WebVTT", "../media/clip.fr.md"), ("a mapping", {"fr": "../media/clip.fr.vtt"})]
    if isinstance(kind, Descriptions):
        return [("neither WebVTT nor audio", "../media/clip.fr.md"), ("not a language", {"French": "../media/x.vtt"})]
    if isinstance(kind, k.ListOf):
        return [(f"an item that is {what}", [value]) for what, value in _bad(kind.item)[:1]]
    if isinstance(kind, k.Mapping):
        return [("text", "just text")]
    if isinstance(kind, k.TextOr):
        return [("a list", ["a"])]
    if isinstance(kind, k.SwitchOr):
        return [("a word", "peut-être"), ("a list", ["a"])]
    raise AssertionError(f"no mistake for {type(kind).__name__}: add one to tests/test_schema.py")


def all_tables() -> list[Table]:
    found: list[Table] = []

    def walk(table: Table) -> None:
        if table in found:
            return
        found.append(table)
        for key in table.keys:
            kind: Kind[Any] = key.kind
            while isinstance(kind, k.ListOf):
                kind = kind.item
            if isinstance(kind, k.Mapping | k.TextOr | k.SwitchOr):
                walk(kind.table)

    for table in FILES.values():
        walk(table)
    return found


SEQ = "courses/demo/01-intro/01-first.md"
QUIZ_FILE = "courses/demo/01-intro/first.quiz.yml"
COURSE_FILE = "courses/demo/course.yml"
# Where the minimal tree has a mapping of each table.
WHERE: dict[str, tuple[str, list[Any]]] = {
    "site.yml": ("site.yml", []), "an organisation": ("site.yml", ["organisation"]),
    "course.yml": (COURSE_FILE, []), "effort": (COURSE_FILE, ["effort"]),
    "light_videos": (COURSE_FILE, ["light_videos"]), "a session": (COURSE_FILE, ["session"]),
    "a credit": (COURSE_FILE, ["credits", 0]), "module.yml": ("courses/demo/01-intro/module.yml", []),
    "the front matter": (SEQ, []), "a video": (SEQ, ["videos", 0]), "a resource": (SEQ, ["resources", 0]),
    "a quiz": (QUIZ_FILE, []), "a question": (QUIZ_FILE, ["questions", 0]),
    "a choice": (QUIZ_FILE, ["questions", 0, "choices", 0]),
    "a pair": (QUIZ_FILE, ["questions", 5, "pairs", 0]), "a zone": (QUIZ_FILE, ["questions", 8, "zones", 0]),
}
# In the minimal quiz.
QUESTION_OF_TYPE = {"single": 0, "true_false": 1, "text": 2, "numeric": 3, "multiple": 4, "matching": 5,
                    "ordering": 6, "cloze": 7, "hotspot": 8}


def _place(table: Table, key: Key[Any] | None = None) -> tuple[str, list[Any]]:
    file, path = WHERE[str(table.what)]
    if table is QUESTION and key is not None and key.types:
        return file, ["questions", QUESTION_OF_TYPE[sorted(key.types)[0]]]
    return file, path


def mistakes() -> list[Any]:
    """Each mistake: (the file, where in it, the key, the value; None: take the key out)."""
    cases = []
    for table in all_tables():
        file, path = _place(table)
        cases.append(pytest.param(file, path, "zzzz", 1, id=f"{table.what}: unknown key"))
        for key in table.keys:
            file, path = _place(table, key)
            if key.required:
                cases.append(pytest.param(file, path, key.name, None, id=f"{table.what}: {key.name} missing"))
            for what, value in bad_values(key):
                cases.append(pytest.param(file, path, key.name, value, id=f"{table.what}: {key.name}, {what}"))
            for kind in sorted(set(QUESTION_OF_TYPE) - set(key.types or QUESTION_OF_TYPE)):
                cases.append(pytest.param(file, ["questions", QUESTION_OF_TYPE[kind]], key.name, "x",
                                          id=f"{table.what}: {key.name} in a {kind} question"))
    cases.append(pytest.param(SEQ, ["resources", 0], "licence", "LicenseRef-maison",
                              id="a resource: LicenseRef without licence_url"))
    return cases


MISTAKES = mistakes()


def test_every_table_has_its_place_in_the_minimal_tree() -> None:
    assert {str(t.what) for t in all_tables()} == set(WHERE)


def _edit(data: Any, path: list[Any], key: str, value: Any) -> Any:
    target = data
    for step in path:
        target = target[step]
    if value is None:
        del target[key]
    else:
        target[key] = value
    return data


def _write(file: Path, data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if file.suffix == ".md":
        text = "---\n" + text + "---\n" + front_matter(file.read_text(encoding="utf-8"))[1]
    file.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def loader_clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal tree as the tests rewrite it (read as YAML 1.2, written back by PyYAML): still clean."""
    content = tmp_path_factory.mktemp("clean") / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    for file in sorted({file for file, _path in WHERE.values()}):
        _write(content / file, document(content / file))
        assert problems(content / file, document(content / file)) == [], file
    _site, report = check(content)
    assert list(report) == []
    return content


@pytest.mark.parametrize(("file", "path", "key", "value"), MISTAKES)
def test_the_schema_and_the_loader_both_refuse_each_mistake(loader_clean: Path, tmp_path: Path, file: str,
                                                            path: list[Any], key: str, value: Any) -> None:
    content = tmp_path / "content"
    shutil.copytree(loader_clean, content)
    data = _edit(document(content / file), path, key, value)
    assert problems(content / file, data), "the schema accepts it"
    _write(content / file, data)
    _site, report = check(content)
    assert [e for e in report.errors if e.pos.file.endswith(Path(file).name)], list(report)


def test_the_mistakes_cover_every_key_and_kind() -> None:
    keys = {(str(t.what), key.name) for t in all_tables() for key in t.keys}
    assert len(keys) > 50
    assert len(MISTAKES) > len(keys)


# --- mooc check --format json ----------------------------------------------------------------------------------


def test_check_json_gives_each_error_with_its_file_line_and_column(minimal: Path) -> None:
    course = minimal / "courses/demo/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("pass_mark: 30%", "pass_mark: trente"),
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(minimal), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1 and report["ok"] is False
    (item,) = report["diagnostics"]
    assert item["file"].endswith("courses/demo/course.yml")
    assert (item["line"], item["column"], item["severity"]) == (6, 12, "error")
    assert "percentage" in item["message"] and item["hint"]


def test_check_json_on_a_clean_tree(minimal: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(minimal), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"diagnostics": [], "errors": 0, "warnings": 0, "ok": True}


# Good and bad, as values.parse_duration reads them, and within a kind's bound (24 h; 168 h for a week's effort).
DURATIONS = ["90s", "15min", "15 min", "15mn", "1h", "1H", "1h30", "1 h 30", "1 h 30 min", "1h 2min 3s", "4:30",
             "1:02:30", "1:2:30", "0:30", "45 sec", "15", "15 minutes", "1h60", "4:60", "1:60:00", "1234567s", "h",
             "", "1.5h", "soon", "24h", "0024h", "24 h 0 min", "24h00", "24:00:00", "24:0:00", "1440min", "86400s",
             "25h", "24h01", "24 h 1 min", "24h 0min 1s", "24:00:01", "1441min", "1440min30", "1440 min 1 s",
             "86401s", "168h", "169h", "10080 min", "10081min", "167h59", "168h1", "604800s", "604801s", "99:59"]
# Sums of units, each short enough alone: the schema has no arithmetic, `mooc check` refuses them.
SUMS = ["23h 90min", "1439min 120s", "1h 86400s"]


@pytest.mark.parametrize("hours", [24, 168])
@pytest.mark.parametrize("text", DURATIONS + SUMS)
def test_the_duration_pattern_is_the_loader_s_rule(text: str, hours: int) -> None:
    valid = jsonschema.Draft7Validator(kind_schema(k.Duration(hours), {})).is_valid(text)
    read = parse_duration(text)
    assert valid == (read is not None and (read <= dt.timedelta(hours=hours) or text in SUMS))


@pytest.mark.parametrize("n", [0, 7, 10, 24, 99, 100, 168, 1440, 10080, 86400])
def test_at_most_matches_the_numbers_up_to_its_bound(n: int) -> None:
    pattern = re.compile(rf"^({at_most(n)})$")
    for number in range(0, 3 * n + 20):
        for written in (str(number), f"0{number}", f"000{number}"):
            assert bool(pattern.match(written)) == (number <= n), written
