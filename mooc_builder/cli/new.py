"""`mooc new`: a site, a course, a module, a sequence or a quiz from a commented template."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from mooc_builder import new as scaffold
from mooc_builder.cli.speech import LANG, Group, echo
from mooc_builder.diagnostics import display_path


@click.group("new", cls=Group)
@LANG
def new_group() -> None:
    """Start a site, a course, a module, a sequence or a quiz from a commented template.

    \b
    mooc new site DIR [--language fr|en]   a new site in DIR: site.yml, a first course
    mooc new course ID     inside a site (site.yml here or above): courses/ID/ with
                           a first module and page, listed in site.yml courses: if
                           the site lists its courses
    mooc new module ID     inside a course folder: the next NN-ID/ with a first page
    mooc new sequence ID   inside a module folder: the next NN-ID.md
    mooc new quiz ID       inside a module folder: ID.quiz.yml, named by the page
                           NN-ID.md (made when there is none)

    An ID is lower-case letters, digits and hyphens (le-bac-jaune). Nothing is ever
    overwritten; the templates are in the site's language and pass `mooc check`.
    """


def _new(make: Callable[[], scaffold.Plan]) -> None:
    try:
        plan = make()
        written = scaffold.write(plan)
    except scaffold.NewError as exc:
        echo(f"mooc new: {exc}", err=True)
        sys.exit(1)
    def say(key: str, **values: str) -> str:
        return scaffold.say(plan.language, key, **values)

    here = Path.cwd()
    edited = {path for path, _ in plan.edits}
    for label, paths in (("created", [p for p in written if p not in edited]), ("changed", sorted(edited))):
        if paths:
            echo(say(label))
            for path in paths:
                echo(f"  {display_path(Path(os.path.relpath(path, here)))}")
    for note in plan.notes:
        echo(note)
    site = Path(os.path.relpath(plan.site, here))
    echo(say("next", command="mooc check" + ("" if site == Path("content") else f" {site}")))


@new_group.command("site")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--language", type=click.Choice(scaffold.LANGUAGES), default="fr", show_default=True,
              help="The site's language: its templates, interface and these messages.")
@LANG
def new_site_command(directory: Path, language: str) -> None:
    """A new site in DIRECTORY: site.yml and a first course, ready to check and build."""
    _new(lambda: scaffold.new_site(directory, language))


@new_group.command("course")
@click.argument("ident", metavar="ID")
@LANG
def new_course_command(ident: str) -> None:
    """A new course courses/ID/, with a first module and page (run inside a site)."""
    _new(lambda: scaffold.new_course(Path.cwd(), ident))


@new_group.command("module")
@click.argument("ident", metavar="ID")
@LANG
def new_module_command(ident: str) -> None:
    """The next module NN-ID/ of this course, with a first page (run inside a course folder)."""
    _new(lambda: scaffold.new_module(Path.cwd(), ident))


@new_group.command("sequence")
@click.argument("ident", metavar="ID")
@LANG
def new_sequence_command(ident: str) -> None:
    """The next sequence NN-ID.md of this module (run inside a module folder)."""
    _new(lambda: scaffold.new_sequence(Path.cwd(), ident))


@new_group.command("quiz")
@click.argument("ident", metavar="ID")
@LANG
def new_quiz_command(ident: str) -> None:
    """ID.quiz.yml in this module, named by the sequence NN-ID.md (made when there is none)."""
    _new(lambda: scaffold.new_quiz(Path.cwd(), ident))
