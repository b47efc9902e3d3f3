"""The tables of keys: one per kind of file, from which the parsing, the unknown-key check and the reference
(docs/keys.md) all come."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mooc_builder.load.docs import FILES, reference
from mooc_builder.load.keys import Table
from mooc_builder.load.loading import check

from .conftest import FIXTURES, ROOT


def test_the_reference_is_made_from_the_tables() -> None:
    # Regenerate it with: python -m mooc_builder.load.docs docs/keys.md
    assert (ROOT / "docs" / "keys.md").read_text(encoding="utf-8") == reference()


@pytest.mark.parametrize("table", FILES, ids=[str(t.what) for t in FILES])
def test_each_key_is_declared_once_with_what_it_is_for(table: Table) -> None:
    assert len(set(table.names)) == len(table.names)
    assert all(key.help for key in table.keys)


WHERE = {"site.yml": "site.yml", "course.yml": "courses/demo/course.yml",
         "module.yml": "courses/demo/01-intro/module.yml", "the front matter": "courses/demo/01-intro/01-first.md",
         "a quiz": "courses/demo/01-intro/first.quiz.yml"}


@pytest.mark.parametrize("table", FILES, ids=[str(t.what) for t in FILES])
def test_a_key_not_in_the_table_is_refused_and_the_allowed_ones_are_the_table(table: Table, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    path = content / WHERE[str(table.what)]
    text = path.read_text(encoding="utf-8")
    # At the top of the mapping: after the opening '---' of a sequence's front matter.
    text = text.replace("---\n", "---\nzzzz: 1\n", 1) if text.startswith("---") else "zzzz: 1\n" + text
    path.write_text(text, encoding="utf-8")
    _site, report = check(content)
    (error,) = [d for d in report.errors if "zzzz" in str(d.message)]
    assert str(error.message) == f"unknown key 'zzzz' in {table.what}"
    assert str(error.hint) == "allowed keys: " + ", ".join(table.names)
