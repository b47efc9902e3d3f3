"""The command line in the language of the person running it: its messages, its --help and click's own words.

The language is chosen once per run (lang/choose.py: ``--lang``, ``MOOC_LANG``, the system's locale) and kept
on the root click context, not in a global: a test's CliRunner runs many commands in one process.

Help texts stay written in English where click expects them (docstrings, ``help=``); they are msgids that
cli/catalogue.py extracts by walking the command tree, and are translated here, when help is shown, through
click's public hooks: the Command, Option and HelpFormatter classes a command is built with. Click's own
words ("Usage:", "Options", "Error: ...") are msgids of mooc's catalogue too, said by the same classes and by
:meth:`Group.main`, which shows a usage error itself.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from mooc_builder.lang.catalogue import Catalogue
from mooc_builder.lang.choose import catalogue, choose, languages, system_language
from mooc_builder.lang.text import Listing, Text, listing, say

_KEY = "mooc.language"


def language(ctx: click.Context | None = None) -> Catalogue | None:
    """The catalogue this run speaks (None: English), chosen on first need."""
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    if root is not None and _KEY in root.meta:
        chosen: Catalogue | None = root.meta[_KEY]
        return chosen
    found = catalogue(choose(None, os.environ, system_language()))
    if root is not None:
        root.meta[_KEY] = found
    return found


def _set_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().meta[_KEY] = catalogue(choose(value, os.environ))


def tr(text: Text | Listing | str) -> str:
    """A message in this run's language; a plain string is a msgid (a help text, a word of click's)."""
    if isinstance(text, str):
        found = language()
        return found.gettext(text) if found is not None and text else text
    return text.say(language())


def echo(text: Text | str, err: bool = False, nl: bool = True) -> None:
    said = text if isinstance(text, str) else text.say(language())
    stream = sys.stderr if err else sys.stdout
    click.echo(printable(said, getattr(stream, "encoding", None)), err=err, nl=nl)


def printable(text: str, encoding: str | None) -> str:
    """``text`` as a stream in ``encoding`` can take it. Windows writes a redirected command's output in the
    ANSI code page (cp1252 in France), which has the no-break space of French punctuation but not the narrow
    one CLDR puts between thousands ("1 000"): that one becomes a no-break space, anything else a '?'."""
    if not encoding:
        return text
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.replace("\u202f", "\u00a0").encode(encoding, "replace").decode(encoding)
    except LookupError:  # an encoding Python does not know: leave it to the stream
        pass
    return text


LANG = click.option("--lang", type=click.Choice(languages()), is_eager=True, expose_value=False,
                    callback=_set_language, metavar="|".join(languages()),
                    help="The language of mooc's messages (default: MOOC_LANG, else the system's).")


# The headings click writes, as messages (click says them in English; cli/speech.py in the run's language).
_HEADINGS = {"Options": say("Options"), "Commands": say("Commands"), "Arguments": say("Arguments")}


class Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, tr(say("Usage:")) + " " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        named = _HEADINGS.get(heading, heading)
        # As click writes a heading, with the colon spaced as the language wants ("Options :" in French).
        line = tr(say("{heading}:", heading=named))
        self.write(f"{'':>{self.current_indent}}{line}\n")


class Context(click.Context):
    formatter_class = Formatter


class Command(click.Command):
    """A command whose help is said in this run's language (a Group is one too)."""

    context_class = Context

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, ctx):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self, None):
            return super().get_short_help_str(limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(super().get_help_option(ctx))


class Group(Command, click.Group):
    command_class = Command
    group_class = type  # a group's subgroups are of its own class

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            _show(exc)
        except click.Abort:
            echo(say("Aborted."), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@contextmanager
def _translated(command: click.Command, ctx: click.Context | None) -> Iterator[None]:
    """The command's help and its options' in this run's language while click lays them out: click reads
    them from these attributes, which are put back after."""
    params = [p for p in command.params if isinstance(p, click.Option) and p.help] if ctx is not None else []
    kept = command.help, command.short_help, [p.help for p in params]
    command.help = tr(command.help) if command.help else command.help
    command.short_help = tr(command.short_help) if command.short_help else command.short_help
    for param in params:
        param.help = tr(param.help or "")
    try:
        yield
    finally:
        command.help, command.short_help = kept[0], kept[1]
        for param, english in zip(params, kept[2], strict=True):
            param.help = english


def _help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = tr(say("Show this message and exit."))
    return option


def _show(exc: click.ClickException) -> NoReturn:
    """A usage error as click shows it, in this run's language: the usage, where to find help, what is wrong."""
    ctx = getattr(exc, "ctx", None)
    # Click has left the command's context by now: enter it again, for the language chosen on it.
    with ctx.scope(cleanup=False) if ctx is not None else contextlib.nullcontext():
        if isinstance(exc, click.UsageError) and ctx is not None:
            echo(ctx.get_usage(), err=True)
            if ctx.command.get_help_option(ctx) is not None:
                echo(say("Try '{command} --help' for help.", command=ctx.command_path), err=True)
            echo("", err=True)
        echo(say("Error: {message}", message=_message(exc)), err=True)
    sys.exit(exc.exit_code)


def _message(exc: click.ClickException) -> str:
    """What click says is wrong, in this run's language for the errors an author meets; click's English for
    the rare others."""
    if isinstance(exc, click.NoSuchOption):
        text = tr(say("No such option: {name}", name=exc.option_name))
        if exc.possibilities:
            text += " " + tr(say("Did you mean {options}?", options=listing(sorted(exc.possibilities),
                                                                           quoted=False)))
        return text
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = (exc.param.human_readable_name if isinstance(exc.param, click.Argument)
                else exc.param.get_error_hint(exc.ctx) if exc.ctx else exc.param.name)
        return tr(say("Missing argument {name}.", name=name) if isinstance(exc.param, click.Argument)
                  else say("Missing option {name}.", name=name))
    if isinstance(exc, click.BadParameter):
        param = exc.param
        hint: object = exc.param_hint or ""
        if isinstance(param, click.Option):
            hint = listing(param.opts, "or")
        elif param is not None:
            hint = param.human_readable_name
        return tr(say("Invalid value for {name}: {problem}", name=hint, problem=_choices(exc)))
    command = getattr(exc, "command_name", None)  # click.NoSuchCommand, since click 8.4
    if isinstance(command, str):
        said = tr(say("No such command '{name}'.", name=command))
        ctx = exc.ctx if isinstance(exc, click.UsageError) else None
        group = ctx.command if ctx is not None else None
        close = difflib.get_close_matches(command, group.list_commands(ctx), n=1) if isinstance(
            group, click.Group) and ctx is not None else []
        if close:
            said += " " + tr(say("Did you mean {options}?", options=listing(close)))
        return said
    text = exc.format_message()
    if text.startswith("Got unexpected extra argument"):
        return tr(say("Unexpected extra argument: {words}", words=text.split("(", 1)[-1].rstrip(")")))
    return text


def _choices(exc: click.BadParameter) -> str:
    """A bad choice's message, translated; any other bad value's own (mooc's are translated where raised)."""
    param = exc.param
    if param is not None and isinstance(param.type, click.Choice):
        value = exc.message.split("'")[1] if exc.message.count("'") >= 2 else exc.message
        return tr(say("{value} is not {choices}.", value=listing([value]),
                      choices=listing([str(c) for c in param.type.choices])))
    return exc.message
