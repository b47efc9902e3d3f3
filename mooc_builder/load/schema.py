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
see (that a file exists, that the theme has a language, a duration written as a sum of units longer than its
bound, a question's choices) is left to ``mooc check``.

`mooc new site` writes the schemas into the site (content/schemas/), starts each YAML file it writes with the
line that points the editor at its schema, and writes .vscode/settings.json for the files written by hand;
`mooc check` warns when the site's schemas are not this version's.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from mooc_builder.diagnostics import Pos, Report, display_path
from mooc_builder.lang.catalogue import SOURCE_LANGUAGE
from mooc_builder.lang.choose import catalogue, languages
from mooc_builder.lang.text import Translator, said, say
from mooc_builder.load import keys as k
from mooc_builder.load import questions
from mooc_builder.load import values as v
from mooc_builder.load.course import COURSE
from mooc_builder.load.keys import Key, Kind, Table
from mooc_builder.load.module import MODULE
from mooc_builder.load.quiz import ANSWER, ANSWERS, CHOICES, QUESTION, QUIZ, TYPE
from mooc_builder.load.rights import LICENCE, LICENCE_URL
from mooc_builder.load.sequence import QUIZ as SEQUENCE_QUIZ
from mooc_builder.load.sequence import SEQUENCE
from mooc_builder.load.site import LANGUAGE as SITE_LANGUAGE
from mooc_builder.load.site import SITE
from mooc_builder.load.tracks import AUDIO_FILES, WEBVTT, Chapters, Descriptions
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
# A value of several types in one schema, not anyOf: "pattern" applies to a string alone, "minimum" to a number
# alone, and yaml-language-server then says what is wrong (patternErrorMessage) where anyOf's branches would
# merge into "Incorrect type. Expected boolean | null".
BOOLEAN: Schema = {"type": ["boolean", "string"], "pattern": _whole(_words(BOOLEAN_WORDS))}
NUMBER: Schema = {"type": ["number", "string"], "minimum": -limits.MAX_NUMBER, "maximum": limits.MAX_NUMBER,
                  "pattern": _whole(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")}
# 90s, 15min, 1h, 1h30, 1 h 30 min, 2min30, 2 minutes, 90 secondes, 4:30, 1:02:30 (values.parse_duration, whose
# unit words these are), and no run of 7 digits.
_H, _M, _S = ("(" + "|".join(_ci(word) for word in words) + ")"
              for words in (v.HOUR_WORDS, v.MINUTE_WORDS, v.SECOND_WORDS))


def _digits(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


def at_most(n: int) -> str:
    """A pattern of the whole numbers from 0 to ``n`` as written, leading zeros allowed (``0024`` is 24)."""
    text = str(n)
    if len(text) == 1:
        return f"0*{_digits(0, n)}"
    ways = [rf"\d{{1,{len(text) - 1}}}"]  # fewer digits
    for place, digit in enumerate(map(int, text)):  # the same digits up to place, a smaller one there
        lowest = 1 if place == 0 else 0
        if digit > lowest:
            rest = len(text) - place - 1
            ways.append(text[:place] + _digits(lowest, digit - 1) + (rf"\d{{{rest}}}" if rest else ""))
    ways.append(text)
    return "0*(" + "|".join(ways) + ")"


def duration_pattern(hours: int) -> str:
    """The durations the loader reads, of at most ``hours``: every form bounded as a whole, but for the sum of
    several units (``23h 90min``), whose each unit alone is bounded (the rest is left to ``mooc check``)."""
    assert hours >= 2, "m:ss (at most 99:59) is then always short enough"
    minutes, seconds = hours * 60, hours * 3600
    zeros = r"0+"
    clock = rf"{at_most(hours - 1)}:[0-5]?\d:[0-5]\d|0*{hours}:0?0:00|\d{{1,2}}:[0-5]\d"
    short = (rf"{at_most(hours - 1)}\s*{_H}\s*[0-5]?\d|0*{hours}\s*{_H}\s*0?0|"  # 1h30: the minutes need no unit
             rf"{at_most(minutes - 1)}\s*{_M}\s*[0-5]?\d|0*{minutes}\s*{_M}\s*0?0")  # 2min30: nor the seconds
    m, s = rf"({at_most(minutes)}\s*{_M})", rf"({at_most(seconds)}\s*{_S})"
    m0, s0 = rf"({zeros}\s*{_M})", rf"({zeros}\s*{_S})"
    units = (rf"{at_most(hours - 1)}\s*{_H}\s*{m}?\s*{s}?|0*{hours}\s*{_H}\s*{m0}?\s*{s0}?|"
             rf"{at_most(minutes - 1)}\s*{_M}\s*{s}?|0*{minutes}\s*{_M}\s*{s0}?|{at_most(seconds)}\s*{_S}")
    return rf"(?!.*\d{{7}})({clock}|{short}|{units})"


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


def kind_schema(kind: Kind[Any], definitions: dict[str, Schema], language: Translator | None = None) -> Schema:
    """The schema of one kind of value; the tables it holds go into ``definitions``, their texts said in
    ``language``."""
    if isinstance(kind, k.Text | k.Markdown):
        return dict(TEXT)
    if isinstance(kind, k.TextList):
        return {"anyOf": [TEXT, {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}}]}
    if isinstance(kind, k.Boolean):
        return dict(BOOLEAN)
    if isinstance(kind, k.Integer):
        return {"type": ["integer", "string"], "minimum": kind.minimum, "maximum": kind.maximum,
                "pattern": _whole(r"[+-]?\d+")}
    if isinstance(kind, k.Number):
        return dict(NUMBER)
    if isinstance(kind, k.Duration):
        return {"type": "string", "pattern": _whole(duration_pattern(kind.hours))}
    if isinstance(kind, k.Date):
        return {"type": "string", "pattern": _whole(_DATE)}
    if isinstance(kind, k.Percentage):
        return {"type": ["number", "string"], "minimum": 0, "maximum": 1, "pattern": _whole(_PERCENT)}
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
    if isinstance(kind, Chapters):
        return {"type": "string", "pattern": rf"\.{_ci('vtt')}\s*$"}
    if isinstance(kind, Descriptions):
        per_language = kind_schema(Captions(), definitions, language)
        audio = _words(sorted(WEBVTT | AUDIO_FILES))
        return {"anyOf": [{"type": "string", "pattern": rf"\.{audio}\s*$"}, per_language]}
    if isinstance(kind, k.ListOf):
        item = kind_schema(kind.item, definitions, language)
        return {"anyOf": [item, {"type": "array", "items": item}]}  # one value alone is a list of one
    if isinstance(kind, k.Mapping):
        return {"$ref": "#/definitions/" + _define(kind.table, definitions, language)}
    if isinstance(kind, k.SwitchOr):
        return {"anyOf": [BOOLEAN, {"$ref": "#/definitions/" + _define(kind.table, definitions, language)}]}
    if isinstance(kind, k.TextOr):
        return {"anyOf": [TEXT, {"$ref": "#/definitions/" + _define(kind.table, definitions, language)}]}
    raise TypeError(f"no JSON Schema for {type(kind).__name__}: add it to mooc_builder/load/schema.py")


def _define(table: Table, definitions: dict[str, Schema], language: Translator | None = None) -> str:
    name = str(table.what).removeprefix("an ").removeprefix("a ").replace(" ", "_")  # English in every language
    if name not in definitions:
        definitions[name] = {}  # a table that holds itself stops here
        definitions[name] = table_schema(table, definitions, language)
    return name


def _default(key: Key[Any]) -> Any:
    value = key.default
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Fraction):
        return key.default_text()
    return None


def _explained(schema: Schema, message: str) -> Schema:
    """``schema`` with what the editor says of a value it refuses, in place of "Incorrect type" or "String does
    not match the pattern of ..." (yaml-language-server's errorMessage and patternErrorMessage, which VS Code's
    JSON support reads too and other validators ignore)."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [_explained(branch, message) for branch in schema["anyOf"]]}
    if "$ref" in schema:
        return schema  # a table: its own keys say what is wrong
    explained = {**schema, "errorMessage": message}
    if "pattern" in schema:
        explained["patternErrorMessage"] = message
    return explained


def _or_null(schema: Schema) -> Schema:
    """``schema`` or null, in as few branches as it takes (see BOOLEAN)."""
    if isinstance(schema.get("type"), str | list) and not {"enum", "const"} & set(schema):
        types = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        return {**schema, "type": [*types, "null"]}
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    return {"anyOf": [schema, {"type": "null"}]}


def key_schema(key: Key[Any], definitions: dict[str, Schema], language: Translator | None = None) -> Schema:
    """One key: its value's schema, with what it is for, its default, and null (the same as absent) when the
    key is not required; its texts said in ``language`` (None: English)."""
    value = _deferred(key) if isinstance(key.kind, k.Deferred) else kind_schema(key.kind, definitions, language)
    if key.required and isinstance(key.kind, k.Text):
        value = {**value, "pattern": r"\S"}  # the loader refuses an empty title
    value = _explained(value, say("{key}: expected {label}", key=key.name, label=key.kind.label).say(language))
    if not key.required:
        value = _or_null(value)
    what = say("{help} ({types} questions only)", help=key.help, types=", ".join(sorted(key.types))) \
        if key.types else key.help
    described = say("{what}. Value: {label}.", what=what, label=key.kind.label)
    default = key.default_text(language) if key.shown_default else ""
    if default:
        described = say("{described} Default: {default}.", described=described, default=default)
    schema: Schema = {"description": described.say(language)}
    if _default(key) is not None:
        schema["default"] = _default(key)
    return {**schema, **value}


def table_schema(table: Table, definitions: dict[str, Schema], language: Translator | None = None) -> Schema:
    """A mapping of the table's keys: no other key, the required ones there; its texts said in ``language``."""
    schema: Schema = {"type": "object", "title": said(table.title or table.what, language)}
    if table.help:
        schema["description"] = said(table.help, language)
    schema["properties"] = {key.name: key_schema(key, definitions, language) for key in table.keys}
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
    QuestionType.MATCHING.value: {"required": [questions.PAIRS.name],
                                  "properties": {questions.PAIRS.name: {"type": "array", "minItems": 2}}},
    QuestionType.ORDERING.value: {"required": [questions.ITEMS.name],
                                  "properties": {questions.ITEMS.name: {"type": "array", "minItems": 2}}},
    QuestionType.CLOZE.value: {"required": [questions.CLOZE_TEXT.name],
                               "properties": {questions.CLOZE_TEXT.name: {"type": "string", "pattern": r"\[\[.*\]\]"}}},
    QuestionType.HOTSPOT.value: {"required": [questions.IMAGE.name, questions.ZONES.name],
                                 "properties": {questions.ZONES.name: {"type": "array", "minItems": 2}}},
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


def file_schema(table: Table, language: Translator | None = None) -> Schema:
    """The schema of one kind of file, whole, its texts said in ``language`` (None: English)."""
    definitions: dict[str, Schema] = {}
    body = table_schema(table, definitions, language)
    schema: Schema = {"$schema": DRAFT, **body}
    if definitions:
        schema["definitions"] = dict(sorted(definitions.items()))
    return schema


def schemas(language: str | None = None) -> dict[str, str]:
    """Each schema file's name and text, its texts (what each key is for, what is wrong with a value) in
    ``language``, a code: English for None, "en" or a language mooc has no messages in (lang/locales/)."""
    spoken = catalogue(language) if language in languages() else None
    return {name: json.dumps(file_schema(table, spoken), indent=2, ensure_ascii=False) + "\n"
            for name, table in FILES.items()}


# The schemas in a site, as `mooc new site` writes them: content/schemas/, beside site.yml. The loader reads only
# site.yml and courses/ at the top of the content folder, so this folder is neither read nor published.
FOLDER = "schemas"
# The files each schema is for, as globs of yaml.schemas (yaml-language-server puts **/ before each); the
# sequences' front matter is in Markdown, where the YAML extension does not look.
GLOBS: dict[str, list[str]] = {"site.schema.json": ["site.yml"], "course.schema.json": ["course.yml"],
                               "module.schema.json": ["module.yml"], "quiz.schema.json": ["*.quiz.yml"]}
MODELINE = "# yaml-language-server: $schema="


def modeline(schema: Path, file: Path) -> str:
    """The first line of ``file`` that points the editor at ``schema``: its path from the file's folder, with /
    (as yaml-language-server reads it on every system)."""
    return MODELINE + Path(os.path.relpath(schema, file.parent)).as_posix() + "\n"


def editor_settings() -> str:
    """The text of a site's .vscode/settings.json: each schema of the site's schemas/ for its files, when the site's
    folder is the one open in VS Code (paths from that folder; "./" so that no folder's name is taken for a
    workspace root's)."""
    schemas = {f"./{FOLDER}/{name}": globs for name, globs in GLOBS.items()}
    return json.dumps({"yaml.schemas": schemas}, indent=2) + "\n"


_SITE_LANGUAGE = re.compile(r"^language:[ \t]*[\"']?([A-Za-z0-9_-]+)", re.MULTILINE)


def site_language(content: Path) -> str:
    """The language the site's site.yml names, as written (the loader's default when it names none): the one
    its schemas are in. Only a plain file is read, and its start: never a pipe, a device or a link."""
    path = content / "site.yml"
    found = None
    try:
        if stat.S_ISREG(path.lstat().st_mode):
            with path.open("rb") as file:
                found = _SITE_LANGUAGE.search(file.read(1 << 16).decode("utf-8", errors="replace"))
    except OSError:
        pass
    return found.group(1) if found else str(SITE_LANGUAGE.default)


def schema_language(code: str) -> str:
    """The language schemas for a site in ``code`` are in: ``code`` when mooc speaks it, else English."""
    return code if code in languages() else SOURCE_LANGUAGE


def stale_schemas(folder: Path, language: str | None = None) -> list[str]:
    """The schemas of ``folder`` that are not the ones this version writes in ``language`` (older, changed by
    hand, in another language, or missing while others are there); [] when the folder holds none of them."""
    present = {name: folder / name for name in FILES if (folder / name).is_file()}
    if not present:
        return []
    current = schemas(language)
    stale = []
    for name in FILES:
        try:
            same = name in present and present[name].read_text(encoding="utf-8") == current[name]
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            stale.append(name)
    return stale


def check_site_schemas(content: Path, report: Report, language: str | None = None) -> None:
    """Warns when the site's schemas/ is not what this version of mooc writes: the editor would complete and
    underline by another version's rules (or help in another language than the site's): ``language``, the
    site's as loaded, else the one its site.yml names."""
    folder = content / FOLDER
    language = schema_language(language or site_language(content))
    stale = stale_schemas(folder, language) if folder.is_dir() else []
    if stale:
        report.warn(Pos(display_path(folder / stale[0]) if len(stale) == 1 else display_path(folder)),
                    say("the editor's schemas ({names}) are not those of this version of mooc in the site's "
                        "language: the editor may complete or underline wrongly", names=", ".join(stale)),
                    say("write them again with: {command}",
                        command=f"mooc schema --lang {language} {display_path(folder)}"))


def write_schemas(folder: Path, language: str | None = None) -> list[Path]:
    """Writes the schemas in ``language`` (None: English) into ``folder`` (made if needed), nothing elsewhere;
    the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas(language).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    for path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(path)


if __name__ == "__main__":
    main()
