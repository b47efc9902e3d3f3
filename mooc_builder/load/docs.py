"""The keys' reference for authors, made from the tables of keys (``python -m mooc_builder.load.docs``).

``docs/keys.md`` is this module's output; a test fails when it is not up to date with the tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mooc_builder.load.course import COURSE
from mooc_builder.load.keys import Kind, ListOf, Mapping, SwitchOr, Table, TextOr
from mooc_builder.load.module import MODULE
from mooc_builder.load.quiz import QUIZ
from mooc_builder.load.sequence import SEQUENCE
from mooc_builder.load.site import SITE

FILES = (SITE, COURSE, MODULE, SEQUENCE, QUIZ)
INTRO = """\
# The keys of each file

Made from the tables of keys in `mooc_builder/load/` (`python -m mooc_builder.load.docs > docs/keys.md`):
what `mooc check` accepts is exactly what is listed here. A key not listed is an error that suggests the
closest one; a required key that is missing is an error that says what to add. The guide with examples is
the French author guide, docs/guide/ (`make docs`), and docs/AUTHORING.md in English.
"""


def reference() -> str:
    out = [INTRO]
    done: set[str] = set()
    for table in FILES:
        out += _section(table, 2, done)
    return "\n".join(out).rstrip() + "\n"


def _section(table: Table, level: int, done: set[str]) -> list[str]:
    done.add(str(table.what))
    lines = ["", f"{'#' * level} {_title(table)}", ""]
    if table.help:
        lines += [str(table.help), ""]
    lines += ["| key | value | default | what it is for |", "|---|---|---|---|"]
    nested: list[Table] = []
    for key in table.keys:
        default = key.default_text()
        if key.required:
            default = "**required**"
        applies = f" ({', '.join(sorted(key.types))} only)" if key.types else ""
        lines.append(f"| `{key.name}` | {key.kind.label} | {default} | {key.help}{applies} |")
        inner = _table_of(key.kind)
        if inner is not None and str(inner.what) not in done and inner not in nested:
            nested.append(inner)
    for inner in nested:
        lines += _section(inner, level + 1, done)
    return lines


def _table_of(kind: Kind[object]) -> Table | None:
    if isinstance(kind, ListOf):
        return _table_of(kind.item)
    if isinstance(kind, (Mapping, SwitchOr, TextOr)):
        return kind.table
    return None


def _title(table: Table) -> str:
    what = str(table.title or table.what)
    return what if what.endswith(".yml") else what[0].upper() + what[1:]


def main() -> None:
    text = reference()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
