"""JSON Schemas of the files authors write, made from the tables of keys (``mooc schema``, ``docs/schemas/``).

An editor that knows JSON Schema (VS Code with the YAML extension, through yaml-language-server) completes the
keys, shows what each is for and underlines a mistake as it is typed. The schemas come from the same tables as
the loader's parsing and ``docs/keys.md``, so they cannot drift; a test checks that ``docs/schemas/`` is this
module's output (``python -m mooc_builder.load.schema docs/schemas``).

Draft-07: yaml-language-server implements it fully (``definitions``, ``if``/``then``, ``propertyNames``), while
its support of 2019-09 and 2020-12 is partial; the ``jsonschema`` package checks draft-07 in the tests.

The editor reads YAML 1.2, where ``oui``, ``1h30`` or ``2017-11-14`` are strings and ``true`` or ``19`` are not,
so each kind accepts what the loader accepts as YAML 1.2 types it (the loader reads every value as text):
a whole number as a number or as digits in quotes, a boolean as ``true`` or as ``oui``. What a schema cannot
see (that a file exists, that the theme has a language, the bound of a duration, a question's choices) is
left to ``mooc check``.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from mooc_builder.load import keys as k
from mooc_builder.load import values as v
from mooc_builder.load.course import COURSE
from mooc_builder.load.keys import Key, Kind, Table
from mooc_builder.load.module import MODULE
from mooc_builder.load.quiz import ANSWER, ANSWERS, CHOICES, QUESTION, QUIZ, TYPE
from mooc_builder.load.rights import LICENCE, LICENCE_URL
from mooc_builder.load.sequence import QUIZ as SEQUENCE_QUIZ
from mooc_builder.load.sequence import SEQUENCE
from mooc_builder.load.site import SITE
from mooc_builder.load.video import Captions
from mooc_builder.model import QuestionType, licences, limits

Schema = dict[str, Any]

DRAFT = "http://json-schema.org/draft-07/schema#"
# The schemas `mooc schema` writes, by file name, and the table each is made from.
FILES: dict[str, Table] = {"site.schema.json": SITE, "course.schema.json": COURSE, "module.schema.json": MODULE,
                           "quiz.schema.json": QUIZ, "sequence.schema.json": SEQUENCE}


def _ci(word: str) -> str:
    """A pattern that matches ``word`` in any case (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else ("\\." if c == "." else c) for c in word)


def _words(words: list[str]) -> str:
    return "(" + "|".join(_ci(w) for w in sorted(words)) + ")"


def _whole(pattern: str) -> str:
    """The value is ``pattern``, spaces around allowed (the loader trims them)."""
    return rf"^\s*({pattern})\s*$"


TEXT: Schema = {"type": ["string", "number", "boolean"]}  # the loader reads 19 or true as the text '19', 'true'
BOOLEAN_WORDS = [*v.TRUE_WORDS, *v.FALSE_WORDS]
BOOLEAN: Schema = {"anyOf": [{"type": "boolean"},
                             {"type": "string", "pattern": _whole(_words(BOOLEAN_WORDS))}]}
