"""mooc's catalogue of messages, `make messages`: what the code says (lang/extract.py) and the command's help.

Help texts are written where click reads them (a command's docstring, an option's ``help=``, an export's
description), so they are taken from the command tree itself, as click holds them: the msgids are exactly the
strings cli/speech.py looks up when it shows help.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from babel.messages.catalog import Catalog

from mooc_builder.lang.choose import LOCALES
from mooc_builder.lang.extract import HEADER, Found, catalogue, extracted, update_folder


def help_texts(command: click.Command | None = None) -> Iterator[Found]:
    """(file, line, text, None) for the help of every command and option under ``command`` (default: mooc)."""
    if command is None:
        # Imported here: the tree is complete once the package (which imports this module's users) is.
        from mooc_builder.cli import cli

        command = cli
    where = _where(command)
    for text in (command.help, command.short_help):
        if text:
            yield where, 1, text, None
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield where, 1, param.help, None
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from help_texts(command.commands[name])


def export_lines() -> Iterator[Found]:
    """The line `mooc export` alone shows for each export (commands.py export_group)."""
    from mooc_builder.exports import EXPORTS

    root = Path(__file__).resolve().parents[2]
    for export in EXPORTS.values():
        source = inspect.getsourcefile(type(export))
        where = Path(source).resolve().relative_to(root).as_posix() if source else "mooc_builder/exports"
        yield where, 1, export.help, None


def _where(command: click.Command) -> str:
    source = inspect.getsourcefile(command.callback) if command.callback else None
    root = Path(__file__).resolve().parents[2]
    return Path(source).resolve().relative_to(root).as_posix() if source else "mooc_builder/cli/commands.py"


def template() -> Catalog:
    return catalogue([*extracted(), *help_texts(), *export_lines()], HEADER)


def update() -> list[Path]:
    return update_folder(LOCALES, template())


if __name__ == "__main__":
    for written in update():
        print(written, file=sys.stdout)