NUMBER: Schema = {"anyOf": [{"type": "number", "minimum": -limits.MAX_NUMBER, "maximum": limits.MAX_NUMBER},
                            {"type": "string", "pattern": _whole(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")}]}
# 90s, 15min, 1h, 1h30, 1 h 30 min, 2min30, 2 minutes, 90 secondes, 4:30, 1:02:30 (values.parse_duration, whose
# unit words these are), and no run of 7 digits.
_H, _M, _S = ("(" + "|".join(_ci(word) for word in words) + ")"
              for words in (v.HOUR_WORDS, v.MINUTE_WORDS, v.SECOND_WORDS))
_UNITS = rf"(\d+\s*{_H}\s*(\d+\s*{_M})?\s*(\d+\s*{_S})?|(\d+\s*{_M})\s*(\d+\s*{_S})?|\d+\s*{_S})"
_DURATION = (rf"(?!.*\d{{7}})(\d+:[0-5]\d:[0-5]\d|\d{{1,2}}:[0-5]\d|\d+\s*{_H}\s*[0-5]?\d|\d+\s*{_M}\s*[0-5]?\d|"
             rf"{_UNITS})")
_DATE = r"(19\d\d|2\d\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
assert limits.FIRST_YEAR == 1900 and limits.LAST_YEAR == 2999, "update _DATE"
_PERCENT = r"0*(100([.,]0+)?|\d{1,2}([.,]\d+)?)\s*%|0([.,]\d+)?|1([.,]0+)?"
_URL = rf"({_ci('http://')}\S{{2,}}|{_ci('https://')}\S+|{_ci('mailto:')}\S{{2,}})"
_LANGUAGE = r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
_LICENCE_REF = r"LicenseRef-.*\S"


def _deferred(key: Key[Any]) -> Schema:
    """The keys whose builder reads the value itself (keys.Deferred), as their builder does."""
    if key is LICENCE:
        return {"anyOf": [{"enum": sorted(licences.REGISTRY)},
                          {"type": "string", "pattern": _whole(_LICENCE_REF)}]}
    if key is SEQUENCE_QUIZ:
        return {"type": "string", "pattern": r"\.quiz\.yml\s*$"}
    if key is ANSWER:
        return {"anyOf": [BOOLEAN, NUMBER]}  # by type below (_question_rules)
    raise TypeError(f"no schema for the value of '{key.name}': say how its builder reads it")


def kind_schema(kind: Kind[Any], definitions: dict[str, Schema]) -> Schema:
    """The schema of one kind of value; the tables it holds go into ``definitions``."""
    if isinstance(kind, k.Text | k.Markdown):
        return dict(TEXT)
    if isinstance(kind, k.TextList):
        return {"anyOf": [TEXT, {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}}]}
    if isinstance(kind, k.Boolean):
        return BOOLEAN
    if isinstance(kind, k.Integer):
        return {"anyOf": [{"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum},
                          {"type": "string", "pattern": _whole(r"[+-]?\d+")}]}
    if isinstance(kind, k.Number):
        return NUMBER
    if isinstance(kind, k.Duration):
        return {"type": "string", "pattern": _whole(_DURATION)}
    if isinstance(kind, k.Date):
        return {"type": "string", "pattern": _whole(_DATE)}
    if isinstance(kind, k.Percentage):
        return {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
                          {"type": "string", "pattern": _whole(_PERCENT)}]}
    if isinstance(kind, k.Url):
        return {"type": "string", "pattern": rf"^\s*$|{_whole(_URL)}"}
    if isinstance(kind, k.Choice):
        return {"enum": list(kind.options)}
    if isinstance(kind, k.LanguageCode):
        return {"type": "string", "pattern": _whole(_LANGUAGE)}
    if isinstance(kind, k.File):
        if kind.extensions:
            return {"type": "string", "pattern": rf"\.{_words(list(kind.extensions))}\s*$"}
        return {"type": ["string", "number"], "pattern": r"\S"}
    if isinstance(kind, Captions):
        return {"type": "object", "propertyNames": {"pattern": r"^([a-z0-9]{2,3}|[a-z0-9]-[a-z0-9])$"},
                "additionalProperties": {"type": "string", "pattern": rf"\.{_ci('vtt')}\s*$"}}
    if isinstance(kind, k.ListOf):
        item = kind_schema(kind.item, definitions)
        return {"anyOf": [item, {"type": "array", "items": item}]}  # one value alone is a list of one
    if isinstance(kind, k.Mapping):
        return {"$ref": "#/definitions/" + _define(kind.table, definitions)}
    if isinstance(kind, k.TextOr):
        return {"anyOf": [TEXT, {"$ref": "#/definitions/" + _define(kind.table, definitions)}]}
    raise TypeError(f"no JSON Schema for {type(kind).__name__}: add it to mooc_builder/load/schema.py")


def _define(table: Table, definitions: dict[str, Schema]) -> str:
    name = table.what.removeprefix("an ").removeprefix("a ").replace(" ", "_")
    if name not in definitions:
        definitions[name] = {}  # a table that holds itself stops here
        definitions[name] = table_schema(table, definitions)
    return name


def _default(key: Key[Any]) -> Any:
    value = key.default
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Fraction):
        return key.default_text()
    return None


def key_schema(key: Key[Any], definitions: dict[str, Schema]) -> Schema:
    """One key: its value's schema, with what it is for, its default, and null (the same as absent) when the
    key is not required."""
    value = _deferred(key) if isinstance(key.kind, k.Deferred) else kind_schema(key.kind, definitions)
    if key.required and isinstance(key.kind, k.Text):
        value = {**value, "pattern": r"\S"}  # the loader refuses an empty title
    if not key.required:
        value = {"anyOf": [value, {"type": "null"}]}
    applies = f" ({', '.join(sorted(key.types))} questions only)" if key.types else ""
    described = f"{key.help}{applies}. Value: {key.kind.label}."
    default = key.default_text() if key.shown_default else ""
    schema: Schema = {"description": described + (f" Default: {default}." if default else "")}
    if _default(key) is not None:
        schema["default"] = _default(key)
    return {**schema, **value}


def table_schema(table: Table, definitions: dict[str, Schema]) -> Schema:
    """A mapping of the table's keys: no other key, the required ones there."""
    schema: Schema = {"type": "object", "title": table.title or table.what}
    if table.help:
        schema["description"] = table.help
    schema["properties"] = {key.name: key_schema(key, definitions) for key in table.keys}
    required = [key.name for key in table.keys if key.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    rules: list[Schema] = []
    if LICENCE in table.keys and LICENCE_URL in table.keys:  # rights.licence_of: a LicenseRef needs its address
        rules.append({"if": {"properties": {"licence": {"type": "string", "pattern": r"^\s*LicenseRef-"}},
                             "required": ["licence"]},
                      "then": {"required": ["licence_url"]}})
    if table is QUESTION:
        rules += _question_rules()
    if rules:
        schema["allOf"] = rules
    return schema


# What quiz._question asks of each type beyond the keys that apply to it.
_TYPE_NEEDS: dict[str, Schema] = {
    QuestionType.SINGLE.value: {"required": [CHOICES.name],
                                "properties": {CHOICES.name: {"type": "array", "minItems": 2}}},
    QuestionType.MULTIPLE.value: {"required": [CHOICES.name],
                                  "properties": {CHOICES.name: {"type": "array", "minItems": 2}}},
    QuestionType.TRUE_FALSE.value: {"required": [ANSWER.name], "properties": {ANSWER.name: BOOLEAN}},
    QuestionType.TEXT.value: {"required": [ANSWERS.name]},
    QuestionType.NUMERIC.value: {"required": [ANSWER.name], "properties": {ANSWER.name: NUMBER}},
}


def _question_rules() -> list[Schema]:
    """One if/then per question type: the keys of other types refused (``false``), its own ones required."""
    assert isinstance(TYPE.kind, k.Choice)
    rules = []
    for kind in TYPE.kind.options:
        needs = _TYPE_NEEDS[kind]
        refused = {key.name: False for key in QUESTION.keys if key.types is not None and kind not in key.types}
        then: Schema = {"properties": {**refused, **needs.get("properties", {})}}
        if "required" in needs:
            then["required"] = needs["required"]
        rules.append({"if": {"properties": {TYPE.name: {"const": kind}}, "required": [TYPE.name]}, "then": then})
    return rules


def file_schema(table: Table) -> Schema:
    """The schema of one kind of file, whole."""
    definitions: dict[str, Schema] = {}
    body = table_schema(table, definitions)
    schema: Schema = {"$schema": DRAFT, **body}
    if definitions:
        schema["definitions"] = dict(sorted(definitions.items()))
    return schema


def schemas() -> dict[str, str]:
    """Each schema file's name and text."""
    return {name: json.dumps(file_schema(table), indent=2, ensure_ascii=False) + "\n"
            for name, table in FILES.items()}


def write_schemas(folder: Path) -> list[Path]:
    """Writes the schemas into ``folder`` (made if needed), nothing elsewhere; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    for path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(path)


if __name__ == "__main__":
    main()
